/* The flux configuration API: defects (flux violation for the
 * classification task), arrays, files and bad input (status, a message
 * naming the call, nothing changed). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

#define MSG(ctx, name) CHECK(strstr(sl_ctx_errmsg(ctx), name) != NULL, "message '%s' names %s", sl_ctx_errmsg(ctx), name)

static void defects(sl_ctx *ctx)
{
    sl_flux *F;
    CHECK(sl_flux_create(ctx, 8, 6, 0.1, 1.0, 1.0, &F) == SL_OK, "create");
    CHECK(sl_flux_sweep(F, 50, 6, SL_FLUX_L_AUTO, 3) == SL_OK, "sweep");
    int64_t n = 48, div[48], f[48], q;
    double a[192], b[192];
    sl_flux_export(F, 192, a);
    CHECK(sl_flux_is_closed(F), "closed after sweeps");
    for (int d = 0; d < 2; ++d)
        for (int dk = -1; dk <= 1; dk += 2) {
            CHECK(sl_flux_add_defect(F, d, 3, 5, dk) == SL_OK, "defect");
            CHECK(!sl_flux_is_closed(F), "defect: not closed");
            sl_flux_divergence(F, n, div);
            int64_t s2 = 0, nz = 0;
            for (int i = 0; i < n; ++i) {
                s2 += div[i] * div[i];
                nz += div[i] != 0;
            }
            /* sum div^2 = 2: the 2 / N of SF-T7(b) after global averaging */
            CHECK(s2 == 2 && nz == 2 && div[3 * 6 + 5] == dk, "defect d %d dk %d: sum div^2 %lld", d, dk, (long long)s2);
            /* f recomputed: f changes by +-1 at both ends */
            sl_flux_site_f(F, n, f);
            CHECK((f[3 * 6 + 5] & 1) == 1, "f odd at the defect");
            CHECK(sl_flux_sweep(F, 1, 1, SL_FLUX_L_AUTO, 3) == SL_ERR_STATE, "sweep refuses an open configuration");
            MSG(ctx, "sl_flux_sweep");
            CHECK(sl_flux_run(F, 1, 1, SL_FLUX_L_AUTO, 3, NULL, NULL, NULL) == SL_ERR_STATE, "run refuses");
            MSG(ctx, "sl_flux_run");
            CHECK(sl_flux_winding(F, &q) == SL_ERR_STATE, "winding refuses");
            MSG(ctx, "sl_flux_winding");
            double dn;
            CHECK(sl_flux_density(F, &dn) == SL_ERR_STATE, "density refuses");
            double p;
            CHECK(sl_flux_phi2(F, &p) == SL_OK && isfinite(p), "phi2 of an open configuration");
            CHECK(sl_flux_add_defect(F, d, 3, 5, -dk) == SL_OK, "undo");
            CHECK(sl_flux_is_closed(F), "closed again");
        }
    sl_flux_export(F, 192, b);
    CHECK(memcmp(a, b, sizeof a) == 0, "defects undone exactly");
    /* bad defects */
    CHECK(sl_flux_add_defect(F, 2, 0, 0, 1) == SL_ERR_ARG, "d 2");
    MSG(ctx, "sl_flux_add_defect");
    CHECK(sl_flux_add_defect(F, 0, 8, 0, 1) == SL_ERR_ARG, "t out of range");
    CHECK(sl_flux_add_defect(F, 0, 0, -1, 1) == SL_ERR_ARG, "x out of range");
    CHECK(sl_flux_add_defect(F, 0, 0, 0, 2) == SL_ERR_ARG, "dk 2");
    CHECK(sl_flux_is_closed(F), "bad defects change nothing");
    sl_flux_destroy(F);
}

