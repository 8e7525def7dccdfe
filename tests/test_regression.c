/* Feature libraries, least-squares and STLSQ regression, formula strings
 * (include/symlearn/regression.h). */
#include "check.h"
#include "symlearn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int user_sin(void *user, const double *x, int64_t d, double *v, double *g)
{
    (void)user;
    *v = sin(x[0]) * x[1];
    if (g) {
        memset(g, 0, sizeof(double) * (size_t)d);
        g[0] = cos(x[0]) * x[1];
        g[1] = sin(x[0]);
    }
    return 0;
}

static int user_fail(void *user, const double *x, int64_t d, double *v, double *g)
{
    (void)user; (void)x; (void)d; (void)g;
    *v = 0;
    return 3;
}

/* gradients of every kind of feature against central differences */
static void gradients(sl_ctx *ctx)
{
    sl_features *lib;
    CHECK(sl_features_create(ctx, 4, &lib) == SL_OK, "create");
    CHECK(sl_features_set_names(lib, "x y, px py") == SL_OK, "names: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_features_add_monomials(lib, 0, 3) == SL_OK, "monomials");
    CHECK(sl_features_count(lib) == 35, "C(4+3, 3) = 35 monomials: %lld", (long long)sl_features_count(lib));
    CHECK(strcmp(sl_features_name(lib, 0), "1") == 0 && strcmp(sl_features_name(lib, 1), "x") == 0 &&
              strcmp(sl_features_name(lib, 5), "x^2") == 0 && strcmp(sl_features_name(lib, 6), "x y") == 0,
          "names %s %s %s", sl_features_name(lib, 1), sl_features_name(lib, 5), sl_features_name(lib, 6));
    int xy[2] = {0, 1}, ps[2] = {2, 3};
    CHECK(sl_features_add_radial(lib, 2, xy, SL_FEATURE_INV_R | SL_FEATURE_X_OVER_R | SL_FEATURE_R) == SL_OK, "radial");
    CHECK(sl_features_add_exp_difference(lib, 0, 1, 3) == SL_OK && sl_features_add_exp_difference(lib, 1, 2, -1) == SL_OK, "exp");
    CHECK(sl_features_add_monomials_of(lib, 2, ps, 2, 2) == SL_OK, "monomials of p");
    CHECK(sl_features_add_function(lib, "sin(x) y", user_sin, NULL) == SL_OK, "user");
    int64_t K = sl_features_count(lib);
    CHECK(K == 35 + 4 + 2 + 3 + 1, "K = %lld", (long long)K);
    CHECK(strcmp(sl_features_name(lib, 35), "1/r") == 0 && strcmp(sl_features_name(lib, 36), "x/r") == 0 &&
              strcmp(sl_features_name(lib, 39), "exp(x - y) py") == 0 && strcmp(sl_features_name(lib, 41), "px^2") == 0,
          "names %s %s %s %s", sl_features_name(lib, 35), sl_features_name(lib, 36), sl_features_name(lib, 39),
          sl_features_name(lib, 41));
    double x[4] = {0.7, -0.4, 1.3, 0.2}, *v = malloc(sizeof(double) * (size_t)K), *g = malloc(sizeof(double) * (size_t)(K * 4));
    double *vp = malloc(sizeof(double) * (size_t)K), *vm = malloc(sizeof(double) * (size_t)K);
    CHECK(sl_features_eval(lib, 1, x, v, g) == SL_OK, "eval");
    double worst = 0;
    for (int i = 0; i < 4; ++i) {
        double xp[4], xm[4];
        memcpy(xp, x, sizeof x);
        memcpy(xm, x, sizeof x);
        xp[i] += 1e-6;
        xm[i] -= 1e-6;
        sl_features_eval(lib, 1, xp, vp, NULL);
        sl_features_eval(lib, 1, xm, vm, NULL);
        for (int64_t k = 0; k < K; ++k) worst = fmax(worst, fabs((vp[k] - vm[k]) / 2e-6 - g[k * 4 + i]));
    }
    printf("feature gradients vs central differences: max error %.2e over %lld features\n", worst, (long long)K);
    CHECK(worst < 1e-8, "gradients %.3e", worst);
    CHECK(fabs(v[35] - 1 / hypot(0.7, 0.4)) < 1e-15 && fabs(v[40] - exp(-0.4 - 1.3)) < 1e-15, "values");
    /* bad input */
    CHECK(sl_features_set_names(lib, "a b c") == SL_ERR_ARG, "3 names for d = 4");
    CHECK(strcmp(sl_features_name(lib, 1), "x") == 0, "names unchanged");
    CHECK(sl_features_add_monomials(lib, 3, 2) == SL_ERR_ARG, "min > max");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_features_add_monomials:") == sl_ctx_errmsg(ctx), "message: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_features_add_monomials(lib, 0, 17) == SL_ERR_ARG, "degree 17");
    CHECK(sl_features_add_exp_difference(lib, 1, 1, -1) == SL_ERR_ARG, "i = j");
    int dup[2] = {1, 1};
    CHECK(sl_features_add_radial(lib, 2, dup, 1) == SL_ERR_ARG, "duplicate vars");
    CHECK(sl_features_count(lib) == K, "library unchanged");
    x[2] = NAN;
    CHECK(sl_features_eval(lib, 1, x, v, g) == SL_ERR_NONFINITE, "NaN x");
    sl_features *big;
    sl_features_create(ctx, 100, &big);
    CHECK(sl_features_add_monomials(big, 0, 4) == SL_ERR_ARG, "too many monomials");
    sl_features_destroy(big);
    sl_features *f2;
    sl_features_create(ctx, 2, &f2);
    sl_features_add_function(f2, "bad", user_fail, NULL);
    double x2[2] = {0, 0};
    CHECK(sl_features_eval(f2, 1, x2, v, NULL) == SL_ERR_NUMERIC, "failing user feature");
    sl_features_destroy(f2);
    free(v); free(g); free(vp); free(vm);
    sl_features_destroy(lib);
}

