/* Formulas in Fortran and SymPy, candidates along the STLSQ path, text
 * feature libraries (regression.h), also in the exact conserved mode. */
#include "check.h"
#include "symlearn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int have_sympy;

/* 1 when sympy says simplify((a) - (b)) == 0 (a, b Python expressions in
 * the names given); -1 when it fails to parse. */
static int sympy_equal(const char *names, const char *a, const char *b)
{
    char path[] = "/tmp/sl_sympy_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "import sympy, sys\nns = {n: sympy.Symbol(n) for n in '%s'.split()}\n"
               "try:\n    a = sympy.parse_expr('''%s''', local_dict=ns)\n    b = sympy.parse_expr('''%s''', local_dict=ns)\n"
               "except Exception as e:\n    print(e); sys.exit(2)\nsys.exit(0 if sympy.simplify(a - b) == 0 else 1)\n",
            names, a, b);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "python3 %s", path);
    int rc = system(cmd);
    remove(path);
    return rc == 0 ? 1 : (rc >> 8) == 2 ? -1 : 0;
}

static void formulas(sl_ctx *ctx)
{
    /* y = 0.5 (t^2 - x^2 - y^2 - z^2) + 0.25 on 40 points */
    sl_features *lib;
    CHECK(sl_features_create(ctx, 4, &lib) == SL_OK && sl_features_set_names(lib, "t x y z") == SL_OK, "lib");
    CHECK(sl_features_add_monomials(lib, 0, 2) == SL_OK, "monomials");
    double x[160], y[40];
    unsigned long long lcg = 12345;
    for (int n = 0; n < 40; ++n) {
        for (int i = 0; i < 4; ++i) {
            lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
            x[4 * n + i] = 2.0 * (double)(lcg >> 11) / 9007199254740992.0 - 1;
        }
        y[n] = 0.5 * (x[4 * n] * x[4 * n] - x[4 * n + 1] * x[4 * n + 1] - x[4 * n + 2] * x[4 * n + 2] - x[4 * n + 3] * x[4 * n + 3]) + 0.25;
    }
    sl_regression_opts o;
    sl_regression_opts_init(&o);
    o.method = SL_REGRESSION_STLSQ;
    sl_regression *r;
    CHECK(sl_regress(ctx, &o, lib, 40, x, 0, NULL, NULL, y, &r) == SL_OK, "regress: %s", sl_ctx_errmsg(ctx));
    const char *fo = sl_regression_formula(r, SL_FORMULA_FORTRAN), *sp = sl_regression_formula(r, SL_FORMULA_SYMPY);
    printf("text    %s\nFortran %s\nSymPy   %s\n", sl_regression_formula(r, SL_FORMULA_TEXT), fo, sp);
    CHECK(fo && strcmp(fo, "0.5d0*(t*t - x*x - y*y - z*z) + 0.25d0") == 0, "Fortran '%s'", fo);
    CHECK(sp && strcmp(sp, "0.5*(t*t - x*x - y*y - z*z) + 0.25") == 0, "SymPy '%s'", sp);
    CHECK(sl_regression_formula(r, 5) == NULL && sl_regression_formula(r, -1) == NULL, "unknown style");
    if (have_sympy) CHECK(sympy_equal("t x y z", sp, "(t**2 - x**2 - y**2 - z**2)/2 + Rational(1, 4)") == 1, "sympy equal");
    sl_regression_destroy(r);
    sl_features_destroy(lib);

    /* the converter */
    char buf[256];
    CHECK(sl_formula_convert("pow(x, 3) - 1e-05*y' + 2.5*exp(a - b)", SL_FORMULA_FORTRAN, buf, sizeof buf) > 0 &&
              strcmp(buf, "(x)**3 - 1d-05*y' + 2.5d0*exp(a - b)") == 0, "convert Fortran '%s'", buf);
    CHECK(sl_formula_convert("pow(x + 1, -2) - 1e-05*y'", SL_FORMULA_SYMPY, buf, sizeof buf) > 0 &&
              strcmp(buf, "(x + 1)**(-2) - 1e-05*y_p") == 0, "convert SymPy '%s'", buf);
    CHECK(sl_formula_convert("x1*x2 + 3", SL_FORMULA_FORTRAN, buf, sizeof buf) == (int64_t)strlen("x1*x2 + 3d0") &&
              strcmp(buf, "x1*x2 + 3d0") == 0, "names with digits '%s'", buf);
    int64_t need = sl_formula_convert("0.5*(a + b)", SL_FORMULA_FORTRAN, NULL, 0);
    char small[6];
    CHECK(need == 13 && sl_formula_convert("0.5*(a + b)", SL_FORMULA_FORTRAN, small, sizeof small) == 13 && strcmp(small, "0.5d0") == 0,
          "sizing %lld '%s'", (long long)need, small);
    CHECK(sl_formula_convert("(a + b", SL_FORMULA_SYMPY, buf, sizeof buf) == -1 && sl_formula_convert("a)", SL_FORMULA_SYMPY, buf, sizeof buf) == -1,
          "unbalanced");
    CHECK(sl_formula_convert(NULL, SL_FORMULA_SYMPY, buf, sizeof buf) == -1 && sl_formula_convert("a", SL_FORMULA_LATEX, buf, sizeof buf) == -1 &&
              sl_formula_convert("a", 9, buf, sizeof buf) == -1 && sl_formula_convert("a", SL_FORMULA_C, NULL, 5) == -1, "bad arguments");
    /* a long Fortran formula is continued */
    char longc[400] = "", *lf = malloc(1000);
    for (int i = 0; i < 30; ++i) snprintf(longc + strlen(longc), sizeof longc - strlen(longc), "%s0.125*x%d", i ? " + " : "", i);
    CHECK(sl_formula_convert(longc, SL_FORMULA_FORTRAN, lf, 1000) > 0 && strstr(lf, " &\n    + ") != NULL, "continued: %s", lf);
    int maxline = 0, cur = 0;
    for (const char *c = lf; *c; ++c) {
        cur = *c == '\n' ? 0 : cur + 1;
        if (cur > maxline) maxline = cur;
    }
    CHECK(maxline <= 132, "Fortran lines at most 132 characters: %d", maxline);
    free(lf);
}

