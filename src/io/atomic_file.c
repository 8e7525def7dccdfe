/* Atomic file writes shared by every file format: a temporary file beside the
 * target, fsync, rename over it.  A crash or a failed write never leaves a
 * half-written file, and the old file stays as it was. */
#include "io_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

sl_status sl__write_atomic(sl_ctx *ctx, const char *who, const char *path, const void *const *parts,
                           const size_t *sizes, int nparts)
{
    size_t len = strlen(path);
    char *tmp = sl__alloc(ctx, len + 16, 0, who);
    if (!tmp) return SL_ERR_NOMEM;
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sl_status st = sl__fail(ctx, SL_ERR_IO, "%s: cannot create a temporary file beside '%s': %s", who, path, strerror(errno));
        sl__free(ctx, tmp);
        return st;
    }
    FILE *f = fdopen(fd, "wb");
    int ok = f != NULL;
    for (int i = 0; ok && i < nparts; ++i) ok = fwrite(parts[i], 1, sizes[i], f) == sizes[i];
    ok = ok && fflush(f) == 0 && fsync(fd) == 0;
    if (f) ok = (fclose(f) == 0) && ok;
    else close(fd);
    if (ok && rename(tmp, path) != 0) ok = 0;
    sl_status st = SL_OK;
    if (!ok) {
        st = sl__fail(ctx, SL_ERR_IO, "%s: writing '%s' failed: %s", who, path, strerror(errno));
        unlink(tmp);
    }
    sl__free(ctx, tmp);
    return st;
}
