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

static sl_status layout_check(sl_ctx *ctx, const char *who, sl_gauge_layout *l);

sl_status sl__layout_read(sl_ctx *ctx, const char *who, const sl_gauge_layout *user, sl_gauge_layout *l)
{
    sl_gauge_layout_init_sized(l, sizeof *l);
    sl_status st = sl__opts_read(ctx, who, "layout", l, sizeof *l, user, LAYOUT_MIN);
    return st ? st : layout_check(ctx, who, l);
}

/* Complex elements from one link to the next in host order (quaternion: 2,
 * i.e. 4 doubles). */
static int64_t link_unit(const sl_gauge_layout *l)
{
    if (l->element == SL_GAUGE_ELEMENT_QUATERNION) return 2;
    return l->link_stride ? l->link_stride : (int64_t)l->nc * l->nc;
}
static int colour_major(const sl_gauge_layout *l)
{
    return l->order == SL_GAUGE_ORDER_CPS || l->order == SL_GAUGE_ORDER_BQCD || l->order == SL_GAUGE_ORDER_TIFR ||
           (l->order == SL_GAUGE_ORDER_CUSTOM && l->colour_major);
}
/* Row and column strides of a link's entries (complex elements). */
static void colour_strides(const sl_gauge_layout *l, int64_t *sr, int64_t *sc)
{
    if (l->colour_strides[0]) { *sr = l->colour_strides[0]; *sc = l->colour_strides[1]; return; }
    *sr = colour_major(l) ? 1 : l->nc;
    *sc = colour_major(l) ? l->nc : 1;
}
static int identity_directions(const sl_gauge_layout *l)
{
    for (int mu = 0; mu < l->nd; ++mu)
        if (l->directions[mu] != mu) return 0;
    return 1;
}

/* Strided axes (extent, stride) do not overlap: sorted by stride, each
 * stride at least the previous one times its extent (sufficient). */
static int no_overlap(int n, int64_t (*ax)[2])
{
    for (int i = 1; i < n; ++i)
        for (int j = i; j > 0 && ax[j][1] < ax[j - 1][1]; --j) {
            int64_t t0 = ax[j][0], t1 = ax[j][1];
            ax[j][0] = ax[j - 1][0]; ax[j][1] = ax[j - 1][1];
            ax[j - 1][0] = t0; ax[j - 1][1] = t1;
        }
    int64_t need = 1;
    for (int i = 0; i < n; ++i) {
        if (ax[i][0] == 1) continue;
        if (ax[i][1] < need) return 0;
        need = ax[i][1] * ax[i][0];     /* bounded by the caller's size check */
    }
    return 1;
}

/* openQCD's ipt[]: every value in 0..V-1, each once, even sites below V/2. */
static sl_status check_site_index(sl_ctx *ctx, const char *who, const sl_gauge_layout *l, int64_t vol)
{
    unsigned char *seen = sl__alloc(ctx, (size_t)vol, 1, who);
    if (!seen) return SL_ERR_NOMEM;
    sl_status st = SL_OK;
    int64_t x[SL_LATTICE_MAX_DIM];
    for (int64_t s = 0; s < vol && !st; ++s) {
        int64_t ix = l->site_index[s], p = 0;
        sl__site_coords(l->nd, l->dims, s, x);
        for (int mu = 0; mu < l->nd; ++mu) p += x[mu];
        if (ix < 0 || ix >= vol)
            st = sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_index[%lld] = %lld is outside 0..%lld (the volume of "
                          "layout->dims; openQCD's ipt[] is rank-local: the OPENQCD order is for one process)",
                          who, (long long)s, (long long)ix, (long long)vol - 1);
        else if (seen[ix])
            st = sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_index[%lld] = %lld occurs twice", who, (long long)s,
                          (long long)ix);
        else if ((ix >= vol / 2) != (p & 1))
            st = sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_index[%lld] = %lld puts an %s site among the %s points "
                          "(openQCD: even sites first)", who, (long long)s, (long long)ix, p & 1 ? "odd" : "even",
                          p & 1 ? "even" : "odd");
        else
            seen[ix] = 1;
    }
    sl__free(ctx, seen);
    return st;
}

