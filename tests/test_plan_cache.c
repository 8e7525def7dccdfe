/* sl_plan_set_cache_data: the steps that depend on the bound data alone run
 * once per bind.  Checked: results bit-identical to an uncached plan while the
 * params change; the cached part really is reused (data changed in place
 * without a bind are, as documented, not seen by it) and a bind recomputes it;
 * turning it off; an L-CNN trained with Adam on a cached plan follows the
 * uncached one bit for bit (its Wilson-loop target and first-layer transports
 * are cached values read by every step). */
#include <string.h>

#include "check.h"
#include "symlearn.h"
#include "symlearn/lattice.h"

#include <complex.h>

/* loss = mean((w x + b - sin(2 x))^2): sin(2 x) is data-only, w x + b is not. */
typedef struct {
    sl_graph *g;
    sl_node *x, *w, *b, *loss, *dw;
} toy;

static toy toy_new(sl_ctx *ctx)
{
    toy t;
    double w0[4] = {0.5, -0.25, 1.5, 0.75}, b0 = 0.1;
    sl_graph_create(ctx, &t.g);
    t.x = sl_graph_input(t.g, SL_F64, 1, (int64_t[]){4}, "x");
    t.w = sl_graph_param(t.g, SL_F64, 1, (int64_t[]){4}, w0, "w");
    t.b = sl_graph_param(t.g, SL_F64, 0, NULL, &b0, "b");
    sl_node *y = sl_graph_sin(t.g, sl_graph_mul_scalar(t.g, t.x, 2.0));
    sl_node *r = sl_graph_sub(t.g, sl_graph_add(t.g, sl_graph_mul(t.g, t.w, t.x), t.b), y);
    t.loss = sl_graph_mean(t.g, sl_graph_square(t.g, r));
    t.dw = sl_graph_grad1(t.g, t.loss, t.w);
    return t;
}

static double toy_loss(const double *w, double b, const double *x, const double *xs)
{
    double s = 0;
    for (int i = 0; i < 4; ++i) {
        double r = w[i] * x[i] + b - sin(2 * xs[i]);
        s += r * r;
    }
    return s / 4;
}

