/* Global average and max pooling over the trailing (lattice) axes: the
 * translation-invariant read-outs of a periodic CNN. */
#include "eq_internal.h"

/* Sum over the S trailing values of each of P rows, and its adjoint, the
 * broadcast of each row value to S sites: contiguous loops for the average
 * pool (the generic sum over axes and broadcast walk strides).  The sum is
 * the same pairwise order as sl_graph_sum_axes, so the bits are the same. */
/* The pairwise sums of m <= 8 rows (stride S) at once: the same tree per row,
 * the leaves' additions interleaved across rows (independent chains). */
static void pairwise_rows(const double *x, int64_t S, int m, int64_t n, double *out)
{
    if (n <= 32) {
        double acc[8] = {0};
        if (m == 8)
            for (int64_t i = 0; i < n; ++i)
                for (int k = 0; k < 8; ++k) acc[k] += x[k * S + i];
        else
            for (int64_t i = 0; i < n; ++i)
                for (int k = 0; k < m; ++k) acc[k] += x[k * S + i];
        for (int k = 0; k < m; ++k) out[k] = acc[k];
        return;
    }
    int64_t h = n / 2;
    double a[8], b[8];
    pairwise_rows(x, S, m, h, a);
    pairwise_rows(x + h, S, m, n - h, b);
    for (int k = 0; k < m; ++k) out[k] = a[k] + b[k];
}

static void tsum_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t P = n->numel, S = n->in[0]->numel / (P ? P : 1);
    const double *x = in[0];
    double *o = out;
    for (int64_t p = 0; p < P; p += 8) pairwise_rows(x + p * S, S, P - p < 8 ? (int)(P - p) : 8, S, o + p);
}

SL_EQ_LOOP static void tbcast_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t P = n->in[0]->numel, S = n->numel / (P ? P : 1);
    const double *g = in[0];
    double *o = out;
    for (int64_t p = 0; p < P; ++p) {
        double v = g[p], *r = o + p * S;
        for (int64_t i = 0; i < S; ++i) r[i] = v;
    }
}

static sl_node *tsum(sl_graph *g, sl_node *x, int nspatial);
static sl_node *tbcast(sl_graph *g, sl_node *G, const sl_node *like);

static void tsum_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = tbcast(g, G, n->in[0]);
}

static void tbcast_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = tsum(g, G, G->rank - n->in[0]->rank);
}

static const sl_opdef op_tsum = {"pool_trailing_sum", tsum_eval, tsum_vjp, NULL, 0};
static const sl_opdef op_tbcast = {"pool_trailing_bcast", tbcast_eval, tbcast_vjp, NULL, 0};

int sl__eq_is_pool_bcast(const sl_node *n) { return n && n->def == &op_tbcast; }

sl_node *sl__eq_pool_sum(sl_graph *g, sl_node *x, int nspatial) { return tsum(g, x, nspatial); }

sl_node *sl__eq_pool_bcast(sl_graph *g, sl_node *G, const sl_node *like) { return tbcast(g, G, like); }

static sl_node *tsum(sl_graph *g, sl_node *x, int nspatial)
{
    if (!sl__gcheck(g, "sl_graph_global_avg_pool", 1, &x)) return NULL;
    return sl__node_new(g, &op_tsum, SL_F64, x->rank - nspatial, x->shape, 1, &x);
}

static sl_node *tbcast(sl_graph *g, sl_node *G, const sl_node *like)
{
    if (!sl__gcheck(g, "sl_graph_global_avg_pool vjp", 1, &G)) return NULL;
    return sl__node_new(g, &op_tbcast, SL_F64, like->rank, like->shape, 1, &G);
}

static int check_pool(sl_graph *g, const char *who, sl_node *x, int nspatial)
{
    char b1[96];
    if (!sl__gcheck(g, who, 1, &x)) return 0;
    if (x->dtype != SL_F64) {
        sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be f64)", who, sl__dtype_name(x->dtype));
        return 0;
    }
    if (nspatial < 1 || nspatial >= x->rank) {
        sl__gfail(g, SL_ERR_ARG, "%s: nspatial = %d for x of shape %s (need 1 <= nspatial < rank)", who, nspatial,
                  sl__shape_str(x, b1, sizeof b1));
        return 0;
    }
    return 1;
}

sl_node *sl_graph_global_avg_pool(sl_graph *g, sl_node *x, int nspatial)
{
    const char *who = "sl_graph_global_avg_pool";
    if (!check_pool(g, who, x, nspatial)) return NULL;
    /* mean = sum * (P / numel), the factor sl_graph_mean_axes uses */
    sl_status before = sl_graph_status(g);
    sl_node *s = tsum(g, x, nspatial);
    return sl__gwho(g, before, who, s ? sl_graph_mul_scalar(g, s, (double)s->numel / (double)x->numel) : NULL);
}

sl_node *sl_graph_global_max_pool(sl_graph *g, sl_node *x, int nspatial)
{
    const char *who = "sl_graph_global_max_pool";
    if (!check_pool(g, who, x, nspatial)) return NULL;
    int64_t shape[SL_MAX_RANK], n = 1;
    int r = x->rank - nspatial;
    for (int i = 0; i < r; ++i) shape[i] = x->shape[i];
    for (int i = r; i < x->rank; ++i) n *= x->shape[i];
    shape[r] = n;
    sl_status before = sl_graph_status(g);
    sl_node *z = nspatial == 1 ? x : sl_graph_reshape(g, x, r + 1, shape);
    return sl__gwho(g, before, who, z ? sl__eq_argmax_gather(g, who, z, z) : NULL);
}
