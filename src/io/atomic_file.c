#include "io/atomic_file.h"
#include "core/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

am_status am_io_afile_open(am_io_afile *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    if (!path || !*path) return am_fail(AM_ERR_VALUE, "no output file name given");
    size_t n = strlen(path);
    f->tmp = malloc(n + 16);
    if (!f->tmp) return am_fail(AM_ERR_NOMEM, "%s: out of memory", path);
    /* Same directory as the target, so rename() cannot cross file systems. */
    memcpy(f->tmp, path, n);
    memcpy(f->tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL;
        return am_fail(AM_ERR_IO, "%s: cannot create a temporary file next to it: %s", path, strerror(e));
    }
    /* held until the file is closed: am_io_remove_stale_temps leaves a
     * locked temporary alone (failure, e.g. on a file system without locks,
     * only leaves the age test) */
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    (void)fcntl(fd, F_SETLK, &lk);
    /* mkstemp makes the file private; give it the target's mode, or the
     * usual mode of a new data file. */
    struct stat st;
    mode_t mode = (stat(path, &st) == 0) ? (st.st_mode & 07777) : 0644;
    (void)fchmod(fd, mode);
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        int e = errno;
        close(fd);
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
        return am_fail(AM_ERR_IO, "%s: cannot write: %s", path, strerror(e));
    }
    setvbuf(f->fp, NULL, _IOFBF, 1 << 16);
    return AM_OK;
}

void am_io_afile_abort(am_io_afile *f)
{
    if (f->fp) fclose(f->fp);
    if (f->tmp) {
        unlink(f->tmp);
        free(f->tmp);
    }
    f->fp = NULL;
    f->tmp = NULL;
}

/* The directory part of path (malloc'ed), or NULL when out of memory. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = NULL;
    if (!slash) dir = strdup(".");
    else if (slash == path) dir = strdup("/");
    else {
        dir = malloc((size_t)(slash - path) + 1);
        if (dir) {
            memcpy(dir, path, (size_t)(slash - path));
            dir[slash - path] = '\0';
        }
    }
    return dir;
}

/* Makes the rename itself durable; failure here is not worth an error since
 * the data are already in place. */
static void sync_dir(const char *path)
{
    char *dir = dir_of(path);
    if (!dir) return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

am_status am_io_afile_commit(am_io_afile *f)
{
    int failed = fflush(f->fp) != 0 || ferror(f->fp);
    int e = errno;
    if (!failed && fsync(fileno(f->fp)) != 0) {
        failed = 1;
        e = errno;
    }
    if (fclose(f->fp) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    f->fp = NULL;
    if (failed) {
        am_io_afile_abort(f);
        return am_fail(AM_ERR_IO, "%s: write failed: %s", f->path, strerror(e ? e : EIO));
    }
    if (rename(f->tmp, f->path) != 0) {
        e = errno;
        am_io_afile_abort(f);
        return am_fail(AM_ERR_IO, "%s: cannot replace the file: %s", f->path, strerror(e));
    }
    free(f->tmp);
    f->tmp = NULL;
    sync_dir(f->path);
    return AM_OK;
}

/* name is base.tmp.XXXXXX with six letters or digits. */
static int temp_of(const char *name, const char *base)
{
    const size_t n = strlen(base);
    if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp.", 5) != 0 || strlen(name + n + 5) != 6) return 0;
    for (const char *p = name + n + 5; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) return 0;
    return 1;
}

/* Whether a process holds a lock on the file (1), none does (0), or it
 * cannot be told (-1). */
static int locked(const char *path)
{
    const int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0) return -1;
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    const int r = fcntl(fd, F_GETLK, &lk) != 0 ? -1 : lk.l_type != F_UNLCK;
    close(fd);
    return r;
}

int am_io_remove_stale_temps(const char *path, double min_age)
{
    if (!path || !*path) return 0;
    char *dir = dir_of(path);
    if (!dir) return 0;
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    DIR *d = *base ? opendir(dir) : NULL;
    const size_t nd = strlen(dir);
    int removed = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!temp_of(e->d_name, base)) continue;
        char *full = malloc(nd + strlen(e->d_name) + 2);
        if (!full) break;
        sprintf(full, "%s/%s", dir, e->d_name);
        struct stat st;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
            (double)(now.tv_sec - st.st_mtim.tv_sec) >= min_age && locked(full) == 0 && unlink(full) == 0)
            removed++;
        free(full);
    }
    if (d) closedir(d);
    free(dir);
    return removed;
}
