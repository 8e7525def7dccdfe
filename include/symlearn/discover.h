/* libsymlearn symmetry discovery: the Lie algebra of the linear maps that
 * preserve an oracle (Forestano, Matchev, Matcheva, Roman, Unlu, Verner 2023).
 *
 * An oracle phi is an invariant: a norm, a metric, an invariant tensor, a
 * trained network, a C function.  It may be vector-valued (several invariants
 * at once) and may take several vector arguments (a 3-form acts on triples),
 * all transformed together: x_k -> (1 + eps J) x_k.  The algebra found is
 * {J : d/deps phi((1 + eps J) x) = 0 for all x}, for every oracle added to the
 * options at once.
 *
 * Two solvers sit behind sl_discover_symmetries:
 *  - exact: the null space of the linearised invariance condition, the stacked
 *    rows vec(grad phi(x) x^T) over samples x (an SVD, with the gap between the
 *    kept and the null singular values reported);
 *  - trained: generators learned by minimising the losses of losses.h (Adam
 *    then L-BFGS), which also works for oracles that are only approximately
 *    invariant (noisy data, trained networks); with a scan over the number of
 *    generators N_g reporting the loss per N_g.
 * Either way the result holds the generators (normalised to Tr J J^T = 2,
 * optionally rotated to a sparse canonical basis), their structure constants,
 * the Killing form and what the algebra is (see analysis.h for the
 * conventions).
 *
 * Layout.  n x n generators are row-major, d of them stored as
 * gens[(a*n + i)*n + j].  Complex spaces C^n are used as R^{2n} with
 * interleaved (Re z_1, Im z_1, Re z_2, ...), the library's complex layout.
 *
 * Thread safety: one thread at a time per context and per object. */
#ifndef SYMLEARN_DISCOVER_H
#define SYMLEARN_DISCOVER_H

#include <stdio.h>

#include "graph.h"
#include "losses.h"
#include "nn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_symmetry_opts sl_symmetry_opts;
typedef struct sl_symmetry_result sl_symmetry_result;

/* ---- Oracles ----------------------------------------------------------------
 * A graph oracle (sl_oracle_graph_fn, losses.h) builds phi in a graph; the
 * library differentiates it. */

/* A C oracle with its gradient: for m points x (m rows of nargs*n doubles, the
 * arguments one after another), write phi (m x nout) and, when grad is not
 * NULL, grad (m x nout x nargs*n) = d phi / d x.  Return 0 on success, any
 * other value to abort the discovery (SL_ERR_NUMERIC). */
typedef int (*sl_oracle_fn)(void *user, int64_t m, int n, int nargs, const double *x, int nout,
                            double *phi, double *grad);

/* ---- Options ---------------------------------------------------------------- */
SL_API sl_status sl_symmetry_opts_create(sl_ctx *ctx, sl_symmetry_opts **out);
SL_API void sl_symmetry_opts_destroy(sl_symmetry_opts *o);            /* NULL is a no-op */

/* Each oracle call adds one invariant; every oracle must act on the same R^n
 * (SL_ERR_SHAPE otherwise).  Errors of all: SL_ERR_NULL (o), SL_ERR_ARG (bad
 * size, a flag other than 0 or 1), SL_ERR_NONFINITE (NaN/Inf in a matrix),
 * SL_ERR_SHAPE, SL_ERR_NOMEM.  n is in 1..1024 (1..512 complex, 1..6 for the
 * determinant), nargs in 1..16, nout in 1..4096.  Matrices are copied.
 *
 * Every setter below checks its arguments: an enum or 0/1 flag out of range,
 * a negative or too large count, a NaN or infinite float is SL_ERR_ARG with
 * a message naming the call (SL_ERR_NULL without one for o = NULL), and the
 * options are left unchanged. */

/* phi(x) = x^T G x on R^n.  G: n x n symmetric (NULL: the identity, the
 * squared Euclidean norm).  Minkowski: G = diag(1, -1, -1, -1). */
SL_API sl_status sl_symmetry_opts_oracle_quadratic(sl_symmetry_opts *o, int n, const double *G);
/* phi(x) = |x| (the Euclidean norm, as the reference code's torch.norm). */
SL_API sl_status sl_symmetry_opts_oracle_norm(sl_symmetry_opts *o, int n);
/* The Hermitian form <z, w> = z^dagger H w on pairs (z, w) of C^n as R^{2n}:
 * two outputs, Re and Im.  H: n x n complex Hermitian, interleaved (re, im)
 * (NULL: identity).  Preserving both parts gives u(n). */
