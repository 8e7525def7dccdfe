/* L-CNN layers: gauge equivariance under Haar-random transformations for
 * N = 2, 3, 4 (lcnn.md check 5), translation equivariance (6), the SU(2)
 * real-weight check (7), GCMConv on W = 1 (1), finite-difference gradients
 * with respect to weights, W and U, and bad input. */
#include "fdcheck.h"
#include "lattice_util.h"

enum { OUT_W, OUT_U, OUT_INV };
typedef struct {
    const char *name;
    int out;
    int nch;        /* W channels the layer needs */
    int nw;         /* weight count (f64), 0 if none */
    int wr, ws[3];  /* weight rank and shape */
    int cplx_w;     /* complex weight */
} layer_case;

static const char *g_layer;
static sl_node *build_layer(sl_graph *g, sl_node *U, sl_node *W, sl_node *w)
{
    const char *s = g_layer;
    if (!strcmp(s, "plaq")) return sl_graph_plaquette(g, U, 2, 0);
    if (!strcmp(s, "clover")) return sl_graph_plaquette(g, U, 1, 1);
    if (!strcmp(s, "poly")) return sl_graph_polyakov(g, U);
    if (!strcmp(s, "loop")) {
        sl_node *l = sl_graph_wilson_loop(g, U, 1, 0, 2, 1);
        int64_t sh[8] = {1};
        for (int i = 0; i < sl_node_rank(l); ++i) sh[i + 1] = sl_node_dim(l, i);
        return sl_graph_reshape(g, l, sl_node_rank(l) + 1, sh);
    }
    if (!strcmp(s, "transport+")) return sl_graph_transport(g, U, W, 1, 2);
    if (!strcmp(s, "transport-")) return sl_graph_transport(g, U, W, 0, -3);
    if (!strcmp(s, "lconv") || !strcmp(s, "lconv-c")) return sl_graph_lconv(g, U, W, w, 3, 0);
    if (!strcmp(s, "lbilin")) return sl_graph_lbilin(g, W, sl_graph_transport(g, U, W, 0, 1), w);
    if (!strcmp(s, "gcmconv")) return sl_graph_gcmconv(g, U, W, w, 3, 0, 0);
    if (!strcmp(s, "gcmconv-sym")) return sl_graph_gcmconv(g, U, W, w, 2, 1, 1);
    if (!strcmp(s, "lact-relu")) return sl_graph_lact(g, W, SL_LACT_RELU, NULL);
    if (!strcmp(s, "lact-tanh")) return sl_graph_lact(g, W, SL_LACT_TANH, NULL);
    if (!strcmp(s, "lact-poly")) return sl_graph_lact(g, W, SL_LACT_POLY, w);
    if (!strcmp(s, "lexp")) return sl_graph_lexp(g, U, W, w);
    if (!strcmp(s, "trace")) return sl_graph_trace_features(g, W);
    return NULL;
}

static const layer_case cases[] = {
    {"plaq", OUT_W, 1, 0, 0, {0}, 0},
    {"clover", OUT_W, 1, 0, 0, {0}, 0},
    {"poly", OUT_W, 1, 0, 0, {0}, 0},
    {"loop", OUT_W, 1, 0, 0, {0}, 0},
    {"transport+", OUT_W, 2, 0, 0, {0}, 0},
    {"transport-", OUT_W, 2, 0, 0, {0}, 0},
    {"lconv", OUT_W, 2, 1, 2, {3, 2 * (2 * 2 * 2 + 1) + 1}, 0},
    {"lconv-c", OUT_W, 2, 1, 2, {3, 2 * (2 * 2 * 2 + 1) + 1}, 1},
    {"lbilin", OUT_W, 2, 1, 3, {3, 5, 5}, 0},
    {"gcmconv", OUT_W, 2, 1, 3, {3, 5, 2 * 2 * 2 * 2 + 1}, 0},
    {"gcmconv-sym", OUT_W, 2, 1, 3, {3, 5, 2 * 2 * (2 * 2 * 1 + 1) + 1}, 0},
    {"lact-relu", OUT_W, 2, 0, 0, {0}, 0},
    {"lact-tanh", OUT_W, 2, 0, 0, {0}, 0},
    {"lact-poly", OUT_W, 2, 1, 2, {2, 3}, 0},
    {"lexp", OUT_U, 2, 1, 2, {2, 2}, 0},
    {"trace", OUT_INV, 2, 0, 0, {0}, 0},
};

