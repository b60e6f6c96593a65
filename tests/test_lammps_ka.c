/* The same saddles through LAMMPS: a 150-atom Kob–Andersen glass made by
 * `amorph quench -p kob-andersen` (lj units), then the same ARTn searches
 * (10 atoms of both types, 3 each) with the native LJ engine and with
 * `--engine lammps` (the .lj file as LAMMPS lj/cut commands). The forces
 * agree to 1e-12 ε/σ, but a search amplifies such differences through its
 * finite-difference curvatures (dx = 1e-5 σ), so its path to a saddle is
 * not bit for bit the same, and near a decision (a curvature at the
 * threshold, a ridge between two minima) it can end elsewhere. So: at least
 * 80 % of the searches end the same way with the same new minimum (1e-5 ε),
 * and those that converge have the same saddle within what the exit force
 * defines (0.01 ε). Measured on this glass: 26 of 30 alike, barriers within
 * 2e-3 ε. */
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSEARCH 30

typedef struct search {
    long atom;
    int attempt;
    char outcome[64];
    double ea, de;
} search;

static int read_csv(const char *path, search *s, int cap)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[1024];
    int n = 0;
    if (!fgets(line, sizeof line, f)) { fclose(f); return 0; }
    while (n < cap && fgets(line, sizeof line, f)) {
        char *field[16];
        const int nf = csv_split(line, field, 16);
        if (nf < 6) continue;
        s[n].atom = atol(field[0]);
        s[n].attempt = atoi(field[2]);
        snprintf(s[n].outcome, sizeof s[n].outcome, "%s", field[3]);
        s[n].ea = atof(field[4]);
        s[n].de = field[5][0] ? atof(field[5]) : NAN;
        n++;
    }
    fclose(f);
    return n;
}

static int campaign(const char *engine, search *s)
{
    char out[8192], events[64], csv[64];
    snprintf(events, sizeof events, "ka_%s.jsonl", engine);
    snprintf(csv, sizeof csv, "ka_%s.csv", engine);
    remove(events);
    const int rc = run_amorph_v(out, sizeof out, "artn", "ka_glass.data", "-p", "kob-andersen", "--engine", engine,
                                "--atoms", "1,2,3,4,5,121,122,123,124,125", "--searches", "3", "-e", events,
                                "--events-csv", csv, "-q", "--threads", "1", NULL);
    check_true(rc == 0, "amorph artn --engine %s ran (%s)", engine, out);
    return read_csv(csv, s, NSEARCH);
}

int main(void)
{
    char out[8192];
    int rc = run_amorph_v(out, sizeof out, "quench", "-p", "kob-andersen", "--atoms", "150", "--melt-time", "10",
                          "--rate", "0.05", "--seed", "3", "-o", "ka_glass.data", "-q", "--threads", "1", NULL);
    if (!check_true(rc == 0, "a Kob-Andersen glass (%s)", out)) return check_exit();
    search a[NSEARCH], b[NSEARCH];
    const int na = campaign("amorph", a), nb = campaign("lammps", b);
    if (!check_true(na == NSEARCH && nb == NSEARCH, "30 searches each (%d, %d)", na, nb)) return check_exit();
    int alike = 0, both = 0;
    for (int k = 0; k < NSEARCH; k++) {
        check_true(a[k].atom == b[k].atom && a[k].attempt == b[k].attempt, "search %d: same atom and attempt", k);
        const int ok = strcmp(a[k].outcome, "ok") == 0;
        if (strcmp(a[k].outcome, b[k].outcome) != 0 || (ok && !(fabs(a[k].de - b[k].de) < 1e-5))) continue;
        alike++;
        if (!ok) continue;
        both++;
        check_abs(b[k].ea, a[k].ea, 1e-2, "atom %ld attempt %d: the barrier (ε)", a[k].atom, a[k].attempt);
    }
    check_true(alike >= 24, "searches that end alike (outcome, and new minimum within 1e-5 ε): %d of 30 (at least 24)",
               alike);
    check_true(both >= 2, "events converged alike by both engines: %d (at least 2)", both);
    return check_exit();
}
