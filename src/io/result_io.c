/* Symmetry results on disk: a container of kind SYMR (docs/file-format.md),
 * version 1.  Results written by 1.0.0 (SLSYMR1) are read by legacy_io.c;
 * both loaders end in sl__symmetry_result_check, so a loaded result always
 * satisfies what the accessors and sl_symmetry_result_print rely on. */
#include "container.h"
#include "../discover/symmetry_internal.h"

#include <limits.h>
#include <math.h>

#define SYMR_VERSION 1

#define T_N SL__TAG('N', ' ', ' ', ' ')
#define T_D SL__TAG('D', ' ', ' ', ' ')
#define T_SOLV SL__TAG('S', 'O', 'L', 'V')
#define T_SIGN SL__TAG('S', 'I', 'G', 'N')
#define T_RANK SL__TAG('R', 'A', 'N', 'K')
#define T_CENT SL__TAG('C', 'E', 'N', 'T')
#define T_CMPT SL__TAG('C', 'M', 'P', 'T')
#define T_NAME SL__TAG('N', 'A', 'M', 'E')
#define T_GENS SL__TAG('G', 'E', 'N', 'S')
#define T_STRC SL__TAG('S', 'T', 'R', 'C')
#define T_KILL SL__TAG('K', 'I', 'L', 'L')
#define T_EIG SL__TAG('E', 'I', 'G', ' ')
#define T_SIMP SL__TAG('S', 'I', 'M', 'P')
#define T_SV SL__TAG('S', 'V', ' ', ' ')
#define T_SCNG SL__TAG('S', 'C', 'N', 'G')
#define T_SCNL SL__TAG('S', 'C', 'N', 'L')
#define T_CRES SL__TAG('C', 'R', 'E', 'S')
#define T_LOSS SL__TAG('L', 'O', 'S', 'S')
#define T_ILOS SL__TAG('I', 'L', 'O', 'S')
#define T_GAP SL__TAG('G', 'A', 'P', ' ')

static void put_ints(sl__cw *w, uint32_t tag, const int *x, int n)
{
    int64_t tmp[64];
    if (n <= 64) {
        for (int i = 0; i < n; ++i) tmp[i] = x[i];
        sl__cw_i64(w, tag, tmp, (size_t)n);
        return;
    }
    int64_t *big = sl__alloc(w->ctx, sizeof(int64_t) * (size_t)n, 0, w->who);
    if (!big) {
        w->st = SL_ERR_NOMEM;
        return;
    }
    for (int i = 0; i < n; ++i) big[i] = x[i];
    sl__cw_i64(w, tag, big, (size_t)n);
    sl__free(w->ctx, big);
}

sl_status sl_symmetry_result_save(const sl_symmetry_result *r, const char *path)
{
    const char *who = "sl_symmetry_result_save";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    sl_ctx *ctx = r->ctx;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    size_t d = (size_t)r->d, nn = (size_t)r->n * (size_t)r->n;
    int sign[3] = {r->nneg, r->npos, r->nzero};
    sl__cw w;
    sl__cw_begin(&w, ctx, who, SL__KIND_SYMR, SYMR_VERSION);
    sl__cw_i64_1(&w, T_N, r->n);
    sl__cw_i64_1(&w, T_D, r->d);
    sl__cw_i64_1(&w, T_SOLV, r->solver);
    put_ints(&w, T_SIGN, sign, 3);
    sl__cw_i64_1(&w, T_RANK, r->rank);
    sl__cw_i64_1(&w, T_CENT, r->centre);
    sl__cw_i64_1(&w, T_CMPT, r->compact);
    sl__cw_str(&w, T_NAME, r->name);
    sl__cw_f64(&w, T_GENS, r->gens, d * nn);
    sl__cw_f64(&w, T_STRC, r->f, d * d * d);
    sl__cw_f64(&w, T_KILL, r->K, d * d);
    sl__cw_f64(&w, T_EIG, r->eig, d);
    put_ints(&w, T_SIMP, r->simple_dims, r->nsimple);
    sl__cw_f64(&w, T_SV, r->sv, (size_t)r->nsv);
    put_ints(&w, T_SCNG, r->scan_ng, r->nscan);
    sl__cw_f64(&w, T_SCNL, r->scan_loss, (size_t)r->nscan);
    sl__cw_f64_1(&w, T_CRES, r->closure_residual);
    sl__cw_f64(&w, T_LOSS, r->loss, 6);
    sl__cw_f64_1(&w, T_ILOS, r->initial_loss);
    sl__cw_f64_1(&w, T_GAP, r->gap);
    return sl__cw_commit(&w, path);
}

