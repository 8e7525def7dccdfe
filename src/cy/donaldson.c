/* Algebraic metrics K = log(s^T H conj(s)) / (k pi) and Donaldson's
 * T-operator iteration for balanced H (Donaldson, math/0512625, section 2;
 * Douglas, Karp, Lukic, Reinbacher hep-th/0612075; cymetric
 * potential/donaldson.py).  The sums over points run in chunks, in a fixed
 * order, through zgemm. */
#include "cy_internal.h"
#include "../kernels/blas.h"

#include <math.h>

#define CHUNK 4096

struct sl_cy_algebraic {
    sl_ctx *ctx;
    const sl_cy_variety *v;
    int k, nk, namb;
    int *mons;      /* nk x namb */
    cplx *h;        /* nk x nk row-major */
};

static const sl_cy_donaldson_opts DON_DEFAULTS = SL_CY_DONALDSON_OPTS_INIT;

sl_status sl_cy_donaldson_opts_init_sized(sl_cy_donaldson_opts *opts, size_t size)
{
    if (!opts) return SL_ERR_NULL;
    return sl__opts_init(opts, size, &DON_DEFAULTS, sizeof DON_DEFAULTS, SL_OPTS_END(sl_cy_donaldson_opts, stream));
}

/* monomials of degree k in na variables (lexicographic, first exponent largest
 * first), those with m[red] >= deg removed when red >= 0 */
static int monomials(int na, int k, int red, int deg, int *out)
{
    int e[SL_CY_MAX_AMB] = {0}, n = 0;
    e[0] = k;
    for (;;) {
        if (red < 0 || e[red] < deg) {
            if (out) memcpy(out + n * na, e, sizeof(int) * (size_t)na);
            n++;
        }
        /* next composition in reverse-lex order */
        int j = na - 2;
        while (j >= 0 && e[j] == 0) j--;
        if (j < 0) break;
        e[j]--;
        int rest = 0;
        for (int i = j + 1; i < na; i++) rest += e[i];
        for (int i = j + 1; i < na; i++) e[i] = 0;
        e[j + 1] = rest + 1;
    }
    return n;
}

/* sections s (nk) and, when ds != NULL, their derivatives ds[i * nk + a] = d s_a / d z_i */
static void sections(const sl_cy_algebraic *m, const cplx *z, cplx *s, cplx *ds)
{
    const int na = m->namb, k = m->k;
    cplx pw[SL_CY_MAX_AMB][17];
    for (int i = 0; i < na; i++) {
        pw[i][0] = 1;
        for (int e = 1; e <= k; e++) pw[i][e] = pw[i][e - 1] * z[i];
    }
    for (int a = 0; a < m->nk; a++) {
        const int *e = m->mons + a * na;
        cplx v = 1;
        for (int i = 0; i < na; i++) v *= pw[i][e[i]];
        s[a] = v;
        if (!ds) continue;
        for (int i = 0; i < na; i++) {
            if (!e[i]) {
                ds[i * m->nk + a] = 0;
                continue;
            }
            cplx dv = (double)e[i];
            for (int j = 0; j < na; j++) dv *= pw[j][j == i ? e[j] - 1 : e[j]];
            ds[i * m->nk + a] = dv;
        }
    }
}

/* Y_r = H x_r for rows r (x, y: rows x nk row-major) */
static void apply_h(const cplx *h, int nk, int rows, const cplx *x, cplx *y)
{
    const sl_blas_int n = nk, r = rows;
    const cplx one = 1, zero = 0;
    zgemm_("T", "N", &n, &r, &n, &one, h, &n, x, &n, &zero, y, &n, 1, 1);
}

