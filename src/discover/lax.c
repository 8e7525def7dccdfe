/* sl_discover_lax_pair: options, the model, and training (Krippendorf,
 * Lust, Syvaeri, "Integrability ex machina", arXiv 2103.07475: two networks
 * L(x), M(x) trained on dL/dt = [L, M] with the anti-trivial terms).  The
 * checks and queries of the result are in lax_result.c. */
#include "lax_internal.h"
#include "symlearn/optim.h"

#include <math.h>

#define LAX_OPTS_MIN SL_OPTS_END(sl_lax_opts, traj_shrink)

sl_status sl_lax_opts_init_sized(sl_lax_opts *opts, size_t size)
{
    const sl_lax_opts d = SL_LAX_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, LAX_OPTS_MIN);
}

#define BAD(...) return sl__fail(ctx, SL_ERR_ARG, __VA_ARGS__)

static sl_status check_opts(sl_ctx *ctx, const char *who, const sl_lax_opts *o, int64_t d)
{
    if (o->n < 2 || o->n > 64) BAD("%s: opts->n = %lld (the matrix size N must be 2..64)", who, (long long)o->n);
    if (o->model != SL_LAX_MODEL_MLP && o->model != SL_LAX_MODEL_LINEAR)
        BAD("%s: opts->model = %d (must be SL_LAX_MODEL_MLP or SL_LAX_MODEL_LINEAR)", who, o->model);
    if (o->hidden < 1 || o->hidden > 4096) BAD("%s: opts->hidden = %lld (must be 1..4096)", who, (long long)o->hidden);
    if (o->depth < 1 || o->depth > 8) BAD("%s: opts->depth = %d (must be 1..8)", who, o->depth);
    if (o->activation < SL_ACT_TANH || o->activation > SL_ACT_SIN)
        BAD("%s: opts->activation = %d (must be an SL_ACT_* value)", who, o->activation);
    if (o->m_constant != 0 && o->m_constant != 1) BAD("%s: opts->m_constant = %d (must be 0 or 1)", who, o->m_constant);
    if (o->samples < 1 || o->samples > ((int64_t)1 << 24))
        BAD("%s: opts->samples = %lld (must be 1..2^24)", who, (long long)o->samples);
    if (o->steps < 0 || o->steps > 100000000) BAD("%s: opts->steps = %lld (must be 0..10^8)", who, (long long)o->steps);
    if (!(o->lr > 0) || !isfinite(o->lr)) BAD("%s: opts->lr = %g (must be finite and > 0)", who, o->lr);
    if (o->lbfgs_steps < 0 || o->lbfgs_steps > 1000000)
        BAD("%s: opts->lbfgs_steps = %lld (must be 0..10^6)", who, (long long)o->lbfgs_steps);
    const double al[7] = {o->alpha_lax, o->alpha_l, o->alpha_lm, o->alpha_mc, o->alpha_scale, o->alpha_motion,
                          o->alpha_spectrum};
    static const char *an[7] = {"alpha_lax", "alpha_l", "alpha_lm", "alpha_mc", "alpha_scale", "alpha_motion",
                                "alpha_spectrum"};
    for (int i = 0; i < 7; ++i)
        if (!(al[i] >= 0) || !isfinite(al[i])) BAD("%s: opts->%s = %g (must be finite and >= 0)", who, an[i], al[i]);
    if (!(o->scale_target >= 0) || !isfinite(o->scale_target))
        BAD("%s: opts->scale_target = %g (must be finite and >= 0)", who, o->scale_target);
    if (!(o->motion_target > 0) || !isfinite(o->motion_target))
        BAD("%s: opts->motion_target = %g (must be finite and > 0)", who, o->motion_target);
    if (!(o->spectrum_target > 0) || !isfinite(o->spectrum_target))
        BAD("%s: opts->spectrum_target = %g (must be finite and > 0)", who, o->spectrum_target);
    if (o->ratio != SL_LAX_RATIO_SUM && o->ratio != SL_LAX_RATIO_LSQ)
        BAD("%s: opts->ratio = %d (must be SL_LAX_RATIO_SUM or SL_LAX_RATIO_LSQ)", who, o->ratio);
    if (o->kmax < 1 || o->kmax > SL_LAX_KMAX) BAD("%s: opts->kmax = %d (must be 1..%d)", who, o->kmax, SL_LAX_KMAX);
    if (o->holdout < 1 || o->holdout > ((int64_t)1 << 24))
        BAD("%s: opts->holdout = %lld (must be 1..2^24)", who, (long long)o->holdout);
    if (o->n_traj < 0 || o->n_traj > 10000) BAD("%s: opts->n_traj = %lld (must be 0..10^4)", who, (long long)o->n_traj);
    if (o->n_traj > o->holdout)
        BAD("%s: opts->n_traj = %lld (must be at most opts->holdout = %lld)", who, (long long)o->n_traj,
            (long long)o->holdout);
    if (!(o->dt > 0) || !isfinite(o->dt)) BAD("%s: opts->dt = %g (must be finite and > 0)", who, o->dt);
    if (!(o->t_end >= o->dt) || !isfinite(o->t_end) || o->t_end / o->dt > 1e7)
        BAD("%s: opts->t_end = %g (must be finite, >= dt = %g, at most 10^7 steps)", who, o->t_end, o->dt);
    if (!(o->max_drift > 0) || !isfinite(o->max_drift)) BAD("%s: opts->max_drift = %g (must be finite and > 0)", who, o->max_drift);
    if (o->regress_degree < 0 || o->regress_degree > 6)
        BAD("%s: opts->regress_degree = %d (must be 0..6)", who, o->regress_degree);
    if (!(o->regress_threshold > 0 && o->regress_threshold < 1))
        BAD("%s: opts->regress_threshold = %g (must be in (0, 1))", who, o->regress_threshold);
    if (o->lm_steps < 0 || o->lm_steps > 100000) BAD("%s: opts->lm_steps = %lld (must be 0..10^5)", who, (long long)o->lm_steps);
    if (o->traceless != 0 && o->traceless != 1) BAD("%s: opts->traceless = %d (must be 0 or 1)", who, o->traceless);
    if (o->complex_valued != 0 && o->complex_valued != 1)
        BAD("%s: opts->complex_valued = %d (must be 0 or 1)", who, o->complex_valued);
    if (o->complex_valued && o->lm_steps > 0)
        BAD("%s: opts->lm_steps = %lld with opts->complex_valued = 1 (Levenberg-Marquardt is real only: set "
            "lm_steps = 0)", who, (long long)o->lm_steps);
    if (!(o->traj_shrink > 0 && o->traj_shrink <= 1))
        BAD("%s: opts->traj_shrink = %g (must be in (0, 1])", who, o->traj_shrink);
    if (o->lo || o->hi) {
        if (!o->lo || !o->hi) BAD("%s: opts->lo and opts->hi must both be given or both NULL", who);
        for (int64_t i = 0; i < d; ++i)
            if (!isfinite(o->lo[i]) || !isfinite(o->hi[i]) || !(o->lo[i] < o->hi[i]))
                BAD("%s: opts->lo[%lld] = %g, opts->hi[%lld] = %g (must be finite with lo < hi)", who, (long long)i,
                    o->lo[i], (long long)i, o->hi[i]);
    }
    return SL_OK;
}

