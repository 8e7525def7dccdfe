/* Options of sl_discover_symmetries: the oracles and the solver settings. */
#include "symmetry_internal.h"

#include <math.h>

#define OPTS_CHECK(o, who)                                                 \
    do {                                                                   \
        if (!(o)) return sl__fail(NULL, SL_ERR_NULL, "%s: o is NULL", who); \
    } while (0)

/* A 0/1 flag argument. */
#define FLAG_CHECK(o, who, name, v)                                                                    \
    do {                                                                                               \
        if ((v) != 0 && (v) != 1)                                                                      \
            return sl__fail((o)->ctx, SL_ERR_ARG, "%s: %s = %d (must be 0 or 1)", who, name, (int)(v)); \
    } while (0)

/* Bounds of the counts: N_g <= n^2 <= 8192 (sl_discover_symmetries), steps. */
#define MAX_NG 8192
#define MAX_STEPS 10000000

sl_status sl_symmetry_opts_create(sl_ctx *ctx, sl_symmetry_opts **out)
{
    const char *who = "sl_symmetry_opts_create";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return sl__fail(NULL, SL_ERR_NULL, "%s: ctx is NULL", who);
    sl_symmetry_opts *o = sl__alloc(ctx, sizeof *o, 1, who);
    if (!o) return SL_ERR_NOMEM;
    o->ctx = ctx;
    o->m = 0;
    o->seed = sl_ctx_seed(ctx);
    o->solver = SL_SYM_EXACT;
    o->inv_mode = SL_SYM_INV_DERIVATIVE;
    o->eps = 1e-3;
    o->clos_mode = SL_SYM_CLOSURE_LSQ;
    o->w[0] = o->w[1] = o->w[2] = o->w[3] = 1;
    o->adam_steps = 300;
    o->lr = 1e-2;
    o->lbfgs_steps = 100;
    o->sparsify = 1;
    *out = o;
    return SL_OK;
}

void sl_symmetry_opts_destroy(sl_symmetry_opts *o)
{
    if (!o) return;
    sl_ctx *ctx = o->ctx;
    for (int k = 0; k < o->noracles; ++k) {
        sl__free(ctx, o->oracles[k]->mat);
        sl__free(ctx, o->oracles[k]->x);
        sl__free(ctx, o->oracles[k]);
    }
    sl__free(ctx, o->oracles);
    sl__free(ctx, o->init_W);
    sl__free(ctx, o->init_C);
    sl__free(ctx, o);
}

/* Append an oracle acting on R^n; the caller fills the rest. */
static sl__oracle *add_oracle(sl_symmetry_opts *o, const char *who, int kind, int n, int nargs, int nout)
{
    sl_ctx *ctx = o->ctx;
    if (n < 1 || n > 1024) {
        sl__fail(ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..1024)", who, n);
        return NULL;
    }
    if (nargs < 1 || nargs > 16 || nout < 1 || nout > 4096) {
        sl__fail(ctx, SL_ERR_ARG, "%s: nargs = %d, nout = %d (must be in 1..16, 1..4096)", who, nargs, nout);
        return NULL;
    }
    if (o->noracles > 0 && o->n != n) {
        sl__fail(ctx, SL_ERR_SHAPE, "%s: the oracle acts on R^%d but the earlier ones on R^%d", who, n, o->n);
        return NULL;
    }
    if (o->noracles == o->cap) {
        int cap = o->cap ? 2 * o->cap : 4;
        sl__oracle **p = sl__alloc(ctx, sizeof *p * cap, 1, who);
        if (!p) return NULL;
        if (o->noracles) memcpy(p, o->oracles, sizeof *p * o->noracles);
        sl__free(ctx, o->oracles);
        o->oracles = p;
        o->cap = cap;
    }
    sl__oracle *r = sl__alloc(ctx, sizeof *r, 1, who);
    if (!r) return NULL;
    r->kind = kind;
    r->n = n;
    r->nargs = nargs;
    r->nout = nout;
    r->gfn = sl__oracle_builtin;
    r->user = r;
    o->oracles[o->noracles++] = r;
    o->n = n;
    return r;
}

