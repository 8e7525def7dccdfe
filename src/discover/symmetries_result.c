/* The result of sl_discover_symmetries: generators, their analysis, accessors,
 * the printed summary and the name of the algebra. */
#include "symmetry_internal.h"
#include "../analysis/lie_internal.h"

#include <stdlib.h>

#include <errno.h>
#include <math.h>

sl_symmetry_result *sl__symmetry_result_new(sl_ctx *ctx, int n)
{
    sl_symmetry_result *r = sl__alloc(ctx, sizeof *r, 1, "sl_discover_symmetries");
    if (!r) return NULL;
    r->ctx = ctx;
    r->n = n;
    r->gap = NAN;
    r->initial_loss = NAN;
    r->closure_residual = NAN;
    for (int i = 0; i < 6; ++i) r->loss[i] = NAN;
    r->reason = SL_SYM_REASON_UNKNOWN;
    snprintf(r->reason_text, sizeof r->reason_text, "not recorded (saved files do not hold it)");
    r->tol_base = r->tol_slope = NAN;
    r->centre_kind = SL__ELEM_ELLIPTIC;
    return r;
}

void sl_symmetry_result_destroy(sl_symmetry_result *r)
{
    if (!r) return;
    sl_ctx *ctx = r->ctx;
    void *p[] = {r->gens, r->f, r->K, r->eig, r->sv, r->scan_ng, r->scan_loss, r->simple_dims};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; ++i) sl__free(ctx, p[i]);
    sl__free(ctx, r);
}

/* Restate a failure of an sl_lie_* call as ours (the user called
 * sl_discover_symmetries). */
static sl_status ours(sl_ctx *ctx, sl_status st)
{
    const char *who = "sl_discover_symmetries";
    if (st && strncmp(sl_ctx_errmsg(ctx), who, strlen(who)) != 0) {
        char inner[SL_ERRMSG_LEN];
        snprintf(inner, sizeof inner, "%s", sl_ctx_errmsg(ctx));
        sl__fail(ctx, st, "%s: %s", who, inner);
    }
    return st;
}

static int ideal_order(const void *pa, const void *pb)
{
    const sl__ideal *a = pa, *b = pb;
    if (a->dim != b->dim) return b->dim - a->dim;
    return b->nneg - a->nneg; /* compact (all negative) first */
}

/* The simple ideals: each one's own rank and Killing signature (the Killing
 * form of a reductive algebra restricted to a simple ideal is the ideal's).
 * *nid = 0 when the algebra does not split cleanly (not reductive, or
 * rounding): the name then falls back to the whole algebra. */
static sl_status simple_ideals(sl_symmetry_result *r, double tol, sl__ideal *id, int *nid)
{
    const char *who = "sl_discover_symmetries";
    sl_ctx *ctx = r->ctx;
    int d = r->d, n = r->n, nn = n * n, cnt = 0, dims[32], kinds[32];
    *nid = 0;
    double *basis = sl__alloc(ctx, sizeof(double) * (size_t)d * d, 0, who);
    double *J = sl__alloc(ctx, sizeof(double) * (size_t)d * nn, 0, who);
    double *f = sl__alloc(ctx, sizeof(double) * (size_t)d * d * d, 0, who), *K = sl__alloc(ctx, sizeof(double) * (size_t)d * d, 0, who);
    sl_status st = SL_OK;
    if (!basis || !J || !f || !K) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    if (!st) st = sl_lie_decompose(ctx, d, r->f, tol, &cnt, dims, kinds, basis);
    for (int i = 0, row = 0; !st && i < cnt; row += dims[i++]) {
        if (kinds[i] != 1) continue;
        int k = dims[i];
        sl__ideal *x = &id[*nid];
        x->dim = k;
        sl__dgemm_rm('N', 'N', k, nn, d, basis + (size_t)row * d, r->gens, 0, J);
        int nz = 0;
        st = sl_lie_structure_constants(ctx, k, n, J, f, NULL);
        if (!st) st = sl_lie_killing_form(ctx, k, f, K);
        if (!st) st = sl_lie_signature(ctx, k, K, tol, &x->nneg, &x->npos, &nz);
        if (!st) st = sl_lie_rank(ctx, k, f, tol, &x->rank, NULL);
        if (!st && nz) st = SL_ERR_NUMERIC; /* a simple ideal has a definite-rank Killing form */
        if (!st) ++*nid;
    }
    if (st && st != SL_ERR_NOMEM) { /* no clean split: name the whole */
        sl_ctx_clear_error(ctx);
        st = SL_OK;
        *nid = 0;
    }
    if (st) *nid = 0;
    sl__free(ctx, basis);
    sl__free(ctx, J);
    sl__free(ctx, f);
    sl__free(ctx, K);
    return st;
}

