/* One table of bad input over the public entry points of core.h, tensor.h,
 * graph.h, optim.h, analysis.h and losses.h (issue 9): NULL handles and
 * pointers, negative, zero, huge (2^40, INT64_MAX) and NaN/Inf arguments.
 *
 * Each case runs on a fresh fixture (a graph with a few nodes, a tensor, a
 * plan, an optimiser) made from one long-lived context, and asserts:
 *  - the call returns the expected status (graph ops: NULL and the graph's
 *    sticky status);
 *  - the context message is non-empty and starts with "name:" where name is
 *    the public function called (unless there is no context to hold one:
 *    a NULL handle, sl_ctx_create);
 *  - the context still works afterwards (a tensor and a graph can be made,
 *    a plan run), and every byte the fixture and the failed call allocated is
 *    freed again.
 * The cases are generated from small value tables; the count is printed. */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "symlearn.h"

#define I64(...) ((const int64_t[]){__VA_ARGS__})
#define INTS(...) ((const int[]){__VA_ARGS__})
#define NMSG 1   /* no context to hold a message */
#define BIG ((int64_t)1 << 40)

typedef struct {
    sl_ctx *ctx;
    sl_graph *g, *other;
    sl_node *x;        /* input f64 (3, 4) */
    sl_node *z;        /* input c128 (3, 4) */
    sl_node *p;        /* param f64 (3, 4) */
    sl_node *q;        /* param f64 (3, 3) */
    sl_node *y;        /* sum(x * p): a real scalar */
    sl_node *vec;      /* x * p: not a scalar */
    sl_node *W;        /* param (2, 3, 3) */
    sl_node *C;        /* param (1, 2) */
    sl_node *X;        /* input (5, 3): sample points */
    sl_node *foreign;  /* input f64 (3, 4) of another graph */
    sl_tensor *t;      /* f64 (3, 4) */
    sl_tensor *tz;     /* c128 (3, 4) */
    sl_tensor *tnan;   /* f64 (3, 4) holding a NaN */
    sl_plan *plan;     /* outputs: y */
    sl_optim *opt;     /* Adam on y over p */
} fixture;

static fixture F;
/* out-parameters of calls that may succeed: reset before each case */
static sl_tensor *T_OUT;
static sl_ctx *C_OUT;
static sl_plan *P_OUT;
static sl_optim *O_OUT;
static int ncases, nbad_status, nbad_msg, nbad_after;
static size_t base_bytes;

static void fx_make(void)
{
    T_OUT = NULL;
    C_OUT = NULL;
    P_OUT = NULL;
    O_OUT = NULL;
    sl_graph_create(F.ctx, &F.g);
    sl_graph_create(F.ctx, &F.other);
    F.x = sl_graph_input(F.g, SL_F64, 2, I64(3, 4), "x");
    F.z = sl_graph_input(F.g, SL_C128, 2, I64(3, 4), "z");
    F.p = sl_graph_param(F.g, SL_F64, 2, I64(3, 4), NULL, "p");
    F.q = sl_graph_param(F.g, SL_F64, 2, I64(3, 3), NULL, "q");
    F.vec = sl_graph_mul(F.g, F.x, F.p);
    F.y = sl_graph_sum(F.g, F.vec);
    F.W = sl_graph_param(F.g, SL_F64, 3, I64(2, 3, 3), NULL, "W");
    F.C = sl_graph_param(F.g, SL_F64, 2, I64(1, 2), NULL, "C");
    F.X = sl_graph_input(F.g, SL_F64, 2, I64(5, 3), "X");
    F.foreign = sl_graph_input(F.other, SL_F64, 2, I64(3, 4), "foreign");
    sl_tensor_create(F.ctx, SL_F64, 2, I64(3, 4), &F.t);
    sl_tensor_create(F.ctx, SL_C128, 2, I64(3, 4), &F.tz);
    sl_tensor_create(F.ctx, SL_F64, 2, I64(3, 4), &F.tnan);
    sl_tensor_set(F.tnan, I64(1, 2), (double[]){NAN});
    sl_plan_create(F.g, 1, &F.y, &F.plan);
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    sl_optim_create(F.g, F.y, 1, &F.p, &o, &F.opt);
    if (!F.g || !F.other || !F.y || !F.foreign || !F.X || !F.t || !F.tz || !F.plan || !F.opt) {
        printf("fixture: %s\n", sl_ctx_errmsg(F.ctx));
        exit(2);
    }
    sl_ctx_clear_error(F.ctx);
}

static void fx_free(void)
{
    sl_optim_destroy(F.opt);
    sl_plan_destroy(F.plan);
    sl_tensor_destroy(F.t);
    sl_tensor_destroy(F.tz);
    sl_tensor_destroy(F.tnan);
    sl_graph_destroy(F.g);
    sl_graph_destroy(F.other);
    sl_ctx *ctx = F.ctx;
    memset(&F, 0, sizeof F);
    F.ctx = ctx;
}

/* The context still works: a tensor, a graph, a plan that runs. */
static int ctx_works(void)
{
    sl_tensor *t = NULL;
    sl_graph *g = NULL;
    sl_plan *p = NULL;
    int ok = sl_tensor_create(F.ctx, SL_F64, 1, I64(2), &t) == SL_OK && sl_tensor_fill(t, 1, 0) == SL_OK &&
             sl_graph_create(F.ctx, &g) == SL_OK;
    sl_node *s = ok ? sl_graph_sum(g, sl_graph_constant_tensor(g, t)) : NULL;
    ok = ok && s && sl_plan_create(g, 1, &s, &p) == SL_OK && sl_plan_run(p) == SL_OK && sl_plan_scalar(p, 0) == 2.0;
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_tensor_destroy(t);
    return ok;
}

static void record(const char *fn, sl_status expect, int flags, sl_status got, int line)
{
    ncases++;
    const char *msg = sl_ctx_errmsg(F.ctx);
    size_t len = strlen(fn);
    if (got != expect) {
        nbad_status++;
        CHECK(0, "line %d: %s returned %d (%s), expected %d (%s); message '%s'", line, fn, got,
              sl_status_string(got), expect, sl_status_string(expect), msg);
    } else if (expect != SL_OK && !(flags & NMSG) &&
               (strncmp(msg, fn, len) != 0 || msg[len] != ':' || !msg[len + 1])) {
        nbad_msg++;
        CHECK(0, "line %d: %s message '%s' does not start with '%s:'", line, fn, msg, fn);
    } else if (expect != SL_OK && !(flags & NMSG) && sl_ctx_last_status(F.ctx) != expect) {
        nbad_msg++;
        CHECK(0, "line %d: %s: sl_ctx_last_status %d, expected %d", line, fn, sl_ctx_last_status(F.ctx), expect);
    } else {
        check_passed++;
    }
    fx_free();
    int works = ctx_works();
    size_t bytes = sl_ctx_bytes_in_use(F.ctx);
    if (!works || bytes != base_bytes) {
        nbad_after++;
        CHECK(0, "line %d: %s: afterwards the context %s, %zu bytes in use (%zu before)", line, fn,
              works ? "works" : "fails", bytes, base_bytes);
    }
    sl_ctx_clear_error(F.ctx);
}

/* A case: a fresh fixture, the call, the checks.  `call` is evaluated after
 * the fixture exists, so it may use F's members. */
#define CASE(fn, expect, flags, call)                        \
    do {                                                     \
        fx_make();                                           \
        sl_status st_ = (call);                              \
        record(fn, expect, flags, st_, __LINE__);            \
    } while (0)

/* Status of a node-returning graph call. */
static sl_status gst(sl_graph *g, sl_node *n)
{
    if (!g) return n ? SL_OK : SL_ERR_NULL;
    sl_status s = sl_graph_status(g);
    return s ? s : n ? SL_OK : SL_ERR_GRAPH;
}
#define G(expr) gst(F.g, (expr))

/* Calls that would create an object on success destroy it again. */
static sl_status tensor_done(sl_status st, sl_tensor *t) { sl_tensor_destroy(t); return st; }
#define TOUT (&T_OUT)
static sl_status tres(sl_status st) { sl_tensor_destroy(T_OUT); T_OUT = NULL; return st; }
#define TRES(call) tres(call)
static sl_status ctx_done(sl_status st) { sl_ctx_destroy(C_OUT); C_OUT = NULL; return st; }
static sl_status plan_done(sl_status st) { sl_plan_destroy(P_OUT); P_OUT = NULL; return st; }
static sl_status optim_done(sl_status st) { sl_optim_destroy(O_OUT); O_OUT = NULL; return st; }

