#include "io/idmap.h"
#include "core/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Ids are often consecutive; mixing the bits keeps probe chains short. */
static size_t hash_id(long long id)
{
    uint64_t x = (uint64_t)id;
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return (size_t)x;
}

void am_io_idmap_free(am_io_idmap *m)
{
    free(m->slot);
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

static am_status build_dense(am_io_idmap *m, const long long *ids, size_t n, int *dup, size_t *first,
                             size_t *second)
{
    m->slot = calloc(m->range, sizeof *m->slot);
    if (!m->slot) return am_fail(AM_ERR_NOMEM, "out of memory for %zu atom ids", n);
    for (size_t i = 0; i < n; i++) {
        size_t *s = &m->slot[(size_t)(ids[i] - m->base)];
        if (*s) {
            *dup = 1;
            *first = *s - 1;
            *second = i;
            return AM_OK;
        }
        *s = i + 1;
    }
    return AM_OK;
}

static am_status build_hash(am_io_idmap *m, const long long *ids, size_t n, int *dup, size_t *first,
                            size_t *second)
{
    size_t cap = 16;
    while (cap < 2 * n) {
        if (cap > SIZE_MAX / 32) return am_fail(AM_ERR_NOMEM, "out of memory for %zu atom ids", n);
        cap *= 2;
    }
    m->key = calloc(cap, sizeof *m->key);
    m->val = malloc(cap * sizeof *m->val);
    m->mask = cap - 1;
    if (!m->key || !m->val) return am_fail(AM_ERR_NOMEM, "out of memory for %zu atom ids", n);
    for (size_t i = 0; i < n; i++) {
        size_t h = hash_id(ids[i]) & m->mask;
        while (m->key[h] != 0 && m->key[h] != ids[i]) h = (h + 1) & m->mask;
        if (m->key[h] == ids[i]) {
            *dup = 1;
            *first = m->val[h];
            *second = i;
            return AM_OK;
        }
        m->key[h] = ids[i];
        m->val[h] = i;
    }
    return AM_OK;
}

am_status am_io_idmap_build(am_io_idmap *m, const long long *ids, size_t n, int *dup, size_t *first,
                            size_t *second)
{
    memset(m, 0, sizeof *m);
    *dup = 0;
    if (n == 0) return AM_OK;
    long long lo = ids[0], hi = ids[0];
    for (size_t i = 1; i < n; i++) {
        if (ids[i] < lo) lo = ids[i];
        if (ids[i] > hi) hi = ids[i];
    }
    /* ids > 0, so hi - lo cannot overflow */
    am_status st;
    if ((unsigned long long)(hi - lo) < 2ULL * n + 1024) {
        m->base = lo;
        m->range = (size_t)(hi - lo) + 1;
        st = build_dense(m, ids, n, dup, first, second);
    } else {
        st = build_hash(m, ids, n, dup, first, second);
    }
    if (st) am_io_idmap_free(m);
    return st;
}

int am_io_idmap_find(const am_io_idmap *m, long long id, size_t *idx)
{
    if (m->slot) {
        if (id < m->base || (unsigned long long)(id - m->base) >= m->range) return 0;
        size_t s = m->slot[(size_t)(id - m->base)];
        if (!s) return 0;
        *idx = s - 1;
        return 1;
    }
    if (!m->key) return 0;
    size_t h = hash_id(id) & m->mask;
    while (m->key[h] != 0) {
        if (m->key[h] == id) {
            *idx = m->val[h];
            return 1;
        }
        h = (h + 1) & m->mask;
    }
    return 0;
}
