/* libsymlearn integrability: Lax pairs learned from equations of motion
 * (Krippendorf, Lust, Syvaeri, "Integrability ex machina", Fortschr. Phys.
 * 69 (2021) 2100057, arXiv 2103.07475), the loss terms as graph functions,
 * and analytic pairs (oscillators, open and periodic Toda) for tests.
 *
 * A Lax pair of a system xdot = f(x), x in R^d, is a pair of N x N matrix
 * functions L(x), M(x) with
 *     dL/dt = (dL/dx) f(x) = [L, M] = L M - M L
 * along every trajectory (the convention of the slides; for dL/dt = [M, L]
 * replace M by -M).  Then every tr L^k is conserved, since
 * d/dt tr L^k = k tr(L^{k-1} [L, M]) = 0.  docs/integrability.md has the
 * formulas, the trivial minima the extra terms exclude, and the papers.
 *
 * Layout: points are rows (m x d, row-major); matrices are batches
 * (m x N x N, row-major, entry (i, j) of point b at b N^2 + i N + j).
 *
 * Thread safety: one thread at a time per context and per object. */
#ifndef SYMLEARN_LAX_H
#define SYMLEARN_LAX_H

#include <stdio.h>

#include "dynamics.h"
#include "graph.h"
#include "nn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Graph pieces ---------------------------------------------------------------
 * All return a new node of x's graph, or NULL on error (sticky, as for ops:
 * SL_ERR_NULL, SL_ERR_SHAPE, SL_ERR_DTYPE, SL_ERR_GRAPH, messages naming the
 * call).  Everything is f64; derivatives of any order work. */

/* dL/dt = (dL/dx) xdot for L any node computed from x (B, d) (for example a
 * network's output reshaped to (B, N, N)), row by row: a Jacobian-vector
 * product, built as the transpose of a vector-Jacobian product (the
 * double-vjp construction: w -> w^T dL/dx is linear in w, and its gradient
 * with respect to w along xdot is (dL/dx) xdot).  xdot: (B, d), the same
 * shape as x; it may itself depend on x.  L must not mix rows (row b of L a
 * function of row b of x only), which holds for networks applied row-wise. */
SL_API sl_node *sl_lax_ldot(sl_graph *g, sl_node *L, sl_node *x, sl_node *xdot);

/* The same for an MLP (nn.h) by forward tangent propagation, one pass
 * beside the network's own:  t_0 = xdot, t_l = act'(z_l) * (t_{l-1} W_l),
 * Ldot = t_{L-1} W_L; cheaper than sl_lax_ldot.  The network maps d -> N^2
 * (widths[L] = n * n); *L (may be NULL) receives net(x) as (B, n, n) and the
 * result is Ldot as (B, n, n). */
SL_API sl_node *sl_lax_mlp_ldot(sl_mlp *net, sl_node *x, sl_node *xdot, int64_t n, sl_node **L);

/* [A, B] = A B - B A for batches (..., N, N). */
SL_API sl_node *sl_lax_commutator(sl_graph *g, sl_node *a, sl_node *b);

/* ---- Loss terms (KLS 2021; the slides' "Formulating the search as optimisation")
 * L, Ldot, M: (B, N, N); xdot: (B, d).  Norms are Frobenius; "mean" is over
 * the B rows. */

/* L_Lax = mean_b |Ldot - [L, M]|_F^2. */
SL_API sl_node *sl_loss_lax(sl_graph *g, sl_node *L, sl_node *ldot, sl_node *M);

/* The L-term (A = Ldot) and the LM-term (A = [L, M]) of the slides:
 *   sum_ij min( min_k |c_ijk A_ij - xdot_k|^2, |A_ij|^2 )
 *     + sum_k min_ij |c_ijk A_ij - xdot_k|^2,
 * |.|^2 the mean over the batch.  Each entry of A is either proportional to
 * a component of the equations of motion or zero, and every component
 * appears in some entry: L "contains" x (L-term) and [L, M] contains f
 * (LM-term).  The ratio c_ijk is
 *   SL_LAX_RATIO_SUM  sum_b A_ij / sum_b xdot_k (the slides; a column k of
 *                     xdot with sum 0 gives Inf: avoid it), or
 *   SL_LAX_RATIO_LSQ  the least-squares ratio sum_b A_ij xdot_k / sum_b A_ij^2
 *                     (then |c A - xdot_k|^2 = |xdot_k|^2 - <A, xdot_k>^2 / |A|^2,
 *                     with 1e-300 added to |A|^2).
 * The minima are taken as min(a, b) = (a + b - |a - b|) / 2.  Both forms are
 * 0 on an exact pair whose entries are proportional to components of f. */
