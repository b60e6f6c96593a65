/* amorph — energy minimisation.
 *
 * Minimisers work on a flat vector of 3-vectors (n = 3 × number of atoms,
 * atom-major: x0 y0 z0 x1 ...) through an objective callback, so that ARTn can
 * drive them on constrained subspaces; am_minimize() applies them to a system
 * and a force engine. Forces are eV/Å, positions Å (the potential's units:
 * ε/σ and σ for Lennard-Jones). */
#ifndef AMORPH_MINIMIZE_H
#define AMORPH_MINIMIZE_H

#include "amorph/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Energy (eV) and gradient (= -force, eV/Å) at x; both outputs caller-owned. */
typedef am_status (*am_objective)(void *ctx, const double *x, double *energy, double *grad);

typedef enum am_min_method {
    AM_MIN_CG = 0, /* Polak-Ribière conjugate gradient, secant line search on the directional derivative */
    AM_MIN_FIRE,   /* FIRE 2.0 (Guénolé et al., Comput. Mater. Sci. 175 (2020) 109584) */
    AM_MIN_LBFGS   /* limited-memory BFGS, the same line search with c2 0.9: about one call per iteration */
} am_min_method;

typedef struct am_min_options {
    am_min_method method;
    double ftol;     /* stop when every atom's |force| < ftol, eV/Å (default 1e-6 when 0) */
    double etol;     /* stop when |ΔE| <= etol (|E| + |E_prev|)/2 between iterations; 0 = never */
    long max_iter;   /* default 100000 when 0 */
    long max_eval;   /* default 1000000 when 0 */
    double dmax;     /* largest move of any atom per step, Å (default 0.1 when 0: LAMMPS's, in any units) */
    double dt;       /* FIRE initial time step, ps (default 0.002 when 0); dt_max = 10 dt, dt_min = 0.02 dt */
    double wolfe;    /* CG: a line search ends when the slope has fallen to this fraction of the
                      * first (strong Wolfe c2, default 0.1 when 0; < 0.5 keeps PR+ descending).
                      * Looser costs fewer force calls per iteration, more iterations */
    int memory;      /* L-BFGS: correction pairs kept (default 8 when 0) */
    /* am_minimize only: relax the box too (orthogonal boxes), minimising the
     * enthalpy E + P V at the target pressure, as LAMMPS fix box/relax. */
    enum { AM_BOX_FIXED = 0, AM_BOX_ISO, AM_BOX_ANISO } box;
    double pressure; /* target, bar (the potential's pressure unit: ε/σ³ in lj) */
    /* FIRE's units: mass·velocity² in energy (am_units.mvv2e; 0: metal's). am_minimize
     * sets the engine's, and in lj units FIRE's default dt 0.005 τ */
    double mvv2e;
} am_min_options;

typedef struct am_min_result {
    double energy;       /* eV (enthalpy E + P V when the box is relaxed) */
    double fmax;         /* largest per-atom |force|, eV/Å */
    long iterations, evaluations;
    int converged;       /* 1 when ftol (or etol) was met */
    char reason[64];     /* "force tolerance", "energy tolerance", "iteration limit", ... */
} am_min_result;

/* Minimises the objective from x (n values, updated in place). inv_mass:
 * per-atom 1/m (amu⁻¹) for FIRE's dynamics, n/3 values, or NULL for unit
 * masses; CG and L-BFGS ignore it. */
AM_API am_status am_min_run(const am_min_options *o, size_t n, double *x, const double *inv_mass, am_objective obj,
                     void *ctx, am_min_result *r);

/* Relaxes the atoms of s (and its box, if o->box says so) with the engine's
 * potential. With a box, convergence also requires every relaxed pressure
 * component (virial part; velocities are ignored) to be within
 * ftol × L / V of the target, L = V^(1/3): ~1e-3 bar for ftol 1e-6 eV/Å
 * and a 36 000 Å³ cell. */
AM_API am_status am_minimize(am_engine *e, am_system *s, const am_min_options *o, am_min_result *r);

#ifdef __cplusplus
}
#endif
#endif
