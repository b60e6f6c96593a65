/* Report stage 4 (beyond the paper): descriptors averaged over each atom's
 * neighbourhood of radius R, their r with the property against R, and the
 * predictive power of S2 against its integration cutoff. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* r of values v against the property over selection k, with its bootstrap
 * interval when ci (the figure's series) and without otherwise (the table). */
static am_corr r_of(const rp_ctx *c, int k, const double *v, double *x, double *y, int ci)
{
    size_t m = 0;
    for (size_t i = 0; i < c->s->n; i++)
        if (c->sel[k][i] && isfinite(v[i])) x[m] = v[i], y[m] = c->p[i], m++;
    am_corr r = {.n = m, .pearson = NAN, .pearson_lo = NAN, .pearson_hi = NAN};
    if (ci) {
        am_corr_options o = c->co;
        o.group = m + 1; /* no coarse-graining here */
        if (am_correlate(m, x, y, &o, &r) != AM_OK) r.pearson = r.pearson_lo = r.pearson_hi = NAN;
    } else if (am_pearson(m, x, y, &r.pearson) != AM_OK) {
        r.pearson = NAN;
    }
    return r;
}

static am_status s2_cutoff(rp_ctx *c)
{
    int idx[64], ns = 0;
    for (int j = 0; j < c->nd && ns < 64; j++)
        if (strncmp(c->d[j].name, "s2_rc", 5) == 0) idx[ns++] = j;
    if (ns < 2) return AM_OK;
    FILE *f = rp_open(c, "s2_cutoff.dat");
    if (!f) return AM_ERR_IO;
    /* the paper's marker is Cu-Zr's fourth shell: drawn in its units only */
    const int paper_shell = c->un->scale == 1.0;
    fprintf(c->md, "\n### S2 against its integration cutoff\n\nThe paper finds S2 predictive beyond the fourth shell "
            "(11.2 Å%s). 95 %% bootstrap intervals.\n\n| cutoff (%s) |", paper_shell ? "" : " in its Cu-Zr glass",
            c->un->length);
    for (int k = 0; k < c->nsel; k++) fprintf(c->md, " r %s | r_cg %s |", c->selname[k], c->selname[k]);
    fputs("\n|---|", c->md);
    for (int k = 0; k < c->nsel; k++) fputs("---|---|", c->md);
    fputc('\n', c->md);
    fprintf(f, "# cutoff (%s), then per selection r, its interval, coarse-grained r, its interval:", c->un->length);
    for (int k = 0; k < c->nsel; k++) fprintf(f, " %s", c->selname[k]);
    fputc('\n', f);
    double cmax = 0;
    for (int q = 0; q < ns; q++) {
        const double cut = rp_name_number(c->d[idx[q]].name + 5);
        cmax = fmax(cmax, cut);
        fprintf(c->md, "| %g |", cut);
        fprintf(f, "%g", cut);
        for (int k = 0; k < c->nsel; k++) {
            const am_corr *r = &c->corr[k * c->nd + idx[q]];
            fprintf(c->md, " %+.3f [%+.3f, %+.3f] | %+.3f [%+.3f, %+.3f] |", r->pearson, r->pearson_lo, r->pearson_hi,
                    r->r_cg, r->r_cg_lo, r->r_cg_hi);
            fprintf(f, " %.6g %.6g %.6g %.6g %.6g %.6g", r->pearson, r->pearson_lo, r->pearson_hi, r->r_cg, r->r_cg_lo,
                    r->r_cg_hi);
        }
        fputc('\n', c->md);
        fputc('\n', f);
    }
    if (rp_close(c, f, "s2_cutoff.dat")) return AM_ERR_IO;
    FILE *gp = rp_figure(c, "fig_s2_cutoff", 1000, 560);
    if (!gp) return AM_ERR_IO;
    char prop[200];
    rp_name(c->un, c->prop, prop, sizeof prop);
    const double sc = c->un->scale;
    fprintf(gp, "set title \"Predictive power of S2 against its cutoff (95 %% intervals)\"\n"
                "set xlabel \"S2 integration cutoff (%s)\"\nset ylabel \"r with %s\" noenhanced\n"
                "set key outside right top\nset xrange [*:%g]\nset offsets graph 0.03, graph 0.03, graph 0.08, graph 0.08\n"
                "set xzeroaxis\n",
            c->un->length, prop, paper_shell ? fmax(cmax, 12.5) + 0.5 : cmax + 0.5 * sc);
    if (paper_shell)
        fputs("set arrow from 11.2, graph 0 to 11.2, graph 1 nohead dt 2 lc rgb \"gray40\"\n"
              "set label \"4th shell, 11.2 Å (paper)\" at 11.1, graph 0.96 right tc rgb \"gray30\"\n", gp);
    fputs("plot ", gp);
    for (int k = 0; k < c->nsel; k++)
        /* r and coarse-grained r side by side at each cutoff, so their bars stay apart */
        fprintf(gp, "%s\"s2_cutoff.dat\" using ($1-%g):%d:%d:%d with yerrorlines pt 7 lc rgb \"%s\" title \"%s, r\" "
                    "noenhanced, \"\" using ($1+%g):%d:%d:%d with yerrorlines pt 5 dt 2 lc rgb \"%s\" title \"%s, "
                    "coarse-grained r\" noenhanced",
                k ? ", " : "", 0.12 * sc, 2 + 6 * k, 3 + 6 * k, 4 + 6 * k, rp_color(k), c->selname[k], 0.12 * sc,
                5 + 6 * k, 6 + 6 * k, 7 + 6 * k, rp_color(k), c->selname[k]);
    fputs("\n", gp);
    return rp_figure_end(c, gp, "fig_s2_cutoff", "S2 against cutoff");
}

