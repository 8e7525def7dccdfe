/* libsymlearn conserved quantities: functions I(x) with dI/dt = grad I . f = 0
 * along the flow x' = f(x) of a vector field (dynamics.h), expanded in a
 * feature library (regression.h).
 *
 * Modes (sl_conserved_opts.mode):
 *  - SL_CONSERVED_EXACT: the exact linear-basis
 *    method of SID (Liu, Madhavan, Tegmark et al., arXiv 2305.19525,
 *    model.py::find_cq).  With I = sum_k theta_k b_k, conservation at the
 *    sample points x_n is A theta = 0, A_nk = grad b_k(x_n) . f(x_n); the
 *    null space of A (an SVD; singular values s_i <= tolerance * s_max,
 *    column k scaled by (sum_n |grad b_k(x_n)|^2 |f(x_n)|^2)^(1/2)) gives
 *    the conserved quantities the library can express.  They are rotated to a sparse basis (reduced
 *    row echelon form in library order) and normalised (largest |theta_k| =
 *    1, positive).  Independence: quantity j counts as independent when its
 *    gradient is not in the span of the gradients of the independent ones
 *    before it (relative residual above dep_tolerance) at more than half of
 *    the samples, so the count c is the typical pointwise rank of the
 *    Jacobian [grad I_1 ... grad I_M]; relations such as A^2 = 1 + 2 E L^2
 *    (Kepler), powers or products of quantities are not counted.
 *  - SL_CONSERVED_NEURAL: AI Poincare 2.0 (Liu, Madhavan, Tegmark, PRE 106,
 *    045307 (2022)).  K networks H_k (MLPs, input standardised by the
 *    samples' mean and spread) trained together with Adam on
 *    fit + lam (R_H + R_grad): fit = mean_{k,x} (gh_k . fh)^2 of the unit
 *    gradients gh_k and the unit vector field fh, R_H the mean squared
 *    Pearson correlation of distinct H_i, H_j, R_grad the mean squared
 *    overlap of distinct gh_i, gh_j.  Count: the per-sample SVD of the
 *    K x d matrix [gh_1; ...; gh_K], explained ratios s_i^2 / sum s^2
 *    averaged over the samples; n_svd = #{ratio > explained_min}.  The
 *    networks are then tested on held-out trajectories (relvar below); the
 *    passing ones are returned, and the independent count c is at most
 *    n_svd: networks are flagged greedily (largest typical component
 *    |P_perp gh| off the span of those already flagged, above indep_min at
 *    more than half the samples).  After the Adam steps, `polish` L-BFGS
 *    iterations on all samples refine each network on the fit term alone.
 *  - SL_CONSERVED_DEFLATION: neural deflation (Zhu, Zhang, Kevrekidis,
 *    PRE 108, L022301 (2023)) in the form of docs/conserved.md: one quantity
 *    per stage, `nets` restarts trained side by side (Adam, then `polish`
 *    full-batch L-BFGS iterations) on
 *      mean (gh . fh)^2 + alpha sum_{j<k} mean (gh . J gh_j)^2
 *      + beta relu(1 / (mean |P_perp gh|^2 + 0.01) - 1 / 0.26),
 *    J gh_j the unit Hamiltonian vector field of an accepted quantity (its
 *    Poisson bracket with the candidate, normalised; d even, canonical
 *    coordinates (q, p); alpha = 0 or d odd: no involution term), P_perp
 *    the projection off the span of the accepted gradients.  Network
 *    candidates (deflation_basis 0 or 2) take no barrier (beta unused): from
 *    stage 2 on, their conservation and involution terms are divided per
 *    sample by |P_perp gh|^2 + 0.01, i.e. measured on the part of the
 *    gradient off the accepted span, so collapsing onto a function of the
 *    accepted quantities gains nothing.  The best
 *    restart is accepted when it passes the trajectory test, is independent
 *    (as above) and, with the involution term, its normalised squared
 *    brackets with the accepted quantities (at the held-out points) average
 *    below max_bracket.  The first stage whose restarts all fail ends the
 *    search (at most d - 1 quantities).  Candidates are networks (of x;
 *    deflation_basis = 2: of lib's features, 3 of 3 on the periodic Toda
 *    chain: docs/conserved.md), or with deflation_basis = 1 linear combinations sum_k theta_k b_k of
 *    lib's features, started in the library's conserved subspace (right
 *    singular vectors of A with s_i <= tolerance s_max), polished by L-BFGS
 *    (no Adam), accepted with relvar < max_relvar; such a result holds
 *    coefficients and formulas like an EXACT one (eval refuses it, a saved
 *    file loads as EXACT) and reports mode DEFLATION.
 *    With deflation_basis = 2 the candidates are networks of lib's
 *    non-constant features b(x) (scaled, standardised) instead of x, e.g.
 *    translation-invariant inputs p_i, exp(q_i - q_(i+1)) for the Toda
 *    chain; grad_x I = sum_k dI/db_k grad b_k.  Such a result keeps, per
 *    quantity, the least-squares fit of the network's values on lib (R^2 in
 *    sl_conserved_result_r2, the formula when R^2 >= 0.999), relvar and the
 *    brackets; the networks themselves are not kept (eval refuses it, a
 *    saved file holds the fitted coefficients and loads as EXACT).
 *  Neural modes run nseeds seeds (seed, seed + 1, ...); the returned
 *  quantities are those of the selected seed (the most common count, then
 *  the smallest largest relvar); per-seed counts and the largest principal
 *  angle between each seed's gradient span and the selected one's are
 *  reported.  Progress goes to the context's log (SL_LOG_INFO) every
 *  log_every steps; with a checkpoint path the training state (Adam
 *  moments, parameters, batch RNG position, networks finished earlier in the
 *  call) is written atomically every checkpoint_every steps, and resume = 1
 *  continues from it bit-identically.
 *
 * Every quantity returned has passed the conservation test on held-out
 * trajectories: n_traj initial conditions from the box (another RNG stream
 * than the samples), RK4 with step dt to t_end, and
 *     relvar_k = mean_traj Var_t I_k(x(t)) / Var_n I_k(x_n) < max_relvar
 * (the study's criterion, docs/conserved.md); a null vector that fails it
 * is dropped and counted in sl_conserved_result_rejected.
 *
 * Thread safety: one thread at a time per context and per object. */
