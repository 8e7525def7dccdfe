/* Symmetry control with a learned canonical map (Krippendorf & Syvaeri,
 * arXiv 2104.14444): a network T maps z = (x, y, px, py) of the 2D isotropic
 * oscillator H = (px^2 + py^2 + x^2 + y^2)/2 to (Q1, Q2, P1, P2), a second
 * network H_phi(Q2, P1, P2) is the Hamiltonian in the new coordinates (Q1 is
 * not an input: it is meant to be cyclic), and both are trained on
 *     sl_loss_poisson(Q, P, z) + sl_loss_hqp(H_phi, Q, P, z, zdot, 1, beta)
 * (Poisson loss: {Q_i, P_j} = delta_ij, {Q_i, Q_j} = {P_i, P_j} = 0; HQP
 * loss: Pdot_1 = 0, Qdot = dH_phi/dP, Pdot_2 = -dH_phi/dQ2 along the true
 * zdot), Adam then L-BFGS.  Checked on held-out points (another sample of
 * the box): the Poisson loss, and how cyclic Q1 is, by the relative rate
 * |dP1/dt| / (|grad P1| |zdot|) of its momentum (0 for a conserved P1; the
 * identity map, P1 = px, has median 0.72 on the same points).  The box is
 * the patch x in [0.5, 1.5], y, px, py in [-1, 1]: away from x = 0, where
 * the polar map (Q1 = atan(y/x), P1 = L = x py - y px) is smooth.
 * Usage: build/examples/hqp_oscillator [seed] [adam steps] [lbfgs iterations].
 * Returns nonzero when the held-out median rate is above 1e-2 or the Poisson
 * loss above 1e-3.  Build: make examples. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

enum { B = 512, BT = 1024, N = 2, D = 4, W = 32 };

static int field(void *user, double t, const double *z, double *zd, int64_t d)
{
    (void)user, (void)t, (void)d;
    zd[0] = z[2], zd[1] = z[3], zd[2] = -z[0], zd[3] = -z[1];
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static sl_mlp *mlp(sl_graph *g, int64_t in, int64_t out, uint64_t seed)
{
    sl_mlp_opts o;
    sl_mlp_opts_init(&o);
    o.nlayers = 3;
    o.widths[0] = in, o.widths[1] = W, o.widths[2] = W, o.widths[3] = out;
    o.activation = SL_ACT_TANH;
    o.seed = seed;
    sl_mlp *net = NULL;
    sl_mlp_create(g, &o, &net);
    return net;
}

/* (Q, P) = T(z) and H_phi(Q2, P1, P2) on the batch z (rows), the loss; gP1 the gradient of P1 in z. */
static sl_node *model(sl_graph *g, sl_mlp *T, sl_mlp *Hn, sl_node *z, sl_node *zd, double beta, sl_node **poisson, sl_node **gP1)
{
    sl_node *qp = sl_mlp_apply(T, z);
    sl_node *Q = sl_graph_slice(g, qp, 1, 0, N, 1), *P = sl_graph_slice(g, qp, 1, N, 2 * N, 1);
    sl_node *in[2] = {sl_graph_slice(g, Q, 1, 1, 2, 1), P};
    sl_node *H = sl_mlp_apply(Hn, sl_graph_concat(g, 2, in, 1));
    *poisson = sl_loss_poisson(g, Q, P, z);
    *gP1 = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_slice(g, P, 1, 0, 1, 1)), z);
    return sl_graph_add(g, *poisson, sl_loss_hqp(g, H, Q, P, z, zd, 1, beta));
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? (uint64_t)atoll(argv[1]) : 0;
    int adam = argc > 2 ? atoi(argv[2]) : 3000, lbfgs = argc > 3 ? atoi(argv[3]) : 500;
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    /* a patch away from the axis x = 0, where the polar map (Q1 = atan(y/x), P1 = L) is smooth */
    double lo[D] = {0.5, -1, -1, -1}, hi[D] = {1.5, 1, 1, 1};
    double *z = malloc(sizeof(double) * B * D), *zd = malloc(sizeof(double) * B * D);
    double *zt = malloc(sizeof(double) * BT * D), *zdt = malloc(sizeof(double) * BT * D), *rate = malloc(sizeof(double) * BT);
    sl_sample_box(ctx, D, lo, hi, NULL, NULL, B, 100 + seed, z);
    sl_sample_box(ctx, D, lo, hi, NULL, NULL, BT, 900 + seed, zt);
    for (int n = 0; n < B; ++n) field(NULL, 0, z + n * D, zd + n * D, D);
    for (int n = 0; n < BT; ++n) field(NULL, 0, zt + n * D, zdt + n * D, D);

    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_mlp *T = mlp(g, D, D, 10 * seed), *Hn = mlp(g, 3, 1, 10 * seed + 5);
    sl_node *Z = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, D}, "z"), *Zd = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, D}, "zdot");
    sl_node *Zt = sl_graph_input(g, SL_F64, 2, (int64_t[]){BT, D}, "zt"), *Zdt = sl_graph_input(g, SL_F64, 2, (int64_t[]){BT, D}, "zdt");
    sl_node *pois, *gp, *poist, *gpt;
    sl_node *loss = model(g, T, Hn, Z, Zd, 1.0, &pois, &gp);
    sl_node *losst = model(g, T, Hn, Zt, Zdt, 1.0, &poist, &gpt);
    sl_node *params[16];
    int np = 0;
    for (int i = 0; i < sl_mlp_nparams(T); ++i) params[np++] = sl_mlp_param(T, i);
    for (int i = 0; i < sl_mlp_nparams(Hn); ++i) params[np++] = sl_mlp_param(Hn, i);
    if (sl_graph_status(g) != SL_OK) {
        fprintf(stderr, "hqp_oscillator: %s\n", sl_ctx_errmsg(ctx));
        return 1;
    }
    double l = NAN;
    for (int phase = 0; phase < 2; ++phase) {
        if ((phase == 0 && adam <= 0) || (phase == 1 && lbfgs <= 0)) continue;
        sl_optim_opts oo;
        sl_optim_opts_init(&oo, phase ? SL_OPTIM_LBFGS : SL_OPTIM_ADAM);
        if (phase) oo.max_iter = 100, oo.max_eval = 130, oo.history = 20, oo.tolerance_grad = 1e-12, oo.tolerance_change = 1e-15;
        else oo.lr = 3e-3;
        sl_optim *opt;
        if (sl_optim_create(g, loss, np, params, &oo, &opt) != SL_OK) {
            fprintf(stderr, "hqp_oscillator: %s\n", sl_ctx_errmsg(ctx));
            return 1;
        }
        sl_plan_bind(sl_optim_plan(opt), Z, z);
        sl_plan_bind(sl_optim_plan(opt), Zd, zd);
        int steps = phase ? (lbfgs + 99) / 100 : adam;
        for (int s = 0; s < steps; ++s) {
            if (!phase) sl_optim_set_lr(opt, 3e-3 * (0.05 + 0.475 * (1 + cos(M_PI * s / steps))));
            if (sl_optim_step(opt, &l) != SL_OK) {
                fprintf(stderr, "hqp_oscillator: step %d: %s\n", s, sl_ctx_errmsg(ctx));
                return 1;
            }
            if (!phase && (s + 1) % 1000 == 0) printf("  Adam step %d: loss %.3e\n", s + 1, l);
        }
        sl_optim_eval(opt, &l);
        printf("%s: training loss %.3e\n", phase ? "after L-BFGS" : "after Adam", l);
        sl_optim_destroy(opt);
    }
    /* held-out points */
    sl_plan *p;
    sl_node *outs[3] = {losst, poist, gpt};
    sl_plan_create(g, 3, outs, &p);
    sl_plan_bind(p, Zt, zt);
    sl_plan_bind(p, Zdt, zdt);
    if (sl_plan_run(p) != SL_OK) {
        fprintf(stderr, "hqp_oscillator: %s\n", sl_ctx_errmsg(ctx));
        return 1;
    }
    const double *G = sl_plan_output(p, 2);
    double base[BT];
    for (int n = 0; n < BT; ++n) {
        double dp = 0, ng = 0, nf = 0;
        for (int i = 0; i < D; ++i) dp += G[n * D + i] * zdt[n * D + i], ng += G[n * D + i] * G[n * D + i], nf += zdt[n * D + i] * zdt[n * D + i];
        rate[n] = fabs(dp) / sqrt(ng * nf);
        base[n] = fabs(zdt[n * D + 2]) / sqrt(nf);   /* the identity map: P1 = px, dP1/dt = -x */
    }
    qsort(rate, BT, sizeof(double), cmp);
    qsort(base, BT, sizeof(double), cmp);
    double med = rate[BT / 2], p95 = rate[(int)(0.95 * (BT - 1))], pl = sl_plan_scalar(p, 1);
    printf("held-out (%d points): loss %.3e, Poisson loss %.3e; relative rate |dP1/dt| / (|grad P1| |zdot|): median %.2e, "
           "p95 %.2e (identity map: median %.2f)\n", BT, sl_plan_scalar(p, 0), pl, med, p95, base[BT / 2]);
    int ok = med < 1e-2 && pl < 1e-3;
    printf("%s\n", ok ? "Q1 is cyclic on the held-out points" : "NOT met");
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(z), free(zd), free(zt), free(zdt), free(rate);
    return ok ? 0 : 2;
}
