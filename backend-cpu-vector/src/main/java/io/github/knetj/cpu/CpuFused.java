package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.cpu.fast.BatchNorms;
import io.github.knetj.cpu.fast.LayerNorms;
import io.github.knetj.cpu.fast.RecurrentCells;
import io.github.knetj.cpu.fast.RecurrentMatmul;

/**
 * The CPU backend's optional kernels: every unary and binary op in one SIMD pass, one-pass affine, Adam and SGD steps,
 * reductions, padding, average pooling, softmax and class picks, and, in float32 with SIMD on, the LSTM and GRU cells
 * fused ({@link RecurrentCells}), the recurrent product on a weight packed once ({@link RecurrentMatmul}) and batch
 * normalisation of images in training ({@link BatchNorms}) and layer normalisation ({@link LayerNorms}); float32
 * self-attention with its heads read in place ({@link CpuAttention}). Where
 * this class has no kernel the {@link Fused} default composes the primitives.
 */
final class CpuFused implements Fused {
    private final CpuBackend backend;
    private final CpuMemory memory;
    private final CpuLayout layout;
    private final CpuElementwise elementwise;
    private final CpuReductions reductions;
    private final CpuConvolution convolution;
    private final CpuNN nn;
    private final CpuAttention attention;
    private final CpuLinalg linalg;
    /** Whether the fused float32 cells may run: RecurrentCells is a Vector API class, named only when this holds. */
    private final boolean simd;

    CpuFused(CpuBackend backend, CpuMemory memory, CpuLayout layout, CpuElementwise elementwise, CpuReductions reductions,
             CpuConvolution convolution, CpuNN nn, CpuAttention attention, CpuLinalg linalg) {
        this.backend = backend;
        this.memory = memory;
        this.layout = layout;
        this.elementwise = elementwise;
        this.reductions = reductions;
        this.convolution = convolution;
        this.nn = nn;
        this.attention = attention;
        this.linalg = linalg;
        this.simd = backend.simd();
    }

    @Override public Backend backend() { return backend; }

