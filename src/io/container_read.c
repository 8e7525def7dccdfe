/* Reading containers (container.h): the header checked against the real
 * size before anything proportional to a stated length is allocated, bounded
 * inflation, a validated record stream and bounds-checked getters. */
#include "container.h"

#include <math.h>
#include <stdio.h>
#include <zlib.h>

static void tag_name(uint32_t t, char out[16])
{
    unsigned char b[4] = {(unsigned char)t, (unsigned char)(t >> 8), (unsigned char)(t >> 16), (unsigned char)(t >> 24)};
    int printable = 1;
    for (int i = 0; i < 4; ++i) printable &= b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\'';
    if (printable) snprintf(out, 16, "%c%c%c%c", b[0], b[1], b[2], b[3]);
    else snprintf(out, 16, "0x%08x", (unsigned)t);
}

static const char *type_name(uint32_t type)
{
    static const char *names[] = {"?", "u32", "i64", "u64", "f64", "c128", "string", "blob"};
    return type < sizeof names / sizeof names[0] ? names[type] : "unknown";
}

static size_t type_width(uint32_t type)
{
    switch (type) {
    case SL__REC_U32: return 4;
    case SL__REC_I64: case SL__REC_U64: case SL__REC_F64: return 8;
    case SL__REC_C128: return 16;
    default: return 1;
    }
}

