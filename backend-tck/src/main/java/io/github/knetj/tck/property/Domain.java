package io.github.knetj.tck.property;

/**
 * Where generated tensor values lie: ranges chosen so that every op is smooth there and float32 and float64 agree
 * closely, which keeps comparisons meaningful.
 */
public enum Domain {
    /** |x| in [0.2, 2] with either sign: away from the kinks of relu, abs, max and sign at 0. */
    ANY,
    /** [0.2, 2]: away from the poles of log, sqrt and reciprocal at 0. */
    POSITIVE,
    /** (0.05, 0.95): probabilities and other unit-interval inputs. */
    UNIT,
    /** [−5, 5]: wide enough to reach the saturated tails of sigmoid, tanh and softplus. */
    WIDE;

    /** One value of this domain. */
    public double draw(java.util.SplittableRandom r) {
        return switch (this) {
            case ANY -> (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.2, 2.0);
            case POSITIVE -> r.nextDouble(0.2, 2.0);
            case UNIT -> r.nextDouble(0.05, 0.95);
            case WIDE -> r.nextDouble(-5.0, 5.0);
        };
    }
}
