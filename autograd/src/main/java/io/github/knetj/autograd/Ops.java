package io.github.knetj.autograd;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.autograd.AutoGrad.Value;

import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import static io.github.knetj.autograd.AutoGrad.record;

/**
 * Differentiable math on {@link Value}s: each op runs its kernel and records one rule, the chain rule for that
 * primitive, written with these same ops so that gradients can be differentiated again. Like Autodidax's rule
 * tables: adding an op is one method. Neural-network ops (conv4, pool, softmax, losses) are in {@link NNOps}.
 */
public final class Ops {
    private Ops() {}

    // ---- making values ---------------------------------------------------------------------------------------------

    /** A constant value holding t. */
    public static Value value(Tensor t) { return new Value(t); }

    /** A constant on the default backend and dtype ({@link Defaults}), from row-major data. */
    public static Value array(double[] data, int... dims) {
        return new Value(Defaults.backend().memory().fromArray(data, Shape.of(dims), Defaults.dtype()));
    }

    /** A parameter on the default backend and dtype, from row-major data. */
    public static AutoGrad.Param param(double[] data, int... dims) { return new AutoGrad.Param(array(data, dims).data()); }

    /** A rank-0 constant with x's backend and dtype. */
    public static Value scalar(double c, Value like) { return new Value(like.backend().memory().scalar(c, like.dtype())); }

    public static Value zerosLike(Value x) { return new Value(x.backend().memory().zeros(x.shape(), x.dtype())); }

    public static Value onesLike(Value x) { return new Value(x.backend().memory().ones(x.shape(), x.dtype())); }

    // ---- unary: y = f(x), dx = g · f'(x) ---------------------------------------------------------------------------

    /** Runs a unary kernel (the backend's, or its composition from primitives) and records {@code back(g, y)} as dx. */
    private static Value unary(UnaryOp op, Value x, double param, BiFunction<Value, Value, Value> back) {
        Tensor out = x.backend().fused().unary(op, x.data(), param);
        return record(op.label(), out, (g, y) -> new Value[]{back.apply(g, y)}, x);
    }

    /** A unary op with no gradient (masks and signs: their derivative is zero almost everywhere). */
    private static Value mask(UnaryOp op, Value x) { return new Value(x.backend().fused().unary(op, x.data())); }

    /** The derivative of a defined op: from x, the output y and its gradient g, the gradient of x. */
    @FunctionalInterface
    public interface Derivative { Value of(Value x, Value y, Value g); }

    /**
     * An element-wise op defined once, on every backend: its forward {@code f} composed of other ops (run on x's data
     * without recording, so the op is one node of the graph) and its derivative next to it, written with
     * differentiable ops so that higher orders work. {@link #silu}, {@link #mish}, {@link #softsign} and
     * {@link #geluTanh} are each one such definition; chapter 11 of the tutorial adds one.
     */
    public static Value define(String name, Value x, UnaryOperator<Value> f, Derivative df) {
        Tensor out = f.apply(new Value(x.data())).data();
        return record(name, out, (g, y) -> new Value[]{df.of(x, y, g)}, x);
    }