enum { SL_LAX_RATIO_SUM = 1, SL_LAX_RATIO_LSQ = 2 };
SL_API sl_node *sl_loss_lax_match(sl_graph *g, sl_node *a, sl_node *xdot, int ratio);

/* Mode collapse: max(1 - mean_b sum_ij |A_ij|, 0), for A = L or M. */
SL_API sl_node *sl_loss_lax_mode_collapse(sl_graph *g, sl_node *a);

/* Scale fixing: (mean_b |L - <L>|_F^2 / target - 1)^2, <L> the batch mean of
 * L (target > 0).  The Lax equation is linear in L, so this fixes the free
 * overall scale and excludes L = 0 and L constant. */
SL_API sl_node *sl_loss_lax_scale(sl_graph *g, sl_node *L, double target);

/* Non-stationarity: max(1 - mean_b |Ldot|_F^2 / target, 0) (target > 0).
 * Excludes the minima with Ldot = 0: L constant with [L, M] = 0, L
 * proportional to 1, M a polynomial in L. */
SL_API sl_node *sl_loss_lax_motion(sl_graph *g, sl_node *ldot, double target);

/* Spectral non-degeneracy: max(1 - var_b(tr L^2) / target, 0) (target > 0;
 * for complex L, var_b = mean_b |tr L^2 - <tr L^2>|^2).  Excludes the minima
 * whose traces are all constant though Ldot != 0: a nilpotent L, such as
 * open Toda's L = sum a_i E_{i,i+1} with M = diag(b) (up to scale), an exact
 * Lax pair with tr L^k = 0 for all k (docs/integrability.md). */
SL_API sl_node *sl_loss_lax_spectrum(sl_graph *g, sl_node *L, double target);

/* ---- Analytic pairs ----------------------------------------------------------------
 *  SL_LAX_OSCILLATOR         d 2, x = (q, p), N 2, param omega (> 0):
 *                            H = (p^2 + omega^2 q^2)/2, L = (p, w q; w q, -p),
 *                            M = (w/2) (0, 1; -1, 0) (the slides' pair, a = b = 1);
 *                            tr L^2 = 4 H.
 *  SL_LAX_COUPLED_OSCILLATORS d 4, x = (qx, qy, px, py), N 4, param eps (|eps| < 1):
 *                            H = (px^2 + py^2 + qx^2 + qy^2)/2 + eps qx qy;
 *                            L, M block diagonal: the oscillator pair in the
 *                            normal modes u, v = (qx +- qy)/sqrt 2 with
 *                            omega = sqrt(1 +- eps).  eps = 0 gives
 *                            diag(L(qx, px), L(qy, py)) (embedding_dualities.md §3).
 *  SL_LAX_TODA_OPEN          sites n >= 2, d 2n, x = (q_1..q_n, p_1..p_n), N n:
 *                            H = sum p_i^2/2 + sum_{i<n} exp(q_i - q_{i+1});
 *                            Flaschka: a_i = exp((q_i - q_{i+1})/2)/2, b_i = -p_i/2,
 *                            L tridiagonal (a, b, a), M_{i,i+1} = -a_i,
 *                            M_{i+1,i} = a_i; tr L^2 = H/2.  param unused.
 *  SL_LAX_TODA_PERIODIC      sites n >= 3, as open plus exp(q_n - q_1),
 *                            a_n = exp((q_n - q_1)/2)/2 in the corners with the
 *                            spectral parameter lambda = param (nonzero):
 *                            L_{n1} = a_n lambda, L_{1n} = a_n / lambda,
 *                            M_{n1} = -a_n lambda, M_{1n} = a_n / lambda.
 * The vector field is Hamilton's, xdot = (dH/dp, -dH/dq). */
enum { SL_LAX_OSCILLATOR = 1, SL_LAX_COUPLED_OSCILLATORS = 2, SL_LAX_TODA_OPEN = 3, SL_LAX_TODA_PERIODIC = 4 };

typedef struct sl_lax_builtin sl_lax_builtin;

