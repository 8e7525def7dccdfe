/* Hamiltonian losses as graph functions: the Hamiltonian vector field and the
 * HNN loss (Greydanus, Dzamba, Yosinski 2019, "Hamiltonian neural networks",
 * eq. 2; the dissipative form of Sosanya & Greydanus 2022, eq. 5), Poisson
 * brackets, and the symmetry-control losses of Krippendorf & Syvaeri
 * 2104.14444 (the Poisson loss for a learned canonical map and the HQP loss
 * with cyclic coordinates).
 *
 * z is (B, 2n) with rows (q_1..q_n, p_1..p_n).  Every function of z used here
 * acts row by row, so the derivative of row b of F with respect to z_b is
 * row b of the gradient of sum_b F_b: one reverse pass per output column. */
#include "../autodiff/graph_internal.h"
#include "symlearn/losses.h"

#include <math.h>

/* Phase-space half size n of z, or 0 after failing. */
static int64_t half_size(sl_graph *g, const char *who, sl_node *z)
{
    if (z->rank != 2 || z->dtype != SL_F64 || z->shape[1] < 2 || z->shape[1] % 2 != 0) {
        char s[96];
        sl__gfail(g, SL_ERR_SHAPE, "%s: z must be real of shape (B, 2n), n >= 1 (got %s)", who,
                  sl__shape_str(z, s, sizeof s));
        return 0;
    }
    return z->shape[1] / 2;
}

/* F as (B, m): a (B) node becomes (B, 1); anything else but a real (B, m)
 * node with z's batch is a shape error. */
static sl_node *as_columns(sl_graph *g, const char *who, const char *name, sl_node *F, const sl_node *z)
{
    if (F->dtype == SL_F64 && F->rank == 1 && F->shape[0] == z->shape[0])
        return sl_graph_reshape(g, F, 2, (int64_t[]){F->shape[0], 1});
    if (F->dtype == SL_F64 && F->rank == 2 && F->shape[0] == z->shape[0]) return F;
    char s[96], t[96];
    return sl__gfail(g, SL_ERR_SHAPE, "%s: %s must be real of shape (B) or (B, m) with B from z %s (got %s)", who,
                     name, sl__shape_str(z, t, sizeof t), sl__shape_str(F, s, sizeof s));
}

/* Row-wise gradient of column i of F (B, m) with respect to z: (B, 2n). */
static sl_node *column_gradient(sl_graph *g, sl_node *F, int64_t i, sl_node *z)
{
    sl_node *col = sl_graph_slice(g, F, 1, i, i + 1, 1);
    return sl_graph_grad1(g, sl_graph_sum(g, col), z);
}

/* {f, h} per row from the row gradients df, dh (B, 2n): sum_k df/dq_k dh/dp_k - df/dp_k dh/dq_k, as (B). */
static sl_node *bracket_of_gradients(sl_graph *g, sl_node *df, sl_node *dh, int64_t n)
{
    int ax = 1;
    sl_node *fq = sl_graph_slice(g, df, 1, 0, n, 1), *fp = sl_graph_slice(g, df, 1, n, 2 * n, 1);
    sl_node *hq = sl_graph_slice(g, dh, 1, 0, n, 1), *hp = sl_graph_slice(g, dh, 1, n, 2 * n, 1);
    sl_node *d = sl_graph_sub(g, sl_graph_mul(g, fq, hp), sl_graph_mul(g, fp, hq));
    return sl_graph_sum_axes(g, d, 1, &ax, 0);
}

/* The row gradients of every column of F (B, m); NULL after failing. */
static sl_node **column_gradients(sl_graph *g, const char *who, sl_node *F, sl_node *z)
{
    int64_t m = F->shape[1];
    sl_node **d = sl__graph_mem(g, sizeof *d * (size_t)m);
    if (!d) {
        sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
        return NULL;
    }
    for (int64_t i = 0; i < m; ++i) d[i] = column_gradient(g, F, i, z);
    return sl_graph_status(g) ? NULL : d;
}

/* Largest number of columns a bracket or loss differentiates one by one. */
#define MAX_COLUMNS 4096

