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
