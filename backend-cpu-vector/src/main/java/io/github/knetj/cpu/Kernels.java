package io.github.knetj.cpu;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.cpu.fast.MaxPool2x2;

/**
 * The table of inner loops every CPU op is built from, over contiguous ranges of float[] and double[] arrays.
 * Two implementations: {@link ScalarKernels} (plain loops, SIMD off) and {@code VectorKernels} (jdk.incubator.vector),
 * which the backend loads only when that module is present, so SIMD-off never touches a Vector API class.
 * Outputs are always distinct from inputs unless a method says it works in place.
 */
public interface Kernels {
    /** y[i] = op(x[i]) for i in [0, n). */
    void unary(UnaryOp op, double param, float[] x, int xo, float[] y, int yo, int n);

    void unary(UnaryOp op, double param, double[] x, int xo, double[] y, int yo, int n);

    /**
     * y[i] = a[ao + i·as] op b[bo + i·bs] for i in [0, n), where the strides as and bs are 1 (walk) or 0 (repeat one
     * element): same-shape operands, a scalar on either side, and the rows of a broadcast all come through here.
     */
    void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int n);

    void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n);

    /** y[i] = scale·x[i] + shift; may work in place (x == y, xo == yo). */
    void affine(float[] x, int xo, float[] y, int yo, int n, double scale, double shift);

    void affine(double[] x, int xo, double[] y, int yo, int n, double scale, double shift);

    /** dx[i] = dy[i]·(Φ(x[i]) + x[i]·φ(x[i])) for i in [off, off + n): GELU's backward pass (Φ, φ: the normal CDF and density). */
    void geluBackward(float[] x, float[] dy, float[] dx, int off, int n);

    void geluBackward(double[] x, double[] dy, double[] dx, int off, int n);

    /** dx[i] = dy[i]·(x[i] > 0 ? 1 : 0) for i in [off, off + n): ReLU's backward pass, the products of mul(dy, step(x)). */
    void reluBackward(float[] x, float[] dy, float[] dx, int off, int n);

    void reluBackward(double[] x, double[] dy, double[] dx, int off, int n);

    /**
     * dx[xo+i] = y[yo+i]·(dy[go+i] − Σ_j dy[go+j]·y[yo+j]) for i in [0, n): softmax's backward pass over one row, from its
     * output y; dx may be dy (the same array and offset).
     */
    void softmaxBackward(float[] y, int yo, float[] dy, int go, float[] dx, int xo, int n);

    void softmaxBackward(double[] y, int yo, double[] dy, int go, double[] dx, int xo, int n);

    /** Σ x[xo .. xo+n). */
    double sum(float[] x, int xo, int n);

    double sum(double[] x, int xo, int n);

    /** max x[xo .. xo+n) (−∞ when n = 0). */
    double max(float[] x, int xo, int n);

    double max(double[] x, int xo, int n);

    /** acc[i] += x[i]: the row step of a reduction over leading axes. */
    void addTo(float[] acc, int ao, float[] x, int xo, int n);

    void addTo(double[] acc, int ao, double[] x, int xo, int n);

    /** acc[i] = max(acc[i], x[i]). */
    void maxTo(float[] acc, int ao, float[] x, int xo, int n);

    void maxTo(double[] acc, int ao, double[] x, int xo, int n);

    /** y[i] = e^(x[i] − shift), returning Σ y: the middle pass of a softmax. */
    double expSum(float[] x, int xo, float[] y, int yo, int n, double shift);

    double expSum(double[] x, int xo, double[] y, int yo, int n, double shift);

    /** 2×2 stride-2 max pooling of planes [p0, p1) of x (h × w each) into y (oh × ow each); see {@link MaxPool2x2}. */
    void maxPool2x2(float[] x, float[] y, int p0, int p1, int h, int w, int oh, int ow);

    /** Its backward pass: dx (zero on entry) gets each dy at its window's first strict maximum. */
    void maxPool2x2Backward(float[] x, float[] dy, float[] dx, int p0, int p1, int h, int w, int oh, int ow);

    /**
     * One float32 Adam step over [from, from+len): m' = β₁m + (1−β₁)g, v' = β₂v + (1−β₂)g², w' = w − step·m' / (scale·√v' + ε),
     * each element computed in double and rounded once per output, as the reference backend does.
     */
    void adam(float[] w, float[] g, float[] m, float[] v, float[] ow, float[] om, float[] ov, int from, int len,
              double beta1, double beta2, double stepSize, double denomScale, double eps);

    /** The matrix-product kernel of this implementation. */
    Gemm gemm();
}
