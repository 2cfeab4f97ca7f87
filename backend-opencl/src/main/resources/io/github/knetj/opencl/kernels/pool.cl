// Max and average pooling over NCHW planes, forward and backward. Backward passes are gathers: each input cell
// visits the windows that contain it, in the order the reference backend adds them, so no atomics are needed.
// Geometry: g = (planes, H, W, Ho, Wo, -, -, -), s = (windowH, windowW, strideH, strideW, padH, padW, countIncludePad, -).

// Flat index within a plane of the first largest real cell of window (oh, ow); padding is never chosen.
inline int window_argmax(global const real* x, int H, int W, int oh, int ow, int8 s) {
    int best = -1;
    real bv = 0;
    for (int ki = 0; ki < s.s0; ki++) {
        int r = oh * s.s2 - s.s4 + ki;
        if (r < 0 || r >= H) continue;
        for (int kj = 0; kj < s.s1; kj++) {
            int q = ow * s.s3 - s.s5 + kj;
            if (q < 0 || q >= W) continue;
            real v = x[r * W + q];
            if (best < 0 || v > bv) { best = r * W + q; bv = v; }
        }
    }
    return best;
}

// The windows that contain cell (h, w): rows lo_h..hi_h, columns lo_w..hi_w of the output.
inline int first_window(int cell, int pad, int window, int stride) {
    int num = cell + pad - window + 1;
    return num <= 0 ? 0 : (num + stride - 1) / stride;
}

kernel void max_pool(global const real* x, global real* y, int total, int8 g, int8 s) {
    int j = get_global_id(0);
    if (j >= total) return;
    int H = g.s1, W = g.s2, Ho = g.s3, Wo = g.s4;
    int ow = j % Wo, oh = (j / Wo) % Ho, plane = j / (Wo * Ho);
    global const real* xp = x + plane * H * W;
    y[j] = xp[window_argmax(xp, H, W, oh, ow, s)];
}

// 2×2 windows at stride 2 without padding (LeNet's, VGG's): four reads a cell, no window loops or divisions, where
// the general kernel's per-cell index arithmetic and window loops took 16% of a LeNet step on PoCL. The first
// largest cell wins, as in window_argmax (a NaN there only when it comes first). Work-item (oh, plane) does one
// output row, four windows at a time from one 8-wide load of each input row (their even and odd lanes); a work-item
// per cell read them at stride 2 (7% of a LeNet step).
kernel void max_pool_2x2(global const real* restrict x, global real* restrict y, int H, int W, int Ho, int Wo) {
    int oh = get_global_id(0), plane = get_global_id(1);
    global const real* r = x + (plane * H + 2 * oh) * W;
    global real* yr = y + (plane * Ho + oh) * Wo;
    int ow = 0;
    for (; ow + 4 <= Wo; ow += 4) {   // four windows a step from 8-wide loads, as in max_pool_2x2_backward
        real8 top = vload8(0, r + 2 * ow), bottom = vload8(0, r + W + 2 * ow);
        real4 m = top.even, c = top.odd;
        m = select(m, c, c > m);
        c = bottom.even;
        m = select(m, c, c > m);
        c = bottom.odd;
        vstore4(select(m, c, c > m), 0, yr + ow);
    }
    for (; ow < Wo; ow++) {
        real m = r[2 * ow];
        if (r[2 * ow + 1] > m) m = r[2 * ow + 1];
        if (r[W + 2 * ow] > m) m = r[W + 2 * ow];
        if (r[W + 2 * ow + 1] > m) m = r[W + 2 * ow + 1];
        yr[ow] = m;
    }
}

