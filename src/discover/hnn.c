/* Hamiltonian neural networks: options, the model and its networks, weights,
 * and evaluation of H, the learned field and the dissipation.
 * Greydanus, Dzamba, Yosinski 2019 (eq. 2: the field (dH/dp, -dH/dq));
 * Sosanya & Greydanus 2022 (eq. 5: plus grad D). */
#include "hnn_internal.h"

#include <math.h>

#define HNN_OPTS_MIN SL_OPTS_END(sl_hnn_opts, seed)

sl_status sl_hnn_opts_init_sized(sl_hnn_opts *opts, size_t size)
{
    const sl_hnn_opts d = SL_HNN_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, HNN_OPTS_MIN);
}

sl_status sl__hnn_check_opts(sl_ctx *ctx, const char *who, const sl_hnn_opts *o)
{
    if (o->n < 1 || o->n > SL_HNN_MAX_N)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->n = %lld (must be 1..%d: the phase-space half size)", who,
                        (long long)o->n, SL_HNN_MAX_N);
    if (o->depth < 1 || o->depth > SL_MLP_MAX_LAYERS - 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->depth = %d (must be 1..%d)", who, o->depth, SL_MLP_MAX_LAYERS - 1);
    if (o->hidden < 1 || o->hidden > ((int64_t)1 << 16))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->hidden = %lld (must be 1..2^16)", who, (long long)o->hidden);
    if ((o->activation < SL_ACT_TANH || o->activation > SL_ACT_SIN) && o->activation != SL_HNN_ACT_RELU)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->activation = %d (must be an SL_ACT_* value or SL_HNN_ACT_RELU)",
                        who, o->activation);
    if (o->separable != 0 && o->separable != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->separable = %d (must be 0 or 1)", who, o->separable);
    if (o->dissipative != 0 && o->dissipative != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->dissipative = %d (must be 0 or 1)", who, o->dissipative);
    return SL_OK;
}

sl_status sl__hnn_make_nets(sl_graph *g, const sl_hnn_opts *o, sl__hnn_nets *nets)
{
    memset(nets, 0, sizeof *nets);
    int count = (o->separable ? 2 : 1) + o->dissipative;
    for (int k = 0; k < count; ++k) {
        int dnet = o->dissipative && k == count - 1;
        sl_mlp_opts mo;
        sl_mlp_opts_init(&mo);
        mo.nlayers = o->depth + 1;
        mo.widths[0] = o->separable && !dnet ? o->n : 2 * o->n;
        for (int l = 1; l <= o->depth; ++l) mo.widths[l] = o->hidden;
        mo.widths[o->depth + 1] = 1;
        /* ReLU is applied by hand (sl__hnn_build); the weights do not depend on the activation */
        mo.activation = o->activation == SL_HNN_ACT_RELU ? SL_ACT_TANH : o->activation;
        mo.seed = o->seed + 16 * (uint64_t)k;
        sl_status st = sl_mlp_create(g, &mo, &nets->net[k]);
        if (st) return st;
        nets->nnets++;
    }
    return SL_OK;
}

sl_status sl__hnn_put_weights(const sl__hnn_nets *nets, const double *w)
{
    for (int k = 0; k < nets->nnets; ++k) {
        sl_status st = sl_mlp_set_weights(nets->net[k], w);
        if (st) return st;
        w += sl_mlp_nweights(nets->net[k]);
    }
    return SL_OK;
}

sl_status sl__hnn_take_weights(const sl__hnn_nets *nets, double *w)
{
    for (int k = 0; k < nets->nnets; ++k) {
        sl_status st = sl_mlp_get_weights(nets->net[k], w);
        if (st) return st;
        w += sl_mlp_nweights(nets->net[k]);
    }
    return SL_OK;
}

static sl_node *apply(sl_graph *g, const sl_hnn_opts *o, sl_mlp *net, sl_node *x)
{
    if (o->activation != SL_HNN_ACT_RELU) return sl_mlp_apply(net, x);
    int L = sl_mlp_nlayers(net), np = sl_mlp_nparams(net);
    sl_node *h = x;
    for (int l = 0; l < L; ++l) {
        sl_node *W = sl_mlp_param(net, np == 2 * L ? 2 * l : l);
        sl_node *b = np == 2 * L ? sl_mlp_param(net, 2 * l + 1) : NULL;
        h = sl_graph_dense(g, h, W, b);
        if (l + 1 < L) h = sl_graph_relu(g, h);
    }
    return h;
}

sl_node *sl__hnn_build(sl_graph *g, const sl_hnn_opts *o, const sl__hnn_nets *nets, sl_node *z, sl_node **D)
{
    int64_t n = o->n;
    sl_node *H;
    if (o->separable) {
        sl_node *q = sl_graph_slice(g, z, 1, 0, n, 1), *p = sl_graph_slice(g, z, 1, n, 2 * n, 1);
        H = sl_graph_add(g, apply(g, o, nets->net[0], p), apply(g, o, nets->net[1], q));   /* T(p) + V(q) */
    } else {
        H = apply(g, o, nets->net[0], z);
    }
    *D = o->dissipative ? apply(g, o, nets->net[nets->nnets - 1], z) : NULL;
    return H;
}

void sl__hnn_eval_free(sl__hnn_eval *e)
{
    sl_plan_destroy(e->plan_e);
    sl_plan_destroy(e->plan_all);
    sl_graph_destroy(e->g);
    memset(e, 0, sizeof *e);
}

static sl_status eval_build(sl_hnn *h, sl__hnn_eval *e, int64_t m)
{
    sl_ctx *ctx = h->ctx;
    int64_t d = 2 * h->o.n;
    sl_status st = sl_graph_create(ctx, &e->g);
    if (st) return st;
    sl_graph *g = e->g;
    e->m = m;
    if ((st = sl__hnn_make_nets(g, &h->o, &e->nets))) return st;
    e->z = sl_graph_input(g, SL_F64, 2, (int64_t[]){m, d}, "z");
    sl_node *D, *H = sl__hnn_build(g, &h->o, &e->nets, e->z, &D);
    e->H = sl_graph_reshape(g, H, 1, (int64_t[]){m});
    e->dH = sl_graph_grad1(g, sl_graph_sum(g, H), e->z);
    if (D) {
        e->D = sl_graph_reshape(g, D, 1, (int64_t[]){m});
        e->dD = sl_graph_grad1(g, sl_graph_sum(g, D), e->z);
    }
    if ((st = sl_graph_status(g))) return st;
    sl_node *outs[4] = {e->H, e->dH, e->D, e->dD};
    if ((st = sl_plan_create(g, 1, outs, &e->plan_e)) || (st = sl_plan_create(g, D ? 4 : 2, outs, &e->plan_all)))
        return st;
    e->version = h->version - 1;
    return SL_OK;
}

sl_status sl__hnn_evaluator(sl_hnn *h, const char *who, int slot, int64_t m, sl__hnn_eval **out)
{
    sl__hnn_eval *e = &h->ev[slot];
    sl_status st;
    if (!e->g || e->m != m) {
        sl__hnn_eval_free(e);
        if ((st = eval_build(h, e, m))) {
            sl__hnn_eval_free(e);
            return sl__rewho(h->ctx, st, who);
        }
    }
    if (e->version != h->version) {
        if ((st = sl__hnn_put_weights(&e->nets, h->w))) return sl__rewho(h->ctx, st, who);
        e->version = h->version;
    }
    *out = e;
    return SL_OK;
}

sl_status sl__hnn_eval_run(sl_hnn *h, const char *who, sl__hnn_eval *e, const double *z, int all)
{
    sl_plan *p = all ? e->plan_all : e->plan_e;
    sl_status st = sl_plan_bind(p, e->z, z);
    if (!st) st = sl_plan_run(p);
    return st ? sl__rewho(h->ctx, st, who) : SL_OK;
}

sl_status sl__hnn_new(sl_ctx *ctx, const char *who, const sl_hnn_opts *o, sl_hnn **out)
{
    sl_status st = sl__hnn_check_opts(ctx, who, o);
    if (st) return st;
    sl_hnn *h = sl__alloc(ctx, sizeof *h, 1, who);
    if (!h) return SL_ERR_NOMEM;
    h->ctx = ctx;
    h->o = *o;
    h->version = 1;
    /* the initial weights, from a graph of their own */
    sl_graph *g = NULL;
    sl__hnn_nets nets;
    st = sl_graph_create(ctx, &g);
    if (!st) st = sl__hnn_make_nets(g, o, &nets);
    if (!st) {
        h->nnets = nets.nnets;
        for (int k = 0; k < nets.nnets; ++k) h->nweights += sl_mlp_nweights(nets.net[k]);
        h->w = sl__alloc(ctx, sizeof(double) * (size_t)h->nweights, 0, who);
        st = h->w ? sl__hnn_take_weights(&nets, h->w) : SL_ERR_NOMEM;
    }
    sl_graph_destroy(g);
    if (st) {
        sl_hnn_destroy(h);
        return sl__rewho(ctx, st, who);
    }
    *out = h;
    return SL_OK;
}

sl_status sl_hnn_create(sl_ctx *ctx, const sl_hnn_opts *opts, sl_hnn **out)
{
    const char *who = "sl_hnn_create";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!opts) return sl__fail(ctx, SL_ERR_NULL, "%s: opts is NULL (use sl_hnn_opts_init)", who);
    sl_hnn_opts o;
    sl_hnn_opts_init(&o);
    sl_status st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, HNN_OPTS_MIN);
    if (st) return st;
    return sl__hnn_new(ctx, who, &o, out);
}

