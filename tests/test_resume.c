/* Resuming only what belongs to the input (issue 17): the configuration and
 * potential hashes; vibrate refuses a checkpoint made for another
 * configuration with the same ids, or with other options, and still resumes
 * its own; quench --resume refuses a checkpoint of other options or of
 * another start; vibrate checks its options (dt = 0, ...) before any
 * arithmetic; stale temporaries of atomic writes are removed at start-up,
 * and only those of the target that no live process holds. */
#include "util/build.h"
#include "util/check.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[400], glass[600], moved[600];

static void hashes(void)
{
    am_system *a = load_conf(glass, NULL), *b = NULL;
    if (!check_true(a && am_system_copy(a, &b) == AM_OK, "glass read and copied")) return;
    const uint64_t h = am_system_hash(a);
    check_true(h == am_system_hash(b), "a copy hashes the same");
    unsigned char *bytes = (unsigned char *)&b->x[3];
    bytes[0] ^= 1; /* the last bit of one coordinate */
    check_true(am_system_hash(b) != h, "one bit of one position changes the hash");
    bytes[0] ^= 1;
    long long t = b->id[0];
    b->id[0] = b->id[1];
    b->id[1] = t;
    check_true(am_system_hash(b) != h, "two ids swapped change it");
    b->id[1] = b->id[0];
    b->id[0] = t;
    b->box.tilt[0] = 1e-9;
    check_true(am_system_hash(b) != h, "a tilt changes it");
    b->box.tilt[0] = 0;
    b->species[0].mass += 1e-9;
    check_true(am_system_hash(b) != h, "a mass changes it");
    b->species[0].mass -= 1e-9;
    check_true(am_system_hash(b) == h, "restored, it hashes as before");
    am_system_free(a);
    am_system_free(b);
    am_potential *p = NULL, *q = NULL, *r = NULL;
    am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &p);
    am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &q);
    am_potential_read(potential_path("Zr_mm.eam.fs"), AM_EAM_AUTO, &r);
    check_true(p && q && r && am_potential_hash(p) == am_potential_hash(q) && am_potential_hash(p) != am_potential_hash(r),
               "a potential read twice hashes the same; another one does not");
    am_potential_free(p);
    am_potential_free(q);
    am_potential_free(r);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* touch -d '1 hour ago' path: created empty when missing, its access and
 * modification times an hour back. */
static int touch_hour_ago(const char *path)
{
    const int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0) return -1;
    close(fd);
    struct timespec ts[2];
    clock_gettime(CLOCK_REALTIME, &ts[0]);
    ts[0].tv_sec -= 3600;
    ts[1] = ts[0];
    return utimensat(AT_FDCWD, path, ts, 0);
}

