/* Internal: what the extended XYZ reader and writer agree on beyond the
 * format itself — the names ASE and OVITO give the configuration's columns,
 * and how amorph keeps its box corner and velocities exact through them. */
#ifndef AM_IO_EXTXYZ_H
#define AM_IO_EXTXYZ_H

#include "amorph/io.h"

/* Comment-line key: the box corner lo (Å). Positions in the file are
 * relative to it, so ASE, which has no cell origin, and OVITO see the atoms
 * inside a cell that starts at 0; amorph adds it back. Not "Origin": OVITO
 * takes any key ending in origin=" as the corner of a cell whose positions
 * are absolute. */
#define AM_XYZ_BOX_LO "box_lo"

/* Per-atom column (R:3) written only when some coordinate cannot be given
 * to the bit relative to lo: absolute position = decoded pos + residual. */
#define AM_XYZ_RESIDUAL "pos_residual"

/* Components per atom line the reader accepts, so at most what is written. */
#define AM_XYZ_MAX_COMPONENTS 1024

/* ASE reads velocities only as momenta, amu Å per ASE time unit, divided by
 * the masses (written beside them so ASE uses amorph's). Reader and writer
 * compute them with this one expression, so a file amorph wrote compares
 * equal to the bit. */
static inline double am_xyz_momentum(double v, double mass) { return v * (mass * AM_ASE_TIME_UNIT_PS); }

/* 1 if the reader takes a column of this name for the configuration itself
 * (species, positions, ids, velocities, momenta, masses, the residual): a
 * table column of that name would not read back as one. */
int am_io_xyz_reserved(const char *name);

#endif