void sl_hnn_destroy(sl_hnn *h)
{
    if (!h) return;
    for (int s = 0; s < 2; ++s) sl__hnn_eval_free(&h->ev[s]);
    sl__free(h->ctx, h->w);
    sl__free(h->ctx, h->losses);
    sl__free(h->ctx, h);
}

int64_t sl_hnn_half_size(const sl_hnn *h) { return h ? h->o.n : 0; }
int sl_hnn_is_separable(const sl_hnn *h) { return h ? h->o.separable : 0; }
int sl_hnn_is_dissipative(const sl_hnn *h) { return h ? h->o.dissipative : 0; }
int64_t sl_hnn_nweights(const sl_hnn *h) { return h ? h->nweights : 0; }

sl_status sl_hnn_get_weights(const sl_hnn *h, double *out)
{
    if (!h) return SL_ERR_NULL;
    if (!out) return sl__fail(h->ctx, SL_ERR_NULL, "sl_hnn_get_weights: out is NULL");
    memcpy(out, h->w, sizeof(double) * (size_t)h->nweights);
    return SL_OK;
}

sl_status sl_hnn_set_weights(sl_hnn *h, const double *in)
{
    const char *who = "sl_hnn_set_weights";
    if (!h) return SL_ERR_NULL;
    if (!in) return sl__fail(h->ctx, SL_ERR_NULL, "%s: in is NULL", who);
    int64_t bad = sl__first_nonfinite(in, (size_t)h->nweights);
    if (bad >= 0) return sl__fail(h->ctx, SL_ERR_NONFINITE, "%s: in[%lld] = %g", who, (long long)bad, in[bad]);
    memcpy(h->w, in, sizeof(double) * (size_t)h->nweights);
    h->version++;
    return SL_OK;
}

