/* Internal: recording failures in the thread-local message. */
#ifndef AM_CORE_ERROR_H
#define AM_CORE_ERROR_H

#include "amorph/status.h"

#if defined(__GNUC__)
#define AM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define AM_PRINTF(a, b)
#endif

/* Records the message and returns s, so callers can write
 * `return am_fail(AM_ERR_PARSE, "%s:%d: expected ...", path, line);` */
am_status am_fail(am_status s, const char *fmt, ...) AM_PRINTF(2, 3);

/* Clears the thread-local message. */
void am_clear_error(void);

#endif
