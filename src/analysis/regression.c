/* Least-squares and sparse (STLSQ) regression of a scalar onto a feature
 * library (regression.h). */
#include "regression_internal.h"
#include "../kernels/blas.h"

#include <math.h>
#include <stdio.h>

#define REG_OPTS_MIN sizeof(sl_regression_opts)

struct sl_regression {
    sl_ctx *ctx;
    int64_t T;
    char **names;             /* T plain-text term names */
    double *coef, *norm;      /* T each */
    double scale, intercept, r2;
    int64_t active;
    char *formula[3];
};

sl_status sl_regression_opts_init_sized(sl_regression_opts *opts, size_t size)
{
    sl_regression_opts d = SL_REGRESSION_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, REG_OPTS_MIN);
}

/* ---- linear algebra ------------------------------------------------------------------ */
sl_status sl__svd_cm(sl_ctx *ctx, const char *who, int64_t m, int64_t n, double *a, double *s, double *u, double *vt)
{
    if (m > INT32_MAX || n > INT32_MAX) return sl__fail(ctx, SL_ERR_ARG, "%s: a %lld x %lld matrix is too large for LAPACK", who, (long long)m, (long long)n);
    sl_blas_int bm = (sl_blas_int)m, bn = (sl_blas_int)n, mn = bm < bn ? bm : bn, info = 0, lwork = -1;
    char jobz = u ? 'S' : 'N';
    double q = 0, dummy = 0;
    sl_blas_int *iwork = sl__alloc(ctx, sizeof(sl_blas_int) * 8 * (size_t)mn, 0, who);
    if (!iwork) return SL_ERR_NOMEM;
    sl_blas_int ldu = bm, ldvt = mn;
    dgesdd_(&jobz, &bm, &bn, a, &bm, s, u ? u : &dummy, &ldu, vt ? vt : &dummy, &ldvt, &q, &lwork, iwork, &info, 1);
    lwork = (sl_blas_int)q + 1;
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)lwork, 0, who);
    sl_status st = SL_OK;
    if (!work) st = SL_ERR_NOMEM;
    else {
        dgesdd_(&jobz, &bm, &bn, a, &bm, s, u ? u : &dummy, &ldu, vt ? vt : &dummy, &ldvt, work, &lwork, iwork, &info, 1);
        if (info != 0) st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: dgesdd failed (info = %d)", who, (int)info);
    }
    sl__free(ctx, work);
    sl__free(ctx, iwork);
    return st;
}

sl_status sl__columns_independent(sl_ctx *ctx, const char *who, int64_t m, int64_t T, const double *cols, int with_ones,
                                  const char *const *names, double tol)
{
    int64_t P = T + (with_ones ? 1 : 0);
    if (P == 0) return SL_OK;
    if (m < P)
        return sl__fail(ctx, SL_ERR_ARG, "%s: %lld sample points for %lld feature columns (need at least as many points)", who,
                        (long long)m, (long long)P);
    double *a = sl__alloc(ctx, sizeof(double) * (size_t)(m * P + P + P * P), 0, who);
    if (!a) return SL_ERR_NOMEM;
    double *s = a + m * P, *vt = s + P;
    for (int64_t k = 0; k < P; ++k) {
        double nrm = 0;
        for (int64_t n = 0; n < m; ++n) {
            double v = k < T ? cols[n * T + k] : 1.0;
            a[k * m + n] = v;
            nrm += v * v;
        }
        nrm = sqrt(nrm);
        for (int64_t n = 0; n < m; ++n) a[k * m + n] = nrm > 0 ? a[k * m + n] / nrm : 0;
    }
    /* only V is needed: SVD of the P x P Gram factor would square the
     * condition number, so take the full SVD with U (thin) discarded */
    double *u = sl__alloc(ctx, sizeof(double) * (size_t)(m * P), 0, who);
    sl_status st = u ? sl__svd_cm(ctx, who, m, P, a, s, u, vt) : SL_ERR_NOMEM;
    if (!st && !(s[P - 1] >= tol * s[0])) {
        /* the last right singular vector: row P-1 of vt (column-major P x P) */
        double vmax = 0;
        for (int64_t k = 0; k < P; ++k) vmax = fmax(vmax, fabs(vt[k * P + (P - 1)]));
        char list[400] = "";
        int shown = 0;
        for (int64_t k = 0; k < P; ++k) {
            if (fabs(vt[k * P + (P - 1)]) < 0.05 * vmax) continue;
            size_t len = strlen(list);
            if (shown < 8) snprintf(list + len, sizeof list - len, "%s'%s'", shown ? ", " : "", k < T ? names[k] : "1");
            else if (shown == 8) snprintf(list + len, sizeof list - len, ", ...");
            shown++;
        }
        st = sl__fail(ctx, SL_ERR_ARG, "%s: feature columns %s are linearly dependent at the sample points "
                      "(sigma_min/sigma_max = %.2g < %g; a duplicate feature, or a constant beside the intercept?)",
                      who, list, s[0] > 0 ? s[P - 1] / s[0] : 0.0, tol);
    }
    sl__free(ctx, u);
    sl__free(ctx, a);
    return st;
}

