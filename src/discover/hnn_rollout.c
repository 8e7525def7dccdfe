/* Rollouts of a learned Hamiltonian: the symplectic splittings of
 * sl_ode_symplectic_h for separable models, the implicit midpoint rule for
 * any H (symplectic: Hairer, Lubich, Wanner, "Geometric numerical
 * integration", 2nd ed., Thm. VI.3.5), RK4; and the energy drift. */
#include "hnn_internal.h"
#include "../dynamics/dynamics_internal.h"

#include <math.h>

#define ROLL_OPTS_MIN SL_OPTS_END(sl_hnn_rollout_opts, max_iter)

sl_status sl_hnn_rollout_opts_init_sized(sl_hnn_rollout_opts *opts, size_t size)
{
    const sl_hnn_rollout_opts d = SL_HNN_ROLLOUT_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, ROLL_OPTS_MIN);
}

typedef struct {
    sl_hnn *h;
    sl__hnn_eval *e;
    int with_d;
} roll_t;

/* dH/dz at x (2n), or the field (dH/dp, -dH/dq) [+ grad D]. */
static int gradient(void *user, const double *x, double *g, int64_t d)
{
    roll_t *r = user;
    if (sl__hnn_eval_run(r->h, "sl_hnn_rollout", r->e, x, 1)) return 1;
    memcpy(g, sl_plan_value(r->e->plan_all, r->e->dH), sizeof(double) * (size_t)d);
    return 0;
}

static int field(void *user, double t, const double *x, double *f, int64_t d)
{
    (void)t;
    roll_t *r = user;
    if (sl__hnn_eval_run(r->h, "sl_hnn_rollout", r->e, x, 1)) return 1;
    const double *g = sl_plan_value(r->e->plan_all, r->e->dH);
    int64_t n = d / 2;
    for (int64_t k = 0; k < n; ++k) f[k] = g[n + k], f[n + k] = -g[k];
    if (r->with_d) {
        const double *gd = sl_plan_value(r->e->plan_all, r->e->dD);
        for (int64_t k = 0; k < d; ++k) f[k] += gd[k];
    }
    return 0;
}

/* Implicit midpoint z1 = z0 + dt f((z0 + z1) / 2), fixed-point iteration
 * from the explicit Euler guess; work holds 3 d doubles. */
static sl_status midpoint(roll_t *r, const char *who, int64_t d, const double *z0, double dt, int64_t n_out,
                          int64_t every, double tol, int max_iter, double *traj, double *work)
{
    sl_ctx *ctx = r->h->ctx;
    double *z = work, *z1 = z + d, *f = z1 + d;
    memcpy(z, z0, sizeof(double) * (size_t)d);
    memcpy(traj, z, sizeof(double) * (size_t)d);
    int64_t step = 0;
    for (int64_t row = 1; row < n_out; ++row) {
        for (int64_t s = 0; s < every; ++s, ++step) {
            if (field(r, 0, z, f, d)) return sl__rewho(ctx, sl_ctx_last_status(ctx), who);
            for (int64_t i = 0; i < d; ++i) z1[i] = z[i] + dt * f[i];
            double change = INFINITY;
            int it;
            for (it = 0; it < max_iter; ++it) {
                for (int64_t i = 0; i < d; ++i) f[i] = 0.5 * (z[i] + z1[i]);   /* the midpoint, then f there */
                if (field(r, 0, f, f, d)) return sl__rewho(ctx, sl_ctx_last_status(ctx), who);
                double big = 0;
                change = 0;
                for (int64_t i = 0; i < d; ++i) {
                    double v = z[i] + dt * f[i];
                    change = fmax(change, fabs(v - z1[i]));
                    big = fmax(big, fabs(v));
                    z1[i] = v;
                }
                if (!isfinite(change)) break;
                if (change <= tol * (1 + big)) break;
            }
            if (!(change <= INFINITY) || !isfinite(change) || it == max_iter)
                return sl__fail(ctx, SL_ERR_NUMERIC,
                                "%s: the implicit midpoint iteration did not converge at step %lld (change %g after %d "
                                "iterations, tol %g; reduce dt or raise opts->max_iter)", who, (long long)step, change,
                                it, tol);
            memcpy(z, z1, sizeof(double) * (size_t)d);
        }
        memcpy(traj + row * d, z, sizeof(double) * (size_t)d);
    }
    return SL_OK;
}