    @Override public Tensor unary(UnaryOp op, Tensor x, double param) { return elementwise.unary(op, x, param); }
    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) { return elementwise.binary(op, a, b); }
    @Override public Tensor affine(Tensor x, double scale, double shift) { return elementwise.affine(x, scale, shift); }
    @Override public Tensor sgdStep(Tensor w, Tensor d, double lr) { return elementwise.sgdStep(w, d, lr); }
    @Override public Tensor[] adamStep(Tensor w, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double stepSize, double denomScale, double eps) {
        return elementwise.adamStep(w, g, m, v, beta1, beta2, stepSize, denomScale, eps);
    }

    @Override public Tensor mean(Tensor x, int[] axes, boolean keepdims) { return reductions.mean(x, axes, keepdims); }
    @Override public Tensor logsumexp(Tensor x, int[] axes, boolean keepdims) { return reductions.logsumexp(x, axes, keepdims); }
    @Override public int[] argmax(Tensor x, int axis) { return reductions.argmax(x, axis); }
    @Override public Tensor pad(Tensor x, int[] before, int[] after, double value) { return layout.pad(x, before, after, value); }
    @Override public Tensor avgPool2d(Tensor x, Pool2d spec) { return convolution.avgPool2d(x, spec); }
    @Override public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) { return convolution.avgPool2dBackward(dy, xShape, spec); }
    @Override public Tensor softmax(Tensor x, int axis) { return nn.softmax(x, axis); }
    @Override public Tensor logSoftmax(Tensor x, int axis) { return nn.logSoftmax(x, axis); }
    @Override public Tensor softmaxBackward(Tensor y, Tensor dy, int axis) {
        Tensor dx = nn.softmaxBackward(y, dy, axis);
        return dx != null ? dx : Fused.super.softmaxBackward(y, dy, axis);
    }
    @Override public Tensor geluBackward(Tensor x, Tensor dy) { return elementwise.geluBackward(x, dy); }
    @Override public Tensor reluBackward(Tensor x, Tensor dy) { return elementwise.reluBackward(x, dy); }
    @Override public Tensor pickClasses(Tensor x, int[] labels) { return nn.pickClasses(x, labels); }
    @Override public Tensor placeClasses(Tensor g, int[] labels, int classes) { return nn.placeClasses(g, labels, classes); }
    @Override public Tensor adopt(float[] data, Shape shape) { return memory.adopt(data, shape); }

    @Override public Tensor[] lstmCell(Tensor gates, Tensor c) {
        return cells(c) ? RecurrentCells.lstmCell(backend, gates, c) : Fused.super.lstmCell(gates, c);
    }

    @Override public Tensor[] lstmCellBackward(Tensor dh, Tensor dc, Tensor act, Tensor c) {
        return cells(c) ? RecurrentCells.lstmCellBackward(backend, dh, dc, act, c) : Fused.super.lstmCellBackward(dh, dc, act, c);
    }

    @Override public Tensor[] gruCell(Tensor xg, Tensor hg, Tensor h) {
        return cells(h) ? RecurrentCells.gruCell(backend, xg, hg, h) : Fused.super.gruCell(xg, hg, h);
    }

    @Override public Tensor[] gruCellBackward(Tensor dh, Tensor act, Tensor hg, Tensor h) {
        return cells(h) ? RecurrentCells.gruCellBackward(backend, dh, act, hg, h) : Fused.super.gruCellBackward(dh, act, hg, h);
    }

    @Override public Tensor[] batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        Host.check("batchNorm", backend, x, gamma, beta);
        return images(x) ? BatchNorms.forward(backend, x, gamma, beta, eps) : Fused.super.batchNorm(x, gamma, beta, eps);
    }

    @Override public Tensor[] batchNormBackward(Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        Host.check("batchNormBackward", backend, dy, x, mean, var, gamma);
        return images(x) ? BatchNorms.backward(backend, dy, x, mean, var, gamma, eps) : Fused.super.batchNormBackward(dy, x, mean, var, gamma, eps);
    }

    @Override public Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        Host.check("layerNorm", backend, present(x, gamma, beta));
        return rows(x) ? LayerNorms.forward(backend, x, gamma, beta, eps) : Fused.super.layerNorm(x, gamma, beta, eps);
    }

    @Override public Tensor[] layerNormBackward(Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        Host.check("layerNormBackward", backend, present(dy, x, mean, var, gamma));
        return rows(x) ? LayerNorms.backward(backend, dy, x, mean, var, gamma, eps) : Fused.super.layerNormBackward(dy, x, mean, var, gamma, eps);
    }

    /** The bias is added to each image's outputs right after its product, while they are in cache. */
    @Override public Tensor conv2d(Tensor x, Tensor w, Tensor b, Conv2d spec) {
        Checks.convBias(x, w, b);
        return convolution.conv2d(x, w, b, spec);
    }

    /** Float32 2×2 pooling: each image's outputs are pooled right after its product, while they are in cache. */
    @Override public Tensor[] conv2dMaxPool(Tensor x, Tensor w, Tensor b, Conv2d spec, Pool2d pool) {
        Checks.convBias(x, w, b);
        return convolution.conv2dMaxPool(x, w, b, spec, pool);
    }

    /** Where the direct weight gradient runs (few output channels), the bias gradient is summed as it reads dy. */
    @Override public Tensor[] conv2dBackwardWeightBias(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        return convolution.conv2dBackwardWeightBias(x, dy, wShape, spec);
    }

    /** Float32: the bias joins each tile of the product as it is stored ({@link CpuLinalg#linear}). */
    @Override public Tensor linear(Tensor x, Tensor w, Tensor b) {
        Tensor y = linalg.linear(x, w, b);
        return y != null ? y : Fused.super.linear(x, w, b);
    }

    /** Float32 reads and writes the heads in place ({@link CpuAttention}); float64 composes the primitives. */
    @Override public Tensor[] selfAttention(Tensor qkv, int heads, double scale, Tensor mask) {
        return qkv.dtype() == DType.FLOAT32 ? attention.forward(qkv, heads, scale, mask) : Fused.super.selfAttention(qkv, heads, scale, mask);
    }

    @Override public Tensor selfAttentionBackward(Tensor dy, Tensor qkv, Tensor p, int heads, double scale) {
        return qkv.dtype() == DType.FLOAT32 ? attention.backward(dy, qkv, p, heads, scale) : Fused.super.selfAttentionBackward(dy, qkv, p, heads, scale);
    }

    @Override public Tensor recurrentMatmul(Tensor x, Tensor w, boolean transW) {
        return cells(x) ? RecurrentMatmul.product(backend, x, w, transW) : Fused.super.recurrentMatmul(x, w, transW);
    }

    private boolean cells(Tensor state) { return simd && state.dtype() == DType.FLOAT32; }

    /** Whether the fused float32 batch norm may run: (N, C, H, W) images, SIMD on (BatchNorms is a Vector API class). */
    private boolean images(Tensor x) { return cells(x) && x.shape().rank() == 4; }

    /** Whether the fused float32 layer norm may run: rows along a last axis, SIMD on (LayerNorms is a Vector API class). */
    private boolean rows(Tensor x) { return cells(x) && x.shape().rank() >= 1; }

    /** The tensors given: γ and β of a layer norm may be null (none). */
    private static Tensor[] present(Tensor... xs) { return java.util.Arrays.stream(xs).filter(java.util.Objects::nonNull).toArray(Tensor[]::new); }
}
