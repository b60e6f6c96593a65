/* ARTn campaigns: per-search seeds, the duplicate-event criterion and
 * per-atom aggregation on synthetic records; the event log's format and its
 * reader (truncated last line tolerated, a bad line elsewhere named); and
 * amorph artn on a vacancy in fcc Cu: one log line per search, a rerun adds
 * nothing, a run killed with SIGKILL and resumed ends with the same per-atom
 * table as an uninterrupted one, and 1 or 2 threads give the same table;
 * logs no search can have written (no header, two headers, a negative
 * barrier, non-finite or missing energies, negative counts) are refused
 * alike by artn-summary and artn, naming file:line; the central atoms of all
 * and random:N in a seeded order whose prefixes mix the species, a list of ids
 * in id order. Processes sharing a log:
 * test_artn_shared.c. */
#include "saddle/campaign_log.h"
#include "util/build.h"
#include "util/check.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const double A_CU = 3.615; /* Cu_u3.eam lattice parameter, Å */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static am_event event(long long atom, int attempt, am_saddle_outcome out, double es, double ef, double disp)
{
    am_event e;
    memset(&e, 0, sizeof e);
    e.atom = atom;
    e.attempt = attempt;
    e.outcome = out;
    e.e0 = -100.0;
    e.e_saddle = es;
    e.e_final = ef;
    e.ea = es - e.e0;
    e.eigenvalue = -1.5;
    e.fmax_saddle = 0.03;
    e.disp_max = 0.9 * disp;
    e.disp_total = disp;
    e.force_calls = 200 + attempt;
    e.force_calls_saddle = -1;
    e.wall = 0.125;
    e.disp_center_saddle = e.disp_center_final = NAN; /* not logged, as before 2026-12-04 */
    e.moved = -1;
    return e;
}

static void seeds(void)
{
    const unsigned long a = am_event_seed(1, 5, 0);
    check_true(a == am_event_seed(1, 5, 0), "per-search seed is a function of (seed, atom, attempt)");
    check_true(a != am_event_seed(1, 5, 1) && a != am_event_seed(1, 6, 0) && a != am_event_seed(2, 5, 0),
               "another attempt, atom or campaign seed gives another seed");
    check_true(a <= 0xffffffffUL, "seed fits the 32 bits mt19937 uses");
}

