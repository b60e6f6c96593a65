/* amorph analyze: does a structure determine the property? */
#include "analyze.h"
#include "commands.h"
#include "common.h"
#include "io/atomic_file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static cli_opt opts[] = {
    {"output", 'o', "DIR", "report", "report directory: README.md, summary.json, figures (PNG, SVG) with their data and "
                                     "gnuplot scripts", NULL},
    {"property", 0, "NAME", "ea_mean", "the property column (per-atom activation energy, eV)", NULL},
    {"valid", 0, "NAME", "(ea_count for ea_* properties)", "atoms whose value in this column is 0 have no property value",
     NULL},
    {"descriptors", 0, "LIST", "(every other numeric column)", "descriptor columns to test, comma-separated", NULL},
    {"exclude", 0, "LIST", "ea_*,searches,hopped_*,forces", "columns that are not descriptors (a trailing * matches "
                                                            "any ending)", NULL},
    {"group", 0, "N", "100", "coarse-graining group size, atoms; auto: 100 when every species has 800 atoms with the "
                             "property, else an eighth of the smallest species", NULL},
    {"bootstrap", 0, "N", "1000", "bootstrap resamples for the 95 % intervals (0: none)", NULL},
    {"seed", 0, "S", "1", "bootstrap seed", NULL},
    {"rmax", 0, "DIST", "15", "spatial autocorrelation range, Å", NULL},
    {"dr", 0, "DIST", "0.25", "spatial autocorrelation bin width, Å", NULL},
    {"fit-max", 0, "DIST", "(where C(r) reaches the noise of shuffled values)", "upper end of the correlation-length fit, Å", NULL},
    {"radii", 0, "LIST", "3.5,5,7,10", "neighbourhood-average radii, Å", NULL},
    {"temperature", 'T', "K", "300", "temperature of the viscosity map, K", NULL},
    {"eta0", 0, "PAS", "1e-4", "viscosity prefactor η0, Pa·s", NULL},
    {"slab", 0, "DIST", "(6; the whole box when under half the atoms have the property)",
     "thickness of the viscosity-map slab (normal to z, through the box centre), Å", NULL},
    {"sigma", 0, "DIST", "2", "Gaussian smoothing width of the viscosity map, Å", NULL},
    {"bins", 0, "N", "30", "bins of the Ea spectra", NULL},
    {"no-figures", 0, NULL, NULL, "write data and gnuplot scripts but do not run gnuplot", NULL},
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "analyze", "TABLE.extxyz [TABLE.extxyz ...] -o DIR [--property ea_mean]",
    "Structure–property analysis of per-atom tables (joined by atom id: e.g. the outputs of describe,\n"
    "vibrate, modes and artn). For every descriptor against the property, per species and for all atoms:\n"
    "Pearson r and Spearman ρ with bootstrap 95 % intervals and the coarse-grained r (atoms sorted by\n"
    "the descriptor, means of consecutive groups); property spectra of the 4 most frequent Voronoi\n"
    "polyhedra; spatial autocorrelation C(r) of every column with its correlation length ξ (fit\n"
    "C0 exp(−r/ξ) beyond the first shell; r_c = 3ξ) and the directional vMSD variant; predictive power\n"
    "against correlation length; neighbourhood-averaged descriptors; S2 against its cutoff; and the\n"
    "viscosity η = η0 exp(Ea/kBT) with its liquid-like fraction (η < 1e12 Pa·s) and map.",
    opts, 1, 16,
};

