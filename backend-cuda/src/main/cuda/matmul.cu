// Batched GEMM, C[b] = op(A[b]) * op(B[b]), row-major, with transpose flags: the kernel behind matmul, linear
// and the im2col convolution. Each block computes a BM x BN tile of C from BK-deep slices of A and B staged in
// shared memory; each of its 256 threads accumulates a TM x TN register tile. Interior tiles of float matrices
// with 16-byte aligned rows are loaded with float4; edge tiles (and double) are loaded element by element with
// bounds checks, so any M, N, K works. float: 128x128x8 tiles, 8x8 per thread; double: 64x64x8, 4x4.
#include "common.cuh"

#define GEMM_THREADS 256

// Stages a BK x BD slice of an operand into S[k][d]. Element (d, k) sits at P[d*ld + k] when the operand is
// contiguous along k (kContig), else at P[k*ld + d]. d0/k0: where the slice starts; D, K: the operand's extent.
template <typename T, int BD, int BK>
__device__ __forceinline__ void load_tile(T (&S)[BK][BD], const T* P, int ld, bool kContig, int D, int K, int d0, int k0,
                                          bool vec) {
    int tid = threadIdx.x;
    bool interior = d0 + BD <= D && k0 + BK <= K;
    if constexpr (sizeof(T) == 4) {
        if (vec && interior) {
            if (kContig) {
                for (int l = tid; l < BD * BK / 4; l += GEMM_THREADS) {
                    int d = l / (BK / 4), k = (l % (BK / 4)) * 4;
                    float4 v = *reinterpret_cast<const float4*>(P + (long long)(d0 + d) * ld + k0 + k);
                    S[k][d] = v.x; S[k + 1][d] = v.y; S[k + 2][d] = v.z; S[k + 3][d] = v.w;
                }
            } else {
                for (int l = tid; l < BD * BK / 4; l += GEMM_THREADS) {
                    int k = l / (BD / 4), d = (l % (BD / 4)) * 4;
                    *reinterpret_cast<float4*>(&S[k][d]) = *reinterpret_cast<const float4*>(P + (long long)(k0 + k) * ld + d0 + d);
                }
            }
            return;
        }
    }
    // Consecutive threads walk the contiguous axis so that global reads coalesce.
    for (int l = tid; l < BD * BK; l += GEMM_THREADS) {
        int d, k;
        if (kContig) { d = l / BK; k = l % BK; } else { k = l / BD; d = l % BD; }
        int gd = d0 + d, gk = k0 + k;
        T v = T(0);
        if (gd < D && gk < K) v = kContig ? P[(long long)gd * ld + gk] : P[(long long)gk * ld + gd];
        S[k][d] = v;
    }
}

template <typename T, int BM, int BN, int BK, int TM, int TN>
__device__ void gemm(int M, int N, int K, int transA, int transB, const T* A, int lda, long long strideA, const T* B,
                     int ldb, long long strideB, T* C, long long strideC) {
    static_assert((BM / TM) * (BN / TN) == GEMM_THREADS, "one register tile per thread");
    __shared__ __align__(16) T As[BK][BM];
    __shared__ __align__(16) T Bs[BK][BN];
    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;
    int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    int ty = threadIdx.x / (BN / TN), tx = threadIdx.x % (BN / TN);
    // Row-major A (M x K) is contiguous along k; stored transposed (K x M) it is contiguous along m. B likewise.
    bool aK = !transA, bK = transB;
    bool vecA = (reinterpret_cast<unsigned long long>(A) & 15) == 0 && lda % 4 == 0;
    bool vecB = (reinterpret_cast<unsigned long long>(B) & 15) == 0 && ldb % 4 == 0;
    T acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) acc[i][j] = T(0);
    T ra[TM], rb[TN];
    for (int k0 = 0; k0 < K; k0 += BK) {
        load_tile<T, BM, BK>(As, A, lda, aK, M, K, m0, k0, vecA);
        load_tile<T, BN, BK>(Bs, B, ldb, bK, N, K, n0, k0, vecB);
        __syncthreads();
#pragma unroll
        for (int k = 0; k < BK; k++) {
#pragma unroll
            for (int i = 0; i < TM; i++) ra[i] = As[k][ty * TM + i];
#pragma unroll
            for (int j = 0; j < TN; j++) rb[j] = Bs[k][tx * TN + j];
#pragma unroll
            for (int i = 0; i < TM; i++)
#pragma unroll
                for (int j = 0; j < TN; j++) acc[i][j] += ra[i] * rb[j];
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < TM; i++) {
        int m = m0 + ty * TM + i;
        if (m >= M) break;
#pragma unroll
        for (int j = 0; j < TN; j++) {
            int n = n0 + tx * TN + j;
            if (n < N) C[(long long)m * N + n] = acc[i][j];
        }
    }
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
gemm_f32(int M, int N, int K, int transA, int transB, const float* A, int lda, long long strideA, const float* B, int ldb,
         long long strideB, float* C, long long strideC) {
    gemm<float, 128, 128, 8, 8, 8>(M, N, K, transA, transB, A, lda, strideA, B, ldb, strideB, C, strideC);
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
gemm_f64(int M, int N, int K, int transA, int transB, const double* A, int lda, long long strideA, const double* B,
         int ldb, long long strideB, double* C, long long strideC) {
    gemm<double, 64, 64, 8, 4, 4>(M, N, K, transA, transB, A, lda, strideA, B, ldb, strideB, C, strideC);
}
