/* amorph analyze, stage 4 (beyond the paper): descriptors averaged over each
 * atom's neighbourhood of radius R, their r with the property against R,
 * and the predictive power of S2 against its integration cutoff. */
#include "analyze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double r_of(const an_ctx *c, int k, const double *v, double *x, double *y)
{
    size_t m = 0;
    for (size_t i = 0; i < c->s->n; i++)
        if (c->sel[k][i]) x[m] = v[i], y[m] = c->p[i], m++;
    double r = NAN;
    if (am_pearson(m, x, y, &r) != AM_OK) r = NAN;
    return r;
}

static int s2_cutoff(an_ctx *c)
{
    int idx[64], ns = 0;
    for (int j = 0; j < c->nd && ns < 64; j++)
        if (strncmp(c->d[j].name, "s2_rc", 5) == 0) idx[ns++] = j;
    if (ns < 2) return 0;
    FILE *f = an_open(c, "s2_cutoff.dat");
    if (!f) return 1;
    fputs("\n### S2 against its integration cutoff\n\nThe paper finds S2 predictive beyond the fourth shell "
          "(11.2 Å).\n\n| cutoff (Å) |", c->md);
    for (int k = 0; k < c->nsel; k++) fprintf(c->md, " r %s | r_cg %s |", c->selname[k], c->selname[k]);
    fputs("\n|---|", c->md);
    for (int k = 0; k < c->nsel; k++) fputs("---|---|", c->md);
    fputc('\n', c->md);
    fputs("# cutoff (Å), then r and coarse-grained r per selection:", f);
    for (int k = 0; k < c->nsel; k++) fprintf(f, " %s", c->selname[k]);
    fputc('\n', f);
    for (int q = 0; q < ns; q++) {
        const double cut = atof(c->d[idx[q]].name + 5);
        fprintf(c->md, "| %g |", cut);
        fprintf(f, "%g", cut);
        for (int k = 0; k < c->nsel; k++) {
            const am_corr *r = &c->corr[k * c->nd + idx[q]];
            fprintf(c->md, " %+.3f | %+.3f |", r->pearson, r->r_cg);
            fprintf(f, " %.6g %.6g", r->pearson, r->r_cg);
        }
        fputc('\n', c->md);
        fputc('\n', f);
    }
    if (an_close(c, f, "s2_cutoff.dat")) return 1;
    FILE *gp = an_figure(c, "fig_s2_cutoff", 720, 500);
    if (!gp) return 1;
    fprintf(gp, "set title \"Predictive power of S2 against its cutoff\"\nset xlabel \"S2 integration cutoff (Å)\"\n"
                "set ylabel \"r with %s\" noenhanced\nset key outside right\n"
                "set arrow from 11.2, graph 0 to 11.2, graph 1 nohead dt 2 lc rgb \"gray\"\n"
                "set label \"4th shell, 11.2 Å (paper)\" at 11.3, graph 0.96 left font \",9\" tc rgb \"gray40\"\nplot ",
            c->prop);
    for (int k = 0; k < c->nsel; k++)
        fprintf(gp, "%s\"s2_cutoff.dat\" using 1:%d with linespoints pt 7 lc %d title \"%s, r\" noenhanced, "
                    "\"\" using 1:%d with linespoints pt 5 dt 2 lc %d title \"%s, coarse-grained r\" noenhanced",
                k ? ", " : "", 2 + 2 * k, k + 1, c->selname[k], 3 + 2 * k, k + 1, c->selname[k]);
    fputs("\n", gp);
    if (an_figure_end(c, gp, "fig_s2_cutoff", "S2 against cutoff")) return 1;
    return 0;
}

