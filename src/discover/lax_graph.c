/* Lax pairs as graph expressions: dL/dt by a Jacobian-vector product, the
 * commutator, and the loss terms of Krippendorf, Lust, Syvaeri,
 * "Integrability ex machina" (arXiv 2103.07475; the slide "Formulating the
 * search as optimisation").  Everything is built from generic ops, so every
 * term has derivatives of any order. */
#include "lax_internal.h"

#include <math.h>
#include <string.h>

/* The nodes are non-NULL, of g, f64. */
static int check_f64(sl_graph *g, const char *who, int n, sl_node *const *xs)
{
    if (!sl__gcheck(g, who, n, xs)) return 0;
    for (int i = 0; i < n; ++i)
        if (xs[i]->dtype != SL_F64) {
            sl__gfail(g, SL_ERR_DTYPE, "%s: argument %d is %s (must be f64)", who, i + 1, sl__dtype_name(xs[i]->dtype));
            return 0;
        }
    return 1;
}

/* The nodes are non-NULL, of g, all f64 or all c128 (complex Lax pairs). */
static int check_num(sl_graph *g, const char *who, int n, sl_node *const *xs)
{
    if (!sl__gcheck(g, who, n, xs)) return 0;
    for (int i = 0; i < n; ++i)
        if ((xs[i]->dtype != SL_F64 && xs[i]->dtype != SL_C128) || xs[i]->dtype != xs[0]->dtype) {
            sl__gfail(g, SL_ERR_DTYPE, "%s: argument %d is %s (all must be f64, or all c128)", who, i + 1,
                      sl__dtype_name(xs[i]->dtype));
            return 0;
        }
    return 1;
}

/* sum |x|^2 (re^2 + im^2 for c128: smooth at 0, unlike abs). */
static sl_node *sum_abs2(sl_graph *g, sl_node *x)
{
    if (x && x->dtype == SL_C128) x = sl_graph_view_real(g, x);
    return sl_graph_sum(g, sl_graph_square(g, x));
}

/* A batch of square matrices (B, N, N). */
static int check_batch(sl_graph *g, const char *who, const char *what, const sl_node *a)
{
    if (a->rank != 3 || a->shape[1] != a->shape[2] || a->shape[1] < 1) {
        char buf[96];
        sl__gfail(g, SL_ERR_SHAPE, "%s: %s has shape %s (must be (B, N, N))", who, what, sl__shape_str(a, buf, sizeof buf));
        return 0;
    }
    return 1;
}

static int check_same(sl_graph *g, const char *who, const char *wa, const sl_node *a, const char *wb, const sl_node *b)
{
    if (!sl__same_shape(a, b)) {
        char ba[96], bb[96];
        sl__gfail(g, SL_ERR_SHAPE, "%s: %s has shape %s, %s has %s (must be the same)", who, wa,
                  sl__shape_str(a, ba, sizeof ba), wb, sl__shape_str(b, bb, sizeof bb));
        return 0;
    }
    return 1;
}

/* Rows x (B, d) and xdot of the same shape. */
static int check_rows(sl_graph *g, const char *who, const sl_node *x, const sl_node *xdot)
{
    if (x->rank != 2) {
        char buf[96];
        sl__gfail(g, SL_ERR_SHAPE, "%s: x has shape %s (must be (B, d))", who, sl__shape_str(x, buf, sizeof buf));
        return 0;
    }
    return check_same(g, who, "x", x, "xdot", xdot);
}

/* ---- dL/dt ----------------------------------------------------------------------- */

/* (dL/dx) xdot = d/dw [ (w^T dL/dx) . xdot ]: the vjp s(w) = sum(L * w) has
 * gradient w^T dL/dx in x, linear in w; its contraction with xdot is
 * differentiated again, now in w.  w is a zero constant (not a fill, so no
 * simplification removes it). */
sl_node *sl_lax_ldot(sl_graph *g, sl_node *L, sl_node *x, sl_node *xdot)
{
    const char *who = "sl_lax_ldot";
    sl_node *xs[3] = {L, x, xdot};
    if (!check_f64(g, who, 3, xs) || !check_rows(g, who, x, xdot)) return NULL;
    if (L->rank < 1 || L->shape[0] != x->shape[0]) {
        char buf[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: L has shape %s (its first axis must be x's batch, %lld)", who,
                         sl__shape_str(L, buf, sizeof buf), (long long)x->shape[0]);
    }
    sl_status before = g->status;
    double *zero = sl__alloc(g->ctx, sizeof(double) * (size_t)L->numel, 1, who);
    if (!zero) return sl__gkeep(g, SL_ERR_NOMEM);
    sl_node *w = sl_graph_constant(g, SL_F64, L->rank, L->shape, zero);
    sl__free(g->ctx, zero);
    sl_node *gx = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_mul(g, L, w)), x);
    sl_node *r = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_mul(g, gx, xdot)), w);
    return sl__gwho(g, before, who, r);
}

