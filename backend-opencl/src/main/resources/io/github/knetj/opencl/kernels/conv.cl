// Convolution as im2col + matrix products. The column matrix has one row per (c, ki, kj) and one column per
// (n, oh, ow); cols_n and cols_k say where logical entry (n, row, p) lives: cols[n·cols_n + row·cols_k + p], so one
// kernel writes the (N, K, P) layout of batched products and the (K, N·P) layout of the weight gradient.
// col2im is the adjoint, written as a gather (each input cell sums the column entries that read it): no atomics.
// Geometry: g = (N, C, H, W, kh, kw, Ho, Wo), s = (strideH, strideW, padH, padW, dilationH, dilationW, -, -).

// Work-item (row, n) fills one row of the column matrix for one image, walking (oh, ow) without divisions.
kernel void im2col(global const real* x, global real* cols, int8 g, int8 s, int cols_n, int cols_k) {
    int row = get_global_id(0), n = get_global_id(1);
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    if (row >= C * kh * kw) return;
    int c = row / (kh * kw), ki = (row / kw) % kh, kj = row % kw;
    global const real* xc = x + (n * C + c) * H * W;
    global real* out = cols + n * cols_n + row * cols_k;
    for (int oh = 0; oh < Ho; oh++) {
        int h = oh * s.s0 - s.s2 + ki * s.s4;
        bool in_h = h >= 0 && h < H;
        for (int ow = 0; ow < Wo; ow++) {
            int w = ow * s.s1 - s.s3 + kj * s.s5;
            out[oh * Wo + ow] = (in_h && w >= 0 && w < W) ? xc[h * W + w] : 0;
        }
    }
}

// im2col for stride 1, no padding and no dilation (LeNet's convolutions): each output row copies one contiguous run
// of an input row, with no bounds test per element, so the copy vectorizes.
kernel void im2col_valid(global const real* x, global real* cols, int8 g, int cols_n, int cols_k) {
    int row = get_global_id(0), n = get_global_id(1);
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    if (row >= C * kh * kw) return;
    int c = row / (kh * kw), ki = (row / kw) % kh, kj = row % kw;
    global const real* xc = x + ((n * C + c) * H + ki) * W + kj;
    global real* out = cols + n * cols_n + row * cols_k;
    for (int oh = 0; oh < Ho; oh++)
        for (int ow = 0; ow < Wo; ow++) out[oh * Wo + ow] = xc[oh * W + ow];
}

// Work-item (c, n) owns one image plane of x and adds every column row of that channel onto it, (ki, kj) outer, so
// each cell sums its terms in (ki, kj) order, as the reference backend does. At stride 1 a column row lands on a
// contiguous run of an image row, an add that vectorizes; a gather per cell (each testing 25 terms for validity)
// was half of LeNet's conv2 input gradient on PoCL.
kernel void col2im(global const real* restrict cols, global real* restrict x, int8 g, int8 s, int cols_n, int cols_k) {
    int c = get_global_id(0), n = get_global_id(1);
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    if (c >= C) return;
    global real* xp = x + (n * C + c) * H * W;
    for (int i = 0; i < H * W; i++) xp[i] = 0;
    for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++) {
            global const real* cr = cols + n * cols_n + ((c * kh + ki) * kw + kj) * cols_k;
            int off = kj * s.s5 - s.s3;   // column entry ow lands on w = ow·strideW + off
            if (off >= W) continue;
            int lo = off >= 0 ? 0 : (-off + s.s1 - 1) / s.s1, hi = min(Wo, (W - 1 - off) / s.s1 + 1);
            for (int oh = 0; oh < Ho; oh++) {
                int h = oh * s.s0 - s.s2 + ki * s.s4;
                if (h < 0 || h >= H) continue;
                global real* xr = xp + h * W + off;
                global const real* crr = cr + oh * Wo;
                if (s.s1 == 1) for (int ow = lo; ow < hi; ow++) xr[ow] += crr[ow];
                else for (int ow = lo; ow < hi; ow++) xr[ow * s.s1] += crr[ow];
            }
        }
    }
}

// The column matrix transposed and cut into the CPU product's panels, (ceil(K/16), N·Ho·Wo, 16): the B of the weight
// gradient dw (O, K) = dy (O, N·P) · colsᵀ, written once instead of im2col, a transpose and a packing. Columns past K
// repeat column K-1: the product never stores what they multiply into. Work-item (oh, panel, n) writes one output
// row's steps; each column's source is found once, not per value.
kernel void im2col_panels(global const real* restrict x, global real* restrict out, int8 g, int8 s) {
    int oh = get_global_id(0), panel = get_global_id(1), n = get_global_id(2);
    int N = g.s0, C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    if (oh >= Ho) return;
    int K = C * kh * kw, h[16], wk[16];
    global const real* plane[16];
    #pragma unroll
    for (int j = 0; j < 16; j++) {
        int kk = min(panel * 16 + j, K - 1);
        h[j] = oh * s.s0 - s.s2 + (kk / kw) % kh * s.s4;
        wk[j] = kk % kw * s.s5 - s.s3;
        plane[j] = x + (n * C + kk / (kh * kw)) * H * W;
    }
    global real* o = out + ((long) panel * N * Ho * Wo + (n * Ho + oh) * Wo) * 16;
    for (int ow = 0; ow < Wo; ow++) {
        #pragma unroll
        for (int j = 0; j < 16; j++) {
            int w = ow * s.s1 + wk[j];
            o[ow * 16 + j] = h[j] >= 0 && h[j] < H && w >= 0 && w < W ? plane[j][h[j] * W + w] : 0;
        }
    }
}

// im2col_panels at stride 1 without padding or dilation: every column reads a contiguous run of an image row, and the
// copy is 16 such runs interleaved (a transpose the compiler does with vector shuffles). Work-item (panel, n) does
// every output row: per row, finding the 16 sources cost as much as copying LeNet's 8 values from each.
kernel void im2col_panels_valid(global const real* restrict x, global real* restrict out, int8 g) {
    int panel = get_global_id(0), n = get_global_id(1);
    int N = g.s0, C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    int K = C * kh * kw;
    if (panel * 16 >= K) return;
    global const real* row[16];
    #pragma unroll
    for (int j = 0; j < 16; j++) {
        int kk = min(panel * 16 + j, K - 1);
        row[j] = x + ((n * C + kk / (kh * kw)) * H + (kk / kw) % kh) * W + kk % kw;
    }
    global real* o = out + ((long) panel * N + n) * Ho * Wo * 16;
    for (int oh = 0; oh < Ho; oh++, o += Wo * 16) {
        for (int ow = 0, i = oh * W; ow < Wo; ow++, i++)
            vstore16((real16) (row[0][i], row[1][i], row[2][i], row[3][i], row[4][i], row[5][i], row[6][i], row[7][i],
                               row[8][i], row[9][i], row[10][i], row[11][i], row[12][i], row[13][i], row[14][i], row[15][i]), ow, o);
    }
}

// out[i] = the sum of the groups' partial products, in group order (a weight gradient split over image groups).
kernel void sum_partials(global const real* parts, global real* out, int n, int groups) {
    int i = get_global_id(0);
    if (i >= n) return;
    acc_t acc = 0;
    for (int gi = 0; gi < groups; gi++) acc += parts[gi * n + i];
    out[i] = (real) acc;
}
