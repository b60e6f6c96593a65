/* Internal: replacing a file atomically. Writers print into a temporary file
 * in the target's directory; commit flushes it to disk and renames it over the
 * target, so readers never see a half-written configuration. */
#ifndef AM_IO_ATOMIC_FILE_H
#define AM_IO_ATOMIC_FILE_H

#include <stdio.h>
#include "amorph/status.h"

typedef struct am_io_afile {
    FILE *fp;
    char *tmp;          /* temporary file name */
    const char *path;   /* final name */
} am_io_afile;

am_status am_io_afile_open(am_io_afile *f, const char *path);
/* Checks for write errors, fsyncs, renames; removes the temporary on failure. */
am_status am_io_afile_commit(am_io_afile *f);
/* Discards the temporary file (after an error while writing). */
void am_io_afile_abort(am_io_afile *f);

#endif
