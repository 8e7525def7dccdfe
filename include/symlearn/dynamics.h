/* libsymlearn dynamics: ODE integrators, samplers and the benchmark systems
 * of the conserved-quantity study (docs/conserved.md).
 *
 * A state is a row of d doubles; a trajectory is n_out rows, row-major
 * (n_out x d), row i the state after i * every steps (row 0 the initial
 * state).  Hamiltonian states are z = (q, p), q and p of n = d / 2 entries.
 *
 * Callbacks return 0 on success; any other value stops the call, which then
 * returns SL_ERR_NUMERIC with a message naming the call, the callback and
 * the step.  A NaN or Inf state is SL_ERR_NONFINITE.  Nothing is written to
 * the outputs of a failed call.
 *
 * Randomness: the samplers draw from the context's seed (sl_ctx_seed) with
 * the counter-based RNG of core.h; `stream` (0, 1, ...) selects independent
 * draws, so the same (seed, stream) gives the same points on every machine
 * and thread count.
 *
 * Thread safety: one thread at a time per context and per system. */
#ifndef SYMLEARN_DYNAMICS_H
#define SYMLEARN_DYNAMICS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* dx/dt = f(t, x): write dxdt (d doubles) at state x (d doubles). */
typedef int (*sl_vector_field_fn)(void *user, double t, const double *x, double *dxdt, int64_t d);
/* A gradient: grad (n doubles) of a function at x (n doubles).  Used for
 * dV/dq(q) and dT/dp(p) of a separable Hamiltonian H = T(p) + V(q), and
 * (with n = d) for the full gradient dH/dz of H(z). */
typedef int (*sl_gradient_fn)(void *user, const double *x, double *grad, int64_t n);
/* 1 when the state x (d doubles) lies in the domain of interest, else 0
 * (e.g. r > 0.5 for Kepler).  Used to reject samples and trajectories. */
typedef int (*sl_domain_fn)(void *user, const double *x, int64_t d);

/* ---- Integrators ---------------------------------------------------------------
 * Common arguments: d (or n) in 1..2^20, dt finite and nonzero (negative
 * integrates backwards), n_out in 1..2^40, every in 1..2^40 with
 * (n_out - 1) * every steps in all (at most 2^40), traj n_out x d.
 * Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NONFINITE (x0 or a state),
 * SL_ERR_NUMERIC (a callback failed), SL_ERR_NOMEM. */

/* Classical 4th-order Runge-Kutta from (t0, x0) with step dt. */
SL_API sl_status sl_ode_rk4(sl_ctx *ctx, sl_vector_field_fn f, void *user, int64_t d, const double *x0,
                            double t0, double dt, int64_t n_out, int64_t every, double *traj);

/* Symplectic schemes for separable H = T(p) + V(q):
 *  SL_ODE_LEAPFROG  Stormer-Verlet, kick-drift-kick (2nd order; Hairer,
 *                   Lubich, Wanner, Acta Numerica 12 (2003) 399, eq. (1.4));
 *  SL_ODE_YOSHIDA4  Yoshida's triple composition of leapfrog with weights
 *                   w1 = 1/(2 - 2^(1/3)), w0 = 1 - 2 w1 (4th order; Phys.
 *                   Lett. A 150 (1990) 262, eq. (4.4)). */
enum { SL_ODE_LEAPFROG = 1, SL_ODE_YOSHIDA4 = 2 };

/* z0 = (q0, p0) of 2n doubles; dVdq(user, q, g, n) and dTdp(user, p, g, n)
 * (dTdp NULL: T = |p|^2 / 2, dT/dp = p).  traj is n_out x 2n. */
SL_API sl_status sl_ode_symplectic(sl_ctx *ctx, int method, sl_gradient_fn dVdq, sl_gradient_fn dTdp,
                                   void *user, int64_t n, const double *z0, double dt, int64_t n_out,
                                   int64_t every, double *traj);
/* The same from the full gradient gradH(user, z, g, d) of a separable H
 * (d = 2n even): the kicks use g[0..n) = dH/dq, the drifts g[n..2n) = dH/dp,
 * each evaluated at the current z.  For a non-separable H the scheme is not
 * symplectic (use sl_ode_rk4). */
SL_API sl_status sl_ode_symplectic_h(sl_ctx *ctx, int method, sl_gradient_fn gradH, void *user, int64_t d,
                                     const double *z0, double dt, int64_t n_out, int64_t every, double *traj);

/* ---- Samplers -----------------------------------------------------------------
 * Uniform points in the box lo[i] <= x_i < hi[i] (lo < hi, finite), kept
 * when domain (may be NULL) accepts them: m points (m in 1..2^30) into x
 * (m x d).  Draws are rejected until m are kept; more than 1000 m draws is
 * SL_ERR_NUMERIC ("the domain is too small").  Errors as the integrators. */
