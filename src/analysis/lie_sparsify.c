/* Sparse canonical basis of a span of generators: quartimax plane rotations
 * (the post-processing sparsification of Forestano et al. 2023b), signs and
 * order fixed so that the result does not depend on the starting basis. */
#include "lie_internal.h"

#include <complex.h>
#include <math.h>

/* Rotating (a, b) by theta maps z_p = a_p + i b_p to z_p e^{-i theta}, and
 * a'^4 + b'^4 = |z|^4 (3 + cos 4(arg z - theta)) / 4, so sum |.|_4^4 is largest
 * at theta = arg(sum_p z_p^4) / 4 (the sparsity identity
 * sum_{p!=q} r_p^2 r_q^2 = |r|_2^4 - |r|_4^4 at fixed |r|_2). */
static double best_angle(size_t m, const double *a, const double *b)
{
    double complex s = 0;
    for (size_t p = 0; p < m; ++p) {
        double complex z = a[p] + I * b[p], z2 = z * z;
        s += z2 * z2;
    }
    if (cabs(s) < 1e-300) return 0;
    return carg(s) / 4;
}

static size_t lead_index(size_t m, const double *x)
{
    double big = 0;
    for (size_t p = 0; p < m; ++p) big = fmax(big, fabs(x[p]));
    for (size_t p = 0; p < m; ++p)
        if (fabs(x[p]) >= big * (1 - 1e-9)) return p;
    return 0;
}

sl_status sl_lie_sparsify(sl_ctx *ctx, int d, int n, double *gens)
{
    const char *who = "sl_lie_sparsify";
    SL_LIE_NEED_CTX(ctx);
    if (d < 1 || d > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %d (must be in 1..4096)", who, d);
    if (n < 1 || n > 4096) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %d (must be in 1..4096)", who, n);
    size_t m = (size_t)n * n;
    sl_status st = sl__check_array(ctx, who, "gens", gens, (size_t)d * m);
    if (st) return st;
    /* scratch first: a failure leaves gens untouched */
    size_t *lead = sl__alloc(ctx, sizeof(size_t) * d, 0, who);
    double *tmp = sl__alloc(ctx, sizeof(double) * m, 0, who);
    if (!lead || !tmp) {
        sl__free(ctx, lead);
        sl__free(ctx, tmp);
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    }
    for (int sweep = 0; sweep < 200; ++sweep) {
        double moved = 0;
        for (int a = 0; a < d; ++a)
            for (int b = a + 1; b < d; ++b) {
                double *x = gens + (size_t)a * m, *y = gens + (size_t)b * m;
                double th = best_angle(m, x, y);
                if (fabs(th) < 1e-15) continue;
                double c = cos(th), s = sin(th);
                for (size_t p = 0; p < m; ++p) {
                    double u = x[p], v = y[p];
                    x[p] = c * u + s * v;
                    y[p] = -s * u + c * v;
                }
                moved = fmax(moved, fabs(th));
            }
        if (moved < 1e-13) break;
    }
    /* Signs, order. */
    for (int a = 0; a < d; ++a) {
        double *x = gens + (size_t)a * m;
        lead[a] = lead_index(m, x);
        if (x[lead[a]] < 0)
            for (size_t p = 0; p < m; ++p) x[p] = -x[p];
    }
    for (int a = 1; a < d; ++a) /* insertion sort by leading position */
        for (int b = a; b > 0 && lead[b] < lead[b - 1]; --b) {
            size_t t = lead[b];
            lead[b] = lead[b - 1];
            lead[b - 1] = t;
            memcpy(tmp, gens + (size_t)b * m, sizeof(double) * m);
            memcpy(gens + (size_t)b * m, gens + (size_t)(b - 1) * m, sizeof(double) * m);
            memcpy(gens + (size_t)(b - 1) * m, tmp, sizeof(double) * m);
        }
    sl__free(ctx, lead);
    sl__free(ctx, tmp);
    return SL_OK;
}
