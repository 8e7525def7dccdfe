/* Host gauge-field layouts (QUDA's gauge orders plus openQCD; see
 * docs/lattice.md): validation, in-place strided views where the layout is
 * lexicographic, one canonical copy otherwise, and export back. */
#include "lattice_internal.h"

#include <math.h>

#define LAYOUT_MIN SL_OPTS_END(sl_gauge_layout, site_index)

sl_status sl_gauge_layout_init_sized(sl_gauge_layout *lay, size_t size)
{
    static const sl_gauge_layout d = SL_GAUGE_LAYOUT_INIT;
    return sl__opts_init(lay, size, &d, sizeof d, LAYOUT_MIN);
}

void (sl_gauge_layout_init)(sl_gauge_layout *lay)
{
    sl_gauge_layout_init_sized(lay, SL_OPTS_SIZEOF_1_0(sl_gauge_layout, site_index));
}

static int eo_order(const sl_gauge_layout *l)
{
    if (l->order == SL_GAUGE_ORDER_CUSTOM)
        return l->site_order == SL_SITES_EO_T_FASTEST || l->site_order == SL_SITES_EO_X_FASTEST;
    return l->order != SL_GAUGE_ORDER_CANONICAL && l->order != SL_GAUGE_ORDER_OPENQCD;
}
static int x_fastest(const sl_gauge_layout *l)
{
    if (l->order == SL_GAUGE_ORDER_CUSTOM)
        return l->site_order == SL_SITES_LEX_X_FASTEST || l->site_order == SL_SITES_EO_X_FASTEST;
    return l->order != SL_GAUGE_ORDER_CANONICAL && l->order != SL_GAUGE_ORDER_OPENQCD;
}

static sl_status layout_check(sl_ctx *ctx, const char *who, const sl_gauge_layout *l);

sl_status sl__layout_read(sl_ctx *ctx, const char *who, const sl_gauge_layout *user, sl_gauge_layout *l)
{
    sl_gauge_layout_init_sized(l, sizeof *l);
    sl_status st = sl__opts_read(ctx, who, "layout", l, sizeof *l, user, LAYOUT_MIN);
    return st ? st : layout_check(ctx, who, l);
}

static sl_status layout_check(sl_ctx *ctx, const char *who, const sl_gauge_layout *l)
{
    if (l->order < SL_GAUGE_ORDER_CANONICAL || l->order > SL_GAUGE_ORDER_OPENQCD)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->order = %d (not an SL_GAUGE_ORDER_*)", who, l->order);
    if (l->nd < 1 || l->nd > SL_LATTICE_MAX_DIM)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->nd = %d (must be 1..%d)", who, l->nd, SL_LATTICE_MAX_DIM);
    if (l->nc < 2 || l->nc > SL_NC_MAX)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->nc = %d (must be 2..%d)", who, l->nc, SL_NC_MAX);
    for (int mu = 0; mu < l->nd; ++mu)
        if (l->dims[mu] < 1 || l->dims[mu] > (1 << 20))
            return sl__fail(ctx, SL_ERR_ARG, "%s: layout->dims[%d] = %lld", who, mu, (long long)l->dims[mu]);
    if (l->order == SL_GAUGE_ORDER_CUSTOM &&
        (l->site_order < SL_SITES_LEX_T_FASTEST || l->site_order > SL_SITES_EO_X_FASTEST))
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_order = %d (not an SL_SITES_*)", who, l->site_order);
    if (eo_order(l)) {
        int fast = x_fastest(l) ? 0 : l->nd - 1;
        if (l->dims[fast] % 2)
            return sl__fail(ctx, SL_ERR_ARG, "%s: layout->dims[%d] = %lld must be even for an even-odd order", who,
                            fast, (long long)l->dims[fast]);
    }
    if (l->order == SL_GAUGE_ORDER_MILC_SITE &&
        l->site_size < l->link_offset + sizeof(double) * 2 * (size_t)(l->nd * l->nc * l->nc))
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_size = %zu is smaller than link_offset + the links", who,
                        l->site_size);
    if (l->order == SL_GAUGE_ORDER_BQCD && l->pad < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->pad = %lld", who, (long long)l->pad);
    if (l->order == SL_GAUGE_ORDER_OPENQCD && !l->site_index)
        return sl__fail(ctx, SL_ERR_NULL, "%s: layout->site_index (openQCD's ipt) is NULL", who);
    return SL_OK;
}

