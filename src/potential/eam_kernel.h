/* Internal: the two passes of an EAM evaluation over a full neighbour list.
 *
 * Pass 1 visits each atom's neighbours inside the cutoff once, reads each
 * pair's table row once, and keeps what pass 2 needs per pair (neighbour
 * index and three radial factors); pass 2, after F'(rho) is known everywhere,
 * is then a light streaming loop. F'(rho_i) is known as soon as atom i's
 * density is, so it is folded into the stored factors right away. Every atom's sums run over its own list in
 * list order, so results do not depend on how atoms are split among threads. */
#ifndef AM_POTENTIAL_EAM_KERNEL_H
#define AM_POTENTIAL_EAM_KERNEL_H

#include <stddef.h>

/* Where the tables of species pair (ti, tj) live. Grid point m is the row
 * of stride doubles at base + m*stride: for each function its value and
 * LAMMPS's slope estimate there (spline columns 6 and 5), the density at i
 * due to j at offset oj, at j due to i at oi, r*phi at 2. A pair in interval
 * m reads rows m and m+1 and rebuilds the cubic's coefficients as LAMMPS's
 * interpolate() computes them, bit for bit: half the bytes of stored
 * cubics, so more of the rows that pairs read stay in the caches. */
typedef struct eam_pairtab {
    const double *base;
    int stride, oj, oi;
} eam_pairtab;

typedef struct eam_kargs {
    const double *xw;      /* 4 per list entry: x y z species */
    const size_t *first;   /* neighbour list offsets */
    const int *nbr;
    /* the same lists as 16-bit entries (NULL: read nbr), possible while
     * every entry index is below 65536: half the bytes of the largest
     * stream of a call (12 MB of 32-bit entries at 20 000 atoms) */
    const unsigned short *nbr16;
    const size_t *gfirst;  /* neighbours grouped by species (am_nlist_group_first) */
    const eam_pairtab *pt; /* [ti*ntab + tj] */
    int ntab;              /* species of the engine's tables */
    int nsp, nr;           /* species groups in the list; table rows */
    double rdr, cutsq;
    /* embedding function: spline rows of 7 per species, grid as LAMMPS */
    const double *const *frho;
    int nrho;
    double rdrho, rhomax;
    /* The atoms a call visits: order[k] for k in k0..k1-1 (NULL: k itself). */
    const int *order;
    /* 1: nbr and gfirst hold the lists in visiting order, gfirst indexed by
     * the visit k instead of the atom (eam_front.c's copy) */
    int lists_by_visit;
    /* per pair, from offset po[i] on (a call of pass 1 packs the pairs of
     * its atoms from a given slot on, a multiple of 4; each atom's pairs
     * start at a multiple of 4): */
    size_t *po;            /* per atom: offset of its pairs */
    int *pj;               /* pj[q]: neighbour entry */
    double *ps;            /* per atom from 2 po[i] on, pairs in blocks of four: block m holds
                              a = (F'_i rho'_{j->i} + phi')/r of pairs 4m..4m+3, then
                              b = rho'_{i->j}/r of the same pairs (one array: separate
                              page-aligned arrays alias in cache; blocks: the force pass
                              loads each as it is, without shuffles) */
    int *pn;               /* pairs inside the cutoff, per atom */
    int stream;            /* 1: write ps with non-temporal stores (store larger than the caches) */
    int simd;              /* eam_kernel_simd(): 0 generic, 1 x86-64-v3, 2 x86-64-v4 */
    /* Density at each row from atoms left out of its list (NULL: none), added
     * before embedding: lets a local evaluation list only the pairs that
     * change and keep the frozen rest as a constant (eam_local.c). */
    const double *rho0;
} eam_kargs;

/* Lists with at most this many entries (atoms and images) can be read as
 * 16-bit entries (nbr16). */
#define EAM_NBR16_MAX 65536

/* A slot for the first pair of a call of pass 1 starting at atom i
 * (neighbour-list offset first) in list order, so that every call has room
 * for its atoms' lists: each atom's pairs take up to 3 slots of padding,
 * so pj and ps need room for first[n] + 3 n + 3 pairs. */
#define EAM_PAIR_START(first, i) (((first) + 3 * (size_t)(i) + 3) & ~(size_t)3)
/* Offset of the a (b: + 4) of pair k in an atom's part of ps. */
#define EAM_PS_A(k) (2 * ((size_t)(k) & ~(size_t)3) + ((size_t)(k) & 3))

/* Density, embedding energy F and F'(rho), and per-atom energy
 * F + half the pair energies, of atoms k0..k1-1 (a->order); stores their
 * pairs from slot q0 on (a multiple of 4), each atom's at most the length
 * of its list rounded up to 4, and each atom's row of xf: x y z (Å, its
 * row of a->xw) and F'(rho) (eV per density unit), 4 doubles per list
 * entry. scratch (3*cap doubles) and iscratch (cap ints) are the calling
 * thread's own; cap is at least the length of the longest neighbour list
 * plus 8 (the last lanes of a vector). xf may be a->xw itself (the rows
 * then only gain F'). */
void eam_pass_density(const eam_kargs *a, size_t k0, size_t k1, size_t q0, double *scratch, int *iscratch,
                      size_t cap, double *rho, double *xf, double *e);
/* An image's row of xf: its position (row q of xw) and its atom's F'. */
static inline void eam_image_row(double *xf, const double *xw, size_t q, size_t atom)
{
    xf[4 * q] = xw[4 * q];
    xf[4 * q + 1] = xw[4 * q + 1];
    xf[4 * q + 2] = xw[4 * q + 2];
    xf[4 * q + 3] = xf[4 * atom + 3];
}
/* Forces and, unless v is NULL, per-atom virial (6 per atom, half of each
 * pair's) of atoms k0..k1-1 (a->order) from the rows xf of every list entry
 * (atoms' by pass 1, images' by eam_image_row): position and F' in one
 * 32-byte row, one load per neighbour. */
void eam_pass_force(const eam_kargs *a, size_t k0, size_t k1, const double *xf, double *f, double *v);

/* The kernel this CPU runs: 2 the x86-64-v4 (AVX-512) one, 1 the
 * x86-64-v3 (AVX2, FMA) one, 0 the generic one; AMORPH_NO_SIMD=1 forces 0
 * and AMORPH_NO_AVX512=1 at most 1. */
int eam_kernel_simd(void);

#endif
