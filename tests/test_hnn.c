/* Hamiltonian neural networks (hnn.h; Greydanus, Dzamba, Yosinski 2019):
 *  - the training loss gradient (one SGD step, lr 1) against central
 *    differences of the loss rebuilt from sl_hnn_field, for the general,
 *    separable and dissipative models;
 *  - the 1D harmonic oscillator: an HNN rolled out (implicit midpoint) keeps
 *    the true energy over 10^4 steps much better than a plain MLP that
 *    predicts zdot (RK4), both trained alike (same data, parameter counts
 *    within 10%, same optimiser steps);
 *  - the pendulum with the separable model and Yoshida-4: bounded energy
 *    error, no drift;
 *  - a damped oscillator: the dissipative model's D recovers the damping rate;
 *  - ReLU refused, bad input, save/load round trip, the log callback. */
#include <string.h>

#include "check.h"
#include "fdcheck.h"
#include "symlearn.h"

static int quick(void) { return getenv("SL_TEST_QUICK") != NULL; }

static sl_ctx *ctx;
static int info_lines;

static void on_log(void *user, int level, const char *msg)
{
    (void)user;
    if (level == SL_LOG_INFO && strstr(msg, "sl_hnn_train: epoch")) info_lines++;
}

static sl_hnn *make(int64_t n, int depth, int64_t hidden, int separable, int dissipative, uint64_t seed)
{
    sl_hnn_opts o;
    sl_hnn_opts_init(&o);
    o.n = n, o.depth = depth, o.hidden = hidden, o.separable = separable, o.dissipative = dissipative, o.seed = seed;
    sl_hnn *h = NULL;
    sl_status st = sl_hnn_create(ctx, &o, &h);
    CHECK(st == SL_OK && h, "sl_hnn_create: %s", sl_ctx_errmsg(ctx));
    return h;
}

/* mean_i |field(z_i) - zdot_i|^2 from the public evaluation */
static double loss_of(sl_hnn *h, int64_t m, const double *z, const double *zdot)
{
    int64_t d = 2 * sl_hnn_half_size(h);
    double *f = malloc(sizeof(double) * (size_t)(m * d)), s = 0;
    if (sl_hnn_field(h, m, z, f)) return NAN;
    for (int64_t i = 0; i < m * d; ++i) s += (f[i] - zdot[i]) * (f[i] - zdot[i]);
    free(f);
    return s / (double)m;
}

/* ---- loss gradient against central differences ------------------------------------- */
static void test_gradient(int separable, int dissipative)
{
    const int64_t n = 2, d = 4, m = 12;
    sl_hnn *h = make(n, 2, 5, separable, dissipative, 7);
    double z[m * d], zdot[m * d];
    sl_rng_fill_normal(11, 0, (size_t)(m * d), 0, 1, z);
    sl_rng_fill_normal(12, 0, (size_t)(m * d), 0, 1, zdot);
    int64_t nw = sl_hnn_nweights(h);
    double *w0 = malloc(sizeof(double) * (size_t)nw), *w1 = malloc(sizeof(double) * (size_t)nw);
    double *w = malloc(sizeof(double) * (size_t)nw);
    /* biases start at zero: move them so every weight matters */
    sl_hnn_get_weights(h, w0);
    for (int64_t i = 0; i < nw; ++i) w0[i] += 0.1 * sl_rng_normal(13, (uint64_t)i);
    sl_hnn_set_weights(h, w0);
    double L0 = loss_of(h, m, z, zdot);
    sl_optim_opts so;
    sl_optim_opts_init(&so, SL_OPTIM_SGD);
    so.lr = 1.0;
    sl_hnn_train_opts to;
    sl_hnn_train_opts_init(&to);
    to.epochs = 1, to.log_every = 0;
    sl_status st = sl_hnn_train(h, m, z, zdot, &so, &to, NULL);
    CHECK(st == SL_OK, "train: %s", sl_ctx_errmsg(ctx));
    const double *losses;
    CHECK(sl_hnn_losses(h, &losses) == 1, "one epoch");
    CHECK_CLOSE(losses[0], L0, 1e-12, "the step's loss is mean |field - zdot|^2");
    sl_hnn_get_weights(h, w1);
    double worst = 0;
    for (int64_t i = 0; i < nw; ++i) {
        double g = w0[i] - w1[i], e = 1e-5;
        memcpy(w, w0, sizeof(double) * (size_t)nw);
        w[i] = w0[i] + e;
        sl_hnn_set_weights(h, w);
        double lp = loss_of(h, m, z, zdot);
        w[i] = w0[i] - e;
        sl_hnn_set_weights(h, w);
        double lm = loss_of(h, m, z, zdot), fd = (lp - lm) / (2 * e);
        double rel = fabs(fd - g) / fmax(1e-3, fabs(fd));
        if (rel > worst) worst = rel;
    }
    printf("gradient (separable %d, dissipative %d): %lld weights, worst relative error %.2e\n", separable, dissipative,
           (long long)nw, worst);
    CHECK(worst < 1e-6, "loss gradient vs central differences: %g", worst);
    free(w0), free(w1), free(w);
    sl_hnn_destroy(h);
}

