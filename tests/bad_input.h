/* The harness of the bad-input tables (tests/test_bad_input*.c): a fresh
 * fixture per case, the checks of each case (status, message naming the
 * call, context still working, no bytes left allocated), value tables. */
#ifndef SL_TEST_BAD_INPUT_H
#define SL_TEST_BAD_INPUT_H
#define SL_TEST_UNUSED __attribute__((unused))
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

static fixture F SL_TEST_UNUSED;
/* out-parameters of calls that may succeed: reset before each case */
static sl_tensor *T_OUT;
static sl_ctx *C_OUT;
static sl_plan *P_OUT;
static sl_optim *O_OUT;
static int ncases SL_TEST_UNUSED, nbad_status SL_TEST_UNUSED, nbad_msg SL_TEST_UNUSED, nbad_after SL_TEST_UNUSED;
static size_t base_bytes;

static inline void fx_make(void)
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

static inline void fx_free(void)
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
static inline int ctx_works(void)
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

static inline void record(const char *fn, sl_status expect, int flags, sl_status got, int line)
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
static inline sl_status gst(sl_graph *g, sl_node *n)
{
    if (!g) return n ? SL_OK : SL_ERR_NULL;
    sl_status s = sl_graph_status(g);
    return s ? s : n ? SL_OK : SL_ERR_GRAPH;
}
#define G(expr) gst(F.g, (expr))

/* Calls that would create an object on success destroy it again. */
static inline sl_status tensor_done(sl_status st, sl_tensor *t) { sl_tensor_destroy(t); return st; }
#define TOUT (&T_OUT)
static inline sl_status tres(sl_status st) { sl_tensor_destroy(T_OUT); T_OUT = NULL; return st; }
#define TRES(call) tres(call)
static inline sl_status ctx_done(sl_status st) { sl_ctx_destroy(C_OUT); C_OUT = NULL; return st; }
static inline sl_status plan_done(sl_status st) { sl_plan_destroy(P_OUT); P_OUT = NULL; return st; }
static inline sl_status optim_done(sl_status st) { sl_optim_destroy(O_OUT); O_OUT = NULL; return st; }

/* ---- value tables ------------------------------------------------------------ */
typedef struct { int rank; const int64_t *shape; sl_status st; } shape_case;
/* bad (rank, shape) for every call that takes a new shape */
static const shape_case SL_TEST_UNUSED bad_shapes[] = {
    {-1, I64(3, 4), SL_ERR_SHAPE}, {9, I64(1, 1, 1, 1, 1, 1, 1, 1, 1), SL_ERR_SHAPE},
    {INT_MIN, I64(3), SL_ERR_SHAPE}, {INT_MAX, I64(3), SL_ERR_SHAPE}, {2, NULL, SL_ERR_NULL},
    {2, I64(0, 4), SL_ERR_SHAPE}, {2, I64(-1, 4), SL_ERR_SHAPE}, {1, I64(INT64_MIN), SL_ERR_SHAPE},
    {2, I64(BIG, BIG), SL_ERR_SHAPE}, {2, I64(INT64_MAX, 2), SL_ERR_SHAPE},
    {2, I64(INT64_MAX, INT64_MAX), SL_ERR_SHAPE}, {3, I64(BIG, 1 << 16, 2), SL_ERR_SHAPE},
};
#define NSHAPES (int)(sizeof bad_shapes / sizeof bad_shapes[0])
/* bad targets for reshaping a 12-element tensor or node */
static const shape_case SL_TEST_UNUSED bad_reshapes[] = {
    {-1, I64(12), SL_ERR_SHAPE}, {9, I64(12, 1, 1, 1, 1, 1, 1, 1, 1), SL_ERR_SHAPE}, {2, NULL, SL_ERR_NULL},
    {2, I64(5, 5), SL_ERR_SHAPE}, {2, I64(0, 12), SL_ERR_SHAPE}, {2, I64(-2, 6), SL_ERR_SHAPE},
    {2, I64(-1, -1), SL_ERR_SHAPE}, {2, I64(-1, 5), SL_ERR_SHAPE}, {2, I64(BIG, BIG), SL_ERR_SHAPE},
    {2, I64(INT64_MAX, INT64_MAX), SL_ERR_SHAPE}, {3, I64(-1, INT64_MAX, 2), SL_ERR_SHAPE},
    {1, I64(INT64_MIN), SL_ERR_SHAPE},
};
#define NRESHAPES (int)(sizeof bad_reshapes / sizeof bad_reshapes[0])
static const sl_dtype SL_TEST_UNUSED bad_dtypes[] = {0, 3, -1, INT_MAX};
static const int SL_TEST_UNUSED bad_axes[] = {2, -3, INT_MAX, INT_MIN};          /* for rank 2 */
static const int SL_TEST_UNUSED bad_flags[] = {2, -1, INT_MAX};                  /* for 0/1 flags */
static const double SL_TEST_UNUSED nonfinite[] = {NAN, INFINITY, -INFINITY};
static const int SL_TEST_UNUSED bad_dims[] = {0, -1, 4097, INT_MAX, INT_MIN};    /* analysis d, n */
static const double SL_TEST_UNUSED bad_tols[] = {NAN, 1.0, INFINITY, 2.0};
/* tables of graph calls by name */
typedef sl_node *(*unary_fn)(sl_graph *, sl_node *);
typedef sl_node *(*binary_fn)(sl_graph *, sl_node *, sl_node *);
typedef sl_node *(*scalar_fn)(sl_graph *, sl_node *, double);
#define FN(f) {#f, f}
#define N_(a) (int)(sizeof(a) / sizeof((a)[0]))

static inline void free_hook(void *user, void *ptr) { (void)user; free(ptr); }


/* The summary line and the end of a table's main. */
static inline int bad_input_done(const char *name)
{
    printf("%s: %d cases (%d wrong status, %d wrong message, %d left the context broken or leaked)\n", name,
           ncases, nbad_status, nbad_msg, nbad_after);
    sl_ctx_destroy(F.ctx);
    return check_done();
}
#endif
