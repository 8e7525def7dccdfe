/* Saving files (every writer goes through the one atomic helper): a replaced
 * file keeps its mode, a new one gets the umask default, a symbolic link is
 * written through to its target, the directory is fsynced after the rename,
 * and a save interrupted by a failing write (RLIMIT_FSIZE) or by the death of
 * the process leaves the old file intact. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "symlearn.h"

/* fsync, interposed: count the calls on directories. */
static int dir_syncs;
int fsync(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) dir_syncs++;
    return (int)syscall(SYS_fsync, fd);
}

static sl_ctx *ctx;
static char dir[64];

static const char *tmp(const char *name)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long l = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)l + 1);
    *n = fread(b, 1, (size_t)l, f);
    fclose(f);
    return b;
}

static int mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

static int files_in_dir(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d) closedir(d);
    return n;
}

typedef struct { sl_lcnn *net; sl_symmetry_result *r; sl_gauge *U; } objects;

/* which: 0 model, 1 result, 2 NERSC */
static sl_status save(const objects *o, int which, const char *path)
{
    return which == 0 ? sl_lcnn_save(o->net, path) : which == 1 ? sl_symmetry_result_save(o->r, path)
                                                              : sl_gauge_write_nersc(o->U, path);
}
static const char *names[3] = {"model", "symmetry result", "NERSC field"};

static void modes_and_links(const objects *o)
{
    for (int w = 0; w < 3; ++w) {
        umask(027);
        remove(tmp("new"));
        CHECK(save(o, w, tmp("new")) == SL_OK && mode_of(tmp("new")) == 0640, "%s: a new file gets 0666 & ~umask (0%o)",
              names[w], mode_of(tmp("new")));
        umask(022);
        chmod(tmp("new"), 0644);
        CHECK(save(o, w, tmp("new")) == SL_OK && mode_of(tmp("new")) == 0644, "%s: a replaced 0644 file stays 0644 (0%o)",
              names[w], mode_of(tmp("new")));
        chmod(tmp("new"), 0604);
        CHECK(save(o, w, tmp("new")) == SL_OK && mode_of(tmp("new")) == 0604, "%s: a replaced 0604 file stays 0604", names[w]);
        /* through a symbolic link (relative), and a dangling one */
        remove(tmp("target"));
        remove(tmp("link"));
        CHECK(symlink("target", tmp("link")) == 0, "symlink");
        CHECK(save(o, w, tmp("link")) == SL_OK, "%s: save through a dangling link: %s", names[w], sl_ctx_errmsg(ctx));
        struct stat st;
        CHECK(lstat(tmp("link"), &st) == 0 && S_ISLNK(st.st_mode), "%s: the link is still a link", names[w]);
        CHECK(stat(tmp("target"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0, "%s: the target was written", names[w]);
        size_t a, b;
        unsigned char *x = slurp(tmp("target"), &a), *y = slurp(tmp("new"), &b);
        CHECK(x && y && a == b, "%s: the target holds the saved file", names[w]);
        free(x), free(y);
        chmod(tmp("target"), 0600);
        CHECK(save(o, w, tmp("link")) == SL_OK && lstat(tmp("link"), &st) == 0 && S_ISLNK(st.st_mode) &&
                  mode_of(tmp("target")) == 0600, "%s: replacing through the link keeps link and mode", names[w]);
        /* the rename is made durable */
        dir_syncs = 0;
        CHECK(save(o, w, tmp("new")) == SL_OK && dir_syncs >= 1, "%s: the directory is fsynced after the rename (%d)",
              names[w], dir_syncs);
    }
    remove(tmp("new"));
    remove(tmp("target"));
    remove(tmp("link"));
}

static void interrupted(const objects *o)
{
    signal(SIGXFSZ, SIG_IGN);
    for (int w = 0; w < 3; ++w) {
        const char *path = tmp("keep");
        FILE *f = fopen(path, "wb");
        fputs("the old file", f);
        fclose(f);
        /* a write that fails part way (the file size limit) */
        struct rlimit old, lim;
        getrlimit(RLIMIT_FSIZE, &old);
        lim = old;
        lim.rlim_cur = 100;
        setrlimit(RLIMIT_FSIZE, &lim);
        sl_status st = save(o, w, path);
        setrlimit(RLIMIT_FSIZE, &old);
        CHECK(st == SL_ERR_IO && strstr(sl_ctx_errmsg(ctx), "keep"), "%s: a failing write is SL_ERR_IO: %s", names[w],
              sl_ctx_errmsg(ctx));
        size_t n;
        unsigned char *b = slurp(path, &n);
        CHECK(b && n == 12 && !memcmp(b, "the old file", 12), "%s: the old file is intact after a failed write", names[w]);
        free(b);
        CHECK(files_in_dir() == 1, "%s: no temporary left behind", names[w]);
        /* the process dies in the middle of the write */
        pid_t pid = fork();
        if (pid == 0) {
            signal(SIGXFSZ, SIG_DFL);
            setrlimit(RLIMIT_FSIZE, &lim);
            save(o, w, path);
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ, "%s: the child died writing", names[w]);
        b = slurp(path, &n);
        CHECK(b && n == 12 && !memcmp(b, "the old file", 12), "%s: the old file is intact after a crash", names[w]);
        free(b);
        char cmd[160];
        snprintf(cmd, sizeof cmd, "rm -f %s/*.tmp.*", dir);   /* a crash may leave its temporary */
        CHECK(system(cmd) == 0, "clean the temporary");
        remove(path);
    }
    signal(SIGXFSZ, SIG_DFL);
}

int main(void)
{
    sl_ctx_create(&ctx, NULL);
    snprintf(dir, sizeof dir, "/tmp/sl_save_XXXXXX");
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    objects o = {0};
    sl_lcnn_opts lo;
    sl_lcnn_opts_init(&lo);
    lo.nlayers = 1; lo.channels[0] = 4; lo.kernels[0] = 2;
    sl_lcnn_create(ctx, &lo, &o.net);
    CHECK(sl_symmetry_result_load(ctx, "tests/fixtures/symmetry-1.0.slr", &o.r) == SL_OK, "fixture: %s", sl_ctx_errmsg(ctx));
    int64_t dims[4] = {2, 2, 2, 2};
    sl_gauge_create(ctx, 4, dims, 3, &o.U);
    sl_gauge_randomize(o.U, 1);
    modes_and_links(&o);
    interrupted(&o);
    sl_lcnn_destroy(o.net);
    sl_symmetry_result_destroy(o.r);
    sl_gauge_destroy(o.U);
    CHECK(rmdir(dir) == 0, "nothing left in the directory");
    sl_ctx_destroy(ctx);
    return check_done();
}
