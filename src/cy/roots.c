/* All roots of a complex polynomial: the Aberth-Ehrlich iteration (Aberth,
 * Math. Comp. 27 (1973) 339; Bini, Numer. Algorithms 13 (1996) 179 for the
 * starting circle), converged to rounding, sorted by ascending real part. */
#include "cy_internal.h"

#include <math.h>

int sl__cy_poly_roots(int deg, const cplx *c, cplx *roots)
{
    if (deg < 1 || deg > 64 || c[deg] == 0) return -1;
    cplx a[65];                              /* monic */
    for (int k = 0; k <= deg; k++) a[k] = c[k] / c[deg];
    /* Fujiwara's bound on the root moduli */
    double R = 0;
    for (int k = 1; k <= deg; k++) {
        double b = pow(cabs(a[deg - k]), 1.0 / k);
        if (k == deg) b = pow(cabs(a[0]) / 2, 1.0 / k);
        if (b > R) R = b;
    }
    R *= 2;
    if (!(R > 0)) R = 1;
    if (!isfinite(R)) return -1;
    const double ang = 0.4;
    for (int k = 0; k < deg; k++) roots[k] = R * 0.5 * cexp(I * (2 * M_PI * k / deg + ang));
    int done = 0;
    for (int it = 0; it < 500 && !done; it++) {
        done = 1;
        for (int k = 0; k < deg; k++) {
            cplx z = roots[k], p = 1, dp = 0;
            for (int j = deg - 1; j >= 0; j--) {   /* Horner for p and p' */
                dp = dp * z + p;
                p = p * z + a[j];
            }
            if (p == 0) continue;
            cplx ratio = p / dp, s = 0;
            for (int j = 0; j < deg; j++)
                if (j != k) s += 1.0 / (z - roots[j]);
            cplx w = ratio / (1.0 - ratio * s);
            if (!isfinite(creal(w)) || !isfinite(cimag(w))) return -1;
            roots[k] = z - w;
            if (cabs(w) > 1e-15 * (1 + cabs(z))) done = 0;
        }
    }
    if (!done) {
        /* accept when the residuals are at rounding level */
        for (int k = 0; k < deg; k++) {
            cplx z = roots[k], p = 1;
            double sc = 1, az = cabs(z), pw = 1;
            for (int j = deg - 1; j >= 0; j--) p = p * z + a[j];
            for (int j = deg - 1; j >= 0; j--) {
                pw *= az;
                sc += cabs(a[j]) * pw;
            }
            if (cabs(p) > 1e-10 * sc) return -1;
        }
    }
    /* insertion sort by real part (stable) */
    for (int k = 1; k < deg; k++) {
        cplx x = roots[k];
        int j = k - 1;
        while (j >= 0 && creal(roots[j]) > creal(x)) {
            roots[j + 1] = roots[j];
            j--;
        }
        roots[j + 1] = x;
    }
    return 0;
}
