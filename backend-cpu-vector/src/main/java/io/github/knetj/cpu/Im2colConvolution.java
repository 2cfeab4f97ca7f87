package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.fast.Parallel;

import java.util.function.ObjIntConsumer;

import static io.github.knetj.cpu.Padding.cropFrom;
import static io.github.knetj.cpu.Padding.padInto;
import static io.github.knetj.cpu.Padding.padded;
import static io.github.knetj.cpu.Padding.size;
import static io.github.knetj.cpu.fast.ImageLoop.like;
import static io.github.knetj.cpu.fast.ImageLoop.perImage;

/**
 * Convolution as im2col + the matrix product, per image: forward y[n] = W·cols(x[n]); backward-input
 * dx[n] = col2im(Wᵀ·dy[n]); backward-weight dW = Σ dy[n]·cols(x[n])ᵀ. Every dtype, shape and kernel takes this path
 * unless {@link CpuConvolution} picks a faster one. Given {@link Gemm.ColumnProducts} (the SIMD float32 product) the
 * forward and weight-gradient products read the columns from the image while packing, the weights are packed once per
 * call, and padded convolutions run on a zero-padded copy of each image ({@link Padding}). One image's columns stay in
 * cache while its product reads them (measured faster here than one product over the columns of many images side by
 * side). Backward-weight sums its images in a fixed number of groups, so no result depends on the thread count.
 */
final class Im2colConvolution {
    private final Backend backend;
    private final Gemm gemm;

    Im2colConvolution(Backend backend, Gemm gemm) {
        this.backend = backend;
        this.gemm = gemm;
    }

    /**
     * y = conv(x, w) + bias of geometry g; {@code bias} (one per output channel) may be null, and is added to each
     * image's outputs right after its product, while they are in cache (a pass of its own over LeNet's 4.6 MB conv1
     * output cost 0.1-0.3 ms a step); {@code fused} is the kernel's column products for padded(g), or null;
     * {@code afterImage}, or null, runs on each image's finished outputs, while they are in cache.
     */
    Tensor forward(Im2col.Geometry g, Shape ys, DType d, Object xa, Object wa, Object bias, Gemm.ColumnProducts fused,
                   ObjIntConsumer<Object> afterImage) {
        int o = ys.dim(1), kk = g.rows(), p = g.cols(), image = g.channels() * g.height() * g.width();
        Im2col.Geometry gp = padded(g);
        // The fused product overwrites each image's outputs; the other path adds into them.
        HostTensor y = fused != null ? Host.uncleared(backend, ys, d) : Host.zeros(backend, ys, d);
        Object ya = Host.array(y);
        boolean pad = fused != null && gp != g;
        perImage(ys.dim(0), (n, scratch, inner) -> {
            if (fused != null) {
                float[] src = pad ? padInto(g, (float[]) xa, n * image, (float[]) scratch, 0) : (float[]) xa;
                fused.times(o, (float[]) wa, 0, kk, src, pad ? 0 : n * image, (float[]) ya, n * o * p, p, inner);
            } else {
                unfold(g, xa, n * image, scratch, inner);
                gemm(false, false, o, p, kk, wa, 0, kk, scratch, 0, p, ya, n * o * p, p, inner);
            }
            if (bias != null) addBias(ya, n * o * p, bias, o, p);
            if (afterImage != null) afterImage.accept(ya, n);
        }, xa, fused != null ? (pad ? size(gp) : 0) : kk * p);
        return y;
    }

    /** y[at + c·p + q] += bias[c] for the o channels of p cells of one image: the same sum as the broadcast add. */
    private static void addBias(Object y, int at, Object bias, int o, int p) {
        if (y instanceof float[] f) {
            float[] b = (float[]) bias;
            for (int c = 0; c < o; c++) {
                float v = b[c];
                for (int q = at + c * p, end = q + p; q < end; q++) f[q] += v;
            }
        } else {
            double[] yd = (double[]) y, b = (double[]) bias;
            for (int c = 0; c < o; c++) {
                double v = b[c];
                for (int q = at + c * p, end = q + p; q < end; q++) yd[q] += v;
            }
        }
    }