sl_status sl__symmetry_result_analyse(sl_symmetry_result *r)
{
    const char *who = "sl_discover_symmetries";
    sl_ctx *ctx = r->ctx;
    int d = r->d, n = r->n;
    r->centre_kind = SL__ELEM_ELLIPTIC;
    if (d == 0) {
        sl__symmetry_name(r, 0, NULL);
        return SL_OK;
    }
    size_t dd = (size_t)d * d;
    r->f = sl__alloc(ctx, sizeof(double) * dd * d, 0, who);
    r->K = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    r->eig = sl__alloc(ctx, sizeof(double) * d, 0, who);
    if (!r->f || !r->K || !r->eig) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    sl_status st = sl_lie_structure_constants(ctx, d, n, r->gens, r->f, &r->closure_residual);
    if (!st) st = sl_lie_killing_form(ctx, d, r->f, r->K);
    if (!st) st = sl_lie_killing_eigenvalues(ctx, d, n, r->gens, r->K, r->eig);
    /* Rounding in f is ~1e-15 relative: 1e-6 separates real zeros safely. */
    if (!st) st = sl_lie_signature(ctx, d, r->K, 1e-6, &r->nneg, &r->npos, &r->nzero);
    if (!st) st = sl_lie_rank(ctx, d, r->f, 1e-6, &r->rank, NULL);
    if (!st) st = sl_lie_centre(ctx, d, r->f, 1e-6, &r->centre, NULL);
    /* How the centre acts, judged on the matrices found, which are only as
     * accurate as their closure (a forward-difference fit tilts them by
     * O(eps)): the tolerance follows the closure residual, as for the split
     * into simple ideals. */
    double acc = fmin(1e-2, fmax(1e-6, 10 * r->closure_residual));
    if (!st && r->centre > 0) st = sl__lie_centre_action(ctx, who, d, n, r->gens, r->f, 1e-6, acc, &r->centre_kind);
    /* compact as a group: the abstract algebra is compact and the centre
     * acts by rotations (src/analysis/lie_compact.c) */
    if (!st) r->compact = r->npos == 0 && r->nzero == r->centre && r->centre_kind == SL__ELEM_ELLIPTIC;
    sl__ideal id[32];
    int nid = 0;
    if (!st && d <= 24 && (st = simple_ideals(r, acc, id, &nid)) == SL_OK && nid > 0) {
        qsort(id, (size_t)nid, sizeof id[0], ideal_order);
        r->simple_dims = sl__alloc(ctx, sizeof(int) * (size_t)nid, 0, who);
        if (!r->simple_dims) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        for (int i = 0; !st && i < nid; ++i) r->simple_dims[i] = id[i].dim;
        if (!st) r->nsimple = nid;
    }
    if (!st) sl__symmetry_name(r, nid, id);
    return ours(ctx, st);
}

