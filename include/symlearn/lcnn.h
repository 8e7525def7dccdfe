/* libsymlearn L-CNN: lattice gauge equivariant network layers (Favoni, Ipp,
 * Mueller, Schuh, PRL 128 (2022) 032003) as graph ops, a model builder,
 * prediction, training and model files.  The gauge fields they act on are in
 * gauge.h (included); lattice.h includes both.
 *
 * Conventions (docs/lattice.md has the tutorial and the formulas; gauge.h
 * the lattice and the links).
 *  - In a graph a batch of gauge fields is a c128 node of shape
 *    (B, L0, .., L_{nd-1}, nd, N, N); a set of C locally transforming fields
 *    W (the "channels") is channel-first: (C, B, L0, .., L_{nd-1}, N, N), so
 *    that the weight contractions are single GEMMs.
 *
 * Thread safety: as for the rest of the library (one thread per context). */
#ifndef SYMLEARN_LCNN_H
#define SYMLEARN_LCNN_H

#include "graph.h"
#include "gauge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Layers as graph ops ----------------------------------------------------------
 * U: c128 (B, L.., nd, N, N).  W: c128 (C, B, L.., N, N).  Every layer is
 * built from existing graph ops (roll, batched matmul, adjoint, concat, sum),
 * so derivatives with respect to weights, W and U, to any order, come from
 * sl_graph_grad.  NULL on error (sticky, as every graph op). */

/* Link U(x, mu) of a gauge node as (B, L.., N, N). */
SL_API sl_node *sl_graph_link(sl_graph *g, sl_node *U, int mu);

/* Plaquettes P(x,mu nu) = U(x,mu) U(x+mu,nu) U(x+nu,mu)^+ U(x,nu)^+ for
 * mu < nu, channel-first (P, B, L.., N, N).  Channel order: the planes
 * lexicographic ((0,1), (0,2), .., (1,2), ..); orientations = 1: nd(nd-1)/2
 * channels; 2: all P, then all P^+ in the same plane order (nd(nd-1)
 * channels).  clover != 0: the four clover leaves of each plane instead,
 * plane-major (4 nd(nd-1)/2 channels, times 2 with both orientations, the
 * adjoints after all leaves): leaf 0 the (+mu, +nu) plaquette, 1 (-mu, +nu),
 * 2 (-mu, -nu), 3 (+mu, -nu), each based at x (docs/lattice.md). */
SL_API sl_node *sl_graph_plaquette(sl_graph *g, sl_node *U, int orientations, int clover);

/* Rectangular a x b Wilson loop in plane (mu, nu) based at x (a steps +mu,
 * b steps +nu, back): (B, L.., N, N).  mu > nu is allowed: W(mu, nu, a, b)
 * = W(nu, mu, b, a)^+ (the same loop run backwards).  a >= L_mu closes or
 * winds the mu lines around the lattice (a = L_mu: a Polyakov loop at x times
 * the inverse one at x + b nu, joined by the nu lines); 1 <= a, b <=
 * SL_LCNN_MAX_REACH.  sl_gauge_wilson_loop (gauge.h) is its lattice average
 * without a graph. */
SL_API sl_node *sl_graph_wilson_loop(sl_graph *g, sl_node *U, int mu, int nu, int a, int b);

/* Polyakov loops L(x,mu) = prod_t U(x + t mu, mu), channel-first (nd, B, L.., N, N). */
SL_API sl_node *sl_graph_polyakov(sl_graph *g, sl_node *U);

/* Parallel transport of W by k steps along +mu (k > 0) or -mu (k < 0). */
SL_API sl_node *sl_graph_transport(sl_graph *g, sl_node *U, sl_node *W, int mu, int k);

/* L-Conv: W'(u) = sum_t omega(u,t) B_t, B = (W_local, transports along
 * +mu and -mu for k = 1..K-1 (step dilation+1), mu outer, k, sign, channel
 * inner, 1).  omega: f64 (Cout, C(2 nd (K-1) + 1) + 1) or c128 of that shape. */
SL_API sl_node *sl_graph_lconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *omega, int K,
                               int dilation);

/* L-Bilin: W'(u) = sum_{v,w} alpha(u,v,w) A'_v B'_w with A' = (A, A^+, 1) and
 * B' = (B, B^+, 1); alpha f64 (Cout, 2Ca+1, 2Cb+1).  Contraction-first. */
