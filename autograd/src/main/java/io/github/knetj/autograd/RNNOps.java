package io.github.knetj.autograd;

import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;

import java.util.Arrays;
import java.util.Locale;

import static io.github.knetj.autograd.AutoGrad.record;
import static io.github.knetj.autograd.Ops.*;

/**
 * Recurrent layers as differentiable functions with PyTorch's equations, one layer and one direction, batch-first:
 * <pre>
 * LSTM      i,f,g,o = σ,σ,tanh,σ (W_ih x_t + b_ih + W_hh h + b_hh)    c' = f⊙c + i⊙g    h' = o⊙tanh(c')
 * GRU       r,z = σ(W_i{r,z} x_t + b_i{r,z} + W_h{r,z} h + b_h{r,z})    n = tanh(W_in x_t + b_in + r⊙(W_hn h + b_hn))
 *           h' = (1−z)⊙n + z⊙h
 * RNN       h' = tanh or relu (W_ih x_t + b_ih + W_hh h + b_hh)
 * </pre>
 * x is (B,T,I), h0 and c0 are (B,H) (or PyTorch's (1,B,H)), W_ih (G·H,I) and W_hh (G·H,H) stack the G gates in
 * PyTorch's order. The input projection of every step is one matmul, (B·T,I)·W_ihᵀ; each step then does the hidden
 * matmul and the cell. LSTM and GRU cells are one recorded op each on the backend's fused kernels
 * ({@link io.github.knetj.api.NN#lstmCell}, {@link io.github.knetj.api.NN#gruCell}); while higher-order gradients are
 * being recorded their backward rules are composed from {@link Ops}, so every order of derivative works. In backward,
 * the gradient of W_hh is again one matmul over all steps.
 * <p>
 * Ragged batches: with {@code lengths}, a step past a sequence's end keeps that sequence's state (a mask blend) and
 * its output there is zero, so the final states are those at each sequence's own end. In reverse, each sequence is
 * read from its own last element back to its first.
 */
public final class RNNOps {
    private RNNOps() {}

    /** The four cells, with their number of gates G (rows of W_ih are G·H). */
    public enum Cell {
        LSTM(4), GRU(3), RNN_TANH(1), RNN_RELU(1);

        private final int gates;

        Cell(int gates) { this.gates = gates; }

        /** How many gates the weights stack: 4 for LSTM (i,f,g,o), 3 for GRU (r,z,n), 1 for plain RNNs. */
        public int gates() { return gates; }

        /** The conformance name ("lstm", "rnn_tanh"). */
        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * What a recurrent op returns: y (B,T,H) every step's output, h (B,H) the final hidden state and, for LSTM only,
     * c (B,H) the final cell state (null otherwise).
     */
    public record Result(Value y, Value h, Value c) {}

    /** LSTM over x; h0 and c0 may be null (zeros), biases may be null, lengths null means every sequence is full. */
    public static Result lstm(Value x, Value h0, Value c0, Value wIh, Value wHh, Value bIh, Value bHh, int[] lengths) {
        return run(Cell.LSTM, x, h0, c0, wIh, wHh, bIh, bHh, lengths, false);
    }

    /** GRU over x (see {@link #lstm}). */
    public static Result gru(Value x, Value h0, Value wIh, Value wHh, Value bIh, Value bHh, int[] lengths) {
        return run(Cell.GRU, x, h0, null, wIh, wHh, bIh, bHh, lengths, false);
    }

    /** Elman RNN with tanh over x (see {@link #lstm}). */
    public static Result rnnTanh(Value x, Value h0, Value wIh, Value wHh, Value bIh, Value bHh, int[] lengths) {
        return run(Cell.RNN_TANH, x, h0, null, wIh, wHh, bIh, bHh, lengths, false);
    }

    /** Elman RNN with relu over x (see {@link #lstm}). */
    public static Result rnnRelu(Value x, Value h0, Value wIh, Value wHh, Value bIh, Value bHh, int[] lengths) {
        return run(Cell.RNN_RELU, x, h0, null, wIh, wHh, bIh, bHh, lengths, false);
    }

