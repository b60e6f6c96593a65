/* amorph — how much of a per-atom property do the descriptors predict?
 *
 * Regression models of a per-atom property y (e.g. the activation energy Ea,
 * eV) on per-atom descriptors x: ridge regression and gradient-boosted trees
 * (XGBoost), each a model type (GSL style: am_learn_ridge, am_learn_xgboost)
 * behind one opaque model object. Validation without leaks: cross-validation
 * by spatial blocks of the cell, never by random atoms (neighbouring atoms
 * share environments); out-of-sample Pearson r, R², Spearman ρ and the ROC
 * AUC of telling the top from the bottom tail of y, with block-bootstrap
 * intervals; permutation importance; learning curves; descriptors
 * coarse-grained over spheres of radius R (the multi-scale question).
 * See docs/learn.md.
 *
 * Layouts: a feature matrix x is row-major (atom-major), n × nfeat:
 * x[i*nfeat + k] is feature k of atom i, in the descriptor's own unit.
 * Targets and predictions are n values in the property's unit. All arrays
 * are caller-owned unless said otherwise. Results depend on the seed only,
 * not on the thread count. */
#ifndef AMORPH_LEARN_H
#define AMORPH_LEARN_H

#include "amorph/io.h"
#include "amorph/system.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- model types and their parameters ---- */

typedef struct am_learn_type am_learn_type;
/* Ridge regression on standardised features: minimises
 * Σ_i (y_i − ȳ − Σ_k β_k z_ik)² + α Σ_k β_k², z_ik = (x_ik − μ_k)/s_k
 * (μ, s: the training atoms' mean and standard deviation, s = 1 for a
 * constant feature); β = (ZᵀZ + αI)⁻¹ Zᵀ(y − ȳ). */
AM_API extern const am_learn_type *const am_learn_ridge;
/* Gradient-boosted regression trees (XGBoost's C API, histogram method,
 * squared error) on the same standardised features, fitted to y − ȳ. */
AM_API extern const am_learn_type *const am_learn_xgboost;
/* "ridge", "xgboost" */
AM_API const char *am_learn_type_name(const am_learn_type *t);
/* The type called name, or NULL. */
AM_API const am_learn_type *am_learn_type_find(const char *name);

#define AM_LEARN_ALPHA_AUTO (-1.0)
typedef struct am_learn_params {
    double alpha;            /* ridge: penalty α ≥ 0 on the standardised coefficients (in units of atoms:
                              * α weighs as much as α atoms' squared residuals of one σ_y), or
                              * AM_LEARN_ALPHA_AUTO: the α from 1e-3 to 1e7 (4 per decade) of least
                              * cross-validation error inside the training atoms, leaving out one
                              * group at a time (one atom: the exact leave-one-out error, when
                              * groups is NULL) (AM_LEARN_ALPHA_AUTO) */
    int trees;               /* xgboost: boosting rounds (300) */
    int depth;               /* xgboost: largest tree depth (4) */
    double eta;              /* xgboost: learning rate (shrinkage), (0, 1] (0.05) */
    double subsample;        /* xgboost: fraction of the training atoms each tree sees, (0, 1] (0.8) */
    double colsample;        /* xgboost: fraction of the features each tree sees, (0, 1] (0.8) */
    double min_child_weight; /* xgboost: least atoms in a leaf (5) */
    double lambda;           /* xgboost: L2 penalty on leaf values (1) */
    unsigned long seed;      /* xgboost: its row and feature sampling (1) */
    const int *groups;       /* n labels of the training atoms (e.g. their spatial blocks) for choosing
                              * α, or NULL (NULL; am_learn_cv passes each fold's model the folds of its
                              * training atoms: a nested cross-validation by blocks) */
} am_learn_params;
AM_API void am_learn_defaults(am_learn_params *p);

/* ---- features ---- */

#define AM_LEARN_NAME_LEN 80
/* What a feature is, so that a saved model can rebuild its features for
 * another configuration (am_learn_features). */
typedef struct am_learn_feature {
    char name[AM_LEARN_NAME_LEN]; /* base, or base_cgR for a coarse-grained one: cn_cg4p0 at 4 Å */
    char base[AM_LEARN_NAME_LEN]; /* the descriptor: a table column's component as amorph analyze names
                                   * them (cn, n5, vmsd_300_x, s2_rc4p0), or species_X (1 for atoms of
                                   * species X, 0 for others) */
    double radius;                /* Å; > 0: the mean of base over the atoms within radius of the atom,
                                   * itself included (am_neighbor_average); 0: the atom's own value */
} am_learn_feature;

