/* Calabi-Yau models (phi and FS-correction) on disk: a container of kind CYMD, version 1
 * (docs/file-format.md, docs/calabi-yau.md): the variety's polynomial, the
 * model options, the flat weights and the training history; scans over
 * moduli as CSV and JSON. */
#include "container.h"
#include "io_internal.h"
#include "../cy/scan_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#define CYMD_VERSION 1
#define T_DIMS SL__TAG('D', 'I', 'M', 'S')
#define T_EXPS SL__TAG('E', 'X', 'P', 'S')
#define T_COEF SL__TAG('C', 'O', 'E', 'F')
#define T_DEPT SL__TAG('D', 'E', 'P', 'T')
#define T_WIDT SL__TAG('W', 'I', 'D', 'T')
#define T_ACT SL__TAG('A', 'C', 'T', ' ')
#define T_KAHT SL__TAG('K', 'A', 'H', 'T')
#define T_SEED SL__TAG('S', 'E', 'E', 'D')
#define T_KIND SL__TAG('K', 'I', 'N', 'D')   /* optional: absent = the phi-model (files before 1.1) */
#define T_BASK SL__TAG('B', 'A', 'S', 'K')   /* optional: absent = Fubini-Study base */
#define T_BASH SL__TAG('B', 'A', 'S', 'H')
#define T_WGTS SL__TAG('W', 'G', 'T', 'S')
#define T_HLOS SL__TAG('H', 'L', 'O', 'S')
#define T_HSIG SL__TAG('H', 'S', 'I', 'G')

sl_status sl_cy_model_save(const sl_cy_model *m, const char *path)
{
    const char *who = "sl_cy_model_save";
    if (!m) return SL_ERR_NULL;
    sl_ctx *ctx = m->ctx;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    const sl_cy_variety *v = m->v;
    const int64_t ne = v->nterms * v->namb;
    int64_t *e = sl__alloc(ctx, sizeof(int64_t) * (size_t)ne, 0, who);
    if (!e) return SL_ERR_NOMEM;
    for (int64_t i = 0; i < ne; i++) e[i] = v->exps[i];
    int64_t dims = v->dims[0];
    sl__cw w;
    sl__cw_begin(&w, ctx, who, SL__KIND_CYMD, CYMD_VERSION);
    sl__cw_i64(&w, T_DIMS, &dims, 1);
    sl__cw_i64(&w, T_EXPS, e, (size_t)ne);
    sl__cw_c128(&w, T_COEF, (const double *)v->coef, (size_t)v->nterms);
    sl__cw_i64_1(&w, T_DEPT, m->opts.depth);
    sl__cw_i64_1(&w, T_WIDT, m->opts.width);
    sl__cw_i64_1(&w, T_ACT, m->opts.activation);
    sl__cw_f64_1(&w, T_KAHT, m->opts.t);
    sl__cw_u64(&w, T_SEED, &m->opts.seed, 1);
    if (m->opts.kind != SL_CY_KIND_PHI) sl__cw_i64_1(&w, T_KIND, m->opts.kind);   /* phi-model files unchanged */
    if (m->base) {   /* the Donaldson base: k and H */
        const int nk = sl_cy_algebraic_sections(m->base);
        double *h = sl__alloc(ctx, sizeof(double) * 2 * (size_t)nk * (size_t)nk, 0, who);
        if (!h) {
            sl__cw_discard(&w);
            sl__free(ctx, e);
            return SL_ERR_NOMEM;
        }
        sl_cy_algebraic_h(m->base, h);
        sl__cw_i64_1(&w, T_BASK, m->opts.base_k);
        sl__cw_c128(&w, T_BASH, h, (size_t)nk * (size_t)nk);
        sl__free(ctx, h);
    }
    sl__cw_f64(&w, T_WGTS, m->wts, (size_t)m->net.nweights);
    sl__cw_f64(&w, T_HLOS, m->hist_loss, (size_t)m->nepochs);
    sl__cw_f64(&w, T_HSIG, m->hist_sigma, (size_t)m->nepochs);
    sl__free(ctx, e);
    return sl__cw_commit(&w, path);
}

