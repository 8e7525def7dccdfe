/* libsymlearn tensors: dense strided arrays of f64 or c128, rank 0..SL_MAX_RANK.
 *
 * A tensor either owns its memory (sl_tensor_create) or borrows the caller's
 * (sl_tensor_wrap, and every view).  Strides are in elements, not bytes, and
 * may be any non-negative values (zero for broadcast dimensions).  A view
 * borrows from its parent: the parent (or the caller's array) must outlive it.
 * Row-major ("C order") is the logical element order everywhere. */
#ifndef SYMLEARN_TENSOR_H
#define SYMLEARN_TENSOR_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_tensor sl_tensor;

/* A new zero-filled contiguous tensor owned by the library.  rank 0 is a scalar
 * (shape may then be NULL).  Errors: SL_ERR_NULL, SL_ERR_DTYPE, SL_ERR_SHAPE
 * (rank outside 0..8, a dimension < 1), SL_ERR_NOMEM. */
SL_API sl_status sl_tensor_create(sl_ctx *ctx, sl_dtype dtype, int rank, const int64_t *shape,
                                  sl_tensor **out);

/* Wrap the caller's memory without copying.  strides: elements per step along
 * each axis, NULL for contiguous row-major.  For SL_C128, data holds
 * interleaved (re, im) pairs and strides count complex elements.  The caller
 * keeps ownership of data and must keep it alive while the tensor exists. */
SL_API sl_status sl_tensor_wrap(sl_ctx *ctx, sl_dtype dtype, int rank, const int64_t *shape,
                                const int64_t *strides, void *data, sl_tensor **out);

/* Free a tensor (and its memory if it owns it).  NULL is a no-op. */
SL_API void sl_tensor_destroy(sl_tensor *t);

/* Queries.  NULL tensors give 0 / NULL. */
SL_API sl_dtype sl_tensor_dtype(const sl_tensor *t);
SL_API int sl_tensor_rank(const sl_tensor *t);
SL_API int64_t sl_tensor_dim(const sl_tensor *t, int axis);      /* 0 if axis is out of range */
SL_API int64_t sl_tensor_stride(const sl_tensor *t, int axis);
SL_API int64_t sl_tensor_numel(const sl_tensor *t);
SL_API void *sl_tensor_data(const sl_tensor *t);                 /* address of element (0,...,0) */
SL_API int sl_tensor_is_contiguous(const sl_tensor *t);          /* row-major, no gaps */
SL_API sl_ctx *sl_tensor_ctx(const sl_tensor *t);

/* Views (no copy).  The result borrows t's memory.
 * slice: elements start, start+step, ... < stop along axis (step >= 1).
 * permute: axis i of the view is axis perm[i] of t.
 * reshape: only for contiguous t (otherwise SL_ERR_SHAPE: copy it first with
 * sl_tensor_clone); one entry of shape may be -1 (inferred). */
SL_API sl_status sl_tensor_slice(const sl_tensor *t, int axis, int64_t start, int64_t stop,
                                 int64_t step, sl_tensor **out);
SL_API sl_status sl_tensor_permute(const sl_tensor *t, const int *perm, sl_tensor **out);
SL_API sl_status sl_tensor_transpose(const sl_tensor *t, int axis0, int axis1, sl_tensor **out);
SL_API sl_status sl_tensor_reshape(const sl_tensor *t, int rank, const int64_t *shape,
                                   sl_tensor **out);

/* A new contiguous tensor with t's values. */
SL_API sl_status sl_tensor_clone(const sl_tensor *t, sl_tensor **out);
/* Copy src's values into dst (same dtype and shape; any strides).  If the two
 * overlap in memory the result is undefined. */
SL_API sl_status sl_tensor_copy(sl_tensor *dst, const sl_tensor *src);

/* Fill every element with re (+ i im for c128). */
SL_API sl_status sl_tensor_fill(sl_tensor *t, double re, double im);
/* Fill from the counter-based streams of core.h in row-major element order;
 * for c128 the stream fills (re, im, re, im, ...).  Same bits on any thread
 * count and for any strides. */
SL_API sl_status sl_tensor_fill_uniform(sl_tensor *t, uint64_t seed, double lo, double hi);
SL_API sl_status sl_tensor_fill_normal(sl_tensor *t, uint64_t seed, double mean, double std);

/* One element by its multi-index (rank entries).  value: 1 double for f64,
 * 2 (re, im) for c128. */
SL_API sl_status sl_tensor_get(const sl_tensor *t, const int64_t *index, double *value);
SL_API sl_status sl_tensor_set(sl_tensor *t, const int64_t *index, const double *value);

/* SL_OK if every element is finite, SL_ERR_NONFINITE (with the index of the
 * first bad element in the message) otherwise. */
SL_API sl_status sl_tensor_check_finite(const sl_tensor *t);

#ifdef __cplusplus
}
#endif
#endif
