/* Internal: a whitespace-separated token stream over a whole file, tracking
 * line numbers so parse errors can say where they happened. Used for formats
 * whose values may be spread over lines arbitrarily (EAM tables). */
#ifndef AM_CORE_TOKENS_H
#define AM_CORE_TOKENS_H

#include <stddef.h>
#include "amorph/status.h"

typedef struct am_tokens {
    char *buf;          /* whole file, NUL-terminated */
    size_t len, pos;
    int line;           /* 1-based line of the cursor */
    const char *path;
} am_tokens;

am_status am_tokens_open(am_tokens *t, const char *path);
void am_tokens_close(am_tokens *t);
/* Copies the rest of the current line (without newline) into out and moves to the next line. */
am_status am_tokens_line(am_tokens *t, char *out, size_t cap, const char *what);
/* Next token as a finite double / int; `what` names it in the error message. */
am_status am_tokens_double(am_tokens *t, double *v, const char *what);
am_status am_tokens_int(am_tokens *t, int *v, const char *what);
/* Next token as a string (at most cap-1 characters). */
am_status am_tokens_word(am_tokens *t, char *out, size_t cap, const char *what);

#endif
