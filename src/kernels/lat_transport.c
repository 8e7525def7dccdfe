/* Parallel-transport kernels (lat_kernels.h): for every channel at once,
 *   out(x) = M(x + sl mu) X(x + sw mu) M(x + sl mu)^+,  M = L or L^+,
 * with the periodic shifts built into the site loops (no roll, no concat, no
 * broadcast matmul), the matrix M loaded once per site and reused across the
 * channels, and unrolled 2x2 / 3x3 complex products (AVX2 for N = 2); and
 * the channel-summed line gradient
 *   K(y) = sum_c P_c(y + ap mu) L(y) Q_c(y + aq mu)^+ + P_c(..)^+ L(y) Q_c(..).
 * The graph ops are in src/layers/op_lat_transport.c. */
#include "lat_kernels.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif
#if defined(__GNUC__)
#define SL_TRN_INLINE static inline __attribute__((always_inline))
#else
#define SL_TRN_INLINE static inline
#endif

typedef sl_lat_line_geom tgeom;

sl_lat_line_geom sl__lat_line_geom(int r, const int64_t *shape, int mu)
{
    tgeom q;
    q.n = (int)shape[r - 1];
    q.n2 = (int64_t)q.n * q.n;
    q.outer = 1;
    for (int a = 0; a <= mu; ++a) q.outer *= shape[a];
    q.len = shape[1 + mu];
    q.inner = 1;
    for (int a = 2 + mu; a < r - 2; ++a) q.inner *= shape[a];
    q.S = q.outer * q.len * q.inner;
    return q;
}

static int64_t pmod(int64_t a, int64_t m)
{
    a %= m;
    return a < 0 ? a + m : a;
}

/* Complex helpers on interleaved doubles (re, im). */
#define CMUL_RE(ar, ai, br, bi) ((ar) * (br) - (ai) * (bi))
#define CMUL_IM(ar, ai, br, bi) ((ar) * (bi) + (ai) * (br))

/* Load M = L (h = 0) or L^+ (h = 1) into split real / imaginary arrays. */
SL_TRN_INLINE void load_m(int n, const double *l, int h, double *mr, double *mi)
{
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            int e = h ? j * n + i : i * n + j;
            mr[i * n + j] = l[2 * e];
            mi[i * n + j] = h ? -l[2 * e + 1] : l[2 * e + 1];
        }
}

/* o (+)= M w M^+ for one site and channel. */
SL_TRN_INLINE void sandwich(int n, const double *mr, const double *mi, const double *w, double *o, int acc)
{
    double tr[SL_TRN_NMAX * SL_TRN_NMAX], ti[SL_TRN_NMAX * SL_TRN_NMAX];
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double sr = 0, si = 0;
            for (int k = 0; k < n; ++k) {
                double wr = w[2 * (k * n + j)], wi = w[2 * (k * n + j) + 1];
                sr += CMUL_RE(mr[i * n + k], mi[i * n + k], wr, wi);
                si += CMUL_IM(mr[i * n + k], mi[i * n + k], wr, wi);
            }
            tr[i * n + j] = sr;
            ti[i * n + j] = si;
        }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double sr = 0, si = 0;
            for (int k = 0; k < n; ++k) {   /* t_ik conj(m_jk) */
                double br = mr[j * n + k], bi = -mi[j * n + k];
                sr += CMUL_RE(tr[i * n + k], ti[i * n + k], br, bi);
                si += CMUL_IM(tr[i * n + k], ti[i * n + k], br, bi);
            }
            if (acc) { o[2 * (i * n + j)] += sr; o[2 * (i * n + j) + 1] += si; }
            else { o[2 * (i * n + j)] = sr; o[2 * (i * n + j) + 1] = si; }
        }
}

/* One line over all sites: channel c of x (stride S n2 complex) -> channel c
 * of o, c < C. */
