package io.github.knetj.cpu.fast;

import io.github.knetj.api.Backend;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.Host;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 batch normalisation of (N, C, H, W) in training mode, forward and backward, with the equations of
 * {@link io.github.knetj.api.Fused#batchNorm} and {@link io.github.knetj.api.Fused#batchNormBackward}. The composed
 * defaults run about ten element-wise kernels and reductions forward and twenty backward, each a pass over the whole
 * activation with a fresh result and broadcasts of (1, C, 1, 1) vectors; these read x twice and write y once forward,
 * and read dy and x twice and write dx once backward. Channels are shared among the pool's threads; each sums its
 * channel's N rows of H·W elements in SIMD lanes per row and in double across rows, in an order fixed by the shape,
 * so no result depends on the thread count (nor on the JIT tier: lanes are added in lane order, see
 * {@link DotSgemm}). Loaded only when the Vector API is present (like {@link VectorKernels}).
 */
public final class BatchNorms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private BatchNorms() {}

    /** {y, μ (C), σ² (C)}: see {@link io.github.knetj.api.Fused#batchNorm}. */
    public static Tensor[] forward(Backend be, Tensor x, Tensor gamma, Tensor beta, double eps) {
        Shape s = x.shape();
        int n = s.dim(0), c = s.dim(1), hw = s.dim(2) * s.dim(3);
        perChannel("batchNorm", s, gamma, beta);
        float[] xs = f(x), g = f(gamma), b = f(beta);
        HostTensor y = Host.uncleared(be, s, x.dtype()), mean = Host.uncleared(be, Shape.of(c), x.dtype()), var = Host.uncleared(be, Shape.of(c), x.dtype());
        float[] ys = y.floats(), mu = mean.floats(), v = var.floats();
        double count = (double) n * hw;
        Parallel.forRange(c, Host.grain(3L * n * hw), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double sum = 0, squares = 0;
                for (int i = 0; i < n; i++) sum += FloatLoops.sum(xs, (i * c + ch) * hw, hw);
                float m = (float) (sum / count);
                for (int i = 0; i < n; i++) squares += squaredDeviations(xs, (i * c + ch) * hw, hw, m);
                mu[ch] = m;
                v[ch] = (float) (squares / count);
                float scale = (float) (g[ch] / Math.sqrt(v[ch] + eps)), shift = b[ch];
                for (int i = 0; i < n; i++) normalise(xs, ys, (i * c + ch) * hw, hw, m, scale, shift);
            }
        });
        return new Tensor[]{y, mean, var};
    }

    /** {dx, dγ, dβ}: see {@link io.github.knetj.api.Fused#batchNormBackward}. */
    public static Tensor[] backward(Backend be, Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        Shape s = x.shape();
        if (!dy.shape().equals(s)) throw new IllegalArgumentException("batchNormBackward: dy has shape " + dy.shape() + ", expected x's " + s);
        int n = s.dim(0), c = s.dim(1), hw = s.dim(2) * s.dim(3);
        perChannel("batchNormBackward", s, mean, var, gamma);
        float[] d = f(dy), xs = f(x), mu = f(mean), v = f(var), g = f(gamma);
        HostTensor dx = Host.uncleared(be, s, x.dtype()), dgamma = Host.uncleared(be, Shape.of(c), x.dtype()), dbeta = Host.uncleared(be, Shape.of(c), x.dtype());
        float[] dxs = dx.floats(), dg = dgamma.floats(), db = dbeta.floats();
        double count = (double) n * hw;
        Parallel.forRange(c, Host.grain(4L * n * hw), (c0, c1) -> {
            double[] sums = new double[2];
            for (int ch = c0; ch < c1; ch++) {
                sums[0] = sums[1] = 0;
                for (int i = 0; i < n; i++) gradientSums(d, xs, (i * c + ch) * hw, hw, mu[ch], sums);
                double inv = 1 / Math.sqrt(v[ch] + eps), k = g[ch] * inv;
                dg[ch] = (float) (sums[1] * inv);
                db[ch] = (float) sums[0];
                // dx = k·(dy − Σdy/m − (x − μ)·inv²·Σdy(x − μ)/m) = k·dy + k1·(x − μ) + k0
                float kf = (float) k, k1 = (float) (-k * inv * inv * sums[1] / count), k0 = (float) (-k * sums[0] / count);
                for (int i = 0; i < n; i++) inputGradient(d, xs, dxs, (i * c + ch) * hw, hw, mu[ch], kf, k1, k0);
            }
        });
        return new Tensor[]{dx, dgamma, dbeta};
    }

    /** Σ (x − m)² over one row, its lanes added in lane order; shared with {@link LayerNorms}. */
    static double squaredDeviations(float[] x, int at, int len, float m) {
        FloatVector acc = FloatVector.zero(S), mv = FloatVector.broadcast(S, m);
        int j = 0;
        for (; j <= len - L; j += L) {
            FloatVector dev = FloatVector.fromArray(S, x, at + j).sub(mv);
            acc = dev.fma(dev, acc);
        }
        double s = 0;
        for (int lane = 0; lane < L && j > 0; lane++) s += acc.lane(lane);   // lane order: reduceLanes adds in another order in each JIT tier
        for (; j < len; j++) s += (x[at + j] - m) * (x[at + j] - m);
        return s;
    }

    /** y = (x − μ)·scale + β, where scale = γ/√(σ² + ε). */
    private static void normalise(float[] x, float[] y, int at, int len, float m, float scale, float shift) {
        FloatVector mv = FloatVector.broadcast(S, m), sv = FloatVector.broadcast(S, scale), bv = FloatVector.broadcast(S, shift);
        int j = 0;
        for (; j <= len - L; j += L) FloatVector.fromArray(S, x, at + j).sub(mv).fma(sv, bv).intoArray(y, at + j);
        for (; j < len; j++) y[at + j] = (x[at + j] - m) * scale + shift;
    }

    /** sums[0] += Σ dy, sums[1] += Σ dy·(x − μ) over one row. */
    private static void gradientSums(float[] d, float[] x, int at, int len, float m, double[] sums) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), mv = FloatVector.broadcast(S, m);
        int j = 0;
        for (; j <= len - L; j += L) {
            FloatVector dv = FloatVector.fromArray(S, d, at + j);
            s0 = dv.add(s0);   // the fresh vector as receiver: see the package doc
            s1 = dv.fma(FloatVector.fromArray(S, x, at + j).sub(mv), s1);
        }
        double a = 0, b = 0;
        for (int lane = 0; lane < L && j > 0; lane++) {   // in lane order, as squaredDeviations
            a += s0.lane(lane);
            b += s1.lane(lane);
        }
        for (; j < len; j++) {
            a += d[at + j];
            b += d[at + j] * (x[at + j] - m);
        }
        sums[0] += a;
        sums[1] += b;
    }

    /** dx = k·dy + k1·(x − μ) + k0 over one row. */
    private static void inputGradient(float[] d, float[] x, float[] dx, int at, int len, float m, float k, float k1, float k0) {
        FloatVector mv = FloatVector.broadcast(S, m), kv = FloatVector.broadcast(S, k), k1v = FloatVector.broadcast(S, k1), k0v = FloatVector.broadcast(S, k0);
        int j = 0;
        for (; j <= len - L; j += L)
            FloatVector.fromArray(S, d, at + j).fma(kv, FloatVector.fromArray(S, x, at + j).sub(mv).fma(k1v, k0v)).intoArray(dx, at + j);
        for (; j < len; j++) dx[at + j] = k * d[at + j] + ((x[at + j] - m) * k1 + k0);
    }

    /** Every per-channel tensor must be a vector of x's channels. */
    private static void perChannel(String op, Shape x, Tensor... vs) {
        for (Tensor v : vs)
            if (v.shape().rank() != 1 || v.shape().dim(0) != x.dim(1))
                throw new IllegalArgumentException(op + ": expected per-channel vectors of shape (" + x.dim(1) + ") for x " + x + ", got " + v.shape());
    }

    private static float[] f(Tensor t) { return ((HostTensor) t).floats(); }
}
