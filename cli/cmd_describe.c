#include "commands.h"
#include "common.h"
#include "progress.h"
#include "stale.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cli_opt opts[] = {
    CLI_OPTS_READ,
    /* not listed: refused with the reason rather than as an unknown option */
    {"potential", 'p', "POT", NULL, NULL, NULL},
    {"output", 'o', "FILE", NULL, "per-atom table with the descriptor columns: extended XYZ (OVITO, ASE), or a LAMMPS dump for .dump/.lammpstrj", NULL},
    {"csv", 0, "FILE", NULL, "the same per-atom table as CSV", NULL},
    {"voronoi", 0, NULL, "(all three when none is named)",
     "Voronoi: voro_index (n3 n4 n5 n6), cn, voro_vol (Å³), l5fs, l6fs", NULL},
    {"steinhardt", 0, NULL, NULL, "Steinhardt bond order: q4, q6 (per --q-degrees)", NULL},
    {"s2", 0, NULL, NULL, "two-body excess entropy, k_B: s2_rcX per cutoff X (Å; 4.5 Å is s2_rc4p5)", NULL},
    {"interstices", 0, NULL, NULL,
     "interstice distribution over the tessellation's dual tetrahedra (Wang & Jain 2019): interstice_dist|area|vol_"
     "mean|std|min|max, fractions; sphere radii from --voronoi-radii, else auto (not part of the default three)",
     NULL},
    {"acsf", 0, NULL, NULL,
     "Behler-Parrinello symmetry functions: g2_<b>_etaE_rsR per neighbour species b, g4_<b>_<c>_etaE_zetaZ_lambdaL "
     "per species pair (not part of the default three)",
     NULL},
    {"area-threshold", 0, "F", "0", "drop Voronoi faces smaller than F times the cell's face area", NULL},
    {"voronoi-radii", 0, "LIST", "(plain tessellation)",
     "radical (power) Voronoi tessellation with per-species radii, Å: Cu:1.28,Zr:1.58; auto takes every species' "
     "tabulated metallic radius (docs/structure.md), auto,Zr:1.6 overrides some; columns keep their names",
     NULL},
    {"q-degrees", 0, "LIST", "4,6", "Steinhardt degrees l (0..16)", NULL},
    {"q-neighbors", 0, "MODE", "voronoi",
     "voronoi, voronoi-weighted (each face weighted by its share of the cell's face area, Mickel et al. 2013), "
     "cutoff:R (Å) or nearest:N[:R] (R defaults to 6 Å)",
     NULL},
    {"q-averaged", 0, NULL, NULL, "Lechner-Dellago average over the atom and its neighbours (columns qL_avg)", NULL},
    {"q-w", 0, NULL, NULL, "also the normalised third-order invariants ŵ_l (columns wL, as LAMMPS wl/hat)", NULL},
    {"s2-cutoffs", 0, "LIST", "4:15:1", "integration limits rc, Å: a,b,... and ranges from:to:step", NULL},
    {"s2-sigma", 0, "DIST", "0.2", "Gaussian smearing width σ, Å", NULL},
    {"s2-dr", 0, "DIST", "(σ/4)", "radial grid spacing, Å (multi mode)", NULL},
    {"s2-mode", 0, "MODE", "multi", "multi (partial g per species, the paper's Eq. 1) or lammps (compute entropy/atom)",
     NULL},
    {"s2-partial", 0, NULL, NULL, "also write each neighbour species' term, s2_<species>_rcX", NULL},
    {"acsf-cutoff", 0, "DIST", "6", "symmetry-function cutoff Rc, Å (cosine cutoff function)", NULL},
    {"acsf-g2", 0, "LIST", "(eta 4 /Å² at rs 2.5, 3, ..., 5.5 Å)",
     "radial G2 parameter sets eta:rs (1/Å², Å), comma-separated, e.g. 4:2.5,4:3", NULL},
    {"acsf-g4", 0, "LIST", "(eta 0.05, zeta 1 and 4, lambda ±1)",
     "angular G4 parameter sets eta:zeta:lambda (1/Å², >= 1, 1 or -1), e.g. 0.05:1:1,0.05:1:-1", NULL},
    {"populations", 0, "FILE", NULL, "write every Voronoi polyhedron's count per species as CSV", NULL},
    {"units", 0, "NAME", "metal", "LAMMPS unit style of the positions: metal (Å) or lj (σ, as a Lennard-Jones potential's): "
                                  "names the lengths, gives the lj defaults, and is written to the -o table", NULL},
    {"top", 0, "K", "8", "polyhedra listed per species in the summary", NULL},
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "describe", "CONF [-o atoms.extxyz] [--csv atoms.csv] [--voronoi] [--steinhardt] [--s2] [--acsf] [--interstices]",
    "Per-atom structural descriptors of a configuration (periodic cell): Voronoi polyhedra\n"
    "(plain or radical), Steinhardt bond order, the two-body excess entropy S2 for a list of\n"
    "cutoffs and, on request, Behler-Parrinello symmetry functions and interstice\n"
    "distributions. Prints the Voronoi populations per species with their Shannon entropy,\n"
    "mean descriptors per species and the sample's S2; writes the per-atom table with -o /\n"
    "--csv. No potential is needed: the descriptors come from the positions alone.",
    opts, 1, 1,
};

