/* Reductions: sum and mean over axes (pairwise, fixed order), trace, and the
 * sum-to-shape helper that undoes broadcasting in gradients. */
#include "graph_internal.h"
#include "../kernels/velem.h"

/* Pairwise sum of n doubles at stride s: error O(log n) eps instead of O(n). */
static double pairwise(const double *x, int64_t n, int64_t s)
{
    if (n <= 32) {
        double acc = 0;
        for (int64_t i = 0; i < n; ++i) acc += x[i * s];
        return acc;
    }
    int64_t h = n / 2;
    return pairwise(x, h, s) + pairwise(x + h * s, n - h, s);
}

/* ia[0..rank-1]: 1 for reduced axes; ia[SL_MAX_RANK] = first reduced axis,
 * ia[SL_MAX_RANK + 1] = last, ia[SL_MAX_RANK + 2] = 1 if they are contiguous. */
#define RED_FIRST(n) ((n)->ia[SL_MAX_RANK])
#define RED_LAST(n) ((n)->ia[SL_MAX_RANK + 1])
#define RED_RUN(n) ((n)->ia[SL_MAX_RANK + 2])

static void split(const sl_node *n, int64_t *outer, int64_t *red, int64_t *inner)
{
    const sl_node *x = n->in[0];
    *outer = *red = *inner = 1;
    for (int i = 0; i < x->rank; ++i) {
        if (i < RED_FIRST(n)) *outer *= x->shape[i];
        else if (i <= RED_LAST(n)) *red *= x->shape[i];
        else *inner *= x->shape[i];
    }
}

static size_t sum_scratch(const sl_node *n)
{
    int64_t outer, red, inner;
    split(n, &outer, &red, &inner);
    return RED_RUN(n) && inner > 1 ? (size_t)inner * sl__dtype_size(n->dtype) : 0;
}

#define ROW_BLOCK 256

static void sum_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    const sl_node *x = n->in[0];
    const double *a = in[0];
    double *o = out;
    int c = n->dtype == SL_C128 ? 2 : 1;
    if (RED_RUN(n)) {
        int64_t outer, red, inner;
        split(n, &outer, &red, &inner);
        if (inner == 1) {
            for (int64_t p = 0; p < outer; ++p)
                for (int k = 0; k < c; ++k) o[p * c + k] = pairwise(a + p * red * c + k, red, c);
            return;
        }
        /* Rows of `inner` values: partial sums over blocks of ROW_BLOCK rows,
         * added block by block. */
        int64_t w = inner * c;
        double *part = scratch;
        for (int64_t p = 0; p < outer; ++p) {
            double *dst = o + p * w;
            const double *src = a + p * red * w;
            memset(dst, 0, (size_t)w * sizeof(double));
            for (int64_t r0 = 0; r0 < red; r0 += ROW_BLOCK) {
                int64_t r1 = r0 + ROW_BLOCK < red ? r0 + ROW_BLOCK : red;
                memcpy(part, src + r0 * w, (size_t)w * sizeof(double));
                sl__vaccumulate_rows(part, src + (r0 + 1) * w, r1 - r0 - 1, w);
                sl__vaccumulate(dst, part, w);
            }
        }
        return;
    }
    /* General case: accumulate each input element into its output slot, in
     * row-major input order. */
    memset(out, 0, (size_t)n->numel * sizeof(double) * (size_t)c);
    int64_t idx[SL_MAX_RANK] = {0}, ost[SL_MAX_RANK], s = 1;
    for (int i = x->rank - 1; i >= 0; --i) {
        ost[i] = n->ia[i] ? 0 : s;
        if (!n->ia[i]) s *= x->shape[i];
    }
    for (int64_t e = 0; e < x->numel; ++e) {
        int64_t off = 0;
        for (int i = 0; i < x->rank; ++i) off += idx[i] * ost[i];
        for (int k = 0; k < c; ++k) o[off * c + k] += a[e * c + k];
        for (int i = x->rank - 1; i >= 0; --i) {
            if (++idx[i] < x->shape[i]) break;
            idx[i] = 0;
        }
    }
}

static void sum_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    const sl_node *x = n->in[0];
    int64_t kshape[SL_MAX_RANK];
    for (int i = 0; i < x->rank; ++i) kshape[i] = n->ia[i] ? 1 : x->shape[i];
    sl_node *k = sl_graph_reshape(g, gy, x->rank, kshape);
    gin[0] = sl_graph_broadcast(g, k, x->rank, x->shape);
}

static const sl_opdef op_sum = {"sum", sum_eval, sum_vjp, sum_scratch, 0};

