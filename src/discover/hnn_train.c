/* Training a Hamiltonian neural network: the HNN loss (Greydanus et al.
 * 2019, eq. 2; with grad D, Sosanya & Greydanus 2022, eq. 5) on mini-batches
 * of (z, zdot), with any optimiser of optim.h. */
#include "hnn_internal.h"

#include <math.h>

#define TRAIN_OPTS_MIN SL_OPTS_END(sl_hnn_train_opts, log_every)

sl_status sl_hnn_train_opts_init_sized(sl_hnn_train_opts *opts, size_t size)
{
    const sl_hnn_train_opts d = SL_HNN_TRAIN_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, TRAIN_OPTS_MIN);
}

typedef struct {
    sl_graph *g;
    sl_optim *opt;
    sl_plan *full;          /* the loss over all m rows */
    double *zb, *db;        /* a batch of rows (when batch < m) */
    int64_t *perm;
} train_t;

static void free_train(sl_ctx *ctx, train_t *t)
{
    sl_plan_destroy(t->full);
    sl_optim_destroy(t->opt);
    sl_graph_destroy(t->g);
    sl__free(ctx, t->zb), sl__free(ctx, t->db), sl__free(ctx, t->perm);
}

static sl_status check_data(sl_ctx *ctx, const char *who, const char *name, const double *x, int64_t cells, int64_t d)
{
    if (!x) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, name);
    int64_t bad = sl__first_nonfinite(x, (size_t)cells);
    if (bad >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: %s[%lld][%lld] = %g (row %lld)", who, name, (long long)(bad / d),
                        (long long)(bad % d), x[bad], (long long)(bad / d));
    return SL_OK;
}

/* The HNN loss of the model's networks on inputs (rows, 2n) named z, zdot. */
static sl_node *loss_node(sl_graph *g, const sl_hnn_opts *o, const sl__hnn_nets *nets, int64_t rows, sl_node **z,
                          sl_node **zdot)
{
    int64_t shape[2] = {rows, 2 * o->n};
    *z = sl_graph_input(g, SL_F64, 2, shape, "z");
    *zdot = sl_graph_input(g, SL_F64, 2, shape, "zdot");
    sl_node *D, *H = sl__hnn_build(g, o, nets, *z, &D);
    return sl_loss_hnn(g, H, D, *z, *zdot);
}

