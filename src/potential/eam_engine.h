/* Internal: what an evaluation outside eam_engine.c (the local one of
 * eam_local.c) needs of an engine: its species map and its tables, in the
 * form the kernel reads them, so no interpolation code is duplicated. */
#ifndef AM_POTENTIAL_EAM_ENGINE_H
#define AM_POTENTIAL_EAM_ENGINE_H

#include "amorph/potential.h"
#include "potential/eam_kernel.h"

const am_potential *eam_engine_potential(const am_engine *e);
size_t eam_engine_natoms(const am_engine *e);
int eam_engine_nspecies(const am_engine *e);
/* Potential element of each system species. */
const int *eam_engine_sp2el(const am_engine *e);
/* Neighbour-list skin the engine was created with, Å. */
double eam_engine_skin(const am_engine *e);
/* Kernel arguments with the engine's tables filled in (pt, ntab, nsp, nr,
 * rdr, cutsq, frho, nrho, rdrho, rhomax); the list and pair-store fields are
 * zero, for the caller to set. */
void eam_engine_kargs(const am_engine *e, eam_kargs *ka);

#endif
