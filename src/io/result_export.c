/* Symmetry results as CSV, JSON and PPM heat maps (each written atomically). */
#include "io_internal.h"
#include "../discover/symmetry_internal.h"

#include <math.h>
#include <stdio.h>

/* ---- byte buffers ------------------------------------------------------------ */
typedef struct {
    unsigned char *p;
    size_t len, cap, pos;
    int bad;
} buf;

static void put(sl_ctx *ctx, buf *b, const void *x, size_t n)
{
    if (b->bad) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n) cap *= 2;
        unsigned char *q = sl__alloc(ctx, cap, 0, "sl_symmetry_result_export");
        if (!q) {
            b->bad = 1;
            return;
        }
        if (b->len) memcpy(q, b->p, b->len);
        sl__free(ctx, b->p);
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, x, n);
    b->len += n;
}

static sl_status write_atomic(sl_ctx *ctx, const char *who, const char *path, const void *data, size_t len)
{
    const void *parts[1] = {data};
    return sl__write_atomic(ctx, who, path, parts, &len, 1);
}

/* ---- exports ----------------------------------------------------------------------- */
/* Format into a growing buffer. */
static void putf(sl_ctx *ctx, buf *b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void putf(sl_ctx *ctx, buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k > 0) put(ctx, b, tmp, (size_t)(k < (int)sizeof tmp ? k : (int)sizeof tmp - 1));
}

static sl_status finish(sl_ctx *ctx, const char *who, const char *path, buf *b)
{
    sl_status st = b->bad ? sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who) : write_atomic(ctx, who, path, b->p, b->len);
    sl__free(ctx, b->p);
    return st;
}

sl_status sl_symmetry_result_export_csv(const sl_symmetry_result *r, const char *path)
{
    const char *who = "sl_symmetry_result_export_csv";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!path) return sl__fail(r->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    sl_ctx *ctx = r->ctx;
    buf b = {0};
    int d = r->d, n = r->n;
    putf(ctx, &b, "kind,a,b,c,value\n");
    for (int a = 0; a < d; ++a)
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                putf(ctx, &b, "generator,%d,%d,%d,%.17g\n", a, i, j, r->gens[((size_t)a * n + i) * n + j]);
    for (int a = 0; a < d; ++a)
        for (int c = 0; c < d; ++c)
            for (int e = 0; e < d; ++e)
                putf(ctx, &b, "structure_constant,%d,%d,%d,%.17g\n", a, c, e, r->f[((size_t)a * d + c) * d + e]);
    for (int a = 0; a < d; ++a)
        for (int c = 0; c < d; ++c) putf(ctx, &b, "killing,%d,%d,,%.17g\n", a, c, r->K[(size_t)a * d + c]);
    return finish(ctx, who, path, &b);
}

static void json_num(sl_ctx *ctx, buf *b, double v)
{
    if (isfinite(v)) putf(ctx, b, "%.17g", v);
    else putf(ctx, b, "null");
}

static void json_array(sl_ctx *ctx, buf *b, const char *key, const double *x, size_t count, int last)
{
    putf(ctx, b, "  \"%s\": [", key);
    for (size_t i = 0; i < count; ++i) {
        if (i) putf(ctx, b, ", ");
        json_num(ctx, b, x[i]);
    }
    putf(ctx, b, "]%s\n", last ? "" : ",");
}

