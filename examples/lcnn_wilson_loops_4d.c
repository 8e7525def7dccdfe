/* The 4D task of issue 13: a GCMConv network [6, 6], K [2, 2] learns the
 * per-site 2x2 Wilson loop averaged over the 6 planes, (1/6) sum_{mu<nu}
 * Re Tr W_{2x2}(x, mu nu) / N, on SU(N) configurations made by the
 * library's heat bath at beta = linspace(b0, b1, 8): 20 training, 2
 * validation and 4 test fields per beta.  Trained with sl_lcnn_fit (own
 * validation arrays, a summary) and the default options (every layer's
 * input centred, the head started at the target mean; docs/lattice.md,
 * "Training in 4D"), lr 3e-3, batch 4, on nseeds seeds (weights and
 * shuffling) on the same fields.  Prints per seed the test MSE relative to
 * the target variance, the best epoch and the seconds; exits 1 when a seed
 * misses 1e-3 (issue 13's criterion).
 *
 *   build/examples/lcnn_wilson_loops_4d [L [Lt [ntrain_per_beta [epochs [nseeds [nc [b0 [b1 [center [first]]]]]]]]]]
 *   defaults: 6 4 20 200 3 2 1.5 6 1 1   (issue 13's case, SU(2) 6^3 x 4,
 *   seeds first..first+nseeds-1; center 2: the first layer only, 0: none)
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "symlearn.h"

#define NBETA 8

static int64_t D[4];
static int NC;

static int die(sl_ctx *ctx, const char *what)
{
    fprintf(stderr, "lcnn_wilson_loops_4d: %s: %s\n", what, sl_ctx_errmsg(ctx));
    return 1;
}

static int64_t volume(void) { return D[0] * D[1] * D[2] * D[3]; }

/* (1/6) sum over the planes of Re Tr W_{2x2} / N per site */
static int targets(sl_ctx *ctx, int64_t n, const double *links, double *out)
{
    sl_graph *g;
    if (sl_graph_create(ctx, &g)) return 1;
    int64_t shape[8] = {n, D[0], D[1], D[2], D[3], 4, NC, NC};
    sl_node *U = sl_graph_input(g, SL_C128, 8, shape, "U"), *t = NULL;
    for (int mu = 0; mu < 4; ++mu)
        for (int nu = mu + 1; nu < 4; ++nu) {
            sl_node *w = sl_graph_real(g, sl_graph_trace(g, sl_graph_wilson_loop(g, U, mu, nu, 2, 2)));
            t = t ? sl_graph_add(g, t, w) : w;
        }
    t = sl_graph_mul_scalar(g, t, 1.0 / (6.0 * NC));
    sl_plan *p = NULL;
    int rc = sl_graph_status(g) || sl_plan_create(g, 1, &t, &p) || sl_plan_bind(p, U, links) || sl_plan_run(p);
    if (!rc) memcpy(out, sl_plan_output(p, 0), sizeof(double) * (size_t)(n * volume()));
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    return rc;
}

/* per beta one chain: 30 sweeps, then a field every 3; of every `per`
 * fields the first ntr train, the next nval validate, the rest test */
static int generate(sl_ctx *ctx, double b0, double b1, int64_t ntr, int64_t nva, int64_t nte, double **sets)
{
    int64_t sz = volume() * 4 * NC * NC * 2, cnt[3] = {0, 0, 0};
    for (int b = 0; b < NBETA; ++b) {
        double beta = b0 + (b1 - b0) * b / (NBETA - 1);
        sl_gauge *U;
        if (sl_gauge_create(ctx, 4, D, NC, &U)) return 1;
        sl_gauge_randomize(U, 1000 + (uint64_t)b);
        if (sl_gauge_heatbath(U, beta, 30, NC == 3, 100000 + (uint64_t)b)) return 1;
        for (int64_t i = 0; i < ntr + nva + nte; ++i) {
            sl_gauge_heatbath(U, beta, 3, NC == 3, 100000 + (uint64_t)b);
            int k = i < ntr ? 0 : i < ntr + nva ? 1 : 2;
            memcpy(sets[k] + cnt[k]++ * sz, sl_gauge_data(U), sizeof(double) * (size_t)sz);
        }
        sl_gauge_destroy(U);
    }
    return 0;
}

