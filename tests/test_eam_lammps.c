/* EAM energies, per-atom energies, forces, pressure and per-atom virials
 * against LAMMPS (pair_style eam, eam/alloy, eam/fs) run on the same
 * configurations. Tolerances: energy 1e-10 relative, forces 1e-8 eV/Å per
 * component, pressure 1e-6 relative to the largest component, per-atom
 * virials 1e-8 eV. */
#include "util/build.h"
#include "util/check.h"
#include "util/lammps.h"

#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

static void compare(const char *label, am_system *s, const char *pot_path, am_eam_style style)
{
    am_potential *pot = NULL;
    am_engine *eng = NULL;
    if (!check_true(am_potential_read(pot_path, style, &pot) == AM_OK, "%s: read %s (%s)", label, pot_path,
                    am_error_message()))
        return;
    if (!check_true(am_engine_create(pot, s, 1.0, &eng) == AM_OK, "%s: engine (%s)", label, am_error_message())) {
        am_potential_free(pot);
        return;
    }
    size_t n = s->n;
    double *buf = calloc(4 * n, sizeof(double));
    am_result r = {0};
    r.fx = buf; r.fy = buf + n; r.fz = buf + 2 * n; r.e_atom = buf + 3 * n;
    check_true(am_engine_compute(eng, s, &r) == AM_OK, "%s: compute", label);

    char ps[64], pc[8192];
    lmp_pair_lines(pot_path, am_potential_style(pot), s, ps, sizeof ps, pc, sizeof pc);
    lmp_result ref;
    /* its own directory per run: ctest runs this test three times at once
     * (the default, generic and AVX2 kernels), and scratch_dir empties it */
    const char *dir = scratch_dir(getenv("AMORPH_NO_SIMD")     ? "eam_lammps_generic"
                                  : getenv("AMORPH_NO_AVX512") ? "eam_lammps_avx2"
                                                               : "eam_lammps");
    if (check_true(lmp_single_point(dir, s, ps, pc, &ref) == 0, "%s: LAMMPS ran", label)) {
        check_rel(r.energy, ref.energy, 1e-10, "%s: total energy", label);
        double df = 0, de = 0;
        size_t worst = 0;
        for (size_t i = 0; i < n; i++) {
            double d = fmax(fabs(r.fx[i] - ref.fx[i]), fmax(fabs(r.fy[i] - ref.fy[i]), fabs(r.fz[i] - ref.fz[i])));
            if (d > df) { df = d; worst = i; }
            de = fmax(de, fabs(r.e_atom[i] - ref.e_atom[i]));
        }
        check_abs(df, 0.0, 1e-8, "%s: max force difference over %zu atoms (worst atom id %lld)", label, n,
                  s->id[worst]);
        check_abs(de, 0.0, 1e-9, "%s: max per-atom energy difference", label);
        double p[6], pmax = 1.0;
        am_pressure_from_virial(r.virial, am_box_volume(&s->box), p);
        for (int c = 0; c < 6; c++) pmax = fmax(pmax, fabs(ref.press[c]));
        static const char *nm[6] = {"xx", "yy", "zz", "xy", "xz", "yz"};
        for (int c = 0; c < 6; c++)
            check_abs(p[c], ref.press[c], 1e-6 * pmax, "%s: pressure %s (bar)", label, nm[c]);
        /* per-atom virials too (half of each pair's, as LAMMPS's compute
         * stress/atom): asking for them must not change the forces */
        double *more = calloc(9 * n, sizeof(double));
        am_result rv = {0};
        if (more) {
            rv.fx = more; rv.fy = more + n; rv.fz = more + 2 * n;
            rv.v_atom = more + 3 * n;
        }
        if (check_true(more && am_engine_compute(eng, s, &rv) == AM_OK, "%s: compute with per-atom virials", label)) {
            check_true(memcmp(rv.fx, r.fx, 3 * n * sizeof(double)) == 0,
                       "%s: forces with per-atom virials bit for bit those without", label);
            double dv = 0, vmax = 0;
            for (size_t k = 0; k < 6 * n; k++) {
                dv = fmax(dv, fabs(rv.v_atom[k] - ref.v_atom[k]));
                vmax = fmax(vmax, fabs(ref.v_atom[k]));
            }
            check_abs(dv, 0.0, 1e-8, "%s: max per-atom virial difference (eV; largest |W_i| %.4g)", label, vmax);
            am_pressure_from_virial(rv.virial, am_box_volume(&s->box), p);
            for (int c = 0; c < 6; c++)
                check_abs(p[c], ref.press[c], 1e-6 * pmax, "%s: pressure %s from the per-atom virials (bar)", label,
                          nm[c]);
        }
        free(more);
        lmp_result_free(&ref);
    }
    free(buf);
    am_engine_free(eng);
    am_potential_free(pot);
}

