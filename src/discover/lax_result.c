/* The result of sl_discover_lax_pair: evaluation of the trained pair, the
 * conserved traces tr L^k checked on held-out points and along RK4
 * trajectories, and sparse-regression formulas for the entries. */
#include "lax_internal.h"

#include <complex.h>
#include <math.h>

/* doubles per matrix entry: 2 for complex pairs (interleaved re, im) */
static int64_t cw_of(const sl_lax_result *r) { return r->o.complex_valued ? 2 : 1; }

sl_status sl__lax_eval_setup(sl_lax_result *r, const char *who)
{
    sl_ctx *ctx = r->ctx;
    sl_status st = sl_graph_create(ctx, &r->g);
    if (st) return st;
    int64_t shape[2] = {SL_LAX_CHUNK, r->d};
    r->x = sl_graph_input(r->g, SL_F64, 2, shape, "x");
    r->xdot = sl_graph_input(r->g, SL_F64, 2, shape, "xdot");
    if (!r->x || !r->xdot || !sl__lax_model(r, r->g, r->x, r->xdot, &r->L, &r->M, &r->ldot))
        return sl__rewho(ctx, sl_graph_status(r->g) ? sl_graph_status(r->g) : SL_ERR_NOMEM, who);
    sl__lax_set_weights(r, r->weights);
    r->xbuf = sl__alloc(ctx, sizeof(double) * (size_t)(2 * SL_LAX_CHUNK * r->d), 1, who);
    if (!r->xbuf) return SL_ERR_NOMEM;
    r->vbuf = r->xbuf + SL_LAX_CHUNK * r->d;
    sl_node *outs[3] = {r->L, r->M, r->ldot};
    if ((st = sl_plan_create(r->g, 3, outs, &r->plan)) || (st = sl_plan_bind(r->plan, r->x, r->xbuf)) ||
        (st = sl_plan_bind(r->plan, r->xdot, r->vbuf)))
        return sl__rewho(ctx, st, who);
    return SL_OK;
}

/* Rows [0, m) of x (and xdot, may be NULL) in chunks; no checks. */
static sl_status eval_rows(sl_lax_result *r, int64_t m, const double *x, const double *xdot, double *L, double *M,
                           double *ld)
{
    int64_t d = r->d, nn = r->n * r->n * cw_of(r);
    for (int64_t s = 0; s < m; s += SL_LAX_CHUNK) {
        int64_t c = m - s < SL_LAX_CHUNK ? m - s : SL_LAX_CHUNK;
        memset(r->xbuf, 0, sizeof(double) * (size_t)(2 * SL_LAX_CHUNK * d));
        memcpy(r->xbuf, x + s * d, sizeof(double) * (size_t)(c * d));
        if (xdot) memcpy(r->vbuf, xdot + s * d, sizeof(double) * (size_t)(c * d));
        sl_status st = sl_plan_run(r->plan);
        if (st) return st;
        size_t bytes = sizeof(double) * (size_t)(c * nn);
        if (L) memcpy(L + s * nn, sl_plan_output(r->plan, 0), bytes);
        if (M) memcpy(M + s * nn, sl_plan_output(r->plan, 1), bytes);
        if (ld) memcpy(ld + s * nn, sl_plan_output(r->plan, 2), bytes);
    }
    return SL_OK;
}

/* tr L^k of one N x N matrix (p, q: N^2 scratch each). */
static double trace_power(const double *L, int64_t n, int k, double *p, double *q)
{
    memcpy(p, L, sizeof(double) * (size_t)(n * n));
    for (int e = 1; e < k; ++e) {
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j) {
                double s = 0;
                for (int64_t l = 0; l < n; ++l) s += p[i * n + l] * L[l * n + j];
                q[i * n + j] = s;
            }
        memcpy(p, q, sizeof(double) * (size_t)(n * n));
    }
    double t = 0;
    for (int64_t i = 0; i < n; ++i) t += p[i * n + i];
    return t;
}

/* The same for a complex matrix (interleaved; p, q: 2 N^2 scratch each); re, im of the trace. */
static void trace_power_c(const double *Ld, int64_t n, int k, double *pd, double *qd, double *t2)
{
    const double complex *L = (const double complex *)(const void *)Ld;
    double complex *p = (double complex *)(void *)pd, *q = (double complex *)(void *)qd;
    memcpy(p, L, sizeof(double complex) * (size_t)(n * n));
    for (int e = 1; e < k; ++e) {
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j) {
                double sr = 0, si = 0;
                for (int64_t l = 0; l < n; ++l) {
                    double complex u = p[i * n + l], v = L[l * n + j];
                    sr += creal(u) * creal(v) - cimag(u) * cimag(v), si += creal(u) * cimag(v) + cimag(u) * creal(v);
                }
                q[i * n + j] = CMPLX(sr, si);
            }
        memcpy(p, q, sizeof(double complex) * (size_t)(n * n));
    }
    double tr = 0, ti = 0;
    for (int64_t i = 0; i < n; ++i) tr += creal(p[i * n + i]), ti += cimag(p[i * n + i]);
    t2[0] = tr, t2[1] = ti;
}

