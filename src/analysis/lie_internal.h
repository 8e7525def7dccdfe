/* Internal helpers of the analysis layer: dense linear algebra used by the
 * Lie-algebra analysis and the symmetry solvers (BLAS / LAPACK through
 * ../kernels/blas.h). */
#ifndef SL_LIE_INTERNAL_H
#define SL_LIE_INTERNAL_H

#include "../core/internal.h"
#include "symlearn/analysis.h"
#include "../kernels/blas.h"

#define SL_LIE_TOL(t) ((t) > 0 ? (t) : 1e-8)

/* Every public call starts with this: without a context there is nowhere to
 * put a message, so a NULL ctx is SL_ERR_NULL and nothing else. */
#define SL_LIE_NEED_CTX(ctx)              \
    do {                                  \
        if (!(ctx)) return SL_ERR_NULL;   \
    } while (0)

/* A tolerance argument: NaN, Inf and values of 1 or more are SL_ERR_ARG. */
SL_HIDDEN sl_status sl__lie_check_tol(sl_ctx *ctx, const char *who, double tol);

/* C (row-major m x n) = A (m x k) B (k x n), or with A or B transposed
 * (ta, tb = 'T': A stored k x m, B stored n x k).  beta: 0 or 1. */
SL_HIDDEN void sl__dgemm_rm(char ta, char tb, int m, int n, int k, const double *A,
                            const double *B, double beta, double *C);

/* Singular values (descending) and right singular vectors of the row-major
 * rows x cols matrix A (A is destroyed).  vt (cols x cols, row i = i-th right
 * singular vector) may be NULL.  Needs rows >= 1; works for any shape.
 * Returns SL_ERR_NOMEM / SL_ERR_NUMERIC with a message naming who. */
SL_HIDDEN sl_status sl__svd(sl_ctx *ctx, const char *who, int rows, int cols, double *A, double *s,
                            double *vt);

/* The first min(rows, cols) right singular vectors only, as the rows of vt
 * (min(rows, cols) x cols): no completion to a basis of R^cols. */
SL_HIDDEN sl_status sl__svd_thin(sl_ctx *ctx, const char *who, int rows, int cols, double *A, double *s,
                                 double *vt);

/* Gram matrix g_ab = Tr(J_a J_b^T) of d generators, Cholesky-factored in
 * place (lower triangle, column-major); SL_ERR_NUMERIC (message naming who)
 * when the generators are linearly dependent to a relative 1e-6. */
SL_HIDDEN sl_status sl__gram_chol(sl_ctx *ctx, const char *who, int d, int n, const double *gens, double *g);

/* How a single n x n matrix Z acts (relative tolerance tol): elliptic
 * (diagonalisable over C with imaginary eigenvalues: exp(tZ) stays bounded),
 * hyperbolic (diagonalisable with real eigenvalues, not all zero), or
 * neither (a nilpotent part, or complex eigenvalues off the axes). */
enum { SL__ELEM_OTHER = 0, SL__ELEM_ELLIPTIC = 1, SL__ELEM_HYPERBOLIC = 2 };
SL_HIDDEN sl_status sl__lie_classify(sl_ctx *ctx, const char *who, int n, const double *Z, double tol, int *kind);

/* How the centre (f the structure constants of gens; found at relative
 * tolerance ctol) acts on R^n: the class (at tolerance etol) of a random
 * central element; elliptic for a zero centre.  Commuting matrices are
 * simultaneously triangulable, so a random combination is elliptic exactly
 * when every central element is. */
SL_HIDDEN sl_status sl__lie_centre_action(sl_ctx *ctx, const char *who, int d, int n, const double *gens,
                                          const double *f, double ctol, double etol, int *kind);

/* Null space of the row-major rows x cols matrix A (destroyed): *dim vectors
 * with s_i <= tol * s_max (or s_max itself tiny, < 1e-300: everything), as
 * rows of basis (cols x cols, may be NULL).  s (min(rows, cols), may be NULL)
 * receives the singular values. */
SL_HIDDEN sl_status sl__nullspace(sl_ctx *ctx, const char *who, int rows, int cols, double *A,
                                  double tol, int *dim, double *basis, double *s);

/* ad matrices: ad[a][e][c] = f_{ac}^e (d*d*d doubles). */
SL_HIDDEN void sl__lie_ad(int d, const double *f, double *ad);

/* Check pointer and finiteness of count doubles; records "who: name ...". */
SL_HIDDEN sl_status sl__check_array(sl_ctx *ctx, const char *who, const char *name,
                                    const double *x, size_t count);

/* Least-squares structure constants for the P pairs (ia[p], ib[p]):
 * C[p][c] with [J_ia, J_ib] ~ sum_c C[p][c] J_c.  Scratch from ctx. */
SL_HIDDEN sl_status sl__lie_fit_pairs(sl_ctx *ctx, const char *who, int d, int n, const double *gens,
                                      int P, const int *ia, const int *ib, double *C,
                                      double *residual);

#endif
