/* The search options of an ARTn campaign: on the command line and as the
 * first line of its event log. One table (artn_header.c) names each
 * option's flag, header key, type and field, so the three cannot disagree. */
#ifndef AM_CLI_ARTN_HEADER_H
#define AM_CLI_ARTN_HEADER_H

#include "opts.h"
#include "amorph/saddle.h"
#include "amorph/system.h"

#include <stddef.h>
#include <stdint.h>

/* What a campaign's results depend on besides its options: the
 * configuration as given (am_system_hash, before --minimize) and the
 * potential (am_potential_hash). */
typedef struct artn_hashes {
    uint64_t conf, potential;
} artn_hashes;

/* Every option of the search, as one JSON line: a resumed or extended
 * campaign must be the same campaign, and fields that are not command-line
 * options are included too, then the unit style of the potential ("units":
 * every number of the log is in it) and the hashes. Selection and search
 * count are not in it: they only say which searches to run. */
void artn_header_make(char *buf, size_t cap, const am_system *s, unsigned long long seed, int minimize, double ftol,
                      double skin, const am_saddle_options *o, const artn_hashes *h, const char *units);

/* How an existing log's header differs from the one this run would write:
 * in its unit style (a header without one is metal's, as every log was
 * before lj units), its options (or atom count, seed...), only in the
 * configuration's or the potential's hash, or not at all; a header from
 * before the hashes agrees in every option but cannot be checked against the
 * inputs. */
typedef enum { HDR_SAME, HDR_UNCHECKED, HDR_OPTIONS, HDR_CONF, HDR_POTENTIAL, HDR_UNITS } artn_header_diff;
artn_header_diff artn_header_compare(const char *log_header, const char *want);

/* Reads every search option that has a command-line flag into o (which
 * holds the defaults); counts must be in 0..1000000. Returns 0, or 2 after
 * printing the error. */
int artn_options_read(const cli_verb *v, am_saddle_options *o);

/* Resuming: every search option that the command line of v leaves out is
 * taken from an existing log's header, so a campaign goes on with the
 * options it started with even after a library default has changed. */
void artn_header_adopt(const char *header, const cli_verb *v, am_saddle_options *o);

#endif
