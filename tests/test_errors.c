/* Bad input everywhere: NULL pointers, wrong shapes, NaN data, mismatched
 * dtypes, nodes of another graph.  Every call must return a status (or NULL
 * with a sticky graph error) and a message naming the problem: no crash, no
 * abort, no output. */
#include <string.h>

#include "check.h"
#include "symlearn.h"

typedef sl_node *(*unary_fn)(sl_graph *, sl_node *);
typedef sl_node *(*binary_fn)(sl_graph *, sl_node *, sl_node *);

static const struct { const char *name; unary_fn f; int real_only; } unaries[] = {
    {"neg", sl_graph_neg, 0}, {"square", sl_graph_square, 0}, {"exp", sl_graph_exp, 0},
    {"log", sl_graph_log, 0}, {"sqrt", sl_graph_sqrt, 0}, {"sin", sl_graph_sin, 0},
    {"cos", sl_graph_cos, 0}, {"tanh", sl_graph_tanh, 0}, {"sigmoid", sl_graph_sigmoid, 1},
    {"softplus", sl_graph_softplus, 1}, {"relu", sl_graph_relu, 1}, {"abs", sl_graph_abs, 0},
    {"conj", sl_graph_conj, 0}, {"real", sl_graph_real, 0}, {"imag", sl_graph_imag, 0},
    {"transpose", sl_graph_transpose, 0}, {"adjoint", sl_graph_adjoint, 0},
    {"trace", sl_graph_trace, 0}, {"sum", sl_graph_sum, 0}, {"mean", sl_graph_mean, 0},
};

static const struct { const char *name; binary_fn f; } binaries[] = {
    {"add", sl_graph_add}, {"sub", sl_graph_sub}, {"mul", sl_graph_mul}, {"div", sl_graph_div},
    {"pow", sl_graph_pow}, {"matmul", sl_graph_matmul}, {"dot", sl_graph_dot}, {"complex", sl_graph_complex},
};

static int fresh(sl_ctx *ctx, sl_graph **g)
{
    sl_graph_destroy(*g);
    return sl_graph_create(ctx, g) == SL_OK;
}

