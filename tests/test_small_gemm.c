/* The short-and-wide GEMM of the fused GCMConv contraction
 * (src/kernels/small_gemm.c, reached through sl_graph_gcmconv): the layer's
 * output against a naive loop over the definition,
 *   W'_u(x) = sum_{v,w} alpha(u,v,w) A'_v(x) B'_w(x),
 * A' = (W, W^+, 1), B' = (T, T^+, 1), T the transports (computed by the
 * graph), for N = 2, 3 and shapes that reach every edge of the kernel:
 * row counts Cout (2C + 1) of each residue mod 3, single rows, more than 64
 * rows, inner dimensions from 1 to past the kernel's limit (the dgemm path),
 * site counts that leave a short block. */
#include "check.h"

#include <symlearn.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct { double re, im; } cx;

static cx cmul(cx a, cx b) { return (cx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }

/* Slot p of (X, X^+, 1) at site s: X has V channels of S sites of N x N. */
static void slot(const double *x, int64_t v, int64_t p, int64_t S, int64_t s, int n, cx *m)
{
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            if (p == 2 * v) { m[i * n + j] = (cx){i == j, 0}; continue; }
            int adj = p >= v;
            int64_t c = adj ? p - v : p;
            const double *e = x + 2 * ((c * S + s) * n * n + (adj ? j * n + i : i * n + j));
            m[i * n + j] = (cx){e[0], adj ? -e[1] : e[1]};
        }
}

static void test_shape(int nc, int64_t batch, int64_t l0, int64_t l1, int64_t c, int64_t cout, int K)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int nd = 2;
    int64_t us[6] = {batch, l0, l1, nd, nc, nc}, ws[6] = {c, batch, l0, l1, nc, nc};
    int64_t m = c * nd * (K - 1), as[3] = {cout, 2 * c + 1, 2 * m + 1};
    sl_node *U = sl_graph_input(g, SL_C128, 6, us, "U"), *W = sl_graph_input(g, SL_C128, 6, ws, "W");
    sl_node *alpha = sl_graph_input(g, SL_F64, 3, as, "alpha");
    sl_node *parts[64];
    int np = 0;
    for (int mu = 0; mu < nd; ++mu)
        for (int k = 1; k < K; ++k) parts[np++] = sl_graph_transport(g, U, W, mu, k);
    sl_node *outs[2] = {sl_graph_gcmconv(g, U, W, alpha, K, 0, 0),
                        np == 1 ? parts[0] : sl_graph_concat(g, np, parts, 0)};
    sl_plan *p = NULL;
    CHECK(sl_graph_status(g) == SL_OK && sl_plan_create(g, 2, outs, &p) == SL_OK, "N=%d: build: %s", nc,
          sl_ctx_errmsg(ctx));
    if (p) {
        size_t nu = (size_t)(2 * sl_node_numel(U)), nw = (size_t)(2 * sl_node_numel(W)), na = (size_t)sl_node_numel(alpha);
        double *u = malloc(sizeof(double) * nu), *w = malloc(sizeof(double) * nw), *a = malloc(sizeof(double) * na);
        sl_rng_fill_uniform(11, 0, nu, -1, 1, u);
        sl_rng_fill_uniform(12, 0, nw, -1, 1, w);
        sl_rng_fill_uniform(13, 0, na, -1, 1, a);
        sl_plan_bind(p, U, u);
        sl_plan_bind(p, W, w);
        sl_plan_bind(p, alpha, a);
        CHECK(sl_plan_run(p) == SL_OK, "run");
        const double *y = sl_plan_output(p, 0), *t = sl_plan_output(p, 1);
        int64_t S = batch * l0 * l1, n2 = (int64_t)nc * nc, pa = 2 * c + 1, pb = 2 * m + 1;
        cx *am = malloc(sizeof(cx) * (size_t)(pa * n2)), *bm = malloc(sizeof(cx) * (size_t)(pb * n2));
        cx *acc = malloc(sizeof(cx) * (size_t)n2);
        double err = 0, scale = 0;
        for (int64_t s = 0; s < S; ++s) {
            for (int64_t v = 0; v < pa; ++v) slot(w, c, v, S, s, nc, am + v * n2);
            for (int64_t q = 0; q < pb; ++q) slot(t, m, q, S, s, nc, bm + q * n2);
            for (int64_t o = 0; o < cout; ++o) {
                for (int64_t e = 0; e < n2; ++e) acc[e] = (cx){0, 0};
                for (int64_t v = 0; v < pa; ++v)
                    for (int64_t q = 0; q < pb; ++q) {
                        double f = a[(o * pa + v) * pb + q];
                        for (int i = 0; i < nc; ++i)
                            for (int j = 0; j < nc; ++j)
                                for (int k = 0; k < nc; ++k) {
                                    cx z = cmul(am[v * n2 + i * nc + k], bm[q * n2 + k * nc + j]);
                                    acc[i * nc + j].re += f * z.re;
                                    acc[i * nc + j].im += f * z.im;
                                }
                    }
                const double *yo = y + 2 * (o * S + s) * n2;
                for (int64_t e = 0; e < n2; ++e) {
                    err = fmax(err, fmax(fabs(yo[2 * e] - acc[e].re), fabs(yo[2 * e + 1] - acc[e].im)));
                    scale = fmax(scale, fmax(fabs(acc[e].re), fabs(acc[e].im)));
                }
            }
        }
        CHECK(err <= 1e-13 * fmax(scale, 1), "N=%d, %lld sites, C=%lld, Cout=%lld, K=%d (%lld rows, inner %lld): "
              "gcmconv vs naive max diff %.3g (scale %.3g)", nc, (long long)S, (long long)c, (long long)cout, K,
              (long long)(cout * pa), (long long)m, err, scale);
        free(am); free(bm); free(acc);
        free(u); free(w); free(a);
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

int main(void)
{
    test_shape(2, 1, 3, 5, 1, 1, 2);     /* 3 rows, inner 2, 15 sites: one short block */
    test_shape(2, 1, 3, 3, 1, 2, 2);     /* 6 rows */
    test_shape(2, 2, 8, 9, 2, 1, 2);     /* 5 rows (3 + 2), 144 sites: full blocks and a short one */
    test_shape(2, 1, 8, 8, 2, 2, 3);     /* 10 rows (3 + 3 + 3 + 1), inner 8 */
    test_shape(2, 1, 16, 17, 2, 3, 2);   /* 15 rows, 272 sites */
    test_shape(3, 1, 5, 7, 2, 2, 3);     /* N = 3: panel halves of 252 columns (16-, 4- and 1-column strips) */
    test_shape(3, 1, 4, 4, 1, 4, 2);     /* N = 3, 12 rows */
    test_shape(2, 1, 4, 5, 4, 8, 2);     /* 72 rows, inner 8 */
    test_shape(2, 1, 4, 4, 3, 3, 7);     /* inner 36 */
    test_shape(2, 1, 3, 4, 6, 2, 7);     /* inner 72: past the kernel's limit (dgemm) */
    return check_done();
}
