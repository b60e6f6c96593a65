/* Times amorph's EAM force evaluation: usage
 *   bench_eam CONF POT SPECIES STEPS THREADS
 * Prints one line: "amorph threads=T atoms=N us_per_atom_step=X ..." (X is
 * the median over 10 blocks of steps; cpu= is the process CPU time per
 * atom-step over all blocks, best= the fastest single call: on one thread
 * its CPU time, so the least disturbed figure on a shared machine).
 * Atoms get a tiny deterministic jiggle before every evaluation so nothing is
 * cached between calls, but not enough to trigger neighbour-list rebuilds:
 * the time is that of force evaluation, as LAMMPS's "Pair" time is. The
 * virial is skipped, as LAMMPS skips it on steps without thermo output. */
#include "amorph/amorph.h"
#include "bench_clock.h"
#include "bench_model.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu(void) { return bench_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static double thread_cpu(void) { return bench_seconds(CLOCK_THREAD_CPUTIME_ID); }

static double now(void) { return bench_seconds(CLOCK_MONOTONIC); }

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_eam CONF POT SPECIES STEPS THREADS\n");
        return 2;
    }
    int steps = atoi(argv[4]), threads = atoi(argv[5]);
    omp_set_num_threads(threads);
    am_system *s;
    am_potential *p;
    am_engine *e;
    if (bench_model("bench_eam", argv[1], argv[2], argv[3], &s, &p, &e)) return 1;
    size_t n = s->n;
    double *f = malloc(3 * n * sizeof(double));
    am_result r = {0};
    r.fx = f; r.fy = f + n; r.fz = f + 2 * n;
    /* as in an MD step: LAMMPS computes the virial only on thermo steps */
    r.skip_virial = 1;
    double t0 = now();
    am_engine_compute(e, s, &r); /* includes the first neighbour-list build */
    double build = now() - t0;
    /* neighbour-list build alone, best of 3 */
    double tbuild = 1e30;
    for (int k = 0; k < 3; k++) {
        am_nlist *nl;
        am_nlist_create(am_potential_cutoff(p), 1.0, &nl);
        double t1 = now();
        am_nlist_update(nl, s, NULL);
        double dt = now() - t1;
        if (dt < tbuild) tbuild = dt;
        am_nlist_free(nl);
    }
    /* The machine may be shared: time blocks of steps and report the median
     * block as well as the mean, so one disturbed block does not decide. */
    enum { NB = 10 };
    double block[NB], total = 0.0, c0 = cpu(), best = 1e30;
    int per = steps / NB > 0 ? steps / NB : 1;
    for (int b = 0; b < NB; b++) {
        double tb = 0.0;
        for (int k = 0; k < per; k++) {
            double d = (k % 2 ? 1e-4 : -1e-4);
            for (size_t i = 0; i < n; i += 7) s->x[i] += d;
            const double t1 = now(), u1 = thread_cpu();
            am_engine_compute(e, s, &r);
            const double dt = now() - t1, du = thread_cpu() - u1;
            tb += dt;
            /* one thread: its CPU time, which excludes the time other jobs
             * held the core; several: wall time */
            const double call = threads == 1 ? du : dt;
            if (call < best) best = call;
        }
        block[b] = tb;
        total += tb;
    }
    const double ctotal = cpu() - c0;
    for (int a = 1; a < NB; a++) /* insertion sort of NB numbers */
        for (int b = a; b > 0 && block[b] < block[b - 1]; b--) { double x = block[b]; block[b] = block[b - 1]; block[b - 1] = x; }
    double scale = 1e6 / ((double)per * (double)n);
    printf("amorph threads=%d atoms=%zu us_per_atom_step=%.4f mean=%.4f min=%.4f cpu=%.4f best=%.4f first_call_ms=%.1f nlist_build_ms=%.1f builds=%ld "
           "energy=%.10f\n",
           threads, n, scale * 0.5 * (block[NB / 2 - 1] + block[NB / 2]), total * scale / NB, block[0] * scale,
           ctotal * scale / NB, 1e6 * best / (double)n,
           1e3 * build, 1e3 * tbuild, am_engine_nbuilds(e), r.energy);
    free(f);
    am_engine_free(e);
    am_potential_free(p);
    am_system_free(s);
    return 0;
}
