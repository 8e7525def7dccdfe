/* Fused lattice contractions (see ops_lattice.h): the GCMConv / L-Bilin
 * kernel out_u = sum_{v,w} c_uvw op(X'_v) op(Y'_w) over stacks of N x N
 * complex matrices, and its trace reduction.  Sites are processed in blocks
 * that stay in cache: per block, the extended operands are laid out once
 * ("panels", daggers and the unit matrix included), the coefficient
 * contraction tmp_uv = sum_w c_uvw op(Y'_w) is one small real GEMM (sites and
 * matrix entries are the columns), then out_u += op(X'_v) tmp_uv with
 * unrolled 2x2 / 3x3 complex products.  When Y carries its daggers the GEMM
 * runs on the Hermitian / anti-Hermitian halves (build_panel_fold: half the
 * flops); when Y has fewer slots than there are outputs (the B gradient) the
 * per-block pair products op(X'_v) op(Y'_w) are contracted instead.  No
 * extended stack and no full-size intermediate is ever stored. */
#include "ops_lattice.h"

/* The per-site loops are written to vectorise over the sites of a block; ask
 * GCC for it (plain -O2 only vectorises trivially cheap loops) and, on x86-64
 * Linux, for an AVX2/FMA clone picked at load time. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
#define SL_LAT_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define SL_LAT_CLONES
#endif

typedef int blas_int;
extern void dgemm_(const char *ta, const char *tb, const blas_int *m, const blas_int *n, const blas_int *k,
                   const double *alpha, const double *a, const blas_int *lda, const double *b,
                   const blas_int *ldb, const double *beta, double *c, const blas_int *ldc, size_t la, size_t lb);

#ifndef LAT_SMALL_ROWS
#define LAT_SMALL_ROWS 256    /* gemm_rows shapes sent to sl__small_gemm rather than dgemm */
#endif
#ifndef LAT_SMALL_K
#define LAT_SMALL_K 64
#endif
#define LAT_PANEL_REALS 512   /* reals per slot and block: a block of sites is ~4 KiB per slot */

int64_t sl__lat_slots(int64_t v, int mode) { return mode == 0 ? v : mode == 1 ? 2 * v + 1 : 2 * v; }

static int64_t block_sites(int64_t n2)
{
    int64_t nb = LAT_PANEL_REALS / (2 * n2);
    return nb < 1 ? 1 : nb;
}

typedef sl_lat_geom geom;

geom sl__lat_geom(const sl_node *x)
{
    geom q;
    q.n = (int)x->shape[x->rank - 1];
    q.n2 = (int64_t)q.n * q.n;
    q.S = x->numel / (x->shape[0] * q.n2);
    q.nb = block_sites(q.n2);
    /* Slots 4 KiB apart (N = 1, 2) map a GEMM's panel rows to one L1 set and
     * thrash it; a stride off the multiples of 2 KiB (kept a multiple of 64
     * bytes) does not. */
    q.ps = (2 * q.n2 * q.nb + 7) / 8 * 8;
    if (q.ps % 256 == 0) q.ps += 8;
    return q;
}

/* Panels are structure-of-arrays over the sites of a block, so that the
 * per-site products vectorise: slot p, entry (i, j), real/imag part r, site s
 * is at d[p * 2 n2 nb + col(n, i, j, r) nb + s].  Within a slot the first n2
 * column blocks hold the real diagonal and, per pair i < j (row by row), the
 * entry (i, j) (re, im); the last n2 the imaginary diagonal and the entries
 * (j, i).  The GEMM does not care about the order of its columns; this one
 * lets the dagger fold (gemm_fold) run on two contiguous halves.  Sites
 * ns .. nb-1 of a short block are 0. */
static inline int64_t pair_index(int n, int i, int j)   /* i < j */
{
    return (int64_t)i * n - (int64_t)i * (i + 1) / 2 + (j - i - 1);
}

