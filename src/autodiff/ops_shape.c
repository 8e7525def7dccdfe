/* Shape ops: permute, reshape, slice (and its adjoint pad), gather (and its
 * adjoint scatter-add), concat, broadcast, roll.  Each is linear, so each
 * gradient is another op of this file. */
#include "broadcast.h"

/* Split a shape around `axis`: elements before it (outer) and after (inner). */
static void around(const sl_node *x, int axis, int64_t *outer, int64_t *inner)
{
    *outer = 1;
    *inner = 1;
    for (int i = 0; i < axis; ++i) *outer *= x->shape[i];
    for (int i = axis + 1; i < x->rank; ++i) *inner *= x->shape[i];
}

static int norm_axis(sl_graph *g, const char *who, int axis, int rank)
{
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
        sl__gfail(g, SL_ERR_ARG, "%s: axis = %d (node rank is %d)", who, axis, rank);
        return -1;
    }
    return a;
}

/* ---- permute -------------------------------------------------------------------- */
/* ia[0..rank-1] = the permutation (output axis i is input axis ia[i]) */
static void permute_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = n->in[0];
    size_t es = sl__dtype_size(n->dtype);
    int r = n->rank;
    int64_t xs[SL_MAX_RANK], st[SL_MAX_RANK], zero[SL_MAX_RANK] = {0};
    int64_t s = 1;
    for (int i = r - 1; i >= 0; --i) { xs[i] = s; s *= x->shape[i]; }
    for (int i = 0; i < r; ++i) st[i] = xs[n->ia[i]];
    if (es == 8) {
        const double *a = in[0];
        double *o = out;
        SL_BCAST_LOOP(r, n->shape, st, zero, { (void)ib; o[io] = a[ia]; });
    } else {
        const cplx *a = in[0];
        cplx *o = out;
        SL_BCAST_LOOP(r, n->shape, st, zero, { (void)ib; o[io] = a[ia]; });
    }
}

static void permute_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    int inv[SL_MAX_RANK];
    for (int i = 0; i < n->rank; ++i) inv[n->ia[i]] = i;
    gin[0] = sl_graph_permute(g, gy, inv);
}

static const sl_opdef op_permute = {"permute", permute_eval, permute_vjp, NULL, 0};

sl_node *sl_graph_permute(sl_graph *g, sl_node *x, const int *perm)
{
    const char *who = "sl_graph_permute";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (!perm && x->rank) return sl__gfail(g, SL_ERR_NULL, "%s: perm is NULL", who);
    int seen[SL_MAX_RANK] = {0}, identity = 1;
    int64_t shape[SL_MAX_RANK];
    for (int i = 0; i < x->rank; ++i) {
        if (perm[i] < 0 || perm[i] >= x->rank || seen[perm[i]])
            return sl__gfail(g, SL_ERR_ARG, "%s: perm[%d] = %d is not a permutation of 0..%d", who, i,
                             perm[i], x->rank - 1);
        seen[perm[i]] = 1;
        shape[i] = x->shape[perm[i]];
        identity &= perm[i] == i;
    }
    if (identity) return x;
    sl_node *n = sl__node_new(g, &op_permute, x->dtype, x->rank, shape, 1, &x);
    if (n)
        for (int i = 0; i < x->rank; ++i) n->ia[i] = perm[i];
    return n;
}

sl_node *sl_graph_transpose(sl_graph *g, sl_node *x)
{
    if (!sl__gcheck(g, "sl_graph_transpose", 1, &x)) return NULL;
    if (x->rank < 2) return sl__gfail(g, SL_ERR_SHAPE, "sl_graph_transpose: rank %d < 2", x->rank);
    int perm[SL_MAX_RANK];
    for (int i = 0; i < x->rank; ++i) perm[i] = i;
    perm[x->rank - 2] = x->rank - 1;
    perm[x->rank - 1] = x->rank - 2;
    return sl_graph_permute(g, x, perm);
}

sl_node *sl_graph_adjoint(sl_graph *g, sl_node *x)
{
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, "sl_graph_adjoint", sl_graph_conj(g, sl_graph_transpose(g, x)));
}

/* ---- reshape ---------------------------------------------------------------------- */
static void copy_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    memcpy(out, in[0], (size_t)n->numel * sl__dtype_size(n->dtype));
}

