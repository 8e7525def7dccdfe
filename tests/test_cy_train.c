/* Training the phi-model with the cosine schedule and the weighted
 * Monge-Ampere loss (a small, fast variant of the full run in
 * docs/calabi-yau.md: sigma well below sigma_FS in a few seconds), the
 * schedules' options, and the scan over psi of the Dwork quintic (one result
 * per psi, CSV and JSON read back, bad input). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

static int quick(void) { const char *q = getenv("SL_TEST_QUICK"); return q && *q && strcmp(q, "0"); }

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 14];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

int main(void)
{
    sl_ctx *ctx = NULL;
    CHECK(sl_ctx_create(&ctx, NULL) == SL_OK, "ctx");
    sl_cy_variety *v = NULL;
    CHECK(sl_cy_variety_quintic(ctx, 0, 0, &v) == SL_OK, "Fermat");

    /* ---- the fast recipe: lr 1e-2 -> 1e-4 (cosine), weighted MA, batch 32 ---- */
    {
        const int64_t ntr = quick() ? 512 : 4000, nval = quick() ? 512 : 5000;
        sl_cy_points *tr = NULL, *va = NULL;
        CHECK(sl_cy_sample(v, ntr, 11, &tr) == SL_OK, "train points");
        CHECK(sl_cy_sample(v, nval, 12, &va) == SL_OK, "val points");
        double *det = malloc(sizeof(double) * (size_t)nval), sfs = NAN;
        sl_cy_fs_metric(va, 1.0, NULL, det);
        sl_cy_points_sigma(va, det, &sfs);
        free(det);
        sl_cy_model_opts mo;
        sl_cy_model_opts_init(&mo);
        mo.width = 32;
        sl_cy_train_opts to;
        sl_cy_train_opts_init(&to);
        to.epochs = quick() ? 1 : 10;
        to.batch = 32;
        to.lr = 1e-2;
        to.schedule = SL_CY_LR_COSINE;
        to.lr_final = 1e-4;
        to.weighted = 1;
        to.shuffle = 1;
        sl_cy_model *m = NULL;
        CHECK(sl_discover_cy_metric(v, tr, va, &mo, &to, &m) == SL_OK, "discover: %s", sl_ctx_errmsg(ctx));
        double hs[16] = {0};
        sl_cy_model_history(m, NULL, hs);
        printf("  cosine lr 1e-2 -> 1e-4, weighted MA, %lld points, 3 x 32 GELU, batch 32: sigma_FS %.4f, sigma_val",
               (long long)ntr, sfs);
        for (int e = 0; e < to.epochs; e++) printf(" %.4f", hs[e]);
        printf("\n");
        if (!quick()) CHECK(hs[to.epochs - 1] < 0.55 * sfs, "sigma %.4f not below 0.55 sigma_FS = %.4f", hs[to.epochs - 1], 0.55 * sfs);
        /* options */
        to.schedule = 7;
        CHECK(sl_cy_model_train(m, tr, NULL, &to) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_cy_model_train: opts.schedule"),
              "schedule 7: %s", sl_ctx_errmsg(ctx));
        to.schedule = SL_CY_LR_EXP, to.lr_final = 0;
        CHECK(sl_cy_model_train(m, tr, NULL, &to) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "opts.lr_final"),
              "exp to 0: %s", sl_ctx_errmsg(ctx));
        to.schedule = SL_CY_LR_CONSTANT, to.weighted = 2;
        CHECK(sl_cy_model_train(m, tr, NULL, &to) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "opts.weighted"),
              "weighted 2: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_cy_model_epochs(m) == (quick() ? 1 : 10), "refused calls train nothing");
        sl_cy_model_destroy(m);
        sl_cy_points_destroy(tr), sl_cy_points_destroy(va);
    }

    /* ---- scan over psi ---- */
    {
        const double psi[6] = {0, 0, 0.5, 0, 1.0, 0.5};
        sl_cy_scan_opts so;
        sl_cy_scan_opts_init(&so);
        so.train_points = 256, so.val_points = 512;
        sl_cy_model_opts mo;
        sl_cy_model_opts_init(&mo);
        mo.width = 8;
        sl_cy_train_opts to;
        sl_cy_train_opts_init(&to);
        to.epochs = 2;
        to.lr = 1e-2;
        sl_cy_scan *s = NULL;
        CHECK(sl_cy_scan_quintic(ctx, 3, psi, &so, &mo, &to, &s) == SL_OK, "scan: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_cy_scan_count(s) == 3, "count");
        double ps[6], sf[3], sg[3], ka[3], lo[3];
        CHECK(sl_cy_scan_results(s, ps, sf, sg, ka, lo) == SL_OK, "results");
        int ok = 1;
        for (int i = 0; i < 3; i++) ok &= ps[2 * i] == psi[2 * i] && sf[i] > 0.1 && sf[i] < 1 && sg[i] > 0 && ka[i] > 0 && isfinite(lo[i]);
        CHECK(ok, "results plausible");
        printf("  scan psi = 0, 0.5, 1 + 0.5i (256 points, 2 epochs): sigma_FS %.4f %.4f %.4f, sigma %.4f %.4f %.4f, kappa %.5f %.5f %.5f\n",
               sf[0], sf[1], sf[2], sg[0], sg[1], sg[2], ka[0], ka[1], ka[2]);
        CHECK(sf[0] != sf[1] && ka[0] != ka[1], "psi changes the variety");
        CHECK(sl_cy_scan_model(s, 1) && !sl_cy_scan_model(s, 3), "models");
        /* the model of psi_1 evaluates at its own variety's points */
        {
            sl_cy_points *q = NULL;
            CHECK(sl_cy_sample(sl_cy_model_variety(sl_cy_scan_model(s, 1)), 64, 3, &q) == SL_OK, "sample psi 0.5");
            double sq = NAN;
            CHECK(sl_cy_model_losses(sl_cy_scan_model(s, 1), q, NULL, NULL, NULL, &sq) == SL_OK && sq > 0, "eval");
            sl_cy_points_destroy(q);
        }
        char path[64];
        snprintf(path, sizeof path, "/tmp/test_cy_scan_%d.csv", (int)getpid());
        CHECK(sl_cy_scan_export_csv(s, path) == SL_OK, "csv: %s", sl_ctx_errmsg(ctx));
        char *t = slurp(path);
        CHECK(t && !strncmp(t, "psi_re,psi_im,sigma_fs,sigma,kappa,loss,epochs\n", 47), "csv header");
        int lines = 0;
        for (char *c = t; c && *c; c++) lines += *c == '\n';
        CHECK(lines == 4, "csv lines %d", lines);
        if (t) {
            double a, b, c0, d0, e0, f0;
            int ep;
            char *row = strchr(t, '\n') + 1;
            row = strchr(row, '\n') + 1;   /* psi = 0.5 */
            CHECK(sscanf(row, "%lf,%lf,%lf,%lf,%lf,%lf,%d", &a, &b, &c0, &d0, &e0, &f0, &ep) == 7 && a == 0.5 && c0 == sf[1] &&
                      d0 == sg[1] && ep == 2,
                  "csv row: %.60s", row);
        }
        remove(path);
        snprintf(path, sizeof path, "/tmp/test_cy_scan_%d.json", (int)getpid());
        CHECK(sl_cy_scan_export_json(s, path) == SL_OK, "json: %s", sl_ctx_errmsg(ctx));
        t = slurp(path);
        CHECK(t && t[0] == '[' && strstr(t, "\"psi_re\": 0.5, \"psi_im\": 0, \"sigma_fs\": ") && strstr(t, "\"epochs\": 2}\n]"),
              "json: %.200s", t ? t : "(none)");
        remove(path);
        CHECK(sl_cy_scan_export_csv(s, "/nonexistent/dir/x.csv") == SL_ERR_IO, "unwritable");
        sl_cy_scan_destroy(s);
        /* bad input */
        s = (sl_cy_scan *)1;
        CHECK(sl_cy_scan_quintic(ctx, 0, psi, &so, NULL, NULL, &s) == SL_ERR_ARG && s == NULL, "npsi 0");
        const double bad[2] = {NAN, 0};
        CHECK(sl_cy_scan_quintic(ctx, 1, bad, &so, NULL, NULL, &s) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_cy_scan_quintic: psi[0]"),
              "NaN psi: %s", sl_ctx_errmsg(ctx));
        so.val_points = 0;
        CHECK(sl_cy_scan_quintic(ctx, 1, psi, &so, NULL, NULL, &s) == SL_ERR_ARG, "0 points");
        CHECK(sl_cy_scan_count(NULL) == 0 && !sl_cy_scan_model(NULL, 0), "NULL scan");
        sl_cy_scan_destroy(NULL);
    }
    sl_cy_variety_destroy(v);
    sl_ctx_destroy(ctx);
    return check_done();
}
