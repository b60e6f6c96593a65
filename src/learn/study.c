/* am_learn_study: the whole measurement for one property — for every
 * selection (all atoms, each species) and every coarse-graining radius, a
 * model of all features up to that radius against the best single
 * descriptor at it, both validated on the same folds of spatial blocks;
 * then the learning curve and the importance with all features. */
#include "learn/learn_internal.h"
#include "amorph/analysis.h"
#include "core/error.h"
#include "io/descriptors.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double default_radii[] = {0, 4, 6, 8, 10};
static const double default_curve[] = {0.1, 0.2, 0.4, 0.7, 1.0};

void am_learn_options_defaults(am_learn_options *o)
{
    memset(o, 0, sizeof *o);
    o->type = am_learn_ridge;
    am_learn_defaults(&o->params);
    o->target = "ea_mean";
    o->exclude = AM_TABLE_NOT_DESCRIPTORS;
    o->blocks[0] = o->blocks[1] = o->blocks[2] = 3;
    o->nfolds = 5;
    o->importance_repeats = 5;
    am_learn_score_defaults(&o->score);
    o->seed = 1;
}

void am_learn_result_free(am_learn_result *r)
{
    if (!r) return;
    free(r->features);
    free(r->rows);
    free(r->curve);
    free(r->importance);
    free(r->yhat);
    free(r);
}

/* What one selection's runs share. */
typedef struct st_sel {
    const am_learn_options *o;
    am_learn_score_options so;
    size_t m;              /* atoms */
    int nf, nbase;
    const am_learn_feature *feat; /* nf */
    const double *x;       /* m × nf */
    const double *y;       /* m */
    const int *block;      /* m */
    am_learn_cv_options cv;
    double *xr, *yhat;     /* m × nf and m: work */
} st_sel;

static void progress(const am_learn_options *o, const char *fmt, ...) AM_PRINTF(2, 3);
static void progress(const am_learn_options *o, const char *fmt, ...)
{
    if (!o->progress) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->progress(msg, o->arg);
}

/* Columns first .. first+cnt−1 of x, as a matrix of their own in xr. */
static void columns(const st_sel *c, int first, int cnt)
{
    for (size_t i = 0; i < c->m; i++)
        memcpy(c->xr + i * (size_t)cnt, c->x + i * (size_t)c->nf + (size_t)first, (size_t)cnt * sizeof *c->xr);
}

static am_status validate(const st_sel *c, const am_learn_type *t, int first, int cnt, double fraction,
                          double *importance, am_learn_score *out, double *ntrain)
{
    columns(c, first, cnt);
    am_learn_cv_options cv = c->cv;
    cv.train_fraction = fraction;
    am_status st = am_learn_cv(t, &c->o->params, c->m, cnt, c->xr, c->y, &cv, c->yhat, importance, ntrain);
    if (!st) st = am_learn_evaluate(c->m, c->y, c->yhat, c->block, &c->so, out);
    return st;
}

/* The descriptor at radius index r with the largest in-sample |r|, and a
 * ridge model of it alone. */
static am_status best_single(const st_sel *c, int r, am_learn_row *row)
{
    int best = -1;
    double best_r = 0.0;
    for (int b = 0; b < c->nbase; b++) {
        columns(c, r * c->nbase + b, 1);
        double rv;
        /* a descriptor constant over the selection (a species indicator) has no r */
        if (am_pearson(c->m, c->xr, c->y, &rv) != AM_OK) continue;
        if (best < 0 || fabs(rv) > fabs(best_r)) best = b, best_r = rv;
    }
    row->best_r = NAN;
    row->single = (am_learn_score){0};
    snprintf(row->best, sizeof row->best, "(none)");
    if (best < 0) return AM_OK;
    row->best_r = best_r;
    snprintf(row->best, sizeof row->best, "%s", c->feat[r * c->nbase + best].name);
    return validate(c, am_learn_ridge, r * c->nbase + best, 1, 1.0, NULL, &row->single, NULL);
}

