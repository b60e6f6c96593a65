#include "amorph/amorph.h"
#include "commands.h"
#include "common.h"
#include "report/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cli_opt opts[] = {
    {"liquid", 0, "LO:HI", "(T_end + 0.5..0.8 (T_melt - T_end): 1150:1660 for the quick preset)",
     "temperature range of the liquid-branch fit, K", NULL},
    {"glass", 0, "LO:HI", "(T_end + 0..0.15 (T_melt - T_end): 300:555 for the quick preset)",
     "temperature range of the glass-branch fit, K", NULL},
    {"json", 0, NULL, NULL, "print results as JSON", NULL},
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "tg", "CURVE [--liquid LO:HI] [--glass LO:HI] [--json]",
    "Re-fits the glass transition temperature from a cooling curve written by amorph quench\n"
    "(OUT.curve.csv: T in K, V in Å^3/atom, E in eV/atom, or LAMMPS lj units as its first line says):\n"
    "Tg is where least-squares lines fitted to\n"
    "the liquid and the glass branch cross, from V(T) and from E(T). Fit ranges are inclusive and\n"
    "need at least 3 points each. Without --liquid/--glass they are those amorph quench uses, from\n"
    "T_melt and T_end in the curve's first line ('# amorph quench: ... melt 2000 K ... to 300 K');\n"
    "for a curve without that line (e.g. --engine lammps), from the highest and lowest T in the data.",
    opts, 1, 1,
};

/* "LO:HI" in K with LO < HI; prints the error and returns 2 when it is not. */
static int parse_range(const char *name, double r[2])
{
    const char *s = cli_get(&verb, name);
    if (!s) return 0;
    char *end;
    errno = 0;
    double lo = strtod(s, &end);
    int ok = end != s && *end == ':' && !errno && isfinite(lo);
    if (ok) {
        const char *p = end + 1;
        double hi = strtod(p, &end);
        ok = end != p && !*end && !errno && isfinite(hi);
        if (ok && !(lo < hi)) {
            fprintf(stderr, "amorph tg: --%s %s: LO must be below HI\n", name, s);
            return 2;
        }
        r[0] = lo;
        r[1] = hi;
    }
    if (!ok) {
        fprintf(stderr, "amorph tg: --%s expects LO:HI, two temperatures in K (e.g. 950:1250), got '%s'\n", name, s);
        return 2;
    }
    return 0;
}

/* T_melt and T_end from the first line amorph quench writes:
 * "# amorph quench: N atoms, melt 2000 K for 20 ps, cooled at 1e+12 K/s to 300 K, P = 0 bar". */
static int quench_header(const char *path, double *t_melt, double *t_end, const am_units **u)
{
    *u = am_units_of("metal");
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[1024];
    int ok = 0;
    if (fgets(line, sizeof line, f) && strncmp(line, "# amorph quench:", 16) == 0) {
        /* "; LAMMPS units STYLE" at its end (curves from before it: metal) */
        const char *us = strstr(line, "LAMMPS units ");
        char style[16];
        if (us && sscanf(us, "LAMMPS units %15s", style) == 1 && am_units_of(style)) *u = am_units_of(style);
        /* "cooled at RATE UNIT to T_END": the rate's unit is K/s or, in lj, a temperature per τ */
        const char *m = strstr(line, " melt "), *c = strstr(line, " cooled at "), *e = c ? strstr(c, " to ") : NULL;
        ok = m && e && sscanf(m, " melt %lf", t_melt) == 1 && sscanf(e, " to %lf", t_end) == 1 &&
             isfinite(*t_melt) && isfinite(*t_end) && *t_melt > *t_end;
    }
    fclose(f);
    return ok;
}

static size_t count_in(const am_cooling_point *c, size_t n, const double r[2])
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += c[i].t >= r[0] && c[i].t <= r[1];
    return k;
}

