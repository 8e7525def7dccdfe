/* The folded GCMConv kernels (src/kernels/lat_contract.c): the dagger fold of
 * the contraction (two half-width GEMMs on the Hermitian / anti-Hermitian
 * parts of B's slots), the folded alpha trace reduction and the pair-product
 * order of the B gradient.  First and second derivatives (gradients and
 * Hessian-vector products w.r.t. U, W and alpha) of the fused layer agree with
 * the unfused composition (L-Bilin of W and the concatenated transports, the
 * dgemm path) to rounding, for N = 2, 3, 4, full and short site blocks, and
 * Cout below and above 2M (both orders of the B gradient). */
#include "fdcheck.h"
#include "lattice_util.h"

/* outs[0..2]: gradients, outs[3..5]: Hessian-vector products. */
static void derivs(sl_graph *g, sl_node *y, sl_node **xs, sl_node **outs)
{
    sl_node *L = fd_contract(g, y, 7);
    sl_graph_grad(g, L, 3, xs, outs);
    sl_node *S = fd_direction(g, xs, outs, 3, 11);
    sl_graph_grad(g, S, 3, xs, outs + 3);
}

static void test_fold(int nc, int64_t batch, int64_t l0, int64_t l1, int64_t c, int64_t cout, int K)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t us[6] = {batch, l0, l1, 2, nc, nc}, ws[6] = {c, batch, l0, l1, nc, nc};
    int64_t m = c * 2 * (K - 1), as[3] = {cout, 2 * c + 1, 2 * m + 1};
    sl_node *U = sl_graph_input(g, SL_C128, 6, us, "U"), *W = sl_graph_input(g, SL_C128, 6, ws, "W");
    sl_node *alpha = sl_graph_input(g, SL_F64, 3, as, "alpha");
    sl_node *xs[3] = {U, W, alpha}, *outs[12];
    derivs(g, sl_graph_gcmconv(g, U, W, alpha, K, 0, 0), xs, outs);
    derivs(g, gcm_reference(g, U, W, alpha, K), xs, outs + 6);
    sl_plan *p = NULL;
    CHECK(sl_graph_status(g) == SL_OK && sl_plan_create(g, 12, outs, &p) == SL_OK, "N=%d: build: %s", nc,
          sl_ctx_errmsg(ctx));
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
        static const char *what[6] = {"dL/dU", "dL/dW", "dL/dalpha", "H v (U)", "H v (W)", "H v (alpha)"};
        for (int k = 0; k < 6; ++k) {
            const double *y0 = sl_plan_output(p, k), *y1 = sl_plan_output(p, 6 + k);
            int64_t n = sl_node_numel(outs[k]) * (sl_node_dtype(outs[k]) == SL_C128 ? 2 : 1);
            double err = 0, scale = 0;
            for (int64_t i = 0; i < n; ++i) { err = fmax(err, fabs(y0[i] - y1[i])); scale = fmax(scale, fabs(y1[i])); }
            CHECK(err <= 1e-12 * fmax(scale, 1), "N=%d, %lld sites, C=%lld, Cout=%lld, K=%d: %s fused vs unfused %.3g (scale %.3g)",
                  nc, (long long)(batch * l0 * l1), (long long)c, (long long)cout, K, what[k], err, scale);
        }
        free(u); free(w); free(a);
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

int main(void)
{
    (void)fdcheck;   /* the helpers of fdcheck.h are used, the check itself is not */
    test_fold(2, 1, 3, 5, 2, 3, 2);    /* 15 sites: one short block; Cout < 2M (pair order) */
    test_fold(2, 2, 8, 9, 1, 5, 2);    /* 144 sites: full blocks and a short one; Cout > 2M */
    test_fold(2, 1, 4, 4, 2, 2, 3);    /* K = 3 */
    test_fold(3, 1, 5, 7, 2, 2, 2);    /* N = 3: a full block and a short one */
    test_fold(3, 1, 3, 3, 1, 6, 2);    /* N = 3, Cout > 2M */
    test_fold(4, 1, 4, 3, 1, 2, 2);    /* generic N */
    return check_done();
}
