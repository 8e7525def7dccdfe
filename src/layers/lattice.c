/* Periodic lattices and gauge-field objects: creation, queries, the
 * canonical view, plaquette and link-trace measurements. */
#include "lattice_internal.h"
#include "lattice_ops.h"

#include <math.h>

int64_t sl__site_shift(int nd, const int64_t *dims, int64_t s, int mu, int64_t k)
{
    int64_t stride = 1;
    for (int nu = nd - 1; nu > mu; --nu) stride *= dims[nu];
    int64_t x = (s / stride) % dims[mu];
    int64_t y = ((x + k) % dims[mu] + dims[mu]) % dims[mu];
    return s + (y - x) * stride;
}

static sl_status gauge_alloc(sl_ctx *ctx, const char *who, int nd, const int64_t *dims, int nc,
                             int own, sl_gauge **out)
{
    sl_gauge *U = sl__alloc(ctx, sizeof *U, 1, who);
    if (!U) return SL_ERR_NOMEM;
    U->ctx = ctx;
    U->nd = nd;
    U->nc = nc;
    U->volume = 1;
    for (int mu = 0; mu < nd; ++mu) { U->dims[mu] = dims[mu]; U->volume *= dims[mu]; }
    if (own) {
        size_t n = (size_t)(U->volume * nd * nc * nc);
        U->own = sl__alloc(ctx, n * sizeof(cplx), 1, who);
        if (!U->own) { sl__free(ctx, U); return SL_ERR_NOMEM; }
        int64_t shape[SL_MAX_RANK];
        for (int mu = 0; mu < nd; ++mu) shape[mu] = dims[mu];
        shape[nd] = nd; shape[nd + 1] = nc; shape[nd + 2] = nc;
        sl_status st = sl_tensor_wrap(ctx, SL_C128, nd + 3, shape, NULL, U->own, &U->view);
        if (st) { sl__free(ctx, U->own); sl__free(ctx, U); return st; }
    }
    *out = U;
    return SL_OK;
}

sl_status sl__gauge_new(sl_ctx *ctx, const char *who, int nd, const int64_t *dims, int nc, int own,
                        sl_gauge **out)
{
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!dims) return sl__fail(ctx, SL_ERR_NULL, "%s: dims is NULL", who);
    if (nd < 1 || nd > SL_LATTICE_MAX_DIM)
        return sl__fail(ctx, SL_ERR_ARG, "%s: nd = %d (must be 1..%d)", who, nd, SL_LATTICE_MAX_DIM);
    if (nc < 2 || nc > SL_NC_MAX) return sl__fail(ctx, SL_ERR_ARG, "%s: nc = %d (must be 2..%d)", who, nc, SL_NC_MAX);
    for (int mu = 0; mu < nd; ++mu)
        if (dims[mu] < 1 || dims[mu] > (1 << 20))
            return sl__fail(ctx, SL_ERR_ARG, "%s: dims[%d] = %lld (must be 1..2^20)", who, mu, (long long)dims[mu]);
    int64_t vol, n;
    sl_status st = sl__product(ctx, SL_ERR_ARG, who, "the volume", nd, dims, &vol);
    if (st || (st = sl__product(ctx, SL_ERR_ARG, who, "the link entries (volume x nd x N^2)", 3,
                                (int64_t[]){vol, nd, (int64_t)nc * nc}, &n)))
        return st;
    return gauge_alloc(ctx, who, nd, dims, nc, own, out);
}

sl_status sl_gauge_create(sl_ctx *ctx, int nd, const int64_t *dims, int nc, sl_gauge **out)
{
    sl_status st = sl__gauge_new(ctx, "sl_gauge_create", nd, dims, nc, 1, out);
    if (st) return st;
    sl_gauge *U = *out;
    for (int64_t l = 0; l < U->volume * nd; ++l)
        for (int i = 0; i < nc; ++i) U->own[l * nc * nc + i * nc + i] = 1;
    return SL_OK;
}

