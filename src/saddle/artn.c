/* ARTn saddle search (SPEC §4).
 *
 * Basin: the configuration is pushed along a fixed random direction on the
 * atoms near the centre and relaxed in the hyperplane perpendicular to it,
 * until the lowest Hessian eigenvalue falls below the threshold (the basin's
 * inflection line is crossed). Activation: a Newton step along the lowest
 * mode climbs towards the saddle, a capped relaxation perpendicular to the
 * mode descends everywhere else, and Lanczos, seeded with the previous mode,
 * follows the mode as it turns. Off the converged saddle both ways, full
 * minimisations give the two minima it connects; one must be the start.
 *
 * The perpendicular relaxations reuse the library's CG on a projected
 * gradient: along any direction inside the hyperplane the projected and the
 * true directional derivatives agree, so the line search stays exact. */
#include "saddle/saddle_internal.h"
#include "core/error.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void am_saddle_defaults(am_saddle_options *o)
{
    memset(o, 0, sizeof *o);
    o->push_radius = 2.0;
    o->push_norm = 0.1;
    o->increment = 0.15;
    o->basin_perp_steps = 3;
    o->max_basin_steps = 40;
    o->eigen_threshold = -0.30;
    o->eigen_step = 0.15;
    o->act_perp_steps = 1;
    o->perp_force = 0.02;
    o->max_act_steps = 150;
    o->exit_force = 0.05;
    am_lanczos_defaults(&o->lanczos);
    o->push_over = 0.15;
    o->min_ftol = 1e-4;
    o->min_max_iter = 5000;
    o->same_disp = 0.1;
    o->same_energy = 0.02;
    o->return_disp = 1.0;
    o->max_energy = 25.0;
    o->dmax = 0.1;
    o->max_lost = 4;
    o->second_threshold = -0.01;
    o->max_descents = 2;
    o->descent_step = 0.1;
}

const char *am_saddle_outcome_name(am_saddle_outcome o)
{
    switch (o) {
    case AM_SADDLE_OK: return "ok";
    case AM_SADDLE_BASIN_LIMIT: return "basin step limit";
    case AM_SADDLE_STEP_LIMIT: return "activation step limit";
    case AM_SADDLE_EIGENVALUE_LOST: return "eigenvalue lost";
    case AM_SADDLE_BLOWUP: return "energy blow-up";
    case AM_SADDLE_BELOW_MINIMUM: return "saddle below a minimum";
    case AM_SADDLE_NOT_CONNECTED: return "not connected to the initial minimum";
    case AM_SADDLE_RETURNED: return "returned to start";
    case AM_SADDLE_MIN_FAILED: return "minimisation failed";
    case AM_SADDLE_HIGHER_ORDER: return "higher-order saddle";
    case AM_SADDLE_NOUTCOMES: break;
    }
    return "unknown";
}

/* Minimum-image displacement b − a of one atom, in place in d. */
static void min_image(const am_box *box, double d[3])
{
    double r[3] = {box->lo[0] + d[0], box->lo[1] + d[1], box->lo[2] + d[2]}, s[3];
    am_box_to_frac(box, r, s);
    for (int k = 0; k < 3; k++)
        if (box->periodic[k]) s[k] -= nearbyint(s[k]);
    am_box_from_frac(box, s, r);
    for (int k = 0; k < 3; k++) d[k] = r[k] - box->lo[k];
}

/* Largest atom displacement and total displacement norm between a and b. */
static void displacement(const am_box *box, const double *a, const double *b, size_t n3, double *dmax,
                         double *dtot)
{
    double m = 0.0, t = 0.0;
    for (size_t i = 0; i < n3; i += 3) {
        double d[3] = {b[i] - a[i], b[i + 1] - a[i + 1], b[i + 2] - a[i + 2]};
        min_image(box, d);
        const double q = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (q > m) m = q;
        t += q;
    }
    *dmax = sqrt(m);
    *dtot = sqrt(t);
}

/* Objective for the minimisers: the true energy, the gradient with its
 * component along dir removed (dir NULL: the full gradient). Keeps the last
 * evaluation so the caller gets true forces without recomputing. */
typedef struct proj_ctx {
    sd_ctx *c;
    const double *dir;
    double *x, *f; /* last evaluated point and its full forces */
    double e;
} proj_ctx;

