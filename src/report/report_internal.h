/* Internal: the shared state of the report's stages. Each stage (one file
 * each: correlations, spectra, spatial correlation, neighbourhood averages,
 * viscosity) computes from the joined per-atom table, writes its data files
 * and gnuplot scripts into the report directory, appends its section to the
 * README and its numbers to summary.json, and draws its figures. */
#ifndef AM_REPORT_INTERNAL_H
#define AM_REPORT_INTERNAL_H

#include "amorph/amorph.h"
#include "amorph/analysis.h"
#include "amorph/report.h"
#include "core/error.h"
#include "report/json.h"

#include <stdio.h>

#define RP_MAXSEL (AM_MAX_SPECIES + 1)

/* The unit system of the report's input (am_report_options.units), as the
 * README and figures name it. */
typedef struct rp_units {
    const char *style;
    const char *length, *area, *volume, *energy, *temperature, *viscosity; /* UTF-8 */
    double boltz;           /* k_B in energy per temperature unit */
    double scale;           /* built-in lengths (given in Å) times this are the unit's */
    double log10_eta_solid; /* solid-like above this log10 η (in viscosity) */
} rp_units;
/* NULL for a style the report does not know (NULL style: metal). */
const rp_units *rp_units_of(const char *style);

/* One scalar descriptor: a column, or one component of a column. */
typedef struct rp_desc {
    char name[80];
    const double *v; /* n values (owned by the analysis: d_store) */
    const unsigned char *has; /* n: 1 where v is finite; NULL when every value is (owned: has_store) */
    size_t dropped;  /* values left out as the atom hopped (am_report_options.drop_hopped) */
} rp_desc;

typedef struct rp_ctx {
    const char *dir;         /* report directory */
    const am_report_options *o;
    const rp_units *un;      /* units of the input */
    const am_system *s;
    const am_table *t;
    const char *prop;        /* property column name */
    double *p;               /* n property values (NaN where the atom has none) */
    unsigned char *valid;    /* 1 where the property is known */
    int nsel;                /* selections: 0 = all atoms with the property, then one per species */
    char selname[RP_MAXSEL][AM_NAME_LEN];
    unsigned char *sel[RP_MAXSEL];
    size_t selcount[RP_MAXSEL];
    int nd;
    rp_desc *d;
    double *d_store;         /* nd*n descriptor values */
    unsigned char *has_store; /* nd*n: which of them are finite (rp_desc.has) */
    am_corr *corr;           /* nsel*nd: corr[k*nd + j] of descriptor j in selection k */
    am_corrlength *fit;      /* nd+1 correlation lengths (the last: the property) */
    int *fit_ok;             /* 1 where a length is supported and resolved */
    double rshell;           /* end of the first shell, Å (first minimum of g(r)) */
    /* options, checked */
    am_corr_options co;
    am_autocorr_options aco; /* the noise window follows the units */
    am_autocorr_pairs *pairs; /* every atom's pairs to rmax, shared by the columns' C(r) (rp_spatial) */
    double rmax, dr, fit_max, temperature, eta0, slab, sigma;
    const double *radii;
    int nradii, nbins;
    int figures_ok, auto_group;
    FILE *md, *json;         /* README.md and summary.json being written */
    int nflags;              /* quality flags raised so far (listed in summary.json) */
    char (*flags)[320];
} rp_ctx;

/* The stages, in report order. */
am_status rp_correlations(rp_ctx *c);
am_status rp_spectra(rp_ctx *c);
am_status rp_spatial(rp_ctx *c);
am_status rp_neighborhood(rp_ctx *c);
am_status rp_viscosity(rp_ctx *c);

/* Helpers shared by the stages. */
FILE *rp_open(const rp_ctx *c, const char *file);          /* a file in the report directory, or NULL (AM_ERR_IO set) */
am_status rp_close(const rp_ctx *c, FILE *f, const char *file);
void rp_warn(const rp_ctx *c, const char *fmt, ...) AM_PRINTF(2, 3); /* to the caller's warning callback */
/* A quality flag: a warning printed in the README next to the number it
 * concerns (as a quoted "Caution" line) and listed in summary.json. */
void rp_flag(rp_ctx *c, const char *fmt, ...) AM_PRINTF(2, 3);
/* Opens figure NAME's script (NAME.gp) with its terminal preamble for a
 * canvas of width × height (in units of the SVG's pixels; the PNG is drawn
 * at least 1600 pixels wide), or NULL. */
FILE *rp_figure(const rp_ctx *c, const char *name, int width, int height);
/* Closes the script, draws it (a failure is a warning) and links it from the README. */
am_status rp_figure_end(rp_ctx *c, FILE *gp, const char *name, const char *caption);
/* qsort comparator of doubles, ascending. */
int rp_cmp_double(const void *a, const void *b);
int rp_species_sel(const rp_ctx *c, int k);              /* selection k is one species (not "all") */
/* Human name of a column with its unit, for axes and tables ("Voronoi
 * volume (Å³)"); unknown names are returned as they are. */
void rp_label(const rp_units *u, const char *name, char *out, size_t len);
/* The same without the unit, and the unit alone ("" when none). */
void rp_label_parts(const rp_units *u, const char *name, char *label, size_t llen, char *unit, size_t ulen);
/* The human name alone, for "r with …" (a correlation has no unit). */
void rp_name(const rp_units *u, const char *name, char *out, size_t len);
/* The number in a column name's parameter, such as the cutoff after s2_rc:
 * amorph writes its decimal point as p (s2_rc4p5), tables written before
 * that have a dot (s2_rc4.5); both read 4.5. Parsing stops at the first
 * character that is not part of the number. */
double rp_name_number(const char *s);
/* With drop_hopped, for a vMSD column (vmsd_TAG or a component vmsd_TAG_x):
 * mask[i] = 0 where hopped_TAG is not 0, else 1, and the count of zeros in
 * *dropped (unless NULL); returns 1. Returns 0 (mask untouched) for other columns or
 * without the option, and AM_ERR_VALUE's -1 (message set) for a vMSD column
 * without its hopped_TAG column. */
int rp_hopped_mask(const rp_ctx *c, const char *name, unsigned char *mask, size_t *dropped);
/* Index of a descriptor by name, or -1. */
int rp_find_desc(const rp_ctx *c, const char *name);
/* Values of descriptor j (or of the property when j < 0) over selection k,
 * packed into x (and the property into y); returns the count. Atoms without
 * a finite value of the descriptor are left out. */
size_t rp_gather(const rp_ctx *c, int k, int j, double *x, double *y);
/* Descriptors a figure should show: the paper's five short-range ones, the
 * first vMSD, the S2 with the largest cutoff, participation, as present. */
int rp_featured(const rp_ctx *c, int *idx, int max, int short_range_only);
/* gnuplot colour of series k (a colour-blind-safe palette). */
const char *rp_color(int k);
/* A tic step (1, 2 or 5 × 10^k) giving at most `most` intervals over [lo, hi]. */
double rp_tic_step(double lo, double hi, int most);
/* Ends a multiplot whose last cell holds only the legend: titles[0..n-1]
 * drawn as lines with points in the colours rp_color(0..n-1). */
void rp_legend_cell(FILE *gp, int n, char (*titles)[200]);

#endif