static sl_status read_model(sl_ctx *ctx, const sl__crd *rd, sl_cy_model **out)
{
    const char *who = rd->who;
    int64_t dims, ne, nc;
    sl_status st;
    if ((st = sl__crd_i64_1(rd, T_DIMS, 1, SL_CY_MAX_AMB - 1, &dims)) || (st = sl__crd_count(rd, T_EXPS, SL__REC_I64, &ne)) ||
        (st = sl__crd_count(rd, T_COEF, SL__REC_C128, &nc)))
        return st;
    const int64_t na = dims + 1;
    if (nc < 1 || nc > 1000000 || ne != nc * na)
        return sl__crd_bad(rd, T_EXPS, "%lld exponents for %lld monomials of %lld coordinates", (long long)ne, (long long)nc,
                           (long long)na);
    int64_t *e64 = sl__alloc(ctx, sizeof(int64_t) * (size_t)ne, 0, who);
    int *e = sl__alloc(ctx, sizeof(int) * (size_t)ne, 0, who);
    double *c = sl__alloc(ctx, sizeof(double) * (size_t)(2 * nc), 0, who);
    sl_cy_variety *v = NULL;
    sl_cy_model *m = NULL;
    if (!e64 || !e || !c) {
        st = SL_ERR_NOMEM;
        goto fail;
    }
    if ((st = sl__crd_i64(rd, T_EXPS, e64, ne)) || (st = sl__crd_c128(rd, T_COEF, c, nc, 1))) goto fail;
    for (int64_t i = 0; i < ne; i++) {
        if (e64[i] < 0 || e64[i] > 64) {
            st = sl__crd_bad(rd, T_EXPS, "exponent [%lld] = %lld", (long long)i, (long long)e64[i]);
            goto fail;
        }
        e[i] = (int)e64[i];
    }
    int di = (int)dims;
    st = sl_cy_variety_create(ctx, 1, &di, 1, &nc, e, c, &v);
    if (st) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: the stored polynomial: %s", who, sl_ctx_errmsg(ctx));
        goto fail;
    }
    sl_cy_model_opts o;
    sl_cy_model_opts_init(&o);
    int64_t depth, width, act;
    if ((st = sl__crd_i64_1(rd, T_DEPT, 1, SL_CY_MAX_LAYERS - 2, &depth)) || (st = sl__crd_i64_1(rd, T_WIDT, 1, 4096, &width)) ||
        (st = sl__crd_i64_1(rd, T_ACT, 0, 100, &act)) || (st = sl__crd_f64_1(rd, T_KAHT, 1, &o.t)) ||
        (st = sl__crd_u64(rd, T_SEED, &o.seed, 1)))
        goto fail;
    o.depth = (int)depth, o.width = width, o.activation = (int)act;
    sl__rec kr;
    if (sl__crd_find(rd, T_KIND, &kr)) {
        int64_t kind;
        if ((st = sl__crd_i64_1(rd, T_KIND, SL_CY_KIND_PHI, SL_CY_KIND_ADD, &kind))) goto fail;
        o.kind = (int)kind;
    }
    int64_t bk = 0;
    if (sl__crd_find(rd, T_BASK, &kr) && (st = sl__crd_i64_1(rd, T_BASK, 1, 8, &bk))) goto fail;
    o.base_k = (int)bk;
    st = sl__cy_model_new(ctx, v, &o, 0, who, &m);
    if (st) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: the stored options: %s", who, sl_ctx_errmsg(ctx));
        goto fail;
    }
    m->own_v = v;
    v = NULL;
    if (bk > 0) {
        int64_t nh;
        if ((st = sl__crd_count(rd, T_BASH, SL__REC_C128, &nh))) goto fail;
        if (nh < 1 || nh > 1024 * 1024) {
            st = sl__crd_bad(rd, T_BASH, "%lld entries", (long long)nh);
            goto fail;
        }
        double *h = sl__alloc(ctx, sizeof(double) * 2 * (size_t)nh, 0, who);
        if (!h) {
            st = SL_ERR_NOMEM;
            goto fail;
        }
        if (!(st = sl__crd_c128(rd, T_BASH, h, nh, 1)) && sl__cy_algebraic_with_h(m->own_v, (int)bk, h, nh, &m->base))
            st = sl__crd_bad(rd, T_BASH, "%s", sl_ctx_errmsg(ctx));
        sl__free(ctx, h);
        if (st) goto fail;
    }
    if ((st = sl__crd_f64(rd, T_WGTS, m->wts, m->net.nweights, 1))) goto fail;
    int64_t nep;
    if ((st = sl__crd_count(rd, T_HLOS, SL__REC_F64, &nep))) goto fail;
    if (nep > 1000000000) {
        st = sl__crd_bad(rd, T_HLOS, "%lld epochs", (long long)nep);
        goto fail;
    }
    if (nep > 0) {
        m->hist_loss = sl__alloc(ctx, sizeof(double) * (size_t)nep, 0, who);
        m->hist_sigma = sl__alloc(ctx, sizeof(double) * (size_t)nep, 0, who);
        if (!m->hist_loss || !m->hist_sigma) {
            st = SL_ERR_NOMEM;
            goto fail;
        }
        if ((st = sl__crd_f64(rd, T_HLOS, m->hist_loss, nep, 0)) || (st = sl__crd_f64(rd, T_HSIG, m->hist_sigma, nep, 0)))
            goto fail;
    }
    m->nepochs = m->cap = (int)nep;
    sl__free(ctx, e64), sl__free(ctx, e), sl__free(ctx, c);
    *out = m;
    return SL_OK;
