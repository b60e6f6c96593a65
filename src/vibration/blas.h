/* Internal: the few Fortran BLAS routines the sparse mode solver calls
 * (Debian's libblas.so.3, OpenBLAS here; LP64, 32-bit integers). The Fortran
 * symbols, not cblas_*: GSL's libgslcblas, also linked, exports a slow
 * cblas_dgemm of its own that could win the symbol. */
#ifndef AM_VIBRATION_BLAS_H
#define AM_VIBRATION_BLAS_H

void dgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *b, const int *ldb, const double *beta, double *c,
            const int *ldc);
void dtrsm_(const char *side, const char *uplo, const char *ta, const char *diag, const int *m, const int *n,
            const double *alpha, const double *a, const int *lda, double *b, const int *ldb);

/* C = alpha op(A) op(B) + beta C, column-major, by value */
static inline void am_dgemm(char ta, char tb, int m, int n, int k, double alpha, const double *a, int lda,
                            const double *b, int ldb, double beta, double *c, int ldc)
{
    if (m <= 0 || n <= 0) return;
    dgemm_(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}

static inline void am_dtrsm(char side, char uplo, char ta, char diag, int m, int n, const double *a, int lda, double *b,
                            int ldb)
{
    const double one = 1.0;
    if (m <= 0 || n <= 0) return;
    dtrsm_(&side, &uplo, &ta, &diag, &m, &n, &one, a, &lda, b, &ldb);
}

#endif
