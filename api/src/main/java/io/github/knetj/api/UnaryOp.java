package io.github.knetj.api;

/**
 * Element-wise functions of one tensor. Parameterised ones read {@code param}; {@link #defaultParam()} gives
 * PyTorch's default. The last three are the masks and helpers backward rules need.
 */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, SQUARE, RECIPROCAL, TANH,
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
    ERF,
    /** −1, 0 or 1 (the derivative of abs). */
    SIGN,
    /** The Heaviside mask x > 0 ? 1 : 0 (the derivative of relu). */
    STEP;

    /** Constants of SELU, shared by every backend. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;

    private final double defaultParam;

    UnaryOp() { this(0); }

    UnaryOp(double defaultParam) { this.defaultParam = defaultParam; }

    public double defaultParam() { return defaultParam; }

    /** The op's lower-case name as used in messages and the gradcheck table ("leaky_relu"). */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
