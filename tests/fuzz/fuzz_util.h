/* Shared by the fuzz targets: the input as a file for readers that take a
 * path, and the checks every reader's outcome must pass. A failed check
 * aborts, which libFuzzer (and the replay tests) report as a finding. */
#ifndef AM_FUZZ_UTIL_H
#define AM_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "amorph/amorph.h"

/* Writes data to scratch file k (0..FUZZ_FILES-1) of this process and
 * returns its path, the same on every call; the files go at exit. The path
 * holds no ',' (EAM funcfl lists are comma-separated). */
#define FUZZ_FILES 2
const char *fuzz_file(int k, const uint8_t *data, size_t size);

/* Prints what and aborts unless ok. */
void fuzz_require(int ok, const char *what);

/* After a failed read: a message that names the file. */
void fuzz_check_failure(am_status st, const char *path);

/* Reads path as a configuration in `format` the ways the CLI does (first
 * frame without species names, last frame with them), checks each outcome
 * and frees everything. */
void fuzz_read_config(const char *path, am_format format);

/* A configuration a reader returned: atoms, a box within the readers'
 * limits, finite positions in it, a named species for every atom, unique
 * positive ids. */
void fuzz_check_system(const am_system *s);

/* The outcome st of reading a cooling curve from path into c[0..n-1]:
 * checks it and frees c. */
void fuzz_check_curve(am_status st, const char *path, am_cooling_point *c, size_t n);

/* Reads path as an EAM potential of the given style, checks and frees it. */
void fuzz_read_potential(const char *path, am_eam_style style);

#endif
