/* amorph artn: an ARTn campaign with a resumable event log, and
 * amorph artn-summary: the per-atom table of an existing log. */
#include "artn_header.h"
#include "commands.h"
#include "common.h"
#include "progress.h"
#include "ranks.h"
#include "stale.h"
#include "core/error.h"
#include "core/process.h"
#include "saddle/campaign_log.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --help must show the library's defaults, so their text is made from
 * am_saddle_defaults() at start-up rather than typed twice. */
enum { D_PUSH_RADIUS, D_PUSH_NORM, D_INCREMENT, D_EIGEN_THRESHOLD, D_EXIT_FORCE, D_EIGEN_STEP, D_PERP_FORCE,
       D_BASIN_PERP, D_ACT_PERP, D_MAX_BASIN, D_MAX_ACT, D_MAX_LOST, D_LOCAL_RADIUS, D_REFINE_RADIUS, D_REFINE_INNER, D_REFINE_EXIT, D_BASIN_QUIET, D_BASIN_LANCZOS,
       D_ACT_PERP_NEAR, D_MODE_REUSE, D_ACT_LANCZOS, D_PUSH_CLUSTER, D_BASIN_ALIGN, D_MAX_CENTER_DISP,
       D_MAX_FINAL_RISE, D_RESTARTS, D_REFINE_REFLECT, D_REFINE_PRECONDITION, D_DEDUP_SADDLE,
       D_DEDUP_FINAL, D_DEDUP_DISP, D_COUNT };
static char defs[D_COUNT][32], ljdefs[D_COUNT][32];

#define CLI_OPTS_DEDUP                                                                                          \
    {"dedup-saddle", 0, "DE", defs[D_DEDUP_SADDLE], "duplicate events: |ΔE_saddle| below this, eV", NULL},     \
    {"dedup-final", 0, "DE", defs[D_DEDUP_FINAL], "duplicate events: |ΔE_final| below this, eV", NULL},        \
    {"dedup-disp", 0, "DX", defs[D_DEDUP_DISP], "duplicate events: |Δ total displacement| below this, Å", NULL}

