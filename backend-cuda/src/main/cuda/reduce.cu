// Reductions over the last axis of a (rows, cols) matrix: CudaReductions.java first permutes the reduced axes
// to the end. One block of 256 threads per row, a shared-memory tree in a fixed order (deterministic results).
#include "common.cuh"

#define REDUCE_THREADS 256
enum ReduceKind { R_SUM, R_MAX, R_LOGSUMEXP };

struct OpSum { template <typename T> __device__ static T apply(T a, T b) { return a + b; } };
struct OpMax { template <typename T> __device__ static T apply(T a, T b) { return jmax(a, b); } };

// Combines one value per thread; every thread receives the result.
template <typename Op, typename T> __device__ T block_reduce(T v) {
    __shared__ T sh[REDUCE_THREADS];
    int t = threadIdx.x;
    sh[t] = v;
    __syncthreads();
    for (int s = REDUCE_THREADS / 2; s > 0; s >>= 1) {
        if (t < s) sh[t] = Op::apply(sh[t], sh[t + s]);
        __syncthreads();
    }
    T r = sh[0];
    __syncthreads();
    return r;
}

template <typename T> __device__ T row_max(const T* row, int cols) {
    T m = T(-INFINITY);
    for (int j = threadIdx.x; j < cols; j += REDUCE_THREADS) m = jmax(m, row[j]);
    return block_reduce<OpMax>(m);
}

// kind R_SUM multiplies by `scale` (1 for sum, 1/count for mean).
template <typename T> __device__ void reduce_rows(int kind, int rows, int cols, double scale, const T* x, T* y) {
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* row = x + (long long)r * cols;
        T out;
        if (kind == R_MAX) {
            out = row_max(row, cols);
        } else if (kind == R_SUM) {
            T s = 0;
            for (int j = threadIdx.x; j < cols; j += REDUCE_THREADS) s += row[j];
            out = block_reduce<OpSum>(s) * T(scale);
        } else {
            // log sum e^x = m + log sum e^(x-m); an all -inf (or +inf) row has m itself as its value.
            T m = row_max(row, cols);
            T s = 0;
            for (int j = threadIdx.x; j < cols; j += REDUCE_THREADS) s += exp(row[j] - m);
            s = block_reduce<OpSum>(s);
            out = isinf(m) ? m : m + log(s);
        }
        if (threadIdx.x == 0) y[r] = out;
    }
}

// One thread per row; strictly greater keeps the first index of ties.
template <typename T> __device__ void argmax_rows(int rows, int cols, const T* x, int* out) {
    GRID_STRIDE(r, rows) {
        const T* row = x + (long long)r * cols;
        int best = 0;
        for (int j = 1; j < cols; j++) if (row[j] > row[best]) best = j;
        out[r] = best;
    }
}

#define KNETJ_REDUCE(T, S)                                                                                       \
    extern "C" __global__ void reduce_rows_##S(int kind, int rows, int cols, double scale, const T* x, T* y) {    \
        reduce_rows<T>(kind, rows, cols, scale, x, y);                                                           \
    }                                                                                                            \
    extern "C" __global__ void argmax_rows_##S(int rows, int cols, const T* x, int* out) {                      \
        argmax_rows<T>(rows, cols, x, out);                                                                      \
    }

KNETJ_REDUCE(float, f32)
KNETJ_REDUCE(double, f64)
