package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

/** A small program that {@link DeviceTest} runs in a JVM without the Vector API module: it uses each op group once and prints the device. */
public final class NoVectorModuleMain {
    private NoVectorModuleMain() {}

    public static void main(String[] args) {
        Backend b = Backends.get("cpu");
        System.out.println(b.device());
        Tensor a = b.random().normal(Shape.of(64, 64), DType.FLOAT32, 0, 1, 1);
        Tensor y = b.fused().unary(UnaryOp.TANH, b.linalg().matmul(a, a, false, true));
        Tensor img = b.layout().reshape(y, Shape.of(1, 1, 64, 64));
        Tensor c = b.convolution().conv2d(img, b.memory().ones(Shape.of(2, 1, 3, 3), DType.FLOAT32), Conv2d.defaults());
        Tensor p = b.convolution().maxPool2d(c, Pool2d.of(2));
        double s = b.reductions().sum(b.fused().softmax(b.layout().reshape(p, Shape.of(2, 31 * 31)), 1), null, false).item();
        if (Math.abs(s - 2) > 1e-4) throw new AssertionError("softmax rows should sum to 1, total " + s);
        System.out.println("ok");
    }
}
