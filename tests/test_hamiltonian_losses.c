/* Hamiltonian losses (losses.h): known values on exact Hamiltonians and
 * canonical maps, analytic values of perturbed ones, finite-difference first
 * and second derivatives, bad input.  Also sl_graph_atan2, which polar
 * coordinates need. */
#include <string.h>

#include "check.h"
#include "fdcheck.h"
#include "symlearn.h"

#define B 64

static sl_ctx *ctx;

/* Points z (B, 4) rows (x, y, px, py) away from the origin, from seed. */
static void points(uint64_t seed, int64_t rows, int64_t cols, double *z)
{
    sl_rng_fill_uniform(seed, 0, (size_t)(rows * cols), 0.3, 1.5, z);
    for (int64_t i = 0; i < rows * cols; ++i)
        if (sl_rng_uniform(seed + 1, (uint64_t)i) < 0.5) z[i] = -z[i];
}

/* Evaluates the scalar y of g with z bound (and w when not NULL). */
static double eval(sl_graph *g, sl_node *y, sl_node *z, const double *zd, sl_node *w, const double *wd)
{
    sl_plan *p = NULL;
    double v = NAN;
    if (sl_plan_create(g, 1, &y, &p) == SL_OK) {
        sl_plan_bind(p, z, zd);
        if (w) sl_plan_bind(p, w, wd);
        if (sl_plan_run(p) == SL_OK) v = sl_plan_scalar(p, 0);
    }
    if (sl_graph_status(g) != SL_OK || !p) printf("  (graph: %s)\n", sl_ctx_errmsg(ctx));
    sl_plan_destroy(p);
    return v;
}

static sl_node *col(sl_graph *g, sl_node *z, int64_t i) { return sl_graph_slice(g, z, 1, i, i + 1, 1); }

/* Polar canonical coordinates of z = (x, y, px, py): Q = (theta, r),
 * P = (L, p_r) with L = x py - y px, p_r = (x px + y py) / r (cyclic theta first). */
static void polar(sl_graph *g, sl_node *z, sl_node **Q, sl_node **P)
{
    sl_node *x = col(g, z, 0), *y = col(g, z, 1), *px = col(g, z, 2), *py = col(g, z, 3);
    sl_node *r = sl_graph_sqrt(g, sl_graph_add(g, sl_graph_square(g, x), sl_graph_square(g, y)));
    sl_node *th = sl_graph_atan2(g, y, x);
    sl_node *L = sl_graph_sub(g, sl_graph_mul(g, x, py), sl_graph_mul(g, y, px));
    sl_node *pr = sl_graph_div(g, sl_graph_add(g, sl_graph_mul(g, x, px), sl_graph_mul(g, y, py)), r);
    sl_node *qs[2] = {th, r}, *ps[2] = {L, pr};
    *Q = sl_graph_concat(g, 2, qs, 1);
    *P = sl_graph_concat(g, 2, ps, 1);
}

/* Kepler H = |p|^2 / 2 - k / r in Cartesian coordinates, and its field. */
static void kepler_zdot(const double *z, double *zdot, int64_t rows, double k)
{
    for (int64_t i = 0; i < rows; ++i) {
        const double *r = z + 4 * i;
        double rr = sqrt(r[0] * r[0] + r[1] * r[1]), c = k / (rr * rr * rr);
        double *d = zdot + 4 * i;
        d[0] = r[2], d[1] = r[3], d[2] = -c * r[0], d[3] = -c * r[1];
    }
}

/* H_phi(Q, P) = p_r^2 / 2 + a L^2 / (2 r^2) - 1 / r: Kepler in polar coordinates for a = 1. */
static sl_node *kepler_polar(sl_graph *g, sl_node *Q, sl_node *P, double a)
{
    sl_node *r = col(g, Q, 1), *L = col(g, P, 0), *pr = col(g, P, 1);
    sl_node *t = sl_graph_mul_scalar(g, sl_graph_square(g, pr), 0.5);
    sl_node *c = sl_graph_div(g, sl_graph_mul_scalar(g, sl_graph_square(g, L), 0.5 * a), sl_graph_square(g, r));
    return sl_graph_sub(g, sl_graph_add(g, t, c), sl_graph_div(g, sl_graph_scalar(g, 1.0), r));
}

