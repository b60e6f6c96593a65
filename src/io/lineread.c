#include "io/lineread.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

const char am_io_got_eof[] = "end of file";

/* Error messages are limited to 1 KiB; a token from binary garbage must not
 * push the useful part of the message out. */
#define QUOTE_MAX 80

static void quote_token(const char *s, char *out, size_t cap)
{
    size_t k = 0, i = 0;
    for (; s[i] && i < QUOTE_MAX && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (s[i] && k + 4 < cap) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = '\0';
}

static am_status vfail(am_status st, const char *path, long line, const char *got,
                       const char *fmt, va_list ap)
{
    char what[600], where[512], tok[104];
    vsnprintf(what, sizeof what, fmt, ap);
    if (line > 0)
        snprintf(where, sizeof where, "%s:%ld: ", path ? path : "?", line);
    else
        snprintf(where, sizeof where, "%s: ", path ? path : "?");
    if (!got) return am_fail(st, "%s%s", where, what);
    if (got == am_io_got_eof) return am_fail(st, "%s%s, got end of file", where, what);
    quote_token(got, tok, sizeof tok);
    return am_fail(st, "%s%s, got '%s'", where, what, tok);
}

am_status am_io_fail(am_status st, const char *path, long line, const char *got,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    am_status r = vfail(st, path, line, got, fmt, ap);
    va_end(ap);
    return r;
}

am_status am_io_lr_fail(const am_io_lr *r, am_status st, const char *got, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* "file ended" errors for an empty file still point at line 1 */
    long line = r->line > 0 ? r->line : (got == am_io_got_eof ? 1 : 0);
    am_status res = vfail(st, r->path, line, got, fmt, ap);
    va_end(ap);
    return res;
}

am_status am_io_lr_open(am_io_lr *r, const char *path)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->fp = fopen(path, "rb");
    if (!r->fp)
        return am_fail(AM_ERR_IO, "%s: cannot open for reading: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(r->fp), &st) != 0 || S_ISDIR(st.st_mode)) {
        fclose(r->fp);
        r->fp = NULL;
        return am_fail(AM_ERR_IO, "%s: cannot read: not a regular file", path);
    }
    /* pipes have no size; only the allocation limits bound their counts */
    r->size = S_ISREG(st.st_mode) ? (long long)st.st_size : (1LL << 40);
    /* A larger stdio buffer halves the read calls on big configurations. */
    setvbuf(r->fp, NULL, _IOFBF, 1 << 16);
    return AM_OK;
}

void am_io_lr_close(am_io_lr *r)
{
    if (r->fp) fclose(r->fp);
    free(r->buf);
    free(r->tok);
    memset(r, 0, sizeof *r);
}

am_status am_io_lr_next(am_io_lr *r, int *got)
{
    *got = 0;
    r->ntok = 0;
    r->comment = NULL;
    errno = 0;
    ssize_t n = getline(&r->buf, &r->cap, r->fp);
    if (n < 0) {
        if (ferror(r->fp))
            return am_fail(AM_ERR_IO, "%s:%ld: read error: %s", r->path, r->line + 1,
                           strerror(errno ? errno : EIO));
        if (errno == ENOMEM)
            return am_fail(AM_ERR_NOMEM, "%s:%ld: out of memory for a line", r->path, r->line + 1);
        if (r->buf) r->buf[0] = '\0';
        r->len = 0;
        r->off = r->next_off;
        return AM_OK;
    }
    r->line++;
    r->off = r->next_off;
    r->next_off += n;
    size_t len = (size_t)n;
    if (strlen(r->buf) != len)
        return am_io_lr_fail(r, AM_ERR_PARSE, NULL, "expected a text line, got a NUL byte (binary file?)");
    if (len && r->buf[len - 1] == '\n') len--;
    if (len && r->buf[len - 1] == '\r') len--;
    r->buf[len] = '\0';
    r->len = len;
    *got = 1;
    return AM_OK;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

am_status am_io_lr_split(am_io_lr *r, int comment_char)
{
    r->ntok = 0;
    r->comment = NULL;
    char *p = r->buf;
    if (!p) return AM_OK;
    char *hash = comment_char ? strchr(p, comment_char) : NULL;
    if (hash) {
        char *c = hash + 1, *e;
        *hash = '\0';
        while (is_space(*c)) c++;
        e = c + strlen(c);
        while (e > c && is_space(e[-1])) e--;
        *e = '\0';
        r->comment = c;
    }
    for (;;) {
        while (is_space(*p)) p++;
        if (!*p) break;
        if (r->ntok == r->tokcap) {
            int cap = r->tokcap ? 2 * r->tokcap : 32;
            if (cap > INT_MAX / 4)
                return am_io_lr_fail(r, AM_ERR_PARSE, NULL, "expected fewer fields on one line");
            char **t = realloc(r->tok, (size_t)cap * sizeof *t);
            if (!t) return am_fail(AM_ERR_NOMEM, "%s:%ld: out of memory", r->path, r->line);
            r->tok = t;
            r->tokcap = cap;
        }
        r->tok[r->ntok++] = p;
        while (*p && !is_space(*p)) p++;
        if (!*p) break;
        *p++ = '\0';
    }
    return AM_OK;
}

am_status am_io_lr_next_tokens(am_io_lr *r, int comment_char, int *got)
{
    for (;;) {
        am_status st = am_io_lr_next(r, got);
        if (st || !*got) return st;
        st = am_io_lr_split(r, comment_char);
        if (st) return st;
        if (r->ntok > 0) return AM_OK;
    }
}

am_io_mark am_io_lr_mark(const am_io_lr *r)
{
    am_io_mark m = {r->off, r->line};
    return m;
}

am_status am_io_lr_seek(am_io_lr *r, am_io_mark m)
{
    if (fseeko(r->fp, (off_t)m.off, SEEK_SET) != 0)
        return am_fail(AM_ERR_IO, "%s: cannot seek: %s", r->path, strerror(errno));
    r->next_off = m.off;
    r->line = m.line - 1;
    r->ntok = 0;
    r->comment = NULL;
    return AM_OK;
}

int am_io_parse_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s) return 0;
    errno = 0;
    double v = strtod(s, &end);
    /* strtod accepts "nan" and "inf"; a configuration never legitimately holds them */
    if (end == s || *end != '\0' || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

int am_io_parse_ll(const char *s, long long *out)
{
    /* hand-rolled: ids, types and image flags are most of the integers read,
     * and strtoll's locale and base handling costs more than the digits */
    const char *p = s;
    int neg = 0;
    if (!p) return 0;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    if (*p < '0' || *p > '9') return 0;
    unsigned long long v = 0;
    const unsigned long long limit = neg ? (unsigned long long)LLONG_MAX + 1ULL : (unsigned long long)LLONG_MAX;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (v > (limit - digit) / 10) return 0;
        v = v * 10 + digit;
    }
    if (*p) return 0;
    *out = neg ? (v == (unsigned long long)LLONG_MAX + 1ULL ? LLONG_MIN : -(long long)v) : (long long)v;
    return 1;
}

int am_io_parse_int(const char *s, int *out)
{
    long long v;
    if (!am_io_parse_ll(s, &v) || v < INT_MIN || v > INT_MAX) return 0;
    *out = (int)v;
    return 1;
}

int am_io_streq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return *a == *b;
}
