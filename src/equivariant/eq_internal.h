/* Internal ops of the equivariant layers (src/equivariant). */
#ifndef SL_EQ_INTERNAL_H
#define SL_EQ_INTERNAL_H

#include "../autodiff/graph_internal.h"
#include "symlearn/equivariant.h"
#include "../kernels/cpu.h"

/* -O3 (vectorised) for the element loops of these ops, with no FMA
 * contraction: the same bits as the plain loops. */
#if defined(__GNUC__) && !defined(__clang__)
#define SL_EQ_LOOP SL_CLONES_V4 __attribute__((optimize("O3", "fp-contract=off")))
#else
#define SL_EQ_LOOP
#endif

/* Periodic convolution with offsets p (op_periodic_conv.c). */
SL_HIDDEN sl_node *sl__eq_pconv(sl_graph *g, const char *who, sl_node *x, sl_node *w, const int64_t *p);
SL_HIDDEN sl_node *sl__eq_pconv_w(sl_graph *g, const char *who, sl_node *gy, sl_node *x, const int64_t *K,
                                  const int64_t *p);
/* tanh(sl_graph_periodic_conv(x, w, bias)) as one node: each sample's
 * activation is applied while it is in cache (the same bits). */
SL_HIDDEN sl_node *sl__eq_pconv_tanh(sl_graph *g, const char *who, sl_node *x, sl_node *w, sl_node *bias);
SL_HIDDEN sl_node *sl__eq_kflip(sl_graph *g, const char *who, sl_node *w);
/* 2D loops of the periodic convolution (pconv2d.c): forward and weight
 * gradient with offsets p, scratch bytes. */
SL_HIDDEN size_t sl__eq_pconv2d_scratch(int64_t Ci, int64_t Co, const int64_t *L, int64_t K1, int64_t K2);
SL_HIDDEN void sl__eq_pconv2d_fwd(int64_t B, int64_t Ci, int64_t Co, const int64_t *L, const int64_t *K,
                                  const int64_t *p, const double *X, const double *W, const double *bias, double *z,
                                  double *Y, void *scratch);
SL_HIDDEN void sl__eq_pconv2d_wgrad(int64_t B, int64_t Ci, int64_t Co, const int64_t *L, const int64_t *K,
                                    const int64_t *p, const double *GY, const double *X, double *O, void *scratch);
/* The average pool's trailing sum (nspatial axes) and its adjoint, the
 * broadcast of G to like's shape (eq_pool.c); is n such a broadcast? */
SL_HIDDEN sl_node *sl__eq_pool_sum(sl_graph *g, sl_node *x, int nspatial);
SL_HIDDEN sl_node *sl__eq_pool_bcast(sl_graph *g, sl_node *G, const sl_node *like);
SL_HIDDEN int sl__eq_is_pool_bcast(const sl_node *n);
/* y + bias broadcast over axis 1; the bias gradient sum_{n,s} y[n,c,s]. */
SL_HIDDEN sl_node *sl__eq_chan_sum(sl_graph *g, const char *who, sl_node *y);
SL_HIDDEN sl_node *sl__eq_add_bias(sl_graph *g, const char *who, sl_node *y, sl_node *bias);

/* Max over the last axis (op_global_max.c): v[.., argmax_j x[.., j]] and its
 * adjoint (the gradient scattered to the argmax). */
SL_HIDDEN sl_node *sl__eq_argmax_gather(sl_graph *g, const char *who, sl_node *v, sl_node *x);
SL_HIDDEN sl_node *sl__eq_argmax_scatter(sl_graph *g, const char *who, sl_node *gy, sl_node *x);

#endif
