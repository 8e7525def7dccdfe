/* NERSC gauge files: write/read round trip (bit-identical links), a wrong
 * checksum, a truncated file and a wrong plaquette are SL_ERR_CORRUPT, a
 * two-row file reconstructs the third row, a failed write leaves nothing. */
#include "lattice_util.h"

#include <stdio.h>

static char *slurp(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)*n + 1);
    *n = (long)fread(b, 1, (size_t)*n, f);
    fclose(f);
    return b;
}
static void spit(const char *path, const char *b, long n)
{
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, (size_t)n, f);
    fclose(f);
}

int main(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    int64_t dims[4] = {4, 2, 2, 3};
    sl_gauge *U, *R = NULL;
    sl_gauge_create(ctx, 4, dims, 3, &U);
    sl_gauge_randomize(U, 9);
    sl_gauge_heatbath(U, 6.0, 2, 1, 1);
    const char *path = "build/test.nersc";
    CHECK(sl_gauge_write_nersc(U, path) == SL_OK, "write: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_gauge_read_nersc(ctx, path, &R) == SL_OK, "read: %s", sl_ctx_errmsg(ctx));
    size_t nb = sizeof(double) * 2 * 48 * 4 * 9;
    CHECK(R && !memcmp(sl_gauge_data(U), sl_gauge_data(R), nb), "round trip is bit-identical");
    int64_t rd[4];
    sl_gauge_dims(R, rd);
    CHECK(rd[0] == 4 && rd[3] == 3, "dims");
    sl_gauge_destroy(R);
    long n;
    char *b = slurp(path, &n), *c = malloc((size_t)n);
    /* flip one data byte: checksum */
    memcpy(c, b, (size_t)n);
    c[n - 5] ^= 1;
    spit(path, c, n);
    CHECK(sl_gauge_read_nersc(ctx, path, &R) == SL_ERR_CORRUPT && strstr(sl_ctx_errmsg(ctx), "checksum"), "bad checksum: %s", sl_ctx_errmsg(ctx));
    /* truncated */
    spit(path, b, n - 8);
    CHECK(sl_gauge_read_nersc(ctx, path, &R) == SL_ERR_CORRUPT, "truncated: %s", sl_ctx_errmsg(ctx));
    /* wrong plaquette in the header */
    memcpy(c, b, (size_t)n);
    char *pq = strstr(c, "PLAQUETTE = ") + 12;
    *pq = *pq == '0' ? '1' : '0';
    spit(path, c, n);
    CHECK(sl_gauge_read_nersc(ctx, path, &R) == SL_ERR_CORRUPT && strstr(sl_ctx_errmsg(ctx), "plaquette"), "bad plaquette: %s", sl_ctx_errmsg(ctx));
    /* two-row little-endian file built by hand from the 3x3 one */
    {
        char *h = strstr(b, "END_HEADER\n") + 11;
        long nl = 48 * 4;
        double *d3 = (double *)h;
        double *d2 = malloc(sizeof(double) * (size_t)(nl * 12));
        for (long l = 0; l < nl; ++l)
            for (int k = 0; k < 12; ++k) {
                uint64_t w;
                memcpy(&w, d3 + l * 18 + k, 8);
                w = __builtin_bswap64(w);
                memcpy(d2 + l * 12 + k, &w, 8);
            }
        uint32_t cs = 0;
        for (long i = 0; i < nl * 24; ++i) { uint32_t w; memcpy(&w, (char *)d2 + 4 * i, 4); cs += w; }
        char hdr[1024];
        snprintf(hdr, sizeof hdr, "BEGIN_HEADER\nDATATYPE = 4D_SU3_GAUGE\nDIMENSION_1 = 4\nDIMENSION_2 = 2\n"
                 "DIMENSION_3 = 2\nDIMENSION_4 = 3\nCHECKSUM = %x\nFLOATING_POINT = IEEE64LITTLE\nEND_HEADER\n", cs);
        FILE *f = fopen(path, "wb");
        fwrite(hdr, 1, strlen(hdr), f);
        fwrite(d2, sizeof(double), (size_t)(nl * 12), f);
        fclose(f);
        free(d2);
        CHECK(sl_gauge_read_nersc(ctx, path, &R) == SL_OK, "two-row file: %s", sl_ctx_errmsg(ctx));
        double err = 0;
        for (size_t i = 0; R && i < nb / 8; ++i) err = fmax(err, fabs(sl_gauge_data(U)[i] - sl_gauge_data(R)[i]));
        CHECK(err < 1e-13, "two-row reconstruction error %g", err);
        sl_gauge_destroy(R);
    }
    CHECK(sl_gauge_read_nersc(ctx, "build/no/such.nersc", &R) == SL_ERR_IO, "missing file");
    CHECK(sl_gauge_write_nersc(U, "build/no/such/dir/x.nersc") == SL_ERR_IO, "unwritable: %s", sl_ctx_errmsg(ctx));
    sl_gauge *S;
    int64_t d2[2] = {4, 4};
    sl_gauge_create(ctx, 2, d2, 2, &S);
    CHECK(sl_gauge_write_nersc(S, path) == SL_ERR_ARG, "2D SU(2) is not a NERSC field");
    sl_gauge_destroy(S);
    remove(path);
    free(b), free(c);
    sl_gauge_destroy(U);
    sl_ctx_destroy(ctx);
    return check_done();
}
