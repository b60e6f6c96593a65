/* A correlation length that the data support, with a block-bootstrap
 * interval, or none (am_corrlength_estimate, include/amorph/analysis.h).
 *
 * Why not the plain exponential fit from the first shell to rmax: a
 * structural field's C(r) drops from its first-shell value to the noise
 * within a bond length, so a fit over a long range of noise finds a ξ of a
 * few tenths of an Å with an amplitude of thousands — a number, not a
 * length. Here the range ends where C(r) is no longer above what shuffled
 * values give, and a decay that never rises above that is reported as
 * such. */
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Half width of the window over which C and its noise are averaged to find
 * where the decay reaches the noise: about half a coordination shell. */
#define WINDOW_HALF 0.5
/* C above this many standard deviations of the shuffled fields is signal. */
#define NOISE_K 2.0

typedef struct cl_data {
    size_t m;
    const double *r, *y;
    double volume; /* Å³; 0: no finite-cell term */
} cl_data;

/* The finite-cell offset b = 8π C0 ξ³ / V (0 without a volume). */
static double offset(double c0, double xi, double volume)
{
    if (!(volume > 0.0)) return 0.0;
    const double b = 8.0 * M_PI * c0 * xi * xi * xi / volume;
    return b > 0.5 ? 0.5 : b; /* keeps the model finite for any trial step */
}

static double model(const cl_data *d, double c0, double lnxi, double r)
{
    const double xi = exp(lnxi), t = r / xi;
    const double e = t < 700.0 ? c0 * exp(-t) : 0.0, b = offset(c0, xi, d->volume);
    return (e - b) / (1.0 - b);
}

static int resid(const gsl_vector *p, void *vd, gsl_vector *f)
{
    const cl_data *d = vd;
    const double c0 = gsl_vector_get(p, 0), lx = gsl_vector_get(p, 1);
    if (!isfinite(c0) || !isfinite(lx) || lx > 30.0 || lx < -30.0) return GSL_EDOM;
    for (size_t i = 0; i < d->m; i++) gsl_vector_set(f, i, model(d, c0, lx, d->r[i]) - d->y[i]);
    return GSL_SUCCESS;
}

/* Weighted fit on (r, y, w); 0 on success with *c0, *xi. */
static int fit(const cl_data *d, const double *w, double *c0, double *xi)
{
    double p0[2];
    an_exp_start(d->m, d->r, d->y, w, &p0[0], &p0[1]);
    gsl_multifit_nlinear_fdf fdf = {.f = resid, .df = NULL, .n = d->m, .p = 2, .params = (void *)d};
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *ws = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, d->m, 2);
    if (!ws) return -1;
    gsl_vector_view pv = gsl_vector_view_array(p0, 2);
    gsl_vector_const_view wv = gsl_vector_const_view_array(w, d->m);
    int info = 0, gs = gsl_multifit_nlinear_winit(&pv.vector, &wv.vector, &fdf, ws);
    if (!gs) gs = gsl_multifit_nlinear_driver(200, 1e-10, 1e-10, 0.0, NULL, NULL, &info, ws);
    /* no further progress at a point the tolerances call converged enough */
    if (gs == GSL_EMAXITER && info == GSL_ENOPROG) gs = GSL_SUCCESS;
    const gsl_vector *p = gsl_multifit_nlinear_position(ws);
    *c0 = gsl_vector_get(p, 0);
    *xi = exp(gsl_vector_get(p, 1));
    gsl_multifit_nlinear_free(ws);
    const double span = d->r[d->m - 1] - d->r[0];
    return gs == GSL_SUCCESS && isfinite(*c0) && *c0 > 0.0 && isfinite(*xi) && *xi > 0.0 && *xi < 100.0 * span ? 0 : -1;
}

/* Window average of C (and of each shuffled field, whose spread is its
 * noise) about bin b: the pair-weighted mean over bins within WINDOW_HALF.
 * 1: above the noise, 0: not, -1: no pairs in the window (no evidence
 * either way, e.g. between a lattice's shells). */
static int above_noise(const am_autocorr *c, size_t b)
{
    const size_t half = (size_t)((c->window > 0 ? 0.5 * c->window : WINDOW_HALF) / c->dr);
    const size_t lo = b > half ? b - half : 0, hi = b + half < c->nbins ? b + half : c->nbins - 1;
    double sw = 0.0, sc = 0.0;
    for (size_t q = lo; q <= hi; q++)
        if (c->pairs[q] && isfinite(c->c[q])) { sw += (double)c->pairs[q]; sc += (double)c->pairs[q] * c->c[q]; }
    if (!(sw > 0.0)) return -1;
    const double mean = sc / sw;
    double m1 = 0.0, m2 = 0.0;
    for (int k = 0; k < c->nshuffle; k++) {
        double v = 0.0;
        for (size_t q = lo; q <= hi; q++)
            if (c->pairs[q] && isfinite(c->shuffled[(size_t)k * c->nbins + q]))
                v += (double)c->pairs[q] * c->shuffled[(size_t)k * c->nbins + q];
        v /= sw;
        m1 += v;
        m2 += v * v;
    }
    const double K = c->nshuffle, sd = sqrt(fmax(m2 / K - (m1 / K) * (m1 / K), 0.0) * K / (K - 1));
    return mean > NOISE_K * sd;
}