static am_status hood_figure(rp_ctx *c, int np, const int *idx)
{
    int rows = 0;
    for (int k = 0; k < c->nsel; k++) rows += rp_species_sel(c, k);
    if (!np || !rows) return AM_OK;
    FILE *gp = rp_figure(c, "fig_neighborhood", 520 * (rows + 1), 520);
    if (!gp) return AM_ERR_IO;
    char titles[8][200];
    for (int m = 0; m < np; m++) rp_label(c->un, c->d[idx[m]].name, titles[m], sizeof titles[m]);
    char prop[200];
    rp_name(c->un, c->prop, prop, sizeof prop);
    fprintf(gp, "set multiplot layout 1,%d title \"Descriptors averaged within R: Pearson r with %s (95 %% intervals)\" "
                "noenhanced\nset xlabel \"R (%s)\"\nset ylabel \"Pearson r\"\nset xzeroaxis\nunset key\n"
                "set offsets graph 0.04, graph 0.04, graph 0.06, graph 0.06\n",
            rows + 1, prop, c->un->length);
    int blk = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!rp_species_sel(c, k)) continue;
        fprintf(gp, "set title \"%s\" noenhanced\nplot ", c->selname[k]);
        for (int m = 0; m < np; m++)
            /* series side by side at each R, so their bars do not hide each other */
            fprintf(gp, "%s\"neighborhood.dat\" index %d using ($1+%.3f):2:3:4 with yerrorlines pt 7 lc rgb \"%s\"",
                    m ? ", " : "", blk++, 0.08 * c->un->scale * (m - 0.5 * (np - 1)), rp_color(m));
        fputc('\n', gp);
    }
    rp_legend_cell(gp, np, titles);
    return rp_figure_end(c, gp, "fig_neighborhood", "neighbourhood averages");
}

