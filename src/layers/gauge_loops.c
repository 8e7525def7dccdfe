/* Gauge-level loop measurements without a graph: lattice averages of
 * rectangular Wilson loops and of Polyakov loops, next to
 * sl_gauge_plaquette (lattice.c).  The products are taken in the order of
 * sl_graph_wilson_loop and sl_graph_polyakov (plaquette.c, polyakov.c). */
#include "lattice_internal.h"

#include <math.h>

/* out[x] = U(x,mu) U(x+mu,mu) ... U(x+(k-1)mu,mu) for every site x. */
static void lines(const sl_gauge *U, int mu, int k, cplx *out)
{
    int n = U->nc, n2 = n * n;
    cplx t1[SL_NC_MAX * SL_NC_MAX], t2[SL_NC_MAX * SL_NC_MAX];
    for (int64_t s = 0; s < U->volume; ++s) {
        cplx *o = out + s * n2;
        memcpy(o, sl__gauge_link(U, s, mu, t1), sizeof(cplx) * (size_t)n2);
        int64_t y = s;
        for (int i = 1; i < k; ++i) {
            y = sl__site_shift(U->nd, U->dims, y, mu, 1);
            sl__mat_mul(n, o, sl__gauge_link(U, y, mu, t1), t2);
            memcpy(o, t2, sizeof(cplx) * (size_t)n2);
        }
    }
}

sl_status sl_gauge_wilson_loop(const sl_gauge *U, int mu, int nu, int r, int t, double *avg)
{
    const char *who = "sl_gauge_wilson_loop";
    if (!U) return SL_ERR_NULL;
    sl_ctx *ctx = U->ctx;
    if (!avg) return sl__fail(ctx, SL_ERR_NULL, "%s: avg is NULL", who);
    int nd = U->nd, n = U->nc, n2 = n * n;
    if (mu < 0 || mu >= nd || nu < 0 || nu >= nd || mu == nu)
        return sl__fail(ctx, SL_ERR_ARG, "%s: plane (%d, %d) (need 0 <= mu != nu < %d)", who, mu, nu, nd);
    if (r < 1 || t < 1 || r > U->dims[mu] || t > U->dims[nu])
        return sl__fail(ctx, SL_ERR_ARG, "%s: r = %d, t = %d (need 1 <= r <= L_mu = %lld, 1 <= t <= L_nu = %lld)",
                        who, r, t, (long long)U->dims[mu], (long long)U->dims[nu]);
    cplx *lm = sl__alloc(ctx, sizeof(cplx) * (size_t)(2 * U->volume * n2), 0, who);
    if (!lm) return SL_ERR_NOMEM;
    cplx *ln = lm + U->volume * n2;
    lines(U, mu, r, lm);
    lines(U, nu, t, ln);
    cplx a[SL_NC_MAX * SL_NC_MAX], b[SL_NC_MAX * SL_NC_MAX];
    double acc = 0;
    for (int64_t s = 0; s < U->volume; ++s) {
        /* W(x) = A(x) B(x + r mu) A(x + t nu)^+ B(x)^+, A, B the lines along mu, nu */
        sl__mat_mul(n, lm + s * n2, ln + sl__site_shift(nd, U->dims, s, mu, r) * n2, a);
        sl__mat_mul_na(n, a, lm + sl__site_shift(nd, U->dims, s, nu, t) * n2, b);
        sl__mat_mul_na(n, b, ln + s * n2, a);
        acc += creal(sl__mat_trace(n, a));
    }
    sl__free(ctx, lm);
    *avg = acc / ((double)U->volume * n);
    return SL_OK;
}

sl_status sl_gauge_polyakov(const sl_gauge *U, int mu, double *out)
{
    const char *who = "sl_gauge_polyakov";
    if (!U) return SL_ERR_NULL;
    sl_ctx *ctx = U->ctx;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    int nd = U->nd, n = U->nc, n2 = n * n;
    if (mu < 0 || mu >= nd) return sl__fail(ctx, SL_ERR_ARG, "%s: mu = %d (must be 0..%d)", who, mu, nd - 1);
    cplx o[SL_NC_MAX * SL_NC_MAX], t1[SL_NC_MAX * SL_NC_MAX], t2[SL_NC_MAX * SL_NC_MAX];
    int64_t x[SL_LATTICE_MAX_DIM], L = U->dims[mu], nlines = 0;
    cplx acc = 0;
    /* one line per site of the slice x_mu = 0 (Tr L(x) is the same along the line) */
    for (int64_t s = 0; s < U->volume; ++s) {
        sl__site_coords(nd, U->dims, s, x);
        if (x[mu]) continue;
        memcpy(o, sl__gauge_link(U, s, mu, t1), sizeof(cplx) * (size_t)n2);
        int64_t y = s;
        for (int64_t i = 1; i < L; ++i) {
            y = sl__site_shift(nd, U->dims, y, mu, 1);
            sl__mat_mul(n, o, sl__gauge_link(U, y, mu, t1), t2);
            memcpy(o, t2, sizeof(cplx) * (size_t)n2);
        }
        acc += sl__mat_trace(n, o);
        ++nlines;
    }
    out[0] = creal(acc) / ((double)nlines * n);
    out[1] = cimag(acc) / ((double)nlines * n);
    return SL_OK;
}
