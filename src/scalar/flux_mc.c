/* Weight tables and the Monte Carlo driver of the flux representation: one
 * sweep = an l Metropolis sweep and a fixed number of worms (flux_kernel.h). */
#include "scalar_internal.h"

#include <math.h>

sl_status sl__flux_tables(sl_flux *F, const char *who, int64_t need, int rebuild)
{
    if (!rebuild && need <= F->fcap) return SL_OK;
    int64_t cap = F->fcap > 0 ? F->fcap : 256;
    while (cap < need) cap *= 2;
    double *r1 = sl__alloc(F->ctx, (size_t)cap * sizeof(double), 0, who);
    double *r2 = sl__alloc(F->ctx, (size_t)cap * sizeof(double), 0, who);
    if (!r1 || !r2) {
        sl__free(F->ctx, r1);
        sl__free(F->ctx, r2);
        return SL_ERR_NOMEM;
    }
    /* r1[f] = W(f+1)/W(f) for f < cap - 1, r2[f] = W(f+2)/W(f) for f < cap - 2 */
    int64_t from = 0;
    if (!rebuild && F->fcap > 2) {
        from = F->fcap - 2;
        memcpy(r1, F->r1, (size_t)from * sizeof(double));
        memcpy(r2, F->r2, (size_t)from * sizeof(double));
    }
    double w0 = sl__flux_logw(F->eta, F->lambda, from), w1 = sl__flux_logw(F->eta, F->lambda, from + 1);
    for (int64_t f = from; f < cap; ++f) {
        double w2 = sl__flux_logw(F->eta, F->lambda, f + 2);
        r1[f] = exp(w1 - w0);
        r2[f] = exp(w2 - w0);
        w0 = w1;
        w1 = w2;
    }
    sl__free(F->ctx, F->r1);
    sl__free(F->ctx, F->r2);
    F->r1 = r1;
    F->r2 = r2;
    F->fcap = cap;
    return SL_OK;
}

typedef struct {
    sl_flux *F;
    const char *who;
} grow_user;

static int grow_cb(sl__fk *s, int64_t need, void *user)
{
    grow_user *g = user;
    if (sl__flux_tables(g->F, g->who, need, 0)) return 1;
    s->r1 = g->F->r1;
    s->r2 = g->F->r2;
    s->fcap = g->F->fcap;
    return 0;
}

static void fk_from(sl__fk *s, sl_flux *F, uint64_t seed, grow_user *g)
{
    memset(s, 0, sizeof *s);
    s->nt = F->nt;
    s->nx = F->nx;
    s->n = F->n;
    s->k = F->k;
    s->l = F->l;
    s->f = F->f;
    s->nbr = F->nbr;
    s->r1 = F->r1;
    s->r2 = F->r2;
    s->fcap = F->fcap;
    s->maxf = F->maxf;
    s->emu = exp(F->mu);
    s->emmu = exp(-F->mu);
    s->seed = seed;
    s->counter = F->counter;
    s->grow = grow_cb;
    s->user = g;
    s->variant = SL__FK_CORRECT;
}

static void fk_back(const sl__fk *s, sl_flux *F)
{
    F->maxf = s->maxf;
    F->counter = s->counter;
    F->worms += s->worms;
    F->steps += s->steps;
    F->accepted += s->accepted;
    F->lprop += s->lprop;
    F->lacc += s->lacc;
}

static sl_status run(sl_flux *F, const char *who, int64_t nsweeps, int64_t nworms, int lmode, uint64_t seed,
                     double *n, double *phi2, int64_t *q)
{
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    sl_ctx *ctx = F->ctx;
    if (nsweeps < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: nsweeps = %lld (must be >= 0)", who, (long long)nsweeps);
    if (nworms < 0 || nworms > ((int64_t)1 << 40))
        return sl__fail(ctx, SL_ERR_ARG, "%s: nworms = %lld (must be in 0..2^40)", who, (long long)nworms);
    int km;
    switch (lmode) {
    case SL_FLUX_L_AUTO: km = (F->nt % 2 == 0 && F->nx % 2 == 0) ? 1 : 2; break;
    case SL_FLUX_L_CHECKERBOARD:
        if (F->nt % 2 || F->nx % 2)
            return sl__fail(ctx, SL_ERR_SHAPE,
                            "%s: checkerboard l update on a %lld x %lld lattice (needs even sizes; use "
                            "SL_FLUX_L_SEQUENTIAL or SL_FLUX_L_AUTO)",
                            who, (long long)F->nt, (long long)F->nx);
        km = 1;
        break;
    case SL_FLUX_L_SEQUENTIAL: km = 2; break;
    case SL_FLUX_L_NONE: km = 0; break;
    default: return sl__fail(ctx, SL_ERR_ARG, "%s: lmode = %d (one of SL_FLUX_L_*)", who, lmode);
    }
    int64_t open = sl__flux_open_site(F);
    if (open >= 0)
        return sl__fail(ctx, SL_ERR_STATE,
                        "%s: the configuration is not closed (div != 0 at t = %lld, x = %lld): sweeps need a closed one",
                        who, (long long)(open / F->nx), (long long)(open % F->nx));
    grow_user g = {F, who};
    sl__fk s;
    fk_from(&s, F, seed, &g);
    if (sl__fk_room(&s, 4)) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory (weight table)", who);
    for (int64_t i = 0; i < nsweeps; ++i) {
        if (sl__fk_sweep(&s, km, nworms)) {
            fk_back(&s, F);
            return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory (weight table) in sweep %lld: configuration left open",
                            who, (long long)i);
        }
        if (n || q) {
            int64_t w = sl__fk_winding(&s);
            if (n) n[i] = (double)w / (double)F->nx;
            if (q) q[i] = w;
        }
        if (phi2) phi2[i] = sl__fk_phi2(&s);
    }
    fk_back(&s, F);
    return SL_OK;
}

sl_status sl_flux_sweep(sl_flux *F, int64_t nsweeps, int64_t nworms, int lmode, uint64_t seed)
{
    return run(F, "sl_flux_sweep", nsweeps, nworms, lmode, seed, NULL, NULL, NULL);
}

sl_status sl_flux_run(sl_flux *F, int64_t nsweeps, int64_t nworms, int lmode, uint64_t seed, double *n, double *phi2,
                      int64_t *q)
{
    return run(F, "sl_flux_run", nsweeps, nworms, lmode, seed, n, phi2, q);
}
