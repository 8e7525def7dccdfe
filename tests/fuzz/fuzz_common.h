/* Shared by the libFuzzer targets of tests/fuzz (one per reader): a context
 * created once, and the checkpoint's fixed training problem, which the
 * corpus generator (make_corpus.c) uses too. */
#ifndef SL_FUZZ_COMMON_H
#define SL_FUZZ_COMMON_H

#include "io/checkpoint.h"
#include "io/io_internal.h"

#include <string.h>

static inline sl_ctx *fuzz_ctx(void)
{
    static sl_ctx *ctx;
    if (!ctx) sl_ctx_create(&ctx, NULL);
    return ctx;
}

/* The checkpoint problem: loss = sum (tanh(x W) - 1)^2 + |c|^2 over a real
 * 3 x 4 W and a complex 2-vector c, for optimiser kinds k = 0..2 (SGD with
 * momentum, Adam with amsgrad, L-BFGS with history 3). */
typedef struct {
    sl_graph *g;
    sl_node *W, *c;
    sl_optim *opt;
} fuzz_problem;

static const double fuzz_w0[12] = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9, 0.1, 0.2, -0.3};
static const double fuzz_c0[4] = {0.5, 0.25, -0.5, 1.0};

static inline int fuzz_problem_init(fuzz_problem *p, sl_ctx *ctx, int k)
{
    const double *w0 = fuzz_w0, *c0 = fuzz_c0;
    static const double x0[3] = {1, -1, 0.5};
    if (sl_graph_create(ctx, &p->g)) return 0;
    p->W = sl_graph_param(p->g, SL_F64, 2, (int64_t[]){3, 4}, w0, "W");
    p->c = sl_graph_param(p->g, SL_C128, 1, (int64_t[]){2}, c0, "c");
    sl_node *x = sl_graph_constant(p->g, SL_F64, 2, (int64_t[]){1, 3}, x0);
    sl_node *t = sl_graph_add_scalar(p->g, sl_graph_tanh(p->g, sl_graph_matmul(p->g, x, p->W)), -1.0);
    sl_node *cc = sl_graph_real(p->g, sl_graph_mul(p->g, sl_graph_conj(p->g, p->c), p->c));
    sl_node *loss = sl_graph_add(p->g, sl_graph_sum(p->g, sl_graph_square(p->g, t)), sl_graph_sum(p->g, cc));
    sl_optim_opts o;
    sl_optim_opts_init(&o, k == 0 ? SL_OPTIM_SGD : k == 1 ? SL_OPTIM_ADAM : SL_OPTIM_LBFGS);
    if (k == 0) o.momentum = 0.9;
    if (k == 1) o.amsgrad = 1;
    if (k == 2) { o.history = 3; o.max_iter = 2; }
    return sl_optim_create(p->g, loss, 0, NULL, &o, &p->opt) == SL_OK;
}

/* Back to the start: parameters, moments, history, step count, lr. */
static inline void fuzz_problem_restart(fuzz_problem *p, int k)
{
    memcpy(sl_node_data(p->W), fuzz_w0, sizeof fuzz_w0);
    memcpy(sl_node_data(p->c), fuzz_c0, sizeof fuzz_c0);
    sl_optim_reset(p->opt);
    sl_optim_set_lr(p->opt, k == 0 ? 1e-2 : k == 1 ? 1e-3 : 1.0);
}

static inline void fuzz_problem_free(fuzz_problem *p)
{
    sl_optim_destroy(p->opt);
    sl_graph_destroy(p->g);
}

#endif
