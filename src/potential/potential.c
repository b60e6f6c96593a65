#include "potential/eam.h"
#include "core/error.h"
#include "core/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static am_eam_style style_from_path(const char *path)
{
    if (ends_with(path, ".fs")) return AM_EAM_FS;
    if (ends_with(path, ".alloy") || ends_with(path, ".setfl")) return AM_EAM_SETFL;
    if (ends_with(path, ".eam")) return AM_EAM_FUNCFL;
    return AM_EAM_AUTO;
}

static am_status read_funcfl_list(const char *list, am_potential *p)
{
    eam_funcfl files[AM_MAX_SPECIES];
    int nf = 0;
    am_status st = AM_OK;
    const char *s = list;
    while (*s && !st) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char path[4096];
        if (len == 0 || len >= sizeof path) { st = am_fail(AM_ERR_VALUE, "potential: bad file list '%s'", list); break; }
        if (nf == AM_MAX_SPECIES) { st = am_fail(AM_ERR_VALUE, "potential: more than %d funcfl files in '%s'", AM_MAX_SPECIES, list); break; }
        memcpy(path, s, len);
        path[len] = '\0';
        st = eam_read_funcfl(path, &files[nf], p->el[nf]);
        if (st) break;
        p->mass[nf] = files[nf].mass;
        nf++;
        for (int j = 0; j < nf - 1 && !st; j++)
            if (strcmp(p->el[nf - 1], p->el[j]) == 0)
                st = am_fail(AM_ERR_VALUE, "%s: element %s is also the element of an earlier funcfl file in '%s'", path,
                             p->el[j], list);
        s = comma ? comma + 1 : s + len;
    }
    if (!st && nf == 0) st = am_fail(AM_ERR_VALUE, "potential: no file given");
    if (!st) {
        p->nel = nf;
        st = eam_tables_from_funcfl(&p->t, files, nf);
    }
    for (int i = 0; i < nf; i++) eam_funcfl_free(&files[i]);
    return st;
}

am_status am_potential_read(const char *path, am_eam_style style, am_potential **out)
{
    *out = NULL;
    if (!path || !*path) return am_fail(AM_ERR_VALUE, "potential: no file name given");
    if (style == AM_EAM_AUTO) {
        const char *comma = strchr(path, ',');
        char first[4096];
        snprintf(first, sizeof first, "%.*s", comma ? (int)(comma - path) : (int)strlen(path), path);
        style = style_from_path(first);
        if (style == AM_EAM_AUTO)
            return am_fail(AM_ERR_VALUE,
                           "%s: cannot tell the EAM format from the name; expected *.eam (funcfl), "
                           "*.eam.alloy or *.setfl (setfl), *.eam.fs (Finnis-Sinclair), or give the style",
                           first);
    }
    am_potential *p = calloc(1, sizeof *p);
    if (!p) return am_fail(AM_ERR_NOMEM, "out of memory for a potential");
    p->style = style;
    am_status st;
    if (style == AM_EAM_FUNCFL) {
        st = read_funcfl_list(path, p);
    } else {
        eam_setfl f;
        int fs = style == AM_EAM_FS;
        st = eam_read_setfl(path, fs, &f, p->el, p->mass);
        if (!st) {
            p->nel = f.nel;
            st = eam_tables_from_setfl(&p->t, &f, fs);
            eam_setfl_free(&f);
        }
    }
    if (st) { free(p); return st; }
    *out = p;
    return AM_OK;
}

void am_potential_free(am_potential *p)
{
    if (!p) return;
    eam_tables_free(&p->t);
    free(p);
}

int am_potential_nelements(const am_potential *p) { return p->nel; }
const char *am_potential_element(const am_potential *p, int k) { return k >= 0 && k < p->nel ? p->el[k] : NULL; }
double am_potential_mass(const am_potential *p, int k) { return k >= 0 && k < p->nel ? p->mass[k] : 0.0; }
double am_potential_cutoff(const am_potential *p) { return p->t.cut; }
am_eam_style am_potential_style(const am_potential *p) { return p->style; }

void am_pressure_from_virial(const double virial[6], double volume, double p[6])
{
    for (int k = 0; k < 6; k++) p[k] = virial[k] / volume * AM_EV_A3_TO_BAR;
}

uint64_t am_potential_hash(const am_potential *p)
{
    am_hash h;
    am_hash_init(&h, "amorph potential");
    const eam_tables *t = &p->t;
    am_hash_i64(&h, p->style);
    am_hash_i64(&h, p->nel);
    for (int k = 0; k < p->nel; k++) {
        am_hash_str(&h, p->el[k]);
        am_hash_f64(&h, p->mass[k]);
        am_hash_i64(&h, t->elem2frho[k]);
        for (int j = 0; j < p->nel; j++) {
            am_hash_i64(&h, t->elem2rhor[k][j]);
            am_hash_i64(&h, t->elem2z2r[k][j]);
        }
    }
    const double grid[] = {t->nrho, t->nr, t->drho, t->dr, t->rhomax, t->cut};
    am_hash_f64s(&h, grid, sizeof grid / sizeof grid[0]);
    /* the splines are a function of the tabulated values, and hold them */
    am_hash_f64s(&h, t->frho_spline, (size_t)t->nfrho * (size_t)t->nrho * 7);
    am_hash_f64s(&h, t->rhor_spline, (size_t)t->nrhor * (size_t)t->nr * 7);
    am_hash_f64s(&h, t->z2r_spline, (size_t)t->nz2r * (size_t)t->nr * 7);
    return am_hash_final(&h);
}