/* ---- The model --------------------------------------------------------------------- */

static sl_node *linear_param(sl_graph *g, int64_t r, int64_t c, const char *name)
{
    if (r > 0) return sl_graph_param(g, SL_F64, 2, (int64_t[]){r, c}, NULL, name);
    return sl_graph_param(g, SL_F64, 1, (int64_t[]){c}, NULL, name);
}

/* L - (tr L / N) 1 for a batch (B, N, N): tr L is conserved for every Lax
 * pair (d/dt tr L = tr [L, M] = 0), so the projection keeps the Lax equation
 * with the same M and removes the freedom L -> L + f(conserved) 1. */
static sl_node *traceless(sl_graph *g, sl_node *L)
{
    if (!L) return NULL;
    int64_t B = L->shape[0], n = L->shape[1];
    sl_node *t = sl_graph_reshape(g, sl_graph_trace(g, L), 3, (int64_t[]){B, 1, 1});
    return sl_graph_sub(g, L, sl_graph_mul(g, sl_graph_mul_scalar(g, t, 1.0 / (double)n), sl_graph_eye(g, L->dtype, n)));
}

/* the MLP model's two networks L(x), M(x) with nn outputs each; streams
 * seed + 1.. for L, seed + 11.. for M (the bench's glorot(1..3), glorot(11..13)) */
