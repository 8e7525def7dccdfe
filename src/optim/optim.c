/* Optimisers over the params of a graph: creation, evaluation, SGD and Adam
 * (with AdamW and amsgrad).  The update formulas follow PyTorch 1.13's
 * single-tensor implementations term by term, so trajectories agree with
 * torch.optim to rounding.  Complex params are updated componentwise on their
 * (re, im) view, as torch does. */
#include "optim_internal.h"

#include <math.h>

#define OPTIM_OPTS_MIN SL_OPTS_END(sl_optim_opts, line_search)

sl_status sl_optim_opts_init_sized(sl_optim_opts *opts, size_t size, int kind)
{
    sl_optim_opts d;
    memset(&d, 0, sizeof d);
    d.size = sizeof d;
    d.kind = kind;
    d.lr = kind == SL_OPTIM_SGD ? 1e-2 : kind == SL_OPTIM_LBFGS ? 1.0 : 1e-3;
    d.beta1 = 0.9;
    d.beta2 = 0.999;
    d.eps = 1e-8;
    d.weight_decay = kind == SL_OPTIM_ADAMW ? 1e-2 : 0;
    d.history = 10;
    d.max_iter = 20;
    d.max_eval = 25;
    d.tolerance_grad = 1e-7;
    d.tolerance_change = 1e-9;
    d.line_search = 1;
    return sl__opts_init(opts, size, &d, sizeof d, OPTIM_OPTS_MIN);
}

void (sl_optim_opts_init)(sl_optim_opts *opts, int kind)
{
    sl_optim_opts_init_sized(opts, SL_OPTS_SIZEOF_1_0(sl_optim_opts, line_search), kind);
}

/* The L-BFGS memory: s and y histories of history x n doubles each. */
#define LBFGS_MAX_HISTORY 1024

static sl_status check_opts(sl_ctx *ctx, const sl_optim_opts *o)
{
    const char *who = "sl_optim_create";
    if (o->kind < SL_OPTIM_SGD || o->kind > SL_OPTIM_LBFGS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->kind = %d", who, o->kind);
    if (!(o->lr > 0) || !isfinite(o->lr)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->lr = %g (must be > 0)", who, o->lr);
    /* every float option, whatever the kind: NaN passes a `< 0` test */
    const struct { const char *name; double v; } nonneg[] = {
        {"momentum", o->momentum}, {"dampening", o->dampening}, {"weight_decay", o->weight_decay},
        {"eps", o->eps}, {"tolerance_grad", o->tolerance_grad}, {"tolerance_change", o->tolerance_change},
    };
    for (size_t i = 0; i < sizeof nonneg / sizeof nonneg[0]; ++i)
        if (!(nonneg[i].v >= 0) || !isfinite(nonneg[i].v))
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->%s = %g (must be finite and >= 0)", who, nonneg[i].name,
                            nonneg[i].v);
    if (!(o->beta1 >= 0 && o->beta1 < 1) || !(o->beta2 >= 0 && o->beta2 < 1))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->beta1 = %g, opts->beta2 = %g (must be in [0, 1))", who, o->beta1,
                        o->beta2);
    const struct { const char *name; int v; } flags[] = {
        {"nesterov", o->nesterov}, {"amsgrad", o->amsgrad}, {"line_search", o->line_search},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; ++i)
        if (flags[i].v != 0 && flags[i].v != 1)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->%s = %d (must be 0 or 1)", who, flags[i].name, flags[i].v);
    if (o->nesterov && (o->momentum <= 0 || o->dampening != 0))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nesterov needs momentum > 0 and dampening = 0", who);
    if (o->kind == SL_OPTIM_LBFGS) {
        if (o->history < 1 || o->history > LBFGS_MAX_HISTORY)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->history = %d (must be in 1..%d)", who, o->history,
                            LBFGS_MAX_HISTORY);
        if (o->max_iter < 1 || o->max_eval < 1)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->max_iter = %d, opts->max_eval = %d (must be >= 1)", who,
                            o->max_iter, o->max_eval);
    }
    return SL_OK;
}

void sl_optim_destroy(sl_optim *o)
{
    if (!o) return;
    sl_ctx *ctx = o->ctx;
    sl_plan_destroy(o->plan);
    double *bufs[] = {o->m, o->v, o->vmax, o->x, o->gcur, o->gprev, o->d, o->s_hist, o->y_hist,
                      o->rho, o->alpha, o->xtrial, o->gtrial, o->ls};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; ++i) sl__free(ctx, bufs[i]);
    sl__free(ctx, o->params);
    sl__free(ctx, o);
}

