/* amorph analyze, stage 3: spatial autocorrelation of every column, its
 * correlation length, the directional vMSD variant (paper Fig. 7), and the
 * screening rule: predictive power against correlation length. */
#include "analyze.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The correlation length the data support (am_corrlength_estimate: from
 * the end of the first shell while C(r) stays above the noise of shuffled
 * values, a 95 % block-bootstrap interval), or none. --fit-max, when given,
 * caps the range. The ± reported is half the interval. */
static int fit_one(const an_ctx *c, const am_autocorr *ac, double rshell, am_expfit *out, am_corrlength *cl)
{
    *out = (am_expfit){.c0 = NAN, .xi = NAN, .xi_err = NAN, .rc = NAN, .rmin = NAN, .rmax = NAN};
    if (am_corrlength_estimate(ac, rshell, c->fit_max, 200, 1, cl) != AM_OK || !cl->supported) return 0;
    out->xi = cl->xi;
    out->xi_err = 0.5 * (cl->xi_hi - cl->xi_lo);
    out->c0 = cl->c0;
    out->rc = 3.0 * cl->xi;
    out->rmin = cl->rmin;
    out->rmax = cl->rmax;
    out->nbins = cl->nbins;
    /* an interval wider than ξ itself resolves nothing */
    return isfinite(out->xi_err) && out->xi_err < out->xi;
}

static void fit_cell(FILE *md, const am_expfit *f, int ok)
{
    if (ok) fprintf(md, "| %.2f ± %.2f | %.2f | %.1f–%.1f |", f->xi, f->xi_err, f->rc, f->rmin, f->rmax);
    else fputs("| none above noise, or unresolved | – | – |", md);
}

static void json_fit(FILE *js, const char *name, const char *kind, const am_expfit *f, int ok)
{
    /* ok: a length the data support; xi_err is half its 95 % interval */
    fputs("\n    {\"column\": ", js);
    an_json_str(js, name);
    cli_json_printf(js, ", \"kind\": \"%s\"", kind);
    an_json_kv(js, "xi", ok ? f->xi : NAN);
    an_json_kv(js, "xi_err", ok ? f->xi_err : NAN);
    an_json_kv(js, "rc", ok ? f->rc : NAN);
    an_json_kv(js, "c0", ok ? f->c0 : NAN);
    an_json_kv(js, "fit_min", ok ? f->rmin : NAN);
    an_json_kv(js, "fit_max", ok ? f->rmax : NAN);
    fputs("}", js);
}