/* ---- oscillator: HNN vs plain MLP --------------------------------------------------- */
typedef struct {
    sl_plan *plan;
    sl_node *x, *y;
    double buf[2];
} mlp_field_t;

static int mlp_field(void *user, double t, const double *x, double *dxdt, int64_t d)
{
    (void)t;
    mlp_field_t *f = user;
    memcpy(f->buf, x, sizeof(double) * (size_t)d);
    if (sl_plan_run(f->plan)) return 1;
    memcpy(dxdt, sl_plan_value(f->plan, f->y), sizeof(double) * (size_t)d);
    return 0;
}

static double true_drift_osc(int64_t rows, const double *traj)
{
    double e0 = 0.5 * (traj[0] * traj[0] + traj[1] * traj[1]), worst = 0;
    for (int64_t i = 0; i < rows; ++i) {
        double e = 0.5 * (traj[2 * i] * traj[2 * i] + traj[2 * i + 1] * traj[2 * i + 1]);
        worst = fmax(worst, fabs(e - e0) / e0);
    }
    return worst;
}

static void test_oscillator(void)
{
    const int64_t m = 256, hidden = 32;
    const long steps = quick() ? 100 : 1500;
    const int64_t nroll = quick() ? 200 : 10000;
    double *z = malloc(sizeof(double) * 2 * m), *zdot = malloc(sizeof(double) * 2 * m);
    sl_rng_fill_uniform(21, 0, (size_t)(2 * m), -1.5, 1.5, z);
    for (int64_t i = 0; i < m; ++i) zdot[2 * i] = z[2 * i + 1], zdot[2 * i + 1] = -z[2 * i];

    /* HNN: H 2 -> 32 -> 32 -> 1, Adam lr 3e-3, full batch */
    sl_hnn *h = make(1, 2, hidden, 0, 0, 1);
    sl_optim_opts ao;
    sl_optim_opts_init(&ao, SL_OPTIM_ADAM);
    ao.lr = 3e-3;
    sl_hnn_train_opts to;
    sl_hnn_train_opts_init(&to);
    to.epochs = steps, to.log_every = 100;
    info_lines = 0;
    double hloss = NAN;
    sl_status st = sl_hnn_train(h, m, z, zdot, &ao, &to, &hloss);
    CHECK(st == SL_OK, "train: %s", sl_ctx_errmsg(ctx));
    CHECK(info_lines == (int)((steps + 99) / 100), "log lines %d", info_lines);

    /* the plain MLP zdot = f(z): 2 -> 32 -> 32 -> 2, same optimiser, same steps */
    sl_graph *g = NULL;
    sl_graph_create(ctx, &g);
    sl_mlp_opts mo;
    sl_mlp_opts_init(&mo);
    mo.nlayers = 3, mo.widths[0] = 2, mo.widths[1] = hidden, mo.widths[2] = hidden, mo.widths[3] = 2, mo.seed = 1;
    sl_mlp *net = NULL;
    sl_mlp_create(g, &mo, &net);
    sl_node *x = sl_graph_input(g, SL_F64, 2, (int64_t[]){m, 2}, "z");
    sl_node *y = sl_graph_input(g, SL_F64, 2, (int64_t[]){m, 2}, "zdot");
    sl_node *loss = sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, sl_graph_sub(g, sl_mlp_apply(net, x), y))),
                                        1.0 / (double)m);
    sl_node *const *params;
    int np = sl_mlp_params(net, &params);
    sl_optim *opt = NULL;
    st = sl_optim_create(g, loss, np, params, &ao, &opt);
    sl_optim_bind(opt, x, z), sl_optim_bind(opt, y, zdot);
    for (long s = 0; !st && s < steps; ++s) st = sl_optim_step(opt, NULL);
    double mloss = NAN;
    sl_optim_eval(opt, &mloss);
    CHECK(st == SL_OK, "mlp training: %s", sl_ctx_errmsg(ctx));
    int64_t hw = sl_hnn_nweights(h), mw = sl_mlp_nweights(net);
    CHECK(fabs((double)(hw - mw)) <= 0.1 * (double)mw, "parameter counts %lld vs %lld", (long long)hw, (long long)mw);

    /* rollouts from (1, 0), dt 0.1 */
    const double z0[2] = {1.0, 0.0}, dt = 0.1;
    double *th = malloc(sizeof(double) * 2 * (size_t)(nroll + 1)), *tm = malloc(sizeof(double) * 2 * (size_t)(nroll + 1));
    double learned_drift = NAN;
    st = sl_hnn_rollout(h, z0, dt, nroll + 1, 1, NULL, th, &learned_drift);   /* AUTO: implicit midpoint */
    CHECK(st == SL_OK, "hnn rollout: %s", sl_ctx_errmsg(ctx));
    mlp_field_t mf = {NULL, NULL, NULL, {0, 0}};
    sl_node *x1 = sl_graph_input(g, SL_F64, 2, (int64_t[]){1, 2}, "z1");
    mf.y = sl_mlp_apply(net, x1);
    sl_plan_create(g, 1, &mf.y, &mf.plan);
    sl_plan_bind(mf.plan, x1, mf.buf);
    st = sl_ode_rk4(ctx, mlp_field, &mf, 2, z0, 0, dt, nroll + 1, 1, tm);
    CHECK(st == SL_OK, "mlp rollout: %s", sl_ctx_errmsg(ctx));
    double dh = true_drift_osc(nroll + 1, th), dm = true_drift_osc(nroll + 1, tm);
    printf("oscillator, %lld steps dt %g: HNN (%lld weights, loss %.3g, midpoint) true-energy drift %.3e "
           "(learned H: %.2e); MLP (%lld weights, loss %.3g, RK4) %.3e\n",
           (long long)nroll, dt, (long long)hw, hloss, dh, learned_drift, (long long)mw, mloss, dm);
    /* implicit midpoint: symplectic, so the learned H has a bounded O(dt^2) error (exactly conserved only when
     * H is quadratic): the last quarter's error no larger than the first's */
    double *Hh = malloc(sizeof(double) * (size_t)(nroll + 1)), first = 0, last = 0;
    CHECK(sl_hnn_energy(h, nroll + 1, th, Hh) == SL_OK, "energy: %s", sl_ctx_errmsg(ctx));
    for (int64_t i = 0, qq = (nroll + 1) / 4; i <= nroll; ++i) {
        double e = fabs(Hh[i] - Hh[0]) / fabs(Hh[0]);
        if (i < qq) first = fmax(first, e);
        if (i >= nroll + 1 - qq) last = fmax(last, e);
    }
    printf("  HNN learned-H error: first quarter %.2e, last quarter %.2e\n", first, last);
    CHECK(learned_drift < 1e-4 && last <= 1.5 * first + 1e-12, "midpoint: bounded learned-H error %g (%g, %g)",
          learned_drift, first, last);
    free(Hh);
    if (!quick()) {
        CHECK(dh < 0.05, "HNN true-energy drift %g", dh);
        CHECK(dh < 0.2 * dm, "HNN drift %g vs MLP %g", dh, dm);
    }
    /* the other methods run and RK4 drifts more than midpoint on the learned H */
    sl_hnn_rollout_opts ro;
    sl_hnn_rollout_opts_init(&ro);
    ro.method = SL_HNN_RK4;
    double rk_drift = NAN;
    st = sl_hnn_rollout(h, z0, 0.5, 201, 1, &ro, th, &rk_drift);
    CHECK(st == SL_OK && rk_drift > learned_drift, "rk4 on the HNN: %s, drift %g", sl_ctx_errmsg(ctx), rk_drift);
    ro.method = SL_HNN_YOSHIDA4;
    CHECK(sl_hnn_rollout(h, z0, dt, 10, 1, &ro, th, NULL) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "sl_hnn_rollout") && strstr(sl_ctx_errmsg(ctx), "separable"),
          "yoshida needs a separable model: %s", sl_ctx_errmsg(ctx));
    /* a midpoint that cannot converge is reported */
    ro.method = SL_HNN_MIDPOINT, ro.max_iter = 2;
    CHECK(sl_hnn_rollout(h, z0, dt, 10, 1, &ro, th, NULL) == SL_ERR_NUMERIC &&
              strstr(sl_ctx_errmsg(ctx), "did not converge"),
          "midpoint non-convergence: %s", sl_ctx_errmsg(ctx));
    sl_plan_destroy(mf.plan);
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl_hnn_destroy(h);
    free(z), free(zdot), free(th), free(tm);
}