/* inverse of a hermitian positive definite matrix (Cholesky); 0 or -1 */
static int herm_inverse(int n, const cplx *a, cplx *inv, cplx *L)
{
    for (int j = 0; j < n; j++) {
        double d = creal(a[j * n + j]);
        for (int k = 0; k < j; k++) d -= creal(L[j * n + k] * conj(L[j * n + k]));
        if (!(d > 0)) return -1;
        double ljj = sqrt(d);
        L[j * n + j] = ljj;
        for (int i = j + 1; i < n; i++) {
            cplx s = a[i * n + j];
            for (int k = 0; k < j; k++) s -= L[i * n + k] * conj(L[j * n + k]);
            L[i * n + j] = s / ljj;
        }
        for (int i = 0; i < j; i++) L[i * n + j] = 0;
    }
    /* inv = L^-H L^-1: columns e_c solved forward then backward */
    cplx y[1024];
    for (int c = 0; c < n; c++) {
        for (int i = 0; i < n; i++) {
            cplx s = i == c ? 1 : 0;
            for (int k = 0; k < i; k++) s -= L[i * n + k] * y[k];
            y[i] = s / L[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            cplx s = y[i];
            for (int k = i + 1; k < n; k++) s -= conj(L[k * n + i]) * inv[k * n + c];
            inv[i * n + c] = s / L[i * n + i];
        }
    }
    return 0;
}

void sl_cy_algebraic_destroy(sl_cy_algebraic *m)
{
    if (!m) return;
    sl__free(m->ctx, m->mons);
    sl__free(m->ctx, m->h);
    sl__free(m->ctx, m);
}

int sl_cy_algebraic_sections(const sl_cy_algebraic *m) { return m ? m->nk : 0; }

sl_status sl_cy_algebraic_h(const sl_cy_algebraic *m, double *h)
{
    if (!m) return SL_ERR_NULL;
    if (!h) return sl__fail(m->ctx, SL_ERR_NULL, "sl_cy_algebraic_h: h is NULL");
    memcpy(h, m->h, sizeof(cplx) * (size_t)(m->nk * m->nk));
    return SL_OK;
}

sl_status sl_cy_donaldson(const sl_cy_variety *v, int k, const sl_cy_donaldson_opts *opts_in, sl_cy_algebraic **out)
{
    const char *who = "sl_cy_donaldson";
    if (!v) return SL_ERR_NULL;
    sl_ctx *ctx = v->ctx;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    sl_cy_donaldson_opts o = DON_DEFAULTS;
    if (opts_in) {
        sl_status st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts_in, SL_OPTS_END(sl_cy_donaldson_opts, stream));
        if (st != SL_OK) return st;
    }
    if (k < 1 || k > 8) return sl__fail(ctx, SL_ERR_ARG, "%s: k = %d (must be 1..8)", who, k);
    if (o.iters < 0 || o.iters > 1000) return sl__fail(ctx, SL_ERR_ARG, "%s: opts.iters = %d (must be 0..1000)", who, o.iters);
    if (o.points < 0 || o.points > ((int64_t)1 << 28))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.points = %lld (must be 0..2^28)", who, (long long)o.points);
    const int na = v->namb;
    int red = -1;
    if (k >= v->deg) {
        for (int j = 0; j < na && red < 0; j++)
            for (int64_t t = 0; t < v->nterms; t++)
                if (v->exps[t * na + j] == v->deg) red = j;
        if (red < 0)
            return sl__fail(ctx, SL_ERR_UNSUPPORTED,
                            "%s: k = %d >= degree %d needs a pure power z_j^%d in the polynomial (basis reduction)", who, k,
                            v->deg, v->deg);
    }
    int nk = monomials(na, k, red, v->deg, NULL);
    if (nk > 1024) return sl__fail(ctx, SL_ERR_ARG, "%s: k = %d gives %d sections (at most 1024)", who, k, nk);
    sl_cy_algebraic *m = sl__alloc(ctx, sizeof *m, 1, who);
    if (!m) return SL_ERR_NOMEM;
    m->ctx = ctx;
    m->v = v;
    m->k = k;
    m->nk = nk;
    m->namb = na;
    m->mons = sl__alloc(ctx, sizeof(int) * (size_t)(nk * na), 0, who);
    m->h = sl__alloc(ctx, sizeof(cplx) * (size_t)(nk * nk), 1, who);
    int64_t np = o.points ? o.points : 10 * (int64_t)nk * nk + 50000;
    sl_cy_points *p = NULL;
    cplx *S = sl__alloc(ctx, sizeof(cplx) * (size_t)(CHUNK * nk), 0, who);
    cplx *U = sl__alloc(ctx, sizeof(cplx) * (size_t)(CHUNK * nk), 0, who);
    cplx *T = sl__alloc(ctx, sizeof(cplx) * (size_t)(nk * nk), 0, who);
    cplx *L = sl__alloc(ctx, sizeof(cplx) * (size_t)(nk * nk), 0, who);
    cplx *Ti = sl__alloc(ctx, sizeof(cplx) * (size_t)(nk * nk), 0, who);
    sl_status st = SL_OK;
    if (!m->mons || !m->h || !S || !U || !T || !L || !Ti) {
        st = SL_ERR_NOMEM;
        goto done;
    }
    monomials(na, k, red, v->deg, m->mons);
    for (int a = 0; a < nk; a++) m->h[a * nk + a] = 1;
    if (o.iters == 0) goto done;   /* H = 1: no points needed */
    st = sl_cy_sample(v, np, o.stream, &p);
    if (st != SL_OK) {
        st = sl__rewho(ctx, st, who);
        goto done;
    }
    double vcy = 0;
    for (int64_t i = 0; i < np; i++) vcy += p->w[i];
    vcy /= (double)np;
    for (int it = 0; it < o.iters; it++) {
        for (int a = 0; a < nk * nk; a++) T[a] = 0;
        for (int64_t c0 = 0; c0 < np; c0 += CHUNK) {
            int rows = (int)(np - c0 < CHUNK ? np - c0 : CHUNK);
            for (int r = 0; r < rows; r++) {
                sections(m, p->z + (c0 + r) * na, S + (size_t)r * nk, NULL);
                for (int a = 0; a < nk; a++) S[(size_t)r * nk + a] = conj(S[(size_t)r * nk + a]);
            }
            apply_h(m->h, nk, rows, S, U);   /* U_r = H conj(s_r) */
            for (int r = 0; r < rows; r++) {
                const cplx *sc = S + (size_t)r * nk;
                cplx *u = U + (size_t)r * nk;
                double inner = 0;
                for (int a = 0; a < nk; a++) inner += creal(conj(sc[a]) * u[a]);
                double f = p->w[c0 + r] / inner;
                for (int a = 0; a < nk; a++) u[a] = f * conj(sc[a]);   /* f s_r */
            }
            /* T^T (column-major) += S^T-rows: T_ab = sum_r f s_a conj(s_b) */
            const sl_blas_int n = nk, rr = rows;
            const cplx one = 1;
            zgemm_("N", "T", &n, &n, &rr, &one, S, &n, U, &n, &one, T, &n, 1, 1);
        }
        /* T (row-major view) = sum f s_a conj(s_b); scale */
        const double sc = (double)nk / ((double)np * vcy);
        for (int a = 0; a < nk * nk; a++) T[a] *= sc;
        if (herm_inverse(nk, T, Ti, L) != 0) {
            st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: T-operator not positive definite at iteration %d", who, it);
            goto done;
        }
        for (int a = 0; a < nk; a++)
            for (int b = 0; b < nk; b++) m->h[a * nk + b] = Ti[b * nk + a];   /* H = (T^-1)^T */
    }
done:
    sl_cy_points_destroy(p);
    sl__free(ctx, S);
    sl__free(ctx, U);
    sl__free(ctx, T);
    sl__free(ctx, L);
    sl__free(ctx, Ti);
    if (st != SL_OK) {
        sl_cy_algebraic_destroy(m);
        return st;
    }
    *out = m;
    return SL_OK;
}