    /**
     * Any cell over x, forward in time or (reverse) from each sequence's last element back to its first; y is always
     * indexed by input position. c0 is read by LSTM only.
     */
    public static Result run(Cell cell, Value x, Value h0, Value c0, Value wIh, Value wHh, Value bIh, Value bHh,
                             int[] lengths, boolean reverse) {
        String op = cell.label();
        if (x.shape().rank() != 3) throw new IllegalArgumentException(op + ": x must be (B,T,I) batch-first, got " + x.shape());
        int b = x.shape().dim(0), t = x.shape().dim(1), in = x.shape().dim(2);
        if (b < 1 || t < 1) throw new IllegalArgumentException(op + ": x " + x.shape() + " must hold at least one sequence of at least one step");
        int gh = wIh.shape().rank() == 2 ? wIh.shape().dim(0) : -1;
        if (gh < 0 || gh % cell.gates() != 0 || wIh.shape().dim(1) != in)
            throw new IllegalArgumentException(op + ": weight_ih must be (" + cell.gates() + "·H, " + in + ") for x " + x.shape() + ", got " + wIh.shape());
        int h = gh / cell.gates();
        expect(op, "weight_hh", wHh, Shape.of(gh, h));
        if (bIh != null) expect(op, "bias_ih", bIh, Shape.of(gh));
        if (bHh != null) expect(op, "bias_hh", bHh, Shape.of(gh));
        Value hPrev = state(op, "h0", h0, x, b, h);
        Value cPrev = cell == Cell.LSTM ? state(op, "c0", c0, x, b, h) : null;
        Mask mask = Mask.of(op, lengths, x, b, t);

        // One matmul projects every step's input; LSTM and plain RNNs fold both biases in here once.
        Value proj = matmul(reshape(x, b * t, in), wIh, false, true);
        Value bias = cell == Cell.GRU ? bIh : bIh == null ? bHh : bHh == null ? bIh : add(bIh, bHh);
        if (bias != null) proj = add(proj, bias);
        Value[] steps = split(reshape(proj, b, t, gh), 1, t);
        RecurrentWeight hidden = new RecurrentWeight(wHh, t);

        Value[] ys = new Value[t];
        for (int k = 0; k < t; k++) {
            int s = reverse ? t - 1 - k : k;
            Value xs = reshape(steps[s], b, gh);
            Value[] next = switch (cell) {
                case LSTM -> lstmStep(xs, hidden.project(hPrev), cPrev);
                case GRU -> new Value[]{gruStep(xs, hPrev, hidden.project(hPrev), bHh)};
                case RNN_TANH -> new Value[]{tanh(add(xs, hidden.project(hPrev)))};
                case RNN_RELU -> new Value[]{relu(add(xs, hidden.project(hPrev)))};
            };
            Value m = mask.at(s);
            if (m == null) {
                ys[s] = next[0];
                hPrev = next[0];
                if (cPrev != null) cPrev = next[1];
            } else {
                ys[s] = mul(next[0], m);
                hPrev = blend(m, next[0], hPrev);
                if (cPrev != null) cPrev = blend(m, next[1], cPrev);
            }
        }
        for (int s = 0; s < t; s++) ys[s] = reshape(ys[s], b, 1, h);
        return new Result(concat(1, ys), hPrev, cPrev);
    }

    /**
     * One LSTM step from the projected input xs (B,4H) with both biases in and hh = h W_hhᵀ: returns {h', c'}. The
     * cell is one recorded op with two outputs (the {@link #split} pattern) on the backend's fused kernels; while a
     * backward pass is itself being recorded (higher orders) its rule is composed from {@link Ops} instead.
     */
    private static Value[] lstmStep(Value xs, Value hh, Value c) {
        Value gates = add(xs, hh);
        Tensor[] out = gates.backend().nn().lstmCell(gates.data(), c.data());
        Tensor act = out[2];
        Value[] parked = new Value[2];
        Value cell = record("lstm_cell", act, g -> {
            Value dh = parked[0], dc = parked[1];
            Arrays.fill(parked, null);   // ready for another backward pass over the same graph
            if (AutoGrad.recording()) return lstmBackwardComposed(gates, c, dh, dc);
            Tensor[] d = gates.backend().nn().lstmCellBackward(dh == null ? null : dh.data(), dc == null ? null : dc.data(), act, c.data());
            return new Value[]{new Value(d[0]), c.tracked() ? new Value(d[1]) : null};
        }, gates, c);
        Value token = scalar(0, c);
        return new Value[]{output("lstm_h", out[0], cell, parked, 0, token), output("lstm_c", out[1], cell, parked, 1, token)};
    }

