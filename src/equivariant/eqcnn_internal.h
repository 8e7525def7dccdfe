/* The regression network (eqcnn.c, eqcnn_train.c). */
#ifndef SL_EQCNN_INTERNAL_H
#define SL_EQCNN_INTERNAL_H

#include "eq_internal.h"

#define SL_EQCNN_MAX_PARAMS (2 * (2 * SL_EQCNN_MAX_LAYERS + 1))

struct sl_eqcnn {
    sl_ctx *ctx;
    sl_eqcnn_opts o;
    int np;                                  /* param tensors */
    int rank[SL_EQCNN_MAX_PARAMS];
    int64_t shape[SL_EQCNN_MAX_PARAMS][SL_MAX_RANK];
    int64_t fan[SL_EQCNN_MAX_PARAMS], off[SL_EQCNN_MAX_PARAMS], cnt[SL_EQCNN_MAX_PARAMS];
    int64_t nparams;
    double *w;
};

SL_HIDDEN sl_status sl__eqcnn_check_data(sl_eqcnn *net, const char *who, int64_t n, int64_t nt, int64_t nx,
                                         const double *x, const double *y);
SL_HIDDEN sl_status sl__eqcnn_forward(sl_eqcnn *net, const char *who, int64_t n, int64_t nt, int64_t nx,
                                      const double *x, double *y);

#endif