static void vibrate(void)
{
    const char *common = "-T 300 --time 0.02 --equilibrate 0 --every 1 --quenches 0 --checkpoint-every 0.01 --threads 1 -q";
    char ck[600], ckfile[620], a[3000], out[8192], csv[600], csv2[600], csvb[600];
    snprintf(ck, sizeof ck, "%s/vib", dir);
    snprintf(ckfile, sizeof ckfile, "%s.T300.ckpt", ck);
    snprintf(csv, sizeof csv, "%s/vib_a.csv", dir);
    snprintf(csv2, sizeof csv2, "%s/vib_a2.csv", dir);
    snprintf(csvb, sizeof csvb, "%s/vib_b.csv", dir);
    snprintf(a, sizeof a, "vibrate '%s' %s --checkpoint-prefix '%s' --csv '%s'", glass, common, ck, csv);
    int rc = run_amorph(a, out, sizeof out);
    check_true(rc == 0 && exists(ckfile) && exists(csv), "vibrate: a short run keeps its finished checkpoint: %s", out);

    snprintf(a, sizeof a, "vibrate '%s' %s --checkpoint-prefix '%s' --csv '%s'", moved, common, ck, csvb);
    rc = run_amorph(a, out, sizeof out);
    char want[700];
    snprintf(want, sizeof want, "%s: checkpoint made for another input configuration", ckfile);
    check_true(rc == 1 && strstr(out, want) && strstr(out, "remove it to start afresh") && !exists(csvb),
               "vibrate on another configuration with the same ids refuses the checkpoint, writes nothing: %s", out);
    snprintf(a, sizeof a, "vibrate '%s' %s --seed 2 --checkpoint-prefix '%s' --csv '%s'", glass, common, ck, csvb);
    rc = run_amorph(a, out, sizeof out);
    snprintf(want, sizeof want, "%s: checkpoint made with other options", ckfile);
    check_true(rc == 1 && strstr(out, want) && strstr(out, "seed") && !exists(csvb),
               "vibrate with another seed refuses the checkpoint: %s", out);
    snprintf(a, sizeof a, "vibrate '%s' %s --checkpoint-prefix '%s' --csv '%s'", glass, common, ck, csv2);
    rc = run_amorph(a, out, sizeof out);
    check_true(rc == 0 && files_equal(csv, csv2),
               "the same command resumes its own checkpoint and writes the same table");

    /* options checked, with units, before anything divides by them: the
     * command line refuses them (usage error, 2) by its range table ... */
    static const struct {
        const char *opt, *msg;
    } bad[] = {
        {"--dt 0", "--dt 0: expected a time step, a number in [1e-06, 0.1] ps"},
        {"--time -1", "--time -1: expected a duration, a number in (0, 1e+09] ps"},
        {"--time 1e300", "--time 1e300: expected a duration, a number in (0, 1e+09] ps"},
        {"--checkpoint-every 0", "--checkpoint-every 0: expected a checkpoint interval, a number in (0, 1e+09] ps"},
        {"-T 0", "--temperature 0: expected a temperature, a number in (0, 100000] K"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(a, sizeof a, "vibrate '%s' -q %s --csv '%s'", glass, bad[k].opt, csvb);
        rc = run_amorph(a, out, sizeof out);
        check_true(rc == 2 && strstr(out, bad[k].msg) && !exists(csvb), "vibrate %s refused: %s", bad[k].opt, out);
    }
    /* ... and the library (am_vmsd) itself, for callers without the command
     * line, before it allocates, runs or writes its checkpoint */
    static const struct {
        const char *what, *msg;
        double temperature, time, dt, checkpoint_every;
    } lib[] = {
        {"dt = 0", "dt = 0 ps; expected a finite number > 0 ps", 300, 0.02, 0, 0.01},
        {"time = -1", "time = -1 ps; expected a finite number > 0 ps", 300, -1, 0.002, 0.01},
        {"time = 1e300", "expected at most", 300, 1e300, 0.002, 0.01},
        {"checkpoint_every = 0", "checkpoint_every = 0 ps", 300, 0.02, 0.002, 0},
        {"temperature = 0", "temperature = 0 K", 0, 0.02, 0.002, 0.01},
    };
    am_potential *pot = NULL;
    am_system *s = load_conf(glass, NULL);
    char libck[600];
    snprintf(libck, sizeof libck, "%s/lib.ckpt", dir);
    double *d2 = s ? malloc(4 * s->n * sizeof(double)) : NULL;
    if (check_true(s && d2 && am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &pot) == AM_OK,
                   "glass and potential for am_vmsd"))
        for (size_t k = 0; k < sizeof lib / sizeof lib[0]; k++) {
            am_vmsd_options o;
            am_vmsd_defaults(&o);
            o.temperature = lib[k].temperature;
            o.equilibrate = 0;
            o.time = lib[k].time;
            o.dt = lib[k].dt;
            o.every = 1;
            o.nquench = 0;
            o.checkpoint = libck;
            o.checkpoint_every = lib[k].checkpoint_every;
            am_vmsd_result r = {d2, NULL, NULL, 0, 0, 0};
            const am_status st = am_vmsd(pot, s, &o, &r);
            check_true(st == AM_ERR_VALUE && strstr(am_error_message(), lib[k].msg) && !exists(libck),
                       "am_vmsd refuses %s: %s", lib[k].what, am_error_message());
        }
    free(d2);
    am_system_free(s);
    am_potential_free(pot);
}