am_status lr_check_options(const am_learn_options *o, lr_lists *l)
{
    if (!o->type || !o->target || !o->target[0]) return am_fail(AM_ERR_VALUE, "learn: expected a model type and a target");
    if (o->nradii < 0 || (o->nradii > 0 && !o->radii) || o->ncurve < 0 || (o->ncurve > 0 && !o->curve))
        return am_fail(AM_ERR_VALUE, "learn: radii or learning-curve fractions missing");
    l->radii = o->radii ? o->radii : default_radii;
    l->nradii = o->radii ? o->nradii : (int)(sizeof default_radii / sizeof *default_radii);
    l->curve = o->curve ? o->curve : default_curve;
    l->ncurve = o->curve ? o->ncurve : (int)(sizeof default_curve / sizeof *default_curve);
    if (l->nradii < 1) return am_fail(AM_ERR_VALUE, "learn: no coarse-graining radius (0 for the own values)");
    for (int k = 0; k < l->ncurve; k++)
        if (!(l->curve[k] > 0 && l->curve[k] <= 1))
            return am_fail(AM_ERR_VALUE, "learn: learning-curve fraction %g; expected (0, 1]", l->curve[k]);
    if (o->importance_repeats < 0 || !(o->gap >= 0) || !isfinite(o->gap))
        return am_fail(AM_ERR_VALUE, "learn: expected importance repeats >= 0 and a gap >= 0 Å");
    return AM_OK;
}

static am_status alloc_result(am_learn_result *r, int nsel, int nradii, int ncurve, int nf, size_t n)
{
    r->rows = calloc((size_t)(nsel * nradii), sizeof *r->rows);
    r->curve = calloc((size_t)(nsel * ncurve) + 1, sizeof *r->curve);
    r->importance = malloc((size_t)nsel * (size_t)nf * sizeof *r->importance);
    r->yhat = malloc((size_t)nsel * (n ? n : 1) * sizeof *r->yhat);
    if (!r->rows || !r->curve || !r->importance || !r->yhat)
        return am_fail(AM_ERR_NOMEM, "learn: out of memory for the results");
    for (size_t k = 0; k < (size_t)nsel * n; k++) r->yhat[k] = NAN;
    return AM_OK;
}

am_status lr_selections(const am_system *s, const unsigned char *ok, const char *species, int *nsel,
                        char (*selname)[AM_NAME_LEN], size_t *selcount)
{
    *nsel = 0;
    const int only = species ? am_system_species_index(s, species) : -1;
    if (species && only < 0) return am_fail(AM_ERR_VALUE, "learn: no species '%s' in the configuration", species);
    for (int k = -1; k < s->nspecies; k++) {
        if (species ? k != only : k >= 0 && s->nspecies < 2) continue;
        size_t cnt = 0;
        for (size_t i = 0; i < s->n; i++) cnt += ok[i] && (k < 0 || s->type[i] == k);
        /* a species too small to fill folds is left out; the first selection may not be */
        if (cnt < LR_MIN_ATOMS && *nsel > 0) continue;
        if (cnt < LR_MIN_ATOMS)
            return am_fail(AM_ERR_VALUE, "learn: only %zu %s%satoms have a target value; expected at least %d", cnt,
                           k >= 0 ? s->species[k].name : "", k >= 0 ? " " : "", LR_MIN_ATOMS);
        snprintf(selname[*nsel], AM_NAME_LEN, "%s", k < 0 ? "all" : s->species[k].name);
        selcount[(*nsel)++] = cnt;
    }
    return AM_OK;
}

void lr_selection_mask(const am_system *s, const unsigned char *ok, const char *name, unsigned char *in)
{
    const int sp = strcmp(name, "all") == 0 ? -1 : am_system_species_index(s, name);
    for (size_t i = 0; i < s->n; i++) in[i] = ok[i] && (sp < 0 || s->type[i] == sp);
}