int cmd_tg(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    double liquid[2], glass[2], ul[2], ug[2];
    if ((rc = parse_range("liquid", ul)) || (rc = parse_range("glass", ug))) return rc;
    const char *path = pos[0];
    am_cooling_point *c = NULL;
    size_t n = 0;
    am_status st = am_cooling_curve_read(path, &c, &n);
    if (st) return cli_report(verb.name, st);

    double tmin = c[0].t, tmax = c[0].t, t_melt, t_end;
    for (size_t i = 1; i < n; i++) {
        tmin = fmin(tmin, c[i].t);
        tmax = fmax(tmax, c[i].t);
    }
    const am_units *u;
    const int from_header = quench_header(path, &t_melt, &t_end, &u);
    const char *T = u->temperature;
    if (!from_header) {
        t_melt = tmax;
        t_end = tmin;
    }
    am_tg_default_ranges(t_melt, t_end, liquid, glass);
    if (cli_get(&verb, "liquid")) memcpy(liquid, ul, sizeof liquid);
    if (cli_get(&verb, "glass")) memcpy(glass, ug, sizeof glass);
    const size_t nl = count_in(c, n, liquid), ng = count_in(c, n, glass);
    const char *which[2] = {"liquid", "glass"};
    const size_t cnt[2] = {nl, ng};
    const double *rng[2] = {liquid, glass};
    for (int k = 0; k < 2; k++)
        if (cnt[k] < 3) {
            fprintf(stderr,
                    "amorph tg: the %s fit range %g-%g %s holds %zu point%s of %s (need at least 3; the curve spans "
                    "%g-%g %s)\n",
                    which[k], rng[k][0], rng[k][1], T, cnt[k], cnt[k] == 1 ? "" : "s", path, tmin, tmax, T);
            free(c);
            return 1;
        }
    double tgv = NAN, tge = NAN;
    /* a constant-volume quench (lj's default) has a flat V(T): no Tg from it */
    int flat = 1;
    for (size_t i = 1; i < n && flat; i++) flat = c[i].v == c[0].v;
    if ((!flat && (st = am_tg_fit(c, n, 0, liquid, glass, &tgv))) || (st = am_tg_fit(c, n, 1, liquid, glass, &tge))) {
        rc = cli_report(verb.name, st);
        free(c);
        return rc;
    }
    const char *src = from_header ? "quench header" : "curve T range";
    if (cli_flag(&verb, "json")) {
        cli_json_printf(stdout, "{\"curve\": ");
        am_json_str(stdout, path);
        cli_json_printf(stdout, ", \"points\": %zu, \"tg_volume_K\": %.10g, \"tg_energy_K\": %.10g, \"liquid_fit_K\": [%.10g, %.10g], "
               "\"liquid_points\": %zu, \"glass_fit_K\": [%.10g, %.10g], \"glass_points\": %zu, "
               "\"t_melt_K\": %.10g, \"t_end_K\": %.10g, \"t_melt_end_from\": \"%s\", \"units\": \"%s\"}\n",
               n, tgv, tge, liquid[0], liquid[1], nl, glass[0], glass[1], ng, t_melt, t_end, src, u->style);
    } else {
        const int d = strcmp(u->style, "metal") == 0 ? 1 : 3;
        printf("curve             %s (%zu points, %.*f-%.*f %s)\n", path, n, d, tmin, d, tmax, T);
        printf("Tg                %.*f %s from V(T), %.*f %s from E(T)\n", d + 1, tgv, T, d + 1, tge, T);
        printf("liquid fit        %g-%g %s%s, %zu points\n", liquid[0], liquid[1], T,
               cli_get(&verb, "liquid") ? "" : " (default)", nl);
        printf("glass fit         %g-%g %s%s, %zu points\n", glass[0], glass[1], T,
               cli_get(&verb, "glass") ? "" : " (default)", ng);
        if (!cli_get(&verb, "liquid") || !cli_get(&verb, "glass"))
            printf("defaults for      T_melt %g %s, T_end %g %s (%s)\n", t_melt, T, t_end, T,
                   from_header ? "from the quench's header line" : "the highest and lowest T in the curve");
    }
    free(c);
    return 0;
}
