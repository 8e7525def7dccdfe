/* Workload `symgen` (WORKLOADS.md): Lie-algebra generators preserving
 * phi(v) = |v|^2 (Forestano et al. 2023), the C side of peers/symgen.py.
 *
 * Timed ("seconds"): the whole sl_discover_symmetries call a user makes, with
 * the built-in quadratic oracle, the workload's samples, starting W and zero
 * C, forward differences, learned squared closure and Adam only; it includes
 * building the graph and the analysis of the result.  For a quadratic oracle
 * the library evaluates the invariance loss through the exact identity
 * phi(x + eps W x) - phi(x) = eps x^T (W + W^T + eps W^T W) x and the sample
 * moments, so a step does not touch the m points.
 *
 * Also timed ("generic_seconds"): the same loss built from the public graph
 * losses with a graph oracle (sl_symmetry_loss_invariance evaluates phi on all
 * N_g m transformed points, the peer's arithmetic), only the optimiser loop. */
#include "bench_common.h"
#include "symlearn/discover.h"

static sl_node *phi_sq(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs;
    (void)user;
    int axis = 1;
    return sl_graph_sum_axes(g, sl_graph_square(g, x[0]), 1, &axis, 0);
}

int main(int argc, char **argv)
{
    long threads = 1, n = 8, m = 1024, steps = 1000;
    double lr = 1e-2, eps = 1e-2;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"n", 1, &n, NULL},      {"m", 1, &m, NULL},
        {"steps", 1, &steps, NULL},     {"lr", 0, NULL, &lr},    {"eps", 0, NULL, &eps},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    const int64_t ng = n * (n - 1) / 2, P = ng * (ng - 1) / 2;

    sl_ctx *ctx = bench_ctx((int)threads);
    double *x = bench_normal(1, (size_t)(m * n));
    double *w = bench_normal(2, (size_t)(ng * n * n));
    for (int64_t i = 0; i < ng * n * n; i++) w[i] *= 0.1;     /* filled(2, ..., scale=0.1) */
    if (bench_verbose()) {
        bench_show("x[:4]", x, 4);
        bench_show("W[:4]", w, 4);
    }

    /* 1. The library call. */
    sl_symmetry_opts *so = NULL;
    BENCH_CHECK(ctx, sl_symmetry_opts_create(ctx, &so));
    BENCH_CHECK(ctx, sl_symmetry_opts_oracle_quadratic(so, (int)n, NULL));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_samples(so, m, x));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_solver(so, SL_SYM_TRAINED));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_generators(so, (int)ng));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_invariance(so, SL_SYM_INV_FORWARD, eps));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_closure(so, SL_SYM_CLOSURE_LEARNED, 0));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_training(so, (int)steps, lr, 0));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_initial(so, (int)ng, w, NULL));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_sparsify(so, 0));
    sl_symmetry_result *res = NULL;
    double t0 = bench_now(), cpu0 = bench_cpu_now();
    BENCH_CHECK(ctx, sl_discover_symmetries(ctx, so, &res));
    double seconds = bench_now() - t0, cpu_seconds = bench_cpu_now() - cpu0;
    if (bench_verbose()) fprintf(stderr, "initial loss (library call): %.17g\n", sl_symmetry_result_initial_loss(res));

    /* 2. The generic path through the graph losses. */
    sl_graph *g = NULL;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    int64_t xs[2] = {m, n}, ws[3] = {ng, n, n}, cs[2] = {P, ng};
    sl_node *X = sl_graph_constant(g, SL_F64, 2, xs, x);
    sl_node *W = sl_graph_param(g, SL_F64, 3, ws, w, "W");
    sl_node *C = sl_graph_param(g, SL_F64, 2, cs, NULL, "C");
    sl_node *terms[4] = {
        sl_symmetry_loss_invariance(g, phi_sq, NULL, 1, X, W, SL_SYM_INV_FORWARD, eps),
        sl_symmetry_loss_normalisation(g, W),
        sl_symmetry_loss_orthogonality(g, W),
        sl_symmetry_loss_closure(g, W, C, 0),
    };
    sl_node *loss = sl_graph_add(g, sl_graph_add(g, terms[0], terms[1]), sl_graph_add(g, terms[2], terms[3]));
    bench_check_graph(g, "building the symgen graph");

    sl_node *params[2] = {W, C};
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
    oo.lr = lr;
    sl_optim *opt = NULL;
    BENCH_CHECK(ctx, sl_optim_create(g, loss, 2, params, &oo, &opt));
    if (bench_verbose()) {
        double l0;
        BENCH_CHECK(ctx, sl_optim_eval(opt, &l0));
        fprintf(stderr, "initial loss: %.17g (plan: %d ops, %zu bytes)\n", l0,
                sl_plan_steps(sl_optim_plan(opt)), sl_plan_bytes(sl_optim_plan(opt)));
    }

    double t1 = bench_now();
    for (long s = 0; s < steps; s++) BENCH_CHECK(ctx, sl_optim_step(opt, NULL));
    double generic_seconds = bench_now() - t1;

    sl_node *outs[5] = {loss, terms[0], terms[1], terms[2], terms[3]};
    sl_plan *eval = NULL;
    BENCH_CHECK(ctx, sl_plan_create(g, 5, outs, &eval));
    BENCH_CHECK(ctx, sl_plan_run(eval));
    bench_report("symgen", (int)threads, steps, seconds, "loss", sl_symmetry_result_loss(res, SL_SYM_LOSS_TOTAL),
                 "inv", sl_symmetry_result_loss(res, SL_SYM_LOSS_INVARIANCE),
                 "norm", sl_symmetry_result_loss(res, SL_SYM_LOSS_NORMALISATION),
                 "orth", sl_symmetry_result_loss(res, SL_SYM_LOSS_ORTHOGONALITY),
                 "clos", sl_symmetry_result_loss(res, SL_SYM_LOSS_CLOSURE), "cpu_seconds", cpu_seconds,
                 "generic_seconds", generic_seconds, "generic_loss", sl_plan_scalar(eval, 0),
                 (const char *)NULL);
    sl_symmetry_result_destroy(res);
    sl_symmetry_opts_destroy(so);

    sl_plan_destroy(eval);
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(x), free(w);
    return 0;
}
