/**
 * The CPU backend: every kernel of the SPI in float32 and float64 on {@link io.github.knetj.api.HostTensor}s, with
 * jdk.incubator.vector SIMD and one shared thread pool. One file per concern:
 * <table>
 * <caption>Where each kernel lives</caption>
 * <tr><th>file</th><th>what</th></tr>
 * <tr><td>{@link io.github.knetj.cpu.CpuBackend}, {@code CpuBackendProvider}</td><td>the backend, its configuration (threads, SIMD) and its ServiceLoader entry</td></tr>
 * <tr><td>{@code Parallel}</td><td>the shared pool and the parallel loops</td></tr>
 * <tr><td>{@code Kernels}: {@code ScalarKernels}, {@code VectorKernels} ({@code FloatLoops}, {@code DoubleLoops})</td><td>the table of inner loops, SIMD off and on</td></tr>
 * <tr><td>{@code Gemm}: {@code ScalarGemm}, {@code PackedSgemm}, {@code PackedDgemm}</td><td>matrix products: plain loops, packed register-blocked float32 and float64</td></tr>
 * <tr><td>{@code CpuMemory}, {@code CpuLayout} ({@code StridedCopy})</td><td>copies in and out; reshape, permute, broadcast, slice, pad, concat</td></tr>
 * <tr><td>{@code CpuElementwise}</td><td>unary, binary with broadcasting, affine</td></tr>
 * <tr><td>{@code CpuReductions}</td><td>sum, mean, max, logsumexp, argmax</td></tr>
 * <tr><td>{@code CpuLinalg}</td><td>matmul (2-D, batched, 3-D·2-D), linear</td></tr>
 * <tr><td>{@code CpuConvolution} ({@code Im2col}), {@code Pooling}</td><td>conv2d and its backward passes; max and average pooling</td></tr>
 * <tr><td>{@code CpuNN}</td><td>softmax, log-softmax, row and class gathers and scatters</td></tr>
 * </table>
 */
package io.github.knetj.cpu;
