/* SF-T8, quick version (shared/research/scalar_field.md §5): the SF-T8 CNN
 * (conv 4->16 k3, tanh, conv 16->16 k3, tanh, global average, linear 16->2)
 * trained with AdamW / amsgrad at mu = 1.05 on 60 x 4 (m = 0.1, lambda = 1)
 * to predict (n, |phi|^2) per configuration:
 *   - test MSE(n) at mu = 1.05 <= 1e-3;
 *   - at mu = 0.91 at most half the MSE(n) of a dense network with about the
 *     same number of weights (960 -> 3 -> 2) trained on the same data;
 *   - on 125 x 8 at most half the MSE(n) of a dense network (4000 -> 1 -> 2)
 *     trained on 125 x 8 itself (the 60 x 4 one cannot be applied there).
 * Plus the trainer's bookkeeping: best epoch, early stopping, bad input.
 * The full-size figures are in docs/equivariant.md (examples/scalar_regression). */
#include "fdcheck.h"

#include <string.h>

static sl_ctx *ctx;

static int sample(int64_t nt, int64_t nx, double mu, int64_t n, uint64_t seed, double **x, double **y)
{
    int64_t thin = nt * nx > 500 ? 5 : 10;
    int64_t per = 4 * nt * nx;
    *x = malloc(sizeof(double) * (size_t)(n * per));
    *y = malloc(sizeof(double) * (size_t)(2 * n));
    if (!*x || !*y) return 1;
    for (int c = 0; c < 4; ++c) {
        sl_flux *F;
        if (sl_flux_create(ctx, nt, nx, 0.1, 1.0, mu, &F)) return 1;
        uint64_t s = seed * 16 + (uint64_t)c;
        sl_flux_sweep(F, 100, nt * nx / 8, SL_FLUX_L_AUTO, s);
        for (int64_t i = c; i < n; i += 4) {
            sl_flux_sweep(F, thin, nt * nx / 8, SL_FLUX_L_AUTO, s);
            sl_flux_export(F, per, *x + i * per);
            sl_flux_density(F, *y + 2 * i);
            sl_flux_phi2(F, *y + 2 * i + 1);
        }
        sl_flux_destroy(F);
    }
    return 0;
}

static sl_eqcnn *train(int kind, int64_t nt, int64_t nx, int hidden, int64_t n, const double *x, const double *y,
                       int64_t nv, const double *xv, const double *yv, int epochs, int *best)
{
    sl_eqcnn_opts o;
    sl_eqcnn_opts_init(&o);
    o.kind = kind;
    if (kind == SL_EQCNN_DENSE) o.nconv = 1, o.channels[0] = hidden, o.nt = nt, o.nx = nx;
    sl_eqcnn *net = NULL;
    CHECK(sl_eqcnn_create(ctx, &o, &net) == SL_OK, "create: %s", sl_ctx_errmsg(ctx));
    sl_eqcnn_train_opts t;
    sl_eqcnn_train_opts_init(&t);
    t.max_epochs = epochs, t.min_epochs = epochs, t.batch = 50;
    int ran = 0;
    double bv = 0;
    CHECK(sl_eqcnn_train(net, n, nt, nx, x, y, nv, xv, yv, &t, &ran, best, &bv) == SL_OK, "train: %s",
          sl_ctx_errmsg(ctx));
    CHECK(ran == epochs && *best >= 1 && *best <= epochs && bv >= 0, "summary %d %d %g", ran, *best, bv);
    return net;
}

