/* Symmetry discovery, exact solver: so(n), Lorentz, G2, u(3)/su(3), F4, E6
 * against the reference algebras of the study (research/symmetries.md, sec. 6);
 * printing non-finite results and to a full device, N_g > n^2, NaN oracle
 * values, the outcome reason. */
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

static sl_ctx *ctx;

/* The exact so(n) basis e_ij - e_ji (i < j). */
static double *so_basis(int n, int *d)
{
    *d = n * (n - 1) / 2;
    double *b = calloc((size_t)*d * n * n, sizeof(double));
    int a = 0;
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j, ++a) {
            b[(size_t)a * n * n + i * n + j] = 1;
            b[(size_t)a * n * n + j * n + i] = -1;
        }
    return b;
}

static sl_symmetry_result *run(sl_symmetry_opts *o)
{
    sl_symmetry_result *r = NULL;
    sl_status st = sl_discover_symmetries(ctx, o, &r);
    CHECK(st == SL_OK, "discover: %s", sl_ctx_errmsg(ctx));
    return r;
}

static void check_killing_eigs(sl_symmetry_result *r, double want, double tol, const char *what)
{
    int d = sl_symmetry_result_dim(r);
    const double *e = sl_symmetry_result_killing_eigenvalues(r);
    double err = 0;
    for (int i = 0; i < d; ++i) err = fmax(err, fabs(e[i] - want));
    CHECK(err < tol, "%s: g^-1 K eigenvalues differ from %g by %.3g", what, want, err);
}

