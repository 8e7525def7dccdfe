/* The benchmark systems (include/symlearn/dynamics.h): the known conserved
 * quantities are conserved along integrated trajectories, gradients agree with
 * finite differences of H, grouped samples keep their invariants. */
#include "check.h"
#include "symlearn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NTRAJ 20
#define NOUT 101

/* relvar as in the study (docs/conserved.md): mean over trajectories of the
 * variance along the trajectory over the variance over the box samples */
static void conserved_along_trajectories(sl_ctx *ctx, int kind)
{
    sl_system *s;
    CHECK(sl_system_create(ctx, kind, &s) == SL_OK, "create %d", kind);
    int64_t d = sl_system_dim(s);
    double lo[12], hi[12];
    sl_system_box(s, lo, hi);
    int quick = getenv("SL_TEST_QUICK") != NULL;
    int ntraj = quick ? 4 : NTRAJ;
    int64_t per = NOUT, every = 10;
    double *x = malloc(sizeof(double) * (size_t)(ntraj * per * d)), *v = malloc(sizeof(double) * (size_t)(ntraj * per));
    double *box = malloc(sizeof(double) * (size_t)(2000 * d)), *vb = malloc(sizeof(double) * 2000);
    sl_status st = sl_sample_trajectories(ctx, sl_system_vector_field, s, d, lo, hi, sl_system_in_domain, s, ntraj, per,
                                          1e-3, every, (uint64_t)kind, x, NULL);
    CHECK(st == SL_OK, "%s: trajectories: %s", sl_system_name(s), sl_ctx_errmsg(ctx));
    sl_sample_box(ctx, d, lo, hi, sl_system_in_domain, s, 2000, 99, box);
    for (int k = 0; k < sl_system_known_count(s) && !st; ++k) {
        sl_system_known_eval(s, k, ntraj * per, x, v);
        sl_system_known_eval(s, k, 2000, box, vb);
        double mb = 0, vbox = 0, rel = 0;
        for (int i = 0; i < 2000; ++i) mb += vb[i] / 2000;
        for (int i = 0; i < 2000; ++i) vbox += (vb[i] - mb) * (vb[i] - mb) / 1999;
        for (int t = 0; t < ntraj; ++t) {
            double m = 0, var = 0;
            for (int i = 0; i < per; ++i) m += v[t * per + i] / (double)per;
            for (int i = 0; i < per; ++i) var += (v[t * per + i] - m) * (v[t * per + i] - m) / (double)(per - 1);
            rel += var / vbox / ntraj;
        }
        printf("%-45s %-60s relvar %.2e\n", sl_system_name(s), sl_system_known_name(s, k), rel);
        CHECK(rel < 1e-16, "%s: %s relvar %.3e", sl_system_name(s), sl_system_known_name(s, k), rel);
        /* a non-conserved control: the first coordinate varies */
        if (k == 0) {
            double m = 0, var = 0;
            for (int i = 0; i < per; ++i) m += x[i * d] / (double)per;
            for (int i = 0; i < per; ++i) var += (x[i * d] - m) * (x[i * d] - m);
            CHECK(var > 1e-6, "%s: x_0 varies along a trajectory (%.3e)", sl_system_name(s), var);
        }
    }
    /* dH/dz against central differences of H; f = J dH for the Hamiltonian ones */
    if (sl_system_is_hamiltonian(s)) {
        double z[12], g[12], f[12], zp[12], hp, hm, worst = 0, worstf = 0;
        memcpy(z, box, sizeof(double) * (size_t)d);
        sl_system_grad_h(s, z, g, d);
        sl_system_vector_field(s, 0, z, f, d);
        for (int64_t i = 0; i < d; ++i) {
            memcpy(zp, z, sizeof zp);
            zp[i] += 1e-5;
            sl_system_hamiltonian(s, 1, zp, &hp);
            zp[i] -= 2e-5;
            sl_system_hamiltonian(s, 1, zp, &hm);
            worst = fmax(worst, fabs((hp - hm) / 2e-5 - g[i]) / fmax(1, fabs(g[i])));
        }
        for (int64_t i = 0; i < d / 2; ++i)
            worstf = fmax(worstf, fabs(f[i] - g[d / 2 + i]) + fabs(f[d / 2 + i] + g[i]));
        CHECK(worst < 1e-8, "%s: dH/dz vs differences %.3e", sl_system_name(s), worst);
        CHECK(worstf == 0, "%s: f = J dH/dz", sl_system_name(s));
        if (sl_system_is_separable(s)) {
            double gv[6], gt[6];
            CHECK(sl_system_grad_v(s, z, gv, d / 2) == 0 && sl_system_grad_t(s, z + d / 2, gt, d / 2) == 0, "grad v, t");
            CHECK(memcmp(gv, g, sizeof(double) * (size_t)(d / 2)) == 0 && memcmp(gt, g + d / 2, sizeof(double) * (size_t)(d / 2)) == 0,
                  "%s: (dV/dq, dT/dp) = dH/dz", sl_system_name(s));
        } else {
            CHECK(sl_system_grad_v(s, z, g, d / 2) != 0, "non-separable: no dV/dq");
        }
    }
    CHECK(sl_system_vector_field(s, 0, box, v, d + 1) != 0, "wrong dimension refused");
    free(x);
    free(v);
    free(box);
    free(vb);
    sl_system_destroy(s);
}