static sl_status run(sl_hnn *h, int64_t m, const double *z, const double *zdot, const sl_optim_opts *oo,
                     const sl_hnn_train_opts *to, train_t *t, double *final_loss)
{
    const char *who = "sl_hnn_train";
    sl_ctx *ctx = h->ctx;
    const sl_hnn_opts *o = &h->o;
    int64_t d = 2 * o->n;
    int64_t B = to->batch <= 0 || to->batch >= m ? m : to->batch, nb = m / B;
    sl_status st = sl_graph_create(ctx, &t->g);
    if (st) return st;
    sl_graph *g = t->g;
    sl__hnn_nets nets;
    if ((st = sl__hnn_make_nets(g, o, &nets)) || (st = sl__hnn_put_weights(&nets, h->w))) return st;
    sl_node *zin, *din, *zall = NULL, *dall = NULL;
    sl_node *loss = loss_node(g, o, &nets, B, &zin, &din);
    sl_node *full = B == m ? loss : loss_node(g, o, &nets, m, &zall, &dall);
    if ((st = sl_graph_status(g))) return st;
    sl_node *params[2 * SL_MLP_MAX_LAYERS * SL_HNN_MAX_NETS];
    int np = 0;
    for (int k = 0; k < nets.nnets; ++k)
        for (int i = 0; i < sl_mlp_nparams(nets.net[k]); ++i) params[np++] = sl_mlp_param(nets.net[k], i);
    sl_optim_opts adam;
    if (!oo) {
        sl_optim_opts_init(&adam, SL_OPTIM_ADAM);
        oo = &adam;
    }
    if ((st = sl_optim_create(g, loss, np, params, oo, &t->opt))) return st;
    if (B == m) {
        if ((st = sl_optim_bind(t->opt, zin, z)) || (st = sl_optim_bind(t->opt, din, zdot))) return st;
    } else {
        t->zb = sl__alloc(ctx, sizeof(double) * (size_t)(B * d), 0, who);
        t->db = sl__alloc(ctx, sizeof(double) * (size_t)(B * d), 0, who);
        t->perm = sl__alloc(ctx, sizeof(int64_t) * (size_t)m, 0, who);
        if (!t->zb || !t->db || !t->perm) return SL_ERR_NOMEM;
        for (int64_t i = 0; i < m; ++i) t->perm[i] = i;
        if ((st = sl_optim_bind(t->opt, zin, t->zb)) || (st = sl_optim_bind(t->opt, din, t->db))) return st;
    }
    /* the data were checked finite: skip the per-run check */
    if ((st = sl_plan_set_check_finite(sl_optim_plan(t->opt), 0))) return st;
    double *losses = sl__alloc(ctx, sizeof(double) * (size_t)to->epochs, 0, who);
    if (!losses) return SL_ERR_NOMEM;
    sl__free(ctx, h->losses);
    h->losses = losses;
    h->nlosses = 0;
    uint64_t stream = sl_ctx_seed(ctx) + o->seed + 0x484e4e00u + h->ntrain++, draws = 0;
    for (int64_t ep = 0; ep < to->epochs; ++ep) {
        if (B < m)   /* Fisher-Yates from the context's stream */
            for (int64_t i = m - 1; i > 0; --i) {
                int64_t j = (int64_t)(sl_rng_uniform(stream, draws++) * (double)(i + 1));
                int64_t tmp = t->perm[i];
                t->perm[i] = t->perm[j], t->perm[j] = tmp;
            }
        double sum = 0;
        for (int64_t b = 0; b < nb; ++b) {
            if (B < m)
                for (int64_t r = 0; r < B; ++r) {
                    int64_t i = t->perm[b * B + r];
                    memcpy(t->zb + r * d, z + i * d, sizeof(double) * (size_t)d);
                    memcpy(t->db + r * d, zdot + i * d, sizeof(double) * (size_t)d);
                }
            double l;
            if ((st = sl_optim_step(t->opt, &l))) {
                char msg[256];
                snprintf(msg, sizeof msg, "%s", sl_ctx_errmsg(ctx));
                sl__hnn_take_weights(&nets, h->w);
                h->version++;
                return sl__fail(ctx, st, "%s: epoch %lld, batch %lld: %s", who, (long long)ep, (long long)b, msg);
            }
            sum += l;
        }
        losses[h->nlosses++] = sum / (double)nb;
        if (to->log_every > 0 && ((ep + 1) % to->log_every == 0 || ep + 1 == to->epochs))
            sl__log(ctx, SL_LOG_INFO, "%s: epoch %lld/%lld: loss %.6g", who, (long long)(ep + 1),
                    (long long)to->epochs, losses[ep]);
    }
    if ((st = sl__hnn_take_weights(&nets, h->w))) return st;
    h->version++;
    if (final_loss) {
        if ((st = sl_plan_create(g, 1, &full, &t->full))) return st;
        if (zall && ((st = sl_plan_bind(t->full, zall, z)) || (st = sl_plan_bind(t->full, dall, zdot)))) return st;
        if (!zall && ((st = sl_plan_bind(t->full, zin, z)) || (st = sl_plan_bind(t->full, din, zdot)))) return st;
        if ((st = sl_plan_run(t->full))) return st;
        *final_loss = sl_plan_scalar(t->full, 0);
    }
    return SL_OK;
}

sl_status sl_hnn_train(sl_hnn *h, int64_t m, const double *z, const double *zdot, const sl_optim_opts *optim,
                       const sl_hnn_train_opts *opts, double *final_loss)
{
    const char *who = "sl_hnn_train";
    if (!h) return SL_ERR_NULL;
    sl_ctx *ctx = h->ctx;
    if (h->o.activation == SL_HNN_ACT_RELU)
        return sl__fail(ctx, SL_ERR_ARG,
                        "%s: the activation is ReLU, whose second derivative is zero almost everywhere: the learned "
                        "field dH/dz would be piecewise constant in z, and the HNN loss (which differentiates H "
                        "twice, once for the field and once for the weights) would have no gradient with respect "
                        "to the hidden biases; use SL_ACT_TANH, SL_ACT_SOFTPLUS, SL_ACT_SILU, SL_ACT_GELU or "
                        "SL_ACT_SIN", who);
    if (m < 1 || m > SL_HNN_MAX_M)
        return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld samples (must be 1..2^30)", who, (long long)m);
    int64_t d = 2 * h->o.n, cells;
    sl_status st = sl__product(ctx, SL_ERR_SHAPE, who, "m x 2n", 2, (int64_t[]){m, d}, &cells);
    if (st || (st = check_data(ctx, who, "z", z, cells, d)) || (st = check_data(ctx, who, "zdot", zdot, cells, d)))
        return st;
    sl_hnn_train_opts to;
    sl_hnn_train_opts_init(&to);
    if (opts && (st = sl__opts_read(ctx, who, "opts", &to, sizeof to, opts, TRAIN_OPTS_MIN))) return st;
    if (to.epochs < 1 || to.epochs > ((int64_t)1 << 30))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->epochs = %lld (must be 1..2^30)", who, (long long)to.epochs);
    if (to.batch < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->batch = %lld (must be >= 0)", who, (long long)to.batch);
    if (to.log_every < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->log_every = %lld (must be >= 0)", who, (long long)to.log_every);
    train_t t = {0};
    double fl = NAN;
    st = run(h, m, z, zdot, optim, &to, &t, final_loss ? &fl : NULL);
    free_train(ctx, &t);
    if (st) return sl__rewho(ctx, st, who);
    if (final_loss) *final_loss = fl;
    return SL_OK;
}
