/* The Lennard-Jones engine against LAMMPS pair_style lj/cut (units lj) run
 * on the same Kob–Andersen 80:20 configurations: the shipped potential
 * (pair cutoffs, shifted), like pairs only with the unlike pair mixed
 * geometrically and arithmetically, unshifted, a triclinic box and a box
 * smaller than twice the cutoff. Tolerances: energy and virial 1e-10
 * relative, forces, per-atom energies and per-atom virials 1e-8 absolute
 * (reduced units). Also: forces are −∂E/∂x by central differences, and
 * results do not depend on the thread count. */
#include "util/build.h"
#include "util/check.h"
#include "util/lammps.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kob–Andersen as LAMMPS input */
#define KA_COEFF LMP_KA_COEFF

static void compare(const char *label, am_system *s, const char *pot_path, const char *lmp_style, const char *lmp_coeff)
{
    am_potential *p = NULL;
    if (!check_true(am_potential_read(pot_path, AM_EAM_AUTO, &p) == AM_OK, "%s: read %s (%s)", label, pot_path,
                    am_error_message()))
        return;
    check_true(strcmp(am_potential_units(p), "lj") == 0 && strcmp(am_potential_kind(p), "lj/cut") == 0,
               "%s: an lj/cut potential in lj units", label);
    const size_t n = s->n;
    test_eval a;
    if (engine_eval(p, s, 0.3, 1, &a)) {
        lmp_result ref;
        if (check_true(lmp_run_units(scratch_dir("lj_lammps"), "lj", s, lmp_style, lmp_coeff, "", &ref) == 0,
                       "%s: LAMMPS ran", label)) {
            check_rel(a.energy, ref.energy, 1e-10, "%s: total energy", label);
            double *lf = malloc(3 * n * sizeof(double)), dv = 0.0, vmax = 0.0;
            memcpy(lf, ref.fx, n * sizeof(double));
            memcpy(lf + n, ref.fy, n * sizeof(double));
            memcpy(lf + 2 * n, ref.fz, n * sizeof(double));
            check_abs(max_abs_diff(a.f, lf, 3 * n), 0.0, 1e-8, "%s: max force difference (epsilon/sigma)", label);
            free(lf);
            check_abs(max_abs_diff(a.e, ref.e_atom, n), 0.0, 1e-8, "%s: max per-atom energy difference", label);
            check_abs(max_abs_diff(a.v, ref.v_atom, 6 * n), 0.0, 1e-8, "%s: max per-atom virial difference", label);
            /* LAMMPS reports the virial as a pressure: W/V in lj units */
            double press[6];
            am_units_pressure(am_units_of("lj"), a.virial, am_box_volume(&s->box), press);
            for (int c = 0; c < 6; c++) {
                dv = fmax(dv, fabs(press[c] - ref.press[c]));
                vmax = fmax(vmax, fabs(ref.press[c]));
            }
            check_abs(dv, 0.0, 1e-10 * vmax, "%s: virial pressure, largest difference of 6 (largest |P| %.6g)", label,
                      vmax);
            lmp_result_free(&ref);
        }
    }
    free(a.f);
    am_potential_free(p);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!check_true(f != NULL, "create %s", path)) return;
    fputs(text, f);
    fclose(f);
}

/* −∂E/∂x by central differences at a few atoms: truncation (h²/6)·E'''
 * (E''' up to ~1e5 ε/σ³ at the closest pairs here) and rounding of the
 * total energy (~1e-13 ε) over h. */
static void fd_forces(const am_potential *p, am_system *s)
{
    test_eval a;
    if (!engine_eval(p, s, 0.3, 1, &a)) { free(a.f); return; }
    const size_t n = s->n;
    const double h = 1e-6;
    double worst = 0.0;
    double *x[3] = {s->x, s->y, s->z};
    for (size_t i = 0; i < n; i += 37)
        for (int d = 0; d < 3; d++) {
            const double x0 = x[d][i];
            test_eval ep, em;
            x[d][i] = x0 + h;
            engine_eval(p, s, 0.3, 1, &ep);
            x[d][i] = x0 - h;
            engine_eval(p, s, 0.3, 1, &em);
            x[d][i] = x0;
            worst = fmax(worst, fabs(-(ep.energy - em.energy) / (2 * h) - a.f[(size_t)d * n + i]));
            free(ep.f);
            free(em.f);
        }
    check_abs(worst, 0.0, 1e-6, "forces = -dE/dx by central differences (h = 1e-6 sigma), largest difference");
    free(a.f);
}

