/* Host layouts: one SU(3) field written in every layout and read back through
 * sl_gauge_wrap gives bit-identical links, plaquettes and network outputs;
 * bad layouts and bad links give a status and a message. */
#include "lattice_util.h"

static int same(const double *a, const double *b, size_t n) { return memcmp(a, b, n * sizeof(double)) == 0; }

int main(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    const int nd = 4, nc = 3, n2 = 9;
    int64_t dims[4] = {4, 2, 2, 6}, V = 96;
    size_t nlink = (size_t)(V * nd * n2 * 2);
    sl_gauge *G;
    sl_gauge_create(ctx, nd, dims, nc, &G);
    sl_gauge_randomize(G, 5);
    double *ref = malloc(sizeof(double) * nlink), *got = malloc(sizeof(double) * nlink);
    sl_gauge_copy_canonical(G, ref);
    double pref;
    sl_gauge_plaquette(G, &pref);

    /* an L-CNN's per-site output on the canonical field */
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nd = 4; o.nc = 3; o.nlayers = 1; o.channels[0] = 2; o.kernels[0] = 2; o.seed = 3;
    sl_lcnn *net = NULL;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_OK, "lcnn create: %s", sl_ctx_errmsg(ctx));
    double *yref = malloc(sizeof(double) * (size_t)V), *y = malloc(sizeof(double) * (size_t)V);
    CHECK(sl_lcnn_predict(net, G, yref) == SL_OK, "predict: %s", sl_ctx_errmsg(ctx));

    struct { const char *name; int order, site_order, dir_major, col_major; int64_t pad; } lays[] = {
        {"canonical", SL_GAUGE_ORDER_CANONICAL, 0, 0, 0, 0},
        {"custom lex x-fastest dir-major col-major", SL_GAUGE_ORDER_CUSTOM, SL_SITES_LEX_X_FASTEST, 1, 1, 0},
        {"custom lex t-fastest col-major", SL_GAUGE_ORDER_CUSTOM, SL_SITES_LEX_T_FASTEST, 0, 1, 0},
        {"custom even-odd t-fastest", SL_GAUGE_ORDER_CUSTOM, SL_SITES_EO_T_FASTEST, 0, 0, 0},
        {"custom even-odd x-fastest dir-major", SL_GAUGE_ORDER_CUSTOM, SL_SITES_EO_X_FASTEST, 1, 0, 0},
        {"QDP", SL_GAUGE_ORDER_QDP, 0, 0, 0, 0},
        {"MILC", SL_GAUGE_ORDER_MILC, 0, 0, 0, 0},
        {"MILC_SITE", SL_GAUGE_ORDER_MILC_SITE, 0, 0, 0, 0},
        {"CPS", SL_GAUGE_ORDER_CPS, 0, 0, 0, 0},
        {"BQCD", SL_GAUGE_ORDER_BQCD, 0, 0, 0, 3},
        {"TIFR", SL_GAUGE_ORDER_TIFR, 0, 0, 0, 0},
        {"openQCD", SL_GAUGE_ORDER_OPENQCD, 0, 0, 0, 0},
    };
    int ipt[96], ne = 0, no = 0;
    for (int s = 0; s < V; ++s) {   /* even points first, any order within */
        int64_t x[4] = {s / 24, (s / 12) % 2, (s / 6) % 2, s % 6};
        ipt[s] = (x[0] + x[1] + x[2] + x[3]) % 2 ? (int)V / 2 + no++ : ne++;
    }
    for (size_t i = 0; i < sizeof lays / sizeof lays[0]; ++i) {
        sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
        lay.order = lays[i].order; lay.nd = nd; lay.nc = nc;
        for (int mu = 0; mu < nd; ++mu) lay.dims[mu] = dims[mu];
        lay.site_order = lays[i].site_order;
        lay.direction_major = lays[i].dir_major;
        lay.colour_major = lays[i].col_major;
        lay.pad = lays[i].pad;
        lay.site_size = 16 * nd * n2 + 40;
        lay.link_offset = 24;
        lay.site_index = ipt;
        size_t bytes = lay.order == SL_GAUGE_ORDER_MILC_SITE ? (size_t)V * lay.site_size
                                                             : sizeof(double) * (nlink + (size_t)(2 * 3 * nd * n2 * 2));
        char *host = calloc(1, bytes);
        void *qdp[4];
        for (int mu = 0; mu < nd; ++mu) qdp[mu] = host + (size_t)mu * V * n2 * 16;
        void *data = lay.order == SL_GAUGE_ORDER_QDP ? (void *)qdp : (void *)host;
        CHECK(sl_gauge_export(G, &lay, data) == SL_OK, "%s: export: %s", lays[i].name, sl_ctx_errmsg(ctx));
        sl_gauge *U = NULL;
        CHECK(sl_gauge_wrap(ctx, &lay, data, &U) == SL_OK, "%s: wrap: %s", lays[i].name, sl_ctx_errmsg(ctx));
        if (!U) { free(host); continue; }
        int expect_inplace = i < 3;
        CHECK(sl_gauge_in_place(U) == expect_inplace, "%s: in place = %d", lays[i].name, sl_gauge_in_place(U));
        sl_gauge_copy_canonical(U, got);
        CHECK(same(ref, got, nlink), "%s: links differ", lays[i].name);
        double p;
        sl_gauge_plaquette(U, &p);
        CHECK(p == pref, "%s: plaquette %.17g vs %.17g", lays[i].name, p, pref);
        CHECK(sl_lcnn_predict(net, U, y) == SL_OK && same(y, yref, (size_t)V), "%s: L-CNN output differs", lays[i].name);
        /* the host changes a link: refresh sees it */
        if (i == 6) {
            double *h = (double *)host;
            double t = h[0]; h[0] = h[2]; h[2] = t;   /* swap two entries: no longer unitary */
            CHECK(sl_gauge_refresh(U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "unitary"), "refresh: %s", sl_ctx_errmsg(ctx));
            h[0] = NAN;
            CHECK(sl_gauge_refresh(U) == SL_ERR_NONFINITE, "refresh NaN: %s", sl_ctx_errmsg(ctx));
        }
        sl_gauge_destroy(U);
        free(host);
    }
    /* bad layouts */
    sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
    sl_gauge *U = (sl_gauge *)1;
    lay.nd = 4; lay.nc = 3; lay.dims[0] = 3; lay.dims[1] = 2; lay.dims[2] = 2; lay.dims[3] = 6;
    lay.order = SL_GAUGE_ORDER_MILC;
    CHECK(sl_gauge_wrap(ctx, &lay, ref, &U) == SL_ERR_ARG && U == NULL && strstr(sl_ctx_errmsg(ctx), "even"), "odd dims: %s", sl_ctx_errmsg(ctx));
    lay.order = 42;
    CHECK(sl_gauge_wrap(ctx, &lay, ref, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "order"), "bad order: %s", sl_ctx_errmsg(ctx));
    lay.order = 0; lay.nc = 1;
    CHECK(sl_gauge_wrap(ctx, &lay, ref, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "nc"), "bad nc: %s", sl_ctx_errmsg(ctx));
    lay.nc = 3; lay.size = 8;
    CHECK(sl_gauge_wrap(ctx, &lay, ref, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "size"), "bad size: %s", sl_ctx_errmsg(ctx));
    lay.size = sizeof lay; lay.dims[0] = 4;
    CHECK(sl_gauge_wrap(ctx, &lay, NULL, &U) == SL_ERR_NULL, "NULL data");
    CHECK(sl_gauge_wrap(ctx, NULL, ref, &U) == SL_ERR_NULL, "NULL layout");
    lay.order = SL_GAUGE_ORDER_OPENQCD;
    CHECK(sl_gauge_wrap(ctx, &lay, ref, &U) == SL_ERR_NULL && strstr(sl_ctx_errmsg(ctx), "site_index"), "openQCD without ipt: %s", sl_ctx_errmsg(ctx));
    lay.order = SL_GAUGE_ORDER_CANONICAL;
    ref[7] = 2.0;
    CHECK(sl_gauge_wrap(ctx, &lay, ref, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "site 0, mu 0"), "non-unitary: %s", sl_ctx_errmsg(ctx));
    sl_gauge_destroy(NULL);
    sl_lcnn_destroy(net);
    sl_gauge_destroy(G);
    free(ref), free(got), free(yref), free(y);
    sl_ctx_destroy(ctx);
    return check_done();
}
