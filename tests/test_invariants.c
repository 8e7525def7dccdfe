/* Siamese invariants (discover.h, Wetzel et al. 2020): the encoder trained on
 * grouped samples, read by a fit onto monomials of degree <= 2, recovers
 *  - the Minkowski norm t^2 - x^2 - y^2 - z^2 of 4-vectors grouped by it;
 *  - E.B and E^2 - B^2 of 6-vectors (E, B) grouped by one of them;
 * to 1e-2 in the normalised coefficients; the contrastive and ConservNet
 * losses; the encoder on new points; bad input. */
#include <string.h>

#include "check.h"
#include "symlearn.h"

enum { G = 48, PER = 32, N = G * PER };

static int quick(void) { return getenv("SL_TEST_QUICK") != NULL; }

/* 4-vectors (t, x, y, z) with t^2 - |x|^2 = s_g for group g: x ~ N(0, 1)^3,
 * t = +-sqrt(s_g + |x|^2) (random sign), s_g ~ U(-1, 2), resampled while
 * s_g + |x|^2 < 0.05. */
static void minkowski(double *x, int64_t *group)
{
    uint64_t k = 0;
    for (int g = 0; g < G; ++g) {
        double s = -1 + 3 * sl_rng_uniform(71, (uint64_t)g);
        for (int i = 0; i < PER; ++i) {
            double *v = x + (g * PER + i) * 4, r2;
            do {
                for (int j = 1; j < 4; ++j) v[j] = sl_rng_normal(72, k++);
                r2 = v[1] * v[1] + v[2] * v[2] + v[3] * v[3];
            } while (s + r2 < 0.05);
            v[0] = sqrt(s + r2) * (sl_rng_uniform(73, k++) < 0.5 ? -1 : 1);
            group[g * PER + i] = 1000 + 7 * g;   /* any labels */
        }
    }
}

/* (E, B) with E.B = c_g (which = 0) or E^2 - B^2 = c_g (which = 1), c_g ~ U(-1, 1). */
static void em_fields(int which, double *x, int64_t *group)
{
    uint64_t k = 0;
    for (int g = 0; g < G; ++g) {
        double c = -1 + 2 * sl_rng_uniform(81 + (uint64_t)which, (uint64_t)g);
        for (int i = 0; i < PER; ++i) {
            double *E = x + (g * PER + i) * 6, *B = E + 3;
            for (;;) {
                for (int j = 0; j < 3; ++j) E[j] = sl_rng_normal(83, k++), B[j] = sl_rng_normal(83, k++);
                double ee = E[0] * E[0] + E[1] * E[1] + E[2] * E[2], bb = B[0] * B[0] + B[1] * B[1] + B[2] * B[2];
                if (which == 0) {   /* B += (c - E.B) E / |E|^2 */
                    if (ee < 0.1) continue;
                    double eb = E[0] * B[0] + E[1] * B[1] + E[2] * B[2];
                    for (int j = 0; j < 3; ++j) B[j] += (c - eb) * E[j] / ee;
                    break;
                }
                double s = ee + bb;   /* keep E^2 + B^2, set E^2 - B^2 = c */
                if (s < fabs(c) + 0.1) continue;
                double fe = sqrt((s + c) / 2 / ee), fb = sqrt((s - c) / 2 / bb);
                for (int j = 0; j < 3; ++j) E[j] *= fe, B[j] *= fb;
                break;
            }
            group[g * PER + i] = g;
        }
    }
}

/* The non-constant coefficients and want, each normalised to unit length
 * (sign aligned): the largest componentwise difference.  *rel receives the
 * difference after scaling coef onto want (least squares) over want's largest
 * entry, a stricter figure printed alongside. */
static double coef_error(int64_t d, const double *coef, const double *want, double *rel)
{
    int64_t K = SL_INVARIANT_NMONO(d);
    double cc = 0, ww = 0, cw = 0, wbig = 0;
    for (int64_t k = 1; k < K; ++k)
        cc += coef[k] * coef[k], ww += want[k] * want[k], cw += coef[k] * want[k], wbig = fmax(wbig, fabs(want[k]));
    double sgn = cw < 0 ? -1 : 1, e = 0, alpha = cw / ww;
    *rel = 0;
    for (int64_t k = 1; k < K; ++k) {
        e = fmax(e, fabs(sgn * coef[k] / sqrt(cc) - want[k] / sqrt(ww)));
        *rel = fmax(*rel, fabs(coef[k] / alpha - want[k]) / wbig);
    }
    return e;
}