static void duplicates(void)
{
    am_dedup_options d;
    am_dedup_defaults(&d);
    check_true(d.saddle_energy == 0.01 && d.final_energy == 0.005 && d.displacement == 0.1, "SPEC §4 thresholds");
    const am_event a = event(1, 0, AM_SADDLE_OK, -99.5, -99.9, 2.0);
    const am_event b = event(1, 1, AM_SADDLE_OK, -99.5 + 0.009, -99.9 - 0.004, 2.0 + 0.09);
    check_true(am_event_same(&a, &b, NULL) && am_event_same(&b, &a, &d), "within all three thresholds: the same event");
    am_event c = b;
    c.e_saddle = -99.5 + 0.011;
    check_true(!am_event_same(&a, &c, NULL), "saddle energies 0.011 eV apart: different events");
    c = b;
    c.e_final = -99.9 + 0.006;
    check_true(!am_event_same(&a, &c, NULL), "final energies 0.006 eV apart: different events");
    c = b;
    c.disp_total = 2.11;
    check_true(!am_event_same(&a, &c, NULL), "displacements 0.11 A apart: different events");
    c = b;
    c.e_final = NAN;
    check_true(!am_event_same(&a, &c, NULL), "an event without a final minimum is never a duplicate");

    /* atom 1: a and b count once, d2 (saddle 0.02 eV higher) once more, a
     * failure not at all, attempt 0 logged twice once; atom 2: only a
     * failure; atom 3: outside the thresholds, twice; atom 4: nothing */
    am_event ev[] = {
        event(3, 1, AM_SADDLE_OK, -99.3, -99.8, 1.0), a, event(2, 0, AM_SADDLE_STEP_LIMIT, -99.0, NAN, NAN),
        event(1, 2, AM_SADDLE_OK, -99.48, -99.9, 2.0), b, event(1, 3, AM_SADDLE_EIGENVALUE_LOST, -99.6, NAN, NAN), a,
        event(3, 0, AM_SADDLE_OK, -99.2, -99.8, 1.0),
    };
    const size_t nev = sizeof ev / sizeof ev[0];
    /* restarted searches: atom 3's attempt 1 after two failed tries, atom 2's failure after one */
    ev[0].restarts = 2;
    ev[0].restart_outcome[0] = AM_SADDLE_EIGENVALUE_LOST;
    ev[0].restart_outcome[1] = AM_SADDLE_NOT_CONNECTED;
    ev[2].restarts = 1;
    ev[2].restart_outcome[0] = AM_SADDLE_EIGENVALUE_LOST;
    const long long ids[] = {4, 3, 2, 1};
    double mean[4], lo[4], mean2[4], lo2[4], eff[4];
    long long cnt[4], ns[4], cnt2[4];
    check_true(am_events_aggregate(ev, nev, ids, 4, NULL, am_units_of("metal"), 300.0, mean, lo, eff, cnt, ns) == AM_OK, "aggregate");
    /* -kT ln((e^{-0.5/kT} + e^{-0.52/kT})/2) at 300 K, kT = 0.025852029 eV */
    check_abs(eff[3], 0.50811231, 1e-8, "atom 1: Boltzmann-weighted effective barrier at 300 K (eV)");
    check_true(eff[1] > lo[1] && eff[1] < mean[1] && isnan(eff[2]), "effective barrier between minimum and mean; "
               "NaN without an event");
    double hot[4];
    am_events_aggregate(ev, nev, ids, 4, NULL, am_units_of("metal"), 1e6, mean2, lo2, hot, cnt2, NULL);
    check_abs(hot[3], mean[3], 1e-6, "at 10^6 K the effective barrier is the mean (eV)");
    check_true(am_events_aggregate(ev, nev, ids, 4, NULL, am_units_of("metal"), 0.0, mean2, lo2, hot, cnt2, NULL) == AM_ERR_VALUE,
               "an effective barrier at 0 K is refused: %s", am_error_message());
    check_true(cnt[3] == 2 && ns[3] == 4, "atom 1: 4 searches, 2 distinct events (got %lld of %lld)", cnt[3], ns[3]);
    check_abs(mean[3], 0.5 * (0.5 + 0.52), 1e-12, "atom 1: Ea = mean of the distinct barriers (eV)");
    check_abs(lo[3], 0.5, 1e-12, "atom 1: minimum barrier (eV)");
    check_true(cnt[2] == 0 && isnan(mean[2]) && isnan(lo[2]) && ns[2] == 1, "atom 2: failure only: NaN, count 0");
    check_true(cnt[1] == 2, "atom 3: saddles 0.1 eV apart count twice");
    check_abs(mean[1], 0.75, 1e-12, "atom 3: mean of 0.7 and 0.8 eV");
    check_true(cnt[0] == 0 && ns[0] == 0 && isnan(mean[0]), "atom 4: never searched");
    /* the campaign summary over the same records: ids 4, 3 Cu; 2, 1 Zr */
    am_system *sys = NULL;
    am_system_alloc(4, 0, &sys);
    set_species(sys, "Cu,Zr");
    for (int k = 0; k < 4; k++) { sys->id[k] = ids[k]; sys->type[k] = k < 2 ? 0 : 1; }
    am_campaign_summary sm;
    check_true(am_campaign_summarize(ev, nev, sys, mean, lo, eff, cnt, ns, &sm) == AM_OK, "summarize");
    check_true(sm.searches == 7 && sm.converged == 5 && sm.by_outcome[AM_SADDLE_OK] == 5 &&
               sm.by_outcome[AM_SADDLE_STEP_LIMIT] == 1 && sm.by_outcome[AM_SADDLE_EIGENVALUE_LOST] == 1 &&
               sm.distinct == 4 && sm.atoms_searched == 3 && sm.atoms_with_event == 2,
               "summary counts: 7 searches, 5 converged, 4 distinct events, 3 atoms searched, 2 with an event");
    check_true(sm.restarts == 3 && sm.restarted[AM_SADDLE_EIGENVALUE_LOST] == 2 &&
               sm.restarted[AM_SADDLE_NOT_CONNECTED] == 1 && sm.restarted[AM_SADDLE_OK] == 0,
               "summary: 3 restarts, 2 after a lost eigenvalue, 1 after an unconnected saddle (got %ld)", sm.restarts);
    /* converged barriers 0.5, 0.509, 0.52, 0.7, 0.8 eV */
    check_abs(sm.ea.median, 0.52, 1e-12, "median Ea of the converged searches (eV)");
    check_abs(sm.ea.p10, 0.5036, 1e-12, "10 %% point, interpolated (eV)");
    check_abs(sm.ea.p90, 0.76, 1e-12, "90 %% point, interpolated (eV)");
    check_abs(sm.de_final.median, 0.1, 1e-9, "median E_final - E0 (eV)");
    check_true(sm.moved.n == 0 && isnan(sm.moved.median), "moved not logged: an empty spread");
    check_abs(sm.species[0].mean_ea, 0.75, 1e-12, "Cu: mean of its atoms' ea_mean (eV)");
    check_abs(sm.species[1].mean_ea, 0.51, 1e-12, "Zr: mean of its atoms' ea_mean (eV)");
    check_abs(sm.species[1].ea.median, 0.509, 1e-12, "Zr: median single-event barrier (eV)");
    check_true(sm.species[0].atoms_with_event == 1 && sm.species[1].atoms_with_event == 1, "one atom of each with events");
    am_system_free(sys);
    /* reversed order: the same table */
    for (size_t k = 0; k < nev / 2; k++) { am_event t = ev[k]; ev[k] = ev[nev - 1 - k]; ev[nev - 1 - k] = t; }
    am_events_aggregate(ev, nev, ids, 4, NULL, am_units_of("metal"), 0.0, mean2, lo2, NULL, cnt2, NULL);
    check_true(memcmp(cnt, cnt2, sizeof cnt) == 0 && mean2[3] == mean[3] && lo2[1] == lo[1],
               "aggregation does not depend on the order of the records");
    const long long few[] = {1, 2};
    check_true(am_events_aggregate(ev, nev, few, 2, NULL, NULL, 0.0, mean, lo, NULL, cnt, NULL) == AM_ERR_VALUE,
               "an event at an atom not in the configuration is an error: %s", am_error_message());
}

