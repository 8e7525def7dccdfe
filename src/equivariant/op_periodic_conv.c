/* Periodic (circular) convolution in d dimensions as graph ops, stride 1:
 *
 *   pconv(x, w; p):   y[b,o,s] = sum_{c,k} w[o,c,k] x[b,c,(s + k - p) mod L]
 *   pconv_w(gy, x; K, p): gw[o,c,k] = sum_{b,s} gy[b,o,s] x[b,c,(s + k - p) mod L]
 *   kflip(w):         w'[c,o,k] = w[o,c,K-1-k]
 *
 * x (B, Cin, L..), w (Cout, Cin, K..), multi-indices s, k, offsets p (one
 * per axis).  The three are closed under the vjp, so any derivative order works:
 *   pconv:   gx = pconv(gy, kflip(w); K-1-p),  gw = pconv_w(gy, x; K, p)
 *   pconv_w: g(gy) = pconv(x, G; p),           gx = pconv(gy, kflip(G); K-1-p)
 *   kflip:   g = kflip(G)  (an involutive permutation).
 * In 2D the loops are pconv2d.c (strided GEMMs on rotated planes); otherwise
 * im2col (row copies through a table of source rows, built per run) and one
 * GEMM per sample: Y_b (Cout, N) = W (Cout, Cin Kv) col_b. */
#include "eq_internal.h"
#include "../kernels/velem.h"
#include "../kernels/vmath.h"

typedef struct {
    int d, act; /* act 1: the output is tanh(conv + bias) (sl__eq_pconv_tanh) */
    int64_t K[SL_MAX_RANK], p[SL_MAX_RANK];
} pconv_attr;

/* Sites N and kernel volume of a node with spatial shape L (d axes) and K. */
static int64_t vol(int d, const int64_t *L)
{
    int64_t v = 1;
    for (int i = 0; i < d; ++i) v *= L[i];
    return v;
}

/* The gather of im2col by rows of the last axis: for kernel offset k, row r
 * (a multi-index over all but the last axis) of the shifted field starts at
 * rows[k R + r] (the source row's base, all but the last axis shifted by
 * k - p modulo L) and is that row rotated left by rot[k]. */
static void build_table(int d, const int64_t *L, const int64_t *K, const int64_t *p, int32_t *rows, int32_t *rot)
{
    int64_t N = vol(d, L), kv = vol(d, K), Ll = L[d - 1], R = N / Ll;
    int64_t kk[SL_MAX_RANK] = {0};
    for (int64_t k = 0; k < kv; ++k) {
        int64_t ss[SL_MAX_RANK] = {0}, sh[SL_MAX_RANK] = {0};
        for (int i = 0; i < d; ++i) sh[i] = (((kk[i] - p[i]) % L[i]) + L[i]) % L[i];
        rot[k] = (int32_t)sh[d - 1];
        for (int64_t r = 0; r < R; ++r) {
            int64_t lin = 0;
            for (int i = 0; i < d - 1; ++i) {
                int64_t v = ss[i] + sh[i];
                if (v >= L[i]) v -= L[i];
                lin = lin * L[i] + v;
            }
            rows[k * R + r] = (int32_t)(lin * Ll);
            for (int i = d - 2; i >= 0; --i) {
                if (++ss[i] < L[i]) break;
                ss[i] = 0;
            }
        }
        for (int i = d - 1; i >= 0; --i) {
            if (++kk[i] < K[i]) break;
            kk[i] = 0;
        }
    }
}

/* col[(c kv + k) N + s] = xb[c N + (s shifted by k - p)] */
static void im2col(int64_t C, int64_t kv, int64_t N, int64_t Ll, const int32_t *rows, const int32_t *rot,
                   const double *xb, double *col)
{
    int64_t R = N / Ll;
    for (int64_t c = 0; c < C; ++c) {
        const double *xc = xb + c * N;
        for (int64_t k = 0; k < kv; ++k) {
            const int32_t *rk = rows + k * R;
            int64_t o = rot[k], h = Ll - o;
            double *dst = col + (c * kv + k) * N;
            for (int64_t r = 0; r < R; ++r, dst += Ll) {
                const double *src = xc + rk[r];
                for (int64_t j = 0; j < h; ++j) dst[j] = src[o + j];
                for (int64_t j = 0; j < o; ++j) dst[h + j] = src[j];
            }
        }
    }
}