static void arrays_and_bad_input(sl_ctx *ctx)
{
    sl_flux *F = (sl_flux *)1;
    /* create */
    CHECK(sl_flux_create(ctx, 6, 4, 0.1, 1.0, NAN, &F) == SL_ERR_ARG && F == NULL, "NaN mu");
    MSG(ctx, "sl_flux_create");
    CHECK(sl_flux_create(ctx, 6, 4, 0.1, -1.0, 1.0, &F) == SL_ERR_ARG, "negative lambda");
    MSG(ctx, "lambda");
    CHECK(sl_flux_create(ctx, 6, 4, NAN, 1.0, 1.0, &F) == SL_ERR_ARG, "NaN m");
    CHECK(sl_flux_create(ctx, 6, 4, 0.1, INFINITY, 1.0, &F) == SL_ERR_ARG, "inf lambda");
    CHECK(sl_flux_create(ctx, 1, 4, 0.1, 1.0, 1.0, &F) == SL_ERR_ARG, "nt 1");
    CHECK(sl_flux_create(ctx, 6, 0, 0.1, 1.0, 1.0, &F) == SL_ERR_ARG, "nx 0");
    CHECK(sl_flux_create(ctx, 1 << 20, 1 << 20, 0.1, 1.0, 1.0, &F) == SL_ERR_ARG, "too many sites");
    CHECK(sl_flux_create(ctx, 6, 4, 0.1, 0.0, 1.0, &F) == SL_ERR_ARG, "free theory past its threshold");
    MSG(ctx, "free theory");
    CHECK(sl_flux_create(ctx, 6, 4, 0.1, 1.0, 1.0, NULL) == SL_ERR_NULL, "NULL out");
    CHECK(sl_flux_create(NULL, 6, 4, 0.1, 1.0, 1.0, &F) == SL_ERR_NULL, "NULL ctx");
    CHECK(sl_flux_create(ctx, 6, 4, 2.0, 0.0, 0.5, &F) == SL_OK, "free theory below threshold: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_flux_sweep(F, 20, 3, SL_FLUX_L_AUTO, 1) == SL_OK, "free sweep");
    sl_flux_destroy(F);
    CHECK(sl_flux_create(ctx, 5, 4, 0.1, 1.0, 1.0, &F) == SL_OK, "create 5x4");
    CHECK(sl_flux_nt(F) == 5 && sl_flux_nx(F) == 4 && sl_flux_mass(F) == 0.1 && sl_flux_lambda(F) == 1.0 &&
              sl_flux_mu(F) == 1.0,
          "getters");
    /* sweeps */
    CHECK(sl_flux_sweep(F, 1, 1, SL_FLUX_L_CHECKERBOARD, 1) == SL_ERR_SHAPE, "checkerboard on odd nt");
    MSG(ctx, "sl_flux_sweep");
    MSG(ctx, "checkerboard");
    CHECK(sl_flux_sweep(F, 1, 1, 7, 1) == SL_ERR_ARG, "lmode 7");
    CHECK(sl_flux_sweep(F, -1, 1, 0, 1) == SL_ERR_ARG, "nsweeps -1");
    CHECK(sl_flux_sweep(F, 1, -1, 0, 1) == SL_ERR_ARG, "nworms -1");
    CHECK(sl_flux_rng_counter(F) == 0, "nothing drawn by refused calls");
    CHECK(sl_flux_sweep(F, 10, 3, SL_FLUX_L_SEQUENTIAL, 1) == SL_OK, "sequential on odd");
    CHECK(sl_flux_sweep(F, 10, 3, SL_FLUX_L_AUTO, 1) == SL_OK, "auto on odd");
    CHECK(sl_flux_sweep(NULL, 1, 1, 0, 1) == SL_ERR_NULL, "NULL F");
    /* params */
    CHECK(sl_flux_set_mu(F, NAN) == SL_ERR_ARG && sl_flux_mu(F) == 1.0, "set_mu NaN");
    MSG(ctx, "sl_flux_set_mu");
    CHECK(sl_flux_set_params(F, 0.1, -2, 0.3) == SL_ERR_ARG && sl_flux_lambda(F) == 1.0, "set_params lambda < 0");
    MSG(ctx, "sl_flux_set_params");
    /* import */
    int64_t n = 20;
    double a[80], b[80];
    sl_flux_export(F, 4 * n, a);
    memcpy(b, a, sizeof a);
    b[7] = 0.5;
    CHECK(sl_flux_import(F, 4 * n, b) == SL_ERR_ARG, "non-integer k");
    MSG(ctx, "sl_flux_import");
    MSG(ctx, "k_t at t = 1, x = 3");
    b[7] = a[7];
    b[2 * n + 3] = -1;
    CHECK(sl_flux_import(F, 4 * n, b) == SL_ERR_ARG, "negative l");
    MSG(ctx, "l_t");
    b[2 * n + 3] = a[2 * n + 3];
    b[n + 1] = NAN;
    CHECK(sl_flux_import(F, 4 * n, b) == SL_ERR_NONFINITE, "NaN");
    b[n + 1] = 1e30;
    CHECK(sl_flux_import(F, 4 * n, b) == SL_ERR_ARG, "huge");
    CHECK(sl_flux_import(F, 4 * n - 1, a) == SL_ERR_SHAPE, "count");
    CHECK(sl_flux_import(F, 4 * n, NULL) == SL_ERR_NULL, "NULL a");
    double c[80];
    sl_flux_export(F, 4 * n, c);
    CHECK(memcmp(a, c, sizeof a) == 0, "failed imports change nothing");
    CHECK(sl_flux_export(F, 3, c) == SL_ERR_SHAPE, "export count");
    MSG(ctx, "sl_flux_export");
    /* import of a non-closed array: allowed; sweeps refuse it */
    memset(b, 0, sizeof b);
    b[0] = 1;
    CHECK(sl_flux_import(F, 4 * n, b) == SL_OK, "import open");
    CHECK(!sl_flux_is_closed(F), "open");
    CHECK(sl_flux_sweep(F, 1, 1, 0, 1) == SL_ERR_STATE, "sweep refuses");
    /* a closed import: one winding line in time at x = 2 (Q = 1), and l */
    memset(b, 0, sizeof b);
    for (int t = 0; t < 5; ++t) b[t * 4 + 2] = 1;
    b[2 * n + 5] = 3;
    CHECK(sl_flux_import(F, 4 * n, b) == SL_OK && sl_flux_is_closed(F), "import closed");
    int64_t q, f[20];
    double dens;
    CHECK(sl_flux_winding(F, &q) == SL_OK && q == 1, "Q = 1");
    CHECK(sl_flux_density(F, &dens) == SL_OK && dens == 0.25, "n = Q / Nx = 0.25 (%g)", dens);
    sl_flux_site_f(F, n, f);
    CHECK(f[2] == 2 && f[5] == 6 && f[9] == 6 + 0 && f[0] == 0, "f of the import (%lld %lld %lld)", (long long)f[2],
          (long long)f[5], (long long)f[9]);
    /* the log weight by hand: mu Q Nt - 5 ln 1! - 2 ln 3!... */
    double lw, ref, w[8];
    sl_flux_site_log_weights(ctx, 4.01, 1.0, 8, w);
    sl_flux_log_weight(F, &lw);
    ref = 1.0 * 5 - 2 * lgamma(4.0) + 5 * w[2] + 2 * w[6] + 13 * w[0];
    /* sites: the 5 on the line have f = 2, except (1, 1)? no: l sits on link (1,1)->(2,1) */
    CHECK(fabs(lw - ref) < 1e-12 * fabs(ref), "log weight %.15g vs %.15g", lw, ref);
    CHECK(sl_flux_clear(F) == SL_OK && sl_flux_is_closed(F), "clear");
    sl_flux_winding(F, &q);
    CHECK(q == 0, "clear: Q 0");
    /* null handles */
    CHECK(sl_flux_winding(NULL, &q) == SL_ERR_NULL && sl_flux_winding(F, NULL) == SL_ERR_NULL, "winding NULL");
    CHECK(sl_flux_reflect(F, 2) == SL_ERR_ARG, "axis 2");
    MSG(ctx, "sl_flux_reflect");
    CHECK(sl_flux_divergence(F, 3, f) == SL_ERR_SHAPE, "div count");
    CHECK(sl_flux_is_closed(NULL) == 0, "is_closed NULL");
    sl_flux_destroy(F);
    sl_flux_destroy(NULL);
}

static void files(sl_ctx *ctx)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/sl_flux_test_%d.slf", (int)getpid());
    sl_flux *F, *G;
    CHECK(sl_flux_create(ctx, 10, 4, 0.1, 1.0, 1.02, &F) == SL_OK, "create");
    CHECK(sl_flux_sweep(F, 100, 5, SL_FLUX_L_AUTO, 8) == SL_OK, "sweep");
    CHECK(sl_flux_save(F, path) == SL_OK, "save: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_flux_load(ctx, path, &G) == SL_OK, "load: %s", sl_ctx_errmsg(ctx));
    double a[160], b[160];
    sl_flux_export(F, 160, a);
    sl_flux_export(G, 160, b);
    CHECK(memcmp(a, b, sizeof a) == 0, "fields round trip");
    CHECK(sl_flux_mu(G) == 1.02 && sl_flux_mass(G) == 0.1 && sl_flux_rng_counter(G) == sl_flux_rng_counter(F),
          "params, counter");
    uint64_t s1[5], s2[5];
    sl_flux_stats(F, s1, s1 + 1, s1 + 2, s1 + 3, s1 + 4);
    sl_flux_stats(G, s2, s2 + 1, s2 + 2, s2 + 3, s2 + 4);
    CHECK(memcmp(s1, s2, sizeof s1) == 0, "stats round trip");
    /* continuing from the file = continuing the original */
    sl_flux_sweep(F, 50, 5, SL_FLUX_L_AUTO, 8);
    sl_flux_sweep(G, 50, 5, SL_FLUX_L_AUTO, 8);
    sl_flux_export(F, 160, a);
    sl_flux_export(G, 160, b);
    CHECK(memcmp(a, b, sizeof a) == 0, "continued runs agree");
    sl_flux_destroy(G);
    /* damaged file */
    FILE *fp = fopen(path, "r+b");
    if (fp) {
        fseek(fp, 60, SEEK_SET);
        fputc(0x5a, fp);
        fclose(fp);
    }
    G = (sl_flux *)1;
    CHECK(sl_flux_load(ctx, path, &G) == SL_ERR_CORRUPT && G == NULL, "damaged file");
    MSG(ctx, "sl_flux_load");
    CHECK(sl_flux_load(ctx, "/nonexistent/dir/x.slf", &G) == SL_ERR_IO, "missing file");
    CHECK(sl_flux_save(F, "/nonexistent/dir/x.slf") == SL_ERR_IO, "unwritable");
    MSG(ctx, "sl_flux_save");
    CHECK(sl_flux_load(ctx, NULL, &G) == SL_ERR_NULL, "NULL path");
    remove(path);
    sl_flux_destroy(F);
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    defects(ctx);
    arrays_and_bad_input(ctx);
    files(ctx);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "everything freed (%zu bytes)", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