/* "who: 'name': <message>" */
static sl_status file_fail(sl_ctx *ctx, sl_status st, const char *who, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static sl_status file_fail(sl_ctx *ctx, sl_status st, const char *who, const char *name, const char *fmt, ...)
{
    char m[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    return sl__fail(ctx, st, "%s: '%s': %s", who, name, m);
}

sl_status sl__crd_bad(const sl__crd *r, uint32_t tag, const char *fmt, ...)
{
    char m[320], t[16];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    tag_name(tag, t);
    return sl__fail(r->ctx, SL_ERR_CORRUPT, "%s: '%s': record '%s'%s: %s", r->who, r->name, t, r->where, m);
}

static size_t pad8(uint64_t n) { return (size_t)((8 - n % 8) % 8); }

/* Every record of r lies inside it, with a known type's size a whole number
 * of elements. */
static sl_status walk(const sl__crd *r)
{
    size_t off = 0;
    while (off < r->len) {
        size_t left = r->len - off;
        if (left < 16)
            return file_fail(r->ctx, SL_ERR_CORRUPT, r->who, r->name, "a record header at byte %zu%s is truncated (%zu bytes)",
                             off, r->where, left);
        const unsigned char *h = r->p + off;
        uint32_t tag = sl__le32_get(h), type = sl__le32_get(h + 4);
        uint64_t nb = sl__le64_get(h + 8);
        if (nb > left - 16 || pad8(nb) > left - 16 - nb)
            return sl__crd_bad(r, tag, "%llu bytes at byte %zu, but only %zu remain (truncated)", (unsigned long long)nb,
                               off, left - 16);
        if (type == 0) return sl__crd_bad(r, tag, "record type 0");
        if (type <= SL__REC_BLOB && nb % type_width(type))
            return sl__crd_bad(r, tag, "%llu bytes is not a whole number of %s values", (unsigned long long)nb,
                               type_name(type));
        off += 16 + (size_t)nb + pad8(nb);
    }
    return SL_OK;
}

int sl__crd_find(const sl__crd *r, uint32_t tag, sl__rec *rec)
{
    size_t off = 0;
    while (r->len - off >= 16) {
        const unsigned char *h = r->p + off;
        uint64_t nb = sl__le64_get(h + 8);
        if (nb > r->len - off - 16) return 0;   /* not after walk() */
        if (sl__le32_get(h) == tag) {
            rec->tag = tag;
            rec->type = sl__le32_get(h + 4);
            rec->nbytes = nb;
            rec->data = h + 16;
            return 1;
        }
        off += 16 + (size_t)nb + pad8(nb);
        if (off > r->len) return 0;
    }
    return 0;
}

static sl_status need(const sl__crd *r, uint32_t tag, int type, sl__rec *rec)
{
    if (!sl__crd_find(r, tag, rec)) return sl__crd_bad(r, tag, "missing");
    if (rec->type != (uint32_t)type)
        return sl__crd_bad(r, tag, "of type %s (must be %s)", type_name(rec->type), type_name((uint32_t)type));
    return SL_OK;
}

sl_status sl__crd_count(const sl__crd *r, uint32_t tag, int type, int64_t *count)
{
    sl__rec rec;
    sl_status st = need(r, tag, type, &rec);
    if (!st) *count = (int64_t)(rec.nbytes / type_width((uint32_t)type));
    return st;
}

static sl_status get_words(const sl__crd *r, uint32_t tag, int type, void *out, int64_t count)
{
    sl__rec rec;
    sl_status st = need(r, tag, type, &rec);
    if (st) return st;
    size_t w = type == SL__REC_U32 ? 4 : 8;
    uint64_t have = rec.nbytes / w;
    if (count < 0 || have != (uint64_t)count)
        return sl__crd_bad(r, tag, "%llu %s values (must be %lld)", (unsigned long long)(type == SL__REC_C128 ? have / 2 : have),
                           type_name((uint32_t)type), (long long)(type == SL__REC_C128 ? count / 2 : count));
    if (!out) return SL_OK;   /* validate only */
    unsigned char *o = out;
    for (uint64_t i = 0; i < have; ++i)
        if (w == 4) {
            uint32_t v = sl__le32_get(rec.data + 4 * i);
            memcpy(o + 4 * i, &v, 4);
        } else {
            uint64_t v = sl__le64_get(rec.data + 8 * i);
            memcpy(o + 8 * i, &v, 8);
        }
    return SL_OK;
}

sl_status sl__crd_u32(const sl__crd *r, uint32_t tag, uint32_t *out, int64_t count) { return get_words(r, tag, SL__REC_U32, out, count); }
sl_status sl__crd_i64(const sl__crd *r, uint32_t tag, int64_t *out, int64_t count) { return get_words(r, tag, SL__REC_I64, out, count); }
sl_status sl__crd_u64(const sl__crd *r, uint32_t tag, uint64_t *out, int64_t count) { return get_words(r, tag, SL__REC_U64, out, count); }

/* Every value of record tag (already checked to hold n doubles) is finite;
 * read from the record itself, so that it also works without a copy. */
static sl_status check_finite(const sl__crd *r, uint32_t tag, int64_t n)
{
    sl__rec rec;
    sl__crd_find(r, tag, &rec);
    for (int64_t k = 0; k < n; ++k) {
        uint64_t w = sl__le64_get(rec.data + 8 * k);
        double x;
        memcpy(&x, &w, 8);
        if (!isfinite(x)) return sl__crd_bad(r, tag, "value [%lld] is %g (must be finite)", (long long)k, x);
    }
    return SL_OK;
}

sl_status sl__crd_f64(const sl__crd *r, uint32_t tag, double *out, int64_t count, int finite)
{
    sl_status st = get_words(r, tag, SL__REC_F64, out, count);
    return !st && finite ? check_finite(r, tag, count) : st;
}

sl_status sl__crd_c128(const sl__crd *r, uint32_t tag, double *out, int64_t count, int finite)
{
    if (count < 0 || count > SL_MAX_ELEMENTS / 2) return sl__crd_bad(r, tag, "internal: count %lld", (long long)count);
    sl_status st = get_words(r, tag, SL__REC_C128, out, 2 * count);
    return !st && finite ? check_finite(r, tag, 2 * count) : st;
}

sl_status sl__crd_i64_1(const sl__crd *r, uint32_t tag, int64_t lo, int64_t hi, int64_t *out)
{
    int64_t v;
    sl_status st = get_words(r, tag, SL__REC_I64, &v, 1);
    if (st) return st;
    if (v < lo || v > hi) return sl__crd_bad(r, tag, "value %lld (must be %lld..%lld)", (long long)v, (long long)lo, (long long)hi);
    *out = v;
    return SL_OK;
}

sl_status sl__crd_int(const sl__crd *r, uint32_t tag, int lo, int hi, int *out)
{
    int64_t v = 0;
    sl_status st = sl__crd_i64_1(r, tag, lo, hi, &v);
    if (!st) *out = (int)v;
    return st;
}

sl_status sl__crd_f64_1(const sl__crd *r, uint32_t tag, int finite, double *out)
{
    return sl__crd_f64(r, tag, out, 1, finite);
}

sl_status sl__crd_str(const sl__crd *r, uint32_t tag, char *buf, size_t cap)
{
    sl__rec rec;
    sl_status st = need(r, tag, SL__REC_STR, &rec);
    if (st) return st;
    if (rec.nbytes >= cap) return sl__crd_bad(r, tag, "a string of %llu bytes (at most %zu)", (unsigned long long)rec.nbytes, cap - 1);
    for (uint64_t i = 0; i < rec.nbytes; ++i)
        if (rec.data[i] < 0x20 || rec.data[i] == 0x7f)
            return sl__crd_bad(r, tag, "the string holds the control byte 0x%02x at %llu", rec.data[i], (unsigned long long)i);
    memcpy(buf, rec.data, (size_t)rec.nbytes);
    buf[rec.nbytes] = 0;
    return SL_OK;
}

sl_status sl__crd_blob(const sl__crd *r, uint32_t tag, sl__crd *sub)
{
    sl__rec rec;
    sl_status st = need(r, tag, SL__REC_BLOB, &rec);
    if (st) return st;
    *sub = *r;
    sub->p = rec.data;
    sub->len = (size_t)rec.nbytes;
    char t[16];
    tag_name(tag, t);
    char w[sizeof sub->where + 24];
    snprintf(w, sizeof w, " in '%s'%s", t, r->where);
    memcpy(sub->where, w, sizeof sub->where - 1);   /* deep nesting: the innermost names */
    sub->where[sizeof sub->where - 1] = 0;
    return walk(sub);
}

/* ---- the header and the payload ----------------------------------------------------- */
sl_status sl__inflate(sl_ctx *ctx, const char *who, const char *name, const unsigned char *in, size_t inlen, size_t want,
                      unsigned char **out)
{
    /* The buffer starts near the input size and doubles with the output
     * actually produced; one byte past `want` detects a longer stream. */
    size_t cap = inlen < ((size_t)1 << 16) ? ((size_t)1 << 16) : inlen;
    if (cap > want + 1) cap = want + 1;
    unsigned char *buf = sl__alloc(ctx, cap, 0, who);
    if (!buf) return SL_ERR_NOMEM;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) {
        sl__free(ctx, buf);
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: zlib could not start", who);
    }
    size_t done = 0, used = 0;
    int rc = Z_OK;
    sl_status st = SL_OK;
    while (rc == Z_OK) {
        if (done == cap) {
            if (cap == want + 1) break;
            size_t nc = cap > (want + 1) / 2 ? want + 1 : 2 * cap;
            unsigned char *q = sl__alloc(ctx, nc, 0, who);
            if (!q) { st = SL_ERR_NOMEM; break; }
            memcpy(q, buf, done);
            sl__free(ctx, buf);
            buf = q;
            cap = nc;
        }
        uInt ka = (inlen - used) > (1u << 30) ? (1u << 30) : (uInt)(inlen - used);
        uInt kb = (cap - done) > (1u << 30) ? (1u << 30) : (uInt)(cap - done);
        z.next_in = (unsigned char *)(uintptr_t)(in + used);
        z.avail_in = ka;
        z.next_out = buf + done;
        z.avail_out = kb;
        rc = inflate(&z, Z_NO_FLUSH);
        used += ka - z.avail_in;
        done += kb - z.avail_out;
    }
    inflateEnd(&z);
    if (!st && done > want)
        st = file_fail(ctx, SL_ERR_CORRUPT, who, name, "the payload inflates to more than the stated %zu bytes", want);
    else if (!st && rc == Z_STREAM_END && done != want)
        st = file_fail(ctx, SL_ERR_CORRUPT, who, name, "the payload inflates to %zu bytes, not %zu", done, want);
    else if (!st && rc == Z_STREAM_END && used != inlen)
        st = file_fail(ctx, SL_ERR_CORRUPT, who, name, "%zu bytes follow the compressed payload", inlen - used);
    else if (!st && rc != Z_STREAM_END)
        st = file_fail(ctx, SL_ERR_CORRUPT, who, name, "the compressed payload is damaged (zlib %d after %zu bytes)", rc, done);
    if (st) {
        sl__free(ctx, buf);
        return st;
    }
    *out = buf;
    return SL_OK;
}

sl_status sl__cfile_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *d, size_t len,
                          uint32_t kind, uint32_t max_version, sl__cfile *f)
{
    memset(f, 0, sizeof *f);
    f->ctx = ctx;
    char want_kind[16], got_kind[16];
    tag_name(kind, want_kind);
    if (!sl__is_container(d, len))
        return file_fail(ctx, SL_ERR_CORRUPT, who, name, "not a libsymlearn file (no container magic)");
    if (len < SL__CONTAINER_HEADER)
        return file_fail(ctx, SL_ERR_CORRUPT, who, name, "truncated: %zu bytes (the header alone is %d)", len,
                         SL__CONTAINER_HEADER);
    if (SL__CHECKSUMS && sl__crc32(d, 44) != sl__le32_get(d + 44))
        return file_fail(ctx, SL_ERR_CORRUPT, who, name, "the header checksum does not match (the file is damaged)");
    uint32_t cver = sl__le32_get(d + 8), k = sl__le32_get(d + 12), ver = sl__le32_get(d + 16), flags = sl__le32_get(d + 20);
    uint64_t slen = sl__le64_get(d + 24), rlen = sl__le64_get(d + 32);
    tag_name(k, got_kind);
    if (cver != SL__CONTAINER_VERSION)
        return file_fail(ctx, SL_ERR_UNSUPPORTED, who, name, "container version %u (this library reads %d)", cver,
                         SL__CONTAINER_VERSION);
    if (k != kind)
        return file_fail(ctx, SL_ERR_CORRUPT, who, name, "a '%s' file, not a '%s' file", got_kind, want_kind);
    if (ver == 0 || ver > max_version)
        return file_fail(ctx, ver ? SL_ERR_UNSUPPORTED : SL_ERR_CORRUPT, who, name,
                         "'%s' version %u (this library reads versions 1..%u)", got_kind, ver, max_version);
    if (flags & ~1u) return file_fail(ctx, SL_ERR_UNSUPPORTED, who, name, "unknown flags 0x%x", flags);
    if (slen != len - SL__CONTAINER_HEADER)
        return file_fail(ctx, SL_ERR_CORRUPT, who, name, "the header gives a %llu-byte payload, the file holds %zu (%s)",
                         (unsigned long long)slen, len - SL__CONTAINER_HEADER,
                         slen > len - SL__CONTAINER_HEADER ? "truncated" : "trailing bytes");
    int deflated = flags & 1;
    if (rlen % 8 || (!deflated && rlen != slen) || (deflated && (slen == 0 || rlen / SL__DEFLATE_MAX_RATIO > slen)))
        return file_fail(ctx, SL_ERR_CORRUPT, who, name, "payload length %llu does not fit %llu stored bytes%s",
                         (unsigned long long)rlen, (unsigned long long)slen, deflated ? " (deflated)" : "");
    const unsigned char *stored = d + SL__CONTAINER_HEADER;
    if (SL__CHECKSUMS && sl__crc32(stored, (size_t)slen) != sl__le32_get(d + 40))
        return file_fail(ctx, SL_ERR_CORRUPT, who, name, "the payload checksum does not match (the file is damaged)");
    const unsigned char *payload = stored;
    if (deflated) {
        sl_status st = sl__inflate(ctx, who, name, stored, (size_t)slen, (size_t)rlen, &f->payload);
        if (st) return st;
        payload = f->payload;
    }
    f->kind = k;
    f->version = ver;
    f->root.ctx = ctx;
    f->root.who = who;
    f->root.name = name;
    f->root.p = payload;
    f->root.len = (size_t)rlen;
    f->root.where[0] = 0;
    sl_status st = walk(&f->root);
    if (st) sl__cfile_close(f);
    return st;
}

sl_status sl__cfile_adopt(sl_ctx *ctx, const char *who, const char *name, unsigned char *buf, size_t len,
                          uint32_t kind, uint32_t max_version, sl__cfile *f)
{
    sl_status st = sl__cfile_parse(ctx, who, name, buf, len, kind, max_version, f);
    if (st) {
        sl__free(ctx, buf);
        return st;
    }
    if (f->payload) sl__free(ctx, buf);   /* inflated: the file bytes are no longer needed */
    else f->file = buf;
    return SL_OK;
}

sl_status sl__cfile_open(sl_ctx *ctx, const char *who, const char *path, uint32_t kind, uint32_t max_version,
                         sl__cfile *f)
{
    memset(f, 0, sizeof *f);
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    return sl__cfile_adopt(ctx, who, path, buf, len, kind, max_version, f);
}

void sl__cfile_close(sl__cfile *f)
{
    if (!f || !f->ctx) return;
    sl__free(f->ctx, f->file);
    sl__free(f->ctx, f->payload);
    f->file = f->payload = NULL;
    f->root.p = NULL;
    f->root.len = 0;
}
