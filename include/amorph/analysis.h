/* amorph — structure–property statistics on per-atom tables.
 *
 * Correlations of a descriptor with a property (Pearson, Spearman, bootstrap
 * intervals, the paper's coarse-grained r), spatial autocorrelation of a
 * per-atom quantity with its correlation length (the paper's Eq. 4),
 * neighbourhood averages, histograms, and the viscosity map
 * η_i = η0 exp(Ea,i / kB T). Inputs are caller-owned arrays of n values in
 * the system's atom order; outputs are caller-owned too. See docs/analysis.md. */
#ifndef AMORPH_ANALYSIS_H
#define AMORPH_ANALYSIS_H

#include "amorph/potential.h"
#include "amorph/system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Pearson r of n pairs (n ≥ 3; AM_ERR_VALUE when either variable is
 * constant or a value is not finite). Two-pass sums; r is clamped to [−1, 1]. */
AM_API am_status am_pearson(size_t n, const double *x, const double *y, double *r);
/* Spearman ρ: Pearson r of the ranks, ties given their mean rank. */
AM_API am_status am_spearman(size_t n, const double *x, const double *y, double *rho);

/* The paper's coarse-graining: atoms sorted by x (ties by index), cut into
 * ngroups = floor(n / group) consecutive groups whose sizes differ by at most
 * one (group k holds sorted atoms floor(k n/ngroups) .. floor((k+1) n/ngroups) − 1,
 * so every atom counts); xm, ym (caller-owned, ≥ n / group values) receive
 * the group means. AM_ERR_VALUE when n < group. */
AM_API am_status am_coarse_grain(size_t n, const double *x, const double *y, size_t group, size_t *ngroups, double *xm,
                          double *ym);

typedef struct am_corr_options {
    size_t group;          /* coarse-graining group size, atoms (100) */
    int nboot;             /* bootstrap resamples for the intervals (1000; 0: no intervals) */
    double level;          /* confidence level of the intervals (0.95) */
    unsigned long seed;    /* bootstrap random stream (deterministic for a seed, any thread count) */
} am_corr_options;

AM_API void am_corr_defaults(am_corr_options *o);

typedef struct am_corr {
    size_t n;              /* pairs */
    double pearson, pearson_lo, pearson_hi;    /* r and its percentile bootstrap interval */
    double spearman, spearman_lo, spearman_hi; /* ρ and its interval */
    size_t ngroups;        /* coarse-grained groups (0 when n < group: r_cg is NaN) */
    double r_cg;           /* Pearson r of the group means (NaN with fewer than 3 groups) */
    double r_cg_lo, r_cg_hi; /* its percentile bootstrap interval over resamples of the groups (NaN
                              * with fewer than 3 groups; see am_correlate) */
} am_corr;

/* Everything above for one descriptor–property pair (o NULL: defaults).
 * Intervals are NaN when nboot = 0. Each bootstrap resample draws n pairs
 * with replacement from its own random stream, a hash of (seed, resample
 * number), so the intervals do not depend on the thread count; resamples in
 * which a variable is constant are left out of the percentiles.
 *
 * r_cg's interval resamples the groups: each resample draws, from its own
 * stream after the atoms' draws, the m (descriptor mean, property mean)
 * pairs of the point estimate's groups with replacement, and takes their r.
 * Resampling atoms before grouping instead was measured and rejected:
 * duplicated atoms double the noise variance of a resampled group mean, so
 * those r_cg are attenuated (to about r_cg / sqrt(2 − r_cg²)); with
 * y = x + 5σ_x noise, 5000 atoms in 50 groups (r_cg ≈ 0.89) that interval
 * held the population value in 15 % of samples, and in 0 of 40 with 20000
 * atoms in 200 groups. The group-pair interval held it in 94–98 % of samples
 * over 20–200 groups and r_cg from 0.55 to 0.89 (tests/test_analysis.c). */
AM_API am_status am_correlate(size_t n, const double *x, const double *y, const am_corr_options *o, am_corr *out);

