/* Symmetry results on disk: a zlib-compressed, CRC-32-checked binary file
 * written atomically (temporary file in the same directory, fsync, rename),
 * and CSV / JSON exports. */
#include "io_internal.h"
#include "../discover/symmetry_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

static const char MAGIC[8] = {'S', 'L', 'S', 'Y', 'M', 'R', '1', '\0'};
enum { HEADER = 8 + 4 + 4 + 8 + 8 + 4 + 4, NAME_LEN = 256 };
#define ENDIAN_MARK 0x01020304u

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
        unsigned char *q = sl__alloc(ctx, cap, 0, "sl_symmetry_result_save");
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

static void get(buf *b, void *x, size_t n)
{
    if (b->bad || b->pos + n > b->len) {
        b->bad = 1;
        memset(x, 0, n);
        return;
    }
    memcpy(x, b->p + b->pos, n);
    b->pos += n;
}

static void put_i32(sl_ctx *ctx, buf *b, int v) { int32_t t = v; put(ctx, b, &t, 4); }
static int get_i32(buf *b) { int32_t t; get(b, &t, 4); return t; }

static sl_status write_atomic(sl_ctx *ctx, const char *who, const char *path, const void *data, size_t len)
{
    const void *parts[1] = {data};
    return sl__write_atomic(ctx, who, path, parts, &len, 1);
}

/* ---- save / load ---------------------------------------------------------------- */
static void serialise(sl_ctx *ctx, const sl_symmetry_result *r, buf *b)
{
    int ints[12] = {r->n, r->d, r->solver, r->nneg, r->npos, r->nzero, r->rank, r->centre, r->compact,
                    r->nsimple, r->nsv, r->nscan};
    for (int i = 0; i < 12; ++i) put_i32(ctx, b, ints[i]);
    put(ctx, b, &r->closure_residual, 8);
    put(ctx, b, r->loss, 6 * 8);
    put(ctx, b, &r->initial_loss, 8);
    put(ctx, b, &r->gap, 8);
    put(ctx, b, r->name, NAME_LEN);
    size_t d = (size_t)r->d, nn = (size_t)r->n * r->n;
    if (d) {
        put(ctx, b, r->gens, 8 * d * nn);
        put(ctx, b, r->f, 8 * d * d * d);
        put(ctx, b, r->K, 8 * d * d);
        put(ctx, b, r->eig, 8 * d);
    }
    for (int i = 0; i < r->nsimple; ++i) put_i32(ctx, b, r->simple_dims[i]);
    if (r->nsv) put(ctx, b, r->sv, 8 * (size_t)r->nsv);
    for (int i = 0; i < r->nscan; ++i) put_i32(ctx, b, r->scan_ng[i]);
    if (r->nscan) put(ctx, b, r->scan_loss, 8 * (size_t)r->nscan);
}

sl_status sl_symmetry_result_save(const sl_symmetry_result *r, const char *path)
{
    const char *who = "sl_symmetry_result_save";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    sl_ctx *ctx = r->ctx;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    buf raw = {0};
    serialise(ctx, r, &raw);
    uLongf clen = compressBound((uLong)raw.len);
    unsigned char *out = raw.bad ? NULL : sl__alloc(ctx, HEADER + (size_t)clen, 0, who);
    sl_status st = SL_OK;
    if (!out) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    else if (compress2(out + HEADER, &clen, raw.p, (uLong)raw.len, 6) != Z_OK)
        st = sl__fail(ctx, SL_ERR_IO, "%s: zlib compression failed", who);
    if (!st) {
        uint32_t version = 1, mark = ENDIAN_MARK;
        uint64_t rl = raw.len, cl = clen;
        uint32_t crc = (uint32_t)crc32(0L, raw.p, (uInt)raw.len);
        unsigned char *h = out;
        memcpy(h, MAGIC, 8);
        memcpy(h + 8, &version, 4);
        memcpy(h + 12, &mark, 4);
        memcpy(h + 16, &rl, 8);
        memcpy(h + 24, &cl, 8);
        memcpy(h + 32, &crc, 4);
        uint32_t hcrc = (uint32_t)crc32(0L, h, 36);
        memcpy(h + 36, &hcrc, 4);
        st = write_atomic(ctx, who, path, out, HEADER + (size_t)clen);
    }
    sl__free(ctx, out);
    sl__free(ctx, raw.p);
    return st;
}

static double *take_doubles(sl_ctx *ctx, buf *b, size_t count)
{
    if (count == 0 || b->bad) return NULL;
    if (count > (b->len - b->pos) / 8) {
        b->bad = 1;
        return NULL;
    }
    double *x = sl__alloc(ctx, 8 * count, 0, "sl_symmetry_result_load");
    if (!x) {
        b->bad = 2;
        return NULL;
    }
    get(b, x, 8 * count);
    return x;
}

