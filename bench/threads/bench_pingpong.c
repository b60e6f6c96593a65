/* How long a cache line takes to go from one core to another and back:
 * usage
 *   bench_pingpong [ROUNDS]
 * Two threads hand a counter back and forth through one cache line ROUNDS
 * times (default 200 000) and the mean round trip is printed: "pingpong
 * round_trip_ns=X". Every line one thread writes and the other then reads
 * costs about half of it; on a VM it tells whether the two vCPUs share a
 * core complex (~50–100 ns) or not (several hundred), which decides how much
 * two threads may share (docs/performance.md, "Threads on a shared
 * machine"). */
#include "bench_clock.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static alignas(64) _Atomic long token;
static long rounds = 200000;

static void *partner(void *arg)
{
    (void)arg;
    for (long i = 0; i < rounds; i++) {
        while (atomic_load_explicit(&token, memory_order_acquire) != 2 * i + 1) {}
        atomic_store_explicit(&token, 2 * i + 2, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && (rounds = atol(argv[1])) < 1)) {
        fprintf(stderr, "usage: bench_pingpong [ROUNDS]\n");
        return 2;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, partner, NULL)) { fprintf(stderr, "bench_pingpong: no second thread\n"); return 1; }
    const double t0 = bench_seconds(CLOCK_MONOTONIC);
    for (long i = 0; i < rounds; i++) {
        atomic_store_explicit(&token, 2 * i + 1, memory_order_release);
        while (atomic_load_explicit(&token, memory_order_acquire) != 2 * i + 2) {}
    }
    const double dt = bench_seconds(CLOCK_MONOTONIC) - t0;
    pthread_join(t, NULL);
    printf("pingpong round_trip_ns=%.0f rounds=%ld\n", 1e9 * dt / (double)rounds, rounds);
    return 0;
}
