/* libsymlearn Calabi-Yau metrics: points on Calabi-Yau varieties, their
 * Fubini-Study and algebraic (Donaldson) metrics, the losses and measures of
 * numerical Ricci-flat metrics, and the trained phi-model
 *     g = g_FS + d dbar phi,   phi an MLP on the ambient coordinates
 * (Larfors, Lukas, Ruehle, Schneider, "Learning size and shape of Calabi-Yau
 * spaces", arXiv 2111.01436 (cymetric); Anderson et al. arXiv 2012.04656;
 * Donaldson, "Some numerical results in complex differential geometry",
 * math/0512625).  Conventions and reference figures: docs/calabi-yau.md.
 *
 * Varieties.  The interface is shaped for complete intersections (CICY) in
 * products of projective spaces P^{n_1} x ... x P^{n_m}: polynomials given by
 * monomials (one exponent per homogeneous coordinate, all factors' coordinates
 * in order) and complex coefficients.  This version implements hypersurfaces
 * in one P^n (m = 1, one polynomial of degree n + 1, so the variety is a
 * Calabi-Yau (n-1)-fold); other shapes are refused with SL_ERR_UNSUPPORTED.
 *
 * Points (cymetric's conventions, docs/calabi-yau.md):
 *  - patch: the coordinate of largest modulus is set to exactly 1 + 0i;
 *  - elimination coordinate e: argmax over j != patch of |dQ/dz_j|; the other
 *    coordinates, ascending, are the d = n - 1 chart coordinates x_a;
 *  - pullback J (d x (n+1)), J[a][b] = dz_b/dx_a: 1 at the chart coordinate
 *    x_a, -(dQ/dz_{x_a})/(dQ/dz_e) at e, 0 elsewhere;
 *  - Omega = 1/(dQ/dz_e) at the patch-normalised point (residue formula);
 *  - weights w = deg |Omega|^2 / det g_FS,pb (t = 1): points from random lines
 *    are distributed as the Fubini-Study volume (Shiffman-Zelditch), so
 *    <w f> integrates f against |Omega|^2, normalised so that
 *    <w det g_FS,pb / |Omega|^2> = deg = the volume int J^(n-1);
 *  - kappa = deg / <w> (Vol_K / Vol_CY).
 * Arrays are row-major; complex arrays are interleaved (re, im) doubles.
 *
 * Thread safety: one thread at a time per context and per object. */
#ifndef SYMLEARN_CY_H
#define SYMLEARN_CY_H

#include <stdint.h>

#include "nn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_cy_variety sl_cy_variety;
typedef struct sl_cy_points sl_cy_points;
typedef struct sl_cy_algebraic sl_cy_algebraic;
typedef struct sl_cy_model sl_cy_model;

/* ---- Varieties -----------------------------------------------------------------
 * The common zero set of npoly polynomials in P^{dims[0]} x ... x
 * P^{dims[nfactors-1]} (namb = sum (dims[j] + 1) homogeneous coordinates).
 * Polynomial i has nterms[i] monomials; exponents holds namb integers per
 * monomial (all polynomials' monomials in order), coeffs one complex
 * coefficient (re, im) per monomial.  Each polynomial must be homogeneous in
 * each factor's coordinates, and the degrees must satisfy the Calabi-Yau
 * condition (sum over polynomials of the degree in factor j = dims[j] + 1).
 * Monomials repeated are added; zero coefficients are dropped.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (counts, a negative exponent, a polynomial
 * that is not homogeneous (naming it and the monomial), not Calabi-Yau, all
 * coefficients zero), SL_ERR_NONFINITE (a coefficient), SL_ERR_UNSUPPORTED
 * (more than one factor or polynomial), SL_ERR_NOMEM. */
SL_API sl_status sl_cy_variety_create(sl_ctx *ctx, int nfactors, const int *dims, int npoly,
                                      const int64_t *nterms, const int *exponents, const double *coeffs,
                                      sl_cy_variety **out);
/* The Dwork family of quintics in P^4: sum_i z_i^5 + psi z_0 z_1 z_2 z_3 z_4
 * (psi = 0: the Fermat quintic). */
