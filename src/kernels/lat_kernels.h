/* Lattice kernels (internal): loops over sites of stacks of N x N complex
 * matrices stored as interleaved (re, im) doubles, row-major per matrix.  No
 * graph nodes here: the graph ops that call these (src/layers/op_lat_*.c)
 * pass plain arrays and shapes.
 *
 * Contractions (lat_contract.c, with the slot kernels of lat_panel.c and,
 * for SU(2), lat_su2.c).  An operand is a stack X of V channels of S sites
 * (V, S, N, N) with a mode and an adjoint flag:
 *   mode 0: X' = (X_0 .. X_{V-1})                          (V slots)
 *   mode 1: X' = (X_0 .. X_{V-1}, X_0^+ .. X_{V-1}^+, 1)    (2V + 1 slots)
 *   mode 2: X' = (X_0 .. X_{V-1}, X_0^+ .. X_{V-1}^+)       (2V slots)
 *   adj = 1: every slot is replaced by its adjoint, op(X'_p) = X'_p^+.
 * bil:  Z_u = sum_{v,w} c[u,v,w] op(X'_v) op(Y'_w),  c (U, Px, Py);
 *       fold = 0: out = Z (U, S, N, N);
 *       fold = 1: U = 2C, out_k = Z_k + Z_{C+k}^+ (C, S, N, N).
 * trc:  T[u,v,w] = sum_s Re tr( (op(X'_v) op(Y'_w))^+ G'_u ),  G' the
 *       operand (G, mode in {0, 2}, adj = 0); T (Ug, Px, Py).
 * su2 = 1 (N = 2 only): the operands are read through their projection onto
 * the real span of SU(2) and the contraction runs on quaternions
 * (lat_su2.c).  Both paths run the one block driver of lat_contract.c. */
#ifndef SL_LAT_KERNELS_H
#define SL_LAT_KERNELS_H

#include "cpu.h"

#define SL_LAT_PANEL_REALS 512   /* reals per slot and block: a block of sites is ~4 KiB per slot */

/* Slots of an operand of v channels in a mode. */
SL_HIDDEN int64_t sl__lat_slots(int64_t v, int mode);

/* ---- Contractions ------------------------------------------------------------- */
typedef struct {
    int64_t v;      /* channels */
    int mode, adj;
} sl_lat_stack;

typedef struct {
    int n, su2;
    int64_t S;          /* sites per channel */
    sl_lat_stack x, y;
    int64_t u;          /* rows of c (2 C with fold) */
    int fold;
} sl_lat_bil_args;

typedef struct {
    int n, su2;
    int64_t S;
    sl_lat_stack x, y, g;   /* g.adj = 0, g.mode 0 or 2 */
} sl_lat_trc_args;

/* Scratch bytes of the drivers, and the drivers: x, y, g (V, S, N, N)
 * complex; c, t real.  out and t are only written. */
SL_HIDDEN size_t sl__lat_bil_scratch_bytes(const sl_lat_bil_args *a);
SL_HIDDEN void sl__lat_bil_blocks(const sl_lat_bil_args *a, const double *x, const double *y, const double *c,
                                  double *out, void *scratch);
SL_HIDDEN size_t sl__lat_trc_scratch_bytes(const sl_lat_trc_args *a);
SL_HIDDEN void sl__lat_trc_blocks(const sl_lat_trc_args *a, const double *x, const double *y, const double *g,
                                  double *t, void *scratch);

/* Geometry of the block driver: n, n2 = n n, S sites; a block of nb sites; a
 * slot of a block holds up to 2 n2 nb reals at a stride of ps (padded off
 * multiples of 2 KiB). */
typedef struct {
    int n;
    int64_t n2, S, nb, ps;
} sl_lat_geom;

/* The slot kernels of one arithmetic (general complex, or SU(2) quaternions),
 * run by the block driver.  A slot of a block holds `width` reals per site
 * block; with the dagger fold its first `split` reals are contracted with
 * c + c', the rest with c - c'; the unit matrix is 1 on its first `diag`
 * reals; tscale multiplies trace sums. */