/* The unit style of the positions (--units): a verb-wide setting, as the
 * option table is. */
static const am_units *units;

/* The per-atom table: columns in output order, owning their arrays. */
enum { MAXCOL = 256 };
typedef struct table {
    am_column col[MAXCOL];
    char name[MAXCOL][128];
    void *data[MAXCOL];
    int n;
} table;

static void *add_column(table *t, const char *name, int ncomp, size_t natoms, int integer)
{
    if (t->n == MAXCOL) return NULL;
    void *d = calloc(natoms * (size_t)ncomp + 1, integer ? sizeof(long long) : sizeof(double));
    if (!d) return NULL;
    const int k = t->n++;
    snprintf(t->name[k], sizeof t->name[k], "%s", name);
    t->data[k] = d;
    t->col[k] = (am_column){t->name[k], ncomp, integer ? NULL : d, integer ? d : NULL};
    return d;
}

static void table_free(table *t)
{
    for (int k = 0; k < t->n; k++) free(t->data[k]);
}

/* 11 → "11p0", 11.25 → "11p25": a number (a cutoff, a symmetry-function
 * parameter) reads as itself in a column name, with p for the point, which
 * OVITO expressions and LAMMPS dump columns cannot take (older tables said
 * s2_rc11.0) */
static void fmt_cutoff(char *buf, size_t len, double rc)
{
    if (rc == floor(rc)) snprintf(buf, len, "%.1f", rc);
    else snprintf(buf, len, "%g", rc);
    char *dot = strchr(buf, '.');
    if (dot) *dot = 'p';
}

static void fmt_index(char *buf, size_t len, const int *idx)
{
    int last = 3;
    for (int k = 4; k < 8; k++)
        if (idx[k]) last = k;
    size_t used = (size_t)snprintf(buf, len, "<");
    for (int k = 0; k <= last && used < len; k++) used += (size_t)snprintf(buf + used, len - used, "%s%d", k ? "," : "", idx[k]);
    if (used < len) snprintf(buf + used, len - used, ">");
}

static const char *species_label(const am_system *s, int sp) { return sp < 0 ? "all" : s->species[sp].name; }

/* --voronoi-radii: "auto" (every species from the table), NAME:R pairs, or
 * auto followed by pairs that override it; every species must end up with
 * a radius. Returns 0, or 2 with a message. */
static int parse_radii(const am_system *s, const char *spec, double *radii)
{
    int autos = 0;
    for (int t = 0; t < s->nspecies; t++) radii[t] = -1.0;
    for (const char *p = spec; *p;) {
        const size_t len = strcspn(p, ",");
        char item[64];
        if (len == 0 || len >= sizeof item) goto bad;
        memcpy(item, p, len);
        item[len] = '\0';
        p += len + (p[len] == ',');
        if (strcmp(item, "auto") == 0) {
            /* untabulated species stay unset: a pair after auto may give them */
            for (int t = 0; t < s->nspecies; t++)
                if (am_atomic_radius(s->species[t].name) > 0) radii[t] = am_atomic_radius(s->species[t].name);
            autos = 1;
            continue;
        }
        char *colon = strchr(item, ':'), *end;
        if (!colon) goto bad;
        *colon = '\0';
        const double r = strtod(colon + 1, &end);
        if (end == colon + 1 || *end || !(r >= 0 && r < 1e3)) goto bad;
        int t = 0;
        while (t < s->nspecies && strcmp(s->species[t].name, item) != 0) t++;
        if (t == s->nspecies) {
            fprintf(stderr, "amorph describe: --voronoi-radii: no species '%s' in the configuration\n", item);
            return 2;
        }
        radii[t] = r;
    }
    for (int t = 0; t < s->nspecies; t++)
        if (radii[t] < 0) {
            if (autos)
                fprintf(stderr, "amorph describe: --voronoi-radii: no tabulated radius for species '%s'; give it as "
                                "auto,%s:R (R in Å)\n", s->species[t].name, s->species[t].name);
            else
                fprintf(stderr, "amorph describe: --voronoi-radii: no radius for species '%s' (give every species, or "
                                "auto)\n", s->species[t].name);
            return 2;
        }
    return 0;
bad:
    fprintf(stderr, "amorph describe: --voronoi-radii expects auto and/or NAME:R pairs with R in [0, 1000) Å, e.g. "
                    "Cu:1.28,Zr:1.58, got '%s'\n", spec);
    return 2;
}