sl_status sl_optim_create(sl_graph *g, sl_node *loss, int nparams, sl_node *const *params,
                          const sl_optim_opts *opts, sl_optim **out)
{
    const char *who = "sl_optim_create";
    if (!g) return SL_ERR_NULL;
    sl_ctx *ctx = g->ctx;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (g->status) return sl__fail(ctx, g->status, "%s: the graph has an error", who);
    if (!loss) return sl__fail(ctx, SL_ERR_NULL, "%s: loss is NULL", who);
    if (loss->g != g) return sl__fail(ctx, SL_ERR_GRAPH, "%s: loss is from another graph", who);
    if (loss->rank != 0) return sl__fail(ctx, SL_ERR_SHAPE, "%s: loss has rank %d (must be a scalar)", who, loss->rank);
    if (loss->dtype != SL_F64) return sl__fail(ctx, SL_ERR_DTYPE, "%s: loss must be real", who);
    if (!opts) return sl__fail(ctx, SL_ERR_NULL, "%s: opts is NULL (use sl_optim_opts_init)", who);
    sl_optim_opts oo;   /* a field added after 1.0 whose default depends on kind must be set after the read */
    sl_optim_opts_init_sized(&oo, sizeof oo, SL_OPTIM_ADAM);
    sl_status st = sl__opts_read(ctx, who, "opts", &oo, sizeof oo, opts, OPTIM_OPTS_MIN);
    if (st) return st;
    if ((st = check_opts(ctx, &oo))) return st;
    if (nparams < 0 || (nparams > 0 && !params))
        return sl__fail(ctx, SL_ERR_ARG, "%s: nparams = %d with params %s", who, nparams, params ? "set" : "NULL");
    for (int i = 0; i < nparams; ++i) {
        if (!params[i]) return sl__fail(ctx, SL_ERR_NULL, "%s: params[%d] is NULL", who, i);
        if (params[i]->g != g) return sl__fail(ctx, SL_ERR_GRAPH, "%s: params[%d] is from another graph", who, i);
        if (params[i]->def != &sl__op_param)
            return sl__fail(ctx, SL_ERR_ARG, "%s: params[%d] is a %s node, not a param", who, i, params[i]->def->name);
    }
    sl_optim *o = sl__alloc(ctx, sizeof *o, 1, who);
    if (!o) return SL_ERR_NOMEM;
    o->ctx = ctx;
    o->g = g;
    o->o = oo;
    if (nparams == 0) {   /* every param the loss reaches */
        char *reach = sl__alloc(ctx, (size_t)loss->id + 1, 1, who);
        if (!reach) { sl_optim_destroy(o); return SL_ERR_NOMEM; }
        reach[loss->id] = 1;
        for (int id = loss->id; id >= 0; --id)
            if (reach[id])
                for (int j = 0; j < g->nodes[id]->nin; ++j) reach[g->nodes[id]->in[j]->id] = 1;
        for (int id = 0; id <= loss->id; ++id) nparams += reach[id] && g->nodes[id]->def == &sl__op_param;
        o->params = sl__alloc(ctx, sizeof(sl_node *) * (size_t)(nparams ? nparams : 1), 0, who);
        if (o->params) {
            int k = 0;
            for (int id = 0; id <= loss->id; ++id)
                if (reach[id] && g->nodes[id]->def == &sl__op_param) o->params[k++] = g->nodes[id];
        }
        sl__free(ctx, reach);
        if (!nparams) { sl_optim_destroy(o); return sl__fail(ctx, SL_ERR_ARG, "%s: the loss depends on no param", who); }
    } else {
        o->params = sl__alloc(ctx, sizeof(sl_node *) * (size_t)nparams, 0, who);
        if (o->params) memcpy(o->params, params, sizeof(sl_node *) * (size_t)nparams);
    }
    if (!o->params) { sl_optim_destroy(o); return SL_ERR_NOMEM; }
    o->nparams = nparams;
    for (int i = 0; i < nparams; ++i) {
        int64_t c;
        if (!sl__mul_ok(o->params[i]->numel, o->params[i]->dtype == SL_C128 ? 2 : 1, &c) || c > SL_MAX_ELEMENTS - o->n) {
            sl_optim_destroy(o);
            return sl__fail(ctx, SL_ERR_SHAPE, "%s: the params have more than 2^56 real components", who);
        }
        o->n += c;
    }

    /* Plan: the loss, then each gradient. */
    sl_node **outs = sl__alloc(ctx, sizeof(sl_node *) * (size_t)(nparams + 1), 0, who);
    if (!outs) { sl_optim_destroy(o); return SL_ERR_NOMEM; }
    outs[0] = loss;
    st = sl_graph_grad(g, loss, nparams, o->params, outs + 1);
    if (!st) st = sl_plan_create(g, nparams + 1, outs, &o->plan);
    sl__free(ctx, outs);
    if (st) { sl_optim_destroy(o); return sl__rewho(ctx, st, who); }

    size_t bytes = sizeof(double) * (size_t)o->n;
    int k = o->o.kind;
    if (k == SL_OPTIM_SGD && o->o.momentum > 0) o->m = sl__alloc(ctx, bytes, 1, who);
    if (k == SL_OPTIM_ADAM || k == SL_OPTIM_ADAMW) {
        o->m = sl__alloc(ctx, bytes, 1, who);
        o->v = sl__alloc(ctx, bytes, 1, who);
        if (o->o.amsgrad) o->vmax = sl__alloc(ctx, bytes, 1, who);
        if (!o->m || !o->v || (o->o.amsgrad && !o->vmax)) { sl_optim_destroy(o); return SL_ERR_NOMEM; }
    }
    if (k == SL_OPTIM_LBFGS) {
        int64_t hn;
        if (!sl__mul_ok(o->n, o->o.history, &hn)) {
            sl_optim_destroy(o);
            return sl__fail(ctx, SL_ERR_NOMEM, "%s: opts->history = %d x %lld components is too large", who,
                            o->o.history, (long long)o->n);
        }
        size_t hb = sizeof(double) * (size_t)hn;
        o->x = sl__alloc(ctx, bytes, 1, who);
        o->gcur = sl__alloc(ctx, bytes, 1, who);
        o->gprev = sl__alloc(ctx, bytes, 1, who);
        o->d = sl__alloc(ctx, bytes, 1, who);
        o->xtrial = sl__alloc(ctx, bytes, 1, who);
        o->gtrial = sl__alloc(ctx, bytes, 1, who);
        o->s_hist = sl__alloc(ctx, hb, 1, who);
        o->y_hist = sl__alloc(ctx, hb, 1, who);
        o->rho = sl__alloc(ctx, sizeof(double) * (size_t)o->o.history, 1, who);
        o->alpha = sl__alloc(ctx, sizeof(double) * (size_t)o->o.history, 1, who);
        o->ls = sl__alloc(ctx, 3 * bytes, 1, who);
        if (!o->ls || !o->x || !o->gcur || !o->gprev || !o->d || !o->xtrial || !o->gtrial || !o->s_hist ||
            !o->y_hist || !o->rho || !o->alpha) { sl_optim_destroy(o); return SL_ERR_NOMEM; }
    }
    if (k == SL_OPTIM_SGD && o->o.momentum > 0 && !o->m) { sl_optim_destroy(o); return SL_ERR_NOMEM; }
    *out = o;
    return SL_OK;
}

