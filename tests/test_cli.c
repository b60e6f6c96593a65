/* The amorph program: every verb answers --help with status 0, bad input
 * ends with a message naming the file and line and a non-zero status (never a
 * crash), and `amorph energy --json` reports the numbers the library does. */
#include "util/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    static char out[1 << 16];
    static const char *verbs[] = {"energy", "minimize", "md", "quench", "tg", "describe", "modes", "vibrate",
                                  "artn", "artn-summary", "analyze", "study"};
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) {
        char a[64];
        snprintf(a, sizeof a, "%s --help", verbs[k]);
        int rc = run_amorph(a, out, sizeof out);
        check_true(rc == 0 && strstr(out, "usage: amorph") && strstr(out, "[default:"),
                   "amorph %s --help: usage with defaults, status 0", verbs[k]);
    }
    check_true(run_amorph("--version", out, sizeof out) == 0 && strstr(out, "amorph "), "amorph --version");
    check_true(run_amorph("nosuchverb", out, sizeof out) == 2, "unknown verb: status 2");

    const char *dir = scratch_dir("cli");
    char path[512], args[1024];
    /* a data file with a non-numeric coordinate on line 12 */
    snprintf(path, sizeof path, "%s/bad.data", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "bad\n\n2 atoms\n1 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 63.546\n\n"
               "Atoms # atomic\n\n1 1 1.0 1.0 1.0\n2 1 5.0 x 5.0\n");
    fclose(f);
    snprintf(args, sizeof args, "energy %s", path);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "bad.data:16"), "bad number: status %d, file and line named: %s", rc,
               out);
    snprintf(args, sizeof args, "energy %s/missing.data", dir);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "missing.data"), "missing file: status %d, named", rc);
    snprintf(args, sizeof args, "energy %s --threads many", source_path("tests/data/cuzr_glass_432.data"));
    check_true(run_amorph(args, out, sizeof out) == 2 && strstr(out, "--threads"), "non-numeric option value: status 2");
    snprintf(args, sizeof args, "energy %s -p /nonexistent/pot.eam.fs", source_path("tests/data/cuzr_glass_432.data"));
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "pot.eam.fs"), "missing potential: status %d, named", rc);

    snprintf(args, sizeof args, "energy %s --species Cu,Zr --json", source_path("tests/data/cuzr_glass_432.data"));
    rc = run_amorph(args, out, sizeof out);
    double e = 0;
    const char *p = strstr(out, "\"energy\": ");
    if (p) e = atof(p + 10);
    /* the same glass's energy as LAMMPS computes it: eam/fs with data/potentials/Cu-Zr_2.eam.fs (the default, Mendelev 2009): -2103.36485014881 */
    check_rel(e, -2103.36485014881, 1e-12, "amorph energy --json: total energy of the test glass with the default potential (eV)");
    /* the quench protocol handed to LAMMPS and read back (tiny and fast) */
    snprintf(args, sizeof args, "quench --atoms 128 --melt-time 0.2 --rate 1e15 --seed 2 --engine lammps --run -q "
                                "--threads 1 -o %s/lq.data", dir);
    rc = run_amorph(args, out, sizeof out);
    snprintf(path, sizeof path, "%s/lq.data.lammps/in.quench", dir);
    f = fopen(path, "r");
    char input[8192] = "";
    if (f) { size_t n = fread(input, 1, sizeof input - 1, f); input[n] = '\0'; fclose(f); }
    check_true(strstr(input, "fix md all npt temp 2000 2000 0.2 iso 0 0 2") &&
                   strstr(input, "fix relax all box/relax aniso 0") && strstr(input, "run 850"),
               "quench --engine lammps writes the protocol (melt NPT, 850-step ramp, box relaxation)");
    check_true(rc == 0 && strstr(out, "made by LAMMPS"), "quench --engine lammps --run: LAMMPS ran, glass read back");
    return check_exit();
}
