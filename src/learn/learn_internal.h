/* Internal: a model's parts and the interface every model type implements. */
#ifndef AM_LEARN_INTERNAL_H
#define AM_LEARN_INTERNAL_H

#include "amorph/learn.h"
#include "io/lineread.h"

#include <stdio.h>

/* The part common to every type: names, standardisation, the target's mean.
 * A type sees standardised features z and centred targets y − ȳ only, so
 * the same arithmetic runs on a trained and on a loaded model. */
struct am_learn_model {
    const am_learn_type *type;
    int nfeat;
    am_learn_feature *feat;
    char target[AM_LEARN_NAME_LEN];
    char select[AM_NAME_LEN]; /* the atoms it was trained on: "all" or one species */
    double *mean, *scale;   /* nfeat each */
    double ymean;
    size_t ntrain;
    void *state;            /* the type's */
};

struct am_learn_type {
    const char *name;
    /* Folds may train side by side. Not ridge: its LAPACK calls go to
     * OpenBLAS, whose own thread pool, entered from several threads at once,
     * made a cross-validation 25 times slower (measured on 2 cores); one
     * fold at a time it uses its threads itself. */
    int parallel_folds;
    /* Fits m->state to z (n × nfeat, standardised) and yc (n, centred). */
    am_status (*train)(am_learn_model *m, const am_learn_params *p, size_t n, const double *z, const double *yc);
    /* out[i] = the model's value for row i of z, before ȳ is added. */
    am_status (*predict)(const am_learn_model *m, size_t n, const double *z, double *out);
    /* The type's part of the model file, after the common header. */
    am_status (*save)(const am_learn_model *m, FILE *f);
    am_status (*load)(am_learn_model *m, am_io_lr *r);
    void (*release)(void *state);
};

/* A model with the common part allocated (features unnamed: x1, x2, ...). */
am_status lr_model_new(const am_learn_type *t, int nfeat, am_learn_model **out);

/* μ and s of every column of x (n × p); s = 1 where the column is constant. */
void lr_scaling_fit(size_t n, int p, const double *x, double *mean, double *scale);
/* z = (x − μ)/s, row by row (z may not alias x). */
void lr_scaling_apply(size_t n, int p, const double *x, const double *mean, const double *scale, double *z);

/* AM_ERR_VALUE when a value of x (n × p) or y (n, may be NULL) is not finite. */
am_status lr_check_finite(size_t n, int p, const double *x, const double *y);

/* The ridge penalty of least cross-validation error inside the training
 * rows (z: n × p standardised, yc centred): one group left out at a time,
 * or one row (exact leave-one-out) when groups is NULL or holds one group. */
am_status lr_ridge_alpha(size_t n, int p, const double *z, const double *yc, const int *groups, double *alpha);

/* The selections of a study: "all" atoms with a target (ok), then each
 * species with at least LR_MIN_ATOMS of them, or only `species`. Names and
 * counts into nsel, selname, selcount; the first must have LR_MIN_ATOMS. */
#define LR_MIN_ATOMS 20
am_status lr_selections(const am_system *s, const unsigned char *ok, const char *species, int *nsel,
                        char (*selname)[AM_NAME_LEN], size_t *selcount);
/* in[i] = atom i belongs to selection `name` (ok and of that species, or any for "all"). */
void lr_selection_mask(const am_system *s, const unsigned char *ok, const char *name, unsigned char *in);
/* Checked options with the defaults filled in where NULL. */
typedef struct lr_lists {
    const double *radii, *curve;
    int nradii, ncurve;
} lr_lists;
am_status lr_check_options(const am_learn_options *o, lr_lists *l);

/* Reads the next line of a model file and splits it; "file:line: expected
 * <what>" at end of file. */
am_status lr_next_line(am_io_lr *r, const char *what);

/* XGBoost's JSON model (len bytes, from line first_line of path) has the
 * shape amorph writes and trees XGBoost can walk, for a model of nfeat
 * features (xgboost_json.c); else AM_ERR_PARSE "path:line: expected ...". */
am_status lr_xgb_json_check(const char *buf, size_t len, int nfeat, const char *path, long first_line);

#endif
