/* Internal optimiser state shared by the first-order methods and L-BFGS. */
#ifndef SL_OPTIM_INTERNAL_H
#define SL_OPTIM_INTERNAL_H

#include "../autodiff/graph_internal.h"

struct sl_optim {
    sl_ctx *ctx;
    sl_graph *g;
    sl_optim_opts o;
    sl_plan *plan;
    int nparams;
    sl_node **params;
    int64_t n;            /* real components over all params */
    int64_t step;
    double *m, *v, *vmax;  /* moments (Adam) or momentum buffer (SGD, in m) */
    /* L-BFGS */
    double *x, *gcur, *gprev, *d, *s_hist, *y_hist, *rho, *alpha, *xtrial, *gtrial;
    double *ls;           /* line-search gradients: 3 vectors */
    double t, hdiag, prev_loss;
    int64_t n_iter;
    int hist_len, hist_start;
    double lbfgs_lr_scale;  /* first step scaling, as in PyTorch */
    int have_prev;
};

/* Copy params into / out of a flat real vector. */
SL_HIDDEN void sl__optim_get(const sl_optim *o, double *x);
SL_HIDDEN void sl__optim_set(sl_optim *o, const double *x);
/* Run the plan at the current params: loss into *f, flat gradient into grad
 * (may be NULL).  SL_ERR_NONFINITE if either is not finite; messages name who. */
SL_HIDDEN sl_status sl__optim_eval(sl_optim *o, const char *who, double *f, double *grad);
SL_HIDDEN sl_status sl__lbfgs_step(sl_optim *o, double *loss);

#endif
