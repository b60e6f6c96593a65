/* Potentials of any kind: reading by kind, the queries every kind answers
 * the same way, the hash (engine_type.h). */
#include "potential/engine_type.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const am_engine_type *const kinds[] = {&am_eam_funcfl_type, &am_eam_setfl_type, &am_eam_fs_type,
                                              &am_lj_cut_type, &am_lammps_type};

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
    if (ends_with(path, ".lj")) return AM_LJ_CUT;
    return AM_EAM_AUTO;
}

am_status am_potential_read(const char *path, am_eam_style style, am_potential **out)
{
    *out = NULL;
    if (!path || !*path) return am_fail(AM_ERR_VALUE, "potential: no file name given");
    if (style == AM_EAM_AUTO) {
        /* a funcfl list names one file per element: the first decides */
        const char *comma = strchr(path, ',');
        char first[4096];
        snprintf(first, sizeof first, "%.*s", comma ? (int)(comma - path) : (int)strlen(path), path);
        style = style_from_path(first);
        if (style == AM_EAM_AUTO)
            return am_fail(AM_ERR_VALUE,
                           "%s: cannot tell the potential's format from the name; expected *.eam (funcfl), "
                           "*.eam.alloy or *.setfl (setfl), *.eam.fs (Finnis-Sinclair), *.lj (Lennard-Jones), "
                           "or give the style",
                           first);
    }
    const am_engine_type *type = NULL;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (kinds[k]->style == style) type = kinds[k];
    if (!type) return am_fail(AM_ERR_VALUE, "%s: potential style %d is not one amorph knows", path, (int)style);
    am_potential *p = calloc(1, sizeof *p);
    if (!p) return am_fail(AM_ERR_NOMEM, "out of memory for a potential");
    p->type = type;
    p->units = type->units;
    am_status st = type->read(path, p);
    if (st) {
        am_potential_free(p);
        return st;
    }
    *out = p;
    return AM_OK;
}

void am_potential_free(am_potential *p)
{
    if (!p) return;
    if (p->model) p->type->model_free(p->model);
    free(p);
}

int am_potential_nelements(const am_potential *p) { return p->nel; }
const char *am_potential_element(const am_potential *p, int k) { return k >= 0 && k < p->nel ? p->el[k] : NULL; }
double am_potential_mass(const am_potential *p, int k) { return k >= 0 && k < p->nel ? p->mass[k] : 0.0; }
double am_potential_cutoff(const am_potential *p) { return p->type->cutoff(p); }
am_eam_style am_potential_style(const am_potential *p) { return p->type->style; }
const char *am_potential_kind(const am_potential *p) { return p->type->name; }
const char *am_potential_units(const am_potential *p) { return p->units; }

uint64_t am_potential_hash(const am_potential *p)
{
    am_hash h;
    am_hash_init(&h, "amorph potential");
    p->type->hash(p, &h);
    return am_hash_final(&h);
}

am_status am_potential_species_map(const am_potential *p, am_system *s, int sp2el[AM_MAX_SPECIES])
{
    for (int a = 0; a < s->nspecies && p->nel == 0; a++) {
        if (!(s->species[a].mass > 0.0))
            return am_fail(AM_ERR_VALUE, "species %s has no mass; give the masses (a data file's Masses section, or "
                           "element names amorph knows)", s->species[a].name);
        sp2el[a] = a;
    }
    for (int a = 0; a < s->nspecies && p->nel > 0; a++) {
        int k = -1;
        for (int q = 0; q < p->nel; q++)
            if (strcmp(p->el[q], s->species[a].name) == 0) k = q;
        if (k < 0) {
            char have[AM_MAX_SPECIES * (AM_NAME_LEN + 1) + 1] = "";
            for (int q = 0; q < p->nel; q++) {
                strncat(have, p->el[q], sizeof have - strlen(have) - 2);
                if (q + 1 < p->nel) strncat(have, ",", sizeof have - strlen(have) - 1);
            }
            return am_fail(AM_ERR_VALUE, "species %s is not in the potential (which has %s)", s->species[a].name, have);
        }
        sp2el[a] = k;
        if (!(s->species[a].mass > 0.0)) s->species[a].mass = p->mass[k];
    }
    return AM_OK;
}
