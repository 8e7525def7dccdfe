/* Lie-algebra invariants of a set of matrix generators: structure constants
 * by least squares, the Killing form, its signature and the eigenvalues of
 * g^{-1} K, rank, centre, compactness, span distance. */
#include "lie_internal.h"

#include <math.h>

#define CHECK_D(who, d)                                                                       \
    do {                                                                                      \
        SL_LIE_NEED_CTX(ctx);                                                                 \
        if ((d) < 1 || (d) > 4096)                                                            \
            return sl__fail(ctx, SL_ERR_ARG, "%s: d = %d (must be in 1..4096)", who, (int)(d)); \
    } while (0)

#define CHECK_TOL(who, tol)                                    \
    do {                                                       \
        sl_status st_ = sl__lie_check_tol(ctx, who, tol);      \
        if (st_) return st_;                                   \
    } while (0)

sl_status sl__lie_check_tol(sl_ctx *ctx, const char *who, double tol)
{
    if (isnan(tol) || tol >= 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: tol = %g (must be < 1; <= 0 selects 1e-8)", who, tol);
    return SL_OK;
}

sl_status sl_lie_structure_constants(sl_ctx *ctx, int d, int n, const double *gens, double *f,
                                     double *residual)
{
    const char *who = "sl_lie_structure_constants";
    CHECK_D(who, d);
    if (n < 1 || n > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..4096)", who, n);
    sl_status st = sl__check_array(ctx, who, "gens", gens, (size_t)d * n * n);
    if (st) return st;
    if (!f) return sl__fail(ctx, SL_ERR_NULL, "%s: f is NULL", who);
    int P = d * (d - 1) / 2;
    int *ia = sl__alloc(ctx, sizeof(int) * (P + 1), 0, who), *ib = sl__alloc(ctx, sizeof(int) * (P + 1), 0, who);
    double *C = sl__alloc(ctx, sizeof(double) * ((size_t)P + 1) * d, 0, who);
    if (!ia || !ib || !C) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    for (int a = 0, p = 0; a < d; ++a)
        for (int b = a + 1; b < d; ++b, ++p) ia[p] = a, ib[p] = b;
    st = sl__lie_fit_pairs(ctx, who, d, n, gens, P, ia, ib, C, residual);
    if (st) goto done;
    memset(f, 0, sizeof(double) * (size_t)d * d * d);
    for (int p = 0; p < P; ++p)
        for (int c = 0; c < d; ++c) {
            double v = C[(size_t)p * d + c];
            f[((size_t)ia[p] * d + ib[p]) * d + c] = v;
            f[((size_t)ib[p] * d + ia[p]) * d + c] = -v;
        }
done:
    sl__free(ctx, ia);
    sl__free(ctx, ib);
    sl__free(ctx, C);
    return st;
}

sl_status sl_lie_killing_form(sl_ctx *ctx, int d, const double *f, double *K)
{
    const char *who = "sl_lie_killing_form";
    CHECK_D(who, d);
    sl_status st = sl__check_array(ctx, who, "f", f, (size_t)d * d * d);
    if (st) return st;
    if (!K) return sl__fail(ctx, SL_ERR_NULL, "%s: K is NULL", who);
    /* K_ab = sum_{c,e} f[a][c][e] ft[b][c][e] with ft[b][c][e] = f[b][e][c]. */
    size_t dd = (size_t)d * d;
    double *ft = sl__alloc(ctx, sizeof(double) * dd * d, 0, who);
    if (!ft) return SL_ERR_NOMEM;
    for (int b = 0; b < d; ++b)
        for (int c = 0; c < d; ++c)
            for (int e = 0; e < d; ++e) ft[((size_t)b * d + c) * d + e] = f[((size_t)b * d + e) * d + c];
    sl__dgemm_rm('N', 'T', d, d, (int)dd, f, ft, 0, K);
    for (int a = 0; a < d; ++a)
        for (int b = a + 1; b < d; ++b) {
            double s = 0.5 * (K[(size_t)a * d + b] + K[(size_t)b * d + a]);
            K[(size_t)a * d + b] = K[(size_t)b * d + a] = s;
        }
    sl__free(ctx, ft);
    return SL_OK;
}

sl_status sl_lie_killing_eigenvalues(sl_ctx *ctx, int d, int n, const double *gens, const double *K,
                                     double *eig)
{
    const char *who = "sl_lie_killing_eigenvalues";
    CHECK_D(who, d);
    if (n < 1 || n > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..4096)", who, n);
    sl_status st = sl__check_array(ctx, who, "gens", gens, (size_t)d * n * n);
    if (!st) st = sl__check_array(ctx, who, "K", K, (size_t)d * d);
    if (st) return st;
    if (!eig) return sl__fail(ctx, SL_ERR_NULL, "%s: eig is NULL", who);
    size_t dd = (size_t)d * d;
    double *A = sl__alloc(ctx, sizeof(double) * dd, 0, who), *B = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)(8 * d + 64), 0, who);
    double *w = sl__alloc(ctx, sizeof(double) * (size_t)d, 0, who);
    if (!A || !B || !work || !w) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    /* dsygv factors g itself but passes a nearly dependent set, whose
     * eigenvalues are then meaningless: the same test as for f first */
    st = sl__gram_chol(ctx, who, d, n, gens, B);
    if (st) goto done;
    memcpy(A, K, sizeof(double) * dd);
    sl__dgemm_rm('N', 'T', d, d, n * n, gens, gens, 0, B);
    sl_blas_int itype = 1, bd = d, lwork = 8 * d + 64, info = 0;
    dsygv_(&itype, "N", "L", &bd, A, &bd, B, &bd, w, work, &lwork, &info, 1, 1);
    if (info != 0)
        st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: dsygv failed (info = %d%s)", who, (int)info,
                      info > d ? ": generators linearly dependent" : "");
    else if (sl__first_nonfinite(w, (size_t)d) >= 0)
        st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: the eigenvalues are not finite", who);
    else
        memcpy(eig, w, sizeof(double) * (size_t)d);
