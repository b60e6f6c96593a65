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
    {"composition", 0, "COMP", "Cu50Zr50", "random start: composition (without CONF)", NULL},
    {"atoms", 0, "N", "2000", "random start: number of atoms", NULL},
    {"density", 0, "RHO", "0.054", "random start: number density, atoms/Å^3", NULL},
    {"preset", 0, "NAME", "quick", "quick (2000 atoms, 20 ps at 2000 K, 1e12 K/s to 300 K) or paper (19652 atoms, "
                                   "4 ns at 2000 K, 1e10 K/s to 10 K); options below override",
     NULL},
    {"t-melt", 0, "K", "(preset)", "melt temperature, K", NULL},
    {"melt-time", 0, "PS", "(preset)", "time at the melt temperature, ps", NULL},
    {"t-end", 0, "K", "(preset)", "end of cooling, K", NULL},
    {"rate", 0, "K/S", "(preset)", "cooling rate, K/s", NULL},
    {"pressure", 'P', "P", "0", "pressure of melt, cooling and final relaxation, bar", NULL},
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
    "minimise atoms and box to the inherent structure. Writes the glass, the cooling curve and Tg from\n"
    "straight-line fits of V(T) and E(T) to the liquid and glass branches. Checkpointed; --resume\n"
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
    am_quench_options q = {0};
    long natoms = 2000, seed = 1;
    double rate_ks = 1e12, ck_ps = 50, rho = 0.054;
    if (strcmp(preset, "paper") == 0) {
        natoms = 19652; q.t_melt = 2000; q.melt_time = 4000; q.t_end = 10; rate_ks = 1e10;
    } else if (strcmp(preset, "quick") == 0) {
        q.t_melt = 2000; q.melt_time = 20; q.t_end = 300;
    } else {
        fprintf(stderr, "amorph quench: --preset must be quick or paper, got '%s'\n", preset);
        return 2;
    }
    if (cli_int(&verb, "atoms", &natoms) || cli_int(&verb, "seed", &seed) || cli_double(&verb, "t-melt", &q.t_melt) ||
        cli_double(&verb, "melt-time", &q.melt_time) || cli_double(&verb, "t-end", &q.t_end) ||
        cli_double(&verb, "rate", &rate_ks) || cli_double(&verb, "pressure", &q.pressure) ||
        cli_double(&verb, "dt", &q.dt) || cli_double(&verb, "checkpoint-every", &ck_ps) ||
        cli_double(&verb, "density", &rho))
        return 2;
    if (natoms < 2 || !(rate_ks > 0) || !(q.t_end > 0) || !(q.t_melt > q.t_end) || !(ck_ps > 0) || !(q.dt > 0)) {
        fprintf(stderr, "amorph quench: need --atoms >= 2, --rate > 0, 0 < --t-end < --t-melt, positive intervals\n");
        return 2;
    }
    q.rate = rate_ks * 1e-12; /* K/s -> K/ps */
    q.seed = (unsigned long)seed;
    q.checkpoint_every = (long)llround(ck_ps / q.dt);
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
        if (!rc) rc = run_lammps(&m, &q, out, curve, rate_ks, npos == 0);
        cli_model_free(&m);
        return rc;
    }
    if (npos == 1) {
        if ((rc = cli_model_load(&verb, pos[0], &m))) return rc;
    } else {
        am_status st = am_system_random(cli_get(&verb, "composition"), (size_t)natoms, rho, 2.0,
                                        (unsigned long)seed, &m.s);
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
    if (!st) {
        FILE *f = fopen(curve, "w");
        if (!f) {
            fprintf(stderr, "amorph quench: cannot write %s\n", curve);
            rc = 1;
        } else {
            fprintf(f, "# amorph quench: %zu atoms, melt %g K for %g ps, cooled at %g K/s to %g K, P = %g bar\n",
                    m.s->n, q.t_melt, q.melt_time, rate_ks, q.t_end, q.pressure);
            fprintf(f, "# Tg(V) = %.1f K, Tg(E) = %.1f K; liquid fit %.0f-%.0f K, glass fit %.0f-%.0f K\n", r.tg_v,
                    r.tg_e, r.liquid[0], r.liquid[1], r.glass[0], r.glass[1]);
            fprintf(f, "T_K,V_A3_per_atom,E_eV_per_atom\n");
            for (size_t k = 0; k < r.ncurve; k++)
                fprintf(f, "%.4f,%.8f,%.8f\n", r.curve[k].t, r.curve[k].v, r.curve[k].e);
            fclose(f);
        }
    }
    if (st) {
        rc = cli_report(verb.name, st);
    } else if (cli_flag(&verb, "json")) {
        cli_json_printf(stdout, "{\"natoms\": %zu, \"tg_volume_K\": %.2f, \"tg_energy_K\": %.2f, \"liquid_fit_K\": [%g, %g], "
               "\"glass_fit_K\": [%g, %g], \"energy_per_atom_eV\": %.10f, \"volume_per_atom_A3\": %.8f, "
               "\"rate_K_per_s\": %g, \"resumed\": %s}\n",
               m.s->n, r.tg_v, r.tg_e, r.liquid[0], r.liquid[1], r.glass[0], r.glass[1], r.e_final, r.v_final,
               rate_ks, r.resumed ? "true" : "false");
    } else if (!quiet) {
        printf("glass             %s (%zu atoms)%s\n", out, m.s->n, r.resumed ? ", resumed from a checkpoint" : "");
        printf("inherent state    %.6f eV/atom, %.4f Å^3/atom\n", r.e_final, r.v_final);
        printf("Tg                %.1f K from V(T), %.1f K from E(T)\n", r.tg_v, r.tg_e);
        printf("fit ranges        liquid %.0f-%.0f K, glass %.0f-%.0f K\n", r.liquid[0], r.liquid[1], r.glass[0],
               r.glass[1]);
        printf("cooling curve     %s\n", curve);
    }
    am_quench_result_free(&r);
    cli_model_free(&m);
    return rc;
}
