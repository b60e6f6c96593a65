/* Out-of-sample scores with bootstrap intervals: Pearson r, R², Spearman ρ
 * and the AUC of the tails.
 *
 * A resample is held as multiplicities c_i (analysis/bootstrap.c's device),
 * so every score is a weighted sum over the original atoms and needs no
 * re-sorting: ranks follow from one walk along the full sample's order. The
 * resampling unit is the spatial block where blocks are given: atoms of one
 * block share their environment and their errors, and drawing them one by
 * one would count correlated atoms as independent evidence (intervals too
 * narrow by the square root of the atoms per correlation volume). */
#include "learn/learn_internal.h"
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void am_learn_score_defaults(am_learn_score_options *o)
{
    o->tail = 0.05;
    o->nboot = 1000;
    o->level = 0.95;
    o->seed = 1;
}

/* The four scores of the resample c. ry, rh: rank buffers (n each).
 * cls: +1 top tail, −1 bottom tail, 0 neither. */
typedef struct sc_data {
    size_t n;
    const double *y, *h;
    const size_t *oy, *oh;  /* orders of y and ŷ */
    const signed char *cls;
} sc_data;

static void scores(const sc_data *d, const unsigned *c, double *ry, double *rh, double out[4])
{
    const size_t n = d->n;
    out[0] = an_weighted_pearson(n, c, d->y, d->h);
    double w = 0.0, my = 0.0;
    for (size_t i = 0; i < n; i++) { w += c[i]; my += c[i] * d->y[i]; }
    my /= w;
    double res = 0.0, tot = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i]) continue;
        res += c[i] * (d->y[i] - d->h[i]) * (d->y[i] - d->h[i]);
        tot += c[i] * (d->y[i] - my) * (d->y[i] - my);
    }
    out[1] = tot > 0.0 ? 1.0 - res / tot : NAN;
    an_resample_ranks(n, d->y, d->oy, c, ry);
    an_resample_ranks(n, d->h, d->oh, c, rh);
    out[2] = an_weighted_pearson(n, c, ry, rh);
    /* AUC = P(ŷ of a top atom > ŷ of a bottom atom), ties ½: the bottom
     * tail's weight below each tie group of ŷ, walking up */
    double below = 0.0, num = 0.0, wpos = 0.0, wneg = 0.0;
    for (size_t p = 0; p < n;) {
        size_t q = p;
        double gp = 0.0, gn = 0.0;
        while (q < n && d->h[d->oh[q]] == d->h[d->oh[p]]) {
            const size_t i = d->oh[q++];
            if (d->cls[i] > 0) gp += c[i];
            else if (d->cls[i] < 0) gn += c[i];
        }
        num += gp * below + 0.5 * gp * gn;
        below += gn;
        wpos += gp;
        wneg += gn;
        p = q;
    }
    out[3] = wpos > 0.0 && wneg > 0.0 ? num / (wpos * wneg) : NAN;
}

static int by_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Block labels renumbered 0..nb−1 (nb distinct labels). */
static am_status compact_blocks(size_t n, const int *block, int *blk, int *nb)
{
    int *u = malloc(n * sizeof *u);
    if (!u) return am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu block labels", n);
    memcpy(u, block, n * sizeof *u);
    qsort(u, n, sizeof *u, by_int);
    int m = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || u[i] != u[i - 1]) u[m++] = u[i];
    for (size_t i = 0; i < n; i++) {
        const int *hit = bsearch(&block[i], u, (size_t)m, sizeof *u, by_int);
        blk[i] = (int)(hit - u);
    }
    free(u);
    *nb = m;
    return AM_OK;
}