/* im2col of one sample through the row tables (d != 2; 2D is pconv2d.c). */
static void gather(const pconv_attr *a, const int64_t *L, int64_t C, const int32_t *rows, const int32_t *rot,
                   const double *xb, double *col, double *tmp)
{
    (void)tmp;
    int64_t N = vol(a->d, L), kv = vol(a->d, a->K);
    im2col(C, kv, N, L[a->d - 1], rows, rot, xb, col);
}

static int identity_kernel(const pconv_attr *a)
{
    for (int i = 0; i < a->d; ++i)
        if (a->K[i] != 1 || a->p[i] != 0) return 0;
    return 1;
}

static size_t table_bytes(int64_t kv, int64_t N, int64_t Ll)
{
    return ((size_t)(kv * (N / Ll + 1)) * sizeof(int32_t) + 63) / 64 * 64;
}

/* ---- pconv ---------------------------------------------------------------------------- */
/* in = {x (B, Cin, L..), w (Cout, Cin, K..)} */
static size_t pconv_scratch(const sl_node *n)
{
    const pconv_attr *a = n->attr;
    const sl_node *x = n->in[0];
    int64_t N = vol(a->d, x->shape + 2), kv = vol(a->d, a->K);
    size_t z = a->act ? sizeof(double) * (size_t)(n->shape[1] * N) : 0; /* one sample before tanh */
    if (identity_kernel(a)) return z;
    if (a->d == 2) return z + sl__eq_pconv2d_scratch(x->shape[1], n->shape[1], x->shape + 2, a->K[0], a->K[1]);
    return z + table_bytes(kv, N, x->shape[x->rank - 1]) +
           sizeof(double) * (size_t)(x->shape[1] * kv * N + a->K[a->d - 1] * N);
}

/* Y_b[o, :] += bias[o] (the fused bias of sl_graph_periodic_conv, added to
 * each sample while it is in cache: the same sums as a separate pass). */
static void add_bias(int64_t Co, int64_t N, const double *bias, double *Yb)
{
    if (!bias) return;
    for (int64_t o = 0; o < Co; ++o) {
        double v = bias[o], *r = Yb + o * N;
        for (int64_t s = 0; s < N; ++s) r[s] += v;
    }
}

static void pconv_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    const pconv_attr *a = n->attr;
    const sl_node *x = n->in[0];
    int64_t B = x->shape[0], Ci = x->shape[1], Co = n->shape[1];
    int64_t N = vol(a->d, x->shape + 2), kv = vol(a->d, a->K);
    const double *X = in[0], *W = in[1], *bias = n->nin > 2 ? in[2] : NULL;
    double *Y = out, *z = NULL;
    if (a->act) { /* each sample's conv + bias in z, then tanh into Y */
        z = scratch;
        scratch = z + Co * N;
    }
    if (a->d == 2 && !identity_kernel(a)) {
        sl__eq_pconv2d_fwd(B, Ci, Co, x->shape + 2, a->K, a->p, X, W, bias, z, Y, scratch);
        return;
    }
    int64_t Ll = x->shape[x->rank - 1];
    int32_t *rows = NULL, *rot = NULL;
    double *col = NULL, *tmp = NULL;
    if (!identity_kernel(a)) {
        rows = scratch, rot = rows + kv * (N / Ll);
        col = (double *)((char *)scratch + table_bytes(kv, N, Ll)), tmp = col + Ci * kv * N;
        build_table(a->d, x->shape + 2, a->K, a->p, rows, rot);
    }
    for (int64_t b = 0; b < B; ++b) {
        double *yb = z ? z : Y + b * Co * N;
        if (identity_kernel(a)) sl__gemm(SL_F64, SL_OP_N, SL_OP_N, Co, N, Ci, W, X + b * Ci * N, yb);
        else {
            gather(a, x->shape + 2, Ci, rows, rot, X + b * Ci * N, col, tmp);
            sl__gemm(SL_F64, SL_OP_N, SL_OP_N, Co, N, Ci * kv, W, col, yb);
        }
        add_bias(Co, N, bias, yb);
        if (z) sl__vtanh(z, Y + b * Co * N, Co * N);
    }
}

/* ---- tanh backward of the fused activation: gz = gy (1 - y^2) ------------------------ */
/* in = {y, gy}; the kernel of sl_graph_tanh's backward, so the same bits. */
static void tbwd_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    sl__vtanh_backward(in[0], in[1], out, n->numel);
}