SL_TRN_INLINE void trn_line_n(int n, const tgeom *q, const double *l, int h, int64_t sl, int64_t sw, const double *x,
                              double *o, int64_t C, int acc)
{
    int64_t n2 = q->n2, cs = 2 * q->S * n2, inner = q->inner, len = q->len;
    double mr[SL_TRN_NMAX * SL_TRN_NMAX], mi[SL_TRN_NMAX * SL_TRN_NMAX];
    for (int64_t a = 0; a < q->outer; ++a)
        for (int64_t xm = 0; xm < len; ++xm) {
            int64_t d0 = (a * len + xm) * inner, l0 = (a * len + pmod(xm + sl, len)) * inner,
                    w0 = (a * len + pmod(xm + sw, len)) * inner;
            for (int64_t i = 0; i < inner; ++i) {
                load_m(n, l + 2 * (l0 + i) * n2, h, mr, mi);
                const double *xs = x + 2 * (w0 + i) * n2;
                double *os = o + 2 * (d0 + i) * n2;
                for (int64_t c = 0; c < C; ++c) sandwich(n, mr, mi, xs + c * cs, os + c * cs, acc);
            }
        }
}

#ifdef SL_HAVE_AVX2
#include <immintrin.h>
/* N = 2 with AVX2/FMA: a row of a 2x2 complex matrix is one register.  Per
 * site the rows R_k of M^+ (and i R_k) are set up once; per channel
 * P = X M^+ takes the entries of X as broadcast loads, then out = M P with the
 * entries of M broadcast and the rows of P (and i P) in registers. */
/* c + a b, or c - a b when neg (the conjugated entries of L^+) */
SL_AVX2_INLINE __m256d trn_fma(int neg, __m256d a, __m256d b, __m256d c)
{
    return neg ? _mm256_fnmadd_pd(a, b, c) : _mm256_fmadd_pd(a, b, c);
}

/* One site, C channels: os (+)= M X M^+ for X at xs (channel stride cs),
 * with r0, r1 (and i r0, i r1) the rows of M^+ and M = L (h = 0) or L^+
 * (h = 1: the entries of L conjugated and transposed, the signs folded into
 * fnmadd: the same roundings as multiplying by the negated entry). */
SL_AVX2_INLINE void trn_site2(const double *ls, int h, __m256d r0, __m256d r1, const double *xs, double *os,
                              int64_t cs, int64_t C, int acc)
{
    const __m256d sgn = _mm256_set_pd(0.0, -0.0, 0.0, -0.0);   /* negate the real slots */
    __m256d ir0 = _mm256_xor_pd(_mm256_permute_pd(r0, 5), sgn);   /* i R0 */
    __m256d ir1 = _mm256_xor_pd(_mm256_permute_pd(r1, 5), sgn);
    /* y0 = m00 p0 + m01 p1, y1 = m10 p0 + m11 p1 (complex m: re p + im (i p)) */
    const int e2 = h ? 4 : 2, e3 = h ? 5 : 3, e4 = h ? 2 : 4, e5 = h ? 3 : 5;
    for (int64_t c = 0; c < C; ++c, xs += cs, os += cs) {
        __m256d p0 = _mm256_mul_pd(_mm256_broadcast_sd(xs + 0), r0);
        p0 = _mm256_fmadd_pd(_mm256_broadcast_sd(xs + 1), ir0, p0);
        p0 = _mm256_fmadd_pd(_mm256_broadcast_sd(xs + 2), r1, p0);
        p0 = _mm256_fmadd_pd(_mm256_broadcast_sd(xs + 3), ir1, p0);
        __m256d p1 = _mm256_mul_pd(_mm256_broadcast_sd(xs + 4), r0);
        p1 = _mm256_fmadd_pd(_mm256_broadcast_sd(xs + 5), ir0, p1);
        p1 = _mm256_fmadd_pd(_mm256_broadcast_sd(xs + 6), r1, p1);
        p1 = _mm256_fmadd_pd(_mm256_broadcast_sd(xs + 7), ir1, p1);
        __m256d ip0 = _mm256_xor_pd(_mm256_permute_pd(p0, 5), sgn);
        __m256d ip1 = _mm256_xor_pd(_mm256_permute_pd(p1, 5), sgn);
        __m256d y0 = _mm256_mul_pd(_mm256_broadcast_sd(ls + 0), p0);
        __m256d y1 = _mm256_mul_pd(_mm256_broadcast_sd(ls + e4), p0);
        y0 = trn_fma(h, _mm256_broadcast_sd(ls + 1), ip0, y0);
        y0 = _mm256_fmadd_pd(_mm256_broadcast_sd(ls + e2), p1, y0);
        y0 = trn_fma(h, _mm256_broadcast_sd(ls + e3), ip1, y0);
        y1 = trn_fma(h, _mm256_broadcast_sd(ls + e5), ip0, y1);
        y1 = _mm256_fmadd_pd(_mm256_broadcast_sd(ls + 6), p1, y1);
        y1 = trn_fma(h, _mm256_broadcast_sd(ls + 7), ip1, y1);
        if (acc) {
            y0 = _mm256_add_pd(y0, _mm256_loadu_pd(os));
            y1 = _mm256_add_pd(y1, _mm256_loadu_pd(os + 4));
        }
        _mm256_storeu_pd(os, y0);
        _mm256_storeu_pd(os + 4, y1);
    }
}

