/* Elementwise unary ops and ops with a scalar attribute.  Gradients use the
 * chain rule gy * conj(f'(x)) for holomorphic f (graph.h's convention). */
#include "graph_internal.h"
#include "../kernels/vmath.h"
#include "../kernels/velem.h"

#include <math.h>

#define UNARY_EVAL(NAME, REXPR, CEXPR)                                                 \
    static void NAME##_eval(const sl_node *n, void *out, void *const *in, void *scratch) \
    {                                                                                  \
        (void)scratch;                                                                 \
        const double s0 = n->s[0], s1 = n->s[1];                                       \
        (void)s0; (void)s1;                                                            \
        if (n->in[0]->dtype == SL_F64) {                                               \
            const double *a = in[0];                                                   \
            double *o = out;                                                           \
            for (int64_t i = 0; i < n->numel; ++i) { double x = a[i]; o[i] = (REXPR); } \
        } else {                                                                       \
            const cplx *a = in[0];                                                     \
            cplx *o = out;                                                             \
            for (int64_t i = 0; i < n->numel; ++i) { cplx x = a[i]; (void)x; o[i] = (CEXPR); } \
        }                                                                              \
    }

/* The same map through a vectorised kernel for real x (velem.h: the same
 * bits as the loop). */
#define FAST_UNARY_EVAL(NAME, OP, REXPR, CEXPR)                                        \
    UNARY_EVAL(NAME##_loop, REXPR, CEXPR)                                              \
    static void NAME##_eval(const sl_node *n, void *out, void *const *in, void *scratch) \
    {                                                                                  \
        if (n->in[0]->dtype == SL_F64) sl__vmap(OP, in[0], n->s[0], out, n->numel);   \
        else NAME##_loop_eval(n, out, in, scratch);                                    \
    }

static inline double sigmoid(double x)
{
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}
static inline double softplus(double x) { return fmax(x, 0.0) + log1p(exp(-fabs(x))); }
static inline double sign(double x) { return (double)((x > 0) - (x < 0)); }

FAST_UNARY_EVAL(neg, SL__VNEG, -x, -x)
FAST_UNARY_EVAL(square, SL__VSQUARE, x * x, x * x)
UNARY_EVAL(exp, exp(x), cexp(x))
UNARY_EVAL(log, log(x), clog(x))
UNARY_EVAL(sqrt, sqrt(x), csqrt(x))
UNARY_EVAL(sin, sin(x), csin(x))
UNARY_EVAL(cos, cos(x), ccos(x))
UNARY_EVAL(tanh_scalar, tanh(x), ctanh(x))

static void tanh_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    if (n->dtype == SL_F64) sl__vtanh(in[0], out, n->numel);
    else tanh_scalar_eval(n, out, in, scratch);
}

/* tanh(x + b), b a row broadcast over x's rows (a dense layer's bias), in
 * one pass (sl__vtanh_rows): the bits of tanh(add(x, b)) without the sum's
 * pass over memory.  in = {x, b}.  (The scratch is no longer used.) */
#define BIAS_TANH_BLOCK 4096
static size_t bias_tanh_scratch(const sl_node *n)
{
    int64_t cols = n->shape[n->rank - 1];
    return sizeof(double) * (size_t)(cols > BIAS_TANH_BLOCK ? cols : BIAS_TANH_BLOCK);
}

static void bias_tanh_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t cols = n->shape[n->rank - 1];
    sl__vtanh_rows(in[0], in[1], out, n->numel / cols, cols);
}

/* in = {G, gy, y}: tanh_backward(y, tanh_backward_dy(G, gy, y)) in one pass. */
static void tanh_backward_dy2_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vtanh_backward_dy2(in[0], in[1], in[2], out, n->numel);
}

/* in = {y, a, b}: tanh's backward map of the gradient a + b. */
static void tanh_backward_sum_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vtanh_backward_sum(in[0], in[1], in[2], out, n->numel);
}

/* Fused tanh backward for real y = tanh(x): gy (1 - y^2) in one pass. */
static void tanh_backward_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vtanh_backward(in[0], in[1], out, n->numel);
}

/* Its derivative in y, fused: (G gy) (-2 y) in one pass, the bits of
 * mul(mul(G, gy), mul_scalar(y, -2)).  in = {G, gy, y}. */
