/**
 * The transformer family, PyTorch-compatible: layers composed of {@link io.github.knetj.autograd.AttentionOps} and
 * the ops of every backend, their parts named as PyTorch's {@code state_dict} so that checkpoints load as they are.
 * <table>
 * <caption>What each file holds</caption>
 * <tr><th>file</th><th>what</th></tr>
 * <tr><td>{@code MultiheadAttention}</td><td>{@code nn.MultiheadAttention}: packed in-projection, masks, dropout, weights, cached self-attention</td></tr>
 * <tr><td>{@code KVCache}</td><td>the keys and values one attention layer has seen while sampling</td></tr>
 * <tr><td>{@code TransformerEncoderLayer}, {@code TransformerDecoderLayer}</td><td>the blocks, pre-LN or post-LN, GELU or ReLU, dropout</td></tr>
 * <tr><td>{@code TransformerEncoder}, {@code TransformerDecoder}, {@code Transformer}</td><td>stacks of blocks, and the encoder-decoder model</td></tr>
 * <tr><td>{@code FeedForward}</td><td>the position-wise MLP the blocks share</td></tr>
 * <tr><td>{@code PositionEmbedding}, {@code SinusoidalPosition}</td><td>learned and fixed positions</td></tr>
 * <tr><td>{@code TiedOutput}</td><td>an output head sharing the input embedding (weight tying)</td></tr>
 * <tr><td>{@code StateDict}</td><td>parameters under PyTorch's names; loading and saving safetensors checkpoints</td></tr>
 * </table>
 */
package io.github.knetj.layers.transformer;
