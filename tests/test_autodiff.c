/* Finite-difference checks of every op's first and second derivatives, real
 * and complex; third derivatives of compositions; closed-form Hessian and a
 * Hamiltonian double-backprop loss; plan reuse without allocation. */
#include "fdcheck.h"

#define S34 {3, 4}
#define UNARY(NAME, EXPR)                                           \
    static sl_node *NAME(sl_graph *g, sl_node **x) { (void)g; return EXPR; }

UNARY(f_neg, sl_graph_neg(g, x[0]))
UNARY(f_square, sl_graph_square(g, x[0]))
UNARY(f_exp, sl_graph_exp(g, x[0]))
UNARY(f_log, sl_graph_log(g, x[0]))
UNARY(f_sqrt, sl_graph_sqrt(g, x[0]))
UNARY(f_sin, sl_graph_sin(g, x[0]))
UNARY(f_cos, sl_graph_cos(g, x[0]))
UNARY(f_tanh, sl_graph_tanh(g, x[0]))
UNARY(f_sigmoid, sl_graph_sigmoid(g, x[0]))
UNARY(f_softplus, sl_graph_softplus(g, x[0]))
UNARY(f_relu, sl_graph_mul(g, sl_graph_relu(g, x[0]), x[0]))
UNARY(f_abs, sl_graph_mul(g, sl_graph_abs(g, x[0]), sl_graph_abs(g, x[0])))
UNARY(f_abs1, sl_graph_abs(g, x[0]))
UNARY(f_conj, sl_graph_mul(g, sl_graph_conj(g, x[0]), x[0]))
UNARY(f_real, sl_graph_square(g, sl_graph_real(g, x[0])))
UNARY(f_imag, sl_graph_exp(g, sl_graph_imag(g, x[0])))
UNARY(f_add_scalar, sl_graph_square(g, sl_graph_add_scalar(g, x[0], 0.3)))
UNARY(f_mul_scalar, sl_graph_square(g, sl_graph_mul_scalar(g, x[0], -1.7)))
UNARY(f_mul_cscalar, sl_graph_square(g, sl_graph_mul_complex_scalar(g, x[0], 0.4, -1.1)))
UNARY(f_pow_scalar, sl_graph_pow_scalar(g, x[0], 2.5))
UNARY(f_rsub_scalar, sl_graph_square(g, sl_graph_rsub_scalar(g, x[0], 2.0)))
UNARY(f_view_real, sl_graph_square(g, sl_graph_view_real(g, sl_graph_square(g, x[0]))))
UNARY(f_view_complex, sl_graph_square(g, sl_graph_view_complex(g, sl_graph_reshape(g, x[0], 3, (int64_t[]){3, 2, 2}))))
UNARY(f_complex, sl_graph_square(g, sl_graph_complex(g, x[0], x[1])))
UNARY(f_add, sl_graph_mul(g, sl_graph_add(g, x[0], x[1]), x[0]))
UNARY(f_sub, sl_graph_mul(g, sl_graph_sub(g, x[0], x[1]), x[1]))
UNARY(f_mul, sl_graph_mul(g, x[0], x[1]))
UNARY(f_div, sl_graph_div(g, x[0], x[1]))
UNARY(f_pow, sl_graph_pow(g, x[0], x[1]))
UNARY(f_matmul, sl_graph_matmul(g, x[0], x[1]))
UNARY(f_mm_sq, sl_graph_matmul(g, sl_graph_matmul(g, x[0], x[1]), x[1]))
UNARY(f_mm_tn, sl_graph_matmul_ex(g, x[0], SL_OP_T, x[1], SL_OP_N))
UNARY(f_mm_nt, sl_graph_matmul_ex(g, x[0], SL_OP_N, x[1], SL_OP_T))
UNARY(f_mm_hh, sl_graph_matmul_ex(g, x[0], SL_OP_H, x[1], SL_OP_H))
UNARY(f_mm_th, sl_graph_matmul_ex(g, x[0], SL_OP_T, x[1], SL_OP_H))
UNARY(f_mm_ht, sl_graph_matmul_ex(g, x[0], SL_OP_H, x[1], SL_OP_T))
UNARY(f_mm_big, sl_graph_tanh(g, sl_graph_matmul(g, x[0], x[1])))
UNARY(f_dot, sl_graph_square(g, sl_graph_dot(g, x[0], x[1])))
UNARY(f_trace, sl_graph_square(g, sl_graph_trace(g, sl_graph_matmul(g, x[0], x[0]))))
UNARY(f_transpose, sl_graph_mul(g, sl_graph_transpose(g, x[0]), x[1]))
UNARY(f_adjoint, sl_graph_matmul(g, sl_graph_adjoint(g, x[0]), x[0]))
UNARY(f_permute, sl_graph_mul(g, sl_graph_permute(g, x[0], (int[]){2, 0, 1}), sl_graph_permute(g, x[0], (int[]){2, 0, 1})))
UNARY(f_reshape, sl_graph_matmul(g, sl_graph_reshape(g, x[0], 2, (int64_t[]){4, 3}), x[0]))
UNARY(f_slice, sl_graph_square(g, sl_graph_slice(g, x[0], 1, 1, 4, 2)))
UNARY(f_gather, sl_graph_square(g, sl_graph_gather(g, x[0], 1, 5, (int64_t[]){3, 0, 3, 1, 2})))
static sl_node *f_concat(sl_graph *g, sl_node **x)
{
    sl_node *parts[3] = {x[0], sl_graph_square(g, x[1]), x[0]};
    return sl_graph_square(g, sl_graph_concat(g, 3, parts, 0));
}
UNARY(f_broadcast, sl_graph_mul(g, sl_graph_broadcast(g, x[0], 3, (int64_t[]){2, 3, 4}), sl_graph_broadcast(g, x[0], 3, (int64_t[]){2, 3, 4})))
UNARY(f_roll, sl_graph_mul(g, sl_graph_roll(g, x[0], 1, -1), x[0]))
UNARY(f_sum, sl_graph_square(g, sl_graph_sum(g, x[0])))
UNARY(f_mean, sl_graph_square(g, sl_graph_mean(g, x[0])))
UNARY(f_sum_axes, sl_graph_square(g, sl_graph_sum_axes(g, x[0], 1, (int[]){1}, 0)))
UNARY(f_sum_axes_k, sl_graph_square(g, sl_graph_sum_axes(g, x[0], 2, (int[]){0, 2}, 1)))
UNARY(f_mean_axes, sl_graph_square(g, sl_graph_mean_axes(g, x[0], 1, (int[]){-1}, 0)))
UNARY(f_eye, sl_graph_matmul(g, sl_graph_add(g, x[0], sl_graph_eye(g, sl_node_dtype(x[0]), 3)), x[0]))
/* compositions for third derivatives */
UNARY(f_comp1, sl_graph_mul(g, sl_graph_tanh(g, sl_graph_matmul(g, x[0], x[1])), sl_graph_sin(g, sl_graph_matmul(g, x[0], x[1]))))
UNARY(f_comp2, sl_graph_exp(g, sl_graph_div(g, sl_graph_sqrt(g, x[0]), sl_graph_add_scalar(g, sl_graph_square(g, x[0]), 1.0))))
UNARY(f_comp3, sl_graph_softplus(g, sl_graph_mul(g, sl_graph_sigmoid(g, x[0]), sl_graph_log(g, x[0]))))