static void test_atan2(void)
{
    sl_graph *g;
    sl_graph_create(ctx, &g);
    double yx[16] = {1, 1, -1, 1, -1, -1, 1, -1, 0, 1, 0, -1, 2, 0, -3, 0};
    sl_node *Y = sl_graph_input(g, SL_F64, 2, (int64_t[]){8, 1}, "y");
    sl_node *X = sl_graph_input(g, SL_F64, 2, (int64_t[]){8, 1}, "x");
    sl_node *a = sl_graph_atan2(g, Y, X);
    double y[8], x[8];
    for (int i = 0; i < 8; ++i) y[i] = yx[2 * i], x[i] = yx[2 * i + 1];
    sl_plan *p = NULL;
    CHECK(sl_plan_create(g, 1, &a, &p) == SL_OK, "atan2 plan: %s", sl_ctx_errmsg(ctx));
    sl_plan_bind(p, Y, y);
    sl_plan_bind(p, X, x);
    CHECK(sl_plan_run(p) == SL_OK, "atan2 run");
    const double *o = sl_plan_output(p, 0);
    int same = 1;
    for (int i = 0; i < 8; ++i) same &= o[i] == atan2(y[i], x[i]);
    CHECK(same, "atan2 equals libm's in every quadrant and on the axes");
    sl_plan_destroy(p);
    sl_graph_destroy(g);
}

static sl_node *build_atan2(sl_graph *g, sl_node **x) { return sl_graph_atan2(g, x[0], x[1]); }
static sl_node *build_atan2_bcast(sl_graph *g, sl_node **x) { return sl_graph_atan2(g, x[0], x[1]); }

/* H = a q1^2 + b p1^2 + c q1 p2 + d q2^2 p2^2 with theta = (a, b, c, d) an input, n = 2. */
static sl_node *poly_H(sl_graph *g, sl_node *z, sl_node *th)
{
    sl_node *q1 = col(g, z, 0), *q2 = col(g, z, 1), *p1 = col(g, z, 2), *p2 = col(g, z, 3);
    sl_node *t[4] = {sl_graph_square(g, q1), sl_graph_square(g, p1), sl_graph_mul(g, q1, p2),
                     sl_graph_mul(g, sl_graph_square(g, q2), sl_graph_square(g, p2))};
    sl_node *h = NULL;
    for (int k = 0; k < 4; ++k) {
        sl_node *c = sl_graph_slice(g, th, 0, k, k + 1, 1);
        sl_node *v = sl_graph_mul(g, t[k], c);
        h = h ? sl_graph_add(g, h, v) : v;
    }
    return h;
}

static const double zdot_fixed[3 * 4] = {0.3, -0.2, 0.5, 0.1, -0.4, 0.7, 0.2, -0.6, 0.9, 0.05, -0.3, 0.4};

static sl_node *build_hnn(sl_graph *g, sl_node **x)
{
    sl_node *zd = sl_graph_constant(g, SL_F64, 2, (int64_t[]){3, 4}, zdot_fixed);
    sl_node *D = sl_graph_mul(g, sl_graph_square(g, col(g, x[0], 2)), sl_graph_slice(g, x[1], 0, 0, 1, 1));
    return sl_loss_hnn(g, poly_H(g, x[0], x[1]), D, x[0], zd);
}

/* A map with parameters: Q = (q1 + a p2^2, b q2), P = (p1 c, p2 + d q1 q2): canonical only for special values. */
static void param_map(sl_graph *g, sl_node *z, sl_node *th, sl_node **Q, sl_node **P)
{
    sl_node *q1 = col(g, z, 0), *q2 = col(g, z, 1), *p1 = col(g, z, 2), *p2 = col(g, z, 3);
    sl_node *c[4];
    for (int k = 0; k < 4; ++k) c[k] = sl_graph_slice(g, th, 0, k, k + 1, 1);
    sl_node *qs[2] = {sl_graph_add(g, q1, sl_graph_mul(g, c[0], sl_graph_square(g, p2))), sl_graph_mul(g, c[1], q2)};
    sl_node *ps[2] = {sl_graph_mul(g, p1, c[2]), sl_graph_add(g, p2, sl_graph_mul(g, c[3], sl_graph_mul(g, q1, q2)))};
    *Q = sl_graph_concat(g, 2, qs, 1);
    *P = sl_graph_concat(g, 2, ps, 1);
}

static sl_node *build_poisson(sl_graph *g, sl_node **x)
{
    sl_node *Q, *P;
    param_map(g, x[0], x[1], &Q, &P);
    return sl_loss_poisson(g, Q, P, x[0]);
}

