/* Losses of symmetry discovery as graph functions (Forestano, Matchev,
 * Matcheva, Roman, Unlu, Verner 2023, "Deep learning symmetries and their
 * Lie groups, algebras, and subalgebras from first principles", and the
 * sparse-representation paper for the sparsity term).  W has shape (N_g, n, n). */
#include "../autodiff/graph_internal.h"
#include "symlearn/losses.h"

#include <math.h>

static int check_W(sl_graph *g, const char *who, sl_node *W)
{
    if (!sl__gcheck(g, who, 1, &W)) return 0;
    if (W->rank != 3 || W->shape[1] != W->shape[2] || W->dtype != SL_F64) {
        sl__gfail(g, SL_ERR_SHAPE, "%s: W must be real of shape (N_g, n, n)", who);
        return 0;
    }
    return 1;
}

/* (N_g, n*n) view of W. */
static sl_node *flat(sl_graph *g, sl_node *W)
{
    return sl_graph_reshape(g, W, 2, (int64_t[]){W->shape[0], W->shape[1] * W->shape[2]});
}

/* phi of the rows of x (rows, nargs*n) as (rows, nout) (nout inferred). */
static sl_node *apply_phi(sl_graph *g, const char *who, sl_oracle_graph_fn phi, void *user, int nargs,
                          sl_node *x, int64_t n)
{
    sl_node *args[16];
    for (int k = 0; k < nargs; ++k) args[k] = sl_graph_slice(g, x, 1, k * n, (k + 1) * n, 1);
    if (sl_graph_status(g) != SL_OK) return NULL;
    sl_node *y = phi(g, nargs, args, user);
    if (!y) return sl_graph_status(g) ? NULL : sl__gfail(g, SL_ERR_ARG, "%s: the oracle returned NULL", who);
    if (y->rank == 1) y = sl_graph_reshape(g, y, 2, (int64_t[]){y->shape[0], 1});
    if (!y || y->rank != 2 || y->shape[0] != x->shape[0] || y->dtype != SL_F64)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: the oracle must return a real (M) or (M, nout) node", who);
    return y;
}

/* W as (n, N_g*n) with Wt[k, (a, j)] = (W_a)_{jk}, so that one GEMM x Wt gives
 * every W_a x at once: (x Wt)[i, (a, j)] = (W_a x_i)_j. */
static sl_node *stacked_transpose(sl_graph *g, sl_node *W)
{
    int64_t ng = W->shape[0], n = W->shape[1];
    return sl_graph_reshape(g, sl_graph_permute(g, W, (int[]){2, 0, 1}), 2, (int64_t[]){n, ng * n});
}

/* W_a x_k for every a as (m, N_g, n), x_k the k-th argument (one GEMM). */
static sl_node *apply_all(sl_graph *g, sl_node *x, sl_node *Wt, int k, int64_t ng, int64_t n)
{
    int64_t m = x->shape[0];
    sl_node *xk = sl_graph_slice(g, x, 1, k * n, (k + 1) * n, 1);
    return sl_graph_reshape(g, sl_graph_matmul(g, xk, Wt), 3, (int64_t[]){m, ng, n});
}

/* The transformed points x + eps W_a x for every a, as (m * N_g, nargs*n),
 * row i * N_g + a: one GEMM per argument, x_k (1 (x) I + eps Wt), so that the
 * identity is added on the small (n, N_g*n) matrix, not on every point. */
static sl_node *transformed(sl_graph *g, sl_node *x, sl_node *Wt, int nargs, int64_t ng, int64_t n, double eps)
{
    int64_t m = x->shape[0];
    double *tile = sl__graph_mem(g, sizeof(double) * (size_t)(n * ng * n));
    if (!tile) return sl__gfail(g, SL_ERR_NOMEM, "sl_symmetry_loss_invariance: out of memory");
    for (int64_t k = 0; k < n; ++k)
        for (int64_t a = 0; a < ng; ++a) tile[(k * ng + a) * n + k] = 1.0;
    sl_node *T = sl_graph_add(g, sl_graph_constant(g, SL_F64, 2, (int64_t[]){n, ng * n}, tile),
                              sl_graph_mul_scalar(g, Wt, eps));
    if (nargs == 1) /* one reshape (a copy in the plan), not two */
        return sl_graph_reshape(g, sl_graph_matmul(g, x, T), 2, (int64_t[]){m * ng, n});
    sl_node *parts[16];
    for (int k = 0; k < nargs; ++k) {
        sl_node *xk = sl_graph_slice(g, x, 1, k * n, (k + 1) * n, 1);
        parts[k] = sl_graph_reshape(g, sl_graph_matmul(g, xk, T), 3, (int64_t[]){m, ng, n});
    }
    return sl_graph_reshape(g, sl_graph_concat(g, nargs, parts, 2), 2, (int64_t[]){m * ng, nargs * n});
}

