/* Analysis: correlation coefficients against hand-computed values and
 * sampling theory; coarse-graining's groups; Eq. 4 against exact lattice
 * answers (plane waves, shell multiplicities), a brute-force loop over
 * periodic images and a Gaussian random field of known covariance; the
 * exponential fit against an independent weighted least-squares solution;
 * the first-shell minimum; neighbourhood averages against hand sums;
 * viscosity, slab maps, histograms; bad input; thread independence. */
#include "util/build.h"
#include "util/check.h"
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fft_complex.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

/* The call failed with AM_ERR_VALUE and left a message. */
static void check_value_error(am_status st, const char *what)
{
    check_true(st == AM_ERR_VALUE && am_error_message()[0] != '\0', "%s -> AM_ERR_VALUE with message \"%s\"", what,
               am_error_message());
    am_clear_error();
}

/* ---------------------------------------------------------------- correlations */

static void test_pearson_spearman(void)
{
    enum { N = 1000 };
    double x[N], y[N], z[N];
    for (int i = 0; i < N; i++) {
        x[i] = 0.37 * i + 5.0 * sin(1.3 * i);
        y[i] = 3.0 * x[i] - 2.0;
        z[i] = -0.5 * x[i] + 7.0;
    }
    double r;
    check_true(am_pearson(N, x, y, &r) == AM_OK, "pearson of linear data runs");
    check_abs(r, 1.0, 1e-14, "pearson of y = 3x - 2 is +1");
    am_pearson(N, x, z, &r);
    check_abs(r, -1.0, 1e-14, "pearson of y = 7 - x/2 is -1");

    /* dx = (-2,-1,0,1,2), dy = (-1,-2,1,0,2): r = 8 / sqrt(10 * 10) */
    const double hx[5] = {1, 2, 3, 4, 5}, hy[5] = {2, 1, 4, 3, 5};
    am_pearson(5, hx, hy, &r);
    check_abs(r, 0.8, 1e-15, "pearson of a 5-point set by hand = 0.8");

    /* ranks x: 1, 2.5, 2.5, 4, 5; ranks y: 1, 4, 2.5, 2.5, 5;
     * r = 7.25 / 9.5 = 29/38 */
    const double tx[5] = {1, 2, 2, 3, 4}, ty[5] = {1, 3, 2, 2, 5};
    double rho;
    am_spearman(5, tx, ty, &rho);
    check_abs(rho, 29.0 / 38.0, 1e-15, "spearman with ties by hand = 29/38");
    for (int i = 0; i < N; i++) z[i] = exp(0.01 * x[i]);
    am_spearman(N, x, z, &rho);
    check_abs(rho, 1.0, 1e-15, "spearman of a monotone nonlinear function is 1");
}

static void bivariate(gsl_rng *g, size_t n, double rho, double *x, double *y)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = gsl_ran_gaussian(g, 1.0);
        y[i] = rho * x[i] + sqrt(1.0 - rho * rho) * gsl_ran_gaussian(g, 1.0);
    }
}

static void test_bootstrap(gsl_rng *g)
{
    enum { N = 20000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    bivariate(g, N, 0.0, x, y);
    am_corr_options o;
    am_corr_defaults(&o);
    o.seed = 42;
    am_corr c, c2;
    check_true(am_correlate(N, x, y, &o, &c) == AM_OK, "correlate 20000 independent pairs");
    const double bound = 4.0 / sqrt((double)N);
    check_true(fabs(c.pearson) < bound, "independent: |pearson| = %.4f < 4/sqrt(n) = %.4f", fabs(c.pearson), bound);
    check_true(fabs(c.spearman) < bound, "independent: |spearman| = %.4f < 4/sqrt(n)", fabs(c.spearman));
    check_true(c.pearson_lo < 0.0 && c.pearson_hi > 0.0, "independent: 95%% pearson interval [%.4f, %.4f] holds 0",
               c.pearson_lo, c.pearson_hi);
    check_true(c.spearman_lo < 0.0 && c.spearman_hi > 0.0, "independent: 95%% spearman interval [%.4f, %.4f] holds 0",
               c.spearman_lo, c.spearman_hi);
    /* r's standard error is (1 - r²)/sqrt(n): the interval is ±1.96 of it */
    check_rel(c.pearson_hi - c.pearson_lo, 2 * 1.96 / sqrt((double)N), 0.15, "independent: interval width vs 3.92/sqrt(n)");
    check_true(c.ngroups == N / 100, "independent: %zu groups of 100", c.ngroups);

    /* determinism: same seed, any thread count (on the first 3000 pairs) */
    const int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    am_correlate(3000, x, y, &o, &c);
    omp_set_num_threads(nt > 1 ? nt : 2);
    am_correlate(3000, x, y, &o, &c2);
    check_true(memcmp(&c, &c2, sizeof c) == 0, "same seed, 1 and %d threads: identical results", nt > 1 ? nt : 2);
    omp_set_num_threads(nt);
    o.seed = 43;
    am_correlate(3000, x, y, &o, &c2);
    check_true(c2.pearson_lo != c.pearson_lo && c2.pearson == c.pearson, "another seed: other interval, same r");

    /* correlated sample, ρ = 0.5: Spearman's population value is
     * (6/π) asin(ρ/2) for a bivariate normal */
    const size_t n = 2000;
    const double rho = 0.5, rho_s = 6.0 / PI * asin(rho / 2.0);
    bivariate(g, n, rho, x, y);
    o.seed = 7;
    am_correlate(n, x, y, &o, &c);
    check_true(c.pearson_lo < rho && rho < c.pearson_hi, "rho = 0.5, n = 2000: pearson %.4f, interval [%.4f, %.4f] holds 0.5",
               c.pearson, c.pearson_lo, c.pearson_hi);
    check_rel(c.pearson_hi - c.pearson_lo, 2 * 1.96 * (1 - rho * rho) / sqrt((double)n), 0.2,
              "rho = 0.5: interval width vs 3.92 (1 - rho^2)/sqrt(n)");
    check_true(c.spearman_lo < rho_s && rho_s < c.spearman_hi, "rho = 0.5: spearman %.4f, interval [%.4f, %.4f] holds %.4f",
               c.spearman, c.spearman_lo, c.spearman_hi, rho_s);
    o.nboot = 0;
    am_correlate(n, x, y, &o, &c);
    check_true(isnan(c.pearson_lo) && isnan(c.spearman_hi), "nboot = 0: intervals are NaN");
    free(x);
    free(y);
}

static void test_coarse_grain(gsl_rng *g)
{
    /* x a shuffled 0..n-1: group k's mean of x is (a + b - 1)/2 for its
     * sorted positions a..b-1, which checks every boundary */
    enum { N = 1037, G = 100 };
    double x[N], y[N], xm[N / G + 1], ym[N / G + 1];
    for (int i = 0; i < N; i++) x[i] = i;
    for (int i = N - 1; i > 0; i--) {
        const int j = (int)gsl_rng_uniform_int(g, (unsigned long)i + 1);
        const double t = x[i]; x[i] = x[j]; x[j] = t;
    }
    double ysum = 0.0;
    for (int i = 0; i < N; i++) { y[i] = x[i] * x[i] * 1e-3 + gsl_rng_uniform(g); ysum += y[i]; }
    size_t m = 0;
    const am_status cst = am_coarse_grain(N, x, y, G, &m, xm, ym);
    check_true(cst == AM_OK && m == N / G, "coarse-grain %d atoms by %d: %zu groups", N, G, m);
    int bounds_ok = 1, sizes_ok = 1;
    size_t total = 0;
    double wsum = 0.0;
    for (size_t k = 0; k < m; k++) {
        const size_t a = k * N / m, b = (k + 1) * N / m;
        bounds_ok &= xm[k] == 0.5 * (double)(a + b - 1);
        sizes_ok &= (b - a == N / m || b - a == N / m + 1);
        total += b - a;
        wsum += (double)(b - a) * ym[k];
    }
    check_true(bounds_ok, "group k holds sorted atoms floor(k n/m) .. floor((k+1) n/m) - 1");
    check_true(sizes_ok && total == N, "group sizes are 103 or 104 and add up to %zu", total);
    check_rel(wsum, ysum, 1e-13, "size-weighted group means of y add up to the sum of y: every atom counts");

    /* ties in x keep index order */
    const double tx[6] = {0, 0, 0, 0, 0, 0}, ty[6] = {0, 1, 2, 3, 4, 5};
    am_coarse_grain(6, tx, ty, 2, &m, xm, ym);
    check_true(m == 3 && ym[0] == 0.5 && ym[1] == 2.5 && ym[2] == 4.5, "ties sorted by index: means 0.5 2.5 4.5");

    check_value_error(am_coarse_grain(50, x, y, 100, &m, xm, ym), "coarse-grain 50 atoms in groups of 100");

    /* y = x + noise of 5 sigma: raw r = 1/sqrt(26); group means carry the
     * noise divided by 10, so r_cg ≈ sqrt(V / (V + 25/100)), V the
     * variance of the group means of x */
    enum { M = 20000 };
    double *bx = malloc(M * sizeof *bx), *by = malloc(M * sizeof *by);
    for (int i = 0; i < M; i++) { bx[i] = gsl_ran_gaussian(g, 1.0); by[i] = bx[i] + gsl_ran_gaussian(g, 5.0); }
    am_corr_options o;
    am_corr_defaults(&o);
    o.nboot = 0;
    am_corr c;
    am_correlate(M, bx, by, &o, &c);
    double *gx = malloc(M / 100 * sizeof *gx), *gy = malloc(M / 100 * sizeof *gy);
    am_coarse_grain(M, bx, by, 100, &m, gx, gy);
    double mean = 0.0, var = 0.0;
    for (size_t k = 0; k < m; k++) mean += gx[k] / m;
    for (size_t k = 0; k < m; k++) var += (gx[k] - mean) * (gx[k] - mean) / m;
    const double want = sqrt(var / (var + 0.25));
    check_abs(c.pearson, 1.0 / sqrt(26.0), 4 * (1 - 1.0 / 26) / sqrt((double)M), "noisy: raw r vs 1/sqrt(26) within 4 SE");
    check_abs(c.r_cg, want, 0.03, "noisy: coarse-grained r = %.3f vs sqrt(V/(V+0.25)) (raw r %.3f)", c.r_cg, c.pearson);
    check_true(c.r_cg > 4 * c.pearson, "coarse-graining raises r from %.3f to %.3f", c.pearson, c.r_cg);
    am_correlate(150, bx, by, &o, &c);
    check_true(c.ngroups == 1 && isnan(c.r_cg), "150 pairs: one group, r_cg NaN");
    am_correlate(50, bx, by, &o, &c);
    check_true(c.ngroups == 0 && isnan(c.r_cg) && isfinite(c.pearson), "50 pairs: no group, r_cg NaN, r finite");
    free(bx); free(by); free(gx); free(gy);
}

/* A resample walked as multiplicities over the sorted order groups exactly
 * like the point estimate grouping the resample written out pair by pair:
 * ties in x, copies straddling group boundaries, atoms not drawn. */
static void test_group_means_walk(void)
{
    enum { N = 60, M = 7 };
    double x[N], y[N], ex[N], ey[N], wx[M], wy[M], px[M], py[M];
    unsigned c[N] = {0};
    size_t order[N];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 31);
    for (int i = 0; i < N; i++) { x[i] = (double)(i % 5); y[i] = gsl_rng_uniform(g); }
    /* groups hold 8 or 9: atom 3's 12 copies cross a boundary */
    c[3] = 12;
    for (int k = 12; k < N; k++) c[gsl_rng_uniform_int(g, N)]++;
    gsl_rng_free(g);
    /* written out in atom order: sorting by (x, position) then orders by
     * (x, atom), copies adjacent, as the walk does */
    size_t e = 0;
    for (int i = 0; i < N; i++)
        for (unsigned k = 0; k < c[i]; k++) { ex[e] = x[i]; ey[e] = y[i]; e++; }
    size_t m = 0;
    const am_status st = am_coarse_grain(N, ex, ey, N / M, &m, px, py);
    check_true(e == N && st == AM_OK && m == M, "walk: a resample of %zu pairs in %zu groups", e, m);
    an_order(N, x, order);
    an_group_means(N, x, y, order, c, M, wx, wy);
    double dx = 0.0, dy = 0.0;
    for (int k = 0; k < M; k++) { dx = fmax(dx, fabs(wx[k] - px[k])); dy = fmax(dy, fabs(wy[k] - py[k])); }
    check_true(dx < 1e-14 && dy < 1e-14, "walk over multiplicities = grouping the written-out resample (|d| %.1e, %.1e)",
               dx, dy);
}

