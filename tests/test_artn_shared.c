/* One ARTn event log shared by several processes (issue 17), on the small
 * CuZr glass with cheap local searches (4 atoms x 2 searches):
 * 2 and 3 processes started at the same moment, 5 times each, write one
 * header and one result per (atom, attempt), divide the searches, and every
 * process's table (and artn-summary's) is byte-identical to a single
 * process's; a process killed mid-campaign leaves a claim that the resuming
 * processes take over; a fresh claim from another host is waited for and
 * taken over once older than --claim-timeout; a log written before claims
 * and hashes resumes with a warning; a log made for another configuration
 * (same ids, one atom moved) is refused. */
#include "util/build.h"
#include "util/check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { NATOM = 4, NSEARCH = 2, NSLOT = NATOM * NSEARCH };
static const long long atoms[NATOM] = {1, 100, 200, 300};

static const char *conf;
static char dir[400], opts[512], args[1024];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Lines of path that start with prefix. */
static long count_prefix(const char *path, const char *prefix)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long n = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) n += strncmp(line, prefix, strlen(prefix)) == 0;
    fclose(f);
    return n;
}

/* Processes that claimed a search in the log. */
static int claimers(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    long pids[64];
    int n = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "\"pid\":");
        if (strncmp(line, "{\"claim\"", 8) != 0 || !p) continue;
        const long pid = strtol(p + 6, NULL, 10);
        int seen = 0;
        for (int k = 0; k < n; k++) seen |= pids[k] == pid;
        if (!seen && n < 64) pids[n++] = pid;
    }
    fclose(f);
    return n;
}

/* Exactly one header, and exactly one valid result for every (atom,
 * attempt) of the campaign, none other. */
static int complete_once(const char *log)
{
    am_event *ev = NULL;
    size_t nev = 0;
    char *hdr = NULL;
    int ok = count_prefix(log, "{\"campaign\"") == 1 && am_events_read(log, &hdr, &ev, &nev, NULL) == AM_OK &&
             hdr && nev == NSLOT;
    if (ok) {
        am_events_sort(ev, nev);
        for (size_t k = 0; k < nev; k++)
            ok &= ev[k].atom == atoms[k / NSEARCH] && ev[k].attempt == (int)(k % NSEARCH);
    }
    free(ev);
    free(hdr);
    return ok;
}

/* nproc processes on the log in dir (fresh: removed first; else as it is),
 * started together; 1 when each exited 0 and wrote the reference table. */
static int together(const char *log, int fresh, int nproc, const char *ref, int rep)
{
    char path[600], a[8192], csv[8][600], err[8][600];
    pid_t pid[8];
    if (nproc > 8) return 0;
    snprintf(path, sizeof path, "%s/%s", dir, log);
    if (fresh && unlink(path) != 0 && errno != ENOENT) return 0;
    for (int p = 0; p < nproc; p++) {
        snprintf(csv[p], sizeof csv[p], "%s/t%d_%d.csv", dir, rep, p);
        snprintf(err[p], sizeof err[p], "%s/t%d_%d.err", dir, rep, p);
    }
    int ok = 1;
    for (int p = 0; p < nproc; p++) {
        snprintf(a, sizeof a, "artn %s --events '%s' --csv '%s'", args, path, csv[p]);
        pid[p] = spawn_amorph(a, NULL, err[p]);
    }
    for (int p = 0; p < nproc; p++) {
        const int rc = pid[p] > 0 ? wait_amorph(pid[p]) : -2;
        ok &= rc == 0 && files_equal(csv[p], ref);
    }
    if (!ok)
        for (int p = 0; p < nproc; p++) {
            char *e = read_text_file(err[p], NULL);
            printf("  process %d of start %d: %s\n", p, rep, e ? e : "(no error output)");
            free(e);
        }
    return ok;
}

static void simultaneous(const char *ref)
{
    for (int nproc = 2; nproc <= 3; nproc++) {
        int shared = 0, good = 0, once = 0, summary = 0;
        const int reps = 5;
        const double t0 = now();
        for (int rep = 0; rep < reps; rep++) {
            char log[64];
            snprintf(log, sizeof log, "p%d_%d.jsonl", nproc, rep);
            good += together(log, 1, nproc, ref, 10 * nproc + rep);
            char path[600];
            snprintf(path, sizeof path, "%s/%s", dir, log);
            once += complete_once(path);
            const int k = claimers(path);
            shared += k > 1;
            char a[2048], out[4096], scsv[600];
            snprintf(scsv, sizeof scsv, "%s/s.csv", dir);
            unlink(scsv);
            snprintf(a, sizeof a, "artn-summary '%s' '%s' --csv '%s'", path, conf, scsv);
            summary += run_amorph(a, out, sizeof out) == 0 && files_equal(scsv, ref);
            printf("  %d processes, start %d: %d of them ran searches\n", nproc, rep, k);
        }
        printf("  %d x %d simultaneous starts: %.1f s\n", reps, nproc, now() - t0);
        check_true(good == reps, "%d processes started together: each exits 0 with the single-process table (%d of %d)",
                   nproc, good, reps);
        check_true(once == reps, "%d processes: one header and one result per (atom, attempt) (%d of %d)", nproc, once,
                   reps);
        check_true(summary == reps, "%d processes: artn-summary of the log equals the single-process table", nproc);
        check_true(shared >= 1, "%d processes divide the searches (more than one ran searches in %d of %d starts)", nproc,
                   shared, reps);
    }
}