static void test_sf_t8(void)
{
    int quick = getenv("SL_TEST_QUICK") != NULL;
    int64_t ntrain = 300, nval = 50, ntest = quick ? 100 : 200, nbig = 150, nbt = 100;
    int epochs = quick ? 16 : 20, best;
    double *x, *y, *xv, *yv, *x1, *y1, *x0, *y0, *xb, *yb, *xbt, *ybt;
    int bad = sample(60, 4, 1.05, ntrain, 1, &x, &y) || sample(60, 4, 1.05, nval, 2, &xv, &yv) ||
              sample(60, 4, 1.05, ntest, 3, &x1, &y1) || sample(60, 4, 0.91, ntest, 4, &x0, &y0) ||
              sample(125, 8, 1.05, nbig, 5, &xb, &yb) || sample(125, 8, 1.05, nbt, 6, &xbt, &ybt);
    CHECK(!bad, "sampling");
    if (bad) return;
    sl_eqcnn *cnn = train(SL_EQCNN_CONV, 60, 4, 0, ntrain, x, y, nval, xv, yv, epochs, &best);
    sl_eqcnn *mlp = train(SL_EQCNN_DENSE, 60, 4, 3, ntrain, x, y, nval, xv, yv, epochs, &best);
    int64_t nb = nbig - 30;
    sl_eqcnn *mlpb = train(SL_EQCNN_DENSE, 125, 8, 1, nb, xb, yb, 30, xb + nb * 4000, yb + 2 * nb, epochs, &best);
    CHECK(sl_eqcnn_nparams(cnn) == 2946 && sl_eqcnn_nparams(mlp) == 2891 && sl_eqcnn_nparams(mlpb) == 4005,
          "weights %lld %lld %lld", (long long)sl_eqcnn_nparams(cnn), (long long)sl_eqcnn_nparams(mlp),
          (long long)sl_eqcnn_nparams(mlpb));
    double c1[2], c0[2], d0[2], cb[2], db[2];
    CHECK(!sl_eqcnn_test(cnn, ntest, 60, 4, x1, y1, c1) && !sl_eqcnn_test(cnn, ntest, 60, 4, x0, y0, c0) &&
              !sl_eqcnn_test(mlp, ntest, 60, 4, x0, y0, d0) && !sl_eqcnn_test(cnn, nbt, 125, 8, xbt, ybt, cb) &&
              !sl_eqcnn_test(mlpb, nbt, 125, 8, xbt, ybt, db),
          "test: %s", sl_ctx_errmsg(ctx));
    printf("SF-T8 quick (%lld configurations, %d epochs): CNN MSE(n) mu=1.05 %.3e, mu=0.91 %.3e (dense %.3e), "
           "125x8 %.3e (dense on 125x8 %.3e); MSE(|phi|^2) mu=1.05 %.3e\n",
           (long long)ntrain, epochs, c1[0], c0[0], d0[0], cb[0], db[0], c1[1]);
    CHECK(c1[0] <= 1e-3, "MSE(n) at mu = 1.05: %g", c1[0]);
    CHECK(c0[0] <= 0.5 * d0[0], "mu = 0.91: CNN %g vs dense %g", c0[0], d0[0]);
    CHECK(cb[0] <= 0.5 * db[0], "125x8: CNN %g vs dense %g", cb[0], db[0]);
    /* the dense network refuses another lattice */
    double m[2];
    CHECK(sl_eqcnn_test(mlp, nbt, 125, 8, xbt, ybt, m) == SL_ERR_SHAPE, "dense on 125x8");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_eqcnn_test") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    /* the one-call helper: train, then the MSE per target and per lattice size */
    {
        sl_eqcnn_opts so;
        sl_eqcnn_opts_init(&so);
        so.channels[0] = so.channels[1] = 4;
        sl_eqcnn *small;
        sl_eqcnn_create(ctx, &so, &small);
        sl_eqcnn_train_opts st3;
        sl_eqcnn_train_opts_init(&st3);
        st3.max_epochs = 3, st3.batch = 50;
        int64_t tn[2] = {ntest, nbt}, tnt[2] = {60, 125}, tnx[2] = {4, 8};
        const double *tx[2] = {x1, xbt}, *ty[2] = {y1, ybt};
        double mse[4], again[2];
        CHECK(sl_discover_observables(small, ntrain, 60, 4, x, y, nval, xv, yv, 2, tn, tnt, tnx, tx, ty, &st3, mse) ==
                  SL_OK, "sl_discover_observables: %s", sl_ctx_errmsg(ctx));
        sl_eqcnn_test(small, nbt, 125, 8, xbt, ybt, again);
        CHECK(mse[2] == again[0] && mse[3] == again[1] && mse[0] >= 0 && mse[1] >= 0, "per-size MSE");
        CHECK(sl_discover_observables(mlp, ntrain, 60, 4, x, y, nval, xv, yv, 2, tn, tnt, tnx, tx, ty, &st3, mse) ==
                  SL_ERR_SHAPE && strstr(sl_ctx_errmsg(ctx), "sl_discover_observables") != NULL,
              "dense network on 125x8: %s", sl_ctx_errmsg(ctx));
        sl_eqcnn_destroy(small);
    }
    /* early stopping: patience 2 after 3 epochs stops before 40 epochs with lr so large it diverges */
    sl_eqcnn_train_opts t;
    sl_eqcnn_train_opts_init(&t);
    t.max_epochs = 40, t.min_epochs = 3, t.patience = 2, t.lr = 0.5, t.batch = 50;
    int ran = 0, be = 0;
    double bv = 0, w0[4], w1[4];
    CHECK(sl_eqcnn_train(mlp, ntrain, 60, 4, x, y, nval, xv, yv, &t, &ran, &be, &bv) == SL_OK, "train");
    CHECK(ran < 40 && ran >= 3 && be >= 1 && be <= ran && ran - be >= 2, "early stopping: %d epochs, best %d", ran, be);
    /* bad input */
    double keep = x[5];
    x[5] = NAN;
    CHECK(sl_eqcnn_train(cnn, ntrain, 60, 4, x, y, 0, NULL, NULL, NULL, NULL, NULL, NULL) == SL_ERR_NONFINITE,
          "NaN input");
    x[5] = keep;
    t.lr = -1;
    CHECK(sl_eqcnn_train(cnn, ntrain, 60, 4, x, y, 0, NULL, NULL, &t, NULL, NULL, NULL) == SL_ERR_ARG, "lr < 0");
    CHECK(sl_eqcnn_get_weights(cnn, 4, w0) == SL_ERR_SHAPE, "weight count");
    (void)w1;
    sl_eqcnn_destroy(cnn), sl_eqcnn_destroy(mlp), sl_eqcnn_destroy(mlpb);
    free(x), free(y), free(xv), free(yv), free(x1), free(y1), free(x0), free(y0), free(xb), free(yb), free(xbt),
        free(ybt);
}

