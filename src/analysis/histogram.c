/* Equal-width histograms (the Ea spectra of Voronoi polyhedra). */
#include "amorph/analysis.h"

#include <math.h>

void am_histogram(size_t n, const double *v, const unsigned char *select, double lo, double hi, int nbins,
                  size_t *counts)
{
    if (nbins < 1 || !(lo < hi) || !isfinite(lo) || !isfinite(hi)) return;
    for (int b = 0; b < nbins; b++) counts[b] = 0;
    const double scale = nbins / (hi - lo);
    for (size_t i = 0; i < n; i++) {
        if (select && !select[i]) continue;
        if (!(v[i] >= lo && v[i] < hi)) continue; /* also drops NaN */
        int b = (int)((v[i] - lo) * scale);
        /* rounding may carry a value just below hi into bin nbins */
        if (b >= nbins) b = nbins - 1;
        counts[b]++;
    }
}
