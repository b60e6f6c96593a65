/* The single-precision solve's panel products (src/vibration/skinny.c)
 * against a double-precision reference, for the right-hand-side counts the
 * Lanczos uses (8 to 32: the vector path) and others (the generic path),
 * panels with odd row and column counts and a leading dimension larger
 * than the rows, small products and ones large enough to be threaded, the
 * unit triangular solves of a panel's diagonal block; and the same bits on 1
 * and 2 threads, and with the rows of C or Y scattered in a larger block.
 * Where the CPU has AVX-512, 16 and 32 right-hand sides take its products;
 * ctest runs the test again with AMORPH_NO_AVX512=1 for the AVX2 ones and
 * with AMORPH_NO_SIMD=1 for the generic path alone. */
#include "util/check.h"
#include "vibration/skinny.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float uniform(unsigned long long *st)
{
    *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((double)(*st >> 11) / 9007199254740992.0 - 0.5);
}

/* Largest |got − exact| over the entries, each relative to the sum of its
 * terms' magnitudes (the bound a float sum's rounding obeys). */
static double worst(const float *got, const double *exact, const double *mag, size_t count)
{
    double w = 0;
    for (size_t i = 0; i < count; i++) w = fmax(w, fabs((double)got[i] - exact[i]) / (mag[i] > 0 ? mag[i] : 1.0));
    return w;
}

/* Distinct rows for m rows among 2m + 3 (descending where m is odd, so
 * both directions are covered): where the _rows products find them. */
static long *scattered_rows(int m)
{
    long *rows = malloc(((size_t)m + 1) * sizeof(long));
    for (int r = 0; r < m; r++) rows[r] = m % 2 ? 2L * (m - 1 - r) + 3 : 2L * r + 1;
    return rows;
}

static void case_nt(int nrhs, int m, int k, int set)
{
    const int ld = m + 3;
    unsigned long long st = 11 + (unsigned long long)(nrhs * 1000 + m + k);
    float *X = malloc((size_t)nrhs * k * sizeof(float)), *L = malloc((size_t)ld * k * sizeof(float));
    float *C0 = malloc((size_t)nrhs * m * sizeof(float)), *C1 = malloc((size_t)nrhs * m * sizeof(float));
    float *C2 = malloc((size_t)nrhs * m * sizeof(float));
    double *ex = malloc((size_t)nrhs * m * sizeof(double)), *mag = malloc((size_t)nrhs * m * sizeof(double));
    for (size_t i = 0; i < (size_t)nrhs * k; i++) X[i] = uniform(&st);
    for (size_t i = 0; i < (size_t)ld * k; i++) L[i] = uniform(&st);
    for (size_t i = 0; i < (size_t)nrhs * m; i++) C0[i] = uniform(&st);
    for (int r = 0; r < m; r++)
        for (int q = 0; q < nrhs; q++) {
            double s = 0, a = 0;
            for (int j = 0; j < k; j++) {
                const double t = (double)X[(size_t)j * nrhs + q] * L[r + (size_t)j * ld];
                s += t;
                a += fabs(t);
            }
            const size_t e = (size_t)r * nrhs + q;
            ex[e] = set ? s : C0[e] - s;
            mag[e] = set ? a : a + fabs(C0[e]);
        }
    memcpy(C1, C0, (size_t)nrhs * m * sizeof(float));
    memcpy(C2, C0, (size_t)nrhs * m * sizeof(float));
    omp_set_num_threads(1);
    am_skinny_nt(nrhs, m, k, X, L, ld, C1, set);
    omp_set_num_threads(2);
    am_skinny_nt(nrhs, m, k, X, L, ld, C2, set);
    const double w = worst(C1, ex, mag, (size_t)nrhs * m);
    check_true(w < 2e-6 * sqrt((double)k + 1), "C %s X Lt, %d right-hand sides, %d x %d panel: within a float sum's rounding (%.2e)",
               set ? "=" : "-=", nrhs, m, k, w);
    check_true(memcmp(C1, C2, (size_t)nrhs * m * sizeof(float)) == 0, "  the same bits on 1 and 2 threads");
    /* C's rows scattered in a larger block: the same bits where they are,
     * the other rows untouched */
    const size_t mb = 2 * (size_t)m + 3;
    long *rows = scattered_rows(m);
    float *Cb = malloc(mb * nrhs * sizeof(float));
    for (size_t i = 0; i < mb * nrhs; i++) Cb[i] = -7.0f;
    for (int r = 0; r < m; r++) memcpy(Cb + rows[r] * nrhs, C0 + (size_t)r * nrhs, (size_t)nrhs * sizeof(float));
    am_skinny_nt_rows(nrhs, m, k, X, L, ld, Cb, rows, set);
    int same = 1;
    for (int r = 0; r < m; r++) same &= memcmp(Cb + rows[r] * nrhs, C2 + (size_t)r * nrhs, (size_t)nrhs * sizeof(float)) == 0;
    for (size_t i = 0; i < mb; i++) {
        int listed = 0;
        for (int r = 0; r < m; r++) listed |= rows[r] == (long)i;
        if (!listed)
            for (int q = 0; q < nrhs; q++) same &= Cb[i * nrhs + q] == -7.0f;
    }
    check_true(same, "  its rows scattered among others: the same bits, the others untouched");
    free(rows); free(Cb);
    free(X); free(L); free(C0); free(C1); free(C2); free(ex); free(mag);
}

