/* Internal: rows of four doubles (x y z w: a position and its species, a
 * table row) turned into columns, for the vector kernels that read one row
 * per neighbour (the force kernel, the neighbour-list search). Only where
 * core/simd.h has the x86-64-v3 / -v4 copies. */
#ifndef AM_CORE_TRANSPOSE_H
#define AM_CORE_TRANSPOSE_H

#include "core/simd.h"

#ifdef AM_HAVE_V3
#include <immintrin.h>

/* Four 4-double rows in, four columns of four out. */
AM_V3 static inline void transpose4(__m256d r0, __m256d r1, __m256d r2, __m256d r3, __m256d *c0, __m256d *c1,
                                    __m256d *c2, __m256d *c3)
{
    const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    *c0 = _mm256_permute2f128_pd(t0, t2, 0x20);
    *c1 = _mm256_permute2f128_pd(t1, t3, 0x20);
    *c2 = _mm256_permute2f128_pd(t0, t2, 0x31);
    *c3 = _mm256_permute2f128_pd(t1, t3, 0x31);
}
#endif

#ifdef AM_HAVE_V4
/* Eight 4-double rows (row k and row k+4 in register k) in, four columns
 * of eight out: the AVX2 transpose in each half, then one two-source
 * permutation per column. */
AM_V4 static inline void transpose8(__m512d r0, __m512d r1, __m512d r2, __m512d r3, __m512d *c)
{
    const __m512d t0 = _mm512_unpacklo_pd(r0, r1), t1 = _mm512_unpackhi_pd(r0, r1);
    const __m512d t2 = _mm512_unpacklo_pd(r2, r3), t3 = _mm512_unpackhi_pd(r2, r3);
    const __m512i lo = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13), hi = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
    c[0] = _mm512_permutex2var_pd(t0, lo, t2);
    c[1] = _mm512_permutex2var_pd(t1, lo, t3);
    c[2] = _mm512_permutex2var_pd(t0, hi, t2);
    c[3] = _mm512_permutex2var_pd(t1, hi, t3);
}

/* 4 doubles at p in the low half, 4 at q in the high half. */
AM_V4 static inline __m512d halves(const double *p, const double *q)
{
    return _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_loadu_pd(p)), _mm256_loadu_pd(q), 1);
}
#endif

#endif
