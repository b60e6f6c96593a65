#!/bin/sh
# vMSD under NVT and under NPT (issue 22: the paper holds the glass at constant pressure):
# the shipped 2 000-atom glass (data/cuzr_glass_2000.data, the 2009 potential), 100-400 K,
# SPEC's 20 ps equilibration and 100 ps sampling, seed 1, one thread. Resumable.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-4466bd1}
for ens in npt nvt; do
  [ -f "vmsd_$ens.extxyz" ] && continue
  OMP_NUM_THREADS=1 "$BIN" vibrate ../../data/cuzr_glass_2000.data -T 100,200,300,400 --ensemble "$ens" \
    --threads 1 -o "vmsd_$ens.extxyz" --json -q > "vmsd_$ens.json" 2> "vmsd_$ens.err"
done
