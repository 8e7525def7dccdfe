/* sl_discover_symmetries: check the options, run a solver, analyse the
 * generators it found. */
#include "symmetry_internal.h"

sl_status sl_discover_symmetries(sl_ctx *ctx, const sl_symmetry_opts *opts, sl_symmetry_result **out)
{
    const char *who = "sl_discover_symmetries";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return sl__fail(NULL, SL_ERR_NULL, "%s: ctx is NULL", who);
    if (!opts) return sl__fail(ctx, SL_ERR_NULL, "%s: opts is NULL", who);
    if (opts->ctx != ctx) return sl__fail(ctx, SL_ERR_GRAPH, "%s: opts belong to another context", who);
    if (opts->noracles == 0) return sl__fail(ctx, SL_ERR_STATE, "%s: no oracle (add one with sl_symmetry_opts_oracle_*)", who);
    if (opts->n * opts->n > 8192)
        return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: n = %d (n^2 must be <= 8192)", who, opts->n);
    sl_symmetry_result *r = sl__symmetry_result_new(ctx, opts->n);
    if (!r) return SL_ERR_NOMEM;
    r->solver = opts->solver;
    sl_status st = opts->solver == SL_SYM_TRAINED ? sl__symmetry_trained(ctx, opts, r)
                                                  : sl__symmetry_exact(ctx, opts, r);
    if (!st) st = sl__symmetry_result_analyse(r);
    if (st) {
        sl_symmetry_result_destroy(r);
        return st;
    }
    *out = r;
    return SL_OK;
}
