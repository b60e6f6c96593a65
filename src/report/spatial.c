/* Report stage 3: spatial autocorrelation of every column, its correlation
 * length, the directional vMSD variant (paper Fig. 7), and the screening
 * rule: predictive power against correlation length. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* C(r) of a quantity known on every atom, from the pairs the columns share
 * (built once in rp_spatial; without them, from scratch, which reports the
 * same error if building them failed), or, with has, on the atoms it marks. */
static am_status autocorr_all(const rp_ctx *c, const double *v, int ncomp, const unsigned char *has,
                              am_autocorr **out)
{
    /* a column with atoms left out (no value, or hopped) pairs only the others */
    return c->pairs && !has ? am_autocorr_compute_pairs(c->pairs, v, ncomp, out)
                            : am_autocorr_compute_ex(c->s, v, ncomp, has, c->rmax, c->dr, &c->aco, out);
}

/* The correlation length the data support (am_corrlength_estimate: from
 * the end of the first shell while C(r) stays above the noise of shuffled
 * values, a 95 % block-bootstrap interval), or none. The fit_max option,
 * when given, caps the range. An interval wider than ξ itself resolves
 * nothing and counts as none. */
static int fit_one(const rp_ctx *c, const am_autocorr *ac, am_corrlength *out)
{
    if (am_corrlength_estimate(ac, c->rshell, c->fit_max, 200, 1, out) != AM_OK) out->supported = 0;
    return out->supported && isfinite(out->xi_hi - out->xi_lo) && 0.5 * (out->xi_hi - out->xi_lo) < out->xi;
}

/* Half the 95 % interval of ξ: the ± of the tables. */
static double half(const am_corrlength *f) { return 0.5 * (f->xi_hi - f->xi_lo); }

static void fit_cell(FILE *md, const am_corrlength *f, int ok)
{
    if (ok) fprintf(md, "| %.2f ± %.2f | %.2f | %.1f–%.1f |", f->xi, half(f), 3 * f->xi, f->rmin, f->rmax);
    else fputs("| none beyond the first shell | – | – |", md);
}

static void json_fit(FILE *js, const char *name, const char *kind, const am_corrlength *f, int ok)
{
    /* ok: a length the data support; xi_err is half its 95 % interval */
    fputs("\n    {\"column\": ", js);
    am_json_str(js, name);
    fprintf(js, ", \"kind\": \"%s\"", kind);
    am_json_kv(js, "xi", ok ? f->xi : NAN);
    am_json_kv(js, "xi_err", ok ? half(f) : NAN);
    am_json_kv(js, "xi_lo", ok ? f->xi_lo : NAN);
    am_json_kv(js, "xi_hi", ok ? f->xi_hi : NAN);
    am_json_kv(js, "rc", ok ? 3 * f->xi : NAN);
    am_json_kv(js, "c0", ok ? f->c0 : NAN);
    am_json_kv(js, "fit_min", ok ? f->rmin : NAN);
    am_json_kv(js, "fit_max", ok ? f->rmax : NAN);
    fputs("}", js);
}

/* The fitted model of am_corrlength_estimate as a gnuplot function defined
 * on its fit range only: (C0 e^{−r/ξ} − b)/(1 − b). */
static void fit_function(FILE *gp, const char *fname, const am_corrlength *f, int ok)
{
    if (!ok) {
        fprintf(gp, "%s(x) = 1/0\n", fname);
        return;
    }
    const double b = f->offset;
    fprintf(gp, "%s(x) = (x >= %.6g && x <= %.6g) ? (%.8g * exp(-x / %.8g) - %.8g) / (1 - %.8g) : 1/0\n", fname,
            f->rmin, f->rmax, f->c0, f->xi, b, b);
}

/* One panel of C(r): the ±2σ band of shuffled fields, the points, the fit.
 * sel picks the data block ("index 2", or ""). */
