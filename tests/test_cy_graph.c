/* The Calabi-Yau losses as graph functions (include/symlearn/cy.h): the
 * phi-model's metric, Monge-Ampere and transition losses and their weight
 * gradient built from sl_cy_graph_* against the hand-written jet kernel
 * (sl_cy_model_metric, sl_cy_model_loss_grad) to 1e-10; Kahler loss of the
 * phi-model ~ 0 (note A5.6) and of FS + d dbar (sum |z_i|^4 / |z|^4) (A5.11),
 * a non-closed form as negative control; J(x) from the polynomial against
 * sl_cy_points_jacobian; the Ricci scalar independent of the elimination
 * coordinate (a scalar); the metric transition loss; bad input. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "symlearn.h"

typedef double complex cplx;
enum { NA = 5, D = 3, NT = 3, H = 12 };

static sl_ctx *ctx;

/* (Re z, Im z) rows and the transition points z / z_p' (p' not patch, elim, ascending) */
static void make_x(const sl_cy_points *p, int64_t n, double *x, double *xt, int *patch, int *elim)
{
    cplx *z = malloc(sizeof(cplx) * (size_t)(n * NA));
    sl_cy_points_coords(p, (double *)z);
    sl_cy_points_charts(p, patch, elim);
    for (int64_t i = 0; i < n; i++) {
        for (int j = 0; j < NA; j++) x[i * 2 * NA + j] = creal(z[i * NA + j]), x[i * 2 * NA + NA + j] = cimag(z[i * NA + j]);
        int q = 0;
        for (int pp = 0; pp < NA; pp++) {
            if (pp == patch[i] || pp == elim[i]) continue;
            double *r = xt + (i * NT + q) * 2 * NA;
            for (int j = 0; j < NA; j++) {
                cplx u = z[i * NA + j] / z[i * NA + pp];
                r[j] = creal(u), r[NA + j] = cimag(u);
            }
            r[pp] = 1, r[NA + pp] = 0;
            q++;
        }
    }
    free(z);
}

/* (1/pi) log |z|^2 of x (B, 2 NA) as (B) */
static sl_node *fs_potential(sl_graph *g, sl_node *x)
{
    int ax = 1;
    return sl_graph_mul_scalar(g, sl_graph_log(g, sl_graph_sum_axes(g, sl_graph_square(g, x), 1, &ax, 0)), 1 / M_PI);
}

static double maxabs(const double *a, int64_t n)
{
    double m = 0;
    for (int64_t i = 0; i < n; i++) m = fmax(m, fabs(a[i]));
    return m;
}