static void case_nn(int nrhs, int m, int k)
{
    const int ld = m + 5;
    unsigned long long st = 29 + (unsigned long long)(nrhs * 1000 + m + k);
    float *Y = malloc((size_t)nrhs * m * sizeof(float)), *L = malloc((size_t)ld * k * sizeof(float));
    float *X0 = malloc((size_t)nrhs * k * sizeof(float)), *X1 = malloc((size_t)nrhs * k * sizeof(float));
    float *X2 = malloc((size_t)nrhs * k * sizeof(float));
    double *ex = malloc((size_t)nrhs * k * sizeof(double)), *mag = malloc((size_t)nrhs * k * sizeof(double));
    for (size_t i = 0; i < (size_t)nrhs * m; i++) Y[i] = uniform(&st);
    for (size_t i = 0; i < (size_t)ld * k; i++) L[i] = uniform(&st);
    for (size_t i = 0; i < (size_t)nrhs * k; i++) X0[i] = uniform(&st);
    for (int c = 0; c < k; c++)
        for (int q = 0; q < nrhs; q++) {
            double s = 0, a = 0;
            for (int r = 0; r < m; r++) {
                const double t = (double)Y[(size_t)r * nrhs + q] * L[r + (size_t)c * ld];
                s += t;
                a += fabs(t);
            }
            const size_t e = (size_t)c * nrhs + q;
            ex[e] = X0[e] - s;
            mag[e] = a + fabs(X0[e]);
        }
    memcpy(X1, X0, (size_t)nrhs * k * sizeof(float));
    memcpy(X2, X0, (size_t)nrhs * k * sizeof(float));
    omp_set_num_threads(1);
    am_skinny_nn(nrhs, m, k, Y, L, ld, X1);
    omp_set_num_threads(2);
    am_skinny_nn(nrhs, m, k, Y, L, ld, X2);
    const double w = worst(X1, ex, mag, (size_t)nrhs * k);
    check_true(w < 2e-6 * sqrt((double)m + 1), "X -= Y L, %d right-hand sides, %d x %d panel: within a float sum's rounding (%.2e)",
               nrhs, m, k, w);
    check_true(memcmp(X1, X2, (size_t)nrhs * k * sizeof(float)) == 0, "  the same bits on 1 and 2 threads");
    /* Y's rows scattered in a larger block (NaN between them: never read) */
    const size_t mb = 2 * (size_t)m + 3;
    long *rows = scattered_rows(m);
    float *Yb = malloc(mb * nrhs * sizeof(float));
    for (size_t i = 0; i < mb * nrhs; i++) Yb[i] = NAN;
    for (int r = 0; r < m; r++) memcpy(Yb + rows[r] * nrhs, Y + (size_t)r * nrhs, (size_t)nrhs * sizeof(float));
    memcpy(X2, X0, (size_t)nrhs * k * sizeof(float));
    am_skinny_nn_rows(nrhs, m, k, Yb, rows, L, ld, X2);
    check_true(memcmp(X1, X2, (size_t)nrhs * k * sizeof(float)) == 0, "  its rows read where they are: the same bits");
    free(rows); free(Yb);
    free(Y); free(L); free(X0); free(X1); free(X2); free(ex); free(mag);
}