static sl_node *build_hqp(sl_graph *g, sl_node **x)
{
    sl_node *Q, *P;
    param_map(g, x[0], x[1], &Q, &P);
    sl_node *zd = sl_graph_constant(g, SL_F64, 2, (int64_t[]){3, 4}, zdot_fixed);
    sl_node *H = sl_graph_add(g, sl_graph_mul(g, sl_graph_square(g, col(g, P, 0)), sl_graph_slice(g, x[1], 0, 0, 1, 1)),
                              sl_graph_mul(g, col(g, Q, 1), col(g, P, 1)));
    return sl_loss_hqp(g, H, Q, P, x[0], zd, 1, 0.7);
}

static sl_node *build_bracket(sl_graph *g, sl_node **x)
{
    sl_node *Q, *P;
    param_map(g, x[0], x[1], &Q, &P);
    return sl_poisson_bracket(g, Q, P, x[0]);
}

static void test_derivatives(void)
{
    fd_spec s = {2, {SL_F64, SL_F64}, {2, 2}, {{3, 2}, {3, 2}}, 0.3, 2.0, 3, 1e-6};
    fdcheck("atan2 (first quadrant), 3rd order", &s, build_atan2);
    s.lo = -2.0, s.hi = -0.3;
    fdcheck("atan2 (third quadrant), 3rd order", &s, build_atan2);
    fd_spec sb = {2, {SL_F64, SL_F64}, {2, 1}, {{3, 2}, {2}}, 0.3, 2.0, 2, 1e-6};
    fdcheck("atan2 broadcast", &sb, build_atan2_bcast);
    fd_spec sl = {2, {SL_F64, SL_F64}, {2, 1}, {{3, 4}, {4}}, 0.3, 1.5, 2, 1e-6};
    fdcheck("sl_loss_hnn (with D) in z and theta", &sl, build_hnn);
    fdcheck("sl_loss_poisson in z and theta", &sl, build_poisson);
    fdcheck("sl_loss_hqp in z and theta", &sl, build_hqp);
    fdcheck("sl_poisson_bracket in z and theta", &sl, build_bracket);
}

static void test_field_and_hnn(void)
{
    double z[B * 4], zdot[B * 4];
    points(7, B, 4, z);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *Z = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 4}, "z");
    sl_node *Zd = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 4}, "zdot");
    /* H = (|q|^2 + |p|^2) / 2 as (B): the field is (p, -q); D = -(g/2) p1^2 adds (0, 0, -g p1, 0) */
    int ax = 1;
    sl_node *H = sl_graph_mul_scalar(g, sl_graph_sum_axes(g, sl_graph_square(g, Z), 1, &ax, 0), 0.5);
    sl_node *D = sl_graph_mul_scalar(g, sl_graph_square(g, col(g, Z, 2)), -0.15);
    sl_node *F = sl_hamiltonian_field(g, H, NULL, Z), *FD = sl_hamiltonian_field(g, H, D, Z);
    for (int i = 0; i < B; ++i) {
        const double *r = z + 4 * i;
        double *d = zdot + 4 * i;
        d[0] = r[2], d[1] = r[3], d[2] = -r[0], d[3] = -r[1];
    }
    sl_node *outs[2] = {F, FD};
    sl_plan *p = NULL;
    CHECK(sl_plan_create(g, 2, outs, &p) == SL_OK, "field plan: %s", sl_ctx_errmsg(ctx));
    sl_plan_bind(p, Z, z);
    sl_plan_run(p);
    const double *f = sl_plan_output(p, 0), *fd = sl_plan_output(p, 1);
    double e = 0, ed = 0;
    for (int i = 0; i < B * 4; ++i) {
        e = fmax(e, fabs(f[i] - zdot[i]));
        double want = zdot[i] + ((i % 4) == 2 ? -0.3 * z[i] : 0.0);
        ed = fmax(ed, fabs(fd[i] - want));
    }
    CHECK(e == 0, "oscillator field (p, -q) exactly: max error %.3g", e);
    CHECK(ed < 1e-15, "dissipative field adds grad D: max error %.3g", ed);
    sl_plan_destroy(p);

    sl_node *loss = sl_loss_hnn(g, H, NULL, Z, Zd);
    double l0 = eval(g, loss, Z, z, Zd, zdot);
    CHECK(l0 == 0, "HNN loss of the exact Hamiltonian: %.3g", l0);
    /* zdot off by delta_b in qdot_1: loss = mean(delta^2) */
    double zp[B * 4], want = 0;
    memcpy(zp, zdot, sizeof zp);
    for (int i = 0; i < B; ++i) {
        double dl = 0.01 * (i % 7) - 0.03;
        zp[4 * i] += dl;
        want += dl * dl / B;
    }
    double l1 = eval(g, loss, Z, z, Zd, zp);
    CHECK(fabs(l1 - want) <= 1e-15 * want + 1e-18, "HNN loss of a shifted zdot: %.17g vs %.17g", l1, want);
    /* (B, 1) H gives the same */
    sl_node *H1 = sl_graph_reshape(g, H, 2, (int64_t[]){B, 1});
    double l2 = eval(g, sl_loss_hnn(g, H1, NULL, Z, Zd), Z, z, Zd, zp);
    CHECK(l2 == l1, "H as (B, 1) equals H as (B): %.17g vs %.17g", l2, l1);
    sl_graph_destroy(g);
}

