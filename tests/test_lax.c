/* Lax pairs: the analytic pairs give a zero Lax loss, dL/dt by JVP equals
 * finite differences, every loss term passes a finite-difference gradient
 * check, the exact initial losses of the perturbed oscillators (KLS-T1,
 * research/embedding_dualities.md §3.4), and bad input. */
#include <string.h>

#include "check.h"
#include "fdcheck.h"
#include "symlearn.h"

static sl_ctx *ctx;

static double *points(int64_t m, int64_t d, double lo, double hi, uint64_t seed)
{
    double *x = malloc(sizeof(double) * (size_t)(m * d));
    sl_rng_fill_uniform(seed, 0, (size_t)(m * d), lo, hi, x);
    return x;
}

static void velocities(sl_vector_field_fn f, void *user, int64_t m, int64_t d, const double *x, double *v)
{
    for (int64_t i = 0; i < m; ++i) f(user, 0, x + i * d, v + i * d, d);
}

/* Lax loss of a builtin pair under the flow f at m points, with M perturbed by
 * dm (an additive constant on every entry) when dm != 0; ldot by the JVP. */
static double builtin_loss(sl_lax_builtin *b, sl_vector_field_fn f, void *user, int64_t m, const double *x, double dm)
{
    int64_t d = sl_lax_builtin_dim(b);
    double *v = malloc(sizeof(double) * (size_t)(m * d));
    velocities(f, user, m, d, x, v);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t sh[2] = {m, d};
    sl_node *xn = sl_graph_input(g, SL_F64, 2, sh, "x"), *vn = sl_graph_input(g, SL_F64, 2, sh, "v");
    sl_node *M = NULL;
    sl_node *L = sl_lax_builtin_graph(b, g, xn, &M);
    if (dm != 0) M = sl_graph_add_scalar(g, M, dm);
    sl_node *loss = sl_loss_lax(g, L, sl_lax_ldot(g, L, xn, vn), M);
    sl_plan *p = NULL;
    double r = NAN;
    if (sl_graph_status(g) == SL_OK && sl_plan_create(g, 1, &loss, &p) == SL_OK) {
        sl_plan_bind(p, xn, x);
        sl_plan_bind(p, vn, v);
        if (sl_plan_run(p) == SL_OK) r = sl_plan_scalar(p, 0);
    }
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    free(v);
    return r;
}

/* ---- analytic pairs --------------------------------------------------------------- */