/* Forward tangents through the layers of net: z_l = h W_l + b_l,
 * t_l = act'(z_l) * (t_{l-1} W_l).  tanh uses 1 - h^2; the other activations
 * take act'(z) * u as the vjp of act at z applied to u (an elementwise map,
 * so its vjp is its derivative times u). */
static sl_node *mlp_tangent(sl_mlp *net, sl_node *x, sl_node *xdot, sl_node **hout);

sl_node *sl_lax_mlp_ldot(sl_mlp *net, sl_node *x, sl_node *xdot, int64_t n, sl_node **Lout)
{
    const char *who = "sl_lax_mlp_ldot";
    if (Lout) *Lout = NULL;
    if (!net) {
        if (x && x->g && !x->g->status) sl__gfail(x->g, SL_ERR_NULL, "%s: net is NULL", who);
        return NULL;
    }
    sl_graph *g = net->g;
    sl_node *xs[2] = {x, xdot};
    if (!check_f64(g, who, 2, xs) || !check_rows(g, who, x, xdot)) return NULL;
    int nl = net->o.nlayers;
    if (x->shape[1] != net->o.widths[0])
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x has %lld columns (the network takes %lld inputs)", who,
                         (long long)x->shape[1], (long long)net->o.widths[0]);
    int64_t nn;
    if (n < 1 || !sl__mul_ok(n, n, &nn) || net->o.widths[nl] != nn)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: n = %lld but the network has %lld outputs (must be n * n)", who,
                         (long long)n, (long long)net->o.widths[nl]);
    sl_status before = g->status;
    sl_node *h = NULL, *t = mlp_tangent(net, x, xdot, &h);
    int64_t shape[3] = {x->shape[0], n, n};
    sl_node *L = sl_graph_reshape(g, h, 3, shape);
    sl_node *ld = sl_graph_reshape(g, t, 3, shape);
    sl__gwho(g, before, who, NULL);
    if (g->status) return NULL;
    if (Lout) *Lout = L;
    return ld;
}

sl_node *sl__lax_mlp_tangent(sl_mlp *net, sl_node *x, sl_node *xdot, sl_node **hout)
{
    return mlp_tangent(net, x, xdot, hout);
}

/* net(x) into *hout and its tangent along xdot, both (B, outputs); no checks. */
static sl_node *mlp_tangent(sl_mlp *net, sl_node *x, sl_node *xdot, sl_node **hout)
{
    sl_graph *g = net->g;
    int nl = net->o.nlayers;
    sl_node *h = x, *t = xdot;
    for (int l = 0; l < nl; ++l) {
        sl_node *z = sl_graph_dense(g, h, net->W[l], net->b[l]);
        sl_node *u = sl_graph_matmul(g, t, net->W[l]);
        if (l + 1 == nl) {
            h = z;
            t = u;
            break;
        }
        h = sl__nn_activate(g, net->o.activation, z);
        if (net->o.activation == SL_ACT_TANH)
            t = sl__tanh_tangent(g, h, u);   /* u (1 - h^2) */
        else
            t = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_mul(g, sl__nn_activate(g, net->o.activation, z), u)), z);
    }
    *hout = h;
    return t;
}

sl_node *sl_lax_commutator(sl_graph *g, sl_node *a, sl_node *b)
{
    const char *who = "sl_lax_commutator";
    sl_node *xs[2] = {a, b};
    if (!check_num(g, who, 2, xs) || !check_batch(g, who, "a", a) || !check_same(g, who, "a", a, "b", b)) return NULL;
    sl_status before = g->status;
    sl_node *r;
    const sl_node *b0 = b->def && strcmp(b->def->name, "broadcast") == 0 ? b->in[0] : NULL;
    if (b0 && b0->rank == 3 && b0->shape[0] == 1 && b0->shape[1] == b->shape[1] && b0->shape[2] == b->shape[2]) {
        /* b the same matrix in every row (a constant M): two plain GEMMs instead
         * of B small ones.  a b = (B N, N) x (N, N); b a through (N, B N). */
        int64_t B = a->shape[0], n = a->shape[1];
        sl_node *m0 = sl_graph_reshape(g, (sl_node *)b0, 2, (int64_t[]){n, n});
        sl_node *ab = sl_graph_reshape(g, sl_graph_matmul(g, sl_graph_reshape(g, a, 2, (int64_t[]){B * n, n}), m0), 3,
                                       a->shape);
        int perm[3] = {1, 0, 2};
        sl_node *at = sl_graph_reshape(g, sl_graph_permute(g, a, perm), 2, (int64_t[]){n, B * n});   /* (k, b j) */
        sl_node *ba = sl_graph_permute(g, sl_graph_reshape(g, sl_graph_matmul(g, m0, at), 3, (int64_t[]){n, B, n}), perm);
        r = sl_graph_sub(g, ab, ba);
    } else {
        r = sl_graph_sub(g, sl_graph_matmul(g, a, b), sl_graph_matmul(g, b, a));
    }
    return sl__gwho(g, before, who, r);
}

