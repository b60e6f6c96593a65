/* The ridge penalty by cross-validation inside the training atoms
 * (AM_LEARN_ALPHA_AUTO), over a log grid of α.
 *
 * With groups (the spatial blocks of the training atoms, or in a
 * cross-validation the other folds of blocks), one group is left out at a
 * time: the same leak-free rule as the validation around the model,
 * which matters most for coarse-grained features, where neighbours share
 * nearly the same feature vector and a correlated target, so that leaving
 * out single atoms rewards memorising neighbourhoods (too small an α).
 * Without groups, the exact leave-one-atom-out error (PRESS).
 *
 * Both are cheap in the eigenbasis of the centred normal matrix C = V Λ Vᵀ:
 * for c = Vᵀ Zᵀ(y − ȳ) and an atom's u = Vᵀ (z − z̄), its prediction is
 * ȳ + Σ_k u_k c_k/(λ_k + α) and its leverage 1/n + Σ_k u_k²/(λ_k + α), so
 * one decomposition serves the whole grid. A left-out block's C is the
 * training set's sums less the block's, re-centred. */
#include "learn/learn_internal.h"
#include "core/error.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1e-3 .. 1e7 atoms, 4 per decade */
#define GRID_LO (-3.0)
#define GRID_STEP 0.25
#define GRID_N 41

static double grid(int j) { return pow(10.0, GRID_LO + GRID_STEP * j); }

/* Eigendecomposition of the row-major p × p matrix e in place (vectors in
 * columns), eigenvalues w clamped at 0. */
static am_status eigen(size_t np, double *e, double *w)
{
    const lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int)np, e, (lapack_int)np, w);
    if (info) return am_fail(AM_ERR_VALUE, "ridge: LAPACK dsyevd failed (%d) choosing alpha", (int)info);
    for (size_t k = 0; k < np; k++) w[k] = w[k] > 0.0 ? w[k] : 0.0;
    return AM_OK;
}

/* Σ z zᵀ (upper triangle), Σ z, Σ z y and Σ y over the rows with
 * in(i) (in NULL: all). */
typedef struct sums {
    double *zz, *z, *zy, y;
    double n;
} sums;

static void accumulate(size_t n, size_t np, const double *z, const double *y, const int *grp, int only, sums *s)
{
    for (size_t i = 0; i < n; i++) {
        if (grp && grp[i] != only) continue;
        const double *zi = z + i * np;
        for (size_t a = 0; a < np; a++) {
            for (size_t b = a; b < np; b++) s->zz[a * np + b] += zi[a] * zi[b];
            s->z[a] += zi[a];
            s->zy[a] += zi[a] * y[i];
        }
        s->y += y[i];
        s->n += 1.0;
    }
}

/* Squared errors of the left-out rows (group g of grp, or every row by
 * leverage when grp is NULL) for each α of the grid, added to sse. */
static am_status left_out_errors(size_t n, size_t np, const double *z, const double *y, const int *grp, int g,
                                 const sums *all, const sums *out, double *e, double *w, double *c, double *u,
                                 double *zbar, double *sse)
{
    const double nt = all->n - out->n;
    if (nt < 2.0) return AM_OK;
    double ybar = (all->y - out->y) / nt;
    for (size_t a = 0; a < np; a++) zbar[a] = (all->z[a] - out->z[a]) / nt;
    /* the training rows' centred normal matrix and right-hand side */
    for (size_t a = 0; a < np; a++) {
        for (size_t b = a; b < np; b++)
            e[a * np + b] = all->zz[a * np + b] - out->zz[a * np + b] - nt * zbar[a] * zbar[b];
        c[a] = all->zy[a] - out->zy[a] - nt * zbar[a] * ybar;
    }
    am_status st = eigen(np, e, w);
    if (st) return st;
    /* c in the eigenbasis */
    for (size_t k = 0; k < np; k++) {
        double s = 0.0;
        for (size_t a = 0; a < np; a++) s += e[a * np + k] * c[a];
        u[k] = s;
    }
    memcpy(c, u, np * sizeof *c);
    for (size_t i = 0; i < n; i++) {
        if (grp && grp[i] != g) continue;
        const double *zi = z + i * np;
        for (size_t k = 0; k < np; k++) {
            double s = 0.0;
            for (size_t a = 0; a < np; a++) s += e[a * np + k] * (zi[a] - zbar[a]);
            u[k] = s;
        }
        for (int j = 0; j < GRID_N; j++) {
            const double al = grid(j);
            double pred = 0.0, lev = 1.0 / nt;
            for (size_t k = 0; k < np; k++) {
                pred += u[k] * c[k] / (w[k] + al);
                lev += u[k] * u[k] / (w[k] + al);
            }
            /* in-sample residual / (1 − leverage) is the leave-one-out one */
            double r = y[i] - ybar - pred;
            if (!grp) r = lev < 1.0 ? r / (1.0 - lev) : INFINITY;
            sse[j] += r * r;
        }
    }
    return AM_OK;
}

static int by_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

am_status lr_ridge_alpha(size_t n, int p, const double *z, const double *yc, const int *groups, double *alpha)
{
    const size_t np = (size_t)p;
    sums all = {calloc(np * np, sizeof(double)), calloc(np, sizeof(double)), calloc(np, sizeof(double)), 0, 0};
    sums out = {calloc(np * np, sizeof(double)), calloc(np, sizeof(double)), calloc(np, sizeof(double)), 0, 0};
    double *e = malloc(np * np * sizeof *e), *w = malloc(np * sizeof *w), *c = malloc(np * sizeof *c);
    double *u = malloc(np * sizeof *u), *zbar = malloc(np * sizeof *zbar), sse[GRID_N] = {0};
    int *g = groups ? malloc(n * sizeof *g) : NULL;
    am_status st = all.zz && all.z && all.zy && out.zz && out.z && out.zy && e && w && c && u && zbar && (!groups || g)
                       ? AM_OK
                       : am_fail(AM_ERR_NOMEM, "ridge: out of memory choosing alpha for %d features", p);
    if (!st) accumulate(n, np, z, yc, NULL, 0, &all);
    /* the distinct groups, in increasing order: the same sums whatever the rows' order */
    int ng = 0;
    if (!st && groups) {
        memcpy(g, groups, n * sizeof *g);
        qsort(g, n, sizeof *g, by_int);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || g[i] != g[i - 1]) g[ng++] = g[i];
    }
    if (!st && ng >= 2) {
        for (int k = 0; k < ng && !st; k++) {
            memset(out.zz, 0, np * np * sizeof *out.zz);
            memset(out.z, 0, np * sizeof *out.z);
            memset(out.zy, 0, np * sizeof *out.zy);
            out.y = out.n = 0.0;
            accumulate(n, np, z, yc, groups, g[k], &out);
            st = left_out_errors(n, np, z, yc, groups, g[k], &all, &out, e, w, c, u, zbar, sse);
        }
    } else if (!st) {
        memset(out.zz, 0, np * np * sizeof *out.zz);
        st = left_out_errors(n, np, z, yc, NULL, 0, &all, &out, e, w, c, u, zbar, sse);
    }
    double best = INFINITY;
    for (int j = 0; j < GRID_N && !st; j++)
        if (sse[j] < best) best = sse[j], *alpha = grid(j);
    if (!st && !isfinite(best)) st = am_fail(AM_ERR_VALUE, "ridge: no penalty gives a finite cross-validation error");
    free(all.zz); free(all.z); free(all.zy); free(out.zz); free(out.z); free(out.zy);
    free(e); free(w); free(c); free(u); free(zbar); free(g);
    return st;
}