/* Spatial autocorrelation of a per-atom quantity (the paper's Eq. 4):
 * ΔA_i = A_i − ⟨A⟩ over the selected atoms, and for each distance bin
 *   C(r) = ⟨ΔA_i ΔA_j⟩_{pairs, |r_ij| in bin} / ⟨ΔA²⟩   (⟨ΔA²⟩ = (1/N) Σ ΔA²),
 * over every pair of selected atoms closer than rmax through any periodic
 * image (rmax may exceed half the box: every image of j counts, and so do
 * an atom's own images, but never the atom with itself at r = 0). */
typedef struct am_autocorr {
    size_t nbins;
    double dr;             /* bin width, Å; bin b covers [b dr, (b+1) dr) */
    double rmax;           /* Å; nbins = ⌈rmax/dr⌉, the last bin ends at rmax */
    double *r;             /* nbins bin centres (b + ½) dr, Å */
    double *c;             /* nbins values of C(r); NaN for empty bins */
    size_t *pairs;         /* nbins pair counts, each unordered pair once: half
                            * the (atom, neighbour image) entries, so an atom
                            * and its images at ±L make one pair */
    /* With am_autocorr_compute_ex (NULL / 0 otherwise): */
    int nshuffle;          /* fields with the values shuffled among the selected atoms */
    double *shuffled;      /* nshuffle × nbins: C(r) of each (positions kept, values permuted): what C
                            * looks like when A has no spatial correlation at all */
    double *noise;         /* nbins: their standard deviation, C's noise level at r */
    int nblocks;           /* spatial blocks of the cell (blocks³ of am_autocorr_options) */
    double window;         /* am_autocorr_options.window, its default applied (0 without _ex: 1) */
    double *block_sum;     /* nblocks × nbins: Σ of the normalised products over the ordered pairs whose
                            * first atom lies in the block; C = Σ_blocks sum / Σ_blocks cnt */
    size_t *block_cnt;     /* nblocks × nbins: their counts */
    double volume;         /* of the cell, Å³ (am_corrlength's finite-size term) */
} am_autocorr;

typedef struct am_autocorr_options {
    int nshuffle;          /* shuffled fields for the noise level (20; 0: none) */
    int blocks;            /* blocks per cell vector for the block bootstrap (3: 27 blocks; 0: none; ≤ 8) */
    unsigned long seed;    /* the shuffles (deterministic for a seed, any thread count) */
    double window;         /* width over which am_corrlength_estimate compares C with its noise,
                            * length unit (0: 1, about a coordination shell in Å; 0.4 suits σ) */
} am_autocorr_options;
AM_API void am_autocorr_defaults(am_autocorr_options *o);

/* select (n flags, or NULL for all atoms) restricts both atoms of a pair,
 * e.g. to one species. ncomp > 1 averages C over components of an atom-major
 * array a (n*ncomp), as the paper's directional vMSD (Δx², Δy², Δz²): each
 * component has its own mean and variance, and C is the mean of the ncomp
 * normalised functions. AM_ERR_VALUE for fewer than 2 selected atoms, a
 * selected value that is not finite, a constant component, rmax ≤ 0 or
 * dr ≤ 0. Results are bit-identical for any thread count. *out is released
 * with am_autocorr_free(). */
AM_API am_status am_autocorr_compute(const am_system *s, const double *a, int ncomp, const unsigned char *select,
                              double rmax, double dr, am_autocorr **out);
AM_API void am_autocorr_free(am_autocorr *c);
/* The same C(r) (identical bins and values), plus the shuffled fields' noise
 * level and per-block sums for am_corrlength_estimate. o NULL: defaults.
 * Each shuffle costs one more pass over the pairs. */
AM_API am_status am_autocorr_compute_ex(const am_system *s, const double *a, int ncomp, const unsigned char *select,
                                 double rmax, double dr, const am_autocorr_options *o, am_autocorr **out);

/* Several quantities on the same atoms (a report's columns): the pairs —
 * the selected atoms' neighbour list to rmax, each pair's bin, the groups
 * and spatial blocks — are built once by am_autocorr_pairs_create (the same
 * arguments and checks as am_autocorr_compute_ex; s and select are copied
 * where needed, so they may change afterwards) and each quantity's C(r)
 * then costs only its passes: am_autocorr_compute_pairs gives bit for bit
 * what am_autocorr_compute_ex gives with those arguments. The pairs hold
 * 4 + 2 bytes per (atom, neighbour) entry: ~0.1 GB for 20 000 atoms of a
 * Cu–Zr glass to 15 Å (~810 neighbours each). One pairs object may serve
 * several threads at once. */
