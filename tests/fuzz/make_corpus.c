/* The fuzz targets' seed corpus, written by the library's own writers:
 *   make_corpus DIR  ->  DIR/{model,result,nersc,checkpoint,conserved,hnn,flux,cy}/...
 * (models of several shapes, one with all-zero weights so its payload is
 * deflated; symmetry results of several algebras; NERSC fields in the
 * written IEEE64BIG form and hand-converted IEEE64LITTLE / two-row IEEE32
 * forms; checkpoints of the three optimisers of fuzz_common.h; exact and
 * neural conserved-quantity results, HNNs, flux configurations, a
 * Calabi-Yau phi-model).  The
 * committed fixtures (tests/fixtures) are added by mk/fuzz.mk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

static char root[512];

static const char *out(const char *sub, const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", root, sub);
    mkdir(buf, 0777);
    snprintf(buf, sizeof buf, "%s/%s/%s", root, sub, name);
    return buf;
}

static int fail(sl_ctx *ctx, const char *what)
{
    fprintf(stderr, "make_corpus: %s: %s\n", what, sl_ctx_errmsg(ctx));
    return 1;
}

static int models(sl_ctx *ctx)
{
    struct { int nd, nc, nl, ch0, ch1, k0, k1, dil, sym, ori, head; } m[] = {
        {2, 2, 1, 2, 0, 2, 0, 0, 0, 1, SL_LCNN_HEAD_SITE}, {2, 3, 2, 3, 2, 2, 3, 1, 0, 2, SL_LCNN_HEAD_SITE},
        {4, 2, 1, 2, 0, 1, 0, 0, 1, 1, SL_LCNN_HEAD_POOLED}, {3, 2, 2, 1, 1, 2, 2, 2, 1, 2, SL_LCNN_HEAD_POOLED}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; ++i) {
        sl_lcnn_opts o;
        sl_lcnn_opts_init(&o);
        o.nd = m[i].nd; o.nc = m[i].nc; o.nlayers = m[i].nl;
        o.channels[0] = m[i].ch0; o.channels[1] = m[i].ch1; o.kernels[0] = m[i].k0; o.kernels[1] = m[i].k1;
        o.dilation = m[i].dil; o.symmetric = m[i].sym; o.orientations = m[i].ori; o.head = m[i].head; o.seed = i;
        sl_lcnn *net;
        if (sl_lcnn_create(ctx, &o, &net)) return fail(ctx, "model");
        char name[32];
        snprintf(name, sizeof name, "model-%zu.slm", i);
        sl_status st = sl_lcnn_save(net, out("model", name));
        if (!st && i == 0) {   /* zero weights: a deflated payload */
            int64_t n = sl_lcnn_nparams(net);
            double *z = calloc((size_t)n, sizeof *z);
            sl_lcnn_set_params(net, z);
            free(z);
            st = sl_lcnn_save(net, out("model", "model-zero.slm"));
        }
        sl_lcnn_destroy(net);
        if (st) return fail(ctx, "model save");
    }
    return 0;
}

static int results(sl_ctx *ctx)
{
    double eta[16] = {1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1};
    for (int i = 0; i < 3; ++i) {
        sl_symmetry_opts *o;
        sl_symmetry_opts_create(ctx, &o);
        if (i == 0) sl_symmetry_opts_oracle_norm(o, 3);
        if (i == 1) sl_symmetry_opts_oracle_quadratic(o, 4, eta);
        if (i == 2) sl_symmetry_opts_oracle_norm(o, 4);
        if (i == 1) sl_symmetry_opts_set_scan(o, 5, 7);
        sl_symmetry_result *r;
        sl_status st = sl_discover_symmetries(ctx, o, &r);
        sl_symmetry_opts_destroy(o);
        if (st) return fail(ctx, "discover");
        char name[32];
        snprintf(name, sizeof name, "result-%d.slr", i);
        st = sl_symmetry_result_save(r, out("result", name));
        sl_symmetry_result_destroy(r);
        if (st) return fail(ctx, "result save");
    }
    return 0;
}