/* tr L^k for k = 1..kmax at m rows into F (kmax x m, times 2 interleaved for
 * complex pairs), and mean |L|_F^k into norm (kmax, may be NULL). */
static sl_status traces(sl_lax_result *r, const char *who, int64_t m, const double *x, int kmax, double *F, double *norm)
{
    int64_t n = r->n, cw = cw_of(r), nn = n * n * cw;
    double *Lb = sl__alloc(r->ctx, sizeof(double) * (size_t)(SL_LAX_CHUNK * nn + 2 * nn), 0, who);
    if (!Lb) return SL_ERR_NOMEM;
    double *p = Lb + SL_LAX_CHUNK * nn, *q = p + nn;
    if (norm)
        for (int k = 0; k < kmax; ++k) norm[k] = 0;
    sl_status st = SL_OK;
    for (int64_t s = 0; s < m && !st; s += SL_LAX_CHUNK) {
        int64_t c = m - s < SL_LAX_CHUNK ? m - s : SL_LAX_CHUNK;
        if ((st = eval_rows(r, c, x + s * r->d, NULL, Lb, NULL, NULL))) break;
        for (int64_t b = 0; b < c; ++b) {
            const double *Lm = Lb + b * nn;
            double f2 = 0;
            for (int64_t i = 0; i < nn; ++i) f2 += Lm[i] * Lm[i];
            for (int k = 1; k <= kmax; ++k) {
                if (cw == 2) trace_power_c(Lm, n, k, p, q, F + 2 * ((k - 1) * m + s + b));
                else F[(k - 1) * m + s + b] = trace_power(Lm, n, k, p, q);
                if (norm) norm[k - 1] += pow(sqrt(f2), k) / (double)m;
            }
        }
    }
    sl__free(r->ctx, Lb);
    return st;
}

static sl_status fit_entries(sl_lax_result *r, const char *who, int64_t m, const double *x, const double *L,
                             const double *M)
{
    sl_ctx *ctx = r->ctx;
    int64_t nn = r->n * r->n;
    sl_features *lib = NULL;
    sl_status st = sl_features_create(ctx, r->d, &lib);
    if (!st) st = sl_features_add_monomials(lib, 0, r->o.regress_degree);
    double *y = st ? NULL : sl__alloc(ctx, sizeof(double) * (size_t)m, 0, who);
    r->fitL = st ? NULL : sl__alloc(ctx, sizeof(sl_regression *) * (size_t)(2 * nn), 1, who);
    if (!st && (!y || !r->fitL)) st = SL_ERR_NOMEM;
    if (st) {
        sl__free(ctx, y);
        sl_features_destroy(lib);
        return sl__rewho(ctx, st, who);
    }
    r->fitM = r->fitL + nn;
    sl_regression_opts ro;
    sl_regression_opts_init(&ro);
    ro.method = SL_REGRESSION_STLSQ;
    ro.threshold = r->o.regress_threshold;
    for (int which = 0; which < 2; ++which) {
        const double *A = which ? M : L;
        for (int64_t e = 0; e < nn; ++e) {
            for (int64_t b = 0; b < m; ++b) y[b] = A[b * nn + e];
            sl_regression *fit = NULL;
            /* a fit that fails (too few points for the library) is left out */
            if (sl_regress(ctx, &ro, lib, m, x, 0, NULL, NULL, y, &fit) == SL_OK) (which ? r->fitM : r->fitL)[e] = fit;
        }
    }
    sl__free(ctx, y);
    sl_features_destroy(lib);
    return SL_OK;
}

