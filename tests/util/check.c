#include "util/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
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

int run_cmd(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return rc;
}

int run_amorph(const char *args, char *out, size_t cap)
{
    const char *bin = getenv("AMORPH_BINARY");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", bin ? bin : "amorph", args);
    FILE *p = popen(cmd, "r");
    if (!p) return -2;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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

const char *scratch_dir(const char *test_name)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "scratch_%.200s", test_name);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", buf, buf);
    if (system(cmd) != 0) fprintf(stderr, "cannot create %s\n", buf);
    return buf;
}
