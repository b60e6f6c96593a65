/* am_report_analyze: the report's inputs (property, selections,
 * descriptors), its head, and its stages in order. */
#include "report_internal.h"
#include "core/process.h"
#include "io/atomic_file.h"
#include "io/descriptors.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void am_report_defaults(am_report_options *o) { am_report_defaults_units(o, NULL); }

/* Lennard-Jones: the lengths carried over as amorph's other lj defaults
 * (0.4 σ per Å), the viscosity at the vMSD temperature of the lj defaults
 * (0.2, half of Kob-Andersen's glass transition as 300 K is of Cu-Zr's) with
 * η0 = 1 ε·τ/σ³ (0.9e-4 Pa·s for argon, as the paper's 1e-4 Pa·s). */
void am_report_defaults_units(am_report_options *o, const am_units *u)
{
    const int lj = u && strcmp(u->style, "lj") == 0;
    memset(o, 0, sizeof *o);
    o->units = lj ? "lj" : "metal";
    o->property = "ea_mean";
    o->exclude = AM_TABLE_NOT_DESCRIPTORS;
    o->group = 0;
    o->nboot = 1000;
    o->seed = 1;
    o->rmax = lj ? 6 : 15;
    o->dr = lj ? 0.1 : 0.25;
    o->temperature = lj ? 0.2 : 300;
    o->eta0 = lj ? 1 : 1e-4;
    o->sigma = lj ? 0.8 : 2;
    o->nbins = 30;
    o->figures = 1;
}

/* Column names end up in gnuplot scripts, where a backquote runs a command
 * even inside double quotes, and in HTML. The readers refuse such names; this
 * second check keeps the report safe whatever made the table. */
static am_status names_safe(const am_table *t)
{
    for (int k = 0; k < t->ncols; k++)
        for (const char *p = t->col[k].name; *p; p++)
            if (!isalnum((unsigned char)*p) && !strchr("_.+-", *p))
                return am_fail(AM_ERR_VALUE, "column name '%s' holds '%c'; expected letters, digits and _ . + -",
                               t->col[k].name, *p);
    return AM_OK;
}

static am_status build_descriptors(rp_ctx *c)
{
    const size_t n = c->s->n;
    am_io_desc *dl = NULL;
    int nd = 0;
    am_status st = am_io_table_descriptors(c->t, c->o->descriptors, c->o->exclude, c->prop, &dl, &nd);
    if (st) return st;
    c->d = calloc((size_t)nd + 1, sizeof *c->d);
    c->d_store = malloc(((size_t)nd + 1) * (n ? n : 1) * sizeof(double));
    c->has_store = malloc(((size_t)nd + 1) * (n ? n : 1));
    if (!c->d || !c->d_store || !c->has_store) {
        free(dl);
        return am_fail(AM_ERR_NOMEM, "out of memory for %d descriptor columns", nd);
    }
    for (int j = 0; j < nd; j++) {
        rp_desc *d = &c->d[j];
        snprintf(d->name, sizeof d->name, "%s", dl[j].name);
        double *v = c->d_store + (size_t)j * n;
        unsigned char *has = c->has_store + (size_t)j * n;
        am_io_desc_values(c->t, &dl[j], v);
        d->v = v;
        const int hop = rp_hopped_mask(c, d->name, has, &d->dropped);
        if (hop < 0) {
            free(dl);
            return AM_ERR_VALUE;
        }
        /* a hopped atom's vMSD is no value rather than a wrong one: every stage leaves NaN out */
        size_t missing = 0;
        for (size_t i = 0; i < n; i++) {
            if (hop && !has[i]) v[i] = NAN;
            missing += !(has[i] = isfinite(v[i]) != 0);
        }
        d->has = missing ? has : NULL;
    }
    c->nd = nd;
    free(dl);
    if (c->nd == 0)
        return am_fail(AM_ERR_VALUE, "no descriptor columns besides '%s'; expected tables from describe, vibrate or "
                                     "modes (or check the descriptor and exclude lists)", c->prop);
    return AM_OK;
}

