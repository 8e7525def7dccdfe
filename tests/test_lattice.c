/* Lattice basics: SU(N) utilities and the exact checks 1-4 of lcnn.md
 * (identity, centre, constant flux, the smooth golden configuration). */
#include "lattice_util.h"

typedef struct { int a, b; } loop_arg;
static sl_node *b_loop(sl_graph *g, sl_node *U, void *u)
{
    loop_arg *l = u;
    return sl_graph_wilson_loop(g, U, 0, 1, l->a, l->b);
}
static sl_node *b_poly(sl_graph *g, sl_node *U, void *u) { (void)u; return sl_graph_polyakov(g, U); }
static sl_node *b_plaq(sl_graph *g, sl_node *U, void *u) { return sl_graph_plaquette(g, U, *(int *)u, 0); }
static sl_node *b_clover(sl_graph *g, sl_node *U, void *u) { (void)u; return sl_graph_plaquette(g, U, 2, 1); }

static double loop_mean(int L, int nc, const cz *links, int a, int b, double *lo, double *hi)
{
    int64_t dims[2] = {L, L}, n;
    sl_dtype dt;
    loop_arg la = {a, b};
    cz *w = lat_eval(2, dims, nc, links, b_loop, &la, &n, &dt);
    if (!w) return NAN;
    double m = retr_mean(w, n / (nc * nc), nc, lo, hi);
    free(w);
    return m;
}

static void test_su_utils(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    for (int nc = 2; nc <= 5; ++nc) {
        int n2 = nc * nc;
        double *m = malloc(sizeof(double) * 2 * (size_t)(50 * n2));
        CHECK(sl_su_random(ctx, nc, 50, 7, m) == SL_OK, "su_random");
        double eu = 0, ed = 0, tr = 0;
        for (int i = 0; i < 50; ++i) {
            cz *a = (cz *)m + i * n2, s = 0, det;
            for (int r = 0; r < nc; ++r)
                for (int c = 0; c < nc; ++c) {
                    cz d = 0;
                    for (int k = 0; k < nc; ++k) d += a[r * nc + k] * conj(a[c * nc + k]);
                    eu = fmax(eu, cabs(d - (r == c)));
                }
            for (int k = 0; k < nc; ++k) s += a[k * nc + k];
            tr += creal(s);
            /* det via the library's reunitarize being a no-op on SU(N) */
            cz b[25];
            memcpy(b, a, sizeof(cz) * (size_t)n2);
            sl_su_reunitarize(ctx, nc, 1, (double *)b);
            det = 0;
            for (int k = 0; k < n2; ++k) det += cabs(b[k] - a[k]);
            ed = fmax(ed, creal(det));
        }
        CHECK(eu < 1e-13, "SU(%d) random unitary: %g", nc, eu);
        CHECK(ed < 1e-13, "SU(%d) random has det 1 (reunitarize is identity): %g", nc, ed);
        CHECK(fabs(tr / 50) < 1.0, "SU(%d) Haar mean trace %g", nc, tr / 50);
        /* exp of su(N): unitary; closed forms (N = 2, 3) agree with Taylor via
         * exp(iH)exp(-iH) = 1 and exp(2iH) = exp(iH)^2 */
        double *h = malloc(sizeof(double) * 2 * (size_t)(3 * n2)), *e = malloc(sizeof(double) * 2 * (size_t)(3 * n2));
        sl_rng_fill_normal(3, 0, (size_t)(6 * n2), 0, 1, h);
        for (int i = 0; i < 3; ++i) {   /* Hermitian traceless, norm ~ 1..3 */
            cz *a = (cz *)h + i * n2, t = 0;
            for (int r = 0; r < nc; ++r)
                for (int c = 0; c < r; ++c) a[c * nc + r] = conj(a[r * nc + c]);
            for (int r = 0; r < nc; ++r) { a[r * nc + r] = creal(a[r * nc + r]); t += a[r * nc + r]; }
            for (int r = 0; r < nc; ++r) a[r * nc + r] -= t / nc;
        }
        sl_su_exp(ctx, nc, 3, h, e);
        double eexp = 0;
        for (int i = 0; i < 3; ++i) {
            cz *a = (cz *)h + i * n2, h2[25], e2[25], ee[25];
            for (int k = 0; k < n2; ++k) h2[k] = 2 * a[k];
            sl_su_exp(ctx, nc, 1, (double *)h2, (double *)e2);
            cz *x = (cz *)e + i * n2;
            for (int r = 0; r < nc; ++r)
                for (int c = 0; c < nc; ++c) {
                    cz s = 0;
                    for (int k = 0; k < nc; ++k) s += x[r * nc + k] * x[k * nc + c];
                    ee[r * nc + c] = s;
                }
            for (int k = 0; k < n2; ++k) eexp = fmax(eexp, cabs(ee[k] - e2[k]));
        }
        CHECK(eexp < 1e-12, "SU(%d) exp(2iH) = exp(iH)^2: %g", nc, eexp);
        free(h), free(e), free(m);
    }
    /* N = 3 closed form against the N = 3 result of a 3x3 block in SU(4)
     * (Taylor path): exp(i diag(H, 0)) = diag(exp(iH), 1) */
    {
        double h3[18], h4[32] = {0}, e3[18], e4[32];
        sl_rng_fill_normal(5, 0, 18, 0, 1, h3);
        cz *a = (cz *)h3, t = 0;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < r; ++c) a[c * 3 + r] = conj(a[r * 3 + c]);
        for (int r = 0; r < 3; ++r) { a[r * 3 + r] = creal(a[r * 3 + r]); t += a[r * 3 + r]; }
        for (int r = 0; r < 3; ++r) a[r * 3 + r] -= t / 3;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c) ((cz *)h4)[r * 4 + c] = a[r * 3 + c];
        sl_su_exp(ctx, 3, 1, h3, e3);
        sl_su_exp(ctx, 4, 1, h4, e4);
        double d = 0;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c) d = fmax(d, cabs(((cz *)e3)[r * 3 + c] - ((cz *)e4)[r * 4 + c]));
        CHECK(d < 1e-13, "SU(3) closed-form exp vs Taylor: %g", d);
    }
    /* bad input */
    double x[8];
    CHECK(sl_su_random(ctx, 1, 1, 0, x) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "nc"), "nc = 1: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_su_random(ctx, 2, 1, 0, NULL) == SL_ERR_NULL, "NULL out");
    x[0] = NAN;
    CHECK(sl_su_reunitarize(ctx, 2, 1, x) == SL_ERR_NONFINITE, "NaN reunitarize");
    CHECK(sl_su_random(NULL, 2, 1, 0, x) == SL_ERR_NULL, "NULL ctx");
    sl_ctx_destroy(ctx);
}

