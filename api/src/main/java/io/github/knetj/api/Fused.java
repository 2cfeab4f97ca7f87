package io.github.knetj.api;

/**
 * The optional kernels: every one has a default composed from the required primitives (the abstract methods of
 * {@link Memory}, {@link Layout}, {@link Elementwise}, {@link Reductions}, {@link Linalg}, {@link Convolution} and
 * {@link NN}; see {@link Backend}), so a backend that implements only those runs every op, just slower. A backend
 * returns its own {@code Fused} from {@link Backend#fused()} to replace some of these with one-pass kernels: the CPU
 * backend's Adam step, LSTM cell and softmax are here. The TCK checks every kernel of this interface against the
 * reference backend, defaults included.
 */
public interface Fused {
    /** The backend whose primitives the defaults compose. */
    Backend backend();

    // ---- element-wise ----------------------------------------------------------------------------------------------

    /** Any {@link UnaryOp}: the backend's kernel for the primitives, a composition of them for the others. */
    default Tensor unary(UnaryOp op, Tensor x, double param) {
        return op.primitive() ? backend().elementwise().unary(op, x, param) : Composed.unary(backend(), op, x, param);
    }

    default Tensor unary(UnaryOp op, Tensor x) { return unary(op, x, op.defaultParam()); }

    /** Any {@link BinaryOp}: the backend's kernel for the primitives, a composition of them for the others. */
    default Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return op.primitive() ? backend().elementwise().binary(op, a, b) : Composed.binary(backend(), op, a, b);
    }

    /** {@code scale·x + shift}; one pass where a backend has the kernel. */
    default Tensor affine(Tensor x, double scale, double shift) {
        Elementwise e = backend().elementwise();
        Tensor y = scale == 1 ? x : e.binary(BinaryOp.MUL, x, Composed.constant(x, scale));
        return shift == 0 && scale != 1 ? y : e.binary(BinaryOp.ADD, y, Composed.constant(x, shift));
    }

    // ---- gradients of element-wise ops -----------------------------------------------------------------------------

    /**
     * GELU's gradient for dy: dy·(Φ(x) + x·φ(x)), Φ and φ the standard normal CDF and density. Composed, it is ten
     * passes over x (each with a fresh result); the CPU backend's is one.
     */
    default Tensor geluBackward(Tensor x, Tensor dy) { return Composed.geluBackward(backend(), x, dy); }

    /**
     * ReLU's gradient for dy: dy·step(x), step(x) = 1 where x > 0, else 0 (0 at x = 0, as PyTorch's). Composed, it is
     * two passes and a mask tensor; the CPU and OpenCL backends' is one pass with the same products, so the same bits.
     */
    default Tensor reluBackward(Tensor x, Tensor dy) { return Composed.reluBackward(backend(), x, dy); }

    // ---- reductions ------------------------------------------------------------------------------------------------

    /** The mean over axes: the sum divided by the count. */
    default Tensor mean(Tensor x, int[] axes, boolean keepdims) {
        Tensor s = backend().reductions().sum(x, axes, keepdims);
        double n = (double) x.shape().size() / Math.max(1, s.shape().size());
        return backend().elementwise().binary(BinaryOp.DIV, s, Composed.constant(x, n));
    }

    /** log Σ e^x over axes, stable: m + log Σ e^(x − m) with m the max (0 where the max is infinite). */
    default Tensor logsumexp(Tensor x, int[] axes, boolean keepdims) { return Composed.logsumexp(backend(), x, axes, keepdims); }

    /**
     * Indices of the largest element along {@code axis}, one per position of the other axes, row-major
     * (for a (N, C) tensor and axis 1: the predicted class of each row). Ties give the first index.
     */
    default int[] argmax(Tensor x, int axis) { return Composed.argmax(backend(), x, axis); }

    // ---- layout and products ---------------------------------------------------------------------------------------

    /** {@code before[a]} and {@code after[a]} cells of {@code value} added around each axis a. */
    default Tensor pad(Tensor x, int[] before, int[] after, double value) { return Composed.pad(backend(), x, before, after, value); }

    /** {@code y = x wᵀ + b} with x (N, in), w (out, in), b (out) or null: the product and the bias in one call. */
    default Tensor linear(Tensor x, Tensor w, Tensor b) {
        Checks.linear(x, w, b);
        Tensor y = backend().linalg().matmul(x, w, false, true);
        return b == null ? y : backend().elementwise().binary(BinaryOp.ADD, y, b);
    }

    /**
     * {@code y = w ⋆ x + b}: {@link Convolution#conv2d} with a bias b of shape (1, out, 1, 1), or null, added to every
     * image and pixel of its output channel (a convolution layer's forward in one call, so that a backend can add the
     * bias while each image's outputs are still in cache instead of in a pass of its own over them).
     */
    default Tensor conv2d(Tensor x, Tensor w, Tensor b, Conv2d spec) {
        Checks.convBias(x, w, b);
        Tensor y = backend().convolution().conv2d(x, w, spec);
        return b == null ? y : backend().elementwise().binary(BinaryOp.ADD, y, b);
    }

    /**
     * {@code {y, pool(y)}} for {@code y = w ⋆ x + b}: {@link #conv2d} and {@link Convolution#maxPool2d} of its output in one
     * call, so that a backend can pool each image's outputs while they are still in cache instead of reading the whole
     * output back in a pass of its own (a convolution layer followed by max pooling, as in LeNet). Both outputs are
     * returned: max pooling's backward pass reads y.
     */
    default Tensor[] conv2dMaxPool(Tensor x, Tensor w, Tensor b, Conv2d spec, Pool2d pool) {
        Tensor y = conv2d(x, w, b, spec);
        return new Tensor[] {y, backend().convolution().maxPool2d(y, pool)};
    }

    /**
     * {@code {dW, db}}: {@link Convolution#conv2dBackwardWeight} and the bias gradient db (1, O, 1, 1), dy summed over the
     * images and pixels, in one call, so that a backend can sum db while it reads dy for dW instead of in a pass of its
     * own over dy (a convolution layer's backward pass).
     */
    default Tensor[] conv2dBackwardWeightBias(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        Tensor dw = backend().convolution().conv2dBackwardWeight(x, dy, wShape, spec);
        return new Tensor[] {dw, backend().reductions().sumTo(dy, Shape.of(1, wShape.dim(0), 1, 1))};
    }

    // ---- pooling and transposed convolution ------------------------------------------------------------------------

    /** Average pooling: a convolution of every channel with a window of ones, divided by the cells counted. */
    default Tensor avgPool2d(Tensor x, Pool2d spec) { return Composed.avgPool2d(backend(), x, spec); }

    /** The gradient of average pooling: dy divided by the cells counted, spread back over each window. */
    default Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) { return Composed.avgPool2dBackward(backend(), dy, xShape, spec); }

    /**
     * Transposed convolution (the gradient of conv2d wrt its input, used as a layer): x (N,Cin,H,W),
     * w (Cin,Cout,kh,kw) as in PyTorch.
     */
    default Tensor convTranspose2d(Tensor x, Tensor w, Conv2d spec, int outPadH, int outPadW) {
        return backend().convolution().conv2dBackwardInput(x, w, spec.transposedOutputShape(x.shape(), w.shape(), outPadH, outPadW), spec);
    }

    // ---- normalisation ---------------------------------------------------------------------------------------------

    /**
     * Batch normalisation in training mode of x (N, C) or (N, C, H, W) over every axis but the channels, with γ and β
     * of shape (C): {y, μ (C), σ² (C)}, μ the batch mean and σ² the biased variance, y = (x − μ)/√(σ² + ε)·γ + β.
     * Composed, it is about ten passes over x; the CPU backend's is three.
     */
    default Tensor[] batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps) { return ComposedNorm.forward(backend(), x, gamma, beta, eps); }

    /**
     * The gradients of {@link #batchNorm} for dy, from x and its μ and σ²: {dx, dγ, dβ}. With x̂ = (x − μ)/√(σ² + ε)
     * and m elements per channel: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/√(σ² + ε)·(dy − dβ/m − x̂·dγ/m).
     */
    default Tensor[] batchNormBackward(Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        return ComposedNorm.backward(backend(), dy, x, mean, var, gamma, eps);
    }

    /**
     * Layer normalisation of x (..., D) over its last axis, with γ and β of shape (D) or null (none): {y, μ, σ²}, μ and
     * σ² of each row, shaped (..., 1), y = (x − μ)/√(σ² + ε)·γ + β. Composed, it is about six passes over x; the CPU
     * backend's is one per row.
     */
    default Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) { return ComposedNorm.layerForward(backend(), x, gamma, beta, eps); }

    /**
     * The gradients of {@link #layerNorm} for dy, from x and its μ and σ²: {dx, dγ, dβ}, dγ null when γ is (no scale).
     * With x̂ = (x − μ)/√(σ² + ε), ĝ = dy·γ and means over each row: dx = (ĝ − mean ĝ − x̂·mean(ĝ·x̂))/√(σ² + ε), and
     * over every row, dγ = Σ dy·x̂, dβ = Σ dy, both of shape (D).
     */
    default Tensor[] layerNormBackward(Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        return ComposedNorm.layerBackward(backend(), dy, x, mean, var, gamma, eps);
    }

    // ---- softmax and class picks -----------------------------------------------------------------------------------

    /** e^x / Σ e^x along {@code axis}, stable (the max is subtracted first). */
    default Tensor softmax(Tensor x, int axis) { return Composed.softmax(backend(), x, axis, false); }

    /** x − logsumexp(x) along {@code axis}, stable. */
    default Tensor logSoftmax(Tensor x, int axis) { return Composed.softmax(backend(), x, axis, true); }

    /**
     * Softmax's gradient along axis for dy, from its output y: dx = y ⊙ (dy − Σ dy ⊙ y), the sum along the axis.
     * Composed, it is four passes; the CPU backend's is one row at a time, in cache.
     */
    default Tensor softmaxBackward(Tensor y, Tensor dy, int axis) { return Composed.softmaxBackward(backend(), y, dy, axis); }

    /** x[i, labels[i]] for x (N, C) → (N): the log-probability of each example's label; a row gather. */
    default Tensor pickClasses(Tensor x, int[] labels) { return Composed.pickClasses(backend(), x, labels); }

    /** The gradient of pickClasses: g (N) placed at [i, labels[i]] of a zero (N, classes) tensor; a row scatter. */
    default Tensor placeClasses(Tensor g, int[] labels, int classes) { return Composed.placeClasses(backend(), g, labels, classes); }

    // ---- recurrent cells (equations in ComposedCells) --------------------------------------------------------------

    /** One LSTM cell step from gates (B, 4H) and c (B, H): {h', c', act (B, 5H)}; see {@link ComposedCells#lstmCell}. */
    default Tensor[] lstmCell(Tensor gates, Tensor c) { return ComposedCells.lstmCell(gates, c); }

    /** The backward pass of {@link #lstmCell}: {dgates (B, 4H), dc (B, H)}; see {@link ComposedCells#lstmCellBackward}. */
    default Tensor[] lstmCellBackward(Tensor dh, Tensor dc, Tensor act, Tensor c) { return ComposedCells.lstmCellBackward(dh, dc, act, c); }

    /** One GRU cell step: {h' (B, H), act (B, 3H)}; see {@link ComposedCells#gruCell}. */
    default Tensor[] gruCell(Tensor xg, Tensor hg, Tensor h) { return ComposedCells.gruCell(xg, hg, h); }

    /** The backward pass of {@link #gruCell}: {dxg, dhg, dh_prev}; see {@link ComposedCells#gruCellBackward}. */
    default Tensor[] gruCellBackward(Tensor dh, Tensor act, Tensor hg, Tensor h) { return ComposedCells.gruCellBackward(dh, act, hg, h); }

    /**
     * x·W_hhᵀ ({@code transW}) or x·W_hh: the hidden product of a recurrent layer's step. The same {@code w} comes back
     * at every step, so a backend may keep it prepared (packed) between calls, which is safe because tensors are
     * immutable.
     */
    default Tensor recurrentMatmul(Tensor x, Tensor w, boolean transW) { return backend().linalg().matmul(x, w, false, transW); }

    // ---- attention -------------------------------------------------------------------------------------------------

    /**
     * Self-attention of packed projections, as PyTorch's multi-head attention computes it after its in-projection:
     * qkv (B, T, 3E) holds q, k and v side by side; per head i of h, Pᵢ = softmax(c·qᵢ kᵢᵀ + M) and yᵢ = Pᵢ vᵢ, with the
     * scale c (1/√(E/h) usually) applied to q and M an additive mask broadcast to (B, h, T, T) (or null). Returns
     * {y (B, T, E), P (B·h, T, T)}, P for the backward pass. The default slices, permutes and merges the heads around
     * two batched products; the CPU backend reads and writes them in place.
     */
    default Tensor[] selfAttention(Tensor qkv, int heads, double scale, Tensor mask) { return ComposedAttention.forward(backend(), qkv, heads, scale, mask); }

    /** The gradient with respect to qkv of {@link #selfAttention}'s y, given dy (B, T, E) and its P: (B, T, 3E). */
    default Tensor selfAttentionBackward(Tensor dy, Tensor qkv, Tensor p, int heads, double scale) {
        return ComposedAttention.backward(backend(), dy, qkv, p, heads, scale);
    }

    // ---- optimizer steps -------------------------------------------------------------------------------------------

    /**
     * One Adam update, as torch.optim.Adam: returns {@code {w', m', v'}} with m' = β1·m + (1 − β1)·g,
     * v' = β2·v + (1 − β2)·g² and w' = w − stepSize·m' / (denomScale·√v' + eps), where stepSize is lr / (1 − β1^t) and
     * denomScale 1 / √(1 − β2^t). Composed, it makes about a dozen temporaries; the CPU backend's is one pass.
     */
    default Tensor[] adamStep(Tensor w, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double stepSize, double denomScale, double eps) {
        Tensor m1 = axpby(beta1, m, 1 - beta1, g);
        Tensor v1 = axpby(beta2, v, 1 - beta2, backend().elementwise().binary(BinaryOp.MUL, g, g));
        Tensor denom = affine(unary(UnaryOp.SQRT, v1), denomScale, eps);
        return new Tensor[] {axpby(1, w, -stepSize, backend().elementwise().binary(BinaryOp.DIV, m1, denom)), m1, v1};
    }

    /** One gradient-descent update, {@code w − lr·d}, where d is the gradient or SGD's momentum direction. */
    default Tensor sgdStep(Tensor w, Tensor d, double lr) { return axpby(1, w, -lr, d); }

    /** a·x + b·y, skipping the scaling where a coefficient is 1 (so the default keeps the optimizer's rounding). */
    private Tensor axpby(double a, Tensor x, double b, Tensor y) {
        return backend().elementwise().binary(BinaryOp.ADD, a == 1 ? x : affine(x, a, 0), b == 1 ? y : affine(y, b, 0));
    }

    // ---- memory ----------------------------------------------------------------------------------------------------

    /**
     * A float32 tensor made from {@code data}, which the caller hands over and never reads or writes again: a backend
     * whose tensors are Java arrays may keep the array itself instead of copying it (a data loader's batches).
     */
    default Tensor adopt(float[] data, Shape shape) { return backend().memory().fromArray(data, shape); }
}