SL_API sl_status sl_cy_variety_quintic(sl_ctx *ctx, double psi_re, double psi_im, sl_cy_variety **out);
SL_API void sl_cy_variety_destroy(sl_cy_variety *v);              /* NULL is a no-op */
SL_API int sl_cy_variety_ambient(const sl_cy_variety *v);        /* namb (0 for NULL) */
SL_API int sl_cy_variety_dim(const sl_cy_variety *v);            /* complex dimension d */
SL_API int sl_cy_variety_degree(const sl_cy_variety *v);         /* degree of the polynomial */
/* Q(z) at n points z (n x namb, complex): q (n, complex). */
SL_API sl_status sl_cy_variety_eval(const sl_cy_variety *v, int64_t n, const double *z, double *q);

/* ---- Points -----------------------------------------------------------------------
 * sl_cy_sample: n points from random lines.  Line l uses the 4 namb normals
 * sl_rng_fill_normal(ctx seed + stream, 4 namb l, 4 namb, 0, 1): the first
 * 2 namb make p (p_j = n_{2j} + i n_{2j+1}), the next 2 namb make q, each
 * divided by the norm of its reals (two points on S^(2 namb - 1)).  The deg
 * roots t of Q(p + t q) (Aberth-Ehrlich iteration, then two Newton steps on Q
 * along the line) in ascending Re t give the points p + t q, in order (line,
 * root); the first n are kept.  A line whose polynomial in t has a vanishing
 * leading coefficient or a root that does not converge is skipped (never in
 * practice).  For the Fermat quintic this is exactly the recipe of the `cy`
 * benchmark (bench/WORKLOADS.md).  Errors: SL_ERR_NULL, SL_ERR_ARG (n < 1 or
 * above 2^31), SL_ERR_NOMEM.
 * sl_cy_points_from_coords: the same data for given points z (n x namb,
 * complex, any scaling); patch and elim (n each) may be NULL (the automatic
 * choices) or give each point's patch and elimination coordinate.  Errors:
 * SL_ERR_NULL, SL_ERR_ARG (n; a patch or elimination index out of range or
 * equal; a point not on the variety: |Q(z/z_patch)| > 1e-8 (1 + sum |c_m|)),
 * SL_ERR_NONFINITE, SL_ERR_NUMERIC (a zero patch coordinate, or a singular
 * point: dQ/dz_e = 0), SL_ERR_NOMEM. */
SL_API sl_status sl_cy_sample(const sl_cy_variety *v, int64_t n, uint64_t stream, sl_cy_points **out);
SL_API sl_status sl_cy_points_from_coords(const sl_cy_variety *v, int64_t n, const double *z,
                                          const int *patch, const int *elim, sl_cy_points **out);
/* Points start .. start + count - 1 (e.g. a training / validation split).
 * Their weights and kappa are those of the parent set. */
SL_API sl_status sl_cy_points_subset(const sl_cy_points *p, int64_t start, int64_t count, sl_cy_points **out);
SL_API void sl_cy_points_destroy(sl_cy_points *p);               /* NULL is a no-op */
SL_API int64_t sl_cy_points_count(const sl_cy_points *p);        /* 0 for NULL */
/* Copies of the per-point data.  coords: (n, namb) complex, patch-normalised;
 * patch, elim: (n); jacobian: (n, d, namb) complex; omega2 |Omega|^2 and
 * weights: (n).  kappa: deg / <w> over the set the points were made with. */
SL_API sl_status sl_cy_points_coords(const sl_cy_points *p, double *z);
SL_API sl_status sl_cy_points_charts(const sl_cy_points *p, int *patch, int *elim);
SL_API sl_status sl_cy_points_jacobian(const sl_cy_points *p, double *jac);
SL_API sl_status sl_cy_points_omega2(const sl_cy_points *p, double *omega2);
SL_API sl_status sl_cy_points_weights(const sl_cy_points *p, double *w);
SL_API double sl_cy_points_kappa(const sl_cy_points *p);         /* NaN for NULL */

