/* Real GEMMs of narrow operands (gemm_narrow.c): the products of small dense
 * networks, batch x width times width x width with widths up to 64. */
#ifndef SL_GEMM_NARROW_H
#define SL_GEMM_NARROW_H
#include "../core/internal.h"

/* Row-major c (m x n) = op_a(a) op_b(b) (op 0 = N, 1 = T; beta = 0), when
 * the shapes are ones it has a kernel for and the CPU has AVX-512:
 *   N N: n a multiple of 8, n <= 64, k <= 64;
 *   N T: the same, b (n x k) transposed first (k n <= 4096);
 *   T N: m <= 64, n a multiple of 8, n <= 64 (any k: a reduction over the batch),
 *        or n < 8 with m a multiple of 8 up to 64 (as c^T = b^T a);
 *   N N and N T with n = 4, k <= 1024 (layers with 4 outputs).
 * Returns 1 when it computed c, 0 (c untouched) otherwise.  Deterministic:
 * each element is one chain of multiply-adds in the order of p. */
SL_HIDDEN int sl__gemm_narrow(int op_a, int op_b, int64_t m, int64_t n, int64_t k, const double *a, const double *b,
                              double *c);

#endif