    /** The LSTM cell's backward written with differentiable ops (see NN#lstmCellBackward for the equations). */
    private static Value[] lstmBackwardComposed(Value gates, Value c, Value dh, Value dc) {
        Value[] z = split(gates, 1, 4);
        Value i = sigm(z[0]), f = sigm(z[1]), g = tanh(z[2]), o = sigm(z[3]);
        Value tc = tanh(add(mul(f, c), mul(i, g)));
        if (dh == null) dh = zerosLike(c);
        Value dcHat = mul(mul(dh, o), affine(square(tc), -1, 1));
        if (dc != null) dcHat = add(dcHat, dc);
        Value di = mul(mul(dcHat, g), sigmoidSlope(i)), df = mul(mul(dcHat, c), sigmoidSlope(f));
        Value dg = mul(mul(dcHat, i), affine(square(g), -1, 1)), dOut = mul(mul(dh, tc), sigmoidSlope(o));
        return new Value[]{concat(1, di, df, dg, dOut), c.tracked() ? mul(dcHat, f) : null};
    }

    /**
     * One GRU step from xs = W_ih x + b_ih (B,3H) and hh = h W_hhᵀ: the reset gate multiplies W_hn h + b_hn, as in
     * PyTorch, so the hidden part hg = hh + b_hh reaches the cell apart from xs. One recorded op on the fused kernels,
     * composed while higher orders are recorded (as in {@link #lstmStep}).
     */
    private static Value gruStep(Value xs, Value h, Value hh, Value bHh) {
        Value hg = bHh == null ? hh : add(hh, bHh);
        Tensor[] out = xs.backend().nn().gruCell(xs.data(), hg.data(), h.data());
        Tensor act = out[1];
        return record("gru_cell", out[0], g -> {
            if (AutoGrad.recording()) return gruBackwardComposed(xs, hg, h, g);
            Tensor[] d = xs.backend().nn().gruCellBackward(g.data(), act, hg.data(), h.data());
            return new Value[]{new Value(d[0]), new Value(d[1]), h.tracked() ? new Value(d[2]) : null};
        }, xs, hg, h);
    }

    /** The GRU cell's backward written with differentiable ops (see NN#gruCellBackward for the equations). */
    private static Value[] gruBackwardComposed(Value xs, Value hg, Value h, Value dh) {
        Value[] xg = split(xs, 1, 3), hs = split(hg, 1, 3);
        Value r = sigm(add(xg[0], hs[0])), z = sigm(add(xg[1], hs[1]));
        Value n = tanh(add(xg[2], mul(r, hs[2])));
        Value dn = mul(mul(dh, affine(z, -1, 1)), affine(square(n), -1, 1));
        Value dr = mul(mul(dn, hs[2]), sigmoidSlope(r));
        Value dz = mul(mul(dh, sub(h, n)), sigmoidSlope(z));
        return new Value[]{concat(1, dr, dz, dn), concat(1, dr, dz, mul(dn, r)), h.tracked() ? mul(dh, z) : null};
    }

    /** y(1 − y), the derivative of σ from its value. */
    private static Value sigmoidSlope(Value y) { return mul(y, affine(y, -1, 1)); }

    /** Output k of a many-output op: its rule parks the gradient for the shared node and hands that node a zero token. */
    private static Value output(String op, Tensor data, Value node, Value[] parked, int k, Value token) {
        return record(op, data, g -> {
            parked[k] = parked[k] == null ? g : add(parked[k], g);
            return new Value[]{token};
        }, node);
    }

    /** m⊙next + (1−m)⊙prev, written as prev + m⊙(next − prev): sequences that have ended keep their state. */
    private static Value blend(Value m, Value next, Value prev) { return add(prev, mul(m, sub(next, prev))); }

    /**
     * x cut into n equal pieces along axis, as one op with n outputs. Each piece's rule parks its gradient and
     * hands a scalar zero token to the shared node, whose rule (run after every piece's, the order being
     * topological) joins the parked gradients with one concat: the backward pass costs one copy of x, where n
     * separate slices would each send back a zero-padded gradient the size of x.
     */
    public static Value[] split(Value x, int axis, int n) {
        int a = x.shape().axis(axis), len = x.shape().dim(a) / n;
        if (len * n != x.shape().dim(a))
            throw new IllegalArgumentException("split: axis " + a + " of " + x.shape() + " does not divide into " + n + " equal pieces");
        Shape pieceShape = x.shape().with(a, len);
        Value[] parked = new Value[n];
        Value token = scalar(0, x);
        Value whole = record("split", x.data(), g -> {
            Value[] gs = new Value[n];
            for (int i = 0; i < n; i++) gs[i] = parked[i] != null ? parked[i] : new Value(x.backend().memory().zeros(pieceShape, x.dtype()));
            Arrays.fill(parked, null);   // ready for another backward pass over the same graph (higher orders)
            return new Value[]{n == 1 ? gs[0] : concat(a, gs)};
        }, x);
        Value[] pieces = new Value[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            Tensor d = n == 1 ? x.data() : x.backend().layout().slice(x.data(), a, i * len, (i + 1) * len);
            pieces[i] = record("split_piece", d, g -> {
                parked[k] = parked[k] == null ? g : add(parked[k], g);
                return new Value[]{token};
            }, whole);
        }
        return pieces;
    }

