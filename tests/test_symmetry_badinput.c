/* Bad input to every public function of discover.h and analysis.h: NULL,
 * negative, zero, huge, NaN and infinite arguments, out-of-range flags and
 * enums, sizes that do not fit.  Each case must return a non-OK status (or,
 * for the accessors and graph losses, the documented NULL / 0 / NaN and a
 * sticky graph error) with a non-empty message that starts with the name of
 * the function called (when a context is reachable: a NULL ctx or a NULL
 * options, result or graph has nowhere to hold one), write nothing into the
 * caller's outputs, and leak nothing.  Run under ASan+UBSan and valgrind in
 * CI; the number of cases is printed. */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

static sl_ctx *ctx;
static int ncases, nstatus, nneutral;

/* Outputs the calls may not touch on failure: filled with sentinels. */
#define SENT_D -7.25
#define SENT_I -77
static double out_d[4096];
static int out_i[64];
static sl_symmetry_result *out_r;
static sl_symmetry_opts *out_o;

static void reset_outputs(void)
{
    for (size_t i = 0; i < sizeof out_d / sizeof out_d[0]; ++i) out_d[i] = SENT_D;
    for (size_t i = 0; i < sizeof out_i / sizeof out_i[0]; ++i) out_i[i] = SENT_I;
    out_r = (sl_symmetry_result *)&out_r;
    out_o = (sl_symmetry_opts *)&out_o;
}

static int outputs_untouched(void)
{
    for (size_t i = 0; i < sizeof out_d / sizeof out_d[0]; ++i)
        if (out_d[i] != SENT_D) return 0;
    for (size_t i = 0; i < sizeof out_i / sizeof out_i[0]; ++i)
        if (out_i[i] != SENT_I) return 0;
    /* *out pointers: NULL (documented) or unchanged */
    return (out_r == NULL || out_r == (sl_symmetry_result *)&out_r) && (out_o == NULL || out_o == (sl_symmetry_opts *)&out_o);
}

/* One case: expr must fail; msg = 1 when a context is reachable. */
static void check_case(const char *fn, const char *what, int msg, sl_status st, size_t bytes0)
{
    ncases++, nstatus++;
    CHECK(st != SL_OK, "%s (%s): status OK", fn, what);
    if (msg) {
        const char *m = sl_ctx_errmsg(ctx);
        size_t l = strlen(fn);
        CHECK(strncmp(m, fn, l) == 0 && m[l] == ':' && strlen(m) > l + 2, "%s (%s): message \"%s\"", fn, what, m);
        CHECK(sl_ctx_last_status(ctx) == st, "%s (%s): last status %d, returned %d", fn, what, sl_ctx_last_status(ctx), st);
    }
    CHECK(outputs_untouched(), "%s (%s): an output was written", fn, what);
    CHECK(sl_ctx_bytes_in_use(ctx) == bytes0, "%s (%s): %zu bytes leaked", fn, what, sl_ctx_bytes_in_use(ctx) - bytes0);
}

#define BAD(fn, what, msg, expr)                             \
    do {                                                     \
        reset_outputs();                                     \
        sl_ctx_clear_error(ctx);                             \
        size_t b0_ = sl_ctx_bytes_in_use(ctx);               \
        sl_status st_ = (expr);                              \
        check_case(fn, what, msg, st_, b0_);                 \
    } while (0)

/* An accessor given a NULL result (or an out-of-range term): the neutral
 * value, nothing else. */
#define NEUTRAL(fn, what, cond)                              \
    do {                                                     \
        ncases++, nneutral++;                                \
        reset_outputs();                                     \
        CHECK((cond), "%s (%s): not the neutral value", fn, what); \
    } while (0)

/* ---- analysis.h ---------------------------------------------------------------- */
static double J3[27], F3[27], K3[9], NAN27[27], Z27[27], E2[27], BIG33[33 * 33 * 33];