static sl_node *invariance(sl_graph *g, const char *who, sl_oracle_graph_fn phi, void *user, int nargs, sl_node *x,
                           sl_node *W, int mode, double eps)
{
    if (!check_W(g, who, W) || !sl__gcheck(g, who, 1, &x)) return NULL;
    if (!phi) return sl__gfail(g, SL_ERR_NULL, "%s: phi is NULL", who);
    int64_t ng = W->shape[0], n = W->shape[1], m = x->shape[0];
    if (nargs < 1 || nargs > 16 || x->rank != 2 || x->shape[1] != nargs * n || x->dtype != SL_F64)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x must be real (m, nargs*n) with nargs in 1..16", who);
    if (mode < SL_SYM_INV_FORWARD || mode > SL_SYM_INV_DERIVATIVE)
        return sl__gfail(g, SL_ERR_ARG, "%s: mode = %d (must be SL_SYM_INV_FORWARD, _CENTRAL or _DERIVATIVE)", who, mode);
    if (mode != SL_SYM_INV_DERIVATIVE && !(eps > 0 && isfinite(eps)))
        return sl__gfail(g, SL_ERR_ARG, "%s: eps = %g (must be finite and > 0)", who, eps);
    /* the transformed points: (m N_g, nargs n) */
    if (!sl__gshape_ok(g, who, 3, (int64_t[]){m, ng, nargs * n})) return NULL;
    sl_node *y0 = apply_phi(g, who, phi, user, nargs, x, n);
    if (!y0) return NULL;
    int64_t nout = y0->shape[1];
    sl_node *Wt = stacked_transpose(g, W);
    if (mode == SL_SYM_INV_DERIVATIVE) {
        /* (grad phi_c(x) . W_a x)^2 summed over c and a, averaged over samples. */
        sl_node *acc = NULL;
        for (int64_t c = 0; c < nout; ++c) {
            sl_node *gc = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_slice(g, y0, 1, c, c + 1, 1)), x);
            sl_node *s = NULL;
            for (int k = 0; k < nargs; ++k) {
                sl_node *gk = sl_graph_reshape(g, sl_graph_slice(g, gc, 1, k * n, (k + 1) * n, 1), 3, (int64_t[]){m, 1, n});
                sl_node *t = sl_graph_sum_axes(g, sl_graph_mul(g, apply_all(g, x, Wt, k, ng, n), gk), 1, (int[]){2}, 0);
                s = s ? sl_graph_add(g, s, t) : t;                                        /* (m, N_g) */
            }
            sl_node *sq = sl_graph_sum(g, sl_graph_square(g, s));
            acc = acc ? sl_graph_add(g, acc, sq) : sq;
        }
        return sl_graph_mul_scalar(g, acc, 1.0 / (double)m);
    }
    sl_node *yp = apply_phi(g, who, phi, user, nargs, transformed(g, x, Wt, nargs, ng, n, eps), n);
    if (!yp) return NULL;
    yp = sl_graph_reshape(g, yp, 3, (int64_t[]){m, ng, nout});
    sl_node *diff;
    double scale;
    if (mode == SL_SYM_INV_FORWARD) {
        /* eq. (4): sum_a (1/m) sum_i [phi((1 + eps W_a) x_i) - phi(x_i)]^2 / eps^2 */
        diff = sl_graph_sub(g, yp, sl_graph_reshape(g, y0, 3, (int64_t[]){m, 1, nout}));
        scale = 1.0 / (eps * eps * (double)m);
    } else {
        /* central difference, exact for quadratic oracles: [phi(x + eps W x) - phi(x - eps W x)]^2 / (4 eps^2) */
        sl_node *ym = apply_phi(g, who, phi, user, nargs, transformed(g, x, Wt, nargs, ng, n, -eps), n);
        if (!ym) return NULL;
        diff = sl_graph_sub(g, yp, sl_graph_reshape(g, ym, 3, (int64_t[]){m, ng, nout}));
        scale = 1.0 / (4 * eps * eps * (double)m);
    }
    return sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, diff)), scale);
}

sl_node *sl_symmetry_loss_invariance(sl_graph *g, sl_oracle_graph_fn phi, void *user, int nargs, sl_node *x,
                                     sl_node *W, int mode, double eps)
{
    /* an error inside (an op on the oracle's output, say) is reported as this call's */
    const char *who = "sl_symmetry_loss_invariance";
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, who, invariance(g, who, phi, user, nargs, x, W, mode, eps));
}

/* |W_a|_F^2 for each a, shape (N_g). */
static sl_node *sqnorms(sl_graph *g, sl_node *Wf) { return sl_graph_sum_axes(g, sl_graph_square(g, Wf), 1, (int[]){1}, 0); }

sl_node *sl_symmetry_loss_normalisation(sl_graph *g, sl_node *W)
{
    /* eq. (5): sum_a (Tr W_a W_a^T - 2)^2 */
    const char *who = "sl_symmetry_loss_normalisation";
    sl_status before = sl_graph_status(g);
    if (!check_W(g, who, W)) return NULL;
    return sl__gwho(g, before, who,
                    sl_graph_sum(g, sl_graph_square(g, sl_graph_add_scalar(g, sqnorms(g, flat(g, W)), -2.0))));
}

