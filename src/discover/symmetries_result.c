/* The result of sl_discover_symmetries: generators, their analysis, accessors,
 * the printed summary and the name of the algebra. */
#include "symmetry_internal.h"

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

/* Compact simple algebras by (dimension, rank). */
static const struct { int dim, rank; const char *name; } compact_simple[] = {
    {3, 1, "so(3)"},   {8, 2, "su(3)"},   {10, 2, "so(5) = sp(2)"},  {14, 2, "g2"},     {15, 3, "su(4) = so(6)"},
    {21, 3, "so(7) or sp(3)"},  {24, 4, "su(5)"},  {28, 4, "so(8)"},  {35, 5, "su(6)"},  {36, 4, "so(9) or sp(4)"},
    {45, 5, "so(10)"}, {48, 6, "su(7)"},  {52, 4, "f4"},     {55, 5, "so(11)"}, {66, 6, "so(12)"},
    {78, 6, "e6"},     {91, 7, "so(14)"}, {133, 7, "e7"},    {248, 8, "e8"}};
/* Non-compact simple real forms by (dimension, negative, positive). */
static const struct { int dim, nneg, npos; const char *name; } noncompact_simple[] = {
    {3, 1, 2, "so(1,2)"},  {6, 3, 3, "so(1,3)"},   {8, 3, 5, "sl(3,R)"},  {10, 6, 4, "so(1,4)"},
    {10, 4, 6, "so(2,3)"}, {15, 10, 5, "so(1,5)"}, {15, 6, 9, "sl(4,R)"}, {78, 52, 26, "e6(-26)"},
    {52, 36, 16, "f4(-20)"}, {14, 6, 8, "g2(2)"}};

static const char *simple_name(int dim, int rank, int nneg, int npos, int compact)
{
    if (compact) {
        for (size_t i = 0; i < sizeof compact_simple / sizeof compact_simple[0]; ++i)
            if (compact_simple[i].dim == dim && compact_simple[i].rank == rank) return compact_simple[i].name;
    } else {
        for (size_t i = 0; i < sizeof noncompact_simple / sizeof noncompact_simple[0]; ++i)
            if (noncompact_simple[i].dim == dim && noncompact_simple[i].nneg == nneg && noncompact_simple[i].npos == npos)
                return noncompact_simple[i].name;
    }
    return NULL;
}

static void name_algebra(sl_symmetry_result *r)
{
    char *s = r->name;
    size_t cap = sizeof r->name;
    int d = r->d;
    if (d == 0) {
        snprintf(s, cap, "trivial (no continuous symmetry)");
        return;
    }
    if (r->nzero == d && r->centre == d) {
        snprintf(s, cap, d == 1 ? "u(1)" : "abelian, dim %d", d);
        return;
    }
    if (r->nsimple >= 1) {
        /* each simple ideal named alone (rank and signature of the whole are
         * split evenly only when all ideals have the same dimension) */
        size_t len = 0;
        int ok = 1;
        for (int i = 0; i < r->nsimple && ok; ++i) {
            int di = r->simple_dims[i], same = 1;
            for (int j = 0; j < r->nsimple; ++j) same &= r->simple_dims[j] == di;
            if (r->nsimple > 1 && !same) ok = 0;
            int rk = (r->rank - r->centre) / r->nsimple;
            int nn = r->nneg / r->nsimple, np = r->npos / r->nsimple;
            const char *nm = simple_name(di, rk, nn, np, r->compact);
            if (!nm) ok = 0;
            else len += (size_t)snprintf(s + len, cap - len, "%s%s", i ? " + " : "", nm);
        }
        if (ok) {
            for (int z = 0; z < r->centre && len < cap; ++z)
                len += (size_t)snprintf(s + len, cap - len, " + %s", r->compact ? "u(1)" : "R");
            return;
        }
    }
    if (r->centre == 0 && r->nzero == 0) {
        const char *nm = simple_name(d, r->rank, r->nneg, r->npos, r->compact);
        if (nm && r->nsimple <= 1) {
            snprintf(s, cap, "%s", nm);
            return;
        }
    }
    snprintf(s, cap, "dim %d, rank %d, Killing signature (%d, %d, %d)%s", d, r->rank, r->nneg, r->npos,
             r->nzero, r->compact ? ", compact" : "");
}

