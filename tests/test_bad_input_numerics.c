/* The bad-input table of optim.h, analysis.h and losses.h (issue 9); the
 * harness and what each case asserts: tests/bad_input.h and
 * tests/test_bad_input.c. */
#include "bad_input.h"

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
    cases_optim();
    cases_analysis();
    cases_losses();
    return bad_input_done("test_bad_input_numerics");
}
