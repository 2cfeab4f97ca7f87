package io.github.knetj.autograd;

import io.github.knetj.api.Checks;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
 * PyTorch's order. The input projection of every step is one matmul, (B·T,I)·W_ihᵀ, recorded as usual; for embedded
 * tokens, {@link #runTokens} projects the embedding table's V rows instead of the B·T embedded steps. The recurrence
 * itself is <b>one recorded op with three outputs</b> (y, h, c) and one rule, backpropagation through time
 * ({@link #backThroughTime}): forward, each step is the hidden product and the cell on the backend's fused kernels
 * ({@link RNNSteps}); backward, the rule walks the steps in reverse, and the gradient of W_hh is one matmul over all
 * steps. While a backward pass is itself recorded (higher orders) the rule first replays the forward steps with
 * differentiable ops, so every order of derivative works.
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
        int gh = inputWeights(op, cell, wIh, wHh, bIh, bHh, in, x.shape());
        // One matmul projects every step's input; LSTM and plain RNNs fold both biases in here once.
        Value proj = matmul(reshape(x, b * t, in), wIh, false, true);
        Value bias = inputBias(cell, bIh, bHh);
        if (bias != null) proj = add(proj, bias);
        return recur(cell, reshape(proj, b, t, gh), x.shape(), h0, c0, wHh, bHh, lengths, reverse);
    }

    /**
     * {@link #run} over x = table[ids] (B,T,I), the embedded tokens ids (B·T of them, batch-major), without forming x:
     * each step's input projection x_t·W_ihᵀ + b is then a row of table·W_ihᵀ + b (V, G·H), which one product of V
     * rows gives, then a row gather. Backward, the gradient of those V rows is a scatter-add of the steps' gradient,
     * and the table's and W_ih's gradients are products of V rows instead of B·T. The function is {@code run}'s; the
     * results differ from it in rounding only. Worth it when the vocabulary has fewer rows than the batch has tokens
     * ({@link #projectsTable}): the char-LSTM benchmark's 256 characters against 6,400 tokens a step.
     */
    public static Result runTokens(Cell cell, Value table, int[] ids, int b, int t, Value h0, Value c0, Value wIh, Value wHh, Value bIh,
                                   Value bHh, int[] lengths, boolean reverse) {
        String op = cell.label();
        if (table.shape().rank() != 2) throw new IllegalArgumentException(op + ": the embedding table must be (V, I), got " + table.shape());
        if (b < 1 || t < 1 || ids.length != (long) b * t)
            throw new IllegalArgumentException(op + ": " + ids.length + " token ids for " + b + " sequences of " + t + " steps");
        Checks.indices(op + " (token ids of a table " + table.shape() + ")", ids, table.shape().dim(0));
        Shape x = Shape.of(b, t, table.shape().dim(1));
        int gh = inputWeights(op, cell, wIh, wHh, bIh, bHh, x.dim(2), x);
        Value rows = matmul(table, wIh, false, true);
        Value bias = inputBias(cell, bIh, bHh);
        if (bias != null) rows = add(rows, bias);
        return recur(cell, NNOps.embed(rows, ids, b, t), x, h0, c0, wHh, bHh, lengths, reverse);
    }

    /** Whether {@link #runTokens} pays over embedding first: a vocabulary of at most half as many rows as tokens. */
    public static boolean projectsTable(int vocab, long tokens) { return 2L * vocab <= tokens; }

    /** G·H from W_ih (G·H, in), after checking it, W_hh (G·H, H) and the biases (G·H) against each other and x. */
    private static int inputWeights(String op, Cell cell, Value wIh, Value wHh, Value bIh, Value bHh, int in, Shape x) {
        int gh = wIh.shape().rank() == 2 ? wIh.shape().dim(0) : -1;
        if (gh < 0 || gh % cell.gates() != 0 || wIh.shape().dim(1) != in)
            throw new IllegalArgumentException(op + ": weight_ih must be (" + cell.gates() + "·H, " + in + ") for x " + x + ", got " + wIh.shape());
        expect(op, "weight_hh", wHh, Shape.of(gh, gh / cell.gates()));
        if (bIh != null) expect(op, "bias_ih", bIh, Shape.of(gh));
        if (bHh != null) expect(op, "bias_hh", bHh, Shape.of(gh));
        return gh;
    }

    /** The bias added to the input projection: b_ih for GRU (its b_hh acts inside the cell), both for the others. */
    private static Value inputBias(Cell cell, Value bIh, Value bHh) {
        return cell == Cell.GRU ? bIh : bIh == null ? bHh : bHh == null ? bIh : add(bIh, bHh);
    }

    /** The recurrence over the projected inputs proj (B,T,G·H), x's shape for messages: one recorded op. */
    private static Result recur(Cell cell, Value proj, Shape x, Value h0, Value c0, Value wHh, Value bHh, int[] lengths, boolean reverse) {
        String op = cell.label();
        int b = proj.shape().dim(0), t = proj.shape().dim(1), h = wHh.shape().dim(1);
        Value hStart = state(op, "h0", h0, proj, b, h);
        Value cStart = cell == Cell.LSTM ? state(op, "c0", c0, proj, b, h) : null;
        Mask mask = Mask.of(op, lengths, proj, x, b, t);
        Value[] ins = {proj, hStart, cStart, wHh, cell == Cell.GRU ? bHh : null};
        Unrolled fast = unroll(cell, constants(ins), mask, reverse);
        Tensor[] outs = cell == Cell.LSTM ? new Tensor[]{fast.y.data(), fast.h.data(), fast.c.data()} : new Tensor[]{fast.y.data(), fast.h.data()};
        Value[] ys = AutoGrad.recordAll(op, outs, (dys, outputs) -> {
            Unrolled steps = AutoGrad.recording() ? unroll(cell, ins, mask, reverse) : fast;   // higher orders replay the steps
            return backThroughTime(cell, steps, dys, ins, mask, reverse);
        }, ins);
        return new Result(ys[0], ys[1], cell == Cell.LSTM ? ys[2] : null);
    }

    /** The steps of a run: what each kept for its backward pass, and the outputs y (B,T,H), h and c (B,H). */
    private record Unrolled(RNNSteps.Step[] steps, Value y, Value h, Value c) {}

    /** The op's inputs as constants, so that the forward steps run on the fused kernels and record nothing. */
    private static Value[] constants(Value[] ins) {
        Value[] cs = new Value[ins.length];
        for (int i = 0; i < ins.length; i++) cs[i] = ins[i] == null ? null : value(ins[i].data());
        return cs;
    }

    /** The forward steps over ins = {proj (B,T,G·H), h0, c0, W_hh, b_hh}; masked steps keep the state they had. */
    private static Unrolled unroll(Cell cell, Value[] ins, Mask mask, boolean reverse) {
        Value proj = ins[0], hPrev = ins[1], cPrev = ins[2], w = ins[3], bHh = ins[4];
        int b = proj.shape().dim(0), t = proj.shape().dim(1), gh = proj.shape().dim(2), h = hPrev.shape().dim(1);
        Value[] xs = split(proj, 1, t), ys = new Value[t];
        RNNSteps.Step[] steps = new RNNSteps.Step[t];
        for (int k = 0; k < t; k++) {
            int s = reverse ? t - 1 - k : k;
            RNNSteps.Step step = steps[s] = RNNSteps.forward(cell, reshape(xs[s], b, gh), hPrev, cPrev, w, bHh);
            Value m = mask.at(s);
            ys[s] = m == null ? step.h() : mul(step.h(), m);
            hPrev = m == null ? step.h() : blend(m, step.h(), hPrev);
            if (cell == Cell.LSTM) cPrev = m == null ? step.c() : blend(m, step.c(), cPrev);
        }
        for (int s = 0; s < t; s++) ys[s] = reshape(ys[s], b, 1, h);
        return new Unrolled(steps, concat(1, ys), hPrev, cPrev);
    }

    /**
     * The rule of a recurrent op: from dys = {dy (B,T,H), dh, dc} (any may be null) the gradients of ins = {proj, h0,
     * c0, W_hh, b_hh}. Steps are walked in reverse order of computation; a step past a sequence's end passes the
     * state's gradient through unchanged (the (1 − m) part of the blend) and takes none itself. W_hh's gradient,
     * Σ_t dhh_tᵀ h_(t−1), is one matmul of all steps at the end.
     */
    private static Value[] backThroughTime(Cell cell, Unrolled run, Value[] dys, Value[] ins, Mask mask, boolean reverse) {
        Value proj = ins[0], w = ins[3];
        int b = proj.shape().dim(0), t = proj.shape().dim(1), gh = proj.shape().dim(2), h = ins[1].shape().dim(1);
        Value[] dyAt = dys[0] == null ? null : split(dys[0], 1, t), dxs = new Value[t];
        Value dh = dys[1], dc = cell == Cell.LSTM ? dys[2] : null;
        List<Value> dhhs = new ArrayList<>(), hPrevs = new ArrayList<>();
        Value[] hPrevAt = new Value[t];
        boolean dhhIsDxs = true;   // LSTM and the plain RNNs: a step's gate gradient is both dproj's and W_hh's
        for (int k = t - 1; k >= 0; k--) {
            int s = reverse ? t - 1 - k : k;
            RNNSteps.Step step = run.steps[s];
            Value m = mask.at(s), dy = dyAt == null ? null : reshape(dyAt[s], b, h);
            Value dhNew = plus(dy, dh), dcNew = dc, carryH = null, carryC = null;
            if (m != null) {
                Value keep = mask.kept(s);
                carryH = times(keep, dh);
                carryC = times(keep, dc);
                dhNew = times(m, dhNew);
                dcNew = times(m, dc);
            }
            RNNSteps.Back back = RNNSteps.backward(cell, step, dhNew, dcNew);
            dxs[s] = back.dxs() != null ? reshape(back.dxs(), b, 1, gh) : value(proj.backend().memory().zeros(Shape.of(b, 1, gh), proj.dtype()));
            dh = plus(carryH, back.dhPrev());
            hPrevAt[s] = step.hPrev();
            if (back.dhh() != null) {
                dhhIsDxs &= back.dhh() == back.dxs();
                dhhs.add(back.dhh());
                hPrevs.add(step.hPrev());
                dh = plus(dh, RNNSteps.hiddenBack(back.dhh(), w));
            }
            dc = plus(carryC, back.dcPrev());
        }
        Value dProj = concat(1, dxs), dW = null, dbHh = null;
        if (!dhhs.isEmpty()) {
            Value g, hs;
            if (dhhIsDxs) {
                // dproj already holds every step's gate gradient, batch-major: W_hh's gradient reads it as (B·T, G)
                // instead of a second, step-major copy (a step without a gradient has zeros there, which add nothing).
                g = reshape(dProj, b * t, gh);
                for (int i = 0; i < t; i++) hPrevAt[i] = reshape(hPrevAt[i], b, 1, h);
                hs = reshape(concat(1, hPrevAt), b * t, h);
            } else {
                g = dhhs.size() == 1 ? dhhs.get(0) : concat(0, dhhs.toArray(Value[]::new));
                hs = hPrevs.size() == 1 ? hPrevs.get(0) : concat(0, hPrevs.toArray(Value[]::new));
            }
            dW = matmul(g, hs, true, false);
            if (ins[4] != null) dbHh = sum(g, false, 0);
        }
        return new Value[]{dProj, dh, dc, dW, dbHh};
    }

    /** a + b where null means zero. */
    private static Value plus(Value a, Value b) { return a == null ? b : b == null ? a : add(a, b); }

    /** m ⊙ g where a null g means zero. */
    private static Value times(Value m, Value g) { return g == null ? null : mul(g, m); }

    /** m⊙next + (1−m)⊙prev, written as prev + m⊙(next − prev): sequences that have ended keep their state. */
    private static Value blend(Value m, Value next, Value prev) { return add(prev, mul(m, sub(next, prev))); }

    private static void expect(String op, String name, Value v, Shape shape) {
        if (!v.shape().equals(shape)) throw new IllegalArgumentException(op + ": " + name + " must be " + shape + ", got " + v.shape());
    }

    /** An initial state as (B,H): zeros (of like's backend and dtype) when null, PyTorch's (1,B,H) accepted. */
    private static Value state(String op, String name, Value s, Value like, int b, int h) {
        if (s == null) return new Value(like.backend().memory().zeros(Shape.of(b, h), like.dtype()));
        if (s.shape().equals(Shape.of(1, b, h))) return reshape(s, b, h);
        expect(op, name, s, Shape.of(b, h));
        return s;
    }

    /**
     * Per-step (B,1) masks for ragged batches: 1 while a sequence is running, 0 after its end, and their complements
     * (kept); null where all run.
     */
    private record Mask(Value[] steps, Value[] kept) {
        /** The masks, of like's backend and dtype, for x (its shape for messages). */
        static Mask of(String op, int[] lengths, Value like, Shape x, int b, int t) {
            Value[] steps = new Value[t], kept = new Value[t];
            if (lengths == null) return new Mask(steps, kept);
            if (lengths.length != b) throw new IllegalArgumentException(op + ": " + lengths.length + " lengths for a batch of " + b + " in x " + x);
            for (int len : lengths)
                if (len < 0 || len > t) throw new IllegalArgumentException(op + ": lengths " + Arrays.toString(lengths) + " must lie in [0, " + t + "] for x " + x);
            for (int s = 0; s < t; s++) {
                double[] m = new double[b];
                boolean ragged = false;
                for (int i = 0; i < b; i++) {
                    m[i] = s < lengths[i] ? 1 : 0;
                    ragged |= m[i] == 0;
                }
                if (!ragged) continue;
                steps[s] = new Value(like.backend().memory().fromArray(m, Shape.of(b, 1), like.dtype()));
                for (int i = 0; i < b; i++) m[i] = 1 - m[i];
                kept[s] = new Value(like.backend().memory().fromArray(m, Shape.of(b, 1), like.dtype()));
            }
            return new Mask(steps, kept);
        }

        Value at(int s) { return steps[s]; }

        Value kept(int s) { return kept[s]; }
    }
}
