/* The Calabi-Yau metric losses as graph functions (include/symlearn/cy.h;
 * cymetric models/tfmodels.py, models/losses.py, models/measures.py as stated
 * in the research note cy_lax.md A2): the Wirtinger Hessian of a potential,
 * the pullback, det, the Monge-Ampere, Kahler (c_ijk), transition and Ricci
 * terms.  Every function of x used here acts row by row, so row b of a
 * derivative is row b of the gradient of the batch sum: one reverse pass per
 * output column, and the results are ordinary nodes (differentiable again). */
#include "../autodiff/graph_internal.h"
#include "cy_internal.h"

#include <math.h>

/* x must be real (B, 2 na); returns na or 0 after failing */
static int64_t half_of(sl_graph *g, const char *who, const sl_node *x)
{
    if (x->dtype != SL_F64 || x->rank != 2 || x->shape[1] < 2 || x->shape[1] % 2 || x->shape[1] > 2 * SL_CY_MAX_AMB) {
        char s[96];
        sl__gfail(g, SL_ERR_SHAPE, "%s: x must be real of shape (B, 2 namb), namb 1..%d (got %s)", who, SL_CY_MAX_AMB,
                  sl__shape_str(x, s, sizeof s));
        return 0;
    }
    return x->shape[1] / 2;
}

/* a per-point real (B) node (or (B, 1)) with x's batch, as (B) */
static sl_node *per_point(sl_graph *g, const char *who, const char *name, sl_node *f, int64_t B)
{
    if (f->dtype == SL_F64 && ((f->rank == 1 && f->shape[0] == B) || (f->rank == 2 && f->shape[0] == B && f->shape[1] == 1)))
        return f->rank == 1 ? f : sl_graph_reshape(g, f, 1, &B);
    char s[96];
    return sl__gfail(g, SL_ERR_SHAPE, "%s: %s must be real of shape (B) = (%lld) (got %s)", who, name, (long long)B,
                     sl__shape_str(f, s, sizeof s));
}

/* a complex (B, d, d) metric, d 1..3; returns d or 0 after failing */
static int64_t metric_dim(sl_graph *g, const char *who, const sl_node *m)
{
    if (m->dtype == SL_C128 && m->rank == 3 && m->shape[1] == m->shape[2] && m->shape[1] >= 1 && m->shape[1] <= 3)
        return m->shape[1];
    char s[96];
    sl__gfail(g, SL_ERR_SHAPE, "%s: the metric must be complex of shape (B, d, d), d 1..3 (got %s)", who,
              sl__shape_str(m, s, sizeof s));
    return 0;
}

/* Common checks of (m, x, J): a metric m (B, d, d), ambient points x (B,
 * 2 namb) and the pullback Jacobian J complex (B, d, namb).  Sets *d and
 * *na; 0 (the error recorded, naming who) when they do not fit. */
static int check_metric_jacobian(sl_graph *g, const char *who, sl_node *m, sl_node *x, sl_node *J, int64_t *d,
                                 int64_t *na)
{
    sl_node *xs[3] = {m, x, J};
    if (!sl__gcheck(g, who, 3, xs)) return 0;
    *d = metric_dim(g, who, m);
    *na = *d ? half_of(g, who, x) : 0;
    if (!*na) return 0;
    const int64_t B = x->shape[0];
    if (m->shape[0] != B || J->dtype != SL_C128 || J->rank != 3 || J->shape[0] != B || J->shape[1] != *d ||
        J->shape[2] != *na) {
        char s[96];
        sl__gfail(g, SL_ERR_SHAPE, "%s: J must be complex (B, d, namb) = (%lld, %lld, %lld) (got %s)", who,
                  (long long)B, (long long)*d, (long long)*na, sl__shape_str(J, s, sizeof s));
        return 0;
    }
    return 1;
}

/* entry (i, j) of (B, n, m) as (B) */
static sl_node *entry(sl_graph *g, sl_node *m, int64_t i, int64_t j)
{
    int64_t B = m->shape[0];
    sl_node *r = sl_graph_slice(g, sl_graph_slice(g, m, 1, i, i + 1, 1), 2, j, j + 1, 1);
    return sl_graph_reshape(g, r, 1, &B);
}

/* column k of (B, n) as (B) */
static sl_node *column(sl_graph *g, sl_node *x, int64_t k)
{
    int64_t B = x->shape[0];
    return sl_graph_reshape(g, sl_graph_slice(g, x, 1, k, k + 1, 1), 1, &B);
}

