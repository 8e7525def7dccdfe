/* NERSC gauge-configuration files (4D SU(3), the "Gauge Connection" format):
 * a text header BEGIN_HEADER ... END_HEADER of KEY = VALUE lines, then the
 * links in x-fastest site order, mu = 0..3, as 3x3 or two-row matrices of
 * big- or little-endian IEEE floats.  CHECKSUM is the sum mod 2^32 of the
 * 32-bit words of the data (in the file's precision, native byte order).
 * Reading checks the checksum, the plaquette and the link trace: any
 * mismatch is SL_ERR_CORRUPT.  Writing is atomic (temp + rename). */
#include "../layers/lattice_internal.h"
#include "io_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int host_big_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 0;
}

static void swap_bytes(unsigned char *p, size_t n, size_t width)
{
    for (size_t i = 0; i < n; i += width)
        for (size_t a = 0, b = width - 1; a < b; ++a, --b) {
            unsigned char t = p[i + a];
            p[i + a] = p[i + b];
            p[i + b] = t;
        }
}

static uint32_t checksum32(const unsigned char *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        s += w;
    }
    return s;
}

static const char *header_value(const char *hdr, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = hdr; (p = strstr(p, key)) != NULL; p += kl) {
        if (p != hdr && p[-1] != '\n') continue;
        const char *q = p + kl;
        while (*q == ' ' || *q == '\t') ++q;
        if (*q != '=') continue;
        ++q;
        while (*q == ' ' || *q == '\t') ++q;
        return q;
    }
    return NULL;
}

