/* A Lax connection of KdV, u_t + 6 u u_x + u_xxx = 0 (the slides' "further
 * systems"), learned from the PDE alone: L_x(u, lambda), L_t(u, u_x, u_xx,
 * lambda) with D_t L_x - D_x L_t + [L_x, L_t] = 0 on random jets, printed
 * as polynomials.  The PDE is written out here (the jet layout of lax.h);
 * the built-in SL_LAX_KDV has the same one and the AKNS connection.
 *
 *   build/examples/lax_kdv [lm_steps]
 */
#include <stdio.h>
#include <stdlib.h>

#include "symlearn.h"

/* jet = (u, u_x, ..., u_5); zt = (u_t, D_x u_t, D_x^2 u_t) */
static int kdv(void *user, const double *u, int64_t len, double *zt, int64_t d)
{
    (void)user;
    if (len != 6 || d != 3) return 1;
    zt[0] = -6 * u[0] * u[1] - u[3];
    zt[1] = -6 * (u[1] * u[1] + u[0] * u[2]) - u[4];
    zt[2] = -6 * (3 * u[1] * u[2] + u[0] * u[3]) - u[5];
    return 0;
}

int main(int argc, char **argv)
{
    sl_ctx *ctx = NULL;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    sl_lax_connection_opts o;
    sl_lax_connection_opts_init(&o);
    o.order = 2, o.jet_order = 5;   /* L depends on (u, u_x, u_xx); the PDE needs u_5 */
    o.order_x = 0;                  /* L_x on u and lambda only */
    if (argc > 1) o.lm_steps = atoll(argv[1]);
    sl_lax_connection_result *r = NULL;
    if (sl_discover_lax_connection(ctx, &o, kdv, NULL, 0, NULL, &r)) {
        fprintf(stderr, "%s\n", sl_ctx_errmsg(ctx));
        sl_ctx_destroy(ctx);
        return 1;
    }
    sl_lax_connection_result_print(r, stdout);
    double res = sl_lax_connection_result_residual(r), share = sl_lax_connection_result_commutator(r);
    printf("held-out relative zero-curvature residual %.3g, commutator share %.3g\n", res, share);
    sl_lax_connection_result_destroy(r);
    sl_ctx_destroy(ctx);
    return res < 1e-6 && share > 1e-2 ? 0 : 2;
}