static void test_so_n(void)
{
    for (int n = 2; n <= 10; ++n) {
        sl_symmetry_opts *o;
        sl_symmetry_opts_create(ctx, &o);
        sl_symmetry_opts_oracle_quadratic(o, n, NULL);
        sl_symmetry_result *r = run(o);
        int d;
        double *ref = so_basis(n, &d), dist = 1;
        CHECK(sl_symmetry_result_dim(r) == d, "so(%d): dim %d, want %d", n, sl_symmetry_result_dim(r), d);
        if (sl_symmetry_result_dim(r) == d) {
            sl_lie_span_distance(ctx, n, d, sl_symmetry_result_generators(r), d, ref, &dist);
            CHECK(dist < 1e-9, "so(%d): span distance %.3g", n, dist);
            CHECK(sl_symmetry_result_closure_residual(r) < 1e-12, "so(%d): closure %.3g", n,
                  sl_symmetry_result_closure_residual(r));
            if (n >= 3) check_killing_eigs(r, -(n - 2), 1e-9, "so(n)");
            CHECK(sl_symmetry_result_is_compact(r), "so(%d) compact", n);
            CHECK(sl_symmetry_result_singular_gap(r) > 1e6, "so(%d): gap %.3g", n, sl_symmetry_result_singular_gap(r));
        }
        if (n == 3 || n == 10) {
            char want[16];
            snprintf(want, sizeof want, "so(%d)", n);
            CHECK(strcmp(sl_symmetry_result_name(r), want) == 0, "name %s, want %s", sl_symmetry_result_name(r), want);
        }
        if (n == 3) {
            /* the sparse basis is exactly e_ij - e_ji up to order and sign */
            const double *J = sl_symmetry_result_generators(r);
            int sparse = 1;
            for (int k = 0; k < 27; ++k)
                if (fabs(J[k]) > 1e-12 && fabs(fabs(J[k]) - 1) > 1e-12) sparse = 0;
            CHECK(sparse, "so(3) generators sparsified to entries 0, +-1");
        }
        free(ref);
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

/* Scan N_g for |x| on R^n: N_g <= n(n-1)/2 succeed, the next fails. */
static void test_scan(void)
{
    for (int n = 3; n <= 6; ++n) {
        int d = n * (n - 1) / 2;
        sl_symmetry_opts *o;
        sl_symmetry_opts_create(ctx, &o);
        sl_symmetry_opts_oracle_norm(o, n);
        sl_symmetry_opts_set_scan(o, 1, d + 1);
        sl_symmetry_result *r = run(o);
        const int *ng;
        const double *loss;
        int cnt = sl_symmetry_result_scan(r, &ng, &loss);
        CHECK(cnt == d + 1, "scan count %d", cnt);
        for (int t = 0; t < cnt; ++t) {
            if (ng[t] <= d) CHECK(loss[t] < 1e-24, "R^%d, N_g = %d: loss %.3g", n, ng[t], loss[t]);
            else CHECK(loss[t] > 1e-2, "R^%d, N_g = %d must fail: loss %.3g", n, ng[t], loss[t]);
        }
        CHECK(sl_symmetry_result_dim(r) == d, "R^%d scan finds %d", n, sl_symmetry_result_dim(r));
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

static void test_lorentz(void)
{
    double eta[16] = {1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1};
    sl_symmetry_opts *o;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, 4, eta);
    sl_symmetry_opts_set_scan(o, 1, 7);
    sl_symmetry_result *r = run(o);
    CHECK(sl_symmetry_result_dim(r) == 6, "Lorentz dim %d", sl_symmetry_result_dim(r));
    const double *J = sl_symmetry_result_generators(r);
    double err = 0;
    for (int a = 0; a < sl_symmetry_result_dim(r); ++a)
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j) {
                /* (J^T eta + eta J)_ij = J_ki eta_kj + eta_ik J_kj */
                double s = J[a * 16 + j * 4 + i] * eta[j * 4 + j] + eta[i * 4 + i] * J[a * 16 + i * 4 + j];
                err = fmax(err, fabs(s));
            }
    CHECK(err < 1e-9, "|J^T eta + eta J| = %.3g", err);
    int nn, np, nz;
    sl_symmetry_result_signature(r, &nn, &np, &nz);
    CHECK(nn == 3 && np == 3 && nz == 0, "Lorentz signature (%d, %d, %d)", nn, np, nz);
    const double *e = sl_symmetry_result_killing_eigenvalues(r);
    CHECK(fabs(e[0] + 2) < 1e-9 && fabs(e[5] - 2) < 1e-9, "Lorentz g^-1 K = +-2: %g %g", e[0], e[5]);
    CHECK(strcmp(sl_symmetry_result_name(r), "so(1,3)") == 0, "name %s", sl_symmetry_result_name(r));
    CHECK(!sl_symmetry_result_is_compact(r), "Lorentz not compact");
    const double *loss;
    sl_symmetry_result_scan(r, NULL, &loss);
    CHECK(loss[5] < 1e-24 && loss[6] > 1e-2, "N_g = 6 succeeds (%.3g), 7 fails (%.3g)", loss[5], loss[6]);
    /* sparse: every generator has exactly two nonzero entries, of size 1 */
    int sparse = 1;
    for (int a = 0; a < 6; ++a) {
        int nzc = 0;
        for (int k = 0; k < 16; ++k)
            if (fabs(J[a * 16 + k]) > 1e-9) nzc++, sparse &= fabs(fabs(J[a * 16 + k]) - 1) < 1e-9;
        sparse &= nzc == 2;
    }
    CHECK(sparse, "Lorentz generators sparsified to J_i, K_i");
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

static void test_g2(void)
{
    sl_symmetry_opts *o;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_octonion_3form(o);
    sl_symmetry_opts_set_scan(o, 13, 15);
    sl_symmetry_result *r = run(o);
    CHECK(sl_symmetry_result_dim(r) == 14, "G2 dim %d", sl_symmetry_result_dim(r));
    const double *loss;
    sl_symmetry_result_scan(r, NULL, &loss);
    CHECK(loss[1] < 1e-24 && loss[2] > 1e-2, "G2: 14 succeeds (%.3g), 15 fails (%.3g)", loss[1], loss[2]);
    check_killing_eigs(r, -4, 1e-9, "G2: K = -4 g");
    CHECK(strcmp(sl_symmetry_result_name(r), "g2") == 0, "name %s", sl_symmetry_result_name(r));
    const double *J = sl_symmetry_result_generators(r);
    double asym = 0;
    for (int a = 0; a < 14; ++a)
        for (int i = 0; i < 7; ++i)
            for (int j = 0; j < 7; ++j) asym = fmax(asym, fabs(J[a * 49 + i * 7 + j] + J[a * 49 + j * 7 + i]));
    CHECK(asym < 1e-9, "G2 generators antisymmetric: %.3g", asym);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

static void test_unitary(void)
{
    for (int k = 0; k < 3; ++k) {
        sl_symmetry_opts *o;
        sl_symmetry_opts_create(ctx, &o);
        if (k == 0) sl_symmetry_opts_oracle_quadratic(o, 6, NULL);   /* |z|^2 alone: so(6) */
        else sl_symmetry_opts_oracle_hermitian(o, 3, NULL);
        if (k == 2) sl_symmetry_opts_oracle_determinant(o, 3, 1);
        sl_symmetry_result *r = run(o);
        int want[3] = {15, 9, 8}, nn, np, nz;
        sl_symmetry_result_signature(r, &nn, &np, &nz);
        CHECK(sl_symmetry_result_dim(r) == want[k], "case %d: dim %d, want %d", k, sl_symmetry_result_dim(r), want[k]);
        if (k == 1) {
            CHECK(nn == 8 && np == 0 && nz == 1, "u(3) signature (%d, %d, %d)", nn, np, nz);
            CHECK(sl_symmetry_result_centre_dim(r) == 1, "u(3) centre %d", sl_symmetry_result_centre_dim(r));
            CHECK(strcmp(sl_symmetry_result_name(r), "su(3) + u(1)") == 0, "name %s", sl_symmetry_result_name(r));
        }
        if (k == 2) {
            CHECK(nn == 8 && np == 0 && nz == 0, "su(3) signature (%d, %d, %d)", nn, np, nz);
            CHECK(strcmp(sl_symmetry_result_name(r), "su(3)") == 0, "name %s", sl_symmetry_result_name(r));
            CHECK(sl_symmetry_result_rank(r) == 2, "su(3) rank %d", sl_symmetry_result_rank(r));
        }
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

static void test_exceptional(void)
{
    for (int tr = 1; tr >= 0; --tr) {
        sl_symmetry_opts *o;
        sl_symmetry_opts_create(ctx, &o);
        sl_symmetry_opts_oracle_albert(o, tr);
        sl_symmetry_opts_set_sparsify(o, 0);
        sl_symmetry_result *r = run(o);
        int nn, np, nz, want = tr ? 52 : 78;
        sl_symmetry_result_signature(r, &nn, &np, &nz);
        CHECK(sl_symmetry_result_dim(r) == want, "%s: dim %d", tr ? "F4" : "E6", sl_symmetry_result_dim(r));
        if (tr) CHECK(nn == 52 && np == 0 && nz == 0, "F4 signature (%d, %d, %d)", nn, np, nz);
        else CHECK(nn == 52 && np == 26 && nz == 0, "E6 signature (%d, %d, %d)", nn, np, nz);
        CHECK(sl_symmetry_result_closure_residual(r) < 1e-10, "closure %.3g", sl_symmetry_result_closure_residual(r));
        CHECK(strcmp(sl_symmetry_result_name(r), tr ? "f4" : "e6(-26)") == 0, "name %s", sl_symmetry_result_name(r));
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

static void test_real_det(void)
{
    sl_symmetry_opts *o;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_determinant(o, 3, 0);
    sl_symmetry_result *r = run(o);
    int nn, np, nz;
    sl_symmetry_result_signature(r, &nn, &np, &nz);
    CHECK(sl_symmetry_result_dim(r) == 8 && nn == 3 && np == 5, "det on R^3: sl(3,R), dim %d (%d, %d)",
          sl_symmetry_result_dim(r), nn, np);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

/* A user graph oracle: |x|^4 on R^5 still gives so(5). */
static sl_node *quartic(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs;
    (void)user;
    sl_node *r2 = sl_graph_sum_axes(g, sl_graph_square(g, x[0]), 1, (int[]){1}, 0);
    return sl_graph_square(g, r2);
}

static sl_node *wrong_shape(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs, (void)user;
    return sl_graph_sum(g, x[0]);
}

static void test_graph_oracle(void)
{
    sl_symmetry_opts *o;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_graph(o, 5, 1, 1, quartic, NULL);
    sl_symmetry_result *r = run(o);
    CHECK(sl_symmetry_result_dim(r) == 10, "|x|^4 on R^5: dim %d", sl_symmetry_result_dim(r));
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_graph(o, 5, 1, 1, wrong_shape, NULL);
    r = NULL;
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_ERR_SHAPE && r == NULL, "oracle of the wrong shape: %s", sl_ctx_errmsg(ctx));
    sl_symmetry_opts_destroy(o);
}


/* A result holding NaN and Inf (built in memory: a discovered result with its
 * stored values overwritten) prints and ends (the grouping loop of the
 * Killing eigenvalues used to stop advancing on a NaN and hang). */
static void test_print_nonfinite(void)
{
    sl_symmetry_opts *o;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, 4, NULL);
    sl_symmetry_result *r = run(o);
    int d = sl_symmetry_result_dim(r);
    double *eig = (double *)sl_symmetry_result_killing_eigenvalues(r), *f = (double *)sl_symmetry_result_structure_constants(r);
    eig[0] = NAN, eig[1] = INFINITY, eig[2] = NAN, eig[d - 1] = -INFINITY;
    f[1] = NAN, f[2] = INFINITY;
    const double *loss;
    if (sl_symmetry_result_scan(r, NULL, &loss) == 0) loss = NULL;
    FILE *dn = fopen("/dev/null", "w");
    alarm(20); /* a hang fails the test instead of stalling it */
    CHECK(sl_symmetry_result_print(r, dn) == SL_OK, "print with NaN: %s", sl_ctx_errmsg(ctx));
    for (int i = 0; i < d; ++i) eig[i] = NAN;
    CHECK(sl_symmetry_result_print(r, dn) == SL_OK, "print with all eigenvalues NaN");
    alarm(0);
    fclose(dn);
    /* a full device: the write error shows up at the flush */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        sl_ctx_clear_error(ctx);
        CHECK(sl_symmetry_result_print(r, full) == SL_ERR_IO, "print to /dev/full is SL_ERR_IO");
        CHECK(strncmp(sl_ctx_errmsg(ctx), "sl_symmetry_result_print: ", 26) == 0, "message: %s", sl_ctx_errmsg(ctx));
        fclose(full);
    }
    sl_ctx_clear_error(ctx);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

/* More generators than gl(n) has; NaN values of a graph oracle whose
 * gradient is finite (log x_0 at negative x_0: d/dx = 1/x). */
static sl_node *log_oracle(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs, (void)user;
    sl_node *x0 = sl_graph_reshape(g, sl_graph_slice(g, x[0], 1, 0, 1, 1), 1, (int64_t[]){sl_node_dim(x[0], 0)});
    return sl_graph_log(g, x0);
}

static void test_bad_requests(void)
{
    sl_symmetry_opts *o;
    sl_symmetry_result *r = (sl_symmetry_result *)&r;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, 3, NULL);
    sl_symmetry_opts_set_generators(o, 10);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_ERR_ARG && r == NULL, "N_g = 10 > n^2 = 9 on R^3");
    CHECK(strncmp(sl_ctx_errmsg(ctx), "sl_discover_symmetries: N_g = 10", 32) == 0, "message: %s", sl_ctx_errmsg(ctx));
    sl_symmetry_opts_set_generators(o, 0);
    sl_symmetry_opts_set_scan(o, 1, 12);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_ERR_ARG && r == NULL, "scan to 12 > 9");
    sl_symmetry_opts_destroy(o);
    for (int solver = 0; solver < 3; ++solver) {
        sl_symmetry_opts_create(ctx, &o);
        sl_symmetry_opts_oracle_graph(o, 3, 1, 1, log_oracle, NULL);
        if (solver) sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED);
        if (solver == 2) sl_symmetry_opts_set_invariance(o, SL_SYM_INV_FORWARD, 1e-3);
        sl_symmetry_opts_set_generators(o, 2);
        r = (sl_symmetry_result *)&r;
        CHECK(sl_discover_symmetries(ctx, o, &r) == SL_ERR_NONFINITE && r == NULL, "NaN oracle values (%s): %s",
              solver == 0 ? "exact" : solver == 1 ? "trained, derivative" : "trained, forward", sl_ctx_errmsg(ctx));
        CHECK(strstr(sl_ctx_errmsg(ctx), "non-finite value at sample point") != NULL, "message: %s", sl_ctx_errmsg(ctx));
        sl_symmetry_opts_destroy(o);
    }
    sl_ctx_clear_error(ctx);
}

/* The outcome of the exact solver: found (what stopped it), none, fixed. */
static sl_node *binary_cubic(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    /* x^3 + y^3 + x^2 y / 3: three distinct roots, a finite stabiliser in GL(2) */
    (void)nargs, (void)user;
    int64_t m = sl_node_dim(x[0], 0);
    sl_node *a = sl_graph_reshape(g, sl_graph_slice(g, x[0], 1, 0, 1, 1), 1, (int64_t[]){m});
    sl_node *b = sl_graph_reshape(g, sl_graph_slice(g, x[0], 1, 1, 2, 1), 1, (int64_t[]){m});
    sl_node *a2 = sl_graph_square(g, a), *b2 = sl_graph_square(g, b);
    sl_node *p = sl_graph_add(g, sl_graph_mul(g, a2, a), sl_graph_mul(g, b2, b));
    return sl_graph_add(g, p, sl_graph_mul_scalar(g, sl_graph_mul(g, a2, b), 1.0 / 3));
}

static void test_outcome(void)
{
    const char *text = NULL;
    sl_symmetry_opts *o;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, 3, NULL);
    sl_symmetry_result *r = run(o);
    CHECK(sl_symmetry_result_reason(r, &text) == SL_SYM_REASON_FOUND, "so(3) found");
    CHECK(text && strncmp(text, "N_g = 4: sigma/sigma_max ", 25) == 0 && strstr(text, "above tolerance 1e-08"), "reason: %s",
          text);
    CHECK(sl_symmetry_result_tolerance(r, 3) == 1e-8, "exact tolerance %g", sl_symmetry_result_tolerance(r, 3));
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_set_generators(o, 5);
    r = run(o);
    CHECK(sl_symmetry_result_dim(r) == 5 && sl_symmetry_result_reason(r, &text) == SL_SYM_REASON_FIXED, "N_g = 5 as asked: %s",
          text);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_graph(o, 2, 1, 1, binary_cubic, NULL);
    r = run(o);
    CHECK(sl_symmetry_result_dim(r) == 0 && sl_symmetry_result_reason(r, &text) == SL_SYM_REASON_NONE,
          "binary cubic: no symmetry (dim %d)", sl_symmetry_result_dim(r));
    CHECK(text && strncmp(text, "N_g = 1: sigma/sigma_max ", 25) == 0, "reason: %s", text);
    CHECK(strcmp(sl_symmetry_result_name(r), "trivial (no continuous symmetry)") == 0, "name %s", sl_symmetry_result_name(r));
    FILE *dn = fopen("/dev/null", "w");
    CHECK(sl_symmetry_result_print(r, dn) == SL_OK, "print a trivial result");
    fclose(dn);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
    CHECK(sl_symmetry_result_reason(NULL, &text) == SL_SYM_REASON_UNKNOWN && text == NULL, "NULL result");
    CHECK(isnan(sl_symmetry_result_tolerance(NULL, 1)), "NULL result tolerance");
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_so_n();
    test_scan();
    test_lorentz();
    test_g2();
    test_unitary();
    test_real_det();
    test_graph_oracle();
    test_exceptional();
    test_print_nonfinite();
    test_bad_requests();
    test_outcome();
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
