/* Broadcasting binary ops: add, sub, mul, div, pow. */
#include "broadcast.h"
#include "../kernels/velem.h"

#include <math.h>

#define BINARY_BODY(T, EXPR)                                                           \
    {                                                                                  \
        const T *a = in[0], *b = in[1];                                                \
        T *o = out;                                                                    \
        const sl_node *A = n->in[0], *B = n->in[1];                                    \
        if (A->numel == n->numel && B->numel == n->numel) {                            \
            for (int64_t i = 0; i < n->numel; ++i) { T x = a[i], y = b[i]; o[i] = (EXPR); } \
        } else if (B->numel == 1 && A->numel == n->numel) {                            \
            T y = b[0];                                                                \
            for (int64_t i = 0; i < n->numel; ++i) { T x = a[i]; o[i] = (EXPR); }      \
        } else if (A->numel == 1 && B->numel == n->numel) {                            \
            T x = a[0];                                                                \
            for (int64_t i = 0; i < n->numel; ++i) { T y = b[i]; o[i] = (EXPR); }      \
        } else {                                                                       \
            int64_t sa[SL_MAX_RANK], sb[SL_MAX_RANK];                                  \
            sl__bcast_strides(n->rank, n->shape, A->rank, A->shape, sa);               \
            sl__bcast_strides(n->rank, n->shape, B->rank, B->shape, sb);               \
            SL_BCAST_LOOP(n->rank, n->shape, sa, sb, { T x = a[ia], y = b[ib]; o[io] = (EXPR); }); \
        }                                                                              \
    }

#define BINARY_EVAL(NAME, REXPR, CEXPR)                                                \
    static void NAME##_eval(const sl_node *n, void *out, void *const *in, void *scratch) \
    {                                                                                  \
        (void)scratch;                                                                 \
        if (n->dtype == SL_F64) BINARY_BODY(double, REXPR)                             \
        else BINARY_BODY(cplx, CEXPR)                                                  \
    }

/* Real add, sub, mul of equal shapes, or with one operand a row broadcast
 * over the other's rows (a bias), through the vectorised kernels (the same
 * bits as the loops above); 0 when the shapes are of another kind. */
static int row_vector(const sl_node *v, const sl_node *full)
{
    if (full->rank < 1 || v->numel != full->shape[full->rank - 1] || v->numel == full->numel) return 0;
    for (int i = 0; i < v->rank - 1; ++i)
        if (v->shape[i] != 1) return 0;
    return v->rank >= 1 && v->rank <= full->rank;
}

/* v of full's rank and shape but for a 1 on the second last axis: a row per
 * leading block (a batch of dense layers' biases, shape (K, 1, C)). */
static int block_row(const sl_node *v, const sl_node *full)
{
    int r = full->rank;
    if (r < 3 || v->rank != r || v->shape[r - 2] != 1 || full->shape[r - 2] == 1) return 0;
    for (int i = 0; i < r; ++i)
        if (i != r - 2 && v->shape[i] != full->shape[i]) return 0;
    return 1;
}

static int fast_real(int op, const sl_node *n, void *out, void *const *in)
{
    const sl_node *A = n->in[0], *B = n->in[1];
    if (n->dtype != SL_F64) return 0;
    if (A->numel == n->numel && B->numel == n->numel) {
        sl__vbinary(op, in[0], in[1], out, n->numel);
        return 1;
    }
    int64_t cols = n->rank ? n->shape[n->rank - 1] : 1;
    if (A->numel == n->numel && row_vector(B, n)) {
        sl__vbinary_rows(op, 0, in[0], in[1], out, n->numel / cols, cols);
        return 1;
    }
    if (B->numel == n->numel && row_vector(A, n)) {
        sl__vbinary_rows(op, 1, in[1], in[0], out, n->numel / cols, cols);
        return 1;
    }
    int kb = A->numel == n->numel && block_row(B, n) ? 1 : B->numel == n->numel && block_row(A, n) ? 2 : 0;
    if (kb) {
        int64_t rows = n->shape[n->rank - 2], blocks = n->numel / (rows * cols);
        const double *f = in[kb == 1 ? 0 : 1], *v = in[kb == 1 ? 1 : 0];
        double *o = out;
        for (int64_t q = 0; q < blocks; ++q)
            sl__vbinary_rows(op, kb == 2, f + q * rows * cols, v + q * cols, o + q * rows * cols, rows, cols);
        return 1;
    }
    return 0;
}

#define FAST_BINARY_EVAL(NAME, OP, REXPR, CEXPR)                                       \
    static void NAME##_eval(const sl_node *n, void *out, void *const *in, void *scratch) \
    {                                                                                  \
        (void)scratch;                                                                 \
        if (fast_real(OP, n, out, in)) return;                                         \
        if (n->dtype == SL_F64) BINARY_BODY(double, REXPR)                             \
        else BINARY_BODY(cplx, CEXPR)                                                  \
    }

FAST_BINARY_EVAL(add, SL__VADD, x + y, x + y)
FAST_BINARY_EVAL(sub, SL__VSUB, x - y, x - y)
FAST_BINARY_EVAL(mul, SL__VMUL, x * y, x * y)
BINARY_EVAL(div, x / y, x / y)
BINARY_EVAL(pow, pow(x, y), cpow(x, y))

static void add_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = sl__sum_to_node(g, gy, n->in[0]);
    if (need[1]) gin[1] = sl__sum_to_node(g, gy, n->in[1]);
}

static void sub_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = sl__sum_to_node(g, gy, n->in[0]);
    if (need[1]) gin[1] = sl__sum_to_node(g, sl_graph_neg(g, gy), n->in[1]);
}

