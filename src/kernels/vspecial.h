/* Vectorisable exp, erf and the GELU activation's derivatives (vspecial.c). */
#ifndef SL_VSPECIAL_H
#define SL_VSPECIAL_H
#include "../core/internal.h"

/* y[i] = exp(x[i]): within ~1 ulp of glibc's, overflow to +Inf above
 * 709.78, gradual underflow to subnormals and 0, NaN propagated.  y may not
 * overlap x.  Dispatched at load time (x86-64-v4 / -v3 / baseline builds;
 * results can differ in the last bit between builds, each is deterministic). */
SL_HIDDEN void sl__vexp(const double *x, double *y, int64_t n);
/* y[i] = erf(x[i]), ~1 ulp; odd (erf(-0) = -0), +-1 beyond |x| > 6, NaN propagated. */
SL_HIDDEN void sl__verf(const double *x, double *y, int64_t n);
/* GELU s(x) = x Phi(x) = x (1 + erf(x / sqrt 2)) / 2 and its derivatives
 * s' = Phi + x ph, s'' = ph (2 - x^2), s''' = x ph (x^2 - 4), ph the normal
 * density, into four arrays (no overlap with x). */
SL_HIDDEN void sl__vgelu4(const double *x, double *s0, double *s1, double *s2, double *s3, int64_t n);

#endif