typedef struct {
    int64_t width, split, diag;
    double tscale;
    /* the slots of an operand (v channels at x, mode, adjoint flag) for the
     * ns sites from s0; sites ns .. nb-1 are 0 */
    void (*panel)(const sl_lat_geom *q, double *dst, const double *x, int64_t v, int mode, int adj, int64_t s0,
                  int64_t ns);
    /* the v plain slots of Y in the folded layout (the dagger fold) */
    void (*panel_fold)(const sl_lat_geom *q, double *dst, const double *y, int64_t v, int adj, int64_t s0,
                       int64_t ns);
    /* c (+)= a b per site for one slot */
    void (*mul)(const sl_lat_geom *q, const double *a, const double *b, double *c, int acc);
    /* trc's fold of rows slots of products, scaled by f, and bil's inverse
     * (NULL: nothing to do) */
    void (*mix)(const sl_lat_geom *q, int64_t rows, double *h, double f);
    void (*unmix)(const sl_lat_geom *q, int64_t rows, double *t);
    /* ns sites of an output slot z1 (+ z2^+ when z2) to interleaved matrices at d */
    void (*out)(const sl_lat_geom *q, double *d, const double *z1, const double *z2, int64_t ns);
} sl_lat_kset;

SL_HIDDEN sl_lat_kset sl__lat_kset_complex(const sl_lat_geom *q);   /* lat_panel.c */
SL_HIDDEN sl_lat_kset sl__lat_kset_su2(const sl_lat_geom *q);       /* lat_su2.c, n = 2 */

/* c (rows x w, row stride ldc) = a (rows x k, stride lda) b (k x w, stride ldb),
 * for few rows and a short inner dimension (small_gemm.c); c is only written. */
SL_HIDDEN void sl__small_gemm(int64_t rows, int64_t k, int64_t w, const double *a, int64_t lda, const double *b,
                              int64_t ldb, double *c, int64_t ldc);

/* ---- Parallel transports (lat_transport.c) ----------------------------------------
 * A line L (B, L_0.., N, N) and a channel stack X (C, B, L_0.., N, N);
 * lattice axis mu is axis 1 + mu of the line.  Sites are (outer, x_mu,
 * inner), inner contiguous. */
#define SL_TRN_NMAX 16
typedef struct {
    int n;
    int64_t n2, S, outer, len, inner;
} sl_lat_line_geom;

SL_HIDDEN sl_lat_line_geom sl__lat_line_geom(int rank, const int64_t *shape, int mu);
/* o_c (+)= M(x + sl mu) X_c(x + sw mu) M(x + sl mu)^+, M = L (h = 0) or L^+
 * (h = 1), c < C (channel stride S n2 complex), shifts periodic. */
SL_HIDDEN void sl__lat_trn_line(const sl_lat_line_geom *q, const double *l, int h, int64_t sl, int64_t sw,
                                const double *x, double *o, int64_t C, int acc);
/* o(y) = sum_c P_c(y + ap mu) L(y) Q_c(y + aq mu)^+ + P_c(y + ap mu)^+ L(y) Q_c(y + aq mu) */
SL_HIDDEN void sl__lat_trn_dl_line(const sl_lat_line_geom *q, const double *p, int64_t ap, const double *l,
                                   const double *qq, int64_t aq, double *o, int64_t C);

/* ---- Per-site products and traces (lat_site.c) -------------------------------------- */
/* c_s = op_a(a_s) op_b(b_s) for ns sites of N x N, op = adjoint when h */
SL_HIDDEN void sl__lat_mm_sites(int n, int64_t ns, int ha, int hb, const double *a, const double *b, double *c);
/* w (C, S, N, N) -> f (S, 2C): f[s, c] = Re tr w_cs, f[s, C + c] = Im tr w_cs */
SL_HIDDEN void sl__lat_trace_sites(int n, int64_t C, int64_t S, const double *w, double *f);
/* the adjoint: w_cs = (f[s, c] + i f[s, C + c]) 1 */
SL_HIDDEN void sl__lat_trace_sites_adj(int n, int64_t C, int64_t S, const double *f, double *w);

#endif
