/* Decomposition of a reductive Lie algebra into its centre and simple ideals.
 *
 * A map T that commutes with every ad_X preserves each ideal and, by Schur's
 * lemma, acts on a simple ideal as a scalar c (or as a + b J for an ideal
 * with a complex structure).  A random T in the commutant of ad_X, ad_Y (two
 * random elements generate the algebra) therefore has one eigenvalue cluster
 * per simple ideal; the ideal is the real null space of T - c, or of
 * (T - a)^2 + b^2. */
#include "lie_internal.h"

#include <math.h>

static void adx(int d, const double *f, const double *x, double *A)
{
    memset(A, 0, sizeof(double) * (size_t)d * d);
    for (int a = 0; a < d; ++a)
        for (int c = 0; c < d; ++c)
            for (int e = 0; e < d; ++e) A[(size_t)e * d + c] += x[a] * f[((size_t)a * d + c) * d + e];
}

/* |[v, g]| for a coefficient vector v: zero when v is central. */
static double central_defect(int d, const double *f, const double *v)
{
    double s = 0;
    for (int b = 0; b < d; ++b)
        for (int e = 0; e < d; ++e) {
            double t = 0;
            for (int a = 0; a < d; ++a) t += v[a] * f[((size_t)a * d + b) * d + e];
            s += t * t;
        }
    return sqrt(s);
}

