/* Workload `cnn` (shared/research/scalar_field.md §6.2): training the SF-T8
 * network conv(4->16, k3, circular)-tanh-conv(16->16, k3)-tanh-global
 * average-linear(16->2) in float64 on n configurations (4, 60, 4), batch
 * 100, AdamW (lr 1e-2, amsgrad, no weight decay), batches in order, one
 * thread; the C side of bench/peers/cnn.py.  Same data and weights bit for
 * bit (splitmix64 streams, bench/peers/sm64.py):
 *   x: stream 1, x = floor(4 u) - 2 on the k channels, floor(4 u) on l;
 *   y = (mean k_t, mean(l_t + l_x) / 4) per configuration;
 *   weights U(-b, b), b = 1/sqrt(fan_in): conv1 W 11, b 12; conv2 W 13, b 14;
 *   head W 15, b 16 (PyTorch's parameter order and shapes).
 * Reports seconds for `epochs` epochs, the first-step loss (loss0) and the
 * mean training loss of the last epoch (loss). */
#include "bench_common.h"
#include "symlearn/equivariant.h"

int main(int argc, char **argv)
{
    long threads = 1, n = 20000, epochs = 3, batch = 100;
    double lr = 1e-2;
    bench_opt opts[] = {{"threads", 1, &threads, NULL}, {"n", 1, &n, NULL}, {"epochs", 1, &epochs, NULL},
                        {"batch", 1, &batch, NULL}, {"lr", 0, NULL, &lr}};
    bench_parse(argc, argv, 5, opts);
    const int64_t NT = 60, NX = 4, C = 4, per = C * NT * NX;
    sl_ctx *ctx = bench_ctx((int)threads);
    double *x = bench_uniform(1, (size_t)(n * per), 0, 1), *y = bench_alloc((size_t)(2 * n));
    for (long b = 0; b < n; ++b) {
        double *xb = x + b * per, kt = 0, l = 0;
        for (int64_t c = 0; c < C; ++c)
            for (int64_t s = 0; s < NT * NX; ++s) {
                double v = floor(4 * xb[c * NT * NX + s]) - (c < 2 ? 2 : 0);
                xb[c * NT * NX + s] = v;
                if (c == 0) kt += v;
                if (c >= 2) l += v;
            }
        y[2 * b] = kt / (double)(NT * NX);
        y[2 * b + 1] = l / (double)(NT * NX) / 4;
    }
    sl_eqcnn_opts o;
    sl_eqcnn_opts_init(&o);   /* the SF-T8 network: 16, 16 channels, kernels 3, tanh, head 16 -> 2 */
    sl_eqcnn *net;
    BENCH_CHECK(ctx, sl_eqcnn_create(ctx, &o, &net));
    int64_t cnt[6] = {16 * 4 * 9, 16, 16 * 16 * 9, 16, 2 * 16, 2};
    double bnd[6] = {1 / sqrt(36.0), 1 / sqrt(36.0), 1 / sqrt(144.0), 1 / sqrt(144.0), 1 / sqrt(16.0), 1 / sqrt(16.0)};
    double *w = bench_alloc((size_t)sl_eqcnn_nparams(net));
    for (int i = 0, off = 0; i < 6; off += (int)cnt[i], ++i) {
        double *p = bench_uniform(11 + (uint64_t)i, (size_t)cnt[i], -bnd[i], bnd[i]);
        memcpy(w + off, p, sizeof(double) * (size_t)cnt[i]);
        free(p);
    }
    BENCH_CHECK(ctx, sl_eqcnn_set_weights(net, sl_eqcnn_nparams(net), w));

    sl_graph *g;
    BENCH_CHECK(ctx, sl_graph_create(ctx, &g));
    sl_node *X = sl_graph_input(g, SL_F64, 4, (int64_t[]){batch, C, NT, NX}, "x");
    sl_node *T = sl_graph_input(g, SL_F64, 2, (int64_t[]){batch, 2}, "y");
    sl_node *params[8];
    int np;
    sl_node *Y = sl_eqcnn_apply(net, g, X, params, &np);
    sl_node *loss = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, Y, T)));
    bench_check_graph(g, "graph");
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAMW);
    oo.lr = lr, oo.amsgrad = 1, oo.weight_decay = 0;
    sl_optim *opt;
    BENCH_CHECK(ctx, sl_optim_create(g, loss, np, params, &oo, &opt));
    sl_plan_set_check_finite(sl_optim_plan(opt), 0);
    long nb = n / batch;
    double loss0 = NAN, last = 0, t0 = bench_now(), c0 = bench_cpu_now();
    for (long ep = 0; ep < epochs; ++ep) {
        last = 0;
        for (long b = 0; b < nb; ++b) {
            sl_optim_bind(opt, X, x + b * batch * per);
            sl_optim_bind(opt, T, y + b * batch * 2);
            double l;
            BENCH_CHECK(ctx, sl_optim_step(opt, &l));
            if (ep == 0 && b == 0) loss0 = l;
            last += l / (double)nb;
        }
    }
    double secs = bench_now() - t0, cpu = bench_cpu_now() - c0;
    /* conv FLOPs per sample: forward 2 N (16*36 + 16*144), backward twice that (dx of
     * conv1 is not needed but counted as torch computes only what it needs: 2 x) */
    double fl = 3.0 * 2 * NT * NX * (16.0 * 36 + 16.0 * 144) * (double)(nb * batch) * (double)epochs;
    bench_report("cnn", (int)threads, epochs * nb, secs, "loss", last, "loss0", loss0, "seconds_per_epoch",
                 secs / (double)epochs, "cpu_seconds", cpu, "model_gflops", fl / secs / 1e9, (const char *)NULL);
    sl_optim_destroy(opt);
    sl_graph_destroy(g);
    sl_eqcnn_destroy(net);
    free(x), free(y), free(w);
    sl_ctx_destroy(ctx);
    return 0;
}