sl_status sl_cy_algebraic_metric(const sl_cy_algebraic *m, const sl_cy_points *p, double *g, double *det)
{
    const char *who = "sl_cy_algebraic_metric";
    if (!m || !p) return m ? sl__fail(m->ctx, SL_ERR_NULL, "%s: p is NULL", who) : SL_ERR_NULL;
    sl_ctx *ctx = m->ctx;
    if (!g && !det) return sl__fail(ctx, SL_ERR_NULL, "%s: g and det are NULL", who);
    if (p->namb != m->namb) return sl__fail(ctx, SL_ERR_ARG, "%s: points of another variety", who);
    const int na = m->namb, d = p->dim, nk = m->nk, nv = d + 1;
    cplx *X = sl__alloc(ctx, sizeof(cplx) * (size_t)(CHUNK * nv * nk), 0, who);
    cplx *Y = sl__alloc(ctx, sizeof(cplx) * (size_t)(CHUNK * nv * nk), 0, who);
    cplx *ds = sl__alloc(ctx, sizeof(cplx) * (size_t)(na * nk), 0, who);
    cplx *s = sl__alloc(ctx, sizeof(cplx) * (size_t)nk, 0, who);
    if (!X || !Y || !ds || !s) {
        sl__free(ctx, X), sl__free(ctx, Y), sl__free(ctx, ds), sl__free(ctx, s);
        return SL_ERR_NOMEM;
    }
    const double kp = 1.0 / (m->k * M_PI);
    for (int64_t c0 = 0; c0 < p->n; c0 += CHUNK) {
        int rows = (int)(p->n - c0 < CHUNK ? p->n - c0 : CHUNK);
        for (int r = 0; r < rows; r++) {
            const cplx *J = p->jac + (c0 + r) * d * na;
            sections(m, p->z + (c0 + r) * na, s, ds);
            cplx *x = X + (size_t)r * nv * nk;   /* rows: s, d_0 s, ..., d_{d-1} s (chart derivatives) */
            memcpy(x, s, sizeof(cplx) * (size_t)nk);
            for (int a = 0; a < d; a++) {
                cplx *xa = x + (size_t)(a + 1) * nk;
                for (int b = 0; b < nk; b++) xa[b] = 0;
                for (int i = 0; i < na; i++) {
                    cplx jai = J[a * na + i];
                    if (jai == 0) continue;
                    for (int b = 0; b < nk; b++) xa[b] += jai * ds[i * nk + b];
                }
            }
            for (int b = 0; b < nv * nk; b++) x[b] = conj(x[b]);
        }
        apply_h(m->h, nk, rows * nv, X, Y);   /* Y = H conj(x) */
        for (int r = 0; r < rows; r++) {
            const cplx *x = X + (size_t)r * nv * nk, *y = Y + (size_t)r * nv * nk;
            /* psi = s^T H conj(s); k1_a = d_a s^T H conj(s); k2_ab = d_a s^T H conj(d_b s) */
            cplx M[(SL_CY_MAX_AMB) * (SL_CY_MAX_AMB)];
            for (int a = 0; a < nv; a++)
                for (int b = 0; b < nv; b++) {
                    cplx acc = 0;
                    const cplx *xa = x + (size_t)a * nk, *yb = y + (size_t)b * nk;
                    for (int c = 0; c < nk; c++) acc += conj(xa[c]) * yb[c];
                    M[a * nv + b] = acc;
                }
            double psi = creal(M[0]);
            cplx gg[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                    gg[a * d + b] = kp * (M[(a + 1) * nv + b + 1] / psi - M[(a + 1) * nv] * conj(M[(b + 1) * nv]) / (psi * psi));
            if (g) memcpy(g + 2 * (c0 + r) * d * d, gg, sizeof(cplx) * (size_t)(d * d));
            if (det) det[c0 + r] = sl__cy_det(d, gg);
        }
    }
    sl__free(ctx, X), sl__free(ctx, Y), sl__free(ctx, ds), sl__free(ctx, s);
    return SL_OK;
}

sl_status sl_cy_algebraic_potential(const sl_cy_algebraic *m, int64_t n, const double *zr, double *K, double *G)
{
    const char *who = "sl_cy_algebraic_potential";
    if (!m) return SL_ERR_NULL;
    sl_ctx *ctx = m->ctx;
    if (!zr || (!K && !G)) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !zr ? "z" : "K and G");
    if (n < 0 || n > ((int64_t)1 << 31)) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld", who, (long long)n);
    const int na = m->namb, nk = m->nk;
    cplx *s = sl__alloc(ctx, sizeof(cplx) * (size_t)(nk * (na + 1)), 0, who);
    cplx *hs = sl__alloc(ctx, sizeof(cplx) * (size_t)(nk * (na + 1)), 0, who);
    if (!s || !hs) {
        sl__free(ctx, s), sl__free(ctx, hs);
        return SL_ERR_NOMEM;
    }
    const double kp = 1.0 / (m->k * M_PI);
    for (int64_t i = 0; i < n; i++) {
        cplx z[SL_CY_MAX_AMB];
        memcpy(z, zr + 2 * i * na, sizeof(cplx) * (size_t)na);
        sections(m, z, s, s + nk);
        for (int b = 0; b < nk * (na + 1); b++) s[b] = conj(s[b]);
        apply_h(m->h, nk, na + 1, s, hs);
        cplx M[(SL_CY_MAX_AMB + 1) * (SL_CY_MAX_AMB + 1)] = {0};
        const int nv = na + 1;
        for (int a = 0; a < nv; a++)
            for (int b = 0; b < nv; b++) {
                cplx acc = 0;
                for (int c = 0; c < nk; c++) acc += conj(s[a * nk + c]) * hs[b * nk + c];
                M[a * nv + b] = acc;
            }
        double psi = creal(M[0]);
        if (!(psi > 0)) {
            sl__free(ctx, s), sl__free(ctx, hs);
            return sl__fail(ctx, SL_ERR_NUMERIC, "%s: point %lld: s^T H conj(s) = %g (must be > 0)", who, (long long)i, psi);
        }
        if (K) K[i] = kp * log(psi);
        if (G)
            for (int a = 0; a < na; a++)
                for (int b = 0; b < na; b++) {
                    cplx v = kp * (M[(a + 1) * nv + b + 1] / psi - M[(a + 1) * nv] * conj(M[(b + 1) * nv]) / (psi * psi));
                    G[2 * ((i * na + a) * na + b)] = creal(v);
                    G[2 * ((i * na + a) * na + b) + 1] = cimag(v);
                }
    }
    sl__free(ctx, s), sl__free(ctx, hs);
    return SL_OK;
}

sl_status sl__cy_algebraic_with_h(const sl_cy_variety *v, int k, const double *h, int64_t nh, sl_cy_algebraic **out)
{
    sl_cy_donaldson_opts o = DON_DEFAULTS;
    o.iters = 0;
    sl_status st = sl_cy_donaldson(v, k, &o, out);
    if (st != SL_OK) return st;
    if (nh != (int64_t)(*out)->nk * (*out)->nk) {
        int nk = (*out)->nk;
        sl_cy_algebraic_destroy(*out);
        *out = NULL;
        return sl__fail(v->ctx, SL_ERR_ARG, "H has %lld entries (k = %d gives %d x %d)", (long long)nh, k, nk, nk);
    }
    memcpy((*out)->h, h, sizeof(cplx) * (size_t)nh);
    return SL_OK;
}

int sl__cy_algebraic_k(const sl_cy_algebraic *m) { return m->k; }
const int *sl__cy_algebraic_monomials(const sl_cy_algebraic *m) { return m->mons; }
