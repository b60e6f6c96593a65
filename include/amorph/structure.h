/* amorph — per-atom structural descriptors.
 *
 * Voronoi tessellation (through voro++), plain or radical (per-species
 * radii): per atom the cell volume, the Voronoi index <n3, n4, n5, ..., n10>
 * (faces by number of edges), coordination number CN (number of faces), the
 * five- and six-fold local symmetries L5FS = n5/Σn and L6FS = n6/Σn, and the
 * faces themselves and the dual tetrahedra. Steinhardt bond order (plain,
 * Voronoi-face-weighted, Lechner–Dellago averaged), the two-body excess
 * entropy S2, interstice distributions and Behler–Parrinello symmetry
 * functions. */
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
    /* the dual triangulation (Delaunay; for the radical cells the regular,
     * weighted one) around each atom, from the full cells whatever the
     * threshold: the tetrahedra (i, tri[3t], tri[3t+1], tri[3t+2]) for
     * t = tri_first[i] .. tri_first[i+1]-1, one per vertex of i's cell
     * (system atom indices, the three atoms across the faces that meet
     * there); a vertex where k > 3 faces meet (cospherical atoms, as in
     * perfect crystals) is fanned into k − 2 tetrahedra */
    size_t *tri_first;
    int *tri;
} am_voronoi;

/* Tessellates a fully periodic system (orthogonal or triclinic). Faces whose
 * area is below min_area_fraction of their cell's total face area are
 * dropped from index, CN and face lists (0 keeps all, as OVITO's default);
 * volumes always come from the full cells. */
AM_API am_status am_voronoi_compute(const am_system *s, double min_area_fraction, am_voronoi **out);
/* The radical (power, "weighted") tessellation, as OVITO's "use radii" and
 * LAMMPS `compute voronoi/atom radius`: an atom of species t has radius
 * radii[t] (Å, s->nspecies values, each in [0, 1000)), and the face between
 * atoms i and j lies on the plane where |x − r_i|² − R_i² = |x − r_j|² − R_j²,
 * perpendicular to r_ij and shifted towards the smaller atom. Only
 * differences of R² matter, so equal radii give the plain tessellation. An
 * atom whose sphere sits deep inside its neighbours' can own no space: its
 * cell is empty (volume 0, no faces) — legal, though not with sane radii.
 * radii NULL: the plain tessellation. Threshold and outputs as above. */
AM_API am_status am_voronoi_compute_radical(const am_system *s, const double *radii, double min_area_fraction,
                                            am_voronoi **out);
AM_API void am_voronoi_free(am_voronoi *v);
/* Atomic (metallic) radius of an element for the radical tessellation, Å,
 * from one cited table (src/structure/radii.c, docs/structure.md): Cu 1.28,
 * Zr 1.58, Al 1.43, Ni 1.25, ... 0 when the symbol is not tabulated. */
AM_API double am_atomic_radius(const char *symbol);

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
    AM_NB_VORONOI = 0,      /* Voronoi faces (needs the tessellation) */
    AM_NB_CUTOFF,           /* every neighbour closer than a cutoff */
    AM_NB_NEAREST,          /* the N nearest (they must lie within the cutoff) */
    AM_NB_VORONOI_WEIGHTED  /* Voronoi faces, each weighted by its area A_f / Σ A_f
                               (Mickel et al., J. Chem. Phys. 138 (2013) 044501) */
} am_nb_mode;

typedef struct am_steinhardt_options {
    am_nb_mode mode;
    const am_voronoi *voronoi; /* for AM_NB_VORONOI and AM_NB_VORONOI_WEIGHTED */
    double cutoff;             /* Å, for AM_NB_CUTOFF and AM_NB_NEAREST */
    int nearest;               /* N for AM_NB_NEAREST */
    int averaged;              /* 1: Lechner–Dellago average over the atom and its neighbours */
    double *w;                 /* optional output, n*nl like q: ŵ_l(i) = Σ_{m1+m2+m3=0} (l l l; m1 m2 m3)
                                  q_lm1 q_lm2 q_lm3 / (Σ_m |q_lm|²)^{3/2} (Wigner 3j; as LAMMPS wl/hat); NULL: none */
} am_steinhardt_options;