static void reshape_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    gin[0] = sl_graph_reshape(g, gy, n->in[0]->rank, n->in[0]->shape);
}

static const sl_opdef op_reshape = {"reshape", copy_eval, reshape_vjp, NULL, 0};

sl_node *sl_graph_reshape(sl_graph *g, sl_node *x, int rank, const int64_t *shape)
{
    const char *who = "sl_graph_reshape";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (rank < 0 || rank > SL_MAX_RANK)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: rank = %d (must be 0..%d)", who, rank, SL_MAX_RANK);
    if (rank && !shape) return sl__gfail(g, SL_ERR_NULL, "%s: shape is NULL", who);
    int64_t full[SL_MAX_RANK], known = 1;
    int infer = -1;
    for (int i = 0; i < rank; ++i) {
        full[i] = shape[i];
        if (shape[i] == -1 && infer < 0) { infer = i; continue; }
        if (shape[i] < 1) return sl__gfail(g, SL_ERR_SHAPE, "%s: shape[%d] = %lld", who, i, (long long)shape[i]);
        if (!sl__mul_ok(known, shape[i], &known))
            return sl__gfail(g, SL_ERR_SHAPE, "%s: the shape has more than 2^56 elements (shape[%d] = %lld)", who, i,
                             (long long)shape[i]);
    }
    if (infer >= 0) {
        if (x->numel % known)
            return sl__gfail(g, SL_ERR_SHAPE, "%s: %lld elements do not fit the shape", who, (long long)x->numel);
        full[infer] = x->numel / known;
        known = x->numel;
    }
    if (known != x->numel)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: %lld elements cannot take a shape of %lld", who,
                         (long long)x->numel, (long long)known);
    if (rank == x->rank && !memcmp(full, x->shape, sizeof(int64_t) * (size_t)rank)) return x;
    return sl__node_new(g, &op_reshape, x->dtype, rank, full, 1, &x);
}

/* ---- slice and pad ---------------------------------------------------------------
 * ia = {axis, start, step, full length (pad only)} */
static void slice_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = n->in[0];
    int axis = (int)n->ia[0];
    int64_t start = n->ia[1], step = n->ia[2], outer, inner, len = n->shape[axis];
    around(x, axis, &outer, &inner);
    size_t es = sl__dtype_size(n->dtype), row = (size_t)inner * es;
    const char *a = in[0];
    char *o = out;
    for (int64_t p = 0; p < outer; ++p)
        for (int64_t j = 0; j < len; ++j)
            memcpy(o + ((size_t)(p * len + j)) * row,
                   a + ((size_t)(p * x->shape[axis] + start + j * step)) * row, row);
}

static void pad_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = n->in[0];
    int axis = (int)n->ia[0];
    int64_t start = n->ia[1], step = n->ia[2], outer, inner, len = x->shape[axis];
    around(x, axis, &outer, &inner);
    size_t es = sl__dtype_size(n->dtype), row = (size_t)inner * es;
    memset(out, 0, (size_t)n->numel * es);
    const char *a = in[0];
    char *o = out;
    for (int64_t p = 0; p < outer; ++p)
        for (int64_t j = 0; j < len; ++j)
            memcpy(o + ((size_t)(p * n->shape[axis] + start + j * step)) * row,
                   a + ((size_t)(p * len + j)) * row, row);
}

static sl_node *pad(sl_graph *g, sl_node *x, int axis, int64_t start, int64_t step, int64_t full);

static void slice_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    int axis = (int)n->ia[0];
    gin[0] = pad(g, gy, axis, n->ia[1], n->ia[2], n->in[0]->shape[axis]);
}

static void pad_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    int axis = (int)n->ia[0];
    int64_t len = n->in[0]->shape[axis];
    gin[0] = sl_graph_slice(g, gy, axis, n->ia[1], n->ia[1] + (len - 1) * n->ia[2] + 1, n->ia[2]);
}

static const sl_opdef op_slice = {"slice", slice_eval, slice_vjp, NULL, 0};
static const sl_opdef op_pad = {"pad", pad_eval, pad_vjp, NULL, 0};

