/* Per-site products of N x N complex matrix stacks (see ops_lattice.h):
 *   C(x) = op_a(A(x)) op_b(B(x)),  op = N or H (adjoint),
 * A, B, C of one shape (.., N, N).  The generic matmul calls a small GEMM per
 * site (with a generic conjugating loop for H operands); here the whole stack
 * is one loop with unrolled 2x2 / 3x3 products.  The L-CNN's plaquettes and
 * line products (inputs of every GCMConv, recomputed at every training step)
 * are such products.  The vjp is the same op:
 *   gA = G op_b(B)^H (op_a = N) or op_b(B) G^H (op_a = H),
 *   gB = op_a(A)^H G (op_b = N) or G^H op_a(A) (op_b = H). */
#include "ops_lattice.h"

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

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#include <immintrin.h>
#define SL_MM_AVX2 1
/* N = 2 with AVX2/FMA: a row of op_b(B) is one register (and i times it);
 * row i of C = sum_k op_a(A)_ik row_k, the entries of A broadcast. */
__attribute__((target("avx2,fma"))) static void mm2_avx2(int ha, int hb, const double *a, const double *b, double *c,
                                                         int64_t ns)
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
static int mm_have_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

#define MM2_LOOP(HA, HB)                                                                   \
    for (int64_t s = 0; s < ns; ++s) mm2_site(HA, HB, a + 8 * s, b + 8 * s, c + 8 * s)

static void mm_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int ha = (int)nd->ia[0], hb = (int)nd->ia[1];
    int n = (int)nd->shape[nd->rank - 1];
    int64_t n2 = (int64_t)n * n, ns = nd->numel / n2;
    const double *a = in[0], *b = in[1];
    double *c = out;
    if (n == 2) {
#ifdef SL_MM_AVX2
        if (mm_have_avx2()) { mm2_avx2(ha, hb, a, b, c, ns); return; }
#endif
        if (!ha && !hb) MM2_LOOP(0, 0);
        else if (!ha && hb) MM2_LOOP(0, 1);
        else if (ha && !hb) MM2_LOOP(1, 0);
        else MM2_LOOP(1, 1);
        return;
    }
    for (int64_t s = 0; s < ns; ++s) mm_site(n, ha, hb, a + 2 * n2 * s, b + 2 * n2 * s, c + 2 * n2 * s);
}

static void mm_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *A = nd->in[0], *B = nd->in[1];
    int ha = (int)nd->ia[0], hb = (int)nd->ia[1];
    const char *who = "sl_lat_mm vjp";
    if (need[0]) gin[0] = !ha ? sl__lat_mm(g, who, gy, 0, B, !hb) : sl__lat_mm(g, who, B, hb, gy, 1);
    if (need[1]) gin[1] = !hb ? sl__lat_mm(g, who, A, !ha, gy, 0) : sl__lat_mm(g, who, gy, 1, A, ha);
}

static const sl_opdef op_mm = {"lat_mm", mm_eval, mm_vjp, NULL, 0};

sl_node *sl__lat_mm(sl_graph *g, const char *who, sl_node *a, int ha, sl_node *b, int hb)
{
    sl_node *ins[2] = {a, b};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    char b1[96], b2[96];
    if (a->dtype != SL_C128 || b->dtype != SL_C128)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: operands %s, %s (must be c128)", who, sl__dtype_name(a->dtype),
                         sl__dtype_name(b->dtype));
    if (a->rank < 2 || a->shape[a->rank - 1] != a->shape[a->rank - 2] || a->rank != b->rank ||
        memcmp(a->shape, b->shape, sizeof(int64_t) * (size_t)a->rank))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: operands %s and %s (must be one shape (.., N, N))", who,
                         sl__shape_str(a, b1, sizeof b1), sl__shape_str(b, b2, sizeof b2));
    sl_node *n = sl__node_new(g, &op_mm, SL_C128, a->rank, a->shape, 2, ins);
    if (!n) return NULL;
    n->ia[0] = ha != 0;
    n->ia[1] = hb != 0;
    return n;
}

