/**
 * Reverse-mode automatic differentiation on any {@link io.github.knetj.api.Backend}: values, the tape, and one rule
 * per differentiable primitive. The gradient checker and the op catalog it runs are in
 * {@link io.github.knetj.autograd.check}.
 * <table>
 * <caption>What each file holds</caption>
 * <tr><th>file</th><th>what</th></tr>
 * <tr><td>{@link io.github.knetj.autograd.AutoGrad}</td><td>the whole core: values, parameters, the tape and reverse mode</td></tr>
 * <tr><td>{@code Ops}</td><td>differentiable math: element-wise, reductions, shape ops, matrix products, each with its rule</td></tr>
 * <tr><td>{@code NNOps}</td><td>differentiable neural-network ops: convolution, pooling, softmax, losses, normalisation, attention</td></tr>
 * <tr><td>{@code AttentionOps}</td><td>multi-head attention (PyTorch's packed in-projection), its masks, dropout and averaged weights</td></tr>
 * <tr><td>{@code RNNOps}</td><td>recurrent layers (RNN, LSTM, GRU) as differentiable functions</td></tr>
 * <tr><td>{@code BatchNormStats}</td><td>a batch-norm layer's running mean and variance</td></tr>
 * <tr><td>{@code Defaults}</td><td>the backend and dtype new values get when no input says</td></tr>
 * </table>
 */
package io.github.knetj.autograd;
