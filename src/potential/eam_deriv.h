/* Internal: EAM functions with first and second derivatives, on the same
 * cubic pieces and grid rules as the force kernel (LAMMPS pair_eam), so the
 * Hessian is the exact derivative of the forces amorph computes. They are
 * the EAM kinds' pair-and-embedding form (engine_type.h). */
#ifndef AM_POTENTIAL_EAM_DERIV_H
#define AM_POTENTIAL_EAM_DERIV_H

#include "potential/engine_type.h"

/* A pair (i of element ei, j of element ej) at distance r < cutoff:
 * phi and its r-derivatives (eV, eV/Å, eV/Å²); f_ij the density at i due to
 * j, f_ji at j due to i, with their derivatives. */
void eam_radial(const am_potential *p, int ei, int ej, double r, am_radial *out);

/* F(rho), F'(rho), F''(rho) of element e (linear continuation beyond the
 * table's last density, as LAMMPS: F'' = 0 there). */
double eam_embed(const am_potential *p, int e, double rho, double *fp, double *fpp);

#endif
