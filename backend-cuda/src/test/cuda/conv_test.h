// The checks of kernels_test.cpp for the NN kernels, conv2d (forward and both backward passes, through the same
// im2col / GEMM / gather sequence as CudaConvolution.java) and pooling, against naive loops in double.
#pragma once

template <typename T> struct ConvKernels {
    void (*im2col)(ConvGeom, const T*, T*);
    void (*col2im)(ConvGeom, const T*, T*);
    void (*gather)(int, Strided, const T*, T*);
    void (*gemm)(int, int, int, int, int, const T*, int, long long, const T*, int, long long, T*, long long);
    void (*max_pool)(PoolGeom, const T*, T*);
    void (*max_pool_backward)(PoolGeom, const T*, const T*, T*);
    void (*avg_pool)(PoolGeom, const T*, T*);
    void (*avg_pool_backward)(PoolGeom, const T*, T*);
};

template <typename T>
void gemm_as_java(const ConvKernels<T>& k, int m, int n, int kk, int ta, const T* a, int lda, int tb, const T* b, int ldb, T* c) {
    int tile = sizeof(T) == 4 ? 128 : 64;
    launch(k.gemm, dim3{unsigned((n + tile - 1) / tile), unsigned((m + tile - 1) / tile), 1}, THREADS, m, n, kk, ta, tb, a, lda, 0LL, b, ldb, 0LL, c, 0LL);
}

template <typename T> void test_conv(const ConvKernels<T>& k, double tol) {
    const char* sfx = sizeof(T) == 4 ? "_f32" : "_f64";
    // n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw
    const int cases[][13] = {{2, 3, 7, 6, 4, 3, 2, 1, 1, 0, 0, 1, 1}, {2, 2, 9, 8, 3, 3, 3, 2, 1, 1, 2, 2, 1}, {3, 1, 12, 12, 5, 5, 5, 1, 1, 0, 0, 1, 1}};
    for (auto& cs : cases) {
        int N = cs[0], C = cs[1], H = cs[2], W = cs[3], O = cs[4], KH = cs[5], KW = cs[6], SH = cs[7], SW = cs[8], PH = cs[9], PW = cs[10], DH = cs[11], DW = cs[12];
        int HO = (H + 2 * PH - DH * (KH - 1) - 1) / SH + 1, WO = (W + 2 * PW - DW * (KW - 1) - 1) / SW + 1, P = HO * WO, NP = N * P, CKK = C * KH * KW;
        ConvGeom g{N, C, H, W, KH, KW, SH, SW, PH, PW, DH, DW, HO, WO};
        std::vector<T> x = as<T>(randoms(N * C * H * W, -1, 1, 8)), w = as<T>(randoms(O * CKK, -1, 1, 9)), dy = as<T>(randoms(N * O * P, -1, 1, 10));
        std::vector<double> y_ref(N * O * P), dx_ref(N * C * H * W), dw_ref(O * CKK);
        for (int n = 0; n < N; n++) for (int o = 0; o < O; o++) for (int oh = 0; oh < HO; oh++) for (int ow = 0; ow < WO; ow++)
            for (int c = 0; c < C; c++) for (int ki = 0; ki < KH; ki++) for (int kj = 0; kj < KW; kj++) {
                int h = oh * SH - PH + ki * DH, wc = ow * SW - PW + kj * DW;
                if (h < 0 || h >= H || wc < 0 || wc >= W) continue;
                int xi = ((n * C + c) * H + h) * W + wc, wi = ((o * C + c) * KH + ki) * KW + kj, yi = ((n * O + o) * HO + oh) * WO + ow;
                y_ref[yi] += double(x[xi]) * double(w[wi]);
                dx_ref[xi] += double(dy[yi]) * double(w[wi]);
                dw_ref[wi] += double(dy[yi]) * double(x[xi]);
            }
        char name[160];
        snprintf(name, sizeof name, "x(%d,%d,%d,%d) w(%d,%d,%d,%d) stride(%d,%d) pad(%d,%d) dil(%d,%d)", N, C, H, W, O, C, KH, KW, SH, SW, PH, PW, DH, DW);
        std::vector<T> cols(CKK * NP), yt(O * NP), y(N * O * P);
        launch(k.im2col, GRID, THREADS, g, (const T*)x.data(), cols.data());
        gemm_as_java(k, O, NP, CKK, 0, w.data(), CKK, 0, cols.data(), NP, yt.data());
        launch(k.gather, GRID, THREADS, N * O * P, strided({N, O, P}, {P, N * P, 1}, 0), (const T*)yt.data(), y.data());
        expect(std::string("conv2d") + sfx + " " + name, y, y_ref, tol);
        std::vector<T> dyt(O * NP), dcols(CKK * NP), dx(N * C * H * W), dw(O * CKK);
        launch(k.gather, GRID, THREADS, O * NP, strided({O, N, P}, {P, O * P, 1}, 0), (const T*)dy.data(), dyt.data());
        gemm_as_java(k, CKK, NP, O, 1, w.data(), CKK, 0, dyt.data(), NP, dcols.data());
        launch(k.col2im, GRID, THREADS, g, (const T*)dcols.data(), dx.data());
        expect(std::string("conv2dBackwardInput") + sfx + " " + name, dx, dx_ref, tol);
        gemm_as_java(k, O, CKK, NP, 0, dyt.data(), NP, 1, cols.data(), NP, dw.data());
        expect(std::string("conv2dBackwardWeight") + sfx + " " + name, dw, dw_ref, tol);
    }
}

