/* The exact solver: d/deps phi((1 + eps J) x) = <grad phi(x) x^T, J>_F, so the
 * symmetry algebra is the null space of the stacked rows vec(grad phi(x_i) x_i^T)
 * (summed over the arguments of a multi-vector oracle), found by an SVD. */
#include "symmetry_internal.h"
#include "../analysis/lie_internal.h"

#include <math.h>

double *sl__oracle_samples(const sl_symmetry_opts *o, int k, int64_t *m)
{
    const sl__oracle *r = o->oracles[k];
    size_t w = (size_t)r->nargs * r->n;
    if (r->x) {
        *m = r->m;
        double *x = sl__alloc(o->ctx, sizeof(double) * (size_t)r->m * w, 0, "sl_discover_symmetries");
        if (x) memcpy(x, r->x, sizeof(double) * (size_t)r->m * w);
        return x;
    }
    int64_t mm = o->m > 0 ? o->m : 300;
    if (o->m <= 0 && mm < 2 * (int64_t)r->n * r->n) mm = 2 * (int64_t)r->n * r->n;
    *m = mm;
    double *x = sl__alloc(o->ctx, sizeof(double) * (size_t)mm * w, 0, "sl_discover_symmetries");
    if (x) sl_rng_fill_normal(o->seed + 0x9E3779B97F4A7C15ULL * (uint64_t)(k + 1), 0, (size_t)mm * w, 0, 1, x);
    return x;
}

/* Index of the first sample row (of width w) holding a non-finite value, or -1. */
static int64_t bad_row(const double *v, int64_t m, size_t w)
{
    int64_t k = sl__first_nonfinite(v, (size_t)m * w);
    return k < 0 ? -1 : k / (int64_t)w;
}

sl_status sl__oracle_eval(sl_ctx *ctx, const sl__oracle *r, int64_t m, const double *x, double *grad)
{
    const char *who = "sl_discover_symmetries";
    int w = r->nargs * r->n, nout = r->nout;
    size_t gw = (size_t)nout * w;
    int64_t bad;
    if (r->cfn) {
        /* zeroed, so that entries a callback leaves unwritten read as 0 */
        double *phi = sl__alloc(ctx, sizeof(double) * (size_t)m * nout, 1, who);
        if (!phi) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        if (grad) memset(grad, 0, sizeof(double) * (size_t)m * gw);
        int rc = r->cfn(r->cuser, m, r->n, r->nargs, x, nout, phi, grad);
        sl_status st = SL_OK;
        if (rc != 0) st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: the C oracle returned %d", who, rc);
        else if ((bad = bad_row(phi, m, (size_t)nout)) >= 0)
            st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the C oracle returned a non-finite value at sample point %lld", who,
                          (long long)bad);
        else if (grad && (bad = bad_row(grad, m, gw)) >= 0)
            st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the C oracle returned a non-finite gradient at sample point %lld",
                          who, (long long)bad);
        sl__free(ctx, phi);
        return st;
    }
    if (nout > 64) return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: graph oracles with more than 64 outputs", who);
    sl_graph *g = NULL;
    sl_plan *p = NULL;
    sl_status st = sl_graph_create(ctx, &g);
    if (st) return st;
    sl_node *X = sl_graph_input(g, SL_F64, 2, (int64_t[]){m, w}, "x");
    sl_node *args[16];
    for (int k = 0; k < r->nargs; ++k) args[k] = sl_graph_slice(g, X, 1, (int64_t)k * r->n, (int64_t)(k + 1) * r->n, 1);
    sl_node *phi = sl_graph_status(g) == SL_OK ? r->gfn(g, r->nargs, args, r->user) : NULL;
    if (!phi || sl_graph_status(g) != SL_OK) {
        st = sl_graph_status(g) ? sl_graph_status(g)
                                : sl__fail(ctx, SL_ERR_ARG, "%s: the oracle returned NULL", who);
        goto done;
    }
    int ok = (sl_node_rank(phi) == 1 && nout == 1 && sl_node_dim(phi, 0) == m) ||
             (sl_node_rank(phi) == 2 && sl_node_dim(phi, 0) == m && sl_node_dim(phi, 1) == nout);
    if (sl_node_dtype(phi) != SL_F64 || !ok) {
        st = sl__fail(ctx, SL_ERR_SHAPE, "%s: the oracle returned a node of rank %d (must be real, (m) or (m, %d) with m = %lld)",
                      who, sl_node_rank(phi), nout, (long long)m);
        goto done;
    }
    /* outputs: phi, then d phi_c / dx for each c */
    sl_node *outs[65];
    outs[0] = phi;
    int nouts = 1;
    for (int c = 0; grad && c < nout; ++c) {
        sl_node *pc = nout == 1 ? phi : sl_graph_slice(g, phi, 1, c, c + 1, 1);
        outs[nouts++] = sl_graph_grad1(g, sl_graph_sum(g, pc), X);
    }
    if ((st = sl_graph_status(g)) != SL_OK) goto done;
    if ((st = sl_plan_create(g, nouts, outs, &p)) != SL_OK) goto done;
    sl_plan_bind(p, X, x);
    if ((st = sl_plan_run(p)) != SL_OK) goto done;
    if ((bad = bad_row(sl_plan_output(p, 0), m, (size_t)nout)) >= 0) {
        st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the oracle returned a non-finite value at sample point %lld", who,
                      (long long)bad);
        goto done;
    }
    for (int c = 0; grad && c < nout; ++c) {
        const double *gc = sl_plan_output(p, 1 + c);
        if ((bad = bad_row(gc, m, (size_t)w)) >= 0) {
            st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the oracle's gradient is not finite at sample point %lld", who,
                          (long long)bad);
            goto done;
        }
        for (int64_t i = 0; i < m; ++i)
            memcpy(grad + ((size_t)i * nout + c) * w, gc + (size_t)i * w, sizeof(double) * w);
    }
