/* Training checkpoints: optimiser state and RNG positions as container
 * records (checkpoint.h). */
#include "checkpoint.h"
#include "../optim/optim_internal.h"

#include <math.h>

#define T_KIND SL__TAG('K', 'I', 'N', 'D')
#define T_OPTF SL__TAG('O', 'P', 'T', 'F')   /* real options */
#define T_OPTI SL__TAG('O', 'P', 'T', 'I')   /* integer options */
#define T_NCMP SL__TAG('N', 'C', 'M', 'P')
#define T_STEP SL__TAG('S', 'T', 'E', 'P')
#define T_PRMS SL__TAG('P', 'R', 'M', 'S')
#define T_M SL__TAG('M', ' ', ' ', ' ')
#define T_V SL__TAG('V', ' ', ' ', ' ')
#define T_VMAX SL__TAG('V', 'M', 'A', 'X')
#define T_NITR SL__TAG('N', 'I', 'T', 'R')
#define T_LBFS SL__TAG('L', 'B', 'F', 'S')   /* t, hdiag */
#define T_DIR SL__TAG('D', 'I', 'R', ' ')
#define T_GPRV SL__TAG('G', 'P', 'R', 'V')
#define T_HLEN SL__TAG('H', 'L', 'E', 'N')
#define T_SHIS SL__TAG('S', 'H', 'I', 'S')
#define T_YHIS SL__TAG('Y', 'H', 'I', 'S')
#define T_RHO SL__TAG('R', 'H', 'O', ' ')

/* The options that must match for a bit-identical resume (lr is restored). */
enum { NOPTF = 8, NOPTI = 6 };
static void opt_values(const sl_optim_opts *q, double *f, int64_t *i)
{
    double fv[NOPTF] = {q->momentum, q->dampening, q->beta1, q->beta2, q->eps, q->weight_decay, q->tolerance_grad,
                        q->tolerance_change};
    int64_t iv[NOPTI] = {q->nesterov, q->amsgrad, q->history, q->max_iter, q->max_eval, q->line_search};
    memcpy(f, fv, sizeof fv);
    memcpy(i, iv, sizeof iv);
}
static const char *optf_name[NOPTF] = {"momentum", "dampening", "beta1", "beta2", "eps", "weight_decay",
                                       "tolerance_grad", "tolerance_change"};
static const char *opti_name[NOPTI] = {"nesterov", "amsgrad", "history", "max_iter", "max_eval", "line_search"};

/* The L-BFGS pair at logical position k (0 = oldest). */
static int hist_slot(const sl_optim *o, int k) { return (o->hist_start + k) % o->o.history; }

void sl__optim_state_put(sl__cw *w, uint32_t tag, const sl_optim *o)
{
    if (w->st) return;
    size_t n = (size_t)o->n;
    double f[NOPTF + 1];
    int64_t iv[NOPTI];
    opt_values(&o->o, f + 1, iv);
    f[0] = o->o.lr;
    sl__cw_blob_begin(w, tag);
    sl__cw_i64_1(w, T_KIND, o->o.kind);
    sl__cw_f64(w, T_OPTF, f, NOPTF + 1);
    sl__cw_i64(w, T_OPTI, iv, NOPTI);
    sl__cw_i64_1(w, T_NCMP, o->n);
    sl__cw_i64_1(w, T_STEP, o->step);
    /* the parameters, param by param in optimiser order */
    double *x = sl__alloc(w->ctx, sizeof(double) * (n ? n : 1), 0, w->who);
    if (!x) {
        w->st = SL_ERR_NOMEM;
        return;
    }
    sl__optim_get(o, x);
    sl__cw_f64(w, T_PRMS, x, n);
    if (o->m) sl__cw_f64(w, T_M, o->m, n);
    if (o->v) sl__cw_f64(w, T_V, o->v, n);
    if (o->vmax) sl__cw_f64(w, T_VMAX, o->vmax, n);
    if (o->o.kind == SL_OPTIM_LBFGS) {
        double lb[2] = {o->t, o->hdiag};
        sl__cw_i64_1(w, T_NITR, o->n_iter);
        sl__cw_f64(w, T_LBFS, lb, 2);
        sl__cw_f64(w, T_DIR, o->d, n);
        sl__cw_f64(w, T_GPRV, o->gprev, n);
        sl__cw_i64_1(w, T_HLEN, o->hist_len);
        /* the pairs oldest first (record tags 0, 1, ... inside SHIS and YHIS) */
        sl__cw_blob_begin(w, T_SHIS);
        for (int k = 0; k < o->hist_len; ++k) sl__cw_f64(w, (uint32_t)k, o->s_hist + (size_t)hist_slot(o, k) * n, n);
        sl__cw_blob_end(w);
        sl__cw_blob_begin(w, T_YHIS);
        for (int k = 0; k < o->hist_len; ++k) sl__cw_f64(w, (uint32_t)k, o->y_hist + (size_t)hist_slot(o, k) * n, n);
        sl__cw_blob_end(w);
        double rho[64], *rp = o->hist_len <= 64 ? rho : sl__alloc(w->ctx, sizeof(double) * (size_t)o->hist_len, 0, w->who);
        if (!rp) w->st = SL_ERR_NOMEM;
        else {
            for (int k = 0; k < o->hist_len; ++k) rp[k] = o->rho[hist_slot(o, k)];
            sl__cw_f64(w, T_RHO, rp, (size_t)o->hist_len);
            if (rp != rho) sl__free(w->ctx, rp);
        }
    }
    sl__free(w->ctx, x);
    sl__cw_blob_end(w);
}

