/* Runs LAMMPS (Debian's `lmp`) on a configuration and reads back what it
 * computed, so tests can compare amorph with the reference engine in the
 * same run. */
#ifndef AM_TEST_LAMMPS_H
#define AM_TEST_LAMMPS_H

#include "amorph/amorph.h"

typedef struct lmp_result {
    double energy;     /* eV */
    double ke;         /* kinetic energy, eV */
    double volume;     /* Å³ */
    double press[6];   /* virial part of the pressure, bar: xx yy zz xy xz yz */
    double *fx, *fy, *fz, *e_atom; /* by system index (matched through ids) */
    double *v_atom;    /* per-atom virial, 6 per atom (xx yy zz xy xz yz), amorph's sign: −stress/atom */
    double *x, *y, *z; /* final positions, unwrapped with image flags */
} lmp_result;

/* pair_style and pair_coeff lines for a potential file and the system's
 * species, e.g. "eam/fs" + "* * FILE Cu Zr". */
void lmp_pair_lines(const char *pot_path, am_eam_style style, const am_system *s, char *style_out,
                    size_t style_cap, char *coeff_out, size_t coeff_cap);

/* Writes s to dir/in.data, runs a zero-step LAMMPS run with the given pair
 * lines, and fills r (arrays allocated here; free with lmp_result_free).
 * Returns 0 on success. */
int lmp_single_point(const char *dir, const am_system *s, const char *pair_style, const char *pair_coeff,
                     lmp_result *r);
/* As lmp_single_point, but runs `commands` (e.g. "min_style cg\nminimize 0 1e-10 1000 10000")
 * and reports the final state. */
int lmp_run(const char *dir, const am_system *s, const char *pair_style, const char *pair_coeff,
            const char *commands, lmp_result *r);
/* As lmp_run in LAMMPS units `units` ("metal", "lj"): energies, forces and
 * pressures are then in those units (lj: ε, ε/σ, ε/σ³). */
int lmp_run_units(const char *dir, const char *units, const am_system *s, const char *pair_style,
                  const char *pair_coeff, const char *commands, lmp_result *r);
void lmp_result_free(lmp_result *r);

/* Kob-Andersen (data/potentials/kob_andersen.lj) as LAMMPS pair_style
 * lj/cut 2.5 coefficients, units lj. */
#define LMP_KA_COEFF                                                                                              \
    "pair_coeff 1 1 1.0 1.0 2.5\npair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes"

/* 1 if `lmp` can be run. */
int lmp_available(void);

#endif
