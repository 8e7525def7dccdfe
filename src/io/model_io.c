/* L-CNN model files: a fixed little-endian header (magic, lengths, CRC-32 of
 * the payload) and a zlib-compressed payload (options, then the weights).
 * Written to a temporary file beside the target and renamed over it, so a
 * crash never leaves a half-written model. */
#include "../layers/lcnn_internal.h"
#include "io_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC "SLLCNN01"
#define NOPT (9 + 2 * SL_LCNN_MAX_LAYERS)

static void put64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; ++i) p[i] = (unsigned char)(v >> (8 * i)); }
static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

sl_status sl_lcnn_save(const sl_lcnn *net, const char *path)
{
    const char *who = "sl_lcnn_save";
    if (!net) return SL_ERR_NULL;
    if (!path) return sl__fail(net->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    const sl_lcnn_opts *o = &net->o;
    size_t raw_len = 8 * (NOPT + 1) + 8 * (size_t)net->nparams;
    unsigned char *raw = sl__alloc(net->ctx, raw_len, 1, who);
    uLongf clen = compressBound((uLong)raw_len);
    unsigned char *comp = sl__alloc(net->ctx, clen, 0, who);
    if (!raw || !comp) { sl__free(net->ctx, raw); sl__free(net->ctx, comp); return SL_ERR_NOMEM; }
    int64_t v[NOPT + 1] = {o->nd, o->nc, o->nlayers, o->dilation, o->symmetric, o->orientations, o->head,
                           (int64_t)o->seed, 0};
    for (int i = 0; i < SL_LCNN_MAX_LAYERS; ++i) { v[9 + i] = o->channels[i]; v[9 + SL_LCNN_MAX_LAYERS + i] = o->kernels[i]; }
    v[NOPT] = net->nparams;
    for (int i = 0; i <= NOPT; ++i) put64(raw + 8 * i, (uint64_t)v[i]);
    for (int64_t i = 0; i < net->nparams; ++i) {
        uint64_t b;
        memcpy(&b, net->w + i, 8);
        put64(raw + 8 * (NOPT + 1) + 8 * i, b);
    }
    sl_status st = SL_OK;
    if (compress2(comp, &clen, raw, (uLong)raw_len, 9) != Z_OK) st = sl__fail(net->ctx, SL_ERR_IO, "%s: zlib failed", who);
    if (!st) {
        unsigned char hdr[32];
        memcpy(hdr, MAGIC, 8);
        put64(hdr + 8, raw_len);
        put64(hdr + 16, clen);
        put64(hdr + 24, crc32(0L, raw, (uInt)raw_len));
        const void *parts[2] = {hdr, comp};
        size_t sizes[2] = {32, clen};
        st = sl__write_atomic(net->ctx, who, path, parts, sizes, 2);
    }
    sl__free(net->ctx, raw);
    sl__free(net->ctx, comp);
    return st;
}

sl_status sl_lcnn_load(sl_ctx *ctx, const char *path, sl_lcnn **out)
{
    const char *who = "sl_lcnn_load";
    if (!ctx) return SL_ERR_NULL;
    if (!out || !path) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, out ? "path" : "out");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return sl__fail(ctx, SL_ERR_IO, "%s: cannot open '%s': %s", who, path, strerror(errno));
    unsigned char hdr[32];
    sl_status st = SL_OK;
    unsigned char *comp = NULL, *raw = NULL;
    if (fread(hdr, 1, 32, f) != 32 || memcmp(hdr, MAGIC, 8)) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s' is not an L-CNN model file", who, path);
        goto done;
    }
    uint64_t raw_len = get64(hdr + 8), clen = get64(hdr + 16), crc = get64(hdr + 24);
    if (raw_len < 8 * (NOPT + 1) || raw_len > ((uint64_t)1 << 34) || clen > ((uint64_t)1 << 34)) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': bad lengths in the header", who, path);
        goto done;
    }
    comp = sl__alloc(ctx, clen + 1, 0, who);
    raw = sl__alloc(ctx, raw_len, 0, who);
    if (!comp || !raw) { st = SL_ERR_NOMEM; goto done; }
    uLongf rl = (uLongf)raw_len;
    if (fread(comp, 1, clen + 1, f) != clen || uncompress(raw, &rl, comp, (uLong)clen) != Z_OK || rl != raw_len ||
        crc32(0L, raw, (uInt)raw_len) != crc) {
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s' is damaged (truncated, or its checksum does not match)", who, path);
        goto done;
    }
    int64_t v[NOPT + 1];
    for (int i = 0; i <= NOPT; ++i) v[i] = (int64_t)get64(raw + 8 * i);
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nd = (int)v[0]; o.nc = (int)v[1]; o.nlayers = (int)v[2]; o.dilation = (int)v[3];
    o.symmetric = (int)v[4]; o.orientations = (int)v[5]; o.head = (int)v[6]; o.seed = (uint64_t)v[7];
    for (int i = 0; i < SL_LCNN_MAX_LAYERS; ++i) { o.channels[i] = (int)v[9 + i]; o.kernels[i] = (int)v[9 + SL_LCNN_MAX_LAYERS + i]; }
    if ((st = sl__lcnn_check_opts(ctx, who, &o))) { st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': bad model options", who, path); goto done; }
    sl_lcnn *net;
    if ((st = sl__lcnn_alloc(ctx, who, &o, &net))) goto done;
    if (v[NOPT] != net->nparams || raw_len != 8 * (NOPT + 1) + 8 * (uint64_t)net->nparams) {
        sl_lcnn_destroy(net);
        st = sl__fail(ctx, SL_ERR_CORRUPT, "%s: '%s': parameter count does not fit the options", who, path);
        goto done;
    }
    for (int64_t i = 0; i < net->nparams; ++i) {
        uint64_t b = get64(raw + 8 * (NOPT + 1) + 8 * i);
        memcpy(net->w + i, &b, 8);
    }
    *out = net;
done:
    fclose(f);
    sl__free(ctx, comp);
    sl__free(ctx, raw);
    return st;
}
