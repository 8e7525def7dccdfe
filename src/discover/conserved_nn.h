/* Training of the neural conserved-quantity modes (conserved_nn.c). */
#ifndef SL_CONSERVED_NN_H
#define SL_CONSERVED_NN_H

#include <stddef.h>

#include "conserved_internal.h"
#include "../io/container.h"
#include "symlearn/optim.h"

#define SL__CNET_MAXH 1024
/* deflation: the independence barrier vanishes above a mean |P_perp gh|^2 of this (perp 0.2) */
#define SL__DEFL_TAU 0.25
/* the L-BFGS polish uses at most this many samples (all of them in order, else drawn as a batch) */
#define SL__POLISH_MAX 4096
/* networks: the polish restarts L-BFGS every this many iterations (conserved_nn.c) */
#define SL__POLISH_ROUND 200

/* Checkpoint state of one sl_discover_conserved call: the training units
 * (one Adam training each) are numbered in the order they run; finished
 * units' weights are kept so a checkpoint can restore them. */
typedef struct {
    sl_ctx *ctx;
    const char *path;
    int64_t unit, cap;     /* units finished so far in this call */
    double **w;
    int64_t *len;
    /* the file being resumed from */
    int open;
    sl__cfile f;
    int64_t res_unit, res_step, fp[8];
    int64_t *plen;
    double *pw;
} sl__ckpt;

typedef struct {
    sl_ctx *ctx;
    const char *who, *label;   /* label: "seed 1", "seed 0 stage 2" for messages */
    sl__cnet net;
    int64_t K, B, m, steps, log_every, ckpt_every;
    double lr, lam, alpha, beta;
    int deflation;
    int64_t polish;            /* L-BFGS iterations on all samples after Adam (0: none) */
    int64_t lbfgs;             /* internal: this graph is the polish (L-BFGS iterations per step) */
    const double *winit;       /* internal: initial weights (K x nw) instead of Glorot */
    int sub;                   /* internal: linear candidates parametrised in the rows of N0 */
    int64_t nb;                /* > 0: the candidates are sum_k theta_k b_k of nb (scaled) features, not networks */
    const double *Js;          /* then: m x nb x d feature gradients at the samples */
    const double *N0;          /* then: n0 x nb orthonormal rows spanning the initial coefficients */
    int64_t fnb;               /* > 0: networks of fnb (scaled) library features: net.d = fnb, Xs the m x fnb feature
                                  values, Js their m x fnb x dx gradients (grad_x I = dI/db . grad_x b) */
    int64_t dx;                /* the state dimension when it differs from net.d (fnb > 0) */
    int64_t n0;
    uint64_t wseed, bseed;
    const double *Xs, *FH;     /* m x d samples and unit vector field */
    int64_t nq, na;            /* deflation: accepted basis rows, bracket rows */
    const double *Qs, *Us;     /* m x nq x d orthonormal gradients, m x na x d unit J grad I_j */
    /* built by the trainer (freed by sl__trainer_free) */
    sl_graph *g;
    sl_node *X, *F, *Q, *U, *loss, *terms[3];
    sl_node *params[2 * 9];
    int np, nterms;
    sl_optim *opt;
    sl_plan *eval;
    double *xin, *fin, *qin, *uin;
    sl_node *J;
    double *jin;
} sl__trainer;
/* Weights per candidate: the network's, or nb coefficients. */
SL_HIDDEN int64_t sl__trainer_nw(const sl__trainer *t);

SL_HIDDEN sl_status sl__ckpt_open(sl_ctx *ctx, const char *who, const char *path, int resume, sl__ckpt *c);
SL_HIDDEN void sl__ckpt_close(sl__ckpt *c);
/* Train (or restore from the checkpoint) one unit: weights w (K x nw,
 * sl__cnet layout), terms[0..3] loss, fit, then the other terms (NaN when
 * restored). */
SL_HIDDEN sl_status sl__train(sl__trainer *t, sl__ckpt *c, double *w, double *terms);
SL_HIDDEN void sl__trainer_free(sl__trainer *t);
/* Eigenvalues (unordered) of the symmetric n x n matrix S (destroyed). */
SL_HIDDEN void sl__sym_eig(int64_t n, double *S, double *w);

#endif
