/* One descriptor–property pair: r, ρ, coarse-grained r and percentile
 * bootstrap intervals.
 *
 * A resample is stored as a multiplicity c_i per original pair (Σ c_i = n),
 * so its Pearson r is a weighted sum and its ranks follow from one walk over
 * the full sample's sort order: a value's rank in the resample is the number
 * of drawn values below it plus (copies of its tie group + 1) / 2. That
 * makes a resample O(n) rather than O(n log n).
 *
 * The coarse-grained r is resampled differently: its resample draws the m
 * (descriptor mean, property mean) pairs of the groups, not atoms. Atoms
 * drawn with replacement put duplicates into one group, whose mean then has
 * about twice the scatter of a real group's (Σ c² ≈ 2g for Poisson(1)
 * counts), so the resampled r_cg fall well below r_cg: measured on
 * y = x + 5 N(0,1), 50 groups of 100, such an interval held the true
 * coarse-grained correlation in 15 % of samples and 0 of 40 with 200 groups.
 * Resampling the group pairs covered it in 94–98 %. */
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void am_corr_defaults(am_corr_options *o)
{
    o->group = 100;
    o->nboot = 1000;
    o->level = 0.95;
    o->seed = 1;
}

void an_resample_ranks(size_t n, const double *v, const size_t *order, const unsigned *c, double *rank)
{
    double below = 0.0;
    for (size_t p = 0; p < n;) {
        size_t q = p + 1;
        double copies = c[order[p]];
        while (q < n && v[order[q]] == v[order[p]]) copies += c[order[q++]];
        const double r = below + 0.5 * (copies + 1.0);
        for (size_t k = p; k < q; k++) rank[order[k]] = r;
        below += copies;
        p = q;
    }
}

double an_weighted_pearson(size_t n, const unsigned *c, const double *x, const double *y)
{
    double mx = 0.0, my = 0.0, w = 0.0;
    for (size_t i = 0; i < n; i++) { mx += c[i] * x[i]; my += c[i] * y[i]; w += c[i]; }
    if (!(w > 0.0)) return NAN;
    mx /= w;
    my /= w;
    double sxx = 0.0, syy = 0.0, sxy = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i]) continue;
        const double dx = x[i] - mx, dy = y[i] - my;
        sxx += c[i] * dx * dx;
        syy += c[i] * dy * dy;
        sxy += c[i] * dx * dy;
    }
    if (!(sxx > 0.0) || !(syy > 0.0)) return NAN;
    const double r = sxy / sqrt(sxx * syy);
    return r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
}

static int by_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void an_percentiles(double *v, size_t m, double level, double *lo, double *hi)
{
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (isfinite(v[i])) v[k++] = v[i];
    *lo = *hi = NAN;
    if (k == 0) return;
    qsort(v, k, sizeof *v, by_double);
    const double q[2] = {0.5 * (1.0 - level), 0.5 * (1.0 + level)};
    double *out[2] = {lo, hi};
    for (int t = 0; t < 2; t++) {
        const double h = q[t] * (double)(k - 1);
        const size_t f = (size_t)floor(h);
        const double w = h - (double)f;
        *out[t] = f + 1 < k ? v[f] + w * (v[f + 1] - v[f]) : v[k - 1];
    }
}

