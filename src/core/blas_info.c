/* Which BLAS the process runs on, and its thread count.  The library links
 * -lblas; on Debian that is whichever implementation the alternatives system
 * points libblas.so.3 at (OpenBLAS, BLIS or the reference BLAS), so we ask at
 * run time through the implementations' own entry points. */
#include "internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

typedef int (*get_threads_fn)(void);
typedef void (*set_threads_fn)(int);
typedef char *(*string_fn)(void);

static struct {
    get_threads_fn get_threads;
    set_threads_fn set_threads;
    string_fn config, corename;   /* OpenBLAS */
    string_fn blis_version;       /* BLIS */
    char info[256];
} blas;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void *sym(const char *name) { return dlsym(RTLD_DEFAULT, name); }

static void blas_lookup(void)
{
    blas.get_threads = (get_threads_fn)(uintptr_t)sym("openblas_get_num_threads");
    blas.set_threads = (set_threads_fn)(uintptr_t)sym("openblas_set_num_threads");
    if (!blas.get_threads || !blas.set_threads) blas.get_threads = NULL, blas.set_threads = NULL;
    blas.config = (string_fn)(uintptr_t)sym("openblas_get_config");
    blas.corename = (string_fn)(uintptr_t)sym("openblas_get_corename");
    blas.blis_version = (string_fn)(uintptr_t)sym("bli_info_get_version_str");
    if (blas.config) {
        const char *core = blas.corename ? blas.corename() : NULL;
        snprintf(blas.info, sizeof blas.info, "OpenBLAS (%s; core %s)", blas.config(), core ? core : "unknown");
    } else if (blas.blis_version) {
        snprintf(blas.info, sizeof blas.info, "BLIS %s", blas.blis_version());
    } else {
        snprintf(blas.info, sizeof blas.info,
                 "reference BLAS or unknown (no OpenBLAS or BLIS entry points; "
                 "GEMM-bound work runs 10-15x slower than with OpenBLAS)");
    }
}

const char *sl_blas_info(void)
{
    pthread_once(&blas_once, blas_lookup);
    return blas.info;
}

int sl_blas_is_optimized(void)
{
    pthread_once(&blas_once, blas_lookup);
    return blas.config != NULL || blas.blis_version != NULL;
}

int sl__blas_get_threads(void)
{
    pthread_once(&blas_once, blas_lookup);
    return blas.get_threads ? blas.get_threads() : 0;
}

void sl__blas_set_threads(int n)
{
    pthread_once(&blas_once, blas_lookup);
    if (blas.set_threads && n > 0) blas.set_threads(n);
}
