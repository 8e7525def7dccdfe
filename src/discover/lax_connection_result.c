/* A learned Lax connection: the held-out zero-curvature check, evaluation
 * (features times weights, so D_x and D_t are exact), queries and the
 * printed polynomials. */
#include "lax_internal.h"

#include <math.h>

void sl_lax_connection_result_destroy(sl_lax_connection_result *r)
{
    if (!r) return;
    sl__free(r->ctx, r->mons);
    sl__free(r->ctx, r->weights);
    sl__free(r->ctx, r);
}

int64_t sl_lax_connection_result_size(const sl_lax_connection_result *r) { return r ? r->n : 0; }
int64_t sl_lax_connection_result_dim(const sl_lax_connection_result *r) { return r ? r->d : 0; }
int64_t sl_lax_connection_result_nweights(const sl_lax_connection_result *r)
{
    return r ? 2 * r->nfeat * r->n * r->n : 0;
}

double sl_lax_connection_result_loss(const sl_lax_connection_result *r, int term, int initial)
{
    if (!r || term < 0 || term >= SL_LAX_ZC_NTERMS) return NAN;
    return r->loss[initial ? 1 : 0][term];
}

double sl_lax_connection_result_residual(const sl_lax_connection_result *r) { return r ? r->residual : NAN; }
double sl_lax_connection_result_commutator(const sl_lax_connection_result *r) { return r ? r->commutator : NAN; }

sl_status sl_lax_connection_result_weights(const sl_lax_connection_result *r, double *out)
{
    if (!r) return SL_ERR_NULL;
    if (!out) return sl__fail(r->ctx, SL_ERR_NULL, "sl_lax_connection_result_weights: out is NULL");
    memcpy(out, r->weights, sizeof(double) * (size_t)sl_lax_connection_result_nweights(r));
    return SL_OK;
}

/* out (nn) = phi (F) . W (F x nn) */
static void contract(const double *phi, const double *W, int64_t F, int64_t nn, double *out)
{
    for (int64_t e = 0; e < nn; ++e) out[e] = 0;
    for (int64_t f = 0; f < F; ++f) {
        double p = phi[f];
        if (p == 0) continue;
        for (int64_t e = 0; e < nn; ++e) out[e] += p * W[f * nn + e];
    }
}

/* c = a b - b a + c0 (n x n) */
static void commutator(const double *a, const double *b, int64_t n, double *c)
{
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double s = 0;
            for (int64_t k = 0; k < n; ++k) s += a[i * n + k] * b[k * n + j] - b[i * n + k] * a[k * n + j];
            c[i * n + j] = s;
        }
}

/* Held-out figures at m jets (on the library's own evaluation, not the training graph). */
sl_status sl__lax_zc_check(sl_lax_connection_result *r, int64_t m, const double *z, const double *lam,
                           const double *zx, const double *zt)
{
    int64_t F = r->nfeat, n = r->n, nn = n * n;
    double *w = sl__alloc(r->ctx, sizeof(double) * (size_t)(3 * F + 5 * nn), 1, "sl_discover_lax_connection");
    if (!w) return SL_ERR_NOMEM;
    double *phi = w, *px = phi + F, *pt = px + F, *lx = pt + F, *lt = lx + nn, *a = lt + nn, *b = a + nn, *c = b + nn;
    const double *Wx = r->weights, *Wt = r->weights + F * nn;
    double szc = 0, sa = 0, sb = 0, sc = 0;
    for (int64_t i = 0; i < m; ++i) {
        sl__lax_zc_features(r, 1, z + i * r->d, lam + i, zx + i * r->d, zt + i * r->d, phi, px, pt);
        contract(phi, Wx, F, nn, lx);
        contract(phi, Wt, F, nn, lt);
        contract(pt, Wx, F, nn, a);   /* D_t L_x */
        contract(px, Wt, F, nn, b);   /* D_x L_t */
        commutator(lx, lt, n, c);
        for (int64_t e = 0; e < nn; ++e) {
            double res = a[e] - b[e] + c[e];
            szc += res * res, sa += a[e] * a[e], sb += b[e] * b[e], sc += c[e] * c[e];
        }
    }
    double den = sa + sb + sc;
    r->residual = den > 0 ? szc / den : NAN;
    r->commutator = den > 0 ? sc / den : NAN;
    sl__free(r->ctx, w);
    return SL_OK;
}

