/* GCMConv, the layer of every PRL network (Favoni et al. 2022; reference code
 * lge-cnn GCMConv): L-Conv and L-Bilin in one,
 *   W'_u = sum_{v,w} alpha_uvw A_v B_w,  A = (W, W^+, 1),  B = (T, T^+, 1),
 * T the transports along +mu for k = 1..K-1 (mu outer, k, channel inner);
 * the symmetric variant puts W_local first and adds the -mu transports.
 * The contraction is one fused op (op_lat_contract.c): A and B are
 * extended (daggers, unit matrix) on the fly, block by block over sites; the
 * transports T are one fused op too (op_lat_transport.c). */
#include "lattice_internal.h"
#include "lattice_ops.h"


sl_node *sl__graph_gcmconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *alpha, int K, int dilation, int symmetric,
                           int su2)
{
    const char *who = "sl_graph_gcmconv";
    int nd = sl__check_uw(g, who, U, W);
    if (nd < 0 || !sl__gcheck(g, who, 1, &alpha)) return NULL;
    if (K < 1 || dilation < 0)
        return sl__gfail(g, SL_ERR_ARG, "%s: K = %d, dilation = %d (need K >= 1, dilation >= 0)", who, K, dilation);
    if (!symmetric && K < 2) return sl__gfail(g, SL_ERR_ARG, "%s: K = %d has no transports (need K >= 2)", who, K);
    if (K > 64) return sl__gfail(g, SL_ERR_ARG, "%s: K = %d (at most 64)", who, K);
    if ((int64_t)(K - 1) * ((int64_t)dilation + 1) > SL_LCNN_MAX_REACH)
        return sl__gfail(g, SL_ERR_ARG, "%s: (K-1)(dilation+1) = (%d-1)(%d+1) links (at most SL_LCNN_MAX_REACH = %d)",
                         who, K, dilation, SL_LCNN_MAX_REACH);
    /* The line products U(x -> x + s mu) are built once per layer (one matmul
     * per extra step) and shared by every channel and both directions; all
     * transports are one fused op writing the B set in place (mu outer, k,
     * channel inner), no roll or concat copies. */
    int nl = 0, m = 0;
    sl_node **lines = sl__graph_mem(g, sizeof(sl_node *) * (size_t)(nd * K + 1));
    sl_trn_entry *e = sl__graph_mem(g, sizeof(sl_trn_entry) * (size_t)(2 * nd * K + 1));
    if (!lines || !e) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    for (int mu = 0; mu < nd; ++mu) {
        sl_node *link = sl_graph_link(g, U, mu), *line = NULL;
        int s0 = 0;
        for (int k = 1; k < K; ++k) {
            int s = k * (dilation + 1);
            for (int t = s0; t < s; ++t) line = line ? sl__lat_mm(g, who, line, 0, sl__shift(g, link, 1, mu, t), 0) : link;
            s0 = s;
            lines[nl] = line;
            e[m++] = (sl_trn_entry){nl++, mu, 0, 0, s};
        }
    }
    if (symmetric)
        for (int j = 0, m0 = m; j < m0; ++j) e[m++] = (sl_trn_entry){e[j].line, e[j].mu, 1, -e[j].sw, -e[j].sw};
    sl_node *T = m ? sl__lat_trn(g, who, W, nl, lines, m, e, 0) : NULL;
    if (symmetric) T = T ? sl_graph_concat(g, 2, (sl_node *[]){W, T}, 0) : W;
    return sl__lat_bil(g, who, W, 1, 0, T, 1, 0, alpha, 0, su2);
}

sl_node *sl_graph_gcmconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *alpha, int K, int dilation,
                          int symmetric)
{
    return sl__graph_gcmconv(g, U, W, alpha, K, dilation, symmetric, 0);
}