static void panel(FILE *gp, const char *title, const char *data, const char *sel, int ccol, int ncol, const char *fname,
                  const char *color)
{
    fprintf(gp, "set title \"%s\" noenhanced\n"
                "plot \"%s\" %s using 1:(-2*$%d):(2*$%d) with filledcurves fs transparent solid 0.25 noborder "
                "lc rgb \"gray50\", \"\" %s using 1:%d with points pt 7 ps 0.9 lc rgb \"%s\", "
                "%s(x) with lines lw 2.5 lc rgb \"black\"\n",
            title, data, sel, ncol, ncol, sel, ccol, color, fname);
}

static void axes(FILE *gp, const rp_ctx *c)
{
    fprintf(gp, "set xlabel \"r (%s)\"\nset ylabel \"C(r)\"\nset xrange [0:%g]\nset yrange [-0.4:1.05<*]\n"
                "set xzeroaxis\nset samples 400\n"
                "set arrow 1 from %g, graph 0 to %g, graph 1 nohead dt 2 lc rgb \"gray40\"\n",
            c->un->length, c->rmax, c->rshell, c->rshell);
}

static void panel_title(const rp_ctx *c, const char *name, const am_corrlength *f, int ok, char *out, size_t len)
{
    char lab[200];
    rp_label(c->un, name, lab, sizeof lab);
    if (ok) snprintf(out, len, "%s\\nξ = %.2f ± %.2f %s", lab, f->xi, half(f), c->un->length);
    else snprintf(out, len, "%s\\nno length beyond the first shell", lab);
}

