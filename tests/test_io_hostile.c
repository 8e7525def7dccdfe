/* Hostile files for every loader (issue 9): small files that state large
 * lengths never make a loader allocate more than a small multiple of their
 * size (measured through the context's allocator hooks: at most 4 x the
 * file + 16 KiB is asserted); int64 options that do not fit an int, a NaN
 * Killing eigenvalue and other values a format cannot hold are SL_ERR_CORRUPT; the NERSC header is parsed line by line
 * (a later line holding "BIG", PLAQUETTE = nan, an empty header, values in
 * messages) and its dimensions cannot overflow. */
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "symlearn.h"

/* ---- allocator hooks recording the peak ------------------------------------------ */
typedef struct { size_t now, peak; } meter;
typedef struct { size_t n, pad; } blk;
static void *m_alloc(void *u, size_t n)
{
    meter *m = u;
    blk *h = malloc(sizeof(blk) + n);
    if (!h) return NULL;
    h->n = n;
    m->now += n;
    if (m->now > m->peak) m->peak = m->now;
    return h + 1;
}
static void m_free(void *u, void *p)
{
    if (!p) return;
    blk *h = (blk *)p - 1;
    ((meter *)u)->now -= h->n;
    free(h);
}

static meter M;
static sl_ctx *ctx;
static char dir[64];
static double worst_ratio;   /* peak allocation / file size over the refused files of >= 1 KiB */
static size_t worst_small;   /* largest peak over the refused smaller files */

static const char *tmp(const char *name)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void spit(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (n) fwrite(b, 1, n, f);
    fclose(f);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long l = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)l + 1);
    *n = fread(b, 1, (size_t)l, f);
    fclose(f);
    return b;
}

static void le64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; ++i) p[i] = (unsigned char)(v >> (8 * i)); }
static void le32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; ++i) p[i] = (unsigned char)(v >> (8 * i)); }
static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

enum { MODEL, RESULT, NERSC };
/* Load file with the loader of kind; the status, and the peak allocation
 * above what was in use before, checked against 4 x the file size + 16 KiB. */
static sl_status load(int kind, const char *path, const char *what)
{
    size_t size;
    free(slurp(path, &size));
    M.peak = M.now;
    size_t base = M.now;
    sl_status st;
    if (kind == MODEL) {
        sl_lcnn *net = NULL;
        st = sl_lcnn_load(ctx, path, &net);
        sl_lcnn_destroy(net);
    } else if (kind == RESULT) {
        sl_symmetry_result *r = NULL;
        st = sl_symmetry_result_load(ctx, path, &r);
        sl_symmetry_result_destroy(r);
    } else {
        sl_gauge *U = NULL;
        st = sl_gauge_read_nersc(ctx, path, &U);
        sl_gauge_destroy(U);
    }
    size_t peak = M.peak - base;
    CHECK(peak <= 4 * size + 16384, "%s: a %zu-byte file made the loader allocate %zu bytes", what, size, peak);
    double ratio = (double)peak / (double)size;
    if (st != SL_OK && size >= 1024 && ratio > worst_ratio) worst_ratio = ratio;
    if (st != SL_OK && size < 1024 && peak > worst_small) worst_small = peak;
    printf("  %-52s %6zu bytes, peak %7zu bytes (%.2fx): %s\n", what, size, peak, ratio,
           st ? sl_ctx_errmsg(ctx) : "OK");
    return st;
}

/* ---- 1.0 model files (SLLCNN01) ------------------------------------------------------ */
/* 42 int64 options, then nw weights (all 0.25). */
static size_t legacy_model(unsigned char *out, size_t cap, const int64_t *opts, int64_t nw, uint64_t claim_raw)
{
    size_t raw_len = 8 * 42 + 8 * (size_t)nw;
    unsigned char *raw = calloc(raw_len, 1);
    for (int i = 0; i < 42; ++i) le64(raw + 8 * i, (uint64_t)opts[i]);
    double q = 0.25;
    for (int64_t i = 0; i < nw; ++i) memcpy(raw + 8 * 42 + 8 * i, &q, 8);
    uLongf cl = (uLongf)(cap - 32);
    compress2(out + 32, &cl, raw, (uLong)raw_len, 9);
    memcpy(out, "SLLCNN01", 8);
    le64(out + 8, claim_raw ? claim_raw : raw_len);
    le64(out + 16, cl);
    le64(out + 24, crc32(0, raw, (uInt)raw_len));
    free(raw);
    return 32 + cl;
}

