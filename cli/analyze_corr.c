/* amorph analyze, stage 1: correlation of every descriptor with the
 * property, the ranking table, and the paper's Figs. 5 (scatter) and 6
 * (coarse-grained). */
#include "analyze.h"

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

void an_axis_label(const char *name, char *out, size_t len)
{
    if (strcmp(name, "voro_vol") == 0) snprintf(out, len, "Voronoi volume (Å³)");
    else if (strcmp(name, "cn") == 0) snprintf(out, len, "coordination number CN");
    else if (strcmp(name, "q6") == 0 || strcmp(name, "q4") == 0) snprintf(out, len, "Steinhardt Q%s", name + 1);
    else if (strcmp(name, "l5fs") == 0) snprintf(out, len, "five-fold symmetry L5FS");
    else if (strcmp(name, "l6fs") == 0) snprintf(out, len, "six-fold symmetry L6FS");
    else if (strcmp(name, "participation") == 0) snprintf(out, len, "low-frequency participation p_i");
    else if (strncmp(name, "vmsd_", 5) == 0) snprintf(out, len, "vMSD %s (Å²)", name + 5);
    else if (strncmp(name, "s2_rc", 5) == 0) snprintf(out, len, "S2, cutoff %s Å (k_B)", name + 5);
    else if (strncmp(name, "ea_", 3) == 0) snprintf(out, len, "activation energy %s (eV)", name);
    else snprintf(out, len, "%s", name);
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

static void md_table(an_ctx *c, int k, int *order)
{
    FILE *md = c->md;
    fprintf(md, "\n### %s (%zu atoms)\n\n| rank | descriptor | Pearson r [95 %% CI] | Spearman ρ [95 %% CI] | "
                "coarse-grained r | expected from r | groups |\n|---|---|---|---|---|---|---|\n",
            c->selname[k], c->selcount[k]);
    for (int q = 0; q < c->nd; q++) {
        const am_corr *r = &c->corr[k * c->nd + order[q]];
        fprintf(md, "| %d | `%s` | %+.3f [%+.3f, %+.3f] | %+.3f [%+.3f, %+.3f] | %+.3f | %+.3f | %zu |\n", q + 1,
                c->d[order[q]].name, r->pearson, r->pearson_lo, r->pearson_hi, r->spearman, r->spearman_lo,
                r->spearman_hi, r->r_cg, cg_expected(r->pearson, c->co.group), r->ngroups);
    }
}

static void json_corr(an_ctx *c)
{
    FILE *js = c->json;
    fputs(",\n  \"correlations\": [", js);
    for (int k = 0; k < c->nsel; k++)
        for (int j = 0; j < c->nd; j++) {
            const am_corr *r = &c->corr[k * c->nd + j];
            fputs(k || j ? ",\n    {" : "\n    {", js);
            fputs("\"descriptor\": ", js);
            an_json_str(js, c->d[j].name);
            fputs(", \"selection\": ", js);
            an_json_str(js, c->selname[k]);
            cli_json_printf(js, ", \"n\": %zu, \"pearson\": ", r->n);
            const double v[] = {r->pearson, r->pearson_lo, r->pearson_hi, r->spearman, r->spearman_lo,
                                r->spearman_hi, r->r_cg};
            static const char *const key[] = {NULL, "pearson_ci", NULL, "spearman", "spearman_ci", NULL, "r_cg"};
            for (int q = 0; q < 7; q++) {
                if (q == 1 || q == 4) cli_json_printf(js, ", \"%s\": [", key[q]);
                else if (q == 3 || q == 6) cli_json_printf(js, ", \"%s\": ", key[q]);
                else if (q == 2 || q == 5) fputs(", ", js);
                cli_json_num(js, v[q]);
                if (q == 2 || q == 5) fputc(']', js);
            }
            cli_json_printf(js, ", \"groups\": %zu}", r->ngroups);
        }
    fputs("\n  ]", js);
}

/* Fig. 5: the property against the short-range descriptors, one row per species. */
static int scatter_figure(an_ctx *c, double *x)
{
    int idx[5], np = an_featured(c, idx, 5, 1);
    if (np == 0) {
        /* none of the paper's five: the best-ranked descriptors instead */
        int *order = malloc((size_t)c->nd * sizeof(int));
        if (!order) return 1;
        for (int j = 0; j < c->nd; j++) order[j] = j;
        rank_corr = c->corr;
        qsort(order, (size_t)c->nd, sizeof(int), by_power);
        for (np = 0; np < 5 && np < c->nd; np++) idx[np] = order[np];
        free(order);
    }
    FILE *f = an_open(c, "scatter.dat");
    if (!f) return 1;
    int rows = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!an_species_sel(c, k)) continue;
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
    (void)x;
    if (an_close(c, f, "scatter.dat")) return 1;
    FILE *gp = an_figure(c, "fig_scatter", 320 * np, 300 * rows + 40);
    if (!gp) return 1;
    char yl[128], xl[128];
    an_axis_label(c->prop, yl, sizeof yl);
    fprintf(gp, "set multiplot layout %d,%d title \"%s against descriptors (paper Fig. 5)\" noenhanced\n"
                "set ylabel \"%s\" noenhanced\nunset key\nset tics font \",8\"\nset xtics rotate by 30 right\n",
            rows, np, c->prop, yl);
    int b = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!an_species_sel(c, k)) continue;
        for (int q = 0; q < np; q++) {
            const am_corr *r = &c->corr[k * c->nd + idx[q]];
            an_axis_label(c->d[idx[q]].name, xl, sizeof xl);
            fprintf(gp, "set xlabel \"%s\" noenhanced\nset title \"%s: r = %.2f\" noenhanced\n"
                        "plot \"scatter.dat\" index %d using %d:1 with points pt 7 ps 0.3 lc rgb \"%s\"\n",
                    xl, c->selname[k], r->pearson, b, q + 2, b % 2 ? "#c0392b" : "#1f77b4");
        }
        b++;
    }
    fputs("unset multiplot\n", gp);
    if (an_figure_end(c, gp, "fig_scatter", "property against short-range descriptors")) return 1;
    return 0;
}

