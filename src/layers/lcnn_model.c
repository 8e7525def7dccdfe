/* The L-CNN model builder: Plaq -> GCMConv stack -> Trace -> dense head, the
 * PRL networks of Favoni et al. 2022 (channel and kernel lists as in the
 * reference scripts), with cached plans for prediction and an AdamW trainer. */
#include "lattice_internal.h"
#include "lcnn_internal.h"

#include <math.h>

#define LCNN_OPTS_MIN SL_OPTS_END(sl_lcnn_opts, seed)
#define LCNN_TRAIN_OPTS_MIN SL_OPTS_END(sl_lcnn_train_opts, progress_user)

sl_status sl_lcnn_opts_init_sized(sl_lcnn_opts *opts, size_t size)
{
    static const sl_lcnn_opts d = SL_LCNN_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, LCNN_OPTS_MIN);
}

void (sl_lcnn_opts_init)(sl_lcnn_opts *opts)
{
    sl_lcnn_opts_init_sized(opts, SL_OPTS_SIZEOF_1_0(sl_lcnn_opts, seed));
}

sl_status sl_lcnn_train_opts_init_sized(sl_lcnn_train_opts *opts, size_t size)
{
    static const sl_lcnn_train_opts d = SL_LCNN_TRAIN_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, LCNN_TRAIN_OPTS_MIN);
}

void (sl_lcnn_train_opts_init)(sl_lcnn_train_opts *opts)
{
    sl_lcnn_train_opts_init_sized(opts, SL_OPTS_SIZEOF_1_0(sl_lcnn_train_opts, progress_user));
}

sl_status sl_lcnn_fit_summary_init_sized(sl_lcnn_fit_summary *s, size_t size)
{
    static const sl_lcnn_fit_summary d = SL_LCNN_FIT_SUMMARY_INIT;
    return sl__opts_init(s, size, &d, sizeof d, SL_OPTS_END(sl_lcnn_fit_summary, initial_val_loss));
}

sl_status sl__lcnn_read_opts(sl_ctx *ctx, const char *who, const sl_lcnn_opts *user, sl_lcnn_opts *o)
{
    sl_lcnn_opts_init_sized(o, sizeof *o);
    return sl__opts_read(ctx, who, "opts", o, sizeof *o, user, LCNN_OPTS_MIN);
}

sl_status sl__lcnn_read_train_opts(sl_ctx *ctx, const char *who, const sl_lcnn_train_opts *user,
                                   sl_lcnn_train_opts *o)
{
    sl_lcnn_train_opts_init_sized(o, sizeof *o);
    if (!user) return SL_OK;
    sl_status st = sl__opts_read(ctx, who, "opts", o, sizeof *o, user, LCNN_TRAIN_OPTS_MIN);
    /* a 1.0 caller trains as 1.0 did: the head as it is */
    if (!st && user->size < SL_OPTS_END(sl_lcnn_train_opts, init_head)) o->init_head = 0;
    if (!st && user->size < SL_OPTS_END(sl_lcnn_train_opts, center)) o->center = 0;
    return st;
}

static int in_channels(const sl_lcnn_opts *o)
{
    return o->orientations * o->nd * (o->nd - 1) / 2;
}

sl_status sl__lcnn_check_opts(sl_ctx *ctx, const char *who, const sl_lcnn_opts *o)
{
    if (o->nd < 2 || o->nd > 4) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nd = %d (must be 2..4)", who, o->nd);
    if (o->nc < 2 || o->nc > SL_NC_MAX) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nc = %d (must be 2..%d)", who, o->nc, SL_NC_MAX);
    if (o->nlayers < 1 || o->nlayers > SL_LCNN_MAX_LAYERS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nlayers = %d (must be 1..%d)", who, o->nlayers, SL_LCNN_MAX_LAYERS);
    for (int i = 0; i < o->nlayers; ++i) {
        if (o->channels[i] < 1 || o->channels[i] > 4096)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->channels[%d] = %d", who, i, o->channels[i]);
        if (o->kernels[i] < (o->symmetric ? 1 : 2) || o->kernels[i] > 64)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->kernels[%d] = %d (must be %d..64)", who, i, o->kernels[i],
                            o->symmetric ? 1 : 2);
    }
    if (o->dilation < 0 || o->dilation >= SL_LCNN_MAX_REACH)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->dilation = %d (must be 0..%d)", who, o->dilation,
                        SL_LCNN_MAX_REACH - 1);
    for (int i = 0; i < o->nlayers; ++i)
        if ((int64_t)(o->kernels[i] - 1) * (o->dilation + 1) > SL_LCNN_MAX_REACH)
            return sl__fail(ctx, SL_ERR_ARG, "%s: layer %d reaches (K-1)(dilation+1) = (%d-1)(%d+1) sites (at most "
                            "SL_LCNN_MAX_REACH = %d)", who, i, o->kernels[i], o->dilation, SL_LCNN_MAX_REACH);
    if (o->symmetric != 0 && o->symmetric != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->symmetric = %d (must be 0 or 1)", who, o->symmetric);
    if (o->orientations != 1 && o->orientations != 2)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->orientations = %d (must be 1 or 2)", who, o->orientations);
    if (o->head != SL_LCNN_HEAD_SITE && o->head != SL_LCNN_HEAD_POOLED)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->head = %d", who, o->head);
    return SL_OK;
}

