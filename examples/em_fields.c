/* Electromagnetic field invariants: 6-vectors (E, B) grouped by E.B (first
 * run) or by E^2 - B^2 (second run), the two Lorentz invariants of the
 * field.  For each, a Siamese encoder (sl_discover_invariants) is trained
 * on the groups, the polynomial whose gradient is parallel to the encoder's
 * is fitted (sl_invariant_result_fit, GRADIENT) and written as a formula by
 * a sparse regression onto the monomials of degree <= 2.  Returns nonzero
 * when a coefficient relative to the leading one is off by more than 0.05.
 * Build: make examples; run: build/examples/em_fields */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

enum { G = 40, PER = 24, N = G * PER, D = 6, NM = 28 };

/* (E, B) with E.B = c_g (which = 0) or E^2 - B^2 = c_g (which = 1), c_g ~
 * U(-1, 1), E and B otherwise Gaussian (as tests/test_invariants.c). */
static void fields(int which, double *x, int64_t *group)
{
    uint64_t k = 0;
    for (int g = 0; g < G; ++g) {
        double c = -1 + 2 * sl_rng_uniform(81 + (uint64_t)which, (uint64_t)g);
        for (int i = 0; i < PER; ++i) {
            double *E = x + (g * PER + i) * 6, *B = E + 3;
            for (;;) {
                for (int j = 0; j < 3; ++j) E[j] = sl_rng_normal(83, k++), B[j] = sl_rng_normal(83, k++);
                double ee = E[0] * E[0] + E[1] * E[1] + E[2] * E[2], bb = B[0] * B[0] + B[1] * B[1] + B[2] * B[2];
                if (which == 0) {   /* B += (c - E.B) E / |E|^2 */
                    if (ee < 0.1) continue;
                    double eb = E[0] * B[0] + E[1] * B[1] + E[2] * B[2];
                    for (int j = 0; j < 3; ++j) B[j] += (c - eb) * E[j] / ee;
                    break;
                }
                double s = ee + bb;   /* keep E^2 + B^2, set E^2 - B^2 = c */
                if (s < fabs(c) + 0.1) continue;
                double fe = sqrt((s + c) / 2 / ee), fb = sqrt((s - c) / 2 / bb);
                for (int j = 0; j < 3; ++j) E[j] *= fe, B[j] *= fb;
                break;
            }
            group[g * PER + i] = g;
        }
    }
}

/* index of x_i x_j (i <= j) among the monomials of degree <= 2 */
static int mono(int i, int j)
{
    int k = 1 + D;
    for (int a = 0; a < i; ++a) k += D - a;
    return k + (j - i);
}

static int run(sl_ctx *ctx, int which, sl_features *lib, double *x, double *y, double *v, int64_t *group)
{
    fields(which, x, group);
    sl_invariant_opts o;
    sl_invariant_opts_init(&o);
    o.steps = 400;
    sl_invariant_result *r = NULL;
    if (sl_discover_invariants(ctx, N, D, x, group, &o, &r) != SL_OK) {
        fprintf(stderr, "em_fields: %s\n", sl_ctx_errmsg(ctx));
        return 0;
    }
    double coef[NM], res;
    int ok = sl_invariant_result_fit(r, 0, SL_INVARIANT_FIT_GRADIENT, 0, NULL, coef, &res) == SL_OK;
    sl_features_eval(lib, N, x, v, NULL);
    for (int n = 0; n < N; ++n) {
        y[n] = 0;
        for (int k = 0; k < NM; ++k) y[n] += coef[k] * v[n * NM + k];
    }
    sl_regression_opts ro = SL_REGRESSION_OPTS_INIT;
    ro.method = SL_REGRESSION_STLSQ;
    ro.threshold = 0.05;
    sl_regression *fit = NULL;
    ok = ok && sl_regress(ctx, &ro, lib, N, x, 0, NULL, NULL, y, &fit) == SL_OK;
    double want[NM] = {0};
    int lead;
    if (which == 0) {
        for (int i = 0; i < 3; ++i) want[mono(i, i + 3)] = 1;
        lead = mono(0, 3);
    } else {
        for (int i = 0; i < 3; ++i) want[mono(i, i)] = 1, want[mono(i + 3, i + 3)] = -1;
        lead = mono(0, 0);
    }
    if (ok) {
        const double *c = sl_regression_coefficients(fit);
        double err = 0;
        for (int k = 1; k < NM; ++k) err = fmax(err, fabs(c[k] / c[lead] - want[k]));
        printf("%s (pair accuracy %.3f):\n  %s\n  coefficient error relative to %s: %.3g\n", which ? "E^2 - B^2" : "E.B",
               sl_invariant_result_accuracy(r), sl_regression_formula(fit, SL_FORMULA_TEXT), which ? "Ex^2" : "Ex Bx", err);
        ok = err < 0.05;
    }
    sl_regression_destroy(fit);
    sl_invariant_result_destroy(r);
    return ok;
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    double *x = malloc(sizeof(double) * N * D), *y = malloc(sizeof(double) * N), *v = malloc(sizeof(double) * N * NM);
    int64_t *group = malloc(sizeof(int64_t) * N);
    sl_features *lib;
    sl_features_create(ctx, D, &lib);
    sl_features_set_names(lib, "Ex Ey Ez Bx By Bz");
    sl_features_add_monomials(lib, 0, 2);
    int ok = run(ctx, 0, lib, x, y, v, group);
    ok = run(ctx, 1, lib, x, y, v, group) && ok;
    printf("%s\n", ok ? "em_fields: E.B and E^2 - B^2 recovered" : "em_fields: FAILED");
    sl_features_destroy(lib);
    free(x), free(y), free(v), free(group);
    sl_ctx_destroy(ctx);
    return ok ? 0 : 1;
}