am_status am_corrlength_estimate(const am_autocorr *c, double rmin, double rmax, int nboot, unsigned long seed,
                                 am_corrlength *out)
{
    *out = (am_corrlength){.xi = NAN, .xi_lo = NAN, .xi_hi = NAN, .c0 = NAN, .offset = NAN, .rmin = NAN, .rmax = NAN};
    if (!c || !c->nbins) return am_fail(AM_ERR_VALUE, "correlation length: no autocorrelation");
    if (!c->noise || c->nshuffle < 2 || !c->block_sum || c->nblocks < 8)
        return am_fail(AM_ERR_VALUE, "correlation length: needs the shuffled fields and the blocks of "
                       "am_autocorr_compute_ex");
    if (!isfinite(rmin) || rmin < 0.0 || !isfinite(rmax))
        return am_fail(AM_ERR_VALUE, "correlation length: range %g to %g A", rmin, rmax);
    if (nboot < 0 || nboot > 100000) return am_fail(AM_ERR_VALUE, "correlation length: %d resamples", nboot);
    size_t b0 = 0;
    while (b0 < c->nbins && c->r[b0] < rmin) b0++;
    size_t b1 = b0;
    while (b1 < c->nbins && !(rmax > 0.0 && c->r[b1] > rmax) && above_noise(c, b1) != 0) b1++;
    /* bins [b0, b1) with pairs and a finite noise */
    const size_t nb = c->nbins;
    double *r = malloc(nb * sizeof *r), *y = malloc(nb * sizeof *y), *w = malloc(nb * sizeof *w);
    size_t *idx = malloc(nb * sizeof *idx);
    double *xs = malloc(((size_t)nboot + 1) * sizeof *xs), *wb = malloc((size_t)c->nblocks * sizeof *wb);
    if (!r || !y || !w || !idx || !xs || !wb) {
        free(r); free(y); free(w); free(idx); free(xs); free(wb);
        return am_fail(AM_ERR_NOMEM, "correlation length: out of memory");
    }
    size_t m = 0;
    for (size_t b = b0; b < b1; b++) {
        if (!c->pairs[b] || !isfinite(c->c[b]) || !(c->noise[b] > 0.0)) continue;
        idx[m] = b;
        r[m] = c->r[b];
        y[m] = c->c[b];
        w[m++] = 1.0 / (c->noise[b] * c->noise[b]);
    }
    if (m >= 3) {
        cl_data d = {m, r, y, c->volume};
        double c0, xi;
        /* C(0) = 1 by construction: an exponential that would start far
         * above it (C0 85 for cn, 1800 for n3 on the demo glass, against
         * 0.3-1.0 for vMSD and participation) is the steep fall at the end
         * of the first shell, not a decay length beyond it */
        if (fit(&d, w, &c0, &xi) == 0 && c0 <= AM_CORRLENGTH_MAX_C0) {
            out->supported = 1;
            out->xi = xi;
            out->c0 = c0;
            out->offset = offset(c0, xi, c->volume);
            out->rmin = r[0];
            out->rmax = r[m - 1];
            out->nbins = (int)m;
            /* block bootstrap: blocks drawn with replacement, same range and weights */
            uint64_t state = an_mix64((uint64_t)seed ^ 0xc0441e7ULL);
            int ok = 0;
            for (int k = 0; k < nboot; k++) {
                for (int q = 0; q < c->nblocks; q++) wb[q] = 0.0;
                for (int q = 0; q < c->nblocks; q++) wb[an_below(&state, (size_t)c->nblocks)] += 1.0;
                for (size_t i = 0; i < m; i++) {
                    double sv = 0.0, sn = 0.0;
                    for (int q = 0; q < c->nblocks; q++) {
                        sv += wb[q] * c->block_sum[(size_t)q * nb + idx[i]];
                        sn += wb[q] * (double)c->block_cnt[(size_t)q * nb + idx[i]];
                    }
                    y[i] = sn > 0.0 ? sv / sn : 0.0;
                }
                double bc0, bxi;
                if (fit(&d, w, &bc0, &bxi) == 0) xs[ok++] = bxi;
            }
            out->nboot_ok = ok;
            if (ok >= 20) an_percentiles(xs, (size_t)ok, 0.95, &out->xi_lo, &out->xi_hi);
        }
    }
    if (!out->supported) {
        out->rmin = b0 < nb ? c->r[b0] : NAN;
        out->rmax = b1 > b0 ? c->r[b1 - 1] : NAN;
        out->nbins = (int)m;
    }
    free(r); free(y); free(w); free(idx); free(xs); free(wb);
    return AM_OK;
}
