// The checks of kernels_test.cpp for GEMM, element-wise, layout and reduction kernels, plus shared helpers;
// convolution, pooling and NN kernels are in conv_test.h. Each check compares a kernel run on the host simulator
// with a naive loop in double and prints "ok" or "FAIL" with the largest relative error.
#pragma once
#include <cstdio>
#include <random>
#include <string>
#include <vector>

static int checks = 0, failures = 0;

// Relative error with a floor of 1 in the denominator; equal values (including infinities and two NaNs) count as 0.
inline double rel_err(double got, double want) {
    if (got == want || (got != got && want != want)) return 0;
    if (got != got || want != want || isinf(got) || isinf(want)) return INFINITY;
    return fabs(got - want) / std::max(1.0, fabs(want));
}

template <typename T> void expect(const std::string& what, const std::vector<T>& got, const std::vector<double>& want, double tol) {
    checks++;
    double worst = 0;
    size_t at = 0;
    if (got.size() != want.size()) worst = INFINITY;
    else for (size_t i = 0; i < got.size(); i++) { double e = rel_err(double(got[i]), want[i]); if (e > worst) { worst = e; at = i; } }
    if (worst <= tol) { printf("ok   %s (max rel err %.2g)\n", what.c_str(), worst); return; }
    failures++;
    printf("FAIL %s: element %zu is %.17g, expected %.17g (rel err %.3g > %.1g)\n", what.c_str(), at,
           at < got.size() ? double(got[at]) : NAN, at < want.size() ? want[at] : NAN, worst, tol);
}

inline int report() {
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

inline std::vector<double> randoms(size_t n, double lo, double hi, unsigned seed) {
    std::mt19937_64 g(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (auto& x : v) x = u(g);
    return v;
}

// Multiples of 0.5 in [-2, 2]: exact in float, full of ties.
inline std::vector<double> coarse(size_t n, unsigned seed) {
    std::mt19937_64 g(seed);
    std::vector<double> v(n);
    for (auto& x : v) x = int(g() % 9) * 0.5 - 2;
    return v;
}

template <typename T> std::vector<T> as(const std::vector<double>& v) { return std::vector<T>(v.begin(), v.end()); }

inline Strided strided(std::vector<int> dims, std::vector<int> strides, int offset) {
    Strided s{};
    s.rank = int(dims.size());
    s.offset = offset;
    for (size_t k = 0; k < dims.size(); k++) { s.dims[k] = dims[k]; s.strides[k] = strides[k]; }
    return s;
}

// Two blocks, so that grid-stride loops take more than one step on small inputs.
static const dim3 GRID{2, 1, 1};
static const unsigned THREADS = 256;

template <typename T, typename Kern> void test_gemm(Kern gemm, double tol) {
    const int tile = sizeof(T) == 4 ? 128 : 64;
    const int sizes[][3] = {{1, 1, 1}, {130, 257, 19}, {128, 128, 16}, {256, 128, 64}, {5, 70, 131}};
    for (auto& s : sizes) for (int ta = 0; ta < 2; ta++) for (int tb = 0; tb < 2; tb++) for (int shareB = 0; shareB < 2; shareB++) {
        if (shareB && &s != &sizes[1]) continue;   // one shape suffices for the shared (stride 0) operand
        int M = s[0], N = s[1], K = s[2], batch = 2;
        int lda = ta ? M : K, ldb = tb ? K : N;
        long long sA = (long long)M * K, sB = shareB ? 0 : (long long)K * N, sC = (long long)M * N;
        std::vector<double> a = randoms(batch * sA, -1, 1, 1), b = randoms(shareB ? K * N : batch * sB, -1, 1, 2), want(batch * sC);
        for (int q = 0; q < batch; q++) for (int i = 0; i < M; i++) for (int j = 0; j < N; j++) {
            double acc = 0;
            for (int k = 0; k < K; k++) {
                double av = ta ? a[q * sA + (long long)k * lda + i] : a[q * sA + (long long)i * lda + k];
                double bv = tb ? b[q * sB + (long long)j * ldb + k] : b[q * sB + (long long)k * ldb + j];
                acc += double(T(av)) * double(T(bv));
            }
            want[q * sC + (long long)i * N + j] = acc;
        }
        std::vector<T> ta_ = as<T>(a), tb_ = as<T>(b), c(batch * sC, T(-7));
        launch(gemm, dim3{unsigned((N + tile - 1) / tile), unsigned((M + tile - 1) / tile), unsigned(batch)}, THREADS,
               M, N, K, ta, tb, (const T*)ta_.data(), lda, sA, (const T*)tb_.data(), ldb, sB, c.data(), sC);
        char name[128];
        snprintf(name, sizeof name, "gemm_%s %dx%dx%d transA=%d transB=%d %s", sizeof(T) == 4 ? "f32" : "f64", M, N, K, ta, tb, shareB ? "shared B" : "batched");
        expect(name, c, want, tol);
    }
}

// The reference formulas of ReferenceElementwise, in double.
inline double unary_ref(int op, double x, double p) {
    auto sig = [](double v) { return v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)); };
    auto sp = [](double v) { return std::max(v, 0.0) + log1p(exp(-fabs(v))); };
    const double ss = 1.0507009873554804934193349852946, sa = 1.6732632423543772848170429916717;
    switch (op) {
        case 0: return -x; case 1: return fabs(x); case 2: return exp(x); case 3: return log(x); case 4: return sqrt(x);
        case 5: return x * x; case 6: return 1 / x; case 7: return tanh(x); case 8: return sig(x); case 9: return x > 0 ? x : 0;
        case 10: return x > 0 ? x : p * x; case 11: return x > 0 ? x : p * expm1(x); case 12: return ss * (x > 0 ? x : sa * expm1(x));
        case 13: return 0.5 * x * (1 + erf(x * sqrt(0.5))); case 14: return sp(x); case 15: return -sp(-x); case 16: return erf(x);
        case 17: return x > 0 ? 1 : (x < 0 ? -1 : x); default: return x > 0 ? 1 : 0;
    }
}

