/* Internal: printing doubles so that strtod gives back the same bits, with as
 * few digits as that allows (63.546, not 63.545999999999999). */
#ifndef AM_IO_NUMFMT_H
#define AM_IO_NUMFMT_H

#include <stddef.h>

#define AM_IO_NUMBUF 32

/* Writes v into buf (at least AM_IO_NUMBUF bytes) and returns buf. */
char *am_io_fmt_double(char *buf, double v);

#endif
