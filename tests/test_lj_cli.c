/* The Lennard-Jones potential through the program: `amorph energy` and
 * `amorph minimize -p kob-andersen` on a Kob–Andersen configuration report
 * the library's numbers in LJ units and say so; the relaxed configuration
 * reads back as a minimum; `amorph md` runs in LJ units with their defaults
 * and names them; a range is checked in the potential's units. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double json_number(const char *out, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(out, pat);
    return p ? strtod(p + strlen(pat), NULL) : NAN;
}

/* Energy and largest force of the configuration in path, by the library. */
static double library_energy(const char *path, double *fbig)
{
    am_system *s = load_conf(path, NULL);
    am_potential *p = NULL;
    am_engine *e = NULL;
    double en = NAN;
    *fbig = NAN;
    if (s && am_potential_open("kob-andersen", AM_EAM_AUTO, &p) == AM_OK && am_engine_create(p, s, 0.3, &e) == AM_OK) {
        double *f = malloc(3 * s->n * sizeof(double));
        en = flat_forces(e, s, f);
        *fbig = 0.0;
        for (size_t i = 0; i < s->n; i++)
            *fbig = fmax(*fbig, sqrt(f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2]));
        free(f);
    }
    am_engine_free(e);
    am_potential_free(p);
    am_system_free(s);
    return en;
}

int main(void)
{
    const char *dir = scratch_dir("lj_cli");
    const char *conf = scratch_file(dir, "ka.data"), *relaxed = scratch_file(dir, "ka_relaxed.data");
    am_system *s = build_kob_andersen(4, 1.2, 0.12, 7);
    if (!check_true(s && am_write(conf, AM_FMT_LAMMPS_DATA, s) == AM_OK, "write a Kob-Andersen data file (%s)",
                    am_error_message()))
        return check_exit();
    am_system_free(s);
    static char out[1 << 16];
    char args[8192];
    double fmax;
    const double e0 = library_energy(conf, &fmax);

    snprintf(args, sizeof args, "energy %s -p kob-andersen --json", conf);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "\"system\": \"lj\"") && strstr(out, "\"energy\": \"epsilon\"") &&
                   strstr(out, "\"pressure\": \"epsilon/sigma^3\""),
               "amorph energy -p kob-andersen --json: runs, units lj (%s)", out);
    check_rel(json_number(out, "energy"), e0, 1e-14, "amorph energy: the library's energy (epsilon)");
    snprintf(args, sizeof args, "energy %s -p kob-andersen", conf);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "units             lj") && strstr(out, " epsilon\n") && !strstr(out, "eV"),
               "amorph energy -p kob-andersen: text in LJ units (%s)", out);

    snprintf(args, sizeof args, "minimize %s -p kob-andersen -o %s --ftol 1e-10 --json", conf, relaxed);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "\"converged\": true"), "amorph minimize -p kob-andersen converges (%s)", out);
    const double e1 = library_energy(relaxed, &fmax);
    check_true(e1 < e0, "minimised energy %.10g below the start %.10g (epsilon)", e1, e0);
    check_rel(json_number(out, "energy"), e1, 1e-12, "amorph minimize: reported energy is the relaxed file's");
    check_abs(fmax, 0.0, 1e-10, "relaxed file: largest force below --ftol (epsilon/sigma)");

    /* md in lj units: the thermo table and the JSON name them, the defaults are lj's */
    snprintf(args, sizeof args, "md %s -p kob-andersen -T 0.5 --time 0.1 --thermo-every 10 -o %s", relaxed,
             scratch_file(dir, "md.data"));
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "# units lj") && strstr(out, "time(tau)") && strstr(out, "T(epsilon/k_B)") &&
                   strstr(out, "P(epsilon/sigma^3)") && strstr(out, "t = 0.1 tau, step 20") && !strstr(out, "(ps)"),
               "amorph md -p kob-andersen: 20 steps of the lj default 0.005 tau, thermo in lj units (%s)", out);
    snprintf(args, sizeof args, "md %s -p kob-andersen --ensemble nve --time 0.5 --velocities 0.3 --json", relaxed);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "\"system\": \"lj\"") && strstr(out, "\"time\": \"tau\"") &&
                   strstr(out, "\"temperature\": \"epsilon/k_B\"") && json_number(out, "steps") == 100,
               "amorph md --json: 100 steps, units lj (%s)", out);
    /* from a minimum, equipartition halves the kinetic energy: T near 0.15 */
    check_abs(json_number(out, "temperature"), 0.15, 0.05, "NVE from T = 0.3 at a minimum: T about 0.15 (epsilon/k_B)");
    /* an lj value the metal bounds would refuse, and a metal one the lj bounds do */
    snprintf(args, sizeof args, "quench -p kob-andersen --atoms 100 --rate 1e12 -o %s", scratch_file(dir, "q.data"));
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "--rate 1e12") && strstr(out, "1e-12, 10]") && strstr(out, "per τ"),
               "amorph quench -p kob-andersen --rate 1e12: out of the lj range, said in lj units (%s)", out);
    return check_exit();
}
