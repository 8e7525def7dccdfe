/* Workload `dense` (WORKLOADS.md): a GEMM-bound MLP step measured against the
 * linked BLAS's own dgemm, the C side of peers/dense.py.
 *   out = tanh(tanh(x W1) W2) W3,  loss = mean (out - y)^2,  plain SGD,
 * one warm-up evaluation (loss and gradients, no update, like the peer's
 * loss_fn().backward()) then `steps` timed sl_optim_step calls.  GFLOP/s counts
 * 5 GEMMs of 2 B K^2 per step; the dgemm figure is 1 warm-up + 5 timed
 * (B x K)(K x K) products through dgemm_ directly. */
#include "bench_common.h"

void dgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k,
            const double *alpha, const double *a, const int *lda, const double *b,
            const int *ldb, const double *beta, double *c, const int *ldc, size_t la, size_t lb);

/* Row-major C (B x K) = A (B x K) Bm (K x K), as column-major C^T = Bm^T A^T. */
static void rowmajor_gemm(int rows, int inner, int cols, const double *a, const double *b,
                          double *c)
{
    const double one = 1.0, zero = 0.0;
    dgemm_("N", "N", &cols, &rows, &inner, &one, b, &cols, a, &inner, &zero, c, &cols, 1, 1);
}

int main(int argc, char **argv)
{
    long threads = 1, batch = 2048, width = 1024, steps = 10;
    double lr = 1e-3;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"batch", 1, &batch, NULL},
        {"width", 1, &width, NULL},     {"steps", 1, &steps, NULL},
        {"lr", 0, NULL, &lr},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    const int64_t B = batch, K = width;

    sl_ctx *ctx = bench_ctx((int)threads);

    double *x = bench_uniform(1, (size_t)(B * K), -1.0, 1.0);
    double *y = bench_uniform(2, (size_t)B, -1.0, 1.0);
    double *w1 = bench_glorot(3, K, K), *w2 = bench_glorot(4, K, K), *w3 = bench_glorot(5, K, 1);
    if (bench_verbose()) {
        bench_show("x[:4]", x, 4);
        bench_show("y[:4]", y, 4);
        bench_show("W1[:4]", w1, 4);
        bench_show("W3[:4]", w3, 4);
    }

    sl_graph *g = NULL;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    int64_t xshape[2] = {B, K}, yshape[2] = {B, 1};
    sl_node *X = sl_graph_input(g, SL_F64, 2, xshape, "x");
    sl_node *Y = sl_graph_input(g, SL_F64, 2, yshape, "y");
    sl_node *W1 = bench_param2(g, K, K, w1, "W1");
    sl_node *W2 = bench_param2(g, K, K, w2, "W2");
    sl_node *W3 = bench_param2(g, K, 1, w3, "W3");
    sl_node *h = sl_graph_tanh(g, sl_graph_matmul(g, X, W1));
    h = sl_graph_tanh(g, sl_graph_matmul(g, h, W2));
    sl_node *loss = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, sl_graph_matmul(g, h, W3), Y)));
    bench_check_graph(g, "building the dense graph");

    sl_node *params[3] = {W1, W2, W3};
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_SGD);
    oo.lr = lr;
    sl_optim *opt = NULL;
    BENCH_CHECK(ctx, sl_optim_create(g, loss, 3, params, &oo, &opt));
    BENCH_CHECK(ctx, sl_optim_bind(opt, X, x));
    BENCH_CHECK(ctx, sl_optim_bind(opt, Y, y));

    double l0;
    BENCH_CHECK(ctx, sl_optim_eval(opt, &l0));                       /* warm-up */
    if (bench_verbose())
        fprintf(stderr, "initial loss: %.17g (plan: %d ops, %zu bytes)\n", l0,
                sl_plan_steps(sl_optim_plan(opt)), sl_plan_bytes(sl_optim_plan(opt)));

    double t0 = bench_now(), cpu0 = bench_cpu_now();
    for (long s = 0; s < steps; s++) BENCH_CHECK(ctx, sl_optim_step(opt, NULL));
    double seconds = bench_now() - t0, cpu_seconds = bench_cpu_now() - cpu0;
    double final_loss;
    BENCH_CHECK(ctx, sl_optim_eval(opt, &final_loss));
    double flops = (double)steps * 5.0 * 2.0 * (double)B * (double)K * (double)K;
    double gflops = flops / seconds / 1e9;

    /* The machine's own dgemm on the same shape, same thread setting. */
    double *A = bench_uniform(6, (size_t)(B * K), -1.0, 1.0);
    double *Bm = bench_uniform(7, (size_t)(K * K), -1.0, 1.0);
    double *C = bench_alloc((size_t)(B * K));
    rowmajor_gemm((int)B, (int)K, (int)K, A, Bm, C);                 /* warm-up */
    double g0 = bench_now();
    for (int r = 0; r < 5; r++) rowmajor_gemm((int)B, (int)K, (int)K, A, Bm, C);
    double gsec = bench_now() - g0;
    double dgemm_gflops = 5.0 * 2.0 * (double)B * (double)K * (double)K / gsec / 1e9;

    bench_report("dense", (int)threads, steps, seconds, "loss", final_loss, "gflops", gflops,
                 "dgemm_gflops", dgemm_gflops, "fraction", gflops / dgemm_gflops,
                 "cpu_seconds", cpu_seconds, (const char *)NULL);

    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(x), free(y), free(w1), free(w2), free(w3), free(A), free(Bm), free(C);
    return 0;
}