static void drop_last(sl_symmetry_opts *o)
{
    sl__oracle *r = o->oracles[--o->noracles];
    sl__free(o->ctx, r->mat);
    sl__free(o->ctx, r);
}

sl_status sl_symmetry_opts_oracle_quadratic(sl_symmetry_opts *o, int n, const double *G)
{
    const char *who = "sl_symmetry_opts_oracle_quadratic";
    OPTS_CHECK(o, who);
    if (G) {
        if (n < 1 || n > 1024) return sl__fail(o->ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..1024)", who, n);
        int64_t bad = sl__first_nonfinite(G, (size_t)n * n);
        if (bad >= 0) return sl__fail(o->ctx, SL_ERR_NONFINITE, "%s: G[%lld] is not finite", who, (long long)bad);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < i; ++j)
                if (fabs(G[i * n + j] - G[j * n + i]) > 1e-12 * (fabs(G[i * n + j]) + fabs(G[j * n + i]) + 1e-300))
                    return sl__fail(o->ctx, SL_ERR_ARG, "%s: G is not symmetric (G[%d][%d] != G[%d][%d])", who, i, j, j, i);
    }
    sl__oracle *r = add_oracle(o, who, SL__ORACLE_QUADRATIC, n, 1, 1);
    if (!r) return sl_ctx_last_status(o->ctx);
    r->mat = sl__alloc(o->ctx, sizeof(double) * (size_t)n * n, 1, who);
    if (!r->mat) {
        drop_last(o);
        return SL_ERR_NOMEM;
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) r->mat[i * n + j] = G ? G[i * n + j] : (i == j);
    return SL_OK;
}

sl_status sl_symmetry_opts_oracle_norm(sl_symmetry_opts *o, int n)
{
    const char *who = "sl_symmetry_opts_oracle_norm";
    OPTS_CHECK(o, who);
    return add_oracle(o, who, SL__ORACLE_NORM, n, 1, 1) ? SL_OK : sl_ctx_last_status(o->ctx);
}

sl_status sl_symmetry_opts_oracle_hermitian(sl_symmetry_opts *o, int n, const double *H)
{
    const char *who = "sl_symmetry_opts_oracle_hermitian";
    OPTS_CHECK(o, who);
    if (n < 1 || n > 512) return sl__fail(o->ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..512)", who, n);
    if (H) {
        int64_t bad = sl__first_nonfinite(H, (size_t)2 * n * n);
        if (bad >= 0) return sl__fail(o->ctx, SL_ERR_NONFINITE, "%s: H[%lld] is not finite", who, (long long)bad);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j <= i; ++j) {
                const double *a = H + 2 * (i * n + j), *b = H + 2 * (j * n + i);
                if (fabs(a[0] - b[0]) > 1e-12 * (fabs(a[0]) + 1) || fabs(a[1] + b[1]) > 1e-12 * (fabs(a[1]) + 1))
                    return sl__fail(o->ctx, SL_ERR_ARG, "%s: H is not Hermitian at (%d, %d)", who, i, j);
            }
    }
    sl__oracle *r = add_oracle(o, who, SL__ORACLE_HERMITIAN, 2 * n, 2, 2);
    if (!r) return sl_ctx_last_status(o->ctx);
    r->mat = sl__alloc(o->ctx, sizeof(double) * 2 * (size_t)n * n, 1, who);
    if (!r->mat) {
        drop_last(o);
        return SL_ERR_NOMEM;
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            r->mat[2 * (i * n + j)] = H ? H[2 * (i * n + j)] : (i == j);
            r->mat[2 * (i * n + j) + 1] = H ? H[2 * (i * n + j) + 1] : 0;
        }
    return SL_OK;
}

sl_status sl_symmetry_opts_oracle_determinant(sl_symmetry_opts *o, int n, int is_complex)
{
    const char *who = "sl_symmetry_opts_oracle_determinant";
    OPTS_CHECK(o, who);
    if (n < 1 || n > 6) return sl__fail(o->ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..6)", who, n);
    FLAG_CHECK(o, who, "is_complex", is_complex);
    sl__oracle *r = is_complex ? add_oracle(o, who, SL__ORACLE_DET_COMPLEX, 2 * n, n, 2)
                               : add_oracle(o, who, SL__ORACLE_DET, n, n, 1);
    if (!r) return sl_ctx_last_status(o->ctx);
    r->aux = n;
    return SL_OK;
}