/* The tessellation (radical with --voronoi-radii: its radii, one per
 * species, are returned in *radii_out, else NULL), and its columns unless t
 * is NULL (Steinhardt's neighbours only). */
static int run_voronoi(const am_system *s, table *t, am_voronoi **vout, double **radii_out)
{
    double thr = 0.0;
    if (cli_double(&verb, "area-threshold", &thr)) return 2;
    const char *spec = cli_get(&verb, "voronoi-radii");
    double *radii = NULL;
    if (spec) {
        if (!(radii = malloc(((size_t)s->nspecies + 1) * sizeof(double)))) {
            fprintf(stderr, "amorph describe: out of memory\n");
            return 1;
        }
        *radii_out = radii;
        if (parse_radii(s, spec, radii)) return 2;
    }
    am_status st = am_voronoi_compute_radical(s, radii, thr, vout);
    if (st) return cli_report(verb.name, st);
    if (!t) return 0;
    const am_voronoi *v = *vout;
    const size_t n = s->n;
    long long *idx = add_column(t, "voro_index", 4, n, 1), *cn = add_column(t, "cn", 1, n, 1);
    double *vol = add_column(t, "voro_vol", 1, n, 0), *l5 = add_column(t, "l5fs", 1, n, 0),
           *l6 = add_column(t, "l6fs", 1, n, 0);
    if (!idx || !cn || !vol || !l5 || !l6) { fprintf(stderr, "amorph describe: out of memory\n"); return 1; }
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 4; k++) idx[4 * i + k] = v->index[8 * i + k];
        cn[i] = v->cn[i];
        vol[i] = v->volume[i];
        l5[i] = v->l5fs[i];
        l6[i] = v->l6fs[i];
    }
    return 0;
}

static int run_steinhardt(const am_system *s, const am_voronoi *v, table *t)
{
    double *deg = NULL;
    int nl = 0;
    if (cli_doubles(&verb, "q-degrees", &deg, &nl)) return 2;
    int ls[17];
    for (int k = 0; k < nl; k++) {
        if (k == 17 || deg[k] != floor(deg[k]) || deg[k] < 0 || deg[k] > 16) {
            fprintf(stderr, "amorph describe: --q-degrees expects up to 17 integers 0..16\n");
            free(deg);
            return 2;
        }
        ls[k] = (int)deg[k];
    }
    free(deg);
    /* 6 Å, and the same carried to σ as describe's other lj lengths */
    am_steinhardt_options o = {AM_NB_VORONOI, v, strcmp(units->style, "lj") == 0 ? 2.4 : 6.0, 0,
                               cli_flag(&verb, "q-averaged"), NULL};
    const char *mode = cli_get(&verb, "q-neighbors");
    char extra;
    if (strcmp(mode, "voronoi") == 0) o.mode = AM_NB_VORONOI;
    else if (strcmp(mode, "voronoi-weighted") == 0) o.mode = AM_NB_VORONOI_WEIGHTED;
    else if (sscanf(mode, "cutoff:%lf%c", &o.cutoff, &extra) == 1) o.mode = AM_NB_CUTOFF;
    else if (sscanf(mode, "nearest:%d:%lf%c", &o.nearest, &o.cutoff, &extra) == 2 ||
             sscanf(mode, "nearest:%d%c", &o.nearest, &extra) == 1)
        o.mode = AM_NB_NEAREST;
    else {
        fprintf(stderr, "amorph describe: --q-neighbors expects voronoi, voronoi-weighted, cutoff:R or nearest:N[:R], "
                        "got '%s'\n", mode);
        return 2;
    }
    const size_t n = s->n;
    double *q = malloc(2 * n * (size_t)nl * sizeof(double) + 1);
    if (!q) { fprintf(stderr, "amorph describe: out of memory\n"); return 1; }
    if (cli_flag(&verb, "q-w")) o.w = q + n * (size_t)nl;
    am_status st = am_steinhardt(s, &o, ls, nl, q);
    if (st) { free(q); return cli_report(verb.name, st); }
    for (int w = 0; w <= (o.w != NULL); w++)
        for (int k = 0; k < nl; k++) {
            char name[32];
            snprintf(name, sizeof name, "%c%d%s", w ? 'w' : 'q', ls[k], o.averaged ? "_avg" : "");
            double *c = add_column(t, name, 1, n, 0);
            if (!c) { free(q); fprintf(stderr, "amorph describe: out of memory or too many columns\n"); return 1; }
            for (size_t i = 0; i < n; i++) c[i] = q[(size_t)w * n * (size_t)nl + i * (size_t)nl + (size_t)k];
        }
    free(q);
    return 0;
}