/* ---- pendulum, separable, Yoshida-4 ------------------------------------------------- */
static void test_pendulum(void)
{
    const int64_t m = 512;
    const int64_t nroll = quick() ? 200 : 10000;
    double *z = malloc(sizeof(double) * 2 * m), *zdot = malloc(sizeof(double) * 2 * m);
    sl_rng_fill_uniform(31, 0, (size_t)(2 * m), -2.0, 2.0, z);
    for (int64_t i = 0; i < m; ++i) zdot[2 * i] = z[2 * i + 1], zdot[2 * i + 1] = -sin(z[2 * i]);
    sl_hnn *h = make(1, 2, 32, 1, 0, 2);
    sl_optim_opts ao;
    sl_optim_opts_init(&ao, SL_OPTIM_ADAM);
    ao.lr = 3e-3;
    sl_hnn_train_opts to;
    sl_hnn_train_opts_init(&to);
    to.epochs = quick() ? 5 : 100, to.batch = 64, to.log_every = 0;
    double loss = NAN;
    sl_status st = sl_hnn_train(h, m, z, zdot, &ao, &to, &loss);
    CHECK(st == SL_OK, "train: %s", sl_ctx_errmsg(ctx));
    const double z0[2] = {1.0, 0.5}, dt = 0.05;
    double *traj = malloc(sizeof(double) * 2 * (size_t)(nroll + 1)), *H = malloc(sizeof(double) * (size_t)(nroll + 1));
    double drift = NAN;
    st = sl_hnn_rollout(h, z0, dt, nroll + 1, 1, NULL, traj, &drift);   /* AUTO: Yoshida-4 */
    CHECK(st == SL_OK, "rollout: %s", sl_ctx_errmsg(ctx));
    st = sl_hnn_energy(h, nroll + 1, traj, H);
    CHECK(st == SL_OK, "energy: %s", sl_ctx_errmsg(ctx));
    double first = 0, last = 0, tfirst = 0, tlast = 0, e0 = 0.5 * z0[1] * z0[1] + 1 - cos(z0[0]);
    int64_t q = (nroll + 1) / 4;
    for (int64_t i = 0; i <= nroll; ++i) {
        double e = fabs(H[i] - H[0]) / fabs(H[0]);
        double te = fabs(0.5 * traj[2 * i + 1] * traj[2 * i + 1] + 1 - cos(traj[2 * i]) - e0) / e0;
        if (i < q) first = fmax(first, e), tfirst = fmax(tfirst, te);
        if (i >= nroll + 1 - q) last = fmax(last, e), tlast = fmax(tlast, te);
    }
    printf("pendulum (separable, Yoshida-4, loss %.3g), %lld steps dt %g: learned-H error max %.2e (first quarter "
           "%.2e, last %.2e); true energy first quarter %.2e, last %.2e\n",
           loss, (long long)nroll, dt, drift, first, last, tfirst, tlast);
    CHECK(drift < 1e-5, "bounded learned-energy error %g", drift);
    CHECK(last <= 2 * first + 1e-12, "no drift: last quarter %g vs first %g", last, first);
    if (!quick()) CHECK(tlast <= 2 * tfirst + 1e-3 && tlast < 0.05, "true energy bounded: %g, %g", tfirst, tlast);
    /* leapfrog runs too, and RK4 at a coarse step drifts where Yoshida does not */
    sl_hnn_rollout_opts ro;
    sl_hnn_rollout_opts_init(&ro);
    ro.method = SL_HNN_LEAPFROG;
    double lf = NAN;
    CHECK(sl_hnn_rollout(h, z0, dt, nroll < 1000 ? nroll + 1 : 1001, 1, &ro, traj, &lf) == SL_OK && lf < 1e-2,
          "leapfrog drift %g", lf);
    sl_hnn_destroy(h);
    free(z), free(zdot), free(traj), free(H);
}

