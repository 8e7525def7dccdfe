/* Training an L-CNN: minibatch AdamW (amsgrad, as in the PRL runs) on the
 * per-site mean squared error, validation after every epoch, the best
 * weights kept, optional early stopping. */
#include "lcnn_internal.h"

#include <math.h>

static sl_status validate(sl_lcnn *net, int64_t first, int64_t nval, int64_t bs, const int64_t *dims,
                          const double *links, const double *targets, int64_t vol, double *loss, double *pred)
{
    const sl_lcnn_opts *o = &net->o;
    int64_t per = o->head == SL_LCNN_HEAD_POOLED ? 1 : vol, lsz = vol * o->nd * o->nc * o->nc * 2;
    double acc = 0;
    for (int64_t i = 0; i < nval;) {
        int64_t b = nval - i >= bs ? bs : 1;
        sl_status st = sl_lcnn_predict_batch(net, b, dims, links + (first + i) * lsz, pred);
        if (st) return st;
        for (int64_t k = 0; k < b * per; ++k) {
            double d = pred[k] - targets[(first + i) * per + k];
            acc += d * d;
        }
        i += b;
    }
    *loss = acc / (double)(nval * per);
    return SL_OK;
}

sl_status sl_lcnn_train(sl_lcnn *net, int64_t n, int64_t nval, const int64_t *dims, const double *links,
                        const double *targets, const sl_lcnn_train_opts *opts)
{
    const char *who = "sl_lcnn_train";
    if (!net) return SL_ERR_NULL;
    sl_ctx *ctx = net->ctx;
    if (!dims || !links || !targets)
        return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !dims ? "dims" : !links ? "links" : "targets");
    sl_lcnn_train_opts to;
    sl_status rst = sl__lcnn_read_train_opts(ctx, who, opts, &to);
    if (rst) return rst;
    if (nval < 0 || n < 1 || n - nval < 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld, nval = %lld (need n > nval >= 0)", who, (long long)n,
                        (long long)nval);
    if (to.epochs < 0 || to.batch < 1 || !(to.lr > 0) || !isfinite(to.lr))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->epochs = %d, batch = %d, lr = %g (need epochs >= 0, batch >= 1, "
                        "0 < lr finite)", who, to.epochs, to.batch, to.lr);
    if (!(to.weight_decay >= 0) || !isfinite(to.weight_decay))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->weight_decay = %g (must be finite and >= 0)", who, to.weight_decay);
    if (to.amsgrad != 0 && to.amsgrad != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->amsgrad = %d (must be 0 or 1)", who, to.amsgrad);
    if (to.patience < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->patience = %d (must be >= 0)", who, to.patience);
    const sl_lcnn_opts *o = &net->o;
    int64_t vol, ntot;
    sl_status zst = sl__lcnn_sizes(net, who, n, dims, &vol, &ntot);
    if (zst) return zst;
    int64_t ntrain = n - nval, bs = to.batch < ntrain ? to.batch : ntrain, nb = ntrain / bs;
    int64_t per = o->head == SL_LCNN_HEAD_POOLED ? 1 : vol, lsz = vol * o->nd * o->nc * o->nc * 2;
    int64_t bad = sl__first_nonfinite(targets, (size_t)(n * per));
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: targets[%lld] is not finite", who, (long long)bad);
    bad = sl__first_nonfinite(links, (size_t)(n * lsz));
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: links[%lld] is not finite", who, (long long)bad);
    sl_status cst = sl__lcnn_check_su2(ctx, who, o->nc, n * vol * o->nd, links);
    if (cst) return cst;

    sl_graph *g = NULL;
    sl_optim *opt = NULL;
    double *ubuf = NULL, *tbuf = NULL, *best = NULL, *pred = NULL;
    int64_t *perm = NULL;
    sl_status st = sl_graph_create(ctx, &g);
    if (st) return st;
    int64_t ushape[SL_MAX_RANK] = {bs}, tshape[SL_MAX_RANK] = {bs};
    for (int i = 0; i < o->nd; ++i) ushape[1 + i] = tshape[1 + i] = dims[i];
    ushape[o->nd + 1] = o->nd; ushape[o->nd + 2] = ushape[o->nd + 3] = o->nc;
    sl_node *U = sl_graph_input(g, SL_C128, o->nd + 4, ushape, "U");
    sl_node *T = sl_graph_input(g, SL_F64, o->head == SL_LCNN_HEAD_POOLED ? 1 : o->nd + 1, tshape, "target");
    sl_node *params[SL_LCNN_MAX_LAYERS + 2];
    sl_node *y = sl_lcnn_apply(net, g, U, params);
    sl_node *loss = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, y, T)));
    if ((st = sl_graph_status(g))) goto out;
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAMW);
    oo.lr = to.lr;
    oo.amsgrad = to.amsgrad;
    oo.weight_decay = to.weight_decay;
    int np = o->nlayers + 2;
    if ((st = sl_optim_create(g, loss, np, params, &oo, &opt))) goto out;
    ubuf = sl__alloc(ctx, sizeof(double) * (size_t)(bs * lsz), 0, who);
    tbuf = sl__alloc(ctx, sizeof(double) * (size_t)(bs * per), 0, who);
    best = sl__alloc(ctx, sizeof(double) * (size_t)net->nparams, 0, who);
    pred = sl__alloc(ctx, sizeof(double) * (size_t)(bs * per), 0, who);
    perm = sl__alloc(ctx, sizeof(int64_t) * (size_t)ntrain, 0, who);
    if (!ubuf || !tbuf || !best || !pred || !perm) { st = SL_ERR_NOMEM; goto out; }
    sl_optim_bind(opt, U, ubuf);
    sl_optim_bind(opt, T, tbuf);
    for (int64_t i = 0; i < ntrain; ++i) perm[i] = i;
    memcpy(best, net->w, sizeof(double) * (size_t)net->nparams);
    double best_val = INFINITY;
    int since = 0;
    uint64_t ctr = 0;
    for (int ep = 0; ep < to.epochs; ++ep) {
        for (int64_t i = ntrain - 1; i > 0; --i) {   /* Fisher-Yates */
            int64_t j = (int64_t)(sl_rng_uniform(to.seed, ctr++) * (double)(i + 1));
            int64_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        double tl = 0;
        for (int64_t b = 0; b < nb; ++b) {
            for (int64_t k = 0; k < bs; ++k) {
                int64_t c = perm[b * bs + k];
                memcpy(ubuf + k * lsz, links + c * lsz, sizeof(double) * (size_t)lsz);
                memcpy(tbuf + k * per, targets + c * per, sizeof(double) * (size_t)per);
            }
            double l;
            if ((st = sl_optim_step(opt, &l))) goto out;
            tl += l / (double)nb;
        }
        for (int i = 0; i < np; ++i)
            memcpy(net->w + net->off[i], sl_node_data(params[i]), sizeof(double) * (size_t)sl_node_numel(params[i]));
        double vl = NAN;
        if (nval > 0) {
            if ((st = validate(net, ntrain, nval, bs, dims, links, targets, vol, &vl, pred))) goto out;
            if (vl < best_val) {
                best_val = vl;
                since = 0;
                memcpy(best, net->w, sizeof(double) * (size_t)net->nparams);
            } else {
                ++since;
            }
        }
        if (to.progress) to.progress(to.progress_user, ep + 1, tl, vl);
        if (to.patience > 0 && since >= to.patience) break;
    }
    if (nval > 0) memcpy(net->w, best, sizeof(double) * (size_t)net->nparams);
out:
    st = sl__lcnn_as_call(ctx, who, st);
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl__free(ctx, ubuf), sl__free(ctx, tbuf), sl__free(ctx, best), sl__free(ctx, pred), sl__free(ctx, perm);
    return st;
}
