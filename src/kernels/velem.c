/* Vectorised elementwise loops (velem.h).  Built for x86-64-v3 and the
 * baseline, and AVX-512 (SL_CLONES_V4) at -O3 with contraction off: the vector code does the
 * scalar loop's operations one for one, so the results are the same bits. */
#include "velem.h"

#include "cpu.h"

#include <math.h>

#if defined(__GNUC__) && !defined(__clang__)
#define SL_O3_EXACT __attribute__((optimize("O3", "fp-contract=off")))
#else
#define SL_O3_EXACT
#endif

SL_CLONES_V4 SL_O3_EXACT
static void vbinary(int op, const double *restrict a, const double *restrict b, double *restrict o, int64_t n)
{
    if (op == SL__VADD)
        for (int64_t i = 0; i < n; ++i) o[i] = a[i] + b[i];
    else if (op == SL__VSUB)
        for (int64_t i = 0; i < n; ++i) o[i] = a[i] - b[i];
    else
        for (int64_t i = 0; i < n; ++i) o[i] = a[i] * b[i];
}

SL_CLONES_V4 SL_O3_EXACT
static void vbinary_rows(int op, int b_first, const double *restrict a, const double *restrict b, double *restrict o,
                         int64_t rows, int64_t cols)
{
    for (int64_t r = 0; r < rows; ++r) {
        const double *restrict ar = a + r * cols;
        double *restrict orow = o + r * cols;
        if (op == SL__VADD)
            for (int64_t j = 0; j < cols; ++j) orow[j] = b_first ? b[j] + ar[j] : ar[j] + b[j];
        else if (op == SL__VSUB && b_first)
            for (int64_t j = 0; j < cols; ++j) orow[j] = b[j] - ar[j];
        else if (op == SL__VSUB)
            for (int64_t j = 0; j < cols; ++j) orow[j] = ar[j] - b[j];
        else
            for (int64_t j = 0; j < cols; ++j) orow[j] = b_first ? b[j] * ar[j] : ar[j] * b[j];
    }
}

SL_CLONES_V4 SL_O3_EXACT
static void vtanh_backward(const double *restrict y, const double *restrict gy, double *restrict o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) o[i] = gy[i] * (1.0 - y[i] * y[i]);
}

SL_CLONES_V4 SL_O3_EXACT
static void vtanh_backward_dy(const double *restrict G, const double *restrict gy, const double *restrict y,
                              double *restrict o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) o[i] = (G[i] * gy[i]) * (-2.0 * y[i]);
}

SL_CLONES_V4 SL_O3_EXACT
static void vtanh_backward_sum(const double *restrict y, const double *restrict a, const double *restrict b,
                               double *restrict o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        double s = a[i] + b[i];
        o[i] = s * (1.0 - y[i] * y[i]);
    }
}

SL_CLONES_V4 SL_O3_EXACT
static void vtanh_backward_dy2(const double *restrict G, const double *restrict gy, const double *restrict y,
                               double *restrict o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        double t = (G[i] * gy[i]) * (-2.0 * y[i]);
        o[i] = t * (1.0 - y[i] * y[i]);
    }
}

void sl__vtanh_backward_dy2(const double *G, const double *gy, const double *y, double *o, int64_t n)
{
    vtanh_backward_dy2(G, gy, y, o, n);
}

SL_CLONES_V4 SL_O3_EXACT
static void vaccumulate(double *restrict acc, const double *restrict x, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) acc[i] += x[i];
}

SL_CLONES_V4 SL_O3_EXACT
static void vouter(const double *restrict a, const double *restrict b, double *restrict c, int64_t m, int64_t n)
{
    for (int64_t i = 0; i < m; ++i) {
        double ai = a[i];
        double *restrict ci = c + i * n;
        for (int64_t j = 0; j < n; ++j) ci[j] = ai * b[j];
    }
}

void sl__vaccumulate(double *acc, const double *x, int64_t n) { vaccumulate(acc, x, n); }

