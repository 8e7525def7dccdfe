/* Internal declarations of the scalar (flux representation) area. */
#ifndef SL_SCALAR_INTERNAL_H
#define SL_SCALAR_INTERNAL_H

#include "../core/internal.h"
#include "flux_kernel.h"

#define SL__FLUX_MAX_SIDE (1 << 20)
#define SL__FLUX_MAX_SITES (1 << 26)
#define SL__FLUX_MAX_VALUE (1 << 24)   /* |k|, l on import and load */

struct sl_flux {
    sl_ctx *ctx;
    int64_t nt, nx, n;
    double m, lambda, mu, eta;
    int32_t *k, *l;          /* 2n each, [d * n + t * nx + x] */
    int32_t *f;              /* n, SF-3, kept up to date by every change */
    int32_t *nbr;            /* 4n: forward t, forward x, backward t, backward x */
    int32_t *nl;             /* 8n: neighbour and changed link per (site, dir) (sl__fk.nl) */
    double *r1, *d1, *r2, *d2; /* W(f+1)/W(f), W(f-1)/W(f), W(f+2)/W(f), W(f-2)/W(f), f < fcap */
    double *rd1, *rd2;       /* interleaved, 2 fcap: rd1[2f] = d1[f], rd1[2f+1] = r1[f]; rd2 from d2, r2 */
    int64_t fcap;
    int32_t maxf;            /* upper bound of f */
    uint64_t counter;
    uint64_t worms, steps, accepted, lprop, lacc;
};

/* log W(f) of SF-4 (no argument checks). */
SL_HIDDEN double sl__flux_logw(double eta, double lambda, int64_t f);
/* Parameters valid for a configuration: 0, or an SL_ERR_ARG recorded for who. */
SL_HIDDEN sl_status sl__flux_check_params(sl_ctx *ctx, const char *who, double m, double lambda, double mu);
/* Weight tables for f < need (at least), rebuilt for new (eta, lambda) when
 * rebuild != 0.  SL_ERR_NOMEM leaves the old tables. */
SL_HIDDEN sl_status sl__flux_tables(sl_flux *F, const char *who, int64_t need, int rebuild);
/* Recompute f and maxf from k and l. */
SL_HIDDEN void sl__flux_recompute_f(sl_flux *F);
/* A new configuration (zero fields) without parameter checks beyond sizes. */
SL_HIDDEN sl_status sl__flux_new(sl_ctx *ctx, const char *who, int64_t nt, int64_t nx, double m, double lambda,
                                 double mu, sl_flux **out);
/* First site with div != 0, or -1. */
SL_HIDDEN int64_t sl__flux_open_site(const sl_flux *F);

#endif
