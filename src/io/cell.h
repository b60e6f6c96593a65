/* Internal: boxes given as three edge vectors (extended XYZ Lattice=) turned
 * into the LAMMPS convention, and exactly invertible box encodings for the
 * text formats. */
#ifndef AM_IO_CELL_H
#define AM_IO_CELL_H

#include <stddef.h>
#include "amorph/system.h"

/* cell[0..2] = edge vectors a, b, c. Sets box->lo/len/tilt (periodic flags are
 * left alone) and the rotation rot that takes original coordinates into the
 * box frame; *rotated = 0 when the cell is already in LAMMPS orientation, in
 * which case no arithmetic touches the numbers. Fails (AM_ERR_VALUE, message
 * with path:line) on degenerate or left-handed cells. */
am_status am_io_cell_to_box(const double cell[3][3], const double origin[3], am_box *box,
                            double rot[3][3], int *rotated, const char *path, long line);

/* Box edges and tilt factors beyond this many Å are refused: no glass
 * simulation comes near it, and a box of 1e300 Å would only turn into
 * infinities and NaN further on. */
#define AM_IO_MAX_EDGE 1e6

/* A box edge length (tilt = 0: must be > 0) or tilt factor (tilt = 1: any
 * sign) read at path:line: finite and at most AM_IO_MAX_EDGE in magnitude.
 * `what` names it in the message, e.g. "x edge (xhi - xlo)". */
am_status am_io_check_extent(double v, int tilt, const char *what, const char *path, long line);

/* The same for every edge and tilt factor of a box given at one line. */
am_status am_io_check_box_extents(const am_box *b, const char *path, long line);

/* v <- rot v for n vectors stored as three arrays. */
void am_io_rotate(const double rot[3][3], double *x, double *y, double *z, size_t n);

/* A box bound as written to a text file. Bounds are chosen so that reading
 * them back gives the box to the bit: a double when some double decodes
 * exactly, else (rarely, e.g. a tilted box far from the origin) an extended
 * precision value printed with 21 digits. Other programs read it as the
 * nearest double, which is what they would have got anyway. */
typedef struct am_io_bound {
    double d;
    long double x;
    int extended;
} am_io_bound;

#define AM_IO_BOUNDBUF 48
char *am_io_bound_format(const am_io_bound *b, char *buf);

/* Parses a bound: as a double, unless it has more than 17 significant
 * digits, which only the extended form has. Rejects what
 * am_io_parse_double rejects. */
int am_io_parse_bound(const char *tok, long double *out);

/* Data files: "lo hi xlo xhi". */
am_io_bound am_io_encode_hi(double lo, double len);
double am_io_decode_len(double lo, long double hi);

/* LAMMPS triclinic dumps store bounding-box bounds. Decoding follows the
 * LAMMPS definition; encoding picks bounds that decode exactly. */
void am_io_dump_bounds_decode(const long double blo[3], const long double bhi[3], const double tilt[3],
                              double lo[3], double len[3]);
void am_io_dump_bounds_encode(const am_box *b, am_io_bound blo[3], am_io_bound bhi[3]);

/* Extended XYZ files hold positions relative to the box corner lo, as ASE
 * (which has no cell origin) and OVITO expect them; amorph adds lo back.
 * am_io_rel_decode is that addition; am_io_rel_encode picks the text for the
 * coordinate c: the double relative value that decodes to c when there is
 * one, else the extended form when that decodes to it, else the nearest
 * double and, in *residual, what decoding it misses (exactly: decoded +
 * residual == c). The residual is 0 except for coordinates that are tiny
 * beside |lo| (about |c| < |lo| / 500), which no 64-bit mantissa can carry
 * relative to the corner. */
am_io_bound am_io_rel_encode(double c, double lo, double *residual);
double am_io_rel_decode(long double v, double lo);

#endif
