/* Dense networks (nn.h) and their activations: finite-difference first,
 * second (and third) derivatives of erf, SiLU, GELU, the dense layer and MLPs
 * with respect to inputs and weights; initialisation statistics; exact
 * oddness; the flat weight vector; bad input. */
#include <string.h>

#include "fdcheck.h"
#include "symlearn.h"

/* ---- The new ops ---------------------------------------------------------------- */
static sl_node *b_erf(sl_graph *g, sl_node **x) { return sl_graph_erf(g, x[0]); }
static sl_node *b_silu(sl_graph *g, sl_node **x) { return sl_graph_silu(g, x[0]); }
static sl_node *b_gelu(sl_graph *g, sl_node **x) { return sl_graph_gelu(g, x[0]); }
static sl_node *b_dense(sl_graph *g, sl_node **x)
{
    return sl_graph_tanh(g, sl_graph_dense(g, x[0], x[1], x[2]));
}
static sl_node *b_dense3(sl_graph *g, sl_node **x)   /* rank-3 batch, no bias */
{
    return sl_graph_sin(g, sl_graph_dense(g, x[0], x[1], NULL));
}

static void test_ops(void)
{
    fd_spec s = {.nin = 1, .dtype = {SL_F64}, .rank = {2}, .shape = {{3, 5}}, .lo = -3, .hi = 3, .order = 3};
    fdcheck("erf", &s, b_erf);
    fdcheck("silu", &s, b_silu);
    fdcheck("gelu", &s, b_gelu);
    fd_spec d = {.nin = 3, .dtype = {SL_F64, SL_F64, SL_F64}, .rank = {2, 2, 1},
                 .shape = {{4, 3}, {3, 2}, {2}}, .lo = -1, .hi = 1, .order = 3};
    fdcheck("dense (x W + b) -> tanh", &d, b_dense);
    fd_spec d3 = {.nin = 2, .dtype = {SL_F64, SL_F64}, .rank = {3, 2}, .shape = {{2, 3, 4}, {4, 2}},
                  .lo = -1, .hi = 1};
    fdcheck("dense rank 3, no bias -> sin", &d3, b_dense3);

    /* values against libm */
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    double xv[5] = {-6, -1.5, 0, 0.7, 4};
    sl_node *x = sl_graph_constant(g, SL_F64, 1, (int64_t[]){5}, xv);
    sl_node *outs[3] = {sl_graph_erf(g, x), sl_graph_silu(g, x), sl_graph_gelu(g, x)};
    sl_plan *p;
    CHECK(sl_plan_create(g, 3, outs, &p) == SL_OK && sl_plan_run(p) == SL_OK, "plan of erf/silu/gelu");
    const double *e = sl_plan_output(p, 0), *s1 = sl_plan_output(p, 1), *ge = sl_plan_output(p, 2);
    double worst = 0;
    for (int i = 0; i < 5; ++i) {
        double t = xv[i];
        worst = fmax(worst, fabs(e[i] - erf(t)));
        worst = fmax(worst, fabs(s1[i] - t / (1 + exp(-t))));
        worst = fmax(worst, fabs(ge[i] - 0.5 * t * (1 + erf(t / sqrt(2.0)))));
    }
    CHECK(worst < 1e-15, "erf/silu/gelu values: max error %.3g", worst);
    CHECK(strcmp(sl_node_op_name(outs[2]), "gelu") == 0, "op name %s", sl_node_op_name(outs[2]));
    sl_node *c = sl_graph_constant(g, SL_C128, 1, (int64_t[]){1}, (double[]){1, 1});
    CHECK(!sl_graph_gelu(g, c) && sl_graph_status(g) == SL_ERR_DTYPE && strstr(sl_ctx_errmsg(ctx), "sl_graph_gelu"),
          "gelu of c128 rejected: %s", sl_ctx_errmsg(ctx));
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

/* ---- MLPs w.r.t. their inputs (fdcheck) ------------------------------------------ */
static int g_act, g_odd, g_init;
static sl_mlp *g_nets[16];
static int g_nnets;

static sl_mlp *make_mlp(sl_graph *g, int act, int odd, int init, uint64_t seed)
{
    sl_mlp_opts o;
    sl_mlp_opts_init(&o);
    o.nlayers = 3;
    o.widths[0] = 3, o.widths[1] = 5, o.widths[2] = 4, o.widths[3] = 2;
    o.activation = act;
    o.odd = odd;
    o.init = init;
    o.seed = seed;
    sl_mlp *net = NULL;
    sl_status st = sl_mlp_create(g, &o, &net);
    CHECK(st == SL_OK, "sl_mlp_create act %d: %s", act, sl_ctx_errmsg(sl_graph_ctx(g)));
    return net;
}

static sl_node *b_mlp(sl_graph *g, sl_node **x)
{
    sl_mlp *net = make_mlp(g, g_act, g_odd, g_init, 7);
    g_nets[g_nnets++] = net;
    return sl_mlp_apply(net, x[0]);
}

static const int acts[5] = {SL_ACT_TANH, SL_ACT_SILU, SL_ACT_GELU, SL_ACT_SOFTPLUS, SL_ACT_SIN};
static const char *act_names[5] = {"tanh", "silu", "gelu", "softplus", "sin"};

static void test_mlp_inputs(void)
{
    fd_spec s = {.nin = 1, .dtype = {SL_F64}, .rank = {2}, .shape = {{4, 3}}, .lo = -1.5, .hi = 1.5, .order = 3};
    for (int a = 0; a < 5; ++a) {
        char name[64];
        g_act = acts[a];
        g_odd = 0;
        g_init = a % 3;
        snprintf(name, sizeof name, "mlp(x) %s, third order in x", act_names[a]);
        fdcheck(name, &s, b_mlp);
    }
    g_act = SL_ACT_TANH, g_odd = 1;
    fdcheck("odd mlp(x) tanh", &s, b_mlp);
    for (int i = 0; i < g_nnets; ++i) sl_mlp_destroy(g_nets[i]);
    g_nnets = 0;
}

/* ---- MLPs w.r.t. their weights ----------------------------------------------------
 * Two scalars of the weights theta: F = sum(c * f(x)) and the HNN-like
 * G = sum((d sum f / dx)^2) (a gradient inside); dF/dtheta, dG/dtheta and
 * the Hessian-vector product d<v, dG/dtheta>/dtheta against central
 * differences in every weight. */
static double max_err_print(const char *what, double e)
{
    printf("  %-48s max rel err %.2e\n", what, e);
    return e;
}

static void test_mlp_weights(void)
{
    for (int a = 0; a < 5; ++a) {
        sl_ctx *ctx;
        sl_ctx_create(&ctx, NULL);
        sl_graph *g;
        sl_graph_create(ctx, &g);
        sl_mlp *net = make_mlp(g, acts[a], 0, a % 3, 11);
        double xv[12], cv[8];
        sl_rng_fill_uniform(1, 0, 12, -1.5, 1.5, xv);
        sl_rng_fill_uniform(2, 0, 8, -1, 1, cv);
        sl_node *x = sl_graph_input(g, SL_F64, 2, (int64_t[]){4, 3}, "x");
        sl_node *c = sl_graph_constant(g, SL_F64, 2, (int64_t[]){4, 2}, cv);
        sl_node *y = sl_mlp_apply(net, x);
        sl_node *F = sl_graph_sum(g, sl_graph_mul(g, y, c));
        sl_node *dx = sl_graph_grad1(g, sl_graph_sum(g, y), x);
        sl_node *G = sl_graph_sum(g, sl_graph_square(g, dx));
        sl_node *const *ps;
        int np = sl_mlp_params(net, &ps);
        CHECK(np == 6, "%s: 6 params (got %d)", act_names[a], np);
        sl_node *gF[6], *gG[6], *gS[6];
        sl_graph_grad(g, F, np, ps, gF);
        sl_graph_grad(g, G, np, ps, gG);
        sl_node *S = NULL;   /* S = sum_i <v_i, dG/dtheta_i> */
        for (int i = 0; i < np; ++i) {
            int r = sl_node_rank(ps[i]);
            int64_t sh[2] = {sl_node_dim(ps[i], 0), r > 1 ? sl_node_dim(ps[i], 1) : 1};
            double v[64];
            sl_rng_fill_uniform(30 + (uint64_t)i, 0, (size_t)sl_node_numel(ps[i]), -1, 1, v);
            sl_node *t = sl_graph_sum(g, sl_graph_mul(g, gG[i], sl_graph_constant(g, SL_F64, r, sh, v)));
            S = S ? sl_graph_add(g, S, t) : t;
        }
        sl_graph_grad(g, S, np, ps, gS);
        CHECK(sl_graph_status(g) == SL_OK, "weights graph: %s", sl_ctx_errmsg(ctx));
        sl_node *outs[3 + 18];
        int no = 0;
        outs[no++] = F, outs[no++] = G, outs[no++] = S;
        for (int i = 0; i < np; ++i) outs[no++] = gF[i], outs[no++] = gG[i], outs[no++] = gS[i];
        sl_plan *p;
        sl_plan_create(g, no, outs, &p);
        sl_plan_bind(p, x, xv);
        double err[3] = {0, 0, 0};
        for (int i = 0; i < np; ++i) {
            double *w = sl_node_data(ps[i]);
            int64_t n = sl_node_numel(ps[i]);
            sl_plan_run(p);
            double an[3][64], scale[3] = {0, 0, 0};
            for (int k = 0; k < 3; ++k) {
                memcpy(an[k], sl_plan_output(p, 3 + 3 * i + k), sizeof(double) * (size_t)n);
                for (int64_t j = 0; j < n; ++j) scale[k] = fmax(scale[k], fabs(an[k][j]));
            }
            for (int64_t j = 0; j < n; ++j) {
                double w0 = w[j], h = 1e-5, fp[3], fm[3];
                w[j] = w0 + h;
                sl_plan_run(p);
                for (int k = 0; k < 3; ++k) fp[k] = sl_plan_scalar(p, k);
                w[j] = w0 - h;
                sl_plan_run(p);
                for (int k = 0; k < 3; ++k) fm[k] = sl_plan_scalar(p, k);
                w[j] = w0;
                for (int k = 0; k < 3; ++k)
                    err[k] = fmax(err[k], fabs((fp[k] - fm[k]) / (2 * h) - an[k][j]) / fmax(scale[k], 1e-3));
            }
        }
        char what[96];
        snprintf(what, sizeof what, "mlp %s: dF/dW", act_names[a]);
        CHECK(max_err_print(what, err[0]) < 1e-6, "%s %.3g", what, err[0]);
        snprintf(what, sizeof what, "mlp %s: dG/dW (G has d/dx inside)", act_names[a]);
        CHECK(max_err_print(what, err[1]) < 1e-6, "%s %.3g", what, err[1]);
        snprintf(what, sizeof what, "mlp %s: d<v, dG/dW>/dW (3rd order)", act_names[a]);
        CHECK(max_err_print(what, err[2]) < 1e-6, "%s %.3g", what, err[2]);
        sl_plan_destroy(p);
        sl_mlp_destroy(net);
        sl_graph_destroy(g);
        sl_ctx_destroy(ctx);
    }
}

/* ---- Initialisation ------------------------------------------------------------------ */
static void moments(const double *w, int64_t n, double *mean, double *var)
{
    double s = 0, s2 = 0;
    for (int64_t i = 0; i < n; ++i) s += w[i];
    *mean = s / (double)n;
    for (int64_t i = 0; i < n; ++i) s2 += (w[i] - *mean) * (w[i] - *mean);
    *var = s2 / (double)(n - 1);
}

static double orth_err(const double *w, int64_t rows, int64_t cols, double gain)
{
    /* W W^T (rows <= cols) or W^T W against gain^2 I */
    int byrow = rows <= cols;
    int64_t k = byrow ? rows : cols, m = byrow ? cols : rows;
    double e = 0;
    for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < k; ++j) {
            double d = 0;
            for (int64_t t = 0; t < m; ++t)
                d += byrow ? w[i * cols + t] * w[j * cols + t] : w[t * cols + i] * w[t * cols + j];
            e = fmax(e, fabs(d - (i == j ? gain * gain : 0)));
        }
    return e;
}