/* ---- Metrics and measures -----------------------------------------------------------
 * Metrics at points are the pulled-back d x d hermitian g = J G J^dagger of an
 * ambient form G; g (n, d, d complex) and det (n, real det g) may each be
 * NULL.
 * sl_cy_fs_metric: Fubini-Study with Kahler modulus t > 0,
 *   G_ij = (t/pi) (|z|^2 delta_ij - conj(z_i) z_j) / |z|^4 = (t/pi) d dbar log |z|^2.
 * sl_cy_sigma: cymetric's sigma measure of eta_i = det g_i / |Omega|_i^2 with
 * weights w (n >= 1): Vol_CY = <w>, Vol_K = <w eta>,
 *   sigma = < w |1 - eta Vol_CY / Vol_K| > / Vol_CY.
 * sl_cy_points_sigma: the same with the points' weights and eta = det / omega2.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (t, n), SL_ERR_NONFINITE (eta or w, naming
 * the element), SL_ERR_NUMERIC (Vol_K or Vol_CY zero). */
SL_API sl_status sl_cy_fs_metric(const sl_cy_points *p, double t, double *g, double *det);
SL_API sl_status sl_cy_sigma(sl_ctx *ctx, int64_t n, const double *eta, const double *w, double *out);
SL_API sl_status sl_cy_points_sigma(const sl_cy_points *p, const double *det, double *out);

/* ---- Algebraic metrics (Donaldson's balanced metrics) ----------------------------
 * K = log(s^T H conj(s)) / (k pi), s the degree-k monomials (for k >= deg
 * those divisible by z_j^deg removed, z_j the first coordinate whose pure
 * power is in Q: a basis of the sections on the hypersurface), H hermitian.
 * sl_cy_donaldson: H from the T-operator iteration (Donaldson 2005, eq. for
 * T; cymetric potential/donaldson.py):
 *   T_ab = N_k / (N_p Vol_CY) sum_p w_p s_a conj(s_b) / (s^T H conj(s)),
 *   H <- (T^-1)^T, from H = 1, iters times,
 * on points sampled with sl_cy_sample (stream opts->stream, N_p points,
 * default 10 N_k^2 + 50000 after 1910.08605 eq. 2.22).  k = 1..8.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (k, opts), SL_ERR_NUMERIC (T not positive
 * definite), SL_ERR_NOMEM. */
typedef struct sl_cy_donaldson_opts {
    size_t size;      /* sizeof(sl_cy_donaldson_opts) */
    int iters;        /* T-operator iterations [10], 0..1000 */
    int64_t points;   /* integration points [0: 10 N_k^2 + 50000] */
    uint64_t stream;  /* their sampling stream [1] */
} sl_cy_donaldson_opts;
#define SL_CY_DONALDSON_OPTS_INIT { sizeof(sl_cy_donaldson_opts), 10, 0, 1 }
SL_API sl_status sl_cy_donaldson_opts_init_sized(sl_cy_donaldson_opts *opts, size_t size);
#define sl_cy_donaldson_opts_init(opts) ((void)sl_cy_donaldson_opts_init_sized((opts), sizeof *(opts)))

SL_API sl_status sl_cy_donaldson(const sl_cy_variety *v, int k, const sl_cy_donaldson_opts *opts,
                                 sl_cy_algebraic **out);
SL_API void sl_cy_algebraic_destroy(sl_cy_algebraic *m);        /* NULL is a no-op */
SL_API int sl_cy_algebraic_sections(const sl_cy_algebraic *m);  /* N_k (0 for NULL) */
/* H (N_k x N_k complex). */
SL_API sl_status sl_cy_algebraic_h(const sl_cy_algebraic *m, double *h);
/* The pulled-back metric at points of the same variety. */
SL_API sl_status sl_cy_algebraic_metric(const sl_cy_algebraic *m, const sl_cy_points *p, double *g, double *det);
/* Ambient quantities at any n points z (n x namb complex, s^T H conj(s) > 0):
 * the potential K (n) and G = d dbar K (n, namb, namb complex), the Wirtinger
 * derivatives d/dz_i d/dconj(z_j) in the coordinates as given. */
SL_API sl_status sl_cy_algebraic_potential(const sl_cy_algebraic *m, int64_t n, const double *z, double *K,
                                           double *G);

