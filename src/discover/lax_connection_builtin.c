/* Analytic Lax connections of 1+1D field theories, in the zero-curvature
 * form D_t L_x - D_x L_t + [L_x, L_t] = 0 (Zakharov, Shabat, Funct. Anal.
 * Appl. 8 (1974) 226; Ablowitz, Kaup, Newell, Segur, Stud. Appl. Math. 53
 * (1974) 249):
 *  - KdV u_t = -6 u u_x - u_xxx: AKNS with q = u, r = -1 and zeta = i k
 *    (real k); L_t solved for as the general polynomial of degree 3 in k
 *    (unique for this L_x).
 *  - the Heisenberg ferromagnet S_t = S x S_xx (Faddeev, Takhtajan,
 *    "Hamiltonian methods in the theory of solitons", Springer 1987, Part II
 *    ch. I §1: U = lambda S.sigma / (2i), V = lambda^2 S.sigma / (2i) + ...)
 *    mapped by su(2) -> so(3) to real 3 x 3 matrices, T(v) w = v x w. */
#include "lax_internal.h"

#include <math.h>

sl_status sl_lax_connection_builtin_create(sl_ctx *ctx, int kind, sl_lax_connection_builtin **out)
{
    const char *who = "sl_lax_connection_builtin_create";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (kind != SL_LAX_KDV && kind != SL_LAX_HEISENBERG)
        return sl__fail(ctx, SL_ERR_ARG, "%s: kind = %d (must be SL_LAX_KDV or SL_LAX_HEISENBERG)", who, kind);
    sl_lax_connection_builtin *b = sl__alloc(ctx, sizeof *b, 1, who);
    if (!b) return SL_ERR_NOMEM;
    b->ctx = ctx, b->kind = kind;
    if (kind == SL_LAX_KDV) b->nf = 1, b->K = 2, b->J = 5, b->n = 2;
    else b->nf = 3, b->K = 1, b->J = 3, b->n = 3;
    *out = b;
    return SL_OK;
}

void sl_lax_connection_builtin_destroy(sl_lax_connection_builtin *b)
{
    if (b) sl__free(b->ctx, b);
}

int64_t sl_lax_connection_builtin_fields(const sl_lax_connection_builtin *b) { return b ? b->nf : 0; }
int64_t sl_lax_connection_builtin_order(const sl_lax_connection_builtin *b) { return b ? b->K : -1; }
int64_t sl_lax_connection_builtin_jet_order(const sl_lax_connection_builtin *b) { return b ? b->J : -1; }
int64_t sl_lax_connection_builtin_size(const sl_lax_connection_builtin *b) { return b ? b->n : 0; }

static void cross(const double *a, const double *b, double *c)
{
    c[0] = a[1] * b[2] - a[2] * b[1], c[1] = a[2] * b[0] - a[0] * b[2], c[2] = a[0] * b[1] - a[1] * b[0];
}

int sl_lax_connection_builtin_pde(void *builtin, const double *jet, int64_t jet_len, double *zt, int64_t d)
{
    const sl_lax_connection_builtin *b = builtin;
    if (!b || !jet || !zt || jet_len != b->nf * (b->J + 1) || d != b->nf * (b->K + 1)) return 1;
    const double *u = jet;
    if (b->kind == SL_LAX_KDV) {
        /* D_x^k of -6 u u1 - u3, k = 0, 1, 2 */
        zt[0] = -6 * u[0] * u[1] - u[3];
        zt[1] = -6 * (u[1] * u[1] + u[0] * u[2]) - u[4];
        zt[2] = -6 * (3 * u[1] * u[2] + u[0] * u[3]) - u[5];
    } else {
        /* S x S2 and its x-derivative S1 x S2 + S x S3 */
        double c1[3], c2[3];
        cross(u, u + 6, zt);
        cross(u + 3, u + 6, c1);
        cross(u, u + 9, c2);
        for (int a = 0; a < 3; ++a) zt[3 + a] = c1[a] + c2[a];
    }
    return 0;
}

/* Taylor coefficients (c_k = f^(k)(0) / k!) of sin a and cos a for a series a. */
static void sincos_series(const double *a, int64_t J, double *s, double *c)
{
    s[0] = sin(a[0]), c[0] = cos(a[0]);
    for (int64_t k = 1; k <= J; ++k) {
        double ss = 0, cc = 0;
        for (int64_t j = 1; j <= k; ++j) ss += (double)j * a[j] * c[k - j], cc -= (double)j * a[j] * s[k - j];
        s[k] = ss / (double)k, c[k] = cc / (double)k;
    }
}

