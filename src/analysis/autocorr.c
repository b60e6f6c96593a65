/* Spatial autocorrelation of a per-atom quantity, the paper's Eq. 4.
 *
 * The pair search is the library's full neighbour list over the selected
 * atoms only, with the cutoff rmax: it carries explicit periodic images, so
 * rmax may exceed half the box. Every pair appears once for each of its two
 * atoms; sums and counts are therefore twice the unordered ones, which
 * leaves their ratio unchanged and halves exactly into the pair counts. Each
 * block of consecutive list entries accumulates its own histogram and the
 * blocks are added in order, so the result does not depend on how threads
 * share the blocks. */
#include "analysis/analysis_internal.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* Per-block histograms are capped at about this many bins in total (32 MB
 * of sums): long rmax/dr ratios get fewer, larger blocks. */
#define BLOCK_BINS ((size_t)1 << 21)

void am_autocorr_free(am_autocorr *c)
{
    if (!c) return;
    free(c->r);
    free(c->c);
    free(c->pairs);
    free(c->shuffled);
    free(c->noise);
    free(c->block_sum);
    free(c->block_cnt);
    free(c);
}

void am_autocorr_defaults(am_autocorr_options *o)
{
    o->nshuffle = 20;
    o->blocks = 3;
    o->seed = 1;
    o->window = 0.0;
}

/* Deviations from the mean over the selected atoms, divided by the standard
 * deviation, so that C is a plain average of products; component-averaged
 * products then give the mean of the normalised functions directly. */
static am_status normalise(size_t n, const long long *id, const double *a, int ncomp, const unsigned char *select,
                           size_t m, double *d)
{
    for (int c = 0; c < ncomp; c++) {
        double mean = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (select && !select[i]) continue;
            const double v = a[i * (size_t)ncomp + c];
            if (!isfinite(v))
                return am_fail(AM_ERR_VALUE, "autocorrelation: value %g of atom %lld (component %d) is not finite", v,
                               id[i], c);
            mean += v;
        }
        mean /= (double)m;
        double var = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (select && !select[i]) continue;
            const double dv = a[i * (size_t)ncomp + c] - mean;
            var += dv * dv;
        }
        var /= (double)m;
        if (!(var > 0.0))
            return am_fail(AM_ERR_VALUE, "autocorrelation: component %d is constant over the %zu selected atoms", c, m);
        const double inv = 1.0 / sqrt(var);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (select && !select[i]) continue;
            d[k++ * (size_t)ncomp + c] = (a[i * (size_t)ncomp + c] - mean) * inv;
        }
    }
    return AM_OK;
}

static am_autocorr *alloc_result(size_t nbins)
{
    am_autocorr *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->r = malloc(nbins * sizeof *c->r);
    c->c = malloc(nbins * sizeof *c->c);
    c->pairs = malloc(nbins * sizeof *c->pairs);
    if (!c->r || !c->c || !c->pairs) { am_autocorr_free(c); return NULL; }
    c->nbins = nbins;
    return c;
}

/* The bin of one list entry p of local entry e, or nbins when the pair lies
 * beyond rmax. */
static inline size_t entry_bin(const double *xw, const int *nbr, size_t e, size_t p, double r2max, double inv_dr,
                               size_t nbins)
{
    const size_t j = (size_t)nbr[p];
    const double dx = xw[4 * j] - xw[4 * e], dy = xw[4 * j + 1] - xw[4 * e + 1], dz = xw[4 * j + 2] - xw[4 * e + 2];
    const double r2 = dx * dx + dy * dy + dz * dz;
    if (!(r2 < r2max)) return nbins;
    const size_t bin = (size_t)(sqrt(r2) * inv_dr);
    return bin < nbins ? bin : nbins;
}

/* Beyond this many bytes the list entries' bins are not kept (computed in
 * every pass instead). */
#define PAIR_BIN_BYTES ((size_t)1 << 30)

/* Every list entry's bin (nbins beyond rmax), computed once: a correlation
 * makes 2 + nshuffle passes over the same pairs (the field, the shuffled
 * fields, the blocks; 22 by default), and the distances were most of each
 * pass. NULL when the bins do not fit
 * 16 bits or PAIR_BIN_BYTES, or without memory. */
