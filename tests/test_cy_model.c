/* The phi-model (include/symlearn/cy.h): the metric's d dbar phi against
 * central differences of phi, the weight gradient of the loss (third
 * derivatives of the MLP) against central differences, the algebraic and FS
 * metrics as d dbar of their potentials (note A5.10), FS transition loss 0
 * and Kahler residuals (A5.6, A5.11), training that lowers sigma (log
 * callback, history), save/load, bad input. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

typedef double complex cplx;
static int quick(void) { const char *q = getenv("SL_TEST_QUICK"); return q && *q && strcmp(q, "0"); }
static sl_ctx *ctx;

/* the MLP 10 -> H -> H -> H -> 1 (GELU) of the flat weights, at x (10 reals) */
static int64_t H_;
static double phi_ref(const double *w, const double *x)
{
    double h[256], t[256];
    const int64_t H = H_;
    const double *W = w;
    int64_t in = 10;
    memcpy(h, x, sizeof(double) * 10);
    for (int l = 0; l < 3; l++) {
        const double *b = W + in * H;
        for (int64_t j = 0; j < H; j++) {
            double a = b[j];
            for (int64_t i = 0; i < in; i++) a += h[i] * W[i * H + j];
            t[j] = 0.5 * a * (1 + erf(a / sqrt(2.0)));
        }
        memcpy(h, t, sizeof(double) * (size_t)H);
        W = b + H;
        in = H;
    }
    double o = 0;
    for (int64_t i = 0; i < H; i++) o += h[i] * W[i];
    return o;
}

/* Wirtinger Hessian d_a dbar_b f along complex directions u, v in C^5 at z
 * by central differences: d_u dbar_v f = (1/4)[D_{u}D_{v} + D_{iu}D_{iv} + i(D_u D_{iv} - D_{iu} D_v)] f,
 * D_u the real directional derivative along u (D_u = d_u + dbar_u) */
typedef double (*realfn)(void *, const cplx *);
static double d2(realfn f, void *ud, const cplx *z, cplx u, const cplx *U, cplx v, const cplx *V, double h)
{
    cplx a[5], b[5], c[5], d[5];
    for (int i = 0; i < 5; i++) {
        a[i] = z[i] + h * (u * U[i] + v * V[i]);
        b[i] = z[i] + h * (u * U[i] - v * V[i]);
        c[i] = z[i] - h * (u * U[i] - v * V[i]);
        d[i] = z[i] - h * (u * U[i] + v * V[i]);
    }
    return (f(ud, a) - f(ud, b) - f(ud, c) + f(ud, d)) / (4 * h * h);
}
static cplx wirtinger1(realfn f, void *ud, const cplx *z, const cplx *U, const cplx *V, double h)
{
    double ee = d2(f, ud, z, 1, U, 1, V, h), ff = d2(f, ud, z, I, U, I, V, h);
    double ef = d2(f, ud, z, 1, U, I, V, h), fe = d2(f, ud, z, I, U, 1, V, h);
    return 0.25 * ((ee + ff) + I * (ef - fe));
}
/* Richardson extrapolation of the O(h^2) central differences: O(h^4) */
static cplx wirtinger(realfn f, void *ud, const cplx *z, const cplx *U, const cplx *V, double h)
{
    return (4 * wirtinger1(f, ud, z, U, V, h / 2) - wirtinger1(f, ud, z, U, V, h)) / 3;
}
static double phi_at(void *ud, const cplx *z)
{
    double x[10];
    for (int i = 0; i < 5; i++) x[i] = creal(z[i]), x[5 + i] = cimag(z[i]);
    return phi_ref((const double *)ud, x);
}
static double logr2_at(void *ud, const cplx *z)
{
    double r = 0;
    for (int i = 0; i < 5; i++) r += creal(z[i] * conj(z[i]));
    return log(r) / M_PI;
}
static double kpot_at(void *ud, const cplx *z)
{
    double K;
    sl_cy_algebraic_potential((const sl_cy_algebraic *)ud, 1, (const double *)z, &K, NULL);
    return K;
}

static int nlog;
static void logfn(void *u, int level, const char *msg)
{
    if (strstr(msg, "sl_cy_model_train: epoch")) nlog++;
    if (getenv("CY_VERBOSE")) printf("    log: %s\n", msg);
}

