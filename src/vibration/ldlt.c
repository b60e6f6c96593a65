/* Supernodal LDLᵀ without pivoting (see ldlt.h).
 *
 * Left-looking over CHOLMOD's relaxed supernodes cut into panels of at most
 * AM_LDLT_PANEL columns: each panel is loaded from the matrix, then updated
 * by every earlier panel whose rows reach into its columns (found through
 * per-target lists, as the rows of a panel are sorted, each one visits its
 * targets in order), then factored densely. All the arithmetic is in
 * dgemm/dtrsm calls (sgemm/strsm for a single-precision factor) so the
 * multithreaded BLAS does the work; updates go
 * through a bounded buffer in column chunks, so the workspace stays small
 * next to the factor.
 *
 * Why panels: CHOLMOD lays a supernode out as a rectangle, the square of its
 * diagonal block included, and the top fronts of a cubic glass are wide
 * (20 000 columns at 16 000 atoms): the unused upper triangles were a third
 * of the 8.6 GB that CHOLMOD's layout asks for at 19 652 atoms. A panel
 * stores its columns' rows from the diagonal down, so the supernode keeps
 * its lower trapezoid only. Panels of one supernode update each other like
 * any descendant, through dgemm with 256-deep products, but straight into
 * the target (they share its rows); the solves likewise apply the rows that
 * follow a panel inside its supernode (contiguous in X) in place. */
#include "vibration/ldlt.h"
#include "core/error.h"
#include "core/memory.h"
#include "vibration/blas.h"
#include "vibration/skinny.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* columns of an update computed per dgemm, and the panel block width */
enum { CHUNK = 256, NB = 128 };

void am_ldlt_free(am_ldlt *f)
{
    if (!f) return;
    am_free_large(f->x); free(f->col); free(f->rs); free(f->re); free(f->px);
    f->x = NULL;
    f->col = f->rs = f->re = NULL;
    f->px = NULL;
}

/* Cuts the supernodes into panels (see ldlt.h). */
static am_status panels(const cholmod_factor *L, am_ldlt *f)
{
    const SuiteSparse_long *super = L->super, *pi = L->pi;
    size_t np = 0;
    for (size_t s = 0; s < L->nsuper; s++) np += (size_t)(super[s + 1] - super[s] + AM_LDLT_PANEL - 1) / AM_LDLT_PANEL;
    f->col = malloc((np + 1) * sizeof(long));
    f->rs = malloc((np + 1) * sizeof(long));
    f->re = malloc((np + 1) * sizeof(long));
    f->px = malloc((np + 1) * sizeof(size_t));
    if (!f->col || !f->rs || !f->re || !f->px) return am_fail(AM_ERR_NOMEM, "LDLt: out of memory");
    size_t p = 0, size = 0, maxupd = 0;
    for (size_t s = 0; s < L->nsuper; s++)
        for (long c0 = (long)super[s]; c0 < (long)super[s + 1]; c0 += AM_LDLT_PANEL, p++) {
            const long c1 = c0 + AM_LDLT_PANEL < (long)super[s + 1] ? c0 + AM_LDLT_PANEL : (long)super[s + 1];
            f->col[p] = c0;
            f->rs[p] = (long)pi[s] + (c0 - (long)super[s]);
            f->re[p] = (long)pi[s + 1];
            f->px[p] = size;
            const size_t nr = (size_t)(f->re[p] - f->rs[p]), nc = (size_t)(c1 - c0);
            size += nr * nc;
            if (nr - nc > maxupd) maxupd = nr - nc;
        }
    f->col[np] = (long)L->n;
    f->px[np] = size;
    f->npanel = np;
    f->size = size;
    f->maxupdate = maxupd;
    return AM_OK;
}

/* How many of the rows r[0..count) are first, first+1, ... in a row. */
static int contiguous(const SuiteSparse_long *r, int count, long first)
{
    int c = 0;
    while (c < count && r[c] == first + c) c++;
    return c;
}

/* The solve's products of a panel with the block of right-hand sides
 * (ldlt_body.h; layouts in skinny.h): C = X Lᵀ (set) or C −= X Lᵀ, and
 * X −= Y L. Double through dgemm; float through the skinny kernels, which
 * read the panel once where sgemm first copies it, and leave OpenBLAS's
 * threads idle through the Lanczos instead of spinning between calls
 * (measured in docs/vibration.md). */
static void panel_nt_d(int nrhs, int m, int k, const double *X, const double *L, int ld, double *C, int set)
{
    am_dgemm('N', 'T', nrhs, m, k, set ? 1.0 : -1.0, X, nrhs, L, ld, set ? 0.0 : 1.0, C, nrhs);
}

