/* Dense strided tensors: creation, wrapping of user memory, views, copies. */
#include "tensor_internal.h"

#include <math.h>

/* *out (the caller's checked pointer, or a local) receives the header. */
static sl_status new_header(sl_ctx *ctx, const char *who, sl_dtype dtype, int rank,
                            const int64_t *shape, sl_tensor **out)
{
    *out = NULL;
    if (!sl__dtype_ok(dtype))
        return sl__fail(ctx, SL_ERR_DTYPE, "%s: dtype = %d (must be SL_F64 or SL_C128)", who, dtype);
    sl_status st = sl__check_shape(ctx, who, rank, shape);
    if (st) return st;
    sl_tensor *t = sl__alloc(ctx, sizeof *t, 1, who);
    if (!t) return SL_ERR_NOMEM;
    t->ctx = ctx;
    t->dtype = dtype;
    t->rank = rank;
    int64_t s = 1;
    for (int a = rank - 1; a >= 0; --a) {
        t->shape[a] = shape[a];
        t->strides[a] = s;
        s *= shape[a];
    }
    *out = t;
    return SL_OK;
}

sl_status sl_tensor_create(sl_ctx *ctx, sl_dtype dtype, int rank, const int64_t *shape,
                           sl_tensor **out)
{
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "sl_tensor_create: out is NULL");
    *out = NULL;
    sl_tensor *t;
    sl_status st = new_header(ctx, "sl_tensor_create", dtype, rank, shape, &t);
    if (st) return st;
    size_t bytes = (size_t)sl__numel(rank, shape) * sl__dtype_size(dtype);
    t->data = sl__alloc(ctx, bytes, 1, "sl_tensor_create");
    if (!t->data) { sl__free(ctx, t); return SL_ERR_NOMEM; }
    t->owns = 1;
    *out = t;
    return SL_OK;
}

sl_status sl_tensor_wrap(sl_ctx *ctx, sl_dtype dtype, int rank, const int64_t *shape,
                         const int64_t *strides, void *data, sl_tensor **out)
{
    const char *who = "sl_tensor_wrap";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!data) return sl__fail(ctx, SL_ERR_NULL, "%s: data is NULL", who);
    if (!sl__dtype_ok(dtype))
        return sl__fail(ctx, SL_ERR_DTYPE, "%s: dtype = %d (must be SL_F64 or SL_C128)", who, dtype);
    sl_status st = sl__check_shape(ctx, who, rank, shape);
    if (st) return st;
    if (strides) {
        /* the last element's offset, in elements, must stay within SL_MAX_ELEMENTS
         * so that every byte offset fits an int64_t */
        int64_t span = 0, term;
        for (int a = 0; a < rank; ++a) {
            if (strides[a] < 0)
                return sl__fail(ctx, SL_ERR_ARG, "%s: strides[%d] = %lld (must be >= 0)", who, a,
                                (long long)strides[a]);
            if (!sl__mul_ok(shape[a] - 1, strides[a], &term) || term > SL_MAX_ELEMENTS - span)
                return sl__fail(ctx, SL_ERR_ARG, "%s: strides[%d] = %lld reaches past 2^56 elements", who, a,
                                (long long)strides[a]);
            span += term;
        }
    }
    sl_tensor *t;
    st = new_header(ctx, who, dtype, rank, shape, &t);
    if (st) return st;
    if (strides)
        for (int a = 0; a < rank; ++a) t->strides[a] = strides[a];
    t->data = data;
    *out = t;
    return SL_OK;
}

void sl_tensor_destroy(sl_tensor *t)
{
    if (!t) return;
    if (t->owns) sl__free(t->ctx, t->data);
    sl__free(t->ctx, t);
}

sl_dtype sl_tensor_dtype(const sl_tensor *t) { return t ? t->dtype : 0; }
int sl_tensor_rank(const sl_tensor *t) { return t ? t->rank : 0; }
int64_t sl_tensor_dim(const sl_tensor *t, int a) { return t && a >= 0 && a < t->rank ? t->shape[a] : 0; }
int64_t sl_tensor_stride(const sl_tensor *t, int a) { return t && a >= 0 && a < t->rank ? t->strides[a] : 0; }
int64_t sl_tensor_numel(const sl_tensor *t) { return t ? sl__numel(t->rank, t->shape) : 0; }
void *sl_tensor_data(const sl_tensor *t) { return t ? t->data : NULL; }
sl_ctx *sl_tensor_ctx(const sl_tensor *t) { return t ? t->ctx : NULL; }

