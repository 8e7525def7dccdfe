/* The phi-model on a Donaldson base (cy.h opts.base_k): with phi = 0 it is
 * Donaldson's balanced metric (sigma_2, sigma_3 = 0.272, 0.194 +- 0.01, the
 * research note A5.8), its Ricci measure below FS's; save/load keeps H;
 * training from the base lowers sigma; bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

static int quick(void) { const char *q = getenv("SL_TEST_QUICK"); return q && *q && strcmp(q, "0"); }
static sl_ctx *ctx;

static void zero_weights(sl_cy_model *m)
{
    double *w = calloc((size_t)sl_cy_model_nweights(m), sizeof(double));
    sl_cy_model_set_weights(m, w);
    free(w);
}

int main(void)
{
    CHECK(sl_ctx_create(&ctx, NULL) == SL_OK, "ctx");
    sl_cy_variety *v = NULL;
    CHECK(sl_cy_variety_quintic(ctx, 0, 0, &v) == SL_OK, "quintic");
    const int64_t nval = quick() ? 4000 : 20000, ntrain = 8192;
    sl_cy_points *val = NULL, *tr = NULL, *small = NULL;
    CHECK(sl_cy_sample(v, nval, 7, &val) == SL_OK, "sample");
    CHECK(sl_cy_sample(v, ntrain, 3, &tr) == SL_OK, "sample train");
    CHECK(sl_cy_points_subset(val, 0, 64, &small) == SL_OK, "small");
    double *det = malloc(sizeof(double) * (size_t)nval), *dalg = malloc(sizeof(double) * (size_t)nval);
    const double ref[4] = {0, 0, 0.272, 0.194};
    double ricci_fs = NAN;
    {   /* FS's Ricci measure (phi = 0, FS base) */
        sl_cy_model_opts mo;
        sl_cy_model_opts_init(&mo);
        mo.width = 8, mo.depth = 1;
        sl_cy_model *m = NULL;
        CHECK(sl_cy_model_create(v, &mo, &m) == SL_OK, "fs model");
        zero_weights(m);
        sl_cy_diagnostics d;
        sl_cy_diagnostics_init(&d);
        CHECK(sl_cy_model_diagnostics(m, small, &d, NULL, NULL, NULL) == SL_OK, "fs diagnostics");
        ricci_fs = d.ricci_measure;
        sl_cy_model_destroy(m);
    }
    for (int k = 2; k <= 3; k++) {
        sl_cy_model_opts mo;
        sl_cy_model_opts_init(&mo);
        mo.width = 16, mo.depth = 2, mo.base_k = k;
        sl_cy_model *m = NULL;
        CHECK(sl_cy_model_create(v, &mo, &m) == SL_OK, "k = %d: create: %s", k, sl_ctx_errmsg(ctx));
        if (!m) continue;
        zero_weights(m);
        sl_cy_algebraic *alg = NULL;
        CHECK(sl_cy_donaldson(v, k, NULL, &alg) == SL_OK, "donaldson %d", k);
        CHECK(sl_cy_model_metric(m, val, NULL, det) == SL_OK, "k = %d: metric: %s", k, sl_ctx_errmsg(ctx));
        CHECK(sl_cy_algebraic_metric(alg, val, NULL, dalg) == SL_OK, "algebraic metric");
        double e = 0;
        for (int64_t i = 0; i < nval; i++) e = fmax(e, fabs(det[i] - dalg[i]) / fabs(dalg[i]));
        CHECK(e < 1e-12, "k = %d: phi = 0 det vs Donaldson's: %.3g", k, e);
        double s, sa;
        CHECK(sl_cy_model_losses(m, val, NULL, NULL, NULL, &s) == SL_OK, "sigma");
        sl_cy_points_sigma(val, dalg, &sa);
        printf("  base k = %d, phi = 0: sigma %.4f (Donaldson %.4f, reference %.3f)\n", k, s, sa, ref[k]);
        CHECK(fabs(s - sa) < 1e-12 && fabs(s - ref[k]) < 0.01, "k = %d: sigma %.4f", k, s);
        sl_cy_diagnostics d;
        sl_cy_diagnostics_init(&d);
        CHECK(sl_cy_model_diagnostics(m, small, &d, NULL, NULL, NULL) == SL_OK, "diagnostics: %s", sl_ctx_errmsg(ctx));
        printf("  base k = %d: Ricci measure %.4f (FS %.4f), sigma on 64 points %.4f\n", k, d.ricci_measure, ricci_fs, d.sigma);
        CHECK(d.ricci_nan == 0 && d.ricci_measure < ricci_fs, "k = %d: Ricci measure %.4f vs FS %.4f", k, d.ricci_measure,
              ricci_fs);
        if (k == 2) {   /* save / load keeps the base; training from it lowers sigma */
            char path[64];
            snprintf(path, sizeof path, "/tmp/test_cy_base_%d.slc", (int)getpid());
            CHECK(sl_cy_model_save(m, path) == SL_OK, "save: %s", sl_ctx_errmsg(ctx));
            sl_cy_model *m2 = NULL;
            CHECK(sl_cy_model_load(ctx, path, &m2) == SL_OK, "load: %s", sl_ctx_errmsg(ctx));
            unlink(path);
            if (m2) {
                CHECK(sl_cy_model_metric(m2, val, NULL, dalg) == SL_OK, "loaded metric");
                CHECK(memcmp(det, dalg, sizeof(double) * (size_t)nval) == 0, "loaded base differs");
                sl_cy_model_destroy(m2);
            }
            sl_cy_train_opts to;
            sl_cy_train_opts_init(&to);
            to.epochs = 2, to.lr = 1e-2, to.schedule = SL_CY_LR_COSINE, to.lr_final = 1e-4, to.weighted = 1, to.shuffle = 1;
            sl_cy_model_destroy(m);
            mo.width = 64, mo.depth = 3;
            CHECK(sl_discover_cy_metric(v, tr, val, &mo, &to, &m) == SL_OK, "train: %s", sl_ctx_errmsg(ctx));
            double hh[2] = {NAN, NAN};
            sl_cy_model_history(m, NULL, hh);
            const double hs = hh[1];
            printf("  base k = 2, %lld points x 2 epochs: sigma_val %.4f, %.4f\n", (long long)ntrain, hh[0], hh[1]);
            CHECK(hs < ref[2] - 0.05, "trained from the k = 2 base: sigma %.4f", hs);
        }
        sl_cy_algebraic_destroy(alg);
        sl_cy_model_destroy(m);
    }
    {   /* bad input */
        sl_cy_model_opts mo;
        sl_cy_model_opts_init(&mo);
        sl_cy_model *m = NULL;
        mo.base_k = 9;
        CHECK(sl_cy_model_create(v, &mo, &m) == SL_ERR_ARG && !m, "base_k 9");
        mo.base_k = -1;
        CHECK(sl_cy_model_create(v, &mo, &m) == SL_ERR_ARG && !m, "base_k -1");
        mo.base_k = 2, mo.kind = SL_CY_KIND_MULT;
        CHECK(sl_cy_model_create(v, &mo, &m) == SL_ERR_UNSUPPORTED && !m, "base with mult");
        CHECK(strstr(sl_ctx_errmsg(ctx), "base_k") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    }
    free(det), free(dalg);
    sl_cy_points_destroy(small), sl_cy_points_destroy(val), sl_cy_points_destroy(tr);
    sl_cy_variety_destroy(v);
    sl_ctx_destroy(ctx);
    return check_done();
}