static int create_mlps(sl_lax_result *r, sl_graph *g, int64_t d, int64_t nn)
{
    const sl_lax_opts *o = &r->o;
    sl_mlp_opts mo;
    sl_mlp_opts_init(&mo);
    mo.nlayers = o->depth + 1;
    mo.widths[0] = d;
    for (int l = 1; l <= o->depth; ++l) mo.widths[l] = o->hidden;
    mo.widths[o->depth + 1] = nn;
    mo.activation = o->activation;
    mo.seed = o->seed + 1;
    if (sl_mlp_create(g, &mo, &r->netL)) return 0;
    mo.seed = o->seed + 11;
    return sl_mlp_create(g, &mo, &r->netM) == SL_OK;
}

int sl__lax_model(sl_lax_result *r, sl_graph *g, sl_node *x, sl_node *xdot, sl_node **L, sl_node **M, sl_node **ldot)
{
    const sl_lax_opts *o = &r->o;
    int64_t d = r->d, n = r->n, cw = o->complex_valued ? 2 : 1, nn = n * n * cw, B = x->shape[0];
    int64_t shape[3] = {B, n, n};
    if (o->complex_valued) {
        /* real outputs (B, 2 N^2) read as (re, im) pairs: L = view_complex (B, N, N, 2) */
        sl_node *h = NULL, *t = NULL;
        int64_t s4[4] = {B, n, n, 2};
        if (o->model == SL_LAX_MODEL_MLP) {
            if (!create_mlps(r, g, d, nn)) return 0;
            t = sl__lax_mlp_tangent(r->netL, x, xdot, &h);
            *M = sl_graph_view_complex(g, sl_graph_reshape(g, sl_mlp_apply(r->netM, x), 4, s4));
        } else {
            r->A = linear_param(g, d, nn, "A");
            r->a0 = linear_param(g, 0, nn, "a0");
            r->C = o->m_constant ? NULL : linear_param(g, d, nn, "C");
            r->c0 = linear_param(g, 0, nn, "c0");
            if (g->status) return 0;
            uint64_t seed = sl_ctx_seed(r->ctx) + o->seed + 1;
            double sc = 1.0 / sqrt((double)d + 1);
            sl_node *ps[4] = {r->A, r->a0, r->C, r->c0};
            for (int i = 0; i < 4; ++i)
                if (ps[i]) sl_rng_fill_uniform(seed + (uint64_t)i, 0, (size_t)ps[i]->numel, -sc, sc, sl_node_data(ps[i]));
            h = sl_graph_add(g, sl_graph_matmul(g, x, r->A), r->a0);
            t = sl_graph_matmul(g, xdot, r->A);
            if (r->C)
                *M = sl_graph_view_complex(g, sl_graph_reshape(g, sl_graph_add(g, sl_graph_matmul(g, x, r->C), r->c0), 4, s4));
            else
                *M = sl_graph_broadcast(
                    g, sl_graph_view_complex(g, sl_graph_reshape(g, r->c0, 4, (int64_t[]){1, n, n, 2})), 3, shape);
        }
        *L = sl_graph_view_complex(g, sl_graph_reshape(g, h, 4, s4));
        *ldot = sl_graph_view_complex(g, sl_graph_reshape(g, t, 4, s4));
    } else if (o->model == SL_LAX_MODEL_MLP) {
        if (!create_mlps(r, g, d, nn)) return 0;
        *ldot = sl_lax_mlp_ldot(r->netL, x, xdot, n, L);
        *M = sl_graph_reshape(g, sl_mlp_apply(r->netM, x), 3, shape);
    } else {
        r->A = linear_param(g, d, nn, "A");
        r->a0 = linear_param(g, 0, nn, "a0");
        r->C = o->m_constant ? NULL : linear_param(g, d, nn, "C");
        r->c0 = linear_param(g, 0, nn, "c0");
        if (g->status) return 0;
        /* random start: entries U(-1, 1) / sqrt(d + 1) */
        uint64_t seed = sl_ctx_seed(r->ctx) + o->seed + 1;
        double s = 1.0 / sqrt((double)d + 1);
        sl_node *ps[4] = {r->A, r->a0, r->C, r->c0};
        for (int i = 0; i < 4; ++i) {
            if (!ps[i]) continue;
            double *w = sl_node_data(ps[i]);
            sl_rng_fill_uniform(seed + (uint64_t)i, 0, (size_t)ps[i]->numel, -s, s, w);
        }
        *L = sl_graph_reshape(g, sl_graph_add(g, sl_graph_matmul(g, x, r->A), r->a0), 3, shape);
        *ldot = sl_graph_reshape(g, sl_graph_matmul(g, xdot, r->A), 3, shape);
        if (r->C)
            *M = sl_graph_reshape(g, sl_graph_add(g, sl_graph_matmul(g, x, r->C), r->c0), 3, shape);
        else
            *M = sl_graph_broadcast(g, sl_graph_reshape(g, r->c0, 3, (int64_t[]){1, n, n}), 3, shape);
    }
    if (o->traceless) *L = traceless(g, *L), *ldot = traceless(g, *ldot);
    return g->status == SL_OK;
}