typedef struct { const char *name; fd_build_fn f; int nin; int rank[2]; int64_t shape[2][4]; int real, cplx; double lo, hi; } op_case;

static const op_case cases[] = {
    {"neg", f_neg, 1, {2}, {S34}, 1, 1, 0.5, 1.5},
    {"square", f_square, 1, {2}, {S34}, 1, 1, -1, 1},
    {"exp", f_exp, 1, {2}, {S34}, 1, 1, -1, 1},
    {"log", f_log, 1, {2}, {S34}, 1, 1, 0.5, 1.5},
    {"sqrt", f_sqrt, 1, {2}, {S34}, 1, 1, 0.5, 1.5},
    {"sin", f_sin, 1, {2}, {S34}, 1, 1, -1, 1},
    {"cos", f_cos, 1, {2}, {S34}, 1, 1, -1, 1},
    {"tanh", f_tanh, 1, {2}, {S34}, 1, 1, -1, 1},
    {"sigmoid", f_sigmoid, 1, {2}, {S34}, 1, 0, -2, 2},
    {"softplus", f_softplus, 1, {2}, {S34}, 1, 0, -2, 2},
    {"relu", f_relu, 1, {2}, {S34}, 1, 0, 0.1, 1},
    {"relu-negative", f_relu, 1, {2}, {S34}, 1, 0, -1, -0.1},
    {"abs", f_abs, 1, {2}, {S34}, 1, 1, 0.2, 1},
    {"abs-first", f_abs1, 1, {2}, {S34}, 1, 1, -1, -0.2},
    {"conj", f_conj, 1, {2}, {S34}, 0, 1, -1, 1},
    {"real", f_real, 1, {2}, {S34}, 0, 1, -1, 1},
    {"imag", f_imag, 1, {2}, {S34}, 0, 1, -1, 1},
    {"add_scalar", f_add_scalar, 1, {2}, {S34}, 1, 1, -1, 1},
    {"mul_scalar", f_mul_scalar, 1, {2}, {S34}, 1, 1, -1, 1},
    {"mul_complex_scalar", f_mul_cscalar, 1, {2}, {S34}, 0, 1, -1, 1},
    {"pow_scalar", f_pow_scalar, 1, {2}, {S34}, 1, 1, 0.5, 1.5},
    {"rsub_scalar", f_rsub_scalar, 1, {2}, {S34}, 1, 1, -1, 1},
    {"view_real", f_view_real, 1, {2}, {S34}, 0, 1, -1, 1},
    {"view_complex", f_view_complex, 1, {2}, {S34}, 1, 0, -1, 1},
    {"complex", f_complex, 2, {2, 2}, {S34, S34}, 1, 0, -1, 1},
    {"add-broadcast", f_add, 2, {2, 1}, {S34, {4}}, 1, 1, -1, 1},
    {"sub-broadcast", f_sub, 2, {2, 2}, {{3, 1}, {1, 4}}, 1, 1, -1, 1},
    {"mul-broadcast", f_mul, 2, {3, 2}, {{2, 3, 4}, {3, 1}}, 1, 1, -1, 1},
    {"div", f_div, 2, {2, 2}, {S34, S34}, 1, 1, 0.5, 1.5},
    {"pow", f_pow, 2, {2, 1}, {S34, {4}}, 1, 1, 0.5, 1.5},
    {"matmul", f_matmul, 2, {3, 2}, {{2, 3, 4}, {4, 5}}, 1, 1, -1, 1},
    {"matmul-batch-broadcast", f_matmul, 2, {2, 4}, {{3, 4}, {2, 1, 4, 5}}, 1, 1, -1, 1},
    {"matmul-2x2", f_mm_sq, 2, {3, 3}, {{5, 2, 2}, {5, 2, 2}}, 1, 1, -1, 1},
    {"matmul-3x3", f_mm_sq, 2, {3, 3}, {{4, 3, 3}, {4, 3, 3}}, 1, 1, -1, 1},
    {"matmul-TN", f_mm_tn, 2, {3, 3}, {{2, 4, 3}, {2, 4, 5}}, 1, 1, -1, 1},
    {"matmul-NT", f_mm_nt, 2, {2, 3}, {{3, 4}, {2, 5, 4}}, 1, 1, -1, 1},
    {"matmul-HH", f_mm_hh, 2, {2, 2}, {{4, 3}, {5, 4}}, 1, 1, -1, 1},
    {"matmul-TH", f_mm_th, 2, {2, 2}, {{4, 3}, {5, 4}}, 0, 1, -1, 1},
    {"matmul-HT", f_mm_ht, 2, {2, 2}, {{4, 3}, {5, 4}}, 0, 1, -1, 1},
    {"matmul-outer-k1", f_mm_big, 2, {2, 2}, {{30, 1}, {1, 20}}, 1, 1, -0.5, 0.5},
    {"matmul-gemv-n1", f_mm_big, 2, {2, 2}, {{70, 80}, {80, 1}}, 1, 0, -0.1, 0.1},
    {"matmul-gemv-m1", f_mm_big, 2, {2, 2}, {{1, 80}, {80, 70}}, 1, 0, -0.1, 0.1},
    {"matmul-gemv-TN", f_mm_tn, 2, {2, 2}, {{80, 70}, {80, 1}}, 1, 0, -0.1, 0.1},
    {"matmul-gemv-NT", f_mm_nt, 2, {2, 2}, {{1, 80}, {70, 80}}, 1, 0, -0.1, 0.1},
    {"matmul-blas", f_mm_big, 2, {2, 2}, {{20, 40}, {40, 45}}, 1, 1, -0.3, 0.3},
    {"dot", f_dot, 2, {2, 1}, {S34, {4}}, 1, 1, -1, 1},
    {"trace", f_trace, 1, {3}, {{2, 3, 3}}, 1, 1, -1, 1},
    {"transpose", f_transpose, 2, {2, 2}, {S34, {4, 3}}, 1, 1, -1, 1},
    {"adjoint", f_adjoint, 1, {2}, {S34}, 1, 1, -1, 1},
    {"permute", f_permute, 1, {3}, {{2, 3, 4}}, 1, 1, -1, 1},
    {"reshape", f_reshape, 1, {2}, {S34}, 1, 1, -1, 1},
    {"slice", f_slice, 1, {2}, {S34}, 1, 1, -1, 1},
    {"gather", f_gather, 1, {2}, {S34}, 1, 1, -1, 1},
    {"concat", f_concat, 2, {2, 2}, {S34, {2, 4}}, 1, 1, -1, 1},
    {"broadcast", f_broadcast, 1, {2}, {{3, 1}}, 1, 1, -1, 1},
    {"roll", f_roll, 1, {2}, {S34}, 1, 1, -1, 1},
    {"sum", f_sum, 1, {2}, {S34}, 1, 1, -1, 1},
    {"mean", f_mean, 1, {2}, {S34}, 1, 1, -1, 1},
    {"sum_axes", f_sum_axes, 1, {3}, {{2, 3, 4}}, 1, 1, -1, 1},
    {"sum_axes-keepdims-gap", f_sum_axes_k, 1, {3}, {{2, 3, 4}}, 1, 1, -1, 1},
    {"mean_axes", f_mean_axes, 1, {3}, {{2, 3, 4}}, 1, 1, -1, 1},
    {"eye", f_eye, 1, {2}, {{3, 3}}, 1, 1, -1, 1},
};