static uint16_t *pair_bins(const am_nlist *nl, double rmax, double dr, size_t nbins)
{
    const size_t nloc = am_nlist_nlocal(nl), *first = am_nlist_first(nl);
    if (nbins >= UINT16_MAX || first[nloc] * sizeof(uint16_t) > PAIR_BIN_BYTES) return NULL;
    uint16_t *pb = malloc((first[nloc] + 1) * sizeof *pb);
    if (!pb) return NULL;
    const int *nbr = am_nlist_neighbors(nl);
    const double *xw = am_nlist_positions(nl);
    const double r2max = rmax * rmax, inv_dr = 1.0 / dr;
#pragma omp parallel for schedule(static)
    for (size_t e = 0; e < nloc; e++)
        for (size_t p = first[e]; p < first[e + 1]; p++)
            pb[p] = (uint16_t)entry_bin(xw, nbr, e, p, r2max, inv_dr, nbins);
    return pb;
}

/* Histogram of pair products over the neighbour list, one histogram per
 * group of local entries (order[gstart[g] .. gstart[g+1]), order NULL:
 * entries gstart[g] .. gstart[g+1] themselves): gsum[g nbins + b] and
 * gcnt count ordered pairs (each unordered pair twice). dl holds the
 * deviations in list order (images included); pb the entries' bins
 * (pair_bins), or NULL to compute them. Groups are independent, so
 * threads share them without changing any sum. */
static void pair_sums(const am_nlist *nl, const uint16_t *pb, const double *dl, int ncomp, double rmax, double dr,
                      size_t nbins, size_t ng, const size_t *order, const size_t *gstart, double *gsum, size_t *gcnt)
{
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const double *xw = am_nlist_positions(nl);
    const double r2max = rmax * rmax, inv_dr = 1.0 / dr, inv_nc = 1.0 / ncomp;
    memset(gsum, 0, ng * nbins * sizeof *gsum);
    memset(gcnt, 0, ng * nbins * sizeof *gcnt);
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t g = 0; g < ng; g++) {
        double *hs = gsum + g * nbins;
        size_t *hc = gcnt + g * nbins;
        for (size_t q = gstart[g]; q < gstart[g + 1]; q++) {
            const size_t e = order ? order[q] : q;
            const double *de = dl + e * ncomp;
            for (size_t p = first[e]; p < first[e + 1]; p++) {
                const size_t bin = pb ? pb[p] : entry_bin(xw, nbr, e, p, r2max, inv_dr, nbins);
                if (bin >= nbins) continue;
                const double *dj = dl + (size_t)nbr[p] * ncomp;
                double prod = de[0] * dj[0];
                if (ncomp > 1) {
                    for (int c = 1; c < ncomp; c++) prod += de[c] * dj[c];
                    prod *= inv_nc;
                }
                hs[bin] += prod;
                hc[bin]++;
            }
        }
    }
}

/* Totals of the groups' histograms, added in group order. */
static void add_groups(size_t ng, size_t nbins, const double *gsum, const size_t *gcnt, double *sum, size_t *cnt)
{
    for (size_t k = 0; k < nbins; k++) { sum[k] = 0.0; cnt[k] = 0; }
    for (size_t g = 0; g < ng; g++)
        for (size_t k = 0; k < nbins; k++) {
            sum[k] += gsum[g * nbins + k];
            cnt[k] += gcnt[g * nbins + k];
        }
}

/* The deviations d (one row of ncomp per selected atom, rows permuted by
 * perm when not NULL) in list order. */
static void list_values(const am_nlist *nl, const double *d, const size_t *perm, int ncomp, double *dl)
{
    const size_t nall = am_nlist_nall(nl);
    const int *src = am_nlist_atom_index(nl);
    for (size_t k = 0; k < nall; k++) {
        const size_t i = perm ? perm[src[k]] : (size_t)src[k];
        for (int c = 0; c < ncomp; c++) dl[k * ncomp + c] = d[i * ncomp + c];
    }
}

/* Local entries sorted by spatial block (blocks³ of the cell, fractional
 * coordinates), stably: order and gstart for pair_sums. */