static void mul_series(const double *a, const double *b, int64_t J, double *c)
{
    for (int64_t k = 0; k <= J; ++k) {
        double t = 0;
        for (int64_t j = 0; j <= k; ++j) t += a[j] * b[k - j];
        c[k] = t;
    }
}

sl_status sl_lax_connection_builtin_sample(const sl_lax_connection_builtin *b, int64_t m, uint64_t seed, double *jets)
{
    const char *who = "sl_lax_connection_builtin_sample";
    if (!b) return SL_ERR_NULL;
    if (!jets) return sl__fail(b->ctx, SL_ERR_NULL, "%s: jets is NULL", who);
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(b->ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    int64_t len = b->nf * (b->J + 1);
    if (b->kind == SL_LAX_KDV) {
        sl_rng_fill_uniform(seed, 0, (size_t)(m * len), -1, 1, jets);
        return SL_OK;
    }
    int64_t J = b->J;
    double r[2 * 8], th[8], ph[8], st[8], ct[8], sp[8], cp[8], sx[8], sy[8];
    for (int64_t i = 0; i < m; ++i) {
        sl_rng_fill_uniform(seed, (uint64_t)(i * 2 * (J + 1)), (size_t)(2 * (J + 1)), -1, 1, r);
        double fact = 1;
        for (int64_t k = 0; k <= J; ++k) {
            if (k) fact *= (double)k;
            th[k] = r[k] / fact, ph[k] = r[J + 1 + k] / fact;   /* derivatives uniform in [-1, 1] */
        }
        th[0] = 1.5707963267948966 + 1.2 * r[0];                /* away from the poles */
        ph[0] = 3.141592653589793 * r[J + 1];
        sincos_series(th, J, st, ct);
        sincos_series(ph, J, sp, cp);
        mul_series(st, cp, J, sx);
        mul_series(st, sp, J, sy);
        fact = 1;
        for (int64_t k = 0; k <= J; ++k) {
            if (k) fact *= (double)k;
            double *o = jets + i * len + 3 * k;
            o[0] = fact * sx[k], o[1] = fact * sy[k], o[2] = fact * ct[k];
        }
    }
    return SL_OK;
}

/* L_x, L_t at one jet z (order K) and lambda (either output may be NULL). */
static void connection_at(const sl_lax_connection_builtin *b, const double *z, double k, double *lx, double *lt)
{
    if (b->kind == SL_LAX_KDV) {
        double u = z[0], u1 = z[1], u2 = z[2], a = 4 * k * k * k + 2 * k * u - u1;
        if (lx) lx[0] = -k, lx[1] = u, lx[2] = -1, lx[3] = k;
        if (lt) lt[0] = a, lt[1] = -4 * k * k * u + 2 * k * u1 - 2 * u * u - u2, lt[2] = 4 * k * k + 2 * u, lt[3] = -a;
        return;
    }
    double v[3], w[3];
    cross(z, z + 3, w);
    for (int a = 0; a < 3; ++a) v[a] = -k * k * z[a] + k * w[a];
    /* T(v) = (0, -v3, v2; v3, 0, -v1; -v2, v1, 0) */
    if (lx) {
        lx[0] = 0, lx[1] = -k * z[2], lx[2] = k * z[1];
        lx[3] = k * z[2], lx[4] = 0, lx[5] = -k * z[0];
        lx[6] = -k * z[1], lx[7] = k * z[0], lx[8] = 0;
    }
    if (lt) {
        lt[0] = 0, lt[1] = -v[2], lt[2] = v[1];
        lt[3] = v[2], lt[4] = 0, lt[5] = -v[0];
        lt[6] = -v[1], lt[7] = v[0], lt[8] = 0;
    }
}

sl_status sl_lax_connection_builtin_eval(const sl_lax_connection_builtin *b, int64_t m, const double *z,
                                         const double *lambda, double *lx, double *lt)
{
    const char *who = "sl_lax_connection_builtin_eval";
    if (!b) return SL_ERR_NULL;
    if (!z || !lambda) return sl__fail(b->ctx, SL_ERR_NULL, "%s: %s is NULL", who, z ? "lambda" : "z");
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(b->ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    int64_t d = b->nf * (b->K + 1), nn = b->n * b->n;
    int64_t bad = sl__first_nonfinite(z, (size_t)(m * d));
    if (bad >= 0) return sl__fail(b->ctx, SL_ERR_NONFINITE, "%s: z[%lld] = %g is not finite", who, (long long)bad, z[bad]);
    if ((bad = sl__first_nonfinite(lambda, (size_t)m)) >= 0)
        return sl__fail(b->ctx, SL_ERR_NONFINITE, "%s: lambda[%lld] = %g is not finite", who, (long long)bad, lambda[bad]);
    for (int64_t i = 0; i < m; ++i) connection_at(b, z + i * d, lambda[i], lx ? lx + i * nn : NULL, lt ? lt + i * nn : NULL);
    return SL_OK;
}

/* ---- As graph expressions ---------------------------------------------------------------- */

static sl_node *col(sl_graph *g, sl_node *x, int64_t j) { return sl_graph_slice(g, x, 1, j, j + 1, 1); }

/* (B, N, N) from N^2 entries (B, 1); NULL entries are 0. */
static sl_node *assemble(sl_graph *g, int64_t B, int64_t n, sl_node **e)
{
    sl_node *zero = sl_graph_full(g, SL_F64, 2, (int64_t[]){B, 1}, 0, 0);
    for (int64_t i = 0; i < n * n; ++i)
        if (!e[i]) e[i] = zero;
    return sl_graph_reshape(g, sl_graph_concat(g, (int)(n * n), e, 1), 3, (int64_t[]){B, n, n});
}

/* T(v) of three (B, 1) nodes into e[9] */
static void so3(sl_graph *g, sl_node *const *v, sl_node **e)
{
    e[0] = e[4] = e[8] = NULL;
    e[1] = sl_graph_neg(g, v[2]), e[2] = v[1];
    e[3] = v[2], e[5] = sl_graph_neg(g, v[0]);
    e[6] = sl_graph_neg(g, v[1]), e[7] = v[0];
}

sl_node *sl_lax_connection_builtin_graph(const sl_lax_connection_builtin *b, sl_graph *g, sl_node *x, sl_node **ltout)
{
    const char *who = "sl_lax_connection_builtin_graph";
    if (ltout) *ltout = NULL;
    if (!b) {
        if (g && !g->status) sl__gfail(g, SL_ERR_NULL, "%s: b is NULL", who);
        return NULL;
    }
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    int64_t d = b->nf * (b->K + 1);
    if (x->dtype != SL_F64 || x->rank != 2 || x->shape[1] != d + 1) {
        char buf[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x is %s %s (must be f64 (B, %lld): the jet and lambda)", who,
                         sl__dtype_name(x->dtype), sl__shape_str(x, buf, sizeof buf), (long long)(d + 1));
    }
    sl_status before = g->status;
    int64_t B = x->shape[0];
    sl_node *k = col(g, x, d), *ex[9] = {0}, *et[9] = {0};
    if (b->kind == SL_LAX_KDV) {
        sl_node *u = col(g, x, 0), *u1 = col(g, x, 1), *u2 = col(g, x, 2);
        sl_node *k2 = sl_graph_square(g, k), *ku = sl_graph_mul(g, k, u);
        sl_node *a = sl_graph_sub(g, sl_graph_add(g, sl_graph_mul_scalar(g, sl_graph_mul(g, k2, k), 4),
                                                  sl_graph_mul_scalar(g, ku, 2)), u1);
        ex[0] = sl_graph_neg(g, k), ex[1] = u, ex[2] = sl_graph_full(g, SL_F64, 2, (int64_t[]){B, 1}, -1, 0), ex[3] = k;
        et[0] = a, et[3] = sl_graph_neg(g, a);
        et[1] = sl_graph_sub(g, sl_graph_sub(g, sl_graph_add(g, sl_graph_mul_scalar(g, sl_graph_mul(g, k2, u), -4),
                                                              sl_graph_mul_scalar(g, sl_graph_mul(g, k, u1), 2)),
                                             sl_graph_mul_scalar(g, sl_graph_square(g, u), 2)),
                             u2);
        et[2] = sl_graph_add(g, sl_graph_mul_scalar(g, k2, 4), sl_graph_mul_scalar(g, u, 2));
    } else {
        sl_node *s[3], *s1[3], *v[3], *w[3];
        for (int a = 0; a < 3; ++a) s[a] = col(g, x, a), s1[a] = col(g, x, 3 + a);
        for (int a = 0; a < 3; ++a) {
            int p = (a + 1) % 3, q = (a + 2) % 3;
            sl_node *c = sl_graph_sub(g, sl_graph_mul(g, s[p], s1[q]), sl_graph_mul(g, s[q], s1[p]));   /* (S x S1)_a */
            sl_node *ks = sl_graph_mul(g, k, s[a]);
            w[a] = ks;
            v[a] = sl_graph_sub(g, sl_graph_mul(g, k, c), sl_graph_mul(g, k, ks));
        }
        so3(g, w, ex);
        so3(g, v, et);
    }
    sl_node *lx = assemble(g, B, b->n, ex), *lt = assemble(g, B, b->n, et);
    sl__gwho(g, before, who, NULL);
    if (g->status) return NULL;
    if (ltout) *ltout = lt;
    return lx;
}
