/* Internal: large arrays for hot loops. */
#ifndef AM_CORE_MEMORY_H
#define AM_CORE_MEMORY_H

#include <stddef.h>

/* Allocates `bytes` aligned to 64 bytes; arrays of a megabyte or more are
 * aligned to 2 MiB and offered to the kernel as transparent huge pages, since
 * the force tables and pair store are read at random and 4 KiB pages would
 * make most of those reads TLB misses. Release with am_free_large(). */
void *am_alloc_large(size_t bytes);
void am_free_large(void *p);

/* realloc of *p to `need` elements of `size` bytes (at least one); 0 on
 * failure with *p untouched, so growing several arrays in a row leaves
 * every one of them valid to free. */
int am_resize(void **p, size_t need, size_t size);

#endif
