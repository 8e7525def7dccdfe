/* Files written by released versions still load: tests/fixtures/ holds an
 * L-CNN model (SLLCNN01) and a symmetry result (SLSYMR1) written by the 1.0
 * code before the container format replaced them, and the same two written
 * as containers (kind versions LCNN 1, SYMR 1); tests/fixtures/README.md
 * gives how they were made.  The model must predict bit for bit what a model
 * rebuilt from the same options and seed predicts; the result must hold
 * so(1,3) with its structure constants. */
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "symlearn.h"

static const char *fixture(const char *name)
{
    static char buf[512];
    const char *dir = getenv("SL_FIXTURES");
    snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "tests/fixtures", name);
    return buf;
}

static void check_model(sl_ctx *ctx, const char *file)
{
    sl_lcnn *net = NULL, *ref = NULL;
    CHECK(sl_lcnn_load(ctx, fixture(file), &net) == SL_OK, "load %s: %s", file, sl_ctx_errmsg(ctx));
    sl_lcnn_opts o;
    sl_lcnn_opts_init(&o);
    o.nd = 2; o.nc = 3; o.nlayers = 2; o.channels[0] = 3; o.channels[1] = 2; o.kernels[0] = 2; o.kernels[1] = 3;
    o.dilation = 1; o.orientations = 2; o.head = SL_LCNN_HEAD_SITE; o.seed = 20240611;
    CHECK(sl_lcnn_create(ctx, &o, &ref) == SL_OK, "rebuild: %s", sl_ctx_errmsg(ctx));
    if (!net || !ref) goto done;
    CHECK(sl_lcnn_nparams(net) == 490 && sl_lcnn_nparams(ref) == 490, "490 weights (%lld)", (long long)sl_lcnn_nparams(net));
    double w1[490], w2[490];
    sl_lcnn_get_params(net, w1);
    sl_lcnn_get_params(ref, w2);
    CHECK(!memcmp(w1, w2, sizeof w1), "weights bit-identical to the rebuilt model");
    int64_t dims[2] = {6, 6};
    sl_gauge *U;
    sl_gauge_create(ctx, 2, dims, 3, &U);
    sl_gauge_randomize(U, 99);
    double p1[36], p2[36];
    CHECK(sl_lcnn_predict(net, U, p1) == SL_OK, "predict with the loaded model: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_predict(ref, U, p2) == SL_OK, "predict with the rebuilt model");
    CHECK(!memcmp(p1, p2, sizeof p1), "predictions bit-identical (%.17g vs %.17g)", p1[0], p2[0]);
    int finite = 1;
    for (int i = 0; i < 36; ++i) finite &= isfinite(p1[i]) && p1[i] != 0;
    CHECK(finite, "predictions finite and non-zero");
    sl_gauge_destroy(U);
done:
    sl_lcnn_destroy(net);
    sl_lcnn_destroy(ref);
}

static void check_result(sl_ctx *ctx, const char *file)
{
    sl_symmetry_result *r = NULL;
    CHECK(sl_symmetry_result_load(ctx, fixture(file), &r) == SL_OK, "load %s: %s", file, sl_ctx_errmsg(ctx));
    if (!r) return;
    int d = sl_symmetry_result_dim(r), n = sl_symmetry_result_n(r);
    CHECK(d == 6 && n == 4, "so(1,3) on R^4: d = %d, n = %d", d, n);
    CHECK(strcmp(sl_symmetry_result_name(r), "so(1,3)") == 0, "name: %s", sl_symmetry_result_name(r));
    int a, b, c;
    sl_symmetry_result_signature(r, &a, &b, &c);
    CHECK(a == 3 && b == 3 && c == 0, "Killing signature (%d, %d, %d)", a, b, c);
    CHECK(sl_symmetry_result_rank(r) == 2 && sl_symmetry_result_centre_dim(r) == 0 && !sl_symmetry_result_is_compact(r),
          "rank 2, no centre, not compact");
    int nsv;
    const double *sv = sl_symmetry_result_singular_values(r, &nsv);
    CHECK(sv && nsv == 16, "16 singular values (%d)", nsv);
    const int *ng;
    const double *sl;
    CHECK(sl_symmetry_result_scan(r, &ng, &sl) == 3 && ng[0] == 5 && ng[1] == 6 && ng[2] == 7, "scan 5..7");
    CHECK(sl[0] < 1e-25 && sl[1] < 1e-25 && fabs(sl[2] - 17.09) < 0.01, "scan losses %g %g %g", sl[0], sl[1], sl[2]);
    if (d != 6 || n != 4) goto done;
    /* The structure constants the 1.0 code printed for this result: [T_a, T_b] = s T_c. */
    static const int br[12][4] = {{1, 2, 4, 1},  {1, 3, 5, 1},  {1, 4, 2, 1},  {1, 5, 3, 1},
                                  {2, 3, 6, 1},  {2, 4, 1, -1}, {2, 6, 3, 1},  {3, 5, 1, -1},
                                  {3, 6, 2, -1}, {4, 5, 6, -1}, {4, 6, 5, 1},  {5, 6, 4, -1}};
    double want[216] = {0};
    for (int k = 0; k < 12; ++k) {
        int x = br[k][0] - 1, y = br[k][1] - 1, z = br[k][2] - 1;
        want[(x * 6 + y) * 6 + z] = br[k][3];
        want[(y * 6 + x) * 6 + z] = -br[k][3];
    }
    const double *f = sl_symmetry_result_structure_constants(r), *T = sl_symmetry_result_generators(r);
    double err = 0;
    for (int k = 0; k < 216; ++k) err = fmax(err, fabs(f[k] - want[k]));
    CHECK(err < 1e-9, "structure constants as printed by 1.0 (max error %g)", err);
    /* and they close on the stored generators */
    double res = 0;
    for (int x = 0; x < 6; ++x)
        for (int y = 0; y < 6; ++y)
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 4; ++j) {
                    double com = 0, rhs = 0;
                    for (int k = 0; k < 4; ++k)
                        com += T[(x * 4 + i) * 4 + k] * T[(y * 4 + k) * 4 + j] - T[(y * 4 + i) * 4 + k] * T[(x * 4 + k) * 4 + j];
                    for (int z = 0; z < 6; ++z) rhs += f[(x * 6 + y) * 6 + z] * T[(z * 4 + i) * 4 + j];
                    res = fmax(res, fabs(com - rhs));
                }
    CHECK(res < 1e-12, "[T_a, T_b] = f_ab^c T_c on the stored generators (residual %g)", res);
    const double *e = sl_symmetry_result_killing_eigenvalues(r);
    CHECK(fabs(e[0] + 2) < 1e-9 && fabs(e[5] - 2) < 1e-9, "Killing eigenvalues -2 .. 2");
done:
    sl_symmetry_result_destroy(r);
}

