/* The dense layer y = x W + b (batch-first, W of shape (in, out)). */
#include "nn_internal.h"

sl_node *sl_graph_dense(sl_graph *g, sl_node *x, sl_node *W, sl_node *b)
{
    const char *who = "sl_graph_dense";
    sl_node *xs[3] = {x, W, b};
    if (!sl__gcheck(g, who, b ? 3 : 2, xs)) return NULL;
    if (W->dtype != x->dtype || (b && b->dtype != x->dtype))
        return sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s, W is %s%s%s (must be the same)", who,
                         sl__dtype_name(x->dtype), sl__dtype_name(W->dtype), b ? ", b is " : "",
                         b ? sl__dtype_name(b->dtype) : "");
    if (x->rank < 1) return sl__gfail(g, SL_ERR_SHAPE, "%s: x is a scalar (must have rank >= 1)", who);
    if (W->rank != 2) return sl__gfail(g, SL_ERR_SHAPE, "%s: W has rank %d (must be 2: (in, out))", who, W->rank);
    int64_t in = W->shape[0], out = W->shape[1];
    if (x->shape[x->rank - 1] != in)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x's last axis is %lld, W has %lld rows", who,
                         (long long)x->shape[x->rank - 1], (long long)in);
    if (b && (b->rank != 1 || b->shape[0] != out))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: b must have shape (%lld)", who, (long long)out);
    sl_node *y;
    if (x->rank == 2) {
        y = sl_graph_matmul(g, x, W);
    } else {
        /* one (rows, in) x (in, out) product, then the batch axes back */
        int64_t rows = x->rank == 1 ? 1 : x->numel / in;
        int64_t shape[SL_MAX_RANK];
        int r = x->rank;
        for (int i = 0; i < r - 1; ++i) shape[i] = x->shape[i];
        shape[r - 1] = out;
        sl_node *x2 = sl_graph_reshape(g, x, 2, (int64_t[]){rows, in});
        y = sl_graph_reshape(g, sl_graph_matmul(g, x2, W), r, shape);
    }
    return b ? sl_graph_add(g, y, b) : y;
}

sl_node *sl__nn_activate(sl_graph *g, int act, sl_node *x)
{
    switch (act) {
    case SL_ACT_TANH: return sl_graph_tanh(g, x);
    case SL_ACT_SILU: return sl_graph_silu(g, x);
    case SL_ACT_GELU: return sl_graph_gelu(g, x);
    case SL_ACT_SOFTPLUS: return sl_graph_softplus(g, x);
    case SL_ACT_SIN: return sl_graph_sin(g, x);
    default: return NULL;
    }
}