int sl_tensor_is_contiguous(const sl_tensor *t)
{
    if (!t) return 0;
    int64_t s = 1;
    for (int a = t->rank - 1; a >= 0; --a) {
        if (t->shape[a] != 1 && t->strides[a] != s) return 0;
        s *= t->shape[a];
    }
    return 1;
}

/* t and out of a view or clone: NULL t has no context to hold a message. */
#define CHECK_VIEW_ARGS(t, out, who)                                              \
    do {                                                                          \
        if (out) *(out) = NULL;                                                   \
        if (!(t)) return SL_ERR_NULL;                                             \
        if (!(out)) return sl__fail((t)->ctx, SL_ERR_NULL, "%s: out is NULL", who); \
    } while (0)

static sl_status view_of(const sl_tensor *t, const char *who, sl_tensor **out)
{
    sl_tensor *v = sl__alloc(t->ctx, sizeof *v, 0, who);
    if (!v) return SL_ERR_NOMEM;
    *v = *t;
    v->owns = 0;
    *out = v;
    return SL_OK;
}

sl_status sl_tensor_slice(const sl_tensor *t, int axis, int64_t start, int64_t stop, int64_t step,
                          sl_tensor **out)
{
    const char *who = "sl_tensor_slice";
    CHECK_VIEW_ARGS(t, out, who);
    if (axis < 0 || axis >= t->rank)
        return sl__fail(t->ctx, SL_ERR_ARG, "%s: axis = %d (rank is %d)", who, axis, t->rank);
    if (step < 1) return sl__fail(t->ctx, SL_ERR_ARG, "%s: step = %lld (must be >= 1)", who, (long long)step);
    if (start < 0 || stop > t->shape[axis] || start >= stop)
        return sl__fail(t->ctx, SL_ERR_ARG, "%s: range [%lld, %lld) is empty or outside 0..%lld", who,
                        (long long)start, (long long)stop, (long long)t->shape[axis]);
    sl_tensor *v;
    sl_status st = view_of(t, who, &v);
    if (st) return st;
    v->data += start * t->strides[axis] * (int64_t)sl__dtype_size(t->dtype);
    v->shape[axis] = (stop - start - 1) / step + 1;   /* no overflow for any step >= 1 */
    if (v->shape[axis] > 1) v->strides[axis] *= step;   /* < the old span: wrap bounded it */
    *out = v;
    return SL_OK;
}

sl_status sl_tensor_permute(const sl_tensor *t, const int *perm, sl_tensor **out)
{
    const char *who = "sl_tensor_permute";
    CHECK_VIEW_ARGS(t, out, who);
    if (!perm && t->rank > 0) return sl__fail(t->ctx, SL_ERR_NULL, "%s: perm is NULL", who);
    int seen[SL_MAX_RANK] = {0};
    for (int i = 0; i < t->rank; ++i) {
        if (perm[i] < 0 || perm[i] >= t->rank || seen[perm[i]])
            return sl__fail(t->ctx, SL_ERR_ARG, "%s: perm[%d] = %d is not a permutation of 0..%d", who,
                            i, perm[i], t->rank - 1);
        seen[perm[i]] = 1;
    }
    sl_tensor *v;
    sl_status st = view_of(t, who, &v);
    if (st) return st;
    for (int i = 0; i < t->rank; ++i) {
        v->shape[i] = t->shape[perm[i]];
        v->strides[i] = t->strides[perm[i]];
    }
    *out = v;
    return SL_OK;
}

sl_status sl_tensor_transpose(const sl_tensor *t, int a0, int a1, sl_tensor **out)
{
    CHECK_VIEW_ARGS(t, out, "sl_tensor_transpose");
    if (a0 < 0 || a0 >= t->rank || a1 < 0 || a1 >= t->rank)
        return sl__fail(t->ctx, SL_ERR_ARG, "sl_tensor_transpose: axes (%d, %d) outside 0..%d", a0, a1,
                        t->rank - 1);
    int perm[SL_MAX_RANK];
    for (int i = 0; i < t->rank; ++i) perm[i] = i;
    perm[a0] = a1;
    perm[a1] = a0;
    return sl_tensor_permute(t, perm, out);
}

