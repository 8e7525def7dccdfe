/* Overflow-checked products of sizes (see internal.h). */
#include "internal.h"

#include <stdio.h>

sl_status sl__product(sl_ctx *ctx, sl_status status, const char *who, const char *what, int n, const int64_t *f,
                      int64_t *out)
{
    int64_t p = 1;
    int i = 0;
    for (; i < n; ++i)
        if (!sl__mul_ok(p, f[i], &p)) break;
    if (i == n) {
        *out = p;
        return SL_OK;
    }
    char buf[160];
    size_t len = 0;
    for (int k = 0; k < n && len < sizeof buf - 24; ++k)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld", k ? " x " : "", (long long)f[k]);
    return sl__fail(ctx, status, "%s: %s = %s is %s", who, what, buf,
                    f[i] < 0 ? "negative" : "too large (more than 2^56 elements)");
}