/* ---- trace features ------------------------------------------------------------------ */
/* trf: W (C, B, L.., N, N) c128 -> f (B, L.., 2C) f64, f[.., c] = Re tr W_c,
 * f[.., C + c] = Im tr W_c (the trace layer's real / imag / concat / permute in
 * one pass).  Its adjoint trf_t puts g[.., c] + i g[.., C + c] on the diagonals
 * of (C, B, L.., N, N) (complex gradients are d/dRe + i d/dIm); each is the
 * other's vjp. */
static void trf_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *W = nd->in[0];
    int n = (int)W->shape[W->rank - 1];
    int64_t C = W->shape[0], n2 = (int64_t)n * n, S = W->numel / (C * n2), C2 = 2 * C;
    const double *w = in[0];
    double *f = out;
    for (int64_t c = 0; c < C; ++c)
        for (int64_t s = 0; s < S; ++s) {
            const double *m = w + 2 * n2 * (c * S + s);
            double re = 0, im = 0;
            for (int i = 0; i < n; ++i) { re += m[2 * (i * n + i)]; im += m[2 * (i * n + i) + 1]; }
            f[s * C2 + c] = re;
            f[s * C2 + C + c] = im;
        }
}

static void trf_t_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int n = (int)nd->shape[nd->rank - 1];
    int64_t C = nd->shape[0], n2 = (int64_t)n * n, S = nd->numel / (C * n2), C2 = 2 * C;
    const double *gf = in[0];
    double *w = out;
    memset(w, 0, sizeof(double) * (size_t)(2 * nd->numel));
    for (int64_t c = 0; c < C; ++c)
        for (int64_t s = 0; s < S; ++s) {
            double *m = w + 2 * n2 * (c * S + s), re = gf[s * C2 + c], im = gf[s * C2 + C + c];
            for (int i = 0; i < n; ++i) { m[2 * (i * n + i)] = re; m[2 * (i * n + i) + 1] = im; }
        }
}

static sl_node *trf_t(sl_graph *g, const char *who, sl_node *gf, int n);

static void trf_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = trf_t(g, "sl_lat_trf vjp", gy, (int)nd->in[0]->shape[nd->in[0]->rank - 1]);
}

static void trf_t_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    (void)nd;
    if (need[0]) gin[0] = sl__lat_trf(g, "sl_lat_trf_t vjp", gy);
}

static const sl_opdef op_trf = {"lat_trf", trf_eval, trf_vjp, NULL, 0};
static const sl_opdef op_trf_t = {"lat_trf_t", trf_t_eval, trf_t_vjp, NULL, 0};

sl_node *sl__lat_trf(sl_graph *g, const char *who, sl_node *w)
{
    if (!sl__gcheck(g, who, 1, &w)) return NULL;
    char b1[96];
    if (w->dtype != SL_C128) return sl__gfail(g, SL_ERR_DTYPE, "%s: W is %s (must be c128)", who, sl__dtype_name(w->dtype));
    if (w->rank < 4 || w->shape[w->rank - 1] != w->shape[w->rank - 2])
        return sl__gfail(g, SL_ERR_SHAPE, "%s: W has shape %s (must be (C, B, .., N, N))", who,
                         sl__shape_str(w, b1, sizeof b1));
    int64_t shape[SL_MAX_RANK];
    int r = w->rank - 2;
    for (int i = 0; i < r - 1; ++i) shape[i] = w->shape[i + 1];
    shape[r - 1] = 2 * w->shape[0];
    return sl__node_new(g, &op_trf, SL_F64, r, shape, 1, &w);
}

static sl_node *trf_t(sl_graph *g, const char *who, sl_node *gf, int n)
{
    if (!sl__gcheck(g, who, 1, &gf)) return NULL;
    if (gf->dtype != SL_F64 || gf->rank + 2 > SL_MAX_RANK || gf->shape[gf->rank - 1] % 2)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: bad feature gradient", who);
    int64_t shape[SL_MAX_RANK];
    int r = gf->rank + 2;
    shape[0] = gf->shape[gf->rank - 1] / 2;
    for (int i = 0; i < gf->rank - 1; ++i) shape[i + 1] = gf->shape[i];
    shape[r - 2] = shape[r - 1] = n;
    return sl__node_new(g, &op_trf_t, SL_C128, r, shape, 1, &gf);
}
