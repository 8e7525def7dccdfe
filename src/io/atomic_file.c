/* Atomic file writes shared by every file format: a temporary file beside the
 * target, fsync, rename over it, fsync of the directory.  A crash or a failed
 * write never leaves a half-written file, and the old file stays as it was.
 * A symbolic link is written through to its target; a replaced file keeps its
 * mode (and, where allowed, its owner); a new one gets 0666 minus the umask
 * (the temporary is created with mode 0666, so the kernel applies the umask
 * and any default ACL, without touching the process-wide umask). */
#include "io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The final target of path through symbolic links (at most 40 of them), in a
 * new buffer; a dangling link gives the file it names. */
static char *resolve(sl_ctx *ctx, const char *who, const char *path)
{
    size_t len = strlen(path);
    char *cur = sl__alloc(ctx, len + 1, 0, who);
    if (!cur) return NULL;
    memcpy(cur, path, len + 1);
    for (int hop = 0; hop < 40; ++hop) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        char link[4096];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) return cur;
        link[n] = 0;
        size_t dl = 0;
        if (link[0] != '/') {
            const char *slash = strrchr(cur, '/');
            dl = slash ? (size_t)(slash - cur) + 1 : 0;
        }
        char *next = sl__alloc(ctx, dl + (size_t)n + 1, 0, who);
        if (!next) {
            sl__free(ctx, cur);
            return NULL;
        }
        memcpy(next, cur, dl);
        memcpy(next + dl, link, (size_t)n + 1);
        sl__free(ctx, cur);
        cur = next;
    }
    sl__fail(ctx, SL_ERR_IO, "%s: '%s': too many levels of symbolic links", who, path);
    sl__free(ctx, cur);
    return NULL;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n > ((size_t)1 << 30) ? ((size_t)1 << 30) : n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO;
            return 0;
        }
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* fsync the directory holding path, so that the rename itself is durable. */
static void sync_dir(sl_ctx *ctx, const char *who, const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash) snprintf(dir, sizeof dir, ".");
    else if (slash == path) snprintf(dir, sizeof dir, "/");
    else if ((size_t)(slash - path) < sizeof dir) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        sl__log(ctx, SL_LOG_WARN, "%s: '%s' was written, but syncing its directory failed: %s", who, path, strerror(errno));
    close(fd);
}

sl_status sl__write_atomic(sl_ctx *ctx, const char *who, const char *path, const void *const *parts,
                           const size_t *sizes, int nparts)
{
    char *target = resolve(ctx, who, path);
    if (!target) return ctx ? ctx->last : SL_ERR_NOMEM;
    size_t len = strlen(target);
    char *tmp = sl__alloc(ctx, len + 32, 0, who);
    if (!tmp) {
        sl__free(ctx, target);
        return SL_ERR_NOMEM;
    }
    struct stat old;
    int have_old = stat(target, &old) == 0 && S_ISREG(old.st_mode);
    /* A fresh name beside the target, created exclusively with mode 0666. */
    static unsigned long counter;
    uint64_t salt = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        uint64_t r = sl_rng_u64(salt, (uint64_t)__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
        snprintf(tmp, len + 32, "%s.tmp.%012llx", target, (unsigned long long)(r & 0xffffffffffffULL));
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        sl_status st = sl__fail(ctx, SL_ERR_IO, "%s: cannot create a temporary file beside '%s': %s", who, path, strerror(errno));
        sl__free(ctx, tmp);
        sl__free(ctx, target);
        return st;
    }
    int err = 0;
    if (have_old) {
        if (fchown(fd, old.st_uid, old.st_gid) != 0) { /* not allowed: the file becomes ours */ }
        if (fchmod(fd, old.st_mode & 0777) != 0) err = errno;
    }
    for (int i = 0; !err && i < nparts; ++i)
        if (!write_all(fd, parts[i], sizes[i])) err = errno;
    if (!err && fsync(fd) != 0) err = errno;
    if (close(fd) != 0 && !err) err = errno;
    if (!err && rename(tmp, target) != 0) err = errno;
    sl_status st = SL_OK;
    if (err) {
        st = sl__fail(ctx, SL_ERR_IO, "%s: writing '%s' failed: %s", who, path, strerror(err));
        unlink(tmp);
    } else {
        sync_dir(ctx, who, target);
    }
    sl__free(ctx, tmp);
    sl__free(ctx, target);
    return st;
}
