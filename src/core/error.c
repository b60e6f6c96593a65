#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char am_msg[1024];

const char *am_error_message(void) { return am_msg; }

void am_clear_error(void) { am_msg[0] = '\0'; }

am_status am_fail(am_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(am_msg, sizeof am_msg, fmt, ap);
    va_end(ap);
    return s;
}

const char *am_status_name(am_status s)
{
    switch (s) {
    case AM_OK: return "ok";
    case AM_ERR_IO: return "I/O error";
    case AM_ERR_PARSE: return "parse error";
    case AM_ERR_VALUE: return "invalid value";
    case AM_ERR_NOMEM: return "out of memory";
    case AM_ERR_UNSUPPORTED: return "unsupported";
    }
    return "unknown status";
}