SL_API sl_status sl_symmetry_opts_oracle_hermitian(sl_symmetry_opts *o, int n, const double *H);
/* The determinant of n vectors: real (is_complex = 0: phi = det(x_1..x_n) on
 * R^n; sl(n)), or complex (is_complex = 1: Re and Im of det(z_1..z_n) on C^n
 * as R^{2n}). */
SL_API sl_status sl_symmetry_opts_oracle_determinant(sl_symmetry_opts *o, int n, int is_complex);
/* The octonionic 3-form phi(x, y, z) = sum f_ijk x_i y_j z_k on triples of R^7,
 * f totally antisymmetric with f = 1 on the Fano triples 123, 145, 176, 246,
 * 257, 347, 365 (indices 1-based); its stabiliser is g2 (dimension 14). */
SL_API sl_status sl_symmetry_opts_oracle_octonion_3form(sl_symmetry_opts *o);
/* The cubic norm of the Albert algebra of 3 x 3 Hermitian octonionic matrices
 * X = [[a, z, y*], [z*, b, x], [y, x*, c]] on R^27 = (a, b, c, x, y, z):
 * N(X) = abc - a|x|^2 - b|y|^2 - c|z|^2 + 2 Re((x y) z); its stabiliser is
 * e6(-26) (78).  with_trace = 1 adds tr X = a + b + c as a second output:
 * the stabiliser is then f4 (52); with_trace is 0 or 1. */
SL_API sl_status sl_symmetry_opts_oracle_albert(sl_symmetry_opts *o, int with_trace);
/* A user graph oracle (see sl_oracle_graph_fn) on nargs vectors of R^n with
 * nout outputs.  user is passed back unchanged and must outlive the options. */
SL_API sl_status sl_symmetry_opts_oracle_graph(sl_symmetry_opts *o, int n, int nargs, int nout,
                                               sl_oracle_graph_fn fn, void *user);
/* A user C oracle with its gradient (see sl_oracle_fn).  The trained solver
 * uses it with the derivative invariance loss (SL_SYM_INV_DERIVATIVE). */
SL_API sl_status sl_symmetry_opts_oracle_function(sl_symmetry_opts *o, int n, int nargs, int nout,
                                                  sl_oracle_fn fn, void *user);
/* Sample points for the last oracle added: m rows of nargs*n doubles (copied),
 * m in 1..2^26.  Without it the library draws m standard normal points
 * from the options' seed: m = max(300, 2 n^2) by default (enough rows for the
 * n^2 unknowns of the exact solver), or the count given to
 * sl_symmetry_opts_set_samples_count (1..2^26).  Errors: SL_ERR_STATE (no
 * oracle yet), SL_ERR_ARG, SL_ERR_NONFINITE. */
SL_API sl_status sl_symmetry_opts_set_samples(sl_symmetry_opts *o, int64_t m, const double *x);
SL_API sl_status sl_symmetry_opts_set_samples_count(sl_symmetry_opts *o, int64_t m); /* [max(300, 2 n^2)] */
SL_API sl_status sl_symmetry_opts_set_seed(sl_symmetry_opts *o, uint64_t seed); /* [ctx seed] */

/* Solver [SL_SYM_EXACT]. */
enum { SL_SYM_EXACT = 1, SL_SYM_TRAINED = 2 };
SL_API sl_status sl_symmetry_opts_set_solver(sl_symmetry_opts *o, int solver);

/* Number of generators N_g.  0 [default]: the dimension of the algebra (exact:
 * the null-space dimension; trained: a scan over d0 and d0 + 1, d0 the
 * null-space dimension at the loose relative tolerance 1e-4).  With
 * N_g > 0 the exact solver returns the N_g most invariant directions and the
 * trained solver trains N_g generators, without a success test (the result's
 * reason is SL_SYM_REASON_FIXED).  ng in 0..8192; sl_discover_symmetries
 * refuses N_g > n^2 (SL_ERR_ARG: gl(n) has n^2 dimensions). */
SL_API sl_status sl_symmetry_opts_set_generators(sl_symmetry_opts *o, int ng);
/* Scan N_g = ng_min..ng_max, 1 <= ng_min <= ng_max <= 8192 (and <= n^2 at
 * discovery; trained; exact: the loss of the N_g smallest singular
 * directions).  The dimension found is the largest N_g whose final loss is
 * below the tolerance. */
