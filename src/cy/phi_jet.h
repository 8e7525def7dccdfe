/* The phi-model network with its input Hessian propagated forward (a
 * second-order jet in the d complex chart directions) and the reverse pass of
 * the whole thing with respect to the weights: the third derivatives that
 * training the phi-model needs, in dgemm-sized pieces.  phi_jet.c. */
#ifndef SL_CY_PHI_JET_H
#define SL_CY_PHI_JET_H

#include "cy_internal.h"

#define SL_CY_MAX_LAYERS 16

typedef struct {
    int L;                              /* dense layers */
    int64_t w[SL_CY_MAX_LAYERS + 1];    /* widths: w[0] = 2 namb, w[L] = 1 */
    int act;                            /* SL_ACT_GELU or SL_ACT_TANH */
    int64_t nweights;
    int64_t off_W[SL_CY_MAX_LAYERS + 1], off_b[SL_CY_MAX_LAYERS + 1];   /* into the flat weights */
} sl_cy_net;

/* Precomputed per-point training data (the peer's tensors()). */
typedef struct {
    int64_t n;
    int na, d, nt;                      /* nt = transition patches per point (namb - 2) */
    double *X;                          /* n x 2na: (Re z, Im z) */
    double *E;                          /* n x 2d x 2na: rows (a, re) = (Re J_a, Im J_a)/2, (a, im) = (Im J_a, -Re J_a)/2 */
    double *Xt;                         /* n x nt x 2na: z / z_p', p' not in {patch, elim}, ascending */
    cplx *gfs;                          /* n x d x d: g_FS,pb (t) */
    double *om2, *w;                    /* n */
} sl_cy_data;

typedef struct sl_cy_ws sl_cy_ws;

SL_HIDDEN void sl__cy_net_layout(sl_cy_net *net);
SL_HIDDEN sl_status sl__cy_data_make(const sl_cy_points *p, double t, sl_cy_data *D, const char *who);
SL_HIDDEN void sl__cy_data_free(sl_ctx *ctx, sl_cy_data *D);
SL_HIDDEN sl_cy_ws *sl__cy_ws_new(sl_ctx *ctx, const sl_cy_net *net, int d, int nt, int64_t B, const char *who);
SL_HIDDEN void sl__cy_ws_free(sl_ctx *ctx, sl_cy_ws *ws);

/* One batch: points i0 .. i0 + B - 1 of D.  Per point: ma = |1 - eta/kappa|,
 * tr = sum_p' |phi(z') - phi(z)| / (nt_all d^2) (nt_all = namb - 1),
 * det = det g.  Sums of ma and tr go to *sum_ma, *sum_tr; det (B) may be
 * NULL.  wscale > 0: the ma term of point i is weighted by wscale w_i (also in
 * *sum_ma).  When grad != NULL, grad (nweights) receives d/dweights of
 * (1/B) sum (alpha_ma ma + alpha_t tr) (overwritten). */
SL_HIDDEN void sl__cy_batch(const sl_cy_net *net, const double *wts, const sl_cy_data *D, int64_t i0, int64_t B,
                            double kappa, double alpha_ma, double alpha_t, double wscale, sl_cy_ws *ws,
                            double *sum_ma, double *sum_tr, double *det, cplx *gout, double *grad);
/* phi at B points X (B x 2na), value only. */
SL_HIDDEN void sl__cy_phi(const sl_cy_net *net, const double *wts, const double *X, int64_t B, sl_cy_ws *ws,
                          double *phi);

#endif