/* Wetzel et al.'s interpretation step: a latent = 0.5 s^2 + 0.1 regressed on
 * degree <= 2 monomials gives coefficients proportional to diag(1, -1, -1, -1). */
static void lorentz_latent(sl_ctx *ctx)
{
    sl_system *g1;
    sl_system_create(ctx, SL_SYSTEM_LORENTZ_EVENTS, &g1);
    int64_t m = 400;
    double *x = malloc(sizeof(double) * 4 * (size_t)m), *y = malloc(sizeof(double) * (size_t)m);
    sl_system_sample_groups(g1, 40, 10, 0, x, NULL);
    sl_system_known_eval(g1, 0, m, x, y);
    for (int64_t i = 0; i < m; ++i) y[i] = 0.5 * y[i] + 0.1;
    sl_features *lib;
    sl_features_create(ctx, 4, &lib);
    sl_features_set_names(lib, "t x y z");
    sl_features_add_monomials(lib, 0, 2);
    sl_regression *r;
    CHECK(sl_regress(ctx, NULL, lib, m, x, 0, NULL, NULL, y, &r) == SL_OK, "regress: %s", sl_ctx_errmsg(ctx));
    printf("LSQ:   %s  (R^2 = %.15f)\n", sl_regression_formula(r, SL_FORMULA_TEXT), sl_regression_r2(r));
    printf("C:     %s\nLaTeX: %s\n", sl_regression_formula(r, SL_FORMULA_C), sl_regression_formula(r, SL_FORMULA_LATEX));
    CHECK(fabs(sl_regression_r2(r) - 1) < 1e-12, "R^2 = 1");
    CHECK(fabs(sl_regression_scale(r) - 0.5) < 1e-12 && fabs(sl_regression_intercept(r) - 0.1) < 1e-12, "scale and intercept");
    const double *nc = sl_regression_normalised(r);
    /* order: 1, t, x, y, z, t^2 (5), t x, t y, t z, x^2 (9), x y, x z, y^2 (12), y z, z^2 (14) */
    CHECK(fabs(nc[5] - 1) < 1e-12 && fabs(nc[9] + 1) < 1e-12 && fabs(nc[12] + 1) < 1e-12 && fabs(nc[14] + 1) < 1e-12,
          "diag(1, -1, -1, -1)");
    CHECK(fabs(nc[6]) < 1e-12 && fabs(nc[1]) < 1e-12, "off-diagonal zero");
    sl_regression_destroy(r);
    /* STLSQ on noisy data gives the same formula exactly */
    for (int64_t i = 0; i < m; ++i) y[i] += 1e-4 * (sl_rng_uniform(7, (uint64_t)i) - 0.5);
    sl_regression_opts o;
    sl_regression_opts_init(&o);
    o.method = SL_REGRESSION_STLSQ;
    CHECK(sl_regress(ctx, &o, lib, m, x, 0, NULL, NULL, y, &r) == SL_OK, "stlsq");
    printf("STLSQ: %s  (R^2 = %.9f, %lld terms)\n", sl_regression_formula(r, SL_FORMULA_TEXT), sl_regression_r2(r),
           (long long)sl_regression_active(r));
    CHECK(sl_regression_active(r) == 4, "4 terms kept: %lld", (long long)sl_regression_active(r));
    CHECK(sl_regression_r2(r) > 0.999999, "R^2 %.9f", sl_regression_r2(r));
    sl_regression_destroy(r);
    /* rounded coefficients give the string of the brief */
    for (int64_t i = 0; i < m; ++i) y[i] = 0.5 * (x[4 * i] * x[4 * i] - x[4 * i + 1] * x[4 * i + 1] - x[4 * i + 2] * x[4 * i + 2] -
                                             x[4 * i + 3] * x[4 * i + 3]) + 0.25;
    sl_regress(ctx, &o, lib, m, x, 0, NULL, NULL, y, &r);
    CHECK(strcmp(sl_regression_formula(r, SL_FORMULA_TEXT), "y ~ 0.5 (t^2 - x^2 - y^2 - z^2) + 0.25") == 0, "text: %s",
          sl_regression_formula(r, SL_FORMULA_TEXT));
    CHECK(strcmp(sl_regression_formula(r, SL_FORMULA_C), "0.5*(t*t - x*x - y*y - z*z) + 0.25") == 0, "C: %s",
          sl_regression_formula(r, SL_FORMULA_C));
    CHECK(strcmp(sl_regression_formula(r, SL_FORMULA_LATEX), "y \\sim 0.5 \\left(t^{2} - x^{2} - y^{2} - z^{2}\\right) + 0.25") == 0,
          "LaTeX: %s", sl_regression_formula(r, SL_FORMULA_LATEX));
    sl_regression_destroy(r);
    free(x);
    free(y);
    sl_features_destroy(lib);
    sl_system_destroy(g1);
}