int64_t sl_hnn_losses(const sl_hnn *h, const double **loss)
{
    if (loss) *loss = h ? h->losses : NULL;
    return h ? h->nlosses : 0;
}

/* ---- Evaluation ---------------------------------------------------------------- */
static sl_status check_points(sl_hnn *h, const char *who, int64_t m, const double *z)
{
    sl_ctx *ctx = h->ctx;
    if (!z) return sl__fail(ctx, SL_ERR_NULL, "%s: z is NULL", who);
    if (m < 1 || m > SL_HNN_MAX_M) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    int64_t d = 2 * h->o.n, cells;
    sl_status st = sl__product(ctx, SL_ERR_SHAPE, who, "m x 2n", 2, (int64_t[]){m, d}, &cells);
    if (st) return st;
    int64_t bad = sl__first_nonfinite(z, (size_t)cells);
    if (bad >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: z[%lld][%lld] = %g", who, (long long)(bad / d),
                        (long long)(bad % d), z[bad]);
    return SL_OK;
}

/* Run slot 1 (or 0 for m = 1) at z. */
static sl_status eval_at(sl_hnn *h, const char *who, int64_t m, const double *z, int all, sl__hnn_eval **e)
{
    sl_status st = check_points(h, who, m, z);
    if (!st) st = sl__hnn_evaluator(h, who, m == 1 ? 0 : 1, m, e);
    if (!st) st = sl__hnn_eval_run(h, who, *e, z, all);
    return st;
}

sl_status sl_hnn_energy(sl_hnn *h, int64_t m, const double *z, double *energy)
{
    const char *who = "sl_hnn_energy";
    if (!h) return SL_ERR_NULL;
    if (!energy) return sl__fail(h->ctx, SL_ERR_NULL, "%s: energy is NULL", who);
    sl__hnn_eval *e;
    sl_status st = eval_at(h, who, m, z, 0, &e);
    if (st) return st;
    memcpy(energy, sl_plan_value(e->plan_e, e->H), sizeof(double) * (size_t)m);
    return SL_OK;
}

sl_status sl_hnn_field(sl_hnn *h, int64_t m, const double *z, double *zdot)
{
    const char *who = "sl_hnn_field";
    if (!h) return SL_ERR_NULL;
    if (!zdot) return sl__fail(h->ctx, SL_ERR_NULL, "%s: zdot is NULL", who);
    sl__hnn_eval *e;
    sl_status st = eval_at(h, who, m, z, 1, &e);
    if (st) return st;
    int64_t n = h->o.n, d = 2 * n;
    const double *dH = sl_plan_value(e->plan_all, e->dH);
    const double *dD = e->dD ? sl_plan_value(e->plan_all, e->dD) : NULL;
    for (int64_t i = 0; i < m; ++i) {
        const double *g = dH + i * d;
        double *f = zdot + i * d;
        for (int64_t k = 0; k < n; ++k) f[k] = g[n + k], f[n + k] = -g[k];
        if (dD)
            for (int64_t k = 0; k < d; ++k) f[k] += dD[i * d + k];
    }
    return SL_OK;
}

sl_status sl_hnn_dissipation(sl_hnn *h, int64_t m, const double *z, double *D, double *gradD)
{
    const char *who = "sl_hnn_dissipation";
    if (!h) return SL_ERR_NULL;
    if (!h->o.dissipative)
        return sl__fail(h->ctx, SL_ERR_STATE, "%s: the model has no dissipation network (opts->dissipative = 0)", who);
    sl__hnn_eval *e;
    sl_status st = eval_at(h, who, m, z, 1, &e);
    if (st) return st;
    if (D) memcpy(D, sl_plan_value(e->plan_all, e->D), sizeof(double) * (size_t)m);
    if (gradD) memcpy(gradD, sl_plan_value(e->plan_all, e->dD), sizeof(double) * (size_t)(m * 2 * h->o.n));
    return SL_OK;
}