/* The model fits the lattice: every layer's longest transport
 * (K-1)(dilation+1) is at most every extent (a longer one winds around). */
sl_status sl__lcnn_check_reach(const sl_lcnn *net, const char *who, const int64_t *dims)
{
    const sl_lcnn_opts *o = &net->o;
    for (int i = 0; i < o->nlayers; ++i) {
        int64_t reach = (int64_t)(o->kernels[i] - 1) * (o->dilation + 1);
        for (int mu = 0; mu < o->nd; ++mu)
            if (reach > dims[mu])
                return sl__fail(net->ctx, SL_ERR_ARG, "%s: layer %d transports over (K-1)(dilation+1) = %lld sites, "
                                "more than the lattice extent dims[%d] = %lld (the network does not fit the lattice)",
                                who, i, (long long)reach, mu, (long long)dims[mu]);
    }
    return SL_OK;
}

/* Sizes of `batch` fields on dims: the volume and the doubles of the links,
 * through overflow-checked products. */
sl_status sl__lcnn_sizes(const sl_lcnn *net, const char *who, int64_t batch, const int64_t *dims, int64_t *vol,
                         int64_t *doubles)
{
    const sl_lcnn_opts *o = &net->o;
    for (int i = 0; i < o->nd; ++i)
        if (dims[i] < 1 || dims[i] > (1 << 20))
            return sl__fail(net->ctx, SL_ERR_ARG, "%s: dims[%d] = %lld (must be 1..2^20)", who, i, (long long)dims[i]);
    sl_status st = sl__product(net->ctx, SL_ERR_ARG, who, "the volume", o->nd, dims, vol);
    if (!st)
        st = sl__product(net->ctx, SL_ERR_ARG, who, "the link doubles (fields x volume x nd x N^2 x 2)", 5,
                         (int64_t[]){batch, *vol, o->nd, (int64_t)o->nc * o->nc, 2}, doubles);
    return st ? st : sl__lcnn_check_reach(net, who, dims);
}

/* A failure inside a call made for `who` (plans, graphs, the optimiser)
 * re-worded so that the message names the public call the user made. */
