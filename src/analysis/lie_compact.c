/* Compactness of the group a set of matrix generators generates, judged from
 * the representation and not only from the abstract algebra.
 *
 * The closure of exp(g) in GL(n, R) is compact exactly when every J in g is
 * skew with respect to one positive form P (J^T P + P J = 0).  A subalgebra
 * of so(P) is a compact Lie algebra, so the abstract test (Killing form
 * negative semi-definite with null space equal to the centre) is necessary.
 * For a compact algebra g = [g, g] + z the semisimple part integrates to a
 * compact group in any representation; what remains is the centre, which may
 * act by any commuting matrices: a rotation (compact u(1)), a boost or a
 * dilation (real eigenvalues), a nilpotent shear.  Its action is bounded
 * exactly when every central element is elliptic: diagonalisable over C with
 * imaginary eigenvalues. */
#include "lie_internal.h"

#include <math.h>

/* Number of singular values of the n x n matrix M (destroyed) at most thr. */
static sl_status null_count(sl_ctx *ctx, const char *who, int n, double *M, double thr, int *count)
{
    double *s = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    if (!s) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    sl_status st = sl__svd(ctx, who, n, n, M, s, NULL);
    int c = 0;
    for (int i = 0; !st && i < n; ++i) c += s[i] <= thr;
    if (!st) *count = c;
    sl__free(ctx, s);
    return st;
}

sl_status sl__lie_classify(sl_ctx *ctx, const char *who, int n, const double *Z, double tol, int *kind)
{
    size_t nn = (size_t)n * n;
    double s = 0;
    for (size_t k = 0; k < nn; ++k) s += Z[k] * Z[k];
    s = sqrt(s);
    if (s == 0) { /* exp(t 0) = 1 */
        *kind = SL__ELEM_ELLIPTIC;
        return SL_OK;
    }
    double *A = sl__alloc(ctx, sizeof(double) * nn, 0, who), *M = sl__alloc(ctx, sizeof(double) * nn, 0, who);
    double *wr = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who), *wi = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)(8 * n + 64), 0, who);
    int *used = sl__alloc(ctx, sizeof(int) * (size_t)n, 1, who);
    sl_status st = SL_OK;
    if (!A || !M || !wr || !wi || !work || !used) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    memcpy(A, Z, sizeof(double) * nn);
    int lwork = 8 * n + 64, info = 0, one = 1;
    double dummy = 0;
    dgeev_("N", "N", &n, A, &n, wr, wi, &dummy, &one, &dummy, &one, work, &lwork, &info, 1, 1);
    if (info != 0) {
        st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: dgeev failed (info = %d)", who, info);
        goto done;
    }
    /* Eigenvalues are clustered at 10 tol |Z| (a Jordan block of size k
     * splits its eigenvalue by about (1e-16)^(1/k) |Z|, so blocks up to size 3
     * stay in one cluster).  A cluster of c eigenvalues a +- ib is semisimple
     * when the kernel of Z - a (b = 0) or of (Z - a)^2 + b^2 has dimension c;
     * on a Jordan block those are of the size of the coupling, on a
     * semisimple cluster of the size of the spread, 2b times it for the
     * quadratic. */
    double ct = 10 * tol * s, thr = 100 * tol * s;
    int semisimple = 1, real_axis = 1, imag_axis = 1;
    for (int i = 0; i < n && semisimple; ++i) {
        if (used[i]) continue;
        double a = 0, b = 0;
        int c = 0;
        for (int j = 0; j < n; ++j)
            if (!used[j] && fabs(wr[j] - wr[i]) <= ct && fabs(fabs(wi[j]) - fabs(wi[i])) <= ct) {
                used[j] = 1;
                a += wr[j];
                b += fabs(wi[j]);
                c++;
            }
        a /= c;
        b /= c;
        if (fabs(a) > ct) imag_axis = 0;
        if (b > ct) real_axis = 0;
        memcpy(M, Z, sizeof(double) * nn);
        for (int k = 0; k < n; ++k) M[(size_t)k * n + k] -= a;
        double t = thr;
        if (b > ct) {
            sl__dgemm_rm('N', 'N', n, n, n, M, M, 0, A);
            for (int k = 0; k < n; ++k) A[(size_t)k * n + k] += b * b;
            memcpy(M, A, sizeof(double) * nn);
            t = 2 * b * thr;
        }
        int null = 0;
        st = null_count(ctx, who, n, M, t, &null);
        if (st) goto done;
        if (null < c) semisimple = 0;
    }
    if (!semisimple) *kind = SL__ELEM_OTHER;
    else if (imag_axis) *kind = SL__ELEM_ELLIPTIC;
    else if (real_axis) *kind = SL__ELEM_HYPERBOLIC;
    else *kind = SL__ELEM_OTHER;
