/* `amorph analyze`: the shared state of its stages. Each stage (one file
 * each: correlations, spectra, spatial correlation, neighbourhood averages,
 * viscosity) computes from the joined per-atom table, writes its data files
 * and gnuplot scripts into the report directory, appends its section to the
 * README and its numbers to summary.json, and draws its figures. */
#ifndef AM_CLI_ANALYZE_H
#define AM_CLI_ANALYZE_H

#include "amorph/amorph.h"
#include "amorph/analysis.h"
#include "amorph/report.h"
#include "common.h"

#include <stdio.h>

#define AN_MAXSEL (AM_MAX_SPECIES + 1)

/* One scalar descriptor: a column, or one component of a column. */
typedef struct an_desc {
    char name[80];
    const double *v; /* n values (owned by the analysis: d_store) */
} an_desc;

typedef struct an_ctx {
    const char *dir;         /* report directory */
    am_system *s;
    am_table *t;
    const char *prop;        /* property column name */
    double *p;               /* n property values (NaN where the atom has none) */
    unsigned char *valid;    /* 1 where the property is known */
    int nsel;                /* selections: 0 = all atoms with the property, then one per species */
    char selname[AN_MAXSEL][AM_NAME_LEN];
    unsigned char *sel[AN_MAXSEL];
    size_t selcount[AN_MAXSEL];
    int nd;
    an_desc *d;
    double *d_store;         /* nd*n descriptor values */
    am_corr *corr;           /* nsel*nd: corr[k*nd + j] of descriptor j in selection k */
    am_expfit *fit;          /* nd+1 correlation-length fits (the last: the property) */
    int *fit_ok;
    /* options */
    am_corr_options co;
    double rmax, dr, fit_max, temperature, eta0, slab, sigma;
    double *radii;
    int nradii, nbins;
    int quiet, figures_ok, auto_group;
    FILE *md, *json;         /* README.md and summary.json being written */
} an_ctx;

/* The stages, in report order. Each returns 0 or an exit status. */
int an_correlations(an_ctx *c);
int an_spectra(an_ctx *c);
int an_spatial(an_ctx *c);
int an_neighborhood(an_ctx *c);
int an_viscosity(an_ctx *c);

/* Helpers shared by the stages. */
FILE *an_open(const an_ctx *c, const char *file);       /* a file in the report directory, or NULL (message printed) */
int an_close(const an_ctx *c, FILE *f, const char *file); /* 0, or 1 on a write error (message printed) */
void an_render(an_ctx *c, const char *name);             /* draws a figure; a failure is a warning */
/* Opens figure NAME's script (NAME.gp) with its terminal preamble, or NULL. */
FILE *an_figure(const an_ctx *c, const char *name, int width, int height);
/* Closes the script, draws it and links it from the README; 0, or 1 on a write error. */
int an_figure_end(an_ctx *c, FILE *gp, const char *name, const char *caption);
/* qsort comparator of doubles, ascending. */
int an_cmp_double(const void *a, const void *b);
/* Writes `, "key": value` (null when not finite). */
void an_json_kv(FILE *f, const char *key, double v);
void an_json_str(FILE *f, const char *s);
int an_species_sel(const an_ctx *c, int k);              /* selection k is one species (not "all") */
/* Axis label with units for a column name ("Voronoi volume (Å³)"). */
void an_axis_label(const char *name, char *out, size_t len);
/* Index of a descriptor by name, or -1. */
int an_find_desc(const an_ctx *c, const char *name);
/* Values of descriptor j (or of the property when j < 0) over selection k,
 * packed into x (and the property into y); returns the count. */
size_t an_gather(const an_ctx *c, int k, int j, double *x, double *y);
/* Descriptors a figure should show: the paper's five short-range ones, the
 * first vMSD, the S2 with the largest cutoff, participation, as present. */
int an_featured(const an_ctx *c, int *idx, int max, int short_range_only);

#endif