static void log_format(const char *dir)
{
    am_event e = event(17, 3, AM_SADDLE_OK, -99.123456789012345, -99.9 + 1e-13, 2.0 / 3.0), f;
    char line[AM_EVENT_LINE];
    am_event_format(&e, line);
    printf("  %s", line);
    check_true(am_event_parse(line, &f) == AM_OK && memcmp(&e, &f, sizeof e) == 0, "a log line reads back bit-exact");
    check_true(strstr(line, "\"status\":\"ok\"") != NULL, "the line names its status");
    e.outcome = AM_SADDLE_STEP_LIMIT;
    e.e_final = e.disp_total = NAN;
    am_event_format(&e, line);
    check_true(strstr(line, "\"e_final\":null") && am_event_parse(line, &f) == AM_OK && isnan(f.e_final) &&
                   f.outcome == AM_SADDLE_STEP_LIMIT,
               "NaN is written null and read back NaN");
    check_true(am_event_parse("{\"atom\":1,\"attempt\":0}", &f) == AM_ERR_PARSE, "outcome is required");
    check_true(am_event_parse("{\"atom\":1,\"attempt\":0,\"outcome\":0,\"e0\":-2,\"e_saddle\":-1,\"e_final\":-1.5,"
                              "\"ea\":1,\"disp_total\":1,\"force_calls\":9}", &f) == AM_OK &&
                   f.force_calls_saddle == -1,
               "a record without force_calls_saddle (older logs) reads -1");
    check_true(am_event_parse("{\"atom\":1,\"attempt\":0.5,\"outcome\":0}", &f) == AM_ERR_PARSE, "attempt is an integer");
    check_true(am_event_parse("{\"atom\":1,\"attempt\":0,\"outcome\":0,\"e0\":-1", &f) == AM_ERR_PARSE,
               "an unterminated object is refused");

    /* header, two records, and a last record cut short without its newline */
    const char *path = scratch_file(dir, "cut.jsonl");
    FILE *fp = fopen(path, "w");
    char l1[AM_EVENT_LINE], l2[AM_EVENT_LINE];
    am_event a = event(1, 0, AM_SADDLE_OK, -99.5, -99.9, 2.0), b = event(2, 0, AM_SADDLE_OK, -99.4, -99.9, 2.0);
    am_event_format(&a, l1);
    am_event_format(&b, l2);
    fprintf(fp, "{\"campaign\":\"test\"}\n%s%s{\"atom\":3,\"attempt\":0,\"sta", l1, l2);
    fclose(fp);
    char *hdr;
    am_event *ev;
    size_t nev;
    long long done;
    check_true(am_events_read(path, &hdr, &ev, &nev, &done) == AM_OK && nev == 2 && hdr &&
                   strcmp(hdr, "{\"campaign\":\"test\"}") == 0 &&
                   done == (long long)(strlen("{\"campaign\":\"test\"}\n") + strlen(l1) + strlen(l2)),
               "truncated last line ignored; header and two records read; resume offset at the last newline");
    free(hdr);
    free(ev);
    fp = fopen(path, "w");
    fprintf(fp, "{\"campaign\":\"test\"}\n%s{\"atom\":3,\"attempt\":0,\"sta\n%s", l1, l2);
    fclose(fp);
    check_true(am_events_read(path, NULL, &ev, &nev, NULL) == AM_ERR_PARSE && strstr(am_error_message(), "cut.jsonl:3:"),
               "a broken line in the middle is an error naming file and line: %s", am_error_message());
    check_true(am_events_read(scratch_file(dir, "absent.jsonl"), NULL, &ev, &nev, NULL) == AM_OK && nev == 0,
               "a missing log reads as empty");
}

/* Logs no search can have written: artn-summary and artn (resuming) refuse
 * each alike, naming file:line and what was expected, and leave it as it
 * was. header is a valid header line for conf. */
