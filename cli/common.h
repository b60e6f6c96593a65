/* Shared CLI steps: reading the configuration and the potential the same way
 * in every verb. */
#ifndef AM_CLI_COMMON_H
#define AM_CLI_COMMON_H

#include "amorph/amorph.h"
#include "opts.h"

#include <stdio.h>

#if defined(__GNUC__)
#define AM_CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define AM_CLI_PRINTF(a, b)
#endif

/* Option table entries every configuration-reading verb has. */
#define CLI_OPTS_CONF                                                                              \
    {"potential", 'p', "POT", NULL,                                                                \
     "EAM potential file (.eam, .eam.alloy, .eam.fs; funcfl: comma-separated list) or name "      \
     "(mendelev2009: Cu-Zr, Phil. Mag. 89 (2009) 967, shipped; mendelev2007: Debian's CuZr_mm.eam.fs); " \
     "default " AM_POTENTIAL_DEFAULT_NAME " when the atoms are Cu and Zr", NULL},                  \
    {"species", 0, "LIST", NULL, "species of LAMMPS types 1,2,... (e.g. Cu,Zr); must agree with the file's type "  \
     "labels, Masses comments and masses", NULL},                                                   \
    {"force-species", 0, NULL, NULL, "use --species even where the file names or weighs the types otherwise", NULL}, \
    {"format", 0, "FMT", "(from the extension)", "input format: data, dump, xyz", NULL},                \
    {"frame", 0, "K", "0", "frame of a multi-frame file (0 = first, -1 = last)", NULL}

#define CLI_OPTS_COMMON                                                                            \
    {"threads", 0, "T", "(OMP_NUM_THREADS, else all cores)", "number of threads", NULL},               \
    {"quiet", 'q', NULL, NULL, "no progress output", NULL},                                        \
    {"json", 0, NULL, NULL, "print results as JSON", NULL}

/* Prints "amorph VERB: message" for the last library error and returns 1. */
int cli_report(const char *verb, am_status st);
/* The read options the configuration options (--format, --species,
 * --force-species, --frame) ask for; prints the error and returns 2 when bad. */
int cli_read_options(const cli_verb *v, am_read_options *ro);
/* Reads the configuration named by the verb's positional argument. */
int cli_load_conf(const cli_verb *v, const char *path, am_system **out);
/* Reads the potential (-p, or the default one for Cu-Zr). */
int cli_load_potential(const cli_verb *v, const am_system *s, am_potential **out);

/* What most verbs start from: configuration, potential and force engine
 * (neighbour skin from --skin when the verb has it). */
typedef struct cli_model {
    am_system *s;
    am_potential *pot;
    am_engine *eng;
} cli_model;
int cli_model_load(const cli_verb *v, const char *conf, cli_model *m);
/* The same for a system already in m->s (taken over: freed on failure). */
int cli_model_attach(const cli_verb *v, cli_model *m);
void cli_model_free(cli_model *m);

/* fprintf for JSON text: non-finite numbers printed as nan/inf become null. */
void cli_json_printf(FILE *f, const char *fmt, ...) AM_CLI_PRINTF(2, 3);

/* A JSON number, or null when v is not finite (JSON has no NaN). */
void cli_json_num(FILE *f, double v);

#endif