sl_status sl_lax_connection_result_eval(const sl_lax_connection_result *r, int64_t m, const double *z,
                                        const double *lambda, const double *zx, const double *zt, double *lx,
                                        double *lt, double *dt_lx, double *dx_lt)
{
    const char *who = "sl_lax_connection_result_eval";
    if (!r) return SL_ERR_NULL;
    if (!z || !lambda) return sl__fail(r->ctx, SL_ERR_NULL, "%s: %s is NULL", who, z ? "lambda" : "z");
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(r->ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    int want = dt_lx || dx_lt;
    if (want && (!zx || !zt))
        return sl__fail(r->ctx, SL_ERR_NULL, "%s: %s is NULL (needed for dt_lx and dx_lt)", who, zx ? "zt" : "zx");
    int64_t d = r->d, F = r->nfeat, nn = r->n * r->n;
    const double *arr[4] = {z, lambda, want ? zx : NULL, want ? zt : NULL};
    static const char *nm[4] = {"z", "lambda", "zx", "zt"};
    for (int k = 0; k < 4; ++k) {
        if (!arr[k]) continue;
        size_t cnt = (size_t)(k == 1 ? m : m * d);
        int64_t bad = sl__first_nonfinite(arr[k], cnt);
        if (bad >= 0)
            return sl__fail(r->ctx, SL_ERR_NONFINITE, "%s: %s[%lld] = %g is not finite", who, nm[k], (long long)bad,
                            arr[k][bad]);
    }
    double *w = sl__alloc(r->ctx, sizeof(double) * (size_t)(3 * F), 1, who);
    if (!w) return SL_ERR_NOMEM;
    const double *Wx = r->weights, *Wt = r->weights + F * nn;
    for (int64_t i = 0; i < m; ++i) {
        sl__lax_zc_features(r, 1, z + i * d, lambda + i, want ? zx + i * d : NULL, want ? zt + i * d : NULL, w,
                            want ? w + F : NULL, want ? w + 2 * F : NULL);
        if (lx) contract(w, Wx, F, nn, lx + i * nn);
        if (lt) contract(w, Wt, F, nn, lt + i * nn);
        if (dt_lx) contract(w + 2 * F, Wx, F, nn, dt_lx + i * nn);
        if (dx_lt) contract(w + F, Wt, F, nn, dx_lt + i * nn);
    }
    sl__free(r->ctx, w);
    return SL_OK;
}

/* One entry's polynomial: coefficients above rel of the largest of both matrices. */
static int print_entry(const sl_lax_connection_result *r, FILE *f, const double *W, int64_t e, double cut)
{
    int64_t nn = r->n * r->n, P = r->o.lambda_degree;
    int deg = r->o.degree, any = 0;
    for (int64_t k = 0; k < r->nmon; ++k)
        for (int64_t p = 0; p <= P; ++p) {
            double c = W[(k * (P + 1) + p) * nn + e];
            if (!(fabs(c) > cut)) continue;
            if (fprintf(f, " %+.4g", c) < 0) return -1;
            for (int i = 0; i < deg && r->mons[k * deg + i] >= 0; ++i) fprintf(f, " z%d", r->mons[k * deg + i]);
            if (p == 1) fprintf(f, " lam");
            else if (p > 1) fprintf(f, " lam^%d", (int)p);
            any = 1;
        }
    if (!any) fprintf(f, " 0");
    return 0;
}

sl_status sl_lax_connection_result_print(const sl_lax_connection_result *r, FILE *f)
{
    const char *who = "sl_lax_connection_result_print";
    if (!r) return SL_ERR_NULL;
    if (!f) return sl__fail(r->ctx, SL_ERR_NULL, "%s: f is NULL", who);
    int64_t F = r->nfeat, n = r->n, nn = n * n;
    double big = 0;
    for (int64_t i = 0; i < 2 * F * nn; ++i) big = fmax(big, fabs(r->weights[i]));
    int bad = fprintf(f, "Lax connection N = %lld, d = %lld, %lld features: ZC loss %.3g (initial %.3g), held-out "
                         "residual %.3g, commutator share %.3g\n",
                      (long long)n, (long long)r->d, (long long)F, r->loss[0][SL_LAX_ZC_TERM_ZC],
                      r->loss[1][SL_LAX_ZC_TERM_ZC], r->residual, r->commutator) < 0;
    for (int w = 0; w < 2 && !bad; ++w)
        for (int64_t e = 0; e < nn && !bad; ++e) {
            fprintf(f, "  L_%c[%lld][%lld] =", w ? 't' : 'x', (long long)(e / n), (long long)(e % n));
            bad = print_entry(r, f, r->weights + w * F * nn, e, 1e-3 * big) < 0 || fprintf(f, "\n") < 0;
        }
    if (bad || ferror(f)) return sl__fail(r->ctx, SL_ERR_IO, "%s: write failed", who);
    return SL_OK;
}
