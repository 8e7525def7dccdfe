/* Internal pieces of the Lax-pair discovery (src/discover/lax*.c). */
#ifndef SL_LAX_INTERNAL_H
#define SL_LAX_INTERNAL_H

#include "../nn/nn_internal.h"
#include "symlearn/lax.h"
#include "symlearn/regression.h"

struct sl_lax_builtin {
    sl_ctx *ctx;
    int kind;
    int64_t sites, d, n;
    double param;
};

#define SL_LAX_NTERMS 8      /* SL_LAX_TERM_TOTAL .. SL_LAX_TERM_SPECTRUM */
#define SL_LAX_KMAX 8
#define SL_LAX_CHUNK 256     /* rows per evaluation plan run */

struct sl_lax_result {
    sl_ctx *ctx;
    sl_lax_opts o;             /* as read (lo, hi, init: NULL) */
    int64_t d, n;
    int have_f;
    /* evaluation graph: x, xdot (CHUNK, d) -> L, M, Ldot (CHUNK, N, N) */
    sl_graph *g;
    sl_mlp *netL, *netM;
    sl_node *A, *a0, *C, *c0;  /* LINEAR params */
    sl_node *x, *xdot, *L, *M, *ldot;
    sl_plan *plan;
    double *xbuf, *vbuf;       /* CHUNK x d each */
    int64_t nweights;
    double *weights;
    double loss[2][SL_LAX_NTERMS];   /* [initial][term] */
    double residual;
    double drift[SL_LAX_KMAX], spread[SL_LAX_KMAX];
    sl_regression **fitL, **fitM;    /* N^2 each, or NULL */
};

/* The model (MLP or LINEAR) on graph g: L (B, N, N), M, Ldot from x, xdot
 * (B, d) nodes.  The param nodes are stored in r (netL, netM or A, a0, C,
 * c0).  Returns 0 and sets the graph's error on failure. */
SL_HIDDEN int sl__lax_model(sl_lax_result *r, sl_graph *g, sl_node *x, sl_node *xdot, sl_node **L, sl_node **M,
                            sl_node **ldot);
/* net(x) into *h and its forward tangent along xdot (both (B, outputs)); the
 * arguments already checked (sl_lax_mlp_ldot without the reshape). */
SL_HIDDEN sl_node *sl__lax_mlp_tangent(sl_mlp *net, sl_node *x, sl_node *xdot, sl_node **h);
/* The params of the model in weight order; returns their count (<= 2 * 2 * SL_MLP_MAX_LAYERS). */
SL_HIDDEN int sl__lax_params(const sl_lax_result *r, sl_node **params);
/* Copy the flat weights w into the params (no checks). */
SL_HIDDEN void sl__lax_set_weights(sl_lax_result *r, const double *w);
SL_HIDDEN void sl__lax_get_weights(const sl_lax_result *r, double *w);
/* Build the evaluation graph and plan of r (its weights set from r->weights). */
SL_HIDDEN sl_status sl__lax_eval_setup(sl_lax_result *r, const char *who);
/* Checks on held-out points (drawn in the box lo, hi) and trajectories of f,
 * and the entry fits; without f on the training points x, v (m x d). */
SL_HIDDEN sl_status sl__lax_checks(sl_lax_result *r, const char *who, sl_vector_field_fn f, void *user,
                                   const double *lo, const double *hi, int64_t m, const double *x, const double *v);

/* ---- Lax connections (lax_connection*.c) ---- */
struct sl_lax_connection_builtin {
    sl_ctx *ctx;
    int kind;
    int64_t nf, K, J, n;
};

#define SL_LAX_ZC_NTERMS 4

struct sl_lax_connection_result {
    sl_ctx *ctx;
    sl_lax_connection_opts o;  /* as read (init: NULL) */
    int64_t d, n, nmon, nfeat; /* nfeat = nmon (lambda_degree + 1) */
    int *mons;                 /* nmon x degree variable indices, -1 unused (graded order) */
    double *weights;           /* W_x then W_t, each nfeat x N^2 */
    double loss[2][SL_LAX_ZC_NTERMS];
    double residual, commutator;
};

/* The feature rows phi, D_x phi (along zx), D_t phi (along zt) at m jets
 * (each m x nfeat; dx, dt may be NULL, then zx, zt unused). */
SL_HIDDEN void sl__lax_zc_features(const sl_lax_connection_result *r, int64_t m, const double *z, const double *lam,
                                   const double *zx, const double *zt, double *phi, double *dx, double *dt);
/* The L_x feature mask (F x N^2 of 0 / 1) into mask, or with mask NULL applied to W_x. */
SL_HIDDEN void sl__lax_zc_mask(sl_lax_connection_result *r, double *mask);
/* A least-squares problem for Levenberg-Marquardt (lax_connection_lm.c):
 * weights (W_x, W_t), each F x N^2; L_x = phi W_x, L_t = phi W_t; residuals
 *   sqrt(alpha_zc / m) (pht W_x - phx W_t + [L_x, L_t])  (phx NULL: 0),
 *   scale sqrt(alpha_scale) (var L_x / scale_target - 1),
 *   sqrt(alpha_comm) max(1 - mean |[L_x, L_t]|^2 / comm_target, 0),
 *   sqrt(alpha_motion) max(1 - mean |pht W_x|^2 / motion_target, 0).
 * mask (2 F N^2, NULL: all free): the weights with mask 0 stay fixed. */
typedef struct {
    int64_t m, F, n;
    const double *phi, *phx, *pht, *mask;
    double alpha_zc, alpha_scale, scale_target, alpha_commutator, commutator_target, alpha_motion, motion_target;
    int traceless;   /* 1: L_x = phi W_x projected on its traceless part (and pht W_x alike) */
    double alpha_spectrum, spectrum_target;   /* sqrt(alpha) max(1 - var_b tr L_x^2 / target, 0) */
} sl__lax_lm_problem;
SL_HIDDEN sl_status sl__lax_lm(sl_ctx *ctx, const char *who, const sl__lax_lm_problem *p, double *weights, int64_t iters);
/* Levenberg-Marquardt on r->weights (masked) from the training features (m x F each). */
SL_HIDDEN sl_status sl__lax_zc_lm(sl_lax_connection_result *r, int64_t m, const double *phi, const double *phx,
                                  const double *pht, int64_t iters);
/* The held-out figures (residual, commutator share) of r at m jets. */
SL_HIDDEN sl_status sl__lax_zc_check(sl_lax_connection_result *r, int64_t m, const double *z, const double *lam,
                                     const double *zx, const double *zt);

#endif