static sl_node *tanh_bwd(sl_graph *g, sl_node *y, sl_node *gy);

/* dz/dgy = 1 - y^2, dz/dy = -2 y gy */
static void tbwd_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    sl_node *y = n->in[0], *gy = n->in[1];
    if (need[0]) gin[0] = sl_graph_mul(g, sl_graph_mul(g, G, gy), sl_graph_mul_scalar(g, y, -2.0));
    if (need[1]) gin[1] = tanh_bwd(g, y, G);
}

static const sl_opdef op_tbwd = {"periodic_conv_tanh_backward", tbwd_eval, tbwd_vjp, NULL, 0};

/* The same when gy is the average pool's broadcast of G (one value per
 * (sample, channel) row): gz[p, s] = G[p] (1 - y[p, s]^2), without the
 * broadcast tensor.  in = {y, G}. */
SL_EQ_LOOP static void tbwd_row(int64_t S, double v, const double *restrict y, double *restrict o)
{
    for (int64_t s = 0; s < S; ++s) o[s] = v * (1.0 - y[s] * y[s]);
}

static void tbwdb_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    int64_t P = n->in[1]->numel, S = n->numel / (P ? P : 1);
    const double *y = in[0], *G = in[1];
    double *o = out;
    for (int64_t p = 0; p < P; ++p) tbwd_row(S, G[p], y + p * S, o + p * S);
}

/* d/dy = -2 y bcast(G) W,  d/dG = pool_sum(W (1 - y^2)) */
static void tbwdb_vjp(sl_graph *g, sl_node *n, sl_node *W, const int *need, sl_node **gin)
{
    sl_node *y = n->in[0], *G = n->in[1];
    if (need[0])
        gin[0] = sl_graph_mul(g, sl_graph_mul(g, W, sl__eq_pool_bcast(g, G, y)), sl_graph_mul_scalar(g, y, -2.0));
    if (need[1]) gin[1] = sl__eq_pool_sum(g, tanh_bwd(g, y, W), y->rank - G->rank);
}

static const sl_opdef op_tbwdb = {"periodic_conv_tanh_backward_pool", tbwdb_eval, tbwdb_vjp, NULL, 0};

static sl_node *tanh_bwd(sl_graph *g, sl_node *y, sl_node *gy)
{
    sl_node *ins[2] = {y, gy};
    if (!sl__gcheck(g, "sl_graph_periodic_conv vjp", 2, ins)) return NULL;
    if (sl__eq_is_pool_bcast(gy) && sl__same_shape(gy, y)) {
        ins[1] = gy->in[0];
        return sl__node_new(g, &op_tbwdb, SL_F64, y->rank, y->shape, 2, ins);
    }
    return sl__node_new(g, &op_tbwd, SL_F64, y->rank, y->shape, 2, ins);
}

static void pconv_vjp(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin)
{
    const pconv_attr *a = n->attr;
    const char *who = "sl_graph_periodic_conv vjp";
    int64_t q[SL_MAX_RANK];
    for (int i = 0; i < a->d; ++i) q[i] = a->K[i] - 1 - a->p[i];
    if (a->act) gy = tanh_bwd(g, n, gy); /* the gradient of conv + bias */
    if (need[0]) gin[0] = sl__eq_pconv(g, who, gy, sl__eq_kflip(g, who, n->in[1]), q);
    if (need[1]) gin[1] = sl__eq_pconv_w(g, who, gy, n->in[0], a->K, a->p);
    if (n->nin > 2 && need[2]) gin[2] = sl__eq_chan_sum(g, who, gy);
}

static const sl_opdef op_pconv = {"periodic_conv", pconv_eval, pconv_vjp, pconv_scratch, 0};

