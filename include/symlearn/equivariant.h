/* libsymlearn equivariant: translation-equivariant (periodic) convolutions,
 * global pooling, group convolutions for the square-lattice groups p4 and
 * p4m (Cohen, Welling, ICML 2016, arXiv 1602.07576) and for the reflections
 * of flux configurations (include/symlearn/scalar.h; the table of
 * LukasEin/scalar_ml_reflection), and a trainer that regresses observables
 * from lattice configurations (Bulusu, Favoni, Ipp, Mueller, Schuh, PRD 104
 * (2021) 074504).  docs/equivariant.md has the formulas and the tests.
 *
 * All graph ops are real (f64), differentiable to any order (their
 * gradients are graph nodes) and follow graph.h's error rules.  Arrays are
 * row-major: a batch of site fields is (B, C, L1, .., Ld); a group feature
 * map is (B, C, G, L1, L2) with G the group's order.
 *
 * Thread safety: as graph.h. */
#ifndef SYMLEARN_EQUIVARIANT_H
#define SYMLEARN_EQUIVARIANT_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Periodic convolution --------------------------------------------------
 * x (B, Cin, L1..Ld), w (Cout, Cin, K1..Kd), bias (Cout) or NULL, d >= 1:
 *   y[b,o,s] = bias[o] + sum_{c,k} w[o,c,k] x[b, c, (s + k - p) mod L]
 * with p_i = (K_i - 1) / 2 (integer division): torch's Conv(padding_mode =
 * 'circular') with stride 1, (K-1)//2 padding before and K//2 after, so any
 * kernel size (even ones, and K_i > L_i) works.  Exactly equivariant under
 * every periodic translation.  Errors (in the graph): SL_ERR_DTYPE (not f64),
 * SL_ERR_SHAPE (ranks, channels, bias length). */
SL_API sl_node *sl_graph_periodic_conv(sl_graph *g, sl_node *x, sl_node *w, sl_node *bias);

/* ---- Pooling -----------------------------------------------------------------
 * Mean / max over the last nspatial axes (1 <= nspatial < rank): (B, C, L..)
 * -> (B, C).  The max's gradient goes to the first maximal element. */
SL_API sl_node *sl_graph_global_avg_pool(sl_graph *g, sl_node *x, int nspatial);
SL_API sl_node *sl_graph_global_max_pool(sl_graph *g, sl_node *x, int nspatial);

/* ---- Groups ------------------------------------------------------------------
 * Element e of a group is a signed permutation matrix M_e acting on the two
 * lattice axes (s1, s2):
 *   SL_EQ_P4   order 4, rotations by 90 degrees about the site 0 (square lattice);
 *   SL_EQ_P4M  order 8, rotations and reflections about the site 0 (square lattice);
 *   SL_EQ_REFL order 4, the reflections s_i -> -1 - s_i of either axis (any
 *              Nt x Nx): the symmetry group of flux configurations.
 * Element indices: 0 is the identity; for P4 e = rotation by e * 90 degrees
 * ((s1, s2) -> (-s2, s1) is e = 1); for P4M e = 4 + r is the rotation r after
 * the reflection s1 -> -s1; for REFL bit 0 reflects axis 1 (time, of a flux
 * field), bit 1 axis 2.  The site map is R_e(s) = M_e s (P4, P4M) or
 * M_e (s + 1/2) - 1/2 (REFL), modulo the sizes.
 *
 * Actions (a field transformed by e, for equivariance checks and data
 * augmentation); kind SL_EQ_SITE: x (B, C, L1, L2), y(s) = x(R_e^-1 s);
 * SL_EQ_GROUPMAP: x (B, C, G, L1, L2), y_h(s) = x_{e^-1 h}(R_e^-1 s) (the
 * regular representation); SL_EQ_FLUX (REFL only): x (B, 4, Nt, Nx) in the
 * channel order (k_t, k_x, l_t, l_x) of scalar.h, transformed as
 * sl_flux_reflect (k changes sign and temporal links shift along a
 * reflected axis). */
enum { SL_EQ_P4 = 1, SL_EQ_P4M = 2, SL_EQ_REFL = 3 };
enum { SL_EQ_SITE = 0, SL_EQ_GROUPMAP = 1, SL_EQ_FLUX = 2 };

