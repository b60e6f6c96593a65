/* amorph study: every stage of the study in one directory. Each stage is the
 * amorph verb a user would run by hand (printed before it runs), in its own
 * process, so a study is exactly the sum of its documented commands; a stage
 * whose output is newer than its inputs is skipped, and the resumable ones
 * (vibrate, artn) always run and pick up where they stopped. */
#include "commands.h"
#include "common.h"
#include "core/process.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"output", 'o', "DIR", "study", "study directory (created; reused to resume)", NULL},
    {"preset", 0, "NAME", "quick", "quick (about 10 minutes on 2 cores for 2 000 atoms: ARTn on 240 sampled atoms, one temperature, 20 ps) or "
                                   "paper (the paper's parameters: every atom, 10 searches, 100-400 K, 100 ps, NPT)", NULL},
    {"artn-atoms", 0, "SEL", "(quick: random:240, paper: all)", "ARTn central atoms: all, ID,ID,... or random:N", NULL},
    {"searches", 0, "K", "(quick: 1, paper: 10)", "ARTn searches per central atom", NULL},
    {"local-radius", 0, "R", "(amorph artn's)", "ARTn local forces: only atoms within R of the central atom move, Å "
                                                "(0 = the whole box; see amorph artn --help)", NULL},
    {"refine-radius", 0, "R", "(amorph artn's)", "ARTn: re-converge each saddle with the atoms within R moving, Å "
                                                 "(< 0 = the whole box)", NULL},
    {"temperature", 'T', "LIST", "(quick: 300, paper: 100,200,300,400; lj units: quick 0.2, paper 0.067,0.13,0.2,0.27)",
     "vMSD temperatures, K: a comma list, one run each", NULL},
    {"time", 0, "PS", "(quick: 20, paper: 100)", "vMSD sampling time per temperature, ps", NULL},
    {"equilibrate", 0, "PS", "(quick: 5, paper: 20)", "MD before vMSD sampling, ps", NULL},
    {"ensemble", 0, "NAME", "(quick: nvt, paper: npt)", "vMSD ensemble: nvt or npt (amorph vibrate --ensemble)", NULL},
    {"skip", 0, "LIST", NULL, "stages to leave out: describe, modes, vibrate, artn", NULL},
    {"seed", 0, "S", "1", "seed of the MD velocities, the ARTn campaign and the bootstrap", NULL},
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "study", "[-p POT] CONF -o DIR [--preset quick|paper]",
    "The whole study on one configuration, stage by stage, into DIR:\n"
    "  minimize  DIR/inherent.data      the inherent structure (CG to amorph minimize's --ftol)\n"
    "  describe  DIR/describe.extxyz    Voronoi, Steinhardt, S2\n"
    "  modes     DIR/modes.extxyz       low-frequency participation\n"
    "  vibrate   DIR/vibrate.extxyz     vMSD (resumable: DIR/vibrate.T<K>.ckpt)\n"
    "  artn      DIR/artn.extxyz        activation energies (resumable log DIR/events.jsonl)\n"
    "  analyze   DIR/report/            README.md, summary.json, figures\n"
    "Each command is printed before it runs; rerunning the study skips finished stages and resumes\n"
    "interrupted ones. With --json, the stages run quiet (-q) and one object lists them. A Lennard-Jones\n"
    "potential (-p kob-andersen) runs every stage in its reduced units with the lj defaults of each\n"
    "verb (the vMSD temperatures scaled as 300 K is to Cu-Zr's glass transition, 0.2 to Kob-Andersen's).",
    opts, 1, 1,
};

/* a stage's own options, and every --pair passed on */
#define MAXARG (48 + 2 * CLI_MAX_REPEAT)

typedef struct argl {
    char *v[MAXARG + 1];
    int n;
} argl;

static void add(argl *a, const char *s)
{
    if (a->n < MAXARG) a->v[a->n++] = strdup(s);
    a->v[a->n] = NULL;
}

static void add2(argl *a, const char *k, const char *v)
{
    if (!v) return;
    add(a, k);
    add(a, v);
}

static void argl_free(argl *a)
{
    for (int k = 0; k < a->n; k++) free(a->v[k]);
    a->n = 0;
}