static void tanh_backward_dy_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vtanh_backward_dy(in[0], in[1], in[2], out, n->numel);
}
UNARY_EVAL(sigmoid, sigmoid(x), 0)
UNARY_EVAL(softplus, softplus(x), 0)
FAST_UNARY_EVAL(relu, SL__VRELU, x > 0 ? x : 0.0, 0)
FAST_UNARY_EVAL(step, SL__VSTEP, x > 0 ? 1.0 : 0.0, 0)
FAST_UNARY_EVAL(sign, SL__VSIGN, sign(x), 0)
UNARY_EVAL(conj, x, conj(x))
FAST_UNARY_EVAL(add_scalar, SL__VADD_S, x + s0, x + s0)
FAST_UNARY_EVAL(mul_scalar, SL__VMUL_S, s0 * x, CMPLX(s0, s1) * x)
UNARY_EVAL(pow_scalar, pow(x, s0), cpow(x, s0))
FAST_UNARY_EVAL(rsub_scalar, SL__VRSUB_S, s0 - x, s0 - x)

/* Type-changing maps write a different element type than they read. */
static void abs_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    double *o = out;
    if (n->in[0]->dtype == SL_F64) {
        sl__vmap(SL__VABS, in[0], 0, o, n->numel);
    } else {
        const cplx *a = in[0];
        for (int64_t i = 0; i < n->numel; ++i) o[i] = cabs(a[i]);
    }
}

static void real_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const double *a = in[0];
    double *o = out;
    for (int64_t i = 0; i < n->numel; ++i) o[i] = a[2 * i];
}

static void imag_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const double *a = in[0];
    double *o = out;
    for (int64_t i = 0; i < n->numel; ++i) o[i] = a[2 * i + 1];
}

static void complex_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const double *re = in[0], *im = in[1];
    double *o = out;
    for (int64_t i = 0; i < n->numel; ++i) { o[2 * i] = re[i]; o[2 * i + 1] = im[i]; }
}

static void to_complex_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const double *re = in[0];
    double *o = out;
    for (int64_t i = 0; i < n->numel; ++i) { o[2 * i] = re[i]; o[2 * i + 1] = 0; }
}

/* ---- Gradients ------------------------------------------------------------------ */
#define X (n->in[0])
#define VJP(NAME) static void NAME##_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)

VJP(neg) { (void)need; gin[0] = sl_graph_neg(g, gy); }
VJP(square) { (void)need; gin[0] = sl__chain(g, gy, sl_graph_mul_scalar(g, X, 2.0)); }
VJP(exp) { (void)need; gin[0] = sl__chain(g, gy, n); }
VJP(log) { (void)need; gin[0] = sl_graph_div(g, gy, sl_graph_conj(g, X)); }
VJP(sqrt) { (void)need; gin[0] = sl_graph_div(g, sl_graph_mul_scalar(g, gy, 0.5), sl_graph_conj(g, n)); }
VJP(sin) { (void)need; gin[0] = sl__chain(g, gy, sl_graph_cos(g, X)); }
VJP(cos) { (void)need; gin[0] = sl_graph_neg(g, sl__chain(g, gy, sl_graph_sin(g, X))); }
static sl_node *tanh_backward(sl_graph *g, sl_node *y, sl_node *gy);

VJP(tanh)
{
    (void)need;
    if (n->dtype == SL_F64 && sl__same_shape(n, gy)) gin[0] = tanh_backward(g, n, gy);
    else gin[0] = sl__chain(g, gy, sl_graph_rsub_scalar(g, sl_graph_square(g, n), 1.0));
}

static sl_node *tanh_backward_dy(sl_graph *g, sl_node *G, sl_node *gy, sl_node *y);
static void tanh_backward_dy_vjp(sl_graph *g, sl_node *n, sl_node *W, const int *need, sl_node **gin);

/* z = gy (1 - y^2): dz/dgy = 1 - y^2, dz/dy = -2 y gy. */
static void tanh_backward_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    sl_node *y = n->in[0], *gy = n->in[1];
    if (need[0]) {
        if (G && G->dtype == SL_F64 && sl__same_shape(G, y)) gin[0] = tanh_backward_dy(g, G, gy, y);
        else gin[0] = sl_graph_mul(g, sl_graph_mul(g, G, gy), sl_graph_mul_scalar(g, y, -2.0));
    }
    if (need[1]) gin[1] = tanh_backward(g, y, G);
}