#define CLI_OPTS_TABLE                                                                                          \
    {"output", 'o', "FILE", NULL, "per-atom table, extended XYZ (a LAMMPS dump for .dump/.lammpstrj): ea_mean, ea_min, ea_eff " \
     "(eV; -1 without a converged event), ea_count, searches", NULL},                                                                        \
    {"csv", 0, "FILE", NULL, "the same per-atom table as CSV", NULL},                                            \
    {"events-csv", 0, "FILE", NULL, "one row per search: outcome, Ea, E_final - E0, largest and central-atom "     \
     "displacements, atoms moved > 0.5 Å, force calls, wall time", NULL},                                       \
    {"temperature", 'T', "K", "300", "temperature of the effective barrier ea_eff = -kT ln(mean exp(-Ea/kT)) over "  \
     "an atom's distinct events, K", NULL}

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"events", 'e', "FILE", NULL, "event log (JSON lines), appended to and resumed from, and shared by processes "
     "running the same campaign (required)", NULL},
    {"claim-timeout", 0, "S", "3600", "a search claimed in the log by a process that cannot be checked (on another "
     "host) is run again when the claim is older than S seconds without a result", NULL},
    {"save-configs", 0, "DIR", NULL,
     "write each converged search's saddle and new minimum to DIR/a<ID>_<attempt>_{saddle,final}.extxyz (DIR is "
     "created)", NULL},
    {"atoms", 'a', "SEL", "all", "central atoms: all, a list of ids ID,ID,..., or random:N (N atoms chosen by --seed); all and random:N run in an order drawn from --seed, so any part of the log is a uniform sample",
     NULL},
    {"searches", 'k', "K", "1", "searches per central atom (attempts 0..K-1)", NULL},
    {"seed", 0, "S", "1", "campaign seed; search (atom, attempt) is seeded by a hash of (S, atom id, attempt)", NULL},
    CLI_OPTS_TABLE,
    CLI_OPTS_MINIMIZE,
    CLI_OPT_SKIN,
    {"preset", 0, "NAME", "(none: the defaults below)", "paper: the source paper's protocol exactly (one atom pushed, "
     "whole box, saddles at 0.05 eV/Å, no guard; docs/saddle.md), then the options given here; a campaign with "
     "--preset takes no option from its log's header", NULL},
    {"push-radius", 0, "R", defs[D_PUSH_RADIUS], "with --push-cluster 0: the atoms within R of the central atom get "
     "the initial push, Å (2: the atom alone in Cu-Zr, the paper's)", NULL},
    {"push-cluster", 0, "N", defs[D_PUSH_CLUSTER], "push the central atom and its N-1 nearest neighbours "
     "(0 = the atoms within --push-radius); docs/saddle.md, Protocol", NULL},
    {"basin-align", 0, "N", defs[D_BASIN_ALIGN], "once the basin finds a negative curvature, turn the walk from the "
     "push to the lowest mode over N steps (pARTn's nsmooth; 0 = along the push to the threshold)", NULL},
    {"max-center-disp", 0, "D", defs[D_MAX_CENTER_DISP], "cage-escape guard: end a search whose central atom moves "
     "farther than D from its start before the saddle, Å (0 = off)", NULL},
    {"max-final-rise", 0, "DE", defs[D_MAX_FINAL_RISE], "cage-escape guard: reject an event whose new minimum lies "
     "more than DE above the start, eV (0 = off)", NULL},
    {"restarts", 0, "N", defs[D_RESTARTS], "a search without a connected event starts again from the minimum with a "
     "fresh random push, at most N times; every failed try's outcome is logged (0 = never, the paper's; at most "
     "8; docs/saddle.md, Restarts)", NULL},
    {"refine-reflect", 0, "0|1", defs[D_REFINE_REFLECT], "1: the last stage of a tight refinement (--refine-exit-force "
     "below --exit-force, after the --refine-inner-radius stage) converges its saddle by L-BFGS on the force reflected "
     "along the mode; 0: it climbs as the search does (docs/saddle.md, Reflected refinement)", NULL},
    {"refine-precondition", 0, "0|1", defs[D_REFINE_PRECONDITION], "1: that reflected stage, when every atom of a "
     "periodic box moves, preconditions its L-BFGS with a particle-mesh model of the solid's elasticity (8-14 % "
     "fewer refinement calls on 20 000 atoms, but more saddles off the reference's); 0: plain L-BFGS (docs/saddle.md, "
     "Reflected refinement)", NULL},
    {"push-norm", 0, "D", defs[D_PUSH_NORM], "norm of the initial push, Å", NULL},
    {"increment", 0, "D", defs[D_INCREMENT], "basin step along the push direction, Å", NULL},
    {"eigen-threshold", 0, "L", defs[D_EIGEN_THRESHOLD], "out of the basin when the lowest eigenvalue is below L, eV/Å²",
     NULL},
    {"exit-force", 0, "F", defs[D_EXIT_FORCE], "saddle when every atom's force is below F, eV/Å", NULL},
    {"eigen-step", 0, "D", defs[D_EIGEN_STEP], "largest activation step along the eigenvector, Å", NULL},
    {"perp-force", 0, "F", defs[D_PERP_FORCE], "perpendicular relaxation target, eV/Å", NULL},
    {"basin-perp-steps", 0, "N", defs[D_BASIN_PERP], "perpendicular CG iterations per basin step", NULL},
    {"act-perp-steps", 0, "N", defs[D_ACT_PERP], "perpendicular CG iterations per activation step", NULL},
    {"max-basin-steps", 0, "N", defs[D_MAX_BASIN], "basin steps before a search gives up", NULL},
    {"basin-quiet", 0, "N", defs[D_BASIN_QUIET], "first basin steps without the lowest-curvature (Lanczos) check", NULL},
    {"basin-lanczos-vectors", 0, "N", defs[D_BASIN_LANCZOS], "Lanczos vectors per basin check (0 = as in the "
     "activation, 16)", NULL},
    {"act-perp-near", 0, "N", defs[D_ACT_PERP_NEAR], "perpendicular CG iterations per activation step once the step "
     "along the mode is below --eigen-step (near the saddle; 0 = --act-perp-steps)", NULL},
    {"act-mode-reuse", 0, "N", defs[D_MODE_REUSE], "keep the mode for the next activation step when its Lanczos "
     "converged within N force calls (0 = never)", NULL},
    {"act-lanczos-vectors", 0, "N", defs[D_ACT_LANCZOS], "Lanczos vectors per activation step, seeded with the last "
     "mode (0 = 16)", NULL},
    {"max-act-steps", 0, "N", defs[D_MAX_ACT], "activation steps before a search gives up", NULL},
    {"max-lost", 0, "N", defs[D_MAX_LOST], "times the negative eigenvalue may be lost (back to the basin push) before "
     "a search gives up", NULL},
    {"local-radius", 0, "R", defs[D_LOCAL_RADIUS], "local forces: only atoms within R of the central atom move, the rest "
     "stay at the minimum, Å (0 = the whole box)", NULL},
    {"refine-radius", 0, "R", defs[D_REFINE_RADIUS], "with --local-radius: re-converge each converged saddle with the "
     "atoms within R moving; Ea is the refined barrier, Å (< 0 = the whole box, 0 = no refinement)", NULL},
    {"refine-inner-radius", 0, "R", defs[D_REFINE_INNER], "with --local-radius: refine within R first, then within "
     "--refine-radius (cheaper for large boxes), Å (0 = one stage)", NULL},
    {"refine-exit-force", 0, "F", defs[D_REFINE_EXIT], "the refinement converges until every moving atom's force is "
     "below F, eV/Å (0 = --exit-force: no refinement of whole-box searches; below --exit-force, the refinement "
     "relaxes with L-BFGS, and whole-box searches are re-converged to F too)", NULL},
    CLI_OPTS_DEDUP,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "artn", "[-p POT] CONF --events events.jsonl [--atoms all|ID,...|random:N] [--searches K] [--seed S] [-o atoms.extxyz]",
    "ARTn saddle searches from the central atoms of CONF (which should be a minimum: see --minimize).\n"
    "Each search appends one JSON line to the event log as soon as it ends (flushed to disk);\n"
    "running the same command again skips the (atom, attempt) pairs already in the log, so an\n"
    "interrupted campaign resumes, and more atoms or searches extend it; search options left off\n"
    "the command line are then the log's own, whatever the defaults of this version. Threads run independent\n"
    "searches; so do processes started on the same log (at once or later; on one machine or on several\n"
    "sharing a file system) and MPI ranks (mpirun -np N amorph artn ...): each claims a search in the\n"
    "log before it runs it, so they divide the campaign, and a search claimed by a process that has\n"
    "died (or, on another host, longer ago than --claim-timeout) is run again. Each process waits for\n"
    "the searches the others are running, then writes the whole table. The per-atom table\n"
    "(mean and minimum activation energy of the distinct converged events, their count) is computed\n"
    "from the whole log; it does not depend on thread or rank count, order or interruptions.\n"
    "amorph artn-summary makes the same table from a log alone.",
    opts, 1, 1,
};