static sl_node *sum_axes(sl_graph *g, const char *who, sl_node *x, int naxes, const int *axes, int keepdims)
{
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (naxes < 0 || (naxes > 0 && !axes))
        return sl__gfail(g, SL_ERR_ARG, "%s: naxes = %d with axes %s", who, naxes, axes ? "set" : "NULL");
    if (keepdims != 0 && keepdims != 1)
        return sl__gfail(g, SL_ERR_ARG, "%s: keepdims = %d (must be 0 or 1)", who, keepdims);
    int mask[SL_MAX_RANK] = {0};
    for (int k = 0; k < naxes; ++k) {
        int a = axes[k] < 0 ? axes[k] + x->rank : axes[k];
        if (a < 0 || a >= x->rank)
            return sl__gfail(g, SL_ERR_ARG, "%s: axes[%d] = %d (node rank is %d)", who, k, axes[k], x->rank);
        if (mask[a])
            return sl__gfail(g, SL_ERR_ARG, "%s: axes[%d] = %d repeats axis %d", who, k, axes[k], a);
        mask[a] = 1;
    }
    int64_t shape[SL_MAX_RANK];
    int rank = 0, first = -1, last = -1, count = 0, any = 0;
    for (int i = 0; i < x->rank; ++i) {
        if (mask[i] && x->shape[i] > 1) any = 1;
        if (mask[i]) {
            if (first < 0) first = i;
            last = i;
            count++;
            if (keepdims) shape[rank++] = 1;
        } else {
            shape[rank++] = x->shape[i];
        }
    }
    if (!count) return x;
    if (!any) return sl_graph_reshape(g, x, rank, shape);
    sl_node *n = sl__node_new(g, &op_sum, x->dtype, rank, shape, 1, &x);
    if (!n) return NULL;
    for (int i = 0; i < x->rank; ++i) n->ia[i] = mask[i];
    RED_FIRST(n) = first;
    RED_LAST(n) = last;
    RED_RUN(n) = (last - first + 1 == count);
    return n;
}

sl_node *sl_graph_sum_axes(sl_graph *g, sl_node *x, int naxes, const int *axes, int keepdims)
{
    return sum_axes(g, "sl_graph_sum_axes", x, naxes, axes, keepdims);
}

static sl_node *sum_all(sl_graph *g, const char *who, sl_node *x)
{
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    int axes[SL_MAX_RANK];
    for (int i = 0; i < x->rank; ++i) axes[i] = i;
    if (x->rank == 0) return x;
    return sum_axes(g, who, x, x->rank, axes, 0);
}

sl_node *sl_graph_sum(sl_graph *g, sl_node *x) { return sum_all(g, "sl_graph_sum", x); }

sl_node *sl_graph_mean(sl_graph *g, sl_node *x)
{
    sl_status before = sl_graph_status(g);
    sl_node *s = sum_all(g, "sl_graph_mean", x);
    return sl__gwho(g, before, "sl_graph_mean", s ? sl_graph_mul_scalar(g, s, 1.0 / (double)x->numel) : NULL);
}

sl_node *sl_graph_mean_axes(sl_graph *g, sl_node *x, int naxes, const int *axes, int keepdims)
{
    const char *who = "sl_graph_mean_axes";
    sl_status before = sl_graph_status(g);
    sl_node *s = sum_axes(g, who, x, naxes, axes, keepdims);
    return sl__gwho(g, before, who, s ? sl_graph_mul_scalar(g, s, (double)s->numel / (double)x->numel) : NULL);
}

sl_node *sl__sum_to(sl_graph *g, sl_node *x, int rank, const int64_t *shape)
{
    if (!x) return NULL;
    if (x->rank == rank && x->numel == sl__numel(rank, shape)) return x;
    int axes[SL_MAX_RANK], n = 0, lead = x->rank - rank;
    for (int i = 0; i < x->rank; ++i)
        if (i < lead || (shape[i - lead] == 1 && x->shape[i] != 1)) axes[n++] = i;
    sl_node *s = sl_graph_sum_axes(g, x, n, axes, 1);
    return sl_graph_reshape(g, s, rank, shape);
}

sl_node *sl__sum_to_node(sl_graph *g, sl_node *x, const sl_node *like)
{
    return sl__sum_to(g, x, like->rank, like->shape);
}

/* ---- trace ----------------------------------------------------------------------- */
static void trace_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t m = n->in[0]->shape[n->in[0]->rank - 1];
    int c = n->dtype == SL_C128 ? 2 : 1;
    const double *a = in[0];
    double *o = out;
    for (int64_t b = 0; b < n->numel; ++b)
        for (int k = 0; k < c; ++k) {
            double acc = 0;
            for (int64_t i = 0; i < m; ++i) acc += a[((b * m + i) * m + i) * c + k];
            o[b * c + k] = acc;
        }
}

/* d tr(X) = tr(dX): the gradient is gy times the identity in each matrix. */
static void trace_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    const sl_node *x = n->in[0];
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, n->shape, sizeof(int64_t) * (size_t)n->rank);
    shape[n->rank] = shape[n->rank + 1] = 1;
    sl_node *e = sl_graph_eye(g, x->dtype, x->shape[x->rank - 1]);
    gin[0] = sl_graph_mul(g, sl_graph_reshape(g, gy, n->rank + 2, shape), e);
}

static const sl_opdef op_trace = {"trace", trace_eval, trace_vjp, NULL, 0};

sl_node *sl_graph_trace(sl_graph *g, sl_node *x)
{
    const char *who = "sl_graph_trace";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (x->rank < 2 || x->shape[x->rank - 1] != x->shape[x->rank - 2])
        return sl__gfail(g, SL_ERR_SHAPE, "%s: needs square matrices in the last two axes", who);
    return sl__node_new(g, &op_trace, x->dtype, x->rank - 2, x->shape, 1, &x);
}
