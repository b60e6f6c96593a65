#!/bin/sh
# Tg against cooling rate (issue 22): Cu50Zr50, 2 000 atoms, the 2009 potential, seed 1,
# quick preset's melt (20 ps at 2000 K) and end (300 K), one thread. Resumable: run again
# after a kill and each quench continues from its checkpoint.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-74ac65a}
for rate in 1e13 3e12 1e12 3e11 1e11; do
  out=glass_$rate.data
  [ -f "$out" ] && continue
  resume=
  [ -f "$out.checkpoint" ] && resume=--resume
  OMP_NUM_THREADS=1 "$BIN" quench -p ../../data/potentials/Cu-Zr_2.eam.fs --preset quick \
    --rate "$rate" --seed 1 -o "$out" --threads 1 --checkpoint-every 20 -q $resume \
    > "quench_$rate.log" 2> "quench_$rate.err"
done