sl_status sl__lcnn_as_call(sl_ctx *ctx, const char *who, sl_status st)
{
    if (!st || !ctx) return st;
    const char *m = sl_ctx_errmsg(ctx);
    size_t n = strlen(who);
    if (!strncmp(m, who, n) && m[n] == ':') return st;
    const char *rest = m;
    if (!strncmp(m, "sl_", 3)) {   /* drop the inner call's name */
        const char *c = strstr(m, ": ");
        if (c) rest = c + 2;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s", rest);
    return sl__fail(ctx, st, "%s: %s", who, buf);
}

/* Weight shapes and offsets of a model with validated options; the total. */
static int64_t layout(const sl_lcnn_opts *o, int64_t (*shape)[3], int64_t *off, int64_t *cin_last)
{
    int64_t cin = in_channels(o), tot = 0;
    for (int i = 0; i < o->nlayers; ++i) {
        int64_t m = sl_gcmconv_terms(o->nd, cin, o->kernels[i], o->symmetric);
        shape[i][0] = o->channels[i];
        shape[i][1] = 2 * cin + 1;
        shape[i][2] = 2 * m + 1;
        off[i] = tot;
        tot += shape[i][0] * shape[i][1] * shape[i][2];
        cin = o->channels[i];
    }
    *cin_last = cin;
    off[o->nlayers] = tot;              /* head (2C, 1) */
    tot += 2 * cin;
    off[o->nlayers + 1] = tot;          /* bias */
    return tot + 1;
}

int64_t sl__lcnn_param_count(const sl_lcnn_opts *o)
{
    int64_t shape[SL_LCNN_MAX_LAYERS][3], off[SL_LCNN_MAX_LAYERS + 2], cin;
    return layout(o, shape, off, &cin);
}

sl_status sl__lcnn_alloc(sl_ctx *ctx, const char *who, const sl_lcnn_opts *o, sl_lcnn **out)
{
    sl_lcnn *net = sl__alloc(ctx, sizeof *net, 1, who);
    if (!net) return SL_ERR_NOMEM;
    net->ctx = ctx;
    net->o = *o;
    net->o.size = sizeof(sl_lcnn_opts);
    int64_t tot = layout(o, net->shape, net->off, &net->cin_last);
    net->nparams = tot;
    net->w = sl__alloc(ctx, sizeof(double) * (size_t)tot, 1, who);
    if (!net->w) { sl__free(ctx, net); return SL_ERR_NOMEM; }
    *out = net;
    return SL_OK;
}

sl_status sl_lcnn_create(sl_ctx *ctx, const sl_lcnn_opts *opts, sl_lcnn **out)
{
    const char *who = "sl_lcnn_create";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!opts) return sl__fail(ctx, SL_ERR_NULL, "%s: opts is NULL", who);
    sl_lcnn_opts o;
    sl_status st = sl__lcnn_read_opts(ctx, who, opts, &o);
    if (st || (st = sl__lcnn_check_opts(ctx, who, &o))) return st;
    opts = &o;
    sl_lcnn *net;
    st = sl__lcnn_alloc(ctx, who, opts, &net);
    if (st) return st;
    /* alpha ~ N(0, 1/((2C+1)(2M+1))) (the reference initialisation) */
    for (int i = 0; i < opts->nlayers; ++i) {
        int64_t n = net->shape[i][0] * net->shape[i][1] * net->shape[i][2];
        double sd = 1.0 / sqrt((double)(net->shape[i][1] * net->shape[i][2]));
        sl_rng_fill_normal(opts->seed + 10 + (uint64_t)i, 0, (size_t)n, 0, sd, net->w + net->off[i]);
    }
    int64_t fi = 2 * net->cin_last;
    double b = pow(6.0 / (double)(fi + 1), 0.5);
    sl_rng_fill_uniform(opts->seed + 20, 0, (size_t)fi, -b, b, net->w + net->off[opts->nlayers]);
    *out = net;
    return SL_OK;
}

static void drop_cache(sl_lcnn *net)
{
    for (int i = 0; i < 2; ++i) {
        sl_plan_destroy(net->cache[i].plan);
        sl_graph_destroy(net->cache[i].g);
        sl__free(net->ctx, net->cache[i].stage);
        memset(&net->cache[i], 0, sizeof net->cache[i]);
    }
}

void sl_lcnn_destroy(sl_lcnn *net)
{
    if (!net) return;
    drop_cache(net);
    sl__free(net->ctx, net->w);
    sl__free(net->ctx, net);
}

int64_t sl_lcnn_nparams(const sl_lcnn *net) { return net ? net->nparams : 0; }

sl_status sl_lcnn_get_params(const sl_lcnn *net, double *out)
{
    if (!net) return SL_ERR_NULL;
    if (!out) return sl__fail(net->ctx, SL_ERR_NULL, "sl_lcnn_get_params: out is NULL");
    memcpy(out, net->w, sizeof(double) * (size_t)net->nparams);
    return SL_OK;
}

sl_status sl_lcnn_set_params(sl_lcnn *net, const double *in)
{
    if (!net) return SL_ERR_NULL;
    if (!in) return sl__fail(net->ctx, SL_ERR_NULL, "sl_lcnn_set_params: in is NULL");
    int64_t bad = sl__first_nonfinite(in, (size_t)net->nparams);
    if (bad >= 0) return sl__fail(net->ctx, SL_ERR_NONFINITE, "sl_lcnn_set_params: in[%lld] is not finite", (long long)bad);
    memcpy(net->w, in, sizeof(double) * (size_t)net->nparams);
    return SL_OK;
}

sl_node *sl_lcnn_apply(sl_lcnn *net, sl_graph *g, sl_node *U, sl_node **params)
{
    return sl__lcnn_apply_features(net, g, U, params, NULL, NULL, NULL);
}

