/* Internal: the per-format readers and writers behind am_read / am_write.
 * Readers get options with defaults already filled in (min_distance > 0 or
 * disabled with < 0). */
#ifndef AM_IO_FORMATS_H
#define AM_IO_FORMATS_H

#include "amorph/io.h"

am_status am_io_read_lammps_data(const char *path, const am_read_options *opt, am_system **out);
am_status am_io_write_lammps_data(const char *path, const am_system *s);

am_status am_io_read_lammps_dump(const char *path, const am_read_options *opt, am_system **out);
am_status am_io_write_lammps_dump(const char *path, const am_system *s);

am_status am_io_read_extxyz(const char *path, const am_read_options *opt, am_system **out);
/* The same, keeping the numeric columns the configuration does not use in t
 * (whose col array it allocates; the caller frees t's contents on failure too). */
am_status am_io_read_extxyz_table(const char *path, const am_read_options *opt, am_system **out, am_table *t);

#endif
