// Checks every CUDA kernel of KnetJ on the host (cuda_host.h) against naive loops in double, in float32 and
// float64, including the conv2d pipeline exactly as CudaConvolution.java queues it (im2col, GEMM, gather).
// Built and run by KernelHostSimulationTest: g++ -std=c++20 -pthread kernels_test.cpp && ./a.out
#include "cuda_host.h"
#include "../../main/cuda/elementwise.cu"
#include "../../main/cuda/layout.cu"
#include "../../main/cuda/reduce.cu"
#include "../../main/cuda/nn.cu"
#include "../../main/cuda/conv.cu"
#include "../../main/cuda/matmul.cu"
#include "kernels_test.h"

int main() {
    test_gemm<float>(gemm_f32, 1e-4);
    test_gemm<double>(gemm_f64, 1e-12);
    test_elementwise<float>(unary_f32, binary_same_f32, binary_bcast_f32, affine_f32, fill_f32, 2e-6);
    test_elementwise<double>(unary_f64, binary_same_f64, binary_bcast_f64, affine_f64, fill_f64, 1e-14);
    test_casts(cast_f32, cast_f64);
    test_layout<float>(gather_f32, scatter_f32);
    test_layout<double>(gather_f64, scatter_f64);
    test_reduce<float>(reduce_rows_f32, argmax_rows_f32, 1e-5);
    test_reduce<double>(reduce_rows_f64, argmax_rows_f64, 1e-13);
    test_nn<float>(softmax_f32, gather_rows_f32, scatter_add_rows_f32, pick_classes_f32, place_classes_f32, 1e-6);
    test_nn<double>(softmax_f64, gather_rows_f64, scatter_add_rows_f64, pick_classes_f64, place_classes_f64, 1e-14);
    ConvKernels<float> cf{im2col_f32, col2im_f32, gather_f32, gemm_f32, max_pool_f32, max_pool_backward_f32, avg_pool_f32, avg_pool_backward_f32};
    ConvKernels<double> cd{im2col_f64, col2im_f64, gather_f64, gemm_f64, max_pool_f64, max_pool_backward_f64, avg_pool_f64, avg_pool_backward_f64};
    test_conv<float>(cf, 1e-4);
    test_conv<double>(cd, 1e-12);
    test_pool<float>(cf, 1e-6);
    test_pool<double>(cd, 1e-14);
    return report();
}
