/* JSON text without NaN: see json.h. */
#include "report/json.h"
#include "io/numfmt.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The shortest digits that read back as the same double (am_io_fmt_double,
 * as the files use): a JSON consumer gets the library's number exactly. */
void am_json_num(FILE *f, double v)
{
    char buf[AM_IO_NUMBUF];
    if (isfinite(v)) fputs(am_io_fmt_double(buf, v), f);
    else fputs("null", f);
}

void am_json_kv(FILE *f, const char *key, double v)
{
    fprintf(f, ", \"%s\": ", key);
    am_json_num(f, v);
}

void am_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", (unsigned)(unsigned char)*s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

/* Copies the formatted text, replacing bare nan/inf words (outside string
 * literals) by null. */
void am_json_vprintf(FILE *f, const char *fmt, va_list ap)
{
    char small[1024], *buf = small;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= (int)sizeof small && (buf = malloc((size_t)n + 1))) vsnprintf(buf, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !buf) return;
    int in_str = 0;
    for (const char *p = buf; *p;) {
        if (in_str) {
            if (*p == '\\' && p[1]) fputc(*p++, f);
            else if (*p == '"') in_str = 0;
            fputc(*p++, f);
            continue;
        }
        if (*p == '"') { in_str = 1; fputc(*p++, f); continue; }
        const char *w = p + (*p == '-');
        size_t len = 0;
        while (isalpha((unsigned char)w[len])) len++;
        if (len && (p == buf || !isalnum((unsigned char)p[-1])) &&
            ((len == 3 && (strncmp(w, "nan", 3) == 0 || strncmp(w, "inf", 3) == 0)) ||
             (len == 8 && strncmp(w, "infinity", 8) == 0))) {
            fputs("null", f);
            p = w + len;
            continue;
        }
        fputc(*p++, f);
    }
    if (buf != small) free(buf);
}

void am_json_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    am_json_vprintf(f, fmt, ap);
    va_end(ap);
}
