/* Command-line options from one table per verb, so parsing and --help can
 * never disagree about names or defaults. */
#ifndef AM_CLI_OPTS_H
#define AM_CLI_OPTS_H

#include <stddef.h>

typedef struct cli_opt {
    const char *name;   /* long name without dashes, e.g. "potential" */
    char short_name;    /* e.g. 'p', or 0 */
    const char *arg;    /* argument placeholder ("FILE"), NULL for flags */
    const char *def;    /* default value as text (shown in --help), or NULL; a text in
                           parentheses only describes the default behaviour */
    const char *help;   /* one line, with units; NULL: accepted but not listed by --help */
    const char *value;  /* parsed value (def until given); "1" for given flags */
} cli_opt;

typedef struct cli_verb {
    const char *name;
    const char *usage;    /* e.g. "-p POT CONF [options]" */
    const char *summary;  /* one paragraph */
    cli_opt *opts;        /* terminated by an entry with name == NULL */
    int min_pos, max_pos; /* positional arguments */
} cli_verb;

/* Parses argv (after the verb). Returns 0 ok, 1 if --help was printed, 2 on error
 * (message printed). Positional arguments are stored in pos[0..*npos-1]. */
int cli_parse(cli_verb *v, int argc, char **argv, const char **pos, int *npos);
void cli_help(const cli_verb *v);
const char *cli_get(const cli_verb *v, const char *name);
int cli_flag(const cli_verb *v, const char *name);
/* Every value of a repeatable option, in command-line order (*n of them;
 * none when it was not given). Valid until the next cli_parse. */
#define CLI_MAX_REPEAT 64
const char *const *cli_values(const cli_verb *v, const char *name, int *n);
/* 1 when the option was on the command line (even with its default value). */
int cli_given(const cli_verb *v, const char *name);
/* Numeric option values; print an error and return nonzero on bad input. */
int cli_double(const cli_verb *v, const char *name, double *out);
int cli_int(const cli_verb *v, const char *name, long *out);

/* A list of numbers "a,b,c" with ranges "from:to:step" (inclusive); *out is
 * malloc'ed (NULL and 0 values when the option is absent). */
int cli_doubles(const cli_verb *v, const char *name, double **out, int *n);

/* "did you mean": the candidate a mistyped word most likely stands for. The
 * closest candidate within 2 edits (a transposition is one), when no other is
 * as close; else the only candidate the word begins (at least 3 letters). */
typedef struct cli_suggest {
    const char *word;
    size_t len;
    const char *best, *prefix;
    int best_d, ties, prefixes;
} cli_suggest;
void cli_suggest_init(cli_suggest *s, const char *word, size_t len);
void cli_suggest_add(cli_suggest *s, const char *candidate);
/* The suggestion, or NULL when there is none. */
const char *cli_suggest_result(const cli_suggest *s);

/* Checks every numeric option against its range (cli/ranges.c, one table for
 * all verbs); prints the range with its unit and returns 2 when one is out.
 * Before the potential is known, a value passes when it is within the range
 * of any unit style; cli_apply_units checks again with the potential's. */
int cli_check_ranges(const cli_verb *v);
/* The same for the potential's units u (NULL: any style, as above). */
typedef struct am_units am_units;
int cli_check_ranges_units(const cli_verb *v, const am_units *u);
/* 1 when the option's range has a unit that follows the potential's. */
int cli_range_unit_dependent(const cli_verb *v, const char *name);

/* Units of options (cli/units.c). The default of option `name` of verb
 * `verb` in Lennard-Jones units, or NULL when it is metal's number. */
const char *cli_lj_default(const char *verb, const char *name);
/* A default computed at start-up (amorph artn's, from the library). */
void cli_units_register(const char *verb, const char *name, const char *lj_value);
/* The name in units u of a unit written in metal's ("ps" → "τ" in lj; NULL
 * or metal u: as it is). */
const char *cli_unit_name(const char *metal_unit, const am_units *u);
/* 1 when a metal unit has an lj counterpart (the option follows the potential). */
int cli_unit_dependent(const char *metal_unit);
/* Once the potential's units are known: the options left off take their lj
 * defaults (lj units), and every value is checked against the range of
 * those units. 0, or 2 after the message. */
int cli_apply_units(cli_verb *v, const am_units *u);

/* Options every verb shares (--threads, --quiet, --json, --seed) are applied here. */
int cli_apply_common(const cli_verb *v);

#endif
