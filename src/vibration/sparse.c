/* The lowest normal modes of large systems: block shift-invert Lanczos on
 * D − σI, solved through an augmented system that only has pair-range
 * couplings (docs/vibration.md has the reasoning and the measurements).
 *
 * D − σI = A + Σ_k F''_k ĝ_k ĝ_kᵀ, with A = M^{-1/2} P M^{-1/2} − σI the
 * pair-range part and ĝ_k = M^{-1/2} ∂ρ_k/∂x (atom k and its neighbours).
 * The sum couples atoms up to twice the cutoff, so instead of assembling
 * it, each atom k with F''_k ≠ 0 gets one more unknown y_k = c_k ĝ_kᵀ x,
 * c_k = √|F''_k|:
 *
 *     [ A        c_k ĝ_k ] [x]   [b]
 *     [ c_k ĝ_kᵀ   ∓1    ] [y] = [0]     (−1 where F'' > 0, +1 where F'' < 0)
 *
 * whose x is (D − σI)^{-1} b, and every block of which couples atoms within
 * the cutoff. With A positive definite the F'' > 0 part is quasi-definite,
 * so its LDLᵀ needs no pivoting in any order; the few F'' < 0 unknowns
 * (CuZr_mm: 0.5 % of the atoms, |F''| < 3e-3 of the largest) are eliminated
 * last, where their Schur complement is positive definite exactly when
 * D − σI is. Sylvester's law then turns the pivot signs into the check that
 * σ lies below the spectrum. */
#include "amorph/vibration.h"
#include "core/error.h"
#include "vibration/blas.h"
#include "vibration/block_lanczos.h"
#include "vibration/hessian_internal.h"
#include "vibration/ldlt.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <suitesparse/cholmod.h>

static int by_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Atoms within the cutoff of each atom, itself included, sorted and without
 * the repeats that periodic images make: adj[first[a] .. first[a+1]-1]. */
typedef struct atom_graph {
    size_t *first;
    int *adj;
} atom_graph;

static am_status graph_build(const am_hessian *h, const int *row_of, atom_graph *g)
{
    const size_t n = h->n;
    g->first = malloc((n + 1) * sizeof(size_t));
    g->adj = malloc((h->first[n] + n + 1) * sizeof(int));
    if (!g->first || !g->adj) return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
    size_t m = 0;
    for (size_t a = 0; a < n; a++) {
        const size_t e = (size_t)row_of[a], start = m;
        g->first[a] = m;
        g->adj[m++] = (int)a;
        for (size_t q = h->first[e]; q < h->first[e + 1]; q++) g->adj[m++] = h->col[q];
        qsort(g->adj + start, m - start, sizeof(int), by_int);
        size_t u = start + 1;
        for (size_t q = start + 1; q < m; q++)
            if (g->adj[q] != g->adj[u - 1]) g->adj[u++] = g->adj[q];
        m = u;
    }
    g->first[n] = m;
    return AM_OK;
}