/* Steinhardt q_l(i) = sqrt(4π/(2l+1) Σ_m |q_lm(i)|²), q_lm(i) = Σ_j w_j Y_lm(r̂_ij),
 * for the nl degrees ls[], with w_j = 1/N_b, or with AM_NB_VORONOI_WEIGHTED
 * w_j = A_j / Σ_k A_k over the kept faces of the atom's cell (r̂_ij is the
 * face normal, plain or radical). The Lechner–Dellago average is the plain
 * mean of q_lm over the atom and its neighbours in every mode. q: n*nl
 * values, atom-major. */
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

/* Interstice distribution around each atom (Wang and Jain, Nat. Commun. 10
 * (2019) 5537, as their matminer IntersticeDistribution), with atoms as
 * spheres of radius radii[species] (Å, > 0), over the tetrahedra of the
 * tessellation's dual around atom i (am_voronoi.tri: Delaunay for plain
 * cells, the regular triangulation for radical ones):
 *   distance: r_ij / (R_i + R_j) − 1 per Voronoi neighbour j (negative where
 *             the spheres overlap);
 *   area:     1 − Σ_m (θ_m/2) R_m² / A per tetrahedron's outer triangle
 *             (the three neighbours; θ_m its angles, A its area), ≥ 0;
 *   volume:   1 − Σ_m Ω_m R_m³/3 / V per tetrahedron (its four corners;
 *             Ω_m the solid angles, V its volume), ≥ 0;
 * each summarised by mean, population standard deviation, min and max.
 * out: n·AM_INTERSTICE_NCOLS values, atom-major: out[i·12 + 4·kind + stat]
 * with kind 0 distance, 1 area, 2 volume and stat 0 mean, 1 std, 2 min,
 * 3 max (NaN for an empty cell). Neighbours are minimum images, as for
 * every Voronoi neighbour in amorph. */
#define AM_INTERSTICE_NCOLS 12
AM_API am_status am_interstices(const am_system *s, const am_voronoi *v, const double *radii, double *out);

/* Behler–Parrinello atom-centred symmetry functions (Behler and Parrinello,
 * PRL 98 (2007) 146401; Behler, J. Chem. Phys. 134 (2011) 074106), with the
 * cosine cutoff f_c(r) = ½[cos(π r/Rc) + 1] for r < Rc, 0 beyond:
 *
 *   G2_i(η, Rs; b)    = Σ_{j of species b} exp(−η (r_ij − Rs)²) f_c(r_ij)
 *   G4_i(η, ζ, λ; bc) = 2^{1−ζ} Σ_{j<k, species {b,c}} (1 + λ cos θ_jik)^ζ
 *                       · exp(−η (r_ij² + r_ik² + r_jk²)) f_c(r_ij) f_c(r_ik) f_c(r_jk)
 *
 * over every periodic image within Rc; each unordered neighbour pair {j,k}
 * counted once (half of Behler's sum over ordered pairs), pairs of species
 * (b, c) unordered (b ≤ c). */
typedef struct am_acsf_g2 {
    double eta; /* Å⁻², ≥ 0 */
    double rs;  /* Å, ≥ 0 */
} am_acsf_g2;

typedef struct am_acsf_g4 {
    double eta;  /* Å⁻², ≥ 0 */
    double zeta; /* ≥ 1 */
    int lambda;  /* +1 or −1 */
} am_acsf_g4;

typedef struct am_acsf_options {
    double cutoff; /* Rc, Å */
    const am_acsf_g2 *g2;
    int ng2;
    const am_acsf_g4 *g4;
    int ng4;
} am_acsf_options;

/* The documented default grid (docs/structure.md): Rc = 6 Å; G2 with
 * η = 4 Å⁻² at Rs = 2.5, 3.0, ..., 5.5 Å; G4 with η = 0.05 Å⁻², ζ = 1, 4 and
 * λ = ±1. The arrays are static. */
AM_API void am_acsf_defaults(am_acsf_options *o);
/* Values per atom for nspecies species: ng2·nspecies + ng4·nspecies(nspecies+1)/2. */
AM_API size_t am_acsf_count(const am_acsf_options *o, int nspecies);
/* g: n·count values, atom-major, g[i·count + c] with count = am_acsf_count():
 *   c = p·nsp + b                       G2 of parameter set p, neighbour species b;
 *   c = ng2·nsp + p·npair + pair(b, c)  G4 of parameter set p, species pair b ≤ c,
 *       pairs in the order (0,0), (0,1), ..., (0,nsp−1), (1,1), ..., npair = nsp(nsp+1)/2.
 * Results do not depend on the thread count. */
AM_API am_status am_acsf(const am_system *s, const am_acsf_options *o, double *g);

#ifdef __cplusplus
}
#endif
#endif
