/* Optimisers: closed-form iterates (SGD, first Adam step, AdamW decay),
 * convergence (Adam, amsgrad, momentum, L-BFGS on Rosenbrock, complex params),
 * and bad input. */
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "symlearn.h"

typedef struct { sl_ctx *ctx; sl_graph *g; } env;

static env env_new(void)
{
    env e;
    sl_ctx_create(&e.ctx, NULL);
    sl_graph_create(e.ctx, &e.g);
    return e;
}

static void env_free(env e)
{
    sl_graph_destroy(e.g);
    CHECK(sl_ctx_bytes_in_use(e.ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(e.ctx));
    sl_ctx_destroy(e.ctx);
}

/* f = 1/2 sum a_i x_i^2: plain SGD gives x_k = (1 - lr a)^k x_0 exactly. */
static void test_sgd_closed_form(void)
{
    env e = env_new();
    double a[3] = {0.5, 1.0, 2.0}, x0[3] = {1.0, -2.0, 0.5};
    sl_node *x = sl_graph_param(e.g, SL_F64, 1, (int64_t[]){3}, x0, "x");
    sl_node *an = sl_graph_constant(e.g, SL_F64, 1, (int64_t[]){3}, a);
    sl_node *f = sl_graph_mul_scalar(e.g, sl_graph_sum(e.g, sl_graph_mul(e.g, an, sl_graph_square(e.g, x))), 0.5);
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_SGD);
    o.lr = 0.1;
    sl_optim *opt;
    CHECK(sl_optim_create(e.g, f, 0, NULL, &o, &opt) == SL_OK, "create: %s", sl_ctx_errmsg(e.ctx));
    for (int k = 0; k < 20; ++k) sl_optim_step(opt, NULL);
    const double *xv = sl_node_data(x);
    double err = 0;
    for (int i = 0; i < 3; ++i) err = fmax(err, fabs(xv[i] - pow(1 - 0.1 * a[i], 20) * x0[i]));
    CHECK(err < 1e-14, "SGD iterates vs closed form: %.3g", err);
    CHECK(sl_optim_steps(opt) == 20, "step count");
    sl_optim_destroy(opt);
    /* momentum converges */
    memcpy(sl_node_data(x), x0, sizeof x0);
    o.momentum = 0.9;
    o.nesterov = 1;
    sl_optim_create(e.g, f, 1, &x, &o, &opt);
    double loss = 1;
    for (int k = 0; k < 300; ++k) sl_optim_step(opt, &loss);
    CHECK(loss < 1e-12, "nesterov momentum converges: %.3g", loss);
    sl_optim_destroy(opt);
    env_free(e);
}

/* First Adam step: m_hat = g, v_hat = g^2, so x -= lr g / (|g| + eps). */
static void test_adam(void)
{
    env e = env_new();
    double x0[4] = {1.0, -2.0, 0.5, 3.0};
    sl_node *x = sl_graph_param(e.g, SL_F64, 1, (int64_t[]){4}, x0, "x");
    sl_node *f = sl_graph_sum(e.g, sl_graph_mul(e.g, sl_graph_square(e.g, x), sl_graph_add_scalar(e.g, x, 5.0)));
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    o.lr = 0.01;
    sl_optim *opt;
    sl_optim_create(e.g, f, 1, &x, &o, &opt);
    sl_optim_step(opt, NULL);
    const double *xv = sl_node_data(x);
    double err = 0;
    for (int i = 0; i < 4; ++i) {
        double gi = 3 * x0[i] * x0[i] + 10 * x0[i];
        err = fmax(err, fabs(xv[i] - (x0[i] - 0.01 * gi / (fabs(gi) + 1e-8))));
    }
    CHECK(err < 1e-15, "first Adam step: %.3g", err);
    sl_optim_destroy(opt);
    /* Adam and amsgrad converge on a shifted quadratic */
    for (int ams = 0; ams < 2; ++ams) {
        sl_graph *g;
        sl_graph_create(e.ctx, &g);
        double t[4] = {0.3, -0.7, 1.1, 2.0}, z[4] = {0};
        sl_node *p = sl_graph_param(g, SL_F64, 1, (int64_t[]){4}, z, "p");
        sl_node *c = sl_graph_constant(g, SL_F64, 1, (int64_t[]){4}, t);
        sl_node *l = sl_graph_sum(g, sl_graph_square(g, sl_graph_sub(g, p, c)));
        o.lr = 0.05;
        o.amsgrad = ams;
        sl_optim_create(g, l, 0, NULL, &o, &opt);
        double loss;
        for (int k = 0; k < 2000; ++k) sl_optim_step(opt, &loss);
        CHECK(loss < 1e-10, "Adam%s converges: %.3g", ams ? " (amsgrad)" : "", loss);
        sl_optim_destroy(opt);
        sl_graph_destroy(g);
    }
    env_free(e);
}