static inline int64_t col(int n, int i, int j, int r)
{
    int64_t n2 = (int64_t)n * n;
    if (i == j) return r * n2 + i;
    if (i < j) return n + 2 * pair_index(n, i, j) + r;
    return n2 + n + 2 * pair_index(n, j, i) + r;
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#include "avx2_sites.h"
#define SL_LAT_AVX2 1
/* fold2 with AVX2: four sites transposed into the eight columns; the same
 * arithmetic as fold2, so the same results. */
__attribute__((target("avx2,fma"))) static void fold2_avx2(double *d, const double *y, int64_t nb, int64_t ns,
                                                           double sg)
{
    __m256d h = _mm256_set1_pd(0.5), vs = _mm256_set1_pd(sg), hs = _mm256_set1_pd(0.5 * sg);
    int64_t s = 0;
    for (; s + 4 <= ns; s += 4) {
        __m256d e[8];   /* element k of four sites */
        sl_avx2_load_sites4(y + 8 * s, e);
        _mm256_storeu_pd(d + s, e[0]);
        _mm256_storeu_pd(d + nb + s, e[6]);
        _mm256_storeu_pd(d + 2 * nb + s, _mm256_mul_pd(h, _mm256_add_pd(e[2], e[4])));
        _mm256_storeu_pd(d + 3 * nb + s, _mm256_mul_pd(h, _mm256_sub_pd(e[3], e[5])));
        _mm256_storeu_pd(d + 4 * nb + s, _mm256_mul_pd(vs, e[1]));
        _mm256_storeu_pd(d + 5 * nb + s, _mm256_mul_pd(vs, e[7]));
        _mm256_storeu_pd(d + 6 * nb + s, _mm256_mul_pd(hs, _mm256_sub_pd(e[2], e[4])));
        _mm256_storeu_pd(d + 7 * nb + s, _mm256_mul_pd(hs, _mm256_add_pd(e[3], e[5])));
    }
    if (s < ns) {
        double *d2 = d + s;
        const double *y2 = y + 8 * s;
        int64_t r = ns - s;
        for (int64_t t = 0; t < r; ++t) {
            const double *e = y2 + 8 * t;
            d2[t] = e[0];
            d2[nb + t] = e[6];
            d2[2 * nb + t] = 0.5 * (e[2] + e[4]);
            d2[3 * nb + t] = 0.5 * (e[3] - e[5]);
            d2[4 * nb + t] = sg * e[1];
            d2[5 * nb + t] = sg * e[7];
            d2[6 * nb + t] = 0.5 * sg * (e[2] - e[4]);
            d2[7 * nb + t] = 0.5 * sg * (e[3] + e[5]);
        }
    }
}

/* build_panel's slot for N = 2 (op = adjoint when adj): same values as the
 * scalar loop (sign flips are exact). */
__attribute__((target("avx2,fma"))) static void panel2_avx2(double *d, const double *y, int64_t nb, int64_t ns,
                                                            int adj)
{
    __m256d sg = _mm256_set1_pd(adj ? -1.0 : 1.0);
    int64_t s = 0;
    for (; s + 4 <= ns; s += 4) {
        __m256d e[8];   /* element k of four sites */
        sl_avx2_load_sites4(y + 8 * s, e);
        _mm256_storeu_pd(d + s, e[0]);
        _mm256_storeu_pd(d + nb + s, e[6]);
        _mm256_storeu_pd(d + 2 * nb + s, adj ? e[4] : e[2]);
        _mm256_storeu_pd(d + 3 * nb + s, _mm256_mul_pd(sg, adj ? e[5] : e[3]));
        _mm256_storeu_pd(d + 4 * nb + s, _mm256_mul_pd(sg, e[1]));
        _mm256_storeu_pd(d + 5 * nb + s, _mm256_mul_pd(sg, e[7]));
        _mm256_storeu_pd(d + 6 * nb + s, adj ? e[2] : e[4]);
        _mm256_storeu_pd(d + 7 * nb + s, _mm256_mul_pd(sg, adj ? e[3] : e[5]));
    }
    double g = adj ? -1.0 : 1.0;
    for (; s < ns; ++s) {
        const double *e = y + 8 * s;
        d[s] = e[0];
        d[nb + s] = e[6];
        d[2 * nb + s] = adj ? e[4] : e[2];
        d[3 * nb + s] = g * (adj ? e[5] : e[3]);
        d[4 * nb + s] = g * e[1];
        d[5 * nb + s] = g * e[7];
        d[6 * nb + s] = adj ? e[2] : e[4];
        d[7 * nb + s] = g * (adj ? e[3] : e[5]);
    }
}

/* bil_eval's output for N = 2: z1 (and the folded z2, entries (j, i)) in the
 * col() layout -> AoS sites; same arithmetic as the scalar loop. */
__attribute__((target("avx2,fma"))) static void out2_avx2(double *dd, const double *z1, const double *z2, int64_t nb,
                                                          int64_t ns)
{
    int64_t s = 0;
    for (; s + 4 <= ns; s += 4) {
        __m256d c[8];
        for (int k = 0; k < 8; ++k) c[k] = _mm256_loadu_pd(z1 + k * nb + s);
        /* element e of the site row from columns: e0 c0, e1 c4, e2 c2, e3 c3, e4 c6, e5 c7, e6 c1, e7 c5 */
        __m256d E0 = c[0], E1 = c[4], E2 = c[2], E3 = c[3], E4 = c[6], E5 = c[7], E6 = c[1], E7 = c[5];
        if (z2) {
            __m256d f[8];
            for (int k = 0; k < 8; ++k) f[k] = _mm256_loadu_pd(z2 + k * nb + s);
            E0 = _mm256_add_pd(E0, f[0]);
            E1 = _mm256_sub_pd(E1, f[4]);
            E2 = _mm256_add_pd(E2, f[6]);
            E3 = _mm256_sub_pd(E3, f[7]);
            E4 = _mm256_add_pd(E4, f[2]);
            E5 = _mm256_sub_pd(E5, f[3]);
            E6 = _mm256_add_pd(E6, f[1]);
            E7 = _mm256_sub_pd(E7, f[5]);
        }
        sl_avx2_store_sites4(dd + 8 * s, (const __m256d[8]){E0, E1, E2, E3, E4, E5, E6, E7});
    }
    static const int src[8] = {0, 4, 2, 3, 6, 7, 1, 5}, alt[8] = {0, 4, 6, 7, 2, 3, 1, 5};
    for (; s < ns; ++s)
        for (int k = 0; k < 8; ++k) {
            double v = z1[src[k] * nb + s];
            if (z2) v = k % 2 ? v - z2[alt[k] * nb + s] : v + z2[alt[k] * nb + s];
            dd[8 * s + k] = v;
        }
}

/* t[r ldt + w] += sum_k h[r ldh + k] q[w ldq + k] (the trc reduction; short
 * and wide: few outputs, long dot products): 3 rows x 4 columns of
 * accumulators over k, four k per step. */
__attribute__((target("avx2,fma"))) static void dot_tn_avx2(int64_t M, int64_t N, int64_t K, const double *q,
                                                            int64_t ldq, const double *h, int64_t ldh, double *t,
                                                            int64_t ldt)
{
    int64_t K4 = K / 4 * 4;
    int64_t r = 0;
    for (; r < N; r += 3) {
        int nr = N - r < 3 ? (int)(N - r) : 3;
        const double *h0 = h + r * ldh, *h1 = nr > 1 ? h0 + ldh : h0, *h2 = nr > 2 ? h0 + 2 * ldh : h0;
        for (int64_t w = 0; w < M; w += 4) {
            int nw = M - w < 4 ? (int)(M - w) : 4;
            const double *q0 = q + w * ldq, *q1 = nw > 1 ? q0 + ldq : q0, *q2 = nw > 2 ? q0 + 2 * ldq : q0,
                         *q3 = nw > 3 ? q0 + 3 * ldq : q0;
            __m256d a00 = _mm256_setzero_pd(), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00,
                    a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00;
            for (int64_t k = 0; k < K4; k += 4) {
                __m256d x0 = _mm256_loadu_pd(h0 + k), x1 = _mm256_loadu_pd(h1 + k), x2 = _mm256_loadu_pd(h2 + k);
                __m256d y = _mm256_loadu_pd(q0 + k);
                a00 = _mm256_fmadd_pd(x0, y, a00); a10 = _mm256_fmadd_pd(x1, y, a10); a20 = _mm256_fmadd_pd(x2, y, a20);
                y = _mm256_loadu_pd(q1 + k);
                a01 = _mm256_fmadd_pd(x0, y, a01); a11 = _mm256_fmadd_pd(x1, y, a11); a21 = _mm256_fmadd_pd(x2, y, a21);
                y = _mm256_loadu_pd(q2 + k);
                a02 = _mm256_fmadd_pd(x0, y, a02); a12 = _mm256_fmadd_pd(x1, y, a12); a22 = _mm256_fmadd_pd(x2, y, a22);
                y = _mm256_loadu_pd(q3 + k);
                a03 = _mm256_fmadd_pd(x0, y, a03); a13 = _mm256_fmadd_pd(x1, y, a13); a23 = _mm256_fmadd_pd(x2, y, a23);
            }
            __m256d acc[3][4] = {{a00, a01, a02, a03}, {a10, a11, a12, a13}, {a20, a21, a22, a23}};
            const double *hr[3] = {h0, h1, h2}, *qw[4] = {q0, q1, q2, q3};
            for (int i = 0; i < nr; ++i)
                for (int j = 0; j < nw; ++j) {
                    double v[4];
                    _mm256_storeu_pd(v, acc[i][j]);
                    double sum = (v[0] + v[1]) + (v[2] + v[3]);
                    for (int64_t k = K4; k < K; ++k) sum += hr[i][k] * qw[j][k];
                    t[(r + i) * ldt + w + j] += sum;
                }
        }
    }
}

static int lat_have_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

void sl__lat_dot_tn(int64_t M, int64_t N, int64_t K, const double *q, int64_t ldq, const double *h, int64_t ldh,
                    double *t, int64_t ldt)
{
#ifdef SL_LAT_AVX2
    if (lat_have_avx2()) { dot_tn_avx2(M, N, K, q, ldq, h, ldh, t, ldt); return; }
#endif
    /* column-major T^T (M x N, ld ldt) += Q^T H^T */
    blas_int m = (blas_int)M, n = (blas_int)N, k = (blas_int)K, lq = (blas_int)ldq, lh = (blas_int)ldh,
             lt = (blas_int)ldt;
    double one = 1;
    dgemm_("T", "N", &m, &n, &k, &one, q, &lq, h, &lh, &one, t, &lt, 1, 1);
}

static void build_panel(double *dst, const cplx *x, int64_t v, int mode, int h, const geom *q, int64_t s0, int64_t ns)
{
    int n = q->n;
    int64_t n2 = q->n2, nb = q->nb, np = sl__lat_slots(v, mode);
    for (int64_t p = 0; p < np; ++p) {
        double *d = dst + p * q->ps;
        if (ns < nb || p >= 2 * v) memset(d, 0, sizeof(double) * (size_t)(2 * n2 * nb));
        if (p >= 2 * v) {   /* the unit matrix */
            for (int i = 0; i < n; ++i)
                for (int64_t s = 0; s < ns; ++s) d[col(n, i, i, 0) * nb + s] = 1;
            continue;
        }
        int adj = h;
        const double *src;
        if (p < v) src = (const double *)(x + (p * q->S + s0) * n2);
        else { src = (const double *)(x + ((p - v) * q->S + s0) * n2); adj = !h; }
#ifdef SL_LAT_AVX2
        if (n == 2 && lat_have_avx2()) { panel2_avx2(d, src, nb, ns, adj); continue; }
#endif
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                int64_t e = adj ? j * n + i : i * n + j;
                double *dr = d + col(n, i, j, 0) * nb, *di = d + col(n, i, j, 1) * nb;
                const double *sr = src + 2 * e;
                double sg = adj ? -1 : 1;
                for (int64_t s = 0; s < ns; ++s) { dr[s] = sr[2 * n2 * s]; di[s] = sg * sr[2 * n2 * s + 1]; }
            }
    }
}

