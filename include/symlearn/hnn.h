/* libsymlearn Hamiltonian neural networks: a scalar network H(q, p) trained
 * so that its symplectic gradient (dH/dp, -dH/dq) matches observed time
 * derivatives (Greydanus, Dzamba, Yosinski 2019, "Hamiltonian neural
 * networks", eq. 2), optionally separable (H = T(p) + V(q), two networks) and
 * optionally dissipative (a second network D whose gradient is added to the
 * field: Sosanya & Greydanus 2022, "Dissipative Hamiltonian neural networks",
 * eq. 5); evaluation of H and of the learned field; rollouts of the learned
 * dynamics with symplectic integrators and their energy drift; files.
 *
 * Phase-space points are rows z = (q_1..q_n, p_1..p_n) of 2n doubles; arrays
 * of m points are row-major m x 2n.  The loss is sl_loss_hnn of losses.h.
 *
 * Randomness: the initial weights come from the context's seed plus
 * opts->seed (as sl_mlp_create), the mini-batch order of sl_hnn_train from
 * the same seed: the same seeds give the same bits on every machine.
 * Messages: the library prints nothing; sl_hnn_train reports progress at
 * SL_LOG_INFO through the context's log callback.
 * Thread safety: one thread at a time per model (and per context). */
#ifndef SYMLEARN_HNN_H
#define SYMLEARN_HNN_H

#include "nn.h"
#include "optim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_hnn sl_hnn;

/* ReLU between layers: accepted by sl_hnn_create (H can be evaluated) but
 * refused by sl_hnn_train, because its second derivative vanishes (see
 * there).  The other activations are nn.h's SL_ACT_*. */
#define SL_HNN_ACT_RELU 100

/* ---- Model options ------------------------------------------------------------
 * Size-first (rules in core.h); defaults in brackets.  Every network is an MLP
 * of `depth` hidden layers of width `hidden` and one output:
 *   general:    H(z):  2n -> hidden x depth -> 1;
 *   separable:  T(p), V(q): each n -> hidden x depth -> 1, H = T(p) + V(q);
 *   dissipative: also D(z): 2n -> hidden x depth -> 1, field + grad D. */
typedef struct sl_hnn_opts {
    size_t size;          /* sizeof(sl_hnn_opts) */
    int64_t n;            /* phase-space half size, 1..4096 [0: must be set] */
    int depth;            /* hidden layers per network, 1..15 [2] */
    int64_t hidden;       /* width of the hidden layers, 1..2^16 [64] */
    int activation;       /* SL_ACT_* or SL_HNN_ACT_RELU [SL_ACT_TANH] */
    int separable;        /* 1: H = T(p) + V(q) [0] */
    int dissipative;      /* 1: a dissipation network D [0] */
    uint64_t seed;        /* weights of network k (H or T, V, D) from stream ctx seed + seed + 16 k + l [0] */
} sl_hnn_opts;

#define SL_HNN_OPTS_INIT { sizeof(sl_hnn_opts), 0, 2, 64, SL_ACT_TANH, 0, 0, 0 }
SL_API sl_status sl_hnn_opts_init_sized(sl_hnn_opts *opts, size_t size);
#define sl_hnn_opts_init(opts) ((void)sl_hnn_opts_init_sized((opts), sizeof *(opts)))

/* Create an untrained model (Glorot-uniform weights, zero biases).  Errors:
 * SL_ERR_NULL, SL_ERR_ARG (each field out of range, named), SL_ERR_NOMEM.
 * On failure *out = NULL. */
SL_API sl_status sl_hnn_create(sl_ctx *ctx, const sl_hnn_opts *opts, sl_hnn **out);
SL_API void sl_hnn_destroy(sl_hnn *h);                 /* NULL is a no-op */

SL_API int64_t sl_hnn_half_size(const sl_hnn *h);      /* n; 0 for NULL */
SL_API int sl_hnn_is_separable(const sl_hnn *h);       /* 0 for NULL */
SL_API int sl_hnn_is_dissipative(const sl_hnn *h);     /* 0 for NULL */