static sl_status layout_check(sl_ctx *ctx, const char *who, sl_gauge_layout *l)
{
    if (l->order < SL_GAUGE_ORDER_CANONICAL || l->order > SL_GAUGE_ORDER_OPENQCD)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->order = %d (not an SL_GAUGE_ORDER_*)", who, l->order);
    if (l->nd < 1 || l->nd > SL_LATTICE_MAX_DIM)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->nd = %d (must be 1..%d)", who, l->nd, SL_LATTICE_MAX_DIM);
    if (l->nc < 2 || l->nc > SL_NC_MAX)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->nc = %d (must be 2..%d)", who, l->nc, SL_NC_MAX);
    for (int mu = 0; mu < l->nd; ++mu)
        if (l->dims[mu] < 1 || l->dims[mu] > (1 << 20))
            return sl__fail(ctx, SL_ERR_ARG, "%s: layout->dims[%d] = %lld (must be 1..2^20)", who, mu,
                            (long long)l->dims[mu]);
    int64_t vol, nl;
    sl_status st = sl__product(ctx, SL_ERR_ARG, who, "the volume (layout->dims)", l->nd, l->dims, &vol);
    if (st || (st = sl__product(ctx, SL_ERR_ARG, who, "the number of link entries", 3,
                                (int64_t[]){vol, l->nd, (int64_t)l->nc * l->nc}, &nl)))
        return st;
    if (l->order == SL_GAUGE_ORDER_CUSTOM &&
        (l->site_order < SL_SITES_LEX_T_FASTEST || l->site_order > SL_SITES_EO_X_FASTEST))
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_order = %d (not an SL_SITES_*)", who, l->site_order);
    if (eo_order(l)) {
        int fast = x_fastest(l) ? 0 : l->nd - 1;
        if (l->dims[fast] % 2)
            return sl__fail(ctx, SL_ERR_ARG, "%s: layout->dims[%d] = %lld must be even for an even-odd order", who,
                            fast, (long long)l->dims[fast]);
    }
    /* 1.1: element type, colour strides, direction permutation */
    if (l->element != SL_GAUGE_ELEMENT_COMPLEX && l->element != SL_GAUGE_ELEMENT_QUATERNION)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->element = %d (not an SL_GAUGE_ELEMENT_*)", who, l->element);
    int strided = l->colour_strides[0] || l->colour_strides[1] || l->link_stride;
    if (l->element == SL_GAUGE_ELEMENT_QUATERNION && (l->nc != 2 || strided))
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->element = SL_GAUGE_ELEMENT_QUATERNION needs nc = 2 (not %d) "
                        "and no colour_strides or link_stride", who, l->nc);
    if (strided && l->order != SL_GAUGE_ORDER_CUSTOM)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->colour_strides / link_stride are for SL_GAUGE_ORDER_CUSTOM "
                        "(order = %d)", who, l->order);
    if ((l->colour_strides[0] == 0) != (l->colour_strides[1] == 0) || l->colour_strides[0] < 0 ||
        l->colour_strides[1] < 0 || l->link_stride < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->colour_strides = {%lld, %lld}, link_stride = %lld (need both "
                        "colour strides 0 or both >= 1, link_stride >= 0)", who, (long long)l->colour_strides[0],
                        (long long)l->colour_strides[1], (long long)l->link_stride);
    if (l->order == SL_GAUGE_ORDER_CUSTOM) {
        int64_t sr, sc, ax[3][2];
        colour_strides(l, &sr, &sc);
        int64_t far;
        /* the host array spans (links - 1) u + (N - 1)(sr + sc) + 1 elements */
        if (!sl__mul_ok(vol * l->nd - 1, link_unit(l), &far) || !sl__mul_ok(l->nc - 1, sr, &sr) ||
            !sl__mul_ok(l->nc - 1, sc, &sc) || far > SL_MAX_ELEMENTS - sr - sc)
            return sl__fail(ctx, SL_ERR_ARG, "%s: layout->colour_strides / link_stride span more than 2^56 elements",
                            who);
        colour_strides(l, &sr, &sc);
        ax[0][0] = vol * l->nd; ax[0][1] = link_unit(l);
        ax[1][0] = l->nc; ax[1][1] = sr;
        ax[2][0] = l->nc; ax[2][1] = sc;
        if (!no_overlap(l->element == SL_GAUGE_ELEMENT_QUATERNION ? 1 : 3, ax))
            return sl__fail(ctx, SL_ERR_ARG, "%s: layout->colour_strides = {%lld, %lld} and link_stride = %lld make "
                            "links or entries overlap", who, (long long)sr, (long long)sc, (long long)link_unit(l));
    }
    int nz = 0;
    for (int mu = 0; mu < SL_LATTICE_MAX_DIM; ++mu) nz |= l->directions[mu];
    if (!nz) {
        for (int mu = 0; mu < l->nd; ++mu) l->directions[mu] = mu;
    } else {
        int used = 0;
        for (int mu = 0; mu < SL_LATTICE_MAX_DIM; ++mu) {
            int d = l->directions[mu];
            if (mu >= l->nd ? d != 0 : d < 0 || d >= l->nd || (used >> d & 1))
                return sl__fail(ctx, SL_ERR_ARG, "%s: layout->directions[%d] = %d (need a permutation of 0..%d, "
                                "zeros after it)", who, mu, d, l->nd - 1);
            if (mu < l->nd) used |= 1 << d;
        }
    }
    size_t link_bytes = sizeof(double) * 2 * (size_t)(l->nd * link_unit(l));
    if (l->order == SL_GAUGE_ORDER_MILC_SITE &&
        (l->site_size < link_bytes || l->link_offset > l->site_size - link_bytes))
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_size = %zu is smaller than link_offset + the links", who,
                        l->site_size);
    if (l->order == SL_GAUGE_ORDER_MILC_SITE && l->site_size > (size_t)SL_MAX_ELEMENTS / (size_t)vol)
        return sl__fail(ctx, SL_ERR_ARG, "%s: layout->site_size = %zu times the volume %lld is too large", who,
                        l->site_size, (long long)vol);
    if (l->order == SL_GAUGE_ORDER_BQCD) {
        int64_t blk;
        if (l->pad < 0 || l->pad > SL_MAX_ELEMENTS ||
            sl__product(ctx, SL_ERR_ARG, who, "the BQCD array (2 nd (V/2 + pad) N^2)", 3,
                        (int64_t[]){vol / 2 + l->pad, 2 * l->nd, link_unit(l)}, &blk))
            return l->pad < 0 || l->pad > SL_MAX_ELEMENTS
                       ? sl__fail(ctx, SL_ERR_ARG, "%s: layout->pad = %lld", who, (long long)l->pad)
                       : SL_ERR_ARG;
    }
    if (l->order == SL_GAUGE_ORDER_OPENQCD) {
        if (!l->site_index) return sl__fail(ctx, SL_ERR_NULL, "%s: layout->site_index (openQCD's ipt) is NULL", who);
        return check_site_index(ctx, who, l, vol);
    }
    return SL_OK;
}

