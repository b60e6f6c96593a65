/* Report stage 2: property spectra of the most frequent Voronoi polyhedra
 * of each species (the paper's Fig. 4). */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOP 4
/* A histogram of fewer atoms shows noise, not a spectrum: such polyhedra
 * are listed with a caution but not drawn. */
#define MIN_SPECTRUM 30

typedef struct poly {
    int index[8];
    int ncomp;
    size_t count;
    double sum, sum2;
} poly;

static int by_count(const void *a, const void *b)
{
    const poly *p = a, *q = b;
    if (p->count != q->count) return p->count > q->count ? -1 : 1;
    return memcmp(p->index, q->index, sizeof p->index);
}

static void poly_name(const poly *p, char *out, size_t len)
{
    int w = snprintf(out, len, "<");
    for (int k = 0; k < p->ncomp && (size_t)w < len; k++) w += snprintf(out + w, len - (size_t)w, "%s%d", k ? "," : "", p->index[k]);
    if ((size_t)w < len) snprintf(out + w, len - (size_t)w, ">");
}

/* Distinct polyhedra among the atoms of selection k, most frequent first. */
static size_t population(const rp_ctx *c, int k, const am_table_column *vi, poly *pl)
{
    size_t np = 0;
    for (size_t i = 0; i < c->s->n; i++) {
        if (!c->sel[k][i]) continue;
        poly cur;
        memset(&cur, 0, sizeof cur);
        cur.ncomp = vi->ncomp < 8 ? vi->ncomp : 8;
        for (int q = 0; q < cur.ncomp; q++) cur.index[q] = (int)lround(vi->v[i * (size_t)vi->ncomp + (size_t)q]);
        size_t j = 0;
        while (j < np && memcmp(pl[j].index, cur.index, sizeof cur.index) != 0) j++;
        if (j == np) pl[np++] = cur;
        pl[j].count++;
        pl[j].sum += c->p[i];
        pl[j].sum2 += c->p[i] * c->p[i];
    }
    qsort(pl, np, sizeof *pl, by_count);
    return np;
}

/* Shannon diversity e^H of the polyhedra of the atoms flagged in `in`. */
static double diversity(const rp_ctx *c, const am_table_column *vi, const unsigned char *in, poly *pl)
{
    size_t np = 0, total = 0;
    for (size_t i = 0; i < c->s->n; i++) {
        if (!in[i]) continue;
        int key[8] = {0};
        for (int q = 0; q < vi->ncomp && q < 8; q++) key[q] = (int)lround(vi->v[i * (size_t)vi->ncomp + (size_t)q]);
        size_t j = 0;
        while (j < np && memcmp(pl[j].index, key, sizeof key) != 0) j++;
        if (j == np) {
            memset(&pl[np], 0, sizeof pl[np]);
            memcpy(pl[np++].index, key, sizeof key);
        }
        pl[j].count++;
        total++;
    }
    double h = 0;
    for (size_t j = 0; j < np; j++) {
        const double p = (double)pl[j].count / (double)total;
        h -= p * log(p);
    }
    return exp(h);
}

/* SPEC §5's utility of the polyhedron classification for the property:
 * U = 1 − D(subset)/D(all) for the 10 % of atoms with the lowest property,
 * against the same for random subsets of that size (200, seeded). A utility
 * inside the random range means the polyhedra do not single those atoms out. */
