package io.github.knetj.api;

/**
 * The recurrent cells of {@link Fused} composed from the primitives, with PyTorch's equations and gate orders. The
 * CPU backend replaces each with a one-pass kernel; a backend with only the primitives runs these.
 */
final class ComposedCells {
    private ComposedCells() {}

    /**
     * One LSTM cell step, PyTorch's equations and gate order i, f, g, o:
     * <pre>
     * i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)   c' = f⊙c + i⊙g   h' = o⊙tanh(c')
     * </pre>
     * from the pre-activations {@code gates} z = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh (B, 4H) and the cell state
     * {@code c} (B, H). Returns {h' (B, H), c' (B, H), act (B, 5H)}, act holding i, f, g, o and tanh(c') side by side:
     * what {@link #lstmCellBackward} needs.
     */
    static Tensor[] lstmCell(Tensor gates, Tensor c) {
        int h = cellWidth("lstmCell", gates, 4, c);
        Backend be = gates.backend();
        Fused e = be.fused();
        Layout l = be.layout();
        Tensor i = e.unary(UnaryOp.SIGMOID, l.slice(gates, 1, 0, h)), f = e.unary(UnaryOp.SIGMOID, l.slice(gates, 1, h, 2 * h));
        Tensor g = e.unary(UnaryOp.TANH, l.slice(gates, 1, 2 * h, 3 * h)), o = e.unary(UnaryOp.SIGMOID, l.slice(gates, 1, 3 * h, 4 * h));
        Tensor c2 = e.binary(BinaryOp.ADD, e.binary(BinaryOp.MUL, f, c), e.binary(BinaryOp.MUL, i, g));
        Tensor tc = e.unary(UnaryOp.TANH, c2);
        return new Tensor[] {e.binary(BinaryOp.MUL, o, tc), c2, l.concat(1, i, f, g, o, tc)};
    }

