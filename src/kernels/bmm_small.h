/* Batches of small real matrix products with constant sizes (bmm_small.c). */
#ifndef SL_BMM_SMALL_H
#define SL_BMM_SMALL_H
#include "../core/internal.h"

/* c_t = op_a(a_t) op_b(b_t) for t < batch, a_t = a + t m k, b_t = b + t k n,
 * c_t = c + t m n (every operand a full batch, row-major; op 0 = N, 1 = T),
 * each element summed from 0 in the order of p without contraction: the
 * arithmetic of the plain loop of ops_matmul.c (small_real), so the same
 * bits.  Returns 0, doing nothing, for sizes it has no kernel for (only
 * m = n = k = 2, 3 or 4). */
SL_HIDDEN int sl__bmm_small(int op_a, int op_b, int64_t m, int64_t n, int64_t k, int64_t batch, const double *a,
                            const double *b, double *c);

#endif
