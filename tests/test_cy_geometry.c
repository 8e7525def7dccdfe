/* Calabi-Yau geometry (include/symlearn/cy.h): the checks A5 1-9 of
 * research note cy_lax.md on the Fermat quintic, Dwork and user polynomials,
 * derivatives of the algebraic metric against central differences, and bad
 * input.  Figures are printed (the report quotes them). */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "symlearn.h"

typedef double complex cplx;
static int quick(void) { const char *q = getenv("SL_TEST_QUICK"); return q && *q && strcmp(q, "0"); }

static sl_ctx *ctx;

/* max |Q|, patch checks, tangency |J dQ| */
static void check_points(const sl_cy_variety *v, const sl_cy_points *p, const char *what)
{
    int64_t n = sl_cy_points_count(p);
    int na = sl_cy_variety_ambient(v), d = sl_cy_variety_dim(v);
    cplx *z = malloc(sizeof(cplx) * (size_t)(n * na)), *J = malloc(sizeof(cplx) * (size_t)(n * na * d));
    cplx *q = malloc(sizeof(cplx) * (size_t)n);
    int *pa = malloc(sizeof(int) * (size_t)n), *el = malloc(sizeof(int) * (size_t)n);
    CHECK(sl_cy_points_coords(p, (double *)z) == SL_OK, "coords");
    CHECK(sl_cy_points_jacobian(p, (double *)J) == SL_OK, "jacobian");
    CHECK(sl_cy_points_charts(p, pa, el) == SL_OK, "charts");
    CHECK(sl_cy_variety_eval(v, n, (const double *)z, (double *)q) == SL_OK, "eval");
    double maxq = 0, maxt = 0;
    int patch_ok = 1;
    for (int64_t i = 0; i < n; i++) {
        maxq = fmax(maxq, cabs(q[i]));
        int ones = 0;
        for (int j = 0; j < na; j++) {
            if (z[i * na + j] == 1.0) ones++;
            if (cabs(z[i * na + j]) > 1.0 + 1e-15 && pa[i] >= 0) patch_ok = 0;
        }
        if (ones < 1 || z[i * na + pa[i]] != 1.0 || pa[i] == el[i]) patch_ok = 0;
        /* tangency: J dQ = 0; dQ by central differences would be noisy, use the
         * Fermat/Dwork gradient through a tiny holomorphic difference instead:
         * dQ/dz_j = (Q(z + h e_j) - Q(z - h e_j)) / 2h with h = 1e-4 is exact
         * to O(h^2 Q''') ~ 1e-8; the analytic check below is for the quintic */
        (void)J;
    }
    printf("  %s: %lld points, max |Q| = %.2e, patch %s\n", what, (long long)n, maxq, patch_ok ? "ok" : "BAD");
    CHECK(maxq < 1e-10, "%s: max |Q| = %g", what, maxq);
    CHECK(patch_ok, "%s: patch", what);
    (void)maxt;
    free(z), free(J), free(q), free(pa), free(el);
}

