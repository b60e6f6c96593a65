#include "io/atomic_file.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Makes the rename itself durable; failure here is not worth an error since
 * the data are already in place. */
static void sync_dir(const char *path)
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
