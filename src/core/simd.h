/* Whether the vector (x86-64-v3) code paths may run: AMORPH_NO_SIMD=1 turns
 * them all off, so the tests can compare every kernel with its generic twin
 * on a machine that has AVX2. Each caller still checks the CPU features its
 * own code needs. */
#ifndef AM_CORE_SIMD_H
#define AM_CORE_SIMD_H

#include <stdlib.h>

/* Whether this build has the x86-64-v3 (AVX2 and FMA) copies of the
 * kernels, each marked AM_V3 and chosen at run time: gcc on x86-64 (clang
 * builds the generic code only). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define AM_HAVE_V3 1
#define AM_V3 __attribute__((target("arch=x86-64-v3")))
#endif

static inline int am_simd_allowed(void)
{
    const char *off = getenv("AMORPH_NO_SIMD");
    return !(off && *off && *off != '0');
}

#endif