// Its gradient when the windows tile the input (H = 2·Ho, W = 2·Wo): each window writes all four of its cells, dy to
// the one max_pool_2x2 chose and 0 to the others, so dx needs no zeroing pass first. Four windows a step from one
// 8-wide load of each of their two rows, the choice of cell made with selects: written with branches, PoCL kept them
// as branches, which random data mispredicts about half the time (9% of a LeNet step, against 1.4% for the forward).
kernel void max_pool_2x2_backward(global const real* restrict dy, global const real* restrict x, global real* restrict dx,
                                  int H, int W, int Ho, int Wo) {
    int oh = get_global_id(0), plane = get_global_id(1);
    int row = (plane * H + 2 * oh) * W;
    global const real* g = dy + (plane * Ho + oh) * Wo;
    int ow = 0;
    for (; ow + 4 <= Wo; ow += 4) {
        int o = row + 2 * ow;
        real8 top = vload8(0, x + o), bottom = vload8(0, x + o + W);
        // Lane q of each is window q's cell 0 (top left), 1 (top right), 2 (bottom left) or 3 (bottom right).
        real4 c1 = top.odd, c2 = bottom.even, c3 = bottom.odd, m = top.even, best = (real4)(0);
        best = select(best, (real4)(1), c1 > m);
        m = select(m, c1, c1 > m);
        best = select(best, (real4)(2), c2 > m);
        m = select(m, c2, c2 > m);
        best = select(best, (real4)(3), c3 > m);
        real4 v = vload4(0, g + ow), zero = (real4)(0);
        real4 d0 = select(zero, v, best == (real4)(0)), d1 = select(zero, v, best == (real4)(1));
        real4 d2 = select(zero, v, best == (real4)(2)), d3 = select(zero, v, best == (real4)(3));
        vstore8((real8)(d0.s0, d1.s0, d0.s1, d1.s1, d0.s2, d1.s2, d0.s3, d1.s3), 0, dx + o);
        vstore8((real8)(d2.s0, d3.s0, d2.s1, d3.s1, d2.s2, d3.s2, d2.s3, d3.s3), 0, dx + o + W);
    }
    for (; ow < Wo; ow++) {
        int o = row + 2 * ow, best = 0;
        real m = x[o];
        if (x[o + 1] > m) { m = x[o + 1]; best = 1; }
        if (x[o + W] > m) { m = x[o + W]; best = 2; }
        if (x[o + W + 1] > m) best = 3;
        real v = g[ow];
        dx[o] = best == 0 ? v : 0;
        dx[o + 1] = best == 1 ? v : 0;
        dx[o + W] = best == 2 ? v : 0;
        dx[o + W + 1] = best == 3 ? v : 0;
    }
}

kernel void max_pool_backward(global const real* dy, global const real* x, global real* dx, int total, int8 g, int8 s) {
    int j = get_global_id(0);
    if (j >= total) return;
    int H = g.s1, W = g.s2, Ho = g.s3, Wo = g.s4;
    int w = j % W, h = (j / W) % H, plane = j / (W * H);
    global const real* xp = x + plane * H * W;
    acc_t acc = 0;
    for (int oh = first_window(h, s.s4, s.s0, s.s2); oh <= min(Ho - 1, (h + s.s4) / s.s2); oh++)
        for (int ow = first_window(w, s.s5, s.s1, s.s3); ow <= min(Wo - 1, (w + s.s5) / s.s3); ow++)
            if (window_argmax(xp, H, W, oh, ow, s) == h * W + w) acc += dy[(plane * Ho + oh) * Wo + ow];
    dx[j] = (real) acc;
}

// When windows do not overlap (stride ≥ window), each output sends its dy to its window's argmax in a zeroed dx:
// one argmax per window instead of one per window per cell.
kernel void max_pool_backward_disjoint(global const real* dy, global const real* x, global real* dx, int total, int8 g, int8 s) {
    int j = get_global_id(0);
    if (j >= total) return;
    int H = g.s1, W = g.s2, Ho = g.s3, Wo = g.s4;
    int ow = j % Wo, oh = (j / Wo) % Ho, plane = j / (Wo * Ho);
    dx[plane * H * W + window_argmax(x + plane * H * W, H, W, oh, ow, s)] = dy[j];
}

// PyTorch's divisor: the whole window when countIncludePad, else only its real cells.
inline int window_divisor(int H, int W, int oh, int ow, int8 s) {
    if (s.s6) return s.s0 * s.s1;
    int r0 = oh * s.s2 - s.s4, q0 = ow * s.s3 - s.s5;
    return (min(r0 + s.s0, H) - max(r0, 0)) * (min(q0 + s.s1, W) - max(q0, 0));
}

kernel void avg_pool(global const real* x, global real* y, int total, int8 g, int8 s) {
    int j = get_global_id(0);
    if (j >= total) return;
    int H = g.s1, W = g.s2, Ho = g.s3, Wo = g.s4;
    int ow = j % Wo, oh = (j / Wo) % Ho, plane = j / (Wo * Ho);
    int r0 = oh * s.s2 - s.s4, q0 = ow * s.s3 - s.s5;
    acc_t acc = 0;
    for (int r = max(r0, 0); r < min(r0 + s.s0, H); r++)
        for (int q = max(q0, 0); q < min(q0 + s.s1, W); q++) acc += x[(plane * H + r) * W + q];
    y[j] = (real) (acc / window_divisor(H, W, oh, ow, s));
}

kernel void avg_pool_backward(global const real* dy, global real* dx, int total, int8 g, int8 s) {
    int j = get_global_id(0);
    if (j >= total) return;
    int H = g.s1, W = g.s2, Ho = g.s3, Wo = g.s4;
    int w = j % W, h = (j / W) % H, plane = j / (W * H);
    acc_t acc = 0;
    for (int oh = first_window(h, s.s4, s.s0, s.s2); oh <= min(Ho - 1, (h + s.s4) / s.s2); oh++)
        for (int ow = first_window(w, s.s5, s.s1, s.s3); ow <= min(Wo - 1, (w + s.s5) / s.s3); ow++)
            acc += (acc_t) dy[(plane * Ho + oh) * Wo + ow] / window_divisor(H, W, oh, ow, s);
    dx[j] = (real) acc;
}
