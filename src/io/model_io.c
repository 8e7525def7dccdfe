/* L-CNN model files: a container of kind LCNN (docs/file-format.md), version
 * 1: the options as one record each, the weight count and the weights.
 * Models written by 1.0.0 (SLLCNN01) are read by legacy_io.c. */
#include "../layers/lcnn_internal.h"
#include "container.h"

#include <limits.h>

#define LCNN_VERSION 1

#define T_ND SL__TAG('N', 'D', ' ', ' ')
#define T_NC SL__TAG('N', 'C', ' ', ' ')
#define T_NLAY SL__TAG('N', 'L', 'A', 'Y')
#define T_CHAN SL__TAG('C', 'H', 'A', 'N')
#define T_KERN SL__TAG('K', 'E', 'R', 'N')
#define T_DIL SL__TAG('D', 'I', 'L', ' ')
#define T_SYM SL__TAG('S', 'Y', 'M', ' ')
#define T_ORI SL__TAG('O', 'R', 'I', ' ')
#define T_HEAD SL__TAG('H', 'E', 'A', 'D')
#define T_SEED SL__TAG('S', 'E', 'E', 'D')
#define T_NPAR SL__TAG('N', 'P', 'A', 'R')
#define T_WGTS SL__TAG('W', 'G', 'T', 'S')

sl_status sl_lcnn_save(const sl_lcnn *net, const char *path)
{
    const char *who = "sl_lcnn_save";
    if (!net) return SL_ERR_NULL;
    if (!path) return sl__fail(net->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    const sl_lcnn_opts *o = &net->o;
    int64_t ch[SL_LCNN_MAX_LAYERS], k[SL_LCNN_MAX_LAYERS];
    for (int i = 0; i < o->nlayers; ++i) {
        ch[i] = o->channels[i];
        k[i] = o->kernels[i];
    }
    sl__cw w;
    sl__cw_begin(&w, net->ctx, who, SL__KIND_LCNN, LCNN_VERSION);
    sl__cw_i64_1(&w, T_ND, o->nd);
    sl__cw_i64_1(&w, T_NC, o->nc);
    sl__cw_i64_1(&w, T_NLAY, o->nlayers);
    sl__cw_i64(&w, T_CHAN, ch, (size_t)o->nlayers);
    sl__cw_i64(&w, T_KERN, k, (size_t)o->nlayers);
    sl__cw_i64_1(&w, T_DIL, o->dilation);
    sl__cw_i64_1(&w, T_SYM, o->symmetric);
    sl__cw_i64_1(&w, T_ORI, o->orientations);
    sl__cw_i64_1(&w, T_HEAD, o->head);
    sl__cw_u64(&w, T_SEED, &o->seed, 1);
    sl__cw_i64_1(&w, T_NPAR, net->nparams);
    sl__cw_f64(&w, T_WGTS, net->w, (size_t)net->nparams);
    return sl__cw_commit(&w, path);
}

/* The options, each checked against its range before it becomes an int. */
static sl_status read_opts(const sl__crd *r, sl_lcnn_opts *o)
{
    sl_status st;
    if ((st = sl__crd_int(r, T_ND, 2, 4, &o->nd)) || (st = sl__crd_int(r, T_NC, 2, SL_NC_MAX, &o->nc)) ||
        (st = sl__crd_int(r, T_NLAY, 1, SL_LCNN_MAX_LAYERS, &o->nlayers)) ||
        (st = sl__crd_int(r, T_DIL, 0, INT_MAX, &o->dilation)) || (st = sl__crd_int(r, T_SYM, 0, 1, &o->symmetric)) ||
        (st = sl__crd_int(r, T_ORI, 1, 2, &o->orientations)) ||
        (st = sl__crd_int(r, T_HEAD, SL_LCNN_HEAD_SITE, SL_LCNN_HEAD_POOLED, &o->head)) ||
        (st = sl__crd_u64(r, T_SEED, &o->seed, 1)))
        return st;
    int64_t ch[SL_LCNN_MAX_LAYERS], k[SL_LCNN_MAX_LAYERS];
    if ((st = sl__crd_i64(r, T_CHAN, ch, o->nlayers)) || (st = sl__crd_i64(r, T_KERN, k, o->nlayers))) return st;
    for (int i = 0; i < o->nlayers; ++i) {
        if (ch[i] < 1 || ch[i] > 4096) return sl__crd_bad(r, T_CHAN, "value [%d] = %lld (must be 1..4096)", i, (long long)ch[i]);
        if (k[i] < 1 || k[i] > 64) return sl__crd_bad(r, T_KERN, "value [%d] = %lld (must be 1..64)", i, (long long)k[i]);
        o->channels[i] = (int)ch[i];
        o->kernels[i] = (int)k[i];
    }
    return SL_OK;
}

sl_status sl__lcnn_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data, size_t len,
                         sl_lcnn **out)
{
    *out = NULL;
    if (sl__legacy_lcnn_magic(data, len)) return sl__legacy_lcnn_parse(ctx, who, name, data, len, out);
    if (!sl__is_container(data, len))
        return sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s' is not an L-CNN model file", who, name);
    sl__cfile f;
    sl_status st = sl__cfile_parse(ctx, who, name, data, len, SL__KIND_LCNN, LCNN_VERSION, &f);
    if (st) return st;
    const sl__crd *r = &f.root;
    sl_lcnn_opts o;
    sl_lcnn_opts_init_sized(&o, sizeof o);
    int64_t np = 0, count = 0;
    if ((st = read_opts(r, &o))) goto done;
    if ((st = sl__lcnn_check_opts(ctx, who, &o))) {
        char why[SL_ERRMSG_LEN];
        snprintf(why, sizeof why, "%s", sl_ctx_errmsg(ctx));
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': the stored options are invalid (%s)", who, name, why);
        goto done;
    }
    /* The weight count, from the options, must match the record before the
     * model (and its weights) is allocated. */
    int64_t want = sl__lcnn_param_count(&o);
    if ((st = sl__crd_i64_1(r, T_NPAR, 1, SL_MAX_ELEMENTS, &np)) || (st = sl__crd_count(r, T_WGTS, SL__REC_F64, &count)))
        goto done;
    if (np != want || count != want) {
        st = sl__crd_bad(r, T_WGTS, "%lld weights (NPAR %lld), the options need %lld", (long long)count, (long long)np,
                         (long long)want);
        goto done;
    }
    sl_lcnn *net;
    if ((st = sl__lcnn_alloc(ctx, who, &o, &net))) goto done;
    if ((st = sl__crd_f64(r, T_WGTS, net->w, want, 1))) {
        sl_lcnn_destroy(net);
        goto done;
    }
    *out = net;
done:
    sl__cfile_close(&f);
    return st;
}

sl_status sl_lcnn_load(sl_ctx *ctx, const char *path, sl_lcnn **out)
{
    const char *who = "sl_lcnn_load";
    if (!ctx) return SL_ERR_NULL;
    if (!out || !path) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, out ? "path" : "out");
    *out = NULL;
    unsigned char *buf;
    size_t len;
    sl_status st = sl__read_file(ctx, who, path, &buf, &len);
    if (st) return st;
    st = sl__lcnn_parse(ctx, who, path, buf, len, out);
    sl__free(ctx, buf);
    return st;
}
