/* Training the phi-model with the cosine schedule and the weighted
 * Monge-Ampere loss (a small, fast variant of the full run in
 * docs/calabi-yau.md: sigma well below sigma_FS in a few seconds), the
 * schedules' options, the diagnostics (eigenvalues of g, the Ricci scalar
 * against central differences on the variety, transition residual per
 * patch pair), and the scan over psi of the Dwork quintic (one result
 * per psi, CSV and JSON read back, bad input). */
#include <complex.h>
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

/* log det g of the model at the Fermat-quintic point z + u (u in the chart
 * coordinates good[], z_e re-solved by Newton), patch and elim fixed */
static double logdet_at(sl_cy_model *m, const sl_cy_variety *v, const double complex *z0, int patch, int elim,
                        const int *good, const double complex *u)
{
    double complex z[5];
    memcpy(z, z0, sizeof z);
    for (int a = 0; a < 3; a++) z[good[a]] += u[a];
    double complex s = 0;
    for (int j = 0; j < 5; j++)
        if (j != elim) s += cpow(z[j], 5);
    double complex ze = z[elim];
    for (int it = 0; it < 40; it++) ze -= (cpow(ze, 5) + s) / (5 * cpow(ze, 4));
    z[elim] = ze;
    sl_cy_points *p = NULL;
    if (sl_cy_points_from_coords(v, 1, (const double *)z, &patch, &elim, &p) != SL_OK) return NAN;
    double det = NAN;
    sl_cy_model_metric(m, p, NULL, &det);
    sl_cy_points_destroy(p);
    return log(det);
}