int main(void)
{
    if (!lmp_available()) {
        printf("LAMMPS (lmp) not found: install Debian's lammps (scripts/install-deps.sh)\n");
        return 1;
    }
    am_system *s;

    s = build_lattice("fcc", 3.615, 4, 4, 4, "Cu");
    rattle(s, 0.1, 1);
    compare("fcc Cu 256, funcfl", s, potential_path("Cu_u3.eam"), AM_EAM_AUTO);
    am_system_free(s);

    s = build_lattice("fcc", 3.615, 2, 2, 2, "Cu");
    rattle(s, 0.15, 2);
    compare("fcc Cu 32 in a 7.2 A box (< 2 x 4.95 A cutoff), funcfl", s, potential_path("Cu_u3.eam"), AM_EAM_AUTO);
    am_system_free(s);

    s = build_lattice("fcc", 3.56, 4, 4, 4, "Cu,Ni");
    rattle(s, 0.1, 3);
    compare("random fcc CuNi 256, setfl", s, potential_path("CuNi.eam.alloy"), AM_EAM_AUTO);
    am_system_free(s);

    s = build_lattice("fcc", 3.9, 3, 3, 3, "Al,Cu");
    rattle(s, 0.1, 4);
    shear_box(s, 1.5, -0.8, 0.6);
    compare("random fcc AlCu 108, triclinic, setfl", s, potential_path("AlCu.eam.alloy"), AM_EAM_AUTO);
    am_system_free(s);

    /* three species groups per list, and (second) an empty one between two
     * others: where the kernel's one compaction per atom splits its pairs
     * among the groups */
    s = build_lattice("fcc", 3.6, 3, 3, 3, "Ni,Al,H");
    rattle(s, 0.1, 6);
    compare("random fcc NiAlH 108, setfl, three species", s, potential_path("NiAlH_jea.eam.alloy"), AM_EAM_AUTO);
    for (size_t i = 0; i < s->n; i++) s->type[i] = s->type[i] == 1 ? 2 : s->type[i];
    compare("random fcc NiH 108 with NiAlH's tables, no Al", s, potential_path("NiAlH_jea.eam.alloy"), AM_EAM_AUTO);
    am_system_free(s);

    s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "read the CuZr glass")) {
        compare("CuZr glass 432, eam/fs", s, potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO);
        rattle(s, 0.05, 5);
        shear_box(s, 4.0, -3.0, 2.5);
        compare("rattled CuZr glass 432, triclinic, eam/fs", s, potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO);
        am_system_free(s);
    }

    /* the default Cu-Zr potential, shipped (Mendelev 2009), by its name */
    const char *m09 = am_potential_resolve(AM_POTENTIAL_DEFAULT_NAME);
    check_true(m09 && strstr(m09, "data/potentials/Cu-Zr_2.eam.fs") != NULL, "%s resolves to the shipped file (%s)",
               AM_POTENTIAL_DEFAULT_NAME, m09 ? m09 : "(null)");
    s = load_conf(source_path("data/cuzr_glass_2000.data"), NULL);
    if (check_true(s != NULL, "read the shipped glass")) {
        compare("shipped Cu50Zr50 glass 2000, eam/fs, Mendelev 2009", s, m09, AM_EAM_AUTO);
        rattle(s, 0.05, 7);
        shear_box(s, 3.0, 2.0, -2.5);
        compare("rattled shipped glass, triclinic, Mendelev 2009", s, m09, AM_EAM_AUTO);
        am_system_free(s);
    }

    s = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    rattle(s, 0.1, 6);
    compare("B2 CuZr 54 in a 9.8 A box (< 2 x 7.6 A), eam/fs", s, potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO);
    shear_box(s, 2.0, 1.0, -1.5);
    compare("B2 CuZr 54, small triclinic box, eam/fs", s, potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO);
    am_system_free(s);

    return check_exit();
}
