/* The context: allocator hooks, log callback, seed, threads, last error. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void *default_alloc(void *user, size_t bytes) { (void)user; return malloc(bytes); }
static void default_free(void *user, void *ptr) { (void)user; free(ptr); }

#define CTX_OPTS_MIN SL_OPTS_END(sl_ctx_opts, nthreads)

sl_status sl_ctx_opts_init_sized(sl_ctx_opts *opts, size_t size)
{
    static const sl_ctx_opts d = SL_CTX_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, CTX_OPTS_MIN);
}

void (sl_ctx_opts_init)(sl_ctx_opts *opts)
{
    sl_ctx_opts_init_sized(opts, SL_OPTS_SIZEOF_1_0(sl_ctx_opts, nthreads));
}

sl_status sl_ctx_create(sl_ctx **out, const sl_ctx_opts *opts)
{
    if (!out) return SL_ERR_NULL;
    *out = NULL;
    sl_ctx_opts o = SL_CTX_OPTS_INIT;
    if (opts) {
        sl_status st = sl__opts_read(NULL, "sl_ctx_create", "opts", &o, sizeof o, opts, CTX_OPTS_MIN);
        if (st) return st;
    }
    if ((o.alloc == NULL) != (o.free == NULL)) return SL_ERR_ARG;
    if (o.nthreads < 0) return SL_ERR_ARG;
    if (!o.alloc) { o.alloc = default_alloc; o.free = default_free; }
    sl_ctx *ctx = o.alloc(o.alloc_user, sizeof *ctx);
    if (!ctx) return SL_ERR_NOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = o.alloc;
    ctx->free = o.free;
    ctx->alloc_user = o.alloc_user;
    ctx->log = o.log;
    ctx->log_user = o.log_user;
    ctx->log_level = o.log_level;
    ctx->seed = o.seed;
    ctx->nthreads = o.nthreads;
    ctx->alloc_count = 1;
    *out = ctx;
    return SL_OK;
}

void sl_ctx_destroy(sl_ctx *ctx)
{
    if (!ctx) return;
    ctx->free(ctx->alloc_user, ctx);
}

const char *sl_ctx_errmsg(const sl_ctx *ctx) { return ctx ? ctx->msg : "no context (NULL)"; }
sl_status sl_ctx_last_status(const sl_ctx *ctx) { return ctx ? ctx->last : SL_ERR_NULL; }

void sl_ctx_clear_error(sl_ctx *ctx)
{
    if (!ctx) return;
    ctx->last = SL_OK;
    ctx->msg[0] = '\0';
}

sl_status sl_ctx_set_seed(sl_ctx *ctx, uint64_t seed)
{
    if (!ctx) return SL_ERR_NULL;
    ctx->seed = seed;
    return SL_OK;
}

uint64_t sl_ctx_seed(const sl_ctx *ctx) { return ctx ? ctx->seed : 0; }

sl_status sl_ctx_set_threads(sl_ctx *ctx, int nthreads)
{
    if (!ctx) return SL_ERR_NULL;
    if (nthreads < 1)
        return sl__fail(ctx, SL_ERR_ARG, "sl_ctx_set_threads: nthreads = %d (must be >= 1)", nthreads);
    ctx->nthreads = nthreads;
    return SL_OK;
}

int sl_ctx_threads(const sl_ctx *ctx) { return ctx ? ctx->nthreads : 0; }
size_t sl_ctx_bytes_in_use(const sl_ctx *ctx) { return ctx ? ctx->bytes_in_use : 0; }
uint64_t sl_ctx_alloc_count(const sl_ctx *ctx) { return ctx ? ctx->alloc_count : 0; }

sl_status sl__vfail(sl_ctx *ctx, sl_status status, const char *fmt, va_list ap)
{
    if (!ctx) return status;
    ctx->last = status;
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    if (ctx->log && ctx->log_level >= SL_LOG_ERROR) ctx->log(ctx->log_user, SL_LOG_ERROR, ctx->msg);
    return status;
}

sl_status sl__fail(sl_ctx *ctx, sl_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl__vfail(ctx, status, fmt, ap);
    va_end(ap);
    return status;
}

void sl__log(sl_ctx *ctx, int level, const char *fmt, ...)
{
    if (!ctx || !ctx->log || level > ctx->log_level) return;
    char buf[SL_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_user, level, buf);
}

/* Each block carries a header before the aligned address: the raw pointer
 * returned by the hook and the size, so frees can be accounted. */
