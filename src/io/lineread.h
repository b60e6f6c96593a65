/* Internal: a buffered line reader that knows the file name and line number,
 * an in-place tokenizer, strict number parsing and "file:line: ..." errors.
 * Readers of every format use it so that messages look the same everywhere. */
#ifndef AM_IO_LINEREAD_H
#define AM_IO_LINEREAD_H

#include <stdio.h>
#include <stddef.h>

#include "amorph/status.h"
#include "core/error.h"

typedef struct am_io_lr {
    FILE *fp;
    const char *path;
    long long size;       /* file size in bytes, for sanity limits on counts */
    char *buf;            /* current line, NUL-terminated, without "\n" / "\r\n" */
    size_t cap, len;
    long line;            /* 1-based number of the line in buf; 0 before the first */
    long long off;        /* byte offset where the line in buf starts */
    long long next_off;   /* byte offset of the line after it */
    char **tok;           /* tokens of buf after am_io_lr_split (point into buf) */
    int ntok, tokcap;
    char *comment;        /* text after the comment character, trimmed; NULL if none */
} am_io_lr;

/* A place in the file to come back to: the line that was current then. */
typedef struct am_io_mark {
    long long off;
    long line;
} am_io_mark;

am_status am_io_lr_open(am_io_lr *r, const char *path);
void am_io_lr_close(am_io_lr *r);

/* Reads the next line into r->buf. *got = 0 at end of file. Fails on read
 * errors and on NUL bytes (binary files). Tokens are reset. */
am_status am_io_lr_next(am_io_lr *r, int *got);

/* Splits r->buf in place at whitespace. comment_char (0 for none) ends the
 * tokens; the rest of the line becomes r->comment. */
am_status am_io_lr_split(am_io_lr *r, int comment_char);

/* Reads lines until one has tokens (blank and comment-only lines skipped). */
am_status am_io_lr_next_tokens(am_io_lr *r, int comment_char, int *got);

am_io_mark am_io_lr_mark(const am_io_lr *r);
/* Repositions so that the next am_io_lr_next returns the marked line again. */
am_status am_io_lr_seek(am_io_lr *r, am_io_mark m);

/* Strict conversions of a whole token: no trailing characters, finite only. */
int am_io_parse_double(const char *s, double *out);
int am_io_parse_ll(const char *s, long long *out);
int am_io_parse_int(const char *s, int *out);

/* Passed as `got` to say the file ended where something was expected. */
extern const char am_io_got_eof[];

/* Records "path:line: <what>, got '<got>'" and returns st. line <= 0 omits the
 * line; got == NULL omits the ", got" part; got == am_io_got_eof says
 * "got end of file". The token is quoted with unprintable bytes replaced. */
am_status am_io_fail(am_status st, const char *path, long line, const char *got,
                     const char *fmt, ...) AM_PRINTF(5, 6);

/* Same, at the reader's current line. */
am_status am_io_lr_fail(const am_io_lr *r, am_status st, const char *got,
                        const char *fmt, ...) AM_PRINTF(4, 5);

/* ASCII-only, locale-independent helpers. */
int am_io_streq_nocase(const char *a, const char *b);

#endif