#ifndef SYMLEARN_CONSERVED_H
#define SYMLEARN_CONSERVED_H

#include <stdio.h>

#include "dynamics.h"
#include "regression.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_conserved_result sl_conserved_result;

enum { SL_CONSERVED_EXACT = 1, SL_CONSERVED_NEURAL = 2, SL_CONSERVED_DEFLATION = 3 };

/* Size-first options (rules in core.h); defaults in brackets. */
typedef struct sl_conserved_opts {
    size_t size;            /* sizeof(sl_conserved_opts) */
    int mode;               /* SL_CONSERVED_EXACT, _NEURAL, _DEFLATION [EXACT] */
    int sparsify;           /* 1: reduced row echelon basis [1]; 0: the SVD's orthonormal one */
    int64_t samples;        /* points drawn in the box when none are given [2000], 1..2^24 */
    double tolerance;       /* s_i / s_max counted as zero [1e-9], in (0, 1) */
    double dep_tolerance;   /* Jacobian rank: s_i / s_max above it counts [1e-6], in (0, 1) */
    int64_t n_traj;         /* held-out trajectories [20], 1..10^6 */
    double dt;              /* their RK4 step [5e-3], finite, > 0 */
    double t_end;           /* their length [5], finite, >= dt */
    double max_relvar;      /* a quantity passes when relvar < this [1e-6], > 0 */
    uint64_t stream;        /* sampler streams: stream (samples), stream + 1 (trajectories) [0] */
    sl_domain_fn domain;    /* samples and trajectories must stay in it [NULL: any finite point] */
    void *domain_user;      /* passed to domain */
    /* ---- the neural modes (NEURAL, DEFLATION); lib is then used for the formulas only ---- */
    int nets;               /* NEURAL: networks K [0: d - 1], 1..64; DEFLATION: restarts per stage [0: 2] */
    int depth;              /* hidden layers [2], 1..8 */
    int64_t hidden;         /* their width [64], 1..1024 */
    int activation;         /* SL_ACT_* of nn.h [SL_ACT_SILU] */
    int64_t steps;          /* Adam steps per training [3000], 1..10^8 */
    int64_t batch;          /* samples per step, drawn with replacement [256]; >= samples: all */
    double lr;              /* Adam learning rate, cosine decay to lr / 20 [1e-3] */
    double lam;             /* NEURAL: weight of R_H and R_grad [0.02], >= 0 */
    double explained_min;   /* NEURAL: an explained ratio above it counts [1e-2], in (0, 1) */
    double alpha;           /* DEFLATION: involution weight [1], >= 0 */
    double beta;            /* DEFLATION, linear candidates: independence weight [0.02], >= 0 */
    double indep_min;       /* independence: |P_perp gh| above it [0.1], in (0, 1) */
    double neural_max_relvar; /* neural modes: relvar below it passes [1e-3], > 0 (linear
                                 deflation candidates: max_relvar) */
    double max_bracket;     /* DEFLATION: mean normalised squared bracket below it [1e-4], > 0 */
    int nseeds;             /* seeds run in one call [1], 1..64 */
    uint64_t seed;          /* first seed: weights and batches from ctx seed + seed + s [0] */
    int64_t log_every;      /* progress every this many steps (SL_LOG_INFO) [500]; 0: none */
    const char *checkpoint; /* training state file [NULL: none] */
    int64_t checkpoint_every; /* written every this many steps [0: never], >= 0 */
    int resume;             /* 1: continue from checkpoint if the file exists [0] */
    /* ---- appended in 1.1 ---- */
    int64_t polish;         /* neural modes: L-BFGS iterations on all samples (at most 4096) after
                               the Adam steps (NEURAL: on the fit term alone) [-1: DEFLATION 400,
                               NEURAL 150]; 0: none; -1..10^6 */
    int deflation_basis;    /* DEFLATION: 1: the candidates are sum_k theta_k b_k of lib's non-constant
                               features instead of networks; 2: networks of those features
                               (docs/conserved.md) [0] */
} sl_conserved_opts;

