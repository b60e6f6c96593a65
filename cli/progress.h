/* A progress bar with ETA on standard error, drawn only when standard error
 * is a terminal (and not --quiet), so logs and pipes stay clean. */
#ifndef AM_CLI_PROGRESS_H
#define AM_CLI_PROGRESS_H

typedef struct progress {
    const char *label;
    long total, done;
    double t0, last_draw;
    int active;
} progress;

void progress_start(progress *p, const char *label, long total, int quiet);
void progress_update(progress *p, long done);
void progress_end(progress *p);

#endif