/* ---- value tables ------------------------------------------------------------ */
typedef struct { int rank; const int64_t *shape; sl_status st; } shape_case;
/* bad (rank, shape) for every call that takes a new shape */
static const shape_case bad_shapes[] = {
    {-1, I64(3, 4), SL_ERR_SHAPE}, {9, I64(1, 1, 1, 1, 1, 1, 1, 1, 1), SL_ERR_SHAPE},
    {INT_MIN, I64(3), SL_ERR_SHAPE}, {INT_MAX, I64(3), SL_ERR_SHAPE}, {2, NULL, SL_ERR_NULL},
    {2, I64(0, 4), SL_ERR_SHAPE}, {2, I64(-1, 4), SL_ERR_SHAPE}, {1, I64(INT64_MIN), SL_ERR_SHAPE},
    {2, I64(BIG, BIG), SL_ERR_SHAPE}, {2, I64(INT64_MAX, 2), SL_ERR_SHAPE},
    {2, I64(INT64_MAX, INT64_MAX), SL_ERR_SHAPE}, {3, I64(BIG, 1 << 16, 2), SL_ERR_SHAPE},
};
#define NSHAPES (int)(sizeof bad_shapes / sizeof bad_shapes[0])
/* bad targets for reshaping a 12-element tensor or node */
static const shape_case bad_reshapes[] = {
    {-1, I64(12), SL_ERR_SHAPE}, {9, I64(12, 1, 1, 1, 1, 1, 1, 1, 1), SL_ERR_SHAPE}, {2, NULL, SL_ERR_NULL},
    {2, I64(5, 5), SL_ERR_SHAPE}, {2, I64(0, 12), SL_ERR_SHAPE}, {2, I64(-2, 6), SL_ERR_SHAPE},
    {2, I64(-1, -1), SL_ERR_SHAPE}, {2, I64(-1, 5), SL_ERR_SHAPE}, {2, I64(BIG, BIG), SL_ERR_SHAPE},
    {2, I64(INT64_MAX, INT64_MAX), SL_ERR_SHAPE}, {3, I64(-1, INT64_MAX, 2), SL_ERR_SHAPE},
    {1, I64(INT64_MIN), SL_ERR_SHAPE},
};
#define NRESHAPES (int)(sizeof bad_reshapes / sizeof bad_reshapes[0])
static const sl_dtype bad_dtypes[] = {0, 3, -1, INT_MAX};
static const int bad_axes[] = {2, -3, INT_MAX, INT_MIN};          /* for rank 2 */
static const int bad_flags[] = {2, -1, INT_MAX};                  /* for 0/1 flags */
static const double nonfinite[] = {NAN, INFINITY, -INFINITY};
static const int bad_dims[] = {0, -1, 4097, INT_MAX, INT_MIN};    /* analysis d, n */
static const double bad_tols[] = {NAN, 1.0, INFINITY, 2.0};
#define N_(a) (int)(sizeof(a) / sizeof((a)[0]))

static void free_hook(void *user, void *ptr) { (void)user; free(ptr); }

/* ---- core ---------------------------------------------------------------------- */
static void cases_core(void)
{
    CASE("sl_ctx_create", SL_ERR_NULL, NMSG, sl_ctx_create(NULL, NULL));
    static const size_t sizes[] = {0, 1, 8};
    for (int i = 0; i < N_(sizes); ++i) {
        CASE("sl_ctx_opts_init_sized", SL_ERR_ARG, NMSG, sl_ctx_opts_init_sized(&(sl_ctx_opts){0}, sizes[i]));
        CASE("sl_ctx_create", SL_ERR_ARG, NMSG, ctx_done(sl_ctx_create(&C_OUT, &(sl_ctx_opts){.size = sizes[i]})));
    }
    CASE("sl_ctx_opts_init_sized", SL_ERR_NULL, NMSG, sl_ctx_opts_init_sized(NULL, sizeof(sl_ctx_opts)));
    static const int threads[] = {-1, INT_MIN};
    for (int i = 0; i < N_(threads); ++i) {
        sl_ctx_opts o = SL_CTX_OPTS_INIT;
        o.nthreads = threads[i];
        CASE("sl_ctx_create", SL_ERR_ARG, NMSG, ctx_done(sl_ctx_create(&C_OUT, &o)));
    }
    {
        sl_ctx_opts o = SL_CTX_OPTS_INIT;
        o.free = free_hook;   /* free without alloc */
        CASE("sl_ctx_create", SL_ERR_ARG, NMSG, ctx_done(sl_ctx_create(&C_OUT, &o)));
    }
    static const int bad_threads[] = {0, -1, INT_MIN};
    for (int i = 0; i < N_(bad_threads); ++i)
        CASE("sl_ctx_set_threads", SL_ERR_ARG, 0, sl_ctx_set_threads(F.ctx, bad_threads[i]));
    CASE("sl_ctx_set_threads", SL_ERR_NULL, NMSG, sl_ctx_set_threads(NULL, 1));
    CASE("sl_ctx_set_seed", SL_ERR_NULL, NMSG, sl_ctx_set_seed(NULL, 1));
}

/* ---- tensor --------------------------------------------------------------------- */
static void cases_tensor(void)
{
    for (int i = 0; i < NSHAPES; ++i) {
        const shape_case *s = &bad_shapes[i];
        CASE("sl_tensor_create", s->st, 0, TRES(sl_tensor_create(F.ctx, SL_F64, s->rank, s->shape, TOUT)));
        double buf[16];
        CASE("sl_tensor_wrap", s->st, 0, TRES(sl_tensor_wrap(F.ctx, SL_F64, s->rank, s->shape, NULL, buf, TOUT)));
    }
    for (int i = 0; i < N_(bad_dtypes); ++i) {
        double buf[16];
        CASE("sl_tensor_create", SL_ERR_DTYPE, 0, TRES(sl_tensor_create(F.ctx, bad_dtypes[i], 2, I64(3, 4), TOUT)));
        CASE("sl_tensor_wrap", SL_ERR_DTYPE, 0,
             TRES(sl_tensor_wrap(F.ctx, bad_dtypes[i], 2, I64(3, 4), NULL, buf, TOUT)));
    }
    double buf[16];
    CASE("sl_tensor_create", SL_ERR_NULL, 0, sl_tensor_create(F.ctx, SL_F64, 2, I64(3, 4), NULL));
    CASE("sl_tensor_create", SL_ERR_NULL, NMSG, TRES(sl_tensor_create(NULL, SL_F64, 2, I64(3, 4), TOUT)));
    CASE("sl_tensor_wrap", SL_ERR_NULL, 0, sl_tensor_wrap(F.ctx, SL_F64, 2, I64(3, 4), NULL, buf, NULL));
    CASE("sl_tensor_wrap", SL_ERR_NULL, 0, TRES(sl_tensor_wrap(F.ctx, SL_F64, 2, I64(3, 4), NULL, NULL, TOUT)));
    CASE("sl_tensor_wrap", SL_ERR_NULL, NMSG, TRES(sl_tensor_wrap(NULL, SL_F64, 2, I64(3, 4), NULL, buf, TOUT)));
    /* strides: negative, or reaching past 2^56 elements */
    static const int64_t bad_strides[][2] = {{-1, 1}, {4, -1}, {(int64_t)1 << 62, 1}, {INT64_MAX, 1},
                                             {1, INT64_MAX}, {(int64_t)1 << 56, 1}, {INT64_MIN, 1}};
    for (int i = 0; i < N_(bad_strides); ++i)
        CASE("sl_tensor_wrap", SL_ERR_ARG, 0,
             TRES(sl_tensor_wrap(F.ctx, SL_F64, 2, I64(3, 4), bad_strides[i], buf, TOUT)));
    /* views and clones */
    for (int i = 0; i < N_(bad_axes); ++i) {
        CASE("sl_tensor_slice", SL_ERR_ARG, 0, TRES(sl_tensor_slice(F.t, bad_axes[i], 0, 1, 1, TOUT)));
        CASE("sl_tensor_transpose", SL_ERR_ARG, 0, TRES(sl_tensor_transpose(F.t, bad_axes[i], 0, TOUT)));
        CASE("sl_tensor_transpose", SL_ERR_ARG, 0, TRES(sl_tensor_transpose(F.t, 1, bad_axes[i], TOUT)));
    }
    static const int64_t bad_ranges[][3] = {{-1, 2, 1}, {INT64_MIN, 2, 1}, {0, 4, 1}, {0, INT64_MAX, 1},
                                            {2, 2, 1}, {2, 1, 1}, {0, 2, 0}, {0, 2, -1}, {0, 2, INT64_MIN},
                                            {INT64_MAX, INT64_MAX, 1}};
    for (int i = 0; i < N_(bad_ranges); ++i)
        CASE("sl_tensor_slice", SL_ERR_ARG, 0,
             TRES(sl_tensor_slice(F.t, 0, bad_ranges[i][0], bad_ranges[i][1], bad_ranges[i][2], TOUT)));
    /* a huge step is valid (one element): no overflow */
    CASE("sl_tensor_slice", SL_OK, 0, TRES(sl_tensor_slice(F.t, 1, 1, 4, INT64_MAX, TOUT)));
    static const int bad_perms[][2] = {{0, 0}, {2, 0}, {-1, 1}, {INT_MAX, 0}, {1, INT_MIN}};
    for (int i = 0; i < N_(bad_perms); ++i)
        CASE("sl_tensor_permute", SL_ERR_ARG, 0, TRES(sl_tensor_permute(F.t, bad_perms[i], TOUT)));
    CASE("sl_tensor_permute", SL_ERR_NULL, 0, TRES(sl_tensor_permute(F.t, NULL, TOUT)));
    for (int i = 0; i < NRESHAPES; ++i)
        CASE("sl_tensor_reshape", bad_reshapes[i].st, 0,
             TRES(sl_tensor_reshape(F.t, bad_reshapes[i].rank, bad_reshapes[i].shape, TOUT)));
    {
        sl_tensor *tr = NULL;
        CASE("sl_tensor_reshape", SL_ERR_SHAPE, 0,
             (sl_tensor_transpose(F.t, 0, 1, &tr), tensor_done(TRES(sl_tensor_reshape(tr, 1, I64(12), TOUT)), tr)));
    }
    /* NULL out (crashed in _clone) and NULL tensor (no context: no message) */
    CASE("sl_tensor_slice", SL_ERR_NULL, 0, sl_tensor_slice(F.t, 0, 0, 1, 1, NULL));
    CASE("sl_tensor_permute", SL_ERR_NULL, 0, sl_tensor_permute(F.t, INTS(1, 0), NULL));
    CASE("sl_tensor_transpose", SL_ERR_NULL, 0, sl_tensor_transpose(F.t, 0, 1, NULL));
    CASE("sl_tensor_reshape", SL_ERR_NULL, 0, sl_tensor_reshape(F.t, 1, I64(12), NULL));
    CASE("sl_tensor_clone", SL_ERR_NULL, 0, sl_tensor_clone(F.t, NULL));
    CASE("sl_tensor_slice", SL_ERR_NULL, NMSG, TRES(sl_tensor_slice(NULL, 0, 0, 1, 1, TOUT)));
    CASE("sl_tensor_permute", SL_ERR_NULL, NMSG, TRES(sl_tensor_permute(NULL, INTS(1, 0), TOUT)));
    CASE("sl_tensor_transpose", SL_ERR_NULL, NMSG, TRES(sl_tensor_transpose(NULL, 0, 1, TOUT)));
    CASE("sl_tensor_reshape", SL_ERR_NULL, NMSG, TRES(sl_tensor_reshape(NULL, 1, I64(12), TOUT)));
    CASE("sl_tensor_clone", SL_ERR_NULL, NMSG, TRES(sl_tensor_clone(NULL, TOUT)));
    /* copy, fill, get/set, check_finite */
    CASE("sl_tensor_copy", SL_ERR_NULL, NMSG, sl_tensor_copy(NULL, F.t));
    CASE("sl_tensor_copy", SL_ERR_NULL, 0, sl_tensor_copy(F.t, NULL));
    CASE("sl_tensor_copy", SL_ERR_DTYPE, 0, sl_tensor_copy(F.t, F.tz));
    {
        sl_tensor *sl = NULL;
        CASE("sl_tensor_copy", SL_ERR_SHAPE, 0,
             (sl_tensor_slice(F.t, 0, 0, 2, 1, &sl), tensor_done(sl_tensor_copy(F.t, sl), sl)));
    }
    CASE("sl_tensor_fill", SL_ERR_NULL, NMSG, sl_tensor_fill(NULL, 0, 0));
    CASE("sl_tensor_fill_uniform", SL_ERR_NULL, NMSG, sl_tensor_fill_uniform(NULL, 1, 0, 1));
    CASE("sl_tensor_fill_normal", SL_ERR_NULL, NMSG, sl_tensor_fill_normal(NULL, 1, 0, 1));
    for (int i = 0; i < N_(nonfinite); ++i) {
        CASE("sl_tensor_fill_uniform", SL_ERR_ARG, 0, sl_tensor_fill_uniform(F.t, 1, nonfinite[i], 1));
        CASE("sl_tensor_fill_uniform", SL_ERR_ARG, 0, sl_tensor_fill_uniform(F.t, 1, 0, nonfinite[i]));
        CASE("sl_tensor_fill_normal", SL_ERR_ARG, 0, sl_tensor_fill_normal(F.t, 1, nonfinite[i], 1));
        CASE("sl_tensor_fill_normal", SL_ERR_ARG, 0, sl_tensor_fill_normal(F.t, 1, 0, nonfinite[i]));
    }
    CASE("sl_tensor_fill_uniform", SL_ERR_ARG, 0, sl_tensor_fill_uniform(F.t, 1, 1, 0));
    CASE("sl_tensor_fill_normal", SL_ERR_ARG, 0, sl_tensor_fill_normal(F.t, 1, 0, -1));
    static const int64_t bad_index[][2] = {{-1, 0}, {3, 0}, {0, 4}, {INT64_MAX, 0}, {INT64_MIN, 0}, {0, BIG}};
    double v[2] = {0, 0};
    for (int i = 0; i < N_(bad_index); ++i) {
        CASE("sl_tensor_get", SL_ERR_ARG, 0, sl_tensor_get(F.t, bad_index[i], v));
        CASE("sl_tensor_set", SL_ERR_ARG, 0, sl_tensor_set(F.t, bad_index[i], v));
    }
    CASE("sl_tensor_get", SL_ERR_NULL, 0, sl_tensor_get(F.t, NULL, v));
    CASE("sl_tensor_set", SL_ERR_NULL, 0, sl_tensor_set(F.t, NULL, v));
    CASE("sl_tensor_get", SL_ERR_NULL, 0, sl_tensor_get(F.t, I64(0, 0), NULL));
    CASE("sl_tensor_set", SL_ERR_NULL, 0, sl_tensor_set(F.t, I64(0, 0), NULL));
    CASE("sl_tensor_get", SL_ERR_NULL, NMSG, sl_tensor_get(NULL, I64(0, 0), v));
    CASE("sl_tensor_set", SL_ERR_NULL, NMSG, sl_tensor_set(NULL, I64(0, 0), v));
    CASE("sl_tensor_check_finite", SL_ERR_NONFINITE, 0, sl_tensor_check_finite(F.tnan));
    CASE("sl_tensor_check_finite", SL_ERR_NULL, NMSG, sl_tensor_check_finite(NULL));
}

