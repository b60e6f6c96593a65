/* amorph — figures for reports.
 *
 * Figures are gnuplot scripts kept next to their data, so a reader can
 * restyle one and redraw it with `gnuplot -e "fmt='svg'" NAME.gp`. The
 * scripts written by amorph start with am_plot_preamble(), which picks the
 * terminal from the variable fmt ("png" by default, or "svg") and names the
 * output NAME.png / NAME.svg next to the script. */
#ifndef AMORPH_REPORT_H
#define AMORPH_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "amorph/status.h"
#include "amorph/system.h"
#include "amorph/io.h"
#include "amorph/potential.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the terminal/output lines of figure `name` to a script being
 * written: an SVG of width × height pixels, and a PNG of the same layout
 * scaled to at least 1600 pixels wide (twice the size from 800 up). */
AM_API void am_plot_preamble(FILE *gp, const char *name, int width, int height);

/* Runs gnuplot on dir/name.gp in directory dir, once per format (PNG and
 * SVG). AM_ERR_UNSUPPORTED when gnuplot is not installed, AM_ERR_IO when it
 * fails (its first error line is in the message). */
AM_API am_status am_plot_render(const char *dir, const char *name);

/* The structure–property report (`amorph analyze`): every descriptor column
 * of a per-atom table against one property column, per species and for all
 * atoms. Writes into a directory: README.md, index.html (the same report for
 * a browser), summary.json (every number), and each figure as NAME.gp with
 * its data, drawn to NAME.png and NAME.svg. docs/report.md explains each
 * section and docs/analysis.md the statistics. */
typedef struct am_report_options {
    const char *units;        /* LAMMPS unit style of the tables: "metal" (NULL) or "lj"; names the units
                               * and picks the defaults (am_report_defaults_units). Below: metal's */
    const char *property;     /* property column ("ea_mean") */
    const char *valid;        /* column whose 0 marks atoms without a property value
                               * (NULL: ea_count for ea_* properties, else none) */
    const char *descriptors;  /* comma-separated columns to test (NULL: every other column) */
    const char *exclude;      /* columns that are not descriptors; a trailing * matches any
                               * ending ("ea_*,searches,hopped_*,forces") */
    size_t group;             /* coarse-graining group, atoms (0: auto, the paper's 100 when
                               * every species has 800 atoms with the property, else an
                               * eighth of the smallest species, at least 5 where it has
                               * 15 atoms and at least 2) */
    int nboot;                /* bootstrap resamples of the 95 % intervals (1000) */
    unsigned long seed;       /* bootstrap seed (1) */
    double rmax, dr;          /* spatial autocorrelation range and bin, Å (15, 0.25) */
    double fit_max;           /* cap of the correlation-length fit, Å (0: none) */
    double temperature;       /* of the viscosity map, K (300) */
    double eta0;              /* viscosity prefactor η0, Pa·s (1e-4) */
    double slab;              /* viscosity-map slab thickness, Å (0: 6 Å, or the whole box
                               * when under half the atoms have the property) */
    double sigma;             /* viscosity-map Gaussian width, Å (2) */
    const double *radii;      /* neighbourhood-average radii, Å (NULL: 3.5, 5, 7, 10) */
    int nradii;
    int nbins;                /* bins of the property spectra (30) */
    int figures;              /* 1: draw the figures with gnuplot (1) */
    int drop_hopped;          /* 1: leave the atoms that left their basin in a vMSD run (hopped_TAG not 0)
                               * out of that run's columns vmsd_TAG and vmsd_TAG_x/_y/_z, in every
                               * statistic; 0: keep them (0). Their vMSD measures a jump, not a
                               * vibration (docs/analysis.md, "Atoms that hop") */
    const char *const *inputs;/* file names shown as the report's inputs (may be NULL) */
    int ninputs;
    const char *command;      /* the command that made the report, shown in it (may be NULL) */
    /* Called at the start of each stage (may be NULL). */
    void (*progress)(const char *stage, void *arg);
    /* Called for what does not stop the report: a figure gnuplot could not
     * draw, a statistic that could not be computed (may be NULL). */
    void (*warning)(const char *message, void *arg);
    void *arg;
} am_report_options;

AM_API void am_report_defaults(am_report_options *o);
/* The defaults for tables in units u (NULL: metal), units set: in lj, rmax 6,
 * dr 0.1, radii 1.4, 2, 2.8, 4, sigma 0.8 (σ), T 0.2 (ε/k_B), η0 1 (ε·τ/σ³). */
AM_API void am_report_defaults_units(am_report_options *o, const am_units *u);

/* Writes the report of table t (over system s: positions, species, box)
 * into directory dir (created if missing; the files are replaced whole, so
 * an interrupted run never leaves a half-written README.md or summary.json).
 * AM_ERR_VALUE for a property or descriptor that is missing, fewer than 3
 * atoms with the property, or fewer than three groups per selection. */
AM_API am_status am_report_analyze(const am_system *s, const am_table *t, const am_report_options *o, const char *dir);

/* Renders the Markdown subset the report writes (headings, paragraphs,
 * pipe tables, images, lists, `code`, *emphasis*, **strong**, fenced code)
 * as a self-contained HTML page titled `title`. */
AM_API am_status am_report_html(const char *markdown_path, const char *html_path, const char *title);

#ifdef __cplusplus
}
#endif
#endif
