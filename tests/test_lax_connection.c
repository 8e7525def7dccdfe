/* Lax connections (zero curvature): the analytic KdV (AKNS) and Heisenberg
 * connections give a zero residual on random jets and a perturbed one does
 * not; total derivatives by JVP equal finite differences; a finite-difference
 * gradient check of the loss; a trained KdV connection reaches the issue's
 * criterion (held-out relative residual < 1e-6) and is not abelian; bad
 * input. */
#include <string.h>

#include "check.h"
#include "fdcheck.h"
#include "symlearn.h"

static sl_ctx *ctx;
static int quick;

/* ZC loss and the mean |D_t L_x|^2 of a builtin at m jets (m x jet_len),
 * lambda uniform in [-1, 1]; an entry of L_t perturbed by pert * z0 when pert != 0. */
static double builtin_zc(sl_lax_connection_builtin *b, int64_t m, const double *jets, double pert, double *scale,
                         double *fd_err)
{
    int64_t nf = sl_lax_connection_builtin_fields(b), K = sl_lax_connection_builtin_order(b);
    int64_t J = sl_lax_connection_builtin_jet_order(b), n = sl_lax_connection_builtin_size(b);
    int64_t d = nf * (K + 1), len = nf * (J + 1), e = d + 1, nn = n * n;
    double *x = calloc((size_t)(m * e), sizeof(double)), *vx = calloc((size_t)(m * e), sizeof(double)),
           *vt = calloc((size_t)(m * e), sizeof(double)), *lam = malloc(sizeof(double) * (size_t)m);
    sl_rng_fill_uniform(99, 0, (size_t)m, -1, 1, lam);
    for (int64_t i = 0; i < m; ++i) {
        memcpy(x + i * e, jets + i * len, sizeof(double) * (size_t)d);
        x[i * e + d] = lam[i];
        memcpy(vx + i * e, jets + i * len + nf, sizeof(double) * (size_t)d);
        sl_lax_connection_builtin_pde(b, jets + i * len, len, vt + i * e, d);
    }
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t sh[2] = {m, e};
    sl_node *xn = sl_graph_input(g, SL_F64, 2, sh, "x"), *xxn = sl_graph_input(g, SL_F64, 2, sh, "zx"),
            *xtn = sl_graph_input(g, SL_F64, 2, sh, "zt");
    sl_node *lt = NULL, *lx = sl_lax_connection_builtin_graph(b, g, xn, &lt);
    if (pert != 0) {
        double *pm = calloc((size_t)nn, sizeof(double));
        pm[1] = pert;
        sl_node *P = sl_graph_constant(g, SL_F64, 3, (int64_t[]){1, n, n}, pm);
        sl_node *u = sl_graph_reshape(g, sl_graph_slice(g, xn, 1, 0, 1, 1), 3, (int64_t[]){m, 1, 1});
        lt = sl_graph_add(g, lt, sl_graph_mul(g, sl_graph_broadcast(g, u, 3, (int64_t[]){m, n, n}),
                                               sl_graph_broadcast(g, P, 3, (int64_t[]){m, n, n})));
        free(pm);
    }
    sl_node *dtlx = sl_lax_ldot(g, lx, xn, xtn), *dxlt = sl_lax_ldot(g, lt, xn, xxn);
    sl_node *outs[4] = {sl_loss_zero_curvature(g, lx, lt, dtlx, dxlt), sl_graph_sum(g, sl_graph_square(g, dtlx)), dxlt,
                        lt};
    double r = NAN;
    sl_plan *p = NULL;
    CHECK(sl_graph_status(g) == SL_OK, "zc graph: %s", sl_ctx_errmsg(ctx));
    if (sl_graph_status(g) == SL_OK && sl_plan_create(g, 4, outs, &p) == SL_OK) {
        sl_plan_bind(p, xn, x);
        sl_plan_bind(p, xxn, vx);
        sl_plan_bind(p, xtn, vt);
        if (sl_plan_run(p) == SL_OK) {
            r = sl_plan_scalar(p, 0);
            if (scale) *scale = sl_plan_scalar(p, 1) / (double)m;
            if (fd_err && pert == 0) {
                /* D_x L_t against central differences of the pointwise L_t along z_x */
                const double *D = sl_plan_output(p, 2), *G = sl_plan_output(p, 3);
                double *zp = malloc(sizeof(double) * (size_t)(m * d)), *zm = malloc(sizeof(double) * (size_t)(m * d));
                double *Lp = malloc(sizeof(double) * (size_t)(m * nn)), *Lm = malloc(sizeof(double) * (size_t)(m * nn));
                double h = 1e-5, w = 0, wg = 0;
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t k = 0; k < d; ++k)
                        zp[i * d + k] = x[i * e + k] + h * vx[i * e + k], zm[i * d + k] = x[i * e + k] - h * vx[i * e + k];
                sl_lax_connection_builtin_eval(b, m, zp, lam, NULL, Lp);
                sl_lax_connection_builtin_eval(b, m, zm, lam, NULL, Lm);
                for (int64_t i = 0; i < m * nn; ++i) w = fmax(w, fabs(D[i] - (Lp[i] - Lm[i]) / (2 * h)));
                for (int64_t i = 0; i < m * d; ++i) zp[i] = x[(i / d) * e + i % d];
                sl_lax_connection_builtin_eval(b, m, zp, lam, NULL, Lp);
                for (int64_t i = 0; i < m * nn; ++i) wg = fmax(wg, fabs(G[i] - Lp[i]));
                CHECK(wg < 1e-13, "graph L_t vs pointwise L_t: %g", wg);
                *fd_err = w;
                free(zp), free(zm), free(Lp), free(Lm);
            }
        }
    }
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    free(x), free(vx), free(vt), free(lam);
    return r;
}

