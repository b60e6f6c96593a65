/* amorph learn: how much of a per-atom property do the descriptors predict,
 * all together, at every coarse-graining radius, validated without leaks. */
#include "commands.h"
#include "common.h"
#include "learn_print.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cli_opt opts[] = {
    {"target", 0, "NAME", "ea_mean", "the property column to predict (e.g. per-atom activation energy, eV)", NULL},
    {"valid", 0, "NAME", "(ea_count for ea_* targets)", "atoms whose value in this column is 0 have no target value "
                                                          "(left out, and counted)", NULL},
    {"features", 0, "LIST", "(every numeric column but --exclude's)", "descriptor columns or components (n5, "
                                                                       "vmsd_300K_x), comma-separated; a trailing * "
                                                                       "matches any ending", NULL},
    {"exclude", 0, "LIST", AM_TABLE_NOT_DESCRIPTORS, "columns that are not descriptors",
     NULL},
    {"method", 0, "NAME", "ridge", "ridge (linear on standardised features) or xgboost (gradient-boosted trees)", NULL},
    {"alpha", 0, "A|auto", "auto", "ridge: penalty on the standardised coefficients (as many atoms' squared "
                                   "residuals); auto: from 1e-3..1e7 the least error leaving out each other fold "
                                   "in turn", NULL},
    {"trees", 0, "N", "300", "xgboost: boosting rounds", NULL},
    {"depth", 0, "N", "4", "xgboost: largest tree depth", NULL},
    {"eta", 0, "F", "0.05", "xgboost: learning rate", NULL},
    {"subsample", 0, "F", "0.8", "xgboost: fraction of the training atoms each tree sees", NULL},
    {"colsample", 0, "F", "0.8", "xgboost: fraction of the features each tree sees", NULL},
    {"cg-radii", 0, "LIST", "0,4,6,8,10", "coarse-graining radii, Å: each descriptor also averaged over the atoms "
                                          "within R (0: the atom's own values); scores for features up to each R",
     NULL},
    {"blocks", 0, "K|KA,KB,KC", "3", "spatial blocks per cell vector for cross-validation (3: 27 cubes; 5,1,1: 5 "
                                     "slabs)", NULL},
    {"folds", 0, "N", "5", "cross-validation folds, each a set of whole blocks", NULL},
    {"gap", 0, "DIST", "0", "atoms closer than DIST to a fold's test atoms are not trained on for that fold, Å", NULL},
    {"train-fractions", 0, "LIST", "0.1,0.2,0.4,0.7,1", "learning curve: fractions of each fold's training atoms",
     NULL},
    {"importance-repeats", 0, "N", "5", "permutations per feature and fold for the importance (0: none)", NULL},
    {"bootstrap", 0, "N", "1000", "block-bootstrap resamples for the 95 % intervals (0: none)", NULL},
    {"tail", 0, "F", "0.05", "AUC: the model tells the top F of the target from the bottom F", NULL},
    {"select", 0, "SPECIES", "(all atoms, then each species)", "study one species' atoms only", NULL},
    {"seed", 0, "S", "1", "folds, training subsets, permutations, bootstrap and XGBoost's sampling", NULL},
    {"save-model", 0, "FILE", NULL, "also train on every atom with a target (all features) and save the model (text, "
                                    "docs/learn.md)", NULL},
    {"model", 0, "FILE", NULL, "predict with a saved model instead of training; scores it where the tables have the "
                               "target", NULL},
    {"output", 'o', "FILE", NULL, "per-atom table of TARGET_pred: cross-validated with all features where the atom "
                                  "has a target (TARGET_cv 1), else the model of all those atoms (-1 outside --select); "
                                  "with --model, the model's; extended XYZ, or a LAMMPS dump for .dump/.lammpstrj",
     NULL},
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "learn", "TABLE.extxyz [TABLE.extxyz ...] [--target ea_mean] [--method ridge|xgboost] [--model FILE]",
    "How much of a per-atom property (the target) do the descriptors of per-atom tables (joined by atom id:\n"
    "outputs of describe, vibrate, modes and artn) predict together? A model of all descriptors, also averaged\n"
    "over spheres of each --cg-radii R, is cross-validated by spatial blocks (never random atoms: neighbours\n"
    "share environments), for all atoms and each species: out-of-sample Pearson r, R², Spearman ρ and the AUC\n"
    "of telling the top from the bottom --tail of the target, with block-bootstrap 95 % intervals, next to the\n"
    "best single descriptor at each R; a learning curve and the permutation importance of every feature.\n"
    "Atoms without a target value (ea_count 0) are left out and counted. With --model, predicts instead.",
    opts, 1, 16,
};

