/* The PRL task (Favoni, Ipp, Mueller, Schuh, PRL 128 (2022) 032003) in
 * float64: SU(2) configurations in 1+1D at beta = linspace(0.1, 6, 10) on
 * 8x8 by heat bath; train the "W2x2 small" L-CNN (GCMConv [2, 2], K [2, 2])
 * to predict Re Tr W_{2x2}(x) / 2 per site; report the test MSE of the
 * lattice average on 8x8, 16x16, 32x32 and 64x64 without retraining.
 *
 *   build/examples/lcnn_wilson_loops [ntrain_per_beta [epochs [ntest_per_beta [batch [lr]]]]]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "symlearn.h"

#define NBETA 10

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int die(sl_ctx *ctx, const char *what)
{
    fprintf(stderr, "lcnn_wilson_loops: %s: %s\n", what, sl_ctx_errmsg(ctx));
    return 1;
}

/* Re Tr W2x2(x) / 2 per site of a canonical L x L SU(2) field (the loop from
 * x: +0, +0, +1, +1, back), computed with the library's Wilson-loop op. */
static int targets(sl_ctx *ctx, int64_t L, int64_t n, const double *links, double *out)
{
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t shape[6] = {n, L, L, 2, 2, 2};
    sl_node *U = sl_graph_input(g, SL_C128, 6, shape, "U");
    sl_node *t = sl_graph_mul_scalar(g, sl_graph_real(g, sl_graph_trace(g, sl_graph_wilson_loop(g, U, 0, 1, 2, 2))), 0.5);
    sl_plan *p = NULL;
    int rc = sl_graph_status(g) || sl_plan_create(g, 1, &t, &p) || sl_plan_bind(p, U, links) || sl_plan_run(p);
    if (!rc) memcpy(out, sl_plan_output(p, 0), sizeof(double) * (size_t)(n * L * L));
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    return rc;
}

/* n configurations per beta on L x L: one heat-bath chain per beta, 100
 * thermalisation sweeps, then one configuration every 10 sweeps. */
static int generate(sl_ctx *ctx, int64_t L, int64_t n, uint64_t seed, double *links)
{
    int64_t dims[2] = {L, L}, sz = L * L * 2 * 4 * 2;
    for (int b = 0; b < NBETA; ++b) {
        double beta = 0.1 + (6.0 - 0.1) * b / (NBETA - 1);
        sl_gauge *U;
        if (sl_gauge_create(ctx, 2, dims, 2, &U)) return 1;
        sl_gauge_randomize(U, seed + (uint64_t)b);
        if (sl_gauge_heatbath(U, beta, 100, 0, seed * 100 + (uint64_t)b)) return 1;
        for (int64_t i = 0; i < n; ++i) {
            sl_gauge_heatbath(U, beta, 10, 0, seed * 100 + (uint64_t)b);
            memcpy(links + (b * n + i) * sz, sl_gauge_data(U), sizeof(double) * (size_t)sz);
        }
        sl_gauge_destroy(U);
    }
    return 0;
}

