/* Spatial blocks, folds of blocks and the buffer between training and test
 * atoms: the leak-free partition of a cross-validation (docs/learn.md). */
#include "learn/learn_internal.h"
#include "amorph/neighbor.h"
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

am_status am_learn_blocks(const am_system *s, const int nb[3], int *block)
{
    if (!s || !nb || !block) return am_fail(AM_ERR_VALUE, "learn: blocks: missing argument");
    for (int d = 0; d < 3; d++)
        if (nb[d] < 1 || nb[d] > 64)
            return am_fail(AM_ERR_VALUE, "learn: %d blocks along cell vector %d; expected 1..64", nb[d], d + 1);
    for (size_t i = 0; i < s->n; i++) {
        const double r[3] = {s->x[i], s->y[i], s->z[i]};
        double f[3];
        am_box_to_frac(&s->box, r, f);
        int b[3];
        for (int d = 0; d < 3; d++) {
            double u = f[d] - floor(f[d]);
            int k = (int)(u * nb[d]);
            b[d] = k < 0 ? 0 : k >= nb[d] ? nb[d] - 1 : k;
        }
        block[i] = (b[0] * nb[1] + b[1]) * nb[2] + b[2];
    }
    return AM_OK;
}

am_status am_learn_folds(int nblocks, int nfolds, unsigned long seed, int *fold)
{
    if (!fold) return am_fail(AM_ERR_VALUE, "learn: folds: missing argument");
    if (nfolds < 2 || nfolds > 64 || nfolds > nblocks)
        return am_fail(AM_ERR_VALUE, "learn: %d folds of %d blocks; expected 2..64 folds and at least as many blocks "
                                     "(more blocks: --blocks)", nfolds, nblocks);
    int *order = malloc((size_t)nblocks * sizeof *order);
    if (!order) return am_fail(AM_ERR_NOMEM, "learn: out of memory for %d blocks", nblocks);
    for (int k = 0; k < nblocks; k++) order[k] = k;
    uint64_t state = an_mix64((uint64_t)seed + 0x5EEDB10C5ULL);
    for (int k = nblocks - 1; k > 0; k--) {
        const size_t j = an_below(&state, (size_t)k + 1);
        const int t = order[k];
        order[k] = order[j];
        order[j] = t;
    }
    for (int k = 0; k < nblocks; k++) fold[order[k]] = k % nfolds;
    free(order);
    return AM_OK;
}

am_status am_learn_gap(const am_system *s, const int *fold, int nfolds, double gap, unsigned long long *near)
{
    if (!s || !fold || !near) return am_fail(AM_ERR_VALUE, "learn: gap: missing argument");
    if (nfolds < 1 || nfolds > 64) return am_fail(AM_ERR_VALUE, "learn: gap: %d folds; expected 1..64", nfolds);
    if (!(gap >= 0.0) || !isfinite(gap)) return am_fail(AM_ERR_VALUE, "learn: gap %g A; expected >= 0", gap);
    unsigned char *in = malloc(s->n ? s->n : 1);
    size_t *idx = malloc((s->n ? s->n : 1) * sizeof *idx);
    am_status st = in && idx ? AM_OK : am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu atoms", s->n);
    size_t m = 0;
    for (size_t i = 0; i < s->n && !st; i++) {
        near[i] = 0;
        if (fold[i] >= nfolds) st = am_fail(AM_ERR_VALUE, "learn: gap: atom %zu in fold %d of %d", i, fold[i], nfolds);
        in[i] = fold[i] >= 0;
        if (in[i]) idx[m++] = i;
    }
    if (st || gap == 0.0 || m == 0) { free(in); free(idx); return st; }
    /* the pairs among atoms in folds only */
    am_system *sub = NULL;
    am_nlist *nl = NULL;
    if (!(st = an_select_system(s, in, &sub)) && !(st = am_nlist_create(gap, 0.0, &nl))) st = am_nlist_update(nl, sub, NULL);
    if (!st) {
        const size_t nloc = am_nlist_nlocal(nl);
        const size_t *first = am_nlist_first(nl);
        const int *nbr = am_nlist_neighbors(nl), *src = am_nlist_atom_index(nl);
        const double *xw = am_nlist_positions(nl);
        const double g2 = gap * gap;
#pragma omp parallel for schedule(dynamic, 64)
        for (size_t e = 0; e < nloc; e++) {
            const size_t i = idx[src[e]];
            unsigned long long bits = 0;
            for (size_t p = first[e]; p < first[e + 1]; p++) {
                const size_t j = (size_t)nbr[p], k = idx[src[j]];
                if (fold[k] == fold[i]) continue;
                const double dx = xw[4 * j] - xw[4 * e], dy = xw[4 * j + 1] - xw[4 * e + 1], dz = xw[4 * j + 2] - xw[4 * e + 2];
                if (dx * dx + dy * dy + dz * dz < g2) bits |= 1ULL << fold[k];
            }
            near[i] = bits;
        }
    }
    am_nlist_free(nl);
    am_system_free(sub);
    free(in);
    free(idx);
    return st;
}