/* y = tanh(x + b): as tanh then add. */
static void bias_tanh_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    sl_node *t = tanh_backward(g, n, G);
    if (need[0]) gin[0] = sl__sum_to_node(g, t, n->in[0]);
    if (need[1]) gin[1] = sl__sum_to_node(g, t, n->in[1]);
}

/* w = t (1 - y^2), t = (G gy)(-2 y): as tanh_backward of tanh_backward_dy. */
static void tanh_backward_dy2_vjp(sl_graph *g, sl_node *n, sl_node *W, const int *need, sl_node **gin)
{
    sl_node *G = n->in[0], *gy = n->in[1], *y = n->in[2];
    sl_node *t = tanh_backward_dy(g, G, gy, y);      /* the inner value */
    sl_node *gt = tanh_backward(g, y, W);            /* the outer map's gradient in t */
    int inner[3] = {need[0], need[1], need[2]};
    sl_node *gi[3] = {NULL, NULL, NULL};
    tanh_backward_dy_vjp(g, t, gt, inner, gi);
    if (need[0]) gin[0] = gi[0];
    if (need[1]) gin[1] = gi[1];
    if (need[2]) gin[2] = sl_graph_add(g, gi[2], tanh_backward_dy(g, W, t, y));   /* plus the outer map's own y */
}

/* w = (a + b) (1 - y^2): as tanh_backward of add(a, b). */
static void tanh_backward_sum_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    sl_node *y = n->in[0], *a = n->in[1], *b = n->in[2];
    if (need[0]) gin[0] = tanh_backward_dy(g, G, sl_graph_add(g, a, b), y);
    if (need[1] || need[2]) {
        sl_node *t = tanh_backward(g, y, G);
        if (need[1]) gin[1] = t;
        if (need[2]) gin[2] = t;
    }
}

/* w = (G gy) (-2 y): dw/dG = -2 y gy, dw/dgy = -2 y G, dw/dy = -2 G gy. */
static void tanh_backward_dy_vjp(sl_graph *g, sl_node *n, sl_node *W, const int *need, sl_node **gin)
{
    sl_node *G = n->in[0], *gy = n->in[1], *y = n->in[2];
    sl_node *m2y = need[0] || need[1] ? sl_graph_mul_scalar(g, y, -2.0) : NULL;
    if (need[0]) gin[0] = sl_graph_mul(g, sl_graph_mul(g, W, gy), m2y);
    if (need[1]) gin[1] = sl_graph_mul(g, sl_graph_mul(g, W, G), m2y);
    if (need[2]) gin[2] = sl_graph_mul_scalar(g, sl_graph_mul(g, W, sl_graph_mul(g, G, gy)), -2.0);
}
VJP(sigmoid) { (void)need; gin[0] = sl_graph_mul(g, gy, sl_graph_mul(g, n, sl_graph_rsub_scalar(g, n, 1.0))); }
VJP(softplus) { (void)need; gin[0] = sl_graph_mul(g, gy, sl_graph_sigmoid(g, X)); }
VJP(conj) { (void)need; gin[0] = sl_graph_conj(g, gy); }
VJP(add_scalar) { (void)need; gin[0] = gy; }
VJP(mul_scalar) { (void)need; gin[0] = sl_graph_mul_complex_scalar(g, gy, n->s[0], -n->s[1]); }
VJP(rsub_scalar) { (void)need; gin[0] = sl_graph_neg(g, gy); }
VJP(real) { (void)need; gin[0] = sl__to_complex(g, gy); }
VJP(imag) { (void)need; gin[0] = sl_graph_mul_complex_scalar(g, sl__to_complex(g, gy), 0, 1); }
VJP(to_complex) { (void)need; gin[0] = sl_graph_real(g, gy); }

static sl_node *step_of(sl_graph *g, sl_node *x);
static sl_node *sign_of(sl_graph *g, sl_node *x);

VJP(relu) { (void)need; gin[0] = sl_graph_mul(g, gy, step_of(g, X)); }

