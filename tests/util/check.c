/* nftw() is XSI */
#define _XOPEN_SOURCE 700
#include "util/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

static int n_checks, n_failed, verbose = 1;

void check_set_verbose(int on) { verbose = on; }

static int report(int ok, const char *detail, const char *fmt, va_list ap)
{
    n_checks++;
    if (!ok) n_failed++;
    if (!ok || verbose) {
        printf("%s: ", ok ? "PASS" : "FAIL");
        vprintf(fmt, ap);
        if (detail[0]) printf(" (%s)", detail);
        printf("\n");
    }
    return ok;
}

static int check_err(double got, double want, double err, double tol, const char *kind, const char *fmt,
                     va_list ap)
{
    int ok = isfinite(got) && err <= tol;
    char d[160];
    snprintf(d, sizeof d, "got %.15g, want %.15g, %s err %.3g, tol %.3g", got, want, kind, err, tol);
    return report(ok, d, fmt, ap);
}

int check_rel(double got, double want, double tol, const char *fmt, ...)
{
    double err = want != 0.0 ? fabs(got - want) / fabs(want) : fabs(got);
    va_list ap;
    va_start(ap, fmt);
    int ok = check_err(got, want, err, tol, "rel", fmt, ap);
    va_end(ap);
    return ok;
}

int check_abs(double got, double want, double tol, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int ok = check_err(got, want, fabs(got - want), tol, "abs", fmt, ap);
    va_end(ap);
    return ok;
}

int check_true(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(cond != 0, "", fmt, ap);
    va_end(ap);
    return cond != 0;
}

int check_exit(void)
{
    printf("%d checks, %d failed\n", n_checks, n_failed);
    return n_failed ? 1 : 0;
}

/* Rotating buffers so that a test can hold a few paths at once. */
static const char *join_path(const char *dir, const char *sub, const char *name)
{
    static char buf[16][4096];
    static int k;
    char *b = buf[k++ % 16];
    snprintf(b, sizeof buf[0], "%s/%s%s", dir, sub, name);
    return b;
}

static const char *source_root(void)
{
    const char *root = getenv("AMORPH_SOURCE_DIR");
    return root ? root : ".";
}

const char *source_path(const char *rel) { return join_path(source_root(), "", rel); }

const char *io_data_path(const char *name) { return join_path(source_root(), "tests/data/io/", name); }

const char *potential_path(const char *name) { return join_path("/usr/share/lammps/potentials", "", name); }

const char *scratch_file(const char *dir, const char *name) { return join_path(dir, "", name); }

/* Splits a command line in place: words separated by blanks, '...' keeps
 * blanks (no other quoting, no expansion: nothing here is a shell). */
static int split_words(char *line, char **argv, int max)
{
    int n = 0;
    char *p = line;
    while (*p && n < max - 1) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        if (!*p) break;
        char *dst = p;
        argv[n++] = dst;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
            if (*p == '\'') {
                for (p++; *p && *p != '\''; p++) *dst++ = *p;
                if (*p) p++;
            } else {
                *dst++ = *p++;
            }
        }
        int end = *p != '\0';
        *dst = '\0';
        if (end) p++;
    }
    argv[n] = NULL;
    return n;
}

static int run_words(const char *dir, char **w, int n)
{
    const char *out_path = NULL;
    int merge = 0, k = 0, m = 0;
    char *argv[256];
    for (int j = 0; j < n; j++) {
        if (strcmp(w[j], ">") == 0 && j + 1 < n) out_path = w[++j];
        else if (strcmp(w[j], "2>&1") == 0) merge = 1;
        else argv[m++] = w[j];
    }
    argv[m] = NULL;
    while (k < m && strchr(argv[k], '=') && argv[k][0] != '=') k++; /* NAME=VALUE words */
    if (k == m) return -2;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -2;
    if (pid == 0) {
        for (int j = 0; j < k; j++) {
            char *eq = strchr(argv[j], '=');
            *eq = '\0';
            setenv(argv[j], eq + 1, 1);
        }
        if (dir && chdir(dir) != 0) _exit(127); /* as `cd DIR && cmd > FILE`: FILE is in DIR */
        if (out_path) {
            int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0) _exit(127);
            dup2(fd, 1);
            close(fd);
        }
        if (merge) dup2(1, 2);
        execvp(argv[k], argv + k);
        _exit(127);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) < 0) return -2;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_vfmt(const char *dir, const char *fmt, va_list ap)
{
    char cmd[8192], *w[256];
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    int n = split_words(cmd, w, 256);
    return run_words(dir, w, n);
}

int run_cmd(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = run_vfmt(NULL, fmt, ap);
    va_end(ap);
    return rc;
}

int run_cmd_in(const char *dir, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = run_vfmt(dir, fmt, ap);
    va_end(ap);
    return rc;
}

int program_available(const char *name)
{
    const char *path = getenv("PATH");
    if (!path) return 0;
    char buf[4096];
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, name);
        if (access(buf, X_OK) == 0) return 1;
        p += len + (p[len] == ':');
    }
    return 0;
}

int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = a ? fopen(to, "wb") : NULL;
    int ok = a && b;
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, a)) > 0) ok = fwrite(buf, 1, n, b) == n;
    if (a) fclose(a);
    if (b && fclose(b) != 0) ok = 0;
    return ok ? 0 : -1;
}

