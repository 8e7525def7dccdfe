/* The Taylor tail of exp shared by the vector tanh (vmath.c) and the vector
 * exp/erf/GELU kernels (vspecial.c): after SL__EXP_TAYLOR_TAIL(p, r),
 * p = sum_{j>=0} r^j / (j + 2)! truncated at r^11, so expm1(r) = r + r^2 p
 * (|r| <= ln2/2: truncation < 1e-17).  A macro, not a function: the callers
 * are compiled with different per-function optimisation attributes (target
 * clones, FMA contraction) and must each get the same code as written inline. */
#ifndef SL_KERNELS_EXP_TAYLOR_H
#define SL_KERNELS_EXP_TAYLOR_H

#define SL__EXP_TAYLOR_TAIL(p, r)                                                                                    \
    do {                                                                                                         \
        (p) = 1.0 / 6227020800.0;                                                                                \
        (p) = (p) * (r) + 1.0 / 479001600.0;                                                                     \
        (p) = (p) * (r) + 1.0 / 39916800.0;                                                                      \
        (p) = (p) * (r) + 1.0 / 3628800.0;                                                                       \
        (p) = (p) * (r) + 1.0 / 362880.0;                                                                        \
        (p) = (p) * (r) + 1.0 / 40320.0;                                                                         \
        (p) = (p) * (r) + 1.0 / 5040.0;                                                                          \
        (p) = (p) * (r) + 1.0 / 720.0;                                                                           \
        (p) = (p) * (r) + 1.0 / 120.0;                                                                           \
        (p) = (p) * (r) + 1.0 / 24.0;                                                                            \
        (p) = (p) * (r) + 1.0 / 6.0;                                                                             \
        (p) = (p) * (r) + 0.5;                                                                                   \
    } while (0)

#endif