sl_plan *sl_optim_plan(sl_optim *o) { return o ? o->plan : NULL; }

sl_status sl_optim_bind(sl_optim *o, sl_node *input, const void *data)
{
    if (!o) return SL_ERR_NULL;
    sl_status st = sl_plan_bind(o->plan, input, data);
    return st ? sl__rewho(o->ctx, st, "sl_optim_bind") : SL_OK;
}

sl_status sl_optim_set_lr(sl_optim *o, double lr)
{
    if (!o) return SL_ERR_NULL;
    if (!(lr > 0) || !isfinite(lr)) return sl__fail(o->ctx, SL_ERR_ARG, "sl_optim_set_lr: lr = %g (must be > 0)", lr);
    o->o.lr = lr;
    return SL_OK;
}

int64_t sl_optim_steps(const sl_optim *o) { return o ? o->step : 0; }

void sl_optim_reset(sl_optim *o)
{
    if (!o) return;
    size_t bytes = sizeof(double) * (size_t)o->n;
    if (o->m) memset(o->m, 0, bytes);
    if (o->v) memset(o->v, 0, bytes);
    if (o->vmax) memset(o->vmax, 0, bytes);
    o->step = 0;
    o->hist_len = o->hist_start = 0;
    o->have_prev = 0;
    o->n_iter = 0;
}

void sl__optim_get(const sl_optim *o, double *x)
{
    for (int i = 0; i < o->nparams; ++i) {
        int64_t c = o->params[i]->numel * (o->params[i]->dtype == SL_C128 ? 2 : 1);
        memcpy(x, o->params[i]->data, sizeof(double) * (size_t)c);
        x += c;
    }
}

void sl__optim_set(sl_optim *o, const double *x)
{
    for (int i = 0; i < o->nparams; ++i) {
        int64_t c = o->params[i]->numel * (o->params[i]->dtype == SL_C128 ? 2 : 1);
        memcpy(o->params[i]->data, x, sizeof(double) * (size_t)c);
        x += c;
    }
}

