/* Internal declarations shared by every layer: the context, errors, memory. */
#ifndef SL_INTERNAL_H
#define SL_INTERNAL_H

#define SL_BUILDING_LIBRARY 1
#include "symlearn.h"

#include <complex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#define SL_HIDDEN __attribute__((visibility("hidden")))
#define SL_ALIGN 64
#define SL_ERRMSG_LEN 512

typedef double complex cplx;
/* glibc's <complex.h> defines CMPLX for GCC >= 4.7 only, not for Clang */
#if !defined(CMPLX) && defined(__clang__)
#define CMPLX(x, y) __builtin_complex((double)(x), (double)(y))
#endif

struct sl_ctx {
    sl_alloc_fn alloc;
    sl_free_fn free;
    void *alloc_user;
    sl_log_fn log;
    void *log_user;
    int log_level;
    uint64_t seed;
    int nthreads;
    sl_status last;
    size_t bytes_in_use;
    uint64_t alloc_count;
    char msg[SL_ERRMSG_LEN];
};

/* Record an error on ctx (message formatted printf-style, conventionally
 * "function: what was wrong") and return status.  ctx may be NULL. */
SL_HIDDEN sl_status sl__fail(sl_ctx *ctx, sl_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
SL_HIDDEN sl_status sl__vfail(sl_ctx *ctx, sl_status status, const char *fmt, va_list ap);
/* Restate the context's last message as the public call `who`'s: a leading
 * "sl_inner: " (the name of a call `who` made) becomes "who: "; a message
 * already starting with "who:" is kept.  Sets the last status; returns it. */
SL_HIDDEN sl_status sl__rewho(sl_ctx *ctx, sl_status status, const char *who);
SL_HIDDEN void sl__log(sl_ctx *ctx, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 64-byte aligned memory through the context's hooks; zeroed if zero != 0.
 * sl__alloc returns NULL (and records SL_ERR_NOMEM with `who`) on failure. */
SL_HIDDEN void *sl__alloc(sl_ctx *ctx, size_t bytes, int zero, const char *who);
SL_HIDDEN void sl__free(sl_ctx *ctx, void *ptr);

/* Size-first option structs (src/core/opts.c; the rules are in core.h).
 * sl__opts_read: dst (dst_size bytes, already holding the defaults) receives
 * the caller's src; min_size is the end of the struct's last 1.0 field.
 * Messages name `who` and call the struct `what` ("opts", "layout").
 * sl__opts_init: write size bytes of defaults (full_size bytes known) to dst. */
SL_HIDDEN sl_status sl__opts_read(sl_ctx *ctx, const char *who, const char *what, void *dst, size_t dst_size,
                                  const void *src, size_t min_size);
SL_HIDDEN sl_status sl__opts_init(void *dst, size_t size, const void *defaults, size_t full_size,
                                  size_t min_size);
/* The end of a struct's last 1.0 field, and the sizeof a 1.0 binary had
 * (that end rounded up to the struct's alignment). */
#define SL_OPTS_END(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))
#define SL_OPTS_SIZEOF_1_0(type, last) \
    ((SL_OPTS_END(type, last) + _Alignof(type) - 1) / _Alignof(type) * _Alignof(type))

/* Overflow-checked size arithmetic.  Every product of sizes or counts taken
 * from the caller or from a file goes through these (src/core/size.c).
 * SL_MAX_ELEMENTS bounds any element count, so that count * 16 bytes and
 * small multiples of it still fit in int64_t and size_t. */
#define SL_MAX_ELEMENTS ((int64_t)1 << 56)
/* *out = a * b; 0 when an operand is negative or the product exceeds
 * SL_MAX_ELEMENTS (*out is then left unchanged). */
static inline int sl__mul_ok(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r) || r > SL_MAX_ELEMENTS) return 0;
    *out = r;
    return 1;
}
/* *out = product of f[0..n-1]; on overflow (or a negative factor) records
 * status with "who: what = f0 x f1 x ... is too large" and returns it. */
SL_HIDDEN sl_status sl__product(sl_ctx *ctx, sl_status status, const char *who, const char *what, int n,
                                const int64_t *f, int64_t *out);

/* Sizes. */
static inline size_t sl__dtype_size(sl_dtype t) { return t == SL_C128 ? 16 : 8; }
static inline bool sl__dtype_ok(sl_dtype t) { return t == SL_F64 || t == SL_C128; }
SL_HIDDEN const char *sl__dtype_name(sl_dtype t);

/* Validate rank/shape for a public call; records a message naming `who`. */
SL_HIDDEN sl_status sl__check_shape(sl_ctx *ctx, const char *who, int rank, const int64_t *shape);
SL_HIDDEN int64_t sl__numel(int rank, const int64_t *shape);
/* Index of the first non-finite double in x[0..n-1], or -1. */
SL_HIDDEN int64_t sl__first_nonfinite(const double *x, size_t n);

/* Threads, per call: sl__threads_enter sets ctx->nthreads (when > 0) for
 * OpenMP and, when present, OpenBLAS, and remembers the previous counts in
 * *saved; sl__threads_leave restores them.  Entry points that run BLAS-heavy
 * work wrap their body in the pair, so a context's count never leaks into
 * another context's calls on the same thread. */
typedef struct { int omp, blas; } sl_thread_state;
SL_HIDDEN int sl__blas_get_threads(void);   /* 0 when the BLAS has no thread count */
SL_HIDDEN void sl__blas_set_threads(int n);
SL_HIDDEN void sl__threads_enter(const sl_ctx *ctx, sl_thread_state *saved);
SL_HIDDEN void sl__threads_leave(const sl_thread_state *saved);

#endif
