/* Internal template: the supernodal LDLᵀ's factorisation and solve in one
 * precision. ldlt.c includes it once per precision with
 *   REAL          the factor's and right-hand sides' type
 *   GEMM, TRSM    the BLAS of that type (blas.h)
 *   LDLT(name)    the name of a function in this precision, and of the
 *                 solve's panel products LDLT(panel_nt), LDLT(panel_nn),
 *                 LDLT(panel_nt_rows), LDLT(panel_nn_rows), LDLT(panel_trsm)
 *                 that ldlt.c defines for it, and LDLT(gathers), whether
 *                 the _rows products use the workspace E
 * (GSL's way of writing an algorithm once for several types). The layout and
 * its reasons are in ldlt.c and ldlt.h. */

/* Dense LDLᵀ of the m x nc panel A (lda m; the top nc x nc is the diagonal
 * block, lower triangle), blocked left-looking: each block of columns is
 * brought up to date by one dgemm with all the columns before it, factored
 * on its diagonal, and its rows below are solved with dtrsm. W: NB*nc
 * doubles. Returns -1 on a zero or non-finite pivot. */
static int LDLT(panel_ldlt)(REAL *A, int m, int nc, REAL *W, size_t *npos, size_t *nneg)
{
    for (int j0 = 0; j0 < nc; j0 += NB) {
        const int jb = nc - j0 < NB ? nc - j0 : NB;
        if (j0 > 0) {
            for (int c = 0; c < j0; c++) {
                const REAL d = A[c + (size_t)c * m];
                const REAL *l = A + j0 + (size_t)c * m;
                for (int t = 0; t < jb; t++) W[t + (size_t)c * jb] = l[t] * d;
            }
            GEMM('N', 'T', m - j0, jb, j0, -1.0, A + j0, m, W, jb, 1.0, A + j0 + (size_t)j0 * m, m);
        }
        for (int j = j0; j < j0 + jb; j++) {
            REAL *aj = A + (size_t)j * m;
            const REAL d = aj[j];
            if (d == 0.0 || !isfinite(d)) return -1;
            if (d > 0) (*npos)++;
            else (*nneg)++;
            for (int c = j + 1; c < j0 + jb; c++) {
                const REAL lc = aj[c] / d;
                REAL *ac = A + (size_t)c * m;
                for (int i = c; i < j0 + jb; i++) ac[i] -= aj[i] * lc;
            }
            for (int i = j + 1; i < j0 + jb; i++) aj[i] /= d;
        }
        const int below = m - j0 - jb;
        if (below > 0) {
            REAL *a21 = A + j0 + jb + (size_t)j0 * m;
            TRSM('R', 'L', 'T', 'U', below, jb, A + j0 + (size_t)j0 * m, m, a21, m);
            for (int c = 0; c < jb; c++) {
                const REAL inv = (REAL)1 / A[(j0 + c) + (size_t)(j0 + c) * m];
                REAL *col = a21 + (size_t)c * m;
                for (int i = 0; i < below; i++) col[i] *= inv;
            }
        }
    }
    return 0;
}