/* Fig. 6: group means of the property against group means of a descriptor. */
static int coarse_figure(an_ctx *c, double *x, double *y)
{
    int idx[8], np = 0, feat[8], nf = an_featured(c, feat, 8, 0);
    for (int q = 0; q < nf; q++)
        if (strcmp(c->d[feat[q]].name, "voro_vol") && strcmp(c->d[feat[q]].name, "cn") &&
            strcmp(c->d[feat[q]].name, "q6") && strcmp(c->d[feat[q]].name, "l5fs") &&
            strcmp(c->d[feat[q]].name, "l6fs"))
            idx[np++] = feat[q];
    /* and the best-ranked descriptors overall, up to four panels */
    int *order = malloc((size_t)c->nd * sizeof(int));
    if (!order) return 1;
    for (int j = 0; j < c->nd; j++) order[j] = j;
    rank_corr = c->corr;
    qsort(order, (size_t)c->nd, sizeof(int), by_power);
    for (int q = 0; q < c->nd && np < 4; q++) {
        int dup = 0;
        for (int m = 0; m < np; m++) dup |= idx[m] == order[q];
        if (!dup) idx[np++] = order[q];
    }
    free(order);
    if (c->selcount[0] < 3 * c->co.group) {
        fprintf(c->md, "\n(No coarse-grained figure: fewer than %zu atoms have the property.)\n", 3 * c->co.group);
        return 0;
    }
    FILE *f = an_open(c, "coarse.dat");
    if (!f) return 1;
    int blk = 0;
    for (int q = 0; q < np; q++)
        for (int k = 0; k < c->nsel; k++) {
            if (!an_species_sel(c, k)) continue;
            size_t m = an_gather(c, k, idx[q], x, y), ng = 0;
            double *xm = malloc((m / c->co.group + 1) * sizeof(double)), *ym = malloc((m / c->co.group + 1) * sizeof(double));
            if (!xm || !ym) { free(xm); free(ym); fclose(f); return 1; }
            fprintf(f, "%s# %s %s: group means of the descriptor and of %s\n", blk ? "\n\n" : "", c->d[idx[q]].name,
                    c->selname[k], c->prop);
            if (m >= c->co.group && am_coarse_grain(m, x, y, c->co.group, &ng, xm, ym) == AM_OK)
                for (size_t g = 0; g < ng; g++) fprintf(f, "%.8g %.8g\n", xm[g], ym[g]);
            else
                fputs("NaN NaN\n", f);
            free(xm);
            free(ym);
            blk++;
        }
    if (an_close(c, f, "coarse.dat")) return 1;
    const int cols = np < 2 ? 1 : 2, rows = (np + cols - 1) / cols;
    FILE *gp = an_figure(c, "fig_coarse", 480 * cols, 380 * rows + 40);
    if (!gp) return 1;
    char yl[128], xl[128];
    an_axis_label(c->prop, yl, sizeof yl);
    fprintf(gp, "set multiplot layout %d,%d title \"Coarse-grained: means of groups of %zu atoms sorted by the "
                "descriptor (paper Fig. 6)\" noenhanced\nset ylabel \"%s\" noenhanced\nset key top left\n"
                "set xtics font \",9\" rotate by 30 right\n",
            rows, cols, c->co.group, yl);
    blk = 0;
    for (int q = 0; q < np; q++) {
        an_axis_label(c->d[idx[q]].name, xl, sizeof xl);
        fprintf(gp, "set xlabel \"%s\" noenhanced\nplot ", xl);
        int first = 1;
        for (int k = 0; k < c->nsel; k++) {
            if (!an_species_sel(c, k)) continue;
            fprintf(gp, "%s\"coarse.dat\" index %d using 1:2 with linespoints pt 7 ps 0.6 title \"%s: r = %.2f\" "
                        "noenhanced",
                    first ? "" : ", ", blk++, c->selname[k], c->corr[k * c->nd + idx[q]].r_cg);
            first = 0;
        }
        fputc('\n', gp);
    }
    fputs("unset multiplot\n", gp);
    if (an_figure_end(c, gp, "fig_coarse", "coarse-grained correlations")) return 1;
    return 0;
}

