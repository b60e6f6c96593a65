/* The quench protocol as a LAMMPS input (see quench_lammps.c). */
#ifndef AM_CLI_QUENCH_LAMMPS_H
#define AM_CLI_QUENCH_LAMMPS_H

#include "amorph/amorph.h"

/* Writes dir/start.data and dir/in.quench with the pair commands cmds (in
 * LAMMPS unit style units: am_potential_lammps_commands); LAMMPS writes
 * glass_name (relative to dir). relax_start: relax the start first, as
 * amorph quench relaxes a random one (FIRE to 0.05 force units, 500 steps). */
am_status quench_lammps_write(const char *dir, const am_system *s, const char *units, const char *const *cmds, int ncmd,
                              int relax_start, const am_quench_options *q, const char *glass_name);
/* Reads LAMMPS's fix ave/time output (step T V/atom E/atom). */
am_status quench_lammps_curve(const char *path, am_cooling_point **out, size_t *n);

#endif
