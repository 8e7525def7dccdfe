/* Training an L-CNN: minibatch AdamW (amsgrad, as in the PRL runs) on the
 * per-site mean squared error, validation after every epoch, the best
 * weights kept, optional early stopping.  sl_lcnn_train takes the
 * validation fields as the last nval of its array (1.0); sl_lcnn_fit (1.1)
 * takes them as their own arrays and reports a summary.  Before the first
 * epoch the head can be started at the target mean (init_head), and every
 * layer can be trained in the centred basis of its input (center: an exact
 * reparameterisation, LeCun et al., "Efficient BackProp", 1998, sec. 4.3;
 * docs/lattice.md "Training in 4D"). */
#include "lcnn_internal.h"

#include <math.h>

static sl_status validate(sl_lcnn *net, int64_t nval, int64_t bs, const int64_t *dims, const double *links,
                          const double *targets, int64_t vol, double *loss, double *pred)
{
    const sl_lcnn_opts *o = &net->o;
    int64_t per = o->head == SL_LCNN_HEAD_POOLED ? 1 : vol, lsz = vol * o->nd * o->nc * o->nc * 2;
    double acc = 0;
    for (int64_t i = 0; i < nval;) {
        int64_t b = nval - i >= bs ? bs : 1;
        sl_status st = sl_lcnn_predict_batch(net, b, dims, links + i * lsz, pred);
        if (st) return st;
        for (int64_t k = 0; k < b * per; ++k) {
            double d = pred[k] - targets[i * per + k];
            acc += d * d;
        }
        i += b;
    }
    *loss = acc / (double)(nval * per);
    return SL_OK;
}

/* Data-dependent start of the head: the bias becomes the mean training
 * target and the head weights are scaled so that the spread of the initial
 * prediction is sqrt(0.1) of the targets' (variance 0.1 Var y).  The PRL
 * initialisation (bias 0, Glorot weights on features of size up to N:
 * the trace is not divided by N) starts the 4D Wilson-loop task at an MSE
 * of 10-40 times the target variance; measured alternatives are in
 * docs/lattice.md ("Training in 4D"). */
static sl_status fit_head(sl_lcnn *net, const char *who, int64_t ntrain, int64_t bs, const int64_t *dims,
                          const double *links, const double *targets, int64_t vol)
{
    sl_ctx *ctx = net->ctx;
    const sl_lcnn_opts *o = &net->o;
    int64_t per = o->head == SL_LCNN_HEAD_POOLED ? 1 : vol, lsz = vol * o->nd * o->nc * o->nc * 2;
    int nf = (int)(2 * net->cin_last);
    sl_graph *g = NULL;
    sl_plan *plan = NULL;
    double *acc = sl__alloc(ctx, sizeof(double) * (size_t)((nf + 1) * (nf + 2)), 1, who);
    if (!acc) return SL_ERR_NOMEM;
    double *xx = acc, *mx = acc + nf * nf, my = 0;   /* raw sums */
    sl_status st = sl_graph_create(ctx, &g);
    if (st) goto out;
    int64_t shape[SL_MAX_RANK] = {bs};
    for (int i = 0; i < o->nd; ++i) shape[1 + i] = dims[i];
    shape[o->nd + 1] = o->nd; shape[o->nd + 2] = shape[o->nd + 3] = o->nc;
    sl_node *U = sl_graph_input(g, SL_C128, o->nd + 4, shape, "U"), *f = NULL;
    sl__lcnn_apply_features(net, g, U, NULL, &f, NULL, NULL);
    if ((st = sl_graph_status(g)) || (st = sl_plan_create(g, 1, &f, &plan))) goto out;
    int64_t rows = 0;
    for (int64_t i = 0; i + bs <= ntrain; i += bs) {   /* the full batches (ntrain >= bs) */
        if ((st = sl_plan_bind(plan, U, links + i * lsz)) || (st = sl_plan_run(plan))) goto out;
        const double *x = sl_plan_output(plan, 0);
        for (int64_t r = 0; r < bs * per; ++r, ++rows) {
            const double *xr = x + r * nf;
            double y = targets[i * per + r];
            my += y;
            for (int a = 0; a < nf; ++a) {
                mx[a] += xr[a];
                for (int b = 0; b <= a; ++b) xx[a * nf + b] += xr[a] * xr[b];
            }
        }
    }
    my /= (double)rows;
    for (int a = 0; a < nf; ++a) mx[a] /= (double)rows;
    double *head = net->w + net->off[o->nlayers], vp = 0, vy = 0;
    for (int a = 0; a < nf; ++a)
        for (int b = 0; b < nf; ++b)
            vp += head[a] * head[b] * (xx[(a > b ? a : b) * nf + (a > b ? b : a)] / (double)rows - mx[a] * mx[b]);
    for (int64_t r = 0; r < (ntrain / bs) * bs * per; ++r) vy += (targets[r] - my) * (targets[r] - my);
    vy /= (double)rows;
    double s = vp > 0 && vy > 0 ? sqrt(0.1 * vy / vp) : 1;
    if (!isfinite(s)) s = 1;
    double bias = my;
    for (int a = 0; a < nf; ++a) {
        head[a] *= s;
        bias -= head[a] * mx[a];
    }
    if (isfinite(bias)) net->w[net->off[o->nlayers + 1]] = bias;
out:
    sl_plan_destroy(plan);
    sl_graph_destroy(g);
    sl__free(ctx, acc);
    return st;
}

