/* Hamiltonian-network demo (make examples; build/examples/hnn_pendulum): a Hamiltonian neural network learns the energy of a
 * pendulum from its equations of motion alone (Greydanus et al. 2019).
 *
 * The network H(q, p) is trained so that its symplectic gradient
 * (dH/dp, -dH/dq) reproduces the observed flow (qdot, pdot): the loss depends
 * on the input gradient of the network, so training differentiates through a
 * gradient (second derivatives inside the loss).  The learned H is then
 * checked as a conserved quantity along held-out trajectories of the true
 * pendulum, and against the true energy p^2/2 + (1 - cos q).
 *
 * Built-in data only; runs in a few seconds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

enum { M = 512, HID = 64, STEPS = 2000 };

static double true_energy(double q, double p) { return 0.5 * p * p + 1 - cos(q); }

/* One RK4 step of the true pendulum q' = p, p' = -sin q. */
static void rk4(double *q, double *p, double h)
{
    double k1q = *p, k1p = -sin(*q);
    double k2q = *p + 0.5 * h * k1p, k2p = -sin(*q + 0.5 * h * k1q);
    double k3q = *p + 0.5 * h * k2p, k3p = -sin(*q + 0.5 * h * k2q);
    double k4q = *p + h * k3p, k4p = -sin(*q + h * k3q);
    *q += h / 6 * (k1q + 2 * k2q + 2 * k3q + k4q);
    *p += h / 6 * (k1p + 2 * k2p + 2 * k3p + k4p);
}

#define TRY(call)                                                                       \
    do {                                                                                \
        if ((call) != SL_OK) {                                                          \
            fprintf(stderr, "demo: %s\n", sl_ctx_errmsg(ctx));                          \
            return 1;                                                                   \
        }                                                                               \
    } while (0)

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    sl_graph *g;
    TRY(sl_graph_create(ctx, &g));
    printf("libsymlearn %s: a Hamiltonian network learns a pendulum's energy from its flow\n\n",
           sl_version_string());

    /* Training data: states (q, p) in |q| < 2.5, |p| < 2, and the flow. */
    static double z[M * 2], flow[M * 2];
    for (int i = 0; i < M; ++i) {
        double q = -2.5 + 5.0 * sl_rng_uniform(1, 2 * (uint64_t)i), p = -2.0 + 4.0 * sl_rng_uniform(1, 2 * (uint64_t)i + 1);
        z[2 * i] = q;
        z[2 * i + 1] = p;
        flow[2 * i] = p;
        flow[2 * i + 1] = -sin(q);
    }
    sl_node *zn = sl_graph_input(g, SL_F64, 2, (int64_t[]){M, 2}, "z");
    sl_node *fn = sl_graph_input(g, SL_F64, 2, (int64_t[]){M, 2}, "flow");
    /* H: 2 -> HID -> HID -> 1 tanh network, Glorot-uniform weights from streams 2, 3, 4 */
    sl_mlp_opts mo = SL_MLP_OPTS_INIT;
    mo.nlayers = 3;
    mo.widths[0] = 2, mo.widths[1] = HID, mo.widths[2] = HID, mo.widths[3] = 1;
    mo.seed = 2;
    sl_mlp *net;
    TRY(sl_mlp_create(g, &mo, &net));
    sl_node *H = sl_mlp_apply(net, zn);
    sl_node *dH = sl_graph_grad1(g, sl_graph_sum(g, H), zn);          /* (dH/dq, dH/dp) */
    sl_node *pred = sl_graph_concat(g, 2, (sl_node *[]){sl_graph_slice(g, dH, 1, 1, 2, 1),
                                                        sl_graph_neg(g, sl_graph_slice(g, dH, 1, 0, 1, 1))}, 1);
    sl_node *loss = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, pred, fn)));
    TRY(sl_graph_status(g));

    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
    oo.lr = 3e-3;
    sl_optim *opt;
    TRY(sl_optim_create(g, loss, 0, NULL, &oo, &opt));
    TRY(sl_optim_bind(opt, zn, z));
    TRY(sl_optim_bind(opt, fn, flow));
    double L = 0;
    for (int step = 0; step <= STEPS; ++step) {
        if (step == STEPS / 2) sl_optim_set_lr(opt, 1e-3);
        TRY(sl_optim_step(opt, &L));
        if (step % 400 == 0) printf("  step %4d   flow loss %.3e\n", step, L);
    }

    /* Evaluate the learned H (same graph, same params) on held-out orbits of
     * the true pendulum: a conserved quantity stays constant along each. */
    sl_plan *eval;
    TRY(sl_plan_create(g, 1, &H, &eval));
    TRY(sl_plan_bind(eval, zn, z));
    double q0[4] = {0.5, 1.2, 2.0, -1.5}, p0[4] = {0.0, 0.3, -0.2, 0.9};
    printf("\n  held-out orbit   true E    spread of learned H / its range over the data\n");
    double worst = 0;
    /* range of H over the training data, to normalise the spread */
    TRY(sl_plan_run(eval));
    const double *hv = sl_plan_output(eval, 0);
    double hmin = hv[0], hmax = hv[0];
    for (int i = 1; i < M; ++i) { hmin = fmin(hmin, hv[i]); hmax = fmax(hmax, hv[i]); }
    /* H as an affine function of the true energy: least squares fit */
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (int i = 0; i < M; ++i) {
        double e = true_energy(z[2 * i], z[2 * i + 1]);
        sx += e; sy += hv[i]; sxx += e * e; sxy += e * hv[i]; syy += hv[i] * hv[i];
    }
    double r = (M * sxy - sx * sy) / sqrt((M * sxx - sx * sx) * (M * syy - sy * sy));
    for (int k = 0; k < 4; ++k) {
        /* M points along the orbit, evaluated in one batch */
        double q = q0[k], p = p0[k];
        for (int i = 0; i < M; ++i) {
            z[2 * i] = q;
            z[2 * i + 1] = p;
            for (int s = 0; s < 4; ++s) rk4(&q, &p, 0.01);
        }
        TRY(sl_plan_run(eval));
        hv = sl_plan_output(eval, 0);
        double lo = hv[0], hi = hv[0];
        for (int i = 1; i < M; ++i) { lo = fmin(lo, hv[i]); hi = fmax(hi, hv[i]); }
        double spread = (hi - lo) / (hmax - hmin);
        worst = fmax(worst, spread);
        printf("  q0 = %5.2f p0 = %5.2f   %.4f    %.2e\n", q0[k], p0[k], true_energy(q0[k], p0[k]), spread);
    }
    printf("\n  correlation of learned H with p^2/2 + (1 - cos q) over the data: %.6f\n", r);
    printf("  %s\n", worst < 0.02 && r > 0.999 ? "the network found the conserved energy" : "training did not converge");
    sl_plan_destroy(eval);
    sl_optim_destroy(opt);
    sl_mlp_destroy(net);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    return worst < 0.02 && r > 0.999 ? 0 : 1;
}
