/* Local forces (am_region) and ARTn with a local radius.
 *
 * 1. A region's energy is the whole system's and its forces are those on the
 *    active atoms, to round-off, after random walks of the active atoms long
 *    enough to rebuild its list several times: glass (whose region wraps
 *    around the cell), the same glass sheared (triclinic), with a free
 *    surface, and a crystal cell smaller than twice the list radius (several
 *    images of one neighbour).
 * 2. ARTn on the glass with local forces reaches the saddles of the
 *    full-box searches within 0.01 eV (same seeds and atoms). */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double uniform(unsigned long long *h)
{
    *h = *h * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*h >> 11) / 9007199254740992.0;
}

/* Active atoms: within r of atom c (minimum image). */
static size_t select_sphere(const am_system *s, size_t c, double r, size_t *act)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        double d[3] = {s->x[i] - s->x[c], s->y[i] - s->y[c], s->z[i] - s->z[c]};
        am_box_min_image(&s->box, d);
        if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < r * r) act[m++] = i;
    }
    return m;
}

/* Random walk of the active atoms (steps of up to `amp` per component), the
 * region against a full evaluation after each step. Returns 1 if it agreed
 * at every step. */
static int region_vs_full(const char *label, am_potential *p, am_system *s, size_t center, double radius, double amp,
                          int steps)
{
    const size_t n = s->n;
    am_engine *e = NULL, *ef = NULL;
    am_region *g = NULL;
    size_t *act = malloc(n * sizeof(size_t));
    double *fb = malloc(3 * n * sizeof(double)), *xa = NULL, *fa = NULL;
    am_system *t = NULL;
    const size_t na = select_sphere(s, center, radius, act);
    int ok = am_engine_create(p, s, 1.0, &e) == AM_OK && am_region_create(e, s, act, na, &g) == AM_OK &&
             am_system_copy(s, &t) == AM_OK && am_engine_create(p, t, 1.0, &ef) == AM_OK;
    if (!ok) {
        check_true(0, "%s: set up (%s)", label, am_error_message());
        goto done;
    }
    xa = malloc(3 * na * sizeof(double));
    fa = malloc(3 * na * sizeof(double));
    for (size_t r = 0; r < na; r++) {
        xa[3 * r] = s->x[act[r]]; xa[3 * r + 1] = s->y[act[r]]; xa[3 * r + 2] = s->z[act[r]];
    }
    unsigned long long h = 12345 + center;
    double worst_e = 0, worst_f = 0, e_full = 0;
    for (int k = 0; k <= steps; k++) {
        if (k)
            for (size_t q = 0; q < 3 * na; q++) xa[q] += amp * (2 * uniform(&h) - 1);
        double en;
        if (am_region_compute(g, xa, &en, fa)) { ok = 0; break; }
        for (size_t r = 0; r < na; r++) {
            t->x[act[r]] = xa[3 * r]; t->y[act[r]] = xa[3 * r + 1]; t->z[act[r]] = xa[3 * r + 2];
        }
        am_result fr = {0};
        fr.skip_virial = 1;
        fr.fx = fb; fr.fy = fb + n; fr.fz = fb + 2 * n;
        if (am_engine_compute(ef, t, &fr)) { ok = 0; break; }
        e_full = fr.energy;
        worst_e = fmax(worst_e, fabs(en - fr.energy) / fabs(fr.energy));
        for (size_t r = 0; r < na; r++) {
            const size_t i = act[r];
            worst_f = fmax(worst_f, fabs(fa[3 * r] - fb[i]));
            worst_f = fmax(worst_f, fabs(fa[3 * r + 1] - fb[n + i]));
            worst_f = fmax(worst_f, fabs(fa[3 * r + 2] - fb[2 * n + i]));
        }
    }
    ok = ok && worst_e < 1e-12 && worst_f < 1e-9 && am_region_nbuilds(g) > 1;
    check_true(ok, "%s: %zu of %zu atoms active, %zu rows, %ld builds; energy %.6f eV, worst relative energy difference %.1e, "
               "force %.1e eV/A", label, na, n, am_region_nrows(g), am_region_nbuilds(g), e_full, worst_e, worst_f);
done:
    am_system_free(t);
    am_region_free(g);
    am_engine_free(e);
    am_engine_free(ef);
    free(act); free(fb); free(xa); free(fa);
    return ok;
}

