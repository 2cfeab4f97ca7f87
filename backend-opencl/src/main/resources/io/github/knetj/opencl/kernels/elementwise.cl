// Element-wise kernels. The op codes U_* and B_* are -D definitions made from the Java enums UnaryOp and BinaryOp,
// so the two can never drift apart. Every formula mirrors the reference backend's, including its NaN behaviour.

#define SQRT_HALF ((real) 0.70710678118654752440)

// 1/(1+e^-x) with an exponent that is never positive: no overflow at ±800.
inline real sigmoid_of(real x) {
    if (x >= 0) return 1 / (1 + exp(-x));
    real e = exp(x);
    return e / (1 + e);
}

// log(1+e^x) = max(x,0) + log1p(e^-|x|); the ternary keeps NaN as NaN, where fmax would drop it.
inline real softplus_of(real x) { return (x > 0 ? x : (isnan(x) ? x : 0)) + log1p(exp(-fabs(x))); }

__attribute__((always_inline)) inline real unary_apply(int op, real x, real p) {   // as binary_apply below
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_SQUARE: return x * x;
        case U_RECIPROCAL: return 1 / x;
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoid_of(x);
        case U_RELU: return x > 0 ? x : 0;
        case U_LEAKY_RELU: return x > 0 ? x : p * x;
        case U_ELU: return x > 0 ? x : p * expm1(x);
        case U_SELU: return (real) SELU_SCALE * (x > 0 ? x : (real) SELU_ALPHA * expm1(x));
        case U_GELU: return (real) 0.5 * x * (1 + erf(x * SQRT_HALF));
        case U_SOFTPLUS: return softplus_of(x);
        case U_LOGSIGMOID: return -softplus_of(-x);
        case U_ERF: return erf(x);
        case U_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : x);
        case U_STEP: return x > 0 ? 1 : 0;
        default: return NAN;
    }
}

// Java's Math.max and Math.min: NaN wins.
inline real max_nan(real a, real b) { return isnan(a) || isnan(b) ? a + b : (a > b ? a : b); }
inline real min_nan(real a, real b) { return isnan(a) || isnan(b) ? a + b : (a < b ? a : b); }

// Always inlined: as a call, PoCL ran it per element, op switch and all (9% of a LeNet step); inlined, the uniform op
// is unswitched out of the work-item loop, which then vectorizes.
__attribute__((always_inline)) inline real binary_apply(int op, real a, real b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return pow(a, b);
        case B_MAXIMUM: return max_nan(a, b);
        case B_MINIMUM: return min_nan(a, b);
        case B_GT: return a > b ? 1 : 0;
        case B_GE: return a >= b ? 1 : 0;
        case B_LT: return a < b ? 1 : 0;
        case B_LE: return a <= b ? 1 : 0;
        case B_EQ: return a == b ? 1 : 0;
        case B_NE: return a != b ? 1 : 0;
        default: return NAN;
    }
}

// unary and binary_same: work-item i does elements [i·CHUNK, (i+1)·CHUNK) in a loop whose op is a constant, so it
// vectorizes. PoCL did not unswitch the op out of a one-element work-item (a jump table per element: relu and the
// products of LeNet's backward pass ran scalar). The ops a training step uses most have their own loop; the others
// share one that dispatches per element, with the same formulas. CHUNK is a -D definition: 256 on CPU devices, 1 on
// GPUs, where neighbouring work-items should read neighbouring floats (ClContext).
#define UNARY_LOOP(OP) for (int i = i0; i < i1; i++) y[i] = unary_apply(OP, x[i], p)
#define BINARY_LOOP(OP) for (int i = i0; i < i1; i++) y[i] = binary_apply(OP, a[i], b[i])

kernel void unary(int op, global const real* restrict x, global real* restrict y, int n, real p) {
    int i0 = get_global_id(0) * CHUNK, i1 = min(n, i0 + CHUNK);
    switch (op) {
        case U_RELU: UNARY_LOOP(U_RELU); break;
        case U_STEP: UNARY_LOOP(U_STEP); break;
        case U_NEG: UNARY_LOOP(U_NEG); break;
        case U_SQUARE: UNARY_LOOP(U_SQUARE); break;
        case U_EXP: UNARY_LOOP(U_EXP); break;
        case U_TANH: UNARY_LOOP(U_TANH); break;
        case U_SIGMOID: UNARY_LOOP(U_SIGMOID); break;
        default: UNARY_LOOP(op);
    }
}