#define SL_CONSERVED_OPTS_INIT                                                                                  \
    { sizeof(sl_conserved_opts), SL_CONSERVED_EXACT, 1, 2000, 1e-9, 1e-6, 20, 5e-3, 5.0, 1e-6, 0, 0, 0,         \
      0, 2, 64, 2, 3000, 256, 1e-3, 0.02, 1e-2, 1.0, 0.02, 0.1, 1e-3, 1e-4, 1, 0, 500, 0, 0, 0, -1, 0 }
SL_API sl_status sl_conserved_opts_init_sized(sl_conserved_opts *opts, size_t size);
#define sl_conserved_opts_init(opts) ((void)sl_conserved_opts_init_sized((opts), sizeof *(opts)))

/* Find the conserved quantities of x' = f(t = 0, x) on R^d in the library
 * lib (of dimension d; its constant monomial, if any, is ignored).
 * Samples: the m points x (m x d, m >= 1) when x is not NULL, else
 * opts->samples points drawn uniformly in the box [lo, hi) (kept by
 * opts->domain).  Held-out trajectories start in the box, or, when lo and hi
 * are NULL, in the bounding box of the given points.  opts may be NULL
 * (defaults).  *out receives a new result, NULL on failure; nothing else is
 * written.  Errors: SL_ERR_NULL (ctx, out, f, lib; no samples and no box),
 * SL_ERR_ARG (bad options, d not the library's, m < 1, fewer samples than
 * features, dependent feature columns: the message names them),
 * SL_ERR_NONFINITE (NaN/Inf
 * in x or the box, a vector field or feature value), SL_ERR_NUMERIC (the
 * vector field or a user feature returned nonzero, LAPACK, no trajectory
 * stayed in the domain, a training diverged), SL_ERR_IO / SL_ERR_CORRUPT (the
 * checkpoint file), SL_ERR_NOMEM.  Messages name sl_discover_conserved. */