/* Evaluate a layer on (U, W, w); returns malloc'd output values. */
static void *eval_layer(const layer_case *lc, int nd, const int64_t *dims, int nc, const double *u,
                        const double *w, const double *wt, int64_t *nout, int *ok)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t us[8] = {1}, ws[8] = {lc->nch, 1}, wts[3];
    for (int i = 0; i < nd; ++i) us[1 + i] = ws[2 + i] = dims[i];
    us[nd + 1] = nd; us[nd + 2] = us[nd + 3] = nc;
    ws[nd + 2] = ws[nd + 3] = nc;
    for (int i = 0; i < lc->wr; ++i) wts[i] = lc->ws[i];
    sl_node *U = sl_graph_input(g, SL_C128, nd + 4, us, "U");
    sl_node *W = sl_graph_input(g, SL_C128, nd + 4, ws, "W");
    sl_node *wn = lc->nw ? sl_graph_input(g, lc->cplx_w ? SL_C128 : SL_F64, lc->wr, wts, "w") : NULL;
    g_layer = lc->name;
    sl_node *y = build_layer(g, U, W, wn);
    void *res = NULL;
    sl_plan *p = NULL;
    *ok = 0;
    if (sl_graph_status(g) == SL_OK && sl_plan_create(g, 1, &y, &p) == SL_OK) {
        sl_plan_bind(p, U, u);
        sl_plan_bind(p, W, w);
        if (wn) sl_plan_bind(p, wn, wt);
        if (sl_plan_run(p) == SL_OK) {
            size_t bytes = (size_t)sl_node_numel(y) * (sl_node_dtype(y) == SL_C128 ? 16 : 8);
            res = malloc(bytes);
            memcpy(res, sl_plan_output(p, 0), bytes);
            *nout = sl_node_numel(y);
            *ok = 1;
        }
    }
    if (!*ok) printf("%s: %s\n", lc->name, sl_ctx_errmsg(ctx));
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    return res;
}

static double maxdiff(const double *a, const double *b, int64_t n)
{
    double e = 0;
    for (int64_t i = 0; i < n; ++i) e = fmax(e, fabs(a[i] - b[i]));
    return e;
}

/* Roll a canonical per-site array (volume x unit doubles) by (s0, s1) on L0 x L1;
 * channel-first arrays are rolled per channel block. */
static void roll2(const double *in, double *out, int64_t nblk, int64_t L0, int64_t L1, int64_t unit, int s0, int s1)
{
    for (int64_t b = 0; b < nblk; ++b)
        for (int64_t x0 = 0; x0 < L0; ++x0)
            for (int64_t x1 = 0; x1 < L1; ++x1) {
                int64_t y0 = (x0 + s0) % L0, y1 = (x1 + s1) % L1;
                memcpy(out + ((b * L0 + y0) * L1 + y1) * unit, in + ((b * L0 + x0) * L1 + x1) * unit,
                       sizeof(double) * (size_t)unit);
            }
}