/* Least squares on the active columns of the row-major m x P matrix D:
 * coef (P, 0 for inactive).  Columns are scaled to unit norm first. */
static sl_status lsq(sl_ctx *ctx, const char *who, int64_t m, int64_t P, const double *D, const int *act, const double *y,
                     double *coef, double *scratch)
{
    int64_t q = 0;
    for (int64_t k = 0; k < P; ++k) q += act[k] != 0;
    memset(coef, 0, sizeof(double) * (size_t)P);
    if (q == 0) return SL_OK;
    double *a = scratch, *u = a + m * q, *s = u + m * q, *vt = s + q, *nrm = vt + q * q, *w = nrm + q;
    int64_t c = 0;
    for (int64_t k = 0; k < P; ++k) {
        if (!act[k]) continue;
        double n2 = 0;
        for (int64_t n = 0; n < m; ++n) n2 += D[n * P + k] * D[n * P + k];
        nrm[c] = sqrt(n2) > 0 ? sqrt(n2) : 1;
        for (int64_t n = 0; n < m; ++n) a[c * m + n] = D[n * P + k] / nrm[c];
        c++;
    }
    sl_status st = sl__svd_cm(ctx, who, m, q, a, s, u, vt);
    if (st) return st;
    /* x = V S^+ U^T y, singular values below 1e-13 s_max dropped */
    for (int64_t i = 0; i < q; ++i) {
        double ut = 0;
        for (int64_t n = 0; n < m; ++n) ut += u[i * m + n] * y[n];
        w[i] = s[i] > 1e-13 * s[0] ? ut / s[i] : 0;
    }
    c = 0;
    for (int64_t k = 0; k < P; ++k) {
        if (!act[k]) continue;
        double x = 0;
        for (int64_t i = 0; i < q; ++i) x += vt[c * q + i] * w[i];
        coef[k] = x / nrm[c];
        c++;
    }
    return SL_OK;
}

