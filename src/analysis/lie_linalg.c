/* Dense linear algebra for the analysis layer: row-major GEMM, SVD and null
 * spaces through LAPACK, argument checks. */
#include "lie_internal.h"

#include <math.h>

sl_status sl__check_array(sl_ctx *ctx, const char *who, const char *name, const double *x,
                          size_t count)
{
    if (!x) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, name);
    int64_t bad = sl__first_nonfinite(x, count);
    if (bad >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: %s[%lld] = %g (not finite)", who, name,
                        (long long)bad, x[bad]);
    return SL_OK;
}

void sl__dgemm_rm(char ta, char tb, int m, int n, int k, const double *A, const double *B,
                  double beta, double *C)
{
    /* Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T. */
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        if (beta == 0) memset(C, 0, sizeof(double) * (size_t)m * n);
        return;
    }
    const double one = 1.0;
    sl_blas_int bm = m, bn = n, bk = k, lda = ta == 'T' ? m : k, ldb = tb == 'T' ? k : n;
    dgemm_(&tb, &ta, &bn, &bm, &bk, &one, B, &ldb, A, &lda, &beta, C, &bn, 1, 1);
}

/* dgesdd on the row-major rows x cols matrix A (destroyed): singular values s
 * and, when u is not NULL, the min(rows, cols) right singular vectors of A as
 * the columns of u (column-major cols x min(rows, cols)). */
static sl_status svd_raw(sl_ctx *ctx, const char *who, int rows, int cols, double *A, double *s, double *u)
{
    /* Row-major A (rows x cols) is column-major A^T (cols x rows) = U S V^T,
     * so the right singular vectors of A are the columns of U here. */
    sl_blas_int m = cols, n = rows, mn = m < n ? m : n, info = 0, lwork = -1;
    char jobz = u ? 'S' : 'N';
    sl_blas_int *iwork = sl__alloc(ctx, sizeof(sl_blas_int) * 8 * (size_t)mn, 0, who);
    double *vt2 = u ? sl__alloc(ctx, sizeof(double) * (size_t)mn * n, 0, who) : NULL;
    double q = 0, *work = NULL;
    sl_status st = SL_OK;
    if (!iwork || (u && !vt2)) { st = SL_ERR_NOMEM; goto done; }
    sl_blas_int ldu = m, ldvt = mn;
    dgesdd_(&jobz, &m, &n, A, &m, s, u ? u : &q, &ldu, vt2 ? vt2 : &q, &ldvt, &q, &lwork, iwork,
            &info, 1);
    lwork = (sl_blas_int)q + 1;
    work = sl__alloc(ctx, sizeof(double) * (size_t)lwork, 0, who);
    if (!work) { st = SL_ERR_NOMEM; goto done; }
    dgesdd_(&jobz, &m, &n, A, &m, s, u ? u : &q, &ldu, vt2 ? vt2 : &q, &ldvt, work, &lwork, iwork,
            &info, 1);
    if (info != 0) st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: dgesdd failed (info = %d)", who, info);
done:
    if (st == SL_ERR_NOMEM) sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory in SVD", who);
    sl__free(ctx, iwork);
    sl__free(ctx, vt2);
    sl__free(ctx, work);
    return st;
}

sl_status sl__svd_thin(sl_ctx *ctx, const char *who, int rows, int cols, double *A, double *s, double *vt)
{
    /* column-major cols x mn is row-major mn x cols: row i = right vector i */
    return svd_raw(ctx, who, rows, cols, A, s, vt);
}

sl_status sl__svd(sl_ctx *ctx, const char *who, int rows, int cols, double *A, double *s,
                  double *vt)
{
    int mn = rows < cols ? rows : cols;
    if (!vt) return svd_raw(ctx, who, rows, cols, A, s, NULL);
    double *u = sl__alloc(ctx, sizeof(double) * (size_t)cols * mn, 0, who);
    if (!u) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory in SVD", who);
    sl_status st = svd_raw(ctx, who, rows, cols, A, s, u);
    if (!st) {
        /* Left vectors u (column-major cols x mn): column i is right vector i of A.
         * Complete to a full basis of R^cols when rows < cols: the rest of the
         * space is null; it is spanned by the complement, found by a second SVD. */
        memset(vt, 0, sizeof(double) * (size_t)cols * cols);
        memcpy(vt, u, sizeof(double) * (size_t)mn * cols);
        if (mn < cols) {
            /* Complement: null space of the mn x cols matrix of the vectors found. */
            double *B = sl__alloc(ctx, sizeof(double) * (size_t)cols * cols, 1, who);
            double *s2 = sl__alloc(ctx, sizeof(double) * (size_t)cols, 0, who);
            double *v2 = sl__alloc(ctx, sizeof(double) * (size_t)cols * cols, 0, who);
            if (!B || !s2 || !v2) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory in SVD", who);
            else {
                memcpy(B, vt, sizeof(double) * (size_t)mn * cols);
                /* a square (zero-padded) matrix: full V */
                st = sl__svd(ctx, who, cols, cols, B, s2, v2);
                if (st == SL_OK)
                    memcpy(vt + (size_t)mn * cols, v2 + (size_t)mn * cols,
                           sizeof(double) * (size_t)(cols - mn) * cols);
            }
            sl__free(ctx, B);
            sl__free(ctx, s2);
            sl__free(ctx, v2);
        }
    }
    sl__free(ctx, u);
    return st;
}