static void test_equivariance(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    for (int nc = 2; nc <= 4; ++nc) {
        int nd = 2, n2 = nc * nc;
        int64_t dims[2] = {5, 4}, V = 20;
        double *u = malloc(sizeof(double) * 2 * (size_t)(V * nd * n2));
        double *w = malloc(sizeof(double) * 2 * (size_t)(2 * V * n2));
        double *o = malloc(sizeof(double) * 2 * (size_t)(V * n2));
        double wt[4096];
        sl_su_random(ctx, nc, V * nd, 1, u);
        sl_rng_fill_normal(2, 0, (size_t)(4 * V * n2), 0, 0.5, w);      /* any complex W */
        sl_su_random(ctx, nc, V, 3, o);
        sl_gauge *G;
        sl_gauge_create(ctx, nd, dims, nc, &G);
        memcpy(sl_gauge_data(G), u, sizeof(double) * 2 * (size_t)(V * nd * n2));
        sl_gauge_transform(G, o);
        const double *ug = sl_gauge_data(G);
        double *wg = malloc(sizeof(double) * 2 * (size_t)(2 * V * n2));
        memcpy(wg, w, sizeof(double) * 2 * (size_t)(2 * V * n2));
        sl_gauge_transform_fields(ctx, nc, V, 2, o, wg);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
            const layer_case *lc = &cases[i];
            int64_t nw = 1;
            for (int k = 0; k < lc->wr; ++k) nw *= lc->ws[k];
            sl_rng_fill_normal(4 + i, 0, (size_t)(nw * 2), 0, 0.3, wt);
            if (!strcmp(lc->name, "lact-poly")) wt[0] = 0.5;
            int64_t n1, n2o;
            int ok1, ok2;
            double *y1 = eval_layer(lc, nd, dims, nc, u, w, wt, &n1, &ok1);
            double *y2 = eval_layer(lc, nd, dims, nc, ug, wg, wt, &n2o, &ok2);
            if (!ok1 || !ok2) { CHECK(0, "%s N=%d did not run", lc->name, nc); free(y1); free(y2); continue; }
            double err, scale = 0;
            if (lc->out == OUT_W) {
                int64_t nch = n1 / (V * n2);
                sl_gauge_transform_fields(ctx, nc, V, nch, o, y1);
                err = maxdiff(y1, y2, 2 * n1);
                for (int64_t k = 0; k < 2 * n1; ++k) scale = fmax(scale, fabs(y2[k]));
            } else if (lc->out == OUT_U) {
                sl_gauge *G2;
                sl_gauge_create(ctx, nd, dims, nc, &G2);
                memcpy(sl_gauge_data(G2), y1, sizeof(double) * 2 * (size_t)n1);
                sl_gauge_transform(G2, o);
                err = maxdiff(sl_gauge_data(G2), y2, 2 * n1);
                double un = 0;   /* L-Exp keeps links in SU(N) */
                for (int64_t k = 0; k < V * nd; ++k) {
                    cz *m = (cz *)y2 + k * n2;
                    for (int r = 0; r < nc; ++r)
                        for (int c = 0; c < nc; ++c) {
                            cz d = 0;
                            for (int q = 0; q < nc; ++q) d += m[r * nc + q] * conj(m[c * nc + q]);
                            un = fmax(un, cabs(d - (r == c)));
                        }
                }
                CHECK(un < 1e-12, "lexp N=%d: output unitary to %g", nc, un);
                sl_gauge_destroy(G2);
                scale = 1;
            } else {
                err = maxdiff(y1, y2, n1);
                scale = 1;
            }
            CHECK(err < 1e-12 * fmax(1, scale), "check 5: %s N=%d gauge equivariance error %.3g (scale %.3g)", lc->name, nc, err, scale);
            /* check 6: translation by (2, 1) */
            if (nc == 2) {
                double *ur = malloc(sizeof(double) * 2 * (size_t)(V * nd * n2)), *wr = malloc(sizeof(double) * 2 * (size_t)(2 * V * n2));
                roll2(u, ur, 1, 5, 4, 2 * nd * n2, 2, 1);
                roll2(w, wr, 2, 5, 4, 2 * n2, 2, 1);
                int64_t n3;
                int ok3;
                double *y3 = eval_layer(lc, nd, dims, nc, ur, wr, wt, &n3, &ok3);
                double *y1r = malloc(sizeof(double) * 2 * (size_t)n1);
                double *y0 = eval_layer(lc, nd, dims, nc, u, w, wt, &n1, &ok1);
                if (lc->out == OUT_W) roll2(y0, y1r, n1 / (V * n2), 5, 4, 2 * n2, 2, 1);
                else if (lc->out == OUT_U) roll2(y0, y1r, 1, 5, 4, 2 * nd * n2, 2, 1);
                else roll2(y0, y1r, 1, 5, 4, 4, 2, 1);
                double e6 = ok3 ? maxdiff(y3, y1r, lc->out == OUT_INV ? n1 : 2 * n1) : 1;
                CHECK(e6 == 0, "check 6: %s translation equivariance error %.3g", lc->name, e6);
                free(ur), free(wr), free(y3), free(y1r), free(y0);
            }
            free(y1), free(y2);
        }
        sl_gauge_destroy(G);
        free(u), free(w), free(o), free(wg);
    }
    sl_ctx_destroy(ctx);
}

/* Check 7: SU(2) with real weights stays in the quaternion algebra; check 1:
 * GCMConv with U = W = 1 gives (sum alpha) 1. */
