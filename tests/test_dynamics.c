/* Integrators and samplers (include/symlearn/dynamics.h): orders of
 * convergence, energy drift, determinism, bad input. */
#include "check.h"
#include "symlearn.h"

#include <math.h>
#include <string.h>

static int osc(void *user, double t, const double *x, double *dx, int64_t d)
{
    (void)user; (void)t; (void)d;
    dx[0] = x[1];
    dx[1] = -x[0];
    return 0;
}

static int fails_at(void *user, double t, const double *x, double *dx, int64_t d)
{
    int *count = user;
    if (++*count > 5) return 7;
    return osc(NULL, t, x, dx, d);
}

static int nan_field(void *user, double t, const double *x, double *dx, int64_t d)
{
    (void)user; (void)t; (void)x;
    for (int64_t i = 0; i < d; ++i) dx[i] = NAN;
    return 0;
}

/* dV/dq for V = q^2/2 */
static int osc_dv(void *user, const double *q, double *g, int64_t n)
{
    (void)user;
    for (int64_t i = 0; i < n; ++i) g[i] = q[i];
    return 0;
}

/* error of RK4 (method 0) or a symplectic method at t = 1 for x0 = (1, 0) */
static double err_at_1(sl_ctx *ctx, int method, int steps)
{
    double x0[2] = {1, 0}, traj[4];
    double dt = 1.0 / steps;
    sl_status st = method == 0 ? sl_ode_rk4(ctx, osc, NULL, 2, x0, 0, dt, 2, steps, traj)
                               : sl_ode_symplectic(ctx, method, osc_dv, NULL, NULL, 1, x0, dt, 2, steps, traj);
    if (st) return NAN;
    return hypot(traj[2] - cos(1.0), traj[3] + sin(1.0));
}

static void orders(sl_ctx *ctx)
{
    const char *names[3] = {"RK4", "leapfrog", "Yoshida4"};
    const double want[3] = {4, 2, 4};
    for (int m = 0; m < 3; ++m) {
        double e1 = err_at_1(ctx, m, 20), e2 = err_at_1(ctx, m, 40), e3 = err_at_1(ctx, m, 80);
        double p1 = log2(e1 / e2), p2 = log2(e2 / e3);
        printf("%s: errors %.3e %.3e %.3e, observed orders %.3f %.3f\n", names[m], e1, e2, e3, p1, p2);
        CHECK(fabs(p1 - want[m]) < 0.15 && fabs(p2 - want[m]) < 0.15, "%s order %.3f %.3f (want %g)", names[m], p1, p2,
              want[m]);
    }
}

/* Kepler, e = 0.5: symplectic energy errors stay bounded over 1000 orbits' worth of
 * steps; RK4 drifts.  Energy error of the symplectic methods is O(dt^p). */
