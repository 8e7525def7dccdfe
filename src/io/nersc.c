/* NERSC gauge-configuration files (4D SU(3), the "Gauge Connection" format):
 * a text header BEGIN_HEADER ... END_HEADER of KEY = VALUE lines, then the
 * links in x-fastest site order, mu = 0..3, as 3x3 or two-row matrices of
 * big- or little-endian IEEE floats.  CHECKSUM is the sum mod 2^32 of the
 * 32-bit words of the data (in the file's precision, native byte order).
 *
 * Reading parses each header line once into a bounded key/value table (at
 * most 128 entries, lines of at most 256 bytes), refuses malformed numbers, non-finite
 * PLAQUETTE / LINK_TRACE and duplicate keys, compares the data length the
 * dimensions need (an overflow-checked product) with the bytes actually
 * present before allocating the field, then checks the checksum, that every
 * link is in SU(3), the plaquette and the link trace: any mismatch is
 * SL_ERR_CORRUPT.  Header values in messages are cut to 40 characters with
 * control bytes shown as '?'.  Writing is atomic (temp + rename). */
#include "../layers/lattice_internal.h"
#include "io_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_LINES = 128, MAX_LINE = 256, MAX_KEY = 64 };

/* KEY = VALUE entries, NUL-terminated copies in an arena no larger than the
 * header itself. */
typedef struct {
    int n;
    const char *key[MAX_LINES], *val[MAX_LINES];
    char *arena;
} header;

/* A header value for a message: at most 40 characters, control bytes as '?'. */
static const char *shown(const char *v, char out[48])
{
    size_t i = 0;
    for (; v[i] && i < 40; ++i) out[i] = (v[i] < 0x20 || v[i] == 0x7f) ? '?' : v[i];
    if (v[i]) {
        memcpy(out + i, "...", 3);
        i += 3;
    }
    out[i] = 0;
    return out;
}

/* Split data into the header table (pass 0 finds the end and checks the
 * lines, pass 1 stores them); *data_off receives the offset of the first
 * byte after END_HEADER's newline. */
static sl_status parse_header(sl_ctx *ctx, const char *who, const char *name, const unsigned char *d, size_t len,
                              header *h, size_t *data_off)
{
    static const char begin[] = "BEGIN_HEADER", end[] = "END_HEADER";
    h->n = 0;
    h->arena = NULL;
    size_t used = 0;
    for (int pass = 0; pass < 2; ++pass) {
        size_t pos = 0;
        int line_no = 0, begun = 0, done = 0;
        h->n = 0;
        while (pos < len && !done) {
            size_t e = pos;
            while (e < len && d[e] != '\n' && e - pos <= MAX_LINE) ++e;
            if (e == len || d[e] != '\n')
                return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': header line %d is %s", who, name, line_no + 1,
                                e == len ? "not terminated (no END_HEADER)" : "longer than 256 bytes");
            size_t l = e - pos;
            if (l && d[pos + l - 1] == '\r') --l;   /* CRLF */
            const char *s = (const char *)d + pos;
            ++line_no;
            pos = e + 1;
            if (!begun) {
                if (l != sizeof begin - 1 || memcmp(s, begin, l))
                    return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s' has no NERSC header (no BEGIN_HEADER line)", who, name);
                begun = 1;
                continue;
            }
            if (l == sizeof end - 1 && !memcmp(s, end, l)) {
                done = 1;
                break;
            }
            const char *eq = memchr(s, '=', l);
            if (!eq) continue;   /* not a KEY = VALUE line */
            size_t ka = 0, kb = (size_t)(eq - s), va = kb + 1, vb = l;
            while (ka < kb && (s[ka] == ' ' || s[ka] == '\t')) ++ka;
            while (kb > ka && (s[kb - 1] == ' ' || s[kb - 1] == '\t')) --kb;
            while (va < vb && (s[va] == ' ' || s[va] == '\t')) ++va;
            while (vb > va && (s[vb - 1] == ' ' || s[vb - 1] == '\t')) --vb;
            if (kb == ka || kb - ka >= MAX_KEY)
                return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': header line %d has %s key", who, name, line_no,
                                kb == ka ? "an empty" : "a too long");
            if (memchr(s, 0, l)) return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': header line %d holds a NUL byte", who, name, line_no);
            if (h->n == MAX_LINES)
                return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': more than %d header entries", who, name, MAX_LINES);
            if (pass == 1) {
                char *k = h->arena + used, *v = k + (kb - ka) + 1;
                memcpy(k, s + ka, kb - ka);
                k[kb - ka] = 0;
                memcpy(v, s + va, vb - va);
                v[vb - va] = 0;
                used += (kb - ka) + (vb - va) + 2;
                for (int i = 0; i < h->n; ++i)
                    if (!strcmp(h->key[i], k))
                        return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': header key %s appears twice", who, name, k);
                h->key[h->n] = k;
                h->val[h->n] = v;
            }
            h->n++;
        }
        if (!done) return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s' has no NERSC header", who, name);
        if (pass == 0) {
            /* each entry takes at most its line's bytes (the '=' pays for one NUL, the newline for the other) */
            h->arena = sl__alloc(ctx, pos + 1, 0, who);
            if (!h->arena) return SL_ERR_NOMEM;
        }
        *data_off = pos;
    }
    return SL_OK;
}

