/* Context, status strings, allocator hooks, the counter-based RNG, tensors. */
#include <string.h>

#include "check.h"
#include "symlearn.h"

static size_t live_bytes;
static int nalloc;
static void *count_alloc(void *user, size_t n) { (void)user; nalloc++; live_bytes += n; return malloc(n); }
static void count_free(void *user, void *p) { (void)user; nalloc--; free(p); }

static void test_version_status(void)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SL_VERSION_MAJOR, SL_VERSION_MINOR, SL_VERSION_PATCH);
    CHECK(!strcmp(sl_version_string(), want), "version %s", sl_version_string());
    for (int s = 0; s <= SL_ERR_GRAPH; ++s) CHECK(sl_status_string(s) && *sl_status_string(s), "status %d", s);
    CHECK(!strcmp(sl_status_string(12345), "unknown status code"), "unknown status");
}

static void test_context(void)
{
    sl_ctx *ctx = NULL;
    CHECK(sl_ctx_create(NULL, NULL) == SL_ERR_NULL, "create NULL out");
    sl_ctx_opts o;
    sl_ctx_opts_init(&o);
    o.size = 3;
    CHECK(sl_ctx_create(&ctx, &o) == SL_ERR_ARG && !ctx, "small opts size");
    sl_ctx_opts_init(&o);
    o.alloc = count_alloc;
    CHECK(sl_ctx_create(&ctx, &o) == SL_ERR_ARG, "alloc without free");
    o.free = count_free;
    o.seed = 42;
    CHECK(sl_ctx_create(&ctx, &o) == SL_OK && ctx, "create with hooks");
    CHECK(sl_ctx_seed(ctx) == 42, "seed");
    CHECK(sl_ctx_set_threads(ctx, 0) == SL_ERR_ARG, "threads 0");
    CHECK(strstr(sl_ctx_errmsg(ctx), "nthreads") != NULL, "message names argument: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_ctx_last_status(ctx) == SL_ERR_ARG, "last status");
    sl_ctx_clear_error(ctx);
    CHECK(sl_ctx_errmsg(ctx)[0] == '\0', "cleared");
    CHECK(sl_ctx_set_threads(ctx, 1) == SL_OK && sl_ctx_threads(ctx) == 1, "threads 1");
    sl_tensor *t;
    int64_t shape[2] = {3, 4};
    CHECK(sl_tensor_create(ctx, SL_F64, 2, shape, &t) == SL_OK, "tensor via hooks");
    CHECK(nalloc >= 3, "hook used (%d live blocks)", nalloc);
    CHECK(sl_ctx_bytes_in_use(ctx) >= 96, "bytes in use");
    sl_tensor_destroy(t);
    sl_ctx_destroy(ctx);
    CHECK(nalloc == 0, "every block freed (%d live)", nalloc);
    sl_ctx_destroy(NULL);
}

static void test_rng(void)
{
    /* reference values from bench/peers/sm64.py */
    CHECK(sl_rng_u64(1, 0) == 10451216379200822465ULL, "u64 0");
    CHECK(sl_rng_u64(1, 1) == 13757245211066428519ULL, "u64 1");
    CHECK(sl_rng_uniform(1, 0) == 0.5665615751722809, "uniform 0");
    CHECK(sl_rng_uniform(1, 1) == 0.7457817572627011, "uniform 1");
    CHECK(sl_rng_normal(7, 0) == 0.9884743323187353, "normal 0");
    CHECK(sl_rng_normal(7, 1) == -1.8642558067312274, "normal 1");
    double buf[4];
    sl_rng_fill_normal(7, 1, 1, 0.0, 1.0, buf);
    CHECK(buf[0] == -1.8642558067312274, "fill offset");
    /* moments of 1e5 normals */
    double m = 0, v = 0;
    for (int i = 0; i < 100000; ++i) { double x = sl_rng_normal(3, (uint64_t)i); m += x; v += x * x; }
    m /= 1e5; v = v / 1e5 - m * m;
    CHECK(fabs(m) < 0.015 && fabs(v - 1) < 0.02, "normal moments %g %g", m, v);
}

static void test_tensors(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    int64_t shape[3] = {2, 3, 4};
    sl_tensor *t, *v, *w, *r, *c;
    CHECK(sl_tensor_create(ctx, SL_F64, 3, shape, &t) == SL_OK, "create");
    CHECK(sl_tensor_numel(t) == 24 && sl_tensor_rank(t) == 3 && sl_tensor_is_contiguous(t), "queries");
    double *d = sl_tensor_data(t);
    for (int i = 0; i < 24; ++i) d[i] = i;
    CHECK(sl_tensor_slice(t, 2, 1, 4, 2, &v) == SL_OK && sl_tensor_dim(v, 2) == 2, "slice");
    double x;
    CHECK(sl_tensor_get(v, (int64_t[]){1, 2, 1}, &x) == SL_OK && x == 1 * 12 + 2 * 4 + 3, "slice element %g", x);
    CHECK(!sl_tensor_is_contiguous(v), "slice not contiguous");
    CHECK(sl_tensor_reshape(v, 1, (int64_t[]){12}, &r) == SL_ERR_SHAPE && !r, "reshape of strided view refused");
    CHECK(sl_tensor_permute(t, (int[]){2, 0, 1}, &w) == SL_OK && sl_tensor_dim(w, 0) == 4, "permute");
    CHECK(sl_tensor_get(w, (int64_t[]){3, 1, 2}, &x) == SL_OK && x == 12 + 8 + 3, "permuted element");
    CHECK(sl_tensor_clone(w, &c) == SL_OK && sl_tensor_is_contiguous(c), "clone");
    CHECK(sl_tensor_get(c, (int64_t[]){3, 1, 2}, &x) == SL_OK && x == 23, "clone element");
    CHECK(sl_tensor_reshape(c, 2, (int64_t[]){-1, 6}, &r) == SL_OK && sl_tensor_dim(r, 0) == 4, "reshape -1");
    sl_tensor_destroy(r);
    CHECK(sl_tensor_get(t, (int64_t[]){2, 0, 0}, &x) == SL_ERR_ARG, "index out of range");
    /* wrap user memory with strides: a column-major (Fortran) 3x2 array */
    double user[6] = {1, 2, 3, 4, 5, 6};
    sl_tensor *u;
    CHECK(sl_tensor_wrap(ctx, SL_F64, 2, (int64_t[]){3, 2}, (int64_t[]){1, 3}, user, &u) == SL_OK, "wrap");
    CHECK(sl_tensor_get(u, (int64_t[]){2, 1}, &x) == SL_OK && x == 6, "wrapped element");
    CHECK(sl_tensor_get(u, (int64_t[]){0, 1}, &x) == SL_OK && x == 4, "wrapped element 2");
    CHECK(sl_tensor_fill_normal(u, 7, 0, 1) == SL_OK && user[3] == -1.8642558067312274, "fill in row-major order");
    user[0] = NAN;
    CHECK(sl_tensor_check_finite(u) == SL_ERR_NONFINITE, "NaN found");
    /* complex */
    sl_tensor *z;
    CHECK(sl_tensor_create(ctx, SL_C128, 1, (int64_t[]){2}, &z) == SL_OK, "c128");
    CHECK(sl_tensor_fill(z, 1, -2) == SL_OK, "fill c128");
    double zz[2];
    CHECK(sl_tensor_get(z, (int64_t[]){1}, zz) == SL_OK && zz[0] == 1 && zz[1] == -2, "c128 element");
    /* bad input */
    CHECK(sl_tensor_create(ctx, 7, 1, (int64_t[]){2}, &r) == SL_ERR_DTYPE, "bad dtype");
    CHECK(sl_tensor_create(ctx, SL_F64, 9, shape, &r) == SL_ERR_SHAPE, "rank 9");
    CHECK(sl_tensor_create(ctx, SL_F64, 1, (int64_t[]){0}, &r) == SL_ERR_SHAPE, "dim 0");
    CHECK(strstr(sl_ctx_errmsg(ctx), "shape[0]") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_tensor_wrap(ctx, SL_F64, 1, (int64_t[]){2}, NULL, NULL, &r) == SL_ERR_NULL, "wrap NULL");
    CHECK(sl_tensor_copy(c, t) == SL_ERR_SHAPE, "copy shape mismatch");
    CHECK(sl_tensor_copy(z, t) == SL_ERR_DTYPE, "copy dtype mismatch");
    CHECK(sl_tensor_slice(NULL, 0, 0, 1, 1, &r) == SL_ERR_NULL, "slice NULL");
    CHECK(sl_tensor_slice(t, 5, 0, 1, 1, &r) == SL_ERR_ARG, "slice axis");
    CHECK(sl_tensor_permute(t, (int[]){0, 0, 1}, &r) == SL_ERR_ARG, "bad permutation");
    CHECK(sl_tensor_fill_uniform(t, 1, 1.0, NAN) == SL_ERR_ARG, "NaN bound");
    sl_tensor_destroy(z); sl_tensor_destroy(u); sl_tensor_destroy(r); sl_tensor_destroy(c);
    sl_tensor_destroy(w); sl_tensor_destroy(v); sl_tensor_destroy(t);
    sl_tensor_destroy(NULL);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
}

int main(void)
{
    test_version_status();
    test_context();
    test_rng();
    test_tensors();
    return check_done();
}
