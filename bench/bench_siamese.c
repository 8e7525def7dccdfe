/* Workload `siamese` (WORKLOADS.md): a Siamese invariant of Lorentz-transformed
 * events (Wetzel et al. 2020), the C side of peers/siamese.py.
 *   f(v) = tanh(tanh(v W1 + b1) W2 + b2) W3 + b3,
 *   logit = c0 - w0 (f(left) - f(right))^2,
 *   loss = mean BCE-with-logits(logit, label),
 * Adam lr 1e-3, full batch.  Only the loop of sl_optim_step calls is timed.
 * floor_seconds: the step's GEMMs as plain dgemm calls, timed in chunks of
 * 10 steps between chunks of the optimiser's (bench_timed_steps). */
#include "bench_common.h"
#include "symlearn/nn.h"

int main(int argc, char **argv)
{
    long threads = 1, pairs = 1024, hidden = 64, steps = 500;
    double lr = 1e-3;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"pairs", 1, &pairs, NULL},
        {"hidden", 1, &hidden, NULL},   {"steps", 1, &steps, NULL},
        {"lr", 0, NULL, &lr},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    const int64_t M = pairs, H = hidden, N = 2 * pairs;

    sl_ctx *ctx = bench_ctx((int)threads);

    /* Events x: (M, 4) normal seed 1, rows (t, x, y, z).  Stream seed 2 gives per
     * row eta = 2u - 1 and theta = 2 pi u; boost along x by eta, then rotate
     * (x', y) by theta.  Same expressions, same order as the peer (libm calls
     * are the ones Python's math module makes). */
    double *x = bench_normal(1, (size_t)(M * 4));
    double *xp = bench_alloc((size_t)(M * 4));
    for (int64_t i = 0; i < M; i++) {
        double eta = sl_rng_uniform(2, (uint64_t)(2 * i)) * 2.0 - 1.0;
        double theta = sl_rng_uniform(2, (uint64_t)(2 * i + 1)) * 2.0 * M_PI;
        const double *r = x + i * 4;
        double t2 = cosh(eta) * r[0] + sinh(eta) * r[1];
        double x2 = sinh(eta) * r[0] + cosh(eta) * r[1];
        double *o = xp + i * 4;
        o[0] = t2;
        o[1] = cos(theta) * x2 - sin(theta) * r[2];
        o[2] = sin(theta) * x2 + cos(theta) * r[2];
        o[3] = r[3];
    }
    /* left = (x; x), right = (x'; x' rolled by M/2), label = (1...; 0...). */
    double *left = bench_alloc((size_t)(N * 4)), *right = bench_alloc((size_t)(N * 4));
    double *label = bench_alloc((size_t)N);
    memcpy(left, x, sizeof(double) * (size_t)(M * 4));
    memcpy(left + M * 4, x, sizeof(double) * (size_t)(M * 4));
    memcpy(right, xp, sizeof(double) * (size_t)(M * 4));
    for (int64_t i = 0; i < M; i++) {
        memcpy(right + (M + i) * 4, xp + ((i + M / 2) % M) * 4, 4 * sizeof(double));
        label[i] = 1.0;
    }
    const double one = 1.0;
    if (bench_verbose()) {
        bench_show("x[:4]", x, 4);
        bench_show("xp[:4]", xp, 4);
        bench_show("right[M]", right + M * 4, 4);
    }

    sl_graph *g = NULL;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    int64_t vshape[2] = {N, 4}, lshape[1] = {N};
    sl_node *L = sl_graph_input(g, SL_F64, 2, vshape, "left");
    sl_node *R = sl_graph_input(g, SL_F64, 2, vshape, "right");
    sl_node *Y = sl_graph_constant(g, SL_F64, 1, lshape, label);
    /* the shared encoder f: 4 -> H -> H -> 1 tanh, Glorot-uniform W_l from streams 3, 4, 5 */
    sl_mlp_opts mo = SL_MLP_OPTS_INIT;
    mo.nlayers = 3;
    mo.widths[0] = 4, mo.widths[1] = H, mo.widths[2] = H, mo.widths[3] = 1;
    mo.seed = 3;
    sl_mlp *f = NULL;
    BENCH_CHECK(ctx, sl_mlp_create(g, &mo, &f));
    if (bench_verbose()) {
        bench_show("W1[:4]", sl_node_data(sl_mlp_param(f, 0)), 4);
        bench_show("W3[:4]", sl_node_data(sl_mlp_param(f, 4)), 4);
    }
    sl_node *w0 = bench_param1(g, 1, &one, "w0");
    sl_node *c0 = bench_param1(g, 1, NULL, "c0");

    sl_node *fv[2];
    sl_node *v[2] = {L, R};
    for (int k = 0; k < 2; k++) {
        sl_node *o = sl_mlp_apply(f, v[k]);                              /* (N, 1) */
        fv[k] = sl_graph_reshape(g, o, 1, lshape);                       /* [:, 0] */
    }
    sl_node *d2 = sl_graph_square(g, sl_graph_sub(g, fv[0], fv[1]));
    sl_node *logit = sl_graph_sub(g, c0, sl_graph_mul(g, w0, d2));      /* (N) */
    /* BCE with logits: max(l, 0) - l y + log(1 + exp(-|l|)) = softplus(l) - l y,
     * and the library's softplus is that stable form, max(l, 0) + log1p(exp(-|l|)),
     * with the smooth derivative sigmoid(l) (no kinks of relu/abs at l = 0). */
    sl_node *bce = sl_graph_sub(g, sl_graph_softplus(g, logit), sl_graph_mul(g, logit, Y));
    sl_node *loss = sl_graph_mean(g, bce);
    bench_check_graph(g, "building the siamese graph");

    sl_node *params[8] = {sl_mlp_param(f, 0), sl_mlp_param(f, 1), sl_mlp_param(f, 2), sl_mlp_param(f, 3),
                          sl_mlp_param(f, 4), sl_mlp_param(f, 5), w0, c0};
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
    oo.lr = lr;
    sl_optim *opt = NULL;
    BENCH_CHECK(ctx, sl_optim_create(g, loss, 8, params, &oo, &opt));
    BENCH_CHECK(ctx, sl_optim_bind(opt, L, left));
    BENCH_CHECK(ctx, sl_optim_bind(opt, R, right));

    if (bench_verbose()) {
        double l0;
        BENCH_CHECK(ctx, sl_optim_eval(opt, &l0));
        fprintf(stderr, "initial loss: %.17g (plan: %d ops, %zu bytes)\n", l0,
                sl_plan_steps(sl_optim_plan(opt)), sl_plan_bytes(sl_optim_plan(opt)));
    }

    /* The GEMMs of one step (N = 2 pairs rows per side, H = hidden): the
     * encoder forward on left and right, and its reverse pass on each. */
    const bench_gemm gemms[] = {
        {'N', 'N', N, H, 4, 2}, {'N', 'N', N, H, H, 2}, {'N', 'N', N, 1, H, 2}, {'N', 'T', N, H, 1, 2},
        {'N', 'T', N, H, H, 2}, {'T', 'N', 4, H, N, 2}, {'T', 'N', H, 1, N, 2}, {'T', 'N', H, H, N, 2},
    };
    bench_floor fl;
    bench_floor_init(&fl, gemms, (int)(sizeof gemms / sizeof gemms[0]));
    double seconds, cpu_seconds;
    bench_timed_steps(ctx, opt, steps, 10, &fl, &seconds, &cpu_seconds);
    double floor_seconds = fl.seconds, floor_cpu = fl.cpu_seconds;
    bench_floor_free(&fl);

    /* Final loss and accuracy (logit > 0 <=> label 1), like the peer's no_grad pass. */
    sl_node *outs[2] = {loss, logit};
    sl_plan *eval = NULL;
    BENCH_CHECK(ctx, sl_plan_create(g, 2, outs, &eval));
    BENCH_CHECK(ctx, sl_plan_bind(eval, L, left));
    BENCH_CHECK(ctx, sl_plan_bind(eval, R, right));
    BENCH_CHECK(ctx, sl_plan_run(eval));
    double final_loss = sl_plan_scalar(eval, 0);
    const double *lg = sl_plan_output(eval, 1);
    int64_t correct = 0;
    for (int64_t i = 0; i < N; i++) correct += ((lg[i] > 0) ? 1.0 : 0.0) == label[i];
    double accuracy = (double)correct / (double)N;
    bench_report("siamese", (int)threads, steps, seconds, "loss", final_loss, "accuracy", accuracy,
                 "cpu_seconds", cpu_seconds, "floor_seconds", floor_seconds, "floor_cpu_seconds", floor_cpu,
                 "floor_fraction", floor_seconds / seconds, "floor_cpu_fraction", floor_cpu / cpu_seconds,
                 (const char *)NULL);

    sl_plan_destroy(eval);
    sl_optim_destroy(opt);
    sl_mlp_destroy(f);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(x), free(xp), free(left), free(right), free(label);
    return 0;
}
