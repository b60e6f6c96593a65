/* A progress bar with ETA on standard error, drawn only when standard error
 * is a terminal (and not --quiet), so logs and pipes stay clean. */
#ifndef AM_CLI_PROGRESS_H
#define AM_CLI_PROGRESS_H

typedef struct progress {
    const char *label;
    long total, done;
    double t0, last_draw;
    int active;
    int shown;     /* the bar is on the terminal's current line */
    int share_tty; /* standard output is a terminal too: lines printed there land on the bar's */
} progress;

void progress_start(progress *p, const char *label, long total, int quiet);
void progress_update(progress *p, long done);
void progress_end(progress *p);
/* Takes the bar off its line (carriage return, clear to the end of the line)
 * before the caller prints a line to a standard output that shares the
 * terminal; the next progress_update draws it again below that line. */
void progress_clear(progress *p);

#endif
