// Layout kernels: every reshape, permute, broadcast, slice, concat and pad is a gather (out[i] = x[map(i)])
// or a scatter (out[map(i)] = x[i]) through one strided map; CudaLayout.java builds the maps.
#include "common.cuh"

#define KNETJ_LAYOUT(T, S)                                                                                       \
    extern "C" __global__ void gather_##S(int n, Strided src, const T* x, T* y) {                                \
        GRID_STRIDE(i, n) y[i] = x[strided_offset(src, i)];                                                     \
    }                                                                                                            \
    extern "C" __global__ void scatter_##S(int n, Strided dst, const T* x, T* y) {                               \
        GRID_STRIDE(i, n) y[strided_offset(dst, i)] = x[i];                                                     \
    }

KNETJ_LAYOUT(float, f32)
KNETJ_LAYOUT(double, f64)