SL_API sl_status sl_symmetry_opts_set_scan(sl_symmetry_opts *o, int ng_min, int ng_max);

/* Invariance loss of the trained solver [SL_SYM_INV_DERIVATIVE, eps 1e-3]
 * (the modes SL_SYM_INV_*: losses.h); eps in (0, 1]. */
SL_API sl_status sl_symmetry_opts_set_invariance(sl_symmetry_opts *o, int mode, double eps);
/* Closure loss [SL_SYM_CLOSURE_LSQ, squared]: off, structure constants
 * learned as parameters, or solved by least squares at every step (variable
 * projection).  quartic = 1 squares the residual norm once more, as the
 * reference code (quartic is 0 or 1). */
enum { SL_SYM_CLOSURE_OFF = 0, SL_SYM_CLOSURE_LEARNED = 1, SL_SYM_CLOSURE_LSQ = 2 };
SL_API sl_status sl_symmetry_opts_set_closure(sl_symmetry_opts *o, int mode, int quartic);
/* Loss weights [1, 1, 1, 1, 0]: invariance, normalisation, orthogonality,
 * closure, sparsity (all >= 0). */
SL_API sl_status sl_symmetry_opts_set_weights(sl_symmetry_opts *o, double inv, double norm,
                                              double orth, double clos, double sparsity);
/* Training schedule [Adam 300 steps at lr 1e-2, then 100 L-BFGS steps]:
 * steps in 0..10^7, lr finite and > 0. */
SL_API sl_status sl_symmetry_opts_set_training(sl_symmetry_opts *o, int adam_steps, double lr,
                                               int lbfgs_steps);
/* Tolerance (finite, > 0): exact solver, relative singular value counted as
 * zero [1e-8]; trained solver, final loss counted as success.  The trained
 * default follows the invariance loss: 1e-12 with the exact derivative; a
 * difference quotient leaves a bias of order eps (forward) or eps^2
 * (central) that keeps the loss of the true algebra far above 1e-12, so
 * there the default is 1e-12 + N_g w_norm eps (forward) or
 * 1e-12 + N_g w_norm eps^2 (central), w_norm the normalisation weight
 * (1 when 0).  A tolerance set here is used as it is, for every N_g.  The
 * result reports it (sl_symmetry_result_tolerance). */
SL_API sl_status sl_symmetry_opts_set_tolerance(sl_symmetry_opts *o, double tol);
/* Rotate the generators found towards a sparse canonical basis [1]
 * (sl_lie_sparsify; exact solver and trained solutions with N_g = dimension);
 * on is 0 or 1. */
SL_API sl_status sl_symmetry_opts_set_sparsify(sl_symmetry_opts *o, int on);
/* Starting point of the trained solver: W (ng x n x n) and, for learned
 * closure, C (P x ng, P = ng(ng-1)/2 pairs a < b in lexicographic order; NULL:
 * zeros), 1 <= ng <= min(n^2, 8192).  Copied.  Without it W is uniform in
 * (-1/sqrt n, 1/sqrt n). */
SL_API sl_status sl_symmetry_opts_set_initial(sl_symmetry_opts *o, int ng, const double *W,
                                              const double *C);
/* The reference code's recipe (Forestano et al. 2023, sym_utils.py): forward
 * differences with eps = 1e-3, learned quartic closure, Adam lr 1e-3 for
 * `epochs` steps (1..10^7) without L-BFGS, success below 1e-6, m = 300, no
 * sparsify. */
SL_API sl_status sl_symmetry_opts_preset_reference(sl_symmetry_opts *o, int epochs);

/* ---- Discovery ------------------------------------------------------------------
 * Run the solver; *out receives a new result (destroy it with
 * sl_symmetry_result_destroy), NULL on failure.  Errors: SL_ERR_NULL,
 * SL_ERR_STATE (no oracle), SL_ERR_ARG (an option that does not fit the
 * oracle: N_g > n^2, too many sample rows; a C oracle with a difference loss:
 * SL_ERR_UNSUPPORTED), SL_ERR_NONFINITE (the oracle returned NaN/Inf, as a
 * value or a gradient, at a sample point, or the loss at the starting point
 * is not finite), SL_ERR_NUMERIC (LAPACK, a C oracle returned non-zero, the
 * trained loss became non-finite), SL_ERR_NOMEM.  Failures inside (an
 * analysis call, a graph op of the oracle) are restated as
 * "sl_discover_symmetries: <their message>". */
