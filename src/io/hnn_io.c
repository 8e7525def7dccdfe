/* Hamiltonian neural networks on disk: a container of kind HNN, version 1
 * (docs/file-format.md): the model options, the flat weights, the losses of
 * the last training. */
#include "container.h"
#include "io_internal.h"
#include "../discover/hnn_internal.h"

#define HNN_VERSION 1
#define T_N SL__TAG('N', ' ', ' ', ' ')
#define T_DPTH SL__TAG('D', 'P', 'T', 'H')
#define T_HIDN SL__TAG('H', 'I', 'D', 'N')
#define T_ACT SL__TAG('A', 'C', 'T', ' ')
#define T_SEP SL__TAG('S', 'E', 'P', ' ')
#define T_DISS SL__TAG('D', 'I', 'S', 'S')
#define T_SEED SL__TAG('S', 'E', 'E', 'D')
#define T_WGTS SL__TAG('W', 'G', 'T', 'S')
#define T_LOSS SL__TAG('L', 'O', 'S', 'S')

sl_status sl_hnn_save(const sl_hnn *h, const char *path)
{
    const char *who = "sl_hnn_save";
    if (!h) return sl__fail(NULL, SL_ERR_NULL, "%s: h is NULL", who);
    if (!path) return sl__fail(h->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    sl__cw w;
    sl__cw_begin(&w, h->ctx, who, SL__KIND_HNN, HNN_VERSION);
    sl__cw_i64_1(&w, T_N, h->o.n);
    sl__cw_i64_1(&w, T_DPTH, h->o.depth);
    sl__cw_i64_1(&w, T_HIDN, h->o.hidden);
    sl__cw_i64_1(&w, T_ACT, h->o.activation);
    sl__cw_i64_1(&w, T_SEP, h->o.separable);
    sl__cw_i64_1(&w, T_DISS, h->o.dissipative);
    sl__cw_u64(&w, T_SEED, &h->o.seed, 1);
    sl__cw_f64(&w, T_WGTS, h->w, (size_t)h->nweights);
    sl__cw_f64(&w, T_LOSS, h->losses, (size_t)h->nlosses);
    return sl__cw_commit(&w, path);
}

static sl_status read_model(const sl__crd *rd, sl_hnn **out)
{
    sl_ctx *ctx = rd->ctx;
    sl_hnn_opts o;
    sl_hnn_opts_init(&o);
    int64_t v[6];
    sl_status st;
    if ((st = sl__crd_i64_1(rd, T_N, 1, SL_HNN_MAX_N, &v[0])) ||
        (st = sl__crd_i64_1(rd, T_DPTH, 1, SL_MLP_MAX_LAYERS - 1, &v[1])) ||
        (st = sl__crd_i64_1(rd, T_HIDN, 1, (int64_t)1 << 16, &v[2])) ||
        (st = sl__crd_i64_1(rd, T_ACT, SL_ACT_TANH, SL_HNN_ACT_RELU, &v[3])) ||
        (st = sl__crd_i64_1(rd, T_SEP, 0, 1, &v[4])) || (st = sl__crd_i64_1(rd, T_DISS, 0, 1, &v[5])) ||
        (st = sl__crd_u64(rd, T_SEED, &o.seed, 1)))
        return st;
    o.n = v[0], o.depth = (int)v[1], o.hidden = v[2], o.activation = (int)v[3];
    o.separable = (int)v[4], o.dissipative = (int)v[5];
    if (o.activation > SL_ACT_SIN && o.activation != SL_HNN_ACT_RELU)
        return sl__crd_bad(rd, T_ACT, "activation %d (not an SL_ACT_* value or SL_HNN_ACT_RELU)", o.activation);
    int64_t nloss;
    if ((st = sl__crd_count(rd, T_LOSS, SL__REC_F64, &nloss))) return st;
    sl_hnn *h;
    if ((st = sl__hnn_new(ctx, rd->who, &o, &h))) return st;
    st = sl__crd_f64(rd, T_WGTS, h->w, h->nweights, 1);
    if (!st && nloss > 0) {
        h->losses = sl__alloc(ctx, sizeof(double) * (size_t)nloss, 0, rd->who);
        st = h->losses ? sl__crd_f64(rd, T_LOSS, h->losses, nloss, 0) : SL_ERR_NOMEM;
        h->nlosses = nloss;
    }
    if (st) {
        sl_hnn_destroy(h);
        return st;
    }
    h->version++;
    *out = h;
    return SL_OK;
}

sl_status sl_hnn_load(sl_ctx *ctx, const char *path, sl_hnn **out)
{
    const char *who = "sl_hnn_load";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    if (!path) return sl__fail(ctx, SL_ERR_NULL, "%s: path is NULL", who);
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    st = sl__hnn_parse(ctx, who, path, buf, len, out);
    sl__free(ctx, buf);
    return st;
}

sl_status sl__hnn_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data, size_t len, sl_hnn **out)
{
    sl__cfile f;
    sl_status st = sl__cfile_parse(ctx, who, name, data, len, SL__KIND_HNN, HNN_VERSION, &f);
    if (!st) st = read_model(&f.root, out);
    sl__cfile_close(&f);
    return st;
}