SL_AVX2 static void trn_line2_avx2(const tgeom *q, const double *l, int h, int64_t sl, int64_t sw, const double *x,
                                   double *o, int64_t C, int acc)
{
    int64_t cs = 8 * q->S, inner = q->inner, len = q->len;
    const __m256d conj = _mm256_set_pd(-0.0, 0.0, -0.0, 0.0);
    for (int64_t a = 0; a < q->outer; ++a)
        for (int64_t xm = 0; xm < len; ++xm) {
            int64_t d0 = (a * len + xm) * inner, l0 = (a * len + pmod(xm + sl, len)) * inner,
                    w0 = (a * len + pmod(xm + sw, len)) * inner;
            for (int64_t i = 0; i < inner; ++i) {
                const double *ls = l + 8 * (l0 + i), *xs = x + 8 * (w0 + i);
                double *os = o + 8 * (d0 + i);
                /* the rows of M^+, R0 = (conj m00, conj m10) and R1 = (conj m01,
                 * conj m11), read straight from L (L interleaved row-major; a
                 * vector built from scalars on the stack stalls on store
                 * forwarding) */
                if (!h) {
                    __m256d r0 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(ls)), _mm_loadu_pd(ls + 4), 1);
                    __m256d r1 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(ls + 2)), _mm_loadu_pd(ls + 6), 1);
                    trn_site2(ls, 0, _mm256_xor_pd(r0, conj), _mm256_xor_pd(r1, conj), xs, os, cs, C, acc);
                } else
                    trn_site2(ls, 1, _mm256_loadu_pd(ls), _mm256_loadu_pd(ls + 4), xs, os, cs, C, acc);
            }
        }
}

#endif

SL_CLONES static void trn_line(const tgeom *q, const double *l, int h, int64_t sl, int64_t sw, const double *x,
                               double *o, int64_t C, int acc)
{
#ifdef SL_HAVE_AVX2
    if (q->n == 2 && sl__cpu_avx2()) { trn_line2_avx2(q, l, h, sl, sw, x, o, C, acc); return; }
#endif
    switch (q->n) {
    case 2: trn_line_n(2, q, l, h, sl, sw, x, o, C, acc); break;
    case 3: trn_line_n(3, q, l, h, sl, sw, x, o, C, acc); break;
    default: trn_line_n(q->n, q, l, h, sl, sw, x, o, C, acc); break;
    }
}

void sl__lat_trn_line(const tgeom *q, const double *l, int h, int64_t sl, int64_t sw, const double *x, double *o,
                      int64_t C, int acc)
{
    trn_line(q, l, h, sl, sw, x, o, C, acc);
}

