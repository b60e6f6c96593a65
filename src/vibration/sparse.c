/* The lowest normal modes of large systems: shift-invert Lanczos (ARPACK)
 * on D − σI, factored once by CHOLMOD.
 *
 * D = M^{-1/2} H M^{-1/2} is assembled column by column from the factored
 * Hessian: block (a, b) holds the pair-range part when a and b are within
 * the cutoff and Σ_k F''_k v_k[a] v_k[b]ᵀ over the atoms k whose density both
 * feel (a and b within twice the cutoff). Only the upper triangle is stored
 * (CHOLMOD stype = 1). With σ just below zero D − σI is positive definite at
 * a minimum, and the modes nearest σ — the lowest — converge first. */
#include "amorph/vibration.h"
#include "core/error.h"
#include "vibration/hessian_internal.h"

#include <arpack/arpack.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <suitesparse/cholmod.h>

static int by_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Atoms a <= b whose block (a, b) can be nonzero: a ∈ {k} ∪ N(k) for
 * k ∈ {b} ∪ N(b), N the pair neighbours. Sorted, into pat; returns count. */
static int block_pattern(const am_hessian *h, const int *row_of, int b, int *mark, int *pat)
{
    int m = 0;
    const size_t eb = (size_t)row_of[b];
    for (size_t t = h->first[eb]; t <= h->first[eb + 1]; t++) {
        const int k = t == h->first[eb + 1] ? b : h->col[t];
        const size_t ek = (size_t)row_of[k];
        for (size_t u = h->first[ek]; u <= h->first[ek + 1]; u++) {
            const int a = u == h->first[ek + 1] ? k : h->col[u];
            if (a > b || mark[a] == b) continue;
            mark[a] = b;
            pat[m++] = a;
        }
    }
    qsort(pat, (size_t)m, sizeof *pat, by_int);
    return m;
}

