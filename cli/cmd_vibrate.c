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
    {"output", 'o', "FILE", NULL, "per-atom table with the vMSD columns: extended XYZ, or a LAMMPS dump for .dump/.lammpstrj", NULL},
    {"csv", 0, "FILE", NULL, "the same per-atom table as CSV", NULL},
    {"temperature", 'T', "LIST", "300", "temperatures, K: a comma list, one run each (e.g. 100,200,300,400)", NULL},
    {"ensemble", 0, "NAME", "nvt", "nvt (the inherent structure's box) or npt (MTK barostat, as amorph md; the paper's "
     "vMSD runs; displacements from the reference scaled into the current box)", NULL},
    {"pressure", 'P', "P", "0", "barostat target (npt), bar", NULL},
    {"barostat", 0, "NAME", "iso", "iso (uniform scaling) or aniso (each axis to the target), npt", NULL},
    {"pdamp", 0, "PS", "1.0", "barostat damping time (npt), ps", NULL},
    {"time", 0, "PS", "100", "sampling time τ0 per temperature, ps", NULL},
    {"equilibrate", 0, "PS", "20", "MD before sampling, ps", NULL},
    CLI_OPT_DT,
    {"every", 0, "N", "10", "steps between samples", NULL},
    CLI_OPT_TDAMP,
    {"seed", 0, "S", "1", "velocity seed", NULL},
    {"quenches", 0, "N", "4", "snapshots quenched to detect atoms that leave their basin", NULL},
    {"hop", 0, "DIST", "0.3", "an atom a quench leaves farther than this from its reference has hopped, Å", NULL},
    {"about", 0, "REF", "inherent", "reference position: inherent (the input) or mean (time average)", NULL},
    {"flex", 0, NULL, NULL, "also the flexibility volume Ω Δr²/a² per temperature (Voronoi), Å³", NULL},
    CLI_OPTS_MINIMIZE,
    {"checkpoint-prefix", 0, "PREFIX", "(the -o file)", "checkpoint files PREFIX.T<K>.ckpt (quench's --checkpoint names one file); a rerun resumes and skips finished temperatures",
     NULL},
    {"checkpoint-every", 0, "PS", "10", "MD time between checkpoints, ps", NULL},
    CLI_OPT_SKIN,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "vibrate", "[-p POT] CONF -o atoms.extxyz [-T 100,200,300,400] [--time 100]",
    "Vibrational mean-square displacement of every atom about an inherent structure: NVT (or NPT) MD at\n"
    "each temperature, equilibration, then sampling over --time; Δr², Δx², Δy², Δz² (Å²) with the\n"
    "centre-of-mass drift removed, and a flag for atoms a quenched snapshot finds in another\n"
    "basin. Columns vmsd_<T>K (4 components: r, x, y, z), hopped_<T>K, and vflex_<T>K with --flex;\n"
    "a decimal point in T is written p (0.5 K: vmsd_0p5K), as OVITO and LAMMPS take no dot in a name;\n"
    "in lj units the names carry no K (T = 0.2: vmsd_0p2). Resumable: rerun the same command after an\n"
    "interruption.",
    opts, 1, 1,
};

/* The run's length comes from the library, which checks the options before
 * it divides by dt. */
static void on_progress(void *ctx, long done, long total)
{
    progress *bar = ctx;
    bar->total = total > 0 ? total : 1;
    progress_update(bar, done);
}

/* prefix_<T>K, with p for a decimal point (OVITO expressions and LAMMPS
 * dump columns take none); no K where the temperature is not in kelvin */
static void column_name(char *buf, size_t len, const char *prefix, double t, const am_units *u)
{
    snprintf(buf, len, "%s_%g%s", prefix, t, strcmp(u->temperature, "K") == 0 ? "K" : "");
    for (char *p = buf; *p; p++)
        if (*p == '.') *p = 'p';
}