static void test_brackets_and_poisson(void)
{
    double z[B * 4];
    points(11, B, 4, z);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *Z = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 4}, "z");
    sl_node *Q, *P;
    polar(g, Z, &Q, &P);
    /* {x, L} = -y, {y, L} = x; {L, H} = 0 for the Kepler H */
    sl_node *xy = sl_graph_slice(g, Z, 1, 0, 2, 1);
    sl_node *L = col(g, P, 0);
    sl_node *br = sl_poisson_bracket(g, xy, L, Z);                  /* (B, 2, 1) */
    int ax = 1;
    sl_node *H = sl_graph_sub(g, sl_graph_mul_scalar(g, sl_graph_sum_axes(g, sl_graph_square(g, sl_graph_slice(g, Z, 1, 2, 4, 1)), 1, &ax, 0), 0.5),
                              sl_graph_div(g, sl_graph_scalar(g, 1.0), sl_graph_reshape(g, col(g, Q, 1), 1, (int64_t[]){B})));
    sl_node *LH = sl_poisson_bracket(g, L, H, Z);                    /* (B, 1, 1) */
    sl_node *all = sl_poisson_bracket(g, Q, P, Z);                   /* (B, 2, 2) */
    sl_node *outs[3] = {br, LH, all};
    sl_plan *p = NULL;
    CHECK(sl_plan_create(g, 3, outs, &p) == SL_OK, "bracket plan: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_node_rank(br) == 3 && sl_node_dim(br, 1) == 2 && sl_node_dim(br, 2) == 1, "bracket shape (B, 2, 1)");
    sl_plan_bind(p, Z, z);
    sl_plan_run(p);
    const double *b = sl_plan_output(p, 0), *lh = sl_plan_output(p, 1), *qp = sl_plan_output(p, 2);
    double e = 0, elh = 0, eqp = 0;
    for (int i = 0; i < B; ++i) {
        e = fmax(e, fmax(fabs(b[2 * i] + z[4 * i + 1]), fabs(b[2 * i + 1] - z[4 * i])));
        elh = fmax(elh, fabs(lh[i]));
        for (int a = 0; a < 4; ++a) eqp = fmax(eqp, fabs(qp[4 * i + a] - (a == 0 || a == 3 ? 1.0 : 0.0)));
    }
    CHECK(e < 1e-15, "{x, L} = -y and {y, L} = x: max error %.3g", e);
    CHECK(elh < 1e-13, "{L, H} = 0 for a central potential: max %.3g", elh);
    CHECK(eqp < 1e-13, "{Q_i, P_j} = delta_ij for polar coordinates: max error %.3g", eqp);
    sl_plan_destroy(p);

    double lp = eval(g, sl_loss_poisson(g, Q, P, Z), Z, z, NULL, NULL);
    printf("Poisson loss of the polar map %.3g; max |{Q_i, P_j} - delta_ij| %.3g; max |{L, H}| %.3g\n", lp, eqp, elh);
    CHECK(lp < 1e-24, "Poisson loss of the polar map: %.3g (< 1e-24, i.e. residuals < 1e-12)", lp);
    /* Q = 2q, P = p (n = 1 on the first pair of z): {Q, P} = 2, loss 1 */
    sl_node *Z2 = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 2}, "z2");
    double z2[B * 2];
    points(13, B, 2, z2);
    sl_node *Q2 = sl_graph_mul_scalar(g, col(g, Z2, 0), 2.0), *P2 = col(g, Z2, 1);
    double l2 = eval(g, sl_loss_poisson(g, Q2, P2, Z2), Z2, z2, NULL, NULL);
    CHECK(fabs(l2 - 1.0) < 1e-15, "Poisson loss of Q = 2q, P = p: %.17g (1)", l2);
    /* P = (p1, p2 + q1): {P1, P2} = -1, loss 1 */
    sl_node *ps[2] = {col(g, Z, 2), sl_graph_add(g, col(g, Z, 3), col(g, Z, 0))};
    sl_node *P3 = sl_graph_concat(g, 2, ps, 1);
    double l3 = eval(g, sl_loss_poisson(g, sl_graph_slice(g, Z, 1, 0, 2, 1), P3, Z), Z, z, NULL, NULL);
    CHECK(fabs(l3 - 1.0) < 1e-15, "Poisson loss with {P1, P2} = -1: %.17g (1)", l3);
    sl_graph_destroy(g);
}

