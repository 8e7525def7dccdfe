/* Per-site products of N x N complex matrix stacks as a graph op (see
 * lattice_ops.h): C(x) = op_a(A(x)) op_b(B(x)), op = N or H, A, B, C of one
 * shape (.., N, N); the generic matmul calls a small GEMM per site, this op
 * runs the whole stack in one loop (src/kernels/lat_site.c).  The L-CNN's
 * plaquettes and line products are such products.  The vjp is the same op:
 *   gA = G op_b(B)^H (op_a = N) or op_b(B) G^H (op_a = H),
 *   gB = op_a(A)^H G (op_b = N) or G^H op_a(A) (op_b = H).
 * And the trace features of the trace layer. */
#include "lattice_ops.h"

/* in = {A, B}; attr sl_lat_mm_attr */
static void mm_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_lat_mm_attr *a = nd->attr;
    int n = (int)nd->shape[nd->rank - 1];
    sl__lat_mm_sites(n, nd->numel / ((int64_t)n * n), a->ha, a->hb, in[0], in[1], out);
}

static void mm_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    const sl_lat_mm_attr *a = nd->attr;
    sl_node *A = nd->in[0], *B = nd->in[1];
    int ha = a->ha, hb = a->hb;
    const char *who = "sl_lat_mm vjp";
    if (need[0]) gin[0] = !ha ? sl__lat_mm(g, who, gy, 0, B, !hb) : sl__lat_mm(g, who, B, hb, gy, 1);
    if (need[1]) gin[1] = !hb ? sl__lat_mm(g, who, A, !ha, gy, 0) : sl__lat_mm(g, who, gy, 1, A, ha);
}

static const sl_opdef op_mm = {"lat_mm", mm_eval, mm_vjp, NULL, 0};

sl_node *sl__lat_mm(sl_graph *g, const char *who, sl_node *a, int ha, sl_node *b, int hb)
{
    sl_node *ins[2] = {a, b};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    char b1[96], b2[96];
    if (a->dtype != SL_C128 || b->dtype != SL_C128)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: operands %s, %s (must be c128)", who, sl__dtype_name(a->dtype),
                         sl__dtype_name(b->dtype));
    if (a->rank < 2 || a->shape[a->rank - 1] != a->shape[a->rank - 2] || a->rank != b->rank ||
        memcmp(a->shape, b->shape, sizeof(int64_t) * (size_t)a->rank))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: operands %s and %s (must be one shape (.., N, N))", who,
                         sl__shape_str(a, b1, sizeof b1), sl__shape_str(b, b2, sizeof b2));
    sl_node *n = sl__node_new(g, &op_mm, SL_C128, a->rank, a->shape, 2, ins);
    sl_lat_mm_attr *at = n ? sl__node_attr(n, who, sizeof *at) : NULL;
    if (!at) return NULL;
    *at = (sl_lat_mm_attr){ha != 0, hb != 0};
    return n;
}

/* ---- trace features ------------------------------------------------------------------ */
/* trf: W (C, B, L.., N, N) c128 -> f (B, L.., 2C) f64, f[.., c] = Re tr W_c,
 * f[.., C + c] = Im tr W_c (the trace layer's real / imag / concat / permute in
 * one pass).  Its adjoint trf_t puts g[.., c] + i g[.., C + c] on the diagonals
 * of (C, B, L.., N, N) (complex gradients are d/dRe + i d/dIm); each is the
 * other's vjp. */
static void trf_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *W = nd->in[0];
    int n = (int)W->shape[W->rank - 1];
    int64_t C = W->shape[0];
    sl__lat_trace_sites(n, C, W->numel / (C * n * n), in[0], out);
}

static void trf_t_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int n = (int)nd->shape[nd->rank - 1];
    int64_t C = nd->shape[0];
    sl__lat_trace_sites_adj(n, C, nd->numel / (C * n * n), in[0], out);
}

static sl_node *trf_t(sl_graph *g, const char *who, sl_node *gf, int n);

static void trf_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = trf_t(g, "sl_lat_trf vjp", gy, (int)nd->in[0]->shape[nd->in[0]->rank - 1]);
}

static void trf_t_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    (void)nd;
    if (need[0]) gin[0] = sl__lat_trf(g, "sl_lat_trf_t vjp", gy);
}

static const sl_opdef op_trf = {"lat_trf", trf_eval, trf_vjp, NULL, 0};
static const sl_opdef op_trf_t = {"lat_trf_t", trf_t_eval, trf_t_vjp, NULL, 0};

sl_node *sl__lat_trf(sl_graph *g, const char *who, sl_node *w)
{
    if (!sl__gcheck(g, who, 1, &w)) return NULL;
    char b1[96];
    if (w->dtype != SL_C128) return sl__gfail(g, SL_ERR_DTYPE, "%s: W is %s (must be c128)", who, sl__dtype_name(w->dtype));
    if (w->rank < 4 || w->shape[w->rank - 1] != w->shape[w->rank - 2])
        return sl__gfail(g, SL_ERR_SHAPE, "%s: W has shape %s (must be (C, B, .., N, N))", who,
                         sl__shape_str(w, b1, sizeof b1));
    int64_t shape[SL_MAX_RANK];
    int r = w->rank - 2;
    for (int i = 0; i < r - 1; ++i) shape[i] = w->shape[i + 1];
    shape[r - 1] = 2 * w->shape[0];
    return sl__node_new(g, &op_trf, SL_F64, r, shape, 1, &w);
}

static sl_node *trf_t(sl_graph *g, const char *who, sl_node *gf, int n)
{
    if (!sl__gcheck(g, who, 1, &gf)) return NULL;
    if (gf->dtype != SL_F64 || gf->rank + 2 > SL_MAX_RANK || gf->shape[gf->rank - 1] % 2)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: bad feature gradient", who);
    int64_t shape[SL_MAX_RANK];
    int r = gf->rank + 2;
    shape[0] = gf->shape[gf->rank - 1] / 2;
    for (int i = 0; i < gf->rank - 1; ++i) shape[i + 1] = gf->shape[i];
    shape[r - 2] = shape[r - 1] = n;
    return sl__node_new(g, &op_trf_t, SL_C128, r, shape, 1, &gf);
}