done:
    sl__free(ctx, A);
    sl__free(ctx, B);
    sl__free(ctx, work);
    sl__free(ctx, w);
    return st;
}

/* Eigenvalues (ascending) of a symmetric d x d matrix. */
static sl_status sym_eig(sl_ctx *ctx, const char *who, int d, const double *K, double *w)
{
    size_t dd = (size_t)d * d;
    double *A = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)(8 * d + 64), 0, who);
    sl_status st = SL_OK;
    if (!A || !work) st = SL_ERR_NOMEM;
    else {
        memcpy(A, K, sizeof(double) * dd);
        sl_blas_int bd = d, lwork = 8 * d + 64, info = 0;
        dsyev_("N", "L", &bd, A, &bd, w, work, &lwork, &info, 1, 1);
        if (info != 0) st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: dsyev failed (info = %d)", who, info);
    }
    sl__free(ctx, A);
    sl__free(ctx, work);
    return st;
}

sl_status sl_lie_signature(sl_ctx *ctx, int d, const double *K, double tol, int *nneg, int *npos,
                           int *nzero)
{
    const char *who = "sl_lie_signature";
    CHECK_D(who, d);
    CHECK_TOL(who, tol);
    sl_status st = sl__check_array(ctx, who, "K", K, (size_t)d * d);
    if (st) return st;
    double *w = sl__alloc(ctx, sizeof(double) * d, 0, who);
    if (!w) return SL_ERR_NOMEM;
    st = sym_eig(ctx, who, d, K, w);
    if (!st) {
        double big = fmax(fabs(w[0]), fabs(w[d - 1])), thr = SL_LIE_TOL(tol) * big;
        int ng = 0, ps = 0, z = 0;
        for (int i = 0; i < d; ++i) {
            if (big < 1e-300 || fabs(w[i]) <= thr) z++;
            else if (w[i] < 0) ng++;
            else ps++;
        }
        if (nneg) *nneg = ng;
        if (npos) *npos = ps;
        if (nzero) *nzero = z;
    }
    sl__free(ctx, w);
    return st;
}