static void panel_nn_d(int nrhs, int m, int k, const double *Y, const double *L, int ld, double *X)
{
    am_dgemm('N', 'N', nrhs, k, m, -1.0, Y, nrhs, L, ld, 1.0, X, nrhs);
}

/* X ← X L⁻ᵀ (forward) or X L⁻¹ with the panel's unit lower diagonal block */
static void panel_trsm_d(int nrhs, int n, const double *L, int ld, double *X, int forward)
{
    am_dtrsm('R', 'L', forward ? 'T' : 'N', 'U', nrhs, n, L, ld, X, nrhs);
}

/* The same products with rows of X scattered among the unknowns (a panel's
 * rows below it that are not the next ones): X[rows[r]] −= (X_k Lᵀ)[r], and
 * X_k −= Y L with Y's rows X[rows[r]]. dgemm needs them gathered in E; the
 * float kernels read and update them in place (a copy in and out of E was
 * 7 % of a float solve). */
enum { gathers_d = 1, gathers_s = 0 };

static void panel_nt_rows_d(int nrhs, int m, int k, const double *Xk, const double *L, int ld, double *X,
                            const SuiteSparse_long *rows, double *E)
{
    panel_nt_d(nrhs, m, k, Xk, L, ld, E, 1);
    for (int r = 0; r < m; r++) {
        double *xr = X + (size_t)rows[r] * (size_t)nrhs;
        const double *er = E + (size_t)r * (size_t)nrhs;
        for (int c = 0; c < nrhs; c++) xr[c] -= er[c];
    }
}

static void panel_nn_rows_d(int nrhs, int m, int k, const double *X, const SuiteSparse_long *rows, const double *L,
                            int ld, double *Xk, double *E)
{
    for (int r = 0; r < m; r++)
        memcpy(E + (size_t)r * (size_t)nrhs, X + (size_t)rows[r] * (size_t)nrhs, (size_t)nrhs * sizeof(double));
    panel_nn_d(nrhs, m, k, E, L, ld, Xk);
}

#define panel_nt_s am_skinny_nt
#define panel_nn_s am_skinny_nn
#define panel_trsm_s am_skinny_trsm

_Static_assert(sizeof(SuiteSparse_long) == sizeof(long), "the float kernels take the factor's row numbers as long");
static void panel_nt_rows_s(int nrhs, int m, int k, const float *Xk, const float *L, int ld, float *X,
                            const SuiteSparse_long *rows, float *E)
{
    (void)E;
    am_skinny_nt_rows(nrhs, m, k, Xk, L, ld, X, (const long *)rows, 0);
}

static void panel_nn_rows_s(int nrhs, int m, int k, const float *X, const SuiteSparse_long *rows, const float *L,
                            int ld, float *Xk, float *E)
{
    (void)E;
    am_skinny_nn_rows(nrhs, m, k, X, (const long *)rows, L, ld, Xk);
}

/* The factorisation and the solve, written once (ldlt_body.h) for double
 * and single precision: a float factor halves the memory and the
 * factorisation's time, and the mode solver refines its solves. */
#define REAL double
#define GEMM am_dgemm
#define TRSM am_dtrsm
#define LDLT(name) name##_d
#include "vibration/ldlt_body.h"
#undef REAL
#undef GEMM
#undef TRSM
#undef LDLT

#define REAL float
#define GEMM am_sgemm
#define TRSM am_strsm
#define LDLT(name) name##_s
#include "vibration/ldlt_body.h"
#undef REAL
#undef GEMM
#undef TRSM
#undef LDLT

am_status am_ldlt_factor(const cholmod_factor *L, const size_t *Ap, const int *Ai, const double *Ax, int single,
                         am_ldlt *f)
{
    memset(f, 0, sizeof *f);
    if (!L->is_super || L->xtype != CHOLMOD_PATTERN)
        return am_fail(AM_ERR_VALUE, "LDLt: needs a supernodal symbolic factor");
    am_status st = panels(L, f);
    if (st) { am_ldlt_free(f); return st; }
    f->single = single != 0;
    return single ? factor_s(L, Ap, Ai, Ax, f) : factor_d(L, Ap, Ai, Ax, f);
}

am_status am_ldlt_solve(const am_ldlt *f, int nrhs, double *X)
{
    if (f->single) return am_fail(AM_ERR_VALUE, "LDLt: a single-precision factor solves single-precision vectors");
    return solve_d(f, nrhs, X);
}

am_status am_ldlt_solve_single(const am_ldlt *f, int nrhs, float *X)
{
    if (!f->single) return am_fail(AM_ERR_VALUE, "LDLt: a double-precision factor solves double-precision vectors");
    return solve_s(f, nrhs, X);
}
