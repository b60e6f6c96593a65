/* amorph artn: an ARTn campaign with a resumable event log, and
 * amorph artn-summary: the per-atom table of an existing log. */
#include "artn_header.h"
#include "commands.h"
#include "common.h"
#include "progress.h"
#include "ranks.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --help must show the library's defaults, so their text is made from
 * am_saddle_defaults() at start-up rather than typed twice. */
enum { D_PUSH_RADIUS, D_PUSH_NORM, D_INCREMENT, D_EIGEN_THRESHOLD, D_EXIT_FORCE, D_EIGEN_STEP, D_PERP_FORCE,
       D_BASIN_PERP, D_ACT_PERP, D_MAX_BASIN, D_MAX_ACT, D_MAX_LOST, D_LOCAL_RADIUS, D_REFINE_RADIUS, D_REFINE_INNER, D_REFINE_EXIT, D_BASIN_QUIET, D_BASIN_LANCZOS,
       D_ACT_PERP_NEAR, D_MODE_REUSE, D_ACT_LANCZOS, D_DEDUP_SADDLE,
       D_DEDUP_FINAL, D_DEDUP_DISP, D_COUNT };
static char defs[D_COUNT][32];

#define CLI_OPTS_DEDUP                                                                                          \
    {"dedup-saddle", 0, "DE", defs[D_DEDUP_SADDLE], "duplicate events: |ΔE_saddle| below this, eV", NULL},     \
    {"dedup-final", 0, "DE", defs[D_DEDUP_FINAL], "duplicate events: |ΔE_final| below this, eV", NULL},        \
    {"dedup-disp", 0, "DX", defs[D_DEDUP_DISP], "duplicate events: |Δ total displacement| below this, Å", NULL}

#define CLI_OPTS_TABLE                                                                                          \
    {"output", 'o', "FILE", NULL, "per-atom extended XYZ: ea_mean, ea_min (eV; -1 without a converged event), ea_count, searches", NULL}, \
    {"csv", 0, "FILE", NULL, "the same per-atom table as CSV", NULL}

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"events", 'e', "FILE", NULL, "event log (JSON lines), appended to and resumed from (required)", NULL},
    {"save-configs", 0, "DIR", NULL,
     "write each converged search's saddle and new minimum to DIR/a<ID>_<attempt>_{saddle,final}.extxyz", NULL},
    {"atoms", 'a', "SEL", "all", "central atoms: all, a list of ids ID,ID,..., or random:N (N atoms chosen by --seed)",
     NULL},
    {"searches", 'k', "K", "1", "searches per central atom (attempts 0..K-1)", NULL},
    {"seed", 0, "S", "1", "campaign seed; search (atom, attempt) is seeded by a hash of (S, atom id, attempt)", NULL},
    CLI_OPTS_TABLE,
    {"minimize", 0, NULL, NULL, "relax the configuration first (CG to --ftol); searches must start at a minimum", NULL},
    {"ftol", 0, "F", "1e-6", "force tolerance of --minimize, eV/Å", NULL},
    {"skin", 0, "DIST", "1.0", "neighbour-list skin, Å", NULL},
    {"push-radius", 0, "R", defs[D_PUSH_RADIUS], "atoms within R of the central atom get the initial push, Å", NULL},
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
    {"refine-exit-force", 0, "F", defs[D_REFINE_EXIT], "with --local-radius: the refinement converges until every moving "
     "atom's force is below F, eV/Å (0 = --exit-force; below it, the refinement relaxes with L-BFGS)", NULL},
    CLI_OPTS_DEDUP,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "artn", "-p POT CONF --events events.jsonl [--atoms all|ID,...|random:N] [--searches K] [--seed S] [-o atoms.extxyz]",
    "ARTn saddle searches from the central atoms of CONF (which should be a minimum: see --minimize).\n"
    "Each search appends one JSON line to the event log as soon as it ends (flushed to disk);\n"
    "running the same command again skips the (atom, attempt) pairs already in the log, so an\n"
    "interrupted campaign resumes, and more atoms or searches extend it; search options left off\n"
    "the command line are then the log's own, whatever the defaults of this version. Threads run independent\n"
    "searches; so do MPI ranks (mpirun -np N amorph artn ...: rank r runs every N-th pending search,\n"
    "all append to the same log, which must be on a file system they share). The per-atom table\n"
    "(mean and minimum activation energy of the distinct converged events, their count) is computed\n"
    "from the whole log; it does not depend on thread or rank count, order or interruptions.\n"
    "amorph artn-summary makes the same table from a log alone.",
    opts, 1, 1,
};

