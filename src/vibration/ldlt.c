/* Supernodal LDLᵀ without pivoting (see ldlt.h).
 *
 * Left-looking over CHOLMOD's relaxed supernodes: each supernode's panel is
 * loaded from the matrix, then updated by every earlier supernode whose
 * rows reach into its columns (found through per-target lists, as the rows
 * of a supernode are sorted, each descendant visits its targets in order),
 * then factored densely. All the arithmetic is in dgemm/dtrsm calls so the
 * multithreaded BLAS does the work; updates go through a bounded buffer in
 * column chunks, so the workspace stays small next to the factor. */
#include "vibration/ldlt.h"
#include "core/error.h"
#include "vibration/blas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* columns of an update computed per dgemm, and the panel block width */
enum { CHUNK = 256, NB = 128 };

void am_ldlt_free(am_ldlt *f)
{
    if (!f) return;
    free(f->x);
    f->x = NULL;
}

/* Dense LDLᵀ of the m x nc panel A (lda m; the top nc x nc is the diagonal
 * block, lower triangle), blocked left-looking: each block of columns is
 * brought up to date by one dgemm with all the columns before it, factored
 * on its diagonal, and its rows below are solved with dtrsm. W: NB*nc
 * doubles. Returns -1 on a zero or non-finite pivot. */
static int panel_ldlt(double *A, int m, int nc, double *W, size_t *npos, size_t *nneg)
{
    for (int j0 = 0; j0 < nc; j0 += NB) {
        const int jb = nc - j0 < NB ? nc - j0 : NB;
        if (j0 > 0) {
            for (int c = 0; c < j0; c++) {
                const double d = A[c + (size_t)c * m];
                const double *l = A + j0 + (size_t)c * m;
                for (int t = 0; t < jb; t++) W[t + (size_t)c * jb] = l[t] * d;
            }
            am_dgemm('N', 'T', m - j0, jb, j0, -1.0, A + j0, m, W, jb, 1.0, A + j0 + (size_t)j0 * m, m);
        }
        for (int j = j0; j < j0 + jb; j++) {
            double *aj = A + (size_t)j * m;
            const double d = aj[j];
            if (d == 0.0 || !isfinite(d)) return -1;
            if (d > 0) (*npos)++;
            else (*nneg)++;
            for (int c = j + 1; c < j0 + jb; c++) {
                const double lc = aj[c] / d;
                double *ac = A + (size_t)c * m;
                for (int i = c; i < j0 + jb; i++) ac[i] -= aj[i] * lc;
            }
            for (int i = j + 1; i < j0 + jb; i++) aj[i] /= d;
        }
        const int below = m - j0 - jb;
        if (below > 0) {
            double *a21 = A + j0 + jb + (size_t)j0 * m;
            am_dtrsm('R', 'L', 'T', 'U', below, jb, A + j0 + (size_t)j0 * m, m, a21, m);
            for (int c = 0; c < jb; c++) {
                const double inv = 1.0 / A[(j0 + c) + (size_t)(j0 + c) * m];
                double *col = a21 + (size_t)c * m;
                for (int i = 0; i < below; i++) col[i] *= inv;
            }
        }
    }
    return 0;
}

