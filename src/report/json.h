/* Internal: writing JSON text. printf writes a non-finite double as nan,
 * -nan, inf or -inf, which JSON does not have; every JSON number amorph
 * writes goes through here, so a NaN anywhere (a fit that failed, an empty
 * selection) becomes null instead of invalid JSON. */
#ifndef AM_REPORT_JSON_H
#define AM_REPORT_JSON_H

#include <stdarg.h>
#include <stdio.h>

#include "core/error.h"

/* fprintf, with every nan/inf token outside string literals written as null. */
void am_json_printf(FILE *f, const char *fmt, ...) AM_PRINTF(2, 3);
void am_json_vprintf(FILE *f, const char *fmt, va_list ap);
/* A number, or null when v is not finite. */
void am_json_num(FILE *f, double v);
/* A string literal, with quotes, backslashes and control characters escaped. */
void am_json_str(FILE *f, const char *s);
/* `, "key": value` (null when not finite). */
void am_json_kv(FILE *f, const char *key, double v);

#endif