sl_status sl__lax_checks(sl_lax_result *r, const char *who, sl_vector_field_fn f, void *user, const double *lo,
                         const double *hi, int64_t m, const double *xt, const double *vt)
{
    sl_ctx *ctx = r->ctx;
    const sl_lax_opts *o = &r->o;
    int64_t d = r->d, cw = cw_of(r), nn = r->n * r->n * cw, hm = f ? o->holdout : m;
    int kmax = o->kmax;
    for (int k = 0; k < SL_LAX_KMAX; ++k) r->drift[k] = r->spread[k] = NAN;
    r->residual = NAN;
    double *buf = sl__alloc(ctx, sizeof(double) * (size_t)(2 * hm * d + 3 * hm * nn + (int64_t)kmax * hm * cw + kmax), 0, who);
    if (!buf) return SL_ERR_NOMEM;
    double *x = buf, *v = x + hm * d, *L = v + hm * d, *M = L + hm * nn, *ld = M + hm * nn, *F = ld + hm * nn,
           *norm = F + (int64_t)kmax * hm * cw;
    sl_status st = SL_OK;
    if (f) {
        if ((st = sl_sample_box(ctx, d, lo, hi, NULL, NULL, hm, o->seed + 1, x))) goto done;
        for (int64_t i = 0; i < hm && !st; ++i) {
            int rc = f(user, 0.0, x + i * d, v + i * d, d);
            if (rc) st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: the vector field failed (returned %d) at held-out point %lld", who, rc, (long long)i);
            for (int64_t k = 0; k < d && !st; ++k)
                if (!isfinite(v[i * d + k]))
                    st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the vector field gave %g at held-out point %lld", who,
                                  v[i * d + k], (long long)i);
        }
        if (st) goto done;
    } else {
        memcpy(x, xt, sizeof(double) * (size_t)(hm * d));
        memcpy(v, vt, sizeof(double) * (size_t)(hm * d));
    }
    if ((st = eval_rows(r, hm, x, v, L, M, ld))) goto done;
    {
        /* relative residual mean |Ldot - [L, M]|^2 / mean |Ldot|^2 */
        double num = 0, den = 0;
        int64_t n = r->n;
        for (int64_t b = 0; b < hm && cw == 2; ++b) {
            const double complex *Lb = (const double complex *)(const void *)(L + b * nn),
                                 *Mb = (const double complex *)(const void *)(M + b * nn),
                                 *Db = (const double complex *)(const void *)(ld + b * nn);
            for (int64_t i = 0; i < n; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    double complex c = 0;
                    for (int64_t l = 0; l < n; ++l) c += Lb[i * n + l] * Mb[l * n + j] - Mb[i * n + l] * Lb[l * n + j];
                    double complex e = Db[i * n + j] - c;
                    num += creal(e) * creal(e) + cimag(e) * cimag(e);
                    den += creal(Db[i * n + j]) * creal(Db[i * n + j]) + cimag(Db[i * n + j]) * cimag(Db[i * n + j]);
                }
        }
        for (int64_t b = 0; b < hm && cw == 1; ++b) {
            const double *Lb = L + b * nn, *Mb = M + b * nn, *Db = ld + b * nn;
            for (int64_t i = 0; i < n; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    double c = 0;
                    for (int64_t l = 0; l < n; ++l) c += Lb[i * n + l] * Mb[l * n + j] - Mb[i * n + l] * Lb[l * n + j];
                    double e = Db[i * n + j] - c;
                    num += e * e;
                    den += Db[i * n + j] * Db[i * n + j];
                }
        }
        r->residual = num / den;
    }
    if ((st = traces(r, who, hm, x, kmax, F, norm))) goto done;
    for (int k = 0; k < kmax; ++k) {
        /* complex: var = mean |F - <F>|^2, over both parts */
        double var = 0;
        for (int64_t c = 0; c < cw; ++c) {
            double mean = 0;
            for (int64_t b = 0; b < hm; ++b) mean += F[(k * hm + b) * cw + c] / (double)hm;
            for (int64_t b = 0; b < hm; ++b)
                var += (F[(k * hm + b) * cw + c] - mean) * (F[(k * hm + b) * cw + c] - mean) / (double)hm;
        }
        r->spread[k] = norm[k] > 0 ? sqrt(var) / norm[k] : 0;
    }
    if (f && o->n_traj > 0) {
        int64_t steps = (int64_t)llround(o->t_end / o->dt), nout = steps + 1;
        double *traj = sl__alloc(ctx, sizeof(double) * (size_t)(nout * d + (int64_t)kmax * nout * cw + d), 0, who);
        if (!traj) {
            st = SL_ERR_NOMEM;
            goto done;
        }
        double *Ft = traj + nout * d, *x0 = Ft + (int64_t)kmax * nout * cw;
        for (int k = 0; k < kmax; ++k) r->drift[k] = 0;
        for (int64_t t = 0; t < o->n_traj && !st; ++t) {
            for (int64_t i = 0; i < d; ++i) {
                double c = 0.5 * (lo[i] + hi[i]), h = 0.5 * (hi[i] - lo[i]) * o->traj_shrink;
                x0[i] = c + h * (2 * sl_rng_uniform(sl_ctx_seed(ctx) + o->seed + 2, (uint64_t)(t * d + i)) - 1);
            }
            if ((st = sl_ode_rk4(ctx, f, user, d, x0, 0.0, o->dt, nout, 1, traj))) break;
            if ((st = traces(r, who, nout, traj, kmax, Ft, NULL))) break;
            for (int k = 0; k < kmax; ++k) {
                double mx = 0;
                for (int64_t s = 1; s < nout; ++s) {
                    double e2 = 0;
                    for (int64_t c = 0; c < cw; ++c) {
                        double e = Ft[(k * nout + s) * cw + c] - Ft[k * nout * cw + c];
                        e2 += e * e;
                    }
                    mx = fmax(mx, sqrt(e2));
                }
                double rel = norm[k] > 0 ? mx / norm[k] : 0;
                if (rel > r->drift[k]) r->drift[k] = rel;
            }
        }
        sl__free(ctx, traj);
        if (st) {
            sl__rewho(ctx, st, who);
            goto done;
        }
    }
    if (o->regress_degree > 0 && cw == 1) st = fit_entries(r, who, hm, x, L, M);