static void candidates(sl_ctx *ctx)
{
    /* y = 3 x1 + 0.5 x2 + 0.01 x3: STLSQ (threshold 0.05) keeps two terms */
    sl_features *lib;
    CHECK(sl_features_create(ctx, 5, &lib) == SL_OK && sl_features_add_monomials(lib, 1, 1) == SL_OK, "lib");
    double x[5 * 60], y[60];
    for (int n = 0; n < 60; ++n) {
        for (int i = 0; i < 5; ++i) x[5 * n + i] = cos(0.9 * n * (i + 1) + i);
        y[n] = 3 * x[5 * n] + 0.5 * x[5 * n + 1] + 0.01 * x[5 * n + 2];
    }
    sl_regression_opts o = SL_REGRESSION_OPTS_INIT;
    o.method = SL_REGRESSION_STLSQ;
    o.intercept = 0;
    sl_regression *r;
    CHECK(sl_regress(ctx, &o, lib, 60, x, 0, NULL, NULL, y, &r) == SL_OK, "regress: %s", sl_ctx_errmsg(ctx));
    int64_t nc = sl_regression_candidates(r), sel = sl_regression_selected(r);
    CHECK(nc == 4, "candidates: 1, 2, 3 terms and all 5 (got %lld)", (long long)nc);
    CHECK(sl_regression_active(r) == 2 && sl_regression_candidate_active(r, sel) == 2, "selected 2 terms");
    for (int64_t i = 1; i < nc; ++i)
        CHECK(sl_regression_candidate_active(r, i) >= sl_regression_candidate_active(r, i - 1), "sorted by terms");
    int64_t i3 = -1, i1 = -1;
    for (int64_t i = 0; i < nc; ++i) {
        if (sl_regression_candidate_active(r, i) == 3) i3 = i;
        if (sl_regression_candidate_active(r, i) == 1) i1 = i;
    }
    CHECK(i3 >= 0 && i1 >= 0, "a 1- and a 3-term candidate");
    if (i3 < 0 || i1 < 0) return;
    CHECK(sl_regression_candidate_is_pareto(r, i1) && sl_regression_candidate_is_pareto(r, sel) && sl_regression_candidate_is_pareto(r, i3),
          "1, 2, 3 terms on the Pareto front");
    CHECK(sl_regression_candidate_rmse(r, i3) < 1e-12 && sl_regression_candidate_rmse(r, sel) > 1e-4 &&
              sl_regression_candidate_rmse(r, i1) > sl_regression_candidate_rmse(r, sel), "errors decrease with terms: %g %g %g",
          sl_regression_candidate_rmse(r, i1), sl_regression_candidate_rmse(r, sel), sl_regression_candidate_rmse(r, i3));
    /* the full least squares (5 terms, 2 of them zero up to rounding) is dominated by the 3-term fit */
    int64_t i5 = nc - 1;
    CHECK(sl_regression_candidate_threshold(r, i5) == 0 && sl_regression_candidate_active(r, i5) == 5 && !sl_regression_candidate_is_pareto(r, i5),
          "full LSQ dominated (rmse %g vs %g)", sl_regression_candidate_rmse(r, i5), sl_regression_candidate_rmse(r, i3));
    CHECK_CLOSE(sl_regression_candidate_coefficients(r, i3)[2], 0.01, 1e-9, "x3 in the 3-term candidate");
    CHECK(strstr(sl_regression_formula(r, SL_FORMULA_TEXT), "x3") == NULL, "x3 absent from the selected formula");
    CHECK(sl_regression_select(r, i3) == SL_OK && strstr(sl_regression_formula(r, SL_FORMULA_TEXT), "x3") != NULL &&
              sl_regression_active(r) == 3 && sl_regression_selected(r) == i3 && sl_regression_r2(r) > 1 - 1e-15,
          "select 3 terms: %s", sl_regression_formula(r, SL_FORMULA_TEXT));
    CHECK(sl_regression_select(r, nc) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_regression_select: candidate"), "out of range");
    CHECK(sl_regression_select(NULL, 0) == SL_ERR_NULL, "NULL");
    FILE *f = tmpfile();
    CHECK(sl_regression_print_candidates(r, f) == SL_OK, "print");
    rewind(f);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    printf("%s", text);
    CHECK(strstr(text, ">*     3") != NULL && strstr(text, " *     1") != NULL && strstr(text, "       5") != NULL, "table marks");
    CHECK(sl_regression_print_candidates(r, NULL) == SL_ERR_NULL, "NULL file");
    CHECK(sl_regression_candidate_r2(r, -1) != sl_regression_candidate_r2(r, -1) && sl_regression_candidate_coefficients(r, nc) == NULL, "out of range accessors");
    sl_regression_destroy(r);
    /* LSQ: one candidate */
    o.method = SL_REGRESSION_LSQ;
    CHECK(sl_regress(ctx, &o, lib, 60, x, 0, NULL, NULL, y, &r) == SL_OK && sl_regression_candidates(r) == 1 &&
              sl_regression_candidate_is_pareto(r, 0), "LSQ one candidate");
    sl_regression_destroy(r);
    o.method = SL_REGRESSION_STLSQ;
    o.path_min = 0.95;
    CHECK(sl_regress(ctx, &o, lib, 60, x, 0, NULL, NULL, y, &r) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "opts->path_min"), "bad path_min");
    sl_features_destroy(lib);
}

