/**
 * JMH benchmarks of the CPU backend: the matrix product, conv2d forward and backward, element-wise ops and
 * reductions, and one training step of LeNet and of the MLP. Every benchmark forks one JVM with the Vector API module
 * and runs on {@code threads} pool threads (2 by default, the peers' setting). Nothing here runs at test time; see
 * docs/benchmarks.md for how to run them and for the numbers.
 */
package io.github.knetj.bench;
