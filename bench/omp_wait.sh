# Sourced by the benchmark scripts: the waiting the amorph program gives
# libgomp (AM_GOMP_SPINCOUNT; docs/performance.md, "Threads on a shared
# machine") unless the user chose, so bench_* run as the program does.
if [ -z "${OMP_WAIT_POLICY:-}" ] && [ -z "${GOMP_SPINCOUNT:-}" ]; then
    GOMP_SPINCOUNT=$(sed -n 's/^#define AM_GOMP_SPINCOUNT \([0-9]*\)$/\1/p' include/amorph/amorph.h)
    export GOMP_SPINCOUNT
fi
