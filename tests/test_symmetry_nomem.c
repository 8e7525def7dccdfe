/* Symmetry discovery under memory pressure: an allocator hook fails the k-th
 * allocation, for every k of a small discovery (u(2) from the Hermitian form
 * on C^2, exact and trained).  Each run must end either with the right answer
 * (so(3) + u(1), compact, rank 2) or with SL_ERR_NOMEM, a message naming
 * sl_discover_symmetries, no result and nothing leaked: never with a result
 * under a wrong name (the decomposition's failure used to be swallowed, which
 * named u(2) "dim 4, rank 2, ..."). */
#include <string.h>

#include "check.h"
#include "symlearn.h"

static long calls, fail_at = -1;

static void *hook_alloc(void *user, size_t bytes)
{
    (void)user;
    if (++calls == fail_at) return NULL;
    return malloc(bytes);
}

static void hook_free(void *user, void *p)
{
    (void)user;
    free(p);
}

/* One discovery with the k-th allocation after the options failing (k < 0:
 * none); returns the number of allocations it made, -1 on a wrong outcome. */
static long run(sl_ctx *ctx, int trained, long k, int *nomem)
{
    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *r = NULL;
    fail_at = -1;
    if (sl_symmetry_opts_create(ctx, &o) || sl_symmetry_opts_oracle_hermitian(o, 2, NULL)) return -1;
    if (trained) {
        sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED);
        sl_symmetry_opts_set_generators(o, 4);
        sl_symmetry_opts_set_training(o, 0, 1e-2, 10);
    }
    size_t before = sl_ctx_bytes_in_use(ctx);
    long start = calls;
    fail_at = k >= 0 ? start + k : -1;
    sl_status st = sl_discover_symmetries(ctx, o, &r);
    long made = calls - start;
    fail_at = -1;
    int ok = 1;
    *nomem = st == SL_ERR_NOMEM;
    if (st == SL_OK) {
        int nneg = 0, npos = 0, nzero = 0;
        sl_symmetry_result_signature(r, &nneg, &npos, &nzero);
        ok = r && sl_symmetry_result_dim(r) == 4 && strcmp(sl_symmetry_result_name(r), "so(3) + u(1)") == 0 &&
             sl_symmetry_result_is_compact(r) && sl_symmetry_result_rank(r) == 2 && nneg == 3 && nzero == 1;
        if (!ok)
            printf("k = %ld: OK but %s (dim %d, rank %d, compact %d)\n", k, r ? sl_symmetry_result_name(r) : "no result",
                   sl_symmetry_result_dim(r), sl_symmetry_result_rank(r), sl_symmetry_result_is_compact(r));
    } else if (st == SL_ERR_NOMEM) {
        const char *m = sl_ctx_errmsg(ctx);
        ok = r == NULL && strncmp(m, "sl_discover_symmetries: ", 24) == 0 && strlen(m) > 24;
        if (!ok) printf("k = %ld: NOMEM, result %p, message \"%s\"\n", k, (void *)r, m);
    } else {
        ok = 0;
        printf("k = %ld: status %d (%s)\n", k, st, sl_ctx_errmsg(ctx));
    }
    sl_symmetry_result_destroy(r);
    if (sl_ctx_bytes_in_use(ctx) != before) {
        printf("k = %ld: %zu bytes leaked\n", k, sl_ctx_bytes_in_use(ctx) - before);
        ok = 0;
    }
    sl_symmetry_opts_destroy(o);
    sl_ctx_clear_error(ctx);
    return ok ? made : -1;
}

int main(void)
{
    sl_ctx_opts co;
    sl_ctx_opts_init(&co);
    co.alloc = hook_alloc;
    co.free = hook_free;
    sl_ctx *ctx = NULL;
    CHECK(sl_ctx_create(&ctx, &co) == SL_OK, "context with hooks");
    /* under valgrind (SL_TEST_QUICK) every 3rd allocation of the exact run,
     * every 13th of the trained one; all of them in the plain and ASan runs */
    int quick = getenv("SL_TEST_QUICK") != NULL;
    for (int trained = 0; trained < 2; ++trained) {
        int nomem = 0;
        long total = run(ctx, trained, -1, &nomem);
        CHECK(total > 0 && !nomem, "%s: clean run (%ld allocations)", trained ? "trained" : "exact", total);
        long failures = 0, clean = 0, stride = quick ? (trained ? 13 : 3) : 1;
        for (long k = 1; k <= total; k += stride) {
            long got = run(ctx, trained, k, &nomem);
            CHECK(got >= 0, "%s: allocation %ld of %ld failing", trained ? "trained" : "exact", k, total);
            failures += nomem;
            clean += got >= 0 && !nomem;
        }
        /* most failures must surface; a few allocations may be optional */
        CHECK(failures > 0, "%s: %ld of %ld allocation failures reported as SL_ERR_NOMEM, %ld recovered", trained ? "trained" : "exact",
              failures, total, clean);
        printf("%s: %ld allocations, %ld failures reported, %ld recovered\n", trained ? "trained" : "exact", total,
               failures, clean);
    }
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
