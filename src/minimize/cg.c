/* Polak-Ribière (PR+) conjugate gradient with the slope-bracketing line
 * search of linesearch.c. */
#include "minimize/min.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

am_status am_min_cg(const am_min_options *o, size_t n, double *x, am_objective obj, void *ctx, am_min_result *r)
{
    double *buf = malloc(5 * n * sizeof(double));
    if (!buf) return am_fail(AM_ERR_NOMEM, "minimise: out of memory for %zu coordinates", n);
    double *g = buf, *gold = buf + n, *d = buf + 2 * n, *xt = buf + 3 * n, *gt = buf + 4 * n;
    double e;
    am_status st = obj(ctx, x, &e, g);
    r->evaluations = 1;
    if (st) { free(buf); return st; }
    double eprev = NAN, alpha = 0.0, sprev = 0.0;
    for (size_t i = 0; i < n; i++) d[i] = -g[i];
    long since_restart = 0;
    while (!am_min_should_stop(o, e, eprev, g, n, r)) {
        r->iterations++;
        double s0 = am_dot(g, d, n);
        if (!(s0 < 0)) { /* not a descent direction: restart along the force */
            for (size_t i = 0; i < n; i++) d[i] = -g[i];
            s0 = -am_dot(g, g, n);
            since_restart = 0;
        }
        const double dm = am_vec3_maxnorm(d, n);
        const double amax = o->dmax / dm;
        /* first guess: the previous step scaled by the change in slope */
        if (alpha > 0 && sprev < 0) alpha = alpha * sprev / s0;
        if (!(alpha > 0) || alpha > amax) alpha = amax;
        memcpy(gold, g, n * sizeof(double));
        const double eold = e;
        if (!am_line_search(n, x, &e, g, d, s0, amax, o->wolfe, &alpha, xt, gt, obj, ctx, r, o, &st)) {
            if (st) break;
            if (since_restart > 0) { /* retry once along the force */
                for (size_t i = 0; i < n; i++) d[i] = -g[i];
                since_restart = 0;
                alpha = 0;
                continue;
            }
            am_min_stuck(o, e, g, n, r);
            break;
        }
        eprev = eold;
        sprev = s0;
        /* PR+ with a restart every n iterations */
        double gg = am_dot(gold, gold, n), gy = 0.0;
        for (size_t i = 0; i < n; i++) gy += g[i] * (g[i] - gold[i]);
        double beta = gg > 0 ? gy / gg : 0.0;
        if (beta < 0 || ++since_restart >= (long)n) { beta = 0; since_restart = 0; }
        for (size_t i = 0; i < n; i++) d[i] = -g[i] + beta * d[i];
    }
    free(buf);
    return st;
}