int an_neighborhood(an_ctx *c)
{
    const size_t n = c->s->n;
    const int nr = c->nradii + 1; /* R = 0: the atom's own value */
    double *avg = malloc((n ? n : 1) * sizeof(double)), *x = malloc((n ? n : 1) * sizeof(double)),
           *y = malloc((n ? n : 1) * sizeof(double));
    double *r = malloc((size_t)c->nsel * (size_t)c->nd * (size_t)nr * sizeof(double));
    if (!avg || !x || !y || !r) { free(avg); free(x); free(y); free(r); return 1; }
#define R_AT(k, j, q) r[((size_t)(k) * (size_t)c->nd + (size_t)(j)) * (size_t)nr + (size_t)(q)]
    for (int j = 0; j < c->nd; j++)
        for (int q = 0; q < nr; q++) {
            const double *v = c->d[j].v;
            if (q > 0) {
                if (am_neighbor_average(c->s, c->d[j].v, NULL, c->radii[q - 1], avg)) {
                    fprintf(stderr, "amorph analyze: %s\n", am_error_message());
                    free(avg); free(x); free(y); free(r);
                    return 1;
                }
                v = avg;
            }
            for (int k = 0; k < c->nsel; k++) R_AT(k, j, q) = r_of(c, k, v, x, y);
        }
    fputs("\n## Beyond the paper: neighbourhood-averaged descriptors\n\nEach atom's descriptor replaced by its mean "
          "over all atoms within R (itself included); Pearson r with the property (no further coarse-graining).\n",
          c->md);
    fputs(",\n  \"neighborhood\": {\"radii\": [0", c->json);
    for (int q = 1; q < nr; q++) cli_json_printf(c->json, ", %g", c->radii[q - 1]);
    fputs("], \"r\": [", c->json);
    FILE *f = an_open(c, "neighborhood.dat");
    if (!f) { free(avg); free(x); free(y); free(r); return 1; }
    int blk = 0;
    for (int k = 0; k < c->nsel; k++) {
        fprintf(c->md, "\n%s:\n\n| descriptor | R = 0 |", c->selname[k]);
        for (int q = 1; q < nr; q++) fprintf(c->md, " %g Å |", c->radii[q - 1]);
        fputs("\n|---|---|", c->md);
        for (int q = 1; q < nr; q++) fputs("---|", c->md);
        fputc('\n', c->md);
        for (int j = 0; j < c->nd; j++) {
            fprintf(c->md, "| `%s` |", c->d[j].name);
            cli_json_printf(c->json, "%s\n    {\"descriptor\": ", k || j ? "," : "");
            an_json_str(c->json, c->d[j].name);
            cli_json_printf(c->json, ", \"selection\": \"%s\", \"r\": [", c->selname[k]);
            for (int q = 0; q < nr; q++) {
                fprintf(c->md, " %+.3f |", R_AT(k, j, q));
                fputs(q ? ", " : "", c->json);
                cli_json_num(c->json, R_AT(k, j, q));
            }
            fputs("]}", c->json);
            fputc('\n', c->md);
        }
        if (!an_species_sel(c, k)) continue;
        int idx[8], np = an_featured(c, idx, 8, 0);
        for (int m = 0; m < np; m++) {
            fprintf(f, "%s# %s %s: R (Å), r\n", blk++ ? "\n\n" : "", c->selname[k], c->d[idx[m]].name);
            for (int q = 0; q < nr; q++) fprintf(f, "%g %.6g\n", q ? c->radii[q - 1] : 0.0, R_AT(k, idx[m], q));
        }
    }
    fputs("\n  ]}", c->json);
    free(avg); free(x); free(y); free(r);
#undef R_AT
    if (an_close(c, f, "neighborhood.dat")) return 1;
    int idx[8], np = an_featured(c, idx, 8, 0), rows = 0;
    for (int k = 0; k < c->nsel; k++) rows += an_species_sel(c, k);
    if (np && rows) {
        FILE *gp = an_figure(c, "fig_neighborhood", 560 * rows, 460);
        if (!gp) return 1;
        fprintf(gp, "set multiplot layout 1,%d title \"Descriptors averaged within R: r with %s\" noenhanced\n"
                    "set xlabel \"R (Å)\"\nset ylabel \"Pearson r\"\nset key outside bottom horizontal font \",9\"\n",
                rows, c->prop);
        blk = 0;
        for (int k = 0; k < c->nsel; k++) {
            if (!an_species_sel(c, k)) continue;
            fprintf(gp, "set title \"%s\" noenhanced\nplot ", c->selname[k]);
            for (int m = 0; m < np; m++)
                fprintf(gp, "%s\"neighborhood.dat\" index %d using 1:2 with linespoints pt 7 lc %d title \"%s\" noenhanced",
                        m ? ", " : "", blk++, m + 1, c->d[idx[m]].name);
            fputc('\n', gp);
        }
        fputs("unset multiplot\n", gp);
        if (an_figure_end(c, gp, "fig_neighborhood", "neighbourhood averages")) return 1;
    }
    return s2_cutoff(c);
}
