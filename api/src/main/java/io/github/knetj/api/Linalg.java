package io.github.knetj.api;

/** Matrix products: one required primitive. The fused {@code linear} (product and bias) is in {@link Fused}. */
public interface Linalg {
    /**
     * {@code op(a) · op(b)} where op transposes the last two axes when its flag is set.
     * 2-D: (m,k)·(k,n) → (m,n). 3-D batched: (B,m,k)·(B,k,n) → (B,m,n); a 2-D operand is shared by every batch.
     */
    Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB);

    default Tensor matmul(Tensor a, Tensor b) { return matmul(a, b, false, false); }
}