/* sites: used by the Toda kinds (2..4096), ignored (may be 0) otherwise.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (unknown kind, sites, param out of range),
 * SL_ERR_NOMEM. */
SL_API sl_status sl_lax_builtin_create(sl_ctx *ctx, int kind, int64_t sites, double param, sl_lax_builtin **out);
SL_API void sl_lax_builtin_destroy(sl_lax_builtin *b);          /* NULL is a no-op */
SL_API int64_t sl_lax_builtin_dim(const sl_lax_builtin *b);     /* d; 0 for NULL */
SL_API int64_t sl_lax_builtin_size(const sl_lax_builtin *b);    /* N; 0 for NULL */
/* The equations of motion as an sl_vector_field_fn: pass the builtin as
 * user; nonzero for NULL or a wrong d. */
SL_API int sl_lax_builtin_vector_field(void *builtin, double t, const double *x, double *dxdt, int64_t d);
/* H at m points (m x d) into h (m).  L and M (lmat, mmat: m x N x N each;
 * either may be NULL) at m points.  m in 1..2^30.  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_NONFINITE (x). */
SL_API sl_status sl_lax_builtin_hamiltonian(const sl_lax_builtin *b, int64_t m, const double *x, double *h);
SL_API sl_status sl_lax_builtin_eval(const sl_lax_builtin *b, int64_t m, const double *x, double *lmat, double *mmat);
/* L(x) as a graph expression of x (B, d) of g, (B, N, N); *M (may be NULL)
 * receives M(x).  NULL on error (sticky). */
SL_API sl_node *sl_lax_builtin_graph(const sl_lax_builtin *b, sl_graph *g, sl_node *x, sl_node **M);

/* ---- Discovery -------------------------------------------------------------------------
 * Models:
 *   SL_LAX_MODEL_MLP     L(x), M(x) two MLPs d -> hidden^depth -> N^2, Ldot
 *                        by sl_lax_mlp_ldot;
 *   SL_LAX_MODEL_LINEAR  L = x A + a0, M = x C + c0 (A, C: d x N^2 row-major,
 *                        a0, c0: N^2); with m_constant = 1, M = c0 only.
 * Loss  alpha_lax L_Lax + alpha_l L-term + alpha_lm LM-term
 *       + alpha_mc (MC(L) + MC(M)) + alpha_scale scale + alpha_motion motion
 *       + alpha_spectrum spectrum,
 * full batch on the training points, Adam (steps, lr) and then optionally
 * L-BFGS (lbfgs_steps iterations, strong Wolfe) on the same loss.
 * Weights: flat, the MLP order of sl_mlp_get_weights (L's network, then
 * M's), or for LINEAR (A, a0, C, c0) (C omitted when m_constant). */
enum { SL_LAX_MODEL_MLP = 1, SL_LAX_MODEL_LINEAR = 2 };

