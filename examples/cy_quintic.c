/* The Fermat quintic from the Fubini-Study metric to a trained Ricci-flat
 * metric (docs/calabi-yau.md): points from random lines, sigma of g_FS, then
 * the phi-model g = g_FS + d dbar phi (3 x 64 GELU) trained on the weighted
 * Monge-Ampere and transition losses with Adam and a cosine learning-rate
 * schedule, printing sigma on the validation points after every epoch.
 *
 *   ./build/examples/cy_quintic          short run (make examples, ~10-20 s)
 *   ./build/examples/cy_quintic full     20000 training points, 10 epochs,
 *                                        sigma on 100000 validation points
 *   ./build/examples/cy_quintic full model.cymd   ... and save the model
 *
 * Exits non-zero when training did not lower sigma clearly (below 0.6 sigma_FS
 * in the short run, below 0.05 in the full one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "symlearn.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void on_log(void *user, int level, const char *msg)
{
    (void)level;
    printf("  [%6.1f s] %s\n", now() - *(const double *)user, msg);
    fflush(stdout);
}

#define TRY(call)                                                            \
    do {                                                                     \
        if ((call) != SL_OK) {                                               \
            fprintf(stderr, "cy_quintic: %s\n", sl_ctx_errmsg(ctx));         \
            return 1;                                                        \
        }                                                                    \
    } while (0)

int main(int argc, char **argv)
{
    const int full = argc > 1 && !strcmp(argv[1], "full");
    const int64_t ntrain = full ? 20000 : 8000, nval = full ? 100000 : 5000;
    const int epochs = full ? 10 : 8;
    double t0 = now();
    sl_ctx_opts co;
    sl_ctx_opts_init(&co);
    co.log = on_log;
    co.log_user = &t0;
    co.log_level = SL_LOG_INFO;
    co.nthreads = 1;
    sl_ctx *ctx = NULL;
    if (sl_ctx_create(&ctx, &co) != SL_OK) return 1;

    sl_cy_variety *v = NULL;
    sl_cy_points *train = NULL, *val = NULL;
    TRY(sl_cy_variety_quintic(ctx, 0, 0, &v));   /* sum z_i^5 in P^4 */
    TRY(sl_cy_sample(v, ntrain, 11, &train));
    TRY(sl_cy_sample(v, nval, 12, &val));
    double *det = malloc(sizeof(double) * (size_t)nval), sigma_fs;
    TRY(sl_cy_fs_metric(val, 1.0, NULL, det));
    TRY(sl_cy_points_sigma(val, det, &sigma_fs));
    free(det);
    printf("[%6.1f s] Fermat quintic: %lld training, %lld validation points, kappa %.6f, sigma_FS %.4f\n", now() - t0, (long long)ntrain,
           (long long)nval, sl_cy_points_kappa(train), sigma_fs);

    sl_cy_model_opts mo;
    sl_cy_model_opts_init(&mo);   /* 3 x 64 GELU, t = 1 */
    sl_cy_train_opts to;
    sl_cy_train_opts_init(&to);
    to.epochs = epochs;
    to.batch = 64;
    to.lr = 1e-2;
    to.schedule = SL_CY_LR_COSINE;
    to.lr_final = 1e-4;
    to.weighted = 1;
    to.shuffle = 1;
    sl_cy_model *m = NULL;
    TRY(sl_discover_cy_metric(v, train, val, &mo, &to, &m));
    double *sig = malloc(sizeof(double) * (size_t)epochs);
    TRY(sl_cy_model_history(m, NULL, sig));
    const double sigma = sig[epochs - 1];
    free(sig);
    printf("sigma: FS %.4f -> phi-model %.4f after %d epochs (%.1f s)\n", sigma_fs, sigma, epochs, now() - t0);
    if (full && argc > 2) {
        TRY(sl_cy_model_save(m, argv[2]));
        printf("saved %s\n", argv[2]);
    }
    sl_cy_model_destroy(m);
    sl_cy_points_destroy(val);
    sl_cy_points_destroy(train);
    sl_cy_variety_destroy(v);
    sl_ctx_destroy(ctx);
    const int ok = full ? sigma < 0.05 : sigma < 0.6 * sigma_fs;
    printf("cy_quintic: %s\n", ok ? "trained metric found" : "FAILED to lower sigma");
    return ok ? 0 : 1;
}