static void kepler_energy(sl_ctx *ctx)
{
    sl_system *k;
    CHECK(sl_system_create(ctx, SL_SYSTEM_KEPLER, &k) == SL_OK, "create kepler");
    /* perihelion r = 0.5 of an orbit with a = 1: v = sqrt((1 + e)/(1 - e)) = sqrt 3 */
    double z0[4] = {0.5, 0, 0, sqrt(3.0)}, H0;
    sl_system_hamiltonian(k, 1, z0, &H0);
    int64_t n_out = 201, every = 500;   /* 10^5 steps of 1e-3: about 16 periods of 2 pi */
    double *traj = malloc(sizeof(double) * 4 * (size_t)n_out), *h = malloc(sizeof(double) * (size_t)n_out);
    const int methods[2] = {SL_ODE_LEAPFROG, SL_ODE_YOSHIDA4};
    const double bound[2] = {2e-5, 1e-10};
    for (int mi = 0; mi < 2; ++mi) {
        CHECK(sl_ode_symplectic(ctx, methods[mi], sl_system_grad_v, sl_system_grad_t, k, 2, z0, 1e-3, n_out, every,
                                traj) == SL_OK, "symplectic kepler: %s", sl_ctx_errmsg(ctx));
        sl_system_hamiltonian(k, n_out, traj, h);
        double emax = 0, efirst = 0, elast = 0;
        for (int64_t i = 0; i < n_out; ++i) emax = fmax(emax, fabs(h[i] - H0));
        for (int64_t i = 1; i <= 50; ++i) efirst = fmax(efirst, fabs(h[i] - H0));
        for (int64_t i = n_out - 50; i < n_out; ++i) elast = fmax(elast, fabs(h[i] - H0));
        printf("kepler %s: max |H - H0| %.3e (first quarter %.3e, last %.3e)\n", mi ? "Yoshida4" : "leapfrog", emax,
               efirst, elast);
        CHECK(emax < bound[mi], "energy error %.3e", emax);
        CHECK(elast < 3 * efirst + 1e-14, "no drift: %.3e vs %.3e", elast, efirst);
    }
    /* the dH/dz form gives the same trajectory as the (dV, dT) form */
    double *t2 = malloc(sizeof(double) * 4 * (size_t)n_out);
    sl_ode_symplectic(ctx, SL_ODE_YOSHIDA4, sl_system_grad_v, NULL, k, 2, z0, 1e-3, 11, 10, traj);
    CHECK(sl_ode_symplectic_h(ctx, SL_ODE_YOSHIDA4, sl_system_grad_h, k, 4, z0, 1e-3, 11, 10, t2) == SL_OK, "symplectic_h");
    CHECK(memcmp(traj, t2, sizeof(double) * 44) == 0, "symplectic_h bit-identical to symplectic");
    /* RK4 at the same step: energy error grows */
    CHECK(sl_ode_rk4(ctx, sl_system_vector_field, k, 4, z0, 0, 1e-3, n_out, every, traj) == SL_OK, "rk4 kepler");
    sl_system_hamiltonian(k, n_out, traj, h);
    printf("kepler RK4: |H - H0| at the end %.3e\n", fabs(h[n_out - 1] - H0));
    CHECK(fabs(h[n_out - 1] - H0) < 1e-8, "rk4 energy %.3e", fabs(h[n_out - 1] - H0));
    free(t2);
    free(traj);
    free(h);
    sl_system_destroy(k);
}

/* oscillator energy over long times: leapfrog error bounded by ~dt^2/8 */
static void osc_energy(sl_ctx *ctx)
{
    double z0[2] = {1, 0}, traj[2 * 1001];
    double dt = 0.05;
    CHECK(sl_ode_symplectic(ctx, SL_ODE_LEAPFROG, osc_dv, NULL, NULL, 1, z0, dt, 1001, 100, traj) == SL_OK, "leapfrog");
    double emax = 0;
    for (int i = 0; i < 1001; ++i) emax = fmax(emax, fabs(0.5 * (traj[2 * i] * traj[2 * i] + traj[2 * i + 1] * traj[2 * i + 1]) - 0.5));
    printf("oscillator leapfrog dt %.2f, 10^5 steps: max |E - E0| %.3e (bound dt^2/8 = %.3e)\n", dt, emax, dt * dt / 8);
    CHECK(emax < dt * dt / 8 * 1.01, "leapfrog energy %.3e", emax);
}

