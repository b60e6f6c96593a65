/* LAMMPS unit styles as amorph names them (potential.h). */
#include "amorph/potential.h"

#include <string.h>

/* nktv2p as LAMMPS sets it in update.cpp: eV/Å³ in bar for metal; 1 in
 * reduced units, where pressure is ε/σ³. */
static const am_units styles[] = {
    {"metal", "eV", "A", "eV/A", "bar", "A^3", "amu", AM_EV_A3_TO_BAR},
    {"lj", "epsilon", "sigma", "epsilon/sigma", "epsilon/sigma^3", "sigma^3", "m", 1.0},
};

const am_units *am_units_of(const char *style)
{
    for (size_t k = 0; style && k < sizeof styles / sizeof *styles; k++)
        if (strcmp(styles[k].style, style) == 0) return &styles[k];
    return NULL;
}

void am_units_pressure(const am_units *u, const double virial[6], double volume, double p[6])
{
    for (int k = 0; k < 6; k++) p[k] = virial[k] / volume * u->nktv2p;
}

void am_pressure_from_virial(const double virial[6], double volume, double p[6])
{
    am_units_pressure(&styles[0], virial, volume, p);
}
