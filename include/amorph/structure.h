/* amorph — per-atom structural descriptors.
 *
 * Voronoi tessellation (through voro++): per atom the cell volume, the
 * Voronoi index <n3, n4, n5, ..., n10> (faces by number of edges),
 * coordination number CN (number of faces), the five- and six-fold local
 * symmetries L5FS = n5/Σn and L6FS = n6/Σn, and the faces themselves. */
#ifndef AMORPH_STRUCTURE_H
#define AMORPH_STRUCTURE_H

#include "amorph/system.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_VORO_MAXORDER 10 /* faces with more edges are counted as 10-edged */

typedef struct am_voronoi {
    size_t n;
    double *volume;   /* Å³ per atom; the volumes sum to the cell's */
    int *cn;          /* faces kept per atom */
    int *index;       /* 8 per atom: n3, n4, ..., n10 */
    double *l5fs, *l6fs;
    /* kept faces of atom i: k = first[i] .. first[i+1]-1; neighbor[k] is a
     * system atom index, area[k] in Å², order[k] edges */
    size_t *first;
    int *neighbor, *order;
    double *area;
} am_voronoi;

/* Tessellates a fully periodic system (orthogonal or triclinic). Faces whose
 * area is below min_area_fraction of their cell's total face area are
 * dropped from index, CN and face lists (0 keeps all, as OVITO's default);
 * volumes always come from the full cells. */
AM_API am_status am_voronoi_compute(const am_system *s, double min_area_fraction, am_voronoi **out);
AM_API void am_voronoi_free(am_voronoi *v);

/* How often each Voronoi polyhedron occurs among the atoms of one species
 * (or all atoms), and the Shannon entropy of that population. */
typedef struct am_vpop_entry {
    int index[8];    /* n3 .. n10 */
    size_t count;
    double fraction; /* count / natoms */
} am_vpop_entry;

typedef struct am_vpop {
    int species;          /* species index, or -1 for all atoms */
    size_t natoms;        /* atoms counted */
    size_t n;             /* distinct polyhedra */
    am_vpop_entry *entry; /* most frequent first; equal counts in index order */
    double entropy;       /* H = -Σ P ln P over the polyhedra, nats; e^H is the diversity */
} am_vpop;

AM_API am_status am_voronoi_population(const am_system *s, const am_voronoi *v, int species, am_vpop **out);
AM_API void am_vpop_free(am_vpop *p);

/* Neighbours for bond-orientational order. */
typedef enum am_nb_mode {
    AM_NB_VORONOI = 0, /* Voronoi faces (needs the tessellation) */
    AM_NB_CUTOFF,      /* every neighbour closer than a cutoff */
    AM_NB_NEAREST      /* the N nearest (they must lie within the cutoff) */
} am_nb_mode;

typedef struct am_steinhardt_options {
    am_nb_mode mode;
    const am_voronoi *voronoi; /* for AM_NB_VORONOI */
    double cutoff;             /* Å, for AM_NB_CUTOFF and AM_NB_NEAREST */
    int nearest;               /* N for AM_NB_NEAREST */
    int averaged;              /* 1: Lechner–Dellago average over the atom and its neighbours */
    double *w;                 /* optional output, n*nl like q: ŵ_l(i) = Σ_{m1+m2+m3=0} (l l l; m1 m2 m3)
                                  q_lm1 q_lm2 q_lm3 / (Σ_m |q_lm|²)^{3/2} (Wigner 3j; as LAMMPS wl/hat); NULL: none */
} am_steinhardt_options;

/* Steinhardt q_l(i) = sqrt(4π/(2l+1) Σ_m |q_lm(i)|²), q_lm(i) = (1/N_b) Σ_j Y_lm(r̂_ij),
 * for the nl degrees ls[]. q: n*nl values, atom-major. */
AM_API am_status am_steinhardt(const am_system *s, const am_steinhardt_options *o, const int *ls, int nl, double *q);

/* Two-body excess entropy S2 per atom (the paper's Eq. 1), in k_B.
 *
 * Default (multi-component): for atom i and each species v,
 *   g_i^v(r) = Σ_{j∈v} G_σ(r − r_ij) / (4π ρ_v r²),  ρ_v = N_v / V,
 *   S2,i = −2π Σ_v ρ_v ∫_0^{rc} [g ln g − g + 1] r² dr,
 * with G_σ the normalised Gaussian (truncated at ±6σ), g on a grid of
 * spacing dr from r = 0, the trapezoid rule, and every cutoff of the list
 * from one pass (a cutoff between grid points closes with a linear piece).
 *
 * AM_S2_LAMMPS: LAMMPS `compute entropy/atom sigma rc` operation for
 * operation (one species, global density N/V, grid spacing σ, kernel on
 * the 3 grid points either side of the pair's, neighbours closer than rc,
 * g < 1e-10 taken as 0); each cutoff is its own compute. */
typedef enum am_s2_mode { AM_S2_MULTI = 0, AM_S2_LAMMPS } am_s2_mode;

typedef struct am_s2_options {
    am_s2_mode mode;
    double sigma;          /* Å, Gaussian width (SPEC default 0.2) */
    double dr;             /* Å, grid spacing (0: σ/4); AM_S2_LAMMPS always uses σ */
    const double *cutoffs; /* Å, ncut integration limits rc (any order) */
    int ncut;
} am_s2_options;

/* s2: n*ncut per-atom values, atom-major (s2[i*ncut + c]).
 * partial (may be NULL; AM_S2_MULTI only): n*ncut*nspecies, the term of
 *   each neighbour species v, partial[(i*ncut + c)*nspecies + v].
 * system (may be NULL; AM_S2_MULTI only): ncut values of the sample's S2
 *   from the atom-averaged partial g_ab(r):
 *   S2 = −2π ρ Σ_ab x_a x_b ∫_0^{rc} [g_ab ln g_ab − g_ab + 1] r² dr.
 * Results do not depend on the thread count. */
AM_API am_status am_s2(const am_system *s, const am_s2_options *o, double *s2, double *partial, double *system);

#ifdef __cplusplus
}
#endif
#endif