int an_correlations(an_ctx *c)
{
    const size_t n = c->s->n;
    double *x = malloc((n ? n : 1) * sizeof(double)), *y = malloc((n ? n : 1) * sizeof(double));
    int *order = malloc((size_t)c->nd * sizeof(int));
    c->corr = calloc((size_t)c->nsel * (size_t)c->nd, sizeof *c->corr);
    int rc = 0;
    if (!x || !y || !order || !c->corr) { rc = 1; goto done; }
    for (int k = 0; k < c->nsel; k++)
        for (int j = 0; j < c->nd; j++) {
            am_corr *r = &c->corr[k * c->nd + j];
            const size_t m = an_gather(c, k, j, x, y);
            if (am_correlate(m, x, y, &c->co, r) != AM_OK) {
                /* a descriptor constant over the selection predicts nothing */
                *r = (am_corr){m, NAN, NAN, NAN, NAN, NAN, NAN, 0, NAN};
            }
        }
    fprintf(c->md, "## Correlation with `%s`\n\nPearson r and Spearman ρ over the atoms (95 %% bootstrap intervals), "
                   "and the paper's coarse-grained r: atoms sorted by the descriptor, property and descriptor "
                   "averaged in consecutive groups of %zu, r of the group means. Ranked by |coarse-grained r|.\n\n"
                   "Read the coarse-grained r with care: averaging removes the per-atom scatter, so even a weak "
                   "per-atom r becomes a large coarse-grained one. The column *expected from r* is what averaging "
                   "alone makes of the per-atom r, r / √(r² + (1 − r²)/g) for groups of g; a coarse-grained r well "
                   "above it means a non-linear relation or correlated scatter, not just many atoms.\n",
            c->prop, c->co.group);
    for (int k = 0; k < c->nsel; k++) {
        for (int j = 0; j < c->nd; j++) order[j] = j;
        rank_corr = c->corr + k * c->nd;
        qsort(order, (size_t)c->nd, sizeof(int), by_power);
        md_table(c, k, order);
    }
    json_corr(c);
    rc = scatter_figure(c, x);
    if (!rc) rc = coarse_figure(c, x, y);
done:
    if (rc == 1 && (!x || !y || !order || !c->corr)) fprintf(stderr, "amorph analyze: out of memory\n");
    free(x);
    free(y);
    free(order);
    return rc;
}
