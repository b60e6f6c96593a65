#include "commands.h"
#include "common.h"
#include "progress.h"
#include "quench_lammps.h"
#include "stale.h"
#include "core/process.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"output", 'o', "FILE", NULL, "the glass, minimised with its box (LAMMPS data; required)", NULL},
    {"composition", 0, "COMP", "Cu50Zr50", "random start: composition, species with amounts (without CONF; an lj "
                                           "potential's types: A80B20 is Kob-Andersen)", NULL},
    {"atoms", 0, "N", "(preset)", "random start: number of atoms", NULL},
    {"density", 0, "RHO", "0.054", "random start: number density, atoms/Å^3 (Kob-Andersen's 1.2 σ⁻³ in lj units)",
     NULL},
    {"preset", 0, "NAME", "quick", "quick (2000 atoms, 20 ps at 2000 K, 1e12 K/s to 300 K; lj units: 2000 atoms, "
                                   "100 τ at T = 2, 1e-3 per τ to T = 0.1) or paper (19652 atoms, 4 ns at 2000 K, "
                                   "1e10 K/s to 10 K; lj: 19652 atoms, 1000 τ at 2, 1e-5 per τ to 0.01); options "
                                   "below override", NULL},
    {"ensemble", 0, "NAME", "npt", "npt (MTK iso at -P, the box relaxed at the end) or nvt (the box and density of "
                                   "the start, kept by the final minimisation)", NULL},
    {"t-melt", 0, "K", "(preset)", "melt temperature, K", NULL},
    {"melt-time", 0, "PS", "(preset)", "time at the melt temperature, ps", NULL},
    {"t-end", 0, "K", "(preset)", "end of cooling, K", NULL},
    {"rate", 0, "K/S", "(preset)", "cooling rate, K/s (in lj units: temperature per τ)", NULL},
    {"pressure", 'P', "P", "0", "pressure of melt, cooling and final relaxation (npt), bar", NULL},
    CLI_OPT_DT,
    {"seed", 0, "S", "1", "random seed (structure and velocities)", NULL},
    {"curve", 0, "FILE", "(OUTPUT.curve.csv)", "cooling curve: T (K), V (Å^3/atom), E (eV/atom)", NULL},
    {"checkpoint", 0, "FILE", "(OUTPUT.checkpoint)", "checkpoint file", NULL},
    {"checkpoint-every", 0, "PS", "50", "checkpoint interval, ps of MD", NULL},
    {"resume", 0, NULL, NULL, "continue from the checkpoint (same options)", NULL},
    {"run", 0, NULL, NULL, "with --engine lammps: run it here (mpirun -np THREADS lmp) and read the glass back", NULL},
    CLI_OPT_SKIN,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "quench", "[-p POT] [CONF | --composition Cu50Zr50 --atoms N] -o OUT [--rate K/S] [--resume]",
    "Makes a glass: melt at T_melt and cool at a fixed rate to T_end, both under NPT (MTK, iso), then\n"
    "minimise atoms and box to the inherent structure; or both at constant volume (--ensemble nvt, the\n"
    "default for a Lennard-Jones potential: Kob-Andersen at its density 1.2 from -p kob-andersen alone),\n"
    "then the atoms alone. Writes the glass, the cooling curve and Tg from straight-line fits of V(T)\n"
    "and E(T) to the liquid and glass branches (E(T) alone at constant volume). Checkpointed; --resume\n"
    "continues a killed run and gives the same glass.",
    opts, 0, 1,
};

