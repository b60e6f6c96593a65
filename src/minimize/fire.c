/* FIRE 2.0 (Guénolé, Nöhring, Vaid, Houllé, Xie, Prakash, Bitzek, Comput.
 * Mater. Sci. 175 (2020) 109584): damped dynamics with semi-implicit Euler
 * steps, an initial delay before the time step may grow, and half a step
 * back when the power turns negative. The defaults are the paper's and
 * LAMMPS min_style fire's. */
#include "minimize/min.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N_DELAY = 20, N_NEG_MAX = 2000 };
static const double F_INC = 1.1, F_DEC = 0.5, ALPHA0 = 0.25, F_ALPHA = 0.99;

am_status am_min_fire(const am_min_options *o, size_t n, double *x, const double *inv_mass, am_objective obj,
                      void *ctx, am_min_result *r)
{
    double *buf = calloc(2 * n, sizeof(double));
    if (!buf) return am_fail(AM_ERR_NOMEM, "minimise: out of memory for %zu coordinates", n);
    double *g = buf, *v = buf + n;
    /* force/mass to acceleration in the objective's units (eV/(Å amu) → Å/ps² in metal) */
    const double ftm2v = 1.0 / o->mvv2e;
    const double dtmax = 10.0 * o->dt, dtmin = 0.02 * o->dt;
    double dt = o->dt, alpha = ALPHA0, e, eprev = NAN;
    long npos = 0, nneg = 0;
    am_status st = obj(ctx, x, &e, g);
    r->evaluations = 1;
    while (!st && !am_min_should_stop(o, e, eprev, g, n, r)) {
        r->iterations++;
        double p = -am_dot(g, v, n); /* power F·v */
        if (p > 0) {
            npos++;
            nneg = 0;
            if (npos > N_DELAY) {
                dt = dt * F_INC < dtmax ? dt * F_INC : dtmax;
                alpha *= F_ALPHA;
            }
        } else {
            npos = 0;
            if (++nneg > N_NEG_MAX) {
                snprintf(r->reason, sizeof r->reason, "power negative %d times in a row", N_NEG_MAX);
                break;
            }
            if (r->iterations > N_DELAY) { /* no shrinking during the initial delay */
                dt = dt * F_DEC > dtmin ? dt * F_DEC : dtmin;
                alpha = ALPHA0;
            }
            for (size_t i = 0; i < n; i++) { x[i] -= 0.5 * dt * v[i]; v[i] = 0.0; }
        }
        /* semi-implicit Euler: velocities first, mixed towards the force */
        for (size_t i = 0; i < n; i++) v[i] -= dt * ftm2v * (inv_mass ? inv_mass[i / 3] : 1.0) * g[i];
        if (p > 0 || r->iterations == 1) {
            const double vn = sqrt(am_dot(v, v, n)), fn = sqrt(am_dot(g, g, n));
            if (fn > 0)
                for (size_t i = 0; i < n; i++) v[i] = (1.0 - alpha) * v[i] - alpha * vn * g[i] / fn;
        }
        /* no atom moves more than dmax in one step */
        double step = dt * am_vec3_maxnorm(v, n), scale = step > o->dmax ? o->dmax / step : 1.0;
        for (size_t i = 0; i < n; i++) x[i] += scale * dt * v[i];
        eprev = e;
        st = obj(ctx, x, &e, g);
        r->evaluations++;
    }
    if (!st) { r->energy = e; r->fmax = am_vec3_maxnorm(g, n); }
    free(buf);
    return st;
}