static int64_t mono_index(int64_t d, int64_t i, int64_t j)   /* x_i x_j, i <= j */
{
    int64_t k = 1 + d;
    for (int64_t a = 0; a < i; ++a) k += d - a;
    return k + (j - i);
}

static void print_coef(const char *what, int64_t d, const double *c)
{
    printf("  %s:", what);
    for (int64_t i = 0; i < d; ++i)
        if (fabs(c[1 + i]) > 5e-3) printf(" %+.4f x%lld", c[1 + i], (long long)i);
    for (int64_t i = 0; i < d; ++i)
        for (int64_t j = i; j < d; ++j) {
            double v = c[mono_index(d, i, j)];
            if (fabs(v) > 5e-3) printf(" %+.4f x%lld x%lld", v, (long long)i, (long long)j);
        }
    printf("\n");
}

static sl_invariant_result *run(sl_ctx *ctx, const char *name, int64_t d, const double *x, const int64_t *group,
                                const sl_invariant_opts *o)
{
    sl_invariant_result *r = NULL;
    sl_status st = sl_discover_invariants(ctx, N, d, x, group, o, &r);
    CHECK(st == SL_OK && r, "%s: sl_discover_invariants: %s", name, sl_ctx_errmsg(ctx));
    if (!r) return NULL;
    const double *loss;
    int nl = sl_invariant_result_losses(r, &loss);
    printf("  %s: loss %.4f -> %.4f, accuracy %.4f\n", name, loss[0], loss[nl - 1], sl_invariant_result_accuracy(r));
    CHECK(nl == o->steps + 1 && loss[nl - 1] < loss[0], "%s: the loss went down", name);
    return r;
}

static void check_fit(sl_ctx *ctx, const char *name, sl_invariant_result *r, int latent, const double *want, double tol)
{
    int64_t d = sl_invariant_result_dim(r), K = SL_INVARIANT_NMONO(d);
    double coef[64], res;
    for (int mode = SL_INVARIANT_FIT_GRADIENT; mode >= SL_INVARIANT_FIT_VALUE; --mode) {
        sl_status st = sl_invariant_result_fit(r, latent, mode, 0, NULL, coef, &res);
        CHECK(st == SL_OK, "%s fit: %s", name, sl_ctx_errmsg(ctx));
        double rel, e = coef_error(d, coef, want, &rel);
        char what[128];
        snprintf(what, sizeof what, "%s, %s fit (residual %.3g, unit-norm error %.2e, relative %.2e)", name,
                 mode ? "gradient" : "value", res, e, rel);
        print_coef(what, d, coef);
        if (mode == SL_INVARIANT_FIT_GRADIENT)
            CHECK(e < tol, "%s: gradient fit normalised coefficients off by %.3g (tol %g)", name, e, tol);
    }
    (void)K;
}

static void test_minkowski(sl_ctx *ctx)
{
    static double x[N * 4];
    static int64_t group[N];
    minkowski(x, group);
    sl_invariant_opts o;
    sl_invariant_opts_init(&o);
    o.steps = quick() ? 60 : o.steps;
    sl_invariant_result *r = run(ctx, "minkowski (BCE)", 4, x, group, &o);
    if (!r) return;
    double want[15] = {0};
    want[mono_index(4, 0, 0)] = 1;
    for (int i = 1; i < 4; ++i) want[mono_index(4, i, i)] = -1;
    if (!quick()) {
        CHECK(sl_invariant_result_accuracy(r) > 0.9, "minkowski accuracy %.3f", sl_invariant_result_accuracy(r));
        check_fit(ctx, "minkowski", r, 0, want, 1e-2);
    }
    /* the encoder on new points of one orbit is (nearly) constant, and matches
     * the grad of a finite difference */
    double pts[8 * 4], f[8], gr[8 * 4];
    for (int i = 0; i < 8; ++i) {
        double eta = 0.2 * i - 0.7, ch = cosh(eta), sh = sinh(eta), p[4] = {1.3, 0.4, -0.2, 0.5};
        pts[i * 4 + 0] = ch * p[0] + sh * p[1];
        pts[i * 4 + 1] = sh * p[0] + ch * p[1];
        pts[i * 4 + 2] = p[2], pts[i * 4 + 3] = p[3];
    }
    CHECK(sl_invariant_result_encode(r, 8, pts, f, gr) == SL_OK, "encode: %s", sl_ctx_errmsg(ctx));
    double h = 1e-6, xp[4], fp, fm, fderr = 0;
    for (int j = 0; j < 4; ++j) {
        memcpy(xp, pts, sizeof xp);
        xp[j] += h;
        sl_invariant_result_encode(r, 1, xp, &fp, NULL);
        xp[j] -= 2 * h;
        sl_invariant_result_encode(r, 1, xp, &fm, NULL);
        fderr = fmax(fderr, fabs((fp - fm) / (2 * h) - gr[j]));
    }
    CHECK(fderr < 1e-6, "encode gradient vs central differences: %.3g", fderr);
    sl_invariant_result_destroy(r);
}

