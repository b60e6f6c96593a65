/* Cross-validation over folds of spatial blocks, with permutation
 * importance. Each fold's model is trained and used by one thread; folds
 * run side by side (where the type allows) and write disjoint atoms and
 * their own sums, added in fold order afterwards: the same numbers for any
 * thread count. */
#include "learn/learn_internal.h"
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void am_learn_cv_defaults(am_learn_cv_options *o)
{
    o->nfolds = 5;
    o->fold = NULL;
    o->near = NULL;
    o->train_fraction = 1.0;
    o->importance_repeats = 5;
    o->seed = 1;
}

typedef struct cv_fold {
    am_status st;
    char msg[512];        /* the error, from the thread that met it */
    size_t ntest, ntrain;
    double ss_base;       /* Σ over the test atoms of (y − ŷ)², in test order */
    double *ss_perm;      /* nfeat: Σ over repeats and test atoms of (y − ŷ with feature k permuted)² */
} cv_fold;

typedef struct cv_job {
    const am_learn_type *t;
    const am_learn_params *p;
    size_t n;
    int nfeat;
    const double *x, *y;
    const am_learn_cv_options *o;
    double *yhat;
    int importance;
} cv_job;

static int by_size(const void *a, const void *b)
{
    const size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static void gather(const cv_job *j, const size_t *idx, size_t m, double *xs, double *ys)
{
    const size_t np = (size_t)j->nfeat;
    for (size_t q = 0; q < m; q++) {
        memcpy(xs + q * np, j->x + idx[q] * np, np * sizeof *xs);
        if (ys) ys[q] = j->y[idx[q]];
    }
}

/* The training atoms of fold f: the other folds' atoms outside the buffer,
 * then the fraction asked for, the first of an order drawn from (seed, f),
 * put back in atom order. */
#define LR_MIN_TRAIN 10

static size_t training_atoms(const cv_job *j, int f, size_t *idx)
{
    const am_learn_cv_options *o = j->o;
    size_t m = 0;
    for (size_t i = 0; i < j->n; i++)
        if (o->fold[i] >= 0 && o->fold[i] != f && !(o->near && (o->near[i] >> f & 1ULL))) idx[m++] = i;
    if (o->train_fraction >= 1.0 || m < 3) return m;
    uint64_t state = an_mix64(an_mix64((uint64_t)o->seed + 0x7EA1D5ULL) ^ (uint64_t)(f + 1));
    for (size_t k = m - 1; k > 0; k--) {
        const size_t r = an_below(&state, k + 1), t = idx[k];
        idx[k] = idx[r];
        idx[r] = t;
    }
    /* a point of the learning curve keeps at least LR_MIN_TRAIN atoms */
    size_t keep = (size_t)llround(o->train_fraction * (double)m);
    keep = keep < LR_MIN_TRAIN ? (m < LR_MIN_TRAIN ? m : LR_MIN_TRAIN) : keep;
    qsort(idx, keep, sizeof *idx, by_size);
    return keep;
}

/* Permutation importance of fold f's model m on its nte test atoms te
 * (features xs, nte × nfeat): ss[k] = Σ over the test atoms of the squared
 * error with feature k shuffled among them, averaged over the repeats. The
 * repeats are copies of the test rows predicted in one call. */
static am_status importance(const cv_job *j, int f, const am_learn_model *m, const size_t *te, size_t nte,
                            const double *xs, double base, double *ss)
{
    const size_t np = (size_t)j->nfeat;
    const int reps = j->o->importance_repeats;
    double *xp = malloc((size_t)reps * nte * np * sizeof *xp), *pp = malloc((size_t)reps * nte * sizeof *pp);
    am_status st = xp && pp ? AM_OK : am_fail(AM_ERR_NOMEM, "learn: out of memory for the importance");
    for (int r = 0; r < reps && !st; r++) memcpy(xp + (size_t)r * nte * np, xs, nte * np * sizeof *xp);
    for (size_t k = 0; k < np && !st; k++) {
        /* shuffling equal values changes nothing: exactly no importance */
        size_t q = 1;
        while (q < nte && xs[q * np + k] == xs[k]) q++;
        if (q == nte) {
            ss[k] = base;
            continue;
        }
        for (int r = 0; r < reps; r++) {
            double *xr = xp + (size_t)r * nte * np;
            /* the shuffle's stream depends on (seed, fold, feature, repeat) only */
            uint64_t state = an_mix64((uint64_t)j->o->seed + 0x1A2B3C4DULL) ^
                             an_mix64(((uint64_t)f << 40) ^ ((uint64_t)k << 16) ^ (uint64_t)r);
            for (size_t q = nte - 1; q > 0; q--) {
                const size_t s = an_below(&state, q + 1);
                const double t = xr[q * np + k];
                xr[q * np + k] = xr[s * np + k];
                xr[s * np + k] = t;
            }
        }
        st = am_learn_predict(m, (size_t)reps * nte, xp, pp);
        double sum = 0.0;
        for (int r = 0; r < reps && !st; r++)
            for (size_t q = 0; q < nte; q++) {
                const double e = j->y[te[q]] - pp[(size_t)r * nte + q];
                sum += e * e;
            }
        ss[k] = sum / reps;
        /* the test atoms' own values back for the next feature */
        for (int r = 0; r < reps; r++)
            for (size_t q = 0; q < nte; q++) xp[((size_t)r * nte + q) * np + k] = xs[q * np + k];
    }
    free(xp);
    free(pp);
    return st;
}

static am_status run_fold(const cv_job *j, int f, cv_fold *out)
{
    const size_t np = (size_t)j->nfeat;
    size_t *tr = malloc(j->n * sizeof *tr), *te = malloc(j->n * sizeof *te);
    double *xs = malloc(j->n * np * sizeof *xs), *ys = malloc(j->n * sizeof *ys), *pred = malloc(j->n * sizeof *pred);
    int *grp = malloc(j->n * sizeof *grp);
    am_learn_model *m = NULL;
    am_learn_params p = *j->p;
    am_status st = tr && te && xs && ys && pred && grp
                       ? AM_OK
                       : am_fail(AM_ERR_NOMEM, "learn: out of memory for a fold");
    size_t nte = 0;
    for (size_t i = 0; i < j->n && !st; i++)
        if (j->o->fold[i] == f) te[nte++] = i;
    out->ntest = nte;
    if (!st && nte > 0) {
        const size_t ntr = training_atoms(j, f, tr);
        out->ntrain = ntr;
        if (ntr < 3)
            st = am_fail(AM_ERR_VALUE, "learn: fold %d has %zu training atoms; expected at least 3 (fewer folds, a "
                                       "smaller gap or more atoms)", f + 1, ntr);
        if (!st) {
            gather(j, tr, ntr, xs, ys);
            /* a model that tunes itself (ridge's α) leaves out the other folds in turn */
            for (size_t q = 0; q < ntr; q++) grp[q] = j->o->fold[tr[q]];
            p.groups = grp;
            st = am_learn_train(j->t, &p, ntr, j->nfeat, xs, ys, &m);
        }
        if (!st) {
            gather(j, te, nte, xs, NULL);
            st = am_learn_predict(m, nte, xs, pred);
        }
        for (size_t q = 0; q < nte && !st; q++) {
            j->yhat[te[q]] = pred[q];
            out->ss_base += (j->y[te[q]] - pred[q]) * (j->y[te[q]] - pred[q]);
        }
        if (!st && j->importance && j->o->importance_repeats > 0)
            st = importance(j, f, m, te, nte, xs, out->ss_base, out->ss_perm);
    }
    am_learn_free(m);
    free(tr); free(te); free(xs); free(ys); free(pred); free(grp);
    return st;
}

am_status am_learn_cv(const am_learn_type *t, const am_learn_params *p, size_t n, int nfeat, const double *x,
                      const double *y, const am_learn_cv_options *o, double *yhat, double *importance, double *ntrain)
{
    if (!t || !x || !y || !o || !o->fold || !yhat) return am_fail(AM_ERR_VALUE, "learn: cross-validation: missing argument");
    if (o->nfolds < 2 || o->nfolds > 64 || nfeat < 1 || !(o->train_fraction > 0 && o->train_fraction <= 1) ||
        o->importance_repeats < 0)
        return am_fail(AM_ERR_VALUE, "learn: cross-validation: expected 2..64 folds, features, a training fraction in "
                                     "(0, 1] and repeats >= 0");
    for (size_t i = 0; i < n; i++) {
        yhat[i] = NAN;
        if (o->fold[i] >= o->nfolds || o->fold[i] < -1)
            return am_fail(AM_ERR_VALUE, "learn: atom %zu in fold %d; expected -1..%d", i, o->fold[i], o->nfolds - 1);
    }
    const int nf = o->nfolds;
    cv_fold *fo = calloc((size_t)nf, sizeof *fo);
    double *ss = importance ? calloc((size_t)nf * (size_t)nfeat, sizeof *ss) : NULL;
    if (!fo || (importance && !ss)) {
        free(fo);
        free(ss);
        return am_fail(AM_ERR_NOMEM, "learn: out of memory for %d folds", nf);
    }
    for (int f = 0; f < nf; f++) fo[f].ss_perm = ss ? ss + (size_t)f * (size_t)nfeat : NULL;
    const cv_job job = {t, p, n, nfeat, x, y, o, yhat, importance != NULL};
#pragma omp parallel for schedule(dynamic, 1) if (t->parallel_folds)
    for (int f = 0; f < nf; f++) {
        fo[f].st = run_fold(&job, f, &fo[f]);
        if (fo[f].st) snprintf(fo[f].msg, sizeof fo[f].msg, "%s", am_error_message());
    }
    am_status st = AM_OK;
    double tr = 0.0;
    int ran = 0;
    for (int f = 0; f < nf && !st; f++) {
        if (fo[f].st) st = am_fail(fo[f].st, "%s", fo[f].msg);
        if (fo[f].ntest) tr += (double)fo[f].ntrain, ran++;
    }
    if (!st && ran < 2) st = am_fail(AM_ERR_VALUE, "learn: only %d of %d folds hold atoms; expected at least 2", ran, nf);
    if (!st && ntrain) *ntrain = tr / ran;
    if (!st && importance) {
        /* R²(base) − R²(permuted) = (SS_perm − SS_res)/SS_tot over the pooled
         * test atoms, both sums taken fold by fold in the same order */
        double my = 0.0, res = 0.0, tot = 0.0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (o->fold[i] >= 0) my += y[i], m++;
        my /= (double)m;
        for (size_t i = 0; i < n; i++)
            if (o->fold[i] >= 0) tot += (y[i] - my) * (y[i] - my);
        for (int f = 0; f < nf; f++) res += fo[f].ss_base;
        for (int k = 0; k < nfeat; k++) {
            double perm = 0.0;
            for (int f = 0; f < nf; f++) perm += ss[(size_t)f * (size_t)nfeat + (size_t)k];
            importance[k] = o->importance_repeats > 0 && tot > 0 ? (perm - res) / tot : NAN;
        }
    }
    free(fo);
    free(ss);
    return st;
}