done:
    sl__free(ctx, buf);
    return st;
}

/* ---- Queries ---------------------------------------------------------------------------- */

void sl_lax_result_destroy(sl_lax_result *r)
{
    if (!r) return;
    sl_ctx *ctx = r->ctx;
    if (r->fitL)
        for (int64_t e = 0; e < 2 * r->n * r->n; ++e) sl_regression_destroy(r->fitL[e]);
    sl__free(ctx, r->fitL);
    sl_plan_destroy(r->plan);
    sl_graph_destroy(r->g);
    sl__free(ctx, r->xbuf);
    sl__free(ctx, r->weights);
    sl__free(ctx, r);
}

int64_t sl_lax_result_dim(const sl_lax_result *r) { return r ? r->d : 0; }
int64_t sl_lax_result_size(const sl_lax_result *r) { return r ? r->n : 0; }

double sl_lax_result_loss(const sl_lax_result *r, int term, int initial)
{
    if (!r || term < 0 || term >= SL_LAX_NTERMS) return NAN;
    return r->loss[initial ? 1 : 0][term];
}

double sl_lax_result_residual(const sl_lax_result *r) { return r ? r->residual : NAN; }

double sl_lax_result_drift(const sl_lax_result *r, int k)
{
    return r && k >= 1 && k <= r->o.kmax ? r->drift[k - 1] : NAN;
}

double sl_lax_result_spread(const sl_lax_result *r, int k)
{
    return r && k >= 1 && k <= r->o.kmax ? r->spread[k - 1] : NAN;
}

int sl_lax_result_conserved(const sl_lax_result *r, int k)
{
    if (!r || k < 1 || k > r->o.kmax) return 0;
    return r->drift[k - 1] < r->o.max_drift && r->spread[k - 1] > 1e-3;
}