    /**
     * The backward pass of {@link #lstmCell}: from the gradients dh of h' and dc of c' (B, H; either may be null for
     * none), the cell's {@code act} (B, 5H) and its input state {@code c} (B, H), returns {dgates (B, 4H), dc (B, H)}:
     * <pre>
     * dĉ = dc + dh⊙o⊙(1 − tanh²c')   dz_i = dĉ⊙g⊙i(1−i)   dz_f = dĉ⊙c⊙f(1−f)   dz_g = dĉ⊙i⊙(1−g²)
     * dz_o = dh⊙tanh(c')⊙o(1−o)      dc_prev = dĉ⊙f
     * </pre>
     */
    static Tensor[] lstmCellBackward(Tensor dh, Tensor dc, Tensor act, Tensor c) {
        int h = cellWidth("lstmCellBackward", act, 5, c);
        cellGradient("lstmCellBackward", "dh", dh, c);
        cellGradient("lstmCellBackward", "dc", dc, c);
        Backend be = act.backend();
        Fused e = be.fused();
        Layout l = be.layout();
        Tensor i = l.slice(act, 1, 0, h), f = l.slice(act, 1, h, 2 * h), g = l.slice(act, 1, 2 * h, 3 * h);
        Tensor o = l.slice(act, 1, 3 * h, 4 * h), tc = l.slice(act, 1, 4 * h, 5 * h);
        if (dh == null) dh = be.memory().zeros(c.shape(), c.dtype());
        Tensor dcHat = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dh, o), oneMinusSquare(e, tc));
        if (dc != null) dcHat = e.binary(BinaryOp.ADD, dcHat, dc);
        Tensor di = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dcHat, g), sigmoidSlope(e, i));
        Tensor df = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dcHat, c), sigmoidSlope(e, f));
        Tensor dg = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dcHat, i), oneMinusSquare(e, g));
        Tensor dOut = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dh, tc), sigmoidSlope(e, o));
        return new Tensor[] {l.concat(1, di, df, dg, dOut), e.binary(BinaryOp.MUL, dcHat, f)};
    }

    /**
     * One GRU cell step, PyTorch's equations and gate order r, z, n:
     * <pre>
     * r = σ(x_r + h_r)   z = σ(x_z + h_z)   n = tanh(x_n + r⊙h_n)   h' = (1−z)⊙n + z⊙h
     * </pre>
     * from the input part {@code xg} = x W_ihᵀ + b_ih (B, 3H), the hidden part {@code hg} = h W_hhᵀ + b_hh (B, 3H), kept
     * apart because the reset gate multiplies h_n = W_hn h + b_hn alone, and the state {@code h} (B, H). Returns
     * {h' (B, H), act (B, 3H)}, act holding r, z and n side by side for {@link #gruCellBackward}.
     */
    static Tensor[] gruCell(Tensor xg, Tensor hg, Tensor h) {
        int w = cellWidth("gruCell", xg, 3, h);
        cellWidth("gruCell", hg, 3, h);
        Backend be = xg.backend();
        Fused e = be.fused();
        Layout l = be.layout();
        Tensor rz = e.unary(UnaryOp.SIGMOID, e.binary(BinaryOp.ADD, l.slice(xg, 1, 0, 2 * w), l.slice(hg, 1, 0, 2 * w)));
        Tensor r = l.slice(rz, 1, 0, w), z = l.slice(rz, 1, w, 2 * w);
        Tensor n = e.unary(UnaryOp.TANH, e.binary(BinaryOp.ADD, l.slice(xg, 1, 2 * w, 3 * w), e.binary(BinaryOp.MUL, r, l.slice(hg, 1, 2 * w, 3 * w))));
        Tensor h2 = e.binary(BinaryOp.ADD, n, e.binary(BinaryOp.MUL, z, e.binary(BinaryOp.SUB, h, n)));
        return new Tensor[] {h2, l.concat(1, rz, n)};
    }

    /**
     * The backward pass of {@link #gruCell}: from the gradient dh of h' (B, H), the cell's {@code act} (B, 3H), its
     * hidden part {@code hg} (B, 3H) and state {@code h} (B, H), returns {dxg (B, 3H), dhg (B, 3H), dh_prev (B, H)}:
     * <pre>
     * dn̂ = dh⊙(1−z)⊙(1−n²)   dr̂ = dn̂⊙h_n⊙r(1−r)   dẑ = dh⊙(h−n)⊙z(1−z)
     * dxg = [dr̂, dẑ, dn̂]      dhg = [dr̂, dẑ, dn̂⊙r]   dh_prev = dh⊙z
     * </pre>
     */
    static Tensor[] gruCellBackward(Tensor dh, Tensor act, Tensor hg, Tensor h) {
        int w = cellWidth("gruCellBackward", act, 3, h);
        cellWidth("gruCellBackward", hg, 3, h);
        cellGradient("gruCellBackward", "dh", dh, h);
        Backend be = act.backend();
        Fused e = be.fused();
        Layout l = be.layout();
        Tensor r = l.slice(act, 1, 0, w), z = l.slice(act, 1, w, 2 * w), n = l.slice(act, 1, 2 * w, 3 * w);
        Tensor dn = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dh, e.affine(z, -1, 1)), oneMinusSquare(e, n));
        Tensor dr = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dn, l.slice(hg, 1, 2 * w, 3 * w)), sigmoidSlope(e, r));
        Tensor dz = e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, dh, e.binary(BinaryOp.SUB, h, n)), sigmoidSlope(e, z));
        return new Tensor[] {l.concat(1, dr, dz, dn), l.concat(1, dr, dz, e.binary(BinaryOp.MUL, dn, r)), e.binary(BinaryOp.MUL, dh, z)};
    }

    /** The width H of a cell whose {@code wide} tensor must be (B, k·H) beside its state (B, H); errors name op, shapes and dtypes. */
    private static int cellWidth(String op, Tensor wide, int k, Tensor state) {
        Checks.sameBackendAndDtype(op, wide.backend(), wide, state);
        Shape s = state.shape();
        if (s.rank() != 2 || !wide.shape().equals(Shape.of(s.dim(0), k * s.dim(1))))
            throw new IllegalArgumentException(op + ": expected a state (B, H) and a (B, " + k + "·H) tensor, got " + Checks.describe(state, wide));
        return s.dim(1);
    }

    private static void cellGradient(String op, String name, Tensor g, Tensor state) {
        if (g == null) return;
        Checks.sameBackendAndDtype(op, state.backend(), g, state);
        if (!g.shape().equals(state.shape()))
            throw new IllegalArgumentException(op + ": " + name + " must have the state's shape " + state.shape() + ", got " + Checks.describe(g));
    }

    /** 1 − y², the derivative of tanh from its value. */
    private static Tensor oneMinusSquare(Fused e, Tensor y) { return e.affine(e.unary(UnaryOp.SQUARE, y), -1, 1); }

    /** y(1 − y), the derivative of σ from its value. */
    private static Tensor sigmoidSlope(Fused e, Tensor y) { return e.binary(BinaryOp.MUL, y, e.affine(y, -1, 1)); }
}