static int position(const int *adj, int deg, int b)
{
    int lo = 0, hi = deg - 1;
    while (lo <= hi) {
        const int mid = (lo + hi) / 2;
        if (adj[mid] == b) return mid;
        if (adj[mid] < b) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* A fill-reducing order of the atoms (METIS nested dissection, or AMD if it
 * fills less) from the atom graph: the augmented matrix is this graph with
 * blocks of 3 or 4 unknowns, and has a sixteenth of the entries to order. */
static am_status atom_order(const atom_graph *g, size_t n, cholmod_common *cc, SuiteSparse_long *order)
{
    size_t nnz = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t q = g->first[a]; q < g->first[a + 1]; q++) nnz += (size_t)g->adj[q] <= a;
    cholmod_sparse *G = cholmod_l_allocate_sparse(n, n, nnz, 1, 1, 1, CHOLMOD_PATTERN, cc);
    if (!G) return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
    SuiteSparse_long *gp = G->p, *gi = G->i;
    nnz = 0;
    for (size_t a = 0; a < n; a++) {
        gp[a] = (SuiteSparse_long)nnz;
        for (size_t q = g->first[a]; q < g->first[a + 1]; q++)
            if ((size_t)g->adj[q] <= a) gi[nnz++] = g->adj[q];
    }
    gp[n] = (SuiteSparse_long)nnz;
    cc->nmethods = 2;
    cc->method[0].ordering = CHOLMOD_METIS;
    cc->method[1].ordering = CHOLMOD_AMD;
    cc->supernodal = CHOLMOD_SIMPLICIAL;
    cc->postorder = 1;
    cholmod_factor *L = cholmod_l_analyze(G, cc);
    cholmod_l_free_sparse(&G, cc);
    if (!L) return am_fail(AM_ERR_NOMEM, "sparse modes: CHOLMOD could not order the atoms (status %d)", cc->status);
    memcpy(order, L->Perm, n * sizeof(SuiteSparse_long));
    cholmod_l_free_factor(&L, cc);
    return AM_OK;
}

/* The augmented system's unknowns: x_a = 3a..3a+2, y_a = 3n + yidx[a]
 * (yidx −1 where F''_a = 0), F'' > 0 ones first. */
typedef struct augmented {
    size_t n, nx, nyp, nyn, nk; /* atoms, 3n, y unknowns with F'' > 0 and < 0, all */
    int *yidx;
    double *isq;              /* 1/√m per atom */
    SuiteSparse_long *pinv;   /* unknown -> position in the factor */
    cholmod_factor *sym;
    am_ldlt f;                /* f.single: factored in single precision */
} augmented;

/* Symbolic analysis: the unknowns ordered atom by atom (x then y) in the atom
 * order, the F'' < 0 unknowns last; CHOLMOD's postorder and supernodes. */
static am_status analyze(const am_hessian *h, const atom_graph *g, const SuiteSparse_long *order, augmented *K,
                         cholmod_common *cc)
{
    const size_t n = K->n, nk = K->nk;
    SuiteSparse_long *perm = malloc(nk * sizeof *perm);
    if (!perm) return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
    size_t t = 0;
    for (size_t q = 0; q < n; q++) {
        const size_t a = (size_t)order[q];
        for (int c = 0; c < 3; c++) perm[t++] = (SuiteSparse_long)(3 * a) + c;
        if (h->fpp[a] > 0) perm[t++] = (SuiteSparse_long)(K->nx + (size_t)K->yidx[a]);
    }
    for (size_t a = 0; a < n; a++)
        if (h->fpp[a] < 0) perm[t++] = (SuiteSparse_long)(K->nx + (size_t)K->yidx[a]);
    /* the pattern, upper triangle: x–x within the cutoff, and each y_a's
     * column holding the x of a and its neighbours */
    size_t nnz = 0;
    for (size_t a = 0; a < n; a++) {
        const size_t deg = g->first[a + 1] - g->first[a];
        size_t below = 0;
        for (size_t q = g->first[a]; q < g->first[a + 1]; q++) below += (size_t)g->adj[q] < a;
        nnz += 9 * below + 6 + (K->yidx[a] >= 0 ? 3 * deg + 1 : 0);
    }
    cholmod_sparse *P = cholmod_l_allocate_sparse(nk, nk, nnz, 1, 1, 1, CHOLMOD_PATTERN, cc);
    if (!P) { free(perm); return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory for the pattern"); }
    SuiteSparse_long *pp = P->p, *pi = P->i;
    nnz = 0;
    for (size_t a = 0; a < n; a++)
        for (int al = 0; al < 3; al++) {
            const SuiteSparse_long j = (SuiteSparse_long)(3 * a) + al;
            pp[j] = (SuiteSparse_long)nnz;
            for (size_t q = g->first[a]; q < g->first[a + 1]; q++)
                for (int be = 0; be < 3; be++) {
                    const SuiteSparse_long i = (SuiteSparse_long)(3 * (size_t)g->adj[q]) + be;
                    if (i <= j) pi[nnz++] = i;
                }
        }
    /* y columns in their numbering: F'' > 0 ones, then F'' < 0 ones */
    for (int neg = 0; neg < 2; neg++)
        for (size_t a = 0; a < n; a++) {
            if (K->yidx[a] < 0 || (h->fpp[a] < 0) != neg) continue;
            const SuiteSparse_long j = (SuiteSparse_long)(K->nx + (size_t)K->yidx[a]);
            pp[j] = (SuiteSparse_long)nnz;
            for (size_t q = g->first[a]; q < g->first[a + 1]; q++)
                for (int be = 0; be < 3; be++) pi[nnz++] = (SuiteSparse_long)(3 * (size_t)g->adj[q]) + be;
            pi[nnz++] = j;
        }
    pp[nk] = (SuiteSparse_long)nnz;
    cc->nmethods = 1;
    cc->method[0].ordering = CHOLMOD_GIVEN;
    cc->supernodal = CHOLMOD_SUPERNODAL;
    /* Relaxed amalgamation pads merged supernodes with explicit zeros for
     * fewer, wider dgemm calls; the factorisation cuts supernodes into
     * panels of at most AM_LDLT_PANEL columns anyway, so wide supernodes buy
     * nothing there: large ones are merged only below 1 % zeros (CHOLMOD's
     * default 5 % stored 3.5 % more and did 9 % more flops on a 16 000-atom
     * cubic glass), small ones as CHOLMOD does. */
    cc->zrelax[2] = 0.01;
    am_status st = AM_OK;
    for (int post = 1; post >= 0; post--) {
        cc->postorder = post;
        K->sym = cholmod_l_analyze_p(P, perm, NULL, 0, cc);
        if (!K->sym) { st = am_fail(AM_ERR_NOMEM, "sparse modes: CHOLMOD analysis failed (status %d)", cc->status); break; }
        /* the postorder keeps the F'' < 0 unknowns last when the atoms are
         * connected; otherwise take the order as given */
        const SuiteSparse_long *fp = K->sym->Perm;
        int last = 1;
        for (size_t q = nk - K->nyn; q < nk; q++) last &= (size_t)fp[q] >= K->nx + K->nyp;
        if (last) break;
        cholmod_l_free_factor(&K->sym, cc);
    }
    cholmod_l_free_sparse(&P, cc);
    free(perm);
    if (st) return st;
    if (!K->sym) return am_fail(AM_ERR_VALUE, "sparse modes: could not order the F'' < 0 unknowns last");
    K->pinv = malloc(nk * sizeof(SuiteSparse_long));
    if (!K->pinv) return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
    const SuiteSparse_long *fp = K->sym->Perm;
    for (size_t q = 0; q < nk; q++) K->pinv[fp[q]] = (SuiteSparse_long)q;
    return AM_OK;
}

/* One atom's pair blocks and density-derivative entries, indexed by position
 * in its neighbour list: blocks pb (9 each), gw[t] = ĝ_{adj t} at a (unscaled
 * by mass), gu[t] = ĝ_a at adj t. Images of one neighbour are summed. */
static void atom_entries(const am_hessian *h, size_t e, const int *adj, int deg, double *pb, double *gw, double *gu)
{
    const size_t a = (size_t)h->atom[e];
    memset(pb, 0, (size_t)deg * 9 * sizeof(double));
    memset(gw, 0, (size_t)deg * 3 * sizeof(double));
    memset(gu, 0, (size_t)deg * 3 * sizeof(double));
    const int self = position(adj, deg, (int)a);
    for (int c = 0; c < 9; c++) pb[9 * self + c] = h->diag[9 * a + c];
    for (int c = 0; c < 3; c++) gw[3 * self + c] = gu[3 * self + c] = h->vself[3 * a + c];
    for (size_t q = h->first[e]; q < h->first[e + 1]; q++) {
        const int t = position(adj, deg, h->col[q]);
        for (int c = 0; c < 9; c++) pb[9 * t + c] += h->blk[9 * q + c];
        for (int c = 0; c < 3; c++) {
            gw[3 * t + c] += h->w[3 * q + c];
            gu[3 * t + c] -= h->u[3 * q + c];
        }
    }
}

/* The lower triangle of the augmented matrix in the factor's order, then its
 * factorisation. Each atom writes the columns of its own unknowns. */
static am_status factor(const am_hessian *h, const atom_graph *g, const int *row_of, double sigma, int single,
                        augmented *K)
{
    const size_t n = K->n, nk = K->nk, nx = K->nx;
    const SuiteSparse_long *pinv = K->pinv;
    size_t *cp = calloc(nk + 1, sizeof(size_t));
    int maxdeg = 1;
    for (size_t a = 0; a < n; a++)
        if ((int)(g->first[a + 1] - g->first[a]) > maxdeg) maxdeg = (int)(g->first[a + 1] - g->first[a]);
    if (!cp) return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
    int *ri = NULL;
    double *rx = NULL;
    int fail = 0;
    for (int pass = 0; pass < 2 && !fail; pass++) {
        if (pass == 1) {
            for (size_t j = 0; j < nk; j++) cp[j + 1] += cp[j];
            ri = malloc((cp[nk] + 1) * sizeof(int));
            rx = malloc((cp[nk] + 1) * sizeof(double));
            if (!ri || !rx) { fail = 1; break; }
        }
#pragma omp parallel reduction(| : fail)
        {
            double *pb = malloc((size_t)maxdeg * 15 * sizeof(double));
            if (!pb) fail = 1;
#pragma omp for schedule(dynamic, 64)
            for (size_t a = 0; a < n; a++) {
                if (!pb) continue;
                const int *adj = g->adj + g->first[a];
                const int deg = (int)(g->first[a + 1] - g->first[a]);
                double *gw = pb + 9 * (size_t)maxdeg, *gu = gw + 3 * (size_t)maxdeg;
                if (pass == 1) atom_entries(h, (size_t)row_of[a], adj, deg, pb, gw, gu);
                for (int al = 0; al < 3; al++) {
                    const SuiteSparse_long j = pinv[3 * a + (size_t)al];
                    size_t k = pass ? cp[j] : 0;
                    for (int t = 0; t < deg; t++) {
                        const size_t b = (size_t)adj[t];
                        for (int be = 0; be < 3; be++) {
                            const SuiteSparse_long i = pinv[3 * b + (size_t)be];
                            if (i < j) continue;
                            if (pass) {
                                ri[k] = (int)i;
                                rx[k] = pb[9 * t + 3 * al + be] * K->isq[a] * K->isq[b] - (i == j ? sigma : 0.0);
                            }
                            k++;
                        }
                        if (K->yidx[b] < 0) continue;
                        const SuiteSparse_long i = pinv[nx + (size_t)K->yidx[b]];
                        if (i < j) continue;
                        if (pass) {
                            ri[k] = (int)i;
                            rx[k] = sqrt(fabs(h->fpp[b])) * gw[3 * t + al] * K->isq[a];
                        }
                        k++;
                    }
                    if (!pass) cp[j + 1] = k;
                }
                if (K->yidx[a] < 0) continue;
                const SuiteSparse_long j = pinv[nx + (size_t)K->yidx[a]];
                const double ca = sqrt(fabs(h->fpp[a]));
                size_t k = pass ? cp[j] : 0;
                for (int t = 0; t < deg; t++) {
                    const size_t b = (size_t)adj[t];
                    for (int be = 0; be < 3; be++) {
                        const SuiteSparse_long i = pinv[3 * b + (size_t)be];
                        if (i < j) continue;
                        if (pass) {
                            ri[k] = (int)i;
                            rx[k] = ca * gu[3 * t + be] * K->isq[b];
                        }
                        k++;
                    }
                }
                if (pass) {
                    ri[k] = (int)j;
                    rx[k] = h->fpp[a] > 0 ? -1.0 : 1.0;
                }
                k++;
                if (!pass) cp[j + 1] = k;
            }
            free(pb);
        }
    }
    am_status st = fail ? am_fail(AM_ERR_NOMEM, "sparse modes: out of memory assembling the augmented matrix")
                        : am_ldlt_factor(K->sym, cp, ri, rx, single, &K->f);
    free(cp); free(ri); free(rx);
    if (st) return st;
    /* inertia: one negative pivot per F'' > 0 unknown when D − σI is positive definite */
    if (K->f.nneg != K->nyp)
        return am_fail(AM_ERR_VALUE,
                       "sparse modes: D - sigma I is not positive definite (sigma %g; %zu pivots of the wrong sign): "
                       "an eigenvalue lies below sigma; is the configuration a minimum?",
                       sigma, K->f.nneg > K->nyp ? K->f.nneg - K->nyp : K->nyp - K->f.nneg);
    return AM_OK;
}

typedef struct solve_ctx {
    const augmented *K;
    const am_hessian *h;
    double sigma;
    double *X;     /* nk x block: the factor's right-hand sides (double factor) */
    float *Xf;     /* the same for a single-precision factor */
    double *R;     /* nx x block: residuals (single) */
    double *ratio, *prev; /* block: residual norms relative to the right-hand side's */
    double *T;     /* (2 nx + n) x block: the residuals' Hessian product, interleaved */
} solve_ctx;

/* X = K^{-1} B for nrhs vectors: B scattered into the factor's order (y =
 * 0), solved in the factor's precision, x gathered back into Xout, or added
 * to it if add. */
static am_status solve_once(const solve_ctx *c, int nrhs, const double *B, double *Xout, int add)
{
    const augmented *K = c->K;
    const size_t nx = K->nx, nr = (size_t)nrhs;
    am_status st;
    if (K->f.single) {
        float *X = c->Xf;
        memset(X, 0, K->nk * nr * sizeof(float));
        for (size_t u = 0; u < nx; u++) {
            float *xr = X + (size_t)K->pinv[u] * nr;
            for (size_t q = 0; q < nr; q++) xr[q] = (float)B[q * nx + u];
        }
        if ((st = am_ldlt_solve_single(&K->f, nrhs, X))) return st;
        for (size_t u = 0; u < nx; u++) {
            const float *xr = X + (size_t)K->pinv[u] * nr;
            for (size_t q = 0; q < nr; q++) Xout[q * nx + u] = (add ? Xout[q * nx + u] : 0.0) + (double)xr[q];
        }
        return AM_OK;
    }
    double *X = c->X;
    memset(X, 0, K->nk * nr * sizeof(double));
    for (size_t u = 0; u < nx; u++) {
        double *xr = X + (size_t)K->pinv[u] * nr;
        for (size_t q = 0; q < nr; q++) xr[q] = B[q * nx + u];
    }
    if ((st = am_ldlt_solve(&K->f, nrhs, X))) return st;
    for (size_t u = 0; u < nx; u++) {
        const double *xr = X + (size_t)K->pinv[u] * nr;
        for (size_t q = 0; q < nr; q++) Xout[q * nx + u] = xr[q];
    }
    return AM_OK;
}

/* Residual of a refined solve, relative to its right-hand side's norm, at
 * which it stops (docs/vibration.md): the single-precision solve alone
 * leaves 2e-6–1.4e-4 on the paper-size glass, one refinement 3e-11–1.1e-8
 * (a second was needed for one block in 64), and the participations then
 * equal the double-precision factor's to 1.3e-9 (relative). A step must
 * gain at least REFINE_GAIN, or the single-precision factor is too coarse
 * for the matrix. */
#define REFINE_TOL 1e-8
#define REFINE_GAIN 0.1
#define REFINE_MAX 6

/* r = b − (D − σI) x for nrhs vectors, each with its norm relative to b's
 * in ratio. One product with the Hessian for the whole block (a vector at a
 * time, reading its 0.26 GB was ~a fifth of the refined Lanczos on the
 * paper's glass); the sums per vector in a fixed order, the same bits on any
 * number of threads. */
static void residuals(const solve_ctx *c, int nrhs, const double *B, const double *X, double *R, double *ratio)
{
    const size_t nx = c->K->nx, n = c->K->n, m = (size_t)nrhs;
    const double *isq = c->K->isq;
    double *T = c->T, *HT = c->T + nx * m;
    for (size_t i = 0; i < n; i++)
        for (size_t a = 3 * i; a < 3 * i + 3; a++)
            for (size_t q = 0; q < m; q++) T[a * m + q] = X[q * nx + a] * isq[i];
    am_hessian_apply_block(c->h, nrhs, T, HT, c->T + 2 * nx * m);
    for (size_t q = 0; q < m; q++) {
        const double *x = X + q * nx, *b = B + q * nx;
        double *r = R + q * nx, rn = 0, bn = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t a = 3 * i; a < 3 * i + 3; a++) {
                r[a] = b[a] - (HT[a * m + q] * isq[i] - c->sigma * x[a]);
                rn += r[a] * r[a];
                bn += b[a] * b[a];
            }
        ratio[q] = bn > 0 ? sqrt(rn / bn) : 0.0;
    }
}

/* (D − σI)^{-1} on nrhs vectors. A single-precision factor's solve is
 * refined against the exact D (x += K^{-1} r, r = b − (D − σI)x) until each
 * vector's residual is below REFINE_TOL of its right-hand side: the accuracy
 * of a double-precision solve where the Lanczos needs it, at half the
 * factor's memory and time. */
static am_status shift_invert(void *ctx, int nrhs, const double *B, double *Xout)
{
    const solve_ctx *c = ctx;
    am_status st = solve_once(c, nrhs, B, Xout, 0);
    if (st || !c->K->f.single) return st;
    for (int q = 0; q < nrhs; q++) c->prev[q] = 1.0;
    /* the whole block is refined while any of its vectors needs it: a pass
     * over the factor costs about as much for one vector as for sixteen */
    for (int it = 0;; it++) {
        residuals(c, nrhs, B, Xout, c->R, c->ratio);
        int todo = 0;
        for (int q = 0; q < nrhs; q++) {
            const double ratio = c->ratio[q];
            if (ratio <= REFINE_TOL) continue;
            if (!(ratio <= c->prev[q] * REFINE_GAIN) || it == REFINE_MAX)
                return am_fail(AM_ERR_VALUE,
                               "sparse modes: the single-precision factorisation is too inaccurate here (relative "
                               "residual %.3g after %d refinements): factor in double precision (amorph modes --factor double)",
                               ratio, it);
            todo = 1;
        }
        if (!todo) return AM_OK;
        for (int q = 0; q < nrhs; q++) c->prev[q] = c->ratio[q];
        if ((st = solve_once(c, nrhs, c->R, Xout, 1))) return st;
    }
}

/* Relative residual of one single-precision solve of a fixed pseudo-random
 * vector: the refinement gains about this factor per step, so above
 * PROBE_MAX (an ill-conditioned D − σI) a double factor is cheaper than the
 * many refinements, and safer. On the glasses measured the Lanczos vectors'
 * first solves leave 2e-6–1.4e-4 (docs/vibration.md). */
#define PROBE_MAX 1e-3

static am_status probe_single(const am_hessian *h, const augmented *K, double sigma, double *ratio)
{
    const size_t nx = K->nx;
    solve_ctx c = {K, h, sigma, NULL, malloc((K->nk + 1) * sizeof(float)), malloc(nx * sizeof(double)), NULL, NULL,
                   malloc((2 * nx + K->n) * sizeof(double))};
    double *b = malloc(nx * sizeof(double)), *x = malloc(nx * sizeof(double));
    am_status st = AM_OK;
    if (!c.Xf || !c.R || !c.T || !b || !x) st = am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
    else {
        unsigned long long r = 0x2545f4914f6cdd1dULL;
        for (size_t u = 0; u < nx; u++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            b[u] = (double)(r >> 11) / 9007199254740992.0 - 0.5;
        }
        if (!(st = solve_once(&c, 1, b, x, 0))) residuals(&c, 1, b, x, c.R, ratio);
    }
    free(c.Xf); free(c.R); free(c.T); free(b); free(x);
    return st;
}

/* D y = M^{-1/2} H M^{-1/2} y; tmp: nx doubles */
static void apply_d(const am_hessian *h, const double *isq, const double *y, double *z, double *tmp)
{
    const size_t n = h->n;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) tmp[3 * i + c] = y[3 * i + c] * isq[i];
    am_hessian_apply(h, tmp, z);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) z[3 * i + c] *= isq[i];
}

