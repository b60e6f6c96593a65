/* amorph — reading and writing configurations and per-atom tables.
 *
 * Formats: LAMMPS data files (atom_style atomic), LAMMPS text dumps, extended
 * XYZ. Readers report bad input as AM_ERR_PARSE / AM_ERR_VALUE with a message
 * "file:line: what was expected". Writers replace files atomically (write to a
 * temporary file in the same directory, then rename). */
#ifndef AMORPH_IO_H
#define AMORPH_IO_H

#include "amorph/system.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum am_format {
    AM_FMT_AUTO = 0,     /* from the extension: .data .lmp | .dump .lammpstrj | .xyz .extxyz */
    AM_FMT_LAMMPS_DATA,
    AM_FMT_LAMMPS_DUMP,
    AM_FMT_EXTXYZ
} am_format;

typedef struct am_read_options {
    am_format format;
    /* Comma-separated species names for LAMMPS types 1, 2, ... (e.g. "Cu,Zr").
     * NULL: from type labels if the file has them, else from the masses
     * (matched against standard atomic masses within 0.05 amu). */
    const char *species;
    /* Frame to read from multi-frame files: 0 = first, -1 = last. */
    long frame;
    /* Minimum allowed interatomic distance, Å (default used when 0: 0.5).
     * Negative disables the check. */
    double min_distance;
    /* Nonzero: use `species` even where the file's type labels, Masses
     * comments or masses say otherwise (by default that is an error). */
    int force_species;
} am_read_options;

/* Format from a name ("data", "dump", "xyz", "extxyz", "lmp") or extension. */
AM_API am_status am_format_parse(const char *name, am_format *out);
AM_API am_format am_format_from_path(const char *path);

/* Reads one configuration. opt may be NULL for defaults. */
AM_API am_status am_read(const char *path, const am_read_options *opt, am_system **out);

/* Writes a configuration (positions, types, ids, image flags, velocities if present). */
AM_API am_status am_write(const char *path, am_format format, const am_system *s);

/* Appends one frame (timestep `step`) to a LAMMPS text dump trajectory,
 * creating the file if needed. */
AM_API am_status am_dump_append(const char *path, const am_system *s, long step);

/* One named per-atom column for tables written alongside a configuration.
 * Names follow ASE and OVITO: letters, digits and '_' (no '.', which OVITO
 * expressions cannot take; amorph writes 4.5 in a name as 4p5), e.g.
 * "energies" (eV) and "forces" (eV/Å) as ASE's calculator results. */
typedef struct am_column {
    const char *name;      /* column name, e.g. "energies", "forces" */
    int ncomp;             /* components per atom (1 or 3, ...) */
    const double *real;    /* n*ncomp values, atom-major; or NULL */
    const long long *ints; /* n*ncomp integer values; used when real == NULL */
} am_column;

/* ASE's unit of time, Å sqrt(amu/eV), in ps (CODATA 2014, ASE's default):
 * ASE velocity = amorph velocity (Å/ps) * AM_ASE_TIME_UNIT_PS. */
#define AM_ASE_TIME_UNIT_PS 0.010180505671156723

/* Writes an extended XYZ file with species, positions, id and extra columns;
 * `info` (may be NULL) is appended to the comment line as key=value pairs
 * (ASE reads energy=E, eV, and stress="9 numbers", eV/Å³, as its results).
 * As ASE and OVITO expect:
 *   - positions are relative to the box corner lo, so the atoms lie in a
 *     cell that starts at 0; the comment line's box_lo="x y z" gives lo, and
 *     amorph's reader adds it back to the bit (a column pos_residual, R:3,
 *     carries what the shifted numbers cannot, for the rare coordinates much
 *     smaller than |lo|; others may ignore it). No Origin is written.
 *   - velocities, when the system has them, are velo (Å/ps, OVITO's name),
 *     momenta (amu Å per ASE time unit: mass * v * AM_ASE_TIME_UNIT_PS) and
 *     masses (amu), so ASE's get_velocities() is v * AM_ASE_TIME_UNIT_PS. */
AM_API am_status am_write_extxyz(const char *path, const am_system *s, const am_column *cols,
                          int ncols, const char *info);

/* Writes a LAMMPS text dump (one frame, timestep `step`) of the configuration
 * with the columns: ITEM: ATOMS id type x y z ix iy iz [vx vy vz] element,
 * then each column, k components as name_1 .. name_k, except forces (3
 * components), which are LAMMPS's fx fy fz for read_dump and rerun. Names
 * must be letters, digits and '_'. Triclinic boxes get LAMMPS's bounding-box
 * bounds with xy xz yz. am_read reads the file back. */
AM_API am_status am_write_dump_table(const char *path, const am_system *s, const am_column *cols, int ncols,
                              long step);

/* Writes the same per-atom table as CSV: a header line "id,species,x,y,z,..."
 * (a column of k components becomes name_1 .. name_k), one row per atom. */
AM_API am_status am_write_csv(const char *path, const am_system *s, const am_column *cols, int ncols);

/* A per-atom table read back: the numeric columns of an extended XYZ file
 * other than the configuration's own (species, pos, id, velo, momenta,
 * masses, pos_residual). The reader takes velocities from velo, or from
 * momenta and masses (ASE) when there is no velo or velo disagrees with
 * momenta (ASE changed them); positions are absolute when the file has no
 * box_lo (Origin, as OVITO writes it, is then the box corner).
 * Integer and logical (0/1) columns become reals. */
typedef struct am_table_column {
    char name[64];
    int ncomp;          /* components per atom */
    double *v;          /* n*ncomp values, atom-major, in the system's atom order */
} am_table_column;

typedef struct am_table {
    size_t n;           /* atoms */
    int ncols;
    am_table_column *col;
    char units[16];     /* the comment line's units=STYLE (the LAMMPS unit style amorph's verbs
                         * write), or "" when it has none */
} am_table;

/* Columns of amorph's tables that are not structural descriptors (the
 * property, its counts, the configuration's own), as patterns with a
 * trailing * for any ending: what amorph analyze and amorph learn leave out
 * by default. */
#define AM_TABLE_NOT_DESCRIPTORS "ea_*,searches,hopped_*,forces,velo,velocities,momenta"

/* Reads a configuration and its columns (extended XYZ; other formats give
 * a table without columns). */
AM_API am_status am_read_table(const char *path, const am_read_options *opt, am_system **sys, am_table **table);
AM_API void am_table_free(am_table *t);
/* Index of the column called name, or -1. */
AM_API int am_table_find(const am_table *t, const char *name);
/* Appends the columns of table u (of system su, read from upath) to t (of
 * system s), matching atoms by id. Every atom of s must be in su, and a
 * column name may not appear in both (AM_ERR_VALUE naming upath). */
AM_API am_status am_table_join(am_table *t, const am_system *s, const am_table *u, const am_system *su, const char *upath);

/* Standard atomic mass (amu) of an element symbol, or 0 if unknown. */
AM_API double am_element_mass(const char *symbol);
/* Element whose standard mass is within tol amu of m, or NULL. */
AM_API const char *am_element_from_mass(double m, double tol);

#ifdef __cplusplus
}
#endif
#endif
