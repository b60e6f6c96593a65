/* Start-up clean-up of what killed runs left of a verb's outputs: the
 * temporaries of atomic writes (io/atomic_file.h) that no live process is
 * writing any more. */
#ifndef AM_CLI_STALE_H
#define AM_CLI_STALE_H

#include "opts.h"

/* Temporaries of target older than a minute and locked by no process are
 * removed, with a note on standard error unless quiet. */
void cli_remove_stale(const char *verb, const char *target, int quiet);
/* The same for every FILE option given on v's command line. */
void cli_remove_stale_outputs(const cli_verb *v, int quiet);

#endif
