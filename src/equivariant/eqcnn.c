/* The regression network of the flux-configuration study (Bulusu et al.,
 * PRD 104 (2021) 074504; the SF-T8 model of shared/research/scalar_field.md):
 * periodic convs (or reflection group convs) with an activation, global
 * average pooling, a dense head; or the dense reference network.  Weights
 * live in one flat array (conv / dense weight then bias, layer by layer). */
#include "eqcnn_internal.h"

#include <math.h>

#define EQCNN_OPTS_MIN SL_OPTS_END(sl_eqcnn_opts, seed)

sl_status sl_eqcnn_opts_init_sized(sl_eqcnn_opts *opts, size_t size)
{
    static const sl_eqcnn_opts d = SL_EQCNN_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, EQCNN_OPTS_MIN);
}

static sl_status check_opts(sl_ctx *ctx, const char *who, const sl_eqcnn_opts *o)
{
    if (o->kind < SL_EQCNN_CONV || o->kind > SL_EQCNN_DENSE)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->kind = %d (must be SL_EQCNN_CONV, _REFL or _DENSE)", who, o->kind);
    if (o->in_channels < 1 || o->in_channels > 4096 || (o->kind == SL_EQCNN_REFL && o->in_channels != 4))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->in_channels = %d (1..4096; 4 flux channels for SL_EQCNN_REFL)", who,
                        o->in_channels);
    if (o->nconv < 0 || o->nconv > SL_EQCNN_MAX_LAYERS || (o->kind != SL_EQCNN_DENSE && o->nconv < 1))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nconv = %d (must be 1..%d; 0 allowed for SL_EQCNN_DENSE)", who,
                        o->nconv, SL_EQCNN_MAX_LAYERS);
    for (int i = 0; i < o->nconv; ++i) {
        if (o->channels[i] < 1 || o->channels[i] > 4096)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->channels[%d] = %d (must be 1..4096)", who, i, o->channels[i]);
        if (o->kind != SL_EQCNN_DENSE && (o->kernel[i] < 1 || o->kernel[i] > 64))
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->kernel[%d] = %d (must be 1..64)", who, i, o->kernel[i]);
    }
    if (o->act != 0 && o->act != 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->act = %d (must be 0 or 1)", who, o->act);
    if (o->nhidden < 0 || o->nhidden > SL_EQCNN_MAX_LAYERS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nhidden = %d (must be 0..%d)", who, o->nhidden, SL_EQCNN_MAX_LAYERS);
    for (int i = 0; i < o->nhidden; ++i)
        if (o->hidden[i] < 1 || o->hidden[i] > 65536)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->hidden[%d] = %d (must be 1..65536)", who, i, o->hidden[i]);
    if (o->nout < 1 || o->nout > 65536) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nout = %d (must be 1..65536)", who, o->nout);
    if (o->kind == SL_EQCNN_DENSE && (o->nt < 1 || o->nx < 1 || o->nt > (1 << 20) || o->nx > (1 << 20) ||
                                      o->nt * o->nx * o->in_channels > (1 << 24)))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nt = %lld, nx = %lld (SL_EQCNN_DENSE needs its lattice)", who,
                        (long long)o->nt, (long long)o->nx);
    return SL_OK;
}

/* Fill shapes of every param (weight, bias pairs) and the fan-ins. */
static int layout(const sl_eqcnn_opts *o, int rank[], int64_t shape[][SL_MAX_RANK], int64_t fan[])
{
    int np = 0, c = o->in_channels;
    int64_t width;
    for (int l = 0; l < o->nconv; ++l) {
        int64_t k = o->kernel[l], co = o->channels[l];
        if (o->kind == SL_EQCNN_DENSE) {
            int64_t in = l ? c : (int64_t)c * o->nt * o->nx;
            rank[np] = 2, shape[np][0] = co, shape[np][1] = in, fan[np] = in;
        } else if (o->kind == SL_EQCNN_REFL && l > 0) {
            rank[np] = 5, shape[np][0] = co, shape[np][1] = c, shape[np][2] = 4, shape[np][3] = k, shape[np][4] = k;
            fan[np] = 4 * c * k * k;
        } else {
            rank[np] = 4, shape[np][0] = co, shape[np][1] = c, shape[np][2] = k, shape[np][3] = k;
            fan[np] = c * k * k;
        }
        rank[np + 1] = 1, shape[np + 1][0] = co, fan[np + 1] = fan[np];
        np += 2;
        c = (int)co;
    }
    width = o->kind == SL_EQCNN_DENSE && o->nconv == 0 ? (int64_t)c * o->nt * o->nx : c;
    for (int l = 0; l <= o->nhidden; ++l) {
        int64_t out = l < o->nhidden ? o->hidden[l] : o->nout;
        rank[np] = 2, shape[np][0] = out, shape[np][1] = width, fan[np] = width;
        rank[np + 1] = 1, shape[np + 1][0] = out, fan[np + 1] = width;
        np += 2;
        width = out;
    }
    return np;
}