static double mtime(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (double)st.st_mtim.tv_sec + 1e-9 * (double)st.st_mtim.tv_nsec : -1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs `amorph ARGS` (this very program) and returns its exit status;
 * echo: print the command first. */
static int run(const char *self, argl *a, int echo)
{
    if (echo) {
        fputs("  $ amorph", stdout);
        for (int k = 1; k < a->n; k++) printf(" %s", a->v[k]);
        fputc('\n', stdout);
        fflush(stdout);
    }
    /* this very binary: self holds a '/', so execvp takes it as it is */
    char *name = a->v[0];
    a->v[0] = (char *)self;
    int code = 0;
    am_status st = am_run_program(NULL, a->v, NULL, &code);
    a->v[0] = name;
    if (st) { fprintf(stderr, "amorph study: cannot start a stage: %s\n", am_error_message()); return 1; }
    return code;
}

/* The force engine's options, as given, for every stage that computes forces. */
static void add_engine(argl *a)
{
    add2(a, "--engine", cli_given(&verb, "engine") ? cli_get(&verb, "engine") : NULL);
    int n = 0;
    const char *const *pair = cli_values(&verb, "pair", &n);
    for (int k = 0; k < n; k++) add2(a, "--pair", pair[k]);
    add2(a, "--pair-file", cli_get(&verb, "pair-file"));
    add2(a, "--units", cli_given(&verb, "units") ? cli_get(&verb, "units") : NULL);
}

static int skipped(const char *list, const char *stage)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (strlen(stage) == len && strncmp(p, stage, len) == 0) return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* A preset value unless the option was given. */
static const char *pick(const char *name, int paper, const char *quick_v, const char *paper_v)
{
    const char *v = cli_get(&verb, name);
    return v ? v : paper ? paper_v : quick_v;
}

/* The potential's unit style (metal without -p: the default potential's),
 * which the stages that take no potential are told (describe) or read from
 * the tables (analyze). NULL after an error message. */
static const am_units *study_units(void)
{
    const char *pot = cli_get(&verb, "potential");
    if (!pot) return am_units_of("metal");
    am_potential *p = NULL;
    am_status st = am_potential_open(pot, AM_EAM_AUTO, &p);
    if (st) { cli_report(verb.name, st); return NULL; }
    const am_units *u = am_units_of(am_potential_units(p));
    am_potential_free(p);
    return u;
}

int cmd_study(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    const char *preset = cli_get(&verb, "preset"), *dir = cli_get(&verb, "output"), *skip = cli_get(&verb, "skip");
    if (strcmp(preset, "quick") != 0 && strcmp(preset, "paper") != 0) {
        fprintf(stderr, "amorph study: --preset expects quick or paper, got '%s'\n", preset);
        return 2;
    }
    static const char *const known[] = {"describe", "modes", "vibrate", "artn"};
    for (const char *p = skip; p && *p;) {
        size_t len = strcspn(p, ","), ok = 0;
        for (int k = 0; k < 4; k++) ok |= strlen(known[k]) == len && strncmp(p, known[k], len) == 0;
        if (!ok) { fprintf(stderr, "amorph study: --skip expects describe, modes, vibrate or artn, got '%.*s'\n", (int)len, p); return 2; }
        p += len + (p[len] == ',');
    }
    const int paper = strcmp(preset, "paper") == 0;
    const am_units *u = study_units();
    if (!u) return 1;
    if ((rc = cli_apply_units(&verb, u))) return rc;
    const int lj = strcmp(u->style, "lj") == 0;
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) { fprintf(stderr, "amorph study: cannot locate the amorph program itself\n"); return 1; }
    self[len] = '\0';
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "amorph study: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char inherent[1024], desc[1024], modes[1024], vib[1024], artn[1024], events[1024], report[1024], summary[1024],
        ckpt[1024], pops[1024];
    snprintf(inherent, sizeof inherent, "%s/inherent.data", dir);
    snprintf(desc, sizeof desc, "%s/describe.extxyz", dir);
    snprintf(modes, sizeof modes, "%s/modes.extxyz", dir);
    snprintf(vib, sizeof vib, "%s/vibrate.extxyz", dir);
    snprintf(ckpt, sizeof ckpt, "%s/vibrate", dir);
    snprintf(pops, sizeof pops, "%s/polyhedra.csv", dir);
    snprintf(artn, sizeof artn, "%s/artn.extxyz", dir);
    snprintf(events, sizeof events, "%s/events.jsonl", dir);
    snprintf(report, sizeof report, "%s/report", dir);
    snprintf(summary, sizeof summary, "%s/report/summary.json", dir);
    const char *pot = cli_get(&verb, "potential"), *threads = cli_get(&verb, "threads"), *seed = cli_get(&verb, "seed");
    const int quiet = cli_flag(&verb, "quiet"), json = cli_flag(&verb, "json"), text = !quiet && !json;
    enum { MIN, DESC, MODES, VIB, ARTN, ANALYZE, NSTAGE };
    static const char *const name[NSTAGE] = {"minimize", "describe", "modes", "vibrate", "artn", "analyze"};
    const char *out[NSTAGE] = {inherent, desc, modes, vib, artn, summary};
    const double t_start = now();
    if (text) printf("amorph study: %s -> %s (preset %s)\n", pos[0], dir, preset);
    const char *state[NSTAGE] = {NULL};
    double secs[NSTAGE] = {0};
    for (int st = 0; st < NSTAGE && !rc; st++) {
        if (st >= DESC && st <= ARTN && skipped(skip, name[st])) {
            if (text) printf("[%d/%d] %s: skipped (--skip)\n", st + 1, NSTAGE, name[st]);
            state[st] = "skipped";
            continue;
        }
        if (st == ANALYZE && skipped(skip, "artn")) {
            if (text) printf("[%d/%d] analyze: skipped (no activation energies without the artn stage)\n", st + 1, NSTAGE);
            state[st] = "skipped";
            continue;
        }
        /* make-like: a stage is done when its output is newer than its inputs */
        double newest_in = st == MIN ? mtime(pos[0]) : mtime(inherent);
        if (st == ANALYZE)
            for (int k = DESC; k <= ARTN; k++) newest_in = newest_in > mtime(out[k]) ? newest_in : mtime(out[k]);
        const int resumable = st == VIB || st == ARTN;
        if (!resumable && mtime(out[st]) >= newest_in && mtime(out[st]) > 0) {
            if (text) printf("[%d/%d] %s: up to date (%s)\n", st + 1, NSTAGE, name[st], out[st]);
            state[st] = "up to date";
            continue;
        }
        if (text) printf("[%d/%d] %s\n", st + 1, NSTAGE, name[st]);
        argl a = {{NULL}, 0};
        add(&a, self);
        add(&a, name[st]);
        if (st != ANALYZE) add(&a, st == MIN ? pos[0] : inherent);
        /* describe needs no potential and refuses one */
        if (st != ANALYZE && st != DESC) {
            add2(&a, "-p", pot);
            add_engine(&a);
        }
        if (st == MIN) {
            add2(&a, "--species", cli_get(&verb, "species"));
            add2(&a, "--format", cli_get(&verb, "format"));
            add2(&a, "--frame", cli_get(&verb, "frame"));
        } else if (st == DESC) {
            add2(&a, "--populations", pops);
            /* describe takes no potential: it is told the units (metal, its default, needs no word) */
            if (lj) add2(&a, "--units", u->style);
        } else if (st == VIB) {
            add2(&a, "-T", pick("temperature", paper, lj ? "0.2" : "300",
                                lj ? "0.067,0.13,0.2,0.27" : "100,200,300,400"));
            add2(&a, "--time", pick("time", paper, "20", "100"));
            add2(&a, "--equilibrate", pick("equilibrate", paper, "5", "20"));
            /* the paper holds the glass at constant pressure for its vMSD */
            add2(&a, "--ensemble", pick("ensemble", paper, "nvt", "npt"));
            add2(&a, "--checkpoint-prefix", ckpt);
            add2(&a, "--seed", seed);
        } else if (st == ARTN) {
            add2(&a, "--events", events);
            add2(&a, "--atoms", pick("artn-atoms", paper, "random:240", "all"));
            add2(&a, "--searches", pick("searches", paper, "1", "10"));
            /* left off, the ARTn stage runs amorph artn's validated defaults */
            add2(&a, "--local-radius", cli_given(&verb, "local-radius") ? cli_get(&verb, "local-radius") : NULL);
            add2(&a, "--refine-radius", cli_given(&verb, "refine-radius") ? cli_get(&verb, "refine-radius") : NULL);
            add2(&a, "--seed", seed);
        } else if (st == ANALYZE) {
            for (int k = DESC; k <= ARTN; k++)
                if (mtime(out[k]) > 0) add(&a, out[k]);
            add2(&a, "--group", "auto");
            add2(&a, "--seed", seed);
        }
        add2(&a, "-o", st == ANALYZE ? report : out[st]);
        add2(&a, "--threads", threads);
        /* with --json too: a stage's text would break the one object on standard output */
        if (quiet || json) add(&a, "-q");
        const double t0 = now();
        rc = run(self, &a, text);
        argl_free(&a);
        secs[st] = now() - t0;
        state[st] = rc ? "failed" : "done";
        if (rc) fprintf(stderr, "amorph study: stage %s failed (exit %d); fix the cause and rerun: finished stages are "
                                "kept\n", name[st], rc);
        else if (text) printf("[%d/%d] %s: done in %.0f s\n", st + 1, NSTAGE, name[st], secs[st]);
        fflush(stdout);
    }
    if (json) {
        fputs("{\"directory\": ", stdout);
        cli_json_str(stdout, dir);
        fputs(", \"stages\": [", stdout);
        for (int st = 0; st < NSTAGE; st++) {
            cli_json_printf(stdout, "%s{\"stage\": \"%s\", \"state\": ", st ? ", " : "", name[st]);
            cli_json_str(stdout, state[st] ? state[st] : "not run");
            cli_json_printf(stdout, ", \"seconds\": %.3f, \"output\": ", secs[st]);
            cli_json_str(stdout, out[st]);
            fputs("}", stdout);
        }
        cli_json_printf(stdout, "], \"seconds\": %.3f, \"ok\": %s}\n", now() - t_start, rc ? "false" : "true");
    } else if (!rc && text) {
        printf("amorph study: finished in %.0f s; report in %s/README.md\n", now() - t_start, report);
    }
    return rc;
}
