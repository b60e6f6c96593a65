/* Internal: pieces shared by the analysis files. */
#ifndef AM_ANALYSIS_INTERNAL_H
#define AM_ANALYSIS_INTERNAL_H

#include "amorph/analysis.h"

#include <stdint.h>

/* Indices 0..n-1 sorted by (v, index): a total order, so ties land in a
 * reproducible place whatever qsort does with equal keys. */
am_status an_order(size_t n, const double *v, size_t *order);

/* 1-based ranks of v (order from an_order), ties given their mean rank. */
void an_ranks(size_t n, const double *v, const size_t *order, double *rank);

/* The coarse-graining's m group means (am_coarse_grain) over n values laid
 * out in `order` (from an_order of x), pair i repeated c[i] times (c NULL:
 * once each; Σ c = n), its copies adjacent. A bootstrap resample walked this
 * way is grouped exactly as sorting its n drawn pairs by (x, atom index)
 * would group it, with no sort per resample. */
void an_group_means(size_t n, const double *x, const double *y, const size_t *order, const unsigned *c, size_t m,
                    double *xm, double *ym);

/* Pearson r without argument checks; NaN when a variable is constant. */
double an_pearson(size_t n, const double *x, const double *y);

/* A bootstrap resample held as multiplicities: pair i counted c[i] times
 * (any total, e.g. whole spatial blocks drawn). Pearson r of the weighted
 * pairs; NaN when a variable is constant or nothing is drawn. */
double an_weighted_pearson(size_t n, const unsigned *c, const double *x, const double *y);
/* Ranks in the resample with multiplicities c, for every original index
 * (order from an_order of v; values not drawn get a rank too, with weight 0),
 * ties given their mean rank: Spearman's ρ of a resample is the weighted r of
 * these. */
void an_resample_ranks(size_t n, const double *v, const size_t *order, const unsigned *c, double *rank);

/* Number of selected atoms (select NULL: all). */
size_t an_count_selected(size_t n, const unsigned char *select);

/* The selected atoms (at least one) as a system of their own, in s's order,
 * with s's box and species, so that a neighbour list over it holds only the
 * pairs wanted: a selection of a fraction f of the atoms shrinks the list
 * by f². */
am_status an_select_system(const am_system *s, const unsigned char *select, am_system **sub);

/* The central `level` interval (e.g. 0.95) of the finite values among
 * v[0..m-1] (reordered), interpolated between order statistics
 * (Hyndman–Fan type 7); NaN when there are none. */
void an_percentiles(double *v, size_t m, double level, double *lo, double *hi);

/* Start of an exponential fit y ≈ c0 exp(−r/ξ): the w-weighted straight
 * line through ln y on the points with y > 0 (exact for noiseless data), a
 * decay over the range when that line does not fall. */
void an_exp_start(size_t m, const double *r, const double *y, const double *w, double *c0, double *lnxi);

/* splitmix64 (Steele, Lea, Flood 2014): a bijective 64-bit mix, used both
 * to scatter (seed, resample) into independent stream starts and as the
 * stream's output function. */
static inline uint64_t an_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline uint64_t an_next64(uint64_t *state)
{
    *state += 0x9E3779B97F4A7C15ULL;
    return an_mix64(*state);
}

/* Uniform in [0, n), n ≥ 1, without modulo bias. */
static inline size_t an_below(uint64_t *state, size_t n)
{
    const uint64_t m = (uint64_t)n, limit = UINT64_MAX - UINT64_MAX % m;
    uint64_t u;
    do u = an_next64(state);
    while (u >= limit);
    return (size_t)(u % m);
}

#endif