static void test_region(void)
{
    am_potential *p = NULL;
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s && am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_FS, &p) == AM_OK, "glass read")) {
        am_system_free(s);
        return;
    }
    /* 0.25 Å steps: the skin is 1 Å, so the list goes stale every few steps */
    region_vs_full("glass, R 8", p, s, 17, 8.0, 0.25, 12);
    region_vs_full("glass, R 5", p, s, 300, 5.0, 0.25, 12);
    shear_box(s, 3.0, -2.0, 1.5);
    region_vs_full("sheared glass, R 8", p, s, 17, 8.0, 0.25, 12);
    s->box.periodic[2] = 0;
    region_vs_full("sheared glass, free surfaces along z, R 8", p, s, 17, 8.0, 0.25, 12);
    /* an atom near the free surface */
    size_t top = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->z[i] > s->z[top]) top = i;
    region_vs_full("sheared glass, free surfaces along z, R 6 at the surface", p, s, top, 6.0, 0.25, 12);
    am_system_free(s);
    am_potential_free(p);

    /* 10.8 Å cell, list radius 5.95 Å: neighbours seen through several images */
    s = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
    if (s && am_potential_read(potential_path("Cu_u3.eam"), AM_EAM_FUNCFL, &p) == AM_OK) {
        rattle(s, 0.1, 3);
        region_vs_full("fcc Cu 3x3x3, R 3", p, s, 5, 3.0, 0.2, 12);
        region_vs_full("fcc Cu 3x3x3, all atoms active", p, s, 5, 100.0, 0.2, 6);
        am_potential_free(p);
    }
    am_system_free(s);
}

/* A local search (no refinement) checked from outside: the saddle's energy
 * is the whole system's, recomputed by a fresh engine; every moving atom's
 * recomputed force is below the exit threshold; atoms beyond the radius
 * have not moved, in the saddle or the new minimum. */
static void test_local_search(am_potential *p, am_system *s, am_engine *e)
{
    const size_t n = s->n;
    double *xs = malloc(3 * n * sizeof(double)), *xf = malloc(3 * n * sizeof(double)), *f = malloc(3 * n * sizeof(double));
    am_saddle_options o;
    am_saddle_paper(&o); /* the whole-box protocol these cases were found with */
    o.seed = 61;
    o.local_radius = 8.0;
    o.refine_radius = 0.0;
    const size_t c = 36;
    am_saddle_result r = {0};
    r.saddle_xyz = xs;
    r.final_xyz = xf;
    const double t0 = now();
    const am_status st = am_saddle_search(e, s, &o, c, NULL, &r);
    if (check_true(st == AM_OK && r.outcome == AM_SADDLE_OK,
                   "local search (R 8, atom %zu, seed 61): %s, Ea %.4f eV, %ld of %zu atoms moving, %ld force calls, %.2f s",
                   c, am_saddle_outcome_name(r.outcome), r.ea, r.nactive, n, r.force_calls, now() - t0)) {
        am_system *t;
        am_engine *e2;
        am_system_copy(s, &t);
        for (size_t i = 0; i < n; i++) { t->x[i] = xs[3 * i]; t->y[i] = xs[3 * i + 1]; t->z[i] = xs[3 * i + 2]; }
        am_engine_create(p, t, 1.0, &e2);
        const double en = flat_forces(e2, t, f);
        double fm = 0, moved_out = 0, moved_out_f = 0;
        long moving = 0;
        for (size_t i = 0; i < n; i++) {
            double d[3] = {s->x[i] - s->x[c], s->y[i] - s->y[c], s->z[i] - s->z[c]};
            am_box_min_image(&s->box, d);
            const double dx = hypot(hypot(xs[3 * i] - s->x[i], xs[3 * i + 1] - s->y[i]), xs[3 * i + 2] - s->z[i]);
            const double dxf = hypot(hypot(xf[3 * i] - s->x[i], xf[3 * i + 1] - s->y[i]), xf[3 * i + 2] - s->z[i]);
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < o.local_radius * o.local_radius) {
                moving++;
                fm = fmax(fm, hypot(hypot(f[3 * i], f[3 * i + 1]), f[3 * i + 2]));
            } else {
                moved_out = fmax(moved_out, dx);
                moved_out_f = fmax(moved_out_f, dxf);
            }
        }
        check_rel(en, r.e_saddle, 1e-12, "saddle energy recomputed in the whole box");
        check_true(fm < o.exit_force, "recomputed force on every moving atom below the exit force (%.4f eV/A)", fm);
        check_true(moving == r.nactive && moved_out == 0 && moved_out_f == 0,
                   "the %ld atoms beyond %.0f A did not move (saddle %.1e, minimum %.1e A)", (long)n - moving,
                   o.local_radius, moved_out, moved_out_f);
        am_engine_free(e2);
        am_system_free(t);
    }
    free(xs); free(xf); free(f);
}

/* Local search (R 8 Å, about a quarter of this glass) refined in the whole
 * box (the default) against the full-box search from the same atom and seed. The pairs
 * are ones where both reach the same saddle (a search's path is chaotic:
 * other seeds give different saddles; docs/saddle.md). The exit force is
 * tight because at the default 0.05 eV/Å the saddle energy itself is only
 * defined to a few 0.01 eV along the glass's soft modes. */
