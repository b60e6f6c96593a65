/* Internal: the Lennard-Jones kind, LAMMPS `pair_style lj/cut`
 * (docs/engines.md):
 *   E(r) = 4ε[(σ/r)¹² − (σ/r)⁶] − E_shift   for r < rc, 0 beyond,
 * per pair of types, E_shift = 4ε[(σ/rc)¹² − (σ/rc)⁶] with `pair_modify
 * shift yes`, else 0. Pairs without a pair_coeff line are mixed from the
 * like pairs as LAMMPS mixes them (ε = √(ε_i ε_j); σ and rc geometric or
 * arithmetic means). */
#ifndef AM_POTENTIAL_LJ_H
#define AM_POTENTIAL_LJ_H

#include "potential/engine_type.h"

/* One pair of types, in the form LAMMPS's kernel uses:
 * force/r = r⁻⁸ (lj1 r⁻⁶ − lj2), energy = r⁻⁶ (lj3 r⁻⁶ − lj4) − offset. */
typedef struct lj_pair {
    double cutsq, lj1, lj2, lj3, lj4, offset;
} lj_pair;

/* The model (am_potential.model): types are the potential's elements. */
typedef struct lj_model {
    int ntypes;
    int shift;                                       /* pair_modify shift yes */
    int arithmetic;                                  /* pair_modify mix arithmetic (else geometric) */
    double rc;                                       /* pair_style's global cutoff, σ */
    double eps[AM_MAX_SPECIES][AM_MAX_SPECIES];      /* ε (energy), symmetric, after mixing */
    double sigma[AM_MAX_SPECIES][AM_MAX_SPECIES];    /* σ (length) */
    double cut[AM_MAX_SPECIES][AM_MAX_SPECIES];      /* rc (length) */
    lj_pair pair[AM_MAX_SPECIES][AM_MAX_SPECIES];
} lj_model;

static inline const lj_model *lj_of(const am_potential *p) { return (const lj_model *)p->model; }

/* Reads an .lj file (lj_read.c) into p. */
am_status lj_read(const char *path, am_potential *p);
/* The derived kernel constants of each pair from eps, sigma, cut, shift. */
void lj_derive(lj_model *m);

#endif