/* Host site index of the host coordinates hx (host canonical index hs):
 * lexicographic or even-odd. */
static int64_t host_site(const sl_gauge_layout *l, int64_t vol, const int64_t *hx, int64_t hs, int *parity)
{
    int64_t lex = 0, p = 0;
    if (x_fastest(l))
        for (int mu = l->nd - 1; mu >= 0; --mu) lex = lex * l->dims[mu] + hx[mu];
    else
        lex = hs;
    for (int mu = 0; mu < l->nd; ++mu) p += hx[mu];
    *parity = (int)(p & 1);
    if (!eo_order(l)) return lex;
    return *parity * (vol / 2) + lex / 2;
}

/* Address of link (s, mu) (the library's canonical site and direction) in
 * the host array and its colour strides (in complex elements): element
 * (r, c) is at base[r * sr + c * sc]; a quaternion link is the 4 doubles
 * at base. */
static cplx *host_link(const sl_gauge_layout *l, const void *data, int64_t vol, int64_t s, int mu,
                       int64_t *sr, int64_t *sc)
{
    int nd = l->nd;
    int64_t u = link_unit(l), ldims[SL_LATTICE_MAX_DIM], x[SL_LATTICE_MAX_DIM], hx[SL_LATTICE_MAX_DIM];
    for (int m = 0; m < nd; ++m) ldims[m] = l->dims[l->directions[m]];
    sl__site_coords(nd, ldims, s, x);
    for (int m = 0; m < nd; ++m) hx[l->directions[m]] = x[m];
    int hmu = l->directions[mu];
    int64_t hs = sl__site_index(nd, l->dims, hx);
    int par;
    int64_t h = host_site(l, vol, hx, hs, &par);
    colour_strides(l, sr, sc);
    cplx *base = (cplx *)(uintptr_t)data;
    switch (l->order) {
    case SL_GAUGE_ORDER_QDP:
        return ((cplx *const *)data)[hmu] + h * u;
    case SL_GAUGE_ORDER_MILC_SITE:
        return (cplx *)((char *)(uintptr_t)data + (size_t)h * l->site_size + l->link_offset) + hmu * u;
    case SL_GAUGE_ORDER_BQCD: {
        int64_t blk = vol / 2 + l->pad, within = h - par * (vol / 2);
        return base + (hmu * 2 * blk + par * blk + within) * u;
    }
    case SL_GAUGE_ORDER_TIFR:
        return base + (hmu * vol + h) * u;
    case SL_GAUGE_ORDER_CUSTOM:
        return base + (l->direction_major ? hmu * vol + h : h * nd + hmu) * u;
    case SL_GAUGE_ORDER_OPENQCD: {
        int64_t ix = l->site_index[hs];
        if (ix >= vol / 2) return base + (2 * nd * (ix - vol / 2) + 2 * hmu) * u;
        int64_t iy = l->site_index[sl__site_shift(nd, l->dims, hs, hmu, 1)];
        return base + (2 * nd * (iy - vol / 2) + 2 * hmu + 1) * u;
    }
    default:   /* CANONICAL, MILC, CPS: [site][mu] */
        return base + (h * nd + hmu) * u;
    }
}