typedef struct s2_summary {
    double *rc, *sample;
    int ncut, have_sample;
} s2_summary;

static int run_s2(const am_system *s, table *t, s2_summary *sum)
{
    am_s2_options o = {AM_S2_MULTI, 0.2, 0.0, NULL, 0};
    if (cli_double(&verb, "s2-sigma", &o.sigma)) return 2;
    if (cli_double(&verb, "s2-dr", &o.dr)) return 2;
    const char *mode = cli_get(&verb, "s2-mode");
    if (strcmp(mode, "lammps") == 0) o.mode = AM_S2_LAMMPS;
    else if (strcmp(mode, "multi") != 0) {
        fprintf(stderr, "amorph describe: --s2-mode expects multi or lammps, got '%s'\n", mode);
        return 2;
    }
    if (cli_doubles(&verb, "s2-cutoffs", &sum->rc, &sum->ncut)) return 2;
    o.cutoffs = sum->rc;
    o.ncut = sum->ncut;
    const int partial = cli_flag(&verb, "s2-partial") && o.mode == AM_S2_MULTI, nsp = s->nspecies;
    const size_t n = s->n, nc = (size_t)o.ncut;
    double *v = malloc(n * nc * sizeof(double) + 1), *p = partial ? malloc(n * nc * (size_t)nsp * sizeof(double)) : NULL;
    sum->sample = malloc(nc * sizeof(double));
    if (!v || (partial && !p) || !sum->sample) { free(v); free(p); fprintf(stderr, "amorph describe: out of memory\n"); return 1; }
    sum->have_sample = o.mode == AM_S2_MULTI;
    am_status st = am_s2(s, &o, v, p, sum->have_sample ? sum->sample : NULL);
    if (st) { free(v); free(p); return cli_report(verb.name, st); }
    int rc = 0;
    for (size_t c = 0; c < nc && !rc; c++) {
        char cut[24], name[64];
        fmt_cutoff(cut, sizeof cut, o.cutoffs[c]);
        snprintf(name, sizeof name, "s2_rc%s", cut);
        double *col = add_column(t, name, 1, n, 0);
        if (!col) { rc = 1; break; }
        for (size_t i = 0; i < n; i++) col[i] = v[i * nc + c];
        for (int sp = 0; partial && sp < nsp; sp++) {
            snprintf(name, sizeof name, "s2_%s_rc%s", s->species[sp].name, cut);
            if (!(col = add_column(t, name, 1, n, 0))) { rc = 1; break; }
            for (size_t i = 0; i < n; i++) col[i] = p[(i * nc + c) * (size_t)nsp + (size_t)sp];
        }
    }
    if (rc) fprintf(stderr, "amorph describe: out of memory or too many columns (at most %d)\n", MAXCOL);
    free(v);
    free(p);
    return rc;
}

/* Interstice distributions: spheres of the --voronoi-radii radii (radii,
 * when the tessellation is radical), else of the tabulated ones. */