sl_node *sl_poisson_bracket(sl_graph *g, sl_node *a, sl_node *b, sl_node *z)
{
    const char *who = "sl_poisson_bracket";
    sl_node *xs[3] = {a, b, z};
    if (!sl__gcheck(g, who, 3, xs)) return NULL;
    int64_t n = half_size(g, who, z);
    if (!n) return NULL;
    sl_node *F = as_columns(g, who, "a", a, z);
    sl_node *G = F ? as_columns(g, who, "b", b, z) : NULL;
    if (!G) return NULL;
    int64_t mf = F->shape[1], mg = G->shape[1], B = z->shape[0];
    if (mf > MAX_COLUMNS || mg > MAX_COLUMNS)
        return sl__gfail(g, SL_ERR_ARG, "%s: a has %lld and b %lld columns (at most %d each)", who, (long long)mf,
                         (long long)mg, MAX_COLUMNS);
    sl_node **dF = column_gradients(g, who, F, z);
    sl_node **dG = dF ? (G == F ? dF : column_gradients(g, who, G, z)) : NULL;
    if (!dG) return NULL;
    sl_node **entries = sl__graph_mem(g, sizeof *entries * (size_t)(mf * mg));
    if (!entries) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    for (int64_t i = 0; i < mf; ++i)
        for (int64_t j = 0; j < mg; ++j)
            entries[i * mg + j] = sl_graph_reshape(g, bracket_of_gradients(g, dF[i], dG[j], n), 2, (int64_t[]){B, 1});
    sl_node *all = sl_graph_concat(g, (int)(mf * mg), entries, 1);
    return sl_graph_reshape(g, all, 3, (int64_t[]){B, mf, mg});
}

/* (dH/dp, -dH/dq) + grad D; messages name who. */
static sl_node *field_of(sl_graph *g, const char *who, sl_node *H, sl_node *D, sl_node *z)
{
    sl_node *xs[3] = {H, z, D};
    if (!sl__gcheck(g, who, D ? 3 : 2, xs)) return NULL;
    int64_t n = half_size(g, who, z);
    if (!n) return NULL;
    H = as_columns(g, who, "H", H, z);
    if (!H) return NULL;
    if (H->shape[1] != 1) return sl__gfail(g, SL_ERR_SHAPE, "%s: H must have one value per row", who);
    if (D) {
        D = as_columns(g, who, "D", D, z);
        if (!D) return NULL;
        if (D->shape[1] != 1) return sl__gfail(g, SL_ERR_SHAPE, "%s: D must have one value per row", who);
    }
    sl_node *dH = sl_graph_grad1(g, sl_graph_sum(g, H), z);
    sl_node *parts[2] = {sl_graph_slice(g, dH, 1, n, 2 * n, 1), sl_graph_neg(g, sl_graph_slice(g, dH, 1, 0, n, 1))};
    sl_node *field = sl_graph_concat(g, 2, parts, 1);   /* (dH/dp, -dH/dq) */
    if (D) field = sl_graph_add(g, field, sl_graph_grad1(g, sl_graph_sum(g, D), z));
    return field;
}

sl_node *sl_hamiltonian_field(sl_graph *g, sl_node *H, sl_node *D, sl_node *z)
{
    return field_of(g, "sl_hamiltonian_field", H, D, z);
}

/* sum over columns of the batch mean of r^2, for r (B, k). */
static sl_node *mean_square(sl_graph *g, sl_node *r)
{
    int ax = 0;
    return sl_graph_sum(g, sl_graph_mean_axes(g, sl_graph_square(g, r), 1, &ax, 0));
}

static int check_like_z(sl_graph *g, const char *who, const char *name, const sl_node *x, const sl_node *z)
{
    if (x->dtype == SL_F64 && sl__same_shape(x, z)) return 1;
    char s[96], t[96];
    sl__gfail(g, SL_ERR_SHAPE, "%s: %s must be real with z's shape %s (got %s)", who, name,
              sl__shape_str(z, t, sizeof t), sl__shape_str(x, s, sizeof s));
    return 0;
}

sl_node *sl_loss_hnn(sl_graph *g, sl_node *H, sl_node *D, sl_node *z, sl_node *zdot)
{
    const char *who = "sl_loss_hnn";
    sl_node *xs[4] = {H, z, zdot, D};
    if (!sl__gcheck(g, who, D ? 4 : 3, xs)) return NULL;
    if (!half_size(g, who, z) || !check_like_z(g, who, "zdot", zdot, z)) return NULL;
    sl_node *field = field_of(g, who, H, D, z);
    if (!field) return NULL;
    return mean_square(g, sl_graph_sub(g, field, zdot));
}

/* The canonical pair (Q, P) checked against z: both real (B, n). */
static int check_pair(sl_graph *g, const char *who, sl_node *Q, sl_node *P, const sl_node *z, int64_t n)
{
    for (int k = 0; k < 2; ++k) {
        const sl_node *x = k ? P : Q;
        if (x->dtype != SL_F64 || x->rank != 2 || x->shape[0] != z->shape[0] || x->shape[1] != n) {
            char s[96];
            sl__gfail(g, SL_ERR_SHAPE, "%s: %s must be real of shape (B, n) = (%lld, %lld) (got %s)", who,
                      k ? "P" : "Q", (long long)z->shape[0], (long long)n, sl__shape_str(x, s, sizeof s));
            return 0;
        }
    }
    return 1;
}