SL_API sl_status sl_discover_symmetries(sl_ctx *ctx, const sl_symmetry_opts *opts,
                                        sl_symmetry_result **out);

/* ---- Results --------------------------------------------------------------------
 * Accessors take a result and return 0 / NULL / NaN for a NULL result.
 * Arrays are owned by the result and valid until it is destroyed. */
SL_API void sl_symmetry_result_destroy(sl_symmetry_result *r);       /* NULL is a no-op */
SL_API int sl_symmetry_result_dim(const sl_symmetry_result *r);       /* number of generators d */
SL_API int sl_symmetry_result_n(const sl_symmetry_result *r);         /* they act on R^n */
SL_API const double *sl_symmetry_result_generators(const sl_symmetry_result *r);  /* d x n x n */
SL_API const double *sl_symmetry_result_structure_constants(const sl_symmetry_result *r); /* d^3 */
SL_API const double *sl_symmetry_result_killing_form(const sl_symmetry_result *r);        /* d x d */
/* Eigenvalues of g^{-1} K, ascending (d values). */
SL_API const double *sl_symmetry_result_killing_eigenvalues(const sl_symmetry_result *r);
/* Killing signature (negative, positive, zero); outputs may be NULL. */
SL_API sl_status sl_symmetry_result_signature(const sl_symmetry_result *r, int *nneg, int *npos,
                                              int *nzero);
SL_API int sl_symmetry_result_rank(const sl_symmetry_result *r);
SL_API int sl_symmetry_result_centre_dim(const sl_symmetry_result *r);
/* 1 when the group generated is compact, judged from the generators found
 * (sl_lie_group_is_compact): the abstract algebra is compact and its centre
 * acts by rotations.  One boost (real eigenvalues) is not compact although
 * its abstract algebra, R = u(1), has no Killing form to tell. */
SL_API int sl_symmetry_result_is_compact(const sl_symmetry_result *r);
/* Dimensions of the simple ideals (centre excluded); 0 when not found. */
SL_API int sl_symmetry_result_simple_ideals(const sl_symmetry_result *r, const int **dims);
/* A name such as "so(3)", "so(1,3)", "g2", "e6(-26)", "su(3) + u(1)" when
 * recognised, else a description "dim 7, ..."; owned by the result.  Simple
 * ideals come from tables of the real forms (every simple one up to
 * dimension 15, the classical compact ones, the exceptional ones of the
 * oracles); a sum lists its simple ideals, larger first, then the centre, one
 * "u(1)" (rotations) or "R" (otherwise) per dimension.  One generator is
 * "u(1)" (a rotation), "so(1,1)" (a boost or dilation: real eigenvalues) or
 * "R" (a shear).  When the algebra is simple and several classical names fit
 * (so(2,3) = sp(4,R)), the one whose defining space is R^n comes first.  A
 * trained scan where no N_g met the tolerance is "none found (<reason>)";
 * "trivial (no continuous symmetry)" means no invariant direction at all. */
SL_API const char *sl_symmetry_result_name(const sl_symmetry_result *r);
/* The isomorphic classical forms of the name, ", "-separated ("" when none):
 * "sp(4,R)" for so(2,3), "sl(2,C)_R" for so(1,3), "su(2), sp(1)" for so(3),
 * "so(4), su(2) + su(2)" for so(3) + so(3), "so(2,2), sl(2,R) + sl(2,R)"
 * for so(1,2) + so(1,2), "u(2), su(2) + u(1)" for so(3) + u(1).  Owned by
 * the result; NULL for a NULL result.  sl_symmetry_result_print shows them
 * after the name, "so(2,3) (U+2245 sp(4,R))", U+2245 written in UTF-8. */
SL_API const char *sl_symmetry_result_isomorphisms(const sl_symmetry_result *r);
/* 1 when name is the result's name or one of its isomorphic forms, else 0:
 * case and spaces are ignored, so(p,q) = so(q,p) (also su, sp, u), the terms
 * of a sum may come in any order, "sl(2,C)" matches "sl(2,C)_R".  0 for a
 * NULL result or name. */
