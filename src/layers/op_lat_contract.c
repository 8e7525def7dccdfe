/* The fused lattice contractions as graph ops (see lattice_ops.h): bil, the
 * GCMConv / L-Bilin contraction out_u = sum_{v,w} c_uvw op(X'_v) op(Y'_w)
 * over stacks of N x N complex matrices, and trc, its trace reduction.  The
 * kernels (one block driver for the general and the SU(2) arithmetic) are in
 * src/kernels/lat_contract.c; each op's vjp is written in terms of the two
 * ops, so any order of derivative works. */
#include "lattice_ops.h"

/* ---- kernel arguments from the nodes ----------------------------------------------- */
static void shape_args(const sl_node *X, int *n, int64_t *S)
{
    *n = (int)X->shape[X->rank - 1];
    *S = X->numel / (X->shape[0] * (int64_t)*n * *n);
}

/* in = {X, Y, c}; attr sl_lat_bil_attr */
static sl_lat_bil_args bil_args(const sl_node *nd)
{
    const sl_lat_bil_attr *at = nd->attr;
    sl_lat_bil_args a;
    shape_args(nd->in[0], &a.n, &a.S);
    a.x = (sl_lat_stack){nd->in[0]->shape[0], at->x.mode, at->x.adj};
    a.y = (sl_lat_stack){nd->in[1]->shape[0], at->y.mode, at->y.adj};
    a.u = nd->in[2]->shape[0];
    a.fold = at->fold;
    a.su2 = at->su2;
    return a;
}

static size_t bil_scratch(const sl_node *nd)
{
    sl_lat_bil_args a = bil_args(nd);
    return sl__lat_bil_scratch_bytes(&a);
}

static void bil_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    sl_lat_bil_args a = bil_args(nd);
    sl__lat_bil_blocks(&a, in[0], in[1], in[2], out, scratch);
}

/* in = {X, Y, G}; attr sl_lat_trc_attr */
static sl_lat_trc_args trc_args(const sl_node *nd)
{
    const sl_lat_trc_attr *at = nd->attr;
    sl_lat_trc_args a;
    shape_args(nd->in[0], &a.n, &a.S);
    a.x = (sl_lat_stack){nd->in[0]->shape[0], at->x.mode, at->x.adj};
    a.y = (sl_lat_stack){nd->in[1]->shape[0], at->y.mode, at->y.adj};
    a.g = (sl_lat_stack){nd->in[2]->shape[0], at->mg, 0};
    a.su2 = at->su2;
    return a;
}

static size_t trc_scratch(const sl_node *nd)
{
    sl_lat_trc_args a = trc_args(nd);
    return sl__lat_trc_scratch_bytes(&a);
}

static void trc_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    sl_lat_trc_args a = trc_args(nd);
    sl__lat_trc_blocks(&a, in[0], in[1], in[2], out, scratch);
}

/* ---- vjps --------------------------------------------------------------------------- */
static const sl_opdef op_bil, op_trc;

static sl_node *perm3(sl_graph *g, sl_node *c, int a, int b, int d)
{
    return sl_graph_permute(g, c, (int[]){a, b, d});
}

/* The gradient of an operand stack (V channels, mode m) from the gradient of
 * its slots expressed as bil(first, second, coef) with coef's axis 0 = slots:
 * fold the dagger slots back and drop the unit slot. */
static sl_node *fold_grad(sl_graph *g, int64_t v, int m, sl_node *f, int mf, int hf, sl_node *s, int ms, int hs,
                          sl_node *coef, int su2)
{
    if (!coef) return NULL;
    if (m == 1) coef = sl_graph_slice(g, coef, 0, 0, 2 * v, 1);
    return sl__lat_bil(g, "sl_lat_bil vjp", f, mf, hf, s, ms, hs, coef, m != 0, su2);
}

/* Gradients of X (i = 0) and Y (i = 1) for
 *   sum_{u,v,w} coef[u,v,w] Re tr( (op(X'_v) op(Y'_w))^+ R_u ),  R = (G, mg, 0),
 * which is both the bil output pairing and the trc definition. */
static void operand_grads(sl_graph *g, sl_node *X, int mx, int hx, sl_node *Y, int my, int hy, sl_node *G, int mg,
                          sl_node *coef, const int *need, sl_node **gin, int su2)
{
    if (need[0]) {   /* d op(X'_v) = sum coef R_u op(Y'_w)^+ */
        if (!hx) gin[0] = fold_grad(g, X->shape[0], mx, G, mg, 0, Y, my, !hy, perm3(g, coef, 1, 0, 2), su2);
        else gin[0] = fold_grad(g, X->shape[0], mx, Y, my, hy, G, mg, 1, perm3(g, coef, 1, 2, 0), su2);
    }
    if (need[1]) {   /* d op(Y'_w) = sum coef op(X'_v)^+ R_u */
        if (!hy) gin[1] = fold_grad(g, Y->shape[0], my, X, mx, !hx, G, mg, 0, perm3(g, coef, 2, 1, 0), su2);
        else gin[1] = fold_grad(g, Y->shape[0], my, G, mg, 1, X, mx, hx, perm3(g, coef, 2, 0, 1), su2);
    }
}

