package io.github.knetj.examples.zoo;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.examples.Checked;
import io.github.knetj.layers.BatchNorm;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Linear;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

import static io.github.knetj.autograd.Ops.add;
import static io.github.knetj.autograd.Ops.mean;
import static io.github.knetj.autograd.Ops.relu;

/**
 * A ResNet (He et al. 2016, the CIFAR form of KnetLayers' ResNet example) for 28×28 gray images:
 * <pre>
 * stem     Conv 3×3 1→w, BatchNorm, relu
 * stage k  (k = 0, 1, 2; width w·2^k, stride 1, 2, 2) of n {@link Block}s
 * head     global average pooling, Linear 4w → 10
 * </pre>
 * With w = 16 and n = 3 blocks per stage it is ResNet-20 (19 convolutions and the linear layer). The fields are named
 * so that {@link PyTorchWeights} maps them to scripts/resnet_fashion_peer.py's module names.
 * <p>
 * {@code ./knetj train resnet}: Fashion-MNIST, Adam lr 0.001 on a cosine to 0, batch 128, 10 epochs;
 * {@code --width} and {@code --blocks} change the network, {@code --pretrained FILE} loads the peer's weights.
 */
public record ResNet(Conv stem, BatchNorm stemBn, List<Block> blocks, Linear fc) implements Layer {
    /**
     * y = relu(bn2(conv2(relu(bn1(conv1(x))))) + s(x)): a basic residual block, with s the identity, or a 1×1
     * convolution and batch norm (a projection) when the stride or width changes.
     */
    public record Block(Conv conv1, BatchNorm bn1, Conv conv2, BatchNorm bn2, Conv shortcut, BatchNorm shortcutBn) implements Layer {
        static Block of(int in, int out, int stride) {
            boolean project = stride != 1 || in != out;
            return new Block(new Conv(3, 3, in, out, stride, 1, 1, null), new BatchNorm(out), new Conv(3, 3, out, out, 1, 1, 1, null), new BatchNorm(out),
                    project ? new Conv(1, 1, in, out, stride, 0, 1, null) : null, project ? new BatchNorm(out) : null);
        }

        @Override public Value apply(Value x) {
            Value h = relu(bn1.apply(conv1.apply(x)));
            Value s = shortcut == null ? x : shortcutBn.apply(shortcut.apply(x));
            return relu(add(bn2.apply(conv2.apply(h)), s));
        }

        @Override public String toString() {
            return "Block(" + conv1 + ", " + conv2 + (shortcut == null ? ", identity" : ", projection " + shortcut) + ")";
        }
    }

    /** A ResNet of base width w with n blocks per stage. */
    public static ResNet of(int width, int blocksPerStage) {
        if (width < 1 || blocksPerStage < 1) throw new IllegalArgumentException("ResNet: width and blocks must be >= 1, got " + width + ", " + blocksPerStage);
        List<Block> blocks = new ArrayList<>();
        int in = width;
        for (int stage = 0; stage < 3; stage++) {
            int out = width << stage;
            for (int i = 0; i < blocksPerStage; i++) {
                blocks.add(Block.of(in, out, stage > 0 && i == 0 ? 2 : 1));
                in = out;
            }
        }
        return new ResNet(new Conv(3, 3, 1, width, 1, 1, 1, null), new BatchNorm(width), List.copyOf(blocks), new Linear(4 * width, 10));
    }

    @Override public Value apply(Value x) {
        Value h = relu(stemBn.apply(stem.apply(x)));
        for (Block b : blocks) h = b.apply(h);
        return fc.apply(mean(h, false, 2, 3));
    }

    @Override public String toString() {
        return "ResNet(width " + stem.w().shape().dim(0) + ", " + blocks.size() / 3 + " blocks per stage, " + (2 + 2 * blocks.size()) + " layers)";
    }

    static final ImageClassifier.Recipe RECIPE = new ImageClassifier.Recipe("resnet", "fashion", new int[]{1, 28, 28}, 10, 128, 0.001, "adam", "cosine");

    /** {@code ./knetj train resnet}: the command. */
    @Command(name = "resnet", mixinStandardHelpOptions = true, showDefaultValues = true, defaultValueProvider = Train.Defaults.class,
            description = "ResNet-20 (the defaults) on Fashion-MNIST, 28x28 gray images; --pretrained loads the PyTorch peer's weights.")
    public static final class Train extends ImageClassifier {
        static final class Defaults extends RecipeDefaults { Defaults() { super(RECIPE); } }

        @Option(names = "--width", paramLabel = "N", defaultValue = "16", description = "channels of the first stage (doubled at each of the next two), 1 to 1024")
        int width;

        @Option(names = "--blocks", paramLabel = "N", defaultValue = "3", description = "basic blocks per stage, 1 to 100")
        int blocks;

        public Train() { super(RECIPE); }

        @Override void checkModelOptions() {
            Checked.range("--width", width, 1, 1024);
            Checked.range("--blocks", blocks, 1, 100);
        }

        @Override Layer network() { return of(width, blocks); }
    }
}
