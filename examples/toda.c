/* The periodic 3-particle Toda chain (B6): the momentum P, the energy H and
 * the cubic Henon-Flaschka integral I3 found by the exact conserved-quantity
 * mode (sl_discover_conserved) in the momentum monomials of degree <= 3 and
 * the exponential features exp(q_i - q_(i+1)) times {1, p1, p2, p3}, as the
 * row B6 of tests/test_conserved.c (6 quantities, 3 independent).
 * Each known quantity is then checked to lie in the span of those found
 * (a least-squares fit with R^2 = 1).  Returns nonzero when the physics is
 * not recovered.  Build: make examples; run: build/examples/toda */
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

enum { D = 6 };

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    sl_system *s;
    sl_features *lib;
    sl_system_create(ctx, SL_SYSTEM_TODA, &s);
    sl_features_create(ctx, D, &lib);
    sl_features_set_names(lib, "q1 q2 q3 p1 p2 p3");
    int ps[3] = {3, 4, 5};
    sl_features_add_monomials_of(lib, 3, ps, 1, 3);
    for (int i = 0; i < 3; ++i) {
        sl_features_add_exp_difference(lib, i, (i + 1) % 3, -1);
        for (int k = 0; k < 3; ++k) sl_features_add_exp_difference(lib, i, (i + 1) % 3, 3 + k);
    }
    double lo[D], hi[D];
    sl_system_box(s, lo, hi);
    sl_conserved_opts o;
    sl_conserved_opts_init(&o);
    sl_conserved_result *r = NULL;
    if (sl_discover_conserved(ctx, &o, sl_system_vector_field, s, D, lo, hi, 0, NULL, lib, &r) != SL_OK) {
        fprintf(stderr, "toda: %s\n", sl_ctx_errmsg(ctx));
        return 1;
    }
    sl_conserved_result_print(r, stdout);
    int64_t M = sl_conserved_result_count(r), K = sl_conserved_result_features(r);
    int ok = M == 6 && sl_conserved_result_independent(r) == 3;
    for (int64_t j = 0; j < M; ++j) {
        char sp[512];
        sl_formula_convert(sl_conserved_result_formula(r, j, SL_FORMULA_C), SL_FORMULA_SYMPY, sp, sizeof sp);
        printf("  I%lld (SymPy): %s\n", (long long)j + 1, sp);
    }
    /* P, H, I3 in the span of the quantities found, at 400 points */
    enum { m = 400 };
    double *x = malloc(sizeof(double) * D * m), *v = malloc(sizeof(double) * K * m), *cols = malloc(sizeof(double) * 6 * m),
           *known = malloc(sizeof(double) * m);
    sl_sample_box(ctx, D, lo, hi, NULL, NULL, m, 7, x);
    sl_features_eval(lib, m, x, v, NULL);
    const double *theta = sl_conserved_result_coefficients(r);
    for (int n = 0; n < m; ++n)
        for (int64_t j = 0; j < 6; ++j) {
            double q = 0;
            for (int64_t k = 0; ok && k < K; ++k) q += theta[j * K + k] * v[n * K + k];
            cols[n * 6 + j] = q;
        }
    for (int k = 0; ok && k < sl_system_known_count(s); ++k) {
        sl_system_known_eval(s, k, m, x, known);
        sl_regression *fit = NULL;
        if (sl_regress(ctx, NULL, NULL, m, NULL, 6, cols, "I1, I2, I3, I4, I5, I6", known, &fit) != SL_OK) ok = 0;
        double r2 = sl_regression_r2(fit);
        printf("known %-28s = %s   (R^2 = %.15f)\n", sl_system_known_name(s, k), sl_regression_formula(fit, SL_FORMULA_TEXT), r2);
        if (!(r2 > 1 - 1e-10)) ok = 0;
        sl_regression_destroy(fit);
    }
    printf("%s\n", ok ? "toda: P, H and I3 recovered (6 quantities, 3 independent)" : "toda: FAILED to recover P, H, I3");
    free(x), free(v), free(cols), free(known);
    sl_conserved_result_destroy(r);
    sl_features_destroy(lib);
    sl_system_destroy(s);
    sl_ctx_destroy(ctx);
    return ok ? 0 : 1;
}
