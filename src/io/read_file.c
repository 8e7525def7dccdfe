/* Whole-file reads for the loaders: the buffer follows the bytes actually
 * read, never a length stated inside the file. */
#include "io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

sl_status sl__read_file(sl_ctx *ctx, const char *who, const char *path, unsigned char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return sl__fail(ctx, SL_ERR_IO, "%s: cannot open '%s': %s", who, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return sl__fail(ctx, SL_ERR_IO, "%s: '%s' is a directory", who, path);
    }
    /* A regular file's size is the first guess (+2: the end and a spare); anything
     * else starts at 64 KiB; the buffer doubles while bytes keep coming. */
    size_t cap = (size_t)1 << 16;
    if (S_ISREG(st.st_mode) && st.st_size >= 0 && (uint64_t)st.st_size < SIZE_MAX / 2) cap = (size_t)st.st_size + 2;
    unsigned char *b = sl__alloc(ctx, cap, 0, who);
    size_t n = 0;
    sl_status rc = b ? SL_OK : SL_ERR_NOMEM;
    while (!rc) {
        if (n + 1 >= cap) {   /* keep one spare byte for the terminating 0 */
            if (cap > SIZE_MAX / 4) { rc = sl__fail(ctx, SL_ERR_IO, "%s: '%s' is too large", who, path); break; }
            unsigned char *q = sl__alloc(ctx, 2 * cap, 0, who);
            if (!q) { rc = SL_ERR_NOMEM; break; }
            memcpy(q, b, n);
            sl__free(ctx, b);
            b = q;
            cap *= 2;
        }
        size_t want = cap - 1 - n;
        ssize_t k = read(fd, b + n, want > ((size_t)1 << 30) ? ((size_t)1 << 30) : want);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) { rc = sl__fail(ctx, SL_ERR_IO, "%s: reading '%s' failed: %s", who, path, strerror(errno)); break; }
        if (k == 0) break;
        n += (size_t)k;
    }
    close(fd);
    if (rc) {
        sl__free(ctx, b);
        return rc;
    }
    b[n] = 0;
    *buf = b;
    *len = n;
    return SL_OK;
}