SL_API sl_status sl_sample_box(sl_ctx *ctx, int64_t d, const double *lo, const double *hi, sl_domain_fn domain,
                               void *domain_user, int64_t m, uint64_t stream, double *x);

/* Points along trajectories: n_traj initial conditions uniform in the box
 * (kept by domain as sl_sample_box), each integrated with RK4 (step dt,
 * per_traj points every `every` steps from t = 0).  A trajectory that leaves
 * the domain or becomes non-finite is redrawn (at most 1000 n_traj draws).
 * x: (n_traj * per_traj) x d, trajectory after trajectory; group (may be
 * NULL): n_traj * per_traj group ids, the trajectory index 0..n_traj-1 (the
 * grouping of the Siamese method, Wetzel et al. PRR 2 (2020) 033499). */
SL_API sl_status sl_sample_trajectories(sl_ctx *ctx, sl_vector_field_fn f, void *user, int64_t d,
                                        const double *lo, const double *hi, sl_domain_fn domain,
                                        void *domain_user, int64_t n_traj, int64_t per_traj, double dt,
                                        int64_t every, uint64_t stream, double *x, int64_t *group);

/* ---- Benchmark systems (docs/conserved.md) --------------------------------------
 * Masses, lengths, couplings and G are 1 unless stated.
 *
 *  B1 SL_SYSTEM_OSCILLATOR     d 2, (x, p): H = (p^2 + x^2)/2.  Known: H.
 *  B2 SL_SYSTEM_ISOTROPIC      d 4, (x, y, px, py): H = (px^2 + py^2 + x^2 + y^2)/2.
 *                              Known: E_x = (px^2 + x^2)/2, E_y, L = x py - y px.
 *  B3 SL_SYSTEM_ANISOTROPIC    d 4: H = (px^2 + py^2 + w1^2 x^2 + w2^2 y^2)/2,
 *                              w = (1, sqrt 2), incommensurate (negative control).
 *                              Known: E_x, E_y.
 *  B4 SL_SYSTEM_RESONANT       as B3 with w = (1, 2).  Known: E_x, E_y and the
 *                              cubic K = Re(a^2 conj b) / 2 = y (x^2 - px^2) + x px py
 *                              (a = x + i px, b = 2 y + i py; Im(a^2 conj b),
 *                              4 x y px - x^2 py + px^2 py, is also conserved
 *                              and depends on the other three).
 *  B5 SL_SYSTEM_KEPLER         d 4, (x, y, px, py): H = (px^2 + py^2)/2 - 1/r.
 *                              Known: H, L = x py - y px, and the
 *                              Laplace-Runge-Lenz components A_x = py L - x/r,
 *                              A_y = -px L - y/r (A_x, A_y, H, L have rank 3).
 *                              Box x, y in [-2, 2], p in [-1, 1]; domain r > 0.5.
 *  B6 SL_SYSTEM_TODA           d 6, periodic 3-particle Toda (q1..q3, p1..p3):
 *                              H = sum p_i^2/2 + sum_i exp(q_i - q_{i+1}), q_4 = q_1.
 *                              Known: P = sum p_i, H, I3 = p1 p2 p3
 *                              - p1 e^(q2-q3) - p2 e^(q3-q1) - p3 e^(q1-q2)
 *                              (Henon 1974, Flaschka 1974); box [-1, 1]^6.
 *  B7 SL_SYSTEM_DOUBLE_PENDULUM d 4, (th1, th2, p1, p2), g = 1:
 *                              H = (p1^2 + 2 p2^2 - 2 p1 p2 cos D) / (2 (1 + sin^2 D))
 *                                  - 2 cos th1 - cos th2, D = th1 - th2.  Known: H.
 *                              Not separable (no dV/dq, dT/dp).
 *  B8 SL_SYSTEM_THREE_BODY     d 12, planar, (q1x, q1y, q2x, ..., q3y, p1x, ...):
 *                              H = sum |p_i|^2/2 - sum_{i<j} 1/r_ij.  Known: H,
 *                              P_x, P_y, L; box [-2, 2]^12, domain r_ij > 0.5.
 *  B9 SL_SYSTEM_SID_TOY        d 3: x' = x (y - z), y' = y (z - x), z' = z (x - y)
 *                              (Liu et al. arXiv 2305.19525).  Known: x + y + z, x y z;
 *                              box [0.1, 2]^3.  Not Hamiltonian in these coordinates.
 *     SL_SYSTEM_FPU_BETA       d 8, periodic beta-FPU chain of 4 particles, beta = 1:
 *                              H = sum p_i^2/2 + sum_i (u_i^2/2 + u_i^4/4),
 *                              u_i = q_{i+1} - q_i, q_5 = q_1.  Known: H, P = sum p_i.
 *  G1 SL_SYSTEM_LORENTZ_EVENTS d 4, (t, x, y, z): events seen in boosted frames;
 *                              no vector field (grouped samples only).  Known:
 *                              s^2 = t^2 - x^2 - y^2 - z^2.
 *  G2 SL_SYSTEM_EM_FIELDS      d 6, (E, B) under boosts; grouped samples only.
 *                              Known: E.B and E^2 - B^2.
 */