/* the real row-wise Hessian (B, 2na, 2na) of f (B) in x (B, 2na) */
static sl_node *hessian(sl_graph *g, const char *who, sl_node *f, sl_node *x)
{
    const int64_t B = x->shape[0], n = x->shape[1];
    sl_node *G = sl_graph_grad1(g, sl_graph_sum(g, f), x);
    sl_node **rows = sl__graph_mem(g, sizeof *rows * (size_t)n);
    if (!rows) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    for (int64_t k = 0; k < n; k++)
        rows[k] = sl_graph_reshape(g, sl_graph_grad1(g, sl_graph_sum(g, column(g, G, k)), x), 3, (int64_t[]){B, 1, n});
    return sl_graph_concat(g, (int)n, rows, 1);
}

sl_node *sl_cy_graph_ddbar(sl_graph *g, sl_node *f, sl_node *x)
{
    const char *who = "sl_cy_graph_ddbar";
    sl_node *xs[2] = {f, x};
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    const int64_t na = half_of(g, who, x);
    if (!na || !(f = per_point(g, who, "f", f, x->shape[0]))) return NULL;
    sl_node *H = hessian(g, who, f, x);
    if (!H) return NULL;
    /* d_a dbar_b f = (1/4)[(f_{x_a x_b} + f_{y_a y_b}) + i (f_{x_a y_b} - f_{y_a x_b})] */
    sl_node *top = sl_graph_slice(g, H, 1, 0, na, 1), *bot = sl_graph_slice(g, H, 1, na, 2 * na, 1);
    sl_node *xx = sl_graph_slice(g, top, 2, 0, na, 1), *xy = sl_graph_slice(g, top, 2, na, 2 * na, 1);
    sl_node *yx = sl_graph_slice(g, bot, 2, 0, na, 1), *yy = sl_graph_slice(g, bot, 2, na, 2 * na, 1);
    sl_node *re = sl_graph_mul_scalar(g, sl_graph_add(g, xx, yy), 0.25);
    sl_node *im = sl_graph_mul_scalar(g, sl_graph_sub(g, xy, yx), 0.25);
    return sl_graph_complex(g, re, im);
}

sl_node *sl_cy_graph_pullback(sl_graph *g, sl_node *J, sl_node *amb)
{
    const char *who = "sl_cy_graph_pullback";
    sl_node *xs[2] = {J, amb};
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    if (J->dtype != SL_C128 || amb->dtype != SL_C128 || J->rank != 3 || amb->rank != 3 || amb->shape[1] != amb->shape[2] ||
        J->shape[2] != amb->shape[1] || J->shape[0] != amb->shape[0]) {
        char s[96], t[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: J must be complex (B, d, namb) and amb complex (B, namb, namb) (got %s, %s)",
                         who, sl__shape_str(J, s, sizeof s), sl__shape_str(amb, t, sizeof t));
    }
    return sl_graph_matmul_ex(g, sl_graph_matmul(g, J, amb), SL_OP_N, J, SL_OP_H);
}

/* det of the complex (B, d, d) m as a complex (B) node (cofactors, d <= 3) */
static sl_node *cdet(sl_graph *g, sl_node *m, int64_t d)
{
#define E(i, j) entry(g, m, i, j)
#define MUL(a, b) sl_graph_mul(g, a, b)
    if (d == 1) return E(0, 0);
    if (d == 2) return sl_graph_sub(g, MUL(E(0, 0), E(1, 1)), MUL(E(0, 1), E(1, 0)));
    sl_node *c0 = sl_graph_sub(g, MUL(E(1, 1), E(2, 2)), MUL(E(1, 2), E(2, 1)));
    sl_node *c1 = sl_graph_sub(g, MUL(E(1, 0), E(2, 2)), MUL(E(1, 2), E(2, 0)));
    sl_node *c2 = sl_graph_sub(g, MUL(E(1, 0), E(2, 1)), MUL(E(1, 1), E(2, 0)));
    return sl_graph_add(g, sl_graph_sub(g, MUL(E(0, 0), c0), MUL(E(0, 1), c1)), MUL(E(0, 2), c2));
#undef E
#undef MUL
}

