/* The slot kernels of the general complex contraction (lat_kernels.h): the
 * panels, their products and the output scatter, run by the block driver of
 * lat_contract.c.  Per block, the extended operands are laid out once
 * ("panels": daggers and the unit matrix included) as structure-of-arrays
 * over sites, so the per-site products vectorise; when Y carries its daggers
 * the GEMM runs on the Hermitian / anti-Hermitian halves (build_panel_fold:
 * half the flops).  Unrolled 2x2 products, AVX2 four-site transposes for N = 2. */
#include "lat_kernels.h"

/* The per-site loops are written to vectorise over the sites of a block; ask
 * GCC for it (plain -O2 only vectorises trivially cheap loops). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

typedef sl_lat_geom geom;

/* Panels are structure-of-arrays over the sites of a block, so that the
 * per-site products vectorise: slot p, entry (i, j), real/imag part r, site s
 * is at d[p * 2 n2 nb + col(n, i, j, r) nb + s].  Within a slot the first n2
 * column blocks hold the real diagonal and, per pair i < j (row by row), the
 * entry (i, j) (re, im); the last n2 the imaginary diagonal and the entries
 * (j, i).  The GEMM does not care about the order of its columns; this one
 * lets the dagger fold (gemm_fold, lat_contract.c) run on two contiguous halves.  Sites
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

#ifdef SL_HAVE_AVX2
#include "avx2_sites.h"
/* fold2 with AVX2: four sites transposed into the eight columns; the same
 * arithmetic as fold2, so the same results. */
SL_AVX2 static void fold2_avx2(double *d, const double *y, int64_t nb, int64_t ns, double sg)
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
SL_AVX2 static void panel2_avx2(double *d, const double *y, int64_t nb, int64_t ns, int adj)
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

/* out_sites for N = 2: z1 (and the folded z2, entries (j, i)) in the
 * col() layout -> AoS sites; same arithmetic as the scalar loop. */
SL_AVX2 static void out2_avx2(double *dd, const double *z1, const double *z2, int64_t nb, int64_t ns)
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

#endif

static void build_panel(const geom *q, double *dst, const double *x, int64_t v, int mode, int h, int64_t s0,
                        int64_t ns)
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
        if (p < v) src = x + 2 * (p * q->S + s0) * n2;
        else { src = x + 2 * ((p - v) * q->S + s0) * n2; adj = !h; }
#ifdef SL_HAVE_AVX2
        if (n == 2 && sl__cpu_avx2()) { panel2_avx2(d, src, nb, ns, adj); continue; }
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
SL_CLONES static void fold2(double *restrict d, const double *restrict y, int64_t nb, int64_t ns, double sg)
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

static void build_panel_fold(const geom *q, double *dst, const double *y, int64_t v, int h, int64_t s0, int64_t ns)
{
    int n = q->n;
    int64_t n2 = q->n2, nb = q->nb;
    for (int64_t p = 0; p < v; ++p) {
        double *d = dst + p * q->ps;
        if (ns < nb) memset(d, 0, sizeof(double) * (size_t)(2 * n2 * nb));
        const double *src = y + 2 * (p * q->S + s0) * n2;
        double sg = h ? -1 : 1;
        if (n == 2) {
#ifdef SL_HAVE_AVX2
            if (sl__cpu_avx2()) { fold2_avx2(d, src, nb, ns, sg); continue; }
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

SL_CLONES static void unmix_fold(const geom *q, int64_t rows, double *tmp)
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
 * build_panel_fold (lat_contract.c: the pair order with a folded output). */
SL_CLONES static void mix_trc(const geom *q, int64_t rows, double *h, double f)
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
SL_CLONES static void mul_block(const geom *q, const double *restrict a, const double *restrict b,
                                double *restrict c, int acc)
{
    int n = q->n;
    int64_t nb = q->nb;
    if (n == 2 && nb == SL_LAT_PANEL_REALS / 8) {   /* real arithmetic, vectorised over sites */
        enum { NB = SL_LAT_PANEL_REALS / 8 };
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

/* An output slot (z1, and the folded z2: entries (j, i)) in the col() layout
 * -> interleaved matrices of ns sites. */
static void out_sites(const geom *q, double *d, const double *z1, const double *z2, int64_t ns)
{
    int n = q->n;
    int64_t n2 = q->n2, nb = q->nb;
#ifdef SL_HAVE_AVX2
    if (n == 2 && sl__cpu_avx2()) { out2_avx2(d, z1, z2, nb, ns); return; }
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

sl_lat_kset sl__lat_kset_complex(const geom *q)
{
    sl_lat_kset k;
    k.width = 2 * q->nb * q->n2;
    k.split = q->nb * q->n2;   /* the folded halves */
    k.diag = q->n * q->nb;     /* the real diagonal */
    k.tscale = 1;
    k.panel = build_panel;
    k.panel_fold = build_panel_fold;
    k.mul = mul_block;
    k.mix = q->n > 1 ? mix_trc : NULL;
    k.unmix = q->n > 1 ? unmix_fold : NULL;
    k.out = out_sites;
    return k;
}