/* ---- The phi-model -------------------------------------------------------------------
 * g = g_FS,pb(t) + J (d dbar phi) J^dagger, phi an MLP on the 2 namb real
 * inputs (Re z_0..Re z_n, Im z_0..Im z_n) of the patch-normalised point:
 * depth hidden layers of the given width and activation (GELU or tanh), then
 * a linear output without bias (cymetric PhiFSModel).  d dbar phi is the
 * Wirtinger Hessian (1/4)[(phi_xx + phi_yy) + i (phi_xy - phi_yx)] (no 1/pi).
 * Weights: W_l glorot-uniform from stream ctx seed + seed + l - 1 (as
 * sl_mlp), biases zero; the flat layout is W1, b1, ..., W_{L-1}, b_{L-1}, W_L,
 * each W_l (in, out) row-major.
 * Losses per point (cymetric losses.py, the phi-model variants):
 *   ma = |1 - det g / (kappa |Omega|^2)|  (kappa of the training points),
 *   tr = sum over patches p' not in {patch, elim} of |phi(z / z_p') - phi(z)|
 *        / ((namb - 1) d^2)  (cymetric's n_T = namb - 1 patches p' != elim,
 *        the p' = patch term being 0),
 * loss = mean(alpha_ma ma + alpha_t tr).  The Kahler loss is identically 0.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (depth 1..14, width 1..4096, activation,
 * t), SL_ERR_NOMEM. */
typedef struct sl_cy_model_opts {
    size_t size;      /* sizeof(sl_cy_model_opts) */
    int depth;        /* hidden layers [3] */
    int64_t width;    /* their width [64] */
    int activation;   /* SL_ACT_GELU or SL_ACT_TANH [GELU] */
    double t;         /* Kahler modulus of g_FS [1] */
    uint64_t seed;    /* weight streams [0] */
    /* (1.1 additions) */
    int kind;         /* SL_CY_KIND_PHI [0], SL_CY_KIND_MULT, SL_CY_KIND_ADD (see sl_cy_model_create) */
    int base_k;       /* phi-model base: 0 Fubini-Study [0]; 1..8 Donaldson's balanced metric of degree k */
} sl_cy_model_opts;
enum { SL_CY_KIND_PHI = 0, SL_CY_KIND_MULT = 1, SL_CY_KIND_ADD = 2 };
#define SL_CY_MODEL_OPTS_INIT { sizeof(sl_cy_model_opts), 3, 64, SL_ACT_GELU, 1.0, 0, SL_CY_KIND_PHI, 0 }
SL_API sl_status sl_cy_model_opts_init_sized(sl_cy_model_opts *opts, size_t size);
#define sl_cy_model_opts_init(opts) ((void)sl_cy_model_opts_init_sized((opts), sizeof *(opts)))

/* The FS-correction models (opts.kind; cymetric MultFSModel / AddFSModel, but
 * with the network's output an ambient form): the same MLP on the same 2 namb
 * inputs with namb^2 outputs A (reshaped namb x namb, no output bias), read as
 * the hermitian H = (A + A^T)/2 + i (A - A^T)/2 (a bijection of the real
 * n x n matrices onto the hermitian ones), and
 *   SL_CY_KIND_MULT: g = J (G_FS o (1 + H)) J^dagger   (o: entrywise product),
 *   SL_CY_KIND_ADD:  g = J (G_FS + H) J^dagger,
 * G_FS the ambient Fubini-Study form (t) at the patch-normalised point.  The
 * last layer W_L starts at zero (the model starts exactly at FS).  These
 * metrics are not Kahler by construction nor patch independent: their losses
 * per point are
 *   ma  as for the phi-model,
 *   tr = sum over patches p' not in {patch, elim} of |g' - T g T^dagger|_ab summed
 *        over a, b / ((namb - 1) d^2), g' the model at z / z_p' pulled back in
 *        the chart (p', elim), T_ba = dx_a/dx'_b the chart change (cymetric's
 *        transition loss, sl_cy_graph_loss_transition),
 *   kahler = sl_cy_graph_loss_kahler (sum_{ijk} |c_ijk - c_kji|^2),
 * loss = mean(alpha_ma ma + alpha_t tr + alpha_k kahler).  They are computed
 * through the graph functions (the Kahler term's x-derivatives are
 * differentiated again for training).  sl_cy_model_phi refuses them
 * (SL_ERR_UNSUPPORTED). */