static int run_interstices(const am_system *s, const am_voronoi *v, const double *radii, table *t)
{
    const size_t n = s->n;
    double *own = NULL, *vals = malloc(n * AM_INTERSTICE_NCOLS * sizeof(double) + 1);
    int rc = vals ? 0 : 1;
    if (!rc && !radii) {
        if (!(own = malloc(((size_t)s->nspecies + 1) * sizeof(double)))) rc = 1;
        else if ((rc = parse_radii(s, "auto", own))) goto done;
        radii = own;
    }
    if (rc) goto done;
    am_status st = am_interstices(s, v, radii, vals);
    if (st) { rc = cli_report(verb.name, st); goto done; }
    static const char *const kind[3] = {"dist", "area", "vol"}, *const stat[4] = {"mean", "std", "min", "max"};
    for (int c = 0; c < AM_INTERSTICE_NCOLS; c++) {
        char name[64];
        snprintf(name, sizeof name, "interstice_%s_%s", kind[c / 4], stat[c % 4]);
        double *col = add_column(t, name, 1, n, 0);
        if (!col) { rc = 1; break; }
        for (size_t i = 0; i < n; i++) col[i] = vals[i * AM_INTERSTICE_NCOLS + (size_t)c];
    }
done:
    if (rc == 1) fprintf(stderr, "amorph describe: out of memory or too many columns (at most %d)\n", MAXCOL);
    free(own);
    free(vals);
    return rc;
}

/* A list of parameter sets "a:b,c:d" (G2) or "a:b:c,..." (G4), each of
 * want numbers, into a malloc'ed array of sets (*n of them). Returns 0 or 2. */
static int parse_sets(const char *name, int want, double **out, int *n)
{
    const char *spec = cli_get(&verb, name);
    *out = NULL;
    *n = 0;
    if (!spec) return 0;
    int sets = 1;
    for (const char *p = spec; *p; p++) sets += *p == ',';
    double *v = malloc((size_t)sets * (size_t)want * sizeof(double));
    if (!v) return 1;
    const char *p = spec;
    for (int k = 0; k < sets; k++) {
        for (int f = 0; f < want; f++) {
            char *end;
            v[k * want + f] = strtod(p, &end);
            const char sep = f + 1 < want ? ':' : (k + 1 < sets ? ',' : '\0');
            if (end == p || *end != sep || !isfinite(v[k * want + f])) {
                fprintf(stderr, "amorph describe: --%s expects %s sets separated by commas, got '%s'\n", name,
                        want == 2 ? "eta:rs" : "eta:zeta:lambda", spec);
                free(v);
                return 2;
            }
            p = end + (*end != '\0');
        }
    }
    *out = v;
    *n = sets;
    return 0;
}

/* Behler–Parrinello symmetry functions: the default grid unless --acsf-g2
 * or --acsf-g4 replaces its part; one scalar column per function. */
static int run_acsf(const am_system *s, table *t)
{
    am_acsf_options o;
    am_acsf_defaults(&o);
    if (cli_double(&verb, "acsf-cutoff", &o.cutoff)) return 2;
    double *g2v = NULL, *g4v = NULL;
    int n2 = 0, n4 = 0, rc = parse_sets("acsf-g2", 2, &g2v, &n2);
    if (!rc) rc = parse_sets("acsf-g4", 3, &g4v, &n4);
    am_acsf_g2 *g2 = NULL;
    am_acsf_g4 *g4 = NULL;
    double *g = NULL;
    if (rc) goto done;
    if ((n2 && !(g2 = malloc((size_t)n2 * sizeof *g2))) || (n4 && !(g4 = malloc((size_t)n4 * sizeof *g4)))) {
        rc = 1;
        goto done;
    }
    for (int k = 0; k < n2; k++) g2[k] = (am_acsf_g2){g2v[2 * k], g2v[2 * k + 1]};
    for (int k = 0; k < n4; k++) {
        const double lam = g4v[3 * k + 2];
        if (lam != 1.0 && lam != -1.0) {
            fprintf(stderr, "amorph describe: --acsf-g4: lambda %g: expected 1 or -1\n", lam);
            rc = 2;
            goto done;
        }
        g4[k] = (am_acsf_g4){g4v[3 * k], g4v[3 * k + 1], lam > 0 ? 1 : -1};
    }
    if (g2) { o.g2 = g2; o.ng2 = n2; }
    if (g4) { o.g4 = g4; o.ng4 = n4; }
    const size_t n = s->n, count = am_acsf_count(&o, s->nspecies);
    if (!(g = malloc(n * count * sizeof(double) + 1))) { rc = 1; goto done; }
    am_status st = am_acsf(s, &o, g);
    if (st) { rc = cli_report(verb.name, st); goto done; }
    const int nsp = s->nspecies;
    for (size_t c = 0; c < count && !rc; c++) {
        char name[128], a[24], b[24], z[24];
        if (c < (size_t)o.ng2 * (size_t)nsp) {
            const am_acsf_g2 *f = &o.g2[c / (size_t)nsp];
            fmt_cutoff(a, sizeof a, f->eta);
            fmt_cutoff(b, sizeof b, f->rs);
            snprintf(name, sizeof name, "g2_%s_eta%s_rs%s", s->species[c % (size_t)nsp].name, a, b);
        } else {
            /* the pair order of structure.h: (0,0), (0,1), ..., (1,1), ... */
            const size_t npair = (size_t)nsp * (size_t)(nsp + 1) / 2, q = c - (size_t)o.ng2 * (size_t)nsp;
            const am_acsf_g4 *f = &o.g4[q / npair];
            size_t pair = q % npair;
            int sb = 0;
            while (pair >= (size_t)(nsp - sb)) pair -= (size_t)(nsp - sb++);
            fmt_cutoff(a, sizeof a, f->eta);
            fmt_cutoff(z, sizeof z, f->zeta);
            snprintf(name, sizeof name, "g4_%s_%s_eta%s_zeta%s_lambda%s", s->species[sb].name,
                     s->species[sb + (int)pair].name, a, z, f->lambda > 0 ? "1" : "m1");
        }
        double *col = add_column(t, name, 1, n, 0);
        if (!col) { rc = 1; break; }
        for (size_t i = 0; i < n; i++) col[i] = g[i * count + c];
    }
done:
    if (rc == 1) fprintf(stderr, "amorph describe: out of memory or too many columns (at most %d)\n", MAXCOL);
    free(g2v); free(g4v); free(g2); free(g4); free(g);
    return rc;
}