template <typename T> void test_pool(const ConvKernels<T>& k, double tol) {
    const char* sfx = sizeof(T) == 4 ? "_f32" : "_f64";
    // n, c, h, w, kh, kw, sh, sw, ph, pw, countIncludePad
    const int cases[][11] = {{2, 2, 6, 7, 3, 2, 2, 2, 1, 1, 0}, {2, 2, 6, 7, 3, 2, 2, 2, 1, 1, 1}, {1, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1}, {1, 1, 5, 5, 3, 3, 1, 1, 1, 1, 0}};
    for (auto& cs : cases) {
        int N = cs[0], C = cs[1], H = cs[2], W = cs[3], KH = cs[4], KW = cs[5], SH = cs[6], SW = cs[7], PH = cs[8], PW = cs[9], CIP = cs[10];
        int HO = (H + 2 * PH - KH) / SH + 1, WO = (W + 2 * PW - KW) / SW + 1;
        PoolGeom g{N, C, H, W, KH, KW, SH, SW, PH, PW, HO, WO, CIP};
        std::vector<T> x = as<T>(coarse(N * C * H * W, 11)), dy = as<T>(randoms(N * C * HO * WO, -1, 1, 12));
        std::vector<double> ymax(N * C * HO * WO), yavg(N * C * HO * WO), dxmax(x.size()), dxavg(x.size());
        for (int pl = 0; pl < N * C; pl++) for (int oh = 0; oh < HO; oh++) for (int ow = 0; ow < WO; ow++) {
            int best = -1, real = 0, yi = (pl * HO + oh) * WO + ow;
            double sum = 0;
            for (int ki = 0; ki < KH; ki++) for (int kj = 0; kj < KW; kj++) {
                int r = oh * SH - PH + ki, q = ow * SW - PW + kj;
                if (r < 0 || r >= H || q < 0 || q >= W) continue;
                int xi = (pl * H + r) * W + q;
                real++;
                sum += double(x[xi]);
                if (best < 0 || x[xi] > x[best]) best = xi;
            }
            double div = CIP ? KH * KW : real;
            ymax[yi] = double(x[best]);
            yavg[yi] = sum / div;
            dxmax[best] += double(dy[yi]);
            for (int ki = 0; ki < KH; ki++) for (int kj = 0; kj < KW; kj++) {
                int r = oh * SH - PH + ki, q = ow * SW - PW + kj;
                if (r >= 0 && r < H && q >= 0 && q < W) dxavg[(pl * H + r) * W + q] += double(dy[yi]) / div;
            }
        }
        char name[128];
        snprintf(name, sizeof name, "x(%d,%d,%d,%d) window(%d,%d) stride(%d,%d) pad(%d,%d) countIncludePad=%d", N, C, H, W, KH, KW, SH, SW, PH, PW, CIP);
        std::vector<T> y(ymax.size()), dx(x.size());
        launch(k.max_pool, GRID, THREADS, g, (const T*)x.data(), y.data());
        expect(std::string("max_pool") + sfx + " " + name, y, ymax, 0);
        launch(k.max_pool_backward, GRID, THREADS, g, (const T*)dy.data(), (const T*)x.data(), dx.data());
        expect(std::string("max_pool_backward") + sfx + " " + name, dx, dxmax, tol);
        launch(k.avg_pool, GRID, THREADS, g, (const T*)x.data(), y.data());
        expect(std::string("avg_pool") + sfx + " " + name, y, yavg, tol);
        launch(k.avg_pool_backward, GRID, THREADS, g, (const T*)dy.data(), dx.data());
        expect(std::string("avg_pool_backward") + sfx + " " + name, dx, dxavg, tol);
    }
}