FILE *an_open(const an_ctx *c, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", c->dir, file);
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "amorph analyze: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

int an_close(const an_ctx *c, FILE *f, const char *file)
{
    if (fclose(f) == 0) return 0;
    fprintf(stderr, "amorph analyze: error writing %s/%s\n", c->dir, file);
    return 1;
}

void an_render(an_ctx *c, const char *name)
{
    if (!c->figures_ok) return;
    am_status st = am_plot_render(c->dir, name);
    if (st) {
        fprintf(stderr, "amorph analyze: warning: %s\n", am_error_message());
        if (st == AM_ERR_UNSUPPORTED) c->figures_ok = 0;
    }
}

FILE *an_figure(const an_ctx *c, const char *name, int width, int height)
{
    char file[256];
    snprintf(file, sizeof file, "%s.gp", name);
    FILE *gp = an_open(c, file);
    if (gp) am_plot_preamble(gp, name, width, height);
    return gp;
}

int an_figure_end(an_ctx *c, FILE *gp, const char *name, const char *caption)
{
    char file[256];
    snprintf(file, sizeof file, "%s.gp", name);
    if (an_close(c, gp, file)) return 1;
    an_render(c, name);
    fprintf(c->md, "\n![%s](%s.png)\n", caption, name);
    return 0;
}

int an_cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void an_json_kv(FILE *f, const char *key, double v)
{
    fprintf(f, ", \"%s\": ", key);
    cli_json_num(f, v);
}

void an_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int an_species_sel(const an_ctx *c, int k) { return k > 0 || c->nsel == 1; }

int an_find_desc(const an_ctx *c, const char *name)
{
    for (int j = 0; j < c->nd; j++)
        if (strcmp(c->d[j].name, name) == 0) return j;
    return -1;
}

size_t an_gather(const an_ctx *c, int k, int j, double *x, double *y)
{
    size_t m = 0;
    for (size_t i = 0; i < c->s->n; i++)
        if (c->sel[k][i]) {
            if (x) x[m] = j < 0 ? c->p[i] : c->d[j].v[i];
            if (y) y[m] = c->p[i];
            m++;
        }
    return m;
}

int an_featured(const an_ctx *c, int *idx, int max, int short_range_only)
{
    static const char *const paper[] = {"voro_vol", "cn", "q6", "l5fs", "l6fs"};
    int m = 0;
    for (int k = 0; k < 5 && m < max; k++) {
        int j = an_find_desc(c, paper[k]);
        if (j >= 0) idx[m++] = j;
    }
    if (short_range_only) return m;
    int vmsd = -1, s2 = -1, part = an_find_desc(c, "participation");
    double s2cut = -1;
    for (int j = 0; j < c->nd; j++) {
        const char *nm = c->d[j].name;
        if (vmsd < 0 && strncmp(nm, "vmsd_", 5) == 0 && !strchr(nm + 5, '_')) vmsd = j;
        if (strncmp(nm, "s2_rc", 5) == 0 && atof(nm + 5) > s2cut) s2cut = atof(nm + 5), s2 = j;
    }
    const int extra[3] = {vmsd, s2, part};
    for (int k = 0; k < 3 && m < max; k++)
        if (extra[k] >= 0) idx[m++] = extra[k];
    return m;
}

/* Is `name` matched by the comma-separated patterns (a trailing '*' matches any ending)? */
static int matches(const char *name, const char *list)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len > 0 && p[len - 1] == '*' ? strncmp(name, p, len - 1) == 0
                                          : strlen(name) == len && strncmp(name, p, len) == 0)
            return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* Descriptor name of component k of a column: Voronoi index counts are
 * n3..n10, vMSD components r x y z (r keeps the bare name). */
static void comp_name(const am_table_column *col, int k, char *out, size_t len)
{
    if (col->ncomp == 1) snprintf(out, len, "%s", col->name);
    else if (strcmp(col->name, "voro_index") == 0) snprintf(out, len, "n%d", k + 3);
    else if (strncmp(col->name, "vmsd_", 5) == 0 && col->ncomp == 4)
        snprintf(out, len, k ? "%s_%c" : "%s", col->name, "rxyz"[k]);
    else snprintf(out, len, "%s_%d", col->name, k + 1);
}

static int build_descriptors(an_ctx *c, const char *only, const char *exclude)
{
    const size_t n = c->s->n;
    int total = 0;
    for (int k = 0; k < c->t->ncols; k++) total += c->t->col[k].ncomp;
    c->d = calloc((size_t)total + 1, sizeof *c->d);
    c->d_store = malloc(((size_t)total + 1) * (n ? n : 1) * sizeof(double));
    if (!c->d || !c->d_store) { fprintf(stderr, "amorph analyze: out of memory\n"); return 1; }
    for (int k = 0; k < c->t->ncols; k++) {
        const am_table_column *col = &c->t->col[k];
        if (strcmp(col->name, c->prop) == 0) continue;
        for (int m = 0; m < col->ncomp; m++) {
            an_desc *d = &c->d[c->nd];
            comp_name(col, m, d->name, sizeof d->name);
            if (only ? !(matches(col->name, only) || matches(d->name, only))
                     : matches(col->name, exclude) || matches(d->name, exclude))
                continue;
            double *v = c->d_store + (size_t)c->nd * n;
            for (size_t i = 0; i < n; i++) v[i] = col->v[i * (size_t)col->ncomp + (size_t)m];
            d->v = v;
            c->nd++;
        }
    }
    if (c->nd == 0) {
        fprintf(stderr, "amorph analyze: no descriptor columns besides '%s'; expected tables from describe, "
                        "vibrate or modes (or check --descriptors/--exclude)\n", c->prop);
        return 2;
    }
    return 0;
}

