/* The phi-model object (src/cy/model.c, train.c, src/io/cy_io.c). */
#ifndef SL_CY_MODEL_INTERNAL_H
#define SL_CY_MODEL_INTERNAL_H

#include "phi_jet.h"

struct sl_cy_model {
    sl_ctx *ctx;
    const sl_cy_variety *v;
    sl_cy_variety *own_v;         /* set for a loaded model */
    sl_cy_model_opts opts;
    sl_cy_net net;
    double *wts;
    int nepochs, cap;
    double *hist_loss, *hist_sigma;
};

SL_HIDDEN sl_status sl__cy_model_new(sl_ctx *ctx, const sl_cy_variety *v, const sl_cy_model_opts *o, int init,
                                     const char *who, sl_cy_model **out);
SL_HIDDEN sl_status sl__cy_model_check_points(const sl_cy_model *m, const sl_cy_points *p, const char *who);
SL_HIDDEN sl_status sl__cy_model_eval(const sl_cy_model *m, const sl_cy_points *p, const char *who, double *sum_ma,
                                      double *sum_tr, double *det, double *g, double *grad);

#endif