sl_status sl__symmetry_result_check(const sl_symmetry_result *r, const char *who, const char *name)
{
    sl_ctx *ctx = r->ctx;
    int d = r->d;
#define BAD(...) sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': " __VA_ARGS__)
    if (r->solver != SL_SYM_EXACT && r->solver != SL_SYM_TRAINED) return BAD("solver %d", who, name, r->solver);
    if (r->nneg < 0 || r->npos < 0 || r->nzero < 0 || (int64_t)r->nneg + r->npos + r->nzero != d)
        return BAD("Killing signature (%d, %d, %d) does not add up to the dimension %d", who, name, r->nneg, r->npos, r->nzero, d);
    if (r->rank < 0 || r->rank > d || r->centre < 0 || r->centre > d || (r->compact != 0 && r->compact != 1))
        return BAD("rank %d, centre %d, compact %d (dimension %d)", who, name, r->rank, r->centre, r->compact, d);
    int64_t sum = 0;
    for (int i = 0; i < r->nsimple; ++i) {
        if (r->simple_dims[i] < 1 || r->simple_dims[i] > d)
            return BAD("simple ideal %d has dimension %d (algebra of dimension %d)", who, name, i, r->simple_dims[i], d);
        sum += r->simple_dims[i];
    }
    if (sum > d) return BAD("simple ideals of total dimension %lld in an algebra of dimension %d", who, name, (long long)sum, d);
    for (int i = 0; i < r->nscan; ++i)
        if (r->scan_ng[i] < 0) return BAD("scan entry %d has N_g = %d", who, name, i, r->scan_ng[i]);
    if (memchr(r->name, 0, sizeof r->name) == NULL) return BAD("the algebra's name is not terminated", who, name);
    for (const char *c = r->name; *c; ++c)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) return BAD("the algebra's name holds control characters", who, name);
    /* Generators and their analysis cannot be NaN or Inf (the diagnostics
     * closure_residual, losses, gap and scan losses can). */
    size_t d2 = (size_t)d * (size_t)d, nn = (size_t)r->n * (size_t)r->n;
    const struct { const double *x; size_t n; const char *what; } arr[] = {
        {r->gens, (size_t)d * nn, "generators"}, {r->f, d2 * (size_t)d, "structure constants"},
        {r->K, d2, "Killing form"}, {r->eig, (size_t)d, "Killing eigenvalues"}, {r->sv, (size_t)r->nsv, "singular values"}};
    for (size_t a = 0; a < sizeof arr / sizeof arr[0]; ++a) {
        if (arr[a].n && !arr[a].x) return BAD("the %s are missing", who, name, arr[a].what);
        int64_t k = arr[a].n ? sl__first_nonfinite(arr[a].x, arr[a].n) : -1;
        if (k >= 0) return BAD("the %s hold %g at [%lld] (must be finite)", who, name, arr[a].what, arr[a].x[k], (long long)k);
    }
#undef BAD
    return SL_OK;
}

/* count doubles of record tag (count checked by the getter) into a new array. */
static sl_status take_f64(const sl__crd *rd, uint32_t tag, int64_t count, int finite, double **out)
{
    int64_t have;
    sl_status st = sl__crd_count(rd, tag, SL__REC_F64, &have);
    if (st) return st;
    if (have != count) return sl__crd_bad(rd, tag, "%lld values (must be %lld)", (long long)have, (long long)count);
    if (count == 0) return SL_OK;
    *out = sl__alloc(rd->ctx, sizeof(double) * (size_t)count, 0, rd->who);
    if (!*out) return SL_ERR_NOMEM;
    return sl__crd_f64(rd, tag, *out, count, finite);
}

/* A record of ints (each in [lo, hi]) of any count up to max into a new array. */
static sl_status take_ints(const sl__crd *rd, uint32_t tag, int64_t max, int lo, int hi, int **out, int *count)
{
    int64_t have;
    sl_status st = sl__crd_count(rd, tag, SL__REC_I64, &have);
    if (st) return st;
    if (have > max) return sl__crd_bad(rd, tag, "%lld values (at most %lld)", (long long)have, (long long)max);
    *count = (int)have;
    if (have == 0) return SL_OK;
    int64_t *tmp = sl__alloc(rd->ctx, sizeof(int64_t) * (size_t)have, 0, rd->who);
    *out = sl__alloc(rd->ctx, sizeof(int) * (size_t)have, 0, rd->who);
    if (!tmp || !*out) st = SL_ERR_NOMEM;
    if (!st) st = sl__crd_i64(rd, tag, tmp, have);
    for (int64_t i = 0; !st && i < have; ++i) {
        if (tmp[i] < lo || tmp[i] > hi)
            st = sl__crd_bad(rd, tag, "value [%lld] = %lld (must be %d..%d)", (long long)i, (long long)tmp[i], lo, hi);
        else (*out)[i] = (int)tmp[i];
    }
    sl__free(rd->ctx, tmp);
    return st;
}