VJP(pow_scalar)
{
    (void)need;
    double p = n->s[0];
    if (p == 0) { gin[0] = sl__zeros_like(g, X); return; }
    sl_node *d = p == 1 ? NULL : sl_graph_mul_scalar(g, sl_graph_pow_scalar(g, X, p - 1), p);
    gin[0] = d ? sl__chain(g, gy, d) : gy;
}

/* |x|: d/dx = sign(x) (real); for complex z the gradient is gy z / |z|
 * (0 at z = 0, where |z| has no derivative). */
VJP(abs)
{
    (void)need;
    if (X->dtype == SL_F64) { gin[0] = sl_graph_mul(g, gy, sign_of(g, X)); return; }
    sl_node *safe = sl_graph_add(g, n, sl_graph_rsub_scalar(g, step_of(g, n), 1.0));
    gin[0] = sl_graph_mul(g, sl__to_complex(g, gy), sl_graph_div(g, X, sl__to_complex(g, safe)));
}

static void complex_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = sl_graph_real(g, gy);
    if (need[1]) gin[1] = sl_graph_imag(g, gy);
}
#undef X

#define OPDEF(NAME) static const sl_opdef op_##NAME = {#NAME, NAME##_eval, NAME##_vjp, NULL, 0}
OPDEF(neg); OPDEF(square); OPDEF(exp); OPDEF(log); OPDEF(sqrt); OPDEF(sin); OPDEF(cos);
OPDEF(tanh); OPDEF(sigmoid); OPDEF(softplus); OPDEF(relu); OPDEF(abs); OPDEF(conj);
OPDEF(real); OPDEF(imag); OPDEF(complex); OPDEF(to_complex);
OPDEF(add_scalar); OPDEF(mul_scalar); OPDEF(pow_scalar); OPDEF(rsub_scalar);
static const sl_opdef op_tanh_backward = {"tanh_backward", tanh_backward_eval, tanh_backward_vjp, NULL, 0};
static const sl_opdef op_tanh_backward_dy = {"tanh_backward_dy", tanh_backward_dy_eval, tanh_backward_dy_vjp, NULL, 0};
static const sl_opdef op_tanh_backward_sum = {"tanh_backward_sum", tanh_backward_sum_eval, tanh_backward_sum_vjp, NULL, 0};
static const sl_opdef op_tanh_backward_dy2 = {"tanh_backward_dy2", tanh_backward_dy2_eval, tanh_backward_dy2_vjp, NULL, 0};
static const sl_opdef op_bias_tanh = {"bias_tanh", bias_tanh_eval, bias_tanh_vjp, bias_tanh_scratch, 0};
static const sl_opdef op_step = {"step", step_eval, NULL, NULL, 0};
static const sl_opdef op_sign = {"sign", sign_eval, NULL, NULL, 0};

enum { ANY = 0, REAL_ONLY = 1, COMPLEX_ONLY = 2 };

static sl_node *unary(sl_graph *g, const sl_opdef *def, const char *who, sl_node *x, int allowed,
                      sl_dtype out_dtype)
{
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (allowed == REAL_ONLY && x->dtype != SL_F64)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be f64)", who, sl__dtype_name(x->dtype));
    if (allowed == COMPLEX_ONLY && x->dtype != SL_C128)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be c128)", who, sl__dtype_name(x->dtype));
    return sl__node_new(g, def, out_dtype ? out_dtype : x->dtype, x->rank, x->shape, 1, &x);
}

static sl_node *scalar_op(sl_graph *g, const sl_opdef *def, const char *who, sl_node *x, double re,
                          double im)
{
    if (!isfinite(re) || !isfinite(im))
        return g && !g->status ? sl__gfail(g, SL_ERR_NONFINITE, "%s: scalar (%g, %g) is not finite", who, re, im) : NULL;
    sl_node *n = unary(g, def, who, x, ANY, 0);
    if (n) { n->s[0] = re; n->s[1] = im; }
    return n;
}

static int is_add(const sl_node *x) { return x && !x->def->leaf && !strcmp(x->def->name, "add"); }

/* A real add of a full operand and a row broadcast over its rows: 1 with
 * *full, *row set. */