sl_status sl_hnn_rollout(sl_hnn *h, const double *z0, double dt, int64_t n_out, int64_t every,
                         const sl_hnn_rollout_opts *opts, double *traj, double *drift)
{
    const char *who = "sl_hnn_rollout";
    if (!h) return SL_ERR_NULL;
    sl_ctx *ctx = h->ctx;
    int64_t d = 2 * h->o.n;
    sl_status st = sl__ode_check(ctx, who, d, z0, dt, n_out, every, traj);
    if (st) return st;
    sl_hnn_rollout_opts o;
    sl_hnn_rollout_opts_init(&o);
    if (opts && (st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, ROLL_OPTS_MIN))) return st;
    if (o.method < SL_HNN_AUTO || o.method > SL_HNN_RK4)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->method = %d (must be an SL_HNN_* value)", who, o.method);
    if (o.dissipation != 0 && o.dissipation != 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->dissipation = %d (must be 0 or 1)", who, o.dissipation);
    if (!(o.tol > 0) || !isfinite(o.tol)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->tol = %g (must be > 0)", who, o.tol);
    if (o.max_iter < 1) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->max_iter = %d (must be >= 1)", who, o.max_iter);
    int with_d = h->o.dissipative && o.dissipation;
    int method = o.method;
    if (method == SL_HNN_AUTO) method = with_d ? SL_HNN_RK4 : h->o.separable ? SL_HNN_YOSHIDA4 : SL_HNN_MIDPOINT;
    if (method == SL_HNN_LEAPFROG || method == SL_HNN_YOSHIDA4) {
        if (!h->o.separable)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->method = %s needs a separable model (H = T(p) + V(q)); use "
                            "SL_HNN_MIDPOINT, symplectic for any H", who, method == SL_HNN_LEAPFROG ? "LEAPFROG" : "YOSHIDA4");
        if (with_d)
            return sl__fail(ctx, SL_ERR_ARG, "%s: opts->method = %s cannot integrate the dissipation (set "
                            "opts->dissipation = 0, or use SL_HNN_RK4 or SL_HNN_MIDPOINT)", who,
                            method == SL_HNN_LEAPFROG ? "LEAPFROG" : "YOSHIDA4");
    }
    roll_t r = {h, NULL, with_d};
    if ((st = sl__hnn_evaluator(h, who, 0, 1, &r.e))) return st;
    int64_t cells = n_out * d;
    double *tmp = sl__alloc(ctx, sizeof(double) * (size_t)(cells + 6 * d), 0, who);
    if (!tmp) return SL_ERR_NOMEM;
    double *work = tmp + cells;
    if (method == SL_HNN_RK4) st = sl_ode_rk4(ctx, field, &r, d, z0, 0, dt, n_out, every, tmp);
    else if (method == SL_HNN_MIDPOINT) st = midpoint(&r, who, d, z0, dt, n_out, every, o.tol, o.max_iter, tmp, work);
    else st = sl_ode_symplectic_h(ctx, method == SL_HNN_LEAPFROG ? SL_ODE_LEAPFROG : SL_ODE_YOSHIDA4, gradient, &r, d,
                                  z0, dt, n_out, every, tmp);
    if (!st && method == SL_HNN_MIDPOINT) {
        int64_t bad = sl__first_nonfinite(tmp, (size_t)cells);
        if (bad >= 0) st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the state became non-finite (row %lld)", who, (long long)(bad / d));
    }
    double worst = 0, H0 = 0;
    for (int64_t i = 0; !st && i < n_out; ++i) {
        if ((st = sl__hnn_eval_run(h, who, r.e, tmp + i * d, 0))) break;
        double Hi = *(const double *)sl_plan_value(r.e->plan_e, r.e->H);
        if (i == 0) H0 = Hi;
        worst = fmax(worst, fabs(Hi - H0));
    }
    if (st) {
        sl__free(ctx, tmp);
        return sl__rewho(ctx, st, who);
    }
    memcpy(traj, tmp, sizeof(double) * (size_t)cells);
    sl__free(ctx, tmp);
    if (drift) *drift = fabs(H0) > 1e-300 ? worst / fabs(H0) : worst;
    return SL_OK;
}