/* The features of a table: every descriptor (components of the numeric
 * columns; `only`: comma-separated names or patterns with a trailing *, NULL:
 * all but those matched by `exclude`; column `skip`, the property, never),
 * then with species > 0 and more than one species in s, an indicator
 * species_X of every species but the last, each at every radius in radii
 * (nradii values, Å, 0 for the own values, strictly increasing).
 * Order: radius-major, so the features up to radii[r] are the first
 * (r+1) × (count per radius). *out is malloc'ed (free it). AM_ERR_VALUE when
 * no descriptor is found or `only` names one the table does not have. */
AM_API am_status am_learn_feature_list(const am_system *s, const am_table *t, const char *only, const char *exclude,
                                const char *skip, int species, const double *radii, int nradii,
                                am_learn_feature **out, int *nout);
/* The feature matrix x (n × nfeat, row-major) of s and its table t: each
 * base looked up by name (AM_ERR_VALUE naming a missing one), coarse-grained
 * over all atoms in one neighbour pass. A value that is not finite is
 * AM_ERR_VALUE, naming the descriptor and the atom's id. */
AM_API am_status am_learn_features(const am_system *s, const am_table *t, int nfeat, const am_learn_feature *f,
                            double *x);

/* ---- models ---- */

typedef struct am_learn_model am_learn_model;

/* Trains a model of type t (p NULL: defaults) on n atoms: x (n × nfeat),
 * y (n). Every value must be finite (AM_ERR_VALUE naming the atom's row and
 * the feature). The model is unlabelled (features x1, x2, ..., target y)
 * until am_learn_model_label. XGBoost runs on one thread: parallel work is
 * done over models (am_learn_cv's folds), which keeps every result
 * independent of the thread count. *out is released with am_learn_free(). */
AM_API am_status am_learn_train(const am_learn_type *t, const am_learn_params *p, size_t n, int nfeat, const double *x,
                         const double *y, am_learn_model **out);
/* Predictions y (n) for x (n × the model's nfeat). */
AM_API am_status am_learn_predict(const am_learn_model *m, size_t n, const double *x, double *y);
AM_API void am_learn_free(am_learn_model *m);

/* Names the target and the features (the model's nfeat entries, copied). */
AM_API am_status am_learn_model_label(am_learn_model *m, const char *target, const am_learn_feature *f);
AM_API const am_learn_type *am_learn_model_type(const am_learn_model *m);
AM_API int am_learn_model_nfeatures(const am_learn_model *m);
AM_API const am_learn_feature *am_learn_model_features(const am_learn_model *m); /* nfeat entries */
AM_API const char *am_learn_model_target(const am_learn_model *m);
/* The atoms it was trained on: "all", or a species (am_learn_fit with o->species). */
AM_API const char *am_learn_model_selection(const am_learn_model *m);
AM_API size_t am_learn_model_ntrain(const am_learn_model *m);                    /* atoms it was trained on */
/* The standardisation: mean μ and scale s of every feature (nfeat each),
 * and ȳ, the training targets' mean (any pointer may be NULL). */
AM_API void am_learn_model_scaling(const am_learn_model *m, double *mean, double *scale, double *ymean);
/* The penalty a ridge model was trained with (the one GCV chose for
 * AM_LEARN_ALPHA_AUTO); NaN for another type. */
AM_API double am_learn_ridge_alpha(const am_learn_model *m);
/* A ridge model in the features' own units: y = intercept + Σ_k beta_k x_k
 * (beta: nfeat). AM_ERR_VALUE for another type. */
AM_API am_status am_learn_ridge_coefficients(const am_learn_model *m, double *beta, double *intercept);

/* A model file: text, versioned ("amorph-learn 1", docs/learn.md), with
 * the type, target, features (name, base, radius, μ, s) and ȳ, then the
 * type's part: ridge's α and β, or XGBoost's own JSON model. Numbers are
 * written so that they read back to the same bits: a loaded model predicts
 * exactly what the saved one did. Written atomically. */
AM_API am_status am_learn_save(const am_learn_model *m, const char *path);
AM_API am_status am_learn_load(const char *path, am_learn_model **out);

/* ---- leak-free validation ---- */

/* Spatial block of every atom (block: n values): the cell cut into
 * nb[0] × nb[1] × nb[2] equal parts along its three cell vectors (fractional
 * coordinates, wrapped), block = (a·nb[1] + b)·nb[2] + c. nb = {k, k, k}: k³
 * cubes; {k, 1, 1}: slabs along the first vector. Each nb in 1..64. */
