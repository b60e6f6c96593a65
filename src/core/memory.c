/* madvise() and MADV_HUGEPAGE are Linux/BSD extensions. */
#define _DEFAULT_SOURCE
#include "core/memory.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_ALIGN ((size_t)2 << 20)

void *am_alloc_large(size_t bytes)
{
    if (bytes == 0) bytes = 64;
    if (bytes < ((size_t)1 << 20)) return aligned_alloc(64, (bytes + 63) / 64 * 64);
    size_t rounded = (bytes + HUGE_ALIGN - 1) / HUGE_ALIGN * HUGE_ALIGN;
    void *p = aligned_alloc(HUGE_ALIGN, rounded);
#ifdef MADV_HUGEPAGE
    if (p) (void)madvise(p, rounded, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
    return p;
}

void am_free_large(void *p) { free(p); }

int am_resize(void **p, size_t need, size_t size)
{
    void *q = realloc(*p, (need ? need : 1) * size);
    if (!q) return 0;
    *p = q;
    return 1;
}
