/* The file formats of libsymlearn 1.0.0, read only (docs/file-format.md,
 * "Legacy formats").  Every length is compared with the file's real size and
 * with the stated payload before anything proportional to it is allocated,
 * every int64 option is range-checked before it becomes an int, and stored
 * values the format cannot hold as NaN or Inf are refused.
 *
 *  SLLCNN01 (model): "SLLCNN01", u64 raw length, u64 zlib length, u64 CRC-32
 *    of the raw payload, then the zlib stream; raw = 42 int64 (nd, nc,
 *    nlayers, dilation, symmetric, orientations, head, seed, 0, 16 channels,
 *    16 kernels, nparams), then nparams doubles.  Little-endian.
 *  SLSYMR1 (symmetry result): "SLSYMR1\0", u32 version 1, u32 0x01020304 in
 *    the writer's byte order, u64 raw length, u64 zlib length, u32 CRC-32 of
 *    the raw payload, u32 CRC-32 of the 36 bytes before it, then the zlib
 *    stream; raw = 12 int32, closure residual, 6 losses, initial loss, gap,
 *    a 256-byte name, the generators, f, K, eigenvalues, simple ideal
 *    dimensions (int32), singular values, scan N_g (int32), scan losses. */
#include "../layers/lcnn_internal.h"
#include "../discover/symmetry_internal.h"
#include "container.h"

#include <limits.h>

#define LCNN_MAGIC "SLLCNN01"
#define LCNN_NOPT (9 + 2 * SL_LCNN_MAX_LAYERS)
static const char RESULT_MAGIC[8] = {'S', 'L', 'S', 'Y', 'M', 'R', '1', '\0'};
enum { RESULT_HEADER = 40, NAME_LEN = 256 };

int sl__legacy_lcnn_magic(const unsigned char *d, size_t len) { return len >= 8 && !memcmp(d, LCNN_MAGIC, 8); }
int sl__legacy_result_magic(const unsigned char *d, size_t len) { return len >= 8 && !memcmp(d, RESULT_MAGIC, 8); }

#define FAIL(...) sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': " __VA_ARGS__)

/* Inflate the stored stream (exactly inlen bytes, to exactly raw bytes) and
 * check the CRC-32 of the result. */
static sl_status unpack(sl_ctx *ctx, const char *who, const char *name, const unsigned char *in, size_t inlen,
                        uint64_t raw, uint32_t crc, unsigned char **out)
{
    if (inlen == 0 || raw / SL__DEFLATE_MAX_RATIO > inlen)
        return FAIL("the header gives %llu bytes for a %zu-byte compressed payload", who, name, (unsigned long long)raw, inlen);
    sl_status st = sl__inflate(ctx, who, name, in, inlen, (size_t)raw, out);
    if (st) return st;
    if (SL__CHECKSUMS && sl__crc32(*out, (size_t)raw) != crc) {
        sl__free(ctx, *out);
        *out = NULL;
        return FAIL("the content fails its checksum (the file is damaged)", who, name);
    }
    return SL_OK;
}