static const char *get(const header *h, const char *key)
{
    for (int i = 0; i < h->n; ++i)
        if (!strcmp(h->key[i], key)) return h->val[i];
    return NULL;
}

static sl_status bad_value(sl_ctx *ctx, sl_status st, const char *who, const char *name, const char *key, const char *v,
                           const char *why)
{
    char b[48];
    if (!v) return sl__fail(ctx, st, "%s: '%s': the header has no %s", who, name, key);
    return sl__fail(ctx, st, "%s: '%s': %s = '%s' %s", who, name, key, shown(v, b), why);
}

/* The whole value an integer / hexadecimal / finite real. */
static int int_value(const char *v, int base, long long lo, unsigned long long hi, unsigned long long *out)
{
    if (!v || !*v || *v == '-' || *v == '+') return 0;
    char *e;
    errno = 0;
    unsigned long long x = strtoull(v, &e, base);
    if (errno || *e || x < (unsigned long long)lo || x > hi) return 0;
    *out = x;
    return 1;
}
static int real_value(const char *v, double *out)
{
    if (!v || !*v) return 0;
    char *e;
    double x = strtod(v, &e);
    if (*e || !isfinite(x)) return 0;
    *out = x;
    return 1;
}

/* The data word k (width 4 or 8) as a native double, and its share of the checksum. */
static double word(const unsigned char *p, int width, int big, uint32_t *sum)
{
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) v |= (uint64_t)p[big ? width - 1 - i : i] << (8 * i);
    if (width == 8) {
        *sum += (uint32_t)v + (uint32_t)(v >> 32);
        double x;
        memcpy(&x, &v, 8);
        return x;
    }
    *sum += (uint32_t)v;
    uint32_t w = (uint32_t)v;
    float f;
    memcpy(&f, &w, 4);
    return f;
}

