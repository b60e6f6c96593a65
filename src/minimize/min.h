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

/* Records a stop where the line search found no lower energy (converged
 * only if the forces happen to be below ftol). */
void am_min_stuck(const am_min_options *o, double e, const double *g, size_t n, am_min_result *r);

/* Searches along d from x (energy *e, gradient g, slope s0 = g·d < 0),
 * starting with the step *alpha (capped at amax), until the strong Wolfe
 * conditions hold with sufficient decrease 1e-4 and slope factor c2. On
 * success x, e and g hold the accepted point and *alpha its step (xt, gt: n
 * scratch values each). Returns 0 if no point with lower (or round-off
 * equal) energy was found, or on an objective error (*st set). */
int am_line_search(size_t n, double *x, double *e, double *g, const double *d, double s0, double amax, double c2,
                   double *alpha, double *xt, double *gt, am_objective obj, void *ctx, am_min_result *r,
                   const am_min_options *o, am_status *st);

/* L-BFGS's two-loop recursion (Nocedal & Wright, Algorithm 7.4): d = −H g
 * from the `have` newest of the m pairs in a ring — s_k and y_k at k·n in
 * sv and yv, rho[k] = 1/(s_k·y_k), the newest at head − 1 — with H0 = γ I,
 * γ = s·y / y·y of the newest pair, or gamma0 when there is none. al: m
 * scratch values. */
void am_lbfgs_direction(size_t n, const double *g, const double *sv, const double *yv, const double *rho, int m,
                        int have, int head, double gamma0, double *al, double *d);

am_status am_min_cg(const am_min_options *o, size_t n, double *x, am_objective obj, void *ctx, am_min_result *r);
am_status am_min_lbfgs(const am_min_options *o, size_t n, double *x, am_objective obj, void *ctx, am_min_result *r);
am_status am_min_fire(const am_min_options *o, size_t n, double *x, const double *inv_mass, am_objective obj,
                      void *ctx, am_min_result *r);

#endif