static sl_status check_eval(sl_lax_result *r, const char *who, int64_t m, const double *x)
{
    if (!r) return SL_ERR_NULL;
    if (!x) return sl__fail(r->ctx, SL_ERR_NULL, "%s: x is NULL", who);
    if (m < 1 || m > ((int64_t)1 << 30))
        return sl__fail(r->ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    int64_t bad = sl__first_nonfinite(x, (size_t)(m * r->d));
    if (bad >= 0) return sl__fail(r->ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g is not finite", who, (long long)bad, x[bad]);
    return SL_OK;
}

sl_status sl_lax_result_eval(sl_lax_result *r, int64_t m, const double *x, const double *xdot, double *lmat,
                             double *mmat, double *ldot)
{
    const char *who = "sl_lax_result_eval";
    sl_status st = check_eval(r, who, m, x);
    if (st) return st;
    if (ldot && !xdot) return sl__fail(r->ctx, SL_ERR_NULL, "%s: ldot is asked for but xdot is NULL", who);
    int64_t bad;
    if (xdot && (bad = sl__first_nonfinite(xdot, (size_t)(m * r->d))) >= 0)
        return sl__fail(r->ctx, SL_ERR_NONFINITE, "%s: xdot[%lld] = %g is not finite", who, (long long)bad, xdot[bad]);
    st = eval_rows(r, m, x, xdot, lmat, mmat, ldot);
    return st ? sl__rewho(r->ctx, st, who) : SL_OK;
}

sl_status sl_lax_result_trace(sl_lax_result *r, int k, int64_t m, const double *x, double *values)
{
    const char *who = "sl_lax_result_trace";
    sl_status st = check_eval(r, who, m, x);
    if (st) return st;
    if (!values) return sl__fail(r->ctx, SL_ERR_NULL, "%s: values is NULL", who);
    if (k < 1 || k > 64) return sl__fail(r->ctx, SL_ERR_ARG, "%s: k = %d (must be 1..64)", who, k);
    /* the k-th row of a kmax = k table, one chunk at a time */
    int64_t cw = cw_of(r);
    double *F = sl__alloc(r->ctx, sizeof(double) * (size_t)(k * SL_LAX_CHUNK * cw), 0, who);
    if (!F) return SL_ERR_NOMEM;
    for (int64_t s = 0; s < m && !st; s += SL_LAX_CHUNK) {
        int64_t c = m - s < SL_LAX_CHUNK ? m - s : SL_LAX_CHUNK;
        st = traces(r, who, c, x + s * r->d, k, F, NULL);
        if (!st) memcpy(values + s * cw, F + (int64_t)(k - 1) * c * cw, sizeof(double) * (size_t)(c * cw));
    }
    sl__free(r->ctx, F);
    return st ? sl__rewho(r->ctx, st, who) : SL_OK;
}

int64_t sl_lax_result_nweights(const sl_lax_result *r) { return r ? r->nweights : 0; }

sl_status sl_lax_result_weights(const sl_lax_result *r, double *out)
{
    if (!r) return SL_ERR_NULL;
    if (!out) return sl__fail(r->ctx, SL_ERR_NULL, "sl_lax_result_weights: out is NULL");
    memcpy(out, r->weights, sizeof(double) * (size_t)r->nweights);
    return SL_OK;
}

static const sl_regression *entry_fit(const sl_lax_result *r, int which, int64_t i, int64_t j)
{
    if (!r || !r->fitL || i < 0 || j < 0 || i >= r->n || j >= r->n) return NULL;
    if (which == 'L' || which == 'l') return r->fitL[i * r->n + j];
    if (which == 'M' || which == 'm') return r->fitM[i * r->n + j];
    return NULL;
}

const char *sl_lax_result_formula(const sl_lax_result *r, int which, int64_t i, int64_t j, int style)
{
    const sl_regression *f = entry_fit(r, which, i, j);
    return f ? sl_regression_formula(f, style) : NULL;
}

double sl_lax_result_r2(const sl_lax_result *r, int which, int64_t i, int64_t j)
{
    const sl_regression *f = entry_fit(r, which, i, j);
    return f ? sl_regression_r2(f) : NAN;
}

sl_status sl_lax_result_print(const sl_lax_result *r, FILE *f)
{
    if (!r) return SL_ERR_NULL;
    if (!f) return sl__fail(r->ctx, SL_ERR_NULL, "sl_lax_result_print: f is NULL");
    static const char *names[SL_LAX_NTERMS] = {"total", "lax", "L-term", "LM-term", "mode collapse", "scale", "motion",
                                               "spectrum"};
    int e = 0;
    e |= fprintf(f, "Lax pair: N = %lld, d = %lld, %s model%s%s\n", (long long)r->n, (long long)r->d,
                 r->o.model == SL_LAX_MODEL_MLP ? "MLP" : "linear", r->o.complex_valued ? ", complex" : "",
                 r->o.traceless ? ", traceless" : "") < 0;
    for (int t = 0; t < SL_LAX_NTERMS; ++t)
        e |= fprintf(f, "  %-14s initial %.6g  final %.6g\n", names[t], r->loss[1][t], r->loss[0][t]) < 0;
    e |= fprintf(f, "  held-out relative residual %.3g\n", r->residual) < 0;
    for (int k = 1; k <= r->o.kmax; ++k)
        e |= fprintf(f, "  tr L^%d: drift %.3g, spread %.3g%s\n", k, r->drift[k - 1], r->spread[k - 1],
                     sl_lax_result_conserved(r, k) ? "  (conserved)" : "") < 0;
    if (r->fitL)
        for (int w = 0; w < 2; ++w)
            for (int64_t i = 0; i < r->n; ++i)
                for (int64_t j = 0; j < r->n; ++j) {
                    const char *s = sl_lax_result_formula(r, w ? 'M' : 'L', i, j, SL_FORMULA_TEXT);
                    e |= fprintf(f, "  %c[%lld][%lld]: %s (R^2 %.6f)\n", w ? 'M' : 'L', (long long)i, (long long)j,
                                 s ? s : "(no fit)", sl_lax_result_r2(r, w ? 'M' : 'L', i, j)) < 0;
                }
    return e ? sl__fail(r->ctx, SL_ERR_IO, "sl_lax_result_print: write failed") : SL_OK;
}