int sl__lax_params(const sl_lax_result *r, sl_node **params)
{
    int k = 0;
    if (r->o.model == SL_LAX_MODEL_MLP) {
        sl_node *const *p;
        int np = sl_mlp_params(r->netL, &p);
        for (int i = 0; i < np; ++i) params[k++] = p[i];
        np = sl_mlp_params(r->netM, &p);
        for (int i = 0; i < np; ++i) params[k++] = p[i];
    } else {
        params[k++] = r->A, params[k++] = r->a0;
        if (r->C) params[k++] = r->C;
        params[k++] = r->c0;
    }
    return k;
}

void sl__lax_set_weights(sl_lax_result *r, const double *w)
{
    sl_node *ps[4 * SL_MLP_MAX_LAYERS];
    int np = sl__lax_params(r, ps);
    for (int i = 0; i < np; ++i) {
        memcpy(sl_node_data(ps[i]), w, sizeof(double) * (size_t)ps[i]->numel);
        w += ps[i]->numel;
    }
}

void sl__lax_get_weights(const sl_lax_result *r, double *w)
{
    sl_node *ps[4 * SL_MLP_MAX_LAYERS];
    int np = sl__lax_params(r, ps);
    for (int i = 0; i < np; ++i) {
        memcpy(w, sl_node_data(ps[i]), sizeof(double) * (size_t)ps[i]->numel);
        w += ps[i]->numel;
    }
}

/* ---- Data ---------------------------------------------------------------------------- */

