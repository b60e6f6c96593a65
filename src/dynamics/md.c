/* Velocity Verlet with optional Nosé–Hoover chain thermostat and MTK
 * barostat, in the operator order and with the chain updates of LAMMPS
 * fix nvt / fix npt (FixNH: one chain loop, no drag, MTK terms on, dilation
 * of all atoms about the box centre), so that trajectories can be compared
 * with LAMMPS step by step. */
#include "amorph/dynamics.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Atoms are wrapped back into the box this often; wrapping moves them by
 * lattice vectors and costs one neighbour-list rebuild. */
#define WRAP_EVERY 1000

#include "dynamics/md_state.h"

/* NVE/NVT steps whose forces come with the virial (am_md_options.virial_every). */
static int virial_step(const am_md *md)
{
    const long k = md->state.step, every = md->o.virial_every;
    return every > 0 && (k % every == 0 || k == md->o.nsteps);
}

static am_status compute_forces(am_md *md)
{
    const size_t n = md->s->n;
    am_result r = {0};
    r.skip_virial = md->o.ensemble != AM_NPT && !virial_step(md);
    r.fx = md->f; r.fy = md->f + n; r.fz = md->f + 2 * n;
    am_status st = am_engine_compute(md->e, md->s, &r);
    if (!st) {
        md->state.pe = r.energy;
        memcpy(md->state.virial, r.virial, sizeof r.virial);
    }
    return st;
}

static double volume(const am_md *md)
{
    return (md->state.hi[0] - md->state.lo[0]) * (md->state.hi[1] - md->state.lo[1]) * (md->state.hi[2] - md->state.lo[2]);
}

/* (N_f k_B T + tr W) / 3V, bar: LAMMPS compute pressure's scalar. */
static double scalar_pressure(const am_md *md, double t, double inv_v)
{
    return (md->state.tdof * md->boltz * t + md->state.virial[0] + md->state.virial[1] + md->state.virial[2]) / 3.0 *
           inv_v * md->nktv2p;
}

/* Temperature from the sum of m v² over the atoms. */
static double temperature_of(const am_md *md, double mv2)
{
    return am_temperature_of_ke(md->s->n, md->u, 0.5 * md->u->mvv2e * mv2);
}

/* Pressure with its kinetic part, coupled as the barostat style wants
 * (LAMMPS compute pressure scalar / vector, then FixNH::couple), from the
 * sums of m v² (md_sums: all components, then x, y, z). */
static void current_pressure(am_md *md, const double *mv2)
{
    const double inv_v = 1.0 / volume(md);
    if (md->o.barostat == AM_BARO_ISO) {
        const double p = scalar_pressure(md, temperature_of(md, mv2[0]), inv_v);
        md->state.p_current[0] = md->state.p_current[1] = md->state.p_current[2] = p;
    } else {
        for (int d = 0; d < 3; d++) {
            md->state.mvv[d] = mv2[1 + d] * md->u->mvv2e;
            md->state.p_current[d] = (md->state.mvv[d] + md->state.virial[d]) * inv_v * md->nktv2p;
        }
    }
}

static void target_pressure(am_md *md)
{
    const double delta = md->o.nsteps > 0 ? (double)md->state.step / (double)md->o.nsteps : 0.0;
    md->state.p_hydro = 0.0;
    for (int d = 0; d < 3; d++) {
        md->state.p_target[d] = md->o.p_start + (delta < 1.0 ? delta : 1.0) * (md->o.p_stop - md->o.p_start);
        md->state.p_hydro += md->state.p_target[d];
    }
    md->state.p_hydro /= 3.0;
}

/* Half-step kick of the barostat velocities (LAMMPS FixNH::nh_omega_dot). */
static void omega_half_step(am_md *md)
{
    const double dthalf = 0.5 * md->o.dt, v = volume(md), natoms = (double)md->s->n;
    md->state.mtk_term1 = md->o.barostat == AM_BARO_ISO ? md->state.tdof * md->boltz * md->state.t_current / (3.0 * natoms)
                                                  : (md->state.mvv[0] + md->state.mvv[1] + md->state.mvv[2]) / (3.0 * natoms);
    for (int d = 0; d < 3; d++) {
        const double f = (md->state.p_current[d] - md->state.p_hydro) * v / (md->state.omega_mass[d] * md->nktv2p) +
                         md->state.mtk_term1 / md->state.omega_mass[d];
        md->state.omega_dot[d] += f * dthalf;
    }
    md->state.mtk_term2 = (md->state.omega_dot[0] + md->state.omega_dot[1] + md->state.omega_dot[2]) / (3.0 * natoms);
}

