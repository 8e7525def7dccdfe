/* Equivariant layers (include/symlearn/equivariant.h): the periodic
 * convolution against its definition, finite-difference first and second
 * derivatives of every op, exact equivariance under translations and every
 * group element, and the flux action against sl_flux_reflect. */
#include "fdcheck.h"

/* ---- FD builders ---------------------------------------------------------------------- */
static sl_node *b_conv(sl_graph *g, sl_node **x) { return sl_graph_periodic_conv(g, x[0], x[1], x[2]); }
static sl_node *b_conv_nb(sl_graph *g, sl_node **x) { return sl_graph_periodic_conv(g, x[0], x[1], NULL); }
/* a nonlinearity after the conv, so second derivatives in x and w mix */
static sl_node *b_conv_sq(sl_graph *g, sl_node **x)
{
    return sl_graph_tanh(g, sl_graph_periodic_conv(g, x[0], x[1], x[2]));
}
static sl_node *b_avg(sl_graph *g, sl_node **x) { return sl_graph_global_avg_pool(g, sl_graph_square(g, x[0]), 2); }
static sl_node *b_max(sl_graph *g, sl_node **x) { return sl_graph_square(g, sl_graph_global_max_pool(g, x[0], 2)); }
static sl_node *b_lift_p4(sl_graph *g, sl_node **x)
{
    return sl_graph_tanh(g, sl_graph_eq_lift_conv(g, SL_EQ_P4, SL_EQ_SITE, x[0], x[1], x[2]));
}
static sl_node *b_lift_flux(sl_graph *g, sl_node **x)
{
    return sl_graph_tanh(g, sl_graph_eq_lift_conv(g, SL_EQ_REFL, SL_EQ_FLUX, x[0], x[1], x[2]));
}
static sl_node *b_gconv_p4m(sl_graph *g, sl_node **x)
{
    return sl_graph_tanh(g, sl_graph_eq_group_conv(g, SL_EQ_P4M, x[0], x[1], x[2]));
}
static sl_node *b_gpool_max(sl_graph *g, sl_node **x) { return sl_graph_square(g, sl_graph_eq_group_pool(g, x[0], 1)); }
static sl_node *b_gpool_mean(sl_graph *g, sl_node **x) { return sl_graph_square(g, sl_graph_eq_group_pool(g, x[0], 0)); }

static void spec3(fd_spec *s, int r, const int64_t *x, const int64_t *w, int64_t cout)
{
    memset(s, 0, sizeof *s);
    s->nin = 3;
    s->lo = -1, s->hi = 1;
    for (int i = 0; i < 3; ++i) s->dtype[i] = SL_F64;
    s->rank[0] = s->rank[1] = r;
    memcpy(s->shape[0], x, sizeof(int64_t) * (size_t)r);
    memcpy(s->shape[1], w, sizeof(int64_t) * (size_t)r);
    s->rank[2] = 1;
    s->shape[2][0] = cout;
}

