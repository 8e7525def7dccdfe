/* Internal declarations of the lattice layer: the gauge-field object, small
 * dense complex matrix helpers, site arithmetic on canonical lattices. */
#ifndef SL_LATTICE_INTERNAL_H
#define SL_LATTICE_INTERNAL_H

#include "../autodiff/graph_internal.h"
#include "symlearn/gauge.h"
#include "symlearn/lcnn.h"

#define SL_NC_MAX 16

struct sl_gauge {
    sl_ctx *ctx;
    int nd, nc;
    int64_t dims[SL_LATTICE_MAX_DIM];
    int64_t volume;
    int in_place;            /* 1: view reads the host array */
    cplx *own;               /* canonical copy (owned) or NULL */
    sl_tensor *view;         /* (L.., nd, N, N) over own or the host array */
    sl_gauge_layout lay;     /* host layout (wrapped fields) */
    const void *host;
    int wrapped;
    uint64_t mc_counter;     /* Monte Carlo stream position */
};

/* New gauge object (own != 0: canonical storage, zero links). */
SL_HIDDEN sl_status sl__gauge_new(sl_ctx *ctx, const char *who, int nd, const int64_t *dims, int nc,
                                  int own, sl_gauge **out);

/* Canonical site index <-> coordinates (dims[0] slowest). */
static inline void sl__site_coords(int nd, const int64_t *dims, int64_t s, int64_t *x)
{
    for (int mu = nd - 1; mu >= 0; --mu) { x[mu] = s % dims[mu]; s /= dims[mu]; }
}
static inline int64_t sl__site_index(int nd, const int64_t *dims, const int64_t *x)
{
    int64_t s = 0;
    for (int mu = 0; mu < nd; ++mu) s = s * dims[mu] + x[mu];
    return s;
}
/* Site s shifted by k steps along mu (periodic). */
/* sl_graph_gcmconv with su2 = 1 for N = 2: the contraction in the real span
 * of SU(2) (see lattice_ops.h); the L-CNN model's layers. */
SL_HIDDEN sl_node *sl__graph_gcmconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *alpha, int K, int dilation,
                                     int symmetric, int su2);
/* SL_ERR_ARG unless each of nlinks links (interleaved 2 x 2) lies in the real
 * span of SU(2) to 1e-8 (nc = 2; other N: OK).  lcnn_model.c. */
SL_HIDDEN sl_status sl__lcnn_check_su2(sl_ctx *ctx, const char *who, int nc, int64_t nlinks, const double *links);
SL_HIDDEN int64_t sl__site_shift(int nd, const int64_t *dims, int64_t s, int mu, int64_t k);

/* Dense N x N complex matrices, row-major. */
SL_HIDDEN void sl__mat_mul(int n, const cplx *a, const cplx *b, cplx *c);      /* c = a b */
SL_HIDDEN void sl__mat_mul_an(int n, const cplx *a, const cplx *b, cplx *c);   /* c = a^+ b */
SL_HIDDEN void sl__mat_mul_na(int n, const cplx *a, const cplx *b, cplx *c);   /* c = a b^+ */
SL_HIDDEN cplx sl__mat_trace(int n, const cplx *a);
SL_HIDDEN cplx sl__mat_det(int n, const cplx *a);
SL_HIDDEN double sl__mat_unitarity(int n, const cplx *a);   /* max |a a^+ - 1| */
SL_HIDDEN void sl__mat_reunitarize(int n, cplx *a);
SL_HIDDEN void sl__mat_exp_i(int n, const cplx *h, cplx *out);  /* exp(i h), h Hermitian */

/* Pointer to link (site, mu) of a field (any storage; for in-place views
 * with strides the matrix is copied to tmp and tmp is returned). */
SL_HIDDEN const cplx *sl__gauge_link(const sl_gauge *U, int64_t site, int mu, cplx *tmp);

/* Layout check and the host element address of (site, mu, row, col). */
/* Copy the caller's layout (size-first, any 1.x size) into *lay and check it. */
SL_HIDDEN sl_status sl__layout_read(sl_ctx *ctx, const char *who, const sl_gauge_layout *user, sl_gauge_layout *lay);

/* Common checks of the shape of a gauge node / W node; return nd (or -1). */
SL_HIDDEN int sl__gauge_node_nd(sl_graph *g, const char *who, sl_node *U);
SL_HIDDEN int sl__field_node_nd(sl_graph *g, const char *who, sl_node *W);
/* f(x + k mu) for a node whose lattice axes start at axis a0. */
SL_HIDDEN sl_node *sl__shift(sl_graph *g, sl_node *f, int a0, int mu, int64_t k);
/* The product U(x,mu) U(x+mu,mu) ... U(x+(k-1)mu,mu) of a link node
 * (B, L.., N, N). */
SL_HIDDEN sl_node *sl__line(sl_graph *g, const char *who, sl_node *link, int mu, int k);
/* Reshape x of shape (B, L.., N, N) to (1, B, L.., N, N). */
SL_HIDDEN sl_node *sl__unsqueeze0(sl_graph *g, sl_node *x);
/* Identity broadcast to shape (1, rest of like's shape) (c128). */
SL_HIDDEN sl_node *sl__eye_like(sl_graph *g, sl_node *like);

/* Check U (B, L.., nd, N, N) and W (C, B, L.., N, N) fit; returns nd or -1. */
SL_HIDDEN int sl__check_uw(sl_graph *g, const char *who, sl_node *U, sl_node *W);
/* (X, X^+, 1) stacked along axis 0 of a channel-first field set. */
SL_HIDDEN sl_node *sl__extend(sl_graph *g, sl_node *X);
/* sum_{v,w} alpha(u,v,w) A_v B_w for stacked sets A (Va, B, L.., N, N) and
 * B (Vb, ...), alpha f64 (Cout, Va, Vb): one dgemm, then Cout*Va products. */
SL_HIDDEN sl_node *sl__bilinear(sl_graph *g, const char *who, sl_node *A, sl_node *B, sl_node *alpha);
/* Transports of W along +mu (sign > 0) or -mu by s steps, given the line
 * product of s links from x along mu. */
SL_HIDDEN sl_node *sl__transport_line(sl_graph *g, sl_node *line, sl_node *W, int mu, int s, int sign);

#endif
