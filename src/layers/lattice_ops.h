/* The fused lattice graph ops (internal), under the lattice layers: their
 * constructors.  Each op (an sl_opdef, ../autodiff/graph_internal.h) has its
 * eval, vjp and constructor in one op_lat_*.c file here; the loops are in
 * ../kernels (lat_kernels.h).
 *
 * Fused contractions (op_lat_contract.c): per-site bilinear contractions of
 * stacked N x N complex matrices with real coefficients, computed block by
 * block over sites in cache (the GCMConv / L-Bilin kernel), and the matching
 * trace reduction.  Both have vjps written in terms of each other, so any
 * order of derivative works.
 *
 * An operand is a stack X of shape (V, S.., N, N) (V channels, any site axes)
 * with a mode and a dagger flag:
 *   mode 0: X' = (X_0 .. X_{V-1})                          (V slots)
 *   mode 1: X' = (X_0 .. X_{V-1}, X_0^+ .. X_{V-1}^+, 1)    (2V + 1 slots)
 *   mode 2: X' = (X_0 .. X_{V-1}, X_0^+ .. X_{V-1}^+)       (2V slots)
 *   h = 1 : every slot is replaced by its adjoint, op(X'_p) = X'_p^+.
 *
 * bil:  Z_u = sum_{v,w} c[u,v,w] op(X'_v) op(Y'_w),  c f64 (U, Px, Py);
 *       fold = 0: out = Z (U, S.., N, N);
 *       fold = 1: U = 2C, out_k = Z_k + Z_{C+k}^+ (C, S.., N, N).
 * trc:  T[u,v,w] = sum_s Re tr( (op(X'_v) op(Y'_w))^+ G'_u ),  G' the
 *       operand (G, mode mg in {0, 2}, h = 0); T f64 (Ug, Px, Py). */
#ifndef SL_LATTICE_OPS_H
#define SL_LATTICE_OPS_H

#include "../autodiff/graph_internal.h"
#include "../kernels/lat_kernels.h"

/* su2 = 1 (N = 2 only): the operands are read through their projection onto
 * the real span of SU(2) (quaternions a0 + i a.sigma) and the contraction runs
 * on 4 real coordinates per matrix (src/kernels/lat_su2.c); outputs lie in
 * the span.  Exact for operands in the span, which is where SU(2) links and every
 * GCMConv of them with real weights lie; a gradient is the projection of the
 * complex one, all that forces and weight gradients see (tangent vectors
 * X U, X in su(2), lie in the span). */
/* Typed attributes (node->attr) of bil and trc. */
typedef struct {
    int mode, adj;     /* the operand's slot mode (0, 1, 2) and adjoint flag (0, 1) */
} sl_lat_operand;
typedef struct {
    sl_lat_operand x, y;
    int fold;          /* 1: out_k = Z_k + Z_{C+k}^+ */
    int su2;           /* 1: the quaternion kernels (N = 2) */
} sl_lat_bil_attr;
typedef struct {
    sl_lat_operand x, y;
    int mg;            /* G's mode (0 or 2; adjoint flag 0) */
    int su2;
} sl_lat_trc_attr;

SL_HIDDEN sl_node *sl__lat_bil(sl_graph *g, const char *who, sl_node *x, int mx, int hx, sl_node *y, int my,
                               int hy, sl_node *c, int fold, int su2);
SL_HIDDEN sl_node *sl__lat_trc(sl_graph *g, const char *who, sl_node *x, int mx, int hx, sl_node *y, int my,
                               int hy, sl_node *gq, int mg, int su2);

/* Fused parallel transports (op_lat_transport.c).  Lines L_i of shape
 * (B, L.., N, N), a channel stack X (V, B, L.., N, N); transport j uses line
 * e[j].line along lattice axis e[j].mu:
 *   T_j[X_c](x) = M(x + sl mu) X_c(x + sw mu) M(x + sl mu)^+,  M = L (h = 0)
 *   or L^+ (h = 1), shifts periodic.  The +mu transport by s steps is
 *   (sl, sw, h) = (0, s, 0), the -mu one (-s, -s, 1).
 * trn, reduce = 0: out = (T_0[X], .., T_{m-1}[X]) (m V channels, j outer);
 *      reduce = 1: V = m C, out_c = sum_j T_j[X_{j C + c}] (C channels).
 * trn_dl: K(y) = sum_c P_c(y + ap mu) L(y) Q_c(y + aq mu)^+
 *                     + P_c(y + ap mu)^+ L(y) Q_c(y + aq mu)   (a line gradient). */
typedef struct {
    int line, mu, h;
    int64_t sl, sw;
} sl_trn_entry;
/* Typed attributes of trn: m transports (entry j reads input 1 + e[j].line). */
typedef struct {
    int m, nlines;
    int reduce;
    int64_t C;         /* channels per transport */
    sl_trn_entry e[];
} sl_lat_trn_attr;
/* ... and of trn_dl. */
typedef struct {
    int mu;
    int64_t ap, aq;
} sl_lat_dl_attr;
SL_HIDDEN sl_node *sl__lat_trn(sl_graph *g, const char *who, sl_node *x, int nlines, sl_node *const *lines, int m,
                               const sl_trn_entry *e, int reduce);
SL_HIDDEN sl_node *sl__lat_trn_dl(sl_graph *g, const char *who, sl_node *p, int64_t ap, sl_node *l, sl_node *q,
                                  int64_t aq, int mu);

/* Per-site products C = op_a(A) op_b(B) of two (.., N, N) c128 stacks of one
 * shape, op = adjoint when h (op_lat_site.c): plaquettes and lines. */
typedef struct {
    int ha, hb;        /* adjoint flags of A and B */
} sl_lat_mm_attr;
SL_HIDDEN sl_node *sl__lat_mm(sl_graph *g, const char *who, sl_node *a, int ha, sl_node *b, int hb);
/* Trace features (op_lat_site.c): W (C, B, L.., N, N) c128 -> (B, L.., 2C)
 * f64, (Re tr W_c, Im tr W_c) per site; the trace layer in one op. */
SL_HIDDEN sl_node *sl__lat_trf(sl_graph *g, const char *who, sl_node *w);

#endif
