/* End of the first coordination shell from the radial distribution
 * function: the lower bound of the correlation-length fit. */
#include "analysis/analysis_internal.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

static const double PI = 3.14159265358979323846;

/* Ordered-pair counts per bin (integers: any summation order is exact). */
static am_status pair_histogram(const am_system *sub, double rmax, double dr, size_t nbins, size_t *cnt)
{
    am_nlist *nl;
    am_status st = am_nlist_create(rmax, 0.0, &nl);
    if (st) return st;
    if ((st = am_nlist_update(nl, sub, NULL))) { am_nlist_free(nl); return st; }
    const size_t nloc = am_nlist_nlocal(nl);
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const double *xw = am_nlist_positions(nl);
    const double r2max = rmax * rmax;
    for (size_t b = 0; b < nbins; b++) cnt[b] = 0;
#pragma omp parallel for schedule(dynamic, 64) reduction(+ : cnt[:nbins])
    for (size_t e = 0; e < nloc; e++)
        for (size_t p = first[e]; p < first[e + 1]; p++) {
            const size_t j = (size_t)nbr[p];
            const double dx = xw[4 * j] - xw[4 * e], dy = xw[4 * j + 1] - xw[4 * e + 1], dz = xw[4 * j + 2] - xw[4 * e + 2];
            const double r2 = dx * dx + dy * dy + dz * dz;
            if (!(r2 < r2max)) continue;
            const size_t b = (size_t)(sqrt(r2) / dr);
            if (b < nbins) cnt[b]++;
        }
    am_nlist_free(nl);
    return AM_OK;
}

am_status am_first_shell(const am_system *s, const unsigned char *select, double rmax, double dr, double *rmin)
{
    *rmin = NAN;
    if (!(rmax > 0.0) || !isfinite(rmax)) return am_fail(AM_ERR_VALUE, "first shell: rmax %g A must be positive", rmax);
    if (!(dr > 0.0) || !isfinite(dr)) return am_fail(AM_ERR_VALUE, "first shell: bin width %g A must be positive", dr);
    if (rmax / dr > 1e7) return am_fail(AM_ERR_VALUE, "first shell: %g bins are too many", rmax / dr);
    const size_t nbins = (size_t)floor(rmax / dr + 1e-9);
    if (nbins < 5) return am_fail(AM_ERR_VALUE, "first shell: %zu bins up to %g A, at least 5 needed", nbins, rmax);
    const size_t m = an_count_selected(s->n, select);
    if (m < 2) return am_fail(AM_ERR_VALUE, "first shell: %zu selected atoms, at least 2 needed", m);
    const double vol = am_box_volume(&s->box);
    if (!(vol > 0.0)) return am_fail(AM_ERR_VALUE, "first shell: box volume %g A^3", vol);

    size_t *cnt = malloc(nbins * sizeof *cnt);
    double *g = malloc(nbins * sizeof *g), *gs = malloc(nbins * sizeof *gs);
    am_system *sub = NULL;
    am_status st = AM_OK;
    if (!cnt || !g || !gs) st = am_fail(AM_ERR_NOMEM, "first shell: out of memory for %zu bins", nbins);
    if (!st) st = an_select_system(s, select, &sub);
    if (!st) st = pair_histogram(sub, nbins * dr, dr, nbins, cnt);
    if (st) { free(cnt); free(g); free(gs); am_system_free(sub); return st; }
    am_system_free(sub);

    /* g(r) = ordered pairs / (m ρ shell volume), ρ = m / V */
    const double rho = (double)m / vol;
    for (size_t b = 0; b < nbins; b++) {
        const double shell = 4.0 / 3.0 * PI * dr * dr * dr * (pow(b + 1.0, 3) - pow((double)b, 3));
        g[b] = (double)cnt[b] / ((double)m * rho * shell);
    }
    /* three-bin running mean: a single noisy bin cannot fake a minimum */
    for (size_t b = 0; b < nbins; b++) {
        const size_t lo = b ? b - 1 : 0, hi = b + 1 < nbins ? b + 1 : b;
        double sum = 0.0;
        for (size_t k = lo; k <= hi; k++) sum += g[k];
        gs[b] = sum / (double)(hi - lo + 1);
    }
    size_t peak = 0;
    for (size_t b = 1; b < nbins; b++)
        if (gs[b] > gs[peak]) peak = b;
    size_t below = peak;
    while (below < nbins && !(gs[below] < 1.0)) below++;
    size_t rise = below;
    while (rise < nbins && !(gs[rise] > 1.0)) rise++;
    if (below == nbins || rise == nbins)
        st = am_fail(AM_ERR_VALUE, "first shell: g(r) does not %s within %g A (increase rmax)",
                     below == nbins ? "fall below 1 after its first peak" : "rise again after the first shell", rmax);
    else {
        size_t lo = peak;
        for (size_t b = peak; b < rise; b++)
            if (gs[b] < gs[lo]) lo = b;
        size_t hi = lo;
        while (hi + 1 < rise && gs[hi + 1] == gs[lo]) hi++;
        *rmin = (0.5 * (double)(lo + hi) + 0.5) * dr;
    }
    free(cnt); free(g); free(gs);
    return st;
}