static int bias_add(const sl_node *x, sl_node **full, sl_node **row)
{
    if (!is_add(x) || x->dtype != SL_F64 || x->rank < 1) return 0;
    int64_t cols = x->shape[x->rank - 1];
    for (int k = 0; k < 2; ++k) {
        sl_node *f = x->in[k], *r = x->in[1 - k];
        if (!sl__same_shape(f, x) || r->numel != cols || r->numel == x->numel || r->rank > x->rank) continue;
        int ok = r->rank >= 1;
        for (int i = 0; i + 1 < r->rank; ++i) ok &= r->shape[i] == 1;
        if (!ok || k == 1) continue;   /* the row second: add(x, b), as a dense layer makes it */
        *full = f, *row = r;
        return 1;
    }
    return 0;
}

static sl_node *tanh_backward(sl_graph *g, sl_node *y, sl_node *gy)
{
    sl_node *xs[2] = {y, gy};
    if (!sl__gcheck(g, "tanh_backward", 2, xs)) return NULL;
    /* the gradient tanh_backward_dy(G, gy, y) of the same y: one pass */
    if (gy->def == &op_tanh_backward_dy && gy->in[2] == y) {
        sl_node *ys[3] = {gy->in[0], gy->in[1], y};
        return sl__node_new(g, &op_tanh_backward_dy2, SL_F64, y->rank, y->shape, 3, ys);
    }
    /* an accumulated gradient a + b: one pass (its sum is then not stored) */
    if (is_add(gy) && sl__same_shape(gy->in[0], y) && sl__same_shape(gy->in[1], y) && gy->in[0]->dtype == SL_F64 &&
        gy->in[1]->dtype == SL_F64) {
        sl_node *ys[3] = {y, gy->in[0], gy->in[1]};
        return sl__node_new(g, &op_tanh_backward_sum, SL_F64, y->rank, y->shape, 3, ys);
    }
    return sl__node_new(g, &op_tanh_backward, SL_F64, y->rank, y->shape, 2, xs);
}

static sl_node *tanh_backward_dy(sl_graph *g, sl_node *G, sl_node *gy, sl_node *y)
{
    sl_node *xs[3] = {G, gy, y};
    if (!sl__gcheck(g, "tanh_backward_dy", 3, xs)) return NULL;
    return sl__node_new(g, &op_tanh_backward_dy, SL_F64, y->rank, y->shape, 3, xs);
}

static sl_node *step_of(sl_graph *g, sl_node *x) { return unary(g, &op_step, "step", x, REAL_ONLY, 0); }
static sl_node *sign_of(sl_graph *g, sl_node *x) { return unary(g, &op_sign, "sign", x, REAL_ONLY, 0); }

sl_node *sl_graph_neg(sl_graph *g, sl_node *x) { return unary(g, &op_neg, "sl_graph_neg", x, ANY, 0); }
sl_node *sl_graph_square(sl_graph *g, sl_node *x) { return unary(g, &op_square, "sl_graph_square", x, ANY, 0); }
sl_node *sl_graph_exp(sl_graph *g, sl_node *x) { return unary(g, &op_exp, "sl_graph_exp", x, ANY, 0); }
sl_node *sl_graph_log(sl_graph *g, sl_node *x) { return unary(g, &op_log, "sl_graph_log", x, ANY, 0); }
sl_node *sl_graph_sqrt(sl_graph *g, sl_node *x) { return unary(g, &op_sqrt, "sl_graph_sqrt", x, ANY, 0); }
sl_node *sl_graph_sin(sl_graph *g, sl_node *x) { return unary(g, &op_sin, "sl_graph_sin", x, ANY, 0); }
sl_node *sl_graph_cos(sl_graph *g, sl_node *x) { return unary(g, &op_cos, "sl_graph_cos", x, ANY, 0); }
sl_node *sl_graph_tanh(sl_graph *g, sl_node *x)
{
    sl_node *full, *row;
    if (x && g && !g->status && x->g == g && bias_add(x, &full, &row)) {
        sl_node *xs[2] = {full, row};
        return sl__node_new(g, &op_bias_tanh, SL_F64, x->rank, x->shape, 2, xs);
    }
    return unary(g, &op_tanh, "sl_graph_tanh", x, ANY, 0);
}
sl_node *sl_graph_sigmoid(sl_graph *g, sl_node *x) { return unary(g, &op_sigmoid, "sl_graph_sigmoid", x, REAL_ONLY, 0); }
sl_node *sl_graph_softplus(sl_graph *g, sl_node *x) { return unary(g, &op_softplus, "sl_graph_softplus", x, REAL_ONLY, 0); }
sl_node *sl_graph_relu(sl_graph *g, sl_node *x) { return unary(g, &op_relu, "sl_graph_relu", x, REAL_ONLY, 0); }
sl_node *sl_graph_abs(sl_graph *g, sl_node *x) { return unary(g, &op_abs, "sl_graph_abs", x, ANY, SL_F64); }
sl_node *sl_graph_imag(sl_graph *g, sl_node *x) { return unary(g, &op_imag, "sl_graph_imag", x, COMPLEX_ONLY, SL_F64); }