sl_status sl_symmetry_result_load(sl_ctx *ctx, const char *path, sl_symmetry_result **out)
{
    const char *who = "sl_symmetry_result_load";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return sl__fail(NULL, SL_ERR_NULL, "%s: ctx is NULL", who);
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    FILE *f = fopen(path, "rb");
    if (!f) return sl__fail(ctx, SL_ERR_IO, "%s: cannot open %s: %s", who, path, strerror(errno));
    unsigned char h[HEADER];
    sl_status st = SL_OK;
    unsigned char *comp = NULL;
    buf raw = {0};
    sl_symmetry_result *r = NULL;
    uint32_t version, mark, crc, hcrc;
    uint64_t rl, cl;
    if (fread(h, 1, HEADER, f) != HEADER || memcmp(h, MAGIC, 8) != 0) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: %s is not a libsymlearn symmetry result", who, path);
        goto done;
    }
    memcpy(&version, h + 8, 4);
    memcpy(&mark, h + 12, 4);
    memcpy(&rl, h + 16, 8);
    memcpy(&cl, h + 24, 8);
    memcpy(&crc, h + 32, 4);
    memcpy(&hcrc, h + 36, 4);
    if (hcrc != (uint32_t)crc32(0L, h, 36) || version != 1 || mark != ENDIAN_MARK || rl > ((uint64_t)1 << 34) ||
        cl > ((uint64_t)1 << 34)) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: %s: bad header (checksum, version or byte order)", who, path);
        goto done;
    }
    comp = sl__alloc(ctx, (size_t)cl + 1, 0, who);
    raw.p = sl__alloc(ctx, (size_t)rl + 1, 0, who);
    if (!comp || !raw.p) {
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        goto done;
    }
    if (fread(comp, 1, (size_t)cl, f) != (size_t)cl || fgetc(f) != EOF) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: %s: truncated or with trailing bytes", who, path);
        goto done;
    }
    uLongf dl = (uLongf)rl;
    if (uncompress(raw.p, &dl, comp, (uLong)cl) != Z_OK || dl != rl || (uint32_t)crc32(0L, raw.p, (uInt)rl) != crc) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: %s: the content fails its checksum", who, path);
        goto done;
    }
    raw.len = (size_t)rl;
    int ints[12];
    for (int i = 0; i < 12; ++i) ints[i] = get_i32(&raw);
    int n = ints[0], d = ints[1];
    if (raw.bad || n < 1 || n > 4096 || d < 0 || d > n * n || ints[9] < 0 || ints[9] > d || ints[10] < 0 ||
        ints[10] > n * n || ints[11] < 0 || ints[11] > 1 << 20) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: %s: inconsistent sizes", who, path);
        goto done;
    }
    r = sl__symmetry_result_new(ctx, n);
    if (!r) {
        st = SL_ERR_NOMEM;
        goto done;
    }
    r->d = d;
    r->solver = ints[2];
    r->nneg = ints[3];
    r->npos = ints[4];
    r->nzero = ints[5];
    r->rank = ints[6];
    r->centre = ints[7];
    r->compact = ints[8];
    get(&raw, &r->closure_residual, 8);
    get(&raw, r->loss, 48);
    get(&raw, &r->initial_loss, 8);
    get(&raw, &r->gap, 8);
    get(&raw, r->name, NAME_LEN);
    r->name[NAME_LEN - 1] = 0;
    size_t dd = (size_t)d;
    if (d) {
        r->gens = take_doubles(ctx, &raw, dd * n * n);
        r->f = take_doubles(ctx, &raw, dd * dd * dd);
        r->K = take_doubles(ctx, &raw, dd * dd);
        r->eig = take_doubles(ctx, &raw, dd);
    }
    if (ints[9] > 0 && !raw.bad) {
        r->simple_dims = sl__alloc(ctx, sizeof(int) * ints[9], 0, who);
        if (!r->simple_dims) raw.bad = 2;
        for (int i = 0; i < ints[9] && !raw.bad; ++i) r->simple_dims[i] = get_i32(&raw);
        r->nsimple = ints[9];
    }
    r->nsv = ints[10];
    r->sv = take_doubles(ctx, &raw, (size_t)r->nsv);
    if (ints[11] > 0 && !raw.bad) {
        r->scan_ng = sl__alloc(ctx, sizeof(int) * ints[11], 0, who);
        if (!r->scan_ng) raw.bad = 2;
        for (int i = 0; i < ints[11] && !raw.bad; ++i) r->scan_ng[i] = get_i32(&raw);
        r->nscan = ints[11];
        r->scan_loss = take_doubles(ctx, &raw, (size_t)r->nscan);
    }
    if (raw.bad == 2) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    else if (raw.bad || raw.pos != raw.len)
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: %s: the content does not match its sizes", who, path);
done:
    fclose(f);
    sl__free(ctx, comp);
    sl__free(ctx, raw.p);
    if (st) sl_symmetry_result_destroy(r);
    else *out = r;
    return st;
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
