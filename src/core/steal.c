#include "core/steal.h"
#include "core/error.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* One thread's range, alone in its cache line: the owner claims from it
 * without touching another thread's line until it steals. */
typedef struct slot {
    alignas(64) _Atomic size_t next;
    size_t end, count;
} slot;

struct am_steal {
    int nthreads;      /* the team of the current loop */
    int cap_threads;
    size_t cap_items;  /* per-thread list capacity, padded to whole cache lines */
    slot *slots;
    size_t *items;     /* thread t's claims from items + t * cap_items */
};

void am_steal_free(am_steal *s)
{
    if (!s) return;
    free(s->slots);
    free(s->items);
    free(s);
}

am_status am_steal_reserve(am_steal **sp, int nthreads, size_t nitems)
{
    if (nthreads < 1) nthreads = 1;
    if (!*sp && !(*sp = calloc(1, sizeof **sp))) return am_fail(AM_ERR_NOMEM, "out of memory for a thread schedule");
    am_steal *s = *sp;
    const size_t cap = (nitems + 8) & ~(size_t)7;
    if (nthreads <= s->cap_threads && cap <= s->cap_items) return AM_OK;
    free(s->slots);
    free(s->items);
    s->slots = aligned_alloc(64, (size_t)nthreads * sizeof(slot));
    s->items = malloc((size_t)nthreads * cap * sizeof(size_t));
    if (!s->slots || !s->items) {
        free(s->slots); free(s->items);
        s->slots = NULL; s->items = NULL;
        s->cap_threads = 0; s->cap_items = 0;
        return am_fail(AM_ERR_NOMEM, "out of memory for the schedule of %zu items on %d threads", nitems, nthreads);
    }
    s->cap_threads = nthreads;
    s->cap_items = cap;
    return AM_OK;
}

void am_steal_reset(am_steal *s, int nthreads, size_t nitems)
{
    s->nthreads = nthreads;
    for (int t = 0; t < nthreads; t++) {
        atomic_store_explicit(&s->slots[t].next, (size_t)t * nitems / (size_t)nthreads, memory_order_relaxed);
        s->slots[t].end = (size_t)(t + 1) * nitems / (size_t)nthreads;
        s->slots[t].count = 0;
    }
}

int am_steal_next(am_steal *s, int tid, size_t *item)
{
    for (int k = 0; k < s->nthreads; k++) {
        slot *v = &s->slots[(tid + k) % s->nthreads];
        /* a range once exhausted stays so: look before claiming, so that
         * finished ranges are not pushed further past their end */
        if (atomic_load_explicit(&v->next, memory_order_relaxed) >= v->end) continue;
        const size_t i = atomic_fetch_add_explicit(&v->next, 1, memory_order_relaxed);
        if (i < v->end) {
            s->items[(size_t)tid * s->cap_items + s->slots[tid].count++] = i;
            *item = i;
            return 1;
        }
    }
    return 0;
}

size_t am_steal_count(const am_steal *s, int tid) { return s->slots[tid].count; }

const size_t *am_steal_items(const am_steal *s, int tid) { return s->items + (size_t)tid * s->cap_items; }
