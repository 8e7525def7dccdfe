/* atan2(y, x): the angle of the point (x, y) in (-pi, pi], broadcasting, real
 * only.  d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2), so polar
 * coordinates (and angle variables of canonical maps) can be differentiated
 * to any order. */
#include "broadcast.h"

#include <math.h>

static void atan2_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const double *y = in[0], *x = in[1];
    double *o = out;
    const sl_node *Y = n->in[0], *X = n->in[1];
    if (Y->numel == n->numel && X->numel == n->numel) {
        for (int64_t i = 0; i < n->numel; ++i) o[i] = atan2(y[i], x[i]);
        return;
    }
    int64_t sy[SL_MAX_RANK], sx[SL_MAX_RANK];
    sl__bcast_strides(n->rank, n->shape, Y->rank, Y->shape, sy);
    sl__bcast_strides(n->rank, n->shape, X->rank, X->shape, sx);
    SL_BCAST_LOOP(n->rank, n->shape, sy, sx, { o[io] = atan2(y[ia], x[ib]); });
}

static void atan2_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *y = n->in[0], *x = n->in[1];
    sl_node *r2 = sl_graph_add(g, sl_graph_square(g, x), sl_graph_square(g, y));
    sl_node *gr = sl_graph_div(g, gy, r2);
    if (need[0]) gin[0] = sl__sum_to_node(g, sl_graph_mul(g, gr, x), y);
    if (need[1]) gin[1] = sl__sum_to_node(g, sl_graph_neg(g, sl_graph_mul(g, gr, y)), x);
}

static const sl_opdef op_atan2 = {"atan2", atan2_eval, atan2_vjp, NULL, 0};

sl_node *sl_graph_atan2(sl_graph *g, sl_node *y, sl_node *x)
{
    const char *who = "sl_graph_atan2";
    sl_node *xs[2] = {y, x};
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    if (y->dtype != SL_F64 || x->dtype != SL_F64)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: y and x must be real (f64)", who);
    int rank;
    int64_t shape[SL_MAX_RANK];
    if (!sl__broadcast_shape(y->rank, y->shape, x->rank, x->shape, &rank, shape)) {
        char sa[96], sb[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: shapes %s and %s do not broadcast", who,
                         sl__shape_str(y, sa, sizeof sa), sl__shape_str(x, sb, sizeof sb));
    }
    return sl__node_new(g, &op_atan2, SL_F64, rank, shape, 2, xs);
}
