/* Conserved-quantity results on disk: a container of kind CONS, version 1
 * (docs/file-format.md), and CSV / JSON exports.  Feature names and formulas
 * hold no commas (feature names cannot), so each list is one string record
 * joined by commas. */
#include "container.h"
#include "../discover/conserved_internal.h"

#include <math.h>
#include <stdio.h>

#define CONS_VERSION 1
#define T_D SL__TAG('D', ' ', ' ', ' ')
#define T_K SL__TAG('K', ' ', ' ', ' ')
#define T_M SL__TAG('M', ' ', ' ', ' ')
#define T_C SL__TAG('C', ' ', ' ', ' ')
#define T_NUL SL__TAG('N', 'U', 'L', 'L')
#define T_TRAJ SL__TAG('T', 'R', 'A', 'J')
#define T_GAP SL__TAG('G', 'A', 'P', ' ')
#define T_SV SL__TAG('S', 'V', ' ', ' ')
#define T_COEF SL__TAG('C', 'O', 'E', 'F')
#define T_INDP SL__TAG('I', 'N', 'D', 'P')
#define T_RELV SL__TAG('R', 'E', 'L', 'V')
#define T_FNAM SL__TAG('F', 'N', 'A', 'M')
#define T_FTXT SL__TAG('F', 'T', 'X', 'T')
#define T_FC SL__TAG('F', 'C', ' ', ' ')
#define T_FTEX SL__TAG('F', 'T', 'E', 'X')
/* neural results (mode NEURAL / DEFLATION): optional records */
#define T_MODE SL__TAG('M', 'O', 'D', 'E')   /* i64[6]: mode, activation, depth, hidden, nseeds, selected */
#define T_NSVD SL__TAG('N', 'S', 'V', 'D')
#define T_STDZ SL__TAG('S', 'T', 'D', 'Z')   /* f64[2d]: mean, scale */
#define T_SDM SL__TAG('S', 'D', 'M', ' ')    /* i64[2 nseeds]: per seed quantities, independent */
#define T_SDF SL__TAG('S', 'D', 'F', ' ')    /* f64[3 nseeds]: per seed largest relvar, angle median, p95 */
#define T_NETW SL__TAG('N', 'E', 'T', 'W')   /* f64[total x nw]: the networks */
#define T_NREL SL__TAG('N', 'R', 'E', 'L')
#define T_NIND SL__TAG('N', 'I', 'N', 'D')
#define T_EXPL SL__TAG('E', 'X', 'P', 'L')
#define T_R2 SL__TAG('R', '2', ' ', ' ')
#define T_BRK SL__TAG('B', 'R', 'K', ' ')

/* strings s[0..n-1] joined by commas (NULL when out of memory) */
static char *join(sl_ctx *ctx, const char *who, char *const *s, int64_t n)
{
    size_t len = 1;
    for (int64_t i = 0; i < n; ++i) len += strlen(s[i]) + 1;
    char *p = sl__alloc(ctx, len, 0, who), *q = p;
    if (!p) return NULL;
    for (int64_t i = 0; i < n; ++i) {
        size_t l = strlen(s[i]);
        memcpy(q, s[i], l);
        q += l;
        if (i + 1 < n) *q++ = ',';
    }
    *q = 0;
    return p;
}

static sl_status put_neural(sl__cw *w, const sl_conserved_result *r)
{
    int64_t ns = r->nseeds, tot = 0;
    for (int s = 0; s < ns; ++s) tot += r->seedM[s];
    int64_t mode[6] = {r->mode, r->act, r->depth, r->hidden, ns, r->sel};
    int64_t *ind = sl__alloc(r->ctx, sizeof(int64_t) * (size_t)(tot ? tot : 1), 0, "sl_conserved_result_save");
    if (!ind) return sl__fail(r->ctx, SL_ERR_NOMEM, "sl_conserved_result_save: out of memory");
    for (int64_t j = 0; j < tot; ++j) ind[j] = r->windep[j];
    sl__cw_i64(w, T_MODE, mode, 6);
    sl__cw_i64_1(w, T_NSVD, r->nsvd);
    sl__cw_f64(w, T_STDZ, r->mean, (size_t)(2 * r->d));
    sl__cw_i64(w, T_SDM, r->seedM, (size_t)(2 * ns));
    sl__cw_f64(w, T_SDF, r->seedmax, (size_t)(3 * ns));
    sl__cw_f64(w, T_NETW, r->w, (size_t)(tot * r->nw));
    sl__cw_f64(w, T_NREL, r->wrel, (size_t)tot);
    sl__cw_i64(w, T_NIND, ind, (size_t)tot);
    sl__cw_f64(w, T_EXPL, r->expl, (size_t)r->nexpl);
    sl__cw_f64(w, T_R2, r->r2, (size_t)r->M);
    if (r->brk) sl__cw_f64(w, T_BRK, r->brk, (size_t)(r->M * r->M));
    sl__free(r->ctx, ind);
    return SL_OK;
}

