/* Fusion of a plan's elementwise steps (src/autodiff/plan_fuse.c): the fused
 * plan gives the same bits as the unfused one (SL_PLAN_FUSE=0) on dense
 * networks with first and second derivatives (tanh, SiLU, GELU, softplus;
 * row biases, per-network (K, 1, C) biases, scalar and broadcast operands),
 * with and without sl_plan_set_cache_data, in the normal mode and in the
 * test mode SL_PLAN_FUSE=2 (every size fused, blocks of a few elements, so
 * partial blocks happen); values kept in blocks take no arena space; and
 * finite-difference first and second (third) derivatives through the fused
 * path, including the vectorised elementwise kernels. */
#include <stdint.h>
#include <string.h>

#include "fdcheck.h"
#include "symlearn.h"

typedef sl_node *(*act_fn)(sl_graph *, sl_node *);

static sl_node *act_silu(sl_graph *g, sl_node *x) { return sl_graph_silu(g, x); }
static sl_node *act_tanh(sl_graph *g, sl_node *x) { return sl_graph_tanh(g, x); }
static sl_node *act_gelu(sl_graph *g, sl_node *x) { return sl_graph_gelu(g, x); }
static sl_node *act_mix(sl_graph *g, sl_node *x)   /* a chain of the other maps */
{
    sl_node *a = sl_graph_softplus(g, sl_graph_mul_scalar(g, x, 0.7));
    sl_node *b = sl_graph_rsub_scalar(g, sl_graph_square(g, sl_graph_sigmoid(g, x)), 1.5);
    sl_node *c = sl_graph_div(g, sl_graph_sin(g, x), sl_graph_add_scalar(g, sl_graph_abs(g, x), 2.0));
    sl_node *d = sl_graph_mul(g, sl_graph_exp(g, sl_graph_neg(g, sl_graph_square(g, x))), sl_graph_cos(g, x));
    return sl_graph_add(g, sl_graph_sub(g, a, b), sl_graph_add(g, c, sl_graph_pow_scalar(g, sl_graph_add_scalar(g, d, 3.0), 1.5)));
}

typedef struct {
    const char *name;
    act_fn act;
    int64_t K, B, H;   /* K networks (K = 0: one, 2-D), batch B, width H */
} net_case;

static double *filled(uint64_t seed, int64_t n, double lo, double hi)
{
    double *v = malloc(sizeof(double) * (size_t)n);
    sl_rng_fill_uniform(seed, 0, (size_t)n, lo, hi, v);
    return v;
}

/* A 4 -> H -> H -> 1 network and a loss of its input gradient, as the
 * conserved and hnn workloads build them; outputs: loss, the input
 * gradient, the weight gradients of the loss (second order). */
static int build(sl_graph *g, const net_case *c, sl_node **x, sl_node **outs)
{
    int64_t K = c->K ? c->K : 1, B = c->B, H = c->H;
    int r = c->K ? 3 : 2;
    int64_t sx[3] = {K, B, 4}, s1[3] = {K, 4, H}, sb[3] = {K, 1, H}, s2[3] = {K, H, H}, s3[3] = {K, H, 1};
    int64_t *S[5] = {sx, s1, sb, s2, s3};
    if (!c->K)
        for (int i = 0; i < 5; ++i) S[i]++;
    double *w1 = filled(2, K * 4 * H, -0.8, 0.8), *b1 = filled(3, K * H, -0.3, 0.3);
    double *w2 = filled(4, K * H * H, -0.3, 0.3), *b2 = filled(5, K * H, -0.3, 0.3);
    double *w3 = filled(6, K * H, -0.5, 0.5);
    *x = sl_graph_input(g, SL_F64, r, S[0], "x");
    sl_node *W1 = sl_graph_param(g, SL_F64, r, S[1], w1, "W1");
    /* one network: a row bias (H); K networks: (K, 1, H) */
    sl_node *B1 = c->K ? sl_graph_param(g, SL_F64, 3, sb, b1, "b1") : sl_graph_param(g, SL_F64, 1, &H, b1, "b1");
    sl_node *W2 = sl_graph_param(g, SL_F64, r, S[3], w2, "W2");
    sl_node *B2 = c->K ? sl_graph_param(g, SL_F64, 3, sb, b2, "b2") : sl_graph_param(g, SL_F64, 1, &H, b2, "b2");
    sl_node *W3 = sl_graph_param(g, SL_F64, r, S[4], w3, "W3");
    free(w1), free(b1), free(w2), free(b2), free(w3);
    sl_node *h = c->act(g, sl_graph_add(g, sl_graph_matmul(g, *x, W1), B1));
    h = c->act(g, sl_graph_add(g, sl_graph_matmul(g, h, W2), B2));
    sl_node *y = sl_graph_matmul(g, h, W3);
    sl_node *gx = sl_graph_grad1(g, sl_graph_sum(g, y), *x);
    /* loss: mean of (gx - 0.3)^2 plus a little of y^2 */
    sl_node *loss = sl_graph_add(g, sl_graph_mean(g, sl_graph_square(g, sl_graph_add_scalar(g, gx, -0.3))),
                                 sl_graph_mul_scalar(g, sl_graph_mean(g, sl_graph_square(g, y)), 0.1));
    sl_node *ws[5] = {W1, B1, W2, B2, W3}, *gw[5];
    if (sl_graph_grad(g, loss, 5, ws, gw) != SL_OK) return 0;
    outs[0] = loss;
    outs[1] = gx;
    for (int i = 0; i < 5; ++i) outs[2 + i] = gw[i];
    return sl_graph_status(g) == SL_OK;
}

