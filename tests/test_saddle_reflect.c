/* The reflected refinement (refine_reflect, src/saddle/reflect.c) on the
 * shipped 2 000-atom glass with the paper's potential, the defaults but no
 * restarts:
 *
 * 1. Where it converges, it reaches the climb's saddle (refine_reflect 0,
 *    same atom and seed; three atoms whose climb converges): no atom
 *    0.05 Å or more apart, barriers within 0.001 eV, and within 0.002 eV
 *    of the same saddle converged by the
 *    climb to 0.0005 eV/Å (the reference); a fresh engine finds the saddle's
 *    energy and every force below half the refinement's exit force there;
 *    preconditioned by the particle mesh (refine_precondition 1), the barrier
 *    still within 0.002 eV of the reference.
 * 2. Where it does not (atom 53, and others depending on the CPU's kernel: it
 *    follows the inner stage's mode uphill until the rise guard stops it),
 *    the climb takes over from the very start, so the search is the climb's
 *    bit for bit, its wasted calls counted. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdint.h>
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

    /* Whether a search from a given atom reaches a saddle at all also
     * depends on the forces' last bits (atom 500's climb failed with the
     * AVX-512 kernel of the -O1 sanitizer build): the first three atoms of
     * the list whose climb converges are compared, and three must be. */
    const size_t atoms[] = {500, 1000, 1500, 250, 750, 1250};
    int compared = 0;
    for (size_t k = 0; k < sizeof atoms / sizeof *atoms && compared < 3; k++) {
        const size_t c = atoms[k];
        am_saddle_result rr, rc, rt;
        /* the searches first: a function's arguments have no order */
        const int ran = search(e, s, c, 1, 0, xr, &rr) == AM_OK && search(e, s, c, 0, 0, xc, &rc) == AM_OK &&
                        search(e, s, c, 0, 0.0005, xt, &rt) == AM_OK;
        if (!check_true(ran, "atom %zu: the searches ran", c)) continue;
        if (rc.outcome != AM_SADDLE_OK) {
            printf("atom %zu: the climb's search ended %s; next atom\n", c, am_saddle_outcome_name(rc.outcome));
            continue;
        }
        compared++;
        if (!check_true(rr.outcome == AM_SADDLE_OK && rt.outcome == AM_SADDLE_OK,
                        "atom %zu: reflected %s (%ld refinement calls), climb %s (%ld), reference %s", c,
                        am_saddle_outcome_name(rr.outcome), rr.refine_calls, am_saddle_outcome_name(rc.outcome),
                        rc.refine_calls, am_saddle_outcome_name(rt.outcome)))
            continue;
        const double dx = max_flat_distance(s, xr, xc);
        /* at half the exit force (0.001 eV/A) a soft mode leaves atoms ~0.02 A
         * apart (atom 500: 0.0199, 0.0023 and 0.0231 A with the AVX-512, AVX2
         * and generic kernels, barriers within 2e-5 eV); a neighbouring saddle
         * is tenths of an angstrom away (docs/saddle.md) */
        check_true(dx < 0.05, "atom %zu: the climb's saddle, no atom 0.05 A or more apart (%.4f)", c, dx);
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

    check_true(compared == 3, "three atoms' searches compared (%d)", compared);

    /* Which atoms' reflection the guard stops depends on the last bits of
     * the forces, i.e. on the CPU's kernel (of atoms 0-53: 2, 14 and 53 with
     * the AVX2 one, 53 alone with the AVX-512 one): the first of these that
     * hands over is checked, and one must. */
    const size_t guarded[] = {53, 14, 2};
    size_t handed = SIZE_MAX;
    for (size_t k = 0; k < sizeof guarded / sizeof *guarded && handed == SIZE_MAX; k++) {
        const size_t c = guarded[k];
        am_saddle_result rr, rc;
        const int ran = search(e, s, c, 1, 0, xr, &rr) == AM_OK && search(e, s, c, 0, 0, xc, &rc) == AM_OK;
        if (!check_true(ran && rc.outcome == AM_SADDLE_OK, "atom %zu: reflected %s, climb %s", c,
                        am_saddle_outcome_name(rr.outcome), am_saddle_outcome_name(rc.outcome)))
            continue;
        if (!(rr.outcome == AM_SADDLE_OK && rr.ea == rc.ea && rr.e_saddle == rc.e_saddle &&
              max_flat_distance(s, xr, xc) == 0))
            continue;
        handed = c;
        check_true(rr.force_calls > rc.force_calls && rr.refine_calls - rc.refine_calls == rr.force_calls - rc.force_calls,
                   "atom %zu: the guard handed over to the climb, the same saddle bit for bit (Ea %.6f eV), and "
                   "the reflection's %ld wasted calls counted in the refinement's",
                   c, rr.ea, rr.force_calls - rc.force_calls);
    }
    check_true(handed != SIZE_MAX, "one of atoms 53, 14, 2 handed over to the climb");
    free(xr); free(xc); free(xt);
    am_engine_free(e);
    am_system_free(s);
    am_potential_free(p);
    return check_exit();
}