static void bad_logs(const char *dir, const char *conf, const char *potf, const char *header)
{
    static const char *const rec = "{\"atom\":1,\"attempt\":0,\"status\":\"ok\",\"outcome\":0,\"e0\":-100,"
                                   "\"e_saddle\":-99.5,\"e_final\":-99.9,\"ea\":0.5,\"disp_total\":1,"
                                   "\"force_calls\":10}";
    static const struct {
        const char *name, *what, *from, *to; /* rec with from replaced by to; from NULL: no header */
        int line;
    } bad[] = {
        {"noheader", "expected the campaign header", NULL, NULL, 1},
        {"negbarrier", "negative barrier ea = -0.5 eV", "\"e_saddle\":-99.5,\"e_final\":-99.9,\"ea\":0.5",
         "\"e_saddle\":-100.5,\"e_final\":-101,\"ea\":-0.5", 2},
        {"infinite", "expected a finite number or null", "\"e_saddle\":-99.5", "\"e_saddle\":inf", 2},
        {"nan", "expected a finite number or null", "\"ea\":0.5", "\"ea\":nan", 2},
        {"noenergy", "without e_final", "\"e_final\":-99.9", "\"e_final\":null", 2},
        {"negcount", "expected a count", "\"force_calls\":10", "\"force_calls\":-5", 2},
        {"negwall", "wall (s) = -1; expected >= 0", "\"force_calls\":10", "\"force_calls\":10,\"wall\":-1", 2},
        {"twoheaders", "a second campaign header", "", "", 2},
    };
    char out[8192], a[3000];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char path[600], copy[620], line[1024];
        snprintf(path, sizeof path, "%s", scratch_file(dir, bad[k].name));
        snprintf(copy, sizeof copy, "%s.orig", path);
        snprintf(line, sizeof line, "%s", rec);
        if (bad[k].from && *bad[k].from) {
            char *at = strstr(line, bad[k].from);
            if (at) {
                char tail[1024];
                snprintf(tail, sizeof tail, "%s", at + strlen(bad[k].from));
                snprintf(at, sizeof line - (size_t)(at - line), "%s%s", bad[k].to, tail);
            }
        }
        FILE *f = fopen(path, "w");
        if (!f) continue;
        if (bad[k].from) fprintf(f, "%s\n", header);
        if (bad[k].from && !*bad[k].from) fprintf(f, "%s\n", header); /* a second header after the first */
        else fprintf(f, "%s\n", line);
        fclose(f);
        const int copied = copy_file(path, copy) == 0;
        char where[700];
        snprintf(where, sizeof where, "%s:%d:", path, bad[k].line);
        snprintf(a, sizeof a, "artn-summary '%s' '%s'", path, conf);
        int rc = run_amorph(a, out, sizeof out);
        check_true(rc != 0 && strstr(out, where) && strstr(out, bad[k].what), "artn-summary refuses %s: %s", bad[k].name,
                   out);
        snprintf(a, sizeof a, "artn -p '%s' '%s' --events '%s' --atoms 1", potf, conf, path);
        rc = run_amorph(a, out, sizeof out);
        check_true(rc != 0 && strstr(out, where) && strstr(out, bad[k].what) && copied && files_equal(path, copy),
                   "artn refuses %s the same way and leaves the log alone: %s", bad[k].name, out);
    }
}

/* fcc Cu 3x3x3 minus the atom at the origin, minimised, written as a data
 * file; ids of the vacancy's nearest neighbours in nn[0..11]. */
static int vacancy_file(const char *path, const am_potential *pot, long long *nn)
{
    am_system *p = build_lattice("fcc", A_CU, 3, 3, 3, "Cu"), *s;
    am_system_alloc(p->n - 1, 0, &s);
    s->nspecies = p->nspecies;
    memcpy(s->species, p->species, sizeof p->species);
    s->box = p->box;
    int k = 0;
    for (size_t i = 1; i < p->n; i++) {
        s->x[i - 1] = p->x[i]; s->y[i - 1] = p->y[i]; s->z[i - 1] = p->z[i];
        double d[3] = {p->x[i], p->y[i], p->z[i]};
        am_box_min_image(&s->box, d);
        if (sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) < 0.8 * A_CU && k < 12) nn[k++] = s->id[i - 1];
    }
    am_system_free(p);
    am_engine *e;
    am_min_options mo = {.method = AM_MIN_CG, .ftol = 1e-8};
    am_min_result mr;
    int ok = am_engine_create(pot, s, 1.0, &e) == AM_OK && am_minimize(e, s, &mo, &mr) == AM_OK &&
             am_write(path, AM_FMT_LAMMPS_DATA, s) == AM_OK && k == 12;
    am_engine_free(e);
    am_system_free(s);
    return ok;
}

/* Lines of a log other than claims: the header and the search records. */
static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long n = 0;
    char line[4096];
    while (fgets(line, sizeof line, f))
        n += strchr(line, '\n') && strncmp(line, "{\"claim\"", 8) != 0;
    fclose(f);
    return n;
}

/* Lines of path that start with prefix (grep -c '^prefix'); -1 when it
 * cannot be read. */
static long count_prefix(const char *path, const char *prefix)
{
    char *s = read_text_file(path, NULL);
    if (!s) return -1;
    long n = 0;
    for (const char *p = s; *p; p += strcspn(p, "\n"), p += *p == '\n')
        n += strncmp(p, prefix, strlen(prefix)) == 0;
    free(s);
    return n;
}

