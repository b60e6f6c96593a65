/* Internal: EAM functions with first and second derivatives, on the same
 * cubic pieces and grid rules as the force kernel (LAMMPS pair_eam), so the
 * Hessian is the exact derivative of the forces amorph computes. */
#ifndef AM_POTENTIAL_EAM_DERIV_H
#define AM_POTENTIAL_EAM_DERIV_H

#include "amorph/potential.h"
#include "amorph/system.h"

/* Potential element of each system species (by name); fills masses the
 * system lacks from the potential. Fails naming the missing species. */
am_status eam_species_map(const am_potential *p, am_system *s, int sp2el[AM_MAX_SPECIES]);

/* A pair (i of element ei, j of element ej) at distance r < cutoff:
 * phi and its r-derivatives (eV, eV/Å, eV/Å²); f_ij the density at i due to
 * j, f_ji at j due to i, with their derivatives. */
typedef struct eam_rad {
    double phi, dphi, d2phi;
    double fij, dfij, d2fij;
    double fji, dfji, d2fji;
} eam_rad;
void eam_radial(const am_potential *p, int ei, int ej, double r, eam_rad *out);

/* F(rho), F'(rho), F''(rho) of element e (linear continuation beyond the
 * table's last density, as LAMMPS: F'' = 0 there). */
double eam_embed(const am_potential *p, int e, double rho, double *fp, double *fpp);

/* The cutoff of the potential, Å. */
double eam_cutoff(const am_potential *p);

#endif
