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

int main(void)
{
    const double t0 = now();
    test_region();
    printf("region checks: %.2f s\n", now() - t0);
    return check_exit();
}