done:
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    return st;
}

sl_status sl__symmetry_rows(sl_ctx *ctx, const sl_symmetry_opts *o, double **Rout, int *rowsout,
                            double **rowweight)
{
    double *wt = NULL;
    const char *who = "sl_discover_symmetries";
    int n = o->n;
    size_t nn = (size_t)n * n;
    int64_t total = 0;
    double *R = NULL;
    sl_status st = SL_OK;
    for (int k = 0; k < o->noracles; ++k) {
        const sl__oracle *r = o->oracles[k];
        int64_t mm = o->m > 0 ? o->m : 300;
        if (o->m <= 0 && mm < 2 * (int64_t)n * n) mm = 2 * (int64_t)n * n;
        total += (r->x ? r->m : mm) * r->nout;
    }
    if (total > (int64_t)1 << 30)
        return sl__fail(ctx, SL_ERR_ARG, "%s: too many sample rows (%lld, must be <= 2^30: fewer samples or outputs)", who,
                        (long long)total);
    total = 0;
    for (int k = 0; k < o->noracles && !st; ++k) {
        const sl__oracle *r = o->oracles[k];
        int64_t m = 0;
        double *x = sl__oracle_samples(o, k, &m);
        size_t w = (size_t)r->nargs * n;
        double *grad = x ? sl__alloc(ctx, sizeof(double) * (size_t)m * r->nout * w, 0, who) : NULL;
        double *R2 = grad ? sl__alloc(ctx, sizeof(double) * (size_t)(total + m * r->nout) * nn, 0, who) : NULL;
        double *w2 = R2 ? sl__alloc(ctx, sizeof(double) * (size_t)(total + m * r->nout), 0, who) : NULL;
        if (!w2) {
            st = SL_ERR_NOMEM;
            sl__free(ctx, R2);
        } else {
            if (total) memcpy(R2, R, sizeof(double) * (size_t)total * nn);
            if (total) memcpy(w2, wt, sizeof(double) * (size_t)total);
            for (int64_t i = 0; i < m * r->nout; ++i) w2[total + i] = 1.0 / (double)m;
            sl__free(ctx, R);
            sl__free(ctx, wt);
            R = R2;
            wt = w2;
            st = sl__oracle_eval(ctx, r, m, x, grad);
        }
        if (!st) {
            for (int64_t i = 0; i < m; ++i)
                for (int c = 0; c < r->nout; ++c) {
                    double *row = R + (size_t)(total + i * r->nout + c) * nn;
                    const double *gi = grad + ((size_t)i * r->nout + c) * w, *xi = x + (size_t)i * w;
                    memset(row, 0, sizeof(double) * nn);
                    for (int a = 0; a < r->nargs; ++a)
                        for (int p = 0; p < n; ++p) {
                            double gp = gi[a * n + p];
                            for (int q = 0; q < n; ++q) row[p * n + q] += gp * xi[a * n + q];
                        }
                }
            total += m * r->nout;
        }
        sl__free(ctx, x);
        sl__free(ctx, grad);
    }
    if (st) {
        sl__free(ctx, R);
        sl__free(ctx, wt);
        return st == SL_ERR_NOMEM ? sl__fail(ctx, st, "%s: out of memory", who) : st;
    }
    *Rout = R;
    *rowsout = (int)total;
    if (rowweight) *rowweight = wt;
    else sl__free(ctx, wt);
    return SL_OK;
}

