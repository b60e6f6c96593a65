/* Internal: the checks every reader runs on the configuration it built, and
 * the sanity check every writer runs before creating a file. */
#ifndef AM_IO_FINISH_H
#define AM_IO_FINISH_H

#include "amorph/system.h"
#include "io/idmap.h"
#include "io/species.h"

typedef struct am_io_finish_opts {
    const char *path;
    const long *lines;   /* line of each atom in the file, or NULL */
    int unwrapped;       /* positions are unwrapped: any distance from the box is fine */
    double min_distance; /* Å; <= 0 disables the overlap check */
} am_io_finish_opts;

/* Rejects atoms more than half a box length outside a periodic face, wraps
 * the rest into the box (image flags keep unwrapped positions), then rejects
 * pairs of atoms closer than min_distance (minimum image, cell list). */
am_status am_io_finish(am_system *s, const am_io_finish_opts *o);

/* What a reader builds while it reads the atoms of a configuration. */
typedef struct am_io_atoms {
    am_system *s;
    long *lines;     /* line of each atom in the file, for messages */
    am_io_idmap ids; /* built only when the file has atom ids */
    am_io_types ty;  /* the file's atom types, which become the species */
} am_io_atoms;

/* Allocates a->s and a->lines for n atoms. On failure a keeps what was
 * allocated, for am_io_atoms_done to free. */
am_status am_io_atoms_alloc(am_io_atoms *a, long long n, int with_vel, const char *path);

/* The end of every reader, given its status st so far: if that is AM_OK,
 * makes the species from a->ty and runs am_io_finish. Frees everything a
 * holds except, on success, the system, which goes to *out. */
am_status am_io_atoms_done(am_io_atoms *a, am_status st, const char *path, int unwrapped, double min_distance,
                           am_system **out);

/* Builds the id index of s and fails, naming the lines, if an id repeats. */
am_status am_io_index_ids(am_io_idmap *m, const am_system *s, const char *path, const long *lines);

/* The overlap check on its own. */
am_status am_io_check_overlaps(const am_system *s, double dmin, const char *path, const long *lines);

/* What every writer needs: a valid box, species for every type, finite
 * coordinates, positive unique-looking ids. need_mass: species masses > 0. */
am_status am_io_check_system(const am_system *s, const char *path, int need_mass);

#endif