/* A Donaldson base (opts.base_k = k >= 1, phi-models only): g = t g_k,pb +
 * J (d dbar phi) J^dagger with g_k the balanced metric of sl_cy_donaldson(v,
 * k, default options: 10 iterations on 10 N_k^2 + 50000 points of stream 1),
 * computed by sl_cy_model_create (seconds for k <= 3) and stored with the
 * model.  phi = 0 gives Donaldson's sigma_k.  The Ricci scalar of the
 * diagnostics uses the potential log(s^T H conj(s)) / (k pi) in the graph.
 * Errors (besides those above): SL_ERR_ARG (base_k not 0..8),
 * SL_ERR_UNSUPPORTED (base_k with an FS-correction kind), and those of
 * sl_cy_donaldson. */
SL_API sl_status sl_cy_model_create(const sl_cy_variety *v, const sl_cy_model_opts *opts, sl_cy_model **out);
SL_API void sl_cy_model_destroy(sl_cy_model *m);                 /* NULL is a no-op */
SL_API int64_t sl_cy_model_nweights(const sl_cy_model *m);       /* 0 for NULL */
SL_API sl_status sl_cy_model_get_weights(const sl_cy_model *m, double *w);
/* set checks the values are finite (SL_ERR_NONFINITE, nothing written) */
SL_API sl_status sl_cy_model_set_weights(sl_cy_model *m, const double *w);
/* The metric at points (g, det as for sl_cy_fs_metric), and phi at them (n). */
SL_API sl_status sl_cy_model_metric(const sl_cy_model *m, const sl_cy_points *p, double *g, double *det);
SL_API sl_status sl_cy_model_phi(const sl_cy_model *m, const sl_cy_points *p, double *phi);
/* Means over p of loss (alpha 1, 1), ma and tr with kappa = the points' kappa,
 * and sigma; each output may be NULL. */
SL_API sl_status sl_cy_model_losses(const sl_cy_model *m, const sl_cy_points *p, double *loss, double *ma,
                                    double *tr, double *sigma);
/* The gradient of the batch loss (mean over all of p, alpha 1, 1) with
 * respect to the flat weights (nweights), and the loss. */
SL_API sl_status sl_cy_model_loss_grad(const sl_cy_model *m, const sl_cy_points *p, double *loss, double *grad);
/* The mean over p of the Kahler loss (sl_cy_graph_loss_kahler of the model's
 * metric, J constant); exactly 0 for the phi-model (Kahler by construction,
 * not computed).  For the FS-correction models, loss above includes it (alpha_k 1). */
SL_API sl_status sl_cy_model_kahler(const sl_cy_model *m, const sl_cy_points *p, double *kahler);

/* ---- Training ---------------------------------------------------------------------------
 * Adam (PyTorch's update) on mean(alpha_ma ma + alpha_t tr) (ma weighted by
 * w_i / <w> with opts.weighted; the history's loss is this objective) over batches of
 * the training points, in order (shuffle 0) or in a fresh permutation each
 * epoch (shuffle 1, from stream ctx seed + stream); optional clipping of the
 * gradient's global norm (clip > 0).  After each epoch, with val given, the
 * validation sigma; progress through the context's log callback at
 * SL_LOG_INFO ("sl_cy_model_train: epoch 3/10: loss 0.153 ma 0.150 tr 0.0032
 * sigma_val 0.155").  The history (per epoch: mean training loss, validation
 * sigma or NaN) is kept in the model.  A non-finite loss stops training with
 * SL_ERR_NUMERIC (the weights of the last finite step are kept).  A recipe
 * that reaches sigma < 0.05 on the quintic in 6 epochs of 20000 points
 * (docs/calabi-yau.md): lr 1e-2, SL_CY_LR_COSINE to lr_final 1e-4, weighted,
 * shuffle, batch 64, 3 x 64 GELU.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (options, points of another variety),
 * SL_ERR_NUMERIC, SL_ERR_NOMEM. */
