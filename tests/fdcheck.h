/* Finite-difference checks of first, second and third derivatives of graph
 * expressions, real and complex.
 *
 * For an expression y = f(x_1..x_k) (any shape and dtype) the check builds
 *   L = sum Re(w * y)                 (w a fixed random tensor)
 *   S = sum_i Re<v_i, dL/dx_i>         (a directional derivative: uses grad once)
 *   T = sum_i Re<u_i, dS/dx_i>         (uses grad twice)
 * and compares dL/dx, dS/dx (Hessian-vector products) and, when asked,
 * dT/dx (third derivatives) with central differences of L, S and T in every
 * real component of every x_i.  For complex x the gradient is
 * dL/dRe x + i dL/dIm x, so the difference quotient along Re and Im is
 * compared with the real and imaginary part. */
#ifndef SL_TEST_FDCHECK_H
#define SL_TEST_FDCHECK_H

#include <string.h>

#include "check.h"
#include "symlearn.h"

#define FD_MAX_IN 4

typedef sl_node *(*fd_build_fn)(sl_graph *g, sl_node **x);

typedef struct {
    int nin;
    sl_dtype dtype[FD_MAX_IN];
    int rank[FD_MAX_IN];
    int64_t shape[FD_MAX_IN][SL_MAX_RANK];
    double lo, hi;        /* real parts drawn uniformly from [lo, hi] (imag from [-0.5, 0.5]) */
    int order;            /* 2 (default) or 3 */
    double tol;           /* relative tolerance [1e-6] */
} fd_spec;

static double fd_rel(double a, double b, double scale)
{
    return fabs(a - b) / fmax(scale, 1e-3);
}

/* Real scalar sum Re(c * y) with c a random constant of y's shape (seed). */
static sl_node *fd_contract(sl_graph *g, sl_node *y, uint64_t seed)
{
    int r = sl_node_rank(y);
    int64_t shape[SL_MAX_RANK];
    for (int i = 0; i < r; ++i) shape[i] = sl_node_dim(y, i);
    int64_t n = sl_node_numel(y) * (sl_node_dtype(y) == SL_C128 ? 2 : 1);
    double *w = malloc(sizeof(double) * (size_t)n);
    sl_rng_fill_uniform(seed, 0, (size_t)n, -1, 1, w);
    sl_node *c = sl_graph_constant(g, sl_node_dtype(y), r, shape, w);
    free(w);
    return sl_graph_sum(g, sl_graph_real(g, sl_graph_mul(g, y, c)));
}

static sl_node *fd_direction(sl_graph *g, sl_node **xs, sl_node **gs, int k, uint64_t seed)
{
    sl_node *acc = NULL;
    for (int i = 0; i < k; ++i) {
        sl_node *t = fd_contract(g, gs[i], seed + (uint64_t)i);
        acc = acc ? sl_graph_add(g, acc, t) : t;
    }
    (void)xs;
    return acc;
}