static void test_real_weights(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    int64_t dims[2] = {6, 6}, V = 36;
    double *u = malloc(sizeof(double) * 2 * (size_t)(V * 2 * 4)), *w = malloc(sizeof(double) * 2 * (size_t)(2 * V * 4));
    sl_su_random(ctx, 2, V * 2, 11, u);
    sl_su_random(ctx, 2, V * 2, 12, w);
    double wt[3 * 5 * 17];
    sl_rng_fill_normal(13, 0, 3 * 5 * 17, 0, 0.5, wt);
    const layer_case *lc = &cases[9];   /* gcmconv K = 3 */
    int64_t n;
    int ok;
    /* two stacked layers: the second sees products of products */
    double *y = eval_layer(lc, 2, dims, 2, u, w, wt, &n, &ok);
    double im = 0;
    for (int64_t k = 0; ok && k < n / 4; ++k) im = fmax(im, fabs(cimag(((cz *)y)[4 * k] + ((cz *)y)[4 * k + 3])));
    CHECK(ok && im < 1e-14, "check 7: |Im Tr W'| = %.3g with real alpha", im);
    free(y);
    for (int64_t k = 0; k < V * 2; ++k) {
        cz *a = (cz *)u + 4 * k, *b = (cz *)w + 4 * k;
        a[0] = a[3] = b[0] = b[3] = 1;
        a[1] = a[2] = b[1] = b[2] = 0;
    }
    y = eval_layer(lc, 2, dims, 2, u, w, wt, &n, &ok);
    double err = 0;
    for (int c = 0; ok && c < 3; ++c) {
        double s = 0;
        for (int k = 0; k < 5 * 17; ++k) s += wt[c * 85 + k];
        for (int64_t x = 0; x < V; ++x) {
            cz *m = (cz *)y + (c * V + x) * 4;
            err = fmax(err, fmax(cabs(m[0] - s), cabs(m[3] - s)));
            err = fmax(err, fmax(cabs(m[1]), cabs(m[2])));
        }
    }
    CHECK(ok && err < 1e-13, "check 1: GCMConv(W = 1) = (sum alpha) 1, error %.3g", err);
    free(y), free(u), free(w);
    sl_ctx_destroy(ctx);
}

/* Finite differences with respect to U, W and the weights. */
static sl_node *fd_gcm(sl_graph *g, sl_node **x) { return sl_graph_gcmconv(g, x[0], x[1], x[2], 2, 0, 0); }
static sl_node *fd_gcm_sym(sl_graph *g, sl_node **x) { return sl_graph_gcmconv(g, x[0], x[1], x[2], 2, 0, 1); }
static sl_node *fd_lconv(sl_graph *g, sl_node **x) { return sl_graph_lconv(g, x[0], x[1], x[2], 2, 0); }
static sl_node *fd_lbilin(sl_graph *g, sl_node **x) { return sl_graph_lbilin(g, x[1], sl_graph_transport(g, x[0], x[1], 1, -1), x[2]); }
static sl_node *fd_lexp(sl_graph *g, sl_node **x) { return sl_graph_lexp(g, x[0], x[1], x[2]); }
static sl_node *fd_lact(sl_graph *g, sl_node **x) { return sl_graph_lact(g, sl_graph_transport(g, x[0], x[1], 0, 1), SL_LACT_POLY, x[2]); }
static sl_node *fd_plaq(sl_graph *g, sl_node **x) { return sl_graph_plaquette(g, x[0], 2, 1); }
static sl_node *fd_poly(sl_graph *g, sl_node **x) { return sl_graph_polyakov(g, x[0]); }
static sl_node *fd_trace(sl_graph *g, sl_node **x)
{
    sl_node *f = sl_graph_trace_features(g, sl_graph_gcmconv(g, x[0], x[1], x[2], 2, 0, 0));
    return sl_graph_square(g, f);
}

static void test_fd(void)
{
    fd_spec sp = {0};
    sp.nin = 3;
    sp.lo = -1; sp.hi = 1;
    sp.tol = 1e-6;
    int64_t us[7] = {1, 3, 2, 2, 2, 2}, ws[7] = {2, 1, 3, 2, 2, 2};
    sp.dtype[0] = SL_C128; sp.rank[0] = 6; memcpy(sp.shape[0], us, sizeof us);
    sp.dtype[1] = SL_C128; sp.rank[1] = 6; memcpy(sp.shape[1], ws, sizeof ws);
    sp.dtype[2] = SL_F64; sp.rank[2] = 3;
    int64_t a1[3] = {2, 5, 9};
    memcpy(sp.shape[2], a1, sizeof a1);
    fdcheck("gcmconv d/dU, dW, dalpha", &sp, fd_gcm);
    fdcheck("trace head of gcmconv", &sp, fd_trace);
    int64_t a2[3] = {2, 5, 21};
    memcpy(sp.shape[2], a2, sizeof a2);
    fdcheck("gcmconv symmetric", &sp, fd_gcm_sym);
    int64_t a3[3] = {2, 5, 5};
    memcpy(sp.shape[2], a3, sizeof a3);
    fdcheck("lbilin", &sp, fd_lbilin);
    sp.rank[2] = 2;
    int64_t a4[2] = {3, 2 * 5 + 1};
    memcpy(sp.shape[2], a4, sizeof a4);
    fdcheck("lconv", &sp, fd_lconv);
    int64_t a5[2] = {2, 2};
    memcpy(sp.shape[2], a5, sizeof a5);
    sp.lo = -0.4; sp.hi = 0.4;
    fdcheck("lexp", &sp, fd_lexp);
    int64_t a6[2] = {2, 3};
    memcpy(sp.shape[2], a6, sizeof a6);
    fdcheck("lact poly", &sp, fd_lact);
    sp.nin = 1;
    sp.lo = -1; sp.hi = 1;
    fdcheck("plaquette + clover", &sp, fd_plaq);
    fdcheck("polyakov", &sp, fd_poly);
}

