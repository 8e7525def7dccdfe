/* The BLAS and LAPACK routines the library calls, declared once.
 *
 * Fortran symbols (trailing underscore, every argument by reference) of the
 * LP64 interface: integers are sl_blas_int (32 bits, what Debian's OpenBLAS,
 * the reference BLAS and LAPACK export).  gfortran passes the length of each
 * CHARACTER argument as a trailing size_t, after the other arguments. */
#ifndef SL_KERNELS_BLAS_H
#define SL_KERNELS_BLAS_H

#include <stddef.h>

typedef int sl_blas_int;

/* ---- BLAS ---------------------------------------------------------------------- */
void dgemm_(const char *ta, const char *tb, const sl_blas_int *m, const sl_blas_int *n, const sl_blas_int *k,
            const double *alpha, const double *a, const sl_blas_int *lda, const double *b, const sl_blas_int *ldb,
            const double *beta, double *c, const sl_blas_int *ldc, size_t lta, size_t ltb);
/* complex double: alpha, beta, a, b, c point to (re, im) pairs */
void zgemm_(const char *ta, const char *tb, const sl_blas_int *m, const sl_blas_int *n, const sl_blas_int *k,
            const void *alpha, const void *a, const sl_blas_int *lda, const void *b, const sl_blas_int *ldb,
            const void *beta, void *c, const sl_blas_int *ldc, size_t lta, size_t ltb);
void dgemv_(const char *t, const sl_blas_int *m, const sl_blas_int *n, const double *alpha, const double *a,
            const sl_blas_int *lda, const double *x, const sl_blas_int *incx, const double *beta, double *y,
            const sl_blas_int *incy, size_t lt);

/* ---- LAPACK -------------------------------------------------------------------- */
void dgesdd_(const char *jobz, const sl_blas_int *m, const sl_blas_int *n, double *a, const sl_blas_int *lda,
             double *s, double *u, const sl_blas_int *ldu, double *vt, const sl_blas_int *ldvt, double *work,
             const sl_blas_int *lwork, sl_blas_int *iwork, sl_blas_int *info, size_t ljobz);
void dsyev_(const char *jobz, const char *uplo, const sl_blas_int *n, double *a, const sl_blas_int *lda, double *w,
            double *work, const sl_blas_int *lwork, sl_blas_int *info, size_t ljobz, size_t luplo);
void dsygv_(const sl_blas_int *itype, const char *jobz, const char *uplo, const sl_blas_int *n, double *a,
            const sl_blas_int *lda, double *b, const sl_blas_int *ldb, double *w, double *work,
            const sl_blas_int *lwork, sl_blas_int *info, size_t ljobz, size_t luplo);
void dpotrf_(const char *uplo, const sl_blas_int *n, double *a, const sl_blas_int *lda, sl_blas_int *info,
             size_t luplo);
void dpotrs_(const char *uplo, const sl_blas_int *n, const sl_blas_int *nrhs, const double *a,
             const sl_blas_int *lda, double *b, const sl_blas_int *ldb, sl_blas_int *info, size_t luplo);
void dgeev_(const char *jobvl, const char *jobvr, const sl_blas_int *n, double *a, const sl_blas_int *lda,
            double *wr, double *wi, double *vl, const sl_blas_int *ldvl, double *vr, const sl_blas_int *ldvr,
            double *work, const sl_blas_int *lwork, sl_blas_int *info, size_t ljobvl, size_t ljobvr);

#endif