static void mul_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    if (need[0]) gin[0] = sl__sum_to_node(g, sl__chain(g, gy, n->in[1]), n->in[0]);
    if (need[1]) gin[1] = sl__sum_to_node(g, sl__chain(g, gy, n->in[0]), n->in[1]);
}

/* y = a / b: dy/da = 1/b, dy/db = -y/b. */
static void div_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *cb = sl_graph_conj(g, n->in[1]);
    if (need[0]) gin[0] = sl__sum_to_node(g, sl_graph_div(g, gy, cb), n->in[0]);
    if (need[1])
        gin[1] = sl__sum_to_node(g, sl_graph_neg(g, sl_graph_div(g, sl__chain(g, gy, n), cb)), n->in[1]);
}

/* y = a^b: dy/da = b a^(b-1), dy/db = y log a. */
static void pow_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *a = n->in[0], *b = n->in[1];
    if (need[0]) {
        sl_node *d = sl_graph_mul(g, b, sl_graph_pow(g, a, sl_graph_add_scalar(g, b, -1.0)));
        gin[0] = sl__sum_to_node(g, sl__chain(g, gy, d), a);
    }
    if (need[1]) gin[1] = sl__sum_to_node(g, sl__chain(g, gy, sl_graph_mul(g, n, sl_graph_log(g, a))), b);
}

static const sl_opdef op_add = {"add", add_eval, add_vjp, NULL, 0};
static const sl_opdef op_sub = {"sub", sub_eval, sub_vjp, NULL, 0};
static const sl_opdef op_mul = {"mul", mul_eval, mul_vjp, NULL, 0};
static const sl_opdef op_div = {"div", div_eval, div_vjp, NULL, 0};
static const sl_opdef op_pow = {"pow", pow_eval, pow_vjp, NULL, 0};

/* Each of them runs on blocks of rows as on the whole (graph_internal.h). */
int sl__binary_tile_kind(const sl_opdef *d)
{
    return d == &op_add || d == &op_sub || d == &op_mul || d == &op_div || d == &op_pow ? SL__TILE_BCAST : 0;
}

static sl_node *binary(sl_graph *g, const sl_opdef *def, const char *who, sl_node *a, sl_node *b)
{
    sl_node *xs[2] = {a, b};
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    if (a->dtype != b->dtype)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: operands are %s and %s (convert with sl_graph_complex "
                         "or sl_graph_real)", who, sl__dtype_name(a->dtype), sl__dtype_name(b->dtype));
    int rank;
    int64_t shape[SL_MAX_RANK];
    if (!sl__broadcast_shape(a->rank, a->shape, b->rank, b->shape, &rank, shape)) {
        char sa[96], sb[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: shapes %s and %s do not broadcast", who,
                         sl__shape_str(a, sa, sizeof sa), sl__shape_str(b, sb, sizeof sb));
    }
    if (!sl__gshape_ok(g, who, rank, shape)) return NULL;
    return sl__node_new(g, def, a->dtype, rank, shape, 2, xs);
}

/* x if the result of combining it with a constant fill has x's own shape. */
static int keeps_shape(const sl_node *x, const sl_node *c)
{
    int rank;
    int64_t shape[SL_MAX_RANK];
    return sl__broadcast_shape(x->rank, x->shape, c->rank, c->shape, &rank, shape) &&
           rank == x->rank && sl__numel(rank, shape) == x->numel && x->dtype == c->dtype;
}

sl_node *sl_graph_add(sl_graph *g, sl_node *a, sl_node *b)
{
    if (a && b && !(g && g->status) && a->g == g && b->g == g) {
        if (sl__is_fill(b, 0, 0) && keeps_shape(a, b)) return a;
        if (sl__is_fill(a, 0, 0) && keeps_shape(b, a)) return b;
    }
    return binary(g, &op_add, "sl_graph_add", a, b);
}

sl_node *sl_graph_sub(sl_graph *g, sl_node *a, sl_node *b)
{
    if (a && b && !(g && g->status) && a->g == g && b->g == g && sl__is_fill(b, 0, 0) && keeps_shape(a, b))
        return a;
    return binary(g, &op_sub, "sl_graph_sub", a, b);
}

sl_node *sl_graph_mul(sl_graph *g, sl_node *a, sl_node *b)
{
    if (a && b && !(g && g->status) && a->g == g && b->g == g) {
        if (sl__is_fill(b, 1, 0) && keeps_shape(a, b)) return a;
        if (sl__is_fill(a, 1, 0) && keeps_shape(b, a)) return b;
    }
    return binary(g, &op_mul, "sl_graph_mul", a, b);
}

sl_node *sl_graph_div(sl_graph *g, sl_node *a, sl_node *b)
{
    if (a && b && !(g && g->status) && a->g == g && b->g == g && sl__is_fill(b, 1, 0) && keeps_shape(a, b))
        return a;
    return binary(g, &op_div, "sl_graph_div", a, b);
}

sl_node *sl_graph_pow(sl_graph *g, sl_node *a, sl_node *b)
{
    return binary(g, &op_pow, "sl_graph_pow", a, b);
}

sl_node *sl_graph_dot(sl_graph *g, sl_node *a, sl_node *b)
{
    sl_status before = sl_graph_status(g);
    sl_node *p = sl_graph_mul(g, a, b);
    int last = -1;
    return sl__gwho(g, before, "sl_graph_dot", sl_graph_sum_axes(g, p, 1, &last, 0));
}

sl_node *sl__chain(sl_graph *g, sl_node *gy, sl_node *d)
{
    return sl_graph_mul(g, gy, sl_graph_conj(g, d));
}