/* The neural records, when present. */
static sl_status read_neural(const sl__crd *rd, sl_conserved_result *r)
{
    sl__rec rec;
    if (!sl__crd_find(rd, T_MODE, &rec)) return SL_OK;
    sl_ctx *ctx = rd->ctx;
    int64_t mode[6], d = r->d, ns, tot = 0, ne;
    sl_status st = sl__crd_i64(rd, T_MODE, mode, 6);
    if (st) return st;
    if (mode[0] < SL_CONSERVED_NEURAL || mode[0] > SL_CONSERVED_DEFLATION || mode[1] < 1 || mode[1] > 5 || mode[2] < 1 ||
        mode[2] > 8 || mode[3] < 1 || mode[3] > 1024 || mode[4] < 1 || mode[4] > 64 || mode[5] < 0 || mode[5] >= mode[4])
        return sl__crd_bad(rd, T_MODE, "values out of range");
    r->mode = (int)mode[0], r->act = (int)mode[1], r->depth = (int)mode[2], r->hidden = mode[3];
    r->nseeds = (int)(ns = mode[4]), r->sel = (int)mode[5];
    sl__cnet n = {d, r->hidden, r->depth, r->act, NULL, NULL};
    r->nw = sl__cnet_nweights(&n);
    if ((st = sl__crd_i64_1(rd, T_NSVD, 0, d, &r->nsvd))) return st;
    r->seedM = sl__alloc(ctx, sizeof(int64_t) * (size_t)(2 * ns), 0, rd->who);
    r->seedmax = sl__alloc(ctx, sizeof(double) * (size_t)(3 * ns), 0, rd->who);
    r->mean = sl__alloc(ctx, sizeof(double) * (size_t)(2 * d), 0, rd->who);
    if (!r->seedM || !r->seedmax || !r->mean) return SL_ERR_NOMEM;
    r->seedc = r->seedM + ns, r->seedang = r->seedmax + ns, r->scale = r->mean + d;
    if ((st = sl__crd_i64(rd, T_SDM, r->seedM, 2 * ns)) || (st = sl__crd_f64(rd, T_SDF, r->seedmax, 3 * ns, 0)) ||
        (st = sl__crd_f64(rd, T_STDZ, r->mean, 2 * d, 1)))
        return st;
    for (int64_t s = 0; s < ns; ++s) {
        if (r->seedM[s] < 0 || r->seedM[s] > 64 || r->seedc[s] < 0 || r->seedc[s] > r->seedM[s])
            return sl__crd_bad(rd, T_SDM, "seed %lld: %lld quantities, %lld independent", (long long)s, (long long)r->seedM[s],
                               (long long)r->seedc[s]);
        tot += r->seedM[s];
    }
    if (r->seedM[r->sel] != r->M || r->seedc[r->sel] != r->c) return sl__crd_bad(rd, T_SDM, "the selected seed disagrees with M, C");
    for (int64_t i = 0; i < d; ++i)
        if (!(r->mean[d + i] > 0)) return sl__crd_bad(rd, T_STDZ, "scale %lld not > 0", (long long)i);
    int64_t cells;
    if (!sl__mul_ok(tot, r->nw, &cells)) return sl__crd_bad(rd, T_NETW, "too large");
    if ((st = sl__crd_f64(rd, T_NETW, NULL, cells, 1)) || (st = sl__crd_count(rd, T_EXPL, SL__REC_F64, &ne))) return st;
    if (ne > d) return sl__crd_bad(rd, T_EXPL, "%lld ratios", (long long)ne);
    r->nexpl = ne;
    r->w = sl__alloc(ctx, sizeof(double) * (size_t)(cells ? cells : 1), 0, rd->who);
    r->wrel = sl__alloc(ctx, sizeof(double) * (size_t)(tot ? tot : 1), 0, rd->who);
    r->windep = sl__alloc(ctx, sizeof(int) * (size_t)(tot ? tot : 1), 0, rd->who);
    r->expl = sl__alloc(ctx, sizeof(double) * (size_t)(ne ? ne : 1), 0, rd->who);
    r->r2 = sl__alloc(ctx, sizeof(double) * (size_t)(r->M ? r->M : 1), 0, rd->who);
    int64_t *ind = sl__alloc(ctx, sizeof(int64_t) * (size_t)(tot ? tot : 1), 0, rd->who);
    if (!r->w || !r->wrel || !r->windep || !r->expl || !r->r2 || !ind) {
        sl__free(ctx, ind);
        return SL_ERR_NOMEM;
    }
    st = sl__crd_f64(rd, T_NETW, r->w, cells, 1);
    if (!st) st = sl__crd_f64(rd, T_NREL, r->wrel, tot, 0);
    if (!st) st = sl__crd_i64(rd, T_NIND, ind, tot);
    if (!st) st = sl__crd_f64(rd, T_EXPL, r->expl, ne, 1);
    if (!st) st = sl__crd_f64(rd, T_R2, r->r2, r->M, 0);
    for (int64_t j = 0; !st && j < tot; ++j) {
        if (ind[j] != 0 && ind[j] != 1) st = sl__crd_bad(rd, T_NIND, "value %lld", (long long)ind[j]);
        r->windep[j] = (int)ind[j];
    }
    sl__free(ctx, ind);
    if (!st && sl__crd_find(rd, T_BRK, &rec)) {
        r->brk = sl__alloc(ctx, sizeof(double) * (size_t)(r->M ? r->M * r->M : 1), 0, rd->who);
        if (!r->brk) return SL_ERR_NOMEM;
        st = sl__crd_f64(rd, T_BRK, r->brk, r->M * r->M, 0);
    }
    return st;
}

