/* Vector fields from data (SINDy, regression.h): Lorenz with exact
 * derivatives, a damped oscillator with finite differences, rollouts of
 * the discovered right-hand side with sl_ode_rk4, bad input. */
#include "check.h"
#include "symlearn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int lorenz(void *user, double t, const double *x, double *f, int64_t d)
{
    (void)user; (void)t; (void)d;
    f[0] = 10 * (x[1] - x[0]);
    f[1] = x[0] * (28 - x[2]) - x[1];
    f[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];
    return 0;
}

static int damped(void *user, double t, const double *x, double *f, int64_t d)
{
    (void)user; (void)t; (void)d;
    f[0] = x[1];
    f[1] = -x[0] - 0.1 * x[1];
    return 0;
}

static double maxdiff(const double *a, const double *b, int64_t n)
{
    double w = 0;
    for (int64_t i = 0; i < n; ++i) w = fmax(w, fabs(a[i] - b[i]));
    return w;
}

static void lorenz_exact(sl_ctx *ctx)
{
    /* three trajectories of different lengths, each in its own array */
    enum { NT = 3 };
    int64_t len[NT] = {400, 250, 137};
    double x0[NT][3] = {{1, 1, 1}, {-5, 3, 20}, {8, -2, 30}};
    double *x[NT], *dx[NT];
    for (int t = 0; t < NT; ++t) {
        x[t] = malloc(sizeof(double) * 3 * (size_t)len[t]);
        dx[t] = malloc(sizeof(double) * 3 * (size_t)len[t]);
        CHECK(sl_ode_rk4(ctx, lorenz, NULL, 3, x0[t], 0, 1e-3, len[t], 5, x[t]) == SL_OK, "rk4");
        for (int64_t j = 0; j < len[t]; ++j) lorenz(NULL, 0, x[t] + 3 * j, dx[t] + 3 * j, 3);
    }
    sl_features *lib;
    CHECK(sl_features_create(ctx, 3, &lib) == SL_OK && sl_features_set_names(lib, "x y z") == SL_OK, "lib");
    CHECK(sl_features_add_monomials(lib, 0, 2) == SL_OK, "monomials");
    sl_sindy_model *m = NULL;
    sl_status st = sl_sindy_fit(ctx, NULL, lib, NT, (const double *const *)x, len, (const double *const *)dx, 0, &m);
    CHECK(st == SL_OK, "fit: %s", sl_ctx_errmsg(ctx));
    if (st) return;
    CHECK(sl_sindy_model_dim(m) == 3 && sl_sindy_model_features(m) == 10, "dims");
    /* the true Xi in the order 1, x, y, z, x^2, x y, x z, y^2, y z, z^2 */
    double xi_true[30] = {0, -10, 10, 0, 0, 0, 0, 0, 0, 0,
                          0, 28, -1, 0, 0, 0, -1, 0, 0, 0,
                          0, 0, 0, -8.0 / 3.0, 0, 1, 0, 0, 0, 0};
    const double *xi = sl_sindy_model_coefficients(m);
    double err = maxdiff(xi, xi_true, 30);
    CHECK(err <= 1e-6, "Lorenz coefficients recovered to %.3g (want 1e-6)", err);
    int zeros = 0;
    for (int k = 0; k < 30; ++k) zeros += xi_true[k] == 0 && xi[k] == 0;
    CHECK(zeros == 23, "the 23 absent terms are exactly 0 (STLSQ): %d", zeros);
    printf("Lorenz: coefficient error %.3g\n", err);
    for (int i = 0; i < 3; ++i) printf("  %s   (R^2 = %.15f)\n", sl_sindy_model_formula(m, i, SL_FORMULA_TEXT), sl_sindy_model_r2(m, i));
    CHECK(strcmp(sl_sindy_model_formula(m, 0, SL_FORMULA_TEXT), "dx/dt = -10 x + 10 y") == 0, "dx/dt formula '%s'",
          sl_sindy_model_formula(m, 0, SL_FORMULA_TEXT));
    CHECK(strstr(sl_sindy_model_formula(m, 2, SL_FORMULA_FORTRAN), "d0") != NULL, "Fortran form '%s'",
          sl_sindy_model_formula(m, 2, SL_FORMULA_FORTRAN));
    CHECK(strncmp(sl_sindy_model_formula(m, 1, SL_FORMULA_LATEX), "\\frac{dy}{dt} = ", 16) == 0, "LaTeX '%s'",
          sl_sindy_model_formula(m, 1, SL_FORMULA_LATEX));
    /* rollout from a new state over t in [0, 2]: the model with the library's integrator */
    double z0[3] = {2, -3, 15}, a[3 * 201], b[3 * 201];
    CHECK(sl_ode_rk4(ctx, sl_sindy_vector_field, m, 3, z0, 0, 1e-3, 201, 10, a) == SL_OK, "rollout model: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_ode_rk4(ctx, lorenz, NULL, 3, z0, 0, 1e-3, 201, 10, b) == SL_OK, "rollout true");
    double roll = maxdiff(a, b, 3 * 201);
    CHECK(roll <= 1e-6, "Lorenz rollout over t = 2 differs by %.3g (want 1e-6)", roll);
    printf("Lorenz rollout t in [0, 2]: max |x_model - x_true| = %.3g\n", roll);
    /* the candidates of equation y: the 3-term fit on the Pareto front */
    sl_regression *ry = sl_sindy_model_regression(m, 1);
    int64_t nc = sl_regression_candidates(ry), sel = sl_regression_selected(ry);
    CHECK(nc >= 2 && sl_regression_candidate_active(ry, sel) == 3 && sl_regression_candidate_is_pareto(ry, sel),
          "y equation: %lld candidates, selected has %lld terms", (long long)nc, (long long)sl_regression_candidate_active(ry, sel));
    /* selecting the full least squares and refreshing changes the model */
    int64_t full = -1;
    for (int64_t i = 0; i < nc; ++i)
        if (sl_regression_candidate_threshold(ry, i) == 0) full = i;
    CHECK(full >= 0 && sl_regression_select(ry, full) == SL_OK && sl_sindy_model_refresh(m) == SL_OK, "select full");
    double zeros_y = 0;
    for (int k = 10; k < 20; ++k) zeros_y += sl_sindy_model_coefficients(m)[k] == 0;
    CHECK(zeros_y < 7, "full least squares: %g exact zeros in the y equation", zeros_y);
    /* the vector field refuses a wrong dimension */
    double f[3];
    CHECK(sl_sindy_vector_field(m, 0, z0, f, 2) != 0 && sl_sindy_vector_field(NULL, 0, z0, f, 3) != 0, "bad d / NULL");
    sl_sindy_model_destroy(m);

    /* bad input: every message names sl_sindy_fit */
    double nanrow[9] = {1, 2, 3, NAN, 1, 1, 1, 1, 1};
    const double *xb[1] = {nanrow};
    int64_t l3[1] = {3}, l2[1] = {2};
    m = (sl_sindy_model *)1;
    st = sl_sindy_fit(ctx, NULL, lib, 1, xb, l3, NULL, 0.1, &m);
    CHECK(st == SL_ERR_NONFINITE && m == NULL && strstr(sl_ctx_errmsg(ctx), "sl_sindy_fit: x[0] row 1") != NULL, "NaN: %d %s", st, sl_ctx_errmsg(ctx));
    const double *xs[1] = {x[0]};
    st = sl_sindy_fit(ctx, NULL, lib, 1, xs, l2, NULL, 0.1, &m);
    CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_sindy_fit: len[0] = 2") && strstr(sl_ctx_errmsg(ctx), "finite differences"),
          "length 2: %s", sl_ctx_errmsg(ctx));
    st = sl_sindy_fit(ctx, NULL, lib, 1, xs, l3, NULL, 0, &m);
    CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_sindy_fit: dt"), "dt 0: %s", sl_ctx_errmsg(ctx));
    st = sl_sindy_fit(ctx, NULL, lib, 1, xs, l3, NULL, 0.1, &m);
    CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_sindy_fit: 3 sample points for 10 features"), "few points: %s", sl_ctx_errmsg(ctx));
    const double *xn[2] = {x[0], NULL};
    int64_t l22[2] = {100, 100};
    st = sl_sindy_fit(ctx, NULL, lib, 2, xn, l22, NULL, 0.1, &m);
    CHECK(st == SL_ERR_NULL && strstr(sl_ctx_errmsg(ctx), "sl_sindy_fit: x[1] is NULL"), "NULL x[1]: %s", sl_ctx_errmsg(ctx));
    st = sl_sindy_fit(ctx, NULL, lib, 0, xn, l22, NULL, 0.1, &m);
    CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_sindy_fit: ntraj = 0"), "ntraj 0: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_sindy_fit(ctx, NULL, NULL, 1, xs, l3, NULL, 0.1, &m) == SL_ERR_NULL, "NULL lib");
    sl_regression_opts bad = SL_REGRESSION_OPTS_INIT;
    bad.path = -1;
    st = sl_sindy_fit(ctx, &bad, lib, NT, (const double *const *)x, len, NULL, 5e-3, &m);
    CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_sindy_fit: opts->path"), "bad opts: %s", sl_ctx_errmsg(ctx));
    CHECK(m == NULL, "nothing written");
    /* sl_features_eval_trajectories: the rows of all trajectories in order */
    double *vals = malloc(sizeof(double) * 10 * (400 + 250 + 137)), one[10];
    CHECK(sl_features_eval_trajectories(lib, NT, (const double *const *)x, len, vals, NULL) == SL_OK, "eval trajectories");
    CHECK(sl_features_eval(lib, 1, x[2] + 3 * 136, one, NULL) == SL_OK && maxdiff(one, vals + 10 * (400 + 250 + 136), 10) == 0,
          "last row of the last trajectory");
    st = sl_features_eval_trajectories(lib, 2, xn, l22, vals, NULL);
    CHECK(st == SL_ERR_NULL && strstr(sl_ctx_errmsg(ctx), "sl_features_eval_trajectories: x[1] is NULL"), "%s", sl_ctx_errmsg(ctx));
    free(vals);
    sl_features_destroy(lib);
    for (int t = 0; t < NT; ++t) {
        free(x[t]);
        free(dx[t]);
    }
}