sl_status sl_gauge_read_nersc(sl_ctx *ctx, const char *path, sl_gauge **out)
{
    const char *who = "sl_gauge_read_nersc";
    if (!ctx) return SL_ERR_NULL;
    if (!path || !out) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, path ? "out" : "path");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return sl__fail(ctx, SL_ERR_IO, "%s: cannot open '%s': %s", who, path, strerror(errno));
    char hdr[8192];
    size_t hl = 0;
    char line[512];
    sl_status st = SL_OK;
    unsigned char *raw = NULL;
    sl_gauge *U = NULL;
    int begun = 0, ended = 0;
    while (fgets(line, sizeof line, f)) {
        if (!begun) {
            if (strncmp(line, "BEGIN_HEADER", 12)) break;
            begun = 1;
            continue;
        }
        if (!strncmp(line, "END_HEADER", 10)) { ended = 1; break; }
        size_t l = strlen(line);
        if (hl + l + 1 >= sizeof hdr) break;
        memcpy(hdr + hl, line, l + 1);
        hl += l;
    }
    if (!begun || !ended) { st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s' has no NERSC header", who, path); goto done; }
    int64_t dims[4];
    for (int mu = 0; mu < 4; ++mu) {
        char key[16];
        snprintf(key, sizeof key, "DIMENSION_%d", mu + 1);
        const char *v = header_value(hdr, key);
        dims[mu] = v ? atoll(v) : 0;
        if (dims[mu] < 1) { st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': bad or missing %s", who, path, key); goto done; }
    }
    const char *dt = header_value(hdr, "DATATYPE"), *fp = header_value(hdr, "FLOATING_POINT");
    const char *cs = header_value(hdr, "CHECKSUM"), *pl = header_value(hdr, "PLAQUETTE"), *lt = header_value(hdr, "LINK_TRACE");
    if (!dt || !fp || !cs) { st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': DATATYPE, FLOATING_POINT or CHECKSUM missing", who, path); goto done; }
    int rows = !strncmp(dt, "4D_SU3_GAUGE_3x3", 16) ? 3 : !strncmp(dt, "4D_SU3_GAUGE", 12) ? 2 : 0;
    int width = !strncmp(fp, "IEEE64", 6) ? 8 : !strncmp(fp, "IEEE32", 6) ? 4 : 0;
    int big = strstr(fp, "BIG") != NULL;
    if (!rows || !width || (!big && !strstr(fp, "LITTLE"))) {
        st = sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: '%s': DATATYPE/FLOATING_POINT not supported", who, path);
        goto done;
    }
    if ((st = sl__gauge_new(ctx, who, 4, dims, 3, 1, &U))) goto done;
    size_t per = (size_t)rows * 3 * 2, n = (size_t)(U->volume * 4) * per, bytes = n * (size_t)width;
    raw = sl__alloc(ctx, bytes + 1, 0, who);
    if (!raw) { st = SL_ERR_NOMEM; goto done; }
    if (fread(raw, 1, bytes + 1, f) != bytes) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': data is not %zu bytes", who, path, bytes);
        goto done;
    }
    if (big != host_big_endian()) swap_bytes(raw, bytes, (size_t)width);
    uint32_t want = (uint32_t)strtoul(cs, NULL, 16), got = checksum32(raw, bytes);
    if (want != got) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': checksum %x does not match the header's %x", who, path, got, want);
        goto done;
    }
    for (int64_t h = 0; h < U->volume; ++h) {
        int64_t x[4] = {h % dims[0], (h / dims[0]) % dims[1], (h / (dims[0] * dims[1])) % dims[2], h / (dims[0] * dims[1] * dims[2])};
        int64_t s = sl__site_index(4, dims, x);
        for (int mu = 0; mu < 4; ++mu) {
            cplx *u = U->own + (s * 4 + mu) * 9;
            size_t base = ((size_t)h * 4 + (size_t)mu) * per;
            for (int k = 0; k < rows * 3; ++k) {
                double re, im;
                if (width == 8) { memcpy(&re, raw + 8 * (base + 2 * k), 8); memcpy(&im, raw + 8 * (base + 2 * k + 1), 8); }
                else { float a, b; memcpy(&a, raw + 4 * (base + 2 * k), 4); memcpy(&b, raw + 4 * (base + 2 * k + 1), 4); re = a; im = b; }
                u[k] = re + I * im;
            }
            if (rows == 2)   /* third row = (row0 x row1)^* */
                for (int j = 0; j < 3; ++j)
                    u[6 + j] = conj(u[(j + 1) % 3] * u[3 + (j + 2) % 3] - u[(j + 2) % 3] * u[3 + (j + 1) % 3]);
        }
    }
    for (int64_t l = 0; l < U->volume * 4; ++l) {
        if (sl__first_nonfinite((const double *)(U->own + 9 * l), 18) >= 0 || !(sl__mat_unitarity(3, U->own + 9 * l) < 1e-5)) {
            st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': link %lld is not in SU(3)", who, path, (long long)l);
            goto done;
        }
    }
    double tol = width == 8 ? 1e-10 : 1e-6, p, t;
    sl_gauge_plaquette(U, &p);
    sl_gauge_link_trace(U, &t);
    if (pl && fabs(p - atof(pl)) > tol * 10 + 1e-6 * (width == 4)) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': plaquette %.10f does not match the header's %s", who, path, p, pl);
        goto done;
    }
    if (lt && fabs(t - atof(lt)) > tol * 10 + 1e-6 * (width == 4)) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': link trace %.10f does not match the header's %s", who, path, t, lt);
        goto done;
    }
    *out = U;
    U = NULL;
done:
    fclose(f);
    sl__free(ctx, raw);
    sl_gauge_destroy(U);
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
    for (int64_t h = 0; h < U->volume; ++h) {
        int64_t x[4] = {h % d[0], (h / d[0]) % d[1], (h / (d[0] * d[1])) % d[2], h / (d[0] * d[1] * d[2])};
        int64_t s = sl__site_index(4, d, x);
        for (int mu = 0; mu < 4; ++mu) memcpy(raw + (((size_t)h * 4 + (size_t)mu) * 18) * 8, sl__gauge_link(U, s, mu, tmp), 144);
    }
    uint32_t cs = checksum32(raw, bytes);
    double p, t;
    sl_gauge_plaquette(U, &p);
    sl_gauge_link_trace(U, &t);
    if (!host_big_endian()) swap_bytes(raw, bytes, 8);
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