static void model_opts(int64_t *v, int64_t nd, int64_t nlayers, int64_t channels, int64_t kernel)
{
    memset(v, 0, 42 * sizeof *v);
    v[0] = nd; v[1] = 2; v[2] = nlayers; v[3] = 0; v[4] = 0; v[5] = 1; v[6] = 0; v[7] = 1;
    for (int i = 0; i < nlayers && i < 16; ++i) { v[9 + i] = channels; v[25 + i] = kernel; }
}

static void models(void)
{
    unsigned char img[8192];
    int64_t v[42];
    /* the 400-byte file of issue 9: 16 layers of 4096 channels, K = 64, no weights */
    model_opts(v, 4, 16, 4096, 64);
    v[41] = 1;
    size_t n = legacy_model(img, sizeof img, v, 0, 0);
    spit(tmp("huge.slm"), img, n);
    CHECK(load(MODEL, tmp("huge.slm"), "1.0 model: 16 x 4096 channels, no weights") == SL_ERR_CORRUPT, "huge model refused");
    /* a 64-byte 1.0 header asking for 2^34-byte buffers */
    memset(img, 0, 64);
    memcpy(img, "SLLCNN01", 8);
    le64(img + 8, (uint64_t)1 << 34);
    le64(img + 16, (uint64_t)1 << 34);
    spit(tmp("h64.slm"), img, 64);
    CHECK(load(MODEL, tmp("h64.slm"), "1.0 model: 64-byte header, 2^34 lengths") == SL_ERR_CORRUPT, "64-byte model header");
    /* honest compressed lengths, raw length claimed 2^34 */
    model_opts(v, 2, 1, 2, 2);
    n = legacy_model(img, sizeof img, v, 0, (uint64_t)1 << 34);
    spit(tmp("claim.slm"), img, n);
    CHECK(load(MODEL, tmp("claim.slm"), "1.0 model: raw length 2^34 claimed") == SL_ERR_CORRUPT, "claimed raw length");
    /* int64 options that do not fit an int: nd = 2^32 + 2 was read as 2 */
    model_opts(v, ((int64_t)1 << 32) + 2, 1, 2, 2);
    sl_lcnn_opts o;
    sl_lcnn_opts_init(&o);
    o.nlayers = 1; o.channels[0] = 2; o.kernels[0] = 2; o.seed = 1;
    sl_lcnn *ref;
    sl_lcnn_create(ctx, &o, &ref);
    v[41] = sl_lcnn_nparams(ref);
    n = legacy_model(img, sizeof img, v, v[41], 0);
    spit(tmp("trunc.slm"), img, n);
    CHECK(load(MODEL, tmp("trunc.slm"), "1.0 model: nd = 2^32 + 2") == SL_ERR_CORRUPT && strstr(sl_ctx_errmsg(ctx), "nd"),
          "an int64 option beyond int is refused, not truncated: %s", sl_ctx_errmsg(ctx));
    model_opts(v, 2, 1, ((int64_t)1 << 33) + 2, 2);
    n = legacy_model(img, sizeof img, v, v[41], 0);
    spit(tmp("trunc2.slm"), img, n);
    CHECK(load(MODEL, tmp("trunc2.slm"), "1.0 model: channels = 2^33 + 2") == SL_ERR_CORRUPT, "channels beyond int refused");
    /* the same model with honest options loads */
    model_opts(v, 2, 1, 2, 2);
    v[41] = sl_lcnn_nparams(ref);
    n = legacy_model(img, sizeof img, v, v[41], 0);
    spit(tmp("ok.slm"), img, n);
    CHECK(load(MODEL, tmp("ok.slm"), "1.0 model: honest") == SL_OK, "honest 1.0 model loads: %s", sl_ctx_errmsg(ctx));
    sl_lcnn_destroy(ref);
}

/* ---- containers edited by hand (uncompressed, CRCs recomputed) ------------------------- */
/* The file's payload records, inflated when needed, in a new buffer (NULL
 * when f is not a container). */
static unsigned char *payload_of(const unsigned char *f, size_t n, size_t *plen)
{
    static const unsigned char magic[8] = {0x89, 'S', 'L', 'C', '\r', '\n', 0x1a, '\n'};
    if (n < 48 || memcmp(f, magic, 8)) return NULL;
    uint64_t slen = get64(f + 24), rlen = get64(f + 32);
    unsigned char *p = malloc(rlen + 1);
    if (f[20] & 1) {
        uLongf dl = (uLongf)rlen;
        uncompress(p, &dl, f + 48, (uLong)slen);
    } else {
        memcpy(p, f + 48, rlen);
    }
    (void)n;
    *plen = rlen;
    return p;
}

