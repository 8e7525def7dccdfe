/* Lie-algebra analysis on plain arrays: structure constants, Killing form,
 * signature, rank, centre, compactness (abstract and of the group the
 * matrices generate), decomposition, span distance, sparsification, and bad
 * input (NULL context, dependent generators, bad tolerances, outputs left
 * untouched on failure). */
#include <string.h>

#include "check.h"
#include "symlearn.h"

static sl_ctx *ctx;

static void so_basis(int n, double *b)
{
    int a = 0;
    memset(b, 0, sizeof(double) * (size_t)n * (n - 1) / 2 * n * n);
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j, ++a) {
            b[(size_t)a * n * n + i * n + j] = 1;
            b[(size_t)a * n * n + j * n + i] = -1;
        }
}

static void test_so3(void)
{
    double J[27], f[27], K[9], eig[3], res = 1;
    so_basis(3, J);
    CHECK(sl_lie_structure_constants(ctx, 3, 3, J, f, &res) == SL_OK, "%s", sl_ctx_errmsg(ctx));
    CHECK(res < 1e-15, "closure residual %.3g", res);
    /* J0 = L_z-like (0,1), J1 = (0,2), J2 = (1,2): [J0, J1] = -J2 */
    CHECK_CLOSE(f[(0 * 3 + 1) * 3 + 2], -1.0, 1e-14, "f_01^2");
    CHECK_CLOSE(f[(1 * 3 + 0) * 3 + 2], 1.0, 1e-14, "antisymmetry");
    sl_lie_killing_form(ctx, 3, f, K);
    CHECK_CLOSE(K[0], -2.0, 1e-14, "K_00 = -2");
    CHECK(fabs(K[1]) < 1e-14, "K off-diagonal");
    sl_lie_killing_eigenvalues(ctx, 3, 3, J, K, eig);
    CHECK_CLOSE(eig[0], -1.0, 1e-14, "g^-1 K = -(n-2)");
    int nn, np, nz, rank, cz, compact;
    sl_lie_signature(ctx, 3, K, 0, &nn, &np, &nz);
    CHECK(nn == 3 && np == 0 && nz == 0, "signature (%d, %d, %d)", nn, np, nz);
    sl_lie_rank(ctx, 3, f, 0, &rank, NULL);
    CHECK(rank == 1, "rank %d", rank);
    sl_lie_centre(ctx, 3, f, 0, &cz, NULL);
    CHECK(cz == 0, "centre %d", cz);
    sl_lie_is_compact(ctx, 3, f, 0, &compact);
    CHECK(compact == 1, "compact");
}

static void test_so4_and_u2(void)
{
    double J[6 * 16], f[216], cartan[36];
    so_basis(4, J);
    sl_lie_structure_constants(ctx, 6, 4, J, f, NULL);
    int nid = 0, dims[6], kinds[6], rank;
    double basis[36];
    CHECK(sl_lie_decompose(ctx, 6, f, 0, &nid, dims, kinds, basis) == SL_OK, "%s", sl_ctx_errmsg(ctx));
    CHECK(nid == 2 && dims[0] == 3 && dims[1] == 3 && kinds[0] == 1, "so(4) = so(3) + so(3): %d ideals", nid);
    sl_lie_rank(ctx, 6, f, 0, &rank, cartan);
    CHECK(rank == 2, "so(4) rank %d", rank);
    /* u(2) on R^4: so(4) generators commuting with the complex structure */
    double U[4 * 16] = {0};
    /* i (identity): z -> i z on interleaved (re, im) */
    double Jc[16] = {0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0};
    memcpy(U, Jc, sizeof Jc);
    /* i sigma_z, sigma_y-like real rotation, i sigma_x */
    double A[16] = {0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0};
    double B[16] = {0, 0, -1, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, 1, 0, 0};
    double C[16] = {0, 0, 0, -1, 0, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 0};
    memcpy(U + 16, A, sizeof A);
    memcpy(U + 32, B, sizeof B);
    memcpy(U + 48, C, sizeof C);
    double fu[64], res = 1;
    sl_lie_structure_constants(ctx, 4, 4, U, fu, &res);
    CHECK(res < 1e-14, "u(2) closes: %.3g", res);
    int cz = 0;
    sl_lie_centre(ctx, 4, fu, 0, &cz, NULL);
    CHECK(cz == 1, "u(2) centre %d", cz);
    CHECK(sl_lie_decompose(ctx, 4, fu, 0, &nid, dims, kinds, NULL) == SL_OK, "%s", sl_ctx_errmsg(ctx));
    CHECK(nid == 2 && dims[0] == 3 && kinds[0] == 1 && dims[1] == 1 && kinds[1] == 0, "u(2) = su(2) + u(1)");
}