/* Column names end up in gnuplot scripts, where a backquote runs a command
 * even inside double quotes. The readers refuse such names; this second check
 * keeps the report safe whatever reader a table came from. */
static int names_safe(const am_table *t, const char *path)
{
    for (int k = 0; k < t->ncols; k++)
        for (const char *p = t->col[k].name; *p; p++)
            if (!isalnum((unsigned char)*p) && !strchr("_.+-", *p)) {
                fprintf(stderr, "amorph analyze: %s: column name '%s' holds '%c'; expected letters, digits and _ . + -\n",
                        path, t->col[k].name, *p);
                return 0;
            }
    return 1;
}

static int load_tables(an_ctx *c, const char **pos, int npos)
{
    am_read_options ro = {0};
    for (int k = 0; k < npos; k++) {
        am_system *s = NULL;
        am_table *t = NULL;
        am_status st = am_read_table(pos[k], &ro, &s, &t);
        if (!st && !names_safe(t, pos[k])) {
            am_system_free(s);
            am_table_free(t);
            return 2;
        }
        if (!st && k > 0) st = am_table_join(c->t, c->s, t, s, pos[k]);
        if (k == 0 && !st) {
            c->s = s;
            c->t = t;
            continue;
        }
        am_system_free(s);
        am_table_free(t);
        if (st) return cli_report(verb.name, st);
    }
    return 0;
}

/* The property, its valid atoms and the selections (all, then each species). */
static int build_property(an_ctx *c, const char *valid_name)
{
    const size_t n = c->s->n;
    int pc = am_table_find(c->t, c->prop);
    if (pc < 0) {
        fprintf(stderr, "amorph analyze: no column '%s' in the tables; expected the property column (--property)\n",
                c->prop);
        return 2;
    }
    int vc = -1;
    if (valid_name) {
        vc = am_table_find(c->t, valid_name);
        if (vc < 0) {
            fprintf(stderr, "amorph analyze: no column '%s' for --valid\n", valid_name);
            return 2;
        }
    } else if (strncmp(c->prop, "ea_", 3) == 0) {
        vc = am_table_find(c->t, "ea_count");
    }
    c->p = malloc((n ? n : 1) * sizeof(double));
    c->valid = calloc(n ? n : 1, 1);
    for (int k = 0; k <= c->s->nspecies; k++) c->sel[k] = calloc(n ? n : 1, 1);
    if (!c->p || !c->valid) { fprintf(stderr, "amorph analyze: out of memory\n"); return 1; }
    const am_table_column *pcol = &c->t->col[pc];
    for (size_t i = 0; i < n; i++) {
        const double v = pcol->v[i * (size_t)pcol->ncomp];
        const int ok = isfinite(v) && (vc < 0 || c->t->col[vc].v[i * (size_t)c->t->col[vc].ncomp] != 0);
        c->valid[i] = (unsigned char)ok;
        c->p[i] = ok ? v : NAN;
    }
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
    if (c->selcount[0] < 3) {
        fprintf(stderr, "amorph analyze: only %zu atoms have a value of '%s'; expected at least 3\n", c->selcount[0],
                c->prop);
        return 2;
    }
    return 0;
}