/* gradients of text features against central differences */
static void text_features(sl_ctx *ctx)
{
    sl_features *lib;
    CHECK(sl_features_create(ctx, 4, &lib) == SL_OK && sl_features_set_names(lib, "x y th1 p1") == SL_OK, "lib");
    const char *text = "# a basis.txt\n"
                       "x^2 p1\n"
                       "1/sqrt(x^2 + y^2)   # 1/r\n"
                       "x/sqrt(x^2 + y^2); y / sqrt(x**2 + y**2)\n"
                       "\n"
                       "sin(th1 - y) p1\n"
                       "x^-2\n"
                       "log(x^2 + 1) - cos(y)\n"
                       "2 x y^3 / (1 + x^2)\n"
                       "exp(th1 - x) * p1\n"
                       "-(x - y)^3\n";
    sl_status st = sl_features_add_text(lib, text);
    CHECK(st == SL_OK, "add_text: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_features_count(lib) == 10, "10 features: %lld", (long long)sl_features_count(lib));
    CHECK(strcmp(sl_features_name(lib, 0), "x^2 p1") == 0 && strcmp(sl_features_name(lib, 1), "1/sqrt(x^2 + y^2)") == 0 &&
              strcmp(sl_features_name(lib, 3), "y / sqrt(x**2 + y**2)") == 0, "names '%s' '%s' '%s'", sl_features_name(lib, 0),
          sl_features_name(lib, 1), sl_features_name(lib, 3));
    CHECK(sl_features_degree(lib, 0) == 3 && sl_features_degree(lib, 1) == 0, "degrees %d %d", sl_features_degree(lib, 0), sl_features_degree(lib, 1));
    double x[4] = {0.7, -0.4, 1.3, 0.2}, v[10], g[40], vp[10], vm[10];
    CHECK(sl_features_eval(lib, 1, x, v, g) == SL_OK, "eval");
    double want[10] = {0.49 * 0.2, 1 / sqrt(0.65), 0.7 / sqrt(0.65), -0.4 / sqrt(0.65), sin(1.7) * 0.2, 1 / 0.49,
                       log(1.49) - cos(-0.4), 2 * 0.7 * -0.064 / 1.49, exp(0.6) * 0.2, -1.331};
    double werr = 0, gerr = 0;
    for (int k = 0; k < 10; ++k) werr = fmax(werr, fabs(v[k] - want[k]));
    CHECK(werr < 1e-14, "values %.3g", werr);
    for (int i = 0; i < 4; ++i) {
        double xp[4], xm[4];
        memcpy(xp, x, sizeof x);
        memcpy(xm, x, sizeof x);
        xp[i] += 1e-6;
        xm[i] -= 1e-6;
        sl_features_eval(lib, 1, xp, vp, NULL);
        sl_features_eval(lib, 1, xm, vm, NULL);
        for (int k = 0; k < 10; ++k) gerr = fmax(gerr, fabs((vp[k] - vm[k]) / 2e-6 - g[k * 4 + i]));
    }
    CHECK(gerr < 1e-8, "text feature gradients vs differences: %.3g", gerr);
    printf("text features: values %.2g, gradients vs differences %.2g\n", werr, gerr);
    /* a fit with text features: formulas in every style */
    double xs[4 * 30], y[30];
    for (int n = 0; n < 30; ++n) {
        for (int i = 0; i < 4; ++i) xs[4 * n + i] = 0.5 + 0.4 * sin(0.77 * n + 1.1 * i);
        double r2 = xs[4 * n] * xs[4 * n] + xs[4 * n + 1] * xs[4 * n + 1];
        y[n] = 2 / sqrt(r2) - 0.5 * sin(xs[4 * n + 2] - xs[4 * n + 1]) * xs[4 * n + 3];
    }
    sl_regression_opts o = SL_REGRESSION_OPTS_INIT;
    o.method = SL_REGRESSION_STLSQ;
    sl_regression *r;
    CHECK(sl_regress(ctx, &o, lib, 30, xs, 0, NULL, NULL, y, &r) == SL_OK, "regress: %s", sl_ctx_errmsg(ctx));
    printf("text    %s\nC       %s\nLaTeX   %s\nFortran %s\nSymPy   %s\n", sl_regression_formula(r, 0), sl_regression_formula(r, 1),
           sl_regression_formula(r, 2), sl_regression_formula(r, 3), sl_regression_formula(r, 4));
    CHECK(strcmp(sl_regression_formula(r, SL_FORMULA_C), "2*(1/sqrt(x*x + y*y) - 0.25*sin(th1 - y)*p1)") == 0, "C '%s'",
          sl_regression_formula(r, SL_FORMULA_C));
    if (have_sympy)
        CHECK(sympy_equal("x y th1 p1", sl_regression_formula(r, SL_FORMULA_SYMPY), "2/sqrt(x**2 + y**2) - sin(th1 - y)*p1/2") == 1,
              "sympy: %s", sl_regression_formula(r, SL_FORMULA_SYMPY));
    sl_regression_destroy(r);
    /* renaming re-renders the text features */
    CHECK(sl_features_set_names(lib, "a b c d") == SL_OK && strcmp(sl_features_name(lib, 0), "a^2 d") == 0 &&
              strcmp(sl_features_name(lib, 9), "-(a - b)^3") == 0, "renamed '%s' '%s'", sl_features_name(lib, 0), sl_features_name(lib, 9));
    sl_features_destroy(lib);

    /* malformed text: status, every error with line and column, library unchanged */
    struct { const char *text, *want; } bad[] = {
        {"x y\n  w^2", "1 error: line 2, column 3: unknown variable 'w'"},
        {"tan(x)", "line 1, column 1: unknown function 'tan'"},
        {"x^1.5", "line 1, column 3: the power after '^' must be an integer"},
        {"x^17", "power 17 is too large"},
        {"sqrt(x + y", "line 1, column 11: missing ')' after the argument of sqrt"},
        {"x +", "line 1, column 4: the feature ends where"},
        {"x)", "line 1, column 2: ')' without a matching '('"},
        {"x $ y", "line 1, column 3: character '$' is not allowed"},
        {"x \xc3\xa9", "byte 0xc3 is not allowed"},
        {"x^2^3", "a power of a power"},
        {"x y; x y", "feature 'x y' is already in the library"},
        {"1e999", "is not a number"},
        {"((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))", "nesting deeper than 32"},
        {"x^3\ny^\n(x\nx * / y", "3 errors: line 2, column 3"},
    };
    CHECK(sl_features_create(ctx, 4, &lib) == SL_OK && sl_features_set_names(lib, "x y th1 p1") == SL_OK &&
              sl_features_add_monomials(lib, 1, 1) == SL_OK, "lib 2");
    for (size_t c = 0; c < sizeof bad / sizeof bad[0]; ++c) {
        st = sl_features_add_text(lib, bad[c].text);
        CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_features_add_text: ") == sl_ctx_errmsg(ctx) &&
                  strstr(sl_ctx_errmsg(ctx), bad[c].want) != NULL && sl_features_count(lib) == 4,
              "bad text %zu: status %d, '%s' (want '%s'), %lld features", c, st, sl_ctx_errmsg(ctx), bad[c].want,
              (long long)sl_features_count(lib));
    }
    st = sl_features_add_text(lib, "x^3\ny^\n(x\nx * / y");
    CHECK(strstr(sl_ctx_errmsg(ctx), "line 3, column 3: missing ')'") && strstr(sl_ctx_errmsg(ctx), "line 4, column 5"), "all errors: %s",
          sl_ctx_errmsg(ctx));
    /* a long text with many errors: the message stays bounded */
    char *many = malloc(20000);
    many[0] = 0;
    for (int i = 0; i < 2000; ++i) strcat(many, "zz\n");
    st = sl_features_add_text(lib, many);
    CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "2000 errors") && strstr(sl_ctx_errmsg(ctx), " ..."), "many errors: %s", sl_ctx_errmsg(ctx));
    free(many);
    CHECK(sl_features_add_text(lib, NULL) == SL_ERR_NULL && sl_features_add_text(NULL, "x") == SL_ERR_NULL, "NULL");
    CHECK(sl_features_add_text(lib, "  # only a comment\n\n ; \n") == SL_OK && sl_features_count(lib) == 4, "empty text adds nothing");
    CHECK(sl_features_add_file(lib, "/nonexistent/basis.txt") == SL_ERR_IO &&
              strstr(sl_ctx_errmsg(ctx), "sl_features_add_file: cannot open '/nonexistent/basis.txt'"), "missing file: %s", sl_ctx_errmsg(ctx));
    char path[] = "/tmp/sl_basis_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("x^2\nx y th1\nfoo\n", f);
    fclose(f);
    st = sl_features_add_file(lib, path);
    CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_features_add_file: ") && strstr(sl_ctx_errmsg(ctx), "line 3, column 1: unknown variable 'foo'"),
          "file error: %s", sl_ctx_errmsg(ctx));
    f = fopen(path, "w");
    fputs("x^2\nx y th1\n", f);
    fclose(f);
    CHECK(sl_features_add_file(lib, path) == SL_OK && sl_features_count(lib) == 6, "file ok: %s", sl_ctx_errmsg(ctx));
    remove(path);
    sl_features_destroy(lib);
}

