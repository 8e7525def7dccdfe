/* Symmetry discovery tour: so(n) for n = 2..8 from the Euclidean norm, G2
 * from the octonionic 3-form on triples of R^7, su(3) from a Hermitian form
 * plus the complex determinant on C^3, a user C oracle with its gradient (a
 * boost: so(1,1), not compact), and so(3,2) = sp(4,R) by its other names.
 * Run: build/examples/symmetries */
#include <math.h>
#include <stdio.h>

#include "symlearn.h"

static sl_symmetry_result *discover(sl_ctx *ctx, sl_symmetry_opts *o)
{
    sl_symmetry_result *r = NULL;
    if (sl_discover_symmetries(ctx, o, &r) != SL_OK) fprintf(stderr, "symmetries: %s\n", sl_ctx_errmsg(ctx));
    sl_symmetry_opts_destroy(o);
    return r;
}

/* phi(x) = x1 x2 (a "squeeze" invariant) with its gradient: so(1,1), one boost. */
static int squeeze(void *user, int64_t m, int n, int nargs, const double *x, int nout, double *phi, double *grad)
{
    (void)user, (void)nargs, (void)nout;
    for (int64_t i = 0; i < m; ++i) {
        phi[i] = x[i * n] * x[i * n + 1];
        if (grad) grad[i * n] = x[i * n + 1], grad[i * n + 1] = x[i * n];
    }
    return 0;
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    sl_symmetry_opts *o;

    printf("so(n) from |x|^2 (exact solver):\n");
    printf("   n  dim  name             g^-1 K   singular-value gap\n");
    for (int n = 2; n <= 8; ++n) {
        sl_symmetry_opts_create(ctx, &o);
        sl_symmetry_opts_oracle_quadratic(o, n, NULL);
        sl_symmetry_result *r = discover(ctx, o);
        if (!r) return 1;
        printf("  %2d  %3d  %-15s  %6.2f   %.2e\n", n, sl_symmetry_result_dim(r), sl_symmetry_result_name(r),
               sl_symmetry_result_killing_eigenvalues(r)[0], sl_symmetry_result_singular_gap(r));
        sl_symmetry_result_destroy(r);
    }

    printf("\nG2 from the octonionic 3-form f_ijk x_i y_j z_k (all three vectors transformed):\n");
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_octonion_3form(o);
    sl_symmetry_opts_set_scan(o, 13, 15);
    sl_symmetry_result *r = discover(ctx, o);
    if (!r) return 1;
    sl_symmetry_result_print(r, stdout);
    sl_symmetry_result_destroy(r);

    printf("\nsu(3) from <z, w> = z^dagger w and det(z, w, u) on C^3 = R^6 (trained solver, 8 generators):\n");
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_hermitian(o, 3, NULL);
    sl_symmetry_opts_oracle_determinant(o, 3, 1);
    sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED);
    sl_symmetry_opts_set_generators(o, 8);
    r = discover(ctx, o);
    if (!r) return 1;
    int nneg, npos, nzero;
    sl_symmetry_result_signature(r, &nneg, &npos, &nzero);
    printf("  %s: dim %d, rank %d, Killing signature (%d, %d, %d), final loss %.2e\n", sl_symmetry_result_name(r),
           sl_symmetry_result_dim(r), sl_symmetry_result_rank(r), nneg, npos, nzero,
           sl_symmetry_result_loss(r, SL_SYM_LOSS_TOTAL));
    sl_symmetry_result_destroy(r);

    printf("\nA C oracle, phi = x1 x2 on R^2:\n");
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_function(o, 2, 1, 1, squeeze, NULL);
    r = discover(ctx, o);
    if (!r) return 1;
    const double *J = sl_symmetry_result_generators(r);
    printf("  %s, %s: generator [[%.3f, %.3f], [%.3f, %.3f]] (x1 -> e^t x1, x2 -> e^-t x2)\n",
           sl_symmetry_result_name(r), sl_symmetry_result_is_compact(r) ? "compact" : "not compact", J[0], J[1], J[2],
           J[3]);
    sl_symmetry_result_destroy(r);

    printf("\nThe quadratic form of signature (3, 2) on R^5, and what the result is also called:\n");
    double G[25] = {0};
    for (int i = 0; i < 5; ++i) G[i * 5 + i] = i < 3 ? 1 : -1;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, 5, G);
    r = discover(ctx, o);
    if (!r) return 1;
    const char *why = NULL;
    sl_symmetry_result_reason(r, &why);
    printf("  %s, also %s; sp(4,R)? %s; outcome: %s\n", sl_symmetry_result_name(r), sl_symmetry_result_isomorphisms(r),
           sl_symmetry_result_is(r, "sp(4,R)") ? "yes" : "no", why);
    sl_symmetry_result_destroy(r);
    sl_ctx_destroy(ctx);
    return 0;
}
