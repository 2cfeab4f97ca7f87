package io.github.knetj.layers;

/**
 * Operations on whole models: switching every part that trains differently ({@link Dropout}, {@link BatchNorm},
 * anything implementing {@link TrainingMode}) between training and evaluation, and counting parameters.
 * Parts are found by the same walk as {@link Params}, so a user's own model classes work too.
 */
public final class Layers {
    private Layers() {}

    /**
     * Forces every {@link TrainingMode} part of model into training (true) or evaluation (false), PyTorch's
     * {@code model.train()}/{@code model.eval()}; returns how many parts were switched.
     */
    public static int setTraining(Object model, boolean training) { return force(model, training); }

    /** Lets every {@link TrainingMode} part of model follow {@code AutoGrad.recording()} again (Knet's behaviour). */
    public static int followRecording(Object model) { return force(model, null); }

    private static int force(Object model, Boolean training) {
        var parts = Params.find(model, TrainingMode.class).values();
        for (TrainingMode m : parts) m.setTraining(training);
        return parts.size();
    }

    /** The number of trainable scalars in model. */
    public static long parameterCount(Object model) {
        long n = 0;
        for (var p : Params.of(model)) n += p.shape().size();
        return n;
    }
}