/* Size-first options (rules in core.h); defaults in brackets. */
typedef struct sl_lax_opts {
    size_t size;              /* sizeof(sl_lax_opts) */
    int64_t n;                /* matrix size N, 2..64 [2] */
    int model;                /* SL_LAX_MODEL_* [MLP] */
    int64_t hidden;           /* MLP width, 1..4096 [32] */
    int depth;                /* MLP hidden layers, 1..8 [2] */
    int activation;           /* SL_ACT_* of nn.h [TANH] */
    int m_constant;           /* LINEAR: M constant (0 or 1) [0] */
    int64_t samples;          /* training points drawn in the box when x is NULL, 1..2^24 [1024] */
    const double *lo, *hi;    /* the box (d doubles each; NULL: [-1, 1]^d); copied */
    int64_t steps;            /* Adam steps, 0..10^8 [3000] */
    double lr;                /* Adam learning rate [1e-3] */
    int64_t lbfgs_steps;      /* L-BFGS iterations after Adam, 0..10^6 [0] */
    double alpha_lax;         /* [1] */
    double alpha_l;           /* L-term [0] */
    double alpha_lm;          /* LM-term [0] */
    double alpha_mc;          /* mode collapse of L and of M [1] */
    double alpha_scale;       /* scale fixing [0] */
    double alpha_motion;      /* non-stationarity [0] */
    double scale_target;      /* scale term target [0: its value at the initial weights] */
    double motion_target;     /* motion term target [1e-2] */
    int ratio;                /* SL_LAX_RATIO_* of the L- and LM-terms [LSQ] */
    const double *init;       /* initial weights (see above; copied) [NULL: random from the seed] */
    uint64_t seed;            /* network seeds (ctx seed + seed + ...) and sampler streams [0] */
    int kmax;                 /* traces tr L^k, k = 1..kmax, 1..8 [0: min(N, 8)] */
    int64_t holdout;          /* held-out points for the residual and spreads [1000], 1..2^24 */
    int64_t n_traj;           /* RK4 check trajectories from held-out points [4], 0..10^4 */
    double dt;                /* their step [0.01] */
    double t_end;             /* their length [20] */
    double max_drift;         /* tr L^k passes when its drift is below this [1e-6] */
    int regress_degree;       /* monomial degree of the entry fits, 0 (none) .. 6 [2] */
    double regress_threshold; /* STLSQ threshold [0.05] */
    double traj_shrink;       /* check trajectories start in the box shrunk about its centre by this
                                 factor, so that they stay where the pair was trained, in (0, 1] [0.5] */
    int64_t lm_steps;         /* LINEAR: Levenberg-Marquardt iterations after Adam and L-BFGS on the Lax,
                                 scale and motion residuals (the Lax residual is bilinear in (A, a0) and
                                 (C, c0)), 0..10^5, at most 4096 weights (else SL_ERR_ARG) [0] */
    int traceless;            /* 1: L is projected on its traceless part inside the model,
                                 L -> L - (tr L / N) 1 (and Ldot alike; M unchanged).  tr L is
                                 conserved for every Lax pair, so L - f(tr L) 1 is a Lax pair too:
                                 the projection removes that freedom (for open Toda, L + f(P) 1 with
                                 the total momentum P; docs/integrability.md).  tr L^1 is then 0
                                 and is not reported conserved.  0 or 1 [0] */
    int complex_valued;       /* 1: L and M are complex N x N (c128): the model's real outputs are
                                 read as (re, im) pairs, the loss terms use |z|^2 = re^2 + im^2 (the
                                 L- and LM-terms treat re and im of an entry as two entries), and
                                 the result's matrices and traces are interleaved (re, im) (see
                                 sl_lax_result_eval, sl_lax_result_trace).  Needs lm_steps = 0; no
                                 entry fits (regress_degree is ignored).  0 or 1 [0] */
    double alpha_spectrum;    /* spectral non-degeneracy, sl_loss_lax_spectrum (excludes nilpotent L,
                                 whose traces are all constant) [0] */
    double spectrum_target;   /* its target (> 0) [1e-2] */
} sl_lax_opts;

#define SL_LAX_OPTS_INIT                                                                              \
    { sizeof(sl_lax_opts), 2, SL_LAX_MODEL_MLP, 32, 2, SL_ACT_TANH, 0, 1024, NULL, NULL, 3000, 1e-3, 0, \
      1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1e-2, SL_LAX_RATIO_LSQ, NULL, 0, 0, 1000, 4, 0.01, 20.0, 1e-6, 2, 0.05, 0.5, 0, 0, 0, 0.0, 1e-2 }
SL_API sl_status sl_lax_opts_init_sized(sl_lax_opts *opts, size_t size);
#define sl_lax_opts_init(opts) ((void)sl_lax_opts_init_sized((opts), sizeof *(opts)))

typedef struct sl_lax_result sl_lax_result;

/* Learn a Lax pair of xdot = f(x) in R^d.  Training points: x (m x d) when
 * given, else opts->samples points uniform in the box (stream seed).  Their
 * velocities: xdot (m x d) when given, else f.  f may be NULL when x and
 * xdot are given (data only: then the held-out residual and trajectory
 * checks are skipped and report NaN).  With f, held-out points are drawn in
 * the box (stream seed + 1) and n_traj of them are integrated with RK4 over
 * [0, t_end] to check that each tr L^k is conserved; they start at points
 * drawn in the box shrunk by traj_shrink (stream seed + 2).
 * Errors: SL_ERR_NULL, SL_ERR_ARG (d out of 1..4096, m, bad options: each
 * named), SL_ERR_NONFINITE (NaN/Inf in x, xdot, or from f), SL_ERR_NUMERIC
 * (f failed), SL_ERR_NOMEM, or an optimiser's error.  *out = NULL on
 * failure. */
