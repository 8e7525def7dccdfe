/* The fused parallel transport (src/layers/op_lat_transport.c): agreement with
 * the unfused composition (line products, roll and broadcast matmuls) for
 * N = 2, 3, 4 and D = 2, 4, single transports in both directions (shifts that
 * wrap around the lattice included) and the GCMConv transport set (plain,
 * symmetric, dilated); finite-difference first and second (and third)
 * derivatives with respect to W and U (the reverse transport, the fused line
 * gradient and its vjp); gauge equivariance under Haar-random O(x). */
#include "fdcheck.h"

/* ---- the unfused reference ---------------------------------------------------------- */
static sl_node *ref_shift(sl_graph *g, sl_node *f, int axis, int64_t k)
{
    int64_t L = sl_node_dim(f, axis);
    k = ((k % L) + L) % L;
    return k ? sl_graph_roll(g, f, axis, -k) : f;   /* f(x + k) */
}

static sl_node *ref_line(sl_graph *g, sl_node *U, int mu, int s)
{
    sl_node *link = sl_graph_link(g, U, mu), *acc = link;
    for (int t = 1; t < s; ++t) acc = sl_graph_matmul(g, acc, ref_shift(g, link, 1 + mu, t));
    return acc;
}

static sl_node *ref_transport(sl_graph *g, sl_node *U, sl_node *W, int mu, int k)
{
    int s = k > 0 ? k : -k;
    sl_node *line = ref_line(g, U, mu, s);
    if (k > 0) {
        sl_node *t = sl_graph_matmul(g, line, ref_shift(g, W, 2 + mu, s));
        return sl_graph_matmul_ex(g, t, SL_OP_N, line, SL_OP_H);
    }
    sl_node *lm = ref_shift(g, line, 1 + mu, -s);
    sl_node *t = sl_graph_matmul_ex(g, lm, SL_OP_H, ref_shift(g, W, 2 + mu, -s), SL_OP_N);
    return sl_graph_matmul(g, t, lm);
}

static sl_node *ref_gcmconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *alpha, int K, int dil, int sym)
{
    int nd = sl_node_rank(U) - 4, np = 0;
    sl_node *parts[64];
    if (sym) parts[np++] = W;
    for (int mu = 0; mu < nd; ++mu)
        for (int k = 1; k < K; ++k) parts[np++] = ref_transport(g, U, W, mu, k * (dil + 1));
    if (sym)
        for (int mu = 0; mu < nd; ++mu)
            for (int k = 1; k < K; ++k) parts[np++] = ref_transport(g, U, W, mu, -k * (dil + 1));
    sl_node *T = np == 1 ? parts[0] : sl_graph_concat(g, np, parts, 0);
    return sl_graph_lbilin(g, W, T, alpha);
}

/* ---- agreement ---------------------------------------------------------------------- */
#define MAXOUT 64