static void bad_input(sl_ctx *ctx)
{
    double x0[2] = {1, 0}, traj[6], keep[6];
    for (int i = 0; i < 6; ++i) keep[i] = traj[i] = 42;
    CHECK(sl_ode_rk4(ctx, NULL, NULL, 2, x0, 0, 0.1, 3, 1, traj) == SL_ERR_NULL, "NULL f");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_ode_rk4") != NULL, "message names the call: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_ode_rk4(ctx, osc, NULL, 2, x0, 0, 0.0, 3, 1, traj) == SL_ERR_ARG, "dt = 0");
    CHECK(sl_ode_rk4(ctx, osc, NULL, 2, x0, 0, NAN, 3, 1, traj) == SL_ERR_ARG, "dt NaN");
    CHECK(sl_ode_rk4(ctx, osc, NULL, 0, x0, 0, 0.1, 3, 1, traj) == SL_ERR_ARG, "d = 0");
    CHECK(sl_ode_rk4(ctx, osc, NULL, 2, x0, 0, 0.1, 0, 1, traj) == SL_ERR_ARG, "n_out = 0");
    CHECK(sl_ode_rk4(ctx, osc, NULL, 2, x0, 0, 0.1, 3, 0, traj) == SL_ERR_ARG, "every = 0");
    CHECK(sl_ode_rk4(ctx, osc, NULL, 2, x0, 0, 0.1, (int64_t)1 << 30, (int64_t)1 << 30, traj) == SL_ERR_ARG, "too many steps");
    double xn[2] = {NAN, 0};
    CHECK(sl_ode_rk4(ctx, osc, NULL, 2, xn, 0, 0.1, 3, 1, traj) == SL_ERR_NONFINITE, "NaN x0");
    int count = 0;
    CHECK(sl_ode_rk4(ctx, fails_at, &count, 2, x0, 0, 0.1, 3, 1, traj) == SL_ERR_NUMERIC, "failing field");
    CHECK(strstr(sl_ctx_errmsg(ctx), "returned 7") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_ode_rk4(ctx, nan_field, NULL, 2, x0, 0, 0.1, 3, 1, traj) == SL_ERR_NONFINITE, "NaN field");
    CHECK(sl_ode_symplectic(ctx, 9, osc_dv, NULL, NULL, 1, x0, 0.1, 3, 1, traj) == SL_ERR_ARG, "bad method");
    CHECK(sl_ode_symplectic(ctx, SL_ODE_LEAPFROG, NULL, NULL, NULL, 1, x0, 0.1, 3, 1, traj) == SL_ERR_NULL, "NULL dV");
    CHECK(sl_ode_symplectic_h(ctx, SL_ODE_LEAPFROG, osc_dv, NULL, 3, x0, 0.1, 3, 1, traj) == SL_ERR_ARG, "odd d");
    CHECK(memcmp(traj, keep, sizeof keep) == 0, "nothing written on failure");
    CHECK(sl_ode_rk4(NULL, osc, NULL, 2, x0, 0, 0.1, 3, 1, traj) == SL_ERR_NULL, "NULL ctx");
    double lo[2] = {0, 0}, hi[2] = {1, -1}, x[4];
    CHECK(sl_sample_box(ctx, 2, lo, hi, NULL, NULL, 2, 0, x) == SL_ERR_ARG, "lo >= hi");
    hi[1] = NAN;
    CHECK(sl_sample_box(ctx, 2, lo, hi, NULL, NULL, 2, 0, x) == SL_ERR_NONFINITE, "NaN box");
    hi[1] = 1;
    CHECK(sl_sample_box(ctx, 2, lo, hi, NULL, NULL, 0, 0, x) == SL_ERR_ARG, "zero samples");
}

static int never(void *u, const double *x, int64_t d) { (void)u; (void)x; (void)d; return 0; }
static int disc(void *u, const double *x, int64_t d) { (void)u; (void)d; return x[0] * x[0] + x[1] * x[1] < 1; }

static void samplers(sl_ctx *ctx)
{
    double lo[2] = {-1, -1}, hi[2] = {1, 1}, a[200], b[200], c[200];
    CHECK(sl_sample_box(ctx, 2, lo, hi, disc, NULL, 100, 3, a) == SL_OK, "box");
    sl_sample_box(ctx, 2, lo, hi, disc, NULL, 100, 3, b);
    sl_sample_box(ctx, 2, lo, hi, disc, NULL, 100, 4, c);
    CHECK(memcmp(a, b, sizeof a) == 0, "same stream, same points");
    CHECK(memcmp(a, c, sizeof a) != 0, "another stream, other points");
    int inside = 1;
    for (int i = 0; i < 100; ++i) inside &= a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1] < 1;
    CHECK(inside, "domain respected");
    CHECK(sl_sample_box(ctx, 2, lo, hi, never, NULL, 10, 0, a) == SL_ERR_NUMERIC, "empty domain");
    int64_t group[40];
    double x[80];
    CHECK(sl_sample_trajectories(ctx, osc, NULL, 2, lo, hi, NULL, NULL, 4, 10, 0.01, 5, 0, x, group) == SL_OK,
          "trajectories: %s", sl_ctx_errmsg(ctx));
    int ok = 1;
    for (int i = 0; i < 40; ++i) ok &= group[i] == i / 10;
    CHECK(ok, "group ids");
    /* energy constant within each group */
    double worst = 0;
    for (int g = 0; g < 4; ++g)
        for (int j = 1; j < 10; ++j) {
            const double *p = x + 2 * (g * 10 + j), *q = x + 2 * g * 10;
            worst = fmax(worst, fabs(p[0] * p[0] + p[1] * p[1] - q[0] * q[0] - q[1] * q[1]));
        }
    CHECK(worst < 1e-10, "energy along sampled trajectories %.3e", worst);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    orders(ctx);
    osc_energy(ctx);
    kepler_energy(ctx);
    bad_input(ctx);
    samplers(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
