package io.github.knetj.autograd;

import io.github.knetj.api.Fused;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;

import static io.github.knetj.autograd.Ops.*;

/**
 * One step of each recurrent cell, forward and backward, for {@link RNNOps}. Each runs on the backend's fused kernels
 * ({@link Fused#lstmCell}, {@link Fused#recurrentMatmul}, ...) when nothing it reads needs differentiating, and is
 * composed from {@link Ops} when it does: while a backward pass is itself being recorded (higher orders). The
 * equations are PyTorch's, gate orders LSTM i, f, g, o and GRU r, z, n.
 */
final class RNNSteps {
    private RNNSteps() {}

    /**
     * What one step keeps for its backward pass: the state it read (hPrev, cPrev), its pre-activations (the LSTM's
     * gates, the GRU's input part), the GRU's hidden part hg, the fused kernel's saved activations, and the new state.
     */
    record Step(Value hPrev, Value cPrev, Value pre, Value hg, Value act, Value h, Value c) {}

    /** A step's gradients: of its projected input, of its hidden product h·W_hhᵀ, and straight to hPrev and cPrev. */
    record Back(Value dxs, Value dhh, Value dhPrev, Value dcPrev) {}

    /** Whether a step must be differentiable: a backward pass is being recorded and it reads a tracked value. */
    private static boolean differentiable(Value... vs) {
        if (!AutoGrad.recording()) return false;
        for (Value v : vs) if (v != null && v.tracked()) return true;
        return false;
    }

    private static Fused fused(Value v) { return v.backend().fused(); }

    /** h·W_hhᵀ: the backend's recurrent product, which may keep W_hh prepared across the steps. */
    static Value hidden(Value h, Value w) {
        return differentiable(h, w) ? matmul(h, w, false, true) : value(fused(h).recurrentMatmul(h.data(), w.data(), true));
    }

    /** g·W_hh: the gradient of a hidden product with respect to the state it read. */
    static Value hiddenBack(Value g, Value w) {
        return differentiable(g, w) ? matmul(g, w) : value(fused(g).recurrentMatmul(g.data(), w.data(), false));
    }

    /** One step from the projected input xs (B, G·H) and the state, with the hidden bias b_hh for GRU. */
    static Step forward(RNNOps.Cell cell, Value xs, Value hPrev, Value cPrev, Value w, Value bHh) {
        Value hh = hidden(hPrev, w);
        return switch (cell) {
            case LSTM -> {
                Value gates = add(xs, hh);
                if (differentiable(gates, cPrev)) {
                    Value[] z = split(gates, 1, 4);
                    Value i = sigm(z[0]), f = sigm(z[1]), g = tanh(z[2]), o = sigm(z[3]);
                    Value c = add(mul(f, cPrev), mul(i, g));
                    yield new Step(hPrev, cPrev, gates, null, null, mul(o, tanh(c)), c);
                }
                Tensor[] out = fused(gates).lstmCell(gates.data(), cPrev.data());
                yield new Step(hPrev, cPrev, gates, null, value(out[2]), value(out[0]), value(out[1]));
            }
            case GRU -> {
                Value hg = bHh == null ? hh : add(hh, bHh);
                if (differentiable(xs, hg, hPrev)) {
                    Value[] xg = split(xs, 1, 3), hs = split(hg, 1, 3);
                    Value r = sigm(add(xg[0], hs[0])), z = sigm(add(xg[1], hs[1]));
                    Value n = tanh(add(xg[2], mul(r, hs[2])));
                    yield new Step(hPrev, null, xs, hg, null, add(n, mul(z, sub(hPrev, n))), null);
                }
                Tensor[] out = fused(xs).gruCell(xs.data(), hg.data(), hPrev.data());
                yield new Step(hPrev, null, xs, hg, value(out[1]), value(out[0]), null);
            }
            case RNN_TANH -> new Step(hPrev, null, null, null, null, tanh(add(xs, hh)), null);
            case RNN_RELU -> new Step(hPrev, null, null, null, null, relu(add(xs, hh)), null);
        };
    }

