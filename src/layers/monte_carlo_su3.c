/* The Monte Carlo driver: sweeps of SU(2) heat bath (N = 2), or for N >= 3
 * the Cabibbo-Marinari heat bath on every SU(2) subgroup (i, j) (Cabibbo and
 * Marinari, PLB 119 (1982) 387) followed by overrelaxation sweeps (Creutz,
 * PRD 36 (1987) 515: s = (V^+)^2 leaves the action unchanged). */
#include "monte_carlo.h"

#include <math.h>

sl_status sl_gauge_heatbath(sl_gauge *U, double beta, int nsweeps, int n_over, uint64_t seed)
{
    const char *who = "sl_gauge_heatbath";
    if (!U) return SL_ERR_NULL;
    if (U->in_place || !U->own) return sl__fail(U->ctx, SL_ERR_STATE, "%s: U reads a host array in place (use a library-owned field)", who);
    if (!(beta >= 0) || !isfinite(beta)) return sl__fail(U->ctx, SL_ERR_ARG, "%s: beta = %g", who, beta);
    if (nsweeps < 0 || n_over < 0) return sl__fail(U->ctx, SL_ERR_ARG, "%s: nsweeps = %d, n_over = %d", who, nsweeps, n_over);
    if (U->nd < 2) return sl__fail(U->ctx, SL_ERR_ARG, "%s: nd = 1 has no plaquettes", who);
    int n = U->nc, n2 = n * n;
    cplx A[SL_NC_MAX * SL_NC_MAX];
    for (int sw = 0; sw < nsweeps; ++sw) {
        for (int pass = 0; pass <= (n > 2 ? n_over : 0); ++pass) {
            int over = pass > 0;
            for (int64_t s = 0; s < U->volume; ++s)
                for (int mu = 0; mu < U->nd; ++mu) {
                    cplx *u = U->own + (s * U->nd + mu) * n2;
                    sl__staple(U, s, mu, A);
                    for (int i = 0; i < n; ++i)
                        for (int j = i + 1; j < n; ++j) sl__su2_subgroup_update(U, seed, beta, u, A, i, j, over);
                }
        }
        /* keep the links in SU(N) against rounding drift */
        for (int64_t l = 0; l < U->volume * U->nd; ++l) sl__mat_reunitarize(n, U->own + l * n2);
    }
    return SL_OK;
}
