/* The phi-model (include/symlearn/cy.h): creation, weights, evaluation. */
#include "model_internal.h"

#include <math.h>

static const sl_cy_model_opts MODEL_DEFAULTS = SL_CY_MODEL_OPTS_INIT;

sl_status sl_cy_model_opts_init_sized(sl_cy_model_opts *opts, size_t size)
{
    if (!opts) return SL_ERR_NULL;
    return sl__opts_init(opts, size, &MODEL_DEFAULTS, sizeof MODEL_DEFAULTS, SL_OPTS_END(sl_cy_model_opts, seed));
}

sl_status sl__cy_model_new(sl_ctx *ctx, const sl_cy_variety *v, const sl_cy_model_opts *oin, int init, const char *who,
                           sl_cy_model **out)
{
    sl_cy_model_opts o = MODEL_DEFAULTS;
    if (oin) {
        sl_status st = sl__opts_read(ctx, who, "opts", &o, sizeof o, oin, SL_OPTS_END(sl_cy_model_opts, seed));
        if (st != SL_OK) return st;
    }
    if (o.depth < 1 || o.depth > SL_CY_MAX_LAYERS - 2)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.depth = %d (must be 1..%d)", who, o.depth, SL_CY_MAX_LAYERS - 2);
    if (o.width < 1 || o.width > 4096)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.width = %lld (must be 1..4096)", who, (long long)o.width);
    if (o.activation != SL_ACT_GELU && o.activation != SL_ACT_TANH)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.activation = %d (SL_ACT_GELU or SL_ACT_TANH)", who, o.activation);
    if (o.kind != SL_CY_KIND_PHI && o.kind != SL_CY_KIND_MULT && o.kind != SL_CY_KIND_ADD)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.kind = %d (SL_CY_KIND_PHI, _MULT or _ADD)", who, o.kind);
    if (o.base_k < 0 || o.base_k > 8)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.base_k = %d (0: Fubini-Study, 1..8: Donaldson)", who, o.base_k);
    if (o.base_k > 0 && o.kind != SL_CY_KIND_PHI)
        return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: opts.base_k = %d with opts.kind = %d (a Donaldson base for phi-models only)",
                        who, o.base_k, o.kind);
    if (!(o.t > 0) || !isfinite(o.t)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts.t = %g (must be finite, > 0)", who, o.t);
    sl_cy_model *m = sl__alloc(ctx, sizeof *m, 1, who);
    if (!m) return SL_ERR_NOMEM;
    m->ctx = ctx;
    m->v = v;
    m->opts = o;
    m->net.L = o.depth + 1;
    m->net.act = o.activation;
    m->net.w[0] = 2 * v->namb;
    for (int l = 1; l <= o.depth; l++) m->net.w[l] = o.width;
    m->net.w[m->net.L] = o.kind == SL_CY_KIND_PHI ? 1 : (int64_t)v->namb * v->namb;
    sl__cy_net_layout(&m->net);
    m->wts = sl__alloc(ctx, sizeof(double) * (size_t)m->net.nweights, 1, who);
    if (!m->wts) {
        sl__free(ctx, m);
        return SL_ERR_NOMEM;
    }
    if (init && o.base_k > 0) {
        sl_status st = sl_cy_donaldson(v, o.base_k, NULL, &m->base);
        if (st != SL_OK) {
            sl_cy_model_destroy(m);
            return sl__rewho(ctx, st, who);
        }
    }
    if (init) {
        const uint64_t seed = sl_ctx_seed(ctx) + o.seed;
        for (int l = 1; l <= m->net.L; l++) {
            int64_t fi = m->net.w[l - 1], fo = m->net.w[l];
            double a = pow(6.0 / (double)(fi + fo), 0.5);
            sl_rng_fill_uniform(seed + (uint64_t)(l - 1), 0, (size_t)(fi * fo), -a, a, m->wts + m->net.off_W[l]);
        }
        if (o.kind != SL_CY_KIND_PHI)   /* the FS-correction models start at FS */
            memset(m->wts + m->net.off_W[m->net.L], 0, sizeof(double) * (size_t)(m->net.w[m->net.L - 1] * m->net.w[m->net.L]));
    }
    *out = m;
    return SL_OK;
}