/* Fold of every atom of the selection: its blocks that hold such atoms,
 * dealt into folds. fold: n values (−1 outside). */
static am_status folds(const am_learn_options *o, size_t n, const int *block, int nblocks, const unsigned char *in,
                       int *fold)
{
    int *pos = malloc((size_t)nblocks * sizeof *pos), *bf = malloc((size_t)nblocks * sizeof *bf);
    if (!pos || !bf) { free(pos); free(bf); return am_fail(AM_ERR_NOMEM, "learn: out of memory for %d blocks", nblocks); }
    for (int b = 0; b < nblocks; b++) pos[b] = -1;
    for (size_t i = 0; i < n; i++)
        if (in[i]) pos[block[i]] = 0;
    int used = 0;
    for (int b = 0; b < nblocks; b++)
        if (pos[b] == 0) pos[b] = used++;
    am_status st = used < o->nfolds
                       ? am_fail(AM_ERR_VALUE, "learn: the atoms with a target lie in %d of %d blocks, fewer than %d "
                                               "folds (more blocks, or fewer folds)", used, nblocks, o->nfolds)
                       : am_learn_folds(used, o->nfolds, o->seed, bf);
    for (size_t i = 0; i < n && !st; i++) fold[i] = in[i] ? bf[pos[block[i]]] : -1;
    free(pos);
    free(bf);
    return st;
}

static am_status run_selection(const am_system *s, const am_learn_options *o, const double *radii, int nradii,
                               const double *curve, int ncurve, const double *x, const double *p,
                               const unsigned char *in, const int *block, int nblocks, int k, am_learn_result *r)
{
    const size_t n = s->n, nf = (size_t)r->nfeat;
    const int nbase = r->nfeat / nradii;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) m += in[i];
    int *fold = malloc(n * sizeof *fold), *sf = malloc(m * sizeof *sf), *sb = malloc(m * sizeof *sb);
    size_t *idx = malloc(m * sizeof *idx);
    unsigned long long *near = malloc(n * sizeof *near), *sn = malloc(m * sizeof *sn);
    double *xs = malloc(m * nf * sizeof *xs), *ys = malloc(m * sizeof *ys);
    double *xr = malloc(m * nf * sizeof *xr), *yhat = malloc(m * sizeof *yhat), *imp = malloc(nf * sizeof *imp);
    am_status st = fold && sf && sb && idx && near && sn && xs && ys && xr && yhat && imp
                       ? AM_OK
                       : am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu atoms", m);
    if (!st) st = folds(o, n, block, nblocks, in, fold);
    if (!st) st = am_learn_gap(s, fold, o->nfolds, o->gap, near);
    if (!st) {
        size_t q = 0;
        for (size_t i = 0; i < n; i++) {
            if (!in[i]) continue;
            idx[q] = i;
            memcpy(xs + q * nf, x + i * nf, nf * sizeof *xs);
            ys[q] = p[i];
            sf[q] = fold[i];
            sb[q] = block[i];
            sn[q] = near[i];
            q++;
        }
    }
    st_sel c = {o, o->score, m, r->nfeat, nbase, r->features, xs, ys, sb, {0}, xr, yhat};
    c.so.seed = o->seed;
    am_learn_cv_defaults(&c.cv);
    c.cv.nfolds = o->nfolds;
    c.cv.fold = sf;
    c.cv.near = o->gap > 0 ? sn : NULL;
    c.cv.importance_repeats = o->importance_repeats;
    c.cv.seed = o->seed;
    for (int ri = 0; ri < nradii && !st; ri++) {
        am_learn_row *row = &r->rows[k * nradii + ri];
        const int last = ri == nradii - 1;
        progress(o, "%s: features up to %g Å", r->selname[k], radii[ri]);
        row->sel = k;
        row->radius = radii[ri];
        row->nfeat = (ri + 1) * nbase;
        st = validate(&c, o->type, 0, row->nfeat, 1.0, last && o->importance_repeats > 0 ? imp : NULL, &row->model,
                      NULL);
        if (!st && last) {
            for (size_t q = 0; q < m; q++) r->yhat[(size_t)k * n + idx[q]] = yhat[q];
            for (size_t f = 0; f < nf; f++) r->importance[(size_t)k * nf + f] = o->importance_repeats > 0 ? imp[f] : NAN;
        }
        if (!st) st = best_single(&c, ri, row);
    }
    for (int ci = 0; ci < ncurve && !st; ci++) {
        am_learn_point *pt = &r->curve[k * ncurve + ci];
        progress(o, "%s: learning curve, %g of the training atoms", r->selname[k], curve[ci]);
        pt->sel = k;
        pt->fraction = curve[ci];
        st = validate(&c, o->type, 0, r->nfeat, curve[ci], NULL, &pt->model, &pt->ntrain);
    }
    free(fold); free(sf); free(sb); free(idx); free(near); free(sn); free(xs); free(ys); free(xr); free(yhat); free(imp);
    return st;
}

