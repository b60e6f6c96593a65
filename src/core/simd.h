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
/* and x86-64-v4 (AVX-512 F, DQ, BW, VL) copies where a kernel has them */
#define AM_HAVE_V4 1
#define AM_V4 __attribute__((target("arch=x86-64-v4")))
#endif

static inline int am_simd_allowed(void)
{
    const char *off = getenv("AMORPH_NO_SIMD");
    return !(off && *off && *off != '0');
}

/* Whether the AVX-512 (x86-64-v4) copies may run: AMORPH_NO_AVX512=1 keeps
 * the x86-64-v3 ones, so the tests can compare the two on one machine. */
static inline int am_avx512_allowed(void)
{
    const char *off = getenv("AMORPH_NO_AVX512");
    return am_simd_allowed() && !(off && *off && *off != '0');
}

#endif
