/* Status strings and the library version. */
#include "internal.h"

#define SL_STR2(x) #x
#define SL_STR(x) SL_STR2(x)

const char *sl_version_string(void)
{
    return SL_STR(SL_VERSION_MAJOR) "." SL_STR(SL_VERSION_MINOR) "." SL_STR(SL_VERSION_PATCH);
}

const char *sl_status_string(sl_status status)
{
    switch (status) {
    case SL_OK: return "ok";
    case SL_ERR_NULL: return "a required pointer argument is NULL";
    case SL_ERR_ARG: return "invalid argument";
    case SL_ERR_SHAPE: return "shape mismatch";
    case SL_ERR_DTYPE: return "wrong or mismatched element type";
    case SL_ERR_NOMEM: return "out of memory";
    case SL_ERR_NONFINITE: return "NaN or Inf in data";
    case SL_ERR_UNBOUND: return "input not bound";
    case SL_ERR_IO: return "input/output error";
    case SL_ERR_CORRUPT: return "corrupt data";
    case SL_ERR_NUMERIC: return "numerical failure";
    case SL_ERR_STATE: return "object in the wrong state for this call";
    case SL_ERR_UNSUPPORTED: return "unsupported";
    case SL_ERR_GRAPH: return "object belongs to another graph or context";
    default: return "unknown status code";
    }
}

const char *sl__dtype_name(sl_dtype t)
{
    return t == SL_F64 ? "f64" : t == SL_C128 ? "c128" : "invalid dtype";
}

sl_status sl__rewho(sl_ctx *ctx, sl_status status, const char *who)
{
    if (!ctx) return status;
    ctx->last = status;
    size_t wl = strlen(who);
    if (!strncmp(ctx->msg, who, wl) && ctx->msg[wl] == ':') return status;
    /* skip a leading "sl_name: " (the inner call's name) */
    const char *rest = ctx->msg;
    if (!strncmp(rest, "sl_", 3)) {
        const char *p = rest + 3;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') ++p;
        if (p[0] == ':' && p[1] == ' ') rest = p + 2;
    }
    char buf[SL_ERRMSG_LEN];
    size_t n = 0;
    const char *parts[3] = {who, ": ", rest[0] ? rest : sl_status_string(status)};
    for (int i = 0; i < 3; ++i)
        for (const char *c = parts[i]; *c && n < sizeof buf - 1; ++c) buf[n++] = *c;
    buf[n] = '\0';
    memcpy(ctx->msg, buf, n + 1);
    return status;
}