/* Host site index of canonical site s: lexicographic or even-odd. */
static int64_t host_site(const sl_gauge_layout *l, int64_t vol, int64_t s, int *parity)
{
    int64_t x[SL_LATTICE_MAX_DIM], lex = 0, p = 0;
    sl__site_coords(l->nd, l->dims, s, x);
    if (x_fastest(l))
        for (int mu = l->nd - 1; mu >= 0; --mu) lex = lex * l->dims[mu] + x[mu];
    else
        lex = s;
    for (int mu = 0; mu < l->nd; ++mu) p += x[mu];
    *parity = (int)(p & 1);
    if (!eo_order(l)) return lex;
    return *parity * (vol / 2) + lex / 2;
}

/* Address of link (s, mu) in the host array and its colour strides (in
 * complex elements): element (r, c) is at base[r * sr + c * sc]. */
static cplx *host_link(const sl_gauge_layout *l, const void *data, int64_t vol, int64_t s, int mu,
                       int64_t *sr, int64_t *sc)
{
    int n = l->nc, nd = l->nd;
    int64_t n2 = (int64_t)n * n;
    int par;
    int64_t h = host_site(l, vol, s, &par);
    int colmajor = l->order == SL_GAUGE_ORDER_CPS || l->order == SL_GAUGE_ORDER_BQCD ||
                   l->order == SL_GAUGE_ORDER_TIFR || (l->order == SL_GAUGE_ORDER_CUSTOM && l->colour_major);
    *sr = colmajor ? 1 : n;
    *sc = colmajor ? n : 1;
    cplx *base = (cplx *)(uintptr_t)data;
    switch (l->order) {
    case SL_GAUGE_ORDER_QDP:
        return ((cplx *const *)data)[mu] + h * n2;
    case SL_GAUGE_ORDER_MILC_SITE:
        return (cplx *)((char *)(uintptr_t)data + (size_t)h * l->site_size + l->link_offset) + mu * n2;
    case SL_GAUGE_ORDER_BQCD: {
        int64_t blk = vol / 2 + l->pad, within = h - par * (vol / 2);
        return base + (mu * 2 * blk + par * blk + within) * n2;
    }
    case SL_GAUGE_ORDER_TIFR:
        return base + (mu * vol + h) * n2;
    case SL_GAUGE_ORDER_CUSTOM:
        return base + (l->direction_major ? mu * vol + h : h * nd + mu) * n2;
    case SL_GAUGE_ORDER_OPENQCD: {
        int64_t ix = l->site_index[s];
        if (ix >= vol / 2) return base + (2 * nd * (ix - vol / 2) + 2 * mu) * n2;
        int64_t iy = l->site_index[sl__site_shift(nd, l->dims, s, mu, 1)];
        return base + (2 * nd * (iy - vol / 2) + 2 * mu + 1) * n2;
    }
    default:   /* CANONICAL, MILC, CPS: [site][mu] */
        return base + (h * nd + mu) * n2;
    }
}

static int in_place_ok(const sl_gauge_layout *l)
{
    return l->order == SL_GAUGE_ORDER_CANONICAL || (l->order == SL_GAUGE_ORDER_CUSTOM && !eo_order(l));
}

/* Checks of every link: finite, unitary to 1e-8. */
static sl_status check_links(sl_gauge *U, const char *who)
{
    int n = U->nc;
    cplx tmp[SL_NC_MAX * SL_NC_MAX];
    for (int64_t s = 0; s < U->volume; ++s)
        for (int mu = 0; mu < U->nd; ++mu) {
            const cplx *u = sl__gauge_link(U, s, mu, tmp);
            if (sl__first_nonfinite((const double *)u, (size_t)(2 * n * n)) >= 0)
                return sl__fail(U->ctx, SL_ERR_NONFINITE, "%s: link (site %lld, mu %d) is not finite", who,
                                (long long)s, mu);
            double e = sl__mat_unitarity(n, u);
            if (!(e <= 1e-8))
                return sl__fail(U->ctx, SL_ERR_ARG, "%s: link (site %lld, mu %d) is not unitary (|U U^+ - 1| = %.3g)",
                                who, (long long)s, mu, e);
        }
    return SL_OK;
}

static sl_status read_host(sl_gauge *U, const char *who)
{
    const sl_gauge_layout *l = &U->lay;
    if (!U->in_place) {
        int n = U->nc;
        int64_t sr, sc;
        for (int64_t s = 0; s < U->volume; ++s)
            for (int mu = 0; mu < U->nd; ++mu) {
                const cplx *h = host_link(l, U->host, U->volume, s, mu, &sr, &sc);
                cplx *o = U->own + (s * U->nd + mu) * n * n;
                for (int r = 0; r < n; ++r)
                    for (int c = 0; c < n; ++c) o[r * n + c] = h[r * sr + c * sc];
            }
    }
    return check_links(U, who);
}

