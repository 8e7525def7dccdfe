/* Polyakov loops L(x,mu) = prod_{t<L_mu} U(x + t mu, mu) (the Poly layer of
 * Favoni et al. 2022): transforms as O(x) L O(x)^+ because the line closes. */
#include "lattice_internal.h"

sl_node *sl_graph_polyakov(sl_graph *g, sl_node *U)
{
    const char *who = "sl_graph_polyakov";
    int nd = sl__gauge_node_nd(g, who, U);
    if (nd < 0) return NULL;
    sl_node *parts[4];
    for (int mu = 0; mu < nd; ++mu) {
        sl_node *link = sl_graph_link(g, U, mu);
        parts[mu] = sl__unsqueeze0(g, sl__line(g, who, link, mu, (int)U->shape[1 + mu]));
    }
    return nd == 1 ? parts[0] : sl_graph_concat(g, nd, parts, 0);
}