done:
    sl__free(ctx, A);
    sl__free(ctx, M);
    sl__free(ctx, wr);
    sl__free(ctx, wi);
    sl__free(ctx, work);
    sl__free(ctx, used);
    return st;
}

sl_status sl__lie_centre_action(sl_ctx *ctx, const char *who, int d, int n, const double *gens, const double *f,
                                double ctol, double etol, int *kind)
{
    size_t nn = (size_t)n * n;
    double *basis = sl__alloc(ctx, sizeof(double) * (size_t)d * d, 0, who);
    double *c = sl__alloc(ctx, sizeof(double) * (size_t)d, 0, who), *u = sl__alloc(ctx, sizeof(double) * (size_t)d, 1, who);
    double *Z = sl__alloc(ctx, sizeof(double) * nn, 1, who);
    sl_status st = SL_OK;
    int zdim = 0;
    if (!basis || !c || !u || !Z) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    if (!st) st = sl_lie_centre(ctx, d, f, ctol, &zdim, basis);
    if (!st && zdim == 0) *kind = SL__ELEM_ELLIPTIC;
    else if (!st) {
        sl_rng_fill_normal(sl_ctx_seed(ctx) ^ 0xce47e5ULL, 0, (size_t)zdim, 0, 1, c);
        for (int k = 0; k < zdim; ++k)
            for (int a = 0; a < d; ++a) u[a] += c[k] * basis[(size_t)k * d + a];
        for (int a = 0; a < d; ++a)
            for (size_t p = 0; p < nn; ++p) Z[p] += u[a] * gens[(size_t)a * nn + p];
        st = sl__lie_classify(ctx, who, n, Z, etol, kind);
    }
    sl__free(ctx, basis);
    sl__free(ctx, c);
    sl__free(ctx, u);
    sl__free(ctx, Z);
    return st;
}

sl_status sl_lie_group_is_compact(sl_ctx *ctx, int d, int n, const double *gens, double tol, int *compact)
{
    const char *who = "sl_lie_group_is_compact";
    SL_LIE_NEED_CTX(ctx);
    if (d < 1 || d > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %d (must be in 1..4096)", who, d);
    if (n < 1 || n > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..4096)", who, n);
    sl_status st = sl__check_array(ctx, who, "gens", gens, (size_t)d * n * n);
    if (st) return st;
    if (!compact) return sl__fail(ctx, SL_ERR_NULL, "%s: compact is NULL", who);
    if ((st = sl__lie_check_tol(ctx, who, tol))) return st;
    tol = SL_LIE_TOL(tol);
    size_t dd = (size_t)d * d;
    double *f = sl__alloc(ctx, sizeof(double) * dd * d, 0, who), *K = sl__alloc(ctx, sizeof(double) * dd, 0, who);
    if (!f || !K) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    double res = 0;
    int nneg = 0, npos = 0, nzero = 0, zdim = 0, kind = SL__ELEM_OTHER;
    /* the messages of the calls below name them; restate them as ours */
    st = sl_lie_structure_constants(ctx, d, n, gens, f, &res);
    if (!st && res > fmax(1e-6, 100 * tol))
        st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: the span is not closed under the bracket (closure residual %.3g)", who, res);
    if (!st) st = sl_lie_killing_form(ctx, d, f, K);
    if (!st) st = sl_lie_signature(ctx, d, K, tol, &nneg, &npos, &nzero);
    if (!st) st = sl_lie_centre(ctx, d, f, tol, &zdim, NULL);
    if (!st && npos == 0 && nzero == zdim) st = sl__lie_centre_action(ctx, who, d, n, gens, f, tol, tol, &kind);
    if (!st) *compact = npos == 0 && nzero == zdim && kind == SL__ELEM_ELLIPTIC;
    else sl__rewho(ctx, st, who);
done:
    sl__free(ctx, f);
    sl__free(ctx, K);
    return st;
}