/* ---- graph: leaves ---------------------------------------------------------------- */
static void cases_leaves(void)
{
    double data[16] = {0};
    for (int i = 0; i < NSHAPES; ++i) {
        const shape_case *s = &bad_shapes[i];
        CASE("sl_graph_input", s->st, 0, G(sl_graph_input(F.g, SL_F64, s->rank, s->shape, "in")));
        CASE("sl_graph_param", s->st, 0, G(sl_graph_param(F.g, SL_F64, s->rank, s->shape, NULL, "par")));
        CASE("sl_graph_constant", s->st, 0, G(sl_graph_constant(F.g, SL_F64, s->rank, s->shape, data)));
        CASE("sl_graph_full", s->st, 0, G(sl_graph_full(F.g, SL_F64, s->rank, s->shape, 1, 0)));
        CASE("sl_graph_broadcast", s->st, 0, G(sl_graph_broadcast(F.g, F.x, s->rank, s->shape)));
    }
    for (int i = 0; i < N_(bad_dtypes); ++i) {
        sl_dtype dt = bad_dtypes[i];
        CASE("sl_graph_input", SL_ERR_DTYPE, 0, G(sl_graph_input(F.g, dt, 1, I64(2), "in")));
        CASE("sl_graph_param", SL_ERR_DTYPE, 0, G(sl_graph_param(F.g, dt, 1, I64(2), NULL, "par")));
        CASE("sl_graph_constant", SL_ERR_DTYPE, 0, G(sl_graph_constant(F.g, dt, 1, I64(2), data)));
        CASE("sl_graph_full", SL_ERR_DTYPE, 0, G(sl_graph_full(F.g, dt, 1, I64(2), 1, 0)));
        CASE("sl_graph_eye", SL_ERR_DTYPE, 0, G(sl_graph_eye(F.g, dt, 2)));
    }
    for (int i = 0; i < N_(nonfinite); ++i) {
        double bad[2] = {0, nonfinite[i]};
        CASE("sl_graph_param", SL_ERR_NONFINITE, 0, G(sl_graph_param(F.g, SL_F64, 1, I64(2), bad, "par")));
        CASE("sl_graph_constant", SL_ERR_NONFINITE, 0, G(sl_graph_constant(F.g, SL_C128, 0, NULL, bad)));
        CASE("sl_graph_full", SL_ERR_NONFINITE, 0, G(sl_graph_full(F.g, SL_F64, 1, I64(2), nonfinite[i], 0)));
        CASE("sl_graph_full", SL_ERR_NONFINITE, 0, G(sl_graph_full(F.g, SL_C128, 1, I64(2), 0, nonfinite[i])));
        CASE("sl_graph_scalar", SL_ERR_NONFINITE, 0, G(sl_graph_scalar(F.g, nonfinite[i])));
    }
    CASE("sl_graph_full", SL_ERR_DTYPE, 0, G(sl_graph_full(F.g, SL_F64, 1, I64(2), 0, 1)));
    CASE("sl_graph_constant", SL_ERR_NULL, 0, G(sl_graph_constant(F.g, SL_F64, 1, I64(2), NULL)));
    CASE("sl_graph_constant_tensor", SL_ERR_NULL, 0, G(sl_graph_constant_tensor(F.g, NULL)));
    CASE("sl_graph_constant_tensor", SL_ERR_NONFINITE, 0, G(sl_graph_constant_tensor(F.g, F.tnan)));
    static const int64_t bad_n[] = {0, -1, BIG, INT64_MAX, INT64_MIN};
    for (int i = 0; i < N_(bad_n); ++i) CASE("sl_graph_eye", SL_ERR_SHAPE, 0, G(sl_graph_eye(F.g, SL_F64, bad_n[i])));
    CASE("sl_graph_create", SL_ERR_NULL, 0, sl_graph_create(F.ctx, NULL));
    {
        sl_graph *g2 = NULL;
        CASE("sl_graph_create", SL_ERR_NULL, NMSG, sl_graph_create(NULL, &g2));
    }
    CASE("sl_graph_input", SL_ERR_NULL, NMSG, gst(NULL, sl_graph_input(NULL, SL_F64, 0, NULL, "in")));
    CASE("sl_graph_scalar", SL_ERR_NULL, NMSG, gst(NULL, sl_graph_scalar(NULL, 1)));
}

/* ---- graph: ops ------------------------------------------------------------------------ */
typedef sl_node *(*unary_fn)(sl_graph *, sl_node *);
typedef sl_node *(*binary_fn)(sl_graph *, sl_node *, sl_node *);
typedef sl_node *(*scalar_fn)(sl_graph *, sl_node *, double);
#define FN(f) {#f, f}
static const struct { const char *name; unary_fn f; } unaries[] = {
    FN(sl_graph_neg), FN(sl_graph_square), FN(sl_graph_exp), FN(sl_graph_log), FN(sl_graph_sqrt),
    FN(sl_graph_sin), FN(sl_graph_cos), FN(sl_graph_tanh), FN(sl_graph_sigmoid), FN(sl_graph_softplus),
    FN(sl_graph_relu), FN(sl_graph_abs), FN(sl_graph_conj), FN(sl_graph_real), FN(sl_graph_imag),
    FN(sl_graph_view_real), FN(sl_graph_view_complex), FN(sl_graph_transpose), FN(sl_graph_adjoint),
    FN(sl_graph_trace), FN(sl_graph_sum), FN(sl_graph_mean),
};
static sl_node *matmul_ex_nn(sl_graph *g, sl_node *a, sl_node *b) { return sl_graph_matmul_ex(g, a, SL_OP_N, b, SL_OP_N); }
static const struct { const char *name; binary_fn f; } binaries[] = {
    FN(sl_graph_add), FN(sl_graph_sub), FN(sl_graph_mul), FN(sl_graph_div), FN(sl_graph_pow),
    FN(sl_graph_matmul), {"sl_graph_matmul_ex", matmul_ex_nn}, FN(sl_graph_dot), FN(sl_graph_complex),
};
static sl_node *mul_complex_re(sl_graph *g, sl_node *x, double s) { return sl_graph_mul_complex_scalar(g, x, s, 0); }
static const struct { const char *name; scalar_fn f; } scalars[] = {
    FN(sl_graph_add_scalar), FN(sl_graph_mul_scalar), {"sl_graph_mul_complex_scalar", mul_complex_re},
    FN(sl_graph_pow_scalar), FN(sl_graph_rsub_scalar),
};

