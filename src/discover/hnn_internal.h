/* Hamiltonian neural networks (hnn.h): the model and the pieces shared by
 * creation and evaluation (hnn.c), training (hnn_train.c), rollouts
 * (hnn_rollout.c) and files (src/io/hnn_io.c). */
#ifndef SL_HNN_INTERNAL_H
#define SL_HNN_INTERNAL_H

#include "../autodiff/graph_internal.h"
#include "symlearn/hnn.h"

#define SL_HNN_MAX_NETS 3
#define SL_HNN_MAX_N 4096
#define SL_HNN_MAX_M ((int64_t)1 << 30)

/* The networks of a model in one graph: net[0] = H (or T), net[1] = V
 * (separable), then D (dissipative). */
typedef struct {
    sl_mlp *net[SL_HNN_MAX_NETS];
    int nnets;
} sl__hnn_nets;

/* An evaluator: the networks in a graph of its own, applied to an input z of
 * m rows; plan_e gives H (m), plan_all H, dH/dz (m x 2n) and, with D, D (m)
 * and grad D (m x 2n).  Weights are copied from the model when its version
 * changed. */
typedef struct {
    sl_graph *g;
    sl__hnn_nets nets;
    int64_t m;
    sl_node *z, *H, *dH, *D, *dD;
    sl_plan *plan_e, *plan_all;
    uint64_t version;
} sl__hnn_eval;

struct sl_hnn {
    sl_ctx *ctx;
    sl_hnn_opts o;
    int nnets;
    int64_t nweights;
    double *w;               /* the weights (the truth; graphs hold copies) */
    uint64_t version;        /* bumped whenever w changes */
    uint64_t ntrain;         /* sl_hnn_train calls so far (shuffle streams) */
    sl__hnn_eval ev[2];      /* [0]: m = 1 (rollouts), [1]: any m */
    double *losses;
    int64_t nlosses;
};

/* Check options (messages name who). */
SL_HIDDEN sl_status sl__hnn_check_opts(sl_ctx *ctx, const char *who, const sl_hnn_opts *o);
/* The model's networks as params of g. */
SL_HIDDEN sl_status sl__hnn_make_nets(sl_graph *g, const sl_hnn_opts *o, sl__hnn_nets *nets);
/* Copy the weights w (the model's flat layout) into the networks. */
SL_HIDDEN sl_status sl__hnn_put_weights(const sl__hnn_nets *nets, const double *w);
SL_HIDDEN sl_status sl__hnn_take_weights(const sl__hnn_nets *nets, double *w);
/* H (B, 1) and D (B, 1) or NULL of the networks applied to z (B, 2n). */
SL_HIDDEN sl_node *sl__hnn_build(sl_graph *g, const sl_hnn_opts *o, const sl__hnn_nets *nets, sl_node *z,
                                 sl_node **D);
/* The evaluator slot for m rows, built or refreshed as needed. */
SL_HIDDEN sl_status sl__hnn_evaluator(sl_hnn *h, const char *who, int slot, int64_t m, sl__hnn_eval **out);
/* Run an evaluator on z (m rows): all = 0 H only, 1 everything. */
SL_HIDDEN sl_status sl__hnn_eval_run(sl_hnn *h, const char *who, sl__hnn_eval *e, const double *z, int all);
SL_HIDDEN void sl__hnn_eval_free(sl__hnn_eval *e);
/* A new model with options o (checked) and its initial weights. */
SL_HIDDEN sl_status sl__hnn_new(sl_ctx *ctx, const char *who, const sl_hnn_opts *o, sl_hnn **out);

#endif