/* Decode count little-endian doubles of a validated record into out. */
static void copy_f64(const sl__crd *r, uint32_t tag, double *out, size_t count)
{
    sl__rec rec;
    if (!sl__crd_find(r, tag, &rec)) return;
    for (size_t i = 0; i < count; ++i) {
        uint64_t v = sl__le64_get(rec.data + 8 * i);
        memcpy(out + i, &v, 8);
    }
}

static sl_status opt_mismatch(const sl__crd *r, const char *what, double stored, double ours)
{
    return sl__fail(r->ctx, SL_ERR_ARG, "%s: '%s': the checkpoint was written with %s = %.17g, this optimiser has %.17g",
                    r->who, r->name, what, stored, ours);
}

sl_status sl__optim_state_get(const sl__crd *parent, uint32_t tag, sl_optim *o)
{
    sl__crd rr, *r = &rr;
    sl_status st = sl__crd_blob(parent, tag, r);
    if (st) return st;
    int64_t kind, n, step, n_iter = 0, hlen = 0;
    double f[NOPTF + 1], ours_f[NOPTF];
    int64_t iv[NOPTI], ours_i[NOPTI];
    if ((st = sl__crd_i64_1(r, T_KIND, SL_OPTIM_SGD, SL_OPTIM_LBFGS, &kind)) ||
        (st = sl__crd_f64(r, T_OPTF, f, NOPTF + 1, 1)) || (st = sl__crd_i64(r, T_OPTI, iv, NOPTI)) ||
        (st = sl__crd_i64_1(r, T_NCMP, 0, SL_MAX_ELEMENTS, &n)) || (st = sl__crd_i64_1(r, T_STEP, 0, INT64_MAX, &step)))
        return st;
    if (kind != o->o.kind)
        return sl__fail(r->ctx, SL_ERR_ARG, "%s: '%s': the checkpoint holds optimiser kind %lld, this optimiser is kind %d",
                        r->who, r->name, (long long)kind, o->o.kind);
    if (n != o->n)
        return sl__fail(r->ctx, SL_ERR_ARG, "%s: '%s': the checkpoint holds %lld parameter components, this optimiser has %lld",
                        r->who, r->name, (long long)n, (long long)o->n);
    opt_values(&o->o, ours_f, ours_i);
    for (int i = 0; i < NOPTF; ++i)
        if (memcmp(&f[i + 1], &ours_f[i], sizeof(double))) return opt_mismatch(r, optf_name[i], f[i + 1], ours_f[i]);
    for (int i = 0; i < NOPTI; ++i)
        if (iv[i] != ours_i[i]) return opt_mismatch(r, opti_name[i], (double)iv[i], (double)ours_i[i]);
    if (!(f[0] > 0)) return sl__crd_bad(r, T_OPTF, "learning rate %g (must be > 0)", f[0]);
    /* validate every vector before changing anything */
    const uint32_t vec[] = {T_PRMS, T_M, T_V, T_VMAX, T_DIR, T_GPRV};
    const int present[] = {1, o->m != NULL, o->v != NULL, o->vmax != NULL, kind == SL_OPTIM_LBFGS, kind == SL_OPTIM_LBFGS};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; ++i) {
        sl__rec rec;
        if (present[i] && (st = sl__crd_f64(r, vec[i], NULL, n, 1))) return st;
        if (!present[i] && sl__crd_find(r, vec[i], &rec)) return sl__crd_bad(r, vec[i], "not used by this optimiser");
    }
    sl__crd sh, yh;
    double lb[2] = {0, 1};
    if (kind == SL_OPTIM_LBFGS) {
        if ((st = sl__crd_i64_1(r, T_NITR, 0, INT64_MAX, &n_iter)) || (st = sl__crd_f64(r, T_LBFS, lb, 2, 1)) ||
            (st = sl__crd_i64_1(r, T_HLEN, 0, o->o.history, &hlen)) || (st = sl__crd_blob(r, T_SHIS, &sh)) ||
            (st = sl__crd_blob(r, T_YHIS, &yh)) || (st = sl__crd_f64(r, T_RHO, NULL, hlen, 1)))
            return st;
        for (int64_t k = 0; k < hlen; ++k)
            if ((st = sl__crd_f64(&sh, (uint32_t)k, NULL, n, 1)) || (st = sl__crd_f64(&yh, (uint32_t)k, NULL, n, 1))) return st;
    }
    /* now restore; nothing below can fail */
    sl__rec prm;
    sl__crd_find(r, T_PRMS, &prm);
    const unsigned char *pd = prm.data;
    for (int i = 0; i < o->nparams; ++i) {
        int64_t c = o->params[i]->numel * (o->params[i]->dtype == SL_C128 ? 2 : 1);
        double *dst = o->params[i]->data;
        for (int64_t j = 0; j < c; ++j, pd += 8) {
            uint64_t v = sl__le64_get(pd);
            memcpy(dst + j, &v, 8);
        }
    }
    o->o.lr = f[0];
    o->step = step;
    if (o->m) copy_f64(r, T_M, o->m, (size_t)n);
    if (o->v) copy_f64(r, T_V, o->v, (size_t)n);
    if (o->vmax) copy_f64(r, T_VMAX, o->vmax, (size_t)n);
    if (kind == SL_OPTIM_LBFGS) {
        o->n_iter = n_iter;
        o->t = lb[0];
        o->hdiag = lb[1];
        copy_f64(r, T_DIR, o->d, (size_t)n);
        copy_f64(r, T_GPRV, o->gprev, (size_t)n);
        o->hist_start = 0;
        o->hist_len = (int)hlen;
        double *rho = o->rho;
        copy_f64(r, T_RHO, rho, (size_t)hlen);
        for (int64_t k = 0; k < hlen; ++k) {
            copy_f64(&sh, (uint32_t)k, o->s_hist + (size_t)k * (size_t)n, (size_t)n);
            copy_f64(&yh, (uint32_t)k, o->y_hist + (size_t)k * (size_t)n, (size_t)n);
        }
    }
    return SL_OK;
}

