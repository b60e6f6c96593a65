/* ARTn on the CuZr glass: every converged saddle is checked independently —
 * largest force recomputed by a fresh engine below the exit threshold, same
 * energy, and exactly one negative eigenvalue of the analytic Hessian (dense
 * LAPACK; the three zero translations apart; "negative" below the search's
 * second_threshold); connection to the start is the search's own outcome. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    am_potential *p;
    am_system *s = load_glass_minimized(&p, 1e-8);
    if (!check_true(s != NULL, "glass minimised")) return check_exit();
    const size_t n = s->n;
    am_engine *e;
    am_engine_create(p, s, 1.0, &e);
    double *xs = malloc(3 * n * sizeof(double)), *f = malloc(3 * n * sizeof(double)),
           *xf = malloc(3 * n * sizeof(double));
    am_system *t;
    am_system_copy(s, &t);
    int converged = 0, checked = 0, one_negative = 0, below = 0, moves = 0;
    /* searches from atoms spread over the glass until 4 have converged (a
     * quarter to a third do on this glass, docs/saddle.md), at most 36 */
    const int nsearch = 36;
    int ran = 0;
    for (int k = 0; k < nsearch && converged < 4; k++, ran++) {
        am_saddle_options o;
        /* whole-box searches, checked as found (the default re-converges
         * its saddles: test_saddle_protocol.c, test_saddle_local.c) */
        am_saddle_paper(&o);
        o.seed = 40 + (unsigned long)k;
        am_saddle_result r = {0};
        r.saddle_xyz = xs;
        r.final_xyz = xf;
        const size_t c = (size_t)k * n / nsearch;
        if (!check_true(am_saddle_search(e, s, &o, c, NULL, &r) == AM_OK, "search %d ran", k)) continue;
        printf("  search %d: %s, Ea %.4f eV\n", k, am_saddle_outcome_name(r.outcome), r.ea);
        if (r.outcome != AM_SADDLE_OK) continue;
        converged++;
        /* how the event moved the atoms, recomputed from the returned
         * (unwrapped) coordinates */
        long moved = 0;
        double dc[2] = {0, 0};
        for (size_t i = 0; i < n; i++) {
            const double d[3] = {xf[3 * i] - s->x[i], xf[3 * i + 1] - s->y[i], xf[3 * i + 2] - s->z[i]};
            moved += sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) > AM_MOVED_DISP;
        }
        for (int q = 0; q < 2; q++) {
            const double *x = q ? xf : xs;
            const double d[3] = {x[3 * c] - s->x[c], x[3 * c + 1] - s->y[c], x[3 * c + 2] - s->z[c]};
            dc[q] = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        }
        printf("    centre moved %.3f A at the saddle, %.3f A in the new minimum; %ld atoms moved > %.1f A\n",
               r.disp_center_saddle, r.disp_center_final, r.moved, AM_MOVED_DISP);
        moves += moved == r.moved && fabs(dc[0] - r.disp_center_saddle) < 1e-9 &&
                 fabs(dc[1] - r.disp_center_final) < 1e-9 && r.disp_center_final <= r.disp_max + 1e-12;
        /* independent force check at the saddle */
        for (size_t i = 0; i < n; i++) { t->x[i] = xs[3 * i]; t->y[i] = xs[3 * i + 1]; t->z[i] = xs[3 * i + 2]; }
        am_engine *e2;
        am_engine_create(p, t, 1.0, &e2);
        const double energy = flat_forces(e2, t, f);
        double fm = 0;
        for (size_t i = 0; i < n; i++)
            fm = fmax(fm, sqrt(f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2]));
        below += fm < o.exit_force && fabs(energy - r.e_saddle) < 1e-9;
        am_engine_free(e2);
        /* Hessian spectrum at the saddle (unit masses: curvatures) */
        am_hessian *h;
        am_modes *m;
        if (am_hessian_create(p, t, &h) == AM_OK && am_modes_dense(h, NULL, 5, 0, &m) == AM_OK) {
            /* translations are exact zeros (1e-15) anywhere; a curvature above
             * second_threshold (-0.01) is flat at a point converged to 0.05 eV/A */
            int neg = 0, zero = 0;
            for (int q = 0; q < 5; q++) {
                neg += m->lambda[q] < o.second_threshold;
                zero += fabs(m->lambda[q]) <= 1e-9;
            }
            printf("    fmax %.4f eV/A; lowest curvatures %.4f %.1e %.1e %.1e %.4f eV/A^2 (Lanczos %.4f)\n", fm,
                   m->lambda[0], m->lambda[1], m->lambda[2], m->lambda[3], m->lambda[4], r.eigenvalue);
            one_negative += neg == 1 && zero == 3 && m->lambda[0] < o.second_threshold && m->lambda[1] >= o.second_threshold;
            checked++;
            am_modes_free(m);
        }
        am_hessian_free(h);
    }
    /* this small, fast-quenched glass has a soft spot that many pushes trip (see docs/saddle.md) */
    check_true(converged >= 3, "at least 3 of the searches converge (%d of %d)", converged, ran);
    check_true(checked == converged, "every converged saddle's Hessian diagonalised");
    check_true(moves == converged, "every converged event: centre displacements and moved-atom count as recomputed "
                                   "from its coordinates (%d of %d)", moves, converged);
    check_true(below == converged, "every converged saddle: recomputed max force below the exit threshold, same energy");
    check_true(one_negative == converged, "every converged saddle has exactly one negative eigenvalue (%d of %d)",
               one_negative, converged);
    free(xs); free(f); free(xf);
    am_system_free(t);
    am_engine_free(e);
    am_system_free(s);
    am_potential_free(p);
    return check_exit();
}
