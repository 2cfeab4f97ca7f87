package io.github.knetj.cpu.fast;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.cpu.CpuBackend;
import io.github.knetj.cpu.Gemm;
import io.github.knetj.cpu.Im2col;
import io.github.knetj.cpu.Kernels;
import io.github.knetj.cpu.ScalarKernels;
import jdk.incubator.vector.FloatVector;

/**
 * The SIMD inner loops ({@link FloatLoops}, {@link DoubleLoops}, {@link FloatPoolLoops}) and the packed matrix products
 * ({@link PackedSgemm}, {@link PackedDgemm}). Only this class and those it names touch jdk.incubator.vector;
 * {@link CpuBackend} loads it only when that module is in the boot layer.
 */
public final class VectorKernels extends ScalarKernels {
    private static final Gemm PACKED = new Gemm() {
        @Override public void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                                   float[] c, int co, int ldc, boolean parallel) {
            PackedSgemm.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
        }

        @Override public void gemmInto(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                                       float[] c, int co, int ldc, boolean parallel) {
            if (!PackedSgemm.gemmInto(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel))
                Gemm.super.gemmInto(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
        }

        @Override public void gemmInto(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                                       float[] c, int co, int ldc, float[] bias, boolean parallel) {
            if (!PackedSgemm.gemmInto(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, bias, parallel))
                Gemm.super.gemmInto(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, bias, parallel);
        }

        @Override public void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                                   double[] c, int co, int ldc, boolean parallel) {
            PackedDgemm.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
        }

        @Override public ColumnProducts columns(Im2col.Geometry g) { return ColumnPanels.pays(g) ? new ColumnPanels(g) : null; }
    };

    private static final boolean POOL_SIMD = FloatPoolLoops.available();

    /** A new table; called only when the Vector API module is present. The first also starts {@link KernelWarmUp}. */
    public static Kernels create() {
        KernelWarmUp.start();
        return new VectorKernels();
    }

    /** The SIMD hardware in words: "AVX2 256-bit (FloatVector.SPECIES_PREFERRED), matmul 256-bit". */
    public static String describe() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        String arch = System.getProperty("os.arch", "");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        String isa = x86 ? (bits >= 512 ? "AVX-512" : bits >= 256 ? "AVX2" : "SSE") : arch.equals("aarch64") ? (bits > 128 ? "SVE" : "NEON") : arch;
        return isa + " " + bits + "-bit (FloatVector.SPECIES_PREFERRED), matmul " + PackedSgemm.S.vectorBitSize() + "-bit";
    }

    @Override public void unary(UnaryOp op, double param, float[] x, int xo, float[] y, int yo, int n) {
        if (!FloatLoops.unary(op, param, x, xo, y, yo, n)) super.unary(op, param, x, xo, y, yo, n);
    }

    @Override public void unary(UnaryOp op, double param, double[] x, int xo, double[] y, int yo, int n) {
        if (!DoubleLoops.unary(op, param, x, xo, y, yo, n)) super.unary(op, param, x, xo, y, yo, n);
    }

    @Override public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int n) {
        if (as == 0 && bs == 0) super.binary(op, a, ao, as, b, bo, bs, y, yo, n);
        else FloatLoops.binary(op, a, ao, as, b, bo, bs, y, yo, n);
    }

    @Override public void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n) {
        if (as == 0 && bs == 0) super.binary(op, a, ao, as, b, bo, bs, y, yo, n);
        else DoubleLoops.binary(op, a, ao, as, b, bo, bs, y, yo, n);
    }

    @Override public void affine(float[] x, int xo, float[] y, int yo, int n, double scale, double shift) { FloatLoops.affine(x, xo, y, yo, n, scale, shift); }

    @Override public void affine(double[] x, int xo, double[] y, int yo, int n, double scale, double shift) { DoubleLoops.affine(x, xo, y, yo, n, scale, shift); }

    @Override public double sum(float[] x, int xo, int n) { return FloatLoops.sum(x, xo, n); }

    @Override public double sum(double[] x, int xo, int n) { return DoubleLoops.sum(x, xo, n); }

    @Override public double max(float[] x, int xo, int n) { return FloatLoops.max(x, xo, n); }

    @Override public double max(double[] x, int xo, int n) { return DoubleLoops.max(x, xo, n); }

    @Override public void addTo(float[] acc, int ao, float[] x, int xo, int n) { FloatLoops.addTo(acc, ao, x, xo, n); }

    @Override public void addTo(double[] acc, int ao, double[] x, int xo, int n) { DoubleLoops.addTo(acc, ao, x, xo, n); }

    @Override public void maxTo(float[] acc, int ao, float[] x, int xo, int n) { FloatLoops.maxTo(acc, ao, x, xo, n); }

    @Override public void maxTo(double[] acc, int ao, double[] x, int xo, int n) { DoubleLoops.maxTo(acc, ao, x, xo, n); }

    @Override public double expSum(float[] x, int xo, float[] y, int yo, int n, double shift) { return FloatLoops.expSum(x, xo, y, yo, n, shift); }

    @Override public void geluBackward(float[] x, float[] dy, float[] dx, int off, int n) { GradientLoops.geluBackward(x, dy, dx, off, n); }

    @Override public void reluBackward(float[] x, float[] dy, float[] dx, int off, int n) { GradientLoops.reluBackward(x, dy, dx, off, n); }

    @Override public void softmaxBackward(float[] y, int yo, float[] dy, int go, float[] dx, int xo, int n) { GradientLoops.softmaxBackward(y, yo, dy, go, dx, xo, n); }

    // float64 geluBackward, reluBackward and softmaxBackward are inherited: scalar, like the other float64 math here.

    // float64 expSum is inherited: scalar through Math, the same in every JIT tier (see DoubleLoops.unary).

    @Override public void maxPool2x2(float[] x, float[] y, int p0, int p1, int h, int w, int oh, int ow) {
        if (POOL_SIMD) FloatPoolLoops.forward(x, y, p0, p1, h, w, oh, ow);
        else super.maxPool2x2(x, y, p0, p1, h, w, oh, ow);
    }

    @Override public void maxPool2x2Backward(float[] x, float[] dy, float[] dx, int p0, int p1, int h, int w, int oh, int ow) {
        if (POOL_SIMD) FloatPoolLoops.backward(x, dy, dx, p0, p1, h, w, oh, ow);
        else super.maxPool2x2Backward(x, dy, dx, p0, p1, h, w, oh, ow);
    }

    @Override public void adam(float[] w, float[] g, float[] m, float[] v, float[] ow, float[] om, float[] ov, int from, int len,
                               double beta1, double beta2, double stepSize, double denomScale, double eps) {
        int done = OptimizerLoops.adam(w, g, m, v, ow, om, ov, from, len, beta1, beta2, stepSize, denomScale, eps);
        super.adam(w, g, m, v, ow, om, ov, done, from + len - done, beta1, beta2, stepSize, denomScale, eps);
    }

    @Override public Gemm gemm() { return PACKED; }
}