/* max relative error of R (graph) against tr(g^-1 d dbar log det g) by central differences (Richardson) */
static double ricci_fd_err(sl_cy_model *m, const sl_cy_variety *v, const sl_cy_points *p, const double *R)
{
    const int64_t n = sl_cy_points_count(p);
    double complex z[4 * 5];
    int pa[4], el[4];
    double g[4 * 9 * 2], err = 0;
    sl_cy_points_coords(p, (double *)z);
    sl_cy_points_charts(p, pa, el);
    sl_cy_model_metric(m, p, g, NULL);
    const double complex dirs[4][2] = {{1, 1}, {I, I}, {1, I}, {I, 1}};
    for (int64_t i = 0; i < n && i < 4; i++) {
        int good[3], q = 0;
        for (int j = 0; j < 5; j++)
            if (j != pa[i] && j != el[i]) good[q++] = j;
        double complex Ric[9], G[9], inv[9];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) {
                double d2[4];
                for (int k = 0; k < 4; k++) {
                    double r[2];
                    for (int hh = 0; hh < 2; hh++) {   /* h = 2e-3, 1e-3, then Richardson: O(h^4) */
                        const double h = hh ? 1e-3 : 2e-3;
                        double s = 0;
                        for (int sa = -1; sa <= 1; sa += 2)
                            for (int sb = -1; sb <= 1; sb += 2) {
                                double complex u[3] = {0, 0, 0};
                                u[a] += sa * h * dirs[k][0];
                                u[b] += sb * h * dirs[k][1];
                                s += sa * sb * logdet_at(m, v, z + i * 5, pa[i], el[i], good, u);
                            }
                        r[hh] = s / (4 * h * h);
                    }
                    d2[k] = (4 * r[1] - r[0]) / 3;
                }
                Ric[a * 3 + b] = 0.25 * ((d2[0] + d2[1]) + I * (d2[2] - d2[3]));
            }
        for (int k = 0; k < 9; k++) G[k] = g[(i * 9 + k) * 2] + I * g[(i * 9 + k) * 2 + 1];
        double complex det = G[0] * (G[4] * G[8] - G[5] * G[7]) - G[1] * (G[3] * G[8] - G[5] * G[6]) +
                             G[2] * (G[3] * G[7] - G[4] * G[6]);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) {
                int r0 = (c + 1) % 3, r1 = (c + 2) % 3, c0 = (r + 1) % 3, c1 = (r + 2) % 3;
                inv[r * 3 + c] = (G[r0 * 3 + c0] * G[r1 * 3 + c1] - G[r0 * 3 + c1] * G[r1 * 3 + c0]) / det;
            }
        double complex Rs = 0;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) Rs += inv[c * 3 + r] * Ric[r * 3 + c];
        err = fmax(err, fabs(creal(Rs) - R[i]) / fmax(1.0, fabs(R[i])));
    }
    return err;
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
        /* diagnostics: the trained model against FS (phi = 0) */
        {
            const int64_t nd = quick() ? 64 : 512;
            sl_cy_points *dp = NULL;
            CHECK(sl_cy_points_subset(va, 0, nd, &dp) == SL_OK, "subset");
            sl_cy_model *fs = NULL;
            sl_cy_model_create(v, &mo, &fs);
            double *zw = calloc((size_t)sl_cy_model_nweights(fs), sizeof(double));
            sl_cy_model_set_weights(fs, zw);
            free(zw);
            sl_cy_diagnostics a, b;
            sl_cy_diagnostics_init(&a);
            sl_cy_diagnostics_init(&b);
            double *ra = malloc(sizeof(double) * (size_t)nd), *ea = malloc(sizeof(double) * (size_t)nd), ta[25], tb[25];
            CHECK(sl_cy_model_diagnostics(fs, dp, &a, ra, ea, ta) == SL_OK, "diagnostics FS: %s", sl_ctx_errmsg(ctx));
            CHECK(sl_cy_model_diagnostics(m, dp, &b, NULL, NULL, tb) == SL_OK, "diagnostics: %s", sl_ctx_errmsg(ctx));
            double *dfs = malloc(sizeof(double) * (size_t)nd), sfs2;
            sl_cy_fs_metric(dp, 1.0, NULL, dfs);
            sl_cy_points_sigma(dp, dfs, &sfs2);
            CHECK(fabs(a.sigma - sfs2) < 1e-12, "phi = 0 is FS: sigma %.6f vs %.6f", a.sigma, sfs2);
            CHECK(a.nonpositive == 0 && a.min_eigenvalue > 0 && a.ricci_nan == 0, "FS positive definite");
            double emin = INFINITY, t0 = 0, toff = 0;
            for (int64_t i = 0; i < nd; i++) emin = fmin(emin, ea[i]);
            for (int k = 0; k < 25; k++) t0 = fmax(t0, isnan(ta[k]) ? 0 : fabs(ta[k]));
            for (int k = 0; k < 25; k++) toff += (k % 6 && isfinite(tb[k])) ? tb[k] : 0;
            CHECK(emin == a.min_eigenvalue, "per-point eigenvalues");
            CHECK(t0 == 0 && toff > 0, "transition residual: FS %g, trained %g", t0, toff);
            /* int R dvol = 0 for a Kahler metric of a CY (c_1 = 0): FS's volume mean is noise */
            CHECK(fabs(a.ricci_mean) < 4 * a.ricci_abs_mean / sqrt((double)nd), "FS <R>_vol %.3f (<|R|> %.3f)", a.ricci_mean,
                  a.ricci_abs_mean);
            /* the trained model's R (fourth derivatives of phi, graph) against central differences of
             * log det g (jet kernel) along the variety */
            {
                double Rb[4];
                sl_cy_points *d4 = NULL;
                sl_cy_points_subset(dp, 0, 4, &d4);
                sl_cy_diagnostics c;
                sl_cy_diagnostics_init(&c);
                CHECK(sl_cy_model_diagnostics(m, d4, &c, Rb, NULL, NULL) == SL_OK, "diagnostics 4");
                double err = ricci_fd_err(m, v, d4, Rb);
                CHECK(err < 1e-6, "Ricci scalar graph vs central differences on the variety: rel err %.2e", err);
                printf("  Ricci scalar of the trained phi-model (graph, 4th derivatives) vs central differences of log det g "
                       "on the variety: rel err %.2e (h = 2e-3, 1e-3, Richardson)\n", err);
                sl_cy_points_destroy(d4);
            }
            printf("  diagnostics on %lld points, FS -> trained: sigma %.4f -> %.4f, min eigenvalue %.3g -> %.3g (%lld -> "
                   "%lld not positive definite), <R> %.3f -> %.3f, <|R|> %.3f -> %.3f, max |R| %.1f -> %.1f, ||R|| %.3f -> "
                   "%.3f; transition |dphi| patch 0 -> 1..4: %.2e %.2e %.2e %.2e\n",
                   (long long)nd, a.sigma, b.sigma, a.min_eigenvalue, b.min_eigenvalue, (long long)a.nonpositive,
                   (long long)b.nonpositive, a.ricci_mean, b.ricci_mean, a.ricci_abs_mean, b.ricci_abs_mean, a.ricci_max_abs,
                   b.ricci_max_abs, a.ricci_measure, b.ricci_measure, tb[1], tb[2], tb[3], tb[4]);
            sl_cy_diagnostics bad;
            memset(&bad, 0, sizeof bad);
            CHECK(sl_cy_model_diagnostics(m, dp, &bad, NULL, NULL, NULL) == SL_ERR_ARG &&
                      strstr(sl_ctx_errmsg(ctx), "sl_cy_model_diagnostics: out->size"),
                  "size 0: %s", sl_ctx_errmsg(ctx));
            free(ra), free(ea), free(dfs);
            sl_cy_model_destroy(fs);
            sl_cy_points_destroy(dp);
        }
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
