/* The 1.1 host-layout fields and the gauge-level loop measurements (issue
 * 8.5): explicit colour strides (a Fortran U(V, nd, N, N) read in place),
 * quaternion SU(2) links, checked openQCD ipt[] values, a direction
 * permutation that NERSC files and Polyakov loops respect, and Wilson and
 * Polyakov loop averages against known values and the graph layers. */
#include "lattice_util.h"

#include <unistd.h>

static int same(const double *a, const double *b, size_t n) { return memcmp(a, b, n * sizeof(double)) == 0; }
static double maxdiff(const double *a, const double *b, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; ++i) m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

/* 1. colour strides: complex(dp) U(V, 4, 2, 2), colour indices slowest */
static void colour_strides(sl_ctx *ctx)
{
    const int nd = 4, nc = 2;
    int64_t dims[4] = {2, 4, 2, 4}, V = 64;
    sl_gauge *G;
    sl_gauge_create(ctx, nd, dims, nc, &G);
    sl_gauge_randomize(G, 11);
    size_t nlink = (size_t)(V * nd * 4 * 2);
    double *ref = malloc(sizeof(double) * nlink), *got = malloc(sizeof(double) * nlink);
    double *host = malloc(sizeof(double) * nlink), *back = calloc(nlink, sizeof(double));
    sl_gauge_copy_canonical(G, ref);
    /* Fortran U(s, mu, r, c), s the x-fastest site index: offset s + V mu + 4V r + 8V c */
    for (int64_t s = 0; s < V; ++s) {
        int64_t x[4] = {s / 32, (s / 8) % 4, (s / 4) % 2, s % 4};
        int64_t hs = x[0] + 2 * (x[1] + 4 * (x[2] + 2 * x[3]));
        for (int mu = 0; mu < nd; ++mu)
            for (int r = 0; r < 2; ++r)
                for (int c = 0; c < 2; ++c) {
                    int64_t o = hs + V * mu + 4 * V * r + 8 * V * c;
                    const double *e = ref + 2 * ((s * nd + mu) * 4 + r * 2 + c);
                    host[2 * o] = e[0];
                    host[2 * o + 1] = e[1];
                }
    }
    sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
    lay.order = SL_GAUGE_ORDER_CUSTOM; lay.nd = nd; lay.nc = nc;
    for (int mu = 0; mu < nd; ++mu) lay.dims[mu] = dims[mu];
    lay.site_order = SL_SITES_LEX_X_FASTEST;
    lay.direction_major = 1;
    lay.link_stride = 1;
    lay.colour_strides[0] = 4 * V;
    lay.colour_strides[1] = 8 * V;
    sl_gauge *U = NULL;
    CHECK(sl_gauge_wrap(ctx, &lay, host, &U) == SL_OK, "colour strides: wrap: %s", sl_ctx_errmsg(ctx));
    if (U) {
        CHECK(sl_gauge_in_place(U) == 1, "colour strides: read in place");
        sl_gauge_copy_canonical(U, got);
        CHECK(same(ref, got, nlink), "colour strides: links bit-identical");
        double p, pref;
        sl_gauge_plaquette(U, &p);
        sl_gauge_plaquette(G, &pref);
        CHECK(p == pref, "colour strides: plaquette %.17g vs %.17g", p, pref);
        CHECK(sl_gauge_export(U, &lay, back) == SL_OK && same(back, host, nlink), "colour strides: export");
        sl_gauge_destroy(U);
    }
    /* the same with even-odd sites: one copy, same links */
    lay.site_order = SL_SITES_EO_X_FASTEST;
    CHECK(sl_gauge_export(G, &lay, back) == SL_OK, "eo colour strides: export: %s", sl_ctx_errmsg(ctx));
    U = NULL;
    CHECK(sl_gauge_wrap(ctx, &lay, back, &U) == SL_OK && !sl_gauge_in_place(U), "eo colour strides: copy: %s",
          sl_ctx_errmsg(ctx));
    if (U) {
        sl_gauge_copy_canonical(U, got);
        CHECK(same(ref, got, nlink), "eo colour strides: links bit-identical");
        sl_gauge_destroy(U);
    }
    lay.site_order = SL_SITES_LEX_X_FASTEST;
    /* overlapping strides and strides on another order are refused */
    lay.colour_strides[0] = 1; lay.colour_strides[1] = 2;
    U = (sl_gauge *)1;
    CHECK(sl_gauge_wrap(ctx, &lay, host, &U) == SL_ERR_ARG && U == NULL && strstr(sl_ctx_errmsg(ctx), "overlap"),
          "overlapping strides: %s", sl_ctx_errmsg(ctx));
    lay.colour_strides[0] = 4 * V; lay.colour_strides[1] = 0;
    CHECK(sl_gauge_wrap(ctx, &lay, host, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "colour_strides"),
          "one colour stride: %s", sl_ctx_errmsg(ctx));
    lay.colour_strides[1] = 8 * V; lay.order = SL_GAUGE_ORDER_MILC;
    CHECK(sl_gauge_wrap(ctx, &lay, host, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "CUSTOM"),
          "colour strides on MILC: %s", sl_ctx_errmsg(ctx));
    lay.colour_strides[0] = 1LL << 55; lay.colour_strides[1] = 1LL << 56; lay.order = SL_GAUGE_ORDER_CUSTOM;
    CHECK(sl_gauge_wrap(ctx, &lay, host, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "2^56"),
          "huge strides: %s", sl_ctx_errmsg(ctx));
    /* the 1.0 description of this array fails at the first link: the message points at the layout */
    sl_gauge_layout l0 = SL_GAUGE_LAYOUT_INIT;
    l0.order = SL_GAUGE_ORDER_CUSTOM; l0.nd = nd; l0.nc = nc;
    for (int mu = 0; mu < nd; ++mu) l0.dims[mu] = dims[mu];
    l0.site_order = SL_SITES_LEX_X_FASTEST; l0.direction_major = 1;
    CHECK(sl_gauge_wrap(ctx, &l0, host, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "site 0, mu 0") &&
              strstr(sl_ctx_errmsg(ctx), "layout description"),
          "wrong layout hint: %s", sl_ctx_errmsg(ctx));
    sl_gauge_destroy(G);
    free(ref), free(got), free(host), free(back);
}