/* The dagger fold (Y of mode 1 or 2): slot M + w of the extended operand is
 * Z_w^+ with Z_w = op(Y_w), so, with c and c' the coefficients of slots w and
 * M + w,
 *   tmp = sum_w c Z_w + c' Z_w^+ = sum_w (c + c') H_w + (c - c') K_w,
 * H_w = (Z_w + Z_w^+)/2 and K_w = (Z_w - Z_w^+)/2 the Hermitian and
 * anti-Hermitian parts: two GEMMs over the M slots with n2 real columns each
 * (half the flops of one over the 2M slots with 2 n2).  The folded panel holds,
 * per slot, in the first half: Re Z_ii and per pair i < j
 * ((Re Z_ij + Re Z_ji)/2, (Im Z_ij - Im Z_ji)/2) (the real coordinates of H);
 * in the second half: Im Z_ii and ((Re Z_ij - Re Z_ji)/2, (Im Z_ij + Im Z_ji)/2)
 * (those of K).  unmix_fold turns the GEMM results back into the entries of
 * tmp in the col() layout: the pair sums and differences. */
/* N = 2: the H half does not depend on h, the K half changes sign (op(Y) = Y^+). */
SL_LAT_CLONES static void fold2(double *restrict d, const double *restrict y, int64_t nb, int64_t ns, double sg)
{
    double *c0 = d, *c1 = d + nb, *c2 = d + 2 * nb, *c3 = d + 3 * nb, *c4 = d + 4 * nb, *c5 = d + 5 * nb,
           *c6 = d + 6 * nb, *c7 = d + 7 * nb;
    double hs = 0.5 * sg;
    for (int64_t s = 0; s < ns; ++s) {
        const double *e = y + 8 * s;
        c0[s] = e[0];
        c1[s] = e[6];
        c2[s] = 0.5 * (e[2] + e[4]);
        c3[s] = 0.5 * (e[3] - e[5]);
        c4[s] = sg * e[1];
        c5[s] = sg * e[7];
        c6[s] = hs * (e[2] - e[4]);
        c7[s] = hs * (e[3] + e[5]);
    }
}

