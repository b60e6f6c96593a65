/* Internal: forces from LAMMPS itself, through its C library (liblammps).
 *
 * A LAMMPS instance holds a copy of the system's atoms and the user's pair
 * commands; an evaluation sends the positions (wrapped into the box) and runs
 * one step without an integrator ("run 1 pre no post no"): LAMMPS rebuilds its
 * neighbour list when an atom has moved more than half the skin, and nothing
 * else is set up again. The per-call overhead over the force computation
 * itself is measured in docs/engines.md. A changed box is passed with
 * lammps_reset_box and a full setup ("run 0 pre yes").
 *
 * LAMMPS as Debian builds it stops the process on an error (no C++
 * exceptions). The pair commands therefore pass two checks before the library
 * sees them: a whitelist (pair_style, pair_coeff, pair_modify; no variables,
 * no quotes, no python), and a dry run of the same setup by the `lmp` program
 * in a child process, whose ERROR line becomes the error message. */
#ifndef AM_POTENTIAL_LAMMPS_LIB_H
#define AM_POTENTIAL_LAMMPS_LIB_H

#include "amorph/potential.h"

typedef struct am_lmp am_lmp;

/* The checks above, without the dry run: every command one line of at most
 * AM_LMP_MAX_CMD characters, starting with pair_style, pair_coeff or
 * pair_modify, of letters, digits, spaces and _ . / - + * : @ , = only, and
 * not naming python. `what` labels the error (e.g. "--pair 2"). */
am_status am_lmp_check_command(const char *cmd, const char *what);
/* The character check alone (file names that go into generated commands). */
am_status am_lmp_check_chars(const char *text, const char *what);

/* A LAMMPS instance for s (its species become LAMMPS types 1..nspecies in
 * order, with their masses, which must be known) under `units` ("metal" or
 * "lj"), with the pair commands cmds[0..ncmd-1] and neighbour skin `skin`
 * (units of length). Runs the dry run first (needs `lmp` on PATH, the
 * program of the same LAMMPS as the library), once per process for the same
 * commands, types and boundaries; *cutoff is the pair style's force cutoff
 * LAMMPS reported there (NaN when the run was skipped).
 *
 * LAMMPS instances are created, used and freed under one lock: LAMMPS does
 * not promise that instances in concurrent threads are independent, and
 * parallel work with this engine goes to processes or MPI ranks. */
am_status am_lmp_create(const am_system *s, const char *units, const char *const *cmds, int ncmd, double skin,
                        am_lmp **out, double *cutoff);
void am_lmp_free(am_lmp *l);

/* Energy, forces, virial (unless r->skip_virial) and per-atom energy (when
 * r->e_atom) of s's current positions and box; s must have the atoms and
 * species it was created with. r->v_atom and r->rho are not available
 * (an error when asked for). */
am_status am_lmp_compute(am_lmp *l, const am_system *s, am_result *r);

/* Sets LAMMPS_POTENTIALS to Debian's potential directory when it is unset
 * (where LAMMPS looks for a file named without a directory). */
void am_lmp_default_potentials(void);

/* Full setups so far (creation and box changes) and evaluations. */
long am_lmp_setups(const am_lmp *l);

#endif
