/* Points on a hypersurface in P^n: random lines, patches, elimination
 * coordinates, pullback Jacobians, Omega and Monte Carlo weights (cymetric
 * pointgen/pointgen.py; Shiffman-Zelditch for the weights; conventions in
 * include/symlearn/cy.h and docs/calabi-yau.md). */
#include "cy_internal.h"

#include <math.h>

sl_cy_points *sl__cy_points_alloc(const sl_cy_variety *v, int64_t n, const char *who)
{
    sl_ctx *ctx = v->ctx;
    sl_cy_points *p = sl__alloc(ctx, sizeof *p, 1, who);
    if (!p) return NULL;
    p->ctx = ctx;
    p->v = v;
    p->namb = v->namb;
    p->dim = v->dim;
    p->deg = v->deg;
    p->n = n;
    size_t nn = (size_t)(n > 0 ? n : 1);
    p->z = sl__alloc(ctx, sizeof(cplx) * nn * (size_t)v->namb, 0, who);
    p->jac = sl__alloc(ctx, sizeof(cplx) * nn * (size_t)(v->namb * v->dim), 0, who);
    p->patch = sl__alloc(ctx, sizeof(int) * nn, 0, who);
    p->elim = sl__alloc(ctx, sizeof(int) * nn, 0, who);
    p->om2 = sl__alloc(ctx, sizeof(double) * nn, 0, who);
    p->w = sl__alloc(ctx, sizeof(double) * nn, 0, who);
    if (!p->z || !p->jac || !p->patch || !p->elim || !p->om2 || !p->w) {
        sl_cy_points_destroy(p);
        return NULL;
    }
    p->kappa = NAN;
    return p;
}

void sl_cy_points_destroy(sl_cy_points *p)
{
    if (!p) return;
    sl_ctx *ctx = p->ctx;
    sl__free(ctx, p->z);
    sl__free(ctx, p->jac);
    sl__free(ctx, p->patch);
    sl__free(ctx, p->elim);
    sl__free(ctx, p->om2);
    sl__free(ctx, p->w);
    sl__free(ctx, p);
}

sl_status sl__cy_point_fill(sl_cy_points *p, int64_t i, const cplx *zin, int patch, int elim, const char *who)
{
    const sl_cy_variety *v = p->v;
    const int na = p->namb, d = p->dim;
    cplx z[SL_CY_MAX_AMB], dq[SL_CY_MAX_AMB];
    if (patch < 0) {
        double best = -1;
        for (int j = 0; j < na; j++) {
            double a = creal(zin[j]) * creal(zin[j]) + cimag(zin[j]) * cimag(zin[j]);
            if (a > best) best = a, patch = j;
        }
    }
    if (zin[patch] == 0)
        return sl__fail(p->ctx, SL_ERR_NUMERIC, "%s: point %lld: patch coordinate %d is zero", who, (long long)i, patch);
    for (int j = 0; j < na; j++) z[j] = zin[j] / zin[patch];
    z[patch] = 1.0;
    sl__cy_eval(v, z, dq);
    if (elim < 0) {
        double best = -1;
        for (int j = 0; j < na; j++) {
            if (j == patch) continue;
            double a = cabs(dq[j]);
            if (a > best) best = a, elim = j;
        }
    }
    double gscale = 1e-12 * v->coef_abs * v->deg;
    if (!(cabs(dq[elim]) > gscale))
        return sl__fail(p->ctx, SL_ERR_NUMERIC,
                        "%s: point %lld is singular for its elimination coordinate %d: |dQ/dz_%d| = %.3g", who,
                        (long long)i, elim, elim, cabs(dq[elim]));
    memcpy(p->z + i * na, z, sizeof(cplx) * (size_t)na);
    p->patch[i] = patch;
    p->elim[i] = elim;
    cplx *J = p->jac + i * d * na;
    for (int k = 0; k < d * na; k++) J[k] = 0;
    int a = 0;
    for (int j = 0; j < na; j++) {
        if (j == patch || j == elim) continue;
        J[a * na + j] = 1.0;
        J[a * na + elim] = -dq[j] / dq[elim];
        a++;
    }
    double ad = cabs(dq[elim]);
    p->om2[i] = 1.0 / (ad * ad);
    return SL_OK;
}