static void test_span_and_sparsify(void)
{
    double J[6 * 16], R[6 * 16], dist = 1;
    so_basis(4, J);
    /* a random orthogonal mix of the basis */
    double Q[36];
    sl_rng_fill_normal(5, 0, 36, 0, 1, Q);
    for (int a = 0; a < 6; ++a) { /* Gram-Schmidt */
        for (int b = 0; b < a; ++b) {
            double s = 0;
            for (int k = 0; k < 6; ++k) s += Q[a * 6 + k] * Q[b * 6 + k];
            for (int k = 0; k < 6; ++k) Q[a * 6 + k] -= s * Q[b * 6 + k];
        }
        double s = 0;
        for (int k = 0; k < 6; ++k) s += Q[a * 6 + k] * Q[a * 6 + k];
        for (int k = 0; k < 6; ++k) Q[a * 6 + k] /= sqrt(s);
    }
    memset(R, 0, sizeof R);
    for (int a = 0; a < 6; ++a)
        for (int b = 0; b < 6; ++b)
            for (int k = 0; k < 16; ++k) R[a * 16 + k] += Q[a * 6 + b] * J[b * 16 + k];
    sl_lie_span_distance(ctx, 4, 6, J, 6, R, &dist);
    CHECK(dist < 1e-14, "same span: %.3g", dist);
    sl_lie_span_distance(ctx, 4, 5, J, 5, J + 16, &dist);
    CHECK(dist > 0.99, "different spans: %.3g", dist);
    CHECK(sl_lie_sparsify(ctx, 6, 4, R) == SL_OK, "sparsify");
    double err = 0;
    for (int a = 0; a < 6; ++a)
        for (int k = 0; k < 16; ++k) err = fmax(err, fabs(R[a * 16 + k] - J[a * 16 + k]));
    CHECK(err < 1e-10, "sparsify recovers e_ij - e_ji in order: %.3g", err);
}


/* Dependent generators (not exactly: a rounding-inexact combination, whose
 * Gram matrix dpotrf still factors) are SL_ERR_NUMERIC, as documented. */
static void test_dependent(void)
{
    double J[4 * 9], f[64], K[16], eig[4], res = -1;
    so_basis(3, J);
    for (int k = 0; k < 9; ++k) J[27 + k] = 0.3 * J[k] + 0.7 * J[9 + k] - 0.1 * J[18 + k];
    memcpy(f, (double[64]){0}, sizeof f);
    f[5] = 123;
    CHECK(sl_lie_structure_constants(ctx, 4, 3, J, f, &res) == SL_ERR_NUMERIC, "dependent set: %s", sl_ctx_errmsg(ctx));
    CHECK(strncmp(sl_ctx_errmsg(ctx), "sl_lie_structure_constants: ", 28) == 0 && strstr(sl_ctx_errmsg(ctx), "dependent"),
          "message: %s", sl_ctx_errmsg(ctx));
    CHECK(f[5] == 123 && res == -1, "nothing written");
    for (int k = 0; k < 16; ++k) K[k] = -(k % 5 == 0);
    eig[0] = 7;
    CHECK(sl_lie_killing_eigenvalues(ctx, 4, 3, J, K, eig) == SL_ERR_NUMERIC, "Killing eigenvalues of a dependent set");
    CHECK(eig[0] == 7, "eigenvalues not written");
    /* nearly parallel but independent (angle 1e-3): fine */
    so_basis(3, J);
    for (int k = 0; k < 9; ++k) J[27 + k] = J[k] + 1e-3 * (k == 0 || k == 4 ? 1 : 0);
    CHECK(sl_lie_structure_constants(ctx, 4, 3, J, f, &res) == SL_OK, "independent set: %s", sl_ctx_errmsg(ctx));
    sl_ctx_clear_error(ctx);
}

