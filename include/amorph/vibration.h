/* amorph — harmonic vibrations: the analytic EAM Hessian and normal modes.
 *
 * Vectors over the atoms are 3n doubles, atom-major (x0 y0 z0 x1 ...), in
 * the system's atom order. The Hessian H = ∂²E/∂x∂x (eV/Å²) of
 *   E = Σ_i F_i(ρ_i) + ½ Σ_{i≠j} φ(r_ij),  ρ_i = Σ_j f_{i←j}(r_ij)
 * is the sum of a pair-range part (3x3 blocks between atoms within the
 * cutoff) and Σ_i F''_i v_i v_iᵀ with v_i = ∂ρ_i/∂x, which couples atoms up
 * to twice the cutoff apart; it is kept in that factored form, so storage
 * and H·x cost O(n × neighbours). */
#ifndef AMORPH_VIBRATION_H
#define AMORPH_VIBRATION_H

#include "amorph/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct am_hessian am_hessian;

/* The Hessian at s's positions (s's species must be in the potential; masses
 * missing from s are taken from it). */
am_status am_hessian_create(const am_potential *p, am_system *s, am_hessian **out);
void am_hessian_free(am_hessian *h);
size_t am_hessian_n(const am_hessian *h); /* atoms */

/* y = H x (eV/Å² · Å = eV/Å). Threaded; the result does not depend on the
 * thread count. */
void am_hessian_apply(const am_hessian *h, const double *x, double *y);

/* The full 3n x 3n matrix, row-major, into H (caller-owned, 9n² doubles):
 * for small systems and checks. */
am_status am_hessian_dense(const am_hessian *h, double *H);

/* sqrt(eV/(Å² amu)) in THz (cycles per ps): ν = sqrt(λ)·AM_THZ_PER_SQRT_EV_A2_AMU
 * for an eigenvalue λ of the mass-weighted Hessian. */
#define AM_THZ_PER_SQRT_EV_A2_AMU 15.633302

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
} am_modes;

/* The lowest nmodes modes by dense LAPACK (dsyevr): exact, O((3n)³), for
 * systems up to a few thousand atoms. mass: n values, amu (NULL: unit masses). */
am_status am_modes_dense(const am_hessian *h, const double *mass, int nmodes, int want_vectors, am_modes **out);
/* Per-atom masses (amu) of s's species, into mass (n values). */
void am_system_masses(const am_system *s, double *mass);
void am_modes_free(am_modes *m);

/* Participation of every atom in modes [first, first+count):
 * p_i = Σ_ω |e_ω^i|² (Σ_i p_i = count). p: n values. */
am_status am_modes_participation(const am_modes *m, int first, int count, double *p);

#ifdef __cplusplus
}
#endif
#endif
