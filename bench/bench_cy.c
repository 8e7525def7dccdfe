/* Workload `cy` (WORKLOADS.md): the phi-model Ricci-flat metric on the Fermat
 * quintic (cymetric PhiFSModel, Larfors et al. 2022), the C side of
 * peers/cy.py.  Points from sl_cy_sample (stream 5: the peer's lines, roots
 * and charts), weights glorot seeds 1..4 as the peer, loss = Monge-Ampere +
 * transition, Adam, batch 64 in data order, no clipping.  The phi-model's
 * chart Hessian and its weight gradient (third derivatives of the MLP) run
 * as a forward second-order jet and its reverse (src/cy/phi_jet.c).
 * Only the training call is timed. */
#include "bench_common.h"

#include "symlearn/cy.h"

int main(int argc, char **argv)
{
    long threads = 1, points = 4096, batch = 64, hidden = 64, steps = 1024, seed = 5;
    double lr = 1e-3;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"points", 1, &points, NULL}, {"batch", 1, &batch, NULL},
        {"hidden", 1, &hidden, NULL},   {"steps", 1, &steps, NULL},   {"lr", 0, NULL, &lr},
        {"seed", 1, &seed, NULL},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    if (points % batch != 0 || steps % (points / batch) != 0) {
        fprintf(stderr, "bench_cy: --steps must be a whole number of epochs of --points / --batch batches\n");
        return 2;
    }
    sl_ctx *ctx = bench_ctx((int)threads);
    sl_cy_variety *v = NULL;
    BENCH_CHECK(ctx, sl_cy_variety_quintic(ctx, 0, 0, &v));
    sl_cy_points *p = NULL;
    BENCH_CHECK(ctx, sl_cy_sample(v, points, (uint64_t)seed, &p));

    sl_cy_model_opts mo;
    sl_cy_model_opts_init(&mo);
    mo.depth = 3;
    mo.width = hidden;
    sl_cy_model *m = NULL;
    BENCH_CHECK(ctx, sl_cy_model_create(v, &mo, &m));
    /* the peer's weights: W1..W4 glorot seeds 1..4, biases zero; layout W1 b1 W2 b2 W3 b3 W4 */
    const int64_t H = hidden, nw = sl_cy_model_nweights(m);
    double *w = bench_alloc((size_t)nw);
    double *g1 = bench_glorot(1, 10, H), *g2 = bench_glorot(2, H, H), *g3 = bench_glorot(3, H, H), *g4 = bench_glorot(4, H, 1);
    double *q = w;
    memcpy(q, g1, sizeof(double) * (size_t)(10 * H)), q += 10 * H + H;
    memcpy(q, g2, sizeof(double) * (size_t)(H * H)), q += H * H + H;
    memcpy(q, g3, sizeof(double) * (size_t)(H * H)), q += H * H + H;
    memcpy(q, g4, sizeof(double) * (size_t)H);
    BENCH_CHECK(ctx, sl_cy_model_set_weights(m, w));

    double loss0, sigma0, sigma_fs;
    BENCH_CHECK(ctx, sl_cy_model_losses(m, p, &loss0, NULL, NULL, &sigma0));
    {
        double *det = bench_alloc((size_t)points);
        BENCH_CHECK(ctx, sl_cy_fs_metric(p, 1.0, NULL, det));
        BENCH_CHECK(ctx, sl_cy_points_sigma(p, det, &sigma_fs));
        free(det);
    }
    sl_cy_train_opts to;
    sl_cy_train_opts_init(&to);
    to.epochs = (int)(steps / (points / batch));
    to.batch = batch;
    to.lr = lr;
    double t0 = bench_now(), cpu0 = bench_cpu_now();
    BENCH_CHECK(ctx, sl_cy_model_train(m, p, NULL, &to));
    double seconds = bench_now() - t0, cpu_seconds = bench_cpu_now() - cpu0;

    double loss, ma, tr, sigma;
    BENCH_CHECK(ctx, sl_cy_model_losses(m, p, &loss, &ma, &tr, &sigma));
    bench_report("cy", (int)threads, steps, seconds, "loss", loss, "ma", ma, "transition", tr, "sigma", sigma, "loss0",
                 loss0, "sigma0", sigma0, "sigma_fs", sigma_fs, "kappa", sl_cy_points_kappa(p), "cpu_seconds",
                 cpu_seconds, (const char *)NULL);
    sl_cy_model_destroy(m);
    sl_cy_points_destroy(p);
    sl_cy_variety_destroy(v);
    sl_ctx_destroy(ctx);
    free(w), free(g1), free(g2), free(g3), free(g4);
    return 0;
}
