/* Gradient-boosted trees through XGBoost's C API (Debian libxgboost-dev).
 *
 * XGBoost stores features as float; amorph hands it the standardised
 * features and the centred target, and adds ȳ back in double. Every booster
 * runs on one thread (nthread 1): amorph runs models side by side instead
 * (am_learn_cv's folds), so a result never depends on how many threads
 * there are. The saved part is XGBoost's own JSON model, whose numbers read
 * back exactly. */
#include "learn/learn_internal.h"
#include "core/error.h"

#include <xgboost/c_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XGBoost's message without the stack trace it appends. */
static const char *xgb_error(char *buf, size_t len)
{
    snprintf(buf, len, "%s", XGBGetLastError());
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

static am_status xgb_fail(const char *what)
{
    char msg[512];
    return am_fail(AM_ERR_VALUE, "xgboost: %s: %s", what, xgb_error(msg, sizeof msg));
}

/* XGBoost keeps its global configuration per thread: each thread that calls
 * it is told to keep quiet (errors come back through XGBGetLastError). */
static am_status xgb_quiet(void)
{
    if (XGBSetGlobalConfig("{\"verbosity\": 0}") != 0) return xgb_fail("configuration");
    return AM_OK;
}

static void xgb_release(void *state)
{
    if (state) XGBoosterFree((BoosterHandle)state);
}

/* A DMatrix of z (n × p doubles) as XGBoost's floats. */
static am_status xgb_matrix(size_t n, int p, const double *z, const double *label, DMatrixHandle *d)
{
    const size_t np = (size_t)p;
    float *zf = malloc((n * np > 0 ? n * np : 1) * sizeof *zf), *lf = label ? malloc(n * sizeof *lf) : NULL;
    if (!zf || (label && !lf)) {
        free(zf);
        free(lf);
        return am_fail(AM_ERR_NOMEM, "xgboost: out of memory for %zu x %d features", n, p);
    }
    for (size_t i = 0; i < n * np; i++) zf[i] = (float)z[i];
    am_status st = AM_OK;
    if (XGDMatrixCreateFromMat_omp(zf, (bst_ulong)n, (bst_ulong)np, NAN, d, 1) != 0) st = xgb_fail("matrix");
    if (!st && label) {
        for (size_t i = 0; i < n; i++) lf[i] = (float)label[i];
        if (XGDMatrixSetFloatInfo(*d, "label", lf, (bst_ulong)n) != 0) {
            st = xgb_fail("labels");
            XGDMatrixFree(*d);
        }
    }
    free(zf);
    free(lf);
    return st;
}

static am_status xgb_set(BoosterHandle b, const char *key, const char *fmt, double v)
{
    char val[64];
    snprintf(val, sizeof val, fmt, v);
    if (XGBoosterSetParam(b, key, val) != 0) return xgb_fail(key);
    return AM_OK;
}

static am_status xgb_train(am_learn_model *m, const am_learn_params *p, size_t n, const double *z, const double *yc)
{
    if (p->trees < 1 || p->trees > 100000 || p->depth < 1 || p->depth > 30 || !(p->eta > 0 && p->eta <= 1) ||
        !(p->subsample > 0 && p->subsample <= 1) || !(p->colsample > 0 && p->colsample <= 1) ||
        !(p->min_child_weight >= 0) || !(p->lambda >= 0) || !isfinite(p->min_child_weight) || !isfinite(p->lambda))
        return am_fail(AM_ERR_VALUE, "xgboost: expected 1..100000 trees, depth 1..30, eta, subsample and colsample in "
                                     "(0, 1], min_child_weight and lambda >= 0");
    am_status st = xgb_quiet();
    DMatrixHandle d = NULL;
    if (st || (st = xgb_matrix(n, m->nfeat, z, yc, &d))) return st;
    BoosterHandle b = NULL;
    if (XGBoosterCreate(&d, 1, &b) != 0) {
        st = xgb_fail("booster");
        XGDMatrixFree(d);
        return st;
    }
    if (XGBoosterSetParam(b, "nthread", "1") || XGBoosterSetParam(b, "objective", "reg:squarederror") ||
        XGBoosterSetParam(b, "tree_method", "hist") || XGBoosterSetParam(b, "base_score", "0"))
        st = xgb_fail("parameters");
    if (!st) st = xgb_set(b, "max_depth", "%.0f", p->depth);
    if (!st) st = xgb_set(b, "eta", "%.17g", p->eta);
    if (!st) st = xgb_set(b, "subsample", "%.17g", p->subsample);
    if (!st) st = xgb_set(b, "colsample_bytree", "%.17g", p->colsample);
    if (!st) st = xgb_set(b, "min_child_weight", "%.17g", p->min_child_weight);
    if (!st) st = xgb_set(b, "lambda", "%.17g", p->lambda);
    /* XGBoost's seed is an int */
    if (!st) st = xgb_set(b, "seed", "%.0f", (double)(p->seed % 2147483647UL));
    for (int it = 0; it < p->trees && !st; it++)
        if (XGBoosterUpdateOneIter(b, it, d) != 0) st = xgb_fail("training");
    XGDMatrixFree(d);
    if (st) { XGBoosterFree(b); return st; }
    m->state = b;
    return AM_OK;
}

static am_status xgb_predict(const am_learn_model *m, size_t n, const double *z, double *out)
{
    am_status st = xgb_quiet();
    DMatrixHandle d = NULL;
    if (st || (st = xgb_matrix(n, m->nfeat, z, NULL, &d))) return st;
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *res = NULL;
    if (XGBoosterPredictFromDMatrix((BoosterHandle)m->state, d,
                                    "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                                    "\"iteration_end\": 0, \"strict_shape\": false}",
                                    &shape, &dim, &res) != 0)
        st = xgb_fail("prediction");
    else if (dim != 1 || shape[0] != (bst_ulong)n)
        st = am_fail(AM_ERR_VALUE, "xgboost: prediction of shape %llu x ... for %zu atoms", (unsigned long long)shape[0],
                     n);
    for (size_t i = 0; i < n && !st; i++) out[i] = res[i];
    XGDMatrixFree(d);
    return st;
}

static am_status xgb_save(const am_learn_model *m, FILE *f)
{
    bst_ulong len = 0;
    const char *buf = NULL;
    if (XGBoosterSaveModelToBuffer((BoosterHandle)m->state, "{\"format\": \"json\"}", &len, &buf) != 0)
        return xgb_fail("saving the model");
    fprintf(f, "xgboost json %llu\n", (unsigned long long)len);
    fwrite(buf, 1, (size_t)len, f);
    fputc('\n', f);
    return AM_OK;
}

static am_status xgb_load(am_learn_model *m, am_io_lr *r)
{
    am_status st = lr_next_line(r, "'xgboost json BYTES'");
    if (st) return st;
    long long len = 0;
    if (r->ntok != 3 || strcmp(r->tok[0], "xgboost") != 0 || strcmp(r->tok[1], "json") != 0 ||
        !am_io_parse_ll(r->tok[2], &len) || len < 2 || len > r->size)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->buf, "expected 'xgboost json BYTES' with BYTES within the file");
    char *buf = malloc((size_t)len);
    if (!buf) return am_fail(AM_ERR_NOMEM, "%s: out of memory for a %lld-byte model", r->path, len);
    /* the JSON follows the line: read it as bytes, then resume line by line after it */
    const long header = r->line;
    if (fread(buf, 1, (size_t)len, r->fp) != (size_t)len) {
        free(buf);
        return am_io_fail(AM_ERR_PARSE, r->path, header, NULL, "expected %lld bytes of XGBoost model", len);
    }
    long lines = 0;
    for (long long k = 0; k < len; k++) lines += buf[k] == '\n';
    am_io_mark after = {r->next_off + len, header + lines + 1};
    BoosterHandle b = NULL;
    if ((st = lr_xgb_json_check(buf, (size_t)len, m->nfeat, r->path, header + 1)) || (st = xgb_quiet()) ||
        (st = am_io_lr_seek(r, after))) {
        free(buf);
        return st;
    }
    if (XGBoosterCreate(NULL, 0, &b) != 0) st = xgb_fail("booster");
    else if (XGBoosterLoadModelFromBuffer(b, buf, (bst_ulong)len) != 0) {
        char msg[512];
        st = am_io_fail(AM_ERR_PARSE, r->path, header + 1, NULL, "XGBoost cannot read the model: %s",
                        xgb_error(msg, sizeof msg));
    }
    else if (XGBoosterSetParam(b, "nthread", "1") != 0) st = xgb_fail("parameters");
    free(buf);
    if (!st) {
        bst_ulong nf = 0;
        if (XGBoosterGetNumFeature(b, &nf) != 0) st = xgb_fail("features");
        else if ((long long)nf != m->nfeat)
            st = am_io_fail(AM_ERR_PARSE, r->path, header + 1, NULL, "the XGBoost model has %llu features, the header %d",
                            (unsigned long long)nf, m->nfeat);
    }
    if (st) { if (b) XGBoosterFree(b); return st; }
    /* the JSON ends with its own line break written by xgb_save */
    m->state = b;
    return AM_OK;
}

const am_learn_type lr_xgboost_type = {"xgboost", 1, xgb_train, xgb_predict, xgb_save, xgb_load, xgb_release};
const am_learn_type *const am_learn_xgboost = &lr_xgboost_type;
