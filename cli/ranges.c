/* The allowed range of every numeric option, in one table for all verbs: an
 * option means the same thing (and has the same bounds and unit) wherever it
 * appears, and a value outside its range stops the verb before any work with
 * a message that gives the range and the unit. The bounds are physical or
 * practical limits, not defaults: they catch typos (a 0 time step, 1e300 K)
 * and values that would overflow the arithmetic behind them (2^31 threads). */
#include "opts.h"
#include "amorph/potential.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cli_range {
    const char *name;  /* option name */
    const char *verb;  /* only for this verb, or NULL for every verb */
    int integer;       /* integers only */
    double lo, hi;     /* bounds; lo excluded when lo_open */
    int lo_open;
    const char *unit;  /* "" for a count */
    const char *what;  /* "a time step", used in the message */
    const char *words; /* non-numeric values also allowed ("auto"), comma-separated, or NULL */
} cli_range;

#define BIG 1e9 /* counts and times far beyond any run on one machine */
#define TMAX 1e5 /* K: above any temperature a classical potential describes */
#define PMAX 1e7 /* bar: 1 TPa */
#define LMAX 1e3 /* Å: distances and radii far beyond any cutoff */

static const cli_range ranges[] = {
    /* shared */
    {"threads", NULL, 1, 1, 1024, 0, "", "a thread count", NULL},
    {"frame", NULL, 1, -1, 1e15, 0, "", "a frame index (-1 = last)", NULL},
    {"seed", NULL, 1, 0, 9e18, 0, "", "a random seed", NULL},
    {"skin", NULL, 0, 0, 20, 0, "Å", "a neighbour-list skin", NULL},
    {"dt", NULL, 0, 1e-6, 0.1, 0, "ps", "a time step", NULL},
    {"tdamp", NULL, 0, 0, 1e6, 1, "ps", "a thermostat damping time", NULL},
    {"pdamp", NULL, 0, 0, 1e6, 1, "ps", "a barostat damping time", NULL},
    /* -T: one temperature, a ramp T0:T1 (md) or a list (vibrate, study) */
    {"temperature", NULL, 0, 0, TMAX, 1, "K", "a temperature", NULL},
    {"velocities", NULL, 0, 0, TMAX, 0, "K", "a temperature", NULL},
    {"pressure", NULL, 0, -PMAX, PMAX, 0, "bar", "a pressure", NULL},
    {"time", NULL, 0, 0, BIG, 1, "ps", "a duration", NULL},
    {"equilibrate", NULL, 0, 0, BIG, 0, "ps", "a duration", NULL},
    {"checkpoint-every", NULL, 0, 0, BIG, 1, "ps", "a checkpoint interval", NULL},
    {"ftol", NULL, 0, 0, 1e3, 1, "eV/Å", "a force tolerance", NULL},
    /* md */
    {"chain", NULL, 1, 1, 16, 0, "", "a Nosé-Hoover chain length", NULL},
    {"thermo-every", NULL, 1, 1, BIG, 0, "steps", "an interval", NULL},
    {"dump-every", NULL, 1, 1, BIG, 0, "steps", "an interval", NULL},
    /* minimize */
    {"etol", NULL, 0, 0, 1, 0, "", "a relative energy tolerance", NULL},
    {"max-iter", NULL, 1, 1, BIG, 0, "", "an iteration count", NULL},
    {"dmax", NULL, 0, 0, 10, 1, "Å", "a largest step", NULL},
    /* quench, tg */
    {"atoms", "quench", 1, 2, 1e8, 0, "atoms", "an atom count", NULL},
    {"density", NULL, 0, 1e-4, 1, 0, "atoms/Å^3", "a number density", NULL},
    {"t-melt", NULL, 0, 0, TMAX, 1, "K", "a temperature", NULL},
    {"t-end", NULL, 0, 0, TMAX, 1, "K", "a temperature", NULL},
    {"melt-time", NULL, 0, 0, BIG, 0, "ps", "a duration", NULL},
    {"rate", NULL, 0, 1e6, 1e16, 0, "K/s", "a cooling rate", NULL},
    {"liquid", NULL, 0, 0, TMAX, 0, "K", "a temperature", NULL},
    {"glass", NULL, 0, 0, TMAX, 0, "K", "a temperature", NULL},
    /* describe */
    {"area-threshold", NULL, 0, 0, 1, 0, "", "a fraction of the face area", NULL},
    {"q-degrees", NULL, 1, 0, 16, 0, "", "a degree l", NULL},
    {"s2-cutoffs", NULL, 0, 0, LMAX, 1, "Å", "a cutoff", NULL},
    {"s2-sigma", NULL, 0, 0, 10, 1, "Å", "a smearing width", NULL},
    {"s2-dr", NULL, 0, 0, 1, 1, "Å", "a grid spacing", NULL},
    {"acsf-cutoff", NULL, 0, 0, LMAX, 1, "Å", "a cutoff", NULL},
    {"top", NULL, 1, 0, BIG, 0, "", "a count", NULL},
    /* vibrate, modes */
    {"every", NULL, 1, 1, BIG, 0, "steps", "an interval", NULL},
    {"quenches", NULL, 1, 0, 1e6, 0, "", "a count", NULL},
    {"hop", NULL, 0, 0, LMAX, 1, "Å", "a distance", NULL},
    {"fraction", NULL, 0, 0, 1, 1, "", "a fraction of the modes", NULL},
    {"bin", NULL, 0, 0, 1e3, 1, "THz", "a bin width", NULL},
    {"shift", NULL, 0, -1e6, 0, 0, "eV/(Å² amu)", "a shift", NULL},
    /* artn, artn-summary, study */
    {"searches", NULL, 1, 1, 1e6, 0, "", "a search count", NULL},
    {"attempts", NULL, 1, 1, 1e6, 0, "", "an attempt count", NULL},
    {"push-radius", NULL, 0, 0, LMAX, 0, "Å", "a radius", NULL},
    {"push-norm", NULL, 0, 0, 10, 1, "Å", "a push norm", NULL},
    {"increment", NULL, 0, 0, 10, 1, "Å", "a step", NULL},
    {"eigen-threshold", NULL, 0, -1e3, 0, 0, "eV/Å²", "an eigenvalue", NULL},
    {"exit-force", NULL, 0, 0, 10, 1, "eV/Å", "a force", NULL},
    {"eigen-step", NULL, 0, 0, 10, 1, "Å", "a step", NULL},
    {"perp-force", NULL, 0, 0, 10, 1, "eV/Å", "a force", NULL},
    {"basin-perp-steps", NULL, 1, 0, 1e4, 0, "", "an iteration count", NULL},
    {"act-perp-steps", NULL, 1, 0, 1e4, 0, "", "an iteration count", NULL},
    {"max-basin-steps", NULL, 1, 1, 1e6, 0, "", "a step count", NULL},
    {"basin-quiet", NULL, 1, 0, 1e6, 0, "", "a step count", NULL},
    {"basin-lanczos-vectors", NULL, 1, 0, 1e3, 0, "", "a vector count", NULL},
    {"act-perp-near", NULL, 1, 0, 1e4, 0, "", "an iteration count", NULL},
    {"act-mode-reuse", NULL, 1, 0, 1e6, 0, "", "a force-call count", NULL},
    {"act-lanczos-vectors", NULL, 1, 0, 1e3, 0, "", "a vector count", NULL},
    {"max-act-steps", NULL, 1, 1, 1e6, 0, "", "a step count", NULL},
    {"max-lost", NULL, 1, 0, 1e6, 0, "", "a count", NULL},
    {"local-radius", NULL, 0, 0, LMAX, 0, "Å", "a radius", NULL},
    {"refine-radius", NULL, 0, -1, LMAX, 0, "Å", "a radius", NULL},
    {"refine-inner-radius", NULL, 0, 0, LMAX, 0, "Å", "a radius", NULL},
    {"refine-exit-force", NULL, 0, 0, 10, 0, "eV/Å", "a force", NULL},
    {"push-cluster", NULL, 1, 0, 1e6, 0, "atoms", "an atom count", NULL},
    {"basin-align", NULL, 1, 0, 1e6, 0, "steps", "a step count", NULL},
    {"max-center-disp", NULL, 0, 0, LMAX, 0, "Å", "a distance", NULL},
    {"max-final-rise", NULL, 0, 0, 1e3, 0, "eV", "an energy", NULL},
    {"restarts", NULL, 1, 0, 8, 0, "", "a restart count", NULL},
    {"refine-reflect", NULL, 1, 0, 1, 0, "", "0 or 1", NULL},
    {"refine-precondition", NULL, 1, 0, 1, 0, "", "0 or 1", NULL},
    {"dedup-saddle", NULL, 0, 0, 1e3, 0, "eV", "an energy", NULL},
    {"dedup-final", NULL, 0, 0, 1e3, 0, "eV", "an energy", NULL},
    {"dedup-disp", NULL, 0, 0, LMAX, 0, "Å", "a distance", NULL},
    {"claim-timeout", NULL, 0, 0, BIG, 1, "s", "a claim age", NULL},
    /* analyze */
    {"group", NULL, 1, 2, 1e8, 0, "atoms", "a group size", "auto"},
    {"bootstrap", NULL, 1, 0, 1e7, 0, "", "a resample count", NULL},
    {"rmax", NULL, 0, 0, LMAX, 1, "Å", "a distance", NULL},
    {"dr", NULL, 0, 0, 100, 1, "Å", "a bin width", NULL},
    {"fit-max", NULL, 0, 0, LMAX, 1, "Å", "a distance", NULL},
    {"radii", NULL, 0, 0, LMAX, 1, "Å", "a radius", NULL},
    {"eta0", NULL, 0, 0, 1e10, 1, "Pa·s", "a viscosity", NULL},
    {"slab", NULL, 0, 0, 1e6, 1, "Å", "a thickness", NULL},
    {"sigma", NULL, 0, 0, 100, 1, "Å", "a smoothing width", NULL},
    {"bins", NULL, 1, 1, 1e6, 0, "", "a bin count", NULL},
    /* learn */
    {"alpha", NULL, 0, 0, 1e12, 0, "", "a ridge penalty", "auto"},
    {"trees", NULL, 1, 1, 1e5, 0, "", "a tree count", NULL},
    {"depth", NULL, 1, 1, 30, 0, "", "a tree depth", NULL},
    {"eta", NULL, 0, 0, 1, 1, "", "a learning rate", NULL},
    {"subsample", NULL, 0, 0, 1, 1, "", "a fraction", NULL},
    {"colsample", NULL, 0, 0, 1, 1, "", "a fraction", NULL},
    {"cg-radii", NULL, 0, 0, LMAX, 0, "Å", "a radius", NULL},
    {"folds", NULL, 1, 2, 64, 0, "", "a fold count", NULL},
    {"gap", NULL, 0, 0, LMAX, 0, "Å", "a distance", NULL},
    {"train-fractions", NULL, 0, 0, 1, 1, "", "a fraction", NULL},
    {"importance-repeats", NULL, 1, 0, 1e4, 0, "", "a repeat count", NULL},
    {"tail", NULL, 0, 0, 0.5, 1, "", "a fraction", NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

/* Bounds in lj units where metal's would refuse sensible values (a number
 * density of 1.2 σ⁻³, a cooling rate of 1e-3 per τ); other bounds are limits
 * that catch typos in either style. */
static const struct {
    const char *name;
    double lo, hi;
} lj_bounds[] = {
    {"density", 1e-4, 10},
    {"rate", 1e-12, 10},
};

static const cli_range *find(const char *verb, const char *name)
{
    for (const cli_range *r = ranges; r->name; r++)
        if (strcmp(r->name, name) == 0 && (!r->verb || strcmp(r->verb, verb) == 0)) return r;
    return NULL;
}

static int allowed_word(const cli_range *r, const char *tok, size_t len)
{
    for (const char *w = r->words; w && *w;) {
        size_t n = strcspn(w, ",");
        if (n == len && strncmp(w, tok, len) == 0) return 1;
        w += n + (w[n] == ',');
    }
    return 0;
}

/* The bounds of r in units u (NULL: the union over the styles). */
static void bounds(const cli_range *r, const am_units *u, double *lo, double *hi)
{
    *lo = r->lo;
    *hi = r->hi;
    for (size_t k = 0; k < sizeof lj_bounds / sizeof *lj_bounds; k++) {
        if (strcmp(lj_bounds[k].name, r->name) != 0) continue;
        if (!u) {
            *lo = fmin(*lo, lj_bounds[k].lo);
            *hi = fmax(*hi, lj_bounds[k].hi);
        } else if (strcmp(u->style, "lj") == 0) {
            *lo = lj_bounds[k].lo;
            *hi = lj_bounds[k].hi;
        }
    }
}

int cli_range_unit_dependent(const cli_verb *v, const char *name)
{
    const cli_range *r = find(v->name, name);
    return r && cli_unit_dependent(r->unit);
}

/* One number of a value; tok is not terminated (it ends at len). */
static int in_range(const cli_range *r, double lo, double hi, const char *tok, size_t len)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf) return 0;
    memcpy(buf, tok, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double x;
    if (r->integer) {
        long long v = strtoll(buf, &end, 10);
        x = (double)v;
    } else {
        x = strtod(buf, &end);
    }
    if (end == buf || *end || errno || !isfinite(x)) return 0;
    return (r->lo_open ? x > lo : x >= lo) && x <= hi;
}

int cli_check_ranges(const cli_verb *v) { return cli_check_ranges_units(v, NULL); }

int cli_check_ranges_units(const cli_verb *v, const am_units *u)
{
    for (const cli_opt *o = v->opts; o->name; o++) {
        if (!o->arg || !o->value) continue;
        const cli_range *r = find(v->name, o->name);
        if (!r) continue;
        double lo, hi;
        bounds(r, u, &lo, &hi);
        /* before the potential is known, a unit that follows it is named both ways */
        char unit[96];
        if (u || !cli_unit_dependent(r->unit)) snprintf(unit, sizeof unit, "%s", cli_unit_name(r->unit, u));
        else snprintf(unit, sizeof unit, "%s (%s in lj units)", r->unit, cli_unit_name(r->unit, am_units_of("lj")));
        /* lists "a,b", ramps "a:b" and ranges "from:to:step" hold several numbers */
        for (const char *p = o->value;;) {
            size_t len = strcspn(p, ",:");
            if (!allowed_word(r, p, len) && !in_range(r, lo, hi, p, len)) {
                fprintf(stderr, "amorph %s: --%s %s: expected %s, %s in %s%g, %g]%s%s%s%s%s\n", v->name, o->name,
                        o->value, r->what, r->integer ? "an integer" : "a number", r->lo_open ? "(" : "[", lo, hi,
                        unit[0] ? " " : "", unit, r->words ? ", or " : "", r->words ? r->words : "",
                        strpbrk(o->value, ",:") ? " (each of the values)" : "");
                return 2;
            }
            if (!p[len]) break;
            p += len + 1;
        }
    }
    return 0;
}