/* xdot = f(x) row by row, checked. */
static sl_status velocities(sl_ctx *ctx, const char *who, sl_vector_field_fn f, void *user, int64_t d, int64_t m,
                            const double *x, double *v)
{
    for (int64_t i = 0; i < m; ++i) {
        int rc = f(user, 0.0, x + i * d, v + i * d, d);
        if (rc)
            return sl__fail(ctx, SL_ERR_NUMERIC, "%s: the vector field failed (returned %d) at point %lld", who, rc,
                            (long long)i);
        for (int64_t k = 0; k < d; ++k)
            if (!isfinite(v[i * d + k]))
                return sl__fail(ctx, SL_ERR_NONFINITE, "%s: the vector field gave %g at point %lld, component %lld", who,
                                v[i * d + k], (long long)i, (long long)k);
    }
    return SL_OK;
}

/* ---- Training ------------------------------------------------------------------------- */

typedef struct {
    sl_node *term[SL_LAX_NTERMS];   /* raw terms (TOTAL: the weighted loss) */
} terms;

static sl_status build_terms(sl_lax_result *r, sl_graph *g, sl_node *L, sl_node *M, sl_node *ld, sl_node *xdot,
                             double scale_target, terms *t)
{
    const sl_lax_opts *o = &r->o;
    t->term[SL_LAX_TERM_LAX] = sl_loss_lax(g, L, ld, M);
    t->term[SL_LAX_TERM_L] = sl_loss_lax_match(g, ld, xdot, o->ratio);
    t->term[SL_LAX_TERM_LM] = sl_loss_lax_match(g, sl_lax_commutator(g, L, M), xdot, o->ratio);
    t->term[SL_LAX_TERM_MC] = sl_graph_add(g, sl_loss_lax_mode_collapse(g, L), sl_loss_lax_mode_collapse(g, M));
    t->term[SL_LAX_TERM_SCALE] = sl_loss_lax_scale(g, L, scale_target);
    t->term[SL_LAX_TERM_MOTION] = sl_loss_lax_motion(g, ld, o->motion_target);
    t->term[SL_LAX_TERM_SPECTRUM] = sl_loss_lax_spectrum(g, L, o->spectrum_target);
    const double al[SL_LAX_NTERMS] = {0, o->alpha_lax, o->alpha_l, o->alpha_lm, o->alpha_mc, o->alpha_scale, o->alpha_motion,
                                      o->alpha_spectrum};
    sl_node *tot = NULL;
    for (int i = 1; i < SL_LAX_NTERMS; ++i) {
        if (al[i] == 0) continue;
        sl_node *w = al[i] == 1 ? t->term[i] : sl_graph_mul_scalar(g, t->term[i], al[i]);
        tot = tot ? sl_graph_add(g, tot, w) : w;
    }
    if (!tot) tot = sl_graph_mul_scalar(g, t->term[SL_LAX_TERM_LAX], 0.0);
    t->term[SL_LAX_TERM_TOTAL] = tot;
    return g->status;
}

static sl_status eval_terms(sl_plan *p, double *out)
{
    sl_status st = sl_plan_run(p);
    if (st) return st;
    for (int i = 0; i < SL_LAX_NTERMS; ++i) out[i] = sl_plan_scalar(p, i);
    return SL_OK;
}

/* Levenberg-Marquardt for the LINEAR model as a connection problem
 * (lax_connection_lm.c): features phi = (x, 1), D_t phi = (xdot, 0), no D_x;
 * W_x = (A; a0) and W_t = -(C; c0), so that pht W_x + [L_x, L_t] = Ldot - [L, M]. */
