/* Siamese invariant discovery (discover.h): the result and the pieces shared
 * by training (invariants.c), evaluation and fits (invariants_fit.c). */
#ifndef SL_INVARIANTS_INTERNAL_H
#define SL_INVARIANTS_INTERNAL_H

#include "../autodiff/graph_internal.h"
#include "symlearn/discover.h"

struct sl_invariant_result {
    sl_ctx *ctx;
    int64_t n, d;
    int nlatent;
    sl_invariant_opts o;
    sl_mlp_opts mo;          /* the encoder's MLP */
    int64_t nweights;
    double *weights;         /* nweights */
    double *mean, *scale;    /* d each: u = (x - mean) / scale */
    double *x;               /* the training samples (n x d), for fits */
    double *losses;          /* steps + 1 */
    int nlosses;
    double accuracy;
};

/* u = (x - mean) / scale for a node x (m, d) of g: the encoder's input. */
SL_HIDDEN sl_node *sl__invariant_standardise(sl_graph *g, const sl_invariant_result *r, sl_node *x);

#endif