/* r_cg's interval on y = x + 5 noise, x and noise standard normal, 5000
 * atoms in 50 groups of 100. The population value is
 *   rho_cg = sqrt(V / (V + 25/100)),
 * V the variance of the 50 equal-probability bin means of a standard
 * normal (bin k: 50 (phi(z_k) - phi(z_k+1)), z_k its quantile bounds).
 * Resampling atoms puts the within-group scatter into the group means a
 * second time, so resampled r_cg centres near r_cg / sqrt(2 - r_cg^2), not
 * at r_cg. Monte Carlo of this setup, 2000 samples, nboot 500: rho_cg
 * 0.89395, E r_cg 0.89676 (sd 0.02147), interval width 0.1223 (sd 0.0136),
 * midpoint 0.8160 against 0.8208 from the attenuation, population value
 * covered in 15.3 %, r_cg held in 4.2 %. */
static void test_bootstrap_cg(void)
{
    enum { N = 5000, G = 100, M = N / G, S = 50 };
    const double noise = 5.0;
    /* own stream: drawing from the shared one would change every test after */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 5150);
    double V = 0.0;
    for (int k = 0; k < M; k++) {
        const double plo = k ? gsl_ran_ugaussian_pdf(gsl_cdf_ugaussian_Pinv((double)k / M)) : 0.0;
        const double phi = k + 1 < M ? gsl_ran_ugaussian_pdf(gsl_cdf_ugaussian_Pinv((double)(k + 1) / M)) : 0.0;
        V += (double)M * (plo - phi) * (plo - phi);
    }
    const double rho = sqrt(V / (V + noise * noise / G));
    check_abs(rho, 0.89395, 5e-6, "rho_cg of the test model = %.5f", rho);

    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    am_corr_options o;
    am_corr_defaults(&o);
    o.nboot = 500;
    am_corr c, c2;
    double wsum = 0.0, rsum = 0.0;
    int covers = 0, holds = 0, ordered = 1;
    for (int t = 0; t < S; t++) {
        for (int i = 0; i < N; i++) { x[i] = gsl_ran_gaussian(g, 1.0); y[i] = x[i] + gsl_ran_gaussian(g, noise); }
        o.seed = (unsigned long)t + 1;
        am_correlate(N, x, y, &o, &c);
        if (t == 0) {
            check_abs(c.r_cg, 0.912309925609813, 1e-12, "golden: r_cg = %.15f", c.r_cg);
            check_abs(c.r_cg_lo, 0.854999117930272, 1e-12, "golden: r_cg_lo = %.15f", c.r_cg_lo);
            check_abs(c.r_cg_hi, 0.948996711648120, 1e-12, "golden: r_cg_hi = %.15f", c.r_cg_hi);
            const int nt = omp_get_max_threads();
            omp_set_num_threads(1);
            am_correlate(N, x, y, &o, &c2);
            omp_set_num_threads(nt > 1 ? nt : 2);
            am_correlate(N, x, y, &o, &c);
            omp_set_num_threads(nt);
            check_true(memcmp(&c, &c2, sizeof c) == 0 && isfinite(c.r_cg_lo),
                       "r_cg interval [%.4f, %.4f]: identical with 1 and %d threads", c.r_cg_lo, c.r_cg_hi,
                       nt > 1 ? nt : 2);
        }
        ordered &= c.r_cg_lo <= c.r_cg_hi;
        wsum += c.r_cg_hi - c.r_cg_lo;
        rsum += c.r_cg;
        covers += c.r_cg_lo <= rho && rho <= c.r_cg_hi;
        holds += c.r_cg_lo <= c.r_cg && c.r_cg <= c.r_cg_hi;
    }
    const double width = wsum / S, rmean = rsum / S;
    check_true(ordered, "%d samples: every r_cg interval is ordered", S);
    check_abs(rmean, rho, 3 * 0.02147 / sqrt((double)S), "mean r_cg %.4f vs rho_cg %.4f within 3 SE", rmean, rho);
    /* a calibrated 95 % interval is about 3.92 sd(r_cg) = 0.084 wide (r_cg's
     * spread from a 2000-sample Monte Carlo, 0.02147); the group-pair
     * percentile interval of r near 0.9 is skewed and wider (1.3 times, measured), so allow ±35 % */
    check_abs(width, 3.92 * 0.02147, 0.35 * 3.92 * 0.02147, "mean interval width %.4f vs 3.92 sd(r_cg) = %.4f", width,
              3.92 * 0.02147);
    /* binomial(50, 0.95): 44 or more covers in 96 % of runs; the test's seeds are fixed */
    check_true(covers >= 43, "group resampling: the 95%% interval covers rho_cg in %d of %d samples", covers, S);
    check_true(holds >= 45, "the interval holds r_cg itself in %d of %d samples", holds, S);

    o.nboot = 0;
    am_correlate(N, x, y, &o, &c);
    check_true(isfinite(c.r_cg) && isnan(c.r_cg_lo) && isnan(c.r_cg_hi), "nboot = 0: r_cg %.3f, no interval", c.r_cg);
    o.nboot = 200;
    am_correlate(2 * G + G / 2, x, y, &o, &c);
    check_true(c.ngroups == 2 && isnan(c.r_cg_lo) && isnan(c.r_cg_hi) && isfinite(c.pearson_lo),
               "2 groups: no r_cg interval, r's interval %.3f", c.pearson_lo);
    am_correlate(3 * G, x, y, &o, &c);
    check_true(c.ngroups == 3 && isfinite(c.r_cg_lo) && isfinite(c.r_cg_hi), "3 groups: r_cg interval [%.3f, %.3f]",
               c.r_cg_lo, c.r_cg_hi);
    free(x);
    free(y);
    gsl_rng_free(g);
}

/* ---------------------------------------------------------------- autocorrelation */

/* Eq. 4 by brute force: every ordered pair of selected atoms over every
 * periodic image (the atom with itself only at a nonzero lattice vector). */
