/* amorph — molecular dynamics.
 *
 * Velocity Verlet; NVE; NVT with a Nosé–Hoover chain and NPT with the
 * Martyna–Tobias–Klein barostat (isotropic or per axis, orthogonal boxes),
 * both integrated exactly as LAMMPS `fix nvt` / `fix npt` do (chains of 3 by
 * default), so runs are comparable step by step. Units are the potential's
 * (am_engine_units): ps, K, bar, Å/ps in metal; τ, ε/k_B, ε/σ³, σ/τ in lj;
 * defaults below are metal's (lj's in brackets where they differ). */
#ifndef AMORPH_DYNAMICS_H
#define AMORPH_DYNAMICS_H

#include "amorph/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum am_ensemble { AM_NVE = 0, AM_NVT, AM_NPT } am_ensemble;
typedef enum am_barostat {
    AM_BARO_ISO = 0, /* one pressure, box scaled uniformly (LAMMPS "iso") */
    AM_BARO_ANISO    /* each axis to its own target (LAMMPS "aniso") */
} am_barostat;

typedef struct am_md_options {
    am_ensemble ensemble;
    double dt;            /* time step, ps (default 0.002 [lj 0.005 τ] when 0) */
    double t_start, t_stop; /* thermostat target, K, ramped linearly over the run */
    double tdamp;         /* thermostat damping time, ps (default 100 dt when 0) */
    int chain;            /* Nosé–Hoover chain length (default 3 when 0) */
    long nsteps;          /* length of the run the ramp spans */
    /* NPT only: */
    am_barostat barostat;
    double p_start, p_stop; /* target pressure, bar, ramped over the run */
    double pdamp;           /* barostat damping time, ps (default 1000 dt when 0) */
    int pchain;             /* chain length of the barostat's thermostat (default 3 when 0) */
    /* NVE and NVT: the virial is computed with the forces of every step that
     * is a multiple of this (and the last, nsteps), so that am_md_thermo
     * reports the pressure on those steps; 0 = never (NPT: every step). It
     * costs about a quarter of a force call per such step and changes no
     * trajectory. */
    long virial_every;
} am_md_options;

typedef struct am_md am_md;

/* Integrator for s with forces from e. Velocities must be present
 * (am_velocity_create). Computes the initial forces. */
AM_API am_status am_md_create(am_engine *e, am_system *s, const am_md_options *o, am_md **out);
AM_API void am_md_free(am_md *md);
/* Advances one step. */
AM_API am_status am_md_step(am_md *md);

typedef struct am_thermo {
    long step;
    double time;        /* ps (τ) */
    double temperature; /* K (ε/k_B), 3N-3 degrees of freedom */
    double pe, ke;      /* eV (ε) */
    double conserved;   /* pe + ke + thermostat and barostat energy, eV (ε) */
    double pressure;    /* bar (ε/σ³), with the kinetic part (NPT; NVE and NVT on virial_every steps; NAN otherwise) */
    double volume;      /* Å³ (σ³) */
} am_thermo;
AM_API void am_md_thermo(const am_md *md, am_thermo *t);

/* Writes the whole state of the run (system, integrator, forces) to path,
 * atomically. The next step rebuilds the neighbour list, so that the run and
 * a run resumed from this file continue identically, bit for bit. */
AM_API am_status am_md_checkpoint(am_md *md, const char *path);
/* Restores s (same atoms, by id) and an integrator from a checkpoint; o must
 * be the options of the original run. */
AM_API am_status am_md_resume(am_engine *e, am_system *s, const am_md_options *o, const char *path, am_md **out);
/* What a checkpoint was made for: hashes of the run's input configuration
 * (am_system_hash of what the run started from, not of its current state) and
 * of everything else that determines its result (options, potential). */
typedef struct am_checkpoint_key {
    uint64_t input, options;
    const char *options_what; /* the options the second hash covers, for messages (may be NULL) */
} am_checkpoint_key;
/* The same, bound to key (NULL: unbound) and with a caller's blob stored in
 * the same file (so both are replaced together); *extra is malloc'd, free()
 * it. Resuming with a key checks it before anything is read into s: a
 * checkpoint of another input, of other options, an unbound one or one from
 * a version of amorph before keys is refused (AM_ERR_VALUE, naming the file,
 * what differs, and that removing the file starts afresh). */
AM_API am_status am_md_checkpoint_extra(am_md *md, const char *path, const am_checkpoint_key *key, const void *extra,
                                 size_t nbytes);
AM_API am_status am_md_resume_extra(am_engine *e, am_system *s, const am_md_options *o, const char *path,
                             const am_checkpoint_key *key, am_md **out, void **extra, size_t *nbytes);
/* Forces of the current step (length n each, eV/Å or ε/σ); valid until the next step. */
AM_API const double *am_md_forces(const am_md *md, int component);

/* Maxwell–Boltzmann velocities at temperature T (in u's temperature unit)
 * from a seed, with zero total momentum and scaled to exactly T (3N-3
 * degrees of freedom). The same seed gives the same velocities for the same
 * atom ids, whatever the order. u: the units of the potential the system is
 * used with (am_engine_units). */
AM_API am_status am_velocity_create(am_system *s, const am_units *u, double temperature, unsigned long seed);
/* Kinetic energy (u->energy) and temperature (u->temperature) of s. */
AM_API double am_kinetic_energy(const am_system *s, const am_units *u);
AM_API double am_temperature(const am_system *s, const am_units *u);

#ifdef __cplusplus
}
#endif
#endif