SL_API sl_status sl_discover_lax_pair(sl_ctx *ctx, const sl_lax_opts *opts, sl_vector_field_fn f, void *user,
                                      int64_t d, int64_t m, const double *x, const double *xdot,
                                      sl_lax_result **out);
SL_API void sl_lax_result_destroy(sl_lax_result *r);          /* NULL is a no-op */
SL_API int64_t sl_lax_result_dim(const sl_lax_result *r);     /* d; 0 for NULL */
SL_API int64_t sl_lax_result_size(const sl_lax_result *r);    /* N; 0 for NULL */

/* Loss terms after training on the training points (unweighted), and at
 * the initial weights (initial = 1).  NaN for NULL or an unknown term. */
enum { SL_LAX_TERM_TOTAL = 0, SL_LAX_TERM_LAX = 1, SL_LAX_TERM_L = 2, SL_LAX_TERM_LM = 3,
       SL_LAX_TERM_MC = 4, SL_LAX_TERM_SCALE = 5, SL_LAX_TERM_MOTION = 6, SL_LAX_TERM_SPECTRUM = 7 };
SL_API double sl_lax_result_loss(const sl_lax_result *r, int term, int initial);
/* Held-out relative residual mean |Ldot - [L, M]|^2 / mean |Ldot|^2 (NaN
 * without f). */
SL_API double sl_lax_result_residual(const sl_lax_result *r);
/* tr L^k (k = 1..kmax): its drift, the largest over the check trajectories
 * of max_t |F(t) - F(0)| / max(|F(0)|, spread scale) (NaN without f); its
 * spread, the standard deviation over the held-out points divided by the
 * mean absolute value (a conserved quantity that is constant everywhere is
 * trivial); and whether it passed (drift < max_drift and spread > 1e-3). */
SL_API double sl_lax_result_drift(const sl_lax_result *r, int k);
SL_API double sl_lax_result_spread(const sl_lax_result *r, int k);
SL_API int sl_lax_result_conserved(const sl_lax_result *r, int k);

/* L and M (lmat, mmat: m x N x N each, either may be NULL) and Ldot = (dL/dx) xdot (may
 * be NULL; needs xdot) at m points x.  tr L^k at m points into values (m).
 * For a complex pair (opts->complex_valued) every entry and every trace is
 * two doubles (re, im): lmat, mmat, ldot hold m x N x N x 2 and values 2 m.
 * Drift and spread then use the modulus |F(t) - F(0)| and mean |F - <F>|^2.
 * m in 1..2^30.  Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NONFINITE (x),
 * SL_ERR_NOMEM; nothing written on failure. */
SL_API sl_status sl_lax_result_eval(sl_lax_result *r, int64_t m, const double *x, const double *xdot, double *lmat,
                                    double *mmat, double *ldot);
SL_API sl_status sl_lax_result_trace(sl_lax_result *r, int k, int64_t m, const double *x, double *values);

/* The trained weights (see the discovery comment for their order). */
SL_API int64_t sl_lax_result_nweights(const sl_lax_result *r);
SL_API sl_status sl_lax_result_weights(const sl_lax_result *r, double *out);

/* Sparse regression (STLSQ, regression.h) of entry (i, j) of L (which = 'L')
 * or M ('M'; an int holding the character) on the monomials of x up to regress_degree, fitted on the
 * held-out points (variables x1..xd): its formula (SL_FORMULA_* style;
 * "y ~ 0.5 x2" reads L_ij = 0.5 x2; owned by the result) and R^2.  NULL /
 * NaN when out of range or when regress_degree was 0. */
SL_API const char *sl_lax_result_formula(const sl_lax_result *r, int which, int64_t i, int64_t j, int style);
SL_API double sl_lax_result_r2(const sl_lax_result *r, int which, int64_t i, int64_t j);

/* A readable summary: losses, residual, traces, formulas.  Errors:
 * SL_ERR_NULL, SL_ERR_IO. */
SL_API sl_status sl_lax_result_print(const sl_lax_result *r, FILE *f);


