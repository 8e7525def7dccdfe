/* L-Bilin (Favoni et al. 2022): W''_u = sum_{v,w} alpha_uvw A'_v B'_w with
 * A' = (A, A^+, 1), B' = (B, B^+, 1).  Contraction first ("v2" of the
 * reference code): tmp_uv = sum_w alpha_uvw B'_w is one real GEMM on the
 * (re, im) view of B', then W''_u = sum_v A'_v tmp_uv; the Va*Vb pair
 * products are never formed. */
#include "lattice_internal.h"

sl_node *sl__extend(sl_graph *g, sl_node *X)
{
    sl_node *parts[3] = {X, sl_graph_adjoint(g, X), sl__eye_like(g, X)};
    return sl_graph_concat(g, 3, parts, 0);
}

sl_node *sl__bilinear(sl_graph *g, const char *who, sl_node *A, sl_node *B, sl_node *alpha)
{
    if (!A || !B || !sl__gcheck(g, who, 1, &alpha)) return NULL;
    char buf[96];
    int64_t va = A->shape[0], vb = B->shape[0];
    if (alpha->dtype != SL_F64 || alpha->rank != 3 || alpha->shape[1] != va || alpha->shape[2] != vb)
        return sl__gfail(g, alpha->dtype != SL_F64 ? SL_ERR_DTYPE : SL_ERR_SHAPE,
                         "%s: alpha is %s %s (must be f64 (Cout, %lld, %lld))", who, sl__dtype_name(alpha->dtype),
                         sl__shape_str(alpha, buf, sizeof buf), (long long)va, (long long)vb);
    int64_t cout = alpha->shape[0], n = A->shape[A->rank - 1];
    int64_t e = B->numel / vb, sites = e / (n * n);
    sl_node *br = sl_graph_view_real(g, sl_graph_reshape(g, B, 2, (int64_t[]){vb, e}));
    br = sl_graph_reshape(g, br, 2, (int64_t[]){vb, 2 * e});
    sl_node *a2 = sl_graph_reshape(g, alpha, 2, (int64_t[]){cout * va, vb});
    sl_node *tmp = sl_graph_matmul(g, a2, br);                       /* one dgemm */
    tmp = sl_graph_view_complex(g, sl_graph_reshape(g, tmp, 6, (int64_t[]){cout, va, sites, n, n, 2}));
    sl_node *a = sl_graph_reshape(g, A, 4, (int64_t[]){va, sites, n, n});
    sl_node *prod = sl_graph_matmul(g, a, tmp);                      /* (Cout, Va, sites, N, N) */
    sl_node *out = sl_graph_sum_axes(g, prod, 1, (int[]){1}, 0);
    if (!out) return NULL;
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, A->shape, sizeof(int64_t) * (size_t)A->rank);
    shape[0] = cout;
    return sl_graph_reshape(g, out, A->rank, shape);
}

sl_node *sl_graph_lbilin(sl_graph *g, sl_node *A, sl_node *B, sl_node *alpha)
{
    const char *who = "sl_graph_lbilin";
    if (sl__field_node_nd(g, who, A) < 0 || sl__field_node_nd(g, who, B) < 0) return NULL;
    if (A->rank != B->rank || memcmp(A->shape + 1, B->shape + 1, sizeof(int64_t) * (size_t)(A->rank - 1)))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: A and B differ beyond the channel axis", who);
    return sl__bilinear(g, who, sl__extend(g, A), sl__extend(g, B), alpha);
}