static void fdcheck(const char *name, const fd_spec *sp, fd_build_fn build)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int k = sp->nin, order = sp->order ? sp->order : 2;
    double tol = sp->tol > 0 ? sp->tol : 1e-6;
    sl_node *xs[FD_MAX_IN];
    double *data[FD_MAX_IN];
    int64_t ncomp[FD_MAX_IN];
    for (int i = 0; i < k; ++i) {
        xs[i] = sl_graph_input(g, sp->dtype[i], sp->rank[i], sp->shape[i], "x");
        ncomp[i] = sl_node_numel(xs[i]) * (sp->dtype[i] == SL_C128 ? 2 : 1);
        data[i] = malloc(sizeof(double) * (size_t)ncomp[i]);
        for (int64_t j = 0; j < ncomp[i]; ++j) {
            int im = sp->dtype[i] == SL_C128 && (j & 1);
            double u = sl_rng_uniform(100 + (uint64_t)i, (uint64_t)j);
            data[i][j] = im ? u - 0.5 : sp->lo + (sp->hi - sp->lo) * u;
        }
    }
    sl_node *y = build(g, xs);
    sl_node *L = fd_contract(g, y, 11);
    sl_node *gL[FD_MAX_IN], *gS[FD_MAX_IN], *gT[FD_MAX_IN];
    sl_graph_grad(g, L, k, xs, gL);
    sl_node *S = fd_direction(g, xs, gL, k, 21);
    sl_graph_grad(g, S, k, xs, gS);
    sl_node *T = NULL;
    if (order >= 3) {
        T = fd_direction(g, xs, gS, k, 31);
        sl_graph_grad(g, T, k, xs, gT);
    }
    if (sl_graph_status(g) != SL_OK) {
        CHECK(0, "%s: graph error %s", name, sl_ctx_errmsg(ctx));
        goto out;
    }
    sl_node *outs[3 + 3 * FD_MAX_IN];
    int no = 0;
    outs[no++] = L;
    outs[no++] = S;
    outs[no++] = order >= 3 ? T : S;
    for (int i = 0; i < k; ++i) outs[no++] = gL[i];
    for (int i = 0; i < k; ++i) outs[no++] = gS[i];
    for (int i = 0; i < k; ++i) outs[no++] = order >= 3 ? gT[i] : gS[i];
    sl_plan *p;
    if (sl_plan_create(g, no, outs, &p) != SL_OK) {
        CHECK(0, "%s: plan: %s", name, sl_ctx_errmsg(ctx));
        goto out;
    }
    for (int i = 0; i < k; ++i) sl_plan_bind(p, xs[i], data[i]);
    sl_plan_run(p);
    double err[3] = {0, 0, 0};
    for (int i = 0; i < k; ++i) {
        double *an[3];
        double scale[3] = {0, 0, 0};
        sl_plan_run(p);   /* analytic values at the unperturbed point */
        for (int o = 0; o < 3; ++o) {
            an[o] = malloc(sizeof(double) * (size_t)ncomp[i]);
            memcpy(an[o], sl_plan_output(p, 3 + o * k + i), sizeof(double) * (size_t)ncomp[i]);
            for (int64_t j = 0; j < ncomp[i]; ++j) scale[o] = fmax(scale[o], fabs(an[o][j]));
        }
        /* SL_TEST_QUICK (set for the valgrind run) samples about 8 components
         * per input instead of all of them. */
        int64_t stride = getenv("SL_TEST_QUICK") && ncomp[i] > 8 ? ncomp[i] / 8 : 1;
        for (int64_t j = 0; j < ncomp[i]; j += stride) {
            double x0 = data[i][j], h = 1e-5 * fmax(1.0, fabs(x0)), fp[3], fm[3];
            data[i][j] = x0 + h;
            sl_plan_run(p);
            for (int o = 0; o < 3; ++o) fp[o] = sl_plan_scalar(p, o);
            data[i][j] = x0 - h;
            sl_plan_run(p);
            for (int o = 0; o < 3; ++o) fm[o] = sl_plan_scalar(p, o);
            data[i][j] = x0;
            for (int o = 0; o < (order >= 3 ? 3 : 2); ++o) {
                double fd = (fp[o] - fm[o]) / (2 * h);
                double e = fd_rel(an[o][j], fd, scale[o]);
                if (e > err[o]) err[o] = e;
            }
        }
        for (int o = 0; o < 3; ++o) free(an[o]);
    }
    CHECK(err[0] < tol, "%s: first derivative rel err %.3g", name, err[0]);
    CHECK(err[1] < tol, "%s: second derivative rel err %.3g", name, err[1]);
    if (order >= 3) CHECK(err[2] < 10 * tol, "%s: third derivative rel err %.3g", name, err[2]);
    sl_plan_destroy(p);
out:
    for (int i = 0; i < k; ++i) free(data[i]);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
}

#endif
