// Runs CUDA C kernels on the host, for testing them on machines without a GPU: every CUDA thread of a block is a
// std::thread, __syncthreads() is a std::barrier, and __shared__ variables are function statics (blocks run one
// after another, so a block's threads share them and no two blocks overlap). Only what the KnetJ kernels use.
#pragma once
#include <math.h>
#include <algorithm>
#include <barrier>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;
inline std::barrier<>* block_barrier;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(n)
#define __align__(n) __attribute__((aligned(n)))

inline void __syncthreads() { block_barrier->arrive_and_wait(); }

struct alignas(16) float4 { float x, y, z, w; };

using std::max;
using std::min;

// Runs kernel(args...) on a grid of blocks of `threads` threads (1-D blocks, as KnetJ launches them). The same
// host threads run every block in turn; a barrier between blocks keeps blocks from overlapping.
template <typename... A, typename... P>
void launch(void (*kernel)(P...), dim3 grid, unsigned threads, A... args) {
    gridDim = grid;
    blockDim = dim3{threads, 1, 1};
    std::barrier<> bar(threads);
    block_barrier = &bar;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; t++)
        pool.emplace_back([=, &bar] {
            threadIdx = dim3{t, 0, 0};
            for (unsigned z = 0; z < grid.z; z++)
                for (unsigned y = 0; y < grid.y; y++)
                    for (unsigned x = 0; x < grid.x; x++) {
                        blockIdx = dim3{x, y, z};
                        kernel(args...);
                        bar.arrive_and_wait();
                    }
        });
    for (auto& th : pool) th.join();
}
