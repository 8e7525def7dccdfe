/* Size-first option structs: the one reader and the one initialiser.
 *
 * Every public options struct starts with `size_t size`, the caller's
 * sizeof.  A program built against 1.0 passes the 1.0 size to a 1.x library;
 * a program built against a newer header passes a larger one.  The reader
 * accepts any size from the end of the struct's last 1.0 field up, copies
 * only min(size, ours) bytes (never reading past the caller's size), takes
 * the defaults for the rest, and refuses a larger struct whose unknown tail
 * holds anything but zeros (a newer field was set that this library cannot
 * honour).  The initialiser writes exactly the caller's size.
 *
 * A field added in 1.x must start at or after the released sizeof (the 1.0
 * tail padding may hold garbage in old binaries). */
#include "internal.h"

sl_status sl__opts_read(sl_ctx *ctx, const char *who, const char *what, void *dst, size_t dst_size,
                        const void *src, size_t min_size)
{
    if (!src) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, what);
    size_t size;
    memcpy(&size, src, sizeof size);
    if (size < min_size)
        return sl__fail(ctx, SL_ERR_ARG, "%s: %s->size = %zu (must be >= %zu: initialise the struct with its _init "
                        "function or _INIT macro)", who, what, size, min_size);
    if (size > dst_size) {
        const unsigned char *tail = (const unsigned char *)src + dst_size;
        for (size_t i = 0; i < size - dst_size; ++i)
            if (tail[i])
                return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: %s->size = %zu is larger than this library's %zu and "
                                "byte %zu of the unknown part is set (a field of a newer libsymlearn, version %s "
                                "here)", who, what, size, dst_size, dst_size + i, sl_version_string());
    }
    memcpy(dst, src, size < dst_size ? size : dst_size);
    memcpy(dst, &dst_size, sizeof dst_size);
    return SL_OK;
}

sl_status sl__opts_init(void *dst, size_t size, const void *defaults, size_t full_size, size_t min_size)
{
    if (!dst) return SL_ERR_NULL;
    if (size < min_size) return SL_ERR_ARG;
    size_t n = size < full_size ? size : full_size;
    memcpy(dst, defaults, n);
    if (size > n) memset((unsigned char *)dst + n, 0, size - n);
    memcpy(dst, &size, sizeof size);
    return SL_OK;
}
