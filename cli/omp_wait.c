/* OpenMP threads that stop spinning soon when they wait.
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
 * OMP_WAIT_POLICY or GOMP_SPINCOUNT wins, and no re-execution happens then. */
#include "omp_wait.h"

#include <stdlib.h>
#include <unistd.h>

#define MARK "AMORPH_GOMP_SPINCOUNT_SET"

void cli_omp_wait_setup(char **argv)
{
    if (getenv(MARK)) {
        /* ours, and libgomp has read it */
        unsetenv("GOMP_SPINCOUNT");
        unsetenv(MARK);
        return;
    }
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT")) return;
    if (setenv("GOMP_SPINCOUNT", CLI_GOMP_SPINCOUNT, 1) == 0 && setenv(MARK, "1", 1) == 0) {
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
    /* no /proc (or no memory): run on with libgomp's own spin */
    unsetenv("GOMP_SPINCOUNT");
    unsetenv(MARK);
}
