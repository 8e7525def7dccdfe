/* Per-channel bias as graph ops on (B, C, S..) (S.. the lattice axes):
 *   bias_add(x, b)[n,c,s] = x[n,c,s] + b[c]
 *   chan_sum(y)[c]        = sum_{n,s} y[n,c,s]       (the bias gradient)
 *   chan_bcast(b)[n,c,s]  = b[c]                      (chan_sum's adjoint)
 * Contiguous loops instead of the generic broadcast and sum over axes 0, 2..;
 * closed under the vjp (bias_add: gx = gy, gb = chan_sum(gy); chan_sum and
 * chan_bcast are each other's vjp). */
#include "eq_internal.h"

static void split(const int64_t *shape, int rank, int64_t *B, int64_t *C, int64_t *S)
{
    *B = shape[0], *C = shape[1], *S = 1;
    for (int i = 2; i < rank; ++i) *S *= shape[i];
}

static void add_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t B, C, S;
    split(n->shape, n->rank, &B, &C, &S);
    const double *x = in[0], *b = in[1];
    double *y = out;
    for (int64_t i = 0; i < B; ++i)
        for (int64_t c = 0; c < C; ++c) {
            const double *xr = x + (i * C + c) * S;
            double *yr = y + (i * C + c) * S, v = b[c];
            for (int64_t s = 0; s < S; ++s) yr[s] = xr[s] + v;
        }
}

/* o[c] = sum_n (sum_s y[n,c,s]), each inner sum in order s = 0, 1, ..: blocks
 * of 8 channels advance together (8 independent chains instead of one; the
 * same additions in the same order, so the same bits as a row-by-row loop). */
SL_EQ_LOOP static void sum_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *y = n->in[0];
    int64_t B, C, S;
    split(y->shape, y->rank, &B, &C, &S);
    const double *v = in[0];
    double *o = out;
    for (int64_t c = 0; c < C; ++c) o[c] = 0;
    for (int64_t i = 0; i < B; ++i)
        for (int64_t c0 = 0; c0 < C; c0 += 8) {
            int64_t m = C - c0 < 8 ? C - c0 : 8;
            const double *r = v + (i * C + c0) * S;
            double acc[8] = {0};
            if (m == 8)
                for (int64_t s = 0; s < S; ++s)
                    for (int k = 0; k < 8; ++k) acc[k] += r[k * S + s];
            else
                for (int64_t s = 0; s < S; ++s)
                    for (int64_t k = 0; k < m; ++k) acc[k] += r[k * S + s];
            for (int64_t k = 0; k < m; ++k) o[c0 + k] += acc[k];
        }
}

static void bcast_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t B, C, S;
    split(n->shape, n->rank, &B, &C, &S);
    const double *b = in[0];
    double *y = out;
    for (int64_t i = 0; i < B; ++i)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t s = 0; s < S; ++s) y[(i * C + c) * S + s] = b[c];
}

static sl_node *chan_bcast(sl_graph *g, const char *who, sl_node *b, const sl_node *like);

static void add_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)n;
    if (need[0]) gin[0] = gy;
    if (need[1]) gin[1] = sl__eq_chan_sum(g, "bias vjp", gy);
}

static void sum_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = chan_bcast(g, "bias vjp", G, n->in[0]);
}

static void bcast_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    (void)n;
    if (need[0]) gin[0] = sl__eq_chan_sum(g, "bias vjp", G);
}

static const sl_opdef op_add = {"bias_add", add_eval, add_vjp, NULL, 0};
static const sl_opdef op_sum = {"bias_chan_sum", sum_eval, sum_vjp, NULL, 0};
static const sl_opdef op_bcast = {"bias_chan_bcast", bcast_eval, bcast_vjp, NULL, 0};

sl_node *sl__eq_chan_sum(sl_graph *g, const char *who, sl_node *y)
{
    if (!sl__gcheck(g, who, 1, &y)) return NULL;
    return sl__node_new(g, &op_sum, SL_F64, 1, y->shape + 1, 1, &y);
}

static sl_node *chan_bcast(sl_graph *g, const char *who, sl_node *b, const sl_node *like)
{
    if (!sl__gcheck(g, who, 1, &b)) return NULL;
    return sl__node_new(g, &op_bcast, SL_F64, like->rank, like->shape, 1, &b);
}

sl_node *sl__eq_add_bias(sl_graph *g, const char *who, sl_node *y, sl_node *bias)
{
    sl_node *ins[2] = {y, bias};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    char b1[96];
    if (y->dtype != SL_F64 || y->rank < 2 || bias->dtype != SL_F64 || bias->rank != 1 || bias->shape[0] != y->shape[1])
        return sl__gfail(g, SL_ERR_SHAPE, "%s: bias %s (must be f64 of shape (%lld))", who,
                         sl__shape_str(bias, b1, sizeof b1), (long long)(y->rank >= 2 ? y->shape[1] : 0));
    return sl__node_new(g, &op_add, SL_F64, y->rank, y->shape, 2, ins);
}
