package io.github.knetj.api;

/**
 * Convolution and max pooling over NCHW images, forward and backward: five required primitives. Average pooling and
 * transposed convolution are optional kernels in {@link Fused}, composed from these.
 */
public interface Convolution {
    /** y = x ⋆ w: x (N,C,H,W), w (O,C,kh,kw) → (N,O,Ho,Wo); no bias (add it with broadcasting). */
    Tensor conv2d(Tensor x, Tensor w, Conv2d spec);

    /** ∂L/∂x of conv2d given dy = ∂L/∂y; {@code xShape} fixes H and W when the stride leaves them ambiguous. */
    Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec);

    /** ∂L/∂w of conv2d given x and dy. */
    Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec);

    Tensor maxPool2d(Tensor x, Pool2d spec);

    /** Routes each dy to the (first) largest element of its window in x. */
    Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d spec);
}
