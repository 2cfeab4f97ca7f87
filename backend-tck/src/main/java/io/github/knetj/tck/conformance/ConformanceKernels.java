package io.github.knetj.tck.conformance;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.tck.conformance.ConformanceKernelSuite.KernelResult;

import java.util.Locale;
import java.util.Map;

/**
 * How each conformance op maps onto the kernels of a backend, forward and (where it is kernel-level) backward. The
 * gradients are vector-Jacobian products with the case's upstream tensor {@code up}.
 */
final class ConformanceKernels {
    private ConformanceKernels() {}

    static KernelResult run(Backend b, Case c, Map<String, Tensor> in, Map<String, Tensor> ups) {
        Attrs at = c.attrs();
        Tensor up = ups.get("y");
        return switch (c.op()) {
            case "add", "sub", "mul", "div", "pow", "maximum", "minimum" -> binary(b, c.op(), in.get("a"), in.get("b"), up);
            case "sum" -> KernelResult.of(b.reductions().sum(in.get("x"), at.getInts("axes"), at.getBoolean("keepdims")));
            case "mean" -> KernelResult.of(b.fused().mean(in.get("x"), at.getInts("axes"), at.getBoolean("keepdims")));
            case "max" -> KernelResult.of(b.reductions().max(in.get("x"), at.getInts("axes"), at.getBoolean("keepdims")));
            case "logsumexp" -> KernelResult.of(b.fused().logsumexp(in.get("x"), new int[] {at.getInt("axis")}, at.getBoolean("keepdims", false)));
            case "softmax" -> KernelResult.of(b.fused().softmax(in.get("x"), at.getInt("axis")));
            case "log_softmax" -> KernelResult.of(b.fused().logSoftmax(in.get("x"), at.getInt("axis")));
            case "matmul" -> {
                Tensor a = in.get("a"), m = in.get("b");
                yield KernelResult.of(b.linalg().matmul(a, m))
                        .grad("a", b.linalg().matmul(up, m, false, true))      // dA = up·Bᵀ
                        .grad("b", b.linalg().matmul(a, up, true, false));     // dB = Aᵀ·up
            }
            case "linear" -> {
                Tensor x = in.get("x"), w = in.get("w");
                yield KernelResult.of(b.fused().linear(x, w, in.get("b")))
                        .grad("x", b.linalg().matmul(up, w))                   // dx = up·W
                        .grad("w", b.linalg().matmul(up, x, true, false))      // dW = upᵀ·x
                        .grad("b", b.reductions().sum(up, new int[] {0}, false));
            }
            case "transpose" -> {
                int[] perm = at.getInts("perm"), inverse = new int[perm.length];
                for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
                yield KernelResult.of(b.layout().permute(in.get("x"), perm)).grad("x", b.layout().permute(up, inverse));
            }
            case "reshape" -> KernelResult.of(b.layout().reshape(in.get("x"), Shape.of(at.getInts("shape"))))
                    .grad("x", b.layout().reshape(up, in.get("x").shape()));
            case "concat" -> {
                Tensor a = in.get("a"), m = in.get("b");
                int axis = at.getInt("axis"), split = a.shape().dim(axis);
                yield KernelResult.of(b.layout().concat(axis, a, m))
                        .grad("a", b.layout().slice(up, axis, 0, split))
                        .grad("b", b.layout().slice(up, axis, split, up.shape().dim(axis)));
            }
            case "slice" -> slice(b, in.get("x"), at.getInt("axis"), at.getInt("start"), at.getInt("end"), up);
            case "conv2d" -> conv2d(b, in.get("x"), in.get("w"), in.get("b"), conv(at), up);
            case "conv_transpose2d" -> convTranspose2d(b, in.get("x"), in.get("w"), in.get("b"), conv(at), up);
            case "max_pool2d", "avg_pool2d" -> pool(b, c.op(), in.get("x"), at, up);
            case "embedding" -> embedding(b, in.get("weight"), c.input("indices"), up);
            case "nll_loss" -> nll(b, in.get("logp"), c.input("target").ints(), up);
            default -> unary(b, c.op(), at, in.get("x"));
        };
    }

    private static KernelResult unary(Backend b, String op, Attrs at, Tensor x) {
        UnaryOp u = UnaryOp.valueOf(op.toUpperCase(Locale.ROOT));
        double param = switch (u) {
            case ELU -> at.getDouble("alpha", u.defaultParam());
            case LEAKY_RELU -> at.getDouble("slope", u.defaultParam());
            default -> u.defaultParam();
        };
        return KernelResult.of(b.fused().unary(u, x, param));
    }