typedef struct am_autocorr_pairs am_autocorr_pairs;
AM_API am_status am_autocorr_pairs_create(const am_system *s, const unsigned char *select, double rmax, double dr,
                                          const am_autocorr_options *o, am_autocorr_pairs **out);
AM_API am_status am_autocorr_compute_pairs(const am_autocorr_pairs *p, const double *a, int ncomp, am_autocorr **out);
AM_API void am_autocorr_pairs_free(am_autocorr_pairs *p);

/* A correlation length the data support, or the statement that they support
 * none (docs/analysis.md, "Correlation length").
 *
 * Range: from the first bin at or beyond rmin (the end of the first shell)
 * outwards, not beyond rmax (≤ 0: no cap), while C(r), averaged over a window (c->window: 1 Å, about one shell), stays
 * above twice the same average's noise (its standard deviation over the
 * shuffled fields). With fewer than 3 bins there, C(r) is indistinguishable
 * from an uncorrelated field beyond rmin: supported = 0, no length. So too
 * when the fitted amplitude C0 exceeds AM_CORRLENGTH_MAX_C0: C(0) = 1, and an
 * exponential that would start several times higher only describes the fall
 * at the end of the first shell (ξ of a fraction of an ångström).
 * Fit: C(r) = (C0 e^{−r/ξ} − b) / (1 − b) with b = 8π C0 ξ³ / V, the
 * expectation of the estimator for an exponential covariance in a cell of
 * volume V (removing the sample mean lowers C by the covariance's average
 * over the cell, b; negligible when ξ³ ≪ V), weighted least squares with
 * weights 1/noise². C0 is free and reported: structural fields are not
 * exponential inside the first shell, so it is not C(0).
 * Interval: 95 % percentile of ξ over nboot block-bootstrap resamples (the
 * cell's blocks drawn with replacement, the fit repeated on the same range).
 * Needs am_autocorr_compute_ex's noise and blocks (AM_ERR_VALUE otherwise). */
#define AM_CORRLENGTH_MAX_C0 5.0
typedef struct am_corrlength {
    int supported;         /* 1: ξ below; 0: no decay above the noise beyond rmin, or one that
                            * ends within the first shell (C0 > AM_CORRLENGTH_MAX_C0); the rest NaN */
    double xi;             /* Å */
    double xi_lo, xi_hi;   /* 95 % block-bootstrap interval, Å (NaN when fewer than 20 resamples fit) */
    double c0;             /* the fit's amplitude */
    double offset;         /* b of the fitted model (C0 e^{−r/ξ} − b)/(1 − b), b = 8π C0 ξ³/V */
    double rmin, rmax;     /* the fitted range (bin centres), Å */
    int nbins;             /* bins fitted */
    int nboot_ok;          /* resamples whose fit converged */
} am_corrlength;
AM_API am_status am_corrlength_estimate(const am_autocorr *c, double rmin, double rmax, int nboot, unsigned long seed,
                                 am_corrlength *out);

/* Fit C(r) ≈ C0 exp(−r/ξ) on the non-empty bins with centres in
 * [rmin, rmax] (nonlinear least squares, each bin weighted by its pair
 * count; started from the weighted straight-line fit of ln C on the bins
 * where C > 0). */
typedef struct am_expfit {
    double c0, xi;         /* amplitude and correlation length ξ, Å */
    double xi_err;         /* one standard error of ξ from the fit (covariance
                            * scaled by the weighted residual variance), Å.
                            * It treats bins as independent; for a spatially
                            * correlated quantity they are not, and the
                            * scatter between samples is several times larger
                            * (docs/analysis.md) */
    double rc;             /* r_c = 3 ξ, Å */
    double rmin, rmax;     /* the fit range actually used, Å */
    int nbins;             /* bins used */
} am_expfit;

/* AM_ERR_VALUE when fewer than 3 usable bins, the fit does not converge, or
 * ξ comes out above 100 times the fitted range (C(r) does not decay there).
 * On failure *out keeps NaN values. */