sl_status sl__legacy_lcnn_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *d, size_t len,
                                sl_lcnn **out)
{
    *out = NULL;
    if (len < 32) return FAIL("truncated: %zu bytes (the 1.0 model header is 32)", who, name, len);
    uint64_t raw_len = sl__le64_get(d + 8), clen = sl__le64_get(d + 16), crc = sl__le64_get(d + 24);
    const uint64_t fixed = 8 * (LCNN_NOPT + 1);
    if (clen != len - 32)
        return FAIL("the header gives %llu compressed bytes, the file holds %zu (%s)", who, name, (unsigned long long)clen,
                    len - 32, clen > len - 32 ? "truncated" : "trailing bytes");
    if (raw_len < fixed || (raw_len - fixed) % 8 || crc > UINT32_MAX)
        return FAIL("bad lengths in the header", who, name);
    unsigned char *raw;
    sl_status st = unpack(ctx, who, name, d + 32, (size_t)clen, raw_len, (uint32_t)crc, &raw);
    if (st) return st;
    int64_t v[LCNN_NOPT + 1];
    for (int i = 0; i <= LCNN_NOPT; ++i) v[i] = (int64_t)sl__le64_get(raw + 8 * i);
    sl_lcnn_opts o;
    sl_lcnn_opts_init_sized(&o, sizeof o);
    static const char *names[7] = {"nd", "nc", "nlayers", "dilation", "symmetric", "orientations", "head"};
    int *fields[7] = {&o.nd, &o.nc, &o.nlayers, &o.dilation, &o.symmetric, &o.orientations, &o.head};
    for (int i = 0; i < 7 && !st; ++i) {
        if (v[i] < INT_MIN || v[i] > INT_MAX) st = FAIL("option %s = %lld does not fit an int", who, name, names[i], (long long)v[i]);
        else *fields[i] = (int)v[i];
    }
    o.seed = (uint64_t)v[7];
    for (int i = 0; i < SL_LCNN_MAX_LAYERS && !st; ++i) {
        int64_t c = v[9 + i], k = v[9 + SL_LCNN_MAX_LAYERS + i];
        if (c < INT_MIN || c > INT_MAX || k < INT_MIN || k > INT_MAX)
            st = FAIL("layer %d: channels %lld, kernel %lld do not fit an int", who, name, i, (long long)c, (long long)k);
        o.channels[i] = (int)c;
        o.kernels[i] = (int)k;
    }
    if (!st && sl__lcnn_check_opts(ctx, who, &o)) {
        char why[SL_ERRMSG_LEN];
        snprintf(why, sizeof why, "%s", sl_ctx_errmsg(ctx));
        st = FAIL("the stored options are invalid (%s)", who, name, why);
    }
    int64_t want = st ? 0 : sl__lcnn_param_count(&o);
    if (!st && (v[LCNN_NOPT] != want || (raw_len - fixed) / 8 != (uint64_t)want))
        st = FAIL("%llu weights stored (count %lld), the options need %lld", who, name,
                  (unsigned long long)((raw_len - fixed) / 8), (long long)v[LCNN_NOPT], (long long)want);
    sl_lcnn *net = NULL;
    if (!st) st = sl__lcnn_alloc(ctx, who, &o, &net);
    for (int64_t i = 0; !st && i < want; ++i) {
        uint64_t b = sl__le64_get(raw + fixed + 8 * (uint64_t)i);
        memcpy(net->w + i, &b, 8);
    }
    int64_t bad = st ? -1 : sl__first_nonfinite(net->w, (size_t)want);
    if (bad >= 0) st = FAIL("weight %lld is %g", who, name, (long long)bad, net->w[bad]);
    sl__free(ctx, raw);
    if (st) sl_lcnn_destroy(net);
    else *out = net;
    return st;
}

/* ---- SLSYMR1 ------------------------------------------------------------------------ */
typedef struct {
    const unsigned char *p;
    size_t len, pos;
    int big;   /* the writer was big-endian */
} rdbuf;

static uint64_t get_word(rdbuf *b, int width)
{
    uint64_t v = 0;
    const unsigned char *q = b->p + b->pos;
    for (int i = 0; i < width; ++i) v |= (uint64_t)q[b->big ? width - 1 - i : i] << (8 * i);
    b->pos += (size_t)width;
    return v;
}
static int get_i32(rdbuf *b) { return (int)(int32_t)(uint32_t)get_word(b, 4); }
static double get_f64(rdbuf *b)
{
    uint64_t w = get_word(b, 8);
    double x;
    memcpy(&x, &w, 8);
    return x;
}
static sl_status get_doubles(sl_ctx *ctx, const char *who, rdbuf *b, size_t count, double **out)
{
    if (!count) return SL_OK;
    *out = sl__alloc(ctx, sizeof(double) * count, 0, who);
    if (!*out) return SL_ERR_NOMEM;
    for (size_t i = 0; i < count; ++i) (*out)[i] = get_f64(b);
    return SL_OK;
}
static sl_status get_ints(sl_ctx *ctx, const char *who, rdbuf *b, size_t count, int **out)
{
    if (!count) return SL_OK;
    *out = sl__alloc(ctx, sizeof(int) * count, 0, who);
    if (!*out) return SL_ERR_NOMEM;
    for (size_t i = 0; i < count; ++i) (*out)[i] = get_i32(b);
    return SL_OK;
}