sl_status sl__nullspace(sl_ctx *ctx, const char *who, int rows, int cols, double *A, double tol,
                        int *dim, double *basis, double *s)
{
    int mn = rows < cols ? rows : cols;
    double *sv = sl__alloc(ctx, sizeof(double) * (size_t)cols, 1, who);
    double *vt = sl__alloc(ctx, sizeof(double) * (size_t)cols * cols, 0, who);
    if (!sv || !vt) {
        sl__free(ctx, sv);
        sl__free(ctx, vt);
        return SL_ERR_NOMEM;
    }
    sl_status st = sl__svd(ctx, who, rows, cols, A, sv, vt);
    if (st == SL_OK) {
        double smax = mn > 0 ? sv[0] : 0, thr = SL_LIE_TOL(tol) * smax;
        int r = 0;
        if (smax >= 1e-300)
            while (r < mn && sv[r] > thr) ++r;
        *dim = cols - r;
        if (basis) memcpy(basis, vt + (size_t)r * cols, sizeof(double) * (size_t)(cols - r) * cols);
        if (s) memcpy(s, sv, sizeof(double) * (size_t)mn);
    }
    sl__free(ctx, sv);
    sl__free(ctx, vt);
    return st;
}

sl_status sl__gram_chol(sl_ctx *ctx, const char *who, int d, int n, const double *gens, double *g)
{
    sl__dgemm_rm('N', 'T', d, d, n * n, gens, gens, 0, g);
    double *diag = sl__alloc(ctx, sizeof(double) * (size_t)d, 0, who);
    if (!diag) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    for (int a = 0; a < d; ++a) diag[a] = g[(size_t)a * d + a];
    sl_blas_int bd = d, info = 0;
    int bad = -1;
    dpotrf_("L", &bd, g, &bd, &info, 1);
    if (info != 0) bad = (int)info - 1;
    /* L_jj^2 is the squared distance of J_j from the span of J_0..J_{j-1}:
     * rounding leaves ~1e-16 g_jj for a dependent J_j, so below 1e-12 g_jj
     * (an angle of 1e-6) the set counts as dependent. */
    for (int a = 0; a < d && bad < 0; ++a) {
        double l = g[(size_t)a * d + a];
        if (!(l * l > 1e-12 * diag[a])) bad = a;
    }
    sl__free(ctx, diag);
    if (bad >= 0)
        return sl__fail(ctx, SL_ERR_NUMERIC,
                        "%s: the generators are linearly dependent (generator %d lies in the span of the ones before it)",
                        who, bad);
    return SL_OK;
}

void sl__lie_ad(int d, const double *f, double *ad)
{
    for (int a = 0; a < d; ++a)
        for (int c = 0; c < d; ++c)
            for (int e = 0; e < d; ++e)
                ad[((size_t)a * d + e) * d + c] = f[((size_t)a * d + c) * d + e];
}

sl_status sl__lie_fit_pairs(sl_ctx *ctx, const char *who, int d, int n, const double *gens, int P,
                            const int *ia, const int *ib, double *C, double *residual)
{
    size_t nn = (size_t)n * n;
    double *g = sl__alloc(ctx, sizeof(double) * (size_t)d * d, 0, who);
    double *comm = sl__alloc(ctx, sizeof(double) * (P > 0 ? (size_t)P : 1) * nn, 0, who);
    double *tmp = sl__alloc(ctx, sizeof(double) * nn, 0, who);
    sl_status st = SL_OK;
    if (!g || !comm || !tmp) { st = SL_ERR_NOMEM; goto done; }
    st = sl__gram_chol(ctx, who, d, n, gens, g);
    if (st) goto done;
    for (int p = 0; p < P; ++p) {
        const double *A = gens + (size_t)ia[p] * nn, *B = gens + (size_t)ib[p] * nn;
        double *Cp = comm + (size_t)p * nn;
        sl__dgemm_rm('N', 'N', n, n, n, A, B, 0, Cp);
        sl__dgemm_rm('N', 'N', n, n, n, B, A, 0, tmp);
        for (size_t k = 0; k < nn; ++k) Cp[k] -= tmp[k];
    }
    /* rhs b (P x d) = comm gens^T; solve g c = b for each pair (g SPD). */
    sl__dgemm_rm('N', 'T', P, d, (int)nn, comm, gens, 0, C);
    sl_blas_int bd = d, bp = P, info = 0;
    if (P > 0) dpotrs_("L", &bd, &bp, g, &bd, C, &bd, &info, 1);
    if (residual) {
        double num = 0, den = 0;
        for (int p = 0; p < P; ++p) {
            double *Cp = comm + (size_t)p * nn;
            for (size_t k = 0; k < nn; ++k) den += Cp[k] * Cp[k];
        }
        /* comm - C gens */
        if (P > 0) {
            const double minus = -1.0, one = 1.0;
            sl_blas_int nni = (sl_blas_int)nn;
            dgemm_("N", "N", &nni, &bp, &bd, &minus, gens, &nni, C, &bd, &one, comm, &nni, 1, 1);
        }
        for (size_t k = 0; k < (size_t)P * nn; ++k) num += comm[k] * comm[k];
        *residual = den > 0 ? sqrt(num / den) : 0.0;
    }
done:
    if (st == SL_ERR_NOMEM) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    sl__free(ctx, g);
    sl__free(ctx, comm);
    sl__free(ctx, tmp);
    return st;
}
