/* Training the regression network with the follow-up code's recipe
 * (LukasEin/scalar_ml_reflection, training_and_testing.py): AdamW with
 * amsgrad on the MSE over all outputs, minibatches in a new random order
 * every epoch, the validation MSE after each epoch, early stopping with a
 * patience after a minimum number of epochs, the best weights kept. */
#include "eqcnn_internal.h"

#include <math.h>

#define EQCNN_TRAIN_OPTS_MIN SL_OPTS_END(sl_eqcnn_train_opts, progress_user)

sl_status sl_eqcnn_train_opts_init_sized(sl_eqcnn_train_opts *opts, size_t size)
{
    static const sl_eqcnn_train_opts d = SL_EQCNN_TRAIN_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, EQCNN_TRAIN_OPTS_MIN);
}

static double val_mse(sl_eqcnn *net, const char *who, int64_t nv, int64_t nt, int64_t nx, const double *xv,
                      const double *yv, double *pred, sl_status *st)
{
    int no = net->o.nout;
    if ((*st = sl__eqcnn_forward(net, who, nv, nt, nx, xv, pred))) return NAN;
    double acc = 0;
    for (int64_t i = 0; i < nv * no; ++i) acc += (pred[i] - yv[i]) * (pred[i] - yv[i]);
    return acc / (double)(nv * no);
}

sl_status sl_eqcnn_train(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x, const double *y,
                         int64_t nv, const double *xv, const double *yv, const sl_eqcnn_train_opts *opts,
                         int *epochs_run, int *best_epoch, double *best_val_mse)
{
    const char *who = "sl_eqcnn_train";
    if (!net) return SL_ERR_NULL;
    sl_ctx *ctx = net->ctx;
    if (!x || !y) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !x ? "x" : "y");
    if (nv < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: nv = %lld (must be >= 0)", who, (long long)nv);
    if (nv > 0 && (!xv || !yv)) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL with nv > 0", who, !xv ? "xv" : "yv");
    sl_eqcnn_train_opts to;
    sl_eqcnn_train_opts_init(&to);
    sl_status st = opts ? sl__opts_read(ctx, who, "opts", &to, sizeof to, opts, EQCNN_TRAIN_OPTS_MIN) : SL_OK;
    if (st) return st;
    if (to.max_epochs < 0 || to.min_epochs < 0 || to.patience < 0 || to.batch < 1 || !(to.lr > 0) || !isfinite(to.lr) ||
        !(to.weight_decay >= 0) || !isfinite(to.weight_decay) || (to.amsgrad != 0 && to.amsgrad != 1))
        return sl__fail(ctx, SL_ERR_ARG,
                        "%s: opts max_epochs = %d, min_epochs = %d, patience = %d, batch = %d, lr = %g, "
                        "weight_decay = %g, amsgrad = %d (need epochs, patience >= 0, batch >= 1, lr > 0, "
                        "weight_decay >= 0, finite, amsgrad 0 or 1)",
                        who, to.max_epochs, to.min_epochs, to.patience, to.batch, to.lr, to.weight_decay, to.amsgrad);
    if ((st = sl__eqcnn_check_data(net, who, n, nt, nx, x, y))) return st;
    if (nv > 0 && (st = sl__eqcnn_check_data(net, who, nv, nt, nx, xv, yv))) return st;
    const sl_eqcnn_opts *o = &net->o;
    int64_t bs = to.batch < n ? to.batch : n, nb = n / bs, per = o->in_channels * nt * nx;
    int no = o->nout;
    sl_graph *g = NULL;
    sl_optim *opt = NULL;
    double *xb = NULL, *yb = NULL, *best = NULL, *pred = NULL;
    int64_t *perm = NULL;
    if ((st = sl_graph_create(ctx, &g))) return st;
    sl_node *X = sl_graph_input(g, SL_F64, 4, (int64_t[]){bs, o->in_channels, nt, nx}, "x");
    sl_node *T = sl_graph_input(g, SL_F64, 2, (int64_t[]){bs, no}, "y");
    sl_node *params[SL_EQCNN_MAX_PARAMS];
    int np = 0;
    sl_node *Y = sl_eqcnn_apply(net, g, X, params, &np);
    sl_node *loss = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, Y, T)));
    if ((st = sl_graph_status(g))) goto out;
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAMW);
    oo.lr = to.lr;
    oo.amsgrad = to.amsgrad;
    oo.weight_decay = to.weight_decay;
    if ((st = sl_optim_create(g, loss, np, params, &oo, &opt))) goto out;
    sl_plan_set_check_finite(sl_optim_plan(opt), 0);
    xb = sl__alloc(ctx, sizeof(double) * (size_t)(bs * per), 0, who);
    yb = sl__alloc(ctx, sizeof(double) * (size_t)(bs * no), 0, who);
    best = sl__alloc(ctx, sizeof(double) * (size_t)net->nparams, 0, who);
    pred = sl__alloc(ctx, sizeof(double) * (size_t)((nv > 0 ? nv : 1) * no), 0, who);
    perm = sl__alloc(ctx, sizeof(int64_t) * (size_t)n, 0, who);
    if (!xb || !yb || !best || !pred || !perm) {
        st = SL_ERR_NOMEM;
        goto out;
    }
    sl_optim_bind(opt, X, xb);
    sl_optim_bind(opt, T, yb);
    for (int64_t i = 0; i < n; ++i) perm[i] = i;
    memcpy(best, net->w, sizeof(double) * (size_t)net->nparams);
    double best_val = INFINITY, tl = NAN;
    int since = 0, ep = 0, best_ep = 0;
    uint64_t ctr = 0;
    for (; ep < to.max_epochs; ++ep) {
        for (int64_t i = n - 1; i > 0; --i) {   /* Fisher-Yates */
            int64_t j = (int64_t)(sl_rng_uniform(to.seed, ctr++) * (double)(i + 1));
            int64_t t = perm[i];
            perm[i] = perm[j], perm[j] = t;
        }
        tl = 0;
        for (int64_t b = 0; b < nb; ++b) {
            for (int64_t k = 0; k < bs; ++k) {
                int64_t c = perm[b * bs + k];
                memcpy(xb + k * per, x + c * per, sizeof(double) * (size_t)per);
                memcpy(yb + k * no, y + c * no, sizeof(double) * (size_t)no);
            }
            double l;
            if ((st = sl_optim_step(opt, &l))) goto out;
            tl += l / (double)nb;
        }
        for (int i = 0; i < np; ++i)
            memcpy(net->w + net->off[i], sl_node_data(params[i]), sizeof(double) * (size_t)net->cnt[i]);
        double vl = NAN;
        if (nv > 0) {
            vl = val_mse(net, who, nv, nt, nx, xv, yv, pred, &st);
            if (st) goto out;
            if (vl < best_val) {
                best_val = vl, best_ep = ep + 1, since = 0;
                memcpy(best, net->w, sizeof(double) * (size_t)net->nparams);
            } else {
                ++since;
            }
        }
        if (to.progress) to.progress(to.progress_user, ep + 1, tl, vl);
        if (to.patience > 0 && nv > 0 && ep + 1 >= to.min_epochs && since >= to.patience) {
            ++ep;
            break;
        }
    }
    if (nv > 0 && best_ep > 0) memcpy(net->w, best, sizeof(double) * (size_t)net->nparams);
    if (epochs_run) *epochs_run = ep;
    if (best_epoch) *best_epoch = best_ep;
    if (best_val_mse) *best_val_mse = nv > 0 ? best_val : NAN;
    (void)tl;