static void test_init(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    const int64_t in = 400, out = 600;
    for (int init = SL_INIT_GLOROT_UNIFORM; init <= SL_INIT_GLOROT_NORMAL; ++init) {
        sl_mlp_opts o;
        sl_mlp_opts_init(&o);
        o.nlayers = 1, o.widths[0] = in, o.widths[1] = out, o.init = init;
        sl_mlp *net;
        CHECK(sl_mlp_create(g, &o, &net) == SL_OK, "create %d", init);
        double mean, var, want = 2.0 / (double)(in + out);
        moments(sl_node_data(sl_mlp_param(net, 0)), in * out, &mean, &var);
        printf("  glorot %s %lldx%lld: mean %.2e, var/(2/(in+out)) = %.4f\n", init ? "normal " : "uniform",
               (long long)in, (long long)out, mean, var / want);
        CHECK(fabs(var / want - 1) < 0.01, "glorot %d variance %.5g vs %.5g", init, var, want);
        CHECK(fabs(mean) < 5 * sqrt(want / (double)(in * out)), "glorot %d mean %.3g", init, mean);
        const double *b = sl_node_data(sl_mlp_param(net, 1));
        int zero = 1;
        for (int64_t i = 0; i < out; ++i) zero &= b[i] == 0;
        CHECK(zero, "biases start at zero");
        sl_mlp_destroy(net);
    }
    /* Glorot uniform is exactly the benches' draw: stream ctx seed + seed + l */
    {
        sl_ctx_set_seed(ctx, 5);
        sl_mlp_opts o;
        sl_mlp_opts_init(&o);
        o.nlayers = 2, o.widths[0] = 4, o.widths[1] = 64, o.widths[2] = 1, o.seed = 2;
        sl_mlp *net;
        sl_mlp_create(g, &o, &net);
        double ref[256];
        double a = pow(6.0 / 65.0, 0.5);
        sl_rng_fill_uniform(5 + 2 + 1, 0, 64, -a, a, ref);
        CHECK(memcmp(ref, sl_node_data(sl_mlp_param(net, 2)), 64 * sizeof(double)) == 0,
              "layer 2 is sl_rng_fill_uniform(ctx seed + seed + 1)");
        sl_mlp_destroy(net);
        sl_ctx_set_seed(ctx, 0);
    }
    /* orthogonal: square, wide, tall, with a gain */
    const int64_t shapes[3][2] = {{64, 64}, {30, 80}, {80, 30}};
    for (int s = 0; s < 3; ++s) {
        sl_mlp_opts o;
        sl_mlp_opts_init(&o);
        o.nlayers = 1, o.widths[0] = shapes[s][0], o.widths[1] = shapes[s][1];
        o.init = SL_INIT_ORTHOGONAL;
        o.gain = s == 2 ? 2.0 : 1.0;
        sl_mlp *net;
        CHECK(sl_mlp_create(g, &o, &net) == SL_OK, "orthogonal create");
        double e = orth_err(sl_node_data(sl_mlp_param(net, 0)), shapes[s][0], shapes[s][1], o.gain);
        printf("  orthogonal %lldx%lld gain %g: max |W W^T - g^2 I| = %.2e\n", (long long)shapes[s][0],
               (long long)shapes[s][1], o.gain, e);
        CHECK(e < 1e-13, "orthogonal %lldx%lld: %.3g", (long long)shapes[s][0], (long long)shapes[s][1], e);
        sl_mlp_destroy(net);
    }
    /* same seeds, same bits; another context seed, other weights */
    {
        sl_mlp_opts o;
        sl_mlp_opts_init(&o);
        o.nlayers = 2, o.widths[0] = 3, o.widths[1] = 8, o.widths[2] = 2, o.init = SL_INIT_ORTHOGONAL;
        sl_mlp *n1, *n2, *n3;
        sl_mlp_create(g, &o, &n1);
        sl_mlp_create(g, &o, &n2);
        sl_ctx_set_seed(ctx, 99);
        sl_mlp_create(g, &o, &n3);
        int64_t nw = sl_mlp_nweights(n1);
        CHECK(nw == 3 * 8 + 8 + 8 * 2 + 2, "nweights %lld", (long long)nw);
        double w1[64], w2[64], w3[64];
        sl_mlp_get_weights(n1, w1), sl_mlp_get_weights(n2, w2), sl_mlp_get_weights(n3, w3);
        CHECK(memcmp(w1, w2, sizeof(double) * (size_t)nw) == 0, "same seed, same weights");
        CHECK(memcmp(w1, w3, sizeof(double) * (size_t)nw) != 0, "context seed changes the weights");
        /* set/get round trip, and the set values are what the network uses */
        CHECK(sl_mlp_set_weights(n3, w1) == SL_OK, "set_weights");
        sl_mlp_get_weights(n3, w3);
        CHECK(memcmp(w1, w3, sizeof(double) * (size_t)nw) == 0, "set/get round trip");
        w2[5] = NAN;
        CHECK(sl_mlp_set_weights(n3, w2) == SL_ERR_NONFINITE && strstr(sl_ctx_errmsg(ctx), "sl_mlp_set_weights: in[5]"),
              "NaN weight rejected: %s", sl_ctx_errmsg(ctx));
        sl_mlp_get_weights(n3, w3);
        CHECK(memcmp(w1, w3, sizeof(double) * (size_t)nw) == 0, "nothing written on failure");
        CHECK(strcmp(sl_node_name(sl_mlp_param(n1, 2)), "W2") == 0 && strcmp(sl_node_name(sl_mlp_param(n1, 3)), "b2") == 0,
              "param names");
        CHECK(sl_mlp_nlayers(n1) == 2 && sl_mlp_width(n1, 1) == 8 && sl_mlp_width(n1, 3) == 0, "queries");
        sl_mlp_destroy(n1), sl_mlp_destroy(n2), sl_mlp_destroy(n3);
        sl_ctx_set_seed(ctx, 0);
    }
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

/* ---- Odd networks: f(-x) = -f(x) bit for bit ---------------------------------------- */
static void test_odd(void)
{
    int odd_acts[2] = {SL_ACT_TANH, SL_ACT_SIN};
    for (int a = 0; a < 2; ++a)
        for (int init = 0; init < 3; ++init) {
            sl_ctx *ctx;
            sl_ctx_create(&ctx, NULL);
            sl_graph *g;
            sl_graph_create(ctx, &g);
            sl_mlp_opts o;
            sl_mlp_opts_init(&o);
            o.nlayers = 4;
            int64_t w[5] = {6, 64, 48, 64, 3};
            memcpy(o.widths, w, sizeof w);
            o.activation = odd_acts[a], o.odd = 1, o.init = init;
            sl_mlp *net;
            CHECK(sl_mlp_create(g, &o, &net) == SL_OK, "odd create");
            CHECK(sl_mlp_params(net, NULL) == 4, "odd: no biases (%d params)", sl_mlp_params(net, NULL));
            enum { B = 200 };
            static double xp[B * 6], xm[B * 6];
            sl_rng_fill_normal(3, 0, B * 6, 0, 2, xp);
            for (int i = 0; i < B * 6; ++i) xm[i] = -xp[i];
            sl_node *x1 = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 6}, "x");
            sl_node *x2 = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 6}, "mx");
            sl_node *outs[2] = {sl_mlp_apply(net, x1), sl_mlp_apply(net, x2)};
            sl_plan *p;
            sl_plan_create(g, 2, outs, &p);
            sl_plan_bind(p, x1, xp), sl_plan_bind(p, x2, xm);
            sl_plan_run(p);
            const double *f1 = sl_plan_output(p, 0), *f2 = sl_plan_output(p, 1);
            int exact = 1, nonzero = 0;
            for (int i = 0; i < B * 3; ++i) exact &= f2[i] == -f1[i], nonzero |= f1[i] != 0;
            CHECK(exact && nonzero, "odd %s init %d: f(-x) = -f(x) exactly", odd_acts[a] == SL_ACT_TANH ? "tanh" : "sin", init);
            sl_plan_destroy(p);
            sl_mlp_destroy(net);
            sl_graph_destroy(g);
            sl_ctx_destroy(ctx);
        }
}

