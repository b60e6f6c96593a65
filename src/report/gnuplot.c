/* Drawing figures with gnuplot (Debian gnuplot-nox: pngcairo and svg
 * terminals). gnuplot runs as a child process in the figure's directory, so
 * scripts name their data files relatively and stay valid when the report
 * directory is moved. */
#include "amorph/report.h"
#include "core/error.h"
#include "core/process.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void am_plot_preamble(FILE *gp, const char *name, int width, int height)
{
    /* The PNG is the SVG scaled up, fonts and lines with it, so a slide or
     * a page gets at least 1600 pixels across whatever the canvas. */
    const double scale = width >= 800 ? 2.0 : 1600.0 / (width > 0 ? width : 1);
    fprintf(gp,
            "# Redraw: gnuplot %s.gp (PNG) or gnuplot -e \"fmt='svg'\" %s.gp\n"
            "if (!exists(\"fmt\")) fmt = \"png\"\n"
            "if (fmt eq \"svg\") {\n"
            "    set terminal svg size %d,%d dynamic enhanced font \"Helvetica,14\" background \"white\"\n"
            "} else {\n"
            "    set terminal pngcairo size %d,%d enhanced font \"Helvetica,14\" fontscale %.3g linewidth %.3g "
            "background \"white\"\n"
            "}\n"
            "set output \"%s.\".fmt\n"
            "set encoding utf8\n",
            name, name, width, height, (int)lround(scale * width), (int)lround(scale * height), scale, scale, name);
}

/* One gnuplot run; its standard error goes to errpath for the message. */
static am_status run(const char *dir, const char *name, const char *fmt, const char *errpath)
{
    char script[512], setfmt[64];
    snprintf(script, sizeof script, "%s.gp", name);
    snprintf(setfmt, sizeof setfmt, "fmt='%s'", fmt);
    char *argv[] = {"gnuplot", "-e", setfmt, script, NULL};
    int code = 0;
    am_status st = am_run_program(dir, argv, errpath, &code);
    if (st) return st;
    if (code == 127)
        return am_fail(AM_ERR_UNSUPPORTED, "gnuplot is not installed (Debian package gnuplot-nox); figure "
                                           "scripts are in %s", dir);
    if (code == 0) return AM_OK;
    char line[300] = "";
    FILE *e = fopen(errpath, "r");
    if (e) {
        /* gnuplot's message is the last non-empty line it printed */
        char buf[300];
        while (fgets(buf, sizeof buf, e))
            if (buf[0] != '\n') memcpy(line, buf, sizeof line);
        fclose(e);
        line[strcspn(line, "\n")] = '\0';
    }
    return am_fail(AM_ERR_IO, "%s/%s.gp: gnuplot failed drawing %s: %s", dir, name, fmt, line);
}

am_status am_plot_render(const char *dir, const char *name)
{
    if (!dir || !name) return am_fail(AM_ERR_VALUE, "am_plot_render: no directory or figure name");
    char errpath[1024];
    snprintf(errpath, sizeof errpath, "%s/%s.log", dir, name);
    am_status st = run(dir, name, "png", errpath);
    if (!st) st = run(dir, name, "svg", errpath);
    if (!st) remove(errpath);
    return st;
}
