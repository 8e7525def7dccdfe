/* Workloads `lcnn` and `lcnn-forward` (WORKLOADS.md): the PRL L-CNN (GCMConv
 * stack, Trace, per-site dense head) on SU(2) in 1+1D, the C side of
 * peers/lcnn.py.  Same data and weights bit for bit (splitmix64 streams):
 * links from stream 1, alpha of layer i from stream 10 + i, head glorot 20.
 *   --mode train    Adam, full batch, `steps` steps, loss vs Re Tr W2x2 / 2
 *   --mode forward  `steps` forward passes after one warm-up; sites/s
 * GFLOP/s counts the model's arithmetic (the GCMConv GEMMs and the N x N
 * products); dgemm_gflops is the linked dgemm on the same GEMM shape. */
#include "bench_common.h"
#include "symlearn/lattice.h"

#include <complex.h>

extern void dgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const double *alpha,
                   const double *a, const int *lda, const double *b, const int *ldb, const double *beta, double *c,
                   const int *ldc, size_t la, size_t lb);

static int parse_list(const char *s, int *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        char *end;
        out[n++] = (int)strtol(s, &end, 10);
        if (end == s) return -1;
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

int main(int argc, char **argv)
{
    long threads = 1, L = 16, batch = 8, steps = 50;
    double lr = 1e-3;
    int forward = 0, chans[16] = {4, 4}, kers[16] = {3, 3}, nl = 2, nk = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--threads")) threads = atol(v);
        else if (!strcmp(k, "--L")) L = atol(v);
        else if (!strcmp(k, "--batch")) batch = atol(v);
        else if (!strcmp(k, "--steps")) steps = atol(v);
        else if (!strcmp(k, "--lr")) lr = atof(v);
        else if (!strcmp(k, "--mode")) forward = !strcmp(v, "forward");
        else if (!strcmp(k, "--channels")) nl = parse_list(v, chans, 16);
        else if (!strcmp(k, "--kernels")) nk = parse_list(v, kers, 16);
        else { fprintf(stderr, "bench_lcnn: unknown option %s\n", k); return 2; }
    }
    if (nl < 1 || nl != nk) { fprintf(stderr, "bench_lcnn: --channels and --kernels must have the same length\n"); return 2; }
    const int64_t B = batch, D = 2, N = 2, V = L * L;
    sl_ctx *ctx = bench_ctx((int)threads);

    /* Links: for each (b, x0, x1, mu) three normals v, U = exp(i v.sigma). */
    double *v = bench_normal(1, (size_t)(B * V * D * 3));
    double complex *U = malloc(sizeof(double complex) * (size_t)(B * V * D * 4));
    for (int64_t l = 0; l < B * V * D; ++l) {
        const double *q = v + 3 * l;
        double r = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]), c = cos(r), s = sin(r) / r;
        double v1 = q[0] * s, v2 = q[1] * s, v3 = q[2] * s;
        U[4 * l + 0] = c + I * v3;
        U[4 * l + 1] = v2 + I * v1;
        U[4 * l + 2] = -v2 + I * v1;
        U[4 * l + 3] = c - I * v3;
    }
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nd = 2; o.nc = 2; o.nlayers = nl; o.seed = 0;    /* alpha streams 10 + i, head stream 20 */
    for (int i = 0; i < nl; ++i) { o.channels[i] = chans[i]; o.kernels[i] = kers[i]; }
    sl_lcnn *net = NULL;
    BENCH_CHECK(ctx, sl_lcnn_create(ctx, &o, &net));

    /* Model arithmetic per forward pass (real flops). */
    double flops = 3 * 8.0 * N * N * N * B * V, gemm_m = 0, gemm_k = 0, gemm_n = 2.0 * B * V * N * N;
    int64_t cin = 1;
    for (int i = 0; i < nl; ++i) {
        double M = (double)cin * D * (kers[i] - 1), rows = (double)chans[i] * (2 * cin + 1);
        flops += 2 * rows * (2 * M + 1) * 2 * N * N * B * V;       /* the GEMM */
        flops += (2 * M + rows) * 8.0 * N * N * N * B * V;         /* transports, A_v tmp_uv */
        if (rows * (2 * M + 1) > gemm_m * gemm_k) { gemm_m = rows; gemm_k = 2 * M + 1; }
        cin = chans[i];
    }

    sl_graph *g = NULL;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    int64_t us[6] = {B, L, L, D, N, N};
    sl_node *Un = sl_graph_input(g, SL_C128, 6, us, "U");
    sl_node *params[SL_LCNN_MAX_LAYERS + 2];
    sl_node *pred = sl_lcnn_apply(net, g, Un, params);
    sl_node *wl = sl_graph_wilson_loop(g, Un, 0, 1, 2, 2);
    sl_node *target = sl_graph_mul_scalar(g, sl_graph_real(g, sl_graph_trace(g, wl)), 1.0 / N);
    sl_node *loss = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, pred, target)));
    bench_check_graph(g, "building the L-CNN graph");

    double seconds, out_sum = 0, final_loss = NAN, tmean = 0;
    if (forward) {
        sl_plan *p = NULL;
        BENCH_CHECK(ctx, sl_plan_create(g, 1, &pred, &p));
        BENCH_CHECK(ctx, sl_plan_bind(p, Un, U));
        sl_plan_set_check_finite(p, 0);
        BENCH_CHECK(ctx, sl_plan_run(p));
        double t0 = bench_now();
        for (long s = 0; s < steps; s++) BENCH_CHECK(ctx, sl_plan_run(p));
        seconds = bench_now() - t0;
        const double *y = sl_plan_output(p, 0);
        for (int64_t i = 0; i < B * V; ++i) out_sum += y[i];
        sl_plan_destroy(p);
    } else {
        sl_optim_opts oo;
        sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
        oo.lr = lr;
        sl_optim *opt = NULL;
        BENCH_CHECK(ctx, sl_optim_create(g, loss, nl + 2, params, &oo, &opt));
        BENCH_CHECK(ctx, sl_optim_bind(opt, Un, U));
        sl_plan_set_check_finite(sl_optim_plan(opt), 0);
        /* full-batch training on fixed links: W0, the first layer's transports
         * and the target are computed once (as the peer does for W0 and the target) */
        BENCH_CHECK(ctx, sl_plan_set_cache_data(sl_optim_plan(opt), 1));
        double t0 = bench_now();
        for (long s = 0; s < steps; s++) BENCH_CHECK(ctx, sl_optim_step(opt, NULL));
        seconds = bench_now() - t0;
        BENCH_CHECK(ctx, sl_optim_eval(opt, &final_loss));
        sl_optim_destroy(opt);
        sl_plan *p = NULL;
        BENCH_CHECK(ctx, sl_plan_create(g, 1, &target, &p));
        BENCH_CHECK(ctx, sl_plan_bind(p, Un, U));
        BENCH_CHECK(ctx, sl_plan_run(p));
        const double *y = sl_plan_output(p, 0);
        for (int64_t i = 0; i < B * V; ++i) tmean += y[i] / (double)(B * V);
        sl_plan_destroy(p);
        flops *= 3;   /* forward + backward (about twice the forward) */
    }

    /* The linked dgemm on the largest GCMConv GEMM shape. */
    int m = (int)gemm_n, n = (int)gemm_m, k = (int)gemm_k;
    double *a = bench_uniform(7, (size_t)m * (size_t)k, -1, 1), *b = bench_uniform(8, (size_t)k * (size_t)n, -1, 1);
    double *c = bench_alloc((size_t)m * (size_t)n), one = 1, zero = 0;
    dgemm_("N", "N", &m, &n, &k, &one, a, &m, b, &k, &zero, c, &m, 1, 1);
    int reps = 0;
    double t0 = bench_now();
    do {
        dgemm_("N", "N", &m, &n, &k, &one, a, &m, b, &k, &zero, c, &m, 1, 1);
        reps++;
    } while (bench_now() - t0 < 0.3);
    double dgemm_gflops = 2.0 * m * n * k * reps / (bench_now() - t0) * 1e-9;
    double gflops = flops * (double)steps / seconds * 1e-9;

    if (forward)
        bench_report("lcnn-forward", (int)threads, steps, seconds, "params", (double)sl_lcnn_nparams(net),
                     "sites_per_s", (double)(steps * B * V) / seconds, "checksum", out_sum, "gflops", gflops,
                     "dgemm_gflops", dgemm_gflops, (const char *)NULL);
    else
        bench_report("lcnn", (int)threads, steps, seconds, "params", (double)sl_lcnn_nparams(net), "loss",
                     final_loss, "target_mean", tmean, "gflops", gflops, "dgemm_gflops", dgemm_gflops,
                     (const char *)NULL);
    sl_graph_destroy(g);
    sl_lcnn_destroy(net);
    sl_ctx_destroy(ctx);
    free(v), free(U), free(a), free(b), free(c);
    return 0;
}
