/* Writing containers (container.h): records into a growing payload, the
 * header, optional deflate, one atomic write. */
#include "container.h"

#include <zlib.h>

static const unsigned char MAGIC[8] = {0x89, 'S', 'L', 'C', '\r', '\n', 0x1a, '\n'};

int sl__is_container(const void *data, size_t len) { return len >= 8 && !memcmp(data, MAGIC, 8); }

uint32_t sl__crc32(const unsigned char *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n) {
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}

void sl__cw_begin(sl__cw *w, sl_ctx *ctx, const char *who, uint32_t kind, uint32_t version)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->who = who;
    w->kind = kind;
    w->version = version;
    w->compress = 1;
}

static int reserve(sl__cw *w, size_t extra)
{
    if (w->st) return 0;
    if (extra > SIZE_MAX / 2 - w->len) {
        w->st = sl__fail(w->ctx, SL_ERR_NOMEM, "%s: the file would be too large", w->who);
        return 0;
    }
    if (w->len + extra <= w->cap) return 1;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->len + extra) cap *= 2;
    unsigned char *q = sl__alloc(w->ctx, cap, 0, w->who);
    if (!q) {
        w->st = SL_ERR_NOMEM;
        return 0;
    }
    if (w->len) memcpy(q, w->p, w->len);
    sl__free(w->ctx, w->p);
    w->p = q;
    w->cap = cap;
    return 1;
}

static size_t pad8(size_t n) { return (8 - n % 8) % 8; }

/* Append a record header and room for nbytes (plus padding); returns the data
 * pointer or NULL. */
static unsigned char *record(sl__cw *w, uint32_t tag, uint32_t type, size_t nbytes)
{
    if (!reserve(w, 16 + nbytes + 8)) return NULL;
    unsigned char *h = w->p + w->len;
    sl__le32_put(h, tag);
    sl__le32_put(h + 4, type);
    sl__le64_put(h + 8, nbytes);
    size_t pad = pad8(nbytes);
    memset(h + 16 + nbytes, 0, pad);
    w->len += 16 + nbytes + pad;
    return h + 16;
}

static void put_words(sl__cw *w, uint32_t tag, uint32_t type, const void *x, size_t count, size_t width)
{
    if (w->st) return;
    int64_t nb;
    if (count > (size_t)SL_MAX_ELEMENTS || !sl__mul_ok((int64_t)count, (int64_t)width, &nb)) {
        w->st = sl__fail(w->ctx, SL_ERR_NOMEM, "%s: a record of %zu elements is too large", w->who, count);
        return;
    }
    if (count && !x) {
        w->st = sl__fail(w->ctx, SL_ERR_NULL, "%s: internal: record data is NULL", w->who);
        return;
    }
    unsigned char *d = record(w, tag, type, (size_t)nb);
    if (!d) return;
    const unsigned char *s = x;
    for (size_t i = 0; i < count; ++i)
        if (width == 4) {
            uint32_t v;
            memcpy(&v, s + 4 * i, 4);
            sl__le32_put(d + 4 * i, v);
        } else {
            uint64_t v;
            memcpy(&v, s + 8 * i, 8);
            sl__le64_put(d + 8 * i, v);
        }
}

void sl__cw_u32(sl__cw *w, uint32_t tag, const uint32_t *x, size_t count) { put_words(w, tag, SL__REC_U32, x, count, 4); }
void sl__cw_i64(sl__cw *w, uint32_t tag, const int64_t *x, size_t count) { put_words(w, tag, SL__REC_I64, x, count, 8); }
void sl__cw_u64(sl__cw *w, uint32_t tag, const uint64_t *x, size_t count) { put_words(w, tag, SL__REC_U64, x, count, 8); }
void sl__cw_f64(sl__cw *w, uint32_t tag, const double *x, size_t count) { put_words(w, tag, SL__REC_F64, x, count, 8); }

void sl__cw_c128(sl__cw *w, uint32_t tag, const double *x, size_t count)
{
    if (count > (size_t)SL_MAX_ELEMENTS / 2) {
        put_words(w, tag, SL__REC_C128, x, SIZE_MAX, 8);   /* reports the size */
        return;
    }
    put_words(w, tag, SL__REC_C128, x, 2 * count, 8);
}

void sl__cw_raw(sl__cw *w, uint32_t tag, uint32_t type, const void *data, size_t nbytes)
{
    unsigned char *d = record(w, tag, type, nbytes);
    if (d && nbytes) memcpy(d, data, nbytes);
}

void sl__cw_str(sl__cw *w, uint32_t tag, const char *s)
{
    sl__cw_raw(w, tag, SL__REC_STR, s, s ? strlen(s) : 0);
}

void sl__cw_blob_begin(sl__cw *w, uint32_t tag)
{
    if (w->st) return;
    if (w->depth == SL__CW_MAX_DEPTH) {
        w->st = sl__fail(w->ctx, SL_ERR_STATE, "%s: internal: records nested deeper than %d", w->who, SL__CW_MAX_DEPTH);
        return;
    }
    size_t at = w->len;
    if (!record(w, tag, SL__REC_BLOB, 0)) return;
    w->open[w->depth++] = at;
}