/* in = {x, w} or {x, w, bias} (bias (Cout), added per output channel). */
static sl_node *pconv_node(sl_graph *g, const char *who, sl_node *x, sl_node *w, sl_node *bias, const int64_t *p,
                           int act)
{
    sl_node *ins[3] = {x, w, bias};
    if (!sl__gcheck(g, who, bias ? 3 : 2, ins)) return NULL;
    char b1[96], b2[96];
    if (x->dtype != SL_F64 || w->dtype != SL_F64)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s, w is %s (must be f64)", who, sl__dtype_name(x->dtype),
                         sl__dtype_name(w->dtype));
    int d = x->rank - 2;
    if (d < 1 || w->rank != x->rank || w->shape[1] != x->shape[1])
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x %s and w %s (need x (B, Cin, L1..Ld), w (Cout, Cin, K1..Kd), d >= 1)",
                         who, sl__shape_str(x, b1, sizeof b1), sl__shape_str(w, b2, sizeof b2));
    int64_t N = vol(d, x->shape + 2), kv = vol(d, w->shape + 2);
    if (N > INT32_MAX || kv > (1 << 20) || !(N * kv <= ((int64_t)1 << 34) / (1 + x->shape[1])))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: lattice %lld sites with kernel %lld sites is too large", who,
                         (long long)N, (long long)kv);
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->rank);
    shape[1] = w->shape[0];
    if (!sl__gshape_ok(g, who, x->rank, shape)) return NULL;
    if (bias && (bias->dtype != SL_F64 || bias->rank != 1 || bias->shape[0] != shape[1]))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: bias %s (must be f64 of shape (%lld))", who,
                         sl__shape_str(bias, b1, sizeof b1), (long long)shape[1]);
    sl_node *n = sl__node_new(g, &op_pconv, SL_F64, x->rank, shape, bias ? 3 : 2, ins);
    pconv_attr *at = n ? sl__node_attr(n, who, sizeof *at) : NULL;
    if (!at) return NULL;
    at->d = d;
    at->act = act;
    for (int i = 0; i < d; ++i) {
        at->K[i] = w->shape[2 + i];
        at->p[i] = p[i];
    }
    return n;
}

sl_node *sl__eq_pconv(sl_graph *g, const char *who, sl_node *x, sl_node *w, const int64_t *p)
{
    return pconv_node(g, who, x, w, NULL, p, 0);
}

/* ---- pconv_w -------------------------------------------------------------------------- */
/* in = {gy (B, Cout, L..), x (B, Cin, L..)}; out (Cout, Cin, K..) */
static size_t pconv_w_scratch(const sl_node *n)
{
    const pconv_attr *a = n->attr;
    const sl_node *x = n->in[1];
    int64_t N = vol(a->d, x->shape + 2), kv = vol(a->d, a->K);
    if (a->d == 2) return sl__eq_pconv2d_scratch(x->shape[1], n->shape[0], x->shape + 2, a->K[0], a->K[1]);
    return table_bytes(kv, N, x->shape[x->rank - 1]) +
           sizeof(double) * (size_t)(x->shape[1] * kv * N + n->numel + a->K[a->d - 1] * N);
}

static void pconv_w_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    const pconv_attr *a = n->attr;
    const sl_node *x = n->in[1];
    int64_t B = x->shape[0], Ci = x->shape[1], Co = n->shape[0];
    int64_t N = vol(a->d, x->shape + 2), kv = vol(a->d, a->K);
    const double *GY = in[0], *X = in[1];
    double *O = out;
    if (a->d == 2) {
        sl__eq_pconv2d_wgrad(B, Ci, Co, x->shape + 2, a->K, a->p, GY, X, O, scratch);
        return;
    }
    int64_t Ll = x->shape[x->rank - 1];
    int32_t *rows = scratch, *rot = rows + kv * (N / Ll);
    double *col = (double *)((char *)scratch + table_bytes(kv, N, Ll)), *tmp = col + Ci * kv * N,
           *rt = tmp + n->numel;
    build_table(a->d, x->shape + 2, a->K, a->p, rows, rot);
    memset(O, 0, sizeof(double) * (size_t)n->numel);
    for (int64_t b = 0; b < B; ++b) {
        gather(a, x->shape + 2, Ci, rows, rot, X + b * Ci * N, col, rt);
        sl__gemm(SL_F64, SL_OP_N, SL_OP_T, Co, Ci * kv, N, GY + b * Co * N, col, tmp);
        for (int64_t i = 0; i < n->numel; ++i) O[i] += tmp[i];
    }
}

static void pconv_w_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    const pconv_attr *a = n->attr;
    const char *who = "sl_graph_periodic_conv vjp";
    int64_t q[SL_MAX_RANK];
    for (int i = 0; i < a->d; ++i) q[i] = a->K[i] - 1 - a->p[i];
    if (need[0]) gin[0] = sl__eq_pconv(g, who, n->in[1], G, a->p);
    if (need[1]) gin[1] = sl__eq_pconv(g, who, n->in[0], sl__eq_kflip(g, who, G), q);
}