AM_API am_status am_learn_blocks(const am_system *s, const int nb[3], int *block);
/* Fold of every block (fold: nblocks values): the blocks in an order drawn
 * from seed, dealt round-robin into nfolds folds (2 ≤ nfolds ≤ min(nblocks, 64)). */
AM_API am_status am_learn_folds(int nblocks, int nfolds, unsigned long seed, int *fold);
/* A buffer between training and test atoms: near (n values) gets bit f set
 * for every atom closer than gap (Å, every periodic image) to an atom of
 * fold f other than itself's own fold (fold: n values, −1 for atoms
 * in no fold); am_learn_cv does not train fold f's model on them. */
AM_API am_status am_learn_gap(const am_system *s, const int *fold, int nfolds, double gap, unsigned long long *near);

typedef struct am_learn_cv_options {
    int nfolds;
    const int *fold;                /* n: the fold whose test set holds the atom, 0..nfolds−1; −1: unused */
    const unsigned long long *near; /* n or NULL: am_learn_gap's buffer */
    double train_fraction;          /* (0, 1]: each fold trains on this fraction of its training atoms
                                     * (but at least 10), the first of an order drawn from (seed, fold), so
                                     * smaller fractions are subsets of larger ones (the learning curve) (1) */
    int importance_repeats;         /* permutations per feature and fold for the importance (0: none) (5) */
    unsigned long seed;             /* (1) */
} am_learn_cv_options;
AM_API void am_learn_cv_defaults(am_learn_cv_options *o);

/* Cross-validation: for each fold f, a model trained on the atoms of the
 * other folds (less the buffer and the fraction left out) predicts fold f's
 * atoms. yhat (n) gets every atom's out-of-sample prediction (NaN for
 * fold −1). importance (nfeat, or NULL) gets the permutation importance:
 * the drop of the pooled out-of-sample R² when feature k's values are
 * shuffled among each fold's test atoms, averaged over the repeats. ntrain
 * (or NULL): mean training atoms per fold. Folds run in parallel. */
AM_API am_status am_learn_cv(const am_learn_type *t, const am_learn_params *p, size_t n, int nfeat, const double *x,
                      const double *y, const am_learn_cv_options *o, double *yhat, double *importance, double *ntrain);

/* ---- scores ---- */

typedef struct am_learn_score_options {
    double tail;           /* AUC classes: the top and the bottom fraction of y (0.05) */
    int nboot;             /* bootstrap resamples (1000; 0: no intervals) */
    double level;          /* interval level (0.95) */
    unsigned long seed;    /* (1) */
} am_learn_score_options;
AM_API void am_learn_score_defaults(am_learn_score_options *o);

typedef struct am_learn_score {
    size_t n;                      /* atoms scored */
    double r, r_lo, r_hi;          /* Pearson r of y and ŷ, with its interval */
    double r2, r2_lo, r2_hi;       /* R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (negative when ŷ is worse than ȳ) */
    double rho, rho_lo, rho_hi;    /* Spearman ρ */
    double auc, auc_lo, auc_hi;    /* ROC AUC of ŷ telling the top tail of y from the bottom tail */
    size_t ntail;                  /* atoms in each tail: ⌈tail · n⌉ (ties in y broken by index) */
    int nblocks;                   /* blocks resampled (0: atoms resampled) */
} am_learn_score;

/* Scores of predictions yhat against y (n ≥ 3 finite pairs). Intervals:
 * percentile bootstrap; with block (n values, e.g. am_learn_blocks') each
 * resample draws whole blocks with replacement (as many as hold atoms), which
 * keeps the spatial correlation that resampling atoms would hide; with block
 * NULL, atoms. Resample b draws from a stream seeded by (seed, b): the
 * intervals do not depend on the thread count. */
AM_API am_status am_learn_evaluate(size_t n, const double *y, const double *yhat, const int *block,
                            const am_learn_score_options *o, am_learn_score *out);

/* ---- the whole study of one property ---- */