/* Mean of every scalar column per species: the one-line-per-species view
 * a user checks first. */
static void print_means(const am_system *s, const table *t, int json)
{
    if (json) cli_json_printf(stdout, ", \"means\": {");
    else printf("\nmean per species\n  %-10s", "column");
    for (int sp = 0; sp < s->nspecies && !json; sp++) printf(" %12s", s->species[sp].name);
    if (!json) printf(" %12s\n", "all");
    int first = 1;
    for (int k = 0; k < t->n; k++) {
        const am_column *c = &t->col[k];
        if (c->ncomp != 1) continue;
        if (json) cli_json_printf(stdout, "%s\"%s\": {", first ? "" : ", ", c->name);
        else printf("  %-10s", c->name);
        first = 0;
        for (int sp = 0; sp <= s->nspecies; sp++) {
            const int want = sp < s->nspecies ? sp : -1;
            double sum = 0;
            size_t m = 0;
            for (size_t i = 0; i < s->n; i++)
                if (want < 0 || s->type[i] == want) {
                    sum += c->real ? c->real[i] : (double)c->ints[i];
                    m++;
                }
            const double mean = m ? sum / (double)m : NAN;
            if (json) cli_json_printf(stdout, "%s\"%s\": %.10g", sp ? ", " : "", species_label(s, want), m ? mean : 0.0);
            else printf(" %12.6g", mean);
        }
        printf(json ? "}" : "\n");
    }
    if (json) cli_json_printf(stdout, "}");
}

