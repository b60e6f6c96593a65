/* Report stage 1: correlation of every descriptor with the property, the
 * ranking table, and the paper's Figs. 5 (scatter) and 6 (coarse-grained). */
#include "report_internal.h"
#include "analysis/analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The ranking key: coarse-grained |r| when there are enough groups, else |r|. */
static double power_of(const am_corr *r)
{
    return isfinite(r->r_cg) ? fabs(r->r_cg) : isfinite(r->pearson) ? fabs(r->pearson) : -1;
}

static const am_corr *rank_corr;
static int by_power(const void *a, const void *b)
{
    const double pa = power_of(&rank_corr[*(const int *)a]), pb = power_of(&rank_corr[*(const int *)b]);
    return pa > pb ? -1 : pa < pb ? 1 : *(const int *)a - *(const int *)b;
}

/* Descriptors of selection k, most predictive first. */
static void ranking(const rp_ctx *c, int k, int *order)
{
    for (int j = 0; j < c->nd; j++) order[j] = j;
    rank_corr = c->corr + k * c->nd;
    qsort(order, (size_t)c->nd, sizeof(int), by_power);
}

/* What coarse-graining alone makes of a per-atom correlation r: for a linear
 * relation with independent scatter, means of g atoms correlate with
 * r / sqrt(r² + (1 − r²)/g). A coarse-grained r near this value says the
 * descriptor predicts no more than its per-atom r; far above it, the
 * relation is non-linear or the scatter is not independent. */
static double cg_expected(double r, size_t g)
{
    return r / sqrt(r * r + (1 - r * r) / (double)g);
}

static void md_table(rp_ctx *c, int k, const int *order)
{
    FILE *md = c->md;
    fprintf(md, "\n### %s (%zu atoms)\n\n| rank | descriptor | Pearson r [95 %% CI] | Spearman ρ [95 %% CI] | "
                "coarse-grained r [95 %% CI] | expected from r | groups |\n|---|---|---|---|---|---|---|\n",
            c->selname[k], c->selcount[k]);
    for (int q = 0; q < c->nd; q++) {
        const am_corr *r = &c->corr[k * c->nd + order[q]];
        fprintf(md, "| %d | `%s` | %+.3f [%+.3f, %+.3f] | %+.3f [%+.3f, %+.3f] | %+.3f [%+.3f, %+.3f] | %+.3f | %zu |\n",
                q + 1, c->d[order[q]].name, r->pearson, r->pearson_lo, r->pearson_hi, r->spearman, r->spearman_lo,
                r->spearman_hi, r->r_cg, r->r_cg_lo, r->r_cg_hi, cg_expected(r->pearson, c->co.group), r->ngroups);
    }
}

static void json_pair(FILE *js, const char *key, double lo, double hi)
{
    fprintf(js, ", \"%s\": [", key);
    am_json_num(js, lo);
    fputs(", ", js);
    am_json_num(js, hi);
    fputc(']', js);
}

static void json_corr(rp_ctx *c)
{
    FILE *js = c->json;
    fputs(",\n  \"correlations\": [", js);
    for (int k = 0; k < c->nsel; k++)
        for (int j = 0; j < c->nd; j++) {
            const am_corr *r = &c->corr[k * c->nd + j];
            fputs(k || j ? ",\n    {\"descriptor\": " : "\n    {\"descriptor\": ", js);
            am_json_str(js, c->d[j].name);
            fputs(", \"selection\": ", js);
            am_json_str(js, c->selname[k]);
            fprintf(js, ", \"n\": %zu", r->n);
            am_json_kv(js, "pearson", r->pearson);
            json_pair(js, "pearson_ci", r->pearson_lo, r->pearson_hi);
            am_json_kv(js, "spearman", r->spearman);
            json_pair(js, "spearman_ci", r->spearman_lo, r->spearman_hi);
            am_json_kv(js, "r_cg", r->r_cg);
            json_pair(js, "r_cg_ci", r->r_cg_lo, r->r_cg_hi);
            fprintf(js, ", \"groups\": %zu}", r->ngroups);
        }
    fputs("\n  ]", js);
}

