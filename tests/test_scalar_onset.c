/* The flux-representation sampler on 60 x 4 against the production values of
 * shared/research/scalar_field.md §4.3 (numpy worm, 30000 measurements,
 * 50 bins):
 *  SF-T4 Silver Blaze, m = lambda = 1, mu = 0.91 and 1.05: every
 *        configuration has Q = 0 and <|phi|^2> agrees with the note's value
 *        at that mu and with the mu-independent average 0.20417 by the
 *        4-sigma rule.
 *  SF-T5 onset, m = 0.1, lambda = 1, mu = 0.91, 0.94, 1.00, 1.05: <n> and
 *        <|phi|^2> by the 4-sigma rule with this run's own binned errors;
 *        the Q histogram by a chi^2 of the sector fractions, each with its
 *        binned error here and p (1 - p) 2 tau / N for the note's (tau its
 *        tau_int(n); this run's error at least p (1 - p) 2 tau / N, the
 *        error expected under the hypothesis), sectors with >= 100
 *        reference counts, dof = sectors - 1,
 *        pass when p > 0.001.
 * Statistics: 1000 + 10000 sweeps per point (a third of the note's; the rule
 * uses the errors of this run), SL_TEST_QUICK: 300 + 1500 and 20 bins. */
#include <stdio.h>

#include "check.h"
#include "scalar_util.h"

static int64_t nmeas, ntherm;
static int nbins;

typedef struct {
    double mu, n, en, p, ep, tau;
    int counts[7];
} refpt;

/* m = 0.1 rows of §4.3 */
static const refpt onset[4] = {
    {0.91, 0.02708, 0.00223, 0.271661, 0.000899, 12.7, {26759, 3232, 9, 0, 0, 0, 0}},
    {0.94, 0.12011, 0.00449, 0.304310, 0.001671, 16.9, {15946, 13695, 359, 0, 0, 0, 0}},
    {1.00, 0.36333, 0.00321, 0.384780, 0.001133, 8.4, {529, 15802, 13212, 455, 2, 0, 0}},
    {1.05, 0.60437, 0.00280, 0.457165, 0.000901, 5.5, {5, 900, 16223, 12311, 559, 2, 0}},
};

/* chi^2 quantiles at p = 0.001 for dof 1..5 */
static const double chi2_999[6] = {0, 10.828, 13.816, 16.266, 18.467, 20.515};

static void run_point(sl_ctx *ctx, double m, double mu, double *n, double *p, int64_t *q)
{
    sl_flux *F;
    CHECK(sl_flux_create(ctx, 60, 4, m, 1.0, mu, &F) == SL_OK, "create");
    uint64_t seed = 2000 + (uint64_t)llround(100 * mu);
    CHECK(sl_flux_sweep(F, ntherm, 30, SL_FLUX_L_AUTO, seed) == SL_OK, "thermalise");
    CHECK(sl_flux_run(F, nmeas, 30, SL_FLUX_L_AUTO, seed, n, p, q) == SL_OK, "run: %s", sl_ctx_errmsg(ctx));
    sl_flux_destroy(F);
}

static void silver_blaze(sl_ctx *ctx)
{
    const double mus[2] = {0.91, 1.05}, refp[2] = {0.203965, 0.204278}, erefp[2] = {0.000105, 0.000089};
    double *n = malloc((size_t)nmeas * sizeof(double)), *p = malloc((size_t)nmeas * sizeof(double));
    int64_t *q = malloc((size_t)nmeas * sizeof(int64_t));
    for (int i = 0; i < 2; ++i) {
        run_point(ctx, 1.0, mus[i], n, p, q);
        int64_t nonzero = 0;
        for (int64_t j = 0; j < nmeas; ++j) nonzero += q[j] != 0;
        double mp, ep;
        binned(p, nmeas, nbins, &mp, &ep);
        CHECK(nonzero == 0, "SF-T4 mu %.2f: %lld configurations with Q != 0", mus[i], (long long)nonzero);
        CHECK(four_sigma(mp, ep, refp[i], erefp[i], 0), "SF-T4 mu %.2f |phi|^2 %.6f(%.6f) vs %.6f(%.6f)", mus[i], mp, ep,
              refp[i], erefp[i]);
        CHECK(four_sigma(mp, ep, 0.20417, 0.000044, 0), "SF-T4 mu %.2f |phi|^2 %.6f(%.6f) vs the average 0.20417",
              mus[i], mp, ep);
        printf("SF-T4 m 1 mu %.2f: Q = 0 in all %lld; |phi|^2 %.6f(%.0f) [note %.6f(%.0f), average 0.20417]\n", mus[i],
               (long long)nmeas, mp, 1e6 * ep, refp[i], 1e6 * erefp[i]);
    }
    free(n);
    free(p);
    free(q);
}

