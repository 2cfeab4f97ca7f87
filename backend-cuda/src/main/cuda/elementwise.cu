// Element-wise kernels: unary functions by op code, binary functions (same shape, or broadcast through two
// strided maps), the fused scale-and-shift, fill, and dtype casts. Op codes are the table in CudaElementwise.java.
#include "common.cuh"

enum UnaryCode {
    U_NEG, U_ABS, U_EXP, U_LOG, U_SQRT, U_SQUARE, U_RECIPROCAL, U_TANH, U_SIGMOID, U_RELU, U_LEAKY_RELU,
    U_ELU, U_SELU, U_GELU, U_SOFTPLUS, U_LOGSIGMOID, U_ERF, U_SIGN, U_STEP
};
enum BinaryCode { B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_GT, B_GE, B_LT, B_LE, B_EQ, B_NE };

// The exponent is never positive: no overflow at +-800.
template <typename T> __device__ __forceinline__ T sigmoid(T x) {
    if (x >= 0) return T(1) / (T(1) + exp(-x));
    T e = exp(x);
    return e / (T(1) + e);
}

// max(x,0) + log1p(e^-|x|): exact for large |x| and never overflows.
template <typename T> __device__ __forceinline__ T softplus(T x) { return jmax(x, T(0)) + log1p(exp(-fabs(x))); }

template <typename T> __device__ T unary_apply(int op, T x, T p) {
    const T selu_scale = T(1.0507009873554804934193349852946), selu_alpha = T(1.6732632423543772848170429916717);
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabs(x);
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_SQUARE: return x * x;
        case U_RECIPROCAL: return T(1) / x;
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoid(x);
        case U_RELU: return x > 0 ? x : T(0);
        case U_LEAKY_RELU: return x > 0 ? x : p * x;
        case U_ELU: return x > 0 ? x : p * expm1(x);
        case U_SELU: return selu_scale * (x > 0 ? x : selu_alpha * expm1(x));
        case U_GELU: return T(0.5) * x * (T(1) + erf(x * T(0.70710678118654752440)));
        case U_SOFTPLUS: return softplus(x);
        case U_LOGSIGMOID: return -softplus(-x);
        case U_ERF: return erf(x);
        case U_SIGN: return x > 0 ? T(1) : (x < 0 ? T(-1) : x);   // keeps +-0 and NaN, like Math.signum
        case U_STEP: return x > 0 ? T(1) : T(0);
        default: return x;
    }
}

template <typename T> __device__ T binary_apply(int op, T a, T b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return pow(a, b);
        case B_MAXIMUM: return jmax(a, b);
        case B_MINIMUM: return jmin(a, b);
        case B_GT: return a > b ? T(1) : T(0);
        case B_GE: return a >= b ? T(1) : T(0);
        case B_LT: return a < b ? T(1) : T(0);
        case B_LE: return a <= b ? T(1) : T(0);
        case B_EQ: return a == b ? T(1) : T(0);
        case B_NE: return a != b ? T(1) : T(0);
        default: return a;
    }
}

#define KNETJ_ELEMENTWISE(T, S)                                                                                   \
    extern "C" __global__ void unary_##S(int op, double param, int n, const T* x, T* y) {                        \
        T p = T(param);                                                                                          \
        GRID_STRIDE(i, n) y[i] = unary_apply<T>(op, x[i], p);                                                   \
    }                                                                                                            \
    extern "C" __global__ void binary_same_##S(int op, int n, const T* a, const T* b, T* y) {                    \
        GRID_STRIDE(i, n) y[i] = binary_apply<T>(op, a[i], b[i]);                                               \
    }                                                                                                            \
    extern "C" __global__ void binary_bcast_##S(int op, int n, Strided sa, Strided sb, const T* a, const T* b,   \
                                                T* y) {                                                          \
        GRID_STRIDE(i, n) y[i] = binary_apply<T>(op, a[strided_offset(sa, i)], b[strided_offset(sb, i)]);      \
    }                                                                                                            \
    extern "C" __global__ void affine_##S(int n, double scale, double shift, const T* x, T* y) {                 \
        T s = T(scale), t = T(shift);                                                                            \
        GRID_STRIDE(i, n) y[i] = s * x[i] + t;                                                                   \
    }                                                                                                            \
    extern "C" __global__ void fill_##S(int n, double value, T* y) {                                             \
        T v = T(value);                                                                                          \
        GRID_STRIDE(i, n) y[i] = v;                                                                              \
    }

KNETJ_ELEMENTWISE(float, f32)
KNETJ_ELEMENTWISE(double, f64)

// cast_<destination>: the source is the other dtype.
extern "C" __global__ void cast_f32(int n, const double* x, float* y) { GRID_STRIDE(i, n) y[i] = float(x[i]); }
extern "C" __global__ void cast_f64(int n, const float* x, double* y) { GRID_STRIDE(i, n) y[i] = double(x[i]); }
