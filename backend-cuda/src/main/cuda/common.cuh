// Shared by every KnetJ kernel file: the strided index map, the geometry records and the grid-stride loop.
// Each kernel is written once as a template and instantiated for float (suffix _f32) and double (_f64)
// with extern "C" names, so that the Java kernel table can find them in the PTX by name.
#pragma once

#define KNETJ_MAX_RANK 8

// A row-major walk over `dims` that reads (or writes) element `offset + sum(index[k] * strides[k])` of a
// buffer: permute, broadcast (stride 0), slice (offset) and concat all reduce to this one map.
// Java passes it by value as 18 ints, so its layout must stay exactly this.
struct Strided {
    int rank;
    int offset;
    int dims[KNETJ_MAX_RANK];
    int strides[KNETJ_MAX_RANK];
};

__device__ __forceinline__ int strided_offset(const Strided& s, int i) {
    int off = s.offset;
    for (int k = s.rank - 1; k >= 0; k--) {
        int d = s.dims[k];
        int q = i / d;
        off += (i - q * d) * s.strides[k];
        i = q;
    }
    return off;
}

// Convolution geometry, passed by value as 14 ints (Java's CudaConvolution builds it).
struct ConvGeom {
    int n, c, h, w;       // input N, C, H, W
    int kh, kw;           // kernel size
    int sh, sw, ph, pw;   // stride, padding
    int dh, dw;           // dilation
    int ho, wo;           // output size
};

// Pooling geometry, passed by value as 13 ints.
struct PoolGeom {
    int n, c, h, w;
    int kh, kw, sh, sw, ph, pw;
    int ho, wo;
    int count_include_pad;
};

// Java's Math.max/min propagate NaN; CUDA's fmax/fmin drop it. Every backend must agree with the reference.
template <typename T> __device__ __forceinline__ T jmax(T a, T b) { return (a != a || b != b) ? a + b : (a > b ? a : b); }
template <typename T> __device__ __forceinline__ T jmin(T a, T b) { return (a != a || b != b) ? a + b : (a < b ? a : b); }

#define GRID_STRIDE(i, n) for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)