static double fnorm(size_t count, const double *x)
{
    double s = 0;
    for (size_t i = 0; i < count; ++i) s += x[i] * x[i];
    return sqrt(s);
}

sl_status sl_lie_rank(sl_ctx *ctx, int d, const double *f, double tol, int *rank, double *cartan)
{
    const char *who = "sl_lie_rank";
    CHECK_D(who, d);
    CHECK_TOL(who, tol);
    sl_status st = sl__check_array(ctx, who, "f", f, (size_t)d * d * d);
    if (st) return st;
    if (!rank) return sl__fail(ctx, SL_ERR_NULL, "%s: rank is NULL", who);
    size_t dd = (size_t)d * d;
    double *r = sl__alloc(ctx, sizeof(double) * d, 0, who);
    double *adx = sl__alloc(ctx, sizeof(double) * dd, 1, who);
    if (!r || !adx) {
        st = SL_ERR_NOMEM;
        goto done;
    }
    if (fnorm(dd * d, f) < 1e-300) {
        *rank = d;
        if (cartan) {
            memset(cartan, 0, sizeof(double) * dd);
            for (int a = 0; a < d; ++a) cartan[(size_t)a * d + a] = 1;
        }
        goto done;
    }
    /* ad_X[e][c] = sum_a x_a f_{ac}^e for a random X (fixed stream of the ctx seed). */
    sl_rng_fill_normal(sl_ctx_seed(ctx) ^ 0x5eed1ab5ULL, 0, (size_t)d, 0, 1, r);
    for (int a = 0; a < d; ++a)
        for (int c = 0; c < d; ++c)
            for (int e = 0; e < d; ++e) adx[(size_t)e * d + c] += r[a] * f[((size_t)a * d + c) * d + e];
    st = sl__nullspace(ctx, who, d, d, adx, tol, rank, cartan, NULL);
done:
    sl__free(ctx, r);
    sl__free(ctx, adx);
    return st;
}

sl_status sl_lie_centre(sl_ctx *ctx, int d, const double *f, double tol, int *dim, double *basis)
{
    const char *who = "sl_lie_centre";
    CHECK_D(who, d);
    CHECK_TOL(who, tol);
    sl_status st = sl__check_array(ctx, who, "f", f, (size_t)d * d * d);
    if (st) return st;
    if (!dim) return sl__fail(ctx, SL_ERR_NULL, "%s: dim is NULL", who);
    /* Z[(b,e)][a] = f_{ab}^e: the centre is its null space. */
    size_t dd = (size_t)d * d;
    double *Z = sl__alloc(ctx, sizeof(double) * dd * d, 0, who);
    if (!Z) return SL_ERR_NOMEM;
    for (int a = 0; a < d; ++a)
        for (int b = 0; b < d; ++b)
            for (int e = 0; e < d; ++e) Z[((size_t)b * d + e) * d + a] = f[((size_t)a * d + b) * d + e];
    st = sl__nullspace(ctx, who, (int)dd, d, Z, tol, dim, basis, NULL);
    sl__free(ctx, Z);
    return st;
}

sl_status sl_lie_is_compact(sl_ctx *ctx, int d, const double *f, double tol, int *compact)
{
    const char *who = "sl_lie_is_compact";
    CHECK_D(who, d);
    CHECK_TOL(who, tol);
    sl_status st = sl__check_array(ctx, who, "f", f, (size_t)d * d * d);
    if (st) return st;
    if (!compact) return sl__fail(ctx, SL_ERR_NULL, "%s: compact is NULL", who);
    double *K = sl__alloc(ctx, sizeof(double) * (size_t)d * d, 0, who);
    if (!K) return SL_ERR_NOMEM;
    int nneg = 0, npos = 0, nzero = 0, zc = 0;
    st = sl_lie_killing_form(ctx, d, f, K);
    if (!st) st = sl_lie_signature(ctx, d, K, tol, &nneg, &npos, &nzero);
    if (!st) st = sl_lie_centre(ctx, d, f, tol, &zc, NULL);
    if (!st) *compact = npos == 0 && nzero == zc;
    else sl__rewho(ctx, st, who);   /* the calls above name themselves */
    sl__free(ctx, K);
    return st;
}

