/* The "lammps" kind (LAMMPS through its library) against amorph's own
 * kernels on the same configurations: the shipped Cu–Zr glass with the 2009
 * EAM file (energy 1e-10 relative, forces 1e-8 eV/Å, per-atom energies and
 * virial), the same glass with its species listed Zr,Cu (LAMMPS types follow
 * the configuration), a Kob–Andersen cell in lj units; pair commands given
 * directly and in a file; what the hash binds; bad command files. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a (native) and b (LAMMPS) on s: the tolerances. */
static void compare(const char *label, const am_potential *a, const am_potential *b, am_system *s)
{
    test_eval ea = {0}, eb = {0};
    if (engine_eval(a, s, 0.5, 0, &ea) && engine_eval(b, s, 0.5, 0, &eb)) {
        const size_t n = s->n;
        check_rel(eb.energy, ea.energy, 1e-10, "%s: energy", label);
        check_abs(max_abs_diff(ea.f, eb.f, 3 * n), 0.0, 1e-8, "%s: largest force difference", label);
        check_abs(max_abs_diff(ea.e, eb.e, n), 0.0, 1e-9, "%s: largest per-atom energy difference", label);
        double vmax = 0.0;
        for (int k = 0; k < 6; k++) vmax = fmax(vmax, fabs(ea.virial[k]));
        for (int k = 0; k < 6; k++)
            check_abs(eb.virial[k], ea.virial[k], 1e-10 * vmax, "%s: virial component %d", label, k);
    }
    free(ea.f);
    free(eb.f);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static uint64_t hash_of_commands(const char *coeff)
{
    const char *cmds[] = {"pair_style eam/fs", coeff};
    am_potential *p = NULL;
    if (am_potential_lammps("metal", cmds, 2, &p) != AM_OK) return 0;
    const uint64_t h = am_potential_hash(p);
    am_potential_free(p);
    return h;
}

static void cuzr(void)
{
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), NULL);
    am_potential *nat = NULL, *lmp = NULL, *cmd = NULL;
    const char *file = source_path("data/potentials/Cu-Zr_2.eam.fs");
    if (!check_true(s && am_potential_read(file, AM_EAM_AUTO, &nat) == AM_OK &&
                        am_potential_lammps_open("mendelev2009", &lmp) == AM_OK,
                    "glass and potentials (%s)", am_error_message()))
        return;
    check_true(strcmp(am_potential_kind(lmp), "lammps") == 0 && strcmp(am_potential_units(lmp), "metal") == 0 &&
                   am_potential_nelements(lmp) == 2 && am_potential_cutoff(lmp) == am_potential_cutoff(nat),
               "a native file as LAMMPS: kind lammps, metal units, the file's elements and cutoff");
    check_true(am_potential_hash(lmp) != am_potential_hash(nat), "the LAMMPS engine's hash is not the native one's");
    for (size_t i = 0; i < s->n; i += 3) s->x[i] += 0.03 * sin((double)i); /* off the minimum: real forces */
    compare("Cu-Zr glass, -p as LAMMPS commands", nat, lmp, s);

    /* species listed Zr,Cu: type 1 is Zr now, in both the native map and
     * the generated pair_coeff */
    am_system *sw = NULL;
    if (am_system_copy(s, &sw) == AM_OK) {
        am_species t = sw->species[0];
        sw->species[0] = sw->species[1];
        sw->species[1] = t;
        for (size_t i = 0; i < sw->n; i++) sw->type[i] = 1 - sw->type[i];
        char **c = NULL;
        int nc = 0;
        check_true(am_potential_lammps_commands(lmp, sw, &c, &nc) == AM_OK && nc == 2 && strstr(c[1], " Zr Cu"),
                   "the generated pair_coeff names the species in the configuration's order (%s)",
                   nc == 2 ? c[1] : am_error_message());
        am_strings_free(c, nc);
        compare("Cu-Zr glass, species Zr,Cu", nat, lmp, sw);
        am_system_free(sw);
    }

    char coeff[4300];
    snprintf(coeff, sizeof coeff, "pair_coeff * * %s Cu Zr", file);
    const char *cmds[] = {"pair_style eam/fs", coeff};
    if (check_true(am_potential_lammps("metal", cmds, 2, &cmd) == AM_OK, "pair commands (%s)", am_error_message())) {
        check_true(am_potential_nelements(cmd) == 0 && isnan(am_potential_cutoff(cmd)),
                   "pair commands: no elements of their own, cutoff unknown before an engine");
        compare("Cu-Zr glass, --pair commands", nat, cmd, s);
        check_rel(am_potential_cutoff(cmd), am_potential_cutoff(nat), 1e-7, "pair commands: LAMMPS's cutoff");
    }
    /* the hash follows the file's contents, not only its name */
    check_true(copy_file(file, "lmp_engine_pot.eam.fs") == 0, "copy of the potential");
    const uint64_t h1 = hash_of_commands("pair_coeff * * lmp_engine_pot.eam.fs Cu Zr");
    const uint64_t h2 = hash_of_commands("pair_coeff * * lmp_engine_pot.eam.fs Cu Zr");
    FILE *f = fopen("lmp_engine_pot.eam.fs", "r+b");
    if (f) {
        fseek(f, -40, SEEK_END);
        fputc('7', f);
        fclose(f);
    }
    const uint64_t h3 = hash_of_commands("pair_coeff * * lmp_engine_pot.eam.fs Cu Zr");
    check_true(h1 && h1 == h2 && h2 != h3, "hash: same file contents give the same hash, an edited file another");

    am_potential_free(nat);
    am_potential_free(lmp);
    am_potential_free(cmd);
    am_system_free(s);
}