/* Velocity scaling factors of the barostat (LAMMPS FixNH::nh_v_press). */
static void barostat_factors(const am_md *md, double f[3])
{
    const double dt4 = 0.25 * md->o.dt;
    for (int d = 0; d < 3; d++) f[d] = exp(-dt4 * (md->state.omega_dot[d] + md->state.mtk_term2));
}

/* Half-step dilation of the box about the fixed point (FixNH::remap); an
 * atom's coordinate c becomes prd[d] * ((c - lo0[d]) * inv[d]) + lo[d]. */
typedef struct dilation {
    double inv[3], lo0[3], prd[3], lo[3];
} dilation;

static inline double dilate(const dilation *r, int d, double c)
{
    return r->prd[d] * ((c - r->lo0[d]) * r->inv[d]) + r->lo[d];
}

static void remap_box(am_md *md, dilation *r)
{
    am_system *s = md->s;
    const double dto = 0.5 * md->o.dt;
    for (int d = 0; d < 3; d++) { r->inv[d] = 1.0 / (md->state.hi[d] - md->state.lo[d]); r->lo0[d] = md->state.lo[d]; }
    for (int d = 0; d < 3; d++) {
        const double x = exp(dto * md->state.omega_dot[d]);
        md->state.lo[d] = (md->state.lo[d] - md->state.fixedpoint[d]) * x + md->state.fixedpoint[d];
        md->state.hi[d] = (md->state.hi[d] - md->state.fixedpoint[d]) * x + md->state.fixedpoint[d];
    }
    for (int d = 0; d < 3; d++) {
        r->prd[d] = md->state.hi[d] - md->state.lo[d];
        r->lo[d] = md->state.lo[d];
        s->box.lo[d] = md->state.lo[d];
        s->box.len[d] = r->prd[d];
    }
}

/* Half step of the chain thermostatting the barostat (FixNH::nhc_press_integrate). */
static void press_chain_half_step(am_md *md)
{
    const double dt = md->o.dt, dthalf = 0.5 * dt, dt4 = 0.25 * dt, dt8 = 0.125 * dt;
    const double kt = md->boltz * md->state.t_target;
    const double lkt = md->o.barostat == AM_BARO_ISO ? kt : 3.0 * kt;
    double *e = md->state.etap, *ed = md->state.etap_dot, *edd = md->state.etap_dotdot, *em = md->state.etap_mass;
    const int m = md->state.mp;
    double ke = 0.0;
    for (int d = 0; d < 3; d++) ke += md->state.omega_mass[d] * md->state.omega_dot[d] * md->state.omega_dot[d];
    edd[0] = (ke - lkt) / em[0];
    for (int c = m - 1; c > 0; c--) {
        double x = exp(-dt8 * ed[c + 1]);
        ed[c] = (ed[c] * x + edd[c] * dt4) * x;
    }
    double x = exp(-dt8 * ed[1]);
    ed[0] = (ed[0] * x + edd[0] * dt4) * x;
    for (int c = 0; c < m; c++) e[c] += dthalf * ed[c];
    const double scale = exp(-dthalf * ed[0]);
    for (int d = 0; d < 3; d++) md->state.omega_dot[d] *= scale;
    ke = 0.0;
    for (int d = 0; d < 3; d++) ke += md->state.omega_mass[d] * md->state.omega_dot[d] * md->state.omega_dot[d];
    edd[0] = (ke - lkt) / em[0];
    ed[0] = (ed[0] * x + edd[0] * dt4) * x;
    for (int c = 1; c < m; c++) {
        x = exp(-dt8 * ed[c + 1]);
        edd[c] = (em[c - 1] * ed[c - 1] * ed[c - 1] - kt) / em[c];
        ed[c] = (ed[c] * x + edd[c] * dt4) * x;
    }
}

static void target_temperature(am_md *md)
{
    const double delta = md->o.nsteps > 0 ? (double)md->state.step / (double)md->o.nsteps : 0.0;
    md->state.t_target = md->o.t_start + (delta < 1.0 ? delta : 1.0) * (md->o.t_stop - md->o.t_start);
}