static am_status bootstrap(size_t n, const double *x, const double *y, const am_corr_options *o, am_corr *out)
{
    const size_t nb = (size_t)o->nboot;
    /* every resample has the point estimate's group count: below 3 its r_cg is NaN, so skip the work */
    const size_t m = n / o->group >= 3 ? n / o->group : 0;
    size_t *ox = malloc(n * sizeof *ox), *oy = malloc(n * sizeof *oy);
    double *rp = malloc(nb * sizeof *rp), *rs = malloc(nb * sizeof *rs), *rc = m ? malloc(nb * sizeof *rc) : NULL;
    am_status st = AM_OK;
    if (!ox || !oy || !rp || !rs || (m && !rc))
        st = am_fail(AM_ERR_NOMEM, "bootstrap: out of memory for %zu resamples", nb);
    double *gx = m ? malloc(m * sizeof *gx) : NULL, *gy = m ? malloc(m * sizeof *gy) : NULL;
    if (m && (!gx || !gy)) st = am_fail(AM_ERR_NOMEM, "bootstrap: out of memory for %zu groups", m);
    if (!st) st = an_order(n, x, ox);
    if (!st) st = an_order(n, y, oy);
    if (st) { free(ox); free(oy); free(rp); free(rs); free(rc); free(gx); free(gy); return st; }
    if (m) an_group_means(n, x, y, ox, NULL, m, gx, gy);
    const uint64_t seed = an_mix64((uint64_t)o->seed + 0x632BE59BD9B4E019ULL);
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        unsigned *c = malloc(n * sizeof *c);
        double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
        double *xm = m ? malloc(m * sizeof *xm) : NULL, *ym = m ? malloc(m * sizeof *ym) : NULL;
        if (!c || !rx || !ry || (m && (!xm || !ym))) fail = 1;
#pragma omp for schedule(dynamic, 4)
        for (size_t b = 0; b < nb; b++) {
            if (fail) continue;
            /* the resample's stream depends only on (seed, b) */
            uint64_t state = seed ^ an_mix64((uint64_t)b + 1);
            memset(c, 0, n * sizeof *c);
            for (size_t k = 0; k < n; k++) c[an_below(&state, n)]++;
            rp[b] = an_weighted_pearson(n, c, x, y);
            an_resample_ranks(n, x, ox, c, rx);
            an_resample_ranks(n, y, oy, c, ry);
            rs[b] = an_weighted_pearson(n, c, rx, ry);
            if (m) {
                /* the same stream, after the atoms' draws: r and ρ stay as they were */
                for (size_t q = 0; q < m; q++) {
                    const size_t pick = an_below(&state, m);
                    xm[q] = gx[pick];
                    ym[q] = gy[pick];
                }
                rc[b] = an_pearson(m, xm, ym);
            }
        }
        free(c); free(rx); free(ry); free(xm); free(ym);
    }
    if (fail) st = am_fail(AM_ERR_NOMEM, "bootstrap: out of memory for the resamples of %zu pairs", n);
    else {
        an_percentiles(rp, nb, o->level, &out->pearson_lo, &out->pearson_hi);
        an_percentiles(rs, nb, o->level, &out->spearman_lo, &out->spearman_hi);
        if (m) an_percentiles(rc, nb, o->level, &out->r_cg_lo, &out->r_cg_hi);
    }
    free(ox); free(oy); free(rp); free(rs); free(rc); free(gx); free(gy);
    return st;
}

am_status am_correlate(size_t n, const double *x, const double *y, const am_corr_options *o, am_corr *out)
{
    am_corr_options def;
    if (!o) { am_corr_defaults(&def); o = &def; }
    *out = (am_corr){.n = n};
    out->pearson = out->pearson_lo = out->pearson_hi = NAN;
    out->spearman = out->spearman_lo = out->spearman_hi = NAN;
    out->r_cg = out->r_cg_lo = out->r_cg_hi = NAN;
    if (o->group < 1) return am_fail(AM_ERR_VALUE, "correlation: group size must be at least 1");
    if (o->nboot < 0) return am_fail(AM_ERR_VALUE, "correlation: %d bootstrap resamples", o->nboot);
    if (o->nboot > 0 && !(o->level > 0.0 && o->level < 1.0))
        return am_fail(AM_ERR_VALUE, "correlation: confidence level %g is not between 0 and 1", o->level);
    am_status st = am_pearson(n, x, y, &out->pearson);
    if (!st) st = am_spearman(n, x, y, &out->spearman);
    if (st) return st;

    if (n >= o->group) {
        const size_t m = n / o->group;
        double *xm = malloc(m * sizeof *xm), *ym = malloc(m * sizeof *ym);
        if (!xm || !ym) st = am_fail(AM_ERR_NOMEM, "correlation: out of memory for %zu groups", m);
        if (!st) st = am_coarse_grain(n, x, y, o->group, &out->ngroups, xm, ym);
        /* with fewer than 3 groups r is meaningless; constant group means of
         * y are a result (no correlation visible), not an input error */
        if (!st && out->ngroups >= 3) out->r_cg = an_pearson(out->ngroups, xm, ym);
        free(xm); free(ym);
        if (st) return st;
    }
    if (o->nboot > 0) st = bootstrap(n, x, y, o, out);
    return st;
}