static void test_ops(void)
{
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        const op_case *oc = &cases[c];
        for (int cx = 0; cx < 2; ++cx) {
            if (cx ? !oc->cplx : !oc->real) continue;
            fd_spec sp = {0};
            sp.nin = oc->nin;
            for (int i = 0; i < oc->nin; ++i) {
                sp.dtype[i] = cx ? SL_C128 : SL_F64;
                sp.rank[i] = oc->rank[i];
                for (int a = 0; a < oc->rank[i]; ++a) sp.shape[i][a] = oc->shape[i][a];
            }
            sp.lo = oc->lo;
            sp.hi = oc->hi;
            char name[96];
            snprintf(name, sizeof name, "%s (%s)", oc->name, cx ? "c128" : "f64");
            fdcheck(name, &sp, oc->f);
        }
    }
}

static void test_third_order(void)
{
    fd_spec sp = {0};
    sp.nin = 2;
    sp.order = 3;
    sp.lo = -0.8; sp.hi = 0.8;
    for (int cx = 0; cx < 2; ++cx) {
        sp.dtype[0] = sp.dtype[1] = cx ? SL_C128 : SL_F64;
        sp.rank[0] = sp.rank[1] = 2;
        sp.shape[0][0] = 3; sp.shape[0][1] = 4; sp.shape[1][0] = 4; sp.shape[1][1] = 2;
        fdcheck(cx ? "third order: tanh(AB) sin(AB) (c128)" : "third order: tanh(AB) sin(AB) (f64)", &sp, f_comp1);
    }
    fd_spec s2 = {0};
    s2.nin = 1; s2.order = 3; s2.lo = 0.5; s2.hi = 1.5; s2.rank[0] = 1; s2.shape[0][0] = 6;
    s2.dtype[0] = SL_F64;
    fdcheck("third order: exp(sqrt(x)/(x^2+1)) (f64)", &s2, f_comp2);
    s2.dtype[0] = SL_C128;
    fdcheck("third order: exp(sqrt(x)/(x^2+1)) (c128)", &s2, f_comp2);
    s2.dtype[0] = SL_F64;
    fdcheck("third order: softplus(sigmoid(x) log x)", &s2, f_comp3);
}

