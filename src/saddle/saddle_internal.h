/* Internal: what the Lanczos solver and the ARTn search share. */
#ifndef AM_SADDLE_INTERNAL_H
#define AM_SADDLE_INTERNAL_H

#include "amorph/saddle.h"

#include <gsl/gsl_rng.h>

/* The energy as a function of a flat coordinate vector: all 3n coordinates
 * of a system and engine, or with local forces (a region, g) the 3 per
 * active atom only, every other atom frozen. Nothing else in the searches
 * knows which. */
typedef struct sd_ctx {
    am_engine *e;
    am_system *s;
    am_region *g;     /* NULL: the whole system, whose rigid translations are zero modes */
    size_t n3;
    double *fsoa;     /* 3n scratch for the engine's fx, fy, fz blocks */
    long calls;       /* engine evaluations so far */
    long lanczos_calls; /* of which inside sd_lanczos */
} sd_ctx;

/* g NULL: the whole of s; else the active atoms of g (owned by the caller). */
am_status sd_ctx_init(sd_ctx *c, am_engine *e, am_system *s, am_region *g);
void sd_ctx_free(sd_ctx *c);
/* Energy and flat forces at x (both outputs required); counts the call. */
am_status sd_eval(sd_ctx *c, const double *x, double *energy, double *f);
/* Removes from v what no search direction may contain: the translations,
 * when they are zero modes. */
void sd_project(const sd_ctx *c, double *v);
/* Positions of c->s into a flat vector and back. */
void sd_get_positions(const am_system *s, double *x);
void sd_set_positions(am_system *s, const double *x);

double sd_dot(const double *a, const double *b, size_t n);
/* Removes the three rigid translations (mean displacement) from v. */
void sd_remove_translation(double *v, size_t n3);
/* Scales v to unit norm; returns the old norm (v untouched when it is 0). */
double sd_normalize(double *v, size_t n3);
/* Largest per-atom norm of a flat 3-vector field. */
double sd_maxnorm(const double *v, size_t n3);

/* Lowest eigenpair at x, where the forces are f0. start may be NULL (random
 * from rng). deflate (unit vector, may be NULL) is projected out like the
 * translations, giving the lowest eigenpair orthogonal to it. Options must
 * already have their defaults. */
am_status sd_lanczos(sd_ctx *c, const am_lanczos_options *o, const double *x, const double *f0,
                     const double *start, const double *deflate, gsl_rng *rng, double *lambda, double *mode);

/* sd_reflect_lbfgs's settings. */
typedef struct sd_reflect_options {
    double ftol;       /* converged when every |F| per atom is below it, eV/Å */
    double dmax;       /* largest move of an atom per step, Å */
    long max_calls;    /* force calls at most */
    int memory;        /* L-BFGS pairs */
    double emax;       /* stop (not converged) at an energy above this, eV */
    int precondition;  /* 1: with the particle-mesh preconditioner where it applies (the whole of a periodic box) */
} sd_reflect_options;

/* Converges the saddle next to x along the fixed mode v (unit, projected)
 * by L-BFGS on the reflected force F − 2 (F·v) v (reflect.c). On entry f and
 * *e are those at x; on return x, f, *e the end point (the calls counted in
 * c), *converged 1 when every atom's |F| < o->ftol. */
am_status sd_reflect_lbfgs(sd_ctx *c, double *x, double *f, double *e, const double *v, const sd_reflect_options *o,
                           int *converged);

/* One ARTn try: am_saddle_search without its restarts (artn.c). */
am_status sd_try(am_engine *e, am_system *s, const am_saddle_options *o, size_t center, const double *push,
                     am_saddle_result *r);

#endif
