/* The EAM engine's numbers do not depend on the thread count: energy,
 * virial, forces, per-atom energies and virials bit for bit the same on 1
 * to 4 threads (each atom's own sums over its own list in list order;
 * one thread sweeps a large sample, several run the plain passes), over
 * calls that keep the list (small moves) and that rebuild it (a large
 * move), under each kernel this CPU runs. With and without per-atom
 * virials the forces are the same bits and the total virials agree.
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

/* The outputs of one call: energy, virial, then 3n forces, n energies and,
 * with vatom, 6n per-atom virials. */
static double *evaluate(am_engine *e, am_system *s, int vatom)
{
    const size_t n = s->n, len = 7 + 10 * n;
    double *o = calloc(len, sizeof(double));
    if (!o) return NULL;
    am_result r = {0};
    r.fx = o + 7; r.fy = r.fx + n; r.fz = r.fy + n;
    r.e_atom = r.fz + n;
    r.v_atom = vatom ? r.e_atom + n : NULL;
    if (am_engine_compute(e, s, &r)) { free(o); return NULL; }
    o[0] = r.energy;
    memcpy(o + 1, r.virial, sizeof r.virial);
    return o;
}

enum { CALLS = 3, MAXT = 4 };

/* CALLS calls on threads threads from the positions x0: as given, every
 * atom moved by up to 0.05 Å per direction (the list stays), then by up
 * to 0.45 Å (it is rebuilt). out[c]: the outputs of call c. */
static int run(const am_potential *p, am_system *s, const double *x0, int threads, int vatom, double **out)
{
    const size_t n = s->n;
    memcpy(s->x, x0, n * sizeof(double));
    memcpy(s->y, x0 + n, n * sizeof(double));
    memcpy(s->z, x0 + 2 * n, n * sizeof(double));
    omp_set_num_threads(threads);
    am_engine *e = NULL;
    if (am_engine_create(p, s, 1.0, &e)) return 0;
    const double amp[CALLS] = {0.0, 0.05, 0.45};
    int ok = 1;
    for (int c = 0; c < CALLS; c++) {
        if (amp[c] > 0) rattle(s, amp[c], 100 + (unsigned long long)c);
        out[c] = evaluate(e, s, vatom);
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

static void compare_kernel(const char *label, const am_potential *p, am_system *s, const double *x0)
{
    const size_t n = s->n, len = 7 + 10 * n;
    static const char *const what[CALLS] = {"first", "same list", "rebuilt"};
    double *one[CALLS] = {0}, *many[CALLS] = {0}, *nov[CALLS] = {0};
    if (!check_true(run(p, s, x0, 1, 1, one), "%s: three calls on one thread, the second without a rebuild", label)) {
        release(one);
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
    /* no per-atom virials */
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
}

/* Under each kernel this CPU runs (the environment's choice at engine
 * creation) when kernels, else the default one. */
static void compare(const char *label, const am_potential *p, am_system *s, int kernels)
{
    const size_t n = s->n;
    double *x0 = malloc(3 * n * sizeof(double));
    if (!check_true(x0 != NULL, "%s: memory", label)) return;
    memcpy(x0, s->x, n * sizeof(double));
    memcpy(x0 + n, s->y, n * sizeof(double));
    memcpy(x0 + 2 * n, s->z, n * sizeof(double));
    static const char *const env[3] = {NULL, "AMORPH_NO_AVX512", "AMORPH_NO_SIMD"};
    static const char *const kname[3] = {"", ", AVX2 kernel", ", generic kernel"};
    for (int k = 0; k < (kernels ? 3 : 1); k++) {
        if (env[k]) setenv(env[k], "1", 1);
        char l[160];
        snprintf(l, sizeof l, "%s%s", label, kname[k]);
        compare_kernel(l, p, s, x0);
        unsetenv("AMORPH_NO_AVX512");
        unsetenv("AMORPH_NO_SIMD");
    }
    memcpy(s->x, x0, n * sizeof(double));
    memcpy(s->y, x0 + n, n * sizeof(double));
    memcpy(s->z, x0 + 2 * n, n * sizeof(double));
    free(x0);
}

int main(void)
{
    am_potential *p = NULL;
    if (!check_true(am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &p) == AM_OK,
                    "CuZr_mm.eam.fs"))
        return check_exit();
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (check_true(s != NULL, "the shipped 2 000-atom glass")) {
        compare("2 000-atom glass", p, s, 1);
        am_system *big = replicate(s, 4, 2, 2);
        if (check_true(big != NULL, "the glass replicated 4 x 2 x 2")) {
            compare("32 000-atom glass", p, big, 0);
            am_system_free(big);
        }
        shear_box(s, 2.5, -1.5, 1.0);
        compare("the same glass sheared", p, s, 0);
        am_system_free(s);
    }
    s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (s) {
        /* y the longest axis */
        const double k = 1.3;
        for (size_t i = 0; i < s->n; i++) s->y[i] = s->box.lo[1] + k * (s->y[i] - s->box.lo[1]);
        s->box.len[1] *= k;
        compare("the glass stretched along y", p, s, 0);
        am_system_free(s);
    }
    s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "the 432-atom glass (a box below twice the list's reach)")) {
        compare("432-atom glass", p, s, 1);
        am_system_free(s);
    }
    s = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    rattle(s, 0.1, 6);
    compare("B2 CuZr 54 in a 9.8 A box", p, s, 0);
    am_system_free(s);
    am_potential_free(p);
    return check_exit();
}