static void analysis_cases(void)
{
    int a = 0;
    for (int i = 0; i < 3; ++i)
        for (int j = i + 1; j < 3; ++j, ++a) J3[a * 9 + i * 3 + j] = 1, J3[a * 9 + j * 3 + i] = -1;
    CHECK(sl_lie_structure_constants(ctx, 3, 3, J3, F3, NULL) == SL_OK && sl_lie_killing_form(ctx, 3, F3, K3) == SL_OK, "so(3)");
    for (int k = 0; k < 27; ++k) NAN27[k] = k == 4 ? NAN : 0;
    /* e(2): not reductive */
    E2[(0 * 3 + 1) * 3 + 2] = 1, E2[(1 * 3 + 0) * 3 + 2] = -1, E2[(0 * 3 + 2) * 3 + 1] = -1, E2[(2 * 3 + 0) * 3 + 1] = 1;
    double J2open[8] = {0, 1, 0, 0, 0, 0, 1, 0}, Jinf[27];
    memcpy(Jinf, J3, sizeof Jinf);
    Jinf[7] = INFINITY;
    double *o = out_d;
    int *oi = out_i;

    const char *fn = "sl_lie_structure_constants";
    BAD(fn, "ctx NULL", 0, sl_lie_structure_constants(NULL, 3, 3, J3, o, o + 100));
    BAD(fn, "d = 0", 1, sl_lie_structure_constants(ctx, 0, 3, J3, o, o + 100));
    BAD(fn, "d = -1", 1, sl_lie_structure_constants(ctx, -1, 3, J3, o, o + 100));
    BAD(fn, "d = INT_MAX", 1, sl_lie_structure_constants(ctx, INT_MAX, 3, J3, o, o + 100));
    BAD(fn, "n = 0", 1, sl_lie_structure_constants(ctx, 3, 0, J3, o, o + 100));
    BAD(fn, "n = -3", 1, sl_lie_structure_constants(ctx, 3, -3, J3, o, o + 100));
    BAD(fn, "n = INT_MAX", 1, sl_lie_structure_constants(ctx, 3, INT_MAX, J3, o, o + 100));
    BAD(fn, "gens NULL", 1, sl_lie_structure_constants(ctx, 3, 3, NULL, o, o + 100));
    BAD(fn, "f NULL", 1, sl_lie_structure_constants(ctx, 3, 3, J3, NULL, o + 100));
    BAD(fn, "gens NaN", 1, sl_lie_structure_constants(ctx, 3, 3, NAN27, o, o + 100));
    BAD(fn, "gens Inf", 1, sl_lie_structure_constants(ctx, 3, 3, Jinf, o, o + 100));
    BAD(fn, "gens zero (dependent)", 1, sl_lie_structure_constants(ctx, 3, 3, Z27, o, o + 100));

    fn = "sl_lie_killing_form";
    BAD(fn, "ctx NULL", 0, sl_lie_killing_form(NULL, 3, F3, o));
    BAD(fn, "d = 0", 1, sl_lie_killing_form(ctx, 0, F3, o));
    BAD(fn, "d = -1", 1, sl_lie_killing_form(ctx, -1, F3, o));
    BAD(fn, "d = INT_MAX", 1, sl_lie_killing_form(ctx, INT_MAX, F3, o));
    BAD(fn, "f NULL", 1, sl_lie_killing_form(ctx, 3, NULL, o));
    BAD(fn, "K NULL", 1, sl_lie_killing_form(ctx, 3, F3, NULL));
    BAD(fn, "f NaN", 1, sl_lie_killing_form(ctx, 3, NAN27, o));

    fn = "sl_lie_killing_eigenvalues";
    BAD(fn, "ctx NULL", 0, sl_lie_killing_eigenvalues(NULL, 3, 3, J3, K3, o));
    BAD(fn, "d = 0", 1, sl_lie_killing_eigenvalues(ctx, 0, 3, J3, K3, o));
    BAD(fn, "n = -1", 1, sl_lie_killing_eigenvalues(ctx, 3, -1, J3, K3, o));
    BAD(fn, "n = INT_MAX", 1, sl_lie_killing_eigenvalues(ctx, 3, INT_MAX, J3, K3, o));
    BAD(fn, "gens NULL", 1, sl_lie_killing_eigenvalues(ctx, 3, 3, NULL, K3, o));
    BAD(fn, "K NULL", 1, sl_lie_killing_eigenvalues(ctx, 3, 3, J3, NULL, o));
    BAD(fn, "eig NULL", 1, sl_lie_killing_eigenvalues(ctx, 3, 3, J3, K3, NULL));
    BAD(fn, "K NaN", 1, sl_lie_killing_eigenvalues(ctx, 3, 3, J3, NAN27, o));
    BAD(fn, "gens NaN", 1, sl_lie_killing_eigenvalues(ctx, 3, 3, NAN27, K3, o));
    BAD(fn, "gens zero (dependent)", 1, sl_lie_killing_eigenvalues(ctx, 3, 3, Z27, K3, o));

    fn = "sl_lie_signature";
    BAD(fn, "ctx NULL", 0, sl_lie_signature(NULL, 3, K3, 0, oi, oi + 1, oi + 2));
    BAD(fn, "d = 0", 1, sl_lie_signature(ctx, 0, K3, 0, oi, oi + 1, oi + 2));
    BAD(fn, "d = INT_MAX", 1, sl_lie_signature(ctx, INT_MAX, K3, 0, oi, oi + 1, oi + 2));
    BAD(fn, "K NULL", 1, sl_lie_signature(ctx, 3, NULL, 0, oi, oi + 1, oi + 2));
    BAD(fn, "K NaN", 1, sl_lie_signature(ctx, 3, NAN27, 0, oi, oi + 1, oi + 2));
    BAD(fn, "tol NaN", 1, sl_lie_signature(ctx, 3, K3, NAN, oi, oi + 1, oi + 2));
    BAD(fn, "tol Inf", 1, sl_lie_signature(ctx, 3, K3, INFINITY, oi, oi + 1, oi + 2));
    BAD(fn, "tol 1", 1, sl_lie_signature(ctx, 3, K3, 1.0, oi, oi + 1, oi + 2));

    fn = "sl_lie_rank";
    BAD(fn, "ctx NULL", 0, sl_lie_rank(NULL, 3, F3, 0, oi, o));
    BAD(fn, "d = -1", 1, sl_lie_rank(ctx, -1, F3, 0, oi, o));
    BAD(fn, "d = INT_MAX", 1, sl_lie_rank(ctx, INT_MAX, F3, 0, oi, o));
    BAD(fn, "f NULL", 1, sl_lie_rank(ctx, 3, NULL, 0, oi, o));
    BAD(fn, "rank NULL", 1, sl_lie_rank(ctx, 3, F3, 0, NULL, o));
    BAD(fn, "f NaN", 1, sl_lie_rank(ctx, 3, NAN27, 0, oi, o));
    BAD(fn, "tol NaN", 1, sl_lie_rank(ctx, 3, F3, NAN, oi, o));
    BAD(fn, "tol 2", 1, sl_lie_rank(ctx, 3, F3, 2.0, oi, o));

    fn = "sl_lie_centre";
    BAD(fn, "ctx NULL", 0, sl_lie_centre(NULL, 3, F3, 0, oi, o));
    BAD(fn, "d = 0", 1, sl_lie_centre(ctx, 0, F3, 0, oi, o));
    BAD(fn, "d = 5000", 1, sl_lie_centre(ctx, 5000, F3, 0, oi, o));
    BAD(fn, "f NULL", 1, sl_lie_centre(ctx, 3, NULL, 0, oi, o));
    BAD(fn, "dim NULL", 1, sl_lie_centre(ctx, 3, F3, 0, NULL, o));
    BAD(fn, "f Inf", 1, sl_lie_centre(ctx, 3, Jinf, 0, oi, o));
    BAD(fn, "tol NaN", 1, sl_lie_centre(ctx, 3, F3, NAN, oi, o));

    fn = "sl_lie_is_compact";
    BAD(fn, "ctx NULL", 0, sl_lie_is_compact(NULL, 3, F3, 0, oi));
    BAD(fn, "d = 0", 1, sl_lie_is_compact(ctx, 0, F3, 0, oi));
    BAD(fn, "d = -2", 1, sl_lie_is_compact(ctx, -2, F3, 0, oi));
    BAD(fn, "f NULL", 1, sl_lie_is_compact(ctx, 3, NULL, 0, oi));
    BAD(fn, "compact NULL", 1, sl_lie_is_compact(ctx, 3, F3, 0, NULL));
    BAD(fn, "f NaN", 1, sl_lie_is_compact(ctx, 3, NAN27, 0, oi));
    BAD(fn, "tol NaN", 1, sl_lie_is_compact(ctx, 3, F3, NAN, oi));

    fn = "sl_lie_group_is_compact";
    BAD(fn, "ctx NULL", 0, sl_lie_group_is_compact(NULL, 3, 3, J3, 0, oi));
    BAD(fn, "d = 0", 1, sl_lie_group_is_compact(ctx, 0, 3, J3, 0, oi));
    BAD(fn, "d = INT_MAX", 1, sl_lie_group_is_compact(ctx, INT_MAX, 3, J3, 0, oi));
    BAD(fn, "n = 0", 1, sl_lie_group_is_compact(ctx, 3, 0, J3, 0, oi));
    BAD(fn, "n = -1", 1, sl_lie_group_is_compact(ctx, 3, -1, J3, 0, oi));
    BAD(fn, "gens NULL", 1, sl_lie_group_is_compact(ctx, 3, 3, NULL, 0, oi));
    BAD(fn, "compact NULL", 1, sl_lie_group_is_compact(ctx, 3, 3, J3, 0, NULL));
    BAD(fn, "gens NaN", 1, sl_lie_group_is_compact(ctx, 3, 3, NAN27, 0, oi));
    BAD(fn, "tol NaN", 1, sl_lie_group_is_compact(ctx, 3, 3, J3, NAN, oi));
    BAD(fn, "span not closed", 1, sl_lie_group_is_compact(ctx, 2, 2, J2open, 0, oi));
    BAD(fn, "gens zero (dependent)", 1, sl_lie_group_is_compact(ctx, 3, 3, Z27, 0, oi));

    fn = "sl_lie_decompose";
    BAD(fn, "ctx NULL", 0, sl_lie_decompose(NULL, 3, F3, 0, oi, oi + 1, oi + 10, o));
    BAD(fn, "d = 0", 1, sl_lie_decompose(ctx, 0, F3, 0, oi, oi + 1, oi + 10, o));
    BAD(fn, "d = INT_MAX", 1, sl_lie_decompose(ctx, INT_MAX, F3, 0, oi, oi + 1, oi + 10, o));
    BAD(fn, "d = 33 (unsupported)", 1, sl_lie_decompose(ctx, 33, BIG33, 0, oi, oi + 1, NULL, NULL));
    BAD(fn, "f NULL", 1, sl_lie_decompose(ctx, 3, NULL, 0, oi, oi + 1, oi + 10, o));
    BAD(fn, "nideals NULL", 1, sl_lie_decompose(ctx, 3, F3, 0, NULL, oi + 1, oi + 10, o));
    BAD(fn, "dims NULL", 1, sl_lie_decompose(ctx, 3, F3, 0, oi, NULL, oi + 10, o));
    BAD(fn, "f NaN", 1, sl_lie_decompose(ctx, 3, NAN27, 0, oi, oi + 1, oi + 10, o));
    BAD(fn, "tol NaN", 1, sl_lie_decompose(ctx, 3, F3, NAN, oi, oi + 1, oi + 10, o));
    BAD(fn, "not reductive (e(2))", 1, sl_lie_decompose(ctx, 3, E2, 0, oi, oi + 1, oi + 10, o));

    fn = "sl_lie_span_distance";
    BAD(fn, "ctx NULL", 0, sl_lie_span_distance(NULL, 3, 3, J3, 3, J3, o));
    BAD(fn, "n = 0", 1, sl_lie_span_distance(ctx, 0, 3, J3, 3, J3, o));
    BAD(fn, "n = INT_MAX", 1, sl_lie_span_distance(ctx, INT_MAX, 3, J3, 3, J3, o));
    BAD(fn, "da = 0", 1, sl_lie_span_distance(ctx, 3, 0, J3, 3, J3, o));
    BAD(fn, "db = -1", 1, sl_lie_span_distance(ctx, 3, 3, J3, -1, J3, o));
    BAD(fn, "da = INT_MAX", 1, sl_lie_span_distance(ctx, 3, INT_MAX, J3, 3, J3, o));
    BAD(fn, "a NULL", 1, sl_lie_span_distance(ctx, 3, 3, NULL, 3, J3, o));
    BAD(fn, "b NULL", 1, sl_lie_span_distance(ctx, 3, 3, J3, 3, NULL, o));
    BAD(fn, "dist NULL", 1, sl_lie_span_distance(ctx, 3, 3, J3, 3, J3, NULL));
    BAD(fn, "a NaN", 1, sl_lie_span_distance(ctx, 3, 3, NAN27, 3, J3, o));

    fn = "sl_lie_sparsify";
    double g[27];
    memcpy(g, NAN27, sizeof g);
    BAD(fn, "ctx NULL", 0, sl_lie_sparsify(NULL, 3, 3, g));
    BAD(fn, "d = 0", 1, sl_lie_sparsify(ctx, 0, 3, g));
    BAD(fn, "d = INT_MAX", 1, sl_lie_sparsify(ctx, INT_MAX, 3, g));
    BAD(fn, "n = 0", 1, sl_lie_sparsify(ctx, 3, 0, g));
    BAD(fn, "gens NULL", 1, sl_lie_sparsify(ctx, 3, 3, NULL));
    BAD(fn, "gens NaN", 1, sl_lie_sparsify(ctx, 3, 3, g));
    CHECK(isnan(g[4]) && g[0] == 0, "sparsify left bad gens as they were");
}