/* Kepler in the exact mode with the radial features written as text */
static void conserved_text(sl_ctx *ctx)
{
    sl_system *s;
    CHECK(sl_system_create(ctx, SL_SYSTEM_KEPLER, &s) == SL_OK, "Kepler");
    sl_features *lib;
    sl_features_create(ctx, 4, &lib);
    sl_features_set_names(lib, "x y px py");
    sl_features_add_monomials(lib, 1, 3);
    CHECK(sl_features_add_text(lib, "1/sqrt(x^2 + y^2)\nx/sqrt(x^2 + y^2)\ny/sqrt(x^2 + y^2)") == SL_OK, "text radial");
    double lo[4], hi[4];
    sl_system_box(s, lo, hi);
    sl_conserved_opts o;
    sl_conserved_opts_init(&o);
    o.domain = sl_system_in_domain;
    o.domain_user = s;
    o.n_traj = getenv("SL_TEST_QUICK") ? 3 : 8;
    sl_conserved_result *r = NULL;
    CHECK(sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r) == SL_OK, "discover: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_conserved_result_count(r) == 4 && sl_conserved_result_independent(r) == 3, "Kepler with text features: %lld/%lld (want 4/3)",
          (long long)sl_conserved_result_count(r), (long long)sl_conserved_result_independent(r));
    int found_h = 0;
    for (int64_t j = 0; j < sl_conserved_result_count(r); ++j) {
        const char *c = sl_conserved_result_formula(r, j, SL_FORMULA_C);
        char sp[1024], fo[1024];
        CHECK(sl_formula_convert(c, SL_FORMULA_SYMPY, sp, sizeof sp) > 0 && sl_formula_convert(c, SL_FORMULA_FORTRAN, fo, sizeof fo) > 0, "convert");
        printf("  I%lld: %s\n     SymPy %s\n     Fortran %s\n", (long long)j + 1, sl_conserved_result_formula(r, j, SL_FORMULA_TEXT), sp, fo);
        if (have_sympy && sympy_equal("x y px py", sp, "1/sqrt(x**2 + y**2) - (px**2 + py**2)/2") == 1) found_h = 1;
    }
    if (have_sympy) CHECK(found_h, "sympy finds H (normalised: 1/r - (px^2 + py^2)/2) among the quantities");
    sl_conserved_result_destroy(r);
    sl_features_destroy(lib);
    sl_system_destroy(s);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    have_sympy = system("python3 -c 'import sympy' > /dev/null 2>&1") == 0 && !getenv("SL_TEST_NO_SYMPY");
    printf("sympy checks: %s\n", have_sympy ? "on" : "skipped (python3 with sympy not found)");
    formulas(ctx);
    candidates(ctx);
    text_features(ctx);
    conserved_text(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
