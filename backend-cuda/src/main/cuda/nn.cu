// Neural-network kernels: softmax and log-softmax along an axis of an (outer, n, inner) view, embedding
// gathers and their deterministic scatter-add (rows grouped on the host), and the class pick/place pair.
#include "common.cuh"

// One thread per (outer, inner) line; the max is subtracted first so every exponent is <= 0.
template <typename T> __device__ void softmax(int log_form, int outer, int n, int inner, const T* x, T* y) {
    GRID_STRIDE(t, outer * inner) {
        int o = t / inner, in = t - o * inner;
        long long base = (long long)o * n * inner + in;
        T m = T(-INFINITY), sum = 0;
        for (int k = 0; k < n; k++) m = jmax(m, x[base + (long long)k * inner]);
        for (int k = 0; k < n; k++) sum += exp(x[base + (long long)k * inner] - m);
        T log_sum = log(sum);
        for (int k = 0; k < n; k++) {
            T z = x[base + (long long)k * inner] - m;
            y[base + (long long)k * inner] = log_form ? z - log_sum : exp(z) / sum;
        }
    }
}

// Output row r sums the source rows order[start[r]] .. order[start[r+1]-1], in ascending source order.
template <typename T>
__device__ void scatter_add_rows(int rows, int width, const int* start, const int* order, const T* src, T* y) {
    GRID_STRIDE(t, rows * width) {
        int r = t / width, k = t - r * width;
        T acc = 0;
        for (int j = start[r]; j < start[r + 1]; j++) acc += src[(long long)order[j] * width + k];
        y[t] = acc;
    }
}

#define KNETJ_NN(T, S)                                                                                           \
    extern "C" __global__ void softmax_##S(int log_form, int outer, int n, int inner, const T* x, T* y) {        \
        softmax<T>(log_form, outer, n, inner, x, y);                                                             \
    }                                                                                                            \
    extern "C" __global__ void gather_rows_##S(int count, int width, const int* idx, const T* table, T* y) {     \
        GRID_STRIDE(t, count * width) {                                                                          \
            int i = t / width;                                                                                   \
            y[t] = table[(long long)idx[i] * width + (t - i * width)];                                          \
        }                                                                                                        \
    }                                                                                                            \
    extern "C" __global__ void scatter_add_rows_##S(int rows, int width, const int* start, const int* order,     \
                                                    const T* src, T* y) {                                        \
        scatter_add_rows<T>(rows, width, start, order, src, y);                                                  \
    }                                                                                                            \
    extern "C" __global__ void pick_classes_##S(int n, int classes, const int* labels, const T* x, T* y) {       \
        GRID_STRIDE(i, n) y[i] = x[(long long)i * classes + labels[i]];                                         \
    }                                                                                                            \
    extern "C" __global__ void place_classes_##S(int n, int classes, const int* labels, const T* g, T* y) {      \
        GRID_STRIDE(t, n * classes) {                                                                            \
            int i = t / classes;                                                                                 \
            y[t] = (t - i * classes) == labels[i] ? g[i] : T(0);                                                \
        }                                                                                                        \
    }

KNETJ_NN(float, f32)
KNETJ_NN(double, f64)
