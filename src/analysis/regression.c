/* Least-squares and sparse (STLSQ) regression of a scalar onto a feature
 * library (regression.h). */
#include "regression_internal.h"
#include "../kernels/blas.h"

#include <math.h>
#include <stdio.h>

#define REG_OPTS_MIN offsetof(sl_regression_opts, path)
#define NSTYLE 5

typedef struct {
    double thr, r2, rmse, intercept;
    int64_t active;
    double *coef;             /* T */
    int pareto;
} cand;

struct sl_regression {
    sl_ctx *ctx;
    int64_t T;
    char **names;             /* T plain-text term names */
    char **terms[3];          /* T rendered terms in TEXT, C, LATEX */
    double *coef, *norm;      /* T each */
    double scale, intercept, r2;
    int64_t active;
    int has_intercept;
    char *formula[NSTYLE];
    int64_t ncand, sel;
    cand *cand;
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
    if (o->path < 0 || o->path > 1000) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->path = %d (must be 0..1000)", who, o->path);
    if (!(o->path_min > 0 && o->path_min < 0.9)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->path_min = %g (must be in (0, 0.9))", who, o->path_min);
    return SL_OK;
}

sl_status sl__regression_opts_read(sl_ctx *ctx, const char *who, const sl_regression_opts *opts, sl_regression_opts *o)
{
    sl_status st;
    if (opts && (st = sl__opts_read(ctx, who, "opts", o, sizeof *o, opts, REG_OPTS_MIN))) return st;
    return check_opts(ctx, who, o);
}

void sl_regression_destroy(sl_regression *r)
{
    if (!r) return;
    sl_ctx *ctx = r->ctx;
    for (int64_t k = 0; r->names && k < r->T; ++k) sl__free(ctx, r->names[k]);
    for (int s = 0; s < 3; ++s) {
        for (int64_t k = 0; r->terms[s] && k < r->T; ++k) sl__free(ctx, r->terms[s][k]);
        sl__free(ctx, r->terms[s]);
    }
    for (int64_t i = 0; r->cand && i < r->ncand; ++i) sl__free(ctx, r->cand[i].coef);
    sl__free(ctx, r->cand);
    sl__free(ctx, r->names);
    sl__free(ctx, r->coef);
    sl__free(ctx, r->norm);
    for (int i = 0; i < NSTYLE; ++i) sl__free(ctx, r->formula[i]);
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

/* The formulas of the current coefficients from the stored terms. */
static sl_status build_formulas(sl_regression *r)
{
    sl_ctx *ctx = r->ctx;
    const char *lhs[3] = {"y ~ ", "", "y \\sim "};
    char *f[NSTYLE] = {0};
    sl_status st = SL_OK;
    for (int style = 0; style < 3 && !st; ++style) {
        sl__str s = {ctx, NULL, 0, 0, 0};
        const char *const *terms = (const char *const *)r->terms[style];
        sl__str_put(&s, "%s", lhs[style]);
        if (r->active == 0) sl__str_put(&s, r->has_intercept ? "" : "0");
        else if (fabs(fabs(r->scale) - 1) <= 1e-12 || r->active == 1)
            sl__formula_sum(&s, r->T, r->coef, terms, style);
        else {
            sl__str_put(&s, "%.6g%s", r->scale, style == SL_FORMULA_C ? "*(" : style == SL_FORMULA_LATEX ? " \\left(" : " (");
            sl__formula_sum(&s, r->T, r->norm, terms, style);
            sl__str_put(&s, "%s", style == SL_FORMULA_LATEX ? "\\right)" : ")");
        }
        if (r->has_intercept && (r->intercept != 0 || r->active == 0)) {
            if (r->active == 0) sl__str_put(&s, "%.6g", r->intercept);
            else sl__str_put(&s, " %s %.6g", r->intercept < 0 ? "-" : "+", fabs(r->intercept));
        }
        if (!(f[style] = sl__str_take(&s))) st = SL_ERR_NOMEM;
    }
    for (int style = 3; style < NSTYLE && !st; ++style)
        if (!(f[style] = sl__formula_convert_alloc(ctx, f[SL_FORMULA_C], style, "sl_regress"))) st = SL_ERR_NOMEM;
    if (st) {
        for (int i = 0; i < NSTYLE; ++i) sl__free(ctx, f[i]);
        return st;
    }
    for (int i = 0; i < NSTYLE; ++i) {
        sl__free(ctx, r->formula[i]);
        r->formula[i] = f[i];
    }
    return SL_OK;
}

/* Make candidate i current: coefficients, normalised form, formulas. */
static sl_status apply(sl_regression *r, int64_t i)
{
    cand *c = &r->cand[i];
    double save_scale = r->scale, save_int = r->intercept, save_r2 = r->r2;
    int64_t save_active = r->active, save_sel = r->sel;
    double *oc = sl__alloc(r->ctx, sizeof(double) * (size_t)(2 * r->T), 0, "sl_regression_select");
    if (!oc) return SL_ERR_NOMEM;
    memcpy(oc, r->coef, sizeof(double) * (size_t)r->T);
    memcpy(oc + r->T, r->norm, sizeof(double) * (size_t)r->T);
    memcpy(r->coef, c->coef, sizeof(double) * (size_t)r->T);
    r->intercept = c->intercept;
    r->r2 = c->r2;
    r->active = c->active;
    r->sel = i;
    /* the largest in magnitude; among ties (to 1e-9) the first term */
    double amax = 0, big = 0;
    for (int64_t k = 0; k < r->T; ++k) amax = fmax(amax, fabs(r->coef[k]));
    for (int64_t k = 0; k < r->T && big == 0; ++k)
        if (amax > 0 && fabs(r->coef[k]) >= (1 - 1e-9) * amax) big = r->coef[k];
    r->scale = big != 0 ? big : 1;
    for (int64_t k = 0; k < r->T; ++k) r->norm[k] = r->coef[k] / r->scale;
    sl_status st = build_formulas(r);
    if (st) {   /* put everything back */
        memcpy(r->coef, oc, sizeof(double) * (size_t)r->T);
        memcpy(r->norm, oc + r->T, sizeof(double) * (size_t)r->T);
        r->scale = save_scale;
        r->intercept = save_int;
        r->r2 = save_r2;
        r->active = save_active;
        r->sel = save_sel;
    }
    sl__free(r->ctx, oc);
    return st;
}

/* STLSQ from the full support with relative threshold thr (thr = 0: plain
 * least squares); act (P) receives the support. */
static sl_status stlsq(sl_ctx *ctx, const char *who, int64_t m, int64_t P, const double *D, const double *y, int64_t ic,
                       double thr, int max_iter, int *act, double *coef, double *work)
{
    for (int64_t k = 0; k < P; ++k) act[k] = 1;
    sl_status st = lsq(ctx, who, m, P, D, act, y, coef, work);
    for (int it = 0; !st && thr > 0 && it < max_iter; ++it) {
        double cmax = 0;
        for (int64_t k = 0; k < P; ++k)
            if (k != ic) cmax = fmax(cmax, fabs(coef[k]));
        int changed = 0;
        for (int64_t k = 0; k < P; ++k)
            if (k != ic && act[k] && fabs(coef[k]) < thr * cmax) {
                act[k] = 0;
                changed = 1;
            }
        if (!changed) break;
        st = lsq(ctx, who, m, P, D, act, y, coef, work);
    }
    return st;
}

static int cand_cmp(const cand *a, const cand *b)
{
    if (a->active != b->active) return a->active < b->active ? -1 : 1;
    if (a->rmse != b->rmse) return a->rmse < b->rmse ? -1 : 1;
    return a->thr < b->thr ? -1 : a->thr > b->thr;
}

sl_status sl__regress_values(sl_ctx *ctx, const char *who, const sl_regression_opts *opts, const sl_features *lib,
                             int64_t m, const double *V, int64_t ncols, const double *cols, const char *col_names,
                             const double *y, sl_regression **out)
{
    sl_regression_opts o = *opts;
    sl_status st;
    int64_t K = lib ? lib->K : 0, T = K + ncols;
    if (T == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: no terms (an empty library and no columns)", who);
    int64_t iconst = -1;
    for (int64_t k = 0; o.intercept && k < K; ++k)
        if (sl__feat_is_const(lib, k)) { iconst = k; break; }
    int add_ones = o.intercept && iconst < 0;
    int64_t P = T + add_ones, f3[2] = {m, P}, cells;
    if ((st = sl__product(ctx, SL_ERR_ARG, who, "m x terms", 2, f3, &cells))) return st;
    if (m < P) return sl__fail(ctx, SL_ERR_ARG, "%s: %lld sample points for %lld terms (need at least as many points)", who, (long long)m, (long long)P);
    int64_t bad = sl__first_nonfinite(y, (size_t)m);
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: y[%lld] = %g (not finite)", who, (long long)bad, y[bad]);
    if (ncols && (bad = sl__first_nonfinite(cols, (size_t)(m * ncols))) >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: cols[%lld] = %g (not finite)", who, (long long)bad, cols[bad]);

    sl_regression *r = sl__alloc(ctx, sizeof *r, 1, who);
    if (!r) return SL_ERR_NOMEM;
    r->ctx = ctx;
    r->T = T;
    r->names = sl__alloc(ctx, sizeof(char *) * (size_t)T, 1, who);
    for (int s = 0; s < 3; ++s) r->terms[s] = sl__alloc(ctx, sizeof(char *) * (size_t)T, 1, who);
    r->coef = sl__alloc(ctx, sizeof(double) * (size_t)P, 1, who);
    r->norm = sl__alloc(ctx, sizeof(double) * (size_t)P, 1, who);
    int ncand_max = o.method == SL_REGRESSION_STLSQ ? o.path + 2 : 1;
    r->cand = sl__alloc(ctx, sizeof(cand) * (size_t)ncand_max, 1, who);
    /* D (m x P row-major), LSQ scratch */
    size_t scratch = (size_t)(2 * cells + 2 * P + P * P + 2 * P);
    double *D = sl__alloc(ctx, sizeof(double) * ((size_t)cells + scratch + (size_t)P), 0, who);
    int *act = sl__alloc(ctx, sizeof(int) * (size_t)P, 0, who);
    const char **nm = sl__alloc(ctx, sizeof(char *) * (size_t)P, 0, who);
    st = (!r->names || !r->terms[0] || !r->terms[1] || !r->terms[2] || !r->coef || !r->norm || !r->cand || !D || !act || !nm)
             ? SL_ERR_NOMEM : SL_OK;
    for (int64_t k = 0; !st && k < K; ++k) {
        r->names[k] = sl__alloc(ctx, strlen(lib->f[k].name) + 1, 0, who);
        if (!r->names[k]) st = SL_ERR_NOMEM;
        else strcpy(r->names[k], lib->f[k].name);
    }
    if (!st) st = column_names(ctx, who, col_names, K, ncols, r->names);
    for (int s = 0; !st && s < 3; ++s)
        for (int64_t k = 0; !st && k < T; ++k) {
            char buf[1024];
            if (k < K) sl__feature_term(lib, k, s, buf, sizeof buf);
            else snprintf(buf, sizeof buf, "%s", r->names[k]);
            r->terms[s][k] = sl__alloc(ctx, strlen(buf) + 1, 0, who);
            if (!r->terms[s][k]) st = SL_ERR_NOMEM;
            else strcpy(r->terms[s][k], buf);
        }
    double *work = D + cells, *cp = work + scratch;
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
    int64_t ic = add_ones ? T : iconst;
    r->has_intercept = ic >= 0;
    double mean = 0, sst = 0, ymax = 0;
    for (int64_t n = 0; n < m; ++n) mean += y[n] / (double)m;
    for (int64_t n = 0; n < m; ++n) {
        sst += (y[n] - mean) * (y[n] - mean);
        ymax = fmax(ymax, fabs(y[n]));
    }
    /* the thresholds: the user's first, then the full least squares, then the grid */
    for (int t = 0; !st && t < ncand_max; ++t) {
        double thr = t == 0 ? (o.method == SL_REGRESSION_STLSQ ? o.threshold : 0)
                   : t == 1 ? 0
                   : o.path == 1 ? o.path_min : o.path_min * pow(0.9 / o.path_min, (double)(t - 2) / (o.path - 1));
        st = stlsq(ctx, who, m, P, D, y, ic, thr, o.max_iter, act, cp, work);
        if (st) break;
        /* a support already met: keep the smaller threshold */
        int64_t same = -1;
        for (int64_t i = 0; i < r->ncand && same < 0; ++i) {
            int eq = 1;
            for (int64_t k = 0; k < T && eq; ++k) eq = (r->cand[i].coef[k] != 0) == (act[k] && k != ic);
            if (eq) same = i;
        }
        if (same >= 0) {
            if (thr < r->cand[same].thr) r->cand[same].thr = thr;
            continue;
        }
        cand *c = &r->cand[r->ncand];
        c->coef = sl__alloc(ctx, sizeof(double) * (size_t)T, 1, who);
        if (!c->coef) { st = SL_ERR_NOMEM; break; }
        r->ncand++;
        double ssr = 0;
        for (int64_t n = 0; n < m; ++n) {
            double pred = 0;
            for (int64_t k = 0; k < P; ++k) pred += D[n * P + k] * cp[k];
            ssr += (y[n] - pred) * (y[n] - pred);
        }
        c->thr = thr;
        c->r2 = sst > 0 ? 1 - ssr / sst : (ssr <= 1e-28 * (1 + mean * mean) * (double)m ? 1 : 0);
        c->rmse = sqrt(ssr / (double)m);
        c->intercept = ic >= 0 ? cp[ic] : 0;
        if (fabs(c->intercept) <= 1e-12 * ymax) c->intercept = 0;   /* rounding noise */
        for (int64_t k = 0; k < T; ++k) {
            c->coef[k] = (k == ic || !act[k]) ? 0 : cp[k];
            c->active += c->coef[k] != 0;
        }
        if (t == 0) r->sel = r->ncand - 1;
    }
    if (!st) {
        /* sort (insertion: a few dozen candidates), following the selected one */
        for (int64_t i = 1; i < r->ncand; ++i)
            for (int64_t j = i; j > 0 && cand_cmp(&r->cand[j], &r->cand[j - 1]) < 0; --j) {
                cand t = r->cand[j];
                r->cand[j] = r->cand[j - 1];
                r->cand[j - 1] = t;
                if (r->sel == j) r->sel = j - 1;
                else if (r->sel == j - 1) r->sel = j;
            }
        for (int64_t i = 0; i < r->ncand; ++i) {
            r->cand[i].pareto = 1;
            for (int64_t j = 0; j < r->ncand; ++j)
                if (j != i && r->cand[j].active <= r->cand[i].active && r->cand[j].rmse < r->cand[i].rmse * (1 - 1e-9))
                    r->cand[i].pareto = 0;
        }
        st = apply(r, r->sel);
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

sl_status sl_regress(sl_ctx *ctx, const sl_regression_opts *opts, const sl_features *lib, int64_t m, const double *x,
                     int64_t ncols, const double *cols, const char *col_names, const double *y, sl_regression **out)
{
    const char *who = "sl_regress";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    sl_regression_opts o = SL_REGRESSION_OPTS_INIT;
    sl_status st;
    if ((st = sl__regression_opts_read(ctx, who, opts, &o))) return st;
    if (!y) return sl__fail(ctx, SL_ERR_NULL, "%s: y is NULL", who);
    if (lib && lib->ctx != ctx) return sl__fail(ctx, SL_ERR_GRAPH, "%s: lib belongs to another context", who);
    if (lib && !x) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL with a library", who);
    if (ncols < 0 || ncols > SL__FEAT_MAX || (ncols > 0 && !cols))
        return sl__fail(ctx, SL_ERR_ARG, "%s: ncols = %lld with cols %s", who, (long long)ncols, cols ? "set" : "NULL");
    int64_t K = lib ? lib->K : 0;
    if (K + ncols == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: no terms (an empty library and no columns)", who);
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld sample points (must be 1..2^30)", who, (long long)m);
    if (m < K + ncols) return sl__fail(ctx, SL_ERR_ARG, "%s: %lld sample points for %lld terms (need at least as many points)", who, (long long)m, (long long)(K + ncols));
    double *V = NULL;
    if (lib) {
        int64_t nx, f2[2] = {m, K}, nv;
        if (!sl__mul_ok(m, lib->d, &nx)) return sl__fail(ctx, SL_ERR_ARG, "%s: m x d is too large", who);
        int64_t bad = sl__first_nonfinite(x, (size_t)nx);
        if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g (not finite)", who, (long long)bad, x[bad]);
        if ((st = sl__product(ctx, SL_ERR_ARG, who, "m x K", 2, f2, &nv))) return st;
        V = sl__alloc(ctx, sizeof(double) * (size_t)(nv ? nv : 1), 0, who);
        if (!V) return SL_ERR_NOMEM;
        if ((st = sl__features_eval(lib, who, m, x, V, NULL))) {
            sl__free(ctx, V);
            return st;
        }
    }
    st = sl__regress_values(ctx, who, &o, lib, m, V, ncols, cols, col_names, y, out);
    sl__free(ctx, V);
    return st;
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
    if (!r || style < SL_FORMULA_TEXT || style > SL_FORMULA_SYMPY) return NULL;
    return r->formula[style];
}

/* ---- candidates --------------------------------------------------------------------- */
#define CAND(r, i) ((r) && (i) >= 0 && (i) < (r)->ncand)
int64_t sl_regression_candidates(const sl_regression *r) { return r ? r->ncand : 0; }
int64_t sl_regression_candidate_active(const sl_regression *r, int64_t i) { return CAND(r, i) ? r->cand[i].active : 0; }
double sl_regression_candidate_r2(const sl_regression *r, int64_t i) { return CAND(r, i) ? r->cand[i].r2 : NAN; }
double sl_regression_candidate_rmse(const sl_regression *r, int64_t i) { return CAND(r, i) ? r->cand[i].rmse : NAN; }
double sl_regression_candidate_threshold(const sl_regression *r, int64_t i) { return CAND(r, i) ? r->cand[i].thr : NAN; }
const double *sl_regression_candidate_coefficients(const sl_regression *r, int64_t i) { return CAND(r, i) ? r->cand[i].coef : NULL; }
double sl_regression_candidate_intercept(const sl_regression *r, int64_t i) { return CAND(r, i) ? r->cand[i].intercept : NAN; }
int sl_regression_candidate_is_pareto(const sl_regression *r, int64_t i) { return CAND(r, i) ? r->cand[i].pareto : 0; }
int64_t sl_regression_selected(const sl_regression *r) { return r ? r->sel : 0; }

sl_status sl_regression_select(sl_regression *r, int64_t i)
{
    const char *who = "sl_regression_select";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!CAND(r, i)) return sl__fail(r->ctx, SL_ERR_ARG, "%s: candidate %lld (there are %lld)", who, (long long)i, (long long)r->ncand);
    sl_status st = apply(r, i);
    if (st) return sl__fail(r->ctx, st, "%s: out of memory", who);
    return SL_OK;
}

sl_status sl_regression_print_candidates(const sl_regression *r, FILE *f)
{
    const char *who = "sl_regression_print_candidates";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!f) return sl__fail(r->ctx, SL_ERR_NULL, "%s: f is NULL", who);
    int bad = fprintf(f, "candidates: %lld ('*' Pareto front of terms against rmse, '>' selected)\n"
                      "     terms  R^2                 rmse        threshold  formula\n", (long long)r->ncand) < 0;
    for (int64_t i = 0; i < r->ncand && !bad; ++i) {
        const cand *c = &r->cand[i];
        /* the text formula of this candidate: its sum of terms */
        sl__str s = {r->ctx, NULL, 0, 0, 0};
        sl__formula_sum(&s, r->T, c->coef, (const char *const *)r->terms[0], SL_FORMULA_TEXT);
        if (r->has_intercept && c->intercept != 0) sl__str_put(&s, " %s %.6g", c->intercept < 0 ? "-" : "+", fabs(c->intercept));
        char *txt = sl__str_take(&s);
        bad = fprintf(f, "  %c%c %5lld  %-18.15f  %-10.4g  %-9.3g  %s\n", i == r->sel ? '>' : ' ', c->pareto ? '*' : ' ',
                      (long long)c->active, c->r2, c->rmse, c->thr, txt ? txt : "(out of memory)") < 0;
        sl__free(r->ctx, txt);
    }
    if (fflush(f) != 0 || bad || ferror(f)) return sl__fail(r->ctx, SL_ERR_IO, "%s: writing failed", who);
    return SL_OK;
}
