/* Internal pieces of the dense networks (src/nn). */
#ifndef SL_NN_INTERNAL_H
#define SL_NN_INTERNAL_H

#include "../autodiff/graph_internal.h"
#include "symlearn/nn.h"

struct sl_mlp {
    sl_ctx *ctx;
    sl_graph *g;
    sl_mlp_opts o;           /* as read and checked */
    int nparams;
    sl_node *params[2 * SL_MLP_MAX_LAYERS];
    sl_node *W[SL_MLP_MAX_LAYERS], *b[SL_MLP_MAX_LAYERS];   /* b[l] NULL without biases */
};

/* Fill w (rows x cols, row-major) with the initialisation `init` of a dense
 * layer with fan-in rows and fan-out cols, from stream seed (no scratch). */
SL_HIDDEN void sl__nn_init_weights(int init, double gain, uint64_t seed, int64_t rows, int64_t cols, double *w);

/* The activation act applied to x (a graph op); NULL for an unknown act. */
SL_HIDDEN sl_node *sl__nn_activate(sl_graph *g, int act, sl_node *x);

#endif
