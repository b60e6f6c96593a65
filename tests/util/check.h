/* Minimal checks in the spirit of gsl_test: every check prints one line,
 * failures are counted, and check_exit() turns them into the exit status. */
#ifndef AM_TEST_CHECK_H
#define AM_TEST_CHECK_H

#include <stddef.h>

/* |got - want| <= tol * |want| (tol relative; falls back to absolute when want == 0). */
int check_rel(double got, double want, double tol, const char *fmt, ...);
/* |got - want| <= tol. */
int check_abs(double got, double want, double tol, const char *fmt, ...);
/* cond is true. */
int check_true(int cond, const char *fmt, ...);
/* Returns 0 when every check passed, 1 otherwise, printing a summary. */
int check_exit(void);
/* Quiet mode: only failures are printed (for checks inside loops). */
void check_set_verbose(int on);

/* The path helpers below return rotating static buffers: the last 16 paths
 * stay valid. */
/* Path of a file in the source tree (AMORPH_SOURCE_DIR). */
const char *source_path(const char *rel);
/* Path of a test input under tests/data/io in the source tree. */
const char *io_data_path(const char *name);
/* Path of a LAMMPS potential shipped by Debian's lammps-data. */
const char *potential_path(const char *name);
/* Path of a file in a scratch directory from scratch_dir(). */
const char *scratch_file(const char *dir, const char *name);
/* Runs a shell command; returns its exit status. */
int run_cmd(const char *fmt, ...);
/* Runs the amorph program (AMORPH_BINARY) with args; returns its exit status
 * (-1 if killed by a signal) and stdout+stderr in out. */
int run_amorph(const char *args, char *out, size_t cap);
/* Runs argv[0] (on PATH) with argv[1..] (NULL-ended) and no shell, in the
 * current directory; returns its exit status (-1 if killed by a signal) and
 * stdout+stderr in out. For arguments a shell would mangle (quotes,
 * backquotes, $). */
int run_argv(const char *const argv[], char *out, size_t cap);
/* run_argv of the amorph program (AMORPH_BINARY) with the arguments that
 * follow, NULL-ended. */
int run_amorph_v(char *out, size_t cap, ...);
/* Creates a fresh scratch directory for the test and returns its path. */
const char *scratch_dir(const char *test_name);

#endif
