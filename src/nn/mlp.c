/* Multilayer perceptrons over param nodes of a graph: options, creation,
 * application, and the flat weight vector. */
#include "nn_internal.h"

#include <math.h>

#define MLP_OPTS_MIN SL_OPTS_END(sl_mlp_opts, seed)

sl_status sl_mlp_opts_init_sized(sl_mlp_opts *opts, size_t size)
{
    const sl_mlp_opts d = SL_MLP_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, MLP_OPTS_MIN);
}

static int is_odd_act(int act) { return act == SL_ACT_TANH || act == SL_ACT_SIN; }

static const char *act_name(int act)
{
    static const char *names[] = {"?", "tanh", "silu", "gelu", "softplus", "sin"};
    return act >= SL_ACT_TANH && act <= SL_ACT_SIN ? names[act] : "?";
}

static sl_status check_opts(sl_ctx *ctx, const char *who, const sl_mlp_opts *o)
{
    if (o->nlayers < 1 || o->nlayers > SL_MLP_MAX_LAYERS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nlayers = %d (must be 1..%d)", who, o->nlayers,
                        SL_MLP_MAX_LAYERS);
    for (int i = 0; i <= o->nlayers; ++i)
        if (o->widths[i] < 1)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->widths[%d] = %lld (must be >= 1)", who, i,
                            (long long)o->widths[i]);
    for (int l = 0; l < o->nlayers; ++l) {
        int64_t n;
        sl_status st = sl__product(ctx, SL_ERR_SHAPE, who, "a layer's in x out", 2, o->widths + l, &n);
        if (st) return st;
    }
    if (o->activation < SL_ACT_TANH || o->activation > SL_ACT_SIN)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->activation = %d (must be an SL_ACT_* value)", who, o->activation);
    if (o->init < SL_INIT_GLOROT_UNIFORM || o->init > SL_INIT_ORTHOGONAL)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->init = %d (must be an SL_INIT_* value)", who, o->init);
    if (o->odd != 0 && o->odd != 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->odd = %d (must be 0 or 1)", who, o->odd);
    if (o->bias != 0 && o->bias != 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->bias = %d (must be 0 or 1)", who, o->bias);
    if (o->odd && !is_odd_act(o->activation))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->odd = 1 with activation %s (must be odd: SL_ACT_TANH or SL_ACT_SIN)",
                        who, act_name(o->activation));
    if (!isfinite(o->gain)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->gain = %g (must be finite)", who, o->gain);
    return SL_OK;
}

/* The handle lives in its graph's arena and goes with the graph. */
void sl_mlp_destroy(sl_mlp *net) { (void)net; }

sl_status sl_mlp_create(sl_graph *g, const sl_mlp_opts *opts, sl_mlp **out)
{
    const char *who = "sl_mlp_create";
    if (!g) return SL_ERR_NULL;
    sl_ctx *ctx = g->ctx;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (g->status) return sl__fail(ctx, g->status, "%s: the graph has an error", who);
    if (!opts) return sl__fail(ctx, SL_ERR_NULL, "%s: opts is NULL (use sl_mlp_opts_init)", who);
    sl_mlp_opts o;
    sl_mlp_opts_init(&o);
    sl_status st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, MLP_OPTS_MIN);
    if (st || (st = check_opts(ctx, who, &o))) return st;
    if (o.odd) o.bias = 0;
    sl_mlp *net = sl__graph_mem(g, sizeof *net);
    if (!net) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    memset(net, 0, sizeof *net);
    net->ctx = ctx;
    net->g = g;
    net->o = o;
    int64_t wmax = 0;
    for (int l = 0; l < o.nlayers; ++l)
        if (o.widths[l] * o.widths[l + 1] > wmax) wmax = o.widths[l] * o.widths[l + 1];
    double *w = sl__alloc(ctx, sizeof(double) * (size_t)wmax, 0, who);
    if (!w) return SL_ERR_NOMEM;
    uint64_t seed = sl_ctx_seed(ctx) + o.seed;
    for (int l = 0; l < o.nlayers; ++l) {
        int64_t in = o.widths[l], nout = o.widths[l + 1];
        char name[16];
        sl__nn_init_weights(o.init, o.gain, seed + (uint64_t)l, in, nout, w);
        snprintf(name, sizeof name, "W%d", l + 1);
        net->W[l] = sl_graph_param(g, SL_F64, 2, (int64_t[]){in, nout}, w, name);
        net->params[net->nparams++] = net->W[l];
        if (o.bias) {
            snprintf(name, sizeof name, "b%d", l + 1);
            net->b[l] = sl_graph_param(g, SL_F64, 1, (int64_t[]){nout}, NULL, name);
            net->params[net->nparams++] = net->b[l];
        }
    }
    sl__free(ctx, w);
    if (g->status) return g->status;
    *out = net;
    return SL_OK;
}

