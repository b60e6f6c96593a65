/* Internal: the EAM engine's one pass (eam_pass_one) over chunks of atoms
 * fixed by the box's geometry.
 *
 * The one pass scatters each atom's embedding pull to its neighbours as
 * soon as its density is summed, so no per-pair store is written and read
 * back (the two passes' 20 B per pair). Scattered sums must be added in an
 * order that no thread count changes: the atoms, in list order layers
 * across the box's widest direction (am_nlist_layers), are cut into chunks
 * of at least the list's reach in layers, so a chunk's atoms list only
 * entries of its own chunk and of the chunks on either side. Each chunk
 * scatters into rows of its own; an atom's force is then its own sum, plus
 * what its chunk and the neighbouring chunks scattered to it and to its
 * images, chunk by chunk in chunk order. The chunks depend on the list
 * alone, so the numbers are the same on any number of threads, and the
 * threads write no common row. */
#ifndef AM_POTENTIAL_EAM_CHUNKS_H
#define AM_POTENTIAL_EAM_CHUNKS_H

#include "amorph/neighbor.h"
#include "amorph/status.h"
#include "potential/eam_kernel.h"

typedef struct eam_chunks eam_chunks;

/* Fewest chunks for which the one pass is used: fewer (a box narrower than
 * this many reaches) leave two threads too unequal a share, and the two
 * passes, which split the atoms in small blocks, serve better. */
#define EAM_CHUNKS_MIN 8

/* Plans the chunks for the list nl (again only after a rebuild) and sets
 * *use to 1 if the one pass runs: with EAM_CHUNKS_MIN chunks or more, or
 * with any number if force (the tests: the one pass on small boxes too).
 * vmode as for eam_pass_one (rows for the received virials with 2). */
am_status eam_chunks_plan(eam_chunks **ch, const am_nlist *nl, int vmode, int force, int *use);

/* The one pass over all atoms, on the calling team's threads: rho, e, f (3
 * per atom, complete) and, with vmode, v (6 per atom, as eam_pass_one
 * leaves it with the received halves added for vmode 2), all in list
 * order. tscratch and tiscratch hold each thread's scratch (3 tcap + 8
 * doubles, 2 (tcap + 16) ints per thread). */
void eam_chunks_run(eam_chunks *ch, const eam_kargs *ka, double *tscratch, int *tiscratch, size_t tcap,
                    double *rho, double *e, double *f, double *v, int vmode);

void eam_chunks_free(eam_chunks *ch);

#endif
