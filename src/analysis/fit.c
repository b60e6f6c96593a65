/* C(r) ≈ C0 exp(−r/ξ) by weighted nonlinear least squares.
 *
 * The parameters are (C0, ln ξ): ξ stays positive by construction and the
 * model and its Jacobian stay bounded for any value the solver tries. The
 * weights are the bins' pair counts, since a bin's statistical error falls
 * as 1/sqrt(pairs) (uncorrelated products; see docs/analysis.md). */
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdlib.h>

typedef struct fitdata { size_t m; const double *r, *y; } fitdata;

/* exp(−r/ξ), and r/ξ for the Jacobian; 0 where it underflows */
static double decay(double r, double lnxi, double *t)
{
    *t = r * exp(-lnxi);
    return *t < 700.0 ? exp(-*t) : 0.0;
}

static int model_f(const gsl_vector *p, void *data, gsl_vector *f)
{
    const fitdata *d = data;
    const double c0 = gsl_vector_get(p, 0), lx = gsl_vector_get(p, 1);
    for (size_t i = 0; i < d->m; i++) {
        double t;
        gsl_vector_set(f, i, c0 * decay(d->r[i], lx, &t) - d->y[i]);
    }
    return GSL_SUCCESS;
}

static int model_df(const gsl_vector *p, void *data, gsl_matrix *J)
{
    const fitdata *d = data;
    const double c0 = gsl_vector_get(p, 0), lx = gsl_vector_get(p, 1);
    for (size_t i = 0; i < d->m; i++) {
        double t;
        const double e = decay(d->r[i], lx, &t);
        gsl_matrix_set(J, i, 0, e);
        gsl_matrix_set(J, i, 1, e > 0.0 ? c0 * e * t : 0.0);
    }
    return GSL_SUCCESS;
}

void an_exp_start(size_t m, const double *r, const double *y, const double *w, double *c0, double *lnxi)
{
    double sw = 0, sr = 0, sl = 0, srr = 0, srl = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(y[i] > 0.0)) continue;
        const double l = log(y[i]);
        sw += w[i]; sr += w[i] * r[i]; sl += w[i] * l;
        srr += w[i] * r[i] * r[i]; srl += w[i] * r[i] * l;
    }
    const double det = sw * srr - sr * sr;
    const double slope = det > 0.0 ? (sw * srl - sr * sl) / det : 0.0;
    if (slope < 0.0) {
        *lnxi = -log(-slope);
        *c0 = exp((sl - slope * sr) / sw);
    } else {
        const double span = r[m - 1] - r[0];
        *lnxi = log(span > 0.0 ? span : 1.0);
        *c0 = y[0] > 0.0 ? y[0] * exp(r[0] / (span > 0.0 ? span : 1.0)) : 1.0;
    }
}

/* The residual is orthogonal to both tangent directions of the model: the
 * first-order condition of a minimum, scale-free. */
static int stationary(const gsl_multifit_nlinear_workspace *ws)
{
    const gsl_matrix *J = gsl_multifit_nlinear_jac(ws);
    const gsl_vector *f = gsl_multifit_nlinear_residual(ws);
    const double fn = gsl_blas_dnrm2(f);
    for (size_t k = 0; k < 2; k++) {
        gsl_vector_const_view col = gsl_matrix_const_column(J, k);
        double g;
        gsl_blas_ddot(&col.vector, f, &g);
        if (fabs(g) > 1e-8 * gsl_blas_dnrm2(&col.vector) * fn) return 0;
    }
    return 1;
}