sl_status sl__nersc_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data, size_t len,
                          sl_gauge **out)
{
    *out = NULL;
    header hh, *h = &hh;
    size_t off = 0;
    sl_gauge *U = NULL;
    sl_status st = parse_header(ctx, who, name, data, len, h, &off);
    if (st) goto done;
    int64_t dims[4];
    unsigned long long x;
    for (int mu = 0; mu < 4 && !st; ++mu) {
        char key[16];
        snprintf(key, sizeof key, "DIMENSION_%d", mu + 1);
        const char *v = get(h, key);
        if (!int_value(v, 10, 1, (unsigned long long)1 << 31, &x))
            st = bad_value(ctx, SL_ERR_CORRUPT, who, name, key, v, "is not a lattice extent (1..2^31)");
        dims[mu] = (int64_t)x;
    }
    if (st) goto done;
    const char *dt = get(h, "DATATYPE"), *fp = get(h, "FLOATING_POINT"), *cs = get(h, "CHECKSUM");
    const char *pl = get(h, "PLAQUETTE"), *lt = get(h, "LINK_TRACE");
    int rows = 0, width = 0, big = 0;
    if (dt && !strcmp(dt, "4D_SU3_GAUGE_3x3")) rows = 3;
    else if (dt && !strcmp(dt, "4D_SU3_GAUGE")) rows = 2;
    static const struct { const char *name; int width, big; } fmts[] = {
        {"IEEE64BIG", 8, 1}, {"IEEE64LITTLE", 8, 0}, {"IEEE32BIG", 4, 1}, {"IEEE32LITTLE", 4, 0},
        {"IEEE64", 8, 1},    {"IEEE32", 4, 1}};   /* no suffix: big-endian, as the format defines */
    for (size_t i = 0; fp && i < sizeof fmts / sizeof fmts[0]; ++i)
        if (!strcmp(fp, fmts[i].name)) { width = fmts[i].width; big = fmts[i].big; }
    uint32_t want = 0;
    double plaq = 0, trace = 0;
    if (!rows) st = bad_value(ctx, dt ? SL_ERR_UNSUPPORTED : SL_ERR_CORRUPT, who, name, "DATATYPE", dt, "is not supported (4D_SU3_GAUGE_3x3, 4D_SU3_GAUGE)");
    else if (!width) st = bad_value(ctx, fp ? SL_ERR_UNSUPPORTED : SL_ERR_CORRUPT, who, name, "FLOATING_POINT", fp, "is not supported (IEEE32/IEEE64 with BIG or LITTLE)");
    else if (!int_value(cs, 16, 0, UINT32_MAX, &x)) st = bad_value(ctx, SL_ERR_CORRUPT, who, name, "CHECKSUM", cs, "is not a 32-bit hexadecimal number");
    else if (pl && !real_value(pl, &plaq)) st = bad_value(ctx, SL_ERR_CORRUPT, who, name, "PLAQUETTE", pl, "is not a finite number");
    else if (lt && !real_value(lt, &trace)) st = bad_value(ctx, SL_ERR_CORRUPT, who, name, "LINK_TRACE", lt, "is not a finite number");
    if (st) goto done;
    want = (uint32_t)x;
    /* The data the dimensions need, against what the file holds, before
     * anything of that size is allocated. */
    int64_t per = rows * 3 * 2, f[6] = {dims[0], dims[1], dims[2], dims[3], 4 * per, width}, bytes;
    int ok = 1;
    bytes = 1;
    for (int i = 0; i < 6; ++i) ok = ok && sl__mul_ok(bytes, f[i], &bytes);
    if (!ok || (uint64_t)bytes != len - off) {
        char need[40];
        if (ok) snprintf(need, sizeof need, "%lld bytes", (long long)bytes);
        else snprintf(need, sizeof need, "more than 2^56 bytes");
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': the data is %zu bytes, the header's %lld x %lld x %lld x %lld lattice needs %s",
                      who, name, len - off, (long long)dims[0], (long long)dims[1], (long long)dims[2], (long long)dims[3], need);
        goto done;
    }
    if ((st = sl__gauge_new(ctx, who, 4, dims, 3, 1, &U))) goto done;
    const unsigned char *raw = data + off;
    uint32_t got = 0;
    for (int64_t hs = 0; hs < U->volume; ++hs) {
        int64_t c[4] = {hs % dims[0], (hs / dims[0]) % dims[1], (hs / (dims[0] * dims[1])) % dims[2], hs / (dims[0] * dims[1] * dims[2])};
        int64_t s = sl__site_index(4, dims, c);
        for (int mu = 0; mu < 4; ++mu) {
            cplx *u = U->own + (s * 4 + mu) * 9;
            const unsigned char *p = raw + (size_t)((hs * 4 + mu) * per) * (size_t)width;
            for (int k = 0; k < rows * 3; ++k) {
                double re = word(p + (size_t)(2 * k) * (size_t)width, width, big, &got);
                double im = word(p + (size_t)(2 * k + 1) * (size_t)width, width, big, &got);
                u[k] = re + I * im;
            }
            if (rows == 2)   /* third row = (row0 x row1)^* */
                for (int j = 0; j < 3; ++j)
                    u[6 + j] = conj(u[(j + 1) % 3] * u[3 + (j + 2) % 3] - u[(j + 2) % 3] * u[3 + (j + 1) % 3]);
        }
    }
    if (SL__CHECKSUMS && want != got) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': checksum %x does not match the header's %x", who, name, got, want);
        goto done;
    }
    for (int64_t l = 0; l < U->volume * 4; ++l) {
        if (sl__first_nonfinite((const double *)(U->own + 9 * l), 18) >= 0 || !(sl__mat_unitarity(3, U->own + 9 * l) < 1e-5)) {
            st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': link %lld is not in SU(3)", who, name, (long long)l);
            goto done;
        }
    }
    double tol = (width == 8 ? 1e-9 : 1e-5) + 1e-6 * (width == 4), p, t;
    sl_gauge_plaquette(U, &p);
    sl_gauge_link_trace(U, &t);
    char b[48];
    if (pl && !(fabs(p - plaq) <= tol)) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': plaquette %.10f does not match the header's %s", who, name, p, shown(pl, b));
        goto done;
    }
    if (lt && !(fabs(t - trace) <= tol)) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': link trace %.10f does not match the header's %s", who, name, t, shown(lt, b));
        goto done;
    }
    *out = U;
    U = NULL;
