package io.github.knetj.api;

/**
 * Element-wise functions of one tensor. Parameterised ones read {@code param}; {@link #defaultParam()} gives
 * PyTorch's default. The last three are the masks and helpers backward rules need.
 * <p>
 * Five are <b>primitives</b> ({@link #primitive()}: EXP, LOG, SQRT, TANH, ERF) that every backend's
 * {@link Elementwise#unary} must compute. The others are optional kernels: {@link Fused#unary} composes them from the
 * primitives, and a backend with a kernel of its own for one overrides that.
 */
public enum UnaryOp {
    NEG, ABS, EXP(true), LOG(true), SQRT(true), SQUARE, RECIPROCAL, TANH(true),
    /** 1/(1+e^-x), computed without overflow at ±800. */
    SIGMOID,
    RELU,
    /** x > 0 ? x : param·x (param = slope, default 0.01). */
    LEAKY_RELU(0.01),
    /** x > 0 ? x : param·(e^x − 1) (param = alpha, default 1). */
    ELU(1.0),
    /** λ·(x > 0 ? x : α(e^x − 1)), λ = 1.0507009873554805, α = 1.6732632423543772. */
    SELU,
    /** x·Φ(x), the erf form: x/2·(1 + erf(x/√2)). */
    GELU,
    /** log(1 + e^x), stable for large |x|. */
    SOFTPLUS,
    /** log σ(x) = −softplus(−x). */
    LOGSIGMOID,
    /** The error function (for the derivative of GELU). */
    ERF(true),
    /** −1, 0 or 1 (the derivative of abs). */
    SIGN,
    /** The Heaviside mask x > 0 ? 1 : 0 (the derivative of relu). */
    STEP;

    /** Constants of SELU, shared by every backend. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;

    private final double defaultParam;
    private final boolean primitive;

    UnaryOp() { this(0, false); }

    UnaryOp(boolean primitive) { this(0, primitive); }

    UnaryOp(double defaultParam) { this(defaultParam, false); }

    UnaryOp(double defaultParam, boolean primitive) {
        this.defaultParam = defaultParam;
        this.primitive = primitive;
    }

    public double defaultParam() { return defaultParam; }

    /** Whether every backend must compute this op in {@link Elementwise#unary} (else {@link Fused#unary} composes it). */
    public boolean primitive() { return primitive; }

    /** The op's lower-case name as used in messages and the gradcheck table ("leaky_relu"). */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    /**
     * The op at one point, in double: the definition every backend matches. The reference backend computes exactly
     * this, and so do the CPU backend's scalar loops; SIMD and device kernels are checked against it.
     */
    public double apply(double x, double param) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : param * x;
            case ELU -> x > 0 ? x : param * Math.expm1(x);
            case SELU -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case GELU -> 0.5 * x * (1 + SpecialFunctions.erf(x * Math.sqrt(0.5)));
            case SOFTPLUS -> softplus(x);
            case LOGSIGMOID -> -softplus(-x);
            case ERF -> SpecialFunctions.erf(x);
            case SIGN -> Math.signum(x);
            case STEP -> x > 0 ? 1 : 0;
        };
    }

    /** 1/(1+e^-x) written so that the exponent is never positive: no overflow at ±800. */
    private static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** log(1+e^x) = max(x,0) + log1p(e^-|x|): exact for large |x| and never overflows. */
    private static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }
}