/* ---- Bad input ---------------------------------------------------------------------- */
static void test_bad_input(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_mlp_opts o;
    sl_mlp *net = (sl_mlp *)&o;
#define BAD(expr, status, text)                                                                     \
    do {                                                                                            \
        net = (sl_mlp *)&o;                                                                         \
        sl_status st_ = (expr);                                                                     \
        CHECK(st_ == (status) && strstr(sl_ctx_errmsg(ctx), text) && (status == SL_ERR_NULL || !net), \
              "%s: status %d, message \"%s\" (want %d, \"%s\")", #expr, st_, sl_ctx_errmsg(ctx), status, text); \
    } while (0)
#define RESET() (sl_mlp_opts_init(&o), o.nlayers = 2, o.widths[0] = 3, o.widths[1] = 4, o.widths[2] = 1)
    RESET();
    CHECK(sl_mlp_create(NULL, &o, &net) == SL_ERR_NULL, "NULL graph");
    BAD(sl_mlp_create(g, NULL, &net), SL_ERR_NULL, "sl_mlp_create: opts is NULL");
    CHECK(sl_mlp_create(g, &o, NULL) == SL_ERR_NULL && strstr(sl_ctx_errmsg(ctx), "sl_mlp_create: out"), "NULL out");
    RESET(), o.nlayers = 0;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "sl_mlp_create: opts->nlayers = 0");
    RESET(), o.nlayers = SL_MLP_MAX_LAYERS + 1;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "sl_mlp_create: opts->nlayers = 17");
    RESET(), o.widths[1] = 0;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "sl_mlp_create: opts->widths[1] = 0");
    RESET(), o.widths[2] = -3;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "opts->widths[2] = -3");
    RESET(), o.widths[1] = (int64_t)1 << 40, o.widths[2] = (int64_t)1 << 40;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_SHAPE, "sl_mlp_create: a layer's in x out = 1099511627776 x 1099511627776");
    RESET(), o.widths[0] = INT64_MAX, o.widths[1] = INT64_MAX;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_SHAPE, "too large");
    RESET(), o.activation = 42;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "sl_mlp_create: opts->activation = 42");
    RESET(), o.activation = 0;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "opts->activation = 0");
    RESET(), o.init = 9;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "sl_mlp_create: opts->init = 9");
    RESET(), o.gain = NAN;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "sl_mlp_create: opts->gain = nan");
    RESET(), o.odd = 2;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "opts->odd = 2");
    const int even[3] = {SL_ACT_SILU, SL_ACT_GELU, SL_ACT_SOFTPLUS};
    const char *en[3] = {"silu", "gelu", "softplus"};
    for (int i = 0; i < 3; ++i) {
        char want[96];
        snprintf(want, sizeof want, "sl_mlp_create: opts->odd = 1 with activation %s", en[i]);
        RESET(), o.odd = 1, o.activation = even[i];
        BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, want);
    }
    RESET(), o.size = 8;
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_ARG, "sl_mlp_create: opts->size = 8");
    CHECK(sl_mlp_opts_init_sized(NULL, sizeof o) == SL_ERR_NULL && sl_mlp_opts_init_sized(&o, 4) == SL_ERR_ARG,
          "opts_init_sized NULL / small");
    {   /* a newer caller's struct with a set unknown tail is refused */
        unsigned char big[sizeof(sl_mlp_opts) + 16];
        memset(big, 0, sizeof big);
        sl_mlp_opts_init_sized((sl_mlp_opts *)big, sizeof big);
        ((sl_mlp_opts *)big)->nlayers = 1, ((sl_mlp_opts *)big)->widths[0] = 1, ((sl_mlp_opts *)big)->widths[1] = 1;
        CHECK(sl_mlp_create(g, (sl_mlp_opts *)big, &net) == SL_OK, "larger zero-tailed struct accepted");
        sl_mlp_destroy(net);
        big[sizeof(sl_mlp_opts) + 3] = 1;
        BAD(sl_mlp_create(g, (sl_mlp_opts *)big, &net), SL_ERR_UNSUPPORTED, "sl_mlp_create: opts->size");
    }
    const sl_mlp_opts lit = SL_MLP_OPTS_INIT;
    sl_mlp_opts_init(&o);
    CHECK(lit.size == o.size && lit.nlayers == o.nlayers && memcmp(lit.widths, o.widths, sizeof o.widths) == 0 &&
          lit.activation == o.activation && lit.init == o.init && lit.odd == o.odd && lit.bias == o.bias &&
          lit.gain == o.gain && lit.seed == o.seed, "SL_MLP_OPTS_INIT equals sl_mlp_opts_init");

    /* dense and apply: sticky graph errors naming the call */
    RESET();
    CHECK(sl_mlp_create(g, &o, &net) == SL_OK, "good create");
    sl_node *x = sl_graph_input(g, SL_F64, 2, (int64_t[]){5, 4}, "x");
    CHECK(!sl_mlp_apply(net, x) && sl_graph_status(g) == SL_ERR_SHAPE &&
          strstr(sl_ctx_errmsg(ctx), "sl_mlp_apply: x's last axis is 4 (the network takes 3 inputs)"),
          "apply width: %s", sl_ctx_errmsg(ctx));
    sl_mlp_destroy(net);
    sl_mlp_destroy(NULL);
    CHECK(sl_mlp_apply(NULL, NULL) == NULL && sl_mlp_nweights(NULL) == 0 && sl_mlp_param(NULL, 0) == NULL &&
          sl_mlp_get_weights(NULL, NULL) == SL_ERR_NULL && sl_mlp_set_weights(NULL, NULL) == SL_ERR_NULL,
          "NULL handles");
    sl_graph_destroy(g);
    const struct { int xr, wr, br; int64_t xs[2], ws[2], bs; sl_status st; const char *msg; } cases[] = {
        {2, 1, 0, {5, 3}, {3, 0}, 0, SL_ERR_SHAPE, "sl_graph_dense: W has rank 1"},
        {2, 2, 0, {5, 3}, {4, 2}, 0, SL_ERR_SHAPE, "sl_graph_dense: x's last axis is 3, W has 4 rows"},
        {2, 2, 1, {5, 3}, {3, 2}, 3, SL_ERR_SHAPE, "sl_graph_dense: b must have shape (2)"},
        {0, 2, 0, {0, 0}, {3, 2}, 0, SL_ERR_SHAPE, "sl_graph_dense: x is a scalar"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        sl_graph_create(ctx, &g);
        sl_node *xi = sl_graph_input(g, SL_F64, cases[i].xr, cases[i].xs, "x");
        sl_node *W = sl_graph_input(g, SL_F64, cases[i].wr, cases[i].ws, "W");
        sl_node *b = cases[i].br ? sl_graph_input(g, SL_F64, 1, &cases[i].bs, "b") : NULL;
        CHECK(!sl_graph_dense(g, xi, W, b) && sl_graph_status(g) == cases[i].st && strstr(sl_ctx_errmsg(ctx), cases[i].msg),
              "dense case %zu: %s", i, sl_ctx_errmsg(ctx));
        sl_graph_destroy(g);
    }
    sl_graph_create(ctx, &g);
    sl_node *xc = sl_graph_input(g, SL_C128, 2, (int64_t[]){2, 3}, "x");
    sl_node *Wf = sl_graph_input(g, SL_F64, 2, (int64_t[]){3, 2}, "W");
    CHECK(!sl_graph_dense(g, xc, Wf, NULL) && sl_graph_status(g) == SL_ERR_DTYPE &&
          strstr(sl_ctx_errmsg(ctx), "sl_graph_dense: x is c128, W is f64"), "dense dtype: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    CHECK(!sl_graph_dense(g, NULL, NULL, NULL) && sl_graph_status(g) == SL_ERR_NULL &&
          strstr(sl_ctx_errmsg(ctx), "sl_graph_dense"), "dense NULL: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    /* a graph with an error: sl_mlp_create refuses */
    sl_graph_create(ctx, &g);
    sl_graph_tanh(g, NULL);
    RESET();
    BAD(sl_mlp_create(g, &o, &net), SL_ERR_NULL, "sl_mlp_create: the graph has an error");
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
#undef BAD
#undef RESET
}

/* dense on rank 1 and rank 3 agrees with rank 2, bit for bit */
static void test_dense_ranks(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    double xv[24], wv[8], bv[2] = {0.5, -0.25};
    sl_rng_fill_normal(4, 0, 24, 0, 1, xv);
    sl_rng_fill_normal(5, 0, 8, 0, 1, wv);
    sl_node *W = sl_graph_constant(g, SL_F64, 2, (int64_t[]){4, 2}, wv);
    sl_node *b = sl_graph_constant(g, SL_F64, 1, (int64_t[]){2}, bv);
    sl_node *x2 = sl_graph_constant(g, SL_F64, 2, (int64_t[]){6, 4}, xv);
    sl_node *x3 = sl_graph_constant(g, SL_F64, 3, (int64_t[]){2, 3, 4}, xv);
    sl_node *x1 = sl_graph_constant(g, SL_F64, 1, (int64_t[]){4}, xv);
    sl_node *outs[3] = {sl_graph_dense(g, x2, W, b), sl_graph_dense(g, x3, W, b), sl_graph_dense(g, x1, W, b)};
    CHECK(sl_node_rank(outs[1]) == 3 && sl_node_dim(outs[1], 2) == 2 && sl_node_rank(outs[2]) == 1, "dense shapes");
    sl_plan *p;
    sl_plan_create(g, 3, outs, &p);
    sl_plan_run(p);
    const double *y2 = sl_plan_output(p, 0), *y3 = sl_plan_output(p, 1), *y1 = sl_plan_output(p, 2);
    double ref = bv[1];
    for (int k = 0; k < 4; ++k) ref += xv[k] * wv[k * 2 + 1];
    CHECK(memcmp(y2, y3, 12 * sizeof(double)) == 0 && fabs(y1[1] - ref) < 1e-14 && y1[0] == y2[0],
          "dense rank 1/3 match rank 2");
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

int main(void)
{
    test_ops();
    test_mlp_inputs();
    test_mlp_weights();
    test_init();
    test_odd();
    test_bad_input();
    test_dense_ranks();
    return check_done();
}
