#include "commands.h"
#include "common.h"
#include "progress.h"
#include "stale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"output", 'o', "FILE", NULL, "final configuration with velocities (format from the extension)", NULL},
    {"ensemble", 0, "NAME", "nvt", "nve, nvt (Nose-Hoover chain, as LAMMPS fix nvt) or npt (MTK, as fix npt)", NULL},
    {"temperature", 'T', "T[:T1]", "300", "thermostat target (nvt, npt), K; T:T1 ramps linearly over the run", NULL},
    {"time", 0, "PS", "10", "length of the run, ps", NULL},
    CLI_OPT_DT,
    CLI_OPT_TDAMP,
    {"chain", 0, "N", "3", "Nose-Hoover chain length", NULL},
    {"pressure", 'P', "P[:P1]", "0", "barostat target (npt), bar; P:P1 ramps linearly", NULL},
    {"barostat", 0, "NAME", "iso", "iso (uniform scaling) or aniso (each axis to the target)", NULL},
    {"pdamp", 0, "PS", "1.0", "barostat damping time, ps", NULL},
    {"velocities", 0, "T", "(kept if the file has them, else created at the start temperature)",
     "create Maxwell-Boltzmann velocities at T, K", NULL},
    {"seed", 0, "S", "1", "random seed for velocities", NULL},
    {"thermo-every", 0, "N", "100", "thermo line every N steps", NULL},
    {"log", 0, "FILE", NULL, "write the thermo table to FILE as well", NULL},
    {"dump", 0, "FILE", NULL, "append trajectory frames to a LAMMPS dump", NULL},
    {"dump-every", 0, "N", "1000", "dump a frame every N steps", NULL},
    CLI_OPT_SKIN,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "md", "[-p POT] CONF [--ensemble nve|nvt|npt] [-T T[:T1]] [-P P[:P1]] [--time PS] [-o OUT]",
    "Molecular dynamics with velocity Verlet at constant energy (nve), temperature (nvt) or\n"
    "temperature and pressure (npt; orthogonal boxes). Thermo columns: step, time (ps), T (K),\n"
    "PE, KE, conserved energy (eV), P (bar, with the kinetic part, as LAMMPS's press), V (Å^3);\n"
    "for a Lennard-Jones potential the same in its units (tau, epsilon/k_B, epsilon, epsilon/sigma^3,\n"
    "sigma^3), as LAMMPS units lj. With --json, no thermo rows: one object with the final state.",
    opts, 1, 1,
};

static int parse_range(const char *s, double *t0, double *t1)
{
    char *end;
    *t0 = strtod(s, &end);
    *t1 = *t0;
    if (*end == ':') *t1 = strtod(end + 1, &end);
    return *end == '\0' && isfinite(*t0) && isfinite(*t1);
}

/* The header of the thermo table, units in it (its first line states them). */
static void thermo_head(FILE *fp, const am_units *u)
{
    char c[5][40];
    snprintf(c[0], sizeof c[0], "time(%s)", u->time);
    snprintf(c[1], sizeof c[1], "T(%s)", u->temperature);
    snprintf(c[2], sizeof c[2], "PE(%s)", u->energy);
    snprintf(c[3], sizeof c[3], "P(%s)", u->pressure);
    snprintf(c[4], sizeof c[4], "V(%s)", u->volume);
    char ke[40], cons[40];
    snprintf(ke, sizeof ke, "KE(%s)", u->energy);
    snprintf(cons, sizeof cons, "conserved(%s)", u->energy);
    fprintf(fp, "# units %s\n#     step %10s %9s %15s %14s %15s %12s %11s\n", u->style, c[0], c[1], c[2], ke, cons,
            c[3], c[4]);
}

static void thermo_line(FILE *fp, const am_thermo *t)
{
    fprintf(fp, "%10ld %10.4f %10.3f %16.8f %14.8f %16.8f %12.3f %14.4f\n", t->step, t->time, t->temperature, t->pe,
            t->ke, t->conserved, t->pressure, t->volume);
}

static void json_result(const am_thermo *t, size_t natoms, const char *out, const char *dump, const am_units *u)
{
    cli_json_printf(stdout, "{\"natoms\": %zu, \"steps\": %ld, \"time\": %.10g, \"temperature\": %.10g, "
                    "\"energy\": %.17g, \"kinetic_energy\": %.17g, \"conserved\": %.17g, \"pressure\": %.10g, "
                    "\"volume\": %.17g, \"output\": ", natoms, t->step, t->time, t->temperature, t->pe, t->ke,
                    t->conserved, t->pressure, t->volume);
    cli_json_str(stdout, out);
    fputs(", \"dump\": ", stdout);
    cli_json_str(stdout, dump);
    fputs(", ", stdout);
    cli_units_json(stdout, u);
    fputs("}\n", stdout);
}

