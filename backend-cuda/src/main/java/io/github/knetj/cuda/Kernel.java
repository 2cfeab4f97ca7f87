package io.github.knetj.cuda;

import io.github.knetj.api.DType;

/**
 * The table of CUDA kernels the backend launches: each names its PTX module (a resource compiled from
 * {@code src/main/cuda/<module>.cu}) and its base name; the entry point is the base name plus {@code _f32} or
 * {@code _f64} ({@code cast_f32} reads float64 and writes float32, {@code cast_f64} the reverse).
 */
enum Kernel {
    UNARY(Module.ELEMENTWISE, "unary"),
    BINARY_SAME(Module.ELEMENTWISE, "binary_same"),
    BINARY_BROADCAST(Module.ELEMENTWISE, "binary_bcast"),
    AFFINE(Module.ELEMENTWISE, "affine"),
    FILL(Module.ELEMENTWISE, "fill"),
    CAST(Module.ELEMENTWISE, "cast"),
    GATHER(Module.LAYOUT, "gather"),
    SCATTER(Module.LAYOUT, "scatter"),
    REDUCE_ROWS(Module.REDUCE, "reduce_rows"),
    ARGMAX_ROWS(Module.REDUCE, "argmax_rows"),
    GEMM(Module.MATMUL, "gemm"),
    IM2COL(Module.CONV, "im2col"),
    COL2IM(Module.CONV, "col2im"),
    MAX_POOL(Module.CONV, "max_pool"),
    MAX_POOL_BACKWARD(Module.CONV, "max_pool_backward"),
    AVG_POOL(Module.CONV, "avg_pool"),
    AVG_POOL_BACKWARD(Module.CONV, "avg_pool_backward"),
    SOFTMAX(Module.NN, "softmax"),
    GATHER_ROWS(Module.NN, "gather_rows"),
    SCATTER_ADD_ROWS(Module.NN, "scatter_add_rows"),
    PICK_CLASSES(Module.NN, "pick_classes"),
    PLACE_CLASSES(Module.NN, "place_classes");

    /** A PTX resource, {@code io/github/knetj/cuda/<file>.ptx}. */
    enum Module {
        ELEMENTWISE("elementwise"), LAYOUT("layout"), REDUCE("reduce"), MATMUL("matmul"), CONV("conv"), NN("nn");

        final String file;

        Module(String file) { this.file = file; }

        /** The class-path resource of this module's PTX. */
        String resource() { return "/io/github/knetj/cuda/" + file + ".ptx"; }
    }

    final Module module;
    final String base;

    Kernel(Module module, String base) {
        this.module = module;
        this.base = base;
    }

    /** The PTX entry name for one dtype: "gemm_f32". */
    String entry(DType dtype) { return base + (dtype == DType.FLOAT32 ? "_f32" : "_f64"); }
}
