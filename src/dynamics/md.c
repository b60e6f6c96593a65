/* Velocity Verlet with an optional Nosé–Hoover chain thermostat, in the
 * operator order and with the chain update of LAMMPS fix nvt (FixNH:
 * nhc_temp_integrate with one loop, no drag), so that trajectories can be
 * compared with LAMMPS step by step. */
#include "amorph/dynamics.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FTM2V (1.0 / AM_MVV2E)
#define MAX_CHAIN 16
/* Atoms are wrapped back into the box this often; wrapping moves them by
 * lattice vectors and costs one neighbour-list rebuild. */
#define WRAP_EVERY 1000

struct am_md {
    am_engine *e;
    am_system *s;
    am_md_options o;
    double *f, *inv_m; /* forces fx|fy|fz blocks; 1/m per atom */
    double pe;
    long step;
    double tdof, t_current, t_target;
    int m;
    double eta[MAX_CHAIN], eta_dot[MAX_CHAIN + 1], eta_dotdot[MAX_CHAIN], eta_mass[MAX_CHAIN];
};

static am_status compute_forces(am_md *md)
{
    const size_t n = md->s->n;
    am_result r = {0};
    r.skip_virial = 1;
    r.fx = md->f; r.fy = md->f + n; r.fz = md->f + 2 * n;
    am_status st = am_engine_compute(md->e, md->s, &r);
    if (!st) md->pe = r.energy;
    return st;
}

static void target_temperature(am_md *md)
{
    const double delta = md->o.nsteps > 0 ? (double)md->step / (double)md->o.nsteps : 0.0;
    md->t_target = md->o.t_start + (delta < 1.0 ? delta : 1.0) * (md->o.t_stop - md->o.t_start);
}

static void chain_masses(am_md *md)
{
    const double tfreq = 1.0 / md->o.tdamp, kt = AM_BOLTZ * md->t_target;
    md->eta_mass[0] = md->tdof * kt / (tfreq * tfreq);
    for (int c = 1; c < md->m; c++) md->eta_mass[c] = kt / (tfreq * tfreq);
}

/* Half a time step of the chain, scaling the velocities (LAMMPS
 * FixNH::nhc_temp_integrate with nc_tchain = 1 and no drag). */
static void chain_half_step(am_md *md)
{
    am_system *s = md->s;
    const double dt = md->o.dt, dthalf = 0.5 * dt, dt4 = 0.25 * dt, dt8 = 0.125 * dt;
    const double kt = AM_BOLTZ * md->t_target, ke_target = md->tdof * kt;
    double *eta = md->eta, *ed = md->eta_dot, *edd = md->eta_dotdot, *em = md->eta_mass;
    const int m = md->m;
    chain_masses(md);
    double ke = md->tdof * AM_BOLTZ * md->t_current;
    edd[0] = em[0] > 0 ? (ke - ke_target) / em[0] : 0.0;
    for (int c = m - 1; c > 0; c--) {
        double x = exp(-dt8 * ed[c + 1]);
        ed[c] = (ed[c] * x + edd[c] * dt4) * x;
    }
    double x = exp(-dt8 * ed[1]);
    ed[0] = (ed[0] * x + edd[0] * dt4) * x;
    const double scale = exp(-dthalf * ed[0]);
    for (size_t i = 0; i < s->n; i++) { s->vx[i] *= scale; s->vy[i] *= scale; s->vz[i] *= scale; }
    md->t_current *= scale * scale;
    ke = md->tdof * AM_BOLTZ * md->t_current;
    edd[0] = em[0] > 0 ? (ke - ke_target) / em[0] : 0.0;
    for (int c = 0; c < m; c++) eta[c] += dthalf * ed[c];
    ed[0] = (ed[0] * x + edd[0] * dt4) * x;
    for (int c = 1; c < m; c++) {
        x = exp(-dt8 * ed[c + 1]);
        edd[c] = (em[c - 1] * ed[c - 1] * ed[c - 1] - kt) / em[c];
        ed[c] = (ed[c] * x + edd[c] * dt4) * x;
    }
}

static void kick(am_md *md)
{
    am_system *s = md->s;
    const size_t n = s->n;
    const double h = 0.5 * md->o.dt * FTM2V;
    for (size_t i = 0; i < n; i++) {
        const double a = h * md->inv_m[i];
        s->vx[i] += a * md->f[i];
        s->vy[i] += a * md->f[n + i];
        s->vz[i] += a * md->f[2 * n + i];
    }
}

