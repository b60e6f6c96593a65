/* The single-precision solve's panel products (src/vibration/skinny.c)
 * against OpenBLAS's sgemm on the same panels, 1 and 2 threads:
 *
 *   bench_skinny ROWS COLS REPS PANELS
 *
 * 32 right-hand sides (the Lanczos's block), PANELS panels of ROWS x COLS
 * floats used in turn: one panel measures the products from the cache,
 * enough of them (1 GB: 2048 128 2000 1000) from memory, as a solve reads
 * the factor. Prints GFlop/s and the factor's GB/s. The thread count is
 * OpenMP's, the kernels'; sgemm uses OpenBLAS's own threads either way. */
#include "bench_clock.h"
#include "vibration/blas.h"
#include "vibration/skinny.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_skinny ROWS COLS REPS PANELS\n");
        return 2;
    }
    const int m = atoi(argv[1]), k = atoi(argv[2]), nrhs = 32;
    const long reps = atol(argv[3]);
    const int npan = atoi(argv[4]);
    if (m < 1 || k < 1 || reps < 1 || npan < 1) {
        fprintf(stderr, "bench_skinny: positive sizes expected\n");
        return 2;
    }
    const size_t psize = (size_t)m * (size_t)k;
    float *L = malloc(psize * (size_t)npan * sizeof(float)), *X = malloc((size_t)nrhs * k * sizeof(float));
    float *C = malloc((size_t)nrhs * m * sizeof(float));
    if (!L || !X || !C) {
        fprintf(stderr, "bench_skinny: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < psize * (size_t)npan; i++) L[i] = (float)(i % 7) * 0.1f;
    for (size_t i = 0; i < (size_t)nrhs * k; i++) X[i] = 1.0f;
    for (size_t i = 0; i < (size_t)nrhs * m; i++) C[i] = 0.0f;
    const double flop = 2.0 * nrhs * (double)psize * (double)reps, bytes = 4.0 * (double)psize * (double)reps;
    /* sgemm last: OpenBLAS's threads spin for a while after a call and
     * would take the cores from the kernels' threads measured after it */
    const char *what[3] = {"C -= X Lt (skinny)", "X -= Y L (skinny)", "C -= X Lt (sgemm)"};
    for (int w = 0; w < 3; w++)
        for (int t = 1; t <= 2; t++) {
            omp_set_num_threads(t);
            const double t0 = bench_seconds(CLOCK_MONOTONIC);
            for (long r = 0; r < reps; r++) {
                const float *P = L + (size_t)(r % npan) * psize;
                if (w == 0) am_skinny_nt(nrhs, m, k, X, P, m, C, 0);
                else if (w == 1) am_skinny_nn(nrhs, m, k, C, P, m, X);
                else am_sgemm('N', 'T', nrhs, m, k, -1.0f, X, nrhs, P, m, 1.0f, C, nrhs);
            }
            const double dt = bench_seconds(CLOCK_MONOTONIC) - t0;
            printf("%d thread%s  %-20s %7.1f GFlop/s  %5.2f GB/s\n", t, t > 1 ? "s" : " ", what[w], flop / dt * 1e-9,
                   bytes / dt * 1e-9);
        }
    free(L); free(X); free(C);
    return 0;
}
