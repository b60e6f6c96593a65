/* Internal: the two passes of an EAM evaluation over a full neighbour list.
 *
 * Pass 1 visits each atom's neighbours inside the cutoff once, reads each
 * pair's table row once, and keeps what pass 2 needs per pair (neighbour
 * index and three radial factors); pass 2, after F'(rho) is known everywhere,
 * is then a light streaming loop. Every atom's sums run over its own list in
 * list order, so results do not depend on how atoms are split among threads. */
#ifndef AM_POTENTIAL_EAM_KERNEL_H
#define AM_POTENTIAL_EAM_KERNEL_H

#include <stddef.h>

/* Where the cubic pieces of species pair (ti, tj) live: row m of the pair's
 * table starts at base + m*stride; the density at i due to j is the cubic at
 * offset oj, the density at j due to i at oi, and r*phi at offset 4. */
typedef struct eam_pairtab {
    const double *base;
    int stride, oj, oi;
} eam_pairtab;

typedef struct eam_kargs {
    const double *xw;      /* 4 per list entry: x y z species */
    const size_t *first;   /* neighbour list offsets */
    const int *nbr;
    const size_t *gfirst;  /* neighbours grouped by species (am_nlist_group_first) */
    const eam_pairtab *pt; /* [ti*ntab + tj] */
    int ntab;              /* species of the engine's tables */
    int nsp, nr;           /* species groups in the list; table rows */
    double rdr, cutsq;
    /* per pair, at the atom's neighbour-list offset: */
    int *pj;               /* neighbour entry */
    double *pa, *pb, *pc;  /* rho'_{j->i}/r, rho'_{i->j}/r, phi'/r */
    int *pn;               /* pairs inside the cutoff, per atom */
} eam_kargs;

/* Density and half the pair energy of atoms i0..i1-1; fills the pair store. */
void eam_pass_density(const eam_kargs *a, size_t i0, size_t i1, double *rho, double *ephi);
/* Forces and per-atom virial (6 per atom, half of each pair's) from F'(rho)
 * of every list entry. */
void eam_pass_force(const eam_kargs *a, size_t i0, size_t i1, const double *fp, double *f, double *v);

#endif