sl_status sl__symmetry_result_analyse(sl_symmetry_result *r)
{
    sl_ctx *ctx = r->ctx;
    int d = r->d, n = r->n;
    if (d == 0) {
        name_algebra(r);
        return SL_OK;
    }
    size_t dd = (size_t)d * d;
    r->f = sl__alloc(ctx, sizeof(double) * dd * d, 0, "sl_discover_symmetries");
    r->K = sl__alloc(ctx, sizeof(double) * dd, 0, "sl_discover_symmetries");
    r->eig = sl__alloc(ctx, sizeof(double) * d, 0, "sl_discover_symmetries");
    if (!r->f || !r->K || !r->eig) return SL_ERR_NOMEM;
    sl_status st = sl_lie_structure_constants(ctx, d, n, r->gens, r->f, &r->closure_residual);
    if (!st) st = sl_lie_killing_form(ctx, d, r->f, r->K);
    if (!st) st = sl_lie_killing_eigenvalues(ctx, d, n, r->gens, r->K, r->eig);
    /* Rounding in f is ~1e-15 relative: 1e-6 separates real zeros safely. */
    if (!st) st = sl_lie_signature(ctx, d, r->K, 1e-6, &r->nneg, &r->npos, &r->nzero);
    if (!st) st = sl_lie_rank(ctx, d, r->f, 1e-6, &r->rank, NULL);
    if (!st) st = sl_lie_centre(ctx, d, r->f, 1e-6, &r->centre, NULL);
    if (!st) r->compact = r->npos == 0 && r->nzero == r->centre;
    if (!st && d <= 24) {
        int nid = 0, dims[32], kinds[32];
        if (sl_lie_decompose(ctx, d, r->f, 1e-6, &nid, dims, kinds, NULL) == SL_OK) {
            r->simple_dims = sl__alloc(ctx, sizeof(int) * (nid + 1), 0, "sl_discover_symmetries");
            if (!r->simple_dims) return SL_ERR_NOMEM;
            for (int i = 0; i < nid; ++i)
                if (kinds[i] == 1) r->simple_dims[r->nsimple++] = dims[i];
        } else {
            sl_ctx_clear_error(ctx);
        }
    }
    if (!st) name_algebra(r);
    return st;
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

sl_status sl_symmetry_result_print(const sl_symmetry_result *r, FILE *f)
{
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "sl_symmetry_result_print: r is NULL");
    if (!f) return sl__fail(r->ctx, SL_ERR_NULL, "sl_symmetry_result_print: f is NULL");
    int d = r->d, n = r->n;
    fprintf(f, "symmetry algebra: %s\n", r->name);
    fprintf(f, "  dimension %d, acting on R^%d (%s solver)\n", d, n, r->solver == SL_SYM_TRAINED ? "trained" : "exact");
    if (d > 0) {
        fprintf(f, "  Killing signature (%d negative, %d positive, %d zero)%s\n", r->nneg, r->npos, r->nzero,
                r->compact ? ", compact" : ", not compact");
        fprintf(f, "  rank %d, centre of dimension %d", r->rank, r->centre);
        if (r->nsimple > 0) {
            fprintf(f, ", simple ideals of dimension");
            for (int i = 0; i < r->nsimple; ++i) fprintf(f, " %d", r->simple_dims[i]);
        }
        fprintf(f, "\n  eigenvalues of g^-1 K:");
        for (int i = 0; i < d;) {
            int j = i;
            while (j < d && fabs(r->eig[j] - r->eig[i]) <= 1e-6 * fmax(1, fabs(r->eig[i]))) ++j;
            fprintf(f, " %.6g (x%d)", fabs(r->eig[i]) < 1e-12 ? 0.0 : r->eig[i], j - i);
            i = j;
        }
        fprintf(f, "\n  closure residual %.3g\n", r->closure_residual);
    }
    if (r->solver != SL_SYM_TRAINED && !isnan(r->gap))
        fprintf(f, "  singular-value gap %.3g (kept sigma_min / null sigma_max)\n", r->gap);
    if (r->solver == SL_SYM_TRAINED)
        fprintf(f, "  loss %.6g (invariance %.3g, normalisation %.3g, orthogonality %.3g, closure %.3g, sparsity %.3g)\n",
                r->loss[0], r->loss[1], r->loss[2], r->loss[3], r->loss[4], r->loss[5]);
    for (int t = 0; t < r->nscan; ++t)
        fprintf(f, "  scan N_g = %d: loss %.4g\n", r->scan_ng[t], r->scan_loss[t]);
    if (d > 0 && d <= 10) {
        fprintf(f, "  structure constants [T_a, T_b] = f_ab^c T_c:\n");
        for (int a = 0; a < d; ++a)
            for (int b = a + 1; b < d; ++b) {
                int any = 0;
                for (int c = 0; c < d; ++c) {
                    double v = r->f[((size_t)a * d + b) * d + c];
                    if (fabs(v) < 1e-9) continue;
                    if (!any) fprintf(f, "    [T%d, T%d] =", a + 1, b + 1);
                    fprintf(f, " %c %.6g T%d", v < 0 ? '-' : '+', fabs(v), c + 1);
                    any = 1;
                }
                if (any) fprintf(f, "\n");
            }
    }
    return ferror(f) ? sl__fail(r->ctx, SL_ERR_IO, "sl_symmetry_result_print: write error") : SL_OK;
}
