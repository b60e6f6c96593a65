/* Shared CLI steps: reading the configuration and the potential the same way
 * in every verb. */
#ifndef AM_CLI_COMMON_H
#define AM_CLI_COMMON_H

#include "amorph/amorph.h"
#include "omp_wait.h"
#include "opts.h"

#include <stdio.h>

#if defined(__GNUC__)
#define AM_CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define AM_CLI_PRINTF(a, b)
#endif

/* Option table entries shared by verbs: one entry per meaning, so a name has
 * the same default, unit and help text wherever it appears. */

/* The potential, for verbs that compute forces. */
#define CLI_OPT_POTENTIAL                                                                          \
    {"potential", 'p', "POT", NULL,                                                                \
     "potential file (EAM: .eam, .eam.alloy, .eam.fs, funcfl: comma-separated list; Lennard-Jones: .lj) or name " \
     "(mendelev2009: Cu-Zr, Phil. Mag. 89 (2009) 967, shipped; mendelev2007: Debian's CuZr_mm.eam.fs; "       \
     "kob-andersen: Kob-Andersen binary LJ, types A and B, LAMMPS lj units); "                          \
     "default " AM_POTENTIAL_DEFAULT_NAME " when the atoms are Cu and Zr", NULL}

/* How the configuration is read (cli_read_options). */
#define CLI_OPTS_READ                                                                              \
    {"species", 0, "LIST", NULL, "species of LAMMPS types 1,2,... (e.g. Cu,Zr); must agree with the file's type "  \
     "labels, Masses comments and masses", NULL},                                                   \
    {"force-species", 0, NULL, NULL, "use --species even where the file names or weighs the types otherwise", NULL}, \
    {"format", 0, "FMT", "(from the extension)", "input format: data, dump, xyz", NULL},                \
    {"frame", 0, "K", "0", "frame of a multi-frame file (0 = first, -1 = last)", NULL}

/* Who computes the forces: amorph's kernels, or LAMMPS through its library
 * with any pair style (docs/engines.md). */
#define CLI_OPTS_ENGINE                                                                            \
    {"engine", 0, "NAME", "amorph", "force engine: amorph (its own kernels), or lammps (LAMMPS through its library: "  \
     "the commands of --pair or --pair-file, else -p's potential as LAMMPS commands; quench instead writes its " \
     "protocol as a LAMMPS input, see --run)", NULL},                                              \
    {"pair", 0, "CMD", NULL, "with --engine lammps: a LAMMPS pair command (pair_style, pair_coeff or pair_modify, "   \
     "as in a LAMMPS input; LAMMPS type k is the configuration's k-th species); repeat it for each", NULL}, \
    {"pair-file", 0, "FILE", NULL, "with --engine lammps: a file of such commands, one per line (# comments; an "  \
     "optional first line units metal or units lj)", NULL},                                         \
    {"units", 0, "STYLE", "metal", "with --pair: the LAMMPS unit style of the commands' numbers, metal or lj", NULL}

/* Every verb that reads a configuration and computes forces. */
#define CLI_OPTS_CONF CLI_OPT_POTENTIAL, CLI_OPTS_ENGINE, CLI_OPTS_READ

/* One force tolerance for every relaxation a verb runs (amorph minimize, and
 * --minimize before modes, vibrate and artn), so an inherent structure made
 * by one verb is as converged as one made by another. 1e-8 eV/Å: modes and
 * ARTn need minima far below MD's force noise, and it is cheap: the shipped
 * 2000-atom glass relaxed from a 300 K snapshot takes 631 force calls against
 * 542 for 1e-6 (1.35 s against 1.2 s on one thread). */
#define CLI_FTOL_DEFAULT "1e-8"
#define CLI_OPT_FTOL                                                                               \
    {"ftol", 0, "F", CLI_FTOL_DEFAULT, "force tolerance: the relaxation stops when every atom's |force| is below F, " \
     "eV/Å", NULL}
#define CLI_OPTS_MINIMIZE                                                                          \
    {"minimize", 0, NULL, NULL, "relax the configuration first (CG to --ftol): the verb needs a local minimum", NULL}, \
    CLI_OPT_FTOL

#define CLI_OPT_SKIN {"skin", 0, "DIST", "1.0", "neighbour-list skin, Å", NULL}
#define CLI_OPT_DT {"dt", 0, "PS", "0.002", "MD time step, ps", NULL}

/* Nosé-Hoover damping of every NVT/NPT run: 100 steps of the default 2 fs
 * --dt (LAMMPS's advice), as amorph quench's thermostat; 100 steps of 0.005 τ
 * in lj units (cli/units.c). */