static void progress(void *user, int epoch, double train, double val)
{
    double t0 = *(double *)user;
    printf("epoch %3d  train MSE %.3e  validation MSE %.3e  (%.1f s)\n", epoch, train, val, now() - t0);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int64_t ntr = argc > 1 ? atol(argv[1]) : 100;      /* per beta */
    int epochs = argc > 2 ? atoi(argv[2]) : 100;
    int64_t nte = argc > 3 ? atol(argv[3]) : 20;       /* per beta, per lattice size */
    int batch = argc > 4 ? atoi(argv[4]) : 10;
    double lr = argc > 5 ? atof(argv[5]) : 1e-3;
    int64_t nval = 10;                                  /* per beta */
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;

    double t0 = now();
    int64_t L = 8, sz = L * L * 2 * 4 * 2, n = NBETA * (ntr + nval);
    double *links = malloc(sizeof(double) * (size_t)(n * sz)), *y = malloc(sizeof(double) * (size_t)(n * L * L));
    double *tmp = malloc(sizeof(double) * (size_t)(NBETA * (ntr + nval) * sz));
    /* training set first, then the validation set, as sl_lcnn_train expects */
    if (generate(ctx, L, ntr + nval, 1, tmp)) return die(ctx, "Monte Carlo");
    for (int b = 0; b < NBETA; ++b) {
        memcpy(links + b * ntr * sz, tmp + b * (ntr + nval) * sz, sizeof(double) * (size_t)(ntr * sz));
        memcpy(links + (NBETA * ntr + b * nval) * sz, tmp + (b * (ntr + nval) + ntr) * sz, sizeof(double) * (size_t)(nval * sz));
    }
    free(tmp);
    if (targets(ctx, L, n, links, y)) return die(ctx, "targets");
    printf("generated %lld training and %lld validation configurations of 8x8 in %.1f s\n",
           (long long)(NBETA * ntr), (long long)(NBETA * nval), now() - t0);

    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;        /* PRL "W2x2 small" */
    o.nd = 2; o.nc = 2; o.nlayers = 2;
    o.channels[0] = 2; o.channels[1] = 2; o.kernels[0] = 2; o.kernels[1] = 2;
    o.seed = 1;
    sl_lcnn *net;
    if (sl_lcnn_create(ctx, &o, &net)) return die(ctx, "sl_lcnn_create");
    printf("W2x2 small network: %lld parameters\n", (long long)sl_lcnn_nparams(net));

    sl_lcnn_train_opts to = SL_LCNN_TRAIN_OPTS_INIT;
    to.epochs = epochs;
    to.batch = batch;    /* AdamW with amsgrad as in the PRL (which used batch 100 on 10x the data) */
    to.lr = lr;
    to.seed = 5;
    double t1 = now();
    to.progress = progress;
    to.progress_user = &t1;
    int64_t dims[2] = {L, L};
    if (sl_lcnn_train(net, n, NBETA * nval, dims, links, y, &to)) return die(ctx, "sl_lcnn_train");
    double train_s = now() - t1;
    printf("training: %.1f s\n", train_s);
    if (sl_lcnn_save(net, "build/lcnn_w2x2.slm") == SL_OK) printf("saved build/lcnn_w2x2.slm\n");
    free(links), free(y);

    printf("\n%-8s %10s %14s\n", "lattice", "configs", "test MSE");
    for (int64_t Lt = 8; Lt <= 64; Lt *= 2) {
        int64_t szt = Lt * Lt * 2 * 4 * 2, nt = NBETA * nte, dt[2] = {Lt, Lt};
        double *lt = malloc(sizeof(double) * (size_t)(nt * szt)), *yt = malloc(sizeof(double) * (size_t)(nt * Lt * Lt));
        double *pt = malloc(sizeof(double) * (size_t)(Lt * Lt));
        if (generate(ctx, Lt, nte, 1000 + (uint64_t)Lt, lt) || targets(ctx, Lt, nt, lt, yt)) return die(ctx, "test set");
        double mse = 0;
        for (int64_t i = 0; i < nt; ++i) {
            if (sl_lcnn_predict_batch(net, 1, dt, lt + i * szt, pt)) return die(ctx, "predict");
            double a = 0, b = 0;
            for (int64_t s = 0; s < Lt * Lt; ++s) { a += pt[s]; b += yt[i * Lt * Lt + s]; }
            double d = (a - b) / (double)(Lt * Lt);
            mse += d * d / (double)nt;
        }
        printf("%2lldx%-5lld %10lld %14.3e\n", (long long)Lt, (long long)Lt, (long long)nt, mse);
        fflush(stdout);
        free(lt), free(yt), free(pt);
    }
    printf("(PRL, float32, median of 10 models: 4.88e-8 on 8x8, 3.38e-8 on 64x64)\n");
    sl_lcnn_destroy(net);
    sl_ctx_destroy(ctx);
    return 0;
}
