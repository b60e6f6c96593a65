/* The region of kinds without a local evaluation: the whole system is
 * evaluated with the active atoms moved, which gives the same numbers as a
 * local evaluation at the cost of the system. The region has an engine of
 * its own, so regions of one engine can be used from several threads as
 * those of a local kind can. */
#include "potential/engine_type.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct full_region {
    am_system *s;       /* frozen atoms where they stay, active ones where last evaluated */
    am_engine *e;
    size_t *active;
    size_t na;
    double *f;          /* 3n: forces of an evaluation, component-major */
} full_region;

static void full_free(void *state)
{
    full_region *g = state;
    if (!g) return;
    am_engine_free(g->e);
    am_system_free(g->s);
    free(g->active);
    free(g->f);
    free(g);
}

static am_status full_create(am_engine *e, const am_system *s, const size_t *active, size_t nactive, void **out)
{
    full_region *g = calloc(1, sizeof *g);
    if (!g) return am_fail(AM_ERR_NOMEM, "region: out of memory");
    am_status st = am_system_copy(s, &g->s);
    if (!st) st = am_engine_create(e->pot, g->s, e->skin, &g->e);
    if (st) {
        full_free(g);
        return st;
    }
    g->na = nactive;
    g->active = malloc((nactive + 1) * sizeof(size_t));
    g->f = malloc((3 * s->n + 1) * sizeof(double));
    if (!g->active || !g->f) {
        full_free(g);
        return am_fail(AM_ERR_NOMEM, "region: out of memory for %zu atoms", s->n);
    }
    if (nactive) memcpy(g->active, active, nactive * sizeof(size_t));
    /* an evaluation at creation, as a local region makes its reference:
     * the list is built there, and a broken configuration fails here */
    const size_t n = s->n;
    am_result res = {.skip_virial = 1, .fx = g->f, .fy = g->f + n, .fz = g->f + 2 * n};
    if ((st = am_engine_compute(g->e, g->s, &res))) {
        full_free(g);
        return st;
    }
    *out = g;
    return AM_OK;
}

static am_status full_compute(void *state, const double *xa, double *energy, double *fa)
{
    full_region *g = state;
    const size_t n = g->s->n;
    for (size_t r = 0; r < g->na; r++) {
        const size_t i = g->active[r];
        g->s->x[i] = xa[3 * r];
        g->s->y[i] = xa[3 * r + 1];
        g->s->z[i] = xa[3 * r + 2];
    }
    am_result res = {.skip_virial = 1, .fx = g->f, .fy = g->f + n, .fz = g->f + 2 * n};
    am_status st = am_engine_compute(g->e, g->s, &res);
    if (st) return st;
    for (size_t r = 0; r < g->na; r++) {
        const size_t i = g->active[r];
        fa[3 * r] = res.fx[i];
        fa[3 * r + 1] = res.fy[i];
        fa[3 * r + 2] = res.fz[i];
    }
    *energy = res.energy;
    return AM_OK;
}

static size_t full_nrows(const void *state) { return ((const full_region *)state)->s->n; }

static long full_nbuilds(const void *state) { return am_engine_nbuilds(((const full_region *)state)->e); }

const am_region_ops am_region_full_ops = {full_create, full_compute, full_nrows, full_nbuilds, full_free};
