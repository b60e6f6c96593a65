/* Internal: 64-bit hashes that bind files (checkpoints, event logs) to the
 * inputs they were made from. Not cryptographic: they detect a different
 * configuration or option given by mistake, not a forged one.
 *
 * Values are fed as 64-bit words (doubles by their bit patterns, text with
 * its length first), so a hash does not depend on the host's byte order and
 * two different sequences of fields cannot run into each other. */
#ifndef AM_CORE_HASH_H
#define AM_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64's step and finaliser: bijective, and every input bit flips
 * about half the output bits. Also seeds ARTn searches (campaign.c). */
static inline uint64_t am_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A 64-bit hash folded (not truncated, so the high half counts too) to the
 * 32 bits GSL's mt19937 takes as a seed: ARTn search and restart seeds. */
static inline unsigned long am_fold32(uint64_t h) { return (unsigned long)((h ^ (h >> 32)) & 0xffffffffULL); }

typedef struct am_hash {
    uint64_t h, words;
} am_hash;

/* domain names what is hashed ("system", "vmsd options", ...), so equal
 * fields of different kinds of input never give equal hashes. */
void am_hash_init(am_hash *s, const char *domain);
void am_hash_u64(am_hash *s, uint64_t w);
void am_hash_i64(am_hash *s, int64_t v);
void am_hash_f64(am_hash *s, double v);
void am_hash_f64s(am_hash *s, const double *v, size_t n);
void am_hash_str(am_hash *s, const char *text);
uint64_t am_hash_final(const am_hash *s);

#endif
