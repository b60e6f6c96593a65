/* Report stage 5: local viscosity η = η0 exp(Ea/kBT), the liquid-like
 * fraction and the slab map (the paper's Fig. 1). */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID 96

static void table(rp_ctx *c, const double *le, double *tmp)
{
    const size_t n = c->s->n;
    const rp_units *u = c->un;
    const double solid = u->log10_eta_solid;
    fprintf(c->md, "\n## Viscosity\n\nη_i = η0 exp(E_a,i / k_B T) with η0 = %g %s, T = %g %s. Atoms with "
                   "η < 1e%.0f %s are liquid-like (the laboratory glass-transition viscosity%s), i.e. E_a < %.3f %s "
                   "here.\n\n| selection | atoms | median log10 η (%s) | liquid-like fraction |\n|---|---|---|---|\n",
            c->eta0, u->viscosity, c->temperature, u->temperature, solid, u->viscosity,
            solid == AM_LOG10_ETA_SOLID ? "" : ", 1e12 Pa·s, as a multiple of η0 = 1e-4 Pa·s",
            u->boltz * c->temperature * log(pow(10.0, solid) / c->eta0), u->energy, u->viscosity);
    fputs(",\n  \"viscosity\": {", c->json);
    for (int k = 0; k < c->nsel; k++) {
        size_t m = 0, liquid = 0;
        for (size_t i = 0; i < n; i++)
            if (c->sel[k][i]) tmp[m++] = le[i], liquid += le[i] < solid;
        qsort(tmp, m, sizeof(double), rp_cmp_double);
        const double med = m ? (m % 2 ? tmp[m / 2] : 0.5 * (tmp[m / 2 - 1] + tmp[m / 2])) : NAN;
        const double frac = m ? (double)liquid / (double)m : NAN;
        fprintf(c->md, "| %s | %zu | %.2f | %.3f (%zu atoms) |\n", c->selname[k], m, med, frac, liquid);
        fputs(k ? ", " : "", c->json);
        am_json_str(c->json, c->selname[k]);
        fprintf(c->json, ": {\"atoms\": %zu, \"liquid_atoms\": %zu", m, liquid);
        am_json_kv(c->json, "median_log10_eta", med);
        am_json_kv(c->json, "liquid_fraction", frac);
        fputc('}', c->json);
    }
    fputc('}', c->json);
}

