#include "learn_print.h"
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "0.412 [0.371, 0.452]" */
static void value_ci(FILE *f, double v, double lo, double hi)
{
    char b[64];
    if (isfinite(lo) && isfinite(hi)) snprintf(b, sizeof b, "%.3f [%.3f, %.3f]", v, lo, hi);
    else snprintf(b, sizeof b, "%.3f", v);
    fprintf(f, "  %-22s", b);
}

static void score_text(FILE *f, const am_learn_score *s)
{
    value_ci(f, s->r, s->r_lo, s->r_hi);
    value_ci(f, s->r2, s->r2_lo, s->r2_hi);
    value_ci(f, s->rho, s->rho_lo, s->rho_hi);
    value_ci(f, s->auc, s->auc_lo, s->auc_hi);
}

static void score_json(FILE *f, const am_learn_score *s)
{
    cli_json_printf(f, "{\"n\": %zu, \"r\": %.6g, \"r_ci\": [%.6g, %.6g], \"r2\": %.6g, \"r2_ci\": [%.6g, %.6g], "
                       "\"rho\": %.6g, \"rho_ci\": [%.6g, %.6g], \"auc\": %.6g, \"auc_ci\": [%.6g, %.6g], "
                       "\"tail_atoms\": %zu, \"resampled_blocks\": %d}",
                    s->n, s->r, s->r_lo, s->r_hi, s->r2, s->r2_lo, s->r2_hi, s->rho, s->rho_lo, s->rho_hi, s->auc,
                    s->auc_lo, s->auc_hi, s->ntail, s->nblocks);
}

static void header(FILE *f, const am_learn_options *o)
{
    fprintf(f, "model: %s", am_learn_type_name(o->type));
    if (o->type == am_learn_ridge && o->params.alpha < 0)
        fprintf(f, " (alpha: least error leaving out one other fold at a time)\n");
    else if (o->type == am_learn_ridge) fprintf(f, " (alpha %g)\n", o->params.alpha);
    else
        fprintf(f, " (%d trees, depth %d, eta %g, subsample %g, colsample %g)\n", o->params.trees, o->params.depth,
                o->params.eta, o->params.subsample, o->params.colsample);
}

/* Feature indices by decreasing importance (NaN last). */
static int *ranked(const double *imp, int nf)
{
    int *idx = malloc((size_t)(nf > 0 ? nf : 1) * sizeof *idx);
    if (!idx) return NULL;
    for (int k = 0; k < nf; k++) idx[k] = k;
    for (int a = 1; a < nf; a++)
        for (int b = a; b > 0; b--) {
            const double x = imp[idx[b - 1]], y = imp[idx[b]];
            if (!(isnan(x) || (!isnan(y) && y > x))) break;
            const int t = idx[b];
            idx[b] = idx[b - 1];
            idx[b - 1] = t;
        }
    return idx;
}

static int nradii_of(const am_learn_result *r)
{
    return r->nsel ? r->nrows / r->nsel : 0;
}

/* What the numbers cannot bear, in words (docs/learn.md, "Leaks"); up to
 * two, into msg[0..1]. */
static int cautions(const am_learn_result *r, const am_learn_options *o, char msg[2][400])
{
    int k = 0;
    const int nr = nradii_of(r);
    const double rmax = nr ? r->rows[nr - 1].radius : 0;
    if (o->gap < rmax)
        snprintf(msg[k++], sizeof msg[0], "gap %g Å < the largest coarse-graining radius %g Å: test atoms near block "
                 "faces share averaged features with training atoms, which a flexible model (xgboost) can exploit; "
                 "--gap %g removes that at the cost of training atoms", o->gap, rmax, rmax);
    size_t least = r->selcount[0];
    for (int s = 1; s < r->nsel; s++) least = r->selcount[s] < least ? r->selcount[s] : least;
    if (least < 500)
        snprintf(msg[k++], sizeof msg[0], "only %zu atoms in the smallest selection: %zu per tail for the AUC, and a "
                 "model of %d features may fit noise; read scores with their intervals", least,
                 (size_t)ceil(o->score.tail * (double)least), r->nfeat);
    return k;
}