static sl_status linear_lm(sl_lax_result *r, const char *who, int64_t m, const double *x, const double *v, double target)
{
    const sl_lax_opts *o = &r->o;
    int64_t d = r->d, F = d + 1, nn = r->n * r->n;
    double *buf = sl__alloc(r->ctx, sizeof(double) * (size_t)(2 * m * F + 4 * F * nn), 1, who);
    if (!buf) return SL_ERR_NOMEM;
    double *phi = buf, *pht = phi + m * F, *w = pht + m * F, *mask = w + 2 * F * nn;
    for (int64_t i = 0; i < m; ++i) {
        memcpy(phi + i * F, x + i * d, sizeof(double) * (size_t)d);
        memcpy(pht + i * F, v + i * d, sizeof(double) * (size_t)d);
        phi[i * F + d] = 1, pht[i * F + d] = 0;
    }
    double *A = sl_node_data(r->A), *a0 = sl_node_data(r->a0), *C = r->C ? sl_node_data(r->C) : NULL,
           *c0 = sl_node_data(r->c0), *Wt = w + F * nn;
    memcpy(w, A, sizeof(double) * (size_t)(d * nn));
    memcpy(w + d * nn, a0, sizeof(double) * (size_t)nn);
    for (int64_t k = 0; k < 2 * F * nn; ++k) mask[k] = 1;
    for (int64_t k = 0; k < d * nn; ++k) {
        Wt[k] = C ? -C[k] : 0;
        if (!C) mask[F * nn + k] = 0;
    }
    for (int64_t k = 0; k < nn; ++k) Wt[d * nn + k] = -c0[k];
    if (o->traceless)   /* L projected: the last diagonal weight of each feature is redundant */
        for (int64_t f = 0; f < F; ++f) mask[f * nn + nn - 1] = 0;
    sl__lax_lm_problem P = {m, F, r->n, phi, NULL, pht, mask, o->alpha_lax, o->alpha_scale, target,
                            0, 1, o->alpha_motion, o->motion_target, o->traceless, o->alpha_spectrum,
                            o->spectrum_target};
    sl_status st = sl__lax_lm(r->ctx, who, &P, w, o->lm_steps);
    memcpy(A, w, sizeof(double) * (size_t)(d * nn));
    memcpy(a0, w + d * nn, sizeof(double) * (size_t)nn);
    if (C)
        for (int64_t k = 0; k < d * nn; ++k) C[k] = -Wt[k];
    for (int64_t k = 0; k < nn; ++k) c0[k] = -Wt[d * nn + k];
    sl__free(r->ctx, buf);
    return st;
}