sl_node *sl_graph_slice(sl_graph *g, sl_node *x, int axis, int64_t start, int64_t stop, int64_t step)
{
    const char *who = "sl_graph_slice";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    int a = norm_axis(g, who, axis, x->rank);
    if (a < 0) return NULL;
    if (step < 1) return sl__gfail(g, SL_ERR_ARG, "%s: step = %lld (must be >= 1)", who, (long long)step);
    if (start < 0 || stop > x->shape[a] || start >= stop)
        return sl__gfail(g, SL_ERR_ARG, "%s: range [%lld, %lld) is empty or outside 0..%lld", who,
                         (long long)start, (long long)stop, (long long)x->shape[a]);
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof shape);
    shape[a] = (stop - start - 1) / step + 1;   /* no overflow for any step >= 1 */
    if (shape[a] == x->shape[a]) return x;
    sl_node *n = sl__node_new(g, &op_slice, x->dtype, x->rank, shape, 1, &x);
    if (n) { n->ia[0] = a; n->ia[1] = start; n->ia[2] = step; }
    return n;
}

static sl_node *pad(sl_graph *g, sl_node *x, int axis, int64_t start, int64_t step, int64_t full)
{
    if (!sl__gcheck(g, "pad", 1, &x)) return NULL;
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof shape);
    shape[axis] = full;
    if (full == x->shape[axis]) return x;
    sl_node *n = sl__node_new(g, &op_pad, x->dtype, x->rank, shape, 1, &x);
    if (n) { n->ia[0] = axis; n->ia[1] = start; n->ia[2] = step; }
    return n;
}

/* ---- gather and scatter-add --------------------------------------------------------
 * ia = {axis}; idx = the indices (count = output length for gather, input
 * length for scatter). */
static void gather_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = n->in[0];
    int axis = (int)n->ia[0];
    int64_t outer, inner, cnt = n->shape[axis];
    around(x, axis, &outer, &inner);
    size_t row = (size_t)inner * sl__dtype_size(n->dtype);
    const char *a = in[0];
    char *o = out;
    for (int64_t p = 0; p < outer; ++p)
        for (int64_t j = 0; j < cnt; ++j)
            memcpy(o + (size_t)(p * cnt + j) * row, a + (size_t)(p * x->shape[axis] + n->idx[j]) * row, row);
}

static void scatter_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = n->in[0];
    int axis = (int)n->ia[0];
    int64_t outer, inner, cnt = x->shape[axis], full = n->shape[axis];
    around(x, axis, &outer, &inner);
    int64_t w = n->dtype == SL_C128 ? 2 * inner : inner;
    const double *a = in[0];
    double *o = out;
    memset(out, 0, (size_t)n->numel * sl__dtype_size(n->dtype));
    for (int64_t p = 0; p < outer; ++p)
        for (int64_t j = 0; j < cnt; ++j) {
            double *dst = o + (p * full + n->idx[j]) * w;
            const double *src = a + (p * cnt + j) * w;
            for (int64_t i = 0; i < w; ++i) dst[i] += src[i];
        }
}

static sl_node *scatter_add(sl_graph *g, sl_node *x, int axis, const int64_t *idx, int64_t full);

static void gather_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    int axis = (int)n->ia[0];
    gin[0] = scatter_add(g, gy, axis, n->idx, n->in[0]->shape[axis]);
}

static void scatter_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    int axis = (int)n->ia[0];
    gin[0] = sl_graph_gather(g, gy, axis, n->in[0]->shape[axis], n->idx);
}

static const sl_opdef op_gather = {"gather", gather_eval, gather_vjp, NULL, 0};
static const sl_opdef op_scatter = {"scatter_add", scatter_eval, scatter_vjp, NULL, 0};

