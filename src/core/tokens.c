#include "core/tokens.h"
#include "core/error.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

am_status am_tokens_open(am_tokens *t, const char *path)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    t->line = 1;
    FILE *f = fopen(path, "rb");
    if (!f) return am_fail(AM_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (!buf) return am_fail(AM_ERR_NOMEM, "%s: out of memory reading the file", path);
    if (err) { free(buf); return am_fail(AM_ERR_IO, "%s: read error", path); }
    buf[len] = '\0';
    if (memchr(buf, '\0', len))
        { free(buf); return am_fail(AM_ERR_PARSE, "%s: binary data (NUL byte); expected a text file", path); }
    t->buf = buf;
    t->len = len;
    return AM_OK;
}

void am_tokens_close(am_tokens *t) { free(t->buf); t->buf = NULL; }

am_status am_tokens_line(am_tokens *t, char *out, size_t cap, const char *what)
{
    if (t->pos >= t->len)
        return am_fail(AM_ERR_PARSE, "%s:%d: unexpected end of file; expected %s", t->path, t->line, what);
    size_t start = t->pos;
    while (t->pos < t->len && t->buf[t->pos] != '\n') t->pos++;
    size_t n = t->pos - start;
    if (n && t->buf[start + n - 1] == '\r') n--;
    if (n >= cap) n = cap - 1;
    memcpy(out, t->buf + start, n);
    out[n] = '\0';
    if (t->pos < t->len) { t->pos++; t->line++; }
    return AM_OK;
}

/* Moves to the next token and returns its start, or NULL at end of file. */
static const char *next_token(am_tokens *t, size_t *n)
{
    while (t->pos < t->len) {
        char c = t->buf[t->pos];
        if (c == '\n') t->line++;
        else if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') break;
        t->pos++;
    }
    if (t->pos >= t->len) return NULL;
    size_t start = t->pos;
    while (t->pos < t->len) {
        char c = t->buf[t->pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') break;
        t->pos++;
    }
    *n = t->pos - start;
    return t->buf + start;
}

am_status am_tokens_word(am_tokens *t, char *out, size_t cap, const char *what)
{
    size_t n;
    const char *s = next_token(t, &n);
    if (!s) return am_fail(AM_ERR_PARSE, "%s:%d: unexpected end of file; expected %s", t->path, t->line, what);
    if (n >= cap) return am_fail(AM_ERR_PARSE, "%s:%d: expected %s, got an overlong token", t->path, t->line, what);
    memcpy(out, s, n);
    out[n] = '\0';
    return AM_OK;
}

am_status am_tokens_double(am_tokens *t, double *v, const char *what)
{
    char w[128];
    am_status st = am_tokens_word(t, w, sizeof w, what);
    if (st) return st;
    char *end;
    errno = 0;
    double x = strtod(w, &end);
    /* Fortran-style exponents ("1.0D-03") occur in old DYNAMO files. */
    if (*end == 'D' || *end == 'd') {
        *end = 'e';
        x = strtod(w, &end);
    }
    if (end == w || *end != '\0' || !isfinite(x))
        return am_fail(AM_ERR_PARSE, "%s:%d: expected %s (a finite number), got '%s'", t->path, t->line, what, w);
    *v = x;
    return AM_OK;
}

am_status am_tokens_int(am_tokens *t, int *v, const char *what)
{
    char w[128];
    am_status st = am_tokens_word(t, w, sizeof w, what);
    if (st) return st;
    char *end;
    errno = 0;
    long x = strtol(w, &end, 10);
    if (end == w || *end != '\0' || errno || x < -2147483647L || x > 2147483647L)
        return am_fail(AM_ERR_PARSE, "%s:%d: expected %s (an integer), got '%s'", t->path, t->line, what, w);
    *v = (int)x;
    return AM_OK;
}
