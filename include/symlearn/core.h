/* libsymlearn core: version, status codes, the context, the counter-based RNG.
 *
 * Thread safety: a context and every object created from it are used by one
 * thread at a time; distinct contexts are independent.  The pure functions
 * (sl_version_string, sl_status_string, sl_rng_*) are thread-safe. */
#ifndef SYMLEARN_CORE_H
#define SYMLEARN_CORE_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(SL_BUILDING_LIBRARY)
#define SL_API __declspec(dllexport)
#elif defined(_WIN32)
#define SL_API
#elif defined(SL_BUILDING_LIBRARY)
#define SL_API __attribute__((visibility("default")))
#else
#define SL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define SL_VERSION_MAJOR 1
#define SL_VERSION_MINOR 0
#define SL_VERSION_PATCH 0

/* "MAJOR.MINOR.PATCH" of the library actually linked (may differ from the
 * header's SL_VERSION_* when an application runs against a newer 1.x). */
SL_API const char *sl_version_string(void);

/* The BLAS this process runs on, as one line for logs: "OpenBLAS (<its
 * config string>; core <the kernel set it chose>)", "BLIS <version>", or a
 * line saying no optimised BLAS was found (the reference BLAS, which makes
 * GEMM-bound work 10-15x slower).  sl_blas_is_optimized: 1 for OpenBLAS or
 * BLIS, 0 otherwise.  Thread-safe. */
SL_API const char *sl_blas_info(void);
SL_API int sl_blas_is_optimized(void);

/* ---- Status codes ---------------------------------------------------------
 * Every fallible call returns one.  The values never change within ABI 1. */
typedef int sl_status;
enum {
    SL_OK = 0,
    SL_ERR_NULL = 1,        /* a required pointer argument was NULL */
    SL_ERR_ARG = 2,         /* an argument has an invalid value */
    SL_ERR_SHAPE = 3,       /* shapes or ranks do not fit */
    SL_ERR_DTYPE = 4,       /* wrong or mismatched element type */
    SL_ERR_NOMEM = 5,       /* the allocator failed */
    SL_ERR_NONFINITE = 6,   /* NaN or Inf in user data */
    SL_ERR_UNBOUND = 7,     /* a plan input has no data bound to it */
    SL_ERR_IO = 8,          /* a file could not be read or written */
    SL_ERR_CORRUPT = 9,     /* a file or buffer failed its checks */
    SL_ERR_NUMERIC = 10,    /* a numerical routine failed (LAPACK, no convergence) */
    SL_ERR_STATE = 11,      /* the object is not in a state that allows the call */
    SL_ERR_UNSUPPORTED = 12,/* valid request this build or version does not do */
    SL_ERR_GRAPH = 13       /* an object from another graph or context was given */
};

/* A static, never-NULL description of a status code ("shape mismatch", ...). */
SL_API const char *sl_status_string(sl_status status);

/* ---- Element types --------------------------------------------------------
 * SL_C128 is C99 `double complex`, C++ std::complex<double> and Fortran
 * complex(c_double_complex): interleaved (re, im) doubles. */
typedef int sl_dtype;
enum { SL_F64 = 1, SL_C128 = 2 };

#define SL_MAX_RANK 8

/* ---- Context -------------------------------------------------------------- */
typedef struct sl_ctx sl_ctx;

/* Log levels passed to the log callback. */
enum { SL_LOG_ERROR = 0, SL_LOG_WARN = 1, SL_LOG_INFO = 2, SL_LOG_DEBUG = 3 };

typedef void *(*sl_alloc_fn)(void *user, size_t bytes);
typedef void (*sl_free_fn)(void *user, void *ptr);
typedef void (*sl_log_fn)(void *user, int level, const char *message);

/* Context options: a size-first struct, so later versions can append fields.
 * Initialise with sl_ctx_opts_init() (or SL_CTX_OPTS_INIT), then set fields. */
typedef struct sl_ctx_opts {
    size_t size;          /* sizeof(sl_ctx_opts) as compiled by the caller */
    sl_alloc_fn alloc;    /* NULL: malloc.  Need not align; the library aligns to 64 bytes */
    sl_free_fn free;      /* NULL: free.  Set alloc and free together */
    void *alloc_user;     /* passed to alloc and free */
    sl_log_fn log;        /* NULL: the library prints nothing */
    void *log_user;
    int log_level;        /* messages at or below this level reach log (default SL_LOG_WARN) */
    uint64_t seed;        /* seed for the library's own random draws (default 0) */
    int nthreads;         /* BLAS (OpenBLAS) and OpenMP threads during this context's calls; 0: leave as is */
} sl_ctx_opts;

#define SL_CTX_OPTS_INIT { sizeof(sl_ctx_opts), 0, 0, 0, 0, 0, SL_LOG_WARN, 0, 0 }