/* ---- Lax connections of 1+1D field theories (zero curvature) -------------------------
 * A field theory u_t = P(u, u_x, u_xx, ...) (nf fields u_a) is integrable in
 * the sense of Zakharov-Shabat / AKNS (1974) when there are N x N matrices
 * L_x(z, lambda), L_t(z, lambda) of the jet z and a spectral parameter with
 *     D_t L_x - D_x L_t + [L_x, L_t] = 0                                  (ZC)
 * identically in the jet (the compatibility of psi_x = L_x psi, psi_t = L_t
 * psi).  D_x, D_t are total derivatives: for F(z),
 *     D_x F = (dF/dz) z_x,   z_x = (u_x, u_xx, ...)      (the jet shifted by one),
 *     D_t F = (dF/dz) z_t,   z_t = (u_t, D_x u_t, ...)   (u_t from the PDE),
 * so both are Jacobian-vector products (sl_lax_ldot along z_x or z_t).
 *
 * Jet layout: z[k nf + a] = d^k u_a / dx^k.  The connection depends on the
 * jet up to order K (d = nf (K + 1) numbers); the PDE needs it up to order
 * J > K (jet_len = nf (J + 1)): z_x is jet[nf .. nf + d), z_t the PDE's
 * prolongation below. */

/* The PDE: from a jet of jet_len numbers write z_t (d numbers),
 * zt[k nf + a] = D_x^k (u_a)_t for k = 0..K.  Nonzero return: failure. */
typedef int (*sl_lax_pde_fn)(void *user, const double *jet, int64_t jet_len, double *zt, int64_t d);

/* mean_b |dt_lx - dx_lt + [lx, lt]|_F^2 for batches (B, N, N): the
 * zero-curvature loss.  NULL on error (sticky). */
SL_API sl_node *sl_loss_zero_curvature(sl_graph *g, sl_node *lx, sl_node *lt, sl_node *dt_lx, sl_node *dx_lt);

/* Analytic connections:
 *  SL_LAX_KDV         u_t = -6 u u_x - u_xxx (the slides' KdV), nf 1, K 2, J 5, N 2:
 *                     AKNS form (q = u, r = -1, zeta = i k; Ablowitz, Kaup, Newell,
 *                     Segur, Stud. Appl. Math. 53 (1974) 249) with real k = lambda:
 *                     L_x = (-k, u; -1, k),
 *                     L_t = (4k^3 + 2ku - u_x, -4k^2 u + 2k u_x - 2u^2 - u_xx;
 *                            4k^2 + 2u, -(4k^3 + 2ku - u_x)).
 *  SL_LAX_HEISENBERG  the continuous Heisenberg ferromagnet S_t = S x S_xx, |S| = 1,
 *                     nf 3, K 1, J 3, N 3 (Faddeev, Takhtajan, "Hamiltonian methods in
 *                     the theory of solitons", Part II ch. I, su(2) form; here in the
 *                     real adjoint representation so(3), T(v) w = v x w):
 *                     L_x = lambda T(S),  L_t = -lambda^2 T(S) + lambda T(S x S_x).
 *                     ZC holds on the sphere only (jets of curves with |S| = 1). */
enum { SL_LAX_KDV = 11, SL_LAX_HEISENBERG = 12 };

typedef struct sl_lax_connection_builtin sl_lax_connection_builtin;

/* Errors: SL_ERR_NULL, SL_ERR_ARG (unknown kind), SL_ERR_NOMEM. */
SL_API sl_status sl_lax_connection_builtin_create(sl_ctx *ctx, int kind, sl_lax_connection_builtin **out);
SL_API void sl_lax_connection_builtin_destroy(sl_lax_connection_builtin *b);        /* NULL is a no-op */
SL_API int64_t sl_lax_connection_builtin_fields(const sl_lax_connection_builtin *b);    /* nf; 0 for NULL */
SL_API int64_t sl_lax_connection_builtin_order(const sl_lax_connection_builtin *b);     /* K; -1 for NULL */
SL_API int64_t sl_lax_connection_builtin_jet_order(const sl_lax_connection_builtin *b); /* J; -1 for NULL */
SL_API int64_t sl_lax_connection_builtin_size(const sl_lax_connection_builtin *b);      /* N; 0 for NULL */
/* The PDE as an sl_lax_pde_fn (pass the builtin as user); nonzero for NULL or wrong sizes. */
SL_API int sl_lax_connection_builtin_pde(void *builtin, const double *jet, int64_t jet_len, double *zt, int64_t d);
/* m random jets (m x jet_len) from stream seed: KdV uniform in [-1, 1];
 * Heisenberg the jets at x = 0 of curves S = (sin th cos ph, sin th sin ph,
 * cos th) with th, ph polynomials (random Taylor coefficients), so every
 * differential consequence of |S| = 1 holds.  Errors: SL_ERR_NULL, SL_ERR_ARG (m). */