static void test_builtins(void)
{
    struct { int kind; int64_t sites; double param; const char *name; } cases[] = {
        {SL_LAX_OSCILLATOR, 0, 1.0, "oscillator w=1"},
        {SL_LAX_OSCILLATOR, 0, 1.7, "oscillator w=1.7"},
        {SL_LAX_COUPLED_OSCILLATORS, 0, 0.0, "coupled eps=0"},
        {SL_LAX_COUPLED_OSCILLATORS, 0, 0.1, "coupled eps=0.1"},
        {SL_LAX_TODA_OPEN, 3, 0, "open Toda 3"},
        {SL_LAX_TODA_OPEN, 5, 0, "open Toda 5"},
        {SL_LAX_TODA_PERIODIC, 3, 1.0, "periodic Toda 3, lambda 1"},
        {SL_LAX_TODA_PERIODIC, 4, 0.7, "periodic Toda 4, lambda 0.7"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        sl_lax_builtin *b = NULL;
        CHECK(sl_lax_builtin_create(ctx, cases[c].kind, cases[c].sites, cases[c].param, &b) == SL_OK, "%s: create",
              cases[c].name);
        if (!b) continue;
        int64_t d = sl_lax_builtin_dim(b), n = sl_lax_builtin_size(b), m = 200;
        double *x = points(m, d, -1, 1, 7 + c);
        double l0 = builtin_loss(b, sl_lax_builtin_vector_field, b, m, x, 0);
        double l1 = builtin_loss(b, sl_lax_builtin_vector_field, b, m, x, 1e-2);
        CHECK(l0 < 1e-14, "%s: Lax loss of the analytic pair %g (must be < 1e-14)", cases[c].name, l0);
        CHECK(l1 > 1e-6, "%s: Lax loss with M perturbed %g (must be clearly above)", cases[c].name, l1);
        printf("%-28s Lax loss %.3g, perturbed %.3g\n", cases[c].name, l0, l1);
        /* graph L equals the pointwise L; tr L^2 against H */
        double *L = malloc(sizeof(double) * (size_t)(m * n * n)), *h = malloc(sizeof(double) * (size_t)m);
        sl_lax_builtin_eval(b, m, x, L, NULL);
        sl_lax_builtin_hamiltonian(b, m, x, h);
        double worst = 0;
        for (int64_t i = 0; i < m; ++i) {
            double t2 = 0;
            for (int64_t a = 0; a < n; ++a)
                for (int64_t e = 0; e < n; ++e) t2 += L[i * n * n + a * n + e] * L[i * n * n + e * n + a];
            double want = cases[c].kind >= SL_LAX_TODA_OPEN ? h[i] / 2 : 4 * h[i];
            if (cases[c].kind == SL_LAX_COUPLED_OSCILLATORS) want = 4 * h[i];
            worst = fmax(worst, fabs(t2 - want));
        }
        CHECK(worst < 1e-12, "%s: tr L^2 vs H: %g", cases[c].name, worst);
        free(L), free(h), free(x);
        sl_lax_builtin_destroy(b);
    }
}

/* ---- JVP vs finite differences -------------------------------------------------------- */

static void test_jvp(void)
{
    /* open Toda 4: the JVP of the graph L against central differences of the pointwise L */
    sl_lax_builtin *b = NULL;
    sl_lax_builtin_create(ctx, SL_LAX_TODA_OPEN, 4, 0, &b);
    int64_t d = 8, n = 4, m = 16, nn = 16;
    double *x = points(m, d, -1, 1, 3), *v = points(m, d, -1, 1, 4);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t sh[2] = {m, d};
    sl_node *xn = sl_graph_input(g, SL_F64, 2, sh, "x"), *vn = sl_graph_input(g, SL_F64, 2, sh, "v");
    sl_node *L = sl_lax_builtin_graph(b, g, xn, NULL);
    sl_node *ld = sl_lax_ldot(g, L, xn, vn);
    /* an MLP: forward tangents against the double-vjp JVP, tanh and silu */
    sl_mlp *net[2] = {NULL, NULL};
    sl_node *ldt[2], *ldv[2];
    for (int a = 0; a < 2; ++a) {
        sl_mlp_opts mo;
        sl_mlp_opts_init(&mo);
        mo.nlayers = 3;
        mo.widths[0] = d, mo.widths[1] = 16, mo.widths[2] = 16, mo.widths[3] = nn;
        mo.activation = a ? SL_ACT_SILU : SL_ACT_TANH;
        mo.seed = 40 + (uint64_t)a;
        sl_mlp_create(g, &mo, &net[a]);
        sl_node *Lm = NULL;
        ldt[a] = sl_lax_mlp_ldot(net[a], xn, vn, n, &Lm);
        ldv[a] = sl_lax_ldot(g, Lm, xn, vn);
    }
    CHECK(sl_graph_status(g) == SL_OK, "jvp graph: %s", sl_ctx_errmsg(ctx));
    sl_node *outs[5] = {ld, ldt[0], ldv[0], ldt[1], ldv[1]};
    sl_plan *p = NULL;
    CHECK(sl_plan_create(g, 5, outs, &p) == SL_OK, "jvp plan");
    sl_plan_bind(p, xn, x);
    sl_plan_bind(p, vn, v);
    CHECK(sl_plan_run(p) == SL_OK, "jvp run");
    const double *J = sl_plan_output(p, 0);
    double *Lp = malloc(sizeof(double) * (size_t)(m * nn)), *Lm = malloc(sizeof(double) * (size_t)(m * nn));
    double *xp = malloc(sizeof(double) * (size_t)(m * d)), *xm = malloc(sizeof(double) * (size_t)(m * d));
    double h = 1e-5, worst = 0;
    for (int64_t i = 0; i < m * d; ++i) xp[i] = x[i] + h * v[i], xm[i] = x[i] - h * v[i];
    sl_lax_builtin_eval(b, m, xp, Lp, NULL);
    sl_lax_builtin_eval(b, m, xm, Lm, NULL);
    for (int64_t i = 0; i < m * nn; ++i) worst = fmax(worst, fabs(J[i] - (Lp[i] - Lm[i]) / (2 * h)));
    CHECK(worst < 1e-8, "JVP Ldot vs finite differences: %g", worst);
    printf("JVP vs central differences (open Toda 4): max |diff| %.3g\n", worst);
    for (int a = 0; a < 2; ++a) {
        const double *t = sl_plan_output(p, 1 + 2 * a), *u = sl_plan_output(p, 2 + 2 * a);
        double w = 0;
        for (int64_t i = 0; i < m * nn; ++i) w = fmax(w, fabs(t[i] - u[i]));
        CHECK(w < 1e-13, "%s MLP: forward tangents vs double vjp %g", a ? "silu" : "tanh", w);
    }
    free(Lp), free(Lm), free(xp), free(xm), free(x), free(v);
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_lax_builtin_destroy(b);
}

/* ---- FD gradient checks of every loss term ---------------------------------------------- */

#define FB 5
#define FN 3
#define FD 4
static sl_node *build_lax(sl_graph *g, sl_node **x) { return sl_loss_lax(g, x[0], x[1], x[2]); }
static sl_node *build_match_lsq(sl_graph *g, sl_node **x) { return sl_loss_lax_match(g, x[0], x[1], SL_LAX_RATIO_LSQ); }
static sl_node *build_match_sum(sl_graph *g, sl_node **x) { return sl_loss_lax_match(g, x[0], x[1], SL_LAX_RATIO_SUM); }
static sl_node *build_lm(sl_graph *g, sl_node **x)
{
    return sl_loss_lax_match(g, sl_lax_commutator(g, x[0], x[1]), x[2], SL_LAX_RATIO_LSQ);
}
static sl_node *build_mc(sl_graph *g, sl_node **x) { return sl_loss_lax_mode_collapse(g, x[0]); }
static sl_node *build_scale(sl_graph *g, sl_node **x) { return sl_loss_lax_scale(g, x[0], 0.3); }
static sl_node *build_motion(sl_graph *g, sl_node **x) { return sl_loss_lax_motion(g, x[0], 10.0); }
/* Ldot of a small MLP through its weights: the gradient reaches the params */
static sl_node *build_ldot(sl_graph *g, sl_node **x)
{
    sl_node *L = sl_graph_reshape(g, sl_graph_tanh(g, sl_graph_matmul(g, x[0], x[1])), 3, (int64_t[]){FB, 2, 2});
    return sl_lax_ldot(g, L, x[0], x[2]);
}

static void test_fd(void)
{
    fd_spec s3 = {3, {SL_F64, SL_F64, SL_F64}, {3, 3, 3}, {{FB, FN, FN}, {FB, FN, FN}, {FB, FN, FN}}, -1, 1, 2, 1e-6};
    fdcheck("sl_loss_lax", &s3, build_lax);
    fd_spec sm = {2, {SL_F64, SL_F64}, {3, 2}, {{FB, FN, FN}, {FB, FD}}, -1, 1, 2, 1e-5};
    fdcheck("sl_loss_lax_match LSQ", &sm, build_match_lsq);
    /* positive data: the sums in the slide's ratio stay away from 0 */
    fd_spec ss = {2, {SL_F64, SL_F64}, {3, 2}, {{FB, FN, FN}, {FB, FD}}, 0.2, 1, 2, 1e-5};
    fdcheck("sl_loss_lax_match SUM", &ss, build_match_sum);
    fd_spec sl = {3, {SL_F64, SL_F64, SL_F64}, {3, 3, 2}, {{FB, FN, FN}, {FB, FN, FN}, {FB, FD}}, -1, 1, 2, 1e-5};
    fdcheck("LM-term", &sl, build_lm);
    /* small positive entries: the mode-collapse hinge is active, |.| smooth */
    fd_spec s1 = {1, {SL_F64}, {3}, {{FB, FN, FN}}, 0.01, 0.1, 2, 1e-6};
    fdcheck("sl_loss_lax_mode_collapse", &s1, build_mc);
    fd_spec s1b = {1, {SL_F64}, {3}, {{FB, FN, FN}}, -1, 1, 2, 1e-6};
    fdcheck("sl_loss_lax_scale", &s1b, build_scale);
    fdcheck("sl_loss_lax_motion", &s1b, build_motion);
    fd_spec sj = {3, {SL_F64, SL_F64, SL_F64}, {2, 2, 2}, {{FB, 3}, {3, 4}, {FB, 3}}, -1, 1, 2, 1e-6};
    fdcheck("sl_lax_ldot", &sj, build_ldot);
}

/* ---- KLS-T1: exact pairs and the analytic initial losses ---------------------------------- */

typedef struct { double eps; int quartic; } perturbed;

/* H0 + eps qx qy (quartic 0) or H0 + eps qx^2 qy^2 (quartic 1), x = (qx, qy, px, py) */
static int perturbed_field(void *user, double t, const double *x, double *dx, int64_t d)
{
    (void)t;
    const perturbed *P = user;
    if (d != 4) return 1;
    double qx = x[0], qy = x[1];
    double gx = P->quartic ? 2 * qx * qy * qy : qy, gy = P->quartic ? 2 * qx * qx * qy : qx;
    dx[0] = x[2], dx[1] = x[3];
    dx[2] = -qx - P->eps * gx, dx[3] = -qy - P->eps * gy;
    return 0;
}

static void test_kls_t1(void)
{
    sl_lax_builtin *b0 = NULL, *b2 = NULL;
    sl_lax_builtin_create(ctx, SL_LAX_COUPLED_OSCILLATORS, 0, 0.0, &b0);
    sl_lax_builtin_create(ctx, SL_LAX_COUPLED_OSCILLATORS, 0, 0.1, &b2);
    int64_t m = 2000;
    double *x = points(m, 4, -1, 1, 3);
    double e0 = builtin_loss(b0, sl_lax_builtin_vector_field, b0, m, x, 0);
    double e2 = builtin_loss(b2, sl_lax_builtin_vector_field, b2, m, x, 0);
    CHECK(e0 <= 1e-24, "KLS-T1: H0 pair on the H0 flow %g (must be <= 1e-24)", e0);
    CHECK(e2 <= 1e-24, "KLS-T1: exact H2 pair on the H2 flow %g (must be <= 1e-24)", e2);
    free(x);
    /* the quadrature: a midpoint grid of 64 x 64 x 2 x 2 points in [-1, 1]^4 (the
     * residual of the H0 pair under a perturbed flow depends on q only) */
    int64_t kq = 64, mg = kq * kq * 4;
    double *xg = malloc(sizeof(double) * (size_t)(mg * 4));
    for (int64_t i = 0; i < mg; ++i) {
        int64_t a = i % kq, c = (i / kq) % kq, e = (i / (kq * kq)) % 2, f = i / (kq * kq * 2);
        xg[i * 4 + 0] = -1 + (2.0 * (double)a + 1) / (double)kq;
        xg[i * 4 + 1] = -1 + (2.0 * (double)c + 1) / (double)kq;
        xg[i * 4 + 2] = e ? 0.5 : -0.5;
        xg[i * 4 + 3] = f ? 0.5 : -0.5;
    }
    for (int e = 0; e < 2; ++e) {
        double eps = e ? 0.5 : 0.1;
        perturbed p1 = {eps, 1}, p2 = {eps, 0};
        double l1 = builtin_loss(b0, perturbed_field, &p1, mg, xg, 0);
        double l2 = builtin_loss(b0, perturbed_field, &p2, mg, xg, 0);
        double w1 = 16 * eps * eps / 15, w2 = 4 * eps * eps / 3;
        CHECK(fabs(l1 / w1 - 1) < 0.01, "KLS-T1: eps %g, H1 initial loss %.6g vs 16 eps^2/15 = %.6g", eps, l1, w1);
        CHECK(fabs(l2 / w2 - 1) < 0.01, "KLS-T1: eps %g, H2 initial loss %.6g vs 4 eps^2/3 = %.6g", eps, l2, w2);
        printf("KLS-T1 eps %.1f: H1 %.6g (16 eps^2/15 = %.6g), H2 %.6g (4 eps^2/3 = %.6g); exact pairs %.2g, %.2g\n", eps,
               l1, w1, l2, w2, e0, e2);
    }
    free(xg);
    sl_lax_builtin_destroy(b0);
    sl_lax_builtin_destroy(b2);
}

/* ---- bad input ------------------------------------------------------------------------------ */

static int nan_field(void *user, double t, const double *x, double *dx, int64_t d)
{
    (void)user, (void)t;
    for (int64_t i = 0; i < d; ++i) dx[i] = x[i] > 0.5 ? NAN : -x[i];
    return 0;
}

static int names(const char *call) { return strstr(sl_ctx_errmsg(ctx), call) != NULL; }

static void test_bad_input(void)
{
    sl_lax_builtin *osc = NULL;
    sl_lax_builtin_create(ctx, SL_LAX_OSCILLATOR, 0, 1.0, &osc);
    sl_lax_opts o;
    sl_lax_opts_init(&o);
    o.steps = 1, o.n_traj = 0, o.holdout = 10, o.regress_degree = 0, o.samples = 16;
    sl_lax_result *r = (sl_lax_result *)&o;
    /* wrong state size: the builtin refuses d = 3 */
    sl_status st = sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 3, 0, NULL, NULL, &r);
    CHECK(st == SL_ERR_NUMERIC && r == NULL && names("sl_discover_lax_pair"), "wrong d: %d %s", st, sl_ctx_errmsg(ctx));
    st = sl_discover_lax_pair(ctx, &o, nan_field, NULL, 2, 0, NULL, NULL, &r);
    CHECK(st == SL_ERR_NONFINITE && r == NULL && names("sl_discover_lax_pair"), "NaN field: %d %s", st,
          sl_ctx_errmsg(ctx));
    o.n = 1;
    st = sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r);
    CHECK(st == SL_ERR_ARG && names("sl_discover_lax_pair: opts->n = 1"), "N = 1: %d %s", st, sl_ctx_errmsg(ctx));
    o.n = 2;
    st = sl_discover_lax_pair(ctx, &o, NULL, NULL, 2, 0, NULL, NULL, &r);
    CHECK(st == SL_ERR_NULL && names("sl_discover_lax_pair"), "no f, no data: %d", st);
    double xs[8] = {0, 1, 2, NAN, 1, 1, 0, 0}, vs[8] = {0};
    st = sl_discover_lax_pair(ctx, &o, NULL, NULL, 2, 4, xs, vs, &r);
    CHECK(st == SL_ERR_NONFINITE && names("sl_discover_lax_pair: x[3]"), "NaN data: %d %s", st, sl_ctx_errmsg(ctx));
    st = sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 0, 0, NULL, NULL, &r);
    CHECK(st == SL_ERR_ARG && names("sl_discover_lax_pair: d = 0"), "d = 0: %d", st);
    o.lr = NAN;
    st = sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r);
    CHECK(st == SL_ERR_ARG && names("opts->lr"), "lr NaN: %d %s", st, sl_ctx_errmsg(ctx));
    /* builtins */
    sl_lax_builtin *b = NULL;
    CHECK(sl_lax_builtin_create(ctx, SL_LAX_TODA_OPEN, 1, 0, &b) == SL_ERR_ARG && !b && names("sl_lax_builtin_create"),
          "Toda 1 site");
    CHECK(sl_lax_builtin_create(ctx, SL_LAX_TODA_PERIODIC, 3, 0, &b) == SL_ERR_ARG && !b, "lambda 0");
    CHECK(sl_lax_builtin_create(ctx, 99, 3, 0, &b) == SL_ERR_ARG && !b, "unknown kind");
    double bx[2] = {0, NAN}, L[4];
    CHECK(sl_lax_builtin_eval(osc, 1, bx, L, NULL) == SL_ERR_NONFINITE && names("sl_lax_builtin_eval"), "eval NaN");
    double dx[3];
    CHECK(sl_lax_builtin_vector_field(osc, 0, bx, dx, 3) != 0, "vector field with d = 3");
    /* graph functions */
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *a = sl_graph_input(g, SL_F64, 3, (int64_t[]){4, 2, 3}, "a");
    CHECK(sl_loss_lax_mode_collapse(g, a) == NULL && sl_graph_status(g) == SL_ERR_SHAPE &&
              names("sl_loss_lax_mode_collapse: a has shape (4, 2, 3)"),
          "non-square batch: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    sl_node *L2 = sl_graph_input(g, SL_F64, 3, (int64_t[]){4, 2, 2}, "L");
    sl_node *x3 = sl_graph_input(g, SL_F64, 2, (int64_t[]){4, 3}, "x"), *v2 = sl_graph_input(g, SL_F64, 2, (int64_t[]){4, 2}, "v");
    CHECK(sl_lax_ldot(g, L2, x3, v2) == NULL && names("sl_lax_ldot"), "ldot shapes: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    L2 = sl_graph_input(g, SL_F64, 3, (int64_t[]){4, 2, 2}, "L");
    CHECK(sl_loss_lax_scale(g, L2, -1) == NULL && names("sl_loss_lax_scale: target"), "scale target");
    sl_graph_destroy(g);
    sl_lax_builtin_destroy(osc);
    sl_lax_result_destroy(NULL);
    sl_lax_builtin_destroy(NULL);
    CHECK(sl_lax_result_size(NULL) == 0 && isnan(sl_lax_result_residual(NULL)), "NULL result queries");
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_builtins();
    test_jvp();
    test_fd();
    test_kls_t1();
    test_bad_input();
    sl_ctx_destroy(ctx);
    return check_done();
}
