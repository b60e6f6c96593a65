#include "util/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int check_rel(double got, double want, double tol, const char *fmt, ...)
{
    double err = want != 0.0 ? fabs(got - want) / fabs(want) : fabs(got);
    int ok = isfinite(got) && err <= tol;
    char d[160];
    snprintf(d, sizeof d, "got %.15g, want %.15g, rel err %.3g, tol %.3g", got, want, err, tol);
    va_list ap;
    va_start(ap, fmt);
    report(ok, d, fmt, ap);
    va_end(ap);
    return ok;
}

int check_abs(double got, double want, double tol, const char *fmt, ...)
{
    double err = fabs(got - want);
    int ok = isfinite(got) && err <= tol;
    char d[160];
    snprintf(d, sizeof d, "got %.15g, want %.15g, abs err %.3g, tol %.3g", got, want, err, tol);
    va_list ap;
    va_start(ap, fmt);
    report(ok, d, fmt, ap);
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

const char *source_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("AMORPH_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

const char *potential_path(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "/usr/share/lammps/potentials/%s", name);
    return buf;
}

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

const char *scratch_dir(const char *test_name)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "scratch_%.200s", test_name);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", buf, buf);
    if (system(cmd) != 0) fprintf(stderr, "cannot create %s\n", buf);
    return buf;
}
