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

/* Removes what interrupted writes left of path: files named
 * path.tmp.XXXXXX (six letters or digits, as am_io_afile_open makes them) in
 * its directory that no live process is writing. A writer holds a fcntl
 * lock on its temporary until it closes it, so a temporary nobody holds a
 * lock on, unchanged for min_age seconds (the moments between its creation
 * and its lock, or between its close and its rename), is left over from a
 * process that died. Other files, and temporaries of other names, are left
 * alone. Returns how many were removed; errors (a directory that cannot be
 * read) only mean that nothing was. */
int am_io_remove_stale_temps(const char *path, double min_age);

#endif