sl_status sl_symmetry_result_export_json(const sl_symmetry_result *r, const char *path)
{
    const char *who = "sl_symmetry_result_export_json";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!path) return sl__fail(r->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    sl_ctx *ctx = r->ctx;
    buf b = {0};
    size_t d = (size_t)r->d, nn = (size_t)r->n * r->n;
    putf(ctx, &b, "{\n  \"n\": %d,\n  \"dim\": %d,\n  \"name\": \"", r->n, r->d);
    for (const char *c = r->name; *c; ++c) putf(ctx, &b, (*c == '"' || *c == '\\') ? "\\%c" : "%c", *c);
    putf(ctx, &b, "\",\n  \"solver\": \"%s\",\n", r->solver == SL_SYM_TRAINED ? "trained" : "exact");
    putf(ctx, &b, "  \"killing_signature\": [%d, %d, %d],\n  \"rank\": %d,\n  \"centre\": %d,\n  \"compact\": %s,\n",
         r->nneg, r->npos, r->nzero, r->rank, r->centre, r->compact ? "true" : "false");
    putf(ctx, &b, "  \"closure_residual\": ");
    json_num(ctx, &b, r->closure_residual);
    putf(ctx, &b, ",\n  \"singular_gap\": ");
    json_num(ctx, &b, r->gap);
    putf(ctx, &b, ",\n");
    json_array(ctx, &b, "losses", r->loss, 6, 0);
    json_array(ctx, &b, "killing_eigenvalues", r->eig, d, 0);
    json_array(ctx, &b, "generators", r->gens, d * nn, 0);
    json_array(ctx, &b, "structure_constants", r->f, d * d * d, 0);
    putf(ctx, &b, "  \"scan\": [");
    for (int i = 0; i < r->nscan; ++i) {
        putf(ctx, &b, "%s[%d, ", i ? ", " : "", r->scan_ng[i]);
        json_num(ctx, &b, r->scan_loss[i]);
        putf(ctx, &b, "]");
    }
    putf(ctx, &b, "]\n}\n");
    return finish(ctx, who, path, &b);
}

/* ---- heat maps ------------------------------------------------------------------------ */
sl_status sl_symmetry_result_write_ppm(const sl_symmetry_result *r, int which, const char *path)
{
    const char *who = "sl_symmetry_result_write_ppm";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    sl_ctx *ctx = r->ctx;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    if (which != SL_SYM_PICTURE_GENERATORS && which != SL_SYM_PICTURE_STRUCTURE)
        return sl__fail(ctx, SL_ERR_ARG, "%s: which = %d", who, which);
    int d = r->d;
    if (d == 0) return sl__fail(ctx, SL_ERR_STATE, "%s: the result has no generators", who);
    /* d tiles of s x s cells: generators (s = n) or slices f_{ab}^c for fixed c (s = d) */
    int s = which == SL_SYM_PICTURE_GENERATORS ? r->n : d;
    int cell = s <= 8 ? 12 : s <= 32 ? 4 : 2, gap = 4;
    int cols = (int)ceil(sqrt((double)d)), rows = (d + cols - 1) / cols;
    int tile = s * cell;
    int W = cols * tile + (cols + 1) * gap, H = rows * tile + (rows + 1) * gap;
    double vmax = 0;
    const double *v = which == SL_SYM_PICTURE_GENERATORS ? r->gens : r->f;
    size_t total = (size_t)d * s * s;
    for (size_t k = 0; k < total; ++k) vmax = fmax(vmax, fabs(v[k]));
    if (vmax == 0) vmax = 1;
    char head[64];
    int hl = snprintf(head, sizeof head, "P6\n%d %d\n255\n", W, H);
    size_t bytes = (size_t)hl + (size_t)3 * W * H;
    unsigned char *img = sl__alloc(ctx, bytes, 0, who);
    if (!img) return SL_ERR_NOMEM;
    memcpy(img, head, (size_t)hl);
    unsigned char *px = img + hl;
    memset(px, 160, (size_t)3 * W * H); /* grey background */
    for (int t = 0; t < d; ++t) {
        int x0 = gap + (t % cols) * (tile + gap), y0 = gap + (t / cols) * (tile + gap);
        for (int i = 0; i < s; ++i)
            for (int j = 0; j < s; ++j) {
                double val = which == SL_SYM_PICTURE_GENERATORS ? v[((size_t)t * s + i) * s + j]
                                                                : v[((size_t)i * d + j) * d + t];
                double a = fmin(1.0, fabs(val) / vmax);
                unsigned char fade = (unsigned char)lround(255 * (1 - a));
                unsigned char rgb[3] = {val >= 0 ? 255 : fade, fade, val >= 0 ? fade : 255};
                for (int yy = 0; yy < cell; ++yy)
                    for (int xx = 0; xx < cell; ++xx) {
                        unsigned char *p = px + 3 * ((size_t)(y0 + i * cell + yy) * W + (x0 + j * cell + xx));
                        memcpy(p, rgb, 3);
                    }
            }
    }
    sl_status st = write_atomic(ctx, who, path, img, bytes);
    sl__free(ctx, img);
    return st;
}