static void test_identity_centre(void)
{
    int L = 6, nc = 2;
    int64_t dims[2] = {L, L}, n;
    sl_dtype dt;
    cz *links = calloc((size_t)(L * L * 2 * 4), sizeof(cz));
    for (int l = 0; l < L * L * 2; ++l) links[l * 4] = links[l * 4 + 3] = 1;
    double lo, hi;
    for (int a = 1; a <= 3; ++a) {
        double m = loop_mean(L, nc, links, a, a, &lo, &hi);
        CHECK(lo == 1 && hi == 1 && m == 1, "check 1: U = 1, W%dx%d = 1 (%g..%g)", a, a, lo, hi);
    }
    cz *p = lat_eval(2, dims, nc, links, b_poly, NULL, &n, &dt);
    retr_mean(p, n / 4, 2, &lo, &hi);
    CHECK(lo == 1 && hi == 1, "check 1: Polyakov = 1");
    free(p);
    /* centre: U(x,0) = -1 on x0 = 0 */
    for (int x1 = 0; x1 < L; ++x1) links[(x1 * 2 + 0) * 4] = links[(x1 * 2 + 0) * 4 + 3] = -1;
    int two = 2;
    p = lat_eval(2, dims, nc, links, b_plaq, &two, &n, &dt);
    retr_mean(p, n / 4, 2, &lo, &hi);
    CHECK(lo == 1 && hi == 1 && n == 2 * L * L * 4, "check 2: plaquettes = 1 under a centre twist");
    free(p);
    p = lat_eval(2, dims, nc, links, b_poly, NULL, &n, &dt);
    double lo0, hi0, lo1, hi1;
    retr_mean(p, L * L, 2, &lo0, &hi0);
    retr_mean(p + L * L * 4, L * L, 2, &lo1, &hi1);
    CHECK(lo0 == -1 && hi0 == -1 && lo1 == 1 && hi1 == 1, "check 2: Poly_0 = -1, Poly_1 = 1 (%g %g %g %g)", lo0, hi0, lo1, hi1);
    free(p);
    free(links);
}

