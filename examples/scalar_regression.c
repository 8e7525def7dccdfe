/* Regression of observables from flux configurations of the complex phi^4
 * field (Bulusu, Favoni, Ipp, Mueller, Schuh, PRD 104 (2021) 074504; test
 * SF-T8 of shared/research/scalar_field.md): a translation-equivariant CNN
 * trained at mu = 1.05 on 60 x 4 (m = 0.1, lambda = 1) to predict
 * (n, |phi|^2) per configuration, tested at mu = 0.91 and 1.00 and on
 * 125 x 8, against a dense network with about the same number of weights
 * (trained on 60 x 4 for the mu test, on 125 x 8 for the size test, where
 * the dense network trained on 60 x 4 cannot be applied).
 *
 *   scalar_regression [ntrain [max_epochs [thin]]]   (defaults 300, 20, 20)
 *
 * ntrain configurations (and ntrain / 2 on 125 x 8 for the dense reference),
 * every thin-th sweep of 4 chains.  The exit status is non-zero when SF-T8
 * fails: MSE(n) at mu = 1.05 above 1e-3, or more than half the dense
 * network's MSE(n) at mu = 0.91 or on 125 x 8. */
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

#define CK(call)                                                                  \
    do {                                                                          \
        sl_status st_ = (call);                                                   \
        if (st_) {                                                                \
            fprintf(stderr, "%s: %s\n", #call, sl_ctx_errmsg(ctx));              \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static sl_ctx *ctx;
static int thin = 20;

/* n configurations (4, nt, nx) and targets (n, |phi|^2), from 4 chains,
 * every 20th sweep after 200 thermalisation sweeps. */
static void sample(int64_t nt, int64_t nx, double mu, int64_t n, uint64_t seed, double **x, double **y)
{
    int64_t per = 4 * nt * nx;
    *x = malloc(sizeof(double) * (size_t)(n * per));
    *y = malloc(sizeof(double) * (size_t)(2 * n));
    for (int c = 0; c < 4; ++c) {
        sl_flux *F;
        CK(sl_flux_create(ctx, nt, nx, 0.1, 1.0, mu, &F));
        uint64_t s = seed * 16 + (uint64_t)c;
        CK(sl_flux_sweep(F, 200, nt * nx / 8, SL_FLUX_L_AUTO, s));
        for (int64_t i = c; i < n; i += 4) {
            CK(sl_flux_sweep(F, thin, nt * nx / 8, SL_FLUX_L_AUTO, s));
            CK(sl_flux_export(F, per, *x + i * per));
            CK(sl_flux_density(F, *y + 2 * i));
            CK(sl_flux_phi2(F, *y + 2 * i + 1));
        }
        sl_flux_destroy(F);
    }
}

static void progress(void *user, int epoch, double tr, double va)
{
    (void)user;
    if (epoch % 10 == 0) printf("    epoch %3d  train MSE %.3e  val MSE %.3e\n", epoch, tr, va);
}

static sl_eqcnn *train(int kind, int64_t nt, int64_t nx, int hidden, int64_t n, const double *x, const double *y,
                       int64_t nv, const double *xv, const double *yv, int epochs)
{
    sl_eqcnn_opts o;
    sl_eqcnn_opts_init(&o);
    o.kind = kind;
    if (kind == SL_EQCNN_DENSE) {
        o.nconv = 1, o.channels[0] = hidden, o.nt = nt, o.nx = nx;
    }
    sl_eqcnn *net;
    CK(sl_eqcnn_create(ctx, &o, &net));
    sl_eqcnn_train_opts t;
    sl_eqcnn_train_opts_init(&t);
    t.max_epochs = epochs;
    t.min_epochs = epochs / 2;
    t.batch = n < 500 ? 50 : 100;
    t.progress = progress;
    int ran, best;
    double bv;
    CK(sl_eqcnn_train(net, n, nt, nx, x, y, nv, xv, yv, &t, &ran, &best, &bv));
    printf("  %s (%lld weights): %d epochs, best epoch %d, val MSE %.3e\n",
           kind == SL_EQCNN_DENSE ? "dense" : "CNN", (long long)sl_eqcnn_nparams(net), ran, best, bv);
    return net;
}

int main(int argc, char **argv)
{
    int64_t ntrain = argc > 1 ? atoll(argv[1]) : 300, nval = ntrain / 10 > 20 ? ntrain / 10 : 20, ntest = 200;
    int64_t nbig = ntrain / 2, nbv = nbig / 10 > 10 ? nbig / 10 : 10, nbt = 100;
    int epochs = argc > 2 ? atoi(argv[2]) : 20;
    if (argc > 3) thin = atoi(argv[3]);
    if (ntrain < 40 || epochs < 1 || thin < 1) {
        fprintf(stderr, "usage: scalar_regression [ntrain >= 40 [max_epochs >= 1 [thin >= 1]]]\n");
        return 2;
    }
    sl_ctx_create(&ctx, NULL);
    double *x, *y, *xv, *yv, *xt[3], *yt[3], *xb, *yb, *xbv, *ybv;
    double mus[3] = {1.05, 1.00, 0.91}, mc[3][2], md[3][2];
    sample(60, 4, 1.05, ntrain, 1, &x, &y);
    sample(60, 4, 1.05, nval, 2, &xv, &yv);
    for (int i = 0; i < 3; ++i) sample(60, 4, mus[i], ntest, 3 + (uint64_t)i, &xt[i], &yt[i]);
    sample(125, 8, 1.05, nbt, 7, &xb, &yb);
    sample(125, 8, 1.05, nbig, 8, &xbv, &ybv);
    printf("data: %lld training, %lld validation configurations on 60x4 at mu = 1.05 (m = 0.1, lambda = 1), "
           "every %d-th sweep\n", (long long)ntrain, (long long)nval, thin);

    sl_eqcnn *cnn = train(SL_EQCNN_CONV, 60, 4, 0, ntrain, x, y, nval, xv, yv, epochs);
    /* dense: 960 -> h -> 2 with about the CNN's weights (963 h + 2) */
    int h = (int)((sl_eqcnn_nparams(cnn) - 2 + 963 / 2) / 963);
    sl_eqcnn *mlp = train(SL_EQCNN_DENSE, 60, 4, h, ntrain, x, y, nval, xv, yv, epochs);
    /* the size test: the dense reference (4000 -> h -> 2) is trained on 125 x 8 itself */
    int hb = (int)((sl_eqcnn_nparams(cnn) - 2 + 4003 / 2) / 4003);
    sl_eqcnn *mlpb = train(SL_EQCNN_DENSE, 125, 8, hb < 1 ? 1 : hb, nbig - nbv, xbv, ybv, nbv,
                           xbv + (nbig - nbv) * 4000, ybv + 2 * (nbig - nbv), epochs);
    printf("\n%-22s %12s %12s %14s %14s\n", "test set", "CNN MSE(n)", "dense MSE(n)", "CNN |phi|^2", "dense |phi|^2");
    for (int i = 0; i < 3; ++i) {
        CK(sl_eqcnn_test(cnn, ntest, 60, 4, xt[i], yt[i], mc[i]));
        CK(sl_eqcnn_test(mlp, ntest, 60, 4, xt[i], yt[i], md[i]));
        printf("60x4   mu = %.2f       %12.3e %12.3e %14.3e %14.3e\n", mus[i], mc[i][0], md[i][0], mc[i][1], md[i][1]);
    }
    double cb[2], db[2];
    CK(sl_eqcnn_test(cnn, nbt, 125, 8, xb, yb, cb));
    CK(sl_eqcnn_test(mlpb, nbt, 125, 8, xb, yb, db));
    printf("125x8  mu = 1.05       %12.3e %12.3e %14.3e %14.3e  (CNN trained on 60x4, dense on 125x8)\n", cb[0], db[0],
           cb[1], db[1]);
    int ok = mc[0][0] <= 1e-3 && mc[2][0] <= 0.5 * md[2][0] && cb[0] <= 0.5 * db[0];
    printf("SF-T8: %s\n", ok ? "passed" : "FAILED");
    sl_eqcnn_destroy(cnn), sl_eqcnn_destroy(mlp), sl_eqcnn_destroy(mlpb);
    free(x), free(y), free(xv), free(yv), free(xb), free(yb), free(xbv), free(ybv);
    for (int i = 0; i < 3; ++i) free(xt[i]), free(yt[i]);
    sl_ctx_destroy(ctx);
    return ok ? 0 : 1;
}