static int options(an_ctx *c)
{
    long group = 100, nboot = 1000, seed = 1, bins = 30;
    c->rmax = 15, c->dr = 0.25, c->fit_max = 0, c->temperature = 300, c->eta0 = 1e-4, c->slab = 0, c->sigma = 2;
    const int auto_group = strcmp(cli_get(&verb, "group"), "auto") == 0;
    if ((!auto_group && cli_int(&verb, "group", &group)) || cli_int(&verb, "bootstrap", &nboot) || cli_int(&verb, "seed", &seed) ||
        cli_int(&verb, "bins", &bins) || cli_double(&verb, "rmax", &c->rmax) || cli_double(&verb, "dr", &c->dr) ||
        (cli_get(&verb, "fit-max") && cli_double(&verb, "fit-max", &c->fit_max)) ||
        cli_double(&verb, "temperature", &c->temperature) || cli_double(&verb, "eta0", &c->eta0) ||
        (cli_get(&verb, "slab") && cli_double(&verb, "slab", &c->slab)) || cli_double(&verb, "sigma", &c->sigma))
        return 2;
    if (group < 2 || nboot < 0 || bins < 2 || !(c->rmax > 0) || !(c->dr > 0) || c->dr > c->rmax ||
        !(c->temperature > 0) || !(c->eta0 > 0) || c->slab < 0 || !(c->sigma > 0)) {
        fprintf(stderr, "amorph analyze: expected --group >= 2, --bootstrap >= 0, --bins >= 2 and positive --rmax, "
                        "--dr (<= rmax), --temperature, --eta0, --slab, --sigma\n");
        return 2;
    }
    am_corr_defaults(&c->co);
    c->co.group = auto_group ? 0 : (size_t)group;
    c->co.nboot = (int)nboot;
    c->co.seed = (unsigned long)seed;
    c->nbins = (int)bins;
    if (cli_doubles(&verb, "radii", &c->radii, &c->nradii)) return 2;
    if (!c->radii) {
        static const double def[] = {3.5, 5, 7, 10};
        c->radii = malloc(sizeof def);
        if (!c->radii) return 1;
        memcpy(c->radii, def, sizeof def);
        c->nradii = 4;
    }
    for (int k = 0; k < c->nradii; k++)
        if (!(c->radii[k] > 0)) { fprintf(stderr, "amorph analyze: --radii must be positive\n"); return 2; }
    return 0;
}

/* --group auto: the paper's 100 when every species has enough atoms for
 * eight groups, else as many atoms as gives eight groups (at least 5). */
static void auto_group(an_ctx *c)
{
    if (c->co.group) return;
    c->auto_group = 1;
    size_t least = c->selcount[0];
    for (int k = 1; k < c->nsel; k++) least = c->selcount[k] < least ? c->selcount[k] : least;
    c->co.group = least >= 800 ? 100 : least / 8 > 5 ? least / 8 : 5;
}

static void write_heads(an_ctx *c, const char **pos, int npos)
{
    FILE *md = c->md, *js = c->json;
    fprintf(md, "# Structure–property report: which descriptor predicts `%s`?\n\n", c->prop);
    fprintf(md, "Made by `amorph analyze` (amorph %s). Every figure is a gnuplot script (`NAME.gp`) next to its "
                "data (`*.dat`): edit and redraw with `gnuplot NAME.gp` (PNG) or `gnuplot -e \"fmt='svg'\" NAME.gp`.\n\n",
            am_version());
    fprintf(md, "## Inputs and parameters\n\n| | |\n|---|---|\n| tables |");
    cli_json_printf(js, "{\n  \"amorph_version\": \"%s\",\n  \"inputs\": [", am_version());
    for (int k = 0; k < npos; k++) {
        fprintf(md, " `%s`", pos[k]);
        if (k) fputs(", ", js);
        an_json_str(js, pos[k]);
    }
    fprintf(md, " |\n| atoms | %zu |\n| property | `%s`, known for %zu atoms", c->s->n, c->prop, c->selcount[0]);
    if (c->selcount[0] < c->s->n) fprintf(md, " (the others were not sampled: statistics use these atoms only)");
    fprintf(md, " |\n| selections |");
    for (int k = 0; k < c->nsel; k++) fprintf(md, " %s (%zu)", c->selname[k], c->selcount[k]);
    fprintf(md, " |\n| descriptors | %d:", c->nd);
    for (int j = 0; j < c->nd; j++) fprintf(md, " `%s`", c->d[j].name);
    fprintf(md, " |\n| coarse-graining group | %zu atoms%s |\n| bootstrap | %d resamples, 95 %% percentile intervals, "
                "seed %lu |\n| autocorrelation | to %g Å in bins of %g Å |\n| viscosity | η0 = %g Pa·s, T = %g K |\n\n",
            c->co.group,
            c->auto_group ? " (--group auto: the paper's 100 needs 800 atoms with the property per species; here "
                            "an eighth of the smallest species)"
                          : "",
            c->co.nboot, c->co.seed, c->rmax, c->dr, c->eta0, c->temperature);
    cli_json_printf(js, "],\n  \"atoms\": %zu,\n  \"property\": ", c->s->n);
    an_json_str(js, c->prop);
    cli_json_printf(js, ",\n  \"selections\": {");
    for (int k = 0; k < c->nsel; k++) {
        cli_json_printf(js, "%s", k ? ", " : "");
        an_json_str(js, c->selname[k]);
        cli_json_printf(js, ": %zu", c->selcount[k]);
    }
    cli_json_printf(js, "},\n  \"parameters\": {\"group\": %zu, \"bootstrap\": %d, \"seed\": %lu, \"rmax\": %g, \"dr\": %g, "
                "\"temperature\": %g, \"eta0\": %g}",
            c->co.group, c->co.nboot, c->co.seed, c->rmax, c->dr, c->temperature, c->eta0);
}

