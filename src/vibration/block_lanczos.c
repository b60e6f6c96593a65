/* Block Lanczos with full reorthogonalisation and thick restarts (see
 * block_lanczos.h).
 *
 * The basis V is kept orthonormal by two block Gram–Schmidt passes (dgemm)
 * after every operator application, and the projected matrix T = Vᵀ OP V is
 * filled from the coefficients of those passes, so it needs no tridiagonal
 * structure: after a restart that keeps p Ritz vectors, T is their Ritz
 * values plus the coupling of the unprocessed block, and the iteration goes
 * on unchanged. For a Ritz pair (θ, y = V s) of the processed part,
 * OP y − θ y = Q R s_last with Q, R the QR factors of the newest block, so
 * ‖R s_last‖ is its residual without touching the vectors. */
#include "vibration/block_lanczos.h"
#include "core/error.h"
#include "core/memory.h"
#include "vibration/blas.h"

#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static double uniform(uint64_t *st)
{
    *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*st >> 11) / 9007199254740992.0 - 0.5;
}

static double nrm2(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i] * x[i];
    return sqrt(s);
}

/* w -= V[:, 0:k] (V[:, 0:k]ᵀ w), accumulating the coefficients in coef
 * (may be NULL); tmp: k doubles. */
static void project_out(const double *V, size_t n, int k, double *w, double *coef, double *tmp)
{
    if (k == 0) return;
    am_dgemm('T', 'N', k, 1, (int)n, 1.0, V, (int)n, w, (int)n, 0.0, tmp, k);
    am_dgemm('N', 'N', (int)n, 1, k, -1.0, V, (int)n, tmp, k, 1.0, w, (int)n);
    if (coef)
        for (int i = 0; i < k; i++) coef[i] += tmp[i];
}

/* Orthonormalises the nb columns of W, already orthogonal to V[:, 0:k],
 * into W[:, 0:*nout] with W_in = V_out R (R: nb x nb, ld nb, rows for the
 * output columns). A column that lies in the span so far (norm below
 * 1e-12 of norm0[c], its norm before the projections) is dropped, and the
 * block is refilled with random vectors orthogonal to everything (R rows
 * zero) while the space has room. */
static void orth_block(double *W, int nb, size_t n, const double *V, int k, const double *norm0, double *R,
                       int *nout, uint64_t *seed, double *tmp)
{
    memset(R, 0, (size_t)nb * (size_t)nb * sizeof(double));
    int a = 0;
    for (int c = 0; c < nb; c++) {
        double *w = W + (size_t)a * n;
        if (a != c) memcpy(w, W + (size_t)c * n, n * sizeof(double));
        const double before = nrm2(w, n);
        for (int pass = 0; pass < 2; pass++) {
            if (a == 0) break;
            am_dgemm('T', 'N', a, 1, (int)n, 1.0, W, (int)n, w, (int)n, 0.0, tmp, a);
            am_dgemm('N', 'N', (int)n, 1, a, -1.0, W, (int)n, tmp, a, 1.0, w, (int)n);
            for (int i = 0; i < a; i++) R[i + (size_t)c * nb] += tmp[i];
        }
        double nr = nrm2(w, n);
        if (!(nr > 1e-12 * norm0[c])) continue;
        /* heavy cancellation: the remainder may have lost orthogonality */
        if (nr < 1e-3 * before) {
            for (int pass = 0; pass < 2; pass++) {
                project_out(V, n, k, w, NULL, tmp);
                project_out(W, n, a, w, R + (size_t)c * nb, tmp);
            }
            nr = nrm2(w, n);
        }
        for (size_t i = 0; i < n; i++) w[i] /= nr;
        R[a + (size_t)c * nb] = nr;
        a++;
    }
    while (a < nb && (size_t)(k + a) < n) {
        double *w = W + (size_t)a * n;
        for (size_t i = 0; i < n; i++) w[i] = uniform(seed);
        const double before = nrm2(w, n);
        for (int pass = 0; pass < 2; pass++) {
            project_out(V, n, k, w, NULL, tmp);
            project_out(W, n, a, w, NULL, tmp);
        }
        const double nr = nrm2(w, n);
        if (!(nr > 1e-6 * before)) break;
        for (size_t i = 0; i < n; i++) w[i] /= nr;
        a++;
    }
    *nout = a;
}

