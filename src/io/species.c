#include "io/species.h"
#include "io/lineread.h"
#include "amorph/io.h"

#include <string.h>

int am_io_species_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= AM_NAME_LEN) return 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)name[k];
        /* characters that would break one of the file formats we write */
        if (c <= 0x20 || c >= 0x7f || c == ',' || c == '#' || c == '"' || c == '=' ||
            c == ':' || c == '\'')
            return 0;
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

am_status am_io_types_from_list(am_io_types *t, const char *list, int *count, const char *path)
{
    am_status st = am_io_species_list(list, t->name, count, path);
    if (st) return st;
    t->ntypes = *count;
    for (int k = 0; k < *count; k++) t->used[k] = 1;
    return AM_OK;
}

am_status am_io_species_assign(am_system *s, const am_io_types *t, const char *path)
{
    int map[AM_MAX_SPECIES];
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
