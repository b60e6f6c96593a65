#include "minimize/min.h"
#include "amorph/potential.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

am_min_options am_min_defaults(const am_min_options *o)
{
    am_min_options d = o ? *o : (am_min_options){0};
    if (!(d.ftol > 0)) d.ftol = 1e-6;
    if (d.max_iter <= 0) d.max_iter = 100000;
    if (d.max_eval <= 0) d.max_eval = 1000000;
    if (!(d.dmax > 0)) d.dmax = 0.1;
    if (!(d.dt > 0)) d.dt = 0.002;
    if (!(d.mvv2e > 0)) d.mvv2e = am_units_of("metal")->mvv2e;
    if (!(d.wolfe > 0)) d.wolfe = 0.1;
    if (d.memory <= 0) d.memory = 8;
    return d;
}

double am_vec3_maxnorm(const double *v, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i + 2 < n; i += 3) {
        double s = v[i] * v[i] + v[i + 1] * v[i + 1] + v[i + 2] * v[i + 2];
        if (s > m) m = s;
    }
    return sqrt(m);
}

double am_dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

int am_min_should_stop(const am_min_options *o, double e, double eprev, const double *g, size_t n,
                       am_min_result *r)
{
    r->energy = e;
    r->fmax = am_vec3_maxnorm(g, n);
    if (r->fmax < o->ftol) {
        r->converged = 1;
        snprintf(r->reason, sizeof r->reason, "force tolerance");
        return 1;
    }
    if (o->etol > 0 && isfinite(eprev) && fabs(e - eprev) <= o->etol * 0.5 * (fabs(e) + fabs(eprev)) + 1e-300) {
        r->converged = 1;
        snprintf(r->reason, sizeof r->reason, "energy tolerance");
        return 1;
    }
    if (r->iterations >= o->max_iter) {
        snprintf(r->reason, sizeof r->reason, "iteration limit");
        return 1;
    }
    if (r->evaluations >= o->max_eval) {
        snprintf(r->reason, sizeof r->reason, "evaluation limit");
        return 1;
    }
    return 0;
}

void am_min_stuck(const am_min_options *o, double e, const double *g, size_t n, am_min_result *r)
{
    r->energy = e;
    r->fmax = am_vec3_maxnorm(g, n);
    snprintf(r->reason, sizeof r->reason, "line search found no lower energy");
    r->converged = r->fmax < o->ftol;
}

am_status am_min_run(const am_min_options *o, size_t n, double *x, const double *inv_mass, am_objective obj,
                     void *ctx, am_min_result *r)
{
    memset(r, 0, sizeof *r);
    if (n == 0 || n % 3) return am_fail(AM_ERR_VALUE, "minimise: vector length %zu is not a positive multiple of 3", n);
    am_min_options d = am_min_defaults(o);
    switch (d.method) {
    case AM_MIN_CG: return am_min_cg(&d, n, x, obj, ctx, r);
    case AM_MIN_FIRE: return am_min_fire(&d, n, x, inv_mass, obj, ctx, r);
    case AM_MIN_LBFGS: return am_min_lbfgs(&d, n, x, obj, ctx, r);
    }
    return am_fail(AM_ERR_VALUE, "minimise: unknown method %d", (int)d.method);
}