sl_status sl_symmetry_opts_oracle_octonion_3form(sl_symmetry_opts *o)
{
    const char *who = "sl_symmetry_opts_oracle_octonion_3form";
    OPTS_CHECK(o, who);
    sl__oracle *r = add_oracle(o, who, SL__ORACLE_OCTONION, 7, 3, 1);
    if (!r) return sl_ctx_last_status(o->ctx);
    if (sl__oracle_init_tables(o->ctx, r)) {
        drop_last(o);
        return SL_ERR_NOMEM;
    }
    return SL_OK;
}

sl_status sl_symmetry_opts_oracle_albert(sl_symmetry_opts *o, int with_trace)
{
    const char *who = "sl_symmetry_opts_oracle_albert";
    OPTS_CHECK(o, who);
    FLAG_CHECK(o, who, "with_trace", with_trace);
    sl__oracle *r = add_oracle(o, who, SL__ORACLE_ALBERT, 27, 1, with_trace ? 2 : 1);
    if (!r) return sl_ctx_last_status(o->ctx);
    r->aux = with_trace != 0;
    if (sl__oracle_init_tables(o->ctx, r)) {
        drop_last(o);
        return SL_ERR_NOMEM;
    }
    return SL_OK;
}

sl_status sl_symmetry_opts_oracle_graph(sl_symmetry_opts *o, int n, int nargs, int nout,
                                        sl_oracle_graph_fn fn, void *user)
{
    const char *who = "sl_symmetry_opts_oracle_graph";
    OPTS_CHECK(o, who);
    if (!fn) return sl__fail(o->ctx, SL_ERR_NULL, "%s: fn is NULL", who);
    sl__oracle *r = add_oracle(o, who, SL__ORACLE_GRAPH, n, nargs, nout);
    if (!r) return sl_ctx_last_status(o->ctx);
    r->gfn = fn;
    r->user = user;
    return SL_OK;
}