static sl_status train(sl_lax_result *r, const char *who, int64_t m, const double *x, const double *v)
{
    sl_ctx *ctx = r->ctx;
    const sl_lax_opts *o = &r->o;
    sl_graph *g = NULL;
    sl_plan *pt = NULL, *ps = NULL;
    sl_optim *adam = NULL, *lbfgs = NULL;
    sl_status st = sl_graph_create(ctx, &g);
    if (st) return st;
    int64_t shape[2] = {m, r->d};
    sl_node *xin = sl_graph_input(g, SL_F64, 2, shape, "x");
    sl_node *vin = sl_graph_input(g, SL_F64, 2, shape, "xdot");
    sl_node *L = NULL, *M = NULL, *ld = NULL;
    if (!xin || !vin || !sl__lax_model(r, g, xin, vin, &L, &M, &ld)) goto graph_error;
    if (o->init) sl__lax_set_weights(r, o->init);
    double target = o->scale_target;
    if (target == 0) {
        /* the scale term's value at the initial weights */
        int ax0 = 0;
        sl_node *c = sl_graph_sub(g, L, sl_graph_mean_axes(g, L, 1, &ax0, 1));
        if (L->dtype == SL_C128) c = sl_graph_view_real(g, c);
        sl_node *s = sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, c)), 1.0 / (double)m);
        if (!s) goto graph_error;
        if ((st = sl_plan_create(g, 1, &s, &ps)) || (st = sl_plan_bind(ps, xin, x)) || (st = sl_plan_run(ps))) goto done;
        target = sl_plan_scalar(ps, 0);
        sl_plan_destroy(ps), ps = NULL;
        if (!(target > 0) || !isfinite(target)) target = 1;
    }
    terms t;
    if (build_terms(r, g, L, M, ld, vin, target, &t)) goto graph_error;
    if ((st = sl_plan_create(g, SL_LAX_NTERMS, t.term, &pt)) || (st = sl_plan_bind(pt, xin, x)) ||
        (st = sl_plan_bind(pt, vin, v)) || (st = eval_terms(pt, r->loss[1])))
        goto done;
    sl_node *params[4 * SL_MLP_MAX_LAYERS];
    int np = sl__lax_params(r, params);
    if (o->steps > 0) {
        sl_optim_opts oo;
        sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
        oo.lr = o->lr;
        if ((st = sl_optim_create(g, t.term[SL_LAX_TERM_TOTAL], np, params, &oo, &adam)) ||
            (st = sl_optim_bind(adam, xin, x)) || (st = sl_optim_bind(adam, vin, v)))
            goto done;
        sl_plan_set_cache_data(sl_optim_plan(adam), 1);
        for (int64_t s = 0; s < o->steps; ++s)
            if ((st = sl_optim_step(adam, NULL))) goto done;
    }
    if (o->lbfgs_steps > 0) {
        sl_optim_opts oo;
        sl_optim_opts_init(&oo, SL_OPTIM_LBFGS);
        oo.max_iter = 20;
        oo.max_eval = 25;
        oo.history = 20;
        oo.tolerance_grad = 0;
        oo.tolerance_change = 0;
        if ((st = sl_optim_create(g, t.term[SL_LAX_TERM_TOTAL], np, params, &oo, &lbfgs)) ||
            (st = sl_optim_bind(lbfgs, xin, x)) || (st = sl_optim_bind(lbfgs, vin, v)))
            goto done;
        sl_plan_set_cache_data(sl_optim_plan(lbfgs), 1);
        for (int64_t s = 0; s < o->lbfgs_steps; s += 20) {
            double before = NAN, after;
            sl_optim_eval(lbfgs, &before);
            st = sl_optim_step(lbfgs, NULL);
            if (st == SL_ERR_NONFINITE) { st = SL_OK; break; }   /* parameters unchanged */
            if (st) goto done;
            sl_optim_eval(lbfgs, &after);
            if (!(after < before)) break;
        }
    }
    if (o->model == SL_LAX_MODEL_LINEAR && o->lm_steps > 0 && (st = linear_lm(r, who, m, x, v, target))) goto done;
    if ((st = eval_terms(pt, r->loss[0]))) goto done;
    sl__lax_get_weights(r, r->weights);
    goto done;
graph_error:
    st = sl_graph_status(g);
    if (!st) st = SL_ERR_NOMEM;
done:
    if (st) sl__rewho(ctx, st, who);
    sl_optim_destroy(adam);
    sl_optim_destroy(lbfgs);
    sl_plan_destroy(pt);
    sl_plan_destroy(ps);
    sl_graph_destroy(g);
    r->netL = r->netM = NULL;
    r->A = r->a0 = r->C = r->c0 = NULL;
    return st;
}

static int64_t count_weights(const sl_lax_opts *o, int64_t d)
{
    int64_t nn = o->n * o->n * (o->complex_valued ? 2 : 1);
    if (o->model == SL_LAX_MODEL_LINEAR) return nn * (d + 1) + (o->m_constant ? nn : nn * (d + 1));
    int64_t h = o->hidden, w = d * h + h + nn * h + nn + (int64_t)(o->depth - 1) * (h * h + h);
    return 2 * w;
}