/* 2. quaternion links (U = a0 + i a.sigma) in canonical and MILC order */
static void quaternions(sl_ctx *ctx)
{
    const int nd = 2;
    int64_t dims[2] = {4, 6}, V = 24;
    sl_gauge *G;
    sl_gauge_create(ctx, nd, dims, 2, &G);
    sl_gauge_randomize(G, 3);
    size_t nlink = (size_t)(V * nd * 8);
    double *ref = malloc(sizeof(double) * nlink), *got = malloc(sizeof(double) * nlink);
    double *q = malloc(sizeof(double) * (size_t)(V * nd * 4)), *q2 = malloc(sizeof(double) * (size_t)(V * nd * 4));
    sl_gauge_copy_canonical(G, ref);
    int orders[2] = {SL_GAUGE_ORDER_CANONICAL, SL_GAUGE_ORDER_MILC};
    for (int k = 0; k < 2; ++k) {
        sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
        lay.order = orders[k]; lay.nd = nd; lay.nc = 2; lay.dims[0] = dims[0]; lay.dims[1] = dims[1];
        lay.element = SL_GAUGE_ELEMENT_QUATERNION;
        CHECK(sl_gauge_export(G, &lay, q) == SL_OK, "quaternion %d: export: %s", k, sl_ctx_errmsg(ctx));
        if (k == 0) {   /* the convention: U11 = a0 + i a3, U12 = a2 + i a1 */
            double e = 0;
            for (int64_t l = 0; l < V * nd; ++l) {
                const double *u = ref + 8 * l, *a = q + 4 * l;
                e = fmax(e, fabs(u[0] - a[0]) + fabs(u[1] - a[3]) + fabs(u[2] - a[2]) + fabs(u[3] - a[1]) +
                                fabs(u[4] + a[2]) + fabs(u[5] - a[1]) + fabs(u[6] - a[0]) + fabs(u[7] + a[3]));
            }
            CHECK(e < 1e-14, "quaternion convention U = a0 + i a.sigma: %.3g", e);
        }
        sl_gauge *U = NULL;
        CHECK(sl_gauge_wrap(ctx, &lay, q, &U) == SL_OK, "quaternion %d: wrap: %s", k, sl_ctx_errmsg(ctx));
        if (!U) continue;
        CHECK(!sl_gauge_in_place(U), "quaternion: an expanding copy");
        sl_gauge_copy_canonical(U, got);
        CHECK(maxdiff(ref, got, nlink) < 1e-14, "quaternion %d: links %.3g", k, maxdiff(ref, got, nlink));
        double p, pref;
        sl_gauge_plaquette(U, &p);
        sl_gauge_plaquette(G, &pref);
        CHECK(fabs(p - pref) < 1e-14, "quaternion %d: plaquette", k);
        CHECK(sl_gauge_export(U, &lay, q2) == SL_OK && same(q, q2, (size_t)(V * nd * 4)), "quaternion %d: round trip", k);
        q[5] *= 1.5;   /* |a| != 1 */
        CHECK(sl_gauge_refresh(U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "unitary"), "quaternion: refresh %s",
              sl_ctx_errmsg(ctx));
        sl_gauge_destroy(U);
    }
    sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
    lay.nd = 2; lay.nc = 3; lay.dims[0] = 4; lay.dims[1] = 6; lay.element = SL_GAUGE_ELEMENT_QUATERNION;
    sl_gauge *U = (sl_gauge *)1;
    CHECK(sl_gauge_wrap(ctx, &lay, q, &U) == SL_ERR_ARG && U == NULL && strstr(sl_ctx_errmsg(ctx), "nc = 2"),
          "quaternion SU(3): %s", sl_ctx_errmsg(ctx));
    lay.nc = 2; lay.element = 7;
    CHECK(sl_gauge_wrap(ctx, &lay, q, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "element"), "element 7");
    sl_gauge_destroy(G);
    free(ref), free(got), free(q), free(q2);
}

