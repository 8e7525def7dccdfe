/* One table of bad input over the public entry points of core.h, tensor.h and
 * graph.h (test_bad_input_numerics.c: optim.h, analysis.h, losses.h) (issue 9): NULL handles and
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
#include "bad_input.h"

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

int main(void)
{
    if (sl_ctx_create(&F.ctx, NULL) != SL_OK) return 2;
    base_bytes = sl_ctx_bytes_in_use(F.ctx);
    cases_core();
    cases_tensor();
    cases_leaves();
    cases_ops();
    cases_shape_ops();
    cases_plan();
    return bad_input_done("test_bad_input");
}
