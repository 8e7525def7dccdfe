/* ODE integrators: classical RK4, and leapfrog / Yoshida-4 for separable
 * Hamiltonians (include/symlearn/dynamics.h). */
#include "dynamics_internal.h"

#include <math.h>

sl_status sl__ode_check(sl_ctx *ctx, const char *who, int64_t d, const double *x0, double dt, int64_t n_out,
                        int64_t every, const double *traj)
{
    if (!x0) return sl__fail(ctx, SL_ERR_NULL, "%s: the initial state is NULL", who);
    if (!traj) return sl__fail(ctx, SL_ERR_NULL, "%s: traj is NULL", who);
    if (d < 1 || d > SL__DYN_MAX_DIM) return sl__fail(ctx, SL_ERR_ARG, "%s: dimension %lld (must be 1..%lld)", who, (long long)d, (long long)SL__DYN_MAX_DIM);
    if (!isfinite(dt) || dt == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: dt = %g (must be finite and nonzero)", who, dt);
    if (n_out < 1 || n_out > SL__DYN_MAX_STEPS) return sl__fail(ctx, SL_ERR_ARG, "%s: n_out = %lld (must be 1..2^40)", who, (long long)n_out);
    if (every < 1 || every > SL__DYN_MAX_STEPS) return sl__fail(ctx, SL_ERR_ARG, "%s: every = %lld (must be 1..2^40)", who, (long long)every);
    int64_t steps, cells;
    if (!sl__mul_ok(n_out - 1, every, &steps) || steps > SL__DYN_MAX_STEPS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: (n_out - 1) * every = %lld x %lld steps is too many (at most 2^40)", who, (long long)(n_out - 1), (long long)every);
    if (!sl__mul_ok(n_out, d, &cells)) return sl__fail(ctx, SL_ERR_ARG, "%s: n_out x d = %lld x %lld is too large", who, (long long)n_out, (long long)d);
    int64_t bad = sl__first_nonfinite(x0, (size_t)d);
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x0[%lld] = %g (not finite)", who, (long long)bad, x0[bad]);
    return SL_OK;
}

/* ---- RK4 ------------------------------------------------------------------------ */
sl_status sl__rk4_run(sl_ctx *ctx, const char *who, sl_vector_field_fn f, void *user, int64_t d, const double *x0,
                      double t0, double dt, int64_t n_out, int64_t every, double *traj, double *work)
{
    double *x = work, *k1 = x + d, *k2 = k1 + d, *k3 = k2 + d, *k4 = k3 + d, *tmp = k4 + d;
    memcpy(x, x0, sizeof(double) * (size_t)d);
    memcpy(traj, x, sizeof(double) * (size_t)d);
    int64_t step = 0;
    for (int64_t row = 1; row < n_out; ++row) {
        for (int64_t s = 0; s < every; ++s, ++step) {
            double t = t0 + (double)step * dt;
            int rc;
#define CALL(tt, xx, kk)                                                                                          \
    if ((rc = f(user, (tt), (xx), (kk), d)) != 0)                                                                 \
        return sl__fail(ctx, SL_ERR_NUMERIC, "%s: the vector field returned %d at step %lld (t = %g)", who, rc, \
                        (long long)step, (tt));
            CALL(t, x, k1);
            for (int64_t i = 0; i < d; ++i) tmp[i] = x[i] + 0.5 * dt * k1[i];
            CALL(t + 0.5 * dt, tmp, k2);
            for (int64_t i = 0; i < d; ++i) tmp[i] = x[i] + 0.5 * dt * k2[i];
            CALL(t + 0.5 * dt, tmp, k3);
            for (int64_t i = 0; i < d; ++i) tmp[i] = x[i] + dt * k3[i];
            CALL(t + dt, tmp, k4);
#undef CALL
            for (int64_t i = 0; i < d; ++i) x[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
            int64_t bad = sl__first_nonfinite(x, (size_t)d);
            if (bad >= 0)
                return sl__fail(ctx, SL_ERR_NONFINITE, "%s: the state became non-finite at step %lld (x[%lld] = %g)", who,
                                (long long)step + 1, (long long)bad, x[bad]);
        }
        memcpy(traj + row * d, x, sizeof(double) * (size_t)d);
    }
    return SL_OK;
}

sl_status sl_ode_rk4(sl_ctx *ctx, sl_vector_field_fn f, void *user, int64_t d, const double *x0, double t0, double dt,
                     int64_t n_out, int64_t every, double *traj)
{
    const char *who = "sl_ode_rk4";
    if (!ctx) return SL_ERR_NULL;
    if (!f) return sl__fail(ctx, SL_ERR_NULL, "%s: f is NULL", who);
    sl_status st = sl__ode_check(ctx, who, d, x0, dt, n_out, every, traj);
    if (st) return st;
    if (!isfinite(t0)) return sl__fail(ctx, SL_ERR_ARG, "%s: t0 = %g (must be finite)", who, t0);
    /* the trajectory is built in scratch and copied out only on success */
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)(6 * d + n_out * d), 0, who);
    if (!work) return SL_ERR_NOMEM;
    st = sl__rk4_run(ctx, who, f, user, d, x0, t0, dt, n_out, every, work + 6 * d, work);
    if (!st) memcpy(traj, work + 6 * d, sizeof(double) * (size_t)(n_out * d));
    sl__free(ctx, work);
    return st;
}

/* ---- Symplectic schemes ------------------------------------------------------------
 * A separable H = T(p) + V(q) given either as (dV/dq, dT/dp) or as dH/dz. */
typedef struct {
    sl_gradient_fn dv, dt, gradh;
    void *user;
    int64_t n;
    double *zfull, *gfull;   /* scratch for the dH/dz form (2n each) */
} sep;

/* g = dV/dq at (q, p) */
static int kick_grad(sep *h, const double *q, const double *p, double *g)
{
    if (!h->gradh) return h->dv(h->user, q, g, h->n);
    memcpy(h->zfull, q, sizeof(double) * (size_t)h->n);
    memcpy(h->zfull + h->n, p, sizeof(double) * (size_t)h->n);
    int rc = h->gradh(h->user, h->zfull, h->gfull, 2 * h->n);
    if (!rc) memcpy(g, h->gfull, sizeof(double) * (size_t)h->n);
    return rc;
}

/* g = dT/dp at (q, p) */
static int drift_grad(sep *h, const double *q, const double *p, double *g)
{
    if (h->gradh) {
        memcpy(h->zfull, q, sizeof(double) * (size_t)h->n);
        memcpy(h->zfull + h->n, p, sizeof(double) * (size_t)h->n);
        int rc = h->gradh(h->user, h->zfull, h->gfull, 2 * h->n);
        if (!rc) memcpy(g, h->gfull + h->n, sizeof(double) * (size_t)h->n);
        return rc;
    }
    if (!h->dt) {
        memcpy(g, p, sizeof(double) * (size_t)h->n);
        return 0;
    }
    return h->dt(h->user, p, g, h->n);
}

/* One kick-drift-kick leapfrog step of size dt (Stormer-Verlet). */
static int leapfrog(sep *h, double *q, double *p, double dt, double *g)
{
    int64_t n = h->n;
    int rc;
    if ((rc = kick_grad(h, q, p, g))) return rc;
    for (int64_t i = 0; i < n; ++i) p[i] -= 0.5 * dt * g[i];
    if ((rc = drift_grad(h, q, p, g))) return rc;
    for (int64_t i = 0; i < n; ++i) q[i] += dt * g[i];
    if ((rc = kick_grad(h, q, p, g))) return rc;
    for (int64_t i = 0; i < n; ++i) p[i] -= 0.5 * dt * g[i];
    return 0;
}

static sl_status symplectic(sl_ctx *ctx, const char *who, int method, sep *h, const double *z0, double dt,
                            int64_t n_out, int64_t every, double *traj)
{
    if (method != SL_ODE_LEAPFROG && method != SL_ODE_YOSHIDA4)
        return sl__fail(ctx, SL_ERR_ARG, "%s: method = %d (SL_ODE_LEAPFROG or SL_ODE_YOSHIDA4)", who, method);
    int64_t n = h->n, d = 2 * n;
    sl_status st = sl__ode_check(ctx, who, d, z0, dt, n_out, every, traj);
    if (st) return st;
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)(6 * d + n_out * d), 0, who);
    if (!work) return SL_ERR_NOMEM;
    double *z = work, *g = z + d, *out = work + 6 * d;
    h->zfull = g + d;
    h->gfull = h->zfull + d;
    memcpy(z, z0, sizeof(double) * (size_t)d);
    memcpy(out, z, sizeof(double) * (size_t)d);
    /* Yoshida 1990, eq. (4.4): x1 = 1/(2 - 2^(1/3)), x0 = -2^(1/3) x1 */
    const double w1 = 1.0 / (2.0 - cbrt(2.0)), w0 = 1.0 - 2.0 * w1;
    const double ws[3] = {w1, w0, w1};
    int nsub = method == SL_ODE_YOSHIDA4 ? 3 : 1;
    int64_t step = 0;
    for (int64_t row = 1; row < n_out && !st; ++row) {
        for (int64_t s = 0; s < every && !st; ++s, ++step) {
            for (int k = 0; k < nsub; ++k) {
                int rc = leapfrog(h, z, z + n, nsub == 1 ? dt : ws[k] * dt, g);
                if (rc) {
                    st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: a gradient callback returned %d at step %lld", who, rc,
                                  (long long)step);
                    break;
                }
            }
            int64_t bad = st ? -1 : sl__first_nonfinite(z, (size_t)d);
            if (bad >= 0)
                st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the state became non-finite at step %lld (z[%lld] = %g)", who,
                              (long long)step + 1, (long long)bad, z[bad]);
        }
        if (!st) memcpy(out + row * d, z, sizeof(double) * (size_t)d);
    }
    if (!st) memcpy(traj, out, sizeof(double) * (size_t)(n_out * d));
    sl__free(ctx, work);
    return st;
}