/* The property, its valid atoms and the selections (all, then each species). */
static am_status build_property(rp_ctx *c)
{
    const size_t n = c->s->n;
    c->p = malloc((n ? n : 1) * sizeof(double));
    c->valid = calloc(n ? n : 1, 1);
    for (int k = 0; k <= c->s->nspecies && k < RP_MAXSEL; k++) c->sel[k] = calloc(n ? n : 1, 1);
    if (!c->p || !c->valid) return am_fail(AM_ERR_NOMEM, "out of memory for %zu atoms", n);
    for (int k = 0; k <= c->s->nspecies && k < RP_MAXSEL; k++)
        if (!c->sel[k]) return am_fail(AM_ERR_NOMEM, "out of memory for %zu atoms", n);
    am_status st = am_io_table_property(c->t, c->prop, c->o->valid, c->p, c->valid);
    if (st) return st;
    snprintf(c->selname[0], AM_NAME_LEN, "all");
    c->nsel = 1;
    for (size_t i = 0; i < n; i++) c->sel[0][i] = c->valid[i];
    for (int sp = 0; sp < c->s->nspecies && c->s->nspecies > 1; sp++) {
        unsigned char *m = c->sel[c->nsel];
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) cnt += (m[i] = c->valid[i] && c->s->type[i] == sp);
        if (!cnt) continue;
        snprintf(c->selname[c->nsel], AM_NAME_LEN, "%s", c->s->species[sp].name);
        c->nsel++;
    }
    for (int k = 0; k < c->nsel; k++) {
        c->selcount[k] = 0;
        for (size_t i = 0; i < n; i++) c->selcount[k] += c->sel[k][i];
    }
    if (c->selcount[0] < 3)
        return am_fail(AM_ERR_VALUE, "only %zu atoms have a value of '%s'; expected at least 3", c->selcount[0], c->prop);
    return AM_OK;
}

static am_status options(rp_ctx *c)
{
    const am_report_options *o = c->o;
    if (!o->property || !o->property[0]) return am_fail(AM_ERR_VALUE, "no property column named");
    if ((o->group != 0 && o->group < 2) || o->nboot < 0 || o->nbins < 2 || !(o->rmax > 0) || !(o->dr > 0) ||
        o->dr > o->rmax || !(o->temperature > 0) || !(o->eta0 > 0) || !(o->slab >= 0) || !(o->sigma > 0) ||
        !(o->fit_max >= 0) || o->nradii < 0 || (o->nradii > 0 && !o->radii))
        return am_fail(AM_ERR_VALUE, "report options: expected group 0 (auto) or >= 2, bootstrap >= 0, bins >= 2 and "
                                     "positive rmax, dr (<= rmax), temperature, eta0, sigma, and slab, fit_max >= 0");
    if (!(c->un = rp_units_of(o->units)))
        return am_fail(AM_ERR_VALUE, "report options: units '%s'; expected metal or lj", o->units);
    static const double def[] = {3.5, 5, 7, 10}, def_lj[] = {1.4, 2, 2.8, 4};
    c->radii = o->radii ? o->radii : c->un->scale == 1.0 ? def : def_lj;
    c->nradii = o->radii ? o->nradii : 4;
    for (int k = 0; k < c->nradii; k++)
        if (!(c->radii[k] > 0) || !(c->radii[k] < 1e4))
            return am_fail(AM_ERR_VALUE, "neighbourhood radius %g %s: expected a positive radius", c->radii[k],
                           c->un->length);
    c->prop = o->property;
    c->rmax = o->rmax, c->dr = o->dr, c->fit_max = o->fit_max, c->temperature = o->temperature;
    c->eta0 = o->eta0, c->slab = o->slab, c->sigma = o->sigma, c->nbins = o->nbins;
    c->figures_ok = o->figures;
    am_corr_defaults(&c->co);
    am_autocorr_defaults(&c->aco);
    c->aco.window = c->un->scale;
    c->co.group = o->group;
    c->co.nboot = o->nboot;
    c->co.seed = o->seed;
    return AM_OK;
}

/* Group 0: the paper's 100 when every species has enough atoms for eight
 * groups, else as many atoms as gives eight groups but at least 5, and
 * fewer only where the smallest species would not make three groups of 5
 * (such a report is flagged). */
static void auto_group(rp_ctx *c)
{
    if (c->co.group) return;
    c->auto_group = 1;
    size_t least = c->selcount[0];
    for (int k = 1; k < c->nsel; k++) least = c->selcount[k] < least ? c->selcount[k] : least;
    const size_t floor5 = least / 3 < 5 ? (least / 3 > 2 ? least / 3 : 2) : 5;
    c->co.group = least >= 800 ? 100 : least / 8 > floor5 ? least / 8 : floor5;
}

/* A vMSD run's total column (vmsd_300K), not one of its components (vmsd_300K_x). */
static int vmsd_run(const char *name) { return strncmp(name, "vmsd_", 5) == 0 && !strchr(name + 5, '_'); }

