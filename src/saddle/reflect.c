/* Converging a saddle that is already close, with its mode known: L-BFGS on
 * the reflected force F† = F − 2 (F·v) v (the translation step of the
 * dimer method with L-BFGS, Kästner & Sherwood, J. Chem. Phys. 128, 014106
 * (2008)).
 *
 * Why: the last stage of a tight refinement starts next to its saddle (the
 * inner stage converged it with the far field frozen) and what is left is
 * the far field's elastic relaxation. The climb does it in pieces — a
 * Newton step along the mode, a capped perpendicular relaxation, a Lanczos
 * — and every piece restarts L-BFGS's memory: about 130 full-box calls on
 * 20 000 atoms. F† vanishes exactly where F does (F† = 0 gives F·v = −F·v),
 * and with v near the lowest mode its Jacobian is positive definite, so one
 * L-BFGS run, memory kept, converges it like a plain minimisation. There is
 * no energy to search along, so the step is the quasi-Newton one, capped at
 * dmax per atom, and a pair without positive curvature empties the memory. */
#include "saddle/saddle_internal.h"

#include "core/error.h"
#include "minimize/min.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Inverse curvature of the first step, Å²/eV (before any pair is stored):
 * a stiff metal's ~70 eV/Å² per atom, ASE's choice; only the first step uses it. */
#define FIRST_STEP_SCALE (1.0 / 70.0)

/* am_pm_precon_apply as L-BFGS's H0 */
static void mesh_h0(void *ctx, const double *a, double *pa, const double *b, double *pb)
{
    am_pm_precon_apply(ctx, a, pa, b, pb);
}

am_status sd_reflect_lbfgs(sd_ctx *c, double *x, double *f, double *e, const double *v, const sd_reflect_options *o,
                           int *converged)
{
    const size_t n3 = c->n3;
    const int m = o->memory;
    const long calls0 = c->calls;
    *converged = 0;
    am_pm_precon *pc = NULL;
    am_status st = o->precondition && !c->g ? am_pm_precon_alloc(&c->s->box, x, n3 / 3, &pc) : AM_OK;
    if (st) return st;
    const size_t nbuf = 3 + 2 * (size_t)m + (pc ? 2 : 0);
    double *buf = malloc(nbuf * n3 * sizeof(double));
    double *rho = malloc((size_t)m * sizeof(double)), *al = malloc((size_t)m * sizeof(double));
    if (!buf || !rho || !al) {
        free(buf); free(rho); free(al);
        am_pm_precon_free(pc);
        return am_fail(AM_ERR_NOMEM, "saddle: out of memory for %zu coordinates", n3);
    }
    double *g = buf, *d = buf + n3, *gn = buf + 2 * n3;
    double *sv = buf + 3 * n3, *yv = sv + (size_t)m * n3; /* pair k at k * n3, a ring */
    double *work = pc ? yv + (size_t)m * n3 : NULL;
    const am_lbfgs_h0 h0 = {mesh_h0, pc, work};
    int have = 0, head = 0;
    /* g = −F†, the gradient of the reflected problem */
    double fv = sd_dot(f, v, n3);
    for (size_t i = 0; i < n3; i++) g[i] = -(f[i] - 2.0 * fv * v[i]);
    for (;;) {
        if (sd_maxnorm(f, n3) < o->ftol) { *converged = 1; break; }
        if (c->calls - calls0 >= o->max_calls || !(*e <= o->emax)) break;
        am_lbfgs_direction(n3, g, sv, yv, rho, m, have, head, FIRST_STEP_SCALE, pc ? &h0 : NULL, al, d);
        /* a direction against the reflected force means the memory misleads */
        if (!(sd_dot(g, d, n3) < 0)) {
            have = 0;
            for (size_t i = 0; i < n3; i++) d[i] = -FIRST_STEP_SCALE * g[i];
        }
        sd_project(c, d);
        const double big = sd_maxnorm(d, n3);
        if (big > o->dmax) for (size_t i = 0; i < n3; i++) d[i] *= o->dmax / big;
        for (size_t i = 0; i < n3; i++) x[i] += d[i];
        if ((st = sd_eval(c, x, e, f))) break;
        fv = sd_dot(f, v, n3);
        for (size_t i = 0; i < n3; i++) gn[i] = -(f[i] - 2.0 * fv * v[i]);
        double *s = sv + (size_t)head * n3, *y = yv + (size_t)head * n3;
        for (size_t i = 0; i < n3; i++) { s[i] = d[i]; y[i] = gn[i] - g[i]; }
        memcpy(g, gn, n3 * sizeof(double));
        const double sy = sd_dot(s, y, n3);
        /* only pairs with positive curvature keep H positive definite; a
         * negative one means v is no longer the mode there: start afresh */
        if (sy > 1e-12 * sqrt(sd_dot(s, s, n3) * sd_dot(y, y, n3))) {
            rho[head] = 1.0 / sy;
            head = (head + 1) % m;
            if (have < m) have++;
        } else {
            have = 0;
            head = 0;
        }
    }
    free(buf); free(rho); free(al);
    am_pm_precon_free(pc);
    return st;
}