AM_API am_status am_autocorr_fit(const am_autocorr *c, double rmin, double rmax, am_expfit *out);

/* First minimum of the radial distribution function of the selected atoms
 * after its first peak, Å: the end of the first shell, the paper's lower fit
 * bound. Computed from a histogram to rmax with bin dr, smoothed over three
 * bins; the first peak is the highest value, the minimum the lowest value
 * between it and the point where g(r), having fallen below 1, rises above 1
 * again (the middle of the run when several bins share it, e.g. the empty
 * gap of a crystal). AM_ERR_VALUE when that rise is not within rmax. */
AM_API am_status am_first_shell(const am_system *s, const unsigned char *select, double rmax, double dr, double *rmin);

/* Spatial coarse-graining: out_i = mean of a_j over selected atoms j closer
 * than radius R to atom i, every periodic image counting once (i itself
 * included when selected; its images too when R exceeds the box). Every
 * atom i gets a value, selected or not; NaN when no selected atom is within
 * R. Values of unselected atoms are not read. Bit-identical for any thread
 * count. */
AM_API am_status am_neighbor_average(const am_system *s, const double *a, const unsigned char *select, double radius,
                              double *out);
/* The same for ncol quantities and nradii radii (Å, each > 0, any order) in
 * one neighbour pass: a is atom-major, n × ncol (a[i*ncol + c]); out
 * (caller-owned, n × nradii × ncol) gets out[(i*nradii + r)*ncol + c], the
 * mean of column c over the selected atoms within radii[r] of atom i.
 * Every value is am_neighbor_average's for that column and radius (to
 * round-off: a list of the largest radius sums in another order). Bit-identical
 * for any thread count. */
AM_API am_status am_neighbor_average_multi(const am_system *s, int ncol, const double *a, const unsigned char *select,
                                    int nradii, const double *radii, double *out);

/* Histogram of the selected values into nbins equal bins on [lo, hi):
 * counts (caller-owned, nbins, overwritten); values outside and NaN are not
 * counted. Nothing is done when nbins < 1 or not lo < hi (both finite). */
AM_API void am_histogram(size_t n, const double *v, const unsigned char *select, double lo, double hi, int nbins,
                  size_t *counts);

/* Viscosity η_i = η0 exp(Ea,i / kB T), returned as log10(η_i / Pa·s)
 * = log10 η0 + Ea,i / (kB T ln 10), which stays finite where η itself would
 * overflow. eta0 in Pa·s (paper: 1e-4), T in K (paper: 300), k_B and the
 * units of Ea and T those of u (the potential's). In lj units η is in
 * ε·τ/σ³, which is 0.9e-4 Pa·s for argon: the paper's η0 is about 1 there,
 * and the solid-like threshold keeps the paper's ratio η/η0 = 1e16. */
#define AM_LOG10_ETA_SOLID 12.0 /* atoms with log10(η / Pa·s) above it are solid-like (paper) */
#define AM_LOG10_ETA_SOLID_LJ 16.0 /* the same in ε·τ/σ³, with η0 = 1 */
AM_API void am_log10_viscosity(size_t n, const double *ea, double eta0, const am_units *u, double temperature,
                               double *log10_eta);

/* Map of a per-atom quantity on a slab: the selected atoms whose coordinate
 * along `axis` (0 = a, 1 = b, 2 = c cell vector; fractional, periodic) lies
 * within thickness/2 Å (perpendicular distance) of the slab centre
 * `center` (fraction 0..1) are projected on the plane of the other two cell
 * vectors, u and v in increasing order (axis 2: u = a, v = b). Grid point
 * (iu, iv) sits at fractions ((iu + ½)/nu, (iv + ½)/nv) and its value,
 * grid[iu*nv + iv], is the mean of the atoms' values weighted by
 * exp(−d²/2σ²) over in-plane distances d < 5σ (every periodic image);
 * NaN where no atom is that close. AM_ERR_VALUE when the slab is empty. */
AM_API am_status am_slab_map(const am_system *s, const double *a, const unsigned char *select, int axis, double center,
                      double thickness, double sigma, int nu, int nv, double *grid);

#ifdef __cplusplus
}
#endif
#endif
