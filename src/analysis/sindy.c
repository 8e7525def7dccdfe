/* Vector fields from data: SINDy (Brunton, Proctor, Kutz, PNAS 113 (2016)
 * 3932), dx/dt ~ Theta(x) Xi, one sparse regression per component onto a
 * feature library, from a list of trajectories (regression.h). */
#include "regression_internal.h"

#include <math.h>
#include <stdio.h>

struct sl_sindy_model {
    sl_ctx *ctx;
    const sl_features *lib;
    int64_t d, K;
    double *xi, *c0;        /* d x K, d intercepts (0 unless an intercept column was fitted) */
    double *scratch;        /* K feature values */
    sl_regression **reg;    /* d */
    char **formula[5];      /* d strings per style */
};

/* Check the trajectory list; *total = sum len.  need: the smallest length. */
static sl_status check_trajs(sl_ctx *ctx, const char *who, int64_t d, int64_t ntraj, const double *const *x,
                             const int64_t *len, const double *const *dxdt, int64_t need, int64_t *total)
{
    if (!x || !len) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, x ? "len" : "x");
    if (ntraj < 1 || ntraj > ((int64_t)1 << 30)) return sl__fail(ctx, SL_ERR_ARG, "%s: ntraj = %lld (must be 1..2^30)", who, (long long)ntraj);
    int64_t sum = 0;
    for (int64_t t = 0; t < ntraj; ++t) {
        if (!x[t]) return sl__fail(ctx, SL_ERR_NULL, "%s: x[%lld] is NULL", who, (long long)t);
        if (dxdt && !dxdt[t]) return sl__fail(ctx, SL_ERR_NULL, "%s: dxdt[%lld] is NULL", who, (long long)t);
        if (len[t] < need || len[t] > ((int64_t)1 << 30))
            return sl__fail(ctx, SL_ERR_ARG, "%s: len[%lld] = %lld (must be %lld..2^30%s)", who, (long long)t, (long long)len[t],
                            (long long)need, need == 3 ? "; finite differences need 3 points" : "");
        sum += len[t];
        if (sum > ((int64_t)1 << 30)) return sl__fail(ctx, SL_ERR_ARG, "%s: more than 2^30 points in all", who);
        int64_t cells;
        if (!sl__mul_ok(len[t], d, &cells)) return sl__fail(ctx, SL_ERR_ARG, "%s: len[%lld] x d is too large", who, (long long)t);
        int64_t bad = sl__first_nonfinite(x[t], (size_t)cells);
        if (bad >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] row %lld column %lld = %g (not finite)", who, (long long)t,
                            (long long)(bad / d), (long long)(bad % d), x[t][bad]);
        if (dxdt && (bad = sl__first_nonfinite(dxdt[t], (size_t)cells)) >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: dxdt[%lld] row %lld column %lld = %g (not finite)", who, (long long)t,
                            (long long)(bad / d), (long long)(bad % d), dxdt[t][bad]);
    }
    *total = sum;
    return SL_OK;
}

/* The points of all trajectories, one after the other, into X (total x d). */
static void gather(int64_t d, int64_t ntraj, const double *const *x, const int64_t *len, double *X)
{
    for (int64_t t = 0, row = 0; t < ntraj; row += len[t], ++t) memcpy(X + row * d, x[t], sizeof(double) * (size_t)(len[t] * d));
}