sl_status sl_eqcnn_create(sl_ctx *ctx, const sl_eqcnn_opts *opts, sl_eqcnn **out)
{
    const char *who = "sl_eqcnn_create";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    sl_eqcnn_opts o;
    sl_eqcnn_opts_init(&o);
    sl_status st = opts ? sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, EQCNN_OPTS_MIN) : SL_OK;
    if (st || (st = check_opts(ctx, who, &o))) return st;
    sl_eqcnn *net = sl__alloc(ctx, sizeof *net, 1, who);
    if (!net) return SL_ERR_NOMEM;
    net->ctx = ctx;
    net->o = o;
    net->np = layout(&o, net->rank, net->shape, net->fan);
    int64_t total = 0;
    for (int i = 0; i < net->np; ++i) {
        int64_t n = 1;
        for (int j = 0; j < net->rank[i]; ++j) n *= net->shape[i][j];
        net->off[i] = total;
        net->cnt[i] = n;
        total += n;
    }
    if (total > ((int64_t)1 << 30)) {
        sl__free(ctx, net);
        return sl__fail(ctx, SL_ERR_ARG, "%s: %lld weights is too many", who, (long long)total);
    }
    net->nparams = total;
    net->w = sl__alloc(ctx, sizeof(double) * (size_t)total, 0, who);
    if (!net->w) {
        sl__free(ctx, net);
        return SL_ERR_NOMEM;
    }
    /* PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases */
    for (int i = 0; i < net->np; ++i) {
        double b = 1.0 / sqrt((double)net->fan[i]);
        sl_rng_fill_uniform(o.seed, (uint64_t)net->off[i], (size_t)net->cnt[i], -b, b, net->w + net->off[i]);
    }
    *out = net;
    return SL_OK;
}

void sl_eqcnn_destroy(sl_eqcnn *net)
{
    if (!net) return;
    sl__free(net->ctx, net->w);
    sl__free(net->ctx, net);
}

int64_t sl_eqcnn_nparams(const sl_eqcnn *net)
{
    return net ? net->nparams : 0;
}

static sl_status copy_check(sl_ctx *ctx, const char *who, int64_t count, int64_t want, const void *w)
{
    if (!w) return sl__fail(ctx, SL_ERR_NULL, "%s: w is NULL", who);
    if (count != want)
        return sl__fail(ctx, SL_ERR_SHAPE, "%s: count = %lld (the network has %lld weights)", who, (long long)count,
                        (long long)want);
    return SL_OK;
}

sl_status sl_eqcnn_get_weights(const sl_eqcnn *net, int64_t count, double *w)
{
    if (!net) return SL_ERR_NULL;
    sl_status st = copy_check(net->ctx, "sl_eqcnn_get_weights", count, net->nparams, w);
    if (!st) memcpy(w, net->w, sizeof(double) * (size_t)count);
    return st;
}

sl_status sl_eqcnn_set_weights(sl_eqcnn *net, int64_t count, const double *w)
{
    const char *who = "sl_eqcnn_set_weights";
    if (!net) return SL_ERR_NULL;
    sl_status st = copy_check(net->ctx, who, count, net->nparams, w);
    if (st) return st;
    int64_t bad = sl__first_nonfinite(w, (size_t)count);
    if (bad >= 0) return sl__fail(net->ctx, SL_ERR_NONFINITE, "%s: w[%lld] is not finite", who, (long long)bad);
    memcpy(net->w, w, sizeof(double) * (size_t)count);
    return SL_OK;
}