static am_status bootstrap(const sc_data *d, const int *blk, int nb, const am_learn_score_options *o, am_learn_score *out)
{
    const size_t n = d->n, nboot = (size_t)o->nboot;
    double *v = malloc(4 * nboot * sizeof *v);
    if (!v) return am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu resamples", nboot);
    const uint64_t seed = an_mix64((uint64_t)o->seed + 0x3C6EF372FE94F82BULL);
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        unsigned *c = malloc(n * sizeof *c), *cb = blk ? malloc((size_t)nb * sizeof *cb) : NULL;
        double *ry = malloc(n * sizeof *ry), *rh = malloc(n * sizeof *rh);
        if (!c || !ry || !rh || (blk && !cb)) fail = 1;
#pragma omp for schedule(dynamic, 4)
        for (size_t b = 0; b < nboot; b++) {
            if (fail) continue;
            /* the resample's stream depends only on (seed, b) */
            uint64_t state = seed ^ an_mix64((uint64_t)b + 1);
            if (blk) {
                memset(cb, 0, (size_t)nb * sizeof *cb);
                for (int k = 0; k < nb; k++) cb[an_below(&state, (size_t)nb)]++;
                for (size_t i = 0; i < n; i++) c[i] = cb[blk[i]];
            } else {
                memset(c, 0, n * sizeof *c);
                for (size_t k = 0; k < n; k++) c[an_below(&state, n)]++;
            }
            double s[4];
            scores(d, c, ry, rh, s);
            for (int k = 0; k < 4; k++) v[(size_t)k * nboot + b] = s[k];
        }
        free(c); free(cb); free(ry); free(rh);
    }
    if (fail) { free(v); return am_fail(AM_ERR_NOMEM, "learn: out of memory for the resamples of %zu atoms", n); }
    an_percentiles(v, nboot, o->level, &out->r_lo, &out->r_hi);
    an_percentiles(v + nboot, nboot, o->level, &out->r2_lo, &out->r2_hi);
    an_percentiles(v + 2 * nboot, nboot, o->level, &out->rho_lo, &out->rho_hi);
    an_percentiles(v + 3 * nboot, nboot, o->level, &out->auc_lo, &out->auc_hi);
    free(v);
    return AM_OK;
}

am_status am_learn_evaluate(size_t n, const double *y, const double *yhat, const int *block,
                            const am_learn_score_options *o, am_learn_score *out)
{
    am_learn_score_options def;
    if (!o) { am_learn_score_defaults(&def); o = &def; }
    if (!out) return am_fail(AM_ERR_VALUE, "learn: scores: no place for them");
    *out = (am_learn_score){.n = n};
    double *const fields[] = {&out->r, &out->r_lo, &out->r_hi, &out->r2, &out->r2_lo, &out->r2_hi,
                              &out->rho, &out->rho_lo, &out->rho_hi, &out->auc, &out->auc_lo, &out->auc_hi};
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) *fields[k] = NAN;
    if (n < 3 || !y || !yhat) return am_fail(AM_ERR_VALUE, "learn: scores of %zu atoms; expected at least 3", n);
    if (!(o->tail > 0 && o->tail <= 0.5))
        return am_fail(AM_ERR_VALUE, "learn: tail fraction %g; expected (0, 0.5]", o->tail);
    if (o->nboot < 0 || (o->nboot > 0 && !(o->level > 0 && o->level < 1)))
        return am_fail(AM_ERR_VALUE, "learn: %d resamples at level %g; expected >= 0 and a level in (0, 1)", o->nboot,
                       o->level);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(y[i]) || !isfinite(yhat[i]))
            return am_fail(AM_ERR_VALUE, "learn: scores: value %g or prediction %g of row %zu is not finite", y[i],
                           yhat[i], i + 1);
    size_t *oy = malloc(n * sizeof *oy), *oh = malloc(n * sizeof *oh);
    signed char *cls = calloc(n, 1);
    unsigned *ones = malloc(n * sizeof *ones);
    int *blk = block ? malloc(n * sizeof *blk) : NULL;
    double *ry = malloc(n * sizeof *ry), *rh = malloc(n * sizeof *rh);
    am_status st = AM_OK;
    if (!oy || !oh || !cls || !ones || !ry || !rh || (block && !blk))
        st = am_fail(AM_ERR_NOMEM, "learn: out of memory for the scores of %zu atoms", n);
    if (!st) st = an_order(n, y, oy);
    if (!st) st = an_order(n, yhat, oh);
    int nb = 0;
    if (!st && block) st = compact_blocks(n, block, blk, &nb);
    if (!st) {
        /* the tails by y's order, ties broken by index as an_order breaks them */
        size_t nt = (size_t)ceil(o->tail * (double)n - 1e-9);
        if (nt < 1) nt = 1;
        if (2 * nt > n) nt = n / 2;
        for (size_t k = 0; k < nt; k++) {
            cls[oy[k]] = -1;
            cls[oy[n - 1 - k]] = 1;
        }
        out->ntail = nt;
        out->nblocks = block ? nb : 0;
        for (size_t i = 0; i < n; i++) ones[i] = 1;
        const sc_data d = {n, y, yhat, oy, oh, cls};
        double s[4];
        scores(&d, ones, ry, rh, s);
        out->r = s[0], out->r2 = s[1], out->rho = s[2], out->auc = s[3];
        if (o->nboot > 0) st = bootstrap(&d, blk, nb, o, out);
    }
    free(oy); free(oh); free(cls); free(ones); free(blk); free(ry); free(rh);
    return st;
}
