/* Internal: what the Lanczos solver and the ARTn search share. */
#ifndef AM_SADDLE_INTERNAL_H
#define AM_SADDLE_INTERNAL_H

#include "amorph/saddle.h"

#include <gsl/gsl_rng.h>

/* A system and engine seen as a function of the flat 3n coordinate vector. */
typedef struct sd_ctx {
    am_engine *e;
    am_system *s;
    size_t n3;
    double *fsoa; /* 3n scratch for the engine's fx, fy, fz blocks */
    long calls;   /* engine evaluations so far */
} sd_ctx;

am_status sd_ctx_init(sd_ctx *c, am_engine *e, am_system *s);
void sd_ctx_free(sd_ctx *c);
/* Energy and flat forces at x (both outputs required); counts the call. */
am_status sd_eval(sd_ctx *c, const double *x, double *energy, double *f);
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

#endif
