/* Options whose unit is the potential's: their names in Lennard-Jones units
 * and their defaults there, in one table for all verbs (as ranges.c holds
 * their bounds), so --help, the range checks and the values a verb uses
 * cannot disagree. Values on the command line are taken in the potential's
 * units as they are; an option left off takes its lj default below when the
 * potential is in lj units (docs/dynamics.md, "Units", gives the sources). */
#include "common.h"

#include <stdio.h>
#include <string.h>

/* Metal unit as ranges.c and --help write it → its lj counterpart. */
static const struct {
    const char *metal, *lj;
} names[] = {
    {"ps", "τ"},
    {"K", "ε/k_B"},
    {"Å", "σ"},
    {"eV", "ε"},
    {"eV/Å", "ε/σ"},
    {"eV/Å²", "ε/σ²"},
    {"bar", "ε/σ³"},
    {"K/s", "ε/k_B per τ"},
    {"atoms/Å^3", "atoms/σ³"},
    {"THz", "1/τ"},
    {"eV/(Å² amu)", "ε/(σ² m)"},
    {"Pa·s", "ε·τ/σ³"},
};

const char *cli_unit_name(const char *metal_unit, const am_units *u)
{
    if (!u || strcmp(u->style, "lj") != 0) return metal_unit;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strcmp(names[k].metal, metal_unit) == 0) return names[k].lj;
    return metal_unit;
}

int cli_unit_dependent(const char *metal_unit)
{
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strcmp(names[k].metal, metal_unit) == 0) return 1;
    return 0;
}

/* Defaults in lj units where metal's number means something else there
 * (an option absent here keeps its number: a count, or a time that is as
 * sensible in τ as in ps). verb NULL: every verb with the option. */
typedef struct lj_default {
    const char *verb, *name, *value;
} lj_default;

static const lj_default table[] = {
    /* LAMMPS's lj skin; 0.005 τ steps, the Kob-Andersen standard, and the
     * damping times as many steps as in metal (100 and 500 or 1000) */
    {NULL, "skin", "0.3"},
    {NULL, "dt", "0.005"},
    {NULL, "tdamp", "0.5"},
    {"md", "pdamp", "2.5"},
    {"vibrate", "pdamp", "2.5"},
    /* Kob-Andersen made from scratch: its composition, density and the
     * constant volume it is studied at (Kob and Andersen 1995) */
    {"quench", "composition", "A80B20"},
    {"quench", "density", "1.2"},
    {"quench", "ensemble", "nvt"},
    /* about half of Kob-Andersen's mode-coupling temperature (T_c = 0.435),
     * as 300 K is of Cu-Zr's glass transition (~650 K) */
    {"md", "temperature", "0.2"},
    {"vibrate", "temperature", "0.2"},
    {"artn", "temperature", "0.2"},
    {"artn-summary", "temperature", "0.2"},
    {"analyze", "temperature", "0.2"},
    /* a tenth of a neighbour distance, as 0.3 Å in Cu-Zr */
    {"vibrate", "hop", "0.1"},
    /* modes: KA frequencies reach ~5 per τ (ω ≈ 30); a shift below the
     * lowest eigenvalue on the lj curvature scale */
    {"modes", "bin", "0.05"},
    {"modes", "shift", "-0.01"},
    /* describe and analyze: lengths at 0.4 σ per Å (Kob-Andersen's A-A
     * neighbour distance 1.08 σ against Cu-Zr's 2.75 Å) */
    {"describe", "s2-cutoffs", "1.5:6:0.5"},
    {"describe", "s2-sigma", "0.08"},
    {"analyze", "rmax", "6"},
    {"analyze", "dr", "0.1"},
    {"analyze", "radii", "1.4,2,2.8,4"},
    {"analyze", "sigma", "0.8"},
    /* η in ε·τ/σ³, 0.9e-4 Pa·s for argon: the paper's η0 = 1e-4 Pa·s */
    {"analyze", "eta0", "1"},
};

/* Defaults a verb makes at start-up (artn's, from the library). */
enum { MAX_REGISTERED = 48 };
static lj_default registered[MAX_REGISTERED];
static int nregistered;

void cli_units_register(const char *verb, const char *name, const char *lj_value)
{
    if (nregistered < MAX_REGISTERED) registered[nregistered++] = (lj_default){verb, name, lj_value};
}

static const char *find(const char *verb, const char *name, const lj_default *t, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(t[k].name, name) == 0 && (!t[k].verb || strcmp(t[k].verb, verb) == 0)) return t[k].value;
    return NULL;
}

const char *cli_lj_default(const char *verb, const char *name)
{
    const char *v = find(verb, name, registered, (size_t)nregistered);
    return v ? v : find(verb, name, table, sizeof table / sizeof *table);
}

int cli_apply_units(cli_verb *v, const am_units *u)
{
    if (!u) return 0;
    if (strcmp(u->style, "lj") == 0)
        for (cli_opt *o = v->opts; o->name; o++) {
            const char *d = cli_lj_default(v->name, o->name);
            if (d && !cli_given(v, o->name)) o->value = d;
        }
    return cli_check_ranges_units(v, u);
}
