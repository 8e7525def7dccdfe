/* The vector exp, erf and GELU-derivative kernels (src/kernels/vspecial.c)
 * against glibc over their whole ranges: dense grids, random arguments,
 * subnormal arguments and results, overflow, +-0, +-Inf, NaN. */
#include "check.h"
#include "kernels/vspecial.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static double urand(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (double)(rng >> 11) * 0x1p-53;
}

/* distance in units of the last place of b (b finite) */
static double ulps(double a, double b)
{
    if (a == b) return 0;
    double u = b == 0 ? DBL_TRUE_MIN : fabs(nextafter(b, INFINITY) - b);
    return fabs(a - b) / u;
}

static int same_class(double a, double b)
{
    if (isnan(b)) return isnan(a);
    if (isinf(b)) return a == b;
    return !isnan(a) && !isinf(a);
}

enum { NMAX = 1 << 21 };
static int N = NMAX;   /* NMAX / 64 under SL_TEST_QUICK (valgrind) */
static double x[NMAX], y[NMAX], s0[NMAX], s1[NMAX], s2[NMAX], s3[NMAX];

static void fill(double lo, double hi, int rnd)
{
    for (int i = 0; i < N; i++) x[i] = rnd ? lo + (hi - lo) * urand() : lo + (hi - lo) * i / (N - 1.0);
}

static void test_exp(void)
{
    double worst_rel = 0, worst_ulp = 0, worst_sub = 0;
    const double ranges[][2] = {{-745.2, 709.8}, {-1, 1}, {-1e-8, 1e-8}, {-745.2, -700}, {700, 709.79}};
    for (int r = 0; r < 5; r++)
        for (int rnd = 0; rnd < 2; rnd++) {
            fill(ranges[r][0], ranges[r][1], rnd);
            sl__vexp(x, y, N);
            for (int i = 0; i < N; i++) {
                double e = exp(x[i]);
                if (!same_class(y[i], e)) {
                    CHECK(0, "exp(%.17g) = %.17g, glibc %.17g", x[i], y[i], e);
                    continue;
                }
                if (isinf(e)) continue;
                if (e < DBL_MIN) {
                    worst_sub = fmax(worst_sub, ulps(y[i], e));
                } else {
                    worst_rel = fmax(worst_rel, fabs(y[i] - e) / e);
                    worst_ulp = fmax(worst_ulp, ulps(y[i], e));
                }
            }
        }
    printf("exp: max relative error %.3g (%.2f ulp) on normal results, %.2f ulp on subnormal ones\n", worst_rel,
           worst_ulp, worst_sub);
    CHECK(worst_rel < 1e-15, "exp: relative error %g", worst_rel);
    CHECK(worst_sub <= 1, "exp: subnormal results %g ulp", worst_sub);
    const double edge[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 709.782712893384, 709.7827128933841, 710, 1e308,
                           -745.1332191019411, -745.1332191019412, -746, -1e308, DBL_TRUE_MIN, -DBL_MIN, 1e-300};
    const int ne = (int)(sizeof edge / sizeof edge[0]);
    sl__vexp(edge, y, ne);
    for (int i = 0; i < ne; i++) {
        double e = exp(edge[i]);
        CHECK(same_class(y[i], e) && (isnan(e) || isinf(e) || ulps(y[i], e) <= 1), "exp(%.17g) = %.17g, glibc %.17g",
              edge[i], y[i], e);
    }
}