static void bil_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    const sl_lat_bil_attr *a = nd->attr;
    sl_node *X = nd->in[0], *Y = nd->in[1], *C = nd->in[2];
    int mg = a->fold ? 2 : 0;
    operand_grads(g, X, a->x.mode, a->x.adj, Y, a->y.mode, a->y.adj, gy, mg, C, need, gin, a->su2);
    if (need[2]) gin[2] = sl__lat_trc(g, "sl_lat_bil vjp", X, a->x.mode, a->x.adj, Y, a->y.mode, a->y.adj, gy, mg, a->su2);
}

static void trc_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    const sl_lat_trc_attr *a = nd->attr;
    sl_node *X = nd->in[0], *Y = nd->in[1], *G = nd->in[2];
    operand_grads(g, X, a->x.mode, a->x.adj, Y, a->y.mode, a->y.adj, G, a->mg, gy, need, gin, a->su2);
    if (need[2])
        gin[2] = sl__lat_bil(g, "sl_lat_trc vjp", X, a->x.mode, a->x.adj, Y, a->y.mode, a->y.adj, gy, a->mg == 2,
                             a->su2);
}

static const sl_opdef op_bil = {"lat_bil", bil_eval, bil_vjp, bil_scratch, 0};
static const sl_opdef op_trc = {"lat_trc", trc_eval, trc_vjp, trc_scratch, 0};

/* ---- constructors ------------------------------------------------------------------- */
static int check_stack(sl_graph *g, const char *who, const char *what, sl_node *x, const sl_node *like, int mode)
{
    char b1[96], b2[96];
    if (x->dtype != SL_C128)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: %s is %s (must be c128)", who, what, sl__dtype_name(x->dtype)), 0;
    if (x->rank < 3 || x->shape[x->rank - 1] != x->shape[x->rank - 2] || x->shape[0] < 1 || mode < 0 || mode > 2)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: %s has shape %s (must be (V, .., N, N))", who, what,
                         sl__shape_str(x, b1, sizeof b1)), 0;
    if (like && (like->rank != x->rank || memcmp(like->shape + 1, x->shape + 1, sizeof(int64_t) * (size_t)(x->rank - 1))))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: %s %s does not fit %s", who, what, sl__shape_str(x, b1, sizeof b1),
                         sl__shape_str(like, b2, sizeof b2)), 0;
    return 1;
}

sl_node *sl__lat_bil(sl_graph *g, const char *who, sl_node *x, int mx, int hx, sl_node *y, int my, int hy, sl_node *c,
                     int fold, int su2)
{
    sl_node *ins[3] = {x, y, c};
    if (!sl__gcheck(g, who, 3, ins)) return NULL;
    if (!check_stack(g, who, "X", x, NULL, mx) || !check_stack(g, who, "Y", y, x, my)) return NULL;
    int64_t px = sl__lat_slots(x->shape[0], mx), py = sl__lat_slots(y->shape[0], my);
    char buf[96];
    if (c->dtype != SL_F64 || c->rank != 3 || c->shape[1] != px || c->shape[2] != py || (fold && c->shape[0] % 2))
        return sl__gfail(g, c->dtype != SL_F64 ? SL_ERR_DTYPE : SL_ERR_SHAPE,
                         "%s: alpha is %s %s (must be f64 (Cout, %lld, %lld))", who, sl__dtype_name(c->dtype),
                         sl__shape_str(c, buf, sizeof buf), (long long)px, (long long)py);
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->rank);
    shape[0] = fold ? c->shape[0] / 2 : c->shape[0];
    sl_node *n = sl__node_new(g, &op_bil, SL_C128, x->rank, shape, 3, ins);
    sl_lat_bil_attr *a = n ? sl__node_attr(n, who, sizeof *a) : NULL;
    if (!a) return NULL;
    *a = (sl_lat_bil_attr){{mx, hx != 0}, {my, hy != 0}, fold != 0, su2 && x->shape[x->rank - 1] == 2};
    return n;
}

sl_node *sl__lat_trc(sl_graph *g, const char *who, sl_node *x, int mx, int hx, sl_node *y, int my, int hy,
                     sl_node *gq, int mg, int su2)
{
    sl_node *ins[3] = {x, y, gq};
    if (!sl__gcheck(g, who, 3, ins)) return NULL;
    if (!check_stack(g, who, "X", x, NULL, mx) || !check_stack(g, who, "Y", y, x, my) ||
        !check_stack(g, who, "G", gq, x, mg))
        return NULL;
    if (mg == 1) return sl__gfail(g, SL_ERR_ARG, "%s: G mode 1", who);
    int64_t shape[3] = {sl__lat_slots(gq->shape[0], mg), sl__lat_slots(x->shape[0], mx), sl__lat_slots(y->shape[0], my)};
    sl_node *n = sl__node_new(g, &op_trc, SL_F64, 3, shape, 3, ins);
    sl_lat_trc_attr *a = n ? sl__node_attr(n, who, sizeof *a) : NULL;
    if (!a) return NULL;
    *a = (sl_lat_trc_attr){{mx, hx != 0}, {my, hy != 0}, mg, su2 && x->shape[x->rank - 1] == 2};
    return n;
}
