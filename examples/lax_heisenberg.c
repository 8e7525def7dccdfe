/* A Lax connection of the continuous Heisenberg ferromagnet S_t = S x S_xx,
 * |S| = 1 (the slides' "further systems"), learned on jets of curves on the
 * sphere (sl_lax_connection_builtin_sample): 3 x 3 L_x(S, lambda) linear in
 * lambda, L_t(S, S_x, lambda) quadratic.  About 70 s of one core with the
 * defaults below (150 Levenberg-Marquardt iterations on 936 weights).
 *
 *   build/examples/lax_heisenberg [lm_steps] [seed]
 */
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

int main(int argc, char **argv)
{
    sl_ctx *ctx = NULL;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    sl_lax_connection_builtin *b = NULL;
    sl_lax_connection_result *r = NULL;
    double *jets = NULL;
    int rc = 1;
    if (sl_lax_connection_builtin_create(ctx, SL_LAX_HEISENBERG, &b)) goto done;
    sl_lax_connection_opts o;
    sl_lax_connection_opts_init(&o);
    o.n = 3, o.fields = 3, o.order = 1, o.jet_order = 3;   /* jets (S, S_x); the PDE needs S_xxx */
    o.order_x = 0, o.lambda_degree = 2, o.lambda_degree_x = 1;
    o.samples = 200, o.holdout = 500;
    o.lm_steps = argc > 1 ? atoll(argv[1]) : 150;
    o.seed = argc > 2 ? (uint64_t)atoll(argv[2]) : 0;
    int64_t m = o.samples + o.holdout;
    jets = malloc(sizeof(double) * (size_t)(m * 12));
    if (!jets || sl_lax_connection_builtin_sample(b, m, 11, jets)) goto done;
    if (sl_discover_lax_connection(ctx, &o, sl_lax_connection_builtin_pde, b, m, jets, &r)) goto done;
    sl_lax_connection_result_print(r, stdout);
    double res = sl_lax_connection_result_residual(r), share = sl_lax_connection_result_commutator(r);
    printf("held-out relative zero-curvature residual %.3g, commutator share %.3g\n", res, share);
    rc = res < 1e-6 && share > 1e-2 ? 0 : 2;
done:
    if (rc == 1) fprintf(stderr, "%s\n", sl_ctx_errmsg(ctx));
    free(jets);
    sl_lax_connection_result_destroy(r);
    sl_lax_connection_builtin_destroy(b);
    sl_ctx_destroy(ctx);
    return rc;
}