int main(void)
{
    sl_ctx_opts co;
    sl_ctx_opts_init(&co);
    co.log = logfn;
    co.log_level = SL_LOG_INFO;
    CHECK(sl_ctx_create(&ctx, &co) == SL_OK, "ctx");
    sl_cy_variety *v = NULL;
    CHECK(sl_cy_variety_quintic(ctx, 0, 0, &v) == SL_OK, "quintic");
    sl_cy_points *all = NULL, *pts = NULL, *val = NULL;
    const int64_t ntrain = quick() ? 512 : 4096, nval = quick() ? 512 : 2048;
    CHECK(sl_cy_sample(v, ntrain + nval, 5, &all) == SL_OK, "sample");
    CHECK(sl_cy_points_subset(all, 0, ntrain, &pts) == SL_OK, "train split");
    CHECK(sl_cy_points_subset(all, ntrain, nval, &val) == SL_OK, "val split");

    sl_cy_model_opts mo;
    sl_cy_model_opts_init(&mo);
    mo.width = 16;
    H_ = 16;
    sl_cy_model *m = NULL;
    CHECK(sl_cy_model_create(v, &mo, &m) == SL_OK, "model: %s", sl_ctx_errmsg(ctx));
    const int64_t nw = sl_cy_model_nweights(m);
    CHECK(nw == 10 * 16 + 16 + 2 * (16 * 16 + 16) + 16, "nweights %lld", (long long)nw);
    double *w = malloc(sizeof(double) * (size_t)nw);
    sl_cy_model_get_weights(m, w);
    /* nonzero biases, so every term of the jet is exercised */
    for (int64_t k = 0; k < nw; k++) w[k] *= 1.3;
    w[160] = 0.3, w[161] = -0.2, w[160 + 16 + 256 + 3] = 0.25;
    CHECK(sl_cy_model_set_weights(m, w) == SL_OK, "set");

    /* ---- metric: g - g_FS = J d dbar phi J^dagger vs central differences ---- */
    {
        sl_cy_points *p8 = NULL;
        sl_cy_points_subset(pts, 0, 8, &p8);
        cplx g[72], gf[72], z[40], J[120];
        sl_cy_model_metric(m, p8, (double *)g, NULL);
        sl_cy_fs_metric(p8, 1.0, (double *)gf, NULL);
        sl_cy_points_coords(p8, (double *)z);
        sl_cy_points_jacobian(p8, (double *)J);
        double err = 0, mx = 0, errfs = 0;
        for (int i = 0; i < 8; i++)
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++) {
                    cplx fd = wirtinger(phi_at, w, z + 5 * i, J + 15 * i + 5 * a, J + 15 * i + 5 * b, 4e-3);
                    cplx an = g[9 * i + 3 * a + b] - gf[9 * i + 3 * a + b];
                    err = fmax(err, cabs(fd - an));
                    mx = fmax(mx, cabs(an));
                    cplx fs = wirtinger(logr2_at, NULL, z + 5 * i, J + 15 * i + 5 * a, J + 15 * i + 5 * b, 4e-3);
                    errfs = fmax(errfs, cabs(fs - gf[9 * i + 3 * a + b]) / cabs(gf[9 * i]));
                }
        printf("  d dbar phi (chart) vs central differences: max abs err %.2e (max |.| %.2e), rel %.2e\n", err, mx,
               err / mx);
        printf("  A5.10 g_FS,pb = (1/pi) d dbar log|z|^2 by central differences: rel err %.2e\n", errfs);
        CHECK(err / mx < 1e-7, "phi Hessian rel err %g", err / mx);
        CHECK(errfs < 1e-7, "FS rel err %g", errfs);
        /* A5.6 FS transition: g in patch p' (same elimination) = T g T^dagger, T_ba = dx_a/dx'_b */
        int pa[8], el[8], pa2[8];
        sl_cy_points_charts(p8, pa, el);
        for (int i = 0; i < 8; i++) {
            double best = -1;
            for (int j = 0; j < 5; j++)
                if (j != pa[i] && j != el[i] && cabs(z[5 * i + j]) > best) best = cabs(z[5 * i + j]), pa2[i] = j;
        }
        sl_cy_points *q8 = NULL;
        CHECK(sl_cy_points_from_coords(v, 8, (const double *)z, pa2, el, &q8) == SL_OK, "q8: %s", sl_ctx_errmsg(ctx));
        cplx g2[72], u[40], J2[120];
        sl_cy_fs_metric(q8, 1.0, (double *)g2, NULL);
        sl_cy_points_coords(q8, (double *)u);
        sl_cy_points_jacobian(q8, (double *)J2);
        double terr = 0;
        for (int i = 0; i < 8; i++) {
            int ca[3], k = 0;
            for (int j = 0; j < 5; j++)
                if (j != pa[i] && j != el[i]) ca[k++] = j;
            cplx up = u[5 * i + pa[i]], T[9];
            for (int b = 0; b < 3; b++)
                for (int a = 0; a < 3; a++)
                    T[3 * b + a] = (J2[15 * i + 5 * b + ca[a]] - z[5 * i + ca[a]] * J2[15 * i + 5 * b + pa[i]]) / up;
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 3; c++) {
                    cplx s = 0;
                    for (int a = 0; a < 3; a++)
                        for (int d = 0; d < 3; d++) s += T[3 * b + a] * gf[9 * i + 3 * a + d] * conj(T[3 * c + d]);
                    terr = fmax(terr, cabs(s - g2[9 * i + 3 * b + c]) / cabs(g2[9 * i]));
                }
        }
        printf("  A5.6 FS transition |g' - T g T^+| / |g'| max %.2e (8 points, patch -> 2nd-largest coordinate)\n", terr);
        CHECK(terr < 1e-12, "FS transition %g", terr);
        sl_cy_points_destroy(q8);
        sl_cy_points_destroy(p8);
    }

    /* ---- A5.10: Donaldson G = d dbar K against central differences of K ---- */
    {
        sl_cy_algebraic *al = NULL;
        sl_cy_donaldson_opts o;
        sl_cy_donaldson_opts_init(&o);
        o.points = 5000, o.iters = 3;
        CHECK(sl_cy_donaldson(v, 3, &o, &al) == SL_OK, "donaldson k=3");
        cplx z[20], G[100];
        sl_cy_points *p4 = NULL;
        sl_cy_points_subset(pts, 0, 4, &p4);
        sl_cy_points_coords(p4, (double *)z);
        sl_cy_algebraic_potential(al, 4, (const double *)z, NULL, (double *)G);
        double err = 0, mx = 0;
        for (int i = 0; i < 4; i++)
            for (int a = 0; a < 5; a++)
                for (int b = 0; b < 5; b++) {
                    cplx ea[5] = {0}, eb[5] = {0};
                    ea[a] = 1, eb[b] = 1;
                    cplx fd = wirtinger(kpot_at, al, z + 5 * i, ea, eb, 4e-3);
                    err = fmax(err, cabs(fd - G[25 * i + 5 * a + b]));
                    mx = fmax(mx, cabs(G[25 * i + 5 * a + b]));
                }
        printf("  A5.10 Donaldson k = 3: d dbar K vs central differences rel err %.2e\n", err / mx);
        CHECK(err / mx < 1e-7, "donaldson FD %g", err / mx);
        sl_cy_points_destroy(p4);
        sl_cy_algebraic_destroy(al);
    }

    /* ---- weight gradient (third derivatives) vs central differences ---- */
    {
        sl_cy_points *p16 = NULL;
        sl_cy_points_subset(pts, 0, 16, &p16);
        double *g = malloc(sizeof(double) * (size_t)nw), *wp = malloc(sizeof(double) * (size_t)nw), l0;
        CHECK(sl_cy_model_loss_grad(m, p16, &l0, g) == SL_OK, "grad");
        double err = 0, mx = 0;
        const int64_t idx[] = {0, 7, 45, 159, 160, 170, 176, 300, 431, 440, 448, 600, 609, 610, 615, nw - 1};
        for (size_t t = 0; t < sizeof idx / sizeof idx[0]; t++) {
            int64_t k = idx[t];
            double hh = 1e-6, lp, lm;
            memcpy(wp, w, sizeof(double) * (size_t)nw);
            wp[k] += hh;
            sl_cy_model_set_weights(m, wp);
            sl_cy_model_losses(m, p16, &lp, NULL, NULL, NULL);
            wp[k] -= 2 * hh;
            sl_cy_model_set_weights(m, wp);
            sl_cy_model_losses(m, p16, &lm, NULL, NULL, NULL);
            double fd = (lp - lm) / (2 * hh);
            err = fmax(err, fabs(fd - g[k]));
            mx = fmax(mx, fabs(g[k]));
        }
        sl_cy_model_set_weights(m, w);
        printf("  loss gradient (16 weights) vs central differences: max abs err %.2e (max |g| %.2e), rel %.2e\n", err, mx,
               err / mx);
        CHECK(err / mx < 1e-7, "weight gradient rel err %g", err / mx);
        free(g), free(wp);
        sl_cy_points_destroy(p16);
    }

    /* ---- training lowers sigma; log; history; save/load ---- */
    {
        sl_cy_model *t = NULL;
        sl_cy_model_opts o2;
        sl_cy_model_opts_init(&o2);
        o2.width = 64;
        sl_cy_train_opts to;
        sl_cy_train_opts_init(&to);
        to.epochs = quick() ? 2 : 8;
        to.shuffle = 1;
        sl_cy_model *m0 = NULL;
        sl_cy_model_create(v, &o2, &m0);
        double s0;
        sl_cy_model_losses(m0, val, NULL, NULL, NULL, &s0);
        sl_cy_model_destroy(m0);
        CHECK(sl_discover_cy_metric(v, pts, val, &o2, &to, &t) == SL_OK, "discover: %s", sl_ctx_errmsg(ctx));
        double *hl = malloc(sizeof(double) * (size_t)to.epochs), *hs = malloc(sizeof(double) * (size_t)to.epochs);
        CHECK(sl_cy_model_epochs(t) == to.epochs, "epochs");
        sl_cy_model_history(t, hl, hs);
        printf("  training (%lld points, width 64, batch 64, %d epochs): sigma_val %.4f ->", (long long)ntrain, to.epochs, s0);
        for (int e = 0; e < to.epochs; e++) printf(" %.4f", hs[e]);
        printf("\n");
        CHECK(nlog == to.epochs, "log lines %d", nlog);
        if (!quick()) CHECK(hs[to.epochs - 1] < s0 - 0.05, "sigma lowered: %g -> %g", s0, hs[to.epochs - 1]);
        char path[64];
        snprintf(path, sizeof path, "/tmp/test_cy_model_%d.slm", (int)getpid());
        CHECK(sl_cy_model_save(t, path) == SL_OK, "save: %s", sl_ctx_errmsg(ctx));
        sl_cy_model *r = NULL;
        CHECK(sl_cy_model_load(ctx, path, &r) == SL_OK, "load: %s", sl_ctx_errmsg(ctx));
        if (r) {
            sl_cy_points *vr = NULL;
            int64_t n = sl_cy_points_count(val);
            cplx *z = malloc(sizeof(cplx) * (size_t)(n * 5));
            sl_cy_points_coords(val, (double *)z);
            CHECK(sl_cy_points_from_coords(sl_cy_model_variety(r), n, (const double *)z, NULL, NULL, &vr) == SL_OK, "vr");
            double sa, sb;
            sl_cy_model_losses(t, val, NULL, NULL, NULL, &sa);
            sl_cy_model_losses(r, vr, NULL, NULL, NULL, &sb);
            CHECK(sa == sb, "loaded model: sigma %.17g vs %.17g", sb, sa);
            CHECK(sl_cy_model_epochs(r) == to.epochs, "loaded epochs");
            free(z);
            sl_cy_points_destroy(vr);
            sl_cy_model_destroy(r);
        }
        FILE *f = fopen(path, "r+b");
        if (f) {
            fseek(f, 60, SEEK_SET);
            fputc(0x5a, f);
            fclose(f);
        }
        r = (sl_cy_model *)1;
        CHECK(sl_cy_model_load(ctx, path, &r) == SL_ERR_CORRUPT && r == NULL, "corrupt file: %s", sl_ctx_errmsg(ctx));
        remove(path);
        free(hl), free(hs);
        sl_cy_model_destroy(t);
    }

    /* ---- bad input ---- */
    {
        w[5] = NAN;
        CHECK(sl_cy_model_set_weights(m, w) == SL_ERR_NONFINITE, "nan weights");
        CHECK(strstr(sl_ctx_errmsg(ctx), "sl_cy_model_set_weights"), "msg %s", sl_ctx_errmsg(ctx));
        sl_cy_train_opts to;
        sl_cy_train_opts_init(&to);
        to.lr = -1;
        CHECK(sl_cy_model_train(m, pts, NULL, &to) == SL_ERR_ARG, "lr < 0");
        CHECK(strstr(sl_ctx_errmsg(ctx), "sl_cy_model_train: opts.lr"), "msg %s", sl_ctx_errmsg(ctx));
        sl_cy_model_opts o3;
        sl_cy_model_opts_init(&o3);
        o3.activation = 99;
        sl_cy_model *x = NULL;
        CHECK(sl_cy_model_create(v, &o3, &x) == SL_ERR_ARG && x == NULL, "activation");
        CHECK(sl_cy_model_load(ctx, "/nonexistent/cy.slm", &x) == SL_ERR_IO, "missing file");
        CHECK(sl_cy_model_metric(m, NULL, NULL, NULL) == SL_ERR_NULL, "NULL points");
    }
    free(w);
    sl_cy_model_destroy(m);
    sl_cy_points_destroy(pts), sl_cy_points_destroy(val), sl_cy_points_destroy(all);
    sl_cy_variety_destroy(v);
    sl_ctx_destroy(ctx);
    return check_done();
}
