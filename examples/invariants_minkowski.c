/* Minkowski events: 4-vectors (t, x, y, z) grouped by their interval s^2 =
 * t^2 - x^2 - y^2 - z^2 (each group: the points of one hyperboloid, as the
 * orbit of an event under boosts and rotations).  A Siamese encoder (sl_discover_invariants, Wetzel et al., PRR
 * 2 (2020) 033499) is trained to tell same-event pairs from others; the
 * polynomial whose gradient is parallel to the encoder's
 * (sl_invariant_result_fit, GRADIENT) is then written as a formula by a
 * sparse regression.  Prints "y ~ c (t^2 - x^2 - y^2 - z^2)" and returns
 * nonzero when the coefficients relative to t^2 are off by more than 0.05.
 * Build: make examples; run: build/examples/invariants_minkowski */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

enum { G = 48, PER = 32, N = G * PER, D = 4, NM = 15 };

/* t^2 - |x|^2 = s_g for group g: x ~ N(0, 1)^3, t = +-sqrt(s_g + |x|^2)
 * (random sign), s_g ~ U(-1, 2), resampled while s_g + |x|^2 < 0.05 (as
 * tests/test_invariants.c). */
static void events(double *x, int64_t *group)
{
    uint64_t k = 0;
    for (int g = 0; g < G; ++g) {
        double s = -1 + 3 * sl_rng_uniform(71, (uint64_t)g);
        for (int i = 0; i < PER; ++i) {
            double *v = x + (g * PER + i) * 4, r2;
            do {
                for (int j = 1; j < 4; ++j) v[j] = sl_rng_normal(72, k++);
                r2 = v[1] * v[1] + v[2] * v[2] + v[3] * v[3];
            } while (s + r2 < 0.05);
            v[0] = sqrt(s + r2) * (sl_rng_uniform(73, k++) < 0.5 ? -1 : 1);
            group[g * PER + i] = g;
        }
    }
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    double *x = malloc(sizeof(double) * N * D), *y = malloc(sizeof(double) * N), *v = malloc(sizeof(double) * N * NM);
    int64_t *group = malloc(sizeof(int64_t) * N);
    events(x, group);
    sl_invariant_opts o;
    sl_invariant_opts_init(&o);
    sl_invariant_result *r = NULL;
    if (sl_discover_invariants(ctx, N, D, x, group, &o, &r) != SL_OK) {
        fprintf(stderr, "invariants_minkowski: %s\n", sl_ctx_errmsg(ctx));
        return 1;
    }
    printf("Siamese encoder: final loss %.4f, pair accuracy %.3f\n", sl_invariant_result_final_loss(r), sl_invariant_result_accuracy(r));
    double coef[NM], res;
    int ok = sl_invariant_result_fit(r, 0, SL_INVARIANT_FIT_GRADIENT, 0, NULL, coef, &res) == SL_OK;
    /* the fitted polynomial P at the samples, written as a formula in the
     * monomials of degree <= 2 (the same order as the fit's coefficients) */
    sl_features *lib;
    sl_features_create(ctx, D, &lib);
    sl_features_set_names(lib, "t x y z");
    sl_features_add_monomials(lib, 0, 2);
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
    if (ok) {
        printf("invariant: %s\n  LaTeX: %s\n  SymPy: %s\n", sl_regression_formula(fit, SL_FORMULA_TEXT),
               sl_regression_formula(fit, SL_FORMULA_LATEX), sl_regression_formula(fit, SL_FORMULA_SYMPY));
        /* the coefficients relative to that of t^2 (index 5; x^2, y^2, z^2 at 9, 12, 14) */
        const double *c = sl_regression_coefficients(fit);
        double want[NM] = {0};
        want[5] = 1, want[9] = want[12] = want[14] = -1;
        double err = 0;
        for (int k = 1; k < NM; ++k) err = fmax(err, fabs(c[k] / c[5] - want[k]));
        printf("relative to t^2: %.4f (t^2 %+.4f x^2 %+.4f y^2 %+.4f z^2)\n", c[5], c[9] / c[5], c[12] / c[5], c[14] / c[5]);
        printf("largest coefficient error relative to t^2: %.3g (gradient-fit residual %.3g)\n", err, res);
        ok = err < 0.05 && sl_regression_active(fit) == 4;
    }
    printf("%s\n", ok ? "invariants_minkowski: s^2 = t^2 - x^2 - y^2 - z^2 recovered" : "invariants_minkowski: FAILED");
    sl_regression_destroy(fit);
    sl_features_destroy(lib);
    sl_invariant_result_destroy(r);
    free(x), free(y), free(v), free(group);
    sl_ctx_destroy(ctx);
    return ok ? 0 : 1;
}
