#include "core/hash.h"

#include <string.h>

void am_hash_u64(am_hash *s, uint64_t w)
{
    /* am_mix64 adds a constant before mixing, so runs of zero words still
     * move the state: arrays of zeros of different lengths differ */
    s->h = am_mix64(s->h ^ w);
    s->words++;
}

void am_hash_i64(am_hash *s, int64_t v) { am_hash_u64(s, (uint64_t)v); }

void am_hash_f64(am_hash *s, double v)
{
    uint64_t w;
    memcpy(&w, &v, sizeof w);
    am_hash_u64(s, w);
}

void am_hash_f64s(am_hash *s, const double *v, size_t n)
{
    am_hash_u64(s, (uint64_t)n);
    for (size_t i = 0; i < n; i++) am_hash_f64(s, v[i]);
}

void am_hash_str(am_hash *s, const char *text)
{
    const size_t n = text ? strlen(text) : 0;
    am_hash_u64(s, (uint64_t)n);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w = 0;
        for (size_t k = 0; k < 8 && i + k < n; k++) w |= (uint64_t)(unsigned char)text[i + k] << (8 * k);
        am_hash_u64(s, w);
    }
}

void am_hash_init(am_hash *s, const char *domain)
{
    s->h = 0x243f6a8885a308d3ULL; /* any fixed nonzero start */
    s->words = 0;
    am_hash_str(s, domain);
}

uint64_t am_hash_final(const am_hash *s) { return am_mix64(s->h ^ am_mix64(s->words)); }