static void drift(am_md *md)
{
    am_system *s = md->s;
    const double dt = md->o.dt;
    for (size_t i = 0; i < s->n; i++) { s->x[i] += dt * s->vx[i]; s->y[i] += dt * s->vy[i]; s->z[i] += dt * s->vz[i]; }
}

am_status am_md_create(am_engine *e, am_system *s, const am_md_options *o, am_md **out)
{
    *out = NULL;
    if (!s->vx) return am_fail(AM_ERR_VALUE, "md: the configuration has no velocities (create them first)");
    am_md *md = calloc(1, sizeof *md);
    if (!md) return am_fail(AM_ERR_NOMEM, "md: out of memory");
    md->e = e;
    md->s = s;
    md->o = *o;
    if (!(md->o.dt > 0)) md->o.dt = 0.002;
    if (!(md->o.tdamp > 0)) md->o.tdamp = 100 * md->o.dt;
    md->m = md->o.chain > 0 ? md->o.chain : 3;
    if (md->m > MAX_CHAIN) {
        int m = md->m;
        free(md);
        return am_fail(AM_ERR_VALUE, "md: chain length %d above %d", m, MAX_CHAIN);
    }
    if (o->ensemble == AM_NVT && !(o->t_start > 0 && o->t_stop > 0)) {
        free(md);
        return am_fail(AM_ERR_VALUE, "md: NVT needs positive temperatures, got %g and %g K", o->t_start, o->t_stop);
    }
    const size_t n = s->n;
    md->f = malloc(3 * n * sizeof(double) + 1);
    md->inv_m = malloc(n * sizeof(double) + 1);
    if (!md->f || !md->inv_m) { am_md_free(md); return am_fail(AM_ERR_NOMEM, "md: out of memory for %zu atoms", n); }
    for (size_t i = 0; i < n; i++) {
        const double m = s->species[s->type[i]].mass;
        if (!(m > 0)) { am_md_free(md); return am_fail(AM_ERR_VALUE, "md: species %s has no mass", s->species[s->type[i]].name); }
        md->inv_m[i] = 1.0 / m;
    }
    md->tdof = 3.0 * (double)n - 3.0;
    md->t_current = am_temperature(s);
    target_temperature(md);
    if (md->o.ensemble == AM_NVT) {
        chain_masses(md);
        for (int c = 1; c < md->m; c++)
            md->eta_dotdot[c] = (md->eta_mass[c - 1] * md->eta_dot[c - 1] * md->eta_dot[c - 1] - AM_BOLTZ * md->t_target) /
                                md->eta_mass[c];
    }
    am_status st = compute_forces(md);
    if (st) { am_md_free(md); return st; }
    *out = md;
    return AM_OK;
}

void am_md_free(am_md *md)
{
    if (!md) return;
    free(md->f);
    free(md->inv_m);
    free(md);
}

am_status am_md_step(am_md *md)
{
    const int nvt = md->o.ensemble == AM_NVT;
    md->step++;
    if (nvt) {
        target_temperature(md);
        chain_half_step(md);
    }
    kick(md);
    drift(md);
    if (md->step % WRAP_EVERY == 0) am_system_wrap(md->s);
    am_status st = compute_forces(md);
    if (st) return st;
    kick(md);
    md->t_current = am_temperature(md->s);
    if (nvt) chain_half_step(md);
    return AM_OK;
}

void am_md_thermo(const am_md *md, am_thermo *t)
{
    t->step = md->step;
    t->time = (double)md->step * md->o.dt;
    t->ke = am_kinetic_energy(md->s);
    t->temperature = md->tdof > 0 ? 2.0 * t->ke / (md->tdof * AM_BOLTZ) : 0.0;
    t->pe = md->pe;
    double thermostat = 0.0;
    if (md->o.ensemble == AM_NVT) {
        const double kt = AM_BOLTZ * md->t_target;
        thermostat = md->tdof * kt * md->eta[0] + 0.5 * md->eta_mass[0] * md->eta_dot[0] * md->eta_dot[0];
        for (int c = 1; c < md->m; c++) thermostat += kt * md->eta[c] + 0.5 * md->eta_mass[c] * md->eta_dot[c] * md->eta_dot[c];
    }
    t->conserved = t->pe + t->ke + thermostat;
}

const double *am_md_forces(const am_md *md, int component)
{
    return md->f + (size_t)component * md->s->n;
}
