/* Vectorisable exp, erf and the GELU activation with its first three
 * derivatives (vspecial.h).  glibc's scalar erf and exp were ~14% of the cy
 * benchmark (the phi-model's jet).  Branch-free so that GCC vectorises the
 * loops (built for x86-64-v4, -v3 and the baseline, chosen at load time:
 * SL_CLONES_V4, cpu.h); selections on bit patterns (integer compares do not
 * trap, so the loops if-convert without -ffast-math).
 *  exp:  x = k ln2 + r, |r| <= ln2/2 (Cody-Waite, ln2 in two parts), exp(r)
 *        from its Taylor series to r^13 (truncation < 1e-17), 2^k applied as
 *        two exact power-of-two factors so subnormal results round once.
 *  erf:  0 <= a < 1: erf(a) = a P(a^2), P of degree 12 (a Chebyshev fit of
 *        erf(a)/a, mpmath; fit error 1.6e-17 after rounding the coefficients);
 *        1 <= a <= 6: erfc(a) = exp(-a^2) Q(t) / (a + 5/2), t = (a - 5/2) /
 *        (a + 5/2), Q of degree 18 (fit of (a + 5/2) exp(a^2) erfc(a), error
 *        5.4e-17); a > 6: erf = 1 (erfc(6) = 2e-17 < ulp(1)/2).
 *  GELU: the same pieces at v = x / sqrt 2, with exp(-x^2/2) shared by the
 *        normal density and erfc(|v|) = exp(-x^2/2) erfcx(|v|).
 * Measured against glibc in tests/test_vspecial.c: exp <= 1 ulp (normal and
 * subnormal results), erf <= 2 ulp (3.0e-16 relative), the GELU maps <= 3.7e-16
 * of their scale; about 4 ns an element for all four GELU maps against 17-21 ns
 * for glibc's erf + exp alone (loaded machine). */
#include "vspecial.h"
#include "exp_taylor.h"

#include "cpu.h"

#include <math.h>

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00
#define SHIFTER 6755399441055744.0 /* 1.5 * 2^52: adding it rounds to an integer in the low bits */
#define ERFC_K 2.5

/* erf(x) / x = sum ERF_P[i] (x^2)^(12-i), 0 <= x <= 1 */
static const double ERF_P[13] = {
    0x1.05ffd737fb32ep-34,
    -0x1.389d4f2641625p-30,
    0x1.f7b4bf3b13964p-27,
    -0x1.5f1ecb6f0764cp-23,
    0x1.b9df224ca4b97p-20,
    -0x1.f4d1e3183f7aep-17,
    0x1.f9a321d5b8e1ep-14,
    -0x1.c02db3dac435fp-11,
    0x1.565bcd0dbaa38p-8,
    -0x1.b82ce31284e00p-6,
    0x1.ce2f21a042b30p-4,
    -0x1.812746b0379e6p-2,
    0x1.20dd750429b6dp+0};
/* (x + 2.5) exp(x^2) erfc(x) = sum ERFC_P[i] t^(18-i), t = (x - 2.5)/(x + 2.5), 1 <= x <= 6 */
static const double ERFC_P[19] = {
    0x1.d3e2ab4f238ecp-24,
    0x1.a282f5073b7cbp-22,
    -0x1.8fcf230baef34p-30,
    -0x1.047ea3491ec9fp-19,
    -0x1.38e85b763ff1fp-19,
    0x1.c4f48a0c05e2cp-18,
    0x1.32147f28791dap-16,
    -0x1.47af93983e736p-16,
    -0x1.d84c5f4bdef42p-14,
    0x1.e91ef8664ee7dp-15,
    0x1.7069f3d7e08b3p-11,
    -0x1.cc8b123da96c5p-12,
    -0x1.3bcdce38b9dc8p-8,
    0x1.1305f56585115p-7,
    0x1.d0acf691f3132p-6,
    -0x1.5eb8eba1dfe37p-3,
    0x1.d0cedcb8c904dp-2,
    -0x1.9bfb53c4039d7p-1,
    0x1.0dd50785280a5p+0};

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

/* b ? x : y on bit patterns (b all ones or zero) */
static inline double sel(uint64_t b, double x, double y) { return double_of((b & bits_of(x)) | (~b & bits_of(y))); }

/* exp(x) for -746 <= x <= 710 (callers clamp; not NaN) */
static inline double exp_core(double x)
{
    double kd = x * INV_LN2 + SHIFTER;
    double k = kd - SHIFTER;
    uint64_t kb = bits_of(kd) - bits_of(SHIFTER) + 1076;   /* k + 1076, 0 .. 2100 */
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p;
    SL__EXP_TAYLOR_TAIL(p, r);
    double e = 1.0 + (r + r * r * p);
    /* 2^k = 2^k1 2^k2, k1 = floor((k + 1076) / 2) - 538, both in -538 .. 512 */
    uint64_t k1 = (kb >> 1) - 538, k2 = kb - 1076 - k1;
    return (e * double_of((k1 + 1023) << 52)) * double_of((k2 + 1023) << 52);
}

/* exp(-y) for y >= 0 (+Inf: 0; callers handle NaN) */
static inline double exp_neg(double y)
{
    uint64_t big = -(uint64_t)(bits_of(y) > bits_of(746.0));
    return exp_core(-sel(big, 746.0, y));
}

