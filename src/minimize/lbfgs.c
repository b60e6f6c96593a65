/* Limited-memory BFGS (Nocedal, Math. Comp. 35 (1980) 773; Nocedal & Wright,
 * Numerical Optimization, 2nd ed., Algorithms 7.4 and 7.5).
 *
 * Why next to CG: CG's directions stay conjugate only with near-exact line
 * searches, two force calls per iteration; the quasi-Newton direction comes
 * with its own step length, so the first trial usually passes a loose
 * Wolfe test (c2 0.9) and an iteration costs about one call. The line search
 * is CG's (linesearch.c), so no atom moves more than dmax per trial. */
#include "minimize/min.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Curvature test of the quasi-Newton line search (Nocedal & Wright's 0.9). */
#define LBFGS_C2 0.9

void am_lbfgs_direction(size_t n, const double *g, const double *sv, const double *yv, const double *rho, int m,
                        int have, int head, double gamma0, const am_lbfgs_h0 *h0, double *al, double *d)
{
    for (size_t i = 0; i < n; i++) d[i] = -g[i];
    for (int j = 0; j < have; j++) {
        const int k = (head - 1 - j + 2 * m) % m;
        al[k] = rho[k] * am_dot(sv + (size_t)k * n, d, n);
        const double *y = yv + (size_t)k * n;
        for (size_t i = 0; i < n; i++) d[i] -= al[k] * y[i];
    }
    double gamma = gamma0;
    if (have) {
        const int k = (head - 1 + m) % m;
        const double *y = yv + (size_t)k * n, *py = y;
        if (h0) { /* d = P d, and P y for γ, in one application */
            h0->apply(h0->ctx, d, h0->work, y, h0->work + n);
            memcpy(d, h0->work, n * sizeof(double));
            py = h0->work + n;
        }
        gamma = 1.0 / (rho[k] * am_dot(y, py, n));
    }
    if (gamma != 1.0)
        for (size_t i = 0; i < n; i++) d[i] *= gamma;
    for (int j = have - 1; j >= 0; j--) {
        const int k = (head - 1 - j + 2 * m) % m;
        const double b = rho[k] * am_dot(yv + (size_t)k * n, d, n);
        const double *s = sv + (size_t)k * n;
        for (size_t i = 0; i < n; i++) d[i] += (al[k] - b) * s[i];
    }
}

am_status am_min_lbfgs(const am_min_options *o, size_t n, double *x, am_objective obj, void *ctx, am_min_result *r)
{
    const int m = o->memory;
    double *buf = malloc((4 + 2 * (size_t)m) * n * sizeof(double));
    double *rho = malloc((size_t)m * sizeof(double)), *al = malloc((size_t)m * sizeof(double));
    if (!buf || !rho || !al) {
        free(buf); free(rho); free(al);
        return am_fail(AM_ERR_NOMEM, "minimise: out of memory for %zu coordinates", n);
    }
    double *g = buf, *d = buf + n, *xt = buf + 2 * n, *gt = buf + 3 * n;
    double *sv = buf + 4 * n, *yv = sv + (size_t)m * n; /* pair k at k * n, a ring */
    int have = 0, head = 0; /* stored pairs; slot of the next one */
    double e;
    am_status st = obj(ctx, x, &e, g);
    r->evaluations = 1;
    double eprev = NAN;
    while (!st && !am_min_should_stop(o, e, eprev, g, n, r)) {
        r->iterations++;
        /* H0 = (s·y / y·y) I from the newest pair; without one, d = -g */
        am_lbfgs_direction(n, g, sv, yv, rho, m, have, head, 1.0, NULL, al, d);
        double s0 = am_dot(g, d, n);
        if (!(s0 < 0)) { /* the memory misleads: forget it, go along the force */
            have = 0;
            for (size_t i = 0; i < n; i++) d[i] = -g[i];
            s0 = -am_dot(g, g, n);
        }
        const double amax = o->dmax / am_vec3_maxnorm(d, n);
        /* the quasi-Newton step is 1; without curvature yet, as far as dmax allows */
        double alpha = have ? 1.0 : amax;
        const double eold = e;
        /* the new pair's slot (the oldest pair's when the memory is full,
         * which this iteration's direction has already used) */
        double *s = sv + (size_t)head * n, *y = yv + (size_t)head * n;
        memcpy(s, x, n * sizeof(double));
        memcpy(y, g, n * sizeof(double));
        if (!am_line_search(n, x, &e, g, d, s0, amax, LBFGS_C2, &alpha, xt, gt, obj, ctx, r, o, &st)) {
            if (st) break;
            if (have) { have = 0; continue; } /* retry once along the force */
            am_min_stuck(o, e, g, n, r);
            break;
        }
        eprev = eold;
        for (size_t i = 0; i < n; i++) { s[i] = x[i] - s[i]; y[i] = g[i] - y[i]; }
        const double sy = am_dot(s, y, n);
        /* keep the pair only where the curvature along s is positive, so H
         * stays positive definite (a pair from a non-convex stretch is dropped) */
        if (sy > 1e-12 * sqrt(am_dot(s, s, n) * am_dot(y, y, n))) {
            rho[head] = 1.0 / sy;
            head = (head + 1) % m;
            if (have < m) have++;
        } else if (have == m) {
            have = m - 1; /* its slot held the oldest pair */
        }
    }
    free(buf); free(rho); free(al);
    return st;
}
