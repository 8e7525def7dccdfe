/* The SU(2) contraction kernels (src/kernels/lat_su2.c), which the
 * L-CNN model uses for N = 2: on Haar-random SU(2) links the model's output,
 * its gradients with respect to every weight, its Hessian-vector products in
 * the weights (second derivatives through the vjps of the vjps) agree with the
 * same network built from sl_graph_gcmconv (the general complex kernels) to
 * rounding, and its gradient with respect to the links is the projection of
 * the general one onto the real span of SU(2).  Networks: two and three
 * layers, K = 2 and 3, dilation, the symmetric variant, more and fewer output
 * channels than transports (both orders of the B gradient), short site blocks.
 * And the model's output is invariant under Haar-random SU(2) gauge
 * transformations. */
#include "fdcheck.h"

typedef struct {
    int nl, ch[3], k[3], dilation, symmetric;
    int64_t batch, l0, l1;
} net_case;

/* The model's network from public graph ops on the model's own param nodes. */
static sl_node *general_net(sl_graph *g, sl_node *U, sl_node **params, const net_case *c)
{
    sl_node *W = sl_graph_plaquette(g, U, 1, 0);
    for (int i = 0; i < c->nl; ++i) W = sl_graph_gcmconv(g, U, W, params[i], c->k[i], c->dilation, c->symmetric);
    sl_node *y = sl_graph_add(g, sl_graph_matmul(g, sl_graph_trace_features(g, W), params[c->nl]), params[c->nl + 1]);
    int64_t shape[3] = {c->batch, c->l0, c->l1};
    return sl_graph_reshape(g, y, 3, shape);
}

/* max |a - b| over n doubles, and max |b| */
static double maxdiff(const double *a, const double *b, int64_t n, double *scale)
{
    double e = 0;
    *scale = 0;
    for (int64_t i = 0; i < n; ++i) { e = fmax(e, fabs(a[i] - b[i])); *scale = fmax(*scale, fabs(b[i])); }
    return e;
}

/* The projection onto the real span of SU(2) (quaternion coordinates, back to
 * 2 x 2 complex), in place over n matrices. */
static void project_su2_span(double *m, int64_t n)
{
    for (int64_t k = 0; k < n; ++k) {
        double *e = m + 8 * k;
        double a0 = 0.5 * (e[0] + e[6]), a1 = 0.5 * (e[3] + e[5]), a2 = 0.5 * (e[2] - e[4]), a3 = 0.5 * (e[1] - e[7]);
        e[0] = a0; e[1] = a3; e[2] = a2; e[3] = a1; e[4] = -a2; e[5] = a1; e[6] = a0; e[7] = -a3;
    }
}

static void test_case(const net_case *c)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nd = 2; o.nc = 2; o.nlayers = c->nl; o.seed = 17;
    o.dilation = c->dilation; o.symmetric = c->symmetric;
    for (int i = 0; i < c->nl; ++i) { o.channels[i] = c->ch[i]; o.kernels[i] = c->k[i]; }
    sl_lcnn *net = NULL;
    sl_graph *g;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_OK, "create: %s", sl_ctx_errmsg(ctx));
    sl_graph_create(ctx, &g);
    int64_t us[6] = {c->batch, c->l0, c->l1, 2, 2, 2};
    sl_node *U = sl_graph_input(g, SL_C128, 6, us, "U");
    sl_node *params[SL_LCNN_MAX_LAYERS + 2];
    sl_node *yq = sl_lcnn_apply(net, g, U, params), *yg = general_net(g, U, params, c);
    int np = c->nl + 2;
    /* per network: y, dL/dU, dL/dparams (np), Hessian-vector products in the params (np) */
    enum { MAXO = 2 * (2 + 2 * (3 + 2)) };
    sl_node *outs[MAXO], *xs[1 + SL_LCNN_MAX_LAYERS + 2];
    xs[0] = U;
    for (int i = 0; i < np; ++i) xs[1 + i] = params[i];
    int no = 2 + 2 * np;
    for (int net_i = 0; net_i < 2; ++net_i) {
        sl_node *y = net_i ? yg : yq, **o2 = outs + net_i * no;
        o2[0] = y;
        sl_node *L = fd_contract(g, y, 7);
        sl_graph_grad(g, L, 1 + np, xs, o2 + 1);
        sl_node *S = fd_direction(g, xs + 1, o2 + 2, np, 11);
        sl_graph_grad(g, S, np, xs + 1, o2 + 2 + np);
    }
    sl_plan *p = NULL;
    CHECK(sl_graph_status(g) == SL_OK && sl_plan_create(g, 2 * no, outs, &p) == SL_OK, "build: %s",
          sl_ctx_errmsg(ctx));
    if (p) {
        int64_t nlinks = sl_node_numel(U) / 4;
        double *u = malloc(sizeof(double) * (size_t)(8 * nlinks));
        sl_su_random(ctx, 2, nlinks, 5, u);
        sl_plan_bind(p, U, u);
        CHECK(sl_plan_run(p) == SL_OK, "run: %s", sl_ctx_errmsg(ctx));
        for (int k = 0; k < no; ++k) {
            const double *a = sl_plan_output(p, k), *b = sl_plan_output(p, no + k);
            int64_t n = sl_node_numel(outs[k]) * (sl_node_dtype(outs[k]) == SL_C128 ? 2 : 1);
            double *bb = NULL, scale, err;
            if (k == 1) {   /* dL/dU: the projection of the general gradient */
                bb = malloc(sizeof(double) * (size_t)n);
                memcpy(bb, b, sizeof(double) * (size_t)n);
                project_su2_span(bb, n / 8);
                b = bb;
            }
            err = maxdiff(a, b, n, &scale);
            const char *what = k == 0 ? "output" : k == 1 ? "P(dL/dU)" : k < 2 + np ? "dL/dparam" : "H v (params)";
            CHECK((scale > 0 || k >= 2 + np) && err <= 1e-12 * scale,   /* the bias has no curvature */ "layers %d, K %d, ch %d, dil %d, sym %d, %lld sites: %s #%d su2 vs general %.3g (scale %.3g)",
                  c->nl, c->k[0], c->ch[0], c->dilation, c->symmetric, (long long)(c->batch * c->l0 * c->l1), what, k,
                  err, scale);
            free(bb);
        }
        /* the SU(2) gradient is in the span (to the rounding of the plaquette's
         * general products): projecting it changes nothing */
        int64_t n = 2 * sl_node_numel(outs[1]);
        double *d = malloc(sizeof(double) * (size_t)n), scale;
        memcpy(d, sl_plan_output(p, 1), sizeof(double) * (size_t)n);
        project_su2_span(d, n / 8);
        double err = maxdiff(d, sl_plan_output(p, 1), n, &scale);
        CHECK(err <= 1e-14 * scale, "dL/dU lies in the real span of SU(2): %.3g (scale %.3g)", err, scale);
        free(d);
        free(u);
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    sl_lcnn_destroy(net);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
}