static am_status proj_objective(void *vctx, const double *x, double *energy, double *grad)
{
    proj_ctx *p = vctx;
    const size_t n3 = p->c->n3;
    am_status st = sd_eval(p->c, x, &p->e, p->f);
    if (st) return st;
    memcpy(p->x, x, n3 * sizeof(double));
    *energy = p->e;
    const double fp = p->dir ? sd_dot(p->f, p->dir, n3) : 0.0;
    for (size_t i = 0; i < n3; i++) grad[i] = -(p->f[i] - (p->dir ? fp * p->dir[i] : 0.0));
    return AM_OK;
}

typedef struct search {
    sd_ctx c;
    const am_saddle_options *o;
    size_t n3;
    double *x, *f, *px, *pf; /* current point and forces; proj_ctx's copies */
    double e;
} search;

/* Relaxes x perpendicular to dir (NULL: fully) with at most `iters` CG
 * iterations (≤ 0: until ftol); on return x, f and e describe the end point. */
static am_status relax(search *w, const double *dir, long iters, double ftol, am_min_result *mr)
{
    const size_t n3 = w->n3;
    if (dir && iters <= 0) return AM_OK;
    if (dir) {
        /* already relaxed: skip the minimiser's initial evaluation */
        const double fp = sd_dot(w->f, dir, n3);
        double m = 0.0;
        for (size_t i = 0; i < n3; i += 3) {
            double q = 0.0;
            for (int k = 0; k < 3; k++) q += (w->f[i + k] - fp * dir[i + k]) * (w->f[i + k] - fp * dir[i + k]);
            if (q > m) m = q;
        }
        if (sqrt(m) < ftol) return AM_OK;
    }
    proj_ctx p = {&w->c, dir, w->px, w->pf, 0.0};
    am_min_options mo = {0};
    mo.method = AM_MIN_CG;
    mo.ftol = ftol;
    mo.max_iter = iters > 0 ? iters : w->o->min_max_iter;
    mo.dmax = w->o->dmax;
    am_min_result tmp;
    if (!mr) mr = &tmp;
    am_status st = am_min_run(&mo, n3, w->x, NULL, proj_objective, &p, mr);
    if (st) return st;
    if (memcmp(w->x, w->px, n3 * sizeof(double)) == 0) {
        memcpy(w->f, w->pf, n3 * sizeof(double));
        w->e = p.e;
        return AM_OK;
    }
    return sd_eval(&w->c, w->x, &w->e, w->f);
}

static int blown_up(const search *w, double e0)
{
    return !isfinite(w->e) || w->e - e0 > w->o->max_energy;
}