static void cases_ops(void)
{
    for (int i = 0; i < N_(unaries); ++i) {
        const char *fn = unaries[i].name;
        CASE(fn, SL_ERR_NULL, 0, G(unaries[i].f(F.g, NULL)));
        CASE(fn, SL_ERR_GRAPH, 0, G(unaries[i].f(F.g, F.foreign)));
        CASE(fn, SL_ERR_NULL, NMSG, gst(NULL, unaries[i].f(NULL, F.x)));
    }
    /* wrong dtypes and ranks */
    static const char *real_only[] = {"sl_graph_sigmoid", "sl_graph_softplus", "sl_graph_relu", "sl_graph_view_complex"};
    for (int i = 0; i < N_(unaries); ++i)
        for (int k = 0; k < N_(real_only); ++k)
            if (!strcmp(unaries[i].name, real_only[k]))
                CASE(unaries[i].name, SL_ERR_DTYPE, 0, G(unaries[i].f(F.g, F.z)));
    CASE("sl_graph_imag", SL_ERR_DTYPE, 0, G(sl_graph_imag(F.g, F.x)));
    CASE("sl_graph_view_real", SL_ERR_DTYPE, 0, G(sl_graph_view_real(F.g, F.x)));
    CASE("sl_graph_view_complex", SL_ERR_SHAPE, 0, G(sl_graph_view_complex(F.g, F.x)));
    CASE("sl_graph_transpose", SL_ERR_SHAPE, 0, G(sl_graph_transpose(F.g, F.y)));
    CASE("sl_graph_adjoint", SL_ERR_SHAPE, 0, G(sl_graph_adjoint(F.g, F.y)));
    CASE("sl_graph_trace", SL_ERR_SHAPE, 0, G(sl_graph_trace(F.g, F.x)));
    CASE("sl_graph_trace", SL_ERR_SHAPE, 0, G(sl_graph_trace(F.g, F.y)));
    for (int i = 0; i < N_(binaries); ++i) {
        const char *fn = binaries[i].name;
        CASE(fn, SL_ERR_NULL, 0, G(binaries[i].f(F.g, NULL, F.x)));
        CASE(fn, SL_ERR_NULL, 0, G(binaries[i].f(F.g, F.x, NULL)));
        CASE(fn, SL_ERR_GRAPH, 0, G(binaries[i].f(F.g, F.x, F.foreign)));
        CASE(fn, SL_ERR_GRAPH, 0, G(binaries[i].f(F.g, F.foreign, F.x)));
        CASE(fn, SL_ERR_DTYPE, 0, G(binaries[i].f(F.g, F.x, F.z)));
        CASE(fn, SL_ERR_SHAPE, 0, G(binaries[i].f(F.g, F.x, F.W)));
        CASE(fn, SL_ERR_NULL, NMSG, gst(NULL, binaries[i].f(NULL, F.x, F.x)));
    }
    /* broadcasting past 2^56 elements */
    {
        static const char *bc[] = {"sl_graph_add", "sl_graph_sub", "sl_graph_mul", "sl_graph_div", "sl_graph_pow",
                                   "sl_graph_dot"};
        for (int i = 0; i < N_(binaries); ++i)
            for (int k = 0; k < N_(bc); ++k)
                if (!strcmp(binaries[i].name, bc[k]))
                    CASE(bc[k], SL_ERR_SHAPE, 0,
                         G(binaries[i].f(F.g, sl_graph_input(F.g, SL_F64, 2, I64(1 << 30, 1), "a"),
                                         sl_graph_input(F.g, SL_F64, 2, I64(1, 1 << 30), "b"))));
        CASE("sl_graph_matmul", SL_ERR_SHAPE, 0,
             G(sl_graph_matmul(F.g, sl_graph_input(F.g, SL_F64, 4, I64(1 << 28, 1, 3, 4), "a"),
                               sl_graph_input(F.g, SL_F64, 4, I64(1, 1 << 28, 4, 5), "b"))));
    }
    static const int bad_ops[] = {3, -1, INT_MAX, INT_MIN};
    for (int i = 0; i < N_(bad_ops); ++i) {
        CASE("sl_graph_matmul_ex", SL_ERR_ARG, 0, G(sl_graph_matmul_ex(F.g, F.q, bad_ops[i], F.q, SL_OP_N)));
        CASE("sl_graph_matmul_ex", SL_ERR_ARG, 0, G(sl_graph_matmul_ex(F.g, F.q, SL_OP_N, F.q, bad_ops[i])));
    }
    CASE("sl_graph_matmul", SL_ERR_SHAPE, 0, G(sl_graph_matmul(F.g, F.y, F.q)));
    CASE("sl_graph_matmul_ex", SL_ERR_SHAPE, 0, G(sl_graph_matmul_ex(F.g, F.x, SL_OP_N, F.q, SL_OP_T)));
    CASE("sl_graph_dot", SL_ERR_ARG, 0, G(sl_graph_dot(F.g, F.y, F.y)));   /* no last axis to sum */
    CASE("sl_graph_complex", SL_ERR_DTYPE, 0, G(sl_graph_complex(F.g, F.z, F.z)));
    for (int i = 0; i < N_(scalars); ++i) {
        for (int k = 0; k < N_(nonfinite); ++k)
            CASE(scalars[i].name, SL_ERR_NONFINITE, 0, G(scalars[i].f(F.g, F.x, nonfinite[k])));
        CASE(scalars[i].name, SL_ERR_NULL, 0, G(scalars[i].f(F.g, NULL, 2.0)));
        CASE(scalars[i].name, SL_ERR_GRAPH, 0, G(scalars[i].f(F.g, F.foreign, 2.0)));
    }
    for (int k = 0; k < N_(nonfinite); ++k)
        CASE("sl_graph_mul_complex_scalar", SL_ERR_NONFINITE, 0, G(sl_graph_mul_complex_scalar(F.g, F.z, 1, nonfinite[k])));
    CASE("sl_graph_mul_complex_scalar", SL_ERR_DTYPE, 0, G(sl_graph_mul_complex_scalar(F.g, F.x, 1, 1)));
}