typedef struct sl_cy_train_opts {
    size_t size;        /* sizeof(sl_cy_train_opts) */
    int epochs;         /* [10], 1..10^6 */
    int64_t batch;      /* [64], 1..2^20 (a last partial batch is used) */
    double lr;          /* [1e-3] */
    double beta1, beta2, eps;   /* [0.9, 0.999, 1e-8] */
    double alpha_ma, alpha_t;   /* loss weights [1, 1] */
    double clip;        /* global-norm clip, 0 = none [0] */
    int shuffle;        /* [0] */
    uint64_t stream;    /* shuffling stream [0] */
    /* (1.1 additions) */
    int schedule;       /* SL_CY_LR_CONSTANT [0], SL_CY_LR_COSINE, SL_CY_LR_EXP (lr -> lr_final) */
    /* COSINE: along a half cosine over the call's steps; EXP: geometrically */
    double lr_final;    /* [0; used by the cosine and exponential schedules, > 0 for EXP] */
    int weighted;       /* 1: Monge-Ampere term of point i times w_i / <w> [0] */
    double alpha_k;     /* Kahler loss weight [1] (FS-correction models; the phi-model's is 0) */
} sl_cy_train_opts;
enum { SL_CY_LR_CONSTANT = 0, SL_CY_LR_COSINE = 1, SL_CY_LR_EXP = 2 };
#define SL_CY_TRAIN_OPTS_INIT { sizeof(sl_cy_train_opts), 10, 64, 1e-3, 0.9, 0.999, 1e-8, 1.0, 1.0, 0.0, 0, 0, \
                                SL_CY_LR_CONSTANT, 0.0, 0, 1.0 }
SL_API sl_status sl_cy_train_opts_init_sized(sl_cy_train_opts *opts, size_t size);
#define sl_cy_train_opts_init(opts) ((void)sl_cy_train_opts_init_sized((opts), sizeof *(opts)))

SL_API sl_status sl_cy_model_train(sl_cy_model *m, const sl_cy_points *train, const sl_cy_points *val,
                                   const sl_cy_train_opts *opts);
SL_API int sl_cy_model_epochs(const sl_cy_model *m);             /* epochs trained (0 for NULL) */
/* loss (epochs) and sigma_val (epochs), either may be NULL */
SL_API sl_status sl_cy_model_history(const sl_cy_model *m, double *loss, double *sigma_val);
/* A new phi-model (model opts may be NULL) trained on train, validated on val
 * (may be NULL). */
SL_API sl_status sl_discover_cy_metric(const sl_cy_variety *v, const sl_cy_points *train, const sl_cy_points *val,
                                       const sl_cy_model_opts *model_opts, const sl_cy_train_opts *train_opts,
                                       sl_cy_model **out);

/* ---- Diagnostics beyond sigma ------------------------------------------------------------
 * sl_cy_model_diagnostics at points p of the model's variety:
 *  - the eigenvalues of g: the smallest over the points and the number of
 *    points where g is not positive definite (an eigenvalue <= 0);
 *  - the Ricci scalar R = tr(g^-1 J R_amb J^dagger), R_amb = d dbar log det g
 *    (cymetric's convention; computed through the graph functions below, the
 *    fourth derivatives of phi, in chunks of 64 points): mean, mean |R|, max |R|
 *    and cymetric's measure ||R|| = Vol_K^(1/d) / Vol_CY <w eta |R|>;
 *  - the transition residual per patch pair: transition[a * namb + b] is the
 *    mean over the points in patch a of |phi(z / z_b) - phi(z)| (b != a; the
 *    phi-model's metric is patch independent exactly when these vanish), NaN
 *    where no point is in patch a, 0 for b = a; all NaN for the FS-correction
 *    models (not implemented);
 *  - sigma.
 * Per-point arrays (each may be NULL): ricci (n), min_eig (n); transition
 * (namb x namb) may be NULL.  Where det g <= 0, R is NaN (counted in
 * ricci_nan, left out of the statistics).  Varieties of dimension > 3: R NaN.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (points of another variety, out->size
 * below this struct), SL_ERR_NOMEM. */
