/* libsymlearn analysis: Lie algebras given as plain arrays of matrix
 * generators.  Every call works on the caller's arrays (row-major, C order)
 * and allocates only scratch space through the context.
 *
 * Conventions.  d generators of size n x n are stored as gens[(a*n + i)*n + j]
 * = (J_a)_{ij}, a < d.  Structure constants f (d x d x d) are stored as
 * f[(a*d + b)*d + c] = f_{ab}^c with [J_a, J_b] = sum_c f_{ab}^c J_c.  The
 * metric of the basis is the Frobenius Gram matrix g_{ab} = Tr(J_a J_b^T).
 * The Killing form is K_{ab} = Tr(ad_a ad_b) = sum_{c,e} f_{ac}^e f_{be}^c.
 *
 * Tolerances are relative: a singular value or eigenvalue counts as zero when
 * it is at most tol times the largest one (tol <= 0 selects 1e-8; NaN and
 * tol >= 1 are SL_ERR_ARG).
 *
 * Errors common to every call: SL_ERR_NULL for a NULL ctx (no message: there
 * is no context to hold it) or a NULL array; SL_ERR_ARG for d, n outside
 * 1..4096.  Outputs are written only on success.
 *
 * Thread safety: the calls touch only their arguments and the context, so
 * distinct contexts may be used from distinct threads. */
#ifndef SYMLEARN_ANALYSIS_H
#define SYMLEARN_ANALYSIS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Structure constants of the span of gens by least squares:
 * f_{ab} = g^{-1} b_{ab} with b_{ab,c} = Tr([J_a, J_b] J_c^T) (Forestano et al.
 * 2023, sec. 2: [J_a, J_b] = sum_c f_{ab}^c J_c).  f (d*d*d doubles) receives
 * the constants; residual (may be NULL) the relative closure residual
 * sqrt(sum_{a<b} |[J_a,J_b] - sum_c f_{ab}^c J_c|_F^2 / sum_{a<b} |[J_a,J_b]|_F^2)
 * (0 for an abelian set).  A residual well above rounding means the span is not
 * closed under the bracket.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (d < 1, n < 1), SL_ERR_NONFINITE (NaN/Inf
 * in gens), SL_ERR_NUMERIC (the generators are linearly dependent: one lies
 * within a relative 1e-6 of the span of the ones before it), SL_ERR_NOMEM. */
SL_API sl_status sl_lie_structure_constants(sl_ctx *ctx, int d, int n, const double *gens,
                                            double *f, double *residual);

/* Killing form K (d*d doubles, symmetric) from the structure constants f.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (d < 1), SL_ERR_NONFINITE. */
SL_API sl_status sl_lie_killing_form(sl_ctx *ctx, int d, const double *f, double *K);

/* Eigenvalues of g^{-1} K (d doubles, ascending), g the Gram matrix of gens:
 * basis-independent numbers such as -(n-2) for every generator of so(n), +-2
 * for so(1,3), -4 for g2 on R^7.  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_NONFINITE, SL_ERR_NUMERIC (gens dependent, LAPACK failure). */
SL_API sl_status sl_lie_killing_eigenvalues(sl_ctx *ctx, int d, int n, const double *gens,
                                            const double *K, double *eig);

/* Signature of the symmetric d x d form K: the numbers of negative, positive
 * and zero eigenvalues (any output may be NULL).  A compact semisimple algebra
 * has (d, 0, 0); so(1,3) has (3, 3, 0).  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_NONFINITE, SL_ERR_NUMERIC. */
SL_API sl_status sl_lie_signature(sl_ctx *ctx, int d, const double *K, double tol, int *nneg,
                                  int *npos, int *nzero);

/* Rank: the dimension of the centraliser of a generic (random, seeded from the
 * context) element X, i.e. the size of a maximal commuting set (a Cartan
 * subalgebra for reductive algebras).  cartan (may be NULL; d*d doubles)
 * receives in its first *rank rows the coefficient vectors of an orthonormal
 * basis of that set in the basis J.  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_NONFINITE, SL_ERR_NUMERIC. */
SL_API sl_status sl_lie_rank(sl_ctx *ctx, int d, const double *f, double tol, int *rank,
                             double *cartan);