/* Fig. 7: total and directional vMSD autocorrelation at each temperature. */
static am_status vmsd_figure(rp_ctx *c, int *nfits)
{
    const size_t n = c->s->n;
    int ncol = 0;
    for (int k = 0; k < c->t->ncols; k++) ncol += strncmp(c->t->col[k].name, "vmsd_", 5) == 0 && c->t->col[k].ncomp == 4;
    if (!ncol) return AM_OK;
    ncol = ncol < 8 ? ncol : 8;
    double *dir = malloc((n ? n : 1) * 3 * sizeof(double)), *tot = malloc((n ? n : 1) * sizeof(double));
    unsigned char *stay = malloc(n ? n : 1);
    am_corrlength *fits = calloc(2 * (size_t)ncol, sizeof *fits);
    int *oks = calloc(2 * (size_t)ncol, sizeof *oks), *cols = calloc((size_t)ncol, sizeof *cols);
    FILE *f = rp_open(c, "vmsd_autocorr.dat");
    if (!dir || !tot || !stay || !f || !fits || !oks || !cols) {
        free(dir); free(tot); free(stay); free(fits); free(oks); free(cols);
        if (f) fclose(f);
        return f ? am_fail(AM_ERR_NOMEM, "out of memory") : AM_ERR_IO;
    }
    const char *L = c->un->length;
    fprintf(c->md, "\n### Total and directional vMSD (paper Fig. 7)\n\nC of Δr² and the mean of the C of Δx², Δy², Δz² "
            "(each normalised by its own variance).\n\n| column | kind | ξ (%s) | r_c = 3ξ (%s) | fit range (%s) |\n"
            "|---|---|---|---|---|\n", L, L, L);
    int blk = 0;
    for (int k = 0; k < c->t->ncols && blk < ncol; k++) {
        const am_table_column *col = &c->t->col[k];
        if (strncmp(col->name, "vmsd_", 5) != 0 || col->ncomp != 4) continue;
        for (size_t i = 0; i < n; i++) {
            tot[i] = col->v[4 * i];
            for (int d = 0; d < 3; d++) dir[3 * i + (size_t)d] = col->v[4 * i + 1 + (size_t)d];
        }
        const int hop = rp_hopped_mask(c, col->name, stay, NULL);
        am_autocorr *a = NULL, *b = NULL;
        if (hop < 0 || autocorr_all(c, tot, 1, hop ? stay : NULL, &a) || autocorr_all(c, dir, 3, hop ? stay : NULL, &b)) {
            rp_warn(c, "autocorrelation of %s: %s", col->name, am_error_message());
            am_autocorr_free(a);
            continue;
        }
        am_corrlength *fa = &fits[2 * blk], *fb = &fits[2 * blk + 1];
        oks[2 * blk] = fit_one(c, a, fa);
        oks[2 * blk + 1] = fit_one(c, b, fb);
        fprintf(f, "%s# %s: r (%s), C total, its noise σ, C directional, its noise σ\n", blk ? "\n\n" : "", col->name, L);
        for (size_t q = 0; q < a->nbins; q++)
            fprintf(f, "%.6g %.8g %.8g %.8g %.8g\n", a->r[q], a->c[q], a->noise[q], b->c[q], b->noise[q]);
        fprintf(c->md, "| `%s` | total ", col->name);
        fit_cell(c->md, fa, oks[2 * blk]);
        fprintf(c->md, "\n| `%s` | directional ", col->name);
        fit_cell(c->md, fb, oks[2 * blk + 1]);
        fputc('\n', c->md);
        char dn[80];
        snprintf(dn, sizeof dn, "%s_directional", col->name);
        fputs(*nfits ? "," : "", c->json);
        json_fit(c->json, dn, "directional", fb, oks[2 * blk + 1]);
        (*nfits)++;
        cols[blk++] = k;
        am_autocorr_free(a);
        am_autocorr_free(b);
    }
    free(dir);
    free(tot);
    free(stay);
    am_status st = rp_close(c, f, "vmsd_autocorr.dat") ? AM_ERR_IO : AM_OK;
    FILE *gp = st || !blk ? NULL : rp_figure(c, "fig_vmsd_autocorr", 1000, 380 * blk + 60);
    if (!st && blk && !gp) st = AM_ERR_IO;
    if (gp) {
        fprintf(gp, "set multiplot layout %d,2 title \"Spatial autocorrelation of vMSD: total and directional "
                    "(paper Fig. 7)\\npoints C(r), line the fitted length, band ±2σ of shuffled values; dashed: end of "
                    "the first shell\"\nunset key\n", blk);
        axes(gp, c);
        for (int q = 0; q < blk; q++) {
            const char *nm = c->t->col[cols[q]].name;
            char title[300], fa[16], fb[16];
            snprintf(fa, sizeof fa, "ft%d", q);
            snprintf(fb, sizeof fb, "fd%d", q);
            fit_function(gp, fa, &fits[2 * q], oks[2 * q]);
            fit_function(gp, fb, &fits[2 * q + 1], oks[2 * q + 1]);
            char what[200];
            rp_name(c->un, nm, what, sizeof what);
            if (oks[2 * q])
                snprintf(title, sizeof title, "Δr², %s\\nξ = %.2f ± %.2f %s", what, fits[2 * q].xi, half(&fits[2 * q]), L);
            else snprintf(title, sizeof title, "Δr², %s\\nno length beyond the first shell", what);
            char idx[32];
            snprintf(idx, sizeof idx, "index %d", q);
            panel(gp, title, "vmsd_autocorr.dat", idx, 2, 3, fa, rp_color(0));
            if (oks[2 * q + 1])
                snprintf(title, sizeof title, "Δx², Δy², Δz², %s\\nξ = %.2f ± %.2f %s", what, fits[2 * q + 1].xi,
                         half(&fits[2 * q + 1]), L);
            else snprintf(title, sizeof title, "Δx², Δy², Δz², %s\\nno length beyond the first shell", what);
            panel(gp, title, "vmsd_autocorr.dat", idx, 4, 5, fb, rp_color(1));
        }
        fputs("unset multiplot\n", gp);
        st = rp_figure_end(c, gp, "fig_vmsd_autocorr", "vMSD autocorrelation");
    }
    free(fits);
    free(oks);
    free(cols);
    return st;
}

