/* Complex Lax pairs (opts->complex_valued): an analytic complex pair (the
 * oscillator pair conjugated by a fixed complex unitary U, L' = U L U^H,
 * M' = U M U^H: L'dot = U [L, M] U^H = [L', M']), the loss terms on c128
 * against finite differences, sl_loss_lax_spectrum, and a trained complex pair. */
#include <string.h>

#include "check.h"
#include "fdcheck.h"
#include "symlearn.h"

static sl_ctx *ctx;

/* U = (c, -s e^{-i phi}; s e^{i phi}, c) (unitary), as a (1, 2, 2) c128 constant. */
static sl_node *unitary(sl_graph *g)
{
    double th = 0.7, ph = 0.4, c = cos(th), s = sin(th);
    double u[8] = {c, 0, -s * cos(ph), s * sin(ph), s * cos(ph), s * sin(ph), c, 0};
    return sl_graph_constant(g, SL_C128, 3, (int64_t[]){1, 2, 2}, u);
}

static sl_node *conjugate(sl_graph *g, sl_node *U, sl_node *A)
{
    int64_t B = sl_node_dim(A, 0);
    sl_node *Ub = sl_graph_broadcast(g, U, 3, (int64_t[]){B, 2, 2});
    sl_node *Ac = sl_node_dtype(A) == SL_C128 ? A : sl_graph_complex(g, A, sl_graph_mul_scalar(g, A, 0.0));
    return sl_graph_matmul(g, sl_graph_matmul(g, Ub, Ac), sl_graph_adjoint(g, Ub));
}

/* The loss of the conjugated oscillator pair at m points; M' + dm (1 + i) when dm != 0. */
static double complex_pair_loss(int64_t m, const double *x, const double *v, double dm)
{
    sl_lax_builtin *osc = NULL;
    sl_lax_builtin_create(ctx, SL_LAX_OSCILLATOR, 0, 1.3, &osc);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t sh[2] = {m, 2};
    sl_node *xn = sl_graph_input(g, SL_F64, 2, sh, "x"), *vn = sl_graph_input(g, SL_F64, 2, sh, "v");
    sl_node *M = NULL, *L = sl_lax_builtin_graph(osc, g, xn, &M), *U = unitary(g);
    sl_node *Lc = conjugate(g, U, L), *Dc = conjugate(g, U, sl_lax_ldot(g, L, xn, vn)), *Mc = conjugate(g, U, M);
    if (dm != 0) Mc = sl_graph_add(g, Mc, sl_graph_full(g, SL_C128, 3, (int64_t[]){1, 2, 2}, dm, dm));
    sl_node *loss = sl_loss_lax(g, Lc, Dc, Mc);
    sl_plan *p = NULL;
    double r = NAN;
    CHECK(sl_graph_status(g) == SL_OK, "complex pair graph: %s", sl_ctx_errmsg(ctx));
    if (sl_graph_status(g) == SL_OK && sl_plan_create(g, 1, &loss, &p) == SL_OK) {
        sl_plan_bind(p, xn, x);
        sl_plan_bind(p, vn, v);
        if (sl_plan_run(p) == SL_OK) r = sl_plan_scalar(p, 0);
    }
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_lax_builtin_destroy(osc);
    return r;
}

static void test_analytic(void)
{
    int64_t m = 500;
    double *x = malloc(sizeof(double) * (size_t)(4 * m)), *v = x + 2 * m;
    sl_rng_fill_uniform(31, 0, (size_t)(2 * m), -2, 2, x);
    sl_lax_builtin *osc = NULL;
    sl_lax_builtin_create(ctx, SL_LAX_OSCILLATOR, 0, 1.3, &osc);
    for (int64_t i = 0; i < m; ++i) sl_lax_builtin_vector_field(osc, 0, x + 2 * i, v + 2 * i, 2);
    sl_lax_builtin_destroy(osc);
    double l0 = complex_pair_loss(m, x, v, 0), l1 = complex_pair_loss(m, x, v, 1e-2);
    printf("complex oscillator pair (U L U^H, U M U^H): loss %.3g, with M + 0.01 (1 + i): %.3g\n", l0, l1);
    CHECK(l0 < 1e-14, "complex analytic pair: loss %g (must be < 1e-14)", l0);
    CHECK(l1 > 1e-6, "complex analytic pair perturbed: loss %g (must be clearly above)", l1);
    free(x);
}

/* ---- finite differences of the terms on c128 ---------------------------------------- */

