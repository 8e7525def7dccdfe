/* hello: the smallest complete libsymlearn program.  It prints the version,
 * makes a context and a tensor, builds y = sum(x * x), asks for dy/dx = 2x,
 * compiles both into a plan and runs it.
 *
 *   cc hello.c $(pkg-config --cflags --libs symlearn) -o hello */
#include <math.h>
#include <stdio.h>
#include <symlearn.h>

#define CHECK(call)                                                             \
    do {                                                                        \
        sl_status st_ = (call);                                                 \
        if (st_ != SL_OK) {                                                     \
            fprintf(stderr, "%s: %s (%s)\n", #call, sl_status_string(st_),      \
                    ctx ? sl_ctx_errmsg(ctx) : "");                             \
            return 1;                                                           \
        }                                                                       \
    } while (0)

int main(void)
{
    sl_ctx *ctx = NULL;
    sl_tensor *x_val = NULL;
    sl_graph *g = NULL;
    sl_plan *plan = NULL;
    const int64_t shape[1] = {4};

    printf("libsymlearn %s (headers %d.%d.%d)\n", sl_version_string(), SL_VERSION_MAJOR,
           SL_VERSION_MINOR, SL_VERSION_PATCH);
    CHECK(sl_ctx_create(&ctx, NULL));

    /* x = (4 uniform numbers in [-1, 1)), from the counter-based RNG. */
    CHECK(sl_tensor_create(ctx, SL_F64, 1, shape, &x_val));
    CHECK(sl_tensor_fill_uniform(x_val, 42, -1.0, 1.0));

    /* y = sum(x * x) and its gradient, an ordinary graph node. */
    CHECK(sl_graph_create(ctx, &g));
    sl_node *x = sl_graph_input(g, SL_F64, 1, shape, "x");
    sl_node *y = sl_graph_sum(g, sl_graph_mul(g, x, x));
    sl_node *dy = sl_graph_grad1(g, y, x);
    CHECK(sl_graph_status(g)); /* sticky: one check for the whole expression */

    sl_node *outs[2] = {y, dy};
    CHECK(sl_plan_create(g, 2, outs, &plan));
    CHECK(sl_plan_bind_tensor(plan, x, x_val));
    CHECK(sl_plan_run(plan));

    const double *xv = sl_tensor_data(x_val);
    const double *gv = sl_plan_output(plan, 1);
    double want = 0.0;
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        want += xv[i] * xv[i];
        bad |= fabs(gv[i] - 2.0 * xv[i]) > 1e-12;
    }
    printf("y = sum(x*x) = %.6f   dy/dx = (%.4f, %.4f, %.4f, %.4f)\n", sl_plan_scalar(plan, 0),
           gv[0], gv[1], gv[2], gv[3]);
    bad |= fabs(sl_plan_scalar(plan, 0) - want) > 1e-12;

    sl_plan_destroy(plan);
    sl_graph_destroy(g);
    sl_tensor_destroy(x_val);
    sl_ctx_destroy(ctx);
    if (bad) {
        fprintf(stderr, "hello: wrong value or gradient\n");
        return 1;
    }
    puts("ok");
    return 0;
}