/* Every sl_lie_* call with a NULL context: SL_ERR_NULL, no crash. */
static void test_null_ctx(void)
{
    double J[27], f[27], K[9], eig[3], d1;
    int x, dims[3];
    so_basis(3, J);
    sl_lie_structure_constants(ctx, 3, 3, J, f, NULL);
    sl_lie_killing_form(ctx, 3, f, K);
    CHECK(sl_lie_structure_constants(NULL, 3, 3, J, f, NULL) == SL_ERR_NULL, "structure constants");
    CHECK(sl_lie_killing_form(NULL, 3, f, K) == SL_ERR_NULL, "killing form");
    CHECK(sl_lie_killing_eigenvalues(NULL, 3, 3, J, K, eig) == SL_ERR_NULL, "killing eigenvalues");
    CHECK(sl_lie_signature(NULL, 3, K, 0, &x, &x, &x) == SL_ERR_NULL, "signature");
    CHECK(sl_lie_rank(NULL, 3, f, 0, &x, NULL) == SL_ERR_NULL, "rank");
    CHECK(sl_lie_centre(NULL, 3, f, 0, &x, NULL) == SL_ERR_NULL, "centre");
    CHECK(sl_lie_is_compact(NULL, 3, f, 0, &x) == SL_ERR_NULL, "is_compact");
    CHECK(sl_lie_group_is_compact(NULL, 3, 3, J, 0, &x) == SL_ERR_NULL, "group_is_compact");
    CHECK(sl_lie_decompose(NULL, 3, f, 0, &x, dims, NULL, NULL) == SL_ERR_NULL, "decompose");
    CHECK(sl_lie_span_distance(NULL, 3, 3, J, 3, J, &d1) == SL_ERR_NULL, "span distance");
    CHECK(sl_lie_sparsify(NULL, 3, 3, J) == SL_ERR_NULL, "sparsify");
}

/* Compactness of the group the matrices generate (representation), against
 * the abstract algebra: one rotation, one boost, one shear, a screw
 * (rotation + dilation), a rotation with a nilpotent coupling, u(2), so(1,3). */
