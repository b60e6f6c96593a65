/* Local viscosity from activation energies, η = η0 exp(Ea / kB T). */
#include "amorph/analysis.h"

#include <math.h>

void am_log10_viscosity(size_t n, const double *ea, double eta0, const am_units *u, double temperature,
                        double *log10_eta)
{
    /* in logarithms: Ea of a few eV at 300 K would overflow η itself */
    const double base = log10(eta0), scale = 1.0 / (u->boltz * temperature * log(10.0));
    for (size_t i = 0; i < n; i++) log10_eta[i] = base + ea[i] * scale;
}