static size_t rewrap(unsigned char *out, const unsigned char *orig, const unsigned char *p, size_t plen)
{
    memcpy(out, orig, 48);
    le32(out + 20, 0);
    le64(out + 24, plen);
    le64(out + 32, plen);
    le32(out + 40, (uint32_t)crc32(0, p, (uInt)plen));
    le32(out + 44, (uint32_t)crc32(0, out, 44));
    memcpy(out + 48, p, plen);
    return 48 + plen;
}

/* The data of record tag in payload p, or NULL. */
static unsigned char *find(unsigned char *p, size_t plen, const char *tag, uint64_t *nbytes)
{
    size_t off = 0;
    while (off + 16 <= plen) {
        uint64_t nb = get64(p + off + 8);
        if (!memcmp(p + off, tag, 4)) {
            *nbytes = nb;
            return p + off + 16;
        }
        off += 16 + nb + (8 - nb % 8) % 8;
    }
    return NULL;
}

static void containers(void)
{
    /* a model in the current format with a lying weight count and huge options */
    sl_lcnn_opts o;
    sl_lcnn_opts_init(&o);
    o.nlayers = 1; o.channels[0] = 2; o.kernels[0] = 2;
    sl_lcnn *net;
    sl_lcnn_create(ctx, &o, &net);
    CHECK(sl_lcnn_save(net, tmp("net.slm")) == SL_OK, "save");
    sl_lcnn_destroy(net);
    size_t n, plen;
    unsigned char *f = slurp(tmp("net.slm"), &n), *p = payload_of(f, n, &plen);
    uint64_t nb;
    CHECK(p && find(p, plen, "NLAY", &nb) && find(p, plen, "WGTS", &nb), "the model is a container with NLAY and WGTS");
    if (!p || !find(p, plen, "NLAY", &nb) || !find(p, plen, "WGTS", &nb)) {
        free(f), free(p);
        return;
    }
    unsigned char *out = malloc(plen + 4096);
    unsigned char *q = malloc(plen);
    memcpy(q, p, plen);
    le64(find(q, plen, "NLAY", &nb), ((uint64_t)1 << 32) + 1);
    spit(tmp("nlay.slm"), out, rewrap(out, f, q, plen));
    CHECK(load(MODEL, tmp("nlay.slm"), "model: NLAY = 2^32 + 1") == SL_ERR_CORRUPT && strstr(sl_ctx_errmsg(ctx), "record 'NLAY'"),
          "NLAY beyond int: %s", sl_ctx_errmsg(ctx));
    memcpy(q, p, plen);
    le64(find(q, plen, "CHAN", &nb), 4096);
    le64(find(q, plen, "KERN", &nb), 64);
    le64(find(q, plen, "ND  ", &nb), 4);
    spit(tmp("wide.slm"), out, rewrap(out, f, q, plen));
    CHECK(load(MODEL, tmp("wide.slm"), "model: 4096 channels, K = 64, 2 weights") == SL_ERR_CORRUPT &&
              strstr(sl_ctx_errmsg(ctx), "the options need"), "weights counted before allocating: %s", sl_ctx_errmsg(ctx));
    memcpy(q, p, plen);
    double nanv = NAN;
    memcpy(find(q, plen, "WGTS", &nb) + 8, &nanv, 8);
    spit(tmp("nanw.slm"), out, rewrap(out, f, q, plen));
    CHECK(load(MODEL, tmp("nanw.slm"), "model: a NaN weight") == SL_ERR_CORRUPT && strstr(sl_ctx_errmsg(ctx), "finite"),
          "NaN weight: %s", sl_ctx_errmsg(ctx));
    /* a 64-byte container header claiming 2^40 bytes deflated */
    unsigned char h[64] = {0};
    memcpy(h, f, 48);
    le32(h + 20, 1);
    le64(h + 24, 16);
    le64(h + 32, (uint64_t)1 << 40);
    le32(h + 40, (uint32_t)crc32(0, h + 48, 16));
    le32(h + 44, (uint32_t)crc32(0, h, 44));
    spit(tmp("c64.slm"), h, 64);
    CHECK(load(MODEL, tmp("c64.slm"), "model: 64-byte container, 2^40 claimed") == SL_ERR_CORRUPT, "64-byte container");
    le32(h + 20, 0);
    le64(h + 32, 16);
    le64(h + 24, (uint64_t)1 << 34);
    le32(h + 44, (uint32_t)crc32(0, h, 44));
    spit(tmp("c64b.slm"), h, 64);
    CHECK(load(MODEL, tmp("c64b.slm"), "model: 64-byte container, 2^34 stored") == SL_ERR_CORRUPT, "2^34 stored bytes");
    free(f), free(p), free(q), free(out);

    /* a symmetry result with a NaN Killing eigenvalue, in the current format */
    sl_symmetry_result *r;
    CHECK(sl_symmetry_result_load(ctx, "tests/fixtures/symmetry-1.0.slr", &r) == SL_OK, "fixture: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_symmetry_result_save(r, tmp("r.slr")) == SL_OK, "save result");
    sl_symmetry_result_destroy(r);
    f = slurp(tmp("r.slr"), &n);
    p = payload_of(f, n, &plen);
    CHECK(p != NULL, "the result is a container");
    if (!p) {
        free(f);
        return;
    }
    out = malloc(plen + 4096);
    CHECK(load(RESULT, tmp("r.slr"), "result: honest") == SL_OK, "the saved result loads");
    const char *tags[] = {"EIG ", "GENS", "STRC", "KILL", "SV  "};
    for (int t = 0; t < 5; ++t) {
        q = malloc(plen);
        memcpy(q, p, plen);
        memcpy(find(q, plen, tags[t], &nb) + 8, &nanv, 8);
        char name[32], what[64];
        snprintf(name, sizeof name, "nan%d.slr", t);
        snprintf(what, sizeof what, "result: NaN in record '%s'", tags[t]);
        spit(tmp(name), out, rewrap(out, f, q, plen));
        CHECK(load(RESULT, tmp(name), what) == SL_ERR_CORRUPT && strstr(sl_ctx_errmsg(ctx), tags[t]), "%s: %s", what,
              sl_ctx_errmsg(ctx));
        free(q);
    }
    /* a NaN gap is something a result can hold */
    q = malloc(plen);
    memcpy(q, p, plen);
    memcpy(find(q, plen, "GAP ", &nb), &nanv, 8);
    spit(tmp("nangap.slr"), out, rewrap(out, f, q, plen));
    CHECK(load(RESULT, tmp("nangap.slr"), "result: NaN gap (allowed)") == SL_OK, "NaN gap allowed: %s", sl_ctx_errmsg(ctx));
    /* a dimension that does not fit the arrays */
    memcpy(q, p, plen);
    le64(find(q, plen, "D   ", &nb), 16);
    spit(tmp("dim.slr"), out, rewrap(out, f, q, plen));
    CHECK(load(RESULT, tmp("dim.slr"), "result: dimension 16, arrays for 6") == SL_ERR_CORRUPT, "dimension mismatch: %s",
          sl_ctx_errmsg(ctx));
    free(q), free(f), free(p), free(out);
}

/* ---- 1.0 symmetry results (SLSYMR1) ---------------------------------------------------- */
static void legacy_results(void)
{
    size_t n;
    unsigned char *f = slurp("tests/fixtures/symmetry-1.0.slr", &n);
    uint64_t rl = get64(f + 16), cl = get64(f + 24);
    unsigned char *raw = malloc(rl), *out = malloc(rl + 1024);
    uLongf dl = (uLongf)rl;
    CHECK(uncompress(raw, &dl, f + 40, (uLong)cl) == Z_OK && dl == rl, "fixture inflates");
    /* eig[0] sits after 12 ints, 9 doubles, the name, the d n n generators, d^3 f, d^2 K */
    int d = 6, nn = 16;
    size_t eig_at = 48 + 72 + 256 + 8 * (size_t)(d * nn + d * d * d + d * d);
    double nanv = NAN, e0;
    memcpy(&e0, raw + eig_at, 8);
    CHECK(fabs(e0 + 2) < 1e-9, "found eig[0] = %g", e0);
    memcpy(raw + eig_at, &nanv, 8);
    uLongf ocl = (uLongf)(rl + 1024 - 40);
    compress2(out + 40, &ocl, raw, (uLong)rl, 6);
    memcpy(out, f, 40);
    le64(out + 24, ocl);
    le32(out + 32, (uint32_t)crc32(0, raw, (uInt)rl));
    le32(out + 36, (uint32_t)crc32(0, out, 36));
    spit(tmp("nan10.slr"), out, 40 + ocl);
    CHECK(load(RESULT, tmp("nan10.slr"), "1.0 result: NaN Killing eigenvalue") == SL_ERR_CORRUPT &&
              strstr(sl_ctx_errmsg(ctx), "Killing eigenvalues"), "NaN eigenvalue refused: %s", sl_ctx_errmsg(ctx));
    /* a 64-byte header asking for two 2^34-byte buffers */
    unsigned char h[64] = {0};
    memcpy(h, f, 16);
    le64(h + 16, (uint64_t)1 << 34);
    le64(h + 24, (uint64_t)1 << 34);
    le32(h + 36, (uint32_t)crc32(0, h, 36));
    spit(tmp("h64.slr"), h, 64);
    CHECK(load(RESULT, tmp("h64.slr"), "1.0 result: 64-byte header, 2^34 lengths") == SL_ERR_CORRUPT, "64-byte result header");
    /* honest compressed length, huge raw length */
    memcpy(out, f, n);
    le64(out + 16, (uint64_t)1 << 34);
    le32(out + 36, (uint32_t)crc32(0, out, 36));
    spit(tmp("claim.slr"), out, n);
    CHECK(load(RESULT, tmp("claim.slr"), "1.0 result: raw length 2^34 claimed") == SL_ERR_CORRUPT, "claimed raw length");
    /* counts that need far more than the content: n = 4096, d = 2^24 */
    int32_t big[2] = {4096, 1 << 24};
    memcpy(raw, big, 8);
    memcpy(raw + eig_at, &e0, 8);
    ocl = (uLongf)(rl + 1024 - 40);
    compress2(out + 40, &ocl, raw, (uLong)rl, 6);
    memcpy(out, f, 40);
    le64(out + 24, ocl);
    le32(out + 32, (uint32_t)crc32(0, raw, (uInt)rl));
    le32(out + 36, (uint32_t)crc32(0, out, 36));
    spit(tmp("counts.slr"), out, 40 + ocl);
    CHECK(load(RESULT, tmp("counts.slr"), "1.0 result: n 4096, d 2^24 in a small file") == SL_ERR_CORRUPT, "counts vs content");
    free(f), free(raw), free(out);
}

/* ---- NERSC -------------------------------------------------------------------------- */
static void nersc(void)
{
    char h[1024];
    /* the 250-byte header of issue 9: a 48^3 x 24 lattice, no data */
    int k = snprintf(h, sizeof h, "BEGIN_HEADER\nHDR_VERSION = 1.0\nDATATYPE = 4D_SU3_GAUGE_3x3\nDIMENSION_1 = 48\n"
                     "DIMENSION_2 = 48\nDIMENSION_3 = 48\nDIMENSION_4 = 24\nCHECKSUM = 0\nFLOATING_POINT = IEEE64BIG\n"
                     "PLAQUETTE = 0.5\nLINK_TRACE = 0.1\nENSEMBLE_ID = x\nEND_HEADER\n");
    spit(tmp("big.nersc"), h, (size_t)k);
    CHECK(load(NERSC, tmp("big.nersc"), "NERSC: 48^3 x 24 header, no data") == SL_ERR_CORRUPT, "large header refused");
    /* 2^20 per direction: the volume overflows int64 */
    k = snprintf(h, sizeof h, "BEGIN_HEADER\nDATATYPE = 4D_SU3_GAUGE\nDIMENSION_1 = 1048576\nDIMENSION_2 = 1048576\n"
                 "DIMENSION_3 = 1048576\nDIMENSION_4 = 1048576\nCHECKSUM = 0\nFLOATING_POINT = IEEE32LITTLE\nEND_HEADER\n");
    spit(tmp("ovf.nersc"), h, (size_t)k);
    CHECK(load(NERSC, tmp("ovf.nersc"), "NERSC: 2^20 per direction") == SL_ERR_CORRUPT, "overflowing dimensions: %s", sl_ctx_errmsg(ctx));
    /* an empty header */
    spit(tmp("empty.nersc"), "BEGIN_HEADER\nEND_HEADER\n", 24);
    CHECK(load(NERSC, tmp("empty.nersc"), "NERSC: empty header") == SL_ERR_CORRUPT && strstr(sl_ctx_errmsg(ctx), "DIMENSION_1"),
          "empty header: %s", sl_ctx_errmsg(ctx));
    spit(tmp("nothing.nersc"), "", 0);
    CHECK(load(NERSC, tmp("nothing.nersc"), "NERSC: empty file") == SL_ERR_CORRUPT, "empty file");

    /* a real little-endian file, then variations of its header */
    int64_t dims[4] = {2, 2, 2, 2};
    sl_gauge *U;
    sl_gauge_create(ctx, 4, dims, 3, &U);
    sl_gauge_randomize(U, 3);
    sl_gauge_write_nersc(U, tmp("be.nersc"));
    double plaq;
    sl_gauge_plaquette(U, &plaq);
    size_t n;
    unsigned char *f = slurp(tmp("be.nersc"), &n);
    char *end = strstr((char *)f, "END_HEADER\n") + 11;
    size_t hl = (size_t)(end - (char *)f), dl = n - hl;
    unsigned char *le = malloc(dl);
    for (size_t i = 0; i < dl; i += 8)
        for (int b = 0; b < 8; ++b) le[i + (size_t)b] = end[i + 7 - (size_t)b];
    uint32_t cs = 0;
    for (size_t i = 0; i < dl; i += 4) { uint32_t w; memcpy(&w, le + i, 4); cs += w; }
    const char *variants[][2] = {
        {"FLOATING_POINT = IEEE64LITTLE\nENSEMBLE_LABEL = BIG_RUN\n", "OK"},       /* BIG on a later line */
        {"FLOATING_POINT = IEEE64LITTLE\nPLAQUETTE = nan\n", "PLAQUETTE"},          /* nan switched the check off */
        {"FLOATING_POINT = IEEE64LITTLE\nPLAQUETTE = 0.123456\nXX = line two\nYY = three\n", "plaquette"},
        {"FLOATING_POINT = IEEE64LITTLE\nDATATYPE = 4D_SU3_GAUGE_3x3\n", "twice"},
        {"FLOATING_POINT = IEEE64LITTLEXX\n", "FLOATING_POINT"},
        {"FLOATING_POINT = IEEE64LITTLE\nCHECKSUM = 12zz\n", "CHECKSUM"},
    };
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; ++v) {
        char hdr[1024];
        int m = snprintf(hdr, sizeof hdr, "BEGIN_HEADER\nDATATYPE = 4D_SU3_GAUGE_3x3\nDIMENSION_1 = 2\nDIMENSION_2 = 2\n"
                         "DIMENSION_3 = 2\nDIMENSION_4 = 2\n%s%sEND_HEADER\n", variants[v][0],
                         strstr(variants[v][0], "CHECKSUM") ? "" : "CHECKSUM = ");
        if (!strstr(variants[v][0], "CHECKSUM")) {
            m -= 11;   /* put the right checksum in before END_HEADER */
            m += snprintf(hdr + m, sizeof hdr - (size_t)m, "%x\nEND_HEADER\n", cs);
        }
        unsigned char *file = malloc((size_t)m + dl);
        memcpy(file, hdr, (size_t)m);
        memcpy(file + m, le, dl);
        char name[32], what[80];
        snprintf(name, sizeof name, "v%zu.nersc", v);
        snprintf(what, sizeof what, "NERSC: variant %zu (%s)", v, variants[v][1]);
        spit(tmp(name), file, (size_t)m + dl);
        free(file);
        sl_status st = load(NERSC, tmp(name), what);
        const char *msg = sl_ctx_errmsg(ctx);
        if (!strcmp(variants[v][1], "OK"))
            CHECK(st == SL_OK, "a little-endian file with BIG on a later line loads: %s", msg);
        else
            CHECK(st != SL_OK && strstr(msg, variants[v][1]) && !strchr(msg, '\n') && strlen(msg) < 300,
                  "variant %zu refused with a one-line message naming %s: %s", v, variants[v][1], msg);
    }
    (void)plaq;
    free(le), free(f);
    sl_gauge_destroy(U);
}

int main(void)
{
    sl_ctx_opts o;
    sl_ctx_opts_init(&o);
    o.alloc = m_alloc;
    o.free = m_free;
    o.alloc_user = &M;
    sl_ctx_create(&ctx, &o);
    snprintf(dir, sizeof dir, "/tmp/sl_hostile_XXXXXX");
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    printf("peak allocation of each loader over its input:\n");
    models();
    containers();
    legacy_results();
    nersc();
    printf("refused files: peak allocation at most %.2f x the file (files >= 1 KiB), at most %zu bytes (smaller files)\n",
           worst_ratio, worst_small);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0, "clean up");
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    CHECK(M.now == 0, "every hook allocation freed (%zu)", M.now);
    return check_done();
}
