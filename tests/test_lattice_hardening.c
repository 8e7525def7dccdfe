/* Hardening of the lattice and L-CNN calls (issue 9): bounded dilation and
 * reach, overflow-checked sizes, numeric failures reported instead of NaN,
 * out-of-range flags refused, and messages naming the public call. */
#include "lattice_util.h"

#include <limits.h>
#include <stdint.h>

static sl_lcnn *model(sl_ctx *ctx, int K, int dilation)
{
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nlayers = 1; o.channels[0] = 2; o.kernels[0] = K; o.dilation = dilation;
    sl_lcnn *net = NULL;
    sl_lcnn_create(ctx, &o, &net);
    return net;
}

static void dilation(sl_ctx *ctx)
{
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nlayers = 1; o.channels[0] = 2; o.kernels[0] = 2;
    int bad[3] = {1000000, INT_MAX, SL_LCNN_MAX_REACH};
    for (int i = 0; i < 3; ++i) {
        o.dilation = bad[i];
        sl_lcnn *net = (sl_lcnn *)1;
        CHECK(sl_lcnn_create(ctx, &o, &net) == SL_ERR_ARG && net == NULL && strstr(sl_ctx_errmsg(ctx), "dilation"),
              "dilation %d refused: %s", bad[i], sl_ctx_errmsg(ctx));
    }
    o.dilation = 100; o.kernels[0] = 64;   /* 63 * 101 > SL_LCNN_MAX_REACH */
    sl_lcnn *net = (sl_lcnn *)1;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "layer 0"),
          "reach above SL_LCNN_MAX_REACH: %s", sl_ctx_errmsg(ctx));
    o.symmetric = 2; o.dilation = 0; o.kernels[0] = 2;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "symmetric"), "symmetric = 2");

    /* the graph layer with dilation INT_MAX: refused at once (it overflowed an int and hung) */
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *U = sl_graph_input(g, SL_C128, 6, (int64_t[]){1, 4, 4, 2, 2, 2}, "U");
    sl_node *P = sl_graph_plaquette(g, U, 1, 0);
    sl_node *a = sl_graph_param(g, SL_F64, 3, (int64_t[]){1, 3, 5}, NULL, "a");
    CHECK(sl_graph_gcmconv(g, U, P, a, 2, INT_MAX, 0) == NULL && sl_graph_status(g) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "sl_graph_gcmconv"),
          "gcmconv dilation INT_MAX: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    U = sl_graph_input(g, SL_C128, 6, (int64_t[]){1, 4, 4, 2, 2, 2}, "U");
    CHECK(sl_graph_transport(g, U, sl_graph_plaquette(g, U, 1, 0), 0, INT_MIN) == NULL &&
              sl_graph_status(g) == SL_ERR_ARG, "transport k = INT_MIN");
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    U = sl_graph_input(g, SL_C128, 6, (int64_t[]){1, 4, 4, 2, 2, 2}, "U");
    CHECK(sl_graph_wilson_loop(g, U, 0, 1, INT_MAX, 1) == NULL && sl_graph_status(g) == SL_ERR_ARG,
          "wilson loop a = INT_MAX");
    sl_graph_destroy(g);

    /* predict: the network must fit the lattice */
    net = model(ctx, 3, 2);   /* transports of 3 and 6 links */
    sl_gauge *G4, *G8;
    sl_gauge_create(ctx, 2, (int64_t[]){4, 8}, 2, &G4);
    sl_gauge_create(ctx, 2, (int64_t[]){8, 8}, 2, &G8);
    double y[64];
    CHECK(sl_lcnn_predict(net, G4, y) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_lcnn_predict:") &&
              strstr(sl_ctx_errmsg(ctx), "does not fit"),
          "reach 6 on 4 x 8: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_predict(net, G8, y) == SL_OK, "reach 6 on 8 x 8: %s", sl_ctx_errmsg(ctx));
    sl_graph_create(ctx, &g);
    U = sl_graph_input(g, SL_C128, 6, (int64_t[]){1, 4, 8, 2, 2, 2}, "U");
    CHECK(sl_lcnn_apply(net, g, U, NULL) == NULL && strstr(sl_ctx_errmsg(ctx), "sl_lcnn_apply:"), "apply: %s",
          sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_gauge_destroy(G4);
    sl_gauge_destroy(G8);
    sl_lcnn_destroy(net);
}

static void sizes(sl_ctx *ctx)
{
    int64_t big[6] = {1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20};
    sl_gauge *U = (sl_gauge *)1;
    CHECK(sl_gauge_create(ctx, 6, big, 3, &U) == SL_ERR_ARG && U == NULL && strstr(sl_ctx_errmsg(ctx), "too large"),
          "gauge_create 6 x 2^20: %s", sl_ctx_errmsg(ctx));
    sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
    lay.nd = 4; lay.nc = 3;
    for (int mu = 0; mu < 4; ++mu) lay.dims[mu] = 1 << 20;
    double one = 0;
    CHECK(sl_gauge_wrap(ctx, &lay, &one, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "too large"),
          "wrap 4 x 2^20: %s", sl_ctx_errmsg(ctx));
    sl_lcnn *net = model(ctx, 2, 0);
    double y[16], links[16 * 2 * 8];
    memset(links, 0, sizeof links);
    for (int i = 0; i < 32; ++i) links[8 * i] = links[8 * i + 6] = 1;
    CHECK(sl_lcnn_predict_batch(net, 1, (int64_t[]){1LL << 40, 1LL << 40}, links, y) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "sl_lcnn_predict_batch"),
          "predict_batch 2^40 x 2^40: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_predict_batch(net, 1LL << 55, (int64_t[]){4, 4}, links, y) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "too large"),
          "predict_batch batch 2^55: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_predict_batch(net, 1, (int64_t[]){4, 4}, links, y) == SL_OK, "predict_batch 4 x 4");
    double t[16] = {0};
    CHECK(sl_lcnn_train(net, 1LL << 62, 1, (int64_t[]){4, 4}, links, t, NULL) == SL_ERR_ARG &&
              strstr(sl_ctx_errmsg(ctx), "sl_lcnn_train"),
          "train n = 2^62: %s", sl_ctx_errmsg(ctx));
    double m[8];
    CHECK(sl_su_random(ctx, 3, INT64_MAX / 4, 1, m) == SL_ERR_ARG, "su_random count 2^61");
    CHECK(sl_su_reunitarize(ctx, 2, -1, m) == SL_ERR_ARG && sl_su_exp(ctx, 2, -5, m, m) == SL_ERR_ARG,
          "negative counts");
    sl_lcnn_destroy(net);
}

static void numeric(sl_ctx *ctx)
{
    double z[8] = {0}, zc[8];
    memcpy(zc, z, sizeof z);
    CHECK(sl_su_reunitarize(ctx, 2, 1, z) == SL_ERR_NUMERIC && !memcmp(z, zc, sizeof z), "reunitarize(0): %s",
          sl_ctx_errmsg(ctx));
    double two[16];
    sl_su_random(ctx, 2, 1, 4, two);
    memset(two + 8, 0, sizeof(double) * 8);   /* the second matrix zero: the first is not changed either */
    double keep[16];
    memcpy(keep, two, sizeof two);
    two[0] += 0.1;
    keep[0] += 0.1;
    CHECK(sl_su_reunitarize(ctx, 2, 2, two) == SL_ERR_NUMERIC && !memcmp(two, keep, sizeof two),
          "reunitarize fails without writing");
    /* exp: Hermitian traceless 1e300 entries, a non-Hermitian and a traced input */
    double h[8] = {1e300, 0, 0, 0, 0, 0, -1e300, 0}, e[8] = {7, 7, 7, 7, 7, 7, 7, 7}, ec[8];
    memcpy(ec, e, sizeof e);
    CHECK(sl_su_exp(ctx, 2, 1, h, e) == SL_ERR_NUMERIC && !memcmp(e, ec, sizeof e), "exp of 1e300: %s",
          sl_ctx_errmsg(ctx));
    double nh[8] = {0.1, 0, 0.3, 0.2, 0.5, 0, -0.1, 0};
    CHECK(sl_su_exp(ctx, 2, 1, nh, e) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "Hermitian"), "exp non-Hermitian");
    double tr[8] = {0.5, 0, 0, 0, 0, 0, 0.5, 0};
    CHECK(sl_su_exp(ctx, 2, 1, tr, e) == SL_ERR_ARG, "exp with a trace");
    double ok[8] = {0.5, 0, 0.3, -0.2, 0.3, 0.2, -0.5, 0};
    CHECK(sl_su_exp(ctx, 2, 1, ok, e) == SL_OK, "exp of su(2): %s", sl_ctx_errmsg(ctx));
    /* a non-unitary gauge transformation */
    sl_gauge *U;
    sl_gauge_create(ctx, 2, (int64_t[]){2, 2}, 2, &U);
    sl_gauge_randomize(U, 2);
    double before[4 * 2 * 8], after[4 * 2 * 8], O[4 * 8];
    sl_gauge_copy_canonical(U, before);
    sl_su_random(ctx, 2, 4, 9, O);
    O[3 * 8] *= 2;
    CHECK(sl_gauge_transform(U, O) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "site 3"), "transform: %s",
          sl_ctx_errmsg(ctx));
    sl_gauge_copy_canonical(U, after);
    CHECK(!memcmp(before, after, sizeof before), "a refused transform leaves U");
    double W[4 * 8];
    CHECK(sl_gauge_transform_fields(ctx, 2, 4, -1, O, W) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "nch"),
          "transform_fields nch = -1: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_gauge_transform_fields(ctx, 2, 4, 1, O, W) == SL_ERR_ARG, "transform_fields non-unitary O");
    sl_gauge_destroy(U);
}