/* The order of the group (0 for an unknown group). */
SL_API int sl_eq_group_order(int group);
/* The index of e1 e2 (apply e2 first), and of e^-1; -1 for bad arguments. */
SL_API int sl_eq_group_mul(int group, int e1, int e2);
SL_API int sl_eq_group_inv(int group, int e);
SL_API sl_node *sl_graph_eq_transform(sl_graph *g, int group, int kind, int element, sl_node *x);

/* Lifting convolution: input a site field (SL_EQ_SITE: x (B, Cin, L1, L2)) or
 * a flux field (SL_EQ_FLUX, group SL_EQ_REFL: x (B, 4, Nt, Nx)); w (Cout, Cin,
 * K1, K2), bias (Cout) or NULL; output the group map (B, Cout, G, L1, L2)
 *   y_e = R_e conv(T_e^-1 x, w) + bias,
 * with conv the periodic convolution and T_e the action of e on the input.
 * Then y(T_h x) = T_h y(x) exactly (regular action on the output), for any
 * kernel size. */
SL_API sl_node *sl_graph_eq_lift_conv(sl_graph *g, int group, int kind, sl_node *x, sl_node *w, sl_node *bias);
/* Group convolution: x (B, Cin, G, L1, L2), w (Cout, Cin, G, K1, K2), bias
 * (Cout) or NULL: y_e = R_e conv(T_e^-1 x, w) + bias with the Cin G input
 * channels of T_e^-1 x (the regular action) convolved by w, i.e.
 *   y_e(s) = sum_{h,c,k} w[o,c,h,k] x_{e h}(R_e(R_e^-1 s + k - p)).
 * Exactly equivariant: y(T_h x) = T_h y(x). */
SL_API sl_node *sl_graph_eq_group_conv(sl_graph *g, int group, sl_node *x, sl_node *w, sl_node *bias);
/* Pool over the group axis: (B, C, G, L1, L2) -> (B, C, L1, L2), mode 0
 * mean, 1 max: an invariant site field. */
SL_API sl_node *sl_graph_eq_group_pool(sl_graph *g, sl_node *x, int mode);

/* ---- Regression of observables from configurations --------------------------
 * A network  x (B, Cin, Nt, Nx) -> conv -> act -> .. -> conv -> act -> global
 * average pool -> dense layers (LeakyReLU 0.01 between them) -> nout outputs,
 * with periodic convolutions (SL_EQCNN_CONV) or reflection group
 * convolutions on flux input (SL_EQCNN_REFL: lift conv, group convs, mean
 * over the group, then the pool: invariant under translations and the
 * four reflections).  SL_EQCNN_DENSE is the non-equivariant reference: the
 * flattened input, nconv dense layers of the given widths (tanh), then the
 * head; it applies to one lattice size only. */
enum { SL_EQCNN_CONV = 0, SL_EQCNN_REFL = 1, SL_EQCNN_DENSE = 2 };
#define SL_EQCNN_MAX_LAYERS 8

typedef struct sl_eqcnn sl_eqcnn;

typedef struct sl_eqcnn_opts {
    size_t size;          /* sizeof(sl_eqcnn_opts) */
    int kind;             /* SL_EQCNN_* [SL_EQCNN_CONV] */
    int in_channels;      /* [4] */
    int nconv;            /* conv (or hidden dense) layers, 0..8 [2] */
    int channels[SL_EQCNN_MAX_LAYERS]; /* widths [16, 16] */
    int kernel[SL_EQCNN_MAX_LAYERS];   /* square kernel sizes [3, 3] */
    int act;              /* 0 tanh, 1 LeakyReLU(0.01) [0] */
    int nhidden;          /* dense layers before the output, 0..8 [0] */
    int hidden[SL_EQCNN_MAX_LAYERS];   /* their widths [] */
    int nout;             /* outputs [2] */
    int64_t nt, nx;       /* lattice of SL_EQCNN_DENSE (ignored otherwise) [0, 0] */
    uint64_t seed;        /* initialisation (PyTorch's default uniform) [1] */
} sl_eqcnn_opts;

#define SL_EQCNN_OPTS_INIT \
    {sizeof(sl_eqcnn_opts), SL_EQCNN_CONV, 4, 2, {16, 16}, {3, 3}, 0, 0, {0}, 2, 0, 0, 1}
SL_API sl_status sl_eqcnn_opts_init_sized(sl_eqcnn_opts *opts, size_t size);
#define sl_eqcnn_opts_init(opts) ((void)sl_eqcnn_opts_init_sized((opts), sizeof *(opts)))