/* AdamW with a zero gradient only decays: p_k = (1 - lr wd)^k p_0. */
static void test_adamw_decay(void)
{
    env e = env_new();
    double p0[2] = {2.0, -1.0};
    sl_node *p = sl_graph_param(e.g, SL_F64, 1, (int64_t[]){2}, p0, "p");
    sl_node *f = sl_graph_mul_scalar(e.g, sl_graph_sum(e.g, p), 0.0);
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_ADAMW);
    o.lr = 0.1;
    o.weight_decay = 0.5;
    sl_optim *opt;
    CHECK(sl_optim_create(e.g, f, 1, &p, &o, &opt) == SL_OK, "adamw");
    for (int k = 0; k < 10; ++k) sl_optim_step(opt, NULL);
    const double *pv = sl_node_data(p);
    CHECK(fabs(pv[0] - 2.0 * pow(0.95, 10)) < 1e-14 && fabs(pv[1] + pow(0.95, 10)) < 1e-14, "AdamW decay %.17g", pv[0]);
    sl_optim_destroy(opt);
    env_free(e);
}

/* Rosenbrock (1 - x)^2 + 100 (y - x^2)^2 from (-1.2, 1): minimum (1, 1). */
static void test_lbfgs(void)
{
    env e = env_new();
    double v0[2] = {-1.2, 1.0};
    sl_node *v = sl_graph_param(e.g, SL_F64, 1, (int64_t[]){2}, v0, "v");
    sl_node *x = sl_graph_slice(e.g, v, 0, 0, 1, 1), *y = sl_graph_slice(e.g, v, 0, 1, 2, 1);
    sl_node *f = sl_graph_sum(e.g, sl_graph_add(e.g, sl_graph_square(e.g, sl_graph_rsub_scalar(e.g, x, 1.0)),
        sl_graph_mul_scalar(e.g, sl_graph_square(e.g, sl_graph_sub(e.g, y, sl_graph_square(e.g, x))), 100.0)));
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_LBFGS);
    o.max_iter = 100;
    o.max_eval = 200;
    o.tolerance_change = 1e-15;
    o.tolerance_grad = 1e-12;
    sl_optim *opt;
    CHECK(sl_optim_create(e.g, f, 1, &v, &o, &opt) == SL_OK, "lbfgs create: %s", sl_ctx_errmsg(e.ctx));
    for (int k = 0; k < 5; ++k) sl_optim_step(opt, NULL);
    double loss;
    sl_optim_eval(opt, &loss);
    const double *vv = sl_node_data(v);
    CHECK(fabs(vv[0] - 1) < 1e-6 && fabs(vv[1] - 1) < 1e-6 && loss < 1e-12, "L-BFGS Rosenbrock: (%.10g, %.10g) loss %.3g",
          vv[0], vv[1], loss);
    sl_optim_destroy(opt);
    env_free(e);
}

/* Complex params: minimise sum |z - t|^2 + |z|^4 with Adam and L-BFGS; the
 * minimiser solves z (1 + 2|z|^2) = t componentwise. */