static void build_panel_fold(double *dst, const cplx *y, int64_t v, int h, const geom *q, int64_t s0, int64_t ns)
{
    int n = q->n;
    int64_t n2 = q->n2, nb = q->nb;
    for (int64_t p = 0; p < v; ++p) {
        double *d = dst + p * q->ps;
        if (ns < nb) memset(d, 0, sizeof(double) * (size_t)(2 * n2 * nb));
        const double *src = (const double *)(y + (p * q->S + s0) * n2);
        double sg = h ? -1 : 1;
        if (n == 2) {
#ifdef SL_LAT_AVX2
            if (lat_have_avx2()) { fold2_avx2(d, src, nb, ns, sg); continue; }
#endif
            fold2(d, src, nb, ns, sg);
            continue;
        }
        for (int i = 0; i < n; ++i) {
            const double *sr = src + 2 * (i * n + i);
            double *dr = d + i * nb, *di = d + (n2 + i) * nb;
            for (int64_t s = 0; s < ns; ++s) { dr[s] = sr[2 * n2 * s]; di[s] = sg * sr[2 * n2 * s + 1]; }
            for (int j = i + 1; j < n; ++j) {
                /* z_ij = op(Y)_ij: Y_ij, or conj(Y_ji) when h */
                const double *a = src + 2 * (h ? j * n + i : i * n + j), *b = src + 2 * (h ? i * n + j : j * n + i);
                int64_t c0 = n + 2 * pair_index(n, i, j);
                double *hr = d + c0 * nb, *hi = hr + nb, *kr = d + (n2 + c0) * nb, *ki = kr + nb;
                for (int64_t s = 0; s < ns; ++s) {
                    double ar = a[2 * n2 * s], ai = sg * a[2 * n2 * s + 1], br = b[2 * n2 * s], bi = sg * b[2 * n2 * s + 1];
                    hr[s] = 0.5 * (ar + br);
                    hi[s] = 0.5 * (ai - bi);
                    kr[s] = 0.5 * (ar - br);
                    ki[s] = 0.5 * (ai + bi);
                }
            }
        }
    }
}

SL_LAT_CLONES static void unmix_fold(int64_t rows, const geom *q, double *tmp)
{
    int64_t n2 = q->n2, nb = q->nb, np = (n2 - q->n) / 2, P = q->ps;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t p = 0; p < np; ++p) {
            double *x1 = tmp + r * P + (q->n + 2 * p) * nb, *x3 = x1 + nb, *x2 = x1 + n2 * nb, *x4 = x2 + nb;
            for (int64_t s = 0; s < nb; ++s) {
                double a = x1[s], b = x2[s], c = x3[s], d = x4[s];
                x1[s] = a + b;   /* Re tmp_ij */
                x2[s] = a - b;   /* Re tmp_ji */
                x3[s] = d + c;   /* Im tmp_ij */
                x4[s] = d - c;   /* Im tmp_ji */
            }
        }
}

/* The adjoint of unmix_fold for trc: H in the col() layout -> H~ with
 * <H, Z> = <H~, Z in the folded layout>: per pair, (x1, x2, x3, x4) =
 * (Re H_ij, Re H_ji, Im H_ij, Im H_ji) -> f (x1 + x2, x1 - x2, x3 - x4, x3 + x4).
 * With f = 1/2 it turns a slot in the col() layout into the folded layout of
 * build_panel_fold (bil_eval, the pair order with a folded output). */
SL_LAT_CLONES static void mix_trc(int64_t rows, const geom *q, double *h, double f)
{
    int64_t n2 = q->n2, nb = q->nb, np = (n2 - q->n) / 2, P = q->ps;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t p = 0; p < np; ++p) {
            double *x1 = h + r * P + (q->n + 2 * p) * nb, *x3 = x1 + nb, *x2 = x1 + n2 * nb, *x4 = x2 + nb;
            for (int64_t s = 0; s < nb; ++s) {
                double a = x1[s], b = x2[s], c = x3[s], d = x4[s];
                x1[s] = f * (a + b);
                x2[s] = f * (a - b);
                x3[s] = f * (c - d);
                x4[s] = f * (c + d);
            }
        }
}