static int nersc(sl_ctx *ctx)
{
    int64_t dims[4] = {2, 2, 2, 2};
    sl_gauge *U;
    if (sl_gauge_create(ctx, 4, dims, 3, &U)) return fail(ctx, "gauge");
    sl_gauge_randomize(U, 5);
    const char *path = out("nersc", "field-be64.nersc");
    sl_status st = sl_gauge_write_nersc(U, path);
    sl_gauge_destroy(U);
    if (st) return fail(ctx, "nersc write");
    FILE *f = fopen(path, "rb");
    static unsigned char b[1 << 16];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    b[n] = 0;
    char *end = strstr((char *)b, "END_HEADER\n") + 11;
    size_t hl = (size_t)(end - (char *)b), links = (n - hl) / 144;
    /* little-endian IEEE64 3x3, and two-row IEEE32 little-endian */
    static unsigned char le[1 << 16], f32[1 << 16];
    uint32_t cs64 = 0, cs32 = 0;
    for (size_t i = 0; i < n - hl; i += 8) {
        uint64_t v = 0;
        for (int k = 0; k < 8; ++k) v = v << 8 | (unsigned char)end[i + (size_t)k];
        memcpy(le + i, &v, 8);
        cs64 += (uint32_t)v + (uint32_t)(v >> 32);
    }
    for (size_t l = 0; l < links; ++l)
        for (int k = 0; k < 12; ++k) {
            double d;
            memcpy(&d, le + l * 144 + 8 * (size_t)k, 8);
            float x = (float)d;
            uint32_t w;
            memcpy(&w, &x, 4);
            memcpy(f32 + l * 48 + 4 * (size_t)k, &w, 4);
            cs32 += w;
        }
    char hdr[512];
    for (int v = 0; v < 2; ++v) {
        int k = snprintf(hdr, sizeof hdr, "BEGIN_HEADER\nDATATYPE = %s\nDIMENSION_1 = 2\nDIMENSION_2 = 2\nDIMENSION_3 = 2\n"
                         "DIMENSION_4 = 2\nCHECKSUM = %x\nFLOATING_POINT = %s\nEND_HEADER\n",
                         v ? "4D_SU3_GAUGE" : "4D_SU3_GAUGE_3x3", v ? cs32 : cs64, v ? "IEEE32LITTLE" : "IEEE64LITTLE");
        f = fopen(out("nersc", v ? "field-le32-2row.nersc" : "field-le64.nersc"), "wb");
        fwrite(hdr, 1, (size_t)k, f);
        fwrite(v ? f32 : le, 1, v ? links * 48 : n - hl, f);
        fclose(f);
    }
    return 0;
}

static int checkpoints(sl_ctx *ctx)
{
    for (int k = 0; k < 3; ++k) {
        fuzz_problem p;
        if (!fuzz_problem_init(&p, ctx, k)) return fail(ctx, "problem");
        for (int s = 0; s < 3; ++s) sl_optim_step(p.opt, NULL);
        char name[32];
        snprintf(name, sizeof name, "checkpoint-%d.ckpt", k);
        sl_status st = sl__checkpoint_save(ctx, "make_corpus", out("checkpoint", name), p.opt, 11, 1000 + (uint64_t)k);
        fuzz_problem_free(&p);
        if (st) return fail(ctx, "checkpoint");
    }
    return 0;
}

/* For each deflated container in DIR/sub, a copy with the payload stored
 * inflated (mutations of a zlib stream rarely reach the records). */
static int inflated_copies(sl_ctx *ctx, const char *sub, uint32_t kind, const char *const *names, int n)
{
    for (int i = 0; i < n; ++i) {
        char path[1024];
        snprintf(path, sizeof path, "%s", out(sub, names[i]));
        unsigned char *buf;
        size_t len;
        if (sl__read_file(ctx, "make_corpus", path, &buf, &len)) return fail(ctx, "read");
        sl__cfile f;
        int deflated = len >= SL__CONTAINER_HEADER && (buf[20] & 1);
        if (deflated && !sl__cfile_parse(ctx, "make_corpus", path, buf, len, kind, 1, &f)) {
            unsigned char h[SL__CONTAINER_HEADER];
            memcpy(h, buf, sizeof h);
            sl__le32_put(h + 20, 0);
            sl__le64_put(h + 24, f.root.len);
            sl__le64_put(h + 32, f.root.len);
            sl__le32_put(h + 40, sl__crc32(f.root.p, f.root.len));
            sl__le32_put(h + 44, sl__crc32(h, 44));
            char name[256];
            snprintf(name, sizeof name, "%s.raw", names[i]);
            FILE *o = fopen(out(sub, name), "wb");
            fwrite(h, 1, sizeof h, o);
            fwrite(f.root.p, 1, f.root.len, o);
            fclose(o);
            sl__cfile_close(&f);
        }
        sl__free(ctx, buf);
    }
    return 0;
}

/* Conserved-quantity results: exact mode on B2 (4 quantities) and a short
 * neural run on B1 (the network records). */