/* Rayleigh–Ritz of the exact D on the converged vectors: eigenvalues to
 * round-off whatever the solves' accuracy, and a residual check that would
 * catch a factorisation gone wrong. */
static am_status final_ritz(const am_hessian *h, const double *isq, double sigma, int nev, double *Y, am_modes *m)
{
    const size_t nx = 3 * h->n;
    double *Z = malloc(nx * (size_t)nev * sizeof(double)), *G = malloc((size_t)nev * (size_t)nev * sizeof(double));
    if (!Z || !G) { free(Z); free(G); return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory"); }
    /* one vector per thread: a single fork for all the products (each
     * product's own threading is off inside), and the same bits either way */
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        double *tmp = malloc(nx * sizeof(double));
        if (!tmp) fail = 1;
#pragma omp for schedule(dynamic, 1)
        for (int q = 0; q < nev; q++)
            if (tmp) apply_d(h, isq, Y + (size_t)q * nx, Z + (size_t)q * nx, tmp);
        free(tmp);
    }
    if (fail) { free(Z); free(G); return am_fail(AM_ERR_NOMEM, "sparse modes: out of memory"); }
    am_dgemm('T', 'N', nev, nev, (int)nx, 1.0, Y, (int)nx, Z, (int)nx, 0.0, G, nev);
    for (int a = 0; a < nev; a++)
        for (int b = a + 1; b < nev; b++) G[a + (size_t)b * nev] = G[b + (size_t)a * nev] = 0.5 * (G[a + (size_t)b * nev] + G[b + (size_t)a * nev]);
    am_status st = AM_OK;
    const lapack_int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'U', nev, G, nev, m->lambda);
    if (info) st = am_fail(AM_ERR_VALUE, "sparse modes: LAPACK dsyevd failed (%d)", (int)info);
    else {
        am_dgemm('N', 'N', (int)nx, nev, nev, 1.0, Y, (int)nx, G, nev, 0.0, m->vec, (int)nx);
        am_dgemm('N', 'N', (int)nx, nev, nev, 1.0, Z, (int)nx, G, nev, 0.0, Y, (int)nx);
        double scale = fabs(sigma), worst = 0;
        for (int q = 0; q < nev; q++) scale = fmax(scale, fabs(m->lambda[q]));
        for (int q = 0; q < nev; q++) {
            double r = 0;
            const double *dz = Y + (size_t)q * nx, *v = m->vec + (size_t)q * nx;
            for (size_t i = 0; i < nx; i++) r += (dz[i] - m->lambda[q] * v[i]) * (dz[i] - m->lambda[q] * v[i]);
            worst = fmax(worst, sqrt(r));
        }
        if (!(worst <= 1e-6 * scale))
            st = am_fail(AM_ERR_VALUE, "sparse modes: inaccurate modes (residual %.3g eV/(A^2 amu)): the factorisation "
                                       "lost accuracy; try a lower shift", worst);
    }
    free(Z); free(G);
    return st;
}

