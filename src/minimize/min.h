/* Internal: helpers shared by the minimisers. */
#ifndef AM_MINIMIZE_MIN_H
#define AM_MINIMIZE_MIN_H

#include "amorph/minimize.h"

/* Options with defaults filled in. */
am_min_options am_min_defaults(const am_min_options *o);
/* Largest per-atom norm of a 3-vector field of n values. */
double am_vec3_maxnorm(const double *v, size_t n);
double am_dot(const double *a, const double *b, size_t n);
/* Applies the stopping rules after an iteration; returns 1 to stop (r->reason set). */
int am_min_should_stop(const am_min_options *o, double e, double eprev, const double *g, size_t n,
                       am_min_result *r);

am_status am_min_cg(const am_min_options *o, size_t n, double *x, am_objective obj, void *ctx, am_min_result *r);
am_status am_min_fire(const am_min_options *o, size_t n, double *x, const double *inv_mass, am_objective obj,
                      void *ctx, am_min_result *r);

#endif