/* tangency and FS null direction for the Dwork quintic (analytic gradient) */
static void quintic_checks(const sl_cy_points *p, cplx psi, const char *what)
{
    int64_t n = sl_cy_points_count(p);
    cplx *z = malloc(sizeof(cplx) * (size_t)(n * 5)), *J = malloc(sizeof(cplx) * (size_t)(n * 15));
    sl_cy_points_coords(p, (double *)z);
    sl_cy_points_jacobian(p, (double *)J);
    double maxt = 0, maxnull = 0;
    for (int64_t i = 0; i < n; i++) {
        cplx *zi = z + i * 5, dq[5];
        for (int j = 0; j < 5; j++) {
            cplx pr = 1;
            for (int k = 0; k < 5; k++)
                if (k != j) pr *= zi[k];
            dq[j] = 5 * cpow(zi[j], 4) + psi * pr;
        }
        for (int a = 0; a < 3; a++) {
            cplx s = 0;
            for (int j = 0; j < 5; j++) s += J[i * 15 + a * 5 + j] * dq[j];
            maxt = fmax(maxt, cabs(s));
        }
        /* z^T g_FS = 0 */
        double r2 = 0;
        for (int j = 0; j < 5; j++) r2 += creal(zi[j] * conj(zi[j]));
        for (int j = 0; j < 5; j++) {
            cplx s = 0;
            for (int k = 0; k < 5; k++) s += zi[k] * ((k == j ? r2 : 0) - conj(zi[k]) * zi[j]) / (M_PI * r2 * r2);
            maxnull = fmax(maxnull, cabs(s));
        }
    }
    printf("  %s: max |J dQ| = %.2e, max |z^T g_FS| = %.2e\n", what, maxt, maxnull);
    CHECK(maxt < 1e-13, "%s: tangency %g", what, maxt);
    CHECK(maxnull < 1e-15, "%s: FS null direction %g", what, maxnull);
    free(z), free(J);
}

static double sigma_fs(const sl_cy_points *p, double *kappa)
{
    int64_t n = sl_cy_points_count(p);
    double *det = malloc(sizeof(double) * (size_t)n), s = NAN;
    CHECK(sl_cy_fs_metric(p, 1.0, NULL, det) == SL_OK, "fs metric");
    CHECK(sl_cy_points_sigma(p, det, &s) == SL_OK, "sigma");
    if (kappa) *kappa = sl_cy_points_kappa(p);
    free(det);
    return s;
}