static cli_opt sum_opts[] = {
    CLI_OPTS_READ,
    CLI_OPTS_TABLE,
    CLI_OPTS_DEDUP,
    {"attempts", 0, "K", "(all)", "use only attempts 0..K-1 of each atom: per-atom Ea as if K searches had run "
                                  "(convergence with the number of searches)", NULL},
    CLI_OPT_QUIET,
    CLI_OPT_JSON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb sum_verb = {
    "artn-summary", "events.jsonl CONF [-o atoms.extxyz] [--csv atoms.csv]",
    "Per-atom activation energies from an ARTn event log written by amorph artn, without running\n"
    "anything: for each atom of CONF, the mean and minimum barrier of its distinct converged events\n"
    "and their count (-1 and 0 for atoms without one). CONF gives the atoms and their order.",
    sum_opts, 2, 2,
};

static void default_values(const am_units *u, double v[D_COUNT])
{
    am_saddle_options o;
    am_saddle_defaults_units(&o, u);
    am_dedup_options d;
    am_dedup_defaults_units(&d, u);
    const double x[D_COUNT] = {o.push_radius, o.push_norm, o.increment, o.eigen_threshold, o.exit_force, o.eigen_step,
                        o.perp_force, o.basin_perp_steps, o.act_perp_steps, o.max_basin_steps, o.max_act_steps, o.max_lost,
                        o.local_radius, o.refine_radius, o.refine_inner_radius, o.refine_exit_force, o.basin_quiet,
                        o.basin_lanczos_vectors, o.act_perp_near, o.act_mode_reuse, o.act_lanczos_vectors, o.push_cluster,
                        o.basin_align, o.max_center_disp, o.max_final_rise, o.restarts, o.refine_reflect,
                        o.refine_precondition, d.saddle_energy, d.final_energy, d.displacement};
    memcpy(v, x, sizeof x);
}

/* The options' names in the order of the D_ values, for the lj defaults. */
static const char *const dnames[D_COUNT] = {
    "push-radius", "push-norm", "increment", "eigen-threshold", "exit-force", "eigen-step", "perp-force",
    "basin-perp-steps", "act-perp-steps", "max-basin-steps", "max-act-steps", "max-lost", "local-radius",
    "refine-radius", "refine-inner-radius", "refine-exit-force", "basin-quiet", "basin-lanczos-vectors",
    "act-perp-near", "act-mode-reuse", "act-lanczos-vectors", "push-cluster", "basin-align", "max-center-disp",
    "max-final-rise", "restarts", "refine-reflect", "refine-precondition", "dedup-saddle", "dedup-final", "dedup-disp"};

/* --help shows both unit styles' defaults; the searches themselves take the
 * library's for the potential's units (read_saddle_options). */
static void fill_defaults(void)
{
    double v[D_COUNT], l[D_COUNT];
    default_values(am_units_of("metal"), v);
    default_values(am_units_of("lj"), l);
    for (int k = 0; k < D_COUNT; k++) {
        snprintf(defs[k], sizeof defs[k], "%g", v[k]);
        if (l[k] == v[k]) continue;
        snprintf(ljdefs[k], sizeof ljdefs[k], "%g", l[k]);
        cli_units_register("artn", dnames[k], ljdefs[k]);
        if (k >= D_DEDUP_SADDLE) cli_units_register("artn-summary", dnames[k], ljdefs[k]);
    }
}

static int read_dedup(const cli_verb *v, am_dedup_options *d, const am_units *u)
{
    am_dedup_defaults_units(d, u);
    if (cli_double(v, "dedup-saddle", &d->saddle_energy) || cli_double(v, "dedup-final", &d->final_energy) ||
        cli_double(v, "dedup-disp", &d->displacement))
        return 2;
    if (!(d->saddle_energy >= 0 && d->final_energy >= 0 && d->displacement >= 0)) {
        fprintf(stderr, "amorph %s: --dedup-* thresholds must be >= 0\n", v->name);
        return 2;
    }
    return 0;
}

static void json_spread(const char *key, const am_spread *q, int last)
{
    cli_json_printf(stdout, "\"%s\": {\"n\": %ld, \"p10\": ", key, q->n);
    cli_json_num(stdout, q->p10);
    printf(", \"median\": ");
    cli_json_num(stdout, q->median);
    printf(", \"p90\": ");
    cli_json_num(stdout, q->p90);
    printf("}%s", last ? "" : ", ");
}

/* Counts by outcome, as JSON members and as the text table's lines (the
 * searches' final outcomes, and the restarted tries'). */
static void outcomes_json(const long n[AM_SADDLE_NOUTCOMES])
{
    for (int o = 0; o < AM_SADDLE_NOUTCOMES; o++)
        printf("%s\"%s\": %ld", o ? ", " : "", am_saddle_outcome_name((am_saddle_outcome)o), n[o]);
}

static void outcomes_text(const long n[AM_SADDLE_NOUTCOMES])
{
    for (int o = 0; o < AM_SADDLE_NOUTCOMES; o++)
        if (n[o]) printf("  %-36s %ld\n", am_saddle_outcome_name((am_saddle_outcome)o), n[o]);
}

static void print_summary(const cli_verb *v, const char *log, const am_system *s, const am_campaign_summary *c,
                          long ran_now, double temperature, const am_units *u)
{
    const am_spread *q[6] = {&c->ea, &c->de_final, &c->disp_center_saddle, &c->disp_center_final, &c->disp_max,
                             &c->moved};
    static const char *const key[6] = {"ea", "de_final", "disp_center_saddle", "disp_center_final", "disp_max",
                                       "moved"};
    if (cli_flag(v, "json")) {
        cli_json_printf(stdout, "{\"searches\": %ld, \"ran_now\": %ld, \"converged\": %ld, \"distinct_events\": %lld, "
               "\"atoms_searched\": %lld, \"atoms_with_event\": %lld, \"mean_ea\": ",
               c->searches, ran_now, c->converged, c->distinct, c->atoms_searched, c->atoms_with_event);
        cli_json_num(stdout, c->mean_ea);
        printf(", \"median_force_calls\": ");
        cli_json_num(stdout, c->median_calls);
        printf(", \"median_force_calls_saddle\": ");
        cli_json_num(stdout, c->median_calls_saddle);
        printf(", \"outcomes\": {");
        outcomes_json(c->by_outcome);
        printf("}, \"restarts\": %ld, \"restarted\": {", c->restarts);
        outcomes_json(c->restarted);
        printf("}, \"events\": {");
        for (int k = 0; k < 6; k++) json_spread(key[k], q[k], k == 5);
        printf("}, \"temperature\": %.17g, ", temperature);
        cli_units_json(stdout, u);
        printf(", \"species\": {");
        for (int t = 0; t < c->nspecies; t++) {
            cli_json_printf(stdout, "%s\"%s\": {\"atoms_with_event\": %lld, \"mean_ea\": ", t ? ", " : "",
                            s->species[t].name, c->species[t].atoms_with_event);
            cli_json_num(stdout, c->species[t].mean_ea);
            printf(", \"mean_ea_min\": ");
            cli_json_num(stdout, c->species[t].mean_ea_min);
            printf(", \"mean_ea_eff\": ");
            cli_json_num(stdout, c->species[t].mean_ea_eff);
            printf(", ");
            json_spread("ea", &c->species[t].ea, 1);
            printf("}");
        }
        printf("}}\n");
        return;
    }
    if (cli_flag(v, "quiet")) return;
    printf("searches in %s: %ld (%ld run now), converged %ld (%.1f %%), distinct events %lld\n", log, c->searches,
           ran_now, c->converged, c->searches ? 100.0 * c->converged / c->searches : 0.0, c->distinct);
    printf("atoms searched %lld, with an event %lld; median force calls per converged search %.0f (to the saddle "
           "%.0f)\n", c->atoms_searched, c->atoms_with_event, c->median_calls, c->median_calls_saddle);
    outcomes_text(c->by_outcome);
    if (c->restarts) {
        printf("restarts %ld (converged and connected: %.1f %% of all %ld tries); the restarted tries:\n", c->restarts,
               100.0 * c->converged / (double)(c->searches + c->restarts), c->searches + c->restarts);
        outcomes_text(c->restarted);
    }
    if (!c->converged) return;
    const char *E = u->energy, *L = strcmp(u->style, "metal") == 0 ? "Å" : u->length;
    char label[6][64];
    snprintf(label[0], sizeof label[0], "Ea (%s)", E);
    snprintf(label[1], sizeof label[1], "E_final - E0 (%s)", E);
    snprintf(label[2], sizeof label[2], "centre moved at saddle (%s)", L);
    snprintf(label[3], sizeof label[3], "centre moved in new minimum (%s)", L);
    snprintf(label[4], sizeof label[4], "largest displacement (%s)", L);
    snprintf(label[5], sizeof label[5], "atoms moved > %g %s", AM_MOVED_DISP, L);
    printf("converged searches:              10 %%     median       90 %%\n");
    for (int k = 0; k < 6; k++)
        printf("  %-31s %9.3f  %9.3f  %9.3f\n", label[k], q[k]->p10, q[k]->median, q[k]->p90);
    printf("per-atom barriers (atoms with an event; effective at %g %s):\n", temperature, u->temperature);
    printf("  all   %6lld atoms  mean %.3f %s\n", c->atoms_with_event, c->mean_ea, E);
    for (int t = 0; t < c->nspecies; t++)
        if (c->species[t].atoms_with_event)
            printf("  %-4s  %6lld atoms  mean %.3f %s, minimum %.3f %s, effective %.3f %s; event median %.3f %s\n",
                   s->species[t].name, c->species[t].atoms_with_event, c->species[t].mean_ea, E,
                   c->species[t].mean_ea_min, E, c->species[t].mean_ea_eff, E, c->species[t].ea.median, E);
}

/* The per-atom table from the whole log, written and summarised; the same
 * code path for artn and artn-summary, so the two cannot disagree. */
static int summarise(const cli_verb *v, const char *log, const am_system *s, const am_dedup_options *d, long ran_now,
                     long attempts, const am_units *u)
{
    double temperature = 300.0;
    if (cli_double(v, "temperature", &temperature)) return 2;
    am_event *ev = NULL;
    size_t nev = 0;
    am_status st = am_events_read(log, NULL, &ev, &nev, NULL);
    if (st) return cli_report(v->name, st);
    if (attempts > 0) {
        size_t kept = 0;
        for (size_t k = 0; k < nev; k++)
            if (ev[k].attempt < attempts) ev[kept++] = ev[k];
        nev = kept;
    }
    const size_t n = s->n;
    double *mean = malloc((n + 1) * sizeof(double)), *lo = malloc((n + 1) * sizeof(double));
    double *eff = malloc((n + 1) * sizeof(double));
    long long *cnt = malloc((n + 1) * sizeof(long long)), *ns = malloc((n + 1) * sizeof(long long));
    am_campaign_summary *c = malloc(sizeof *c);
    int rc = 0;
    if (!mean || !lo || !eff || !cnt || !ns || !c) { fprintf(stderr, "amorph %s: out of memory\n", v->name); rc = 1; goto done; }
    if ((st = am_events_aggregate(ev, nev, s->id, n, d, u, temperature, mean, lo, eff, cnt, ns)) ||
        (st = am_campaign_summarize(ev, nev, s, mean, lo, eff, cnt, ns, c))) {
        fprintf(stderr, "amorph %s: %s: %s\n", v->name, log, am_error_message());
        rc = 1;
        goto done;
    }
    print_summary(v, log, s, c, ran_now, temperature, u);
    /* the table writers refuse non-finite values, so "no event" is written
     * as -1 (ea_count 0 says the same unambiguously) */
    for (size_t i = 0; i < n; i++)
        if (!cnt[i]) mean[i] = lo[i] = eff[i] = -1.0;
    am_column cols[5] = {{"ea_mean", 1, mean, NULL}, {"ea_min", 1, lo, NULL}, {"ea_eff", 1, eff, NULL},
                         {"ea_count", 1, NULL, cnt}, {"searches", 1, NULL, ns}};
    const char *out = cli_get(v, "output"), *csv = cli_get(v, "csv"), *evcsv = cli_get(v, "events-csv");
    if (out && (st = cli_write_table(out, s, cols, 5, u))) { rc = cli_report(v->name, st); goto done; }
    if (csv && (st = am_write_csv(csv, s, cols, 5))) { rc = cli_report(v->name, st); goto done; }
    if (evcsv && (st = am_events_write_csv(evcsv, ev, nev, s))) { rc = cli_report(v->name, st); goto done; }
done:
    free(ev); free(mean); free(lo); free(eff); free(cnt); free(ns); free(c);
    return rc;
}

/* The unit system of a log: its header's "units" (absent before lj units:
 * metal). NULL for a style amorph does not know. */
static const am_units *log_units(const char *header)
{
    const char *p = header ? strstr(header, "\"units\":\"") : NULL;
    if (!p) return am_units_of("metal");
    char style[16];
    p += strlen("\"units\":\"");
    const size_t len = strcspn(p, "\"");
    snprintf(style, sizeof style, "%.*s", (int)(len < sizeof style ? len : sizeof style - 1), p);
    return am_units_of(style);
}

int cmd_artn_summary(int argc, char **argv)
{
    fill_defaults();
    const char *pos[2];
    int npos, rc = cli_parse(&sum_verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    char *header = NULL;
    am_event *ev = NULL;
    size_t nev = 0;
    am_status hs = am_events_read(pos[0], &header, &ev, &nev, NULL);
    const am_units *u = hs ? NULL : log_units(header);
    free(header);
    free(ev);
    if (hs) return cli_report(sum_verb.name, hs);
    if (!u) { fprintf(stderr, "amorph artn-summary: %s: a log in units amorph does not know\n", pos[0]); return 2; }
    am_dedup_options d;
    if ((rc = cli_apply_units(&sum_verb, u)) || (rc = read_dedup(&sum_verb, &d, u))) return rc;
    cli_remove_stale_outputs(&sum_verb, cli_flag(&sum_verb, "quiet"));
    am_system *s = NULL;
    if ((rc = cli_load_conf(&sum_verb, pos[1], &s))) return rc;
    long attempts = 0;
    if (cli_get(&sum_verb, "attempts") && (cli_int(&sum_verb, "attempts", &attempts) || attempts < 1)) {
        fprintf(stderr, "amorph artn-summary: --attempts expects a positive number of searches\n");
        am_system_free(s);
        return 2;
    }
    rc = summarise(&sum_verb, pos[0], s, &d, 0, attempts, u);
    am_system_free(s);
    return rc;
}

static int read_saddle_options(am_saddle_options *o, const am_units *u)
{
    am_saddle_defaults_units(o, u);
    const char *preset = cli_get(&verb, "preset");
    if (preset && strcmp(preset, "paper") == 0) {
        am_saddle_paper_units(o, u);
    } else if (preset) {
        fprintf(stderr, "amorph artn: --preset must be paper (or left out for the defaults), got '%s'\n", preset);
        return 2;
    }
    if (artn_options_read(&verb, o)) return 2;
    if (!(o->push_radius >= 0 && o->push_norm > 0 && o->increment > 0 && o->eigen_threshold < 0 && o->exit_force > 0 &&
          o->eigen_step > 0 && o->perp_force > 0 && o->local_radius >= 0 && isfinite(o->local_radius) && !isnan(o->refine_radius) &&
          o->refine_inner_radius >= 0 && isfinite(o->refine_inner_radius) && o->refine_exit_force >= 0 &&
          isfinite(o->refine_exit_force)) ||
        o->max_basin_steps < 1 || o->max_act_steps < 1) {
        fprintf(stderr, "amorph artn: --push-radius, --local-radius, --refine-inner-radius and --refine-exit-force must be >= 0, --eigen-threshold < 0, the other "
                        "lengths and forces > 0, step counts >= 0 (max-*-steps >= 1)\n");
        return 2;
    }
    return 0;
}

/* The saddle and the new minimum of one search as extended XYZ (positions
 * as the search left them, unwrapped), energies in the comment line. */
static am_status save_configs(const char *dir, am_system *cfg, long long id, int attempt, const am_saddle_result *r,
                              const am_units *u)
{
    const double *xs[2] = {r->saddle_xyz, r->final_xyz};
    const double en[2] = {r->e_saddle, r->e_final};
    static const char *const kind[2] = {"saddle", "final"};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < cfg->n; i++) {
            cfg->x[i] = xs[k][3 * i];
            cfg->y[i] = xs[k][3 * i + 1];
            cfg->z[i] = xs[k][3 * i + 2];
        }
        char path[4096], info[256];
        snprintf(path, sizeof path, "%s/a%lld_%d_%s.extxyz", dir, id, attempt, kind[k]);
        snprintf(info, sizeof info, "energy=%.17g e0=%.17g ea=%.17g atom_id=%lld attempt=%d units=%s", en[k], r->e0,
                 r->ea, id, attempt, u->style);
        am_status st = am_write_extxyz(path, cfg, NULL, 0, info);
        if (st) return st;
    }
    return AM_OK;
}