static void grouped(sl_ctx *ctx, int kind)
{
    sl_system *s;
    sl_system_create(ctx, kind, &s);
    int64_t d = sl_system_dim(s), ng = 30, per = 10;
    double *x = malloc(sizeof(double) * (size_t)(ng * per * d)), *v = malloc(sizeof(double) * (size_t)(ng * per));
    int64_t *grp = malloc(sizeof(int64_t) * (size_t)(ng * per));
    CHECK(sl_system_sample_groups(s, ng, per, 0, x, grp) == SL_OK, "groups: %s", sl_ctx_errmsg(ctx));
    CHECK(grp[per] == 1 && grp[ng * per - 1] == ng - 1, "group ids");
    for (int k = 0; k < sl_system_known_count(s); ++k) {
        sl_system_known_eval(s, k, ng * per, x, v);
        double within = 0, spread = 0;
        for (int g = 0; g < ng; ++g) {
            for (int j = 1; j < per; ++j) within = fmax(within, fabs(v[g * per + j] - v[g * per]));
            spread = fmax(spread, fabs(v[g * per] - v[0]));
        }
        printf("%-45s %-30s max change in a group %.2e, spread over groups %.2f\n", sl_system_name(s),
               sl_system_known_name(s, k), within, spread);
        CHECK(within < 1e-12, "%s invariant within groups %.3e", sl_system_known_name(s, k), within);
        CHECK(spread > 0.1, "the invariant differs between groups");
    }
    /* the coordinates themselves change within a group */
    CHECK(fabs(x[0] - x[d]) > 1e-3, "boosted frames differ");
    double dx[6];
    CHECK(sl_system_vector_field(s, 0, x, dx, d) != 0, "no vector field");
    sl_system *b1;
    sl_system_create(ctx, SL_SYSTEM_OSCILLATOR, &b1);
    CHECK(sl_system_sample_groups(b1, 1, 1, 0, x, grp) == SL_ERR_STATE, "not grouped");
    sl_system_destroy(b1);
    free(x);
    free(v);
    free(grp);
    sl_system_destroy(s);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    const int kinds[] = {SL_SYSTEM_OSCILLATOR, SL_SYSTEM_ISOTROPIC, SL_SYSTEM_ANISOTROPIC, SL_SYSTEM_RESONANT,
                         SL_SYSTEM_KEPLER, SL_SYSTEM_TODA, SL_SYSTEM_DOUBLE_PENDULUM, SL_SYSTEM_THREE_BODY,
                         SL_SYSTEM_SID_TOY, SL_SYSTEM_FPU_BETA};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) conserved_along_trajectories(ctx, kinds[i]);
    grouped(ctx, SL_SYSTEM_LORENTZ_EVENTS);
    grouped(ctx, SL_SYSTEM_EM_FIELDS);
    sl_system *s;
    CHECK(sl_system_create(ctx, 0, &s) == SL_ERR_ARG && s == NULL, "unknown kind");
    CHECK(sl_system_create(ctx, 13, &s) == SL_ERR_ARG, "unknown kind 13");
    CHECK(strstr(sl_ctx_errmsg(ctx), "sl_system_create") != NULL, "message names the call");
    CHECK(sl_system_dim(NULL) == 0 && sl_system_known_name(NULL, 0) == NULL, "NULL system");
    sl_ctx_destroy(ctx);
    return check_done();
}
