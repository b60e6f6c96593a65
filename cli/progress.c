#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void fmt_time(char *buf, size_t cap, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, cap, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else snprintf(buf, cap, "%ldm%02lds", t / 60, t % 60);
}

void progress_start(progress *p, const char *label, long total, int quiet)
{
    p->label = label;
    p->total = total > 0 ? total : 1;
    p->done = 0;
    p->t0 = now();
    p->last_draw = 0.0;
    p->active = !quiet && isatty(STDERR_FILENO);
    p->shown = 0;
    p->share_tty = p->active && isatty(STDOUT_FILENO);
}

void progress_update(progress *p, long done)
{
    p->done = done;
    if (!p->active) return;
    double t = now();
    /* redraw at most 5 times a second, and at once when cleared */
    if (p->shown && t - p->last_draw < 0.2 && done < p->total) return;
    p->last_draw = t;
    double f = (double)done / (double)p->total, el = t - p->t0;
    char eta[32] = "--", elapsed[32];
    if (f > 0.001) fmt_time(eta, sizeof eta, el / f - el);
    fmt_time(elapsed, sizeof elapsed, el);
    enum { W = 30 };
    char bar[W + 1];
    int k = (int)(f * W);
    for (int i = 0; i < W; i++) bar[i] = i < k ? '#' : '.';
    bar[W] = '\0';
    fprintf(stderr, "\r%s [%s] %5.1f%%  %s elapsed, ETA %s ", p->label, bar, 100.0 * f, elapsed, eta);
    fflush(stderr);
    p->shown = 1;
}

void progress_clear(progress *p)
{
    if (!p->share_tty || !p->shown) return;
    fflush(stdout);
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->shown = 0;
}

void progress_end(progress *p)
{
    if (!p->active) return;
    progress_update(p, p->total);
    fprintf(stderr, "\n");
    p->shown = 0;
}
