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

#endif