am_status am_learn_study(const am_system *s, const am_table *t, const am_learn_options *o, am_learn_result **out)
{
    if (!s || !t || !o || !out) return am_fail(AM_ERR_VALUE, "learn: study: missing argument");
    *out = NULL;
    if (t->n != s->n) return am_fail(AM_ERR_VALUE, "learn: a table of %zu atoms for a system of %zu", t->n, s->n);
    lr_lists l;
    am_status st = lr_check_options(o, &l);
    if (st) return st;
    const double *radii = l.radii, *curve = l.curve;
    const int nradii = l.nradii, ncurve = l.ncurve;
    const size_t n = s->n;
    am_learn_result *r = calloc(1, sizeof *r);
    double *p = malloc((n ? n : 1) * sizeof *p), *x = NULL;
    unsigned char *ok = malloc(n ? n : 1), *in = malloc(n ? n : 1);
    int *block = malloc((n ? n : 1) * sizeof *block);
    if (!r || !p || !ok || !in || !block) st = am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu atoms", n);
    if (!st) {
        r->n = n;
        r->nfolds = o->nfolds;
        st = am_io_table_property(t, o->target, o->valid, p, ok);
    }
    if (!st) st = lr_selections(s, ok, o->species, &r->nsel, r->selname, r->selcount);
    if (!st) st = am_learn_feature_list(s, t, o->features, o->exclude, o->target, 1, radii, nradii, &r->features,
                                        &r->nfeat);
    if (!st && !(x = malloc(n * (size_t)r->nfeat * sizeof *x)))
        st = am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu x %d features", n, r->nfeat);
    if (!st) {
        progress(o, "features: %d (%d descriptors at %d radii)", r->nfeat, r->nfeat / nradii, nradii);
        st = am_learn_features(s, t, r->nfeat, r->features, x);
    }
    if (!st) st = am_learn_blocks(s, o->blocks, block);
    if (!st) {
        r->nblocks = o->blocks[0] * o->blocks[1] * o->blocks[2];
        for (size_t i = 0; i < n; i++) r->nknown += ok[i];
        r->nrows = r->nsel * nradii;
        r->npoints = r->nsel * ncurve;
        st = alloc_result(r, r->nsel, nradii, ncurve, r->nfeat, n);
    }
    for (int k = 0; k < r->nsel && !st; k++) {
        lr_selection_mask(s, ok, r->selname[k], in);
        st = run_selection(s, o, radii, nradii, curve, ncurve, x, p, in, block, r->nblocks, k, r);
    }
    free(p); free(x); free(ok); free(in); free(block);
    if (st) { am_learn_result_free(r); return st; }
    *out = r;
    return AM_OK;
}