/* c (+)= a b per site for one slot of SoA panels (nb sites each). */
SL_LAT_CLONES static void mul_block(int n, int64_t nb, const double *restrict a, const double *restrict b, double *restrict c,
                      int acc)
{
    if (n == 2 && nb == LAT_PANEL_REALS / 8) {   /* real arithmetic, vectorised over sites */
        enum { NB = LAT_PANEL_REALS / 8 };
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
                const double *a0r = a + col(2, i, 0, 0) * NB, *a0i = a + col(2, i, 0, 1) * NB;
                const double *a1r = a + col(2, i, 1, 0) * NB, *a1i = a + col(2, i, 1, 1) * NB;
                const double *b0r = b + col(2, 0, j, 0) * NB, *b0i = b + col(2, 0, j, 1) * NB;
                const double *b1r = b + col(2, 1, j, 0) * NB, *b1i = b + col(2, 1, j, 1) * NB;
                double *cr = c + col(2, i, j, 0) * NB, *ci = c + col(2, i, j, 1) * NB;
                if (acc)
                    for (int64_t s = 0; s < NB; ++s) {
                        cr[s] += a0r[s] * b0r[s] - a0i[s] * b0i[s] + (a1r[s] * b1r[s] - a1i[s] * b1i[s]);
                        ci[s] += a0r[s] * b0i[s] + a0i[s] * b0r[s] + (a1r[s] * b1i[s] + a1i[s] * b1r[s]);
                    }
                else
                    for (int64_t s = 0; s < NB; ++s) {
                        cr[s] = a0r[s] * b0r[s] - a0i[s] * b0i[s] + (a1r[s] * b1r[s] - a1i[s] * b1i[s]);
                        ci[s] = a0r[s] * b0i[s] + a0i[s] * b0r[s] + (a1r[s] * b1i[s] + a1i[s] * b1r[s]);
                    }
            }
        return;
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double *cr = c + col(n, i, j, 0) * nb, *ci = c + col(n, i, j, 1) * nb;
            if (!acc) { memset(cr, 0, sizeof(double) * (size_t)nb); memset(ci, 0, sizeof(double) * (size_t)nb); }
            for (int k = 0; k < n; ++k) {
                const double *ar = a + col(n, i, k, 0) * nb, *ai = a + col(n, i, k, 1) * nb;
                const double *br = b + col(n, k, j, 0) * nb, *bi = b + col(n, k, j, 1) * nb;
                for (int64_t s = 0; s < nb; ++s) {
                    cr[s] += ar[s] * br[s] - ai[s] * bi[s];
                    ci[s] += ar[s] * bi[s] + ai[s] * br[s];
                }
            }
        }
}

