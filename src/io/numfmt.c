#include "io/numfmt.h"

#include <stdio.h>
#include <stdlib.h>

char *am_io_fmt_double(char *buf, double v)
{
    /* 17 significant digits always round-trip; fewer often do and read better. */
    for (int prec = 15; prec < 17; prec++) {
        snprintf(buf, AM_IO_NUMBUF, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return buf;
    }
    snprintf(buf, AM_IO_NUMBUF, "%.17g", v);
    return buf;
}