/* All weights as one flat array: the networks in the order H (or T, then V),
 * then D, each as sl_mlp_get_weights (W1, b1, W2, ...).  set checks that the
 * values are finite (SL_ERR_NONFINITE, nothing written).  Errors: SL_ERR_NULL. */
SL_API int64_t sl_hnn_nweights(const sl_hnn *h);
SL_API sl_status sl_hnn_get_weights(const sl_hnn *h, double *out);
SL_API sl_status sl_hnn_set_weights(sl_hnn *h, const double *in);

/* ---- Training -------------------------------------------------------------------
 * Size-first; defaults in brackets. */
typedef struct sl_hnn_train_opts {
    size_t size;          /* sizeof(sl_hnn_train_opts) */
    int64_t epochs;       /* passes over the data, 1..2^30 [100] */
    int64_t batch;        /* rows per step; 0 or >= m: the whole data set each step [0] */
    int64_t log_every;    /* an SL_LOG_INFO line every this many epochs (and the last); 0: none [10] */
} sl_hnn_train_opts;

#define SL_HNN_TRAIN_OPTS_INIT { sizeof(sl_hnn_train_opts), 100, 0, 10 }
SL_API sl_status sl_hnn_train_opts_init_sized(sl_hnn_train_opts *opts, size_t size);
#define sl_hnn_train_opts_init(opts) ((void)sl_hnn_train_opts_init_sized((opts), sizeof *(opts)))

/* Train on m samples: z (m x 2n) and the observed time derivatives zdot
 * (m x 2n), minimising sl_loss_hnn (mean over a batch of |field - zdot|^2)
 * with the optimiser optim (NULL: Adam, lr 1e-3; any kind of optim.h).
 * Each epoch visits floor(m / batch) batches of `batch` rows in an order
 * drawn from the context's seed (rows left over are dropped that epoch, other
 * ones the next); with batch 0 or >= m every step is the full data set.  May
 * be called again to continue (the optimiser's moments start afresh).
 * final_loss (may be NULL): the loss over the whole data set after training.
 * Errors (nothing trained): SL_ERR_NULL, SL_ERR_ARG (m < 1 or > 2^30, bad
 * options, an activation whose second derivative vanishes: ReLU makes dH/dz
 * piecewise constant in z, so the field cannot fit a smooth flow and the
 * loss has no gradient with respect to the hidden biases), SL_ERR_SHAPE (m x
 * 2n too large), SL_ERR_NONFINITE (a NaN or Inf in z or zdot, named by row
 * and column), SL_ERR_NOMEM; a step that becomes non-finite is
 * SL_ERR_NONFINITE naming the epoch (the weights are then those before that
 * step). */
SL_API sl_status sl_hnn_train(sl_hnn *h, int64_t m, const double *z, const double *zdot,
                              const sl_optim_opts *optim, const sl_hnn_train_opts *opts, double *final_loss);

/* The loss of every epoch of the last sl_hnn_train (the mean of its steps'
 * losses); *loss (may be NULL) points into the model, valid until the next
 * train or destroy.  Returns the count (0 before training). */
SL_API int64_t sl_hnn_losses(const sl_hnn *h, const double **loss);

/* ---- Evaluation ------------------------------------------------------------------
 * At m points z (m x 2n), m in 1..2^30, z finite:
 *   energy:      H into energy (m);
 *   field:       the learned zdot = (dH/dp, -dH/dq) + grad D (m x 2n; grad D only
 *                for a dissipative model);
 *   dissipation: D (m) and grad D (m x 2n), either may be NULL (SL_ERR_STATE
 *                for a model without D).
 * Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NONFINITE, SL_ERR_STATE, SL_ERR_NOMEM. */
SL_API sl_status sl_hnn_energy(sl_hnn *h, int64_t m, const double *z, double *energy);
SL_API sl_status sl_hnn_field(sl_hnn *h, int64_t m, const double *z, double *zdot);
SL_API sl_status sl_hnn_dissipation(sl_hnn *h, int64_t m, const double *z, double *D, double *gradD);