sl_status sl_ode_symplectic(sl_ctx *ctx, int method, sl_gradient_fn dVdq, sl_gradient_fn dTdp, void *user, int64_t n,
                            const double *z0, double dt, int64_t n_out, int64_t every, double *traj)
{
    const char *who = "sl_ode_symplectic";
    if (!ctx) return SL_ERR_NULL;
    if (!dVdq) return sl__fail(ctx, SL_ERR_NULL, "%s: dVdq is NULL", who);
    if (n < 1 || n > SL__DYN_MAX_DIM / 2) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld (must be 1..2^19)", who, (long long)n);
    sep h = {dVdq, dTdp, NULL, user, n, NULL, NULL};
    return symplectic(ctx, who, method, &h, z0, dt, n_out, every, traj);
}

sl_status sl_ode_symplectic_h(sl_ctx *ctx, int method, sl_gradient_fn gradH, void *user, int64_t d, const double *z0,
                              double dt, int64_t n_out, int64_t every, double *traj)
{
    const char *who = "sl_ode_symplectic_h";
    if (!ctx) return SL_ERR_NULL;
    if (!gradH) return sl__fail(ctx, SL_ERR_NULL, "%s: gradH is NULL", who);
    if (d < 2 || d > SL__DYN_MAX_DIM || d % 2)
        return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (must be even, 2..2^20)", who, (long long)d);
    sep h = {NULL, NULL, gradH, user, d / 2, NULL, NULL};
    return symplectic(ctx, who, method, &h, z0, dt, n_out, every, traj);
}