static void test_builtins(void)
{
    int kinds[2] = {SL_LAX_KDV, SL_LAX_HEISENBERG};
    for (int c = 0; c < 2; ++c) {
        const char *name = c ? "Heisenberg" : "KdV";
        sl_lax_connection_builtin *b = NULL;
        CHECK(sl_lax_connection_builtin_create(ctx, kinds[c], &b) == SL_OK, "%s: create", name);
        if (!b) continue;
        int64_t m = 500, len = sl_lax_connection_builtin_fields(b) * (sl_lax_connection_builtin_jet_order(b) + 1);
        double *jets = malloc(sizeof(double) * (size_t)(m * len)), scale = 0, fd = 1;
        sl_lax_connection_builtin_sample(b, m, 5 + (uint64_t)c, jets);
        double r0 = builtin_zc(b, m, jets, 0, &scale, &fd);
        double r1 = builtin_zc(b, m, jets, 1e-2, NULL, NULL);
        CHECK(r0 < 1e-14, "%s: zero-curvature loss of the analytic connection %g (must be < 1e-14)", name, r0);
        CHECK(r1 > 1e-6 && scale > 0.1, "%s: perturbed %g (must be clearly above), mean |D_t L_x|^2 %g", name, r1, scale);
        CHECK(fd < 1e-8, "%s: D_x L_t by JVP vs finite differences %g", name, fd);
        printf("%-11s ZC loss %.3g (mean |D_t L_x|^2 %.3g), L_t + 0.01 u E_01: %.3g; JVP vs FD %.2g\n", name, r0, scale,
               r1, fd);
        if (c == 1) {
            /* off the sphere (independent random jets) the Heisenberg ZC fails: |S| = 1 is used */
            sl_rng_fill_uniform(77, 0, (size_t)(m * len), -1, 1, jets);
            double ro = builtin_zc(b, m, jets, 0, NULL, NULL);
            CHECK(ro > 1e-3, "Heisenberg off the sphere: %g (must be clearly nonzero)", ro);
            printf("Heisenberg on unconstrained jets: ZC loss %.3g\n", ro);
            /* the sampled jets are jets of |S| = 1: S.S = 1, S.S_x = 0, S.S_xx = -|S_x|^2 */
            sl_lax_connection_builtin_sample(b, m, 5, jets);
            double worst = 0;
            for (int64_t i = 0; i < m; ++i) {
                const double *s = jets + i * len;
                double ss = 0, s1 = 0, s2 = 0, q = 0;
                for (int a = 0; a < 3; ++a)
                    ss += s[a] * s[a], s1 += s[a] * s[3 + a], s2 += s[a] * s[6 + a], q += s[3 + a] * s[3 + a];
                worst = fmax(worst, fmax(fabs(ss - 1), fmax(fabs(s1), fabs(s2 + q))));
            }
            CHECK(worst < 1e-13, "Heisenberg jets on the sphere: %g", worst);
        }
        free(jets);
        sl_lax_connection_builtin_destroy(b);
    }
}

/* ---- gradient check of the loss ------------------------------------------------------- */

static sl_node *build_zc(sl_graph *g, sl_node **x) { return sl_loss_zero_curvature(g, x[0], x[1], x[2], x[3]); }