sl_status sl_discover_lax_pair(sl_ctx *ctx, const sl_lax_opts *opts, sl_vector_field_fn f, void *user, int64_t d,
                               int64_t m, const double *x, const double *xdot, sl_lax_result **out)
{
    const char *who = "sl_discover_lax_pair";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    sl_lax_opts o;
    sl_lax_opts_init(&o);
    sl_status st;
    if (opts && (st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, LAX_OPTS_MIN))) return st;
    if (d < 1 || d > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (the state size must be 1..4096)", who, (long long)d);
    if (o.kmax == 0) o.kmax = o.n < SL_LAX_KMAX ? (int)o.n : SL_LAX_KMAX;
    if ((st = check_opts(ctx, who, &o, d))) return st;
    if (!f && (!x || !xdot))
        return sl__fail(ctx, SL_ERR_NULL, "%s: f is NULL (without a vector field both x and xdot must be given)", who);
    if (!x && xdot) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL but xdot is given", who);
    if (x) {
        if (m < 2 || m > ((int64_t)1 << 24))
            return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (the number of points must be 2..2^24)", who, (long long)m);
        int64_t bad = sl__first_nonfinite(x, (size_t)(m * d));
        if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g is not finite", who, (long long)bad, x[bad]);
        if (xdot && (bad = sl__first_nonfinite(xdot, (size_t)(m * d))) >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: xdot[%lld] = %g is not finite", who, (long long)bad, xdot[bad]);
    } else {
        m = o.samples;
    }
    if (f) {
        /* a state of the wrong size: the callback refuses it or the box check below catches it */
        double *probe = sl__alloc(ctx, sizeof(double) * (size_t)(2 * d), 1, who);
        if (!probe) return SL_ERR_NOMEM;
        int rc = f(user, 0.0, probe, probe + d, d);
        sl__free(ctx, probe);
        if (rc)
            return sl__fail(ctx, SL_ERR_NUMERIC,
                            "%s: the vector field failed (returned %d) at the origin with d = %lld (wrong state size?)",
                            who, rc, (long long)d);
    }
    int64_t nw = count_weights(&o, d);
    sl_lax_result *r = sl__alloc(ctx, sizeof *r, 1, who);
    double *buf = sl__alloc(ctx, sizeof(double) * (size_t)(2 * m * d + 2 * d), 1, who);
    double *w = sl__alloc(ctx, sizeof(double) * (size_t)nw, 1, who);
    if (!r || !buf || !w) {
        sl__free(ctx, r), sl__free(ctx, buf), sl__free(ctx, w);
        return SL_ERR_NOMEM;
    }
    r->ctx = ctx;
    r->o = o;
    r->d = d, r->n = o.n, r->have_f = f != NULL;
    r->nweights = nw;
    r->weights = w;
    double *lo = buf + 2 * m * d, *hi = lo + d;
    for (int64_t i = 0; i < d; ++i) lo[i] = o.lo ? o.lo[i] : -1.0, hi[i] = o.hi ? o.hi[i] : 1.0;
    r->o.lo = r->o.hi = NULL;
    r->o.init = NULL;
    double *xs = buf, *vs = buf + m * d;
    if (x) memcpy(xs, x, sizeof(double) * (size_t)(m * d));
    else if ((st = sl_sample_box(ctx, d, lo, hi, NULL, NULL, m, o.seed, xs))) goto fail;
    if (xdot) memcpy(vs, xdot, sizeof(double) * (size_t)(m * d));
    else if ((st = velocities(ctx, who, f, user, d, m, xs, vs))) goto fail;
    if (o.init) {
        int64_t bad = sl__first_nonfinite(o.init, (size_t)nw);
        if (bad >= 0) {
            st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: opts->init[%lld] = %g is not finite", who, (long long)bad, o.init[bad]);
            goto fail;
        }
    }
    r->o.init = o.init;
    st = train(r, who, m, xs, vs);
    r->o.init = NULL;
    if (st) goto fail;
    if ((st = sl__lax_eval_setup(r, who))) goto fail;
    if ((st = sl__lax_checks(r, who, f, user, lo, hi, m, xs, vs))) goto fail;
    sl__free(ctx, buf);
    *out = r;
    return SL_OK;
fail:
    sl__free(ctx, buf);
    sl_lax_result_destroy(r);
    return st;
}