/* A table written with --attempts 1: the last column (searches) of every
 * row after the header is at most 1 and they add up to natoms. */
static int one_search_each(const char *csv, int natoms)
{
    char *s = read_text_file(csv, NULL);
    if (!s) return 0;
    double n = 0;
    int bad = 0, row = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        if (row++ == 0) continue;
        const char *last = strrchr(line, ',');
        char *end;
        const double v = strtod(last ? last + 1 : line, &end);
        bad |= end == (last ? last + 1 : line) || !isfinite(v) || v > 1;
        n += v;
    }
    free(s);
    return !bad && n == natoms;
}

/* The text has "key": followed by a digit somewhere. */
static int has_number(const char *text, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    for (const char *p = text; (p = strstr(p, pat)); p++)
        if (p[strlen(pat)] >= '0' && p[strlen(pat)] <= '9') return 1;
    return 0;
}

/* In the header line h, "key":DIGITS becomes "key":to (to NULL: the
 * preceding comma, key and value are dropped); 0 when the key is not there. */
static int edit_header(char *h, const char *key, const char *to)
{
    char pat[128];
    snprintf(pat, sizeof pat, ",\"%s\":", key);
    const size_t line = strcspn(h, "\n");
    char *p = strstr(h, pat);
    if (!p || (size_t)(p - h) >= line) return 0;
    char *v = p + strlen(pat), *e = v + strspn(v, "0123456789");
    char *dst = to ? v : p;
    const size_t tl = to ? strlen(to) : 0;
    memmove(dst + tl, e, strlen(e) + 1); /* the buffer has room: to is never longer than what it replaces + 1 */
    if (to) memcpy(dst, to, tl);
    return 1;
}

/* log5 = log1 with "basin_perp_steps" set to 7 and "act_perp_near" left out
 * in the header: a log made with other defaults. 0 on success. */
static int log_with_other_defaults(const char *from, const char *to)
{
    size_t len;
    char *s = read_text_file(from, &len);
    if (!s) return -1;
    char *t = malloc(len + 16);
    int ok = t != NULL;
    if (ok) {
        memcpy(t, s, len + 1);
        ok = edit_header(t, "basin_perp_steps", "7") && edit_header(t, "act_perp_near", NULL);
    }
    FILE *f = ok ? fopen(to, "wb") : NULL;
    ok = f && fputs(t, f) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    free(s);
    free(t);
    return ok ? 0 : -1;
}