am_status am_block_lanczos(size_t n, int nev, const am_block_lanczos_options *o, am_block_op op, void *ctx,
                           double *theta, double *Y, am_block_lanczos_stats *stats)
{
    if (nev < 1 || (size_t)nev > n) return am_fail(AM_ERR_VALUE, "block Lanczos: %d eigenpairs asked of %zu", nev, n);
    int b = o->block > 0 ? o->block : 1;
    size_t mm = (size_t)(o->maxbasis > nev + 2 * b ? o->maxbasis : nev + 2 * b);
    if (mm > n) mm = n;
    const int mmax = (int)mm;
    if (b > mmax) b = mmax;
    /* the basis must hold the wanted vectors and one block */
    if (mmax - nev < b && mmax < (int)n) b = mmax - nev > 0 ? mmax - nev : 1;
    const size_t chunk = 256;
    /* the basis: hundreds of MB at the paper's size, read whole by every
     * reorthogonalisation (huge pages, as the factor) */
    double *V = am_alloc_large(n * mm * sizeof(double)), *W = malloc(n * (size_t)b * sizeof(double));
    double *T = calloc(mm * mm, sizeof(double)), *S = malloc(mm * mm * sizeof(double)), *th = malloc(mm * sizeof(double));
    double *H = malloc(mm * (size_t)b * sizeof(double)), *R = malloc((size_t)b * (size_t)b * sizeof(double));
    double *tmp = malloc(((chunk > (size_t)b ? chunk : (size_t)b) * mm + mm) * sizeof(double)), *norm0 = malloc((size_t)b * sizeof(double));
    double *Ssel = malloc(mm * mm * sizeof(double)), *Tw = malloc(mm * mm * sizeof(double));
    lapack_int *isuppz = malloc(2 * mm * sizeof(lapack_int));
    if (!V || !W || !T || !S || !th || !H || !R || !tmp || !norm0 || !Ssel || !Tw || !isuppz) {
        am_free_large(V); free(W); free(T); free(S); free(th); free(H); free(R); free(tmp); free(norm0); free(Ssel); free(Tw); free(isuppz);
        return am_fail(AM_ERR_NOMEM, "block Lanczos: out of memory for %d vectors of %zu", mmax, n);
    }
    am_block_lanczos_stats stt = {0, 0, 0};
    am_status st = AM_OK;
    /* a fixed pseudo-random start: results do not depend on any library's seed */
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n * (size_t)b; i++) W[i] = uniform(&seed);
    for (int c = 0; c < b; c++) norm0[c] = nrm2(W + (size_t)c * n, n);
    int k = 0, m = 0, nlast = 0, since = 0;
    const int step = nev / 4 > b ? nev / 4 : b;
    orth_block(W, b, n, V, 0, norm0, R, &m, &seed, tmp);
    memcpy(V, W, n * (size_t)m * sizeof(double));
    for (;;) {
        const int nb = m - k;
        if (stt.blocks >= o->maxiter) {
            st = am_fail(AM_ERR_VALUE, "block Lanczos: not converged after %d blocks (%ld vectors)", stt.blocks, stt.vectors);
            break;
        }
        if ((st = op(ctx, nb, V + (size_t)k * n, W))) break;
        stt.blocks++;
        stt.vectors += nb;
        for (int c = 0; c < nb; c++) norm0[c] = nrm2(W + (size_t)c * n, n);
        /* two passes of block Gram–Schmidt against the whole basis */
        memset(H, 0, (size_t)m * (size_t)nb * sizeof(double));
        for (int pass = 0; pass < 2; pass++) {
            am_dgemm('T', 'N', m, nb, (int)n, 1.0, V, (int)n, W, (int)n, 0.0, tmp, m);
            am_dgemm('N', 'N', (int)n, nb, m, -1.0, V, (int)n, tmp, m, 1.0, W, (int)n);
            for (size_t i = 0; i < (size_t)m * (size_t)nb; i++) H[i] += tmp[i];
        }
        for (int c = 0; c < nb; c++)
            for (int r = 0; r < m; r++) {
                T[(size_t)r + (size_t)(k + c) * mm] = H[(size_t)r + (size_t)c * m];
                T[(size_t)(k + c) + (size_t)r * mm] = H[(size_t)r + (size_t)c * m];
            }
        for (int c = 0; c < nb; c++)
            for (int r = c + 1; r < nb; r++) {
                const double avg = 0.5 * (H[(size_t)(k + r) + (size_t)c * m] + H[(size_t)(k + c) + (size_t)r * m]);
                T[(size_t)(k + r) + (size_t)(k + c) * mm] = T[(size_t)(k + c) + (size_t)(k + r) * mm] = avg;
            }
        k = m;
        nlast = nb;
        int nnew = 0;
        orth_block(W, nb, n, V, k, norm0, R, &nnew, &seed, tmp);
        /* The Ritz decomposition costs O(k³): it is done about every nev/4
         * new vectors (the most this overshoots), at a restart, and when the
         * space closes. */
        const int restart = k + nnew > mmax;
        since += nlast;
        if (restart || nnew == 0 || (k >= nev && since >= step)) {
            since = 0;
            int p = nev;
            if (restart) {
                p = nev + (mmax - nev - nnew) / 2;
                if (p + nnew > mmax) p = mmax - nnew;
            }
            if (p > k) p = k;
            const int want = p > nev ? p : (nev < k ? nev : k);
            /* the top `want` Ritz pairs, ascending: th[0..want), S columns */
            for (int c = 0; c < k; c++) memcpy(Tw + (size_t)c * mm, T + (size_t)c * mm, (size_t)k * sizeof(double));
            lapack_int found = 0;
            const lapack_int info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, 'V', 'I', 'U', k, Tw, (lapack_int)mm, 0.0, 0.0,
                                                   k - want + 1, k, 0.0, &found, th, S, (lapack_int)mm, isuppz);
            if (info || found != want) {
                st = am_fail(AM_ERR_VALUE, "block Lanczos: LAPACK dsyevr failed (%d)", (int)info);
                break;
            }
            int conv = 0;
            for (int i = want - 1; i >= want - nev && i >= 0; i--) {
                /* residual ‖R s_last‖ over the rows of the block just processed */
                double res = 0;
                for (int r = 0; r < nnew; r++) {
                    double sum = 0;
                    for (int c = 0; c < nlast; c++)
                        sum += R[r + (size_t)c * nlast] * S[(size_t)(k - nlast + c) + (size_t)i * mm];
                    res += sum * sum;
                }
                if (sqrt(res) <= o->tol * fabs(th[i])) conv++;
                else break;
            }
            if (conv >= nev || nnew == 0) {
                if (k < nev) { st = am_fail(AM_ERR_VALUE, "block Lanczos: the space closed at %d vectors", k); break; }
                for (int q = 0; q < nev; q++) {
                    theta[q] = th[want - 1 - q];
                    memcpy(Ssel + (size_t)q * k, S + (size_t)(want - 1 - q) * mm, (size_t)k * sizeof(double));
                }
                am_dgemm('N', 'N', (int)n, nev, k, 1.0, V, (int)n, Ssel, k, 0.0, Y, (int)n);
                break;
            }
            if (restart) {
                /* thick restart: keep the p largest Ritz vectors, V[:, 0:p] = V S_p
                 * row chunk by row chunk in place */
                for (int q = 0; q < p; q++)
                    memcpy(Ssel + (size_t)q * k, S + (size_t)(want - p + q) * mm, (size_t)k * sizeof(double));
                for (size_t r0 = 0; r0 < n; r0 += chunk) {
                    const int rl = (int)(n - r0 < chunk ? n - r0 : chunk);
                    am_dgemm('N', 'N', rl, p, k, 1.0, V + r0, (int)n, Ssel, k, 0.0, tmp, rl);
                    for (int q = 0; q < p; q++) memcpy(V + r0 + (size_t)q * n, tmp + (size_t)q * rl, (size_t)rl * sizeof(double));
                }
                for (int c = 0; c < mmax; c++) memset(T + (size_t)c * mm, 0, mm * sizeof(double));
                for (int q = 0; q < p; q++) {
                    T[(size_t)q * (mm + 1)] = th[want - p + q];
                    for (int r = 0; r < nnew; r++) {
                        double sum = 0;
                        for (int c = 0; c < nlast; c++) sum += R[r + (size_t)c * nlast] * Ssel[(size_t)(k - nlast + c) + (size_t)q * k];
                        T[(size_t)(p + r) + (size_t)q * mm] = T[(size_t)q + (size_t)(p + r) * mm] = sum;
                    }
                }
                k = p;
                stt.restarts++;
            }
        }
        if (!restart)
            for (int r = 0; r < nnew; r++)
                for (int c = 0; c < k; c++) {
                    const double v = c >= k - nlast ? R[r + (size_t)(c - (k - nlast)) * nlast] : 0.0;
                    T[(size_t)(k + r) + (size_t)c * mm] = T[(size_t)c + (size_t)(k + r) * mm] = v;
                }
        memcpy(V + (size_t)k * n, W, n * (size_t)nnew * sizeof(double));
        m = k + nnew;
    }
    if (stats) *stats = stt;
    am_free_large(V); free(W); free(T); free(S); free(th); free(H); free(R); free(tmp); free(norm0); free(Ssel); free(Tw); free(isuppz);
    return st;
}