static void test_graph_ops(sl_ctx *ctx)
{
    sl_graph *g = NULL, *other = NULL;
    sl_graph_create(ctx, &other);
    sl_node *foreign = sl_graph_input(other, SL_F64, 2, (int64_t[]){3, 3}, "foreign");
    for (size_t i = 0; i < sizeof unaries / sizeof unaries[0]; ++i) {
        fresh(ctx, &g);
        CHECK(unaries[i].f(g, NULL) == NULL && sl_graph_status(g) == SL_ERR_NULL, "%s(NULL)", unaries[i].name);
        CHECK(strstr(sl_ctx_errmsg(ctx), "NULL") != NULL, "%s message: %s", unaries[i].name, sl_ctx_errmsg(ctx));
        CHECK(unaries[i].f(NULL, NULL) == NULL, "%s with NULL graph", unaries[i].name);
        fresh(ctx, &g);
        CHECK(unaries[i].f(g, foreign) == NULL && sl_graph_status(g) == SL_ERR_GRAPH, "%s(foreign)", unaries[i].name);
        if (unaries[i].real_only) {
            fresh(ctx, &g);
            sl_node *z = sl_graph_input(g, SL_C128, 1, (int64_t[]){2}, "z");
            CHECK(unaries[i].f(g, z) == NULL && sl_graph_status(g) == SL_ERR_DTYPE, "%s(c128)", unaries[i].name);
            CHECK(strstr(sl_ctx_errmsg(ctx), "f64") != NULL, "%s dtype message: %s", unaries[i].name, sl_ctx_errmsg(ctx));
        }
        /* sticky: after an error every later op returns NULL and keeps the first status */
        fresh(ctx, &g);
        sl_node *x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 3}, "x");
        sl_graph_add(g, x, NULL);
        CHECK(unaries[i].f(g, x) == NULL && sl_graph_status(g) == SL_ERR_NULL, "%s after error", unaries[i].name);
    }
    for (size_t i = 0; i < sizeof binaries / sizeof binaries[0]; ++i) {
        fresh(ctx, &g);
        sl_node *a = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "a");
        sl_node *b = sl_graph_input(g, SL_F64, 2, (int64_t[]){5, 6}, "b");
        sl_node *z = sl_graph_input(g, SL_C128, 2, (int64_t[]){3, 4}, "z");
        CHECK(binaries[i].f(g, a, NULL) == NULL && sl_graph_status(g) == SL_ERR_NULL, "%s(a, NULL)", binaries[i].name);
        fresh(ctx, &g);
        a = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "a");
        b = sl_graph_input(g, SL_F64, 2, (int64_t[]){5, 6}, "b");
        CHECK(binaries[i].f(g, a, b) == NULL && sl_graph_status(g) == SL_ERR_SHAPE, "%s shape mismatch", binaries[i].name);
        CHECK(sl_ctx_errmsg(ctx)[0] != '\0', "%s shape message", binaries[i].name);
        fresh(ctx, &g);
        a = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "a");
        z = sl_graph_input(g, SL_C128, 2, (int64_t[]){3, 4}, "z");
        CHECK(binaries[i].f(g, a, z) == NULL && sl_graph_status(g) == SL_ERR_DTYPE, "%s dtype mismatch", binaries[i].name);
        fresh(ctx, &g);
        a = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 3}, "a");
        CHECK(binaries[i].f(g, a, foreign) == NULL && sl_graph_status(g) == SL_ERR_GRAPH, "%s foreign", binaries[i].name);
    }
    /* shape ops */
    fresh(ctx, &g);
    sl_node *x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_reshape(g, x, 2, (int64_t[]){5, 5}) && sl_graph_status(g) == SL_ERR_SHAPE, "reshape count");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_permute(g, x, (int[]){0, 0}) && sl_graph_status(g) == SL_ERR_ARG, "permute");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_permute(g, x, NULL) && sl_graph_status(g) == SL_ERR_NULL, "permute NULL");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_slice(g, x, 1, 2, 9, 1) && sl_graph_status(g) == SL_ERR_ARG, "slice range");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_graph_slice") != NULL, "slice message names function: %s", sl_ctx_errmsg(ctx));
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_slice(g, x, 2, 0, 1, 1) && sl_graph_status(g) == SL_ERR_ARG, "slice axis");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_gather(g, x, 0, 2, (int64_t[]){0, 3}) && sl_graph_status(g) == SL_ERR_ARG, "gather index");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_gather(g, x, 0, 2, NULL) && sl_graph_status(g) == SL_ERR_NULL, "gather NULL");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    sl_node *y = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 5}, "y");
    CHECK(!sl_graph_concat(g, 2, (sl_node *[]){x, y}, 0) && sl_graph_status(g) == SL_ERR_SHAPE, "concat");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_concat(g, 0, NULL, 0) && sl_graph_status(g) == SL_ERR_ARG, "concat none");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_broadcast(g, x, 2, (int64_t[]){3, 5}) && sl_graph_status(g) == SL_ERR_SHAPE, "broadcast");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_roll(g, x, 3, 1) && sl_graph_status(g) == SL_ERR_ARG, "roll axis");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_sum_axes(g, x, 1, (int[]){4}, 0) && sl_graph_status(g) == SL_ERR_ARG, "sum_axes axis");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_trace(g, x) && sl_graph_status(g) == SL_ERR_SHAPE, "trace of non-square");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 4}, "x");
    CHECK(!sl_graph_matmul_ex(g, x, 7, x, SL_OP_N) && sl_graph_status(g) == SL_ERR_ARG, "matmul op flag");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 1, (int64_t[]){3}, "x");
    CHECK(!sl_graph_matmul(g, x, x) && sl_graph_status(g) == SL_ERR_SHAPE, "matmul rank 1");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 1, (int64_t[]){3}, "x");
    CHECK(!sl_graph_mul_complex_scalar(g, x, 1, 1) && sl_graph_status(g) == SL_ERR_DTYPE, "complex scalar on f64");
    fresh(ctx, &g); x = sl_graph_input(g, SL_F64, 1, (int64_t[]){3}, "x");
    CHECK(!sl_graph_mul_scalar(g, x, NAN) && sl_graph_status(g) == SL_ERR_NONFINITE, "NaN scalar");
    /* leaves */
    fresh(ctx, &g);
    CHECK(!sl_graph_input(g, 9, 1, (int64_t[]){3}, "x") && sl_graph_status(g) == SL_ERR_DTYPE, "input dtype");
    fresh(ctx, &g);
    CHECK(!sl_graph_input(g, SL_F64, 1, (int64_t[]){-3}, "x") && sl_graph_status(g) == SL_ERR_SHAPE, "input shape");
    fresh(ctx, &g);
    CHECK(!sl_graph_input(g, SL_F64, 1, NULL, "x") && sl_graph_status(g) == SL_ERR_NULL, "input NULL shape");
    fresh(ctx, &g);
    double nan3[3] = {1, NAN, 2};
    CHECK(!sl_graph_param(g, SL_F64, 1, (int64_t[]){3}, nan3, "w") && sl_graph_status(g) == SL_ERR_NONFINITE, "param NaN");
    CHECK(strstr(sl_ctx_errmsg(ctx), "element 1") != NULL, "NaN message names element: %s", sl_ctx_errmsg(ctx));
    fresh(ctx, &g);
    CHECK(!sl_graph_constant(g, SL_F64, 1, (int64_t[]){3}, NULL) && sl_graph_status(g) == SL_ERR_NULL, "constant NULL");
    fresh(ctx, &g);
    CHECK(!sl_graph_full(g, SL_F64, 1, (int64_t[]){3}, 1, 2) && sl_graph_status(g) == SL_ERR_DTYPE, "full complex on f64");
    fresh(ctx, &g);
    CHECK(!sl_graph_constant_tensor(g, NULL) && sl_graph_status(g) == SL_ERR_NULL, "constant_tensor NULL");
    /* grad */
    fresh(ctx, &g);
    x = sl_graph_input(g, SL_F64, 1, (int64_t[]){3}, "x");
    sl_node *out[1];
    CHECK(sl_graph_grad(g, x, 1, &x, out) == SL_ERR_SHAPE && !out[0], "grad of a vector");
    fresh(ctx, &g);
    x = sl_graph_input(g, SL_C128, 1, (int64_t[]){3}, "x");
    CHECK(sl_graph_grad(g, sl_graph_sum(g, x), 1, &x, out) == SL_ERR_DTYPE, "grad of complex");
    fresh(ctx, &g);
    x = sl_graph_input(g, SL_F64, 1, (int64_t[]){3}, "x");
    CHECK(sl_graph_grad(g, sl_graph_sum(g, x), 1, &x, NULL) == SL_ERR_NULL, "grad NULL out");
    fresh(ctx, &g);
    x = sl_graph_input(g, SL_F64, 1, (int64_t[]){3}, "x");
    CHECK(sl_graph_grad(g, sl_graph_sum(g, x), 1, &foreign, out) == SL_ERR_GRAPH, "grad wrt foreign");
    CHECK(sl_graph_grad(NULL, NULL, 0, NULL, NULL) == SL_ERR_NULL, "grad NULL graph");
    CHECK(sl_graph_grad1(g, NULL, x) == NULL, "grad1 after error");
    /* queries on NULL */
    CHECK(sl_node_rank(NULL) == 0 && sl_node_numel(NULL) == 0 && sl_node_data(NULL) == NULL &&
          !strcmp(sl_node_name(NULL), "") && sl_graph_status(NULL) == SL_ERR_NULL, "NULL queries");
    sl_graph_destroy(g);
    sl_graph_destroy(other);
}

