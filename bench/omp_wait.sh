# Sourced by the benchmark scripts: the waiting the amorph program gives
# libgomp and OpenBLAS (AM_GOMP_SPINCOUNT, AM_OPENBLAS_THREAD_TIMEOUT;
# docs/performance.md, "Threads on a shared machine") unless the user chose,
# so bench_* run as the program does.
if [ -z "${OMP_WAIT_POLICY:-}" ] && [ -z "${GOMP_SPINCOUNT:-}" ]; then
    GOMP_SPINCOUNT=$(sed -n 's/^#define AM_GOMP_SPINCOUNT \([0-9]*\)$/\1/p' include/amorph/amorph.h)
    export GOMP_SPINCOUNT
fi
if [ -z "${OPENBLAS_THREAD_TIMEOUT:-}" ] && [ -z "${GOTO_THREAD_TIMEOUT:-}" ]; then
    OPENBLAS_THREAD_TIMEOUT=$(sed -n 's/^#define AM_OPENBLAS_THREAD_TIMEOUT \([0-9]*\)$/\1/p' include/amorph/amorph.h)
    export OPENBLAS_THREAD_TIMEOUT
fi
