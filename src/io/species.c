#include "io/species.h"
#include "io/lineread.h"
#include "amorph/io.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int am_io_species_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= AM_NAME_LEN) return 0;
    /* Names reach generated LAMMPS inputs (pair_coeff), gnuplot scripts and
     * every format we write, so only characters that are inert in all of them:
     * a letter or underscore, then letters, digits and _ . + - */
    if (!isalpha((unsigned char)name[0]) && name[0] != '_') return 0;
    for (size_t k = 1; k < n; k++) {
        unsigned char c = (unsigned char)name[k];
        if (!isalnum(c) && c != '_' && c != '.' && c != '+' && c != '-') return 0;
    }
    return 1;
}

am_status am_io_species_list(const char *list, char names[AM_MAX_SPECIES][AM_NAME_LEN], int *count,
                             const char *path)
{
    *count = 0;
    const char *p = list;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        const char *start = p;
        while (*p && *p != ',') p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
        size_t len = (size_t)(end - start);
        if (*count == AM_MAX_SPECIES)
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL, "species list '%s': expected at most %d names",
                              list, AM_MAX_SPECIES);
        if (len == 0 || len >= AM_NAME_LEN)
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                              "species list '%s': expected comma-separated names of 1 to %d "
                              "characters, e.g. Cu,Zr", list, AM_NAME_LEN - 1);
        char *dst = names[*count];
        memcpy(dst, start, len);
        dst[len] = '\0';
        if (!am_io_species_name_ok(dst))
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                              "species list '%s': '%s' is not a valid species name", list, dst);
        (*count)++;
        if (!*p) break;
        p++;
    }
    return AM_OK;
}

am_status am_io_types_from_list(am_io_types *t, const am_read_options *opt, int *count, const char *path)
{
    am_status st = am_io_species_list(opt->species, t->name, count, path);
    if (st) return st;
    t->ntypes = *count;
    t->listed = 1;
    t->force = opt->force_species;
    for (int k = 0; k < *count; k++) t->used[k] = 1;
    return AM_OK;
}

/* The file's own names for the types, in type order, for the message. */
static void file_order(const am_io_types *t, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int k = 0; k < t->ntypes && n < cap; k++) {
        const char *nm = t->file_name[k][0] ? t->file_name[k] : am_element_from_mass(t->mass[k], 0.05);
        n += (size_t)snprintf(out + n, cap - n, "%s%s", k ? "," : "", nm ? nm : "?");
    }
}

am_status am_io_species_check(const am_io_types *t, const char *path)
{
    if (!t->listed || t->force) return AM_OK;
    char order[AM_MAX_SPECIES * (AM_NAME_LEN + 1) + 1];
    for (int k = 0; k < t->ntypes; k++) {
        if (!t->used[k]) continue;
        const char *name = t->name[k];
        const char *why = NULL;
        char said[96];
        if (t->file_name[k][0] && strcmp(t->file_name[k], name) != 0) {
            snprintf(said, sizeof said, "names it %s", t->file_name[k]);
            why = said;
        } else if (t->mass[k] > 0.0 && am_element_mass(name) > 0.0 && fabs(t->mass[k] - am_element_mass(name)) > 0.05) {
            const char *el = am_element_from_mass(t->mass[k], 0.05);
            snprintf(said, sizeof said, "gives it mass %.6g amu%s%s%s", t->mass[k], el ? " (" : "", el ? el : "",
                     el ? ")" : "");
            why = said;
        }
        if (!why) continue;
        file_order(t, order, sizeof order);
        return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                          "the species list names atom type %d %s, but the file %s; expected the file's species "
                          "(--species %s), or --force-species to override the file",
                          k + 1, name, why, order);
    }
    return AM_OK;
}

am_status am_io_species_assign(am_system *s, const am_io_types *t, const char *path)
{
    int map[AM_MAX_SPECIES];
    am_status st = am_io_species_check(t, path);
    if (st) return st;
    s->nspecies = 0;
    memset(s->species, 0, sizeof s->species);
    for (int k = 0; k < t->ntypes; k++) {
        map[k] = -1;
        if (!t->used[k]) continue;
        const char *name = t->name[k];
        if (!name[0])
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                              "no species name for atom type %d (no type label, Masses comment "
                              "or recognizable mass); pass the species names for the types, "
                              "e.g. --species Cu,Zr", k + 1);
        double m = t->mass[k];
        int idx = am_system_species_index(s, name);
        if (idx >= 0) {
            /* Several LAMMPS types of one element become one species. */
            double have = s->species[idx].mass;
            if (m > 0.0 && have > 0.0 && m != have)
                return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                                  "atom types with species '%s' have different masses %.17g and %.17g",
                                  name, have, m);
            if (m > 0.0) s->species[idx].mass = m;
            map[k] = idx;
            continue;
        }
        idx = s->nspecies++;
        memcpy(s->species[idx].name, name, AM_NAME_LEN);
        s->species[idx].mass = m;
        map[k] = idx;
    }
    for (int k = 0; k < s->nspecies; k++) {
        if (s->species[k].mass > 0.0) continue;
        double m = am_element_mass(s->species[k].name);
        if (m <= 0.0)
            return am_io_fail(AM_ERR_VALUE, path, 0, s->species[k].name,
                              "unknown species: the file gives no mass and the name is not an "
                              "element symbol; expected an element such as Cu or a Masses entry");
        s->species[k].mass = m;
    }
    for (size_t i = 0; i < s->n; i++) {
        int ty = s->type[i];
        if (ty < 0 || ty >= t->ntypes || map[ty] < 0)
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL, "atom type %d has no species", ty + 1);
        s->type[i] = map[ty];
    }
    return AM_OK;
}
