/* amorph — harmonic vibrations: the Hessian and normal modes.
 *
 * Vectors over the atoms are 3n doubles, atom-major (x0 y0 z0 x1 ...), in
 * the system's atom order. The Hessian H = ∂²E/∂x∂x (eV/Å²) of
 *   E = Σ_i F_i(ρ_i) + ½ Σ_{i≠j} φ(r_ij),  ρ_i = Σ_j f_{i←j}(r_ij)
 * is the sum of a pair-range part (3x3 blocks between atoms within the
 * cutoff) and Σ_i F''_i v_i v_iᵀ with v_i = ∂ρ_i/∂x, which couples atoms up
 * to twice the cutoff apart; it is kept in that factored form, so storage
 * and H·x cost O(n × neighbours). Pair potentials are the case F = 0 (no
 * second part). Kinds of potential that cannot be written so get the
 * Hessian by central differences of their forces (docs/engines.md). Units
 * are the potential's (eV/Å² in metal). */
#ifndef AMORPH_VIBRATION_H
#define AMORPH_VIBRATION_H

#include "amorph/dynamics.h"
#include "amorph/potential.h"
#include "amorph/structure.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct am_hessian am_hessian;

/* The Hessian at s's positions (s's species must be in the potential; masses
 * missing from s are taken from it): analytic when the potential's kind has
 * the pair-and-embedding form (EAM, Lennard-Jones), else by differences of
 * forces (6n evaluations of the system). */
AM_API am_status am_hessian_create(const am_potential *p, am_system *s, am_hessian **out);
AM_API void am_hessian_free(am_hessian *h);
AM_API size_t am_hessian_n(const am_hessian *h); /* atoms */

/* y = H x (eV/Å² · Å = eV/Å). Threaded; the result does not depend on the
 * thread count. */
AM_API void am_hessian_apply(const am_hessian *h, const double *x, double *y);

/* The full 3n x 3n matrix, row-major, into H (caller-owned, 9n² doubles):
 * for small systems and checks. */
AM_API am_status am_hessian_dense(const am_hessian *h, double *H);

/* sqrt(eV/(Å² amu)) in THz (cycles per ps): ν = sqrt(λ)·AM_THZ_PER_SQRT_EV_A2_AMU
 * for an eigenvalue λ of the mass-weighted Hessian in metal units, i.e.
 * sqrt(1/mvv2e)/2π with LAMMPS's mvv2e; am_units_frequency for any units. */
#define AM_THZ_PER_SQRT_EV_A2_AMU 15.6333047

/* Precision of the sparse solver's factorisation. Single (am_modes_sparse's
 * choice) takes half the memory and about half the factorisation's time; each
 * solve is then refined against the exact D to a relative residual of 1e-8,
 * which leaves eigenvalues at round-off and participations within ~1e-9
 * (relative) of a double-precision factor's (docs/vibration.md). Where a
 * trial solve shows the single-precision factor too coarse for the matrix
 * (relative residual above 1e-3: a shift very close to an eigenvalue, an
 * ill-conditioned Hessian), or it fails, the matrix is factored again in
 * double precision; am_modes.factor says which was used. */
typedef enum am_factor_precision { AM_FACTOR_SINGLE = 0, AM_FACTOR_DOUBLE = 1 } am_factor_precision;

/* Normal modes of the mass-weighted Hessian D = M^{-1/2} H M^{-1/2} (masses in
 * amu; unit masses give the modes of H itself, eigenvalues in eV/Å²), lowest first.
 * lambda: nmodes eigenvalues, eV/(Å² amu) (negative at a saddle);
 * vec: nmodes vectors of 3n (may be NULL), each normalised over all atoms
 *      (Σ_i |e^i|² = 1), mode-major. */
typedef struct am_modes {
    size_t n;      /* atoms */
    int nmodes;
    double *lambda;
    double *vec;
    am_factor_precision factor; /* the factorisation the sparse solver used (double for the dense one) */
} am_modes;

/* The lowest nmodes modes by dense LAPACK (dsyevr): exact, O((3n)³), for
 * systems up to a few thousand atoms. mass: n values, amu (NULL: unit masses). */
AM_API am_status am_modes_dense(const am_hessian *h, const double *mass, int nmodes, int want_vectors, am_modes **out);
/* Per-atom masses (amu) of s's species, into mass (n values). */
AM_API void am_system_masses(const am_system *s, double *mass);
AM_API void am_modes_free(am_modes *m);

/* The lowest nmodes modes of a large system: block shift-invert Lanczos on
 * D − σI, solved through an augmented system with one more unknown per atom
 * whose couplings stay within the cutoff (sparse LDLᵀ on CHOLMOD's ordering
 * and analysis), then a Rayleigh–Ritz step with the exact D. sigma
 * (eV/(Å² amu), or eV/Å² with unit masses) must lie below the lowest
 * eigenvalue — slightly negative at a minimum (e.g. −1e-3); a shift above it
 * is refused (AM_ERR_VALUE). Vectors are always returned. */