static void test_same_saddle(am_system *s, am_engine *e, size_t c, unsigned long seed, int max_act)
{
    const size_t n = s->n;
    double *xs_full = malloc(3 * n * sizeof(double)), *xs_loc = malloc(3 * n * sizeof(double));
    am_saddle_options o;
    am_saddle_paper(&o); /* the whole-box protocol these cases were found with */
    /* the (atom, seed) pairs below were found with the search options of
     * 2026-12-02; the cheaper defaults since take other paths from them */
    o.basin_perp_steps = 3;
    o.basin_quiet = 0;
    o.basin_lanczos_vectors = 0;
    o.act_perp_near = 0;
    o.seed = seed;
    o.exit_force = 0.005;
    o.max_act_steps = max_act;
    am_saddle_result rf = {0}, rl = {0};
    rf.saddle_xyz = xs_full;
    rl.saddle_xyz = xs_loc;
    double t0 = now();
    am_status st = am_saddle_search(e, s, &o, c, NULL, &rf);
    const double t_full = now() - t0;
    o.local_radius = 8.0;
    t0 = now();
    if (!st) st = am_saddle_search(e, s, &o, c, NULL, &rl);
    const double t_loc = now() - t0;
    if (check_true(!st && rf.fmax_saddle < o.exit_force && rl.outcome == AM_SADDLE_OK,
                   "atom %zu seed %lu: full box %s (%ld calls, %.2f s), local %s (%ld calls of which %ld refining, %.2f s)",
                   c, seed, am_saddle_outcome_name(rf.outcome), rf.force_calls, t_full,
                   am_saddle_outcome_name(rl.outcome), rl.force_calls, rl.refine_calls, t_loc)) {
        const double d = max_flat_distance(s, xs_full, xs_loc);
        check_true(d < 0.3, "  same saddle: no atom %.3f A or more apart (%.3f)", 0.3, d);
        check_abs(rl.ea, rf.ea, 0.01, "  local barrier %.4f eV (%.4f before refinement) = full box %.4f eV", rl.ea,
                  rl.ea_local, rf.ea);
        /* two-stage refinement (10 Å, then the whole box), and a search at
         * the paper's exit force whose refinement alone is tight: the same
         * saddle and barrier */
        am_saddle_options o2 = o;
        o2.refine_inner_radius = 10.0;
        am_saddle_result r2 = {0};
        r2.saddle_xyz = xs_loc;
        st = am_saddle_search(e, s, &o2, c, NULL, &r2);
        if (check_true(!st && r2.outcome == AM_SADDLE_OK && r2.fmax_saddle < o.exit_force,
                       "  staged refinement (10 A, whole box): %s, %ld refinement calls, fmax %.4f",
                       am_saddle_outcome_name(r2.outcome), r2.refine_calls, r2.fmax_saddle)) {
            check_true(max_flat_distance(s, xs_full, xs_loc) < 0.3, "  staged: same saddle");
            check_abs(r2.ea, rf.ea, 0.01, "  staged: barrier %.4f eV = full box %.4f eV", r2.ea, rf.ea);
        }
        o2.refine_inner_radius = 0.0;
        o2.exit_force = 0.05;
        o2.refine_exit_force = 0.005;
        st = am_saddle_search(e, s, &o2, c, NULL, &r2);
        if (check_true(!st && r2.outcome == AM_SADDLE_OK && r2.fmax_saddle < o2.refine_exit_force,
                       "  search at exit force 0.05, refinement to 0.005: %s, fmax %.4f (local %.4f eV)",
                       am_saddle_outcome_name(r2.outcome), r2.fmax_saddle, r2.ea_local)) {
            /* the tight refinement relaxes with L-BFGS (the others above with CG) */
            const double d2 = max_flat_distance(s, xs_full, xs_loc);
            check_true(d2 < 0.3, "  loose search, tight refinement: same saddle (%.3f A apart)", d2);
            check_abs(r2.ea, rf.ea, 0.01, "  loose search, tight refinement: the full-box barrier");
        }
    }
    free(xs_full);
    free(xs_loc);
}

int main(void)
{
    double t0 = now();
    test_region();
    printf("region checks: %.2f s\n", now() - t0);
    t0 = now();
    am_potential *p;
    am_system *s = load_glass_minimized(&p, 1e-8);
    if (check_true(s != NULL, "glass minimised")) {
        am_engine *e;
        am_engine_create(p, s, 1.0, &e);
        test_local_search(p, s, e);
        test_same_saddle(s, e, 0, 40, 150);
        test_same_saddle(s, e, 36, 61, 400);
        am_engine_free(e);
        am_system_free(s);
        am_potential_free(p);
    }
    printf("searches: %.2f s\n", now() - t0);
    return check_exit();
}