/* Fig. 7: total and directional vMSD autocorrelation at each temperature. */
static int vmsd_figure(an_ctx *c, double rshell, int *nfits)
{
    const size_t n = c->s->n;
    int ncol = 0;
    for (int k = 0; k < c->t->ncols; k++) ncol += strncmp(c->t->col[k].name, "vmsd_", 5) == 0 && c->t->col[k].ncomp == 4;
    if (!ncol) return 0;
    double *dir = malloc((n ? n : 1) * 3 * sizeof(double)), *tot = malloc((n ? n : 1) * sizeof(double));
    FILE *f = an_open(c, "vmsd_autocorr.dat");
    if (!dir || !tot || !f) { free(dir); free(tot); if (f) fclose(f); return 1; }
    fputs("\n### Total and directional vMSD (paper Fig. 7)\n\nC of Δr² and the mean of the C of Δx², Δy², Δz² "
          "(each normalised by its own variance).\n\n| column | kind | ξ (Å) | r_c = 3ξ (Å) | fit range (Å) |\n"
          "|---|---|---|---|---|\n", c->md);
    char names[32][64];
    double xi[32][2];
    int blk = 0;
    for (int k = 0; k < c->t->ncols && blk < 32; k++) {
        const am_table_column *col = &c->t->col[k];
        if (strncmp(col->name, "vmsd_", 5) != 0 || col->ncomp != 4) continue;
        for (size_t i = 0; i < n; i++) {
            tot[i] = col->v[4 * i];
            for (int d = 0; d < 3; d++) dir[3 * i + (size_t)d] = col->v[4 * i + 1 + (size_t)d];
        }
        am_autocorr *a = NULL, *b = NULL;
        am_expfit fa, fb;
        if (am_autocorr_compute_ex(c->s, tot, 1, NULL, c->rmax, c->dr, NULL, &a) ||
            am_autocorr_compute_ex(c->s, dir, 3, NULL, c->rmax, c->dr, NULL, &b)) {
            fprintf(stderr, "amorph analyze: %s\n", am_error_message());
            am_autocorr_free(a);
            continue;
        }
        am_corrlength cla, clb;
        const int oka = fit_one(c, a, rshell, &fa, &cla), okb = fit_one(c, b, rshell, &fb, &clb);
        fprintf(f, "%s# %s: r (Å), C total, C directional\n", blk ? "\n\n" : "", col->name);
        for (size_t q = 0; q < a->nbins; q++) fprintf(f, "%.6g %.8g %.8g\n", a->r[q], a->c[q], b->c[q]);
        fprintf(c->md, "| `%s` | total ", col->name);
        fit_cell(c->md, &fa, oka);
        fprintf(c->md, "\n| `%s` | directional ", col->name);
        fit_cell(c->md, &fb, okb);
        fputc('\n', c->md);
        char dn[80];
        snprintf(dn, sizeof dn, "%s_directional", col->name);
        fputs(*nfits ? "," : "", c->json);
        json_fit(c->json, dn, "directional", &fb, okb);
        (*nfits)++;
        snprintf(names[blk], 64, "%s", col->name + 5);
        xi[blk][0] = oka ? fa.xi : NAN;
        xi[blk][1] = okb ? fb.xi : NAN;
        blk++;
        am_autocorr_free(a);
        am_autocorr_free(b);
    }
    free(dir);
    free(tot);
    if (an_close(c, f, "vmsd_autocorr.dat")) return 1;
    FILE *gp = an_figure(c, "fig_vmsd_autocorr", 720, 520);
    if (!gp) return 1;
    fprintf(gp, "set title \"Spatial autocorrelation of vMSD: total (squares) and directional (circles) (paper Fig. 7)\""
                " noenhanced\nset xlabel \"r (Å)\"\nset ylabel \"C(r)\"\nset key top right\nset xrange [0:%g]\n"
                "set yrange [-0.5:*]\nset xzeroaxis\n"
                "set arrow from %g, graph 0 to %g, graph 1 nohead dt 2 lc rgb \"gray\"\n"
                "set label \"first shell\" at %g, graph 0.04 left offset 0.5,0 font \",9\" tc rgb \"gray40\"\nplot ",
            c->rmax, rshell, rshell, rshell);
    for (int q = 0; q < blk; q++)
        fprintf(gp, "%s\"vmsd_autocorr.dat\" index %d using 1:2 with linespoints pt 5 ps 0.6 lc %d title \"Δr², %s, ξ = %.2f Å\" "
                    "noenhanced, \"\" index %d using 1:3 with linespoints pt 6 ps 0.6 lc %d title \"Δx²,Δy²,Δz², %s, ξ = %.2f Å\" noenhanced",
                q ? ", " : "", q, q + 1, names[q], xi[q][0], q, q + 1, names[q], xi[q][1]);
    fputs("\n", gp);
    if (an_figure_end(c, gp, "fig_vmsd_autocorr", "vMSD autocorrelation")) return 1;
    return 0;
}