#define FB 5
#define FN 3
static sl_node *build_lax(sl_graph *g, sl_node **x) { return sl_loss_lax(g, x[0], x[1], x[2]); }
static sl_node *build_lm(sl_graph *g, sl_node **x)
{
    return sl_loss_lax_match(g, sl_lax_commutator(g, x[0], x[1]), x[2], SL_LAX_RATIO_LSQ);
}
static sl_node *build_mc(sl_graph *g, sl_node **x) { return sl_loss_lax_mode_collapse(g, x[0]); }
static sl_node *build_scale(sl_graph *g, sl_node **x) { return sl_loss_lax_scale(g, x[0], 0.3); }
static sl_node *build_motion(sl_graph *g, sl_node **x) { return sl_loss_lax_motion(g, x[0], 10.0); }
static sl_node *build_spectrum(sl_graph *g, sl_node **x) { return sl_loss_lax_spectrum(g, x[0], 10.0); }

static void test_fd(void)
{
    fd_spec s3 = {3, {SL_C128, SL_C128, SL_C128}, {3, 3, 3}, {{FB, FN, FN}, {FB, FN, FN}, {FB, FN, FN}}, -1, 1, 2, 1e-6};
    fdcheck("sl_loss_lax, c128", &s3, build_lax);
    fd_spec sl = {3, {SL_C128, SL_C128, SL_F64}, {3, 3, 2}, {{FB, FN, FN}, {FB, FN, FN}, {FB, 4}}, -1, 1, 2, 1e-5};
    fdcheck("LM-term, c128", &sl, build_lm);
    fd_spec s1 = {1, {SL_C128}, {3}, {{FB, FN, FN}}, 0.01, 0.1, 2, 1e-6};
    fdcheck("sl_loss_lax_mode_collapse, c128", &s1, build_mc);
    fd_spec s1b = {1, {SL_C128}, {3}, {{FB, FN, FN}}, -1, 1, 2, 1e-6};
    fdcheck("sl_loss_lax_scale, c128", &s1b, build_scale);
    fdcheck("sl_loss_lax_motion, c128", &s1b, build_motion);
    fdcheck("sl_loss_lax_spectrum, c128", &s1b, build_spectrum);
    fd_spec s1r = {1, {SL_F64}, {3}, {{FB, FN, FN}}, -1, 1, 2, 1e-6};
    fdcheck("sl_loss_lax_spectrum, f64", &s1r, build_spectrum);
}

/* the spectrum term: 0 on the oscillator pair with a small target, 1 on a nilpotent L */
static void test_spectrum(void)
{
    sl_graph *g;
    sl_graph_create(ctx, &g);
    double nil[3 * 4] = {0, 1, 0, 0, 0, -2, 0, 0, 0, 0.5, 0, 0};
    double osc[3 * 4] = {1, 0.5, 0.5, -1, 0.2, 0.1, 0.1, -0.2, -0.6, 0, 0, 0.6};
    sl_node *a = sl_graph_constant(g, SL_F64, 3, (int64_t[]){3, 2, 2}, nil);
    sl_node *b = sl_graph_constant(g, SL_F64, 3, (int64_t[]){3, 2, 2}, osc);
    sl_node *outs[2] = {sl_loss_lax_spectrum(g, a, 1e-3), sl_loss_lax_spectrum(g, b, 1e-3)};
    sl_plan *p = NULL;
    CHECK(sl_plan_create(g, 2, outs, &p) == SL_OK && sl_plan_run(p) == SL_OK, "spectrum plan: %s", sl_ctx_errmsg(ctx));
    CHECK(fabs(sl_plan_scalar(p, 0) - 1) < 1e-15, "spectrum term of a nilpotent L: %g (must be 1)", sl_plan_scalar(p, 0));
    CHECK(sl_plan_scalar(p, 1) == 0, "spectrum term of a varying spectrum: %g (must be 0)", sl_plan_scalar(p, 1));
    CHECK(sl_loss_lax_spectrum(g, a, 0) == NULL && sl_graph_status(g) == SL_ERR_ARG, "spectrum target 0 refused");
    sl_plan_destroy(p);
    sl_graph_destroy(g);
}

/* ---- a trained complex pair: the oscillator, linear model, complex entries -------------- */

