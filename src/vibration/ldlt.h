/* Internal: sparse LDLᵀ without pivoting, supernodal, on the symbolic
 * analysis of CHOLMOD (whose own supernodal factorisation is LLᵀ only, so it
 * refuses the indefinite systems the mode solver factors). Safe for
 * quasi-definite matrices — [[A, B], [Bᵀ, −C]] with A and C positive
 * definite — in any symmetric order; other matrices may break down. */
#ifndef AM_VIBRATION_LDLT_H
#define AM_VIBRATION_LDLT_H

#include "amorph/status.h"

#include <stddef.h>
#include <suitesparse/cholmod.h>

/* widest panel, columns */
#define AM_LDLT_PANEL 256

typedef struct am_ldlt {
    const cholmod_factor *sym; /* supernodal symbolic factor (not owned) */
    /* CHOLMOD's supernodes cut into panels of at most AM_LDLT_PANEL
     * columns: panel p holds columns col[p] .. col[p+1]-1 and the rows
     * sym->s[rs[p] .. re[p]-1] (its own columns first), so a wide supernode
     * stores its lower trapezoid and not the square of its diagonal block */
    size_t npanel;
    long *col, *rs, *re;
    size_t *px;                /* panel p's values at x + px[p] */
    void *x;                   /* per panel an nrow x ncol column-major block,
                                  D on the diagonal, unit L below it: doubles,
                                  or floats if single */
    int single;                /* 1: factored and stored in single precision */
    size_t n, size;            /* unknowns; values stored */
    size_t npos, nneg;         /* signs of the pivots: the inertia of the matrix */
    size_t maxupdate;          /* largest nsrow − nscol, for solve workspace */
} am_ldlt;

/* Factors the matrix whose lower triangle, in the symbolic factor's
 * numbering, is column j: rows Ai[Ap[j] .. Ap[j+1]-1] >= j with values Ax
 * (duplicates are summed), in double precision or, if single, in single
 * precision (half the memory and about half the time; a solve is then
 * accurate to ~1e-7 times the matrix's condition, and needs refinement
 * where more is wanted). Fails on a zero or non-finite pivot. */
am_status am_ldlt_factor(const cholmod_factor *sym, const size_t *Ap, const int *Ai, const double *Ax, int single,
                         am_ldlt *f);
void am_ldlt_free(am_ldlt *f);

/* Solves L D Lᵀ X = B in place for nrhs right-hand sides: X is n rows of
 * nrhs values (row-major, a row's right-hand sides contiguous), in the
 * factor's numbering. */
am_status am_ldlt_solve(const am_ldlt *f, int nrhs, double *X);
/* The same with a single-precision factor. */
am_status am_ldlt_solve_single(const am_ldlt *f, int nrhs, float *X);

#endif