typedef struct { void *raw; size_t bytes; } block_header;

void *sl__alloc(sl_ctx *ctx, size_t bytes, int zero, const char *who)
{
    size_t total = bytes + SL_ALIGN + sizeof(block_header);
    if (total < bytes) {
        sl__fail(ctx, SL_ERR_NOMEM, "%s: %zu bytes is too large", who, bytes);
        return NULL;
    }
    void *raw = ctx->alloc(ctx->alloc_user, total);
    if (!raw) {
        sl__fail(ctx, SL_ERR_NOMEM, "%s: allocating %zu bytes failed", who, bytes);
        return NULL;
    }
    uintptr_t p = ((uintptr_t)raw + sizeof(block_header) + SL_ALIGN - 1) & ~(uintptr_t)(SL_ALIGN - 1);
    block_header *h = (block_header *)p - 1;
    h->raw = raw;
    h->bytes = bytes;
    ctx->bytes_in_use += bytes;
    ctx->alloc_count++;
    if (zero) memset((void *)p, 0, bytes);
    return (void *)p;
}

void sl__free(sl_ctx *ctx, void *ptr)
{
    if (!ptr) return;
    block_header *h = (block_header *)ptr - 1;
    ctx->bytes_in_use -= h->bytes;
    ctx->free(ctx->alloc_user, h->raw);
}

sl_status sl__check_shape(sl_ctx *ctx, const char *who, int rank, const int64_t *shape)
{
    if (rank < 0 || rank > SL_MAX_RANK)
        return sl__fail(ctx, SL_ERR_SHAPE, "%s: rank = %d (must be 0..%d)", who, rank, SL_MAX_RANK);
    if (rank > 0 && !shape) return sl__fail(ctx, SL_ERR_NULL, "%s: shape is NULL", who);
    for (int i = 0; i < rank; ++i)
        if (shape[i] < 1)
            return sl__fail(ctx, SL_ERR_SHAPE, "%s: shape[%d] = %lld (must be > 0)", who, i,
                            (long long)shape[i]);
    int64_t n;
    return sl__product(ctx, SL_ERR_SHAPE, who, "the element count", rank, shape, &n);
}

int64_t sl__numel(int rank, const int64_t *shape)
{
    int64_t n = 1;
    for (int i = 0; i < rank; ++i) n *= shape[i];
    return n;
}

int64_t sl__first_nonfinite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(x[i])) return (int64_t)i;
    return -1;
}

void sl__threads_enter(const sl_ctx *ctx, sl_thread_state *saved)
{
    saved->omp = 0;
    saved->blas = 0;
    int n = ctx ? ctx->nthreads : 0;
    if (n < 1) return;
#ifdef _OPENMP
    saved->omp = omp_get_max_threads();
    if (saved->omp != n) omp_set_num_threads(n);
#endif
    saved->blas = sl__blas_get_threads();   /* 0: a BLAS without a thread count */
    if (saved->blas > 0 && saved->blas != n) sl__blas_set_threads(n);
}

void sl__threads_leave(const sl_thread_state *saved)
{
#ifdef _OPENMP
    if (saved->omp > 0 && omp_get_max_threads() != saved->omp) omp_set_num_threads(saved->omp);
#endif
    if (saved->blas > 0 && sl__blas_get_threads() != saved->blas) sl__blas_set_threads(saved->blas);
}