sl_status sl_lie_span_distance(sl_ctx *ctx, int n, int da, const double *a, int db, const double *b,
                               double *dist)
{
    const char *who = "sl_lie_span_distance";
    SL_LIE_NEED_CTX(ctx);
    if (n < 1 || n > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..4096)", who, n);
    if (da < 1 || db < 1 || da > 4096 || db > 4096)
        return sl__fail(ctx, SL_ERR_ARG, "%s: da = %d, db = %d (must be in 1..4096)", who, da, db);
    size_t nn = (size_t)n * n;
    sl_status st = sl__check_array(ctx, who, "a", a, (size_t)da * nn);
    if (!st) st = sl__check_array(ctx, who, "b", b, (size_t)db * nn);
    if (st) return st;
    if (!dist) return sl__fail(ctx, SL_ERR_NULL, "%s: dist is NULL", who);
    const int ds[2] = {da, db};
    const double *src[2] = {a, b};
    double *Q[2] = {NULL, NULL}, *tmp = NULL, *s = NULL, *proj = NULL;
    int rk[2] = {0, 0};
    for (int t = 0; t < 2 && !st; ++t) {
        /* Orthonormal basis of the span: right singular vectors of the d x nn matrix. */
        int dt = ds[t], mn = dt < (int)nn ? dt : (int)nn;
        tmp = sl__alloc(ctx, sizeof(double) * (size_t)dt * nn, 0, who);
        s = sl__alloc(ctx, sizeof(double) * (size_t)mn, 1, who);
        Q[t] = sl__alloc(ctx, sizeof(double) * (size_t)mn * nn, 0, who);
        if (!tmp || !s || !Q[t]) st = SL_ERR_NOMEM;
        else {
            memcpy(tmp, src[t], sizeof(double) * (size_t)dt * nn);
            st = sl__svd_thin(ctx, who, dt, (int)nn, tmp, s, Q[t]);
            while (!st && rk[t] < mn && s[rk[t]] > 1e-10 * s[0]) rk[t]++;
        }
        sl__free(ctx, tmp);
        sl__free(ctx, s);
        tmp = s = NULL;
    }
    if (!st && rk[0] != rk[1]) *dist = 1.0;
    else if (!st && rk[0] == 0) *dist = 0.0; /* both spans are {0} */
    else if (!st) {
        /* ||P_A - P_B|| = ||Q_A - P_B Q_A|| for equal dimensions. */
        int r = rk[0];
        proj = sl__alloc(ctx, sizeof(double) * (size_t)r * r, 0, who);
        tmp = sl__alloc(ctx, sizeof(double) * (size_t)r * nn, 0, who);
        s = sl__alloc(ctx, sizeof(double) * (size_t)(r + nn), 0, who);
        if (!proj || !tmp || !s) st = SL_ERR_NOMEM;
        else {
            sl__dgemm_rm('N', 'T', r, r, (int)nn, Q[0], Q[1], 0, proj);      /* <qa_i, qb_j> */
            sl__dgemm_rm('N', 'N', r, (int)nn, r, proj, Q[1], 0, tmp);       /* P_B qa_i */
            for (size_t k = 0; k < (size_t)r * nn; ++k) tmp[k] = Q[0][k] - tmp[k];
            st = sl__svd(ctx, who, r, (int)nn, tmp, s, NULL);
            if (!st) *dist = s[0];
        }
    }
    if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", who);
    sl__free(ctx, Q[0]);
    sl__free(ctx, Q[1]);
    sl__free(ctx, tmp);
    sl__free(ctx, s);
    sl__free(ctx, proj);
    return st;
}