sl_node *sl_graph_conj(sl_graph *g, sl_node *x)
{
    if (x && x->dtype == SL_F64 && g && !g->status && x->g == g) return x;
    return unary(g, &op_conj, "sl_graph_conj", x, ANY, 0);
}

sl_node *sl_graph_real(sl_graph *g, sl_node *x)
{
    if (x && x->dtype == SL_F64 && g && !g->status && x->g == g) return x;
    return unary(g, &op_real, "sl_graph_real", x, ANY, SL_F64);
}

sl_node *sl__to_complex(sl_graph *g, sl_node *x)
{
    if (x && x->dtype == SL_C128) return x;
    return unary(g, &op_to_complex, "to_complex", x, REAL_ONLY, SL_C128);
}

sl_node *sl_graph_complex(sl_graph *g, sl_node *re, sl_node *im)
{
    sl_node *xs[2] = {re, im};
    const char *who = "sl_graph_complex";
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    if (re->dtype != SL_F64 || im->dtype != SL_F64)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: re is %s, im is %s (both must be f64)", who,
                         sl__dtype_name(re->dtype), sl__dtype_name(im->dtype));
    if (!sl__same_shape(re, im))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: re and im shapes differ", who);
    if (sl__is_fill(im, 0, 0)) return sl__to_complex(g, re);
    return sl__node_new(g, &op_complex, SL_C128, re->rank, re->shape, 2, xs);
}

sl_node *sl_graph_add_scalar(sl_graph *g, sl_node *x, double s)
{
    if (s == 0 && x && g && !g->status && x->g == g) return x;
    return scalar_op(g, &op_add_scalar, "sl_graph_add_scalar", x, s, 0);
}

static sl_node *mul_scalar(sl_graph *g, const char *who, sl_node *x, double re, double im);

sl_node *sl_graph_mul_scalar(sl_graph *g, sl_node *x, double s)
{
    return mul_scalar(g, "sl_graph_mul_scalar", x, s, 0);
}

sl_node *sl_graph_mul_complex_scalar(sl_graph *g, sl_node *x, double re, double im)
{
    return mul_scalar(g, "sl_graph_mul_complex_scalar", x, re, im);
}

static sl_node *mul_scalar(sl_graph *g, const char *who, sl_node *x, double re, double im)
{
    if (re == 1 && im == 0 && x && g && !g->status && x->g == g) return x;
    if (x && g && !g->status && x->dtype == SL_F64 && im != 0)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: complex scalar on an f64 node", who);
    return scalar_op(g, &op_mul_scalar, who, x, re, im);
}

sl_node *sl_graph_pow_scalar(sl_graph *g, sl_node *x, double p)
{
    if (p == 1 && x && g && !g->status && x->g == g) return x;
    return scalar_op(g, &op_pow_scalar, "sl_graph_pow_scalar", x, p, 0);
}

sl_node *sl_graph_rsub_scalar(sl_graph *g, sl_node *x, double s)
{
    return scalar_op(g, &op_rsub_scalar, "sl_graph_rsub_scalar", x, s, 0);
}

