/* Line search shared by the minimisers.
 *
 * It brackets the zero of the directional derivative φ'(α) = ∇E(x + αd)·d by
 * doubling and secant steps instead of fitting energies: near a minimum,
 * energy differences drown in round-off (1e-12 of a total of thousands of
 * eV) long before forces do, and tight force tolerances (1e-8 eV/Å, as ARTn
 * and the Hessian need) are still reached. No atom moves more than dmax in
 * one trial step. */
#include "minimize/min.h"

#include <math.h>
#include <string.h>

typedef struct ls_point {
    double a, slope; /* step and directional derivative there */
} ls_point;

int am_line_search(size_t n, double *x, double *e, double *g, const double *d, double s0, double amax, double c2,
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
        if (sufficient && fabs(sl) <= c2 * fabs(s0)) { /* strong Wolfe: done */
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