static int conserved(sl_ctx *ctx)
{
    for (int k = 0; k < 2; ++k) {
        sl_system *s;
        if (sl_system_create(ctx, k ? SL_SYSTEM_OSCILLATOR : SL_SYSTEM_ISOTROPIC, &s)) return fail(ctx, "system");
        int64_t d = sl_system_dim(s);
        double lo[4], hi[4];
        sl_system_box(s, lo, hi);
        sl_features *lib;
        sl_features_create(ctx, d, &lib);
        sl_features_add_monomials(lib, 1, 2);
        sl_conserved_opts o;
        sl_conserved_opts_init(&o);
        if (k) {
            o.mode = SL_CONSERVED_NEURAL;
            o.hidden = 8, o.steps = 50, o.samples = 200, o.batch = 64, o.n_traj = 2, o.t_end = 1, o.polish = 0;
        }
        sl_conserved_result *r = NULL;
        sl_status st = sl_discover_conserved(ctx, &o, sl_system_vector_field, s, d, lo, hi, 0, NULL, lib, &r);
        if (!st) st = sl_conserved_result_save(r, out("conserved", k ? "neural-b1.slc" : "exact-b2.slc"));
        sl_conserved_result_destroy(r);
        sl_features_destroy(lib);
        sl_system_destroy(s);
        if (st) return fail(ctx, "conserved");
    }
    return 0;
}

/* Hamiltonian networks: a general and a separable, dissipative one. */
static int hnns(sl_ctx *ctx)
{
    for (int k = 0; k < 2; ++k) {
        sl_hnn_opts o;
        sl_hnn_opts_init(&o);
        o.n = 1 + k, o.depth = 1 + k, o.hidden = 4, o.separable = k, o.dissipative = k;
        sl_hnn *h;
        if (sl_hnn_create(ctx, &o, &h)) return fail(ctx, "hnn");
        sl_status st = sl_hnn_save(h, out("hnn", k ? "hnn-sep-diss.slh" : "hnn.slh"));
        sl_hnn_destroy(h);
        if (st) return fail(ctx, "hnn save");
    }
    return 0;
}

/* Flux configurations: the closed start and one after a few worm sweeps. */
static int fluxes(sl_ctx *ctx)
{
    for (int k = 0; k < 2; ++k) {
        sl_flux *F;
        if (sl_flux_create(ctx, 4, 3 + k, 0.5, 1.0, 0.5, &F)) return fail(ctx, "flux");
        sl_status st = k ? sl_flux_sweep(F, 5, 4, 0, 7) : SL_OK;
        if (!st) st = sl_flux_save(F, out("flux", k ? "flux-swept.slf" : "flux-closed.slf"));
        sl_flux_destroy(F);
        if (st) return fail(ctx, "flux save");
    }
    return 0;
}

/* A phi-model on the Dwork quintic (untrained: the records are the same). */
static int cy_models(sl_ctx *ctx)
{
    sl_cy_variety *v;
    if (sl_cy_variety_quintic(ctx, 0.5, 0.0, &v)) return fail(ctx, "variety");
    sl_cy_model_opts o;
    sl_cy_model_opts_init(&o);
    o.depth = 1, o.width = 4;
    sl_cy_model *m;
    sl_status st = sl_cy_model_create(v, &o, &m);
    if (!st) st = sl_cy_model_save(m, out("cy", "phi-dwork.slcy"));
    sl_cy_model_destroy(m);
    sl_cy_variety_destroy(v);
    return st ? fail(ctx, "cy model") : 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus DIR\n");
        return 2;
    }
    snprintf(root, sizeof root, "%s", argv[1]);
    mkdir(root, 0777);
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    static const char *m[] = {"model-zero.slm"}, *r[] = {"result-0.slr", "result-1.slr", "result-2.slr"},
                      *c[] = {"checkpoint-0.ckpt", "checkpoint-1.ckpt", "checkpoint-2.ckpt"};
    int bad = models(ctx) || results(ctx) || nersc(ctx) || checkpoints(ctx) ||
              inflated_copies(ctx, "model", SL__KIND_LCNN, m, 1) || inflated_copies(ctx, "result", SL__KIND_SYMR, r, 3) ||
              inflated_copies(ctx, "checkpoint", SL__KIND_CKPT, c, 3) || conserved(ctx) || hnns(ctx) || fluxes(ctx) ||
              cy_models(ctx);
    sl_ctx_destroy(ctx);
    return bad;
}
