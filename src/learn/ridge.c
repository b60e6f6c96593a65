/* Ridge regression: β = (ZᵀZ + αI)⁻¹ Zᵀ(y − ȳ) on standardised features,
 * by Cholesky (LAPACK dposv) of the p × p normal matrix. On standardised
 * features with α > 0 that matrix is well conditioned whatever the
 * descriptors (CN = Σ n_k makes ZᵀZ itself singular); with α = 0 it is
 * ordinary least squares and fails where the features are collinear.
 * AM_LEARN_ALPHA_AUTO: α by cross-validation inside the training atoms
 * (ridge_alpha.c). */
#include "learn/learn_internal.h"
#include "core/error.h"
#include "io/numfmt.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ridge_state {
    double alpha;
    double *beta; /* nfeat, on the standardised features */
} ridge_state;

static void ridge_release(void *state)
{
    ridge_state *r = state;
    if (r) free(r->beta);
    free(r);
}

static am_status ridge_alloc(am_learn_model *m, double alpha)
{
    ridge_state *r = calloc(1, sizeof *r);
    if (r) r->beta = calloc((size_t)m->nfeat, sizeof *r->beta);
    if (!r || !r->beta) {
        ridge_release(r);
        return am_fail(AM_ERR_NOMEM, "ridge: out of memory for %d coefficients", m->nfeat);
    }
    r->alpha = alpha;
    m->state = r;
    return AM_OK;
}

static am_status ridge_train(am_learn_model *m, const am_learn_params *p, size_t n, const double *z, const double *yc)
{
    if (!(p->alpha >= 0.0 || p->alpha == AM_LEARN_ALPHA_AUTO) || !isfinite(p->alpha))
        return am_fail(AM_ERR_VALUE, "ridge: alpha %g; expected a finite penalty >= 0 or AM_LEARN_ALPHA_AUTO",
                       p->alpha);
    const size_t np = (size_t)m->nfeat;
    double *g = calloc(np * np, sizeof *g);
    am_status st = g ? ridge_alloc(m, p->alpha) : am_fail(AM_ERR_NOMEM, "ridge: out of memory for %d features", m->nfeat);
    if (st) { free(g); return st; }
    ridge_state *r = m->state;
    /* the upper triangle of ZᵀZ and Zᵀy, atom by atom in order: the same sums
     * for any thread count */
    for (size_t i = 0; i < n; i++) {
        const double *zi = z + i * np;
        for (size_t a = 0; a < np; a++) {
            const double za = zi[a];
            double *ga = g + a * np;
            for (size_t b = a; b < np; b++) ga[b] += za * zi[b];
            r->beta[a] += za * yc[i];
        }
    }
    if (p->alpha < 0.0 && (st = lr_ridge_alpha(n, m->nfeat, z, yc, p->groups, &r->alpha))) { free(g); return st; }
    double dmax = 0.0;
    for (size_t a = 0; a < np; a++) {
        g[a * np + a] += r->alpha;
        dmax = g[a * np + a] > dmax ? g[a * np + a] : dmax;
    }
    lapack_int info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (lapack_int)np, 1, g, (lapack_int)np, r->beta, 1);
    /* exactly collinear features leave a pivot of round-off size, not a
     * negative one: g holds the Cholesky factor now */
    for (size_t a = 0; a < np && info == 0; a++)
        if (g[a * np + a] * g[a * np + a] < 1e-12 * dmax) info = (lapack_int)a + 1;
    free(g);
    if (info > 0)
        return am_fail(AM_ERR_VALUE, "ridge: the features are collinear (normal matrix singular at feature %d, alpha "
                                     "%g); expected alpha > 0", (int)info, r->alpha);
    if (info < 0) return am_fail(AM_ERR_VALUE, "ridge: LAPACK dposv argument %d invalid", (int)-info);
    return AM_OK;
}

static am_status ridge_predict(const am_learn_model *m, size_t n, const double *z, double *out)
{
    const ridge_state *r = m->state;
    const size_t np = (size_t)m->nfeat;
    for (size_t i = 0; i < n; i++) {
        double s = 0.0;
        for (size_t k = 0; k < np; k++) s += r->beta[k] * z[i * np + k];
        out[i] = s;
    }
    return AM_OK;
}

static am_status ridge_save(const am_learn_model *m, FILE *f)
{
    const ridge_state *r = m->state;
    char b[AM_IO_NUMBUF];
    fprintf(f, "ridge alpha %s\n", am_io_fmt_double(b, r->alpha));
    for (int k = 0; k < m->nfeat; k++) fprintf(f, "beta %s\n", am_io_fmt_double(b, r->beta[k]));
    return AM_OK;
}

static am_status ridge_load(am_learn_model *m, am_io_lr *rd)
{
    double alpha;
    am_status st = lr_next_line(rd, "'ridge alpha A'");
    if (st) return st;
    if (rd->ntok != 3 || strcmp(rd->tok[0], "ridge") != 0 || strcmp(rd->tok[1], "alpha") != 0 ||
        !am_io_parse_double(rd->tok[2], &alpha) || !(alpha >= 0))
        return am_io_lr_fail(rd, AM_ERR_PARSE, rd->buf, "expected 'ridge alpha A' with A >= 0");
    if ((st = ridge_alloc(m, alpha))) return st;
    ridge_state *r = m->state;
    for (int k = 0; k < m->nfeat; k++) {
        if ((st = lr_next_line(rd, "'beta B'"))) return st;
        if (rd->ntok != 2 || strcmp(rd->tok[0], "beta") != 0 || !am_io_parse_double(rd->tok[1], &r->beta[k]))
            return am_io_lr_fail(rd, AM_ERR_PARSE, rd->buf, "expected 'beta B' (coefficient %d of %d)", k + 1,
                                 m->nfeat);
        /* the model in the features' units (am_learn_ridge_coefficients): an
         * infinite β/scale, from a scale of 1e-300 say, predicts ±inf for
         * ordinary descriptors */
        if (!isfinite(r->beta[k] / m->scale[k]))
            return am_io_lr_fail(rd, AM_ERR_PARSE, rd->tok[1],
                                 "expected 'beta B' with B/scale finite (coefficient %d of %d, scale %g)", k + 1,
                                 m->nfeat, m->scale[k]);
    }
    double intercept;
    am_learn_ridge_coefficients(m, NULL, &intercept);
    if (!isfinite(intercept))
        return am_io_lr_fail(rd, AM_ERR_PARSE, NULL, "expected a finite intercept ymean - sum of beta*mean/scale");
    return AM_OK;
}

double am_learn_ridge_alpha(const am_learn_model *m)
{
    return m && m->type == am_learn_ridge && m->state ? ((const ridge_state *)m->state)->alpha : NAN;
}

am_status am_learn_ridge_coefficients(const am_learn_model *m, double *beta, double *intercept)
{
    if (!m || m->type != am_learn_ridge || !m->state)
        return am_fail(AM_ERR_VALUE, "learn: coefficients: expected a ridge model");
    const ridge_state *r = m->state;
    double c = m->ymean;
    for (int k = 0; k < m->nfeat; k++) {
        const double b = r->beta[k] / m->scale[k];
        if (beta) beta[k] = b;
        c -= b * m->mean[k];
    }
    if (intercept) *intercept = c;
    return AM_OK;
}

const am_learn_type lr_ridge_type = {"ridge", 0, ridge_train, ridge_predict, ridge_save, ridge_load, ridge_release};
const am_learn_type *const am_learn_ridge = &lr_ridge_type;
