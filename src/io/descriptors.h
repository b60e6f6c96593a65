/* Internal: the descriptors of a per-atom table and its property, picked the
 * same way by every verb that studies them (amorph analyze, amorph learn). */
#ifndef AM_IO_DESCRIPTORS_H
#define AM_IO_DESCRIPTORS_H

#include "amorph/io.h"

#include <stddef.h>

#define AM_IO_DESC_LEN 80

/* One scalar descriptor: component `comp` of table column `col`. */
typedef struct am_io_desc {
    char name[AM_IO_DESC_LEN];
    int col, comp;
} am_io_desc;

/* Is name matched by the comma-separated patterns (a trailing '*' matches
 * any ending)? */
int am_io_name_matches(const char *name, const char *list);

/* Name of component k of a column: the column's own name when it has one
 * component, Voronoi index counts n3..n10, vMSD components vmsd_T (|Δr|²)
 * and vmsd_T_x/_y/_z, otherwise name_1, name_2, ... */
void am_io_comp_name(const am_table_column *col, int k, char *out, size_t len);

/* The scalar descriptors of t in column order, leaving out column `skip`
 * (the property; may be NULL): those whose column or component name
 * matches `only`, or when only is NULL every one matched by neither name in
 * `exclude`. *out is malloc'ed (free it), possibly with *nout = 0. */
am_status am_io_table_descriptors(const am_table *t, const char *only, const char *exclude, const char *skip,
                                  am_io_desc **out, int *nout);

/* Finds the descriptor called name (a component name as above); 1 when found. */
int am_io_table_component(const am_table *t, const char *name, am_io_desc *out);

/* Values of descriptor d for every atom (v: t->n values). */
void am_io_desc_values(const am_table *t, const am_io_desc *d, double *v);

/* The property column `name` (first component) into p (t->n values, NaN
 * where unknown) and ok (1 where known): finite, and nonzero in column
 * `valid` when given; with valid NULL, a property named ea_* takes ea_count
 * (ARTn's tables write -1 for atoms without an event). AM_ERR_VALUE naming
 * a missing column. */
am_status am_io_table_property(const am_table *t, const char *name, const char *valid, double *p, unsigned char *ok);

#endif
