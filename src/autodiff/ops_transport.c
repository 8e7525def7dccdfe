/* Fused parallel transports (see ops_lattice.h): for every channel at once,
 *   out(x) = M(x + sl mu) X(x + sw mu) M(x + sl mu)^+,  M = L or L^+,
 * with the periodic shifts built into the site loops (no roll, no concat, no
 * broadcast matmul), the matrix M loaded once per site and reused across the
 * channels, and unrolled 2x2 / 3x3 complex products.  Several lines can feed
 * one node ("expand": channel blocks one per line, the GCMConv transport set;
 * "reduce": the sum over lines, which is the expand's adjoint).  The vjp
 * w.r.t. X is the same op in the opposite direction; the vjp w.r.t. a line is
 * the second fused op here, the channel-summed line gradient
 *   K(y) = sum_c P_c(y + ap mu) L(y) Q_c(y + aq mu)^+ + P_c(..)^+ L(y) Q_c(..),
 * whose own vjp is K again (w.r.t. L) and ordinary graph ops (w.r.t. P, Q),
 * so derivatives of any order work. */
#include "ops_lattice.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
#define SL_TRN_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define SL_TRN_CLONES
#endif
#if defined(__GNUC__)
#define SL_TRN_INLINE static inline __attribute__((always_inline))
#else
#define SL_TRN_INLINE static inline
#endif

/* Line geometry: a line node (B, L_0.., N, N); lattice axis mu is axis 1 + mu.
 * Sites are (outer, x_mu, inner), inner contiguous. */
typedef struct {
    int n;
    int64_t n2, S, outer, len, inner;
} tgeom;

static tgeom tgeom_of(const sl_node *line, int mu)
{
    tgeom q;
    int r = line->rank;
    q.n = (int)line->shape[r - 1];
    q.n2 = (int64_t)q.n * q.n;
    q.outer = 1;
    for (int a = 0; a <= mu; ++a) q.outer *= line->shape[a];
    q.len = line->shape[1 + mu];
    q.inner = 1;
    for (int a = 2 + mu; a < r - 2; ++a) q.inner *= line->shape[a];
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

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#include <immintrin.h>
#define SL_TRN_AVX2 1
/* N = 2 with AVX2/FMA: a row of a 2x2 complex matrix is one register.  Per
 * site the rows R_k of M^+ (and i R_k) are set up once; per channel
 * P = X M^+ takes the entries of X as broadcast loads, then out = M P with the
 * entries of M broadcast and the rows of P (and i P) in registers. */
/* c + a b, or c - a b when neg (the conjugated entries of L^+) */
__attribute__((target("avx2,fma"), always_inline)) static inline __m256d trn_fma(int neg, __m256d a, __m256d b,
                                                                                __m256d c)
{
    return neg ? _mm256_fnmadd_pd(a, b, c) : _mm256_fmadd_pd(a, b, c);
}

/* One site, C channels: os (+)= M X M^+ for X at xs (channel stride cs),
 * with r0, r1 (and i r0, i r1) the rows of M^+ and M = L (h = 0) or L^+
 * (h = 1: the entries of L conjugated and transposed, the signs folded into
 * fnmadd: the same roundings as multiplying by the negated entry). */
__attribute__((target("avx2,fma"), always_inline)) static inline void
trn_site2(const double *ls, int h, __m256d r0, __m256d r1, const double *xs, double *os, int64_t cs, int64_t C,
          int acc)
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

__attribute__((target("avx2,fma"))) static void trn_line2_avx2(const tgeom *q, const double *l, int h, int64_t sl,
                                                              int64_t sw, const double *x, double *o, int64_t C, int acc)
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

static int have_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

SL_TRN_CLONES static void trn_line(const tgeom *q, const double *l, int h, int64_t sl, int64_t sw, const double *x,
                                   double *o, int64_t C, int acc)
{
#ifdef SL_TRN_AVX2
    if (q->n == 2 && have_avx2()) { trn_line2_avx2(q, l, h, sl, sw, x, o, C, acc); return; }
#endif
    switch (q->n) {
    case 2: trn_line_n(2, q, l, h, sl, sw, x, o, C, acc); break;
    case 3: trn_line_n(3, q, l, h, sl, sw, x, o, C, acc); break;
    default: trn_line_n(q->n, q, l, h, sl, sw, x, o, C, acc); break;
    }
}

/* ---- trn ------------------------------------------------------------------------ */
/* in = {X, lines..}; ia = {m, reduce, C, nlines}; idx = 5 m: (line, mu, sl, sw, h) */
static void trn_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t m = nd->ia[0], C = nd->ia[2];
    int reduce = (int)nd->ia[1];
    const double *x = in[0];
    double *o = out;
    for (int64_t j = 0; j < m; ++j) {
        const int64_t *e = nd->idx + 5 * j;
        const sl_node *L = nd->in[e[0]];
        tgeom q = tgeom_of(L, (int)e[1]);
        int64_t cs = 2 * q.S * q.n2;
        if (!reduce) trn_line(&q, in[e[0]], (int)e[4], e[2], e[3], x, o + j * C * cs, C, 0);
        else trn_line(&q, in[e[0]], (int)e[4], e[2], e[3], x + j * C * cs, o, C, j > 0);
    }
}

