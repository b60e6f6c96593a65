/* Internal: atom id -> index lookup, used to find duplicate ids and to attach
 * Velocities lines to their atoms. Built once after the atoms are read:
 * dense id ranges (the usual 1..N) use a flat table, others a hash table. */
#ifndef AM_IO_IDMAP_H
#define AM_IO_IDMAP_H

#include <stddef.h>
#include "amorph/status.h"

typedef struct am_io_idmap {
    long long base;   /* dense: smallest id */
    size_t *slot;     /* dense: index + 1 for id base + k, 0 if absent */
    size_t range;
    long long *key;   /* hash: 0 marks an empty slot (ids are > 0) */
    size_t *val;
    size_t mask;
} am_io_idmap;

/* Indexes ids[0..n-1] (all > 0). If an id repeats, *dup = 1 and *first <
 * *second are the indices of two atoms sharing it. */
am_status am_io_idmap_build(am_io_idmap *m, const long long *ids, size_t n, int *dup, size_t *first,
                            size_t *second);
void am_io_idmap_free(am_io_idmap *m);
/* Returns 1 and sets *idx if id is present. */
int am_io_idmap_find(const am_io_idmap *m, long long id, size_t *idx);

#endif
