package io.github.knetj.spark;

import io.github.knetj.optim.Optimizer;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Builds a fresh optimizer with the run's settings, for local SGD: each worker takes its own optimizer steps between
 * averagings, starting from the averaged state the driver broadcasts. {@code OptimizerFactory f = () -> Optimizers.adam(1e-3);}
 */
@FunctionalInterface
public interface OptimizerFactory extends Supplier<Optimizer>, Serializable {}