static void test_toy(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    toy t = toy_new(ctx);
    sl_node *outs[2] = {t.loss, t.dw};
    sl_plan *ref = NULL, *p = NULL;
    CHECK(sl_plan_create(t.g, 2, outs, &ref) == SL_OK && sl_plan_create(t.g, 2, outs, &p) == SL_OK, "plans: %s",
          sl_ctx_errmsg(ctx));
    size_t bytes0 = sl_plan_bytes(p);
    CHECK(sl_plan_set_cache_data(p, 1) == SL_OK, "cache on: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_plan_bytes(p) >= bytes0, "the kept values have space: %zu vs %zu", sl_plan_bytes(p), bytes0);
    double x[4] = {0.3, -1.2, 2.5, 0.7}, x0[4];
    memcpy(x0, x, sizeof x);
    sl_plan_bind(ref, t.x, x);
    sl_plan_bind(p, t.x, x);
    double *w = sl_node_data(t.w), *b = sl_node_data(t.b);
    int same = 1;
    for (int run = 0; run < 5; ++run) {
        w[run % 4] += 0.125 * (run + 1);
        *b -= 0.0625;
        CHECK(sl_plan_run(ref) == SL_OK && sl_plan_run(p) == SL_OK, "run %d", run);
        same &= !memcmp(sl_plan_output(ref, 0), sl_plan_output(p, 0), sizeof(double));
        same &= !memcmp(sl_plan_output(ref, 1), sl_plan_output(p, 1), 4 * sizeof(double));
    }
    CHECK(same, "cached plan = uncached plan, bit for bit, while the params change");
    /* data changed in place, no bind: the cached sin(2 x) is the old one */
    x[1] = 0.9;
    sl_plan_run(p);
    CHECK_CLOSE(sl_plan_scalar(p, 0), toy_loss(w, *b, x, x0), 1e-15, "stale cached part without a bind");
    CHECK(fabs(sl_plan_scalar(p, 0) - toy_loss(w, *b, x, x)) > 1e-3, "the cached part was reused (%.6g vs %.6g)",
          sl_plan_scalar(p, 0), toy_loss(w, *b, x, x));
    /* a bind recomputes it */
    sl_plan_bind(p, t.x, x);
    sl_plan_run(p);
    CHECK_CLOSE(sl_plan_scalar(p, 0), toy_loss(w, *b, x, x), 1e-15, "rebind recomputes");
    /* a NaN put in place is not checked until the next bind */
    x[2] = NAN;
    CHECK(sl_plan_run(p) == SL_OK, "no check without a bind");
    sl_plan_bind(p, t.x, x);
    CHECK(sl_plan_run(p) == SL_ERR_NONFINITE, "NaN found after the bind: %s", sl_ctx_errmsg(ctx));
    x[2] = 2.5;
    /* off: every run reads the data */
    CHECK(sl_plan_set_cache_data(p, 0) == SL_OK, "cache off");
    sl_plan_run(p);
    x[3] = -0.4;
    sl_plan_run(p);
    CHECK_CLOSE(sl_plan_scalar(p, 0), toy_loss(w, *b, x, x), 1e-15, "uncached again: in-place change seen");
    CHECK(sl_plan_set_cache_data(NULL, 1) == SL_ERR_NULL, "NULL plan");
    sl_plan_destroy(ref);
    sl_plan_destroy(p);
    sl_graph_destroy(t.g);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
}

/* An L-CNN on SU(2) 6x6 links, loss vs the 2x2 Wilson loop (as bench/bench_lcnn.c). */
static void test_lcnn_training(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    const int64_t B = 2, L = 6, D = 2, V = L * L;
    double complex *U = malloc(sizeof(double complex) * (size_t)(B * V * D * 4));
    double *v = malloc(sizeof(double) * (size_t)(B * V * D * 3));
    sl_rng_fill_normal(3, 0, (size_t)(B * V * D * 3), 0, 1, v);
    for (int64_t l = 0; l < B * V * D; ++l) {
        const double *q = v + 3 * l;
        double r = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]), c = cos(r), s = sin(r) / r;
        U[4 * l + 0] = c + I * s * q[2];
        U[4 * l + 1] = s * q[1] + I * s * q[0];
        U[4 * l + 2] = -s * q[1] + I * s * q[0];
        U[4 * l + 3] = c - I * s * q[2];
    }
    double loss[2][6], par[2][16];
    int64_t np = 0;
    for (int cached = 0; cached < 2; ++cached) {
        sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
        o.nd = 2; o.nc = 2; o.nlayers = 2; o.seed = 5;
        o.channels[0] = o.channels[1] = 2;
        o.kernels[0] = o.kernels[1] = 2;
        sl_lcnn *net = NULL;
        sl_graph *g = NULL;
        CHECK(sl_lcnn_create(ctx, &o, &net) == SL_OK && sl_graph_create(ctx, &g) == SL_OK, "net: %s",
              sl_ctx_errmsg(ctx));
        sl_node *Un = sl_graph_input(g, SL_C128, 6, (int64_t[]){B, L, L, D, 2, 2}, "U");
        sl_node *params[SL_LCNN_MAX_LAYERS + 2];
        sl_node *pred = sl_lcnn_apply(net, g, Un, params);
        sl_node *wl = sl_graph_wilson_loop(g, Un, 0, 1, 2, 2);
        sl_node *target = sl_graph_mul_scalar(g, sl_graph_real(g, sl_graph_trace(g, wl)), 0.5);
        sl_node *l = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, pred, target)));
        sl_optim_opts oo;
        sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
        oo.lr = 1e-2;
        sl_optim *opt;
        CHECK(sl_optim_create(g, l, 4, params, &oo, &opt) == SL_OK, "optim: %s", sl_ctx_errmsg(ctx));
        sl_optim_bind(opt, Un, U);
        if (cached) CHECK(sl_plan_set_cache_data(sl_optim_plan(opt), 1) == SL_OK, "cache: %s", sl_ctx_errmsg(ctx));
        for (int s = 0; s < 6; ++s) sl_optim_step(opt, &loss[cached][s]);
        np = sl_lcnn_nparams(net);
        int64_t k = 0;
        for (int i = 0; i < 4; ++i)
            for (int64_t j = 0; j < sl_node_numel(params[i]) && k < 16; ++j) par[cached][k++] = ((double *)sl_node_data(params[i]))[j];
        sl_optim_destroy(opt);
        sl_graph_destroy(g);
        sl_lcnn_destroy(net);
    }
    CHECK(np > 0 && loss[0][5] < loss[0][0], "training lowers the loss: %.6g -> %.6g", loss[0][0], loss[0][5]);
    CHECK(!memcmp(loss[0], loss[1], sizeof loss[0]), "losses bit-identical with caching (%.17g vs %.17g at step 6)",
          loss[0][5], loss[1][5]);
    CHECK(!memcmp(par[0], par[1], sizeof par[0]), "params bit-identical with caching");
    free(U), free(v);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
}

int main(void)
{
    test_toy();
    test_lcnn_training();
    return check_done();
}