    public static Value neg(Value x) { return unary(UnaryOp.NEG, x, 0, (g, y) -> neg(g)); }
    public static Value abs(Value x) { return unary(UnaryOp.ABS, x, 0, (g, y) -> mul(g, sign(x))); }
    public static Value exp(Value x) { return unary(UnaryOp.EXP, x, 0, (g, y) -> mul(g, y)); }
    public static Value log(Value x) { return unary(UnaryOp.LOG, x, 0, (g, y) -> div(g, x)); }
    public static Value sqrt(Value x) { return unary(UnaryOp.SQRT, x, 0, (g, y) -> div(g, scale(y, 2))); }
    public static Value square(Value x) { return unary(UnaryOp.SQUARE, x, 0, (g, y) -> mul(g, scale(x, 2))); }
    public static Value reciprocal(Value x) { return unary(UnaryOp.RECIPROCAL, x, 0, (g, y) -> neg(mul(g, square(y)))); }
    public static Value tanh(Value x) { return unary(UnaryOp.TANH, x, 0, (g, y) -> mul(g, affine(square(y), -1, 1))); }
    /** The logistic sigmoid 1/(1+e^−x) (Knet's {@code sigm}). */
    public static Value sigm(Value x) { return unary(UnaryOp.SIGMOID, x, 0, (g, y) -> mul(g, mul(y, affine(y, -1, 1)))); }
    /**
     * max(x, 0); relu' = step(x): the backend's one-pass gradient, or, when the backward pass is itself recorded (higher
     * orders), the product with the step in differentiable ops.
     */
    public static Value relu(Value x) {
        return unary(UnaryOp.RELU, x, 0, (g, y) -> AutoGrad.recording() ? mul(g, step(x))
                : new Value(x.backend().fused().reluBackward(x.data(), g.data())));
    }
    /** x > 0 ? x : slope·x; slope' is slope + (1 − slope)·step(x). */
    public static Value leakyRelu(Value x, double slope) {
        return unary(UnaryOp.LEAKY_RELU, x, slope, (g, y) -> mul(g, affine(step(x), 1 - slope, slope)));
    }
    /** x > 0 ? x : α(e^x − 1); for x ≤ 0 the derivative α·e^x equals y + α. */
    public static Value elu(Value x, double alpha) {
        return unary(UnaryOp.ELU, x, alpha, (g, y) -> mul(g, eluSlope(x, y, alpha, 1)));
    }
    public static Value elu(Value x) { return elu(x, 1.0); }
    /** λ·elu(x, α) with the self-normalising constants. */
    public static Value selu(Value x) {
        double l = UnaryOp.SELU_SCALE, a = UnaryOp.SELU_ALPHA;
        return unary(UnaryOp.SELU, x, 0, (g, y) -> mul(g, eluSlope(x, scale(y, 1 / l), a, l)));
    }
    /** scale · (step(x) + (1 − step(x))·(e + α)) where e is elu(x, α): the derivative of scale·elu, kept differentiable. */
    private static Value eluSlope(Value x, Value elu, double alpha, double scale) {
        Value s = step(x);
        return scale(add(s, mul(affine(s, -1, 1), affine(elu, 1, alpha))), scale);
    }
    /**
     * x·Φ(x) with Φ the normal CDF (erf form); gelu' = Φ(x) + x·φ(x): the backend's one-pass gradient, or, when the
     * backward pass is itself recorded (higher orders), the same formula in differentiable ops.
     */
    public static Value gelu(Value x) {
        return unary(UnaryOp.GELU, x, 0, (g, y) -> {
            if (!AutoGrad.recording()) return new Value(x.backend().fused().geluBackward(x.data(), g.data()));
            Value cdf = affine(erf(scale(x, 1 / Math.sqrt(2))), 0.5, 0.5);
            Value pdf = scale(exp(scale(square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
            return mul(g, add(cdf, mul(x, pdf)));
        });
    }
    /** silu(x) = x·σ(x) (swish); silu' = σ(x) + y·(1 − σ(x)). */
    public static Value silu(Value x) {
        return define("silu", x, v -> mul(v, sigm(v)), (v, y, g) -> {
            Value s = sigm(v);
            return mul(g, add(s, mul(y, affine(s, -1, 1))));
        });
    }

    /** mish(x) = x·tanh(softplus(x)); mish' = tanh(sp) + x·σ(x)·(1 − tanh²(sp)). */
    public static Value mish(Value x) {
        return define("mish", x, v -> mul(v, tanh(softplus(v))), (v, y, g) -> {
            Value t = tanh(softplus(v));
            return mul(g, add(t, mul(mul(v, sigm(v)), affine(square(t), -1, 1))));
        });
    }

    /** softsign(x) = x / (1 + |x|); softsign' = 1 / (1 + |x|)² = (1 − |y|)². */
    public static Value softsign(Value x) {
        return define("softsign", x, v -> div(v, shift(abs(v), 1)), (v, y, g) -> mul(g, square(affine(abs(y), -1, 1))));
    }

    /**
     * GELU's tanh approximation, ½x(1 + tanh u) with u = √(2/π)(x + 0.044715x³) (PyTorch's {@code approximate="tanh"});
     * its derivative is ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²).
     */
    public static Value geluTanh(Value x) {
        double c = Math.sqrt(2 / Math.PI), k = 0.044715;
        UnaryOperator<Value> t = v -> tanh(scale(add(v, scale(mul(v, square(v)), k)), c));
        return define("gelu_tanh", x, v -> mul(scale(v, 0.5), shift(t.apply(v), 1)), (v, y, g) -> {
            Value th = t.apply(v);
            Value du = scale(shift(scale(square(v), 3 * k), 1), c);
            return mul(g, add(affine(th, 0.5, 0.5), mul(scale(v, 0.5), mul(affine(square(th), -1, 1), du))));
        });
    }

    public static Value erf(Value x) {
        return unary(UnaryOp.ERF, x, 0, (g, y) -> mul(g, scale(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))));
    }
    /** log(1 + e^x); its derivative is σ(x). */
    public static Value softplus(Value x) { return unary(UnaryOp.SOFTPLUS, x, 0, (g, y) -> mul(g, sigm(x))); }
    /** log σ(x); its derivative is σ(−x) = 1 − σ(x). */
    public static Value logsigmoid(Value x) { return unary(UnaryOp.LOGSIGMOID, x, 0, (g, y) -> mul(g, affine(sigm(x), -1, 1))); }
    /** −1, 0 or 1; not differentiable (gradient zero). */
    public static Value sign(Value x) { return mask(UnaryOp.SIGN, x); }
    /** 1 where x > 0, else 0; not differentiable (gradient zero). */
    public static Value step(Value x) { return mask(UnaryOp.STEP, x); }

    /** scale·x + shift in one kernel. */
    public static Value affine(Value x, double scale, double shift) {
        Tensor out = x.backend().fused().affine(x.data(), scale, shift);
        return record("affine", out, (g, y) -> new Value[]{scale(g, scale)}, x);
    }
    public static Value scale(Value x, double c) { return affine(x, c, 0); }
    public static Value shift(Value x, double c) { return affine(x, 1, c); }

    // ---- binary with broadcasting: each input's gradient is summed back to its shape -------------------------------

    private static Value binary(BinaryOp op, Value a, Value b, BiFunction<Value, Value, Value> da, BiFunction<Value, Value, Value> db) {
        Tensor out = a.backend().fused().binary(op, a.data(), b.data());
        return record(op.label(), out, (g, y) -> new Value[]{
                a.tracked() ? sumTo(da.apply(g, y), a.shape()) : null,
                b.tracked() ? sumTo(db.apply(g, y), b.shape()) : null}, a, b);
    }

    public static Value add(Value a, Value b) { return binary(BinaryOp.ADD, a, b, (g, y) -> g, (g, y) -> g); }
    public static Value sub(Value a, Value b) { return binary(BinaryOp.SUB, a, b, (g, y) -> g, (g, y) -> neg(g)); }
    public static Value mul(Value a, Value b) { return binary(BinaryOp.MUL, a, b, (g, y) -> mul(g, b), (g, y) -> mul(g, a)); }
    public static Value div(Value a, Value b) { return binary(BinaryOp.DIV, a, b, (g, y) -> div(g, b), (g, y) -> neg(div(mul(g, y), b))); }
    /** a^b; ∂/∂a = b·a^(b−1), ∂/∂b = a^b·log a. */
    public static Value pow(Value a, Value b) {
        return binary(BinaryOp.POW, a, b, (g, y) -> mul(g, mul(b, pow(a, shift(b, -1)))), (g, y) -> mul(g, mul(y, log(a))));
    }
    public static Value pow(Value a, double p) { return pow(a, scalar(p, a)); }
    /** The larger of a and b; where they are equal each gets half the gradient, as in PyTorch. */
    public static Value maximum(Value a, Value b) {
        return binary(BinaryOp.MAXIMUM, a, b, (g, y) -> mul(g, tie(BinaryOp.GT, a, b)), (g, y) -> mul(g, tie(BinaryOp.LT, a, b)));
    }
    public static Value minimum(Value a, Value b) {
        return binary(BinaryOp.MINIMUM, a, b, (g, y) -> mul(g, tie(BinaryOp.LT, a, b)), (g, y) -> mul(g, tie(BinaryOp.GT, a, b)));
    }
    /** The mask (a op b) + ½(a == b). */
    private static Value tie(BinaryOp op, Value a, Value b) { return add(compare(op, a, b), scale(compare(BinaryOp.EQ, a, b), 0.5)); }

    /** An element-wise comparison giving 1 or 0 (a constant: comparisons have no gradient). */
    public static Value compare(BinaryOp op, Value a, Value b) { return new Value(a.backend().fused().binary(op, a.data(), b.data())); }

    public static Value add(Value a, double c) { return shift(a, c); }
    public static Value mul(Value a, double c) { return scale(a, c); }

    // ---- reductions ------------------------------------------------------------------------------------------------

    /** The sum of every element. */
    public static Value sum(Value x) { return sum(x, false); }

    /** The sum over {@code axes} (none: all), keeping them as length 1 when keepdims. */
    public static Value sum(Value x, boolean keepdims, int... axes) {
        Tensor out = x.backend().reductions().sum(x.data(), axes, keepdims);
        return record("sum", out, (g, y) -> new Value[]{expandBack(g, x.shape(), axes)}, x);
    }

    public static Value mean(Value x) { return mean(x, false); }

    public static Value mean(Value x, boolean keepdims, int... axes) {
        Tensor out = x.backend().fused().mean(x.data(), axes, keepdims);
        double n = (double) x.shape().size() / Math.max(1, out.size());
        return record("mean", out, (g, y) -> new Value[]{scale(expandBack(g, x.shape(), axes), 1 / n)}, x);
    }

    /** The largest element over axes; ties share the gradient equally. */
    public static Value max(Value x, boolean keepdims, int... axes) {
        Tensor out = x.backend().reductions().max(x.data(), axes, keepdims);
        return record("max", out, (g, y) -> {
            Value hit = compare(BinaryOp.EQ, x, expandBack(y, x.shape(), axes));
            return new Value[]{div(mul(expandBack(g, x.shape(), axes), hit), expandBack(sum(hit, true, axes), x.shape(), axes))};
        }, x);
    }

    public static Value max(Value x) { return max(x, false); }

    /** log Σ e^x over axes, stable; its gradient is the softmax. */
    public static Value logsumexp(Value x, boolean keepdims, int... axes) {
        Tensor out = x.backend().fused().logsumexp(x.data(), axes, keepdims);
        return record("logsumexp", out, (g, y) -> new Value[]{
                mul(expandBack(g, x.shape(), axes), exp(sub(x, expandBack(y, x.shape(), axes))))}, x);
    }

    /** A reduced value (axes kept or dropped) broadcast back to the shape it came from. */
    private static Value expandBack(Value r, Shape shape, int[] axes) {
        Shape kept = Checks.reducedShape(shape, Checks.reduceAxes("reduce", shape, axes), true);
        return broadcastTo(reshape(r, kept), shape);
    }

    // ---- shapes ----------------------------------------------------------------------------------------------------

    public static Value reshape(Value x, Shape s) {
        if (s.equals(x.shape())) return x;
        Tensor out = x.backend().layout().reshape(x.data(), s);
        return record("reshape", out, (g, y) -> new Value[]{reshape(g, x.shape())}, x);
    }

    /** Reshape; one dimension may be -1 (inferred). */
    public static Value reshape(Value x, int... dims) {
        return reshape(x, io.github.knetj.api.Checks.reshapeDims(x.shape(), dims));
    }

    /** Output axis i is input axis perm[i]. */
    public static Value permute(Value x, int... perm) {
        Tensor out = x.backend().layout().permute(x.data(), perm);
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
        return record("permute", out, (g, y) -> new Value[]{permute(g, inverse)}, x);
    }

    /** Swaps the last two axes. */
    public static Value transpose(Value x) {
        int r = x.shape().rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return permute(x, perm);
    }

    public static Value broadcastTo(Value x, Shape s) {
        if (s.equals(x.shape())) return x;
        Tensor out = x.backend().layout().broadcastTo(x.data(), s);
        return record("broadcastTo", out, (g, y) -> new Value[]{sumTo(g, x.shape())}, x);
    }

    /** Sums x down to shape s: the adjoint of broadcasting. */
    public static Value sumTo(Value x, Shape s) {
        if (s.equals(x.shape())) return x;
        return sumTo(x.backend().reductions().sumTo(x.data(), s), x);
    }

    /** Records {@code out}, computed as x summed down to out's shape, as the sumTo op. */
    static Value sumTo(Tensor out, Value x) {
        return record("sumTo", out, (g, y) -> new Value[]{broadcastTo(g, x.shape())}, x);
    }

    public static Value concat(int axis, Value... xs) {
        Tensor[] ts = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) ts[i] = xs[i].data();
        Tensor out = xs[0].backend().layout().concat(axis, ts);
        return record("concat", out, (g, y) -> {
            Value[] gs = new Value[xs.length];
            for (int i = 0, start = 0; i < xs.length; i++) {
                int len = xs[i].shape().dim(axis);
                gs[i] = slice(g, axis, start, start + len);
                start += len;
            }
            return gs;
        }, xs);
    }

    /**
     * x cut into n equal pieces along axis: one op with n outputs. Its rule joins the pieces' gradients (zeros where
     * none arrived) with one concat, so the backward pass costs one copy of x, where n slices would each send back a
     * zero-padded gradient the size of x.
     */
    public static Value[] split(Value x, int axis, int n) {
        int a = x.shape().axis(axis), len = n < 1 ? 0 : x.shape().dim(a) / n;
        if (n < 1 || len * n != x.shape().dim(a))
            throw new IllegalArgumentException("split: axis " + a + " of " + x.shape() + " does not divide into " + n + " equal pieces");
        Tensor[] pieces = new Tensor[n];
        for (int i = 0; i < n; i++) pieces[i] = n == 1 ? x.data() : x.backend().layout().slice(x.data(), a, i * len, (i + 1) * len);
        return AutoGrad.recordAll("split", pieces, (dys, ys) -> {
            Value[] gs = new Value[n];
            for (int i = 0; i < n; i++) gs[i] = dys[i] != null ? dys[i] : zerosLike(ys[i]);
            return new Value[]{n == 1 ? gs[0] : concat(a, gs)};
        }, x);
    }

    /** Elements start ≤ i &lt; end along axis. */
    public static Value slice(Value x, int axis, int start, int end) {
        Tensor out = x.backend().layout().slice(x.data(), axis, start, end);
        int a = x.shape().axis(axis);
        return record("slice", out, (g, y) -> {
            int[] before = new int[x.shape().rank()], after = new int[x.shape().rank()];
            before[a] = start;
            after[a] = x.shape().dim(a) - end;
            return new Value[]{pad(g, before, after)};
        }, x);
    }

    /** Zero padding: before[a] and after[a] zeros around each axis a. */
    public static Value pad(Value x, int[] before, int[] after) {
        Tensor out = x.backend().fused().pad(x.data(), before, after, 0);
        return record("pad", out, (g, y) -> {
            Value r = g;
            for (int a = 0; a < before.length; a++)
                if (before[a] != 0 || after[a] != 0) r = slice(r, a, before[a], before[a] + x.shape().dim(a));
            return new Value[]{r};
        }, x);
    }

    /** Knet's {@code mat}: flattens every axis but the first, (N, ...) → (N, rest). */
    public static Value mat(Value x) { return reshape(x, x.shape().rank() == 0 ? 1 : x.shape().dim(0), -1); }

    // ---- matrix products -------------------------------------------------------------------------------------------

    public static Value matmul(Value a, Value b) { return matmul(a, b, false, false); }

    /**
     * op(a)·op(b), 2-D or batched 3-D; a 2-D b is shared by every batch of a 3-D a. The rules cover the four
     * transpose cases: for C = A·B, dA = dC·Bᵀ and dB = Aᵀ·dC.
     */
    public static Value matmul(Value a, Value b, boolean ta, boolean tb) {
        if (a.shape().rank() == 3 && b.shape().rank() == 2) {
            int bt = a.shape().dim(0);
            if (!ta) return reshape(matmul(reshape(a, -1, a.shape().dim(2)), b, false, tb), bt, a.shape().dim(1), -1);
            b = broadcastTo(b, Shape.of(bt, b.shape().dim(0), b.shape().dim(1)));
        }
        Value A = a, B = b;
        Tensor out = a.backend().linalg().matmul(a.data(), b.data(), ta, tb);
        return record("matmul", out, (g, y) -> new Value[]{
                !A.tracked() ? null : ta ? (tb ? matmul(B, g, true, true) : matmul(B, g, false, true)) : (tb ? matmul(g, B) : matmul(g, B, false, true)),
                !B.tracked() ? null : tb ? (ta ? matmul(g, A, true, true) : matmul(g, A, true, false)) : (ta ? matmul(A, g) : matmul(A, g, true, false))}, a, b);
    }

    /** Batched matrix product of 3-D values (Knet's {@code bmm}). */
    public static Value bmm(Value a, Value b) { return matmul(a, b); }

    /**
     * y = x wᵀ + b with w (out, in) and b (out) or null; x is (N, in), or (..., in) whose leading axes are rows. One
     * primitive ({@link io.github.knetj.api.Fused#linear}, which a backend may fuse): dx = g w, dw = gᵀ x, db = Σ g
     * over the rows, the rules of the product and the broadcast add it stands for.
     */
    public static Value linear(Value x, Value w, Value b) {
        if (x.shape().rank() > 2 && w.shape().rank() == 2) {
            int[] lead = x.shape().dims();
            lead[lead.length - 1] = w.shape().dim(0);
            return reshape(linear(reshape(x, -1, x.shape().dim(-1)), w, b), lead);
        }
        if (x.shape().rank() != 2) {
            Value y = matmul(x, w, false, true);
            return b == null ? y : add(y, b);
        }
        Tensor out = x.backend().fused().linear(x.data(), w.data(), b == null ? null : b.data());
        Value[] inputs = b == null ? new Value[]{x, w} : new Value[]{x, w, b};
        return record("linear", out, (g, y) -> {
            Value dx = x.tracked() ? matmul(g, w) : null, dw = w.tracked() ? matmul(g, x, true, false) : null;
            return b == null ? new Value[]{dx, dw} : new Value[]{dx, dw, b.tracked() ? sumTo(g, b.shape()) : null};
        }, inputs);
    }
}