void learn_print_study(FILE *f, const am_learn_result *r, const am_learn_options *o, const char *saved)
{
    const int nr = nradii_of(r), nc = r->nsel ? r->npoints / r->nsel : 0, nbase = nr ? r->nfeat / nr : 0;
    fprintf(f, "target: %s of %zu atoms: %zu with a value, %zu without (left out)\n", o->target, r->n, r->nknown,
            r->n - r->nknown);
    header(f, o);
    fprintf(f, "validation: %d folds of %d spatial blocks (%d x %d x %d), gap %g Å; 95 %% block-bootstrap intervals "
               "(%d resamples); AUC of the top vs bottom %g %%\n",
            r->nfolds, r->nblocks, o->blocks[0], o->blocks[1], o->blocks[2], o->gap, o->score.nboot,
            100 * o->score.tail);
    fprintf(f, "features: %d = %d descriptors x %d radii (", r->nfeat, nbase, nr);
    for (int k = 0; k < nr; k++) fprintf(f, "%s%g", k ? ", " : "", r->rows[k].radius);
    fprintf(f, " Å)\n");
    char msg[2][400];
    const int nm = cautions(r, o, msg);
    for (int k = 0; k < nm; k++) fprintf(f, "caution: %s\n", msg[k]);
    for (int s = 0; s < r->nsel; s++) {
        fprintf(f, "\n%s (%zu atoms): the model of all features up to R, out of sample | the best single "
                   "descriptor at R\n", r->selname[s], r->selcount[s]);
        fprintf(f, "   R/Å  feat  %-22s  %-22s  %-22s  %-22s | %-24s %7s  %-22s\n", "r", "R²", "ρ", "AUC",
                "descriptor", "r (in)", "r (alone, out of sample)");
        for (int k = 0; k < nr; k++) {
            const am_learn_row *w = &r->rows[s * nr + k];
            fprintf(f, "  %4g  %4d", w->radius, w->nfeat);
            score_text(f, &w->model);
            fprintf(f, " | %-24s %7.3f", w->best, w->best_r);
            value_ci(f, w->single.r, w->single.r_lo, w->single.r_hi);
            fprintf(f, "\n");
        }
        fprintf(f, "  learning curve (all features):\n   fraction  train atoms  %-22s  %-22s  %-22s  %-22s\n", "r",
                "R²", "ρ", "AUC");
        for (int k = 0; k < nc; k++) {
            const am_learn_point *p = &r->curve[s * nc + k];
            fprintf(f, "   %8g  %11.0f", p->fraction, p->ntrain);
            score_text(f, &p->model);
            fprintf(f, "\n");
        }
        const double *imp = r->importance + (size_t)s * (size_t)r->nfeat;
        int *idx = o->importance_repeats > 0 ? ranked(imp, r->nfeat) : NULL;
        if (idx) {
            fprintf(f, "  importance (drop of the out-of-sample R² with the feature shuffled), first 10:\n");
            for (int k = 0; k < r->nfeat && k < 10; k++)
                fprintf(f, "   %-32s %8.4f\n", r->features[idx[k]].name, imp[idx[k]]);
        }
        free(idx);
    }
    if (saved) fprintf(f, "\nmodel saved: %s (trained on the %zu atoms of '%s', all features)\n", saved, r->selcount[0],
                       r->selname[0]);
}