static int find(const int *pat, int m, int a)
{
    int lo = 0, hi = m - 1;
    while (lo <= hi) {
        const int mid = (lo + hi) / 2;
        if (pat[mid] == a) return mid;
        if (pat[mid] < a) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* The 3x3 blocks (a, b), a in pat, of the Hessian's column of atoms b. */
static void column_blocks(const am_hessian *h, const int *row_of, int b, const int *pat, int m, int *mark, double *blk)
{
    memset(blk, 0, (size_t)m * 9 * sizeof(double));
    const size_t eb = (size_t)row_of[b];
    const int self = find(pat, m, b);
    for (int c = 0; c < 9; c++) blk[9 * self + c] += h->diag[9 * (size_t)b + c];
    /* pair part: row b holds block (b, a); block (a, b) is its transpose */
    for (size_t q = h->first[eb]; q < h->first[eb + 1]; q++) {
        const int a = h->col[q];
        if (a > b) continue;
        double *t = blk + 9 * find(pat, m, a);
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 3; y++) t[3 * x + y] += h->blk[9 * q + 3 * y + x];
    }
    /* F'' part over the distinct k of {b} ∪ N(b) */
    for (size_t t = h->first[eb]; t <= h->first[eb + 1]; t++) {
        const int k = t == h->first[eb + 1] ? b : h->col[t];
        if (mark[k] == -2 - b) continue;
        mark[k] = -2 - b;
        const size_t ek = (size_t)row_of[k];
        /* v_k's entry at b */
        double vb[3] = {0, 0, 0};
        if (k == b)
            for (int c = 0; c < 3; c++) vb[c] = h->vself[3 * (size_t)k + c];
        for (size_t q = h->first[ek]; q < h->first[ek + 1]; q++)
            if (h->col[q] == b)
                for (int c = 0; c < 3; c++) vb[c] -= h->u[3 * q + c];
        if (vb[0] == 0 && vb[1] == 0 && vb[2] == 0) continue;
        const double f = h->fpp[k];
        for (size_t u = h->first[ek]; u <= h->first[ek + 1]; u++) {
            const int a = u == h->first[ek + 1] ? k : h->col[u];
            if (a > b) continue;
            const double *va = u == h->first[ek + 1] ? h->vself + 3 * (size_t)k : h->u + 3 * u;
            const double sgn = u == h->first[ek + 1] ? f : -f;
            double *tb = blk + 9 * find(pat, m, a);
            for (int x = 0; x < 3; x++)
                for (int y = 0; y < 3; y++) tb[3 * x + y] += sgn * va[x] * vb[y];
        }
    }
}

/* D − σI, upper triangle, as a CHOLMOD matrix (NULL if out of memory). */
static cholmod_sparse *assemble(const am_hessian *h, const double *mass, double sigma, cholmod_common *cc)
{
    const size_t n = h->n, N = 3 * n;
    int *row_of = malloc(n * sizeof(int)), *npat = malloc((n + 1) * sizeof(int));
    if (!row_of || !npat) { free(row_of); free(npat); return NULL; }
    for (size_t e = 0; e < n; e++) row_of[h->atom[e]] = (int)e;
    int fail = 0;
    /* pass 1: pattern sizes */
#pragma omp parallel reduction(| : fail)
    {
        int *mark = malloc(n * sizeof(int)), *pat = malloc(n * sizeof(int));
        if (!mark || !pat) fail = 1;
        else
            for (size_t i = 0; i < n; i++) mark[i] = -1;
#pragma omp for schedule(dynamic, 32)
        for (size_t b = 0; b < n; b++)
            if (mark && pat) npat[b] = block_pattern(h, row_of, (int)b, mark, pat);
        free(mark);
        free(pat);
    }
    if (fail) { free(row_of); free(npat); return NULL; }
    /* column j = 3b + β holds 3 rows per block a < b and β + 1 of block b */
    size_t nnz = 0;
    for (size_t b = 0; b < n; b++) nnz += 9 * (size_t)(npat[b] - 1) + 6;
    cholmod_sparse *A = cholmod_l_allocate_sparse(N, N, nnz, 1, 1, 1, CHOLMOD_REAL, cc);
    if (!A) { free(row_of); free(npat); return NULL; }
    SuiteSparse_long *cp = A->p, *ri = A->i;
    double *val = A->x;
    cp[0] = 0;
    for (size_t b = 0; b < n; b++)
        for (int beta = 0; beta < 3; beta++) cp[3 * b + beta + 1] = cp[3 * b + beta] + 3 * (npat[b] - 1) + beta + 1;
    /* pass 2: values */
#pragma omp parallel reduction(| : fail)
    {
        int *mark = malloc(n * sizeof(int)), *pat = malloc(n * sizeof(int));
        double *blk = malloc(9 * n * sizeof(double));
        if (!mark || !pat || !blk) fail = 1;
        else
            for (size_t i = 0; i < n; i++) mark[i] = -1;
#pragma omp for schedule(dynamic, 32)
        for (size_t b = 0; b < n; b++) {
            if (!mark || !pat || !blk) continue;
            const int m = block_pattern(h, row_of, (int)b, mark, pat);
            column_blocks(h, row_of, (int)b, pat, m, mark, blk);
            for (int beta = 0; beta < 3; beta++) {
                SuiteSparse_long k = cp[3 * b + beta];
                const size_t j = 3 * b + (size_t)beta;
                for (int p = 0; p < m; p++) {
                    const size_t a = (size_t)pat[p];
                    const double w = 1.0 / sqrt(mass[a] * mass[b]);
                    for (int alpha = 0; alpha < 3; alpha++) {
                        const size_t r = 3 * a + (size_t)alpha;
                        if (r > j) break;
                        ri[k] = (SuiteSparse_long)r;
                        val[k] = blk[9 * p + 3 * alpha + beta] * w - (r == j ? sigma : 0.0);
                        k++;
                    }
                }
            }
        }
        free(mark); free(pat); free(blk);
    }
    free(row_of);
    free(npat);
    if (fail) { cholmod_l_free_sparse(&A, cc); return NULL; }
    return A;
}

am_status am_modes_sparse(const am_hessian *h, const double *mass, int nmodes, double sigma, am_modes **out)
{
    *out = NULL;
    const size_t n = h->n, N = 3 * n;
    if (nmodes < 1 || (size_t)nmodes >= N) return am_fail(AM_ERR_VALUE, "sparse modes: %d modes asked of %zu", nmodes, N);
    double *ones = NULL;
    if (!mass) {
        if (!(ones = malloc(n * sizeof(double)))) return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
        for (size_t i = 0; i < n; i++) ones[i] = 1.0;
        mass = ones;
    }
    cholmod_common cc;
    cholmod_l_start(&cc);
    cc.print = 0;
    am_status st = AM_OK;
    cholmod_sparse *A = assemble(h, mass, sigma, &cc);
    cholmod_factor *L = NULL;
    cholmod_dense *B = NULL, *X = NULL, *Y = NULL, *E = NULL;
    double *resid = NULL, *V = NULL, *workd = NULL, *workl = NULL, *d = NULL, *Z = NULL;
    a_int *select = NULL;
    am_modes *m = NULL;
    if (!A) { st = am_fail(AM_ERR_NOMEM, "sparse modes: out of memory assembling the %zu x %zu matrix", N, N); goto done; }
    L = cholmod_l_analyze(A, &cc);
    if (!L || !cholmod_l_factorize(A, L, &cc) || cc.status != CHOLMOD_OK) {
        st = cc.status == CHOLMOD_NOT_POSDEF
                 ? am_fail(AM_ERR_VALUE, "sparse modes: D - sigma I is not positive definite (sigma %g): an eigenvalue "
                                         "lies below sigma; is the configuration a minimum?", sigma)
                 : am_fail(AM_ERR_NOMEM, "sparse modes: CHOLMOD could not factor the matrix (status %d)", cc.status);
        goto done;
    }
    /* ARPACK, mode 3: OP = (D − σI)^{-1}, the largest |1/(λ − σ)| first */
    const a_int nev = nmodes, ncv = (a_int)((size_t)(2 * nmodes + 20) < N ? (size_t)(2 * nmodes + 20) : N);
    const a_int lworkl = ncv * (ncv + 8);
    resid = malloc(N * sizeof(double));
    V = malloc(N * (size_t)ncv * sizeof(double));
    workd = malloc(3 * N * sizeof(double));
    workl = malloc((size_t)lworkl * sizeof(double));
    B = cholmod_l_allocate_dense(N, 1, N, CHOLMOD_REAL, &cc);
    if (!resid || !V || !workd || !workl || !B) { st = am_fail(AM_ERR_NOMEM, "sparse modes: out of memory"); goto done; }
    /* a fixed, generic start vector: results do not depend on ARPACK's own seed */
    for (size_t k = 0; k < N; k++) resid[k] = 1.0 + 0.5 * sin(0.7 * (double)k);
    a_int iparam[11] = {0}, ipntr[14] = {0}, ido = 0, info = 1;
    iparam[0] = 1;
    iparam[2] = 3000;
    iparam[6] = 3;
    for (;;) {
        dsaupd_c(&ido, "I", (a_int)N, "LM", nev, 0.0, resid, ncv, V, (a_int)N, iparam, ipntr, workd, workl, lworkl, &info);
        if (ido != -1 && ido != 1) break;
        memcpy(B->x, workd + ipntr[0] - 1, N * sizeof(double));
        X = cholmod_l_solve2(CHOLMOD_A, L, B, NULL, &X, NULL, &Y, &E, &cc) ? X : NULL;
        if (!X) { st = am_fail(AM_ERR_NOMEM, "sparse modes: CHOLMOD solve failed"); goto done; }
        memcpy(workd + ipntr[1] - 1, X->x, N * sizeof(double));
    }
    if (info < 0 || info == 1) {
        st = am_fail(AM_ERR_VALUE, "sparse modes: ARPACK dsaupd stopped with info %d (%d of %d converged)", (int)info,
                     (int)iparam[4], nmodes);
        goto done;
    }
    d = malloc((size_t)nev * sizeof(double));
    Z = malloc(N * (size_t)nev * sizeof(double));
    select = calloc((size_t)ncv, sizeof(a_int));
    m = calloc(1, sizeof *m);
    if (m) { m->lambda = malloc((size_t)nev * sizeof(double)); m->vec = malloc(N * (size_t)nev * sizeof(double)); }
    if (!d || !Z || !select || !m || !m->lambda || !m->vec) { st = am_fail(AM_ERR_NOMEM, "sparse modes: out of memory"); goto done; }
    dseupd_c(1, "A", select, d, Z, (a_int)N, sigma, "I", (a_int)N, "LM", nev, 0.0, resid, ncv, V, (a_int)N, iparam, ipntr,
             workd, workl, lworkl, &info);
    if (info != 0) { st = am_fail(AM_ERR_VALUE, "sparse modes: ARPACK dseupd failed (info %d)", (int)info); goto done; }
    /* ascending eigenvalues; ARPACK's order is not guaranteed */
    for (int k = 0; k < nmodes; k++) {
        int best = -1;
        for (int q = 0; q < nmodes; q++)
            if (select[q] != 2 && (best < 0 || d[q] < d[best])) best = q;
        select[best] = 2;
        m->lambda[k] = d[best];
        memcpy(m->vec + (size_t)k * N, Z + (size_t)best * N, N * sizeof(double));
    }
    m->n = n;
    m->nmodes = nmodes;
    *out = m;
    m = NULL;
done:
    am_modes_free(m);
    free(resid); free(V); free(workd); free(workl); free(d); free(Z); free(select); free(ones);
    cholmod_l_free_dense(&B, &cc);
    cholmod_l_free_dense(&X, &cc);
    cholmod_l_free_dense(&Y, &cc);
    cholmod_l_free_dense(&E, &cc);
    cholmod_l_free_factor(&L, &cc);
    cholmod_l_free_sparse(&A, &cc);
    cholmod_l_finish(&cc);
    return st;
}
