package io.github.knetj.cpu;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.SpecialFunctions;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.cpu.fast.MaxPool2x2;
import io.github.knetj.cpu.fast.VectorKernels;

/**
 * The SIMD-off inner loops: one formula per element (the op's own, {@link io.github.knetj.api.UnaryOp#apply}), evaluated in double and rounded once, with
 * sums accumulated in double, exactly like the reference backend. {@link VectorKernels} falls back to these for the
 * ops it has no SIMD form of.
 */
public class ScalarKernels implements Kernels {
    @Override public void unary(UnaryOp op, double param, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = (float) op.apply(x[xo + i], param);
    }

    @Override public void unary(UnaryOp op, double param, double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = op.apply(x[xo + i], param);
    }

    @Override public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = (float) op.apply(a[ao + i * as], b[bo + i * bs]);
    }

    @Override public void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = op.apply(a[ao + i * as], b[bo + i * bs]);
    }

    @Override public void affine(float[] x, int xo, float[] y, int yo, int n, double scale, double shift) {
        for (int i = 0; i < n; i++) y[yo + i] = (float) (scale * x[xo + i] + shift);
    }

    @Override public void affine(double[] x, int xo, double[] y, int yo, int n, double scale, double shift) {
        for (int i = 0; i < n; i++) y[yo + i] = scale * x[xo + i] + shift;
    }

    @Override public double sum(float[] x, int xo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i];
        return s;
    }

    @Override public double sum(double[] x, int xo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i];
        return s;
    }

    @Override public double max(float[] x, int xo, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    @Override public double max(double[] x, int xo, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    @Override public void addTo(float[] acc, int ao, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) acc[ao + i] += x[xo + i];
    }

    @Override public void addTo(double[] acc, int ao, double[] x, int xo, int n) {
        for (int i = 0; i < n; i++) acc[ao + i] += x[xo + i];
    }

    @Override public void maxTo(float[] acc, int ao, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
    }

    @Override public void maxTo(double[] acc, int ao, double[] x, int xo, int n) {
        for (int i = 0; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
    }

    @Override public void geluBackward(float[] x, float[] dy, float[] dx, int off, int n) {
        for (int i = off; i < off + n; i++) dx[i] = (float) (dy[i] * geluSlope(x[i]));
    }

    @Override public void geluBackward(double[] x, double[] dy, double[] dx, int off, int n) {
        for (int i = off; i < off + n; i++) dx[i] = dy[i] * geluSlope(x[i]);
    }

    @Override public void reluBackward(float[] x, float[] dy, float[] dx, int off, int n) {
        for (int i = off; i < off + n; i++) dx[i] = dy[i] * (x[i] > 0 ? 1f : 0f);
    }

    @Override public void reluBackward(double[] x, double[] dy, double[] dx, int off, int n) {
        for (int i = off; i < off + n; i++) dx[i] = dy[i] * (x[i] > 0 ? 1.0 : 0.0);
    }

    /** GELU's derivative Φ(x) + x·φ(x), in double. */
    public static double geluSlope(double x) {
        return 0.5 * (1 + SpecialFunctions.erf(x * Math.sqrt(0.5))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    @Override public void softmaxBackward(float[] y, int yo, float[] dy, int go, float[] dx, int xo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) dy[go + i] * y[yo + i];
        for (int i = 0; i < n; i++) dx[xo + i] = (float) (y[yo + i] * (dy[go + i] - s));
    }

    @Override public void softmaxBackward(double[] y, int yo, double[] dy, int go, double[] dx, int xo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += dy[go + i] * y[yo + i];
        for (int i = 0; i < n; i++) dx[xo + i] = y[yo + i] * (dy[go + i] - s);
    }

    @Override public double expSum(float[] x, int xo, float[] y, int yo, int n, double shift) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[xo + i] - shift);
            y[yo + i] = (float) e;
            s += e;
        }
        return s;
    }

    @Override public double expSum(double[] x, int xo, double[] y, int yo, int n, double shift) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[xo + i] - shift);
            y[yo + i] = e;
            s += e;
        }
        return s;
    }

    @Override public void maxPool2x2(float[] x, float[] y, int p0, int p1, int h, int w, int oh, int ow) {
        MaxPool2x2.forwardPlanes(x, y, p0, p1, h, w, oh, ow);
    }

    @Override public void maxPool2x2Backward(float[] x, float[] dy, float[] dx, int p0, int p1, int h, int w, int oh, int ow) {
        MaxPool2x2.backwardPlanes(x, dy, dx, p0, p1, h, w, oh, ow);
    }

    @Override public Gemm gemm() { return ScalarGemm.INSTANCE; }

    @Override public void adam(float[] w, float[] g, float[] m, float[] v, float[] ow, float[] om, float[] ov, int from, int len,
                               double beta1, double beta2, double stepSize, double denomScale, double eps) {
        double c1 = 1 - beta1, c2 = 1 - beta2;
        for (int i = from; i < from + len; i++) {
            double gi = g[i];
            float mi = (float) (beta1 * m[i] + c1 * gi), vi = (float) (beta2 * v[i] + c2 * gi * gi);
            om[i] = mi;
            ov[i] = vi;
            ow[i] = (float) (w[i] - stepSize * mi / (denomScale * Math.sqrt(vi) + eps));
        }
    }
}