static void test_fd(void)
{
    fd_spec s = {4, {SL_F64, SL_F64, SL_F64, SL_F64}, {3, 3, 3, 3},
                 {{4, 3, 3}, {4, 3, 3}, {4, 3, 3}, {4, 3, 3}}, -1, 1, 2, 1e-6};
    fdcheck("sl_loss_zero_curvature", &s, build_zc);
}

/* ---- a trained KdV connection ------------------------------------------------------------ */

static void test_train_kdv(void)
{
    sl_lax_connection_builtin *kdv = NULL;
    sl_lax_connection_builtin_create(ctx, SL_LAX_KDV, &kdv);
    sl_lax_connection_opts o;
    sl_lax_connection_opts_init(&o);
    o.order_x = 0;   /* L_x a function of u and lambda only, as in AKNS */
    if (quick) o.lm_steps = 60, o.samples = 128;
    sl_lax_connection_result *r = NULL;
    sl_status st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 0, NULL, &r);
    CHECK(st == SL_OK, "KdV training: %s", sl_ctx_errmsg(ctx));
    if (!r) return;
    sl_lax_connection_result_print(r, stdout);
    double res = sl_lax_connection_result_residual(r), com = sl_lax_connection_result_commutator(r);
    printf("KdV trained: held-out residual %.3g, commutator share %.3g, ZC loss %.3g -> %.3g, scale term %.3g\n", res,
           com, sl_lax_connection_result_loss(r, SL_LAX_ZC_TERM_ZC, 1), sl_lax_connection_result_loss(r, SL_LAX_ZC_TERM_ZC, 0),
           sl_lax_connection_result_loss(r, SL_LAX_ZC_TERM_SCALE, 0));
    if (!quick) CHECK(res < 1e-6, "KdV: held-out relative zero-curvature residual %g (must be < 1e-6)", res);
    CHECK(com > 1e-2, "KdV: commutator share %g (an abelian connection is trivial)", com);
    /* an independent check on fresh jets through eval */
    int64_t m = 300, d = 3, len = 6;
    double *jets = malloc(sizeof(double) * (size_t)(m * len)), *z = malloc(sizeof(double) * (size_t)(3 * m * d)),
           *lam = malloc(sizeof(double) * (size_t)m), *mats = malloc(sizeof(double) * (size_t)(16 * m));
    double *zx = z + m * d, *zt = zx + m * d;
    sl_rng_fill_uniform(4242, 0, (size_t)(m * len), -1, 1, jets);
    sl_rng_fill_uniform(4243, 0, (size_t)m, -1, 1, lam);
    for (int64_t i = 0; i < m; ++i) {
        memcpy(z + i * d, jets + i * len, sizeof(double) * 3);
        memcpy(zx + i * d, jets + i * len + 1, sizeof(double) * 3);
        sl_lax_connection_builtin_pde(kdv, jets + i * len, len, zt + i * d, d);
    }
    double *lx = mats, *lt = lx + 4 * m, *a = lt + 4 * m, *b = a + 4 * m;
    CHECK(sl_lax_connection_result_eval(r, m, z, lam, zx, zt, lx, lt, a, b) == SL_OK, "eval: %s", sl_ctx_errmsg(ctx));
    double num = 0, den = 0;
    for (int64_t i = 0; i < m; ++i) {
        const double *X = lx + 4 * i, *T = lt + 4 * i;
        double C[4] = {X[1] * T[2] - T[1] * X[2], X[0] * T[1] + X[1] * T[3] - T[0] * X[1] - T[1] * X[3],
                       X[2] * T[0] + X[3] * T[2] - T[2] * X[0] - T[3] * X[2], X[2] * T[1] - T[2] * X[1]};
        for (int e = 0; e < 4; ++e) {
            double q = a[4 * i + e] - b[4 * i + e] + C[e];
            num += q * q, den += a[4 * i + e] * a[4 * i + e] + b[4 * i + e] * b[4 * i + e] + C[e] * C[e];
        }
    }
    printf("KdV trained, fresh jets: relative residual %.3g\n", num / den);
    if (!quick) CHECK(num / den < 1e-6, "KdV: fresh-jet relative residual %g", num / den);
    free(jets), free(z), free(lam), free(mats);
    sl_lax_connection_result_destroy(r);
    sl_lax_connection_builtin_destroy(kdv);
}

/* ---- bad input ------------------------------------------------------------------------------- */

static int nan_pde(void *user, const double *jet, int64_t len, double *zt, int64_t d)
{
    (void)user, (void)len;
    for (int64_t i = 0; i < d; ++i) zt[i] = jet[i] > 0.9 ? NAN : jet[i];
    return 0;
}

