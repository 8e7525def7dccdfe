/* The block driver of the fused lattice contractions (lat_kernels.h), shared
 * by the general complex and the SU(2) quaternion arithmetic: sites are
 * processed in blocks that stay in cache; per block the extended operands are
 * laid out once as panels (the kset's slot kernels), the coefficient
 * contraction tmp_uv = sum_w c_uvw op(Y'_w) is one small real GEMM (sites and
 * matrix entries are the columns), then out_u += op(X'_v) tmp_uv per site.
 * When Y carries its daggers the GEMM runs on the two halves of the dagger
 * fold (half the flops); when Y has fewer slots than there are outputs (the
 * B gradient) the per-block pair products op(X'_v) op(Y'_w) are contracted
 * instead.  No extended stack and no full-size intermediate is ever stored.
 * trc is the matching reduction: per block, products op(X'_v)^+ G'_u, then
 * dot products with the panels of Y. */
#include "lat_kernels.h"
#include "blas.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

#ifndef LAT_SMALL_ROWS
#define LAT_SMALL_ROWS 256    /* gemm_rows shapes sent to sl__small_gemm rather than dgemm */
#endif
#ifndef LAT_SMALL_K
#define LAT_SMALL_K 64
#endif

typedef sl_lat_geom geom;

int64_t sl__lat_slots(int64_t v, int mode) { return mode == 0 ? v : mode == 1 ? 2 * v + 1 : 2 * v; }

static int64_t block_sites(int64_t n2)
{
    int64_t nb = SL_LAT_PANEL_REALS / (2 * n2);
    return nb < 1 ? 1 : nb;
}

static geom geom_of(int n, int64_t S)
{
    geom q;
    q.n = n;
    q.n2 = (int64_t)q.n * q.n;
    q.S = S;
    q.nb = block_sites(q.n2);
    /* Slots 4 KiB apart (N = 1, 2) map a GEMM's panel rows to one L1 set and
     * thrash it; a stride off the multiples of 2 KiB (kept a multiple of 64
     * bytes) does not. */
    q.ps = (2 * q.n2 * q.nb + 7) / 8 * 8;
    if (q.ps % 256 == 0) q.ps += 8;
    return q;
}