am_status am_modes_sparse(const am_hessian *h, const double *mass, int nmodes, double sigma, am_modes **out)
{
    return am_modes_sparse_ex(h, mass, nmodes, sigma, AM_FACTOR_SINGLE, out);
}

am_status am_modes_sparse_ex(const am_hessian *h, const double *mass, int nmodes, double sigma,
                             am_factor_precision precision, am_modes **out)
{
    *out = NULL;
    const size_t n = h->n, nx = 3 * n;
    if (nmodes < 1 || (size_t)nmodes >= nx) return am_fail(AM_ERR_VALUE, "sparse modes: %d modes asked of %zu", nmodes, nx);
    if (nx >= (size_t)1 << 30) return am_fail(AM_ERR_VALUE, "sparse modes: %zu atoms is too many", n);
    augmented K = {0};
    K.n = n;
    K.nx = nx;
    if (precision != AM_FACTOR_SINGLE && precision != AM_FACTOR_DOUBLE)
        return am_fail(AM_ERR_VALUE, "sparse modes: factor precision %d (expected single or double)", (int)precision);
    atom_graph g = {NULL, NULL};
    int *row_of = malloc((n + 1) * sizeof(int));
    SuiteSparse_long *order = malloc((n + 1) * sizeof *order);
    K.yidx = malloc((n + 1) * sizeof(int));
    K.isq = malloc((n + 1) * sizeof(double));
    double *Y = NULL, *theta = NULL;
    solve_ctx sc = {&K, h, sigma, NULL, NULL, NULL, NULL, NULL, NULL};
    am_modes *m = NULL;
    cholmod_common cc;
    cholmod_l_start(&cc);
    cc.print = 0;
    am_status st = AM_OK;
    if (!row_of || !order || !K.yidx || !K.isq) { st = am_fail(AM_ERR_NOMEM, "sparse modes: out of memory"); goto done; }
    for (size_t i = 0; i < n; i++) {
        const double mi = mass ? mass[i] : 1.0;
        if (!(mi > 0)) { st = am_fail(AM_ERR_VALUE, "sparse modes: atom %zu has mass %g", i, mi); goto done; }
        K.isq[i] = 1.0 / sqrt(mi);
    }
    for (size_t e = 0; e < n; e++) row_of[h->atom[e]] = (int)e;
    for (size_t a = 0; a < n; a++) K.nyp += h->fpp[a] > 0;
    for (size_t a = 0, p = 0, q = 0; a < n; a++)
        K.yidx[a] = h->fpp[a] > 0 ? (int)p++ : h->fpp[a] < 0 ? (int)(K.nyp + q++) : -1;
    for (size_t a = 0; a < n; a++) K.nyn += h->fpp[a] < 0;
    K.nk = nx + K.nyp + K.nyn;
    if ((st = graph_build(h, row_of, &g)) || (st = atom_order(&g, n, &cc, order)) ||
        (st = analyze(h, &g, order, &K, &cc)))
        goto done;
    st = factor(h, &g, row_of, sigma, precision == AM_FACTOR_SINGLE, &K);
    if (precision == AM_FACTOR_SINGLE && st != AM_ERR_NOMEM) {
        /* a single-precision factor that failed (a pivot or the inertia
         * lost to rounding) or solves too coarsely for the refinement:
         * factor again in double */
        double ratio = 0;
        if (st == AM_OK && (st = probe_single(h, &K, sigma, &ratio))) goto done;
        if (st != AM_OK || !(ratio <= PROBE_MAX)) {
            am_ldlt_free(&K.f);
            st = factor(h, &g, row_of, sigma, 0, &K);
        }
    }
    if (st) goto done;
    free(g.first); free(g.adj);
    g.first = NULL; g.adj = NULL;

    /* Block size and basis as measured (docs/vibration.md): a solve costs
     * less per vector the more vectors share a pass over the factor, but
     * Lanczos needs more vectors in all the larger the block; at 20 000 atoms
     * blocks of 16, 32 and 64 came out within 10 %, and a basis of ~6x the
     * modes wanted restarts once. At least 16 blocks: an isolated eigenvalue
     * converges with the number of blocks (the polynomial degree), so a
     * basis of few blocks restarts before it gets there. The basis is held
     * to ~1 GB unless the modes themselves need more. tol 1e-12 gives participations equal to dense to
     * ~1e-14 (1e-10: 1e-12) for 7 % more solves; with the refined single-precision solves, whose own
     * accuracy sets the participations' (~1e-11), 1e-10 gives the same modes as 1e-12 and is safe from
     * their noise (1e-12 stalled once on the 19 652-atom cube). */
    am_block_lanczos_options lo;
    lo.block = nmodes / 8 < 4 ? 4 : nmodes / 8 > 16 ? 16 : nmodes / 8;
    /* a float pass over the factor costs less, so wider blocks pay: on the
     * paper-size cube (150 modes) blocks of 32 took 6 % less time than 16 in
     * two pairs of runs, 48 was slower */
    const int single = K.f.single;
    if (single) lo.block = nmodes / 4 < 4 ? 4 : nmodes / 4 > 32 ? 32 : nmodes / 4;
    const size_t budget = ((size_t)1 << 27) / nx;
    const size_t lean = 2 * (size_t)nmodes + 2 * (size_t)lo.block;
    size_t rich = 6 * (size_t)nmodes + 2 * (size_t)lo.block;
    if (rich < 16 * (size_t)lo.block) rich = 16 * (size_t)lo.block;
    size_t basis = lean > budget ? lean : budget;
    if (basis > rich) basis = rich;
    lo.maxbasis = (int)basis;
    lo.tol = single ? 1e-10 : 1e-12;
    lo.maxiter = 1000;
    Y = malloc(nx * (size_t)nmodes * sizeof(double));
    theta = malloc((size_t)nmodes * sizeof(double));
    const size_t nb = (size_t)lo.block;
    if (single) {
        sc.Xf = malloc(K.nk * nb * sizeof(float));
        sc.R = malloc(nx * nb * sizeof(double));
        sc.ratio = malloc(nb * sizeof(double));
        sc.prev = malloc(nb * sizeof(double));
        sc.T = malloc((2 * nx + n) * nb * sizeof(double));
    } else sc.X = malloc(K.nk * nb * sizeof(double));
    if (!Y || !theta || (single ? !sc.Xf || !sc.R || !sc.ratio || !sc.prev || !sc.T : !sc.X)) {
        st = am_fail(AM_ERR_NOMEM, "sparse modes: out of memory");
        goto done;
    }
    if ((st = am_block_lanczos(nx, nmodes, &lo, shift_invert, &sc, theta, Y, NULL))) goto done;
    am_ldlt_free(&K.f);
    cholmod_l_free_factor(&K.sym, &cc);
    /* the result only now, in the factor's place: the peak is the factor's */
    m = calloc(1, sizeof *m);
    if (m) {
        m->lambda = malloc((size_t)nmodes * sizeof(double));
        m->vec = malloc(nx * (size_t)nmodes * sizeof(double));
    }
    if (!m || !m->lambda || !m->vec) { st = am_fail(AM_ERR_NOMEM, "sparse modes: out of memory"); goto done; }
    if ((st = final_ritz(h, K.isq, sigma, nmodes, Y, m))) goto done;
    m->n = n;
    m->nmodes = nmodes;
    m->factor = single ? AM_FACTOR_SINGLE : AM_FACTOR_DOUBLE;
    *out = m;
    m = NULL;
done:
    am_modes_free(m);
    am_ldlt_free(&K.f);
    cholmod_l_free_factor(&K.sym, &cc);
    cholmod_l_finish(&cc);
    free(K.yidx); free(K.isq); free(K.pinv);
    free(g.first); free(g.adj);
    free(row_of); free(order); free(Y); free(theta); free(sc.X); free(sc.Xf); free(sc.R); free(sc.ratio); free(sc.prev); free(sc.T);
    return st;
}