static void test_errors(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t us[6] = {1, 4, 4, 2, 2, 2}, bad[6] = {1, 4, 4, 3, 2, 2};
    sl_node *U = sl_graph_input(g, SL_C128, 6, us, "U");
    sl_node *Ub = sl_graph_input(g, SL_C128, 6, bad, "Ub");
    CHECK(sl_graph_plaquette(g, Ub, 1, 0) == NULL && sl_graph_status(g) == SL_ERR_SHAPE &&
          strstr(sl_ctx_errmsg(ctx), "sl_graph_plaquette"), "bad U shape: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_graph_polyakov(g, U) == NULL, "errors are sticky");
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    U = sl_graph_input(g, SL_C128, 6, us, "U");
    CHECK(sl_graph_plaquette(g, U, 3, 0) == NULL && sl_graph_status(g) == SL_ERR_ARG, "orientations = 3: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    U = sl_graph_input(g, SL_C128, 6, us, "U");
    sl_node *W = sl_graph_input(g, SL_C128, 6, (int64_t[]){1, 1, 4, 4, 2, 2}, "W");
    sl_node *al = sl_graph_input(g, SL_F64, 3, (int64_t[]){2, 3, 4}, "alpha");
    CHECK(sl_graph_gcmconv(g, U, W, al, 2, 0, 0) == NULL && sl_graph_status(g) == SL_ERR_SHAPE &&
          strstr(sl_ctx_errmsg(ctx), "alpha"), "bad alpha: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    CHECK(sl_graph_gcmconv(g, NULL, NULL, NULL, 2, 0, 0) == NULL && sl_graph_status(g) == SL_ERR_NULL, "NULL nodes");
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

/* The PRL networks' parameter counts (lcnn.md). */
static void test_param_counts(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    const struct { int nl, ch[4], k[4]; int64_t n; } nets[] = {
        {2, {2, 2}, {2, 2}, 125}, {2, {4, 4}, {3, 3}, 1305}, {2, {8, 8}, {4, 4}, 13521},
        {4, {2, 2, 2, 2}, {2, 2, 3, 3}, 465}, {4, {4, 4, 4, 4}, {3, 3, 4, 4}, 4833}, {4, {8, 8, 8, 8}, {4, 4, 4, 4}, 39905},
    };
    for (int i = 0; i < 6; ++i) {
        sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
        o.nlayers = nets[i].nl;
        for (int l = 0; l < o.nlayers; ++l) { o.channels[l] = nets[i].ch[l]; o.kernels[l] = nets[i].k[l]; }
        sl_lcnn *net = NULL;
        CHECK(sl_lcnn_create(ctx, &o, &net) == SL_OK, "create: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_lcnn_nparams(net) == nets[i].n, "PRL network %d: %lld parameters (want %lld)", i,
              (long long)sl_lcnn_nparams(net), (long long)nets[i].n);
        sl_lcnn_destroy(net);
    }
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    sl_lcnn *net = (sl_lcnn *)1;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_ERR_ARG && net == NULL && strstr(sl_ctx_errmsg(ctx), "nlayers"), "no layers: %s", sl_ctx_errmsg(ctx));
    o.nlayers = 1; o.channels[0] = 2; o.kernels[0] = 1;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "kernels[0]"), "K = 1: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_create(ctx, NULL, &net) == SL_ERR_NULL, "NULL opts");
    sl_lcnn_destroy(NULL);
    sl_ctx_destroy(ctx);
}

int main(void)
{
    test_param_counts();
    test_equivariance();
    test_real_weights();
    test_fd();
    test_errors();
    return check_done();
}
