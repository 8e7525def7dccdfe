/* Thread counts are per call: a context's nthreads holds while one of its
 * calls runs (seen from inside an oracle) and the process's BLAS count is
 * restored afterwards, so context B's setting never reaches context A.
 * With a BLAS that has no thread count (reference BLAS) only the
 * "nothing changes" checks apply. */
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>
#include <symlearn.h>

#include "check.h"

static int (*get_threads)(void);
static void (*set_threads)(int);

static int blas_threads(void) { return get_threads ? get_threads() : -1; }

/* phi = x1^2 + x2^2 with gradient; records the BLAS thread count it runs under. */
static int circle(void *user, int64_t m, int n, int nargs, const double *x, int nout, double *phi, double *grad)
{
    (void)nargs, (void)nout;
    *(int *)user = blas_threads();
    for (int64_t i = 0; i < m; ++i) {
        phi[i] = x[i * n] * x[i * n] + x[i * n + 1] * x[i * n + 1];
        if (grad) grad[i * n] = 2 * x[i * n], grad[i * n + 1] = 2 * x[i * n + 1];
    }
    return 0;
}

static int run_discovery(sl_ctx *ctx, int *seen)
{
    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *r = NULL;
    if (sl_symmetry_opts_create(ctx, &o) != SL_OK) return -1;
    sl_symmetry_opts_oracle_function(o, 2, 1, 1, circle, seen);
    sl_symmetry_opts_set_samples_count(o, 300);
    sl_status st = sl_discover_symmetries(ctx, o, &r);
    int dim = st == SL_OK ? sl_symmetry_result_dim(r) : -1;
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
    return dim;
}

static sl_status run_plan(sl_ctx *ctx)
{
    sl_graph *g = NULL;
    sl_plan *p = NULL;
    sl_status st = sl_graph_create(ctx, &g);
    if (st) return st;
    int64_t shape[2] = {64, 64};
    sl_node *a = sl_graph_input(g, SL_F64, 2, shape, "a");
    sl_node *y = sl_graph_sum(g, sl_graph_matmul(g, a, a));
    st = sl_plan_create(g, 1, &y, &p);
    if (!st) {
        static double x[64 * 64];
        for (int i = 0; i < 64 * 64; ++i) x[i] = 1e-3 * i;
        st = sl_plan_bind(p, a, x);
        if (!st) st = sl_plan_run(p);
    }
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    return st;
}

int main(void)
{
    get_threads = (int (*)(void))(uintptr_t)dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    set_threads = (void (*)(int))(uintptr_t)dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    if (!get_threads || !set_threads) get_threads = NULL, set_threads = NULL;
    printf("BLAS thread count: %s\n", get_threads ? "openblas_get_num_threads" : "none (single-threaded BLAS)");
    const char *info = sl_blas_info();
    printf("sl_blas_info: %s\n", info);
    CHECK(info && info[0], "sl_blas_info is not empty");
    CHECK((strncmp(info, "OpenBLAS (", 10) == 0) == (get_threads != NULL), "OpenBLAS named iff it is there");
    CHECK(sl_blas_is_optimized() == (strncmp(info, "OpenBLAS", 8) == 0 || strncmp(info, "BLIS", 4) == 0),
          "sl_blas_is_optimized agrees with the name");
    if (set_threads) set_threads(2);
    int before = blas_threads();

    sl_ctx_opts co = SL_CTX_OPTS_INIT;
    co.nthreads = 1;
    sl_ctx *b = NULL, *a = NULL;
    CHECK(sl_ctx_create(&b, &co) == SL_OK, "create B with nthreads 1");
    CHECK(blas_threads() == before, "creating B left the process count alone (%d vs %d)", blas_threads(), before);
    CHECK(sl_ctx_threads(b) == 1, "B reports 1 thread");
    co.nthreads = 2;
    CHECK(sl_ctx_create(&a, &co) == SL_OK, "create A with nthreads 2");
    CHECK(sl_ctx_set_threads(b, 1) == SL_OK, "set_threads B 1");
    CHECK(blas_threads() == before, "sl_ctx_set_threads left the process count alone");

    int seen = -2;
    CHECK(run_discovery(b, &seen) == 1, "so(2) found in B");
    if (get_threads) CHECK(seen == 1, "B's discovery ran on 1 BLAS thread (saw %d)", seen);
    CHECK(blas_threads() == before, "after B's call the process count is back (%d vs %d)", blas_threads(), before);
    seen = -2;
    CHECK(run_discovery(a, &seen) == 1, "so(2) found in A");
    if (get_threads) CHECK(seen == 2, "A's discovery ran on 2 BLAS threads (saw %d) after B set 1", seen);
    CHECK(sl_ctx_threads(a) == 2, "A still reports 2");

    CHECK(run_plan(b) == SL_OK, "plan run in B");
    CHECK(blas_threads() == before, "after B's plan run the process count is back");

    /* nthreads 0 (the default) leaves the caller's setting in force */
    sl_ctx *c = NULL;
    CHECK(sl_ctx_create(&c, NULL) == SL_OK, "create C, nthreads 0");
    if (set_threads) set_threads(1);
    seen = -2;
    CHECK(run_discovery(c, &seen) == 1, "so(2) found in C");
    if (get_threads) CHECK(seen == 1, "C's discovery ran under the caller's count (saw %d)", seen);
    CHECK(sl_ctx_set_threads(c, 0) == SL_ERR_ARG, "set_threads 0 is refused");
    CHECK(sl_ctx_errmsg(c)[0] != 0, "with a message");

    sl_ctx_destroy(a);
    sl_ctx_destroy(b);
    sl_ctx_destroy(c);
    return check_done();
}
