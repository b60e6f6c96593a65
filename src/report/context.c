/* Helpers the report's stages share: files in the report directory,
 * figures, warnings and quality flags, selections. */
#include "report_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

FILE *rp_open(const rp_ctx *c, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", c->dir, file);
    FILE *f = fopen(path, "w");
    if (!f) am_fail(AM_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    return f;
}

am_status rp_close(const rp_ctx *c, FILE *f, const char *file)
{
    if (fclose(f) == 0) return AM_OK;
    return am_fail(AM_ERR_IO, "error writing %s/%s", c->dir, file);
}

void rp_warn(const rp_ctx *c, const char *fmt, ...)
{
    if (!c->o->warning) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->o->warning(msg, c->o->arg);
}

void rp_flag(rp_ctx *c, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(c->md, "\n> **Caution:** %s\n", msg);
    /* the JSON list is written at the end; a failed allocation only loses the copy */
    void *grown = realloc(c->flags, (size_t)(c->nflags + 1) * sizeof *c->flags);
    if (!grown) return;
    c->flags = grown;
    memcpy(c->flags[c->nflags++], msg, sizeof msg);
}

FILE *rp_figure(const rp_ctx *c, const char *name, int width, int height)
{
    char file[256];
    snprintf(file, sizeof file, "%s.gp", name);
    FILE *gp = rp_open(c, file);
    if (gp) am_plot_preamble(gp, name, width, height);
    return gp;
}

am_status rp_figure_end(rp_ctx *c, FILE *gp, const char *name, const char *caption)
{
    char file[256];
    snprintf(file, sizeof file, "%s.gp", name);
    am_status st = rp_close(c, gp, file);
    if (st) return st;
    if (c->figures_ok) {
        st = am_plot_render(c->dir, name);
        if (st) {
            rp_warn(c, "%s", am_error_message());
            if (st == AM_ERR_UNSUPPORTED) c->figures_ok = 0;
        }
    }
    fprintf(c->md, "\n![%s](%s.png)\n", caption, name);
    return AM_OK;
}

int rp_cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int rp_species_sel(const rp_ctx *c, int k) { return k > 0 || c->nsel == 1; }

int rp_find_desc(const rp_ctx *c, const char *name)
{
    for (int j = 0; j < c->nd; j++)
        if (strcmp(c->d[j].name, name) == 0) return j;
    return -1;
}

int rp_hopped_mask(const rp_ctx *c, const char *name, unsigned char *mask, size_t *dropped)
{
    if (!c->o->drop_hopped || strncmp(name, "vmsd_", 5) != 0) return 0;
    /* vibrate names a run's columns by its temperature tag: vmsd_300K, vmsd_300K_x, hopped_300K */
    const char *tag = name + 5;
    char hop[80]; /* column names hold at most 63 characters */
    snprintf(hop, sizeof hop, "hopped_%.*s", (int)strcspn(tag, "_"), tag);
    const int h = am_table_find(c->t, hop);
    if (h < 0 || c->t->col[h].ncomp != 1) {
        am_fail(AM_ERR_VALUE, "leaving hopped atoms out of '%s' needs the column '%s' of amorph vibrate (a run with "
                              "--quenches 0 has none)", name, hop);
        return -1;
    }
    size_t left = 0;
    for (size_t i = 0; i < c->s->n; i++) {
        mask[i] = c->t->col[h].v[i] == 0.0;
        left += !mask[i];
    }
    if (dropped) *dropped = left;
    return 1;
}

size_t rp_gather(const rp_ctx *c, int k, int j, double *x, double *y)
{
    const unsigned char *has = j >= 0 ? c->d[j].has : NULL;
    size_t m = 0;
    for (size_t i = 0; i < c->s->n; i++)
        if (c->sel[k][i] && (!has || has[i])) {
            if (x) x[m] = j < 0 ? c->p[i] : c->d[j].v[i];
            if (y) y[m] = c->p[i];
            m++;
        }
    return m;
}

int rp_featured(const rp_ctx *c, int *idx, int max, int short_range_only)
{
    static const char *const paper[] = {"voro_vol", "cn", "q6", "l5fs", "l6fs"};
    int m = 0;
    for (int k = 0; k < 5 && m < max; k++) {
        int j = rp_find_desc(c, paper[k]);
        if (j >= 0) idx[m++] = j;
    }
    if (short_range_only) return m;
    int vmsd = -1, s2 = -1, part = rp_find_desc(c, "participation");
    double s2cut = -1;
    for (int j = 0; j < c->nd; j++) {
        const char *nm = c->d[j].name;
        if (vmsd < 0 && strncmp(nm, "vmsd_", 5) == 0 && !strchr(nm + 5, '_')) vmsd = j;
        if (strncmp(nm, "s2_rc", 5) == 0 && rp_name_number(nm + 5) > s2cut) s2cut = rp_name_number(nm + 5), s2 = j;
    }
    const int extra[3] = {vmsd, s2, part};
    for (int k = 0; k < 3 && m < max; k++)
        if (extra[k] >= 0) idx[m++] = extra[k];
    return m;
}

const char *rp_color(int k)
{
    /* Okabe–Ito, distinguishable with any colour vision; its yellow, too
     * pale on white, swapped for Tol's wine */
    static const char *const pal[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000", "#882255"};
    return pal[(k % 8 + 8) % 8];
}

void rp_legend_cell(FILE *gp, int n, char (*titles)[200])
{
    /* a blank plot whose only content is its key: the legend takes a cell of
     * its own instead of shrinking one panel or covering data */
    fputs("unset title\nunset xlabel\nunset ylabel\nunset border\nunset tics\nunset arrow\nunset label\n"
          "unset xzeroaxis\nset xrange [0:1]\nset yrange [0:1]\nset key center center vertical reverse Left samplen 3\nplot ", gp);
    for (int k = 0; k < n; k++)
        fprintf(gp, "%s1/0 with linespoints pt 7 lw 2 lc rgb \"%s\" title \"%s\" noenhanced", k ? ", " : "",
                rp_color(k), titles[k]);
    fputs("\nunset multiplot\n", gp);
}

double rp_tic_step(double lo, double hi, int most)
{
    /* 1, 2 or 5 times a power of ten, for at most `most` intervals */
    const double raw = (hi - lo) / (most > 0 ? most : 1);
    if (!(raw > 0) || !isfinite(raw)) return 1;
    const double mag = pow(10, floor(log10(raw)));
    return raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
}