void sl__rng_state_put(sl__cw *w, uint32_t tag, uint64_t seed, uint64_t counter)
{
    uint64_t v[2] = {seed, counter};
    sl__cw_u64(w, tag, v, 2);
}

sl_status sl__rng_state_get(const sl__crd *r, uint32_t tag, uint64_t *seed, uint64_t *counter)
{
    uint64_t v[2];
    sl_status st = sl__crd_u64(r, tag, v, 2);
    if (st) return st;
    *seed = v[0];
    *counter = v[1];
    return SL_OK;
}

sl_status sl__checkpoint_save(sl_ctx *ctx, const char *who, const char *path, const sl_optim *o, uint64_t seed,
                              uint64_t counter)
{
    sl__cw w;
    sl__cw_begin(&w, ctx, who, SL__KIND_CKPT, SL__CKPT_VERSION);
    sl__optim_state_put(&w, SL__TAG_OPTM, o);
    sl__rng_state_put(&w, SL__TAG_RNG, seed, counter);
    return sl__cw_commit(&w, path);
}

static sl_status read_ckpt(const sl__crd *r, sl_optim *o, uint64_t *seed, uint64_t *counter)
{
    uint64_t s, c;
    sl_status st = sl__rng_state_get(r, SL__TAG_RNG, &s, &c);   /* first: it cannot change o */
    if (!st) st = sl__optim_state_get(r, SL__TAG_OPTM, o);
    if (!st) {
        *seed = s;
        *counter = c;
    }
    return st;
}

sl_status sl__checkpoint_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data, size_t len,
                               sl_optim *o, uint64_t *seed, uint64_t *counter)
{
    sl__cfile f;
    sl_status st = sl__cfile_parse(ctx, who, name, data, len, SL__KIND_CKPT, SL__CKPT_VERSION, &f);
    if (!st) st = read_ckpt(&f.root, o, seed, counter);
    sl__cfile_close(&f);
    return st;
}

sl_status sl__checkpoint_load(sl_ctx *ctx, const char *who, const char *path, sl_optim *o, uint64_t *seed,
                              uint64_t *counter)
{
    sl__cfile f;
    sl_status st = sl__cfile_open(ctx, who, path, SL__KIND_CKPT, SL__CKPT_VERSION, &f);
    if (!st) st = read_ckpt(&f.root, o, seed, counter);
    sl__cfile_close(&f);
    return st;
}
