/* amorph analyze: does a structure determine the property? */
#include "amorph/report.h"
#include "commands.h"
#include "common.h"

#include <stdlib.h>
#include <string.h>

static cli_opt opts[] = {
    {"output", 'o', "DIR", "report", "report directory: README.md, index.html, summary.json, figures (PNG, SVG) with "
                                     "their data and gnuplot scripts", NULL},
    {"property", 0, "NAME", "ea_mean", "the property column (per-atom activation energy, eV)", NULL},
    {"valid", 0, "NAME", "(ea_count for ea_* properties)", "atoms whose value in this column is 0 have no property value",
     NULL},
    {"descriptors", 0, "LIST", "(every other numeric column)", "descriptor columns to test, comma-separated", NULL},
    {"exclude", 0, "LIST", AM_TABLE_NOT_DESCRIPTORS, "columns that are not descriptors (a trailing * matches "
                                                            "any ending)", NULL},
    {"group", 0, "N|auto", "auto", "coarse-graining group size, atoms; auto: the paper's 100 when every species has 800 "
                                   "atoms with the property, else an eighth of the smallest species (at least 5, or a third of it when it has under 15)", NULL},
    {"bootstrap", 0, "N", "1000", "bootstrap resamples for the 95 % intervals (0: none)", NULL},
    {"seed", 0, "S", "1", "bootstrap seed", NULL},
    {"rmax", 0, "DIST", "15", "spatial autocorrelation range, Å", NULL},
    {"dr", 0, "DIST", "0.25", "spatial autocorrelation bin width, Å", NULL},
    {"fit-max", 0, "DIST", "(where C(r) reaches the noise of shuffled values)", "upper end of the correlation-length "
                                                                                "fit, Å", NULL},
    {"radii", 0, "LIST", "3.5,5,7,10", "neighbourhood-average radii, Å", NULL},
    {"temperature", 'T', "K", "300", "temperature of the viscosity map, K", NULL},
    {"eta0", 0, "PAS", "1e-4", "viscosity prefactor η0, Pa·s", NULL},
    {"slab", 0, "DIST", "(6; the whole box when under half the atoms have the property)",
     "thickness of the viscosity-map slab (normal to z, through the box centre), Å", NULL},
    {"sigma", 0, "DIST", "2", "Gaussian smoothing width of the viscosity map, Å", NULL},
    {"bins", 0, "N", "30", "bins of the Ea spectra", NULL},
    {"hopped", 0, "keep|drop", "keep", "atoms that left their basin in a vMSD run (its hopped_<T>K column): keep them "
                                     "in that run's vmsd columns, or leave them out of every statistic of those columns",
     NULL},
    {"no-figures", 0, NULL, NULL, "write data and gnuplot scripts but do not run gnuplot", NULL},
    {"units", 0, "NAME", "(the tables' units=, else metal)", "LAMMPS unit style of the tables: metal (Å, eV, K, "
     "Pa·s) or lj (σ, ε, ε/k_B, ε·τ/σ³): names the units and gives the lj defaults", NULL},
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

/* The command line as given, for the report to show how it was made. */
static char *command_line(int argc, char **argv)
{
    size_t len = strlen("amorph analyze") + 1;
    for (int k = 0; k < argc; k++) len += strlen(argv[k]) + 3;
    char *cmd = malloc(len);
    if (!cmd) return NULL;
    strcpy(cmd, "amorph analyze");
    for (int k = 0; k < argc; k++) {
        /* quote what a shell would split */
        const int quote = argv[k][strcspn(argv[k], " \t\"'$`\\*?")] != '\0';
        strcat(cmd, quote ? " '" : " ");
        strcat(cmd, argv[k]);
        if (quote) strcat(cmd, "'");
    }
    return cmd;
}

static int options(am_report_options *o, double **radii, const am_units *u)
{
    long nboot = 1000, seed = 1, bins = 30, group = 0;
    am_report_defaults_units(o, u);
    if ((strcmp(cli_get(&verb, "group"), "auto") != 0 && cli_int(&verb, "group", &group)) ||
        cli_int(&verb, "bootstrap", &nboot) || cli_int(&verb, "seed", &seed) || cli_int(&verb, "bins", &bins) ||
        cli_double(&verb, "rmax", &o->rmax) || cli_double(&verb, "dr", &o->dr) ||
        (cli_get(&verb, "fit-max") && cli_double(&verb, "fit-max", &o->fit_max)) ||
        cli_double(&verb, "temperature", &o->temperature) || cli_double(&verb, "eta0", &o->eta0) ||
        (cli_get(&verb, "slab") && cli_double(&verb, "slab", &o->slab)) || cli_double(&verb, "sigma", &o->sigma))
        return 2;
    if (group == 1 || group < 0 || nboot < 0 || nboot > 1000000 || bins < 2 || bins > 100000) {
        fprintf(stderr, "amorph analyze: expected --group auto or >= 2, --bootstrap 0..1000000, --bins 2..100000\n");
        return 2;
    }
    o->group = (size_t)group;
    o->nboot = (int)nboot;
    o->seed = (unsigned long)seed;
    o->nbins = (int)bins;
    o->property = cli_get(&verb, "property");
    o->valid = cli_get(&verb, "valid");
    o->descriptors = cli_get(&verb, "descriptors");
    o->exclude = cli_get(&verb, "exclude");
    o->figures = !cli_flag(&verb, "no-figures");
    const char *hop = cli_get(&verb, "hopped");
    if (strcmp(hop, "keep") != 0 && strcmp(hop, "drop") != 0) {
        fprintf(stderr, "amorph analyze: --hopped expects keep or drop, got '%s'\n", hop);
        return 2;
    }
    o->drop_hopped = strcmp(hop, "drop") == 0;
    if (cli_doubles(&verb, "radii", radii, &o->nradii)) return 2;
    o->radii = *radii;
    return 0;
}

static void progress(const char *stage, void *arg)
{
    (void)arg;
    fprintf(stderr, "amorph analyze: %s\n", stage);
}

static void warning(const char *msg, void *arg)
{
    (void)arg;
    fprintf(stderr, "amorph analyze: warning: %s\n", msg);
}

/* Prints the file to standard output, for --json. */
static void cat(const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[4096];
    size_t got;
    while (f && (got = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, got, stdout);
    if (f) fclose(f);
}

int cmd_analyze(int argc, char **argv)
{
    const char *pos[16];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    am_report_options o;
    double *radii = NULL;
    am_system *s = NULL;
    am_table *t = NULL;
    char *cmd = NULL;
    const char *dir = cli_get(&verb, "output");
    const int quiet = cli_flag(&verb, "quiet"), json = cli_flag(&verb, "json");
    if ((rc = cli_load_tables(&verb, pos, npos, &s, &t))) goto done;
    /* the unit system amorph's verbs wrote into the tables, unless told */
    const char *style = cli_get(&verb, "units") ? cli_get(&verb, "units") : t->units[0] ? t->units : "metal";
    const am_units *u = am_units_of(style);
    if (!u) {
        fprintf(stderr, "amorph analyze: units '%s'%s; expected metal or lj\n", style,
                cli_get(&verb, "units") ? "" : " in the tables");
        rc = 2;
        goto done;
    }
    if ((rc = cli_apply_units(&verb, u)) || (rc = options(&o, &radii, u))) goto done;
    cmd = command_line(argc, argv);
    o.inputs = pos;
    o.ninputs = npos;
    o.command = cmd;
    o.progress = quiet || json ? NULL : progress;
    o.warning = warning;
    am_status st = am_report_analyze(s, t, &o, dir);
    if (st) {
        rc = cli_report(verb.name, st);
        if (st == AM_ERR_VALUE) rc = 2;
        goto done;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (json) cat(path);
    else if (!quiet) printf("report: %s/README.md, %s/index.html, %s/summary.json\n", dir, dir, dir);
done:
    free(cmd);
    free(radii);
    am_table_free(t);
    am_system_free(s);
    return rc;
}
