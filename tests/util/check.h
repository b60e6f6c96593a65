/* Minimal checks in the spirit of gsl_test: every check prints one line,
 * failures are counted, and check_exit() turns them into the exit status. */
#ifndef AM_TEST_CHECK_H
#define AM_TEST_CHECK_H

#include <stddef.h>
#include <sys/types.h>

/* |got - want| <= tol * |want| (tol relative; falls back to absolute when want == 0). */
int check_rel(double got, double want, double tol, const char *fmt, ...);
/* |got - want| <= tol. */
int check_abs(double got, double want, double tol, const char *fmt, ...);
/* cond is true. */
int check_true(int cond, const char *fmt, ...);
/* Returns 0 when every check passed, 1 otherwise, printing a summary. */
int check_exit(void);
/* Splits a CSV line in place at commas (no quoting); the fields, at most
 * max of them, in field[]; returns their number. */
int csv_split(char *line, char **field, int max);
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
/* Runs a command line without a shell: words split at blanks, '...' keeps
 * blanks together, leading NAME=VALUE words set the child's environment,
 * `> FILE` sends its standard output to FILE and `2>&1` its standard error
 * along. Returns the exit status (-1 if killed by a signal). */
int run_cmd(const char *fmt, ...);
/* The same in directory dir. */
int run_cmd_in(const char *dir, const char *fmt, ...);
/* A program of that name is on PATH. */
int program_available(const char *name);
/* cp from to; 0 on success. */
int copy_file(const char *from, const char *to);
/* Starts amorph with args (split as by run_cmd, output discarded), waits until
 * the file wait_for exists, then kills it with SIGKILL: the state a crash
 * leaves. Returns 0 when the file appeared while amorph still ran, -1 when
 * amorph ended first or timeout_s passed. */
int run_amorph_kill_when(const char *args, const char *wait_for, double timeout_s);
/* A name in directory dir contains `part`. */
int dir_has(const char *dir, const char *part);
/* The two files exist and hold the same bytes. */
int files_equal(const char *a, const char *b);
/* Runs the amorph program (AMORPH_BINARY) with args split as by run_cmd;
 * returns its exit status (-1 if killed by a signal) and stdout+stderr in
 * out. */
int run_amorph(const char *args, char *out, size_t cap);
/* Runs argv[0] (on PATH) with argv[1..] (NULL-ended) and no shell, in the
 * current directory; returns its exit status (-1 if killed by a signal) and
 * stdout+stderr in out. For arguments a shell would mangle (quotes,
 * backquotes, $). */
int run_argv(const char *const argv[], char *out, size_t cap);
/* run_argv of the amorph program (AMORPH_BINARY) with the arguments that
 * follow, NULL-ended. */
int run_amorph_v(char *out, size_t cap, ...);
/* Starts amorph (AMORPH_BINARY) with args split as by run_cmd and does not
 * wait: its standard output goes to out_path, its standard error to
 * err_path (NULL: /dev/null; the same path for both: one file, as 2>&1).
 * Returns the pid, or -1. Several spawned at once run side by side. */
pid_t spawn_amorph(const char *args, const char *out_path, const char *err_path);
/* Waits for a process started by spawn_amorph: its exit status, -1 if
 * killed by a signal, -2 if it cannot be waited for. */
int wait_amorph(pid_t pid);
/* Starts amorph with args (split as by run_cmd, output discarded), waits
 * until the file `path` contains `text`, then kills it with SIGKILL: a run
 * interrupted after it wrote something. Returns 0 when the text appeared
 * while amorph ran (it was killed), 1 when amorph had ended on its own and
 * the file holds the text, -1 when the file does not hold the text once
 * amorph ended or was killed after timeout_s. */
int run_amorph_kill_when_contains(const char *args, const char *path, const char *text, double timeout_s);
/* The whole file as a NUL-terminated string (malloc'd; free it), its length
 * in *len when len is not NULL; NULL when it cannot be read. */
char *read_text_file(const char *path, size_t *len);
/* The file exists and contains text. */
int file_contains(const char *path, const char *text);
/* Creates a fresh scratch directory for the test and returns its path. */
const char *scratch_dir(const char *test_name);

#endif
