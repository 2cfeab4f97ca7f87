package io.github.knetj.autograd.check;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.autograd.check.OpCatalog.Case;
import io.github.knetj.autograd.check.OpCatalog.Entry;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static io.github.knetj.autograd.check.Sampling.*;

/** The {@link OpCatalog} entries of {@link Ops}: element-wise, reductions, shape ops and matrix products. */
final class MathCatalog {
    private MathCatalog() {}

    /** How a unary entry draws its input values. */
    private interface Values { double[] draw(SplittableRandom r, Shape s); }

    static void addTo(List<Entry> out) {
        unary(out, "neg", Sampling::any, Ops::neg);
        unary(out, "abs", Sampling::any, Ops::abs);
        unary(out, "exp", Sampling::any, Ops::exp);
        unary(out, "log", Sampling::positive, Ops::log);
        unary(out, "sqrt", Sampling::positive, Ops::sqrt);
        unary(out, "square", Sampling::any, Ops::square);
        unary(out, "reciprocal", Sampling::any, Ops::reciprocal);
        unary(out, "tanh", Sampling::any, Ops::tanh);
        unary(out, "sigm", Sampling::any, Ops::sigm);
        unary(out, "relu", Sampling::any, Ops::relu);
        unary(out, "selu", Sampling::any, Ops::selu);
        unary(out, "gelu", Sampling::any, Ops::gelu);
        unary(out, "gelu_tanh", Sampling::any, Ops::geluTanh);
        unary(out, "silu", Sampling::any, Ops::silu);
        unary(out, "mish", Sampling::any, Ops::mish);
        unary(out, "softsign", Sampling::any, Ops::softsign);
        unary(out, "erf", Sampling::any, Ops::erf);
        unary(out, "softplus", Sampling::any, Ops::softplus);
        unary(out, "logsigmoid", Sampling::any, Ops::logsigmoid);
        out.add(new Entry("leaky_relu", r -> {
            double slope = r.nextDouble(0.01, 0.3);
            return elementwise(r, "leaky_relu", fmt("slope=%.3f", slope), Sampling::any, x -> Ops.leakyRelu(x, slope));
        }));
        out.add(new Entry("elu", r -> {
            double alpha = r.nextDouble(0.5, 2.0);
            return elementwise(r, "elu", fmt("alpha=%.3f", alpha), Sampling::any, x -> Ops.elu(x, alpha));
        }));
        out.add(new Entry("affine", r -> {
            double scale = r.nextDouble(-2, 2), shift = r.nextDouble(-2, 2);
            return elementwise(r, "affine", fmt("scale=%.3f shift=%.3f", scale, shift), Sampling::any, x -> Ops.affine(x, scale, shift));
        }));

        binary(out, "add", Sampling::any, Sampling::any, Ops::add);
        binary(out, "sub", Sampling::any, Sampling::any, Ops::sub);
        binary(out, "mul", Sampling::any, Sampling::any, Ops::mul);
        binary(out, "div", Sampling::any, Sampling::any, Ops::div);
        binary(out, "pow", Sampling::positive, Sampling::any, Ops::pow);
        binary(out, "maximum", (r, s) -> grid(r, s, 0), (r, s) -> grid(r, s, 0.1), Ops::maximum);
        binary(out, "minimum", (r, s) -> grid(r, s, 0), (r, s) -> grid(r, s, 0.1), Ops::minimum);
        out.add(new Entry("pow_scalar", r -> {
            double p = new double[]{-1.5, 0.5, 2, 3}[r.nextInt(4)];
            return elementwise(r, "pow_scalar", "p=" + p, Sampling::positive, x -> Ops.pow(x, p));
        }));

        reduction(out, "sum", Sampling::any, (x, a) -> Ops.sum(x, a.keep, a.axes));
        reduction(out, "mean", Sampling::any, (x, a) -> Ops.mean(x, a.keep, a.axes));
        reduction(out, "max", Sampling::distinct, (x, a) -> Ops.max(x, a.keep, a.axes));
        reduction(out, "logsumexp", Sampling::any, (x, a) -> Ops.logsumexp(x, a.keep, a.axes));

        shapeOps(out);
        products(out);
    }

    private static String fmt(String format, Object... args) { return String.format(Locale.ROOT, format, args); }

