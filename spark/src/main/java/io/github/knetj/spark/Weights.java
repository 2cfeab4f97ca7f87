package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;

import java.io.Serializable;
import java.util.List;

/**
 * A model's parameters as plain arrays, in {@link io.github.knetj.layers.Params#of} order: what the driver broadcasts
 * at every step. Tensors live on one backend and do not serialize; arrays do, and every executor turns them back
 * into tensors on its own backend. Values travel as float64 whatever the training dtype, so a float32 value
 * arrives exactly (at twice the bytes: docs/scale-out.md counts them).
 *
 * @param shapes the dims of each parameter
 * @param values each parameter's values, row-major
 */
public record Weights(int[][] shapes, double[][] values) implements Serializable {
    /** The current values of these parameters. */
    public static Weights of(List<Param> params) {
        int[][] shapes = new int[params.size()][];
        double[][] values = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            Tensor t = params.get(i).data();
            shapes[i] = t.shape().dims();
            values[i] = t.backend().memory().toDoubleArray(t);
        }
        return new Weights(shapes, values);
    }

    /** Sets each parameter to these values, on the parameter's own backend and in its dtype; shapes must match. */
    public void applyTo(List<Param> params) {
        check(params);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            p.set(p.data().backend().memory().fromArray(values[i], Shape.of(shapes[i]), p.dtype()));
        }
    }

    /** Fails, naming the parameter, unless these arrays fit the parameters one for one. */
    public void check(List<Param> params) {
        if (params.size() != values.length)
            throw new IllegalArgumentException("Weights: " + values.length + " arrays for a model of " + params.size() + " parameters");
        for (int i = 0; i < params.size(); i++)
            if (!params.get(i).shape().equals(Shape.of(shapes[i])))
                throw new IllegalArgumentException("Weights: parameter " + i + " has shape " + params.get(i).shape() + ", the arrays " + Shape.of(shapes[i]));
    }

    /** The number of scalars, all parameters together. */
    public long scalars() {
        long n = 0;
        for (double[] v : values) n += v.length;
        return n;
    }

    /** A tensor of these dims from values, on the parameter's backend, in dtype. */
    static Tensor tensor(Param like, double[] values, DType dtype) {
        return like.data().backend().memory().fromArray(values, like.shape(), dtype);
    }
}