static void spatial_groups(const am_nlist *nl, const am_box *box, int blocks, size_t *order, size_t *gstart)
{
    const size_t nloc = am_nlist_nlocal(nl), ng = (size_t)blocks * blocks * blocks;
    const double *xw = am_nlist_positions(nl);
    for (size_t g = 0; g <= ng; g++) gstart[g] = 0;
    size_t *blk = order + nloc; /* scratch: caller gives 2 nloc */
    for (size_t e = 0; e < nloc; e++) {
        double s[3];
        am_box_to_frac(box, xw + 4 * e, s);
        size_t b = 0;
        for (int k = 0; k < 3; k++) {
            double f = s[k] - floor(s[k]);
            int q = (int)(f * blocks);
            if (q >= blocks) q = blocks - 1;
            if (q < 0) q = 0;
            b = b * (size_t)blocks + (size_t)q;
        }
        blk[e] = b;
        gstart[b + 1]++;
    }
    for (size_t g = 0; g < ng; g++) gstart[g + 1] += gstart[g];
    size_t fill[8 * 8 * 8] = {0}; /* blocks ≤ 8 */
    for (size_t e = 0; e < nloc; e++) order[gstart[blk[e]] + fill[blk[e]]++] = e;
}

am_status am_autocorr_compute(const am_system *s, const double *a, int ncomp, const unsigned char *select,
                              double rmax, double dr, am_autocorr **out)
{
    am_autocorr_options o = {0, 0, 1, 0.0};
    return am_autocorr_compute_ex(s, a, ncomp, select, rmax, dr, &o, out);
}

/* The shuffled fields: the selected atoms' rows of d permuted (Fisher–Yates
 * from the seed's stream), C(r) of each into c->shuffled, their standard
 * deviation per bin into c->noise. */