typedef struct sl_cy_diagnostics {
    size_t size;            /* sizeof(sl_cy_diagnostics) (sl_cy_diagnostics_init) */
    double sigma;
    int64_t nonpositive;    /* points where g has an eigenvalue <= 0 */
    double min_eigenvalue;  /* over the points */
    double ricci_mean, ricci_abs_mean, ricci_max_abs, ricci_measure;
    int64_t ricci_nan;      /* points where R is not finite (det g <= 0) */
} sl_cy_diagnostics;
#define SL_CY_DIAGNOSTICS_INIT { sizeof(sl_cy_diagnostics), 0, 0, 0, 0, 0, 0, 0, 0 }
SL_API sl_status sl_cy_diagnostics_init_sized(sl_cy_diagnostics *d, size_t size);
#define sl_cy_diagnostics_init(d) ((void)sl_cy_diagnostics_init_sized((d), sizeof *(d)))
SL_API sl_status sl_cy_model_diagnostics(const sl_cy_model *m, const sl_cy_points *p, sl_cy_diagnostics *out,
                                         double *ricci, double *min_eig, double *transition);

/* ---- Losses and measures as graph functions ---------------------------------------------
 * Nodes of a graph (graph.h), differentiable again (training a model through
 * them differentiates the input Hessian once more).  Per-point quantities
 * are (B) nodes; take sl_graph_mean for a batch loss.  x is real (B, 2 namb):
 * (Re z, Im z) of patch-normalised points; every function of x must act row
 * by row.  Metrics are complex (B, d, d) with d 1..3.  Errors are sticky
 * (NULL, the graph's status and the message name the function): SL_ERR_NULL,
 * SL_ERR_SHAPE, SL_ERR_DTYPE, SL_ERR_ARG, SL_ERR_GRAPH.
 *  ddbar(f, x): the Wirtinger Hessian (B, namb, namb) of a real potential f (B),
 *    (1/4)[(f_xx + f_yy) + i (f_xy - f_yx)];  the FS metric is
 *    ddbar((t/pi) log |z|^2), the phi-model's ambient form ddbar((t/pi) log |z|^2 + phi).
 *  pullback(J, amb): J amb J^dagger, J (B, d, namb), amb (B, namb, namb).
 *  jacobian(v, x, patch, elim): J(x) (B, d, namb) from the variety's
 *    polynomial (the layout of sl_cy_points_jacobian; patch, elim: B each, as
 *    from sl_cy_points_charts), a function of x (needed for Ricci).
 *  det(m): real det (B).
 *  loss_ma(m, omega2, kappa): |1 - det m / (kappa omega2)| (B).
 *  loss_kahler(m, x, J): sum_{ijk} |c_ijk - c_kji|^2 (B), c_ijk = sum_a J_ka
 *    d_{z_a} m_ij, d_z = (1/2)(d_x - i d_y) (cymetric's n1 = 2).  J may be a
 *    constant: its x-derivative drops out of c_ijk - c_kji (J holomorphic).
 *  loss_transition_phi(phi, phit, namb, d): sum over the m columns of phit
 *    (phi at z / z_p') of |phit - phi| / ((namb - 1) d^2) (B) (cymetric's phi variant).
 *  loss_transition(m, mt, T, ntotal): sum_{p', a, b} |mt - T m T^dagger|_ab /
 *    (ntotal d^2) (B); mt, T (B, m, d, d): the model in the other patches and the
 *    chart Jacobians.
 *  ricci_scalar(m, x, J): R = tr(m^-1 J R_amb J^dagger), R_amb = ddbar log det m
 *    (cymetric's convention) (B); m must be a function of x through
 *    jacobian(...) as well (a constant J gives a wrong R). */
SL_API sl_node *sl_cy_graph_ddbar(sl_graph *g, sl_node *f, sl_node *x);
SL_API sl_node *sl_cy_graph_pullback(sl_graph *g, sl_node *J, sl_node *amb);
SL_API sl_node *sl_cy_graph_jacobian(sl_graph *g, const sl_cy_variety *v, sl_node *x, const int *patch,
                                     const int *elim);
SL_API sl_node *sl_cy_graph_det(sl_graph *g, sl_node *m);
SL_API sl_node *sl_cy_graph_loss_ma(sl_graph *g, sl_node *m, sl_node *omega2, double kappa);
SL_API sl_node *sl_cy_graph_loss_kahler(sl_graph *g, sl_node *m, sl_node *x, sl_node *J);
SL_API sl_node *sl_cy_graph_loss_transition_phi(sl_graph *g, sl_node *phi, sl_node *phit, int namb, int d);
SL_API sl_node *sl_cy_graph_loss_transition(sl_graph *g, sl_node *m, sl_node *mt, sl_node *T, int ntotal);
SL_API sl_node *sl_cy_graph_ricci_scalar(sl_graph *g, sl_node *m, sl_node *x, sl_node *J);

