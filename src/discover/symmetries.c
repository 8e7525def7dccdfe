/* sl_discover_symmetries: check the options, run a solver, analyse the
 * generators it found. */
#include "symmetry_internal.h"

#include <stdio.h>

static sl_status discover_symmetries(sl_ctx *ctx, const sl_symmetry_opts *opts, sl_symmetry_result **out);

/* The context's thread count holds for this call only (sl__threads_enter). */
sl_status sl_discover_symmetries(sl_ctx *ctx, const sl_symmetry_opts *opts, sl_symmetry_result **out)
{
    sl_thread_state threads;
    sl__threads_enter(ctx, &threads);
    sl_status st = discover_symmetries(ctx, opts, out);
    sl__threads_leave(&threads);
    return st;
}

static sl_status discover_symmetries(sl_ctx *ctx, const sl_symmetry_opts *opts, sl_symmetry_result **out)
{
    const char *who = "sl_discover_symmetries";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return sl__fail(NULL, SL_ERR_NULL, "%s: ctx is NULL", who);
    if (!opts) return sl__fail(ctx, SL_ERR_NULL, "%s: opts is NULL", who);
    if (opts->ctx != ctx) return sl__fail(ctx, SL_ERR_GRAPH, "%s: opts belong to another context", who);
    if (opts->noracles == 0) return sl__fail(ctx, SL_ERR_STATE, "%s: no oracle (add one with sl_symmetry_opts_oracle_*)", who);
    int n = opts->n, nn = n * n;
    if (nn > 8192) return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: n = %d (n^2 must be <= 8192)", who, n);
    /* gl(n) has n^2 dimensions: more generators cannot be independent */
    if (opts->ng > nn)
        return sl__fail(ctx, SL_ERR_ARG, "%s: N_g = %d generators on R^%d (must be <= n^2 = %d, the dimension of gl(n))",
                        who, opts->ng, n, nn);
    if (opts->scan_hi > nn)
        return sl__fail(ctx, SL_ERR_ARG, "%s: scan up to N_g = %d on R^%d (must be <= n^2 = %d, the dimension of gl(n))",
                        who, opts->scan_hi, n, nn);
    sl_symmetry_result *r = sl__symmetry_result_new(ctx, n);
    if (!r) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    r->solver = opts->solver;
    sl_status st = opts->solver == SL_SYM_TRAINED ? sl__symmetry_trained(ctx, opts, r)
                                                  : sl__symmetry_exact(ctx, opts, r);
    if (!st) st = sl__symmetry_result_analyse(r);
    if (st) {
        sl_symmetry_result_destroy(r);
        /* a failure inside (an sl_lie_* or sl_graph_* call, a user oracle) is
         * reported as ours, with its own message after the colon */
        if (strncmp(sl_ctx_errmsg(ctx), who, strlen(who)) != 0) {
            char inner[SL_ERRMSG_LEN];
            snprintf(inner, sizeof inner, "%s", sl_ctx_errmsg(ctx));
            sl__fail(ctx, st, "%s: %s", who, inner[0] ? inner : sl_status_string(st));
        }
        return st;
    }
    *out = r;
    return SL_OK;
}