/* f(x) = exp(a.x) + (x.x)^2:  H = a a^T e^{a.x} + 8 x x^T + 4 (x.x) I. */
static void test_hessian_closed_form(void)
{
    enum { n = 5 };
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    double a[n] = {0.3, -0.2, 0.5, 0.1, -0.4}, x[n] = {0.7, -1.1, 0.4, 0.9, -0.3};
    sl_node *xn = sl_graph_input(g, SL_F64, 1, (int64_t[]){n}, "x");
    sl_node *an = sl_graph_constant(g, SL_F64, 1, (int64_t[]){n}, a);
    sl_node *f = sl_graph_add(g, sl_graph_exp(g, sl_graph_dot(g, an, xn)),
                              sl_graph_square(g, sl_graph_dot(g, xn, xn)));
    sl_node *grad = sl_graph_grad1(g, f, xn);
    sl_node *rows[n];
    for (int i = 0; i < n; ++i)
        rows[i] = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_slice(g, grad, 0, i, i + 1, 1)), xn);
    sl_plan *p;
    CHECK(sl_plan_create(g, n, rows, &p) == SL_OK, "hessian plan: %s", sl_ctx_errmsg(ctx));
    sl_plan_bind(p, xn, x);
    CHECK(sl_plan_run(p) == SL_OK, "hessian run");
    double ax = 0, xx = 0, err = 0;
    for (int i = 0; i < n; ++i) { ax += a[i] * x[i]; xx += x[i] * x[i]; }
    for (int i = 0; i < n; ++i) {
        const double *h = sl_plan_output(p, i);
        for (int j = 0; j < n; ++j) {
            double want = a[i] * a[j] * exp(ax) + 8 * x[i] * x[j] + (i == j ? 4 * xx : 0);
            err = fmax(err, fabs(h[j] - want) / fmax(1, fabs(want)));
        }
    }
    CHECK(err < 1e-12, "Hessian vs closed form: %.3g", err);
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