static am_status shuffles(const am_nlist *nl, const uint16_t *pb, const double *d, size_t m, int ncomp, double rmax,
                          double dr, const am_autocorr_options *o, size_t ng, const size_t *gstart, double *gsum,
                          size_t *gcnt, double *dl, double *sum, size_t *cnt, am_autocorr *c)
{
    const size_t nbins = c->nbins, K = (size_t)o->nshuffle;
    size_t *perm = malloc(m * sizeof *perm);
    c->shuffled = malloc(K * nbins * sizeof *c->shuffled);
    c->noise = malloc(nbins * sizeof *c->noise);
    if (!perm || !c->shuffled || !c->noise) {
        free(perm);
        return am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory for %zu shuffled fields", K);
    }
    c->nshuffle = o->nshuffle;
    uint64_t state = an_mix64((uint64_t)o->seed ^ 0x5ca1ab1eULL);
    for (size_t k = 0; k < K; k++) {
        for (size_t i = 0; i < m; i++) perm[i] = i;
        for (size_t i = m - 1; i > 0; i--) {
            const size_t j = an_below(&state, i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        list_values(nl, d, perm, ncomp, dl);
        pair_sums(nl, pb, dl, ncomp, rmax, dr, nbins, ng, NULL, gstart, gsum, gcnt);
        add_groups(ng, nbins, gsum, gcnt, sum, cnt);
        for (size_t b = 0; b < nbins; b++) c->shuffled[k * nbins + b] = cnt[b] ? sum[b] / (double)cnt[b] : NAN;
    }
    for (size_t b = 0; b < nbins; b++) {
        double mu = 0.0, v = 0.0;
        for (size_t k = 0; k < K; k++) mu += c->shuffled[k * nbins + b];
        mu /= (double)K;
        for (size_t k = 0; k < K; k++) v += (c->shuffled[k * nbins + b] - mu) * (c->shuffled[k * nbins + b] - mu);
        c->noise[b] = K > 1 ? sqrt(v / (double)(K - 1)) : NAN;
    }
    free(perm);
    return AM_OK;
}

/* What every quantity on the same atoms shares: the selected atoms' list to
 * rmax, the entries' bins, the groups of entries and the spatial blocks. */
struct am_autocorr_pairs {
    am_autocorr_options o;
    double rmax, dr;
    size_t n, m, nbins;
    unsigned char *select; /* a copy (NULL: all atoms) */
    long long *id;         /* the system's ids, for messages */
    am_system *sub;
    am_nlist *nl;
    uint16_t *pb;          /* pair_bins, or NULL */
    size_t ng, nsb;        /* groups of list entries; spatial blocks (0 without) */
    size_t *gstart;        /* ng + 1 */
    size_t *bstart, *order; /* nsb + 1; 2 nloc (spatial_groups) */
};

void am_autocorr_pairs_free(am_autocorr_pairs *p)
{
    if (!p) return;
    am_nlist_free(p->nl);
    am_system_free(p->sub);
    free(p->select); free(p->id); free(p->pb); free(p->gstart); free(p->bstart); free(p->order);
    free(p);
}

am_status am_autocorr_pairs_create(const am_system *s, const unsigned char *select, double rmax, double dr,
                                   const am_autocorr_options *opt, am_autocorr_pairs **out)
{
    *out = NULL;
    am_autocorr_options o;
    if (opt) o = *opt;
    else am_autocorr_defaults(&o);
    if (!s) return am_fail(AM_ERR_VALUE, "autocorrelation: no system");
    if (!(rmax > 0.0) || !isfinite(rmax)) return am_fail(AM_ERR_VALUE, "autocorrelation: rmax %g must be positive", rmax);
    if (!(dr > 0.0) || !isfinite(dr)) return am_fail(AM_ERR_VALUE, "autocorrelation: bin width %g must be positive", dr);
    if (rmax / dr > 1e7) return am_fail(AM_ERR_VALUE, "autocorrelation: %g bins are too many", rmax / dr);
    if (o.nshuffle < 0 || o.nshuffle > 10000 || o.nshuffle == 1)
        return am_fail(AM_ERR_VALUE, "autocorrelation: %d shuffled fields (0, or 2 to 10000)", o.nshuffle);
    if (o.blocks < 0 || o.blocks > 8 || o.blocks == 1)
        return am_fail(AM_ERR_VALUE, "autocorrelation: %d blocks per cell vector (0, or 2 to 8)", o.blocks);
    const size_t m = an_count_selected(s->n, select);
    if (m < 2) return am_fail(AM_ERR_VALUE, "autocorrelation: %zu selected atoms, at least 2 needed", m);
    am_autocorr_pairs *p = calloc(1, sizeof *p);
    if (!p) return am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory");
    p->o = o;
    p->rmax = rmax;
    p->dr = dr;
    p->n = s->n;
    p->m = m;
    /* a last bin shorter than 1e-9 dr is rounding, not a bin */
    p->nbins = (size_t)ceil(rmax / dr - 1e-9);
    if (p->nbins < 1) p->nbins = 1;
    p->id = malloc((s->n + 1) * sizeof *p->id);
    p->select = select ? malloc(s->n + 1) : NULL;
    am_status st = !p->id || (select && !p->select) ? am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory") : AM_OK;
    if (!st) {
        memcpy(p->id, s->id, s->n * sizeof *p->id);
        if (select) memcpy(p->select, select, s->n);
        st = an_select_system(s, select, &p->sub);
    }
    if (!st) st = am_nlist_create(rmax, 0.0, &p->nl);
    if (!st) st = am_nlist_update(p->nl, p->sub, NULL);
    if (!st) {
        /* groups of consecutive list entries (about 64 atoms each, their
         * histograms capped at BLOCK_BINS bins in all) */
        const size_t nloc = am_nlist_nlocal(p->nl);
        size_t cap = BLOCK_BINS / p->nbins, ng = (nloc + 63) / 64;
        if (cap < 1) cap = 1;
        if (ng > cap) ng = cap;
        if (ng < 1) ng = 1;
        p->ng = ng;
        p->nsb = (size_t)o.blocks * o.blocks * o.blocks;
        p->gstart = malloc((ng + 1) * sizeof *p->gstart);
        p->bstart = malloc((p->nsb + 1) * sizeof *p->bstart);
        p->order = malloc((2 * nloc + 1) * sizeof *p->order);
        if (!p->gstart || !p->bstart || !p->order)
            st = am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory for %zu groups", ng);
        else {
            const size_t bsize = (nloc + ng - 1) / ng;
            for (size_t g = 0; g <= ng; g++) p->gstart[g] = g * bsize < nloc ? g * bsize : nloc;
            if (p->nsb) spatial_groups(p->nl, &p->sub->box, o.blocks, p->order, p->bstart);
        }
    }
    if (!st && (o.nshuffle > 0 || o.blocks > 0)) p->pb = pair_bins(p->nl, rmax, dr, p->nbins);
    if (st) { am_autocorr_pairs_free(p); return st; }
    *out = p;
    return AM_OK;
}

am_status am_autocorr_compute_pairs(const am_autocorr_pairs *p, const double *a, int ncomp, am_autocorr **out)
{
    *out = NULL;
    if (!p) return am_fail(AM_ERR_VALUE, "autocorrelation: no pairs");
    if (!a) return am_fail(AM_ERR_VALUE, "autocorrelation: no values");
    if (ncomp < 1) return am_fail(AM_ERR_VALUE, "autocorrelation: %d components", ncomp);
    const am_autocorr_options *o = &p->o;
    const size_t m = p->m, nbins = p->nbins, ngmax = p->ng > p->nsb ? p->ng : p->nsb;
    const am_nlist *nl = p->nl;
    const double rmax = p->rmax, dr = p->dr;
    double *d = malloc(m * (size_t)ncomp * sizeof *d);
    double *sum = malloc(nbins * sizeof *sum);
    size_t *cnt = malloc(nbins * sizeof *cnt);
    double *dl = malloc(am_nlist_nall(nl) * (size_t)ncomp * sizeof *dl);
    double *gsum = malloc(ngmax * nbins * sizeof *gsum);
    size_t *gcnt = malloc(ngmax * nbins * sizeof *gcnt);
    am_autocorr *res = alloc_result(nbins);
    am_status st = AM_OK;
    if (!d || !sum || !cnt || !dl || !gsum || !gcnt || !res)
        st = am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory for %zu atoms and %zu groups of %zu bins", m, ngmax,
                     nbins);
    if (!st) st = normalise(p->n, p->id, a, ncomp, p->select, m, d);
    if (!st) {
        list_values(nl, d, NULL, ncomp, dl);
        pair_sums(nl, p->pb, dl, ncomp, rmax, dr, nbins, p->ng, NULL, p->gstart, gsum, gcnt);
        add_groups(p->ng, nbins, gsum, gcnt, sum, cnt);
        res->dr = dr;
        res->rmax = rmax;
        res->volume = am_box_volume(&p->sub->box); /* the selection keeps the cell */
        res->window = o->window > 0 ? o->window : 1.0;
        for (size_t b = 0; b < nbins; b++) {
            res->r[b] = ((double)b + 0.5) * dr;
            res->c[b] = cnt[b] ? sum[b] / (double)cnt[b] : NAN;
            res->pairs[b] = cnt[b] / 2;
        }
    }
    if (!st && o->nshuffle > 0)
        st = shuffles(nl, p->pb, d, m, ncomp, rmax, dr, o, p->ng, p->gstart, gsum, gcnt, dl, sum, cnt, res);
    if (!st && p->nsb) {
        if (o->nshuffle > 0) list_values(nl, d, NULL, ncomp, dl); /* the shuffles overwrote it */
        res->block_sum = malloc(p->nsb * nbins * sizeof *res->block_sum);
        res->block_cnt = malloc(p->nsb * nbins * sizeof *res->block_cnt);
        if (!res->block_sum || !res->block_cnt) st = am_fail(AM_ERR_NOMEM, "autocorrelation: out of memory for blocks");
        else {
            pair_sums(nl, p->pb, dl, ncomp, rmax, dr, nbins, p->nsb, p->order, p->bstart, res->block_sum,
                      res->block_cnt);
            res->nblocks = (int)p->nsb;
        }
    }
    if (!st) {
        *out = res;
        res = NULL;
    }
    am_autocorr_free(res);
    free(d); free(sum); free(cnt); free(dl); free(gsum); free(gcnt);
    return st;
}

am_status am_autocorr_compute_ex(const am_system *s, const double *a, int ncomp, const unsigned char *select,
                                 double rmax, double dr, const am_autocorr_options *opt, am_autocorr **out)
{
    *out = NULL;
    if (!a) return am_fail(AM_ERR_VALUE, "autocorrelation: no values");
    if (ncomp < 1) return am_fail(AM_ERR_VALUE, "autocorrelation: %d components", ncomp);
    am_autocorr_pairs *p = NULL;
    am_status st = am_autocorr_pairs_create(s, select, rmax, dr, opt, &p);
    if (!st) st = am_autocorr_compute_pairs(p, a, ncomp, out);
    am_autocorr_pairs_free(p);
    return st;
}
