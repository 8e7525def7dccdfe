/* Monte Carlo check 8 of lcnn.md: 1+1D Wilson action, <Re Tr U_P>/N against
 * the exact infinite-volume values, within 3 binned standard errors: SU(2)
 * I_2(beta)/I_1(beta) at beta = 0.1, 2.0667, 6; SU(3) at 5.5, 6.0, 6.5.  Also
 * a 4D SU(3) run stays in SU(3) and orders with beta. */
#include "lattice_util.h"

static void run(sl_ctx *ctx, int nc, double beta, double exact, int L, int ntherm, int nmeas, int n_over)
{
    int64_t dims[2] = {L, L};
    sl_gauge *U;
    sl_gauge_create(ctx, 2, dims, nc, &U);
    sl_gauge_randomize(U, 1000 + (uint64_t)(beta * 100));
    CHECK(sl_gauge_heatbath(U, beta, ntherm, n_over, 7) == SL_OK, "heatbath: %s", sl_ctx_errmsg(ctx));
    int nbin = 20, per = nmeas / nbin;
    double bins[20] = {0}, mean = 0;
    for (int i = 0; i < nbin * per; ++i) {
        sl_gauge_heatbath(U, beta, 1, n_over, 7);
        double p;
        sl_gauge_plaquette(U, &p);
        bins[i / per] += p / per;
    }
    for (int b = 0; b < nbin; ++b) mean += bins[b] / nbin;
    double var = 0;
    for (int b = 0; b < nbin; ++b) var += (bins[b] - mean) * (bins[b] - mean);
    double err = sqrt(var / (nbin * (nbin - 1)));
    CHECK(fabs(mean - exact) < 3 * err, "check 8: SU(%d) beta %g: plaquette %.6f +- %.6f vs %.7f (%.1f sigma)",
          nc, beta, mean, err, exact, fabs(mean - exact) / err);
    printf("SU(%d) beta %.4g: <P> = %.6f +- %.6f, exact %.7f (%.2f sigma)\n", nc, beta, mean, err, exact,
           fabs(mean - exact) / err);
    sl_gauge_destroy(U);
}

int main(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    run(ctx, 2, 0.1, 0.0249896, 16, 50, 400, 0);
    run(ctx, 2, 2.0667, 0.4438415, 16, 50, 400, 0);
    run(ctx, 2, 6.0, 0.7627261, 16, 50, 400, 0);
    run(ctx, 3, 5.5, 0.389129, 12, 50, 400, 2);
    run(ctx, 3, 6.0, 0.422532, 12, 50, 400, 2);
    run(ctx, 3, 6.5, 0.453959, 12, 50, 400, 2);
    /* 4D SU(3): a few sweeps at beta 6 from a hot start */
    int64_t d4[4] = {4, 4, 4, 4};
    sl_gauge *U;
    sl_gauge_create(ctx, 4, d4, 3, &U);
    sl_gauge_randomize(U, 3);
    sl_gauge_heatbath(U, 6.0, 15, 1, 9);
    double p;
    sl_gauge_plaquette(U, &p);
    CHECK(p > 0.5 && p < 0.7, "4D SU(3) beta 6 plaquette %g (about 0.6)", p);
    double *d = sl_gauge_data(U), un = 0;
    for (int64_t l = 0; l < 256 * 4; ++l) {
        cz *m = (cz *)d + 9 * l;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c) {
                cz s = 0;
                for (int k = 0; k < 3; ++k) s += m[r * 3 + k] * conj(m[c * 3 + k]);
                un = fmax(un, cabs(s - (r == c)));
            }
    }
    CHECK(un < 1e-13, "4D links unitary %g", un);
    printf("4D SU(3) 4^4 beta 6: plaquette %.5f after 15 sweeps\n", p);
    CHECK(sl_gauge_heatbath(U, NAN, 1, 0, 0) == SL_ERR_ARG, "NaN beta");
    CHECK(sl_gauge_heatbath(NULL, 1, 1, 0, 0) == SL_ERR_NULL, "NULL U");
    sl_gauge_destroy(U);
    sl_ctx_destroy(ctx);
    return check_done();
}
