/* am_minimize: the minimisers applied to a system's atoms and, optionally,
 * its box.
 *
 * With the box free the variables are the atoms' positions in the reference
 * box (q = lo + (x - lo) L0/L) and one or three strains ξ = L_ref ln(L/L0)
 * in Å, so that their gradients, (-W_aa + P V)/L_ref, are forces in eV/Å
 * like the atoms' and share one tolerance. The strains ride in the vector as
 * one extra "atom". */
#include "minimize/min.h"
#include "dynamics/md_state.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct relax_ctx {
    am_engine *e;
    am_system *s;
    double *f;         /* 3n: fx, fy, fz blocks */
    int box;           /* AM_BOX_* */
    double lo[3], l0[3], lref, p_target; /* reference box; Å; eV/Å³ */
} relax_ctx;

/* Box lengths from the strain variables at the end of x. */
static void box_from(const relax_ctx *c, const double *xs, double l[3])
{
    for (int d = 0; d < 3; d++) l[d] = c->l0[d] * exp((c->box == AM_BOX_ISO ? xs[0] : xs[d]) / c->lref);
}

static void apply(relax_ctx *c, const double *x)
{
    am_system *s = c->s;
    const size_t n = s->n;
    if (c->box == AM_BOX_FIXED) {
        for (size_t i = 0; i < n; i++) { s->x[i] = x[3 * i]; s->y[i] = x[3 * i + 1]; s->z[i] = x[3 * i + 2]; }
        return;
    }
    double l[3];
    box_from(c, x + 3 * n, l);
    double *r[3] = {s->x, s->y, s->z};
    for (int d = 0; d < 3; d++) {
        const double k = l[d] / c->l0[d];
        for (size_t i = 0; i < n; i++) r[d][i] = c->lo[d] + k * (x[3 * i + d] - c->lo[d]);
        s->box.len[d] = l[d];
    }
}

static am_status relax_objective(void *vctx, const double *x, double *energy, double *grad)
{
    relax_ctx *c = vctx;
    am_system *s = c->s;
    const size_t n = s->n;
    apply(c, x);
    am_result r = {0};
    r.skip_virial = c->box == AM_BOX_FIXED;
    r.fx = c->f; r.fy = c->f + n; r.fz = c->f + 2 * n;
    am_status st = am_engine_compute(c->e, s, &r);
    if (st) return st;
    *energy = r.energy;
    if (c->box == AM_BOX_FIXED) {
        for (size_t i = 0; i < n; i++) {
            grad[3 * i] = -r.fx[i]; grad[3 * i + 1] = -r.fy[i]; grad[3 * i + 2] = -r.fz[i];
        }
        return AM_OK;
    }
    const double v = am_box_volume(&s->box);
    double k[3];
    for (int d = 0; d < 3; d++) k[d] = s->box.len[d] / c->l0[d];
    for (size_t i = 0; i < n; i++) {
        grad[3 * i] = -r.fx[i] * k[0]; grad[3 * i + 1] = -r.fy[i] * k[1]; grad[3 * i + 2] = -r.fz[i] * k[2];
    }
    *energy += c->p_target * v;
    double *gs = grad + 3 * n;
    if (c->box == AM_BOX_ISO) {
        gs[0] = (-(r.virial[0] + r.virial[1] + r.virial[2]) + 3.0 * c->p_target * v) / c->lref;
        gs[1] = gs[2] = 0.0;
    } else {
        for (int d = 0; d < 3; d++) gs[d] = (-r.virial[d] + c->p_target * v) / c->lref;
    }
    return AM_OK;
}

am_status am_minimize(am_engine *e, am_system *s, const am_min_options *o, am_min_result *r)
{
    const size_t n = s->n;
    const int box = o ? (int)o->box : AM_BOX_FIXED;
    if (box != AM_BOX_FIXED && (am_box_is_triclinic(&s->box) || !s->box.periodic[0] || !s->box.periodic[1] ||
                                !s->box.periodic[2]))
        return am_fail(AM_ERR_UNSUPPORTED, "minimise: box relaxation needs an orthogonal box periodic in x, y and z");
    const size_t nv = 3 * n + (box != AM_BOX_FIXED ? 3 : 0);
    double *x = malloc(nv * sizeof(double) + 1), *f = malloc(3 * n * sizeof(double) + 1);
    double *im = calloc(n + 2, sizeof(double));
    if (!x || !f || !im) {
        free(x); free(f); free(im);
        return am_fail(AM_ERR_NOMEM, "minimise: out of memory for %zu atoms", n);
    }
    for (size_t i = 0; i < n; i++) {
        x[3 * i] = s->x[i]; x[3 * i + 1] = s->y[i]; x[3 * i + 2] = s->z[i];
        double m = s->species[s->type[i]].mass;
        im[i] = m > 0 ? 1.0 / m : 1.0;
    }
    relax_ctx c = {e, s, f, box, {0, 0, 0}, {0, 0, 0}, cbrt(am_box_volume(&s->box)), 0.0};
    if (box != AM_BOX_FIXED) {
        for (int d = 0; d < 3; d++) { c.lo[d] = s->box.lo[d]; c.l0[d] = s->box.len[d]; x[3 * n + d] = 0.0; }
        /* the target is in the potential's pressure unit (bar in metal) */
        c.p_target = o->pressure / am_engine_units(e)->nktv2p;
        im[n] = 1.0 / (double)n; /* FIRE: the box moves like the whole crystal */
    }
    /* FIRE moves atoms by dynamics, in the potential's units */
    am_min_options mo = o ? *o : (am_min_options){0};
    const am_units *u = am_engine_units(e);
    mo.mvv2e = u->mvv2e;
    if (!(mo.dt > 0)) mo.dt = am_md_default_dt(u);
    am_status st = am_min_run(&mo, nv, x, im, relax_objective, &c, r);
    if (!st) apply(&c, x); /* leave the system at the final point */
    free(x); free(f); free(im);
    return st;
}
