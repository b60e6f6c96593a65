/* amorph — periodic box and atomic configuration.
 *
 * Units are those of the potential the system is used with: LAMMPS "metal"
 * (Å, ps, amu, eV; written below) or "lj" (σ, τ, m, ε). */
#ifndef AMORPH_SYSTEM_H
#define AMORPH_SYSTEM_H

#include <stddef.h>
#include <stdint.h>
#include "amorph/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Simulation cell in the LAMMPS convention: edge vectors
 *   a = (lx, 0, 0),  b = (xy, ly, 0),  c = (xz, yz, lz)
 * anchored at lo. Orthogonal boxes have xy = xz = yz = 0.
 * A point r has fractional coordinates s with r = lo + s0 a + s1 b + s2 c. */
typedef struct am_box {
    double lo[3];     /* Å */
    double len[3];    /* lx, ly, lz, Å, > 0 */
    double tilt[3];   /* xy, xz, yz, Å */
    int periodic[3];  /* 1 = periodic along a, b, c */
} am_box;

AM_API double am_box_volume(const am_box *b);                          /* Å³ */
AM_API int am_box_is_triclinic(const am_box *b);
AM_API void am_box_to_frac(const am_box *b, const double r[3], double s[3]);
AM_API void am_box_from_frac(const am_box *b, const double s[3], double r[3]);
/* Replaces the separation d (Å) by its nearest periodic image (lattice
 * images along periodic directions, rounded in fractional coordinates). */
AM_API void am_box_min_image(const am_box *b, double d[3]);
/* Perpendicular distance between opposite faces, per cell direction (Å). */
AM_API void am_box_widths(const am_box *b, double w[3]);
/* Checks lengths are positive and finite and tilts finite. */
AM_API am_status am_box_check(const am_box *b);

/* The constants that relate the units (k_B, mass·velocity² to energy) are
 * the potential's: am_units (potential.h). */

#define AM_MAX_SPECIES 16
#define AM_NAME_LEN 16

typedef struct am_species {
    char name[AM_NAME_LEN]; /* element symbol, e.g. "Cu" */
    double mass;            /* amu; 0 when not known yet */
} am_species;

/* N atoms, structure-of-arrays. Every array has length n unless noted.
 * All arrays are owned by the system and released by am_system_free(). */
typedef struct am_system {
    size_t n;
    double *x, *y, *z;      /* positions, Å */
    double *vx, *vy, *vz;   /* velocities, Å/ps; NULL when the system has none */
    int *type;              /* species index, 0 .. nspecies-1 */
    long long *id;          /* atom ids (LAMMPS tags), unique, > 0 */
    int *image;             /* image flags, 3 per atom (ix iy iz), length 3n */
    int nspecies;
    am_species species[AM_MAX_SPECIES];
    am_box box;
} am_system;

/* Allocates a system of n atoms with zeroed arrays, ids 1..n, no species. */
AM_API am_status am_system_alloc(size_t n, int with_velocities, am_system **out);
AM_API am_status am_system_copy(const am_system *src, am_system **out);
AM_API void am_system_free(am_system *s);
/* Adds zeroed velocity arrays if absent. */
AM_API am_status am_system_add_velocities(am_system *s);
/* Index of species `name`, or -1. */
AM_API int am_system_species_index(const am_system *s, const char *name);
/* Maps atoms back into the box along periodic directions, updating image flags. */
AM_API void am_system_wrap(am_system *s);
/* Total mass in amu (requires known masses). */
AM_API double am_system_mass(const am_system *s);
/* 64-bit hash of the configuration: atom count, and per atom (in order) id,
 * type and the bit patterns of its position; the box; the species' names and
 * masses. Velocities and image flags are left out. Checkpoints and event logs
 * store it so that a rerun on another configuration (even one with the same
 * atom ids) is refused instead of continuing the old one. */
AM_API uint64_t am_system_hash(const am_system *s);

#ifdef __cplusplus
}
#endif
#endif
