/* Populations of Voronoi polyhedra: the counts behind "the 4 most frequent
 * polyhedra of each species" and the Shannon entropy of the classification
 * (the structural-diversity measure of the analysis stage). */
#include "amorph/structure.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int index_cmp(const int *a, const int *b)
{
    for (int k = 0; k < 8; k++)
        if (a[k] != b[k]) return a[k] < b[k] ? -1 : 1;
    return 0;
}

static int by_index(const void *a, const void *b)
{
    return index_cmp(((const am_vpop_entry *)a)->index, ((const am_vpop_entry *)b)->index);
}

static int by_count(const void *a, const void *b)
{
    const am_vpop_entry *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return index_cmp(x->index, y->index);
}

void am_vpop_free(am_vpop *p)
{
    if (!p) return;
    free(p->entry);
    free(p);
}

am_status am_voronoi_population(const am_system *s, const am_voronoi *v, int species, am_vpop **out)
{
    *out = NULL;
    if (!v || v->n != s->n) return am_fail(AM_ERR_VALUE, "Voronoi population: tessellation does not match the system");
    if (species < -1 || species >= s->nspecies)
        return am_fail(AM_ERR_VALUE, "Voronoi population: no species %d", species);
    am_vpop *p = calloc(1, sizeof *p);
    am_vpop_entry *e = malloc((s->n + 1) * sizeof *e);
    if (!p || !e) { free(p); free(e); return am_fail(AM_ERR_NOMEM, "Voronoi population: out of memory"); }
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (species >= 0 && s->type[i] != species) continue;
        memcpy(e[m].index, v->index + 8 * i, sizeof e[m].index);
        e[m++].count = 1;
    }
    qsort(e, m, sizeof *e, by_index);
    size_t d = 0;
    for (size_t k = 0; k < m; k++) {
        if (d > 0 && index_cmp(e[d - 1].index, e[k].index) == 0) e[d - 1].count++;
        else e[d++] = e[k];
    }
    qsort(e, d, sizeof *e, by_count);
    double h = 0.0;
    for (size_t k = 0; k < d; k++) {
        e[k].fraction = (double)e[k].count / (double)m;
        h -= e[k].fraction * log(e[k].fraction);
    }
    p->species = species;
    p->natoms = m;
    p->n = d;
    p->entry = e;
    p->entropy = h;
    *out = p;
    return AM_OK;
}