SL_API int sl_symmetry_result_is(const sl_symmetry_result *r, const char *name);
/* Relative closure residual of the least-squares structure constants. */
SL_API double sl_symmetry_result_closure_residual(const sl_symmetry_result *r);

/* Loss terms of the final generators (trained solver; exact solver: only
 * SL_SYM_LOSS_INVARIANCE, the sum of the squared null singular values). */
enum { SL_SYM_LOSS_TOTAL = 0, SL_SYM_LOSS_INVARIANCE = 1, SL_SYM_LOSS_NORMALISATION = 2,
       SL_SYM_LOSS_ORTHOGONALITY = 3, SL_SYM_LOSS_CLOSURE = 4, SL_SYM_LOSS_SPARSITY = 5 };
SL_API double sl_symmetry_result_loss(const sl_symmetry_result *r, int term);
/* The loss before the first training step (trained solver; NaN otherwise). */
SL_API double sl_symmetry_result_initial_loss(const sl_symmetry_result *r);

/* Exact solver: singular values of the stacked invariance rows (descending,
 * *count of them), and the gap sigma_kept_min / sigma_null_max (Inf when the
 * null singular values are exactly 0, NaN for the trained solver). */
SL_API const double *sl_symmetry_result_singular_values(const sl_symmetry_result *r, int *count);
SL_API double sl_symmetry_result_singular_gap(const sl_symmetry_result *r);

/* Dimension scan: *count entries (N_g, final loss); ng and loss may be NULL. */
SL_API int sl_symmetry_result_scan(const sl_symmetry_result *r, const int **ng,
                                   const double **loss);

/* Why the dimension is what it is: the code, and (text, may be NULL) a line
 * such as "N_g = 11: loss 2.11 above tolerance 0.011" (what stopped the
 * scan), "loss 1.2e-05 above tolerance 1e-12 at N_g = 10" (why none was
 * found), "N_g = 7: sigma/sigma_max 0.13 above tolerance 1e-08" (exact
 * solver).  The text is owned by the result.  Saved files do not hold it: a
 * loaded result gives SL_SYM_REASON_UNKNOWN. */
enum { SL_SYM_REASON_UNKNOWN = -1, /* NULL result, or loaded from a file */
       SL_SYM_REASON_FOUND = 0,    /* dim() generators met the tolerance */
       SL_SYM_REASON_NONE = 1,     /* no N_g met it: dim() is 0 */
       SL_SYM_REASON_FIXED = 2 };  /* N_g set by sl_symmetry_opts_set_generators, not tested */
SL_API int sl_symmetry_result_reason(const sl_symmetry_result *r, const char **text);
/* The success tolerance that applied at N_g = ng (trained solver: the final
 * loss below it succeeds; see sl_symmetry_opts_set_tolerance) or, for the
 * exact solver, the relative singular-value tolerance (ng ignored).  NaN for
 * a NULL or loaded result, or ng < 0. */
SL_API double sl_symmetry_result_tolerance(const sl_symmetry_result *r, int ng);

/* Human-readable summary (name with its isomorphic forms, dimension,
 * signature, rank, the outcome, the scan with its tolerances, structure
 * constants when d <= 10, diagnostics) to f, which is flushed.  Errors:
 * SL_ERR_NULL, SL_ERR_IO (a write or the flush failed, e.g. a full device). */
SL_API sl_status sl_symmetry_result_print(const sl_symmetry_result *r, FILE *f);

/* Save to a file: the library's checksummed container (docs/file-format.md,
 * kind SYMR), written to a temporary file and renamed over path (an existing
 * file is replaced only by a complete one and keeps its mode; a symbolic link
 * is written through).  Errors: SL_ERR_NULL, SL_ERR_IO, SL_ERR_NOMEM. */
SL_API sl_status sl_symmetry_result_save(const sl_symmetry_result *r, const char *path);
/* Load a saved result (also the 1.0 format SLSYMR1).  A truncated, altered
 * or foreign file, or one whose generators, structure constants, Killing
 * form, eigenvalues or singular values are not finite, gives SL_ERR_CORRUPT
 * (SL_ERR_UNSUPPORTED for a newer format version, SL_ERR_IO when it cannot be
 * read) and *out = NULL. */