/* Unit rows: the null space is unchanged, the scale of phi drops out. */
static void normalise_rows(int rows, int nn, double *R)
{
    for (int i = 0; i < rows; ++i) {
        double *row = R + (size_t)i * nn, s = 0;
        for (int k = 0; k < nn; ++k) s += row[k] * row[k];
        if (s > 0) {
            s = 1 / sqrt(s);
            for (int k = 0; k < nn; ++k) row[k] *= s;
        }
    }
}

sl_status sl__symmetry_null_dim(sl_ctx *ctx, const sl_symmetry_opts *o, double tol, int *dim)
{
    int nn = o->n * o->n, rows = 0;
    double *R = NULL;
    sl_status st = sl__symmetry_rows(ctx, o, &R, &rows, NULL);
    if (st) return st;
    normalise_rows(rows, nn, R);
    st = sl__nullspace(ctx, "sl_discover_symmetries", rows, nn, R, tol, dim, NULL, NULL);
    sl__free(ctx, R);
    return st;
}

sl_status sl__symmetry_exact(sl_ctx *ctx, const sl_symmetry_opts *o, sl_symmetry_result *r)
{
    const char *who = "sl_discover_symmetries";
    int n = o->n, nn = n * n, rows = 0;
    double *R = NULL;
    sl_status st = sl__symmetry_rows(ctx, o, &R, &rows, NULL);
    if (st) return st;
    normalise_rows(rows, nn, R);
    double *sv = sl__alloc(ctx, sizeof(double) * nn, 1, who);
    double *vt = sl__alloc(ctx, sizeof(double) * (size_t)nn * nn, 0, who);
    if (!sv || !vt) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    st = sl__svd(ctx, who, rows, nn, R, sv, vt);
    if (st) goto done;
    int mn = rows < nn ? rows : nn;
    double tol = o->tol_set ? o->tol : 1e-8, smax = mn ? sv[0] : 0;
    int kept = 0;
    if (smax > 1e-300)
        while (kept < mn && sv[kept] > tol * smax) ++kept;
    int null = nn - kept;
    /* sigma_kept_min / sigma_null_max (rows < nn: missing values are 0) */
    double snull = null > 0 && kept < mn ? sv[kept] : 0;
    r->gap = kept == 0 ? NAN : (null == 0 ? NAN : (snull > 0 ? sv[kept - 1] / snull : INFINITY));
    r->nsv = nn;
    r->sv = sv;
    sv = NULL;
    r->tol_base = tol;
    r->tol_slope = 0;
    /* sigma / sigma_max of the N_g-th most invariant direction (0: below all rows) */
#define RATIO(ng) ((ng) >= 1 && nn - (ng) < mn && smax > 1e-300 ? r->sv[nn - (ng)] / smax : 0.0)
    int d = o->ng > 0 ? o->ng : null;
    /* Scan: loss of the N_g most invariant directions = sum of their sigma^2. */
    if (o->scan_lo > 0) {
        int cnt = o->scan_hi - o->scan_lo + 1;
        r->scan_ng = sl__alloc(ctx, sizeof(int) * cnt, 0, who);
        r->scan_loss = sl__alloc(ctx, sizeof(double) * cnt, 0, who);
        if (!r->scan_ng || !r->scan_loss) {
            st = SL_ERR_NOMEM;
            goto done;
        }
        for (int t = 0; t < cnt; ++t) {
            int ng = o->scan_lo + t;
            double s = 0;
            for (int k = nn - 1; k >= nn - ng; --k) s += r->sv[k] * r->sv[k];
            r->scan_ng[t] = ng;
            r->scan_loss[t] = s;
        }
        r->nscan = cnt;
        if (o->ng == 0) {
            d = 0;
            for (int t = 0; t < cnt; ++t)
                if (r->scan_ng[t] <= null) d = r->scan_ng[t];
        }
    }
    char *txt = r->reason_text;
    size_t cap = sizeof r->reason_text;
    if (o->ng > 0) {
        r->reason = SL_SYM_REASON_FIXED;
        snprintf(txt, cap, "N_g = %d as requested: the %d most invariant directions (sigma/sigma_max of the last %.3g, "
                 "tolerance %.3g; %d directions below it)", d, d, RATIO(d), tol, null);
    } else if (d > 0) {
        r->reason = SL_SYM_REASON_FOUND;
        if (o->scan_lo > 0 && d == o->scan_hi && null > d)
            snprintf(txt, cap, "N_g = %d met the tolerance and ends the scan (%d directions are below the tolerance)", d, null);
        else if (d < nn)
            snprintf(txt, cap, "N_g = %d: sigma/sigma_max %.3g above tolerance %.3g", d + 1, RATIO(d + 1), tol);
        else
            snprintf(txt, cap, "every direction is invariant (the oracle does not depend on x)");
    } else {
        r->reason = SL_SYM_REASON_NONE;
        int ng = o->scan_lo > 0 ? o->scan_lo : 1;
        snprintf(txt, cap, "N_g = %d: sigma/sigma_max %.3g above tolerance %.3g", ng, RATIO(ng), tol);
    }
#undef RATIO
    double inv = 0;
    for (int k = nn - 1; k >= nn - d; --k) inv += r->sv[k] * r->sv[k];
    r->loss[SL_SYM_LOSS_TOTAL] = r->loss[SL_SYM_LOSS_INVARIANCE] = inv;
    r->d = d;
    if (d > 0) {
        r->gens = sl__alloc(ctx, sizeof(double) * (size_t)d * nn, 0, who);
        if (!r->gens) {
            st = SL_ERR_NOMEM;
            goto done;
        }
        /* the d smallest directions, normalised to Tr J J^T = 2 */
        for (int a = 0; a < d; ++a)
            for (int k = 0; k < nn; ++k) r->gens[(size_t)a * nn + k] = sqrt(2.0) * vt[(size_t)(nn - d + a) * nn + k];
        if (o->sparsify) st = sl_lie_sparsify(ctx, d, n, r->gens);
    }
done:
    if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", who);
    sl__free(ctx, R);
    sl__free(ctx, sv);
    sl__free(ctx, vt);
    return st;
}
