/* Whether the vector (x86-64-v3) code paths may run: AMORPH_NO_SIMD=1 turns
 * them all off, so the tests can compare every kernel with its generic twin
 * on a machine that has AVX2. Each caller still checks the CPU features its
 * own code needs. */
#ifndef AM_CORE_SIMD_H
#define AM_CORE_SIMD_H

#include <stdlib.h>

static inline int am_simd_allowed(void)
{
    const char *off = getenv("AMORPH_NO_SIMD");
    return !(off && *off && *off != '0');
}

#endif
