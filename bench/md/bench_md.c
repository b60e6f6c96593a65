/* Times whole NPT steps of amorph's integrator (forces with the virial,
 * Nosé–Hoover chains, MTK barostat, neighbour-list rebuilds): usage
 *   bench_md CONF POT SPECIES T STEPS THREADS [WARMUP]
 * Velocities at T (K) from seed 4928, then WARMUP (default 500) untimed
 * steps of NPT at T and 0 bar with quench's damping times (100 and 1000
 * steps), then STEPS timed steps. Prints one line:
 * "amorph threads=T atoms=N us_per_atom_step=X ..." where X is the wall time
 * of all timed steps per atom and step (rebuilds included), with the number
 * of list builds during them, the process CPU time per atom-step and the final temperature and volume. */
#include "amorph/amorph.h"
#include "bench_clock.h"
#include "bench_model.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { return bench_seconds(CLOCK_MONOTONIC); }

static double cpu(void) { return bench_seconds(CLOCK_PROCESS_CPUTIME_ID); }

int main(int argc, char **argv)
{
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: bench_md CONF POT SPECIES T STEPS THREADS [WARMUP]\n");
        return 2;
    }
    const double temp = atof(argv[4]);
    const long steps = atol(argv[5]), warmup = argc == 8 ? atol(argv[7]) : 500;
    omp_set_num_threads(atoi(argv[6]));
    am_system *s;
    am_potential *p;
    am_engine *e;
    if (bench_model("bench_md", argv[1], argv[2], argv[3], &s, &p, &e)) return 1;
    am_md_options o = {0};
    o.ensemble = AM_NPT;
    o.barostat = AM_BARO_ISO;
    o.t_start = o.t_stop = temp;
    o.nsteps = warmup + steps;
    am_md *md = NULL;
    int rc = 1;
    if (am_velocity_create(s, am_engine_units(e), temp, 4928) || am_md_create(e, s, &o, &md)) goto done;
    for (long k = 0; k < warmup; k++)
        if (am_md_step(md)) goto done;
    const long b0 = am_engine_nbuilds(e);
    const double t0 = now(), c0 = cpu();
    for (long k = 0; k < steps; k++)
        if (am_md_step(md)) goto done;
    const double dt = now() - t0, dc = cpu() - c0;
    am_thermo th;
    am_md_thermo(md, &th);
    printf("amorph threads=%d atoms=%zu us_per_atom_step=%.4f cpu_us_per_atom_step=%.4f builds=%ld steps=%ld T=%.10f volume=%.8f pe=%.10f\n",
           omp_get_max_threads(), s->n, 1e6 * dt / ((double)steps * (double)s->n),
           1e6 * dc / ((double)steps * (double)s->n), am_engine_nbuilds(e) - b0, steps,
           th.temperature, th.volume, th.pe);
    rc = 0;
done:
    if (rc) fprintf(stderr, "bench_md: %s\n", am_error_message());
    am_md_free(md);
    am_engine_free(e);
    am_potential_free(p);
    am_system_free(s);
    return rc;
}
