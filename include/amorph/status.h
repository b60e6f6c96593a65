/* amorph — status codes and the thread-local error message.
 *
 * Every library function that can fail returns an am_status; 0 means success.
 * On failure the function also records a human-readable message (file, line,
 * what was expected) that am_error_message() returns until the next failure
 * in the same thread. The library never exits or aborts. */
#ifndef AMORPH_STATUS_H
#define AMORPH_STATUS_H

/* Marks the public API. The library is built with hidden visibility, so the
 * shared library exports these functions and nothing of its internals (which
 * may change in any release). */
#ifndef AM_API
#if defined(__GNUC__) || defined(__clang__)
#define AM_API __attribute__((visibility("default")))
#else
#define AM_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum am_status {
    AM_OK = 0,
    AM_ERR_IO = 1,       /* a file could not be opened, read or written */
    AM_ERR_PARSE = 2,    /* a file's contents are not what its format requires */
    AM_ERR_VALUE = 3,    /* an argument or a value in a file is out of range */
    AM_ERR_NOMEM = 4,    /* an allocation failed */
    AM_ERR_UNSUPPORTED = 5 /* valid request this build or format cannot serve */
} am_status;

/* Message describing the last failure in the calling thread ("" if none). */
AM_API const char *am_error_message(void);

/* Short name of a status code, e.g. "parse error". */
AM_API const char *am_status_name(am_status s);

#ifdef __cplusplus
}
#endif
#endif
