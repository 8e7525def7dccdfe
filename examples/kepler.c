/* Kepler orbits (B5): the energy E, the angular momentum L and the
 * Laplace-Runge-Lenz vector found by the exact conserved-quantity mode
 * (sl_discover_conserved) in monomials of degree <= 3 plus {1/r, x/r, y/r}.
 * Each known quantity is then checked to lie in the span of those found
 * (a least-squares fit with R^2 = 1).  Returns nonzero when the physics is
 * not recovered.  Build: make examples; run: build/examples/kepler */
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    sl_system *s;
    sl_features *lib;
    sl_system_create(ctx, SL_SYSTEM_KEPLER, &s);
    sl_features_create(ctx, 4, &lib);
    sl_features_set_names(lib, "x y px py");
    sl_features_add_monomials(lib, 1, 3);
    int xy[2] = {0, 1};
    sl_features_add_radial(lib, 2, xy, SL_FEATURE_INV_R | SL_FEATURE_X_OVER_R);   /* 1/r, x/r, y/r */
    double lo[4], hi[4];
    sl_system_box(s, lo, hi);
    sl_conserved_opts o;
    sl_conserved_opts_init(&o);
    o.domain = sl_system_in_domain;   /* r > 0.5 */
    o.domain_user = s;
    sl_conserved_result *r = NULL;
    if (sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r) != SL_OK) {
        fprintf(stderr, "kepler: %s\n", sl_ctx_errmsg(ctx));
        return 1;
    }
    sl_conserved_result_print(r, stdout);
    int64_t M = sl_conserved_result_count(r), K = sl_conserved_result_features(r);
    int ok = M == 4 && sl_conserved_result_independent(r) == 3;
    for (int64_t j = 0; j < M; ++j) {
        char sp[512];
        sl_formula_convert(sl_conserved_result_formula(r, j, SL_FORMULA_C), SL_FORMULA_SYMPY, sp, sizeof sp);
        printf("  I%lld (SymPy): %s\n", (long long)j + 1, sp);
    }
    /* E, L, A_x, A_y in the span of the quantities found, at 400 points */
    enum { m = 400 };
    double *x = malloc(sizeof(double) * 4 * m), *v = malloc(sizeof(double) * K * m), *cols = malloc(sizeof(double) * 4 * m),
           *known = malloc(sizeof(double) * m);
    sl_sample_box(ctx, 4, lo, hi, sl_system_in_domain, s, m, 7, x);
    sl_features_eval(lib, m, x, v, NULL);
    const double *theta = sl_conserved_result_coefficients(r);
    for (int n = 0; n < m; ++n)
        for (int64_t j = 0; j < 4; ++j) {
            double q = 0;
            for (int64_t k = 0; ok && k < K; ++k) q += theta[j * K + k] * v[n * K + k];
            cols[n * 4 + j] = q;
        }
    for (int k = 0; ok && k < sl_system_known_count(s); ++k) {
        sl_system_known_eval(s, k, m, x, known);
        sl_regression *fit = NULL;
        if (sl_regress(ctx, NULL, NULL, m, NULL, 4, cols, "I1, I2, I3, I4", known, &fit) != SL_OK) ok = 0;
        double r2 = sl_regression_r2(fit);
        printf("known %-28s = %s   (R^2 = %.15f)\n", sl_system_known_name(s, k), sl_regression_formula(fit, SL_FORMULA_TEXT), r2);
        if (!(r2 > 1 - 1e-10)) ok = 0;
        sl_regression_destroy(fit);
    }
    printf("%s\n", ok ? "kepler: E, L and the Runge-Lenz vector recovered (4 quantities, 3 independent)"
                      : "kepler: FAILED to recover E, L, A");
    free(x), free(v), free(cols), free(known);
    sl_conserved_result_destroy(r);
    sl_features_destroy(lib);
    sl_system_destroy(s);
    sl_ctx_destroy(ctx);
    return ok ? 0 : 1;
}