static am_status solve(fitdata *d, const double *w, am_expfit *out)
{
    const size_t m = d->m;
    gsl_multifit_nlinear_fdf fdf = {.f = model_f, .df = model_df, .n = m, .p = 2, .params = d};
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *ws = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, m, 2);
    if (!ws) return am_fail(AM_ERR_NOMEM, "exponential fit: out of memory");
    double cbuf[4];
    gsl_matrix_view cov = gsl_matrix_view_array(cbuf, 2, 2);
    double p0[2];
    an_exp_start(d->m, d->r, d->y, w, &p0[0], &p0[1]);
    gsl_vector_view pv = gsl_vector_view_array(p0, 2);
    gsl_vector_const_view wv = gsl_vector_const_view_array(w, m);
    am_status st = AM_OK;
    int info = 0;
    int gs = gsl_multifit_nlinear_winit(&pv.vector, &wv.vector, &fdf, ws);
    /* the start may already be the minimum (noiseless data): the trust
     * region then finds no step that lowers the cost, which is success if
     * the point is stationary */
    const double f0 = gsl_blas_dnrm2(gsl_multifit_nlinear_residual(ws));
    if (!gs && f0 > 0.0) {
        gs = gsl_multifit_nlinear_driver(500, 1e-12, 1e-12, 0.0, NULL, NULL, &info, ws);
        if (gs == GSL_EMAXITER && info == GSL_ENOPROG && stationary(ws)) gs = GSL_SUCCESS;
    }
    const gsl_vector *p = gsl_multifit_nlinear_position(ws);
    const double c0 = gsl_vector_get(p, 0), lnxi = gsl_vector_get(p, 1), xi = exp(lnxi);
    /* a flat or growing C(r) drives ξ towards infinity, where the cost
     * stops changing and the solver reports convergence: a ξ a hundred
     * times the fitted range is no decay length */
    const double span = d->r[m - 1] - d->r[0];
    if (gs != GSL_SUCCESS || !isfinite(c0) || !(xi > 0.0) || !isfinite(xi))
        st = am_fail(AM_ERR_VALUE, "exponential fit on [%g, %g] A did not converge (%s)", out->rmin, out->rmax,
                     gs != GSL_SUCCESS ? gsl_strerror(gs) : "no finite positive xi");
    else if (xi > 100.0 * span)
        st = am_fail(AM_ERR_VALUE, "exponential fit: C(r) does not decay on [%g, %g] A (xi = %g A)", out->rmin,
                     out->rmax, xi);
    else {
        /* weights are relative (pair counts), so scale the covariance by
         * the weighted residual variance */
        const gsl_vector *f = gsl_multifit_nlinear_residual(ws);
        double chi2;
        gsl_blas_ddot(f, f, &chi2);
        const double s2 = m > 2 ? chi2 / (double)(m - 2) : 0.0;
        gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(ws), 0.0, &cov.matrix);
        out->c0 = c0;
        out->xi = xi;
        out->xi_err = xi * sqrt(s2 * gsl_matrix_get(&cov.matrix, 1, 1));
        out->rc = 3.0 * xi;
    }
    gsl_multifit_nlinear_free(ws);
    return st;
}

am_status am_autocorr_fit(const am_autocorr *c, double rmin, double rmax, am_expfit *out)
{
    *out = (am_expfit){.c0 = NAN, .xi = NAN, .xi_err = NAN, .rc = NAN, .rmin = rmin, .rmax = rmax};
    if (!c || !c->nbins) return am_fail(AM_ERR_VALUE, "exponential fit: no autocorrelation");
    if (!(rmin <= rmax) || !isfinite(rmin) || !isfinite(rmax))
        return am_fail(AM_ERR_VALUE, "exponential fit: range [%g, %g] A is empty", rmin, rmax);
    double *r = malloc(c->nbins * sizeof *r), *y = malloc(c->nbins * sizeof *y), *w = malloc(c->nbins * sizeof *w);
    if (!r || !y || !w) {
        free(r); free(y); free(w);
        return am_fail(AM_ERR_NOMEM, "exponential fit: out of memory");
    }
    size_t m = 0;
    for (size_t b = 0; b < c->nbins; b++) {
        if (c->r[b] < rmin || c->r[b] > rmax || !c->pairs[b] || !isfinite(c->c[b])) continue;
        r[m] = c->r[b];
        y[m] = c->c[b];
        w[m++] = (double)c->pairs[b];
    }
    am_status st;
    if (m < 3) st = am_fail(AM_ERR_VALUE, "exponential fit: %zu non-empty bins in [%g, %g] A, at least 3 needed", m, rmin, rmax);
    else {
        out->rmin = r[0];
        out->rmax = r[m - 1];
        out->nbins = (int)m;
        fitdata d = {m, r, y};
        st = solve(&d, w, out);
    }
    free(r); free(y); free(w);
    return st;
}
