/* Flagship demo (`make demo`): the Lorentz algebra from the Minkowski metric.
 *
 * The oracle is the invariant interval phi(x) = t^2 - x^2 - y^2 - z^2.  One
 * call finds every linear map that preserves it to first order: the exact
 * solver takes the null space of the linearised invariance condition
 * d/deps phi((1 + eps J) x) = <grad phi(x) x^T, J> over random events, the
 * basis is rotated to sparse canonical generators (three rotations J_i, three
 * boosts K_i), and the analysis reads off the structure constants, the
 * Killing form and its signature (3, 3): so(1,3), not compact.  The same
 * algebra is then learned by training (Adam then L-BFGS) and compared.
 *
 * Writes lorentz.slr (reloadable result), lorentz.json and two heat maps
 * (lorentz_generators.ppm, lorentz_structure.ppm) into the directory given as
 * the first argument, else into build/ when run from the source tree (as by
 * `make demo`), else into the current directory. */
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>

#include "symlearn.h"

/* A symmetric generator is a boost, an antisymmetric one a rotation. */
static void print_generator(const double *J, int a)
{
    int sym = 1;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) sym &= fabs(J[i * 4 + j] - J[j * 4 + i]) < 1e-9;
    printf("  T%d (%s)\n", a + 1, sym ? "boost" : "rotation");
    for (int i = 0; i < 4; ++i) {
        printf("     [");
        for (int j = 0; j < 4; ++j) printf(" %5.2f", fabs(J[i * 4 + j]) < 5e-13 ? 0.0 : J[i * 4 + j]);
        printf(" ]\n");
    }
}

static const char *out_path(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

int main(int argc, char **argv)
{
    struct stat sb;
    const char *dir = argc > 1 ? argv[1] : (stat("build", &sb) == 0 && S_ISDIR(sb.st_mode)) ? "build" : ".";
    char path[4][1024];
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    double eta[16] = {1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1};

    sl_symmetry_opts *o;
    sl_symmetry_result *r = NULL;
    if (sl_symmetry_opts_create(ctx, &o) != SL_OK) return 1;
    sl_symmetry_opts_oracle_quadratic(o, 4, eta);
    sl_symmetry_opts_set_scan(o, 1, 8);                 /* loss per N_g: 6 is the dimension */
    if (sl_discover_symmetries(ctx, o, &r) != SL_OK) {
        fprintf(stderr, "demo: %s\n", sl_ctx_errmsg(ctx));
        return 1;
    }
    printf("== Symmetries of the Minkowski interval t^2 - x^2 - y^2 - z^2 (exact solver)\n");
    sl_symmetry_result_print(r, stdout);

    printf("\nGenerators T_a (normalised to Tr T T^T = 2; x' = (1 + eps T) x):\n");
    const double *J = sl_symmetry_result_generators(r);
    for (int a = 0; a < sl_symmetry_result_dim(r); ++a) print_generator(J + 16 * a, a);

    /* check: T^T eta + eta T = 0 for every generator */
    double err = 0;
    for (int a = 0; a < sl_symmetry_result_dim(r); ++a)
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                err = fmax(err, fabs(J[16 * a + j * 4 + i] * eta[j * 5] + eta[i * 5] * J[16 * a + i * 4 + j]));
    int nneg, npos, nzero;
    sl_symmetry_result_signature(r, &nneg, &npos, &nzero);
    printf("\nmax |T^T eta + eta T| = %.2e; Killing signature (%d, %d): %s\n", err, nneg, npos,
           sl_symmetry_result_name(r));

    if (sl_symmetry_result_save(r, out_path(path[0], sizeof path[0], dir, "lorentz.slr")) != SL_OK ||
        sl_symmetry_result_export_json(r, out_path(path[1], sizeof path[1], dir, "lorentz.json")) != SL_OK ||
        sl_symmetry_result_write_ppm(r, SL_SYM_PICTURE_GENERATORS,
                                     out_path(path[2], sizeof path[2], dir, "lorentz_generators.ppm")) != SL_OK ||
        sl_symmetry_result_write_ppm(r, SL_SYM_PICTURE_STRUCTURE,
                                     out_path(path[3], sizeof path[3], dir, "lorentz_structure.ppm")) != SL_OK)
        fprintf(stderr, "demo: %s\n", sl_ctx_errmsg(ctx));

    /* The same by training six generators (invariance, normalisation,
     * orthogonality and closure losses), compared by span. */
    sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED);
    sl_symmetry_opts_set_scan(o, 6, 7);
    sl_symmetry_result *t = NULL;
    if (sl_discover_symmetries(ctx, o, &t) == SL_OK) {
        const int *ng;
        const double *loss;
        sl_symmetry_result_scan(t, &ng, &loss);
        double dist = 1;
        sl_lie_span_distance(ctx, 4, 6, J, sl_symmetry_result_dim(t), sl_symmetry_result_generators(t), &dist);
        printf("\n== Trained solver: N_g = %d loss %.2e, N_g = %d loss %.2e (fails: no 7th generator)\n", ng[0],
               loss[0], ng[1], loss[1]);
        printf("   learned span vs exact span: |P_learned - P_exact| = %.2e; %s\n", dist, sl_symmetry_result_name(t));
    } else {
        fprintf(stderr, "demo: %s\n", sl_ctx_errmsg(ctx));
    }
    printf("\nwrote %s, %s, %s, %s\n", path[0], path[1], path[2], path[3]);
    sl_symmetry_result_destroy(t);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
    sl_ctx_destroy(ctx);
    return 0;
}