double *sl__lat_align64(void *p)
{
    return (double *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

/* ---- bil -------------------------------------------------------------------------- */
/* in = {X, Y, c}; ia = {mx, hx, my, hy, fold} */
static size_t bil_scratch(const sl_node *nd)
{
    geom q = sl__lat_geom(nd->in[0]);
    const sl_node *c = nd->in[2];
    int64_t u = c->shape[0], px = c->shape[1], py = c->shape[2];
    int64_t fc = 2 * u * px * nd->in[1]->shape[0] + u * px * py;   /* folded coefficients (ia may not be set yet) */
    int64_t t = py < u ? px * py : u * px;             /* tmp, or the pair products (bil_eval) */
    return sizeof(double) * (size_t)((px + py + t + u) * q.ps + fc) + 5 * 64;
}

void sl__lat_gemm_rows(int64_t rows, int64_t k, int64_t width, int64_t ld, const double *coef, int64_t ldc,
                      const double *panel, double *tmp, double beta)
{
    /* row-major tmp(rows x width) (+)= coef(rows x k) panel(k x width); short and wide (few rows, short inner
     * dimension, beta = 0): our own kernel reads the panels in place (no packing, no zeroing of tmp) */
    if (beta == 0 && rows <= LAT_SMALL_ROWS && k <= LAT_SMALL_K) {
        sl__small_gemm(rows, k, width, coef, ldc, panel, ld, tmp, ld);
        return;
    }
    /* column-major: tmp^T = panel^T coef^T */
    blas_int M = (blas_int)width, N = (blas_int)rows, K = (blas_int)k, LD = (blas_int)ld, LK = (blas_int)ldc;
    double one = 1;
    dgemm_("N", "N", &M, &N, &K, &one, panel, &LD, coef, &LK, &beta, tmp, &LD, 1, 1);
}

/* cs / cd: c_w + c_{M+w} and c_w - c_{M+w} (rows x M); see build_panel_fold. */
void sl__lat_fold_coefs(int64_t rows, int64_t m, int64_t py, const double *coef, double *cs, double *cd)
{
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t w = 0; w < m; ++w) {
            double a = coef[r * py + w], b = coef[r * py + m + w];
            cs[r * m + w] = a + b;
            cd[r * m + w] = a - b;
        }
}

/* tmp = H-half . cs + K-half . cd (+ c_{2M} on the real diagonal: mode 1). */
static void gemm_fold(int64_t rows, int64_t m, int64_t py, int unit, const geom *q, const double *coef,
                      const double *cs, const double *cd, const double *panel, double *tmp)
{
    int64_t P = q->ps, hw = q->nb * q->n2, dw = q->n * q->nb;
    sl__lat_gemm_rows(rows, m, hw, P, cs, m, panel, tmp, 0);
    sl__lat_gemm_rows(rows, m, hw, P, cd, m, panel + hw, tmp + hw, 0);
    if (unit)
        for (int64_t r = 0; r < rows; ++r) {
            double c = coef[r * py + 2 * m], *t = tmp + r * P;
            for (int64_t s = 0; s < dw; ++s) t[s] += c;
        }
    if (q->n > 1) unmix_fold(rows, q, tmp);
}

static void bil_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    if (nd->ia[5]) { sl__lat_bil_su2(nd, out, in, scratch); return; }
    const sl_node *X = nd->in[0], *Y = nd->in[1], *C = nd->in[2];
    int mx = (int)nd->ia[0], hx = (int)nd->ia[1], my = (int)nd->ia[2], hy = (int)nd->ia[3], fold = (int)nd->ia[4];
    geom q = sl__lat_geom(X);
    int64_t vx = X->shape[0], vy = Y->shape[0], u = C->shape[0], px = C->shape[1], py = C->shape[2];
    int64_t nb = q.nb, n2 = q.n2;
    int64_t P = q.ps, W = 2 * nb * n2;   /* slot stride, reals per slot */
    double *pp = sl__lat_align64(scratch);
    double *qp = sl__lat_align64(pp + px * P);
    int pairs = py < u;   /* fewer pair products than (u, v) products: contract the pairs instead */
    double *tmp = sl__lat_align64(qp + py * P);
    double *z = sl__lat_align64(tmp + (pairs ? px * py : u * px) * P);
    double *cs = my ? sl__lat_align64(z + u * P) : NULL, *cd = my ? cs + u * px * vy : NULL;
    const cplx *x = in[0], *y = in[1];
    const double *coef = in[2];
    double *o = out;
    int64_t uo = fold ? u / 2 : u;
    int n = q.n;
    int fo = my != 0 && !pairs;   /* Y has dagger slots: the fold (build_panel_fold) */
    if (fo) sl__lat_fold_coefs(u * px, vy, py, coef, cs, cd);
    /* pairs with a folded output: out_k = sum_j c_kj H_j + c_{C+k,j} H_j^+ is the
     * same fold over the pair products j = (v, w) (coefficients in cs / cd) */
    int zf = pairs && fold;
    double *ps = zf ? sl__lat_align64(z + u * P) : NULL, *pd = zf ? ps + uo * px * py : NULL;
    if (zf)
        for (int64_t k = 0; k < uo * px * py; ++k) {
            ps[k] = coef[k] + coef[uo * px * py + k];
            pd[k] = coef[k] - coef[uo * px * py + k];
        }
    for (int64_t s0 = 0; s0 < q.S; s0 += nb) {
        int64_t ns = q.S - s0 < nb ? q.S - s0 : nb;
        build_panel(pp, x, vx, mx, hx, &q, s0, ns);
        if (fo) build_panel_fold(qp, y, vy, hy, &q, s0, ns);
        else build_panel(qp, y, vy, my, hy, &q, s0, ns);
        if (pairs) {   /* H_vw = op(X'_v) op(Y'_w), then Z_u = sum_vw c_uvw H_vw (one GEMM) */
            for (int64_t v = 0; v < px; ++v)
                for (int64_t w = 0; w < py; ++w) mul_block(n, nb, pp + v * P, qp + w * P, tmp + (v * py + w) * P, 0);
            if (!zf) sl__lat_gemm_rows(u, px * py, W, P, coef, px * py, tmp, z, 0);
            else {
                if (n > 1) mix_trc(px * py, &q, tmp, 0.5);
                sl__lat_gemm_rows(uo, px * py, W / 2, P, ps, px * py, tmp, z, 0);
                sl__lat_gemm_rows(uo, px * py, W / 2, P, pd, px * py, tmp + W / 2, z + W / 2, 0);
                if (n > 1) unmix_fold(uo, &q, z);
            }
        } else {       /* tmp_uv = sum_w c_uvw op(Y'_w), then Z_u = sum_v op(X'_v) tmp_uv */
            if (fo) gemm_fold(u * px, vy, py, my == 1, &q, coef, cs, cd, qp, tmp);
            else sl__lat_gemm_rows(u * px, py, W, P, coef, py, qp, tmp, 0);
            for (int64_t a = 0; a < u; ++a) {
                double *za = z + a * P;
                for (int64_t v = 0; v < px; ++v) mul_block(n, nb, pp + v * P, tmp + (a * px + v) * P, za, v > 0);
            }
        }
        for (int64_t a = 0; a < uo; ++a) {
            const double *z1 = z + a * P, *z2 = fold && !zf ? z + (uo + a) * P : NULL;
            double *d = o + 2 * (a * q.S + s0) * n2;
#ifdef SL_LAT_AVX2
            if (n == 2 && lat_have_avx2()) { out2_avx2(d, z1, z2, nb, ns); continue; }
#endif
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    const double *r1 = z1 + col(n, i, j, 0) * nb, *i1 = z1 + col(n, i, j, 1) * nb;
                    double *dd = d + 2 * (i * n + j);
                    if (!z2)
                        for (int64_t s = 0; s < ns; ++s) { dd[2 * n2 * s] = r1[s]; dd[2 * n2 * s + 1] = i1[s]; }
                    else {
                        const double *r2 = z2 + col(n, j, i, 0) * nb, *i2 = z2 + col(n, j, i, 1) * nb;
                        for (int64_t s = 0; s < ns; ++s) {
                            dd[2 * n2 * s] = r1[s] + r2[s];
                            dd[2 * n2 * s + 1] = i1[s] - i2[s];
                        }
                    }
                }
        }
    }
}

/* ---- trc -------------------------------------------------------------------------- */
/* in = {X, Y, G}; ia = {mx, hx, my, hy, mg} */
static size_t trc_scratch(const sl_node *nd)
{
    geom q = sl__lat_geom(nd->in[0]);
    int64_t ug = nd->shape[0], px = nd->shape[1], py = nd->shape[2];
    int64_t fc = ug * px * (2 * nd->in[1]->shape[0] + 1);   /* the fold's accumulators */
    return sizeof(double) * (size_t)((px + py + ug + ug * px) * q.ps + fc) + 5 * 64;
}

