// Convolution and pooling kernels. conv2d is im2col + the GEMM of matmul.cu: the column matrix is
// (C*kh*kw, N*Ho*Wo), so one GEMM covers the whole batch. Every backward pass is a gather (each input cell
// sums what it contributed to), never an atomic scatter, so results are deterministic.
#include "common.cuh"

// cols[r][q], r = (c, ki, kj), q = (n, oh, ow); cells in the zero padding read as 0.
template <typename T> __device__ void im2col(ConvGeom g, const T* x, T* cols) {
    int p = g.ho * g.wo, q_total = g.n * p, total = g.c * g.kh * g.kw * q_total;
    GRID_STRIDE(i, total) {
        int r = i / q_total, q = i - r * q_total;
        int n = q / p, pp = q - n * p, oh = pp / g.wo, ow = pp - oh * g.wo;
        int c = r / (g.kh * g.kw), kk = r - c * g.kh * g.kw, ki = kk / g.kw, kj = kk - ki * g.kw;
        int h = oh * g.sh - g.ph + ki * g.dh, w = ow * g.sw - g.pw + kj * g.dw;
        cols[i] = (h >= 0 && h < g.h && w >= 0 && w < g.w) ? x[(((long long)n * g.c + c) * g.h + h) * g.w + w] : T(0);
    }
}

// dx[n][c][h][w] = sum of the column entries that im2col copied from that cell.
template <typename T> __device__ void col2im(ConvGeom g, const T* cols, T* dx) {
    int p = g.ho * g.wo, q_total = g.n * p, total = g.n * g.c * g.h * g.w;
    GRID_STRIDE(i, total) {
        int w = i % g.w, h = (i / g.w) % g.h, c = (i / (g.w * g.h)) % g.c, n = i / (g.w * g.h * g.c);
        T acc = 0;
        for (int ki = 0; ki < g.kh; ki++) {
            int hh = h + g.ph - ki * g.dh;
            if (hh < 0 || hh % g.sh != 0 || hh / g.sh >= g.ho) continue;
            for (int kj = 0; kj < g.kw; kj++) {
                int ww = w + g.pw - kj * g.dw;
                if (ww < 0 || ww % g.sw != 0 || ww / g.sw >= g.wo) continue;
                int r = (c * g.kh + ki) * g.kw + kj;
                acc += cols[(long long)r * q_total + n * p + (hh / g.sh) * g.wo + ww / g.sw];
            }
        }
        dx[i] = acc;
    }
}

// The flat index within the plane of the first largest real cell of window (oh, ow), scanned row-major.
template <typename T> __device__ int window_argmax(const PoolGeom& g, const T* plane, int oh, int ow) {
    int best = -1;
    for (int ki = 0; ki < g.kh; ki++) {
        int r = oh * g.sh - g.ph + ki;
        if (r < 0 || r >= g.h) continue;
        for (int kj = 0; kj < g.kw; kj++) {
            int q = ow * g.sw - g.pw + kj;
            if (q < 0 || q >= g.w) continue;
            int xi = r * g.w + q;
            if (best < 0 || plane[xi] > plane[best]) best = xi;
        }
    }
    return best;
}

// The windows covering input row h (or column): lo..hi inclusive, clipped to the output.
__device__ __forceinline__ int first_window(int h, int pad, int k, int s) { int t = h + pad - k + 1; return t <= 0 ? 0 : (t + s - 1) / s; }
__device__ __forceinline__ int last_window(int h, int pad, int s, int out) { int t = (h + pad) / s; return t < out - 1 ? t : out - 1; }

__device__ __forceinline__ int avg_divisor(const PoolGeom& g, int oh, int ow) {
    if (g.count_include_pad) return g.kh * g.kw;
    int r0 = oh * g.sh - g.ph, q0 = ow * g.sw - g.pw;
    int rows = min(r0 + g.kh, g.h) - max(r0, 0), colsn = min(q0 + g.kw, g.w) - max(q0, 0);
    return rows * colsn;
}