/* The centres of the layers' inputs: c[j] of layer i is the mean of
 * Re Tr W_j / N over sites and fields, W_j channel j of layer i's input
 * (layer 0: the plaquettes, in sl_graph_plaquette's order), computed with
 * the model's plain weights.  One graph for the fit, run on any number of
 * the training batches. */
typedef struct {
    sl_graph *g;
    sl_plan *plan;
    sl_node *U, *params[SL_LCNN_MAX_LAYERS + 2];
} means_plan;

static sl_status means_create(sl_lcnn *net, int64_t bs, const int64_t *dims, means_plan *mp)
{
    const sl_lcnn_opts *o = &net->o;
    memset(mp, 0, sizeof *mp);
    sl_status st = sl_graph_create(net->ctx, &mp->g);
    if (st) return st;
    sl_graph *g = mp->g;
    int64_t shape[SL_MAX_RANK] = {bs};
    for (int i = 0; i < o->nd; ++i) shape[1 + i] = dims[i];
    shape[o->nd + 1] = o->nd; shape[o->nd + 2] = shape[o->nd + 3] = o->nc;
    mp->U = sl_graph_input(g, SL_C128, o->nd + 4, shape, "U");
    sl_node *in[SL_LCNN_MAX_LAYERS] = {0}, *m[SL_LCNN_MAX_LAYERS];
    sl__lcnn_apply_features(net, g, mp->U, mp->params, NULL, NULL, in);
    int axes[SL_MAX_RANK];
    for (int i = 0; i < o->nd + 1; ++i) axes[i] = 1 + i;
    for (int i = 0; i < o->nlayers; ++i) m[i] = sl_graph_mean_axes(g, sl_graph_real(g, sl_graph_trace(g, in[i])), o->nd + 1, axes, 0);
    if ((st = sl_graph_status(g))) return st;
    return sl_plan_create(g, o->nlayers, m, &mp->plan);
}

static void means_destroy(means_plan *mp)
{
    sl_plan_destroy(mp->plan);
    sl_graph_destroy(mp->g);
}