SL_API sl_node *sl_graph_lbilin(sl_graph *g, sl_node *A, sl_node *B, sl_node *alpha);

/* GCMConv (the PRL layer): A = (W, W^+, 1), B = (T, T^+, 1) with T the
 * transports along +mu for k = 1..K-1 (step (dilation+1) k), mu outer, k,
 * channel inner (M = C nd (K-1)); symmetric != 0 adds W_local and the -mu
 * transports (M = C (2 nd (K-1) + 1)).  K >= 2 (K = 1 only when symmetric:
 * B = W_local), (K-1)(dilation+1) <= SL_LCNN_MAX_REACH.  alpha f64 (Cout, 2C+1, 2M+1).
 * Computed as tmp = alpha (Cout(2C+1), 2M+1) x B (one dgemm), then
 * W'_u = sum_v A_v tmp_uv: the pair products A_v B_w are never formed. */
SL_API sl_node *sl_graph_gcmconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *alpha, int K,
                                 int dilation, int symmetric);
/* M of a GCMConv layer, and the length of L-Conv's omega rows. */
SL_API int64_t sl_gcmconv_terms(int nd, int64_t channels, int K, int symmetric);

/* L-Act: W'(i) = g(Re Tr W(i) / N) W(i), kinds: */
enum { SL_LACT_RELU = 0, SL_LACT_TANH = 1, SL_LACT_POLY = 2 };
/* RELU: g = relu(s); TANH: g = tanh(s); POLY: g = sum_k params(i,k) s^k
 * (params f64 (C, degree+1); NULL for RELU and TANH). */
SL_API sl_node *sl_graph_lact(sl_graph *g, sl_node *W, int kind, sl_node *params);

/* L-Exp: U'(x,mu) = exp(i sum_j beta(mu,j) H_j(x)) U(x,mu),
 * H = (i/2)[(W^+ - W) - Tr(W^+ - W)/N]; beta f64 (nd, C).  The exponential
 * is a Taylor series of degree 12 after scaling by 2^-4 and squaring
 * (exact to rounding for |beta H| <~ 2). */
SL_API sl_node *sl_graph_lexp(sl_graph *g, sl_node *U, sl_node *W, sl_node *beta);

/* Trace features (B, L.., 2C): (Re Tr W_1..W_C, Im Tr W_1..W_C) per site. */
SL_API sl_node *sl_graph_trace_features(sl_graph *g, sl_node *W);

/* ---- Models -----------------------------------------------------------------------
 * An L-CNN: Plaq input -> GCMConv layers -> Trace -> dense head (per site, or
 * pooled: the lattice mean of the features).  The weights do not depend on
 * the lattice size, so a model trained on 8x8 predicts on 64x64. */
typedef struct sl_lcnn sl_lcnn;

#define SL_LCNN_MAX_LAYERS 16
/* The longest line of links a layer or graph op builds: a GCMConv / L-Conv
 * layer's (K-1)(dilation+1), |k| of sl_graph_transport, a and b of
 * sl_graph_wilson_loop (SL_ERR_ARG beyond it).  A model's layers must also
 * fit the lattice it runs on: (K-1)(dilation+1) <= every extent L_mu
 * (sl_lcnn_apply, _predict, _predict_batch, _train: SL_ERR_ARG naming the
 * layer), since a longer transport winds around the lattice. */
#define SL_LCNN_MAX_REACH 4096
enum { SL_LCNN_HEAD_SITE = 0, SL_LCNN_HEAD_POOLED = 1 };

typedef struct sl_lcnn_opts {             /* size-first (rules in core.h) */
    size_t size;                          /* sizeof(sl_lcnn_opts) */
    int nd, nc;                           /* lattice dimension, N */
    int nlayers;                          /* GCMConv layers (>= 1) */
    int channels[SL_LCNN_MAX_LAYERS];     /* output channels per layer */
    int kernels[SL_LCNN_MAX_LAYERS];      /* K per layer, 2..64 (K = 1 only with symmetric:
                                             W_local alone, no transports) */
    int dilation;                         /* [0]; (K-1)(dilation+1) <= SL_LCNN_MAX_REACH */
    int symmetric;                        /* 0 or 1 [0] */
    int orientations;                     /* plaquette orientations [1] */
    int head;                             /* SL_LCNN_HEAD_* [SITE] */
    uint64_t seed;                        /* weights: stream seed + layer, head seed + 10 */
} sl_lcnn_opts;