static void test_fd(void)
{
    fd_spec s;
    spec3(&s, 4, (int64_t[]){2, 2, 4, 3}, (int64_t[]){3, 2, 3, 2}, 3);   /* even kernel axis */
    fdcheck("conv2d k3x2", &s, b_conv_sq);
    spec3(&s, 4, (int64_t[]){1, 2, 2, 3}, (int64_t[]){2, 2, 4, 3}, 2);   /* kernel larger than the lattice */
    fdcheck("conv2d k4x3 on 2x3", &s, b_conv);
    spec3(&s, 3, (int64_t[]){2, 2, 5}, (int64_t[]){2, 2, 2}, 2);
    fdcheck("conv1d k2", &s, b_conv_sq);
    spec3(&s, 5, (int64_t[]){1, 1, 3, 2, 3}, (int64_t[]){2, 1, 2, 3, 1}, 2);
    fdcheck("conv3d k2x3x1", &s, b_conv_sq);
    spec3(&s, 4, (int64_t[]){2, 3, 2, 2}, (int64_t[]){2, 3, 1, 1}, 2);
    s.nin = 2;
    fdcheck("conv2d 1x1 no bias", &s, b_conv_nb);
    memset(&s, 0, sizeof s);
    s.nin = 1, s.lo = -1, s.hi = 1, s.dtype[0] = SL_F64, s.rank[0] = 4;
    memcpy(s.shape[0], (int64_t[]){2, 3, 3, 2}, sizeof(int64_t) * 4);
    fdcheck("global avg pool", &s, b_avg);
    fdcheck("global max pool", &s, b_max);
    spec3(&s, 4, (int64_t[]){1, 2, 3, 3}, (int64_t[]){2, 2, 2, 3}, 2);
    fdcheck("lift p4", &s, b_lift_p4);
    spec3(&s, 4, (int64_t[]){1, 4, 3, 2}, (int64_t[]){2, 4, 2, 2}, 2);
    fdcheck("lift flux refl", &s, b_lift_flux);
    spec3(&s, 5, (int64_t[]){1, 1, 8, 2, 2}, (int64_t[]){2, 1, 8, 2, 1}, 2);
    fdcheck("group conv p4m", &s, b_gconv_p4m);
    memset(&s, 0, sizeof s);
    s.nin = 1, s.lo = -1, s.hi = 1, s.dtype[0] = SL_F64, s.rank[0] = 5;
    memcpy(s.shape[0], (int64_t[]){1, 2, 4, 2, 3}, sizeof(int64_t) * 5);
    fdcheck("group pool max", &s, b_gpool_max);
    fdcheck("group pool mean", &s, b_gpool_mean);
}

/* ---- helpers ----------------------------------------------------------------------------- */
static sl_ctx *ctx;

static double *rnd(int64_t n, uint64_t seed)
{
    double *a = malloc(sizeof(double) * (size_t)n);
    sl_rng_fill_uniform(seed, 0, (size_t)n, -1, 1, a);
    return a;
}

/* The conv against the definition y = sum w x[(s + k - p) mod L], 2D. */
static void test_definition(void)
{
    int64_t B = 2, Ci = 3, Co = 2, L1 = 5, L2 = 4, K1 = 4, K2 = 3;
    double *x = rnd(B * Ci * L1 * L2, 1), *w = rnd(Co * Ci * K1 * K2, 2), *b = rnd(Co, 3);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *X = sl_graph_input(g, SL_F64, 4, (int64_t[]){B, Ci, L1, L2}, "x");
    sl_node *W = sl_graph_constant(g, SL_F64, 4, (int64_t[]){Co, Ci, K1, K2}, w);
    sl_node *Bn = sl_graph_constant(g, SL_F64, 1, (int64_t[]){Co}, b);
    sl_node *Y = sl_graph_periodic_conv(g, X, W, Bn);
    sl_plan *p;
    CHECK(sl_plan_create(g, 1, &Y, &p) == SL_OK, "plan: %s", sl_ctx_errmsg(ctx));
    sl_plan_bind(p, X, x);
    sl_plan_run(p);
    const double *y = sl_plan_output(p, 0);
    double err = 0;
    int64_t p1 = (K1 - 1) / 2, p2 = (K2 - 1) / 2;
    for (int64_t bb = 0; bb < B; ++bb)
        for (int64_t o = 0; o < Co; ++o)
            for (int64_t s1 = 0; s1 < L1; ++s1)
                for (int64_t s2 = 0; s2 < L2; ++s2) {
                    double acc = b[o];
                    for (int64_t c = 0; c < Ci; ++c)
                        for (int64_t k1 = 0; k1 < K1; ++k1)
                            for (int64_t k2 = 0; k2 < K2; ++k2) {
                                int64_t t1 = ((s1 + k1 - p1) % L1 + L1) % L1, t2 = ((s2 + k2 - p2) % L2 + L2) % L2;
                                acc += w[((o * Ci + c) * K1 + k1) * K2 + k2] * x[((bb * Ci + c) * L1 + t1) * L2 + t2];
                            }
                    err = fmax(err, fabs(acc - y[((bb * Co + o) * L1 + s1) * L2 + s2]));
                }
    CHECK(err < 1e-13, "conv vs definition: %g", err);
    printf("conv 2D (k 4x3 on 5x4) vs definition: max dev %.2e\n", err);
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    free(x), free(w), free(b);
}

/* max |a - b| over n */
static double maxdev(const double *a, const double *b, int64_t n)
{
    double e = 0;
    for (int64_t i = 0; i < n; ++i) e = fmax(e, fabs(a[i] - b[i]));
    return e;
}