void sl__cw_blob_end(sl__cw *w)
{
    if (w->st) return;
    if (w->depth == 0) {
        w->st = sl__fail(w->ctx, SL_ERR_STATE, "%s: internal: blob_end without blob_begin", w->who);
        return;
    }
    size_t at = w->open[--w->depth];
    sl__le64_put(w->p + at + 8, w->len - at - 16);   /* the nested records are padded already */
}

void sl__cw_discard(sl__cw *w)
{
    sl__free(w->ctx, w->p);
    w->p = NULL;
    w->len = w->cap = 0;
}

/* Deflate the payload into a new buffer; 0 when it does not pay (or fails). */
static int deflate_payload(sl__cw *w, unsigned char **out, size_t *outlen)
{
    uLong bound = compressBound((uLong)w->len);
    if (w->len < 64 || (size_t)bound < w->len) return 0;
    unsigned char *c = sl__alloc(w->ctx, (size_t)bound, 0, w->who);
    if (!c) {
        sl_ctx_clear_error(w->ctx);   /* not compressing is fine */
        return 0;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit(&z, 6) != Z_OK) {
        sl__free(w->ctx, c);
        return 0;
    }
    z.next_in = w->p;
    z.next_out = c;
    size_t in_left = w->len, out_left = (size_t)bound;
    int ok = 0;
    for (;;) {
        uInt ka = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
        uInt kb = out_left > (1u << 30) ? (1u << 30) : (uInt)out_left;
        z.avail_in = ka;
        z.avail_out = kb;
        int rc = deflate(&z, in_left == ka ? Z_FINISH : Z_NO_FLUSH);
        in_left -= ka - z.avail_in;
        out_left -= kb - z.avail_out;
        if (rc == Z_STREAM_END) { ok = 1; break; }
        if ((rc != Z_OK && rc != Z_BUF_ERROR) || out_left == 0) break;
    }
    deflateEnd(&z);
    size_t done = (size_t)bound - out_left;
    /* keep it when it saves at least 1/16 */
    if (!ok || done > w->len - w->len / 16) {
        sl__free(w->ctx, c);
        return 0;
    }
    *out = c;
    *outlen = done;
    return 1;
}

/* The header for the (possibly deflated) payload; *stored / *slen are what
 * follows it, *cbuf the deflate buffer to free (or NULL). */
static sl_status build(sl__cw *w, unsigned char *hdr, const unsigned char **stored, size_t *slen, unsigned char **cbuf)
{
    *cbuf = NULL;
    if (!w->st && w->depth)
        w->st = sl__fail(w->ctx, SL_ERR_STATE, "%s: internal: %d blob(s) not ended", w->who, w->depth);
    if (w->st) return w->st;
    size_t clen = 0;
    int deflated = w->compress && deflate_payload(w, cbuf, &clen);
    *stored = deflated ? *cbuf : w->p;
    *slen = deflated ? clen : w->len;
    memcpy(hdr, MAGIC, 8);
    sl__le32_put(hdr + 8, SL__CONTAINER_VERSION);
    sl__le32_put(hdr + 12, w->kind);
    sl__le32_put(hdr + 16, w->version);
    sl__le32_put(hdr + 20, deflated ? 1u : 0u);
    sl__le64_put(hdr + 24, *slen);
    sl__le64_put(hdr + 32, w->len);
    sl__le32_put(hdr + 40, *slen ? sl__crc32(*stored, *slen) : 0);
    sl__le32_put(hdr + 44, sl__crc32(hdr, 44));
    return SL_OK;
}

sl_status sl__cw_finish(sl__cw *w, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    unsigned char hdr[SL__CONTAINER_HEADER], *cbuf;
    const unsigned char *stored;
    size_t slen;
    sl_status st = build(w, hdr, &stored, &slen, &cbuf);
    unsigned char *f = NULL;
    if (!st && !(f = sl__alloc(w->ctx, SL__CONTAINER_HEADER + slen, 0, w->who))) st = SL_ERR_NOMEM;
    if (!st) {
        memcpy(f, hdr, SL__CONTAINER_HEADER);
        if (slen) memcpy(f + SL__CONTAINER_HEADER, stored, slen);
        *out = f;
        *len = SL__CONTAINER_HEADER + slen;
    }
    sl__free(w->ctx, cbuf);
    sl__cw_discard(w);
    return st;
}

sl_status sl__cw_commit(sl__cw *w, const char *path)
{
    unsigned char hdr[SL__CONTAINER_HEADER], *cbuf;
    const unsigned char *stored;
    size_t slen;
    sl_status st = build(w, hdr, &stored, &slen, &cbuf);
    if (!st) {
        const void *parts[2] = {hdr, stored};
        size_t sizes[2] = {SL__CONTAINER_HEADER, slen};
        st = sl__write_atomic(w->ctx, w->who, path, parts, sizes, slen ? 2 : 1);
    }
    sl__free(w->ctx, cbuf);
    sl__cw_discard(w);
    return st;
}
