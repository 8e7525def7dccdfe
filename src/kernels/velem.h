/* Vectorised elementwise loops of the hot real ops (add, sub, mul, the tanh
 * backward maps).  Each does exactly the IEEE operations of the plain loop
 * it replaces, in the same order and without contraction, so results are
 * bit-identical to it; only the speed changes. */
#ifndef SL_VELEM_H
#define SL_VELEM_H
#include "../core/internal.h"

enum { SL__VADD = 0, SL__VSUB = 1, SL__VMUL = 2 };

/* o[i] = a[i] op b[i], i < n.  o does not overlap a or b. */
SL_HIDDEN void sl__vbinary(int op, const double *a, const double *b, double *o, int64_t n);
/* o[r cols + j] = a[r cols + j] op b[j] (b_first = 0) or b[j] op a[r cols + j]
 * (b_first = 1): a row vector broadcast over rows. */
SL_HIDDEN void sl__vbinary_rows(int op, int b_first, const double *a, const double *b, double *o, int64_t rows,
                                int64_t cols);
/* o[i] = gy[i] (1 - y[i]^2). */
SL_HIDDEN void sl__vtanh_backward(const double *y, const double *gy, double *o, int64_t n);
/* o[i] = (G[i] gy[i]) (-2 y[i]). */
SL_HIDDEN void sl__vtanh_backward_dy(const double *G, const double *gy, const double *y, double *o, int64_t n);

/* o[i] = (a[i] + b[i]) (1 - y[i]^2): tanh's backward map of a sum. */
SL_HIDDEN void sl__vtanh_backward_sum(const double *y, const double *a, const double *b, double *o, int64_t n);

/* o[i] = ((G[i] gy[i]) (-2 y[i])) (1 - y[i]^2): tanh's backward map of
 * tanh_backward_dy. */
SL_HIDDEN void sl__vtanh_backward_dy2(const double *G, const double *gy, const double *y, double *o, int64_t n);
/* SiLU's maps of (x, s), s = sigmoid(x), in the operation order of the
 * scalar loops of src/autodiff/ops_unary.c:
 *   grad:  o = s (1 + x (1 - s));   grad2: o = (s (1 - s)) (2 + x (1 - 2 s)). */
SL_HIDDEN void sl__vsilu_grad(const double *x, const double *s, double *o, int64_t n);
SL_HIDDEN void sl__vsilu_grad2(const double *x, const double *s, double *o, int64_t n);
/* o[i] = 0.5 x[i] and o[i] = 0.5 + 0.5 x[i] (o may be x). */
SL_HIDDEN void sl__vhalf(const double *x, double *o, int64_t n);
SL_HIDDEN void sl__vhalf_plus_half(const double *x, double *o, int64_t n);
/* o[i] = f(x[i]) for the exact one-operation maps below (s: the scalar of
 * the _S maps): -x, x x, x + s, s x, s - x, |x|, sign(x) (0 at 0 and NaN),
 * step(x) = (x > 0), relu(x) = x > 0 ? x : 0.  o may be x. */
enum { SL__VNEG, SL__VSQUARE, SL__VADD_S, SL__VMUL_S, SL__VRSUB_S, SL__VABS, SL__VSIGN, SL__VSTEP, SL__VRELU };
SL_HIDDEN void sl__vmap(int op, const double *x, double s, double *o, int64_t n);
/* acc[i] += x[i] (no overlap). */
SL_HIDDEN void sl__vaccumulate(double *acc, const double *x, int64_t n);
/* acc[j] += x[r w + j] for r = 0 .. rows-1 in turn, j < w: sl__vaccumulate of
 * each row in order, in one call. */
SL_HIDDEN void sl__vaccumulate_rows(double *acc, const double *x, int64_t rows, int64_t w);
/* The outer product c[i n + j] = a[i] b[j] (m x n). */
SL_HIDDEN void sl__vouter(const double *a, const double *b, double *c, int64_t m, int64_t n);

#endif