/* 3. openQCD ipt[] values are checked before any link is read */
static void openqcd(sl_ctx *ctx)
{
    int64_t V = 16;
    int ipt[16], ne = 0, no = 0;
    for (int s = 0; s < V; ++s) {
        int p = (s / 8 + (s / 4) % 2 + (s / 2) % 2 + s % 2) % 2;
        ipt[s] = p ? 8 + no++ : ne++;
    }
    double *links = calloc((size_t)(V * 4 * 18), sizeof(double));
    for (int i = 0; i < V * 4; ++i) links[18 * i] = links[18 * i + 8] = links[18 * i + 16] = 1;
    sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
    lay.order = SL_GAUGE_ORDER_OPENQCD; lay.nd = 4; lay.nc = 3;
    for (int mu = 0; mu < 4; ++mu) lay.dims[mu] = 2;
    lay.site_index = ipt;
    sl_gauge *U = NULL;
    double p = 0;
    CHECK(sl_gauge_wrap(ctx, &lay, links, &U) == SL_OK && sl_gauge_plaquette(U, &p) == SL_OK && p == 1,
          "openQCD: good ipt: %s", sl_ctx_errmsg(ctx));
    sl_gauge_destroy(U);
    int save = ipt[5];
    ipt[5] = 1 << 30;   /* a rank-local ipt read with global dims: a wild read before */
    U = (sl_gauge *)1;
    CHECK(sl_gauge_wrap(ctx, &lay, links, &U) == SL_ERR_ARG && U == NULL && strstr(sl_ctx_errmsg(ctx), "site_index[5]") &&
              strstr(sl_ctx_errmsg(ctx), "one process"),
          "openQCD: ipt out of range: %s", sl_ctx_errmsg(ctx));
    ipt[5] = -1;
    CHECK(sl_gauge_wrap(ctx, &lay, links, &U) == SL_ERR_ARG, "openQCD: negative ipt");
    ipt[5] = ipt[6];
    CHECK(sl_gauge_wrap(ctx, &lay, links, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "twice"),
          "openQCD: duplicate: %s", sl_ctx_errmsg(ctx));
    ipt[5] = save;
    for (int s = 0; s < V; ++s) ipt[s] = s;   /* not even-odd */
    CHECK(sl_gauge_wrap(ctx, &lay, links, &U) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "even sites first"),
          "openQCD: lexicographic ipt: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_gauge_export(U == (sl_gauge *)1 ? NULL : U, &lay, links) == SL_ERR_NULL, "export NULL");
    free(links);
}