SL_API sl_status sl_lax_connection_builtin_sample(const sl_lax_connection_builtin *b, int64_t m, uint64_t seed,
                                                  double *jets);
/* L_x, L_t (lx, lt: m x N x N, either may be NULL) at m jets z (m x d, order K)
 * and spectral parameters lambda (m).  Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NONFINITE. */
SL_API sl_status sl_lax_connection_builtin_eval(const sl_lax_connection_builtin *b, int64_t m, const double *z,
                                                const double *lambda, double *lx, double *lt);
/* L_x as a graph expression of x (B, d + 1): the jet z and lambda in the
 * last column, (B, N, N); *lt (may be NULL) receives L_t.  NULL on error (sticky). */
SL_API sl_node *sl_lax_connection_builtin_graph(const sl_lax_connection_builtin *b, sl_graph *g, sl_node *x,
                                                sl_node **lt);

/* ---- Discovery of a Lax connection -----------------------------------------------------
 * Model (linear in a feature library): every entry of L_x and of L_t is
 *     sum_f W_{f,ij} phi_f(z, lambda),  phi = (jet monomial of degree <= degree) x lambda^p,
 * p = 0..lambda_degree, so D_x L = (D_x phi) W and D_t L = (D_t phi) W exactly;
 * L_x keeps only the features with p <= lambda_degree_x and jet variables of
 * order <= order_x (the weights of the others are 0: an L_x of higher degree
 * in lambda than the ZC structure needs only adds flat directions);
 * F = C(d + degree, degree) (lambda_degree + 1) features, weights (W_x, W_t),
 * each F x N^2 row-major.  Loss
 *   alpha_zc ZC + alpha_scale (mean |L_x - <L_x>|^2 / scale_target - 1)^2
 *   + alpha_commutator max(1 - mean |[L_x, L_t]|^2 / commutator_target, 0),
 * the last two excluding L = 0 and the abelian solutions ([L_x, L_t] = 0:
 * every conservation law D_t f = D_x g gives L_x = f A, L_t = g A).  Adam,
 * then L-BFGS, full batch, then Levenberg-Marquardt on the same residuals (the
 * commutator hinge squared there): the residuals are bilinear in the weights
 * and vanish at a solution, so Gauss-Newton steps reach float64 round-off
 * where first-order steps stall near 1e-3 (measured, docs/integrability.md). */
typedef struct sl_lax_connection_opts {
    size_t size;              /* sizeof(sl_lax_connection_opts) */
    int64_t n;                /* N, 2..16 [2] */
    int64_t fields;           /* nf, 1..16 [1] */
    int64_t order;            /* K, 0..8 [2] */
    int64_t jet_order;        /* J, order + 1 .. 32 [5] */
    int degree;               /* jet monomial degree, 0..4 [2] */
    int lambda_degree;        /* powers of lambda, 0..6 [3] */
    int64_t samples;          /* training jets drawn when jets is NULL, 1..2^22 [256] */
    double jet_range;         /* such jets uniform in [-jet_range, jet_range] (> 0) [1] */
    double lambda_lo, lambda_hi;  /* lambda uniform in [lo, hi] (lo <= hi) [-1, 1] */
    int64_t steps;            /* Adam steps before L-BFGS / LM, 0..10^8 [0] */
    double lr;                /* Adam learning rate [1e-2] */
    int64_t lbfgs_steps;      /* L-BFGS iterations, 0..10^6 [0] */
    double alpha_zc;          /* [1] */
    double alpha_scale;       /* [1] */
    double alpha_commutator;  /* [1] */
    double scale_target;      /* (> 0) [1] */
    double commutator_target; /* (> 0) [1] */
    const double *init;       /* initial weights (2 F N^2; copied) [NULL: uniform(-1, 1)/sqrt(F) from the seed] */
    uint64_t seed;            /* [0] */
    int64_t holdout;          /* held-out jets, 1..2^22 [1000] */
    int lambda_degree_x;      /* L_x uses only lambda^p, p <= this, 0..lambda_degree [1] */
    int64_t order_x;          /* L_x uses only the jet up to this order, 0..order (-1: order) [-1] */
    int64_t lm_steps;         /* Levenberg-Marquardt iterations after Adam and L-BFGS, 0..10^5 [400];
                                 LM takes at most 4096 free weights (else SL_ERR_ARG) */
} sl_lax_connection_opts;