/* json: as JSON; text: as text (neither: only the --populations file). */
static int print_populations(const am_system *s, const am_voronoi *v, int json, int text)
{
    long top = 8;
    if (cli_int(&verb, "top", &top)) return 2;
    const char *path = cli_get(&verb, "populations");
    FILE *fp = NULL;
    if (path && !(fp = fopen(path, "w"))) { fprintf(stderr, "amorph describe: cannot write %s\n", path); return 1; }
    if (fp) fprintf(fp, "species,n3,n4,n5,n6,n7,n8,n9,n10,count,fraction\n");
    if (json) cli_json_printf(stdout, ", \"voronoi_populations\": [");
    else if (text) printf("\nVoronoi polyhedra (Shannon entropy H of the population, diversity e^H)\n");
    for (int sp = 0; sp <= s->nspecies; sp++) {
        const int want = sp < s->nspecies ? sp : -1;
        am_vpop *p;
        am_status st = am_voronoi_population(s, v, want, &p);
        if (st) { if (fp) fclose(fp); return cli_report(verb.name, st); }
        if (json)
            cli_json_printf(stdout, "%s{\"species\": \"%s\", \"atoms\": %zu, \"polyhedra\": %zu, \"entropy\": %.10g, \"top\": [", sp ? ", " : "",
                   species_label(s, want), p->natoms, p->n, p->entropy);
        else if (text)
            printf("  %-4s %7zu atoms %5zu polyhedra  H = %.4f  e^H = %.2f\n", species_label(s, want), p->natoms, p->n,
                   p->entropy, exp(p->entropy));
        for (size_t k = 0; k < p->n; k++) {
            const am_vpop_entry *e = &p->entry[k];
            if (fp) {
                fprintf(fp, "%s", species_label(s, want));
                for (int j = 0; j < 8; j++) fprintf(fp, ",%d", e->index[j]);
                fprintf(fp, ",%zu,%.10g\n", e->count, e->fraction);
            }
            if ((long)k >= top) continue;
            char buf[64];
            fmt_index(buf, sizeof buf, e->index);
            if (json) cli_json_printf(stdout, "%s{\"index\": \"%s\", \"count\": %zu, \"fraction\": %.10g}", k ? ", " : "", buf, e->count, e->fraction);
            else if (text) printf("       %-18s %6.2f %%  (%zu)\n", buf, 100.0 * e->fraction, e->count);
        }
        if (json) cli_json_printf(stdout, "]}");
        am_vpop_free(p);
    }
    if (json) cli_json_printf(stdout, "]");
    if (fp && fclose(fp) != 0) { fprintf(stderr, "amorph describe: cannot write %s\n", path); return 1; }
    return 0;
}

static void print_s2(const s2_summary *sum, int json)
{
    if (!sum->have_sample) return;
    if (json) {
        cli_json_printf(stdout, ", \"s2_sample\": {\"cutoffs\": [");
        for (int c = 0; c < sum->ncut; c++) printf("%s%.10g", c ? ", " : "", sum->rc[c]);
        printf("], \"s2\": [");
        for (int c = 0; c < sum->ncut; c++) printf("%s%.10g", c ? ", " : "", sum->sample[c]);
        printf("]}");
        return;
    }
    printf("\nsample S2 (k_B per atom, from the atom-averaged partial g)\n");
    for (int c = 0; c < sum->ncut; c++) printf("  rc %6.2f %s  %10.5f\n", sum->rc[c], units->length, sum->sample[c]);
}