static void autocorr_brute(const am_system *s, const double *a, const unsigned char *sel, double rmax, double dr,
                           size_t nbins, double *c, size_t *pairs)
{
    const size_t n = s->n;
    double mean = 0.0, var = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!sel || sel[i]) { mean += a[i]; m++; }
    mean /= m;
    for (size_t i = 0; i < n; i++)
        if (!sel || sel[i]) var += (a[i] - mean) * (a[i] - mean);
    var /= m;
    const am_box *b = &s->box;
    const double cell[3][3] = {{b->len[0], 0, 0}, {b->tilt[0], b->len[1], 0}, {b->tilt[1], b->tilt[2], b->len[2]}};
    double w[3];
    am_box_widths(b, w);
    /* below half the width of an orthogonal box only the minimum image can
     * be that close */
    const int minimg = rmax < 0.5 * fmin(w[0], fmin(w[1], w[2])) && !am_box_is_triclinic(b);
    const int M = minimg ? 0 : (int)ceil(rmax / fmin(w[0], fmin(w[1], w[2]))) + 1;
    double *sum = calloc(nbins, sizeof *sum);
    size_t *cnt = calloc(nbins, sizeof *cnt);
    for (size_t i = 0; i < n; i++) {
        if (sel && !sel[i]) continue;
        for (size_t j = 0; j < n; j++) {
            if (sel && !sel[j]) continue;
            for (int p = -M; p <= M; p++)
                for (int q = -M; q <= M; q++)
                    for (int t = -M; t <= M; t++) {
                        if (i == j && !p && !q && !t) continue;
                        double d[3];
                        for (int k = 0; k < 3; k++) d[k] = p * cell[0][k] + q * cell[1][k] + t * cell[2][k];
                        d[0] += s->x[j] - s->x[i];
                        d[1] += s->y[j] - s->y[i];
                        d[2] += s->z[j] - s->z[i];
                        if (minimg) am_box_min_image(b, d);
                        const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                        if (!(r < rmax)) continue;
                        const size_t bin = (size_t)(r / dr);
                        if (bin >= nbins) continue;
                        sum[bin] += (a[i] - mean) * (a[j] - mean) / var;
                        cnt[bin]++;
                    }
        }
    }
    for (size_t k = 0; k < nbins; k++) {
        c[k] = cnt[k] ? sum[k] / cnt[k] : NAN;
        pairs[k] = cnt[k] / 2;
    }
    free(sum);
    free(cnt);
}

/* max |C - C_ref| over bins, and whether pair counts and empty bins agree */
static double compare_brute(const am_autocorr *ac, const double *c, const size_t *pairs, int *same_pairs)
{
    double dmax = 0.0;
    *same_pairs = 1;
    for (size_t b = 0; b < ac->nbins; b++) {
        *same_pairs &= ac->pairs[b] == pairs[b] && isnan(ac->c[b]) == isnan(c[b]);
        if (!isnan(c[b])) dmax = fmax(dmax, fabs(ac->c[b] - c[b]));
    }
    return dmax;
}

static void test_autocorr_brute(gsl_rng *g)
{
    /* a small sheared box, rmax beyond half of it: images of j and of i
     * itself count; a species selection */
    am_system *s = build_lattice("sc", 2.0, 4, 4, 4, "Cu,Zr");
    rattle(s, 0.4, 3);
    shear_box(s, 1.1, -0.7, 0.5);
    double a[64];
    unsigned char sel[64];
    for (int i = 0; i < 64; i++) { a[i] = gsl_ran_gaussian(g, 1.0) + 0.02 * s->x[i]; sel[i] = s->type[i] == 0; }
    const double rmax = 6.5, dr = 0.25;
    const size_t nbins = 26;
    double c[26];
    size_t pairs[26];
    am_autocorr *ac;
    for (int pass = 0; pass < 2; pass++) {
        const unsigned char *sp = pass ? sel : NULL;
        check_true(am_autocorr_compute(s, a, 1, sp, rmax, dr, &ac) == AM_OK && ac->nbins == nbins,
                   "autocorr on a sheared 64-atom box, rmax 6.5 A > half box%s", pass ? ", Cu only" : "");
        autocorr_brute(s, a, sp, rmax, dr, nbins, c, pairs);
        int same;
        const double d = compare_brute(ac, c, pairs, &same);
        check_true(same, "pair counts and empty bins equal the brute-force loop over images");
        check_abs(d, 0.0, 1e-12, "C(r) equals the brute-force Eq. 4 in every bin");
        check_abs(ac->r[3], 3.5 * dr, 1e-15, "bin centres at (b + 1/2) dr");
        am_autocorr_free(ac);
    }
    am_system_free(s);

    /* the shipped glass, Cu only, rmax 9 A (under half the 33 A box) */
    s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (!s) { check_true(0, "load the 2000-atom glass"); return; }
    double *v = malloc(s->n * sizeof *v);
    unsigned char *cu = malloc(s->n);
    for (size_t i = 0; i < s->n; i++) {
        v[i] = sin(2 * PI * s->x[i] / s->box.len[0]) + 0.5 * gsl_ran_gaussian(g, 1.0);
        cu[i] = s->type[i] == 0;
    }
    double gc[60];
    size_t gp[60];
    check_true(am_autocorr_compute(s, v, 1, cu, 9.0, 0.15, &ac) == AM_OK, "autocorr on the glass, Cu only");
    autocorr_brute(s, v, cu, 9.0, 0.15, 60, gc, gp);
    int same;
    const double d = compare_brute(ac, gc, gp, &same);
    size_t tot = 0;
    for (size_t b = 0; b < ac->nbins; b++) tot += ac->pairs[b];
    check_true(same, "glass: pair counts equal brute force (%zu Cu-Cu pairs within 9 A)", tot);
    check_abs(d, 0.0, 1e-12, "glass: C(r) equals brute force");

    /* bit-identical for 1 and 2 threads */
    const int nt = omp_get_max_threads();
    am_autocorr *a1, *a2;
    omp_set_num_threads(1);
    am_autocorr_compute(s, v, 1, NULL, 12.0, 0.1, &a1);
    omp_set_num_threads(2);
    am_autocorr_compute(s, v, 1, NULL, 12.0, 0.1, &a2);
    omp_set_num_threads(nt);
    check_true(a1->nbins == a2->nbins && !memcmp(a1->c, a2->c, a1->nbins * sizeof *a1->c) &&
                   !memcmp(a1->pairs, a2->pairs, a1->nbins * sizeof *a1->pairs),
               "glass: C(r) bit-identical with 1 and 2 threads");
    am_autocorr_free(a1);
    am_autocorr_free(a2);
    am_autocorr_free(ac);
    free(v);
    free(cu);
    am_system_free(s);
}

/* Lattice vectors of an sc lattice (spacing 1) shorter than rmax/a, as
 * (dx, dy, dz) triples; returns their number. */
static int lattice_vectors(double rcut, int (*v)[3], int cap)
{
    const int m = (int)ceil(rcut);
    int k = 0;
    for (int x = -m; x <= m; x++)
        for (int y = -m; y <= m; y++)
            for (int z = -m; z <= m; z++) {
                const double r = sqrt((double)(x * x + y * y + z * z));
                if ((x || y || z) && r < rcut && k < cap) { v[k][0] = x; v[k][1] = y; v[k][2] = z; k++; }
            }
    return k;
}

static int same_or_nan(double a, double b) { return a == b || (isnan(a) && isnan(b)); }