    /**
     * The hidden weight W_hh shared by every step, whose gradient Σ_t g_tᵀ h_t is taken as one matmul of all steps,
     * concat(g)ᵀ·concat(h), instead of one small matmul and one full-size add per step. Each step's product h_t W_hhᵀ
     * sends dh = g_t W_hh back at once (the recurrence needs it) and parks g_t; the shared node, reached after every
     * step, joins them (the same many-outputs pattern as {@link #split}). Both per-step products go through
     * {@link io.github.knetj.api.NN#recurrentMatmul}, which lets a backend prepare W_hh once for all T steps.
     */
    private static final class RecurrentWeight {
        private final Value w, node, token;
        private final Value[] hs, parked;
        private int steps;

        RecurrentWeight(Value w, int t) {
            this.w = w;
            this.hs = new Value[t];
            this.parked = new Value[t];
            this.token = scalar(0, w);
            this.node = record("recurrent_weight", w.data(), g -> new Value[]{gradient()}, w);
        }

        /** h W_hhᵀ for the next step's state h (B,H). */
        Value project(Value h) {
            int k = steps++;
            hs[k] = h;
            Tensor out = h.backend().nn().recurrentMatmul(h.data(), w.data(), true);
            return record("recurrent_matmul", out, g -> {
                parked[k] = parked[k] == null ? g : add(parked[k], g);
                return new Value[]{h.tracked() ? back(g) : null, token};
            }, h, node);
        }

        /** g W_hh, through the backend's recurrent product unless this backward pass is itself being recorded. */
        private Value back(Value g) {
            return AutoGrad.recording() ? matmul(g, w) : new Value(g.backend().nn().recurrentMatmul(g.data(), w.data(), false));
        }

        /** Σ_t g_tᵀ h_t over the steps that received a gradient, as one matmul; then ready for another backward pass. */
        private Value gradient() {
            java.util.List<Value> gs = new java.util.ArrayList<>(), hsUsed = new java.util.ArrayList<>();
            for (int k = 0; k < steps; k++) if (parked[k] != null) { gs.add(parked[k]); hsUsed.add(hs[k]); }
            Arrays.fill(parked, null);
            if (gs.isEmpty()) return zerosLike(w);
            Value g = gs.size() == 1 ? gs.get(0) : concat(0, gs.toArray(Value[]::new));
            Value h = hsUsed.size() == 1 ? hsUsed.get(0) : concat(0, hsUsed.toArray(Value[]::new));
            return matmul(g, h, true, false);
        }
    }

    private static void expect(String op, String name, Value v, Shape shape) {
        if (!v.shape().equals(shape)) throw new IllegalArgumentException(op + ": " + name + " must be " + shape + ", got " + v.shape());
    }

    /** An initial state as (B,H): zeros when null, PyTorch's (1,B,H) accepted. */
    private static Value state(String op, String name, Value s, Value x, int b, int h) {
        if (s == null) return new Value(x.backend().memory().zeros(Shape.of(b, h), x.dtype()));
        if (s.shape().equals(Shape.of(1, b, h))) return reshape(s, b, h);
        expect(op, name, s, Shape.of(b, h));
        return s;
    }

    /** Per-step (B,1) masks for ragged batches: 1 while a sequence is running, 0 after its end; null where all run. */
    private record Mask(Value[] steps) {
        static Mask of(String op, int[] lengths, Value x, int b, int t) {
            Value[] steps = new Value[t];
            if (lengths == null) return new Mask(steps);
            if (lengths.length != b) throw new IllegalArgumentException(op + ": " + lengths.length + " lengths for a batch of " + b + " in x " + x.shape());
            for (int len : lengths)
                if (len < 0 || len > t) throw new IllegalArgumentException(op + ": lengths " + Arrays.toString(lengths) + " must lie in [0, " + t + "] for x " + x.shape());
            for (int s = 0; s < t; s++) {
                double[] m = new double[b];
                boolean ragged = false;
                for (int i = 0; i < b; i++) {
                    m[i] = s < lengths[i] ? 1 : 0;
                    ragged |= m[i] == 0;
                }
                if (ragged) steps[s] = new Value(x.backend().memory().fromArray(m, Shape.of(b, 1), x.dtype()));
            }
            return new Mask(steps);
        }

        Value at(int s) { return steps[s]; }
    }
}
