/* Internal: the few Fortran BLAS routines the sparse mode solver calls
 * (Debian's libblas.so.3, OpenBLAS here; LP64, 32-bit integers). The Fortran
 * symbols, not cblas_*: GSL's libgslcblas, also linked, exports a slow
 * cblas_dgemm of its own that could win the symbol. */
#ifndef AM_VIBRATION_BLAS_H
#define AM_VIBRATION_BLAS_H

/* For each precision P (d: double, s: float) of type T: the Fortran
 * symbols P##gemm_ and P##trsm_, and by-value wrappers
 *   am_Pgemm: C = alpha op(A) op(B) + beta C, column-major;
 *   am_Ptrsm: B = op(A)^{-1} B or B op(A)^{-1}, unit alpha;
 * both doing nothing on an empty result. */
#define AM_BLAS_PRECISION(P, T)                                                                                       \
    void P##gemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const T *alpha,         \
                  const T *a, const int *lda, const T *b, const int *ldb, const T *beta, T *c, const int *ldc);     \
    void P##trsm_(const char *side, const char *uplo, const char *ta, const char *diag, const int *m, const int *n,  \
                  const T *alpha, const T *a, const int *lda, T *b, const int *ldb);                                \
    static inline void am_##P##gemm(char ta, char tb, int m, int n, int k, T alpha, const T *a, int lda,            \
                                    const T *b, int ldb, T beta, T *c, int ldc)                                     \
    {                                                                                                               \
        if (m <= 0 || n <= 0) return;                                                                               \
        P##gemm_(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);                                   \
    }                                                                                                               \
    static inline void am_##P##trsm(char side, char uplo, char ta, char diag, int m, int n, const T *a, int lda,    \
                                    T *b, int ldb)                                                                  \
    {                                                                                                               \
        const T one = 1;                                                                                            \
        if (m <= 0 || n <= 0) return;                                                                               \
        P##trsm_(&side, &uplo, &ta, &diag, &m, &n, &one, a, &lda, b, &ldb);                                         \
    }

AM_BLAS_PRECISION(d, double)
AM_BLAS_PRECISION(s, float)

#endif
