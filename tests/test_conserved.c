/* Exact conserved quantities (include/symlearn/conserved.h): the study's
 * table (/work/shared/research/conserved.md section 4.1, docs/conserved.md)
 * reproduced exactly, every quantity conserved on held-out trajectories. */
#include "check.h"
#include "symlearn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *id;
    int kind;
    const char *basis;
    int64_t M, c;
} row;

/* the library of each row of the table */
static sl_features *library(sl_ctx *ctx, int kind, int radial)
{
    sl_features *lib;
    int64_t d = kind == SL_SYSTEM_OSCILLATOR ? 2 : kind == SL_SYSTEM_TODA ? 6 : 4;
    sl_features_create(ctx, d, &lib);
    if (kind == SL_SYSTEM_OSCILLATOR) sl_features_set_names(lib, "x p");
    else if (kind == SL_SYSTEM_TODA) sl_features_set_names(lib, "q1 q2 q3 p1 p2 p3");
    else sl_features_set_names(lib, "x y px py");
    if (kind == SL_SYSTEM_TODA) {
        /* p-monomials of degree <= 3 and exp(q_i - q_(i+1)), exp(q_i - q_(i+1)) p_k */
        int ps[3] = {3, 4, 5};
        sl_features_add_monomials_of(lib, 3, ps, 1, 3);
        for (int i = 0; i < 3; ++i) {
            sl_features_add_exp_difference(lib, i, (i + 1) % 3, -1);
            for (int k = 0; k < 3; ++k) sl_features_add_exp_difference(lib, i, (i + 1) % 3, 3 + k);
        }
    } else {
        sl_features_add_monomials(lib, 1, 3);
    }
    if (radial) {
        int xy[2] = {0, 1};
        sl_features_add_radial(lib, 2, xy, SL_FEATURE_INV_R | SL_FEATURE_X_OVER_R);
    }
    return lib;
}

static sl_conserved_result *discover(sl_ctx *ctx, int kind, int radial, const sl_conserved_opts *o0)
{
    sl_system *s;
    sl_system_create(ctx, kind, &s);
    int64_t d = sl_system_dim(s);
    double lo[12], hi[12];
    sl_system_box(s, lo, hi);
    sl_features *lib = library(ctx, kind, radial);
    sl_conserved_opts o;
    if (o0) o = *o0;
    else sl_conserved_opts_init(&o);
    o.domain = sl_system_in_domain;
    o.domain_user = s;
    if (getenv("SL_TEST_QUICK")) o.n_traj = 4;
    sl_conserved_result *r = NULL;
    sl_status st = sl_discover_conserved(ctx, &o, sl_system_vector_field, s, d, lo, hi, 0, NULL, lib, &r);
    CHECK(st == SL_OK, "%s: %s", sl_system_name(s), sl_ctx_errmsg(ctx));
    sl_features_destroy(lib);
    sl_system_destroy(s);
    return r;
}

static void table(sl_ctx *ctx)
{
    const row rows[] = {
        {"B1", SL_SYSTEM_OSCILLATOR, "monomials of degree <= 3", 1, 1},
        {"B2", SL_SYSTEM_ISOTROPIC, "monomials of degree <= 3", 4, 3},
        {"B4", SL_SYSTEM_RESONANT, "monomials of degree <= 3", 4, 3},
        {"B3", SL_SYSTEM_ANISOTROPIC, "monomials of degree <= 3", 2, 2},
        {"B5", SL_SYSTEM_KEPLER, "monomials of degree <= 3", 1, 1},
        {"B5", SL_SYSTEM_KEPLER, "monomials <= 3 + {1/r, x/r, y/r}", 4, 3},
        {"B6", SL_SYSTEM_TODA, "p-monomials <= 3 + e^(qi-qi+1) {1, p_k}", 6, 3},
    };
    printf("%-3s %-42s %3s %3s  %-9s %-9s %s\n", "id", "basis", "M", "c", "gap", "max relvar", "quantities");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; ++i) {
        const row *w = &rows[i];
        int radial = i == 5;
        sl_conserved_result *r = discover(ctx, w->kind, radial, NULL);
        if (!r) continue;
        double worst = 0;
        for (int64_t j = 0; j < sl_conserved_result_count(r); ++j) worst = fmax(worst, sl_conserved_result_relvar(r, j));
        printf("%-3s %-42s %3lld %3lld  %-9.2e %-9.2e\n", w->id, w->basis, (long long)sl_conserved_result_count(r),
               (long long)sl_conserved_result_independent(r), sl_conserved_result_gap(r), worst);
        for (int64_t j = 0; j < sl_conserved_result_count(r); ++j)
            printf("      I%lld = %s%s\n", (long long)j + 1, sl_conserved_result_formula(r, j, SL_FORMULA_TEXT),
                   sl_conserved_result_is_independent(r, j) ? "" : "   (dependent)");
        CHECK(sl_conserved_result_count(r) == w->M && sl_conserved_result_independent(r) == w->c,
              "%s %s: (M, c) = (%lld, %lld), study (%lld, %lld)", w->id, w->basis, (long long)sl_conserved_result_count(r),
              (long long)sl_conserved_result_independent(r), (long long)w->M, (long long)w->c);
        CHECK(sl_conserved_result_rejected(r) == 0, "%s: no null vector rejected", w->id);
        CHECK(worst < 1e-12, "%s: relvar %.3e", w->id, worst);
        CHECK(sl_conserved_result_gap(r) > 1e5, "%s: gap %.3e", w->id, sl_conserved_result_gap(r));
        sl_conserved_result_destroy(r);
    }
}