/* ---- Rollouts ----------------------------------------------------------------------
 * Integrate the learned dynamics from z0 (2n doubles) with step dt (finite,
 * nonzero): traj receives n_out rows (n_out x 2n), row i the state after
 * i * every steps (as dynamics.h).  Methods:
 *   LEAPFROG, YOSHIDA4  the symplectic splittings of sl_ode_symplectic_h;
 *                       separable models only (exactly symplectic there);
 *   MIDPOINT            the implicit midpoint rule z' = z + dt f((z + z') / 2),
 *                       symplectic for any H (Hairer, Lubich, Wanner,
 *                       "Geometric numerical integration", Thm. VI.3.5:
 *                       a bounded O(dt^2) energy error without drift; H is
 *                       conserved exactly only when it is quadratic),
 *                       solved by fixed-point iteration until the change is
 *                       <= tol (1 + max |z'|); max_iter iterations without
 *                       that is SL_ERR_NUMERIC naming the step (reduce dt);
 *   RK4                 classical Runge-Kutta (not symplectic);
 *   AUTO                YOSHIDA4 for separable models, MIDPOINT otherwise,
 *                       RK4 when the dissipation is integrated.
 * dissipation 1 includes grad D of a dissipative model (RK4 and MIDPOINT only;
 * with LEAPFROG/YOSHIDA4 it is SL_ERR_ARG); 0 integrates the conservative
 * part alone.  Size-first options; defaults in brackets. */
enum { SL_HNN_AUTO = 0, SL_HNN_LEAPFROG = 1, SL_HNN_YOSHIDA4 = 2, SL_HNN_MIDPOINT = 3, SL_HNN_RK4 = 4 };

typedef struct sl_hnn_rollout_opts {
    size_t size;          /* sizeof(sl_hnn_rollout_opts) */
    int method;           /* SL_HNN_* [AUTO] */
    int dissipation;      /* 0 or 1 [1]; ignored for a model without D */
    double tol;           /* MIDPOINT: fixed-point tolerance, > 0 [1e-12] */
    int max_iter;         /* MIDPOINT: iterations per step, >= 1 [100] */
} sl_hnn_rollout_opts;

#define SL_HNN_ROLLOUT_OPTS_INIT { sizeof(sl_hnn_rollout_opts), SL_HNN_AUTO, 1, 1e-12, 100 }
SL_API sl_status sl_hnn_rollout_opts_init_sized(sl_hnn_rollout_opts *opts, size_t size);
#define sl_hnn_rollout_opts_init(opts) ((void)sl_hnn_rollout_opts_init_sized((opts), sizeof *(opts)))

/* Roll out (opts may be NULL: defaults).  drift (may be NULL): the energy
 * drift max_i |H(row i) - H(z0)| / |H(z0)| of the learned H over the output
 * rows (|H(z0)| below 1e-300: the absolute change).  Arguments as dynamics.h's
 * integrators (n_out 1..2^40, every 1..2^40, total steps <= 2^40).  Errors:
 * SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NONFINITE (z0, or a state), SL_ERR_NUMERIC
 * (MIDPOINT did not converge), SL_ERR_NOMEM; nothing written on failure. */
SL_API sl_status sl_hnn_rollout(sl_hnn *h, const double *z0, double dt, int64_t n_out, int64_t every,
                                const sl_hnn_rollout_opts *opts, double *traj, double *drift);

/* ---- Files ----------------------------------------------------------------------------
 * A container of kind HNN (docs/file-format.md): the options, the weights and
 * the last training's losses.  load gives a model whose energy, field and
 * rollouts are bit-identical to the saved one's.  Errors: SL_ERR_NULL,
 * SL_ERR_IO, SL_ERR_CORRUPT (naming the file and the record),
 * SL_ERR_UNSUPPORTED (a newer version), SL_ERR_NOMEM. */
SL_API sl_status sl_hnn_save(const sl_hnn *h, const char *path);
SL_API sl_status sl_hnn_load(sl_ctx *ctx, const char *path, sl_hnn **out);

#ifdef __cplusplus
}
#endif
#endif