/* |r| and its interval from a signed r and its interval. */
static void abs_interval(double r, double lo, double hi, double *a, double *alo, double *ahi)
{
    *a = fabs(r);
    if (r >= 0) *alo = lo, *ahi = hi;
    else *alo = -hi, *ahi = -lo;
    if (*alo < 0) *alo = 0;
}

/* The screening's predictive power: |coarse-grained r| with its interval,
 * or |r| where there are too few atoms for groups. */
static void power(const am_corr *r, double *a, double *lo, double *hi)
{
    if (isfinite(r->r_cg)) abs_interval(r->r_cg, r->r_cg_lo, r->r_cg_hi, a, lo, hi);
    else abs_interval(r->pearson, r->pearson_lo, r->pearson_hi, a, lo, hi);
}

/* The screening figure: |coarse-grained r| of each species against r_c,
 * with both intervals; names on the featured descriptors, moved down where
 * they would overprint one another. */
static am_status screening(rp_ctx *c)
{
    FILE *f = rp_open(c, "screening.dat");
    if (!f) return AM_ERR_IO;
    int blk = 0, total = 0;
    fprintf(c->md, "\n### Screening: predictive power against correlation length\n\nThe paper's rule: descriptors that "
            "correlate over longer distances predict the property better. |coarse-grained r| per species (|r| when "
            "too few atoms for groups) against r_c, each with its 95 %% interval.\n\n| descriptor | r_c (%s) |",
            c->un->length);
    for (int k = 0; k < c->nsel; k++)
        if (rp_species_sel(c, k)) fprintf(c->md, " %s |", c->selname[k]);
    fputs("\n|---|---|", c->md);
    for (int k = 0; k < c->nsel; k++)
        if (rp_species_sel(c, k)) fputs("---|", c->md);
    fputc('\n', c->md);
    double xmax = 0;
    for (int j = 0; j < c->nd; j++) {
        if (!c->fit_ok[j]) continue;
        fprintf(c->md, "| `%s` | %.2f ± %.2f |", c->d[j].name, 3 * c->fit[j].xi, 3 * half(&c->fit[j]));
        xmax = fmax(xmax, 3 * c->fit[j].xi_hi);
        for (int k = 0; k < c->nsel; k++) {
            if (!rp_species_sel(c, k)) continue;
            const am_corr *r = &c->corr[k * c->nd + j];
            double a, lo, hi;
            power(r, &a, &lo, &hi);
            fprintf(c->md, " %.3f [%.3f, %.3f] |", a, lo, hi);
        }
        fputc('\n', c->md);
    }
    double placed[64][2];
    int nplaced = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!rp_species_sel(c, k)) continue;
        fprintf(f, "%s# %s: r_c (%s), |r|, r_c low, r_c high, |r| low, |r| high, label y, descriptor\n",
                blk++ ? "\n\n" : "", c->selname[k], c->un->length);
        int any = 0, feat[8], nf = rp_featured(c, feat, 8, 0);
        for (int j = 0; j < c->nd; j++) {
            const am_corr *r = &c->corr[k * c->nd + j];
            double a, lo, hi;
            power(r, &a, &lo, &hi);
            if (!c->fit_ok[j] || !isfinite(a)) continue;
            int named = 0;
            for (int q = 0; q < nf; q++) named |= feat[q] == j;
            const double x = 3 * c->fit[j].xi;
            double ly = a;
            if (named) {
                /* a label's box is about a tenth of the axis wide and 4 % high */
                for (int again = 1; again;) {
                    again = 0;
                    for (int q = 0; q < nplaced; q++)
                        if (fabs(placed[q][0] - x) < 0.12 * fmax(xmax, 1) && fabs(placed[q][1] - ly) < 0.045)
                            ly -= 0.05, again = 1;
                }
                if (nplaced < 64) placed[nplaced][0] = x, placed[nplaced][1] = ly, nplaced++;
            }
            fprintf(f, "%.6g %.6g %.6g %.6g %.6g %.6g %.6g \"%s\"\n", x, a, 3 * c->fit[j].xi_lo, 3 * c->fit[j].xi_hi, lo, hi, ly,
                    named ? c->d[j].name : "");
            any = 1;
        }
        if (!any) fputs("NaN NaN NaN NaN NaN NaN NaN \"\"\n", f);
        total += any;
    }
    if (rp_close(c, f, "screening.dat")) return AM_ERR_IO;
    if (!total) {
        fputs("\nNo descriptor has a resolved correlation length: no screening figure.\n", c->md);
        return AM_OK;
    }
    FILE *gp = rp_figure(c, "fig_screening", 900, 640);
    if (!gp) return AM_ERR_IO;
    char prop[200];
    rp_name(c->un, c->prop, prop, sizeof prop);
    fprintf(gp, "set title \"Predictive power against correlation length (95 %% intervals)\"\n"
                "set xlabel \"r_c = 3ξ (%s)\" noenhanced\nset ylabel \"|coarse-grained r| with %s\" noenhanced\n"
                "set xrange [0:%g]\nset yrange [0:1.05]\nset key outside right top\nplot ",
            c->un->length, prop, 1.25 * xmax + c->un->scale);
    blk = 0;
    for (int k = 0; k < c->nsel; k++) {
        if (!rp_species_sel(c, k)) continue;
        fprintf(gp, "%s\"screening.dat\" index %d using 1:2:3:4:5:6 with xyerrorbars pt %d ps 2.2 lc rgb \"%s\" "
                    "title \"%s\" noenhanced, \"\" index %d using 1:7:8 with labels left offset 1.2,0.6 font \",11\" "
                    "tc rgb \"%s\" noenhanced notitle",
                blk ? ", " : "", blk, 7 + blk % 4, rp_color(blk), c->selname[k], blk, rp_color(blk));
        blk++;
    }
    fputs("\n", gp);
    return rp_figure_end(c, gp, "fig_screening", "screening");
}