static am_status utility(rp_ctx *c, const am_table_column *vi, poly *pl)
{
    const size_t n = c->s->n;
    unsigned char *in = malloc(n ? n : 1);
    double *v = malloc((n ? n : 1) * sizeof(double)), *ur = malloc(200 * sizeof(double));
    size_t *ids = malloc((n ? n : 1) * sizeof(size_t));
    if (!in || !v || !ur || !ids) {
        free(in); free(v); free(ur); free(ids);
        return am_fail(AM_ERR_NOMEM, "out of memory");
    }
    fputs("\n### Utility of the polyhedron classification\n\nDiversity D = e^H of the Voronoi polyhedra (H the "
          "Shannon entropy of their population); utility U = 1 − D(subset)/D(all) of the 10 % of atoms with the lowest "
          "property, against 200 random subsets of the same size (SPEC §5, after Wei et al. 2019).\n\n"
          "| selection | D(all) | D(lowest 10 %) | U | U of random subsets (mean, 95 % range) |\n|---|---|---|---|---|\n",
          c->md);
    fputs(",\n  \"utility\": [", c->json);
    unsigned long long state = c->co.seed * 0x9E3779B97F4A7C15ULL + 1;
    for (int k = 0; k < c->nsel; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (c->sel[k][i]) ids[m] = i, v[m] = c->p[i], m++;
        const size_t sub = m / 10;
        if (sub < 10) continue;
        const double dall = diversity(c, vi, c->sel[k], pl);
        qsort(v, m, sizeof(double), rp_cmp_double);
        const double cut = v[sub - 1];
        memset(in, 0, n);
        size_t taken = 0;
        for (size_t q = 0; q < m && taken < sub; q++)
            if (c->p[ids[q]] <= cut) in[ids[q]] = 1, taken++;
        const double u = 1 - diversity(c, vi, in, pl) / dall;
        double mean = 0;
        for (int t = 0; t < 200; t++) {
            /* a partial Fisher–Yates shuffle picks sub of the m atoms */
            memset(in, 0, n);
            for (size_t q = 0; q < sub; q++) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                size_t r = q + (size_t)((state >> 33) % (m - q));
                size_t tmp = ids[q];
                ids[q] = ids[r];
                ids[r] = tmp;
                in[ids[q]] = 1;
            }
            ur[t] = 1 - diversity(c, vi, in, pl) / dall;
            mean += ur[t] / 200;
        }
        qsort(ur, 200, sizeof(double), rp_cmp_double);
        fprintf(c->md, "| %s | %.2f | %.2f | %.3f | %.3f (%.3f, %.3f) |\n", c->selname[k], dall, dall * (1 - u), u, mean,
                ur[4], ur[195]);
        am_json_printf(c->json, "%s\n    {\"selection\": \"%s\", \"diversity\": %.6g, \"utility\": %.6g, \"random_mean\": %.6g, "
                         "\"random_95\": [%.6g, %.6g]}",
                k ? "," : "", c->selname[k], dall, u, mean, ur[4], ur[195]);
    }
    fputs("\n  ]", c->json);
    free(in); free(v); free(ur); free(ids);
    return AM_OK;
}