static void campaign(const char *dir, const am_potential *pot)
{
    long long nn[12];
    /* scratch_file's buffers rotate: keep the paths used throughout */
    char conf[600], saved[600];
    snprintf(conf, sizeof conf, "%s", scratch_file(dir, "vac.data"));
    snprintf(saved, sizeof saved, "%s", scratch_file(dir, "configs"));
    if (!check_true(vacancy_file(conf, pot, nn), "vacancy crystal written")) return;
    const char *bin = getenv("AMORPH_BINARY");
    char potf[600];
    snprintf(potf, sizeof potf, "%s", potential_path("Cu_u3.eam"));
    /* three neighbours of the vacancy (hops) and two atoms farther away */
    char args[1400];
    snprintf(args, sizeof args, "-p '%s' '%s' --atoms %lld,%lld,%lld,40,77 --searches 2 --seed 7 -q", potf, conf, nn[0],
             nn[5], nn[11]);
    /* the same without -q, for the runs whose printed summary is checked */
    char loud[1400];
    snprintf(loud, sizeof loud, "%.*s", (int)(strlen(args) - strlen(" -q")), args);
    const long nsearch = 5 * 2;
    char log1[600], csv1[600]; /* used to the end: scratch_file's buffers rotate */
    snprintf(log1, sizeof log1, "%s", scratch_file(dir, "a.jsonl"));
    snprintf(csv1, sizeof csv1, "%s", scratch_file(dir, "a.csv"));
    char out[16384]; /* the whole of artn --help */
    double t0 = now();
    int rc = run_amorph("artn --help", out, sizeof out);
    check_true(rc == 0 && strstr(out, "--push-radius R") && strstr(out, "[default: 0.15]") && strstr(out, "--events") &&
                   strstr(out, "--local-radius R") && strstr(out, "--refine-radius R"),
               "amorph artn --help lists the search options with the library's defaults");
    rc = run_cmd("'%s' artn %s --threads 1 --events '%s' --csv '%s' > '%s'", bin, args, log1, csv1,
                 scratch_file(dir, "a.out"));
    const double t_run = now() - t0;
    check_true(rc == 0, "amorph artn runs (%.2f s)", t_run);
    check_true(count_lines(log1) == 1 + nsearch, "the log has a header and one line per search (%ld lines)",
               count_lines(log1));
    am_event *ev;
    size_t nev;
    char *hdr;
    check_true(am_events_read(log1, &hdr, &ev, &nev, NULL) == AM_OK && nev == (size_t)nsearch && hdr,
               "every line is a valid record");
    int ok = 0, hop = 0;
    for (size_t k = 0; k < nev; k++) {
        ok += ev[k].outcome == AM_SADDLE_OK;
        hop += ev[k].outcome == AM_SADDLE_OK && ev[k].ea > 0.6 && ev[k].ea < 0.8 && ev[k].atom != 40 && ev[k].atom != 77;
    }
    printf("  %d of %zu searches converged, %d vacancy hops (0.6-0.8 eV)\n", ok, nev, hop);
    check_true(hop >= 1, "at least one search at a vacancy neighbour finds the hop");
    free(ev);
    free(hdr);
    FILE *f = fopen(scratch_file(dir, "a.out"), "r");
    if (f) { size_t got = fread(out, 1, sizeof out - 1, f); out[got] = 0; fclose(f); printf("%s", out); }

    /* the same command again: nothing to do, nothing added */
    const char *csv1b = scratch_file(dir, "a2.csv");
    rc = run_cmd("'%s' artn %s --events '%s' --csv '%s' > /dev/null", bin, args, log1, csv1b);
    check_true(rc == 0 && count_lines(log1) == 1 + nsearch, "a rerun adds nothing to the log");
    check_true(files_equal(csv1, csv1b), "and writes the same table");
    /* artn-summary: the same table from the log alone */
    const char *csv1c = scratch_file(dir, "a3.csv");
    rc = run_cmd("'%s' artn-summary '%s' '%s' --csv '%s' > /dev/null", bin, log1, conf, csv1c);
    check_true(rc == 0 && files_equal(csv1, csv1c), "artn-summary reproduces the table");
    /* one row per search, the converged ones with their energies */
    const char *evcsv = scratch_file(dir, "events.csv");
    rc = run_cmd("'%s' artn-summary '%s' '%s' --events-csv '%s' > /dev/null", bin, log1, conf, evcsv);
    char *rows = read_text_file(evcsv, NULL);
    check_true(rc == 0 && rows && count_lines(evcsv) == 1 + nsearch &&
                   strncmp(rows, "atom,species,attempt,outcome,ea_eV,de_final_eV,", 47) == 0 && strstr(rows, ",Cu,0,ok,"),
               "--events-csv: a header and one row per search (%ld)", count_lines(evcsv));
    free(rows);
    /* --attempts K: the table as if only K searches per atom had run */
    const char *csv1d = scratch_file(dir, "a4.csv");
    rc = run_cmd("'%s' artn-summary '%s' '%s' --attempts 2 --csv '%s' > /dev/null", bin, log1, conf, csv1d);
    check_true(rc == 0 && files_equal(csv1, csv1d), "artn-summary --attempts 2 (all of them) gives the same table");
    rc = run_cmd("'%s' artn-summary '%s' '%s' --attempts 1 --csv '%s' > /dev/null", bin, log1, conf, csv1d);
    check_true(rc == 0 && one_search_each(csv1d, 5), "artn-summary --attempts 1 counts one search at each of the 5 atoms");

    /* killed after its first record, then resumed */
    const char *log2 = scratch_file(dir, "b.jsonl"), *csv2 = scratch_file(dir, "b.csv");
    char a1[2400];
    snprintf(a1, sizeof a1, "artn %s --threads 1 --events '%s'", args, log2);
    rc = run_amorph_kill_when_contains(a1, log2, "outcome", 20.0);
    const long partial = count_lines(log2);
    check_true(rc >= 0 && partial >= 2, "run killed after its first record (%ld of %ld lines)", partial, 1 + nsearch);
    if (partial >= 1 + nsearch) printf("  note: the killed run had already finished; resume check is weaker\n");
    rc = run_cmd("'%s' artn %s --threads 1 --events '%s' --csv '%s' > /dev/null", bin, args, log2, csv2);
    check_true(rc == 0 && count_lines(log2) == 1 + nsearch, "resumed run completes the log, nothing repeated");
    check_true(am_events_read(log2, NULL, &ev, &nev, NULL) == AM_OK && nev == (size_t)nsearch, "resumed log is valid");
    int repeated = 0;
    am_events_sort(ev, nev);
    for (size_t k = 1; k < nev; k++) repeated += ev[k].atom == ev[k - 1].atom && ev[k].attempt == ev[k - 1].attempt;
    check_true(repeated == 0, "no (atom, attempt) twice in the resumed log");
    free(ev);
    check_true(files_equal(csv1, csv2), "killed + resumed: per-atom table byte-identical");

    /* two threads */
    const char *log3 = scratch_file(dir, "c.jsonl"), *csv3 = scratch_file(dir, "c.csv");
    rc = mkdir(saved, 0755) != 0 && errno != EEXIST;
    rc = rc || run_cmd("'%s' artn %s --threads 2 --events '%s' --csv '%s' --save-configs '%s' > /dev/null", bin, args, log3, csv3,
                 saved);
    check_true(rc == 0 && files_equal(csv1, csv3), "2 threads: per-atom table byte-identical");
    /* two MPI ranks sharing one log; the leak checker stays off for this
     * command only: Open MPI keeps allocations until exit by design */
    if (program_available("mpirun")) {
        const char *log4 = scratch_file(dir, "d.jsonl"), *csv4 = scratch_file(dir, "d.csv");
        /* ${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 */
        const char *asan = getenv("ASAN_OPTIONS");
        char asan_opts[1024];
        snprintf(asan_opts, sizeof asan_opts, "%s%sdetect_leaks=0", asan && *asan ? asan : "", asan && *asan ? ":" : "");
        rc = run_cmd("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 'ASAN_OPTIONS=%s' "
                     "mpirun --oversubscribe -np 2 '%s' artn %s --threads 1 --events '%s' --csv '%s' > '%s' 2>&1",
                     asan_opts, bin, loud, log4, csv4, scratch_file(dir, "d.out"));
        check_true(rc == 0 && count_lines(log4) == 1 + nsearch,
                   "mpirun -np 2: one header and one line per search (%ld lines)", count_lines(log4));
        check_true(files_equal(csv1, csv4), "mpirun -np 2: per-atom table byte-identical");
        /* only the root prints the summary */
        const long summaries = count_prefix(scratch_file(dir, "d.out"), "searches in");
        check_true(summaries == 1, "mpirun -np 2: one summary (%ld)", summaries);
    } else {
        printf("mpirun not found: MPI campaign skipped\n");
    }
    /* --save-configs: a converged search's saddle, re-evaluated, has the logged energy */
    am_event *sv = NULL;
    size_t nsv = 0;
    int saved_ok = 0, saved_n = 0;
    char *svh = NULL;
    if (am_events_read(log3, &svh, &sv, &nsv, NULL) == AM_OK)
        for (size_t k = 0; k < nsv; k++) {
            if (sv[k].outcome != AM_SADDLE_OK) continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/a%lld_%d_saddle.extxyz", saved, sv[k].atom, sv[k].attempt);
            am_system *cs = load_conf(path, NULL);
            am_engine *ce = NULL;
            double *fl = cs ? malloc(3 * cs->n * sizeof(double)) : NULL;
            saved_n++;
            if (cs && fl && am_engine_create(pot, cs, 1.0, &ce) == AM_OK)
                saved_ok += fabs(flat_forces(ce, cs, fl) - sv[k].e_saddle) < 1e-8;
            free(fl);
            am_engine_free(ce);
            am_system_free(cs);
        }
    free(sv);
    free(svh);
    check_true(saved_n > 0 && saved_ok == saved_n, "--save-configs: every saved saddle has its logged energy (%d of %d)",
               saved_ok, saved_n);

    /* resuming with other options is refused; bad input named */
    char a2[2400];
    snprintf(a2, sizeof a2, "artn %s --events '%s' --exit-force 0.04", args, log1);
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc == 2 && strstr(out, "other options"), "resuming with another exit force is refused");
    /* --preset paper: the paper's options in the header; a preset takes
     * nothing from a log, so the defaults' log is refused */
    const char *log6 = scratch_file(dir, "p.jsonl");
    snprintf(a2, sizeof a2, "artn %s --events '%s' --preset paper --searches 1", args, log6);
    rc = run_amorph(a2, out, sizeof out);
    char *phdr = NULL;
    am_event *pev = NULL;
    size_t npev = 0;
    am_events_read(log6, &phdr, &pev, &npev, NULL);
    check_true(rc == 0 && phdr && strstr(phdr, "\"push_radius\":2,") && strstr(phdr, "\"local_radius\":0,") &&
                   !strstr(phdr, "push_cluster") && !strstr(phdr, "refine_exit_force") && npev > 0,
               "--preset paper: atom alone, whole box, no re-convergence in the header (%s)", phdr ? phdr : "none");
    free(phdr);
    free(pev);
    snprintf(a2, sizeof a2, "artn %s --events '%s' --preset paper", args, log1);
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc == 2 && strstr(out, "other options"), "--preset paper on a log of the defaults is refused");
    snprintf(a2, sizeof a2, "artn %s --events '%s' --preset fast", args, log6);
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc == 2 && strstr(out, "--preset must be paper"), "an unknown preset is refused: %s", out);
    /* a log made with other defaults (here: basin_perp_steps 7, and without
     * a later option, i.e. with that option's legacy 0) resumes with its own
     * options when the command line leaves them out, and is refused when it
     * sets them otherwise */
    const char *log5 = scratch_file(dir, "e.jsonl");
    rc = log_with_other_defaults(log1, log5);
    snprintf(a2, sizeof a2, "artn %s --events '%s'", loud, log5);
    rc = rc || run_amorph(a2, out, sizeof out);
    check_true(rc == 0 && count_lines(log5) == 1 + nsearch && strstr(out, "(0 run now)"),
               "a log with other options resumes with them (nothing to run): %s", out);
    snprintf(a2, sizeof a2, "artn %s --events '%s' --basin-perp-steps 3", args, log5);
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc == 2 && strstr(out, "other options"), "an option given otherwise than the log's is refused");
    char *log1_text = read_text_file(log1, NULL);
    check_true(log1_text && has_number(log1_text, "force_calls_saddle"), "records give the force calls to the saddle");
    free(log1_text);
    snprintf(a2, sizeof a2, "artn -p '%s' '%s' --events '%s' --atoms 1,99999", potf, conf, scratch_file(dir, "x.jsonl"));
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc == 2 && strstr(out, "99999"), "unknown atom id named: %s", out);
    snprintf(a2, sizeof a2, "artn -p '%s' '%s' --events '%s' --atoms 1,x", potf, conf, scratch_file(dir, "x.jsonl"));
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc == 2 && strstr(out, "--atoms"), "malformed --atoms refused: %s", out);
    snprintf(a2, sizeof a2, "artn -p '%s' '%s' --events '%s' --atoms random:500", potf, conf, scratch_file(dir, "x.jsonl"));
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc == 2 && strstr(out, "random:N"), "random:N beyond the atom count refused");
    snprintf(a2, sizeof a2, "artn-summary '%s' '%s'", scratch_file(dir, "cut.jsonl"), conf);
    rc = run_amorph(a2, out, sizeof out);
    check_true(rc != 0 && strstr(out, "cut.jsonl:3:"), "artn-summary names the bad line: %s", out);
    char header[4096] = "";
    f = fopen(log1, "r");
    if (f && fgets(header, sizeof header, f)) header[strcspn(header, "\n")] = '\0';
    if (f) fclose(f);
    bad_logs(dir, conf, potf, header);
    printf("  campaign timings: first run %.2f s\n", t_run);
}