/* Fig. 5: the property against the short-range descriptors, one row per species. */
static am_status scatter_figure(rp_ctx *c, const int *best)
{
    int idx[5], np = rp_featured(c, idx, 5, 1);
    /* none of the paper's five: the best-ranked descriptors instead */
    if (np == 0)
        for (; np < 5 && np < c->nd; np++) idx[np] = best[np];
    FILE *f = rp_open(c, "scatter.dat");
    if (!f) return AM_ERR_IO;
    int rows = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!rp_species_sel(c, k)) continue;
        fprintf(f, "%s# %s: %s", rows ? "\n\n" : "", c->selname[k], c->prop);
        for (int q = 0; q < np; q++) fprintf(f, " %s", c->d[idx[q]].name);
        fputc('\n', f);
        for (size_t i = 0; i < c->s->n; i++) {
            if (!c->sel[k][i]) continue;
            fprintf(f, "%.8g", c->p[i]);
            for (int q = 0; q < np; q++) fprintf(f, " %.8g", c->d[idx[q]].v[i]);
            fputc('\n', f);
        }
        rows++;
    }
    if (rp_close(c, f, "scatter.dat")) return AM_ERR_IO;
    FILE *gp = rp_figure(c, "fig_scatter", 400 * np + 60, 340 * rows + 60);
    if (!gp) return AM_ERR_IO;
    char yl[200], xl[200];
    rp_label(c->un, c->prop, yl, sizeof yl);
    fprintf(gp, "set multiplot layout %d,%d title \"%s against short-range descriptors (paper Fig. 5)\" noenhanced\n"
                "unset key\nset offsets graph 0.04, graph 0.04, graph 0.04, graph 0.04\nset autoscale fix\n",
            rows, np, yl);
    int b = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!rp_species_sel(c, k)) continue;
        for (int q = 0; q < np; q++) {
            const am_corr *r = &c->corr[k * c->nd + idx[q]];
            rp_label(c->un, c->d[idx[q]].name, xl, sizeof xl);
            /* narrow panels: few enough tics that their numbers stay apart */
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < c->s->n; i++)
                if (c->sel[k][i]) lo = fmin(lo, c->d[idx[q]].v[i]), hi = fmax(hi, c->d[idx[q]].v[i]);
            fprintf(gp, "set xtics %g\n", rp_tic_step(lo, hi, 4));
            /* the property's name once per row, on its first panel */
            if (q == 0) fprintf(gp, "set ylabel \"%s: %s\" noenhanced\n", c->selname[k], yl);
            else fputs("unset ylabel\n", gp);
            fprintf(gp, "set xlabel \"%s\" noenhanced\nset title \"%s: r = %.2f [%.2f, %.2f]\" noenhanced\n"
                        "plot \"scatter.dat\" index %d using %d:1 with points pt 7 ps 1.1 lc rgb \"%s\"\n",
                    xl, c->selname[k], r->pearson, r->pearson_lo, r->pearson_hi, b, q + 2, rp_color(b));
        }
        b++;
    }
    fputs("unset multiplot\n", gp);
    return rp_figure_end(c, gp, "fig_scatter", "property against short-range descriptors");
}

/* Standard errors of the group means of y, for the groups am_coarse_grain makes. */
static am_status group_se(size_t n, const double *x, const double *y, size_t group, double *se)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order) return am_fail(AM_ERR_NOMEM, "out of memory for %zu atoms", n);
    am_status st = an_order(n, x, order);
    const size_t m = n / group;
    for (size_t k = 0; !st && k < m; k++) {
        const size_t a = k * n / m, e = (k + 1) * n / m;
        double s = 0, s2 = 0;
        for (size_t p = a; p < e; p++) s += y[order[p]];
        const double mean = s / (double)(e - a);
        for (size_t p = a; p < e; p++) s2 += (y[order[p]] - mean) * (y[order[p]] - mean);
        se[k] = e - a > 1 ? sqrt(s2 / (double)(e - a - 1) / (double)(e - a)) : NAN;
    }
    free(order);
    return st;
}