template <typename T> __device__ void max_pool(PoolGeom g, const T* x, T* y) {
    GRID_STRIDE(i, g.n * g.c * g.ho * g.wo) {
        int ow = i % g.wo, oh = (i / g.wo) % g.ho, plane = i / (g.wo * g.ho);
        const T* xp = x + (long long)plane * g.h * g.w;
        y[i] = xp[window_argmax(g, xp, oh, ow)];
    }
}

template <typename T> __device__ void max_pool_backward(PoolGeom g, const T* dy, const T* x, T* dx) {
    GRID_STRIDE(i, g.n * g.c * g.h * g.w) {
        int w = i % g.w, h = (i / g.w) % g.h, plane = i / (g.w * g.h), cell = h * g.w + w;
        const T* xp = x + (long long)plane * g.h * g.w;
        const T* dyp = dy + (long long)plane * g.ho * g.wo;
        T acc = 0;
        for (int oh = first_window(h, g.ph, g.kh, g.sh); oh <= last_window(h, g.ph, g.sh, g.ho); oh++)
            for (int ow = first_window(w, g.pw, g.kw, g.sw); ow <= last_window(w, g.pw, g.sw, g.wo); ow++)
                if (window_argmax(g, xp, oh, ow) == cell) acc += dyp[oh * g.wo + ow];
        dx[i] = acc;
    }
}

template <typename T> __device__ void avg_pool(PoolGeom g, const T* x, T* y) {
    GRID_STRIDE(i, g.n * g.c * g.ho * g.wo) {
        int ow = i % g.wo, oh = (i / g.wo) % g.ho, plane = i / (g.wo * g.ho);
        const T* xp = x + (long long)plane * g.h * g.w;
        T acc = 0;
        for (int ki = 0; ki < g.kh; ki++) {
            int r = oh * g.sh - g.ph + ki;
            if (r < 0 || r >= g.h) continue;
            for (int kj = 0; kj < g.kw; kj++) {
                int q = ow * g.sw - g.pw + kj;
                if (q >= 0 && q < g.w) acc += xp[r * g.w + q];
            }
        }
        y[i] = acc / T(avg_divisor(g, oh, ow));
    }
}

template <typename T> __device__ void avg_pool_backward(PoolGeom g, const T* dy, T* dx) {
    GRID_STRIDE(i, g.n * g.c * g.h * g.w) {
        int w = i % g.w, h = (i / g.w) % g.h, plane = i / (g.w * g.h);
        const T* dyp = dy + (long long)plane * g.ho * g.wo;
        T acc = 0;
        for (int oh = first_window(h, g.ph, g.kh, g.sh); oh <= last_window(h, g.ph, g.sh, g.ho); oh++)
            for (int ow = first_window(w, g.pw, g.kw, g.sw); ow <= last_window(w, g.pw, g.sw, g.wo); ow++)
                acc += dyp[oh * g.wo + ow] / T(avg_divisor(g, oh, ow));
        dx[i] = acc;
    }
}

#define KNETJ_CONV(T, S)                                                                                         \
    extern "C" __global__ void im2col_##S(ConvGeom g, const T* x, T* cols) { im2col<T>(g, x, cols); }           \
    extern "C" __global__ void col2im_##S(ConvGeom g, const T* cols, T* dx) { col2im<T>(g, cols, dx); }         \
    extern "C" __global__ void max_pool_##S(PoolGeom g, const T* x, T* y) { max_pool<T>(g, x, y); }             \
    extern "C" __global__ void max_pool_backward_##S(PoolGeom g, const T* dy, const T* x, T* dx) {              \
        max_pool_backward<T>(g, dy, x, dx);                                                                      \
    }                                                                                                            \
    extern "C" __global__ void avg_pool_##S(PoolGeom g, const T* x, T* y) { avg_pool<T>(g, x, y); }             \
    extern "C" __global__ void avg_pool_backward_##S(PoolGeom g, const T* dy, T* dx) {                          \
        avg_pool_backward<T>(g, dy, dx);                                                                         \
    }

KNETJ_CONV(float, f32)
KNETJ_CONV(double, f64)
