/* Reading a cooling curve written by `amorph quench` (T,V,E per line). */
#include "amorph/quench.h"
#include "core/error.h"
#include "io/lineread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The column line per unit style; the reader takes any of them (the
 * comment line above says which units, docs/dynamics.md). */
static const struct {
    const char *style, *header;
} headers[] = {
    {"metal", "T_K,V_A3_per_atom,E_eV_per_atom"},
    {"lj", "T_epsilon_per_kB,V_sigma3_per_atom,E_epsilon_per_atom"},
};
#define HEADER headers[0].header

const char *am_cooling_curve_header(const am_units *u)
{
    for (size_t k = 0; k < sizeof headers / sizeof *headers; k++)
        if (strcmp(headers[k].style, u->style) == 0) return headers[k].header;
    return HEADER;
}

static int is_header(const char *line)
{
    for (size_t k = 0; k < sizeof headers / sizeof *headers; k++)
        if (strcmp(line, headers[k].header) == 0) return 1;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
    *e = '\0';
    return s;
}

/* Splits "T,V,E" in place into three finite numbers; 0 if the line is not that. */
static int parse_row(char *line, am_cooling_point *p)
{
    double x[3];
    char *f = line;
    for (int k = 0; k < 3; k++) {
        char *comma = strchr(f, ',');
        if ((k < 2) != (comma != NULL)) return 0;
        if (comma) *comma = '\0';
        if (!am_io_parse_double(trim(f), &x[k])) return 0;
        if (comma) f = comma + 1;
    }
    p->t = x[0];
    p->v = x[1];
    p->e = x[2];
    return 1;
}

am_status am_cooling_curve_read(const char *path, am_cooling_point **c, size_t *n)
{
    *c = NULL;
    *n = 0;
    am_io_lr r;
    am_status st = am_io_lr_open(&r, path);
    if (st) return st;
    am_cooling_point *pts = NULL;
    size_t np = 0, cap = 0;
    int got, first = 1;
    char copy[128];
    while (!(st = am_io_lr_next(&r, &got)) && got) {
        char *line = trim(r.buf);
        if (!*line || *line == '#') continue;
        const int may_be_header = first;
        first = 0;
        if (may_be_header && is_header(line)) continue;
        /* the line is split in place: keep its start for the message */
        snprintf(copy, sizeof copy, "%s", line);
        am_cooling_point p;
        if (!parse_row(line, &p)) {
            if (!may_be_header)
                st = am_io_lr_fail(&r, AM_ERR_PARSE, copy,
                                   "expected a cooling-curve point T,V,E (three finite numbers separated by commas)");
            else
                st = am_io_lr_fail(&r, AM_ERR_PARSE, copy,
                                   "expected the header %s or a point T,V,E (three finite numbers separated by commas)",
                                   HEADER);
            break;
        }
        if (np == cap) {
            size_t nc = cap ? 2 * cap : 256;
            am_cooling_point *q = realloc(pts, nc * sizeof *q);
            if (!q) { st = am_fail(AM_ERR_NOMEM, "%s:%ld: out of memory", path, r.line); break; }
            pts = q;
            cap = nc;
        }
        pts[np++] = p;
    }
    if (!st && np == 0)
        st = am_io_fail(AM_ERR_PARSE, path, 0, NULL,
                        "expected cooling-curve points T,V,E after the comments and the header %s, found none", HEADER);
    am_io_lr_close(&r);
    if (st) { free(pts); return st; }
    *c = pts;
    *n = np;
    return AM_OK;
}
