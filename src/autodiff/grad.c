/* Reverse-mode differentiation that emits graph nodes (so it can be applied
 * again).  Only nodes on a path from some x_i to y are visited. */
#include "graph_internal.h"

sl_status sl_graph_grad(sl_graph *g, sl_node *y, int n, sl_node *const *xs, sl_node **out)
{
    const char *who = "sl_graph_grad";
    if (!g) return SL_ERR_NULL;
    if (g->status) return g->status;
    if (!out || (n > 0 && !xs)) {
        sl__gfail(g, SL_ERR_NULL, "%s: %s is NULL", who, out ? "xs" : "out");
        return g->status;
    }
    for (int i = 0; i < n; ++i) out[i] = NULL;
    if (n < 0) { sl__gfail(g, SL_ERR_ARG, "%s: n = %d", who, n); return g->status; }
    if (!sl__gcheck(g, who, 1, &y) || !sl__gcheck(g, who, n, xs)) return g->status;
    if (y->rank != 0) {
        sl__gfail(g, SL_ERR_SHAPE, "%s: y has rank %d (must be a scalar: reduce it with sl_graph_sum)", who, y->rank);
        return g->status;
    }
    if (y->dtype != SL_F64) {
        sl__gfail(g, SL_ERR_DTYPE, "%s: y is c128 (must be real: take sl_graph_real or sl_graph_abs)", who);
        return g->status;
    }
    int count = y->id + 1;
    sl_ctx *ctx = g->ctx;
    char *dep = sl__alloc(ctx, (size_t)count, 1, who);
    char *live = sl__alloc(ctx, (size_t)count, 1, who);
    sl_node **acc = sl__alloc(ctx, sizeof *acc * (size_t)count, 1, who);
    if (!dep || !live || !acc) {
        sl__free(ctx, dep); sl__free(ctx, live); sl__free(ctx, acc);
        g->status = SL_ERR_NOMEM;
        return SL_ERR_NOMEM;
    }
    /* dep: depends on some x (forward pass in creation order). */
    for (int i = 0; i < n; ++i)
        if (xs[i]->id < count) dep[xs[i]->id] = 1;
    for (int id = 0; id < count; ++id) {
        sl_node *nd = g->nodes[id];
        if (dep[id] || !nd->def->vjp) continue;
        for (int j = 0; j < nd->nin; ++j)
            if (dep[nd->in[j]->id]) { dep[id] = 1; break; }
    }
    /* live: y depends on it. */
    live[y->id] = 1;
    for (int id = count - 1; id >= 0; --id) {
        if (!live[id]) continue;
        sl_node *nd = g->nodes[id];
        for (int j = 0; j < nd->nin; ++j) live[nd->in[j]->id] = 1;
    }
    acc[y->id] = sl_graph_scalar(g, 1.0);
    int need[64], *needp = need;
    sl_node *gin_small[64], **gin = gin_small;
    for (int id = count - 1; id >= 0 && !g->status; --id) {
        sl_node *nd = g->nodes[id];
        if (!acc[id] || !dep[id] || !live[id] || !nd->def->vjp) continue;
        if (nd->nin > 64) {
            needp = sl__alloc(ctx, sizeof(int) * (size_t)nd->nin, 1, who);
            gin = sl__alloc(ctx, sizeof(sl_node *) * (size_t)nd->nin, 1, who);
            if (!needp || !gin) { g->status = SL_ERR_NOMEM; break; }
        }
        int any = 0;
        for (int j = 0; j < nd->nin; ++j) {
            needp[j] = dep[nd->in[j]->id] && live[nd->in[j]->id];
            gin[j] = NULL;
            any |= needp[j];
        }
        if (any) nd->def->vjp(g, nd, acc[id], needp, gin);
        for (int j = 0; j < nd->nin && !g->status; ++j) {
            if (!needp[j] || !gin[j]) continue;
            int k = nd->in[j]->id;
            acc[k] = acc[k] ? sl_graph_add(g, acc[k], gin[j]) : gin[j];
        }
        if (needp != need) {
            sl__free(ctx, needp); sl__free(ctx, gin);
            needp = need; gin = gin_small;
        }
    }
    for (int i = 0; i < n && !g->status; ++i) {
        sl_node *r = xs[i]->id < count ? acc[xs[i]->id] : NULL;
        out[i] = r ? r : sl__zeros_like(g, xs[i]);
    }
    sl__free(ctx, dep);
    sl__free(ctx, live);
    sl__free(ctx, acc);
    if (g->status)
        for (int i = 0; i < n; ++i) out[i] = NULL;
    return g->status;
}

sl_node *sl_graph_grad1(sl_graph *g, sl_node *y, sl_node *x)
{
    sl_node *r = NULL;
    sl_status before = sl_graph_status(g);
    if (sl_graph_grad(g, y, 1, &x, &r)) return sl__gwho(g, before, "sl_graph_grad1", NULL);
    return r;
}
