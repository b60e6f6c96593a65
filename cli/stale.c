#include "stale.h"
#include "io/atomic_file.h"

#include <stdio.h>
#include <string.h>

/* A writer locks its temporary at once; the age only covers the moments
 * before that lock and between its close and rename. */
static const double MIN_AGE = 60.0; /* s */

void cli_remove_stale(const char *verb, const char *target, int quiet)
{
    const int n = am_io_remove_stale_temps(target, MIN_AGE);
    if (n > 0 && !quiet)
        fprintf(stderr, "amorph %s: removed %d stale temporary file%s of %s (left by an interrupted write)\n", verb, n,
                n > 1 ? "s" : "", target);
}

void cli_remove_stale_outputs(const cli_verb *v, int quiet)
{
    for (const cli_opt *o = v->opts; o->name; o++)
        if (o->arg && strcmp(o->arg, "FILE") == 0 && cli_given(v, o->name) && o->value)
            cli_remove_stale(v->name, o->value, quiet);
}