/* c (sum_i C_i): the centres of layers first.. from batches 0..nb-1 */
static sl_status means_run(sl_lcnn *net, means_plan *mp, int first, int64_t nb, int64_t bs, int64_t lsz,
                           const double *links, double *c)
{
    const sl_lcnn_opts *o = &net->o;
    for (int i = 0; i < o->nlayers; ++i)
        memcpy(sl_node_data(mp->params[i]), net->w + net->off[i], sizeof(double) * (size_t)sl_node_numel(mp->params[i]));
    int64_t tot = 0, start[SL_LCNN_MAX_LAYERS];
    for (int i = 0; i < o->nlayers; ++i) { start[i] = tot; tot += (net->shape[i][1] - 1) / 2; }
    for (int64_t j = start[first]; j < tot; ++j) c[j] = 0;
    for (int64_t b = 0; b < nb; ++b) {
        sl_status st = sl_plan_bind(mp->plan, mp->U, links + b * bs * lsz);
        if (st || (st = sl_plan_run(mp->plan))) return st;
        for (int i = first; i < o->nlayers; ++i) {
            const double *x = sl_plan_output(mp->plan, i);
            for (int64_t j = 0; j < (net->shape[i][1] - 1) / 2; ++j) c[start[i] + j] += x[j] / ((double)nb * o->nc);
        }
    }
    return SL_OK;
}

/* Layer i's alpha between the plain basis and the centred one.
 * With A'_v = A_v - a_v 1 (a_v = c of v's channel for v < 2C, 0 for the
 * unit) and B'_w = B_w - b_w 1 (the same for the 2M transported terms: the
 * transport of c 1 is c 1), sum alpha'_uvw A'_v B'_w = sum alpha_uvw A_v B_w
 * with alpha = alpha' except
 *   alpha_{u,v,1} = alpha'_{u,v,1} - sum_w b_w alpha'_uvw,
 *   alpha_{u,1,w} = alpha'_{u,1,w} - sum_v a_v alpha'_uvw,
 *   alpha_{u,1,1} = alpha'_{u,1,1} - sum_v a_v alpha'_{u,v,1} - sum_w b_w alpha'_{u,1,w}
 *                   + sum_vw a_v b_w alpha'_uvw.
 * sign +1: centred -> plain; -1: plain -> centred (A = A' + a 1).  The
 * layer's output is unchanged, so the next layer's centres are too. */
static void fold(const sl_lcnn *net, int layer, double *w, const double *c, double sign)
{
    int64_t cout = net->shape[layer][0], na = net->shape[layer][1], nbb = net->shape[layer][2];
    int64_t C = (na - 1) / 2, M = (nbb - 1) / 2;
    double *alpha = w + net->off[layer];
    for (int64_t u = 0; u < cout; ++u) {
        double *al = alpha + u * na * nbb, *last = al + (na - 1) * nbb, k11 = last[nbb - 1], acc = 0;
        for (int64_t v = 0; v < na - 1; ++v) {
            double av = sign * c[v % C], s1 = 0;
            for (int64_t w2 = 0; w2 < nbb - 1; ++w2) s1 += sign * c[(w2 % M) % C] * al[v * nbb + w2];
            acc += av * s1;
            k11 -= av * al[v * nbb + nbb - 1];
            al[v * nbb + nbb - 1] -= s1;
        }
        for (int64_t w2 = 0; w2 < nbb - 1; ++w2) {
            double bw = sign * c[(w2 % M) % C], s2 = 0;
            for (int64_t v = 0; v < na - 1; ++v) s2 += sign * c[v % C] * al[v * nbb + w2];
            k11 -= bw * last[w2];
            last[w2] -= s2;
        }
        last[nbb - 1] = k11 + acc;
    }
}

/* all layers; c holds the centres of every layer in order */
static void fold_all(const sl_lcnn *net, double *w, const double *c, double sign)
{
    for (int i = 0, k = 0; i < net->o.nlayers; k += (int)((net->shape[i][1] - 1) / 2), ++i) fold(net, i, w, c + k, sign);
}

/* the centre inputs' data: c_j on the diagonal of channel j's N x N block */
static void center_data(const sl_lcnn *net, const double *c, double *buf)
{
    int nc = net->o.nc;
    int64_t nn = (int64_t)nc * nc, tot = 0;
    for (int i = 0; i < net->o.nlayers; ++i) tot += (net->shape[i][1] - 1) / 2;
    for (int64_t j = 0; j < tot; ++j)
        for (int64_t k = 0; k < nn; ++k) {
            buf[2 * (j * nn + k)] = k % (nc + 1) == 0 ? c[j] : 0;
            buf[2 * (j * nn + k) + 1] = 0;
        }
}

