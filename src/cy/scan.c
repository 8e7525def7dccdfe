/* Scans over complex moduli: one trained phi-model per psi of the Dwork
 * quintic (issue 12, item 6; cyjax's moduli-dependent metrics train one
 * network across psi instead, arXiv 2211.12520). */
#include "scan_internal.h"

#include <math.h>

static const sl_cy_scan_opts SCAN_DEFAULTS = SL_CY_SCAN_OPTS_INIT;

sl_status sl_cy_scan_opts_init_sized(sl_cy_scan_opts *opts, size_t size)
{
    if (!opts) return SL_ERR_NULL;
    return sl__opts_init(opts, size, &SCAN_DEFAULTS, sizeof SCAN_DEFAULTS, SL_OPTS_END(sl_cy_scan_opts, stream));
}

void sl_cy_scan_destroy(sl_cy_scan *s)
{
    if (!s) return;
    sl_ctx *ctx = s->ctx;
    for (int i = 0; i < s->n; i++) {
        if (s->m) sl_cy_model_destroy(s->m[i]);
        if (s->v) sl_cy_variety_destroy(s->v[i]);
    }
    sl__free(ctx, s->m), sl__free(ctx, s->v), sl__free(ctx, s->psi), sl__free(ctx, s->sigma_fs);
    sl__free(ctx, s->sigma), sl__free(ctx, s->kappa), sl__free(ctx, s->loss), sl__free(ctx, s->epochs);
    sl__free(ctx, s);
}

int sl_cy_scan_count(const sl_cy_scan *s) { return s ? s->n : 0; }

const sl_cy_model *sl_cy_scan_model(const sl_cy_scan *s, int i) { return s && i >= 0 && i < s->n ? s->m[i] : NULL; }

sl_status sl_cy_scan_results(const sl_cy_scan *s, double *psi, double *sigma_fs, double *sigma, double *kappa,
                             double *loss)
{
    if (!s) return SL_ERR_NULL;
    const size_t n = (size_t)s->n;
    if (psi) memcpy(psi, s->psi, sizeof(double) * 2 * n);
    if (sigma_fs) memcpy(sigma_fs, s->sigma_fs, sizeof(double) * n);
    if (sigma) memcpy(sigma, s->sigma, sizeof(double) * n);
    if (kappa) memcpy(kappa, s->kappa, sizeof(double) * n);
    if (loss) memcpy(loss, s->loss, sizeof(double) * n);
    return SL_OK;
}

/* one psi: sample, sigma_FS, train, validate */
static sl_status scan_one(sl_cy_scan *s, int i, const sl_cy_scan_opts *o, const sl_cy_model_opts *mo,
                          const sl_cy_train_opts *to, const char *who)
{
    sl_ctx *ctx = s->ctx;
    const double pr = s->psi[2 * i], pi = s->psi[2 * i + 1];
    sl_cy_points *tr = NULL, *va = NULL;
    double *det = NULL;
    sl_status st = sl_cy_variety_quintic(ctx, pr, pi, &s->v[i]);
    if (st == SL_OK) st = sl_cy_sample(s->v[i], o->train_points, o->stream, &tr);
    if (st == SL_OK) st = sl_cy_sample(s->v[i], o->val_points, o->stream + 1, &va);
    if (st == SL_OK && !(det = sl__alloc(ctx, sizeof(double) * (size_t)o->val_points, 0, who))) st = SL_ERR_NOMEM;
    if (st == SL_OK) st = sl_cy_fs_metric(va, 1.0, NULL, det);
    if (st == SL_OK) st = sl_cy_points_sigma(va, det, &s->sigma_fs[i]);
    if (st == SL_OK) st = sl_discover_cy_metric(s->v[i], tr, va, mo, to, &s->m[i]);
    if (st == SL_OK) {
        sl_cy_model *m = s->m[i];
        s->kappa[i] = sl_cy_points_kappa(tr);
        s->epochs[i] = m->nepochs;
        s->loss[i] = m->hist_loss[m->nepochs - 1];
        s->sigma[i] = m->hist_sigma[m->nepochs - 1];
        sl__log(ctx, SL_LOG_INFO, "%s: psi %d/%d = %g%+gi: sigma_FS %.6g sigma %.6g kappa %.6g", who, i + 1, s->n, pr, pi,
                s->sigma_fs[i], s->sigma[i], s->kappa[i]);
    } else {
        const char *msg = sl_ctx_errmsg(ctx);
        char keep[256];
        snprintf(keep, sizeof keep, "%s", msg ? msg : "");
        st = sl__fail(ctx, st, "%s: psi = %g%+gi: %s", who, pr, pi, keep);
    }
    sl__free(ctx, det);
    sl_cy_points_destroy(va);
    sl_cy_points_destroy(tr);
    return st;
}

sl_status sl_cy_scan_quintic(sl_ctx *ctx, int npsi, const double *psi, const sl_cy_scan_opts *oin,
                             const sl_cy_model_opts *mo, const sl_cy_train_opts *to, sl_cy_scan **out)
{
    const char *who = "sl_cy_scan_quintic";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!psi) return sl__fail(ctx, SL_ERR_NULL, "%s: psi is NULL", who);
    if (npsi < 1 || npsi > 100000) return sl__fail(ctx, SL_ERR_ARG, "%s: npsi = %d (must be 1..10^5)", who, npsi);
    sl_cy_scan_opts o = SCAN_DEFAULTS;
    sl_status st;
    if (oin && (st = sl__opts_read(ctx, who, "opts", &o, sizeof o, oin, SL_OPTS_END(sl_cy_scan_opts, stream))) != SL_OK)
        return st;
    const int64_t lim = (int64_t)1 << 31;
    if (o.train_points < 1 || o.train_points > lim || o.val_points < 1 || o.val_points > lim)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts.train_points = %lld, val_points = %lld (must be 1..2^31)", who,
                        (long long)o.train_points, (long long)o.val_points);
    int64_t b = sl__first_nonfinite(psi, 2 * (size_t)npsi);
    if (b >= 0) return sl__fail(ctx, SL_ERR_ARG, "%s: psi[%lld] is not finite", who, (long long)b);
    sl_cy_scan *s = sl__alloc(ctx, sizeof *s, 1, who);
    if (!s) return SL_ERR_NOMEM;
    s->ctx = ctx;
    const size_t n = (size_t)npsi;
    s->psi = sl__alloc(ctx, sizeof(double) * 2 * n, 0, who);
    s->sigma_fs = sl__alloc(ctx, sizeof(double) * n, 0, who);
    s->sigma = sl__alloc(ctx, sizeof(double) * n, 0, who);
    s->kappa = sl__alloc(ctx, sizeof(double) * n, 0, who);
    s->loss = sl__alloc(ctx, sizeof(double) * n, 0, who);
    s->epochs = sl__alloc(ctx, sizeof(int) * n, 1, who);
    s->v = sl__alloc(ctx, sizeof(sl_cy_variety *) * n, 1, who);
    s->m = sl__alloc(ctx, sizeof(sl_cy_model *) * n, 1, who);
    if (!s->psi || !s->sigma_fs || !s->sigma || !s->kappa || !s->loss || !s->epochs || !s->v || !s->m) {
        sl_cy_scan_destroy(s);
        return SL_ERR_NOMEM;
    }
    s->n = npsi;
    memcpy(s->psi, psi, sizeof(double) * 2 * n);
    for (int i = 0; i < npsi; i++)
        if ((st = scan_one(s, i, &o, mo, to, who)) != SL_OK) {
            sl_cy_scan_destroy(s);
            return st;
        }
    *out = s;
    return SL_OK;
}