sl_status sl_symmetry_opts_oracle_function(sl_symmetry_opts *o, int n, int nargs, int nout,
                                           sl_oracle_fn fn, void *user)
{
    const char *who = "sl_symmetry_opts_oracle_function";
    OPTS_CHECK(o, who);
    if (!fn) return sl__fail(o->ctx, SL_ERR_NULL, "%s: fn is NULL", who);
    sl__oracle *r = add_oracle(o, who, SL__ORACLE_FUNCTION, n, nargs, nout);
    if (!r) return sl_ctx_last_status(o->ctx);
    r->gfn = NULL;
    r->user = NULL;
    r->cfn = fn;
    r->cuser = user;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_samples(sl_symmetry_opts *o, int64_t m, const double *x)
{
    const char *who = "sl_symmetry_opts_set_samples";
    OPTS_CHECK(o, who);
    if (o->noracles == 0) return sl__fail(o->ctx, SL_ERR_STATE, "%s: add an oracle first", who);
    if (m < 1 || m > (int64_t)1 << 26)
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: m = %lld (must be in 1..2^26)", who, (long long)m);
    sl__oracle *r = o->oracles[o->noracles - 1];
    int64_t cnt;
    if (!sl__mul_ok(m, (int64_t)r->nargs * r->n, &cnt))
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: m = %lld points of %d doubles is too large", who, (long long)m,
                        r->nargs * r->n);
    size_t count = (size_t)cnt;
    if (!x) return sl__fail(o->ctx, SL_ERR_NULL, "%s: x is NULL", who);
    int64_t bad = sl__first_nonfinite(x, count);
    if (bad >= 0) return sl__fail(o->ctx, SL_ERR_NONFINITE, "%s: x[%lld] is not finite", who, (long long)bad);
    double *c = sl__alloc(o->ctx, sizeof(double) * count, 0, who);
    if (!c) return SL_ERR_NOMEM;
    memcpy(c, x, sizeof(double) * count);
    sl__free(o->ctx, r->x);
    r->x = c;
    r->m = m;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_samples_count(sl_symmetry_opts *o, int64_t m)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_samples_count");
    if (m < 1 || m > (int64_t)1 << 26)
        return sl__fail(o->ctx, SL_ERR_ARG, "sl_symmetry_opts_set_samples_count: m = %lld (must be in 1..2^26)", (long long)m);
    o->m = m;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_seed(sl_symmetry_opts *o, uint64_t seed)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_seed");
    o->seed = seed;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_solver(sl_symmetry_opts *o, int solver)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_solver");
    if (solver != SL_SYM_EXACT && solver != SL_SYM_TRAINED)
        return sl__fail(o->ctx, SL_ERR_ARG, "sl_symmetry_opts_set_solver: solver = %d (SL_SYM_EXACT or SL_SYM_TRAINED)", solver);
    o->solver = solver;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_generators(sl_symmetry_opts *o, int ng)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_generators");
    if (ng < 0 || ng > MAX_NG)
        return sl__fail(o->ctx, SL_ERR_ARG, "sl_symmetry_opts_set_generators: ng = %d (must be in 0..%d; 0: the dimension found)",
                        ng, MAX_NG);
    o->ng = ng;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_scan(sl_symmetry_opts *o, int ng_min, int ng_max)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_scan");
    if (ng_min < 1 || ng_max < ng_min || ng_max > MAX_NG)
        return sl__fail(o->ctx, SL_ERR_ARG, "sl_symmetry_opts_set_scan: range %d..%d (need 1 <= min <= max <= %d)", ng_min,
                        ng_max, MAX_NG);
    o->scan_lo = ng_min;
    o->scan_hi = ng_max;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_invariance(sl_symmetry_opts *o, int mode, double eps)
{
    const char *who = "sl_symmetry_opts_set_invariance";
    OPTS_CHECK(o, who);
    if (mode < SL_SYM_INV_FORWARD || mode > SL_SYM_INV_DERIVATIVE)
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: mode = %d (must be SL_SYM_INV_FORWARD, _CENTRAL or _DERIVATIVE)", who, mode);
    if (!(eps > 0 && eps <= 1)) return sl__fail(o->ctx, SL_ERR_ARG, "%s: eps = %g (must be in (0, 1])", who, eps);
    o->inv_mode = mode;
    o->eps = eps;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_closure(sl_symmetry_opts *o, int mode, int quartic)
{
    const char *who = "sl_symmetry_opts_set_closure";
    OPTS_CHECK(o, who);
    if (mode < SL_SYM_CLOSURE_OFF || mode > SL_SYM_CLOSURE_LSQ)
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: mode = %d (must be SL_SYM_CLOSURE_OFF, _LEARNED or _LSQ)", who, mode);
    FLAG_CHECK(o, who, "quartic", quartic);
    o->clos_mode = mode;
    o->quartic = quartic;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_weights(sl_symmetry_opts *o, double inv, double norm, double orth,
                                       double clos, double sparsity)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_weights");
    double w[5] = {inv, norm, orth, clos, sparsity};
    for (int i = 0; i < 5; ++i)
        if (!(w[i] >= 0) || !isfinite(w[i]))
            return sl__fail(o->ctx, SL_ERR_ARG, "sl_symmetry_opts_set_weights: %s = %g (must be finite and >= 0)",
                            (const char *[]){"inv", "norm", "orth", "clos", "sparsity"}[i], w[i]);
    memcpy(o->w, w, sizeof w);
    return SL_OK;
}

sl_status sl_symmetry_opts_set_training(sl_symmetry_opts *o, int adam_steps, double lr, int lbfgs_steps)
{
    const char *who = "sl_symmetry_opts_set_training";
    OPTS_CHECK(o, who);
    if (adam_steps < 0 || adam_steps > MAX_STEPS)
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: adam_steps = %d (must be in 0..%d)", who, adam_steps, MAX_STEPS);
    if (lbfgs_steps < 0 || lbfgs_steps > MAX_STEPS)
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: lbfgs_steps = %d (must be in 0..%d)", who, lbfgs_steps, MAX_STEPS);
    if (!(lr > 0) || !isfinite(lr)) return sl__fail(o->ctx, SL_ERR_ARG, "%s: lr = %g (must be finite and > 0)", who, lr);
    o->adam_steps = adam_steps;
    o->lr = lr;
    o->lbfgs_steps = lbfgs_steps;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_tolerance(sl_symmetry_opts *o, double tol)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_tolerance");
    if (!(tol > 0) || !isfinite(tol))
        return sl__fail(o->ctx, SL_ERR_ARG, "sl_symmetry_opts_set_tolerance: tol = %g (must be finite and > 0)", tol);
    o->tol = tol;
    o->tol_set = 1;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_sparsify(sl_symmetry_opts *o, int on)
{
    OPTS_CHECK(o, "sl_symmetry_opts_set_sparsify");
    FLAG_CHECK(o, "sl_symmetry_opts_set_sparsify", "on", on);
    o->sparsify = on;
    return SL_OK;
}

sl_status sl_symmetry_opts_set_initial(sl_symmetry_opts *o, int ng, const double *W, const double *C)
{
    const char *who = "sl_symmetry_opts_set_initial";
    OPTS_CHECK(o, who);
    if (o->noracles == 0) return sl__fail(o->ctx, SL_ERR_STATE, "%s: add an oracle first (it fixes n)", who);
    int nn = o->n * o->n, lim = nn < MAX_NG ? nn : MAX_NG;
    if (ng < 1 || ng > lim)
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: ng = %d (must be in 1..%d: at most n^2 generators on R^%d)", who, ng, lim, o->n);
    if (!W) return sl__fail(o->ctx, SL_ERR_NULL, "%s: W is NULL", who);
    int64_t nw64, nc64;
    if (!sl__mul_ok(ng, nn, &nw64) || !sl__mul_ok((int64_t)ng * (ng - 1) / 2, ng, &nc64))
        return sl__fail(o->ctx, SL_ERR_ARG, "%s: ng = %d on R^%d is too large", who, ng, o->n);
    size_t nw = (size_t)nw64, nc = (size_t)nc64;
    int64_t bad = sl__first_nonfinite(W, nw);
    if (bad >= 0) return sl__fail(o->ctx, SL_ERR_NONFINITE, "%s: W[%lld] is not finite", who, (long long)bad);
    if (C && (bad = sl__first_nonfinite(C, nc)) >= 0)
        return sl__fail(o->ctx, SL_ERR_NONFINITE, "%s: C[%lld] is not finite", who, (long long)bad);
    double *w = sl__alloc(o->ctx, sizeof(double) * nw, 0, who);
    double *c = w ? sl__alloc(o->ctx, sizeof(double) * (nc + 1), 1, who) : NULL;
    if (!w || !c) {
        sl__free(o->ctx, w);
        return SL_ERR_NOMEM;
    }
    memcpy(w, W, sizeof(double) * nw);
    if (C) memcpy(c, C, sizeof(double) * nc);
    sl__free(o->ctx, o->init_W);
    sl__free(o->ctx, o->init_C);
    o->init_W = w;
    o->init_C = c;
    o->init_ng = ng;
    return SL_OK;
}

sl_status sl_symmetry_opts_preset_reference(sl_symmetry_opts *o, int epochs)
{
    OPTS_CHECK(o, "sl_symmetry_opts_preset_reference");
    if (epochs < 1 || epochs > MAX_STEPS)
        return sl__fail(o->ctx, SL_ERR_ARG, "sl_symmetry_opts_preset_reference: epochs = %d (must be in 1..%d)", epochs,
                        MAX_STEPS);
    o->solver = SL_SYM_TRAINED;
    o->inv_mode = SL_SYM_INV_FORWARD;
    o->eps = 1e-3;
    o->clos_mode = SL_SYM_CLOSURE_LEARNED;
    o->quartic = 1;
    o->w[0] = o->w[1] = o->w[2] = o->w[3] = 1;
    o->w[4] = 0;
    o->adam_steps = epochs;
    o->lr = 1e-3;
    o->lbfgs_steps = 0;
    o->tol = 1e-6;
    o->tol_set = 1;
    o->m = 300;
    o->sparsify = 0;
    o->reference = 1;
    return SL_OK;
}
