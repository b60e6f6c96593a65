/* Spatial coarse-graining of per-atom quantities over spheres. */
#include "analysis/analysis_internal.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

am_status am_neighbor_average(const am_system *s, const double *a, const unsigned char *select, double radius,
                              double *out)
{
    return am_neighbor_average_multi(s, 1, a, select, 1, &radius, out);
}

am_status am_neighbor_average_multi(const am_system *s, int ncol, const double *a, const unsigned char *select,
                                    int nradii, const double *radii, double *out)
{
    if (!s || !a || !out || !radii) return am_fail(AM_ERR_VALUE, "neighbour average: no values");
    if (ncol < 1 || nradii < 1)
        return am_fail(AM_ERR_VALUE, "neighbour average: %d columns and %d radii; expected at least one of each", ncol,
                       nradii);
    if (s->n == 0) return am_fail(AM_ERR_VALUE, "neighbour average: no atoms");
    double rmax = 0.0;
    for (int r = 0; r < nradii; r++) {
        if (!(radii[r] > 0.0) || !isfinite(radii[r]))
            return am_fail(AM_ERR_VALUE, "neighbour average: radius %g A must be positive", radii[r]);
        rmax = radii[r] > rmax ? radii[r] : rmax;
    }
    const size_t nc = (size_t)ncol, nr = (size_t)nradii;
    for (size_t i = 0; i < s->n; i++)
        for (size_t c = 0; c < nc && (!select || select[i]); c++)
            if (!isfinite(a[i * nc + c]))
                return am_fail(AM_ERR_VALUE, "neighbour average: value %g of atom %lld is not finite", a[i * nc + c],
                               s->id[i]);
    am_nlist *nl;
    am_status st = am_nlist_create(rmax, 0.0, &nl);
    if (st) return st;
    if ((st = am_nlist_update(nl, s, NULL))) { am_nlist_free(nl); return st; }
    const size_t nloc = am_nlist_nlocal(nl);
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl), *src = am_nlist_atom_index(nl);
    const double *xw = am_nlist_positions(nl);
    int fail = 0;
    /* each atom sums its own list in list order, into every sphere that holds
     * the neighbour: no shared writes, and the same sums whatever the thread
     * count */
#pragma omp parallel reduction(| : fail)
    {
        size_t *n_in = malloc(nr * sizeof *n_in);
        double *r2 = malloc(nr * sizeof *r2);
        if (!n_in || !r2) fail = 1;
        for (size_t r = 0; r < nr && !fail; r++) r2[r] = radii[r] * radii[r];
#pragma omp for schedule(dynamic, 64)
        for (size_t e = 0; e < nloc; e++) {
            if (fail) continue;
            const size_t i = (size_t)src[e];
            double *oi = out + i * nr * nc;
            const int self = !select || select[i];
            for (size_t r = 0; r < nr; r++) {
                n_in[r] = (size_t)self;
                for (size_t c = 0; c < nc; c++) oi[r * nc + c] = self ? a[i * nc + c] : 0.0;
            }
            for (size_t p = first[e]; p < first[e + 1]; p++) {
                const size_t j = (size_t)nbr[p], k = (size_t)src[j];
                if (select && !select[k]) continue;
                const double dx = xw[4 * j] - xw[4 * e], dy = xw[4 * j + 1] - xw[4 * e + 1], dz = xw[4 * j + 2] - xw[4 * e + 2];
                const double d2 = dx * dx + dy * dy + dz * dz;
                for (size_t r = 0; r < nr; r++) {
                    if (!(d2 < r2[r])) continue;
                    n_in[r]++;
                    for (size_t c = 0; c < nc; c++) oi[r * nc + c] += a[k * nc + c];
                }
            }
            for (size_t r = 0; r < nr; r++)
                for (size_t c = 0; c < nc; c++) oi[r * nc + c] = n_in[r] ? oi[r * nc + c] / (double)n_in[r] : NAN;
        }
        free(n_in);
        free(r2);
    }
    am_nlist_free(nl);
    return fail ? am_fail(AM_ERR_NOMEM, "neighbour average: out of memory for %d radii", nradii) : AM_OK;
}
