/* The EAM kinds' model: reading a file (or a funcfl list) into tables on
 * one grid, its cutoff and its hash. */
#include "potential/eam.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

static am_status read_funcfl_list(const char *list, am_potential *p, eam_tables *t)
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
        st = eam_tables_from_funcfl(t, files, nf);
    }
    for (int i = 0; i < nf; i++) eam_funcfl_free(&files[i]);
    return st;
}

static am_status read_setfl(const char *path, int fs, am_potential *p, eam_tables *t)
{
    eam_setfl f;
    am_status st = eam_read_setfl(path, fs, &f, p->el, p->mass);
    if (st) return st;
    p->nel = f.nel;
    st = eam_tables_from_setfl(t, &f, fs);
    eam_setfl_free(&f);
    return st;
}

/* The tables become the model only once they are complete. */
static am_status read_kind(const char *path, am_eam_style style, am_potential *p)
{
    eam_tables *t = calloc(1, sizeof *t);
    if (!t) return am_fail(AM_ERR_NOMEM, "out of memory for a potential");
    am_status st = style == AM_EAM_FUNCFL ? read_funcfl_list(path, p, t) : read_setfl(path, style == AM_EAM_FS, p, t);
    if (st) {
        free(t);
        return st;
    }
    p->model = t;
    return AM_OK;
}

am_status eam_read_funcfl_kind(const char *path, am_potential *p) { return read_kind(path, AM_EAM_FUNCFL, p); }
am_status eam_read_setfl_kind(const char *path, am_potential *p) { return read_kind(path, AM_EAM_SETFL, p); }
am_status eam_read_fs_kind(const char *path, am_potential *p) { return read_kind(path, AM_EAM_FS, p); }

void eam_model_free(void *model)
{
    eam_tables_free(model);
    free(model);
}

double eam_cutoff(const am_potential *p) { return eam_model(p)->cut; }

/* The order of the fields is that of every hash amorph has recorded for an
 * EAM potential (checkpoints, event logs): changing it would refuse them. */
void eam_hash(const am_potential *p, am_hash *h)
{
    const eam_tables *t = eam_model(p);
    am_hash_i64(h, p->type->style);
    am_hash_i64(h, p->nel);
    for (int k = 0; k < p->nel; k++) {
        am_hash_str(h, p->el[k]);
        am_hash_f64(h, p->mass[k]);
        am_hash_i64(h, t->elem2frho[k]);
        for (int j = 0; j < p->nel; j++) {
            am_hash_i64(h, t->elem2rhor[k][j]);
            am_hash_i64(h, t->elem2z2r[k][j]);
        }
    }
    const double grid[] = {t->nrho, t->nr, t->drho, t->dr, t->rhomax, t->cut};
    am_hash_f64s(h, grid, sizeof grid / sizeof grid[0]);
    /* the splines are a function of the tabulated values, and hold them */
    am_hash_f64s(h, t->frho_spline, (size_t)t->nfrho * (size_t)t->nrho * 7);
    am_hash_f64s(h, t->rhor_spline, (size_t)t->nrhor * (size_t)t->nr * 7);
    am_hash_f64s(h, t->z2r_spline, (size_t)t->nz2r * (size_t)t->nr * 7);
}