sl_node *sl_graph_gather(sl_graph *g, sl_node *x, int axis, int64_t count, const int64_t *index)
{
    const char *who = "sl_graph_gather";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    int a = norm_axis(g, who, axis, x->rank);
    if (a < 0) return NULL;
    if (count < 1) return sl__gfail(g, SL_ERR_ARG, "%s: count = %lld (must be >= 1)", who, (long long)count);
    if (!index) return sl__gfail(g, SL_ERR_NULL, "%s: index is NULL", who);
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof shape);
    shape[a] = count;
    if (!sl__gshape_ok(g, who, x->rank, shape)) return NULL;
    for (int64_t j = 0; j < count; ++j)
        if (index[j] < 0 || index[j] >= x->shape[a])
            return sl__gfail(g, SL_ERR_ARG, "%s: index[%lld] = %lld outside 0..%lld", who, (long long)j,
                             (long long)index[j], (long long)x->shape[a] - 1);
    sl_node *n = sl__node_new(g, &op_gather, x->dtype, x->rank, shape, 1, &x);
    if (!n) return NULL;
    n->ia[0] = a;
    n->idx = sl__graph_mem(g, sizeof(int64_t) * (size_t)count);
    if (!n->idx) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    memcpy(n->idx, index, sizeof(int64_t) * (size_t)count);
    return n;
}

static sl_node *scatter_add(sl_graph *g, sl_node *x, int axis, const int64_t *idx, int64_t full)
{
    if (!sl__gcheck(g, "scatter_add", 1, &x)) return NULL;
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof shape);
    shape[axis] = full;
    sl_node *n = sl__node_new(g, &op_scatter, x->dtype, x->rank, shape, 1, &x);
    if (!n) return NULL;
    n->ia[0] = axis;
    n->idx = (int64_t *)idx; /* owned by the gather node, same arena */
    return n;
}

/* ---- concat ------------------------------------------------------------------------- */
/* ia = {axis} */
static void concat_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int axis = (int)n->ia[0];
    int64_t outer, inner;
    around(n, axis, &outer, &inner);
    size_t es = sl__dtype_size(n->dtype);
    char *o = out;
    for (int64_t p = 0; p < outer; ++p)
        for (int k = 0; k < n->nin; ++k) {
            size_t blk = (size_t)(n->in[k]->shape[axis] * inner) * es;
            memcpy(o, (const char *)in[k] + (size_t)p * blk, blk);
            o += blk;
        }
}

static void concat_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    int axis = (int)n->ia[0];
    int64_t off = 0;
    for (int k = 0; k < n->nin; ++k) {
        int64_t len = n->in[k]->shape[axis];
        if (need[k]) gin[k] = sl_graph_slice(g, gy, axis, off, off + len, 1);
        off += len;
    }
}

static const sl_opdef op_concat = {"concat", concat_eval, concat_vjp, NULL, 0};

sl_node *sl_graph_concat(sl_graph *g, int n, sl_node *const *xs, int axis)
{
    const char *who = "sl_graph_concat";
    if (!g || g->status) return NULL;
    if (n < 1 || !xs) return sl__gfail(g, SL_ERR_ARG, "%s: n = %d nodes (need >= 1 and xs != NULL)", who, n);
    if (!sl__gcheck(g, who, n, xs)) return NULL;
    int a = norm_axis(g, who, axis, xs[0]->rank);
    if (a < 0) return NULL;
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, xs[0]->shape, sizeof shape);
    for (int k = 1; k < n; ++k) {
        if (xs[k]->dtype != xs[0]->dtype)
            return sl__gfail(g, SL_ERR_DTYPE, "%s: node %d is %s, node 1 is %s", who, k + 1,
                             sl__dtype_name(xs[k]->dtype), sl__dtype_name(xs[0]->dtype));
        if (xs[k]->rank != xs[0]->rank)
            return sl__gfail(g, SL_ERR_SHAPE, "%s: node %d has rank %d, node 1 rank %d", who, k + 1,
                             xs[k]->rank, xs[0]->rank);
        for (int i = 0; i < xs[0]->rank; ++i)
            if (i != a && xs[k]->shape[i] != xs[0]->shape[i])
                return sl__gfail(g, SL_ERR_SHAPE, "%s: node %d differs in axis %d", who, k + 1, i);
        if (xs[k]->shape[a] > SL_MAX_ELEMENTS - shape[a])
            return sl__gfail(g, SL_ERR_SHAPE, "%s: axis %d of the result is longer than 2^56", who, a);
        shape[a] += xs[k]->shape[a];
    }
    if (!sl__gshape_ok(g, who, xs[0]->rank, shape)) return NULL;
    if (n == 1) return xs[0];
    sl_node *c = sl__node_new(g, &op_concat, xs[0]->dtype, xs[0]->rank, shape, n, xs);
    if (c) c->ia[0] = a;
    return c;
}

