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

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    table(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