/* 2 000 atoms listed by species, as configurations are (ids 2001..4000,
 * the first 1 000 of species 0): all and random:N come in an order drawn
 * from the seed, whose first tenth holds both species near their share. */
static void selection_order(void)
{
    am_system *s;
    if (!check_true(am_system_alloc(2000, 0, &s) == AM_OK, "system")) return;
    for (size_t i = 0; i < s->n; i++) {
        s->id[i] = 2001 + (long long)i;
        s->type[i] = i >= 1000;
    }
    size_t *a = NULL, *b = NULL, *c = NULL, na = 0, nb = 0, nc = 0;
    check_true(am_campaign_select("all", s, 7, &a, &na) == AM_OK && na == 2000, "all: 2 000 atoms");
    check_true(am_campaign_select("all", s, 7, &b, &nb) == AM_OK && nb == 2000, "all again");
    check_true(am_campaign_select("all", s, 8, &c, &nc) == AM_OK && nc == 2000, "all, another seed");
    if (a && b && c) {
        char seen[2000] = {0};
        int perm = 1, same = 1, other = 0, in_order = 1;
        for (size_t k = 0; k < 2000; k++) {
            perm &= a[k] < 2000 && !seen[a[k]];
            if (a[k] < 2000) seen[a[k]] = 1;
            same &= a[k] == b[k];
            other += a[k] != c[k];
            in_order &= a[k] == k;
        }
        int second = 0;
        for (size_t k = 0; k < 200; k++) second += s->type[a[k]];
        check_true(perm, "all is every atom once");
        check_true(same && other > 1900, "the order is the seed's: the same again, another for another seed");
        check_true(!in_order, "not the configuration's order");
        check_true(second > 70 && second < 130, "first 200 atoms: %d of species 1 (100 expected)", second);
    }
    free(a); free(b); free(c);
    a = b = NULL;
    check_true(am_campaign_select("random:300", s, 7, &a, &na) == AM_OK && na == 300, "random:300");
    check_true(am_campaign_select("random:300", s, 7, &b, &nb) == AM_OK && nb == 300, "random:300 again");
    if (a && b) {
        int same = 1, ascending = 1;
        for (size_t k = 0; k < 300; k++) same &= a[k] == b[k];
        for (size_t k = 1; k < 300; k++) ascending &= a[k] > a[k - 1];
        check_true(same && !ascending, "random:300 in the seed's order, not in id order");
    }
    free(a); free(b);
    a = NULL;
    check_true(am_campaign_select("3005,2002,3999", s, 7, &a, &na) == AM_OK && na == 3, "a list of ids");
    if (a && na == 3) check_true(a[0] == 1 && a[1] == 1004 && a[2] == 1998, "a list of ids runs in id order");
    free(a);
    am_system_free(s);
}

int main(void)
{
    seeds();
    duplicates();
    selection_order();
    const char *dir = scratch_dir("artn_campaign");
    log_format(dir);
    am_potential *pot;
    if (!check_true(am_potential_read(potential_path("Cu_u3.eam"), AM_EAM_AUTO, &pot) == AM_OK, "Cu_u3.eam"))
        return check_exit();
    campaign(dir, pot);
    am_potential_free(pot);
    return check_exit();
}
