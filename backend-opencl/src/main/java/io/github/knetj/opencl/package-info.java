/**
 * The OpenCL backend: every kernel of the SPI in OpenCL C through JOCL, on GPUs and on CPU devices such as PoCL.
 * <p>
 * How it is put together: {@link io.github.knetj.opencl.OpenClBackendProvider} (service-loader entry, availability,
 * priority 200 on a GPU and 50 on a CPU device) finds devices with {@code OpenClDevices}; {@code ClContext} holds the
 * context, the in-order queue and the programs (each kernel file compiled once per dtype with {@code -D} options);
 * {@code BufferPool} recycles device buffers by size bucket; {@code ClTensor} owns a pooled buffer, joins the current
 * {@link io.github.knetj.api.TensorScope} and has a {@link java.lang.ref.Cleaner} as a safety net.
 * <p>
 * The kernels, one file per concern under {@code resources/io/github/knetj/opencl/kernels/}:
 * <table>
 * <caption>Kernel files, their kernels and the Java class that launches them</caption>
 * <tr><th>file</th><th>kernels</th><th>launched by</th></tr>
 * <tr><td>prelude.cl</td><td>{@code real}, {@code acc_t}, {@code strided_offset} (shared by every file)</td><td>ClContext</td></tr>
 * <tr><td>memory.cl</td><td>fill, cast_from_float, cast_from_double</td><td>ClMemory, ClLayout (pad)</td></tr>
 * <tr><td>layout.cl</td><td>gather, scatter, gather3, scatter3</td><td>ClLayout (also for products and reductions)</td></tr>
 * <tr><td>elementwise.cl</td><td>unary, binary_same (256 elements a work-item), binary_broadcast, binary_broadcast3, binary_rows3 (a bias along rows), affine, adam_step</td><td>ClElementwise</td></tr>
 * <tr><td>reduce.cl</td><td>reduce_axis, reduce_outer_inner, reduce_parts, reduce_finish, argmax_axis</td><td>ClReductions</td></tr>
 * <tr><td>matmul_cpu.cl</td><td>pack_panels, matmul_cpu (register tiles of ROWS rows × two real16 panels, B read in place when its panels lie contiguous, A's inner index in runs, no local memory, an optional bias per row or column added as C is stored)</td><td>ClLinalg on CPU devices</td></tr>
 * <tr><td>matmul_gpu.cl</td><td>matmul_tiled (16×16 local-memory tiles)</td><td>ClLinalg on GPUs</td></tr>
 * <tr><td>conv.cl</td><td>im2col, im2col_valid, col2im, im2col_panels, im2col_panels_valid, sum_partials</td><td>ClConvolution (with ClLinalg's products)</td></tr>
 * <tr><td>pool.cl</td><td>max_pool, max_pool_2x2, max_pool_backward, max_pool_2x2_backward, max_pool_backward_disjoint, avg_pool, avg_pool_backward</td><td>ClConvolution</td></tr>
 * <tr><td>nn.cl</td><td>softmax_axis, gather_rows, scatter_add_rows, pick_classes, place_classes</td><td>ClNN</td></tr>
 * </table>
 * Settings: {@code knetj.opencl.device} / {@code KNETJ_OPENCL_DEVICE} picks a device (platform:device, a flat index or
 * a name substring); {@code knetj.opencl.rows} sets the rows of the CPU product's register tile (default 6).
 */
package io.github.knetj.opencl;