enum {
    SL_SYSTEM_OSCILLATOR = 1,
    SL_SYSTEM_ISOTROPIC = 2,
    SL_SYSTEM_ANISOTROPIC = 3,
    SL_SYSTEM_RESONANT = 4,
    SL_SYSTEM_KEPLER = 5,
    SL_SYSTEM_TODA = 6,
    SL_SYSTEM_DOUBLE_PENDULUM = 7,
    SL_SYSTEM_THREE_BODY = 8,
    SL_SYSTEM_SID_TOY = 9,
    SL_SYSTEM_FPU_BETA = 10,
    SL_SYSTEM_LORENTZ_EVENTS = 11,
    SL_SYSTEM_EM_FIELDS = 12
};

typedef struct sl_system sl_system;

/* Create system `kind` (SL_SYSTEM_*).  Errors: SL_ERR_NULL, SL_ERR_ARG (an
 * unknown kind), SL_ERR_NOMEM. */
SL_API sl_status sl_system_create(sl_ctx *ctx, int kind, sl_system **out);
SL_API void sl_system_destroy(sl_system *s);                 /* NULL is a no-op */
SL_API int sl_system_kind(const sl_system *s);               /* 0 for NULL */
SL_API int64_t sl_system_dim(const sl_system *s);            /* d; 0 for NULL */
/* "B5 Kepler 2D" and so on; owned by the library, never NULL. */
SL_API const char *sl_system_name(const sl_system *s);
/* 1 when the system has a Hamiltonian (B1-B8, FPU); 1 also from
 * sl_system_is_separable when H = T(p) + V(q) (all but B7). */
SL_API int sl_system_is_hamiltonian(const sl_system *s);
SL_API int sl_system_is_separable(const sl_system *s);
/* 1 for the grouped-sample systems G1, G2 (no vector field). */
SL_API int sl_system_is_grouped(const sl_system *s);
/* The default sample box (lo, hi: d doubles each). */
SL_API sl_status sl_system_box(const sl_system *s, double *lo, double *hi);

/* Callbacks: pass the system as `user`.  They return nonzero for a NULL
 * system, a dimension other than the system's, or a system without that
 * function (the vector field of G1, G2; dV/dq of B7, ...). */
SL_API int sl_system_vector_field(void *system, double t, const double *x, double *dxdt, int64_t d);
SL_API int sl_system_in_domain(void *system, const double *x, int64_t d);
SL_API int sl_system_grad_v(void *system, const double *q, double *grad, int64_t n);  /* dV/dq */
SL_API int sl_system_grad_t(void *system, const double *p, double *grad, int64_t n);  /* dT/dp */
SL_API int sl_system_grad_h(void *system, const double *z, double *grad, int64_t d);  /* dH/dz */

/* H at m states x (m x d) into h (m).  Errors: SL_ERR_NULL, SL_ERR_ARG (m
 * out of 1..2^40), SL_ERR_STATE (no Hamiltonian). */
SL_API sl_status sl_system_hamiltonian(const sl_system *s, int64_t m, const double *x, double *h);
/* The known conserved quantities (in the order listed above): how many, the
 * name of the k-th ("L = x py - y px"), and its values at m states. */
SL_API int sl_system_known_count(const sl_system *s);
SL_API const char *sl_system_known_name(const sl_system *s, int k);   /* NULL when out of range */
SL_API sl_status sl_system_known_eval(const sl_system *s, int k, int64_t m, const double *x, double *values);

/* Grouped samples of G1 / G2: n_groups groups of per_group points each, the
 * points of a group one random event (t, x, y, z uniform in [-1, 1]) or
 * field (E, B uniform in [-1, 1]^6) seen in per_group frames boosted with
 * rapidity uniform in [0, 1) along a uniform random direction.  x:
 * (n_groups * per_group) x d, group: the group id of each point (may be
 * NULL).  Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_STATE (not a grouped
 * system). */
SL_API sl_status sl_system_sample_groups(const sl_system *s, int64_t n_groups, int64_t per_group, uint64_t stream,
                                         double *x, int64_t *group);

#ifdef __cplusplus
}
#endif
#endif