static void test_autocorr_lattice(gsl_rng *g)
{
    /* shell multiplicities of sc: |d|² = 1, 2, 3, 4, 5, 6, 8, 9 */
    const int L = 6;
    const double a = 2.0, dr = 0.13, rmax = 6.2; /* 3.1 a: beyond half the 12 A box */
    am_system *s = build_lattice("sc", a, L, L, L, "Cu");
    const size_t n = s->n;
    double *v = malloc(3 * n * sizeof *v), *w = malloc(3 * n * sizeof *w);
    for (size_t i = 0; i < 3 * n; i++) v[i] = gsl_ran_gaussian(g, 1.0);
    am_autocorr *ac;
    am_autocorr_compute(s, v, 1, NULL, rmax, dr, &ac);
    const int d2[8] = {1, 2, 3, 4, 5, 6, 8, 9}, mult[8] = {6, 12, 8, 6, 24, 24, 12, 30};
    int ok = 1;
    size_t nonempty = 0;
    for (size_t b = 0; b < ac->nbins; b++) nonempty += ac->pairs[b] > 0;
    for (int k = 0; k < 8; k++) {
        const size_t b = (size_t)(sqrt((double)d2[k]) * a / dr);
        if (ac->pairs[b] != (size_t)mult[k] * n / 2) ok = 0;
        printf("  shell |d|^2 = %d: %zu pairs (want %d x %zu / 2)\n", d2[k], ac->pairs[b], mult[k], n);
    }
    check_true(ok && nonempty == 8, "sc pair counts = multiplicity x N / 2 for the 8 shells (30 at 3a counts both images)");

    /* white noise: C ≈ 0 within 1/sqrt(pairs) per bin */
    double worst = 0.0;
    for (size_t b = 0; b < ac->nbins; b++)
        if (ac->pairs[b]) worst = fmax(worst, fabs(ac->c[b]) * sqrt((double)ac->pairs[b]));
    check_true(worst < 4.0, "white noise: max |C| sqrt(pairs) = %.2f < 4 over 8 shells", worst);

    /* 70 000 bins do not fit the 16-bit bins kept between passes: each pass
     * computes them. The same pairs, products and blocks either way. */
    {
        am_autocorr_options o;
        am_autocorr_defaults(&o);
        am_autocorr *kept = NULL, *fine = NULL;
        am_autocorr_compute_ex(s, v, 1, NULL, rmax, dr, &o, &kept);
        am_autocorr_compute_ex(s, v, 1, NULL, rmax, rmax / 70000.0, &o, &fine);
        if (check_true(kept && fine && fine->nbins == 70000, "C(r) in 70 000 bins")) {
            double tot[2][2] = {{0, 0}, {0, 0}}; /* (Σ products, Σ block products) */
            size_t pairs[2] = {0, 0};
            const am_autocorr *c2[2] = {kept, fine};
            for (int k = 0; k < 2; k++) {
                for (size_t b = 0; b < c2[k]->nbins; b++)
                    if (c2[k]->pairs[b]) {
                        tot[k][0] += c2[k]->c[b] * 2.0 * (double)c2[k]->pairs[b];
                        pairs[k] += c2[k]->pairs[b];
                    }
                for (size_t q = 0; q < (size_t)c2[k]->nblocks * c2[k]->nbins; q++) tot[k][1] += c2[k]->block_sum[q];
            }
            check_true(pairs[0] == pairs[1], "as many pairs in 70 000 bins as in %zu (%zu, %zu)", kept->nbins, pairs[0],
                       pairs[1]);
            check_abs(tot[1][0], tot[0][0], 1e-9 * fabs(tot[0][0]) + 1e-9, "the same sum of products");
            check_abs(tot[1][1], tot[0][1], 1e-9 * fabs(tot[0][1]) + 1e-9, "the same sum over the spatial blocks");
            check_true(fine->nshuffle == 20 && isfinite(fine->noise[(size_t)(a / (rmax / 70000.0))]),
                       "shuffled noise in the first shell's bin");
        }
        am_autocorr_free(kept);
        am_autocorr_free(fine);
    }

    /* ncomp = 3 is the mean of the three single-component functions */
    am_autocorr *c3, *c1[3];
    am_autocorr_compute(s, v, 3, NULL, rmax, dr, &c3);
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < n; i++) w[i] = v[3 * i + k];
        am_autocorr_compute(s, w, 1, NULL, rmax, dr, &c1[k]);
    }
    double dmax = 0.0;
    for (size_t b = 0; b < c3->nbins; b++)
        if (c3->pairs[b]) dmax = fmax(dmax, fabs(c3->c[b] - (c1[0]->c[b] + c1[1]->c[b] + c1[2]->c[b]) / 3.0));
    check_abs(dmax, 0.0, 1e-14, "ncomp = 3: C equals the mean of three single-component calls");
    for (int k = 0; k < 3; k++) am_autocorr_free(c1[k]);
    am_autocorr_free(c3);

    /* shared pairs: each quantity's C(r), noise and block sums bit for bit
     * those of its own am_autocorr_compute_ex, for 1 and 3 components and a
     * selection (copied: changing the caller's flags afterwards changes
     * nothing) */
    {
        am_autocorr_options o;
        am_autocorr_defaults(&o);
        unsigned char *sel = malloc(n);
        for (size_t i = 0; i < n; i++) sel[i] = (unsigned char)(i % 3 != 0);
        for (size_t i = 0; i < n; i++) w[i] = v[3 * i + 1] * v[3 * i + 2];
        struct { const double *a; int ncomp; const unsigned char *sel; } q[4] = {
            {v, 1, NULL}, {w, 1, NULL}, {v, 3, NULL}, {v, 1, sel}};
        am_autocorr_pairs *all = NULL, *some = NULL;
        const int made = am_autocorr_pairs_create(s, NULL, rmax, dr, &o, &all) == AM_OK &&
                         am_autocorr_pairs_create(s, sel, rmax, dr, &o, &some) == AM_OK;
        if (check_true(made, "pairs for all atoms and for two thirds (%s)", am_error_message())) {
            memset(sel, 1, n); /* the pairs kept their own copy */
            for (int k = 0; k < 4; k++) {
                am_autocorr *own = NULL, *shared = NULL;
                am_autocorr_compute_pairs(q[k].sel ? some : all, q[k].a, q[k].ncomp, &shared);
                if (k == 3) for (size_t i = 0; i < n; i++) sel[i] = (unsigned char)(i % 3 != 0);
                am_autocorr_compute_ex(s, q[k].a, q[k].ncomp, q[k].sel, rmax, dr, &o, &own);
                int same = own && shared && own->nbins == shared->nbins && own->nblocks == shared->nblocks &&
                           own->nblocks == 27 && shared->nshuffle == 20 && own->volume == shared->volume;
                for (size_t b = 0; same && b < own->nbins; b++) {
                    same &= own->pairs[b] == shared->pairs[b] && same_or_nan(own->noise[b], shared->noise[b]) &&
                            same_or_nan(own->c[b], shared->c[b]);
                    for (int z = 0; z < own->nblocks; z++)
                        same &= own->block_sum[(size_t)z * own->nbins + b] == shared->block_sum[(size_t)z * own->nbins + b];
                }
                check_true(same, "shared pairs, quantity %d (%d components%s): identical to its own computation", k,
                           q[k].ncomp, q[k].sel ? ", two thirds of the atoms" : "");
                if (k == 1 && own && shared) {
                    size_t b1 = (size_t)(a / dr);
                    check_true(own->c[b1] != 0.0 && shared->c[b1] == own->c[b1],
                               "a second quantity on the same pairs: first shell C %.6f", shared->c[b1]);
                }
                am_autocorr_free(own);
                am_autocorr_free(shared);
            }
            am_autocorr *none = NULL;
            check_true(am_autocorr_compute_pairs(all, v, 0, &none) == AM_ERR_VALUE && !none,
                       "0 components refused on shared pairs");
            w[4] = NAN;
            check_true(am_autocorr_compute_pairs(all, w, 1, &none) == AM_ERR_VALUE && !none &&
                           strstr(am_error_message(), "of atom 5 (component 0) is not finite"),
                       "a value that is not finite is named on shared pairs (%s)", am_error_message());
        }
        am_autocorr_pairs_free(all);
        am_autocorr_pairs_free(some);
        free(sel);
    }
    am_autocorr_free(ac);
    am_system_free(s);

    /* plane waves A_c = cos(q_c · r) with mean 0: Σ_i ΔA_i ΔA_{i+d} / Σ ΔA² =
     * cos(q_c · d) exactly, so C of a bin is the mean of cos(q·d) over its
     * lattice vectors d. A 4-cell box with rmax 2.3 a: all images count. */
    const int L4 = 4;
    const double r4 = 2.3 * a;
    s = build_lattice("sc", a, L4, L4, L4, "Cu");
    const size_t n4 = s->n;
    const int kw[3] = {1, 2, 1}; /* wave numbers along x, y, z */
    for (size_t i = 0; i < n4; i++) {
        const double f[3] = {s->x[i] / (L4 * a), s->y[i] / (L4 * a), s->z[i] / (L4 * a)};
        for (int c = 0; c < 3; c++) v[3 * i + c] = cos(2 * PI * kw[c] * f[c]);
    }
    int vec[400][3];
    const int nv = lattice_vectors(2.3, vec, 400);
    am_autocorr_compute(s, v, 3, NULL, r4, dr, &ac);
    double *want = calloc(ac->nbins, sizeof *want);
    size_t *cnt = calloc(ac->nbins, sizeof *cnt);
    for (int k = 0; k < nv; k++) {
        const size_t b = (size_t)(sqrt((double)(vec[k][0] * vec[k][0] + vec[k][1] * vec[k][1] + vec[k][2] * vec[k][2])) * a / dr);
        for (int c = 0; c < 3; c++) want[b] += cos(2 * PI * kw[c] * vec[k][c] / L4) / 3.0;
        cnt[b]++;
    }
    ok = 1;
    dmax = 0.0;
    for (size_t b = 0; b < ac->nbins; b++) {
        ok &= ac->pairs[b] == cnt[b] * n4 / 2;
        if (cnt[b]) dmax = fmax(dmax, fabs(ac->c[b] - want[b] / cnt[b]));
        else ok &= isnan(ac->c[b]);
    }
    check_true(ok && nv == 6 + 12 + 8 + 6 + 24, "plane waves, 4-cell box: pair counts of all %d lattice vectors", nv);
    check_abs(dmax, 0.0, 1e-13, "plane waves (ncomp 3): C = mean cos(q.d) over each shell (first shell %.6f)",
              ac->c[(size_t)(a / dr)]);
    free(want);
    free(cnt);
    am_autocorr_free(ac);
    free(v);
    free(w);
    am_system_free(s);
}

/* 3-D FFT of L³ complex values (interleaved, index (x L + y) L + z), in
 * place, L a power of 2: one complete pass per axis. */
