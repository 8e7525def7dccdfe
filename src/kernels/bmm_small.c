/* Batches of small real matrix products (bmm_small.h).  The batched product
 * of 2 x 2 (Lax pairs: commutators [L, M] per row, and their gradients) or
 * 4 x 4 matrices (the overlaps of unit gradients, bench conserved) through
 * the generic loop costs ~25 ns a product in index arithmetic and operand
 * dispatch; here sizes and ops are constants of an inlined kernel, so each
 * product is a few straight-line multiply-adds (~2 ns).  Contraction off:
 * every element is 0 + a_0 b_0 + a_1 b_1 + ... in that order, as in the loop. */
#include "bmm_small.h"

#include "cpu.h"

#if defined(__GNUC__) && !defined(__clang__)
#define BMM_EXACT __attribute__((optimize("O3", "fp-contract=off")))
#define BMM_INLINE __attribute__((always_inline)) static inline
#else
#define BMM_EXACT
#define BMM_INLINE static inline
#endif

/* Element (i, j) of op(x), x row-major with `cols` columns (op 0 = N). */
#define AT(x, op, i, j, cols) ((op) == 0 ? (x)[(i) * (cols) + (j)] : (x)[(j) * (cols) + (i)])

BMM_INLINE void bmm(int op_a, int op_b, int m, int n, int k, int64_t batch, const double *restrict a,
                    const double *restrict b, double *restrict c)
{
    int acols = op_a == 0 ? k : m, bcols = op_b == 0 ? n : k;
    for (int64_t t = 0; t < batch; ++t) {
        const double *A = a + t * m * k, *B = b + t * k * n;
        double *C = c + t * m * n;
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) {
                double acc = 0;
                for (int p = 0; p < k; ++p) acc += AT(A, op_a, i, p, acols) * AT(B, op_b, p, j, bcols);
                C[i * n + j] = acc;
            }
    }
}

#define BMM_OPS(S)                                                                  \
    switch (op_a * 2 + op_b) {                                                      \
    case 0: bmm(0, 0, S, S, S, batch, a, b, c); return 1;                            \
    case 1: bmm(0, 1, S, S, S, batch, a, b, c); return 1;                            \
    case 2: bmm(1, 0, S, S, S, batch, a, b, c); return 1;                            \
    default: bmm(1, 1, S, S, S, batch, a, b, c); return 1;                           \
    }

SL_CLONES BMM_EXACT static int bmm_small(int op_a, int op_b, int64_t m, int64_t n, int64_t k, int64_t batch,
                                         const double *restrict a, const double *restrict b, double *restrict c)
{
    if (m != n || n != k) return 0;
    if (m == 2) BMM_OPS(2)
    if (m == 3) BMM_OPS(3)
    if (m == 4) BMM_OPS(4)
    return 0;
}

int sl__bmm_small(int op_a, int op_b, int64_t m, int64_t n, int64_t k, int64_t batch, const double *a,
                  const double *b, double *c)
{
    if ((op_a != 0 && op_a != 1) || (op_b != 0 && op_b != 1)) return 0;
    return bmm_small(op_a, op_b, m, n, k, batch, a, b, c);
}