static sl_status check_opts(sl_ctx *ctx, const char *who, const sl_regression_opts *o)
{
    if (o->method != SL_REGRESSION_LSQ && o->method != SL_REGRESSION_STLSQ)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->method = %d (SL_REGRESSION_LSQ or _STLSQ)", who, o->method);
    if (!(o->threshold > 0 && o->threshold < 1)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->threshold = %g (must be in (0, 1))", who, o->threshold);
    if (o->max_iter < 1 || o->max_iter > 1000) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->max_iter = %d (must be 1..1000)", who, o->max_iter);
    if (o->intercept != 0 && o->intercept != 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->intercept = %d (0 or 1)", who, o->intercept);
    if (!(o->rank_tol > 0 && o->rank_tol < 1)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->rank_tol = %g (must be in (0, 1))", who, o->rank_tol);
    return SL_OK;
}

void sl_regression_destroy(sl_regression *r)
{
    if (!r) return;
    sl_ctx *ctx = r->ctx;
    for (int64_t k = 0; r->names && k < r->T; ++k) sl__free(ctx, r->names[k]);
    sl__free(ctx, r->names);
    sl__free(ctx, r->coef);
    sl__free(ctx, r->norm);
    for (int i = 0; i < 3; ++i) sl__free(ctx, r->formula[i]);
    sl__free(ctx, r);
}

/* The names of the ncols user columns into names[K..K+ncols-1]. */
static sl_status column_names(sl_ctx *ctx, const char *who, const char *col_names, int64_t K, int64_t ncols, char **names)
{
    const char *p = col_names;
    for (int64_t c = 0; c < ncols; ++c) {
        char buf[64];
        if (col_names) {
            while (*p == ' ') ++p;
            const char *q = p;
            while (*q && *q != ',') ++q;
            size_t len = (size_t)(q - p);
            while (len && p[len - 1] == ' ') --len;
            if (len == 0 || len >= sizeof buf)
                return sl__fail(ctx, SL_ERR_ARG, "%s: column name %lld is empty or longer than 63 characters (col_names holds %s)",
                                who, (long long)c + 1, *q || len ? "too many or empty names" : "fewer names than ncols");
            memcpy(buf, p, len);
            buf[len] = 0;
            p = *q ? q + 1 : q;
        } else {
            snprintf(buf, sizeof buf, "c%lld", (long long)c + 1);
        }
        names[K + c] = sl__alloc(ctx, strlen(buf) + 1, 0, who);
        if (!names[K + c]) return SL_ERR_NOMEM;
        strcpy(names[K + c], buf);
    }
    if (col_names) {
        while (*p == ' ') ++p;
        if (*p) return sl__fail(ctx, SL_ERR_ARG, "%s: col_names has more names than ncols = %lld", who, (long long)ncols);
    }
    return SL_OK;
}

static sl_status build_formulas(sl_regression *r, const sl_features *lib, int64_t K, int has_intercept)
{
    sl_ctx *ctx = r->ctx;
    const char *lhs[3] = {"y ~ ", "", "y \\sim "};
    for (int style = 0; style < 3; ++style) {
        char **terms = sl__alloc(ctx, sizeof(char *) * (size_t)(r->T ? r->T : 1), 1, "sl_regress");
        if (!terms) return SL_ERR_NOMEM;
        sl_status st = SL_OK;
        for (int64_t k = 0; k < r->T && !st; ++k) {
            char buf[1024];
            if (k < K) sl__feature_term(lib, k, style, buf, sizeof buf);
            else snprintf(buf, sizeof buf, "%s", r->names[k]);
            terms[k] = sl__alloc(ctx, strlen(buf) + 1, 0, "sl_regress");
            if (!terms[k]) st = SL_ERR_NOMEM;
            else strcpy(terms[k], buf);
        }
        sl__str s = {ctx, NULL, 0, 0, 0};
        if (!st) {
            sl__str_put(&s, "%s", lhs[style]);
            if (r->active == 0) sl__str_put(&s, has_intercept ? "" : "0");
            else if (fabs(fabs(r->scale) - 1) <= 1e-12 || r->active == 1)
                sl__formula_sum(&s, r->T, r->coef, (const char *const *)terms, style);
            else {
                sl__str_put(&s, "%.6g%s", r->scale, style == SL_FORMULA_C ? "*(" : style == SL_FORMULA_LATEX ? " \\left(" : " (");
                sl__formula_sum(&s, r->T, r->norm, (const char *const *)terms, style);
                sl__str_put(&s, "%s", style == SL_FORMULA_LATEX ? "\\right)" : ")");
            }
            if (has_intercept && (r->intercept != 0 || r->active == 0)) {
                if (r->active == 0) sl__str_put(&s, "%.6g", r->intercept);
                else sl__str_put(&s, " %s %.6g", r->intercept < 0 ? "-" : "+", fabs(r->intercept));
            }
            r->formula[style] = sl__str_take(&s);
            if (!r->formula[style]) st = SL_ERR_NOMEM;
        }
        for (int64_t k = 0; k < r->T; ++k) sl__free(ctx, terms[k]);
        sl__free(ctx, terms);
        if (st) return st;
    }
    return SL_OK;
}

sl_status sl_regress(sl_ctx *ctx, const sl_regression_opts *opts, const sl_features *lib, int64_t m, const double *x,
                     int64_t ncols, const double *cols, const char *col_names, const double *y, sl_regression **out)
{
    const char *who = "sl_regress";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    sl_regression_opts o = SL_REGRESSION_OPTS_INIT;
    sl_status st;
    if (opts && (st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, REG_OPTS_MIN))) return st;
    if ((st = check_opts(ctx, who, &o))) return st;
    if (!y) return sl__fail(ctx, SL_ERR_NULL, "%s: y is NULL", who);
    if (lib && lib->ctx != ctx) return sl__fail(ctx, SL_ERR_GRAPH, "%s: lib belongs to another context", who);
    if (lib && !x) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL with a library", who);
    if (ncols < 0 || ncols > SL__FEAT_MAX || (ncols > 0 && !cols))
        return sl__fail(ctx, SL_ERR_ARG, "%s: ncols = %lld with cols %s", who, (long long)ncols, cols ? "set" : "NULL");
    int64_t K = lib ? lib->K : 0, T = K + ncols;
    if (T == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: no terms (an empty library and no columns)", who);
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld sample points (must be 1..2^30)", who, (long long)m);
    int64_t iconst = -1;
    for (int64_t k = 0; o.intercept && k < K; ++k)
        if (sl__feat_is_const(lib, k)) { iconst = k; break; }
    int add_ones = o.intercept && iconst < 0;
    int64_t P = T + add_ones, f3[2] = {m, P}, cells;
    if ((st = sl__product(ctx, SL_ERR_ARG, who, "m x terms", 2, f3, &cells))) return st;
    if (m < P) return sl__fail(ctx, SL_ERR_ARG, "%s: %lld sample points for %lld terms (need at least as many points)", who, (long long)m, (long long)P);
    int64_t bad = sl__first_nonfinite(y, (size_t)m);
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: y[%lld] = %g (not finite)", who, (long long)bad, y[bad]);
    if (lib) {
        int64_t nx;
        if (!sl__mul_ok(m, lib->d, &nx)) return sl__fail(ctx, SL_ERR_ARG, "%s: m x d is too large", who);
        if ((bad = sl__first_nonfinite(x, (size_t)nx)) >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g (not finite)", who, (long long)bad, x[bad]);
    }
    if (ncols && (bad = sl__first_nonfinite(cols, (size_t)(m * ncols))) >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: cols[%lld] = %g (not finite)", who, (long long)bad, cols[bad]);

    sl_regression *r = sl__alloc(ctx, sizeof *r, 1, who);
    if (!r) return SL_ERR_NOMEM;
    r->ctx = ctx;
    r->T = T;
    r->names = sl__alloc(ctx, sizeof(char *) * (size_t)T, 1, who);
    r->coef = sl__alloc(ctx, sizeof(double) * (size_t)P, 1, who);
    r->norm = sl__alloc(ctx, sizeof(double) * (size_t)P, 1, who);
    /* D (m x P row-major), a copy of it for the column check, LSQ scratch */
    size_t scratch = (size_t)(2 * cells + 2 * P + P * P + 2 * P);
    double *D = sl__alloc(ctx, sizeof(double) * (size_t)(cells + (lib ? m * K : 0)) + sizeof(double) * scratch, 0, who);
    int *act = sl__alloc(ctx, sizeof(int) * (size_t)P, 0, who);
    const char **nm = sl__alloc(ctx, sizeof(char *) * (size_t)P, 0, who);
    st = (!r->names || !r->coef || !r->norm || !D || !act || !nm) ? SL_ERR_NOMEM : SL_OK;
    for (int64_t k = 0; !st && k < K; ++k) {
        r->names[k] = sl__alloc(ctx, strlen(lib->f[k].name) + 1, 0, who);
        if (!r->names[k]) st = SL_ERR_NOMEM;
        else strcpy(r->names[k], lib->f[k].name);
    }
    if (!st) st = column_names(ctx, who, col_names, K, ncols, r->names);
    double *V = D + cells, *work = V + (lib ? m * K : 0);
    if (!st && lib) st = sl__features_eval(lib, who, m, x, V, NULL);
    if (!st) {
        for (int64_t n = 0; n < m; ++n) {
            for (int64_t k = 0; k < K; ++k) D[n * P + k] = V[n * K + k];
            for (int64_t c = 0; c < ncols; ++c) D[n * P + K + c] = cols[n * ncols + c];
            if (add_ones) D[n * P + T] = 1;
        }
        for (int64_t k = 0; k < T; ++k) nm[k] = r->names[k];
        if (add_ones) nm[T] = "1";
        st = sl__columns_independent(ctx, who, m, P, D, 0, nm, o.rank_tol);
    }
    if (!st) {
        for (int64_t k = 0; k < P; ++k) act[k] = 1;
        st = lsq(ctx, who, m, P, D, act, y, r->coef, work);
        int64_t ic = add_ones ? T : iconst;
        for (int it = 0; !st && o.method == SL_REGRESSION_STLSQ && it < o.max_iter; ++it) {
            double cmax = 0;
            for (int64_t k = 0; k < P; ++k)
                if (k != ic) cmax = fmax(cmax, fabs(r->coef[k]));
            int changed = 0;
            for (int64_t k = 0; k < P; ++k)
                if (k != ic && act[k] && fabs(r->coef[k]) < o.threshold * cmax) {
                    act[k] = 0;
                    changed = 1;
                }
            if (!changed) break;
            st = lsq(ctx, who, m, P, D, act, y, r->coef, work);
        }
        if (!st) {
            /* R^2 = 1 - SS_res / SS_tot (compensation is not needed at this size) */
            double mean = 0, sst = 0, ssr = 0;
            for (int64_t n = 0; n < m; ++n) mean += y[n] / (double)m;
            for (int64_t n = 0; n < m; ++n) {
                double pred = 0;
                for (int64_t k = 0; k < P; ++k) pred += D[n * P + k] * r->coef[k];
                sst += (y[n] - mean) * (y[n] - mean);
                ssr += (y[n] - pred) * (y[n] - pred);
            }
            r->r2 = sst > 0 ? 1 - ssr / sst : (ssr <= 1e-28 * (1 + mean * mean) * (double)m ? 1 : 0);
            r->intercept = ic >= 0 ? r->coef[ic] : 0;
            if (ic >= 0 && ic < T) r->coef[ic] = 0;
            /* the largest in magnitude; among ties (to 1e-9) the first term */
            double amax = 0, big = 0, ymax = 0;
            for (int64_t k = 0; k < T; ++k) {
                amax = fmax(amax, fabs(r->coef[k]));
                r->active += r->coef[k] != 0;
            }
            for (int64_t k = 0; k < T && big == 0; ++k)
                if (amax > 0 && fabs(r->coef[k]) >= (1 - 1e-9) * amax) big = r->coef[k];
            for (int64_t n = 0; n < m; ++n) ymax = fmax(ymax, fabs(y[n]));
            if (fabs(r->intercept) <= 1e-12 * ymax) r->intercept = 0;   /* rounding noise */
            r->scale = big != 0 ? big : 1;
            for (int64_t k = 0; k < T; ++k) r->norm[k] = r->coef[k] / r->scale;
            st = build_formulas(r, lib, K, ic >= 0);
        }
    }
    sl__free(ctx, D);
    sl__free(ctx, act);
    sl__free(ctx, nm);
    if (st) {
        if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", who);
        sl_regression_destroy(r);
        return st;
    }
    *out = r;
    return SL_OK;
}

int64_t sl_regression_terms(const sl_regression *r) { return r ? r->T : 0; }
const char *sl_regression_term_name(const sl_regression *r, int64_t k) { return r && k >= 0 && k < r->T ? r->names[k] : NULL; }
const double *sl_regression_coefficients(const sl_regression *r) { return r ? r->coef : NULL; }
const double *sl_regression_normalised(const sl_regression *r) { return r ? r->norm : NULL; }
double sl_regression_scale(const sl_regression *r) { return r ? r->scale : NAN; }
double sl_regression_intercept(const sl_regression *r) { return r ? r->intercept : NAN; }
double sl_regression_r2(const sl_regression *r) { return r ? r->r2 : NAN; }
int64_t sl_regression_active(const sl_regression *r) { return r ? r->active : 0; }

const char *sl_regression_formula(const sl_regression *r, int style)
{
    if (!r || style < SL_FORMULA_TEXT || style > SL_FORMULA_LATEX) return NULL;
    return r->formula[style];
}