int sl_symmetry_result_dim(const sl_symmetry_result *r) { return r ? r->d : 0; }
int sl_symmetry_result_n(const sl_symmetry_result *r) { return r ? r->n : 0; }
const double *sl_symmetry_result_generators(const sl_symmetry_result *r) { return r ? r->gens : NULL; }
const double *sl_symmetry_result_structure_constants(const sl_symmetry_result *r) { return r ? r->f : NULL; }
const double *sl_symmetry_result_killing_form(const sl_symmetry_result *r) { return r ? r->K : NULL; }
const double *sl_symmetry_result_killing_eigenvalues(const sl_symmetry_result *r) { return r ? r->eig : NULL; }
int sl_symmetry_result_rank(const sl_symmetry_result *r) { return r ? r->rank : 0; }
int sl_symmetry_result_centre_dim(const sl_symmetry_result *r) { return r ? r->centre : 0; }
int sl_symmetry_result_is_compact(const sl_symmetry_result *r) { return r ? r->compact : 0; }
const char *sl_symmetry_result_name(const sl_symmetry_result *r) { return r ? r->name : NULL; }
double sl_symmetry_result_closure_residual(const sl_symmetry_result *r) { return r ? r->closure_residual : NAN; }
double sl_symmetry_result_singular_gap(const sl_symmetry_result *r) { return r ? r->gap : NAN; }
double sl_symmetry_result_initial_loss(const sl_symmetry_result *r) { return r ? r->initial_loss : NAN; }

int sl_symmetry_result_simple_ideals(const sl_symmetry_result *r, const int **dims)
{
    if (dims) *dims = r ? r->simple_dims : NULL;
    return r ? r->nsimple : 0;
}

sl_status sl_symmetry_result_signature(const sl_symmetry_result *r, int *nneg, int *npos, int *nzero)
{
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "sl_symmetry_result_signature: r is NULL");
    if (nneg) *nneg = r->nneg;
    if (npos) *npos = r->npos;
    if (nzero) *nzero = r->nzero;
    return SL_OK;
}

double sl_symmetry_result_loss(const sl_symmetry_result *r, int term)
{
    if (!r || term < 0 || term > 5) return NAN;
    return r->loss[term];
}

const double *sl_symmetry_result_singular_values(const sl_symmetry_result *r, int *count)
{
    if (count) *count = r ? r->nsv : 0;
    return r ? r->sv : NULL;
}

int sl_symmetry_result_scan(const sl_symmetry_result *r, const int **ng, const double **loss)
{
    if (ng) *ng = r ? r->scan_ng : NULL;
    if (loss) *loss = r ? r->scan_loss : NULL;
    return r ? r->nscan : 0;
}

int sl_symmetry_result_reason(const sl_symmetry_result *r, const char **text)
{
    if (text) *text = r ? r->reason_text : NULL;
    return r ? r->reason : SL_SYM_REASON_UNKNOWN;
}

double sl_symmetry_result_tolerance(const sl_symmetry_result *r, int ng)
{
    if (!r || ng < 0) return NAN;
    return r->solver == SL_SYM_TRAINED ? r->tol_base + r->tol_slope * ng : r->tol_base;
}

const char *sl_symmetry_result_isomorphisms(const sl_symmetry_result *r)
{
    if (!r) return NULL;
    if (!r->iso_done) {
        /* filled on first use from the name, so that a loaded result has it
         * too; the object is not const (made by sl__alloc) */
        sl_symmetry_result *w = (sl_symmetry_result *)r;
        sl__symmetry_isomorphisms(w->name, w->iso, sizeof w->iso);
        w->iso_done = 1;
    }
    return r->iso;
}

#define OUT(...)                                 \
    do {                                         \
        if (fprintf(f, __VA_ARGS__) < 0) bad = 1; \
    } while (0)