/* X ← X L⁻ᵀ or X L⁻¹ with a unit lower triangular L (off-diagonal entries
 * small enough that the solve is well conditioned): against the same solve
 * in double precision, and the same bits on 1 and 2 threads. */
static void case_trsm(int nrhs, int n, int forward)
{
    const int ld = n + 2;
    unsigned long long st = 47 + (unsigned long long)(nrhs * 1000 + n);
    float *L = malloc((size_t)ld * n * sizeof(float)), *X0 = malloc((size_t)nrhs * n * sizeof(float));
    float *X1 = malloc((size_t)nrhs * n * sizeof(float)), *X2 = malloc((size_t)nrhs * n * sizeof(float));
    double *ex = malloc((size_t)nrhs * n * sizeof(double));
    const float scale = (float)(1.0 / sqrt((double)n));
    for (size_t i = 0; i < (size_t)ld * n; i++) L[i] = scale * uniform(&st);
    /* the diagonal and the upper part must not be read: poison them */
    for (int c = 0; c < n; c++)
        for (int r = 0; r <= c; r++) L[r + (size_t)c * ld] = NAN;
    for (size_t i = 0; i < (size_t)nrhs * n; i++) ex[i] = X0[i] = uniform(&st);
    for (int t = 1; t < n; t++) {
        const int j = forward ? t : n - 1 - t;
        for (int q = 0; q < nrhs; q++) {
            double s = 0;
            if (forward)
                for (int i = 0; i < j; i++) s += (double)L[j + (size_t)i * ld] * ex[(size_t)i * nrhs + q];
            else
                for (int i = j + 1; i < n; i++) s += (double)L[i + (size_t)j * ld] * ex[(size_t)i * nrhs + q];
            ex[(size_t)j * nrhs + q] -= s;
        }
    }
    memcpy(X1, X0, (size_t)nrhs * n * sizeof(float));
    memcpy(X2, X0, (size_t)nrhs * n * sizeof(float));
    omp_set_num_threads(1);
    am_skinny_trsm(nrhs, n, L, ld, X1, forward);
    omp_set_num_threads(2);
    am_skinny_trsm(nrhs, n, L, ld, X2, forward);
    double w = 0, big = 0;
    for (size_t i = 0; i < (size_t)nrhs * n; i++) {
        w = fmax(w, fabs((double)X1[i] - ex[i]));
        big = fmax(big, fabs(ex[i]));
    }
    check_true(w <= 1e-5 * big, "X <- X L^-%s, %d right-hand sides, %d unknowns: within a float solve's rounding (%.2e of the largest)",
               forward ? "T" : "1", nrhs, n, w / big);
    check_true(memcmp(X1, X2, (size_t)nrhs * n * sizeof(float)) == 0, "  the same bits on 1 and 2 threads");
    free(L); free(X0); free(X1); free(X2); free(ex);
}

int main(void)
{
    const char *simd = getenv("AMORPH_NO_SIMD");
    printf("path: %s\n", simd && *simd && *simd != '0' ? "generic (AMORPH_NO_SIMD)" : "vector where the CPU has AVX2");
    /* 1 and 5: generic; 8..32: the vector path; 40: generic again */
    const int nrhs[] = {1, 5, 8, 16, 24, 32, 40};
    for (size_t i = 0; i < sizeof nrhs / sizeof *nrhs; i++) {
        /* small (one thread), odd sizes (a last single row or column), and
         * large enough for threads (≥ 32 768 entries of L) */
        case_nt(nrhs[i], 7, 3, 1);
        case_nt(nrhs[i], 129, 61, 0);
        case_nt(nrhs[i], 1001, 67, 1);
        case_nt(nrhs[i], 66, 10, 0); /* a last pair of rows (AVX-512: eight at a time) */
        case_nn(nrhs[i], 9, 5);
        case_nn(nrhs[i], 131, 63);
        case_nn(nrhs[i], 1203, 45);
        case_nn(nrhs[i], 70, 6); /* a last pair of columns */
        /* one unknown (nothing to do), odd counts, a panel's full 256 */
        for (int f = 0; f < 2; f++) {
            case_trsm(nrhs[i], 1, f);
            case_trsm(nrhs[i], 7, f);
            case_trsm(nrhs[i], 256, f);
        }
    }
    return check_exit();
}