static void test_complex_params(void)
{
    for (int kind = SL_OPTIM_ADAM; kind <= SL_OPTIM_LBFGS; kind += SL_OPTIM_LBFGS - SL_OPTIM_ADAM) {
        env e = env_new();
        double t[4] = {0.6, -0.2, -0.3, 0.8}, z0[4] = {0};
        sl_node *z = sl_graph_param(e.g, SL_C128, 1, (int64_t[]){2}, z0, "z");
        sl_node *tc = sl_graph_constant(e.g, SL_C128, 1, (int64_t[]){2}, t);
        sl_node *a2 = sl_graph_square(e.g, sl_graph_abs(e.g, z));
        sl_node *f = sl_graph_add(e.g, sl_graph_sum(e.g, sl_graph_square(e.g, sl_graph_abs(e.g, sl_graph_sub(e.g, z, tc)))),
                                  sl_graph_sum(e.g, sl_graph_square(e.g, a2)));
        sl_optim_opts o;
        sl_optim_opts_init(&o, kind);
        if (kind == SL_OPTIM_ADAM) o.lr = 0.01;
        o.tolerance_change = 1e-15;
        o.tolerance_grad = 1e-12;
        sl_optim *opt;
        CHECK(sl_optim_create(e.g, f, 1, &z, &o, &opt) == SL_OK, "complex optim: %s", sl_ctx_errmsg(e.ctx));
        for (int k = 0; k < (kind == SL_OPTIM_ADAM ? 3000 : 5); ++k) sl_optim_step(opt, NULL);
        const double *zv = sl_node_data(z);
        double err = 0;
        for (int i = 0; i < 2; ++i) {
            double m2 = zv[2 * i] * zv[2 * i] + zv[2 * i + 1] * zv[2 * i + 1];
            err = fmax(err, fabs(zv[2 * i] * (1 + 2 * m2) - t[2 * i]));
            err = fmax(err, fabs(zv[2 * i + 1] * (1 + 2 * m2) - t[2 * i + 1]));
        }
        CHECK(err < (kind == SL_OPTIM_ADAM ? 1e-6 : 1e-9), "%s on complex params: stationarity %.3g",
              kind == SL_OPTIM_ADAM ? "Adam" : "L-BFGS", err);
        sl_optim_destroy(opt);
        env_free(e);
    }
}

static void test_bad_input(void)
{
    env e = env_new();
    double one = 1;
    sl_node *p = sl_graph_param(e.g, SL_F64, 0, NULL, &one, "p");
    sl_node *in = sl_graph_input(e.g, SL_F64, 1, (int64_t[]){2}, "in");
    sl_node *vec = sl_graph_mul(e.g, in, p);
    sl_node *f = sl_graph_sum(e.g, vec);
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    sl_optim *opt = (sl_optim *)&o;
    CHECK(sl_optim_create(NULL, f, 0, NULL, &o, &opt) == SL_ERR_NULL, "NULL graph");
    CHECK(sl_optim_create(e.g, f, 0, NULL, NULL, &opt) == SL_ERR_NULL && opt == NULL, "NULL opts");
    CHECK(sl_optim_create(e.g, vec, 0, NULL, &o, &opt) == SL_ERR_SHAPE, "vector loss");
    CHECK(sl_optim_create(e.g, f, 1, &in, &o, &opt) == SL_ERR_ARG, "input as param");
    CHECK(strstr(sl_ctx_errmsg(e.ctx), "params[0]") != NULL, "message: %s", sl_ctx_errmsg(e.ctx));
    o.lr = -1;
    CHECK(sl_optim_create(e.g, f, 0, NULL, &o, &opt) == SL_ERR_ARG, "negative lr");
    sl_optim_opts_init(&o, 99);
    CHECK(sl_optim_create(e.g, f, 0, NULL, &o, &opt) == SL_ERR_ARG, "bad kind");
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    o.size = 8;
    CHECK(sl_optim_create(e.g, f, 0, NULL, &o, &opt) == SL_ERR_ARG, "bad opts size");
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    CHECK(sl_optim_create(e.g, f, 0, NULL, &o, &opt) == SL_OK, "valid");
    CHECK(sl_optim_step(opt, NULL) == SL_ERR_UNBOUND, "unbound input");
    double bad[2] = {1.0, NAN};
    sl_optim_bind(opt, in, bad);
    CHECK(sl_optim_step(opt, NULL) == SL_ERR_NONFINITE, "NaN input");
    CHECK(*(double *)sl_node_data(p) == 1.0, "params untouched after NaN");
    double good[2] = {1e308, 1e308};
    sl_optim_bind(opt, in, good);
    CHECK(sl_optim_step(opt, NULL) == SL_ERR_NONFINITE, "overflowing loss");
    CHECK(*(double *)sl_node_data(p) == 1.0, "params untouched after Inf loss");
    CHECK(sl_optim_set_lr(opt, 0) == SL_ERR_ARG, "set_lr 0");
    CHECK(sl_optim_step(NULL, NULL) == SL_ERR_NULL, "step NULL");
    sl_optim_destroy(opt);
    sl_optim_destroy(NULL);
    env_free(e);
}

