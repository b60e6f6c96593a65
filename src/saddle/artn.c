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

/* CG line-search test (am_min_options.wolfe) inside searches; why: see
 * am_saddle_search. 0 there would be the minimiser's exact default. */
#define SEARCH_WOLFE 0.4
/* Relaxation iterations per climb step once a tight refinement's last stage
 * is on the mode's parabola; why: see refine_stage. */
#define TIGHT_NEAR_STEPS 30
/* The reflected refinement (reflect.c): force calls before the climb takes
 * over; L-BFGS pairs (am_min_options.memory's default; 20 measured no
 * better); and its force tolerance as a fraction of the exit force. At the
 * exit force itself barriers came out up to 0.006 eV (median 0.0012) above
 * the saddle converged to 0.0005 eV/Å: the far field's soft modes keep
 * energy at any max-force test. At half of it they are as close as the
 * climb's (whose perpendicular relaxations go to half the exit force too):
 * docs/saddle.md, "Reflected refinement". */
#define REFLECT_MAX_CALLS 400
#define REFLECT_MEMORY 8
#define REFLECT_TOL 0.5
#define REFLECT_MAX_RISE 0.5 /* eV */

void am_saddle_defaults(am_saddle_options *o)
{
    memset(o, 0, sizeof *o);
    o->push_radius = 2.0;
    o->push_norm = 0.1;
    o->increment = 0.15;
    o->basin_perp_steps = 1;
    o->max_basin_steps = 40;
    o->basin_quiet = 4;
    o->basin_lanczos_vectors = 8;
    o->eigen_threshold = -0.30;
    o->eigen_step = 0.15;
    o->act_perp_steps = 1;
    o->act_perp_near = 10;
    o->act_mode_reuse = 0;
    o->act_lanczos_vectors = 0;
    o->perp_force = 0.02;
    o->max_act_steps = 150;
    o->exit_force = 0.05;
    am_lanczos_defaults(&o->lanczos);
    /* the basin's test and the climb's Newton step need the curvature to a
     * fraction of the threshold's scale, not more digits as λ crosses zero */
    o->lanczos.scale = 0.30;
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
    o->push_over_retries = 2;
    o->descent_step = 0.1;
    /* the protocol measured in docs/saddle.md ("Protocol"): the centre and
     * its 5 nearest neighbours pushed, local forces within 10 Å, each saddle
     * re-converged to 0.002 eV/Å within 20 Å and then in the whole box */
    o->local_radius = 10.0;
    o->refine_radius = -1.0;
    o->refine_perp_steps = 3;
    o->refine_inner_radius = 20.0;
    o->refine_exit_force = 0.002;
    o->push_cluster = 6;
    o->basin_align = 0;
    o->max_center_disp = 0.0;
    o->max_final_rise = 0.0;
    o->restarts = 3;
    o->refine_reflect = 1;
    o->refine_precondition = 0;
}

void am_saddle_paper(am_saddle_options *o)
{
    am_saddle_defaults(o);
    o->push_radius = 2.0;
    o->push_cluster = 0;
    o->basin_align = 0;
    o->max_center_disp = 0.0;
    o->max_final_rise = 0.0;
    o->local_radius = 0.0;
    o->refine_inner_radius = 0.0;
    o->refine_exit_force = 0.0;
    o->restarts = 0;
    o->refine_reflect = 0;
    o->refine_precondition = 0;
}

/* Lennard-Jones searches (docs/saddle.md, "Units"): the Cu-Zr protocol with
 * every number carried over by dimension, lengths by LJ_LENGTH σ per Å (the
 * Kob-Andersen A-A neighbour distance, 1.08 σ, against Cu-Zr's mean 2.75 Å)
 * and energies by LJ_ENERGY ε per eV; forces and curvatures follow. Two
 * lengths are measured instead: the Lanczos difference step, as the forward
 * difference of r⁻¹³ forces at compressed contacts errs by tens of ε/σ² at
 * the carried-over 4e-4 σ (spurious negative curvatures: 1 search in 12
 * converged on a 1000-atom KA glass, 4 in 12 at 1e-5 σ), and the push over
 * the saddle with the test for the start, 0.1 σ (5 in 12). The LJ engine has
 * no local region (a region would cost the whole system anyway), so the
 * whole box moves and nothing is re-converged. */
#define LJ_LENGTH 0.4
#define LJ_ENERGY 1.0
#define LJ_LANCZOS_DX 1e-5
#define LJ_PUSH_OVER 0.1

/* x to two significant digits: the defaults --help shows stay round */
static double round2(double x)
{
    if (x == 0 || !isfinite(x)) return x;
    const double p = pow(10.0, floor(log10(fabs(x))) - 1);
    return round(x / p) * p;
}

static void lj_scale(am_saddle_options *o)
{
    const double l = LJ_LENGTH, e = LJ_ENERGY, f = e / l, c = e / (l * l);
    double *len[] = {&o->push_radius, &o->push_norm, &o->increment, &o->eigen_step, &o->lanczos.dx, &o->push_over,
                     &o->same_disp, &o->return_disp, &o->dmax, &o->descent_step, &o->max_center_disp};
    double *en[] = {&o->same_energy, &o->max_energy, &o->max_final_rise};
    double *force[] = {&o->perp_force, &o->exit_force, &o->min_ftol};
    double *curv[] = {&o->eigen_threshold, &o->lanczos.scale, &o->second_threshold};
    for (size_t k = 0; k < sizeof len / sizeof *len; k++) *len[k] = round2(*len[k] * l);
    for (size_t k = 0; k < sizeof en / sizeof *en; k++) *en[k] = round2(*en[k] * e);
    for (size_t k = 0; k < sizeof force / sizeof *force; k++) *force[k] = round2(*force[k] * f);
    for (size_t k = 0; k < sizeof curv / sizeof *curv; k++) *curv[k] = round2(*curv[k] * c);
    o->lanczos.dx = LJ_LANCZOS_DX;
    o->push_over = o->same_disp = LJ_PUSH_OVER;
    o->local_radius = 0.0;
    o->refine_radius = 0.0;
    o->refine_inner_radius = 0.0;
    o->refine_exit_force = 0.0;
}

