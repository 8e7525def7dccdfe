/* Workload `worm` (shared/research/scalar_field.md §6 item 1): the complex
 * phi^4 field in the flux representation on 60 x 4, m = 0.1, lambda = 1,
 * mu = 1.00; 1000 thermalisation + 30000 measured sweeps, each one l
 * Metropolis sweep and 30 worms (N / 8); seed 1000 + round(100 mu) as in
 * the note.  Reports sweeps/s, worm proposals/s and <n>, <|phi|^2> with
 * errors from 50 bins, to be compared with the note's 0.36333(321) and
 * 0.384780(1133) by the 4-sigma rule (pass_n, pass_phi2 = 1).  The note's
 * Python reference takes about 45 s on one core (1-2e6 proposals/s); the
 * peer bench/peers/worm.py is a plain-Python reference of the same
 * algorithm (the worm is a sequential chain: nothing to vectorise), run by
 * bench/run.sh without PyTorch. */
#include "bench_common.h"
#include "symlearn/scalar.h"

int main(int argc, char **argv)
{
    long threads = 1, nt = 60, nx = 4, therm = 1000, sweeps = 30000, worms = 30;
    double m = 0.1, lambda = 1.0, mu = 1.0;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"nt", 1, &nt, NULL},       {"nx", 1, &nx, NULL},
        {"therm", 1, &therm, NULL},     {"sweeps", 1, &sweeps, NULL}, {"worms", 1, &worms, NULL},
        {"m", 0, NULL, &m},             {"lambda", 0, NULL, &lambda}, {"mu", 0, NULL, &mu},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    if (sweeps < 50) {
        fprintf(stderr, "bench_worm: --sweeps must be >= 50 (50 bins)\n");
        return 2;
    }
    sl_ctx *ctx = bench_ctx((int)threads);
    sl_flux *F;
    BENCH_CHECK(ctx, sl_flux_create(ctx, nt, nx, m, lambda, mu, &F));
    uint64_t seed = 1000 + (uint64_t)llround(100 * mu);
    double *n = bench_alloc((size_t)sweeps), *p = bench_alloc((size_t)sweeps);

    double t0 = bench_now(), cpu0 = bench_cpu_now();
    BENCH_CHECK(ctx, sl_flux_sweep(F, therm, worms, SL_FLUX_L_AUTO, seed));
    BENCH_CHECK(ctx, sl_flux_run(F, sweeps, worms, SL_FLUX_L_AUTO, seed, n, p, NULL));
    double seconds = bench_now() - t0, cpu_seconds = bench_cpu_now() - cpu0;

    uint64_t nw, steps, acc, lp, la;
    BENCH_CHECK(ctx, sl_flux_stats(F, &nw, &steps, &acc, &lp, &la));
    double mean[2], err[2];
    double *series[2] = {n, p};
    for (int o = 0; o < 2; ++o) {
        long bs = sweeps / 50;
        double s = 0, v = 0;
        for (long i = 0; i < sweeps; ++i) s += series[o][i];
        mean[o] = s / (double)sweeps;
        for (int b = 0; b < 50; ++b) {
            double bm = 0;
            for (long i = 0; i < bs; ++i) bm += series[o][b * bs + i];
            bm /= (double)bs;
            v += (bm - mean[o]) * (bm - mean[o]);
        }
        err[o] = sqrt(v / (50.0 * 49.0));
    }
    const double ref[2] = {0.36333, 0.384780}, eref[2] = {0.00321, 0.001133};
    int pass[2];
    for (int o = 0; o < 2; ++o) pass[o] = fabs(mean[o] - ref[o]) <= 4 * sqrt(err[o] * err[o] + eref[o] * eref[o]);
    fprintf(stderr,
            "worm %ldx%ld m %g lambda %g mu %g: %ld + %ld sweeps in %.3f s (%.0f sweeps/s, %.3g worm steps/s, %.1f "
            "steps/worm, acceptance %.3f, l acceptance %.3f)\n"
            "  <n> = %.5f(%.0f) [ref 0.36333(321)%s], <|phi|^2> = %.6f(%.0f) [ref 0.384780(1133)%s]\n",
            nt, nx, m, lambda, mu, therm, sweeps, seconds, (therm + sweeps) / seconds, (double)steps / seconds,
            (double)steps / (double)nw, (double)acc / (double)steps, (double)la / (double)lp, mean[0], 1e5 * err[0],
            pass[0] ? ", within 4 sigma" : ", OUTSIDE 4 sigma", mean[1], 1e6 * err[1],
            pass[1] ? ", within 4 sigma" : ", OUTSIDE 4 sigma");
    bench_report("worm", (int)threads, therm + sweeps, seconds, "worm_steps", (double)steps, "worm_steps_per_s",
                 (double)steps / seconds, "steps_per_worm", (double)steps / (double)nw, "n", mean[0], "n_err", err[0],
                 "phi2", mean[1], "phi2_err", err[1], "pass_n", (double)pass[0], "pass_phi2", (double)pass[1],
                 "cpu_seconds", cpu_seconds, (const char *)NULL);
    sl_flux_destroy(F);
    sl_ctx_destroy(ctx);
    free(n), free(p);
    return pass[0] && pass[1] ? 0 : 1;
}