template <typename T, typename S, typename G, typename SA, typename P, typename PL>
void test_nn(S softmax, G gather_rows, SA scatter_add, P pick, PL place, double tol) {
    const char* sfx = sizeof(T) == 4 ? "_f32" : "_f64";
    int outer = 2, n = 5, inner = 3;
    std::vector<T> x = as<T>(randoms(outer * n * inner, -5, 5, 13));
    x[0] = T(800);
    for (int log_form = 0; log_form < 2; log_form++) {
        std::vector<double> want(x.size());
        for (int o = 0; o < outer; o++) for (int in = 0; in < inner; in++) {
            double m = -INFINITY, s = 0;
            for (int k = 0; k < n; k++) m = std::max(m, double(x[(o * n + k) * inner + in]));
            for (int k = 0; k < n; k++) s += exp(double(x[(o * n + k) * inner + in]) - m);
            for (int k = 0; k < n; k++) { double z = double(x[(o * n + k) * inner + in]) - m; want[(o * n + k) * inner + in] = log_form ? z - log(s) : exp(z) / s; }
        }
        std::vector<T> y(x.size());
        launch(softmax, GRID, THREADS, log_form, outer, n, inner, (const T*)x.data(), y.data());
        expect(std::string(log_form ? "log_softmax" : "softmax") + sfx + " (2,5,3) axis 1", y, want, tol);
    }
    int V = 6, D = 4;
    std::vector<T> table = as<T>(randoms(V * D, -1, 1, 14));
    std::vector<int> idx = {3, 0, 3, 5, 3};
    std::vector<T> rows(idx.size() * D);
    std::vector<double> rw;
    for (int i : idx) for (int d = 0; d < D; d++) rw.push_back(double(table[i * D + d]));
    launch(gather_rows, GRID, THREADS, int(idx.size()), D, (const int*)idx.data(), (const T*)table.data(), rows.data());
    expect(std::string("gather_rows") + sfx, rows, rw, 0);
    // The counting sort of CudaNN.scatterAddRows.
    std::vector<int> start(V + 1, 0), order(idx.size());
    for (int i : idx) start[i + 1]++;
    for (int r = 0; r < V; r++) start[r + 1] += start[r];
    std::vector<int> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < idx.size(); i++) order[next[idx[i]]++] = int(i);
    std::vector<double> sw(V * D, 0);
    for (size_t i = 0; i < idx.size(); i++) for (int d = 0; d < D; d++) sw[idx[i] * D + d] += double(rows[i * D + d]);
    std::vector<T> sum(V * D, T(5));
    launch(scatter_add, GRID, THREADS, V, D, (const int*)start.data(), (const int*)order.data(), (const T*)rows.data(), sum.data());
    expect(std::string("scatter_add_rows") + sfx, sum, sw, tol);
    std::vector<int> labels = {2, 0, 3};
    std::vector<T> picked(3), placed(12);
    launch(pick, GRID, THREADS, 3, 4, (const int*)labels.data(), (const T*)table.data(), picked.data());
    expect(std::string("pick_classes") + sfx, picked, {double(table[2]), double(table[4]), double(table[11])}, 0);
    launch(place, GRID, THREADS, 3, 4, (const int*)labels.data(), (const T*)picked.data(), placed.data());
    std::vector<double> pw(12, 0);
    for (int i = 0; i < 3; i++) pw[i * 4 + labels[i]] = double(picked[i]);
    expect(std::string("place_classes") + sfx, placed, pw, 0);
}