/* "K" or "KA,KB,KC" */
static int parse_blocks(int nb[3])
{
    const char *s = cli_get(&verb, "blocks");
    int k[3], got = 0;
    char tail;
    if (sscanf(s, "%d,%d,%d%c", &k[0], &k[1], &k[2], &tail) == 3) got = 3;
    else if (sscanf(s, "%d%c", &k[0], &tail) == 1) got = 1, k[1] = k[2] = k[0];
    for (int d = 0; d < 3 && got; d++)
        if (k[d] < 1 || k[d] > 64) got = 0;
    if (!got) {
        fprintf(stderr, "amorph learn: --blocks %s: expected K or KA,KB,KC, each an integer in [1, 64]\n", s);
        return 2;
    }
    memcpy(nb, k, sizeof k);
    if (nb[0] * nb[1] * nb[2] < 2) {
        fprintf(stderr, "amorph learn: --blocks %s: expected at least 2 blocks\n", s);
        return 2;
    }
    return 0;
}

typedef struct lists {
    double *radii, *fractions;
} lists;

static int options(am_learn_options *o, lists *l)
{
    am_learn_options_defaults(o);
    const char *method = cli_get(&verb, "method");
    o->type = am_learn_type_find(method);
    if (!o->type) {
        fprintf(stderr, "amorph learn: --method %s: expected ridge or xgboost\n", method);
        return 2;
    }
    long trees = 0, depth = 0, folds = 0, reps = 0, nboot = 0, seed = 0;
    if ((strcmp(cli_get(&verb, "alpha"), "auto") != 0 && cli_double(&verb, "alpha", &o->params.alpha)) || cli_int(&verb, "trees", &trees) ||
        cli_int(&verb, "depth", &depth) || cli_double(&verb, "eta", &o->params.eta) ||
        cli_double(&verb, "subsample", &o->params.subsample) || cli_double(&verb, "colsample", &o->params.colsample) ||
        cli_int(&verb, "folds", &folds) || cli_double(&verb, "gap", &o->gap) ||
        cli_int(&verb, "importance-repeats", &reps) || cli_int(&verb, "bootstrap", &nboot) ||
        cli_double(&verb, "tail", &o->score.tail) || cli_int(&verb, "seed", &seed) || parse_blocks(o->blocks))
        return 2;
    o->params.trees = (int)trees;
    o->params.depth = (int)depth;
    o->params.seed = (unsigned long)seed;
    o->nfolds = (int)folds;
    o->importance_repeats = (int)reps;
    o->score.nboot = (int)nboot;
    o->seed = (unsigned long)seed;
    if (o->nfolds > o->blocks[0] * o->blocks[1] * o->blocks[2]) {
        fprintf(stderr, "amorph learn: --folds %d with --blocks %s: expected at most as many folds as blocks\n",
                o->nfolds, cli_get(&verb, "blocks"));
        return 2;
    }
    o->target = cli_get(&verb, "target");
    o->valid = cli_get(&verb, "valid");
    o->features = cli_get(&verb, "features");
    o->exclude = cli_get(&verb, "exclude");
    o->species = cli_get(&verb, "select");
    if (o->features && !o->features[strspn(o->features, ", ")]) {
        fprintf(stderr, "amorph learn: --features is empty; expected descriptor names\n");
        return 2;
    }
    if (cli_doubles(&verb, "cg-radii", &l->radii, &o->nradii) ||
        cli_doubles(&verb, "train-fractions", &l->fractions, &o->ncurve))
        return 2;
    for (int k = 1; k < o->nradii; k++)
        if (!(l->radii[k] > l->radii[k - 1])) {
            fprintf(stderr, "amorph learn: --cg-radii %s: expected increasing radii\n", cli_get(&verb, "cg-radii"));
            return 2;
        }
    o->radii = l->radii;
    o->curve = l->fractions;
    return 0;
}

static void progress(const char *stage, void *arg)
{
    (void)arg;
    fprintf(stderr, "amorph learn: %s\n", stage);
}

/* TARGET_pred next to the configuration, for -o; cv (may be NULL) marks
 * the cross-validated values as TARGET_cv. */
static int write_predictions(const char *path, const am_system *s, const char *target, const double *yhat,
                             const long long *cv)
{
    char name[96], flag[96];
    snprintf(name, sizeof name, "%s_pred", target);
    snprintf(flag, sizeof flag, "%s_cv", target);
    am_column col[2] = {{name, 1, yhat, NULL}, {flag, 1, NULL, cv}};
    am_status st = cli_write_atoms(path, s, col, cv ? 2 : 1, NULL);
    return st ? cli_report(verb.name, st) : 0;
}