/* The 1.0 writer stored results in the host's byte order: the fixture as a
 * big-endian host would have written it must load to the same result. */
static void swap(unsigned char *p, size_t width, size_t count)
{
    for (size_t i = 0; i < count; ++i, p += width)
        for (size_t a = 0, b = width - 1; a < b; ++a, --b) {
            unsigned char t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
}

static void check_big_endian(sl_ctx *ctx)
{
    FILE *f = fopen(fixture("symmetry-1.0.slr"), "rb");
    unsigned char file[8192], raw[8192], out[8192];
    size_t n = f ? fread(file, 1, sizeof file, f) : 0;
    if (f) fclose(f);
    uint64_t rl, cl;
    memcpy(&rl, file + 16, 8);
    memcpy(&cl, file + 24, 8);
    uLongf dl = sizeof raw;
    CHECK(n > 40 && uncompress(raw, &dl, file + 40, (uLong)cl) == Z_OK && dl == rl, "fixture inflates");
    int32_t ints[12];
    memcpy(ints, raw, sizeof ints);
    int d = ints[1], nn = ints[0] * ints[0], nsimple = ints[9], nsv = ints[10], nscan = ints[11];
    unsigned char *p = raw;
    swap(p, 4, 12), p += 48;
    swap(p, 8, 9), p += 72;
    p += 256;                                   /* the name is bytes */
    size_t nd = (size_t)(d * nn + d * d * d + d * d + d);
    swap(p, 8, nd), p += 8 * nd;
    swap(p, 4, (size_t)nsimple), p += 4 * (size_t)nsimple;
    swap(p, 8, (size_t)nsv), p += 8 * (size_t)nsv;
    swap(p, 4, (size_t)nscan), p += 4 * (size_t)nscan;
    swap(p, 8, (size_t)nscan), p += 8 * (size_t)nscan;
    CHECK((size_t)(p - raw) == rl, "walked the whole 1.0 content (%zu of %llu bytes)", (size_t)(p - raw), (unsigned long long)rl);
    uLongf ocl = sizeof out - 40;
    compress2(out + 40, &ocl, raw, (uLong)rl, 6);
    memcpy(out, file, 8);
    uint32_t hdr32[2] = {1, 0x01020304u}, crc = (uint32_t)crc32(0, raw, (uInt)rl);
    uint64_t hdr64[2] = {rl, ocl};
    memcpy(out + 8, hdr32, 8);
    memcpy(out + 16, hdr64, 16);
    memcpy(out + 32, &crc, 4);
    swap(out + 8, 4, 2);
    swap(out + 16, 8, 2);
    swap(out + 32, 4, 1);
    uint32_t hcrc = (uint32_t)crc32(0, out, 36);
    memcpy(out + 36, &hcrc, 4);
    swap(out + 36, 4, 1);
    const char *path = "build/test_io_fixtures.be.slr";
    f = fopen(path, "wb");
    fwrite(out, 1, 40 + ocl, f);
    fclose(f);
    sl_symmetry_result *a = NULL, *b = NULL;
    CHECK(sl_symmetry_result_load(ctx, path, &b) == SL_OK, "big-endian 1.0 result loads: %s", sl_ctx_errmsg(ctx));
    sl_symmetry_result_load(ctx, fixture("symmetry-1.0.slr"), &a);
    CHECK(a && b && sl_symmetry_result_dim(b) == 6 && !strcmp(sl_symmetry_result_name(b), "so(1,3)") &&
              !memcmp(sl_symmetry_result_generators(a), sl_symmetry_result_generators(b), 6 * 16 * sizeof(double)) &&
              !memcmp(sl_symmetry_result_structure_constants(a), sl_symmetry_result_structure_constants(b), 216 * sizeof(double)),
          "big-endian and little-endian 1.0 files give the same result");
    sl_symmetry_result_destroy(a);
    sl_symmetry_result_destroy(b);
    remove(path);
}

int main(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    check_model(ctx, "lcnn-1.0.slm");
    check_result(ctx, "symmetry-1.0.slr");
    check_model(ctx, "lcnn-container-1.slm");
    check_result(ctx, "symmetry-container-1.slr");
    check_big_endian(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