sl_status sl_symmetry_result_print(const sl_symmetry_result *r, FILE *f)
{
    const char *who = "sl_symmetry_result_print";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!f) return sl__fail(r->ctx, SL_ERR_NULL, "%s: f is NULL", who);
    int d = r->d, n = r->n, bad = 0;
    const char *iso = sl_symmetry_result_isomorphisms(r);
    OUT("symmetry algebra: %s", r->name);
    if (iso[0]) {
        OUT(" (\u2245 ");
        for (const char *c = iso; *c; ++c) {
            if (c[0] == ',' && c[1] == ' ') {
                OUT(" \u2245 ");
                ++c;
            } else {
                OUT("%c", *c);
            }
        }
        OUT(")");
    }
    OUT("\n  dimension %d, acting on R^%d (%s solver)\n", d, n, r->solver == SL_SYM_TRAINED ? "trained" : "exact");
    if (d > 0) {
        OUT("  Killing signature (%d negative, %d positive, %d zero), %s\n", r->nneg, r->npos, r->nzero,
            r->compact ? "compact" : "not compact");
        OUT("  rank %d, centre of dimension %d", r->rank, r->centre);
        if (r->nsimple > 0 && r->simple_dims) {
            OUT(", simple ideals of dimension");
            for (int i = 0; i < r->nsimple; ++i) OUT(" %d", r->simple_dims[i]);
        }
        if (r->eig) {
            OUT("\n  eigenvalues of g^-1 K:");
            /* groups of equal values; every group advances by at least one
             * (a NaN equals nothing) */
            for (int i = 0; i < d;) {
                int j = i + 1;
                while (j < d && fabs(r->eig[j] - r->eig[i]) <= 1e-6 * fmax(1, fabs(r->eig[i]))) ++j;
                OUT(" %.6g (x%d)", fabs(r->eig[i]) < 1e-12 ? 0.0 : r->eig[i], j - i);
                i = j;
            }
        }
        OUT("\n  closure residual %.3g\n", r->closure_residual);
    }
    OUT("  outcome: %s\n", r->reason_text);
    if (r->solver != SL_SYM_TRAINED && !isnan(r->gap))
        OUT("  singular-value gap %.3g (kept sigma_min / null sigma_max)\n", r->gap);
    if (r->solver == SL_SYM_TRAINED && d > 0)
        OUT("  loss %.6g (invariance %.3g, normalisation %.3g, orthogonality %.3g, closure %.3g, sparsity %.3g)\n",
            r->loss[0], r->loss[1], r->loss[2], r->loss[3], r->loss[4], r->loss[5]);
    for (int t = 0; r->scan_ng && r->scan_loss && t < r->nscan; ++t) {
        OUT("  scan N_g = %d: loss %.4g", r->scan_ng[t], r->scan_loss[t]);
        double tol = sl_symmetry_result_tolerance(r, r->scan_ng[t]);
        if (r->solver == SL_SYM_TRAINED && !isnan(tol))
            OUT(" (%s tolerance %.3g)", r->scan_loss[t] < tol ? "below" : "above", tol);
        OUT("\n");
    }
    if (d > 0 && d <= 10 && r->f) {
        OUT("  structure constants [T_a, T_b] = f_ab^c T_c:\n");
        for (int a = 0; a < d; ++a)
            for (int b = a + 1; b < d; ++b) {
                int any = 0;
                for (int c = 0; c < d; ++c) {
                    double v = r->f[((size_t)a * d + b) * d + c];
                    if (fabs(v) < 1e-9) continue;
                    if (!any) OUT("    [T%d, T%d] =", a + 1, b + 1);
                    OUT(" %c %.6g T%d", v < 0 ? '-' : '+', fabs(v), c + 1);
                    any = 1;
                }
                if (any) OUT("\n");
            }
    }
    /* a full device or a closed pipe shows up at the flush */
    if (fflush(f) != 0 || ferror(f)) bad = 1;
    return bad ? sl__fail(r->ctx, SL_ERR_IO, "%s: write error (%s)", who, errno ? strerror(errno) : "stream error")
               : SL_OK;
}
#undef OUT