    /** Forward of every binary op; the gradients of add and sub are the upstream summed down to each operand's shape. */
    private static KernelResult binary(Backend b, String op, Tensor x, Tensor y, Tensor up) {
        KernelResult r = KernelResult.of(b.fused().binary(BinaryOp.valueOf(op.toUpperCase(Locale.ROOT)), x, y));
        if (op.equals("add")) return r.grad("a", b.reductions().sumTo(up, x.shape())).grad("b", b.reductions().sumTo(up, y.shape()));
        if (op.equals("sub")) return r.grad("a", b.reductions().sumTo(up, x.shape())).grad("b", b.reductions().sumTo(b.fused().unary(UnaryOp.NEG, up), y.shape()));
        return r;
    }

    /** The gradient of a slice is the upstream padded back with zeros to the input's shape. */
    private static KernelResult slice(Backend b, Tensor x, int axis, int start, int end, Tensor up) {
        int a = x.shape().axis(axis);
        int[] before = new int[x.rank()], after = new int[x.rank()];
        before[a] = start;
        after[a] = x.shape().dim(a) - end;
        return KernelResult.of(b.layout().slice(x, axis, start, end)).grad("x", b.fused().pad(up, before, after, 0));
    }

    private static Conv2d conv(Attrs at) {
        int[] s = at.getInts("stride"), p = at.getInts("padding"), d = at.has("dilation") ? at.getInts("dilation") : new int[] {1, 1};
        return new Conv2d(s[0], s[1], p[0], p[1], d[0], d[1]);
    }

    private static final int[] NHW = {0, 2, 3};

    private static KernelResult conv2d(Backend b, Tensor x, Tensor w, Tensor bias, Conv2d spec, Tensor up) {
        Tensor y = b.convolution().conv2d(x, w, spec);
        return KernelResult.of(bias == null ? y : ConformanceKernelSuite.addChannelBias(b, y, bias))
                .grad("x", b.convolution().conv2dBackwardInput(up, w, x.shape(), spec))
                .grad("w", b.convolution().conv2dBackwardWeight(x, up, w.shape(), spec))
                .grad("b", b.reductions().sum(up, NHW, false));
    }

    /**
     * conv_transpose2d is the adjoint of conv2d with w read as (O = Cin, C = Cout): its input gradient is conv2d of the
     * upstream, and its weight gradient is conv2d's weight gradient with the upstream as the image and x as dy.
     */
    private static KernelResult convTranspose2d(Backend b, Tensor x, Tensor w, Tensor bias, Conv2d spec, Tensor up) {
        Tensor y = b.fused().convTranspose2d(x, w, spec, 0, 0);
        return KernelResult.of(bias == null ? y : ConformanceKernelSuite.addChannelBias(b, y, bias))
                .grad("x", b.convolution().conv2d(up, w, spec))
                .grad("w", b.convolution().conv2dBackwardWeight(up, x, w.shape(), spec))
                .grad("b", b.reductions().sum(up, NHW, false));
    }

    private static KernelResult pool(Backend b, String op, Tensor x, Attrs at, Tensor up) {
        int[] win = at.getInts("window"), s = at.getInts("stride"), p = at.getInts("padding");
        Pool2d spec = new Pool2d(win[0], win[1], s[0], s[1], p[0], p[1], at.getBoolean("count_include_pad", true));
        if (op.equals("max_pool2d"))
            return KernelResult.of(b.convolution().maxPool2d(x, spec)).grad("x", b.convolution().maxPool2dBackward(up, x, spec));
        return KernelResult.of(b.fused().avgPool2d(x, spec)).grad("x", b.fused().avgPool2dBackward(up, x.shape(), spec));
    }

    /** An embedding is gatherRows of the flattened indices; its weight gradient is scatterAddRows of the upstream rows. */
    private static KernelResult embedding(Backend b, Tensor weight, NamedArray indices, Tensor up) {
        int[] idx = indices.ints();
        int rows = weight.shape().dim(0), width = weight.shape().dim(1);
        int[] outDims = new int[indices.shape().rank() + 1];
        System.arraycopy(indices.shape().dims(), 0, outDims, 0, indices.shape().rank());
        outDims[outDims.length - 1] = width;
        Tensor y = b.layout().reshape(b.nn().gatherRows(weight, idx), Shape.of(outDims));
        Tensor g = b.nn().scatterAddRows(b.layout().reshape(up, Shape.of(idx.length, width)), idx, rows);
        return KernelResult.of(y).grad("weight", g);
    }

    /** Mean NLL: −(1/N)·Σ logp[i, target[i]]; its gradient places −up/N at each example's target class. */
    private static KernelResult nll(Backend b, Tensor logp, int[] target, Tensor up) {
        int n = logp.shape().dim(0), classes = logp.shape().dim(1);
        Tensor y = b.fused().affine(b.reductions().sum(b.fused().pickClasses(logp, target), null, false), -1.0 / n, 0);
        Tensor g = b.fused().affine(b.layout().broadcastTo(up, Shape.of(n)), -1.0 / n, 0);
        return KernelResult.of(y).grad("logp", b.fused().placeClasses(g, target, classes));
    }
}
