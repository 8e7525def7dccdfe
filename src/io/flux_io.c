/* Flux configurations on disk (include/symlearn/scalar.h): a container of
 * kind FLUX, version 1.  Records: NT, NX (i64), MASS, LAMB, MU (f64), K and
 * L (i64, 2 N each, [d][t][x] with d = 0 time), RNG (u64: counter), STAT
 * (u64: worms, steps, accepted, l proposals, l accepted); docs/file-format.md,
 * kind FLUX. */
#include "container.h"
#include "io_internal.h"
#include "../scalar/scalar_internal.h"

#include <math.h>

#define FLUX_VERSION 1
#define T_NT SL__TAG('N', 'T', ' ', ' ')
#define T_NX SL__TAG('N', 'X', ' ', ' ')
#define T_MASS SL__TAG('M', 'A', 'S', 'S')
#define T_LAMB SL__TAG('L', 'A', 'M', 'B')
#define T_MU SL__TAG('M', 'U', ' ', ' ')
#define T_K SL__TAG('K', ' ', ' ', ' ')
#define T_L SL__TAG('L', ' ', ' ', ' ')
#define T_RNG SL__TAG('R', 'N', 'G', ' ')
#define T_STAT SL__TAG('S', 'T', 'A', 'T')

sl_status sl_flux_save(const sl_flux *F, const char *path)
{
    const char *who = "sl_flux_save";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    sl_ctx *ctx = F->ctx;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    size_t n2 = 2 * (size_t)F->n;
    int64_t *buf = sl__alloc(ctx, 2 * n2 * sizeof(int64_t), 0, who);
    if (!buf) return SL_ERR_NOMEM;
    for (size_t i = 0; i < n2; ++i) {
        buf[i] = F->k[i];
        buf[n2 + i] = F->l[i];
    }
    uint64_t stat[5] = {F->worms, F->steps, F->accepted, F->lprop, F->lacc};
    sl__cw w;
    sl__cw_begin(&w, ctx, who, SL__KIND_FLUX, FLUX_VERSION);
    sl__cw_i64_1(&w, T_NT, F->nt);
    sl__cw_i64_1(&w, T_NX, F->nx);
    sl__cw_f64_1(&w, T_MASS, F->m);
    sl__cw_f64_1(&w, T_LAMB, F->lambda);
    sl__cw_f64_1(&w, T_MU, F->mu);
    sl__cw_i64(&w, T_K, buf, n2);
    sl__cw_i64(&w, T_L, buf + n2, n2);
    sl__cw_u64(&w, T_RNG, &F->counter, 1);
    sl__cw_u64(&w, T_STAT, stat, 5);
    sl_status st = sl__cw_commit(&w, path);
    sl__free(ctx, buf);
    return st;
}

static sl_status read_flux(const sl__crd *rd, sl_flux **out)
{
    sl_ctx *ctx = rd->ctx;
    int64_t nt, nx;
    double m, lambda, mu;
    sl_status st;
    if ((st = sl__crd_i64_1(rd, T_NT, 2, SL__FLUX_MAX_SIDE, &nt)) || (st = sl__crd_i64_1(rd, T_NX, 2, SL__FLUX_MAX_SIDE, &nx)))
        return st;
    if (nt * nx > SL__FLUX_MAX_SITES) return sl__crd_bad(rd, T_NX, "%lld x %lld sites (at most 2^26)", (long long)nt, (long long)nx);
    if ((st = sl__crd_f64_1(rd, T_MASS, 1, &m)) || (st = sl__crd_f64_1(rd, T_LAMB, 1, &lambda)) ||
        (st = sl__crd_f64_1(rd, T_MU, 1, &mu)))
        return st;
    if (sl__flux_check_params(ctx, "parameters", m, lambda, mu)) return sl__crd_bad(rd, T_LAMB, "%s", sl_ctx_errmsg(ctx));
    int64_t n2 = 2 * nt * nx;
    uint64_t counter, stat[5];
    if ((st = sl__crd_i64(rd, T_K, NULL, n2)) || (st = sl__crd_i64(rd, T_L, NULL, n2)) ||
        (st = sl__crd_u64(rd, T_RNG, &counter, 1)) || (st = sl__crd_u64(rd, T_STAT, stat, 5)))
        return st;
    int64_t *buf = sl__alloc(ctx, 2 * (size_t)n2 * sizeof(int64_t), 0, rd->who);
    if (!buf) return SL_ERR_NOMEM;
    st = sl__crd_i64(rd, T_K, buf, n2);
    if (!st) st = sl__crd_i64(rd, T_L, buf + n2, n2);
    for (int64_t i = 0; !st && i < n2; ++i) {
        if (buf[i] < -SL__FLUX_MAX_VALUE || buf[i] > SL__FLUX_MAX_VALUE)
            st = sl__crd_bad(rd, T_K, "value [%lld] = %lld (|k| <= 2^24)", (long long)i, (long long)buf[i]);
        else if (buf[n2 + i] < 0 || buf[n2 + i] > SL__FLUX_MAX_VALUE)
            st = sl__crd_bad(rd, T_L, "value [%lld] = %lld (0 <= l <= 2^24)", (long long)i, (long long)buf[n2 + i]);
    }
    sl_flux *F = NULL;
    if (!st) st = sl__flux_new(ctx, rd->who, nt, nx, m, lambda, mu, &F);
    if (!st) {
        double *a = sl__alloc(ctx, 2 * (size_t)n2 * sizeof(double), 0, rd->who);
        if (!a) st = SL_ERR_NOMEM;
        else {
            for (int64_t i = 0; i < 2 * n2; ++i) a[i] = (double)buf[i];
            st = sl_flux_import(F, 2 * n2, a);   /* f, the weight table; values already checked */
            if (st) st = sl__rewho(ctx, st, rd->who);
            sl__free(ctx, a);
        }
    }
    sl__free(ctx, buf);
    if (st) {
        sl_flux_destroy(F);
        return st;
    }
    F->counter = counter;
    F->worms = stat[0];
    F->steps = stat[1];
    F->accepted = stat[2];
    F->lprop = stat[3];
    F->lacc = stat[4];
    *out = F;
    return SL_OK;
}

sl_status sl_flux_load(sl_ctx *ctx, const char *path, sl_flux **out)
{
    const char *who = "sl_flux_load";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    st = sl__flux_parse(ctx, who, path, buf, len, out);
    sl__free(ctx, buf);
    return st;
}

sl_status sl__flux_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data, size_t len, sl_flux **out)
{
    sl__cfile f;
    sl_status st = sl__cfile_parse(ctx, who, name, data, len, SL__KIND_FLUX, FLUX_VERSION, &f);
    if (!st) st = read_flux(&f.root, out);
    sl__cfile_close(&f);
    return st;
}