static int in_place_ok(const sl_gauge_layout *l)
{
    return (l->order == SL_GAUGE_ORDER_CANONICAL || (l->order == SL_GAUGE_ORDER_CUSTOM && !eo_order(l))) &&
           l->element == SL_GAUGE_ELEMENT_COMPLEX && identity_directions(l);
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
                return sl__fail(U->ctx, SL_ERR_ARG, "%s: link (site %lld, mu %d) is not unitary (|U U^+ - 1| = %.3g)%s",
                                who, (long long)s, mu, e,
                                s == 0 && mu == 0 && U->wrapped
                                    ? "; the very first link fails, so the layout description is the likely cause "
                                      "(order, site_order, direction_major, colour_major, colour_strides, element, nc)"
                                    : "");
        }
    return SL_OK;
}

static sl_status read_host(sl_gauge *U, const char *who)
{
    const sl_gauge_layout *l = &U->lay;
    if (!U->in_place) {
        int n = U->nc;
        int64_t sr, sc;
        int quat = l->element == SL_GAUGE_ELEMENT_QUATERNION;
        for (int64_t s = 0; s < U->volume; ++s)
            for (int mu = 0; mu < U->nd; ++mu) {
                const cplx *h = host_link(l, U->host, U->volume, s, mu, &sr, &sc);
                cplx *o = U->own + (s * U->nd + mu) * n * n;
                if (quat) {   /* U = a0 + i a.sigma */
                    const double *a = (const double *)h;
                    o[0] = CMPLX(a[0], a[3]);
                    o[1] = CMPLX(a[2], a[1]);
                    o[2] = CMPLX(-a[2], a[1]);
                    o[3] = CMPLX(a[0], -a[3]);
                    continue;
                }
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
    int64_t ldims[SL_LATTICE_MAX_DIM];
    for (int mu = 0; mu < lay->nd; ++mu) ldims[mu] = lay->dims[lay->directions[mu]];
    sl_gauge *U;
    st = sl__gauge_new(ctx, who, lay->nd, ldims, lay->nc, !inplace, &U);
    if (st) return st;
    U->lay = *lay;
    U->host = data;
    U->wrapped = 1;
    U->in_place = inplace;
    if (inplace) {
        int nd = lay->nd, n = lay->nc;
        int64_t shape[SL_MAX_RANK], strides[SL_MAX_RANK], u = link_unit(lay);
        int dmaj = lay->order == SL_GAUGE_ORDER_CUSTOM && lay->direction_major;
        int64_t site_unit = dmaj ? u : nd * u;
        int64_t acc = site_unit;
        if (x_fastest(lay))
            for (int mu = 0; mu < nd; ++mu) { strides[mu] = acc; acc *= lay->dims[mu]; }
        else
            for (int mu = nd - 1; mu >= 0; --mu) { strides[mu] = acc; acc *= lay->dims[mu]; }
        for (int mu = 0; mu < nd; ++mu) shape[mu] = lay->dims[mu];
        shape[nd] = nd; shape[nd + 1] = n; shape[nd + 2] = n;
        strides[nd] = dmaj ? U->volume * u : u;
        colour_strides(lay, &strides[nd + 1], &strides[nd + 2]);
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
        if (lay->dims[lay->directions[mu]] != U->dims[mu])
            return sl__fail(U->ctx, SL_ERR_ARG, "%s: layout dims[%d] = %lld but U's direction %d has %lld", who,
                            lay->directions[mu], (long long)lay->dims[lay->directions[mu]], mu, (long long)U->dims[mu]);
    int n = U->nc;
    int64_t sr, sc;
    cplx tmp[SL_NC_MAX * SL_NC_MAX];
    for (int64_t s = 0; s < U->volume; ++s)
        for (int mu = 0; mu < U->nd; ++mu) {
            cplx *h = host_link(lay, data, U->volume, s, mu, &sr, &sc);
            const cplx *u = sl__gauge_link(U, s, mu, tmp);
            if (lay->element == SL_GAUGE_ELEMENT_QUATERNION) {   /* projection onto a0 + i a.sigma */
                double *a = (double *)h;
                a[0] = 0.5 * (creal(u[0]) + creal(u[3]));
                a[1] = 0.5 * (cimag(u[1]) + cimag(u[2]));
                a[2] = 0.5 * (creal(u[1]) - creal(u[2]));
                a[3] = 0.5 * (cimag(u[0]) - cimag(u[3]));
                continue;
            }
            for (int r = 0; r < n; ++r)
                for (int c = 0; c < n; ++c) h[r * sr + c * sc] = u[r * n + c];
        }
    return SL_OK;
}