static sl_node *activation(sl_graph *g, int act, sl_node *x)
{
    if (act == 0) return sl_graph_tanh(g, x);
    /* LeakyReLU(0.01) = 0.99 relu(x) + 0.01 x */
    return sl_graph_add(g, sl_graph_mul_scalar(g, sl_graph_relu(g, x), 0.99), sl_graph_mul_scalar(g, x, 0.01));
}

static sl_node *leaky(sl_graph *g, sl_node *x)
{
    return activation(g, 1, x);
}

/* x (B, in) -> x W^T + b */
static sl_node *dense(sl_graph *g, sl_node *x, sl_node *W, sl_node *b)
{
    return sl_graph_add(g, sl_graph_matmul_ex(g, x, SL_OP_N, W, SL_OP_T), b);
}

sl_node *sl_eqcnn_apply(sl_eqcnn *net, sl_graph *g, sl_node *x, sl_node **params, int *nparams)
{
    const char *who = "sl_eqcnn_apply";
    if (!g) return NULL;
    if (!net) return sl__gfail(g, SL_ERR_NULL, "%s: net is NULL", who);
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    const sl_eqcnn_opts *o = &net->o;
    char b1[96];
    if (x->dtype != SL_F64 || x->rank != 4 || x->shape[1] != o->in_channels ||
        (o->kind == SL_EQCNN_DENSE && (x->shape[2] != o->nt || x->shape[3] != o->nx)))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x has shape %s (need f64 (B, %d, Nt, Nx)%s)", who,
                         sl__shape_str(x, b1, sizeof b1), o->in_channels,
                         o->kind == SL_EQCNN_DENSE ? " on the dense network's lattice" : "");
    sl_status before = sl_graph_status(g);
    sl_node *P[2 * (2 * SL_EQCNN_MAX_LAYERS + 1)];
    for (int i = 0; i < net->np; ++i) {
        P[i] = sl_graph_param(g, SL_F64, net->rank[i], net->shape[i], net->w + net->off[i], "eqcnn");
        if (params) params[i] = P[i];
    }
    if (nparams) *nparams = net->np;
    sl_node *h = x;
    int np = 0;
    if (o->kind == SL_EQCNN_DENSE) {
        int64_t s[2] = {x->shape[0], -1};
        h = sl_graph_reshape(g, x, 2, s);
        for (int l = 0; l < o->nconv; ++l, np += 2) h = sl_graph_tanh(g, dense(g, h, P[np], P[np + 1]));
    } else {
        for (int l = 0; l < o->nconv; ++l, np += 2) {
            if (o->kind == SL_EQCNN_CONV && o->act == 0) { /* conv, bias and tanh fused */
                h = sl__eq_pconv_tanh(g, who, h, P[np], P[np + 1]);
                continue;
            }
            if (o->kind == SL_EQCNN_CONV) h = sl_graph_periodic_conv(g, h, P[np], P[np + 1]);
            else if (l == 0) h = sl_graph_eq_lift_conv(g, SL_EQ_REFL, SL_EQ_FLUX, h, P[np], P[np + 1]);
            else h = sl_graph_eq_group_conv(g, SL_EQ_REFL, h, P[np], P[np + 1]);
            h = activation(g, o->act, h);
        }
        if (o->kind == SL_EQCNN_REFL) h = sl_graph_eq_group_pool(g, h, 0);
        h = sl_graph_global_avg_pool(g, h, 2);
    }
    for (int l = 0; l <= o->nhidden; ++l, np += 2) {
        h = dense(g, h, P[np], P[np + 1]);
        if (l < o->nhidden) h = leaky(g, h);
    }
    return sl__gwho(g, before, who, h);
}