static void trc_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    if (nd->ia[5]) { sl__lat_trc_su2(nd, out, in, scratch); return; }
    const sl_node *X = nd->in[0], *Y = nd->in[1], *G = nd->in[2];
    int mx = (int)nd->ia[0], hx = (int)nd->ia[1], my = (int)nd->ia[2], hy = (int)nd->ia[3], mg = (int)nd->ia[4];
    geom q = sl__lat_geom(X);
    int64_t vx = X->shape[0], vy = Y->shape[0], vg = G->shape[0];
    int64_t ug = nd->shape[0], px = nd->shape[1], py = nd->shape[2];
    int64_t nb = q.nb, n2 = q.n2;
    int64_t P = q.ps, W = 2 * nb * n2;   /* slot stride, reals per slot */
    double *pa = sl__lat_align64(scratch);
    double *qp = sl__lat_align64(pa + px * P);
    double *rp = sl__lat_align64(qp + py * P);
    double *hm = sl__lat_align64(rp + ug * P);
    double *t = out;
    int64_t rows = ug * px, hw = W / 2, dw = q.n * nb;
    /* The dagger fold (Y of mode 1 or 2, see build_panel_fold): with Z_w^+ the
     * slot M + w, <H, Z_w> = <H~_s, Z_s> + <H~_d, Z_d> and <H, Z_w^+> the
     * difference, H~ the pair sums / differences of H (mix_trc). */
    double *ts = my ? sl__lat_align64(hm + rows * P) : NULL, *td = my ? ts + rows * vy : NULL, *tu = my ? td + rows * vy : NULL;
    if (my) memset(ts, 0, sizeof(double) * (size_t)(rows * (2 * vy + 1)));
    else memset(t, 0, sizeof(double) * (size_t)(ug * px * py));
    for (int64_t s0 = 0; s0 < q.S; s0 += nb) {
        int64_t ns = q.S - s0 < nb ? q.S - s0 : nb;
        build_panel(pa, in[0], vx, mx, !hx, &q, s0, ns);   /* op(X'_v)^+ */
        if (my) build_panel_fold(qp, in[1], vy, hy, &q, s0, ns);
        else build_panel(qp, in[1], vy, my, hy, &q, s0, ns);
        build_panel(rp, in[2], vg, mg, 0, &q, s0, ns);
        for (int64_t a = 0; a < ug; ++a)
            for (int64_t v = 0; v < px; ++v) mul_block(q.n, nb, pa + v * P, rp + a * P, hm + (a * px + v) * P, 0);
        if (!my) {   /* T (rows x py) += H (rows x W) Q (py x W)^T */
            sl__lat_dot_tn(py, rows, W, qp, P, hm, P, t, py);
            continue;
        }
        if (my == 1)   /* the unit slot: <H, 1> = sum of the real diagonal */
            for (int64_t r = 0; r < rows; ++r) {
                double acc = 0;
                for (int64_t s = 0; s < dw; ++s) acc += hm[r * P + s];
                tu[r] += acc;
            }
        if (q.n > 1) mix_trc(rows, &q, hm, 1);
        sl__lat_dot_tn(vy, rows, hw, qp, P, hm, P, ts, vy);
        sl__lat_dot_tn(vy, rows, hw, qp + hw, P, hm + hw, P, td, vy);
    }
    if (my)
        for (int64_t r = 0; r < rows; ++r) {
            for (int64_t w = 0; w < vy; ++w) {
                t[r * py + w] = ts[r * vy + w] + td[r * vy + w];
                t[r * py + vy + w] = ts[r * vy + w] - td[r * vy + w];
            }
            if (my == 1) t[r * py + 2 * vy] = tu[r];
        }
}

/* ---- vjps --------------------------------------------------------------------------- */
static const sl_opdef op_bil, op_trc;

static sl_node *perm3(sl_graph *g, sl_node *c, int a, int b, int d)
{
    return sl_graph_permute(g, c, (int[]){a, b, d});
}

/* The gradient of an operand stack (V channels, mode m) from the gradient of
 * its slots expressed as bil(first, second, coef) with coef's axis 0 = slots:
 * fold the dagger slots back and drop the unit slot. */
static sl_node *fold_grad(sl_graph *g, int64_t v, int m, sl_node *f, int mf, int hf, sl_node *s, int ms, int hs,
                          sl_node *coef, int su2)
{
    if (!coef) return NULL;
    if (m == 1) coef = sl_graph_slice(g, coef, 0, 0, 2 * v, 1);
    return sl__lat_bil(g, "sl_lat_bil vjp", f, mf, hf, s, ms, hs, coef, m != 0, su2);
}

/* Gradients of X (i = 0) and Y (i = 1) for
 *   sum_{u,v,w} coef[u,v,w] Re tr( (op(X'_v) op(Y'_w))^+ R_u ),  R = (G, mg, 0),
 * which is both the bil output pairing and the trc definition. */
static void operand_grads(sl_graph *g, sl_node *X, int mx, int hx, sl_node *Y, int my, int hy, sl_node *G, int mg,
                          sl_node *coef, const int *need, sl_node **gin, int su2)
{
    if (need[0]) {   /* d op(X'_v) = sum coef R_u op(Y'_w)^+ */
        if (!hx) gin[0] = fold_grad(g, X->shape[0], mx, G, mg, 0, Y, my, !hy, perm3(g, coef, 1, 0, 2), su2);
        else gin[0] = fold_grad(g, X->shape[0], mx, Y, my, hy, G, mg, 1, perm3(g, coef, 1, 2, 0), su2);
    }
    if (need[1]) {   /* d op(Y'_w) = sum coef op(X'_v)^+ R_u */
        if (!hy) gin[1] = fold_grad(g, Y->shape[0], my, X, mx, !hx, G, mg, 0, perm3(g, coef, 2, 1, 0), su2);
        else gin[1] = fold_grad(g, Y->shape[0], my, G, mg, 1, X, mx, hx, perm3(g, coef, 2, 0, 1), su2);
    }
}