/* Every float option rejects NaN and +-Inf, every 0/1 flag rejects 2, for
 * every kind; the L-BFGS history is bounded (issue 9).  Before the checks a
 * NaN momentum made SGD write through a NULL buffer, and NaN weight decay or
 * dampening returned OK with NaN params. */
static void test_option_values(void)
{
    env e = env_new();
    double x0[2] = {1.0, -2.0};
    sl_node *x = sl_graph_param(e.g, SL_F64, 1, (int64_t[]){2}, x0, "x");
    sl_node *f = sl_graph_sum(e.g, sl_graph_square(e.g, x));
    static const struct { const char *name; size_t off; } dbl[] = {
        {"lr", offsetof(sl_optim_opts, lr)}, {"momentum", offsetof(sl_optim_opts, momentum)},
        {"dampening", offsetof(sl_optim_opts, dampening)}, {"beta1", offsetof(sl_optim_opts, beta1)},
        {"beta2", offsetof(sl_optim_opts, beta2)}, {"eps", offsetof(sl_optim_opts, eps)},
        {"weight_decay", offsetof(sl_optim_opts, weight_decay)},
        {"tolerance_grad", offsetof(sl_optim_opts, tolerance_grad)},
        {"tolerance_change", offsetof(sl_optim_opts, tolerance_change)},
    };
    static const struct { const char *name; size_t off; } flags[] = {
        {"nesterov", offsetof(sl_optim_opts, nesterov)}, {"amsgrad", offsetof(sl_optim_opts, amsgrad)},
        {"line_search", offsetof(sl_optim_opts, line_search)},
    };
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    int rejected = 0, total = 0;
    for (int kind = SL_OPTIM_SGD; kind <= SL_OPTIM_LBFGS; ++kind) {
        for (size_t i = 0; i < sizeof dbl / sizeof dbl[0]; ++i)
            for (int b = 0; b < 3; ++b) {
                sl_optim_opts o;
                sl_optim_opts_init(&o, kind);
                memcpy((char *)&o + dbl[i].off, &bad[b], sizeof(double));
                sl_optim *opt = (sl_optim *)&o;
                sl_status st = sl_optim_create(e.g, f, 0, NULL, &o, &opt);
                total++;
                if (st == SL_ERR_ARG && opt == NULL && strstr(sl_ctx_errmsg(e.ctx), dbl[i].name) &&
                    !strncmp(sl_ctx_errmsg(e.ctx), "sl_optim_create", 15))
                    rejected++;
                else
                    CHECK(0, "kind %d %s = %g: status %d, message '%s'", kind, dbl[i].name, bad[b], st,
                          sl_ctx_errmsg(e.ctx));
                if (st == SL_OK) {
                    sl_optim_step(opt, NULL);   /* crashed for SGD with NaN momentum */
                    sl_optim_destroy(opt);
                    memcpy(sl_node_data(x), x0, sizeof x0);
                }
            }
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; ++i) {
            sl_optim_opts o;
            sl_optim_opts_init(&o, kind);
            if (kind == SL_OPTIM_SGD) o.momentum = 0.5;   /* so that nesterov = 1 would be valid */
            int two = 2;
            memcpy((char *)&o + flags[i].off, &two, sizeof two);
            sl_optim *opt = NULL;
            sl_status st = sl_optim_create(e.g, f, 0, NULL, &o, &opt);
            total++;
            CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(e.ctx), flags[i].name), "kind %d %s = 2: %d '%s'",
                  kind, flags[i].name, st, sl_ctx_errmsg(e.ctx));
            rejected += st == SL_ERR_ARG;
            sl_optim_destroy(opt);
        }
    }
    CHECK(rejected == total, "%d of %d bad option values rejected", rejected, total);
    /* SGD with a NaN momentum, weight decay or dampening: params unchanged */
    const size_t sgd_off[3] = {offsetof(sl_optim_opts, momentum), offsetof(sl_optim_opts, weight_decay),
                               offsetof(sl_optim_opts, dampening)};
    for (int i = 0; i < 3; ++i) {
        sl_optim_opts o;
        sl_optim_opts_init(&o, SL_OPTIM_SGD);
        if (i == 2) o.momentum = 0.5;
        double nan = NAN;
        memcpy((char *)&o + sgd_off[i], &nan, sizeof nan);
        sl_optim *opt = NULL;
        if (sl_optim_create(e.g, f, 0, NULL, &o, &opt) == SL_OK) {
            sl_optim_step(opt, NULL);
            sl_optim_destroy(opt);
        }
        const double *xv = sl_node_data(x);
        CHECK(xv[0] == x0[0] && xv[1] == x0[1], "SGD NaN option %d: params changed to (%g, %g)", i, xv[0], xv[1]);
        memcpy(sl_node_data(x), x0, sizeof x0);
    }
    /* L-BFGS history: 1..1024 (2^30 would zero-fill 2 x 2^30 x n doubles) */
    const int hist[4] = {0, -1, 1025, 1 << 30};
    for (int i = 0; i < 4; ++i) {
        sl_optim_opts o;
        sl_optim_opts_init(&o, SL_OPTIM_LBFGS);
        o.history = hist[i];
        sl_optim *opt = NULL;
        size_t before = sl_ctx_bytes_in_use(e.ctx);
        sl_status st = sl_optim_create(e.g, f, 0, NULL, &o, &opt);
        CHECK(st == SL_ERR_ARG && opt == NULL && strstr(sl_ctx_errmsg(e.ctx), "history"),
              "history = %d: %d '%s'", hist[i], st, sl_ctx_errmsg(e.ctx));
        CHECK(sl_ctx_bytes_in_use(e.ctx) == before, "history = %d allocated nothing", hist[i]);
        sl_optim_destroy(opt);
    }
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_LBFGS);
    o.history = 1024;
    sl_optim *opt = NULL;
    CHECK(sl_optim_create(e.g, f, 0, NULL, &o, &opt) == SL_OK, "history = 1024 accepted: %s", sl_ctx_errmsg(e.ctx));
    double loss = -1;
    CHECK(sl_optim_step(opt, &loss) == SL_OK && loss == 5.0, "L-BFGS step with history 1024: loss %g", loss);
    sl_optim_destroy(opt);
    /* messages of sl_optim_eval and sl_optim_bind name them, not sl_optim_step / sl_plan_bind */
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    sl_node *in = sl_graph_input(e.g, SL_F64, 0, NULL, "in");
    sl_node *f2 = sl_graph_mul(e.g, f, in);
    CHECK(sl_optim_create(e.g, f2, 0, NULL, &o, &opt) == SL_OK, "create with input");
    double inf = INFINITY;
    sl_optim_bind(opt, in, &inf);
    sl_plan_set_check_finite(sl_optim_plan(opt), 0);
    CHECK(sl_optim_eval(opt, &loss) == SL_ERR_NONFINITE && !strncmp(sl_ctx_errmsg(e.ctx), "sl_optim_eval:", 14),
          "eval message: %s", sl_ctx_errmsg(e.ctx));
    CHECK(sl_optim_bind(opt, in, NULL) == SL_ERR_NULL && !strncmp(sl_ctx_errmsg(e.ctx), "sl_optim_bind:", 14),
          "bind message: %s", sl_ctx_errmsg(e.ctx));
    sl_optim_destroy(opt);
    env_free(e);
}

int main(void)
{
    test_sgd_closed_form();
    test_adam();
    test_adamw_decay();
    test_lbfgs();
    test_complex_params();
    test_bad_input();
    test_option_values();
    return check_done();
}
