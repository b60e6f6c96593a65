/* Internal: checks on the extra per-atom columns a writer is given. */
#ifndef AM_IO_COLUMNS_H
#define AM_IO_COLUMNS_H

#include "amorph/io.h"

#include <stdio.h>

/* A column (extxyz property) name: letters, digits and '_', not starting
 * with a digit, as extxyz allows, and '.', which amorph's names had before
 * they followed OVITO's rules (s2_rc4.0, now s2_rc4p0): old tables still read.
 * Names reach generated gnuplot scripts and CSV headers, so nothing else may
 * pass: no quotes, '$', '`' or blanks. */
int am_io_column_name_ok(const char *name);

/* Names as am_io_column_name_ok allows, at most 63 characters, unique and
 * not one the extended XYZ reader takes for the configuration (velo,
 * momenta, masses, ...); 1..maxcomp components; values present and finite. */
am_status am_io_check_columns(const char *path, const am_system *s, const am_column *cols, int ncols, int maxcomp);

/* Atom i's values of every column, each preceded by sep, in the shortest
 * digits that read back exactly (am_io_fmt_double); every writer's row ends so. */
void am_io_write_column_values(FILE *fp, const am_column *cols, int ncols, size_t i, char sep);

#endif
