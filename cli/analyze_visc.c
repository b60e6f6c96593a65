/* amorph analyze, stage 5: local viscosity η = η0 exp(Ea/kBT), the
 * liquid-like fraction and the slab map (the paper's Fig. 1). */
#include "analyze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID 96


int an_viscosity(an_ctx *c)
{
    if (strncmp(c->prop, "ea", 2) != 0) return 0; /* only an activation energy makes a viscosity */
    const size_t n = c->s->n;
    double *le = malloc((n ? n : 1) * sizeof(double)), *grid = malloc(GRID * GRID * sizeof(double));
    if (!le || !grid) { free(le); free(grid); return 1; }
    am_log10_viscosity(n, c->p, c->eta0, c->temperature, le);
    fprintf(c->md, "\n## Viscosity\n\nη_i = η0 exp(E_a,i / k_B T) with η0 = %g Pa·s, T = %g K. Atoms with "
                   "η < 1e12 Pa·s are liquid-like (the laboratory glass-transition viscosity).\n\n| selection | atoms | "
                   "median log10 η (Pa·s) | liquid-like fraction |\n|---|---|---|---|\n",
            c->eta0, c->temperature);
    fputs(",\n  \"viscosity\": {", c->json);
    double *tmp = malloc((n ? n : 1) * sizeof(double));
    if (!tmp) { free(le); free(grid); return 1; }
    for (int k = 0; k < c->nsel; k++) {
        size_t m = 0, liquid = 0;
        for (size_t i = 0; i < n; i++)
            if (c->sel[k][i]) tmp[m++] = le[i], liquid += le[i] < AM_LOG10_ETA_SOLID;
        qsort(tmp, m, sizeof(double), an_cmp_double);
        const double med = m ? (m % 2 ? tmp[m / 2] : 0.5 * (tmp[m / 2 - 1] + tmp[m / 2])) : NAN;
        fprintf(c->md, "| %s | %zu | %.2f | %.3f |\n", c->selname[k], m, med, m ? (double)liquid / m : NAN);
        cli_json_printf(c->json, "%s\"%s\": {\"atoms\": %zu, \"median_log10_eta\": ", k ? ", " : "", c->selname[k], m);
        cli_json_num(c->json, med);
        fputs(", \"liquid_fraction\": ", c->json);
        cli_json_num(c->json, m ? (double)liquid / m : NAN);
        fputc('}', c->json);
    }
    free(tmp);
    cli_json_printf(c->json, "}");
    /* the map: a slab through the box centre, normal to z */
    /* a sampled property leaves a thin slab nearly empty: project the whole box */
    double w[3];
    am_box_widths(&c->s->box, w);
    const double slab = c->slab > 0 ? c->slab : 2 * c->selcount[0] >= n ? 6.0 : w[2];
    am_status st = am_slab_map(c->s, le, c->valid, 2, 0.5, slab, c->sigma, GRID, GRID, grid);
    if (st) {
        fprintf(stderr, "amorph analyze: warning: viscosity map: %s\n", am_error_message());
        free(le);
        free(grid);
        return 0;
    }
    FILE *f = an_open(c, "viscosity_map.dat");
    if (!f) { free(le); free(grid); return 1; }
    const am_box *b = &c->s->box;
    fprintf(f, "# x (Å), y (Å), log10 eta (Pa s): slab |z - centre| < %g Å, Gaussian width %g Å\n", 0.5 * slab,
            c->sigma);
    for (int u = 0; u < GRID; u++) {
        for (int v = 0; v < GRID; v++) {
            const double fu = (u + 0.5) / GRID, fv = (v + 0.5) / GRID;
            const double val = grid[u * GRID + v];
            fprintf(f, "%.5g %.5g %.5g\n", fu * b->len[0] + fv * b->tilt[0], fv * b->len[1], val);
        }
        fputc('\n', f);
    }
    free(le);
    free(grid);
    if (an_close(c, f, "viscosity_map.dat")) return 1;
    FILE *gp = an_figure(c, "fig_viscosity", 640, 560);
    if (!gp) return 1;
    fprintf(gp, "set title \"log10 viscosity (Pa·s), %.0f Å slab, T = %g K (paper Fig. 1)\" noenhanced\n"
                "set xlabel \"x (Å)\"\nset ylabel \"y (Å)\"\nset size ratio -1\nset view map\nset pm3d map interpolate 2,2\n"
                "set palette defined (0 \"#3b4cc0\", 1 \"#dddddd\", 2 \"#b40426\")\n"
                "set cblabel \"log10 η (Pa·s); contour: 1e12 Pa·s\"\nset contour base\n"
                "set cntrparam levels discrete %g\nunset key\nset autoscale xfix\nset autoscale yfix\n"
                "splot \"viscosity_map.dat\" using 1:2:3 with pm3d, \"\" using 1:2:3 with lines nosurface lw 2 lc rgb \"black\"\n",
            slab, c->temperature, AM_LOG10_ETA_SOLID);
    if (an_figure_end(c, gp, "fig_viscosity", "viscosity map")) return 1;
    return 0;
}