/* ---- damped oscillator: the damping rate from D --------------------------------------- */
static void test_damped(void)
{
    const int64_t m = 512;
    const double gamma = 0.2;
    double *z = malloc(sizeof(double) * 2 * m), *zdot = malloc(sizeof(double) * 2 * m);
    sl_rng_fill_uniform(41, 0, (size_t)(2 * m), -1.5, 1.5, z);
    for (int64_t i = 0; i < m; ++i) zdot[2 * i] = z[2 * i + 1], zdot[2 * i + 1] = -z[2 * i] - gamma * z[2 * i + 1];
    sl_hnn *h = make(1, 2, 32, 0, 1, 3);
    sl_optim_opts ao;
    sl_optim_opts_init(&ao, SL_OPTIM_ADAM);
    ao.lr = 3e-3;
    sl_hnn_train_opts to;
    sl_hnn_train_opts_init(&to);
    to.epochs = quick() ? 20 : 1500, to.log_every = 0;
    double loss = NAN;
    sl_status st = sl_hnn_train(h, m, z, zdot, &ao, &to, &loss);
    CHECK(st == SL_OK, "train: %s", sl_ctx_errmsg(ctx));
    /* div zdot = Laplacian D = -gamma (J grad H is divergence-free): central
     * differences of grad D at the samples; and <dD/dp p> / <p^2> */
    const double e = 1e-4;
    double *zp = malloc(sizeof(double) * 2 * m), *zm = malloc(sizeof(double) * 2 * m);
    double *gp = malloc(sizeof(double) * 2 * m), *gm = malloc(sizeof(double) * 2 * m), *g0 = malloc(sizeof(double) * 2 * m);
    double lap = 0;
    for (int k = 0; k < 2; ++k) {
        memcpy(zp, z, sizeof(double) * 2 * m), memcpy(zm, z, sizeof(double) * 2 * m);
        for (int64_t i = 0; i < m; ++i) zp[2 * i + k] += e, zm[2 * i + k] -= e;
        st = sl_hnn_dissipation(h, m, zp, NULL, gp);
        st |= sl_hnn_dissipation(h, m, zm, NULL, gm);
        for (int64_t i = 0; i < m; ++i) lap += (gp[2 * i + k] - gm[2 * i + k]) / (2 * e);
    }
    CHECK(st == SL_OK, "dissipation: %s", sl_ctx_errmsg(ctx));
    double gamma_div = -lap / (double)m, num = 0, den = 0;
    sl_hnn_dissipation(h, m, z, NULL, g0);
    for (int64_t i = 0; i < m; ++i) num += g0[2 * i + 1] * z[2 * i + 1], den += z[2 * i + 1] * z[2 * i + 1];
    double gamma_p = -num / den;
    printf("damped oscillator gamma %g (loss %.3g): from the Laplacian of D %.4f (error %.1f%%), from <dD/dp p>/<p^2> "
           "%.4f\n", gamma, loss, gamma_div, 100 * fabs(gamma_div - gamma) / gamma, gamma_p);
    if (!quick()) CHECK(fabs(gamma_div - gamma) < 0.05 * gamma, "damping rate %g (want %g +- 5%%)", gamma_div, gamma);
    /* a rollout with the dissipation loses energy, without it keeps the learned H */
    const double z0[2] = {1.0, 0.0};
    double traj[2 * 101], drift = NAN, H[101];
    st = sl_hnn_rollout(h, z0, 0.1, 101, 1, NULL, traj, &drift);   /* AUTO: RK4 with D */
    sl_hnn_energy(h, 101, traj, H);
    CHECK(st == SL_OK && (quick() || H[100] < H[0]), "dissipative rollout: %s (H %g -> %g)", sl_ctx_errmsg(ctx), H[0],
          H[100]);
    sl_hnn_rollout_opts ro;
    sl_hnn_rollout_opts_init(&ro);
    ro.dissipation = 0;
    st = sl_hnn_rollout(h, z0, 0.1, 101, 1, &ro, traj, &drift);   /* midpoint, conservative part */
    CHECK(st == SL_OK && drift < 1e-4, "conservative part: %s, drift %g", sl_ctx_errmsg(ctx), drift);
    sl_hnn_destroy(h);
    free(z), free(zdot), free(zp), free(zm), free(gp), free(gm), free(g0);
}