/* ---- Size-first option structs ---------------------------------------------
 * Every options struct of the library starts with `size_t size`.  Fields are
 * only ever appended, so the struct may differ between the header a program
 * was built with and the library it runs with:
 *  - a reader accepts any size from the struct's 1.0 layout up, copies only
 *    the caller's bytes and takes the defaults for fields the caller does not
 *    have;
 *  - a larger struct (a newer header) is accepted when its unknown tail is
 *    zero, and refused with SL_ERR_UNSUPPORTED (and a message) otherwise;
 *  - each initialiser sl_X_init(ptr, ...) is a macro passing the caller's
 *    sizeof *ptr to sl_X_init_sized, which writes exactly that many bytes
 *    (the defaults, zeros past the fields it knows) and sets size to it.
 * The sized initialisers return SL_ERR_NULL for a NULL pointer and SL_ERR_ARG
 * for a size below the 1.0 layout (nothing written).  The unsized functions
 * of 1.0 (e.g. `(sl_ctx_opts_init)(&o)`, which the macro hides) stay exported
 * for binaries built against 1.0 and write the 1.0 struct only. */

/* Fill *opts (size bytes) with the defaults above. */
SL_API sl_status sl_ctx_opts_init_sized(sl_ctx_opts *opts, size_t size);
#define sl_ctx_opts_init(opts) ((void)sl_ctx_opts_init_sized((opts), sizeof *(opts)))
SL_API void (sl_ctx_opts_init)(sl_ctx_opts *opts);    /* 1.0 entry point */

/* Create a context.  opts may be NULL (defaults).  On success *out is the new
 * context; on failure *out is NULL and the status says why (no message: there is
 * no context to hold it).  Errors: SL_ERR_NULL (out), SL_ERR_ARG (opts->size too
 * small, alloc without free, nthreads < 0), SL_ERR_UNSUPPORTED (a larger struct
 * with a field set that this library does not know), SL_ERR_NOMEM. */
SL_API sl_status sl_ctx_create(sl_ctx **out, const sl_ctx_opts *opts);

/* Destroy a context.  Every object created from it must be destroyed first.
 * NULL is a no-op. */
SL_API void sl_ctx_destroy(sl_ctx *ctx);

/* The message of the last failed call on this context ("" when none).  It names
 * the function and the argument, e.g. "sl_tensor_wrap: shape[1] = 0 (must be > 0)".
 * Owned by the context; valid until the next call on it.  Never NULL. */
SL_API const char *sl_ctx_errmsg(const sl_ctx *ctx);

/* The status of the last failed call on this context (SL_OK when none). */
SL_API sl_status sl_ctx_last_status(const sl_ctx *ctx);

/* Forget the last error. */
SL_API void sl_ctx_clear_error(sl_ctx *ctx);

/* Seed and thread count after creation.  nthreads >= 1.  The count is per
 * call: sl_plan_run and sl_discover_symmetries (and everything built on them)
 * set it for OpenBLAS and OpenMP on entry and restore the caller's setting on
 * return; creating a context or setting its count changes nothing else.
 * OpenBLAS keeps one process-wide count, so two contexts with different
 * counts running calls at the same moment on different threads share it. */
SL_API sl_status sl_ctx_set_seed(sl_ctx *ctx, uint64_t seed);
SL_API uint64_t sl_ctx_seed(const sl_ctx *ctx);
SL_API sl_status sl_ctx_set_threads(sl_ctx *ctx, int nthreads);
SL_API int sl_ctx_threads(const sl_ctx *ctx);

/* Bytes currently allocated by the library through this context, and the
 * number of allocator calls made so far (useful to prove a loop allocates
 * nothing). */
SL_API size_t sl_ctx_bytes_in_use(const sl_ctx *ctx);
SL_API uint64_t sl_ctx_alloc_count(const sl_ctx *ctx);

/* ---- Counter-based random numbers -----------------------------------------
 * Stream `seed` is splitmix64: the k-th 64-bit word (k = 0, 1, ...) is
 * mix(seed + (k + 1) * 0x9E3779B97F4A7C15).  uniform k = (word_k >> 11) * 2^-53
 * in [0, 1); normal k uses uniforms 2k and 2k+1: sqrt(-2 ln(1 - u1)) cos(2 pi u2).
 * Any element can be computed on its own, so fills give the same bits on any
 * thread count, and match bench/peers/sm64.py exactly. */
SL_API uint64_t sl_rng_u64(uint64_t seed, uint64_t k);
SL_API double sl_rng_uniform(uint64_t seed, uint64_t k);
SL_API double sl_rng_normal(uint64_t seed, uint64_t k);

/* out[i] = lo + (hi - lo) * uniform(seed, first + i), i < n. */
SL_API void sl_rng_fill_uniform(uint64_t seed, uint64_t first, size_t n, double lo, double hi,
                                double *out);
/* out[i] = mean + std * normal(seed, first + i), i < n. */
SL_API void sl_rng_fill_normal(uint64_t seed, uint64_t first, size_t n, double mean, double std,
                               double *out);

#ifdef __cplusplus
}
#endif
#endif
