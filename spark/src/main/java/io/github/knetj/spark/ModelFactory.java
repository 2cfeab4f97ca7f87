package io.github.knetj.spark;

import io.github.knetj.layers.Layer;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Builds a fresh model of the architecture being trained. Spark ships this factory, not the model, to every
 * executor: layers hold tensors, which do not travel, while a factory is a few bytes. Each executor builds its own
 * copy once and overwrites its parameters with the driver's at every step, so the factory's random initial values
 * never matter there. Write it as a method reference: {@code ModelFactory lenet = SparkModels::lenet;} (the target
 * type makes the lambda serializable).
 */
@FunctionalInterface
public interface ModelFactory extends Supplier<Layer>, Serializable {}