sl_node *sl__lcnn_apply_features(sl_lcnn *net, sl_graph *g, sl_node *U, sl_node **params, sl_node **features,
                                 sl_node **centers, sl_node **inputs)
{
    const char *who = "sl_lcnn_apply";
    if (!net || !g) return NULL;
    int nd = sl__gauge_node_nd(g, who, U);
    if (nd < 0) return NULL;
    const sl_lcnn_opts *o = &net->o;
    if (nd != o->nd || U->shape[U->rank - 1] != o->nc)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: U has nd = %d, N = %lld; the model wants %d, %d", who, nd,
                         (long long)U->shape[U->rank - 1], o->nd, o->nc);
    if (sl__lcnn_check_reach(net, who, U->shape + 1)) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", sl_ctx_errmsg(net->ctx));
        return sl__gfail(g, SL_ERR_ARG, "%s", msg);
    }
    sl_node *W = sl_graph_plaquette(g, U, o->orientations, 0);
    int np = 0;
    for (int i = 0; i < o->nlayers; ++i) {
        if (inputs) inputs[i] = W;
        if (centers && W) {   /* training in the centred basis (lcnn_train.c): W_j - c_j 1 */
            int64_t cs[SL_MAX_RANK];
            for (int r = 0; r < W->rank; ++r) cs[r] = r == 0 ? W->shape[0] : r >= W->rank - 2 ? o->nc : 1;
            centers[i] = sl_graph_input(g, SL_C128, W->rank, cs, "center");
            W = sl_graph_sub(g, W, centers[i]);
        }
        sl_node *alpha = sl_graph_param(g, SL_F64, 3, net->shape[i], net->w + net->off[i], "alpha");
        if (params) params[np++] = alpha;
        /* SU(2): plaquettes and every layer of them lie in the real span of
         * SU(2); the contraction runs on its 4 coordinates (half the work) */
        W = sl__graph_gcmconv(g, U, W, alpha, o->kernels[i], o->dilation, o->symmetric, o->nc == 2);
    }
    sl_node *f = sl_graph_trace_features(g, W);                   /* (B, L.., 2C) */
    int64_t fi = 2 * net->cin_last;
    sl_node *head = sl_graph_param(g, SL_F64, 2, (int64_t[]){fi, 1}, net->w + net->off[o->nlayers], "head");
    sl_node *bias = sl_graph_param(g, SL_F64, 1, (int64_t[]){1}, net->w + net->off[o->nlayers + 1], "bias");
    if (params) { params[np++] = head; params[np++] = bias; }
    if (!f) return NULL;
    if (o->head == SL_LCNN_HEAD_POOLED) {
        int axes[4];
        for (int i = 0; i < nd; ++i) axes[i] = 1 + i;
        f = sl_graph_mean_axes(g, f, nd, axes, 0);                 /* (B, 2C) */
    }
    if (features) *features = f;
    sl_node *y = sl_graph_add(g, sl_graph_matmul(g, f, head), bias);
    if (!y) return NULL;
    return sl_graph_reshape(g, y, y->rank - 1, y->shape);
}

/* A cached plan for (batch, dims); weights synchronised before each run. */
sl_status sl__lcnn_plan(sl_lcnn *net, const char *who, int64_t batch, const int64_t *dims, sl_lcnn_cache **out)
{
    const sl_lcnn_opts *o = &net->o;
    for (int i = 0; i < 2; ++i) {
        sl_lcnn_cache *c = &net->cache[i];
        if (c->plan && c->batch == batch && !memcmp(c->dims, dims, sizeof(int64_t) * (size_t)o->nd)) {
            net->cache_next = 1 - i;
            *out = c;
            goto sync;
        }
    }
    sl_lcnn_cache *c = &net->cache[net->cache_next];
    net->cache_next = 1 - net->cache_next;
    sl_plan_destroy(c->plan);
    sl_graph_destroy(c->g);
    sl__free(net->ctx, c->stage);
    memset(c, 0, sizeof *c);
    sl_status st = sl_graph_create(net->ctx, &c->g);
    if (st) return sl__lcnn_as_call(net->ctx, who, st);
    int64_t shape[SL_MAX_RANK] = {batch}, vol = 1;
    for (int i = 0; i < o->nd; ++i) { shape[1 + i] = dims[i]; vol *= dims[i]; }
    shape[o->nd + 1] = o->nd; shape[o->nd + 2] = shape[o->nd + 3] = o->nc;
    c->U = sl_graph_input(c->g, SL_C128, o->nd + 4, shape, "U");
    sl_node *y = sl_lcnn_apply(net, c->g, c->U, c->params);
    if (sl_graph_status(c->g) || (st = sl_plan_create(c->g, 1, &y, &c->plan)) != SL_OK) {
        st = sl_graph_status(c->g) ? sl_graph_status(c->g) : st;
        sl_graph_destroy(c->g);
        c->g = NULL;
        return sl__lcnn_as_call(net->ctx, who, st);
    }
    c->batch = batch;
    memcpy(c->dims, dims, sizeof(int64_t) * (size_t)o->nd);
    c->volume = vol;
    *out = c;
sync:
    for (int i = 0; i < o->nlayers + 2; ++i) {
        sl_node *p = (*out)->params[i];
        memcpy(sl_node_data(p), net->w + net->off[i], sizeof(double) * (size_t)sl_node_numel(p));
    }
    return SL_OK;
}