done:
    sl__free(ctx, h->arena);
    sl_gauge_destroy(U);
    return st;
}

sl_status sl_gauge_read_nersc(sl_ctx *ctx, const char *path, sl_gauge **out)
{
    const char *who = "sl_gauge_read_nersc";
    if (!ctx) return SL_ERR_NULL;
    if (!path || !out) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, path ? "out" : "path");
    *out = NULL;
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    st = sl__nersc_parse(ctx, who, path, buf, len, out);
    sl__free(ctx, buf);
    return st;
}

sl_status sl_gauge_write_nersc(const sl_gauge *U, const char *path)
{
    const char *who = "sl_gauge_write_nersc";
    if (!U) return SL_ERR_NULL;
    if (!path) return sl__fail(U->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    if (U->nd != 4 || U->nc != 3) return sl__fail(U->ctx, SL_ERR_ARG, "%s: NERSC files hold 4D SU(3) (U has nd = %d, N = %d)", who, U->nd, U->nc);
    size_t n = (size_t)(U->volume * 4) * 18, bytes = n * 8;
    unsigned char *raw = sl__alloc(U->ctx, bytes, 0, who);
    if (!raw) return SL_ERR_NOMEM;
    cplx tmp[9];
    const int64_t *d = U->dims;
    uint32_t cs = 0;
    for (int64_t h = 0; h < U->volume; ++h) {
        int64_t x[4] = {h % d[0], (h / d[0]) % d[1], (h / (d[0] * d[1])) % d[2], h / (d[0] * d[1] * d[2])};
        int64_t s = sl__site_index(4, d, x);
        for (int mu = 0; mu < 4; ++mu) {
            const double *u = (const double *)sl__gauge_link(U, s, mu, tmp);
            unsigned char *p = raw + (((size_t)h * 4 + (size_t)mu) * 18) * 8;
            for (int k = 0; k < 18; ++k) {   /* big-endian IEEE64 */
                uint64_t v;
                memcpy(&v, u + k, 8);
                cs += (uint32_t)v + (uint32_t)(v >> 32);
                for (int b = 0; b < 8; ++b) p[8 * k + b] = (unsigned char)(v >> (56 - 8 * b));
            }
        }
    }
    double p, t;
    sl_gauge_plaquette(U, &p);
    sl_gauge_link_trace(U, &t);
    char hdr[1024];
    int hl = snprintf(hdr, sizeof hdr,
                      "BEGIN_HEADER\nHDR_VERSION = 1.0\nDATATYPE = 4D_SU3_GAUGE_3x3\nSTORAGE_FORMAT = 1.0\n"
                      "DIMENSION_1 = %lld\nDIMENSION_2 = %lld\nDIMENSION_3 = %lld\nDIMENSION_4 = %lld\n"
                      "LINK_TRACE = %.15g\nPLAQUETTE = %.15g\nBOUNDARY_1 = PERIODIC\nBOUNDARY_2 = PERIODIC\n"
                      "BOUNDARY_3 = PERIODIC\nBOUNDARY_4 = PERIODIC\nCHECKSUM = %x\nENSEMBLE_ID = libsymlearn\n"
                      "FLOATING_POINT = IEEE64BIG\nEND_HEADER\n",
                      (long long)d[0], (long long)d[1], (long long)d[2], (long long)d[3], t, p, cs);
    const void *parts[2] = {hdr, raw};
    size_t sizes[2] = {(size_t)hl, bytes};
    sl_status st = sl__write_atomic(U->ctx, who, path, parts, sizes, 2);
    sl__free(U->ctx, raw);
    return st;
}
