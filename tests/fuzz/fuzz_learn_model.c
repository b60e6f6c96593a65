/* Fuzz target: model files of `amorph learn --save-model`, read back by
 * `amorph learn --model` (am_learn_load): the header every type shares, then
 * ridge's coefficients or XGBoost's own JSON model. A loaded model's names
 * reach column names and species lookups, and its numbers every prediction. */
#include "fuzz_util.h"
#include "io/columns.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a name held in a buffer of cap bytes, usable as a table column */
static int column_name(const char *s, size_t cap)
{
    return s && memchr(s, '\0', cap) && am_io_column_name_ok(s);
}

/* What apply and the CLI rely on: names, a finite standardisation and, for
 * ridge, a penalty and coefficients that are numbers in the features' units. */
static void check_model(const am_learn_model *m, size_t size)
{
    const am_learn_type *t = am_learn_model_type(m);
    fuzz_require(t && am_learn_type_find(am_learn_type_name(t)) == t, "a known model type");
    fuzz_require(column_name(am_learn_model_target(m), AM_LEARN_NAME_LEN), "a target named as a column");
    fuzz_require(column_name(am_learn_model_selection(m), AM_NAME_LEN), "'all' or a species as the selection");
    fuzz_require(am_learn_model_ntrain(m) >= 2, "at least 2 training atoms");
    const int nf = am_learn_model_nfeatures(m);
    /* one line per feature */
    fuzz_require(nf >= 1 && (size_t)nf <= size, "a feature count of at least 1 that fits the file");
    const am_learn_feature *f = am_learn_model_features(m);
    for (int k = 0; k < nf; k++)
        fuzz_require(column_name(f[k].name, sizeof f[k].name) && column_name(f[k].base, sizeof f[k].base) &&
                         f[k].radius >= 0.0 && isfinite(f[k].radius),
                     "features named as columns, with a finite radius >= 0");
    double *mean = malloc((size_t)nf * sizeof *mean), *scale = malloc((size_t)nf * sizeof *scale), ymean;
    fuzz_require(mean && scale, "memory");
    am_learn_model_scaling(m, mean, scale, &ymean);
    fuzz_require(isfinite(ymean), "a finite target mean");
    for (int k = 0; k < nf; k++)
        fuzz_require(isfinite(mean[k]) && isfinite(scale[k]) && scale[k] > 0.0, "finite means, finite scales > 0");
    if (t == am_learn_ridge) {
        const double alpha = am_learn_ridge_alpha(m);
        fuzz_require(alpha >= 0.0 && isfinite(alpha), "a finite penalty >= 0");
        double *beta = malloc((size_t)nf * sizeof *beta), c0;
        fuzz_require(beta != NULL, "memory");
        fuzz_require(am_learn_ridge_coefficients(m, beta, &c0) == AM_OK, "a ridge model has coefficients");
        for (int k = 0; k < nf; k++) fuzz_require(isfinite(beta[k]), "finite coefficients in the features' units");
        fuzz_require(isfinite(c0), "a finite intercept");
        free(beta);
    }
    /* the average training atom: an input every model was made for, whose
     * standardised features are exactly 0 */
    double y;
    fuzz_require(am_learn_predict(m, 1, mean, &y) == AM_OK, "a loaded model predicts");
    fuzz_require(isfinite(y), "a finite prediction at the training mean");
    free(mean);
    free(scale);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    /* not NULL: the loader must clear it on failure */
    am_learn_model *m = (am_learn_model *)&path;
    am_status st = am_learn_load(path, &m);
    if (st) {
        fuzz_require(m == NULL, "no model after a failure");
        fuzz_check_failure(st, path);
        return 0;
    }
    check_model(m, size);
    am_learn_free(m);
    return 0;
}
