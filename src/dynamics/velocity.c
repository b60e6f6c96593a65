#include "amorph/dynamics.h"
#include "core/error.h"
#include "dynamics/md_state.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

double am_kinetic_energy(const am_system *s, const am_units *u)
{
    if (!s->vx) return 0.0;
    double ke = 0.0;
    for (size_t i = 0; i < s->n; i++)
        ke += s->species[s->type[i]].mass * (s->vx[i] * s->vx[i] + s->vy[i] * s->vy[i] + s->vz[i] * s->vz[i]);
    return 0.5 * u->mvv2e * ke;
}

double am_temperature(const am_system *s, const am_units *u)
{
    return am_temperature_of_ke(s->n, u, am_kinetic_energy(s, u));
}

/* One generator per atom, seeded from (seed, id): velocities depend on the
 * atom, not on its position in the arrays or on the thread count. */
static double gauss_for(gsl_rng *g, unsigned long seed, long long id, int k)
{
    gsl_rng_set(g, seed * 2654435761UL + (unsigned long)id * 40503UL + (unsigned long)k * 97UL + 1UL);
    return gsl_ran_gaussian_ziggurat(g, 1.0);
}

am_status am_velocity_create(am_system *s, const am_units *u, double temperature, unsigned long seed)
{
    if (!u) return am_fail(AM_ERR_VALUE, "velocities: no units given (am_engine_units of the potential)");
    if (!(temperature >= 0.0) || !isfinite(temperature))
        return am_fail(AM_ERR_VALUE, "velocities: temperature %g %s must be >= 0", temperature, u->temperature);
    for (int k = 0; k < s->nspecies; k++)
        if (!(s->species[k].mass > 0.0))
            return am_fail(AM_ERR_VALUE, "velocities: species %s has no mass", s->species[k].name);
    am_status st = am_system_add_velocities(s);
    if (st) return st;
    /* Seeding MT19937 and its first draw (the whole 624-word state) are
     * ~4 us per number: threads share the atoms, each with its own
     * generator; every number depends on (seed, id, k) alone, so the
     * velocities are the same for any thread count. */
    int nomem = 0;
#pragma omp parallel reduction(| : nomem)
    {
        gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
        nomem = !g;
#pragma omp for schedule(static)
        for (size_t i = 0; i < s->n; i++) {
            if (!g) continue;
            const double sd = 1.0 / sqrt(s->species[s->type[i]].mass);
            s->vx[i] = sd * gauss_for(g, seed, s->id[i], 0);
            s->vy[i] = sd * gauss_for(g, seed, s->id[i], 1);
            s->vz[i] = sd * gauss_for(g, seed, s->id[i], 2);
        }
        if (g) gsl_rng_free(g);
    }
    if (nomem) return am_fail(AM_ERR_NOMEM, "velocities: cannot allocate a random number generator");
    double p[3] = {0, 0, 0}, mtot = 0.0;
    for (size_t i = 0; i < s->n; i++) {
        const double m = s->species[s->type[i]].mass;
        p[0] += m * s->vx[i]; p[1] += m * s->vy[i]; p[2] += m * s->vz[i];
        mtot += m;
    }
    for (size_t i = 0; i < s->n; i++) { s->vx[i] -= p[0] / mtot; s->vy[i] -= p[1] / mtot; s->vz[i] -= p[2] / mtot; }
    const double t = am_temperature(s, u), f = t > 0 ? sqrt(temperature / t) : 0.0;
    for (size_t i = 0; i < s->n; i++) { s->vx[i] *= f; s->vy[i] *= f; s->vz[i] *= f; }
    return AM_OK;
}