SL_API sl_status sl_symmetry_result_load(sl_ctx *ctx, const char *path, sl_symmetry_result **out);
/* Export: CSV (one row per generator entry and per structure constant:
 * kind,a,b,c,value) or JSON (an object with n, dim, name, signature, losses,
 * generators, structure_constants).  Atomic as save.  Errors: SL_ERR_NULL, SL_ERR_IO. */
SL_API sl_status sl_symmetry_result_export_csv(const sl_symmetry_result *r, const char *path);
SL_API sl_status sl_symmetry_result_export_json(const sl_symmetry_result *r, const char *path);
/* Heat map pictures (binary PPM, blue negative, white 0, red positive):
 * SL_SYM_PICTURE_GENERATORS tiles the d generators, SL_SYM_PICTURE_STRUCTURE
 * the d slices f_{a b}^c (c fixed per tile).  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_STATE (no generators), SL_ERR_IO.  Atomic as save. */
enum { SL_SYM_PICTURE_GENERATORS = 0, SL_SYM_PICTURE_STRUCTURE = 1 };
SL_API sl_status sl_symmetry_result_write_ppm(const sl_symmetry_result *r, int which,
                                              const char *path);

/* ---- Invariants of grouped samples: Siamese networks ------------------------
 * Wetzel, Melko, Scott, Panju, Ganesh, PRR 2, 033499 (2020).  Samples come in
 * groups that share the values of unknown invariants (one event seen in
 * several Lorentz frames, one field in several frames, the points of one
 * orbit).  A shared encoder f (an MLP, nn.h) maps a sample to nlatent
 * numbers; pairs of samples of one group (label 1) and of two groups
 * (label 0) are drawn, and f is trained so that the pairs can be told apart:
 *   BCE (the paper):   logit = c - w |f(a) - f(b)|^2, binary cross-entropy;
 *   CONTRASTIVE (Hadsell, Chopra, LeCun 2006): y D^2 + (1 - y) max(0, m - D)^2,
 *                      D = |f(a) - f(b)|, margin m;
 *   CONSERVNET (Ha, Jeong, PRR 3, L042035 (2021)): Var_group f + beta |Q - Var f(X + xi)|
 *                      with Q = beta = 1, xi in a random direction with |xi| ~ U(0, sqrt R)
 *                      (R = opts->noise, in standardised units); the variances are
 *                      pooled over groups and estimated from same-group pairs
 *                      (Var = E (f(a) - f(b))^2 / 2); label-0 pairs are not used.
 * The encoder then holds the invariants (as functions of them); a fit onto
 * monomials (sl_invariant_result_fit) makes them readable.
 *
 * Inputs are standardised per column (mean 0, variance 1) inside the encoder,
 * so the encoder, its gradients and the fits are in the caller's units.
 * Deterministic: pairs, noise and weights come from stream ctx seed + seed. */
typedef struct sl_invariant_result sl_invariant_result;

enum { SL_INVARIANT_LOSS_BCE = 0, SL_INVARIANT_LOSS_CONTRASTIVE = 1, SL_INVARIANT_LOSS_CONSERVNET = 2 };

/* Size-first options (rules in core.h); defaults in brackets. */
typedef struct sl_invariant_opts {
    size_t size;          /* sizeof(sl_invariant_opts) */
    int nlatent;          /* latent dimension, 1..64 [1] */
    int depth;            /* hidden layers of the encoder, 1..15 [2] */
    int64_t hidden;       /* width of each hidden layer [32] */
    int activation;       /* SL_ACT_* of nn.h [SL_ACT_SILU] */
    int loss;             /* SL_INVARIANT_LOSS_* [BCE] */
    int64_t npairs;       /* pairs of each label, drawn once (full batch) [1024] */
    int steps;            /* Adam steps [600] */
    double lr;            /* Adam learning rate [3e-3] */
    double margin;        /* CONTRASTIVE margin m [1] */
    double noise;         /* CONSERVNET noise R [1] */
    uint64_t seed;        /* pairs, noise, weights: streams from ctx seed + seed [0] */
} sl_invariant_opts;

#define SL_INVARIANT_OPTS_INIT \
    { sizeof(sl_invariant_opts), 1, 2, 32, SL_ACT_SILU, SL_INVARIANT_LOSS_BCE, 1024, 600, 3e-3, 1.0, 1.0, 0 }
SL_API sl_status sl_invariant_opts_init_sized(sl_invariant_opts *opts, size_t size);
#define sl_invariant_opts_init(opts) ((void)sl_invariant_opts_init_sized((opts), sizeof *(opts)))