sl_status sl_features_eval_trajectories(const sl_features *lib, int64_t ntraj, const double *const *x, const int64_t *len,
                                        double *values, double *grads)
{
    const char *who = "sl_features_eval_trajectories";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    sl_ctx *ctx = lib->ctx;
    if (!values) return sl__fail(ctx, SL_ERR_NULL, "%s: values is NULL", who);
    if (lib->K == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: the library has no features", who);
    int64_t m;
    sl_status st = check_trajs(ctx, who, lib->d, ntraj, x, len, NULL, 1, &m);
    if (st) return st;
    int64_t f[3] = {m, lib->K, grads ? lib->d : 1}, ng, nv = m * lib->K;
    if ((st = sl__product(ctx, SL_ERR_ARG, who, "points x K x d", 3, f, &ng))) return st;
    double *X = sl__alloc(ctx, sizeof(double) * (size_t)(m * lib->d + nv + (grads ? ng : 0)), 0, who);
    if (!X) return SL_ERR_NOMEM;
    double *tv = X + m * lib->d;
    gather(lib->d, ntraj, x, len, X);
    st = sl__features_eval(lib, who, m, X, tv, grads ? tv + nv : NULL);
    if (!st) {
        memcpy(values, tv, sizeof(double) * (size_t)nv);
        if (grads) memcpy(grads, tv + nv, sizeof(double) * (size_t)ng);
    }
    sl__free(ctx, X);
    return st;
}

void sl_sindy_model_destroy(sl_sindy_model *m)
{
    if (!m) return;
    sl_ctx *ctx = m->ctx;
    for (int64_t i = 0; m->reg && i < m->d; ++i) sl_regression_destroy(m->reg[i]);
    for (int s = 0; s < 5; ++s) {
        for (int64_t i = 0; m->formula[s] && i < m->d; ++i) sl__free(ctx, m->formula[s][i]);
        sl__free(ctx, m->formula[s]);
    }
    sl__free(ctx, m->reg);
    sl__free(ctx, m->xi);
    sl__free(ctx, m->c0);
    sl__free(ctx, m->scratch);
    sl__free(ctx, m);
}

/* Coefficients and formulas from the equations' regressions. */
static sl_status refresh(sl_sindy_model *m, const char *who)
{
    sl_ctx *ctx = m->ctx;
    int64_t d = m->d, K = m->K;
    for (int64_t i = 0; i < d; ++i) {
        memcpy(m->xi + i * K, sl_regression_coefficients(m->reg[i]), sizeof(double) * (size_t)K);
        /* the intercept: the library's constant term, or a column of ones */
        double c = sl_regression_intercept(m->reg[i]);
        m->c0[i] = 0;
        int64_t kc = -1;
        for (int64_t k = 0; k < K && kc < 0; ++k)
            if (sl__feat_is_const(m->lib, k)) kc = k;
        if (kc >= 0) m->xi[i * K + kc] += c;
        else m->c0[i] = c;
    }
    /* formulas: the plain sum c_k b_k (+ c0), not factored */
    char **nf[5] = {0}, **terms = sl__alloc(ctx, sizeof(char *) * (size_t)(K + 1), 1, who);
    double *row = sl__alloc(ctx, sizeof(double) * (size_t)(K + 1), 0, who);
    sl_status st = terms && row ? SL_OK : SL_ERR_NOMEM;
    for (int s = 0; s < 5 && !st; ++s)
        if (!(nf[s] = sl__alloc(ctx, sizeof(char *) * (size_t)d, 1, who))) st = SL_ERR_NOMEM;
    for (int s = 0; s < 3 && !st; ++s) {
        for (int64_t k = 0; k < K && !st; ++k) {
            char buf[1024];
            sl__feature_term(m->lib, k, s, buf, sizeof buf);
            sl__free(ctx, terms[k]);
            if (!(terms[k] = sl__alloc(ctx, strlen(buf) + 1, 0, who))) st = SL_ERR_NOMEM;
            else strcpy(terms[k], buf);
        }
        if (!terms[K] && !st && !(terms[K] = sl__alloc(ctx, 2, 0, who))) st = SL_ERR_NOMEM;
        if (!st) strcpy(terms[K], "1");
        for (int64_t i = 0; i < d && !st; ++i) {
            const char *v = m->lib->vname[i];
            memcpy(row, m->xi + i * K, sizeof(double) * (size_t)K);
            row[K] = m->c0[i];
            sl__str str = {ctx, NULL, 0, 0, 0};
            if (s == SL_FORMULA_TEXT) sl__str_put(&str, "d%s/dt = ", v);
            else if (s == SL_FORMULA_LATEX) sl__str_put(&str, "\\frac{d%s}{dt} = ", v);
            sl__formula_sum(&str, K + 1, row, (const char *const *)terms, s);
            if (!(nf[s][i] = sl__str_take(&str))) st = SL_ERR_NOMEM;
        }
    }
    for (int s = 3; s < 5 && !st; ++s)
        for (int64_t i = 0; i < d && !st; ++i)
            if (!(nf[s][i] = sl__formula_convert_alloc(ctx, nf[SL_FORMULA_C][i], s, who))) st = SL_ERR_NOMEM;
    for (int64_t k = 0; terms && k <= K; ++k) sl__free(ctx, terms[k]);
    sl__free(ctx, terms);
    sl__free(ctx, row);
    if (st) {
        for (int s = 0; s < 5; ++s) {
            for (int64_t i = 0; nf[s] && i < d; ++i) sl__free(ctx, nf[s][i]);
            sl__free(ctx, nf[s]);
        }
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    }
    for (int s = 0; s < 5; ++s) {
        for (int64_t i = 0; m->formula[s] && i < d; ++i) sl__free(ctx, m->formula[s][i]);
        sl__free(ctx, m->formula[s]);
        m->formula[s] = nf[s];
    }
    return SL_OK;
}

sl_status sl_sindy_fit(sl_ctx *ctx, const sl_regression_opts *opts, const sl_features *lib, int64_t ntraj,
                       const double *const *x, const int64_t *len, const double *const *dxdt, double dt,
                       sl_sindy_model **out)
{
    const char *who = "sl_sindy_fit";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    if (!lib) return sl__fail(ctx, SL_ERR_NULL, "%s: lib is NULL", who);
    if (lib->ctx != ctx) return sl__fail(ctx, SL_ERR_GRAPH, "%s: lib belongs to another context", who);
    if (lib->K == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: the library has no features", who);
    sl_regression_opts o = SL_REGRESSION_OPTS_INIT;
    o.method = SL_REGRESSION_STLSQ;
    o.threshold = 0.01;
    o.intercept = 0;
    sl_status st = sl__regression_opts_read(ctx, who, opts, &o);
    if (st) return st;
    if (!dxdt && !(isfinite(dt) && dt > 0))
        return sl__fail(ctx, SL_ERR_ARG, "%s: dt = %g (must be finite and > 0 for finite differences)", who, dt);
    int64_t d = lib->d, K = lib->K, M;
    if ((st = check_trajs(ctx, who, d, ntraj, x, len, dxdt, dxdt ? 1 : 3, &M))) return st;
    if (M < K) return sl__fail(ctx, SL_ERR_ARG, "%s: %lld sample points for %lld features (need at least as many points)", who,
                               (long long)M, (long long)K);
    int64_t f2[2] = {M, K + 3 * d}, cells;
    if ((st = sl__product(ctx, SL_ERR_ARG, who, "points x (K + 3 d)", 2, f2, &cells))) return st;
    double *X = sl__alloc(ctx, sizeof(double) * (size_t)cells, 0, who);
    if (!X) return SL_ERR_NOMEM;
    double *DX = X + M * d, *V = DX + M * d, *y = V + M * K;
    gather(d, ntraj, x, len, X);
    if (dxdt) gather(d, ntraj, dxdt, len, DX);
    else
        /* second-order differences: central inside, one-sided three-point at the ends */
        for (int64_t t = 0, row = 0; t < ntraj; row += len[t], ++t) {
            const double *a = x[t];
            int64_t n = len[t];
            for (int64_t j = 0; j < n; ++j)
                for (int64_t i = 0; i < d; ++i) {
                    double v;
                    if (j == 0) v = (-3 * a[i] + 4 * a[d + i] - a[2 * d + i]) / (2 * dt);
                    else if (j == n - 1) v = (3 * a[j * d + i] - 4 * a[(j - 1) * d + i] + a[(j - 2) * d + i]) / (2 * dt);
                    else v = (a[(j + 1) * d + i] - a[(j - 1) * d + i]) / (2 * dt);
                    DX[(row + j) * d + i] = v;
                }
        }
    sl_sindy_model *m = NULL;
    st = sl__features_eval(lib, who, M, X, V, NULL);
    if (!st) {
        m = sl__alloc(ctx, sizeof *m, 1, who);
        if (!m) st = SL_ERR_NOMEM;
    }
    if (!st) {
        m->ctx = ctx;
        m->lib = lib;
        m->d = d;
        m->K = K;
        m->xi = sl__alloc(ctx, sizeof(double) * (size_t)(d * K), 1, who);
        m->c0 = sl__alloc(ctx, sizeof(double) * (size_t)d, 1, who);
        m->scratch = sl__alloc(ctx, sizeof(double) * (size_t)K, 1, who);
        m->reg = sl__alloc(ctx, sizeof(sl_regression *) * (size_t)d, 1, who);
        if (!m->xi || !m->c0 || !m->scratch || !m->reg) st = SL_ERR_NOMEM;
    }
    for (int64_t i = 0; !st && i < d; ++i) {
        for (int64_t n = 0; n < M; ++n) y[n] = DX[n * d + i];
        st = sl__regress_values(ctx, who, &o, lib, M, V, 0, NULL, NULL, y, &m->reg[i]);
    }
    if (!st) st = refresh(m, who);
    sl__free(ctx, X);
    if (st) {
        if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", who);
        sl_sindy_model_destroy(m);
        return st;
    }
    *out = m;
    return SL_OK;
}

int64_t sl_sindy_model_dim(const sl_sindy_model *m) { return m ? m->d : 0; }
int64_t sl_sindy_model_features(const sl_sindy_model *m) { return m ? m->K : 0; }
const double *sl_sindy_model_coefficients(const sl_sindy_model *m) { return m ? m->xi : NULL; }
double sl_sindy_model_r2(const sl_sindy_model *m, int64_t i) { return m && i >= 0 && i < m->d ? sl_regression_r2(m->reg[i]) : NAN; }
sl_regression *sl_sindy_model_regression(sl_sindy_model *m, int64_t i) { return m && i >= 0 && i < m->d ? m->reg[i] : NULL; }

sl_status sl_sindy_model_refresh(sl_sindy_model *m)
{
    if (!m) return sl__fail(NULL, SL_ERR_NULL, "sl_sindy_model_refresh: m is NULL");
    return refresh(m, "sl_sindy_model_refresh");
}

const char *sl_sindy_model_formula(const sl_sindy_model *m, int64_t i, int style)
{
    if (!m || i < 0 || i >= m->d || style < SL_FORMULA_TEXT || style > SL_FORMULA_SYMPY) return NULL;
    return m->formula[style][i];
}

int sl_sindy_vector_field(void *model, double t, const double *x, double *dxdt, int64_t d)
{
    (void)t;
    sl_sindy_model *m = model;
    if (!m || !x || !dxdt || d != m->d) return 1;
    if (sl__features_eval(m->lib, "sl_sindy_vector_field", 1, x, m->scratch, NULL)) return 2;
    for (int64_t i = 0; i < d; ++i) {
        double s = m->c0[i];
        const double *xi = m->xi + i * m->K;
        for (int64_t k = 0; k < m->K; ++k) s += xi[k] * m->scratch[k];
        dxdt[i] = s;
    }
    return 0;
}
