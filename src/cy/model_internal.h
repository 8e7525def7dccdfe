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
    sl_cy_algebraic *base;        /* opts.base_k > 0: the Donaldson base (owned) */
};

SL_HIDDEN sl_status sl__cy_model_new(sl_ctx *ctx, const sl_cy_variety *v, const sl_cy_model_opts *o, int init,
                                     const char *who, sl_cy_model **out);
/* the phi-model's training data with g_base,pb (FS of t, or t g_k of base) */
SL_HIDDEN sl_status sl__cy_model_data(const sl_cy_model *m, const sl_cy_points *p, sl_cy_data *D, const char *who);
SL_HIDDEN sl_status sl__cy_model_check_points(const sl_cy_model *m, const sl_cy_points *p, const char *who);
SL_HIDDEN sl_status sl__cy_model_eval(const sl_cy_model *m, const sl_cy_points *p, const char *who, double *sum_ma,
                                      double *sum_tr, double *det, double *g, double *grad);

/* The FS-correction models (fsnet.c): evaluation in chunks (full: also the
 * transition and Kahler terms; always with grad), the gradient of the mean
 * loss (alphas 1) into grad; training with the options already checked and
 * the history grown. */
SL_HIDDEN sl_status sl__cy_fsnet_eval(const sl_cy_model *m, const sl_cy_points *p, const char *who, int full,
                                      double *sum_ma, double *sum_tr, double *sum_k, double *det, double *g,
                                      double *grad);
SL_HIDDEN sl_status sl__cy_fsnet_train(sl_cy_model *m, const sl_cy_points *train, const sl_cy_points *val,
                                       const sl_cy_train_opts *o, const char *who);
/* graph pieces (also for the Ricci scalar of the diagnostics): an sl_mlp of
 * the model's network holding its weights, the weights copied in again, and
 * the ambient form (B, namb, namb) at X (B, 2 namb) */
SL_HIDDEN sl_status sl__cy_fsnet_mlp(sl_graph *g, const sl_cy_model *m, sl_mlp **out);
SL_HIDDEN sl_status sl__cy_fsnet_set(sl_mlp *mlp, const sl_cy_model *m);
SL_HIDDEN sl_node *sl__cy_fsnet_ambient(sl_graph *g, const sl_cy_model *m, sl_mlp *mlp, sl_node *X);

/* Adam with the schedule and clipping of sl_cy_train_opts (train.c). */
typedef struct {
    int64_t nw;
    double *mom, *vel;
} sl_cy_adam;
SL_HIDDEN sl_status sl__cy_adam_init(sl_ctx *ctx, sl_cy_adam *A, int64_t nw, const char *who);
SL_HIDDEN void sl__cy_adam_free(sl_ctx *ctx, sl_cy_adam *A);
/* step (0-based) of total: checks loss and gradient are finite (SL_ERR_NUMERIC
 * naming epoch and step), clips grad in place, updates w */
SL_HIDDEN sl_status sl__cy_adam_step(sl_ctx *ctx, sl_cy_adam *A, const sl_cy_train_opts *o, double *w, double *grad,
                                     double loss, int64_t step, int64_t total, int epoch, const char *who);
/* the epoch's order of the n training points: identity, or with o->shuffle
 * the Fisher-Yates permutation of stream ctx seed + o->stream (epoch counter) */
SL_HIDDEN void sl__cy_permutation(sl_ctx *ctx, const sl_cy_train_opts *o, int epoch, int64_t n, int64_t *perm);

#endif