sl_status sl_gauge_wrap(sl_ctx *ctx, const sl_gauge_layout *lay, const void *data, sl_gauge **out)
{
    const char *who = "sl_gauge_wrap";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    sl_gauge_layout lay_copy;
    sl_status st = sl__layout_read(ctx, who, lay, &lay_copy);
    if (st) return st;
    lay = &lay_copy;
    if (!data) return sl__fail(ctx, SL_ERR_NULL, "%s: data is NULL", who);
    if (lay->order == SL_GAUGE_ORDER_QDP)
        for (int mu = 0; mu < lay->nd; ++mu)
            if (!((const void *const *)data)[mu]) return sl__fail(ctx, SL_ERR_NULL, "%s: QDP data[%d] is NULL", who, mu);
    int inplace = in_place_ok(lay);
    sl_gauge *U;
    st = sl__gauge_new(ctx, who, lay->nd, lay->dims, lay->nc, !inplace, &U);
    if (st) return st;
    U->lay = *lay;
    U->host = data;
    U->wrapped = 1;
    U->in_place = inplace;
    if (inplace) {
        int nd = lay->nd, n = lay->nc;
        int64_t shape[SL_MAX_RANK], strides[SL_MAX_RANK], n2 = (int64_t)n * n;
        int64_t site_unit = lay->order == SL_GAUGE_ORDER_CUSTOM && lay->direction_major ? n2 : nd * n2;
        int64_t acc = site_unit;
        if (x_fastest(lay))
            for (int mu = 0; mu < nd; ++mu) { strides[mu] = acc; acc *= lay->dims[mu]; }
        else
            for (int mu = nd - 1; mu >= 0; --mu) { strides[mu] = acc; acc *= lay->dims[mu]; }
        for (int mu = 0; mu < nd; ++mu) shape[mu] = lay->dims[mu];
        shape[nd] = nd; shape[nd + 1] = n; shape[nd + 2] = n;
        strides[nd] = site_unit == n2 ? U->volume * n2 : n2;
        int cm = lay->order == SL_GAUGE_ORDER_CUSTOM && lay->colour_major;
        strides[nd + 1] = cm ? 1 : n;
        strides[nd + 2] = cm ? n : 1;
        st = sl_tensor_wrap(ctx, SL_C128, nd + 3, shape, strides, (void *)(uintptr_t)data, &U->view);
        if (st) { sl_gauge_destroy(U); return st; }
    }
    st = read_host(U, who);
    if (st) { sl_gauge_destroy(U); return st; }
    *out = U;
    return SL_OK;
}

sl_status sl_gauge_refresh(sl_gauge *U)
{
    if (!U) return SL_ERR_NULL;
    if (!U->wrapped) return SL_OK;
    return read_host(U, "sl_gauge_refresh");
}

sl_status sl_gauge_export(const sl_gauge *U, const sl_gauge_layout *lay, void *data)
{
    const char *who = "sl_gauge_export";
    if (!U) return SL_ERR_NULL;
    sl_gauge_layout lay_copy;
    sl_status st = sl__layout_read(U->ctx, who, lay, &lay_copy);
    if (st) return st;
    lay = &lay_copy;
    if (!data) return sl__fail(U->ctx, SL_ERR_NULL, "%s: data is NULL", who);
    if (lay->nd != U->nd || lay->nc != U->nc)
        return sl__fail(U->ctx, SL_ERR_ARG, "%s: layout nd = %d, nc = %d but U has %d, %d", who, lay->nd, lay->nc, U->nd, U->nc);
    for (int mu = 0; mu < U->nd; ++mu)
        if (lay->dims[mu] != U->dims[mu])
            return sl__fail(U->ctx, SL_ERR_ARG, "%s: layout dims[%d] = %lld but U has %lld", who, mu,
                            (long long)lay->dims[mu], (long long)U->dims[mu]);
    int n = U->nc;
    int64_t sr, sc;
    cplx tmp[SL_NC_MAX * SL_NC_MAX];
    for (int64_t s = 0; s < U->volume; ++s)
        for (int mu = 0; mu < U->nd; ++mu) {
            cplx *h = host_link(lay, data, U->volume, s, mu, &sr, &sc);
            const cplx *u = sl__gauge_link(U, s, mu, tmp);
            for (int r = 0; r < n; ++r)
                for (int c = 0; c < n; ++c) h[r * sr + c * sc] = u[r * n + c];
        }
    return SL_OK;
}
