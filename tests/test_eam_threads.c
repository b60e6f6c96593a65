/* The EAM engine's numbers do not depend on the thread count: energy,
 * virial, forces, per-atom energies and virials bit for bit the same on 1
 * to 4 threads (each atom's own sums over its own list in list order;
 * one thread sweeps a large sample, several run the plain passes), over
 * calls that keep the list (small moves) and that rebuild it (a large
 * move), under each kernel this CPU runs. With and without per-atom
 * virials the forces are the same bits and the total virials agree: the
 * engine computes them on one path today, and a kernel that took another
 * without them (the one-visit kernel tried 2026-12-07 did) must keep both.
 * Samples: the 2 000-atom glass, sheared (triclinic), stretched along y;
 * the 432-atom glass and a 54-atom B2 crystal (boxes below twice the
 * list's reach: atoms list their own images); a 32 000-atom copy (swept
 * on one thread). */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CALLS = 3, MAXT = 4 };

/* CALLS calls on threads threads from the positions x0: as given, every
 * atom moved by up to 0.05 Å per direction (the list stays), then by up
 * to 0.45 Å (it is rebuilt). out[c]: the outputs of call c. */
static int run(const am_potential *p, am_system *s, const double *x0, int threads, int vatom, double **out)
{
    restore_positions(s, x0);
    omp_set_num_threads(threads);
    am_engine *e = NULL;
    if (am_engine_create(p, s, 1.0, &e)) return 0;
    const double amp[CALLS] = {0.0, 0.05, 0.45};
    int ok = 1;
    for (int c = 0; c < CALLS; c++) {
        if (amp[c] > 0) rattle(s, amp[c], 100 + (unsigned long long)c);
        out[c] = engine_outputs(e, s, vatom);
        ok &= out[c] != NULL;
    }
    ok &= am_engine_nbuilds(e) == 2;
    am_engine_free(e);
    return ok;
}

static void release(double **out)
{
    for (int c = 0; c < CALLS; c++) free(out[c]);
}

static void compare_kernel(const char *label, am_system *s, int v, const void *ctx)
{
    (void)v;
    const am_potential *p = ctx;
    double *x0 = save_positions(s);
    if (!check_true(x0 != NULL, "%s: memory", label)) return;
    const size_t n = s->n, len = 7 + 10 * n;
    static const char *const what[CALLS] = {"first", "same list", "rebuilt"};
    double *one[CALLS] = {0}, *many[CALLS] = {0}, *nov[CALLS] = {0};
    if (!check_true(run(p, s, x0, 1, 1, one), "%s: three calls on one thread, the second without a rebuild", label)) {
        release(one);
        free(x0);
        return;
    }
    for (int t = 2; t <= MAXT; t++) {
        if (check_true(run(p, s, x0, t, 1, many), "%s: three calls on %d threads", label, t))
            for (int c = 0; c < CALLS; c++)
                check_true(memcmp(one[c], many[c], len * sizeof(double)) == 0,
                           "%s, call %d (%s), %d threads: energy, virial, forces, per-atom energies and virials bit "
                           "for bit one thread's (E = %.10f eV)",
                           label, c + 1, what[c], t, one[c][0]);
        release(many);
    }
    /* no per-atom virials: the engine may skip work, not change numbers */
    for (int t = 1; t <= MAXT; t += 2) {
        if (check_true(run(p, s, x0, t, 0, nov), "%s: three calls on %d threads, no per-atom virials", label, t))
            for (int c = 0; c < CALLS; c++) {
                check_true(memcmp(one[c] + 7, nov[c] + 7, 4 * n * sizeof(double)) == 0 && one[c][0] == nov[c][0],
                           "%s, call %d, %d threads, no per-atom virials: energy, forces, per-atom energies bit for "
                           "bit",
                           label, c + 1, t);
                double vmax = 0, dv = 0;
                for (int k = 1; k < 7; k++) {
                    vmax = fmax(vmax, fabs(one[c][k]));
                    dv = fmax(dv, fabs(one[c][k] - nov[c][k]));
                }
                check_abs(dv, 0.0, 1e-12 * vmax, "%s, call %d, %d threads: the total virial without per-atom "
                          "virials (largest |W| %.6g eV)", label, c + 1, t, vmax);
            }
        release(nov);
    }
    release(one);
    free(x0);
}

static void sample(int which, const char *label, am_system *s, const am_potential *p)
{
    /* every kernel on the glass and on the smallest box */
    under_kernels(label, s, which == EAM_SAMPLE_GLASS || which == EAM_SAMPLE_SMALL, 1, compare_kernel, p);
}

int main(void)
{
    eam_samples("CuZr_mm.eam.fs", sample);
    return check_exit();
}