/* ---- broadcast ------------------------------------------------------------------------ */
static void broadcast_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *x = n->in[0];
    int64_t sa[SL_MAX_RANK], zero[SL_MAX_RANK] = {0};
    sl__bcast_strides(n->rank, n->shape, x->rank, x->shape, sa);
    /* x repeated whole along leading axes (its shape is the output's last
     * axes): copies of it */
    int lead = n->rank;
    while (lead > 0 && sa[lead - 1] != 0) --lead;
    int64_t tail = 1;
    for (int i = lead; i < n->rank; ++i) tail *= n->shape[i];
    if (tail == x->numel && tail > 1) {
        size_t bytes = (size_t)tail * sl__dtype_size(n->dtype);
        for (int64_t q = 0; q < n->numel / tail; ++q) memcpy((char *)out + (size_t)q * bytes, in[0], bytes);
        return;
    }
    if (n->dtype == SL_F64) {
        const double *a = in[0];
        double *o = out;
        if (x->numel == 1) {
            double v = a[0];
            for (int64_t i = 0; i < n->numel; ++i) o[i] = v;
            return;
        }
        SL_BCAST_LOOP(n->rank, n->shape, sa, zero, { (void)ib; o[io] = a[ia]; });
    } else {
        const cplx *a = in[0];
        cplx *o = out;
        SL_BCAST_LOOP(n->rank, n->shape, sa, zero, { (void)ib; o[io] = a[ia]; });
    }
}

static void broadcast_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    gin[0] = sl__sum_to_node(g, gy, n->in[0]);
}

static const sl_opdef op_broadcast = {"broadcast", broadcast_eval, broadcast_vjp, NULL, 0};

sl_node *sl_graph_broadcast(sl_graph *g, sl_node *x, int rank, const int64_t *shape)
{
    const char *who = "sl_graph_broadcast";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    sl_status st = sl__check_shape(g->ctx, who, rank, shape);
    if (st) return sl__gkeep(g, st);
    int r;
    int64_t out[SL_MAX_RANK];
    if (!sl__broadcast_shape(x->rank, x->shape, rank, shape, &r, out) || r != rank ||
        sl__numel(r, out) != sl__numel(rank, shape))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: a rank-%d node does not broadcast to the rank-%d shape",
                         who, x->rank, rank);
    if (rank == x->rank && sl__numel(rank, shape) == x->numel) return x;
    if (x->fill) return sl_graph_full(g, x->dtype, rank, shape, x->s[0], x->s[1]);
    return sl__node_new(g, &op_broadcast, x->dtype, rank, shape, 1, &x);
}

/* ---- roll ------------------------------------------------------------------------------ */
/* ia = {axis, shift} */
static void roll_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int axis = (int)n->ia[0];
    int64_t outer, inner, len = n->shape[axis], shift = n->ia[1];
    around(n, axis, &outer, &inner);
    size_t row = (size_t)inner * sl__dtype_size(n->dtype);
    const char *a = in[0];
    char *o = out;
    /* result[i] = x[(i - shift) mod len]: two contiguous blocks per outer index */
    int64_t head = shift;           /* result rows 0..shift-1 come from x[len-shift..] */
    for (int64_t p = 0; p < outer; ++p) {
        const char *src = a + (size_t)(p * len) * row;
        char *dst = o + (size_t)(p * len) * row;
        memcpy(dst, src + (size_t)(len - head) * row, (size_t)head * row);
        memcpy(dst + (size_t)head * row, src, (size_t)(len - head) * row);
    }
}

static void roll_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    gin[0] = sl_graph_roll(g, gy, (int)n->ia[0], -n->ia[1]);
}

static const sl_opdef op_roll = {"roll", roll_eval, roll_vjp, NULL, 0};

sl_node *sl_graph_roll(sl_graph *g, sl_node *x, int axis, int64_t shift)
{
    const char *who = "sl_graph_roll";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    int a = norm_axis(g, who, axis, x->rank);
    if (a < 0) return NULL;
    int64_t len = x->shape[a], s = ((shift % len) + len) % len;
    if (s == 0) return x;
    sl_node *n = sl__node_new(g, &op_roll, x->dtype, x->rank, x->shape, 1, &x);
    if (n) { n->ia[0] = a; n->ia[1] = s; }
    return n;
}