int cmd_describe(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    if (cli_given(&verb, "potential")) {
        fprintf(stderr, "amorph describe: -p/--potential: describe needs no potential (its descriptors come from the "
                        "positions alone); leave it out\n");
        return 2;
    }
    if (!(units = am_units_of(cli_get(&verb, "units")))) {
        fprintf(stderr, "amorph describe: --units expects metal or lj, got '%s'\n", cli_get(&verb, "units"));
        return 2;
    }
    if ((rc = cli_apply_units(&verb, units))) return rc;
    cli_remove_stale_outputs(&verb, cli_flag(&verb, "quiet"));
    int want_v = cli_flag(&verb, "voronoi"), want_q = cli_flag(&verb, "steinhardt"), want_s = cli_flag(&verb, "s2");
    const int want_a = cli_flag(&verb, "acsf"), want_i = cli_flag(&verb, "interstices");
    if (!want_v && !want_q && !want_s && !want_a && !want_i) want_v = want_q = want_s = 1;
    const int json = cli_flag(&verb, "json"), text = !json && !cli_flag(&verb, "quiet");
    am_system *s = NULL;
    double tm[6] = {0}, t0 = omp_get_wtime(); /* read, voronoi, steinhardt, s2, acsf, interstices: seconds */
    if ((rc = cli_load_conf(&verb, pos[0], &s))) return rc;
    tm[0] = omp_get_wtime() - t0;
    table t = {0};
    am_voronoi *v = NULL;
    double *radii = NULL;
    s2_summary sum = {0};
    progress bar;
    progress_start(&bar, "describe", want_v + want_q + want_s + want_a + want_i, cli_flag(&verb, "quiet"));
    long done = 0;
    /* Steinhardt with Voronoi neighbours needs the tessellation even when
     * its columns are not asked for */
    const char *qn = cli_get(&verb, "q-neighbors");
    const int need_v =
        want_v || want_i || (want_q && (strcmp(qn, "voronoi") == 0 || strcmp(qn, "voronoi-weighted") == 0));
    t0 = omp_get_wtime();
    if (need_v && (rc = run_voronoi(s, want_v ? &t : NULL, &v, &radii))) goto done;
    if (want_v) progress_update(&bar, ++done);
    tm[1] = omp_get_wtime() - t0;
    if (want_q && (rc = run_steinhardt(s, v, &t))) goto done;
    if (want_q) progress_update(&bar, ++done);
    tm[2] = omp_get_wtime() - t0 - tm[1];
    if (want_s && (rc = run_s2(s, &t, &sum))) goto done;
    if (want_s) progress_update(&bar, ++done);
    tm[3] = omp_get_wtime() - t0 - tm[1] - tm[2];
    if (want_a && (rc = run_acsf(s, &t))) goto done;
    if (want_a) progress_update(&bar, ++done);
    tm[4] = omp_get_wtime() - t0 - tm[1] - tm[2] - tm[3];
    if (want_i && (rc = run_interstices(s, v, radii, &t))) goto done;
    progress_end(&bar);
    tm[5] = omp_get_wtime() - t0 - tm[1] - tm[2] - tm[3] - tm[4];

    /* which tessellation the Voronoi columns come from, for the summary and
     * the extended XYZ header (ASE reads it as atoms.info) */
    char info[1024] = "";
    if (radii) {
        size_t used = (size_t)snprintf(info, sizeof info, "voronoi_radii=\"");
        for (int k = 0; k < s->nspecies && used < sizeof info; k++)
            used += (size_t)snprintf(info + used, sizeof info - used, "%s%s:%.10g", k ? " " : "", s->species[k].name,
                                     radii[k]);
        if (used < sizeof info) snprintf(info + used, sizeof info - used, "\"");
    }
    if (json) cli_json_printf(stdout, "{\"atoms\": %zu, \"volume\": %.10g", s->n, am_box_volume(&s->box));
    else if (text) printf("atoms %zu, volume %.4f %s\n", s->n, am_box_volume(&s->box), units->volume);
    if (radii && json) {
        cli_json_printf(stdout, ", \"voronoi_radii\": {");
        for (int k = 0; k < s->nspecies; k++) {
            cli_json_printf(stdout, "%s", k ? ", " : "");
            cli_json_str(stdout, s->species[k].name);
            cli_json_printf(stdout, ": %.10g", radii[k]);
        }
        cli_json_printf(stdout, "}");
    } else if (radii && text) {
        printf("radical Voronoi tessellation, radii (%s):", units->length);
        for (int k = 0; k < s->nspecies; k++) printf(" %s %.4g", s->species[k].name, radii[k]);
        printf("\n");
    }
    if (want_v && (rc = print_populations(s, v, json, text))) goto done;
    if (json || text) {
        print_means(s, &t, json);
        print_s2(&sum, json);
    }
    if (json) {
        cli_json_printf(stdout,
                        ", \"seconds\": {\"read\": %.4f, \"voronoi\": %.4f, \"steinhardt\": %.4f, \"s2\": %.4f, "
                        "\"acsf\": %.4f, \"interstices\": %.4f}, ",
                        tm[0], tm[1], tm[2], tm[3], tm[4], tm[5]);
        cli_units_json(stdout, units);
        fputs("}\n", stdout);
    } else if (text) {
        printf("\ntime: read %.2f s, Voronoi %.2f s, Steinhardt %.2f s, S2 %.2f s", tm[0], tm[1], tm[2], tm[3]);
        if (want_a) printf(", symmetry functions %.2f s", tm[4]);
        if (want_i) printf(", interstices %.2f s", tm[5]);
        printf("\n");
    }
    const char *out = cli_get(&verb, "output"), *csv = cli_get(&verb, "csv");
    am_status st;
    /* positions alone have no units: the table states them only when told */
    char both[sizeof info + 32];
    snprintf(both, sizeof both, "%s%s%s%s", cli_given(&verb, "units") ? "units=" : "",
             cli_given(&verb, "units") ? units->style : "", cli_given(&verb, "units") && info[0] ? " " : "", info);
    if (out && (st = cli_write_atoms(out, s, t.col, t.n, both[0] ? both : NULL))) {
        rc = cli_report(verb.name, st);
        goto done;
    }
    if (csv && (st = am_write_csv(csv, s, t.col, t.n))) { rc = cli_report(verb.name, st); goto done; }
done:
    table_free(&t);
    am_voronoi_free(v);
    free(radii);
    free(sum.rc);
    free(sum.sample);
    am_system_free(s);
    return rc;
}
