/* The one-thread sweep of the EAM engine (src/potential/eam_front.c) gives
 * the plain two passes' numbers bit for bit: energy, forces, per-atom
 * energies and virials, over a sequence of calls that reuses a plan (small
 * moves) and re-plans after a rebuild (a large move). AMORPH_EAM_FRONT
 * forces it on (1) or off (0) for samples whose pair store the caches would
 * hold; the samples: an orthogonal glass, the same glass sheared
 * (triclinic) and stretched along y (another sweep axis), and a box smaller
 * than twice the list's reach (the 432-atom glass). */
#include "util/build.h"
#include "util/check.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The outputs of one call: energy, virial, then 3n forces, n energies, 6n
 * per-atom virials. */
static double *evaluate(am_engine *e, am_system *s)
{
    const size_t n = s->n, len = 7 + 10 * n;
    double *o = calloc(len, sizeof(double));
    if (!o) return NULL;
    am_result r = {0};
    r.fx = o + 7; r.fy = r.fx + n; r.fz = r.fy + n;
    r.e_atom = r.fz + n;
    r.v_atom = r.e_atom + n;
    if (am_engine_compute(e, s, &r)) { free(o); return NULL; }
    o[0] = r.energy;
    memcpy(o + 1, r.virial, sizeof r.virial);
    return o;
}

static am_engine *engine(const am_potential *p, am_system *s, const char *front)
{
    setenv("AMORPH_EAM_FRONT", front, 1);
    am_engine *e = NULL;
    if (am_engine_create(p, s, 1.0, &e)) e = NULL;
    unsetenv("AMORPH_EAM_FRONT");
    return e;
}

/* Three calls through both engines: as given, every atom moved by up to
 * 0.05 Å per direction (the list stays), then by up to 0.45 Å (it is rebuilt). */
static void compare(const char *label, const am_potential *p, am_system *s)
{
    am_engine *sweep = engine(p, s, "1"), *plain = engine(p, s, "0");
    if (!check_true(sweep && plain, "%s: engines", label)) return;
    const size_t len = 7 + 10 * s->n;
    const double amp[3] = {0.0, 0.05, 0.45};
    for (int c = 0; c < 3; c++) {
        if (amp[c] > 0) rattle(s, amp[c], 100 + (unsigned long long)c);
        const long builds = am_engine_nbuilds(sweep);
        double *a = evaluate(sweep, s), *b = evaluate(plain, s);
        if (check_true(a && b, "%s, call %d: evaluated", label, c + 1))
            check_true(memcmp(a, b, len * sizeof(double)) == 0,
                       "%s, call %d (%s): the sweep's energy, virial, forces, per-atom energies and virials "
                       "bit for bit the plain passes' (E = %.10f eV)",
                       label, c + 1, c == 0 ? "first" : am_engine_nbuilds(sweep) > builds ? "rebuilt" : "same list",
                       a ? a[0] : 0.0);
        free(a);
        free(b);
    }
    am_engine_free(sweep);
    am_engine_free(plain);
}

int main(void)
{
    omp_set_num_threads(1);
    am_potential *p = NULL;
    if (!check_true(am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &p) == AM_OK,
                    "CuZr_mm.eam.fs"))
        return check_exit();
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (check_true(s != NULL, "the shipped 2 000-atom glass")) {
        compare("2 000-atom glass", p, s);
        shear_box(s, 2.5, -1.5, 1.0);
        compare("the same glass sheared", p, s);
        am_system_free(s);
    }
    s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (s) {
        /* y the longest axis: the sweep runs along it */
        const double k = 1.3;
        for (size_t i = 0; i < s->n; i++) s->y[i] = s->box.lo[1] + k * (s->y[i] - s->box.lo[1]);
        s->box.len[1] *= k;
        compare("the glass stretched along y", p, s);
        am_system_free(s);
    }
    s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "the 432-atom glass (a box below twice the list's reach)")) {
        compare("432-atom glass", p, s);
        am_system_free(s);
    }
    am_potential_free(p);
    return check_exit();
}