am_status rp_neighborhood(rp_ctx *c)
{
    const size_t n = c->s->n;
    const int nr = c->nradii + 1; /* R = 0: the atom's own value */
    double *avg = malloc((n ? n : 1) * sizeof(double)), *x = malloc((n ? n : 1) * sizeof(double)),
           *y = malloc((n ? n : 1) * sizeof(double));
    am_corr *r = malloc((size_t)c->nsel * (size_t)c->nd * (size_t)nr * sizeof *r);
    int idx[8], np = rp_featured(c, idx, 8, 0);
    am_status st = AM_OK;
    FILE *f = NULL;
    if (!avg || !x || !y || !r) { st = am_fail(AM_ERR_NOMEM, "out of memory"); goto done; }
#define R_AT(k, j, q) r[((size_t)(k) * (size_t)c->nd + (size_t)(j)) * (size_t)nr + (size_t)(q)]
    for (int j = 0; j < c->nd; j++) {
        int featured = 0;
        for (int m = 0; m < np; m++) featured |= idx[m] == j;
        for (int q = 0; q < nr; q++) {
            const double *v = c->d[j].v;
            if (q > 0) {
                /* atoms without a value (hopped) take no part in their neighbours' means */
                if ((st = am_neighbor_average(c->s, c->d[j].v, c->d[j].has, c->radii[q - 1], avg))) goto done;
                v = avg;
            }
            for (int k = 0; k < c->nsel; k++) R_AT(k, j, q) = r_of(c, k, v, x, y, featured && rp_species_sel(c, k));
        }
    }
    fputs("\n## Beyond the paper: neighbourhood-averaged descriptors\n\nEach atom's descriptor replaced by its mean "
          "over all atoms within R (itself included); Pearson r with the property (no further coarse-graining).\n",
          c->md);
    fputs(",\n  \"neighborhood\": {\"radii\": [0", c->json);
    for (int q = 1; q < nr; q++) am_json_printf(c->json, ", %g", c->radii[q - 1]);
    fputs("], \"r\": [", c->json);
    if (!(f = rp_open(c, "neighborhood.dat"))) { st = AM_ERR_IO; goto done; }
    int blk = 0;
    for (int k = 0; k < c->nsel; k++) {
        fprintf(c->md, "\n%s:\n\n| descriptor | R = 0 |", c->selname[k]);
        for (int q = 1; q < nr; q++) fprintf(c->md, " %g %s |", c->radii[q - 1], c->un->length);
        fputs("\n|---|---|", c->md);
        for (int q = 1; q < nr; q++) fputs("---|", c->md);
        fputc('\n', c->md);
        for (int j = 0; j < c->nd; j++) {
            fprintf(c->md, "| `%s` |", c->d[j].name);
            fputs(k || j ? ",\n    {\"descriptor\": " : "\n    {\"descriptor\": ", c->json);
            am_json_str(c->json, c->d[j].name);
            fputs(", \"selection\": ", c->json);
            am_json_str(c->json, c->selname[k]);
            fputs(", \"r\": [", c->json);
            for (int q = 0; q < nr; q++) {
                fprintf(c->md, " %+.3f |", R_AT(k, j, q).pearson);
                fputs(q ? ", " : "", c->json);
                am_json_num(c->json, R_AT(k, j, q).pearson);
            }
            fputs("]}", c->json);
            fputc('\n', c->md);
        }
        if (!rp_species_sel(c, k)) continue;
        for (int m = 0; m < np; m++) {
            fprintf(f, "%s# %s %s: R (%s), r, its 95 %% interval\n", blk++ ? "\n\n" : "", c->selname[k], c->d[idx[m]].name,
                    c->un->length);
            for (int q = 0; q < nr; q++) {
                const am_corr *e = &R_AT(k, idx[m], q);
                fprintf(f, "%g %.6g %.6g %.6g\n", q ? c->radii[q - 1] : 0.0, e->pearson, e->pearson_lo, e->pearson_hi);
            }
        }
    }
#undef R_AT
    fputs("\n  ]}", c->json);
    st = rp_close(c, f, "neighborhood.dat") ? AM_ERR_IO : AM_OK;
    f = NULL;
    if (!st) st = hood_figure(c, np, idx);
    if (!st) st = s2_cutoff(c);
done:
    if (f) fclose(f);
    free(avg); free(x); free(y); free(r);
    return st;
}
