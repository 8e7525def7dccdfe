/* Per-site kernels (lat_kernels.h) of N x N complex matrix stacks:
 *   C(x) = op_a(A(x)) op_b(B(x)),  op = N or H (adjoint),
 * A, B, C of one shape, as one loop over the stack with unrolled 2x2
 * products (AVX2 for N = 2): the L-CNN's plaquettes and line products
 * (inputs of every GCMConv, recomputed at every training step); and the
 * trace features (Re tr, Im tr per channel and site) with their adjoint.
 * The graph ops are in src/layers/op_lat_site.c. */
#include "lat_kernels.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

/* element (i, j) of op(x), x row-major n x n as (re, im) pairs */
static inline void at(const double *x, int h, int n, int i, int j, double *re, double *im)
{
    if (!h) { *re = x[2 * (i * n + j)]; *im = x[2 * (i * n + j) + 1]; }
    else { *re = x[2 * (j * n + i)]; *im = -x[2 * (j * n + i) + 1]; }
}

static void mm_site(int n, int ha, int hb, const double *a, const double *b, double *c)
{
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double cr = 0, ci = 0;
            for (int k = 0; k < n; ++k) {
                double ar, ai, br, bi;
                at(a, ha, n, i, k, &ar, &ai);
                at(b, hb, n, k, j, &br, &bi);
                cr += ar * br - ai * bi;
                ci += ar * bi + ai * br;
            }
            c[2 * (i * n + j)] = cr;
            c[2 * (i * n + j) + 1] = ci;
        }
}

/* n = 2, flags known at compile time per call site below */
static inline __attribute__((always_inline)) void mm2_site(int ha, int hb, const double *a, const double *b,
                                                            double *c)
{
    double ar[4], ai[4], br[4], bi[4];
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
            at(a, ha, 2, i, j, &ar[2 * i + j], &ai[2 * i + j]);
            at(b, hb, 2, i, j, &br[2 * i + j], &bi[2 * i + j]);
        }
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
            double x0r = ar[2 * i], x0i = ai[2 * i], x1r = ar[2 * i + 1], x1i = ai[2 * i + 1];
            double y0r = br[j], y0i = bi[j], y1r = br[2 + j], y1i = bi[2 + j];
            c[2 * (2 * i + j)] = (x0r * y0r - x0i * y0i) + (x1r * y1r - x1i * y1i);
            c[2 * (2 * i + j) + 1] = (x0r * y0i + x0i * y0r) + (x1r * y1i + x1i * y1r);
        }
}

#ifdef SL_HAVE_AVX2
#include <immintrin.h>
/* N = 2 with AVX2/FMA: a row of op_b(B) is one register (and i times it);
 * row i of C = sum_k op_a(A)_ik row_k, the entries of A broadcast. */
SL_AVX2 static void mm2_avx2(int ha, int hb, const double *a, const double *b, double *c, int64_t ns)
{
    const __m256d cj = _mm256_set_pd(-1, 1, -1, 1), ng = _mm256_set_pd(1, -1, 1, -1);
    for (int64_t s = 0; s < ns; ++s, a += 8, b += 8, c += 8) {
        __m256d r0 = _mm256_loadu_pd(b), r1 = _mm256_loadu_pd(b + 4);
        if (hb) {
            __m256d c0 = _mm256_permute2f128_pd(r0, r1, 0x20), c1 = _mm256_permute2f128_pd(r0, r1, 0x31);
            r0 = _mm256_mul_pd(c0, cj);
            r1 = _mm256_mul_pd(c1, cj);
        }
        __m256d i0 = _mm256_mul_pd(_mm256_permute_pd(r0, 0x5), ng), i1 = _mm256_mul_pd(_mm256_permute_pd(r1, 0x5), ng);
        double e[8];
        if (!ha)
            for (int k = 0; k < 8; ++k) e[k] = a[k];
        else {   /* (A^H)_ik = conj(A_ki) */
            e[0] = a[0]; e[1] = -a[1]; e[2] = a[4]; e[3] = -a[5];
            e[4] = a[2]; e[5] = -a[3]; e[6] = a[6]; e[7] = -a[7];
        }
        for (int i = 0; i < 2; ++i) {
            const double *x = e + 4 * i;
            __m256d row = _mm256_mul_pd(_mm256_set1_pd(x[0]), r0);
            row = _mm256_fmadd_pd(_mm256_set1_pd(x[1]), i0, row);
            row = _mm256_fmadd_pd(_mm256_set1_pd(x[2]), r1, row);
            row = _mm256_fmadd_pd(_mm256_set1_pd(x[3]), i1, row);
            _mm256_storeu_pd(c + 4 * i, row);
        }
    }
}
#endif

#define MM2_LOOP(HA, HB)                                                                   \
    for (int64_t s = 0; s < ns; ++s) mm2_site(HA, HB, a + 8 * s, b + 8 * s, c + 8 * s)

void sl__lat_mm_sites(int n, int64_t ns, int ha, int hb, const double *a, const double *b, double *c)
{
    int64_t n2 = (int64_t)n * n;
    if (n == 2) {
#ifdef SL_HAVE_AVX2
        if (sl__cpu_avx2()) { mm2_avx2(ha, hb, a, b, c, ns); return; }
#endif
        if (!ha && !hb) MM2_LOOP(0, 0);
        else if (!ha && hb) MM2_LOOP(0, 1);
        else if (ha && !hb) MM2_LOOP(1, 0);
        else MM2_LOOP(1, 1);
        return;
    }
    for (int64_t s = 0; s < ns; ++s) mm_site(n, ha, hb, a + 2 * n2 * s, b + 2 * n2 * s, c + 2 * n2 * s);
}

void sl__lat_trace_sites(int n, int64_t C, int64_t S, const double *w, double *f)
{
    int64_t n2 = (int64_t)n * n, C2 = 2 * C;
    for (int64_t c = 0; c < C; ++c)
        for (int64_t s = 0; s < S; ++s) {
            const double *m = w + 2 * n2 * (c * S + s);
            double re = 0, im = 0;
            for (int i = 0; i < n; ++i) { re += m[2 * (i * n + i)]; im += m[2 * (i * n + i) + 1]; }
            f[s * C2 + c] = re;
            f[s * C2 + C + c] = im;
        }
}

void sl__lat_trace_sites_adj(int n, int64_t C, int64_t S, const double *gf, double *w)
{
    int64_t n2 = (int64_t)n * n, C2 = 2 * C;
    memset(w, 0, sizeof(double) * (size_t)(2 * n2 * C * S));
    for (int64_t c = 0; c < C; ++c)
        for (int64_t s = 0; s < S; ++s) {
            double *m = w + 2 * n2 * (c * S + s), re = gf[s * C2 + c], im = gf[s * C2 + C + c];
            for (int i = 0; i < n; ++i) { m[2 * (i * n + i)] = re; m[2 * (i * n + i) + 1] = im; }
        }
}