static const sl_opdef op_pconv_w = {"periodic_conv_w", pconv_w_eval, pconv_w_vjp, pconv_w_scratch, 0};

sl_node *sl__eq_pconv_w(sl_graph *g, const char *who, sl_node *gy, sl_node *x, const int64_t *K, const int64_t *p)
{
    sl_node *ins[2] = {gy, x};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    int d = x->rank - 2;
    if (gy->rank != x->rank || d < 1 || gy->shape[0] != x->shape[0] ||
        memcmp(gy->shape + 2, x->shape + 2, sizeof(int64_t) * (size_t)d))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: bad gradient shapes", who);
    int64_t shape[SL_MAX_RANK] = {gy->shape[1], x->shape[1]};
    for (int i = 0; i < d; ++i) shape[2 + i] = K[i];
    if (!sl__gshape_ok(g, who, x->rank, shape)) return NULL;
    sl_node *n = sl__node_new(g, &op_pconv_w, SL_F64, x->rank, shape, 2, ins);
    pconv_attr *at = n ? sl__node_attr(n, who, sizeof *at) : NULL;
    if (!at) return NULL;
    at->d = d;
    for (int i = 0; i < d; ++i) {
        at->K[i] = K[i];
        at->p[i] = p[i];
    }
    return n;
}

/* ---- kflip ---------------------------------------------------------------------------- */
static void kflip_eval(const sl_node *n, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *w = n->in[0];
    int64_t Co = w->shape[0], Ci = w->shape[1], kv = w->numel / (Co * Ci);
    const double *W = in[0];
    double *O = out;
    for (int64_t o = 0; o < Co; ++o)
        for (int64_t c = 0; c < Ci; ++c)
            for (int64_t k = 0; k < kv; ++k) O[(c * Co + o) * kv + (kv - 1 - k)] = W[(o * Ci + c) * kv + k];
}

static void kflip_vjp(sl_graph *g, sl_node *n, sl_node *G, const int *need, sl_node **gin)
{
    (void)n;
    if (need[0]) gin[0] = sl__eq_kflip(g, "sl_graph_periodic_conv vjp", G);
}

static const sl_opdef op_kflip = {"periodic_conv_kflip", kflip_eval, kflip_vjp, NULL, 0};

/* Reversing the linear index of a row-major block reverses every axis. */
sl_node *sl__eq_kflip(sl_graph *g, const char *who, sl_node *w)
{
    if (!sl__gcheck(g, who, 1, &w)) return NULL;
    if (w->rank < 3) return sl__gfail(g, SL_ERR_SHAPE, "%s: kernel of rank %d", who, w->rank);
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, w->shape, sizeof(int64_t) * (size_t)w->rank);
    shape[0] = w->shape[1];
    shape[1] = w->shape[0];
    return sl__node_new(g, &op_kflip, SL_F64, w->rank, shape, 1, &w);
}

/* ---- public ---------------------------------------------------------------------------- */
sl_node *sl_graph_periodic_conv(sl_graph *g, sl_node *x, sl_node *w, sl_node *bias)
{
    const char *who = "sl_graph_periodic_conv";
    sl_node *ins[2] = {x, w};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    if (bias && !sl__gcheck(g, who, 1, &bias)) return NULL;
    int64_t p[SL_MAX_RANK] = {0};
    for (int i = 2; i < w->rank; ++i) p[i - 2] = (w->shape[i] - 1) / 2;
    return pconv_node(g, who, x, w, bias, p, 0);
}

sl_node *sl__eq_pconv_tanh(sl_graph *g, const char *who, sl_node *x, sl_node *w, sl_node *bias)
{
    sl_node *ins[2] = {x, w};
    if (!sl__gcheck(g, who, 2, ins)) return NULL;
    if (w->rank < 3) return sl__gfail(g, SL_ERR_SHAPE, "%s: kernel of rank %d", who, w->rank);
    int64_t p[SL_MAX_RANK] = {0};
    for (int i = 2; i < w->rank; ++i) p[i - 2] = (w->shape[i] - 1) / 2;
    return pconv_node(g, who, x, w, bias, p, 1);
}