SL_CLONES_V4 SL_O3_EXACT
static void vaccumulate_rows(double *restrict acc, const double *restrict x, int64_t rows, int64_t w)
{
    for (int64_t r = 0; r < rows; ++r) {
        const double *restrict xr = x + r * w;
        for (int64_t j = 0; j < w; ++j) acc[j] += xr[j];
    }
}

void sl__vaccumulate_rows(double *acc, const double *x, int64_t rows, int64_t w) { vaccumulate_rows(acc, x, rows, w); }
void sl__vouter(const double *a, const double *b, double *c, int64_t m, int64_t n) { vouter(a, b, c, m, n); }
void sl__vtanh_backward_sum(const double *y, const double *a, const double *b, double *o, int64_t n)
{
    vtanh_backward_sum(y, a, b, o, n);
}
void sl__vbinary(int op, const double *a, const double *b, double *o, int64_t n) { vbinary(op, a, b, o, n); }
void sl__vbinary_rows(int op, int b_first, const double *a, const double *b, double *o, int64_t rows, int64_t cols)
{
    vbinary_rows(op, b_first, a, b, o, rows, cols);
}
void sl__vtanh_backward(const double *y, const double *gy, double *o, int64_t n) { vtanh_backward(y, gy, o, n); }
void sl__vtanh_backward_dy(const double *G, const double *gy, const double *y, double *o, int64_t n)
{
    vtanh_backward_dy(G, gy, y, o, n);
}

SL_CLONES_V4 SL_O3_EXACT
static void vsilu_grad(const double *restrict x, const double *restrict s, double *restrict o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) o[i] = s[i] * (1.0 + x[i] * (1.0 - s[i]));
}

SL_CLONES_V4 SL_O3_EXACT
static void vsilu_grad2(const double *restrict x, const double *restrict s, double *restrict o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) o[i] = s[i] * (1.0 - s[i]) * (2.0 + x[i] * (1.0 - 2.0 * s[i]));
}

/* o may alias x: no restrict, element i is read before it is written */
SL_CLONES_V4 SL_O3_EXACT
static void vhalf(const double *x, double *o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) o[i] = 0.5 * x[i];
}

SL_CLONES_V4 SL_O3_EXACT
static void vhalf_plus_half(const double *x, double *o, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) o[i] = 0.5 + 0.5 * x[i];
}

void sl__vsilu_grad(const double *x, const double *s, double *o, int64_t n) { vsilu_grad(x, s, o, n); }
void sl__vsilu_grad2(const double *x, const double *s, double *o, int64_t n) { vsilu_grad2(x, s, o, n); }
void sl__vhalf(const double *x, double *o, int64_t n) { vhalf(x, o, n); }
void sl__vhalf_plus_half(const double *x, double *o, int64_t n) { vhalf_plus_half(x, o, n); }

SL_CLONES_V4 SL_O3_EXACT
static void vmap(int op, const double *x, double s, double *o, int64_t n)
{
    switch (op) {
    case SL__VNEG: for (int64_t i = 0; i < n; ++i) o[i] = -x[i]; break;
    case SL__VSQUARE: for (int64_t i = 0; i < n; ++i) o[i] = x[i] * x[i]; break;
    case SL__VADD_S: for (int64_t i = 0; i < n; ++i) o[i] = x[i] + s; break;
    case SL__VMUL_S: for (int64_t i = 0; i < n; ++i) o[i] = s * x[i]; break;
    case SL__VRSUB_S: for (int64_t i = 0; i < n; ++i) o[i] = s - x[i]; break;
    case SL__VABS: for (int64_t i = 0; i < n; ++i) o[i] = fabs(x[i]); break;
    case SL__VSIGN: for (int64_t i = 0; i < n; ++i) o[i] = (double)((x[i] > 0) - (x[i] < 0)); break;
    case SL__VSTEP: for (int64_t i = 0; i < n; ++i) o[i] = x[i] > 0 ? 1.0 : 0.0; break;
    default: for (int64_t i = 0; i < n; ++i) o[i] = x[i] > 0 ? x[i] : 0.0; break;
    }
}

void sl__vmap(int op, const double *x, double s, double *o, int64_t n) { vmap(op, x, s, o, n); }
