/* Vectorisable elementary functions for the hot elementwise kernels. */
#ifndef SL_VMATH_H
#define SL_VMATH_H
#include "../core/internal.h"

/* y[i] = tanh(x[i]), at most a few ulp from the correctly rounded value,
 * NaN propagated.  Dispatched at load time to an AVX2+FMA build when the CPU has
 * it (same results on a given machine on every run and thread count). */
SL_HIDDEN void sl__vtanh(const double *x, double *y, int64_t n);

#endif