am_status rp_spectra(rp_ctx *c)
{
    int vc = am_table_find(c->t, "voro_index");
    if (vc < 0) {
        fputs("\n## Spectra by Voronoi polyhedron\n\nNo `voro_index` column (run `amorph describe`).\n", c->md);
        return AM_OK;
    }
    const am_table_column *vi = &c->t->col[vc];
    poly *pl = malloc((c->s->n + 1) * sizeof *pl);
    if (!pl) return am_fail(AM_ERR_NOMEM, "out of memory");
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < c->s->n; i++)
        if (c->valid[i]) lo = fmin(lo, c->p[i]), hi = fmax(hi, c->p[i]);
    if (!(hi > lo)) hi = lo + 1;
    const double w = (hi - lo) / c->nbins;
    size_t *cnt = malloc((size_t)c->nbins * sizeof(size_t));
    FILE *f = rp_open(c, "spectra.dat");
    if (!cnt || !f) {
        free(pl); free(cnt);
        if (f) fclose(f);
        return f ? am_fail(AM_ERR_NOMEM, "out of memory") : AM_ERR_IO;
    }
    char name[64], yl[200];
    fprintf(c->md, "\n## Spectra of `%s` by Voronoi polyhedron\n\nThe %d most frequent polyhedra (among atoms with "
                   "the property) of each species; histograms normalised to unit area (paper Fig. 4).\n\n"
                   "| species | polyhedron | atoms | fraction | mean | std | \n|---|---|---|---|---|---|\n",
            c->prop, TOP);
    fputs(",\n  \"spectra\": [", c->json);
    int blk = 0, nspec = 0, shown[RP_MAXSEL] = {0}, drawn[RP_MAXSEL] = {0}, blocks[RP_MAXSEL][TOP];
    char names[RP_MAXSEL][TOP][64];
    size_t thin = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!rp_species_sel(c, k)) continue;
        size_t np = population(c, k, vi, pl);
        shown[k] = np < TOP ? (int)np : TOP;
        for (int q = 0; q < shown[k]; q++) {
            const poly *p = &pl[q];
            const double mean = p->sum / p->count, var = p->count > 1 ? (p->sum2 - p->count * mean * mean) / (p->count - 1) : 0;
            poly_name(p, name, sizeof name);
            snprintf(names[k][q], 64, "%s", name);
            fprintf(c->md, "| %s | %s | %zu | %.3f | %.4f | %.4f |\n", c->selname[k], name, p->count,
                    (double)p->count / c->selcount[k], mean, sqrt(fmax(var, 0)));
            am_json_printf(c->json, "%s\n    {\"selection\": \"%s\", \"polyhedron\": \"%s\", \"count\": %zu, \"mean\": ",
                    nspec++ ? "," : "", c->selname[k], name, p->count);
            am_json_num(c->json, mean);
            fputs(", \"std\": ", c->json);
            am_json_num(c->json, sqrt(fmax(var, 0)));
            fputc('}', c->json);
            /* the histogram of this polyhedron's atoms */
            memset(cnt, 0, (size_t)c->nbins * sizeof(size_t));
            for (size_t i = 0; i < c->s->n; i++) {
                if (!c->sel[k][i]) continue;
                int same = 1;
                for (int m = 0; m < p->ncomp; m++) same &= (int)lround(vi->v[i * (size_t)vi->ncomp + (size_t)m]) == p->index[m];
                if (!same) continue;
                int b = (int)((c->p[i] - lo) / w);
                cnt[b < c->nbins ? b : c->nbins - 1]++;
            }
            fprintf(f, "%s# %s %s: bin centre, density (1/unit of %s)\n", blk ? "\n\n" : "", c->selname[k], name, c->prop);
            for (int b = 0; b < c->nbins; b++) fprintf(f, "%.8g %.8g\n", lo + (b + 0.5) * w, cnt[b] / (p->count * w));
            blocks[k][q] = p->count >= MIN_SPECTRUM ? blk : -1;
            drawn[k] += p->count >= MIN_SPECTRUM;
            thin += p->count < MIN_SPECTRUM;
            blk++;
        }
    }
    fputs("\n  ]", c->json);
    if (thin)
        rp_flag(c, "%zu of the polyhedra above have fewer than %d atoms with the property: their mean and spread are "
                   "noise-dominated, and their spectra are not drawn.", thin, MIN_SPECTRUM);
    am_status st = utility(c, vi, pl);
    free(pl);
    free(cnt);
    if (rp_close(c, f, "spectra.dat")) return AM_ERR_IO;
    if (st) return st;
    int rows = 0;
    for (int k = 0; k < c->nsel; k++) rows += drawn[k] > 0;
    if (!rows) return AM_OK;
    FILE *gp = rp_figure(c, "fig_spectra", 800, 300 * rows + 60);
    if (!gp) return AM_ERR_IO;
    rp_label(c->un, c->prop, yl, sizeof yl);
    fprintf(gp, "set multiplot layout %d,1 title \"Spectra of the most frequent Voronoi polyhedra with at least %d atoms "
                "(paper Fig. 4)\"\nset xlabel \"%s\" noenhanced\nset ylabel \"probability density\"\n"
                "set key outside right top\nset style data steps\n",
            rows, MIN_SPECTRUM, yl);
    for (int k = 0; k < c->nsel; k++) {
        if (!drawn[k]) continue;
        fprintf(gp, "set title \"%s-centred\" noenhanced\nplot ", c->selname[k]);
        int first = 1;
        for (int q = 0; q < shown[k]; q++) {
            if (blocks[k][q] < 0) continue;
            fprintf(gp, "%s\"spectra.dat\" index %d using 1:2 lw 2 lc rgb \"%s\" title \"%s\" noenhanced",
                    first ? "" : ", ", blocks[k][q], rp_color(q), names[k][q]);
            first = 0;
        }
        fputc('\n', gp);
    }
    fputs("unset multiplot\n", gp);
    return rp_figure_end(c, gp, "fig_spectra", "spectra by polyhedron");
}