static void on_progress(void *ctx, long done, long total)
{
    (void)total;
    progress_update(ctx, done);
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* --engine lammps: write (and with --run, run) the LAMMPS version. */
static int run_lammps(cli_model *m, const am_quench_options *q0, const char *out, const char *curve, double rate_ks,
                      int relax_start)
{
    am_quench_options q = *q0;
    if (!(q.dt > 0)) q.dt = 0.002;
    q.tdamp = 0.2;
    q.pdamp = 2.0;
    q.ftol = 1e-6;
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s.lammps", out);
    am_status st = am_mkdir_p(dir);
    if (st) return cli_report(verb.name, st);
    char **cmds = NULL;
    int ncmd = 0;
    st = am_potential_lammps_commands(m->pot, m->s, &cmds, &ncmd);
    if (!st) st = quench_lammps_write(dir, m->s, am_potential_units(m->pot), (const char *const *)cmds, ncmd,
                                      relax_start, &q, "glass.data");
    am_strings_free(cmds, ncmd);
    if (st) return cli_report(verb.name, st);
    const int quiet = cli_flag(&verb, "quiet"), json = cli_flag(&verb, "json");
    if (!cli_flag(&verb, "run")) {
        if (json) {
            fputs("{\"lammps_input\": ", stdout);
            snprintf(path, sizeof path, "%s/in.quench", dir);
            cli_json_str(stdout, path);
            fputs("}\n", stdout);
        } else if (!quiet) printf("wrote %s/in.quench and %s/start.data; run with: cd %s && mpirun -np N lmp -in in.quench\n", dir, dir,
               dir);
        return 0;
    }
    long nt = 1;
    if (cli_get(&verb, "threads") && cli_int(&verb, "threads", &nt)) return 2;
    char np[32];
    snprintf(np, sizeof np, "%ld", nt > 0 ? nt : 1);
    char *argv[] = {"mpirun", "--allow-run-as-root", "-np", np, "lmp", "-in", "in.quench", "-log", "log.lammps",
                    quiet || json ? "-screen" : NULL, "none", NULL};
    int code = 0;
    st = am_run_program_standalone(dir, argv, NULL, &code);
    if (st) return cli_report(verb.name, st);
    if (code != 0) {
        fprintf(stderr, "amorph quench: LAMMPS failed (exit %d%s); see %s/log.lammps\n", code,
                code == 127 ? ": mpirun or lmp not found" : "", dir);
        return 1;
    }
    am_read_options ro;
    if (cli_read_options(&verb, &ro)) return 2;
    ro.format = AM_FMT_AUTO;
    ro.frame = 0;
    am_system *g = NULL;
    snprintf(path, sizeof path, "%s/glass.data", dir);
    am_cooling_point *c = NULL;
    size_t nc = 0;
    if (!(st = am_read(path, &ro, &g)) && !(st = am_write(out, AM_FMT_LAMMPS_DATA, g))) {
        snprintf(path, sizeof path, "%s/curve.txt", dir);
        st = quench_lammps_curve(path, &c, &nc);
    }
    if (st) { am_system_free(g); return cli_report(verb.name, st); }
    double liquid[2], glass[2];
    am_tg_default_ranges(q.t_melt, q.t_end, liquid, glass);
    double tgv = NAN, tge = NAN;
    if (am_tg_fit(c, nc, 0, liquid, glass, &tgv)) tgv = NAN;
    if (am_tg_fit(c, nc, 1, liquid, glass, &tge)) tge = NAN;
    FILE *f = fopen(curve, "w");
    if (f) {
        fprintf(f, "# LAMMPS (amorph quench --engine lammps): %zu atoms, cooled at %g K/s\n", g->n, rate_ks);
        fprintf(f, "# Tg(V) = %.1f K, Tg(E) = %.1f K; liquid fit %.0f-%.0f K, glass fit %.0f-%.0f K\n", tgv, tge,
                liquid[0], liquid[1], glass[0], glass[1]);
        fprintf(f, "T_K,V_A3_per_atom,E_eV_per_atom\n");
        for (size_t k = 0; k < nc; k++) fprintf(f, "%.4f,%.8f,%.8f\n", c[k].t, c[k].v, c[k].e);
        fclose(f);
    }
    if (json) {
        cli_json_printf(stdout, "{\"natoms\": %zu, \"tg_volume_K\": %.2f, \"tg_energy_K\": %.2f, \"liquid_fit_K\": [%g, %g], "
                        "\"glass_fit_K\": [%g, %g], \"rate_K_per_s\": %g, \"engine\": \"lammps\"}\n", g->n, tgv, tge,
                        liquid[0], liquid[1], glass[0], glass[1], rate_ks);
    } else if (!quiet) {
        printf("glass             %s (%zu atoms, made by LAMMPS)\n", out, g->n);
        printf("Tg                %.1f K from V(T), %.1f K from E(T)\n", tgv, tge);
        printf("cooling curve     %s\n", curve);
    }
    free(c);
    am_system_free(g);
    return 0;
}

/* The presets per unit style (docs/dynamics.md, "Units"): Cu-Zr as the
 * paper and a quick version of it; Kob-Andersen melted at T = 2 (its liquid
 * relaxes within a few τ: Kob and Andersen 1995) and cooled at constant
 * density 1.2 at rates within those of Vollmayr, Kob and Binder (1996, 3e-2
 * to 8e-6 per τ), 1e-3 per τ quick and 1e-5 per τ for the long preset, to far
 * below its glass transition (T_c = 0.435). Rates are K/s in metal (as the
 * paper gives them), temperature per τ in lj. */
typedef struct quench_preset {
    const char *style, *name;
    long natoms;
    double t_melt, melt_time, t_end, rate;
} quench_preset;

static const quench_preset presets[] = {
    {"metal", "quick", 2000, 2000, 20, 300, 1e12},
    {"metal", "paper", 19652, 2000, 4000, 10, 1e10},
    {"lj", "quick", 2000, 2.0, 100, 0.1, 1e-3},
    {"lj", "paper", 19652, 2.0, 1000, 0.01, 1e-5},
};

/* The units the run will be in, before the configuration is made: the
 * potential's when -p names one (read here and again by the model), else the
 * default potential's, metal. */
static int early_units(const am_units **u)
{
    *u = am_units_of("metal");
    int npair = 0;
    cli_values(&verb, "pair", &npair);
    am_potential *p = NULL;
    am_status st = AM_OK;
    if (npair) {
        /* --pair's numbers are in --units (cli_load_potential checks the rest) */
        if (!(*u = am_units_of(cli_get(&verb, "units")))) {
            fprintf(stderr, "amorph quench: --units expects metal or lj, got '%s'\n", cli_get(&verb, "units"));
            return 2;
        }
    } else if (cli_get(&verb, "pair-file")) {
        st = am_potential_read(cli_get(&verb, "pair-file"), AM_LAMMPS, &p);
    } else if (cli_get(&verb, "potential")) {
        st = am_potential_open(cli_get(&verb, "potential"), AM_EAM_AUTO, &p);
    }
    if (st) return cli_report(verb.name, st);
    if (p) *u = am_units_of(am_potential_units(p));
    am_potential_free(p);
    return cli_apply_units(&verb, *u);
}

int cmd_quench(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    cli_remove_stale_outputs(&verb, cli_flag(&verb, "quiet"));
    const char *out = cli_get(&verb, "output");
    if (!out) { fprintf(stderr, "amorph quench: -o OUT is required\n"); return 2; }
    const char *preset = cli_get(&verb, "preset");
    if (strcmp(preset, "paper") != 0 && strcmp(preset, "quick") != 0) {
        fprintf(stderr, "amorph quench: --preset must be quick or paper, got '%s'\n", preset);
        return 2;
    }
    const am_units *u;
    if ((rc = early_units(&u))) return rc;
    const quench_preset *pr = presets;
    while (strcmp(pr->style, u->style) != 0 || strcmp(pr->name, preset) != 0) pr++;
    const int metal = strcmp(u->style, "metal") == 0;
    am_quench_options q = {0};
    long natoms = pr->natoms, seed = 1;
    double rate = pr->rate, ck = 50, rho = 0;
    q.t_melt = pr->t_melt; q.melt_time = pr->melt_time; q.t_end = pr->t_end;
    if (cli_int(&verb, "atoms", &natoms) || cli_int(&verb, "seed", &seed) || cli_double(&verb, "t-melt", &q.t_melt) ||
        cli_double(&verb, "melt-time", &q.melt_time) || cli_double(&verb, "t-end", &q.t_end) ||
        cli_double(&verb, "rate", &rate) || cli_double(&verb, "pressure", &q.pressure) ||
        cli_double(&verb, "dt", &q.dt) || cli_double(&verb, "checkpoint-every", &ck) ||
        cli_double(&verb, "density", &rho))
        return 2;
    if (natoms < 2 || !(rate > 0) || !(q.t_end > 0) || !(q.t_melt > q.t_end) || !(ck > 0) || !(q.dt > 0)) {
        fprintf(stderr, "amorph quench: need --atoms >= 2, --rate > 0, 0 < --t-end < --t-melt, positive intervals\n");
        return 2;
    }
    const char *ens = cli_get(&verb, "ensemble");
    if (strcmp(ens, "nvt") != 0 && strcmp(ens, "npt") != 0) {
        fprintf(stderr, "amorph quench: --ensemble must be npt or nvt, got '%s'\n", ens);
        return 2;
    }
    q.constant_volume = strcmp(ens, "nvt") == 0;
    if (q.constant_volume && cli_given(&verb, "pressure")) {
        fprintf(stderr, "amorph quench: -P sets the pressure of --ensemble npt; nvt keeps the volume of the start\n");
        return 2;
    }
    q.rate = metal ? rate * 1e-12 : rate; /* K/s -> K/ps; lj: per τ already */
    q.seed = (unsigned long)seed;
    q.checkpoint_every = (long)llround(ck / q.dt);
    char ckbuf[4096], curvebuf[4096];
    snprintf(ckbuf, sizeof ckbuf, "%s.checkpoint", out);
    snprintf(curvebuf, sizeof curvebuf, "%s.curve.csv", out);
    q.checkpoint = cli_get(&verb, "checkpoint") ? cli_get(&verb, "checkpoint") : ckbuf;
    const char *curve = cli_get(&verb, "curve") ? cli_get(&verb, "curve") : curvebuf;
    cli_remove_stale(verb.name, q.checkpoint, cli_flag(&verb, "quiet"));
    if (file_exists(q.checkpoint) && !cli_flag(&verb, "resume")) {
        fprintf(stderr, "amorph quench: %s exists from an interrupted run; pass --resume to continue it, or delete it\n",
                q.checkpoint);
        return 2;
    }
    if (!metal && strcmp(cli_get(&verb, "engine"), "lammps") == 0) {
        fprintf(stderr, "amorph quench: --engine lammps writes the protocol in metal units only so far; with a %s "
                        "potential use --engine amorph\n", u->style);
        return 2;
    }

    cli_model m = {0};
    if (strcmp(cli_get(&verb, "engine") ? cli_get(&verb, "engine") : "amorph", "lammps") == 0) {
        /* LAMMPS runs the whole protocol, the random start's relaxation
         * included: no engine here, whose MPI (started by LAMMPS's library
         * in this process) would stop the mpirun of --run */
        am_status st = AM_OK;
        if (npos == 1) rc = cli_load_conf(&verb, pos[0], &m.s);
        else if ((st = am_system_random(cli_get(&verb, "composition"), (size_t)natoms, rho, 2.0, (unsigned long)seed,
                                        &m.s)))
            rc = cli_report(verb.name, st);
        if (!rc) rc = cli_load_potential(&verb, m.s, &m.pot);
        if (!rc) rc = run_lammps(&m, &q, out, curve, rate, npos == 0);
        cli_model_free(&m);
        return rc;
    }
    if (npos == 1) {
        if ((rc = cli_model_load(&verb, pos[0], &m))) return rc;
    } else {
        /* random sequential addition packs to ~38 %: 2 Å leaves room at Cu-Zr's
         * density, 0.75 ρ^-1/3 (0.70 σ at Kob-Andersen's 1.2) at any */
        const double dmin = metal ? 2.0 : 0.75 / cbrt(rho);
        /* the species of -p (masses, and names that may be no element's), else the elements' */
        am_potential *p = NULL;
        const char *pot = cli_get(&verb, "potential"), *comp = cli_get(&verb, "composition");
        am_status st = pot ? am_potential_open(pot, AM_EAM_AUTO, &p) : AM_OK;
        if (!st)
            st = p ? am_system_random_potential(p, comp, (size_t)natoms, rho, dmin, (unsigned long)seed, &m.s)
                   : am_system_random(comp, (size_t)natoms, rho, dmin, (unsigned long)seed, &m.s);
        am_potential_free(p);
        if (st) return cli_report(verb.name, st);
        if ((rc = cli_model_attach(&verb, &m))) return rc;
        /* relax the random start enough for MD; on --resume too, since the
         * checkpoint is bound to the configuration the quench started from */
        am_min_options mo = {.method = AM_MIN_FIRE, .ftol = 0.05, .max_iter = 500};
        am_min_result mr;
        st = am_minimize(m.eng, m.s, &mo, &mr);
        if (st) { rc = cli_report(verb.name, st); cli_model_free(&m); return rc; }
    }
    const int quiet = cli_flag(&verb, "quiet");
    progress bar;
    progress_start(&bar, "quench", 1, quiet);
    q.progress = on_progress;
    q.progress_ctx = &bar;
    bar.total = (long)llround(q.melt_time / q.dt) + (long)llround((q.t_melt - q.t_end) / q.rate / q.dt);
    am_quench_result r;
    am_status st = am_quench(m.eng, m.s, &q, &r);
    progress_end(&bar);
    if (!st) st = am_write(out, AM_FMT_LAMMPS_DATA, m.s);
    /* the units of every number below: metal's as they always were, lj's named */
    const char *T = u->temperature, *E = u->energy, *V = metal ? "Å^3" : u->volume, *t = u->time;
    char rate_unit[48];
    snprintf(rate_unit, sizeof rate_unit, metal ? "K/s" : "%s/%s", u->temperature, u->time);
    if (!st) {
        FILE *f = fopen(curve, "w");
        if (!f) {
            fprintf(stderr, "amorph quench: cannot write %s\n", curve);
            rc = 1;
        } else {
            char tail[64];
            if (q.constant_volume) snprintf(tail, sizeof tail, "constant volume");
            else snprintf(tail, sizeof tail, "P = %g %s", q.pressure, u->pressure);
            fprintf(f, "# amorph quench: %zu atoms, melt %g %s for %g %s, cooled at %g %s to %g %s, %s; LAMMPS units %s\n",
                    m.s->n, q.t_melt, T, q.melt_time, t, rate, rate_unit, q.t_end, T, tail, u->style);
            if (metal)
                fprintf(f, "# Tg(V) = %.1f K, Tg(E) = %.1f K; liquid fit %.0f-%.0f K, glass fit %.0f-%.0f K\n", r.tg_v,
                        r.tg_e, r.liquid[0], r.liquid[1], r.glass[0], r.glass[1]);
            else
                fprintf(f, "# Tg(V) = %.4g %s, Tg(E) = %.4g %s; liquid fit %.4g-%.4g %s, glass fit %.4g-%.4g %s\n",
                        r.tg_v, T, r.tg_e, T, r.liquid[0], r.liquid[1], T, r.glass[0], r.glass[1], T);
            fprintf(f, "%s\n", am_cooling_curve_header(u));
            for (size_t k = 0; k < r.ncurve; k++)
                fprintf(f, "%.*f,%.8f,%.8f\n", metal ? 4 : 6, r.curve[k].t, r.curve[k].v, r.curve[k].e);
            fclose(f);
        }
    }
    if (st) {
        rc = cli_report(verb.name, st);
    } else if (cli_flag(&verb, "json")) {
        cli_json_printf(stdout, "{\"natoms\": %zu, \"tg_volume\": %.6g, \"tg_energy\": %.6g, \"liquid_fit\": [%g, %g], "
                        "\"glass_fit\": [%g, %g], \"energy_per_atom\": %.17g, \"volume_per_atom\": %.17g, "
                        "\"pressure\": %.17g, \"rate\": %g, \"ensemble\": \"%s\", ",
                        m.s->n, r.tg_v, r.tg_e, r.liquid[0], r.liquid[1], r.glass[0], r.glass[1], r.e_final, r.v_final,
                        r.p_final, rate, ens);
        cli_units_json(stdout, u);
        /* the names with metal's units in them, which scripts read */
        if (metal)
            cli_json_printf(stdout, ", \"tg_volume_K\": %.2f, \"tg_energy_K\": %.2f, \"liquid_fit_K\": [%g, %g], "
                            "\"glass_fit_K\": [%g, %g], \"energy_per_atom_eV\": %.10f, \"volume_per_atom_A3\": %.8f, "
                            "\"rate_K_per_s\": %g", r.tg_v, r.tg_e, r.liquid[0], r.liquid[1], r.glass[0], r.glass[1],
                            r.e_final, r.v_final, rate);
        printf(", \"resumed\": %s}\n", r.resumed ? "true" : "false");
    } else if (!quiet) {
        printf("glass             %s (%zu atoms)%s\n", out, m.s->n, r.resumed ? ", resumed from a checkpoint" : "");
        if (!metal) printf("units             LAMMPS %s (%s, %s, %s, %s)\n", u->style, E, u->length, T, t);
        printf("inherent state    %.6f %s/atom, %.4f %s/atom, pressure %.6g %s\n", r.e_final, E, r.v_final, V,
               r.p_final, u->pressure);
        /* metal keeps its tenths of a kelvin; lj temperatures need digits */
        const int tp = metal ? 1 : 3, rp = metal ? 0 : 3;
        if (q.constant_volume) printf("Tg                %.*f %s from E(T) (constant volume: none from V)\n", tp, r.tg_e, T);
        else printf("Tg                %.*f %s from V(T), %.*f %s from E(T)\n", tp, r.tg_v, T, tp, r.tg_e, T);
        printf("fit ranges        liquid %.*f-%.*f %s, glass %.*f-%.*f %s\n", rp, r.liquid[0], rp, r.liquid[1], T, rp,
               r.glass[0], rp, r.glass[1], T);
        printf("cooling curve     %s\n", curve);
    }
    am_quench_result_free(&r);
    cli_model_free(&m);
    return rc;
}
