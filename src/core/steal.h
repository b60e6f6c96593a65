/* Internal: a schedule for a parallel loop that keeps each thread on its own
 * contiguous range of items and lets a thread that has finished take items
 * from the others' ranges.
 *
 * On the VM measured a cache line written by one core and read by another
 * cost up to ~250 ns (a round trip between its two vCPUs 439–605 ns in some
 * minutes, 110–274 ns in others: bench/threads/bench_pingpong), so data a
 * thread wrote should be read again by the same thread. OpenMP's
 * static schedule does that but makes a loop as slow as its slowest thread
 * when another job shares a core; its dynamic schedule balances but hands
 * neighbouring items to different threads, and a second loop over the same
 * items to other threads again. Here each thread starts on its own range
 * (neighbouring items, neighbouring atoms), a finished thread steals from
 * the front of another's remaining range, and every thread keeps the list of
 * items it claimed, so that a second pass can revisit exactly those. Which
 * thread does an item changes no result where items are independent. */
#ifndef AM_CORE_STEAL_H
#define AM_CORE_STEAL_H

#include "amorph/status.h"

#include <stddef.h>

typedef struct am_steal am_steal;

/* Room for nthreads threads and nitems items (grows *s; NULL to start). */
am_status am_steal_reserve(am_steal **s, int nthreads, size_t nitems);
void am_steal_free(am_steal *s);

/* Starts a loop over items 0..nitems-1 for a team of nthreads (at most the
 * reserved counts): one thread calls it, and a barrier follows before any
 * am_steal_next. */
void am_steal_reset(am_steal *s, int nthreads, size_t nitems);
/* The next item for thread tid: its own range first, then the others' in
 * turn; 0 when none is left. */
int am_steal_next(am_steal *s, int tid, size_t *item);
/* The items thread tid claimed since the reset, in the order it took them. */
size_t am_steal_count(const am_steal *s, int tid);
const size_t *am_steal_items(const am_steal *s, int tid);

#endif
