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

/* A particle-mesh preconditioner for a periodic solid's relaxation (precon.c):
 * P ≈ the inverse Hessian, elastic at long wavelengths, an atom's cage
 * stiffness at short ones; symmetric positive definite. */
typedef struct am_pm_precon am_pm_precon;
/* Its model: an atom's stiffness in its cage k_ref, eV/Å², and a shear
 * modulus μ_ref, eV/Å³ (0.2 = 32 GPa, Cu-Zr glasses' 30-35 GPa): for a long
 * wave u of wavevector q, P u ≈ (1/k_ref + 1/(Ω μ_ref q²)) u, Ω the volume
 * per atom. Only their ratio matters to L-BFGS, which fits the scale. */
#define AM_PM_K_REF 4.0
#define AM_PM_MU_REF 0.2
/* For n atoms at x (flat x y z per atom, Å) in box b, the grid's weights
 * taken there. *out NULL (and AM_OK) where a mesh cannot help: a direction
 * not periodic, under 4 cells (16 Å) across, or more than 8 cells per atom.
 * The spacing and the two constants are metal units; in lj units P is still
 * symmetric positive definite, its ratio untuned. */
am_status am_pm_precon_alloc(const am_box *b, const double *x, size_t n, am_pm_precon **out);
/* pa = P a, and pb = P b unless b is NULL (two at the cost of ~1.5);
 * flat 3n vectors, Å²/eV times a's unit. */
void am_pm_precon_apply(am_pm_precon *p, const double *a, double *pa, const double *b, double *pb);
/* Its grid: cells along the box's three cell vectors. */
void am_pm_precon_grid(const am_pm_precon *p, int ng[3]);
void am_pm_precon_free(am_pm_precon *p);

/* A preconditioner for L-BFGS: pa = P a and, unless b is NULL, pb = P b
 * (P symmetric positive definite); work: 2 n scratch values. */
typedef struct am_lbfgs_h0 {
    void (*apply)(void *ctx, const double *a, double *pa, const double *b, double *pb);
    void *ctx;
    double *work;
} am_lbfgs_h0;

/* L-BFGS's two-loop recursion (Nocedal & Wright, Algorithm 7.4): d = −H g
 * from the `have` newest of the m pairs in a ring — s_k and y_k at k·n in
 * sv and yv, rho[k] = 1/(s_k·y_k), the newest at head − 1 — with H0 = γ P,
 * γ = s·y / y·P y of the newest pair, or H0 = gamma0 I when there is none.
 * P: h0's, or the identity when h0 is NULL. al: m scratch values. */
void am_lbfgs_direction(size_t n, const double *g, const double *sv, const double *yv, const double *rho, int m,
                        int have, int head, double gamma0, const am_lbfgs_h0 *h0, double *al, double *d);

am_status am_min_cg(const am_min_options *o, size_t n, double *x, am_objective obj, void *ctx, am_min_result *r);
am_status am_min_lbfgs(const am_min_options *o, size_t n, double *x, am_objective obj, void *ctx, am_min_result *r);
am_status am_min_fire(const am_min_options *o, size_t n, double *x, const double *inv_mass, am_objective obj,
                      void *ctx, am_min_result *r);

#endif