static void kob_andersen(void)
{
    am_system *s = build_kob_andersen(3, 1.2, 0.12, 7);
    am_potential *nat = NULL, *lmp = NULL, *file = NULL;
    if (!check_true(s && am_potential_open("kob-andersen", AM_EAM_AUTO, &nat) == AM_OK &&
                        am_potential_lammps_open("kob-andersen", &lmp) == AM_OK,
                    "KA cell and potentials (%s)", am_error_message()))
        return;
    check_true(strcmp(am_potential_units(lmp), "lj") == 0, "the LJ file as LAMMPS commands: lj units");
    compare("Kob-Andersen, the .lj file as LAMMPS commands", nat, lmp, s);
    write_text("lmp_engine_ka.pair", "# Kob-Andersen 80:20, LAMMPS units lj\n\nunits lj\npair_style lj/cut 2.5\n"
                                     "pair_coeff 1 1 1.0 1.0 2.5\n  pair_coeff 1 2 1.5 0.8 2.0  \n"
                                     "pair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes\n");
    if (check_true(am_potential_read("lmp_engine_ka.pair", AM_LAMMPS, &file) == AM_OK, "a pair-command file (%s)",
                   am_error_message())) {
        check_true(strcmp(am_potential_units(file), "lj") == 0, "its units line: lj");
        compare("Kob-Andersen, a pair-command file", nat, file, s);
    }
    am_potential_free(nat);
    am_potential_free(lmp);
    am_potential_free(file);
    am_system_free(s);
}

static void bad_files(void)
{
    static const struct {
        const char *text, *expect;
    } bad[] = {
        {"pair_style eam/fs\npair_coeff * * x.eam.fs Cu Zr\nshell touch X\n", ":3:"},
        {"pair_style lj/cut 2.5\nunits lj\npair_coeff * * 1 1\n", ":2:"},
        {"units real\npair_style lj/cut 2.5\n", ":1:"},
        {"pair_style lj/cut ${cut}\n", ":1:"},
        {"# nothing\n\n", "no pair commands"},
        {"pair_coeff * * 1 1\n", "no pair_style"},
        {"pair_style python 2.5\n", "python"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        write_text("lmp_engine_bad.pair", bad[k].text);
        am_potential *p = NULL;
        const am_status st = am_potential_read("lmp_engine_bad.pair", AM_LAMMPS, &p);
        check_true(st != AM_OK && !p && strstr(am_error_message(), "lmp_engine_bad.pair") &&
                       strstr(am_error_message(), bad[k].expect),
                   "bad command file %zu refused naming the file and '%s': %s", k, bad[k].expect, am_error_message());
        am_potential_free(p);
    }
    am_potential *p = NULL;
    const char *one[] = {"pair_style lj/cut 2.5"};
    check_true(am_potential_lammps("real", one, 1, &p) == AM_ERR_VALUE && !p, "units other than metal and lj refused");
}

int main(void)
{
    cuzr();
    kob_andersen();
    bad_files();
    return check_exit();
}
