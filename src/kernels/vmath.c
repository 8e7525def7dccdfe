/* Vectorisable tanh.  glibc's scalar tanh costs ~14 ns an element, which made
 * tanh networks spend more time in tanh than in their GEMMs.  This version is
 * branch-free so the compiler vectorises it (built for x86-64-v3, i.e. AVX2
 * with FMA, and for the baseline, chosen at load time: SL_CLONES, cpu.h):
 *   tanh|x| = e / (e + 2),  e = expm1(2|x|),
 *   expm1(t) = 2^k (expm1(r) + 1) - 1,  t = k ln2 + r, |r| <= ln2/2,
 * with expm1(r) from its Taylor series to r^13 (truncation < 1e-17 relative)
 * and ln2 split in two (Cody-Waite) so k ln2 is exact.  For k = 0 the result
 * is p / (p + 2) with p = expm1(r) directly, so small arguments keep full
 * relative accuracy.  |x| >= 22 gives +-1 exactly, as in libm. */
#include "vmath.h"
#include "exp_taylor.h"

#include "cpu.h"

#include <math.h>

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00
#define SHIFTER 6755399441055744.0 /* 1.5 * 2^52: adding it rounds to an integer in the low bits */

static inline uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static inline double double_of(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* tanh of one argument, the loops' body (inlined: each loop vectorises it).
 * Selections are done on the bit patterns: integer compares do not trap,
 * so the loops if-convert and vectorise without -ffast-math. */
SL_O3_FMA __attribute__((always_inline)) static inline double tanh1(double x)
{
    const uint64_t shifter_bits = bits_of(SHIFTER), sign = 0x8000000000000000ULL;
    const uint64_t b22 = bits_of(22.0), binf = bits_of(INFINITY), b44 = bits_of(44.0), b1 = bits_of(1.0);
    uint64_t xb = bits_of(x), ab = xb & ~sign;
    uint64_t big = -(uint64_t)(ab >= b22);           /* all ones for |x| >= 22, Inf, NaN */
    uint64_t nan = -(uint64_t)(ab > binf);
    double t = double_of((big & b44) | (~big & bits_of(2.0 * double_of(ab))));
    double kd = t * INV_LN2 + SHIFTER;
    double k = kd - SHIFTER;
    uint64_t kb = bits_of(kd) - shifter_bits;        /* k as an integer, 0..64 */
    double r = (t - k * LN2_HI) - k * LN2_LO;
    double p;
    SL__EXP_TAYLOR_TAIL(p, r);
    p = p * r * r + r;                               /* expm1(r) */
    double s = double_of((kb + 1023) << 52);         /* 2^k */
    double e = s * p + (s - 1.0);                    /* expm1(t) */
    uint64_t th = (big & b1) | (~big & bits_of(e / (e + 2.0)));
    th |= xb & sign;
    return double_of((nan & xb) | (~nan & th));
}

/* Static, so the load-time resolver of the clones is not exported. */
SL_CLONES_V4 SL_O3_FMA
static void vtanh(const double *restrict x, double *restrict y, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) y[i] = tanh1(x[i]);
}

/* y = tanh(x + b), b one row broadcast over the rows (a dense layer's bias):
 * the sum rounded, then tanh1, as in add then tanh. */
SL_CLONES_V4 SL_O3_FMA
static void vtanh_rows(const double *restrict x, const double *restrict b, double *restrict y, int64_t rows,
                       int64_t cols)
{
    for (int64_t r = 0; r < rows; ++r) {
        const double *restrict xr = x + r * cols;
        double *restrict yr = y + r * cols;
        for (int64_t j = 0; j < cols; ++j) yr[j] = tanh1(xr[j] + b[j]);
    }
}

/* sigmoid(x) = (1 + tanh(x / 2)) / 2 in one pass: the halvings are exact
 * (but for subnormals, where the sum is 0.5 either way), so contracted or
 * not this is the bits of halving, sl__vtanh, then 0.5 + 0.5 t. */
SL_CLONES_V4 SL_O3_FMA
static void vsigmoid(const double *restrict x, double *restrict y, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) y[i] = 0.5 + 0.5 * tanh1(0.5 * x[i]);
}

void sl__vsigmoid(const double *x, double *y, int64_t n) { vsigmoid(x, y, n); }

void sl__vtanh_rows(const double *x, const double *b, double *y, int64_t rows, int64_t cols)
{
    vtanh_rows(x, b, y, rows, cols);
}

void sl__vtanh(const double *x, double *y, int64_t n) { vtanh(x, y, n); }