static void write_heads(rp_ctx *c)
{
    FILE *md = c->md, *js = c->json;
    const am_report_options *o = c->o;
    fprintf(md, "# Structure–property report: which descriptor predicts `%s`?\n\n", c->prop);
    fprintf(md, "Made by `amorph analyze` (amorph %s). Every figure is a gnuplot script (`NAME.gp`) next to its "
                "data (`*.dat`): edit and redraw with `gnuplot NAME.gp` (PNG) or `gnuplot -e \"fmt='svg'\" NAME.gp`.\n\n",
            am_version());
    if (o->command) fprintf(md, "```\n%s\n```\n\n", o->command);
    fprintf(md, "## Inputs and parameters\n\n| | |\n|---|---|\n| tables |");
    am_json_printf(js, "{\n  \"amorph_version\": \"%s\",\n  \"units\": {\"system\": \"%s\", \"length\": \"%s\", "
                   "\"energy\": \"%s\", \"temperature\": \"%s\", \"viscosity\": \"%s\"},\n  \"command\": ",
                   am_version(), c->un->style, c->un->length, c->un->energy, c->un->temperature, c->un->viscosity);
    if (o->command) am_json_str(js, o->command);
    else fputs("null", js);
    fputs(",\n  \"inputs\": [", js);
    for (int k = 0; k < o->ninputs && o->inputs; k++) {
        fprintf(md, " `%s`", o->inputs[k]);
        if (k) fputs(", ", js);
        am_json_str(js, o->inputs[k]);
    }
    fprintf(md, " |\n| atoms | %zu |\n| property | `%s`, known for %zu atoms", c->s->n, c->prop, c->selcount[0]);
    if (c->selcount[0] < c->s->n) fprintf(md, " (the others were not sampled: statistics use these atoms only)");
    fprintf(md, " |\n| selections |");
    for (int k = 0; k < c->nsel; k++) fprintf(md, " %s (%zu)", c->selname[k], c->selcount[k]);
    fprintf(md, " |\n| descriptors | %d:", c->nd);
    for (int j = 0; j < c->nd; j++) fprintf(md, " `%s`", c->d[j].name);
    fprintf(md, " |\n| coarse-graining group | %zu atoms%s |\n| bootstrap | %d resamples, 95 %% percentile intervals, "
                "seed %lu |\n| autocorrelation | to %g %s in bins of %g %s |\n| viscosity | η0 = %g %s, T = %g %s |\n"
                "| units | LAMMPS %s (%s, %s, %s) |\n",
            c->co.group,
            c->auto_group ? " (automatic: the paper's 100 needs 800 atoms with the property per species; here "
                            "an eighth of the smallest species, at least 5 where it has 15)"
                          : "",
            c->co.nboot, c->co.seed, c->rmax, c->un->length, c->dr, c->un->length, c->eta0, c->un->viscosity,
            c->temperature, c->un->temperature, c->un->style, c->un->length, c->un->energy, c->un->temperature);
    if (o->drop_hopped) {
        fputs("| vMSD of atoms that hopped | left out:", md);
        int runs = 0;
        for (int j = 0; j < c->nd; j++)
            if (vmsd_run(c->d[j].name))
                fprintf(md, "%s `%s` %zu atoms", runs++ ? "," : "", c->d[j].name, c->d[j].dropped);
        fputs(runs ? " (and from their x, y, z components) |\n" : " no vMSD column |\n", md);
    }
    /* what the numbers below can bear (docs/report.md, "Quality flags") */
    size_t least = c->selcount[c->nsel > 1 ? 1 : 0];
    for (int k = 1; k < c->nsel; k++) least = c->selcount[k] < least ? c->selcount[k] : least;
    if (least < 500) {
        char per[256] = "";
        for (int k = 1; k < c->nsel; k++)
            snprintf(per + strlen(per), sizeof per - strlen(per), "%s%zu %s", k > 1 ? ", " : " (", c->selcount[k],
                     c->selname[k]);
        if (c->nsel > 1) strncat(per, ")", sizeof per - strlen(per) - 1);
        rp_flag(c, "only %zu atoms%s have a value of `%s`: a per-atom r carries a statistical uncertainty of about "
                   "±%.2f (1/√n of the smallest selection), and differences of that size between descriptors or "
                   "species are not resolved.",
                c->selcount[0], per, c->prop, 1.0 / sqrt((double)least));
    }
    if (c->co.group < 20 || least / c->co.group < 20)
        rp_flag(c, "coarse-graining makes %zu groups of %zu atoms in the smallest selection (the paper: ~100 of 100): "
                   "a coarse-grained r from so few%s groups is noisy — read it with its interval.",
                least / c->co.group, c->co.group, c->co.group < 20 ? ", small" : "");
    am_json_printf(js, "],\n  \"atoms\": %zu,\n  \"property\": ", c->s->n);
    am_json_str(js, c->prop);
    am_json_printf(js, ",\n  \"selections\": {");
    for (int k = 0; k < c->nsel; k++) {
        am_json_printf(js, "%s", k ? ", " : "");
        am_json_str(js, c->selname[k]);
        am_json_printf(js, ": %zu", c->selcount[k]);
    }
    am_json_printf(js, "},\n  \"parameters\": {\"group\": %zu, \"bootstrap\": %d, \"seed\": %lu, \"rmax\": %g, \"dr\": %g, "
                       "\"temperature\": %g, \"eta0\": %g, \"drop_hopped\": %s, \"hopped_left_out\": {",
                   c->co.group, c->co.nboot, c->co.seed, c->rmax, c->dr, c->temperature, c->eta0,
                   o->drop_hopped ? "true" : "false");
    for (int j = 0, runs = 0; j < c->nd && o->drop_hopped; j++)
        if (vmsd_run(c->d[j].name)) {
            fputs(runs++ ? ", " : "", js);
            am_json_str(js, c->d[j].name);
            am_json_printf(js, ": %zu", c->d[j].dropped);
        }
    fputs("}}", js);
}

