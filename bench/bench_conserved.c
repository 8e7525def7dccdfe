/* Workload `conserved` (WORKLOADS.md): the AI Poincare 2.0 loss (Liu,
 * Madhavan, Tegmark, PRE 106, 045307 (2022), eqs. 3-5) on the 2D isotropic
 * oscillator, the C side of peers/conserved.py.
 *   K networks H_k = silu(silu(x W1 + b1) W2 + b2) W3 + b3, stacked on a
 *   leading axis (batched products); g_k = dH_k/dx from one gradient of
 *   sum_k H_k with respect to a per-network copy of the batch;
 *   fit = mean_{k,b} (fh . gh_k)^2, R_H from the Pearson correlations of the
 *   H_k over the batch, R_grad from the mean squared overlaps of the gh_k;
 *   loss = fit + lam (R_H + R_grad).  Adam, full batch.
 * After training: the per-row explained-variance ratios of the K x 4 matrix
 * of unit gradients (its singular values from the 4 x 4 Gram matrix), whose
 * count of O(1) entries is the number of conserved quantities (three here).
 * Only the loop of sl_optim_step calls is timed; floor_seconds is the same
 * GEMMs as plain dgemm calls, run in chunks between the optimiser's. */ 
#include "bench_common.h"

/* LAPACK: eigenvalues of a symmetric matrix */
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
            double *work, const int *lwork, int *info);

static sl_node *silu(sl_graph *g, sl_node *v) { return sl_graph_silu(g, v); }