static void thread_independence(const am_potential *p, am_system *s)
{
    test_eval one, two;
    omp_set_num_threads(1);
    engine_eval(p, s, 0.3, 1, &one);
    omp_set_num_threads(2);
    engine_eval(p, s, 0.3, 1, &two);
    const size_t n = s->n;
    check_true(one.energy == two.energy && memcmp(one.virial, two.virial, sizeof one.virial) == 0 &&
                   memcmp(one.f, two.f, 10 * n * sizeof(double)) == 0,
               "1 and 2 threads: bit-identical energy, virial, forces, per-atom energies and virials");
    free(one.f);
    free(two.f);
}

int main(void)
{
    if (!lmp_available()) {
        printf("LAMMPS (lmp) not found: install Debian's lammps (scripts/install-deps.sh)\n");
        return 1;
    }
    const char *dir = scratch_dir("lj_lammps_files");
    const char *ka = am_potential_resolve("kob-andersen");
    check_true(ka && strstr(ka, "data/potentials/kob_andersen.lj") != NULL, "kob-andersen resolves to the shipped file (%s)",
               ka ? ka : "(null)");

    am_system *s = build_kob_andersen(4, 1.2, 0.12, 1);
    compare("Kob-Andersen 256 at rho 1.2, shipped file", s, ka, "lj/cut 2.5", KA_COEFF);

    /* only the like pairs: the unlike one is mixed (sigma_AB, cut_AB from sigma, cut of AA and BB) */
    const char *geo = scratch_file(dir, "mixed_geometric.lj");
    write_text(geo, "types A B\npair_style lj/cut 2.5\npair_modify shift yes mix geometric\n"
                    "pair_coeff A A 1.0 1.0\npair_coeff 2 2 0.5 0.88 2.2\n");
    compare("Kob-Andersen 256, unlike pair mixed geometric", s, geo, "lj/cut 2.5",
            "pair_coeff 1 1 1.0 1.0\npair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes mix geometric");
    const char *ari = scratch_file(dir, "mixed_arithmetic.lj");
    write_text(ari, "units lj\ntypes A B\nmass B 2.0\npair_style lj/cut 2.2\npair_modify mix arithmetic\n"
                    "pair_coeff A A 1.0 1.0\npair_coeff B B 0.5 0.88 2.5 # cut above the global one\n");
    shear_box(s, 0.6, -0.4, 0.3);
    compare("Kob-Andersen 256 triclinic, unshifted, unlike pair mixed arithmetic", s, ari, "lj/cut 2.2",
            "pair_coeff 1 1 1.0 1.0\npair_coeff 2 2 0.5 0.88 2.5\npair_modify mix arithmetic");
    am_system_free(s);

    s = build_kob_andersen(2, 1.2, 0.1, 2);
    compare("Kob-Andersen 32 in a 3.0 sigma box (< 2 x 2.5 sigma cutoff)", s, ka, "lj/cut 2.5", KA_COEFF);
    /* '*' sets every pair, the unlike one included (so not mixed); a later line overrides */
    const char *star = scratch_file(dir, "wildcard.lj");
    write_text(star, "types A B\npair_style lj/cut 2.5\npair_coeff * * 1.2 0.9\npair_coeff 2 2 0.5 0.88\n"
                     "pair_modify shift yes\n");
    compare("Kob-Andersen 32, pair_coeff * * then 2 2", s, star, "lj/cut 2.5",
            "pair_coeff * * 1.2 0.9\npair_coeff 2 2 0.5 0.88\npair_modify shift yes");
    am_system_free(s);

    am_potential *p = NULL;
    if (check_true(am_potential_open("kob-andersen", AM_EAM_AUTO, &p) == AM_OK, "open kob-andersen (%s)",
                   am_error_message())) {
        s = build_kob_andersen(4, 1.2, 0.12, 3);
        fd_forces(p, s);
        thread_independence(p, s);
        am_system_free(s);
        am_potential_free(p);
    }
    return check_exit();
}