/* ---- discover.h: options ---------------------------------------------------------- */
static int c_oracle(void *user, int64_t m, int n, int nargs, const double *x, int nout, double *phi, double *grad)
{
    (void)user, (void)nargs, (void)nout;
    for (int64_t i = 0; i < m; ++i) {
        phi[i] = 0;
        for (int j = 0; j < n; ++j) {
            phi[i] += x[i * n + j] * x[i * n + j];
            if (grad) grad[i * n + j] = 2 * x[i * n + j];
        }
    }
    return 0;
}

static int nan_oracle(void *user, int64_t m, int n, int nargs, const double *x, int nout, double *phi, double *grad)
{
    (void)user, (void)n, (void)nargs, (void)x, (void)nout, (void)grad;
    for (int64_t i = 0; i < m; ++i) phi[i] = i == m / 2 ? NAN : 1;
    return 0;
}

static sl_node *sq_graph(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs, (void)user;
    return sl_graph_sum_axes(g, sl_graph_square(g, x[0]), 1, (int[]){1}, 0);
}

static void options_cases(void)
{
    sl_symmetry_opts *o = NULL, *o0 = NULL;
    CHECK(sl_symmetry_opts_create(ctx, &o) == SL_OK && sl_symmetry_opts_create(ctx, &o0) == SL_OK, "opts");
    CHECK(sl_symmetry_opts_oracle_quadratic(o, 3, NULL) == SL_OK, "quadratic oracle on R^3");
    double G[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, Gnan[9], Ginf[9], Gasym[9], Hnan[8] = {1, 0, 0, 0, 0, 0, 1, NAN},
           Hbad[8] = {1, 0, 2, 1, 2, 1, 1, 0}, x9[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, xnan[9], W27[27] = {0}, Wnan[27];
    memcpy(Gnan, G, sizeof G), memcpy(Ginf, G, sizeof G), memcpy(Gasym, G, sizeof G), memcpy(xnan, x9, sizeof x9);
    memcpy(Wnan, W27, sizeof W27);
    Gnan[4] = NAN, Ginf[2] = Ginf[6] = INFINITY, Gasym[1] = 0.5, xnan[5] = NAN, Wnan[13] = NAN;
    double Cnan[9] = {0, 0, NAN};

    const char *fn = "sl_symmetry_opts_create";
    BAD(fn, "out NULL", 1, sl_symmetry_opts_create(ctx, NULL));
    BAD(fn, "ctx NULL", 0, sl_symmetry_opts_create(NULL, &out_o));

    fn = "sl_symmetry_opts_oracle_quadratic";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_quadratic(NULL, 3, G));
    BAD(fn, "n = 0", 1, sl_symmetry_opts_oracle_quadratic(o, 0, NULL));
    BAD(fn, "n = -1", 1, sl_symmetry_opts_oracle_quadratic(o, -1, G));
    BAD(fn, "n = INT_MAX", 1, sl_symmetry_opts_oracle_quadratic(o, INT_MAX, G));
    BAD(fn, "G NaN", 1, sl_symmetry_opts_oracle_quadratic(o, 3, Gnan));
    BAD(fn, "G Inf", 1, sl_symmetry_opts_oracle_quadratic(o, 3, Ginf));
    BAD(fn, "G not symmetric", 1, sl_symmetry_opts_oracle_quadratic(o, 3, Gasym));
    BAD(fn, "R^2 after R^3", 1, sl_symmetry_opts_oracle_quadratic(o, 2, NULL));

    fn = "sl_symmetry_opts_oracle_norm";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_norm(NULL, 3));
    BAD(fn, "n = 0", 1, sl_symmetry_opts_oracle_norm(o, 0));
    BAD(fn, "n = INT_MAX", 1, sl_symmetry_opts_oracle_norm(o, INT_MAX));
    BAD(fn, "R^4 after R^3", 1, sl_symmetry_opts_oracle_norm(o, 4));

    fn = "sl_symmetry_opts_oracle_hermitian";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_hermitian(NULL, 2, NULL));
    BAD(fn, "n = 0", 1, sl_symmetry_opts_oracle_hermitian(o, 0, NULL));
    BAD(fn, "n = 513", 1, sl_symmetry_opts_oracle_hermitian(o, 513, NULL));
    BAD(fn, "n = INT_MIN", 1, sl_symmetry_opts_oracle_hermitian(o, INT_MIN, NULL));
    BAD(fn, "H NaN", 1, sl_symmetry_opts_oracle_hermitian(o0, 2, Hnan));
    BAD(fn, "H not Hermitian", 1, sl_symmetry_opts_oracle_hermitian(o0, 2, Hbad));

    fn = "sl_symmetry_opts_oracle_determinant";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_determinant(NULL, 3, 0));
    BAD(fn, "n = 0", 1, sl_symmetry_opts_oracle_determinant(o, 0, 0));
    BAD(fn, "n = 7", 1, sl_symmetry_opts_oracle_determinant(o, 7, 0));
    BAD(fn, "is_complex = 2", 1, sl_symmetry_opts_oracle_determinant(o, 3, 2));
    BAD(fn, "is_complex = -1", 1, sl_symmetry_opts_oracle_determinant(o, 3, -1));

    fn = "sl_symmetry_opts_oracle_octonion_3form";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_octonion_3form(NULL));
    BAD(fn, "R^7 after R^3", 1, sl_symmetry_opts_oracle_octonion_3form(o));

    fn = "sl_symmetry_opts_oracle_albert";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_albert(NULL, 0));
    BAD(fn, "with_trace = 2", 1, sl_symmetry_opts_oracle_albert(o0, 2));
    BAD(fn, "with_trace = -1", 1, sl_symmetry_opts_oracle_albert(o0, -1));
    BAD(fn, "R^27 after R^3", 1, sl_symmetry_opts_oracle_albert(o, 1));

    fn = "sl_symmetry_opts_oracle_graph";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_graph(NULL, 3, 1, 1, sq_graph, NULL));
    BAD(fn, "fn NULL", 1, sl_symmetry_opts_oracle_graph(o, 3, 1, 1, NULL, NULL));
    BAD(fn, "n = 0", 1, sl_symmetry_opts_oracle_graph(o, 0, 1, 1, sq_graph, NULL));
    BAD(fn, "nargs = 0", 1, sl_symmetry_opts_oracle_graph(o, 3, 0, 1, sq_graph, NULL));
    BAD(fn, "nargs = 17", 1, sl_symmetry_opts_oracle_graph(o, 3, 17, 1, sq_graph, NULL));
    BAD(fn, "nout = 0", 1, sl_symmetry_opts_oracle_graph(o, 3, 1, 0, sq_graph, NULL));
    BAD(fn, "nout = INT_MAX", 1, sl_symmetry_opts_oracle_graph(o, 3, 1, INT_MAX, sq_graph, NULL));

    fn = "sl_symmetry_opts_oracle_function";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_oracle_function(NULL, 3, 1, 1, c_oracle, NULL));
    BAD(fn, "fn NULL", 1, sl_symmetry_opts_oracle_function(o, 3, 1, 1, NULL, NULL));
    BAD(fn, "n = -1", 1, sl_symmetry_opts_oracle_function(o, -1, 1, 1, c_oracle, NULL));
    BAD(fn, "nargs = -1", 1, sl_symmetry_opts_oracle_function(o, 3, -1, 1, c_oracle, NULL));
    BAD(fn, "nout = -5", 1, sl_symmetry_opts_oracle_function(o, 3, 1, -5, c_oracle, NULL));

    fn = "sl_symmetry_opts_set_samples";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_samples(NULL, 3, x9));
    BAD(fn, "no oracle yet", 1, sl_symmetry_opts_set_samples(o0, 3, x9));
    BAD(fn, "m = 0", 1, sl_symmetry_opts_set_samples(o, 0, x9));
    BAD(fn, "m = -1", 1, sl_symmetry_opts_set_samples(o, -1, x9));
    BAD(fn, "m = 2^40", 1, sl_symmetry_opts_set_samples(o, (int64_t)1 << 40, x9));
    BAD(fn, "m = INT64_MAX", 1, sl_symmetry_opts_set_samples(o, INT64_MAX, x9));
    BAD(fn, "x NULL", 1, sl_symmetry_opts_set_samples(o, 3, NULL));
    BAD(fn, "x NaN", 1, sl_symmetry_opts_set_samples(o, 3, xnan));

    fn = "sl_symmetry_opts_set_samples_count";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_samples_count(NULL, 100));
    BAD(fn, "m = 0", 1, sl_symmetry_opts_set_samples_count(o, 0));
    BAD(fn, "m = -5", 1, sl_symmetry_opts_set_samples_count(o, -5));
    BAD(fn, "m = INT64_MAX", 1, sl_symmetry_opts_set_samples_count(o, INT64_MAX));

    fn = "sl_symmetry_opts_set_seed";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_seed(NULL, 1));

    fn = "sl_symmetry_opts_set_solver";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_solver(NULL, SL_SYM_EXACT));
    BAD(fn, "solver = 0", 1, sl_symmetry_opts_set_solver(o, 0));
    BAD(fn, "solver = 3", 1, sl_symmetry_opts_set_solver(o, 3));
    BAD(fn, "solver = -1", 1, sl_symmetry_opts_set_solver(o, -1));

    fn = "sl_symmetry_opts_set_generators";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_generators(NULL, 3));
    BAD(fn, "ng = -1", 1, sl_symmetry_opts_set_generators(o, -1));
    BAD(fn, "ng = INT_MAX", 1, sl_symmetry_opts_set_generators(o, INT_MAX));

    fn = "sl_symmetry_opts_set_scan";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_scan(NULL, 1, 3));
    BAD(fn, "min = 0", 1, sl_symmetry_opts_set_scan(o, 0, 3));
    BAD(fn, "min > max", 1, sl_symmetry_opts_set_scan(o, 3, 2));
    BAD(fn, "negative", 1, sl_symmetry_opts_set_scan(o, -1, -1));
    BAD(fn, "max = INT_MAX", 1, sl_symmetry_opts_set_scan(o, 1, INT_MAX));

    fn = "sl_symmetry_opts_set_invariance";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_invariance(NULL, SL_SYM_INV_FORWARD, 1e-3));
    BAD(fn, "mode = -1", 1, sl_symmetry_opts_set_invariance(o, -1, 1e-3));
    BAD(fn, "mode = 3", 1, sl_symmetry_opts_set_invariance(o, 3, 1e-3));
    BAD(fn, "eps = 0", 1, sl_symmetry_opts_set_invariance(o, SL_SYM_INV_FORWARD, 0));
    BAD(fn, "eps = -1", 1, sl_symmetry_opts_set_invariance(o, SL_SYM_INV_FORWARD, -1));
    BAD(fn, "eps NaN", 1, sl_symmetry_opts_set_invariance(o, SL_SYM_INV_CENTRAL, NAN));
    BAD(fn, "eps Inf", 1, sl_symmetry_opts_set_invariance(o, SL_SYM_INV_CENTRAL, INFINITY));
    BAD(fn, "eps = 2", 1, sl_symmetry_opts_set_invariance(o, SL_SYM_INV_FORWARD, 2));

    fn = "sl_symmetry_opts_set_closure";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_closure(NULL, SL_SYM_CLOSURE_LSQ, 0));
    BAD(fn, "mode = -1", 1, sl_symmetry_opts_set_closure(o, -1, 0));
    BAD(fn, "mode = 3", 1, sl_symmetry_opts_set_closure(o, 3, 0));
    BAD(fn, "quartic = 2", 1, sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_LSQ, 2));
    BAD(fn, "quartic = 5", 1, sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_LEARNED, 5));
    BAD(fn, "quartic = -1", 1, sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_LSQ, -1));

    fn = "sl_symmetry_opts_set_weights";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_weights(NULL, 1, 1, 1, 1, 0));
    BAD(fn, "inv NaN", 1, sl_symmetry_opts_set_weights(o, NAN, 1, 1, 1, 0));
    BAD(fn, "norm -1", 1, sl_symmetry_opts_set_weights(o, 1, -1, 1, 1, 0));
    BAD(fn, "orth Inf", 1, sl_symmetry_opts_set_weights(o, 1, 1, INFINITY, 1, 0));
    BAD(fn, "clos NaN", 1, sl_symmetry_opts_set_weights(o, 1, 1, 1, NAN, 0));
    BAD(fn, "sparsity -Inf", 1, sl_symmetry_opts_set_weights(o, 1, 1, 1, 1, -INFINITY));

    fn = "sl_symmetry_opts_set_training";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_training(NULL, 10, 1e-2, 10));
    BAD(fn, "adam_steps = -1", 1, sl_symmetry_opts_set_training(o, -1, 1e-2, 10));
    BAD(fn, "lbfgs_steps = -1", 1, sl_symmetry_opts_set_training(o, 10, 1e-2, -1));
    BAD(fn, "adam_steps = INT_MAX", 1, sl_symmetry_opts_set_training(o, INT_MAX, 1e-2, 10));
    BAD(fn, "lbfgs_steps = INT_MAX", 1, sl_symmetry_opts_set_training(o, 10, 1e-2, INT_MAX));
    BAD(fn, "lr = 0", 1, sl_symmetry_opts_set_training(o, 10, 0, 10));
    BAD(fn, "lr = -1", 1, sl_symmetry_opts_set_training(o, 10, -1, 10));
    BAD(fn, "lr NaN", 1, sl_symmetry_opts_set_training(o, 10, NAN, 10));
    BAD(fn, "lr Inf", 1, sl_symmetry_opts_set_training(o, 10, INFINITY, 10));

    fn = "sl_symmetry_opts_set_tolerance";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_tolerance(NULL, 1e-8));
    BAD(fn, "tol = 0", 1, sl_symmetry_opts_set_tolerance(o, 0));
    BAD(fn, "tol = -1", 1, sl_symmetry_opts_set_tolerance(o, -1));
    BAD(fn, "tol NaN", 1, sl_symmetry_opts_set_tolerance(o, NAN));
    BAD(fn, "tol Inf", 1, sl_symmetry_opts_set_tolerance(o, INFINITY));

    fn = "sl_symmetry_opts_set_sparsify";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_sparsify(NULL, 1));
    BAD(fn, "on = 2", 1, sl_symmetry_opts_set_sparsify(o, 2));
    BAD(fn, "on = -1", 1, sl_symmetry_opts_set_sparsify(o, -1));

    fn = "sl_symmetry_opts_set_initial";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_set_initial(NULL, 3, W27, NULL));
    BAD(fn, "no oracle yet", 1, sl_symmetry_opts_set_initial(o0, 3, W27, NULL));
    BAD(fn, "ng = 0", 1, sl_symmetry_opts_set_initial(o, 0, W27, NULL));
    BAD(fn, "ng = -1", 1, sl_symmetry_opts_set_initial(o, -1, W27, NULL));
    BAD(fn, "ng = 10 > n^2", 1, sl_symmetry_opts_set_initial(o, 10, W27, NULL));
    BAD(fn, "ng = INT_MAX", 1, sl_symmetry_opts_set_initial(o, INT_MAX, W27, NULL));
    BAD(fn, "W NULL", 1, sl_symmetry_opts_set_initial(o, 3, NULL, NULL));
    BAD(fn, "W NaN", 1, sl_symmetry_opts_set_initial(o, 3, Wnan, NULL));
    BAD(fn, "C NaN", 1, sl_symmetry_opts_set_initial(o, 3, W27, Cnan));

    fn = "sl_symmetry_opts_preset_reference";
    BAD(fn, "o NULL", 0, sl_symmetry_opts_preset_reference(NULL, 100));
    BAD(fn, "epochs = 0", 1, sl_symmetry_opts_preset_reference(o, 0));
    BAD(fn, "epochs = -1", 1, sl_symmetry_opts_preset_reference(o, -1));
    BAD(fn, "epochs = INT_MAX", 1, sl_symmetry_opts_preset_reference(o, INT_MAX));

    /* sl_discover_symmetries */
    fn = "sl_discover_symmetries";
    sl_ctx *other = NULL;
    sl_symmetry_opts *oo = NULL;
    sl_ctx_create(&other, NULL);
    sl_symmetry_opts_create(other, &oo);
    sl_symmetry_opts_oracle_norm(oo, 3);
    BAD(fn, "out NULL", 1, sl_discover_symmetries(ctx, o, NULL));
    BAD(fn, "ctx NULL", 0, sl_discover_symmetries(NULL, o, &out_r));
    BAD(fn, "opts NULL", 1, sl_discover_symmetries(ctx, NULL, &out_r));
    BAD(fn, "opts of another context", 1, sl_discover_symmetries(ctx, oo, &out_r));
    BAD(fn, "no oracle", 1, sl_discover_symmetries(ctx, o0, &out_r));
    sl_symmetry_opts_destroy(oo);
    sl_ctx_destroy(other);
    sl_symmetry_opts_set_generators(o, 10);
    BAD(fn, "N_g = 10 > n^2 = 9", 1, sl_discover_symmetries(ctx, o, &out_r));
    sl_symmetry_opts_set_generators(o, 0);
    sl_symmetry_opts_set_scan(o, 1, 100);
    BAD(fn, "scan to 100 > n^2", 1, sl_discover_symmetries(ctx, o, &out_r));
    sl_symmetry_opts *on = NULL;
    sl_symmetry_opts_create(ctx, &on);
    sl_symmetry_opts_oracle_function(on, 3, 1, 1, nan_oracle, NULL);
    BAD(fn, "oracle returns NaN", 1, sl_discover_symmetries(ctx, on, &out_r));
    sl_symmetry_opts_destroy(on);
    sl_symmetry_opts_create(ctx, &on);
    sl_symmetry_opts_oracle_function(on, 3, 1, 1, c_oracle, NULL);
    sl_symmetry_opts_set_solver(on, SL_SYM_TRAINED);
    sl_symmetry_opts_set_invariance(on, SL_SYM_INV_FORWARD, 1e-3);
    BAD(fn, "C oracle with a difference loss", 1, sl_discover_symmetries(ctx, on, &out_r));
    sl_symmetry_opts_destroy(on);
    sl_symmetry_opts_create(ctx, &on);
    sl_symmetry_opts_oracle_norm(on, 91);
    BAD(fn, "n = 91 (n^2 > 8192)", 1, sl_discover_symmetries(ctx, on, &out_r));
    sl_symmetry_opts_destroy(on);

    ncases++;
    sl_symmetry_opts_destroy(NULL); /* a no-op */
    sl_symmetry_opts_destroy(o);
    sl_symmetry_opts_destroy(o0);
}