SL_API sl_status sl_discover_conserved(sl_ctx *ctx, const sl_conserved_opts *opts, sl_vector_field_fn f, void *user,
                                       int64_t d, const double *lo, const double *hi, int64_t m, const double *x,
                                       const sl_features *lib, sl_conserved_result **out);

/* ---- Results ----------------------------------------------------------------------
 * Accessors return 0 / NULL / NaN for a NULL result or an index out of
 * range.  Arrays and strings are owned by the result. */
SL_API void sl_conserved_result_destroy(sl_conserved_result *r);   /* NULL is a no-op */
SL_API int64_t sl_conserved_result_count(const sl_conserved_result *r);        /* M quantities returned */
SL_API int64_t sl_conserved_result_independent(const sl_conserved_result *r);  /* c, independent ones */
/* Null-space dimension before the conservation test (= count + rejected). */
SL_API int64_t sl_conserved_result_nullity(const sl_conserved_result *r);
SL_API int64_t sl_conserved_result_rejected(const sl_conserved_result *r);
SL_API int64_t sl_conserved_result_dim(const sl_conserved_result *r);          /* d */
/* Features the quantities are expanded in (the library without its
 * constant), K of them, and their names. */
SL_API int64_t sl_conserved_result_features(const sl_conserved_result *r);
SL_API const char *sl_conserved_result_feature_name(const sl_conserved_result *r, int64_t k);
/* theta (M x K row-major): I_j = sum_k theta[j*K + k] b_k. */
SL_API const double *sl_conserved_result_coefficients(const sl_conserved_result *r);
/* 1 when quantity j raised the Jacobian rank (the independent ones), else 0. */
SL_API int sl_conserved_result_is_independent(const sl_conserved_result *r, int64_t j);
/* relvar of quantity j on the held-out trajectories. */
SL_API double sl_conserved_result_relvar(const sl_conserved_result *r, int64_t j);
/* "x^2 + px^2" (SL_FORMULA_TEXT), "x*x + px*px" (C), LaTeX. */
SL_API const char *sl_conserved_result_formula(const sl_conserved_result *r, int64_t j, int style);
/* Singular values of A (descending, *count of them), and the gap
 * s_kept_min / s_null_max (Inf when the null values are exactly 0 or there
 * are none). */
SL_API const double *sl_conserved_result_singular_values(const sl_conserved_result *r, int64_t *count);
SL_API double sl_conserved_result_gap(const sl_conserved_result *r);
SL_API int64_t sl_conserved_result_trajectories(const sl_conserved_result *r);  /* held-out trajectories */

/* ---- Neural results (modes NEURAL and DEFLATION) ---------------------------------
 * Quantity j of the selected seed is network j.  sl_conserved_result_mode
 * says which mode made r (EXACT results have no networks: eval refuses
 * them unless their coefficients are used, see below). */
SL_API int sl_conserved_result_mode(const sl_conserved_result *r);
/* Values (m) and gradients (m x d; either may be NULL) of quantity j at the
 * m points x (m x d): the network for the neural modes, sum_k theta_k b_k
 * is not evaluated here (EXACT: SL_ERR_STATE).  Errors: SL_ERR_NULL,
 * SL_ERR_ARG (j out of range, m < 1), SL_ERR_NONFINITE (x), SL_ERR_STATE. */
SL_API sl_status sl_conserved_result_eval(const sl_conserved_result *r, int64_t j, int64_t m, const double *x,
                                          double *values, double *grads);
