package io.github.knetj.cuda;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

/**
 * Element-wise ops: one unary kernel and two binary kernels (equal shapes, or NumPy broadcasting through strided
 * maps) that switch on an op code. The codes are the {@code UnaryCode}/{@code BinaryCode} enums of
 * {@code elementwise.cu}; the switches below spell the mapping out rather than trusting enum order.
 */
final class CudaElementwise implements Elementwise {
    private final CudaBackend backend;

    CudaElementwise(CudaBackend backend) { this.backend = backend; }

    static int code(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case ABS -> 1;
            case EXP -> 2;
            case LOG -> 3;
            case SQRT -> 4;
            case SQUARE -> 5;
            case RECIPROCAL -> 6;
            case TANH -> 7;
            case SIGMOID -> 8;
            case RELU -> 9;
            case LEAKY_RELU -> 10;
            case ELU -> 11;
            case SELU -> 12;
            case GELU -> 13;
            case SOFTPLUS -> 14;
            case LOGSIGMOID -> 15;
            case ERF -> 16;
            case SIGN -> 17;
            case STEP -> 18;
        };
    }

    static int code(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW -> 4;
            case MAXIMUM -> 5;
            case MINIMUM -> 6;
            case GT -> 7;
            case GE -> 8;
            case LT -> 9;
            case LE -> 10;
            case EQ -> 11;
            case NE -> 12;
        };
    }

    @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
        DType d = backend.check(op.label(), x);
        CudaTensor src = CudaBackend.dev(x), y = backend.empty(x.shape(), d);
        backend.cuda().launch(Kernel.UNARY, d, y.n(), code(op), param, y.n(), src.ptr(), y.ptr());
        return y;
    }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType d = backend.check(op.label(), a, b);
        Shape out = Checks.broadcast(op.label(), a.shape(), b.shape());
        CudaTensor y = backend.empty(out, d), ta = CudaBackend.dev(a), tb = CudaBackend.dev(b);
        if (a.shape().equals(b.shape())) {
            backend.cuda().launch(Kernel.BINARY_SAME, d, y.n(), code(op), y.n(), ta.ptr(), tb.ptr(), y.ptr());
        } else {
            int[] sa = Strided.of(op.label(), out.dims(), Strided.broadcastStrides(a.shape(), out), 0);
            int[] sb = Strided.of(op.label(), out.dims(), Strided.broadcastStrides(b.shape(), out), 0);
            backend.cuda().launch(Kernel.BINARY_BROADCAST, d, y.n(), code(op), y.n(), sa, sb, ta.ptr(), tb.ptr(), y.ptr());
        }
        return y;
    }

    public Tensor affine(Tensor x, double scale, double shift) {
        DType d = backend.check("affine", x);
        CudaTensor src = CudaBackend.dev(x), y = backend.empty(x.shape(), d);
        backend.cuda().launch(Kernel.AFFINE, d, y.n(), y.n(), scale, shift, src.ptr(), y.ptr());
        return y;
    }
}