/* Centre: the elements commuting with everything.  *dim receives its
 * dimension; basis (may be NULL; d*d doubles) its first *dim rows an
 * orthonormal basis of coefficient vectors.  Errors as sl_lie_rank. */
SL_API sl_status sl_lie_centre(sl_ctx *ctx, int d, const double *f, double tol, int *dim,
                               double *basis);

/* Compactness of the abstract algebra: *compact = 1 when its Killing form is
 * negative semi-definite with a null space equal to the centre (compact
 * semisimple plus abelian), else 0.  Structure constants do not say how the
 * centre acts: a rotation and a boost both give u(1) = R here; for matrix
 * generators use sl_lie_group_is_compact.  Errors as sl_lie_rank. */
SL_API sl_status sl_lie_is_compact(sl_ctx *ctx, int d, const double *f, double tol, int *compact);

/* Compactness of the group the matrices generate: *compact = 1 when the
 * closure of exp(span gens) in GL(n, R) is compact, i.e. every generator is
 * skew with respect to one positive form (J^T P + P J = 0, P > 0), else 0.
 * Judged from the representation: the abstract algebra must be compact (as
 * sl_lie_is_compact) and its centre must act by elliptic matrices
 * (diagonalisable over C with purely imaginary eigenvalues): one rotation of
 * R^2 is compact, one boost (real eigenvalues +-1) or one shear (nilpotent)
 * is not.  The span must be closed under the bracket.  Errors: SL_ERR_NULL,
 * SL_ERR_ARG, SL_ERR_NONFINITE, SL_ERR_NUMERIC (dependent generators, a span
 * not closed to a relative max(1e-6, 100 tol), LAPACK), SL_ERR_NOMEM. */
SL_API sl_status sl_lie_group_is_compact(sl_ctx *ctx, int d, int n, const double *gens, double tol,
                                         int *compact);

/* Decomposition into ideals: the centre (abelian, reported as one ideal of
 * kind 0) and the simple ideals of the semisimple part (kind 1), found as the
 * invariant subspaces of a random element of the commutant of the adjoint
 * representation.  *nideals receives their count; dims (d ints) their
 * dimensions; kinds (d ints, may be NULL) their kinds; basis (d*d doubles, may
 * be NULL) consecutive rows of coefficient vectors spanning each ideal.
 * Only attempted for d <= 32 (SL_ERR_UNSUPPORTED above) and when the
 * algebra is reductive (SL_ERR_NUMERIC otherwise: no clean split found).
 * Nothing is written on failure.
 * Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NONFINITE, SL_ERR_NUMERIC,
 * SL_ERR_UNSUPPORTED, SL_ERR_NOMEM. */
SL_API sl_status sl_lie_decompose(sl_ctx *ctx, int d, const double *f, double tol, int *nideals,
                                  int *dims, int *kinds, double *basis);

/* Distance between the spans of two sets of n x n matrices: the spectral norm
 * ||P_A - P_B||_2 of the difference of the orthogonal projectors onto span(A)
 * and span(B) in R^{n*n} (0: same span, 1: a direction of one is orthogonal
 * to the other).  Accurate to rounding (no 1 - cos^2 cancellation).  Scratch
 * of O((da + db) n^2) doubles.  da, db in 1..4096.
 * Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NONFINITE, SL_ERR_NUMERIC, SL_ERR_NOMEM. */
SL_API sl_status sl_lie_span_distance(sl_ctx *ctx, int n, int da, const double *a, int db,
                                      const double *b, double *dist);

/* Rotate d orthogonal generators (gens, modified in place) within their span
 * towards a sparse, canonical basis: Jacobi sweeps of plane rotations that
 * maximise sum_a |J_a|_4^4 at fixed Frobenius norms (the quartimax form of the
 * sparsity term sum_{p!=q} r_p^2 r_q^2 = |r|_2^4 - |r|_4^4), then each
 * generator signed so that its first largest entry is positive, and the
 * generators ordered by the position of that entry.  The span is unchanged;
 * an orthonormal input stays orthonormal.  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_NONFINITE, SL_ERR_NOMEM (gens then unchanged). */
SL_API sl_status sl_lie_sparsify(sl_ctx *ctx, int d, int n, double *gens);

#ifdef __cplusplus
}
#endif
#endif