/* ---- Activations of dense networks: erf, SiLU, GELU ---------------------------
 * Each derivative is built from graph ops (erf from exp, SiLU from sigmoid,
 * GELU from erf and exp), so every order of derivative is available.
 *   erf'(x)  = 2/sqrt(pi) exp(-x^2)
 *   silu(x)  = x sigmoid(x),          silu'(x) = s (1 + x (1 - s)),  s = sigmoid(x)
 *   gelu(x)  = x Phi(x) (exact, Hendrycks & Gimpel 2016, eq. 1),
 *              gelu'(x) = Phi(x) + x phi(x), Phi(x) = (1 + erf(x/sqrt 2)) / 2,
 *              phi(x) = exp(-x^2/2) / sqrt(2 pi).
 * The forward GELU uses erfc(-x/sqrt 2) / 2 for Phi: accurate for x << 0. */
static void erf_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const double *a = in[0];
    double *o = out;
    for (int64_t i = 0; i < n->numel; ++i) o[i] = erf(a[i]);
}

static void gelu_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const double *a = in[0];
    double *o = out;
    for (int64_t i = 0; i < n->numel; ++i) o[i] = 0.5 * a[i] * erfc(-a[i] * M_SQRT1_2);
}

static void erf_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    sl_node *x = n->in[0];
    sl_node *d = sl_graph_mul_scalar(g, sl_graph_exp(g, sl_graph_neg(g, sl_graph_square(g, x))), M_2_SQRTPI);
    gin[0] = sl_graph_mul(g, gy, d);
}

/* SiLU shares one sigmoid node s = sigmoid(x) among the op and its
 * derivatives: silu, silu' and silu'' are ops of (x, s), so a training step
 * that runs the forward pass, the input gradient and its derivative evaluates
 * the sigmoid once per pre-activation.  s is computed as (1 + tanh(x/2)) / 2
 * through the vectorised tanh (vmath.h): exp per element made SiLU networks
 * three times slower than tanh ones (absolute error ~1e-16; the relative error
 * grows for x << 0, where sigmoid(x) < 1e-16 rounds to 0).  The ops of (x, s)
 * pass the whole derivative to x and none to s (s is a function of x):
 *   silu   = x s,
 *   silu'  = s (1 + x (1 - s)),
 *   silu'' = s' (2 + x (1 - 2 s)),                    s' = s (1 - s),
 *   silu''' = s' ((1 - 2 s) (3 + x (1 - 2 s)) - 2 x s')  (built of graph ops). */
static void silu_sigmoid_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vsigmoid(in[0], out, n->numel);
}

static void silu_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vbinary(SL__VMUL, in[0], in[1], out, n->numel);
}

static void silu_grad_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vsilu_grad(in[0], in[1], out, n->numel);
}

static void silu_grad2_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vsilu_grad2(in[0], in[1], out, n->numel);
}

static sl_node *silu_op(sl_graph *g, const sl_opdef *def, sl_node *x, sl_node *s);
static const sl_opdef op_silu_grad, op_silu_grad2;

/* d sigmoid = s (1 - s), for anyone differentiating through s itself */
static void silu_sigmoid_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    gin[0] = sl_graph_mul(g, gy, sl_graph_mul(g, n, sl_graph_rsub_scalar(g, n, 1.0)));
}

static void silu_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    gin[0] = sl_graph_mul(g, gy, silu_op(g, &op_silu_grad, n->in[0], n->in[1]));
    gin[1] = NULL;
}

static void silu_grad_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    gin[0] = sl_graph_mul(g, gy, silu_op(g, &op_silu_grad2, n->in[0], n->in[1]));
    gin[1] = NULL;
}

static void silu_grad2_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    sl_node *x = n->in[0], *s = n->in[1];
    sl_node *sp = sl_graph_mul(g, s, sl_graph_rsub_scalar(g, s, 1.0));
    sl_node *u = sl_graph_rsub_scalar(g, sl_graph_mul_scalar(g, s, 2.0), 1.0);
    sl_node *a = sl_graph_mul(g, u, sl_graph_add_scalar(g, sl_graph_mul(g, x, u), 3.0));
    sl_node *b = sl_graph_mul_scalar(g, sl_graph_mul(g, x, sp), 2.0);
    gin[0] = sl_graph_mul(g, gy, sl_graph_mul(g, sp, sl_graph_sub(g, a, b)));
    gin[1] = NULL;
}