static void fft3(double *d, int L, int inverse)
{
    const size_t LL = (size_t)L * L;
    for (int axis = 0; axis < 3; axis++)
        for (int p = 0; p < L; p++)
            for (int q = 0; q < L; q++) {
                /* line start and stride (in complex elements) of axis z, y, x */
                const size_t start = axis == 0 ? ((size_t)p * L + q) * L : axis == 1 ? (size_t)p * LL + q : (size_t)p * L + q;
                const size_t stride = axis == 0 ? 1 : axis == 1 ? (size_t)L : LL;
                if (inverse) gsl_fft_complex_radix2_inverse(d + 2 * start, stride, L);
                else gsl_fft_complex_radix2_forward(d + 2 * start, stride, L);
            }
}

/* Gaussian random field with covariance c(d) = exp(−|d| a/ξ), periodised
 * over the L-cell box, by circulant embedding: A = F⁻¹ √λ F w with w white
 * and λ = F c (≥ 0: the 3-D Fourier transform of exp(−r/ξ) is positive).
 * The k = 0 mode is dropped, so the field's mean is exactly 0 and its
 * covariance is c(d) − λ0/N. */
typedef struct grf { int L; double a, xi, lam0; double *lam, *cov; } grf;

static double periodic_cov(const grf *f, int x, int y, int z)
{
    double c = 0.0;
    for (int p = -2; p <= 2; p++)
        for (int q = -2; q <= 2; q++)
            for (int t = -2; t <= 2; t++) {
                const double dx = x + p * f->L, dy = y + q * f->L, dz = z + t * f->L;
                c += exp(-sqrt(dx * dx + dy * dy + dz * dz) * f->a / f->xi);
            }
    return c;
}

static void grf_setup(grf *f)
{
    const int L = f->L;
    const size_t N = (size_t)L * L * L;
    f->lam = malloc(N * sizeof *f->lam);
    f->cov = malloc(N * sizeof *f->cov);
    double *d = calloc(2 * N, sizeof *d);
    for (int x = 0; x < L; x++)
        for (int y = 0; y < L; y++)
            for (int z = 0; z < L; z++) d[2 * ((size_t)(x * L + y) * L + z)] = f->cov[(size_t)(x * L + y) * L + z] = periodic_cov(f, x, y, z);
    fft3(d, L, 0);
    double lmin = 0.0;
    for (size_t k = 0; k < N; k++) { f->lam[k] = d[2 * k]; lmin = fmin(lmin, f->lam[k]); }
    f->lam0 = f->lam[0];
    printf("  field: L = %d, xi = %g A, lambda0 = %.3f, min eigenvalue %.2e\n", L, f->xi, f->lam0, lmin);
    free(d);
}

static void grf_sample(const grf *f, gsl_rng *g, double *out)
{
    const int L = f->L;
    const size_t N = (size_t)L * L * L;
    double *d = malloc(2 * N * sizeof *d);
    for (size_t k = 0; k < N; k++) { d[2 * k] = gsl_ran_gaussian(g, 1.0); d[2 * k + 1] = 0.0; }
    fft3(d, L, 0);
    for (size_t k = 0; k < N; k++) {
        const double s = k ? sqrt(fmax(f->lam[k], 0.0)) : 0.0;
        d[2 * k] *= s;
        d[2 * k + 1] *= s;
    }
    fft3(d, L, 1);
    for (size_t k = 0; k < N; k++) out[k] = d[2 * k];
    free(d);
}

static void test_autocorr_field(gsl_rng *g)
{
    grf f = {.L = 32, .a = 2.5, .xi = 2.5};
    grf_setup(&f);
    const int L = f.L;
    const size_t N = (size_t)L * L * L;
    const double rmax = 7.0, dr = 0.13, fit_lo = 3.0, fit_hi = 6.5;
    am_system *s = build_lattice("sc", f.a, L, L, L, "Cu");

    /* the exact expectation of each bin: (c(d) − λ0/N) / (c(0) − λ0/N)
     * averaged over the bin's lattice vectors (rmax < L a / 2: minimum images) */
    const size_t nbins = (size_t)ceil(rmax / dr - 1e-9);
    double *ec = calloc(nbins, sizeof *ec), *er = malloc(nbins * sizeof *er);
    size_t *ep = calloc(nbins, sizeof *ep);
    static int vec[2000][3];
    const int nv = lattice_vectors(rmax / f.a, vec, 2000);
    const double c0 = f.cov[0] - f.lam0 / N;
    for (int k = 0; k < nv; k++) {
        const int x = (vec[k][0] + L) % L, y = (vec[k][1] + L) % L, z = (vec[k][2] + L) % L;
        const double r = sqrt((double)(vec[k][0] * vec[k][0] + vec[k][1] * vec[k][1] + vec[k][2] * vec[k][2])) * f.a;
        const size_t b = (size_t)(r / dr);
        ec[b] += (f.cov[(size_t)(x * L + y) * L + z] - f.lam0 / N) / c0;
        ep[b]++;
    }
    for (size_t b = 0; b < nbins; b++) {
        er[b] = (b + 0.5) * dr;
        ec[b] = ep[b] ? ec[b] / ep[b] : NAN;
        ep[b] = ep[b] * N / 2;
    }
    am_autocorr expect = {.nbins = nbins, .dr = dr, .rmax = rmax, .r = er, .c = ec, .pairs = ep};
    am_expfit fe;
    am_autocorr_fit(&expect, fit_lo, fit_hi, &fe);
    printf("  expected C(r): fit xi = %.4f A (true %.1f; the sample mean's removal shifts C by -%.4f)\n", fe.xi, f.xi,
           f.lam0 / N / c0);
    check_rel(fe.xi, f.xi, 0.01, "expected C(r) of the field fits the covariance's xi within 1%%");

    /* independent realisations: mean fitted ξ and first-shell C against the
     * expectation, within 4 standard errors of their scatter */
    enum { K = 6 };
    double xi[K], c1[K], err = 0.0, *v = malloc(N * sizeof *v);
    const size_t b1 = (size_t)(f.a / dr);
    for (int k = 0; k < K; k++) {
        grf_sample(&f, g, v);
        am_autocorr *ac;
        am_expfit fit;
        am_autocorr_compute(s, v, 1, NULL, rmax, dr, &ac);
        am_autocorr_fit(ac, fit_lo, fit_hi, &fit);
        xi[k] = fit.xi;
        err += fit.xi_err / K;
        c1[k] = ac->c[b1];
        am_autocorr_free(ac);
    }
    double mx = 0, sx = 0, mc = 0, sc = 0;
    for (int k = 0; k < K; k++) { mx += xi[k] / K; mc += c1[k] / K; }
    for (int k = 0; k < K; k++) { sx += (xi[k] - mx) * (xi[k] - mx) / (K - 1); sc += (c1[k] - mc) * (c1[k] - mc) / (K - 1); }
    const double se_x = sqrt(sx / K), se_c = sqrt(sc / K);
    printf("  one realisation: xi scatter %.4f A, the fit's own xi_err %.4f A on average\n", sqrt(sx), err);
    check_abs(mx, fe.xi, 4 * se_x, "random field: mean fitted xi over %d realisations %.4f +- %.4f vs expected %.4f", K, mx,
              se_x, fe.xi);
    check_abs(mc, ec[b1], 4 * se_c, "random field: mean C(a) %.4f +- %.4f vs expected %.4f", mc, se_c, ec[b1]);
    check_true(se_x < 0.03 * fe.xi, "random field: the test resolves xi to %.1f%%", 100 * se_x / fe.xi);
    free(v);
    free(ec); free(er); free(ep);
    free(f.lam); free(f.cov);
    am_system_free(s);
}

/* The correlation length of am_corrlength_estimate on Gaussian fields with
 * an exponential covariance of known ξ (2, 4, 8 Å), each in a cell 12 ξ
 * wide. One such cell fixes C(r) only to about sqrt(π ξ³ / V) ≈ 0.04 (its
 * errors are correlated over r, a few ξ), too coarse for ξ to 10 %, so the
 * estimator runs on 64 cells pooled: their block sums side by side (K × 27
 * blocks) and their shuffled fields averaged, i.e. exactly what one cell K
 * times larger would give up to its boundaries. ξ must come out within 10 %
 * with an interval that holds it; a field of independent values must give
 * no length. Also: compute_ex's C(r) equals compute's bit for bit, and the
 * shuffled fields' noise is about 1/sqrt(pairs) for independent values. */
enum { POOL = 64 };
static am_autocorr *pool(am_autocorr **ac, int K)
{
    const size_t nb = ac[0]->nbins;
    const int S = ac[0]->nshuffle, B = ac[0]->nblocks;
    am_autocorr *p = calloc(1, sizeof *p);
    *p = *ac[0];
    p->c = calloc(nb, sizeof *p->c);
    p->pairs = calloc(nb, sizeof *p->pairs);
    p->shuffled = calloc((size_t)S * nb, sizeof *p->shuffled);
    p->noise = calloc(nb, sizeof *p->noise);
    p->nblocks = K * B;
    p->block_sum = malloc((size_t)K * B * nb * sizeof *p->block_sum);
    p->block_cnt = malloc((size_t)K * B * nb * sizeof *p->block_cnt);
    p->r = malloc(nb * sizeof *p->r);
    memcpy(p->r, ac[0]->r, nb * sizeof *p->r);
    for (int k = 0; k < K; k++) {
        memcpy(p->block_sum + (size_t)k * B * nb, ac[k]->block_sum, (size_t)B * nb * sizeof *p->block_sum);
        memcpy(p->block_cnt + (size_t)k * B * nb, ac[k]->block_cnt, (size_t)B * nb * sizeof *p->block_cnt);
        for (size_t b = 0; b < nb; b++) {
            p->pairs[b] += ac[k]->pairs[b];
            for (int q = 0; q < S; q++) p->shuffled[(size_t)q * nb + b] += ac[k]->shuffled[(size_t)q * nb + b] / K;
        }
    }
    for (size_t b = 0; b < nb; b++) {
        double sv = 0.0, sn = 0.0, m1 = 0.0, m2 = 0.0;
        for (int q = 0; q < p->nblocks; q++) { sv += p->block_sum[(size_t)q * nb + b]; sn += (double)p->block_cnt[(size_t)q * nb + b]; }
        p->c[b] = sn > 0 ? sv / sn : NAN;
        for (int q = 0; q < S; q++) { const double v = p->shuffled[(size_t)q * nb + b]; m1 += v / S; m2 += v * v / S; }
        p->noise[b] = sqrt(fmax(m2 - m1 * m1, 0.0) * S / (S - 1));
    }
    return p;
}

