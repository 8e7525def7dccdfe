/* Site weights of the flux representation (SF-4):
 *   W(f) = int_0^inf dr r^{f+1} e^{-eta r^2 - lambda r^4}
 *        = 1/2 int_R ds e^{g(s)},  g(s) = (a+1) s - eta e^s - lambda e^{2s},
 * with u = r^2 = e^s and a = f/2.  g is smooth and unimodal with a
 * double-exponential right tail, so the trapezoidal rule on the whole line
 * converges exponentially in 1/h; the step is a sixth of the width
 * sigma = (-g''(s*))^(-1/2) at the peak s* and the sum runs until the
 * integrand is e^-60 below its peak.  Checked against the closed form with
 * the parabolic-cylinder function (SF-4', scipy) and the recursion
 * 2 lambda Wt(a+1) = a Wt(a-1) - eta Wt(a), Wt(a) = 2 W(2a) (integration by
 * parts), in tests/test_scalar_weights.c. */
#include "scalar_internal.h"

#include <math.h>

double sl__flux_logw(double eta, double lambda, int64_t f)
{
    double b = 0.5 * (double)f + 1.0;   /* a + 1 */
    /* peak: 2 lambda v^2 + eta v - b = 0, v = e^s */
    double v;
    if (lambda == 0) v = b / eta;
    else if (eta >= 0) v = 2 * b / (eta + sqrt(eta * eta + 8 * lambda * b));
    else v = (-eta + sqrt(eta * eta + 8 * lambda * b)) / (4 * lambda);
    double s0 = log(v);
    double curv = b + 2 * lambda * v * v;   /* -g''(s*) = eta v + 4 lambda v^2 */
    double h = 1.0 / (6.0 * sqrt(curv));
#define G(s) (b * (s) - eta * exp(s) - lambda * exp(2 * (s)))
    double g0 = G(s0);
    double sum = 1.0;
    for (int side = -1; side <= 1; side += 2) {
        for (int64_t j = 1; j < 100000000; ++j) {
            double s = s0 + side * (double)j * h;
            double e = G(s) - g0;
            sum += exp(e);
            if (e < -60) break;
        }
    }
#undef G
    return log(0.5) + g0 + log(h * sum);
}

sl_status sl_flux_site_log_weights(sl_ctx *ctx, double eta, double lambda, int64_t count, double *logw)
{
    const char *who = "sl_flux_site_log_weights";
    if (!ctx) return SL_ERR_NULL;
    if (!logw) return sl__fail(ctx, SL_ERR_NULL, "%s: logw is NULL", who);
    if (!isfinite(eta)) return sl__fail(ctx, SL_ERR_ARG, "%s: eta = %g (must be finite)", who, eta);
    if (!isfinite(lambda) || lambda < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: lambda = %g (must be finite and >= 0)", who, lambda);
    if (lambda == 0 && !(eta > 0))
        return sl__fail(ctx, SL_ERR_ARG, "%s: eta = %g with lambda = 0 (the integral diverges: eta must be > 0)", who, eta);
    if (count < 1 || count > (1 << 20))
        return sl__fail(ctx, SL_ERR_ARG, "%s: count = %lld (must be in 1..2^20)", who, (long long)count);
    for (int64_t f = 0; f < count; ++f) logw[f] = sl__flux_logw(eta, lambda, f);
    return SL_OK;
}