    /** dx of shape xShape for dy (of shape ys) and w; {@code fused} as in {@link #forward}. */
    Tensor backwardInput(Im2col.Geometry g, Shape ys, Shape xShape, DType d, Object dya, Object wa, Gemm.ColumnProducts fused) {
        int o = ys.dim(1), kk = g.rows(), p = g.cols(), image = g.channels() * g.height() * g.width();
        Im2col.Geometry gp = padded(g);
        boolean pad = fused != null && gp != g;
        // Padded, each image's gradient is folded in the scratch and copied whole into dx; otherwise folded into dx,
        // each image's channels cleared just before their columns are added in (on the thread that adds, while they are
        // in its cache) rather than the whole batch up front on one thread (2% of a LeNet step).
        HostTensor dx = Host.uncleared(backend, xShape, d);
        Object dxa = Host.array(dx);
        int plane = g.height() * g.width();
        // With padding the fused fold adds into a padded image after the columns in the scratch, cropped into dx.
        perImage(ys.dim(0), (n, cols, inner) -> {
            // The fused product overwrites the columns; only the padded image after them, which the fold adds into, is zeroed.
            if (fused == null) zero(cols);
            else if (pad) java.util.Arrays.fill((float[]) cols, kk * p, kk * p + size(gp), 0f);
            if (fused != null) fused.transposedTimes(o, (float[]) wa, 0, kk, (float[]) dya, n * o * p, (float[]) cols, inner);
            else gemm(true, false, kk, p, o, wa, 0, kk, dya, n * o * p, p, cols, 0, p, inner);
            Object into = pad ? cols : dxa;
            int at = pad ? kk * p : n * image;
            Parallel.Range add = fused != null ? (c0, c1) -> fused.fold((float[]) cols, (float[]) into, at, c0, c1)
                    : (c0, c1) -> col2im(g, cols, dxa, n * image, c0, c1);
            Parallel.Range channels = pad ? add : (c0, c1) -> {
                clear(dxa, n * image + c0 * plane, n * image + c1 * plane);
                add.run(c0, c1);
            };
            if (inner) Parallel.forRange(g.channels(), Host.grain((long) g.kh() * g.kw() * p), channels);
            else channels.run(0, g.channels());
            if (pad) cropFrom(g, (float[]) cols, kk * p, (float[]) dxa, n * image);
        }, dxa, kk * p + (pad ? size(gp) : 0));
        return dx;
    }

