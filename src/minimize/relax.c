/* am_minimize: the minimisers applied to a system's atoms. */
#include "minimize/min.h"
#include "core/error.h"

#include <stdlib.h>

typedef struct relax_ctx {
    am_engine *e;
    am_system *s;
    double *f; /* 3n: fx, fy, fz blocks */
} relax_ctx;

static am_status relax_objective(void *vctx, const double *x, double *energy, double *grad)
{
    relax_ctx *c = vctx;
    am_system *s = c->s;
    const size_t n = s->n;
    for (size_t i = 0; i < n; i++) { s->x[i] = x[3 * i]; s->y[i] = x[3 * i + 1]; s->z[i] = x[3 * i + 2]; }
    am_result r = {0};
    r.skip_virial = 1;
    r.fx = c->f; r.fy = c->f + n; r.fz = c->f + 2 * n;
    am_status st = am_engine_compute(c->e, s, &r);
    if (st) return st;
    *energy = r.energy;
    for (size_t i = 0; i < n; i++) {
        grad[3 * i] = -r.fx[i]; grad[3 * i + 1] = -r.fy[i]; grad[3 * i + 2] = -r.fz[i];
    }
    return AM_OK;
}

am_status am_minimize(am_engine *e, am_system *s, const am_min_options *o, am_min_result *r)
{
    const size_t n = s->n;
    double *x = malloc(3 * n * sizeof(double) + 1), *f = malloc(3 * n * sizeof(double) + 1);
    double *im = calloc(n + 1, sizeof(double));
    if (!x || !f || !im) {
        free(x); free(f); free(im);
        return am_fail(AM_ERR_NOMEM, "minimise: out of memory for %zu atoms", n);
    }
    for (size_t i = 0; i < n; i++) {
        x[3 * i] = s->x[i]; x[3 * i + 1] = s->y[i]; x[3 * i + 2] = s->z[i];
        double m = s->species[s->type[i]].mass;
        im[i] = m > 0 ? 1.0 / m : 1.0;
    }
    relax_ctx c = {e, s, f};
    am_status st = am_min_run(o, 3 * n, x, im, relax_objective, &c, r);
    /* leave the system at the final point */
    if (!st)
        for (size_t i = 0; i < n; i++) { s->x[i] = x[3 * i]; s->y[i] = x[3 * i + 1]; s->z[i] = x[3 * i + 2]; }
    free(x); free(f); free(im);
    return st;
}