sl_status sl_conserved_result_save(const sl_conserved_result *r, const char *path)
{
    const char *who = "sl_conserved_result_save";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    sl_ctx *ctx = r->ctx;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    sl__cw w;
    sl__cw_begin(&w, ctx, who, SL__KIND_CONS, CONS_VERSION);
    sl__cw_i64_1(&w, T_D, r->d);
    sl__cw_i64_1(&w, T_K, r->K);
    sl__cw_i64_1(&w, T_M, r->M);
    sl__cw_i64_1(&w, T_C, r->c);
    sl__cw_i64_1(&w, T_NUL, r->nullity);
    sl__cw_i64_1(&w, T_TRAJ, r->ntraj);
    sl__cw_f64_1(&w, T_GAP, r->gap);
    sl__cw_f64(&w, T_SV, r->sv, (size_t)r->nsv);
    sl__cw_f64(&w, T_COEF, r->coef, (size_t)(r->M * r->K));
    sl__cw_f64(&w, T_RELV, r->relvar, (size_t)r->M);
    int64_t *ind = sl__alloc(ctx, sizeof(int64_t) * (size_t)(r->M ? r->M : 1), 0, who);
    char *names = join(ctx, who, r->fname, r->K);
    char *forms[3] = {join(ctx, who, r->formula[0], r->M), join(ctx, who, r->formula[1], r->M),
                      join(ctx, who, r->formula[2], r->M)};
    sl_status st = SL_OK;
    if (!ind || !names || !forms[0] || !forms[1] || !forms[2]) {
        sl__cw_discard(&w);
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    } else {
        for (int64_t j = 0; j < r->M; ++j) ind[j] = r->indep[j];
        sl__cw_i64(&w, T_INDP, ind, (size_t)r->M);
        sl__cw_str(&w, T_FNAM, names);
        sl__cw_str(&w, T_FTXT, forms[0]);
        sl__cw_str(&w, T_FC, forms[1]);
        sl__cw_str(&w, T_FTEX, forms[2]);
        if (r->mode) st = put_neural(&w, r);
        if (!st) st = sl__cw_commit(&w, path);
        else sl__cw_discard(&w);
    }
    sl__free(ctx, ind);
    sl__free(ctx, names);
    for (int s = 0; s < 3; ++s) sl__free(ctx, forms[s]);
    return st;
}

/* Split the string record tag into exactly n comma-separated strings. */
static sl_status take_list(const sl__crd *rd, uint32_t tag, int64_t n, char **out)
{
    int64_t len;
    sl_status st = sl__crd_count(rd, tag, SL__REC_STR, &len);
    if (st) return st;
    char *buf = sl__alloc(rd->ctx, (size_t)len + 1, 0, rd->who);
    if (!buf) return SL_ERR_NOMEM;
    st = sl__crd_str(rd, tag, buf, (size_t)len + 1);
    int64_t pieces = len > 0;
    for (int64_t i = 0; !st && i < len; ++i) pieces += buf[i] == ',';
    if (!st && pieces != n)
        st = sl__crd_bad(rd, tag, "%lld comma-separated strings (must be %lld)", (long long)pieces, (long long)n);
    char *p = buf;
    for (int64_t i = 0; !st && i < n; ++i) {
        char *q = strchr(p, ',');
        if (q) *q = 0;
        if (!(out[i] = sl__strdup(rd->ctx, p, rd->who))) st = SL_ERR_NOMEM;
        p = q ? q + 1 : p + strlen(p);
    }
    sl__free(rd->ctx, buf);
    return st;
}

