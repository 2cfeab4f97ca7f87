package io.github.knetj.docs;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.viz.Graphs;

import java.util.Map;

/** Chapter 2's picture of a recorded graph: the library's {@link Graphs#svg(Value, Map, Map)}. */
final class GraphPicture {
    private GraphPicture() {}

    static String svg(Value root, Map<Value, String> names, Map<String, String> notes) { return Graphs.svg(root, names, notes); }
}
