/* Symmetry results: save/load round trip (zlib, checksummed, atomic), corrupt
 * and truncated files, CSV/JSON export, PPM heat maps, print, bad input. */
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

static sl_ctx *ctx;

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long s = ftell(f);
    fclose(f);
    return s;
}

static char *slurp(const char *path, long *len)
{
    *len = file_size(path);
    if (*len < 0) return NULL;
    char *b = malloc((size_t)*len + 1);
    FILE *f = fopen(path, "rb");
    if (fread(b, 1, (size_t)*len, f) != (size_t)*len) *len = -1;
    fclose(f);
    b[*len > 0 ? *len : 0] = 0;
    return b;
}

static void spit(const char *path, const char *b, long len)
{
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, (size_t)len, f);
    fclose(f);
}

static int same_array(const double *a, const double *b, size_t n)
{
    return (a == NULL && b == NULL) || (a && b && memcmp(a, b, n * sizeof(double)) == 0);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    char dir[] = "/tmp/sl_symio_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char path[256], bad[256], csv[256], json[256], ppm[256], ppm2[256];
    snprintf(path, sizeof path, "%s/lorentz.slr", dir);
    snprintf(bad, sizeof bad, "%s/bad.slr", dir);
    snprintf(csv, sizeof csv, "%s/lorentz.csv", dir);
    snprintf(json, sizeof json, "%s/lorentz.json", dir);
    snprintf(ppm, sizeof ppm, "%s/gens.ppm", dir);
    snprintf(ppm2, sizeof ppm2, "%s/f.ppm", dir);

    double eta[16] = {1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1};
    sl_symmetry_opts *o;
    sl_symmetry_opts_create(ctx, &o);
    sl_symmetry_opts_oracle_quadratic(o, 4, eta);
    sl_symmetry_opts_set_scan(o, 5, 7);
    sl_symmetry_result *r = NULL, *q = NULL;
    CHECK(sl_discover_symmetries(ctx, o, &r) == SL_OK, "discover: %s", sl_ctx_errmsg(ctx));

    /* round trip */
    CHECK(sl_symmetry_result_save(r, path) == SL_OK, "save: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_symmetry_result_load(ctx, path, &q) == SL_OK, "load: %s", sl_ctx_errmsg(ctx));
    int d = sl_symmetry_result_dim(r);
    CHECK(q && sl_symmetry_result_dim(q) == d && sl_symmetry_result_n(q) == 4, "dims survive");
    if (q) {
        CHECK(same_array(sl_symmetry_result_generators(r), sl_symmetry_result_generators(q), (size_t)d * 16), "generators bitwise");
        CHECK(same_array(sl_symmetry_result_structure_constants(r), sl_symmetry_result_structure_constants(q), (size_t)d * d * d),
              "structure constants bitwise");
        CHECK(same_array(sl_symmetry_result_killing_form(r), sl_symmetry_result_killing_form(q), (size_t)d * d), "Killing form");
        int a, b, c, n1, n2;
        sl_symmetry_result_signature(q, &a, &b, &c);
        CHECK(a == 3 && b == 3 && c == 0, "signature survives");
        CHECK(strcmp(sl_symmetry_result_name(q), "so(1,3)") == 0, "name survives: %s", sl_symmetry_result_name(q));
        const double *s1 = sl_symmetry_result_singular_values(r, &n1), *s2 = sl_symmetry_result_singular_values(q, &n2);
        CHECK(n1 == n2 && same_array(s1, s2, (size_t)n1), "singular values survive");
        CHECK(sl_symmetry_result_scan(q, NULL, NULL) == 3, "scan survives");
        CHECK(sl_symmetry_result_singular_gap(q) == sl_symmetry_result_singular_gap(r), "gap survives");
    }
    sl_symmetry_result_destroy(q);
    q = NULL;

    /* corrupt, truncated, foreign: SL_ERR_CORRUPT, *out NULL */
    long len;
    char *img = slurp(path, &len);
    CHECK(len > 40, "file size %ld", len);
    for (int k = 0; k < 4; ++k) {
        char *copy = malloc((size_t)len);
        memcpy(copy, img, (size_t)len);
        long l = len;
        if (k == 0) copy[len / 2] ^= 0x10;      /* inside the compressed content */
        if (k == 1) l = len - 7;                /* truncated */
        if (k == 2) copy[20] ^= 1;              /* header */
        if (k == 3) memcpy(copy, "NOTMINE!", 8); /* foreign */
        spit(bad, copy, l);
        q = (sl_symmetry_result *)1;
        CHECK(sl_symmetry_result_load(ctx, bad, &q) == SL_ERR_CORRUPT && q == NULL, "corruption %d detected: %s", k,
              sl_ctx_errmsg(ctx));
        free(copy);
    }
    CHECK(sl_symmetry_result_load(ctx, "/nonexistent/x.slr", &q) == SL_ERR_IO, "missing file");

    /* a failed save leaves the existing file alone; no temporary left behind */
    spit(bad, "keep", 4);
    char nodir[300];
    snprintf(nodir, sizeof nodir, "%s/no/such/dir.slr", dir);
    CHECK(sl_symmetry_result_save(r, nodir) == SL_ERR_IO, "save into a missing directory");
    CHECK(file_size(bad) == 4, "other file untouched");
    CHECK(sl_symmetry_result_save(r, path) == SL_OK && file_size(path) == len, "overwrite by rename");

    /* exports */
    CHECK(sl_symmetry_result_export_csv(r, csv) == SL_OK, "csv: %s", sl_ctx_errmsg(ctx));
    char *t = slurp(csv, &len);
    CHECK(t && strncmp(t, "kind,a,b,c,value\ngenerator,0,0,0,", 33) == 0, "csv header");
    CHECK(t && strstr(t, "structure_constant,") && strstr(t, "killing,"), "csv sections");
    free(t);
    CHECK(sl_symmetry_result_export_json(r, json) == SL_OK, "json: %s", sl_ctx_errmsg(ctx));
    t = slurp(json, &len);
    CHECK(t && strstr(t, "\"name\": \"so(1,3)\"") && strstr(t, "\"killing_signature\": [3, 3, 0]"), "json content");
    free(t);
    CHECK(sl_symmetry_result_write_ppm(r, SL_SYM_PICTURE_GENERATORS, ppm) == SL_OK, "ppm: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_symmetry_result_write_ppm(r, SL_SYM_PICTURE_STRUCTURE, ppm2) == SL_OK, "ppm f");
    t = slurp(ppm, &len);
    CHECK(t && strncmp(t, "P6\n", 3) == 0 && len > 1000, "ppm header, %ld bytes", len);
    free(t);
    CHECK(sl_symmetry_result_write_ppm(r, 5, ppm) == SL_ERR_ARG, "ppm which = 5");
    FILE *devnull = fopen("/dev/null", "w");
    CHECK(sl_symmetry_result_print(r, devnull) == SL_OK, "print");
    CHECK(sl_symmetry_result_print(r, NULL) == SL_ERR_NULL, "print NULL file");
    fclose(devnull);

    /* bad input */
    CHECK(sl_symmetry_result_save(NULL, path) == SL_ERR_NULL, "save NULL");
    CHECK(sl_symmetry_result_save(r, NULL) == SL_ERR_NULL, "save path NULL");
    CHECK(sl_symmetry_result_load(ctx, NULL, &q) == SL_ERR_NULL, "load path NULL");
    CHECK(sl_symmetry_result_load(ctx, path, NULL) == SL_ERR_NULL, "load out NULL");
    CHECK(sl_symmetry_result_export_csv(NULL, csv) == SL_ERR_NULL, "csv NULL");
    CHECK(sl_symmetry_result_export_json(r, NULL) == SL_ERR_NULL, "json NULL path");

    free(img);
    sl_symmetry_result_destroy(r);
    sl_symmetry_opts_destroy(o);
    const char *files[] = {path, bad, csv, json, ppm, ppm2};
    for (int i = 0; i < 6; ++i) remove(files[i]);
    CHECK(rmdir(dir) == 0, "no temporary files left behind");
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
