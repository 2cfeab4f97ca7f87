package io.github.knetj.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD form of {@link MaxPool2x2}'s plane loops: four windows per step from one 8-lane load of the top row and
 * one of the bottom row. Swapping adjacent lanes puts each window's right-hand cells beside its left-hand ones, so
 * three compare-and-blends leave every window's first strict maximum (value, and for backward its cell offset) in
 * the even lanes, with no data-dependent branch; forward gathers the even lanes into the first four, backward writes
 * both rows of the four windows whole (the gradient at the maximum, zero elsewhere) instead of scattering. Rows
 * shorter than a vector, and row tails, use the scalar window; the cells no window covers are zeroed, so dx is
 * written whole.
 */
final class FloatPoolLoops {
    /** Fixed at 8 lanes, the width the shuffles are written for. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromValues(S, 1, 0, 3, 2, 5, 4, 7, 6);
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromValues(S, 0, 2, 4, 6, 0, 2, 4, 6);
    /** Each even lane's value copied into the odd lane after it: a window's offset beside both its cells. */
    private static final VectorShuffle<Float> PAIRS = VectorShuffle.fromValues(S, 0, 0, 2, 2, 4, 4, 6, 6);
    /** Window q's gradient into lanes 2q and 2q + 1. */
    private static final VectorShuffle<Float> SPREAD = VectorShuffle.fromValues(S, 0, 0, 1, 1, 2, 2, 3, 3);
    /** The offset of each lane's cell within its window's top row. */
    private static final float[] PARITY = {0, 1, 0, 1, 0, 1, 0, 1};
    private static final VectorMask<Float> LOW = VectorMask.fromLong(S, 0x0F);
    /** Windows per vector step. */
    private static final int W = 4;

    private FloatPoolLoops() {}

    /** Whether the hardware has 256-bit vectors; otherwise the 8-lane species would be emulated, slower than scalar. */
    static boolean available() { return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256; }

    static void forward(float[] x, float[] y, int p0, int p1, int h, int w, int oh, int ow) {
        for (int p = p0; p < p1; p++) {
            for (int i = 0; i < oh; i++) {
                int top = p * h * w + 2 * i * w, out = (p * oh + i) * ow, j = 0;
                for (; j + W <= ow; j += W) {
                    FloatVector t = FloatVector.fromArray(S, x, top + 2 * j), b = FloatVector.fromArray(S, x, top + w + 2 * j);
                    FloatVector best = t, v = t.rearrange(SWAP);
                    best = best.blend(v, v.compare(VectorOperators.GT, best));
                    best = best.blend(b, b.compare(VectorOperators.GT, best));
                    v = b.rearrange(SWAP);
                    best = best.blend(v, v.compare(VectorOperators.GT, best));
                    best.rearrange(EVENS).intoArray(y, out + j, LOW);
                }
                for (; j < ow; j++) y[out + j] = x[top + 2 * j + MaxPool2x2.argmax(x, top + 2 * j, w)];
            }
        }
    }

    static void backward(float[] x, float[] dy, float[] dx, int p0, int p1, int h, int w, int oh, int ow) {
        FloatVector zero = FloatVector.zero(S), right = FloatVector.broadcast(S, 1f), below = FloatVector.broadcast(S, w),
                diagonal = FloatVector.broadcast(S, w + 1f), parity = FloatVector.fromArray(S, PARITY, 0), lower = parity.add(w);
        for (int p = p0; p < p1; p++) {
            for (int i = 0; i < oh; i++) {
                int top = p * h * w + 2 * i * w, out = (p * oh + i) * ow, j = 0;
                for (; j + W <= ow; j += W) {
                    FloatVector t = FloatVector.fromArray(S, x, top + 2 * j), b = FloatVector.fromArray(S, x, top + w + 2 * j);
                    FloatVector best = t, v = t.rearrange(SWAP), off = zero;
                    VectorMask<Float> m = v.compare(VectorOperators.GT, best);
                    best = best.blend(v, m);
                    off = off.blend(right, m);
                    m = b.compare(VectorOperators.GT, best);
                    best = best.blend(b, m);
                    off = off.blend(below, m);
                    v = b.rearrange(SWAP);
                    off = off.blend(diagonal, v.compare(VectorOperators.GT, best)).rearrange(PAIRS);
                    // Every cell of the four windows is written: dy where the cell's offset is its window's maximum, else
                    // 0 (adding to zero, as the scalar += does, so a −0 gradient lands as +0 there too).
                    FloatVector g = FloatVector.fromArray(S, dy, out + j, LOW).rearrange(SPREAD);
                    zero.add(g, off.compare(VectorOperators.EQ, parity)).intoArray(dx, top + 2 * j);
                    zero.add(g, off.compare(VectorOperators.EQ, lower)).intoArray(dx, top + w + 2 * j);
                }
                for (; j < ow; j++) MaxPool2x2.window(x, dy[out + j], dx, top + 2 * j, w);
            }
            MaxPool2x2.clearUncovered(dx, p, h, w, oh, ow);
        }
    }
}
