/* Internal: checks on the extra per-atom columns a writer is given. */
#ifndef AM_IO_COLUMNS_H
#define AM_IO_COLUMNS_H

#include "amorph/io.h"

/* Names of letters, digits, '_', '-', '.', unique and not a built-in
 * column; 1..maxcomp components; values present and finite. */
am_status am_io_check_columns(const char *path, const am_system *s, const am_column *cols, int ncols, int maxcomp);

#endif
