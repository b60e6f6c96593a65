/* The LAMMPS library engine (src/potential/lammps_lib.c) against amorph's own
 * EAM engine on the shipped glass with the 2009 potential: energy 1e-10
 * relative, forces 1e-8 eV/Å, per-atom energies 1e-9 eV, pressure 1e-6 of the
 * largest component; again after moving atoms (one across the box: its
 * wrapped image must be used) and after a box change (triclinic shear);
 * commands that are not plain pair commands refused before LAMMPS sees them,
 * and a pair_coeff LAMMPS rejects reported with LAMMPS's own message, this
 * process still running. */
#include "potential/lammps_lib.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void compare(const char *label, am_engine *e, am_lmp *l, am_system *s)
{
    const size_t n = s->n;
    double *a = calloc(8 * n, sizeof(double)), *b = a + 4 * n;
    am_result ra = {0}, rb = {0};
    ra.fx = a; ra.fy = a + n; ra.fz = a + 2 * n; ra.e_atom = a + 3 * n;
    rb.fx = b; rb.fy = b + n; rb.fz = b + 2 * n; rb.e_atom = b + 3 * n;
    check_true(am_engine_compute(e, s, &ra) == AM_OK, "%s: amorph's engine", label);
    check_true(am_lmp_compute(l, s, &rb) == AM_OK, "%s: the LAMMPS engine (%s)", label, am_error_message());
    check_rel(rb.energy, ra.energy, 1e-10, "%s: energy", label);
    double df = 0, de = 0;
    for (size_t i = 0; i < 3 * n; i++) df = fmax(df, fabs(a[i] - b[i]));
    for (size_t i = 3 * n; i < 4 * n; i++) de = fmax(de, fabs(a[i] - b[i]));
    check_abs(df, 0, 1e-8, "%s: largest force difference, eV/A", label);
    check_abs(de, 0, 1e-9, "%s: largest per-atom energy difference, eV", label);
    double pmax = 0;
    for (int k = 0; k < 6; k++) pmax = fmax(pmax, fabs(ra.virial[k]));
    for (int k = 0; k < 6; k++) check_abs(rb.virial[k], ra.virial[k], 1e-6 * pmax, "%s: virial component %d", label, k);
    free(a);
}

int main(void)
{
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), NULL);
    if (!check_true(s != NULL, "the shipped glass")) return check_exit();
    am_potential *p;
    am_engine *e;
    char path[4096], coeff[4200];
    snprintf(path, sizeof path, "%s", source_path("data/potentials/Cu-Zr_2.eam.fs"));
    if (!check_true(am_potential_read(path, AM_EAM_FS, &p) == AM_OK && am_engine_create(p, s, 1.0, &e) == AM_OK,
                    "amorph's engine (%s)", am_error_message()))
        return check_exit();
    snprintf(coeff, sizeof coeff, "pair_coeff * * %s Cu Zr", path);
    const char *cmds[] = {"pair_style eam/fs", coeff};
    am_lmp *l;
    double cut = 0.0;
    if (!check_true(am_lmp_create(s, "metal", cmds, 2, 1.0, &l, &cut) == AM_OK, "LAMMPS engine (%s)", am_error_message()))
        return check_exit();
    check_rel(cut, am_potential_cutoff(p), 1e-7, "the cutoff LAMMPS reports is the file's");
    compare("the glass", e, l, s);
    /* small moves (no list rebuild), then one atom out of the box by a
     * third of its length (a rebuild, and a position LAMMPS must wrap) */
    for (size_t i = 0; i < s->n; i += 7) s->x[i] += 0.05 * sin((double)i);
    compare("moved atoms", e, l, s);
    s->y[11] += s->box.len[1] * 1.34;
    compare("an atom beyond the box", e, l, s);
    const long setups = am_lmp_setups(l);
    /* a box change: LAMMPS's full setup */
    for (size_t i = 0; i < s->n; i++) { s->x[i] *= 1.01; s->y[i] *= 1.01; s->z[i] *= 1.01; }
    for (int c = 0; c < 3; c++) { s->box.lo[c] *= 1.01; s->box.len[c] *= 1.01; }
    compare("an expanded box", e, l, s);
    check_true(am_lmp_setups(l) == setups + 1, "a box change set LAMMPS up again, positions alone did not");
    am_lmp_free(l);

    /* hostile or wrong commands */
    static const char *bad[] = {"shell touch X", "pair_style eam/fs # x", "pair_coeff * * ${file} Cu Zr",
                                "pair_style python 2.5", "include other.in", "pair_coeff * * 'a b' Cu Zr",
                                "pair_style lj/cut 2.5 & shell ls", ""};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        check_true(am_lmp_check_command(bad[k], "test") == AM_ERR_VALUE, "refused before LAMMPS: '%s' (%s)", bad[k],
                   am_error_message());
    check_true(am_lmp_check_command(coeff, "test") == AM_OK, "a plain pair_coeff passes");
    const char *wrong[] = {"pair_style eam/fs", "pair_coeff * * /nonexistent/file.eam.fs Cu Zr"};
    const am_status st = am_lmp_create(s, "metal", wrong, 2, 1.0, &l, &cut);
    check_true(st == AM_ERR_VALUE && strstr(am_error_message(), "ERROR") != NULL,
               "a file LAMMPS cannot open: LAMMPS's error, reported here: %s", am_error_message());
    am_engine_free(e);
    am_potential_free(p);
    am_system_free(s);
    return check_exit();
}