// Both operands already have the output's shape: no index arithmetic.
kernel void binary_same(int op, global const real* restrict a, global const real* restrict b, global real* restrict y, int n) {
    int i0 = get_global_id(0) * CHUNK, i1 = min(n, i0 + CHUNK);
    switch (op) {
        case B_ADD: BINARY_LOOP(B_ADD); break;
        case B_SUB: BINARY_LOOP(B_SUB); break;
        case B_MUL: BINARY_LOOP(B_MUL); break;
        case B_DIV: BINARY_LOOP(B_DIV); break;
        default: BINARY_LOOP(op);
    }
}

// NumPy broadcasting: each operand is read through strides with 0 along its stretched axes.
kernel void binary_broadcast(int op, global const real* a, global const real* b, global real* y, int n,
                             int rank, int8 dims, int8 a_strides, int8 b_strides) {
    int i = get_global_id(0);
    if (i < n) y[i] = binary_apply(op, a[strided_offset(i, rank, dims, a_strides)], b[strided_offset(i, rank, dims, b_strides)]);
}

// A broadcast along the innermost axis (a bias per channel): one operand laid out as the output, the other constant
// along each row. Work-item (row, outer) does one row with the op chosen once, so each loop vectorizes:
// binary_broadcast3, reading both operands through run-time strides with the op switch in every element, spent 9%
// of a LeNet step on PoCL adding the conv biases. swap puts the broadcast operand first.
kernel void binary_rows3(int op, int swap, global const real* restrict x, global const real* restrict r, global real* restrict y,
                         int8 dims, int8 r_strides) {
    int i1 = get_global_id(0), i0 = get_global_id(1), n = dims.s2;
    global const real* xr = x + (i0 * dims.s1 + i1) * n;
    global real* yr = y + (i0 * dims.s1 + i1) * n;
    real v = r[i0 * r_strides.s0 + i1 * r_strides.s1];
    if (op == B_ADD) for (int k = 0; k < n; k++) yr[k] = xr[k] + v;
    else if (op == B_MUL) for (int k = 0; k < n; k++) yr[k] = xr[k] * v;
    else if (op == B_SUB && swap) for (int k = 0; k < n; k++) yr[k] = v - xr[k];
    else if (op == B_SUB) for (int k = 0; k < n; k++) yr[k] = xr[k] - v;
    else if (swap) for (int k = 0; k < n; k++) yr[k] = binary_apply(op, v, xr[k]);
    else for (int k = 0; k < n; k++) yr[k] = binary_apply(op, xr[k], v);
}

kernel void affine(global const real* x, global real* y, int n, real scale, real shift) {
    int i = get_global_id(0);
    if (i < n) y[i] = scale * x[i] + shift;
}

// ReLU's gradient dy·step(x) in one pass: multiplied, not selected, so that its bits are those of the composed
// mul(dy, step(x)) (−0 for a negative dy and NaN for an infinite one where x ≤ 0).
kernel void relu_backward(global const real* x, global const real* dy, global real* dx, int n) {
    int i = get_global_id(0);
    if (i < n) dx[i] = dy[i] * (x[i] > 0 ? (real) 1 : (real) 0);
}

// Adam: m' = β1·m + (1−β1)·g, v' = β2·v + (1−β2)·g², w' = w − step·m' / (scale·√v' + eps), in acc_t (double where
// the device has it, as the reference computes), each output rounded once; c1 = 1 − β1 and c2 = 1 − β2 come from the
// host, computed there in double.
kernel void adam_step(global const real* w, global const real* g, global const real* m, global const real* v,
                      global real* w1, global real* m1, global real* v1, int n,
                      real beta1, real c1, real beta2, real c2, real step, real scale, real eps) {
    int i = get_global_id(0);
    if (i >= n) return;
    acc_t gi = g[i], mi = (acc_t) beta1 * m[i] + (acc_t) c1 * gi, vi = (acc_t) beta2 * v[i] + (acc_t) c2 * gi * gi;
    real mr = (real) mi, vr = (real) vi;
    m1[i] = mr;
    v1[i] = vr;
    w1[i] = (real) (w[i] - (acc_t) step * mr / ((acc_t) scale * sqrt((acc_t) vr) + (acc_t) eps));
}

// Broadcasting over at most 3 (merged) axes: a 3-D range, no divisions. Lanes 0..2 hold the axes, outermost first.
kernel void binary_broadcast3(int op, global const real* a, global const real* b, global real* y,
                              int8 dims, int8 a_strides, int8 b_strides) {
    int i2 = get_global_id(0), i1 = get_global_id(1), i0 = get_global_id(2);
    real va = a[i0 * a_strides.s0 + i1 * a_strides.s1 + i2 * a_strides.s2];
    real vb = b[i0 * b_strides.s0 + i1 * b_strides.s1 + i2 * b_strides.s2];
    y[(i0 * dims.s1 + i1) * dims.s2 + i2] = binary_apply(op, va, vb);
}