/* Training: AdamW with amsgrad on the MSE over all outputs (the follow-up
 * code's recipe), the validation MSE after every epoch, early stopping after
 * `patience` epochs without improvement (after min_epochs), the best
 * weights kept. */
typedef void (*sl_eqcnn_progress_fn)(void *user, int epoch, double train_mse, double val_mse);

typedef struct sl_eqcnn_train_opts {
    size_t size;          /* sizeof(sl_eqcnn_train_opts) */
    int max_epochs;       /* [1000] */
    int min_epochs;       /* [100] */
    int patience;         /* 0 = none [25] */
    int batch;            /* [100] */
    double lr;            /* [1e-2] */
    double weight_decay;  /* [0] */
    int amsgrad;          /* [1] */
    uint64_t seed;        /* shuffling [1] */
    sl_eqcnn_progress_fn progress; /* after every epoch; may be NULL */
    void *progress_user;
} sl_eqcnn_train_opts;

#define SL_EQCNN_TRAIN_OPTS_INIT \
    {sizeof(sl_eqcnn_train_opts), 1000, 100, 25, 100, 1e-2, 0, 1, 1, NULL, NULL}
SL_API sl_status sl_eqcnn_train_opts_init_sized(sl_eqcnn_train_opts *opts, size_t size);
#define sl_eqcnn_train_opts_init(opts) ((void)sl_eqcnn_train_opts_init_sized((opts), sizeof *(opts)))

SL_API sl_status sl_eqcnn_create(sl_ctx *ctx, const sl_eqcnn_opts *opts, sl_eqcnn **out);
SL_API void sl_eqcnn_destroy(sl_eqcnn *net);
/* Number of weights, and a copy of them in or out (count = nparams). */
SL_API int64_t sl_eqcnn_nparams(const sl_eqcnn *net);
SL_API sl_status sl_eqcnn_get_weights(const sl_eqcnn *net, int64_t count, double *w);
SL_API sl_status sl_eqcnn_set_weights(sl_eqcnn *net, int64_t count, const double *w);
/* The network applied on a graph to x (B, Cin, Nt, Nx): (B, nout).  params
 * (may be NULL) receives its param nodes (at most 2 (nconv + nhidden + 1)),
 * *nparams their number.  The weights are copied into the params. */
SL_API sl_node *sl_eqcnn_apply(sl_eqcnn *net, sl_graph *g, sl_node *x, sl_node **params, int *nparams);
/* Predictions y (n, nout) for x (n, Cin, nt, nx). */
SL_API sl_status sl_eqcnn_predict(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x, double *y);
/* Train on x (n, Cin, nt, nx), y (n, nout) with the validation set xv (nv, ..),
 * yv (nv, nout) (nv = 0: none, xv yv may be NULL; then the last weights are
 * kept and there is no early stopping).  The network ends with the weights
 * of the best validation epoch.  Summary (each may be NULL): epochs run,
 * the best epoch (1-based; 0 without validation) and its validation MSE. */
SL_API sl_status sl_eqcnn_train(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x, const double *y,
                                int64_t nv, const double *xv, const double *yv, const sl_eqcnn_train_opts *opts,
                                int *epochs_run, int *best_epoch, double *best_val_mse);
/* Test MSE per output: mse[j] = mean_i (pred_ij - y_ij)^2 for j < nout. */
SL_API sl_status sl_eqcnn_test(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x, const double *y,
                               double *mse);

/* Regress observables from configurations in one call: train net on
 * x (n, Cin, nt, nx), y (n, nout), validated on xv, yv (nv of the same
 * lattice; nv = 0: none) with opts, then test it on each of the ntest sets
 * i of tn[i] configurations tx[i] (tn[i], Cin, tnt[i], tnx[i]) with targets
 * ty[i] (any lattice size the network applies to):
 *   mse[i nout + j] = test MSE of output j on set i,
 * the figures per target and per lattice size. */
SL_API sl_status sl_discover_observables(sl_eqcnn *net, int64_t n, int64_t nt, int64_t nx, const double *x,
                                         const double *y, int64_t nv, const double *xv, const double *yv, int ntest,
                                         const int64_t *tn, const int64_t *tnt, const int64_t *tnx,
                                         const double *const *tx, const double *const *ty,
                                         const sl_eqcnn_train_opts *opts, double *mse);

#ifdef __cplusplus
}
#endif

#endif
