/* Subsets of atoms for the pair loops. */
#include "analysis/analysis_internal.h"
#include "core/error.h"

size_t an_count_selected(size_t n, const unsigned char *select)
{
    if (!select) return n;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) m += select[i] != 0;
    return m;
}

am_status an_select_system(const am_system *s, const unsigned char *select, am_system **sub)
{
    *sub = NULL;
    const size_t m = an_count_selected(s->n, select);
    am_system *t;
    am_status st = am_system_alloc(m, 0, &t);
    if (st) return st;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (select && !select[i]) continue;
        t->x[k] = s->x[i];
        t->y[k] = s->y[i];
        t->z[k] = s->z[i];
        t->type[k] = s->type[i];
        t->id[k] = s->id[i];
        k++;
    }
    t->nspecies = s->nspecies;
    for (int v = 0; v < AM_MAX_SPECIES; v++) t->species[v] = s->species[v];
    t->box = s->box;
    *sub = t;
    return AM_OK;
}