static void chain_masses(am_md *md)
{
    const double tfreq = 1.0 / md->o.tdamp, kt = md->boltz * md->state.t_target;
    md->state.eta_mass[0] = md->state.tdof * kt / (tfreq * tfreq);
    for (int c = 1; c < md->state.m; c++) md->state.eta_mass[c] = kt / (tfreq * tfreq);
}

/* Half a time step of the chain (LAMMPS FixNH::nhc_temp_integrate with
 * nc_tchain = 1 and no drag); returns the factor by which it scales the
 * velocities, for the caller to apply. */
static double chain_half_step(am_md *md)
{
    const double dt = md->o.dt, dthalf = 0.5 * dt, dt4 = 0.25 * dt, dt8 = 0.125 * dt;
    const double kt = md->boltz * md->state.t_target, ke_target = md->state.tdof * kt;
    double *eta = md->state.eta, *ed = md->state.eta_dot, *edd = md->state.eta_dotdot, *em = md->state.eta_mass;
    const int m = md->state.m;
    chain_masses(md);
    double ke = md->state.tdof * md->boltz * md->state.t_current;
    edd[0] = em[0] > 0 ? (ke - ke_target) / em[0] : 0.0;
    for (int c = m - 1; c > 0; c--) {
        double x = exp(-dt8 * ed[c + 1]);
        ed[c] = (ed[c] * x + edd[c] * dt4) * x;
    }
    double x = exp(-dt8 * ed[1]);
    ed[0] = (ed[0] * x + edd[0] * dt4) * x;
    const double scale = exp(-dthalf * ed[0]);
    md->state.t_current *= scale * scale;
    ke = md->state.tdof * md->boltz * md->state.t_current;
    edd[0] = em[0] > 0 ? (ke - ke_target) / em[0] : 0.0;
    for (int c = 0; c < m; c++) eta[c] += dthalf * ed[c];
    ed[0] = (ed[0] * x + edd[0] * dt4) * x;
    for (int c = 1; c < m; c++) {
        x = exp(-dt8 * ed[c + 1]);
        edd[c] = (em[c - 1] * ed[c - 1] * ed[c - 1] - kt) / em[c];
        ed[c] = (ed[c] * x + edd[c] * dt4) * x;
    }
    return scale;
}

/* The per-atom work of a step, threaded over fixed blocks of atoms. Each
 * loop does, atom by atom, what LAMMPS's separate loops do in turn (same
 * operations, same order, so the same numbers); sums of m v² run over each
 * block in index order, then over the blocks in order: the same for any
 * thread count. */
#define MD_BLOCK 512

static size_t md_blocks(const am_md *md) { return (md->s->n + MD_BLOCK - 1) / MD_BLOCK; }

/* one past block b's last atom */
static size_t block_end(size_t b, size_t n) { return (b + 1) * MD_BLOCK < n ? (b + 1) * MD_BLOCK : n; }

/* Sums of m v² (all components, then x, y, z) from the blocks' parts. */
static void md_sums(const am_md *md, double mv2[4])
{
    for (int c = 0; c < 4; c++) mv2[c] = 0.0;
    for (size_t b = 0; b < md_blocks(md); b++)
        for (int c = 0; c < 4; c++) mv2[c] += md->part[4 * b + c];
}

static inline void block_sum(const am_system *s, size_t i0, size_t i1, double *part)
{
    double all = 0.0, kx = 0.0, ky = 0.0, kz = 0.0;
    for (size_t i = i0; i < i1; i++) {
        const double m = s->species[s->type[i]].mass;
        all += m * (s->vx[i] * s->vx[i] + s->vy[i] * s->vy[i] + s->vz[i] * s->vz[i]);
        kx += m * s->vx[i] * s->vx[i];
        ky += m * s->vy[i] * s->vy[i];
        kz += m * s->vz[i] * s->vz[i];
    }
    part[0] = all; part[1] = kx; part[2] = ky; part[3] = kz;
}

/* Velocities scaled by the thermostat; the sums of m v² when wanted. */
static void scale_velocities(am_md *md, double scale, int sums)
{
    am_system *s = md->s;
    const size_t n = s->n, nb = md_blocks(md);
#pragma omp parallel for schedule(static) if (nb > 1)
    for (size_t b = 0; b < nb; b++) {
        const size_t i0 = b * MD_BLOCK, i1 = block_end(b, n);
        for (size_t i = i0; i < i1; i++) { s->vx[i] *= scale; s->vy[i] *= scale; s->vz[i] *= scale; }
        if (sums) block_sum(s, i0, i1, md->part + 4 * b);
    }
}