AM_API am_status am_modes_sparse(const am_hessian *h, const double *mass, int nmodes, double sigma, am_modes **out);

/* The same with the factorisation's precision chosen (am_factor_precision). */
AM_API am_status am_modes_sparse_ex(const am_hessian *h, const double *mass, int nmodes, double sigma,
                                    am_factor_precision precision, am_modes **out);

/* Participation of every atom in modes [first, first+count):
 * p_i = Σ_ω |e_ω^i|² (Σ_i p_i = count). p: n values. */
AM_API am_status am_modes_participation(const am_modes *m, int first, int count, double *p);

/* Vibrational mean-square displacement (vMSD) of every atom about an
 * inherent structure: NVT MD (Nosé–Hoover chain) at one temperature,
 * equilibration, then sampling every `every` steps over `time`. Each sample's
 * displacements are taken by minimum image from the reference and cleared
 * of the centre-of-mass drift. Snapshots are quenched (CG) now and then; an
 * atom that a quench leaves farther than `hop` from its reference has left
 * its basin and is flagged. With a checkpoint path the run is resumable: a
 * killed run restarts from its last checkpoint and finishes bit for bit as an
 * uninterrupted one; a finished run's file holds its results. */
/* Units are the potential's; the defaults are metal's, lj's in brackets
 * (am_vmsd_defaults_units; docs/vibration.md, "Units"). */
typedef struct am_vmsd_options {
    double temperature;      /* K (300 [0.2]) */
    double equilibrate;      /* ps before sampling (20 [20 τ]) */
    double time;             /* sampling time τ0, ps (100 [100 τ]) */
    double dt;               /* ps (0.002 [0.005]) */
    double tdamp;            /* thermostat damping, ps (0.2 [0.5]: 100 steps of the default dt, as amorph md and quench) */
    /* AM_NVT (default): the inherent structure's box. AM_NPT: the box follows the
     * barostat (MTK, as amorph md), as the paper's vMSD runs; displacements are then
     * taken from the reference scaled into the current box, so that thermal
     * expansion and box fluctuations are not counted as vibration */
    am_ensemble ensemble;
    am_barostat barostat;    /* NPT: AM_BARO_ISO (default) or AM_BARO_ANISO (each axis to the target) */
    double pressure;         /* NPT target, bar (0) */
    double pdamp;            /* NPT barostat damping, ps (1.0 [2.5], as amorph md) */
    int every;               /* steps between samples (10) */
    unsigned long seed;      /* initial velocities */
    int nquench;             /* snapshots quenched to detect basin changes, spread over the sampling (4) */
    double hop;              /* Å (0.3 [0.1 σ]) */
    const char *checkpoint;  /* file, or NULL for none */
    double checkpoint_every; /* ps of MD between checkpoints (10 [10 τ]) */
    /* called now and then with the steps done and the total (may be NULL) */
    void (*progress)(void *ctx, long done, long total);
    void *ctx;
} am_vmsd_options;

/* The defaults for a potential in units u (NULL: metal); am_vmsd_defaults
 * gives metal's. */
AM_API void am_vmsd_defaults_units(am_vmsd_options *o, const am_units *u);
AM_API void am_vmsd_defaults(am_vmsd_options *o);

/* Caller-owned outputs, n atoms. */
typedef struct am_vmsd_result {
    double *d2;       /* n*4: Δr², Δx², Δy², Δz² about the inherent structure, Å² */
    double *d2mean;   /* n*4 about the time-averaged positions, or NULL */
    int *hopped;      /* n: 1 if a quenched snapshot left the atom > hop from its reference, or NULL */
    double t_mean;    /* mean temperature over the sampling, K */
    long samples;
    double v_mean;    /* mean volume over the sampling, Å³ (NVT: the inherent structure's) */
} am_vmsd_result;

/* `is` is the inherent structure (not modified); the engine's potential must
 * cover its species. */
AM_API am_status am_vmsd(const am_potential *p, const am_system *is, const am_vmsd_options *o, am_vmsd_result *r);

/* Harmonic prediction of the same quantity from normal modes (computed with
 * masses): Δr_i² = k_B T Σ_ω |e_ω^i|² / (m_i ω²) over modes [first, nmodes),
 * k_B and T in units u (those of the potential of the modes).
 * d2: n values, Å². */
AM_API am_status am_vmsd_harmonic(const am_modes *m, const double *mass, const am_units *u, double temperature,
                                  int first, double *d2);

/* Flexibility volume (SPEC §3, after Ding et al., Nat. Commun. 7 (2016)
 * 13733): v_i = Ω_i Δr_i² / a_i², Ω_i the Voronoi volume, a_i the mean
 * distance to the Voronoi neighbours; vflex: n values, Å³. */
AM_API am_status am_flexibility_volume(const am_system *s, const am_voronoi *v, const double *d2, int stride, double *vflex);

#ifdef __cplusplus
}
#endif
#endif
