/* amorph — periodic neighbour lists.
 *
 * Ghost images of atoms near periodic faces are generated explicitly, so one
 * list handles orthogonal and triclinic boxes and boxes smaller than twice the
 * cutoff (an atom may then see several images of the same neighbour, and
 * images of itself). Lists are "full": every pair appears for both atoms,
 * which lets each atom accumulate its own sums without write conflicts and
 * makes threaded results independent of the thread count. */
#ifndef AMORPH_NEIGHBOR_H
#define AMORPH_NEIGHBOR_H

#include "amorph/system.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct am_nlist am_nlist;

/* Pairs closer than cutoff + skin are listed (Å). */
AM_API am_status am_nlist_create(double cutoff, double skin, am_nlist **out);
AM_API void am_nlist_free(am_nlist *nl);

/* Brings the list up to date with s. Rebuilds when an atom has moved more
 * than skin/2 since the last build, or the box or atom count changed;
 * otherwise only refreshes image positions. Returns 1 in *rebuilt when it
 * rebuilt (rebuilt may be NULL). */
AM_API am_status am_nlist_update(am_nlist *nl, const am_system *s, int *rebuilt);

/* Read access, valid until the next update. Indices below nlocal are atoms
 * (in the list's own spatially sorted order), others are periodic images.
 * Positions are packed 4 per entry: x, y, z (Å) and the species index as a
 * double. */
AM_API size_t am_nlist_nlocal(const am_nlist *nl);
AM_API size_t am_nlist_nall(const am_nlist *nl);
AM_API const double *am_nlist_positions(const am_nlist *nl);
/* System index of list entry k (atom or image). */
AM_API const int *am_nlist_atom_index(const am_nlist *nl);
/* List index (< nlocal) of the atom that entry k is an image of (k itself for atoms). */
AM_API const int *am_nlist_owner(const am_nlist *nl);
/* Neighbours of entry i < nlocal: nbr[first[i] .. first[i+1]-1]. */
AM_API const size_t *am_nlist_first(const am_nlist *nl);
AM_API const int *am_nlist_neighbors(const am_nlist *nl);
/* Each atom's neighbours are grouped by species, each group in index order:
 * the neighbours of species b of entry i are nbr[g[i*nsp+b] .. g[i*nsp+b+1]-1]
 * with g = am_nlist_group_first() and nsp = am_nlist_nspecies(). */
AM_API const size_t *am_nlist_group_first(const am_nlist *nl);
AM_API int am_nlist_nspecies(const am_nlist *nl);
AM_API long am_nlist_nbuilds(const am_nlist *nl);
/* Forces a rebuild at the next update. A list's order of neighbours depends
 * on when it was built; rebuilding at a checkpoint makes a resumed run sum
 * forces in the same order as an uninterrupted one. */
AM_API void am_nlist_invalidate(am_nlist *nl);

#ifdef __cplusplus
}
#endif
#endif
