/* Exact conserved quantities in a feature library: the null space of
 * A_nk = grad b_k(x_n) . f(x_n) (SID, Liu et al. arXiv 2305.19525,
 * model.py::find_cq), a sparse basis, the conservation test on held-out
 * trajectories and the count of independent quantities (conserved.h). */
#include "conserved_internal.h"
#include "../analysis/lie_internal.h"
#include "../analysis/regression_internal.h"
#include "../dynamics/dynamics_internal.h"

#include <math.h>
#include <stdio.h>

#define WHO "sl_discover_conserved"
#define CONS_OPTS_MIN SL_OPTS_END(sl_conserved_opts, resume)

sl_status sl_conserved_opts_init_sized(sl_conserved_opts *opts, size_t size)
{
    sl_conserved_opts d = SL_CONSERVED_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, CONS_OPTS_MIN);
}

static sl_status check_opts(sl_ctx *ctx, const sl_conserved_opts *o)
{
    if (o->mode != SL_CONSERVED_EXACT && o->mode != SL_CONSERVED_NEURAL && o->mode != SL_CONSERVED_DEFLATION) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->mode = %d (an SL_CONSERVED_* value)", WHO, o->mode);
    if (o->sparsify != 0 && o->sparsify != 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->sparsify = %d (0 or 1)", WHO, o->sparsify);
    if (o->samples < 1 || o->samples > ((int64_t)1 << 24))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->samples = %lld (must be 1..2^24)", WHO, (long long)o->samples);
    if (!(o->tolerance > 0 && o->tolerance < 1)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->tolerance = %g (must be in (0, 1))", WHO, o->tolerance);
    if (!(o->dep_tolerance > 0 && o->dep_tolerance < 1))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->dep_tolerance = %g (must be in (0, 1))", WHO, o->dep_tolerance);
    if (o->n_traj < 1 || o->n_traj > 1000000) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->n_traj = %lld (must be 1..10^6)", WHO, (long long)o->n_traj);
    if (!(o->dt > 0) || !isfinite(o->dt)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->dt = %g (must be finite and > 0)", WHO, o->dt);
    if (!(o->t_end >= o->dt) || !isfinite(o->t_end) || o->t_end / o->dt > 1e9)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->t_end = %g (must be finite, >= dt = %g, at most 10^9 steps)", WHO, o->t_end, o->dt);
    if (!(o->max_relvar > 0) || isnan(o->max_relvar)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->max_relvar = %g (must be > 0)", WHO, o->max_relvar);
    if (o->mode == SL_CONSERVED_EXACT) return SL_OK;
    if (o->nets < 0 || o->nets > 64) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nets = %d (must be 0..64)", WHO, o->nets);
    if (o->depth < 1 || o->depth > 8) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->depth = %d (must be 1..8)", WHO, o->depth);
    if (o->hidden < 1 || o->hidden > 1024) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->hidden = %lld (must be 1..1024)", WHO, (long long)o->hidden);
    if (o->activation < SL_ACT_TANH || o->activation > SL_ACT_SIN)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->activation = %d (an SL_ACT_* value)", WHO, o->activation);
    if (o->steps < 1 || o->steps > 100000000) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->steps = %lld (must be 1..10^8)", WHO, (long long)o->steps);
    if (o->batch < 1 || o->batch > ((int64_t)1 << 24)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->batch = %lld (must be 1..2^24)", WHO, (long long)o->batch);
    struct { const char *name; double v, lo, hi; int open_lo; } r[] = {
        {"lr", o->lr, 0, INFINITY, 1},           {"lam", o->lam, 0, INFINITY, 0},       {"explained_min", o->explained_min, 0, 1, 1},
        {"alpha", o->alpha, 0, INFINITY, 0},     {"beta", o->beta, 0, INFINITY, 0},     {"indep_min", o->indep_min, 0, 1, 1},
        {"neural_max_relvar", o->neural_max_relvar, 0, INFINITY, 1}, {"max_bracket", o->max_bracket, 0, INFINITY, 1},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; ++i)
        if (!isfinite(r[i].v) || r[i].v < r[i].lo || (r[i].open_lo && r[i].v == r[i].lo) || (isfinite(r[i].hi) && r[i].v >= r[i].hi))
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->%s = %g (must be finite, %s %g%s)", WHO, r[i].name, r[i].v,
                            r[i].open_lo ? ">" : ">=", r[i].lo, isfinite(r[i].hi) ? " and below the upper bound" : "");
    if (o->nseeds < 1 || o->nseeds > 64) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nseeds = %d (must be 1..64)", WHO, o->nseeds);
    if (o->log_every < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->log_every = %lld (must be >= 0)", WHO, (long long)o->log_every);
    if (o->checkpoint_every < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->checkpoint_every = %lld (must be >= 0)", WHO, (long long)o->checkpoint_every);
    if (o->polish < -1 || o->polish > 1000000)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->polish = %lld (must be -1..10^6)", WHO, (long long)o->polish);
    if (o->deflation_basis < 0 || o->deflation_basis > 2)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->deflation_basis = %d (0, 1 or 2)", WHO, o->deflation_basis);
    if (o->resume != 0 && o->resume != 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->resume = %d (0 or 1)", WHO, o->resume);
    if (o->resume && !o->checkpoint) return sl__fail(ctx, SL_ERR_NULL, "%s: opts->resume = 1 but opts->checkpoint is NULL", WHO);
    return SL_OK;
}

/* Restate the message of a failed inner call under sl_discover_conserved. */
static sl_status restate(sl_ctx *ctx, sl_status st)
{
    const char *m = sl_ctx_errmsg(ctx);
    if (strncmp(m, WHO ":", strlen(WHO) + 1) == 0) return st;
    char msg[SL_ERRMSG_LEN];
    snprintf(msg, sizeof msg, "%s", m);
    return sl__fail(ctx, st, "%s: %s", WHO, msg);
}

/* Reduced row echelon form of the R x K rows (in place), pivots taken in
 * column (library) order with the largest entry of the column among the
 * remaining rows; the row space is unchanged. */
static void rref(int64_t R, int64_t K, double *T)
{
    int64_t row = 0;
    for (int64_t col = 0; col < K && row < R; ++col) {
        int64_t p = row;
        for (int64_t i = row + 1; i < R; ++i)
            if (fabs(T[i * K + col]) > fabs(T[p * K + col])) p = i;
        if (!(fabs(T[p * K + col]) > 1e-6)) continue;   /* rows of an orthonormal basis: entries <= 1 */
        if (p != row)
            for (int64_t k = 0; k < K; ++k) {
                double t = T[p * K + k];
                T[p * K + k] = T[row * K + k];
                T[row * K + k] = t;
            }
        double piv = T[row * K + col];
        for (int64_t k = 0; k < K; ++k) T[row * K + k] /= piv;
        for (int64_t i = 0; i < R; ++i) {
            if (i == row || T[i * K + col] == 0) continue;
            double fct = T[i * K + col];
            for (int64_t k = 0; k < K; ++k) T[i * K + k] -= fct * T[row * K + k];
            T[i * K + col] = 0;
        }
        row++;
    }
}

/* Scale row to largest |entry| = +1 (the first among ties) after zeroing
 * entries below 1e-10 of the largest. */
static void normalise(int64_t K, double *t)
{
    double amax = 0, big = 0;
    for (int64_t k = 0; k < K; ++k) amax = fmax(amax, fabs(t[k]));
    if (amax == 0) return;
    for (int64_t k = 0; k < K; ++k) {
        if (fabs(t[k]) < 1e-10 * amax) t[k] = 0;
        if (big == 0 && fabs(t[k]) >= (1 - 1e-9) * amax) big = t[k];
    }
    for (int64_t k = 0; k < K; ++k) t[k] /= big;
}

/* Greedy independence: quantity j is independent when its gradient has a
 * component orthogonal to the gradients of the independent ones before it
 * (|residual| > tol |grad I_j|) at more than half of the samples; the count
 * is then the typical (mode) pointwise rank of the Jacobian.  J: m x M x d
 * gradients; Q scratch m x M x d; indep out. */
static int64_t independence(int64_t m, int64_t M, int64_t d, const double *J, double tol, double *Q, int *indep)
{
    int64_t c = 0;
    double *r = Q + m * M * d;   /* d scratch */
    for (int64_t j = 0; j < M; ++j) {
        int64_t raised = 0;
        for (int64_t n = 0; n < m; ++n) {
            const double *g = J + (n * M + j) * d;
            double g2 = 0, r2 = 0;
            memcpy(r, g, sizeof(double) * (size_t)d);
            for (int pass = 0; pass < 2; ++pass)   /* Gram-Schmidt twice */
                for (int64_t b = 0; b < c; ++b) {
                    const double *q = Q + (n * M + b) * d;
                    double dot = 0;
                    for (int64_t i = 0; i < d; ++i) dot += q[i] * r[i];
                    for (int64_t i = 0; i < d; ++i) r[i] -= dot * q[i];
                }
            for (int64_t i = 0; i < d; ++i) {
                g2 += g[i] * g[i];
                r2 += r[i] * r[i];
            }
            raised += g2 > 0 && r2 > tol * tol * g2;
        }
        indep[j] = 2 * raised > m;
        if (!indep[j]) continue;
        for (int64_t n = 0; n < m; ++n) {   /* extend the basis at every sample */
            const double *g = J + (n * M + j) * d;
            double *q = Q + (n * M + c) * d, r2 = 0;
            memcpy(q, g, sizeof(double) * (size_t)d);
            for (int pass = 0; pass < 2; ++pass)
                for (int64_t b = 0; b < c; ++b) {
                    const double *qb = Q + (n * M + b) * d;
                    double dot = 0;
                    for (int64_t i = 0; i < d; ++i) dot += qb[i] * q[i];
                    for (int64_t i = 0; i < d; ++i) q[i] -= dot * qb[i];
                }
            for (int64_t i = 0; i < d; ++i) r2 += q[i] * q[i];
            double nr = sqrt(r2);
            for (int64_t i = 0; i < d; ++i) q[i] = nr > 0 ? q[i] / nr : 0;
        }
        c++;
    }
    return c;
}

typedef struct {
    int64_t m, K, Kall, d, nullity;
    int64_t *idx;        /* the K used features in the library */
    double *X, *V, *G;   /* samples (m x d), values (m x Kall), gradients (m x Kall x d) */
    double *theta;       /* nullity x K */
    double *sv;
    double gap;
} work;

static void work_free(sl_ctx *ctx, work *w)
{
    sl__free(ctx, w->idx);
    sl__free(ctx, w->V);
    sl__free(ctx, w->G);
    sl__free(ctx, w->theta);
    sl__free(ctx, w->sv);
}

/* The null space of A and its sparse basis into w->theta. */
static sl_status null_space(sl_ctx *ctx, const sl_conserved_opts *o, sl_vector_field_fn f, void *user, work *w)
{
    int64_t m = w->m, K = w->K, d = w->d;
    double *fx = sl__alloc(ctx, sizeof(double) * (size_t)(m * d), 0, WHO);
    double *A = sl__alloc(ctx, sizeof(double) * (size_t)(m * K + K + K * K), 0, WHO);
    w->sv = sl__alloc(ctx, sizeof(double) * (size_t)K, 0, WHO);
    if (!fx || !A || !w->sv) {
        sl__free(ctx, fx);
        sl__free(ctx, A);
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    }
    double *cn = A + m * K, *vt = cn + K;
    sl_status st = SL_OK;
    for (int64_t n = 0; n < m && !st; ++n) {
        int rc = f(user, 0.0, w->X + n * d, fx + n * d, d);
        if (rc) st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: the vector field returned %d at sample %lld", WHO, rc, (long long)n);
        int64_t bad = st ? -1 : sl__first_nonfinite(fx + n * d, (size_t)d);
        if (bad >= 0)
            st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the vector field is not finite at sample %lld (f[%lld] = %g)", WHO,
                          (long long)n, (long long)bad, fx[n * d + bad]);
    }
    if (!st) {
        /* A_nk = grad b_k(x_n) . f(x_n), column k scaled by
         * c_k = (sum_n |grad b_k(x_n)|^2 |f(x_n)|^2)^(1/2), the size A_nk
         * would have if grad b_k were parallel to f: so a column that
         * vanishes up to rounding (an exactly conserved feature) stays at
         * the rounding level instead of being blown up to unit norm */
        for (int64_t k = 0; k < K; ++k) cn[k] = 0;
        for (int64_t n = 0; n < m; ++n) {
            double f2 = 0;
            for (int64_t i = 0; i < d; ++i) f2 += fx[n * d + i] * fx[n * d + i];
            for (int64_t k = 0; k < K; ++k) {
                const double *g = w->G + (n * w->Kall + w->idx[k]) * d;
                double a = 0, g2 = 0;
                for (int64_t i = 0; i < d; ++i) {
                    a += g[i] * fx[n * d + i];
                    g2 += g[i] * g[i];
                }
                A[n * K + k] = a;
                cn[k] += g2 * f2;
            }
        }
        for (int64_t k = 0; k < K; ++k) cn[k] = cn[k] > 0 ? sqrt(cn[k]) : 1;
        for (int64_t n = 0; n < m; ++n)
            for (int64_t k = 0; k < K; ++k) A[n * K + k] /= cn[k];
        st = sl__svd(ctx, WHO, (int)m, (int)K, A, w->sv, vt);
    }
    if (!st) {
        double smax = w->sv[0];
        int64_t nul = 0;
        for (int64_t i = 0; i < K; ++i) nul += !(w->sv[i] > o->tolerance * smax) || smax < 1e-300;
        w->nullity = nul;
        w->gap = nul == 0 || nul == K ? INFINITY
                 : w->sv[K - nul] > 0 ? w->sv[K - nul - 1] / w->sv[K - nul] : INFINITY;
        w->theta = sl__alloc(ctx, sizeof(double) * (size_t)((nul ? nul : 1) * K), 0, WHO);
        if (!w->theta) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
        for (int64_t r = 0; !st && r < nul; ++r) memcpy(w->theta + r * K, vt + (K - nul + r) * K, sizeof(double) * (size_t)K);
        if (!st && o->sparsify) rref(nul, K, w->theta);
        for (int64_t r = 0; !st && r < nul; ++r) {
            for (int64_t k = 0; k < K; ++k) w->theta[r * K + k] /= cn[k];   /* back to the features' scale */
            normalise(K, w->theta + r * K);
        }
    }
    sl__free(ctx, fx);
    sl__free(ctx, A);
    return st;
}

/* I_j at the rows of V (n x Kall values) into out (n). */
static void quantity(const work *w, const double *theta, int64_t n, const double *V, double *out)
{
    for (int64_t p = 0; p < n; ++p) {
        double s = 0;
        for (int64_t k = 0; k < w->K; ++k) s += theta[k] * V[p * w->Kall + w->idx[k]];
        out[p] = s;
    }
}

static double variance(int64_t n, const double *v)
{
    double mean = 0, var = 0;
    for (int64_t i = 0; i < n; ++i) mean += v[i] / (double)n;
    for (int64_t i = 0; i < n; ++i) var += (v[i] - mean) * (v[i] - mean);
    return n > 1 ? var / (double)(n - 1) : 0;
}

/* relvar of each null vector on held-out trajectories. */
static sl_status conservation(sl_ctx *ctx, const sl_conserved_opts *o, sl_vector_field_fn f, void *user, const sl_features *lib,
                              const double *tlo, const double *thi, work *w, double *relvar)
{
    int64_t steps = (int64_t)llround(o->t_end / o->dt), every = steps > 100 ? steps / 100 : 1, per = steps / every + 1;
    int64_t nt = o->n_traj, np = nt * per, d = w->d, nul = w->nullity;
    double *T = sl__alloc(ctx, sizeof(double) * (size_t)(np * d + np * w->Kall + np + w->m), 0, WHO);
    if (!T) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    double *VT = T + np * d, *Iq = VT + np * w->Kall, *Is = Iq + np;
    sl_status st = sl_sample_trajectories(ctx, f, user, d, tlo, thi, o->domain, o->domain_user, nt, per, o->dt, every,
                                          o->stream + 1, T, NULL);
    if (st) st = restate(ctx, st);
    if (!st) st = sl__features_eval(lib, WHO, np, T, VT, NULL);   /* e.g. 1/r near r = 0: restrict the domain */
    for (int64_t j = 0; !st && j < nul; ++j) {
        const double *th = w->theta + j * w->K;
        quantity(w, th, w->m, w->V, Is);
        quantity(w, th, np, VT, Iq);
        double vs = variance(w->m, Is), acc = 0;
        for (int64_t t = 0; t < nt; ++t) acc += variance(per, Iq + t * per);
        relvar[j] = vs > 0 ? acc / (double)nt / vs : INFINITY;
    }
    sl__free(ctx, T);
    return st;
}

/* Fill the result from the accepted quantities. */
static sl_status build_result(sl_ctx *ctx, const sl_conserved_opts *o, const sl_features *lib, work *w, const double *relvar,
                              sl_conserved_result **out)
{
    int64_t K = w->K, d = w->d, m = w->m, M = 0;
    for (int64_t j = 0; j < w->nullity; ++j) M += relvar[j] < o->max_relvar;
    sl_conserved_result *r = sl__conserved_result_new(ctx, WHO);
    if (!r) return SL_ERR_NOMEM;
    sl_status st = sl__conserved_result_alloc(r, WHO, K, M, K);
    r->d = d;
    r->nullity = w->nullity;
    r->ntraj = o->n_traj;
    r->gap = w->gap;
    if (!st) memcpy(r->sv, w->sv, sizeof(double) * (size_t)K);
    for (int64_t j = 0, a = 0; !st && j < w->nullity; ++j) {
        if (!(relvar[j] < o->max_relvar)) continue;
        memcpy(r->coef + a * K, w->theta + j * K, sizeof(double) * (size_t)K);
        r->relvar[a++] = relvar[j];
    }
    for (int64_t k = 0; !st && k < K; ++k)
        if (!(r->fname[k] = sl__strdup(ctx, lib->f[w->idx[k]].name, WHO))) st = SL_ERR_NOMEM;
    /* independence from the Jacobians at the samples */
    if (!st && M > 0) {
        int64_t cells = m * M * d;
        double *J = sl__alloc(ctx, sizeof(double) * (size_t)(2 * cells + d), 0, WHO);
        if (!J) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
        else {
            memset(J, 0, sizeof(double) * (size_t)cells);
            for (int64_t n = 0; n < m; ++n)
                for (int64_t j = 0; j < M; ++j)
                    for (int64_t k = 0; k < K; ++k) {
                        double t = r->coef[j * K + k];
                        if (t == 0) continue;
                        const double *g = w->G + (n * w->Kall + w->idx[k]) * d;
                        for (int64_t i = 0; i < d; ++i) J[(n * M + j) * d + i] += t * g[i];
                    }
            r->c = independence(m, M, d, J, o->dep_tolerance, J + cells, r->indep);
            sl__free(ctx, J);
        }
    }
    /* formulas */
    char **terms = st ? NULL : sl__alloc(ctx, sizeof(char *) * (size_t)K, 1, WHO);
    if (!st && !terms) st = SL_ERR_NOMEM;
    for (int style = 0; !st && style < 3; ++style) {
        for (int64_t k = 0; !st && k < K; ++k) {
            char buf[1024];
            sl__feature_term(lib, w->idx[k], style, buf, sizeof buf);
            sl__free(ctx, terms[k]);
            if (!(terms[k] = sl__strdup(ctx, buf, WHO))) st = SL_ERR_NOMEM;
        }
        for (int64_t j = 0; !st && j < M; ++j) {
            sl__str s = {ctx, NULL, 0, 0, 0};
            sl__formula_sum(&s, K, r->coef + j * K, (const char *const *)terms, style);
            if (!(r->formula[style][j] = sl__str_take(&s))) st = SL_ERR_NOMEM;
        }
    }
    for (int64_t k = 0; terms && k < K; ++k) sl__free(ctx, terms[k]);
    sl__free(ctx, terms);
    if (st) {
        if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", WHO);
        sl_conserved_result_destroy(r);
        return st;
    }
    *out = r;
    return SL_OK;
}

sl_status sl_discover_conserved(sl_ctx *ctx, const sl_conserved_opts *opts, sl_vector_field_fn f, void *user, int64_t d,
                                const double *lo, const double *hi, int64_t m, const double *x, const sl_features *lib,
                                sl_conserved_result **out)
{
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", WHO);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    sl_conserved_opts o = SL_CONSERVED_OPTS_INIT;
    sl_status st;
    if (opts && (st = sl__opts_read(ctx, WHO, "opts", &o, sizeof o, opts, CONS_OPTS_MIN))) return st;
    if ((st = check_opts(ctx, &o))) return st;
    if (!f) return sl__fail(ctx, SL_ERR_NULL, "%s: f is NULL", WHO);
    if (!lib) return sl__fail(ctx, SL_ERR_NULL, "%s: lib is NULL", WHO);
    if (lib->ctx != ctx) return sl__fail(ctx, SL_ERR_GRAPH, "%s: lib belongs to another context", WHO);
    if (d != lib->d) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld but the library has %lld variables", WHO, (long long)d, (long long)lib->d);
    if (!x && (!lo || !hi)) return sl__fail(ctx, SL_ERR_NULL, "%s: neither sample points x nor a box (lo, hi) given", WHO);
    if ((lo != NULL) != (hi != NULL)) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL (give both lo and hi, or neither)", WHO, lo ? "hi" : "lo");
    if (lo && (st = sl__box_check(ctx, WHO, d, lo, hi))) return st;
    work w = {0};
    w.d = d;
    w.Kall = lib->K;
    w.m = x ? m : o.samples;
    if (x) {
        int64_t cells;
        if (m < 1 || m > ((int64_t)1 << 24)) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld sample points (must be 1..2^24)", WHO, (long long)m);
        if (!sl__mul_ok(m, d, &cells)) return sl__fail(ctx, SL_ERR_ARG, "%s: m x d is too large", WHO);
        int64_t bad = sl__first_nonfinite(x, (size_t)cells);
        if (bad >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g (sample %lld is not finite)", WHO, (long long)bad, x[bad], (long long)(bad / d));
    }
    w.idx = sl__alloc(ctx, sizeof(int64_t) * (size_t)(lib->K ? lib->K : 1), 0, WHO);
    if (!w.idx) return SL_ERR_NOMEM;
    for (int64_t k = 0; k < lib->K; ++k)
        if (!sl__feat_is_const(lib, k)) w.idx[w.K++] = k;
    if (w.K == 0) st = sl__fail(ctx, SL_ERR_ARG, "%s: the library has no non-constant features", WHO);
    else if (w.m < w.K + 1)
        st = sl__fail(ctx, SL_ERR_ARG, "%s: %lld samples for %lld features (need more samples than features)", WHO,
                      (long long)w.m, (long long)w.K);
    int64_t f3[3] = {w.m, w.Kall, d}, ng = 0;
    if (!st) st = sl__product(ctx, SL_ERR_ARG, WHO, "samples x features x d", 3, f3, &ng);
    double *Xown = NULL, *relvar = NULL, *tbox = NULL;
    if (!st) {
        Xown = x ? NULL : sl__alloc(ctx, sizeof(double) * (size_t)(w.m * d), 0, WHO);
        w.V = sl__alloc(ctx, sizeof(double) * (size_t)(w.m * w.Kall), 0, WHO);
        w.G = sl__alloc(ctx, sizeof(double) * (size_t)ng, 0, WHO);
        tbox = sl__alloc(ctx, sizeof(double) * (size_t)(2 * d), 0, WHO);
        if ((!x && !Xown) || !w.V || !w.G || !tbox) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    }
    if (!st && !x && (st = sl_sample_box(ctx, d, lo, hi, o.domain, o.domain_user, w.m, o.stream, Xown))) st = restate(ctx, st);
    w.X = x ? (double *)x : Xown;
    if (!st) st = sl__features_eval(lib, WHO, w.m, w.X, w.V, w.G);
    if (!st) {
        /* feature columns (and a constant) must be independent at the samples */
        double *Vu = sl__alloc(ctx, sizeof(double) * (size_t)(w.m * w.K), 0, WHO);
        const char **nm = sl__alloc(ctx, sizeof(char *) * (size_t)w.K, 0, WHO);
        if (!Vu || !nm) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
        for (int64_t n = 0; !st && n < w.m; ++n)
            for (int64_t k = 0; k < w.K; ++k) Vu[n * w.K + k] = w.V[n * w.Kall + w.idx[k]];
        for (int64_t k = 0; !st && k < w.K; ++k) nm[k] = lib->f[w.idx[k]].name;
        if (!st) st = sl__columns_independent(ctx, WHO, w.m, w.K, Vu, 1, nm, 1e-10);
        sl__free(ctx, Vu);
        sl__free(ctx, nm);
    }
    if (!st && o.mode == SL_CONSERVED_EXACT) st = null_space(ctx, &o, f, user, &w);
    if (!st) {
        /* held-out trajectories start in the box, or the samples' bounding box */
        for (int64_t i = 0; i < d; ++i) {
            if (lo) {
                tbox[i] = lo[i];
                tbox[d + i] = hi[i];
                continue;
            }
            double a = INFINITY, b = -INFINITY;
            for (int64_t n = 0; n < w.m; ++n) {
                a = fmin(a, w.X[n * d + i]);
                b = fmax(b, w.X[n * d + i]);
            }
            if (!(b > a)) b = a + fmax(1e-9, 1e-9 * fabs(a));
            tbox[i] = a;
            tbox[d + i] = b;
        }
        if (o.mode != SL_CONSERVED_EXACT) {
            st = sl__conserved_neural(ctx, &o, f, user, d, w.m, w.X, tbox, tbox + d, lib, out);
            sl__free(ctx, Xown);
            sl__free(ctx, tbox);
            work_free(ctx, &w);
            return st;
        }
        relvar = sl__alloc(ctx, sizeof(double) * (size_t)(w.nullity ? w.nullity : 1), 0, WHO);
        if (!relvar) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    }
    if (!st && w.nullity) st = conservation(ctx, &o, f, user, lib, tbox, tbox + d, &w, relvar);
    if (!st) st = build_result(ctx, &o, lib, &w, relvar, out);
    sl__free(ctx, Xown);
    sl__free(ctx, relvar);
    sl__free(ctx, tbox);
    work_free(ctx, &w);
    return st;
}
