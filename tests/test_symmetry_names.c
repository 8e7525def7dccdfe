/* Names of the algebras found and what users search for: compactness judged
 * from the representation (one boost is not u(1)), the isomorphic classical
 * forms (so(2,2) = sl(2,R) + sl(2,R), sp(4,R) = so(2,3), so(1,3) = sl(2,C),
 * su(2) = so(3), so(4) = so(3) + so(3), u(2)), from quadratic forms of
 * signature (1,1), (2,0), (2,2), (3,2), (1,3) and the symplectic form on R^4
 * (a bilinear graph oracle).  Exact solver: each case takes milliseconds. */
#include <string.h>

#include "check.h"
#include "symlearn.h"

static sl_ctx *ctx;

static sl_symmetry_result *quadratic(int n, const double *diag)
{
    double G[64] = {0};
    for (int i = 0; i < n; ++i) G[i * n + i] = diag[i];
    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *r = NULL;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, n, G);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_OK, "discover: %s", sl_ctx_errmsg(ctx));
    sl_symmetry_opts_destroy(o);
    return r;
}

/* omega(x, y) = x^T Omega y, Omega = [[0, 1], [-1, 0]] (x) 1_2 on R^4 */
static sl_node *symplectic(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    (void)nargs, (void)user;
    static const double om[16] = {0, 0, 1, 0, 0, 0, 0, 1, -1, 0, 0, 0, 0, -1, 0, 0};
    sl_node *O = sl_graph_constant(g, SL_F64, 2, (int64_t[]){4, 4}, om);
    return sl_graph_sum_axes(g, sl_graph_mul(g, sl_graph_matmul_ex(g, x[1], SL_OP_N, O, SL_OP_T), x[0]), 1, (int[]){1}, 0);
}

static void check_name(sl_symmetry_result *r, const char *want, const char *what)
{
    CHECK(r && strcmp(sl_symmetry_result_name(r), want) == 0, "%s: name \"%s\", want \"%s\"", what,
          r ? sl_symmetry_result_name(r) : "(none)", want);
}

static void check_is(sl_symmetry_result *r, const char *name, int want)
{
    CHECK(sl_symmetry_result_is(r, name) == want, "%s is%s %s (isomorphisms \"%s\")", sl_symmetry_result_name(r),
          want ? "" : " not", name, sl_symmetry_result_isomorphisms(r));
}

static void test_one_generator(void)
{
    /* Minkowski 1+1: one boost, real eigenvalues: not compact, not u(1) */
    sl_symmetry_result *r = quadratic(2, (double[]){1, -1});
    CHECK(sl_symmetry_result_dim(r) == 1, "1+1 Minkowski: dim %d", sl_symmetry_result_dim(r));
    CHECK(!sl_symmetry_result_is_compact(r), "a boost is not compact");
    check_name(r, "so(1,1)", "boost");
    check_is(r, "u(1)", 0);
    check_is(r, "SO(1, 1)", 1);
    check_is(r, "R", 1);
    sl_symmetry_result_destroy(r);
    /* rotations of R^2: compact u(1) */
    r = quadratic(2, (double[]){1, 1});
    CHECK(sl_symmetry_result_dim(r) == 1 && sl_symmetry_result_is_compact(r), "rotations of R^2: compact");
    check_name(r, "u(1)", "rotation");
    check_is(r, "so(2)", 1);
    check_is(r, "so(1,1)", 0);
    sl_symmetry_result_destroy(r);
}

