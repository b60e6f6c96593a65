/* A study's model for use elsewhere: trained on all its atoms, applied to
 * another configuration, and scored there. */
#include "learn/learn_internal.h"
#include "core/error.h"
#include "io/descriptors.h"

#include <stdlib.h>
#include <string.h>

am_status am_learn_fit(const am_system *s, const am_table *t, const am_learn_options *o, am_learn_model **out)
{
    if (!s || !t || !o || !out) return am_fail(AM_ERR_VALUE, "learn: fit: missing argument");
    *out = NULL;
    if (t->n != s->n) return am_fail(AM_ERR_VALUE, "learn: a table of %zu atoms for a system of %zu", t->n, s->n);
    lr_lists l;
    am_status st = lr_check_options(o, &l);
    if (st) return st;
    const size_t n = s->n;
    int nsel = 0, nf = 0;
    char names[AM_LEARN_MAXSEL][AM_NAME_LEN];
    size_t counts[AM_LEARN_MAXSEL];
    am_learn_feature *f = NULL;
    double *p = malloc((n ? n : 1) * sizeof *p), *x = NULL, *xs = NULL, *ys = NULL;
    unsigned char *ok = malloc(n ? n : 1), *in = malloc(n ? n : 1);
    int *block = malloc((n ? n : 1) * sizeof *block), *grp = malloc((n ? n : 1) * sizeof *grp);
    if (!p || !ok || !in || !block || !grp) st = am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu atoms", n);
    /* the validation's blocks choose ridge's α here too */
    if (!st) st = am_learn_blocks(s, o->blocks, block);
    if (!st) st = am_io_table_property(t, o->target, o->valid, p, ok);
    if (!st) st = lr_selections(s, ok, o->species, &nsel, names, counts);
    if (!st) st = am_learn_feature_list(s, t, o->features, o->exclude, o->target, 1, l.radii, l.nradii, &f, &nf);
    const size_t nfs = (size_t)nf, m = st ? 0 : counts[0];
    if (!st && (!(x = malloc(n * nfs * sizeof *x)) || !(xs = malloc(m * nfs * sizeof *xs)) || !(ys = malloc(m * sizeof *ys))))
        st = am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu x %d features", n, nf);
    if (!st) st = am_learn_features(s, t, nf, f, x);
    if (!st) {
        lr_selection_mask(s, ok, names[0], in);
        size_t q = 0;
        for (size_t i = 0; i < n; i++)
            if (in[i]) {
                memcpy(xs + q * nfs, x + i * nfs, nfs * sizeof *xs);
                grp[q] = block[i];
                ys[q++] = p[i];
            }
        am_learn_params par = o->params;
        par.groups = grp;
        st = am_learn_train(o->type, &par, m, nf, xs, ys, out);
    }
    if (!st) st = am_learn_model_label(*out, o->target, f);
    if (!st) snprintf((*out)->select, sizeof (*out)->select, "%s", names[0]);
    if (st && *out) { am_learn_free(*out); *out = NULL; }
    free(f); free(p); free(x); free(xs); free(ys); free(ok); free(in); free(block); free(grp);
    return st;
}

am_status am_learn_model_apply(const am_learn_model *m, const am_system *s, const am_table *t, double *y)
{
    if (!m || !s || !t || !y) return am_fail(AM_ERR_VALUE, "learn: apply: missing argument");
    const size_t n = s->n;
    double *x = malloc((n ? n : 1) * (size_t)m->nfeat * sizeof *x);
    if (!x) return am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu x %d features", n, m->nfeat);
    am_status st = am_learn_features(s, t, m->nfeat, m->feat, x);
    if (!st) st = am_learn_predict(m, n, x, y);
    free(x);
    return st;
}

am_status am_learn_assess(const am_system *s, const am_table *t, const am_learn_options *o, const double *yhat,
                          am_learn_assessment *out)
{
    if (!s || !t || !o || !yhat || !out) return am_fail(AM_ERR_VALUE, "learn: assess: missing argument");
    memset(out, 0, sizeof *out);
    if (t->n != s->n) return am_fail(AM_ERR_VALUE, "learn: a table of %zu atoms for a system of %zu", t->n, s->n);
    const size_t n = s->n;
    double *p = malloc((n ? n : 1) * sizeof *p), *ys = malloc((n ? n : 1) * sizeof *ys);
    double *hs = malloc((n ? n : 1) * sizeof *hs);
    unsigned char *ok = malloc(n ? n : 1), *in = malloc(n ? n : 1);
    int *block = malloc((n ? n : 1) * sizeof *block), *bs = malloc((n ? n : 1) * sizeof *bs);
    am_status st = p && ys && hs && ok && in && block && bs ? AM_OK
                                                            : am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu atoms", n);
    if (!st) st = am_io_table_property(t, o->target, o->valid, p, ok);
    if (!st) st = lr_selections(s, ok, o->species, &out->nsel, out->selname, out->selcount);
    if (!st) st = am_learn_blocks(s, o->blocks, block);
    am_learn_score_options so = o->score;
    so.seed = o->seed;
    for (size_t i = 0; i < n && !st; i++) out->nknown += ok[i];
    for (int k = 0; k < out->nsel && !st; k++) {
        lr_selection_mask(s, ok, out->selname[k], in);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (in[i]) ys[m] = p[i], hs[m] = yhat[i], bs[m] = block[i], m++;
        st = am_learn_evaluate(m, ys, hs, bs, &so, &out->score[k]);
    }
    free(p); free(ys); free(hs); free(ok); free(in); free(block); free(bs);
    return st;
}
