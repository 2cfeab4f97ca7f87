// A stand-in for libcuda.so.1 that runs KnetJ's kernels on the host (cuda_host.h), so that the whole Java backend,
// JCuda calls included, can be tested on a machine without a GPU:
//   g++ -std=c++20 -O2 -pthread -shared -fPIC -o DIR/libcuda.so.1 fake_libcuda.cpp
//   LD_LIBRARY_PATH=DIR mvn -pl backend-cuda test -Dtest='CudaSuiteTest,CudaConformanceTest'
// Device memory is host memory, streams and events are synchronous, and cuModuleLoadDataEx refuses PTX whose ISA
// is newer than the driver version it reports ($KNETJ_FAKE_CUDA_VERSION, default 13000), as a real driver does.
// Only the driver calls the KnetJ backend makes are implemented.
#include "cuda_host.h"
#include "../../main/cuda/elementwise.cu"
#include "../../main/cuda/layout.cu"
#include "../../main/cuda/reduce.cu"
#include "../../main/cuda/nn.cu"
#include "../../main/cuda/conv.cu"
#include "../../main/cuda/matmul.cu"
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
using Trampoline = std::function<void(void**, dim3, unsigned)>;

// Unpacks cuLaunchKernel's argument pointers into the kernel's typed parameters.
template <typename... P, size_t... I>
static void call_with(void (*k)(P...), void** params, dim3 grid, unsigned threads, std::index_sequence<I...>) {
    launch(k, grid, threads, *static_cast<P*>(params[I])...);
}
template <typename... P> static Trampoline trampoline(void (*k)(P...)) {
    return [k](void** params, dim3 grid, unsigned threads) { call_with(k, params, grid, threads, std::index_sequence_for<P...>{}); };
}

#define BOTH(name) {#name "_f32", trampoline(name##_f32)}, {#name "_f64", trampoline(name##_f64)}
static std::map<std::string, Trampoline>& kernels() {
    static std::map<std::string, Trampoline> table = {
        BOTH(unary), BOTH(binary_same), BOTH(binary_bcast), BOTH(affine), BOTH(fill), BOTH(cast), BOTH(gather), BOTH(scatter),
        BOTH(reduce_rows), BOTH(argmax_rows), BOTH(gemm), BOTH(im2col), BOTH(col2im), BOTH(max_pool), BOTH(max_pool_backward),
        BOTH(avg_pool), BOTH(avg_pool_backward), BOTH(softmax), BOTH(gather_rows), BOTH(scatter_add_rows), BOTH(pick_classes),
        BOTH(place_classes)};
    return table;
}

static int driver_version() {
    const char* v = getenv("KNETJ_FAKE_CUDA_VERSION");
    return v ? atoi(v) : 13000;
}

static std::mutex launch_lock;   // the simulator's grid globals serve one launch at a time
static int token;                // contexts, streams, events and modules are all this address

extern "C" {
CUresult cuInit(unsigned) { return 0; }
CUresult cuDriverGetVersion(int* v) { *v = driver_version(); return 0; }
CUresult cuDeviceGetCount(int* n) { *n = 1; return 0; }
CUresult cuDeviceGet(int* d, int ordinal) { *d = ordinal; return 0; }
CUresult cuDeviceGetName(char* name, int len, int) { snprintf(name, len, "KnetJ host simulator"); return 0; }
CUresult cuDeviceGetAttribute(int* v, int attribute, int) { *v = attribute == 75 ? 9 : 0; return 0; }   // 75: CC major
CUresult cuDeviceTotalMem_v2(size_t* bytes, int) { *bytes = size_t(8) << 30; return 0; }
CUresult cuDevicePrimaryCtxRetain(void** ctx, int) { *ctx = &token; return 0; }
CUresult cuCtxSetCurrent(void*) { return 0; }
CUresult cuStreamCreate(void** s, unsigned) { *s = &token; return 0; }
CUresult cuStreamSynchronize(void*) { return 0; }
CUresult cuEventCreate(void** e, unsigned) { *e = &token; return 0; }
CUresult cuEventRecord(void*, void*) { return 0; }
CUresult cuEventSynchronize(void*) { return 0; }
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    void* m = aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (!m) return 2;   // CUDA_ERROR_OUT_OF_MEMORY
    *p = reinterpret_cast<CUdeviceptr>(m);
    return 0;
}
CUresult cuMemFree_v2(CUdeviceptr p) { free(reinterpret_cast<void*>(p)); return 0; }
CUresult cuMemHostAlloc(void** p, size_t bytes, unsigned) { *p = aligned_alloc(256, (bytes + 255) / 256 * 256); return *p ? 0 : 2; }
CUresult cuMemFreeHost(void* p) { free(p); return 0; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t n, void*) { memcpy(reinterpret_cast<void*>(dst), src, n); return 0; }
CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t n, void*) { memcpy(dst, reinterpret_cast<void*>(src), n); return 0; }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t n, void*) { memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), n); return 0; }
CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned, int*, void**) {
    const char* v = strstr(static_cast<const char*>(image), "\n.version ");
    if (!v) return 218;   // CUDA_ERROR_INVALID_PTX
    int major = 0, minor = 0;
    sscanf(v, "\n.version %d.%d", &major, &minor);
    int isa = major * 10 + minor, version = driver_version();
    int max_isa = version >= 13000 ? 90 : version >= 12000 ? 80 + (version - 12000) / 10 : 0;
    if (isa > max_isa) return 222;   // CUDA_ERROR_UNSUPPORTED_PTX_VERSION
    *module = &token;
    return 0;
}
CUresult cuModuleGetFunction(void** f, void*, const char* name) {
    auto it = kernels().find(name);
    if (it == kernels().end()) return 500;   // CUDA_ERROR_NOT_FOUND
    *f = &it->second;
    return 0;
}
CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void* stream, void** params, void** extra) {
    std::lock_guard<std::mutex> hold(launch_lock);
    (*static_cast<Trampoline*>(f))(params, dim3{gx, gy, gz}, bx * by * bz);
    return 0;
}
CUresult cuGetErrorName(CUresult, const char** s) { *s = "CUDA_ERROR (host simulator)"; return 0; }
CUresult cuGetErrorString(CUresult, const char** s) { *s = "error (host simulator)"; return 0; }
}