int cmd_md(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    cli_remove_stale_outputs(&verb, cli_flag(&verb, "quiet"));
    am_md_options o = {0};
    const char *ens = cli_get(&verb, "ensemble");
    if (strcmp(ens, "nve") == 0) o.ensemble = AM_NVE;
    else if (strcmp(ens, "nvt") == 0) o.ensemble = AM_NVT;
    else if (strcmp(ens, "npt") == 0) o.ensemble = AM_NPT;
    else { fprintf(stderr, "amorph md: --ensemble must be nve, nvt or npt, got '%s'\n", ens); return 2; }
    const char *baro = cli_get(&verb, "barostat");
    if (strcmp(baro, "iso") == 0) o.barostat = AM_BARO_ISO;
    else if (strcmp(baro, "aniso") == 0) o.barostat = AM_BARO_ANISO;
    else { fprintf(stderr, "amorph md: --barostat must be iso or aniso, got '%s'\n", baro); return 2; }
    long chain = 3, seed = 1, every = 100, dump_every = 1000;
    if (cli_int(&verb, "chain", &chain) || cli_int(&verb, "seed", &seed) || cli_int(&verb, "thermo-every", &every) ||
        cli_int(&verb, "dump-every", &dump_every))
        return 2;
    o.chain = (int)chain;
    /* the pressure of every thermo row, which NVE and NVT do not need themselves */
    o.virial_every = every;
    cli_model m;
    if ((rc = cli_model_load(&verb, pos[0], &m))) return rc;
    /* the numbers with units, now in the potential's */
    const am_units *u = am_engine_units(m.eng);
    double time = 10, vel_t = -1;
    rc = 2;
    if (!parse_range(cli_get(&verb, "temperature"), &o.t_start, &o.t_stop))
        fprintf(stderr, "amorph md: -T expects T or T0:T1 in %s, got '%s'\n", u->temperature, cli_get(&verb, "temperature"));
    else if (!parse_range(cli_get(&verb, "pressure"), &o.p_start, &o.p_stop))
        fprintf(stderr, "amorph md: -P expects P or P0:P1 in %s, got '%s'\n", u->pressure, cli_get(&verb, "pressure"));
    else if (!cli_double(&verb, "time", &time) && !cli_double(&verb, "dt", &o.dt) &&
             !cli_double(&verb, "tdamp", &o.tdamp) && !cli_double(&verb, "pdamp", &o.pdamp) &&
             !cli_double(&verb, "velocities", &vel_t))
        rc = 0;
    o.nsteps = rc ? 0 : (long)llround(time / o.dt);
    if (!rc && o.nsteps < 1) {
        fprintf(stderr, "amorph md: --time %g %s is shorter than half a time step (--dt %g %s); expected at least one "
                        "step\n", time, u->time, o.dt, u->time);
        rc = 2;
    }
    if (rc) { cli_model_free(&m); return rc; }
    am_status st = AM_OK;
    if (vel_t >= 0 || !m.s->vx) st = am_velocity_create(m.s, u, vel_t >= 0 ? vel_t : o.t_start, (unsigned long)seed);
    am_md *md = NULL;
    if (!st) st = am_md_create(m.eng, m.s, &o, &md);
    FILE *log = NULL;
    const char *logpath = cli_get(&verb, "log"), *dump = cli_get(&verb, "dump");
    if (!st && logpath && !(log = fopen(logpath, "w"))) {
        fprintf(stderr, "amorph md: cannot write %s\n", logpath);
        rc = 1;
    }
    const int quiet = cli_flag(&verb, "quiet"), json = cli_flag(&verb, "json"), rows = !quiet && !json;
    am_thermo t;
    long frames = 0;
    if (!st && !rc) {
        if (rows) thermo_head(stdout, u);
        if (log) thermo_head(log, u);
        progress bar;
        progress_start(&bar, "md", o.nsteps, quiet);
        for (long k = 0; k <= o.nsteps && !st; k++) {
            if (k > 0) st = am_md_step(md);
            if (st) break;
            if (k % every == 0 || k == o.nsteps) {
                am_md_thermo(md, &t);
                if (rows) {
                    /* the bar shares the terminal with the rows: off the line while one is printed */
                    progress_clear(&bar);
                    thermo_line(stdout, &t);
                    fflush(stdout);
                }
                if (log) thermo_line(log, &t);
            }
            if (dump && (k % dump_every == 0 || k == o.nsteps)) {
                st = am_dump_append(dump, m.s, k);
                frames++;
            }
            progress_update(&bar, k);
        }
        progress_end(&bar);
    }
    if (log && fclose(log) != 0 && !st && !rc) {
        fprintf(stderr, "amorph md: cannot write %s\n", logpath);
        rc = 1;
    }
    const char *out = cli_get(&verb, "output");
    if (!st && !rc && out) {
        am_system_wrap(m.s);
        st = cli_write_conf(out, m.s, u);
    }
    if (st) {
        rc = cli_report(verb.name, st);
    } else if (!rc && json) {
        json_result(&t, m.s->n, out, dump, u);
    } else if (!rc && !quiet) {
        if (out) printf("wrote %s (%zu atoms with velocities, at t = %g %s, step %ld)\n", out, m.s->n, t.time, u->time, t.step);
        else printf("final configuration not written (no -o)\n");
        if (dump) printf("appended %ld frames to %s\n", frames, dump);
        if (log) printf("thermo table in %s\n", logpath);
    }
    am_md_free(md);
    cli_model_free(&m);
    return rc;
}
