#ifndef AMORPH_CLI_OMP_WAIT_H
#define AMORPH_CLI_OMP_WAIT_H

#include "amorph/amorph.h"

/* AM_GOMP_SPINCOUNT as a string, for the environment and --help */
#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)
#define CLI_GOMP_SPINCOUNT CLI_STR(AM_GOMP_SPINCOUNT)
#define CLI_OPENBLAS_THREAD_TIMEOUT CLI_STR(AM_OPENBLAS_THREAD_TIMEOUT)

/* Before a verb runs: unless the user chose, sets how long waiting threads
 * spin (GOMP_SPINCOUNT for libgomp, OPENBLAS_THREAD_TIMEOUT for OpenBLAS)
 * and executes the program again with argv (both libraries read their
 * environment before main); in that second run, removes the variables
 * again so that child processes inherit the user's environment. Returns
 * when nothing is to be done or the re-execution failed. */
void cli_omp_wait_setup(char **argv);

#endif