void sl_gauge_destroy(sl_gauge *U)
{
    if (!U) return;
    sl_tensor_destroy(U->view);
    sl__free(U->ctx, U->own);
    sl__free(U->ctx, U);
}

int sl_gauge_nd(const sl_gauge *U) { return U ? U->nd : 0; }
int sl_gauge_nc(const sl_gauge *U) { return U ? U->nc : 0; }
int64_t sl_gauge_volume(const sl_gauge *U) { return U ? U->volume : 0; }
int sl_gauge_in_place(const sl_gauge *U) { return U ? U->in_place : 0; }
void sl_gauge_dims(const sl_gauge *U, int64_t *dims)
{
    if (!U || !dims) return;
    for (int mu = 0; mu < U->nd; ++mu) dims[mu] = U->dims[mu];
}
const sl_tensor *sl_gauge_tensor(const sl_gauge *U) { return U ? U->view : NULL; }
double *sl_gauge_data(sl_gauge *U) { return U && !U->in_place ? (double *)U->own : NULL; }

const cplx *sl__gauge_link(const sl_gauge *U, int64_t site, int mu, cplx *tmp)
{
    int n = U->nc;
    if (U->own) return U->own + (site * U->nd + mu) * n * n;
    /* strided host view */
    const sl_tensor *t = U->view;
    int nd = U->nd;
    int64_t x[SL_LATTICE_MAX_DIM], off = 0;
    sl__site_coords(nd, U->dims, site, x);
    for (int i = 0; i < nd; ++i) off += x[i] * sl_tensor_stride(t, i);
    off += mu * sl_tensor_stride(t, nd);
    const cplx *base = (const cplx *)sl_tensor_data(t) + off;
    int64_t sr = sl_tensor_stride(t, nd + 1), sc = sl_tensor_stride(t, nd + 2);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) tmp[i * n + j] = base[i * sr + j * sc];
    return tmp;
}

sl_status sl_gauge_copy_canonical(const sl_gauge *U, double *out)
{
    if (!U) return SL_ERR_NULL;
    if (!out) return sl__fail(U->ctx, SL_ERR_NULL, "sl_gauge_copy_canonical: out is NULL");
    int n2 = U->nc * U->nc;
    cplx tmp[SL_NC_MAX * SL_NC_MAX];
    cplx *o = (cplx *)out;
    for (int64_t s = 0; s < U->volume; ++s)
        for (int mu = 0; mu < U->nd; ++mu)
            memcpy(o + (s * U->nd + mu) * n2, sl__gauge_link(U, s, mu, tmp), sizeof(cplx) * (size_t)n2);
    return SL_OK;
}

sl_status sl_gauge_plaquette(const sl_gauge *U, double *plaq)
{
    if (!U) return SL_ERR_NULL;
    if (!plaq) return sl__fail(U->ctx, SL_ERR_NULL, "sl_gauge_plaquette: plaq is NULL");
    int n = U->nc, nd = U->nd;
    if (nd < 2) { *plaq = 1; return SL_OK; }
    cplx t1[SL_NC_MAX * SL_NC_MAX], t2[SL_NC_MAX * SL_NC_MAX], t3[SL_NC_MAX * SL_NC_MAX],
        t4[SL_NC_MAX * SL_NC_MAX], a[SL_NC_MAX * SL_NC_MAX], b[SL_NC_MAX * SL_NC_MAX];
    double acc = 0;
    for (int64_t s = 0; s < U->volume; ++s)
        for (int mu = 0; mu < nd; ++mu)
            for (int nu = mu + 1; nu < nd; ++nu) {
                const cplx *u1 = sl__gauge_link(U, s, mu, t1);
                const cplx *u2 = sl__gauge_link(U, sl__site_shift(nd, U->dims, s, mu, 1), nu, t2);
                const cplx *u3 = sl__gauge_link(U, sl__site_shift(nd, U->dims, s, nu, 1), mu, t3);
                const cplx *u4 = sl__gauge_link(U, s, nu, t4);
                sl__mat_mul(n, u1, u2, a);
                sl__mat_mul_na(n, a, u3, b);
                sl__mat_mul_na(n, b, u4, a);
                acc += creal(sl__mat_trace(n, a));
            }
    *plaq = acc / ((double)U->volume * nd * (nd - 1) / 2 * n);
    return SL_OK;
}

