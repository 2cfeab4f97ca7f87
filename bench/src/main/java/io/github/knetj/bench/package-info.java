/**
 * JMH benchmarks of the CPU backend: the matrix product, conv2d forward and backward, element-wise ops and
 * reductions, and one training step of LeNet and of the MLP. Every benchmark forks one JVM with the Vector API module
 * and runs on {@code threads} pool threads (2 by default, the peers' setting) of the backend named by {@code backend}
 * ("cpu" by default; {@code -p backend=opencl} picks another), found at run time through
 * {@link io.github.knetj.api.Backends} by {@code BenchBackend}: this module compiles against the API only. Nothing here
 * runs at test time; see docs/benchmarks.md for how to run them and for the numbers.
 */
package io.github.knetj.bench;