/* First half of the step: barostat scaling (NPT), half kick, drift, and
 * under NPT the two half dilations around it (FixNH: nh_v_press, nve_v,
 * remap, nve_x, remap). */
static void first_half(am_md *md, int npt, const double f[3], const dilation *r1, const dilation *r2)
{
    am_system *s = md->s;
    const size_t n = s->n, nb = md_blocks(md);
    const double h = 0.5 * md->o.dt * md->ftm2v, dt = md->o.dt;
    const double *fx = md->f, *fy = md->f + n, *fz = md->f + 2 * n;
#pragma omp parallel for schedule(static) if (nb > 1)
    for (size_t b = 0; b < nb; b++) {
        const size_t i0 = b * MD_BLOCK, i1 = block_end(b, n);
        for (size_t i = i0; i < i1; i++) {
            double vx = s->vx[i], vy = s->vy[i], vz = s->vz[i];
            if (npt) {
                /* the two multiplications kept apart, as in LAMMPS */
                vx *= f[0]; vy *= f[1]; vz *= f[2];
                vx *= f[0]; vy *= f[1]; vz *= f[2];
            }
            const double a = h * md->inv_m[i];
            vx += a * fx[i]; vy += a * fy[i]; vz += a * fz[i];
            s->vx[i] = vx; s->vy[i] = vy; s->vz[i] = vz;
            double x = s->x[i], y = s->y[i], z = s->z[i];
            if (npt) {
                x = dilate(r1, 0, x); y = dilate(r1, 1, y); z = dilate(r1, 2, z);
            }
            x += dt * vx; y += dt * vy; z += dt * vz;
            if (npt) {
                x = dilate(r2, 0, x); y = dilate(r2, 1, y); z = dilate(r2, 2, z);
            }
            s->x[i] = x; s->y[i] = y; s->z[i] = z;
        }
    }
}

/* Second half: half kick, barostat scaling (NPT), and the sums of m v². */
static void second_half(am_md *md, int npt, const double f[3])
{
    am_system *s = md->s;
    const size_t n = s->n, nb = md_blocks(md);
    const double h = 0.5 * md->o.dt * md->ftm2v;
    const double *fx = md->f, *fy = md->f + n, *fz = md->f + 2 * n;
#pragma omp parallel for schedule(static) if (nb > 1)
    for (size_t b = 0; b < nb; b++) {
        const size_t i0 = b * MD_BLOCK, i1 = block_end(b, n);
        for (size_t i = i0; i < i1; i++) {
            const double a = h * md->inv_m[i];
            double vx = s->vx[i] + a * fx[i], vy = s->vy[i] + a * fy[i], vz = s->vz[i] + a * fz[i];
            if (npt) {
                vx *= f[0]; vy *= f[1]; vz *= f[2];
                vx *= f[0]; vy *= f[1]; vz *= f[2];
            }
            s->vx[i] = vx; s->vy[i] = vy; s->vz[i] = vz;
        }
        block_sum(s, i0, i1, md->part + 4 * b);
    }
}

double am_md_default_dt(const am_units *u)
{
    /* LAMMPS's own defaults for the two styles (update.cpp): 1 fs would do for
     * metal too, but 2 fs conserves energy in Cu-Zr (tests/test_md.c), and
     * 0.005 τ is what Kob-Andersen simulations use */
    return strcmp(u->style, "lj") == 0 ? 0.005 : 0.002;
}