#define SL_LCNN_OPTS_INIT { sizeof(sl_lcnn_opts), 2, 2, 0, {0}, {0}, 0, 0, 1, 0, 0 }
SL_API sl_status sl_lcnn_opts_init_sized(sl_lcnn_opts *opts, size_t size);
#define sl_lcnn_opts_init(opts) ((void)sl_lcnn_opts_init_sized((opts), sizeof *(opts)))
SL_API void (sl_lcnn_opts_init)(sl_lcnn_opts *opts);                /* 1.0 entry point */

/* Build a model: alpha of layer i is N(0, 1/((2C+1)(2M+1))) from stream
 * seed + 10 + i; the head (2C_last x 1) glorot from stream seed + 20, bias 0.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (a bad option, named), SL_ERR_NOMEM. */
SL_API sl_status sl_lcnn_create(sl_ctx *ctx, const sl_lcnn_opts *opts, sl_lcnn **out);
SL_API void sl_lcnn_destroy(sl_lcnn *net);                  /* NULL is a no-op */

/* Number of weights, and their flat copy (layer alphas in order, head, bias). */
SL_API int64_t sl_lcnn_nparams(const sl_lcnn *net);
SL_API sl_status sl_lcnn_get_params(const sl_lcnn *net, double *out);
SL_API sl_status sl_lcnn_set_params(sl_lcnn *net, const double *in);

/* Build the network on graph nodes: U (B, L.., nd, N, N) -> per-site output
 * (B, L..) or pooled (B).  The weights become param nodes of g (copied from
 * the model; read them back with sl_lcnn_set_params after training). *params
 * (may be NULL) receives the param nodes in flat order (nlayers + 2 of them).
 * For N = 2 the layers compute in the real span of SU(2) (quaternions, half
 * the work; docs/lattice.md): U must be SU(2) (sl_lcnn_predict, _batch and
 * _train check: SL_ERR_ARG for a link off it by > 1e-8), outputs equal the general
 * kernels' to rounding, and d/dU is the projection of the complex gradient
 * onto that span (identical along every tangent direction X U, X in su(2)). */
SL_API sl_node *sl_lcnn_apply(sl_lcnn *net, sl_graph *g, sl_node *U, sl_node **params);

/* Predict on one field: out receives volume values (per-site head) or one
 * (pooled).  Plans are cached per lattice size.  U may be in any layout. */
SL_API sl_status sl_lcnn_predict(sl_lcnn *net, const sl_gauge *U, double *out);
/* Predict on a batch of canonical fields links (B, L.., nd, N, N). */
SL_API sl_status sl_lcnn_predict_batch(sl_lcnn *net, int64_t batch, const int64_t *dims,
                                       const double *links, double *out);

/* Training options and per-epoch progress. */
typedef void (*sl_lcnn_progress_fn)(void *user, int epoch, double train_loss, double val_loss);
typedef struct sl_lcnn_train_opts {
    size_t size;              /* sizeof(sl_lcnn_train_opts) */
    int epochs;               /* [100] */
    int batch;                /* [100] */
    double lr;                /* AdamW learning rate, > 0 and finite [1e-3] */
    int amsgrad;              /* 0 or 1 [1] */
    double weight_decay;      /* >= 0, finite [0] */
    int patience;             /* early stop on validation loss, 0: never, >= 0 [0] */
    uint64_t seed;            /* shuffling stream [0] */
    sl_lcnn_progress_fn progress;
    void *progress_user;
    /* 1.1 (a 1.0-sized struct reads 0 here) */
    int init_head;            /* 1: before the first epoch the bias becomes the mean training target
                                 and the head weights are scaled to an initial prediction variance
                                 of 0.1 times the targets'; 0: the head as it is [1] */
    int center;               /* 1: train every layer in the centred basis W_j - c_j 1 of its input
                                 channels, c_j the mean Re Tr W_j / N (layer 0: the plaquettes,
                                 over the training fields; later layers: from the current
                                 weights on the first <= 32 training fields, re-measured after
                                 every epoch).  An exact reparameterisation, folded back into the
                                 weights after every epoch: the model is unchanged in form.
                                 2: the first layer only; 0: plain [1] */
} sl_lcnn_train_opts;
#define SL_LCNN_TRAIN_OPTS_INIT { sizeof(sl_lcnn_train_opts), 100, 100, 1e-3, 1, 0.0, 0, 0, 0, 0, 1, 1 }
SL_API sl_status sl_lcnn_train_opts_init_sized(sl_lcnn_train_opts *opts, size_t size);
#define sl_lcnn_train_opts_init(opts) ((void)sl_lcnn_train_opts_init_sized((opts), sizeof *(opts)))
SL_API void (sl_lcnn_train_opts_init)(sl_lcnn_train_opts *opts);    /* 1.0 entry point */