static void ctx_free(an_ctx *c)
{
    for (int k = 0; k < AN_MAXSEL; k++) free(c->sel[k]);
    free(c->p);
    free(c->valid);
    free(c->d);
    free(c->d_store);
    free(c->corr);
    free(c->fit);
    free(c->fit_ok);
    free(c->radii);
    am_table_free(c->t);
    am_system_free(c->s);
}

int cmd_analyze(int argc, char **argv)
{
    const char *pos[16];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    an_ctx c;
    memset(&c, 0, sizeof c);
    c.dir = cli_get(&verb, "output");
    c.prop = cli_get(&verb, "property");
    c.quiet = cli_flag(&verb, "quiet");
    c.figures_ok = !cli_flag(&verb, "no-figures");
    am_io_afile md = {0}, js = {0};
    if ((rc = options(&c)) || (rc = load_tables(&c, pos, npos)) || (rc = build_property(&c, cli_get(&verb, "valid"))) ||
        (rc = build_descriptors(&c, cli_get(&verb, "descriptors"), cli_get(&verb, "exclude"))))
        goto done;
    auto_group(&c);
    for (int k = 0; k < c.nsel; k++)
        if (c.selcount[k] < 3 * c.co.group) {
            fprintf(stderr, "amorph analyze: only %zu %s%satoms have a value of '%s': fewer than three coarse-graining "
                            "groups of %zu; expected a smaller --group (or --group auto)\n",
                    c.selcount[k], k ? c.selname[k] : "", k ? " " : "", c.prop, c.co.group);
            rc = 2;
            goto done;
        }
    if (mkdir(c.dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "amorph analyze: cannot create directory %s: %s\n", c.dir, strerror(errno));
        rc = 1;
        goto done;
    }
    char mdpath[1024], jspath[1024];
    snprintf(mdpath, sizeof mdpath, "%s/README.md", c.dir);
    snprintf(jspath, sizeof jspath, "%s/summary.json", c.dir);
    am_status st = am_io_afile_open(&md, mdpath);
    if (!st) st = am_io_afile_open(&js, jspath);
    if (st) { rc = cli_report(verb.name, st); goto done; }
    c.md = md.fp;
    c.json = js.fp;
    write_heads(&c, pos, npos);
    int (*const stages[])(an_ctx *) = {an_correlations, an_spectra, an_spatial, an_neighborhood, an_viscosity};
    static const char *const names[] = {"correlations", "Ea spectra", "spatial correlation", "neighbourhood averages",
                                        "viscosity"};
    for (size_t k = 0; k < sizeof stages / sizeof stages[0] && !rc; k++) {
        if (!c.quiet) fprintf(stderr, "amorph analyze: %s\n", names[k]);
        rc = stages[k](&c);
    }
    if (rc) goto done;
    fputs("\n}\n", c.json);
    st = am_io_afile_commit(&js);
    if (!st) st = am_io_afile_commit(&md);
    c.md = c.json = NULL;
    if (st) { rc = cli_report(verb.name, st); goto done; }
    if (cli_flag(&verb, "json")) {
        /* the summary itself, for scripts that pipe the command */
        FILE *f = fopen(jspath, "r");
        char buf[4096];
        size_t got;
        while (f && (got = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, got, stdout);
        if (f) fclose(f);
    } else if (!c.quiet) {
        printf("report: %s/README.md, %s/summary.json\n", c.dir, c.dir);
    }
done:
    if (md.fp) am_io_afile_abort(&md);
    if (js.fp) am_io_afile_abort(&js);
    ctx_free(&c);
    return rc;
}