am_status am_md_alloc(am_engine *e, am_system *s, const am_md_options *o, am_md **out)
{
    *out = NULL;
    const am_units *u = am_engine_units(e);
    if (!s->vx) return am_fail(AM_ERR_VALUE, "md: the configuration has no velocities (create them first)");
    if (o->ensemble != AM_NVE && !(o->t_start > 0 && o->t_stop > 0))
        return am_fail(AM_ERR_VALUE, "md: NVT/NPT need positive temperatures, got %g and %g %s", o->t_start, o->t_stop,
                       u->temperature);
    if (o->ensemble == AM_NPT && (am_box_is_triclinic(&s->box) || !s->box.periodic[0] || !s->box.periodic[1] ||
                                  !s->box.periodic[2]))
        return am_fail(AM_ERR_UNSUPPORTED, "md: NPT needs an orthogonal box periodic in x, y and z");
    /* 0 asks for the default; anything else must be a usable value */
    if (!(o->dt >= 0 && o->dt <= 0.1) || !(o->tdamp >= 0 && o->tdamp < 1e6) || !(o->pdamp >= 0 && o->pdamp < 1e6))
        return am_fail(AM_ERR_VALUE, "md: time step %g %s, damping times %g and %g %s: expected a step in (0, 0.1] "
                       "%s and finite positive damping times (0 for the defaults)", o->dt, u->time, o->tdamp, o->pdamp,
                       u->time, u->time);
    if (o->nsteps < 0) return am_fail(AM_ERR_VALUE, "md: %ld steps: expected a count >= 0", o->nsteps);
    if (o->chain < 0 || o->pchain < 0 || o->chain > AM_MD_MAX_CHAIN || o->pchain > AM_MD_MAX_CHAIN)
        return am_fail(AM_ERR_VALUE, "md: chain lengths %d, %d: expected 0 (default) to %d", o->chain, o->pchain, AM_MD_MAX_CHAIN);
    am_md *md = calloc(1, sizeof *md);
    if (!md) return am_fail(AM_ERR_NOMEM, "md: out of memory");
    md->e = e;
    md->s = s;
    md->o = *o;
    md->u = u;
    md->boltz = u->boltz;
    md->nktv2p = u->nktv2p;
    md->ftm2v = 1.0 / u->mvv2e;
    if (!(md->o.dt > 0)) md->o.dt = am_md_default_dt(u);
    if (!(md->o.tdamp > 0)) md->o.tdamp = 100 * md->o.dt;
    if (!(md->o.pdamp > 0)) md->o.pdamp = 1000 * md->o.dt;
    md->state.m = md->o.chain > 0 ? md->o.chain : 3;
    md->state.mp = md->o.pchain > 0 ? md->o.pchain : 3;
    const size_t n = s->n;
    md->f = malloc(3 * n * sizeof(double) + 1);
    md->inv_m = malloc(n * sizeof(double) + 1);
    md->part = malloc(4 * ((n + MD_BLOCK - 1) / MD_BLOCK) * sizeof(double) + 1);
    if (!md->f || !md->inv_m || !md->part) { am_md_free(md); return am_fail(AM_ERR_NOMEM, "md: out of memory for %zu atoms", n); }
    for (size_t i = 0; i < n; i++) {
        const double m = s->species[s->type[i]].mass;
        if (!(m > 0)) {
            am_md_free(md);
            return am_fail(AM_ERR_VALUE, "md: species %s has no mass", s->species[s->type[i]].name);
        }
        md->inv_m[i] = 1.0 / m;
    }
    *out = md;
    return AM_OK;
}

am_status am_md_create(am_engine *e, am_system *s, const am_md_options *o, am_md **out)
{
    am_md *md;
    am_status st = am_md_alloc(e, s, o, &md);
    if (st) return st;
    am_md_state *S = &md->state;
    const size_t n = s->n;
    S->tdof = 3.0 * (double)n - 3.0;
    S->t_current = am_temperature(s, md->u);
    target_temperature(md);
    if (md->o.ensemble != AM_NVE) {
        chain_masses(md);
        for (int c = 1; c < S->m; c++)
            S->eta_dotdot[c] = (S->eta_mass[c - 1] * S->eta_dot[c - 1] * S->eta_dot[c - 1] - md->boltz * S->t_target) /
                               S->eta_mass[c];
    }
    for (int d = 0; d < 3; d++) {
        S->lo[d] = s->box.lo[d];
        S->hi[d] = s->box.lo[d] + s->box.len[d];
        S->fixedpoint[d] = s->box.lo[d] + 0.5 * s->box.len[d];
    }
    if ((st = compute_forces(md))) { am_md_free(md); return st; }
    if (md->o.ensemble == AM_NPT) {
        /* masses of the barostat and its chain, from the initial target (FixNH::setup) */
        const double kt = md->boltz * S->t_target, pfreq = 1.0 / md->o.pdamp;
        for (int d = 0; d < 3; d++) S->omega_mass[d] = ((double)n + 1.0) * kt / (pfreq * pfreq);
        for (int c = 0; c < S->mp; c++) S->etap_mass[c] = kt / (pfreq * pfreq);
        for (int c = 1; c < S->mp; c++)
            S->etap_dotdot[c] = (S->etap_mass[c - 1] * S->etap_dot[c - 1] * S->etap_dot[c - 1] - kt) / S->etap_mass[c];
        S->vol0 = volume(md);
        target_pressure(md);
        double mv2[4];
        scale_velocities(md, 1.0, 1);
        md_sums(md, mv2);
        current_pressure(md, mv2);
    }
    *out = md;
    return AM_OK;
}