am_status rp_spatial(rp_ctx *c)
{
    if (am_first_shell(c->s, NULL, fmin(8.0 * c->un->scale, c->rmax), 0.05 * c->un->scale, &c->rshell)) return AM_ERR_VALUE;
    c->fit = calloc((size_t)c->nd + 1, sizeof *c->fit);
    c->fit_ok = calloc((size_t)c->nd + 1, sizeof *c->fit_ok);
    am_autocorr **ac = calloc((size_t)c->nd + 1, sizeof *ac);
    if (!c->fit || !c->fit_ok || !ac) { free(ac); return am_fail(AM_ERR_NOMEM, "out of memory"); }
    /* every column on all atoms shares one neighbour list and its bins (at
     * 19 652 atoms, rebuilding them per column was half the report's CPU
     * time); on failure c->pairs stays NULL and autocorr_all reports why */
    (void)am_autocorr_pairs_create(c->s, NULL, c->rmax, c->dr, &c->aco, &c->pairs);
    for (int j = 0; j <= c->nd; j++) {
        /* the property is known only on the sampled atoms */
        am_status st = j < c->nd ? autocorr_all(c, c->d[j].v, 1, c->d[j].has, &ac[j])
                                 : am_autocorr_compute_ex(c->s, c->p, 1, c->valid, c->rmax, c->dr, &c->aco, &ac[j]);
        if (st) {
            rp_warn(c, "autocorrelation of %s: %s", j < c->nd ? c->d[j].name : c->prop, am_error_message());
            continue;
        }
        c->fit_ok[j] = fit_one(c, ac[j], &c->fit[j]);
    }
    /* C(r) and its noise level (σ over shuffled fields) of every column */
    FILE *f = rp_open(c, "autocorr.dat");
    am_status st = f ? AM_OK : AM_ERR_IO;
    if (f) {
        fprintf(f, "# r (%s), then C(r) and its noise σ of:", c->un->length);
        for (int j = 0; j <= c->nd; j++) fprintf(f, " %s", j < c->nd ? c->d[j].name : c->prop);
        fputc('\n', f);
        const size_t nb = ac[c->nd] ? ac[c->nd]->nbins : ac[0] ? ac[0]->nbins : 0;
        for (size_t b = 0; b < nb; b++) {
            fprintf(f, "%.6g", (b + 0.5) * c->dr);
            for (int j = 0; j <= c->nd; j++)
                fprintf(f, " %.8g %.8g", ac[j] ? ac[j]->c[b] : NAN, ac[j] ? ac[j]->noise[b] : NAN);
            fputc('\n', f);
        }
        if (rp_close(c, f, "autocorr.dat")) st = AM_ERR_IO;
    }
    for (int j = 0; j <= c->nd; j++) am_autocorr_free(ac[j]);
    free(ac);
    if (st) return st;

    fprintf(c->md, "\n## Spatial autocorrelation and correlation length\n\nC(r) = ⟨ΔA_i ΔA_j⟩ / ⟨ΔA²⟩ over pairs at "
                   "distance r (paper Eq. 4, every periodic image; C(0) = 1 by construction). The correlation length ξ "
                   "is fitted only where C(r) stands above noise: from the end of the first shell (%.2f %s, first "
                   "minimum of g(r)) outwards while C(r), averaged over %g %s, exceeds twice its standard deviation over "
                   "20 fields with the same values shuffled among the atoms%s; model (C0 e^{−r/ξ} − b)/(1 − b) with "
                   "the finite-cell term b = 8π C0 ξ³/V; r_c = 3ξ; ± is half the 95 %% block-bootstrap interval (27 "
                   "blocks). \"None beyond the first shell\": C(r) cannot be told from uncorrelated values there, or its "
                   "fall ends within the first shell (fitted C0 > 5, while C(0) = 1), or the interval is wider than ξ; "
                   "no length is given then (docs/analysis.md, \"Correlation length\").\n\n| column | ξ (%s) | r_c (%s) | fit range (%s) |\n|---|---|---|---|\n",
            c->rshell, c->un->length, c->un->scale, c->un->length, c->fit_max > 0 ? ", up to the fit_max cap" : "",
            c->un->length, c->un->length, c->un->length);
    fputs(",\n  \"first_shell\": ", c->json);
    am_json_num(c->json, c->rshell);
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
    /* Figure: C(r) of the property and the featured columns, a panel each */
    int idx[9], np = rp_featured(c, idx + 1, 8, 0) + 1;
    idx[0] = c->nd;
    const int cols = np < 3 ? np : 3, rows = (np + cols - 1) / cols;
    FILE *gp = rp_figure(c, "fig_autocorr", 460 * cols, 360 * rows + 90);
    if (!gp) return AM_ERR_IO;
    fprintf(gp, "set multiplot layout %d,%d title \"Spatial autocorrelation (paper Eq. 4)\\npoints C(r), line the "
                "fitted length, band ±2σ of shuffled values; dashed: end of the first shell\"\n"
                "unset key\n",
            rows, cols);
    axes(gp, c);
    for (int q = 0; q < np; q++) {
        const int j = idx[q];
        char title[300], fname[16];
        snprintf(fname, sizeof fname, "f%d", q);
        fit_function(gp, fname, &c->fit[j], c->fit_ok[j]);
        panel_title(c, j < c->nd ? c->d[j].name : c->prop, &c->fit[j], c->fit_ok[j], title, sizeof title);
        panel(gp, title, "autocorr.dat", "", 2 + 2 * j, 3 + 2 * j, fname, rp_color(q == 0 ? 6 : 0));
    }
    fputs("unset multiplot\n", gp);
    st = rp_figure_end(c, gp, "fig_autocorr", "autocorrelation");
    if (!st) st = vmsd_figure(c, &nfits);
    fputs("\n  ]", c->json);
    if (!st) st = screening(c);
    return st;
}