/* The screening figure: |coarse-grained r| of each species against r_c. */
static int screening(an_ctx *c)
{
    FILE *f = an_open(c, "screening.dat");
    if (!f) return 1;
    int blk = 0, total = 0;
    fputs("\n### Screening: predictive power against correlation length\n\nThe paper's rule: descriptors that "
          "correlate over longer distances predict the property better. |coarse-grained r| per species (|r| when "
          "too few atoms for groups) against r_c.\n\n| descriptor | r_c (Å) |", c->md);
    for (int k = 0; k < c->nsel; k++)
        if (an_species_sel(c, k)) fprintf(c->md, " %s |", c->selname[k]);
    fputs("\n|---|---|", c->md);
    for (int k = 0; k < c->nsel; k++)
        if (an_species_sel(c, k)) fputs("---|", c->md);
    fputc('\n', c->md);
    for (int j = 0; j < c->nd; j++) {
        if (!c->fit_ok[j]) continue;
        fprintf(c->md, "| `%s` | %.2f |", c->d[j].name, c->fit[j].rc);
        for (int k = 0; k < c->nsel; k++) {
            if (!an_species_sel(c, k)) continue;
            const am_corr *r = &c->corr[k * c->nd + j];
            fprintf(c->md, " %.3f |", fabs(isfinite(r->r_cg) ? r->r_cg : r->pearson));
        }
        fputc('\n', c->md);
    }
    for (int k = 0; k < c->nsel; k++) {
        if (!an_species_sel(c, k)) continue;
        fprintf(f, "%s# %s: r_c (Å), |r|, descriptor\n", blk++ ? "\n\n" : "", c->selname[k]);
        int any = 0, feat[8], nf = an_featured(c, feat, 8, 0);
        for (int j = 0; j < c->nd; j++) {
            const am_corr *r = &c->corr[k * c->nd + j];
            const double pw = fabs(isfinite(r->r_cg) ? r->r_cg : r->pearson);
            if (!c->fit_ok[j] || !isfinite(pw)) continue;
            /* names only on the featured descriptors, or the labels pile up */
            int named = 0;
            for (int q = 0; q < nf; q++) named |= feat[q] == j;
            fprintf(f, "%.6g %.6g \"%s\"\n", c->fit[j].rc, pw, named ? c->d[j].name : "");
            any = 1;
        }
        if (!any) fputs("NaN NaN \"\"\n", f);
        total += any;
    }
    if (an_close(c, f, "screening.dat")) return 1;
    if (!total) {
        fputs("\nNo descriptor has a resolved correlation length: no screening figure.\n", c->md);
        return 0;
    }
    FILE *gp = an_figure(c, "fig_screening", 760, 560);
    if (!gp) return 1;
    fprintf(gp, "set title \"Predictive power against correlation length\"\nset xlabel \"r_c = 3ξ (Å)\" noenhanced\n"
                "set ylabel \"|coarse-grained r| with %s\" noenhanced\nset xrange [0:*]\nset yrange [0:1.05]\n"
                "set offsets 0, graph 0.15, 0, 0\nset key outside top center horizontal\nplot ",
            c->prop);
    blk = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!an_species_sel(c, k)) continue;
        fprintf(gp, "%s\"screening.dat\" index %d using 1:2 with points pt %d ps 1.2 title \"%s\" noenhanced, "
                    "\"\" index %d using 1:2:3 with labels offset 0.6,0.4 left font \",8\" noenhanced notitle",
                blk ? ", " : "", blk, 7 + blk % 4, c->selname[k], blk);
        blk++;
    }
    fputs("\n", gp);
    if (an_figure_end(c, gp, "fig_screening", "screening")) return 1;
    return 0;
}