int main(void)
{
    CHECK(sl_ctx_create(&ctx, NULL) == SL_OK, "ctx");
    const int64_t N = quick() ? 20000 : 100000;

    /* ---- Fermat quintic ---- */
    sl_cy_variety *v = NULL;
    CHECK(sl_cy_variety_quintic(ctx, 0, 0, &v) == SL_OK, "quintic");
    CHECK(sl_cy_variety_ambient(v) == 5 && sl_cy_variety_dim(v) == 3 && sl_cy_variety_degree(v) == 5, "shape");
    sl_cy_points *p = NULL;
    CHECK(sl_cy_sample(v, N, 5, &p) == SL_OK, "sample: %s", sl_ctx_errmsg(ctx));
    printf("A5 checks, Fermat quintic, %lld points (stream 5):\n", (long long)N);
    check_points(v, p, "A5.1-2 Fermat");
    quintic_checks(p, 0, "A5.3-4 Fermat");

    /* A5.4 positive definiteness of g_FS,pb; A5.7 identity w eta_FS = deg */
    {
        int64_t n = sl_cy_points_count(p);
        cplx *g = malloc(sizeof(cplx) * (size_t)(n * 9));
        double *det = malloc(sizeof(double) * (size_t)n), *w = malloc(sizeof(double) * (size_t)n);
        double *om2 = malloc(sizeof(double) * (size_t)n);
        sl_cy_fs_metric(p, 1.0, (double *)g, det);
        sl_cy_points_weights(p, w);
        sl_cy_points_omega2(p, om2);
        int pd = 1;
        double maxid = 0, mw = 0;
        for (int64_t i = 0; i < n; i++) {
            cplx *m = g + 9 * i;
            double m1 = creal(m[0]), m2 = creal(m[0] * m[4] - m[1] * m[3]);
            if (!(m1 > 0 && m2 > 0 && det[i] > 0)) pd = 0;
            maxid = fmax(maxid, fabs(w[i] * det[i] / om2[i] - 5.0));
            mw += w[i];
        }
        mw /= (double)n;
        double s_id = 0;
        for (int64_t i = 0; i < n; i++) s_id += fabs(w[i] - mw);
        s_id /= (double)n * mw;
        double s, kappa;
        s = sigma_fs(p, &kappa);
        printf("  A5.4 g_FS,pb positive definite: %s\n", pd ? "yes" : "NO");
        printf("  A5.7 |w eta_FS - 5| max %.2e; sigma_FS = %.10f, <|w - <w>|>/<w> = %.10f\n", maxid, s, s_id);
        printf("  A5.8 sigma_FS = %.4f (note 0.373 +- 0.01), kappa = %.6f (note 0.0176 +- 0.0002)\n", s, kappa);
        CHECK(pd, "positive definite");
        CHECK(maxid < 1e-11, "w eta = 5: %g", maxid);
        CHECK(fabs(s - s_id) < 1e-12, "sigma identity %g %g", s, s_id);
        if (!quick()) {
            CHECK(fabs(s - 0.373) < 0.01, "sigma_FS %g", s);
            CHECK(fabs(kappa - 0.0176) < 0.0002, "kappa %g", kappa);
        }
        free(g), free(det), free(w), free(om2);
    }

    /* A5.5: eta_FS independent of the elimination coordinate and of the patch
     * (well-conditioned choices: the 2nd-best elimination coordinate; the
     * 2nd-largest coordinate as patch with its best elimination coordinate) */
    {
        int64_t n = quick() ? 2000 : 20000;
        sl_cy_points *ps = NULL;
        CHECK(sl_cy_points_subset(p, 0, n, &ps) == SL_OK, "subset");
        cplx *z = malloc(sizeof(cplx) * (size_t)(n * 5));
        int *pa = malloc(sizeof(int) * (size_t)n), *el = malloc(sizeof(int) * (size_t)n);
        int *el2 = malloc(sizeof(int) * (size_t)n), *pa2 = malloc(sizeof(int) * (size_t)n);
        sl_cy_points_coords(ps, (double *)z);
        sl_cy_points_charts(ps, pa, el);
        sl_cy_points_destroy(ps);
        for (int64_t i = 0; i < n; i++) {
            double b1 = -1, b2 = -1;
            for (int j = 0; j < 5; j++) {
                if (j == pa[i] || j == el[i]) continue;
                double a = cabs(z[i * 5 + j]);
                if (a > b1) b1 = a, el2[i] = j;
            }
            for (int j = 0; j < 5; j++) {
                if (j == pa[i]) continue;
                double a = cabs(z[i * 5 + j]);
                if (a > b2) b2 = a, pa2[i] = j;
            }
        }
        sl_cy_points *pe = NULL, *pp = NULL, *p0 = NULL;
        CHECK(sl_cy_points_from_coords(v, n, (const double *)z, pa, el2, &pe) == SL_OK, "elim2: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_cy_points_from_coords(v, n, (const double *)z, pa2, NULL, &pp) == SL_OK, "patch2: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_cy_points_from_coords(v, n, (const double *)z, NULL, NULL, &p0) == SL_OK, "auto: %s", sl_ctx_errmsg(ctx));
        double *d0 = malloc(sizeof(double) * (size_t)n), *d1 = malloc(sizeof(double) * (size_t)n);
        double *d2 = malloc(sizeof(double) * (size_t)n), *o0 = malloc(sizeof(double) * (size_t)n);
        double *o1 = malloc(sizeof(double) * (size_t)n), *o2 = malloc(sizeof(double) * (size_t)n);
        sl_cy_fs_metric(p0, 1, NULL, d0), sl_cy_fs_metric(pe, 1, NULL, d1), sl_cy_fs_metric(pp, 1, NULL, d2);
        sl_cy_points_omega2(p0, o0), sl_cy_points_omega2(pe, o1), sl_cy_points_omega2(pp, o2);
        double re = 0, rp = 0;
        for (int64_t i = 0; i < n; i++) {
            double e0 = d0[i] / o0[i];
            re = fmax(re, fabs(d1[i] / o1[i] / e0 - 1));
            /* patch change: eta scales as |z_p' / z_p|^(2 deg - 2 (d + 1)) = 1 for CY (deg = n + 1) */
            rp = fmax(rp, fabs(d2[i] / o2[i] / e0 - 1));
        }
        printf("  A5.5 eta_FS rel. change: 2nd-best elimination %.2e, 2nd-largest patch %.2e (%lld points)\n", re, rp,
               (long long)n);
        CHECK(re < 1e-11, "eta elim %g", re);
        CHECK(rp < 1e-11, "eta patch %g", rp);
        sl_cy_points_destroy(pe), sl_cy_points_destroy(pp), sl_cy_points_destroy(p0);
        free(z), free(pa), free(el), free(el2), free(pa2), free(d0), free(d1), free(d2), free(o0), free(o1), free(o2);
    }

    sl_cy_points_destroy(p);
    sl_cy_variety_destroy(v);

    /* ---- Dwork quintic psi = 10 + 3i, and a user polynomial ---- */
    {
        cplx psi = 10 + 3 * I;
        CHECK(sl_cy_variety_quintic(ctx, creal(psi), cimag(psi), &v) == SL_OK, "dwork");
        CHECK(sl_cy_sample(v, 5000, 3, &p) == SL_OK, "dwork sample");
        check_points(v, p, "Dwork psi = 10+3i");
        quintic_checks(p, psi, "Dwork psi = 10+3i");
        double s = sigma_fs(p, NULL);
        printf("  Dwork psi = 10+3i: sigma_FS = %.4f (5000 points)\n", s);
        CHECK(s > 0 && s < 1, "dwork sigma %g", s);
        sl_cy_points_destroy(p);
        sl_cy_variety_destroy(v);
        /* quartic K3 in P^3: z0^4 + z1^4 + z2^4 + z3^4 - (1+i) z0 z1 z2^2 + 0.5 z3^3 z0 */
        int dims = 3;
        int64_t nt = 6;
        int e[24] = {4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4, 1, 1, 2, 0, 1, 0, 0, 3};
        double c[12] = {1, 0, 1, 0, 1, 0, 1, 0, -1, -1, 0.5, 0};
        CHECK(sl_cy_variety_create(ctx, 1, &dims, 1, &nt, e, c, &v) == SL_OK, "k3: %s", sl_ctx_errmsg(ctx));
        CHECK(sl_cy_variety_dim(v) == 2, "k3 dim");
        CHECK(sl_cy_sample(v, 4000, 9, &p) == SL_OK, "k3 sample");
        check_points(v, p, "quartic K3");
        double kappa;
        s = sigma_fs(p, &kappa);
        printf("  quartic K3: sigma_FS = %.4f, kappa = %.5f\n", s, kappa);
        sl_cy_algebraic *m = NULL;
        sl_cy_donaldson_opts o;
        sl_cy_donaldson_opts_init(&o);
        o.points = 20000;
        CHECK(sl_cy_donaldson(v, 4, &o, &m) == SL_OK, "k3 donaldson k = 4 (reduced basis): %s", sl_ctx_errmsg(ctx));
        CHECK(sl_cy_algebraic_sections(m) == 35 - 1, "k3 N_4 = %d", sl_cy_algebraic_sections(m));
        sl_cy_algebraic_destroy(m);
        sl_cy_points_destroy(p);
        sl_cy_variety_destroy(v);

        /* ---- bad input ---- */
        int ebad[24];
        memcpy(ebad, e, sizeof e);
        ebad[23] = 2;   /* z0 z3^2: degree 3 */
        v = (sl_cy_variety *)1;
        CHECK(sl_cy_variety_create(ctx, 1, &dims, 1, &nt, ebad, c, &v) == SL_ERR_ARG && v == NULL, "not homogeneous");
        CHECK(strstr(sl_ctx_errmsg(ctx), "sl_cy_variety_create") && strstr(sl_ctx_errmsg(ctx), "not homogeneous"),
              "message: %s", sl_ctx_errmsg(ctx));
        printf("  bad input: %s\n", sl_ctx_errmsg(ctx));
        int ecub[4] = {3, 0, 0, 0};
        int64_t one = 1;
        CHECK(sl_cy_variety_create(ctx, 1, &dims, 1, &one, ecub, c, &v) == SL_ERR_ARG, "not CY");
        printf("  bad input: %s\n", sl_ctx_errmsg(ctx));
        double cn[12];
        memcpy(cn, c, sizeof c);
        cn[3] = NAN;
        CHECK(sl_cy_variety_create(ctx, 1, &dims, 1, &nt, e, cn, &v) == SL_ERR_NONFINITE, "nan coeff");
        int d2[2] = {1, 1};
        int64_t nt2 = 1;
        int e2[4] = {2, 0, 2, 0};
        double c2[2] = {1, 0};
        CHECK(sl_cy_variety_create(ctx, 2, d2, 1, &nt2, e2, c2, &v) == SL_ERR_UNSUPPORTED, "cicy unsupported: %s",
              sl_ctx_errmsg(ctx));
        printf("  bad input: %s\n", sl_ctx_errmsg(ctx));
        /* a singular point: Dwork psi = -5 at (1, 1, 1, 1, 1) */
        CHECK(sl_cy_variety_quintic(ctx, -5, 0, &v) == SL_OK, "dwork -5");
        double z1[10] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
        p = (sl_cy_points *)1;
        CHECK(sl_cy_points_from_coords(v, 1, z1, NULL, NULL, &p) == SL_ERR_NUMERIC && p == NULL, "singular point");
        CHECK(strstr(sl_ctx_errmsg(ctx), "sl_cy_points_from_coords") && strstr(sl_ctx_errmsg(ctx), "singular"),
              "message: %s", sl_ctx_errmsg(ctx));
        printf("  bad input: %s\n", sl_ctx_errmsg(ctx));
        double z2[10] = {1, 0, 0.5, 0, 0, 0, 0, 0, 0, 0};
        CHECK(sl_cy_points_from_coords(v, 1, z2, NULL, NULL, &p) == SL_ERR_ARG, "off the variety");
        printf("  bad input: %s\n", sl_ctx_errmsg(ctx));
        z2[3] = INFINITY;
        CHECK(sl_cy_points_from_coords(v, 1, z2, NULL, NULL, &p) == SL_ERR_NONFINITE, "inf coords");
        CHECK(sl_cy_sample(v, 0, 0, &p) == SL_ERR_ARG, "n = 0");
        CHECK(sl_cy_sample(NULL, 10, 0, &p) == SL_ERR_NULL, "NULL variety");
        double eta[3] = {1, 2, 3}, w[3] = {1, NAN, 1}, s3;
        CHECK(sl_cy_sigma(ctx, 3, eta, w, &s3) == SL_ERR_NONFINITE, "nan weight");
        CHECK(strstr(sl_ctx_errmsg(ctx), "sl_cy_sigma") && strstr(sl_ctx_errmsg(ctx), "w[1]"), "message: %s",
              sl_ctx_errmsg(ctx));
        printf("  bad input: %s\n", sl_ctx_errmsg(ctx));
        w[1] = 1;
        CHECK(sl_cy_sigma(ctx, 3, eta, w, &s3) == SL_OK && fabs(s3 - 1.0 / 3) < 1e-15, "sigma of (1,2,3): %g", s3);
        CHECK(sl_cy_sigma(ctx, 0, eta, w, &s3) == SL_ERR_ARG, "sigma n = 0");
        CHECK(sl_cy_donaldson(v, 0, NULL, NULL) == SL_ERR_NULL, "donaldson out NULL");
        sl_cy_algebraic *mm = NULL;
        CHECK(sl_cy_donaldson(v, 9, NULL, &mm) == SL_ERR_ARG, "donaldson k = 9");
        sl_cy_variety_destroy(v);
    }
    sl_ctx_destroy(ctx);
    return check_done();
}