/* A process killed after its first result leaves a claim by a dead pid;
 * two processes started on the log then complete it between them. */
static void killed_then_shared(const char *ref)
{
    const char *log = "k.jsonl";
    char path[600], a[2048];
    snprintf(path, sizeof path, "%s/%s", dir, log);
    snprintf(a, sizeof a, "artn %s --events '%s'", args, path);
    const int rc = run_amorph_kill_when_contains(a, path, "outcome", 10.0);
    const long results = count_prefix(path, "{\"atom\""), claims = count_prefix(path, "{\"claim\"");
    check_true(results >= 1, "run killed after its first result (%ld results, %ld claims)", results, claims);
    if (rc == 1 || results >= NSLOT) printf("  note: the killed run had already finished; the take-over check is weaker\n");
    /* the killed run's log as it left it, not a fresh one */
    check_true(together(log, 0, 2, ref, 90) && complete_once(path),
               "two processes resume the killed run's log: one result per search, the same table");
}

/* Claims by a process on another host: an old one is taken over at once,
 * fresh ones only once older than --claim-timeout. */
static void foreign_claims(const char *reflog, const char *ref)
{
    enum { TIMEOUT = 2 };
    char path[600];
    snprintf(path, sizeof path, "%s/f.jsonl", dir);
    /* the reference log's header line, then the claims */
    char *text = read_text_file(reflog, NULL);
    FILE *f = text ? fopen(path, "w") : NULL;
    int rc = f && strchr(text, '\n') ? 0 : -1;
    if (rc == 0) fwrite(text, 1, (size_t)(strchr(text, '\n') - text) + 1, f);
    free(text);
    if (!check_true(rc == 0 && f != NULL, "log with foreign claims written")) {
        if (f) fclose(f);
        return;
    }
    const long t = (long)time(NULL);
    for (int k = 0; k < NSLOT; k++)
        fprintf(f, "{\"claim\":\"elsewhere.example\",\"pid\":12345,\"atom\":%lld,\"attempt\":%d,\"time\":%ld}\n",
                atoms[k / NSEARCH], k % NSEARCH, k ? t : 1000L);
    fclose(f);
    const double t0 = now();
    char out[4096], a[4096];
    snprintf(a, sizeof a, "artn %s --events '%s' --csv '%s/f.csv' --claim-timeout %d", args, path, dir, TIMEOUT);
    char *q = strstr(a, " -q");
    if (q) memcpy(q, "   ", 3); /* the waiting note is not printed with -q */
    rc = run_amorph(a, out, sizeof out);
    const double el = now() - t0;
    printf("  took over fresh foreign claims after %.1f s%s\n", el,
           strstr(out, "waiting for") ? ", having waited for them" : "");
    /* the first claim this process makes is the old one's search */
    char first[4096] = "";
    FILE *g = fopen(path, "r");
    char line[4096];
    while (g && fgets(line, sizeof line, g))
        if (strncmp(line, "{\"claim\"", 8) == 0 && !strstr(line, "elsewhere.example")) {
            snprintf(first, sizeof first, "%s", line);
            break;
        }
    if (g) fclose(g);
    char want[64];
    snprintf(want, sizeof want, "\"atom\":%lld,\"attempt\":0,", atoms[0]);
    check_true(rc == 0 && strstr(first, want), "a foreign claim older than --claim-timeout is taken over first: %s", first);
    /* claim times are whole seconds: at least TIMEOUT - 1 s pass here */
    check_true(el > TIMEOUT - 1.1, "fresh foreign claims are respected for --claim-timeout (%.1f s)", el);
    char fcsv[600];
    snprintf(fcsv, sizeof fcsv, "%s/f.csv", dir);
    check_true(complete_once(path) && files_equal(fcsv, ref),
               "then taken over: one result per search, the same table: %s", out);
}

/* Skips the hex digits of a "key":"..." value at p (just past the key's
 * colon); NULL when p is not one. */
static const char *hex_string(const char *p)
{
    if (*p != '"') return NULL;
    p += 1 + strspn(p + 1, "0123456789abcdef");
    return *p == '"' ? p + 1 : NULL;
}

/* to = from without its claim lines and with ,"conf_hash":"...",
 * "potential_hash":"..." cut from its first line (grep -v '^{"claim"' |
 * sed '1s/...//'); 0 on success, -1 when it cannot, or when the hashes are
 * not there to cut. */