static cli_opt sum_opts[] = {
    {"species", 0, "LIST", NULL, "species of LAMMPS types 1,2,... (e.g. Cu,Zr)", NULL},
    {"format", 0, "FMT", "(from the extension)", "input format: data, dump, xyz", NULL},
    {"frame", 0, "K", "0", "frame of a multi-frame file (0 = first, -1 = last)", NULL},
    CLI_OPTS_TABLE,
    CLI_OPTS_DEDUP,
    {"attempts", 0, "K", "(all)", "use only attempts 0..K-1 of each atom: per-atom Ea as if K searches had run "
                                  "(convergence with the number of searches)", NULL},
    {"quiet", 'q', NULL, NULL, "no progress output", NULL},
    {"json", 0, NULL, NULL, "print results as JSON", NULL},
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb sum_verb = {
    "artn-summary", "events.jsonl CONF [-o atoms.extxyz] [--csv atoms.csv]",
    "Per-atom activation energies from an ARTn event log written by amorph artn, without running\n"
    "anything: for each atom of CONF, the mean and minimum barrier of its distinct converged events\n"
    "and their count (-1 and 0 for atoms without one). CONF gives the atoms and their order.",
    sum_opts, 2, 2,
};

static void fill_defaults(void)
{
    am_saddle_options o;
    am_saddle_defaults(&o);
    am_dedup_options d;
    am_dedup_defaults(&d);
    const double v[] = {o.push_radius, o.push_norm, o.increment, o.eigen_threshold, o.exit_force, o.eigen_step,
                        o.perp_force, o.basin_perp_steps, o.act_perp_steps, o.max_basin_steps, o.max_act_steps, o.max_lost,
                        o.local_radius, o.refine_radius, o.refine_inner_radius, o.refine_exit_force, o.basin_quiet,
                        o.basin_lanczos_vectors, o.act_perp_near, o.act_mode_reuse, o.act_lanczos_vectors, d.saddle_energy, d.final_energy, d.displacement};
    for (int k = 0; k < D_COUNT; k++) snprintf(defs[k], sizeof defs[k], "%g", v[k]);
}

static int read_dedup(const cli_verb *v, am_dedup_options *d)
{
    am_dedup_defaults(d);
    if (cli_double(v, "dedup-saddle", &d->saddle_energy) || cli_double(v, "dedup-final", &d->final_energy) ||
        cli_double(v, "dedup-disp", &d->displacement))
        return 2;
    if (!(d->saddle_energy >= 0 && d->final_energy >= 0 && d->displacement >= 0)) {
        fprintf(stderr, "amorph %s: --dedup-* thresholds must be >= 0\n", v->name);
        return 2;
    }
    return 0;
}

static int by_long(const void *a, const void *b)
{
    const long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Median of n values (sorted in place); NaN for none. */
static double median_long(long *x, long n)
{
    if (n <= 0) return NAN;
    qsort(x, (size_t)n, sizeof(long), by_long);
    return n % 2 ? (double)x[n / 2] : 0.5 * ((double)x[n / 2 - 1] + (double)x[n / 2]);
}

/* The per-atom table from the whole log, written and summarised; the same
 * code path for artn and artn-summary, so the two cannot disagree. */
static int summarise(const cli_verb *v, const char *log, const am_system *s, const am_dedup_options *d, long ran_now,
                     long attempts)
{
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
    long long *cnt = malloc((n + 1) * sizeof(long long)), *ns = malloc((n + 1) * sizeof(long long));
    long *calls = malloc(2 * (nev + 1) * sizeof(long));
    int rc = 0;
    if (!mean || !lo || !cnt || !ns || !calls) { fprintf(stderr, "amorph %s: out of memory\n", v->name); rc = 1; goto done; }
    if ((st = am_events_aggregate(ev, nev, s->id, n, d, mean, lo, cnt, ns))) {
        fprintf(stderr, "amorph %s: %s: %s\n", v->name, log, am_error_message());
        rc = 1;
        goto done;
    }
    long by_outcome[AM_SADDLE_NOUTCOMES] = {0}, nconv = 0, nsad = 0, searches = 0;
    long *calls_sad = calls + nev + 1;
    for (size_t k = 0; k < nev; k++) {
        if (k && ev[k].atom == ev[k - 1].atom && ev[k].attempt == ev[k - 1].attempt) continue;
        searches++;
        by_outcome[ev[k].outcome]++;
        if (ev[k].outcome != AM_SADDLE_OK) continue;
        calls[nconv++] = ev[k].force_calls;
        if (ev[k].force_calls_saddle >= 0) calls_sad[nsad++] = ev[k].force_calls_saddle;
    }
    long long distinct = 0, atoms_with = 0, atoms_searched = 0;
    double sum_ea = 0;
    for (size_t i = 0; i < n; i++) {
        distinct += cnt[i];
        atoms_searched += ns[i] > 0;
        if (cnt[i]) { atoms_with++; sum_ea += mean[i]; }
    }
    /* median force calls per converged search, all of them and those to
     * the saddle (older logs lack the latter: NaN) */
    const double median = median_long(calls, nconv), median_sad = median_long(calls_sad, nsad);
    if (cli_flag(v, "json")) {
        cli_json_printf(stdout, "{\"searches\": %ld, \"ran_now\": %ld, \"converged\": %ld, \"distinct_events\": %lld, "
               "\"atoms_searched\": %lld, \"atoms_with_event\": %lld, \"mean_ea\": ",
               searches, ran_now, nconv, distinct, atoms_searched, atoms_with);
        cli_json_num(stdout, atoms_with ? sum_ea / atoms_with : NAN);
        cli_json_printf(stdout, ", \"median_force_calls\": ");
        cli_json_num(stdout, median);
        cli_json_printf(stdout, ", \"median_force_calls_saddle\": ");
        cli_json_num(stdout, median_sad);
        cli_json_printf(stdout, ", \"outcomes\": {");
        for (int o = 0; o < AM_SADDLE_NOUTCOMES; o++)
            printf("%s\"%s\": %ld", o ? ", " : "", am_saddle_outcome_name((am_saddle_outcome)o), by_outcome[o]);
        printf("}}\n");
    } else {
        printf("searches in %s: %ld (%ld run now), converged %ld (%.1f %%), distinct events %lld\n", log, searches,
               ran_now, nconv, searches ? 100.0 * nconv / searches : 0.0, distinct);
        printf("atoms searched %lld, with an event %lld; mean per-atom Ea %.4f eV; median force calls per converged "
               "search %.0f (to the saddle %.0f)\n", atoms_searched, atoms_with, atoms_with ? sum_ea / atoms_with : NAN,
               median, median_sad);
        for (int o = 0; o < AM_SADDLE_NOUTCOMES; o++)
            if (by_outcome[o]) printf("  %-22s %ld\n", am_saddle_outcome_name((am_saddle_outcome)o), by_outcome[o]);
    }
    /* the table writers refuse non-finite values, so "no event" is written
     * as -1 (ea_count 0 says the same unambiguously) */
    for (size_t i = 0; i < n; i++)
        if (!cnt[i]) mean[i] = lo[i] = -1.0;
    am_column cols[4] = {{"ea_mean", 1, mean, NULL}, {"ea_min", 1, lo, NULL}, {"ea_count", 1, NULL, cnt},
                         {"searches", 1, NULL, ns}};
    const char *out = cli_get(v, "output"), *csv = cli_get(v, "csv");
    if (out && (st = am_write_extxyz(out, s, cols, 4, NULL))) { rc = cli_report(v->name, st); goto done; }
    if (csv && (st = am_write_csv(csv, s, cols, 4))) { rc = cli_report(v->name, st); goto done; }
done:
    free(ev); free(mean); free(lo); free(cnt); free(ns); free(calls);
    return rc;
}

int cmd_artn_summary(int argc, char **argv)
{
    fill_defaults();
    const char *pos[2];
    int npos, rc = cli_parse(&sum_verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    am_dedup_options d;
    if ((rc = read_dedup(&sum_verb, &d))) return rc;
    am_system *s = NULL;
    if ((rc = cli_load_conf(&sum_verb, pos[1], &s))) return rc;
    long attempts = 0;
    if (cli_get(&sum_verb, "attempts") && (cli_int(&sum_verb, "attempts", &attempts) || attempts < 1)) {
        fprintf(stderr, "amorph artn-summary: --attempts expects a positive number of searches\n");
        am_system_free(s);
        return 2;
    }
    rc = summarise(&sum_verb, pos[0], s, &d, 0, attempts);
    am_system_free(s);
    return rc;
}

/* ---- atom selection ---- */

static int cmp_pair(const void *pa, const void *pb)
{
    const long long *a = pa, *b = pb;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

static uint64_t next64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Central atom indices for --atoms, in increasing id order; *sel malloc'ed. */
static int select_atoms(const char *spec, const am_system *s, unsigned long long seed, size_t **sel, size_t *nsel)
{
    const size_t n = s->n;
    long long *byid = malloc(2 * (n + 1) * sizeof(long long));
    size_t *out = malloc((n + 1) * sizeof(size_t));
    char *pick = calloc(n + 1, 1);
    int rc = 0;
    size_t m = 0;
    if (!byid || !out || !pick) { fprintf(stderr, "amorph artn: out of memory\n"); rc = 1; goto done; }
    for (size_t i = 0; i < n; i++) { byid[2 * i] = s->id[i]; byid[2 * i + 1] = (long long)i; }
    qsort(byid, n, 2 * sizeof(long long), cmp_pair);
    if (strcmp(spec, "all") == 0) {
        for (size_t i = 0; i < n; i++) pick[i] = 1;
    } else if (strncmp(spec, "random:", 7) == 0) {
        char *end;
        errno = 0;
        long long k = strtoll(spec + 7, &end, 10);
        if (end == spec + 7 || *end || errno || k < 1 || (unsigned long long)k > n) {
            fprintf(stderr, "amorph artn: --atoms random:N needs 1 <= N <= %zu (atoms in the configuration), got '%s'\n", n,
                    spec);
            rc = 2;
            goto done;
        }
        /* partial Fisher-Yates over the id-sorted atoms: the choice depends on
         * the seed and the set of ids only */
        size_t *perm = malloc((n + 1) * sizeof(size_t));
        if (!perm) { fprintf(stderr, "amorph artn: out of memory\n"); rc = 1; goto done; }
        for (size_t i = 0; i < n; i++) perm[i] = (size_t)byid[2 * i + 1];
        uint64_t st = seed ^ 0x5eed5e1ec7a7011dULL;
        for (size_t i = 0; i < (size_t)k; i++) {
            const size_t j = i + (size_t)(next64(&st) % (uint64_t)(n - i));
            size_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
            pick[perm[i]] = 1;
        }
        free(perm);
    } else {
        const char *p = spec;
        for (;;) {
            char *end;
            errno = 0;
            long long id = strtoll(p, &end, 10);
            if (end == p || errno || id < 1 || (*end && *end != ',')) {
                fprintf(stderr, "amorph artn: --atoms expects all, random:N or a list of atom ids ID,ID,...; "
                                "'%s' is not (at '%.20s')\n", spec, p);
                rc = 2;
                goto done;
            }
            long long key[2] = {id, 0};
            const long long *hit = bsearch(key, byid, n, 2 * sizeof(long long), cmp_pair);
            if (!hit) {
                fprintf(stderr, "amorph artn: --atoms: no atom with id %lld in the configuration\n", id);
                rc = 2;
                goto done;
            }
            pick[hit[1]] = 1;
            if (!*end) break;
            p = end + 1;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (pick[byid[2 * i + 1]]) out[m++] = (size_t)byid[2 * i + 1];
done:
    free(byid);
    free(pick);
    if (rc) { free(out); out = NULL; m = 0; }
    *sel = out;
    *nsel = m;
    return rc;
}

static int cmp_key(const void *pa, const void *pb)
{
    const am_event *a = pa, *b = pb;
    if (a->atom != b->atom) return a->atom < b->atom ? -1 : 1;
    return (a->attempt > b->attempt) - (a->attempt < b->attempt);
}

static int read_saddle_options(am_saddle_options *o)
{
    am_saddle_defaults(o);
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
static am_status save_configs(const char *dir, am_system *cfg, long long id, int attempt, const am_saddle_result *r)
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
        snprintf(info, sizeof info, "energy=%.15g e0=%.15g ea=%.15g atom_id=%lld attempt=%d", en[k], r->e0, r->ea, id, attempt);
        am_status st = am_write_extxyz(path, cfg, NULL, 0, info);
        if (st) return st;
    }
    return AM_OK;
}

/* One record at the end of the log, on disk before it counts as done. One
 * write() on an O_APPEND descriptor, under a lock on the whole file so that
 * ranks sharing the log (even over NFS, where O_APPEND alone is not atomic)
 * never interleave; a cut write is reported, and resuming drops it. */
static int append_record(int fd, const char *line)
{
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    while (fcntl(fd, F_SETLKW, &lk) != 0)
        if (errno != EINTR) return -1;
    const size_t len = strlen(line);
    const ssize_t w = write(fd, line, len);
    const int ok = w == (ssize_t)len && fsync(fd) == 0;
    const int saved = errno;
    lk.l_type = F_UNLCK;
    fcntl(fd, F_SETLK, &lk);
    if (!ok && w >= 0 && w != (ssize_t)len) errno = EIO;
    else errno = saved;
    return ok ? 0 : -1;
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
    double ftol = 1e-6, skin = 1.0;
    if ((rc = read_saddle_options(&so)) || (rc = read_dedup(&verb, &dd))) return rc;
    if (cli_int(&verb, "searches", &searches) || cli_int(&verb, "seed", &seedl) || cli_double(&verb, "ftol", &ftol) ||
        cli_double(&verb, "skin", &skin))
        return 2;
    if (searches < 1 || searches > 1000000 || seedl < 0 || !(ftol > 0) || !(skin >= 0)) {
        fprintf(stderr, "amorph artn: --searches must be in 1..1000000, --seed >= 0, --ftol > 0, --skin >= 0\n");
        return 2;
    }
    const unsigned long long seed = (unsigned long long)seedl;
    const int minimize = cli_flag(&verb, "minimize"), root = rk->rank == 0, quiet = cli_flag(&verb, "quiet") || !root;

    cli_model m;
    if ((rc = cli_model_load(&verb, conf, &m))) return rc;
    am_system *s = m.s;
    size_t *sel = NULL, nsel = 0;
    am_event *old = NULL;
    size_t nold = 0;
    char *header = NULL;
    long long *todo = NULL;
    int out = -1;
    am_status st;
    long ran = 0;
    /* Failures before the searches are agreed on by every rank (the
     * cli_ranks_sum calls below) rather than left through at once: ranks
     * waiting in a collective for one that gave up would hang. */
    rc = select_atoms(cli_get(&verb, "atoms"), s, seed, &sel, &nsel);
    if (!rc && minimize) {
        am_min_options mo = {.method = AM_MIN_CG, .ftol = ftol};
        am_min_result mr;
        if ((st = am_minimize(m.eng, s, &mo, &mr))) rc = cli_report(verb.name, st);
    }
    char want[2048];
    long long complete = 0;
    if (!rc) {
        if ((st = am_events_read(log, &header, &old, &nold, &complete))) rc = cli_report(verb.name, st);
        if (!rc && header) artn_header_adopt(header, &verb, &so);
        artn_header_make(want, sizeof want, s, seed, minimize, ftol, skin, &so);
    }
    /* every rank has read the log before the root changes it (below) */
    if (cli_ranks_sum(rk, rc != 0)) { rc = rc ? rc : 1; goto done; }
    if (header && strcmp(header, want) != 0) {
        if (root) fprintf(stderr, "amorph artn: %s belongs to a campaign with other options or another configuration:\n  %s\n"
                        "these would be:\n  %s\nuse the same options, or another --events file\n", log, header, want);
        rc = 2;
        goto done; /* every rank read the same header */
    }
    if (!header && nold) {
        if (root) fprintf(stderr, "amorph artn: %s has events but no campaign header line; not a log of amorph artn\n", log);
        rc = 2;
        goto done;
    }
    if (root) {
        /* a line cut short by a kill would otherwise be glued to the next record */
        FILE *probe = fopen(log, "rb");
        long long size = -1;
        if (probe) { fseek(probe, 0, SEEK_END); size = ftell(probe); fclose(probe); }
        if (size > complete) {
            if (truncate(log, (off_t)complete) != 0) {
                fprintf(stderr, "amorph artn: cannot cut the incomplete last line of %s: %s\n", log, strerror(errno));
                rc = 1;
            } else if (!quiet) {
                fprintf(stderr, "amorph artn: %s: dropped an incomplete last line (interrupted write)\n", log);
            }
        }
    }

    /* the searches still to run: selected (atom, attempt) pairs not in the log */
    long ntodo = 0;
    if (nold > 1) qsort(old, nold, sizeof *old, cmp_key);
    todo = malloc((nsel * (size_t)searches + 1) * 2 * sizeof(long long));
    if (!todo) { fprintf(stderr, "amorph artn: out of memory\n"); rc = 1; }
    for (size_t a = 0; todo && a < nsel; a++)
        for (long k = 0; k < searches; k++) {
            am_event key = {.atom = s->id[sel[a]], .attempt = (int)k};
            if (nold && bsearch(&key, old, nold, sizeof *old, cmp_key)) continue;
            todo[2 * ntodo] = (long long)sel[a];
            todo[2 * ntodo + 1] = k;
            ntodo++;
        }

    if (!rc && (out = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0) {
        fprintf(stderr, "amorph artn: cannot append to %s: %s\n", log, strerror(errno));
        rc = 1;
    }
    if (!rc && root && !header) {
        char line[sizeof want + 2];
        snprintf(line, sizeof line, "%s\n", want);
        if (append_record(out, line)) {
            fprintf(stderr, "amorph artn: cannot write %s: %s\n", log, strerror(errno));
            rc = 1;
        }
    }
    /* and no rank appends a record before the header is there */
    if (cli_ranks_sum(rk, rc != 0)) { rc = rc ? rc : 1; goto done; }
    if (!quiet && !cli_flag(&verb, "json"))
        fprintf(stderr, "amorph artn: %zu central atoms x %ld searches; %ld already in %s, %ld to run%s\n", nsel,
                searches, (long)(nsel * (size_t)searches) - ntodo, log, ntodo,
                rk->size > 1 ? " over the ranks (progress: this rank's share)" : "");

    /* rank r runs pending searches r, r + size, ...: the split needs no
     * messages, and with hundreds of searches per rank it balances */
    const long mine = ntodo > rk->rank ? (ntodo - rk->rank + rk->size - 1) / rk->size : 0;
    progress bar;
    progress_start(&bar, "artn", mine, quiet);
    int failed = 0;
    char errmsg[512] = "";
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
#pragma omp for schedule(dynamic, 1)
        for (long t = rk->rank; t < ntodo; t += rk->size) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop || ts) continue;
            const size_t i = (size_t)todo[2 * t];
            const int attempt = (int)todo[2 * t + 1];
            am_saddle_options o = so;
            o.seed = am_event_seed(seed, ws->id[i], attempt);
            am_saddle_result r;
            memset(&r, 0, sizeof r);
            r.saddle_xyz = xsad;
            r.final_xyz = xfin;
            const double t0 = omp_get_wtime();
            am_status ss = am_saddle_search(we, ws, &o, i, NULL, &r);
            /* configurations first: a logged event's files exist */
            if (!ss && savedir && r.outcome == AM_SADDLE_OK) ss = save_configs(savedir, cfg, ws->id[i], attempt, &r);
            am_event ev;
            char line[AM_EVENT_LINE];
            if (!ss) {
                am_event_from_result(ws->id[i], attempt, &r, omp_get_wtime() - t0, &ev);
                am_event_format(&ev, line);
            }
#pragma omp critical(artn_log)
            {
                if (ss) {
                    if (!failed)
                        snprintf(errmsg, sizeof errmsg, "search at atom id %lld, attempt %d: %s: %s", ws->id[i], attempt,
                                 am_status_name(ss), am_error_message());
#pragma omp atomic write
                    failed = 1;
                } else if (!failed) {
                    if (append_record(out, line)) {
                        snprintf(errmsg, sizeof errmsg, "cannot write %s: %s", log, strerror(errno));
#pragma omp atomic write
                        failed = 1;
                    } else {
                        ran++;
                        progress_update(&bar, ran);
                    }
                }
            }
        }
        am_engine_free(we);
        am_system_free(ws);
        am_system_free(cfg);
        free(xsad);
        free(xfin);
    }
    progress_end(&bar);
    if (close(out) && !failed) { snprintf(errmsg, sizeof errmsg, "cannot write %s: %s", log, strerror(errno)); failed = 1; }
    out = -1;
    if (failed) {
        if (rk->size > 1)
            fprintf(stderr, "amorph artn: rank %d: %s (%ld searches logged by it; rerun to resume)\n", rk->rank, errmsg, ran);
        else
            fprintf(stderr, "amorph artn: %s (%ld searches logged; rerun to resume)\n", errmsg, ran);
    }
    /* the summary reads the whole log: every rank must have finished */
    const long failed_ranks = cli_ranks_sum(rk, failed), ran_all = cli_ranks_sum(rk, ran);
    if (failed_ranks) { rc = 1; goto done; }
    rc = root ? summarise(&verb, log, s, &dd, ran_all, 0) : 0;
done:
    if (out >= 0) close(out);
    free(todo);
    free(header);
    free(old);
    free(sel);
    cli_model_free(&m);
    return rc;
}
