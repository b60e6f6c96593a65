/* Spatial autocorrelation of a per-atom quantity, the paper's Eq. 4.
 *
 * The pair search is the library's full neighbour list over the selected
 * atoms only, with the cutoff rmax: it carries explicit periodic images, so
 * rmax may exceed half the box. Every pair appears once for each of its two
 * atoms; sums and counts are therefore twice the unordered ones, which
 * leaves their ratio unchanged and halves exactly into the pair counts. Each
 * block of consecutive list entries accumulates its own histogram and the
 * blocks are added in order, so the result does not depend on how threads
 * share the blocks. */
#include "analysis/analysis_internal.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Per-block histograms are capped at about this many bins in total (32 MB
 * of sums): long rmax/dr ratios get fewer, larger blocks. */
#define BLOCK_BINS ((size_t)1 << 21)

void am_autocorr_free(am_autocorr *c)
{
    if (!c) return;
    free(c->r);
    free(c->c);
    free(c->pairs);
    free(c);
}

/* Deviations from the mean over the selected atoms, divided by the standard
 * deviation, so that C is a plain average of products; component-averaged
 * products then give the mean of the normalised functions directly. */
static am_status normalise(const am_system *s, const double *a, int ncomp, const unsigned char *select, size_t m,
                           double *d)
{
    for (int c = 0; c < ncomp; c++) {
        double mean = 0.0;
        for (size_t i = 0; i < s->n; i++) {
            if (select && !select[i]) continue;
            const double v = a[i * (size_t)ncomp + c];
            if (!isfinite(v))
                return am_fail(AM_ERR_VALUE, "autocorrelation: value %g of atom %lld (component %d) is not finite", v,
                               s->id[i], c);
            mean += v;
        }
        mean /= (double)m;
        double var = 0.0;
        for (size_t i = 0; i < s->n; i++) {
            if (select && !select[i]) continue;
            const double dv = a[i * (size_t)ncomp + c] - mean;
            var += dv * dv;
        }
        var /= (double)m;
        if (!(var > 0.0))
            return am_fail(AM_ERR_VALUE, "autocorrelation: component %d is constant over the %zu selected atoms", c, m);
        const double inv = 1.0 / sqrt(var);
        size_t k = 0;
        for (size_t i = 0; i < s->n; i++) {
            if (select && !select[i]) continue;
            d[k++ * (size_t)ncomp + c] = (a[i * (size_t)ncomp + c] - mean) * inv;
        }
    }
    return AM_OK;
}

static am_autocorr *alloc_result(size_t nbins)
{
    am_autocorr *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->r = malloc(nbins * sizeof *c->r);
    c->c = malloc(nbins * sizeof *c->c);
    c->pairs = malloc(nbins * sizeof *c->pairs);
    if (!c->r || !c->c || !c->pairs) { am_autocorr_free(c); return NULL; }
    c->nbins = nbins;
    return c;
}

/* Histogram of pair products over the neighbour list: sum[b], cnt[b] count
 * ordered pairs (each unordered pair twice). */
