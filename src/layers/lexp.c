/* L-Exp (Favoni et al. 2022): U'(x,mu) = exp(i sum_j beta_{mu j} H_j(x)) U(x,mu)
 * with H = (i/2)[(W^+ - W) - Tr(W^+ - W)/N], Hermitian and traceless, so the
 * update stays in SU(N) and transforms as O(x) U' O(x+mu)^+.  The matrix
 * exponential is a degree-12 Taylor polynomial of X / 16 squared four times,
 * all graph ops, so it is differentiable to any order. */
#include "lattice_internal.h"

sl_node *sl_graph_lexp(sl_graph *g, sl_node *U, sl_node *W, sl_node *beta)
{
    const char *who = "sl_graph_lexp";
    int nd = sl__check_uw(g, who, U, W);
    if (nd < 0 || !sl__gcheck(g, who, 1, &beta)) return NULL;
    int64_t c = W->shape[0], n = W->shape[W->rank - 1];
    if (beta->dtype != SL_F64 || beta->rank != 2 || beta->shape[0] != nd || beta->shape[1] != c)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: beta must be f64 (nd = %d, C = %lld)", who, nd, (long long)c);
    /* H = (i/2)(D - Tr D / N),  D = W^+ - W */
    sl_node *d = sl_graph_sub(g, sl_graph_adjoint(g, W), W);
    int64_t tshape[SL_MAX_RANK];
    memcpy(tshape, W->shape, sizeof(int64_t) * (size_t)W->rank);
    tshape[W->rank - 1] = tshape[W->rank - 2] = 1;
    sl_node *tr = sl_graph_reshape(g, sl_graph_trace(g, d), W->rank, tshape);
    sl_node *eye = sl_graph_eye(g, SL_C128, n);
    sl_node *h = sl_graph_sub(g, d, sl_graph_mul(g, sl_graph_mul_scalar(g, tr, 1.0 / (double)n), eye));
    h = sl_graph_mul_complex_scalar(g, h, 0, 0.5);
    /* X_mu = i sum_j beta_mu j H_j / 16, one GEMM over all sites */
    int64_t e = W->numel / c;
    sl_node *bc = sl_graph_complex(g, beta, sl__zeros_like(g, beta));
    sl_node *x = sl_graph_matmul(g, bc, sl_graph_reshape(g, h, 2, (int64_t[]){c, e}));
    int64_t xs[SL_MAX_RANK];
    xs[0] = nd;
    memcpy(xs + 1, U->shape, sizeof(int64_t) * (size_t)(nd + 1));
    xs[nd + 2] = xs[nd + 3] = n;
    x = sl_graph_reshape(g, sl_graph_mul_complex_scalar(g, x, 0, 1.0 / 16), nd + 4, xs);
    /* Horner: E = 1 + X(1 + X/2 (1 + X/3 (...))) */
    sl_node *acc = NULL;
    for (int k = 12; k >= 1; --k) {
        sl_node *t = acc ? sl_graph_matmul(g, x, acc) : x;
        acc = sl_graph_add(g, sl_graph_mul_scalar(g, t, 1.0 / k), eye);
    }
    for (int i = 0; i < 4; ++i) acc = sl_graph_matmul(g, acc, acc);
    /* (nd, B, L.., N, N) -> (B, L.., nd, N, N) */
    int perm[SL_MAX_RANK], r = nd + 4;
    for (int i = 0; i <= nd; ++i) perm[i] = i + 1;
    perm[nd + 1] = 0;
    perm[nd + 2] = r - 2;
    perm[nd + 3] = r - 1;
    return sl_graph_matmul(g, sl_graph_permute(g, acc, perm), U);
}