am_status am_ldlt_factor(const cholmod_factor *L, const size_t *Ap, const int *Ai, const double *Ax, am_ldlt *f)
{
    memset(f, 0, sizeof *f);
    if (!L->is_super || L->xtype != CHOLMOD_PATTERN)
        return am_fail(AM_ERR_VALUE, "LDLt: needs a supernodal symbolic factor");
    const SuiteSparse_long *super = L->super, *pi = L->pi, *px = L->px, *Ls = L->s;
    const size_t n = L->n, nsuper = L->nsuper;
    size_t maxcol = 1, maxrow = 1, maxupd = 0;
    for (size_t s = 0; s < nsuper; s++) {
        const size_t nc = (size_t)(super[s + 1] - super[s]), nr = (size_t)(pi[s + 1] - pi[s]);
        if (nc > maxcol) maxcol = nc;
        if (nr > maxrow) maxrow = nr;
        if (nr - nc > maxupd) maxupd = nr - nc;
    }
    double *x = malloc((L->xsize + 1) * sizeof(double));
    int *smap = malloc((n + 1) * sizeof(int)), *map = malloc((n + 1) * sizeof(int));
    SuiteSparse_long *head = malloc((nsuper + 1) * sizeof *head), *next = malloc((nsuper + 1) * sizeof *next),
                     *lpos = malloc((nsuper + 1) * sizeof *lpos);
    double *W = malloc(((size_t)(CHUNK > NB ? CHUNK : NB) * maxcol + 1) * sizeof(double));
    double *C = malloc((maxrow * CHUNK + 1) * sizeof(double));
    if (!x || !smap || !map || !head || !next || !lpos || !W || !C) {
        free(x); free(smap); free(map); free(head); free(next); free(lpos); free(W); free(C);
        return am_fail(AM_ERR_NOMEM, "LDLt: out of memory for a factor of %.3g GB", (double)L->xsize * 8e-9);
    }
    for (size_t s = 0; s < nsuper; s++) {
        head[s] = -1;
        for (SuiteSparse_long j = super[s]; j < super[s + 1]; j++) smap[j] = (int)s;
    }
    am_status st = AM_OK;
    size_t npos = 0, nneg = 0;
    for (size_t s = 0; s < nsuper && !st; s++) {
        const SuiteSparse_long k1 = super[s], k2 = super[s + 1], psi = pi[s];
        const int nscol = (int)(k2 - k1), nsrow = (int)(pi[s + 1] - psi);
        double *xs = x + px[s];
        for (int r = 0; r < nsrow; r++) map[Ls[psi + r]] = r;
        memset(xs, 0, (size_t)nsrow * (size_t)nscol * sizeof(double));
        for (SuiteSparse_long j = k1; j < k2; j++) {
            double *col = xs + (size_t)(j - k1) * nsrow;
            for (size_t q = Ap[j]; q < Ap[j + 1]; q++) col[map[Ai[q]]] += Ax[q];
        }
        /* updates from the supernodes whose next rows fall in [k1, k2) */
        SuiteSparse_long d = head[s];
        head[s] = -1;
        while (d >= 0) {
            const SuiteSparse_long dnext = next[d], pdi = pi[d], pend = pi[d + 1];
            const int ndcol = (int)(super[d + 1] - super[d]), ndrow = (int)(pend - pdi);
            const SuiteSparse_long pdi1 = pdi + lpos[d];
            SuiteSparse_long pdi2 = pdi1;
            while (pdi2 < pend && Ls[pdi2] < k2) pdi2++;
            const int ndrow1 = (int)(pdi2 - pdi1), ndrow2 = (int)(pend - pdi1);
            const double *xd = x + px[d], *ld = xd + (pdi1 - pdi);
            for (int c0 = 0; c0 < ndrow1; c0 += CHUNK) {
                const int cw = ndrow1 - c0 < CHUNK ? ndrow1 - c0 : CHUNK, mr = ndrow2 - c0;
                for (int c = 0; c < ndcol; c++) {
                    const double dd = xd[c + (size_t)c * ndrow];
                    const double *l = ld + c0 + (size_t)c * ndrow;
                    for (int t = 0; t < cw; t++) W[t + (size_t)c * cw] = l[t] * dd;
                }
                am_dgemm('N', 'T', mr, cw, ndcol, 1.0, ld + c0, ndrow, W, cw, 0.0, C, mr);
                for (int t = 0; t < cw; t++) {
                    const SuiteSparse_long *rows = Ls + pdi1 + c0;
                    double *col = xs + (size_t)(rows[t] - k1) * nsrow;
                    const double *ct = C + (size_t)t * mr;
                    for (int r = t; r < mr; r++) col[map[rows[r]]] -= ct[r];
                }
            }
            lpos[d] = pdi2 - pdi;
            if (pdi2 < pend) {
                const int target = smap[Ls[pdi2]];
                next[d] = head[target];
                head[target] = d;
            }
            d = dnext;
        }
        if (panel_ldlt(xs, nsrow, nscol, W, &npos, &nneg)) {
            st = am_fail(AM_ERR_VALUE, "LDLt: zero or non-finite pivot in columns %ld..%ld", (long)k1, (long)k2 - 1);
            break;
        }
        lpos[s] = nscol;
        if (nsrow > nscol) {
            const int target = smap[Ls[psi + nscol]];
            next[s] = head[target];
            head[target] = (SuiteSparse_long)s;
        }
    }
    free(smap); free(map); free(head); free(next); free(lpos); free(W); free(C);
    if (st) { free(x); return st; }
    f->sym = L;
    f->x = x;
    f->n = n;
    f->npos = npos;
    f->nneg = nneg;
    f->maxupdate = maxupd;
    return AM_OK;
}