static sl_status fit(sl_lcnn *net, const char *who, const int64_t *dims, int64_t ntrain, const double *links,
                     const double *targets, int64_t nval, const double *vlinks, const double *vtargets,
                     const sl_lcnn_train_opts *opts, sl_lcnn_fit_summary *sum)
{
    sl_ctx *ctx = net->ctx;
    sl_lcnn_train_opts to;
    sl_status rst = sl__lcnn_read_train_opts(ctx, who, opts, &to);
    if (rst) return rst;
    if (to.epochs < 0 || to.batch < 1 || !(to.lr > 0) || !isfinite(to.lr))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->epochs = %d, batch = %d, lr = %g (need epochs >= 0, batch >= 1, "
                        "0 < lr finite)", who, to.epochs, to.batch, to.lr);
    if (!(to.weight_decay >= 0) || !isfinite(to.weight_decay))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->weight_decay = %g (must be finite and >= 0)", who, to.weight_decay);
    if (to.amsgrad != 0 && to.amsgrad != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->amsgrad = %d (must be 0 or 1)", who, to.amsgrad);
    if (to.patience < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->patience = %d (must be >= 0)", who, to.patience);
    if (to.center < 0 || to.center > 2)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->center = %d (must be 0, 1 or 2)", who, to.center);
    if (to.init_head != 0 && to.init_head != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->init_head = %d (must be 0 or 1)", who, to.init_head);
    const sl_lcnn_opts *o = &net->o;
    int64_t vol, ntot;
    sl_status zst = sl__lcnn_sizes(net, who, ntrain + nval, dims, &vol, &ntot);
    if (zst) return zst;
    int64_t bs = to.batch < ntrain ? to.batch : ntrain, nb = ntrain / bs;
    int64_t per = o->head == SL_LCNN_HEAD_POOLED ? 1 : vol, lsz = vol * o->nd * o->nc * o->nc * 2;
    int64_t bad = sl__first_nonfinite(targets, (size_t)(ntrain * per));
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: targets[%lld] is not finite", who, (long long)bad);
    bad = sl__first_nonfinite(links, (size_t)(ntrain * lsz));
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: links[%lld] is not finite", who, (long long)bad);
    if (nval > 0) {
        bad = sl__first_nonfinite(vtargets, (size_t)(nval * per));
        if (bad >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: validation target %lld is not finite", who, (long long)bad);
        bad = sl__first_nonfinite(vlinks, (size_t)(nval * lsz));
        if (bad >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: validation link double %lld is not finite", who, (long long)bad);
    }
    sl_status cst = sl__lcnn_check_su2(ctx, who, o->nc, ntrain * vol * o->nd, links);
    if (!cst && nval > 0) cst = sl__lcnn_check_su2(ctx, who, o->nc, nval * vol * o->nd, vlinks);
    if (cst) return cst;

    sl_graph *g = NULL;
    sl_optim *opt = NULL;
    double *ubuf = NULL, *tbuf = NULL, *best = NULL, *pred = NULL;
    int64_t *perm = NULL;
    double *cen = NULL, *cbuf = NULL, *wtmp = NULL;
    means_plan mp = {0};
    sl_node *cnode[SL_LCNN_MAX_LAYERS] = {0};
    int64_t ncen = 0;
    for (int i = 0; i < o->nlayers; ++i) ncen += (net->shape[i][1] - 1) / 2;
    /* center 1: every layer, its centres re-measured after every epoch on
     * the first <= 32 training fields; 2: the first layer only */
    int recenter = to.center == 1 && o->nlayers > 1;
    int64_t nmb = (32 + bs - 1) / bs < nb ? (32 + bs - 1) / bs : nb;
    sl_status st = SL_OK;
    if (to.init_head && (st = fit_head(net, who, ntrain, bs, dims, links, targets, vol))) goto out;
    if (to.center) {
        cen = sl__alloc(ctx, sizeof(double) * (size_t)ncen, 0, who);
        cbuf = sl__alloc(ctx, sizeof(double) * 2 * (size_t)(ncen * o->nc * o->nc), 0, who);
        wtmp = sl__alloc(ctx, sizeof(double) * (size_t)net->nparams, 0, who);
        if (!cen || !cbuf || !wtmp) { st = SL_ERR_NOMEM; goto out; }
        if ((st = means_create(net, bs, dims, &mp)) || (st = means_run(net, &mp, 0, nb, bs, lsz, links, cen))) goto out;
        if (to.center == 2)
            for (int64_t j = (net->shape[0][1] - 1) / 2; j < ncen; ++j) cen[j] = 0;
        fold_all(net, net->w, cen, -1);   /* the graph's alphas in the centred basis */
        center_data(net, cen, cbuf);
    }
    if ((st = sl_graph_create(ctx, &g))) goto out;
    int64_t ushape[SL_MAX_RANK] = {bs}, tshape[SL_MAX_RANK] = {bs};
    for (int i = 0; i < o->nd; ++i) ushape[1 + i] = tshape[1 + i] = dims[i];
    ushape[o->nd + 1] = o->nd; ushape[o->nd + 2] = ushape[o->nd + 3] = o->nc;
    sl_node *U = sl_graph_input(g, SL_C128, o->nd + 4, ushape, "U");
    sl_node *T = sl_graph_input(g, SL_F64, o->head == SL_LCNN_HEAD_POOLED ? 1 : o->nd + 1, tshape, "target");
    sl_node *params[SL_LCNN_MAX_LAYERS + 2];
    sl_node *y = sl__lcnn_apply_features(net, g, U, params, NULL, cen ? cnode : NULL, NULL);
    if (cen) fold_all(net, net->w, cen, 1);
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
    for (int i = 0, k = 0; cen && i < o->nlayers; k += (int)((net->shape[i][1] - 1) / 2), ++i)
        if ((st = sl_optim_bind(opt, cnode[i], cbuf + 2 * (int64_t)k * o->nc * o->nc))) goto out;
    for (int64_t i = 0; i < ntrain; ++i) perm[i] = i;
    memcpy(best, net->w, sizeof(double) * (size_t)net->nparams);
    double best_val = INFINITY, tl = NAN;
    int since = 0, ep = 0, best_ep = 0;
    uint64_t ctr = 0;
    if (sum && nval > 0 && (st = validate(net, nval, bs, dims, vlinks, vtargets, vol, &sum->initial_val_loss, pred)))
        goto out;
    for (ep = 0; ep < to.epochs;) {
        for (int64_t i = ntrain - 1; i > 0; --i) {   /* Fisher-Yates */
            int64_t j = (int64_t)(sl_rng_uniform(to.seed, ctr++) * (double)(i + 1));
            int64_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        tl = 0;
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
        ++ep;
        for (int i = 0; i < np; ++i)
            memcpy(net->w + net->off[i], sl_node_data(params[i]), sizeof(double) * (size_t)sl_node_numel(params[i]));
        if (cen) fold_all(net, net->w, cen, 1);
        double vl = NAN;
        if (nval > 0) {
            if ((st = validate(net, nval, bs, dims, vlinks, vtargets, vol, &vl, pred))) goto out;
            if (vl < best_val) {
                best_val = vl;
                best_ep = ep;
                since = 0;
                memcpy(best, net->w, sizeof(double) * (size_t)net->nparams);
            } else {
                ++since;
            }
        }
        if (recenter && ep < to.epochs) {   /* new centres of layers 1.. for the next epoch */
            if ((st = means_run(net, &mp, 1, nmb, bs, lsz, links, cen))) goto out;
            memcpy(wtmp, net->w, sizeof(double) * (size_t)net->nparams);
            fold_all(net, wtmp, cen, -1);
            for (int i = 0; i < o->nlayers; ++i)
                memcpy(sl_node_data(params[i]), wtmp + net->off[i], sizeof(double) * (size_t)sl_node_numel(params[i]));
            center_data(net, cen, cbuf);
            for (int i = 0, k = 0; i < o->nlayers; k += (int)((net->shape[i][1] - 1) / 2), ++i)
                if ((st = sl_optim_bind(opt, cnode[i], cbuf + 2 * (int64_t)k * o->nc * o->nc))) goto out;
        }
        if (to.progress) to.progress(to.progress_user, ep, tl, vl);
        if (to.patience > 0 && since >= to.patience) break;
    }
    if (nval > 0) memcpy(net->w, best, sizeof(double) * (size_t)net->nparams);
    if (sum) {
        sum->epochs_run = ep;
        sum->best_epoch = best_ep;
        sum->best_val_loss = nval > 0 && best_ep > 0 ? best_val : NAN;
        sum->final_train_loss = tl;
    }
out:
    st = sl__lcnn_as_call(ctx, who, st);
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl__free(ctx, ubuf), sl__free(ctx, tbuf), sl__free(ctx, best), sl__free(ctx, pred), sl__free(ctx, perm);
    sl__free(ctx, cen), sl__free(ctx, cbuf), sl__free(ctx, wtmp);
    means_destroy(&mp);
    return st;
}

sl_status sl_lcnn_train(sl_lcnn *net, int64_t n, int64_t nval, const int64_t *dims, const double *links,
                        const double *targets, const sl_lcnn_train_opts *opts)
{
    const char *who = "sl_lcnn_train";
    if (!net) return SL_ERR_NULL;
    sl_ctx *ctx = net->ctx;
    if (!dims || !links || !targets)
        return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !dims ? "dims" : !links ? "links" : "targets");
    if (nval < 0 || n < 1 || n - nval < 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld, nval = %lld (need n > nval >= 0)", who, (long long)n,
                        (long long)nval);
    int64_t vol, ntot;
    sl_status st = sl__lcnn_sizes(net, who, n, dims, &vol, &ntot);
    if (st) return st;
    const sl_lcnn_opts *o = &net->o;
    int64_t per = o->head == SL_LCNN_HEAD_POOLED ? 1 : vol, lsz = vol * o->nd * o->nc * o->nc * 2, nt = n - nval;
    return fit(net, who, dims, nt, links, targets, nval, links + nt * lsz, targets + nt * per, opts, NULL);
}

sl_status sl_lcnn_fit(sl_lcnn *net, const int64_t *dims, int64_t ntrain, const double *links, const double *targets,
                      int64_t nval, const double *val_links, const double *val_targets,
                      const sl_lcnn_train_opts *opts, sl_lcnn_fit_summary *summary)
{
    const char *who = "sl_lcnn_fit";
    if (!net) return SL_ERR_NULL;
    sl_ctx *ctx = net->ctx;
    if (!dims || !links || !targets)
        return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !dims ? "dims" : !links ? "links" : "targets");
    if (ntrain < 1 || nval < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: ntrain = %lld, nval = %lld (need ntrain >= 1, nval >= 0)", who,
                        (long long)ntrain, (long long)nval);
    if (nval > 0 && (!val_links || !val_targets))
        return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL with nval = %lld", who, !val_links ? "val_links" : "val_targets",
                        (long long)nval);
    if (ntrain > INT64_MAX - nval)
        return sl__fail(ctx, SL_ERR_ARG, "%s: ntrain + nval overflows", who);
    sl_lcnn_fit_summary s;
    size_t ssz = 0;
    if (summary) {
        memcpy(&ssz, summary, sizeof ssz);
        if (ssz < SL_OPTS_END(sl_lcnn_fit_summary, initial_val_loss))
            return sl__fail(ctx, SL_ERR_ARG, "%s: summary->size = %zu (initialise it with sl_lcnn_fit_summary_init)",
                            who, ssz);
    }
    sl_lcnn_fit_summary_init_sized(&s, sizeof s);
    s.best_val_loss = s.final_train_loss = s.initial_val_loss = NAN;
    sl_status st = fit(net, who, dims, ntrain, links, targets, nval, val_links, val_targets, opts, &s);
    if (!st && summary) {   /* the caller's size: a later field is not written into a smaller struct */
        size_t n = ssz < sizeof s ? ssz : sizeof s;
        memcpy((char *)summary + sizeof(size_t), (char *)&s + sizeof(size_t), n - sizeof(size_t));
    }
    return st;
}