static void quench(void)
{
    char out_data[600], ckfile[620], a[3000], out[8192];
    snprintf(out_data, sizeof out_data, "%s/g.data", dir);
    snprintf(ckfile, sizeof ckfile, "%s.checkpoint", out_data);
    /* long enough never to finish: killed once its first checkpoint is there */
    const char *common = "--atoms 100 --melt-time 100 --checkpoint-every 0.02 --threads 1 -q";
    snprintf(a, sizeof a, "quench %s -o '%s'", common, out_data);
    int rc = run_amorph_kill_when(a, ckfile, 30.0);
    if (!check_true(rc == 0 && exists(ckfile), "quench killed after its first checkpoint")) return;
    static const struct {
        const char *opt, *msg;
    } bad[] = {
        {"--pressure 1000", "checkpoint made with other options"},
        {"--t-melt 1900", "checkpoint made with other options"},
        {"--seed 2", "checkpoint made for another input configuration"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(a, sizeof a, "quench %s -o '%s' --resume %s", common, out_data, bad[k].opt);
        rc = run_amorph(a, out, sizeof out);
        check_true(rc == 1 && strstr(out, ckfile) && strstr(out, bad[k].msg) && strstr(out, "remove it") &&
                       !exists(out_data),
                   "quench --resume %s refuses the checkpoint: %s", bad[k].opt, out);
    }
}

/* Temporaries as a killed writer leaves them, an hour old, next to
 * TARGET: only the one of TARGET that no process holds is removed. */
static void stale(void)
{
    char target[600], path[700], a[3000], out[8192];
    snprintf(target, sizeof target, "%s/e.extxyz", dir);
    static const struct {
        const char *suffix;
        int old, locked, removed;
    } t[] = {
        {".tmp.AbC123", 1, 0, 1}, /* left by a killed run */
        {".tmp.XyZ789", 0, 0, 0}, /* fresh: being created */
        {".tmp.Lck456", 1, 1, 0}, /* held by a live process */
        {".tmp.abc12", 1, 0, 0},  /* not a name mkstemp makes */
        {".tmp.ab_123", 1, 0, 0},
        {".orig", 1, 0, 0},
    };
    const size_t nt = sizeof t / sizeof t[0];
    int held = -1;
    for (size_t k = 0; k < nt; k++) {
        snprintf(path, sizeof path, "%s%s", target, t[k].suffix);
        const int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) continue;
        if (write(fd, "partial", 7) != 7) printf("  cannot write %s\n", path);
        if (t[k].old) {
            struct timespec ts[2];
            clock_gettime(CLOCK_REALTIME, &ts[0]);
            ts[0].tv_sec -= 3600;
            ts[1] = ts[0];
            futimens(fd, ts);
        }
        if (t[k].locked) {
            struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
            fcntl(fd, F_SETLK, &lk);
            held = fd;
        } else {
            close(fd);
        }
    }
    /* another target's temporary */
    snprintf(path, sizeof path, "%s/other.extxyz.tmp.AbC123", dir);
    check_true(touch_hour_ago(path) == 0, "another target's temporary made an hour old");
    snprintf(a, sizeof a, "energy '%s' -o '%s'", glass, target);
    int rc = run_amorph(a, out, sizeof out);
    check_true(rc == 0 && exists(target) && strstr(out, "removed 1 stale temporary file of"),
               "energy -o TARGET removes a stale temporary of TARGET, and says so: %s", out);
    for (size_t k = 0; k < nt; k++) {
        snprintf(path, sizeof path, "%s%s", target, t[k].suffix);
        check_true(exists(path) == !t[k].removed, "%s%s %s", "TARGET", t[k].suffix, t[k].removed ? "removed" : "kept");
    }
    snprintf(path, sizeof path, "%s/other.extxyz.tmp.AbC123", dir);
    check_true(exists(path), "another target's temporary kept");
    if (held >= 0) close(held);

    /* vibrate's per-temperature checkpoint */
    char ck[600];
    snprintf(ck, sizeof ck, "%s/vs", dir);
    snprintf(path, sizeof path, "%s.T300.ckpt.tmp.Old001", ck);
    check_true(touch_hour_ago(path) == 0, "a temporary of vibrate's checkpoint made an hour old");
    snprintf(a, sizeof a, "vibrate '%s' -T 300 --time 0.01 --equilibrate 0 --every 1 --quenches 0 --checkpoint-prefix '%s'",
             glass, ck);
    rc = run_amorph(a, out, sizeof out);
    check_true(rc == 0 && !exists(path), "vibrate removes a stale temporary of its checkpoint: %s", out);
}

int main(void)
{
    char cwd[256];
    const char *sd = scratch_dir("resume");
    if (!getcwd(cwd, sizeof cwd)) return check_exit();
    snprintf(dir, sizeof dir, "%s/%s", cwd, sd);
    snprintf(glass, sizeof glass, "%s", source_path("tests/data/cuzr_glass_432.data"));
    snprintf(moved, sizeof moved, "%s/moved.data", dir);
    /* the glass with atom 7 moved by 0.01 A: the same ids and count */
    am_system *s = load_conf(glass, NULL);
    if (s) s->x[7] += 0.01;
    if (!check_true(s && am_write(moved, AM_FMT_LAMMPS_DATA, s) == AM_OK, "moved glass written")) return check_exit();
    am_system_free(s);
    void (*const parts[])(void) = {hashes, vibrate, quench, stale};
    static const char *const names[] = {"hashes", "vibrate", "quench", "stale temporaries"};
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        parts[k]();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("  %s: %.1f s\n", names[k], (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    }
    return check_exit();
}