/* ---- Losses ------------------------------------------------------------------------ */

/* KLS 2021: L_Lax = |Ldot - [L, M]|^2, averaged over the batch. */
sl_node *sl_loss_lax(sl_graph *g, sl_node *L, sl_node *ldot, sl_node *M)
{
    const char *who = "sl_loss_lax";
    sl_node *xs[3] = {L, ldot, M};
    if (!check_num(g, who, 3, xs) || !check_batch(g, who, "L", L) || !check_same(g, who, "L", L, "ldot", ldot) ||
        !check_same(g, who, "L", L, "M", M))
        return NULL;
    sl_status before = g->status;
    sl_node *res = sl_graph_sub(g, ldot, sl_lax_commutator(g, L, M));
    sl_node *r = sl_graph_mul_scalar(g, sum_abs2(g, res), 1.0 / (double)L->shape[0]);
    return sl__gwho(g, before, who, r);
}

/* min(a, b) = (a + b - |a - b|) / 2 */
static sl_node *min2(sl_graph *g, sl_node *a, sl_node *b)
{
    return sl_graph_mul_scalar(g, sl_graph_sub(g, sl_graph_add(g, a, b), sl_graph_abs(g, sl_graph_sub(g, a, b))), 0.5);
}

/* Minimum over axis of a rank-2 node, by halving (keeps the axis, size 1). */
static sl_node *min_axis(sl_graph *g, sl_node *x, int axis)
{
    while (x && x->shape[axis] > 1) {
        int64_t n = x->shape[axis], h = n / 2;
        sl_node *m = min2(g, sl_graph_slice(g, x, axis, 0, h, 1), sl_graph_slice(g, x, axis, h, 2 * h, 1));
        if (n & 1) {
            sl_node *parts[2] = {m, sl_graph_slice(g, x, axis, 2 * h, n, 1)};
            m = sl_graph_concat(g, 2, parts, axis);
        }
        x = m;
    }
    return x;
}

/* The L-term / LM-term of the slides, with r_ek = mean_b |c_ek a_e - xdot_k|^2
 * for the N^2 entries e and the d components k:
 *   r_ek = c^2 <a_e^2> - 2 c <a_e xdot_k> + <xdot_k^2>,
 * and for the least-squares c = <a_e xdot_k> / <a_e^2> in closed form. */
sl_node *sl_loss_lax_match(sl_graph *g, sl_node *a, sl_node *xdot, int ratio)
{
    const char *who = "sl_loss_lax_match";
    sl_node *xs[2] = {a, xdot};
    if (!sl__gcheck(g, who, 2, xs) || !check_f64(g, who, 1, &xdot) || !check_batch(g, who, "a", a)) return NULL;
    if (a->dtype == SL_C128) {
        /* complex entries: re and im as two real entries each */
        a = sl_graph_reshape(g, sl_graph_view_real(g, a), 3, (int64_t[]){a->shape[0], a->shape[1], 2 * a->shape[2]});
        if (!a) return NULL;
    } else if (!check_f64(g, who, 1, &a)) {
        return NULL;
    }
    if (ratio != SL_LAX_RATIO_SUM && ratio != SL_LAX_RATIO_LSQ)
        return sl__gfail(g, SL_ERR_ARG, "%s: ratio = %d (must be SL_LAX_RATIO_SUM or SL_LAX_RATIO_LSQ)", who, ratio);
    if (xdot->rank != 2 || xdot->shape[0] != a->shape[0]) {
        char buf[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: xdot has shape %s (must be (B, d) with B = %lld)", who,
                         sl__shape_str(xdot, buf, sizeof buf), (long long)a->shape[0]);
    }
    sl_status before = g->status;
    int64_t B = a->shape[0], e = a->shape[1] * a->shape[2];
    double ib = 1.0 / (double)B;
    int ax0 = 0;
    sl_node *a2 = sl_graph_reshape(g, a, 2, (int64_t[]){B, e});
    sl_node *saa = sl_graph_reshape(g, sl_graph_mean_axes(g, sl_graph_square(g, a2), 1, &ax0, 0), 2,
                                    (int64_t[]){e, 1});                              /* (e, 1) */
    sl_node *sxx = sl_graph_mean_axes(g, sl_graph_square(g, xdot), 1, &ax0, 1);      /* (1, d) */
    sl_node *sax = sl_graph_mul_scalar(g, sl_graph_matmul_ex(g, a2, SL_OP_T, xdot, SL_OP_N), ib); /* (e, d) */
    sl_node *r;
    if (ratio == SL_LAX_RATIO_LSQ) {
        r = sl_graph_sub(g, sxx, sl_graph_div(g, sl_graph_square(g, sax), sl_graph_add_scalar(g, saa, 1e-300)));
    } else {
        sl_node *sa = sl_graph_reshape(g, sl_graph_sum_axes(g, a2, 1, &ax0, 0), 2, (int64_t[]){e, 1});
        sl_node *sx = sl_graph_sum_axes(g, xdot, 1, &ax0, 1);
        sl_node *c = sl_graph_div(g, sa, sx);                                        /* (e, d) */
        r = sl_graph_add(g, sl_graph_sub(g, sl_graph_mul(g, sl_graph_square(g, c), saa),
                                         sl_graph_mul_scalar(g, sl_graph_mul(g, c, sax), 2.0)),
                         sxx);
    }
    sl_node *t1 = sl_graph_sum(g, min2(g, min_axis(g, r, 1), saa));
    sl_node *t2 = sl_graph_sum(g, min_axis(g, r, 0));
    return sl__gwho(g, before, who, sl_graph_add(g, t1, t2));
}

