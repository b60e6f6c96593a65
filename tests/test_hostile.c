/* Hostile and careless input to the amorph program (issue 17): no command
 * from an argument or a file ever runs, and every nonsensical value stops the
 * verb with status 2 or 1, a message that says what was expected, and no
 * output file. */
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char out[1 << 16];

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* rc is a clean refusal (not 0, not a crash) and the message holds `want`. */
static void refused(int rc, const char *want, const char *what)
{
    check_true(rc > 0 && rc < 126 && strstr(out, want) != NULL, "%s: status %d, says '%s' (%.300s)", what, rc, want,
               out);
}

static double json_value(const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(out, pat);
    return p ? atof(p + strlen(pat)) : NAN;
}

int main(void)
{
    const char *dir = scratch_dir("hostile");
    const char *glass = source_path("tests/data/cuzr_glass_432.data");
    const char *res = scratch_file(dir, "out.data");
    int rc;

    /* A shell would run `touch X` from this output name. */
    char name[512];
    snprintf(name, sizeof name, "%s/q';touch X;'.data", dir);
    rc = run_amorph_v(out, sizeof out, "quench", "--atoms", "40", "--melt-time", "0.2", "--rate", "1e15", "-q",
                      "--threads", "1", "--engine", "lammps", "-o", name, NULL);
    char lmpdir[600];
    snprintf(lmpdir, sizeof lmpdir, "%s.lammps/in.quench", name);
    check_true(rc == 0 && exists(lmpdir), "quench -o with quotes and ';': the LAMMPS input is written under that "
                                          "very name (status %d)", rc);
    check_true(!exists("X") && !exists(scratch_file(dir, "X")), "quench -o \"q';touch X;'.data\": nothing ran");

    /* A column name with a backquote would run `touch X` inside a gnuplot label. */
    const char *xyz = scratch_file(dir, "evil.extxyz");
    FILE *f = fopen(xyz, "w");
    fprintf(f, "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:id:I:1:pw`touch${IFS}X`:R:1:"
               "ea_mean:R:1:ea_count:I:1 pbc=\"T T T\"\n"
               "Cu 1 1 1 1 0.5 1.0 1\nZr 5 5 5 2 0.7 2.0 1\n");
    fclose(f);
    rc = run_amorph_v(out, sizeof out, "analyze", xyz, "-o", scratch_file(dir, "report"), NULL);
    refused(rc, "pw`touch", "analyze on a column named pw`touch${IFS}X`");
    check_true(!exists("X") && !exists(scratch_file(dir, "X")) && !exists(scratch_file(dir, "report/README.md")),
               "analyze: no command ran, no report written");

    /* Threads: the OpenMP runtime overflowed its stack at 100000, 2^31 wrapped. */
    rc = run_amorph_v(out, sizeof out, "energy", glass, "--threads", "100000", NULL);
    refused(rc, "[1, 1024]", "energy --threads 100000");
    rc = run_amorph_v(out, sizeof out, "energy", glass, "--threads", "2147483648", NULL);
    refused(rc, "--threads 2147483648", "energy --threads 2147483648");
    rc = run_amorph_v(out, sizeof out, "energy", glass, "--threads", "0", NULL);
    refused(rc, "thread count", "energy --threads 0");

    /* Runs of no step, and values beyond physics, with the unit in the message. */
    rc = run_amorph_v(out, sizeof out, "md", glass, "--time", "1e-9", "-o", res, "-q", NULL);
    refused(rc, "at least one step", "md --time 1e-9");
    check_true(!exists(res), "md --time 1e-9: no output file");
    rc = run_amorph_v(out, sizeof out, "md", glass, "--time", "1e300", "--dt", "1e-10", "-o", res, "-q", NULL);
    refused(rc, "ps", "md --time 1e300 --dt 1e-10");
    rc = run_amorph_v(out, sizeof out, "md", glass, "-T", "1e300", "-o", res, "-q", NULL);
    refused(rc, "K", "md -T 1e300");
    rc = run_amorph_v(out, sizeof out, "md", glass, "-T", "300:0", "-o", res, "-q", NULL);
    refused(rc, "(0, 100000] K", "md -T 300:0 (a ramp to 0 K)");
    rc = run_amorph_v(out, sizeof out, "md", glass, "--chain", "2147483648", "-o", res, "-q", NULL);
    refused(rc, "chain length", "md --chain 2147483648");
    rc = run_amorph_v(out, sizeof out, "md", glass, "--dt", "0", "-o", res, "-q", NULL);
    refused(rc, "time step", "md --dt 0");
    rc = run_amorph_v(out, sizeof out, "minimize", glass, "-P", "1e300", "--box", "iso", "-o", res, NULL);
    refused(rc, "bar", "minimize -P 1e300");
    rc = run_amorph_v(out, sizeof out, "vibrate", glass, "-T", "100,-5", "--dt", "0", NULL);
    refused(rc, "K", "vibrate -T 100,-5");
    rc = run_amorph_v(out, sizeof out, "quench", "--atoms", "1", "-o", res, "-q", NULL);
    refused(rc, "atom count", "quench --atoms 1");
    rc = run_amorph_v(out, sizeof out, "quench", "--atoms", "40", "--rate", "1e17", "-o", res, "-q", NULL);
    refused(rc, "K/s", "quench --rate 1e17");
    rc = run_amorph_v(out, sizeof out, "describe", glass, "--s2-cutoffs", "4:15:0", NULL);
    refused(rc, "Å", "describe --s2-cutoffs 4:15:0");
    check_true(!exists(res), "no output file from any refused run");

    /* A cooling of 10 K has no glass transition to fit: Tg is NaN, and JSON says null. */
    rc = run_amorph_v(out, sizeof out, "quench", "--atoms", "40", "--melt-time", "0.2", "--rate", "1e16", "--t-end",
                      "1990", "-q", "--threads", "1", "--json", "-o", scratch_file(dir, "q10.data"), NULL);
    check_true(rc == 0 && strstr(out, "\"tg_volume_K\": null") && !strstr(out, "nan") && !strstr(out, "inf"),
               "quench --json with an undefined Tg: null, no nan (%.200s)", out);

    /* Species that contradict the file: Masses say "1 63.546 # Cu". */
    rc = run_amorph_v(out, sizeof out, "energy", glass, "--species", "Zr,Cu", NULL);
    refused(rc, "--species Cu,Zr", "energy --species Zr,Cu against Masses '# Cu'");
    rc = run_amorph_v(out, sizeof out, "energy", glass, "--species", "Cu,Zr,Al", NULL);
    refused(rc, "names 3", "energy --species Cu,Zr,Al on a 2-type file");
    rc = run_amorph_v(out, sizeof out, "energy", glass, "--species", "Cu,Zr", "--json", NULL);
    const double e_right = json_value("energy");
    check_rel(e_right, -2103.36485014881, 1e-12, "energy --species Cu,Zr (the file's own order) is accepted");
    rc = run_amorph_v(out, sizeof out, "energy", glass, "--species", "Zr,Cu", "--force-species", "--json", NULL);
    const double e_forced = json_value("energy");
    check_true(rc == 0 && isfinite(e_forced) && fabs(e_forced - e_right) > 1.0,
               "--force-species: the user's order is used (E %.6f eV against %.6f)", e_forced, e_right);
    /* A data file without comments: the masses alone contradict the list. */
    const char *bare = scratch_file(dir, "bare.data");
    f = fopen(bare, "w");
    fprintf(f, "bare\n\n2 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 63.546\n"
               "2 91.224\n\nAtoms # atomic\n\n1 1 1.0 1.0 1.0\n2 2 4.0 4.0 4.0\n");
    fclose(f);
    rc = run_amorph_v(out, sizeof out, "energy", bare, "--species", "Zr,Cu", NULL);
    refused(rc, "mass 63.546", "energy --species Zr,Cu against masses 63.546, 91.224");
    rc = run_amorph_v(out, sizeof out, "energy", bare, "--species", "Cu,Zr", NULL);
    check_true(rc == 0, "the same file with --species Cu,Zr: accepted");

    /* Species names reach LAMMPS inputs and gnuplot scripts. */
    rc = run_amorph_v(out, sizeof out, "energy", bare, "--species", "Cu,Zr`id`", NULL);
    refused(rc, "not a valid species name", "--species with a backquote");

    /* A directory to write into is made, not assumed. */
    const char *saved = scratch_file(dir, "saved/deeper");
    rc = run_amorph_v(out, sizeof out, "artn", glass, "-e", scratch_file(dir, "ev.jsonl"), "--atoms", "1",
                      "--max-basin-steps", "2", "--save-configs", saved, "-q", "--threads", "1", NULL);
    check_true(rc == 0 && exists(saved), "artn --save-configs a/b creates the directory (status %d)", rc);
    return check_exit();
}