/* A sync may have cut a line that a killed writer left incomplete. */
static void tell_dropped(am_campaign_log *g, int quiet)
{
    if (g->dropped && !quiet)
        fprintf(stderr, "amorph artn: %s: dropped an incomplete last line (interrupted write)\n", g->path);
    g->dropped = 0;
}

/* Opens (creating) the log and, under its lock, reads it and writes the
 * header if there is none yet, or adopts the existing one's options and
 * checks that it is this campaign's. 0, 2 (not this campaign's; said by the
 * root) or 1 (error printed). */
static int shared_open(am_campaign_log *g, int root, int quiet, const am_system *s, unsigned long long seed,
                       int minimize, double ftol, double skin, am_saddle_options *so, const artn_hashes *hashes,
                       const am_units *u)
{
    const char *log = g->path;
    char want[2048];
    int rc = 0;
    const am_status st = am_campaign_log_open(g);
    tell_dropped(g, quiet);
    if (st) {
        fprintf(stderr, "amorph artn: %s\n", am_error_message());
        rc = 1;
    } else if (!g->log.header) {
        artn_header_make(want, sizeof want, s, seed, minimize, ftol, skin, so, hashes, u->style);
        if (am_campaign_log_write_header(g, want)) {
            fprintf(stderr, "amorph artn: %s\n", am_error_message());
            rc = 1;
        }
    } else {
        /* a preset fixes every option: the log must match, not lend its own */
        if (!cli_get(&verb, "preset")) artn_header_adopt(g->log.header, &verb, so);
        artn_header_make(want, sizeof want, s, seed, minimize, ftol, skin, so, hashes, u->style);
        const artn_header_diff d = artn_header_compare(g->log.header, want);
        if (d == HDR_UNITS) {
            if (root)
                fprintf(stderr, "amorph artn: %s belongs to a campaign in other units (its header: %s; the potential's: "
                        "%s); use its potential, or another --events file\n", log, g->log.header, u->style);
            rc = 2;
        } else if (d == HDR_OPTIONS) {
            if (root)
                fprintf(stderr, "amorph artn: %s belongs to a campaign with other options or another configuration:\n"
                        "  %s\nthese would be:\n  %s\nuse the same options, or another --events file\n", log,
                        g->log.header, want);
            rc = 2;
        } else if (d == HDR_CONF || d == HDR_POTENTIAL) {
            if (root)
                fprintf(stderr, "amorph artn: %s was made for another %s (%s; this one's hash is %016llx), with the "
                        "same options and atom count; use the %s it was made for, or another --events file%s\n", log,
                        d == HDR_CONF ? "configuration" : "potential",
                        d == HDR_CONF ? "positions, box, species or ids differ" : "its tables or elements differ",
                        (unsigned long long)(d == HDR_CONF ? hashes->conf : hashes->potential),
                        d == HDR_CONF ? "configuration" : "potential",
                        /* the case met in practice: a campaign's structure minimised again */
                        d == HDR_CONF ? " (a structure minimised again differs in its last bits when the CPU's force "
                                        "kernel or amorph's version differs: keep the minimised structure beside its "
                                        "log)"
                                      : "");
            rc = 2;
        } else if (d == HDR_UNCHECKED && root) {
            fprintf(stderr, "amorph artn: warning: %s was written by an older amorph that did not record the "
                    "configuration and potential it was made for; resuming without checking them\n", log);
        }
    }
    if (g->fd >= 0) am_campaign_log_unlock(g);
    return rc;
}