void sl__cy_points_weigh(sl_cy_points *p)
{
    const int na = p->namb, d = p->dim;
    double sum = 0;
    for (int64_t i = 0; i < p->n; i++) {
        cplx G[SL_CY_MAX_AMB * SL_CY_MAX_AMB], g[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
        sl__cy_fs_ambient(na, p->z + i * na, 1.0, G);
        sl__cy_pullback(d, na, p->jac + i * d * na, G, g);
        double det = sl__cy_det(d, g);
        p->w[i] = p->deg * p->om2[i] / det;
        sum += p->w[i];
    }
    p->kappa = p->deg / (sum / (double)p->n);
}

/* coefficients c[0..deg] of Q(a + t b) in t */
static void line_poly(const sl_cy_variety *v, const cplx *a, const cplx *b, cplx *c)
{
    const int na = v->namb, deg = v->deg;
    for (int k = 0; k <= deg; k++) c[k] = 0;
    for (int64_t t = 0; t < v->nterms; t++) {
        const int *e = v->exps + t * na;
        cplx P[65] = {0};
        int dp = 0;
        P[0] = v->coef[t];
        for (int i = 0; i < na; i++)
            for (int r = 0; r < e[i]; r++) {   /* P *= (a_i + t b_i) */
                P[dp + 1] = 0;
                for (int k = dp + 1; k >= 1; k--) P[k] = P[k] * a[i] + P[k - 1] * b[i];
                P[0] *= a[i];
                dp++;
            }
        for (int k = 0; k <= deg; k++) c[k] += P[k];
    }
}

sl_status sl_cy_sample(const sl_cy_variety *v, int64_t n, uint64_t stream, sl_cy_points **out)
{
    const char *who = "sl_cy_sample";
    if (!v) return SL_ERR_NULL;
    sl_ctx *ctx = v->ctx;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (n < 1 || n > ((int64_t)1 << 31))
        return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld (must be 1..2^31)", who, (long long)n);
    sl_cy_points *p = sl__cy_points_alloc(v, n, who);
    if (!p) return SL_ERR_NOMEM;
    const int na = v->namb, deg = v->deg;
    const uint64_t seed = sl_ctx_seed(ctx) + stream;
    int64_t got = 0, lines = 0, maxlines = 2 * (n / deg) + 1000;
    double nrm[4 * SL_CY_MAX_AMB];
    while (got < n && lines < maxlines) {
        uint64_t l = (uint64_t)lines++;
        sl_rng_fill_normal(seed, (uint64_t)(4 * na) * l, (size_t)(4 * na), 0.0, 1.0, nrm);
        cplx a[SL_CY_MAX_AMB], b[SL_CY_MAX_AMB], c[65], t[64];
        for (int h = 0; h < 2; h++) {
            double s = 0;
            for (int j = 0; j < 2 * na; j++) s += nrm[2 * na * h + j] * nrm[2 * na * h + j];
            s = sqrt(s);
            for (int j = 0; j < na; j++) {
                cplx x = CMPLX(nrm[2 * na * h + 2 * j] / s, nrm[2 * na * h + 2 * j + 1] / s);
                if (h == 0) a[j] = x;
                else b[j] = x;
            }
        }
        line_poly(v, a, b, c);
        if (sl__cy_poly_roots(deg, c, t) != 0) continue;
        for (int r = 0; r < deg && got < n; r++) {
            cplx tt = t[r], u[SL_CY_MAX_AMB], gq[SL_CY_MAX_AMB];
            for (int it = 0; it < 2; it++) {   /* Newton on Q along the line */
                for (int j = 0; j < na; j++) u[j] = a[j] + tt * b[j];
                cplx q = sl__cy_eval(v, u, gq), dq = 0;
                for (int j = 0; j < na; j++) dq += b[j] * gq[j];
                if (dq != 0) tt -= q / dq;
            }
            for (int j = 0; j < na; j++) u[j] = a[j] + tt * b[j];
            if (sl__cy_point_fill(p, got, u, -1, -1, who) != SL_OK) {
                sl_ctx_clear_error(ctx);
                continue;
            }
            got++;
        }
    }
    if (got < n) {
        sl_cy_points_destroy(p);
        return sl__fail(ctx, SL_ERR_NUMERIC, "%s: only %lld of %lld points after %lld lines", who, (long long)got,
                        (long long)n, (long long)lines);
    }
    sl__cy_points_weigh(p);
    *out = p;
    return SL_OK;
}

sl_status sl_cy_points_from_coords(const sl_cy_variety *v, int64_t n, const double *zr, const int *patch,
                                   const int *elim, sl_cy_points **out)
{
    const char *who = "sl_cy_points_from_coords";
    if (!v) return SL_ERR_NULL;
    sl_ctx *ctx = v->ctx;
    if (!out || !zr) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !out ? "out" : "z");
    *out = NULL;
    if (n < 1 || n > ((int64_t)1 << 31))
        return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld (must be 1..2^31)", who, (long long)n);
    const int na = v->namb;
    int64_t bad = sl__first_nonfinite(zr, (size_t)(2 * n * na));
    if (bad >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: z of point %lld is not finite", who, (long long)(bad / (2 * na)));
    for (int64_t i = 0; i < n; i++) {
        int pa = patch ? patch[i] : -1, el = elim ? elim[i] : -1;
        if ((patch && (pa < 0 || pa >= na)) || (elim && (el < 0 || el >= na)) || (patch && elim && pa == el))
            return sl__fail(ctx, SL_ERR_ARG, "%s: point %lld: patch %d, elimination %d (must differ, in 0..%d)", who,
                            (long long)i, pa, el, na - 1);
    }
    sl_cy_points *p = sl__cy_points_alloc(v, n, who);
    if (!p) return SL_ERR_NOMEM;
    for (int64_t i = 0; i < n; i++) {
        cplx z[SL_CY_MAX_AMB];
        memcpy(z, zr + 2 * i * na, sizeof(cplx) * (size_t)na);
        int pa = patch ? patch[i] : -1, el = elim ? elim[i] : -1;
        if (pa < 0) {
            double best = -1;
            for (int j = 0; j < na; j++)
                if (cabs(z[j]) > best) best = cabs(z[j]), pa = j;
        }
        if (el == pa) {
            sl_cy_points_destroy(p);
            return sl__fail(ctx, SL_ERR_ARG, "%s: point %lld: elimination coordinate %d is its patch", who,
                            (long long)i, el);
        }
        if (z[pa] == 0) {
            sl_cy_points_destroy(p);
            return sl__fail(ctx, SL_ERR_NUMERIC, "%s: point %lld: patch coordinate %d is zero", who, (long long)i, pa);
        }
        cplx zn[SL_CY_MAX_AMB];
        for (int j = 0; j < na; j++) zn[j] = z[j] / z[pa];
        double q = cabs(sl__cy_eval(v, zn, NULL));
        if (!(q <= 1e-8 * (1 + v->coef_abs))) {
            sl_cy_points_destroy(p);
            return sl__fail(ctx, SL_ERR_ARG, "%s: point %lld is not on the variety: |Q(z / z_%d)| = %.3g", who,
                            (long long)i, pa, q);
        }
        sl_status st = sl__cy_point_fill(p, i, z, pa, el, who);
        if (st != SL_OK) {
            sl_cy_points_destroy(p);
            return st;
        }
    }
    sl__cy_points_weigh(p);
    *out = p;
    return SL_OK;
}

sl_status sl_cy_points_subset(const sl_cy_points *p, int64_t start, int64_t count, sl_cy_points **out)
{
    const char *who = "sl_cy_points_subset";
    if (!p) return SL_ERR_NULL;
    if (!out) return sl__fail(p->ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (start < 0 || count < 1 || start > p->n || count > p->n - start)
        return sl__fail(p->ctx, SL_ERR_ARG, "%s: start %lld, count %lld (of %lld points)", who, (long long)start,
                        (long long)count, (long long)p->n);
    sl_cy_points *q = sl__cy_points_alloc(p->v, count, who);
    if (!q) return SL_ERR_NOMEM;
    const size_t na = (size_t)p->namb, dn = (size_t)(p->dim * p->namb), c = (size_t)count;
    memcpy(q->z, p->z + start * (int64_t)na, sizeof(cplx) * na * c);
    memcpy(q->jac, p->jac + start * (int64_t)dn, sizeof(cplx) * dn * c);
    memcpy(q->patch, p->patch + start, sizeof(int) * c);
    memcpy(q->elim, p->elim + start, sizeof(int) * c);
    memcpy(q->om2, p->om2 + start, sizeof(double) * c);
    memcpy(q->w, p->w + start, sizeof(double) * c);
    q->kappa = p->kappa;
    *out = q;
    return SL_OK;
}

int64_t sl_cy_points_count(const sl_cy_points *p) { return p ? p->n : 0; }
double sl_cy_points_kappa(const sl_cy_points *p) { return p ? p->kappa : NAN; }

#define GETTER(name, arg, src, bytes)                                                            \
    sl_status name(const sl_cy_points *p, double *arg)                                           \
    {                                                                                            \
        if (!p) return SL_ERR_NULL;                                                              \
        if (!arg) return sl__fail(p->ctx, SL_ERR_NULL, "%s: %s is NULL", #name, #arg);           \
        memcpy(arg, src, (size_t)(bytes));                                                       \
        return SL_OK;                                                                            \
    }
GETTER(sl_cy_points_coords, z, p->z, sizeof(cplx) * (size_t)(p->n * p->namb))
GETTER(sl_cy_points_jacobian, jac, p->jac, sizeof(cplx) * (size_t)(p->n * p->namb * p->dim))
GETTER(sl_cy_points_omega2, omega2, p->om2, sizeof(double) * (size_t)p->n)
GETTER(sl_cy_points_weights, w, p->w, sizeof(double) * (size_t)p->n)

sl_status sl_cy_points_charts(const sl_cy_points *p, int *patch, int *elim)
{
    if (!p) return SL_ERR_NULL;
    if (!patch && !elim) return sl__fail(p->ctx, SL_ERR_NULL, "sl_cy_points_charts: patch and elim are NULL");
    if (patch) memcpy(patch, p->patch, sizeof(int) * (size_t)p->n);
    if (elim) memcpy(elim, p->elim, sizeof(int) * (size_t)p->n);
    return SL_OK;
}