static double *align64(void *p)
{
    return (double *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

static sl_lat_kset kset_of(int su2, const geom *q)
{
    return su2 ? sl__lat_kset_su2(q) : sl__lat_kset_complex(q);
}

#ifdef SL_HAVE_AVX2
#include <immintrin.h>
/* t[r ldt + w] += sum_k h[r ldh + k] q[w ldq + k] (the trc reduction; short
 * and wide: few outputs, long dot products): 3 rows x 4 columns of
 * accumulators over k, four k per step. */
SL_AVX2 static void dot_tn_avx2(int64_t M, int64_t N, int64_t K, const double *q,
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

#endif

/* t[r ldt + w] += sum_k h[r ldh + k] q[w ldq + k]  (r < N, w < M) */
static void dot_tn(int64_t M, int64_t N, int64_t K, const double *q, int64_t ldq, const double *h, int64_t ldh,
                   double *t, int64_t ldt)
{
#ifdef SL_HAVE_AVX2
    if (sl__cpu_avx2()) { dot_tn_avx2(M, N, K, q, ldq, h, ldh, t, ldt); return; }
#endif
    /* column-major T^T (M x N, ld ldt) += Q^T H^T */
    sl_blas_int m = (sl_blas_int)M, n = (sl_blas_int)N, k = (sl_blas_int)K, lq = (sl_blas_int)ldq,
                lh = (sl_blas_int)ldh, lt = (sl_blas_int)ldt;
    double one = 1;
    dgemm_("T", "N", &m, &n, &k, &one, q, &lq, h, &lh, &one, t, &lt, 1, 1);
}

/* row-major tmp (rows x width, row stride ld) = coef (rows x k, stride ldc) panel (k x width, stride ld) */
static void gemm_rows(int64_t rows, int64_t k, int64_t width, int64_t ld, const double *coef, int64_t ldc,
                      const double *panel, double *tmp, double beta)
{
    /* row-major tmp(rows x width) (+)= coef(rows x k) panel(k x width); short and wide (few rows, short inner
     * dimension, beta = 0): our own kernel reads the panels in place (no packing, no zeroing of tmp) */
    if (beta == 0 && rows <= LAT_SMALL_ROWS && k <= LAT_SMALL_K) {
        sl__small_gemm(rows, k, width, coef, ldc, panel, ld, tmp, ld);
        return;
    }
    /* column-major: tmp^T = panel^T coef^T */
    sl_blas_int M = (sl_blas_int)width, N = (sl_blas_int)rows, K = (sl_blas_int)k, LD = (sl_blas_int)ld,
                LK = (sl_blas_int)ldc;
    double one = 1;
    dgemm_("N", "N", &M, &N, &K, &one, panel, &LD, coef, &LK, &beta, tmp, &LD, 1, 1);
}

/* cs / cd (rows x m): c_w + c_{m+w} and c_w - c_{m+w} of coef (rows x py). */
static void fold_coefs(int64_t rows, int64_t m, int64_t py, const double *coef, double *cs, double *cd)
{
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t w = 0; w < m; ++w) {
            double a = coef[r * py + w], b = coef[r * py + m + w];
            cs[r * m + w] = a + b;
            cd[r * m + w] = a - b;
        }
}

/* The dagger fold (Y of mode 1 or 2): slot M + w of the extended operand is
 * Z_w^+ with Z_w = op(Y_w), so, with c and c' the coefficients of slots w and
 * M + w,
 *   tmp = sum_w c Z_w + c' Z_w^+ = sum_w (c + c') H_w + (c - c') K_w,
 * H_w = (Z_w + Z_w^+)/2 and K_w = (Z_w - Z_w^+)/2 the Hermitian and
 * anti-Hermitian parts, whose real coordinates the folded panel holds in its
 * two parts (first `split` reals, then the rest): two GEMMs over the M slots
 * (half the flops of one over the 2M slots), then the unit slot
 * (coefficient c_{2M}, mode 1) and the kset's unmix back to the slot layout. */
static void gemm_fold(const sl_lat_kset *k, const geom *q, int64_t rows, int64_t m, int64_t py, int unit,
                      const double *coef, const double *cs, const double *cd, const double *panel, double *tmp)
{
    int64_t P = q->ps, h = k->split;
    gemm_rows(rows, m, h, P, cs, m, panel, tmp, 0);
    gemm_rows(rows, m, k->width - h, P, cd, m, panel + h, tmp + h, 0);
    if (unit)
        for (int64_t r = 0; r < rows; ++r) {
            double c = coef[r * py + 2 * m], *t = tmp + r * P;
            for (int64_t s = 0; s < k->diag; ++s) t[s] += c;
        }
    if (k->unmix) k->unmix(q, rows, tmp);
}

/* ---- bil --------------------------------------------------------------------------- */
size_t sl__lat_bil_scratch_bytes(const sl_lat_bil_args *a)
{
    geom q = geom_of(a->n, a->S);
    int64_t u = a->u, px = sl__lat_slots(a->x.v, a->x.mode), py = sl__lat_slots(a->y.v, a->y.mode);
    int64_t fc = 2 * u * px * a->y.v + u * px * py;   /* folded coefficients */
    int64_t t = py < u ? px * py : u * px;             /* tmp, or the pair products */
    return sizeof(double) * (size_t)((px + py + t + u) * q.ps + fc) + 5 * 64;
}

void sl__lat_bil_blocks(const sl_lat_bil_args *a, const double *x, const double *y, const double *coef, double *o,
                        void *scratch)
{
    geom q = geom_of(a->n, a->S);
    sl_lat_kset k = kset_of(a->su2, &q);
    int mx = a->x.mode, hx = a->x.adj, my = a->y.mode, hy = a->y.adj, fold = a->fold;
    int64_t vx = a->x.v, vy = a->y.v, u = a->u, px = sl__lat_slots(vx, mx), py = sl__lat_slots(vy, my);
    int64_t nb = q.nb, n2 = q.n2;
    int64_t P = q.ps, W = k.width, H = k.split;   /* slot stride, reals per slot, the fold's first part */
    int pairs = py < u;   /* fewer pair products than (u, v) products: contract the pairs instead */
    double *pp = align64(scratch);
    double *qp = align64(pp + px * P);
    double *tmp = align64(qp + py * P);
    double *z = align64(tmp + (pairs ? px * py : u * px) * P);
    double *cf = align64(z + u * P);   /* folded coefficients */
    int64_t uo = fold ? u / 2 : u;
    int fo = my != 0 && !pairs;   /* Y has dagger slots: the fold (gemm_fold) */
    double *cs = cf, *cd = cf + u * px * vy;
    if (fo) fold_coefs(u * px, vy, py, coef, cs, cd);
    /* pairs with a folded output: out_k = sum_j c_kj H_j + c_{C+k,j} H_j^+ is the
     * same fold over the pair products j = (v, w) (coefficients in ps / pd) */
    int zf = pairs && fold;
    double *ps = cf, *pd = cf + uo * px * py;
    if (zf)
        for (int64_t j = 0; j < uo * px * py; ++j) {
            ps[j] = coef[j] + coef[uo * px * py + j];
            pd[j] = coef[j] - coef[uo * px * py + j];
        }
    for (int64_t s0 = 0; s0 < q.S; s0 += nb) {
        int64_t ns = q.S - s0 < nb ? q.S - s0 : nb;
        k.panel(&q, pp, x, vx, mx, hx, s0, ns);
        if (fo) k.panel_fold(&q, qp, y, vy, hy, s0, ns);
        else k.panel(&q, qp, y, vy, my, hy, s0, ns);
        if (pairs) {   /* H_vw = op(X'_v) op(Y'_w), then Z_u = sum_vw c_uvw H_vw (one GEMM) */
            for (int64_t v = 0; v < px; ++v)
                for (int64_t w = 0; w < py; ++w) k.mul(&q, pp + v * P, qp + w * P, tmp + (v * py + w) * P, 0);
            if (!zf) gemm_rows(u, px * py, W, P, coef, px * py, tmp, z, 0);
            else {
                if (k.mix) k.mix(&q, px * py, tmp, 0.5);
                gemm_rows(uo, px * py, H, P, ps, px * py, tmp, z, 0);
                gemm_rows(uo, px * py, W - H, P, pd, px * py, tmp + H, z + H, 0);
                if (k.unmix) k.unmix(&q, uo, z);
            }
        } else {       /* tmp_uv = sum_w c_uvw op(Y'_w), then Z_u = sum_v op(X'_v) tmp_uv */
            if (fo) gemm_fold(&k, &q, u * px, vy, py, my == 1, coef, cs, cd, qp, tmp);
            else gemm_rows(u * px, py, W, P, coef, py, qp, tmp, 0);
            for (int64_t c = 0; c < u; ++c) {
                double *zc = z + c * P;
                for (int64_t v = 0; v < px; ++v) k.mul(&q, pp + v * P, tmp + (c * px + v) * P, zc, v > 0);
            }
        }
        for (int64_t c = 0; c < uo; ++c)
            k.out(&q, o + 2 * (c * q.S + s0) * n2, z + c * P, fold && !zf ? z + (uo + c) * P : NULL, ns);
    }
}

/* ---- trc --------------------------------------------------------------------------- */
size_t sl__lat_trc_scratch_bytes(const sl_lat_trc_args *a)
{
    geom q = geom_of(a->n, a->S);
    int64_t ug = sl__lat_slots(a->g.v, a->g.mode), px = sl__lat_slots(a->x.v, a->x.mode),
            py = sl__lat_slots(a->y.v, a->y.mode);
    int64_t fc = ug * px * (2 * a->y.v + 1);   /* the accumulators */
    return sizeof(double) * (size_t)((px + py + ug + ug * px) * q.ps + fc) + 5 * 64;
}

void sl__lat_trc_blocks(const sl_lat_trc_args *a, const double *x, const double *y, const double *g, double *t,
                        void *scratch)
{
    geom q = geom_of(a->n, a->S);
    sl_lat_kset k = kset_of(a->su2, &q);
    int mx = a->x.mode, hx = a->x.adj, my = a->y.mode, hy = a->y.adj, mg = a->g.mode;
    int64_t vx = a->x.v, vy = a->y.v, vg = a->g.v;
    int64_t ug = sl__lat_slots(vg, mg), px = sl__lat_slots(vx, mx), py = sl__lat_slots(vy, my);
    int64_t nb = q.nb, P = q.ps, W = k.width, H = k.split, rows = ug * px;
    double *pa = align64(scratch);
    double *qp = align64(pa + px * P);
    double *rp = align64(qp + py * P);
    double *hm = align64(rp + ug * P);
    /* rows x (2 ny + 1) accumulators: the dots with the plain (or, with Y's
     * daggers, the first folded) part, with the second folded part, the unit.
     * The dagger fold (see gemm_fold): <h, Z_w> = <h~_1, Z_1> + <h~_2, Z_2>
     * and <h, Z_w^+> the difference, h~ the kset's mix of h. */
    double *acc = align64(hm + rows * P);
    int64_t ny = my ? vy : py;
    double *t1 = acc, *t2 = acc + rows * ny, *tu = acc + 2 * rows * ny;
    memset(acc, 0, sizeof(double) * (size_t)(rows * (2 * ny + 1)));
    for (int64_t s0 = 0; s0 < q.S; s0 += nb) {
        int64_t ns = q.S - s0 < nb ? q.S - s0 : nb;
        k.panel(&q, pa, x, vx, mx, !hx, s0, ns);   /* op(X'_v)^+ */
        if (my) k.panel_fold(&q, qp, y, vy, hy, s0, ns);
        else k.panel(&q, qp, y, vy, my, hy, s0, ns);
        k.panel(&q, rp, g, vg, mg, 0, s0, ns);
        for (int64_t c = 0; c < ug; ++c)
            for (int64_t v = 0; v < px; ++v) k.mul(&q, pa + v * P, rp + c * P, hm + (c * px + v) * P, 0);
        if (!my) {   /* T (rows x py) += H (rows x W) Q (py x W)^T */
            dot_tn(ny, rows, W, qp, P, hm, P, t1, ny);
            continue;
        }
        if (my == 1)   /* the unit slot: <H, 1> = sum of the real diagonal */
            for (int64_t r = 0; r < rows; ++r) {
                double sum = 0;
                for (int64_t s = 0; s < k.diag; ++s) sum += hm[r * P + s];
                tu[r] += sum;
            }
        if (k.mix) k.mix(&q, rows, hm, 1);
        dot_tn(ny, rows, H, qp, P, hm, P, t1, ny);
        dot_tn(ny, rows, W - H, qp + H, P, hm + H, P, t2, ny);
    }
    double f = k.tscale;
    for (int64_t r = 0; r < rows; ++r) {
        if (!my) {
            for (int64_t w = 0; w < py; ++w) t[r * py + w] = f * t1[r * ny + w];
            continue;
        }
        for (int64_t w = 0; w < vy; ++w) {
            t[r * py + w] = f * (t1[r * ny + w] + t2[r * ny + w]);
            t[r * py + vy + w] = f * (t1[r * ny + w] - t2[r * ny + w]);
        }
        if (my == 1) t[r * py + 2 * vy] = f * tu[r];
    }
}