out:
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl__free(ctx, xb), sl__free(ctx, yb), sl__free(ctx, best), sl__free(ctx, pred), sl__free(ctx, perm);
    return st;
}

sl_status sl_discover_observables(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x, const double *y,
                                  int64_t nv, const double *xv, const double *yv, int ntest, const int64_t *tn,
                                  const int64_t *tnt, const int64_t *tnx, const double *const *tx,
                                  const double *const *ty, const sl_eqcnn_train_opts *opts, double *mse)
{
    const char *who = "sl_discover_observables";
    if (!net) return SL_ERR_NULL;
    sl_ctx *ctx = net->ctx;
    if (ntest < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: ntest = %d (must be >= 0)", who, ntest);
    if (ntest > 0 && (!tn || !tnt || !tnx || !tx || !ty || !mse))
        return sl__fail(ctx, SL_ERR_NULL, "%s: a test-set array or mse is NULL", who);
    for (int i = 0; i < ntest; ++i) {
        if (!tx[i] || !ty[i]) return sl__fail(ctx, SL_ERR_NULL, "%s: tx[%d] or ty[%d] is NULL", who, i, i);
        if (net->o.kind == SL_EQCNN_DENSE && (tnt[i] != net->o.nt || tnx[i] != net->o.nx))
            return sl__fail(ctx, SL_ERR_SHAPE, "%s: test set %d is %lldx%lld (the dense network is for %lldx%lld)",
                            who, i, (long long)tnt[i], (long long)tnx[i], (long long)net->o.nt, (long long)net->o.nx);
    }
    sl_status st = sl_eqcnn_train(net, n, nt, nx, x, y, nv, xv, yv, opts, NULL, NULL, NULL);
    for (int i = 0; i < ntest && !st; ++i)
        st = sl_eqcnn_test(net, tn[i], tnt[i], tnx[i], tx[i], ty[i], mse + (int64_t)i * net->o.nout);
    return st ? sl__rewho(ctx, st, who) : SL_OK;
}