typedef sl_node *(*layer_fn)(sl_graph *g, sl_node *x, sl_node *w, sl_node *b);
static sl_node *l_conv(sl_graph *g, sl_node *x, sl_node *w, sl_node *b) { return sl_graph_periodic_conv(g, x, w, b); }

/* Translation: layer(roll(x, a)) == roll(layer(x), a) for every shift vector. */
static double translation_dev(int rank, const int64_t *xs, const int64_t *ws, layer_fn f, int nsp_out)
{
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t nx = 1, nw = 1;
    for (int i = 0; i < rank; ++i) nx *= xs[i];
    for (int i = 0; i < rank; ++i) nw *= ws[i];
    double *x = rnd(nx, 5), *w = rnd(nw, 6), *b = rnd(ws[0], 7);
    sl_node *X = sl_graph_input(g, SL_F64, rank, xs, "x");
    sl_node *W = sl_graph_constant(g, SL_F64, rank, ws, w), *Bn = sl_graph_constant(g, SL_F64, 1, ws, b);
    sl_node *Y = f(g, X, W, Bn);
    double worst = 0;
    int nsp = nsp_out, x0 = rank - nsp;
    int64_t nshift = 1;
    for (int i = 0; i < nsp; ++i) nshift *= xs[x0 + i];
    for (int64_t sh = 0; sh < nshift; ++sh) {
        int64_t v[SL_MAX_RANK], r = sh;
        for (int i = nsp - 1; i >= 0; --i) v[i] = r % xs[x0 + i], r /= xs[x0 + i];
        sl_node *Xr = X, *Yr = Y;
        int yr = sl_node_rank(Y);
        for (int i = 0; i < nsp; ++i) {
            Xr = sl_graph_roll(g, Xr, x0 + i, v[i]);
            Yr = sl_graph_roll(g, Yr, yr - nsp_out + i, v[i]);
        }
        sl_node *Y2 = f(g, Xr, W, Bn);
        sl_node *outs[2] = {Yr, Y2};
        sl_plan *p;
        if (sl_plan_create(g, 2, outs, &p)) { CHECK(0, "plan: %s", sl_ctx_errmsg(ctx)); break; }
        sl_plan_bind(p, X, x);
        sl_plan_run(p);
        worst = fmax(worst, maxdev(sl_plan_output(p, 0), sl_plan_output(p, 1), sl_node_numel(Y)));
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    free(x), free(w), free(b);
    return worst;
}

static int G_group, G_kind;
static sl_node *l_lift(sl_graph *g, sl_node *x, sl_node *w, sl_node *b)
{
    return sl_graph_eq_lift_conv(g, G_group, G_kind, x, w, b);
}
static sl_node *l_gconv(sl_graph *g, sl_node *x, sl_node *w, sl_node *b)
{
    return sl_graph_eq_group_conv(g, G_group, x, w, b);
}

/* Group: layer(T_h x) == T_h layer(x) for every element h. */
static double group_dev(int group, int kin, int rank, const int64_t *xs, const int64_t *ws, layer_fn f, double *tdev)
{
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t nx = 1, nw = 1;
    for (int i = 0; i < rank; ++i) nx *= xs[i];
    for (int i = 0; i < (kin == SL_EQ_GROUPMAP ? 5 : 4); ++i) nw *= ws[i];
    double *x = rnd(nx, 8), *w = rnd(nw, 9), *b = rnd(ws[0], 10);
    if (kin == SL_EQ_FLUX)   /* integer fluxes as a sampler makes them */
        for (int64_t i = 0; i < nx; ++i) x[i] = floor(3 * x[i]);
    sl_node *X = sl_graph_input(g, SL_F64, rank, xs, "x");
    sl_node *W = sl_graph_constant(g, SL_F64, kin == SL_EQ_GROUPMAP ? 5 : 4, ws, w);
    sl_node *Bn = sl_graph_constant(g, SL_F64, 1, ws, b);
    sl_node *Y = f(g, X, W, Bn);
    double worst = 0;
    for (int h = 0; h < sl_eq_group_order(group); ++h) {
        sl_node *Y1 = f(g, sl_graph_eq_transform(g, group, kin, h, X), W, Bn);
        sl_node *Y2 = sl_graph_eq_transform(g, group, SL_EQ_GROUPMAP, h, Y);
        sl_node *outs[2] = {Y1, Y2};
        sl_plan *p;
        if (sl_plan_create(g, 2, outs, &p)) { CHECK(0, "plan: %s", sl_ctx_errmsg(ctx)); break; }
        sl_plan_bind(p, X, x);
        sl_plan_run(p);
        worst = fmax(worst, maxdev(sl_plan_output(p, 0), sl_plan_output(p, 1), sl_node_numel(Y)));
        sl_plan_destroy(p);
    }
    sl_graph_destroy(g);
    free(x), free(w), free(b);
    G_group = group, G_kind = kin;
    *tdev = translation_dev(rank, xs, ws, f, 2);
    return worst;
}

static void test_equivariance(void)
{
    double d;
    d = translation_dev(4, (int64_t[]){2, 3, 5, 4}, (int64_t[]){2, 3, 2, 3}, l_conv, 2);
    CHECK(d < 1e-12, "conv2d translation: %g", d);
    printf("conv 2D k 2x3 on 5x4, all 20 shifts: max dev %.2e\n", d);
    d = translation_dev(5, (int64_t[]){1, 2, 3, 4, 2}, (int64_t[]){2, 2, 3, 2, 2}, l_conv, 3);
    CHECK(d < 1e-12, "conv3d translation: %g", d);
    printf("conv 3D k 3x2x2 on 3x4x2, all 24 shifts: max dev %.2e\n", d);
    struct { int group, kind, rank; int64_t xs[5], ws[5]; const char *name; } cases[] = {
        {SL_EQ_P4, SL_EQ_SITE, 4, {2, 2, 5, 5}, {3, 2, 3, 3}, "p4 lift k3"},
        {SL_EQ_P4, SL_EQ_SITE, 4, {2, 2, 4, 4}, {3, 2, 2, 2}, "p4 lift k2"},
        {SL_EQ_P4M, SL_EQ_SITE, 4, {2, 2, 4, 4}, {3, 2, 3, 2}, "p4m lift k3x2"},
        {SL_EQ_P4, SL_EQ_GROUPMAP, 5, {2, 2, 4, 5, 5}, {2, 2, 4, 3, 3}, "p4 group conv k3"},
        {SL_EQ_P4M, SL_EQ_GROUPMAP, 5, {1, 2, 8, 4, 4}, {2, 2, 8, 2, 3}, "p4m group conv k2x3"},
        {SL_EQ_REFL, SL_EQ_SITE, 4, {2, 2, 5, 4}, {2, 2, 3, 2}, "refl lift (site)"},
        {SL_EQ_REFL, SL_EQ_FLUX, 4, {2, 4, 6, 5}, {3, 4, 2, 3}, "refl lift (flux) k2x3"},
        {SL_EQ_REFL, SL_EQ_GROUPMAP, 5, {2, 2, 4, 6, 3}, {2, 2, 4, 2, 2}, "refl group conv k2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        G_group = cases[i].group, G_kind = cases[i].kind;
        double td = 0;
        d = group_dev(cases[i].group, cases[i].kind, cases[i].rank, cases[i].xs, cases[i].ws,
                      cases[i].kind == SL_EQ_GROUPMAP ? l_gconv : l_lift, &td);
        CHECK(d < 1e-12 && td < 1e-12, "%s: group %g, translation %g", cases[i].name, d, td);
        printf("%-24s every element: max dev %.2e, every translation %.2e\n", cases[i].name, d, td);
    }
    /* group products: closure, identity, inverses */
    int bad = 0;
    for (int gr = 1; gr <= 3; ++gr) {
        int n = sl_eq_group_order(gr);
        for (int a = 0; a < n; ++a) {
            bad += sl_eq_group_mul(gr, a, sl_eq_group_inv(gr, a)) != 0 || sl_eq_group_mul(gr, 0, a) != a;
            for (int b = 0; b < n; ++b) bad += sl_eq_group_mul(gr, a, b) < 0;
        }
    }
    CHECK(!bad && sl_eq_group_order(9) == 0 && sl_eq_group_mul(1, 4, 0) == -1, "group tables (%d bad)", bad);
    /* p4: rotation by 90 degrees four times is the identity; p4 is abelian */
    CHECK(sl_eq_group_mul(SL_EQ_P4, 1, sl_eq_group_mul(SL_EQ_P4, 1, sl_eq_group_mul(SL_EQ_P4, 1, 1))) == 0, "r^4");
    CHECK(sl_eq_group_mul(SL_EQ_P4M, 1, 4) != sl_eq_group_mul(SL_EQ_P4M, 4, 1), "p4m not abelian");
}

/* The flux action of SL_EQ_REFL is sl_flux_reflect (scalar.h's table). */
static void test_flux_action(void)
{
    sl_flux *F;
    int64_t nt = 6, nx = 5, n = 4 * nt * nx;
    CHECK(sl_flux_create(ctx, nt, nx, 0.1, 1.0, 1.0, &F) == SL_OK, "create");
    sl_flux_sweep(F, 30, 4, SL_FLUX_L_AUTO, 3);
    double *a = malloc(sizeof(double) * (size_t)n), *r = malloc(sizeof(double) * (size_t)n);
    sl_flux_export(F, n, a);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *X = sl_graph_input(g, SL_F64, 4, (int64_t[]){1, 4, nt, nx}, "x");
    double worst = 0;
    for (int e = 1; e < 4; ++e) {
        sl_flux *C;
        sl_flux_copy(F, &C);
        if (e & 1) sl_flux_reflect(C, 0);
        if (e & 2) sl_flux_reflect(C, 1);
        sl_flux_export(C, n, r);
        sl_flux_destroy(C);
        sl_node *Y = sl_graph_eq_transform(g, SL_EQ_REFL, SL_EQ_FLUX, e, X);
        sl_plan *p;
        sl_plan_create(g, 1, &Y, &p);
        sl_plan_bind(p, X, a);
        sl_plan_run(p);
        worst = fmax(worst, maxdev(sl_plan_output(p, 0), r, n));
        sl_plan_destroy(p);
    }
    CHECK(worst == 0, "flux action vs sl_flux_reflect: %g", worst);
    sl_graph_destroy(g);
    sl_flux_destroy(F);
    free(a), free(r);
}

static void test_errors(void)
{
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *x = sl_graph_input(g, SL_F64, 4, (int64_t[]){1, 2, 4, 3}, "x");
    sl_node *w = sl_graph_param(g, SL_F64, 4, (int64_t[]){2, 3, 2, 2}, NULL, "w");
    CHECK(!sl_graph_periodic_conv(g, x, w, NULL) && sl_graph_status(g) == SL_ERR_SHAPE, "channel mismatch");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_graph_periodic_conv") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    x = sl_graph_input(g, SL_F64, 4, (int64_t[]){1, 2, 4, 3}, "x");
    w = sl_graph_param(g, SL_F64, 4, (int64_t[]){2, 2, 3, 3}, NULL, "w");
    CHECK(!sl_graph_eq_lift_conv(g, SL_EQ_P4, SL_EQ_SITE, x, w, NULL) && sl_graph_status(g) == SL_ERR_SHAPE,
          "p4 on a non-square lattice");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_graph_eq_lift_conv") != NULL, "message: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    x = sl_graph_input(g, SL_F64, 4, (int64_t[]){1, 2, 4, 3}, "x");
    CHECK(!sl_graph_eq_lift_conv(g, SL_EQ_REFL, SL_EQ_FLUX, x, w, NULL) && sl_graph_status(g) == SL_ERR_SHAPE,
          "flux needs 4 channels");
    sl_graph_destroy(g);
    sl_graph_create(ctx, &g);
    x = sl_graph_input(g, SL_F64, 4, (int64_t[]){1, 2, 4, 3}, "x");
    CHECK(!sl_graph_global_max_pool(g, x, 4) && sl_graph_status(g) == SL_ERR_ARG, "nspatial");
    CHECK(!sl_graph_eq_transform(g, 7, SL_EQ_SITE, 0, x), "bad group");
    sl_graph_destroy(g);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    test_fd();
    test_definition();
    test_equivariance();
    test_flux_action();
    test_errors();
    sl_ctx_destroy(ctx);
    return check_done();
}