static void write_flags(rp_ctx *c)
{
    fputs(",\n  \"quality_flags\": [", c->json);
    for (int k = 0; k < c->nflags; k++) {
        fputs(k ? ",\n    " : "\n    ", c->json);
        am_json_str(c->json, c->flags[k]);
    }
    fputs(c->nflags ? "\n  ]" : "]", c->json);
}

static void ctx_free(rp_ctx *c)
{
    for (int k = 0; k < RP_MAXSEL; k++) free(c->sel[k]);
    free(c->p);
    free(c->valid);
    free(c->d);
    free(c->d_store);
    free(c->has_store);
    free(c->corr);
    free(c->fit);
    free(c->fit_ok);
    free(c->flags);
    am_autocorr_pairs_free(c->pairs);
}

am_status am_report_analyze(const am_system *s, const am_table *t, const am_report_options *o, const char *dir)
{
    if (!s || !t || !o || !dir || !dir[0]) return am_fail(AM_ERR_VALUE, "am_report_analyze: missing argument");
    if (t->n != s->n) return am_fail(AM_ERR_VALUE, "table of %zu atoms for a system of %zu", t->n, s->n);
    rp_ctx c;
    memset(&c, 0, sizeof c);
    c.dir = dir, c.o = o, c.s = s, c.t = t;
    am_io_afile md = {0}, js = {0};
    am_status st;
    if ((st = options(&c)) || (st = names_safe(t)) || (st = build_property(&c)) || (st = build_descriptors(&c)))
        goto done;
    auto_group(&c);
    for (int k = 0; k < c.nsel; k++)
        if (c.selcount[k] < 3 * c.co.group) {
            st = am_fail(AM_ERR_VALUE, "only %zu %s%satoms have a value of '%s': fewer than three coarse-graining "
                                       "groups of %zu; expected a smaller group (or the automatic one)",
                         c.selcount[k], k ? c.selname[k] : "", k ? " " : "", c.prop, c.co.group);
            goto done;
        }
    char mdpath[1024], jspath[1024], htpath[1024];
    snprintf(mdpath, sizeof mdpath, "%s/README.md", dir);
    snprintf(jspath, sizeof jspath, "%s/summary.json", dir);
    snprintf(htpath, sizeof htpath, "%s/index.html", dir);
    if ((st = am_mkdir_p(dir)) || (st = am_io_afile_open(&md, mdpath)) || (st = am_io_afile_open(&js, jspath))) goto done;
    c.md = md.fp;
    c.json = js.fp;
    write_heads(&c);
    am_status (*const stages[])(rp_ctx *) = {rp_correlations, rp_spectra, rp_spatial, rp_neighborhood, rp_viscosity};
    static const char *const names[] = {"correlations", "spectra", "spatial correlation", "neighbourhood averages",
                                        "viscosity"};
    for (size_t k = 0; k < sizeof stages / sizeof stages[0] && !st; k++) {
        if (o->progress) o->progress(names[k], o->arg);
        st = stages[k](&c);
    }
    if (st) goto done;
    write_flags(&c);
    fputs("\n}\n", c.json);
    if ((st = am_io_afile_commit(&js)) || (st = am_io_afile_commit(&md))) goto done;
    st = am_report_html(mdpath, htpath, "amorph structure–property report");
done:
    if (md.fp) am_io_afile_abort(&md);
    if (js.fp) am_io_afile_abort(&js);
    ctx_free(&c);
    return st;
}