void am_md_free(am_md *md)
{
    if (!md) return;
    free(md->f);
    free(md->inv_m);
    free(md->part);
    free(md);
}

am_status am_md_step(am_md *md)
{
    const int nvt = md->o.ensemble != AM_NVE, npt = md->o.ensemble == AM_NPT;
    double mv2[4], f[3] = {1.0, 1.0, 1.0};
    dilation r1, r2; /* set, and read, under NPT only */
    md->state.step++;
    if (npt) press_chain_half_step(md);
    double scale = 1.0;
    if (nvt) {
        target_temperature(md);
        scale = chain_half_step(md);
    }
    if (nvt) scale_velocities(md, scale, npt); /* NPT is NVT as well */
    if (npt) {
        md_sums(md, mv2);
        current_pressure(md, mv2); /* the thermostat changed the kinetic part */
        target_pressure(md);
        omega_half_step(md);
        barostat_factors(md, f);
        remap_box(md, &r1);
        remap_box(md, &r2);
    }
    first_half(md, npt, f, &r1, &r2);
    if (md->state.step % WRAP_EVERY == 0) am_system_wrap(md->s);
    am_status st = compute_forces(md);
    if (st) return st;
    if (npt) barostat_factors(md, f);
    second_half(md, npt, f);
    md_sums(md, mv2);
    md->state.t_current = temperature_of(md, mv2[0]);
    if (npt) {
        current_pressure(md, mv2);
        omega_half_step(md);
    }
    if (nvt) scale_velocities(md, chain_half_step(md), 0);
    if (npt) press_chain_half_step(md);
    return AM_OK;
}

void am_md_thermo(const am_md *md, am_thermo *t)
{
    t->step = md->state.step;
    t->time = (double)md->state.step * md->o.dt;
    t->ke = am_kinetic_energy(md->s, md->u);
    t->temperature = md->state.tdof > 0 ? 2.0 * t->ke / (md->state.tdof * md->boltz) : 0.0;
    t->pe = md->state.pe;
    double extra = 0.0;
    const double kt = md->boltz * md->state.t_target;
    if (md->o.ensemble != AM_NVE) {
        extra = md->state.tdof * kt * md->state.eta[0] + 0.5 * md->state.eta_mass[0] * md->state.eta_dot[0] * md->state.eta_dot[0];
        for (int c = 1; c < md->state.m; c++) extra += kt * md->state.eta[c] + 0.5 * md->state.eta_mass[c] * md->state.eta_dot[c] * md->state.eta_dot[c];
    }
    t->volume = volume(md);
    /* NVE/NVT have a virial only on the steps that asked for one. With the
     * velocities at the end of the step, as LAMMPS's thermo press: the
     * barostat's own p_current predates the last thermostat half-step. */
    t->pressure = md->o.ensemble == AM_NPT || virial_step(md)
                      ? scalar_pressure(md, am_temperature(md->s, md->u), 1.0 / t->volume)
                      : NAN;
    if (md->o.ensemble == AM_NPT) {
        for (int d = 0; d < 3; d++)
            extra += 0.5 * md->state.omega_dot[d] * md->state.omega_dot[d] * md->state.omega_mass[d] +
                     md->state.p_hydro * (t->volume - md->state.vol0) / (3.0 * md->nktv2p);
        const double lkt = md->o.barostat == AM_BARO_ISO ? kt : 3.0 * kt;
        extra += lkt * md->state.etap[0] + 0.5 * md->state.etap_mass[0] * md->state.etap_dot[0] * md->state.etap_dot[0];
        for (int c = 1; c < md->state.mp; c++)
            extra += kt * md->state.etap[c] + 0.5 * md->state.etap_mass[c] * md->state.etap_dot[c] * md->state.etap_dot[c];
    }
    t->conserved = t->pe + t->ke + extra;
}

const double *am_md_forces(const am_md *md, int component)
{
    return md->f + (size_t)component * md->s->n;
}