/* ---- trn_dl: K(y) = sum_c P_c(y+ap) L(y) Q_c(y+aq)^+ + P_c(y+ap)^+ L(y) Q_c(y+aq) --------- */
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

SL_TRN_CLONES static void dl_eval_all(const tgeom *q, const double *p, int64_t ap, const double *l, const double *qq,
                                      int64_t aq, double *o, int64_t C)
{
    switch (q->n) {
    case 2: dl_n(2, q, p, ap, l, qq, aq, o, C); break;
    case 3: dl_n(3, q, p, ap, l, qq, aq, o, C); break;
    default: dl_n(q->n, q, p, ap, l, qq, aq, o, C); break;
    }
}

/* in = {P, L, Q}; ia = {mu, ap, aq} */
static void dl_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    tgeom q = tgeom_of(nd->in[1], (int)nd->ia[0]);
    dl_eval_all(&q, in[0], nd->ia[1], in[1], in[2], nd->ia[2], out, nd->in[0]->shape[0]);
}

/* ---- vjps ------------------------------------------------------------------------ */
/* f(x + k mu) for a node whose lattice axes start at axis a0. */
static sl_node *shift(sl_graph *g, sl_node *f, int a0, int mu, int64_t k)
{
    if (!f) return NULL;
    int64_t L = f->shape[a0 + mu];
    k %= L;
    if (k == 0) return f;
    return sl_graph_roll(g, f, a0 + mu, -k);
}

static sl_node *add_opt(sl_graph *g, sl_node *a, sl_node *b) { return a ? sl_graph_add(g, a, b) : b; }

static void trn_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *X = nd->in[0];
    int64_t m = nd->ia[0], C = nd->ia[2];
    int reduce = (int)nd->ia[1], nl = (int)nd->ia[3];
    if (need[0]) {   /* the reverse transports: M(y - sw + sl)^+ G(y - sw) M(..) */
        sl_trn_entry *e = sl__graph_mem(g, sizeof(sl_trn_entry) * (size_t)m);
        if (!e) { sl__gfail(g, SL_ERR_NOMEM, "sl_lat_trn vjp: out of memory"); return; }
        for (int64_t j = 0; j < m; ++j) {
            const int64_t *a = nd->idx + 5 * j;
            e[j].line = (int)a[0] - 1;
            e[j].mu = (int)a[1];
            e[j].sl = a[2] - a[3];
            e[j].sw = -a[3];
            e[j].h = !a[4];
        }
        gin[0] = sl__lat_trn(g, "sl_lat_trn vjp", gy, nl, nd->in + 1, (int)m, e, !reduce);
    }
    for (int i = 1; i <= nl; ++i) {
        if (!need[i]) continue;
        sl_node *acc = NULL;
        for (int64_t j = 0; j < m; ++j) {
            const int64_t *a = nd->idx + 5 * j;
            if (a[0] != i) continue;
            int mu = (int)a[1];
            int64_t sl = a[2], sw = a[3];
            sl_node *gj = gy, *xj = X;
            if (!reduce && gy->shape[0] != C) gj = sl_graph_slice(g, gy, 0, j * C, (j + 1) * C, 1);
            if (reduce && X->shape[0] != C) xj = sl_graph_slice(g, X, 0, j * C, (j + 1) * C, 1);
            sl_node *k = a[4] ? sl__lat_trn_dl(g, "sl_lat_trn vjp", xj, sw - sl, nd->in[i], gj, -sl, mu)
                              : sl__lat_trn_dl(g, "sl_lat_trn vjp", gj, -sl, nd->in[i], xj, sw - sl, mu);
            acc = add_opt(g, acc, k);
        }
        gin[i] = acc;
    }
}

static void dl_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *P = nd->in[0], *L = nd->in[1], *Q = nd->in[2];
    int mu = (int)nd->ia[0];
    int64_t ap = nd->ia[1], aq = nd->ia[2];
    if (need[1]) gin[1] = sl__lat_trn_dl(g, "sl_lat_trn_dl vjp", P, ap, gy, Q, aq, mu);
    if (need[0]) {   /* H Q' L^+ + L Q' H^+ at y = z - ap */
        sl_node *qs = shift(g, Q, 2, mu, aq);
        sl_node *t1 = sl_graph_matmul_ex(g, sl_graph_matmul(g, gy, qs), SL_OP_N, L, SL_OP_H);
        sl_node *t2 = sl_graph_matmul_ex(g, sl_graph_matmul(g, L, qs), SL_OP_N, gy, SL_OP_H);
        gin[0] = shift(g, sl_graph_add(g, t1, t2), 2, mu, -ap);
    }
    if (need[2]) {   /* H^+ P' L + L^+ P' H at y = z - aq */
        sl_node *ps = shift(g, P, 2, mu, ap);
        sl_node *t1 = sl_graph_matmul(g, sl_graph_matmul_ex(g, gy, SL_OP_H, ps, SL_OP_N), L);
        sl_node *t2 = sl_graph_matmul(g, sl_graph_matmul_ex(g, L, SL_OP_H, ps, SL_OP_N), gy);
        gin[2] = shift(g, sl_graph_add(g, t1, t2), 2, mu, -aq);
    }
}