sl_status sl__optim_eval(sl_optim *o, const char *who, double *f, double *grad)
{
    sl_status st = sl_plan_run(o->plan);
    if (st) return sl__rewho(o->ctx, st, who);
    *f = sl_plan_scalar(o->plan, 0);
    if (!isfinite(*f)) return sl__fail(o->ctx, SL_ERR_NONFINITE, "%s: the loss is %g", who, *f);
    for (int i = 0; i < o->nparams; ++i) {
        int64_t c = o->params[i]->numel * (o->params[i]->dtype == SL_C128 ? 2 : 1);
        const double *gi = sl_plan_output(o->plan, i + 1);
        if (sl__first_nonfinite(gi, (size_t)c) >= 0)
            return sl__fail(o->ctx, SL_ERR_NONFINITE, "%s: the gradient of param '%s' is not finite", who,
                            sl_node_name(o->params[i]));
        if (grad) {
            memcpy(grad, gi, sizeof(double) * (size_t)c);
            grad += c;
        }
    }
    return SL_OK;
}

sl_status sl_optim_eval(sl_optim *o, double *loss)
{
    if (!o) return SL_ERR_NULL;
    double f;
    sl_status st = sl__optim_eval(o, "sl_optim_eval", &f, NULL);
    if (!st && loss) *loss = f;
    return st;
}

/* SGD (torch.optim.SGD): g += wd p; b = mu b + (1 - damp) g (b = g at the first
 * step); g = nesterov ? g + mu b : b; p -= lr g. */
static void sgd_update(sl_optim *o, double *p, const double *gr, int64_t n, double *buf)
{
    const sl_optim_opts *q = &o->o;
    for (int64_t j = 0; j < n; ++j) {
        double gj = gr[j];
        if (q->weight_decay != 0) gj += q->weight_decay * p[j];
        if (q->momentum != 0) {
            buf[j] = o->step == 1 ? gj : q->momentum * buf[j] + (1 - q->dampening) * gj;
            gj = q->nesterov ? gj + q->momentum * buf[j] : buf[j];
        }
        p[j] -= q->lr * gj;
    }
}

/* Adam / AdamW (Kingma & Ba 2015, Alg. 1; Loshchilov & Hutter 2019 for the
 * decoupled decay), with the bias corrections arranged as torch does. */
static void adam_update(sl_optim *o, double *p, const double *gr, int64_t n, double *m, double *v,
                        double *vmax)
{
    const sl_optim_opts *q = &o->o;
    double t = (double)o->step;
    double bc1 = 1 - pow(q->beta1, t), bc2 = 1 - pow(q->beta2, t);
    double step_size = q->lr / bc1, bc2_sqrt = sqrt(bc2);
    int decoupled = q->kind == SL_OPTIM_ADAMW;
    for (int64_t j = 0; j < n; ++j) {
        double gj = gr[j];
        if (decoupled) p[j] *= 1 - q->lr * q->weight_decay;
        else if (q->weight_decay != 0) gj += q->weight_decay * p[j];
        m[j] = m[j] * q->beta1 + (1 - q->beta1) * gj;
        v[j] = v[j] * q->beta2 + (1 - q->beta2) * gj * gj;
        double vv = v[j];
        if (vmax) {
            if (v[j] > vmax[j]) vmax[j] = v[j];
            vv = vmax[j];
        }
        double denom = sqrt(vv) / bc2_sqrt + q->eps;
        p[j] += (-step_size * m[j]) / denom;   /* torch's addcdiv order */
    }
}

sl_status sl_optim_step(sl_optim *o, double *loss)
{
    if (!o) return SL_ERR_NULL;
    if (o->o.kind == SL_OPTIM_LBFGS) return sl__lbfgs_step(o, loss);
    double f;
    sl_status st = sl__optim_eval(o, "sl_optim_step", &f, NULL);
    if (st) return st;
    if (loss) *loss = f;
    o->step++;
    int64_t off = 0;
    for (int i = 0; i < o->nparams; ++i) {
        int64_t c = o->params[i]->numel * (o->params[i]->dtype == SL_C128 ? 2 : 1);
        double *p = o->params[i]->data;
        const double *gr = sl_plan_output(o->plan, i + 1);
        if (o->o.kind == SL_OPTIM_SGD) sgd_update(o, p, gr, c, o->m ? o->m + off : NULL);
        else adam_update(o, p, gr, c, o->m + off, o->v + off, o->vmax ? o->vmax + off : NULL);
        off += c;
    }
    return SL_OK;
}