    /**
     * dW of shape wShape for x and dy (of shape ys), summed over the images in {@code groups} fixed groups; with
     * {@code db} (not null, o values) also the bias gradient, dy summed over images and cells with {@code sums}' loops:
     * each group sums its images' dy just before its product reads the same dy (which then finds it in cache), and the
     * groups' sums are added in group order.
     */
    Tensor backwardWeight(Im2col.Geometry g, Shape ys, Shape wShape, DType d, Object xa, Object dya, Gemm.ColumnProducts fused, int groups,
                          Kernels sums, Object db) {
        int batch = ys.dim(0), o = ys.dim(1), kk = g.rows(), p = g.cols(), image = g.channels() * g.height() * g.width();
        Object[] partial = new Object[groups];
        double[] biasPartial = db == null ? null : new double[groups * o];
        Im2col.Geometry gp = padded(g);
        boolean pad = fused != null && gp != g;
        Parallel.Range body = (g0, g1) -> {
            boolean inner = groups < Parallel.threads();
            Object cols = like(xa, fused != null ? (pad ? size(gp) : 0) : kk * p);
            for (int gi = g0; gi < g1; gi++) {
                partial[gi] = like(xa, o * kk);
                int first = gi * batch / groups, end = (gi + 1) * batch / groups;
                // The group's dy summed first, so that the product finds it in cache: the images' (o, p) blocks added
                // cell by cell into one block (one call an image), then each channel's p cells summed once.
                if (biasPartial != null) {
                    Object block = like(xa, o * p);
                    for (int n = first; n < end; n++) {
                        if (block instanceof float[] f) sums.addTo(f, 0, (float[]) dya, n * o * p, o * p);
                        else sums.addTo((double[]) block, 0, (double[]) dya, n * o * p, o * p);
                    }
                    for (int oc = 0; oc < o; oc++)
                        biasPartial[gi * o + oc] = block instanceof float[] f ? sums.sum(f, oc * p, p) : sums.sum((double[]) block, oc * p, p);
                }
                if (fused != null && !pad) {
                    // Into dWᵀ (kk, o), the group's images in one product; transposed below.
                    fused.columnsTimesTransposed(o, (float[]) dya, first * o * p, o * p, (float[]) xa, first * image, image, end - first,
                            (float[]) partial[gi], 0, o, inner);
                    continue;
                }
                for (int n = first; n < end; n++) {
                    if (fused != null) {
                        // Padded: each image copied into the scratch with its border, then as above, one image at a time.
                        float[] src = padInto(g, (float[]) xa, n * image, (float[]) cols, 0);
                        fused.columnsTimesTransposed(o, (float[]) dya, n * o * p, o * p, src, 0, 0, 1, (float[]) partial[gi], 0, o, inner);
                        continue;
                    }
                    unfold(g, xa, n * image, cols, inner);
                    gemm(false, true, o, kk, p, dya, n * o * p, p, cols, 0, p, partial[gi], 0, kk, inner);
                }
            }
        };
        if (groups >= Parallel.threads()) Parallel.forEach(groups, body);
        else body.run(0, groups);
        if (db != null) for (int oc = 0; oc < o; oc++) {
            double sum = 0;
            for (int gi = 0; gi < groups; gi++) sum += biasPartial[gi * o + oc];
            if (db instanceof float[] f) f[oc] = (float) sum;
            else ((double[]) db)[oc] = sum;
        }
        HostTensor dw = Host.zeros(backend, wShape, d);
        Object dwa = Host.array(dw);
        if (fused != null) {
            // The groups summed in order where they lie, then one transpose: summing through the transposed index
            // strode kk floats per add (9% of LeNet conv2's weight gradient).
            float[] f = (float[]) dwa, sum = (float[]) partial[0];
            for (int gi = 1; gi < groups; gi++) {
                float[] t = (float[]) partial[gi];
                for (int i = 0; i < sum.length; i++) sum[i] += t[i];
            }
            for (int r = 0; r < kk; r++) for (int oc = 0; oc < o; oc++) f[oc * kk + r] = sum[r * o + oc];
            return dw;
        }
        System.arraycopy(partial[0], 0, dwa, 0, o * kk);
        for (int gi = 1; gi < groups; gi++) {
            if (dwa instanceof float[] f) for (int i = 0; i < f.length; i++) f[i] += ((float[]) partial[gi])[i];
            else for (int i = 0, n = o * kk; i < n; i++) ((double[]) dwa)[i] += ((double[]) partial[gi])[i];
        }
        return dw;
    }

    private static void unfold(Im2col.Geometry g, Object x, int xo, Object cols, boolean inner) {
        Parallel.Range rows = (r0, r1) -> {
            if (x instanceof float[] f) Im2col.im2col(g, f, xo, (float[]) cols, r0, r1);
            else Im2col.im2col(g, (double[]) x, xo, (double[]) cols, r0, r1);
        };
        if (inner) Parallel.forRange(g.rows(), Host.grain(g.cols()), rows);
        else rows.run(0, g.rows());
    }

    private static void col2im(Im2col.Geometry g, Object cols, Object dx, int xo, int c0, int c1) {
        if (cols instanceof float[] f) Im2col.col2im(g, f, (float[]) dx, xo, c0, c1);
        else Im2col.col2im(g, (double[]) cols, (double[]) dx, xo, c0, c1);
    }

    private void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda, Object b, int bo, int ldb, Object c, int co, int ldc, boolean parallel) {
        if (a instanceof float[] f) gemm.gemm(ta, tb, m, n, k, f, ao, lda, (float[]) b, bo, ldb, (float[]) c, co, ldc, parallel);
        else gemm.gemm(ta, tb, m, n, k, (double[]) a, ao, lda, (double[]) b, bo, ldb, (double[]) c, co, ldc, parallel);
    }

    private static void zero(Object a) {
        if (a instanceof float[] f) java.util.Arrays.fill(f, 0f);
        else java.util.Arrays.fill((double[]) a, 0.0);
    }

    private static void clear(Object a, int from, int to) {
        if (a instanceof float[] f) java.util.Arrays.fill(f, from, to, 0f);
        else java.util.Arrays.fill((double[]) a, from, to, 0.0);
    }
}