static int predict(const char *model_path, const am_system *s, const am_table *t, const am_learn_options *o,
                   const char *out, int json, int quiet)
{
    am_learn_model *m = NULL;
    double *yhat = malloc((s->n ? s->n : 1) * sizeof *yhat);
    if (!yhat) {
        fprintf(stderr, "amorph learn: out of memory for %zu atoms\n", s->n);
        return 1;
    }
    am_status st = am_learn_load(model_path, &m);
    if (!st) st = am_learn_model_apply(m, s, t, yhat);
    if (st) {
        int rc = cli_report(verb.name, st);
        am_learn_free(m);
        free(yhat);
        return st == AM_ERR_VALUE || st == AM_ERR_PARSE ? 2 : rc;
    }
    /* the model's target unless another was asked for; a model of one
     * species predicts and is scored for that species' atoms only */
    am_learn_options oo = *o;
    if (!cli_given(&verb, "target")) oo.target = am_learn_model_target(m);
    const char *sel = am_learn_model_selection(m);
    if (strcmp(sel, "all") != 0) {
        oo.species = sel;
        for (size_t i = 0; i < s->n; i++)
            if (strcmp(s->species[s->type[i]].name, sel) != 0) yhat[i] = -1;
    }
    am_learn_assessment a;
    const int scored = am_table_find(t, oo.target) >= 0;
    if (scored && (st = am_learn_assess(s, t, &oo, yhat, &a))) {
        int rc = cli_report(verb.name, st);
        am_learn_free(m);
        free(yhat);
        return rc;
    }
    int rc = 0;
    if (out) rc = write_predictions(out, s, am_learn_model_target(m), yhat, NULL);
    if (!rc && json) learn_print_prediction_json(stdout, model_path, m, s->n, scored ? &a : NULL);
    else if (!rc && !quiet) learn_print_prediction(stdout, model_path, m, s->n, scored ? &a : NULL, o->score.tail);
    am_learn_free(m);
    free(yhat);
    return rc;
}

static int study(const am_system *s, const am_table *t, const am_learn_options *o, const char *out, int json,
                 int quiet)
{
    am_learn_result *r = NULL;
    am_status st = am_learn_study(s, t, o, &r);
    if (st) {
        int rc = cli_report(verb.name, st);
        return st == AM_ERR_VALUE ? 2 : rc;
    }
    int rc = 0;
    const char *save = cli_get(&verb, "save-model");
    am_learn_model *m = NULL;
    if (save || out) {
        st = am_learn_fit(s, t, o, &m);
        if (!st && save) st = am_learn_save(m, save);
        if (st) rc = cli_report(verb.name, st);
    }
    if (!rc && out) {
        /* out of sample everywhere: the cross-validated prediction where the
         * atom has a target, the model of all those atoms where it has none,
         * -1 outside the study's selection */
        double *y = malloc((s->n ? s->n : 1) * sizeof *y);
        long long *cv = malloc((s->n ? s->n : 1) * sizeof *cv);
        st = y && cv ? am_learn_model_apply(m, s, t, y) : AM_ERR_NOMEM;
        for (size_t i = 0; i < s->n && !st; i++) {
            cv[i] = isfinite(r->yhat[i]);
            if (cv[i]) y[i] = r->yhat[i];
            else if (o->species && strcmp(s->species[s->type[i]].name, o->species) != 0) y[i] = -1;
        }
        rc = st ? cli_report(verb.name, st) : write_predictions(out, s, o->target, y, cv);
        free(y);
        free(cv);
    }
    am_learn_free(m);
    if (!rc && json) learn_print_study_json(stdout, r, o, save);
    else if (!rc && !quiet) learn_print_study(stdout, r, o, save);
    am_learn_result_free(r);
    return rc;
}

int cmd_learn(int argc, char **argv)
{
    const char *pos[16];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    am_learn_options o;
    lists l = {NULL, NULL};
    am_system *s = NULL;
    am_table *t = NULL;
    const int quiet = cli_flag(&verb, "quiet"), json = cli_flag(&verb, "json");
    const char *model = cli_get(&verb, "model"), *out = cli_get(&verb, "output");
    if (model && cli_get(&verb, "save-model")) {
        fprintf(stderr, "amorph learn: --model predicts with a saved model; --save-model trains one: not both\n");
        rc = 2;
    }
    if (!rc) rc = options(&o, &l);
    if (!rc) rc = cli_load_tables(&verb, pos, npos, &s, &t);
    if (!rc) {
        o.progress = quiet || json ? NULL : progress;
        rc = model ? predict(model, s, t, &o, out, json, quiet) : study(s, t, &o, out, json, quiet);
    }
    free(l.radii);
    free(l.fractions);
    am_table_free(t);
    am_system_free(s);
    return rc;
}