am_status am_ldlt_solve(const am_ldlt *f, int nrhs, double *X)
{
    const cholmod_factor *L = f->sym;
    const SuiteSparse_long *super = L->super, *pi = L->pi, *px = L->px, *Ls = L->s;
    const size_t nsuper = L->nsuper;
    const size_t nb = (size_t)nrhs;
    /* X is, to column-major BLAS, the nrhs x n matrix Xᵀ: a supernode's rows
     * are a contiguous nrhs x nscol block, and each row below it a
     * contiguous column of the gathered block E (nrhs x rows below). */
    double *E = malloc((f->maxupdate * nb + 1) * sizeof(double));
    if (!E) return am_fail(AM_ERR_NOMEM, "LDLt: out of memory in the solve");
    for (size_t s = 0; s < nsuper; s++) {
        const SuiteSparse_long k1 = super[s], psi = pi[s];
        const int nscol = (int)(super[s + 1] - k1), nsrow = (int)(pi[s + 1] - psi), below = nsrow - nscol;
        const double *xs = f->x + px[s];
        double *xk = X + (size_t)k1 * nb;
        am_dtrsm('R', 'L', 'T', 'U', nrhs, nscol, xs, nsrow, xk, nrhs);
        if (below > 0) {
            am_dgemm('N', 'T', nrhs, below, nscol, 1.0, xk, nrhs, xs + nscol, nsrow, 0.0, E, nrhs);
            for (int r = 0; r < below; r++) {
                double *xr = X + (size_t)Ls[psi + nscol + r] * nb;
                const double *er = E + (size_t)r * nb;
                for (size_t c = 0; c < nb; c++) xr[c] -= er[c];
            }
        }
    }
    for (size_t s = 0; s < nsuper; s++) {
        const SuiteSparse_long k1 = super[s];
        const int nscol = (int)(super[s + 1] - k1), nsrow = (int)(pi[s + 1] - pi[s]);
        const double *xs = f->x + px[s];
        for (int c = 0; c < nscol; c++) {
            const double inv = 1.0 / xs[c + (size_t)c * nsrow];
            double *xr = X + (size_t)(k1 + c) * nb;
            for (size_t q = 0; q < nb; q++) xr[q] *= inv;
        }
    }
    for (size_t s = nsuper; s-- > 0;) {
        const SuiteSparse_long k1 = super[s], psi = pi[s];
        const int nscol = (int)(super[s + 1] - k1), nsrow = (int)(pi[s + 1] - psi), below = nsrow - nscol;
        const double *xs = f->x + px[s];
        double *xk = X + (size_t)k1 * nb;
        if (below > 0) {
            for (int r = 0; r < below; r++) memcpy(E + (size_t)r * nb, X + (size_t)Ls[psi + nscol + r] * nb, nb * sizeof(double));
            am_dgemm('N', 'N', nrhs, nscol, below, -1.0, E, nrhs, xs + nscol, nsrow, 1.0, xk, nrhs);
        }
        am_dtrsm('R', 'L', 'N', 'U', nrhs, nscol, xs, nsrow, xk, nrhs);
    }
    free(E);
    return AM_OK;
}