int main(void)
{
    sl_ctx_opts co;
    sl_ctx_opts_init(&co);
    co.seed = 3;
    CHECK(sl_ctx_create(&ctx, &co) == SL_OK, "ctx");
    sl_cy_variety *v = NULL;
    CHECK(sl_cy_variety_quintic(ctx, 0.5, 0, &v) == SL_OK, "Dwork psi = 0.5");
    const int64_t B = 48;
    sl_cy_points *p = NULL;
    CHECK(sl_cy_sample(v, B, 7, &p) == SL_OK, "sample");

    /* a phi-model with generic weights (biases nonzero) */
    sl_cy_model_opts mo;
    sl_cy_model_opts_init(&mo);
    mo.width = H;
    sl_cy_model *m = NULL;
    CHECK(sl_cy_model_create(v, &mo, &m) == SL_OK, "model");
    const int64_t nw = sl_cy_model_nweights(m);
    double *w = malloc(sizeof(double) * (size_t)nw), *wr = malloc(sizeof(double) * (size_t)nw);
    sl_cy_model_get_weights(m, w);
    sl_rng_fill_uniform(99, 0, (size_t)nw, -0.3, 0.3, wr);
    for (int64_t k = 0; k < nw; k++) w[k] += wr[k];
    sl_cy_model_set_weights(m, w);

    double *x = malloc(sizeof(double) * (size_t)(B * 2 * NA)), *xt = malloc(sizeof(double) * (size_t)(B * NT * 2 * NA));
    int patch[64], elim[64];
    make_x(p, B, x, xt, patch, elim);
    double *jac = malloc(sizeof(double) * (size_t)(B * D * NA * 2)), om2[64];
    sl_cy_points_jacobian(p, jac);
    sl_cy_points_omega2(p, om2);
    const double kappa = sl_cy_points_kappa(p);

    /* ---- the graph: phi-model metric, losses, gradient ---- */
    sl_graph *g = NULL;
    CHECK(sl_graph_create(ctx, &g) == SL_OK, "graph");
    sl_node *X = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 2 * NA}, "x");
    sl_node *XT = sl_graph_input(g, SL_F64, 3, (int64_t[]){B, NT, 2 * NA}, "xt");
    sl_node *J = sl_graph_input(g, SL_C128, 3, (int64_t[]){B, D, NA}, "J");
    sl_node *OM = sl_graph_input(g, SL_F64, 1, (int64_t[]){B}, "omega2");
    sl_mlp_opts op;
    sl_mlp_opts_init(&op);
    op.nlayers = 4;
    op.widths[0] = 2 * NA, op.widths[1] = op.widths[2] = op.widths[3] = H, op.widths[4] = 1;
    op.activation = SL_ACT_GELU;
    sl_mlp *net = NULL;
    CHECK(sl_mlp_create(g, &op, &net) == SL_OK, "mlp");
    {   /* the model's layout W1 b1 .. W4 (no last bias) plus b4 = 0 */
        double *wm = calloc((size_t)sl_mlp_nweights(net), sizeof(double));
        memcpy(wm, w, sizeof(double) * (size_t)nw);
        CHECK(sl_mlp_nweights(net) == nw + 1, "mlp weights %lld vs %lld + 1", (long long)sl_mlp_nweights(net), (long long)nw);
        sl_mlp_set_weights(net, wm);
        free(wm);
    }
    sl_node *phi = sl_graph_reshape(g, sl_mlp_apply(net, X), 1, (int64_t[]){B});
    sl_node *phit = sl_graph_reshape(g, sl_mlp_apply(net, XT), 2, (int64_t[]){B, NT});
    sl_node *G = sl_cy_graph_ddbar(g, sl_graph_add(g, fs_potential(g, X), phi), X);
    sl_node *gm = sl_cy_graph_pullback(g, J, G);
    sl_node *det = sl_cy_graph_det(g, gm);
    sl_node *ma = sl_cy_graph_loss_ma(g, gm, OM, kappa);
    sl_node *tr = sl_cy_graph_loss_transition_phi(g, phi, phit, NA, D);
    sl_node *loss = sl_graph_mean(g, sl_graph_add(g, ma, tr));
    sl_node *const *params;
    int np = sl_mlp_params(net, &params);
    sl_node *grads[16];
    CHECK(np <= 16 && sl_graph_grad(g, loss, np, params, grads) == SL_OK, "grad: %s", sl_ctx_errmsg(ctx));
    sl_node *kah = sl_cy_graph_loss_kahler(g, gm, X, J);
    /* A5.11: FS + d dbar (sum |z_i|^4 / |z|^4), and a non-closed form |z_0|^2 g_FS */
    sl_node *r2, *s4;
    {
        int ax = 1;
        sl_node *zz = sl_graph_square(g, X);
        sl_node *m2 = sl_graph_add(g, sl_graph_slice(g, zz, 1, 0, NA, 1), sl_graph_slice(g, zz, 1, NA, 2 * NA, 1));
        r2 = sl_graph_sum_axes(g, m2, 1, &ax, 0);
        s4 = sl_graph_div(g, sl_graph_sum_axes(g, sl_graph_square(g, m2), 1, &ax, 0), sl_graph_square(g, r2));
    }
    sl_node *Gt = sl_cy_graph_ddbar(g, sl_graph_add(g, fs_potential(g, X), s4), X);
    sl_node *kah11 = sl_cy_graph_loss_kahler(g, sl_cy_graph_pullback(g, J, Gt), X, J);
    sl_node *z0 = sl_graph_add(g, sl_graph_square(g, sl_graph_slice(g, X, 1, 0, 1, 1)),
                               sl_graph_square(g, sl_graph_slice(g, X, 1, NA, NA + 1, 1)));   /* (B, 1) */
    sl_node *Gbad = sl_graph_mul(g, sl_cy_graph_ddbar(g, fs_potential(g, X), X),
                                 sl_graph_reshape(g, sl_graph_complex(g, z0, sl_graph_mul_scalar(g, z0, 0)), 3,
                                                  (int64_t[]){B, 1, 1}));
    sl_node *kbad = sl_cy_graph_loss_kahler(g, sl_cy_graph_pullback(g, J, Gbad), X, J);
    /* J(x) from the polynomial; Ricci scalar of the FS metric through it */
    sl_node *Jx = sl_cy_graph_jacobian(g, v, X, patch, elim);
    sl_node *gfs = sl_cy_graph_pullback(g, Jx, sl_cy_graph_ddbar(g, fs_potential(g, X), X));
    sl_node *ric = sl_cy_graph_ricci_scalar(g, gfs, X, Jx);
    CHECK(sl_graph_status(g) == SL_OK, "graph built: %s", sl_ctx_errmsg(ctx));

    sl_node *outs[32] = {loss, det, kah, kah11, kbad, Jx, ric, gm};
    int nout = 8;
    for (int i = 0; i < np; i++) outs[nout++] = grads[i];
    sl_plan *plan = NULL;
    CHECK(sl_plan_create(g, nout, outs, &plan) == SL_OK, "plan: %s", sl_ctx_errmsg(ctx));
    sl_plan_bind(plan, X, x), sl_plan_bind(plan, XT, xt), sl_plan_bind(plan, J, jac), sl_plan_bind(plan, OM, om2);
    CHECK(sl_plan_run(plan) == SL_OK, "run: %s", sl_ctx_errmsg(ctx));

    /* jet kernel */
    double ref_loss, *ref_grad = malloc(sizeof(double) * (size_t)nw), ref_det[64];
    double *ref_g = malloc(sizeof(double) * (size_t)(B * D * D * 2));
    CHECK(sl_cy_model_loss_grad(m, p, &ref_loss, ref_grad) == SL_OK, "loss_grad");
    CHECK(sl_cy_model_metric(m, p, ref_g, ref_det) == SL_OK, "metric");
    const double gl = sl_plan_scalar(plan, 0);
    CHECK(fabs(gl - ref_loss) <= 1e-10 * fabs(ref_loss), "loss graph %.17g jet %.17g", gl, ref_loss);
    double ed = 0, eg = 0;
    const double *gd = sl_plan_output(plan, 1), *gg = sl_plan_output(plan, 7);
    for (int64_t i = 0; i < B; i++) ed = fmax(ed, fabs(gd[i] - ref_det[i]) / fabs(ref_det[i]));
    for (int64_t i = 0; i < B * D * D * 2; i++) eg = fmax(eg, fabs(gg[i] - ref_g[i]));
    eg /= maxabs(ref_g, B * D * D * 2);
    CHECK(ed < 1e-10 && eg < 1e-10, "det rel err %.2e, g rel err %.2e", ed, eg);
    /* gradient: the graph's params W1 b1 .. W4 b4 against the flat jet gradient */
    double eG = 0, *flat = calloc((size_t)nw + 1, sizeof(double));
    {
        int64_t off = 0;
        for (int i = 0; i < np; i++) {
            int64_t cnt = sl_node_numel(params[i]);
            memcpy(flat + off, sl_plan_output(plan, 8 + i), sizeof(double) * (size_t)cnt);
            off += cnt;
        }
        for (int64_t k = 0; k < nw; k++) eG = fmax(eG, fabs(flat[k] - ref_grad[k]));
        eG /= maxabs(ref_grad, nw);
    }
    CHECK(eG < 1e-10, "weight gradient graph vs jet: rel err %.2e", eG);
    printf("  graph vs jet kernel (Dwork psi = 0.5, %lld points, 3 x %d GELU): loss %.3e, det %.2e, g %.2e, "
           "gradient %.2e (relative)\n", (long long)B, H, fabs(gl - ref_loss) / ref_loss, ed, eg, eG);

    double k_phi = maxabs(sl_plan_output(plan, 2), B), k11 = maxabs(sl_plan_output(plan, 3), B);
    double kb = maxabs(sl_plan_output(plan, 4), B);
    CHECK(k_phi < 1e-20, "A5.6 phi-model Kahler loss %.2e", k_phi);
    CHECK(k11 < 1e-20, "A5.11 FS + d dbar(sum |z|^4/|z|^4) Kahler loss %.2e", k11);
    CHECK(kb > 1e-4, "non-closed |z_0|^2 g_FS Kahler loss %.2e (must not vanish)", kb);
    printf("  A5.6 / A5.11 Kahler loss sum |c_ijk - c_kji|^2: phi-model max %.2e, FS + d dbar(sum|z|^4/|z|^4) max "
           "%.2e; non-closed |z_0|^2 g_FS %.2e\n", k_phi, k11, kb);

    double ej = 0;
    const double *jx = sl_plan_output(plan, 5);
    for (int64_t i = 0; i < B * D * NA * 2; i++) ej = fmax(ej, fabs(jx[i] - jac[i]));
    CHECK(ej < 1e-13, "J(x) from the polynomial vs sl_cy_points_jacobian: %.2e", ej);

    /* Ricci scalar: the same with the second-best elimination coordinate */
    double ric1[64];
    memcpy(ric1, sl_plan_output(plan, 6), sizeof(double) * (size_t)B);
    {
        int elim2[64];
        cplx *z = malloc(sizeof(cplx) * (size_t)(B * NA));
        sl_cy_points_coords(p, (double *)z);
        for (int64_t i = 0; i < B; i++) {
            double best = -1;
            elim2[i] = -1;
            for (int j = 0; j < NA; j++) {
                if (j == patch[i] || j == elim[i]) continue;
                cplx dq;
                /* dQ/dz_j of sum z^5 + psi prod z */
                cplx pr = 0.5;
                for (int l = 0; l < NA; l++)
                    if (l != j) pr *= z[i * NA + l];
                dq = 5 * cpow(z[i * NA + j], 4) + pr;
                if (cabs(dq) > best) best = cabs(dq), elim2[i] = j;
            }
        }
        sl_graph *g2 = NULL;
        sl_graph_create(ctx, &g2);
        sl_node *X2 = sl_graph_input(g2, SL_F64, 2, (int64_t[]){B, 2 * NA}, "x");
        sl_node *J2 = sl_cy_graph_jacobian(g2, v, X2, patch, elim2);
        sl_node *ric2 = sl_cy_graph_ricci_scalar(g2, sl_cy_graph_pullback(g2, J2, sl_cy_graph_ddbar(g2, fs_potential(g2, X2), X2)),
                                                 X2, J2);
        sl_plan *p2 = NULL;
        CHECK(sl_plan_create(g2, 1, &ric2, &p2) == SL_OK, "plan 2: %s", sl_ctx_errmsg(ctx));
        sl_plan_bind(p2, X2, x);
        CHECK(sl_plan_run(p2) == SL_OK, "run 2");
        const double *r2v = sl_plan_output(p2, 0);
        double er = 0, rmax = 0;
        for (int64_t i = 0; i < B; i++) er = fmax(er, fabs(r2v[i] - ric1[i])), rmax = fmax(rmax, fabs(ric1[i]));
        CHECK(er < 1e-8 * rmax && rmax > 1e-3, "Ricci scalar of g_FS, elim vs 2nd-best elim: %.2e (max |R| %.3g)", er, rmax);
        printf("  Ricci scalar of g_FS (through J(x)): max |R| %.4g, elimination-coordinate independence %.2e\n", rmax, er);
        sl_plan_destroy(p2);
        sl_graph_destroy(g2);
        free(z);
    }

    /* metric transition loss: mt = T m T^dagger gives 0, a perturbed mt does not */
    {
        sl_graph *g3 = NULL;
        sl_graph_create(ctx, &g3);
        const int64_t b = 4;
        double mv[4 * 9 * 2], Tv[4 * 2 * 9 * 2];
        sl_rng_fill_normal(5, 0, sizeof mv / sizeof *mv, 0, 1, mv);
        sl_rng_fill_normal(6, 0, sizeof Tv / sizeof *Tv, 0, 1, Tv);
        sl_node *M = sl_graph_constant(g3, SL_C128, 3, (int64_t[]){b, D, D}, mv);
        sl_node *T = sl_graph_constant(g3, SL_C128, 4, (int64_t[]){b, 2, D, D}, Tv);
        sl_node *Mt = sl_graph_matmul_ex(g3, sl_graph_matmul(g3, T, sl_graph_reshape(g3, M, 4, (int64_t[]){b, 1, D, D})),
                                         SL_OP_N, T, SL_OP_H);
        sl_node *l0 = sl_graph_sum(g3, sl_cy_graph_loss_transition(g3, M, Mt, T, 4));
        sl_node *l1 = sl_graph_sum(g3, sl_cy_graph_loss_transition(g3, M, sl_graph_add_scalar(g3, Mt, 0.1), T, 4));
        sl_node *o3[2] = {l0, l1};
        sl_plan *p3 = NULL;
        CHECK(sl_plan_create(g3, 2, o3, &p3) == SL_OK, "plan 3: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_plan_run(p3) == SL_OK, "run 3");
        CHECK(sl_plan_scalar(p3, 0) < 1e-13 && sl_plan_scalar(p3, 1) > 0.05, "transition loss %.2e (0), %.3g (perturbed)",
              sl_plan_scalar(p3, 0), sl_plan_scalar(p3, 1));
        /* bad input: a metric of the wrong shape, kappa <= 0 */
        sl_node *bad = sl_cy_graph_det(g3, T);
        CHECK(!bad && sl_graph_status(g3) == SL_ERR_SHAPE && strstr(sl_ctx_errmsg(ctx), "sl_cy_graph_det"),
              "det of (B, m, d, d): %s", sl_ctx_errmsg(ctx));
        sl_plan_destroy(p3);
        sl_graph_destroy(g3);
        sl_graph *g4 = NULL;
        sl_graph_create(ctx, &g4);
        sl_node *M4 = sl_graph_constant(g4, SL_C128, 3, (int64_t[]){b, D, D}, mv);
        sl_node *o4 = sl_graph_constant(g4, SL_F64, 1, (int64_t[]){b}, mv);
        CHECK(!sl_cy_graph_loss_ma(g4, M4, o4, -1) && sl_graph_status(g4) == SL_ERR_ARG &&
                  strstr(sl_ctx_errmsg(ctx), "sl_cy_graph_loss_ma: kappa"),
              "kappa -1: %s", sl_ctx_errmsg(ctx));
        sl_graph_destroy(g4);
    }

    free(flat), free(ref_grad), free(ref_g), free(jac), free(x), free(xt), free(w), free(wr);
    sl_plan_destroy(plan);
    sl_graph_destroy(g);
    sl_cy_model_destroy(m);
    sl_cy_points_destroy(p);
    sl_cy_variety_destroy(v);
    sl_ctx_destroy(ctx);
    return check_done();
}