static void test_plans(sl_ctx *ctx)
{
    sl_graph *g, *other;
    sl_graph_create(ctx, &g);
    sl_graph_create(ctx, &other);
    sl_node *x = sl_graph_input(g, SL_F64, 1, (int64_t[]){3}, "x");
    sl_node *y = sl_graph_sum(g, sl_graph_square(g, x));
    sl_node *o = sl_graph_input(other, SL_F64, 1, (int64_t[]){3}, "o");
    sl_plan *p = (sl_plan *)g;
    CHECK(sl_plan_create(NULL, 1, &y, &p) == SL_ERR_NULL, "plan NULL graph");
    CHECK(sl_plan_create(g, 1, &y, NULL) == SL_ERR_NULL, "plan NULL out");
    CHECK(sl_plan_create(g, 0, &y, &p) == SL_ERR_ARG && !p, "plan no outputs");
    CHECK(sl_plan_create(g, 1, &o, &p) == SL_ERR_GRAPH, "plan foreign output");
    CHECK(sl_plan_create(g, 1, (sl_node *[]){NULL}, &p) == SL_ERR_NULL, "plan NULL output");
    CHECK(sl_plan_create(g, 1, &y, &p) == SL_OK, "plan");
    CHECK(sl_plan_run(p) == SL_ERR_UNBOUND, "unbound");
    CHECK(strstr(sl_ctx_errmsg(ctx), "'x'") != NULL, "unbound message names input: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_plan_bind(p, y, (double[]){1, 2, 3}) == SL_ERR_ARG, "bind non-input");
    CHECK(sl_plan_bind(p, x, NULL) == SL_ERR_NULL, "bind NULL data");
    CHECK(sl_plan_bind(p, o, (double[]){1, 2, 3}) == SL_ERR_GRAPH, "bind foreign");
    double bad[3] = {1, INFINITY, 3};
    sl_plan_bind(p, x, bad);
    CHECK(sl_plan_run(p) == SL_ERR_NONFINITE, "Inf input");
    CHECK(strstr(sl_ctx_errmsg(ctx), "element 1") != NULL, "Inf message: %s", sl_ctx_errmsg(ctx));
    sl_tensor *t;
    sl_tensor_create(ctx, SL_C128, 1, (int64_t[]){3}, &t);
    CHECK(sl_plan_bind_tensor(p, x, t) == SL_ERR_DTYPE, "bind tensor dtype");
    sl_tensor_destroy(t);
    sl_tensor_create(ctx, SL_F64, 1, (int64_t[]){4}, &t);
    CHECK(sl_plan_bind_tensor(p, x, t) == SL_ERR_SHAPE, "bind tensor shape");
    sl_tensor_destroy(t);
    /* a strided tensor is copied at run time */
    double col[6] = {1, 10, 2, 20, 3, 30};
    sl_tensor_wrap(ctx, SL_F64, 1, (int64_t[]){3}, (int64_t[]){2}, col, &t);
    CHECK(sl_plan_bind_tensor(p, x, t) == SL_OK && sl_plan_run(p) == SL_OK && sl_plan_scalar(p, 0) == 14.0,
          "strided binding: %g", sl_plan_scalar(p, 0));
    sl_tensor_destroy(t);
    CHECK(sl_plan_output(p, 5) == NULL && sl_plan_output(NULL, 0) == NULL && isnan(sl_plan_scalar(p, 3)), "output range");
    CHECK(sl_plan_run(NULL) == SL_ERR_NULL, "run NULL");
    sl_plan_destroy(p);
    sl_plan_destroy(NULL);
    /* a graph with an error cannot be planned */
    sl_graph_add(g, x, NULL);
    CHECK(sl_plan_create(g, 1, &y, &p) == SL_ERR_NULL, "plan of failed graph");
    sl_graph_destroy(g);
    sl_graph_destroy(other);
}

static int logged;
static void log_cb(void *u, int level, const char *msg) { (void)u; (void)msg; logged += level == SL_LOG_ERROR; }

int main(void)
{
    sl_ctx_opts o;
    sl_ctx_opts_init(&o);
    o.log = log_cb;
    sl_ctx *ctx;
    sl_ctx_create(&ctx, &o);
    test_graph_ops(ctx);
    test_plans(ctx);
    CHECK(logged > 50, "errors reach the log callback (%d)", logged);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "nothing leaked: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    CHECK(!strcmp(sl_ctx_errmsg(NULL), "no context (NULL)"), "errmsg(NULL)");
    return check_done();
}
