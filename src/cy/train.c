/* Training the phi-model: Adam on the Monge-Ampere and transition losses
 * (cymetric models/tfmodels.py::train_step with the phi-model losses),
 * validation sigma per epoch, progress through the context's log callback. */
#include "model_internal.h"

#include <math.h>

static const sl_cy_train_opts TRAIN_DEFAULTS = SL_CY_TRAIN_OPTS_INIT;

sl_status sl_cy_train_opts_init_sized(sl_cy_train_opts *opts, size_t size)
{
    if (!opts) return SL_ERR_NULL;
    return sl__opts_init(opts, size, &TRAIN_DEFAULTS, sizeof TRAIN_DEFAULTS, SL_OPTS_END(sl_cy_train_opts, stream));
}

static sl_status check_opts(sl_ctx *ctx, const char *who, const sl_cy_train_opts *o)
{
    if (o->epochs < 1 || o->epochs > 1000000)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.epochs = %d (must be 1..10^6)", who, o->epochs);
    if (o->batch < 1 || o->batch > ((int64_t)1 << 20))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.batch = %lld (must be 1..2^20)", who, (long long)o->batch);
    if (!(o->lr > 0) || !isfinite(o->lr)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts.lr = %g (must be > 0)", who, o->lr);
    if (!(o->beta1 >= 0 && o->beta1 < 1) || !(o->beta2 >= 0 && o->beta2 < 1))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.beta1 = %g, beta2 = %g (must be in [0, 1))", who, o->beta1, o->beta2);
    if (!(o->eps > 0) || !isfinite(o->eps)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts.eps = %g (must be > 0)", who, o->eps);
    if (!isfinite(o->alpha_ma) || !isfinite(o->alpha_t) || o->alpha_ma < 0 || o->alpha_t < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.alpha_ma = %g, alpha_t = %g (must be finite, >= 0)", who, o->alpha_ma,
                        o->alpha_t);
    if (!isfinite(o->alpha_k) || o->alpha_k < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.alpha_k = %g (must be finite, >= 0)", who, o->alpha_k);
    if (!(o->clip >= 0) || !isfinite(o->clip))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.clip = %g (must be finite, >= 0)", who, o->clip);
    if (o->shuffle != 0 && o->shuffle != 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts.shuffle = %d (0 or 1)", who, o->shuffle);
    if (o->schedule < SL_CY_LR_CONSTANT || o->schedule > SL_CY_LR_EXP)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.schedule = %d (SL_CY_LR_CONSTANT, _COSINE or _EXP)", who, o->schedule);
    if (!(o->lr_final >= 0) || !isfinite(o->lr_final) || (o->schedule == SL_CY_LR_EXP && !(o->lr_final > 0)))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.lr_final = %g (must be finite, >= 0; > 0 for SL_CY_LR_EXP)", who,
                        o->lr_final);
    if (o->weighted != 0 && o->weighted != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.weighted = %d (0 or 1)", who, o->weighted);
    return SL_OK;
}

sl_status sl__cy_adam_init(sl_ctx *ctx, sl_cy_adam *A, int64_t nw, const char *who)
{
    A->nw = nw;
    A->mom = sl__alloc(ctx, sizeof(double) * (size_t)nw, 1, who);
    A->vel = sl__alloc(ctx, sizeof(double) * (size_t)nw, 1, who);
    if (!A->mom || !A->vel) {
        sl__cy_adam_free(ctx, A);
        return SL_ERR_NOMEM;
    }
    return SL_OK;
}

void sl__cy_adam_free(sl_ctx *ctx, sl_cy_adam *A)
{
    sl__free(ctx, A->mom), sl__free(ctx, A->vel);
    A->mom = A->vel = NULL;
}

sl_status sl__cy_adam_step(sl_ctx *ctx, sl_cy_adam *A, const sl_cy_train_opts *o, double *w, double *grad, double l,
                           int64_t step, int64_t total, int epoch, const char *who)
{
    const int64_t nw = A->nw;
    double gn = 0;
    for (int64_t k = 0; k < nw; k++) gn += grad[k] * grad[k];
    if (!isfinite(l) || !isfinite(gn))
        return sl__fail(ctx, SL_ERR_NUMERIC, "%s: epoch %d, step %lld: loss %g, gradient norm^2 %g (not finite)", who, epoch,
                        (long long)step, l, gn);
    if (o->clip > 0 && sqrt(gn) > o->clip) {
        double s = o->clip / sqrt(gn);
        for (int64_t k = 0; k < nw; k++) grad[k] *= s;
    }
    /* the step's learning rate (fraction u of this call's steps done) */
    const double u = total > 1 ? (double)step / (double)(total - 1) : 0;
    double lr = o->lr;
    if (o->schedule == SL_CY_LR_COSINE) lr = o->lr_final + 0.5 * (o->lr - o->lr_final) * (1 + cos(M_PI * u));
    else if (o->schedule == SL_CY_LR_EXP) lr = o->lr * pow(o->lr_final / o->lr, u);
    /* Adam, PyTorch's update (torch.optim.Adam, amsgrad off) */
    const double t = (double)(step + 1);
    const double bc1 = 1 - pow(o->beta1, t), bc2 = 1 - pow(o->beta2, t);
    const double stepsize = lr / bc1, rb2 = 1.0 / sqrt(bc2);
    for (int64_t k = 0; k < nw; k++) {
        A->mom[k] = o->beta1 * A->mom[k] + (1 - o->beta1) * grad[k];
        A->vel[k] = o->beta2 * A->vel[k] + (1 - o->beta2) * grad[k] * grad[k];
        w[k] -= stepsize * A->mom[k] / (sqrt(A->vel[k]) * rb2 + o->eps);
    }
    return SL_OK;
}

void sl__cy_permutation(sl_ctx *ctx, const sl_cy_train_opts *o, int epoch, int64_t n, int64_t *perm)
{
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    if (!o->shuffle) return;
    const uint64_t seed = sl_ctx_seed(ctx) + o->stream;   /* Fisher-Yates from the counter-based stream */
    for (int64_t i = n - 1; i > 0; i--) {
        uint64_t r = sl_rng_u64(seed, (uint64_t)epoch * (uint64_t)n + (uint64_t)i);
        int64_t j = (int64_t)(r % (uint64_t)(i + 1)), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
    }
}

/* permute the per-point rows of D by perm (into a copy) */
static void permute_data(const sl_cy_data *S, sl_cy_data *T, const int64_t *perm)
{
    const int64_t w0 = 2 * S->na, ne = 2 * S->d * w0, nx = (S->nt > 0 ? S->nt : 1) * w0, ng = S->d * S->d;
    for (int64_t i = 0; i < S->n; i++) {
        int64_t j = perm[i];
        memcpy(T->X + i * w0, S->X + j * w0, sizeof(double) * (size_t)w0);
        memcpy(T->E + i * ne, S->E + j * ne, sizeof(double) * (size_t)ne);
        memcpy(T->Xt + i * nx, S->Xt + j * nx, sizeof(double) * (size_t)nx);
        memcpy(T->gfs + i * ng, S->gfs + j * ng, sizeof(cplx) * (size_t)ng);
        T->om2[i] = S->om2[j], T->w[i] = S->w[j];
    }
}

sl_status sl_cy_model_train(sl_cy_model *m, const sl_cy_points *train, const sl_cy_points *val,
                            const sl_cy_train_opts *oin)
{
    const char *who = "sl_cy_model_train";
    if (!m) return SL_ERR_NULL;
    sl_ctx *ctx = m->ctx;
    sl_status st = sl__cy_model_check_points(m, train, who);
    if (st != SL_OK) return st;
    if (val && (st = sl__cy_model_check_points(m, val, who)) != SL_OK) return st;
    sl_cy_train_opts o = TRAIN_DEFAULTS;
    if (oin && (st = sl__opts_read(ctx, who, "opts", &o, sizeof o, oin, SL_OPTS_END(sl_cy_train_opts, stream))) != SL_OK)
        return st;
    if ((st = check_opts(ctx, who, &o)) != SL_OK) return st;
    const int64_t nw = m->net.nweights, n = train->n, B = o.batch < n ? o.batch : n;
    /* grow the history */
    if (m->nepochs + o.epochs > m->cap) {
        int cap = m->nepochs + o.epochs;
        double *hl = sl__alloc(ctx, sizeof(double) * (size_t)cap, 0, who), *hs = sl__alloc(ctx, sizeof(double) * (size_t)cap, 0, who);
        if (!hl || !hs) {
            sl__free(ctx, hl), sl__free(ctx, hs);
            return SL_ERR_NOMEM;
        }
        if (m->nepochs) {
            memcpy(hl, m->hist_loss, sizeof(double) * (size_t)m->nepochs);
            memcpy(hs, m->hist_sigma, sizeof(double) * (size_t)m->nepochs);
        }
        sl__free(ctx, m->hist_loss), sl__free(ctx, m->hist_sigma);
        m->hist_loss = hl, m->hist_sigma = hs, m->cap = cap;
    }
    if (m->opts.kind != SL_CY_KIND_PHI) return sl__cy_fsnet_train(m, train, val, &o, who);
    sl_cy_data D, P;
    memset(&P, 0, sizeof P);
    if ((st = sl__cy_model_data(m, train, &D, who)) != SL_OK) return st;
    if (o.shuffle && (st = sl__cy_model_data(m, train, &P, who)) != SL_OK) {
        sl__cy_data_free(ctx, &D);
        return st;
    }
    sl_cy_ws *ws = sl__cy_ws_new(ctx, &m->net, D.d, D.nt, B, who);
    double *grad = sl__alloc(ctx, sizeof(double) * (size_t)nw, 0, who);
    sl_cy_adam A = {0, NULL, NULL};
    int64_t *perm = o.shuffle ? sl__alloc(ctx, sizeof(int64_t) * (size_t)n, 0, who) : NULL;
    if ((st = sl__cy_adam_init(ctx, &A, nw, who)) != SL_OK || !ws || !grad || (o.shuffle && !perm)) {
        if (st == SL_OK) st = SL_ERR_NOMEM;
        goto done;
    }
    const double kappa = train->kappa;
    double wscale = 0;
    if (o.weighted) {
        double ws_ = 0;
        for (int64_t i = 0; i < n; i++) ws_ += D.w[i];
        wscale = (double)n / ws_;
    }
    const int64_t nb = (n + B - 1) / B, total = nb * (int64_t)o.epochs;
    int64_t step = 0;
    for (int ep = 0; ep < o.epochs; ep++) {
        const sl_cy_data *Dp = &D;
        if (o.shuffle) {
            sl__cy_permutation(ctx, &o, m->nepochs, n, perm);
            permute_data(&D, &P, perm);
            Dp = &P;
        }
        double ep_loss = 0;
        for (int64_t i0 = 0; i0 < n; i0 += B) {
            int64_t b = n - i0 < B ? n - i0 : B;
            double sma, str;
            sl__cy_batch(&m->net, m->wts, Dp, i0, b, kappa, o.alpha_ma, o.alpha_t, wscale, ws, &sma, &str, NULL, NULL,
                         grad);
            double l = (o.alpha_ma * sma + o.alpha_t * str) / (double)b;
            if ((st = sl__cy_adam_step(ctx, &A, &o, m->wts, grad, l, step, total, m->nepochs + 1, who)) != SL_OK) goto done;
            step++;
            ep_loss += l * (double)b;
        }
        ep_loss /= (double)n;
        double sv = NAN;
        if (val) {
            st = sl_cy_model_losses(m, val, NULL, NULL, NULL, &sv);
            if (st != SL_OK) {
                st = sl__rewho(ctx, st, who);
                goto done;
            }
        }
        m->hist_loss[m->nepochs] = ep_loss;
        m->hist_sigma[m->nepochs] = sv;
        m->nepochs++;
        sl__log(ctx, SL_LOG_INFO, "%s: epoch %d/%d: loss %.6g sigma_val %.6g", who, ep + 1, o.epochs, ep_loss, sv);
    }
done:
    sl__cy_ws_free(ctx, ws);
    sl__free(ctx, grad), sl__free(ctx, perm);
    sl__cy_adam_free(ctx, &A);
    sl__cy_data_free(ctx, &D);
    if (o.shuffle) sl__cy_data_free(ctx, &P);
    return st;
}

sl_status sl_discover_cy_metric(const sl_cy_variety *v, const sl_cy_points *train, const sl_cy_points *val,
                                const sl_cy_model_opts *mo, const sl_cy_train_opts *to, sl_cy_model **out)
{
    const char *who = "sl_discover_cy_metric";
    if (!v) return SL_ERR_NULL;
    if (!out) return sl__fail(v->ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    sl_cy_model *m = NULL;
    sl_status st = sl__cy_model_new(v->ctx, v, mo, 1, who, &m);
    if (st != SL_OK) return st;
    st = sl_cy_model_train(m, train, val, to);
    if (st != SL_OK) {
        sl_cy_model_destroy(m);
        return sl__rewho(v->ctx, st, who);
    }
    *out = m;
    return SL_OK;
}