/* Fit per-site targets (n, L..) (or (n) with the pooled head) on n canonical
 * fields links (n, L.., nd, N, N); nval of them (the last) for validation,
 * which also selects the best weights kept at the end.  Loss: MSE.
 * sl_lcnn_fit (below) takes the validation set as its own arrays and
 * returns a summary; both honour opts->init_head and opts->center. */
SL_API sl_status sl_lcnn_train(sl_lcnn *net, int64_t n, int64_t nval, const int64_t *dims,
                               const double *links, const double *targets,
                               const sl_lcnn_train_opts *opts);

/* 1.1: what a fit did.  Size-first like an options struct: initialise it with
 * sl_lcnn_fit_summary_init (or SL_LCNN_FIT_SUMMARY_INIT); the library writes
 * only the fields the caller's size holds. */
typedef struct sl_lcnn_fit_summary {
    size_t size;              /* sizeof(sl_lcnn_fit_summary) */
    int epochs_run;           /* epochs trained (fewer than opts->epochs after an early stop) */
    int best_epoch;           /* 1-based epoch of the lowest validation loss, whose weights the
                                 model keeps; 0 without a validation set (the last weights) */
    double best_val_loss;     /* that loss (per-site or per-field MSE); NaN without validation */
    double final_train_loss;  /* mean training loss of the last epoch; NaN for 0 epochs */
    double initial_val_loss;  /* validation loss before the first epoch (after init_head); NaN
                                 without validation */
} sl_lcnn_fit_summary;
#define SL_LCNN_FIT_SUMMARY_INIT { sizeof(sl_lcnn_fit_summary), 0, 0, 0.0, 0.0, 0.0 }
SL_API sl_status sl_lcnn_fit_summary_init_sized(sl_lcnn_fit_summary *s, size_t size);
#define sl_lcnn_fit_summary_init(s) ((void)sl_lcnn_fit_summary_init_sized((s), sizeof *(s)))

/* 1.1: sl_lcnn_train with the validation set in its own arrays: ntrain
 * canonical fields links (ntrain, L.., nd, N, N) with targets (ntrain, L..)
 * (or (ntrain) pooled), and nval >= 0 validation fields val_links with
 * val_targets of the same lattice (NULL when nval = 0).  The validation loss
 * after every epoch selects the weights kept at the end and drives early
 * stopping (opts->patience).  opts NULL: the defaults; summary may be NULL.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (sizes, options: named), SL_ERR_NONFINITE
 * (links or targets), SL_ERR_NOMEM, and those of sl_lcnn_train. */
SL_API sl_status sl_lcnn_fit(sl_lcnn *net, const int64_t *dims, int64_t ntrain, const double *links,
                             const double *targets, int64_t nval, const double *val_links,
                             const double *val_targets, const sl_lcnn_train_opts *opts,
                             sl_lcnn_fit_summary *summary);

/* Save and load a model: the library's checksummed container
 * (docs/file-format.md, kind LCNN), written atomically (a temporary file
 * renamed over path; a replaced file keeps its mode; a symbolic link is
 * written through).  load also reads the 1.0 format (SLLCNN01).  A damaged,
 * truncated or foreign file, options out of range or weights that are not
 * finite give SL_ERR_CORRUPT; a file of a newer format version
 * SL_ERR_UNSUPPORTED; one that cannot be read or written SL_ERR_IO. */
SL_API sl_status sl_lcnn_save(const sl_lcnn *net, const char *path);
SL_API sl_status sl_lcnn_load(sl_ctx *ctx, const char *path, sl_lcnn **out);

#ifdef __cplusplus
}
#endif
#endif