static void test_trained(void)
{
    const char *name = "oscillator, complex linear";
    sl_lax_builtin *osc = NULL;
    sl_lax_builtin_create(ctx, SL_LAX_OSCILLATOR, 0, 1.0, &osc);
    sl_lax_opts o;
    sl_lax_opts_init(&o);
    o.model = SL_LAX_MODEL_LINEAR;
    o.complex_valued = 1;
    o.alpha_scale = 1;
    double lo[2] = {-2, -2}, hi[2] = {2, 2};
    o.lo = lo, o.hi = hi;
    o.steps = 500, o.lr = 1e-2, o.lbfgs_steps = 200;
    sl_lax_result *r = NULL;
    sl_status st = sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r);
    CHECK(st == SL_OK, "%s: %s", name, sl_ctx_errmsg(ctx));
    if (r) {
        sl_lax_result_print(r, stdout);
        double res = sl_lax_result_residual(r), mc = sl_lax_result_loss(r, SL_LAX_TERM_MC, 0);
        printf("%s: residual %.3g, mode collapse %g, drift tr L^2 %.3g, spread %.3g\n", name, res, mc,
               sl_lax_result_drift(r, 2), sl_lax_result_spread(r, 2));
        CHECK(res < 1e-6, "%s: held-out relative residual %g (must be < 1e-6)", name, res);
        CHECK(mc == 0, "%s: mode collapse %g", name, mc);
        CHECK(sl_lax_result_drift(r, 2) < 1e-6 && sl_lax_result_spread(r, 2) > 1e-2, "%s: tr L^2 drift %g, spread %g",
              name, sl_lax_result_drift(r, 2), sl_lax_result_spread(r, 2));
        /* eval: interleaved complex matrices; [L, M] against Ldot at a point */
        double xp[2] = {0.4, -0.3}, v[2];
        sl_lax_builtin_vector_field(osc, 0, xp, v, 2);
        double L[8], M[8], D[8], t2[2];
        CHECK(sl_lax_result_eval(r, 1, xp, v, L, M, D) == SL_OK, "%s: eval", name);
        double e = 0, n2 = 0;
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
                double cr = 0, ci = 0;
                for (int l = 0; l < 2; ++l) {
                    const double *a = L + 2 * (i * 2 + l), *b = M + 2 * (l * 2 + j), *c = M + 2 * (i * 2 + l),
                                 *dd = L + 2 * (l * 2 + j);
                    cr += a[0] * b[0] - a[1] * b[1] - (c[0] * dd[0] - c[1] * dd[1]);
                    ci += a[0] * b[1] + a[1] * b[0] - (c[0] * dd[1] + c[1] * dd[0]);
                }
                const double *z = D + 2 * (i * 2 + j);
                e += (z[0] - cr) * (z[0] - cr) + (z[1] - ci) * (z[1] - ci), n2 += z[0] * z[0] + z[1] * z[1];
            }
        CHECK(e / n2 < 1e-10, "%s: |Ldot - [L, M]|^2 / |Ldot|^2 = %g at a point", name, e / n2);
        /* tr L^2 as (re, im), against the interleaved L */
        CHECK(sl_lax_result_trace(r, 2, 1, xp, t2) == SL_OK, "%s: trace", name);
        double tr = 0, ti = 0;
        for (int i = 0; i < 2; ++i)
            for (int l = 0; l < 2; ++l) {
                const double *a = L + 2 * (i * 2 + l), *b = L + 2 * (l * 2 + i);
                tr += a[0] * b[0] - a[1] * b[1], ti += a[0] * b[1] + a[1] * b[0];
            }
        CHECK(fabs(t2[0] - tr) < 1e-12 && fabs(t2[1] - ti) < 1e-12, "%s: tr L^2 = (%g, %g), from eval (%g, %g)", name,
              t2[0], t2[1], tr, ti);
        printf("%s: tr L^2 at (0.4, -0.3) = %.6g %+.6g i\n", name, t2[0], t2[1]);
        sl_lax_result_destroy(r);
    }
    /* Levenberg-Marquardt is real only */
    o.lm_steps = 10;
    CHECK(sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "lm_steps") != NULL,
          "complex with lm_steps refused: %s", sl_ctx_errmsg(ctx));
    o.lm_steps = 0, o.complex_valued = 2;
    CHECK(sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r) == SL_ERR_ARG,
          "complex_valued = 2 refused");
    o.complex_valued = 0, o.traceless = 3;
    CHECK(sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "opts->traceless") != NULL,
          "traceless = 3 refused: %s", sl_ctx_errmsg(ctx));
    o.traceless = 0, o.spectrum_target = -1;
    CHECK(sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "opts->spectrum_target") != NULL,
          "spectrum_target = -1 refused: %s", sl_ctx_errmsg(ctx));
    sl_lax_builtin_destroy(osc);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_analytic();
    test_fd();
    test_spectrum();
    test_trained();
    sl_ctx_destroy(ctx);
    return check_done();
}