    private static Case elementwise(SplittableRandom r, String name, String attrs, Values values, UnaryOperator<Value> f) {
        Shape s = shape(r, 0, 3, 4);
        return of(name, attrs, xs -> f.apply(xs.get(0)), in("x", s, values.draw(r, s)));
    }

    private static void unary(List<Entry> out, String name, Values values, UnaryOperator<Value> f) {
        out.add(new Entry(name, r -> elementwise(r, name, "", values, f)));
    }

    /** An element-wise binary op on two shapes that broadcast together. */
    private static void binary(List<Entry> out, String name, Values va, Values vb, BiFunction<Value, Value, Value> f) {
        out.add(new Entry(name, r -> {
            Shape[] p = broadcastPair(r, 3, 3);
            return of(name, "", xs -> f.apply(xs.get(0), xs.get(1)), in("a", p[0], va.draw(r, p[0])), in("b", p[1], vb.draw(r, p[1])));
        }));
    }

    /** The axes and keepdims of a reduction case. */
    private record Reduce(int[] axes, boolean keep) {}

    private static void reduction(List<Entry> out, String name, Values values, BiFunction<Value, Reduce, Value> f) {
        out.add(new Entry(name, r -> {
            Shape s = shape(r, 1, 3, 4);
            Reduce a = new Reduce(axes(r, s.rank()), r.nextBoolean());
            return of(name, "axes=" + Arrays.toString(a.axes) + " keepdims=" + a.keep, xs -> f.apply(xs.get(0), a), in("x", s, values.draw(r, s)));
        }));
    }

    private static void shapeOps(List<Entry> out) {
        out.add(new Entry("reshape", r -> {
            Shape s = shape(r, 1, 3, 4);
            int[] p = permutation(r, s.rank());
            int[] to = new int[s.rank()];
            for (int i = 0; i < to.length; i++) to[i] = s.dim(p[i]);
            if (r.nextBoolean()) to[r.nextInt(to.length)] = -1;   // the inferred dimension
            return of("reshape", "to=" + Arrays.toString(to), xs -> Ops.reshape(xs.get(0), to), in("x", s, any(r, s)));
        }));
        out.add(new Entry("permute", r -> {
            Shape s = shape(r, 1, 4, 3);
            int[] perm = permutation(r, s.rank());
            return of("permute", "perm=" + Arrays.toString(perm), xs -> Ops.permute(xs.get(0), perm), in("x", s, any(r, s)));
        }));
        out.add(new Entry("transpose", r -> {
            Shape s = shape(r, 2, 3, 4);
            return of("transpose", "", xs -> Ops.transpose(xs.get(0)), in("x", s, any(r, s)));
        }));
        out.add(new Entry("broadcastTo", r -> {
            int[] big = shape(r, 1, 3, 3).dims();
            Shape s = operand(r, big), to = Shape.of(big);
            return of("broadcastTo", "to=" + to, xs -> Ops.broadcastTo(xs.get(0), to), in("x", s, any(r, s)));
        }));
        out.add(new Entry("sumTo", r -> {
            int[] big = shape(r, 1, 3, 3).dims();
            Shape s = Shape.of(big), to = operand(r, big);
            return of("sumTo", "to=" + to, xs -> Ops.sumTo(xs.get(0), to), in("x", s, any(r, s)));
        }));
        out.add(new Entry("concat", r -> {
            Shape s = shape(r, 1, 3, 3);
            int axis = r.nextInt(-s.rank(), s.rank());
            int n = r.nextInt(2, 4);
            OpCatalog.Input[] ins = new OpCatalog.Input[n];
            for (int i = 0; i < n; i++) {
                Shape si = s.with(axis, r.nextInt(1, 4));
                ins[i] = in("x" + i, si, any(r, si));
            }
            return of("concat", "axis=" + axis, xs -> Ops.concat(axis, xs.toArray(Value[]::new)), ins);
        }));
        out.add(new Entry("slice", r -> {
            Shape s = shape(r, 1, 3, 4);
            int axis = r.nextInt(-s.rank(), s.rank());
            int len = s.dim(axis), start = r.nextInt(len), end = r.nextInt(start + 1, len + 1);
            return of("slice", fmt("axis=%d [%d, %d)", axis, start, end), xs -> Ops.slice(xs.get(0), axis, start, end), in("x", s, any(r, s)));
        }));
        out.add(new Entry("split", r -> {
            Shape base = shape(r, 1, 3, 3);
            int axis = r.nextInt(-base.rank(), base.rank()), n = r.nextInt(3, 5);
            Shape s = base.with(axis, base.dim(axis) * n);
            // p0 ⊙ p(n−2): one piece used, the others unused, so the rule joins real gradients and zeros.
            return of("split", fmt("axis=%d n=%d, y = p0 * p%d", axis, n, n - 2), xs -> {
                Value[] p = Ops.split(xs.get(0), axis, n);
                return Ops.mul(p[0], p[n - 2]);
            }, in("x", s, any(r, s)));
        }));
        out.add(new Entry("pad", r -> {
            Shape s = shape(r, 1, 3, 3);
            int[] before = new int[s.rank()], after = new int[s.rank()];
            for (int a = 0; a < s.rank(); a++) { before[a] = r.nextInt(3); after[a] = r.nextInt(3); }
            return of("pad", "before=" + Arrays.toString(before) + " after=" + Arrays.toString(after),
                    xs -> Ops.pad(xs.get(0), before, after), in("x", s, any(r, s)));
        }));
        out.add(new Entry("mat", r -> {
            Shape s = shape(r, 2, 4, 3);
            return of("mat", "", xs -> Ops.mat(xs.get(0)), in("x", s, any(r, s)));
        }));
    }

