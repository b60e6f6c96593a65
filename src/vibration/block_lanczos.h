/* Internal: the largest eigenpairs of a symmetric operator by block Lanczos
 * with full reorthogonalisation and thick restarts. The operator is applied
 * to whole blocks of vectors, so an operator that is cheaper per vector on
 * many vectors at once (a sparse triangular solve) pays off. */
#ifndef AM_VIBRATION_BLOCK_LANCZOS_H
#define AM_VIBRATION_BLOCK_LANCZOS_H

#include "amorph/status.h"

#include <stddef.h>

/* Y = OP X for nrhs vectors of length n, column-major (vector c at c*n). */
typedef am_status (*am_block_op)(void *ctx, int nrhs, const double *X, double *Y);

typedef struct am_block_lanczos_options {
    int block;    /* vectors per block (the operator's nrhs) */
    int maxbasis; /* vectors kept before a restart */
    double tol;   /* converged when ‖OP y − θ y‖ <= tol |θ| */
    int maxiter;  /* operator applications (blocks) before giving up */
} am_block_lanczos_options;

typedef struct am_block_lanczos_stats {
    int blocks;   /* operator applications */
    long vectors; /* vectors the operator was applied to */
    int restarts;
} am_block_lanczos_stats;

/* The nev largest eigenvalues theta (descending) of OP and, in Y (n x nev,
 * column-major), orthonormal eigenvectors. */
am_status am_block_lanczos(size_t n, int nev, const am_block_lanczos_options *o, am_block_op op, void *ctx,
                           double *theta, double *Y, am_block_lanczos_stats *stats);

#endif