/* Fig. 6: group means of the property against group means of a descriptor. */
static am_status coarse_figure(rp_ctx *c, const int *best, double *x, double *y)
{
    int idx[8], np = 0, feat[8], nf = rp_featured(c, feat, 8, 0);
    for (int q = 0; q < nf; q++)
        if (strcmp(c->d[feat[q]].name, "voro_vol") && strcmp(c->d[feat[q]].name, "cn") &&
            strcmp(c->d[feat[q]].name, "q6") && strcmp(c->d[feat[q]].name, "l5fs") &&
            strcmp(c->d[feat[q]].name, "l6fs"))
            idx[np++] = feat[q];
    /* and the best-ranked descriptors overall, up to four panels */
    for (int q = 0; q < c->nd && np < 4; q++) {
        int dup = 0;
        for (int m = 0; m < np; m++) dup |= idx[m] == best[q];
        if (!dup) idx[np++] = best[q];
    }
    FILE *f = rp_open(c, "coarse.dat");
    if (!f) return AM_ERR_IO;
    const size_t cap = c->s->n / c->co.group + 1;
    double *xm = malloc(cap * sizeof(double)), *ym = malloc(cap * sizeof(double)), *se = malloc(cap * sizeof(double));
    if (!xm || !ym || !se) {
        free(xm); free(ym); free(se); fclose(f);
        return am_fail(AM_ERR_NOMEM, "out of memory");
    }
    int blk = 0;
    am_status st = AM_OK;
    for (int q = 0; q < np && !st; q++)
        for (int k = 0; k < c->nsel && !st; k++) {
            if (!rp_species_sel(c, k)) continue;
            size_t m = rp_gather(c, k, idx[q], x, y), ng = 0;
            fprintf(f, "%s# %s %s: group means of the descriptor and of %s, standard error of the latter\n",
                    blk ? "\n\n" : "", c->d[idx[q]].name, c->selname[k], c->prop);
            if (m >= c->co.group && am_coarse_grain(m, x, y, c->co.group, &ng, xm, ym) == AM_OK &&
                !(st = group_se(m, x, y, c->co.group, se)))
                for (size_t g = 0; g < ng; g++) fprintf(f, "%.8g %.8g %.8g\n", xm[g], ym[g], se[g]);
            else
                fputs("NaN NaN NaN\n", f);
            blk++;
        }
    free(xm); free(ym); free(se);
    if (rp_close(c, f, "coarse.dat") || st) return st ? st : AM_ERR_IO;
    const int cols = np < 2 ? 1 : 2, rows = (np + cols - 1) / cols;
    FILE *gp = rp_figure(c, "fig_coarse", 500 * cols, 400 * rows + 70);
    if (!gp) return AM_ERR_IO;
    char yl[200], xl[200];
    rp_label(c->un, c->prop, yl, sizeof yl);
    fprintf(gp, "set multiplot layout %d,%d title \"Coarse-grained (paper Fig. 6): groups of %zu atoms sorted by "
                "the descriptor, mean ± standard error\" noenhanced\nset ylabel \"%s\" noenhanced\n"
                "set key outside bottom center horizontal\nset xtics rotate by 30 right\n"
                "set offsets graph 0.04, graph 0.04, graph 0.06, graph 0.06\n",
            rows, cols, c->co.group, yl);
    blk = 0;
    for (int q = 0; q < np; q++) {
        rp_label(c->un, c->d[idx[q]].name, xl, sizeof xl);
        fprintf(gp, "set xlabel \"%s\" noenhanced\nplot ", xl);
        int first = 1;
        for (int k = 0; k < c->nsel; k++) {
            if (!rp_species_sel(c, k)) continue;
            const am_corr *r = &c->corr[k * c->nd + idx[q]];
            fprintf(gp, "%s\"coarse.dat\" index %d using 1:2:3 with yerrorlines pt 7 ps 1 lc rgb \"%s\" "
                        "title \"%s: r = %.2f [%.2f, %.2f]\" noenhanced",
                    first ? "" : ", ", blk, rp_color(blk % (c->nsel > 1 ? c->nsel - 1 : 1)), c->selname[k], r->r_cg,
                    r->r_cg_lo, r->r_cg_hi);
            blk++;
            first = 0;
        }
        fputc('\n', gp);
    }
    fputs("unset multiplot\n", gp);
    return rp_figure_end(c, gp, "fig_coarse", "coarse-grained correlations");
}

am_status rp_correlations(rp_ctx *c)
{
    const size_t n = c->s->n;
    double *x = malloc((n ? n : 1) * sizeof(double)), *y = malloc((n ? n : 1) * sizeof(double));
    int *order = malloc((size_t)c->nd * sizeof(int)), *best = malloc((size_t)c->nd * sizeof(int));
    c->corr = calloc((size_t)c->nsel * (size_t)c->nd, sizeof *c->corr);
    am_status st = AM_OK;
    if (!x || !y || !order || !best || !c->corr) { st = am_fail(AM_ERR_NOMEM, "out of memory"); goto done; }
    for (int k = 0; k < c->nsel; k++)
        for (int j = 0; j < c->nd; j++) {
            am_corr *r = &c->corr[k * c->nd + j];
            const size_t m = rp_gather(c, k, j, x, y);
            if (am_correlate(m, x, y, &c->co, r) != AM_OK) {
                /* a descriptor constant over the selection predicts nothing */
                *r = (am_corr){.n = m, .pearson = NAN, .pearson_lo = NAN, .pearson_hi = NAN, .spearman = NAN,
                               .spearman_lo = NAN, .spearman_hi = NAN, .r_cg = NAN, .r_cg_lo = NAN, .r_cg_hi = NAN};
            }
        }
    fprintf(c->md, "\n## Correlation with `%s`\n\nPearson r and Spearman ρ over the atoms, and the paper's "
                   "coarse-grained r: atoms sorted by the descriptor, property and descriptor averaged in consecutive "
                   "groups of %zu, r of the group means. Every interval is a 95 %% percentile bootstrap: over atoms "
                   "for r and ρ, over the groups for the coarse-grained r (docs/analysis.md). Ranked by "
                   "|coarse-grained r|.\n\n"
                   "Read the coarse-grained r with care: averaging removes the per-atom scatter, so even a weak "
                   "per-atom r becomes a large coarse-grained one. The column *expected from r* is what averaging "
                   "alone makes of the per-atom r, r / √(r² + (1 − r²)/g) for groups of g; a coarse-grained r well "
                   "above it means a non-linear relation or correlated scatter, not just many atoms.\n",
            c->prop, c->co.group);
    for (int k = 0; k < c->nsel; k++) {
        ranking(c, k, order);
        md_table(c, k, order);
    }
    json_corr(c);
    /* the figures pick from the ranking over all atoms */
    ranking(c, 0, best);
    st = scatter_figure(c, best);
    if (!st) st = coarse_figure(c, best, x, y);
done:
    free(x);
    free(y);
    free(order);
    free(best);
    return st;
}