static void test_hqp(void)
{
    double z[B * 4], zdot[B * 4];
    points(17, B, 4, z);
    kepler_zdot(z, zdot, B, 1.0);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *Z = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 4}, "z");
    sl_node *Zd = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 4}, "zdot");
    sl_node *Q, *P;
    polar(g, Z, &Q, &P);
    sl_node *exact = sl_loss_hqp(g, kepler_polar(g, Q, P, 1.0), Q, P, Z, Zd, 1, 1.0);
    sl_node *wrong = sl_loss_hqp(g, kepler_polar(g, Q, P, 1.1), Q, P, Z, Zd, 1, 1.0);
    sl_node *nocyc = sl_loss_hqp(g, kepler_polar(g, Q, P, 1.0), Q, P, Z, Zd, 0, 1.0);
    double le = eval(g, exact, Z, z, Zd, zdot), lw = eval(g, wrong, Z, z, Zd, zdot);
    double ln = eval(g, nocyc, Z, z, Zd, zdot);
    printf("HQP loss: exact %.3g, no cyclic %.3g, wrong L^2 term %.3g\n", le, ln, lw);
    CHECK(le < 1e-24, "HQP loss of Kepler in polar coordinates, theta cyclic: %.3g", le);
    CHECK(ln < 1e-24, "the same with no coordinate declared cyclic: %.3g", ln);
    CHECK(lw > 1e-4, "HQP loss with a wrong centrifugal term is clearly above: %.3g", lw);
    /* declaring r cyclic is wrong: p_r is not conserved */
    sl_node *Qs[2] = {col(g, Q, 1), col(g, Q, 0)}, *Ps[2] = {col(g, P, 1), col(g, P, 0)};
    sl_node *Qr = sl_graph_concat(g, 2, Qs, 1), *Pr = sl_graph_concat(g, 2, Ps, 1);
    sl_node *Hr = kepler_polar(g, sl_graph_concat(g, 2, (sl_node *[]){col(g, Qr, 1), col(g, Qr, 0)}, 1),
                               sl_graph_concat(g, 2, (sl_node *[]){col(g, Pr, 1), col(g, Pr, 0)}, 1), 1.0);
    double lr = eval(g, sl_loss_hqp(g, Hr, Qr, Pr, Z, Zd, 1, 1.0), Z, z, Zd, zdot);
    CHECK(lr > 1e-3, "declaring r cyclic gives a clear loss (p_r is not conserved): %.3g", lr);
    sl_graph_destroy(g);
}

/* A failing call: NULL, the graph's status, a message naming the call. */
static void expect_fail(sl_graph *g, sl_node *r, sl_status want, const char *who)
{
    const char *m = sl_ctx_errmsg(ctx);
    CHECK(r == NULL && sl_graph_status(g) == want && strstr(m, who) == m, "%s: want %s, got %s (%s)", who,
          sl_status_string(want), sl_status_string(sl_graph_status(g)), m);
}