inline double binary_ref(int op, double a, double b) {
    switch (op) {
        case 0: return a + b; case 1: return a - b; case 2: return a * b; case 3: return a / b; case 4: return pow(a, b);
        case 5: return (a != a || b != b) ? NAN : std::max(a, b); case 6: return (a != a || b != b) ? NAN : std::min(a, b);
        case 7: return a > b; case 8: return a >= b; case 9: return a < b; case 10: return a <= b; case 11: return a == b; default: return a != b;
    }
}

template <typename T, typename U, typename B, typename BB, typename A, typename F>
void test_elementwise(U unary, B same, BB bcast, A affine, F fill, double tol) {
    std::vector<double> xs = {-800, -30, -3.5, -1, -0.25, -0.0, 0, 0.3, 1, 2.5, 10, 30, 800, NAN};
    std::vector<T> x = as<T>(xs), y(xs.size());
    const char* suffix = sizeof(T) == 4 ? "_f32" : "_f64";
    for (int op = 0; op <= 18; op++) for (double p : {0.01, 0.5}) {
        launch(unary, GRID, THREADS, op, p, int(x.size()), (const T*)x.data(), y.data());
        std::vector<double> want;
        for (T v : x) want.push_back(double(T(unary_ref(op, double(v), double(T(p))))));
        expect("unary" + std::string(suffix) + " op " + std::to_string(op) + " param " + std::to_string(p), y, want, tol);
    }
    std::vector<double> as_ = {1, -2, 0.5, 3, -0.5, 2, 2, NAN, 0, -1}, bs = {2, 3, -1.5, 3, 0.5, -2, 2, 1, 0, 0.5};
    std::vector<T> a = as<T>(as_), b = as<T>(bs), c(as_.size());
    for (int op = 0; op <= 12; op++) {
        launch(same, GRID, THREADS, op, int(a.size()), (const T*)a.data(), (const T*)b.data(), c.data());
        std::vector<double> want;
        for (size_t i = 0; i < a.size(); i++) want.push_back(double(T(binary_ref(op, double(a[i]), double(b[i])))));
        expect("binary_same" + std::string(suffix) + " op " + std::to_string(op), c, want, tol);
    }
    // (3,1,4) - (2,1) -> (3,2,4)
    std::vector<double> av = randoms(12, -1, 1, 3), bv = randoms(2, -1, 1, 4), want(24);
    for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 4; k++) want[(i * 2 + j) * 4 + k] = double(T(av[i * 4 + k])) - double(T(bv[j]));
    std::vector<T> ta = as<T>(av), tb = as<T>(bv), out(24);
    launch(bcast, GRID, THREADS, 1, 24, strided({3, 2, 4}, {4, 0, 1}, 0), strided({3, 2, 4}, {0, 1, 0}, 0), (const T*)ta.data(), (const T*)tb.data(), out.data());
    expect("binary_bcast" + std::string(suffix) + " (3,1,4)-(2,1)", out, want, tol);
    std::vector<double> aw;
    for (T v : ta) aw.push_back(double(T(2.5 * double(v) - 1)));
    std::vector<T> af(12);
    launch(affine, GRID, THREADS, 12, 2.5, -1.0, (const T*)ta.data(), af.data());
    expect("affine" + std::string(suffix), af, aw, tol);
    std::vector<T> filled(1000);
    launch(fill, GRID, THREADS, 1000, 0.1, filled.data());
    expect("fill" + std::string(suffix), filled, std::vector<double>(1000, double(T(0.1))), 0);
}

