/* Engines and regions of any kind: the checks every kind shares, then the
 * kind's own operations (engine_type.h). */
#include "potential/engine_type.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

am_status am_engine_create(const am_potential *p, am_system *s, double skin, am_engine **out)
{
    *out = NULL;
    if (s->n == 0) return am_fail(AM_ERR_VALUE, "configuration has no atoms; expected at least one");
    if (s->nspecies < 1)
        return am_fail(AM_ERR_VALUE, "configuration has no species names; pass them (e.g. --species Cu,Zr)");
    if (!(skin >= 0.0)) return am_fail(AM_ERR_VALUE, "neighbour-list skin %g; expected 0 or more", skin);
    for (size_t i = 0; i < s->n; i++)
        if (s->type[i] < 0 || s->type[i] >= s->nspecies)
            return am_fail(AM_ERR_VALUE, "atom %lld has species index %d; expected 0..%d", s->id[i], s->type[i],
                           s->nspecies - 1);
    am_engine *e = calloc(1, sizeof *e);
    if (!e) return am_fail(AM_ERR_NOMEM, "out of memory for a force engine");
    e->type = p->type;
    e->pot = p;
    e->n = s->n;
    e->nsp = s->nspecies;
    e->skin = skin;
    am_status st = am_potential_species_map(p, s, e->sp2el);
    if (!st) st = p->type->create(e, s, &e->state);
    if (st) {
        free(e);
        return st;
    }
    *out = e;
    return AM_OK;
}

void am_engine_free(am_engine *e)
{
    if (!e) return;
    e->type->free(e->state);
    free(e);
}

const am_potential *am_engine_potential(const am_engine *e) { return e->pot; }
long am_engine_nbuilds(const am_engine *e) { return e->type->nbuilds(e->state); }
void am_engine_invalidate(am_engine *e) { e->type->invalidate(e->state); }

am_status am_engine_compute(am_engine *e, const am_system *s, am_result *r)
{
    if (s->n != e->n || s->nspecies != e->nsp)
        return am_fail(AM_ERR_VALUE, "force engine was set up for %zu atoms and %d species, got %zu and %d",
                       e->n, e->nsp, s->n, s->nspecies);
    if (!r->fx || !r->fy || !r->fz) return am_fail(AM_ERR_VALUE, "force arrays are required");
    if (r->skip_virial && r->v_atom) return am_fail(AM_ERR_VALUE, "per-atom virial requested with skip_virial");
    return e->type->compute(e->state, s, r);
}

/* Active atoms are distinct indices of the system. */
static am_status check_active(size_t n, const size_t *active, size_t nactive)
{
    unsigned char *seen = calloc(n + 1, 1);
    if (!seen) return am_fail(AM_ERR_NOMEM, "region: out of memory");
    am_status st = AM_OK;
    for (size_t r = 0; r < nactive && !st; r++) {
        const size_t i = active[r];
        if (i >= n || seen[i])
            st = am_fail(AM_ERR_VALUE, "region: active atom %zu is %s", i, i >= n ? "out of range" : "listed twice");
        else
            seen[i] = 1;
    }
    free(seen);
    return st;
}

am_status am_region_create(am_engine *e, const am_system *s, const size_t *active, size_t nactive, am_region **out)
{
    *out = NULL;
    if (!e || !s || (!active && nactive)) return am_fail(AM_ERR_VALUE, "region: engine and system are required");
    if (s->n != e->n || s->nspecies != e->nsp)
        return am_fail(AM_ERR_VALUE, "region: the engine was set up for %zu atoms and %d species, got %zu and %d",
                       e->n, e->nsp, s->n, s->nspecies);
    am_status st = check_active(s->n, active, nactive);
    if (st) return st;
    am_region *g = calloc(1, sizeof *g);
    if (!g) return am_fail(AM_ERR_NOMEM, "region: out of memory");
    g->ops = e->type->region ? e->type->region : &am_region_full_ops;
    g->na = nactive;
    st = g->ops->create(e, s, active, nactive, &g->state);
    if (st) {
        free(g);
        return st;
    }
    *out = g;
    return AM_OK;
}

void am_region_free(am_region *g)
{
    if (!g) return;
    g->ops->free(g->state);
    free(g);
}

am_status am_region_compute(am_region *g, const double *xa, double *energy, double *fa)
{
    return g->ops->compute(g->state, xa, energy, fa);
}

size_t am_region_nactive(const am_region *g) { return g->na; }
size_t am_region_nrows(const am_region *g) { return g->ops->nrows(g->state); }
long am_region_nbuilds(const am_region *g) { return g->ops->nbuilds(g->state); }

void am_engine_totals(const double *e, const double *v, size_t n, am_result *r)
{
    double en = 0.0, vir[6] = {0, 0, 0, 0, 0, 0};
    for (size_t k = 0; k < n; k++) en += e[k];
    if (v)
        for (size_t k = 0; k < n; k++)
            for (int c = 0; c < 6; c++) vir[c] += v[6 * k + c];
    r->energy = en;
    memcpy(r->virial, vir, sizeof vir);
}