static void onset_region(sl_ctx *ctx)
{
    double *n = malloc((size_t)nmeas * sizeof(double)), *p = malloc((size_t)nmeas * sizeof(double));
    double *ind = malloc((size_t)nmeas * sizeof(double));
    int64_t *q = malloc((size_t)nmeas * sizeof(int64_t));
    for (int i = 0; i < 4; ++i) {
        const refpt *r = &onset[i];
        run_point(ctx, 0.1, r->mu, n, p, q);
        double mn, en, mp, ep;
        binned(n, nmeas, nbins, &mn, &en);
        binned(p, nmeas, nbins, &mp, &ep);
        CHECK(four_sigma(mn, en, r->n, r->en, 0), "SF-T5 mu %.2f <n> %.5f(%.5f) vs %.5f(%.5f)", r->mu, mn, en, r->n, r->en);
        CHECK(four_sigma(mp, ep, r->p, r->ep, 0), "SF-T5 mu %.2f <|phi|^2> %.6f(%.6f) vs %.6f(%.6f)", r->mu, mp, ep, r->p,
              r->ep);
        /* sector fractions */
        double chi2 = 0;
        int sectors = 0;
        char hist[160];
        int off = 0;
        for (int s = 0; s < 7; ++s) {
            int64_t c = 0;
            for (int64_t j = 0; j < nmeas; ++j) {
                ind[j] = q[j] == s;
                c += q[j] == s;
            }
            if (c || r->counts[s]) off += snprintf(hist + off, sizeof hist - (size_t)off, "%s%lld", s ? "," : "", (long long)c);
            if (r->counts[s] < 100) continue;
            double pc, ec, pr = r->counts[s] / 30000.0;
            binned(ind, nmeas, nbins, &pc, &ec);
            double er2 = pr * (1 - pr) * 2 * r->tau / 30000.0;
            /* the binned error of a rare sector is unreliable (most bins
             * hold none): at least the error expected under the hypothesis,
             * p (1 - p) 2 tau / N for this run's N, as Pearson's chi^2 */
            double ec2 = fmax(ec * ec, pr * (1 - pr) * 2 * r->tau / (double)nmeas);
            chi2 += (pc - pr) * (pc - pr) / (ec2 + er2);
            sectors++;
        }
        int dof = sectors - 1 > 0 ? sectors - 1 : 1;
        CHECK(chi2 <= chi2_999[dof], "SF-T5 mu %.2f Q histogram chi^2 %.2f for %d dof (limit %.2f at p = 0.001)", r->mu,
              chi2, dof, chi2_999[dof]);
        printf("SF-T5 m 0.1 mu %.2f: <n> %.5f(%.0f) [%.5f(%.0f), %+.1f sigma], <|phi|^2> %.6f(%.0f) [%.6f(%.0f), %+.1f "
               "sigma], Q hist (%lld) %s: chi^2 %.2f / %d dof\n",
               r->mu, mn, 1e5 * en, r->n, 1e5 * r->en, (mn - r->n) / sqrt(en * en + r->en * r->en), mp, 1e6 * ep, r->p,
               1e6 * r->ep, (mp - r->p) / sqrt(ep * ep + r->ep * r->ep), (long long)nmeas, hist, chi2, dof);
    }
    free(n);
    free(p);
    free(ind);
    free(q);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    ntherm = quick() ? 300 : 1000;
    nmeas = quick() ? 1500 : 10000;
    nbins = quick() ? 20 : 50;
    silver_blaze(ctx);
    onset_region(ctx);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "everything freed");
    sl_ctx_destroy(ctx);
    return check_done();
}
