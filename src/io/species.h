/* Internal: turning per-type names and masses gathered by a reader into the
 * system's species list, and parsing "Cu,Zr" species lists. */
#ifndef AM_IO_SPECIES_H
#define AM_IO_SPECIES_H

#include "amorph/io.h"
#include "amorph/system.h"

/* What a reader learned about its atom types 1..ntypes (index t-1). */
typedef struct am_io_types {
    int ntypes;
    char name[AM_MAX_SPECIES][AM_NAME_LEN]; /* "" when not known */
    double mass[AM_MAX_SPECIES];            /* 0 when the file gives none */
    int used[AM_MAX_SPECIES];               /* types that become species */
    /* Names the file itself gives (type label, Masses comment), "" when none,
     * kept to check a user's species list against them. */
    char file_name[AM_MAX_SPECIES][AM_NAME_LEN];
    int listed;                             /* name[] comes from the user's list */
    int force;                              /* trust the list over the file */
} am_io_types;

/* A species name is a letter or underscore followed by letters, digits and
 * _ . + - that fits am_species.name. */
int am_io_species_name_ok(const char *name);

/* Splits "Cu,Zr" (spaces around names allowed) into names[0..*count-1]. */
am_status am_io_species_list(const char *list, char names[AM_MAX_SPECIES][AM_NAME_LEN],
                             int *count, const char *path);

/* Starts t from the list opt->species such as "Cu,Zr": type k + 1 is the k-th
 * name, and *count is the number of names. */
am_status am_io_types_from_list(am_io_types *t, const am_read_options *opt, int *count, const char *path);

/* A species list is a claim about the file: it must not contradict the names
 * the file gives its types, nor their masses (a named element whose standard
 * mass is more than 0.05 amu from the file's), unless t->force. */
am_status am_io_species_check(const am_io_types *t, const char *path);

/* Fills s->species from the used types (in type order; types with the same
 * name share one species) and rewrites s->type from "LAMMPS type - 1" to the
 * species index. Masses come from the file, else from the element table.
 * Errors name the file and tell the user to pass species names. */
am_status am_io_species_assign(am_system *s, const am_io_types *t, const char *path);

#endif