    private static void products(List<Entry> out) {
        out.add(new Entry("matmul", r -> matmul(r, "matmul", 0, false)));
        out.add(new Entry("matmul3d", r -> matmul(r, "matmul3d", r.nextInt(1, 4), false)));
        out.add(new Entry("matmul3d2d", r -> matmul(r, "matmul3d2d", r.nextInt(1, 4), true)));
        out.add(new Entry("bmm", r -> {
            int b = r.nextInt(1, 4), m = r.nextInt(1, 4), k = r.nextInt(1, 4), n = r.nextInt(1, 4);
            Shape sa = Shape.of(b, m, k), sb = Shape.of(b, k, n);
            return of("bmm", "", xs -> Ops.bmm(xs.get(0), xs.get(1)), in("a", sa, any(r, sa)), in("b", sb, any(r, sb)));
        }));
        out.add(new Entry("linear", r -> {
            int n = r.nextInt(1, 5), i = r.nextInt(1, 5), o = r.nextInt(1, 5);
            // A third of the cases take x (B, T, in), whose leading axes are rows.
            Shape sx = r.nextInt(3) == 0 ? Shape.of(r.nextInt(1, 3), n, i) : Shape.of(n, i), sw = Shape.of(o, i), sb = Shape.of(o);
            if (r.nextBoolean())
                return of("linear", "no bias", xs -> Ops.linear(xs.get(0), xs.get(1), null), in("x", sx, any(r, sx)), in("w", sw, any(r, sw)));
            return of("linear", "", xs -> Ops.linear(xs.get(0), xs.get(1), xs.get(2)), in("x", sx, any(r, sx)), in("w", sw, any(r, sw)), in("b", sb, any(r, sb)));
        }));
    }

    /** op(a)·op(b) with random transpose flags: 2-D (batch 0), 3-D·3-D, or 3-D·2-D (shared b). */
    private static Case matmul(SplittableRandom r, String name, int batch, boolean sharedB) {
        boolean ta = r.nextBoolean(), tb = r.nextBoolean();
        int m = r.nextInt(1, 4), k = r.nextInt(1, 4), n = r.nextInt(1, 4);
        int[] a = ta ? new int[]{k, m} : new int[]{m, k}, b = tb ? new int[]{n, k} : new int[]{k, n};
        Shape sa = batch == 0 ? Shape.of(a) : Shape.of(batch, a[0], a[1]);
        Shape sb = batch == 0 || sharedB ? Shape.of(b) : Shape.of(batch, b[0], b[1]);
        Function<List<Value>, Value> f = xs -> Ops.matmul(xs.get(0), xs.get(1), ta, tb);
        return of(name, "ta=" + ta + " tb=" + tb, f, in("a", sa, any(r, sa)), in("b", sb, any(r, sb)));
    }
}