static sl_status read_result(const sl__crd *rd, sl_symmetry_result **out)
{
    sl_ctx *ctx = rd->ctx;
    int n, d;
    sl_status st;
    if ((st = sl__crd_int(rd, T_N, 1, 4096, &n)) || (st = sl__crd_int(rd, T_D, 0, n * n, &d))) return st;
    sl_symmetry_result *r = sl__symmetry_result_new(ctx, n);
    if (!r) return SL_ERR_NOMEM;
    r->d = d;
    int64_t sign[3], dd = d, nn = (int64_t)n * n, cnt;
    st = sl__crd_int(rd, T_SOLV, INT_MIN, INT_MAX, &r->solver);
    if (!st) st = sl__crd_i64(rd, T_SIGN, sign, 3);
    for (int i = 0; !st && i < 3; ++i)
        if (sign[i] < 0 || sign[i] > nn) st = sl__crd_bad(rd, T_SIGN, "value [%d] = %lld", i, (long long)sign[i]);
    if (!st) {
        r->nneg = (int)sign[0];
        r->npos = (int)sign[1];
        r->nzero = (int)sign[2];
        st = sl__crd_int(rd, T_RANK, 0, d, &r->rank);
    }
    if (!st) st = sl__crd_int(rd, T_CENT, 0, d, &r->centre);
    if (!st) st = sl__crd_int(rd, T_CMPT, 0, 1, &r->compact);
    if (!st) st = sl__crd_str(rd, T_NAME, r->name, sizeof r->name);
    /* d <= n^2 <= 2^24, so these products stay far below 2^63 */
    if (!st) st = take_f64(rd, T_GENS, dd * nn, 1, &r->gens);
    if (!st) st = sl__mul_ok(dd * dd, dd, &cnt) ? take_f64(rd, T_STRC, cnt, 1, &r->f)
                                               : sl__crd_bad(rd, T_STRC, "dimension %d is too large", d);
    if (!st) st = take_f64(rd, T_KILL, dd * dd, 1, &r->K);
    if (!st) st = take_f64(rd, T_EIG, dd, 1, &r->eig);
    if (!st) st = take_ints(rd, T_SIMP, d, 1, d ? d : 1, &r->simple_dims, &r->nsimple);
    if (!st && !(st = sl__crd_count(rd, T_SV, SL__REC_F64, &cnt))) {
        if (cnt > nn) st = sl__crd_bad(rd, T_SV, "%lld values (at most %lld)", (long long)cnt, (long long)nn);
        else if (!(st = take_f64(rd, T_SV, cnt, 1, &r->sv))) r->nsv = (int)cnt;
    }
    if (!st) st = take_ints(rd, T_SCNG, 1 << 20, 0, INT_MAX, &r->scan_ng, &r->nscan);
    if (!st) st = take_f64(rd, T_SCNL, r->nscan, 0, &r->scan_loss);
    if (!st) st = sl__crd_f64_1(rd, T_CRES, 0, &r->closure_residual);
    if (!st) st = sl__crd_f64(rd, T_LOSS, r->loss, 6, 0);
    if (!st) st = sl__crd_f64_1(rd, T_ILOS, 0, &r->initial_loss);
    if (!st) st = sl__crd_f64_1(rd, T_GAP, 0, &r->gap);
    if (!st) st = sl__symmetry_result_check(r, rd->who, rd->name);
    if (st) {
        sl_symmetry_result_destroy(r);
        return st;
    }
    *out = r;
    return SL_OK;
}

sl_status sl__symmetry_result_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                    size_t len, sl_symmetry_result **out)
{
    *out = NULL;
    if (sl__legacy_result_magic(data, len)) return sl__legacy_result_parse(ctx, who, name, data, len, out);
    if (!sl__is_container(data, len))
        return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s' is not a libsymlearn symmetry result", who, name);
    sl__cfile f;
    sl_status st = sl__cfile_parse(ctx, who, name, data, len, SL__KIND_SYMR, SYMR_VERSION, &f);
    if (!st) st = read_result(&f.root, out);
    sl__cfile_close(&f);
    return st;
}

sl_status sl_symmetry_result_load(sl_ctx *ctx, const char *path, sl_symmetry_result **out)
{
    const char *who = "sl_symmetry_result_load";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return sl__fail(NULL, SL_ERR_NULL, "%s: ctx is NULL", who);
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    st = sl__symmetry_result_parse(ctx, who, path, buf, len, out);
    sl__free(ctx, buf);
    return st;
}