/* The count n_svd of the explained-ratio test (NEURAL; DEFLATION: the
 * number of stages accepted) and the mean explained ratios of the selected
 * seed (descending, *count of them). */
SL_API int64_t sl_conserved_result_svd_count(const sl_conserved_result *r);
SL_API const double *sl_conserved_result_explained(const sl_conserved_result *r, int64_t *count);
/* Seeds: how many were run, which one was selected, and for seed s its
 * independent count, its largest relvar among the counted quantities, its
 * quantity count and the median / 95th percentile over the held-out points
 * of the largest principal angle (degrees) between its span of independent
 * gradients and the selected seed's (90 when the dimensions differ). */
SL_API int sl_conserved_result_nseeds(const sl_conserved_result *r);
SL_API int sl_conserved_result_selected_seed(const sl_conserved_result *r);
SL_API int64_t sl_conserved_result_seed_count(const sl_conserved_result *r, int s);
SL_API double sl_conserved_result_seed_max_relvar(const sl_conserved_result *r, int s);
SL_API double sl_conserved_result_seed_angle(const sl_conserved_result *r, int s, int p95);
/* The largest principal angle (degrees) at each of m points x (m x d)
 * between the span of the independent gradients of seed s (-1: the
 * selected one) and the span of nref reference gradients ref (m x nref x d,
 * e.g. the known quantities'), into angles (m); 90 when the dimensions
 * differ.  Errors: SL_ERR_NULL, SL_ERR_ARG (s, m, nref out of range),
 * SL_ERR_NONFINITE, SL_ERR_STATE (an EXACT result), SL_ERR_NOMEM. */
SL_API sl_status sl_conserved_result_span_angles(const sl_conserved_result *r, int s, int64_t m, const double *x,
                                                 int64_t nref, const double *ref, double *angles);
/* Poisson brackets of the quantities at the held-out points (DEFLATION, d
 * even): the mean of {I_i, I_j}^2 / (|grad I_i|^2 |grad I_j|^2) (entry
 * i*M + j, M x M, zero diagonal; NULL for other results). */
SL_API const double *sl_conserved_result_brackets(const sl_conserved_result *r);
/* Formulas for neural quantities: least squares of quantity j's values at
 * the samples on the library (the constant included); R^2 of the fit
 * (NaN when it was not computed).  sl_conserved_result_formula gives the
 * fitted formula when R^2 >= 0.999, else "". */
SL_API double sl_conserved_result_r2(const sl_conserved_result *r, int64_t j);

/* Summary (counts, each quantity with its formula, relvar, independence) to
 * f, flushed.  Errors: SL_ERR_NULL, SL_ERR_IO. */
SL_API sl_status sl_conserved_result_print(const sl_conserved_result *r, FILE *f);
/* Save to / load from the library's checksummed container (kind CONS,
 * docs/file-format.md), atomically as sl_symmetry_result_save.  A damaged or
 * foreign file is SL_ERR_CORRUPT (SL_ERR_UNSUPPORTED for a newer version,
 * SL_ERR_IO when it cannot be read); *out = NULL then. */
SL_API sl_status sl_conserved_result_save(const sl_conserved_result *r, const char *path);
SL_API sl_status sl_conserved_result_load(sl_ctx *ctx, const char *path, sl_conserved_result **out);
/* CSV: a header "quantity,kind,key,value", then per quantity j the rows
 * "j,coefficient,<feature name>,<theta>" (nonzero ones), "j,relvar,,<v>",
 * "j,independent,,0|1" and "j,formula,,<text formula>"; JSON: an object with
 * count, independent, nullity, rejected, features, singular_values and
 * quantities (coefficients, formula, relvar, independent).  Atomic.  Errors:
 * SL_ERR_NULL, SL_ERR_IO, SL_ERR_NOMEM. */
SL_API sl_status sl_conserved_result_export_csv(const sl_conserved_result *r, const char *path);
SL_API sl_status sl_conserved_result_export_json(const sl_conserved_result *r, const char *path);

#ifdef __cplusplus
}
#endif
#endif
