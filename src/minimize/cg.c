/* Polak-Ribière (PR+) conjugate gradient.
 *
 * The line search brackets the zero of the directional derivative
 * φ'(α) = ∇E(x + αd)·d by doubling and secant steps instead of fitting
 * energies: near a minimum, energy differences drown in round-off (1e-12 of a
 * total of thousands of eV) long before forces do, and tight force tolerances
 * (1e-8 eV/Å, as ARTn and the Hessian need) are still reached. No atom moves
 * more than dmax in one trial step. */
#include "minimize/min.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ls_point {
    double a, slope; /* step and directional derivative there */
} ls_point;

/* Searches along d from x (energy e0, slope s0 < 0). On success x, e and g
 * hold the accepted point and *alpha its step. Returns 0 if no point with
 * lower (or round-off equal) energy was found. */
static int line_search(size_t n, double *x, double *e, double *g, const double *d, double s0, double amax,
                       double *alpha, double *xt, double *gt, am_objective obj, void *ctx, am_min_result *r,
                       const am_min_options *o, am_status *st)
{
    const double e0 = *e, etol = 1e-12 * fabs(e0) + 1e-14;
    ls_point lo = {0.0, s0}, hi = {0.0, 0.0};
    int have_hi = 0, accepted = 0;
    double a = *alpha < amax ? *alpha : amax, et = e0;
    for (int it = 0; it < 40 && r->evaluations < o->max_eval; it++) {
        for (size_t i = 0; i < n; i++) xt[i] = x[i] + a * d[i];
        if ((*st = obj(ctx, xt, &et, gt))) return 0;
        r->evaluations++;
        const double sl = am_dot(gt, d, n);
        const int sufficient = isfinite(et) && et <= e0 + 1e-4 * a * s0 + etol;
        if (sufficient && fabs(sl) <= o->wolfe * fabs(s0)) { /* strong Wolfe: done */
            accepted = 1;
            break;
        }
        if (sufficient && sl < 0) {
            lo = (ls_point){a, sl};
            if (!have_hi) {
                if (a >= amax) { accepted = 1; break; } /* as far as a step may go */
                a = 2 * a < amax ? 2 * a : amax;
                continue;
            }
        } else {
            hi = (ls_point){a, sl};
            have_hi = 1;
        }
        /* secant on the slope inside [lo, hi], kept away from the ends */
        const double w = hi.a - lo.a;
        if (w <= 1e-15 * hi.a) break;
        double an = hi.slope > lo.slope ? lo.a - lo.slope * w / (hi.slope - lo.slope) : lo.a + 0.5 * w;
        if (!(an > lo.a + 0.1 * w) || !(an < hi.a - 0.1 * w)) an = lo.a + 0.5 * w;
        a = an;
    }
    if (!accepted) {
        if (!(lo.a > 0.0)) return 0;
        /* the best point with sufficient decrease seen */
        a = lo.a;
        for (size_t i = 0; i < n; i++) xt[i] = x[i] + a * d[i];
        if ((*st = obj(ctx, xt, &et, gt))) return 0;
        r->evaluations++;
    }
    memcpy(x, xt, n * sizeof(double));
    memcpy(g, gt, n * sizeof(double));
    *e = et;
    *alpha = a;
    return 1;
}

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
        if (!line_search(n, x, &e, g, d, s0, amax, &alpha, xt, gt, obj, ctx, r, o, &st)) {
            if (st) break;
            if (since_restart > 0) { /* retry once along the force */
                for (size_t i = 0; i < n; i++) d[i] = -g[i];
                since_restart = 0;
                alpha = 0;
                continue;
            }
            r->energy = e;
            r->fmax = am_vec3_maxnorm(g, n);
            snprintf(r->reason, sizeof r->reason, "line search found no lower energy");
            r->converged = r->fmax < o->ftol;
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