/* H(q, p) = a p^2 / 2 + b (1 - cos q); the flow (dH/dp, -dH/dq) is fitted to
 * (qdot, pdot): loss = mean (a p - qdot)^2 + (b sin q + pdot)^2, so
 * dloss/da = mean 2 (a p - qdot) p and dloss/db = mean 2 (b sin q + pdot) sin q. */
static void test_hamiltonian_double_backprop(void)
{
    enum { m = 64 };
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    double z[m * 2], zdot[m * 2], a0 = 0.8, b0 = 1.3;
    sl_rng_fill_normal(5, 0, m * 2, 0, 1, z);
    sl_rng_fill_normal(6, 0, m * 2, 0, 1, zdot);
    sl_node *zn = sl_graph_input(g, SL_F64, 2, (int64_t[]){m, 2}, "z");
    sl_node *zd = sl_graph_input(g, SL_F64, 2, (int64_t[]){m, 2}, "zdot");
    sl_node *a = sl_graph_param(g, SL_F64, 0, NULL, &a0, "a");
    sl_node *b = sl_graph_param(g, SL_F64, 0, NULL, &b0, "b");
    sl_node *q = sl_graph_slice(g, zn, 1, 0, 1, 1), *pp = sl_graph_slice(g, zn, 1, 1, 2, 1);
    sl_node *H = sl_graph_sum(g, sl_graph_add(g, sl_graph_mul(g, a, sl_graph_mul_scalar(g, sl_graph_square(g, pp), 0.5)),
                                            sl_graph_mul(g, b, sl_graph_rsub_scalar(g, sl_graph_cos(g, q), 1.0))));
    sl_node *dH = sl_graph_grad1(g, H, zn);
    sl_node *flow = sl_graph_concat(g, 2, (sl_node *[]){sl_graph_slice(g, dH, 1, 1, 2, 1),
                                                        sl_graph_neg(g, sl_graph_slice(g, dH, 1, 0, 1, 1))}, 1);
    sl_node *loss = sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, sl_graph_sub(g, flow, zd))), 1.0 / m);
    sl_node *gr[2];
    sl_graph_grad(g, loss, 2, (sl_node *[]){a, b}, gr);
    sl_plan *p;
    CHECK(sl_plan_create(g, 3, (sl_node *[]){loss, gr[0], gr[1]}, &p) == SL_OK, "hnn plan: %s", sl_ctx_errmsg(ctx));
    sl_plan_bind(p, zn, z);
    sl_plan_bind(p, zd, zdot);
    sl_plan_run(p);
    double L = 0, ga = 0, gb = 0;
    for (int i = 0; i < m; ++i) {
        double qi = z[2 * i], pi = z[2 * i + 1], r1 = a0 * pi - zdot[2 * i], r2 = b0 * sin(qi) + zdot[2 * i + 1];
        L += (r1 * r1 + r2 * r2) / m;
        ga += 2 * r1 * pi / m;
        gb += 2 * r2 * sin(qi) / m;
    }
    CHECK(fabs(sl_plan_scalar(p, 0) - L) < 1e-10 * fabs(L), "hamiltonian loss %.17g vs %.17g", sl_plan_scalar(p, 0), L);
    CHECK(fabs(sl_plan_scalar(p, 1) - ga) < 1e-10 * fmax(1, fabs(ga)), "dloss/da %.17g vs %.17g", sl_plan_scalar(p, 1), ga);
    CHECK(fabs(sl_plan_scalar(p, 2) - gb) < 1e-10 * fmax(1, fabs(gb)), "dloss/db %.17g vs %.17g", sl_plan_scalar(p, 2), gb);
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

