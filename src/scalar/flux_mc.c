/* Weight tables and the Monte Carlo driver of the flux representation: one
 * sweep = an l Metropolis sweep and a fixed number of worms (flux_kernel.h). */
#include "scalar_internal.h"

#include <math.h>

sl_status sl__flux_tables(sl_flux *F, const char *who, int64_t need, int rebuild)
{
    if (!rebuild && need <= F->fcap) return SL_OK;
    int64_t cap = F->fcap > 0 ? F->fcap : 256;
    while (cap < need) cap *= 2;
    double *t[6], *lw = sl__alloc(F->ctx, (size_t)(cap + 2) * sizeof(double), 0, who);
    int bad = !lw;
    for (int i = 0; i < 6; ++i) bad |= !(t[i] = sl__alloc(F->ctx, (size_t)(i < 4 ? 1 : 2) * (size_t)cap * sizeof(double), 0, who));
    if (bad) {
        sl__free(F->ctx, lw);
        for (int i = 0; i < 6; ++i) sl__free(F->ctx, t[i]);
        return SL_ERR_NOMEM;
    }
    for (int64_t f = 0; f < cap + 2; ++f) lw[f] = sl__flux_logw(F->eta, F->lambda, f);
    for (int64_t f = 0; f < cap; ++f) {
        t[0][f] = exp(lw[f + 1] - lw[f]);
        t[1][f] = f >= 1 ? exp(lw[f - 1] - lw[f]) : 0.0;
        t[2][f] = exp(lw[f + 2] - lw[f]);
        t[3][f] = f >= 2 ? exp(lw[f - 2] - lw[f]) : 0.0;
        t[4][2 * f] = t[1][f];
        t[4][2 * f + 1] = t[0][f];
        t[5][2 * f] = t[3][f];
        t[5][2 * f + 1] = t[2][f];
    }
    sl__free(F->ctx, lw);
    sl__free(F->ctx, F->r1);
    sl__free(F->ctx, F->d1);
    sl__free(F->ctx, F->r2);
    sl__free(F->ctx, F->d2);
    sl__free(F->ctx, F->rd1);
    sl__free(F->ctx, F->rd2);
    F->r1 = t[0];
    F->d1 = t[1];
    F->r2 = t[2];
    F->d2 = t[3];
    F->rd1 = t[4];
    F->rd2 = t[5];
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
    s->d1 = g->F->d1;
    s->r2 = g->F->r2;
    s->d2 = g->F->d2;
    s->rd1 = g->F->rd1;
    s->rd2 = g->F->rd2;
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
    s->nl = F->nl;
    s->r1 = F->r1;
    s->d1 = F->d1;
    s->r2 = F->r2;
    s->d2 = F->d2;
    s->rd1 = F->rd1;
    s->rd2 = F->rd2;
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
