/* Symmetry discovery, trained solver: dimension scans, so(n) spans against the
 * exact projector (clean and reference mode), Lorentz, G2, C oracles, parity
 * with the reference formulas, the default tolerance of the difference
 * losses and the outcome reason, bad input.  Pass criteria: research/symmetries.md sec. 8. */
#include <string.h>

#include "check.h"
#include "symlearn.h"

static sl_ctx *ctx;

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

static sl_symmetry_opts *trained_opts(void)
{
    sl_symmetry_opts *o = NULL;
    CHECK(sl_symmetry_opts_create(ctx, &o) == SL_OK, "opts");
    sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED);
    return o;
}

static sl_symmetry_result *run(sl_symmetry_opts *o)
{
    sl_symmetry_result *r = NULL;
    sl_status st = sl_discover_symmetries(ctx, o, &r);
    CHECK(st == SL_OK, "discover: %s", sl_ctx_errmsg(ctx));
    return r;
}

/* N_g = 1, 3 succeed and 2, 4 fail for |x| on R^3 with closure; clean and reference. */
static void test_scan_r3(void)
{
    for (int ref = 0; ref < 2; ++ref) {
        sl_symmetry_opts *o = trained_opts();
        sl_symmetry_opts_oracle_norm(o, 3);
        if (ref) sl_symmetry_opts_preset_reference(o, 10000);
        sl_symmetry_opts_set_scan(o, 1, 4);
        sl_symmetry_result *r = run(o);
        const int *ng;
        const double *loss;
        int cnt = sl_symmetry_result_scan(r, &ng, &loss);
        double ok = ref ? 1e-6 : 1e-12;
        CHECK(cnt == 4, "scan entries %d", cnt);
        for (int t = 0; t < cnt && cnt == 4; ++t) {
            if (ng[t] == 1 || ng[t] == 3) CHECK(loss[t] < ok, "%s N_g = %d: loss %.3g", ref ? "ref" : "clean", ng[t], loss[t]);
            else CHECK(loss[t] > 1e-2, "%s N_g = %d must fail: loss %.3g", ref ? "ref" : "clean", ng[t], loss[t]);
        }
        CHECK(sl_symmetry_result_dim(r) == 3, "dimension found %d", sl_symmetry_result_dim(r));
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

/* R^4..R^6 without closure: N_g = n(n-1)/2 succeeds, one more fails. */
static void test_scan_r456(void)
{
    for (int n = 4; n <= 6; ++n) {
        int d = n * (n - 1) / 2;
        sl_symmetry_opts *o = trained_opts();
        sl_symmetry_opts_oracle_norm(o, n);
        sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_OFF, 0);
        sl_symmetry_opts_set_scan(o, d, d + 1);
        sl_symmetry_result *r = run(o);
        const double *loss;
        sl_symmetry_result_scan(r, NULL, &loss);
        CHECK(loss[0] < 1e-12 && loss[1] > 1e-2, "R^%d: N_g = %d loss %.3g, N_g = %d loss %.3g", n, d, loss[0], d + 1, loss[1]);
        CHECK(sl_symmetry_result_dim(r) == d, "R^%d: dim %d", n, sl_symmetry_result_dim(r));
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

/* Spans of so(3), so(4), so(10) against the exact basis. */
static void test_span(void)
{
    int ns[3] = {3, 4, 10};
    for (int t = 0; t < 3; ++t) {
        int n = ns[t], d;
        double *ref = so_basis(n, &d), dist = 1;
        sl_symmetry_opts *o = trained_opts();
        sl_symmetry_opts_oracle_quadratic(o, n, NULL);
        sl_symmetry_opts_set_generators(o, d);
        if (n == 10) sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_OFF, 0); /* as the study's SO(10) runs */
        sl_symmetry_result *r = run(o);
        if (sl_symmetry_result_dim(r) == d) {
            sl_lie_span_distance(ctx, n, d, sl_symmetry_result_generators(r), d, ref, &dist);
            CHECK(dist < 1e-9, "clean so(%d): span distance %.3g", n, dist);
            const double *e = sl_symmetry_result_killing_eigenvalues(r);
            CHECK(fabs(e[0] + (n - 2)) < 1e-6 && fabs(e[d - 1] + (n - 2)) < 1e-6, "so(%d): g^-1 K = %g .. %g", n, e[0], e[d - 1]);
            CHECK(sl_symmetry_result_closure_residual(r) < 1e-8, "so(%d) closure %.3g", n, sl_symmetry_result_closure_residual(r));
        } else {
            CHECK(0, "so(%d): dim %d", n, sl_symmetry_result_dim(r));
        }
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
        /* reference mode (so(10) without closure, as the study's runs): the
         * antisymmetric parts span so(n) to 1e-6, and 1 + eps J is an isometry
         * (the forward-difference optimum; J itself has symmetric part -eps J^T J / 2) */
        o = trained_opts();
        sl_symmetry_opts_oracle_norm(o, n);
        sl_symmetry_opts_preset_reference(o, 6000);
        if (n == 10) sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_OFF, 0);
        sl_symmetry_opts_set_generators(o, d);
        r = run(o);
        int nn = n * n;
        double *A = malloc(sizeof(double) * d * nn);
        const double *J = sl_symmetry_result_generators(r);
        for (int a = 0; a < d; ++a)
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) A[a * nn + i * n + j] = 0.5 * (J[a * nn + i * n + j] - J[a * nn + j * n + i]);
        sl_lie_span_distance(ctx, n, d, A, d, ref, &dist);
        CHECK(dist < 1e-6, "reference so(%d): span distance %.3g", n, dist);
        double iso = 0;
        for (int a = 0; a < d; ++a)
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    double dev = -(i == j);
                    for (int k = 0; k < n; ++k)
                        dev += ((k == i) + 1e-3 * J[a * nn + k * n + i]) * ((k == j) + 1e-3 * J[a * nn + k * n + j]);
                    iso = fmax(iso, fabs(dev));
                }
        CHECK(iso < 1e-6, "reference so(%d): |(1 + eps J)^T (1 + eps J) - 1| = %.3g", n, iso);
        free(A);
        free(ref);
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

static void test_lorentz(void)
{
    double eta[16] = {1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1};
    sl_symmetry_opts *o = trained_opts();
    sl_symmetry_opts_oracle_quadratic(o, 4, eta);
    sl_symmetry_opts_set_scan(o, 6, 7);
    sl_symmetry_result *r = run(o);
    const double *loss;
    sl_symmetry_result_scan(r, NULL, &loss);
    CHECK(loss[0] < 1e-12 && loss[1] > 1e-2, "Lorentz: 6 succeeds (%.3g), 7 fails (%.3g)", loss[0], loss[1]);
    CHECK(sl_symmetry_result_dim(r) == 6, "Lorentz dim %d", sl_symmetry_result_dim(r));
    const double *J = sl_symmetry_result_generators(r);
    double err = 0;
    for (int a = 0; a < 6 && J; ++a)
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                err = fmax(err, fabs(J[a * 16 + j * 4 + i] * eta[j * 5] + eta[i * 5] * J[a * 16 + i * 4 + j]));
    CHECK(err < 1e-9, "|J^T eta + eta J| = %.3g", err);
    int nn, np, nz;
    sl_symmetry_result_signature(r, &nn, &np, &nz);
    CHECK(nn == 3 && np == 3 && nz == 0, "Lorentz signature (%d, %d, %d)", nn, np, nz);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

/* No N_g given: the trained solver scans around the null-space dimension. */
static void test_default_scan(void)
{
    sl_symmetry_opts *o = trained_opts();
    sl_symmetry_opts_oracle_hermitian(o, 2, NULL);
    sl_symmetry_result *r = run(o);
    const int *ng;
    const double *loss;
    int cnt = sl_symmetry_result_scan(r, &ng, &loss);
    CHECK(cnt == 2 && ng[0] == 4 && ng[1] == 5 && loss[0] < 1e-12 && loss[1] > 1e-2, "u(2): scan 4, 5 (%d entries)", cnt);
    CHECK(sl_symmetry_result_dim(r) == 4 && strcmp(sl_symmetry_result_name(r), "so(3) + u(1)") == 0, "u(2) found: %s",
          sl_symmetry_result_name(r));
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

static void test_g2(void)
{
    sl_symmetry_opts *o = trained_opts();
    sl_symmetry_opts_oracle_octonion_3form(o);
    sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_OFF, 0);
    sl_symmetry_opts_set_scan(o, 14, 15);
    sl_symmetry_result *r = run(o);
    const double *loss;
    sl_symmetry_result_scan(r, NULL, &loss);
    CHECK(loss[0] < 1e-12 && loss[1] > 1e-2, "G2: 14 succeeds (%.3g), 15 fails (%.3g)", loss[0], loss[1]);
    const double *e = sl_symmetry_result_killing_eigenvalues(r);
    CHECK(sl_symmetry_result_dim(r) == 14 && fabs(e[0] + 4) < 1e-6 && fabs(e[13] + 4) < 1e-6, "G2: K = -4 g (%g .. %g)",
          e[0], e[13]);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

/* su(3) and u(3) by training, from the multi-vector oracles. */
static void test_unitary(void)
{
    for (int k = 0; k < 2; ++k) {
        sl_symmetry_opts *o = trained_opts();
        sl_symmetry_opts_oracle_hermitian(o, 3, NULL);
        if (k) sl_symmetry_opts_oracle_determinant(o, 3, 1);
        sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_OFF, 0);
        int d = k ? 8 : 9;
        sl_symmetry_opts_set_scan(o, d, d + 1);
        sl_symmetry_result *r = run(o);
        const double *loss;
        sl_symmetry_result_scan(r, NULL, &loss);
        CHECK(loss[0] < 1e-12 && loss[1] > 1e-2, "%s: %d succeeds (%.3g), %d fails (%.3g)", k ? "su(3)" : "u(3)", d,
              loss[0], d + 1, loss[1]);
        int nn, np, nz;
        sl_symmetry_result_signature(r, &nn, &np, &nz);
        CHECK(nn == 8 && np == 0 && nz == 1 - k, "%s signature (%d, %d, %d)", k ? "su(3)" : "u(3)", nn, np, nz);
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

/* A C oracle phi = |x|^2 with its gradient. */
static int sq_norm(void *user, int64_t m, int n, int nargs, const double *x, int nout, double *phi, double *grad)
{
    (void)user;
    (void)nargs;
    (void)nout;
    for (int64_t i = 0; i < m; ++i) {
        double s = 0;
        for (int j = 0; j < n; ++j) {
            s += x[i * n + j] * x[i * n + j];
            if (grad) grad[i * n + j] = 2 * x[i * n + j];
        }
        phi[i] = s;
    }
    return 0;
}

static void test_c_oracle(void)
{
    for (int solver = SL_SYM_EXACT; solver <= SL_SYM_TRAINED; ++solver) {
        sl_symmetry_opts *o;
        sl_symmetry_opts_create(ctx, &o);
        sl_symmetry_opts_oracle_function(o, 3, 1, 1, sq_norm, NULL);
        sl_symmetry_opts_set_solver(o, solver);
        if (solver == SL_SYM_TRAINED) sl_symmetry_opts_set_generators(o, 3);
        sl_symmetry_result *r = run(o);
        CHECK(sl_symmetry_result_dim(r) == 3 && strcmp(sl_symmetry_result_name(r), "so(3)") == 0,
              "C oracle, solver %d: %s", solver, sl_symmetry_result_name(r));
        sl_symmetry_result_destroy(r);
        sl_symmetry_opts_destroy(o);
    }
}

/* Reference formulas (research/symmetries.md sec. 1a) evaluated by hand. */
static double reference_loss(int n, int ng, int m, const double *x, const double *W, const double *C, double eps)
{
    double inv = 0, norm = 0, orth = 0, clos = 0;
    for (int a = 0; a < ng; ++a) {
        double s = 0;
        for (int i = 0; i < m; ++i) {
            double p0 = 0, p1 = 0;
            for (int j = 0; j < n; ++j) {
                double y = x[i * n + j];
                for (int k = 0; k < n; ++k) y += eps * W[a * n * n + j * n + k] * x[i * n + k];
                p0 += x[i * n + j] * x[i * n + j];
                p1 += y * y;
            }
            double dphi = sqrt(p1) - sqrt(p0);
            s += dphi * dphi;
        }
        inv += s / m / (eps * eps);
        double f = 0;
        for (int k = 0; k < n * n; ++k) f += W[a * n * n + k] * W[a * n * n + k];
        norm += (f - 2) * (f - 2);
        for (int b = a + 1; b < ng; ++b) {
            double t = 0;
            for (int k = 0; k < n * n; ++k) t += W[a * n * n + k] * W[b * n * n + k];
            orth += t * t;
        }
    }
    for (int a = 0, p = 0; a < ng; ++a)
        for (int b = a + 1; b < ng; ++b, ++p) {
            double s = 0;
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) {
                    double c = 0;
                    for (int k = 0; k < n; ++k)
                        c += W[a * n * n + i * n + k] * W[b * n * n + k * n + j] - W[b * n * n + i * n + k] * W[a * n * n + k * n + j];
                    for (int g = 0; g < ng; ++g) c -= C[p * ng + g] * W[g * n * n + i * n + j];
                    s += c * c;
                }
            clos += s * s;
        }
    return inv + norm + orth + clos;
}

static void test_parity(void)
{
    enum { N = 3, NG = 3, M = 300 };
    double x[M * N], W[NG * N * N], C[3 * NG];
    sl_rng_fill_normal(11, 0, M * N, 0, 1, x);
    sl_rng_fill_uniform(12, 0, NG * N * N, -1 / sqrt(3.0), 1 / sqrt(3.0), W);
    sl_rng_fill_normal(13, 0, 3 * NG, 0, 0.1, C);
    sl_symmetry_opts *o = trained_opts();
    sl_symmetry_opts_oracle_norm(o, N);
    sl_symmetry_opts_set_samples(o, M, x);
    sl_symmetry_opts_preset_reference(o, 5000);
    sl_symmetry_opts_set_generators(o, NG);
    sl_symmetry_opts_set_initial(o, NG, W, C);
    sl_symmetry_result *r = run(o);
    double want = reference_loss(N, NG, M, x, W, C, 1e-3);
    CHECK_CLOSE(sl_symmetry_result_initial_loss(r), want, 1e-12, "SO(3) reference loss at the start");
    CHECK(sl_symmetry_result_loss(r, SL_SYM_LOSS_TOTAL) < 1e-5, "SO(3) reference mode after 5000 Adam steps: %.3g",
          sl_symmetry_result_loss(r, SL_SYM_LOSS_TOTAL));
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

static sl_node *sq_graph(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs, (void)user;
    return sl_graph_sum_axes(g, sl_graph_square(g, x[0]), 1, (int[]){1}, 0);
}

/* The quadratic-oracle identity path gives the loss of the generic path
 * (phi evaluated on every transformed point), forward and central. */
static void test_quadratic_path(void)
{
    enum { N = 4, NG = 5, M = 50 };
    double x[M * N], W[NG * N * N];
    sl_rng_fill_normal(21, 0, M * N, 0, 1, x);
    sl_rng_fill_normal(22, 0, NG * N * N, 0, 0.3, W);
    for (int mode = SL_SYM_INV_FORWARD; mode <= SL_SYM_INV_CENTRAL; ++mode) {
        double loss[2];
        for (int path = 0; path < 2; ++path) {
            sl_symmetry_opts *o = trained_opts();
            if (path == 0) sl_symmetry_opts_oracle_quadratic(o, N, NULL);
            else sl_symmetry_opts_oracle_graph(o, N, 1, 1, sq_graph, NULL);
            sl_symmetry_opts_set_samples(o, M, x);
            sl_symmetry_opts_set_invariance(o, mode, 1e-2);
            sl_symmetry_opts_set_generators(o, NG);
            sl_symmetry_opts_set_initial(o, NG, W, NULL);
            sl_symmetry_opts_set_training(o, 0, 1e-3, 0);
            sl_symmetry_result *r = run(o);
            loss[path] = sl_symmetry_result_initial_loss(r);
            sl_symmetry_result_destroy(r);
            sl_symmetry_opts_destroy(o);
        }
        CHECK_CLOSE(loss[0], loss[1], 1e-12, mode ? "quadratic identity, central" : "quadratic identity, forward");
    }
}


/* Forward differences at the default tolerance: the O(eps) bias keeps the
 * loss of so(5) near 1e-5, far above 1e-12; the default scales with eps
 * (10 eps = 1e-2 at N_g = 10), so so(5) is found and 11 fails.  With 1e-12
 * set by hand nothing is found, and the result says why. */
static void test_forward_default(void)
{
    const char *text = NULL;
    sl_symmetry_opts *o = trained_opts();
    sl_symmetry_opts_oracle_quadratic(o, 5, NULL);
    sl_symmetry_opts_set_invariance(o, SL_SYM_INV_FORWARD, 1e-3);
    sl_symmetry_result *r = run(o);
    const int *ng;
    const double *loss;
    int cnt = sl_symmetry_result_scan(r, &ng, &loss);
    CHECK(cnt == 2 && ng[0] == 10 && loss[0] > 1e-7 && loss[0] < 1e-4 && loss[1] > 0.1, "scan: %d entries, %.3g, %.3g", cnt,
          cnt ? loss[0] : NAN, cnt > 1 ? loss[1] : NAN);
    CHECK(sl_symmetry_result_dim(r) == 10 && strcmp(sl_symmetry_result_name(r), "so(5)") == 0, "forward: %s (dim %d)",
          sl_symmetry_result_name(r), sl_symmetry_result_dim(r));
    CHECK_CLOSE(sl_symmetry_result_tolerance(r, 10), 1e-12 + 10 * 1e-3, 1e-12, "tolerance at N_g = 10");
    CHECK(sl_symmetry_result_reason(r, &text) == SL_SYM_REASON_FOUND && text && strncmp(text, "N_g = 11: loss ", 15) == 0 &&
              strstr(text, "above tolerance 0.011"),
          "reason: %s", text);
    sl_symmetry_result_destroy(r);
    /* central: O(eps^2); derivative: 1e-12 unchanged */
    sl_symmetry_opts_set_invariance(o, SL_SYM_INV_CENTRAL, 1e-2);
    sl_symmetry_opts_set_generators(o, 10);
    r = run(o);
    CHECK_CLOSE(sl_symmetry_result_tolerance(r, 10), 1e-12 + 10 * 1e-4, 1e-12, "central tolerance");
    CHECK(sl_symmetry_result_reason(r, &text) == SL_SYM_REASON_FIXED && strstr(text, "below tolerance"), "fixed: %s", text);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_set_invariance(o, SL_SYM_INV_DERIVATIVE, 1e-3);
    r = run(o);
    CHECK(sl_symmetry_result_tolerance(r, 10) == 1e-12, "derivative tolerance %g", sl_symmetry_result_tolerance(r, 10));
    sl_symmetry_result_destroy(r);
    /* forward with the unscaled 1e-12 set by hand: none found, and why */
    sl_symmetry_opts_set_generators(o, 0);
    sl_symmetry_opts_set_invariance(o, SL_SYM_INV_FORWARD, 1e-3);
    sl_symmetry_opts_set_tolerance(o, 1e-12);
    r = run(o);
    CHECK(sl_symmetry_result_dim(r) == 0 && sl_symmetry_result_reason(r, &text) == SL_SYM_REASON_NONE, "1e-12: none");
    CHECK(text && strncmp(text, "loss 1.", 7) == 0 && strstr(text, "e-05 above tolerance 1e-12 at N_g = 10"), "reason: %s", text);
    CHECK(strncmp(sl_symmetry_result_name(r), "none found (loss ", 17) == 0, "name: %s", sl_symmetry_result_name(r));
    FILE *f = tmpfile();
    char buf[2048] = {0};
    sl_symmetry_result_print(r, f);
    rewind(f);
    buf[fread(buf, 1, sizeof buf - 1, f)] = 0;
    fclose(f);
    CHECK(strstr(buf, "outcome: loss ") && strstr(buf, "scan N_g = 10: loss ") && strstr(buf, "(above tolerance 1e-12)"),
          "printout:\n%s", buf);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

static int bad_oracle(void *user, int64_t m, int n, int nargs, const double *x, int nout, double *phi, double *grad)
{
    (void)user, (void)n, (void)nargs, (void)x, (void)nout, (void)grad;
    for (int64_t i = 0; i < m; ++i) phi[i] = NAN;
    return 0;
}

static void test_errors(void)
{
    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *r = NULL;
    CHECK(sl_symmetry_opts_create(ctx, NULL) == SL_ERR_NULL, "opts out NULL");
    CHECK(sl_symmetry_opts_create(NULL, &o) == SL_ERR_NULL && o == NULL, "opts ctx NULL");
    CHECK(sl_discover_symmetries(ctx, NULL, &r) == SL_ERR_NULL && r == NULL, "discover opts NULL");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_discover_symmetries: opts") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    sl_symmetry_opts_create(ctx, &o);
    CHECK(sl_discover_symmetries(ctx, o, NULL) == SL_ERR_NULL, "discover out NULL");
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_ERR_STATE, "no oracle");
    CHECK(sl_symmetry_opts_oracle_quadratic(NULL, 3, NULL) == SL_ERR_NULL, "oracle on NULL opts");
    CHECK(sl_symmetry_opts_oracle_quadratic(o, 0, NULL) == SL_ERR_ARG, "n = 0");
    double G[4] = {1, 2, 0, 1};
    CHECK(sl_symmetry_opts_oracle_quadratic(o, 2, G) == SL_ERR_ARG, "non-symmetric G");
    G[1] = NAN;
    CHECK(sl_symmetry_opts_oracle_quadratic(o, 2, G) == SL_ERR_NONFINITE, "NaN in G");
    CHECK(sl_symmetry_opts_set_samples(o, 10, G) == SL_ERR_STATE, "samples before an oracle");
    CHECK(sl_symmetry_opts_oracle_norm(o, 3) == SL_OK, "norm");
    CHECK(sl_symmetry_opts_oracle_norm(o, 4) == SL_ERR_SHAPE, "oracles on different spaces");
    double xs[6] = {1, 2, NAN, 0, 0, 0};
    CHECK(sl_symmetry_opts_set_samples(o, 2, xs) == SL_ERR_NONFINITE, "NaN samples");
    CHECK(sl_symmetry_opts_set_samples(o, 0, xs) == SL_ERR_ARG, "m = 0");
    CHECK(sl_symmetry_opts_set_solver(o, 7) == SL_ERR_ARG, "solver 7");
    CHECK(sl_symmetry_opts_set_invariance(o, 1, -1) == SL_ERR_ARG, "eps < 0");
    CHECK(sl_symmetry_opts_set_invariance(o, 1, NAN) == SL_ERR_ARG, "eps NaN");
    CHECK(sl_symmetry_opts_set_weights(o, 1, 1, NAN, 1, 0) == SL_ERR_ARG, "weight NaN");
    CHECK(sl_symmetry_opts_set_training(o, -1, 1e-3, 0) == SL_ERR_ARG, "steps < 0");
    CHECK(sl_symmetry_opts_set_scan(o, 3, 2) == SL_ERR_ARG, "scan 3..2");
    CHECK(sl_symmetry_opts_set_tolerance(o, 0) == SL_ERR_ARG, "tol 0");
    CHECK(sl_symmetry_opts_set_initial(o, 2, NULL, NULL) == SL_ERR_NULL, "initial W NULL");
    CHECK(sl_symmetry_opts_oracle_graph(o, 3, 1, 1, NULL, NULL) == SL_ERR_NULL, "graph fn NULL");
    CHECK(sl_symmetry_opts_oracle_determinant(o, 9, 0) == SL_ERR_ARG, "det n = 9");
    sl_symmetry_opts_destroy(o);
    /* a C oracle with a difference loss; a C oracle returning NaN */
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_function(o, 3, 1, 1, sq_norm, NULL);
    sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED);
    sl_symmetry_opts_set_invariance(o, SL_SYM_INV_FORWARD, 1e-3);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_ERR_UNSUPPORTED, "C oracle with forward differences");
    sl_symmetry_opts_destroy(o);
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_function(o, 3, 1, 1, bad_oracle, NULL);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_ERR_NONFINITE && r == NULL, "NaN from the oracle: %s", sl_ctx_errmsg(ctx));
    sl_symmetry_opts_destroy(o);
    /* NULL results */
    CHECK(sl_symmetry_result_dim(NULL) == 0 && sl_symmetry_result_generators(NULL) == NULL, "NULL result accessors");
    CHECK(isnan(sl_symmetry_result_loss(NULL, 0)), "NULL result loss");
    CHECK(sl_symmetry_result_print(NULL, stdout) == SL_ERR_NULL, "print NULL");
    sl_symmetry_result_destroy(NULL);
    sl_symmetry_opts_destroy(NULL);
    /* graph loss functions with bad nodes */
    sl_graph *g;
    sl_graph_create(ctx, &g);
    CHECK(sl_symmetry_loss_normalisation(g, NULL) == NULL && sl_graph_status(g) != SL_OK, "loss of NULL node");
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    sl_node *v = sl_graph_param(g, SL_F64, 2, (int64_t[]){3, 3}, NULL, "v");
    CHECK(sl_symmetry_loss_sparsity(g, v) == NULL && sl_graph_status(g) == SL_ERR_SHAPE, "loss of a rank-2 W");
    sl_graph_destroy(g);
    sl_ctx_clear_error(ctx);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_scan_r3();
    test_scan_r456();
    test_span();
    test_lorentz();
    test_default_scan();
    test_g2();
    test_unitary();
    test_c_oracle();
    test_parity();
    test_quadratic_path();
    test_forward_default();
    test_errors();
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