static const sl_opdef op_trn = {"lat_trn", trn_eval, trn_vjp, NULL, 0};
static const sl_opdef op_dl = {"lat_trn_dl", dl_eval, dl_vjp, NULL, 0};

/* ---- constructors ------------------------------------------------------------------ */
static int fits(const sl_node *line, const sl_node *x)
{
    return line->dtype == SL_C128 && x->dtype == SL_C128 && line->rank >= 4 && x->rank == line->rank + 1 &&
           line->shape[line->rank - 1] == line->shape[line->rank - 2] && line->shape[line->rank - 1] >= 1 &&
           line->shape[line->rank - 1] <= SL_TRN_NMAX &&
           !memcmp(line->shape, x->shape + 1, sizeof(int64_t) * (size_t)line->rank);
}

static sl_node *shape_fail(sl_graph *g, const char *who, const sl_node *line, const sl_node *x)
{
    char b1[96], b2[96];
    return sl__gfail(g, SL_ERR_SHAPE, "%s: line %s does not fit field %s (c128 (B, L.., N, N), (C, B, L.., N, N), N <= %d)",
                     who, sl__shape_str(line, b1, sizeof b1), sl__shape_str(x, b2, sizeof b2), SL_TRN_NMAX);
}

sl_node *sl__lat_trn(sl_graph *g, const char *who, sl_node *x, int nlines, sl_node *const *lines, int m,
                     const sl_trn_entry *e, int reduce)
{
    if (!sl__gcheck(g, who, 1, &x) || nlines < 1 || !sl__gcheck(g, who, nlines, lines)) return NULL;
    if (m < 1) return sl__gfail(g, SL_ERR_ARG, "%s: no transports", who);
    for (int i = 0; i < nlines; ++i)
        if (!fits(lines[i], x)) return shape_fail(g, who, lines[i], x);
    int nd = lines[0]->rank - 3;
    for (int j = 0; j < m; ++j)
        if (e[j].line < 0 || e[j].line >= nlines || e[j].mu < 0 || e[j].mu >= nd)
            return sl__gfail(g, SL_ERR_ARG, "%s: transport %d: line %d, mu %d", who, j, e[j].line, e[j].mu);
    int64_t C = x->shape[0];
    if (reduce) {
        if (C % m) return sl__gfail(g, SL_ERR_SHAPE, "%s: %lld channels for %d transports", who, (long long)C, m);
        C /= m;
    }
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->rank);
    shape[0] = reduce ? C : C * m;
    sl_node **ins = sl__graph_mem(g, sizeof(sl_node *) * (size_t)(nlines + 1));
    int64_t *idx = sl__graph_mem(g, sizeof(int64_t) * (size_t)(5 * m));
    if (!ins || !idx) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    ins[0] = x;
    for (int i = 0; i < nlines; ++i) ins[i + 1] = lines[i];
    sl_node *n = sl__node_new(g, &op_trn, SL_C128, x->rank, shape, nlines + 1, ins);
    if (!n) return NULL;
    for (int j = 0; j < m; ++j) {
        idx[5 * j] = e[j].line + 1;
        idx[5 * j + 1] = e[j].mu;
        idx[5 * j + 2] = e[j].sl;
        idx[5 * j + 3] = e[j].sw;
        idx[5 * j + 4] = e[j].h != 0;
    }
    n->idx = idx;
    n->ia[0] = m; n->ia[1] = reduce != 0; n->ia[2] = C; n->ia[3] = nlines;
    return n;
}

sl_node *sl__lat_trn_dl(sl_graph *g, const char *who, sl_node *p, int64_t ap, sl_node *l, sl_node *q, int64_t aq, int mu)
{
    sl_node *ins[3] = {p, l, q};
    if (!sl__gcheck(g, who, 3, ins)) return NULL;
    if (!fits(l, p)) return shape_fail(g, who, l, p);
    if (!fits(l, q) || q->shape[0] != p->shape[0]) return shape_fail(g, who, l, q);
    if (mu < 0 || mu >= l->rank - 3) return sl__gfail(g, SL_ERR_ARG, "%s: mu = %d", who, mu);
    sl_node *n = sl__node_new(g, &op_dl, SL_C128, l->rank, l->shape, 3, ins);
    if (!n) return NULL;
    n->ia[0] = mu; n->ia[1] = ap; n->ia[2] = aq;
    return n;
}
