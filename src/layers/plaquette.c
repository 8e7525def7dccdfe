/* Links, plaquettes (both orientations, clover leaves) and rectangular Wilson
 * loops as compositions of graph ops (Favoni et al., PRL 128 (2022) 032003,
 * the Plaq layer).  Gauge covariance follows from the products alone:
 * every loop starts and ends at x. */
#include "lattice_internal.h"
#include "lattice_ops.h"

sl_node *sl_graph_link(sl_graph *g, sl_node *U, int mu)
{
    const char *who = "sl_graph_link";
    int nd = sl__gauge_node_nd(g, who, U);
    if (nd < 0) return NULL;
    if (mu < 0 || mu >= nd) return sl__gfail(g, SL_ERR_ARG, "%s: mu = %d (must be 0..%d)", who, mu, nd - 1);
    sl_node *s = sl_graph_slice(g, U, nd + 1, mu, mu + 1, 1);
    int64_t shape[SL_MAX_RANK];
    for (int i = 0; i <= nd; ++i) shape[i] = U->shape[i];
    shape[nd + 1] = shape[nd + 2] = U->shape[U->rank - 1];
    return sl_graph_reshape(g, s, nd + 3, shape);
}

/* U(x,mu) U(x+mu,nu) U(x+nu,mu)^+ U(x,nu)^+ */
static sl_node *plaq(sl_graph *g, sl_node *um, sl_node *un, int mu, int nu)
{
    /* per-site products in one fused loop (op_lat_site.c) */
    const char *who = "sl_graph_plaquette";
    sl_node *a = sl__lat_mm(g, who, um, 0, sl__shift(g, un, 1, mu, 1), 0);
    sl_node *b = sl__lat_mm(g, who, a, 0, sl__shift(g, um, 1, nu, 1), 1);
    return sl__lat_mm(g, who, b, 0, un, 1);
}

/* The four clover leaves in the (mu, nu) plane, each based at x. */
static void leaves(sl_graph *g, sl_node *um, sl_node *un, int mu, int nu, sl_node **q)
{
    q[0] = plaq(g, um, un, mu, nu);
    /* U(x,nu) U(x-mu+nu,mu)^+ U(x-mu,nu)^+ U(x-mu,mu) */
    sl_node *t = sl_graph_matmul_ex(g, un, SL_OP_N, sl__shift(g, sl__shift(g, um, 1, mu, -1), 1, nu, 1), SL_OP_H);
    t = sl_graph_matmul_ex(g, t, SL_OP_N, sl__shift(g, un, 1, mu, -1), SL_OP_H);
    q[1] = sl_graph_matmul(g, t, sl__shift(g, um, 1, mu, -1));
    /* U(x-mu,mu)^+ U(x-mu-nu,nu)^+ U(x-mu-nu,mu) U(x-nu,nu) */
    sl_node *umm = sl__shift(g, um, 1, mu, -1);
    t = sl_graph_matmul_ex(g, umm, SL_OP_H, sl__shift(g, sl__shift(g, un, 1, mu, -1), 1, nu, -1), SL_OP_H);
    t = sl_graph_matmul(g, t, sl__shift(g, umm, 1, nu, -1));
    q[2] = sl_graph_matmul(g, t, sl__shift(g, un, 1, nu, -1));
    /* U(x-nu,nu)^+ U(x-nu,mu) U(x+mu-nu,nu) U(x,mu)^+ */
    sl_node *unn = sl__shift(g, un, 1, nu, -1);
    t = sl_graph_matmul_ex(g, unn, SL_OP_H, sl__shift(g, um, 1, nu, -1), SL_OP_N);
    t = sl_graph_matmul(g, t, sl__shift(g, unn, 1, mu, 1));
    q[3] = sl_graph_matmul_ex(g, t, SL_OP_N, um, SL_OP_H);
}

sl_node *sl_graph_plaquette(sl_graph *g, sl_node *U, int orientations, int clover)
{
    const char *who = "sl_graph_plaquette";
    int nd = sl__gauge_node_nd(g, who, U);
    if (nd < 0) return NULL;
    if (nd < 2) return sl__gfail(g, SL_ERR_SHAPE, "%s: nd = 1 has no plaquettes", who);
    if (orientations != 1 && orientations != 2)
        return sl__gfail(g, SL_ERR_ARG, "%s: orientations = %d (must be 1 or 2)", who, orientations);
    sl_node *links[4], *parts[2 * 4 * 6];
    for (int mu = 0; mu < nd; ++mu) links[mu] = sl_graph_link(g, U, mu);
    int np = 0;
    for (int mu = 0; mu < nd; ++mu)
        for (int nu = mu + 1; nu < nd; ++nu) {
            if (clover) {
                sl_node *q[4];
                leaves(g, links[mu], links[nu], mu, nu, q);
                for (int i = 0; i < 4; ++i) parts[np++] = sl__unsqueeze0(g, q[i]);
            } else {
                parts[np++] = sl__unsqueeze0(g, plaq(g, links[mu], links[nu], mu, nu));
            }
        }
    int n1 = np;
    if (orientations == 2)
        for (int i = 0; i < n1; ++i) parts[np++] = sl_graph_adjoint(g, parts[i]);
    return np == 1 ? parts[0] : sl_graph_concat(g, np, parts, 0);
}

sl_node *sl_graph_wilson_loop(sl_graph *g, sl_node *U, int mu, int nu, int a, int b)
{
    const char *who = "sl_graph_wilson_loop";
    int nd = sl__gauge_node_nd(g, who, U);
    if (nd < 0) return NULL;
    if (mu < 0 || mu >= nd || nu < 0 || nu >= nd || mu == nu)
        return sl__gfail(g, SL_ERR_ARG, "%s: plane (%d, %d) (need 0 <= mu != nu < %d)", who, mu, nu, nd);
    if (a < 1 || b < 1 || a > SL_LCNN_MAX_REACH || b > SL_LCNN_MAX_REACH)
        return sl__gfail(g, SL_ERR_ARG, "%s: a = %d, b = %d (must be 1..SL_LCNN_MAX_REACH = %d)", who, a, b,
                         SL_LCNN_MAX_REACH);
    sl_node *l0 = sl__line(g, who, sl_graph_link(g, U, mu), mu, a);
    sl_node *l1 = sl__line(g, who, sl_graph_link(g, U, nu), nu, b);
    sl_node *t = sl__lat_mm(g, who, l0, 0, sl__shift(g, l1, 1, mu, a), 0);
    t = sl__lat_mm(g, who, t, 0, sl__shift(g, l0, 1, nu, b), 1);
    return sl__lat_mm(g, who, t, 0, l1, 1);
}