sl_node *sl_loss_poisson(sl_graph *g, sl_node *Q, sl_node *P, sl_node *z)
{
    const char *who = "sl_loss_poisson";
    sl_node *xs[3] = {Q, P, z};
    if (!sl__gcheck(g, who, 3, xs)) return NULL;
    int64_t n = half_size(g, who, z);
    if (!n || !check_pair(g, who, Q, P, z, n)) return NULL;
    if (n > MAX_COLUMNS) return sl__gfail(g, SL_ERR_ARG, "%s: n = %lld (at most %d)", who, (long long)n, MAX_COLUMNS);
    sl_node **dQ = column_gradients(g, who, Q, z);
    sl_node **dP = dQ ? column_gradients(g, who, P, z) : NULL;
    if (!dP) return NULL;
    sl_node *loss = NULL;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) {
            sl_node *qp = bracket_of_gradients(g, dQ[i], dP[j], n);
            if (i == j) qp = sl_graph_add_scalar(g, qp, -1.0);
            sl_node *t = sl_graph_square(g, qp);
            if (j > i) {   /* {Q_i, Q_j} and {P_i, P_j}, i < j */
                t = sl_graph_add(g, t, sl_graph_square(g, bracket_of_gradients(g, dQ[i], dQ[j], n)));
                t = sl_graph_add(g, t, sl_graph_square(g, bracket_of_gradients(g, dP[i], dP[j], n)));
            }
            loss = loss ? sl_graph_add(g, loss, t) : t;
        }
    return sl_graph_mean(g, loss);
}

/* Time derivative along the data of column i of F: (dF_i/dz) . zdot, as (B, 1). */
static sl_node *along(sl_graph *g, sl_node *dFi, sl_node *zdot)
{
    int ax = 1;
    return sl_graph_sum_axes(g, sl_graph_mul(g, dFi, zdot), 1, &ax, 1);
}

sl_node *sl_loss_hqp(sl_graph *g, sl_node *H, sl_node *Q, sl_node *P, sl_node *z, sl_node *zdot, int ncyclic,
                     double beta)
{
    const char *who = "sl_loss_hqp";
    sl_node *xs[5] = {H, Q, P, z, zdot};
    if (!sl__gcheck(g, who, 5, xs)) return NULL;
    int64_t n = half_size(g, who, z);
    if (!n || !check_pair(g, who, Q, P, z, n) || !check_like_z(g, who, "zdot", zdot, z)) return NULL;
    if (ncyclic < 0 || ncyclic > n)
        return sl__gfail(g, SL_ERR_ARG, "%s: ncyclic = %d (must be 0..n = %lld)", who, ncyclic, (long long)n);
    if (!(beta >= 0) || !isfinite(beta))
        return sl__gfail(g, SL_ERR_ARG, "%s: beta = %g (must be finite and >= 0)", who, beta);
    if (n > MAX_COLUMNS) return sl__gfail(g, SL_ERR_ARG, "%s: n = %lld (at most %d)", who, (long long)n, MAX_COLUMNS);
    H = as_columns(g, who, "H", H, z);
    if (!H) return NULL;
    if (H->shape[1] != 1) return sl__gfail(g, SL_ERR_SHAPE, "%s: H must have one value per row", who);
    sl_node *dH[2], *wrt[2] = {Q, P};
    if (sl_graph_grad(g, sl_graph_sum(g, H), 2, wrt, dH) != SL_OK) return NULL;
    sl_node **dQ = column_gradients(g, who, Q, z);
    sl_node **dP = dQ ? column_gradients(g, who, P, z) : NULL;
    if (!dP) return NULL;
    sl_node *cyc = NULL, *rest = NULL;
    for (int64_t i = 0; i < n; ++i) {
        sl_node *Qdot = along(g, dQ[i], zdot), *Pdot = along(g, dP[i], zdot);
        sl_node *dHdQ = sl_graph_slice(g, dH[0], 1, i, i + 1, 1), *dHdP = sl_graph_slice(g, dH[1], 1, i, i + 1, 1);
        sl_node *qres = mean_square(g, sl_graph_sub(g, Qdot, dHdP));
        if (i < ncyclic) {   /* P_i conserved, Q_i moves with dH/dP_i */
            sl_node *t = sl_graph_add(g, mean_square(g, Pdot), qres);
            cyc = cyc ? sl_graph_add(g, cyc, t) : t;
        } else {
            sl_node *t = sl_graph_add(g, mean_square(g, sl_graph_add(g, Pdot, dHdQ)), qres);
            rest = rest ? sl_graph_add(g, rest, t) : t;
        }
    }
    if (rest) rest = sl_graph_mul_scalar(g, rest, beta);
    if (!cyc) return rest;
    return rest ? sl_graph_add(g, cyc, rest) : cyc;
}
