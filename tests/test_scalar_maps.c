/* SF-T6: reflections and translations of flux configurations (the table of
 * shared/research/scalar_field.md §3.1, from transform_featuremaps.py of
 * LukasEin/scalar_ml_reflection), on closed configurations from the sampler
 * (6 x 4 and the odd 5 x 3, mu = 0.7): twice = identity; a reflected or
 * translated closed configuration is closed; the weight is preserved at
 * mu = 0 (and under x-reflection and translations at any mu); a
 * t-reflection maps Q to -Q and the weight at mu to the weight at -mu; the
 * library's maps equal torch-style flip + roll on the exported arrays. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "symlearn.h"

/* torch.flip along axis, then torch.roll by shift along it, on one (nt, nx) channel */
static void flip_roll(const double *in, double *out, int64_t nt, int64_t nx, int axis, int64_t shift)
{
    for (int64_t t = 0; t < nt; ++t)
        for (int64_t x = 0; x < nx; ++x) {
            /* roll: out[i] = in'[i - shift]; flip: in'[j] = in[N - 1 - j] */
            int64_t tt = t, xx = x;
            if (axis == 0) tt = nt - 1 - (((t - shift) % nt + nt) % nt);
            else xx = nx - 1 - (((x - shift) % nx + nx) % nx);
            out[t * nx + x] = in[tt * nx + xx];
        }
}

static void torch_reflect(const double *a, double *b, int64_t nt, int64_t nx, int axis)
{
    int64_t n = nt * nx;
    for (int c = 0; c < 4; ++c) {
        int d = c % 2;   /* k_t, k_x, l_t, l_x */
        int along = d == axis;
        flip_roll(a + c * n, b + c * n, nt, nx, axis, along ? -1 : 0);
        if (along && c < 2)
            for (int64_t i = 0; i < n; ++i) b[c * n + i] = 0.0 - b[c * n + i];   /* +0, not -0 */
    }
}

static void maps(sl_ctx *ctx, int64_t nt, int64_t nx)
{
    int64_t n = nt * nx;
    sl_flux *F, *G;
    CHECK(sl_flux_create(ctx, nt, nx, 0.1, 1.0, 0.7, &F) == SL_OK, "create");
    double *a = malloc((size_t)(4 * n) * sizeof(double)), *b = malloc((size_t)(4 * n) * sizeof(double));
    double *c = malloc((size_t)(4 * n) * sizeof(double));
    int configs = 0, qnonzero = 0;
    for (int rep = 0; rep < 40; ++rep) {
        CHECK(sl_flux_sweep(F, 3, n / 4 + 1, SL_FLUX_L_AUTO, 99) == SL_OK, "sweep %s", sl_ctx_errmsg(ctx));
        sl_flux_export(F, 4 * n, a);
        int64_t q;
        sl_flux_winding(F, &q);
        qnonzero += q != 0;
        configs++;
        double w, wm, w0;
        sl_flux_log_weight(F, &w);
        sl_flux_set_mu(F, -0.7);
        sl_flux_log_weight(F, &wm);
        sl_flux_set_mu(F, 0.0);
        sl_flux_log_weight(F, &w0);
        sl_flux_set_mu(F, 0.7);
        for (int axis = 0; axis < 2; ++axis) {
            CHECK(sl_flux_copy(F, &G) == SL_OK, "copy");
            CHECK(sl_flux_reflect(G, axis) == SL_OK, "reflect");
            sl_flux_export(G, 4 * n, b);
            torch_reflect(a, c, nt, nx, axis);
            CHECK(memcmp(b, c, (size_t)(4 * n) * sizeof(double)) == 0, "%lldx%lld axis %d: library != flip + roll",
                  (long long)nt, (long long)nx, axis);
            CHECK(sl_flux_is_closed(G), "reflected config closed");
            int64_t q2 = 0;
            sl_flux_winding(G, &q2);
            CHECK(q2 == (axis == 0 ? -q : q), "axis %d: Q %lld -> %lld", axis, (long long)q, (long long)q2);
            double wr, wr0;
            sl_flux_log_weight(G, &wr);
            sl_flux_set_mu(G, 0.0);
            sl_flux_log_weight(G, &wr0);
            CHECK(fabs(wr0 - w0) <= 1e-12 * fabs(w0), "axis %d: weight at mu 0 %.17g vs %.17g", axis, wr0, w0);
            double want = axis == 0 ? wm : w;   /* t-reflection: mu -> -mu */
            CHECK(fabs(wr - want) <= 1e-12 * fabs(want), "axis %d: weight at mu 0.7 %.17g vs %.17g", axis, wr, want);
            sl_flux_set_mu(G, 0.7);
            CHECK(sl_flux_reflect(G, axis) == SL_OK, "reflect twice");
            sl_flux_export(G, 4 * n, b);
            CHECK(memcmp(a, b, (size_t)(4 * n) * sizeof(double)) == 0, "axis %d twice != identity", axis);
            sl_flux_destroy(G);
        }
        /* translations: closed, same weight and Q, inverse = identity, composition */
        CHECK(sl_flux_copy(F, &G) == SL_OK, "copy");
        int64_t dt = rep % nt - 2, dx = 3 * rep + 1;
        sl_flux_translate(G, dt, dx);
        CHECK(sl_flux_is_closed(G), "translated closed");
        double wt;
        int64_t qt;
        sl_flux_log_weight(G, &wt);
        sl_flux_winding(G, &qt);
        CHECK(fabs(wt - w) <= 1e-12 * fabs(w) && qt == q, "translation weight / Q");
        sl_flux_export(G, 4 * n, b);
        int shift_ok = 1;
        for (int ch = 0; ch < 4; ++ch)
            for (int64_t t = 0; t < nt; ++t)
                for (int64_t x = 0; x < nx; ++x) {
                    int64_t st = ((t - dt) % nt + nt) % nt, sx = ((x - dx) % nx + nx) % nx;
                    shift_ok &= b[ch * n + t * nx + x] == a[ch * n + st * nx + sx];
                }
        CHECK(shift_ok, "translation = torch.roll");
        sl_flux_translate(G, -dt, -dx);
        sl_flux_export(G, 4 * n, b);
        CHECK(memcmp(a, b, (size_t)(4 * n) * sizeof(double)) == 0, "translate back != identity");
        /* reflection conjugates a translation to its inverse (in t) */
        sl_flux_reflect(G, 0);
        sl_flux_translate(G, 1, 0);
        sl_flux_reflect(G, 0);
        sl_flux_translate(G, 1, 0);
        sl_flux_export(G, 4 * n, b);
        CHECK(memcmp(a, b, (size_t)(4 * n) * sizeof(double)) == 0, "R T R T != identity");
        sl_flux_destroy(G);
    }
    CHECK(qnonzero > 0, "some configurations wind (%d of %d)", qnonzero, configs);
    printf("SF-T6 %lldx%lld: %d closed configurations (%d with Q != 0): reflections, translations exact\n",
           (long long)nt, (long long)nx, configs, qnonzero);
    free(a);
    free(b);
    free(c);
    sl_flux_destroy(F);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    maps(ctx, 6, 4);
    maps(ctx, 5, 3);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "everything freed");
    sl_ctx_destroy(ctx);
    return check_done();
}
