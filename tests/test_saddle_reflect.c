/* The reflected refinement (refine_reflect, src/saddle/reflect.c) on the
 * shipped 2 000-atom glass with the paper's potential, the defaults but no
 * restarts:
 *
 * 1. Where it converges, it reaches the climb's saddle (refine_reflect 0,
 *    same atom and seed): no atom 0.02 Å or more apart, barriers within
 *    0.001 eV, and within 0.002 eV of the same saddle converged by the
 *    climb to 0.0005 eV/Å (the reference); a fresh engine finds the saddle's
 *    energy and every force below half the refinement's exit force there;
 *    preconditioned by the particle mesh (refine_precondition 1), the barrier
 *    still within 0.002 eV of the reference.
 * 2. Where it does not (atom 14: it follows the inner stage's mode uphill
 *    until the rise guard stops it), the climb takes over from the very
 *    start, so the search is the climb's bit for bit, its wasted calls
 *    counted. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* reflect: 0 climb, 1 reflected, 2 reflected and preconditioned */
static am_status search(am_engine *e, am_system *s, size_t c, int reflect, double exit, double *xs,
                        am_saddle_result *r)
{
    am_saddle_options o;
    am_saddle_defaults(&o);
    o.restarts = 0;
    o.refine_reflect = reflect > 0;
    o.refine_precondition = reflect == 2;
    if (exit > 0) o.refine_exit_force = exit;
    *r = (am_saddle_result){0};
    r->saddle_xyz = xs;
    return am_saddle_search(e, s, &o, c, NULL, r);
}

int main(void)
{
    am_potential *p = NULL;
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    am_engine *e = NULL;
    if (!check_true(s && am_potential_read(source_path("data/potentials/Cu-Zr_2.eam.fs"), AM_EAM_FS, &p) == AM_OK &&
                        am_engine_create(p, s, 1.0, &e) == AM_OK,
                    "shipped glass and the 2009 potential"))
        return check_exit();
    const size_t n = s->n;
    double *xr = malloc(3 * n * sizeof(double)), *xc = malloc(3 * n * sizeof(double)),
           *xt = malloc(3 * n * sizeof(double));
    am_saddle_options d;
    am_saddle_defaults(&d);
    check_true(d.refine_reflect == 1 && d.refine_precondition == 0, "the default refines by reflection, unpreconditioned");

    const size_t atoms[] = {500, 1000, 1500};
    for (size_t k = 0; k < sizeof atoms / sizeof *atoms; k++) {
        const size_t c = atoms[k];
        am_saddle_result rr, rc, rt;
        /* the searches first: a function's arguments have no order */
        const int ran = search(e, s, c, 1, 0, xr, &rr) == AM_OK && search(e, s, c, 0, 0, xc, &rc) == AM_OK &&
                        search(e, s, c, 0, 0.0005, xt, &rt) == AM_OK;
        if (!check_true(ran && rr.outcome == AM_SADDLE_OK &&
                            rc.outcome == AM_SADDLE_OK && rt.outcome == AM_SADDLE_OK,
                        "atom %zu: reflected %s (%ld refinement calls), climb %s (%ld), reference %s", c,
                        am_saddle_outcome_name(rr.outcome), rr.refine_calls, am_saddle_outcome_name(rc.outcome),
                        rc.refine_calls, am_saddle_outcome_name(rt.outcome)))
            continue;
        const double dx = max_flat_distance(s, xr, xc);
        check_true(dx < 0.02, "atom %zu: the climb's saddle, no atom 0.02 A or more apart (%.4f)", c, dx);
        check_abs(rr.ea, rc.ea, 0.001, "atom %zu: barrier %.5f eV = the climb's %.5f", c, rr.ea, rc.ea);
        check_abs(rr.ea, rt.ea, 0.002, "atom %zu: barrier within 0.002 eV of the saddle at 0.0005 eV/A (%.5f)", c, rt.ea);
        check_true(rr.eigenvalue < 0, "atom %zu: negative curvature along the mode (%.3f eV/A^2)", c, rr.eigenvalue);
        double es = NAN;
        const double fm = fresh_max_force(p, s, xr, &es);
        const double e0 = rr.e_saddle - rr.ea;
        check_rel(es - e0, rr.ea, 1e-9, "atom %zu: saddle energy recomputed by a fresh engine", c);
        check_true(fm < 0.5 * d.refine_exit_force, "atom %zu: every recomputed force below %.4f eV/A (%.5f)", c,
                   0.5 * d.refine_exit_force, fm);
        /* the mesh preconditioner (off by default: docs/saddle.md) on the same search */
        am_saddle_result rp;
        const int pran = search(e, s, c, 2, 0, xt, &rp) == AM_OK;
        if (check_true(pran && rp.outcome == AM_SADDLE_OK,
                       "atom %zu: preconditioned %s (%ld refinement calls)", c, am_saddle_outcome_name(rp.outcome),
                       rp.refine_calls))
            check_abs(rp.ea, rt.ea, 0.002, "atom %zu: preconditioned barrier %.5f eV within 0.002 eV of the reference",
                      c, rp.ea);
    }

    am_saddle_result rr, rc;
    const int ran = search(e, s, 14, 1, 0, xr, &rr) == AM_OK && search(e, s, 14, 0, 0, xc, &rc) == AM_OK;
    if (check_true(ran && rc.outcome == AM_SADDLE_OK,
                   "atom 14: reflected %s, climb %s", am_saddle_outcome_name(rr.outcome),
                   am_saddle_outcome_name(rc.outcome))) {
        check_true(rr.outcome == AM_SADDLE_OK && rr.ea == rc.ea && rr.e_saddle == rc.e_saddle &&
                       max_flat_distance(s, xr, xc) == 0,
                   "atom 14: the guard handed over to the climb: the same saddle bit for bit (Ea %.6f eV)", rr.ea);
        check_true(rr.force_calls > rc.force_calls && rr.refine_calls - rc.refine_calls == rr.force_calls - rc.force_calls,
                   "atom 14: the reflection's %ld wasted calls counted in the refinement's",
                   rr.force_calls - rc.force_calls);
    }
    free(xr); free(xc); free(xt);
    am_engine_free(e);
    am_system_free(s);
    am_potential_free(p);
    return check_exit();
}