/* ---- discover.h: results ------------------------------------------------------------ */
static void result_cases(void)
{
    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *r = NULL, *r0 = NULL;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, 3, NULL);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_OK, "so(3)");
    sl_symmetry_opts_destroy(o);
    /* a result without generators (no symmetry) for the pictures */
    sl_symmetry_opts_create(ctx, &o);
    double G[4] = {1, 0, 0, 1};
    sl_symmetry_opts_oracle_quadratic(o, 2, G);
    sl_symmetry_opts_set_scan(o, 2, 3);
    CHECK(sl_discover_symmetries(ctx, o, &r0) == SL_OK && sl_symmetry_result_dim(r0) == 0, "scan 2..3 on R^2: none");
    sl_symmetry_opts_destroy(o);
    int *oi = out_i;
    static const int one_i = 1;
    static const double one_d = 1;
    const int *ip = NULL;
    const double *dp = NULL;
    const char *cp = NULL;
    int cnt = SENT_I;

    NEUTRAL("sl_symmetry_result_dim", "NULL", sl_symmetry_result_dim(NULL) == 0);
    NEUTRAL("sl_symmetry_result_n", "NULL", sl_symmetry_result_n(NULL) == 0);
    NEUTRAL("sl_symmetry_result_generators", "NULL", sl_symmetry_result_generators(NULL) == NULL);
    NEUTRAL("sl_symmetry_result_structure_constants", "NULL", sl_symmetry_result_structure_constants(NULL) == NULL);
    NEUTRAL("sl_symmetry_result_killing_form", "NULL", sl_symmetry_result_killing_form(NULL) == NULL);
    NEUTRAL("sl_symmetry_result_killing_eigenvalues", "NULL", sl_symmetry_result_killing_eigenvalues(NULL) == NULL);
    NEUTRAL("sl_symmetry_result_rank", "NULL", sl_symmetry_result_rank(NULL) == 0);
    NEUTRAL("sl_symmetry_result_centre_dim", "NULL", sl_symmetry_result_centre_dim(NULL) == 0);
    NEUTRAL("sl_symmetry_result_is_compact", "NULL", sl_symmetry_result_is_compact(NULL) == 0);
    NEUTRAL("sl_symmetry_result_simple_ideals", "NULL", (ip = &one_i, sl_symmetry_result_simple_ideals(NULL, &ip) == 0 && ip == NULL));
    NEUTRAL("sl_symmetry_result_name", "NULL", sl_symmetry_result_name(NULL) == NULL);
    NEUTRAL("sl_symmetry_result_isomorphisms", "NULL", sl_symmetry_result_isomorphisms(NULL) == NULL);
    NEUTRAL("sl_symmetry_result_is", "r NULL", sl_symmetry_result_is(NULL, "so(3)") == 0);
    NEUTRAL("sl_symmetry_result_is", "name NULL", sl_symmetry_result_is(r, NULL) == 0);
    NEUTRAL("sl_symmetry_result_is", "name empty", sl_symmetry_result_is(r, "") == 0);
    NEUTRAL("sl_symmetry_result_closure_residual", "NULL", isnan(sl_symmetry_result_closure_residual(NULL)));
    NEUTRAL("sl_symmetry_result_loss", "NULL", isnan(sl_symmetry_result_loss(NULL, 0)));
    NEUTRAL("sl_symmetry_result_loss", "term -1", isnan(sl_symmetry_result_loss(r, -1)));
    NEUTRAL("sl_symmetry_result_loss", "term 6", isnan(sl_symmetry_result_loss(r, 6)));
    NEUTRAL("sl_symmetry_result_loss", "term INT_MAX", isnan(sl_symmetry_result_loss(r, INT_MAX)));
    NEUTRAL("sl_symmetry_result_initial_loss", "NULL", isnan(sl_symmetry_result_initial_loss(NULL)));
    NEUTRAL("sl_symmetry_result_singular_values", "NULL",
            (cnt = 5, sl_symmetry_result_singular_values(NULL, &cnt) == NULL && cnt == 0));
    NEUTRAL("sl_symmetry_result_singular_gap", "NULL", isnan(sl_symmetry_result_singular_gap(NULL)));
    NEUTRAL("sl_symmetry_result_scan", "NULL", (ip = &one_i, dp = &one_d, sl_symmetry_result_scan(NULL, &ip, &dp) == 0 && ip == NULL && dp == NULL));
    NEUTRAL("sl_symmetry_result_reason", "NULL",
            (cp = "x", sl_symmetry_result_reason(NULL, &cp) == SL_SYM_REASON_UNKNOWN && cp == NULL));
    NEUTRAL("sl_symmetry_result_tolerance", "NULL", isnan(sl_symmetry_result_tolerance(NULL, 3)));
    NEUTRAL("sl_symmetry_result_tolerance", "ng = -1", isnan(sl_symmetry_result_tolerance(r, -1)));
    ncases++;
    sl_symmetry_result_destroy(NULL); /* a no-op */

    const char *fn = "sl_symmetry_result_signature";
    BAD(fn, "r NULL", 0, sl_symmetry_result_signature(NULL, oi, oi + 1, oi + 2));

    fn = "sl_symmetry_result_print";
    FILE *dn = fopen("/dev/null", "w"), *full = fopen("/dev/full", "w");
    BAD(fn, "r NULL", 0, sl_symmetry_result_print(NULL, dn));
    BAD(fn, "f NULL", 1, sl_symmetry_result_print(r, NULL));
    if (full) BAD(fn, "f = /dev/full", 1, sl_symmetry_result_print(r, full));
    fclose(dn);
    if (full) fclose(full);

    char dir[] = "/tmp/sl_badinput_XXXXXX", path[300], missing[300];
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    snprintf(path, sizeof path, "%s/x.slr", dir);
    snprintf(missing, sizeof missing, "%s/no/such/dir/x", dir);
    fn = "sl_symmetry_result_save";
    BAD(fn, "r NULL", 0, sl_symmetry_result_save(NULL, path));
    BAD(fn, "path NULL", 1, sl_symmetry_result_save(r, NULL));
    BAD(fn, "missing directory", 1, sl_symmetry_result_save(r, missing));
    fn = "sl_symmetry_result_load";
    BAD(fn, "ctx NULL", 0, sl_symmetry_result_load(NULL, path, &out_r));
    BAD(fn, "path NULL", 1, sl_symmetry_result_load(ctx, NULL, &out_r));
    BAD(fn, "out NULL", 1, sl_symmetry_result_load(ctx, path, NULL));
    BAD(fn, "missing file", 1, sl_symmetry_result_load(ctx, missing, &out_r));
    fn = "sl_symmetry_result_export_csv";
    BAD(fn, "r NULL", 0, sl_symmetry_result_export_csv(NULL, path));
    BAD(fn, "path NULL", 1, sl_symmetry_result_export_csv(r, NULL));
    BAD(fn, "missing directory", 1, sl_symmetry_result_export_csv(r, missing));
    fn = "sl_symmetry_result_export_json";
    BAD(fn, "r NULL", 0, sl_symmetry_result_export_json(NULL, path));
    BAD(fn, "path NULL", 1, sl_symmetry_result_export_json(r, NULL));
    BAD(fn, "missing directory", 1, sl_symmetry_result_export_json(r, missing));
    fn = "sl_symmetry_result_write_ppm";
    BAD(fn, "r NULL", 0, sl_symmetry_result_write_ppm(NULL, SL_SYM_PICTURE_GENERATORS, path));
    BAD(fn, "which = -1", 1, sl_symmetry_result_write_ppm(r, -1, path));
    BAD(fn, "which = 2", 1, sl_symmetry_result_write_ppm(r, 2, path));
    BAD(fn, "which = INT_MAX", 1, sl_symmetry_result_write_ppm(r, INT_MAX, path));
    BAD(fn, "path NULL", 1, sl_symmetry_result_write_ppm(r, SL_SYM_PICTURE_STRUCTURE, NULL));
    BAD(fn, "no generators", 1, sl_symmetry_result_write_ppm(r0, SL_SYM_PICTURE_GENERATORS, path));
    CHECK(access(path, F_OK) != 0, "no file written by the failed calls");
    CHECK(rmdir(dir) == 0, "nothing left in the directory");
    sl_symmetry_result_destroy(r);
    sl_symmetry_result_destroy(r0);
}

