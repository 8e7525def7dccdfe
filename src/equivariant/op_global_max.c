/* Max over the last axis as a pair of graph ops, x (.., n):
 *   gather(v, x)[i]     = v[i, j*(i)],  j*(i) = first argmax_j x[i, j]
 *   scatter(gy, x)[i,j] = gy[i] if j = j*(i), else 0.
 * max(x) = gather(x, x).  Each is linear in its first input and the other's
 * adjoint; the argmax is piecewise constant, so the gradient with respect to
 * x (the second input) is zero.  Closed under the vjp: any order works. */
#include "eq_internal.h"

static int64_t argmax(const double *x, int64_t n)
{
    int64_t j = 0;
    for (int64_t i = 1; i < n; ++i)
        if (x[i] > x[j]) j = i;
    return j;
}

static void gather_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = nd->in[1];
    int64_t n = x->shape[x->rank - 1], rows = x->numel / n;
    const double *V = in[0], *X = in[1];
    double *O = out;
    for (int64_t r = 0; r < rows; ++r) O[r] = V[r * n + argmax(X + r * n, n)];
}

static void scatter_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = nd->in[1];
    int64_t n = x->shape[x->rank - 1], rows = x->numel / n;
    const double *GY = in[0], *X = in[1];
    double *O = out;
    memset(O, 0, sizeof(double) * (size_t)nd->numel);
    for (int64_t r = 0; r < rows; ++r) O[r * n + argmax(X + r * n, n)] = GY[r];
}

static void gather_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = sl__eq_argmax_scatter(g, "sl_graph_global_max_pool vjp", gy, nd->in[1]);
}

static void scatter_vjp(sl_graph *g, sl_node *nd, sl_node *G, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = sl__eq_argmax_gather(g, "sl_graph_global_max_pool vjp", G, nd->in[1]);
}

static const sl_opdef op_gather = {"argmax_gather", gather_eval, gather_vjp, NULL, 0};
static const sl_opdef op_scatter = {"argmax_scatter", scatter_eval, scatter_vjp, NULL, 0};

sl_node *sl__eq_argmax_gather(sl_graph *g, const char *who, sl_node *v, sl_node *x)
{
    sl_node *ins[2] = {v, x};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    if (v->dtype != SL_F64 || x->dtype != SL_F64 || x->rank < 1 || !sl__same_shape(v, x))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: operands must be f64 of one shape", who);
    return sl__node_new(g, &op_gather, SL_F64, x->rank - 1, x->shape, 2, ins);
}

sl_node *sl__eq_argmax_scatter(sl_graph *g, const char *who, sl_node *gy, sl_node *x)
{
    sl_node *ins[2] = {gy, x};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    if (gy->dtype != SL_F64 || gy->rank != x->rank - 1 ||
        memcmp(gy->shape, x->shape, sizeof(int64_t) * (size_t)gy->rank))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: bad gradient shape", who);
    return sl__node_new(g, &op_scatter, SL_F64, x->rank, x->shape, 2, ins);
}