/* Inputs: shapes and finiteness. */
sl_status sl__eqcnn_check_data(sl_eqcnn *net, const char *who, int64_t n, int64_t nt, int64_t nx, const double *x,
                               const double *y)
{
    sl_ctx *ctx = net->ctx;
    const sl_eqcnn_opts *o = &net->o;
    if (n < 1 || nt < 1 || nx < 1 || nt > (1 << 20) || nx > (1 << 20) || nt * nx > (1 << 26))
        return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld, nt = %lld, nx = %lld (need n >= 1, sizes 1..2^20, nt nx <= 2^26)",
                        who, (long long)n, (long long)nt, (long long)nx);
    if (o->kind == SL_EQCNN_DENSE && (nt != o->nt || nx != o->nx))
        return sl__fail(ctx, SL_ERR_SHAPE, "%s: lattice %lldx%lld (the dense network is for %lldx%lld)", who,
                        (long long)nt, (long long)nx, (long long)o->nt, (long long)o->nx);
    int64_t per = o->in_channels * nt * nx, tot;
    if (!sl__mul_ok(n, per, &tot) || tot > SL_MAX_ELEMENTS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: %lld configurations of %lld values is too many", who, (long long)n,
                        (long long)per);
    int64_t bad = sl__first_nonfinite(x, (size_t)tot);
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] is not finite", who, (long long)bad);
    if (y && (bad = sl__first_nonfinite(y, (size_t)(n * o->nout))) >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: y[%lld] is not finite", who, (long long)bad);
    return SL_OK;
}

/* Forward passes in batches of at most bs (the last one padded). */
sl_status sl__eqcnn_forward(sl_eqcnn *net, const char *who, int64_t n, int64_t nt, int64_t nx, const double *x,
                            double *y)
{
    sl_ctx *ctx = net->ctx;
    const sl_eqcnn_opts *o = &net->o;
    int64_t bs = n < 256 ? n : 256, per = o->in_channels * nt * nx;
    sl_graph *g = NULL;
    sl_plan *p = NULL;
    double *buf = NULL;
    sl_status st = sl_graph_create(ctx, &g);
    if (st) return st;
    sl_node *X = sl_graph_input(g, SL_F64, 4, (int64_t[]){bs, o->in_channels, nt, nx}, "x");
    sl_node *Y = sl_eqcnn_apply(net, g, X, NULL, NULL);
    if ((st = sl_graph_status(g)) || (st = sl_plan_create(g, 1, &Y, &p))) goto out;
    sl_plan_set_check_finite(p, 0);
    if (n % bs && !(buf = sl__alloc(ctx, sizeof(double) * (size_t)(bs * per), 1, who))) {
        st = SL_ERR_NOMEM;
        goto out;
    }
    for (int64_t i = 0; i < n; i += bs) {
        int64_t b = n - i < bs ? n - i : bs;
        if (b < bs) memcpy(buf, x + i * per, sizeof(double) * (size_t)(b * per));
        if ((st = sl_plan_bind(p, X, b < bs ? buf : x + i * per)) || (st = sl_plan_run(p))) goto out;
        memcpy(y + i * o->nout, sl_plan_output(p, 0), sizeof(double) * (size_t)(b * o->nout));
    }
out:
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl__free(ctx, buf);
    return st;
}

sl_status sl_eqcnn_predict(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x, double *y)
{
    const char *who = "sl_eqcnn_predict";
    if (!net) return SL_ERR_NULL;
    if (!x || !y) return sl__fail(net->ctx, SL_ERR_NULL, "%s: %s is NULL", who, !x ? "x" : "y");
    sl_status st = sl__eqcnn_check_data(net, who, n, nt, nx, x, NULL);
    return st ? st : sl__eqcnn_forward(net, who, n, nt, nx, x, y);
}

sl_status sl_eqcnn_test(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x, const double *y,
                        double *mse)
{
    const char *who = "sl_eqcnn_test";
    if (!net) return SL_ERR_NULL;
    if (!x || !y || !mse) return sl__fail(net->ctx, SL_ERR_NULL, "%s: %s is NULL", who, !x ? "x" : !y ? "y" : "mse");
    sl_status st = sl__eqcnn_check_data(net, who, n, nt, nx, x, y);
    if (st) return st;
    int no = net->o.nout;
    double *pred = sl__alloc(net->ctx, sizeof(double) * (size_t)(n * no), 0, who);
    if (!pred) return SL_ERR_NOMEM;
    st = sl__eqcnn_forward(net, who, n, nt, nx, x, pred);
    if (!st) {
        for (int j = 0; j < no; ++j) mse[j] = 0;
        for (int64_t i = 0; i < n; ++i)
            for (int j = 0; j < no; ++j) {
                double d = pred[i * no + j] - y[i * no + j];
                mse[j] += d * d;
            }
        for (int j = 0; j < no; ++j) mse[j] /= (double)n;
    }
    sl__free(net->ctx, pred);
    return st;
}
