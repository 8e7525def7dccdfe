/* Parallel transport and L-Conv (Favoni et al. 2022, eq. for L-Conv):
 * W'_u(x) = sum_t omega_ut B_t(x) with B = (W(x), U_{x->x+k mu} W(x+k mu)
 * U^+_{x->x+k mu} for +-mu, 1).  The weights act on channels only, so the
 * contraction is one GEMM over all sites. */
#include "lattice_internal.h"
#include "lattice_ops.h"

sl_node *sl__transport_line(sl_graph *g, sl_node *line, sl_node *W, int mu, int s, int sign)
{
    /* +mu: U(x -> x+s mu) W(x + s mu) U^+;  -mu: U(x-s mu -> x)^+ W(x - s mu) U(..)
     * (one fused op, op_lat_transport.c) */
    sl_trn_entry e = {0, mu, sign < 0, sign > 0 ? 0 : -(int64_t)s, sign > 0 ? s : -(int64_t)s};
    return sl__lat_trn(g, "sl_graph_transport", W, 1, &line, 1, &e, 0);
}

static int check_uw(sl_graph *g, const char *who, sl_node *U, sl_node *W)
{
    int nd = sl__gauge_node_nd(g, who, U);
    if (nd < 0 || sl__field_node_nd(g, who, W) < 0) return -1;
    if (W->rank != U->rank || memcmp(W->shape + 1, U->shape, sizeof(int64_t) * (size_t)(nd + 1)) ||
        W->shape[W->rank - 1] != U->shape[U->rank - 1]) {
        char b1[96], b2[96];
        sl__gfail(g, SL_ERR_SHAPE, "%s: W %s does not fit U %s (W must be (C, B, L.., N, N))", who,
                  sl__shape_str(W, b1, sizeof b1), sl__shape_str(U, b2, sizeof b2));
        return -1;
    }
    return nd;
}
int sl__check_uw(sl_graph *g, const char *who, sl_node *U, sl_node *W) { return check_uw(g, who, U, W); }

sl_node *sl_graph_transport(sl_graph *g, sl_node *U, sl_node *W, int mu, int k)
{
    const char *who = "sl_graph_transport";
    int nd = check_uw(g, who, U, W);
    if (nd < 0) return NULL;
    if (mu < 0 || mu >= nd) return sl__gfail(g, SL_ERR_ARG, "%s: mu = %d (must be 0..%d)", who, mu, nd - 1);
    if (k == 0) return W;
    if (k < -SL_LCNN_MAX_REACH || k > SL_LCNN_MAX_REACH)
        return sl__gfail(g, SL_ERR_ARG, "%s: k = %d (|k| at most SL_LCNN_MAX_REACH = %d)", who, k, SL_LCNN_MAX_REACH);
    int s = k > 0 ? k : -k;
    return sl__transport_line(g, sl__line(g, who, sl_graph_link(g, U, mu), mu, s), W, mu, s, k);
}

int64_t sl_gcmconv_terms(int nd, int64_t channels, int K, int symmetric)
{
    if (nd < 1 || channels < 1 || K < 1) return 0;
    return symmetric ? channels * (2 * (int64_t)nd * (K - 1) + 1) : channels * nd * (K - 1);
}

sl_node *sl_graph_lconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *omega, int K, int dilation)
{
    const char *who = "sl_graph_lconv";
    int nd = check_uw(g, who, U, W);
    if (nd < 0 || !sl__gcheck(g, who, 1, &omega)) return NULL;
    if (K < 1 || dilation < 0) return sl__gfail(g, SL_ERR_ARG, "%s: K = %d, dilation = %d (need K >= 1, dilation >= 0)", who, K, dilation);
    if ((int64_t)(K - 1) * ((int64_t)dilation + 1) > SL_LCNN_MAX_REACH)
        return sl__gfail(g, SL_ERR_ARG, "%s: (K-1)(dilation+1) = (%d-1)(%d+1) links (at most SL_LCNN_MAX_REACH = %d)",
                         who, K, dilation, SL_LCNN_MAX_REACH);
    int64_t c = W->shape[0], nt = c * (2 * nd * (K - 1) + 1) + 1;
    char buf[96];
    if (omega->rank != 2 || omega->shape[1] != nt)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: omega has shape %s (must be (Cout, %lld))", who,
                         sl__shape_str(omega, buf, sizeof buf), (long long)nt);
    int np = 0;
    sl_node **parts = sl__graph_mem(g, sizeof(sl_node *) * (size_t)(2 * nd * K + 2));
    if (!parts) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    parts[np++] = W;
    for (int mu = 0; mu < nd; ++mu) {
        sl_node *link = sl_graph_link(g, U, mu), *line = NULL;
        int s0 = 0;
        for (int k = 1; k < K; ++k) {
            int s = k * (dilation + 1);
            for (int t = s0; t < s; ++t) line = line ? sl_graph_matmul(g, line, sl__shift(g, link, 1, mu, t)) : link;
            s0 = s;
            parts[np++] = sl__transport_line(g, line, W, mu, s, +1);
            parts[np++] = sl__transport_line(g, line, W, mu, s, -1);
        }
    }
    parts[np++] = sl__eye_like(g, W);
    sl_node *bset = sl_graph_concat(g, np, parts, 0);              /* (nt, B, L.., N, N) */
    int64_t n = W->shape[W->rank - 1], e = W->numel / c;
    sl_node *out;
    if (omega->dtype == SL_F64) {
        sl_node *br = sl_graph_view_real(g, sl_graph_reshape(g, bset, 2, (int64_t[]){nt, e}));
        br = sl_graph_reshape(g, br, 2, (int64_t[]){nt, 2 * e});
        out = sl_graph_matmul(g, omega, br);
        out = sl_graph_view_complex(g, sl_graph_reshape(g, out, 3, (int64_t[]){omega->shape[0], e, 2}));
    } else {
        out = sl_graph_matmul(g, omega, sl_graph_reshape(g, bset, 2, (int64_t[]){nt, e}));
    }
    (void)n;
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, W->shape, sizeof(int64_t) * (size_t)W->rank);
    shape[0] = omega->shape[0];
    return sl_graph_reshape(g, out, W->rank, shape);
}
