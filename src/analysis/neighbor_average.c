/* Spatial coarse-graining of a per-atom quantity over a sphere. */
#include "analysis/analysis_internal.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

am_status am_neighbor_average(const am_system *s, const double *a, const unsigned char *select, double radius,
                              double *out)
{
    if (!a || !out) return am_fail(AM_ERR_VALUE, "neighbour average: no values");
    if (!(radius > 0.0) || !isfinite(radius))
        return am_fail(AM_ERR_VALUE, "neighbour average: radius %g A must be positive", radius);
    if (s->n == 0) return am_fail(AM_ERR_VALUE, "neighbour average: no atoms");
    for (size_t i = 0; i < s->n; i++)
        if ((!select || select[i]) && !isfinite(a[i]))
            return am_fail(AM_ERR_VALUE, "neighbour average: value %g of atom %lld is not finite", a[i], s->id[i]);
    am_nlist *nl;
    am_status st = am_nlist_create(radius, 0.0, &nl);
    if (st) return st;
    if ((st = am_nlist_update(nl, s, NULL))) { am_nlist_free(nl); return st; }
    const size_t nloc = am_nlist_nlocal(nl);
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl), *src = am_nlist_atom_index(nl);
    const double *xw = am_nlist_positions(nl);
    const double r2max = radius * radius;
    /* each atom sums its own list in list order: no shared writes, and the
     * same sums whatever the thread count */
#pragma omp parallel for schedule(dynamic, 64)
    for (size_t e = 0; e < nloc; e++) {
        const size_t i = (size_t)src[e];
        double sum = 0.0;
        size_t cnt = 0;
        if (!select || select[i]) { sum = a[i]; cnt = 1; }
        for (size_t p = first[e]; p < first[e + 1]; p++) {
            const size_t j = (size_t)nbr[p], k = (size_t)src[j];
            if (select && !select[k]) continue;
            const double dx = xw[4 * j] - xw[4 * e], dy = xw[4 * j + 1] - xw[4 * e + 1], dz = xw[4 * j + 2] - xw[4 * e + 2];
            if (!(dx * dx + dy * dy + dz * dz < r2max)) continue;
            sum += a[k];
            cnt++;
        }
        out[i] = cnt ? sum / (double)cnt : NAN;
    }
    am_nlist_free(nl);
    return AM_OK;
}
