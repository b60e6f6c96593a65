/* LAMMPS unit styles as amorph names them (potential.h). */
#include "amorph/potential.h"

#include <math.h>
#include <string.h>

/* The constants LAMMPS's update.cpp sets for each style (force->boltz,
 * mvv2e, nktv2p): in lj every one is 1, ε, σ and m being the units; in metal
 * k_B in eV/K, amu Å²/ps² in eV and eV/Å³ in bar. */
static const am_units styles[] = {
    {"metal", "eV", "A", "eV/A", "bar", "A^3", "amu", "ps", "K", "THz", AM_EV_A3_TO_BAR, 8.617343e-5, 1.0364269e-4},
    {"lj", "epsilon", "sigma", "epsilon/sigma", "epsilon/sigma^3", "sigma^3", "m", "tau", "epsilon/k_B", "1/tau", 1.0,
     1.0, 1.0},
};

const am_units *am_units_of(const char *style)
{
    for (size_t k = 0; style && k < sizeof styles / sizeof *styles; k++)
        if (strcmp(styles[k].style, style) == 0) return &styles[k];
    return NULL;
}

const am_units *am_engine_units(const am_engine *e)
{
    /* every kind names a style of the table (tests/test_engines.c) */
    return am_units_of(am_potential_units(am_engine_potential(e)));
}

double am_units_frequency(const am_units *u, double lambda)
{
    /* 2π spelled out: M_PI is XSI, beyond the project's POSIX feature level */
    const double nu = sqrt(fabs(lambda) / u->mvv2e) / 6.283185307179586;
    return lambda < 0 ? -nu : nu;
}

void am_units_pressure(const am_units *u, const double virial[6], double volume, double p[6])
{
    for (int k = 0; k < 6; k++) p[k] = virial[k] / volume * u->nktv2p;
}

void am_pressure_from_virial(const double virial[6], double volume, double p[6])
{
    am_units_pressure(&styles[0], virial, volume, p);
}
