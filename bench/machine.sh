#!/bin/sh
# Prints the machine a benchmark ran on, for the header of its table: date,
# cores, the CPU's model, family and widest vector unit, and the kernels
# OpenBLAS chose (the sparse mode solver's factorisation runs in them).
# "AMD EPYC" alone named several CPUs over this project's sessions (Zen 3
# without AVX-512, Zen 5 with it), and an OPENBLAS_CORETYPE in the
# environment overrides OpenBLAS's own choice: on a Zen 5 VM whose
# environment said Haswell the cube's modes took 205-217 s against 166-187 s
# with OpenBLAS's own (AVX-512) kernels (docs/performance.md).
# Usage: sh bench/machine.sh [path/to/amorph]
AMORPH=${1:-build/amorph}
model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
family=$(grep -m1 '^cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
cmodel=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
if grep -q -m1 -w avx512f /proc/cpuinfo; then vec=AVX-512
elif grep -q -m1 -w avx2 /proc/cpuinfo; then vec=AVX2
else vec="no AVX2"; fi
core=$(OPENBLAS_VERBOSE=2 "$AMORPH" --version 2>&1 >/dev/null | sed -n 's/^Core: //p' | tail -1)
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then how="OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE in the environment"
else how="OpenBLAS's own choice"; fi
echo "$(date -u +%Y-%m-%d), $(nproc) cores, $model (family $family model $cmodel, $vec), OpenBLAS kernels ${core:-unknown} ($how)"