/* ---- graph: shape ops, reductions, gradients --------------------------------------------- */
static void cases_shape_ops(void)
{
    static const int bad_perms[][2] = {{0, 0}, {2, 0}, {-1, 1}, {INT_MAX, 0}, {1, INT_MIN}};
    for (int i = 0; i < N_(bad_perms); ++i)
        CASE("sl_graph_permute", SL_ERR_ARG, 0, G(sl_graph_permute(F.g, F.x, bad_perms[i])));
    CASE("sl_graph_permute", SL_ERR_NULL, 0, G(sl_graph_permute(F.g, F.x, NULL)));
    CASE("sl_graph_permute", SL_ERR_NULL, 0, G(sl_graph_permute(F.g, NULL, INTS(1, 0))));
    for (int i = 0; i < NRESHAPES; ++i)
        CASE("sl_graph_reshape", bad_reshapes[i].st, 0,
             G(sl_graph_reshape(F.g, F.x, bad_reshapes[i].rank, bad_reshapes[i].shape)));
    CASE("sl_graph_reshape", SL_ERR_NULL, 0, G(sl_graph_reshape(F.g, NULL, 1, I64(12))));
    CASE("sl_graph_broadcast", SL_ERR_SHAPE, 0, G(sl_graph_broadcast(F.g, F.x, 2, I64(5, 5))));
    CASE("sl_graph_broadcast", SL_ERR_SHAPE, 0, G(sl_graph_broadcast(F.g, F.x, 1, I64(4))));
    CASE("sl_graph_broadcast", SL_ERR_NULL, 0, G(sl_graph_broadcast(F.g, NULL, 1, I64(4))));
    for (int i = 0; i < N_(bad_axes); ++i) {
        int a = bad_axes[i];
        CASE("sl_graph_slice", SL_ERR_ARG, 0, G(sl_graph_slice(F.g, F.x, a, 0, 1, 1)));
        CASE("sl_graph_gather", SL_ERR_ARG, 0, G(sl_graph_gather(F.g, F.x, a, 1, I64(0))));
        CASE("sl_graph_roll", SL_ERR_ARG, 0, G(sl_graph_roll(F.g, F.x, a, 1)));
        CASE("sl_graph_concat", SL_ERR_ARG, 0, G(sl_graph_concat(F.g, 2, (sl_node *[]){F.x, F.p}, a)));
        CASE("sl_graph_sum_axes", SL_ERR_ARG, 0, G(sl_graph_sum_axes(F.g, F.x, 1, &a, 0)));
        CASE("sl_graph_mean_axes", SL_ERR_ARG, 0, G(sl_graph_mean_axes(F.g, F.x, 1, &a, 0)));
    }
    static const int64_t bad_ranges[][3] = {{-1, 2, 1}, {INT64_MIN, 2, 1}, {0, 4, 1}, {0, INT64_MAX, 1},
                                            {2, 2, 1}, {2, 1, 1}, {0, 2, 0}, {0, 2, -1}, {0, 2, INT64_MIN},
                                            {INT64_MAX, INT64_MAX, 1}};
    for (int i = 0; i < N_(bad_ranges); ++i)
        CASE("sl_graph_slice", SL_ERR_ARG, 0,
             G(sl_graph_slice(F.g, F.x, 0, bad_ranges[i][0], bad_ranges[i][1], bad_ranges[i][2])));
    CASE("sl_graph_slice", SL_OK, 0, G(sl_graph_slice(F.g, F.x, 1, 1, 4, INT64_MAX)));
    CASE("sl_graph_roll", SL_OK, 0, G(sl_graph_roll(F.g, F.x, 1, INT64_MIN)));
    static const int64_t bad_counts[] = {0, -1, INT64_MIN};
    for (int i = 0; i < N_(bad_counts); ++i)
        CASE("sl_graph_gather", SL_ERR_ARG, 0, G(sl_graph_gather(F.g, F.x, 0, bad_counts[i], I64(0))));
    /* the result shape is checked before the index array is read */
    CASE("sl_graph_gather", SL_ERR_SHAPE, 0, G(sl_graph_gather(F.g, F.x, 0, INT64_MAX, I64(0))));
    static const int64_t bad_idx[] = {-1, 3, INT64_MAX, INT64_MIN};
    for (int i = 0; i < N_(bad_idx); ++i)
        CASE("sl_graph_gather", SL_ERR_ARG, 0, G(sl_graph_gather(F.g, F.x, 0, 2, I64(0, bad_idx[i]))));
    CASE("sl_graph_gather", SL_ERR_NULL, 0, G(sl_graph_gather(F.g, F.x, 0, 1, NULL)));
    static const int bad_n[] = {0, -1, INT_MIN};
    for (int i = 0; i < N_(bad_n); ++i)
        CASE("sl_graph_concat", SL_ERR_ARG, 0, G(sl_graph_concat(F.g, bad_n[i], (sl_node *[]){F.x}, 0)));
    CASE("sl_graph_concat", SL_ERR_ARG, 0, G(sl_graph_concat(F.g, 2, NULL, 0)));
    CASE("sl_graph_concat", SL_ERR_NULL, 0, G(sl_graph_concat(F.g, 2, (sl_node *[]){F.x, NULL}, 0)));
    CASE("sl_graph_concat", SL_ERR_GRAPH, 0, G(sl_graph_concat(F.g, 2, (sl_node *[]){F.x, F.foreign}, 0)));
    CASE("sl_graph_concat", SL_ERR_DTYPE, 0, G(sl_graph_concat(F.g, 2, (sl_node *[]){F.x, F.z}, 0)));
    CASE("sl_graph_concat", SL_ERR_SHAPE, 0, G(sl_graph_concat(F.g, 2, (sl_node *[]){F.x, F.W}, 0)));
    CASE("sl_graph_concat", SL_ERR_SHAPE, 0, G(sl_graph_concat(F.g, 2, (sl_node *[]){F.x, F.q}, 0)));
    {
        int64_t half = (int64_t)1 << 55;
        CASE("sl_graph_concat", SL_ERR_SHAPE, 0,
             G(sl_graph_concat(F.g, 3, (sl_node *[]){sl_graph_input(F.g, SL_F64, 1, &half, "a"),
                                                    sl_graph_input(F.g, SL_F64, 1, &half, "b"),
                                                    sl_graph_input(F.g, SL_F64, 1, &half, "c")}, 0)));
    }
    /* reductions: bad naxes, repeated axes (issue 9), keepdims not 0/1 */
    const struct { int naxes; const int *axes; } bad_red[] = {
        {-1, INTS(0)}, {INT_MIN, INTS(0)}, {1, NULL}, {2, INTS(0, 0)}, {2, INTS(1, -1)}, {3, INTS(0, 1, 0)},
    };
    for (int i = 0; i < N_(bad_red); ++i) {
        CASE("sl_graph_sum_axes", SL_ERR_ARG, 0, G(sl_graph_sum_axes(F.g, F.x, bad_red[i].naxes, bad_red[i].axes, 0)));
        CASE("sl_graph_mean_axes", SL_ERR_ARG, 0, G(sl_graph_mean_axes(F.g, F.x, bad_red[i].naxes, bad_red[i].axes, 0)));
    }
    for (int i = 0; i < N_(bad_flags); ++i) {
        CASE("sl_graph_sum_axes", SL_ERR_ARG, 0, G(sl_graph_sum_axes(F.g, F.x, 1, INTS(0), bad_flags[i])));
        CASE("sl_graph_mean_axes", SL_ERR_ARG, 0, G(sl_graph_mean_axes(F.g, F.x, 1, INTS(0), bad_flags[i])));
    }
    CASE("sl_graph_sum_axes", SL_ERR_NULL, 0, G(sl_graph_sum_axes(F.g, NULL, 1, INTS(0), 0)));
    CASE("sl_graph_mean_axes", SL_ERR_NULL, 0, G(sl_graph_mean_axes(F.g, NULL, 1, INTS(0), 0)));
    /* gradients */
    sl_node *out[2];
    CASE("sl_graph_grad", SL_ERR_NULL, 0, sl_graph_grad(F.g, NULL, 1, &F.p, out));
    CASE("sl_graph_grad", SL_ERR_SHAPE, 0, sl_graph_grad(F.g, F.vec, 1, &F.p, out));
    CASE("sl_graph_grad", SL_ERR_DTYPE, 0, sl_graph_grad(F.g, sl_graph_sum(F.g, F.z), 1, &F.p, out));
    CASE("sl_graph_grad", SL_ERR_ARG, 0, sl_graph_grad(F.g, F.y, -1, &F.p, out));
    CASE("sl_graph_grad", SL_ERR_NULL, 0, sl_graph_grad(F.g, F.y, 1, NULL, out));
    CASE("sl_graph_grad", SL_ERR_NULL, 0, sl_graph_grad(F.g, F.y, 1, &F.p, NULL));
    CASE("sl_graph_grad", SL_ERR_NULL, 0, sl_graph_grad(F.g, F.y, 2, (sl_node *[]){F.p, NULL}, out));
    CASE("sl_graph_grad", SL_ERR_GRAPH, 0, sl_graph_grad(F.g, F.y, 1, &F.foreign, out));
    CASE("sl_graph_grad", SL_ERR_NULL, NMSG, sl_graph_grad(NULL, F.y, 1, &F.p, out));
    CASE("sl_graph_grad1", SL_ERR_NULL, 0, G(sl_graph_grad1(F.g, NULL, F.p)));
    CASE("sl_graph_grad1", SL_ERR_NULL, 0, G(sl_graph_grad1(F.g, F.y, NULL)));
    CASE("sl_graph_grad1", SL_ERR_SHAPE, 0, G(sl_graph_grad1(F.g, F.vec, F.p)));
    CASE("sl_graph_grad1", SL_ERR_GRAPH, 0, G(sl_graph_grad1(F.g, F.y, F.foreign)));
}

/* ---- plans ------------------------------------------------------------------------------- */
static void cases_plan(void)
{
    static const int bad_nout[] = {0, -1, INT_MIN};
    for (int i = 0; i < N_(bad_nout); ++i)
        CASE("sl_plan_create", SL_ERR_ARG, 0, plan_done(sl_plan_create(F.g, bad_nout[i], &F.y, &P_OUT)));
    CASE("sl_plan_create", SL_ERR_ARG, 0, plan_done(sl_plan_create(F.g, 1, NULL, &P_OUT)));
    CASE("sl_plan_create", SL_ERR_NULL, 0, plan_done(sl_plan_create(F.g, 2, (sl_node *[]){F.y, NULL}, &P_OUT)));
    CASE("sl_plan_create", SL_ERR_GRAPH, 0, plan_done(sl_plan_create(F.g, 1, &F.foreign, &P_OUT)));
    CASE("sl_plan_create", SL_ERR_NULL, 0, sl_plan_create(F.g, 1, &F.y, NULL));
    CASE("sl_plan_create", SL_ERR_NULL, NMSG, plan_done(sl_plan_create(NULL, 1, &F.y, &P_OUT)));
    CASE("sl_plan_create", SL_ERR_NULL, 0,
         (sl_graph_add(F.g, F.x, NULL), sl_ctx_clear_error(F.ctx), plan_done(sl_plan_create(F.g, 1, &F.y, &P_OUT))));
    CASE("sl_plan_bind", SL_ERR_NULL, 0, sl_plan_bind(F.plan, NULL, F.t));
    CASE("sl_plan_bind", SL_ERR_NULL, 0, sl_plan_bind(F.plan, F.x, NULL));
    CASE("sl_plan_bind", SL_ERR_ARG, 0, sl_plan_bind(F.plan, F.p, sl_tensor_data(F.t)));
    CASE("sl_plan_bind", SL_ERR_ARG, 0, sl_plan_bind(F.plan, F.y, sl_tensor_data(F.t)));
    CASE("sl_plan_bind", SL_ERR_GRAPH, 0, sl_plan_bind(F.plan, F.foreign, sl_tensor_data(F.t)));
    CASE("sl_plan_bind", SL_ERR_NULL, NMSG, sl_plan_bind(NULL, F.x, sl_tensor_data(F.t)));
    CASE("sl_plan_bind_tensor", SL_ERR_NULL, 0, sl_plan_bind_tensor(F.plan, F.x, NULL));
    CASE("sl_plan_bind_tensor", SL_ERR_DTYPE, 0, sl_plan_bind_tensor(F.plan, F.x, F.tz));
    CASE("sl_plan_bind_tensor", SL_ERR_ARG, 0, sl_plan_bind_tensor(F.plan, F.p, F.t));
    CASE("sl_plan_bind_tensor", SL_ERR_GRAPH, 0, sl_plan_bind_tensor(F.plan, F.foreign, F.t));
    {
        sl_tensor *sl = NULL;
        CASE("sl_plan_bind_tensor", SL_ERR_SHAPE, 0,
             (sl_tensor_slice(F.t, 0, 0, 2, 1, &sl), tensor_done(sl_plan_bind_tensor(F.plan, F.x, sl), sl)));
    }
    CASE("sl_plan_bind_tensor", SL_ERR_NULL, NMSG, sl_plan_bind_tensor(NULL, F.x, F.t));
    CASE("sl_plan_run", SL_ERR_UNBOUND, 0, sl_plan_run(F.plan));
    CASE("sl_plan_run", SL_ERR_NONFINITE, 0, (sl_plan_bind_tensor(F.plan, F.x, F.tnan), sl_plan_run(F.plan)));
    CASE("sl_plan_run", SL_ERR_NULL, NMSG, sl_plan_run(NULL));
    for (int i = 0; i < N_(bad_flags); ++i) {
        CASE("sl_plan_set_check_finite", SL_ERR_ARG, 0, sl_plan_set_check_finite(F.plan, bad_flags[i]));
        CASE("sl_plan_set_cache_data", SL_ERR_ARG, 0, sl_plan_set_cache_data(F.plan, bad_flags[i]));
    }
    CASE("sl_plan_set_check_finite", SL_ERR_NULL, NMSG, sl_plan_set_check_finite(NULL, 1));
    CASE("sl_plan_set_cache_data", SL_ERR_NULL, NMSG, sl_plan_set_cache_data(NULL, 1));
}