static void test_corrlength(gsl_rng *g)
{
    static const struct { double xi, a, dr, rmax; } cases[] = {{2.0, 1.5, 0.1, 6.0}, {4.0, 3.0, 0.2, 12.0},
                                                               {8.0, 6.0, 0.4, 24.0}};
    am_autocorr_options o;
    am_autocorr_defaults(&o);
    o.nshuffle = 8;
    for (int t = 0; t < 3; t++) {
        grf f = {.L = 16, .a = cases[t].a, .xi = cases[t].xi};
        grf_setup(&f);
        const size_t N = (size_t)f.L * f.L * f.L;
        am_system *s = build_lattice("sc", f.a, f.L, f.L, f.L, "Cu");
        double *v = malloc(N * sizeof *v);
        am_autocorr *ac[POOL];
        for (int k = 0; k < POOL; k++) {
            grf_sample(&f, g, v);
            o.seed = (unsigned long)k + 1;
            check_true(am_autocorr_compute_ex(s, v, 1, NULL, cases[t].rmax, cases[t].dr, &o, &ac[k]) == AM_OK,
                       "autocorr with noise and blocks, xi %g, cell %d", f.xi, k);
        }
        if (t == 0) {
            am_autocorr *plain = NULL;
            am_autocorr_compute(s, v, 1, NULL, cases[t].rmax, cases[t].dr, &plain);
            int same = 1;
            for (size_t b = 0; b < plain->nbins; b++)
                same &= (isnan(ac[POOL - 1]->c[b]) && isnan(plain->c[b])) || ac[POOL - 1]->c[b] == plain->c[b];
            check_true(same && ac[0]->nblocks == 27 && ac[0]->nshuffle == 8, "compute_ex: the same C(r) bit for bit");
            am_autocorr_free(plain);
        }
        am_autocorr *p = pool(ac, POOL);
        am_corrlength cl;
        const am_status sc = am_corrlength_estimate(p, f.a, 0.0, 200, 7, &cl);
        check_true(sc == AM_OK && cl.supported, "xi %g: supported", f.xi);
        printf("  field xi %.1f A, %d cells: estimated %.3f A [%.3f, %.3f], C0 %.3f, range %.1f-%.1f A (%d bins, "
               "%d resamples)\n", f.xi, POOL, cl.xi, cl.xi_lo, cl.xi_hi, cl.c0, cl.rmin, cl.rmax, cl.nbins, cl.nboot_ok);
        check_rel(cl.xi, f.xi, 0.10, "synthetic field: xi %.3f A within 10%% of %.1f A", cl.xi, f.xi);
        /* the interval holds the estimate and is informative; it does not
         * always hold the true ξ: each cell's own mean, removed from all of
         * its blocks alike, is an error that resampling blocks cannot see
         * (docs/analysis.md) */
        check_true(cl.xi_lo < cl.xi && cl.xi < cl.xi_hi && cl.xi_hi - cl.xi_lo < 0.3 * f.xi,
                   "synthetic field: 95%% interval [%.3f, %.3f] about %.3f narrower than 0.3 xi", cl.xi_lo, cl.xi_hi,
                   cl.xi);
        am_autocorr_free(p);
        for (int k = 0; k < POOL; k++) am_autocorr_free(ac[k]);
        if (t == 0) {
            /* independent values on the same lattice: no length */
            for (size_t i = 0; i < N; i++) v[i] = gsl_ran_gaussian(g, 1.0);
            am_autocorr *wn = NULL;
            am_autocorr_compute_ex(s, v, 1, NULL, cases[t].rmax, cases[t].dr, &o, &wn);
            am_corrlength cw;
            const am_status sw = am_corrlength_estimate(wn, f.a, 0.0, 200, 7, &cw);
            check_true(sw == AM_OK && !cw.supported && isnan(cw.xi),
                       "independent values: no correlation length (got supported %d, xi %g)", cw.supported, cw.xi);
            /* the noise of a bin of P independent products is about 1/sqrt(P) */
            size_t b = (size_t)(5.0 / cases[t].dr);
            while (!wn->pairs[b]) b++;
            check_rel(wn->noise[b] * sqrt((double)wn->pairs[b]), 1.0, 0.6,
                      "independent values: noise %.4f at %.2f A against 1/sqrt(%zu pairs)", wn->noise[b], wn->r[b],
                      wn->pairs[b]);
            am_autocorr_free(wn);
            am_autocorr *bare = NULL;
            am_autocorr_compute(s, v, 1, NULL, cases[t].rmax, cases[t].dr, &bare);
            check_true(am_corrlength_estimate(bare, f.a, 0.0, 200, 7, &cw) == AM_ERR_VALUE,
                       "corrlength without noise or blocks is refused");
            am_autocorr_free(bare);
        }
        free(v);
        free(f.lam); free(f.cov);
        am_system_free(s);
    }
}

static void test_fit(void)
{
    enum { NB = 80 };
    double r[NB], c[NB];
    size_t p[NB];
    const double dr = 0.15, C0 = 0.83, XI = 3.7;
    for (int b = 0; b < NB; b++) {
        r[b] = (b + 0.5) * dr;
        c[b] = C0 * exp(-r[b] / XI);
        p[b] = 50 + 7 * (size_t)(b * b);
    }
    am_autocorr ac = {.nbins = NB, .dr = dr, .rmax = NB * dr, .r = r, .c = c, .pairs = p};
    am_expfit f;
    check_true(am_autocorr_fit(&ac, 2.0, 10.0, &f) == AM_OK, "fit noiseless exponential");
    check_rel(f.c0, C0, 1e-8, "noiseless: C0 recovered");
    check_rel(f.xi, XI, 1e-8, "noiseless: xi recovered");
    check_rel(f.rc, 3 * XI, 1e-8, "r_c = 3 xi");
    check_true(f.nbins == 54 && f.rmin >= 2.0 && f.rmax <= 10.0 && f.rmin < 2.0 + dr && f.rmax > 10.0 - dr,
               "noiseless: %d bins, range [%.3f, %.3f]", f.nbins, f.rmin, f.rmax);
    check_abs(f.xi_err, 0.0, 1e-8, "noiseless: xi_err ~ 0 (%.2e)", f.xi_err);

    /* perturbed data, some C < 0: the pair-count-weighted least-squares
     * minimum from an independent search (C0 exact for each xi, golden
     * section in xi), and its standard error from (J^T W J)^-1 */
    for (int b = 0; b < NB; b++) c[b] = C0 * exp(-r[b] / XI) + 0.02 * sin(2.3 * b) - 0.01;
    check_true(am_autocorr_fit(&ac, 2.0, 10.0, &f) == AM_OK, "fit perturbed exponential");
    double lo = 1.0, hi = 10.0;
    size_t b0 = 0, b1 = 0;
    for (int b = 0; b < NB; b++) { if (r[b] < 2.0) b0 = b + 1; if (r[b] <= 10.0) b1 = b + 1; }
    for (int it = 0; it < 200; it++) {
        double x[2] = {hi - 0.618033988749895 * (hi - lo), lo + 0.618033988749895 * (hi - lo)}, chi[2];
        for (int t = 0; t < 2; t++) {
            double sye = 0, see = 0, s = 0;
            for (size_t b = b0; b < b1; b++) { const double e = exp(-r[b] / x[t]); sye += p[b] * c[b] * e; see += p[b] * e * e; }
            const double a0 = sye / see;
            for (size_t b = b0; b < b1; b++) { const double e = c[b] - a0 * exp(-r[b] / x[t]); s += p[b] * e * e; }
            chi[t] = s;
        }
        if (chi[0] < chi[1]) hi = x[1]; else lo = x[0];
    }
    const double xs = 0.5 * (lo + hi);
    double sye = 0, see = 0;
    for (size_t b = b0; b < b1; b++) { const double e = exp(-r[b] / xs); sye += p[b] * c[b] * e; see += p[b] * e * e; }
    const double best_c0 = sye / see;
    double jj[3] = {0, 0, 0}, chi2 = 0;
    for (size_t b = b0; b < b1; b++) {
        const double e = exp(-r[b] / xs), j0 = e, j1 = best_c0 * e * r[b] / (xs * xs);
        jj[0] += p[b] * j0 * j0; jj[1] += p[b] * j0 * j1; jj[2] += p[b] * j1 * j1;
        chi2 += p[b] * (c[b] - best_c0 * e) * (c[b] - best_c0 * e);
    }
    const double var_xi = chi2 / (double)(b1 - b0 - 2) * jj[0] / (jj[0] * jj[2] - jj[1] * jj[1]);
    check_rel(f.xi, xs, 1e-6, "perturbed: xi %.5f equals the weighted least-squares minimum", f.xi);
    check_rel(f.c0, best_c0, 1e-5, "perturbed: C0 equals the weighted least-squares minimum");
    check_rel(f.xi_err, sqrt(var_xi), 1e-3, "perturbed: xi_err %.4f from s^2 (J^T W J)^-1", f.xi_err);

    /* unweighted differs: weighting matters */
    size_t ones[NB];
    for (int b = 0; b < NB; b++) ones[b] = 1;
    am_autocorr uw = ac;
    uw.pairs = ones;
    am_expfit fu;
    am_autocorr_fit(&uw, 2.0, 10.0, &fu);
    check_true(fabs(fu.xi - f.xi) > 1e-3, "equal weights give another xi (%.4f vs %.4f)", fu.xi, f.xi);

    check_value_error(am_autocorr_fit(&ac, 2.0, 2.2, &f), "fit on 2 bins");
    check_true(isnan(f.xi), "failed fit leaves xi NaN");
    check_value_error(am_autocorr_fit(&ac, 5.0, 2.0, &f), "fit with rmin > rmax");
    for (int b = 0; b < NB; b++) c[b] = 0.1 * exp(r[b] / 2.0);
    check_value_error(am_autocorr_fit(&ac, 2.0, 10.0, &f), "fit of a growing function");
}