/* ---- refusals and bad input ------------------------------------------------------------- */
static int names(const char *who) { return strstr(sl_ctx_errmsg(ctx), who) == sl_ctx_errmsg(ctx); }

static void test_bad_input(void)
{
    sl_hnn_opts o;
    sl_hnn_opts_init(&o);
    sl_hnn *h = NULL;
    CHECK(sl_hnn_create(ctx, &o, &h) == SL_ERR_ARG && !h && names("sl_hnn_create: opts->n"), "n unset: %s",
          sl_ctx_errmsg(ctx));
    o.n = 1, o.hidden = 0;
    CHECK(sl_hnn_create(ctx, &o, &h) == SL_ERR_ARG && names("sl_hnn_create: opts->hidden"), "%s", sl_ctx_errmsg(ctx));
    o.hidden = 8, o.activation = 99;
    CHECK(sl_hnn_create(ctx, &o, &h) == SL_ERR_ARG && names("sl_hnn_create: opts->activation"), "%s", sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_create(ctx, NULL, &h) == SL_ERR_NULL, "NULL opts");

    /* ReLU: created, but not trained */
    o.activation = SL_HNN_ACT_RELU;
    CHECK(sl_hnn_create(ctx, &o, &h) == SL_OK, "relu model: %s", sl_ctx_errmsg(ctx));
    double z[8] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, zd[8] = {0}, out[8];
    CHECK(sl_hnn_train(h, 4, z, zd, NULL, NULL, NULL) == SL_ERR_ARG && names("sl_hnn_train") &&
              strstr(sl_ctx_errmsg(ctx), "second derivative"),
          "relu refused: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_energy(h, 4, z, out) == SL_OK, "relu H evaluates");
    sl_hnn_destroy(h);

    h = make(1, 1, 4, 0, 0, 0);
    double *w = malloc(sizeof(double) * (size_t)sl_hnn_nweights(h)), *w2 = malloc(sizeof(double) * (size_t)sl_hnn_nweights(h));
    sl_hnn_get_weights(h, w);
    double nan_z[8];
    memcpy(nan_z, z, sizeof z);
    nan_z[5] = NAN;
    CHECK(sl_hnn_train(h, 4, nan_z, zd, NULL, NULL, NULL) == SL_ERR_NONFINITE && names("sl_hnn_train: z[2][1]"),
          "NaN data: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_train(h, 4, z, nan_z, NULL, NULL, NULL) == SL_ERR_NONFINITE && names("sl_hnn_train: zdot[2][1]"),
          "NaN zdot: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_train(h, 0, z, zd, NULL, NULL, NULL) == SL_ERR_ARG && names("sl_hnn_train: m = 0"), "zero samples: %s",
          sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_train(h, -3, z, zd, NULL, NULL, NULL) == SL_ERR_ARG, "negative m");
    CHECK(sl_hnn_train(h, 4, NULL, zd, NULL, NULL, NULL) == SL_ERR_NULL && names("sl_hnn_train: z is NULL"), "NULL z");
    sl_hnn_train_opts to;
    sl_hnn_train_opts_init(&to);
    to.epochs = 0;
    CHECK(sl_hnn_train(h, 4, z, zd, NULL, &to, NULL) == SL_ERR_ARG && names("sl_hnn_train: opts->epochs"), "%s",
          sl_ctx_errmsg(ctx));
    to.epochs = 1, to.batch = -1;
    CHECK(sl_hnn_train(h, 4, z, zd, NULL, &to, NULL) == SL_ERR_ARG && names("sl_hnn_train: opts->batch"), "%s",
          sl_ctx_errmsg(ctx));
    sl_optim_opts so;
    sl_optim_opts_init(&so, SL_OPTIM_ADAM);
    so.lr = -1;
    CHECK(sl_hnn_train(h, 4, z, zd, &so, NULL, NULL) == SL_ERR_ARG && names("sl_hnn_train: opts->lr"), "bad optimiser: %s",
          sl_ctx_errmsg(ctx));
    sl_hnn_get_weights(h, w2);
    CHECK(!memcmp(w, w2, sizeof(double) * (size_t)sl_hnn_nweights(h)), "nothing trained on failure");
    CHECK(sl_hnn_energy(h, 0, z, out) == SL_ERR_ARG && names("sl_hnn_energy: m = 0"), "%s", sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_field(h, 4, nan_z, out) == SL_ERR_NONFINITE && names("sl_hnn_field: z[2][1]"), "%s", sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_dissipation(h, 4, z, out, NULL) == SL_ERR_STATE && names("sl_hnn_dissipation"), "%s", sl_ctx_errmsg(ctx));
    double traj[20];
    for (int i = 0; i < 20; ++i) traj[i] = 42;
    CHECK(sl_hnn_rollout(h, z, 0.0, 10, 1, NULL, traj, NULL) == SL_ERR_ARG && names("sl_hnn_rollout: dt"), "%s",
          sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_rollout(h, z, 0.1, 0, 1, NULL, traj, NULL) == SL_ERR_ARG && names("sl_hnn_rollout: n_out"), "%s",
          sl_ctx_errmsg(ctx));
    CHECK(sl_hnn_rollout(h, nan_z + 4, 0.1, 10, 1, NULL, traj, NULL) == SL_ERR_NONFINITE && names("sl_hnn_rollout"),
          "%s", sl_ctx_errmsg(ctx));
    int untouched = 1;
    for (int i = 0; i < 20; ++i) untouched &= traj[i] == 42;
    CHECK(untouched, "nothing written on failure");
    w2[3] = INFINITY;
    CHECK(sl_hnn_set_weights(h, w2) == SL_ERR_NONFINITE && names("sl_hnn_set_weights"), "%s", sl_ctx_errmsg(ctx));
    sl_hnn *lost = h;
    CHECK(sl_hnn_load(ctx, "/nonexistent/x.slh", &lost) == SL_ERR_IO && !lost, "missing file: %s", sl_ctx_errmsg(ctx));
    free(w), free(w2);
    sl_hnn_destroy(h);
    sl_hnn_destroy(NULL);
}

/* ---- save / load ------------------------------------------------------------------------- */
static void test_save_load(void)
{
    sl_hnn *h = make(2, 2, 6, 1, 1, 5);
    double z[40], zd[40];
    sl_rng_fill_normal(51, 0, 40, 0, 1, z);
    sl_rng_fill_normal(52, 0, 40, 0, 1, zd);
    sl_hnn_train_opts to;
    sl_hnn_train_opts_init(&to);
    to.epochs = 3, to.batch = 4, to.log_every = 0;
    CHECK(sl_hnn_train(h, 10, z, zd, NULL, &to, NULL) == SL_OK, "train: %s", sl_ctx_errmsg(ctx));
    const char *path = "build/tests/test_hnn.slh";
    CHECK(sl_hnn_save(h, path) == SL_OK, "save: %s", sl_ctx_errmsg(ctx));
    sl_hnn *r = NULL;
    CHECK(sl_hnn_load(ctx, path, &r) == SL_OK && r, "load: %s", sl_ctx_errmsg(ctx));
    if (!r) return;
    int64_t nw = sl_hnn_nweights(h);
    CHECK(nw == sl_hnn_nweights(r) && sl_hnn_is_separable(r) && sl_hnn_is_dissipative(r) && sl_hnn_half_size(r) == 2,
          "options");
    double *a = malloc(sizeof(double) * (size_t)nw), *b = malloc(sizeof(double) * (size_t)nw);
    sl_hnn_get_weights(h, a), sl_hnn_get_weights(r, b);
    CHECK(!memcmp(a, b, sizeof(double) * (size_t)nw), "weights identical");
    double fa[40], fb[40], Ha[10], Hb[10], ta[40], tb[40];
    sl_hnn_field(h, 10, z, fa), sl_hnn_field(r, 10, z, fb);
    sl_hnn_energy(h, 10, z, Ha), sl_hnn_energy(r, 10, z, Hb);
    CHECK(!memcmp(fa, fb, sizeof fa) && !memcmp(Ha, Hb, sizeof Ha), "field and energy identical");
    sl_hnn_rollout(h, z, 0.05, 10, 1, NULL, ta, NULL), sl_hnn_rollout(r, z, 0.05, 10, 1, NULL, tb, NULL);
    CHECK(!memcmp(ta, tb, sizeof ta), "rollouts identical");
    const double *la, *lb;
    CHECK(sl_hnn_losses(h, &la) == 3 && sl_hnn_losses(r, &lb) == 3 && !memcmp(la, lb, 3 * sizeof(double)), "losses");
    /* a damaged file is refused */
    FILE *f = fopen(path, "r+b");
    if (f) {
        fseek(f, 60, SEEK_SET);
        fputc(0x5a, f);
        fclose(f);
    }
    sl_hnn *bad = NULL;
    CHECK(sl_hnn_load(ctx, path, &bad) == SL_ERR_CORRUPT && !bad && names("sl_hnn_load"), "corrupt: %s", sl_ctx_errmsg(ctx));
    remove(path);
    free(a), free(b);
    sl_hnn_destroy(r);
    sl_hnn_destroy(h);
}

/* ---- the fused tanh ops of an HNN's loss, to third order ------------------------------
 * x (3, 2) points, W (2, 4), b (4), V (4, 1): H = tanh(tanh(x W + b) V) summed;
 * y = sum (dH/dx)^2 + sum tanh(x W + b) — tanh of a bias add (one fused op),
 * tanh's backward maps of an accumulated sum and of its own y-derivative. */
static sl_node *f_hnn_like(sl_graph *g, sl_node **x)
{
    sl_node *h1 = sl_graph_tanh(g, sl_graph_add(g, sl_graph_matmul(g, x[0], x[1]), x[2]));
    sl_node *H = sl_graph_sum(g, sl_graph_tanh(g, sl_graph_matmul(g, h1, x[3])));
    sl_node *dx = sl_graph_grad1(g, H, x[0]);
    return sl_graph_add(g, sl_graph_sum(g, sl_graph_square(g, dx)), sl_graph_sum(g, h1));
}

static void test_fused_tanh_ops(void)
{
    fd_spec sp = {0};
    sp.nin = 4;
    sp.order = 3;
    sp.lo = -0.9, sp.hi = 0.9;
    for (int i = 0; i < 4; ++i) sp.dtype[i] = SL_F64;
    sp.rank[0] = 2, sp.shape[0][0] = 3, sp.shape[0][1] = 2;
    sp.rank[1] = 2, sp.shape[1][0] = 2, sp.shape[1][1] = 4;
    sp.rank[2] = 1, sp.shape[2][0] = 4;
    sp.rank[3] = 2, sp.shape[3][0] = 4, sp.shape[3][1] = 1;
    fdcheck("HNN-shaped tanh network, third order", &sp, f_hnn_like);
}

int main(void)
{
    sl_ctx_opts co;
    sl_ctx_opts_init(&co);
    co.log = on_log, co.log_level = SL_LOG_INFO;
    if (sl_ctx_create(&ctx, &co)) return 1;
    test_fused_tanh_ops();
    test_gradient(0, 0);
    test_gradient(1, 0);
    test_gradient(0, 1);
    test_bad_input();
    test_save_load();
    test_oscillator();
    test_pendulum();
    test_damped();
    sl_ctx_destroy(ctx);
    return check_done();
}