template <typename CF, typename CD> void test_casts(CF to_f32, CD to_f64) {
    std::vector<double> d = {1.0 / 3, -2.5, 1e300, 0};
    std::vector<float> f(4);
    launch(to_f32, GRID, THREADS, 4, (const double*)d.data(), f.data());
    expect("cast_f32", f, {double(float(1.0 / 3)), -2.5, INFINITY, 0}, 0);
    std::vector<double> back(4);
    launch(to_f64, GRID, THREADS, 4, (const float*)f.data(), back.data());
    expect("cast_f64", back, {double(float(1.0 / 3)), -2.5, INFINITY, 0}, 0);
}

template <typename T, typename G, typename S> void test_layout(G gather, S scatter) {
    const char* sfx = sizeof(T) == 4 ? "_f32" : "_f64";
    // permute (2,3,4) by (2,0,1) -> (4,2,3)
    std::vector<double> x = randoms(24, -1, 1, 5), want(24);
    for (int i = 0; i < 4; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++) want[(i * 2 + j) * 3 + k] = double(T(x[j * 12 + k * 4 + i]));
    std::vector<T> tx = as<T>(x), y(24);
    launch(gather, GRID, THREADS, 24, strided({4, 2, 3}, {1, 12, 4}, 0), (const T*)tx.data(), y.data());
    expect(std::string("gather") + sfx + " permute", y, want, 0);
    // slice rows 1..3 of the (4,6) view of x, as CudaLayout.slice does
    std::vector<double> sw;
    for (int i = 1; i < 3; i++) for (int j = 0; j < 6; j++) sw.push_back(double(T(x[i * 6 + j])));
    std::vector<T> sl(12);
    launch(gather, GRID, THREADS, 12, strided({2, 6}, {6, 1}, 6), (const T*)tx.data(), sl.data());
    expect(std::string("gather") + sfx + " slice", sl, sw, 0);
    // pad: x (2,3) into a (4,5) of 9s at (1,2)
    std::vector<T> out(20, T(9));
    std::vector<double> pw(20, 9);
    for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) pw[(i + 1) * 5 + j + 2] = double(T(x[i * 3 + j]));
    launch(scatter, GRID, THREADS, 6, strided({2, 3}, {5, 1}, 7), (const T*)tx.data(), out.data());
    expect(std::string("scatter") + sfx + " pad", out, pw, 0);
}

template <typename T, typename R, typename A> void test_reduce(R reduce, A argmax, double tol) {
    const char* sfx = sizeof(T) == 4 ? "_f32" : "_f64";
    int rows = 4, cols = 1000;
    std::vector<double> x = randoms(rows * cols, -3, 3, 6);
    for (int j = 0; j < cols; j++) x[3 * cols + j] = -INFINITY;
    std::vector<T> tx = as<T>(x), y(rows);
    for (int kind = 0; kind < 3; kind++) for (int mean = 0; mean < 2; mean++) {
        if (mean && kind != 0) continue;
        std::vector<double> want(rows);
        for (int r = 0; r < rows; r++) {
            double s = 0, m = -INFINITY;
            for (int j = 0; j < cols; j++) m = std::max(m, double(tx[r * cols + j]));
            for (int j = 0; j < cols; j++) s += kind == 2 ? exp(double(tx[r * cols + j]) - m) : double(tx[r * cols + j]);
            want[r] = kind == 0 ? (r == 3 ? -INFINITY : s * (mean ? 1.0 / cols : 1)) : kind == 1 ? m : (isinf(m) ? m : m + log(s));
        }
        launch(reduce, dim3{unsigned(rows), 1, 1}, THREADS, kind, rows, cols, mean ? 1.0 / cols : 1.0, (const T*)tx.data(), y.data());
        expect(std::string("reduce_rows") + sfx + " kind " + std::to_string(kind) + (mean ? " mean" : ""), y, want, tol);
    }
    std::vector<double> c = coarse(40, 7);
    c[5] = NAN;
    std::vector<T> tc = as<T>(c);
    std::vector<int> idx(8);
    std::vector<double> want;
    for (int r = 0; r < 8; r++) { int best = 0; for (int j = 1; j < 5; j++) if (tc[r * 5 + j] > tc[r * 5 + best]) best = j; want.push_back(best); }
    launch(argmax, GRID, THREADS, 8, 5, (const T*)tc.data(), idx.data());
    expect(std::string("argmax_rows") + sfx + " (ties: first index)", idx, want, 0);
}

#include "conv_test.h"
