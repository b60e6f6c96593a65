/* The model object every type shares: standardisation, names, train and
 * predict around the type's own fit. */
#include "learn/learn_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const am_learn_type lr_ridge_type, lr_xgboost_type;

void am_learn_defaults(am_learn_params *p)
{
    p->alpha = AM_LEARN_ALPHA_AUTO;
    p->trees = 300;
    p->depth = 4;
    p->eta = 0.05;
    p->subsample = 0.8;
    p->colsample = 0.8;
    p->min_child_weight = 5.0;
    p->lambda = 1.0;
    p->seed = 1;
    p->groups = NULL;
}

const char *am_learn_type_name(const am_learn_type *t)
{
    return t ? t->name : NULL;
}

const am_learn_type *am_learn_type_find(const char *name)
{
    const am_learn_type *const all[] = {&lr_ridge_type, &lr_xgboost_type};
    for (size_t k = 0; name && k < sizeof all / sizeof all[0]; k++)
        if (strcmp(all[k]->name, name) == 0) return all[k];
    return NULL;
}

am_status lr_model_new(const am_learn_type *t, int nfeat, am_learn_model **out)
{
    *out = NULL;
    am_learn_model *m = calloc(1, sizeof *m);
    const size_t p = (size_t)(nfeat > 0 ? nfeat : 1);
    if (m) {
        m->feat = calloc(p, sizeof *m->feat);
        m->mean = malloc(p * sizeof *m->mean);
        m->scale = malloc(p * sizeof *m->scale);
    }
    if (!m || !m->feat || !m->mean || !m->scale) {
        am_learn_free(m);
        return am_fail(AM_ERR_NOMEM, "learn: out of memory for a model of %d features", nfeat);
    }
    m->type = t;
    m->nfeat = nfeat;
    snprintf(m->target, sizeof m->target, "y");
    snprintf(m->select, sizeof m->select, "all");
    for (int k = 0; k < nfeat; k++) {
        snprintf(m->feat[k].name, sizeof m->feat[k].name, "x%d", k + 1);
        snprintf(m->feat[k].base, sizeof m->feat[k].base, "x%d", k + 1);
    }
    *out = m;
    return AM_OK;
}

void am_learn_free(am_learn_model *m)
{
    if (!m) return;
    if (m->state && m->type) m->type->release(m->state);
    free(m->feat);
    free(m->mean);
    free(m->scale);
    free(m);
}

void lr_scaling_fit(size_t n, int p, const double *x, double *mean, double *scale)
{
    const size_t np = (size_t)p;
    for (size_t k = 0; k < np; k++) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++) s += x[i * np + k];
        const double mu = s / (double)n;
        /* two passes: a descriptor with a large offset keeps its digits */
        double ss = 0.0;
        for (size_t i = 0; i < n; i++) ss += (x[i * np + k] - mu) * (x[i * np + k] - mu);
        const double sd = sqrt(ss / (double)n);
        mean[k] = mu;
        scale[k] = sd > 0.0 && sd > 1e-12 * fabs(mu) ? sd : 1.0;
    }
}

void lr_scaling_apply(size_t n, int p, const double *x, const double *mean, const double *scale, double *z)
{
    const size_t np = (size_t)p;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < np; k++) z[i * np + k] = (x[i * np + k] - mean[k]) / scale[k];
}

am_status lr_check_finite(size_t n, int p, const double *x, const double *y)
{
    const size_t np = (size_t)p;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < np; k++)
            if (!isfinite(x[i * np + k]))
                return am_fail(AM_ERR_VALUE, "learn: feature %zu of row %zu is %g; expected finite values", k + 1,
                               i + 1, x[i * np + k]);
        if (y && !isfinite(y[i]))
            return am_fail(AM_ERR_VALUE, "learn: target of row %zu is %g; expected finite values", i + 1, y[i]);
    }
    return AM_OK;
}

