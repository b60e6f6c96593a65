/* Internal: the products of a single-precision factor's solve with a block
 * of right-hand sides (src/vibration/ldlt_body.h), where BLAS's sgemm spends
 * as long copying the factor's panel into its packed layout as multiplying:
 * the block is narrow (nrhs ≤ 32), so each factor entry is used nrhs times
 * and read once, straight from the panel here. Layouts as the solve's:
 *   X, Y, C  nrhs x (k or m), column-major with leading dimension nrhs
 *            (a right-hand side's entries of one unknown are contiguous);
 *   L        m x k, column-major with leading dimension ld (a panel's rows).
 * Each output entry is summed by one thread in a fixed order, so results do
 * not depend on the thread count; the AVX2 path (chosen at run time, unless
 * AMORPH_NO_SIMD=1) differs from the generic one in the last bits (FMA). */
#ifndef AM_VIBRATION_SKINNY_H
#define AM_VIBRATION_SKINNY_H

/* C = X Lᵀ (set) or C −= X Lᵀ: C nrhs x m, X nrhs x k. */
void am_skinny_nt(int nrhs, int m, int k, const float *X, const float *L, int ld, float *C, int set);

/* X −= Y L: X nrhs x k, Y nrhs x m. */
void am_skinny_nn(int nrhs, int m, int k, const float *Y, const float *L, int ld, float *X);

/* The same with C's (nt) or Y's (nn) r-th row of nrhs values at row rows[r]
 * of the block given (distinct rows), rows NULL as above: a panel's rows
 * below it, scattered among the unknowns, updated or read where they are
 * instead of through a gathered copy. */
void am_skinny_nt_rows(int nrhs, int m, int k, const float *X, const float *L, int ld, float *C, const long *rows,
                       int set);
void am_skinny_nn_rows(int nrhs, int m, int k, const float *Y, const long *rows, const float *L, int ld, float *X);

/* X ← X L⁻ᵀ (forward) or X ← X L⁻¹ (backward) with L n x n unit lower
 * triangular (its diagonal and upper part unread): X nrhs x n. */
void am_skinny_trsm(int nrhs, int n, const float *L, int ld, float *X, int forward);

#endif