typedef struct am_learn_options {
    const am_learn_type *type;   /* am_learn_ridge */
    am_learn_params params;
    const char *target;          /* the property column ("ea_mean") */
    const char *valid;           /* atoms whose value in this column is 0 have no target (NULL: ea_count
                                  * for ea_* targets); atoms with a non-finite target have none either */
    const char *features;        /* descriptors (NULL: every numeric column but `exclude`'s) */
    const char *exclude;         /* AM_TABLE_NOT_DESCRIPTORS */
    const char *species;         /* NULL: all atoms, then each species; else that species only */
    const double *radii;         /* coarse-graining radii, Å, increasing, 0 = own values (NULL: 0, 4, 6, 8, 10) */
    int nradii;
    int blocks[3];               /* spatial blocks per cell vector ({3, 3, 3}) */
    int nfolds;                  /* folds of blocks (5) */
    double gap;                  /* buffer between training and test atoms, Å (0) */
    const double *curve;         /* learning-curve training fractions (NULL: 0.1, 0.2, 0.4, 0.7, 1) */
    int ncurve;
    int importance_repeats;      /* (5) */
    am_learn_score_options score;
    unsigned long seed;          /* folds, subsets, permutations and bootstrap (1) */
    void (*progress)(const char *stage, void *arg); /* or NULL */
    void *arg;
} am_learn_options;
AM_API void am_learn_options_defaults(am_learn_options *o);

#define AM_LEARN_MAXSEL (AM_MAX_SPECIES + 1)
typedef struct am_learn_row {    /* one selection, features up to one radius */
    int sel;
    double radius;               /* Å: features are the own values and their averages up to this radius */
    int nfeat;
    am_learn_score model;        /* the model, out of sample */
    char best[AM_LEARN_NAME_LEN]; /* the descriptor at exactly this radius with the largest in-sample |r| */
    double best_r;               /* its in-sample Pearson r with the target (sign kept) */
    am_learn_score single;       /* a ridge model of it alone, validated as the model */
} am_learn_row;

typedef struct am_learn_point {  /* one point of a learning curve (all features) */
    int sel;
    double fraction;             /* of each fold's training atoms */
    double ntrain;               /* mean training atoms per fold */
    am_learn_score model;
} am_learn_point;

typedef struct am_learn_result {
    size_t n;                    /* atoms */
    size_t nknown;               /* atoms with a target value (the others are left out) */
    int nsel;                    /* selections: "all" then each species, or the one species asked for */
    char selname[AM_LEARN_MAXSEL][AM_NAME_LEN];
    size_t selcount[AM_LEARN_MAXSEL];
    int nblocks;                 /* blocks of the cell (some may hold no atom with a target) */
    int nfolds;
    int nfeat;                   /* all features (every radius) */
    am_learn_feature *features;
    int nrows;                   /* nsel × nradii, selection-major */
    am_learn_row *rows;
    int npoints;                 /* nsel × ncurve, selection-major */
    am_learn_point *curve;
    double *importance;          /* nsel × nfeat: permutation importance (drop of R²) with all features */
    double *yhat;                /* nsel × n: out-of-sample predictions with all features (NaN outside
                                  * the selection) */
} am_learn_result;

/* Everything above for one property of one configuration s with its table t:
 * for each selection and each radius, the model's out-of-sample scores next
 * to the best single descriptor's; the learning curve and the importance
 * with all features. A species with fewer than 20 atoms with a target is
 * left out of the selections. AM_ERR_VALUE for a missing target or feature
 * column, a non-finite feature, fewer than 20 atoms with a target, or fewer
 * blocks holding them than folds. *out is released with
 * am_learn_result_free(). */
AM_API am_status am_learn_study(const am_system *s, const am_table *t, const am_learn_options *o,
                         am_learn_result **out);
AM_API void am_learn_result_free(am_learn_result *r);

/* The model the study validates, trained on every atom of its first
 * selection (all atoms with a target, or o->species') with all features,
 * labelled with the target and the features: what to save and apply to
 * another configuration. *out is released with am_learn_free(). */
AM_API am_status am_learn_fit(const am_system *s, const am_table *t, const am_learn_options *o, am_learn_model **out);

/* Predictions y (s->n values) of a labelled model for configuration s with
 * its table t: the model's features rebuilt by name (am_learn_features). */
AM_API am_status am_learn_model_apply(const am_learn_model *m, const am_system *s, const am_table *t, double *y);

/* Scores of predictions yhat (s->n values) against the target column of t,
 * over the atoms with a target value (o: target, valid, species, blocks for
 * the block bootstrap, score and seed), for all atoms and each species as
 * am_learn_study selects them. */
typedef struct am_learn_assessment {
    size_t nknown;               /* atoms with a target value */
    int nsel;
    char selname[AM_LEARN_MAXSEL][AM_NAME_LEN];
    size_t selcount[AM_LEARN_MAXSEL];
    am_learn_score score[AM_LEARN_MAXSEL];
} am_learn_assessment;
AM_API am_status am_learn_assess(const am_system *s, const am_table *t, const am_learn_options *o, const double *yhat,
                          am_learn_assessment *out);

#ifdef __cplusplus
}
#endif
#endif
