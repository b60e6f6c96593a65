/* Internal: what an evaluation outside eam_engine.c (the local one of
 * eam_local.c) needs of an EAM engine's state: its tables in the form the
 * kernel reads them, so no interpolation code is duplicated. */
#ifndef AM_POTENTIAL_EAM_ENGINE_H
#define AM_POTENTIAL_EAM_ENGINE_H

#include "potential/eam_kernel.h"

typedef struct eam_engine eam_engine;

/* Kernel arguments with the engine's tables filled in (pt, ntab, nsp, nr,
 * rdr, cutsq, frho, nrho, rdrho, rhomax); the list and pair-store fields are
 * zero, for the caller to set. */
void eam_engine_kargs(const eam_engine *e, eam_kargs *ka);

#endif