/* The N = 2 model computes in the real span of SU(2) (kernels/lat_su2.c):
 * a link off it (a U(2) phase, a corrupted field) is refused, not projected.
 * Non-finite links are left to the plan's check (SL_ERR_NONFINITE). */
sl_status sl__lcnn_check_su2(sl_ctx *ctx, const char *who, int nc, int64_t nlinks, const double *links)
{
    if (nc != 2) return SL_OK;
    for (int64_t k = 0; k < nlinks; ++k) {
        const double *e = links + 8 * k;
        /* U22 - conj(U11) and U21 + conj(U12) vanish on the span */
        double d = fabs(e[6] - e[0]) + fabs(e[7] + e[1]) + fabs(e[4] + e[2]) + fabs(e[5] - e[3]);
        if (d > 1e-8)
            return sl__fail(ctx, SL_ERR_ARG, "%s: link %lld is not in SU(2) (off the span of SU(2) by %.3g; "
                            "the N = 2 model needs SU(2) links, not U(2))", who, (long long)k, d);
    }
    return SL_OK;
}

static sl_status run_plan(sl_lcnn *net, const char *who, sl_lcnn_cache *c, const void *links, double *out)
{
    sl_status st = sl__lcnn_check_su2(net->ctx, who, net->o.nc, c->batch * c->volume * net->o.nd, links);
    if (!st && (st = sl_plan_bind(c->plan, c->U, links)) == SL_OK) st = sl_plan_run(c->plan);
    if (st) return sl__lcnn_as_call(net->ctx, who, st);
    int64_t n = net->o.head == SL_LCNN_HEAD_POOLED ? c->batch : c->batch * c->volume;
    memcpy(out, sl_plan_output(c->plan, 0), sizeof(double) * (size_t)n);
    return SL_OK;
}

sl_status sl_lcnn_predict(sl_lcnn *net, const sl_gauge *U, double *out)
{
    const char *who = "sl_lcnn_predict";
    if (!net) return SL_ERR_NULL;
    if (!U || !out) return sl__fail(net->ctx, SL_ERR_NULL, "%s: %s is NULL", who, U ? "out" : "U");
    if (U->nd != net->o.nd || U->nc != net->o.nc)
        return sl__fail(net->ctx, SL_ERR_ARG, "%s: U has nd = %d, N = %d; the model wants %d, %d", who, U->nd, U->nc,
                        net->o.nd, net->o.nc);
    sl_lcnn_cache *c;
    int64_t vol, nd2;
    sl_status st = sl__lcnn_sizes(net, who, 1, U->dims, &vol, &nd2);
    if (st || (st = sl__lcnn_plan(net, who, 1, U->dims, &c))) return st;
    const void *links = U->own;
    if (!links && sl_tensor_is_contiguous(U->view)) links = sl_tensor_data(U->view);
    if (!links) {   /* strided host view: the one documented copy */
        if (!c->stage) {
            c->stage = sl__alloc(net->ctx, sizeof(cplx) * (size_t)(U->volume * U->nd * U->nc * U->nc), 0, who);
            if (!c->stage) return SL_ERR_NOMEM;
        }
        sl_gauge_copy_canonical(U, c->stage);
        links = c->stage;
    }
    return run_plan(net, who, c, links, out);
}

sl_status sl_lcnn_predict_batch(sl_lcnn *net, int64_t batch, const int64_t *dims, const double *links, double *out)
{
    const char *who = "sl_lcnn_predict_batch";
    if (!net) return SL_ERR_NULL;
    if (!dims || !links || !out)
        return sl__fail(net->ctx, SL_ERR_NULL, "%s: %s is NULL", who, !dims ? "dims" : !links ? "links" : "out");
    if (batch < 1) return sl__fail(net->ctx, SL_ERR_ARG, "%s: batch = %lld", who, (long long)batch);
    int64_t vol, nd2;
    sl_status st = sl__lcnn_sizes(net, who, batch, dims, &vol, &nd2);
    if (st) return st;
    sl_lcnn_cache *c;
    if ((st = sl__lcnn_plan(net, who, batch, dims, &c))) return st;
    return run_plan(net, who, c, links, out);
}
