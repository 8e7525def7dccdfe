/* Workload `lax` (WORKLOADS.md): a Lax pair for the harmonic oscillator
 * (Krippendorf, Lust, Syvaeri 2021), the C side of peers/lax.py.
 *   L, M = two MLPs 2 -> 32 -> 32 -> 4 (tanh), reshaped to 2 x 2,
 *   Ldot = (dL/dx) xdot by forward tangents (sl_lax_mlp_ldot),
 *   loss = mean_b |Ldot - [L, M]|^2 + mc(L) + mc(M),
 * 3000 full-batch Adam steps, lr 1e-3.  Only the loop of sl_optim_step
 * calls is timed; floor_seconds is its GEMMs as plain dgemm calls, run in
 * chunks between the optimiser's. */
#include "bench_common.h"
#include "symlearn/lax.h"
#include "symlearn/nn.h"

int main(int argc, char **argv)
{
    long threads = 1, batch = 1024, hidden = 32, steps = 3000;
    double lr = 1e-3;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"batch", 1, &batch, NULL},
        {"hidden", 1, &hidden, NULL},   {"steps", 1, &steps, NULL},
        {"lr", 0, NULL, &lr},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    const int64_t B = batch, H = hidden;

    sl_ctx *ctx = bench_ctx((int)threads);

    /* x = (q, p) uniform(-2, 2) seed 100; xdot = (p, -q); H = (p^2 + q^2)/2 */
    double *x = bench_uniform(100, (size_t)(B * 2), -2.0, 2.0);
    double *xdot = bench_alloc((size_t)(B * 2)), *energy = bench_alloc((size_t)B);
    for (int64_t i = 0; i < B; i++) {
        double q = x[2 * i], p = x[2 * i + 1];
        xdot[2 * i] = p, xdot[2 * i + 1] = -q;
        energy[i] = (p * p + q * q) / 2;
    }

    sl_graph *g = NULL;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    int64_t xshape[2] = {B, 2};
    sl_node *xin = sl_graph_input(g, SL_F64, 2, xshape, "x");
    sl_node *vin = sl_graph_input(g, SL_F64, 2, xshape, "xdot");
    /* glorot W_l from streams 1, 2, 3 (L) and 11, 12, 13 (M), zero biases */
    sl_mlp_opts mo = SL_MLP_OPTS_INIT;
    mo.nlayers = 3;
    mo.widths[0] = 2, mo.widths[1] = H, mo.widths[2] = H, mo.widths[3] = 4;
    sl_mlp *netL = NULL, *netM = NULL;
    mo.seed = 1;
    BENCH_CHECK(ctx, sl_mlp_create(g, &mo, &netL));
    mo.seed = 11;
    BENCH_CHECK(ctx, sl_mlp_create(g, &mo, &netM));
    sl_node *L = NULL;
    sl_node *ld = sl_lax_mlp_ldot(netL, xin, vin, 2, &L);
    sl_node *M = sl_graph_reshape(g, sl_mlp_apply(netM, xin), 3, (int64_t[]){B, 2, 2});
    sl_node *lax = sl_loss_lax(g, L, ld, M);
    sl_node *loss = sl_graph_add(g, lax, sl_graph_add(g, sl_loss_lax_mode_collapse(g, L), sl_loss_lax_mode_collapse(g, M)));
    sl_node *ldsq = sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, ld)), 1.0 / (double)B);
    bench_check_graph(g, "building the lax graph");

    sl_node *params[12];
    sl_node *const *pl, *const *pm;
    int nl = sl_mlp_params(netL, &pl), nm = sl_mlp_params(netM, &pm);
    for (int i = 0; i < nl; i++) params[i] = pl[i];
    for (int i = 0; i < nm; i++) params[nl + i] = pm[i];
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
    oo.lr = lr;
    sl_optim *opt = NULL;
    BENCH_CHECK(ctx, sl_optim_create(g, loss, nl + nm, params, &oo, &opt));
    BENCH_CHECK(ctx, sl_optim_bind(opt, xin, x));
    BENCH_CHECK(ctx, sl_optim_bind(opt, vin, xdot));
    BENCH_CHECK(ctx, sl_plan_set_cache_data(sl_optim_plan(opt), 1));

    double loss0;
    BENCH_CHECK(ctx, sl_optim_eval(opt, &loss0));
    if (bench_verbose())
        fprintf(stderr, "loss0: %.17g (plan: %d ops, %zu bytes)\n", loss0, sl_plan_steps(sl_optim_plan(opt)),
                sl_plan_bytes(sl_optim_plan(opt)));

    /* The step's GEMMs as plain dgemm calls (floor_seconds): per step the two
     * networks' forward passes and L's tangent pass (3 of each layer's), their
     * reverse passes (3) and weight gradients (3); the 2 x 2 products of the
     * commutator are left out. */
    const bench_gemm gemms[] = {
        {'N', 'N', B, H, 2, 3}, {'N', 'N', B, H, H, 3}, {'N', 'N', B, 4, H, 3}, {'N', 'T', B, H, H, 3},
        {'N', 'T', B, H, 4, 3}, {'T', 'N', 2, H, B, 3}, {'T', 'N', H, H, B, 3}, {'T', 'N', H, 4, B, 3},
    };
    bench_floor fl;
    bench_floor_init(&fl, gemms, (int)(sizeof gemms / sizeof gemms[0]));
    double seconds, cpu_seconds;
    bench_timed_steps(ctx, opt, steps, 10, &fl, &seconds, &cpu_seconds);
    double floor_seconds = fl.seconds, floor_cpu = fl.cpu_seconds;
    bench_floor_free(&fl);

    /* final figures at the trained parameters */
    sl_node *outs[5] = {loss, lax, ldsq, L, ld};
    sl_plan *p = NULL;
    BENCH_CHECK(ctx, sl_plan_create(g, 5, outs, &p));
    BENCH_CHECK(ctx, sl_plan_bind(p, xin, x));
    BENCH_CHECK(ctx, sl_plan_bind(p, vin, xdot));
    BENCH_CHECK(ctx, sl_plan_run(p));
    double final_loss = sl_plan_scalar(p, 0), final_lax = sl_plan_scalar(p, 1), ld2 = sl_plan_scalar(p, 2);
    const double *Lv = sl_plan_output(p, 3);
    /* Pearson correlation of tr(L^2) and H over the batch */
    double mt = 0, me = 0, stt = 0, see = 0, ste = 0;
    double *tr = bench_alloc((size_t)B);
    for (int64_t i = 0; i < B; i++) {
        const double *a = Lv + 4 * i;
        tr[i] = a[0] * a[0] + 2 * a[1] * a[2] + a[3] * a[3];
        mt += tr[i] / (double)B, me += energy[i] / (double)B;
    }
    for (int64_t i = 0; i < B; i++) {
        double a = tr[i] - mt, b = energy[i] - me;
        stt += a * a, see += b * b, ste += a * b;
    }
    double corr = ste / sqrt(stt * see);
    bench_report("lax", (int)threads, steps, seconds, "loss", final_loss, "lax", final_lax, "rel_residual",
                 final_lax / ld2, "corr_trL2_H", corr, "loss0", loss0, "cpu_seconds", cpu_seconds,
                 "floor_seconds", floor_seconds, "floor_cpu_seconds", floor_cpu, "floor_fraction",
                 floor_seconds / seconds, "floor_cpu_fraction", floor_cpu / cpu_seconds, (const char *)NULL);

    sl_plan_destroy(p);
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(x), free(xdot), free(energy), free(tr);
    return 0;
}