static void test_em(sl_ctx *ctx)
{
    static double x[N * 6];
    static int64_t group[N];
    for (int which = 0; which < 2; ++which) {
        em_fields(which, x, group);
        sl_invariant_opts o;
        sl_invariant_opts_init(&o);
        o.steps = quick() ? 40 : o.steps;
        const char *name = which ? "EM E^2 - B^2 (BCE)" : "EM E.B (BCE)";
        sl_invariant_result *r = run(ctx, name, 6, x, group, &o);
        if (!r) continue;
        double want[28] = {0};
        for (int i = 0; i < 3; ++i) {
            if (which == 0) want[mono_index(6, i, i + 3)] = 1;
            else want[mono_index(6, i, i)] = 1, want[mono_index(6, i + 3, i + 3)] = -1;
        }
        if (!quick()) check_fit(ctx, name, r, 0, want, 1e-2);
        sl_invariant_result_destroy(r);
    }
}

/* Contrastive and ConservNet losses: short runs whose loss goes down. */
static void test_other_losses(sl_ctx *ctx)
{
    static double x[N * 4];
    static int64_t group[N];
    minkowski(x, group);
    for (int loss = SL_INVARIANT_LOSS_CONTRASTIVE; loss <= SL_INVARIANT_LOSS_CONSERVNET; ++loss) {
        sl_invariant_opts o;
        sl_invariant_opts_init(&o);
        o.loss = loss, o.steps = 60, o.npairs = 256, o.hidden = 16;
        sl_invariant_result *r = run(ctx, loss == SL_INVARIANT_LOSS_CONTRASTIVE ? "minkowski (contrastive)" : "minkowski (ConservNet)",
                                     4, x, group, &o);
        double acc = sl_invariant_result_accuracy(r);
        CHECK(loss == SL_INVARIANT_LOSS_CONSERVNET ? isnan(acc) : acc > 0.5, "accuracy %g", acc);
        sl_invariant_result_destroy(r);
    }
}

