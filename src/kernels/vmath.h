/* Vectorisable elementary functions for the hot elementwise kernels. */
#ifndef SL_VMATH_H
#define SL_VMATH_H
#include "../core/internal.h"

/* y[i] = tanh(x[i]), at most a few ulp from the correctly rounded value,
 * NaN propagated.  Dispatched at load time to an AVX2+FMA build when the CPU has
 * it (same results on a given machine on every run and thread count). */
SL_HIDDEN void sl__vtanh(const double *x, double *y, int64_t n);
/* y[r cols + j] = tanh(x[r cols + j] + b[j]): the bits of the sum then
 * sl__vtanh, in one pass (y must not overlap x or b). */
/* y[i] = sigmoid(x[i]) = (1 + tanh(x[i] / 2)) / 2 through tanh above. */
SL_HIDDEN void sl__vsigmoid(const double *x, double *y, int64_t n);
SL_HIDDEN void sl__vtanh_rows(const double *x, const double *b, double *y, int64_t rows, int64_t cols);

#endif