static void gelu_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    (void)need;
    sl_node *x = n->in[0];
    sl_node *cdf = sl_graph_add_scalar(g, sl_graph_mul_scalar(g, sl_graph_erf(g, sl_graph_mul_scalar(g, x, M_SQRT1_2)), 0.5), 0.5);
    sl_node *pdf = sl_graph_mul_scalar(g, sl_graph_exp(g, sl_graph_mul_scalar(g, sl_graph_square(g, x), -0.5)),
                                       0.5 * M_2_SQRTPI * M_SQRT1_2);
    gin[0] = sl_graph_mul(g, gy, sl_graph_add(g, cdf, sl_graph_mul(g, x, pdf)));
}

static const sl_opdef op_erf = {"erf", erf_eval, erf_vjp, NULL, 0};
static const sl_opdef op_silu = {"silu", silu_eval, silu_vjp, NULL, 0};
static const sl_opdef op_gelu = {"gelu", gelu_eval, gelu_vjp, NULL, 0};
static const sl_opdef op_silu_sigmoid = {"silu_sigmoid", silu_sigmoid_eval, silu_sigmoid_vjp, NULL, 0};
static const sl_opdef op_silu_grad = {"silu_grad", silu_grad_eval, silu_grad_vjp, NULL, 0};
static const sl_opdef op_silu_grad2 = {"silu_grad2", silu_grad2_eval, silu_grad2_vjp, NULL, 0};

static sl_node *silu_op(sl_graph *g, const sl_opdef *def, sl_node *x, sl_node *s)
{
    sl_node *xs[2] = {x, s};
    if (!sl__gcheck(g, def->name, 2, xs)) return NULL;
    return sl__node_new(g, def, SL_F64, x->rank, x->shape, 2, xs);
}

sl_node *sl_graph_erf(sl_graph *g, sl_node *x) { return unary(g, &op_erf, "sl_graph_erf", x, REAL_ONLY, 0); }
sl_node *sl_graph_silu(sl_graph *g, sl_node *x)
{
    sl_node *s = unary(g, &op_silu_sigmoid, "sl_graph_silu", x, REAL_ONLY, 0);
    return s ? silu_op(g, &op_silu, x, s) : NULL;
}
sl_node *sl_graph_gelu(sl_graph *g, sl_node *x) { return unary(g, &op_gelu, "sl_graph_gelu", x, REAL_ONLY, 0); }

/* The maps of this file that run on blocks of rows of a real value as on the
 * whole (graph_internal.h): all but the complex conversions. */
int sl__unary_tile_kind(const sl_opdef *d)
{
    static const sl_opdef *const same[] = {
        &op_neg, &op_square, &op_exp, &op_log, &op_sqrt, &op_sin, &op_cos, &op_tanh, &op_sigmoid,
        &op_softplus, &op_relu, &op_abs, &op_add_scalar, &op_mul_scalar, &op_pow_scalar, &op_rsub_scalar,
        &op_tanh_backward, &op_tanh_backward_dy, &op_tanh_backward_sum, &op_tanh_backward_dy2, &op_step,
        &op_sign, &op_erf, &op_silu, &op_gelu, &op_silu_sigmoid, &op_silu_grad, &op_silu_grad2,
    };
    if (d == &op_bias_tanh) return SL__TILE_BCAST;
    for (size_t i = 0; i < sizeof same / sizeof same[0]; ++i)
        if (d == same[i]) return SL__TILE_SAME;
    return 0;
}

/* The tangent of y = tanh(z) along dz = u: u (1 - y^2), the forward-mode
 * (JVP) map, as tanh_backward(y, u) (one pass; its vjp, and so a training
 * step's reverse pass through it, is tanh_backward's: two passes).  Real
 * operands of one shape; otherwise the graph ops u - u y^2. */
sl_node *sl__tanh_tangent(sl_graph *g, sl_node *y, sl_node *u)
{
    sl_node *xs[2] = {y, u};
    if (!sl__gcheck(g, "tanh_tangent", 2, xs)) return NULL;
    if (y->dtype == SL_F64 && u->dtype == SL_F64 && sl__same_shape(y, u))
        return sl__node_new(g, &op_tanh_backward, SL_F64, y->rank, y->shape, 2, xs);
    return sl_graph_sub(g, u, sl_graph_mul(g, u, sl_graph_square(g, y)));
}
