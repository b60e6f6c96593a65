/* Internal: directories and child programs without a shell. Paths and
 * arguments often come from the user or from files, so they never pass through
 * /bin/sh: directories are made with mkdir(2) and programs started with
 * execvp, arguments as given. */
#ifndef AM_CORE_PROCESS_H
#define AM_CORE_PROCESS_H

#include "amorph/status.h"

/* mkdir -p: makes path and its missing parents (mode 0755). An existing
 * directory is fine; an existing non-directory is an error. */
am_status am_mkdir_p(const char *path);

/* Runs argv[0] (looked up on PATH) with the arguments argv[1..] (NULL-ended),
 * in directory dir (NULL: the current one), with its standard output and error
 * sent to log_path (truncated; NULL: inherited), and waits for it. *exit_code
 * is its exit status, 127 when it could not be started, 128 + the signal when
 * it was killed. Fails only when no process could be made. */
am_status am_run_program(const char *dir, char *const argv[], const char *log_path, int *exit_code);
/* The same without the environment of an MPI launch (variables OMPI_*,
 * PMIX_*, ORTE_*, OPAL_*, PMI_*, HYDRA_*, I_MPI_*): the child, an MPI
 * program itself (lmp, mpirun), starts a job of its own instead of trying to
 * join the one this process belongs to, which an mpirun launch or the MPI
 * that LAMMPS's library started here would otherwise make it do. */
am_status am_run_program_standalone(const char *dir, char *const argv[], const char *log_path, int *exit_code);

#endif