static int run_artn(const cli_ranks *rk, const char *conf);

int cmd_artn(int argc, char **argv)
{
    fill_defaults();
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    cli_ranks rk;
    if (cli_ranks_init(&rk, verb.name)) return 1;
    rc = run_artn(&rk, pos[0]);
    cli_ranks_finalize(&rk);
    return rc;
}

static void pause_s(double s)
{
    struct timespec t = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

static int run_artn(const cli_ranks *rk, const char *conf)
{
    int rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    const char *log = cli_get(&verb, "events");
    const char *savedir = cli_get(&verb, "save-configs");
    if (!log) { fprintf(stderr, "amorph artn: --events FILE is required (the log that makes a campaign resumable)\n"); return 2; }
    am_saddle_options so;
    am_dedup_options dd;
    long searches = 1, seedl = 1;
    double ftol = 0, skin = 1.0, timeout = 3600;
    if (cli_int(&verb, "searches", &searches) || cli_int(&verb, "seed", &seedl) ||
        cli_double(&verb, "claim-timeout", &timeout))
        return 2;
    if (searches < 1 || searches > 1000000 || seedl < 0 || !(timeout > 0)) {
        fprintf(stderr, "amorph artn: --searches must be in 1..1000000, --seed >= 0, --claim-timeout > 0 s\n");
        return 2;
    }
    const unsigned long long seed = (unsigned long long)seedl;
    const int minimize = cli_flag(&verb, "minimize"), root = rk->rank == 0, quiet = cli_flag(&verb, "quiet") || !root;
    cli_remove_stale_outputs(&verb, quiet);

    cli_model m;
    if ((rc = cli_model_load(&verb, conf, &m))) return rc;
    /* the search options in the potential's units, its defaults for those left off */
    const am_units *u = am_engine_units(m.eng);
    if ((rc = read_saddle_options(&so, u)) || (rc = read_dedup(&verb, &dd, u)) ||
        (rc = cli_double(&verb, "ftol", &ftol) || cli_double(&verb, "skin", &skin) ? 2 : 0)) {
        cli_model_free(&m);
        return rc;
    }
    if (!(ftol > 0) || !(skin >= 0)) {
        fprintf(stderr, "amorph artn: --ftol must be > 0 %s and --skin >= 0 %s\n", u->force, u->length);
        cli_model_free(&m);
        return 2;
    }
    if (savedir) {
        am_status st = am_mkdir_p(savedir);
        if (st) { cli_model_free(&m); return cli_report(verb.name, st); }
    }
    am_system *s = m.s;
    /* the log is bound to the configuration as given, before --minimize */
    const artn_hashes hashes = {am_system_hash(s), am_potential_hash(m.pot)};
    size_t *sel = NULL, nsel = 0;
    am_campaign_log g;
    memset(&g, 0, sizeof g);
    g.fd = -1;
    long ran = 0;
    /* Failures before the searches are agreed on by every rank (the
     * cli_ranks_sum calls below) rather than left through at once: ranks
     * waiting in a collective for one that gave up would hang. */
    const am_status sst = am_campaign_select(cli_get(&verb, "atoms"), s, seed, &sel, &nsel);
    if (sst) {
        fprintf(stderr, "amorph artn: %s%s\n", sst == AM_ERR_VALUE ? "--atoms " : "", am_error_message());
        rc = sst == AM_ERR_VALUE ? 2 : 1;
    }
    if (!rc) rc = cli_minimize_if_asked(&verb, &m, root);
    if (!rc && am_campaign_log_init(&g, log, s->id, sel, nsel, searches, timeout)) {
        fprintf(stderr, "amorph artn: %s\n", am_error_message());
        rc = 1;
    }
    if (!rc) rc = shared_open(&g, root, quiet, s, seed, minimize, ftol, skin, &so, &hashes, u);
    if (cli_ranks_sum(rk, rc != 0)) { rc = rc ? rc : 1; goto done; }
    const long ntodo = (long)g.nslots - g.done, done0 = g.done;
    if (!quiet && !cli_flag(&verb, "json"))
        fprintf(stderr, "amorph artn: %zu central atoms x %ld searches; %ld already in %s, %ld to run%s\n", nsel,
                searches, g.done, log, ntodo, rk->size > 1 ? " over the ranks" : "");

    progress bar;
    progress_start(&bar, "artn", ntodo, quiet);
    int failed = 0, told_wait = 0;
    char errmsg[700] = "";
    const am_potential *pot = m.pot;
#pragma omp parallel
    {
        /* each thread its own working copy and engine: a search uses its
         * system as scratch space and an engine is not thread-safe */
        am_system *ws = NULL, *cfg = NULL;
        am_engine *we = NULL;
        double *xsad = NULL, *xfin = NULL;
        am_status ts = am_system_copy(s, &ws);
        if (!ts) ts = am_engine_create(pot, ws, skin, &we);
        if (!ts && savedir) {
            ts = am_system_copy(s, &cfg);
            xsad = malloc(3 * s->n * sizeof(double) + 1);
            xfin = malloc(3 * s->n * sizeof(double) + 1);
            if (!ts && (!xsad || !xfin)) ts = am_fail(AM_ERR_NOMEM, "out of memory for saved configurations");
        }
        if (ts) {
#pragma omp critical(artn_log)
            {
                if (!failed) snprintf(errmsg, sizeof errmsg, "%s: %s", am_status_name(ts), am_error_message());
#pragma omp atomic write
                failed = 1;
            }
        }
        long job = -1;
        int have_result = 0;
        char line[AM_EVENT_LINE];
        double nap = 0.05;
        for (;;) {
            long others = 0;
#pragma omp critical(artn_log)
            {
                /* hand in the last result and claim the next search in one
                 * hold of the lock */
                am_status ls = AM_OK;
                if (!failed && (ls = am_campaign_log_lock(&g))) {
                    job = -1;
                } else if (!failed) {
                    ls = am_campaign_log_sync(&g);
                    tell_dropped(&g, quiet);
                    if (!ls && have_result) {
                        int logged;
                        ls = am_campaign_log_record(&g, job, line, &logged);
                        ran += logged;
                        progress_update(&bar, g.done - done0);
                    }
                    have_result = 0;
                    if (ls) job = -1;
                    else ls = am_campaign_log_claim_next(&g, &job, &others);
                    am_campaign_log_unlock(&g);
                }
                if (ls) {
                    if (!failed) snprintf(errmsg, sizeof errmsg, "%s", am_error_message());
#pragma omp atomic write
                    failed = 1;
                }
                if (job < 0 && others && !told_wait && !quiet) {
                    fprintf(stderr, "amorph artn: waiting for %ld search%s that other processes are running\n", others,
                            others > 1 ? "es" : "");
                    told_wait = 1;
                }
            }
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop || ts) break;
            if (job < 0) {
                /* what is left is running elsewhere: wait for it, and take it
                 * over if its process goes */
                if (!others) break;
                pause_s(nap);
                nap = fmin(2 * nap, 1.0);
                continue;
            }
            nap = 0.05;
            const size_t i = sel[job / searches];
            const int attempt = (int)(job % searches);
            am_saddle_options o = so;
            o.seed = am_event_seed(seed, ws->id[i], attempt);
            am_saddle_result r;
            memset(&r, 0, sizeof r);
            r.saddle_xyz = xsad;
            r.final_xyz = xfin;
            const double t0 = omp_get_wtime();
            am_status ss = am_saddle_search(we, ws, &o, i, NULL, &r);
            /* configurations first: a logged event's files exist */
            if (!ss && savedir && r.outcome == AM_SADDLE_OK) ss = save_configs(savedir, cfg, ws->id[i], attempt, &r, u);
            if (ss) {
#pragma omp critical(artn_log)
                {
                    if (!failed)
                        snprintf(errmsg, sizeof errmsg, "search at atom id %lld, attempt %d: %s: %s", ws->id[i], attempt,
                                 am_status_name(ss), am_error_message());
#pragma omp atomic write
                    failed = 1;
                }
                break;
            }
            am_event ev;
            am_event_from_result(ws->id[i], attempt, &r, omp_get_wtime() - t0, &ev);
            am_event_format(&ev, line);
            have_result = 1;
        }
        am_engine_free(we);
        am_system_free(ws);
        am_system_free(cfg);
        free(xsad);
        free(xfin);
    }
    progress_end(&bar);
    if (am_campaign_log_close(&g) && !failed) { snprintf(errmsg, sizeof errmsg, "%s", am_error_message()); failed = 1; }
    if (failed) {
        if (rk->size > 1)
            fprintf(stderr, "amorph artn: rank %d: %s (%ld searches logged by it; rerun to resume)\n", rk->rank, errmsg, ran);
        else
            fprintf(stderr, "amorph artn: %s (%ld searches logged; rerun to resume)\n", errmsg, ran);
    }
    /* the summary reads the whole log: every rank must have finished */
    const long failed_ranks = cli_ranks_sum(rk, failed), ran_all = cli_ranks_sum(rk, ran);
    if (failed_ranks) { rc = 1; goto done; }
    rc = root ? summarise(&verb, log, s, &dd, ran_all, 0, u) : 0;
done:
    am_campaign_log_free(&g);
    free(sel);
    cli_model_free(&m);
    return rc;
}
