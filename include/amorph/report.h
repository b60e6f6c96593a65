/* amorph — figures for reports.
 *
 * Figures are gnuplot scripts kept next to their data, so a reader can
 * restyle one and redraw it with `gnuplot -e "fmt='svg'" NAME.gp`. The
 * scripts written by amorph start with am_plot_preamble(), which picks the
 * terminal from the variable fmt ("png" by default, or "svg") and names the
 * output NAME.png / NAME.svg next to the script. */
#ifndef AMORPH_REPORT_H
#define AMORPH_REPORT_H

#include <stdio.h>
#include "amorph/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the terminal/output lines of figure `name` (width × height pixels
 * for PNG; SVG keeps the same aspect) to a script being written. */
void am_plot_preamble(FILE *gp, const char *name, int width, int height);

/* Runs gnuplot on dir/name.gp in directory dir, once per format (PNG and
 * SVG). AM_ERR_UNSUPPORTED when gnuplot is not installed, AM_ERR_IO when it
 * fails (its first error line is in the message). */
am_status am_plot_render(const char *dir, const char *name);

#ifdef __cplusplus
}
#endif
#endif
