/* Internal: the integrator's state, kept as plain data so that checkpoints
 * can store it byte for byte. */
#ifndef AM_DYNAMICS_MD_STATE_H
#define AM_DYNAMICS_MD_STATE_H

#include "amorph/dynamics.h"

#define AM_MD_MAX_CHAIN 16

typedef struct am_md_state {
    double pe;
    long step;
    double tdof, t_current, t_target;
    int m, mp;
    double eta[AM_MD_MAX_CHAIN], eta_dot[AM_MD_MAX_CHAIN + 1], eta_dotdot[AM_MD_MAX_CHAIN], eta_mass[AM_MD_MAX_CHAIN];
    /* barostat (NPT) */
    double virial[6];                 /* of the current forces, eV */
    double lo[3], hi[3], fixedpoint[3], vol0;
    double p_target[3], p_hydro, p_current[3], mvv[3];
    double omega_dot[3], omega_mass[3], mtk_term1, mtk_term2;
    double etap[AM_MD_MAX_CHAIN], etap_dot[AM_MD_MAX_CHAIN + 1], etap_dotdot[AM_MD_MAX_CHAIN];
    double etap_mass[AM_MD_MAX_CHAIN];
} am_md_state;

struct am_md {
    am_engine *e;
    am_system *s;
    am_md_options o;
    double *f, *inv_m; /* forces fx|fy|fz blocks; 1/m per atom */
    double *part;      /* per block of atoms: sums of m v² (all, x, y, z) */
    am_md_state state;
    /* the potential's units, and the constants of the step taken from them
     * once (a checkpoint is bound to the potential, so they never change) */
    const am_units *u;
    double boltz, nktv2p, ftm2v;
};

/* The default MD time step of a unit style: 2 fs in metal, 0.005 τ in lj
 * (docs/dynamics.md, "Units"). */
double am_md_default_dt(const am_units *u);

/* Checks the options and allocates an integrator without computing forces
 * or initialising the chains. */
am_status am_md_alloc(am_engine *e, am_system *s, const am_md_options *o, am_md **out);

/* Temperature of n atoms with kinetic energy ke (3n - 3 degrees of
 * freedom): am_temperature's arithmetic, shared with the integrator, which
 * has its sums of m v² already. */
static inline double am_temperature_of_ke(size_t n, const am_units *u, double ke)
{
    const double dof = 3.0 * (double)n - 3.0;
    return dof > 0 ? 2.0 * ke / (dof * u->boltz) : 0.0;
}

#endif