int cmd_vibrate(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    cli_remove_stale_outputs(&verb, cli_flag(&verb, "quiet"));
    am_vmsd_options o;
    am_vmsd_defaults(&o);
    long every = o.every, seed = (long)o.seed, nq = o.nquench;
    double *temps = NULL;
    int nt = 0;
    if (cli_int(&verb, "every", &every) || cli_int(&verb, "seed", &seed) || cli_int(&verb, "quenches", &nq))
        return 2;
    const char *ens = cli_get(&verb, "ensemble"), *baro = cli_get(&verb, "barostat");
    if (strcmp(ens, "nvt") != 0 && strcmp(ens, "npt") != 0) {
        fprintf(stderr, "amorph vibrate: --ensemble must be nvt or npt, got '%s'\n", ens);
        return 2;
    }
    if (strcmp(baro, "iso") != 0 && strcmp(baro, "aniso") != 0) {
        fprintf(stderr, "amorph vibrate: --barostat must be iso or aniso, got '%s'\n", baro);
        return 2;
    }
    const char *about = cli_get(&verb, "about");
    const int about_mean = strcmp(about, "mean") == 0;
    if (!about_mean && strcmp(about, "inherent") != 0) {
        fprintf(stderr, "amorph vibrate: --about expects inherent or mean, got '%s'\n", about);
        return 2;
    }
    if (every < 1 || every > 1000000000L || seed < 0 || nq < 0 || nq > 1000000) {
        fprintf(stderr, "amorph vibrate: --every must be >= 1, --seed and --quenches >= 0\n");
        return 2;
    }
    cli_model m;
    if ((rc = cli_model_load(&verb, pos[0], &m))) return rc;
    /* the numbers with units, now in the potential's (its defaults for those left off) */
    const am_units *u = am_engine_units(m.eng);
    am_vmsd_defaults_units(&o, u);
    o.every = (int)every;
    o.seed = (unsigned long)seed;
    o.nquench = (int)nq;
    o.ensemble = strcmp(ens, "npt") == 0 ? AM_NPT : AM_NVT;
    o.barostat = strcmp(baro, "aniso") == 0 ? AM_BARO_ANISO : AM_BARO_ISO;
    if (cli_double(&verb, "time", &o.time) || cli_double(&verb, "equilibrate", &o.equilibrate) ||
        cli_double(&verb, "dt", &o.dt) || cli_double(&verb, "tdamp", &o.tdamp) || cli_double(&verb, "hop", &o.hop) ||
        cli_double(&verb, "checkpoint-every", &o.checkpoint_every) || cli_double(&verb, "pressure", &o.pressure) ||
        cli_double(&verb, "pdamp", &o.pdamp) || cli_doubles(&verb, "temperature", &temps, &nt)) {
        cli_model_free(&m);
        return 2;
    }
    am_system *s = m.s;
    const size_t n = s->n;
    const int metal = strcmp(u->style, "metal") == 0;
    am_status st;
    enum { MAXT = 16 };
    double *d2[MAXT] = {NULL}, *d2m[MAXT] = {NULL}, *vf[MAXT] = {NULL};
    long long *hop[MAXT] = {NULL};
    int *hopi = malloc((n + 1) * sizeof(int));
    am_voronoi *v = NULL;
    am_column cols[3 * MAXT];
    char names[3 * MAXT][48];
    int ncol = 0;
    if (nt > MAXT) { fprintf(stderr, "amorph vibrate: at most %d temperatures\n", MAXT); rc = 2; goto done; }
    if (!hopi) { fprintf(stderr, "amorph vibrate: out of memory\n"); rc = 1; goto done; }
    if ((rc = cli_minimize_if_asked(&verb, &m, 1))) goto done;
    if (cli_flag(&verb, "flex") && (st = am_voronoi_compute(s, 0.0, &v))) { rc = cli_report(verb.name, st); goto done; }
    const char *prefix = cli_get(&verb, "checkpoint-prefix") ? cli_get(&verb, "checkpoint-prefix") : cli_get(&verb, "output");
    const int quiet = cli_flag(&verb, "quiet"), json = cli_flag(&verb, "json");
    if (json) cli_json_printf(stdout, "{\"atoms\": %zu, \"runs\": [", n);
    for (int k = 0; k < nt; k++) {
        d2[k] = malloc(4 * n * sizeof(double) + 1);
        d2m[k] = malloc(4 * n * sizeof(double) + 1);
        hop[k] = malloc(n * sizeof(long long) + 1);
        vf[k] = malloc(n * sizeof(double) + 1);
        if (!d2[k] || !d2m[k] || !hop[k] || !vf[k]) { fprintf(stderr, "amorph vibrate: out of memory\n"); rc = 1; goto done; }
        char ck[1024], label[64];
        if (prefix) {
            snprintf(ck, sizeof ck, "%s.T%g.ckpt", prefix, temps[k]);
            cli_remove_stale(verb.name, ck, quiet);
        }
        snprintf(label, sizeof label, "vMSD %g %s", temps[k], u->temperature);
        o.temperature = temps[k];
        o.checkpoint = prefix ? ck : NULL;
        progress bar;
        progress_start(&bar, label, 1, quiet);
        o.progress = on_progress;
        o.ctx = &bar;
        am_vmsd_result r = {d2[k], d2m[k], hopi, 0, 0, 0};
        st = am_vmsd(m.pot, s, &o, &r);
        progress_end(&bar);
        if (st) { rc = cli_report(verb.name, st); goto done; }
        long hopped = 0;
        double mean = 0;
        const double *use = about_mean ? d2m[k] : d2[k];
        for (size_t i = 0; i < n; i++) { hop[k][i] = hopi[i]; hopped += hopi[i]; mean += use[4 * i] / (double)n; }
        if (json)
            cli_json_printf(stdout, "%s{\"temperature\": %g, \"mean_temperature\": %.6g, \"mean_volume\": %.10g, \"samples\": %ld, "
                   "\"mean_vmsd\": %.10g, \"hopped\": %ld}", k ? ", " : "", temps[k], r.t_mean, r.v_mean, r.samples, mean, hopped);
        else if (!quiet && metal)
            printf("T %6g K (measured %.2f K, volume %.2f A^3/atom): mean vMSD %.6f A^2 over %ld samples; %ld atoms left "
                   "their basin\n", temps[k], r.t_mean, r.v_mean / (double)n, mean, r.samples, hopped);
        else if (!quiet)
            printf("T %6g %s (measured %.4f %s, volume %.4f %s/atom): mean vMSD %.6f %s^2 over %ld samples; %ld atoms "
                   "left their basin\n", temps[k], u->temperature, r.t_mean, u->temperature, r.v_mean / (double)n,
                   u->volume, mean, u->length, r.samples, hopped);
        column_name(names[ncol], sizeof names[ncol], "vmsd", temps[k], u);
        cols[ncol] = (am_column){names[ncol], 4, use, NULL};
        ncol++;
        column_name(names[ncol], sizeof names[ncol], "hopped", temps[k], u);
        cols[ncol] = (am_column){names[ncol], 1, NULL, hop[k]};
        ncol++;
        if (v) {
            if ((st = am_flexibility_volume(s, v, use, 4, vf[k]))) { rc = cli_report(verb.name, st); goto done; }
            column_name(names[ncol], sizeof names[ncol], "vflex", temps[k], u);
            cols[ncol] = (am_column){names[ncol], 1, vf[k], NULL};
            ncol++;
        }
    }
    if (json) {
        cli_json_printf(stdout, "], ");
        cli_units_json(stdout, u);
        cli_json_printf(stdout, "}\n");
    }
    const char *out = cli_get(&verb, "output"), *csv = cli_get(&verb, "csv");
    if (out && (st = cli_write_table(out, s, cols, ncol, u))) { rc = cli_report(verb.name, st); goto done; }
    if (csv && (st = am_write_csv(csv, s, cols, ncol))) { rc = cli_report(verb.name, st); goto done; }
done:
    for (int k = 0; k < MAXT; k++) { free(d2[k]); free(d2m[k]); free(hop[k]); free(vf[k]); }
    free(hopi);
    free(temps);
    am_voronoi_free(v);
    cli_model_free(&m);
    return rc;
}