/* Train an encoder on n samples x (n x d, row-major) with group[i] the group
 * of sample i (any int64 labels).  At least two groups and one group of two or
 * more samples are needed.  opts may be NULL (defaults).  On success *out
 * holds the trained encoder, the losses and the accuracy.  Errors:
 * SL_ERR_NULL, SL_ERR_ARG (n, d, a bad option, a single group, no group of
 * two, each named), SL_ERR_SHAPE (n * d too large), SL_ERR_NONFINITE (x),
 * SL_ERR_NOMEM; the training's own errors (SL_ERR_NONFINITE for a diverged
 * loss).  *out = NULL on failure. */
SL_API sl_status sl_discover_invariants(sl_ctx *ctx, int64_t n, int64_t d, const double *x,
                                        const int64_t *group, const sl_invariant_opts *opts,
                                        sl_invariant_result **out);
SL_API void sl_invariant_result_destroy(sl_invariant_result *r);      /* NULL is a no-op */

SL_API int64_t sl_invariant_result_dim(const sl_invariant_result *r);     /* d (0 for NULL) */
SL_API int sl_invariant_result_nlatent(const sl_invariant_result *r);     /* 0 for NULL */
/* The loss before each step and after the last: *count = steps + 1 values,
 * owned by the result (NULL/0 for NULL). */
SL_API int sl_invariant_result_losses(const sl_invariant_result *r, const double **loss);
SL_API double sl_invariant_result_final_loss(const sl_invariant_result *r);   /* NaN for NULL */
/* Fraction of the training pairs classified right after training: BCE logit
 * > 0, CONTRASTIVE D < m/2 for label 1; NaN for CONSERVNET (no classifier). */
SL_API double sl_invariant_result_accuracy(const sl_invariant_result *r);

/* The encoder at m points x (m x d): out (m x nlatent) = f(x).  When grad
 * is not NULL it receives df/dx (m x nlatent x d).  Errors: SL_ERR_NULL,
 * SL_ERR_ARG (m < 1), SL_ERR_NONFINITE (x), SL_ERR_NOMEM. */
SL_API sl_status sl_invariant_result_encode(const sl_invariant_result *r, int64_t m, const double *x,
                                            double *out, double *grad);
/* The encoder's weights (nn.h's flat order of an MLP d -> hidden^depth ->
 * nlatent, acting on the standardised inputs (x - mean) / scale). */
SL_API int64_t sl_invariant_result_nweights(const sl_invariant_result *r);
SL_API sl_status sl_invariant_result_weights(const sl_invariant_result *r, double *weights,
                                             double *mean, double *scale);

/* Fit latent `latent` onto the monomials of degree <= 2 of x: coef[0] for 1,
 * coef[1 + i] for x_i, then x_i x_j (i <= j) in the order (0,0), (0,1), ..,
 * (0,d-1), (1,1), .., (d-1,d-1): 1 + d + d(d+1)/2 values (SL_INVARIANT_NMONO).
 *   VALUE:    least squares f(x) ~ sum_k coef_k m_k(x); *residual = the rms
 *             misfit over the rms deviation of f from its mean (sqrt(1 - R^2)).
 *   GRADIENT: the polynomial P whose gradient is most nearly parallel to
 *             grad f (minimises sum_x |grad P - (grad P . u) u|^2 / sum_x |grad P|^2,
 *             u = grad f / |grad f|, a generalised eigenproblem), so any
 *             monotone function of the invariant gives the same P; coef[0] =
 *             0, unit norm, the largest |coef| positive; *residual = that
 *             ratio, in [0, 1].
 * Points: the m points x (m x d), or the training samples when x is NULL
 * (m ignored).  residual may be NULL.  Errors: SL_ERR_NULL, SL_ERR_ARG
 * (latent, mode, m smaller than the monomial count), SL_ERR_NUMERIC (LAPACK). */
enum { SL_INVARIANT_FIT_VALUE = 0, SL_INVARIANT_FIT_GRADIENT = 1 };
#define SL_INVARIANT_NMONO(d) (1 + (d) + (d) * ((d) + 1) / 2)
SL_API sl_status sl_invariant_result_fit(const sl_invariant_result *r, int latent, int mode, int64_t m,
                                         const double *x, double *coef, double *residual);

#ifdef __cplusplus
}
#endif
#endif