static int is_lj(const am_units *u) { return u && strcmp(u->style, "lj") == 0; }

void am_saddle_defaults_units(am_saddle_options *o, const am_units *u)
{
    am_saddle_defaults(o);
    if (is_lj(u)) lj_scale(o);
}

void am_saddle_paper_units(am_saddle_options *o, const am_units *u)
{
    am_saddle_paper(o);
    if (is_lj(u)) lj_scale(o);
}

void am_dedup_defaults_units(am_dedup_options *o, const am_units *u)
{
    am_dedup_defaults(o);
    if (!is_lj(u)) return;
    o->saddle_energy = round2(o->saddle_energy * LJ_ENERGY);
    o->final_energy = round2(o->final_energy * LJ_ENERGY);
    o->displacement = round2(o->displacement * LJ_LENGTH);
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
    case AM_SADDLE_REFINE_FAILED: return "refinement failed";
    case AM_SADDLE_CAGE_ESCAPE: return "cage escape";
    case AM_SADDLE_NOUTCOMES: break;
    }
    return "unknown";
}

typedef struct by_dist {
    double d2;
    size_t i;
} by_dist;

static int cmp_dist(const void *pa, const void *pb)
{
    const by_dist *a = pa, *b = pb;
    if (a->d2 != b->d2) return a->d2 < b->d2 ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Who is pushed: zeroes d (3 per atom, n atoms at x0) except on the centre
 * cr and the atoms within push_radius of it, or, with push_cluster, its
 * push_cluster − 1 nearest neighbours (minimum image). */
static am_status push_support(const am_box *box, const double *x0, size_t n, size_t cr, const am_saddle_options *o,
                              double *d)
{
    by_dist *b = malloc(n * sizeof *b);
    if (!b) return am_fail(AM_ERR_NOMEM, "saddle: out of memory for %zu atoms", n);
    for (size_t i = 0; i < n; i++) {
        double dc[3] = {x0[3 * i] - x0[3 * cr], x0[3 * i + 1] - x0[3 * cr + 1], x0[3 * i + 2] - x0[3 * cr + 2]};
        am_box_min_image(box, dc);
        b[i].d2 = i == cr ? -1.0 : dc[0] * dc[0] + dc[1] * dc[1] + dc[2] * dc[2];
        b[i].i = i;
    }
    if (o->push_cluster > 0) {
        const size_t keep = (size_t)o->push_cluster < n ? (size_t)o->push_cluster : n;
        qsort(b, n, sizeof *b, cmp_dist);
        for (size_t k = keep; k < n; k++) memset(d + 3 * b[k].i, 0, 3 * sizeof(double));
    } else {
        for (size_t i = 0; i < n; i++)
            if (b[i].d2 > o->push_radius * o->push_radius) memset(d + 3 * i, 0, 3 * sizeof(double));
    }
    free(b);
    return AM_OK;
}

/* Largest atom displacement and total displacement norm between a and b. */
static void displacement(const am_box *box, const double *a, const double *b, size_t n3, double *dmax,
                         double *dtot)
{
    double m = 0.0, t = 0.0;
    for (size_t i = 0; i < n3; i += 3) {
        double d[3] = {b[i] - a[i], b[i + 1] - a[i + 1], b[i + 2] - a[i + 2]};
        am_box_min_image(box, d);
        const double q = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (q > m) m = q;
        t += q;
    }
    *dmax = sqrt(m);
    *dtot = sqrt(t);
}

/* Displacement of atom k (coordinates k*3 .. k*3+2) from a to b, Å. */
static double atom_disp(const am_box *box, const double *a, const double *b, size_t k)
{
    double d[3] = {b[3 * k] - a[3 * k], b[3 * k + 1] - a[3 * k + 1], b[3 * k + 2] - a[3 * k + 2]};
    am_box_min_image(box, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* Atoms displaced more than AM_MOVED_DISP from a to b. */
static long moved_atoms(const am_box *box, const double *a, const double *b, size_t n3)
{
    long m = 0;
    for (size_t k = 0; k < n3 / 3; k++) m += atom_disp(box, a, b, k) > AM_MOVED_DISP;
    return m;
}

/* Objective for the minimisers: the true energy, the gradient with its
 * component along dir removed (dir NULL: the full gradient). Keeps the last
 * evaluation so the caller gets true forces without recomputing. The
 * minimisers evaluate their starting point first; the search always knows
 * the forces there (kf, ke), which saves a force call per relaxation (a
 * tenth of a search's calls). */
typedef struct proj_ctx {
    sd_ctx *c;
    const double *dir;
    double *x, *f; /* last evaluated point and its full forces */
    double e;
    const double *kf; /* forces at the starting point, used once (then NULL) */
    double ke;
} proj_ctx;

static am_status proj_objective(void *vctx, const double *x, double *energy, double *grad)
{
    proj_ctx *p = vctx;
    const size_t n3 = p->c->n3;
    if (p->kf) {
        memcpy(p->f, p->kf, n3 * sizeof(double));
        p->e = p->ke;
        p->kf = NULL;
    } else {
        am_status st = sd_eval(p->c, x, &p->e, p->f);
        if (st) return st;
    }
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
    size_t *act;             /* local forces: the moving atoms, ascending (NULL: all) */
    size_t na;
    am_region *g;            /* their region (NULL: all atoms, full-box forces) */
    am_min_method method;    /* the relaxations' minimiser */
    double wolfe;            /* its line-search test (am_min_options.wolfe) */
    int near_steps;          /* relaxation iterations per climb step on the mode's parabola */
    /* cage-escape guard (max_center_disp): the centre's index among the
     * moving atoms and the start; x0 NULL: no guard (refinements) */
    const double *x0;
    size_t cr;
    const am_box *box;
} search;

/* The search's degrees of freedom: the atoms within `radius` of the centre
 * (radius <= 0, or one that takes in every atom: all of them, full-box
 * forces), and the force call over them. *cr (may be NULL) is the centre's
 * index among them. */
static am_status space_open(search *w, am_engine *e, am_system *s, size_t center, double radius, size_t *cr)
{
    w->act = NULL;
    w->g = NULL;
    w->na = s->n;
    if (cr) *cr = center;
    if (radius > 0) {
        size_t *act = malloc(s->n * sizeof(size_t)), na = 0, c = center;
        if (!act) return am_fail(AM_ERR_NOMEM, "saddle: out of memory for %zu atoms", s->n);
        for (size_t i = 0; i < s->n; i++) {
            double dc[3] = {s->x[i] - s->x[center], s->y[i] - s->y[center], s->z[i] - s->z[center]};
            am_box_min_image(&s->box, dc);
            if (i == center) c = na;
            if (i == center || dc[0] * dc[0] + dc[1] * dc[1] + dc[2] * dc[2] < radius * radius) act[na++] = i;
        }
        if (na == s->n) {
            free(act);
        } else {
            am_status st = am_region_create(e, s, act, na, &w->g);
            if (st) { free(act); return st; }
            w->act = act;
            w->na = na;
            if (cr) *cr = c;
        }
    }
    am_status st = sd_ctx_init(&w->c, e, s, w->g);
    if (st) {
        am_region_free(w->g);
        free(w->act);
        w->g = NULL;
        w->act = NULL;
        return st;
    }
    w->n3 = w->c.n3;
    return AM_OK;
}

static void space_close(search *w)
{
    sd_ctx_free(&w->c);
    am_region_free(w->g);
    free(w->act);
    w->g = NULL;
    w->act = NULL;
}

/* Coordinates of the search's degrees of freedom from the system. */
static void get_coords(const search *w, const am_system *s, double *x)
{
    if (!w->act) { sd_get_positions(s, x); return; }
    for (size_t r = 0; r < w->na; r++) {
        const size_t i = w->act[r];
        x[3 * r] = s->x[i]; x[3 * r + 1] = s->y[i]; x[3 * r + 2] = s->z[i];
    }
}

/* A whole configuration (3n) from the search's coordinates: frozen atoms
 * where they are in s (which local searches never move). */
static void full_coords(const search *w, const am_system *s, const double *x, double *out)
{
    if (!w->act) { memcpy(out, x, w->n3 * sizeof(double)); return; }
    sd_get_positions(s, out);
    for (size_t r = 0; r < w->na; r++) memcpy(out + 3 * w->act[r], x + 3 * r, 3 * sizeof(double));
}

/* Relaxes x perpendicular to dir (NULL: fully) with at most `iters` CG
 * iterations (≤ 0: until ftol). On entry f and e must be those at x (a
 * search keeps them so); on return x, f and e describe the end point. */
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
    proj_ctx p = {&w->c, dir, w->px, w->pf, 0.0, w->f, w->e};
    am_min_options mo = {0};
    mo.method = w->method;
    mo.ftol = ftol;
    mo.max_iter = iters > 0 ? iters : w->o->min_max_iter;
    mo.dmax = w->o->dmax;
    mo.wolfe = w->wolfe;
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

/* Charges the calls since the last mark to *bucket. */
static void charge(const search *w, long *mark, long *bucket)
{
    *bucket += w->c.calls - *mark;
    *mark = w->c.calls;
}

static int blown_up(const search *w, double e0)
{
    return !isfinite(w->e) || w->e - e0 > w->o->max_energy;
}

/* The guard against forced cage escapes: the search has dragged its
 * central atom farther than max_center_disp from its start. */
static int escaped(const search *w)
{
    return w->x0 && w->o->max_center_disp > 0 && atom_disp(w->box, w->x0, w->x, w->cr) > w->o->max_center_disp;
}

/* Activation from w->x with mode v (eigenvalue *lambda < 0): Newton steps
 * on the mode's parabola, s = F∥/λ (λ < 0: against F∥), capped at
 * eigen_step, each followed by a capped relaxation perpendicular to the mode
 * and a Lanczos seeded with it. *out: AM_SADDLE_OK once every force is below
 * exit_force, else why it stopped (a lost eigenvalue leaves the decision to
 * the caller). *steps counts the steps, up to max_act_steps. */
static am_status climb(search *w, double *v, double *lambda, gsl_rng *rng, int *steps, int perp_steps, double e0,
                       am_saddle_outcome *out)
{
    const am_saddle_options *o = w->o;
    const size_t n3 = w->n3;
    /* the perpendicular tolerance must stay below the exit force or tight
     * exit forces could never be met */
    const double perp_act = fmin(o->perp_force, 0.5 * o->exit_force);
    am_status st;
    int reuse = 0;
    /* seeded with the last mode, the climb's Lanczos needs few vectors */
    am_lanczos_options lact = o->lanczos;
    if (o->act_lanczos_vectors > 0) lact.max_vectors = o->act_lanczos_vectors;
    for (;;) {
        if (sd_maxnorm(w->f, n3) < o->exit_force) { *out = AM_SADDLE_OK; return AM_OK; }
        if (*steps >= o->max_act_steps) { *out = AM_SADDLE_STEP_LIMIT; return AM_OK; }
        const double fpar = sd_dot(w->f, v, n3);
        double step = fabs(fpar) / fabs(*lambda);
        if (step > o->eigen_step) step = o->eigen_step;
        const double sgn = fpar > 0 ? -1.0 : 1.0;
        /* near the saddle along the mode (Newton step inside the cap) the
         * climb is done: what is left is the perpendicular relaxation */
        const int near = step < o->eigen_step;
        for (size_t i = 0; i < n3; i++) w->x[i] += sgn * step * v[i];
        if ((st = sd_eval(&w->c, w->x, &w->e, w->f))) return st;
        if ((st = relax(w, v, near && w->near_steps > perp_steps ? w->near_steps : perp_steps, perp_act, NULL)))
            return st;
        (*steps)++;
        if (blown_up(w, e0)) { *out = AM_SADDLE_BLOWUP; return AM_OK; }
        if (escaped(w)) { *out = AM_SADDLE_CAGE_ESCAPE; return AM_OK; }
        /* a mode that the last Lanczos confirmed with a few products
         * barely turns from one step to the next: keep it for one step */
        if (reuse) { reuse = 0; continue; }
        const long before = w->c.lanczos_calls;
        if ((st = sd_lanczos(&w->c, &lact, w->x, w->f, v, NULL, rng, lambda, v))) return st;
        if (!(*lambda < 0)) { *out = AM_SADDLE_EIGENVALUE_LOST; return AM_OK; }
        reuse = w->c.lanczos_calls - before <= o->act_mode_reuse;
    }
}

/* The last stage of a tight refinement by reflected L-BFGS (reflect.c),
 * from u's point (energy, forces) with the inner stage's mode v (eigenvalue
 * *lambda). Its end point must still have a negative curvature along the
 * mode (a Lanczos seeded with it); *oc AM_SADDLE_OK then, with u, v and
 * *lambda there. Otherwise — not converged, the energy risen by more than
 * REFLECT_MAX_RISE (it followed v where v was no longer the mode: seen to
 * climb to 25 eV above the minimum), or the curvature lost — u, v and *lambda are put back as
 * they were for the climb, the calls spent. keep: 3 n3 scratch. */
static am_status reflect(search *u, double *keep, double *v, double *lambda, gsl_rng *rng, am_saddle_outcome *oc)
{
    const size_t n3 = u->n3;
    const am_saddle_options *o = u->o;
    const double e_start = u->e, lambda_start = *lambda;
    memcpy(keep, u->x, n3 * sizeof(double));
    memcpy(keep + n3, u->f, n3 * sizeof(double));
    memcpy(keep + 2 * n3, v, n3 * sizeof(double));
    const sd_reflect_options ro = {REFLECT_TOL * o->exit_force, o->dmax, REFLECT_MAX_CALLS, REFLECT_MEMORY,
                                   e_start + REFLECT_MAX_RISE, o->refine_precondition};
    int done;
    am_status st = sd_reflect_lbfgs(&u->c, u->x, u->f, &u->e, v, &ro, &done);
    if (!st && done) st = sd_lanczos(&u->c, &o->lanczos, u->x, u->f, v, NULL, rng, lambda, v);
    if (st) return st;
    if (done && *lambda < 0) { *oc = AM_SADDLE_OK; return AM_OK; }
    memcpy(u->x, keep, n3 * sizeof(double));
    memcpy(u->f, keep + n3, n3 * sizeof(double));
    memcpy(v, keep + 2 * n3, n3 * sizeof(double));
    u->e = e_start;
    *lambda = lambda_start;
    return AM_OK;
}

/* One refinement stage: re-converges the saddle xs (mode v) of the space w
 * with the atoms within `radius` of the centre moving (< 0: all). The mode
 * is re-estimated in the larger space and the activation climbs on,
 * refine_perp_steps iterations perpendicular to the mode per step, until
 * every moving atom's force is below exit_force. A full perpendicular
 * relaxation first would be cheaper but slides off the saddle along the part
 * of the mode the smaller space misses (measured: a third of the refinements
 * lost the negative eigenvalue); so would 10 or more steps per climb step
 * throughout (act_perp_near's 10 apply only once the climb along the mode
 * is done; with them 10 of 12 local searches on 24 000 atoms converged,
 * refinement included, as before them). `tight`: the refinement converges
 * below the search's exit force; the last stage of a tight refinement, with
 * a converged inner stage's mode, is first converged by reflect(). On
 * return u is open (the caller closes it) with u->x the saddle, *uv the
 * mode (both in *ubuf, the caller frees it), *oc AM_SADDLE_OK on success. */
static am_status refine_stage(am_engine *e, am_system *s, const search *w, const am_saddle_options *o, int tight,
                              size_t center, const double *xs, const double *v, double radius, double e0, gsl_rng *rng,
                              search *u, double **ubuf, double **uv, double *lambda, am_saddle_outcome *oc)
{
    /* a negative *lambda comes from a converged inner stage: its mode,
     * extended with zeros, has that Rayleigh quotient in the larger space
     * too (same Hessian block), an upper bound on the lowest curvature there,
     * so the climb can start with it and skip a Lanczos */
    const double lambda_in = *lambda;
    memset(u, 0, sizeof *u);
    u->o = o;
    /* A tight refinement (`tight`: below the search's exit force) is asked for
     * barriers to a few meV. With CG that took exact line searches (see
     * w->wolfe), two calls per iteration; L-BFGS relaxes the far field in
     * about one (24 000 atoms: 160 -> 105 refinement calls per saddle,
     * docs/saddle.md). Once the inner stage has converged, the last stage's
     * climb along the mode is done in a step or two and what is left is the
     * far field's relaxation: cut into pieces of 10 iterations, L-BFGS (which
     * restarts its memory with each) met the exit force less relaxed,
     * barriers a median 0.005 eV above the saddle converged to 0.002 eV/Å;
     * with 30, 0.003 (CG: 0.002). L-BFGS has its own line-search test, so
     * w->wolfe only matters to CG stages. */
    u->method = tight ? AM_MIN_LBFGS : w->method;
    u->wolfe = w->wolfe;
    u->near_steps = tight && lambda_in < 0 ? TIGHT_NEAR_STEPS : w->near_steps;
    *ubuf = NULL;
    *oc = AM_SADDLE_REFINE_FAILED;
    am_status st = space_open(u, e, s, center, radius, NULL);
    if (st) return st;
    const size_t n3 = u->n3;
    /* 3 more for reflect's copy of the start */
    double *buf = malloc(9 * n3 * sizeof(double));
    if (!buf) return am_fail(AM_ERR_NOMEM, "saddle: out of memory for %zu atoms", s->n);
    *ubuf = buf;
    double *u_v = buf + 4 * n3, *u_x0 = buf + 5 * n3;
    *uv = u_v;
    u->x = buf; u->f = buf + n3; u->px = buf + 2 * n3; u->pf = buf + 3 * n3;
    /* w's atoms are among u's (a larger sphere about the same centre, taken
     * at the same starting positions): both lists ascend, so one walk maps them */
    get_coords(u, s, u_x0);
    memcpy(u->x, u_x0, n3 * sizeof(double));
    memset(u_v, 0, n3 * sizeof(double));
    for (size_t k = 0, q = 0; k < (w->act ? w->na : n3 / 3); k++) {
        const size_t i = w->act ? w->act[k] : k;
        if (u->act)
            while (u->act[q] != i) q++;
        const size_t j = u->act ? q : i;
        memcpy(u->x + 3 * j, xs + 3 * k, 3 * sizeof(double));
        memcpy(u_v + 3 * j, v + 3 * k, 3 * sizeof(double));
    }
    sd_project(&u->c, u_v);
    sd_normalize(u_v, n3);
    int steps = 0;
    *lambda = NAN;
    if ((st = sd_eval(&u->c, u->x, &u->e, u->f))) return st;
    if (lambda_in < 0) *lambda = lambda_in;
    else if ((st = sd_lanczos(&u->c, &o->lanczos, u->x, u->f, u_v, NULL, rng, lambda, u_v))) return st;
    const int reflected = *lambda < 0 && tight && lambda_in < 0 && o->refine_reflect;
    if (reflected && (st = reflect(u, buf + 6 * n3, u_v, lambda, rng, oc))) return st;
    if (*oc != AM_SADDLE_OK && *lambda < 0 && (st = climb(u, u_v, lambda, rng, &steps, o->refine_perp_steps, e0, oc)))
        return st;
    if (*oc == AM_SADDLE_OK && !(u->e > e0)) *oc = AM_SADDLE_REFINE_FAILED;
    return AM_OK;
}

/* Re-converges a converged local search's saddle in the refinement region,
 * through refine_inner_radius first when that lies between the two: most of
 * the far field's relaxation is then done with cheap region evaluations, and
 * the last stage (often the whole box) starts next to its saddle. The last
 * stage converges to refine_exit_force: at the search's exit force a
 * barrier is only defined to a few hundredths of an eV (soft perpendicular
 * modes stay partly unrelaxed), too coarse to compare local and full-box
 * barriers or to tell events apart. Fills the result's saddle fields, or
 * sets the outcome AM_SADDLE_REFINE_FAILED. */
static am_status refine(am_engine *e, am_system *s, const search *w, size_t center, const double *xs, const double *v,
                        double e0, gsl_rng *rng, am_saddle_result *r)
{
    const am_saddle_options *o = w->o;
    am_saddle_options last = *o;
    if (o->refine_exit_force > 0) last.exit_force = o->refine_exit_force;
    /* a full-box search re-converges in the whole box, in one stage */
    const double outer = w->act ? o->refine_radius : -1.0, inner = o->refine_inner_radius;
    const int staged = w->act && inner > o->local_radius && (outer < 0 || outer > inner);
    search u[2];
    double *ubuf[2] = {NULL, NULL}, *uv = NULL, lambda = NAN;
    am_saddle_outcome oc = AM_SADDLE_OK;
    int used = 0;
    am_status st = AM_OK;
    r->refine_calls = 0;
    const search *src = w;
    const double *sx = xs, *sv = v;
    for (int k = staged ? 0 : 1; k < 2 && oc == AM_SADDLE_OK && !st; k++) {
        st = refine_stage(e, s, src, &last, last.exit_force < o->exit_force, center, sx, sv, k == 0 ? inner : outer, e0,
                          rng, &u[k], &ubuf[k], &uv, &lambda, &oc);
        used |= 1 << k;
        r->refine_calls += u[k].c.calls;
        src = &u[k];
        sx = u[k].x;
        sv = uv;
    }
    if (!st && oc == AM_SADDLE_OK) {
        const search *f = src;
        r->e_saddle = f->e;
        r->ea = f->e - e0;
        r->fmax_saddle = sd_maxnorm(f->f, f->n3);
        r->eigenvalue = lambda;
        if (r->saddle_xyz) full_coords(f, s, f->x, r->saddle_xyz);
    } else if (!st) {
        r->outcome = AM_SADDLE_REFINE_FAILED;
    }
    for (int k = 0; k < 2; k++) {
        if (!(used >> k & 1)) continue;
        /* full-box forces move s: back to the start, which a region keeps */
        if (!u[k].act && ubuf[k]) sd_set_positions(s, ubuf[k] + 5 * u[k].n3);
        free(ubuf[k]);
        space_close(&u[k]);
    }
    return st;
}

/* The minimum x equals the start x0 relabelled: every moving atom displaced
 * more than same_disp sits within same_disp of the start position of
 * another displaced atom of its species. Found in the glasses: a fifth of
 * the converged searches of a push on the first shell swapped two Cu atoms
 * (2.5 Å each, E_final = E0 to 1e-7 eV) — the same structure, not an event
 * of it. */
static int permuted(const search *w, const am_system *s, const double *x0, const double *x)
{
    const size_t na = w->n3 / 3;
    size_t moved[64], m = 0;
    for (size_t k = 0; k < na; k++) {
        if (atom_disp(&s->box, x0, x, k) <= w->o->same_disp) continue;
        if (m == sizeof moved / sizeof moved[0]) return 0; /* no swap moves that many atoms */
        moved[m++] = k;
    }
    if (m < 2) return 0;
    for (size_t a = 0; a < m; a++) {
        const size_t i = moved[a], ti = w->act ? w->act[i] : i;
        int found = 0;
        for (size_t b = 0; b < m && !found; b++) {
            const size_t j = moved[b], tj = w->act ? w->act[j] : j;
            if (j == i || s->type[ti] != s->type[tj]) continue;
            double d[3] = {x[3 * i] - x0[3 * j], x[3 * i + 1] - x0[3 * j + 1], x[3 * i + 2] - x0[3 * j + 2]};
            am_box_min_image(&s->box, d);
            found = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < w->o->same_disp * w->o->same_disp;
        }
        if (!found) return 0;
    }
    return 1;
}

/* A minimum `de` eV above the start and `dt` Å (total displacement) from it
 * is the start again ("returned to start"). */
static int at_start(const am_saddle_options *o, double de, double dt)
{
    return fabs(de) < o->same_energy && dt < o->return_disp;
}

/* Minimises from the saddle xs pushed by `push` Å along the mode v, each
 * way: minima xm[side] (energy em, largest and total displacement from x0
 * dm and dt, conv whether the minimisation converged). */
static am_status both_sides(search *w, const am_box *box, const double *x0, const double *xs, const double *v, double push,
                            double *xm[2], double em[2], double dm[2], double dt[2], int conv[2])
{
    const size_t n3 = w->n3;
    for (int side = 0; side < 2; side++) {
        const double sg = side ? -1.0 : 1.0;
        for (size_t i = 0; i < n3; i++) w->x[i] = xs[i] + sg * push * v[i];
        am_status st = sd_eval(&w->c, w->x, &w->e, w->f);
        am_min_result mr;
        if (st || (st = relax(w, NULL, 0, w->o->min_ftol, &mr))) return st;
        conv[side] = mr.converged;
        em[side] = w->e;
        memcpy(xm[side], w->x, n3 * sizeof(double));
        displacement(box, x0, xm[side], n3, &dm[side], &dt[side]);
    }
    return AM_OK;
}

am_status sd_try(am_engine *e, am_system *s, const am_saddle_options *opt, size_t center, const double *push,
                     am_saddle_result *r)
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
    if (!(o.local_radius >= 0) || !isfinite(o.local_radius) || isnan(o.refine_radius) || o.refine_perp_steps < 1)
        return am_fail(AM_ERR_VALUE, "saddle: the local radius must be >= 0 (0: the whole box), got %g; the "
                       "refinement radius a number, got %g; refine_perp_steps >= 1", o.local_radius, o.refine_radius);
    if (!(o.refine_inner_radius >= 0) || !isfinite(o.refine_inner_radius) || !(o.refine_exit_force >= 0) ||
        !isfinite(o.refine_exit_force))
        return am_fail(AM_ERR_VALUE, "saddle: refine_inner_radius and refine_exit_force must be >= 0 (0: unused), "
                       "got %g and %g", o.refine_inner_radius, o.refine_exit_force);
    if (o.refine_reflect != 0 && o.refine_reflect != 1)
        return am_fail(AM_ERR_VALUE, "saddle: refine_reflect must be 0 or 1, got %d", o.refine_reflect);
    if (o.refine_precondition != 0 && o.refine_precondition != 1)
        return am_fail(AM_ERR_VALUE, "saddle: refine_precondition must be 0 or 1, got %d", o.refine_precondition);
    if (o.push_cluster < 0 || o.basin_align < 0 || !(o.max_center_disp >= 0) || !isfinite(o.max_center_disp) ||
        !(o.max_final_rise >= 0) || !isfinite(o.max_final_rise))
        return am_fail(AM_ERR_VALUE, "saddle: push_cluster, basin_align, max_center_disp and max_final_rise must be "
                       ">= 0 (0: unused), got %d, %d, %g and %g", o.push_cluster, o.basin_align, o.max_center_disp,
                       o.max_final_rise);
    if (o.push_over_retries < 0 || o.push_over_retries > 8)
        return am_fail(AM_ERR_VALUE, "saddle: push_over_retries must be 0..8 (each doubles the push), got %d",
                       o.push_over_retries);

    double *keep_sx = r->saddle_xyz, *keep_fx = r->final_xyz;
    memset(r, 0, sizeof *r);
    r->saddle_xyz = keep_sx;
    r->final_xyz = keep_fx;
    r->e_saddle = r->e_final = r->ea = r->eigenvalue = r->eigenvalue2 = r->fmax_saddle = NAN;
    r->disp_max = r->disp_total = r->disp_back = r->ea_local = NAN;
    r->disp_center_saddle = r->disp_center_final = NAN;
    r->moved = -1;

    search w = {0};
    /* Local forces only where the moving sphere holds under a third of the
     * cell (the 432-atom test cell with 8 Å: 27 %): one holding more saves little, and its frozen rest is a
     * thin shell between the sphere's periodic images. Measured with the
     * 10 Å default: on a 500-atom cell (21 Å, the sphere 45 % of it) 17 % of
     * 30 searches converged against 37 % with the whole cell moving; on the
     * 2000-atom glass (the sphere 12 %) local forces converge more often
     * than the whole cell (docs/saddle.md, "Local forces"). */
    if (o.local_radius > 0 && /* (4π/3) R³ */
        4.18879020478639098 * o.local_radius * o.local_radius * o.local_radius > am_box_volume(&s->box) / 3)
        o.local_radius = 0;
    w.o = &o;
    /* the search's relaxations are partial (a few iterations, then the
     * mode moves on) or end far below the accuracy a line search refines:
     * an approximate minimum along each direction is worth more than an
     * exact one at twice the calls (measured: 381 -> 364 median calls per
     * saddle and 70.3 -> 71.1 % success on 640 searches, docs/saddle.md).
     * Tight refinements relax with L-BFGS instead (see refine_stage). */
    w.method = AM_MIN_CG;
    w.wolfe = SEARCH_WOLFE;
    w.near_steps = o.act_perp_near;
    /* The force sums' order follows the neighbour list, which depends on
     * where it was last built: rebuilding it here makes the search a
     * function of its inputs alone, not of the engine's history. */
    am_engine_invalidate(e);
    /* Local forces: the atoms within local_radius of the centre move, the
     * others stay at the minimum. Everything below works on the moving
     * atoms' coordinates; only the force call (sd_eval) differs. */
    size_t cr;
    am_status st = space_open(&w, e, s, center, o.local_radius, &cr);
    if (st) return st;
    const size_t *act = w.act, na = w.na;
    r->nactive = (long)na;
    const size_t n3 = w.n3;
    /* x0 start; d push direction; v mode; xs saddle; xm[2] the two minima */
    double *buf = malloc(11 * n3 * sizeof(double));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!buf || !rng) {
        free(buf);
        if (rng) gsl_rng_free(rng);
        space_close(&w);
        return am_fail(AM_ERR_NOMEM, "saddle: out of memory for %zu atoms", s->n);
    }
    double *x0 = buf, *d = buf + n3, *v = buf + 2 * n3, *xs = buf + 3 * n3, *xm[2] = {buf + 4 * n3, buf + 5 * n3};
    w.x = buf + 6 * n3; w.f = buf + 7 * n3; w.px = buf + 8 * n3; w.pf = buf + 9 * n3;
    /* the basin walk's direction: the push, or turning to the mode (basin_align) */
    double *dw = buf + 10 * n3;
    w.x0 = x0; w.cr = cr; w.box = &s->box;
    gsl_rng_set(rng, o.seed);
    get_coords(&w, s, x0);
    memcpy(w.x, x0, n3 * sizeof(double));
    double lambda = NAN;
    if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;
    const double e0 = w.e;
    r->e0 = e0;
    r->fmax0 = sd_maxnorm(w.f, n3);

    /* push direction: random (or given) on the atoms near the centre; drawn
     * for every atom in either mode, so a seed gives a local search the
     * push of the full-box one */
    for (size_t i = 0, q = 0; i < s->n; i++) {
        const int moves = !act || (q < na && act[q] == i);
        for (int k = 0; k < 3; k++) {
            const double c = push ? push[3 * i + k] : gsl_ran_gaussian(rng, 1.0);
            if (moves) d[3 * q + k] = c;
        }
        q += moves;
    }
    if ((st = push_support(&s->box, x0, n3 / 3, cr, &o, d))) goto done;
    sd_project(&w.c, d);
    if (!(sd_normalize(d, n3) > 0)) {
        st = am_fail(AM_ERR_VALUE, "saddle: the push direction vanishes on the atoms near atom %zu", center);
        goto done;
    }
    for (size_t i = 0; i < n3; i++) w.x[i] += o.push_norm * d[i];
    if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;

    /* basin */
    int have_mode = 0, lost = 0;
    am_lanczos_options lbasin = o.lanczos;
    if (o.basin_lanczos_vectors > 0) lbasin.max_vectors = o.basin_lanczos_vectors;
    long mark = w.c.calls;
basin:
    memcpy(dw, d, n3 * sizeof(double));
    for (int turned = 0;;) {
        if (r->basin_steps >= o.max_basin_steps) { r->outcome = AM_SADDLE_BASIN_LIMIT; goto record; }
        for (size_t i = 0; i < n3; i++) w.x[i] += o.increment * dw[i];
        if ((st = sd_eval(&w.c, w.x, &w.e, w.f))) goto done;
        if ((st = relax(&w, dw, o.basin_perp_steps, o.perp_force, NULL))) goto done;
        r->basin_steps++;
        if (blown_up(&w, e0)) { r->outcome = AM_SADDLE_BLOWUP; goto record; }
        if (escaped(&w)) { r->outcome = AM_SADDLE_CAGE_ESCAPE; goto record; }
        /* the first increments stay well inside the basin: no curvature yet */
        if (r->basin_steps <= o.basin_quiet && !lost) continue;
        if ((st = sd_lanczos(&w.c, &lbasin, w.x, w.f, have_mode ? v : d, NULL, rng, &lambda, v))) goto done;
        have_mode = 1;
        if (lambda < o.eigen_threshold) break;
        /* past the inflection the push need not stay fixed: walking on along
         * it drags the pushed atoms wherever it points, while the soft mode
         * is the landscape's own way out (pARTn's nsmooth) */
        if (o.basin_align > 0 && lambda < 0) {
            /* turned all the way: the walk is the climb's, without its Newton
             * step; a saddle softer than the threshold would have it
             * oscillate about the top, so the climb takes over */
            if (turned == o.basin_align) break;
            turned++;
            /* uphill along the mode, as the climb will go */
            const double a = (double)turned / o.basin_align, fv = sd_dot(w.f, v, n3);
            const double sg = fv != 0 ? (fv > 0 ? -1.0 : 1.0) : (sd_dot(v, dw, n3) < 0 ? -1.0 : 1.0);
            for (size_t i = 0; i < n3; i++) dw[i] = (1.0 - a) * d[i] + a * sg * v[i];
            sd_project(&w.c, dw);
            if (!(sd_normalize(dw, n3) > 0)) memcpy(dw, v, n3 * sizeof(double));
        }
    }
    charge(&w, &mark, &r->calls_basin);

    int descents = 0;
activation:
    {
        am_saddle_outcome oc;
        st = climb(&w, v, &lambda, rng, &r->act_steps, o.act_perp_steps, e0, &oc);
        charge(&w, &mark, &r->calls_activation);
        if (st) goto done;
        /* a lost negative curvature usually means the climb left the
         * saddle's valley sideways; pushing on along the initial direction
         * (as in the basin) finds it again more often than not */
        if (oc == AM_SADDLE_EIGENVALUE_LOST && ++lost <= o.max_lost) goto basin;
        if (oc != AM_SADDLE_OK) { r->outcome = oc; goto record; }
    }
    r->force_calls_saddle = w.c.calls;
    r->e_saddle = w.e;
    r->ea = w.e - e0;
    r->fmax_saddle = sd_maxnorm(w.f, n3);
    memcpy(xs, w.x, n3 * sizeof(double));
    r->disp_center_saddle = atom_disp(&s->box, x0, xs, cr);
    /* a force-converged point can still be a higher-order saddle (found on
     * the glass: second curvatures of -0.02 to -0.05 eV/Å²): one more Lanczos,
     * orthogonal to the mode, tells (xm[0] is free scratch here) */
    {
        /* the deflated spectrum's bottom sits next to the glass's many soft
         * modes, so this Lanczos needs more vectors than the mode's */
        am_lanczos_options l2 = o.lanczos;
        l2.max_vectors = 4 * o.lanczos.max_vectors;
        l2.tol = 0.01 * o.lanczos.tol;
        l2.scale = fabs(o.second_threshold);
        double lambda2;
        st = sd_lanczos(&w.c, &l2, w.x, w.f, NULL, v, rng, &lambda2, xm[0]);
        charge(&w, &mark, &r->calls_check);
        if (st) goto done;
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
    /* along a soft mode, push_over lowers the energy by only |λ| push_over²/2
     * (3e-4 eV at λ = −0.025 eV/Å²), less than the work of the forces the exit
     * threshold leaves perpendicular to it, and both sides can slide back into
     * the start: then push harder */
    for (int tries = 0;; tries++) {
        if ((st = both_sides(&w, &s->box, x0, xs, v, o.push_over * (double)(1 << tries), xm, em, dm, dt, conv)))
            goto done;
        const int home = conv[0] && conv[1] && at_start(&o, em[0] - e0, dt[0]) && at_start(&o, em[1] - e0, dt[1]);
        if (!home || tries >= o.push_over_retries) break;
    }
    /* the side closer to the start is the way back */
    const int back = dm[1] < dm[0], fwd = 1 - back;
    r->disp_back = dm[back];
    r->e_final = em[fwd];
    r->disp_max = dm[fwd];
    r->disp_total = dt[fwd];
    r->disp_center_final = atom_disp(&s->box, x0, xm[fwd], cr);
    r->moved = moved_atoms(&s->box, x0, xm[fwd], n3);
    if (r->final_xyz) full_coords(&w, s, xm[fwd], r->final_xyz);
    if (!conv[0] || !conv[1]) r->outcome = AM_SADDLE_MIN_FAILED;
    else if (!(dm[back] < o.same_disp && fabs(em[back] - e0) < o.same_energy)) r->outcome = AM_SADDLE_NOT_CONNECTED;
    else if (at_start(&o, em[fwd] - e0, dt[fwd]) ||
             (fabs(em[fwd] - e0) < o.same_energy && permuted(&w, s, x0, xm[fwd])))
        r->outcome = AM_SADDLE_RETURNED;
    else if (!(r->e_saddle > em[fwd])) r->outcome = AM_SADDLE_BELOW_MINIMUM;
    else if (o.max_final_rise > 0 && em[fwd] - e0 > o.max_final_rise) r->outcome = AM_SADDLE_CAGE_ESCAPE;
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
    if (r->saddle_xyz) full_coords(&w, s, r->force_calls_saddle ? xs : w.x, r->saddle_xyz);
    /* only an event worth keeping pays for the larger region */
    if (r->outcome == AM_SADDLE_OK &&
        (act ? o.refine_radius < 0 || o.refine_radius > o.local_radius
             : o.refine_exit_force > 0 && o.refine_exit_force < o.exit_force)) {
        r->ea_local = r->ea;
        st = refine(e, s, &w, center, xs, v, e0, rng, r);
        r->force_calls_saddle += r->refine_calls;
    }
done:
    r->force_calls = w.c.calls + r->refine_calls;
    r->calls_lanczos = w.c.lanczos_calls;
    if (!act) sd_set_positions(s, x0); /* a local search never moves s */
    gsl_rng_free(rng);
    free(buf);
    space_close(&w);
    return st;
}