static void progress(void *user, int epoch, double train, double val)
{
    double var = *(double *)user;
    if (epoch % 10 == 0 || epoch == 1)
        printf("epoch %3d  train MSE %.3e  validation MSE %.3e (%.2e of the variance)\n", epoch, train, val, val / var);
    fflush(stdout);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* one seed: returns the test MSE relative to the test variance (< 0: error) */
static double run(sl_ctx *ctx, uint64_t seed, int epochs, int center, const int64_t *n, double *const *links,
                  double *const *y, double var, double tvar)
{
    int64_t V = volume();
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nd = 4; o.nc = NC; o.nlayers = 2;
    o.channels[0] = 6; o.channels[1] = 6;       /* one first-layer channel per plane */
    o.kernels[0] = 2; o.kernels[1] = 2;
    if (getenv("LCNN_C2")) o.channels[1] = atoi(getenv("LCNN_C2"));
    o.seed = seed;
    sl_lcnn *net;
    if (sl_lcnn_create(ctx, &o, &net)) return die(ctx, "sl_lcnn_create"), -1;
    printf("seed %llu: GCMConv [6, 6], K [2, 2]: %lld weights\n", (unsigned long long)seed,
           (long long)sl_lcnn_nparams(net));
    sl_lcnn_train_opts to = SL_LCNN_TRAIN_OPTS_INIT;   /* center and init_head on */
    to.epochs = epochs; to.batch = 4; to.lr = 3e-3; to.seed = seed + 7; to.center = center;
    to.progress = progress; to.progress_user = &var;
    sl_lcnn_fit_summary sum;
    sl_lcnn_fit_summary_init(&sum);
    double t0 = now();
    if (sl_lcnn_fit(net, D, n[0], links[0], y[0], n[1], links[1], y[1], &to, &sum)) return die(ctx, "sl_lcnn_fit"), -1;
    double secs = now() - t0;
    double *p = malloc(sizeof(double) * (size_t)(n[2] * V)), mse = 0;
    if (!p || sl_lcnn_predict_batch(net, n[2], D, links[2], p)) return die(ctx, "predict"), -1;
    for (int64_t i = 0; i < n[2] * V; ++i) mse += (p[i] - y[2][i]) * (p[i] - y[2][i]) / (double)(n[2] * V);
    printf("seed %llu: %d epochs (best %d, validation MSE %.3e, initial %.3e), %.0f s; test MSE %.3e = %.3e of "
           "the target variance %.4e\n", (unsigned long long)seed, sum.epochs_run, sum.best_epoch, sum.best_val_loss,
           sum.initial_val_loss, secs, mse, mse / tvar, tvar);
    fflush(stdout);
    free(p);
    sl_lcnn_destroy(net);
    return mse / tvar;
}

int main(int argc, char **argv)
{
    int64_t L = argc > 1 ? atol(argv[1]) : 6, Lt = argc > 2 ? atol(argv[2]) : (argc > 1 ? L : 4);
    int64_t ntr = argc > 3 ? atol(argv[3]) : 20, nva = 2, nte = 4;
    int epochs = argc > 4 ? atoi(argv[4]) : 200;
    int nseeds = argc > 5 ? atoi(argv[5]) : 3;
    NC = argc > 6 ? atoi(argv[6]) : 2;
    double b0 = argc > 7 ? atof(argv[7]) : 1.5, b1 = argc > 8 ? atof(argv[8]) : 6.0;
    int center = argc > 9 ? atoi(argv[9]) : 1, first = argc > 10 ? atoi(argv[10]) : 1;
    if (L < 2 || Lt < 2 || ntr < 1 || epochs < 0 || NC < 2 || NC > 3 || nseeds < 1 || first < 1) {
        fprintf(stderr, "lcnn_wilson_loops_4d: bad arguments\n");
        return 1;
    }
    D[0] = D[1] = D[2] = L;
    D[3] = Lt;
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    int64_t V = volume(), sz = V * 4 * NC * NC * 2, n[3] = {NBETA * ntr, NBETA * nva, NBETA * nte};
    double *links[3], *y[3];
    for (int k = 0; k < 3; ++k) {
        links[k] = malloc(sizeof(double) * (size_t)(n[k] * sz));
        y[k] = malloc(sizeof(double) * (size_t)(n[k] * V));
        if (!links[k] || !y[k]) return 1;
    }
    if (generate(ctx, b0, b1, ntr, nva, nte, links)) return die(ctx, "Monte Carlo");
    for (int k = 0; k < 3; ++k)
        if (targets(ctx, n[k], links[k], y[k])) return die(ctx, "targets");
    double mean = 0, var = 0, tvar = 0, tmean = 0;
    for (int64_t i = 0; i < n[0] * V; ++i) mean += y[0][i] / (double)(n[0] * V);
    for (int64_t i = 0; i < n[0] * V; ++i) var += (y[0][i] - mean) * (y[0][i] - mean) / (double)(n[0] * V);
    for (int64_t i = 0; i < n[2] * V; ++i) tmean += y[2][i] / (double)(n[2] * V);
    for (int64_t i = 0; i < n[2] * V; ++i) tvar += (y[2][i] - tmean) * (y[2][i] - tmean) / (double)(n[2] * V);
    printf("SU(%d) %lld^3 x %lld, beta %.2f..%.2f: %lld/%lld/%lld fields; target mean %.4f, variance %.4e\n", NC,
           (long long)L, (long long)Lt, b0, b1, (long long)n[0], (long long)n[1], (long long)n[2], mean, var);

    int fails = 0;
    for (int s = first; s < first + nseeds; ++s) {
        double r = run(ctx, (uint64_t)s, epochs, center, n, links, y, var, tvar);
        if (r < 0) return 1;
        fails += !(r < 1e-3);
    }
    printf("%d of %d seeds below 1e-3 of the target variance\n", nseeds - fails, nseeds);
    for (int k = 0; k < 3; ++k) free(links[k]), free(y[k]);
    sl_ctx_destroy(ctx);
    return fails ? 1 : 0;
}