static void test_bad_input(sl_ctx *ctx)
{
    double x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, coef[8];
    int64_t grp[4] = {0, 0, 1, 1}, one[4] = {3, 3, 3, 3}, apart[4] = {0, 1, 2, 3};
    sl_invariant_result *r = (sl_invariant_result *)x;
    sl_invariant_opts o;
#define BAD(expr, status, text)                                                                                \
    do {                                                                                                       \
        r = (sl_invariant_result *)x;                                                                          \
        sl_status st_ = (expr);                                                                                \
        CHECK(st_ == (status) && strstr(sl_ctx_errmsg(ctx), text) && !r, "%s: %d \"%s\"", #expr, st_, sl_ctx_errmsg(ctx)); \
    } while (0)
    CHECK(sl_discover_invariants(NULL, 4, 2, x, grp, NULL, &r) == SL_ERR_NULL, "NULL ctx");
    BAD(sl_discover_invariants(ctx, 4, 2, NULL, grp, NULL, &r), SL_ERR_NULL, "sl_discover_invariants: x is NULL");
    BAD(sl_discover_invariants(ctx, 4, 2, x, NULL, NULL, &r), SL_ERR_NULL, "sl_discover_invariants: group is NULL");
    BAD(sl_discover_invariants(ctx, 1, 2, x, grp, NULL, &r), SL_ERR_ARG, "sl_discover_invariants: n = 1");
    BAD(sl_discover_invariants(ctx, 4, 0, x, grp, NULL, &r), SL_ERR_ARG, "sl_discover_invariants: d = 0");
    BAD(sl_discover_invariants(ctx, INT64_MAX, 4, x, grp, NULL, &r), SL_ERR_SHAPE, "sl_discover_invariants: n x d");
    BAD(sl_discover_invariants(ctx, 4, 2, x, one, NULL, &r), SL_ERR_ARG, "one group");
    BAD(sl_discover_invariants(ctx, 4, 2, x, apart, NULL, &r), SL_ERR_ARG, "every group has one sample");
    sl_invariant_opts_init(&o), o.loss = 7;
    BAD(sl_discover_invariants(ctx, 4, 2, x, grp, &o, &r), SL_ERR_ARG, "sl_discover_invariants: opts->loss = 7");
    sl_invariant_opts_init(&o), o.activation = 0;
    BAD(sl_discover_invariants(ctx, 4, 2, x, grp, &o, &r), SL_ERR_ARG, "opts->activation = 0");
    sl_invariant_opts_init(&o), o.nlatent = 0;
    BAD(sl_discover_invariants(ctx, 4, 2, x, grp, &o, &r), SL_ERR_ARG, "opts->nlatent = 0");
    sl_invariant_opts_init(&o), o.lr = NAN;
    BAD(sl_discover_invariants(ctx, 4, 2, x, grp, &o, &r), SL_ERR_ARG, "opts->lr = nan");
    sl_invariant_opts_init(&o), o.npairs = (int64_t)1 << 40;
    BAD(sl_discover_invariants(ctx, 4, 2, x, grp, &o, &r), SL_ERR_ARG, "opts->npairs");
    x[5] = NAN;
    BAD(sl_discover_invariants(ctx, 4, 2, x, grp, NULL, &r), SL_ERR_NONFINITE, "sl_discover_invariants: x[5] = nan (sample 2)");
    x[5] = 6;
    sl_invariant_opts_init(&o), o.steps = 2, o.npairs = 4;
    CHECK(sl_discover_invariants(ctx, 4, 2, x, grp, &o, &r) == SL_OK, "tiny run: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_invariant_result_fit(r, 1, 0, 0, NULL, coef, NULL) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_invariant_result_fit: latent = 1"),
          "fit latent: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_invariant_result_fit(r, 0, 5, 0, NULL, coef, NULL) == SL_ERR_ARG, "fit mode");
    CHECK(sl_invariant_result_fit(r, 0, 0, 0, NULL, coef, NULL) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "m = 4 points for 6 monomials"),
          "fit too few points: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_invariant_result_encode(r, 0, x, coef, NULL) == SL_ERR_ARG && sl_invariant_result_encode(r, 1, NULL, coef, NULL) == SL_ERR_NULL,
          "encode bad input");
    CHECK(sl_invariant_result_dim(r) == 2 && sl_invariant_result_nlatent(r) == 1 &&
          sl_invariant_result_nweights(r) == 2 * 32 + 32 + 32 * 32 + 32 + 32 + 1, "queries (%lld weights)",
          (long long)sl_invariant_result_nweights(r));
    sl_invariant_result_destroy(r);
    sl_invariant_result_destroy(NULL);
    CHECK(isnan(sl_invariant_result_accuracy(NULL)) && sl_invariant_result_losses(NULL, NULL) == 0 &&
          sl_invariant_result_fit(NULL, 0, 0, 0, NULL, coef, NULL) == SL_ERR_NULL, "NULL result");
    const sl_invariant_opts lit = SL_INVARIANT_OPTS_INIT;
    sl_invariant_opts_init(&o);
    CHECK(lit.size == o.size && lit.nlatent == o.nlatent && lit.depth == o.depth && lit.hidden == o.hidden &&
          lit.activation == o.activation && lit.loss == o.loss && lit.npairs == o.npairs && lit.steps == o.steps &&
          lit.lr == o.lr && lit.margin == o.margin && lit.noise == o.noise && lit.seed == o.seed,
          "SL_INVARIANT_OPTS_INIT equals the initialiser");
#undef BAD
}

int main(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_ctx_set_threads(ctx, 1);
    test_minkowski(ctx);
    test_em(ctx);
    test_other_losses(ctx);
    test_bad_input(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
