/* Internal: the factored Hessian's storage, shared by the products and the
 * sparse assembly. */
#ifndef AM_VIBRATION_HESSIAN_INTERNAL_H
#define AM_VIBRATION_HESSIAN_INTERNAL_H

#include "amorph/vibration.h"
#include "amorph/potential.h"

struct am_hessian {
    size_t n;        /* atoms; rows are kept in neighbour-list order e */
    int *atom;       /* system index of row e */
    size_t *first;   /* row e's entries: q = first[e] .. first[e+1]-1 */
    int *col;        /* system index of the neighbour (images folded onto their atom) */
    double *blk;     /* 9 per entry: block (i, col) of the pair-range part, row-major */
    double *u;       /* 3 per entry: f'_{i←j} r̂_ij (v_i's entry at j is −u) */
    double *w;       /* 3 per entry: f'_{j←i} r̂_ij (v_j's entry at i is +w) */
    double *diag;    /* 9 per atom (system index): block (i, i) of the pair-range part */
    double *vself;   /* 3 per atom: v_i's entry at i, Σ_j u_ij */
    double *fpp;     /* F''(ρ_i) per atom, eV·Å⁶ (ρ in Å⁻³-like table units) */
};

/* Y = H X for nv vectors at once, interleaved: entry (3i + a) of vector v at
 * X[(3i + a) nv + v]. The Hessian is read once for all of them (the
 * single-vector product is bound by reading it). work: n nv doubles. */
void am_hessian_apply_block(const am_hessian *h, int nv, const double *X, double *Y, double *work);

/* The Hessian by central differences of the forces of p's engine, for kinds
 * without a pair-and-embedding form (am_hessian_create calls it; tests call
 * it for any kind). Only blocks are kept (u, w, vself, fpp zero). The step
 * and its error: hessian_fd.c. */
am_status am_hessian_create_fd(const am_potential *p, am_system *s, am_hessian **out);
/* Its step: AM_HESSIAN_FD_STEP times the potential's cutoff (length unit). */
#define AM_HESSIAN_FD_STEP 3e-8

#endif
