package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;

/**
 * loss = −mean(t·log σ(x) + (1 − t)·log(1 − σ(x))) = mean(softplus(x) − t·x): binary cross-entropy of logits x
 * against targets t in [0, 1] of the same shape, computed stably (KnetLayers' {@code SigmoidCrossEntropyLoss}; PyTorch's
 * {@code BCEWithLogitsLoss}). Prints as {@code SigmoidCrossEntropyLoss()}.
 */
public record SigmoidCrossEntropyLoss() {
    public Value apply(Value logits, Value targets) { return Losses.bce(logits, targets); }

    @Override public String toString() { return "SigmoidCrossEntropyLoss()"; }
}