sl_node *sl_mlp_apply(sl_mlp *net, sl_node *x)
{
    const char *who = "sl_mlp_apply";
    if (!net) {
        if (x && x->g && !x->g->status) sl__gfail(x->g, SL_ERR_NULL, "%s: net is NULL", who);
        return NULL;
    }
    sl_graph *g = net->g;
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (x->dtype != SL_F64) return sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be f64)", who, sl__dtype_name(x->dtype));
    if (x->rank < 1 || x->shape[x->rank - 1] != net->o.widths[0])
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x's last axis is %lld (the network takes %lld inputs)", who,
                         x->rank ? (long long)x->shape[x->rank - 1] : 0LL, (long long)net->o.widths[0]);
    sl_node *h = x;
    for (int l = 0; l < net->o.nlayers; ++l) {
        h = sl_graph_dense(g, h, net->W[l], net->b[l]);
        if (l + 1 < net->o.nlayers) h = sl__nn_activate(g, net->o.activation, h);
    }
    return h;
}

int sl_mlp_nlayers(const sl_mlp *net) { return net ? net->o.nlayers : 0; }

int64_t sl_mlp_width(const sl_mlp *net, int i)
{
    return net && i >= 0 && i <= net->o.nlayers ? net->o.widths[i] : 0;
}

int sl_mlp_params(const sl_mlp *net, sl_node *const **params)
{
    if (params) *params = net ? net->params : NULL;
    return net ? net->nparams : 0;
}

int sl_mlp_nparams(const sl_mlp *net) { return net ? net->nparams : 0; }

sl_node *sl_mlp_param(const sl_mlp *net, int i)
{
    return net && i >= 0 && i < net->nparams ? net->params[i] : NULL;
}

int64_t sl_mlp_nweights(const sl_mlp *net)
{
    if (!net) return 0;
    int64_t n = 0;
    for (int i = 0; i < net->nparams; ++i) n += net->params[i]->numel;
    return n;
}

sl_status sl_mlp_get_weights(const sl_mlp *net, double *out)
{
    if (!net) return SL_ERR_NULL;
    if (!out) return sl__fail(net->ctx, SL_ERR_NULL, "sl_mlp_get_weights: out is NULL");
    for (int i = 0; i < net->nparams; ++i) {
        memcpy(out, net->params[i]->data, sizeof(double) * (size_t)net->params[i]->numel);
        out += net->params[i]->numel;
    }
    return SL_OK;
}

sl_status sl_mlp_set_weights(sl_mlp *net, const double *in)
{
    const char *who = "sl_mlp_set_weights";
    if (!net) return SL_ERR_NULL;
    if (!in) return sl__fail(net->ctx, SL_ERR_NULL, "%s: in is NULL", who);
    int64_t n = sl_mlp_nweights(net), bad = sl__first_nonfinite(in, (size_t)n);
    if (bad >= 0) return sl__fail(net->ctx, SL_ERR_NONFINITE, "%s: in[%lld] = %g", who, (long long)bad, in[bad]);
    for (int i = 0; i < net->nparams; ++i) {
        memcpy(net->params[i]->data, in, sizeof(double) * (size_t)net->params[i]->numel);
        in += net->params[i]->numel;
    }
    return SL_OK;
}
