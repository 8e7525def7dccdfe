/* The fused GCMConv contraction (src/layers/op_lat_contract.c): agreement with
 * the unfused composition (L-Bilin of W and the concatenated transports, the
 * dgemm path) for N = 2, 3, 4 on lattices whose site count is not a multiple
 * of the kernel's site block, and finite-difference first, second and third
 * derivatives (the vjps are fused ops themselves: every operand mode, dagger
 * and fold combination of the contraction and trace ops is reached). */
#include "fdcheck.h"
#include "lattice_util.h"

static void test_agreement(int nc, int64_t batch, int64_t l0, int64_t l1, int64_t c, int64_t cout, int K)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t us[6] = {batch, l0, l1, 2, nc, nc}, ws[6] = {c, batch, l0, l1, nc, nc};
    int64_t m = c * 2 * (K - 1), as[3] = {cout, 2 * c + 1, 2 * m + 1};
    sl_node *U = sl_graph_input(g, SL_C128, 6, us, "U"), *W = sl_graph_input(g, SL_C128, 6, ws, "W");
    sl_node *alpha = sl_graph_input(g, SL_F64, 3, as, "alpha");
    sl_node *outs[2] = {sl_graph_gcmconv(g, U, W, alpha, K, 0, 0), gcm_reference(g, U, W, alpha, K)};
    sl_plan *p = NULL;
    CHECK(sl_graph_status(g) == SL_OK && sl_plan_create(g, 2, outs, &p) == SL_OK, "N=%d: build: %s", nc, sl_ctx_errmsg(ctx));
    if (p) {
        size_t nu = (size_t)(2 * sl_node_numel(U)), nw = (size_t)(2 * sl_node_numel(W)), na = (size_t)sl_node_numel(alpha);
        double *u = malloc(sizeof(double) * nu), *w = malloc(sizeof(double) * nw), *a = malloc(sizeof(double) * na);
        sl_rng_fill_uniform(1, 0, nu, -1, 1, u);
        sl_rng_fill_uniform(2, 0, nw, -1, 1, w);
        sl_rng_fill_uniform(3, 0, na, -1, 1, a);
        sl_plan_bind(p, U, u);
        sl_plan_bind(p, W, w);
        sl_plan_bind(p, alpha, a);
        CHECK(sl_plan_run(p) == SL_OK, "run");
        const double *y0 = sl_plan_output(p, 0), *y1 = sl_plan_output(p, 1);
        int64_t n = 2 * sl_node_numel(outs[0]);
        double err = 0, scale = 0;
        for (int64_t i = 0; i < n; ++i) { err = fmax(err, fabs(y0[i] - y1[i])); scale = fmax(scale, fabs(y1[i])); }
        CHECK(err <= 1e-13 * fmax(scale, 1), "N=%d, %lld sites, C=%lld, K=%d: fused vs unfused max diff %.3g (scale %.3g)",
              nc, (long long)(batch * l0 * l1), (long long)c, K, err, scale);
        free(u); free(w); free(a);
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

static sl_node *fd_gcm(sl_graph *g, sl_node **x) { return sl_graph_gcmconv(g, x[0], x[1], x[2], 2, 0, 0); }
static sl_node *fd_gcm_k3(sl_graph *g, sl_node **x) { return sl_graph_gcmconv(g, x[0], x[1], x[2], 3, 0, 0); }
static sl_node *fd_gcm_sym(sl_graph *g, sl_node **x) { return sl_graph_gcmconv(g, x[0], x[1], x[2], 2, 0, 1); }
/* Two stacked layers sharing alpha's shape (C -> C): products of products. */
static sl_node *fd_gcm2(sl_graph *g, sl_node **x)
{
    sl_node *w = sl_graph_gcmconv(g, x[0], x[1], x[2], 2, 0, 0);
    return sl_graph_gcmconv(g, x[0], w, x[2], 2, 0, 0);
}

static void spec(fd_spec *sp, int nc, int64_t batch, int64_t l0, int64_t l1, int64_t c, int64_t cout, int64_t nb,
                 int order)
{
    memset(sp, 0, sizeof *sp);
    sp->nin = 3;
    sp->lo = -1; sp->hi = 1;
    sp->tol = 1e-6;
    sp->order = order;
    int64_t us[6] = {batch, l0, l1, 2, nc, nc}, ws[6] = {c, batch, l0, l1, nc, nc}, as[3] = {cout, 2 * c + 1, nb};
    sp->dtype[0] = SL_C128; sp->rank[0] = 6; memcpy(sp->shape[0], us, sizeof us);
    sp->dtype[1] = SL_C128; sp->rank[1] = 6; memcpy(sp->shape[1], ws, sizeof ws);
    sp->dtype[2] = SL_F64; sp->rank[2] = 3; memcpy(sp->shape[2], as, sizeof as);
}

static void test_fd(void)
{
    fd_spec sp;
    spec(&sp, 2, 1, 3, 2, 2, 3, 2 * 2 * 2 + 1, 3);
    fdcheck("fused gcmconv N=2, orders 1-3", &sp, fd_gcm);
    spec(&sp, 3, 1, 2, 3, 1, 2, 2 * 1 * 2 + 1, 2);
    fdcheck("fused gcmconv N=3", &sp, fd_gcm);
    spec(&sp, 2, 1, 3, 3, 1, 2, 2 * 1 * 2 * 2 + 1, 2);
    fdcheck("fused gcmconv K=3", &sp, fd_gcm_k3);
    spec(&sp, 2, 1, 2, 3, 1, 2, 2 * (1 * (2 * 2 + 1)) + 1, 2);
    fdcheck("fused gcmconv symmetric", &sp, fd_gcm_sym);
    spec(&sp, 2, 1, 2, 3, 2, 2, 2 * 2 * 2 + 1, 2);
    fdcheck("two fused gcmconv layers", &sp, fd_gcm2);
}

int main(void)
{
    test_agreement(2, 1, 3, 5, 2, 3, 2);    /* 15 sites: one short block */
    test_agreement(2, 2, 8, 9, 3, 4, 3);    /* 144 sites: 4 full blocks and a short one */
    test_agreement(3, 1, 5, 7, 2, 2, 3);    /* N = 3: blocks of 14 sites */
    test_agreement(4, 1, 4, 3, 2, 2, 2);    /* generic N */
    test_fd();
    return check_done();
}
