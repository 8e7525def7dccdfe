/* Internal tensor layout. */
#ifndef SL_TENSOR_INTERNAL_H
#define SL_TENSOR_INTERNAL_H
#include "../core/internal.h"

struct sl_tensor {
    sl_ctx *ctx;
    sl_dtype dtype;
    int rank;
    int64_t shape[SL_MAX_RANK];
    int64_t strides[SL_MAX_RANK];   /* in elements */
    char *data;                     /* element (0, ..., 0) */
    int owns;                       /* data allocated by the library */
};

/* Byte offset of the row-major linear element `lin` of t. */
static inline int64_t sl__tensor_offset(const sl_tensor *t, int64_t lin)
{
    int64_t off = 0;
    for (int a = t->rank - 1; a >= 0; --a) {
        int64_t i = lin % t->shape[a];
        lin /= t->shape[a];
        off += i * t->strides[a];
    }
    return off * (int64_t)sl__dtype_size(t->dtype);
}

/* Copy t's elements in row-major order into contiguous dst. */
SL_HIDDEN void sl__tensor_gather(const sl_tensor *t, void *dst);

#endif