    /** The step's backward pass from dh and dc, the gradients of its new state (either may be null: none). */
    static Back backward(RNNOps.Cell cell, Step s, Value dh, Value dc) {
        if (dh == null && dc == null) return new Back(null, null, null, null);
        return switch (cell) {
            case LSTM -> {
                Value[] d;
                if (differentiable(s.pre(), s.cPrev(), dh, dc)) d = lstmComposed(s.pre(), s.cPrev(), dh, dc);
                else {
                    Tensor[] t = fused(s.pre()).lstmCellBackward(dh == null ? null : dh.data(), dc == null ? null : dc.data(), s.act().data(), s.cPrev().data());
                    d = new Value[]{value(t[0]), value(t[1])};
                }
                yield new Back(d[0], d[0], null, d[1]);
            }
            case GRU -> {
                if (dh == null) yield new Back(null, null, null, null);
                Value[] d;
                if (differentiable(s.pre(), s.hg(), s.hPrev(), dh)) d = gruComposed(s.pre(), s.hg(), s.hPrev(), dh);
                else {
                    Tensor[] t = fused(dh).gruCellBackward(dh.data(), s.act().data(), s.hg().data(), s.hPrev().data());
                    d = new Value[]{value(t[0]), value(t[1]), value(t[2])};
                }
                yield new Back(d[0], d[1], d[2], null);
            }
            case RNN_TANH -> { if (dh == null) yield new Back(null, null, null, null); Value dz = mul(dh, affine(square(s.h()), -1, 1)); yield new Back(dz, dz, null, null); }
            case RNN_RELU -> { if (dh == null) yield new Back(null, null, null, null); Value dz = mul(dh, step(s.h())); yield new Back(dz, dz, null, null); }
        };
    }

    /**
     * The LSTM cell's backward pass written with differentiable ops, from its gates and input cell state:
     * dĉ = dc + dh⊙o⊙(1 − tanh²c'), dz_i = dĉ⊙g⊙i(1−i), dz_f = dĉ⊙c⊙f(1−f), dz_g = dĉ⊙i⊙(1−g²),
     * dz_o = dh⊙tanh(c')⊙o(1−o), dc_prev = dĉ⊙f. Returns {dgates, dc_prev}.
     */
    private static Value[] lstmComposed(Value gates, Value c, Value dh, Value dc) {
        Value[] z = split(gates, 1, 4);
        Value i = sigm(z[0]), f = sigm(z[1]), g = tanh(z[2]), o = sigm(z[3]);
        Value tc = tanh(add(mul(f, c), mul(i, g)));
        if (dh == null) dh = zerosLike(c);
        Value dcHat = mul(mul(dh, o), affine(square(tc), -1, 1));
        if (dc != null) dcHat = add(dcHat, dc);
        Value di = mul(mul(dcHat, g), sigmoidSlope(i)), df = mul(mul(dcHat, c), sigmoidSlope(f));
        Value dg = mul(mul(dcHat, i), affine(square(g), -1, 1)), dOut = mul(mul(dh, tc), sigmoidSlope(o));
        return new Value[]{concat(1, di, df, dg, dOut), mul(dcHat, f)};
    }

    /**
     * The GRU cell's backward pass written with differentiable ops: dn̂ = dh⊙(1−z)⊙(1−n²), dr̂ = dn̂⊙h_n⊙r(1−r),
     * dẑ = dh⊙(h−n)⊙z(1−z); returns {dxg = [dr̂, dẑ, dn̂], dhg = [dr̂, dẑ, dn̂⊙r], dh_prev = dh⊙z}.
     */
    private static Value[] gruComposed(Value xs, Value hg, Value h, Value dh) {
        Value[] xg = split(xs, 1, 3), hs = split(hg, 1, 3);
        Value r = sigm(add(xg[0], hs[0])), z = sigm(add(xg[1], hs[1]));
        Value n = tanh(add(xg[2], mul(r, hs[2])));
        Value dn = mul(mul(dh, affine(z, -1, 1)), affine(square(n), -1, 1));
        Value dr = mul(mul(dn, hs[2]), sigmoidSlope(r));
        Value dz = mul(mul(dh, sub(h, n)), sigmoidSlope(z));
        return new Value[]{concat(1, dr, dz, dn), concat(1, dr, dz, mul(dn, r)), mul(dh, z)};
    }

    /** y(1 − y), the derivative of σ from its value. */
    private static Value sigmoidSlope(Value y) { return mul(y, affine(y, -1, 1)); }
}