#define NOUT 7

/* Values of the outputs under SL_PLAN_FUSE=mode (cache: sl_plan_set_cache_data
 * on, and the plan run twice); arena bytes in *bytes. */
static double **run_case(const net_case *c, const char *mode, int cache, size_t *bytes)
{
    setenv("SL_PLAN_FUSE", mode, 1);
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *x, *outs[NOUT];
    double **vals = NULL;
    if (!build(g, c, &x, outs)) {
        CHECK(0, "%s: graph: %s", c->name, sl_ctx_errmsg(ctx));
        goto out;
    }
    int64_t nx = sl_node_numel(x);
    double *xd = filled(7, nx, -1.5, 1.5);
    sl_plan *p;
    if (sl_plan_create(g, NOUT, outs, &p) != SL_OK) {
        CHECK(0, "%s: plan: %s", c->name, sl_ctx_errmsg(ctx));
        free(xd);
        goto out;
    }
    sl_plan_bind(p, x, xd);
    if (cache) sl_plan_set_cache_data(p, 1);
    CHECK(sl_plan_run(p) == SL_OK && (!cache || sl_plan_run(p) == SL_OK), "%s: run (fuse %s): %s", c->name, mode,
          sl_ctx_errmsg(ctx));
    *bytes = sl_plan_bytes(p);
    vals = calloc(NOUT, sizeof *vals);
    for (int i = 0; i < NOUT; ++i) {
        size_t n = (size_t)sl_node_numel(outs[i]);
        vals[i] = malloc(sizeof(double) * (n + 1));
        vals[i][0] = (double)n;
        memcpy(vals[i] + 1, sl_plan_output(p, i), sizeof(double) * n);
    }
    sl_plan_destroy(p);
    free(xd);
out:
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    unsetenv("SL_PLAN_FUSE");
    return vals;
}

static void free_vals(double **v)
{
    if (!v) return;
    for (int i = 0; i < NOUT; ++i) free(v[i]);
    free(v);
}

static void same_bits(const net_case *c, const char *what, double **a, double **b)
{
    if (!a || !b) {
        CHECK(0, "%s %s: no values", c->name, what);
        return;
    }
    int64_t bad = 0;
    double worst = 0;
    for (int i = 0; i < NOUT; ++i)
        for (int64_t j = 1; j <= (int64_t)a[i][0]; ++j)
            if (memcmp(&a[i][j], &b[i][j], sizeof(double))) {
                bad++;
                worst = fmax(worst, fabs(a[i][j] - b[i][j]) / fmax(1e-300, fabs(a[i][j])));
            }
    CHECK(bad == 0, "%s %s: %lld values differ from the unfused plan's (max rel %.3g)", c->name, what,
          (long long)bad, worst);
}

static void test_networks(void)
{
    const net_case cases[] = {
        {"silu K=4 (K,1,H) biases", act_silu, 4, 2048, 16},
        {"tanh 2-D row biases", act_tanh, 0, 3000, 32},
        {"gelu K=2", act_gelu, 2, 257, 24},
        {"maps chain", act_mix, 0, 129, 40},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const net_case *c = &cases[i];
        size_t b0 = 0, b1 = 0, b2 = 0, bc = 0, bc0 = 0;
        double **ref = run_case(c, "0", 0, &b0);
        double **fused = run_case(c, "1", 0, &b1);
        double **small = run_case(c, "2", 0, &b2);
        double **cached = run_case(c, "1", 1, &bc);
        double **cached0 = run_case(c, "0", 1, &bc0);
        same_bits(c, "fused", ref, fused);
        same_bits(c, "fused in small blocks", ref, small);
        same_bits(c, "fused, data cached", ref, cached);
        same_bits(c, "unfused, data cached", ref, cached0);
        /* the reordering makes some values live longer; not by much */
        CHECK(b1 <= b0 + b0 / 4 && b2 <= b0 + b0 / 4, "%s: fused arena %zu / %zu bytes, unfused %zu", c->name, b1,
              b2, b0);
        free_vals(ref), free_vals(fused), free_vals(small), free_vals(cached), free_vals(cached0);
    }
}