static int old_log(const char *from, const char *to)
{
    char *s = read_text_file(from, NULL);
    FILE *f = s ? fopen(to, "w") : NULL;
    int ok = f != NULL, first = 1;
    for (char *line = s; ok && *line;) {
        const size_t n = strcspn(line, "\n");
        const size_t end = n + (line[n] == '\n');
        if (strncmp(line, "{\"claim\"", 8) != 0) {
            const char *cut = NULL, *resume = NULL;
            if (first) {
                const char *k1 = ",\"conf_hash\":", *k2 = ",\"potential_hash\":";
                char *p = strstr(line, k1);
                const char *q = p && (size_t)(p - line) < n ? hex_string(p + strlen(k1)) : NULL;
                if (q && strncmp(q, k2, strlen(k2)) == 0 && (resume = hex_string(q + strlen(k2)))) cut = p;
                ok = cut != NULL;
                first = 0;
            }
            if (cut) {
                ok = fwrite(line, 1, (size_t)(cut - line), f) == (size_t)(cut - line) &&
                     fwrite(resume, 1, end - (size_t)(resume - line), f) == end - (size_t)(resume - line);
            } else if (ok) {
                ok = fwrite(line, 1, end, f) == end;
            }
        }
        line += end;
    }
    if (f && fclose(f) != 0) ok = 0;
    free(s);
    return ok ? 0 : -1;
}

/* A log from before claims and input hashes resumes (with a warning); a
 * log made for another configuration with the same ids is refused. */
static void old_and_foreign_logs(const char *reflog, const char *ref)
{
    char old[600], out[4096], a[4096];
    snprintf(old, sizeof old, "%s/old.jsonl", dir);
    int rc = old_log(reflog, old);
    check_true(rc == 0, "log as an older amorph wrote it: no claims, no hashes in its header");
    snprintf(a, sizeof a, "artn %s --events '%s' --csv '%s/old.csv'", args, old, dir);
    char *q = strstr(a, " -q");
    if (q) memcpy(q, "   ", 3); /* -q would silence the summary checked below */
    rc = rc || run_amorph(a, out, sizeof out);
    char ocsv[600];
    snprintf(ocsv, sizeof ocsv, "%s/old.csv", dir);
    check_true(rc == 0 && strstr(out, "did not record the configuration") && strstr(out, "(0 run now)") &&
                   files_equal(ocsv, ref),
               "a log without claims or hashes (older amorph) resumes with a warning: %s", out);

    /* the same glass with atom 7 moved by 0.01 A: same ids, same count */
    am_system *s = load_conf(conf, NULL);
    char moved[600], copy[600];
    snprintf(moved, sizeof moved, "%s/moved.data", dir);
    snprintf(copy, sizeof copy, "%s/copy.jsonl", dir);
    if (s) s->x[7] += 0.01;
    if (!check_true(s && am_write(moved, AM_FMT_LAMMPS_DATA, s) == AM_OK, "moved configuration written")) {
        am_system_free(s);
        return;
    }
    am_system_free(s);
    const int copied = copy_file(reflog, copy) == 0;
    snprintf(a, sizeof a, "artn '%s' %s --events '%s'", moved, opts, copy);
    rc = run_amorph(a, out, sizeof out);
    check_true(copied && rc == 2 && strstr(out, "copy.jsonl was made for another configuration") &&
                   strstr(out, "positions, box, species or ids differ"),
               "a log made for another configuration (same ids, one atom moved) is refused: %s", out);
    check_true(count_prefix(copy, "{") == count_prefix(reflog, "{"), "and left as it was");
}

int main(void)
{
    static char confbuf[600];
    snprintf(confbuf, sizeof confbuf, "%s", source_path("tests/data/cuzr_glass_432.data"));
    conf = confbuf;
    char cwd[256];
    const char *sd = scratch_dir("artn_shared");
    if (!getcwd(cwd, sizeof cwd)) return check_exit();
    snprintf(dir, sizeof dir, "%s/%s", cwd, sd);
    int len = snprintf(opts, sizeof opts, "--atoms ");
    for (int k = 0; k < NATOM; k++) len += snprintf(opts + len, sizeof opts - (size_t)len, "%s%lld", k ? "," : "", atoms[k]);
    snprintf(opts + len, sizeof opts - (size_t)len, " --searches %d --local-radius 5 --refine-radius 0 --threads 1 -q",
             NSEARCH);
    snprintf(args, sizeof args, "'%s' %s", conf, opts);

    /* the reference: one process alone */
    char reflog[600], ref[600];
    snprintf(reflog, sizeof reflog, "%s/ref.jsonl", dir);
    snprintf(ref, sizeof ref, "%s/ref.csv", dir);
    const double t0 = now();
    char a[4096], out[4096];
    snprintf(a, sizeof a, "artn %s --events '%s' --csv '%s'", args, reflog, ref);
    const int rc = run_amorph(a, out, sizeof out);
    printf("  single process: %.2f s\n", now() - t0);
    if (rc != 0) printf("%s", out);
    if (!check_true(rc == 0 && complete_once(reflog), "single-process campaign: one header, one result per search"))
        return check_exit();
    simultaneous(ref);
    killed_then_shared(ref);
    foreign_claims(reflog, ref);
    old_and_foreign_logs(reflog, ref);
    return check_exit();
}