/* 4. time first on the host, directions = {1, 2, 3, 0}: NERSC and Polyakov see time as direction 3 */
static void directions(sl_ctx *ctx)
{
    int64_t dims[4] = {2, 2, 4, 6}, V = 96;   /* x, y, z, t */
    sl_gauge *G;
    sl_gauge_create(ctx, 4, dims, 3, &G);
    sl_gauge_randomize(G, 17);
    size_t nlink = (size_t)(V * 4 * 18);
    double *ref = malloc(sizeof(double) * nlink), *got = malloc(sizeof(double) * nlink);
    double *host = malloc(sizeof(double) * nlink), *back = malloc(sizeof(double) * nlink);
    sl_gauge_copy_canonical(G, ref);
    /* host: canonical order in (t, x, y, z), links [t][x][y][z][mu_host] with mu_host 0 = t */
    for (int64_t s = 0; s < V; ++s) {
        int64_t x = s / 48, y = (s / 24) % 2, z = (s / 6) % 4, t = s % 6;
        int64_t hs = ((t * 2 + x) * 2 + y) * 4 + z;
        for (int mu = 0; mu < 4; ++mu) {
            int hmu = (mu + 1) % 4;   /* x, y, z, t -> host 1, 2, 3, 0 */
            memcpy(host + (hs * 4 + hmu) * 18, ref + (s * 4 + mu) * 18, sizeof(double) * 18);
        }
    }
    sl_gauge_layout lay = SL_GAUGE_LAYOUT_INIT;
    lay.order = SL_GAUGE_ORDER_CANONICAL; lay.nd = 4; lay.nc = 3;
    lay.dims[0] = 6; lay.dims[1] = 2; lay.dims[2] = 2; lay.dims[3] = 4;
    lay.directions[0] = 1; lay.directions[1] = 2; lay.directions[2] = 3; lay.directions[3] = 0;
    sl_gauge *U = NULL;
    CHECK(sl_gauge_wrap(ctx, &lay, host, &U) == SL_OK, "directions: wrap: %s", sl_ctx_errmsg(ctx));
    if (U) {
        int64_t d[4];
        sl_gauge_dims(U, d);
        CHECK(d[0] == 2 && d[1] == 2 && d[2] == 4 && d[3] == 6 && !sl_gauge_in_place(U), "directions: dims x, y, z, t");
        sl_gauge_copy_canonical(U, got);
        CHECK(same(ref, got, nlink), "directions: links bit-identical to the x, y, z, t field");
        double pa[2], pb[2];
        CHECK(sl_gauge_polyakov(U, 3, pa) == SL_OK && sl_gauge_polyakov(G, 3, pb) == SL_OK && pa[0] == pb[0] &&
                  pa[1] == pb[1], "directions: time Polyakov loop is mu = 3");
        char path[64];
        snprintf(path, sizeof path, "/tmp/sl_test_dirs_%d.nersc", (int)getpid());
        sl_gauge *R = NULL;
        CHECK(sl_gauge_write_nersc(U, path) == SL_OK && sl_gauge_read_nersc(ctx, path, &R) == SL_OK,
              "directions: NERSC: %s", sl_ctx_errmsg(ctx));
        if (R) {
            int64_t rd[4];
            sl_gauge_dims(R, rd);
            sl_gauge_copy_canonical(R, got);
            CHECK(rd[3] == 6 && same(ref, got, nlink), "directions: NERSC file has t = %lld last and the same links",
                  (long long)rd[3]);
        }
        sl_gauge_destroy(R);
        remove(path);
        CHECK(sl_gauge_export(U, &lay, back) == SL_OK && same(back, host, nlink), "directions: export");
        sl_gauge_destroy(U);
    }
    lay.directions[3] = 1;
    U = (sl_gauge *)1;
    CHECK(sl_gauge_wrap(ctx, &lay, host, &U) == SL_ERR_ARG && U == NULL && strstr(sl_ctx_errmsg(ctx), "permutation"),
          "directions: not a permutation: %s", sl_ctx_errmsg(ctx));
    sl_gauge_destroy(G);
    free(ref), free(got), free(host), free(back);
}