static void test_flux(void)
{
    int L = 8;
    cz *links = malloc(sizeof(cz) * (size_t)(L * L * 2 * 9));
    const struct { int n, a, b; double v; } cases[] = {
        {1, 1, 1, 0.995184726672197}, {1, 1, 2, 0.980785280403230}, {1, 2, 2, 0.923879532511287},
        {1, 3, 3, 0.634393284163645}, {1, 4, 4, 0}, {2, 2, 2, 0.707106781186548}, {2, 4, 4, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        double lo, hi;
        flux_config(L, cases[i].n, 2, links);
        loop_mean(L, 2, links, cases[i].a, cases[i].b, &lo, &hi);
        CHECK(fabs(lo - cases[i].v) < 1e-14 && fabs(hi - cases[i].v) < 1e-14,
              "check 3: n=%d W%dx%d at every site %.16g..%.16g vs %.15f", cases[i].n, cases[i].a, cases[i].b, lo, hi, cases[i].v);
        flux_config(L, cases[i].n, 3, links);
        loop_mean(L, 3, links, cases[i].a, cases[i].b, &lo, &hi);
        double v3 = (2 * cases[i].v + 1) / 3;
        CHECK(fabs(lo - v3) < 1e-14 && fabs(hi - v3) < 1e-14, "check 3 SU(3): n=%d W%dx%d %.16g vs %.16g",
              cases[i].n, cases[i].a, cases[i].b, lo, v3);
    }
    /* Polyakov loops: Re Tr L_1/N = cos(2 pi n x0 / L) */
    flux_config(L, 1, 2, links);
    int64_t dims[2] = {L, L}, n;
    sl_dtype dt;
    cz *p = lat_eval(2, dims, 2, links, b_poly, NULL, &n, &dt);
    double err = 0;
    for (int x0 = 0; x0 < L; ++x0)
        for (int x1 = 0; x1 < L; ++x1) {
            cz *l1 = p + (L * L + x0 * L + x1) * 4, *l0 = p + (x0 * L + x1) * 4;
            err = fmax(err, fabs(creal(l1[0] + l1[3]) / 2 - cos(2 * M_PI * x0 / L)));
            err = fmax(err, fabs(creal(l0[0] + l0[3]) / 2 - cos(2 * M_PI * x1 / L)));
        }
    CHECK(err < 1e-14, "check 3: Polyakov loops of the flux %g", err);
    free(p);
    free(links);
}

static void test_smooth(void)
{
    int L = 8;
    cz *links = malloc(sizeof(cz) * (size_t)(L * L * 2 * 4));
    smooth_config(L, links);
    const struct { int a, b; double v; } cases[] = {
        {1, 1, 0.368689607902000}, {1, 2, 0.159967405906669}, {2, 2, -0.022753966289275}, {4, 4, 0.168156674601402},
    };
    for (int i = 0; i < 4; ++i) {
        double m = loop_mean(L, 2, links, cases[i].a, cases[i].b, NULL, NULL);
        CHECK(fabs(m - cases[i].v) < 1e-12, "check 4: W%dx%d %.15f vs %.15f", cases[i].a, cases[i].b, m, cases[i].v);
    }
    int64_t dims[2] = {L, L}, n;
    sl_dtype dt;
    cz *p = lat_eval(2, dims, 2, links, b_poly, NULL, &n, &dt);
    double p0 = retr_mean(p, L * L, 2, NULL, NULL), p1 = retr_mean(p + L * L * 4, L * L, 2, NULL, NULL);
    CHECK(fabs(p0 - 0.203662029907446) < 1e-12, "check 4: Poly_0 %.15f", p0);
    CHECK(fabs(p1 - 0.062560911958643) < 1e-12, "check 4: Poly_1 %.15f", p1);
    free(p);
    /* graph plaquette vs the plain-C measurement; clover leaves all have the
     * same lattice average as P */
    int one = 1;
    p = lat_eval(2, dims, 2, links, b_plaq, &one, &n, &dt);
    double gp = retr_mean(p, n / 4, 2, NULL, NULL);
    free(p);
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
    lay.nd = 2; lay.nc = 2; lay.dims[0] = L; lay.dims[1] = L;
    sl_gauge *U;
    CHECK(sl_gauge_wrap(ctx, &lay, links, &U) == SL_OK, "wrap: %s", sl_ctx_errmsg(ctx));
    double cp;
    sl_gauge_plaquette(U, &cp);
    CHECK(fabs(gp - cp) < 1e-14 && fabs(cp - 0.368689607902000) < 1e-12, "plaquette graph %.15f vs C %.15f", gp, cp);
    sl_gauge_destroy(U);
    sl_ctx_destroy(ctx);
    p = lat_eval(2, dims, 2, links, b_clover, NULL, &n, &dt);
    CHECK(n == 8 * L * L * 4, "clover: 8 channels");
    for (int c = 0; c < 8; ++c) {
        double m = retr_mean(p + c * L * L * 4, L * L, 2, NULL, NULL);
        CHECK(fabs(m - 0.368689607902000) < 1e-12, "clover leaf %d average %.15f", c, m);
    }
    free(p);
    free(links);
}

int main(void)
{
    test_su_utils();
    test_identity_centre();
    test_flux();
    test_smooth();
    return check_done();
}
