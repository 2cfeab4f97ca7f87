package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.data.Batch;

import java.util.function.Function;

/**
 * Loss functions and accuracy with Knet's names, each the mean over the batch: thin, checked wrappers of
 * {@link NNOps}, plus the accuracy of a model over a whole data set.
 * <ul>
 *   <li>{@link #nll}: −mean log p[i, yᵢ] of log-probabilities (N, C) (PyTorch's nll_loss, <b>not</b> Knet's nll, which
 *       takes scores: see {@link Knet#nll});</li>
 *   <li>{@link #crossEntropy}: nll(logsoftmax(scores)) of raw scores (N, C) (what Knet's {@code nll(scores, y)} does);</li>
 *   <li>{@link #bce}: mean(softplus(x) − t·x), binary cross-entropy of logits with targets in [0, 1];</li>
 *   <li>{@link #logistic}: mean log(1 + e^(−y·x)) with labels y in {−1, 1};</li>
 *   <li>{@link #mse}: mean (x − t)²;</li>
 *   <li>{@link #accuracy}: the fraction of rows whose largest score is at the label.</li>
 * </ul>
 */
public final class Losses {
    private Losses() {}

    /**
     * −mean log p[i, yᵢ] for <b>log-probabilities</b> logp (N, C) and labels in [0, C), as PyTorch's {@code nll_loss}.
     * <p>
     * <b>Not Knet's {@code nll}</b>, which takes raw scores: for those use {@link #crossEntropy} or {@link Knet#nll}.
     * Raw scores given here would give a wrong number without a word, so they are refused where that is cheap: a
     * log-probability is never above 0, and any value above {@link #LOGP_TOLERANCE} is an error (one max over the
     * input). Scores that happen to be all negative cannot be told apart and still pass.
     */
    public static Value nll(Value logp, int[] labels) { return NNOps.nll(checkLogProbabilities(checkLabels("nll", logp, labels)), labels); }

    /** How far above 0 a log-probability may be and still be taken as one: rounding in logsoftmax stays far below it. */
    public static final double LOGP_TOLERANCE = 1e-4;

    private static Value checkLogProbabilities(Value logp) {
        double max = logp.backend().reductions().max(logp.data(), null, false).item();
        if (max > LOGP_TOLERANCE)
            throw new IllegalArgumentException("nll: expects log-probabilities (every value ≤ 0) of shape " + logp.shape()
                    + ", got a value of " + max + "; for raw scores use Losses.crossEntropy (Knet.nll is Knet's nll of scores)");
        return logp;
    }

    /** nll(logsoftmax(scores)) for raw scores (N, C) and labels in [0, C). */
    public static Value crossEntropy(Value scores, int[] labels) { return NNOps.crossEntropy(checkLabels("crossEntropy", scores, labels), labels); }

    /** Binary cross-entropy of logits against targets in [0, 1] of the same shape, computed stably. */
    public static Value bce(Value logits, Value targets) { return NNOps.bce(sameShape("bce", logits, targets), targets); }

    /** Logistic loss of scores against labels in {−1, 1} of the same shape. */
    public static Value logistic(Value scores, Value labels) { return NNOps.logistic(sameShape("logistic", scores, labels), labels); }

    /** Mean squared error between x and a target of the same shape. */
    public static Value mse(Value x, Value target) { return NNOps.mse(sameShape("mse", x, target), target); }

    /** The fraction of rows of scores (N, C) whose largest entry is at the label. */
    public static double accuracy(Value scores, int[] labels) { return NNOps.accuracy(checkLabels("accuracy", scores, labels), labels); }

    /** The accuracy of model over a data set of minibatches, such as a {@link io.github.knetj.data.Minibatch}. */
    public static double accuracy(Layer model, Iterable<Batch> batches) { return accuracy(model, batches, Batch::x, Batch::labels); }

    /**
     * The accuracy of model over a data set: the fraction of all examples, over every batch, whose largest score is at
     * the label; x and labels read a batch's input and labels, as in
     * {@code accuracy(model, pairs, Pair::x, Pair::y)} for batches of any type.
     */
    public static <B> double accuracy(Layer model, Iterable<B> batches, Function<B, Value> x, Function<B, int[]> labels) {
        long right = 0, total = 0;
        for (B batch : batches) {
            int[] y = labels.apply(batch);
            Value scores = checkLabels("accuracy", model.apply(x.apply(batch)), y);
            int[] predicted = scores.backend().fused().argmax(scores.data(), 1);
            for (int i = 0; i < y.length; i++) if (predicted[i] == y[i]) right++;
            total += y.length;
        }
        if (total == 0) throw new IllegalArgumentException("accuracy: the data set has no examples");
        return (double) right / total;
    }

    private static Value checkLabels(String loss, Value scores, int[] labels) {
        if (scores.shape().rank() != 2)
            throw new IllegalArgumentException(loss + ": expected scores (N, C), got shape " + scores.shape());
        int n = scores.shape().dim(0), c = scores.shape().dim(1);
        if (labels.length != n)
            throw new IllegalArgumentException(loss + ": " + labels.length + " labels for scores of shape " + scores.shape() + " (expected " + n + ")");
        for (int i = 0; i < n; i++)
            if (labels[i] < 0 || labels[i] >= c)
                throw new IllegalArgumentException(loss + ": label " + labels[i] + " at row " + i + " is outside [0, " + c + ") for scores " + scores.shape());
        return scores;
    }

    private static Value sameShape(String loss, Value x, Value target) {
        if (!x.shape().equals(target.shape()))
            throw new IllegalArgumentException(loss + ": the prediction " + x.shape() + " " + x.dtype() + " and the target " + target.shape() + " " + target.dtype() + " must have one shape");
        return x;
    }
}
