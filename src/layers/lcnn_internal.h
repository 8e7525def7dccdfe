/* Internal structure of an L-CNN model, shared by the builder, the trainer
 * and model_io.c. */
#ifndef SL_LCNN_INTERNAL_H
#define SL_LCNN_INTERNAL_H

#include "lattice_internal.h"

typedef struct {
    sl_graph *g;
    sl_plan *plan;
    sl_node *U;
    sl_node *params[SL_LCNN_MAX_LAYERS + 2];
    int64_t batch, dims[4], volume;
    double *stage;                 /* canonical copy of a strided host field */
} sl_lcnn_cache;

struct sl_lcnn {
    sl_ctx *ctx;
    sl_lcnn_opts o;
    int64_t shape[SL_LCNN_MAX_LAYERS][3];   /* alpha shapes */
    int64_t off[SL_LCNN_MAX_LAYERS + 2];    /* offsets in w: alphas, head, bias */
    int64_t cin_last, nparams;
    double *w;
    sl_lcnn_cache cache[2];
    int cache_next;
};

/* Copy the caller's options (size-first, any 1.x size) into *o with defaults. */
SL_HIDDEN sl_status sl__lcnn_read_opts(sl_ctx *ctx, const char *who, const sl_lcnn_opts *user, sl_lcnn_opts *o);
SL_HIDDEN sl_status sl__lcnn_read_train_opts(sl_ctx *ctx, const char *who, const sl_lcnn_train_opts *user,
                                             sl_lcnn_train_opts *o);
/* Validate a full-size options struct (read by the above, or from a file). */
SL_HIDDEN sl_status sl__lcnn_check_opts(sl_ctx *ctx, const char *who, const sl_lcnn_opts *o);
/* Number of weights of a model with validated options (nothing allocated). */
SL_HIDDEN int64_t sl__lcnn_param_count(const sl_lcnn_opts *o);
SL_HIDDEN sl_status sl__lcnn_alloc(sl_ctx *ctx, const char *who, const sl_lcnn_opts *o, sl_lcnn **out);
/* The model's layers fit a lattice of extents dims (SL_ERR_ARG naming the layer). */
SL_HIDDEN sl_status sl__lcnn_check_reach(const sl_lcnn *net, const char *who, const int64_t *dims);
/* Checked dims (1..2^20), the volume and batch x volume x nd x N^2 x 2, and the reach. */
SL_HIDDEN sl_status sl__lcnn_sizes(const sl_lcnn *net, const char *who, int64_t batch, const int64_t *dims,
                                   int64_t *vol, int64_t *doubles);
/* Re-word the context's message of a failed inner call to name `who`. */
SL_HIDDEN sl_status sl__lcnn_as_call(sl_ctx *ctx, const char *who, sl_status st);
/* sl_lcnn_apply that also returns the head's input (B, L.., 2C) (pooled: (B, 2C));
 * centers (NULL: none) receives nlayers c128 input nodes (C_i, 1.., N, N):
 * layer i reads W - centers[i] (its alpha then in the centred basis of
 * lcnn_train.c); inputs (NULL: none) receives each layer's uncentred input W
 * (C_i, B, L.., N, N). */
SL_HIDDEN sl_node *sl__lcnn_apply_features(sl_lcnn *net, sl_graph *g, sl_node *U, sl_node **params,
                                           sl_node **features, sl_node **centers, sl_node **inputs);
SL_HIDDEN sl_status sl__lcnn_plan(sl_lcnn *net, const char *who, int64_t batch, const int64_t *dims,
                                  sl_lcnn_cache **out);

#endif