#define SL_LAX_CONNECTION_OPTS_INIT                                                                        \
    { sizeof(sl_lax_connection_opts), 2, 1, 2, 5, 2, 3, 256, 1.0, -1.0, 1.0, 0, 1e-2, 0, 1.0, 1.0, 1.0, \
      1.0, 1.0, NULL, 0, 1000, 1, -1, 400 }
SL_API sl_status sl_lax_connection_opts_init_sized(sl_lax_connection_opts *opts, size_t size);
#define sl_lax_connection_opts_init(opts) ((void)sl_lax_connection_opts_init_sized((opts), sizeof *(opts)))

typedef struct sl_lax_connection_result sl_lax_connection_result;

/* Learn a Lax connection of the PDE pde (z_t of a jet, see sl_lax_pde_fn).
 * jets: m x jet_len given jets (the first m - holdout train, the last
 * holdout are held out; m > holdout), or NULL: samples + holdout jets
 * uniform in [-jet_range, jet_range] (streams seed, seed + 1).  lambda is
 * drawn per jet (stream seed + 2).  Errors: SL_ERR_NULL, SL_ERR_ARG (bad
 * options, each named; m), SL_ERR_NONFINITE (jets, or from pde),
 * SL_ERR_NUMERIC (pde failed), SL_ERR_NOMEM, or an optimiser's.  *out = NULL
 * on failure. */
SL_API sl_status sl_discover_lax_connection(sl_ctx *ctx, const sl_lax_connection_opts *opts, sl_lax_pde_fn pde,
                                            void *user, int64_t m, const double *jets,
                                            sl_lax_connection_result **out);
SL_API void sl_lax_connection_result_destroy(sl_lax_connection_result *r);   /* NULL is a no-op */
SL_API int64_t sl_lax_connection_result_size(const sl_lax_connection_result *r);      /* N; 0 for NULL */
SL_API int64_t sl_lax_connection_result_dim(const sl_lax_connection_result *r);       /* d; 0 for NULL */
/* Loss terms on the training jets (unweighted; initial = 1: at the initial weights). */
enum { SL_LAX_ZC_TERM_TOTAL = 0, SL_LAX_ZC_TERM_ZC = 1, SL_LAX_ZC_TERM_SCALE = 2, SL_LAX_ZC_TERM_COMMUTATOR = 3 };
SL_API double sl_lax_connection_result_loss(const sl_lax_connection_result *r, int term, int initial);
/* Held-out relative residual mean |ZC|^2 / (mean |D_t L_x|^2 + mean |D_x L_t|^2
 * + mean |[L_x, L_t]|^2), and the share of the commutator in that
 * denominator (0 for an abelian connection).  NaN for NULL. */
SL_API double sl_lax_connection_result_residual(const sl_lax_connection_result *r);
SL_API double sl_lax_connection_result_commutator(const sl_lax_connection_result *r);
/* L_x, L_t at m jets z (m x d) and lambda (m) (lx, lt may be NULL); with zx,
 * zt (m x d each) also dt_lx = D_t L_x and dx_lt = D_x L_t (may be NULL;
 * they need zx and zt).  m in 1..2^30.  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_NONFINITE, SL_ERR_NOMEM. */
SL_API sl_status sl_lax_connection_result_eval(const sl_lax_connection_result *r, int64_t m, const double *z,
                                               const double *lambda, const double *zx, const double *zt, double *lx,
                                               double *lt, double *dt_lx, double *dx_lt);
SL_API int64_t sl_lax_connection_result_nweights(const sl_lax_connection_result *r);
SL_API sl_status sl_lax_connection_result_weights(const sl_lax_connection_result *r, double *out);
/* The entries of L_x and L_t as polynomials (coefficients above 1e-3 of the
 * largest; variables z0.., lam).  Errors: SL_ERR_NULL, SL_ERR_IO. */
SL_API sl_status sl_lax_connection_result_print(const sl_lax_connection_result *r, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