void learn_print_study_json(FILE *f, const am_learn_result *r, const am_learn_options *o, const char *saved)
{
    const int nr = nradii_of(r), nc = r->nsel ? r->npoints / r->nsel : 0;
    cli_json_printf(f, "{\"amorph_version\": \"%s\", \"target\": ", am_version());
    cli_json_str(f, o->target);
    cli_json_printf(f, ", \"atoms\": %zu, \"with_target\": %zu, \"left_out\": %zu, \"method\": \"%s\", ", r->n,
                    r->nknown, r->n - r->nknown, am_learn_type_name(o->type));
    fputs("\"params\": {\"alpha\": ", f);
    if (o->params.alpha < 0) fputs("\"auto\"", f);
    else cli_json_num(f, o->params.alpha);
    cli_json_printf(f, ", \"trees\": %d, \"depth\": %d, \"eta\": %.17g, \"subsample\": %.17g, \"colsample\": %.17g}, ",
                    o->params.trees, o->params.depth, o->params.eta, o->params.subsample, o->params.colsample);
    cli_json_printf(f, "\"blocks\": [%d, %d, %d], \"folds\": %d, \"gap\": %.17g, \"bootstrap\": %d, \"tail\": %.17g, "
                       "\"seed\": %lu, \"radii\": [",
                    o->blocks[0], o->blocks[1], o->blocks[2], r->nfolds, o->gap, o->score.nboot, o->score.tail, o->seed);
    for (int k = 0; k < nr; k++) cli_json_printf(f, "%s%.17g", k ? ", " : "", r->rows[k].radius);
    fputs("], \"features\": [", f);
    for (int k = 0; k < r->nfeat; k++) {
        fputs(k ? ", " : "", f);
        cli_json_str(f, r->features[k].name);
    }
    fputs("], \"selections\": [", f);
    for (int s = 0; s < r->nsel; s++) {
        fputs(s ? ", {\"name\": " : "{\"name\": ", f);
        cli_json_str(f, r->selname[s]);
        cli_json_printf(f, ", \"atoms\": %zu, \"radii\": [", r->selcount[s]);
        for (int k = 0; k < nr; k++) {
            const am_learn_row *w = &r->rows[s * nr + k];
            cli_json_printf(f, "%s{\"radius\": %.17g, \"features\": %d, \"model\": ", k ? ", " : "", w->radius, w->nfeat);
            score_json(f, &w->model);
            fputs(", \"best_single\": {\"name\": ", f);
            cli_json_str(f, w->best);
            cli_json_printf(f, ", \"r_in_sample\": %.6g, \"alone\": ", w->best_r);
            score_json(f, &w->single);
            fputs("}}", f);
        }
        fputs("], \"learning_curve\": [", f);
        for (int k = 0; k < nc; k++) {
            const am_learn_point *p = &r->curve[s * nc + k];
            cli_json_printf(f, "%s{\"fraction\": %.17g, \"train_atoms\": %.6g, \"model\": ", k ? ", " : "", p->fraction,
                            p->ntrain);
            score_json(f, &p->model);
            fputs("}", f);
        }
        fputs("], \"importance\": [", f);
        const double *imp = r->importance + (size_t)s * (size_t)r->nfeat;
        int *idx = o->importance_repeats > 0 ? ranked(imp, r->nfeat) : NULL;
        for (int k = 0; idx && k < r->nfeat; k++) {
            fputs(k ? ", {\"feature\": " : "{\"feature\": ", f);
            cli_json_str(f, r->features[idx[k]].name);
            cli_json_printf(f, ", \"drop_r2\": %.6g}", imp[idx[k]]);
        }
        free(idx);
        fputs("]}", f);
    }
    char msg[2][400];
    const int nm = cautions(r, o, msg);
    fputs("], \"cautions\": [", f);
    for (int k = 0; k < nm; k++) {
        fputs(k ? ", " : "", f);
        cli_json_str(f, msg[k]);
    }
    fputs("], \"saved_model\": ", f);
    cli_json_str(f, saved);
    fputs("}\n", f);
}

void learn_print_prediction(FILE *f, const char *model_path, const am_learn_model *m, size_t n,
                            const am_learn_assessment *a, double tail)
{
    fprintf(f, "model: %s (%s of %s, %d features, trained on %zu atoms of %s): predicted %zu atoms\n", model_path,
            am_learn_type_name(am_learn_model_type(m)), am_learn_model_target(m), am_learn_model_nfeatures(m),
            am_learn_model_ntrain(m), am_learn_model_selection(m), n);
    if (!a) {
        fprintf(f, "no '%s' column in the tables: nothing to score against\n", am_learn_model_target(m));
        return;
    }
    fprintf(f, "against the tables' %s (%zu atoms with a value; 95 %% block-bootstrap intervals, AUC of the top vs "
               "bottom %g %%):\n   %-10s %6s  %-22s  %-22s  %-22s  %-22s\n",
            am_learn_model_target(m), a->nknown, 100 * tail, "selection", "atoms", "r", "R²", "ρ", "AUC");
    for (int s = 0; s < a->nsel; s++) {
        fprintf(f, "   %-10s %6zu", a->selname[s], a->selcount[s]);
        score_text(f, &a->score[s]);
        fprintf(f, "\n");
    }
}

void learn_print_prediction_json(FILE *f, const char *model_path, const am_learn_model *m, size_t n,
                                 const am_learn_assessment *a)
{
    cli_json_printf(f, "{\"amorph_version\": \"%s\", \"model\": ", am_version());
    cli_json_str(f, model_path);
    cli_json_printf(f, ", \"method\": \"%s\", \"target\": ", am_learn_type_name(am_learn_model_type(m)));
    cli_json_str(f, am_learn_model_target(m));
    fputs(", \"selection\": ", f);
    cli_json_str(f, am_learn_model_selection(m));
    cli_json_printf(f, ", \"features\": %d, \"trained_on\": %zu, \"atoms\": %zu, \"scores\": ",
                    am_learn_model_nfeatures(m), am_learn_model_ntrain(m), n);
    if (!a) {
        fputs("null}\n", f);
        return;
    }
    cli_json_printf(f, "{\"with_target\": %zu, \"selections\": [", a->nknown);
    for (int s = 0; s < a->nsel; s++) {
        fputs(s ? ", {\"name\": " : "{\"name\": ", f);
        cli_json_str(f, a->selname[s]);
        cli_json_printf(f, ", \"atoms\": %zu, \"score\": ", a->selcount[s]);
        score_json(f, &a->score[s]);
        fputs("}", f);
    }
    fputs("]}}\n", f);
}
