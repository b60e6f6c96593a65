/* Internal: an EAM evaluation that keeps the live part of the pair store in
 * the caches, on one thread or several.
 *
 * Pass 2 of an atom needs F'(rho) of every neighbour, so the plain two
 * passes write the whole store (20 B per pair: 40 MB at 20 000 atoms) before
 * reading it back, through DRAM once it outgrows the caches. Here the atoms
 * are swept in slabs along the box's longest axis, in blocks; a block's
 * pass 2 runs as soon as pass 1 has reached the last block holding one of
 * its neighbours, and its pairs live in a ring just large enough for the
 * blocks waiting so (the sweep's front: one cross-section of the box times
 * the list's reach). Only the blocks of the first slabs, whose periodic
 * neighbours come last, wait for the end in the full store. With several
 * threads the sweep is cut into ranges of blocks (runs of slabs), each
 * swept by one thread with a ring of its own; a block with neighbours
 * early in another range's sweep waits in its ring for that range to have
 * swept them, one with neighbours late in it (a range's first blocks,
 * next to the end of the range before) waits in the store for all ranges'
 * sweeps to end. Each
 * atom's sums are those of eam_pass_density and eam_pass_force in its own
 * list order, so the results are bit for bit those of the plain passes,
 * for any number of ranges. */
#ifndef AM_POTENTIAL_EAM_FRONT_H
#define AM_POTENTIAL_EAM_FRONT_H

#include "amorph/neighbor.h"
#include "amorph/status.h"
#include "amorph/system.h"
#include "potential/eam_kernel.h"

typedef struct eam_front eam_front;

/* A plan for the list nl (built for box) in nt ranges, each range's
 * share of the blocks in proportion to the speed its thread swept at in
 * the calls so far (equal at first): the sweep order, each block's
 * dependency and place. Call it before every run: it takes the last
 * sweeps' times, and re-plans only when the list was rebuilt since or nt
 * changed. Unless force, a plan whose rings would be too large to stay in
 * the caches stops short (eam_front_useful 0: use the plain passes). The
 * plan's copy of the lists has 16-bit entries where they fit, unless w32. */
am_status eam_front_plan(eam_front **f, const am_nlist *nl, const am_box *box, int force, int w32, int nt);
int eam_front_useful(const eam_front *f);
int eam_front_ranges(const eam_front *f);
/* The ring's placement, on its arrays (per block b of nb: ring[b] 1 if its
 * pairs go to the ring, bslots[b] the slots its pass 1 fills, hi[b] the
 * last block its pass 2 waits for; fifo: nb of scratch): the ring blocks'
 * slot[b] in a ring of rcap slots, 1, or 0 if rcap is too small.
 * eam_ring_check, for the tests: 0 if no ring block is placed over the pairs
 * of one still waiting for its pass 2 or beyond rcap, else that block + 1. */
int eam_ring_place(size_t nb, const unsigned char *ring, const size_t *bslots, const size_t *hi, size_t rcap,
                   size_t *slot, size_t *fifo);
int eam_ring_check(size_t nb, const unsigned char *ring, const size_t *bslots, const size_t *hi, size_t rcap,
                   const size_t *slot, size_t *fifo);
/* A range waiting for another's blocks must have swept, when it waits,
 * every block the others wait for of it, or two ranges could wait for
 * each other. Of nb blocks in nt ranges (range t: blocks rb[t] ..
 * rb[t + 1] - 1; rng[b] a block's range), a ring block b waits for range
 * wr[2b + k] (k = 0, 1; -1: none) to have swept wc[2b + k] of its blocks
 * when its own range has passed b and hi[b]: those that would wait before
 * their range has swept the others' needs of it (need: nt of scratch) go
 * to the store (ring 0, wr -1; their needs drop out, which only lowers the
 * others', so one pass holds). Returns how many. */
size_t eam_wait_guard(size_t nb, size_t nt, const size_t *rb, const int *rng, const size_t *hi, unsigned char *ring,
                      int *wr, const size_t *wc, size_t *need);
/* For the tests: 0 if the plan (made from nl) is sound, i.e. every ring
 * block's pass 2 comes after pass 1 of each neighbour's block (in its own
 * range once the sweep has passed hi, in another once that range has
 * swept the blocks the block waits for), no range waits for another
 * before it has swept what the others wait for of it, and no ring block's
 * pairs are placed over those of one still waiting (eam_ring_check); else
 * the first block that breaks it + 1 (-1: out of memory). */
int eam_front_check(const eam_front *f, const am_nlist *nl);
/* The plan's blocks in the store, and in a ring waiting for another range. */
void eam_front_counts(const eam_front *f, size_t *store, size_t *waiting);
void eam_front_free(eam_front *f);

/* Both passes over the local atoms of range `range` along the plan: rho,
 * the rows xf (atoms and images, eam_kernel.h), e, forces f (3 per atom)
 * and, unless v is NULL, the virial (6 per atom), as the plain passes give
 * them, except the forces and virials of the blocks that wait in the store:
 * eam_front_finish gives those once every range has run. ka as for the
 * plain passes (its pj/ps hold the store; ka->order is the plan's), except
 * that positions and species are read from xf, which must hold on entry,
 * for every entry, the row ka->xw has (x y z species): on return each
 * row's fourth double is F'. The ranges must run at once, each on a
 * thread of its own with its own scratch (eam_pass_density): a range may
 * wait for another's progress. Each run's time sizes its range at the
 * next plan. */
void eam_front_run(const eam_front *f, const eam_kargs *ka, int range, double *scratch, int *iscratch, size_t cap,
                   double *rho, double *xf, double *e, double *force, double *v);
void eam_front_finish(const eam_front *f, const eam_kargs *ka, int range, double *xf, double *force, double *v);

#endif