static am_status LDLT(factor)(const cholmod_factor *L, const size_t *Ap, const int *Ai, const double *Ax, am_ldlt *f)
{
    am_status st = AM_OK;
    const SuiteSparse_long *Ls = L->s;
    const long *col = f->col, *rs = f->rs, *re = f->re;
    const size_t *px = f->px;
    const size_t n = L->n, np = f->npanel;
    size_t maxrow = 1;
    for (size_t s = 0; s < np; s++)
        if ((size_t)(re[s] - rs[s]) > maxrow) maxrow = (size_t)(re[s] - rs[s]);
    /* the factor is gigabytes at the paper's size, and every solve streams
     * through it: huge pages spare the page faults of its first touch and
     * the TLB misses of each pass */
    REAL *x = am_alloc_large((f->size + 1) * sizeof(REAL));
    int *smap = malloc((n + 1) * sizeof(int)), *map = malloc((n + 1) * sizeof(int));
    long *head = malloc((np + 1) * sizeof *head), *next = malloc((np + 1) * sizeof *next), *lpos = malloc((np + 1) * sizeof *lpos);
    REAL *W = malloc(((size_t)(CHUNK > NB ? CHUNK : NB) * AM_LDLT_PANEL + 1) * sizeof(REAL));
    REAL *C = malloc((maxrow * CHUNK + 1) * sizeof(REAL));
    int *rel = malloc((maxrow + 1) * sizeof(int));
    if (!x || !smap || !map || !head || !next || !lpos || !W || !C || !rel) {
        am_free_large(x); free(smap); free(map); free(head); free(next); free(lpos); free(W); free(C); free(rel);
        am_ldlt_free(f);
        return am_fail(AM_ERR_NOMEM, "LDLt: out of memory for a factor of %.3g GB", (double)f->size * sizeof(REAL) * 1e-9);
    }
    for (size_t s = 0; s < np; s++) {
        head[s] = -1;
        for (long j = col[s]; j < col[s + 1]; j++) smap[j] = (int)s;
    }
    size_t npos = 0, nneg = 0;
    for (size_t s = 0; s < np && !st; s++) {
        const long k1 = col[s], k2 = col[s + 1], psi = rs[s];
        const int nscol = (int)(k2 - k1), nsrow = (int)(re[s] - psi);
        REAL *xs = x + px[s];
        for (int r = 0; r < nsrow; r++) map[Ls[psi + r]] = r;
        memset(xs, 0, (size_t)nsrow * (size_t)nscol * sizeof(REAL));
        for (long j = k1; j < k2; j++) {
            REAL *cj = xs + (size_t)(j - k1) * nsrow;
            for (size_t q = Ap[j]; q < Ap[j + 1]; q++) cj[map[Ai[q]]] += Ax[q];
        }
        /* updates from the panels whose next rows fall in [k1, k2) */
        long d = head[s];
        head[s] = -1;
        while (d >= 0) {
            const long dnext = next[d], pdi = rs[d], pend = re[d];
            const int ndcol = (int)(col[d + 1] - col[d]), ndrow = (int)(pend - pdi);
            const long pdi1 = pdi + lpos[d];
            long pdi2 = pdi1;
            while (pdi2 < pend && Ls[pdi2] < k2) pdi2++;
            const int ndrow1 = (int)(pdi2 - pdi1), ndrow2 = (int)(pend - pdi1);
            const REAL *xd = x + px[d], *ld = xd + (pdi1 - pdi);
            /* a panel of the same supernode has exactly this panel's rows
             * from here on: its update goes straight into the panel, no
             * buffer or scatter (the upper triangle of the diagonal block,
             * written too, is never read) */
            const int inplace = pdi1 == psi && pend == re[s];
            for (int c0 = 0; c0 < ndrow1; c0 += CHUNK) {
                const int cw = ndrow1 - c0 < CHUNK ? ndrow1 - c0 : CHUNK, mr = ndrow2 - c0;
                for (int c = 0; c < ndcol; c++) {
                    const REAL dd = xd[c + (size_t)c * ndrow];
                    const REAL *l = ld + c0 + (size_t)c * ndrow;
                    for (int t = 0; t < cw; t++) W[t + (size_t)c * cw] = l[t] * dd;
                }
                if (inplace) {
                    GEMM('N', 'T', mr, cw, ndcol, -1.0, ld + c0, ndrow, W, cw, 1.0, xs + c0 + (size_t)c0 * nsrow, nsrow);
                    continue;
                }
                GEMM('N', 'T', mr, cw, ndcol, 1.0, ld + c0, ndrow, W, cw, 0.0, C, mr);
                /* The scatter was a fifth of the factorisation: one thread,
                 * and a row number and a map lookup per entry. The rows'
                 * places in the panel are looked up once per chunk; its
                 * columns are distinct columns of the panel, so the threads
                 * share them without a conflict (and without changing a
                 * bit). */
                const SuiteSparse_long *rows = Ls + pdi1 + c0;
                for (int r = 0; r < mr; r++) rel[r] = map[rows[r]];
#pragma omp parallel for schedule(static) if ((size_t)mr * (size_t)cw > 65536)
                for (int t = 0; t < cw; t++) {
                    REAL *dst = xs + (size_t)rel[t] * nsrow;
                    const REAL *ct = C + (size_t)t * mr;
                    for (int r = t; r < mr; r++) dst[rel[r]] -= ct[r];
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
        if (LDLT(panel_ldlt)(xs, nsrow, nscol, W, &npos, &nneg)) {
            st = am_fail(AM_ERR_VALUE, "LDLt: zero or non-finite pivot in columns %ld..%ld", k1, k2 - 1);
            break;
        }
        lpos[s] = nscol;
        if (nsrow > nscol) {
            const int target = smap[Ls[psi + nscol]];
            next[s] = head[target];
            head[target] = (long)s;
        }
    }
    free(smap); free(map); free(head); free(next); free(lpos); free(W); free(C); free(rel);
    if (st) { am_free_large(x); am_ldlt_free(f); return st; }
    f->sym = L;
    f->x = x;
    f->n = n;
    f->npos = npos;
    f->nneg = nneg;
    return AM_OK;
}

static am_status LDLT(solve)(const am_ldlt *f, int nrhs, REAL *X)
{
    const SuiteSparse_long *Ls = f->sym->s;
    const long *col = f->col, *rs = f->rs, *re = f->re;
    const size_t np = f->npanel, nb = (size_t)nrhs;
    /* X is, to column-major BLAS, the nrhs x n matrix Xᵀ: a panel's rows
     * are a contiguous nrhs x nscol block, and each row below it a
     * contiguous column of the gathered block E (nrhs x rows below). */
    /* the gathered rows' workspace, for the precision whose products need it */
    REAL *E = malloc(((LDLT(gathers) ? f->maxupdate * nb : 0) + 1) * sizeof(REAL));
    if (!E) return am_fail(AM_ERR_NOMEM, "LDLt: out of memory in the solve");
    for (size_t s = 0; s < np; s++) {
        const long k1 = col[s], psi = rs[s];
        const int nscol = (int)(col[s + 1] - k1), nsrow = (int)(re[s] - psi), below = nsrow - nscol;
        const REAL *xs = (const REAL *)f->x + f->px[s];
        REAL *xk = X + (size_t)k1 * nb;
        LDLT(panel_trsm)(nrhs, nscol, xs, nsrow, xk, 1);
        /* rows that follow the panel's columns directly (the rest of its
         * supernode) are updated in place, the others by their row
         * numbers (through E for dgemm, where they are for the float
         * kernels) */
        const int nc = contiguous(Ls + psi + nscol, below, col[s + 1]);
        if (nc > 0) LDLT(panel_nt)(nrhs, nc, nscol, xk, xs + nscol, nsrow, xk + (size_t)nscol * nb, 0);
        if (below > nc) LDLT(panel_nt_rows)(nrhs, below - nc, nscol, xk, xs + nscol + nc, nsrow, X, Ls + psi + nscol + nc, E);
    }
    for (size_t s = 0; s < np; s++) {
        const long k1 = col[s];
        const int nscol = (int)(col[s + 1] - k1), nsrow = (int)(re[s] - rs[s]);
        const REAL *xs = (const REAL *)f->x + f->px[s];
        for (int c = 0; c < nscol; c++) {
            const REAL inv = (REAL)1 / xs[c + (size_t)c * nsrow];
            REAL *xr = X + (size_t)(k1 + c) * nb;
            for (size_t q = 0; q < nb; q++) xr[q] *= inv;
        }
    }
    for (size_t s = np; s-- > 0;) {
        const long k1 = col[s], psi = rs[s];
        const int nscol = (int)(col[s + 1] - k1), nsrow = (int)(re[s] - psi), below = nsrow - nscol;
        const REAL *xs = (const REAL *)f->x + f->px[s];
        REAL *xk = X + (size_t)k1 * nb;
        const int nc = contiguous(Ls + psi + nscol, below, col[s + 1]);
        if (nc > 0) LDLT(panel_nn)(nrhs, nc, nscol, xk + (size_t)nscol * nb, xs + nscol, nsrow, xk);
        if (below > nc) LDLT(panel_nn_rows)(nrhs, below - nc, nscol, X, Ls + psi + nscol + nc, xs + nscol + nc, nsrow, xk, E);
        LDLT(panel_trsm)(nrhs, nscol, xs, nsrow, xk, 0);
    }
    free(E);
    return AM_OK;
}