sl_status sl_lie_decompose(sl_ctx *ctx, int d, const double *f, double tol, int *nideals, int *dims,
                           int *kinds, double *basis)
{
    const char *who = "sl_lie_decompose";
    SL_LIE_NEED_CTX(ctx);
    if (d < 1 || d > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %d (must be in 1..4096)", who, d);
    sl_status st = sl__check_array(ctx, who, "f", f, (size_t)d * d * d);
    if (st) return st;
    if (!nideals || !dims) return sl__fail(ctx, SL_ERR_NULL, "%s: nideals or dims is NULL", who);
    if ((st = sl__lie_check_tol(ctx, who, tol))) return st;
    if (d > 32)
        return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: d = %d (the commutant solve is limited to d <= 32)", who, d);
    tol = SL_LIE_TOL(tol);
    size_t dd = (size_t)d * d;
    double fmaxabs = 0;
    for (size_t k = 0; k < dd * d; ++k) fmaxabs = fmax(fmaxabs, fabs(f[k]));
    int nz = 0;
    st = sl_lie_centre(ctx, d, f, tol, &nz, NULL);
    if (st) return sl__rewho(ctx, st, who);
    double *x = sl__alloc(ctx, sizeof(double) * 2 * d, 0, who);
    double *A = sl__alloc(ctx, sizeof(double) * dd * 2, 0, who);
    double *M = sl__alloc(ctx, sizeof(double) * 2 * dd * dd, 1, who);
    double *N = sl__alloc(ctx, sizeof(double) * dd * dd, 0, who);
    double *T = sl__alloc(ctx, sizeof(double) * dd, 1, who), *T2 = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    double *wr = sl__alloc(ctx, sizeof(double) * d, 0, who), *wi = sl__alloc(ctx, sizeof(double) * d, 0, who);
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)(8 * d + 64), 0, who);
    double *sub = sl__alloc(ctx, sizeof(double) * dd, 0, who), *r = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    int *used = sl__alloc(ctx, sizeof(int) * d, 1, who);
    /* the outputs are written only on success: dims, kinds, basis here first */
    int *odims = sl__alloc(ctx, sizeof(int) * 2 * (size_t)d, 0, who), *okinds = odims ? odims + d : NULL;
    double *obasis = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    if (!x || !A || !M || !N || !T || !T2 || !wr || !wi || !work || !sub || !r || !used || !odims || !obasis) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    int nid = 0, filled = 0, zdim = 0;
    if (fmaxabs < 1e-300) { /* abelian */
        nid = 1;
        odims[0] = d;
        okinds[0] = 0;
        memset(obasis, 0, sizeof(double) * dd);
        for (int a = 0; a < d; ++a) obasis[(size_t)a * d + a] = 1;
        goto out;
    }
    /* Commutant: rows (k, i, j) of (T A_k - A_k T)_{ij} = sum_l T_il A_lj - A_il T_lj. */
    sl_rng_fill_normal(sl_ctx_seed(ctx) ^ 0xdec0ULL, 0, (size_t)2 * d, 0, 1, x);
    for (int k = 0; k < 2; ++k) {
        double *Ak = A + (size_t)k * dd;
        adx(d, f, x + (size_t)k * d, Ak);
        for (int i = 0; i < d; ++i)
            for (int j = 0; j < d; ++j) {
                double *row = M + ((size_t)k * dd + (size_t)i * d + j) * dd;
                for (int l = 0; l < d; ++l) {
                    row[(size_t)i * d + l] += Ak[(size_t)l * d + j];
                    row[(size_t)l * d + j] -= Ak[(size_t)i * d + l];
                }
            }
    }
    int nc = 0;
    st = sl__nullspace(ctx, who, (int)(2 * dd), (int)dd, M, fmax(1e-9, tol), &nc, N, NULL);
    if (st) goto done;
    sl_rng_fill_normal(sl_ctx_seed(ctx) ^ 0xdec1ULL, 0, (size_t)nc, 0, 1, r);
    for (int c = 0; c < nc; ++c)
        for (size_t k = 0; k < dd; ++k) T[k] += r[c] * N[(size_t)c * dd + k];
    /* eigenvalues of T (row-major T is column-major T^T: same eigenvalues) */
    memcpy(T2, T, sizeof(double) * dd);
    sl_blas_int bd = d, lwork = 8 * d + 64, info = 0, one = 1;
    double dummy = 0;
    dgeev_("N", "N", &bd, T2, &bd, wr, wi, &dummy, &one, &dummy, &one, work, &lwork, &info, 1, 1);
    if (info != 0) {
        st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: dgeev failed (info = %d)", who, info);
        goto done;
    }
    double scale = 0;
    for (int i = 0; i < d; ++i) scale = fmax(scale, hypot(wr[i], wi[i]));
    double ctol = fmax(1e-6, tol) * fmax(scale, 1e-300);
    double *zbasis = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    if (!zbasis) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    for (int i = 0; i < d && !st; ++i) {
        if (used[i] || wi[i] < -ctol) continue;
        double a = wr[i], b = fabs(wi[i]);
        int mult = 0;
        for (int j = 0; j < d; ++j)
            if (!used[j] && fabs(wr[j] - a) < ctol && fabs(fabs(wi[j]) - b) < ctol) used[j] = 1, mult++;
        /* S = T - a, or (T - a)^2 + b^2 */
        memcpy(T2, T, sizeof(double) * dd);
        for (int k = 0; k < d; ++k) T2[(size_t)k * d + k] -= a;
        if (b > ctol) {
            sl__dgemm_rm('N', 'N', d, d, d, T2, T2, 0, sub);
            for (int k = 0; k < d; ++k) sub[(size_t)k * d + k] += b * b;
            memcpy(T2, sub, sizeof(double) * dd);
        }
        int dim = 0;
        st = sl__nullspace(ctx, who, d, d, T2, fmax(1e-7, tol), &dim, sub, NULL);
        if (st) break;
        if (dim != mult) {
            st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: no clean split (eigenvalue cluster of size %d, space of dim %d)",
                          who, mult, dim);
            break;
        }
        int central = 1;
        for (int v = 0; v < dim && central; ++v)
            if (central_defect(d, f, sub + (size_t)v * d) > fmax(1e-7, tol) * fmaxabs * sqrt((double)d)) central = 0;
        if (central) {
            memcpy(zbasis + (size_t)zdim * d, sub, sizeof(double) * (size_t)dim * d);
            zdim += dim;
            continue;
        }
        odims[nid] = dim;
        okinds[nid] = 1;
        memcpy(obasis + (size_t)filled * d, sub, sizeof(double) * (size_t)dim * d);
        filled += dim;
        nid++;
    }
    if (!st && zdim > 0) {
        odims[nid] = zdim;
        okinds[nid] = 0;
        memcpy(obasis + (size_t)filled * d, zbasis, sizeof(double) * (size_t)zdim * d);
        filled += zdim;
        nid++;
    }
    if (!st && (filled != d || zdim != nz))
        st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: no clean split (ideals span %d of %d dimensions, centre %d vs %d)",
                      who, filled, d, zdim, nz);
    sl__free(ctx, zbasis);
out:
    if (!st) {
        *nideals = nid;
        memcpy(dims, odims, sizeof(int) * (size_t)nid);
        if (kinds) memcpy(kinds, okinds, sizeof(int) * (size_t)nid);
        if (basis) memcpy(basis, obasis, sizeof(double) * dd);
    }
done:
    sl__free(ctx, x);
    sl__free(ctx, A);
    sl__free(ctx, M);
    sl__free(ctx, N);
    sl__free(ctx, T);
    sl__free(ctx, T2);
    sl__free(ctx, wr);
    sl__free(ctx, wi);
    sl__free(ctx, work);
    sl__free(ctx, sub);
    sl__free(ctx, r);
    sl__free(ctx, used);
    sl__free(ctx, odims);
    sl__free(ctx, obasis);
    return st;
}