/* ---------------------------------------------------------------- first shell, neighbourhoods */

static void test_first_shell(void)
{
    const double a = 3.61;
    am_system *s = build_lattice("fcc", a, 5, 5, 5, "Cu");
    double rmin;
    check_true(am_first_shell(s, NULL, 5.0, 0.02, &rmin) == AM_OK, "first shell of fcc runs");
    check_true(rmin > a / sqrt(2.0) && rmin < a, "fcc: rmin %.3f between a/sqrt2 = %.3f and a = %.3f", rmin, a / sqrt(2.0), a);
    check_abs(rmin, 0.5 * (a / sqrt(2.0) + a), 0.03, "fcc: rmin in the middle of the empty gap");
    am_system_free(s);

    s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (!s) { check_true(0, "load the 2000-atom glass"); return; }
    check_true(am_first_shell(s, NULL, 8.0, 0.05, &rmin) == AM_OK, "first shell of the CuZr glass runs");
    /* independent g(r) (minimum image; 8 A < half the 33 A box): the
     * returned point must be a low point of the valley, below 1 */
    enum { NB = 160 };
    double cnt[NB] = {0};
    for (size_t i = 0; i < s->n; i++)
        for (size_t j = i + 1; j < s->n; j++) {
            double d[3] = {s->x[j] - s->x[i], s->y[j] - s->y[i], s->z[j] - s->z[i]};
            am_box_min_image(&s->box, d);
            const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            if (r < 8.0) cnt[(int)(r / 0.05)] += 2;
        }
    const double rho = s->n / am_box_volume(&s->box);
    double gr[NB], gmin = 1e9, rpk = 0, gpk = 0;
    for (int b = 0; b < NB; b++) {
        gr[b] = cnt[b] / (s->n * rho * 4.0 / 3.0 * PI * pow(0.05, 3) * (pow(b + 1, 3) - pow(b, 3)));
        if (gr[b] > gpk) { gpk = gr[b]; rpk = (b + 0.5) * 0.05; }
    }
    for (int b = (int)(rpk / 0.05); b < NB && (b + 0.5) * 0.05 < 4.5; b++) gmin = fmin(gmin, gr[b]);
    const int bm = (int)(rmin / 0.05);
    const double gat = (gr[bm - 1] + gr[bm] + gr[bm + 1]) / 3.0;
    printf("  glass g(r): peak %.2f at %.3f A, valley minimum %.3f; rmin = %.3f A with g = %.3f\n", gpk, rpk, gmin, rmin, gat);
    check_true(rmin > 3.3 && rmin < 4.3, "glass: first-shell end %.3f A between the first (%.2f A) and second shells", rmin, rpk);
    check_true(gat < gmin + 0.1 && gat < 1.0, "glass: g at rmin %.3f within 0.1 of the valley minimum %.3f", gat, gmin);
    unsigned char *cu = malloc(s->n);
    for (size_t i = 0; i < s->n; i++) cu[i] = s->type[i] == 0;
    double rcu = NAN;
    const am_status fst = am_first_shell(s, cu, 8.0, 0.05, &rcu);
    check_true(fst == AM_OK && rcu > 2.6 && rcu < 4.3, "glass, Cu-Cu: first-shell end %.3f A", rcu);
    check_value_error(am_first_shell(s, NULL, 3.0, 0.05, &rmin), "first shell with rmax 3 A (no second shell)");
    check_value_error(am_first_shell(s, NULL, 0.0, 0.05, &rmin), "first shell with rmax 0");
    check_value_error(am_first_shell(s, NULL, 8.0, -0.1, &rmin), "first shell with dr < 0");
    free(cu);
    am_system_free(s);
}

static size_t sc_index(int i, int j, int l, int ny, int nz) { return ((size_t)i * ny + j) * nz + l; }

/* Hand sum over the atom and its 6 sc neighbours (modular indices: in a
 * box of 1 or 2 cells the same atom appears more than once, as its images
 * do within R). */
static double sc_hand(const double *v, int i, int j, int l, int nx, int ny, int nz)
{
    const int off[7][3] = {{0, 0, 0}, {1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    double s = 0.0;
    for (int k = 0; k < 7; k++)
        s += v[sc_index((i + off[k][0] + nx) % nx, (j + off[k][1] + ny) % ny, (l + off[k][2] + nz) % nz, ny, nz)];
    return s / 7.0;
}

static void test_neighbor_average(gsl_rng *g)
{
    const int dims[3][3] = {{5, 6, 7}, {2, 3, 4}, {1, 1, 1}};
    for (int t = 0; t < 3; t++) {
        const int nx = dims[t][0], ny = dims[t][1], nz = dims[t][2];
        am_system *s = build_lattice("sc", 2.0, nx, ny, nz, "Cu");
        double *v = malloc(s->n * sizeof *v), *out = malloc(s->n * sizeof *out);
        for (size_t i = 0; i < s->n; i++) v[i] = gsl_ran_gaussian(g, 1.0);
        check_true(am_neighbor_average(s, v, NULL, 2.1, out) == AM_OK, "neighbour average on %dx%dx%d sc, R = 1.05 a", nx, ny, nz);
        double d = 0.0;
        for (int i = 0; i < nx; i++)
            for (int j = 0; j < ny; j++)
                for (int l = 0; l < nz; l++)
                    d = fmax(d, fabs(out[sc_index(i, j, l, ny, nz)] - sc_hand(v, i, j, l, nx, ny, nz)));
        check_abs(d, 0.0, 1e-14, "sc %dx%dx%d: (own + 6 neighbours' values)/7 by hand%s", nx, ny, nz,
                  t ? " (box < 2R: images counted)" : "");
        for (size_t i = 0; i < s->n; i++) v[i] = 1.2345678901;
        am_neighbor_average(s, v, NULL, 2.1, out);
        d = 0.0;
        for (size_t i = 0; i < s->n; i++) d = fmax(d, fabs(out[i] - v[i]));
        check_abs(d, 0.0, 4e-16, "sc %dx%dx%d: a constant field stays constant", nx, ny, nz);
        free(v); free(out);
        am_system_free(s);
    }

    /* fcc, R just above a/sqrt2: the atom and its 12 neighbours, found by
     * a minimum-image search; then a selection (species 0 only) */
    const double a = 3.6;
    am_system *s = build_lattice("fcc", a, 4, 4, 4, "Cu,Zr");
    rattle(s, 0.05, 9);
    const size_t n = s->n;
    double *v = malloc(n * sizeof *v), *out = malloc(n * sizeof *out), *want = malloc(n * sizeof *want),
           *wsel = malloc(n * sizeof *wsel);
    unsigned char *sel = malloc(n);
    for (size_t i = 0; i < n; i++) { v[i] = gsl_ran_gaussian(g, 1.0); sel[i] = s->type[i] == 0; }
    const double R = 1.15 * a / sqrt(2.0);
    int ok12 = 1, none = 0;
    for (size_t i = 0; i < n; i++) {
        double sum = v[i], ssel = sel[i] ? v[i] : 0.0;
        int k = 1, ks = sel[i];
        for (size_t j = 0; j < n; j++) {
            if (j == i) continue;
            double d[3] = {s->x[j] - s->x[i], s->y[j] - s->y[i], s->z[j] - s->z[i]};
            am_box_min_image(&s->box, d);
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < R * R) {
                sum += v[j]; k++;
                if (sel[j]) { ssel += v[j]; ks++; }
            }
        }
        ok12 &= k == 13;
        want[i] = sum / k;
        wsel[i] = ks ? ssel / ks : NAN;
        none += !ks;
    }
    am_neighbor_average(s, v, NULL, R, out);
    double d = 0.0;
    for (size_t i = 0; i < n; i++) d = fmax(d, fabs(out[i] - want[i]));
    check_true(ok12, "fcc: 12 neighbours within 1.15 a/sqrt2 of every atom");
    check_abs(d, 0.0, 1e-14, "fcc: (own + 12 neighbours' values)/13");
    for (size_t i = 0; i < n; i++)
        if (!sel[i]) v[i] = NAN; /* unselected values are not read */
    check_true(am_neighbor_average(s, v, sel, R, out) == AM_OK, "fcc, species 0 only, NaN in the others");
    d = 0.0;
    int nan_ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (isnan(wsel[i])) nan_ok &= isnan(out[i]);
        else d = fmax(d, fabs(out[i] - wsel[i]));
    }
    check_abs(d, 0.0, 1e-14, "fcc, selection: mean over selected atoms within R, every atom gets a value");
    check_true(nan_ok, "fcc, selection: NaN for the %d atoms with no selected atom within R", none);

    /* thread independence on the glass-sized problem is covered by autocorr;
     * here: bit-identical on fcc with a large radius */
    for (size_t i = 0; i < n; i++) v[i] = gsl_ran_gaussian(g, 1.0);
    const int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    am_neighbor_average(s, v, NULL, 7.0, want);
    omp_set_num_threads(2);
    am_neighbor_average(s, v, NULL, 7.0, out);
    omp_set_num_threads(nt);
    check_true(!memcmp(want, out, n * sizeof *out), "neighbour average bit-identical with 1 and 2 threads");

    v[5] = NAN;
    check_value_error(am_neighbor_average(s, v, NULL, R, out), "neighbour average with a NaN value");
    check_value_error(am_neighbor_average(s, v, NULL, 0.0, out), "neighbour average with R = 0");
    free(v); free(out); free(want); free(wsel); free(sel);
    am_system_free(s);
}