int main(int argc, char **argv)
{
    long threads = 1, batch = 2048, hidden = 64, nets = 4, steps = 300;
    double lr = 1e-3, lam = 0.02;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"batch", 1, &batch, NULL}, {"hidden", 1, &hidden, NULL},
        {"nets", 1, &nets, NULL},       {"steps", 1, &steps, NULL}, {"lr", 0, NULL, &lr},
        {"lam", 0, NULL, &lam},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    const int64_t B = batch, H = hidden, K = nets;
    if (K < 2 || K > 4) {
        fprintf(stderr, "bench_conserved: --nets must be 2..4 (the phase space has 4 dimensions)\n");
        return 2;
    }
    sl_ctx *ctx = bench_ctx((int)threads);

    /* x uniform(-2, 2) seed 100, rows (q1, q2, p1, p2); f = (p, -q), fh = f / |f| */
    double *x = bench_uniform(100, (size_t)(B * 4), -2.0, 2.0);
    double *fh = bench_alloc((size_t)(B * 4));
    double *xin = bench_alloc((size_t)(K * B * 4));
    for (int64_t i = 0; i < B; i++) {
        const double *r = x + i * 4;
        double f[4] = {r[2], r[3], -r[0], -r[1]};
        double n = sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2] + f[3] * f[3]);
        for (int j = 0; j < 4; j++) fh[i * 4 + j] = f[j] / n;
    }
    for (int64_t k = 0; k < K; k++) memcpy(xin + k * B * 4, x, sizeof(double) * (size_t)(B * 4));
    double *w1 = bench_alloc((size_t)(K * 4 * H)), *w2 = bench_alloc((size_t)(K * H * H));
    double *w3 = bench_alloc((size_t)(K * H));
    for (int64_t k = 0; k < K; k++) {
        double *a = bench_glorot((uint64_t)(10 * k + 1), 4, H), *b = bench_glorot((uint64_t)(10 * k + 2), H, H);
        double *c = bench_glorot((uint64_t)(10 * k + 3), H, 1);
        memcpy(w1 + k * 4 * H, a, sizeof(double) * (size_t)(4 * H));
        memcpy(w2 + k * H * H, b, sizeof(double) * (size_t)(H * H));
        memcpy(w3 + k * H, c, sizeof(double) * (size_t)H);
        free(a), free(b), free(c);
    }

    sl_graph *g = NULL;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    sl_node *X = sl_graph_input(g, SL_F64, 3, (int64_t[]){K, B, 4}, "x");
    sl_node *FH = sl_graph_constant(g, SL_F64, 2, (int64_t[]){B, 4}, fh);
    sl_node *W1 = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, 4, H}, w1, "W1");
    sl_node *b1 = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, 1, H}, NULL, "b1");
    sl_node *W2 = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, H, H}, w2, "W2");
    sl_node *b2 = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, 1, H}, NULL, "b2");
    sl_node *W3 = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, H, 1}, w3, "W3");
    sl_node *b3 = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, 1, 1}, NULL, "b3");

    sl_node *h = silu(g, sl_graph_add(g, sl_graph_matmul(g, X, W1), b1));
    h = silu(g, sl_graph_add(g, sl_graph_matmul(g, h, W2), b2));
    sl_node *Hk = sl_graph_add(g, sl_graph_matmul(g, h, W3), b3);             /* (K, B, 1) */
    sl_node *grad = sl_graph_grad1(g, sl_graph_sum(g, Hk), X);                 /* (K, B, 4) */
    int ax2 = 2, ax1 = 1, ax0 = 0;
    sl_node *gnorm = sl_graph_sqrt(g, sl_graph_sum_axes(g, sl_graph_square(g, grad), 1, &ax2, 1));
    sl_node *gh = sl_graph_div(g, grad, gnorm);
    sl_node *fit = sl_graph_mean(g, sl_graph_square(g, sl_graph_sum_axes(g, sl_graph_mul(g, gh, FH), 1, &ax2, 0)));
    /* Pearson correlations of the H_k over the batch */
    sl_node *Hc = sl_graph_sub(g, Hk, sl_graph_mean_axes(g, Hk, 1, &ax1, 1));
    sl_node *Hn = sl_graph_div(g, Hc, sl_graph_sqrt(g, sl_graph_sum_axes(g, sl_graph_square(g, Hc), 1, &ax1, 1)));
    Hn = sl_graph_reshape(g, Hn, 2, (int64_t[]){K, B});
    sl_node *corr = sl_graph_matmul_ex(g, Hn, SL_OP_N, Hn, SL_OP_T);          /* (K, K) */
    double pairs = (double)(K * (K - 1));
    sl_node *r_h = sl_graph_mul_scalar(g, sl_graph_add_scalar(g, sl_graph_sum(g, sl_graph_square(g, corr)), -(double)K),
                                       1.0 / pairs);
    /* mean squared overlaps of the unit gradients, per row */
    sl_node *gb = sl_graph_permute(g, gh, (int[]){1, 0, 2});                  /* (B, K, 4) */
    sl_node *dots = sl_graph_matmul_ex(g, gb, SL_OP_N, gb, SL_OP_T);          /* (B, K, K) */
    sl_node *r_grad = sl_graph_mul_scalar(
        g, sl_graph_add_scalar(g, sl_graph_sum(g, sl_graph_mean_axes(g, sl_graph_square(g, dots), 1, &ax0, 0)), -(double)K),
        1.0 / pairs);
    sl_node *loss = sl_graph_add(g, fit, sl_graph_mul_scalar(g, sl_graph_add(g, r_h, r_grad), lam));
    bench_check_graph(g, "building the conserved graph");

    sl_node *params[6] = {W1, b1, W2, b2, W3, b3};
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
    oo.lr = lr;
    sl_optim *opt = NULL;
    BENCH_CHECK(ctx, sl_optim_create(g, loss, 6, params, &oo, &opt));
    BENCH_CHECK(ctx, sl_optim_bind(opt, X, xin));
    BENCH_CHECK(ctx, sl_plan_set_cache_data(sl_optim_plan(opt), 1));
    double loss0;
    BENCH_CHECK(ctx, sl_optim_eval(opt, &loss0));
    if (bench_verbose())
        fprintf(stderr, "loss0: %.17g (plan: %d ops, %zu bytes)\n", loss0, sl_plan_steps(sl_optim_plan(opt)),
                sl_plan_bytes(sl_optim_plan(opt)));

    /* The step's GEMMs (per network, times K): the forward pass, the input
     * gradient's reverse pass, and training's reverse pass through both
     * (second order), as plain dgemm calls: floor_seconds. */
    const int k2 = (int)(2 * K), k1 = (int)K;
    const bench_gemm gemms[] = {
        {'N', 'N', B, H, 4, k2}, {'N', 'N', B, H, H, k2}, {'N', 'N', B, 1, H, k1}, {'N', 'T', B, H, 1, k2},
        {'N', 'T', B, H, H, k2}, {'N', 'T', B, 4, H, k1}, {'T', 'N', 4, H, B, k2}, {'T', 'N', H, H, B, k2},
        {'T', 'N', H, 1, B, k2},
    };
    bench_floor fl;
    bench_floor_init(&fl, gemms, (int)(sizeof gemms / sizeof gemms[0]));
    double seconds, cpu_seconds;
    bench_timed_steps(ctx, opt, steps, 10, &fl, &seconds, &cpu_seconds);
    double floor_seconds = fl.seconds, floor_cpu = fl.cpu_seconds;
    bench_floor_free(&fl);

    /* the terms and the unit gradients with the final parameters */
    sl_node *outs[5] = {loss, fit, r_h, r_grad, gb};
    sl_plan *p = NULL;
    BENCH_CHECK(ctx, sl_plan_create(g, 5, outs, &p));
    BENCH_CHECK(ctx, sl_plan_bind(p, X, xin));
    BENCH_CHECK(ctx, sl_plan_run(p));
    const double *G = sl_plan_output(p, 4);
    double explained[4] = {0, 0, 0, 0};
    for (int64_t i = 0; i < B; i++) {
        /* singular values^2 of the K x 4 row block = eigenvalues of its 4 x 4 Gram matrix */
        double gram[16] = {0}, w[4], work[64];
        int n = 4, lwork = 64, info = 0;
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int64_t k = 0; k < K; k++) gram[a * 4 + b] += G[(i * K + k) * 4 + a] * G[(i * K + k) * 4 + b];
        dsyev_("N", "U", &n, gram, &n, w, work, &lwork, &info);
        if (info != 0) bench_die(ctx, "dsyev", SL_ERR_NUMERIC);
        double tot = w[0] + w[1] + w[2] + w[3];
        for (int j = 0; j < 4; j++) explained[j] += fmax(w[3 - j], 0.0) / tot / (double)B;   /* descending */
    }
    bench_report("conserved", (int)threads, steps, seconds, "loss", sl_plan_scalar(p, 0), "fit", sl_plan_scalar(p, 1),
                 "R_H", sl_plan_scalar(p, 2), "R_grad", sl_plan_scalar(p, 3), "explained0", explained[0],
                 "explained1", explained[1], "explained2", explained[2], "explained3", explained[3], "loss0", loss0,
                 "cpu_seconds", cpu_seconds, "floor_seconds", floor_seconds, "floor_cpu_seconds", floor_cpu,
                 "floor_fraction", floor_seconds / seconds, "floor_cpu_fraction", floor_cpu / cpu_seconds,
                 (const char *)NULL);

    sl_plan_destroy(p);
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(x), free(fh), free(xin), free(w1), free(w2), free(w3);
    return 0;
}