/* ---- K(y) = sum_c P_c(y+ap) L(y) Q_c(y+aq)^+ + P_c(y+ap)^+ L(y) Q_c(y+aq) ---------------- */
SL_TRN_INLINE void dl_site(int n, const double *p, const double *lr, const double *li, const double *qq, double *kr,
                           double *ki)
{
    /* a = P L, b = P^+ L; k += a Q^+ + b Q */
    double ar[SL_TRN_NMAX * SL_TRN_NMAX], ai[SL_TRN_NMAX * SL_TRN_NMAX], br[SL_TRN_NMAX * SL_TRN_NMAX],
        bi[SL_TRN_NMAX * SL_TRN_NMAX];
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double sr = 0, si = 0, tr = 0, ti = 0;
            for (int k = 0; k < n; ++k) {
                double pr = p[2 * (i * n + k)], pi = p[2 * (i * n + k) + 1];
                double hr = p[2 * (k * n + i)], hi = -p[2 * (k * n + i) + 1];
                sr += CMUL_RE(pr, pi, lr[k * n + j], li[k * n + j]);
                si += CMUL_IM(pr, pi, lr[k * n + j], li[k * n + j]);
                tr += CMUL_RE(hr, hi, lr[k * n + j], li[k * n + j]);
                ti += CMUL_IM(hr, hi, lr[k * n + j], li[k * n + j]);
            }
            ar[i * n + j] = sr; ai[i * n + j] = si; br[i * n + j] = tr; bi[i * n + j] = ti;
        }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double sr = 0, si = 0;
            for (int k = 0; k < n; ++k) {
                double qhr = qq[2 * (j * n + k)], qhi = -qq[2 * (j * n + k) + 1];   /* (Q^+)_kj */
                double qr = qq[2 * (k * n + j)], qi = qq[2 * (k * n + j) + 1];
                sr += CMUL_RE(ar[i * n + k], ai[i * n + k], qhr, qhi) + CMUL_RE(br[i * n + k], bi[i * n + k], qr, qi);
                si += CMUL_IM(ar[i * n + k], ai[i * n + k], qhr, qhi) + CMUL_IM(br[i * n + k], bi[i * n + k], qr, qi);
            }
            kr[i * n + j] += sr;
            ki[i * n + j] += si;
        }
}

SL_TRN_INLINE void dl_n(int n, const tgeom *q, const double *p, int64_t ap, const double *l, const double *qq, int64_t aq,
                        double *o, int64_t C)
{
    int64_t n2 = q->n2, cs = 2 * q->S * n2, inner = q->inner, len = q->len;
    double lr[SL_TRN_NMAX * SL_TRN_NMAX], li[SL_TRN_NMAX * SL_TRN_NMAX], kr[SL_TRN_NMAX * SL_TRN_NMAX],
        ki[SL_TRN_NMAX * SL_TRN_NMAX];
    for (int64_t a = 0; a < q->outer; ++a)
        for (int64_t xm = 0; xm < len; ++xm) {
            int64_t d0 = (a * len + xm) * inner, p0 = (a * len + pmod(xm + ap, len)) * inner,
                    q0 = (a * len + pmod(xm + aq, len)) * inner;
            for (int64_t i = 0; i < inner; ++i) {
                load_m(n, l + 2 * (d0 + i) * n2, 0, lr, li);
                for (int e = 0; e < n * n; ++e) kr[e] = ki[e] = 0;
                const double *ps = p + 2 * (p0 + i) * n2, *qs = qq + 2 * (q0 + i) * n2;
                for (int64_t c = 0; c < C; ++c) dl_site(n, ps + c * cs, lr, li, qs + c * cs, kr, ki);
                double *os = o + 2 * (d0 + i) * n2;
                for (int e = 0; e < n * n; ++e) { os[2 * e] = kr[e]; os[2 * e + 1] = ki[e]; }
            }
        }
}

SL_CLONES static void dl_eval_all(const tgeom *q, const double *p, int64_t ap, const double *l, const double *qq,
                                  int64_t aq, double *o, int64_t C)
{
    switch (q->n) {
    case 2: dl_n(2, q, p, ap, l, qq, aq, o, C); break;
    case 3: dl_n(3, q, p, ap, l, qq, aq, o, C); break;
    default: dl_n(q->n, q, p, ap, l, qq, aq, o, C); break;
    }
}

void sl__lat_trn_dl_line(const tgeom *q, const double *p, int64_t ap, const double *l, const double *qq, int64_t aq,
                         double *o, int64_t C)
{
    dl_eval_all(q, p, ap, l, qq, aq, o, C);
}