int an_spatial(an_ctx *c)
{
    double rshell = 0;
    if (am_first_shell(c->s, NULL, fmin(8.0, c->rmax), 0.05, &rshell)) {
        fprintf(stderr, "amorph analyze: %s\n", am_error_message());
        return 1;
    }
    c->fit = calloc((size_t)c->nd + 1, sizeof *c->fit);
    c->fit_ok = calloc((size_t)c->nd + 1, sizeof *c->fit_ok);
    if (!c->fit || !c->fit_ok) return 1;
    FILE *f = an_open(c, "autocorr.dat");
    if (!f) return 1;
    am_autocorr **ac = calloc((size_t)c->nd + 1, sizeof *ac);
    if (!ac) { fclose(f); return 1; }
    int rc = 0;
    for (int j = 0; j <= c->nd && !rc; j++) {
        /* the property is known only on the sampled atoms */
        am_status st = j < c->nd ? am_autocorr_compute_ex(c->s, c->d[j].v, 1, NULL, c->rmax, c->dr, NULL, &ac[j])
                                 : am_autocorr_compute_ex(c->s, c->p, 1, c->valid, c->rmax, c->dr, NULL, &ac[j]);
        if (st) {
            fprintf(stderr, "amorph analyze: warning: autocorrelation of %s: %s\n", j < c->nd ? c->d[j].name : c->prop,
                    am_error_message());
            continue;
        }
        am_corrlength cl;
        c->fit_ok[j] = fit_one(c, ac[j], rshell, &c->fit[j], &cl);
    }
    fprintf(f, "# r (Å), then C(r) of:");
    for (int j = 0; j <= c->nd; j++) fprintf(f, " %s", j < c->nd ? c->d[j].name : c->prop);
    fputc('\n', f);
    const size_t nb = ac[c->nd] ? ac[c->nd]->nbins : ac[0] ? ac[0]->nbins : 0;
    for (size_t b = 0; b < nb; b++) {
        fprintf(f, "%.6g", (b + 0.5) * c->dr);
        for (int j = 0; j <= c->nd; j++) fprintf(f, " %.8g", ac[j] ? ac[j]->c[b] : NAN);
        fputc('\n', f);
    }
    for (int j = 0; j <= c->nd; j++) am_autocorr_free(ac[j]);
    free(ac);
    if (an_close(c, f, "autocorr.dat")) return 1;

    fprintf(c->md, "\n## Spatial autocorrelation and correlation length\n\nC(r) = ⟨ΔA_i ΔA_j⟩ / ⟨ΔA²⟩ over pairs at "
                   "distance r (paper Eq. 4, every periodic image). The correlation length ξ is fitted only where "
                   "C(r) stands above noise: from the end of the first shell (%.2f Å, first minimum of g(r)) outwards "
                   "while C(r), averaged over 1 Å, exceeds twice its standard deviation over 20 fields with the same "
                   "values shuffled among the atoms%s; model (C0 e^{−r/ξ} − b)/(1 − b) with the finite-cell term "
                   "b = 8π C0 ξ³/V; r_c = 3ξ; ± is half the 95 %% block-bootstrap interval (27 blocks). \"none above "
                   "noise\": beyond the first shell C(r) cannot be told from uncorrelated values; \"unresolved\": "
                   "the interval is wider than ξ; either way no length is given (docs/analysis.md, \"Correlation "
                   "length\").\n\n| column | ξ (Å) | r_c (Å) | fit range (Å) |\n"
                   "|---|---|---|---|\n",
            rshell, c->fit_max > 0 ? ", up to --fit-max" : "");
    fputs(",\n  \"first_shell\": ", c->json);
    cli_json_num(c->json, rshell);
    fputs(",\n  \"correlation_lengths\": [", c->json);
    for (int j = 0; j <= c->nd; j++) {
        const char *nm = j < c->nd ? c->d[j].name : c->prop;
        fprintf(c->md, "| `%s` ", nm);
        fit_cell(c->md, &c->fit[j], c->fit_ok[j]);
        fputc('\n', c->md);
        fputs(j ? "," : "", c->json);
        json_fit(c->json, nm, j < c->nd ? "descriptor" : "property", &c->fit[j], c->fit_ok[j]);
    }
    int nfits = c->nd + 1;
    /* Figure: C(r) of the featured columns and the property */
    int idx[8], np = an_featured(c, idx, 8, 0);
    FILE *gp = an_figure(c, "fig_autocorr", 760, 540);
    if (!gp) return 1;
    fprintf(gp, "set title \"Spatial autocorrelation (paper Eq. 4)\"\nset xlabel \"r (Å)\"\nset ylabel \"C(r)\"\n"
                "set key top right\nset xrange [0:%g]\nset yrange [-0.5:*]\nset xzeroaxis\n"
                "set arrow from %g, graph 0 to %g, graph 1 nohead dt 2 lc rgb \"gray\"\n"
                "set label \"first shell\" at %g, graph 0.04 left offset 0.5,0 font \",9\" tc rgb \"gray40\"\n"
                "plot \"autocorr.dat\" using 1:%d with linespoints pt 7 ps 0.5 lw 2 lc rgb \"black\" title \"%s\" noenhanced",
            c->rmax, rshell, rshell, rshell, c->nd + 2, c->prop);
    for (int q = 0; q < np; q++)
        fprintf(gp, ", \"\" using 1:%d with linespoints pt %d ps 0.5 title \"%s\" noenhanced", idx[q] + 2, 4 + q,
                c->d[idx[q]].name);
    fputs("\n", gp);
    if (an_figure_end(c, gp, "fig_autocorr", "autocorrelation")) return 1;
    rc = vmsd_figure(c, rshell, &nfits);
    fputs("\n  ]", c->json);
    if (!rc) rc = screening(c);
    return rc;
}