/* ---- Scans over complex moduli ------------------------------------------------------------
 * sl_cy_scan_quintic: for each of npsi values psi_i (complex, interleaved) the
 * Dwork quintic sum z^5 + psi_i prod z, opts->train_points training and
 * opts->val_points validation points (sl_cy_sample streams opts->stream and
 * opts->stream + 1, the same streams for every psi), and a phi-model trained
 * by sl_discover_cy_metric with model_opts and train_opts (either may be
 * NULL).  One result per psi: sigma_FS and sigma of the trained model on the
 * validation points, kappa of the training points, the last epoch's training
 * loss.  Progress through the context's log callback (one line per psi and
 * the training lines).  A psi at which sampling or training fails stops the
 * scan with that error (message naming psi).  Errors: SL_ERR_NULL,
 * SL_ERR_ARG (npsi 1..10^5, point counts 1..2^31, psi not finite), and those
 * of sampling and training.
 * sl_cy_scan_results: arrays of npsi (each may be NULL): psi (complex),
 * sigma_fs, sigma, kappa, loss.  sl_cy_scan_model: the model of psi_i (owned
 * by the scan, NULL out of range).
 * sl_cy_scan_export_csv / _json: one row (object) per psi with the columns
 * psi_re, psi_im, sigma_fs, sigma, kappa, loss, epochs (written atomically). */
typedef struct sl_cy_scan sl_cy_scan;
typedef struct sl_cy_scan_opts {
    size_t size;           /* sizeof(sl_cy_scan_opts) */
    int64_t train_points;  /* [20000] */
    int64_t val_points;    /* [10000] */
    uint64_t stream;       /* sampling streams stream (training), stream + 1 (validation) [1] */
} sl_cy_scan_opts;
#define SL_CY_SCAN_OPTS_INIT { sizeof(sl_cy_scan_opts), 20000, 10000, 1 }
SL_API sl_status sl_cy_scan_opts_init_sized(sl_cy_scan_opts *opts, size_t size);
#define sl_cy_scan_opts_init(opts) ((void)sl_cy_scan_opts_init_sized((opts), sizeof *(opts)))

SL_API sl_status sl_cy_scan_quintic(sl_ctx *ctx, int npsi, const double *psi, const sl_cy_scan_opts *opts,
                                    const sl_cy_model_opts *model_opts, const sl_cy_train_opts *train_opts,
                                    sl_cy_scan **out);
SL_API void sl_cy_scan_destroy(sl_cy_scan *s);                   /* NULL is a no-op */
SL_API int sl_cy_scan_count(const sl_cy_scan *s);                /* npsi (0 for NULL) */
SL_API sl_status sl_cy_scan_results(const sl_cy_scan *s, double *psi, double *sigma_fs, double *sigma,
                                    double *kappa, double *loss);
SL_API const sl_cy_model *sl_cy_scan_model(const sl_cy_scan *s, int i);
SL_API sl_status sl_cy_scan_export_csv(const sl_cy_scan *s, const char *path);
SL_API sl_status sl_cy_scan_export_json(const sl_cy_scan *s, const char *path);

/* ---- Files ----------------------------------------------------------------------------
 * A model in the library's container (kind CYMD: the variety's polynomial,
 * the options, weights and history).  load creates a model of a new variety
 * (sl_cy_model_variety, owned by the model).  Errors: SL_ERR_NULL, SL_ERR_IO,
 * SL_ERR_CORRUPT, SL_ERR_UNSUPPORTED, SL_ERR_NOMEM. */
SL_API sl_status sl_cy_model_save(const sl_cy_model *m, const char *path);
SL_API sl_status sl_cy_model_load(sl_ctx *ctx, const char *path, sl_cy_model **out);
SL_API const sl_cy_variety *sl_cy_model_variety(const sl_cy_model *m);

#ifdef __cplusplus
}
#endif
#endif