sl_node *sl_cy_graph_det(sl_graph *g, sl_node *m)
{
    const char *who = "sl_cy_graph_det";
    if (!sl__gcheck(g, who, 1, &m)) return NULL;
    const int64_t d = metric_dim(g, who, m);
    return d ? sl_graph_real(g, cdet(g, m, d)) : NULL;
}

sl_node *sl_cy_graph_loss_ma(sl_graph *g, sl_node *m, sl_node *omega2, double kappa)
{
    const char *who = "sl_cy_graph_loss_ma";
    sl_node *xs[2] = {m, omega2};
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    if (!(kappa > 0) || !isfinite(kappa)) return sl__gfail(g, SL_ERR_ARG, "%s: kappa = %g (must be finite, > 0)", who, kappa);
    const int64_t d = metric_dim(g, who, m);
    if (!d || !(omega2 = per_point(g, who, "omega2", omega2, m->shape[0]))) return NULL;
    sl_node *eta = sl_graph_div(g, sl_graph_real(g, cdet(g, m, d)), sl_graph_mul_scalar(g, omega2, kappa));
    return sl_graph_abs(g, sl_graph_rsub_scalar(g, eta, 1.0));
}

/* |c|^2 of a complex node, real */
static sl_node *abs2(sl_graph *g, sl_node *c)
{
    return sl_graph_add(g, sl_graph_square(g, sl_graph_real(g, c)), sl_graph_square(g, sl_graph_imag(g, c)));
}

sl_node *sl_cy_graph_loss_kahler(sl_graph *g, sl_node *m, sl_node *x, sl_node *J)
{
    const char *who = "sl_cy_graph_loss_kahler";
    int64_t d, na;
    if (!check_metric_jacobian(g, who, m, x, J, &d, &na)) return NULL;
    const int64_t B = x->shape[0];
    /* c[i][j] (B, d): c_ijk = sum_a J_ka d_{z_a} g_ij, d_z = (1/2)(d_x - i d_y) */
    sl_node *c[3][3];
    for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j < d; j++) {
            sl_node *gij = entry(g, m, i, j);
            sl_node *dr = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_real(g, gij)), x);
            sl_node *di = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_imag(g, gij)), x);
            sl_node *rx = sl_graph_slice(g, dr, 1, 0, na, 1), *ry = sl_graph_slice(g, dr, 1, na, 2 * na, 1);
            sl_node *ix = sl_graph_slice(g, di, 1, 0, na, 1), *iy = sl_graph_slice(g, di, 1, na, 2 * na, 1);
            sl_node *dz = sl_graph_complex(g, sl_graph_mul_scalar(g, sl_graph_add(g, rx, iy), 0.5),
                                           sl_graph_mul_scalar(g, sl_graph_sub(g, ix, ry), 0.5));   /* (B, na) */
            sl_node *cz = sl_graph_matmul(g, J, sl_graph_reshape(g, dz, 3, (int64_t[]){B, na, 1}));   /* (B, d, 1) */
            c[i][j] = sl_graph_reshape(g, cz, 2, (int64_t[]){B, d});
        }
    sl_node *sum = NULL;
    for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j < d; j++)
            for (int64_t k = 0; k < d; k++) {
                if (k == i) continue;
                sl_node *t = abs2(g, sl_graph_sub(g, column(g, c[i][j], k), column(g, c[k][j], i)));
                sum = sum ? sl_graph_add(g, sum, t) : t;
            }
    return sum ? sum : sl_graph_mul_scalar(g, sl_graph_real(g, entry(g, m, 0, 0)), 0.0);
}