sl_status sl_gauge_link_trace(const sl_gauge *U, double *trace)
{
    if (!U) return SL_ERR_NULL;
    if (!trace) return sl__fail(U->ctx, SL_ERR_NULL, "sl_gauge_link_trace: trace is NULL");
    cplx tmp[SL_NC_MAX * SL_NC_MAX];
    double acc = 0;
    for (int64_t s = 0; s < U->volume; ++s)
        for (int mu = 0; mu < U->nd; ++mu) acc += creal(sl__mat_trace(U->nc, sl__gauge_link(U, s, mu, tmp)));
    *trace = acc / ((double)U->volume * U->nd * U->nc);
    return SL_OK;
}

/* ---- Graph helpers shared by the lattice layers -------------------------------- */
int sl__gauge_node_nd(sl_graph *g, const char *who, sl_node *U)
{
    if (!sl__gcheck(g, who, 1, &U)) return -1;
    char buf[96];
    if (U->dtype != SL_C128) { sl__gfail(g, SL_ERR_DTYPE, "%s: U is %s (must be c128)", who, sl__dtype_name(U->dtype)); return -1; }
    int nd = U->rank - 4;
    if (nd < 1 || U->shape[U->rank - 3] != nd || U->shape[U->rank - 1] != U->shape[U->rank - 2] ||
        U->shape[U->rank - 1] < 2) {
        sl__gfail(g, SL_ERR_SHAPE, "%s: U has shape %s (must be (B, L0..L_{nd-1}, nd, N, N), nd <= 4)", who,
                  sl__shape_str(U, buf, sizeof buf));
        return -1;
    }
    return nd;
}

int sl__field_node_nd(sl_graph *g, const char *who, sl_node *W)
{
    if (!sl__gcheck(g, who, 1, &W)) return -1;
    char buf[96];
    if (W->dtype != SL_C128) { sl__gfail(g, SL_ERR_DTYPE, "%s: W is %s (must be c128)", who, sl__dtype_name(W->dtype)); return -1; }
    int nd = W->rank - 4;
    if (nd < 1 || W->shape[W->rank - 1] != W->shape[W->rank - 2]) {
        sl__gfail(g, SL_ERR_SHAPE, "%s: W has shape %s (must be (C, B, L0..L_{nd-1}, N, N))", who,
                  sl__shape_str(W, buf, sizeof buf));
        return -1;
    }
    return nd;
}

sl_node *sl__shift(sl_graph *g, sl_node *f, int a0, int mu, int64_t k)
{
    if (!f) return NULL;
    int64_t L = f->shape[a0 + mu];
    k %= L;
    if (k == 0) return f;
    return sl_graph_roll(g, f, a0 + mu, -k);
}

sl_node *sl__line(sl_graph *g, const char *who, sl_node *link, int mu, int k)
{
    sl_node *acc = link;
    for (int t = 1; t < k; ++t) acc = sl__lat_mm(g, who, acc, 0, sl__shift(g, link, 1, mu, t), 0);
    return acc;
}

sl_node *sl__unsqueeze0(sl_graph *g, sl_node *x)
{
    if (!x) return NULL;
    int64_t shape[SL_MAX_RANK];
    shape[0] = 1;
    for (int i = 0; i < x->rank; ++i) shape[i + 1] = x->shape[i];
    return sl_graph_reshape(g, x, x->rank + 1, shape);
}

sl_node *sl__eye_like(sl_graph *g, sl_node *like)
{
    if (!like) return NULL;
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, like->shape, sizeof(int64_t) * (size_t)like->rank);
    shape[0] = 1;
    return sl_graph_broadcast(g, sl_graph_eye(g, SL_C128, like->shape[like->rank - 1]), like->rank, shape);
}
