/**
 * The CPU backend's speed machinery: jdk.incubator.vector loops, packed register-blocked matrix products, Winograd
 * convolutions and the thread team every kernel shares. Each class here computes the same thing as a simple path in
 * {@link io.github.knetj.cpu}, faster; the float32 and float64 loops are twins, line for line. Several bodies are
 * shaped by C2's inlining budget (a helper left uninlined boxes its vectors) and by bits that must not change when the
 * JIT compiles a loop, as their comments say: edit them only with a benchmark and the bit-identity tests at hand.
 * <p>
 * One rule for every loop: <b>a vector operation's receiver is a vector just made</b> (loaded, broadcast, or the result
 * of another operation in this step), never a sum carried from one step to the next: write {@code acc = x.add(acc)},
 * not {@code acc = acc.add(x)}. {@code FloatVector.add}, {@code max}, {@code mul} and the rest dispatch to the vector's
 * class through one shared type profile; where 256-bit code (the convolutions' rows) and 512-bit code both ran it, C2
 * cannot resolve the call from the profile, and only a receiver whose class it knows gets the intrinsic. A carried sum's
 * class stays unknown inside its loop, so that call stays virtual and runs the Vector API's lane-by-lane fallback: in
 * about a fifth of LeNet runs conv1's bias gradient did, and those runs' epochs took 7.1–7.9 s instead of 5.5–6.2.
 * {@code scripts/jit-hazard.sh} shows such loops on purpose: with {@code -XX:TypeProfileWidth=0} no profile helps.
 * <table>
 * <caption>What each file holds</caption>
 * <tr><th>file</th><th>what</th></tr>
 * <tr><td>{@code Parallel}</td><td>the one team of threads and the parallel loops over it</td></tr>
 * <tr><td>{@code ImageLoop}</td><td>the loop over a batch's images every convolution strategy runs in</td></tr>
 * <tr><td>{@code VectorKernels}</td><td>the SIMD kernel table; the only entry point that names the Vector API</td></tr>
 * <tr><td>{@code FloatLoops}, {@code DoubleLoops}</td><td>the float32 and float64 SIMD element-wise and reduction loops</td></tr>
 * <tr><td>{@code VectorMath}</td><td>float32 exp, expm1, log, log1p, tanh, sigmoid on whole vectors, IEEE-exact operations only</td></tr>
 * <tr><td>{@code PackedSgemm}, {@code PackedDgemm}</td><td>the packed float32 and float64 matrix products (GotoBLAS structure)</td></tr>
 * <tr><td>{@code PanelPacking}</td><td>how the float32 product copies A into panels of 5 or 10 rows and B into panels of 2 vectors</td></tr>
 * <tr><td>{@code TallKernel}</td><td>the float32 product's 10-row micro-kernel, for 512-bit vectors (the 5-row one is in {@code PackedSgemm})</td></tr>
 * <tr><td>{@code InPlaceKernels}</td><td>the 5-row micro-kernel with A read where it lies: a matrix by its strides, an image's rows</td></tr>
 * <tr><td>{@code SharedPanels}</td><td>large float32 products on the whole team, each block of steps packed once and shared</td></tr>
 * <tr><td>{@code DotSgemm}</td><td>float32 A·Bᵀ as dot products without packing, for small m and long k</td></tr>
 * <tr><td>{@code ColumnPanels}</td><td>im2col fused into packing: panels of an image's column matrix read straight from the image</td></tr>
 * <tr><td>{@code Winograd}</td><td>float32 3×3 stride-1 convolutions by F(2×2, 3×3), all three passes</td></tr>
 * <tr><td>{@code DirectWeightGradient}</td><td>the float32 weight gradient of convolutions with few output channels</td></tr>
 * <tr><td>{@code MaxPool2x2}, {@code FloatPoolLoops}</td><td>2×2 stride-2 float32 max pooling: plane loops, and their SIMD form</td></tr>
 * <tr><td>{@code RecurrentCells}</td><td>the fused float32 LSTM and GRU cells, forward and backward</td></tr>
 * <tr><td>{@code RecurrentMatmul}</td><td>the recurrent product x·op(W) on a hidden weight packed once per sequence</td></tr>
 * <tr><td>{@code BatchNorms}, {@code LayerNorms}</td><td>float32 batch and layer normalisation, forward and backward, one pass each</td></tr>
 * <tr><td>{@code GradientLoops}</td><td>float32 backward passes of GELU, softmax and ReLU as one SIMD loop each</td></tr>
 * <tr><td>{@code KernelWarmUp}</td><td>a thread that runs the element-wise loops and a dense layer's three products on small arrays at start-up, so that C2 compiles them early</td></tr>
 * <tr><td>{@code OptimizerLoops}</td><td>the optimizer updates (Adam's float32 step in double, as the reference computes it) as SIMD loops</td></tr>
 * </table>
 */
package io.github.knetj.cpu.fast;