am_status am_learn_train(const am_learn_type *t, const am_learn_params *p, size_t n, int nfeat, const double *x,
                         const double *y, am_learn_model **out)
{
    am_learn_params def;
    if (!p) { am_learn_defaults(&def); p = &def; }
    if (!out) return am_fail(AM_ERR_VALUE, "learn: no place for the model");
    *out = NULL;
    if (!t) return am_fail(AM_ERR_VALUE, "learn: no model type");
    if (nfeat < 1) return am_fail(AM_ERR_VALUE, "learn: %d features; expected at least one", nfeat);
    if (n < 2) return am_fail(AM_ERR_VALUE, "learn: %zu training atoms; expected at least 2", n);
    if (!x || !y) return am_fail(AM_ERR_VALUE, "learn: no training data");
    am_status st = lr_check_finite(n, nfeat, x, y);
    if (st) return st;
    am_learn_model *m;
    if ((st = lr_model_new(t, nfeat, &m))) return st;
    m->ntrain = n;
    lr_scaling_fit(n, nfeat, x, m->mean, m->scale);
    double ys = 0.0;
    for (size_t i = 0; i < n; i++) ys += y[i];
    m->ymean = ys / (double)n;
    double *z = malloc(n * (size_t)nfeat * sizeof *z), *yc = malloc(n * sizeof *yc);
    if (!z || !yc) st = am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu x %d features", n, nfeat);
    if (!st) {
        lr_scaling_apply(n, nfeat, x, m->mean, m->scale, z);
        for (size_t i = 0; i < n; i++) yc[i] = y[i] - m->ymean;
        st = t->train(m, p, n, z, yc);
    }
    free(z);
    free(yc);
    if (st) { am_learn_free(m); return st; }
    *out = m;
    return AM_OK;
}

am_status am_learn_predict(const am_learn_model *m, size_t n, const double *x, double *y)
{
    if (!m || (n && (!x || !y))) return am_fail(AM_ERR_VALUE, "learn: predict: missing argument");
    if (n == 0) return AM_OK;
    am_status st = lr_check_finite(n, m->nfeat, x, NULL);
    if (st) return st;
    double *z = malloc(n * (size_t)m->nfeat * sizeof *z);
    if (!z) return am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu x %d features", n, m->nfeat);
    lr_scaling_apply(n, m->nfeat, x, m->mean, m->scale, z);
    st = m->type->predict(m, n, z, y);
    free(z);
    if (st) return st;
    for (size_t i = 0; i < n; i++) y[i] += m->ymean;
    return AM_OK;
}

am_status am_learn_model_label(am_learn_model *m, const char *target, const am_learn_feature *f)
{
    if (!m) return am_fail(AM_ERR_VALUE, "learn: no model to label");
    if (target) {
        if (strlen(target) >= sizeof m->target) return am_fail(AM_ERR_VALUE, "learn: target name '%s' too long", target);
        snprintf(m->target, sizeof m->target, "%s", target);
    }
    if (f)
        for (int k = 0; k < m->nfeat; k++) {
            if (!memchr(f[k].name, '\0', sizeof f[k].name) || !memchr(f[k].base, '\0', sizeof f[k].base) ||
                !f[k].name[0] || !f[k].base[0] || !(f[k].radius >= 0.0) || !isfinite(f[k].radius))
                return am_fail(AM_ERR_VALUE, "learn: feature %d: expected a name, a base and a radius >= 0", k + 1);
            m->feat[k] = f[k];
        }
    return AM_OK;
}

const am_learn_type *am_learn_model_type(const am_learn_model *m) { return m ? m->type : NULL; }
int am_learn_model_nfeatures(const am_learn_model *m) { return m ? m->nfeat : 0; }
const am_learn_feature *am_learn_model_features(const am_learn_model *m) { return m ? m->feat : NULL; }
const char *am_learn_model_target(const am_learn_model *m) { return m ? m->target : NULL; }
const char *am_learn_model_selection(const am_learn_model *m) { return m ? m->select : NULL; }
size_t am_learn_model_ntrain(const am_learn_model *m) { return m ? m->ntrain : 0; }

void am_learn_model_scaling(const am_learn_model *m, double *mean, double *scale, double *ymean)
{
    if (!m) return;
    if (mean) memcpy(mean, m->mean, (size_t)m->nfeat * sizeof *mean);
    if (scale) memcpy(scale, m->scale, (size_t)m->nfeat * sizeof *scale);
    if (ymean) *ymean = m->ymean;
}