/* 5. Wilson and Polyakov loop averages */
struct wl { int mu, nu, a, b; };
static sl_node *build_wl(sl_graph *g, sl_node *U, void *user)
{
    struct wl *w = user;
    return sl_graph_wilson_loop(g, U, w->mu, w->nu, w->a, w->b);
}
static sl_node *build_poly(sl_graph *g, sl_node *U, void *user) { (void)user; return sl_graph_polyakov(g, U); }

static void loops(sl_ctx *ctx)
{
    int64_t dims[3] = {4, 6, 5};
    sl_gauge *U;
    sl_gauge_create(ctx, 3, dims, 3, &U);
    double w, pl[2], pq;
    CHECK(sl_gauge_wilson_loop(U, 0, 2, 3, 2, &w) == SL_OK && w == 1, "cold start: W = 1 (Tr W = N)");
    CHECK(sl_gauge_polyakov(U, 1, pl) == SL_OK && pl[0] == 1 && pl[1] == 0, "cold start: Polyakov = 1");
    /* constant abelian links diag(e^{i th_mu}, e^{-i th_mu}, 1): L = (2 cos(L th) + 1)/3 */
    double th[3] = {0.3, -0.7, 1.1};
    double *d = sl_gauge_data(U);
    for (int64_t s = 0; s < 120; ++s)
        for (int mu = 0; mu < 3; ++mu) {
            cz *u = (cz *)d + (s * 3 + mu) * 9;
            u[0] = cexp(I * th[mu]);
            u[4] = cexp(-I * th[mu]);
        }
    for (int mu = 0; mu < 3; ++mu) {
        sl_gauge_polyakov(U, mu, pl);
        double e = (2 * cos((double)dims[mu] * th[mu]) + 1) / 3;
        CHECK(fabs(pl[0] - e) < 1e-14 && fabs(pl[1]) < 1e-14, "constant links: Polyakov(%d) %.15g vs %.15g", mu, pl[0], e);
    }
    sl_gauge_wilson_loop(U, 0, 1, 2, 3, &w);
    CHECK(fabs(w - 1) < 1e-14, "abelian constant links: W = 1 (%.17g)", w);
    /* 2D constant flux B = 2 pi n / L^2: W(r x t) = (2 cos(B r t) + 1) / 3 */
    {
        int L = 8;
        int64_t d2[2] = {L, L};
        sl_gauge *F;
        sl_gauge_create(ctx, 2, d2, 3, &F);
        flux_config(L, 1, 3, (cz *)sl_gauge_data(F));
        double B = 2 * M_PI / (L * L);
        for (int r = 1; r <= 3; ++r) {
            sl_gauge_wilson_loop(F, 0, 1, r, 2, &w);
            double e = (2 * cos(B * r * 2) + 1) / 3;
            CHECK(fabs(w - e) < 1e-13, "flux: W(%d x 2) %.15g vs %.15g", r, w, e);
        }
        sl_gauge_plaquette(F, &pq);
        sl_gauge_wilson_loop(F, 0, 1, 1, 1, &w);
        CHECK(fabs(w - pq) < 1e-15, "W(1 x 1) = plaquette");
        sl_gauge_destroy(F);
    }
    /* random field: against the graph layers to 1e-13 */
    sl_gauge_randomize(U, 9);
    double *links = sl_gauge_data(U);
    struct wl cases[5] = {{0, 1, 2, 3}, {1, 0, 3, 2}, {2, 0, 1, 4}, {0, 2, 4, 5}, {1, 2, 6, 1}};
    for (int k = 0; k < 5; ++k) {
        int64_t n;
        sl_dtype dt;
        cz *m = lat_eval(3, dims, 3, links, build_wl, &cases[k], &n, &dt);
        double ref = m ? retr_mean(m, n / 9, 3, NULL, NULL) : NAN;
        free(m);
        CHECK(sl_gauge_wilson_loop(U, cases[k].mu, cases[k].nu, cases[k].a, cases[k].b, &w) == SL_OK &&
                  fabs(w - ref) < 1e-13,
              "W(%d, %d, %d x %d) = %.15g vs graph %.15g", cases[k].mu, cases[k].nu, cases[k].a, cases[k].b, w, ref);
    }
    double w01, w10;
    sl_gauge_wilson_loop(U, 0, 1, 2, 3, &w01);
    sl_gauge_wilson_loop(U, 1, 0, 3, 2, &w10);
    CHECK(fabs(w01 - w10) < 1e-14, "W(mu, nu, r, t) = W(nu, mu, t, r)");
    {
        int64_t n;
        sl_dtype dt;
        cz *m = lat_eval(3, dims, 3, links, build_poly, NULL, &n, &dt);
        for (int mu = 0; mu < 3 && m; ++mu) {
            cz acc = 0;
            for (int64_t i = 0; i < 120; ++i) acc += m[(mu * 120 + i) * 9] + m[(mu * 120 + i) * 9 + 4] + m[(mu * 120 + i) * 9 + 8];
            acc /= 360;
            sl_gauge_polyakov(U, mu, pl);
            CHECK(fabs(pl[0] - creal(acc)) < 1e-13 && fabs(pl[1] - cimag(acc)) < 1e-13,
                  "Polyakov(%d) %.15g%+.15gi vs graph %.15g%+.15gi", mu, pl[0], pl[1], creal(acc), cimag(acc));
        }
        free(m);
    }
    CHECK(sl_gauge_wilson_loop(U, 0, 0, 1, 1, &w) == SL_ERR_ARG, "W: mu = nu");
    CHECK(sl_gauge_wilson_loop(U, 0, 1, 5, 1, &w) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "sl_gauge_wilson_loop"),
          "W: r > L_mu: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_gauge_wilson_loop(U, 0, 1, 0, 1, &w) == SL_ERR_ARG, "W: r = 0");
    CHECK(sl_gauge_wilson_loop(U, 0, 1, 1, 1, NULL) == SL_ERR_NULL, "W: NULL");
    CHECK(sl_gauge_polyakov(U, 3, pl) == SL_ERR_ARG && sl_gauge_polyakov(NULL, 0, pl) == SL_ERR_NULL, "P: bad mu");
    sl_gauge_destroy(U);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    colour_strides(ctx);
    quaternions(ctx);
    openqcd(ctx);
    directions(ctx);
    loops(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