am_status am_saddle_search(am_engine *e, am_system *s, const am_saddle_options *opt, size_t center,
                           const double *push, am_saddle_result *r)
{
    am_saddle_options o;
    if (opt) o = *opt;
    else am_saddle_defaults(&o);
    {
        am_lanczos_options ld;
        am_lanczos_defaults(&ld);
        if (o.lanczos.max_vectors <= 0) o.lanczos.max_vectors = ld.max_vectors;
        if (!(o.lanczos.tol > 0)) o.lanczos.tol = ld.tol;
        if (!(o.lanczos.dx > 0)) o.lanczos.dx = ld.dx;
    }
    if (!e || !s || !r) return am_fail(AM_ERR_VALUE, "saddle: engine, system and result are required");
    if (s->n < 2 || center >= s->n)
        return am_fail(AM_ERR_VALUE, "saddle: centre atom %zu outside 0..%zu", center, s->n ? s->n - 1 : 0);
    if (!(o.push_norm > 0) || !(o.increment > 0) || !(o.eigen_step > 0) || !(o.exit_force > 0) ||
        !(o.push_over > 0) || !(o.min_ftol > 0) || !(o.dmax > 0) || o.max_basin_steps < 1 || o.max_act_steps < 0)
        return am_fail(AM_ERR_VALUE, "saddle: step sizes, tolerances and step limits must be positive");

    double *keep_sx = r->saddle_xyz, *keep_fx = r->final_xyz;
    memset(r, 0, sizeof *r);
    r->saddle_xyz = keep_sx;
    r->final_xyz = keep_fx;
    r->e_saddle = r->e_final = r->ea = r->eigenvalue = r->eigenvalue2 = r->fmax_saddle = NAN;
    r->disp_max = r->disp_total = r->disp_back = NAN;

    search w = {0};
    w.o = &o;
    am_status st = sd_ctx_init(&w.c, e, s);
    if (st) return st;
    const size_t n3 = w.c.n3;
    w.n3 = n3;
    /* x0 start; d push direction; v mode; xs saddle; xm[2] the two minima */
    double *buf = malloc(10 * n3 * sizeof(double));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!buf || !rng) {
        free(buf);
        if (rng) gsl_rng_free(rng);
        sd_ctx_free(&w.c);
        return am_fail(AM_ERR_NOMEM, "saddle: out of memory for %zu atoms", s->n);
    }
    double *x0 = buf, *d = buf + n3, *v = buf + 2 * n3, *xs = buf + 3 * n3, *xm[2] = {buf + 4 * n3, buf + 5 * n3};
    w.x = buf + 6 * n3; w.f = buf + 7 * n3; w.px = buf + 8 * n3; w.pf = buf + 9 * n3;
    gsl_rng_set(rng, o.seed);
    /* The force sums' order follows the neighbour list, which depends on
     * where it was last built: rebuilding it here makes the search a
     * function of its inputs alone, not of the engine's history. */
    am_engine_invalidate(e);
    sd_get_positions(s, x0);
    memcpy(w.x, x0, n3 * sizeof(double));
    double lambda = NAN;
    if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;
    const double e0 = w.e;
    r->e0 = e0;
    r->fmax0 = sd_maxnorm(w.f, n3);

    /* push direction: random (or given) on the atoms near the centre */
    for (size_t i = 0; i < n3; i++) d[i] = push ? push[i] : gsl_ran_gaussian(rng, 1.0);
    for (size_t i = 0; i < n3; i += 3) {
        double dc[3] = {x0[i] - x0[3 * center], x0[i + 1] - x0[3 * center + 1], x0[i + 2] - x0[3 * center + 2]};
        min_image(&s->box, dc);
        if (i != 3 * center && dc[0] * dc[0] + dc[1] * dc[1] + dc[2] * dc[2] > o.push_radius * o.push_radius)
            d[i] = d[i + 1] = d[i + 2] = 0.0;
    }
    sd_remove_translation(d, n3);
    if (!(sd_normalize(d, n3) > 0)) {
        st = am_fail(AM_ERR_VALUE, "saddle: the push direction vanishes on the atoms near atom %zu", center);
        goto done;
    }
    for (size_t i = 0; i < n3; i++) w.x[i] += o.push_norm * d[i];
    if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;

    /* basin */
    int have_mode = 0, lost = 0;
basin:
    for (;;) {
        if (r->basin_steps >= o.max_basin_steps) { r->outcome = AM_SADDLE_BASIN_LIMIT; goto record; }
        for (size_t i = 0; i < n3; i++) w.x[i] += o.increment * d[i];
        if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;
        if ((st = relax(&w, d, o.basin_perp_steps, o.perp_force, NULL))) goto done;
        r->basin_steps++;
        if (blown_up(&w, e0)) { r->outcome = AM_SADDLE_BLOWUP; goto record; }
        if ((st = sd_lanczos(&w.c, &o.lanczos, w.x, w.f, have_mode ? v : d, NULL, rng, &lambda, v))) goto done;
        have_mode = 1;
        if (lambda < o.eigen_threshold) break;
    }

    /* activation; the perpendicular tolerance must stay below the exit
     * force or tight exit forces could never be met */
    const double perp_act = fmin(o.perp_force, 0.5 * o.exit_force);
    int descents = 0;