fail:
    sl__free(ctx, e64), sl__free(ctx, e), sl__free(ctx, c);
    sl_cy_variety_destroy(v);
    sl_cy_model_destroy(m);
    return st;
}

sl_status sl_cy_model_load(sl_ctx *ctx, const char *path, sl_cy_model **out)
{
    const char *who = "sl_cy_model_load";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    st = sl__cy_model_parse(ctx, who, path, buf, len, out);
    sl__free(ctx, buf);
    return st;
}

sl_status sl__cy_model_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data, size_t len,
                             sl_cy_model **out)
{
    sl__cfile f;
    sl_status st = sl__cfile_parse(ctx, who, name, data, len, SL__KIND_CYMD, CYMD_VERSION, &f);
    if (!st) st = read_model(ctx, &f.root, out);
    sl__cfile_close(&f);
    return st;
}

/* ---- scans as text: one row / object per psi ------------------------------------ */
typedef struct {
    char *p;
    size_t len, cap;
    int bad;
} tbuf;

static void tput(sl_ctx *ctx, tbuf *b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void tput(sl_ctx *ctx, tbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (b->bad || k <= 0) return;
    size_t n = (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        char *q = sl__alloc(ctx, cap, 0, "sl_cy_scan_export");
        if (!q) {
            b->bad = 1;
            return;
        }
        if (b->len) memcpy(q, b->p, b->len);
        sl__free(ctx, b->p);
        b->p = q, b->cap = cap;
    }
    memcpy(b->p + b->len, tmp, n);
    b->len += n;
}

static void tnum(sl_ctx *ctx, tbuf *b, double v, int json)
{
    if (isfinite(v)) tput(ctx, b, "%.17g", v);
    else tput(ctx, b, "%s", json ? "null" : "nan");
}

static sl_status scan_export(const sl_cy_scan *s, const char *path, int json, const char *who)
{
    if (!s) return SL_ERR_NULL;
    sl_ctx *ctx = s->ctx;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    static const char *const col[] = {"psi_re", "psi_im", "sigma_fs", "sigma", "kappa", "loss"};
    tbuf b = {0};
    if (json) tput(ctx, &b, "[\n");
    else tput(ctx, &b, "psi_re,psi_im,sigma_fs,sigma,kappa,loss,epochs\n");
    for (int i = 0; i < s->n; i++) {
        const double x[6] = {s->psi[2 * i], s->psi[2 * i + 1], s->sigma_fs[i], s->sigma[i], s->kappa[i], s->loss[i]};
        if (json) tput(ctx, &b, "  {");
        for (int c = 0; c < 6; c++) {
            if (json) tput(ctx, &b, "%s\"%s\": ", c ? ", " : "", col[c]);
            tnum(ctx, &b, x[c], json);
            if (!json) tput(ctx, &b, ",");
        }
        if (json) tput(ctx, &b, ", \"epochs\": %d}%s\n", s->epochs[i], i + 1 < s->n ? "," : "");
        else tput(ctx, &b, "%d\n", s->epochs[i]);
    }
    if (json) tput(ctx, &b, "]\n");
    sl_status st;
    if (b.bad) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    else {
        const void *parts[1] = {b.p};
        st = sl__write_atomic(ctx, who, path, parts, &b.len, 1);
    }
    sl__free(ctx, b.p);
    return st;
}

sl_status sl_cy_scan_export_csv(const sl_cy_scan *s, const char *path)
{
    return scan_export(s, path, 0, "sl_cy_scan_export_csv");
}

sl_status sl_cy_scan_export_json(const sl_cy_scan *s, const char *path)
{
    return scan_export(s, path, 1, "sl_cy_scan_export_json");
}