/* ---- discover.h: losses as graph functions (NULL node, sticky graph error) ----------- */
typedef struct {
    sl_graph *g;
    sl_node *W, *x, *C, *W2, *Wc, *xw, *C2;
} gfix;

static void gfix_new(gfix *f)
{
    sl_graph_create(ctx, &f->g);
    f->W = sl_graph_param(f->g, SL_F64, 3, (int64_t[]){3, 3, 3}, NULL, "W");
    f->x = sl_graph_input(f->g, SL_F64, 2, (int64_t[]){5, 3}, "x");
    f->C = sl_graph_input(f->g, SL_F64, 2, (int64_t[]){3, 3}, "C");
    f->W2 = sl_graph_param(f->g, SL_F64, 2, (int64_t[]){3, 3}, NULL, "W2");
    f->Wc = sl_graph_input(f->g, SL_C128, 3, (int64_t[]){3, 3, 3}, "Wc");
    f->xw = sl_graph_input(f->g, SL_F64, 2, (int64_t[]){5, 4}, "xw");
    f->C2 = sl_graph_input(f->g, SL_F64, 2, (int64_t[]){2, 3}, "C2");
}

static void loss_case(const char *fn, const char *what, int msg, sl_node *(*call)(gfix *))
{
    gfix f;
    size_t b0 = sl_ctx_bytes_in_use(ctx);
    gfix_new(&f);
    sl_ctx_clear_error(ctx);
    reset_outputs();
    sl_node *y = call(&f);
    ncases++, nstatus++;
    CHECK(y == NULL, "%s (%s): a node", fn, what);
    if (msg) {
        const char *m = sl_ctx_errmsg(ctx);
        size_t l = strlen(fn);
        CHECK(sl_graph_status(f.g) != SL_OK, "%s (%s): graph status OK", fn, what);
        CHECK(strncmp(m, fn, l) == 0 && m[l] == ':' && strlen(m) > l + 2, "%s (%s): message \"%s\"", fn, what, m);
    }
    sl_graph_destroy(f.g);
    CHECK(outputs_untouched(), "%s (%s): an output was written", fn, what);
    CHECK(sl_ctx_bytes_in_use(ctx) == b0, "%s (%s): leak", fn, what);
}