sl_status sl_cy_model_create(const sl_cy_variety *v, const sl_cy_model_opts *opts, sl_cy_model **out)
{
    const char *who = "sl_cy_model_create";
    if (!v) return SL_ERR_NULL;
    if (!out) return sl__fail(v->ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    return sl__cy_model_new(v->ctx, v, opts, 1, who, out);
}

void sl_cy_model_destroy(sl_cy_model *m)
{
    if (!m) return;
    sl_ctx *ctx = m->ctx;
    sl__free(ctx, m->wts);
    sl__free(ctx, m->hist_loss);
    sl__free(ctx, m->hist_sigma);
    sl_cy_algebraic_destroy(m->base);
    if (m->own_v) sl_cy_variety_destroy(m->own_v);
    sl__free(ctx, m);
}

int64_t sl_cy_model_nweights(const sl_cy_model *m) { return m ? m->net.nweights : 0; }
const sl_cy_variety *sl_cy_model_variety(const sl_cy_model *m) { return m ? m->v : NULL; }
int sl_cy_model_epochs(const sl_cy_model *m) { return m ? m->nepochs : 0; }

sl_status sl_cy_model_get_weights(const sl_cy_model *m, double *w)
{
    if (!m) return SL_ERR_NULL;
    if (!w) return sl__fail(m->ctx, SL_ERR_NULL, "sl_cy_model_get_weights: w is NULL");
    memcpy(w, m->wts, sizeof(double) * (size_t)m->net.nweights);
    return SL_OK;
}

sl_status sl_cy_model_set_weights(sl_cy_model *m, const double *w)
{
    if (!m) return SL_ERR_NULL;
    if (!w) return sl__fail(m->ctx, SL_ERR_NULL, "sl_cy_model_set_weights: w is NULL");
    int64_t b = sl__first_nonfinite(w, (size_t)m->net.nweights);
    if (b >= 0) return sl__fail(m->ctx, SL_ERR_NONFINITE, "sl_cy_model_set_weights: w[%lld] is not finite", (long long)b);
    memcpy(m->wts, w, sizeof(double) * (size_t)m->net.nweights);
    return SL_OK;
}

sl_status sl_cy_model_history(const sl_cy_model *m, double *loss, double *sigma_val)
{
    if (!m) return SL_ERR_NULL;
    if (!loss && !sigma_val) return sl__fail(m->ctx, SL_ERR_NULL, "sl_cy_model_history: loss and sigma_val are NULL");
    if (loss && m->nepochs) memcpy(loss, m->hist_loss, sizeof(double) * (size_t)m->nepochs);
    if (sigma_val && m->nepochs) memcpy(sigma_val, m->hist_sigma, sizeof(double) * (size_t)m->nepochs);
    return SL_OK;
}

sl_status sl__cy_model_data(const sl_cy_model *m, const sl_cy_points *p, sl_cy_data *D, const char *who)
{
    sl_status st = sl__cy_data_make(p, m->opts.t, D, who);
    if (st != SL_OK || !m->base) return st;
    if ((st = sl_cy_algebraic_metric(m->base, p, (double *)D->gfs, NULL)) != SL_OK) {
        sl__cy_data_free(m->ctx, D);
        return sl__rewho(m->ctx, st, who);
    }
    for (int64_t k = 0; k < D->n * D->d * D->d; k++) D->gfs[k] *= m->opts.t;
    return SL_OK;
}

sl_status sl__cy_data_make(const sl_cy_points *p, double t, sl_cy_data *D, const char *who)
{
    sl_ctx *ctx = p->ctx;
    const int na = p->namb, d = p->dim, nt = na - 2;
    const int64_t n = p->n, w0 = 2 * na;
    memset(D, 0, sizeof *D);
    D->n = n, D->na = na, D->d = d, D->nt = nt;
    D->X = sl__alloc(ctx, sizeof(double) * (size_t)(n * w0), 0, who);
    D->E = sl__alloc(ctx, sizeof(double) * (size_t)(n * 2 * d * w0), 0, who);
    D->Xt = sl__alloc(ctx, sizeof(double) * (size_t)(n * (nt > 0 ? nt : 1) * w0), 0, who);
    D->gfs = sl__alloc(ctx, sizeof(cplx) * (size_t)(n * d * d), 0, who);
    D->om2 = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    D->w = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    if (!D->X || !D->E || !D->Xt || !D->gfs || !D->om2 || !D->w) {
        sl__cy_data_free(ctx, D);
        return SL_ERR_NOMEM;
    }
    for (int64_t i = 0; i < n; i++) {
        const cplx *z = p->z + i * na, *J = p->jac + i * d * na;
        double *x = D->X + i * w0, *E = D->E + i * 2 * d * w0;
        for (int j = 0; j < na; j++) x[j] = creal(z[j]), x[na + j] = cimag(z[j]);
        for (int a = 0; a < d; a++)
            for (int j = 0; j < na; j++) {
                double re = creal(J[a * na + j]), im = cimag(J[a * na + j]);
                E[a * w0 + j] = 0.5 * re, E[a * w0 + na + j] = 0.5 * im;
                E[(d + a) * w0 + j] = 0.5 * im, E[(d + a) * w0 + na + j] = -0.5 * re;
            }
        int q = 0;
        for (int pp = 0; pp < na; pp++) {
            if (pp == p->patch[i] || pp == p->elim[i]) continue;
            double *xt = D->Xt + (i * nt + q) * w0;
            for (int j = 0; j < na; j++) {
                cplx u = z[j] / z[pp];
                xt[j] = creal(u), xt[na + j] = cimag(u);
            }
            xt[pp] = 1.0, xt[na + pp] = 0.0;
            q++;
        }
        cplx G[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
        sl__cy_fs_ambient(na, z, t, G);
        sl__cy_pullback(d, na, J, G, D->gfs + i * d * d);
        D->om2[i] = p->om2[i];
        D->w[i] = p->w[i];
    }
    return SL_OK;
}

void sl__cy_data_free(sl_ctx *ctx, sl_cy_data *D)
{
    sl__free(ctx, D->X), sl__free(ctx, D->E), sl__free(ctx, D->Xt), sl__free(ctx, D->gfs);
    sl__free(ctx, D->om2), sl__free(ctx, D->w);
    memset(D, 0, sizeof *D);
}

sl_status sl__cy_model_check_points(const sl_cy_model *m, const sl_cy_points *p, const char *who)
{
    if (!p) return sl__fail(m->ctx, SL_ERR_NULL, "%s: points are NULL", who);
    if (p->namb != m->v->namb || p->dim != m->v->dim)
        return sl__fail(m->ctx, SL_ERR_ARG, "%s: points of a variety with %d coordinates (the model's has %d)", who,
                        p->namb, m->v->namb);
    return SL_OK;
}

#define EVAL_CHUNK 1024

/* loss terms (sums), det and (when grad) the gradient of the mean loss */
sl_status sl__cy_model_eval(const sl_cy_model *m, const sl_cy_points *p, const char *who, double *sum_ma,
                            double *sum_tr, double *det, double *g, double *grad)
{
    sl_ctx *ctx = m->ctx;
    if (m->opts.kind != SL_CY_KIND_PHI) return sl__cy_fsnet_eval(m, p, who, grad != NULL, sum_ma, sum_tr, NULL, det, g, grad);
    sl_cy_data D;
    sl_status st = sl__cy_model_data(m, p, &D, who);
    if (st != SL_OK) return st;
    int64_t B = grad ? p->n : (p->n < EVAL_CHUNK ? p->n : EVAL_CHUNK);
    sl_cy_ws *ws = sl__cy_ws_new(ctx, &m->net, D.d, D.nt, B, who);
    double *g1 = grad ? sl__alloc(ctx, sizeof(double) * (size_t)m->net.nweights, 0, who) : NULL;
    if (!ws || (grad && !g1)) {
        sl__cy_ws_free(ctx, ws);
        sl__free(ctx, g1);
        sl__cy_data_free(ctx, &D);
        return SL_ERR_NOMEM;
    }
    double sma = 0, str = 0;
    for (int64_t i0 = 0; i0 < p->n; i0 += B) {
        int64_t b = p->n - i0 < B ? p->n - i0 : B;
        double a, c;
        sl__cy_batch(&m->net, m->wts, &D, i0, b, p->kappa, 1.0, 1.0, 0.0, ws, &a, &c, det ? det + i0 : NULL,
                     g ? (cplx *)g + i0 * D.d * D.d : NULL, g1);
        sma += a, str += c;
    }
    if (grad) memcpy(grad, g1, sizeof(double) * (size_t)m->net.nweights);
    *sum_ma = sma, *sum_tr = str;
    sl__cy_ws_free(ctx, ws);
    sl__free(ctx, g1);
    sl__cy_data_free(ctx, &D);
    return SL_OK;
}

sl_status sl_cy_model_metric(const sl_cy_model *m, const sl_cy_points *p, double *g, double *det)
{
    const char *who = "sl_cy_model_metric";
    if (!m) return SL_ERR_NULL;
    sl_status st = sl__cy_model_check_points(m, p, who);
    if (st != SL_OK) return st;
    if (!g && !det) return sl__fail(m->ctx, SL_ERR_NULL, "%s: g and det are NULL", who);
    sl_ctx *ctx = m->ctx;
    const int d = p->dim;
    double *dt = sl__alloc(ctx, sizeof(double) * (size_t)p->n, 0, who);
    double *gg = g ? sl__alloc(ctx, sizeof(cplx) * (size_t)(p->n * d * d), 0, who) : NULL;
    if (!dt || (g && !gg)) {
        sl__free(ctx, dt), sl__free(ctx, gg);
        return SL_ERR_NOMEM;
    }
    double a, b;
    st = sl__cy_model_eval(m, p, who, &a, &b, dt, gg, NULL);
    if (st == SL_OK && det) memcpy(det, dt, sizeof(double) * (size_t)p->n);
    if (st == SL_OK && g) memcpy(g, gg, sizeof(cplx) * (size_t)(p->n * d * d));
    sl__free(ctx, dt), sl__free(ctx, gg);
    return st;
}

sl_status sl_cy_model_phi(const sl_cy_model *m, const sl_cy_points *p, double *phi)
{
    const char *who = "sl_cy_model_phi";
    if (!m) return SL_ERR_NULL;
    sl_status st = sl__cy_model_check_points(m, p, who);
    if (st != SL_OK) return st;
    if (!phi) return sl__fail(m->ctx, SL_ERR_NULL, "%s: phi is NULL", who);
    if (m->opts.kind != SL_CY_KIND_PHI)
        return sl__fail(m->ctx, SL_ERR_UNSUPPORTED, "%s: the model is an FS-correction model (opts.kind = %d), not a phi-model",
                        who, m->opts.kind);
    sl_ctx *ctx = m->ctx;
    const int na = p->namb;
    double *X = sl__alloc(ctx, sizeof(double) * (size_t)(p->n * 2 * na), 0, who);
    sl_cy_ws *ws = sl__cy_ws_new(ctx, &m->net, 0, 1, EVAL_CHUNK, who);
    if (!X || !ws) {
        sl__free(ctx, X), sl__cy_ws_free(ctx, ws);
        return SL_ERR_NOMEM;
    }
    for (int64_t i = 0; i < p->n; i++)
        for (int j = 0; j < na; j++) X[i * 2 * na + j] = creal(p->z[i * na + j]), X[i * 2 * na + na + j] = cimag(p->z[i * na + j]);
    sl__cy_phi(&m->net, m->wts, X, p->n, ws, phi);
    sl__free(ctx, X), sl__cy_ws_free(ctx, ws);
    return SL_OK;
}

sl_status sl_cy_model_losses(const sl_cy_model *m, const sl_cy_points *p, double *loss, double *ma, double *tr,
                             double *sigma)
{
    const char *who = "sl_cy_model_losses";
    if (!m) return SL_ERR_NULL;
    sl_status st = sl__cy_model_check_points(m, p, who);
    if (st != SL_OK) return st;
    double *det = sl__alloc(m->ctx, sizeof(double) * (size_t)p->n, 0, who);
    if (!det) return SL_ERR_NOMEM;
    double a, b, k = 0;
    if (m->opts.kind != SL_CY_KIND_PHI)   /* the Kahler and transition terms only when asked for */
        st = sl__cy_fsnet_eval(m, p, who, loss || tr, &a, &b, &k, det, NULL, NULL);
    else
        st = sl__cy_model_eval(m, p, who, &a, &b, det, NULL, NULL);
    if (st == SL_OK) {
        double n = (double)p->n;
        if (loss) *loss = (a + b + k) / n;
        if (ma) *ma = a / n;
        if (tr) *tr = b / n;
        if (sigma) {
            st = sl_cy_points_sigma(p, det, sigma);
            if (st != SL_OK) st = sl__rewho(m->ctx, st, who);
        }
    }
    sl__free(m->ctx, det);
    return st;
}

sl_status sl_cy_model_loss_grad(const sl_cy_model *m, const sl_cy_points *p, double *loss, double *grad)
{
    const char *who = "sl_cy_model_loss_grad";
    if (!m) return SL_ERR_NULL;
    sl_status st = sl__cy_model_check_points(m, p, who);
    if (st != SL_OK) return st;
    if (!grad) return sl__fail(m->ctx, SL_ERR_NULL, "%s: grad is NULL", who);
    double a, b, k = 0;
    if (m->opts.kind != SL_CY_KIND_PHI) st = sl__cy_fsnet_eval(m, p, who, 1, &a, &b, &k, NULL, NULL, grad);
    else st = sl__cy_model_eval(m, p, who, &a, &b, NULL, NULL, grad);
    if (st == SL_OK && loss) *loss = (a + b + k) / (double)p->n;
    return st;
}

sl_status sl_cy_model_kahler(const sl_cy_model *m, const sl_cy_points *p, double *kahler)
{
    const char *who = "sl_cy_model_kahler";
    if (!m) return SL_ERR_NULL;
    sl_status st = sl__cy_model_check_points(m, p, who);
    if (st != SL_OK) return st;
    if (!kahler) return sl__fail(m->ctx, SL_ERR_NULL, "%s: kahler is NULL", who);
    if (m->opts.kind == SL_CY_KIND_PHI) {
        *kahler = 0;
        return SL_OK;
    }
    double a, b, k;
    st = sl__cy_fsnet_eval(m, p, who, 1, &a, &b, &k, NULL, NULL, NULL);
    if (st == SL_OK) *kahler = k / (double)p->n;
    return st;
}