static int fails(void *user, double t, const double *x, double *dx, int64_t d)
{
    (void)user; (void)t; (void)x;
    for (int64_t i = 0; i < d; ++i) dx[i] = 0;
    return 5;
}

static int x_squared(void *user, const double *x, int64_t d, double *v, double *g)
{
    (void)user;
    *v = x[0] * x[0];
    if (g) {
        memset(g, 0, sizeof(double) * (size_t)d);
        g[0] = 2 * x[0];
    }
    return 0;
}

/* B9 (SID toy, study 1.5: M = 4, c = 2 with degree <= 3), given sample
 * points instead of a box, and save / load / export */
static void sid_toy_and_files(sl_ctx *ctx)
{
    sl_system *s;
    sl_system_create(ctx, SL_SYSTEM_SID_TOY, &s);
    double lo[3], hi[3];
    sl_system_box(s, lo, hi);
    double *x = malloc(sizeof(double) * 3 * 500);
    sl_sample_box(ctx, 3, lo, hi, NULL, NULL, 500, 11, x);
    sl_features *lib;
    sl_features_create(ctx, 3, &lib);
    sl_features_set_names(lib, "x y z");
    sl_features_add_monomials(lib, 0, 3);
    sl_conserved_opts o = SL_CONSERVED_OPTS_INIT;
    o.domain = sl_system_in_domain;
    o.domain_user = s;
    sl_conserved_result *r = NULL;
    CHECK(sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 3, NULL, NULL, 500, x, lib, &r) == SL_OK, "B9: %s",
          sl_ctx_errmsg(ctx));
    if (!r) return;
    printf("B9  monomials of degree <= 3 (500 given points)  %3lld %3lld\n", (long long)sl_conserved_result_count(r),
           (long long)sl_conserved_result_independent(r));
    for (int64_t j = 0; j < sl_conserved_result_count(r); ++j)
        printf("      I%lld = %s   [C: %s]\n", (long long)j + 1, sl_conserved_result_formula(r, j, SL_FORMULA_TEXT),
               sl_conserved_result_formula(r, j, SL_FORMULA_C));
    CHECK(sl_conserved_result_count(r) == 4 && sl_conserved_result_independent(r) == 2, "B9 (M, c) = (%lld, %lld), study (4, 2)",
          (long long)sl_conserved_result_count(r), (long long)sl_conserved_result_independent(r));
    CHECK(strcmp(sl_conserved_result_formula(r, 0, SL_FORMULA_TEXT), "x + y + z") == 0, "I1 = %s",
          sl_conserved_result_formula(r, 0, SL_FORMULA_TEXT));
    CHECK(sl_conserved_result_print(r, stdout) == SL_OK, "print");
    /* files */
    const char *path = "build/tests/conserved_b9.slc";
    CHECK(sl_conserved_result_save(r, path) == SL_OK, "save: %s", sl_ctx_errmsg(ctx));
    sl_conserved_result *q = NULL;
    CHECK(sl_conserved_result_load(ctx, path, &q) == SL_OK, "load: %s", sl_ctx_errmsg(ctx));
    if (q) {
        int64_t n1, n2;
        const double *s1 = sl_conserved_result_singular_values(r, &n1), *s2 = sl_conserved_result_singular_values(q, &n2);
        int same = sl_conserved_result_count(q) == 4 && sl_conserved_result_independent(q) == 2 &&
                   sl_conserved_result_features(q) == sl_conserved_result_features(r) && n1 == n2 &&
                   memcmp(s1, s2, sizeof(double) * (size_t)n1) == 0 &&
                   memcmp(sl_conserved_result_coefficients(q), sl_conserved_result_coefficients(r),
                          sizeof(double) * 4 * (size_t)sl_conserved_result_features(r)) == 0;
        for (int64_t j = 0; j < 4; ++j)
            for (int st = 0; st < 3; ++st)
                same &= strcmp(sl_conserved_result_formula(q, j, st), sl_conserved_result_formula(r, j, st)) == 0;
        for (int64_t k = 0; k < sl_conserved_result_features(r); ++k)
            same &= strcmp(sl_conserved_result_feature_name(q, k), sl_conserved_result_feature_name(r, k)) == 0;
        CHECK(same, "loaded result identical");
        sl_conserved_result_destroy(q);
    }
    /* a flipped payload byte is corrupt */
    FILE *fp = fopen(path, "r+b");
    if (fp) {
        fseek(fp, 60, SEEK_SET);
        int ch = fgetc(fp);
        fseek(fp, 60, SEEK_SET);
        fputc(ch ^ 1, fp);
        fclose(fp);
    }
    q = (sl_conserved_result *)&q;
    CHECK(sl_conserved_result_load(ctx, path, &q) == SL_ERR_CORRUPT && q == NULL, "corrupt file");
    CHECK(sl_conserved_result_load(ctx, "build/tests/no such file", &q) == SL_ERR_IO, "missing file");
    CHECK(sl_conserved_result_export_csv(r, "build/tests/conserved_b9.csv") == SL_OK, "csv");
    CHECK(sl_conserved_result_export_json(r, "build/tests/conserved_b9.json") == SL_OK, "json");
    fp = fopen("build/tests/conserved_b9.json", "r");
    char buf[8192] = "";
    if (fp) {
        size_t got = fread(buf, 1, sizeof buf - 1, fp);
        buf[got] = 0;
        fclose(fp);
    }
    CHECK(strstr(buf, "\"count\": 4") && strstr(buf, "\"formula\": \"x + y + z\""), "json content");
    fp = fopen("build/tests/conserved_b9.csv", "r");
    buf[0] = 0;
    if (fp) {
        size_t got = fread(buf, 1, sizeof buf - 1, fp);
        buf[got] = 0;
        fclose(fp);
    }
    CHECK(strncmp(buf, "quantity,kind,key,value\n0,coefficient,x,1\n", 42) == 0, "csv content: %.60s", buf);
    sl_conserved_result_destroy(r);
    free(x);
    sl_features_destroy(lib);
    sl_system_destroy(s);
}