int run_amorph_kill_when(const char *args, const char *wait_for, double timeout_s)
{
    const pid_t pid = spawn_amorph(args, NULL, NULL);
    if (pid < 0) return -2;
    struct stat st;
    const struct timespec tick = {0, 20000000};
    int seen = 0, status = 0, done = 0;
    for (double t = 0; t < timeout_s && !(seen = stat(wait_for, &st) == 0); t += 0.02) {
        if (waitpid(pid, &status, WNOHANG) == pid) { done = 1; break; }
        nanosleep(&tick, NULL);
    }
    if (!done) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    return seen && !done ? 0 : -1;
}

int dir_has(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    for (struct dirent *e; !found && (e = readdir(d));) found = strstr(e->d_name, part) != NULL;
    closedir(d);
    return found;
}

int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb) same = 0;
        if (ca == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

int run_amorph(const char *args, char *out, size_t cap)
{
    const char *bin = getenv("AMORPH_BINARY");
    char line[8192], *w[256];
    snprintf(line, sizeof line, "%s", args);
    const char *argv[257];
    argv[0] = bin ? bin : "amorph";
    int n = split_words(line, w, 256);
    for (int k = 0; k < n; k++) argv[k + 1] = w[k];
    argv[n + 1] = NULL;
    return run_argv(argv, out, cap);
}

int run_argv(const char *const argv[], char *out, size_t cap)
{
    int fd[2];
    if (pipe(fd) != 0) return -2;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -2;
    if (pid == 0) {
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    size_t n = 0;
    for (;;) {
        char junk[4096];
        char *dst = n + 1 < cap ? out + n : junk;
        size_t room = n + 1 < cap ? cap - 1 - n : sizeof junk;
        ssize_t k = read(fd[0], dst, room);
        if (k <= 0) break;
        if (dst != junk) n += (size_t)k;
    }
    out[n] = '\0';
    close(fd[0]);
    int st = 0;
    if (waitpid(pid, &st, 0) < 0) return -2;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int run_amorph_v(char *out, size_t cap, ...)
{
    const char *argv[64];
    int n = 0;
    const char *bin = getenv("AMORPH_BINARY");
    argv[n++] = bin ? bin : "amorph";
    va_list ap;
    va_start(ap, cap);
    const char *a;
    while (n < 63 && (a = va_arg(ap, const char *))) argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    return run_argv(argv, out, cap);
}

/* rm -rf of the scratch directory left by an earlier run */
static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

const char *scratch_dir(const char *test_name)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "scratch_%.200s", test_name);
    nftw(buf, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (mkdir(buf, 0755) != 0) fprintf(stderr, "cannot create %s\n", buf);
    return buf;
}

static int open_out(const char *path)
{
    return open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

pid_t spawn_amorph(const char *args, const char *out_path, const char *err_path)
{
    const char *bin = getenv("AMORPH_BINARY");
    char line[8192], *w[256];
    snprintf(line, sizeof line, "%s", args);
    char *argv[257];
    argv[0] = (char *)(bin ? bin : "amorph");
    int n = split_words(line, w, 256);
    for (int k = 0; k < n; k++) argv[k + 1] = w[k];
    argv[n + 1] = NULL;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        const int same = out_path && err_path && strcmp(out_path, err_path) == 0;
        int fo = open_out(out_path), fe = same ? fo : open_out(err_path);
        if (fo < 0 || fe < 0) _exit(127);
        dup2(fo, 1);
        dup2(fe, 2);
        if (fo > 2) close(fo);
        if (fe > 2 && fe != fo) close(fe);
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

int wait_amorph(pid_t pid)
{
    int st = 0;
    if (pid <= 0 || waitpid(pid, &st, 0) < 0) return -2;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *read_text_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = 0, cap = 4096;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - 1 - n, f)) > 0;) {
        n += got;
        if (cap - 1 - n == 0) {
            char *b = realloc(buf, 2 * cap);
            if (!b) free(buf);
            buf = b;
            cap *= 2;
        }
    }
    const int bad = ferror(f);
    fclose(f);
    if (!buf || bad) { free(buf); return NULL; }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

int file_contains(const char *path, const char *text)
{
    char *s = read_text_file(path, NULL);
    const int found = s && strstr(s, text) != NULL;
    free(s);
    return found;
}

int run_amorph_kill_when_contains(const char *args, const char *path, const char *text, double timeout_s)
{
    pid_t pid = spawn_amorph(args, NULL, NULL);
    if (pid < 0) return -1;
    const struct timespec tick = {0, 5000000};
    int status = 0, done = 0;
    for (double t = 0; t < timeout_s && !file_contains(path, text); t += 0.005) {
        if (waitpid(pid, &status, WNOHANG) == pid) { done = 1; break; }
        nanosleep(&tick, NULL);
    }
    if (!done) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        done = !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL); /* it had ended just before */
    }
    if (!file_contains(path, text)) return -1;
    return done ? 1 : 0;
}

int csv_split(char *line, char **field, int max)
{
    int n = 0;
    for (char *p = line, *q; n < max && p; p = q) {
        q = strchr(p, ',');
        if (q) *q++ = '\0';
        field[n++] = p;
    }
    return n;
}