/* The SU(2) model's per-site output is gauge invariant under Haar-random
 * SU(2) transformations, and a trained model does not care which kernels ran. */
static void test_invariance(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nd = 2; o.nc = 2; o.nlayers = 2; o.seed = 3;
    o.channels[0] = 4; o.channels[1] = 3;
    o.kernels[0] = 3; o.kernels[1] = 2;
    sl_lcnn *net = NULL;
    sl_gauge *U = NULL;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_OK && sl_gauge_create(ctx, 2, (int64_t[]){6, 5}, 2, &U) == SL_OK,
          "create: %s", sl_ctx_errmsg(ctx));
    sl_gauge_randomize(U, 9);
    int64_t V = sl_gauge_volume(U);
    double *y0 = malloc(sizeof(double) * (size_t)V), *y1 = malloc(sizeof(double) * (size_t)V);
    double *om = malloc(sizeof(double) * (size_t)(8 * V));
    sl_lcnn_predict(net, U, y0);
    double worst = 0, scale = 0;
    for (uint64_t t = 0; t < 3; ++t) {
        sl_su_random(ctx, 2, V, 40 + t, om);
        CHECK(sl_gauge_transform(U, om) == SL_OK, "transform: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_lcnn_predict(net, U, y1) == SL_OK, "predict: %s", sl_ctx_errmsg(ctx));
        worst = fmax(worst, maxdiff(y1, y0, V, &scale));
    }
    CHECK(scale > 0.01 && worst < 1e-12 * scale, "gauge invariance of the SU(2) model: %.3g (scale %.3g)", worst, scale);
    /* U(2) links (an SU(2) link times a phase) are refused, not projected */
    int64_t nl = 2 * V;
    double *links = malloc(sizeof(double) * (size_t)(8 * nl)), tgt[1] = {0};
    sl_su_random(ctx, 2, nl, 77, links);
    double c = cos(0.3), s = sin(0.3), *e = links + 8 * 7;
    for (int k = 0; k < 4; ++k) {
        double re = e[2 * k], im = e[2 * k + 1];
        e[2 * k] = c * re - s * im;
        e[2 * k + 1] = s * re + c * im;
    }
    int64_t dims[2] = {6, 5};
    CHECK(sl_lcnn_predict_batch(net, 1, dims, links, y1) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "link 7"),
          "U(2) link refused by predict: %s", sl_ctx_errmsg(ctx));
    sl_lcnn_opts oo = o;
    oo.head = SL_LCNN_HEAD_POOLED;
    sl_lcnn *pool = NULL;
    sl_lcnn_create(ctx, &oo, &pool);
    CHECK(sl_lcnn_train(pool, 1, 0, dims, links, tgt, NULL) == SL_ERR_ARG, "U(2) link refused by train: %s",
          sl_ctx_errmsg(ctx));
    sl_lcnn_destroy(pool);
    free(links);
    free(y0), free(y1), free(om);
    sl_gauge_destroy(U);
    sl_lcnn_destroy(net);
    sl_ctx_destroy(ctx);
}

int main(void)
{
    test_invariance();
    (void)fdcheck;   /* the helpers of fdcheck.h are used, the check itself is not */
    static const net_case cases[] = {
        {2, {4, 4}, {3, 3}, 0, 0, 2, 4, 4},    /* the lcnn benchmark's network: Cout < 2M in layer 2 */
        {2, {6, 2}, {2, 2}, 0, 0, 1, 3, 5},    /* Cout > 2M in layer 1; one short block (15 sites) */
        {3, {2, 3, 1}, {2, 3, 2}, 1, 0, 1, 4, 6},   /* dilation */
        {2, {2, 2}, {2, 2}, 0, 1, 2, 8, 9},    /* symmetric; full blocks and a short one */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) test_case(&cases[i]);
    return check_done();
}
