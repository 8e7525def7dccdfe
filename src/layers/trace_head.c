/* Trace layer (Favoni et al. 2022): gauge-invariant features
 * (Re Tr W_1..W_C, Im Tr W_1..W_C) per site, not divided by N, for a dense
 * head applied per site or to the lattice mean. */
#include "lattice_internal.h"
#include "lattice_ops.h"

sl_node *sl_graph_trace_features(sl_graph *g, sl_node *W)
{
    const char *who = "sl_graph_trace_features";
    int nd = sl__field_node_nd(g, who, W);
    if (nd < 0) return NULL;
    /* trace, real / imag, concat and permute in one fused op (and its vjp) */
    return sl__lat_trf(g, who, W);                                  /* (B, L.., 2C) */
}