sl_node *sl_symmetry_loss_orthogonality(sl_graph *g, sl_node *W)
{
    /* eq. (6): sum_{a<b} Tr(W_a W_b^T)^2 = sum of the squared off-diagonal Gram
     * entries / 2 (masked, not all minus diagonal: no cancellation near 0) */
    const char *who = "sl_symmetry_loss_orthogonality";
    sl_status before = sl_graph_status(g);
    if (!check_W(g, who, W)) return NULL;
    int64_t ng = W->shape[0];
    if (!sl__gshape_ok(g, who, 2, (int64_t[]){ng, ng})) return NULL;
    sl_node *Wf = flat(g, W);
    sl_node *G = sl_graph_matmul_ex(g, Wf, SL_OP_N, Wf, SL_OP_T);
    sl_node *off = sl_graph_rsub_scalar(g, sl_graph_eye(g, SL_F64, ng), 1.0);
    return sl__gwho(g, before, who,
                    sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, sl_graph_mul(g, G, off))), 0.5));
}

static sl_node *closure(sl_graph *g, const char *who, sl_node *W, sl_node *C, int quartic)
{
    /* L_clos = sum_{a<b} | [W_a, W_b] - sum_c C_{ab,c} W_c |_F^2 (the reference
     * code squares each pair's norm once more: quartic) */
    if (!check_W(g, who, W) || !sl__gcheck(g, who, 1, &C)) return NULL;
    if (quartic != 0 && quartic != 1) return sl__gfail(g, SL_ERR_ARG, "%s: quartic = %d (must be 0 or 1)", who, quartic);
    int64_t ng = W->shape[0], n = W->shape[1];
    /* every product W_a W_b: (N_g^2, n^2) */
    if (!sl__gshape_ok(g, who, 4, (int64_t[]){ng, ng, n, n})) return NULL;
    int64_t P = ng * (ng - 1) / 2;
    if (ng < 2) return sl_graph_scalar(g, 0.0);
    if (C->rank != 2 || C->shape[0] != P || C->shape[1] != ng || C->dtype != SL_F64)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: C must be real (%lld, %lld)", who, (long long)P, (long long)ng);
    int64_t *ia = sl__graph_mem(g, sizeof(int64_t) * 2 * (size_t)P);
    if (!ia) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    int64_t *ib = ia + P;
    for (int64_t a = 0, p = 0; a < ng; ++a)
        for (int64_t b = a + 1; b < ng; ++b, ++p) ia[p] = a, ib[p] = b;
    /* Every product W_a W_b in one GEMM: (N_g n, n) x (n, N_g n), block (a, b) = W_a W_b;
     * rows a*N_g + b and b*N_g + a of the (N_g^2, n^2) rearrangement give the bracket. */
    sl_node *A = sl_graph_reshape(g, W, 2, (int64_t[]){ng * n, n});
    sl_node *B = sl_graph_reshape(g, sl_graph_permute(g, W, (int[]){1, 0, 2}), 2, (int64_t[]){n, ng * n});
    sl_node *prod = sl_graph_reshape(g, sl_graph_matmul(g, A, B), 4, (int64_t[]){ng, n, ng, n});
    prod = sl_graph_reshape(g, sl_graph_permute(g, prod, (int[]){0, 2, 1, 3}), 2, (int64_t[]){ng * ng, n * n});
    for (int64_t p = 0; p < P; ++p) {
        int64_t a = ia[p], b = ib[p];
        ia[p] = a * ng + b;
        ib[p] = b * ng + a;
    }
    sl_node *comm = sl_graph_sub(g, sl_graph_gather(g, prod, 0, P, ia), sl_graph_gather(g, prod, 0, P, ib));
    sl_node *res = sl_graph_sub(g, comm, sl_graph_matmul(g, C, flat(g, W)));
    if (!quartic) return sl_graph_sum(g, sl_graph_square(g, res));
    return sl_graph_sum(g, sl_graph_square(g, sl_graph_sum_axes(g, sl_graph_square(g, res), 1, (int[]){1}, 0)));
}

sl_node *sl_symmetry_loss_closure(sl_graph *g, sl_node *W, sl_node *C, int quartic)
{
    const char *who = "sl_symmetry_loss_closure";
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, who, closure(g, who, W, C, quartic));
}

static sl_node *sparsity(sl_graph *g, sl_node *W)
{
    /* eq. (7): sum_a sum_{p != q} r_p^2 r_q^2 = sum_a (|r|_2^4 - |r|_4^4), r = vec W_a */
    if (!check_W(g, "sl_symmetry_loss_sparsity", W)) return NULL;
    sl_node *Wf = flat(g, W);
    sl_node *n2 = sqnorms(g, Wf);
    sl_node *n4 = sl_graph_sum_axes(g, sl_graph_square(g, sl_graph_square(g, Wf)), 1, (int[]){1}, 0);
    return sl_graph_sum(g, sl_graph_sub(g, sl_graph_square(g, n2), n4));
}

sl_node *sl_symmetry_loss_sparsity(sl_graph *g, sl_node *W)
{
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, "sl_symmetry_loss_sparsity", sparsity(g, W));
}