static sl_node *l_inv_gnull(gfix *f) { return sl_symmetry_loss_invariance(NULL, sq_graph, NULL, 1, f->x, f->W, 0, 1e-3); }
static sl_node *l_inv_phinull(gfix *f) { return sl_symmetry_loss_invariance(f->g, NULL, NULL, 1, f->x, f->W, 0, 1e-3); }
static sl_node *l_inv_xnull(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, NULL, f->W, 0, 1e-3); }
static sl_node *l_inv_wnull(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->x, NULL, 0, 1e-3); }
static sl_node *l_inv_nargs0(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 0, f->x, f->W, 0, 1e-3); }
static sl_node *l_inv_nargs17(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 17, f->x, f->W, 0, 1e-3); }
static sl_node *l_inv_mode_neg(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->x, f->W, -1, 1e-3); }
static sl_node *l_inv_mode3(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->x, f->W, 3, 1e-3); }
static sl_node *l_inv_eps0(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->x, f->W, 0, 0); }
static sl_node *l_inv_epsnan(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->x, f->W, 1, NAN); }
static sl_node *l_inv_epsinf(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->x, f->W, 0, INFINITY); }
static sl_node *l_inv_w2(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->x, f->W2, 2, 0); }
static sl_node *l_inv_xw(gfix *f) { return sl_symmetry_loss_invariance(f->g, sq_graph, NULL, 1, f->xw, f->W, 2, 0); }
static sl_node *l_norm_gnull(gfix *f) { return sl_symmetry_loss_normalisation(NULL, f->W); }
static sl_node *l_norm_wnull(gfix *f) { return sl_symmetry_loss_normalisation(f->g, NULL); }
static sl_node *l_norm_w2(gfix *f) { return sl_symmetry_loss_normalisation(f->g, f->W2); }
static sl_node *l_orth_gnull(gfix *f) { return sl_symmetry_loss_orthogonality(NULL, f->W); }
static sl_node *l_orth_wnull(gfix *f) { return sl_symmetry_loss_orthogonality(f->g, NULL); }
static sl_node *l_orth_wc(gfix *f) { return sl_symmetry_loss_orthogonality(f->g, f->Wc); }
static sl_node *l_clos_gnull(gfix *f) { return sl_symmetry_loss_closure(NULL, f->W, f->C, 0); }
static sl_node *l_clos_wnull(gfix *f) { return sl_symmetry_loss_closure(f->g, NULL, f->C, 0); }
static sl_node *l_clos_cnull(gfix *f) { return sl_symmetry_loss_closure(f->g, f->W, NULL, 0); }
static sl_node *l_clos_q2(gfix *f) { return sl_symmetry_loss_closure(f->g, f->W, f->C, 2); }
static sl_node *l_clos_qneg(gfix *f) { return sl_symmetry_loss_closure(f->g, f->W, f->C, -1); }
static sl_node *l_clos_c2(gfix *f) { return sl_symmetry_loss_closure(f->g, f->W, f->C2, 0); }
static sl_node *l_sp_gnull(gfix *f) { return sl_symmetry_loss_sparsity(NULL, f->W); }
static sl_node *l_sp_wnull(gfix *f) { return sl_symmetry_loss_sparsity(f->g, NULL); }
static sl_node *l_sp_wc(gfix *f) { return sl_symmetry_loss_sparsity(f->g, f->Wc); }