static void test_erf(void)
{
    double worst_rel = 0, worst_ulp = 0;
    const double ranges[][2] = {{-7, 7}, {-1.2, 1.2}, {0.9, 1.1}, {5.5, 6.5}, {-1e-5, 1e-5}};
    for (int r = 0; r < 6; r++)
        for (int rnd = 0; rnd < 2; rnd++) {
            if (r < 5) fill(ranges[r][0], ranges[r][1], rnd);
            else   /* |x| from 1e-320 (subnormal) to 10, log-spaced, both signs */
                for (int i = 0; i < N; i++) x[i] = (i & 1 ? -1 : 1) * pow(10.0, -320 + 321 * (rnd ? urand() : i / (N - 1.0)));
            sl__verf(x, y, N);
            for (int i = 0; i < N; i++) {
                double e = erf(x[i]);
                if (e == 0 || fabs(e) < DBL_MIN) {   /* subnormal: erf(x) ~ 1.13 x, at most 1 ulp apart */
                    CHECK(ulps(y[i], e) <= 1, "erf(%.17g) = %.17g, glibc %.17g", x[i], y[i], e);
                    continue;
                }
                worst_rel = fmax(worst_rel, fabs(y[i] - e) / fabs(e));
                worst_ulp = fmax(worst_ulp, ulps(y[i], e));
            }
        }
    printf("erf: max relative error %.3g (%.2f ulp)\n", worst_rel, worst_ulp);
    CHECK(worst_rel < 1e-15, "erf: relative error %g", worst_rel);
    const double edge[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1.0, -1.0, 6.0, 6.0000000000000009, 5.9, 27, -1e300, DBL_TRUE_MIN, -DBL_MIN};
    const int ne = (int)(sizeof edge / sizeof edge[0]);
    sl__verf(edge, y, ne);
    for (int i = 0; i < ne; i++) {
        double e = erf(edge[i]);
        CHECK(same_class(y[i], e) && (isnan(e) || ulps(y[i], e) <= 1) && signbit(y[i]) == signbit(e),
              "erf(%.17g) = %.17g, glibc %.17g", edge[i], y[i], e);
    }
}

/* GELU and its derivatives against the same formulas on glibc's erfc and exp:
 * errors relative to |value| + ph (1 + |x|^3), the scale of the terms (s'' and
 * s''' change sign at x^2 = 2, 4) */
static void test_gelu(void)
{
    double worst[4] = {0, 0, 0, 0};
    for (int rnd = 0; rnd < 2; rnd++) {
        fill(-12, 12, rnd);
        sl__vgelu4(x, s0, s1, s2, s3, N);
        for (int i = 0; i < N; i++) {
            double xi = x[i], v = xi / sqrt(2.0);
            double Ph = v < 0 ? 0.5 * erfc(-v) : 1 - 0.5 * erfc(v), ph = exp(-0.5 * xi * xi) / sqrt(2 * M_PI);
            if (v < -6) Ph = 0;   /* the kernel's documented cut (Phi < 1e-17 there) */
            double ref[4] = {xi * Ph, Ph + xi * ph, ph * (2 - xi * xi), xi * ph * (xi * xi - 4)};
            const double got[4] = {s0[i], s1[i], s2[i], s3[i]};
            double sc = ph * (1 + fabs(xi) * xi * xi);
            for (int k = 0; k < 4; k++) {
                double den = fabs(ref[k]) + sc;
                if (den > 0) worst[k] = fmax(worst[k], fabs(got[k] - ref[k]) / den);
            }
        }
    }
    printf("gelu: max scaled errors s %.3g, s' %.3g, s'' %.3g, s''' %.3g\n", worst[0], worst[1], worst[2], worst[3]);
    for (int k = 0; k < 4; k++) CHECK(worst[k] < 1e-15, "gelu derivative %d: error %g", k, worst[k]);
    const double edge[] = {0.0, -0.0, NAN, 40, -40, 1e300, -1e300};
    sl__vgelu4(edge, s0, s1, s2, s3, 7);
    CHECK(s0[0] == 0 && s1[0] == 0.5 && s2[0] == 2 * 0.3989422804014327 && s3[0] == 0, "gelu at 0: %g %g %g %g", s0[0],
          s1[0], s2[0], s3[0]);
    CHECK(isnan(s0[2]) && isnan(s1[2]) && isnan(s2[2]) && isnan(s3[2]), "gelu(NaN) not NaN");
    CHECK(s0[3] == 40 && s1[3] == 1 && s2[3] == 0 && s3[3] == 0, "gelu(40): %g %g %g %g", s0[3], s1[3], s2[3], s3[3]);
    CHECK(s0[4] == 0 && s1[4] == 0 && s2[4] == 0 && s3[4] == 0, "gelu(-40): %g %g %g %g", s0[4], s1[4], s2[4], s3[4]);
    CHECK(s0[5] == 1e300 && s1[5] == 1 && s2[5] == 0, "gelu(1e300): %g %g %g", s0[5], s1[5], s2[5]);
    CHECK(s0[6] == 0 && s1[6] == 0 && s2[6] == 0, "gelu(-1e300): %g %g %g", s0[6], s1[6], s2[6]);
}

int main(void)
{
    if (getenv("SL_TEST_QUICK")) N = NMAX / 64;
    test_exp();
    test_erf();
    test_gelu();
    return check_done();
}