/* max(1 - mean_b sum_ij |A_ij|, 0) */
sl_node *sl_loss_lax_mode_collapse(sl_graph *g, sl_node *a)
{
    const char *who = "sl_loss_lax_mode_collapse";
    if (!check_num(g, who, 1, &a) || !check_batch(g, who, "a", a)) return NULL;
    sl_status before = g->status;
    sl_node *s = sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_abs(g, a)), 1.0 / (double)a->shape[0]);
    return sl__gwho(g, before, who, sl_graph_relu(g, sl_graph_rsub_scalar(g, s, 1.0)));
}

sl_node *sl_loss_lax_scale(sl_graph *g, sl_node *L, double target)
{
    const char *who = "sl_loss_lax_scale";
    if (!check_num(g, who, 1, &L) || !check_batch(g, who, "L", L)) return NULL;
    if (!(target > 0) || !isfinite(target))
        return sl__gfail(g, SL_ERR_ARG, "%s: target = %g (must be finite and > 0)", who, target);
    sl_status before = g->status;
    int ax0 = 0;
    sl_node *c = sl_graph_sub(g, L, sl_graph_mean_axes(g, L, 1, &ax0, 1));
    sl_node *s = sl_graph_mul_scalar(g, sum_abs2(g, c), 1.0 / ((double)L->shape[0] * target));
    return sl__gwho(g, before, who, sl_graph_square(g, sl_graph_add_scalar(g, s, -1.0)));
}

sl_node *sl_loss_lax_motion(sl_graph *g, sl_node *ldot, double target)
{
    const char *who = "sl_loss_lax_motion";
    if (!check_num(g, who, 1, &ldot) || !check_batch(g, who, "ldot", ldot)) return NULL;
    if (!(target > 0) || !isfinite(target))
        return sl__gfail(g, SL_ERR_ARG, "%s: target = %g (must be finite and > 0)", who, target);
    sl_status before = g->status;
    sl_node *s = sl_graph_mul_scalar(g, sum_abs2(g, ldot), 1.0 / ((double)ldot->shape[0] * target));
    return sl__gwho(g, before, who, sl_graph_relu(g, sl_graph_rsub_scalar(g, s, 1.0)));
}

/* max(1 - var_b tr(L L) / target, 0) */
sl_node *sl_loss_lax_spectrum(sl_graph *g, sl_node *L, double target)
{
    const char *who = "sl_loss_lax_spectrum";
    if (!check_num(g, who, 1, &L) || !check_batch(g, who, "L", L)) return NULL;
    if (!(target > 0) || !isfinite(target))
        return sl__gfail(g, SL_ERR_ARG, "%s: target = %g (must be finite and > 0)", who, target);
    sl_status before = g->status;
    sl_node *t = sl_graph_trace(g, sl_graph_matmul(g, L, L));
    sl_node *c = sl_graph_sub(g, t, sl_graph_mean(g, t));
    sl_node *v = sl_graph_mul_scalar(g, sum_abs2(g, c), 1.0 / ((double)L->shape[0] * target));
    return sl__gwho(g, before, who, sl_graph_relu(g, sl_graph_rsub_scalar(g, v, 1.0)));
}
