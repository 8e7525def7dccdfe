/* A Lax pair for the harmonic oscillator learned from its equations of
 * motion (Krippendorf, Lust, Syvaeri 2021): two MLPs L(q, p), M(q, p) with
 * dL/dt = [L, M], the conserved traces tr L^k checked along RK4
 * trajectories, and the entries of L and M read off as formulas.
 *
 *   build/examples/lax_oscillator [steps] [lbfgs_steps]
 */
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

int main(int argc, char **argv)
{
    sl_ctx *ctx = NULL;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    /* the built-in oscillator H = (p^2 + q^2)/2 gives the equations of motion */
    sl_lax_builtin *osc = NULL;
    if (sl_lax_builtin_create(ctx, SL_LAX_OSCILLATOR, 0, 1.0, &osc)) goto fail;

    sl_lax_opts o;
    sl_lax_opts_init(&o);
    o.n = 2;
    o.steps = argc > 1 ? atol(argv[1]) : 2000;
    o.lbfgs_steps = argc > 2 ? atol(argv[2]) : 400;
    o.lr = 3e-3;
    o.alpha_scale = 1;                     /* fixes the overall scale of L */
    double lo[2] = {-2, -2}, hi[2] = {2, 2};
    o.lo = lo, o.hi = hi;
    o.regress_degree = 1;

    sl_lax_result *r = NULL;
    if (sl_discover_lax_pair(ctx, &o, sl_lax_builtin_vector_field, osc, 2, 0, NULL, NULL, &r)) goto fail;
    sl_lax_result_print(r, stdout);

    /* the learned pair at a point, and tr L^2 against the energy */
    double x[2] = {0.3, -0.7}, L[4], M[4], t2;
    sl_lax_result_eval(r, 1, x, NULL, L, M, NULL);
    sl_lax_result_trace(r, 2, 1, x, &t2);
    printf("at (q, p) = (%g, %g): L = [%.4f %.4f; %.4f %.4f], M = [%.4f %.4f; %.4f %.4f], tr L^2 = %.6f, H = %.6f\n",
           x[0], x[1], L[0], L[1], L[2], L[3], M[0], M[1], M[2], M[3], t2, 0.5 * (x[0] * x[0] + x[1] * x[1]));
    sl_lax_result_destroy(r);
    sl_lax_builtin_destroy(osc);
    sl_ctx_destroy(ctx);
    return 0;
fail:
    fprintf(stderr, "lax_oscillator: %s\n", sl_ctx_errmsg(ctx));
    sl_lax_builtin_destroy(osc);
    sl_ctx_destroy(ctx);
    return 1;
}
