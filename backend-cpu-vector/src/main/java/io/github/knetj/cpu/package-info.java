/**
 * The CPU backend: every kernel of the SPI in float32 and float64 on {@link io.github.knetj.api.HostTensor}s. This
 * package is the simple path, one file per concern, readable without the speed machinery; the SIMD loops, packed
 * matrix products, Winograd convolutions and the thread team live in {@link io.github.knetj.cpu.fast}, which the files
 * here call at a few marked choice points (the kernel table, the convolution dispatcher, the fused recurrent cells).
 * <table>
 * <caption>What each file holds</caption>
 * <tr><th>file</th><th>what</th></tr>
 * <tr><td>{@link io.github.knetj.cpu.CpuBackend}, {@code CpuBackendProvider}</td><td>the backend, its configuration (threads, SIMD) and its ServiceLoader entry</td></tr>
 * <tr><td>{@code Kernels}</td><td>the table of inner loops every op is built from (SIMD on: {@code fast.VectorKernels})</td></tr>
 * <tr><td>{@code ScalarKernels}</td><td>its plain-loop form, SIMD off, summing in double like the reference backend</td></tr>
 * <tr><td>{@code Gemm}</td><td>the matrix-product interface, and the column products convolutions use</td></tr>
 * <tr><td>{@code ScalarGemm}</td><td>the plain-loop matrix product (SIMD off, and the packed kernels' small-matrix path)</td></tr>
 * <tr><td>{@code Host}</td><td>helpers every op group shares: checking inputs, reading their arrays, making outputs</td></tr>
 * <tr><td>{@code ArrayPool}</td><td>the caching allocator behind {@code Host}'s outputs inside a tensor scope</td></tr>
 * <tr><td>{@code CpuMemory}</td><td>copies in and out</td></tr>
 * <tr><td>{@code CpuLayout}, {@code StridedCopy}</td><td>reshape, permute, broadcast, slice, pad, concat; the one strided copy behind them</td></tr>
 * <tr><td>{@code CpuElementwise}</td><td>unary, binary with broadcasting, affine</td></tr>
 * <tr><td>{@code CpuReductions}</td><td>sum, mean, max, logsumexp, argmax</td></tr>
 * <tr><td>{@code CpuLinalg}</td><td>matmul (2-D, batched, 3-D·2-D), linear</td></tr>
 * <tr><td>{@code CpuConvolution}</td><td>conv2d and pooling entry points: picks Winograd, the direct weight gradient or im2col</td></tr>
 * <tr><td>{@code Im2colConvolution}</td><td>convolution as im2col + matrix product, all three passes, every dtype</td></tr>
 * <tr><td>{@code Im2col}</td><td>unfolding an image into columns, and its adjoint</td></tr>
 * <tr><td>{@code Padding}</td><td>zero-padded copies of images for the strategies that read panels straight from the image</td></tr>
 * <tr><td>{@code Pooling}</td><td>max and average pooling, forward and backward (2×2 stride 2 float32: {@code fast.MaxPool2x2})</td></tr>
 * <tr><td>{@code CpuNN}</td><td>softmax, log-softmax, row and class gathers and scatters, the recurrent cells</td></tr>
 * </table>
 */
package io.github.knetj.cpu;