activation:
    for (;;) {
        if (sd_maxnorm(w.f, n3) < o.exit_force) break;
        if (r->act_steps >= o.max_act_steps) { r->outcome = AM_SADDLE_STEP_LIMIT; goto record; }
        /* Newton step on the mode's parabola, s = F∥/λ (λ < 0: against F∥) */
        const double fpar = sd_dot(w.f, v, n3);
        double step = fabs(fpar) / fabs(lambda);
        if (step > o.eigen_step) step = o.eigen_step;
        const double sgn = fpar > 0 ? -1.0 : 1.0;
        for (size_t i = 0; i < n3; i++) w.x[i] += sgn * step * v[i];
        if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;
        if ((st = relax(&w, v, o.act_perp_steps, perp_act, NULL))) goto done;
        r->act_steps++;
        if (blown_up(&w, e0)) { r->outcome = AM_SADDLE_BLOWUP; goto record; }
        if ((st = sd_lanczos(&w.c, &o.lanczos, w.x, w.f, v, NULL, rng, &lambda, v))) goto done;
        /* a lost negative curvature usually means the climb left the
         * saddle's valley sideways; pushing on along the initial direction
         * (as in the basin) finds it again more often than not */
        if (!(lambda < 0)) {
            if (++lost > o.max_lost) { r->outcome = AM_SADDLE_EIGENVALUE_LOST; goto record; }
            goto basin;
        }
    }
    r->force_calls_saddle = w.c.calls;
    r->e_saddle = w.e;
    r->ea = w.e - e0;
    r->fmax_saddle = sd_maxnorm(w.f, n3);
    memcpy(xs, w.x, n3 * sizeof(double));
    /* a force-converged point can still be a higher-order saddle (found on
     * the glass: second curvatures of -0.02 to -0.05 eV/Å²): one more Lanczos,
     * orthogonal to the mode, tells (xm[0] is free scratch here) */
    {
        /* the deflated spectrum's bottom sits next to the glass's many soft
         * modes, so this Lanczos needs more vectors than the mode's */
        am_lanczos_options l2 = o.lanczos;
        l2.max_vectors = 4 * o.lanczos.max_vectors;
        l2.tol = 0.01 * o.lanczos.tol;
        double lambda2;
        if ((st = sd_lanczos(&w.c, &l2, w.x, w.f, NULL, v, rng, &lambda2, xm[0]))) goto done;
        r->eigenvalue2 = lambda2;
        if (lambda2 < o.second_threshold) {
            /* step off along the second mode (downhill both ways to second
             * order) and climb on: the activation's relaxation then slides
             * down that mode to a first-order saddle nearby */
            if (descents++ < o.max_descents) {
                for (size_t i = 0; i < n3; i++) w.x[i] += o.descent_step * xm[0][i];
                if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;
                goto activation;
            }
            r->outcome = AM_SADDLE_HIGHER_ORDER;
            goto record;
        }
    }
    if (!(w.e > e0)) { r->outcome = AM_SADDLE_BELOW_MINIMUM; goto record; }

    /* the two minima the saddle connects */
    double em[2], dm[2], dt[2];
    int conv[2];
    for (int side = 0; side < 2; side++) {
        const double sg = side ? -1.0 : 1.0;
        for (size_t i = 0; i < n3; i++) w.x[i] = xs[i] + sg * o.push_over * v[i];
        if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;
        am_min_result mr;
        if ((st = relax(&w, NULL, 0, o.min_ftol, &mr))) goto done;
        conv[side] = mr.converged;
        em[side] = w.e;
        memcpy(xm[side], w.x, n3 * sizeof(double));
        displacement(&s->box, x0, xm[side], n3, &dm[side], &dt[side]);
    }
    /* the side closer to the start is the way back */
    const int back = dm[1] < dm[0], fwd = 1 - back;
    r->disp_back = dm[back];
    r->e_final = em[fwd];
    r->disp_max = dm[fwd];
    r->disp_total = dt[fwd];
    if (r->final_xyz) memcpy(r->final_xyz, xm[fwd], n3 * sizeof(double));
    if (!conv[0] || !conv[1]) r->outcome = AM_SADDLE_MIN_FAILED;
    else if (!(dm[back] < o.same_disp && fabs(em[back] - e0) < o.same_energy)) r->outcome = AM_SADDLE_NOT_CONNECTED;
    else if (fabs(em[fwd] - e0) < o.same_energy && dt[fwd] < o.return_disp) r->outcome = AM_SADDLE_RETURNED;
    else if (!(r->e_saddle > em[fwd])) r->outcome = AM_SADDLE_BELOW_MINIMUM;
    else r->outcome = AM_SADDLE_OK;
    memcpy(w.x, xs, n3 * sizeof(double));
    goto finish;

record:
    /* a failed search still reports where it stopped */
    r->e_saddle = w.e;
    r->ea = w.e - e0;
    r->fmax_saddle = sd_maxnorm(w.f, n3);
finish:
    r->eigenvalue = lambda;
    if (r->saddle_xyz) memcpy(r->saddle_xyz, r->force_calls_saddle ? xs : w.x, n3 * sizeof(double));
done:
    r->force_calls = w.c.calls;
    sd_set_positions(s, x0);
    gsl_rng_free(rng);
    free(buf);
    sd_ctx_free(&w.c);
    return st;
}
