/* Reinterpret complex data as (re, im) pairs and back.  Both are copies of
 * the same bytes; their gradients are each other (graph.h's convention makes
 * the gradient of z the complex number built from the gradients of its real
 * and imaginary parts). */
#include "graph_internal.h"

static void copy_bytes(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    memcpy(out, in[0], (size_t)n->numel * sl__dtype_size(n->dtype));
}

static void view_real_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)n; (void)need;
    gin[0] = sl_graph_view_complex(g, gy);
}

static void view_complex_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)n; (void)need;
    gin[0] = sl_graph_view_real(g, gy);
}

static const sl_opdef op_view_real = {"view_real", copy_bytes, view_real_vjp, NULL, 0};
static const sl_opdef op_view_complex = {"view_complex", copy_bytes, view_complex_vjp, NULL, 0};

sl_node *sl_graph_view_real(sl_graph *g, sl_node *x)
{
    const char *who = "sl_graph_view_real";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (x->dtype != SL_C128) return sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be c128)", who, sl__dtype_name(x->dtype));
    if (x->rank == SL_MAX_RANK) return sl__gfail(g, SL_ERR_SHAPE, "%s: x already has rank %d", who, SL_MAX_RANK);
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->rank);
    shape[x->rank] = 2;
    if (!sl__gshape_ok(g, who, x->rank + 1, shape)) return NULL;
    return sl__node_new(g, &op_view_real, SL_F64, x->rank + 1, shape, 1, &x);
}

sl_node *sl_graph_view_complex(sl_graph *g, sl_node *x)
{
    const char *who = "sl_graph_view_complex";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (x->dtype != SL_F64) return sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be f64)", who, sl__dtype_name(x->dtype));
    if (x->rank < 1 || x->shape[x->rank - 1] != 2)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: the last axis must have size 2 (re, im)", who);
    return sl__node_new(g, &op_view_complex, SL_C128, x->rank - 1, x->shape, 1, &x);
}