/* Kepler energy with precomputed columns 1/r (user features as columns). */
static void kepler_columns(sl_ctx *ctx)
{
    sl_system *k;
    sl_system_create(ctx, SL_SYSTEM_KEPLER, &k);
    double lo[4], hi[4];
    sl_system_box(k, lo, hi);
    int64_t m = 300;
    double *x = malloc(sizeof(double) * 4 * (size_t)m), *y = malloc(sizeof(double) * (size_t)m), *c = malloc(sizeof(double) * 2 * (size_t)m);
    sl_sample_box(ctx, 4, lo, hi, sl_system_in_domain, k, m, 0, x);
    sl_system_hamiltonian(k, m, x, y);
    for (int64_t i = 0; i < m; ++i) {
        c[2 * i] = 1 / hypot(x[4 * i], x[4 * i + 1]);
        c[2 * i + 1] = x[4 * i] * c[2 * i];
    }
    sl_features *lib;
    sl_features_create(ctx, 4, &lib);
    sl_features_set_names(lib, "x y px py");
    sl_features_add_monomials(lib, 0, 2);
    sl_regression_opts o = SL_REGRESSION_OPTS_INIT;
    o.method = SL_REGRESSION_STLSQ;
    sl_regression *r;
    CHECK(sl_regress(ctx, &o, lib, m, x, 2, c, "1/r, x/r", y, &r) == SL_OK, "kepler: %s", sl_ctx_errmsg(ctx));
    printf("Kepler H: %s  (R^2 = %.15f)\n", sl_regression_formula(r, SL_FORMULA_TEXT), sl_regression_r2(r));
    CHECK(strcmp(sl_regression_formula(r, SL_FORMULA_TEXT), "y ~ 0.5 px^2 + 0.5 py^2 - 1/r") == 0, "formula %s",
          sl_regression_formula(r, SL_FORMULA_TEXT));
    CHECK(strcmp(sl_regression_term_name(r, 16), "x/r") == 0, "column names");
    sl_regression_destroy(r);

    /* dependent columns: a column equal to a feature, a constant beside the intercept */
    double *dupc = malloc(sizeof(double) * (size_t)m);
    for (int64_t i = 0; i < m; ++i) dupc[i] = x[4 * i + 2] * x[4 * i + 2];
    r = (sl_regression *)&r;
    CHECK(sl_regress(ctx, NULL, lib, m, x, 1, dupc, "p_x squared", y, &r) == SL_ERR_ARG && r == NULL, "duplicate column");
    printf("duplicate: %s\n", sl_ctx_errmsg(ctx));
    CHECK(strstr(sl_ctx_errmsg(ctx), "'px^2'") && strstr(sl_ctx_errmsg(ctx), "'p_x squared'") &&
              strstr(sl_ctx_errmsg(ctx), "sl_regress:"), "message names both columns: %s", sl_ctx_errmsg(ctx));
    for (int64_t i = 0; i < m; ++i) dupc[i] = 2.0;
    sl_features *lin;
    sl_features_create(ctx, 4, &lin);
    sl_features_add_monomials(lin, 1, 1);
    CHECK(sl_regress(ctx, NULL, lin, m, x, 1, dupc, "two", y, &r) == SL_ERR_ARG, "constant beside the intercept");
    CHECK(strstr(sl_ctx_errmsg(ctx), "'two'") && strstr(sl_ctx_errmsg(ctx), "'1'"), "names: %s", sl_ctx_errmsg(ctx));
    o.intercept = 0;
    o.method = SL_REGRESSION_LSQ;
    CHECK(sl_regress(ctx, &o, lin, m, x, 1, dupc, "two", y, &r) == SL_OK, "without intercept it is a column");
    sl_regression_destroy(r);
    /* bad input */
    y[3] = NAN;
    CHECK(sl_regress(ctx, NULL, lib, m, x, 0, NULL, NULL, y, &r) == SL_ERR_NONFINITE, "NaN y");
    y[3] = 0;
    CHECK(sl_regress(ctx, NULL, lib, 10, x, 0, NULL, NULL, y, &r) == SL_ERR_ARG, "fewer points than terms");
    CHECK(sl_regress(ctx, NULL, lib, 0, x, 0, NULL, NULL, y, &r) == SL_ERR_ARG, "zero samples");
    CHECK(sl_regress(ctx, NULL, NULL, m, x, 0, NULL, NULL, y, &r) == SL_ERR_ARG, "no terms");
    CHECK(sl_regress(ctx, NULL, lib, m, x, 2, c, "a", y, &r) == SL_ERR_ARG, "too few names");
    sl_regression_opts bad = SL_REGRESSION_OPTS_INIT;
    bad.threshold = 2;
    CHECK(sl_regress(ctx, &bad, lib, m, x, 0, NULL, NULL, y, &r) == SL_ERR_ARG, "threshold 2");
    bad = (sl_regression_opts)SL_REGRESSION_OPTS_INIT;
    bad.size = 4;
    CHECK(sl_regress(ctx, &bad, lib, m, x, 0, NULL, NULL, y, &r) == SL_ERR_ARG, "size 4");
    CHECK(sl_regression_formula(NULL, 0) == NULL && isnan(sl_regression_r2(NULL)), "NULL result");
    free(dupc);
    sl_features_destroy(lin);
    sl_features_destroy(lib);
    free(x); free(y); free(c);
    sl_system_destroy(k);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    gradients(ctx);
    lorentz_latent(ctx);
    kepler_columns(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
