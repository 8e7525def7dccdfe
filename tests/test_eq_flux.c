/* The equivariant layers on sampled flux configurations
 * (shared/research/scalar_field.md §5):
 *   SF-T6: a periodic convolution commutes with torch-style rolls of integer
 *          flux inputs (max deviation <= 1e-12, here exactly 0);
 *   SF-T7(a): 1x1 conv with weight 1 on k_t, then global average = n = Q / Nx;
 *   SF-T7(b): a fixed 2x2 conv encoding div_x, squared, then the global
 *          average is 0 on closed and 2 / N on one-defect configurations: a
 *          threshold at 1 / N classifies flux violation perfectly on every
 *          test size of the paper's data; the global max (1 vs 0) needs no
 *          size scaling. */
#include "check.h"
#include "symlearn.h"

#include <string.h>

static sl_ctx *ctx;

/* (B, 4, nt, nx) configurations from one chain, every 5th sweep; with
 * defects when defect != 0 (a random link of each, dk = +-1). */
static double *sample(int64_t nt, int64_t nx, int64_t B, int defect, uint64_t seed)
{
    sl_flux *F;
    int64_t n = 4 * nt * nx;
    double *a = malloc(sizeof(double) * (size_t)(B * n));
    if (sl_flux_create(ctx, nt, nx, 0.1, 1.0, 1.05, &F) || !a) return NULL;
    sl_flux_sweep(F, 20, nt * nx / 8 + 1, SL_FLUX_L_AUTO, seed);
    for (int64_t b = 0; b < B; ++b) {
        sl_flux_sweep(F, 5, nt * nx / 8 + 1, SL_FLUX_L_AUTO, seed);
        if (defect) {
            sl_flux *C;
            sl_flux_copy(F, &C);
            uint64_t r = sl_rng_u64(seed + 1, (uint64_t)b);
            sl_flux_add_defect(C, (int)(r & 1), (int64_t)((r >> 8) % (uint64_t)nt), (int64_t)((r >> 32) % (uint64_t)nx),
                               (r >> 2 & 1) ? 1 : -1);
            sl_flux_export(C, n, a + b * n);
            sl_flux_destroy(C);
        } else {
            sl_flux_export(F, n, a + b * n);
        }
    }
    sl_flux_destroy(F);
    return a;
}

static void sf_t7(int64_t nt, int64_t nx)
{
    int64_t B = 12, n = 4 * nt * nx, N = nt * nx;
    double *closed = sample(nt, nx, B, 0, 100 + (uint64_t)nt), *open = sample(nt, nx, B, 1, 200 + (uint64_t)nt);
    CHECK(closed && open, "sampling");
    if (!closed || !open) return;
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *X = sl_graph_input(g, SL_F64, 4, (int64_t[]){B, 4, nt, nx}, "x");
    double w1[4] = {1, 0, 0, 0};
    sl_node *W1 = sl_graph_constant(g, SL_F64, 4, (int64_t[]){1, 4, 1, 1}, w1);
    sl_node *nn = sl_graph_global_avg_pool(g, sl_graph_periodic_conv(g, X, W1, NULL), 2);
    /* (2, 2) kernel, offsets {0, 1}: the output at s is div at s + (1, 1):
     * k_t(s + (1,1)) - k_t(s + (0,1)) + k_x(s + (1,1)) - k_x(s + (1,0)). */
    double wd[16] = {0};
    wd[0 * 4 + 3] = 1, wd[0 * 4 + 1] = -1;   /* k_t: [1][1] = 1, [0][1] = -1 */
    wd[1 * 4 + 3] = 1, wd[1 * 4 + 2] = -1;   /* k_x: [1][1] = 1, [1][0] = -1 */
    sl_node *Wd = sl_graph_constant(g, SL_F64, 4, (int64_t[]){1, 4, 2, 2}, wd);
    sl_node *div2 = sl_graph_square(g, sl_graph_periodic_conv(g, X, Wd, NULL));
    sl_node *avg = sl_graph_global_avg_pool(g, div2, 2), *mx = sl_graph_global_max_pool(g, div2, 2);
    /* SF-T6: roll by (3, 1) commutes with the conv */
    sl_node *c = sl_graph_periodic_conv(g, X, Wd, NULL);
    sl_node *rc = sl_graph_roll(g, sl_graph_roll(g, c, 2, 3), 3, 1);
    sl_node *cr = sl_graph_periodic_conv(g, sl_graph_roll(g, sl_graph_roll(g, X, 2, 3), 3, 1), Wd, NULL);
    sl_node *dev = sl_graph_global_max_pool(g, sl_graph_abs(g, sl_graph_sub(g, rc, cr)), 3);
    sl_node *outs[4] = {nn, avg, mx, dev};
    sl_plan *p;
    CHECK(sl_plan_create(g, 4, outs, &p) == SL_OK, "plan: %s", sl_ctx_errmsg(ctx));
    int wrong = 0;
    double nerr = 0, cdev = 0;
    for (int pass = 0; pass < 2; ++pass) {
        double *a = pass ? open : closed;
        sl_plan_bind(p, X, a);
        sl_plan_run(p);
        const double *vn = sl_plan_output(p, 0), *va = sl_plan_output(p, 1), *vm = sl_plan_output(p, 2),
                     *vd = sl_plan_output(p, 3);
        for (int64_t b = 0; b < B; ++b) {
            if (!pass) {   /* n = Q / Nx from the k_t sum of one slice */
                double q = 0;
                for (int64_t x = 0; x < nx; ++x) q += a[b * n + x];
                nerr = fmax(nerr, fabs(vn[b] - q / (double)nx));
            }
            int says = va[b] > 1.0 / (double)N, says_max = vm[b] > 0.5;
            wrong += says != pass || says_max != pass;
            if (pass) wrong += fabs(va[b] - 2.0 / (double)N) > 1e-15;
            cdev = fmax(cdev, vd[b]);
        }
    }
    CHECK(nerr <= 1e-15, "SF-T7(a) %lldx%lld: |GAP(conv k_t) - n| = %g", (long long)nt, (long long)nx, nerr);
    CHECK(!wrong, "SF-T7(b) %lldx%lld: %d wrong", (long long)nt, (long long)nx, wrong);
    CHECK(cdev <= 1e-12, "SF-T6 roll-commute %lldx%lld: %g", (long long)nt, (long long)nx, cdev);
    printf("%3lldx%-3lld SF-T7(a) max |n - GAP| %.1e; SF-T7(b) %d/%lld misclassified (GAP and max); "
           "SF-T6 roll dev %.1e\n",
           (long long)nt, (long long)nx, nerr, wrong, (long long)(2 * B), cdev);
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    free(closed), free(open);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    int64_t sizes[][2] = {{50, 2}, {60, 4}, {100, 5}, {125, 8}, {200, 10}};
    for (int i = 0; i < 5; ++i) sf_t7(sizes[i][0], sizes[i][1]);
    sl_ctx_destroy(ctx);
    return check_done();
}