/* B3's negative control through the trajectory test: with a loose tolerance
 * the nearly-null directions are rejected by the held-out trajectories */
static void rejection(sl_ctx *ctx)
{
    sl_conserved_opts o = SL_CONSERVED_OPTS_INIT;
    o.tolerance = 0.05;
    sl_conserved_result *r = discover(ctx, SL_SYSTEM_ANISOTROPIC, 0, &o);
    if (!r) return;
    printf("B3 with tolerance 0.05: null space %lld, %lld rejected by the trajectories, %lld kept\n",
           (long long)sl_conserved_result_nullity(r), (long long)sl_conserved_result_rejected(r),
           (long long)sl_conserved_result_count(r));
    CHECK(sl_conserved_result_nullity(r) > 2 && sl_conserved_result_count(r) == 2, "spurious directions rejected");
    for (int64_t j = 0; j < sl_conserved_result_count(r); ++j)
        CHECK(sl_conserved_result_relvar(r, j) < 1e-6, "kept ones pass");
    sl_conserved_result_destroy(r);
}

static void bad_input(sl_ctx *ctx)
{
    sl_system *s;
    sl_system_create(ctx, SL_SYSTEM_ISOTROPIC, &s);
    double lo[4], hi[4];
    sl_system_box(s, lo, hi);
    sl_features *lib;
    sl_features_create(ctx, 4, &lib);
    sl_features_add_monomials(lib, 1, 2);
    double *x = malloc(sizeof(double) * 4 * 200);
    sl_sample_box(ctx, 4, lo, hi, NULL, NULL, 200, 0, x);
    sl_conserved_result *r = (sl_conserved_result *)&r;
    const char *who = "sl_discover_conserved";
#define EXPECT(call, status, what)                                                                          \
    do {                                                                                                    \
        r = (sl_conserved_result *)&r;                                                                      \
        sl_status st_ = (call);                                                                             \
        CHECK(st_ == (status) && r == NULL, "%s: status %d (want %d)", what, st_, status);                  \
        CHECK(strncmp(sl_ctx_errmsg(ctx), who, strlen(who)) == 0, "%s: message %s", what, sl_ctx_errmsg(ctx)); \
    } while (0)
    x[17] = NAN;
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, NULL, NULL, 200, x, lib, &r), SL_ERR_NONFINITE, "NaN sample");
    x[17] = 0.5;
    EXPECT(sl_discover_conserved(ctx, NULL, fails, NULL, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_NUMERIC, "failing vector field");
    CHECK(strstr(sl_ctx_errmsg(ctx), "returned 5") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, NULL, NULL, 0, x, lib, &r), SL_ERR_ARG, "zero samples");
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, NULL, NULL, 10, x, lib, &r), SL_ERR_ARG, "fewer samples than features");
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, NULL, NULL, 0, NULL, lib, &r), SL_ERR_NULL, "no samples, no box");
    EXPECT(sl_discover_conserved(ctx, NULL, NULL, s, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_NULL, "NULL f");
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, lo, hi, 0, NULL, NULL, &r), SL_ERR_NULL, "NULL lib");
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 3, lo, hi, 0, NULL, lib, &r), SL_ERR_ARG, "d != library");
    sl_conserved_opts o = SL_CONSERVED_OPTS_INIT;
    /* the neural modes (tests/test_conserved_neural.c) check their own options */
    o.mode = SL_CONSERVED_NEURAL;
    o.nseeds = 0;
    EXPECT(sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_ARG, "neural mode, nseeds 0");
    CHECK(strstr(sl_ctx_errmsg(ctx), "opts->nseeds") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    o.mode = SL_CONSERVED_DEFLATION;
    o.nseeds = 1;
    o.hidden = 0;
    EXPECT(sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_ARG, "deflation mode, hidden 0");
    o.hidden = 64;
    o.mode = 7;
    EXPECT(sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_ARG, "unknown mode");
    sl_conserved_opts_init(&o);
    o.tolerance = NAN;
    EXPECT(sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_ARG, "NaN tolerance");
    sl_conserved_opts_init(&o);
    o.samples = 0;
    EXPECT(sl_discover_conserved(ctx, &o, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_ARG, "opts.samples = 0");
    double bad_hi[4] = {2, 2, NAN, 2};
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, lo, bad_hi, 0, NULL, lib, &r), SL_ERR_NONFINITE, "NaN box");
    /* duplicate columns: x1^2 as a user feature beside the monomial x1^2 */
    sl_features_add_function(lib, "xsq", x_squared, NULL);
    EXPECT(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r), SL_ERR_ARG, "duplicate feature");
    CHECK(strstr(sl_ctx_errmsg(ctx), "'x1^2'") && strstr(sl_ctx_errmsg(ctx), "'xsq'"), "names them: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_discover_conserved(ctx, NULL, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, NULL) == SL_ERR_NULL, "NULL out");
#undef EXPECT
    CHECK(sl_discover_conserved(NULL, NULL, sl_system_vector_field, s, 4, lo, hi, 0, NULL, lib, &r) == SL_ERR_NULL && r == NULL, "NULL ctx");
    CHECK(sl_conserved_result_count(NULL) == 0 && sl_conserved_result_formula(NULL, 0, 0) == NULL &&
          isnan(sl_conserved_result_relvar(NULL, 0)), "NULL result accessors");
    free(x);
    sl_features_destroy(lib);
    sl_system_destroy(s);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    table(ctx);
    sid_toy_and_files(ctx);
    rejection(ctx);
    bad_input(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
