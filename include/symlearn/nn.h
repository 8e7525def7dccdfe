/* libsymlearn dense networks: a dense layer as a graph op, and multilayer
 * perceptrons (MLPs) whose weights are param nodes of a graph.
 *
 * Convention: batch-first, row-major, f64.  A dense layer maps x of shape
 * (..., in) to y = x W + b of shape (..., out), with W of shape (in, out)
 * (row i of W holds the weights from input i: the layout of x @ W, as in JAX
 * and the benches, i.e. the transpose of PyTorch's nn.Linear weight) and b of
 * shape (out).
 *
 * An MLP is a handle over the param nodes of one graph: it is created with
 * the graph, applied to any number of nodes of that graph (the same weights:
 * a Siamese encoder is one MLP applied twice), trained with sl_optim on its
 * params, and its weights read and written as one flat array (for saving,
 * loading, or moving a trained network to another graph).  Its layers:
 *   h_0 = x,  h_l = act(h_{l-1} W_l + b_l) (l < L),  y = h_{L-1} W_L + b_L,
 * i.e. no activation after the last layer.
 *
 * Thread safety: as for the graph (one thread at a time per graph). */
#ifndef SYMLEARN_NN_H
#define SYMLEARN_NN_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_mlp sl_mlp;

/* ---- Dense layer -------------------------------------------------------------
 * y = x W + b.  x: rank >= 1, last axis in; W: (in, out); b: (out), or NULL
 * for none.  All of one dtype (f64, or c128 without conjugation).  Leading
 * axes of x are batch axes (x of rank > 2 is multiplied as one matrix of
 * prod(leading) rows).  Errors (sticky, NULL result): SL_ERR_NULL (x or W),
 * SL_ERR_SHAPE, SL_ERR_DTYPE, SL_ERR_GRAPH. */
SL_API sl_node *sl_graph_dense(sl_graph *g, sl_node *x, sl_node *W, sl_node *b);

/* ---- MLP options -------------------------------------------------------------- */
#define SL_MLP_MAX_LAYERS 16
#define SL_MLP_MAX_WIDTHS 17                  /* SL_MLP_MAX_LAYERS + 1 */

/* Activations between layers.  tanh and sin are odd; SiLU, GELU (exact, erf)
 * and softplus are not. */
enum { SL_ACT_TANH = 1, SL_ACT_SILU = 2, SL_ACT_GELU = 3, SL_ACT_SOFTPLUS = 4, SL_ACT_SIN = 5 };

/* Weight initialisations (biases start at zero):
 *   GLOROT_UNIFORM: U(-a, a), a = gain sqrt(6 / (in + out)) (Glorot & Bengio 2010, eq. 16);
 *   GLOROT_NORMAL:  N(0, s^2), s = gain sqrt(2 / (in + out));
 *   ORTHOGONAL:     gain Q, Q of a Gaussian matrix made orthonormal (Saxe et
 *                   al. 2014): W W^T = gain^2 I when in <= out, W^T W = gain^2 I
 *                   otherwise (modified Gram-Schmidt, done twice). */
enum { SL_INIT_GLOROT_UNIFORM = 0, SL_INIT_GLOROT_NORMAL = 1, SL_INIT_ORTHOGONAL = 2 };

/* Size-first options (rules in core.h); defaults in brackets. */
typedef struct sl_mlp_opts {
    size_t size;                          /* sizeof(sl_mlp_opts) */
    int nlayers;                          /* dense layers L, 1..SL_MLP_MAX_LAYERS [0: must be set] */
    int64_t widths[SL_MLP_MAX_WIDTHS];     /* widths[0] input, widths[L] output, each >= 1 */
    int activation;                       /* SL_ACT_* [TANH] */
    int init;                             /* SL_INIT_* [GLOROT_UNIFORM] */
    int odd;                              /* 1: f(-x) = -f(x) exactly: no biases, odd activation [0] */
    int bias;                             /* 1: layers have biases (ignored with odd) [1] */
    double gain;                          /* scale of the initial weights [1] */
    uint64_t seed;                        /* W_l (l = 1..L) from stream ctx seed + seed + l - 1 [0] */
} sl_mlp_opts;

#define SL_MLP_OPTS_INIT { sizeof(sl_mlp_opts), 0, {0}, SL_ACT_TANH, SL_INIT_GLOROT_UNIFORM, 0, 1, 1.0, 0 }
SL_API sl_status sl_mlp_opts_init_sized(sl_mlp_opts *opts, size_t size);
#define sl_mlp_opts_init(opts) ((void)sl_mlp_opts_init_sized((opts), sizeof *(opts)))

/* ---- MLP -------------------------------------------------------------------------
 * Create the weights of an MLP as param nodes of g (named "W1", "b1", ...),
 * drawn from the context's seed (sl_ctx_seed) offset by opts->seed: the same
 * seeds give the same bits.  Glorot uniform layer l is exactly
 * sl_rng_fill_uniform(ctx seed + opts->seed + l - 1, 0, in * out, -a, a, W_l)
 * with a = gain * pow(6 / (in + out), 0.5).
 * Errors: SL_ERR_NULL, SL_ERR_ARG (nlayers, a width < 1, an unknown activation
 * or init, odd with a non-odd activation, gain not finite, each named),
 * SL_ERR_SHAPE (in * out above 2^56 elements), SL_ERR_NOMEM, or the graph's
 * own error.  On failure *out = NULL and no param is left half made (the
 * graph may hold params created before the failure; they are unused). */
SL_API sl_status sl_mlp_create(sl_graph *g, const sl_mlp_opts *opts, sl_mlp **out);
/* The handle and its param nodes belong to the graph and are freed with it;
 * sl_mlp_destroy releases nothing and may be called or not (NULL is a no-op),
 * but not after the graph is destroyed. */
SL_API void sl_mlp_destroy(sl_mlp *net);

/* The network applied to x (..., widths[0]) of net's graph: a node
 * (..., widths[L]).  May be called any number of times (shared weights).
 * NULL on error (sticky, as for ops): SL_ERR_NULL, SL_ERR_SHAPE, SL_ERR_DTYPE. */
SL_API sl_node *sl_mlp_apply(sl_mlp *net, sl_node *x);

SL_API int sl_mlp_nlayers(const sl_mlp *net);                 /* 0 for NULL */
SL_API int64_t sl_mlp_width(const sl_mlp *net, int i);        /* widths[i], 0 if out of range */
/* The param nodes in order W1, b1, W2, b2, ..., WL, bL (no b without biases),
 * for sl_optim_create; *params (may be NULL) points into the handle. */
SL_API int sl_mlp_params(const sl_mlp *net, sl_node *const **params);
SL_API int sl_mlp_nparams(const sl_mlp *net);                 /* their count (0 for NULL) */
SL_API sl_node *sl_mlp_param(const sl_mlp *net, int i);       /* NULL if out of range */

/* All weights as one flat array, the params in sl_mlp_params order, each
 * row-major.  nweights: its length.  set checks the values are finite
 * (SL_ERR_NONFINITE, nothing written).  Errors: SL_ERR_NULL. */
SL_API int64_t sl_mlp_nweights(const sl_mlp *net);
SL_API sl_status sl_mlp_get_weights(const sl_mlp *net, double *out);
SL_API sl_status sl_mlp_set_weights(sl_mlp *net, const double *in);

#ifdef __cplusplus
}
#endif
#endif
