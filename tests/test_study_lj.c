/* Kob-Andersen end to end through the program, in LAMMPS lj units (issue 20):
 * `amorph quench -p kob-andersen` makes an 80:20 glass at ρ = 1.2 from the
 * potential's name alone, whose inherent-structure energy lies where KA's
 * lie; `amorph study -p kob-andersen` (quick preset, a small ARTn subset)
 * runs every stage, each stating lj units in its output, and ARTn converges
 * events with barriers of a plausible size. 150 atoms, ARTn from every B atom
 * and as many A atoms, two searches each: enough events for the report's
 * per-species statistics (three groups of two atoms at least) in under a
 * minute on one loaded core. */
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

/* The first `lines` lines of a file (its header), into buf. */
static int first_lines(const char *path, char *buf, size_t cap, int lines)
{
    FILE *f = fopen(path, "r");
    size_t used = 0;
    buf[0] = '\0';
    while (f && lines-- > 0 && used + 1 < cap && fgets(buf + used, (int)(cap - used), f)) used = strlen(buf);
    if (f) fclose(f);
    return used > 0;
}

int main(void)
{
    const char *dir = scratch_dir("study_lj");
    char glass[1024], sdir[1024], path[1200], args[8192], head[4096];
    static char out[1 << 17];
    snprintf(glass, sizeof glass, "%s", scratch_file(dir, "ka.data"));
    snprintf(sdir, sizeof sdir, "%s", scratch_file(dir, "study"));

    /* the glass: 150 atoms melted at T = 2 for 10 τ, cooled at 0.05 per τ to 0.1, at constant density */
    snprintf(args, sizeof args, "quench -p kob-andersen --atoms 150 --melt-time 10 --rate 0.05 -o %s --threads 1 --json",
             glass);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "\"system\": \"lj\"") && strstr(out, "\"temperature\": \"epsilon/k_B\"") &&
                   strstr(out, "\"ensemble\": \"nvt\"") && strstr(out, "\"tg_volume\": null") &&
                   !strstr(out, "_K\""),
               "quench -p kob-andersen: runs at constant volume, JSON in lj units (%.600s)", out);
    const double e_is = json_number(out, "energy_per_atom"), v = json_number(out, "volume_per_atom");
    /* KA inherent structures at ρ = 1.2: about -7.5 (high-T parents) to -7.7 (near T_c), Sastry et al. 1998 */
    check_true(e_is > -7.75 && e_is < -7.45, "KA glass: inherent-structure energy %.4f epsilon/atom in [-7.75, -7.45]",
               e_is);
    check_rel(v, 1.0 / 1.2, 1e-12, "KA glass: number density 1.2 (volume per atom, sigma^3)");
    check_true(isfinite(json_number(out, "pressure")), "KA glass: its pressure is reported (epsilon/sigma^3)");
    am_system *s = load_conf(glass, NULL);
    int na = 0, nb = 0;
    for (size_t i = 0; s && i < s->n; i++) {
        na += strcmp(s->species[s->type[i]].name, "A") == 0;
        nb += strcmp(s->species[s->type[i]].name, "B") == 0;
    }
    check_true(s && s->n == 150 && na == 120 && nb == 30 && s->species[0].mass == 1.0 && s->species[1].mass == 1.0,
               "KA glass: 120 A and 30 B of unit mass (the potential's, not boron's)");
    /* ARTn's central atoms: the B (ids 121-150 of the random start) and the first 30 A */
    char sel[1024] = "";
    for (int id = 1; id <= 150; id++)
        if (id <= 30 || id > 120) snprintf(sel + strlen(sel), sizeof sel - strlen(sel), "%s%d", sel[0] ? "," : "", id);
    am_system_free(s);
    snprintf(path, sizeof path, "%s.curve.csv", glass);
    check_true(first_lines(path, head, sizeof head, 3) && strstr(head, "LAMMPS units lj") &&
                   strstr(head, "T_epsilon_per_kB,V_sigma3_per_atom,E_epsilon_per_atom"),
               "cooling curve: header in lj units (%s)", head);

    /* the study: every stage, vMSD at the lj default T = 0.2 */
    snprintf(args, sizeof args, "study %s -p kob-andersen -o %s --artn-atoms %s --searches 2 --time 5 --equilibrate 2 "
             "--threads 1", glass, sdir, sel);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "amorph describe") && strstr(out, "--units lj") && strstr(out, "-T 0.2") &&
                   strstr(out, "epsilon/k_B") && strstr(out, "1/tau") && !strstr(out, " K (measured"),
               "study -p kob-andersen: every stage ran, in lj units (status %d: %.1500s)", rc, out);
    static const char *const tables[] = {"describe", "modes", "vibrate", "artn"};
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "%s/%s.extxyz", sdir, tables[k]);
        check_true(first_lines(path, head, sizeof head, 2) && strstr(head, "units=lj"),
                   "%s table states units=lj", tables[k]);
    }
    snprintf(path, sizeof path, "%s/vibrate.extxyz", sdir);
    check_true(first_lines(path, head, sizeof head, 2) && strstr(head, ":vmsd_0p2:R:4"),
               "vMSD column named by its lj temperature, vmsd_0p2");
    snprintf(path, sizeof path, "%s/events.jsonl", sdir);
    check_true(first_lines(path, head, sizeof head, 1) && strstr(head, "\"units\":\"lj\""), "event log header: lj");

    /* ARTn: converged events, barriers of a local rearrangement's size */
    snprintf(args, sizeof args, "artn-summary %s/events.jsonl %s/inherent.data --json", sdir, sdir);
    rc = run_amorph(args, out, sizeof out);
    const double conv = json_number(out, "converged"), ea = json_number(out, "mean_ea");
    check_true(rc == 0 && strstr(out, "\"system\": \"lj\"") && conv >= 1,
               "artn-summary: %g of 120 searches converged, log read in lj units (%.400s)", conv, out);
    check_true(ea > 0.01 && ea < 10, "ARTn: mean barrier %.3f epsilon of the atoms with an event, within 0.01-10", ea);

    snprintf(path, sizeof path, "%s/report/summary.json", sdir);
    char *sum = read_text_file(path, NULL);
    check_true(sum && strstr(sum, "\"system\": \"lj\"") && strstr(sum, "\"viscosity\": \"ε·τ/σ³\""),
               "analyze: the report's summary.json states lj units");
    free(sum);
    return check_exit();
}
