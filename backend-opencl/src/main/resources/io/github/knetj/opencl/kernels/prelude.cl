// Shared by every kernel file: the element type `real` (float or double, chosen with -D REAL_DOUBLE), the
// accumulator `acc_t` (double wherever the device has fp64, so float32 sums round once like the reference backend),
// and the odometer that turns a flat index into a strided offset (broadcast, permute, slice, concat, pad).
#ifdef KNETJ_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

#ifdef REAL_DOUBLE
typedef double real;
typedef double4 real4;
typedef double8 real8;
typedef double16 real16;
#define vload_real8 vload8
#else
typedef float real;
typedef float4 real4;
typedef float8 real8;
typedef float16 real16;
#define vload_real8 vload8
#endif

#define MAX_RANK 8

// Offset of flat element i of a row-major tensor with `dims`, read through `strides` (stride 0 repeats an element).
inline int strided_offset(int i, int rank, int8 dims8, int8 strides8) {
    int dims[MAX_RANK], strides[MAX_RANK];
    vstore8(dims8, 0, dims);
    vstore8(strides8, 0, strides);
    int off = 0;
    for (int a = rank - 1; a >= 0; a--) {
        int d = dims[a];
        off += (i % d) * strides[a];
        i /= d;
    }
    return off;
}