static am_status pair_sums(const am_nlist *nl, const double *d, int ncomp, double rmax, double dr, size_t nbins,
                           double *sum, size_t *cnt)
{
    const size_t nloc = am_nlist_nlocal(nl), nall = am_nlist_nall(nl);
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl), *src = am_nlist_atom_index(nl);
    const double *xw = am_nlist_positions(nl);
    size_t nblock = (nloc + 63) / 64, cap = BLOCK_BINS / nbins;
    if (cap < 1) cap = 1;
    if (nblock > cap) nblock = cap;
    const size_t bsize = (nloc + nblock - 1) / nblock;
    double *bsum = calloc(nblock * nbins, sizeof *bsum);
    size_t *bcnt = calloc(nblock * nbins, sizeof *bcnt);
    /* deviations in list order (images included), read in sequence below */
    double *dl = malloc(nall * (size_t)ncomp * sizeof *dl);
    if (!bsum || !bcnt || !dl) {
        free(bsum); free(bcnt); free(dl);
        return am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory for %zu blocks of %zu bins", nblock, nbins);
    }
    for (size_t k = 0; k < nall; k++)
        for (int c = 0; c < ncomp; c++) dl[k * ncomp + c] = d[(size_t)src[k] * ncomp + c];
    const double r2max = rmax * rmax, inv_dr = 1.0 / dr, inv_nc = 1.0 / ncomp;
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t b = 0; b < nblock; b++) {
        double *hs = bsum + b * nbins;
        size_t *hc = bcnt + b * nbins;
        const size_t e1 = (b + 1) * bsize < nloc ? (b + 1) * bsize : nloc;
        for (size_t e = b * bsize; e < e1; e++) {
            const double *de = dl + e * ncomp;
            for (size_t p = first[e]; p < first[e + 1]; p++) {
                const size_t j = (size_t)nbr[p];
                const double dx = xw[4 * j] - xw[4 * e], dy = xw[4 * j + 1] - xw[4 * e + 1],
                             dz = xw[4 * j + 2] - xw[4 * e + 2];
                const double r2 = dx * dx + dy * dy + dz * dz;
                if (!(r2 < r2max)) continue;
                const size_t bin = (size_t)(sqrt(r2) * inv_dr);
                if (bin >= nbins) continue;
                const double *dj = dl + j * ncomp;
                double prod = de[0] * dj[0];
                if (ncomp > 1) {
                    for (int c = 1; c < ncomp; c++) prod += de[c] * dj[c];
                    prod *= inv_nc;
                }
                hs[bin] += prod;
                hc[bin]++;
            }
        }
    }
    for (size_t k = 0; k < nbins; k++) { sum[k] = 0.0; cnt[k] = 0; }
    for (size_t b = 0; b < nblock; b++)
        for (size_t k = 0; k < nbins; k++) {
            sum[k] += bsum[b * nbins + k];
            cnt[k] += bcnt[b * nbins + k];
        }
    free(bsum); free(bcnt); free(dl);
    return AM_OK;
}

am_status am_autocorr_compute(const am_system *s, const double *a, int ncomp, const unsigned char *select,
                              double rmax, double dr, am_autocorr **out)
{
    *out = NULL;
    if (!a) return am_fail(AM_ERR_VALUE, "autocorrelation: no values");
    if (ncomp < 1) return am_fail(AM_ERR_VALUE, "autocorrelation: %d components", ncomp);
    if (!(rmax > 0.0) || !isfinite(rmax)) return am_fail(AM_ERR_VALUE, "autocorrelation: rmax %g A must be positive", rmax);
    if (!(dr > 0.0) || !isfinite(dr)) return am_fail(AM_ERR_VALUE, "autocorrelation: bin width %g A must be positive", dr);
    if (rmax / dr > 1e7) return am_fail(AM_ERR_VALUE, "autocorrelation: %g bins are too many", rmax / dr);
    const size_t m = an_count_selected(s->n, select);
    if (m < 2) return am_fail(AM_ERR_VALUE, "autocorrelation: %zu selected atoms, at least 2 needed", m);
    /* a last bin shorter than 1e-9 dr is rounding, not a bin */
    size_t nbins = (size_t)ceil(rmax / dr - 1e-9);
    if (nbins < 1) nbins = 1;

    double *d = malloc(m * (size_t)ncomp * sizeof *d);
    double *sum = malloc(nbins * sizeof *sum);
    size_t *cnt = malloc(nbins * sizeof *cnt);
    am_autocorr *res = alloc_result(nbins);
    am_system *sub = NULL;
    am_nlist *nl = NULL;
    am_status st = AM_OK;
    if (!d || !sum || !cnt || !res) st = am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory for %zu atoms", m);
    if (!st) st = normalise(s, a, ncomp, select, m, d);
    if (!st) st = an_select_system(s, select, &sub);
    if (!st) st = am_nlist_create(rmax, 0.0, &nl);
    if (!st) st = am_nlist_update(nl, sub, NULL);
    if (!st) st = pair_sums(nl, d, ncomp, rmax, dr, nbins, sum, cnt);
    if (!st) {
        res->dr = dr;
        res->rmax = rmax;
        for (size_t b = 0; b < nbins; b++) {
            res->r[b] = ((double)b + 0.5) * dr;
            res->c[b] = cnt[b] ? sum[b] / (double)cnt[b] : NAN;
            res->pairs[b] = cnt[b] / 2;
        }
        *out = res;
        res = NULL;
    }
    am_nlist_free(nl);
    am_system_free(sub);
    am_autocorr_free(res);
    free(d); free(sum); free(cnt);
    return st;
}
