/* Threads that stop spinning soon when they wait: OpenMP's and OpenBLAS's.
 *
 * libgomp's threads spin some 300 000 iterations at a barrier before they
 * sleep. On cores shared with other jobs, a thread waiting for a partner
 * that the kernel has descheduled burns the time that partner needs: beside
 * three other jobs on the 2-core VM, two-thread NPT MD of the 2 000-atom
 * glass ran at 71 µs per atom-step against 2.7 for one thread
 * (docs/performance.md, "Threads on a shared machine"). A spin of
 * AM_GOMP_SPINCOUNT (1 000) is as fast as the default on idle cores
 * (passive waiting is 15 % slower: a futex wake-up at every barrier of a
 * 0.5 ms step) and within ~20 % of passive beside other jobs.
 *
 * libgomp reads its environment in its constructor, before main, and an
 * executable's earliest hook (.preinit_array) runs before libc has set up
 * environ, which libc then resets: the variable cannot be set in-process in
 * time. So the program sets it and executes itself again, once; the second
 * image finds the mark, and removes both variables so that the programs it
 * starts (LAMMPS among them) see the user's environment. The user's own
 * OMP_WAIT_POLICY or GOMP_SPINCOUNT wins, and no re-execution happens then.
 *
 * OpenBLAS's idle threads yield in a loop for 2^28 cycles after each call:
 * in the sparse mode solver they took ~10 % of the cores from amorph's own
 * threads (AM_OPENBLAS_THREAD_TIMEOUT). The same re-execution sets their
 * timeout, unless the user set OPENBLAS_THREAD_TIMEOUT or GOTO_THREAD_TIMEOUT. */
#include "omp_wait.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* set in the second image, naming what the first one set: g GOMP_SPINCOUNT,
 * b OPENBLAS_THREAD_TIMEOUT */
#define MARK "AMORPH_WAIT_SET"

static void forget(const char *set)
{
    if (strchr(set, 'g')) unsetenv("GOMP_SPINCOUNT");
    if (strchr(set, 'b')) unsetenv("OPENBLAS_THREAD_TIMEOUT");
    unsetenv(MARK);
}

void cli_omp_wait_setup(char **argv)
{
    const char *mark = getenv(MARK);
    if (mark) {
        /* ours, and the libraries have read it */
        char set[3] = "";
        strncat(set, mark, sizeof set - 1);
        forget(set);
        return;
    }
    char set[3] = "";
    int ok = 1;
    if (!getenv("OMP_WAIT_POLICY") && !getenv("GOMP_SPINCOUNT")) {
        strcat(set, "g");
        ok = setenv("GOMP_SPINCOUNT", CLI_GOMP_SPINCOUNT, 1) == 0;
    }
    if (!getenv("OPENBLAS_THREAD_TIMEOUT") && !getenv("GOTO_THREAD_TIMEOUT")) {
        strcat(set, "b");
        ok = ok && setenv("OPENBLAS_THREAD_TIMEOUT", CLI_OPENBLAS_THREAD_TIMEOUT, 1) == 0;
    }
    if (!set[0]) return;
    if (ok && setenv(MARK, set, 1) == 0) {
        /* by its own path, so that ps and top show its name, not "exe";
         * the link itself when that path is gone (rebuilt since it started) */
        char self[4096];
        const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = '\0';
            execv(self, argv);
        }
        execv("/proc/self/exe", argv);
    }
    /* no /proc (or no memory): run on with the libraries' own waiting */
    forget(set);
}