static void bil_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *X = nd->in[0], *Y = nd->in[1], *C = nd->in[2];
    int mx = (int)nd->ia[0], hx = (int)nd->ia[1], my = (int)nd->ia[2], hy = (int)nd->ia[3];
    int mg = nd->ia[4] ? 2 : 0;
    int su2 = (int)nd->ia[5];
    operand_grads(g, X, mx, hx, Y, my, hy, gy, mg, C, need, gin, su2);
    if (need[2]) gin[2] = sl__lat_trc(g, "sl_lat_bil vjp", X, mx, hx, Y, my, hy, gy, mg, su2);
}

static void trc_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *X = nd->in[0], *Y = nd->in[1], *G = nd->in[2];
    int mx = (int)nd->ia[0], hx = (int)nd->ia[1], my = (int)nd->ia[2], hy = (int)nd->ia[3], mg = (int)nd->ia[4];
    int su2 = (int)nd->ia[5];
    operand_grads(g, X, mx, hx, Y, my, hy, G, mg, gy, need, gin, su2);
    if (need[2]) gin[2] = sl__lat_bil(g, "sl_lat_trc vjp", X, mx, hx, Y, my, hy, gy, mg == 2, su2);
}

static const sl_opdef op_bil = {"lat_bil", bil_eval, bil_vjp, bil_scratch, 0};
static const sl_opdef op_trc = {"lat_trc", trc_eval, trc_vjp, trc_scratch, 0};

/* ---- constructors ------------------------------------------------------------------- */
static int check_stack(sl_graph *g, const char *who, const char *what, sl_node *x, const sl_node *like, int mode)
{
    char b1[96], b2[96];
    if (x->dtype != SL_C128)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: %s is %s (must be c128)", who, what, sl__dtype_name(x->dtype)), 0;
    if (x->rank < 3 || x->shape[x->rank - 1] != x->shape[x->rank - 2] || x->shape[0] < 1 || mode < 0 || mode > 2)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: %s has shape %s (must be (V, .., N, N))", who, what,
                         sl__shape_str(x, b1, sizeof b1)), 0;
    if (like && (like->rank != x->rank || memcmp(like->shape + 1, x->shape + 1, sizeof(int64_t) * (size_t)(x->rank - 1))))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: %s %s does not fit %s", who, what, sl__shape_str(x, b1, sizeof b1),
                         sl__shape_str(like, b2, sizeof b2)), 0;
    return 1;
}

sl_node *sl__lat_bil(sl_graph *g, const char *who, sl_node *x, int mx, int hx, sl_node *y, int my, int hy, sl_node *c,
                     int fold, int su2)
{
    sl_node *ins[3] = {x, y, c};
    if (!sl__gcheck(g, who, 3, ins)) return NULL;
    if (!check_stack(g, who, "X", x, NULL, mx) || !check_stack(g, who, "Y", y, x, my)) return NULL;
    int64_t px = sl__lat_slots(x->shape[0], mx), py = sl__lat_slots(y->shape[0], my);
    char buf[96];
    if (c->dtype != SL_F64 || c->rank != 3 || c->shape[1] != px || c->shape[2] != py || (fold && c->shape[0] % 2))
        return sl__gfail(g, c->dtype != SL_F64 ? SL_ERR_DTYPE : SL_ERR_SHAPE,
                         "%s: alpha is %s %s (must be f64 (Cout, %lld, %lld))", who, sl__dtype_name(c->dtype),
                         sl__shape_str(c, buf, sizeof buf), (long long)px, (long long)py);
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->rank);
    shape[0] = fold ? c->shape[0] / 2 : c->shape[0];
    sl_node *n = sl__node_new(g, &op_bil, SL_C128, x->rank, shape, 3, ins);
    if (!n) return NULL;
    n->ia[0] = mx; n->ia[1] = hx != 0; n->ia[2] = my; n->ia[3] = hy != 0; n->ia[4] = fold != 0;
    n->ia[5] = su2 && x->shape[x->rank - 1] == 2;
    return n;
}

sl_node *sl__lat_trc(sl_graph *g, const char *who, sl_node *x, int mx, int hx, sl_node *y, int my, int hy,
                     sl_node *gq, int mg, int su2)
{
    sl_node *ins[3] = {x, y, gq};
    if (!sl__gcheck(g, who, 3, ins)) return NULL;
    if (!check_stack(g, who, "X", x, NULL, mx) || !check_stack(g, who, "Y", y, x, my) ||
        !check_stack(g, who, "G", gq, x, mg))
        return NULL;
    if (mg == 1) return sl__gfail(g, SL_ERR_ARG, "%s: G mode 1", who);
    int64_t shape[3] = {sl__lat_slots(gq->shape[0], mg), sl__lat_slots(x->shape[0], mx), sl__lat_slots(y->shape[0], my)};
    sl_node *n = sl__node_new(g, &op_trc, SL_F64, 3, shape, 3, ins);
    if (!n) return NULL;
    n->ia[0] = mx; n->ia[1] = hx != 0; n->ia[2] = my; n->ia[3] = hy != 0; n->ia[4] = mg;
    n->ia[5] = su2 && x->shape[x->rank - 1] == 2;
    return n;
}