static void test_classical(void)
{
    /* signature (2,2): so(2,2) = sl(2,R) + sl(2,R) */
    sl_symmetry_result *r = quadratic(4, (double[]){1, 1, -1, -1});
    int nneg, npos, nzero;
    sl_symmetry_result_signature(r, &nneg, &npos, &nzero);
    CHECK(sl_symmetry_result_dim(r) == 6 && nneg == 2 && npos == 4, "so(2,2): dim %d, (%d, %d, %d)", sl_symmetry_result_dim(r),
          nneg, npos, nzero);
    check_name(r, "so(1,2) + so(1,2)", "signature (2,2)");
    check_is(r, "so(2,2)", 1);
    check_is(r, "sl(2,R) + sl(2,R)", 1);
    check_is(r, "su(1,1) + so(2,1)", 0); /* not listed */
    check_is(r, "so(4)", 0);
    CHECK(!sl_symmetry_result_is_compact(r), "so(2,2) not compact");
    sl_symmetry_result_destroy(r);
    /* signature (3,2): so(3,2) = sp(4,R) */
    r = quadratic(5, (double[]){1, 1, 1, -1, -1});
    CHECK(sl_symmetry_result_dim(r) == 10, "so(3,2): dim %d", sl_symmetry_result_dim(r));
    check_name(r, "so(2,3)", "signature (3,2)");
    check_is(r, "so(3,2)", 1);
    check_is(r, "sp(4,R)", 1);
    check_is(r, "so(1,4)", 0);
    CHECK(strcmp(sl_symmetry_result_isomorphisms(r), "sp(4,R)") == 0, "isomorphisms \"%s\"", sl_symmetry_result_isomorphisms(r));
    sl_symmetry_result_destroy(r);
    /* Lorentz: so(3,1) = sl(2,C) as a real algebra */
    r = quadratic(4, (double[]){1, -1, -1, -1});
    check_name(r, "so(1,3)", "Lorentz");
    check_is(r, "so(3,1)", 1);
    check_is(r, "sl(2,C)", 1);
    check_is(r, "sl(2,C)_R", 1);
    sl_symmetry_result_destroy(r);
    /* so(3) = su(2); so(4) = so(3) + so(3) */
    r = quadratic(3, (double[]){1, 1, 1});
    check_name(r, "so(3)", "R^3");
    check_is(r, "su(2)", 1);
    sl_symmetry_result_destroy(r);
    r = quadratic(4, (double[]){1, 1, 1, 1});
    check_name(r, "so(3) + so(3)", "R^4");
    check_is(r, "so(4)", 1);
    check_is(r, "su(2) + su(2)", 1);
    CHECK(sl_symmetry_result_is_compact(r), "so(4) compact");
    sl_symmetry_result_destroy(r);
    /* so(5) = sp(2) */
    r = quadratic(5, (double[]){1, 1, 1, 1, 1});
    check_name(r, "so(5)", "R^5");
    check_is(r, "sp(2)", 1);
    sl_symmetry_result_destroy(r);
}

static void test_symplectic(void)
{
    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *r = NULL;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_graph(o, 4, 2, 1, symplectic, NULL);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_OK, "symplectic: %s", sl_ctx_errmsg(ctx));
    int nneg = 0, npos = 0, nzero = 0;
    sl_symmetry_result_signature(r, &nneg, &npos, &nzero);
    CHECK(sl_symmetry_result_dim(r) == 10 && nneg == 4 && npos == 6, "sp(4,R): dim %d, (%d, %d, %d)",
          sl_symmetry_result_dim(r), nneg, npos, nzero);
    /* on R^4 the symplectic name comes first */
    check_name(r, "sp(4,R)", "omega on R^4");
    check_is(r, "so(3,2)", 1);
    check_is(r, "so(2,3)", 1);
    CHECK(!sl_symmetry_result_is_compact(r), "sp(4,R) not compact");
    /* the printout names the isomorphic form */
    FILE *f = tmpfile();
    char buf[4096] = {0};
    CHECK(f && sl_symmetry_result_print(r, f) == SL_OK, "print");
    if (f) {
        rewind(f);
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        buf[got] = 0;
        fclose(f);
    }
    CHECK(strncmp(buf, "symmetry algebra: sp(4,R) (\u2245 so(2,3))\n", 40) == 0, "printout: %.60s", buf);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
}

/* u(2) from the Hermitian form: so(3) + u(1) = u(2), compact centre. */
static void test_unitary(void)
{
    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *r = NULL;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_hermitian(o, 2, NULL);
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_OK, "u(2): %s", sl_ctx_errmsg(ctx));
    check_name(r, "so(3) + u(1)", "Hermitian C^2");
    check_is(r, "u(2)", 1);
    check_is(r, "u(1) + su(2)", 1);
    CHECK(sl_symmetry_result_is_compact(r), "u(2) compact");
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
    CHECK(sl_symmetry_result_is(NULL, "u(2)") == 0 && sl_symmetry_result_isomorphisms(NULL) == NULL, "NULL result");
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_one_generator();
    test_classical();
    test_symplectic();
    test_unitary();
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