static void test_group_compact(void)
{
    double rot[4] = {0, -1, 1, 0}, boost[4] = {0, 1, 1, 0}, shear[4] = {0, 1, 0, 0}, screw[4] = {0.5, -1, 1, 0.5};
    double f1[1] = {0};
    int c = -1, ac = -1;
    CHECK(sl_lie_is_compact(ctx, 1, f1, 0, &ac) == SL_OK && ac == 1, "abstract u(1) = R is compact");
    CHECK(sl_lie_group_is_compact(ctx, 1, 2, rot, 0, &c) == SL_OK && c == 1, "rotation of R^2: compact (%d)", c);
    CHECK(sl_lie_group_is_compact(ctx, 1, 2, boost, 0, &c) == SL_OK && c == 0, "boost: not compact (%d)", c);
    CHECK(sl_lie_group_is_compact(ctx, 1, 2, shear, 0, &c) == SL_OK && c == 0, "shear: not compact (%d)", c);
    CHECK(sl_lie_group_is_compact(ctx, 1, 2, screw, 0, &c) == SL_OK && c == 0, "screw: not compact (%d)", c);
    /* a rotation in a skewed basis stays compact (skew w.r.t. P = S^T S) */
    double S[4] = {2, 1, 0, 0.5}, Si[4] = {0.5, -1, 0, 2}, t[4], skew[4];
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) t[i * 2 + j] = rot[i * 2] * Si[j] + rot[i * 2 + 1] * Si[2 + j];
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) skew[i * 2 + j] = S[i * 2] * t[j] + S[i * 2 + 1] * t[2 + j];
    CHECK(sl_lie_group_is_compact(ctx, 1, 2, skew, 0, &c) == SL_OK && c == 1, "skewed rotation: compact (%d)", c);
    /* [[R, 1], [0, R]] on R^4: eigenvalues +-i (double) but a Jordan block;
     * [[R, C], [0, R]] with C = diag(1, -1) = R X - X R is diagonalisable */
    double jb[16] = {0, -1, 1, 0, 1, 0, 0, 1, 0, 0, 0, -1, 0, 0, 1, 0};
    CHECK(sl_lie_group_is_compact(ctx, 1, 4, jb, 0, &c) == SL_OK && c == 0, "rotation + nilpotent: not compact (%d)", c);
    jb[7] = -1;
    CHECK(sl_lie_group_is_compact(ctx, 1, 4, jb, 0, &c) == SL_OK && c == 1, "rotation + removable coupling: compact (%d)", c);
    /* diag(R, R) (eigenvalues +-i twice, semisimple): compact */
    double rr[16] = {0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0};
    CHECK(sl_lie_group_is_compact(ctx, 1, 4, rr, 0, &c) == SL_OK && c == 1, "two equal rotations: compact (%d)", c);
    double J[6 * 16];
    so_basis(4, J);
    CHECK(sl_lie_group_is_compact(ctx, 6, 4, J, 0, &c) == SL_OK && c == 1, "so(4): compact");
    /* u(2) = so(3) + u(1), centre i 1 */
    double U[4 * 16] = {0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0,
                        0, 0, -1, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 0};
    CHECK(sl_lie_group_is_compact(ctx, 4, 4, U, 0, &c) == SL_OK && c == 1, "u(2): compact");
    /* so(3) + a dilation of R^3: abstractly so(3) + R, compact; as a group not */
    double D[4 * 9];
    so_basis(3, D);
    for (int k = 0; k < 9; ++k) D[27 + k] = (k % 4 == 0);
    CHECK(sl_lie_group_is_compact(ctx, 4, 3, D, 0, &c) == SL_OK && c == 0, "so(3) + dilation: not compact (%d)", c);
    /* so(1,2): not compact, abstractly already */
    double L[27] = {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, -1, 0, 1, 0};
    CHECK(sl_lie_group_is_compact(ctx, 3, 3, L, 0, &c) == SL_OK && c == 0, "so(1,2): not compact (%d)", c);
    /* a span that is not closed */
    double open2[8] = {0, 1, 0, 0, 0, 0, 1, 0};
    c = 5;
    CHECK(sl_lie_group_is_compact(ctx, 2, 2, open2, 0, &c) == SL_ERR_NUMERIC && c == 5, "not closed: %s", sl_ctx_errmsg(ctx));
    CHECK(strncmp(sl_ctx_errmsg(ctx), "sl_lie_group_is_compact: ", 25) == 0, "message: %s", sl_ctx_errmsg(ctx));
    sl_ctx_clear_error(ctx);
}