/* A chain of maps: fused, the values inside it live in blocks only, so the
 * arena holds one buffer of the chain's size (the last map's, which the sum
 * reads) instead of two. */
static void test_chain_space(void)
{
    size_t bytes[2];
    double sums[2];
    for (int f = 0; f < 2; ++f) {
        setenv("SL_PLAN_FUSE", f ? "1" : "0", 1);
        sl_ctx *ctx;
        sl_ctx_create(&ctx, NULL);
        sl_graph *g;
        sl_graph_create(ctx, &g);
        int64_t shape[2] = {256, 512};
        sl_node *x = sl_graph_input(g, SL_F64, 2, shape, "x");
        sl_node *y = sl_graph_sum(g, sl_graph_tanh(g, sl_graph_exp(g, sl_graph_sin(g, x))));
        double *xd = filled(9, 256 * 512, -2, 2);
        sl_plan *p;
        CHECK(sl_plan_create(g, 1, &y, &p) == SL_OK, "chain plan");
        sl_plan_bind(p, x, xd);
        sl_plan_run(p);
        sums[f] = sl_plan_scalar(p, 0);
        bytes[f] = sl_plan_bytes(p);
        sl_plan_destroy(p);
        free(xd);
        sl_graph_destroy(g);
        sl_ctx_destroy(ctx);
    }
    unsetenv("SL_PLAN_FUSE");
    CHECK(bytes[1] + 256 * 511 * sizeof(double) <= bytes[0], "chain: fused arena %zu bytes, unfused %zu", bytes[1],
          bytes[0]);
    CHECK(memcmp(&sums[0], &sums[1], sizeof(double)) == 0, "chain: %.17g vs %.17g", sums[0], sums[1]);
}

/* ---- Finite differences through the fused path (SL_PLAN_FUSE=2) ----------------- */
static sl_node *b_silu_chain(sl_graph *g, sl_node **x)
{
    /* silu of a biased input times a second input, plus tanh of it */
    sl_node *v = sl_graph_add(g, x[0], x[1]);
    sl_node *s = sl_graph_silu(g, v);
    return sl_graph_add(g, sl_graph_mul(g, s, x[2]), sl_graph_tanh(g, sl_graph_mul_scalar(g, s, 0.5)));
}
static sl_node *b_block_bias(sl_graph *g, sl_node **x)
{
    sl_node *v = sl_graph_sub(g, x[0], x[1]);    /* (2, 5, 3) - (2, 1, 3) */
    return sl_graph_gelu(g, sl_graph_mul(g, sl_graph_tanh(g, v), sl_graph_add_scalar(g, sl_graph_square(g, v), 1.0)));
}
static sl_node *b_maps(sl_graph *g, sl_node **x) { return act_mix(g, x[0]); }
static sl_node *b_bias_tanh(sl_graph *g, sl_node **x)
{
    sl_node *y = sl_graph_tanh(g, sl_graph_add(g, x[0], x[1]));   /* the fused bias + tanh op */
    return sl_graph_mul(g, y, sl_graph_tanh(g, sl_graph_mul(g, y, x[0])));
}

static void test_fd(void)
{
    setenv("SL_PLAN_FUSE", "2", 1);
    fd_spec a = {.nin = 3, .dtype = {SL_F64, SL_F64, SL_F64}, .rank = {2, 1, 2},
                 .shape = {{5, 3}, {3}, {5, 3}}, .lo = -2, .hi = 2, .order = 3};
    fdcheck("fused silu chain (row bias)", &a, b_silu_chain);
    fd_spec b = {.nin = 2, .dtype = {SL_F64, SL_F64}, .rank = {3, 3}, .shape = {{2, 5, 3}, {2, 1, 3}},
                 .lo = -1.5, .hi = 1.5, .order = 3};
    fdcheck("fused (K,1,C) block bias, tanh, gelu", &b, b_block_bias);
    fd_spec c = {.nin = 1, .dtype = {SL_F64}, .rank = {2}, .shape = {{4, 5}}, .lo = -2, .hi = 2};
    fdcheck("fused chain of maps", &c, b_maps);
    fd_spec d = {.nin = 2, .dtype = {SL_F64, SL_F64}, .rank = {2, 1}, .shape = {{6, 3}, {3}}, .lo = -1, .hi = 1,
                 .order = 3};
    fdcheck("fused bias_tanh and its backward maps", &d, b_bias_tanh);
    unsetenv("SL_PLAN_FUSE");
}

int main(void)
{
    test_networks();
    test_chain_space();
    test_fd();
    return check_done();
}