static sl_status read_result(const sl__crd *rd, sl_conserved_result **out)
{
    sl_ctx *ctx = rd->ctx;
    int64_t d, K, M, c, nul, ntraj, nsv;
    sl_status st;
    if ((st = sl__crd_i64_1(rd, T_D, 1, 1 << 20, &d)) || (st = sl__crd_i64_1(rd, T_K, 1, 100000, &K)) ||
        (st = sl__crd_i64_1(rd, T_M, 0, K > 64 ? K : 64, &M)) || (st = sl__crd_i64_1(rd, T_C, 0, M, &c)) ||
        (st = sl__crd_i64_1(rd, T_NUL, M, K > 64 ? K : 64, &nul)) || (st = sl__crd_i64_1(rd, T_TRAJ, 0, 1000000, &ntraj)) ||
        (st = sl__crd_count(rd, T_SV, SL__REC_F64, &nsv)))
        return st;
    if (nsv > K) return sl__crd_bad(rd, T_SV, "%lld singular values for %lld features", (long long)nsv, (long long)K);
    int64_t cells;
    if (!sl__mul_ok(M, K, &cells)) return sl__crd_bad(rd, T_COEF, "too large");
    /* validate the big records before allocating for them */
    if ((st = sl__crd_f64(rd, T_COEF, NULL, cells, 1)) || (st = sl__crd_f64(rd, T_RELV, NULL, M, 0)) ||
        (st = sl__crd_i64(rd, T_INDP, NULL, M)) || (st = sl__crd_f64(rd, T_SV, NULL, nsv, 1)))
        return st;
    sl_conserved_result *r = sl__conserved_result_new(ctx, rd->who);
    if (!r) return SL_ERR_NOMEM;
    st = sl__conserved_result_alloc(r, rd->who, K, M, nsv);
    r->d = d;
    r->c = c;
    r->nullity = nul;
    r->ntraj = ntraj;
    int64_t *ind = st ? NULL : sl__alloc(ctx, sizeof(int64_t) * (size_t)(M ? M : 1), 0, rd->who);
    if (!st && !ind) st = SL_ERR_NOMEM;
    if (!st) st = sl__crd_f64_1(rd, T_GAP, 0, &r->gap);
    if (!st) st = sl__crd_f64(rd, T_SV, r->sv, nsv, 1);
    if (!st) st = sl__crd_f64(rd, T_COEF, r->coef, cells, 1);
    if (!st) st = sl__crd_f64(rd, T_RELV, r->relvar, M, 0);
    if (!st) st = sl__crd_i64(rd, T_INDP, ind, M);
    int64_t nind = 0;
    for (int64_t j = 0; !st && j < M; ++j) {
        if (ind[j] != 0 && ind[j] != 1) st = sl__crd_bad(rd, T_INDP, "value [%lld] = %lld (0 or 1)", (long long)j, (long long)ind[j]);
        else nind += (r->indep[j] = (int)ind[j]);
    }
    if (!st && nind != c) st = sl__crd_bad(rd, T_INDP, "%lld flags set for %lld independent quantities", (long long)nind, (long long)c);
    if (!st) st = take_list(rd, T_FNAM, K, r->fname);
    if (!st) st = take_list(rd, T_FTXT, M, r->formula[0]);
    if (!st) st = take_list(rd, T_FC, M, r->formula[1]);
    if (!st) st = take_list(rd, T_FTEX, M, r->formula[2]);
    if (!st) st = read_neural(rd, r);
    if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", rd->who);
    sl__free(ctx, ind);
    if (st) {
        sl_conserved_result_destroy(r);
        return st;
    }
    *out = r;
    return SL_OK;
}

sl_status sl_conserved_result_load(sl_ctx *ctx, const char *path, sl_conserved_result **out)
{
    const char *who = "sl_conserved_result_load";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    st = sl__conserved_result_parse(ctx, who, path, buf, len, out);
    sl__free(ctx, buf);
    return st;
}

sl_status sl__conserved_result_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                     size_t len, sl_conserved_result **out)
{
    sl__cfile f;
    sl_status st = sl__cfile_parse(ctx, who, name, data, len, SL__KIND_CONS, CONS_VERSION, &f);
    if (!st) st = read_result(&f.root, out);
    sl__cfile_close(&f);
    return st;
}

