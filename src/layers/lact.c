/* L-Act (Favoni et al. 2022): W'(x,i) = g(Re Tr W(x,i) / N) W(x,i).  A
 * gauge-invariant scalar times a covariant field stays covariant. */
#include "lattice_internal.h"

sl_node *sl_graph_lact(sl_graph *g, sl_node *W, int kind, sl_node *params)
{
    const char *who = "sl_graph_lact";
    int nd = sl__field_node_nd(g, who, W);
    if (nd < 0) return NULL;
    int64_t n = W->shape[W->rank - 1], c = W->shape[0];
    sl_node *s = sl_graph_mul_scalar(g, sl_graph_real(g, sl_graph_trace(g, W)), 1.0 / (double)n);
    sl_node *f;
    if (kind == SL_LACT_RELU) f = sl_graph_relu(g, s);
    else if (kind == SL_LACT_TANH) f = sl_graph_tanh(g, s);
    else if (kind == SL_LACT_POLY) {
        if (!sl__gcheck(g, who, 1, &params)) return NULL;
        if (params->dtype != SL_F64 || params->rank != 2 || params->shape[0] != c || params->shape[1] < 1)
            return sl__gfail(g, SL_ERR_SHAPE, "%s: params must be f64 (C = %lld, degree + 1)", who, (long long)c);
        int64_t bshape[SL_MAX_RANK];
        bshape[0] = c;
        for (int i = 1; i < s->rank; ++i) bshape[i] = 1;
        sl_node *pw = NULL;
        f = NULL;
        for (int64_t k = 0; k < params->shape[1]; ++k) {
            sl_node *coef = sl_graph_reshape(g, sl_graph_slice(g, params, 1, k, k + 1, 1), s->rank, bshape);
            sl_node *term = k == 0 ? coef : sl_graph_mul(g, coef, pw);
            f = f ? sl_graph_add(g, f, term) : sl_graph_broadcast(g, term, s->rank, s->shape);
            pw = pw ? sl_graph_mul(g, pw, s) : s;
        }
    } else {
        return sl__gfail(g, SL_ERR_ARG, "%s: kind = %d (must be SL_LACT_RELU, _TANH or _POLY)", who, kind);
    }
    if (!f) return NULL;
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, f->shape, sizeof(int64_t) * (size_t)f->rank);
    shape[f->rank] = shape[f->rank + 1] = 1;
    sl_node *fc = sl_graph_complex(g, f, sl__zeros_like(g, f));
    return sl_graph_mul(g, W, sl_graph_reshape(g, fc, f->rank + 2, shape));
}