/* The reflection G-CNN on flux input is exactly invariant: predictions on
 * the four reflections of a configuration (sl_flux_reflect) agree. */
static void test_refl_invariance(void)
{
    sl_eqcnn_opts o;
    sl_eqcnn_opts_init(&o);
    o.kind = SL_EQCNN_REFL, o.channels[0] = 3, o.channels[1] = 3, o.kernel[1] = 2;
    sl_eqcnn *net;
    CHECK(sl_eqcnn_create(ctx, &o, &net) == SL_OK, "create refl: %s", sl_ctx_errmsg(ctx));
    sl_flux *F;
    sl_flux_create(ctx, 10, 5, 0.1, 1.0, 1.05, &F);
    sl_flux_sweep(F, 50, 6, SL_FLUX_L_AUTO, 9);
    double x[4][200], y[4][2], dev = 0;
    for (int e = 0; e < 4; ++e) {
        sl_flux *C;
        sl_flux_copy(F, &C);
        if (e & 1) sl_flux_reflect(C, 0);
        if (e & 2) sl_flux_reflect(C, 1);
        sl_flux_translate(C, e, 2 * e);
        sl_flux_export(C, 200, x[e]);
        sl_flux_destroy(C);
    }
    CHECK(sl_eqcnn_predict(net, 4, 10, 5, &x[0][0], &y[0][0]) == SL_OK, "predict");
    for (int e = 1; e < 4; ++e) dev = fmax(dev, fmax(fabs(y[e][0] - y[0][0]), fabs(y[e][1] - y[0][1])));
    CHECK(dev < 1e-12, "reflection + translation invariance: %g", dev);
    printf("reflection G-CNN: max deviation over the 4 reflections (with translations) %.1e\n", dev);
    sl_flux_destroy(F);
    sl_eqcnn_destroy(net);
}

/* The network's fused conv + bias + tanh nodes: finite differences of the
 * first and second derivatives in the input (weights fixed, random). */
static sl_eqcnn *fd_net;
static sl_node *b_net(sl_graph *g, sl_node **x)
{
    return sl_graph_square(g, sl_eqcnn_apply(fd_net, g, x[0], NULL, NULL));
}

static void test_fd_fused(void)
{
    sl_eqcnn_opts o;
    sl_eqcnn_opts_init(&o);
    o.in_channels = 2, o.channels[0] = 3, o.channels[1] = 2, o.kernel[1] = 2, o.nout = 1;
    CHECK(sl_eqcnn_create(ctx, &o, &fd_net) == SL_OK, "fd net: %s", sl_ctx_errmsg(ctx));
    if (!fd_net) return;
    int64_t np = sl_eqcnn_nparams(fd_net);
    double w[256];
    for (int64_t i = 0; i < np && i < 256; ++i) w[i] = sl_rng_uniform(7, (uint64_t)i) - 0.5;
    CHECK(np <= 256 && sl_eqcnn_set_weights(fd_net, np, w) == SL_OK, "fd net weights");
    fd_spec s;
    memset(&s, 0, sizeof s);
    s.nin = 1, s.lo = -1, s.hi = 1, s.dtype[0] = SL_F64, s.rank[0] = 4;
    memcpy(s.shape[0], (int64_t[]){2, 2, 4, 3}, sizeof(int64_t) * 4);
    fdcheck("eqcnn conv+tanh (fused) in x", &s, b_net);
    sl_eqcnn_destroy(fd_net);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_fd_fused();
    test_refl_invariance();
    test_sf_t8();
    sl_ctx_destroy(ctx);
    return check_done();
}
