package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad;

/**
 * A part of a model that acts differently while training and while evaluating ({@link Dropout}, {@link BatchNorm}).
 * <p>
 * By default it follows Knet: it trains while gradients are recorded, that is inside {@link AutoGrad#diff}, and
 * evaluates otherwise. {@link #setTraining} forces one mode (a gradient check, for example, evaluates the loss
 * outside {@code diff} too and needs the training behaviour there); {@link Layers#setTraining} does it for every
 * such part of a model.
 */
public interface TrainingMode {
    /** Forces training (true) or evaluation (false); null follows {@link AutoGrad#recording()} again. */
    void setTraining(Boolean training);

    /** The forced mode, or null when the mode follows {@link AutoGrad#recording()}. */
    Boolean forcedTraining();

    /** Whether the part acts in training mode now. */
    default boolean isTraining() {
        Boolean forced = forcedTraining();
        return forced != null ? forced : AutoGrad.recording();
    }
}