sl_status sl_tensor_reshape(const sl_tensor *t, int rank, const int64_t *shape, sl_tensor **out)
{
    const char *who = "sl_tensor_reshape";
    CHECK_VIEW_ARGS(t, out, who);
    if (rank < 0 || rank > SL_MAX_RANK)
        return sl__fail(t->ctx, SL_ERR_SHAPE, "%s: rank = %d (must be 0..%d)", who, rank, SL_MAX_RANK);
    if (rank > 0 && !shape) return sl__fail(t->ctx, SL_ERR_NULL, "%s: shape is NULL", who);
    if (!sl_tensor_is_contiguous(t))
        return sl__fail(t->ctx, SL_ERR_SHAPE, "%s: tensor is not contiguous (copy it with sl_tensor_clone)", who);
    int64_t full[SL_MAX_RANK], known = 1, n = sl_tensor_numel(t);
    int infer = -1;
    for (int i = 0; i < rank; ++i) {
        full[i] = shape[i];
        if (shape[i] == -1 && infer < 0) { infer = i; continue; }
        if (shape[i] < 1)
            return sl__fail(t->ctx, SL_ERR_SHAPE, "%s: shape[%d] = %lld", who, i, (long long)shape[i]);
        if (!sl__mul_ok(known, shape[i], &known))
            return sl__fail(t->ctx, SL_ERR_SHAPE, "%s: the shape has more than 2^56 elements (shape[%d] = %lld)",
                            who, i, (long long)shape[i]);
    }
    if (infer >= 0) {
        if (n % known) return sl__fail(t->ctx, SL_ERR_SHAPE, "%s: %lld elements do not divide into the shape", who, (long long)n);
        full[infer] = n / known;
        known = n;
    }
    if (known != n)
        return sl__fail(t->ctx, SL_ERR_SHAPE, "%s: %lld elements cannot take a shape of %lld", who,
                        (long long)n, (long long)known);
    sl_tensor *v;
    sl_status st = view_of(t, who, &v);
    if (st) return st;
    v->rank = rank;
    int64_t s = 1;
    for (int a = rank - 1; a >= 0; --a) {
        v->shape[a] = full[a];
        v->strides[a] = s;
        s *= full[a];
    }
    *out = v;
    return SL_OK;
}

void sl__tensor_gather(const sl_tensor *t, void *dst)
{
    size_t es = sl__dtype_size(t->dtype);
    int64_t n = sl_tensor_numel(t);
    if (sl_tensor_is_contiguous(t)) { memcpy(dst, t->data, (size_t)n * es); return; }
    for (int64_t i = 0; i < n; ++i) memcpy((char *)dst + i * es, t->data + sl__tensor_offset(t, i), es);
}

sl_status sl_tensor_clone(const sl_tensor *t, sl_tensor **out)
{
    CHECK_VIEW_ARGS(t, out, "sl_tensor_clone");
    sl_tensor *c;
    sl_status st = sl_tensor_create(t->ctx, t->dtype, t->rank, t->shape, &c);
    if (st) return sl__rewho(t->ctx, st, "sl_tensor_clone");
    sl__tensor_gather(t, c->data);
    *out = c;
    return SL_OK;
}

sl_status sl_tensor_copy(sl_tensor *dst, const sl_tensor *src)
{
    if (!dst || !src) return dst ? sl__fail(dst->ctx, SL_ERR_NULL, "sl_tensor_copy: src is NULL") : SL_ERR_NULL;
    if (dst->dtype != src->dtype)
        return sl__fail(dst->ctx, SL_ERR_DTYPE, "sl_tensor_copy: dst is %s, src is %s",
                        sl__dtype_name(dst->dtype), sl__dtype_name(src->dtype));
    if (dst->rank != src->rank || memcmp(dst->shape, src->shape, sizeof(int64_t) * (size_t)dst->rank))
        return sl__fail(dst->ctx, SL_ERR_SHAPE, "sl_tensor_copy: dst and src shapes differ");
    size_t es = sl__dtype_size(dst->dtype);
    int64_t n = sl_tensor_numel(dst);
    for (int64_t i = 0; i < n; ++i)
        memcpy(dst->data + sl__tensor_offset(dst, i), src->data + sl__tensor_offset(src, i), es);
    return SL_OK;
}