static void test_bad_input(void)
{
    int64_t s4[2] = {B, 4}, s3[2] = {B, 3}, s1[1] = {B}, s42[2] = {B + 1, 4};
    struct {
        int kind;   /* 0 field, 1 hnn, 2 poisson, 3 hqp, 4 bracket */
        const char *who;
        sl_status want;
        int zbad, zdbad, hbad, ncyc;
        double beta;
    } cases[] = {
        {0, "sl_hamiltonian_field", SL_ERR_SHAPE, 1, 0, 0, 0, 1},
        {0, "sl_hamiltonian_field", SL_ERR_SHAPE, 0, 0, 1, 0, 1},
        {1, "sl_loss_hnn", SL_ERR_SHAPE, 0, 1, 0, 0, 1},
        {1, "sl_loss_hnn", SL_ERR_SHAPE, 2, 0, 0, 0, 1},
        {1, "sl_loss_hnn", SL_ERR_SHAPE, 0, 0, 1, 0, 1},
        {2, "sl_loss_poisson", SL_ERR_SHAPE, 1, 0, 0, 0, 1},
        {2, "sl_loss_poisson", SL_ERR_SHAPE, 0, 0, 1, 0, 1},
        {3, "sl_loss_hqp", SL_ERR_ARG, 0, 0, 0, -1, 1},
        {3, "sl_loss_hqp", SL_ERR_ARG, 0, 0, 0, 3, 1},
        {3, "sl_loss_hqp", SL_ERR_ARG, 0, 0, 0, 1, NAN},
        {3, "sl_loss_hqp", SL_ERR_ARG, 0, 0, 0, 1, -1},
        {3, "sl_loss_hqp", SL_ERR_SHAPE, 0, 1, 0, 1, 1},
        {3, "sl_loss_hqp", SL_ERR_SHAPE, 0, 0, 1, 1, 1},
        {4, "sl_poisson_bracket", SL_ERR_SHAPE, 1, 0, 0, 0, 1},
        {4, "sl_poisson_bracket", SL_ERR_SHAPE, 0, 0, 1, 0, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        sl_graph *g;
        sl_graph_create(ctx, &g);
        sl_node *Z = sl_graph_input(g, SL_F64, cases[c].zbad == 2 ? 1 : 2, cases[c].zbad == 1 ? s3 : cases[c].zbad == 2 ? s1 : s4, "z");
        sl_node *Zok = sl_graph_input(g, SL_F64, 2, s4, "zok");
        sl_node *Zd = sl_graph_input(g, SL_F64, 2, cases[c].zdbad ? s42 : s4, "zdot");
        sl_node *H = cases[c].hbad ? sl_graph_input(g, SL_F64, 2, s42, "H") : sl_graph_sum_axes(g, Zok, 1, (int[]){1}, 0);
        sl_node *Q = cases[c].hbad ? sl_graph_input(g, SL_F64, 2, s3, "Q") : sl_graph_slice(g, Zok, 1, 0, 2, 1);
        sl_node *P = sl_graph_slice(g, Zok, 1, 2, 4, 1);
        sl_node *Zuse = cases[c].zbad ? Z : Zok;
        sl_node *r = NULL;
        switch (cases[c].kind) {
        case 0: r = sl_hamiltonian_field(g, H, NULL, Zuse); break;
        case 1: r = sl_loss_hnn(g, H, NULL, Zuse, Zd); break;
        case 2: r = sl_loss_poisson(g, Q, P, Zuse); break;
        case 3: r = sl_loss_hqp(g, H, Q, P, Zok, Zd, cases[c].ncyc, cases[c].beta); break;
        case 4: r = sl_poisson_bracket(g, cases[c].hbad ? H : Q, P, Zuse); break;
        }
        expect_fail(g, r, cases[c].want, cases[c].who);
        sl_graph_destroy(g);
    }
    /* NULL arguments */
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *Z = sl_graph_input(g, SL_F64, 2, s4, "z");
    expect_fail(g, sl_loss_hnn(g, NULL, NULL, Z, Z), SL_ERR_NULL, "sl_loss_hnn");
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    Z = sl_graph_input(g, SL_F64, 2, s4, "z");
    expect_fail(g, sl_loss_poisson(g, Z, NULL, Z), SL_ERR_NULL, "sl_loss_poisson");
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    Z = sl_graph_input(g, SL_F64, 2, s4, "z");
    expect_fail(g, sl_graph_atan2(g, Z, sl_graph_complex(g, Z, Z)), SL_ERR_DTYPE, "sl_graph_atan2");
    sl_graph_destroy(g);
    CHECK(sl_loss_hqp(NULL, NULL, NULL, NULL, NULL, NULL, 0, 1) == NULL, "NULL graph");
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_atan2();
    test_derivatives();
    test_field_and_hnn();
    test_brackets_and_poisson();
    test_hqp();
    test_bad_input();
    sl_ctx_destroy(ctx);
    return check_done();
}