sl_node *sl_cy_graph_loss_transition_phi(sl_graph *g, sl_node *phi, sl_node *phit, int namb, int d)
{
    const char *who = "sl_cy_graph_loss_transition_phi";
    sl_node *xs[2] = {phi, phit};
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    if (namb < 2 || d < 1) return sl__gfail(g, SL_ERR_ARG, "%s: namb = %d, d = %d (must be >= 2, >= 1)", who, namb, d);
    if (phit->dtype != SL_F64 || phit->rank != 2) {
        char s[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: phit must be real (B, m) (got %s)", who, sl__shape_str(phit, s, sizeof s));
    }
    const int64_t B = phit->shape[0];
    if (!(phi = per_point(g, who, "phi", phi, B))) return NULL;
    int ax = 1;
    sl_node *diff = sl_graph_sub(g, phit, sl_graph_reshape(g, phi, 2, (int64_t[]){B, 1}));
    return sl_graph_mul_scalar(g, sl_graph_sum_axes(g, sl_graph_abs(g, diff), 1, &ax, 0),
                               1.0 / ((double)(namb - 1) * d * d));
}

sl_node *sl_cy_graph_loss_transition(sl_graph *g, sl_node *m, sl_node *mt, sl_node *T, int ntotal)
{
    const char *who = "sl_cy_graph_loss_transition";
    sl_node *xs[3] = {m, mt, T};
    if (!sl__gcheck(g, who, 3, xs)) return NULL;
    const int64_t d = metric_dim(g, who, m);
    if (!d) return NULL;
    const int64_t B = m->shape[0];
    if (mt->dtype != SL_C128 || T->dtype != SL_C128 || mt->rank != 4 || T->rank != 4 || mt->shape[0] != B ||
        !sl__same_shape(mt, T) || mt->shape[2] != d || mt->shape[3] != d) {
        char s[96], t[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: mt and T must be complex (B, m, d, d) with d = %lld (got %s, %s)", who,
                         (long long)d, sl__shape_str(mt, s, sizeof s), sl__shape_str(T, t, sizeof t));
    }
    if (ntotal < 1) return sl__gfail(g, SL_ERR_ARG, "%s: ntotal = %d (must be >= 1)", who, ntotal);
    sl_node *mb = sl_graph_reshape(g, m, 4, (int64_t[]){B, 1, d, d});
    sl_node *tgt = sl_graph_matmul_ex(g, sl_graph_matmul(g, T, mb), SL_OP_N, T, SL_OP_H);
    sl_node *r = sl_graph_abs(g, sl_graph_sub(g, mt, tgt));   /* |.| of a complex: real */
    int axes[3] = {1, 2, 3};
    return sl_graph_mul_scalar(g, sl_graph_sum_axes(g, r, 3, axes, 0), 1.0 / ((double)ntotal * d * d));
}

/* the adjugate-based inverse of (B, d, d), d <= 3, entries as nodes inv[i][j] (B) */
static void inverse(sl_graph *g, sl_node *m, int64_t d, sl_node *inv[3][3])
{
    sl_node *det = cdet(g, m, d);
#define E(i, j) entry(g, m, i, j)
    if (d == 1) {
        inv[0][0] = sl_graph_div(g, sl_graph_add_scalar(g, sl_graph_mul_scalar(g, det, 0.0), 1.0), det);
        return;
    }
    if (d == 2) {
        inv[0][0] = sl_graph_div(g, E(1, 1), det), inv[1][1] = sl_graph_div(g, E(0, 0), det);
        inv[0][1] = sl_graph_div(g, sl_graph_neg(g, E(0, 1)), det), inv[1][0] = sl_graph_div(g, sl_graph_neg(g, E(1, 0)), det);
        return;
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            /* (m^-1)_ij = cofactor_ji / det */
            int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
            sl_node *cof = sl_graph_sub(g, sl_graph_mul(g, E(r0, c0), E(r1, c1)), sl_graph_mul(g, E(r0, c1), E(r1, c0)));
            inv[i][j] = sl_graph_div(g, cof, det);
        }
#undef E
}

sl_node *sl_cy_graph_ricci_scalar(sl_graph *g, sl_node *m, sl_node *x, sl_node *J)
{
    const char *who = "sl_cy_graph_ricci_scalar";
    int64_t d, na;
    if (!check_metric_jacobian(g, who, m, x, J, &d, &na)) return NULL;
    /* R_amb = d dbar log det g (cymetric's sign), R = tr(g^-1 J R_amb J^dagger) */
    sl_node *ld = sl_graph_log(g, sl_graph_real(g, cdet(g, m, d)));
    sl_node *Ra = sl_cy_graph_ddbar(g, ld, x);
    sl_node *Rp = sl_cy_graph_pullback(g, J, Ra);
    sl_node *inv[3][3];
    inverse(g, m, d, inv);
    sl_node *sum = NULL;
    for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j < d; j++) {
            sl_node *t = sl_graph_mul(g, inv[j][i], entry(g, Rp, i, j));
            sum = sum ? sl_graph_add(g, sum, t) : t;
        }
    return sl_graph_real(g, sum);
}