/* ---------------------------------------------------------------- viscosity, maps, histograms */

static void test_viscosity_map(void)
{
    const double ea[4] = {0.0, 0.5, 0.952423945584796, NAN}; /* 16 k_B 300 ln 10 */
    double le[4];
    am_log10_viscosity(4, ea, 1e-4, am_units_of("metal"), 300.0, le);
    check_abs(le[0], -4.0, 1e-15, "Ea = 0: log10 eta = log10 eta0 = -4");
    check_abs(le[1], 4.3996208170595, 1e-13, "Ea = 0.5 eV, 300 K: log10 eta = -4 + 0.5/(kB 300 ln10)");
    check_abs(le[2], AM_LOG10_ETA_SOLID, 1e-13, "Ea = 16 kB T ln10 = 0.9524 eV is the 1e12 Pa s threshold");
    check_true(isnan(le[3]), "NaN Ea gives NaN");

    /* slab maps on an sc crystal, 16 x 12 x 8 cells of 2.5 A */
    const double a = 2.5;
    am_system *s = build_lattice("sc", a, 16, 12, 8, "Cu");
    const size_t n = s->n;
    double *v = malloc(n * sizeof *v), grid[20 * 12];
    for (size_t i = 0; i < n; i++) v[i] = 0.731;
    check_true(am_slab_map(s, v, NULL, 2, 0.5, 2.6, 1.5, 20, 12, grid) == AM_OK, "slab map of a constant field");
    double d = 0.0;
    for (int k = 0; k < 240; k++) d = fmax(d, fabs(grid[k] - 0.731));
    check_abs(d, 0.0, 1e-14, "constant field: every grid value equal");

    /* field = fractional x; slab normal to z: u = x; values rise along u away
     * from the periodic seam (more than the 7.5 A cut from it) */
    for (size_t i = 0; i < n; i++) v[i] = s->x[i] / s->box.len[0];
    am_slab_map(s, v, NULL, 2, 0.5, 2.6, 1.5, 20, 12, grid);
    int mono = 1, near = 1;
    for (int iu = 5; iu < 15; iu++)
        for (int iv = 0; iv < 12; iv++) {
            if (iu > 5) mono &= grid[iu * 12 + iv] > grid[(iu - 1) * 12 + iv];
            near &= fabs(grid[iu * 12 + iv] - (iu + 0.5) / 20) < 0.03;
        }
    check_true(mono, "field linear in fractional x: grid rises monotonically along u = x");
    check_true(near, "field linear in fractional x: interior grid values within 0.03 of the point's fraction");
    /* slab normal to x: u = y, v = z; a field of fractional y rises along u */
    for (size_t i = 0; i < n; i++) v[i] = s->y[i] / s->box.len[1];
    am_slab_map(s, v, NULL, 0, 0.25, 2.6, 1.0, 12, 8, grid);
    mono = 1;
    for (int iu = 4; iu < 8; iu++)
        for (int iv = 0; iv < 8; iv++) mono &= grid[iu * 8 + iv] > grid[(iu - 1) * 8 + iv];
    check_true(mono, "axis 0: u is y (grid rises with fractional y)");
    /* sheared cell, Gaussian wider than the cell height: images in the sum */
    shear_box(s, 3.0, 0.0, 2.0);
    for (size_t i = 0; i < n; i++) v[i] = -2.5;
    am_slab_map(s, v, NULL, 1, 0.5, 2.6, 6.0, 7, 5, grid);
    d = 0.0;
    for (int k = 0; k < 35; k++) d = fmax(d, fabs(grid[k] + 2.5));
    check_abs(d, 0.0, 1e-14, "sheared cell, sigma 6 A: a constant field stays constant");
    check_value_error(am_slab_map(s, v, NULL, 2, 0.5 + 0.5 / 8, 0.5, 1.0, 4, 4, grid), "slab between two lattice planes (empty)");
    check_value_error(am_slab_map(s, v, NULL, 3, 0.5, 2.6, 1.0, 4, 4, grid), "slab map on axis 3");
    check_value_error(am_slab_map(s, v, NULL, 2, 0.5, 2.6, 0.0, 4, 4, grid), "slab map with sigma 0");
    free(v);
    am_system_free(s);

    const double hv[8] = {-1, 0, 0.5, 0.99999, 1, NAN, 2, 0.3};
    const unsigned char hs[8] = {1, 1, 1, 1, 1, 1, 1, 0};
    size_t hc[4] = {9, 9, 9, 9};
    am_histogram(8, hv, hs, 0.0, 1.0, 4, hc);
    check_true(hc[0] == 1 && hc[1] == 0 && hc[2] == 1 && hc[3] == 1, "histogram on [0, 1): 1 0 1 1 (outside, NaN, unselected dropped)");
}

static void test_bad_input(void)
{
    const double x[4] = {1, 2, 3, 4}, y[4] = {1, NAN, 2, 3}, k[4] = {2, 2, 2, 2};
    double r;
    check_value_error(am_pearson(4, x, y, &r), "pearson with a NaN");
    check_true(isnan(r), "failed pearson leaves NaN");
    check_value_error(am_pearson(2, x, x, &r), "pearson of 2 pairs");
    check_value_error(am_pearson(4, x, k, &r), "pearson with a constant variable");
    check_value_error(am_spearman(4, k, x, &r), "spearman with a constant variable");
    am_corr_options o;
    am_corr_defaults(&o);
    o.level = 1.5;
    am_corr c;
    check_value_error(am_correlate(4, x, x, &o, &c), "correlate at confidence level 1.5");

    am_system *s = build_lattice("sc", 2.0, 3, 3, 3, "Cu");
    double v[27];
    unsigned char one[27] = {0};
    one[4] = 1;
    for (int i = 0; i < 27; i++) v[i] = i;
    am_autocorr dummy = {0}, *ac = &dummy; /* must come back NULL */
    check_value_error(am_autocorr_compute(s, v, 1, NULL, 0.0, 0.1, &ac), "autocorr with rmax 0");
    check_true(ac == NULL, "failed autocorr returns NULL");
    check_value_error(am_autocorr_compute(s, v, 1, NULL, 5.0, 0.0, &ac), "autocorr with dr 0");
    check_value_error(am_autocorr_compute(s, v, 1, NULL, 5.0, -0.1, &ac), "autocorr with dr < 0");
    check_value_error(am_autocorr_compute(s, v, 1, one, 5.0, 0.1, &ac), "autocorr with one selected atom");
    check_value_error(am_autocorr_compute(s, v, 0, NULL, 5.0, 0.1, &ac), "autocorr with 0 components");
    v[3] = NAN;
    check_value_error(am_autocorr_compute(s, v, 1, NULL, 5.0, 0.1, &ac), "autocorr with a NaN value");
    for (int i = 0; i < 27; i++) v[i] = 1.0;
    check_value_error(am_autocorr_compute(s, v, 1, NULL, 5.0, 0.1, &ac), "autocorr of a constant field");
    am_system_free(s);
}

int main(void)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20240607);
    test_pearson_spearman();
    test_bootstrap(g);
    test_coarse_grain(g);
    test_group_means_walk();
    test_bootstrap_cg();
    test_autocorr_brute(g);
    test_autocorr_lattice(g);
    test_autocorr_field(g);
    test_corrlength(g);
    test_fit();
    test_first_shell();
    test_neighbor_average(g);
    test_viscosity_map();
    test_bad_input();
    gsl_rng_free(g);
    return check_exit();
}