#define CLI_OPT_TDAMP {"tdamp", 0, "PS", "0.2", "Nosé-Hoover thermostat damping time, ps", NULL}

#define CLI_OPT_QUIET {"quiet", 'q', NULL, NULL, "print nothing but errors and warnings (--json output still)", NULL}
#define CLI_OPT_JSON {"json", 0, NULL, NULL, "print the results as one JSON object", NULL}
#define CLI_OPTS_COMMON                                                                            \
    {"threads", 0, "T", "(OMP_NUM_THREADS, else all cores; 1 per rank under mpirun)",                 \
     "number of threads (a waiting thread sleeps after a short spin: GOMP_SPINCOUNT "                 \
     CLI_GOMP_SPINCOUNT " unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set, OPENBLAS_THREAD_TIMEOUT "   \
     CLI_OPENBLAS_THREAD_TIMEOUT " unless it or GOTO_THREAD_TIMEOUT is set)",                          \
     NULL},                                                                                         \
    CLI_OPT_QUIET, CLI_OPT_JSON

/* Prints "amorph VERB: message" for the last library error and returns 1. */
int cli_report(const char *verb, am_status st);
/* The read options the configuration options (--format, --species,
 * --force-species, --frame) ask for; prints the error and returns 2 when bad. */
int cli_read_options(const cli_verb *v, am_read_options *ro);
/* Reads the configuration named by the verb's positional argument. */
int cli_load_conf(const cli_verb *v, const char *path, am_system **out);
/* Reads per-atom tables (extended XYZ: describe, vibrate, modes, artn) and
 * joins their columns by atom id onto the first one's configuration; the
 * error printed and 1 returned on failure. */
int cli_load_tables(const cli_verb *v, const char *const *paths, int npaths, am_system **s, am_table **t);
/* Reads the potential (-p, or the default one for Cu-Zr), for the engine of
 * --engine (with --engine lammps, the commands of --pair or --pair-file, or
 * -p's potential as LAMMPS commands). */
int cli_load_potential(const cli_verb *v, const am_system *s, am_potential **out);

/* What most verbs start from: configuration, potential and force engine
 * (neighbour skin from --skin when the verb has it). Every number is in the
 * potential's units: once it is read, the options left off take their
 * defaults for its units (cli_apply_units), so a verb reads its unit-bearing
 * options after this. */
typedef struct cli_model {
    am_system *s;
    am_potential *pot;
    am_engine *eng;
} cli_model;
int cli_model_load(cli_verb *v, const char *conf, cli_model *m);
/* The same for a system already in m->s (taken over: freed on failure). */
int cli_model_attach(cli_verb *v, cli_model *m);
void cli_model_free(cli_model *m);

/* Unit names of a potential for output: the JSON names (am_units), and for
 * text the same with Å where metal units have always printed it. */
typedef struct cli_units {
    const am_units *u;
    int metal;
    const char *volume, *force; /* text */
} cli_units;
cli_units cli_units_of(const am_potential *p);
/* "units": {"system": ..., "energy": ..., ...} for a JSON object (no comma). */
void cli_units_json(FILE *f, const am_units *u);
/* A configuration (am_write), with units=STYLE on the comment line when it
 * is extended XYZ. */
am_status cli_write_conf(const char *path, const am_system *s, const am_units *u);

/* --minimize: relaxes m->s in place (CG to --ftol) when the flag is given; a
 * relaxation that stops short of --ftol is warned about (when warn) but used.
 * 0, or the exit status after an error message. */
int cli_minimize_if_asked(const cli_verb *v, cli_model *m, int warn);

/* Writes the per-atom table of -o: a LAMMPS dump (am_write_dump_table) when
 * the name ends in .dump or .lammpstrj, else extended XYZ with info (may be
 * NULL) on its comment line, which a dump has no place for. */
am_status cli_write_atoms(const char *path, const am_system *s, const am_column *cols, int ncols, const char *info);
/* The same with units=STYLE as the info: the per-atom tables of the verbs,
 * which amorph analyze reads the unit system from. */
am_status cli_write_table(const char *path, const am_system *s, const am_column *cols, int ncols, const am_units *u);

/* fprintf for JSON text: non-finite numbers printed as nan/inf become null. */
void cli_json_printf(FILE *f, const char *fmt, ...) AM_CLI_PRINTF(2, 3);

/* A JSON string (escaped), or null for NULL. */
void cli_json_str(FILE *f, const char *s);

/* A JSON number, or null when v is not finite (JSON has no NaN). */
void cli_json_num(FILE *f, double v);

#endif