static void damped_fd(sl_ctx *ctx)
{
    /* derivatives by finite differences along two trajectories, dt = 0.01 */
    enum { N1 = 1500, N2 = 900 };
    double *a = malloc(sizeof(double) * 2 * N1), *b = malloc(sizeof(double) * 2 * N2);
    double a0[2] = {1, 0}, b0[2] = {-0.5, 2};
    CHECK(sl_ode_rk4(ctx, damped, NULL, 2, a0, 0, 1e-3, N1, 10, a) == SL_OK && sl_ode_rk4(ctx, damped, NULL, 2, b0, 0, 1e-3, N2, 10, b) == SL_OK, "rk4");
    const double *x[2] = {a, b};
    int64_t len[2] = {N1, N2};
    sl_features *lib;
    CHECK(sl_features_create(ctx, 2, &lib) == SL_OK && sl_features_set_names(lib, "x v") == SL_OK, "lib");
    CHECK(sl_features_add_monomials(lib, 1, 3) == SL_OK, "monomials 1..3");
    sl_sindy_model *m = NULL;
    CHECK(sl_sindy_fit(ctx, NULL, lib, 2, x, len, NULL, 0.01, &m) == SL_OK, "fit: %s", sl_ctx_errmsg(ctx));
    if (!m) return;
    const double *xi = sl_sindy_model_coefficients(m);
    int64_t K = sl_sindy_model_features(m);
    double xt[2 * 9] = {0};
    xt[1] = 1;          /* dx/dt = v */
    xt[K + 0] = -1;     /* dv/dt = -x - 0.1 v */
    xt[K + 1] = -0.1;
    double err = maxdiff(xi, xt, 2 * K);
    CHECK(err <= 1e-4, "damped oscillator from differences: coefficient error %.3g (want 1e-4)", err);
    printf("damped oscillator (finite differences, dt = 0.01): coefficient error %.3g\n  %s\n  %s\n", err,
           sl_sindy_model_formula(m, 0, SL_FORMULA_TEXT), sl_sindy_model_formula(m, 1, SL_FORMULA_TEXT));
    double z0[2] = {0.3, -1}, ra[2 * 101], rb[2 * 101];
    CHECK(sl_ode_rk4(ctx, sl_sindy_vector_field, m, 2, z0, 0, 1e-2, 101, 10, ra) == SL_OK &&
              sl_ode_rk4(ctx, damped, NULL, 2, z0, 0, 1e-2, 101, 10, rb) == SL_OK, "rollouts");
    double roll = maxdiff(ra, rb, 2 * 101);
    CHECK(roll <= 1e-3, "damped rollout over t = 10 differs by %.3g (want 1e-3)", roll);
    printf("damped rollout t in [0, 10]: max difference %.3g\n", roll);
    sl_sindy_model_destroy(m);
    sl_features_destroy(lib);
    free(a);
    free(b);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    lorenz_exact(ctx);
    damped_fd(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
