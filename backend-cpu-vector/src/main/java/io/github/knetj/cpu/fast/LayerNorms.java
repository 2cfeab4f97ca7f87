package io.github.knetj.cpu.fast;

import io.github.knetj.api.Backend;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.Host;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 layer normalisation over the last axis, forward and backward, with the equations of
 * {@link io.github.knetj.api.Fused#layerNorm} and {@link io.github.knetj.api.Fused#layerNormBackward}. The composed
 * defaults run about six element-wise kernels and reductions forward and fifteen backward, each a pass over the whole
 * activation with a fresh result and broadcasts of (..., 1) columns; these read each row of x twice and write y once
 * forward, and read dy and x twice and write dx once backward, while the row is in cache. Rows are independent and
 * shared among the pool's threads; row sums add SIMD lanes in lane order, then in double (see {@link BatchNorms}: in
 * another order the JIT tiers would give different results). dγ and dβ sum over rows: each fixed block of
 * {@link #BLOCK} rows sums in float, and the blocks are added in order in double, so no result depends on the thread
 * count. Loaded only when the Vector API is present (like {@link VectorKernels}).
 */
public final class LayerNorms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows whose dγ and dβ are summed together in float: short enough to keep float rounding small. */
    private static final int BLOCK = 32;

    private LayerNorms() {}

    /** {y, μ (..., 1), σ² (..., 1)}: see {@link io.github.knetj.api.Fused#layerNorm}; γ and β may be null. */
    public static Tensor[] forward(Backend be, Tensor x, Tensor gamma, Tensor beta, double eps) {
        Shape s = x.shape();
        int d = s.dim(-1), rows = s.sizeInt() / Math.max(d, 1);
        perFeature("layerNorm", s, gamma, beta);
        float[] xs = f(x), g = gamma == null ? filled(d, 1) : f(gamma), b = beta == null ? filled(d, 0) : f(beta);
        Shape column = column(s);
        HostTensor y = Host.uncleared(be, s, x.dtype()), mean = Host.uncleared(be, column, x.dtype()), var = Host.uncleared(be, column, x.dtype());
        float[] ys = y.floats(), mu = mean.floats(), v = var.floats();
        Parallel.forRange(rows, Host.grain(3L * d), (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int at = row * d;
                float m = (float) (FloatLoops.sum(xs, at, d) / d);
                mu[row] = m;
                v[row] = (float) (BatchNorms.squaredDeviations(xs, at, d, m) / d);
                normalise(xs, ys, g, b, at, d, m, (float) (1 / Math.sqrt(v[row] + eps)));
            }
        });
        return new Tensor[]{y, mean, var};
    }

    /** {dx, dγ, dβ}, dγ null when γ is: see {@link io.github.knetj.api.Fused#layerNormBackward}. */
    public static Tensor[] backward(Backend be, Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        Shape s = x.shape();
        if (!dy.shape().equals(s)) throw new IllegalArgumentException("layerNormBackward: dy has shape " + dy.shape() + ", expected x's " + s);
        int d = s.dim(-1), rows = s.sizeInt() / Math.max(d, 1), blocks = (rows + BLOCK - 1) / BLOCK;
        perFeature("layerNormBackward", s, gamma);
        Shape column = column(s);
        if (!mean.shape().equals(column) || !var.shape().equals(column))
            throw new IllegalArgumentException("layerNormBackward: expected mean and var of shape " + column + ", got " + mean.shape() + " and " + var.shape());
        float[] ds = f(dy), xs = f(x), mu = f(mean), v = f(var), g = gamma == null ? filled(d, 1) : f(gamma);
        HostTensor dx = Host.uncleared(be, s, x.dtype());
        float[] dxs = dx.floats(), pg = new float[blocks * d], pb = new float[blocks * d];   // per block: Σ dy·x̂, Σ dy
        Parallel.forRange(blocks, Host.grain(4L * d * BLOCK), (b0, b1) -> {
            double[] sums = new double[2];
            for (int blk = b0; blk < b1; blk++)
                for (int row = blk * BLOCK, end = Math.min(rows, row + BLOCK); row < end; row++) {
                    int at = row * d;
                    float m = mu[row];
                    double r = 1 / Math.sqrt(v[row] + eps);
                    rowSums(ds, xs, g, at, d, m, sums);
                    // dx = r·(ĝ − Σĝ/D − x̂·Σĝx̂/D) = r·ĝ + k1·(x − μ) + k0, with x̂ = (x − μ)·r
                    float k1 = (float) (-r * r * r * sums[1] / d), k0 = (float) (-r * sums[0] / d);
                    rowGradient(ds, xs, g, dxs, at, d, m, (float) r, k1, k0);
                    columnSums(ds, xs, pg, pb, at, blk * d, d, m, (float) r);
                }
        });
        HostTensor dgamma = Host.uncleared(be, Shape.of(d), x.dtype()), dbeta = Host.uncleared(be, Shape.of(d), x.dtype());
        float[] dg = dgamma.floats(), db = dbeta.floats();
        for (int j = 0; j < d; j++) {
            double a = 0, c = 0;
            for (int blk = 0; blk < blocks; blk++) {
                a += pg[blk * d + j];
                c += pb[blk * d + j];
            }
            dg[j] = (float) a;
            db[j] = (float) c;
        }
        return new Tensor[]{dx, gamma == null ? null : dgamma, dbeta};
    }

    /** y = (x − μ)·r·γ + β over one row, r = 1/√(σ² + ε). */
    private static void normalise(float[] x, float[] y, float[] g, float[] b, int at, int len, float m, float r) {
        FloatVector mv = FloatVector.broadcast(S, m), rv = FloatVector.broadcast(S, r);
        int j = 0;
        for (; j <= len - L; j += L)
            FloatVector.fromArray(S, x, at + j).sub(mv).mul(rv).fma(FloatVector.fromArray(S, g, j), FloatVector.fromArray(S, b, j)).intoArray(y, at + j);
        for (; j < len; j++) y[at + j] = Math.fma((x[at + j] - m) * r, g[j], b[j]);
    }

    /** sums = {Σ ĝ, Σ ĝ·(x − μ)} over one row, ĝ = dy·γ. */
    private static void rowSums(float[] d, float[] x, float[] g, int at, int len, float m, double[] sums) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), mv = FloatVector.broadcast(S, m);
        int j = 0;
        for (; j <= len - L; j += L) {
            FloatVector gh = FloatVector.fromArray(S, d, at + j).mul(FloatVector.fromArray(S, g, j));
            s0 = gh.add(s0);   // the fresh vector as receiver: see the package doc
            s1 = gh.fma(FloatVector.fromArray(S, x, at + j).sub(mv), s1);
        }
        double a = 0, b = 0;
        for (int lane = 0; lane < L && j > 0; lane++) {   // in lane order, as BatchNorms
            a += s0.lane(lane);
            b += s1.lane(lane);
        }
        for (; j < len; j++) {
            float gh = d[at + j] * g[j];
            a += gh;
            b += gh * (x[at + j] - m);
        }
        sums[0] = a;
        sums[1] = b;
    }

    /** dx = (dy·γ)·r + ((x − μ)·k1 + k0) over one row. */
    private static void rowGradient(float[] d, float[] x, float[] g, float[] dx, int at, int len, float m, float r, float k1, float k0) {
        FloatVector mv = FloatVector.broadcast(S, m), rv = FloatVector.broadcast(S, r), k1v = FloatVector.broadcast(S, k1), k0v = FloatVector.broadcast(S, k0);
        int j = 0;
        for (; j <= len - L; j += L)
            FloatVector.fromArray(S, d, at + j).mul(FloatVector.fromArray(S, g, j))
                    .fma(rv, FloatVector.fromArray(S, x, at + j).sub(mv).fma(k1v, k0v)).intoArray(dx, at + j);
        for (; j < len; j++) dx[at + j] = d[at + j] * g[j] * r + ((x[at + j] - m) * k1 + k0);
    }

    /** The block's partial sums: pg += dy·(x − μ)·r, pb += dy, element by element over one row. */
    private static void columnSums(float[] d, float[] x, float[] pg, float[] pb, int at, int po, int len, float m, float r) {
        FloatVector mv = FloatVector.broadcast(S, m), rv = FloatVector.broadcast(S, r);
        int j = 0;
        for (; j <= len - L; j += L) {
            FloatVector dv = FloatVector.fromArray(S, d, at + j);
            dv.fma(FloatVector.fromArray(S, x, at + j).sub(mv).mul(rv), FloatVector.fromArray(S, pg, po + j)).intoArray(pg, po + j);
            dv.add(FloatVector.fromArray(S, pb, po + j)).intoArray(pb, po + j);
        }
        for (; j < len; j++) {
            pg[po + j] = Math.fma(d[at + j], (x[at + j] - m) * r, pg[po + j]);
            pb[po + j] += d[at + j];
        }
    }

    /** x's shape with a last axis of 1: one μ or σ² per row. */
    private static Shape column(Shape s) {
        int[] dims = s.dims();
        dims[dims.length - 1] = 1;
        return Shape.of(dims);
    }

    /** γ and β, where given, must be vectors of x's last axis. */
    private static void perFeature(String op, Shape x, Tensor... vs) {
        for (Tensor v : vs)
            if (v != null && !v.shape().equals(Shape.of(x.dim(-1))))
                throw new IllegalArgumentException(op + ": expected gamma and beta of shape (" + x.dim(-1) + ") for x " + x + ", got " + v.shape());
    }

    /** The γ = 1 or β = 0 of a layer norm without them: the same loops then serve both cases, exactly. */
    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }

    private static float[] f(Tensor t) { return ((HostTensor) t).floats(); }
}