static void train_opts(sl_ctx *ctx)
{
    sl_lcnn *net = model(ctx, 2, 0);
    int64_t dims[2] = {2, 2};
    double links[2 * 4 * 2 * 8], y[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    memset(links, 0, sizeof links);
    for (int i = 0; i < 16; ++i) links[8 * i] = links[8 * i + 6] = 1;
    for (int k = 0; k < 6; ++k) {
        sl_lcnn_train_opts t = SL_LCNN_TRAIN_OPTS_INIT;
        t.epochs = 1; t.batch = 1;
        const char *what = "";
        switch (k) {
        case 0: t.patience = -1; what = "patience"; break;
        case 1: t.weight_decay = NAN; what = "weight_decay"; break;
        case 2: t.lr = NAN; what = "lr"; break;
        case 3: t.lr = INFINITY; what = "lr"; break;
        case 4: t.amsgrad = 2; what = "amsgrad"; break;
        default: t.weight_decay = -1; what = "weight_decay"; break;
        }
        CHECK(sl_lcnn_train(net, 2, 1, dims, links, y, &t) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), what),
              "train opts case %d: %s", k, sl_ctx_errmsg(ctx));
    }
    sl_lcnn_destroy(net);
}

/* a failure inside the plan names the public call, not sl_plan_run */
static void messages(sl_ctx *ctx)
{
    sl_lcnn *net = model(ctx, 2, 0);
    sl_gauge *U;
    sl_gauge_create(ctx, 2, (int64_t[]){4, 4}, 2, &U);
    double *d = sl_gauge_data(U), y[16];
    d[0] = NAN;
    d[6] = NAN;
    sl_status st = sl_lcnn_predict(net, U, y);
    const char *m = sl_ctx_errmsg(ctx);
    CHECK(st == SL_ERR_NONFINITE && !strncmp(m, "sl_lcnn_predict:", 16) && !strstr(m, "sl_plan"),
          "predict of a NaN field: %d %s", st, m);
    st = sl_lcnn_predict_batch(net, 1, (int64_t[]){4, 4}, d, y);
    m = sl_ctx_errmsg(ctx);
    CHECK(st == SL_ERR_NONFINITE && !strncmp(m, "sl_lcnn_predict_batch:", 22) && !strstr(m, "sl_plan"),
          "predict_batch of a NaN field: %d %s", st, m);
    sl_gauge_destroy(U);
    sl_lcnn_destroy(net);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    dilation(ctx);
    sizes(ctx);
    numeric(ctx);
    train_opts(ctx);
    messages(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