/* ---- optimisers ---------------------------------------------------------------------------- */
static sl_optim_opts opts_with(int kind, size_t off, const void *v, size_t n)
{
    sl_optim_opts o;
    sl_optim_opts_init(&o, kind);
    if (kind == SL_OPTIM_SGD) o.momentum = 0.5;   /* nesterov = 1 valid */
    if (v) memcpy((char *)&o + off, v, n);
    return o;
}
#define OPT_CREATE(o) optim_done(sl_optim_create(F.g, F.y, 0, NULL, &(o), &O_OUT))

static void cases_optim(void)
{
    static const size_t dbl[] = {offsetof(sl_optim_opts, lr), offsetof(sl_optim_opts, momentum),
                                 offsetof(sl_optim_opts, dampening), offsetof(sl_optim_opts, beta1),
                                 offsetof(sl_optim_opts, beta2), offsetof(sl_optim_opts, eps),
                                 offsetof(sl_optim_opts, weight_decay), offsetof(sl_optim_opts, tolerance_grad),
                                 offsetof(sl_optim_opts, tolerance_change)};
    static const double negative[] = {-1.0, -1e-300};
    static const size_t flags[] = {offsetof(sl_optim_opts, nesterov), offsetof(sl_optim_opts, amsgrad),
                                   offsetof(sl_optim_opts, line_search)};
    for (int kind = SL_OPTIM_SGD; kind <= SL_OPTIM_LBFGS; ++kind) {
        for (int i = 0; i < N_(dbl); ++i) {
            for (int k = 0; k < N_(nonfinite); ++k) {
                sl_optim_opts o = opts_with(kind, dbl[i], &nonfinite[k], sizeof(double));
                CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
            }
            for (int k = 0; k < N_(negative); ++k) {
                sl_optim_opts o = opts_with(kind, dbl[i], &negative[k], sizeof(double));
                CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
            }
        }
        for (int i = 0; i < N_(flags); ++i)
            for (int k = 0; k < N_(bad_flags); ++k) {
                sl_optim_opts o = opts_with(kind, flags[i], &bad_flags[k], sizeof(int));
                CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
            }
        static const double one = 1.0, zero = 0.0;
        sl_optim_opts o = opts_with(kind, offsetof(sl_optim_opts, beta1), &one, sizeof one);
        CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
        o = opts_with(kind, offsetof(sl_optim_opts, beta2), &one, sizeof one);
        CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
        o = opts_with(kind, offsetof(sl_optim_opts, lr), &zero, sizeof zero);
        CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
    }
    static const int bad_hist[] = {0, -1, 1025, 1 << 30, INT_MAX, INT_MIN};
    static const size_t lbfgs_int[] = {offsetof(sl_optim_opts, history), offsetof(sl_optim_opts, max_iter),
                                       offsetof(sl_optim_opts, max_eval)};
    for (int i = 0; i < N_(bad_hist); ++i) {
        sl_optim_opts o = opts_with(SL_OPTIM_LBFGS, lbfgs_int[0], &bad_hist[i], sizeof(int));
        CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
    }
    static const int bad_iter[] = {0, -1, INT_MIN};
    for (int j = 1; j < 3; ++j)
        for (int i = 0; i < N_(bad_iter); ++i) {
            sl_optim_opts o = opts_with(SL_OPTIM_LBFGS, lbfgs_int[j], &bad_iter[i], sizeof(int));
            CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
        }
    static const int bad_kinds[] = {0, 5, -1, INT_MAX, INT_MIN};
    for (int i = 0; i < N_(bad_kinds); ++i) {
        sl_optim_opts o;
        sl_optim_opts_init(&o, bad_kinds[i]);
        CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
    }
    {
        sl_optim_opts o = opts_with(SL_OPTIM_SGD, 0, NULL, 0);
        o.momentum = 0;
        o.nesterov = 1;
        CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
        static const size_t sizes[] = {0, 8, sizeof(sl_optim_opts) / 2};
        for (int i = 0; i < N_(sizes); ++i) {
            o = opts_with(SL_OPTIM_ADAM, 0, NULL, 0);
            o.size = sizes[i];
            CASE("sl_optim_create", SL_ERR_ARG, 0, OPT_CREATE(o));
        }
        o = opts_with(SL_OPTIM_ADAM, 0, NULL, 0);
        CASE("sl_optim_create", SL_ERR_NULL, 0, optim_done(sl_optim_create(F.g, F.y, 0, NULL, NULL, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_NULL, 0, sl_optim_create(F.g, F.y, 0, NULL, &o, NULL));
        CASE("sl_optim_create", SL_ERR_NULL, NMSG, optim_done(sl_optim_create(NULL, F.y, 0, NULL, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_NULL, 0, optim_done(sl_optim_create(F.g, NULL, 0, NULL, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_SHAPE, 0, optim_done(sl_optim_create(F.g, F.vec, 0, NULL, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_GRAPH, 0, optim_done(sl_optim_create(F.g, F.foreign, 0, NULL, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_DTYPE, 0,
             optim_done(sl_optim_create(F.g, sl_graph_sum(F.g, F.z), 0, NULL, &o, &O_OUT)));
        static const int bad_np[] = {-1, INT_MIN};
        for (int i = 0; i < N_(bad_np); ++i)
            CASE("sl_optim_create", SL_ERR_ARG, 0, optim_done(sl_optim_create(F.g, F.y, bad_np[i], &F.p, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_ARG, 0, optim_done(sl_optim_create(F.g, F.y, 1, NULL, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_NULL, 0,
             optim_done(sl_optim_create(F.g, F.y, 2, (sl_node *[]){F.p, NULL}, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_ARG, 0, optim_done(sl_optim_create(F.g, F.y, 1, &F.x, &o, &O_OUT)));
        CASE("sl_optim_create", SL_ERR_GRAPH, 0, optim_done(sl_optim_create(F.g, F.y, 1, &F.foreign, &o, &O_OUT)));
        /* a loss that depends on no param */
        CASE("sl_optim_create", SL_ERR_ARG, 0,
             optim_done(sl_optim_create(F.g, sl_graph_sum(F.g, F.x), 0, NULL, &o, &O_OUT)));
    }
    static const double bad_lr[] = {0, -1, NAN, INFINITY, -INFINITY};
    for (int i = 0; i < N_(bad_lr); ++i) CASE("sl_optim_set_lr", SL_ERR_ARG, 0, sl_optim_set_lr(F.opt, bad_lr[i]));
    CASE("sl_optim_set_lr", SL_ERR_NULL, NMSG, sl_optim_set_lr(NULL, 1));
    CASE("sl_optim_bind", SL_ERR_NULL, 0, sl_optim_bind(F.opt, F.x, NULL));
    CASE("sl_optim_bind", SL_ERR_NULL, 0, sl_optim_bind(F.opt, NULL, sl_tensor_data(F.t)));
    CASE("sl_optim_bind", SL_ERR_ARG, 0, sl_optim_bind(F.opt, F.p, sl_tensor_data(F.t)));
    CASE("sl_optim_bind", SL_ERR_GRAPH, 0, sl_optim_bind(F.opt, F.foreign, sl_tensor_data(F.t)));
    CASE("sl_optim_bind", SL_ERR_NULL, NMSG, sl_optim_bind(NULL, F.x, sl_tensor_data(F.t)));
    double loss;
    CASE("sl_optim_step", SL_ERR_UNBOUND, 0, sl_optim_step(F.opt, &loss));
    CASE("sl_optim_eval", SL_ERR_UNBOUND, 0, sl_optim_eval(F.opt, &loss));
    CASE("sl_optim_step", SL_ERR_NONFINITE, 0,
         (sl_optim_bind(F.opt, F.x, sl_tensor_data(F.tnan)), sl_optim_step(F.opt, &loss)));
    CASE("sl_optim_eval", SL_ERR_NONFINITE, 0,
         (sl_optim_bind(F.opt, F.x, sl_tensor_data(F.tnan)), sl_optim_eval(F.opt, &loss)));
    CASE("sl_optim_step", SL_ERR_NULL, NMSG, sl_optim_step(NULL, &loss));
    CASE("sl_optim_eval", SL_ERR_NULL, NMSG, sl_optim_eval(NULL, &loss));
    CASE("sl_optim_opts_init_sized", SL_ERR_NULL, NMSG, sl_optim_opts_init_sized(NULL, sizeof(sl_optim_opts), 1));
    CASE("sl_optim_opts_init_sized", SL_ERR_ARG, NMSG, sl_optim_opts_init_sized(&(sl_optim_opts){0}, 8, 1));
}

/* ---- analysis ------------------------------------------------------------------------------ */
/* so(3): (J_a)_{bc} = -eps_{abc}; f_{ab}^c = -eps_{abc} in this basis */
static double so3[27], so3_f[27], so3_K[9], dep[27], nanf27[27], big_f[33 * 33 * 33];

static void analysis_data(void)
{
    memset(so3, 0, sizeof so3);
    static const int e[6][4] = {{0, 1, 2, 1}, {1, 2, 0, 1}, {2, 0, 1, 1}, {0, 2, 1, -1}, {2, 1, 0, -1}, {1, 0, 2, -1}};
    for (int k = 0; k < 6; ++k) so3[(e[k][0] * 3 + e[k][1]) * 3 + e[k][2]] = -e[k][3];
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_lie_structure_constants(ctx, 3, 3, so3, so3_f, NULL);
    sl_lie_killing_form(ctx, 3, so3_f, so3_K);
    sl_ctx_destroy(ctx);
    memcpy(dep, so3, sizeof dep);
    for (int i = 0; i < 9; ++i) dep[18 + i] = so3[i] + so3[9 + i];   /* J_2 = J_0 + J_1 */
    memcpy(nanf27, so3_f, sizeof nanf27);
    nanf27[13] = NAN;
}

static void cases_analysis(void)
{
    double out[64], res;
    int a, b, c, dims[64], kinds[64];
    for (int i = 0; i < N_(bad_dims); ++i) {
        int d = bad_dims[i];
        CASE("sl_lie_structure_constants", SL_ERR_ARG, 0, sl_lie_structure_constants(F.ctx, d, 3, so3, out, &res));
        CASE("sl_lie_structure_constants", SL_ERR_ARG, 0, sl_lie_structure_constants(F.ctx, 3, d, so3, out, &res));
        CASE("sl_lie_killing_form", SL_ERR_ARG, 0, sl_lie_killing_form(F.ctx, d, so3_f, out));
        CASE("sl_lie_killing_eigenvalues", SL_ERR_ARG, 0, sl_lie_killing_eigenvalues(F.ctx, d, 3, so3, so3_K, out));
        CASE("sl_lie_killing_eigenvalues", SL_ERR_ARG, 0, sl_lie_killing_eigenvalues(F.ctx, 3, d, so3, so3_K, out));
        CASE("sl_lie_signature", SL_ERR_ARG, 0, sl_lie_signature(F.ctx, d, so3_K, 0, &a, &b, &c));
        CASE("sl_lie_rank", SL_ERR_ARG, 0, sl_lie_rank(F.ctx, d, so3_f, 0, &a, NULL));
        CASE("sl_lie_centre", SL_ERR_ARG, 0, sl_lie_centre(F.ctx, d, so3_f, 0, &a, NULL));
        CASE("sl_lie_is_compact", SL_ERR_ARG, 0, sl_lie_is_compact(F.ctx, d, so3_f, 0, &a));
        CASE("sl_lie_group_is_compact", SL_ERR_ARG, 0, sl_lie_group_is_compact(F.ctx, d, 3, so3, 0, &a));
        CASE("sl_lie_group_is_compact", SL_ERR_ARG, 0, sl_lie_group_is_compact(F.ctx, 3, d, so3, 0, &a));
        CASE("sl_lie_decompose", SL_ERR_ARG, 0, sl_lie_decompose(F.ctx, d, so3_f, 0, &a, dims, kinds, NULL));
        CASE("sl_lie_span_distance", SL_ERR_ARG, 0, sl_lie_span_distance(F.ctx, d, 3, so3, 3, so3, &res));
        CASE("sl_lie_span_distance", SL_ERR_ARG, 0, sl_lie_span_distance(F.ctx, 3, d, so3, 3, so3, &res));
        CASE("sl_lie_span_distance", SL_ERR_ARG, 0, sl_lie_span_distance(F.ctx, 3, 3, so3, d, so3, &res));
        CASE("sl_lie_sparsify", SL_ERR_ARG, 0, sl_lie_sparsify(F.ctx, d, 3, out));
        CASE("sl_lie_sparsify", SL_ERR_ARG, 0, sl_lie_sparsify(F.ctx, 3, d, out));
    }
    for (int i = 0; i < N_(bad_tols); ++i) {
        double t = bad_tols[i];
        CASE("sl_lie_signature", SL_ERR_ARG, 0, sl_lie_signature(F.ctx, 3, so3_K, t, &a, &b, &c));
        CASE("sl_lie_rank", SL_ERR_ARG, 0, sl_lie_rank(F.ctx, 3, so3_f, t, &a, NULL));
        CASE("sl_lie_centre", SL_ERR_ARG, 0, sl_lie_centre(F.ctx, 3, so3_f, t, &a, NULL));
        CASE("sl_lie_is_compact", SL_ERR_ARG, 0, sl_lie_is_compact(F.ctx, 3, so3_f, t, &a));
        CASE("sl_lie_group_is_compact", SL_ERR_ARG, 0, sl_lie_group_is_compact(F.ctx, 3, 3, so3, t, &a));
        CASE("sl_lie_decompose", SL_ERR_ARG, 0, sl_lie_decompose(F.ctx, 3, so3_f, t, &a, dims, kinds, NULL));
    }
    /* NULL context: SL_ERR_NULL from every call (issue 9) */
    CASE("sl_lie_structure_constants", SL_ERR_NULL, NMSG, sl_lie_structure_constants(NULL, 3, 3, so3, out, &res));
    CASE("sl_lie_killing_form", SL_ERR_NULL, NMSG, sl_lie_killing_form(NULL, 3, so3_f, out));
    CASE("sl_lie_killing_eigenvalues", SL_ERR_NULL, NMSG, sl_lie_killing_eigenvalues(NULL, 3, 3, so3, so3_K, out));
    CASE("sl_lie_signature", SL_ERR_NULL, NMSG, sl_lie_signature(NULL, 3, so3_K, 0, &a, &b, &c));
    CASE("sl_lie_rank", SL_ERR_NULL, NMSG, sl_lie_rank(NULL, 3, so3_f, 0, &a, NULL));
    CASE("sl_lie_centre", SL_ERR_NULL, NMSG, sl_lie_centre(NULL, 3, so3_f, 0, &a, NULL));
    CASE("sl_lie_is_compact", SL_ERR_NULL, NMSG, sl_lie_is_compact(NULL, 3, so3_f, 0, &a));
    CASE("sl_lie_group_is_compact", SL_ERR_NULL, NMSG, sl_lie_group_is_compact(NULL, 3, 3, so3, 0, &a));
    CASE("sl_lie_decompose", SL_ERR_NULL, NMSG, sl_lie_decompose(NULL, 3, so3_f, 0, &a, dims, kinds, NULL));
    CASE("sl_lie_span_distance", SL_ERR_NULL, NMSG, sl_lie_span_distance(NULL, 3, 3, so3, 3, so3, &res));
    CASE("sl_lie_sparsify", SL_ERR_NULL, NMSG, sl_lie_sparsify(NULL, 3, 3, out));
    /* NULL arrays and outputs */
    CASE("sl_lie_structure_constants", SL_ERR_NULL, 0, sl_lie_structure_constants(F.ctx, 3, 3, NULL, out, &res));
    CASE("sl_lie_structure_constants", SL_ERR_NULL, 0, sl_lie_structure_constants(F.ctx, 3, 3, so3, NULL, &res));
    CASE("sl_lie_killing_form", SL_ERR_NULL, 0, sl_lie_killing_form(F.ctx, 3, NULL, out));
    CASE("sl_lie_killing_form", SL_ERR_NULL, 0, sl_lie_killing_form(F.ctx, 3, so3_f, NULL));
    CASE("sl_lie_killing_eigenvalues", SL_ERR_NULL, 0, sl_lie_killing_eigenvalues(F.ctx, 3, 3, NULL, so3_K, out));
    CASE("sl_lie_killing_eigenvalues", SL_ERR_NULL, 0, sl_lie_killing_eigenvalues(F.ctx, 3, 3, so3, NULL, out));
    CASE("sl_lie_killing_eigenvalues", SL_ERR_NULL, 0, sl_lie_killing_eigenvalues(F.ctx, 3, 3, so3, so3_K, NULL));
    CASE("sl_lie_signature", SL_ERR_NULL, 0, sl_lie_signature(F.ctx, 3, NULL, 0, &a, &b, &c));
    CASE("sl_lie_rank", SL_ERR_NULL, 0, sl_lie_rank(F.ctx, 3, NULL, 0, &a, NULL));
    CASE("sl_lie_rank", SL_ERR_NULL, 0, sl_lie_rank(F.ctx, 3, so3_f, 0, NULL, NULL));
    CASE("sl_lie_centre", SL_ERR_NULL, 0, sl_lie_centre(F.ctx, 3, NULL, 0, &a, NULL));
    CASE("sl_lie_centre", SL_ERR_NULL, 0, sl_lie_centre(F.ctx, 3, so3_f, 0, NULL, NULL));
    CASE("sl_lie_is_compact", SL_ERR_NULL, 0, sl_lie_is_compact(F.ctx, 3, NULL, 0, &a));
    CASE("sl_lie_is_compact", SL_ERR_NULL, 0, sl_lie_is_compact(F.ctx, 3, so3_f, 0, NULL));
    CASE("sl_lie_group_is_compact", SL_ERR_NULL, 0, sl_lie_group_is_compact(F.ctx, 3, 3, NULL, 0, &a));
    CASE("sl_lie_group_is_compact", SL_ERR_NULL, 0, sl_lie_group_is_compact(F.ctx, 3, 3, so3, 0, NULL));
    CASE("sl_lie_decompose", SL_ERR_NULL, 0, sl_lie_decompose(F.ctx, 3, NULL, 0, &a, dims, kinds, NULL));
    CASE("sl_lie_decompose", SL_ERR_NULL, 0, sl_lie_decompose(F.ctx, 3, so3_f, 0, NULL, dims, kinds, NULL));
    CASE("sl_lie_decompose", SL_ERR_NULL, 0, sl_lie_decompose(F.ctx, 3, so3_f, 0, &a, NULL, kinds, NULL));
    CASE("sl_lie_span_distance", SL_ERR_NULL, 0, sl_lie_span_distance(F.ctx, 3, 3, NULL, 3, so3, &res));
    CASE("sl_lie_span_distance", SL_ERR_NULL, 0, sl_lie_span_distance(F.ctx, 3, 3, so3, 3, NULL, &res));
    CASE("sl_lie_span_distance", SL_ERR_NULL, 0, sl_lie_span_distance(F.ctx, 3, 3, so3, 3, so3, NULL));
    CASE("sl_lie_sparsify", SL_ERR_NULL, 0, sl_lie_sparsify(F.ctx, 3, 3, NULL));
    /* NaN data */
    double nang[27];
    memcpy(nang, so3, sizeof nang);
    nang[5] = NAN;
    double nanK[9];
    memcpy(nanK, so3_K, sizeof nanK);
    nanK[4] = INFINITY;
    CASE("sl_lie_structure_constants", SL_ERR_NONFINITE, 0, sl_lie_structure_constants(F.ctx, 3, 3, nang, out, &res));
    CASE("sl_lie_killing_form", SL_ERR_NONFINITE, 0, sl_lie_killing_form(F.ctx, 3, nanf27, out));
    CASE("sl_lie_killing_eigenvalues", SL_ERR_NONFINITE, 0, sl_lie_killing_eigenvalues(F.ctx, 3, 3, nang, so3_K, out));
    CASE("sl_lie_killing_eigenvalues", SL_ERR_NONFINITE, 0, sl_lie_killing_eigenvalues(F.ctx, 3, 3, so3, nanK, out));
    CASE("sl_lie_signature", SL_ERR_NONFINITE, 0, sl_lie_signature(F.ctx, 3, nanK, 0, &a, &b, &c));
    CASE("sl_lie_rank", SL_ERR_NONFINITE, 0, sl_lie_rank(F.ctx, 3, nanf27, 0, &a, NULL));
    CASE("sl_lie_centre", SL_ERR_NONFINITE, 0, sl_lie_centre(F.ctx, 3, nanf27, 0, &a, NULL));
    CASE("sl_lie_is_compact", SL_ERR_NONFINITE, 0, sl_lie_is_compact(F.ctx, 3, nanf27, 0, &a));
    CASE("sl_lie_group_is_compact", SL_ERR_NONFINITE, 0, sl_lie_group_is_compact(F.ctx, 3, 3, nang, 0, &a));
    CASE("sl_lie_decompose", SL_ERR_NONFINITE, 0, sl_lie_decompose(F.ctx, 3, nanf27, 0, &a, dims, kinds, NULL));
    CASE("sl_lie_span_distance", SL_ERR_NONFINITE, 0, sl_lie_span_distance(F.ctx, 3, 3, nang, 3, so3, &res));
    CASE("sl_lie_span_distance", SL_ERR_NONFINITE, 0, sl_lie_span_distance(F.ctx, 3, 3, so3, 3, nang, &res));
    CASE("sl_lie_sparsify", SL_ERR_NONFINITE, 0, sl_lie_sparsify(F.ctx, 3, 3, nang));
    /* linearly dependent generators: SL_ERR_NUMERIC as documented */
    CASE("sl_lie_structure_constants", SL_ERR_NUMERIC, 0, sl_lie_structure_constants(F.ctx, 3, 3, dep, out, &res));
    CASE("sl_lie_killing_eigenvalues", SL_ERR_NUMERIC, 0, sl_lie_killing_eigenvalues(F.ctx, 3, 3, dep, so3_K, out));
    CASE("sl_lie_group_is_compact", SL_ERR_NUMERIC, 0, sl_lie_group_is_compact(F.ctx, 3, 3, dep, 0, &a));
    CASE("sl_lie_decompose", SL_ERR_UNSUPPORTED, 0, sl_lie_decompose(F.ctx, 33, big_f, 0, &a, dims, kinds, NULL));
}

/* ---- losses -------------------------------------------------------------------------------- */
static sl_node *phi_sq(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs; (void)user;
    return sl_graph_sum_axes(g, sl_graph_square(g, x[0]), 1, INTS(1), 0);
}
static sl_node *phi_null(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)g; (void)nargs; (void)x; (void)user;
    return NULL;
}
static sl_node *loss_inv(sl_graph *g, sl_node *W) { return sl_symmetry_loss_invariance(g, phi_sq, NULL, 1, F.X, W, 0, 1e-3); }
static sl_node *loss_clos(sl_graph *g, sl_node *W) { return sl_symmetry_loss_closure(g, W, F.C, 0); }

static void cases_losses(void)
{
    static const struct { const char *name; unary_fn f; } losses[] = {
        {"sl_symmetry_loss_invariance", loss_inv}, FN(sl_symmetry_loss_normalisation),
        FN(sl_symmetry_loss_orthogonality), {"sl_symmetry_loss_closure", loss_clos}, FN(sl_symmetry_loss_sparsity),
    };
    for (int i = 0; i < N_(losses); ++i) {
        const char *fn = losses[i].name;
        CASE(fn, SL_ERR_NULL, 0, G(losses[i].f(F.g, NULL)));
        CASE(fn, SL_ERR_GRAPH, 0, G(losses[i].f(F.g, F.foreign)));
        CASE(fn, SL_ERR_SHAPE, 0, G(losses[i].f(F.g, F.x)));
        CASE(fn, SL_ERR_SHAPE, 0, G(losses[i].f(F.g, sl_graph_input(F.g, SL_C128, 3, I64(2, 3, 3), "Wz"))));
        CASE(fn, SL_ERR_SHAPE, 0, G(losses[i].f(F.g, sl_graph_input(F.g, SL_F64, 3, I64(2, 3, 4), "W34"))));
        CASE(fn, SL_ERR_NULL, NMSG, gst(NULL, losses[i].f(NULL, F.W)));
    }
    const char *inv = "sl_symmetry_loss_invariance";
    CASE(inv, SL_ERR_NULL, 0, G(sl_symmetry_loss_invariance(F.g, NULL, NULL, 1, F.X, F.W, 0, 1e-3)));
    CASE(inv, SL_ERR_NULL, 0, G(sl_symmetry_loss_invariance(F.g, phi_sq, NULL, 1, NULL, F.W, 0, 1e-3)));
    static const int bad_nargs[] = {0, -1, 17, 2, INT_MAX, INT_MIN};
    for (int i = 0; i < N_(bad_nargs); ++i)
        CASE(inv, SL_ERR_SHAPE, 0, G(sl_symmetry_loss_invariance(F.g, phi_sq, NULL, bad_nargs[i], F.X, F.W, 0, 1e-3)));
    static const int bad_modes[] = {3, -1, INT_MAX};
    for (int i = 0; i < N_(bad_modes); ++i)
        CASE(inv, SL_ERR_ARG, 0, G(sl_symmetry_loss_invariance(F.g, phi_sq, NULL, 1, F.X, F.W, bad_modes[i], 1e-3)));
    static const double bad_eps[] = {NAN, INFINITY, -INFINITY, 0, -1e-3};
    for (int m = SL_SYM_INV_FORWARD; m <= SL_SYM_INV_CENTRAL; ++m)
        for (int i = 0; i < N_(bad_eps); ++i)
            CASE(inv, SL_ERR_ARG, 0, G(sl_symmetry_loss_invariance(F.g, phi_sq, NULL, 1, F.X, F.W, m, bad_eps[i])));
    CASE(inv, SL_ERR_ARG, 0, G(sl_symmetry_loss_invariance(F.g, phi_null, NULL, 1, F.X, F.W, 0, 1e-3)));
    /* an oracle whose output breaks an op inside: the message names the loss */
    CASE(inv, SL_ERR_SHAPE, 0, G(sl_symmetry_loss_invariance(F.g, phi_sq, NULL, 1, F.x, F.W, 0, 1e-3)));
    const char *clos = "sl_symmetry_loss_closure";
    for (int i = 0; i < N_(bad_flags); ++i)
        CASE(clos, SL_ERR_ARG, 0, G(sl_symmetry_loss_closure(F.g, F.W, F.C, bad_flags[i])));
    CASE(clos, SL_ERR_NULL, 0, G(sl_symmetry_loss_closure(F.g, F.W, NULL, 0)));
    CASE(clos, SL_ERR_SHAPE, 0, G(sl_symmetry_loss_closure(F.g, F.W, F.x, 0)));
    CASE(clos, SL_ERR_GRAPH, 0, G(sl_symmetry_loss_closure(F.g, F.W, F.foreign, 0)));
    /* N_g^2 past 2^56 (an input W allocates nothing) */
    CASE(clos, SL_ERR_SHAPE, 0,
         G(sl_symmetry_loss_closure(F.g, sl_graph_input(F.g, SL_F64, 3, I64((int64_t)1 << 29, 1, 1), "Wbig"), F.C, 0)));
    CASE("sl_symmetry_loss_orthogonality", SL_ERR_SHAPE, 0,
         G(sl_symmetry_loss_orthogonality(F.g, sl_graph_input(F.g, SL_F64, 3, I64((int64_t)1 << 29, 1, 1), "Wbig"))));
}

int main(void)
{
    if (sl_ctx_create(&F.ctx, NULL) != SL_OK) return 2;
    base_bytes = sl_ctx_bytes_in_use(F.ctx);
    analysis_data();
    cases_core();
    cases_tensor();
    cases_leaves();
    cases_ops();
    cases_shape_ops();
    cases_plan();
    cases_optim();
    cases_analysis();
    cases_losses();
    printf("test_bad_input: %d cases (%d wrong status, %d wrong message, %d left the context broken or leaked)\n",
           ncases, nbad_status, nbad_msg, nbad_after);
    sl_ctx_destroy(F.ctx);
    return check_done();
}