/* erf(a) for 0 <= a < 1 */
static inline double erf_small(double a)
{
    double t = a * a, p = ERF_P[0];
    for (int i = 1; i < 13; i++) p = p * t + ERF_P[i];
    return a * p;
}

/* erfc(a) / exp(-a^2) for 1 <= a <= 6 */
static inline double erfcx_mid(double a)
{
    double r = 1.0 / (a + ERFC_K), t = (a - ERFC_K) * r, p = ERFC_P[0];
    for (int i = 1; i < 19; i++) p = p * t + ERFC_P[i];
    return p * r;
}

/* erfc(a) for 1 <= a <= 6 */
static inline double erfc_mid(double a) { return exp_core(-(a * a)) * erfcx_mid(a); }

SL_CLONES_V4 SL_O3_FMA
static void vexp(const double *restrict x, double *restrict y, int64_t n)
{
    const uint64_t sign = 0x8000000000000000ULL;
    for (int64_t i = 0; i < n; ++i) {
        uint64_t xb = bits_of(x[i]);
        uint64_t nan = -(uint64_t)((xb & ~sign) > bits_of(INFINITY));
        uint64_t hi = -(uint64_t)((int64_t)xb > (int64_t)bits_of(710.0));   /* x > 710 (and +NaN) */
        uint64_t lo = -(uint64_t)(xb > bits_of(-746.0));                     /* x < -746 (and -NaN) */
        double xc = sel(hi, 710.0, sel(lo, -746.0, x[i]));
        y[i] = sel(nan, x[i], exp_core(xc));
    }
}

SL_CLONES_V4 SL_O3_FMA
static void verf(const double *restrict x, double *restrict y, int64_t n)
{
    const uint64_t sign = 0x8000000000000000ULL;
    for (int64_t i = 0; i < n; ++i) {
        uint64_t xb = bits_of(x[i]), ab = xb & ~sign;
        uint64_t nan = -(uint64_t)(ab > bits_of(INFINITY));
        uint64_t small = -(uint64_t)(ab < bits_of(1.0));
        uint64_t big = -(uint64_t)(ab > bits_of(6.0));
        double a = double_of(ab);
        double e1 = erf_small(sel(small, a, 0.0));
        double e2 = 1.0 - erfc_mid(sel(small, 1.0, sel(big, 6.0, a)));
        double e = sel(small, e1, sel(big, 1.0, e2));
        y[i] = sel(nan, x[i], double_of(bits_of(e) | (xb & sign)));
    }
}

/* GELU s(x) = x Phi(x) and s', s'', s''' (Phi, ph: normal cdf and density):
 *   s' = Phi + x ph,  s'' = ph (2 - x^2),  s''' = x ph (x^2 - 4).
 * Phi(x) = (1 + erf(v)) / 2 for |v| < 1, v = x / sqrt 2; 1 - erfc(v)/2 and
 * erfc(-v)/2 beyond (relative accuracy in the lower tail), 0 for v < -6 as
 * (1 + erf(v)) / 2 gives in double. */
SL_CLONES_V4 SL_O3_FMA
static void vgelu4(const double *restrict x, double *restrict s0, double *restrict s1, double *restrict s2,
                   double *restrict s3, int64_t n)
{
    const uint64_t sign = 0x8000000000000000ULL;
    for (int64_t i = 0; i < n; ++i) {
        double xi = x[i], v = xi * 0.7071067811865476;
        uint64_t vb = bits_of(v), ab = vb & ~sign, neg = -(vb >> 63);
        uint64_t nan = -(uint64_t)(ab > bits_of(INFINITY));
        uint64_t small = -(uint64_t)(ab < bits_of(1.0));
        uint64_t big = -(uint64_t)(ab > bits_of(6.0));
        double a = double_of(ab);
        /* ph = 0 for |x| > 38.6: clamped there, so s'' and s''' are 0 and not 0 Inf */
        uint64_t far = -(uint64_t)((bits_of(xi) & ~sign) > bits_of(40.0));
        double xc = sel(far, double_of((bits_of(xi) & sign) | bits_of(40.0)), xi);
        double x2 = xc * xc, E = exp_neg(0.5 * x2), ph = 0.3989422804014327 * E;
        double e1 = erf_small(sel(small, a, 0.0));
        /* erfc(|v|) = exp(-x^2/2) erfcx(|v|) (E is only used where 1 <= |v| <= 6) */
        double ec = E * erfcx_mid(sel(small, 1.0, sel(big, 6.0, a)));
        double Pmid = sel(neg, 0.5 * ec, 1.0 - 0.5 * ec);
        double Pbig = sel(neg, 0.0, 1.0);
        double Psmall = 0.5 * (1.0 + double_of(bits_of(e1) | (vb & sign)));
        double Ph = sel(small, Psmall, sel(big, Pbig, Pmid));
        double t0 = xi * Ph, t1 = Ph + xc * ph, t2 = ph * (2 - x2), t3 = xc * ph * (x2 - 4);
        s0[i] = sel(nan, xi, t0), s1[i] = sel(nan, xi, t1), s2[i] = sel(nan, xi, t2), s3[i] = sel(nan, xi, t3);
    }
}

void sl__vexp(const double *x, double *y, int64_t n) { vexp(x, y, n); }
void sl__verf(const double *x, double *y, int64_t n) { verf(x, y, n); }
void sl__vgelu4(const double *x, double *s0, double *s1, double *s2, double *s3, int64_t n)
{
    vgelu4(x, s0, s1, s2, s3, n);
}