static void loss_cases(void)
{
    const char *fn = "sl_symmetry_loss_invariance";
    loss_case(fn, "g NULL", 0, l_inv_gnull);
    loss_case(fn, "phi NULL", 1, l_inv_phinull);
    loss_case(fn, "x NULL", 1, l_inv_xnull);
    loss_case(fn, "W NULL", 1, l_inv_wnull);
    loss_case(fn, "nargs = 0", 1, l_inv_nargs0);
    loss_case(fn, "nargs = 17", 1, l_inv_nargs17);
    loss_case(fn, "mode = -1", 1, l_inv_mode_neg);
    loss_case(fn, "mode = 3", 1, l_inv_mode3);
    loss_case(fn, "eps = 0", 1, l_inv_eps0);
    loss_case(fn, "eps NaN", 1, l_inv_epsnan);
    loss_case(fn, "eps Inf", 1, l_inv_epsinf);
    loss_case(fn, "W of rank 2", 1, l_inv_w2);
    loss_case(fn, "x of the wrong width", 1, l_inv_xw);
    fn = "sl_symmetry_loss_normalisation";
    loss_case(fn, "g NULL", 0, l_norm_gnull);
    loss_case(fn, "W NULL", 1, l_norm_wnull);
    loss_case(fn, "W of rank 2", 1, l_norm_w2);
    fn = "sl_symmetry_loss_orthogonality";
    loss_case(fn, "g NULL", 0, l_orth_gnull);
    loss_case(fn, "W NULL", 1, l_orth_wnull);
    loss_case(fn, "W complex", 1, l_orth_wc);
    fn = "sl_symmetry_loss_closure";
    loss_case(fn, "g NULL", 0, l_clos_gnull);
    loss_case(fn, "W NULL", 1, l_clos_wnull);
    loss_case(fn, "C NULL", 1, l_clos_cnull);
    loss_case(fn, "quartic = 2", 1, l_clos_q2);
    loss_case(fn, "quartic = -1", 1, l_clos_qneg);
    loss_case(fn, "C of the wrong shape", 1, l_clos_c2);
    fn = "sl_symmetry_loss_sparsity";
    loss_case(fn, "g NULL", 0, l_sp_gnull);
    loss_case(fn, "W NULL", 1, l_sp_wnull);
    loss_case(fn, "W complex", 1, l_sp_wc);
}

int main(void)
{
    CHECK(sl_ctx_create(&ctx, NULL) == SL_OK, "context");
    size_t b0 = sl_ctx_bytes_in_use(ctx);
    analysis_cases();
    options_cases();
    result_cases();
    loss_cases();
    CHECK(sl_ctx_bytes_in_use(ctx) == b0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx) - b0);
    printf("bad-input cases: %d (%d with a status or a NULL node, %d accessors with their neutral value)\n", ncases,
           nstatus, nneutral);
    sl_ctx_destroy(ctx);
    return check_done();
}