sl_status sl__legacy_result_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *d, size_t len,
                                  sl_symmetry_result **out)
{
    *out = NULL;
    if (len < RESULT_HEADER) return FAIL("truncated: %zu bytes (the 1.0 result header is %d)", who, name, len, RESULT_HEADER);
    rdbuf h = {d, RESULT_HEADER, 8, 0};
    uint32_t mark_le = sl__le32_get(d + 12);
    if (mark_le == 0x04030201u) h.big = 1;
    else if (mark_le != 0x01020304u) return FAIL("bad byte-order mark 0x%08x", who, name, mark_le);
    uint32_t version = (uint32_t)get_word(&h, 4);
    h.pos += 4;
    uint64_t rl = get_word(&h, 8), cl = get_word(&h, 8);
    uint32_t crc = (uint32_t)get_word(&h, 4), hcrc = (uint32_t)get_word(&h, 4);
    if (SL__CHECKSUMS && hcrc != sl__crc32(d, 36)) return FAIL("the header checksum does not match (the file is damaged)", who, name);
    if (version != 1) return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: '%s': SLSYMR1 version %u", who, name, version);
    if (cl != len - RESULT_HEADER)
        return FAIL("the header gives %llu compressed bytes, the file holds %zu (%s)", who, name, (unsigned long long)cl,
                    len - RESULT_HEADER, cl > len - RESULT_HEADER ? "truncated" : "trailing bytes");
    const size_t fixed = 12 * 4 + 9 * 8 + NAME_LEN;
    if (rl < fixed) return FAIL("the content is %llu bytes (at least %zu)", who, name, (unsigned long long)rl, fixed);
    unsigned char *raw;
    sl_status st = unpack(ctx, who, name, d + RESULT_HEADER, (size_t)cl, rl, crc, &raw);
    if (st) return st;
    rdbuf b = {raw, (size_t)rl, 0, h.big};
    int ints[12];
    for (int i = 0; i < 12; ++i) ints[i] = get_i32(&b);
    int n = ints[0], dim = ints[1], nsimple = ints[9], nsv = ints[10], nscan = ints[11];
    /* The exact content length these counts need, before allocating any of it. */
    int64_t dd = dim, nn = (int64_t)n * n, words = 0, t;
    int sizes_ok = n >= 1 && n <= 4096 && dim >= 0 && dim <= nn && nsimple >= 0 && nsimple <= dim && nsv >= 0 &&
                   nsv <= nn && nscan >= 0 && nscan <= (1 << 20);
    if (sizes_ok) {
        int64_t parts[4] = {dd * nn, 0, dd * dd, dd};
        sizes_ok = sl__mul_ok(dd * dd, dd, &parts[1]);
        for (int i = 0; i < 4; ++i) words += parts[i];
        words += nsv + nscan;
        sizes_ok = sizes_ok && sl__mul_ok(words, 8, &t) && (uint64_t)t + fixed + 4 * (uint64_t)(nsimple + nscan) == rl;
    }
    if (!sizes_ok) {
        sl__free(ctx, raw);
        return FAIL("sizes (n %d, dimension %d, %d ideals, %d singular values, %d scan entries) do not fit %llu bytes", who,
                    name, n, dim, nsimple, nsv, nscan, (unsigned long long)rl);
    }
    sl_symmetry_result *r = sl__symmetry_result_new(ctx, n);
    if (!r) st = SL_ERR_NOMEM;
    if (!st) {
        r->d = dim;
        r->solver = ints[2];
        r->nneg = ints[3];
        r->npos = ints[4];
        r->nzero = ints[5];
        r->rank = ints[6];
        r->centre = ints[7];
        r->compact = ints[8];
        r->closure_residual = get_f64(&b);
        for (int i = 0; i < 6; ++i) r->loss[i] = get_f64(&b);
        r->initial_loss = get_f64(&b);
        r->gap = get_f64(&b);
        memcpy(r->name, b.p + b.pos, NAME_LEN);
        b.pos += NAME_LEN;
        st = get_doubles(ctx, who, &b, (size_t)(dd * nn), &r->gens);
    }
    if (!st) st = get_doubles(ctx, who, &b, (size_t)(dd * dd * dd), &r->f);
    if (!st) st = get_doubles(ctx, who, &b, (size_t)(dd * dd), &r->K);
    if (!st) st = get_doubles(ctx, who, &b, (size_t)dd, &r->eig);
    if (!st && !(st = get_ints(ctx, who, &b, (size_t)nsimple, &r->simple_dims))) r->nsimple = nsimple;
    if (!st && !(st = get_doubles(ctx, who, &b, (size_t)nsv, &r->sv))) r->nsv = nsv;
    if (!st && !(st = get_ints(ctx, who, &b, (size_t)nscan, &r->scan_ng))) r->nscan = nscan;
    if (!st) st = get_doubles(ctx, who, &b, (size_t)nscan, &r->scan_loss);
    if (!st) st = sl__symmetry_result_check(r, who, name);
    sl__free(ctx, raw);
    if (st) sl_symmetry_result_destroy(r);
    else *out = r;
    return st;
}