am_status rp_viscosity(rp_ctx *c)
{
    if (strncmp(c->prop, "ea", 2) != 0) return AM_OK; /* only an activation energy makes a viscosity */
    const size_t n = c->s->n;
    double *le = malloc((n ? n : 1) * sizeof(double)), *grid = malloc(GRID * GRID * sizeof(double));
    double *tmp = malloc((n ? n : 1) * sizeof(double));
    am_status st = AM_OK;
    FILE *f = NULL;
    if (!le || !grid || !tmp) { st = am_fail(AM_ERR_NOMEM, "out of memory"); goto done; }
    const am_units *au = am_units_of(c->un->style);
    am_log10_viscosity(n, c->p, c->eta0, au, c->temperature, le);
    const double solid = c->un->log10_eta_solid;
    const char *L = c->un->length, *V = c->un->viscosity;
    table(c, le, tmp);
    /* the map: a slab through the box centre, normal to z; a sampled
     * property leaves a thin slab nearly empty, so then the whole box */
    double w[3];
    am_box_widths(&c->s->box, w);
    const int sparse = 2 * c->selcount[0] < n;
    const double slab = c->slab > 0 ? c->slab : sparse ? w[2] : 6.0 * c->un->scale;
    if (am_slab_map(c->s, le, c->valid, 2, 0.5, slab, c->sigma, GRID, GRID, grid)) {
        rp_warn(c, "viscosity map: %s", am_error_message());
        goto done;
    }
    const am_box *b = &c->s->box;
    size_t inslab = 0, below = 0;
    double gmin = INFINITY, gmax = -INFINITY;
    if (!(f = rp_open(c, "viscosity_map.dat"))) { st = AM_ERR_IO; goto done; }
    fprintf(f, "# x (%s), y (%s), log10 eta (%s): slab |z - centre| < %g %s, Gaussian width %g %s\n", L, L, V,
            0.5 * slab, L, c->sigma, L);
    for (int u = 0; u < GRID; u++) {
        for (int v = 0; v < GRID; v++) {
            const double fu = (u + 0.5) / GRID, fv = (v + 0.5) / GRID, val = grid[u * GRID + v];
            below += val < solid;
            if (isfinite(val)) gmin = fmin(gmin, val), gmax = fmax(gmax, val);
            fprintf(f, "%.5g %.5g %.5g\n", fu * b->len[0] + fv * b->tilt[0], fv * b->len[1], val);
        }
        fputc('\n', f);
    }
    /* the liquid-like atoms of the slab themselves, over the map */
    fprintf(f, "\n\n# liquid-like atoms in the slab: x (%s), y (%s)\n", L, L);
    size_t liquid_in = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c->valid[i]) continue;
        /* fractional coordinates, wrapped: the map's frame */
        double fz = (c->s->z[i] - b->lo[2]) / b->len[2];
        double fy = (c->s->y[i] - b->lo[1] - fz * b->tilt[2]) / b->len[1];
        double fx = (c->s->x[i] - b->lo[0] - fy * b->tilt[0] - fz * b->tilt[1]) / b->len[0];
        fx -= floor(fx), fy -= floor(fy), fz -= floor(fz);
        if (fabs(fz - 0.5) * w[2] > 0.5 * slab) continue;
        inslab++;
        if (le[i] < solid) {
            fprintf(f, "%.5g %.5g\n", fx * b->len[0] + fy * b->tilt[0], fy * b->len[1]);
            liquid_in++;
        }
    }
    if (!liquid_in) fputs("NaN NaN\n", f);
    st = rp_close(c, f, "viscosity_map.dat") ? AM_ERR_IO : AM_OK;
    f = NULL;
    if (st) goto done;
    char cut[64];
    snprintf(cut, sizeof cut, "1e%.0f %s", solid, V);
    fprintf(c->md, "\nThe map averages log10 η of the %zu atoms with a value in a %.3g %s slab through the box centre "
                   "(normal to z) with a Gaussian of %g %s; white dots mark the liquid-like atoms, the black line the "
                   "%s contour%s%s.\n",
            inslab, slab, L, c->sigma, L, cut, below ? "" : " — not drawn: no region of the smoothed map falls below ",
            below ? "" : cut);
    if (sparse || inslab < 200)
        rp_flag(c, "the viscosity map rests on %zu atoms%s: between them it is interpolated, and it shows where "
                   "the sampled atoms sit as much as a field.",
                inslab, sparse ? " projected from the whole box (under half the atoms have the property)" : "");
    const double lo = fmin(gmin, solid - 1), hi = fmax(gmax, solid + 1);
    FILE *gp = rp_figure(c, "fig_viscosity", 820, 700);
    if (!gp) { st = AM_ERR_IO; goto done; }
    fprintf(gp, "set title \"log10 viscosity (%s), %.3g %s slab, T = %g %s (paper Fig. 1)\\ndots: liquid-like atoms (η < %s)\" noenhanced\n"
                "set xlabel \"x (%s)\"\nset ylabel \"y (%s)\"\nset size ratio -1\nset view map\n"
                "set pm3d map interpolate 2,2\n"
                /* blue below the solid threshold, red above, grey at it */
                "set cbrange [%g:%g]\nset palette defined (%g \"#3b4cc0\", %g \"#dddddd\", %g \"#b40426\")\n"
                "set cblabel \"log10 η (%s); blue: liquid-like, below 1e%.0f\"\nunset key\nset autoscale xfix\nset autoscale yfix\n"
                "set contour base\nset cntrparam levels discrete %g\nset cntrlabel onecolor\nunset surface\n"
                "set table \"viscosity_contour.dat\"\nsplot \"viscosity_map.dat\" index 0 using 1:2:3\nunset table\n"
                "unset contour\nset surface\n"
                "splot \"viscosity_map.dat\" index 0 using 1:2:3 with pm3d, "
                "\"viscosity_contour.dat\" using 1:2:(0) with lines lw 3 lc rgb \"black\" nocontour, "
                "\"viscosity_map.dat\" index 1 using 1:2:(0) with points pt 7 ps 1.6 lc rgb \"black\" nocontour, "
                "\"viscosity_map.dat\" index 1 using 1:2:(0) with points pt 7 ps 1.0 lc rgb \"white\" nocontour\n",
            V, slab, L, c->temperature, c->un->temperature, cut, L, L, lo, hi, lo, solid, hi, V, solid, solid);
    st = rp_figure_end(c, gp, "fig_viscosity", "viscosity map");
done:
    if (f) fclose(f);
    free(le);
    free(grid);
    free(tmp);
    return st;
}