sl_node *sl_cy_graph_jacobian(sl_graph *g, const sl_cy_variety *v, sl_node *x, const int *patch, const int *elim)
{
    const char *who = "sl_cy_graph_jacobian";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (!v || !patch || !elim) return sl__gfail(g, SL_ERR_NULL, "%s: v, patch or elim is NULL", who);
    const int64_t na = half_of(g, who, x);
    if (!na) return NULL;
    if (na != v->namb)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x has %lld coordinates (the variety %d)", who, (long long)na, v->namb);
    const int64_t B = x->shape[0];
    const int d = v->dim;
    for (int64_t i = 0; i < B; i++)
        if (patch[i] < 0 || patch[i] >= na || elim[i] < 0 || elim[i] >= na || patch[i] == elim[i])
            return sl__gfail(g, SL_ERR_ARG, "%s: point %lld: patch %d, elim %d (must differ, 0..%lld)", who, (long long)i,
                             patch[i], elim[i], (long long)na - 1);
    /* one-hot masks of e and of the chart coordinates, complex (B, na) */
    int64_t cnt;
    if (!sl__mul_ok(B, na * 2 * (d + 1), &cnt))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: B = %lld too large", who, (long long)B);
    double *mk = sl__alloc(g->ctx, sizeof(double) * (size_t)cnt, 1, who);
    if (!mk) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    const size_t plane = (size_t)B * (size_t)na * 2;
    for (int64_t i = 0; i < B; i++) {
        mk[(size_t)(i * na + elim[i]) * 2] = 1;
        int a = 0;
        for (int j = 0; j < na; j++)
            if (j != patch[i] && j != elim[i]) mk[(size_t)(a + 1) * plane + (size_t)(i * na + j) * 2] = 1, a++;
    }
    sl_node *msk[SL_CY_MAX_AMB];
    for (int a = 0; a <= d; a++) msk[a] = sl_graph_constant(g, SL_C128, 2, (int64_t[]){B, na}, mk + (size_t)a * plane);
    sl__free(g->ctx, mk);
    /* z and its powers */
    sl_node *z = sl_graph_complex(g, sl_graph_slice(g, x, 1, 0, na, 1), sl_graph_slice(g, x, 1, na, 2 * na, 1));
    sl_node *pw[SL_CY_MAX_AMB + 2];
    pw[0] = NULL;
    pw[1] = z;
    for (int k = 2; k < v->deg; k++) pw[k] = sl_graph_mul(g, pw[k - 1], z);
    /* dQ/dz_j (B) for each j */
    sl_node *dq[SL_CY_MAX_AMB];
    for (int j = 0; j < na; j++) {
        sl_node *acc = NULL;
        for (int64_t t = 0; t < v->nterms; t++) {
            const int *e = v->exps + t * na;
            if (e[j] == 0) continue;
            sl_node *term = NULL;
            for (int l = 0; l < na; l++) {
                int p = e[l] - (l == j);
                if (p == 0) continue;
                sl_node *f = column(g, pw[p], l);
                term = term ? sl_graph_mul(g, term, f) : f;
            }
            cplx c = v->coef[t] * e[j];
            if (!term) term = sl_graph_full(g, SL_C128, 1, &B, creal(c), cimag(c));
            else term = sl_graph_mul_complex_scalar(g, term, creal(c), cimag(c));
            acc = acc ? sl_graph_add(g, acc, term) : term;
        }
        dq[j] = acc ? sl_graph_reshape(g, acc, 2, (int64_t[]){B, 1}) : sl_graph_full(g, SL_C128, 2, (int64_t[]){B, 1}, 0, 0);
    }
    sl_node *DQ = sl_graph_concat(g, (int)na, dq, 1);   /* (B, na) */
    int ax = 1;
    sl_node *dqe = sl_graph_sum_axes(g, sl_graph_mul(g, DQ, msk[0]), 1, &ax, 1);   /* (B, 1) */
    sl_node *rows[SL_CY_MAX_AMB];
    for (int a = 0; a < d; a++) {
        sl_node *dqa = sl_graph_sum_axes(g, sl_graph_mul(g, DQ, msk[a + 1]), 1, &ax, 1);
        sl_node *r = sl_graph_sub(g, msk[a + 1], sl_graph_mul(g, sl_graph_div(g, dqa, dqe), msk[0]));
        rows[a] = sl_graph_reshape(g, r, 3, (int64_t[]){B, 1, na});
    }
    return sl_graph_concat(g, d, rows, 1);
}
