/* Workload `hnn` (WORKLOADS.md): a Hamiltonian network trained through its
 * input gradient, the C side of peers/hnn.py.
 *   H(z) = tanh(tanh(z W1 + b1) W2 + b2) W3 + b3,  dz = d(sum H)/dz,
 *   pred = (dH/dp, -dH/dq),  loss = mean_batch |pred - (p, -q)|^2,
 * Adam lr 1e-3, full batch.  Only the loop of sl_optim_step calls is timed.
 * floor_seconds: the step's GEMMs as plain dgemm calls, timed in chunks of
 * 10 steps between chunks of the optimiser's (bench_timed_steps). */
#include "bench_common.h"
#include "symlearn/nn.h"

int main(int argc, char **argv)
{
    long threads = 1, batch = 1024, hidden = 256, steps = 300;
    double lr = 1e-3;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"batch", 1, &batch, NULL},
        {"hidden", 1, &hidden, NULL},   {"steps", 1, &steps, NULL},
        {"lr", 0, NULL, &lr},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    const int64_t B = batch, H = hidden;

    sl_ctx *ctx = bench_ctx((int)threads);

    /* Data: z = (q1, q2, p1, p2) normal seed 1; target = (p, -q). */
    double *z = bench_normal(1, (size_t)(B * 4));
    double *target = bench_alloc((size_t)(B * 4));
    for (int64_t i = 0; i < B; i++) {
        target[i * 4 + 0] = z[i * 4 + 2];
        target[i * 4 + 1] = z[i * 4 + 3];
        target[i * 4 + 2] = -z[i * 4 + 0];
        target[i * 4 + 3] = -z[i * 4 + 1];
    }
    if (bench_verbose()) bench_show("z[:4]", z, 4);

    sl_graph *g = NULL;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    int64_t zshape[2] = {B, 4};
    sl_node *zin = sl_graph_input(g, SL_F64, 2, zshape, "z");
    sl_node *tgt = sl_graph_constant(g, SL_F64, 2, zshape, target);
    /* 4 -> H -> H -> 1 tanh, Glorot-uniform W_l from streams 2, 3, 4 (common.glorot), zero biases */
    sl_mlp_opts mo = SL_MLP_OPTS_INIT;
    mo.nlayers = 3;
    mo.widths[0] = 4, mo.widths[1] = H, mo.widths[2] = H, mo.widths[3] = 1;
    mo.seed = 2;
    sl_mlp *net = NULL;
    BENCH_CHECK(ctx, sl_mlp_create(g, &mo, &net));
    if (bench_verbose()) {
        bench_show("W1[:4]", sl_node_data(sl_mlp_param(net, 0)), 4);
        bench_show("W2[:4]", sl_node_data(sl_mlp_param(net, 2)), 4);
        bench_show("W3[:4]", sl_node_data(sl_mlp_param(net, 4)), 4);
    }
    sl_node *energy = sl_graph_sum(g, sl_mlp_apply(net, zin));
    sl_node *dz = sl_graph_grad1(g, energy, zin);                  /* (B, 4) */
    sl_node *dq = sl_graph_slice(g, dz, 1, 0, 2, 1);
    sl_node *dp = sl_graph_slice(g, dz, 1, 2, 4, 1);
    sl_node *parts[2] = {dp, sl_graph_neg(g, dq)};
    sl_node *pred = sl_graph_concat(g, 2, parts, 1);               /* (dH/dp, -dH/dq) */
    int axis1 = 1;
    sl_node *sq = sl_graph_square(g, sl_graph_sub(g, pred, tgt));
    sl_node *loss = sl_graph_mean(g, sl_graph_sum_axes(g, sq, 1, &axis1, 0));
    bench_check_graph(g, "building the hnn graph");

    sl_node *const *params;
    int nparams = sl_mlp_params(net, &params);   /* W1, b1, W2, b2, W3, b3 */
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
    oo.lr = lr;
    sl_optim *opt = NULL;
    BENCH_CHECK(ctx, sl_optim_create(g, loss, nparams, params, &oo, &opt));
    BENCH_CHECK(ctx, sl_optim_bind(opt, zin, z));

    if (bench_verbose()) {
        double l0;
        BENCH_CHECK(ctx, sl_optim_eval(opt, &l0));
        fprintf(stderr, "initial loss: %.17g (plan: %d ops, %zu bytes)\n", l0,
                sl_plan_steps(sl_optim_plan(opt)), sl_plan_bytes(sl_optim_plan(opt)));
    }

    /* The GEMMs of one step of the plan (B = batch, H = hidden): the forward
     * z W1, h1 W2 (H itself is not needed: only dH/dz), the reverse pass for
     * dz, and the reverse pass of the loss through it to the weights. */
    const bench_gemm gemms[] = {
        {'N', 'N', B, H, 4, 2}, {'N', 'N', B, H, H, 2}, {'N', 'T', B, H, 1, 1}, {'N', 'T', B, H, H, 2},
        {'N', 'T', B, 4, H, 1}, {'T', 'N', H, 1, B, 1}, {'T', 'N', H, H, B, 2}, {'T', 'N', 4, H, B, 2},
    };
    bench_floor fl;
    bench_floor_init(&fl, gemms, (int)(sizeof gemms / sizeof gemms[0]));
    double seconds, cpu_seconds;
    bench_timed_steps(ctx, opt, steps, 10, &fl, &seconds, &cpu_seconds);
    double floor_seconds = fl.seconds, floor_cpu = fl.cpu_seconds;
    bench_floor_free(&fl);

    double final_loss;
    BENCH_CHECK(ctx, sl_optim_eval(opt, &final_loss));

    bench_report("hnn", (int)threads, steps, seconds, "loss", final_loss, "cpu_seconds", cpu_seconds,
                 "floor_seconds", floor_seconds, "floor_cpu_seconds", floor_cpu, "floor_fraction",
                 floor_seconds / seconds, "floor_cpu_fraction", floor_cpu / cpu_seconds, (const char *)NULL);

    sl_optim_destroy(opt);
    sl_mlp_destroy(net);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(z), free(target);
    return 0;
}
