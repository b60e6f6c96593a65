/* Clocks of the benchmark programs, in seconds: CLOCK_MONOTONIC for wall
 * time, CLOCK_PROCESS_CPUTIME_ID for the process's CPU time (on a shared
 * machine the one-thread figure that other jobs disturb least),
 * CLOCK_THREAD_CPUTIME_ID for the calling thread's. Header-only. */
#ifndef AM_BENCH_CLOCK_H
#define AM_BENCH_CLOCK_H

#include <time.h>

static inline double bench_seconds(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#endif