static int names(const char *call) { return strstr(sl_ctx_errmsg(ctx), call) != NULL; }

static void test_bad_input(void)
{
    sl_lax_connection_builtin *kdv = NULL;
    sl_lax_connection_opts o;
    sl_lax_connection_opts_init(&o);
    o.steps = 1, o.lbfgs_steps = 0, o.samples = 16, o.holdout = 8;
    sl_lax_connection_result *r = (sl_lax_connection_result *)&o;
    CHECK(sl_lax_connection_builtin_create(ctx, 3, &kdv) == SL_ERR_ARG && !kdv && names("sl_lax_connection_builtin_create"),
          "unknown kind");
    sl_lax_connection_builtin_create(ctx, SL_LAX_KDV, &kdv);
    sl_status st = sl_discover_lax_connection(ctx, &o, nan_pde, NULL, 0, NULL, &r);
    CHECK(st == SL_ERR_NONFINITE && !r && names("sl_discover_lax_connection: the PDE gave"), "NaN pde: %d %s", st,
          sl_ctx_errmsg(ctx));
    o.jet_order = 4;   /* the builtin wants J = 5 */
    st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 0, NULL, &r);
    CHECK(st == SL_ERR_NUMERIC && !r && names("the PDE failed"), "wrong jet size: %d %s", st, sl_ctx_errmsg(ctx));
    o.jet_order = 5, o.n = 1;
    st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 0, NULL, &r);
    CHECK(st == SL_ERR_ARG && names("sl_discover_lax_connection: opts->n = 1"), "N = 1: %s", sl_ctx_errmsg(ctx));
    o.n = 2, o.jet_order = 2;
    st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 0, NULL, &r);
    CHECK(st == SL_ERR_ARG && names("opts->jet_order = 2"), "J <= K: %s", sl_ctx_errmsg(ctx));
    o.jet_order = 5;
    double jets[6 * 10] = {0};
    jets[7] = NAN;
    st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 10, jets, &r);
    CHECK(st == SL_ERR_NONFINITE && names("jets[7]"), "NaN jets: %s", sl_ctx_errmsg(ctx));
    st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 8, jets, &r);
    CHECK(st == SL_ERR_ARG && names("m = 8"), "m <= holdout: %s", sl_ctx_errmsg(ctx));
    st = sl_discover_lax_connection(ctx, &o, NULL, NULL, 0, NULL, &r);
    CHECK(st == SL_ERR_NULL && names("pde is NULL"), "no pde: %s", sl_ctx_errmsg(ctx));
    o.n = 16;   /* 2 x 40 x 256 weights: too many for Levenberg-Marquardt */
    st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 0, NULL, &r);
    CHECK(st == SL_ERR_ARG && !r && names("Levenberg-Marquardt takes at most 4096"), "LM size: %s", sl_ctx_errmsg(ctx));
    o.n = 2;
    o.lr = -1;
    st = sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, kdv, 0, NULL, &r);
    CHECK(st == SL_ERR_ARG && names("opts->lr"), "lr: %s", sl_ctx_errmsg(ctx));
    double z[3] = {0, NAN, 0}, lam = 0, L[4];
    CHECK(sl_lax_connection_builtin_eval(kdv, 1, z, &lam, L, NULL) == SL_ERR_NONFINITE &&
              names("sl_lax_connection_builtin_eval: z[1]"),
          "builtin eval NaN: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lax_connection_builtin_pde(kdv, jets, 5, z, 3) != 0, "pde with a short jet");
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *a = sl_graph_input(g, SL_F64, 3, (int64_t[]){4, 2, 2}, "a"), *bb = sl_graph_input(g, SL_F64, 3, (int64_t[]){4, 3, 3}, "b");
    CHECK(sl_loss_zero_curvature(g, a, a, a, bb) == NULL && names("sl_loss_zero_curvature: dx_lt has shape (4, 3, 3)"),
          "zc shapes: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_lax_connection_builtin_destroy(kdv);
    sl_lax_connection_builtin_destroy(NULL);
    sl_lax_connection_result_destroy(NULL);
    CHECK(isnan(sl_lax_connection_result_residual(NULL)) && sl_lax_connection_result_size(NULL) == 0, "NULL queries");
}

int main(void)
{
    quick = getenv("SL_TEST_QUICK") != NULL;
    sl_ctx_create(&ctx, NULL);
    test_builtins();
    test_fd();
    test_bad_input();
    test_train_kdv();
    sl_ctx_destroy(ctx);
    return check_done();
}