/* Bad tolerances; no output on failure; zero spans. */
static void test_outputs_untouched(void)
{
    /* e(2): [L, P1] = P2, [L, P2] = -P1; not reductive, no clean split */
    double f[27] = {0};
    f[(0 * 3 + 1) * 3 + 2] = 1, f[(1 * 3 + 0) * 3 + 2] = -1;
    f[(0 * 3 + 2) * 3 + 1] = -1, f[(2 * 3 + 0) * 3 + 1] = 1;
    int nid = -7, dims[3] = {-7, -7, -7}, kinds[3] = {-7, -7, -7}, x = -7;
    double basis[9] = {-7};
    CHECK(sl_lie_decompose(ctx, 3, f, 0, &nid, dims, kinds, basis) == SL_ERR_NUMERIC, "e(2) does not split");
    CHECK(nid == -7 && dims[0] == -7 && dims[1] == -7 && kinds[0] == -7 && basis[0] == -7, "decompose wrote nothing");
    CHECK(sl_lie_rank(ctx, 3, f, NAN, &x, NULL) == SL_ERR_ARG && x == -7, "rank tol NaN");
    CHECK(strncmp(sl_ctx_errmsg(ctx), "sl_lie_rank: tol", 16) == 0, "message: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lie_signature(ctx, 3, basis, 1.0, &x, &x, &x) == SL_ERR_ARG, "signature tol 1");
    CHECK(sl_lie_decompose(ctx, 3, f, INFINITY, &nid, dims, kinds, basis) == SL_ERR_ARG, "decompose tol Inf");
    double z[9] = {0}, dist = -1;
    CHECK(sl_lie_span_distance(ctx, 3, 1, z, 1, z, &dist) == SL_OK && dist == 0, "two zero spans: distance %g", dist);
    sl_ctx_clear_error(ctx);
}

static void test_errors(void)
{
    double J[27] = {0}, f[27] = {0}, K[9];
    int x;
    CHECK(sl_lie_structure_constants(ctx, 0, 3, J, f, NULL) == SL_ERR_ARG, "d = 0");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_lie_structure_constants") != NULL, "message names the call");
    CHECK(sl_lie_structure_constants(ctx, 3, 3, NULL, f, NULL) == SL_ERR_NULL, "gens NULL");
    CHECK(sl_lie_structure_constants(ctx, 3, 3, J, NULL, NULL) == SL_ERR_NULL, "f NULL");
    CHECK(sl_lie_structure_constants(ctx, 3, 3, J, f, NULL) == SL_ERR_NUMERIC, "dependent generators");
    J[4] = NAN;
    CHECK(sl_lie_structure_constants(ctx, 3, 3, J, f, NULL) == SL_ERR_NONFINITE, "NaN");
    CHECK(strstr(sl_ctx_errmsg(ctx), "gens[4]") != NULL, "message names the element: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lie_killing_form(ctx, 3, NULL, K) == SL_ERR_NULL, "killing f NULL");
    CHECK(sl_lie_killing_form(ctx, -1, f, K) == SL_ERR_ARG, "killing d < 0");
    CHECK(sl_lie_signature(ctx, 3, NULL, 0, &x, &x, &x) == SL_ERR_NULL, "signature NULL");
    CHECK(sl_lie_rank(ctx, 3, J, 0, &x, NULL) == SL_ERR_NONFINITE, "rank of NaN constants");
    CHECK(sl_lie_rank(ctx, 3, f, 0, NULL, NULL) == SL_ERR_NULL, "rank NULL");
    CHECK(sl_lie_centre(ctx, 0, f, 0, &x, NULL) == SL_ERR_ARG, "centre d = 0");
    CHECK(sl_lie_is_compact(ctx, 3, f, 0, NULL) == SL_ERR_NULL, "compact NULL");
    CHECK(sl_lie_span_distance(ctx, 0, 1, J, 1, J, NULL) == SL_ERR_ARG, "span n = 0");
    CHECK(sl_lie_sparsify(ctx, 3, 3, J) == SL_ERR_NONFINITE, "sparsify NaN");
    CHECK(sl_lie_decompose(ctx, 40, NULL, 0, &x, &x, NULL, NULL) == SL_ERR_NULL, "decompose NULL");
    sl_ctx_clear_error(ctx);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_so3();
    test_so4_and_u2();
    test_span_and_sparsify();
    test_errors();
    test_dependent();
    test_null_ctx();
    test_group_compact();
    test_outputs_untouched();
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
