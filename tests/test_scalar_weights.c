/* SF-T1: the site weights W(f) of the flux representation (SF-4) against the
 * reference table (shared/research/scalar_field.md §4.1: quadrature and the
 * parabolic-cylinder closed form agree to 1.3e-13 in log W), the recursion
 * 2 lambda Wt(a+1) = a Wt(a-1) - eta Wt(a) with Wt(a) = 2 W(2a) for every
 * f <= 200 (integration by parts; a check, the weights are not computed from
 * it), lambda = 0 against the Gamma function, the single-site |phi|^2, and
 * bad arguments. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "symlearn.h"

static const int ref_f[7] = {0, 1, 2, 4, 10, 20, 40};
static const double ref_m1[7] = {9.341113794389e-02, 3.499660940972e-02, 1.647215514027e-02, 5.525181121264e-03,
                                 1.218990076427e-03, 1.704107031355e-03, 4.659115969553e-01};
static const double ref_m01[6] = {1.129331099744e-01, 4.613298100792e-02, 2.356911450130e-02,
                                  9.210480412097e-03, 3.014257388939e-03, 7.157928424023e-03};

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    double lw[402];
    const double etas[2] = {5.0, 4.01};
    for (int e = 0; e < 2; ++e) {
        double eta = etas[e];
        CHECK(sl_flux_site_log_weights(ctx, eta, 1.0, 402, lw) == SL_OK, "weights eta %g: %s", eta, sl_ctx_errmsg(ctx));
        /* the table has 13 significant digits: relative 1e-12 */
        int nref = e == 0 ? 7 : 6;
        double worst = 0;
        for (int i = 0; i < nref; ++i) {
            double ref = e == 0 ? ref_m1[i] : ref_m01[i];
            double rel = fabs(exp(lw[ref_f[i]]) / ref - 1);
            if (rel > worst) worst = rel;
            CHECK(rel <= 1e-12, "W(%d) eta %g: %.15e vs %.12e (rel %.2e)", ref_f[i], eta, exp(lw[ref_f[i]]), ref, rel);
        }
        printf("SF-T1 eta %.2f: max relative deviation from the table %.2e\n", eta, worst);
        /* recursion for f = 2a, a real, both parities: 2 lambda W(f+2) = (f/2) W(f-2) - eta W(f)
         * (all scaled by W(f) to stay finite) */
        double rworst = 0;
        for (int f = 2; f <= 398; ++f) {
            double a = 0.5 * f, lhs = 2.0 * exp(lw[f + 2] - lw[f]), rhs = a * exp(lw[f - 2] - lw[f]) - eta;
            double rel = fabs(lhs - rhs) / fmax(fabs(lhs), a * exp(lw[f - 2] - lw[f]));
            if (rel > rworst) rworst = rel;
        }
        /* and W(0), W(2): 2 lambda W(2) = 1/2 - eta W(0) (boundary term of a = 0) */
        double r0 = fabs(2.0 * exp(lw[2]) - (0.5 - eta * exp(lw[0]))) / 0.5;
        CHECK(rworst <= 1e-10 && r0 <= 1e-10, "recursion eta %g: max relative residual %.2e (f <= 400), a=0 %.2e", eta,
              rworst, r0);
        printf("SF-T1 eta %.2f: recursion residual %.2e for f <= 400, %.2e at a = 0\n", eta, rworst, r0);
        for (int f = 0; f < 402; ++f) CHECK(isfinite(lw[f]), "log W(%d) finite", f);
    }
    /* single site: <|phi|^2> = W(2)/W(0) */
    CHECK(sl_flux_site_log_weights(ctx, 5.0, 1.0, 3, lw) == SL_OK, "3 weights");
    CHECK_CLOSE(exp(lw[2] - lw[0]), 0.17634037549, 1e-10, "single site |phi|^2, eta 5");
    CHECK(sl_flux_site_log_weights(ctx, 4.01, 1.0, 3, lw) == SL_OK, "3 weights");
    CHECK_CLOSE(exp(lw[2] - lw[0]), 0.20869977376, 1e-10, "single site |phi|^2, eta 4.01");
    /* lambda = 0: W(f) = Gamma(f/2 + 1) / (2 eta^(f/2+1)) */
    CHECK(sl_flux_site_log_weights(ctx, 4.5, 0.0, 300, lw) == SL_OK, "lambda 0");
    double gw = 0;
    for (int f = 0; f < 300; ++f) {
        double b = 0.5 * f + 1, ref = lgamma(b) - log(2.0) - b * log(4.5);
        gw = fmax(gw, fabs(lw[f] - ref) / fmax(1, fabs(ref)));
    }
    CHECK(gw <= 1e-13, "lambda 0 against Gamma: %.2e", gw);
    /* a negative eta (tachyonic mass) with lambda > 0 is a valid integral: recursion holds */
    CHECK(sl_flux_site_log_weights(ctx, -3.0, 0.5, 60, lw) == SL_OK, "eta -3");
    double nw = 0;
    for (int f = 2; f < 58; ++f) {
        double a = 0.5 * f, lhs = 1.0 * exp(lw[f + 2] - lw[f]), rhs = a * exp(lw[f - 2] - lw[f]) + 3.0;
        nw = fmax(nw, fabs(lhs - rhs) / fmax(lhs, 1));
    }
    CHECK(nw <= 1e-10, "eta -3 recursion %.2e", nw);
    /* bad input: status and the message names the call */
    struct {
        double eta, lambda;
        int64_t count;
        int null;
        sl_status want;
    } bad[] = {{NAN, 1, 10, 0, SL_ERR_ARG},  {5, NAN, 10, 0, SL_ERR_ARG}, {5, -1, 10, 0, SL_ERR_ARG},
               {INFINITY, 1, 10, 0, SL_ERR_ARG}, {-1, 0, 10, 0, SL_ERR_ARG}, {5, 1, 0, 0, SL_ERR_ARG},
               {5, 1, -3, 0, SL_ERR_ARG},   {5, 1, (int64_t)1 << 40, 0, SL_ERR_ARG}, {5, 1, 10, 1, SL_ERR_NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        lw[0] = 123;
        sl_status st = sl_flux_site_log_weights(ctx, bad[i].eta, bad[i].lambda, bad[i].count, bad[i].null ? NULL : lw);
        CHECK(st == bad[i].want, "bad case %zu: status %d", i, st);
        CHECK(strstr(sl_ctx_errmsg(ctx), "sl_flux_site_log_weights") != NULL, "bad case %zu message: %s", i,
              sl_ctx_errmsg(ctx));
        CHECK(lw[0] == 123, "bad case %zu wrote the output", i);
    }
    CHECK(sl_flux_site_log_weights(NULL, 5, 1, 3, lw) == SL_ERR_NULL, "NULL ctx");
    sl_ctx_destroy(ctx);
    return check_done();
}
