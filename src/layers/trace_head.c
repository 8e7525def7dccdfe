/* Trace layer (Favoni et al. 2022): gauge-invariant features
 * (Re Tr W_1..W_C, Im Tr W_1..W_C) per site, not divided by N, for a dense
 * head applied per site or to the lattice mean. */
#include "lattice_internal.h"

sl_node *sl_graph_trace_features(sl_graph *g, sl_node *W)
{
    const char *who = "sl_graph_trace_features";
    int nd = sl__field_node_nd(g, who, W);
    if (nd < 0) return NULL;
    sl_node *t = sl_graph_trace(g, W);                              /* (C, B, L..) */
    sl_node *parts[2] = {sl_graph_real(g, t), sl_graph_imag(g, t)};
    sl_node *f = sl_graph_concat(g, 2, parts, 0);                   /* (2C, B, L..) */
    int perm[SL_MAX_RANK], r = nd + 2;
    for (int i = 0; i < r - 1; ++i) perm[i] = i + 1;
    perm[r - 1] = 0;
    return sl_graph_permute(g, f, perm);
}
