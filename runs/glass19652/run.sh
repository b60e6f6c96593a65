#!/bin/sh
# The paper-size glass (issue 22): Cu50Zr50, 19 652 atoms in a cubic box, the 2009 potential,
# seed 1, the quick preset's melt (20 ps at 2000 K) and end (300 K), cooled at 1e12 K/s (the
# slowest rate this machine's budget allows: ~4.5 core-hours), then atoms and box minimised.
# One thread. Resumable: run again after a kill and the quench continues from its checkpoint.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-74ac65a}
out=glass_19652.data
[ -f "$out" ] && exit 0
resume=
[ -f "$out.checkpoint" ] && resume=--resume
OMP_NUM_THREADS=1 "$BIN" quench -p ../../data/potentials/Cu-Zr_2.eam.fs --preset quick \
  --composition Cu50Zr50 --atoms 19652 --rate 1e12 --seed 1 -o "$out" --threads 1 \
  --checkpoint-every 20 -q $resume > quench.log 2> quench.err