/* A plan run 1000 times performs no allocation (counted through the hook). */
static uint64_t hook_calls;
static void *hook_alloc(void *u, size_t n) { (void)u; hook_calls++; return malloc(n); }
static void hook_free(void *u, void *p) { (void)u; free(p); }

static void test_plan_no_alloc(void)
{
    sl_ctx_opts o;
    sl_ctx_opts_init(&o);
    o.alloc = hook_alloc;
    o.free = hook_free;
    sl_ctx *ctx;
    sl_ctx_create(&ctx, &o);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    double xv[32 * 8], w0[8 * 16];
    sl_rng_fill_normal(1, 0, 32 * 8, 0, 1, xv);
    sl_rng_fill_normal(2, 0, 8 * 16, 0, 0.3, w0);
    sl_node *x = sl_graph_input(g, SL_F64, 2, (int64_t[]){32, 8}, "x");
    sl_node *w = sl_graph_param(g, SL_F64, 2, (int64_t[]){8, 16}, w0, "w");
    sl_node *h = sl_graph_tanh(g, sl_graph_matmul(g, x, w));
    sl_node *H = sl_graph_sum(g, sl_graph_square(g, h));
    sl_node *dx = sl_graph_grad1(g, H, x);
    sl_node *loss = sl_graph_mean(g, sl_graph_square(g, dx));
    sl_node *gw = sl_graph_grad1(g, loss, w);
    sl_plan *p;
    sl_plan_create(g, 2, (sl_node *[]){loss, gw}, &p);
    sl_plan_bind(p, x, xv);
    sl_plan_run(p);
    double first = sl_plan_scalar(p, 0);
    uint64_t before = hook_calls;
    int ok = 1;
    for (int i = 0; i < 1000; ++i) ok &= sl_plan_run(p) == SL_OK;
    CHECK(ok && hook_calls == before, "1000 runs: %llu allocations", (unsigned long long)(hook_calls - before));
    CHECK(sl_plan_scalar(p, 0) == first, "deterministic across runs");
    CHECK(sl_ctx_alloc_count(ctx) > 0 && sl_plan_bytes(p) > 0 && sl_plan_steps(p) > 5, "plan stats");
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "everything freed: %zu", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
}

/* The vectorised tanh against libm: a few ulp everywhere, exact at the ends. */
static void test_tanh_accuracy(void)
{
    enum { n = 20000 };
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    static double x[n];
    for (int i = 0; i < n; ++i) {
        double u = (double)i / n;
        x[i] = (i & 1 ? -1 : 1) * (i % 3 == 0 ? 40 * u : i % 3 == 1 ? 1e-4 * u : 2 * u);
    }
    x[0] = 0; x[1] = -1e-300; x[2] = 22.0; x[3] = -21.999;
    sl_node *xn = sl_graph_input(g, SL_F64, 1, (int64_t[]){n}, "x");
    sl_node *y = sl_graph_tanh(g, xn);
    sl_plan *p;
    sl_plan_create(g, 1, &y, &p);
    sl_plan_bind(p, xn, x);
    sl_plan_run(p);
    const double *yv = sl_plan_output(p, 0);
    double worst = 0;
    for (int i = 0; i < n; ++i) {
        double want = tanh(x[i]);
        worst = fmax(worst, fabs(yv[i] - want) / (fabs(want) * 2.220446049250313e-16 + 1e-320));
    }
    CHECK(worst <= 8, "tanh within 8 ulp of libm: %.1f ulp", worst);
    CHECK(yv[0] == 0 && yv[1] == -1e-300 && yv[2] == 1.0, "tanh(0), tiny, large: %g %g %g", yv[0], yv[1], yv[2]);
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

int main(void)
{
    test_tanh_accuracy();
    test_ops();
    test_third_order();
    test_hessian_closed_form();
    test_hamiltonian_double_backprop();
    test_plan_no_alloc();
    return check_done();
}