/* Apply f to every real component (1 per f64 element, 2 per c128) in
 * row-major order; k counts components. */
#define FOR_COMPONENTS(t, k, ptr, body)                                                \
    do {                                                                               \
        int64_t n_ = sl_tensor_numel(t), nc_ = (t)->dtype == SL_C128 ? 2 : 1;           \
        for (int64_t i_ = 0; i_ < n_; ++i_) {                                          \
            double *e_ = (double *)((t)->data + sl__tensor_offset(t, i_));             \
            for (int64_t c_ = 0; c_ < nc_; ++c_) {                                     \
                uint64_t k = (uint64_t)(i_ * nc_ + c_);                                \
                double *ptr = e_ + c_;                                                 \
                body;                                                                  \
            }                                                                          \
        }                                                                              \
    } while (0)

sl_status sl_tensor_fill(sl_tensor *t, double re, double im)
{
    if (!t) return SL_ERR_NULL;
    FOR_COMPONENTS(t, k, p, *p = (k & 1) && t->dtype == SL_C128 ? im : re);
    return SL_OK;
}

sl_status sl_tensor_fill_uniform(sl_tensor *t, uint64_t seed, double lo, double hi)
{
    if (!t) return SL_ERR_NULL;
    if (!isfinite(lo) || !isfinite(hi) || hi < lo)
        return sl__fail(t->ctx, SL_ERR_ARG, "sl_tensor_fill_uniform: [lo, hi] = [%g, %g]", lo, hi);
    FOR_COMPONENTS(t, k, p, *p = lo + (hi - lo) * sl_rng_uniform(seed, k));
    return SL_OK;
}

sl_status sl_tensor_fill_normal(sl_tensor *t, uint64_t seed, double mean, double std)
{
    if (!t) return SL_ERR_NULL;
    if (!isfinite(mean) || !isfinite(std) || std < 0)
        return sl__fail(t->ctx, SL_ERR_ARG, "sl_tensor_fill_normal: mean = %g, std = %g", mean, std);
    FOR_COMPONENTS(t, k, p, *p = mean + std * sl_rng_normal(seed, k));
    return SL_OK;
}

static sl_status element(const sl_tensor *t, const char *who, const int64_t *index, const void *val,
                         double **where)
{
    if (!t) return SL_ERR_NULL;
    if (!val) return sl__fail(t->ctx, SL_ERR_NULL, "%s: value is NULL", who);
    if (!index && t->rank > 0) return sl__fail(t->ctx, SL_ERR_NULL, "%s: index is NULL", who);
    int64_t off = 0;
    for (int a = 0; a < t->rank; ++a) {
        if (index[a] < 0 || index[a] >= t->shape[a])
            return sl__fail(t->ctx, SL_ERR_ARG, "%s: index[%d] = %lld outside 0..%lld", who, a,
                            (long long)index[a], (long long)t->shape[a] - 1);
        off += index[a] * t->strides[a];
    }
    *where = (double *)(t->data + off * (int64_t)sl__dtype_size(t->dtype));
    return SL_OK;
}

sl_status sl_tensor_get(const sl_tensor *t, const int64_t *index, double *value)
{
    double *p;
    sl_status st = element(t, "sl_tensor_get", index, value, &p);
    if (st) return st;
    value[0] = p[0];
    if (t->dtype == SL_C128) value[1] = p[1];
    return SL_OK;
}

sl_status sl_tensor_set(sl_tensor *t, const int64_t *index, const double *value)
{
    double *p;
    sl_status st = element(t, "sl_tensor_set", index, value, &p);
    if (st) return st;
    p[0] = value[0];
    if (t->dtype == SL_C128) p[1] = value[1];
    return SL_OK;
}

sl_status sl_tensor_check_finite(const sl_tensor *t)
{
    if (!t) return SL_ERR_NULL;
    int64_t bad = -1;
    FOR_COMPONENTS(t, k, p, if (bad < 0 && !isfinite(*p)) bad = (int64_t)k);
    if (bad >= 0) {
        int64_t e = t->dtype == SL_C128 ? bad / 2 : bad;
        return sl__fail(t->ctx, SL_ERR_NONFINITE, "sl_tensor_check_finite: element %lld is not finite",
                        (long long)e);
    }
    return SL_OK;
}