static void test_agreement(int nc, int nd, const int64_t *dims, int64_t batch, int64_t c)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t us[8], ws[8];
    us[0] = batch; ws[0] = c; ws[1] = batch;
    for (int mu = 0; mu < nd; ++mu) { us[1 + mu] = dims[mu]; ws[2 + mu] = dims[mu]; }
    us[1 + nd] = nd; us[2 + nd] = nc; us[3 + nd] = nc;
    ws[2 + nd] = nc; ws[3 + nd] = nc;
    sl_node *U = sl_graph_input(g, SL_C128, nd + 4, us, "U"), *W = sl_graph_input(g, SL_C128, nd + 4, ws, "W");
    sl_node *outs[MAXOUT];
    const char *what[MAXOUT / 2];
    int no = 0;
    static const int ks[] = {1, 2, -1, -3, 5};
    for (int mu = 0; mu < nd; ++mu)
        for (size_t i = 0; i < sizeof ks / sizeof ks[0]; ++i) {
            what[no / 2] = "transport";
            outs[no++] = sl_graph_transport(g, U, W, mu, ks[i]);
            outs[no++] = ref_transport(g, U, W, mu, ks[i]);
        }
    static const int gk[][3] = {{3, 0, 0}, {2, 0, 1}, {3, 1, 1}};   /* K, dilation, symmetric */
    for (int i = 0; i < 3; ++i) {
        int K = gk[i][0], dil = gk[i][1], sym = gk[i][2];
        int64_t m = sl_gcmconv_terms(nd, c, K, sym), as[3] = {2, 2 * c + 1, 2 * m + 1};
        double *a = malloc(sizeof(double) * (size_t)(as[0] * as[1] * as[2]));
        sl_rng_fill_uniform(7 + (uint64_t)i, 0, (size_t)(as[0] * as[1] * as[2]), -1, 1, a);
        sl_node *alpha = sl_graph_constant(g, SL_F64, 3, as, a);
        free(a);
        what[no / 2] = "gcmconv";
        outs[no++] = sl_graph_gcmconv(g, U, W, alpha, K, dil, sym);
        outs[no++] = ref_gcmconv(g, U, W, alpha, K, dil, sym);
    }
    sl_plan *p = NULL;
    CHECK(sl_graph_status(g) == SL_OK && sl_plan_create(g, no, outs, &p) == SL_OK, "N=%d D=%d: build: %s", nc, nd,
          sl_ctx_errmsg(ctx));
    if (p) {
        size_t nu = (size_t)(2 * sl_node_numel(U)), nw = (size_t)(2 * sl_node_numel(W));
        double *u = malloc(sizeof(double) * nu), *w = malloc(sizeof(double) * nw);
        sl_rng_fill_uniform(1, 0, nu, -1, 1, u);
        sl_rng_fill_uniform(2, 0, nw, -1, 1, w);
        sl_plan_bind(p, U, u);
        sl_plan_bind(p, W, w);
        CHECK(sl_plan_run(p) == SL_OK, "run");
        for (int i = 0; i < no; i += 2) {
            const double *y0 = sl_plan_output(p, i), *y1 = sl_plan_output(p, i + 1);
            int64_t n = 2 * sl_node_numel(outs[i]);
            CHECK(sl_node_numel(outs[i]) == sl_node_numel(outs[i + 1]), "shapes");
            double err = 0, scale = 0;
            for (int64_t k = 0; k < n; ++k) { err = fmax(err, fabs(y0[k] - y1[k])); scale = fmax(scale, fabs(y1[k])); }
            CHECK(err <= 1e-13 * fmax(scale, 1), "N=%d D=%d %s #%d: fused vs unfused max diff %.3g (scale %.3g)", nc, nd,
                  what[i / 2], i / 2, err, scale);
        }
        free(u); free(w);
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

/* ---- finite differences ---------------------------------------------------------------- */
static sl_node *fd_tr_p2(sl_graph *g, sl_node **x) { return sl_graph_transport(g, x[0], x[1], 0, 2); }
static sl_node *fd_tr_m1(sl_graph *g, sl_node **x) { return sl_graph_transport(g, x[0], x[1], 1, -1); }
static sl_node *fd_tr_m3(sl_graph *g, sl_node **x) { return sl_graph_transport(g, x[0], x[1], 0, -3); }
/* a transport of a transport: the reverse op and line gradients feed each other */
static sl_node *fd_tr_tr(sl_graph *g, sl_node **x)
{
    sl_node *t = sl_graph_transport(g, x[0], x[1], 1, 2);
    return sl_graph_mul(g, t, sl_graph_transport(g, x[0], t, 0, -1));
}
static sl_node *fd_gcm_sym(sl_graph *g, sl_node **x)
{
    int nd = sl_node_rank(x[0]) - 4;
    int64_t c = sl_node_dim(x[1], 0), m = sl_gcmconv_terms(nd, c, 3, 1), as[3] = {2, 2 * c + 1, 2 * m + 1};
    double a[2 * 5 * 41];
    sl_rng_fill_uniform(9, 0, (size_t)(as[0] * as[1] * as[2]), -1, 1, a);
    return sl_graph_gcmconv(g, x[0], x[1], sl_graph_constant(g, SL_F64, 3, as, a), 3, 0, 1);
}

static void spec(fd_spec *sp, int nc, int nd, const int64_t *dims, int64_t c, int order)
{
    memset(sp, 0, sizeof *sp);
    sp->nin = 2;
    sp->lo = -1; sp->hi = 1;
    sp->tol = 1e-6;
    sp->order = order;
    int64_t *us = sp->shape[0], *ws = sp->shape[1];
    us[0] = 1; ws[0] = c; ws[1] = 1;
    for (int mu = 0; mu < nd; ++mu) { us[1 + mu] = dims[mu]; ws[2 + mu] = dims[mu]; }
    us[1 + nd] = nd; us[2 + nd] = nc; us[3 + nd] = nc;
    ws[2 + nd] = nc; ws[3 + nd] = nc;
    sp->dtype[0] = sp->dtype[1] = SL_C128;
    sp->rank[0] = sp->rank[1] = nd + 4;
}

static void test_fd(void)
{
    fd_spec sp;
    const int64_t d2[2] = {3, 2}, d4[4] = {2, 1, 2, 1};
    spec(&sp, 2, 2, d2, 2, 3);
    fdcheck("transport +2 mu=0 N=2, orders 1-3", &sp, fd_tr_p2);
    spec(&sp, 2, 2, d2, 2, 2);
    fdcheck("transport -1 mu=1 N=2", &sp, fd_tr_m1);
    spec(&sp, 3, 2, d2, 1, 2);
    fdcheck("transport -3 (wraps) N=3", &sp, fd_tr_m3);
    spec(&sp, 3, 2, d2, 1, 2);
    fdcheck("transport +2 N=3", &sp, fd_tr_p2);
    spec(&sp, 4, 4, d4, 1, 2);
    fdcheck("transport +2 N=4 D=4", &sp, fd_tr_p2);
    spec(&sp, 2, 2, d2, 1, 3);
    fdcheck("transport of a transport, orders 1-3", &sp, fd_tr_tr);
    spec(&sp, 2, 2, d2, 2, 2);
    fdcheck("gcmconv symmetric K=3", &sp, fd_gcm_sym);
    spec(&sp, 2, 4, d4, 1, 2);
    fdcheck("gcmconv symmetric K=3 D=4", &sp, fd_gcm_sym);
}

/* ---- gauge equivariance ---------------------------------------------------------------- */
static void test_equivariance(int nc, int nd, const int64_t *dims)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    int64_t V = 1, n2 = nc * nc, C = 2;
    for (int mu = 0; mu < nd; ++mu) V *= dims[mu];
    size_t nu = (size_t)(2 * V * nd * n2), nw = (size_t)(2 * C * V * n2);
    double *u = malloc(sizeof(double) * nu), *w = malloc(sizeof(double) * nw), *o = malloc(sizeof(double) * 2 * (size_t)(V * n2));
    double *wg = malloc(sizeof(double) * nw);
    sl_su_random(ctx, nc, V * nd, 11, u);
    sl_rng_fill_normal(12, 0, nw, 0, 0.5, w);
    sl_su_random(ctx, nc, V, 13, o);
    sl_gauge *G;
    sl_gauge_create(ctx, nd, dims, nc, &G);
    memcpy(sl_gauge_data(G), u, sizeof(double) * nu);
    sl_gauge_transform(G, o);
    memcpy(wg, w, sizeof(double) * nw);
    sl_gauge_transform_fields(ctx, nc, V, C, o, wg);

    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t us[8], ws[8];
    us[0] = 1; ws[0] = C; ws[1] = 1;
    for (int mu = 0; mu < nd; ++mu) { us[1 + mu] = dims[mu]; ws[2 + mu] = dims[mu]; }
    us[1 + nd] = nd; us[2 + nd] = nc; us[3 + nd] = nc;
    ws[2 + nd] = nc; ws[3 + nd] = nc;
    sl_node *U = sl_graph_input(g, SL_C128, nd + 4, us, "U"), *W = sl_graph_input(g, SL_C128, nd + 4, ws, "W");
    int64_t m = sl_gcmconv_terms(nd, C, 3, 1), as[3] = {2, 2 * C + 1, 2 * m + 1};
    double *a = malloc(sizeof(double) * (size_t)(as[0] * as[1] * as[2]));
    sl_rng_fill_uniform(14, 0, (size_t)(as[0] * as[1] * as[2]), -0.3, 0.3, a);
    sl_node *outs[4] = {sl_graph_transport(g, U, W, nd - 1, 2), sl_graph_transport(g, U, W, 0, -3),
                        sl_graph_gcmconv(g, U, W, sl_graph_constant(g, SL_F64, 3, as, a), 3, 0, 1), NULL};
    free(a);
    sl_plan *p = NULL;
    CHECK(sl_graph_status(g) == SL_OK && sl_plan_create(g, 3, outs, &p) == SL_OK, "equivariance build: %s",
          sl_ctx_errmsg(ctx));
    if (p) {
        double *y[3];
        int64_t ny[3];
        sl_plan_bind(p, U, u);
        sl_plan_bind(p, W, w);
        sl_plan_run(p);
        for (int i = 0; i < 3; ++i) {
            ny[i] = 2 * sl_node_numel(outs[i]);
            y[i] = malloc(sizeof(double) * (size_t)ny[i]);
            memcpy(y[i], sl_plan_output(p, i), sizeof(double) * (size_t)ny[i]);
            sl_gauge_transform_fields(ctx, nc, V, sl_node_dim(outs[i], 0), o, y[i]);
        }
        sl_plan_bind(p, U, sl_gauge_data(G));
        sl_plan_bind(p, W, wg);
        sl_plan_run(p);
        for (int i = 0; i < 3; ++i) {
            const double *z = sl_plan_output(p, i);
            double err = 0, scale = 0;
            for (int64_t k = 0; k < ny[i]; ++k) { err = fmax(err, fabs(y[i][k] - z[k])); scale = fmax(scale, fabs(z[k])); }
            CHECK(err < 1e-12 * fmax(1, scale), "N=%d D=%d output %d: gauge equivariance error %.3g (scale %.3g)", nc, nd,
                  i, err, scale);
            free(y[i]);
        }
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    sl_gauge_destroy(G);
    free(u); free(w); free(o); free(wg);
    sl_ctx_destroy(ctx);
}

int main(void)
{
    const int64_t d2[2] = {5, 4}, d4[4] = {3, 2, 4, 3};
    for (int nc = 2; nc <= 4; ++nc) {
        test_agreement(nc, 2, d2, 2, 2);
        test_agreement(nc, 4, d4, 1, 2);
    }
    test_fd();
    for (int nc = 2; nc <= 4; ++nc) {
        test_equivariance(nc, 2, d2);
        test_equivariance(nc, 4, d4);
    }
    return check_done();
}