/* ---- exports ----------------------------------------------------------------------------- */
typedef struct {
    sl_ctx *ctx;
    char *p;
    size_t len, cap;
    int bad;
} text;

static void put(text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *b, const char *fmt, ...)
{
    if (b->bad) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (b->len + (size_t)k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + (size_t)k + 1) cap *= 2;
        char *q = sl__alloc(b->ctx, cap, 0, "export");
        if (!q) {
            b->bad = 1;
            return;
        }
        if (b->len) memcpy(q, b->p, b->len);
        sl__free(b->ctx, b->p);
        b->p = q;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
}

static sl_status finish(text *b, const char *who, const char *path)
{
    sl_status st;
    if (b->bad) st = sl__fail(b->ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    else {
        const void *parts[1] = {b->p ? b->p : ""};
        size_t sizes[1] = {b->len};
        st = sl__write_atomic(b->ctx, who, path, parts, sizes, 1);
    }
    sl__free(b->ctx, b->p);
    return st;
}

/* a CSV field, quoted when it holds a quote (formulas never hold commas) */
static void csv_field(text *b, const char *s)
{
    if (!strchr(s, '"')) {
        put(b, "%s", s);
        return;
    }
    put(b, "\"");
    for (; *s; ++s) put(b, *s == '"' ? "\"\"" : "%c", *s);
    put(b, "\"");
}

sl_status sl_conserved_result_export_csv(const sl_conserved_result *r, const char *path)
{
    const char *who = "sl_conserved_result_export_csv";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!path) return sl__fail(r->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    text b = {r->ctx, NULL, 0, 0, 0};
    put(&b, "quantity,kind,key,value\n");
    for (int64_t j = 0; j < r->M; ++j) {
        for (int64_t k = 0; k < r->K; ++k) {
            double t = r->coef[j * r->K + k];
            if (t == 0) continue;
            put(&b, "%lld,coefficient,", (long long)j);
            csv_field(&b, r->fname[k]);
            put(&b, ",%.17g\n", t);
        }
        put(&b, "%lld,relvar,,%.17g\n%lld,independent,,%d\n%lld,formula,,", (long long)j, r->relvar[j], (long long)j,
            r->indep[j], (long long)j);
        csv_field(&b, r->formula[0][j]);
        put(&b, "\n");
    }
    return finish(&b, who, path);
}

static void json_str(text *b, const char *s)
{
    put(b, "\"");
    for (; *s; ++s) {
        if (*s == '"' || *s == '\\') put(b, "\\%c", *s);
        else put(b, "%c", *s);
    }
    put(b, "\"");
}

static void json_num(text *b, double v)
{
    if (isfinite(v)) put(b, "%.17g", v);
    else put(b, "null");
}

sl_status sl_conserved_result_export_json(const sl_conserved_result *r, const char *path)
{
    const char *who = "sl_conserved_result_export_json";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!path) return sl__fail(r->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    text b = {r->ctx, NULL, 0, 0, 0};
    put(&b, "{\n  \"dim\": %lld,\n  \"count\": %lld,\n  \"independent\": %lld,\n  \"nullity\": %lld,\n  \"rejected\": %lld,\n",
        (long long)r->d, (long long)r->M, (long long)r->c, (long long)r->nullity, (long long)(r->nullity - r->M));
    put(&b, "  \"trajectories\": %lld,\n  \"gap\": ", (long long)r->ntraj);
    json_num(&b, r->gap);
    put(&b, ",\n  \"features\": [");
    for (int64_t k = 0; k < r->K; ++k) {
        put(&b, "%s", k ? ", " : "");
        json_str(&b, r->fname[k]);
    }
    put(&b, "],\n  \"singular_values\": [");
    for (int64_t i = 0; i < r->nsv; ++i) {
        put(&b, "%s", i ? ", " : "");
        json_num(&b, r->sv[i]);
    }
    put(&b, "],\n  \"quantities\": [");
    for (int64_t j = 0; j < r->M; ++j) {
        put(&b, "%s\n    {\"formula\": ", j ? "," : "");
        json_str(&b, r->formula[0][j]);
        put(&b, ", \"relvar\": ");
        json_num(&b, r->relvar[j]);
        put(&b, ", \"independent\": %s, \"coefficients\": [", r->indep[j] ? "true" : "false");
        for (int64_t k = 0; k < r->K; ++k) {
            put(&b, "%s", k ? ", " : "");
            json_num(&b, r->coef[j * r->K + k]);
        }
        put(&b, "]}");
    }
    put(&b, "%s]\n}\n", r->M ? "\n  " : "");
    return finish(&b, who, path);
}
