/* libsymlearn optimisers: SGD (momentum, Nesterov), Adam, AdamW (amsgrad), L-BFGS.
 *
 * An optimiser owns a plan of the loss and its gradients with respect to the
 * chosen parameters (built once by sl_optim_create), updates the parameters'
 * storage in place, and allocates nothing per step.  Inputs of the graph are
 * bound through sl_optim_bind (or on sl_optim_plan's plan).
 *
 * Complex parameters follow the gradient convention of graph.h, so every
 * method works on them unchanged (Adam's second moment uses |g|^2).
 * Thread safety: one thread at a time, as for the graph. */
#ifndef SYMLEARN_OPTIM_H
#define SYMLEARN_OPTIM_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_optim sl_optim;

enum { SL_OPTIM_SGD = 1, SL_OPTIM_ADAM = 2, SL_OPTIM_ADAMW = 3, SL_OPTIM_LBFGS = 4 };

/* Size-first options (rules in core.h); sl_optim_opts_init(o, kind) sets the
 * defaults given in brackets, which are PyTorch's. */
typedef struct sl_optim_opts {
    size_t size;          /* sizeof(sl_optim_opts) */
    int kind;             /* SL_OPTIM_* */
    double lr;            /* learning rate [SGD 1e-2, Adam/AdamW 1e-3, L-BFGS 1] */
    double momentum;      /* SGD [0] */
    double dampening;     /* SGD [0] */
    int nesterov;         /* SGD [0] */
    double beta1, beta2;  /* Adam/AdamW [0.9, 0.999] */
    double eps;           /* Adam/AdamW [1e-8] */
    double weight_decay;  /* SGD/Adam: L2 added to the gradient; AdamW: decoupled [0; AdamW 1e-2] */
    int amsgrad;          /* Adam/AdamW [0] */
    int history;          /* L-BFGS memory, 1..1024 pairs [10] */
    int max_iter;         /* L-BFGS iterations per sl_optim_step [20] */
    int max_eval;         /* L-BFGS loss evaluations per step [25] */
    double tolerance_grad;   /* L-BFGS: stop when max |g| <= this [1e-7] */
    double tolerance_change; /* L-BFGS: stop when a step changes loss or params less [1e-9] */
    int line_search;      /* L-BFGS: 1 strong Wolfe (default), 0 fixed step lr */
} sl_optim_opts;

SL_API sl_status sl_optim_opts_init_sized(sl_optim_opts *opts, size_t size, int kind);
#define sl_optim_opts_init(opts, kind) ((void)sl_optim_opts_init_sized((opts), sizeof *(opts), (kind)))
SL_API void (sl_optim_opts_init)(sl_optim_opts *opts, int kind);   /* 1.0 entry point */

/* Create an optimiser of loss (a real scalar node) over params[0..nparams-1]
 * (param nodes of g; nparams = 0 and params = NULL: every param of g that the
 * loss depends on).  Errors: SL_ERR_NULL, SL_ERR_ARG (bad option: every
 * double option must be finite, lr > 0, the others >= 0, beta1 and beta2 in
 * [0, 1); nesterov, amsgrad and line_search 0 or 1; for L-BFGS history in
 * 1..1024, max_iter and max_eval >= 1; all checked whatever the kind; or a
 * node that is not a param), SL_ERR_SHAPE/SL_ERR_DTYPE (loss not a real
 * scalar), SL_ERR_NOMEM. */
SL_API sl_status sl_optim_create(sl_graph *g, sl_node *loss, int nparams, sl_node *const *params,
                                 const sl_optim_opts *opts, sl_optim **out);
SL_API void sl_optim_destroy(sl_optim *o);      /* NULL is a no-op */

/* The optimiser's plan (outputs: loss, then the gradients in params order).
 * Owned by the optimiser; bind inputs on it. */
SL_API sl_plan *sl_optim_plan(sl_optim *o);
SL_API sl_status sl_optim_bind(sl_optim *o, sl_node *input, const void *data);

/* One step: evaluate loss and gradients at the current parameters and update
 * them (for L-BFGS: up to max_iter iterations with line search).  *loss (may be
 * NULL) receives the loss before the update.  A NaN/Inf loss or gradient gives
 * SL_ERR_NONFINITE and leaves the parameters unchanged. */
SL_API sl_status sl_optim_step(sl_optim *o, double *loss);

/* Evaluate loss (and gradients) at the current parameters without updating. */
SL_API sl_status sl_optim_eval(sl_optim *o, double *loss);

SL_API sl_status sl_optim_set_lr(sl_optim *o, double lr);
SL_API int64_t sl_optim_steps(const sl_optim *o);   /* steps taken so far */
/* Forget moments / history (e.g. after changing parameters by hand). */
SL_API void sl_optim_reset(sl_optim *o);

#ifdef __cplusplus
}
#endif
#endif
