#!/bin/sh
# Issue 22: the paper's study on the paper-size glass (glass_19652.data, run.sh): `amorph study
# --preset paper` (vMSD 100-400 K under NPT, 100 ps; modes; describe) with amorph's validated ARTn
# defaults. One thread. ARTn is left out here (--skip artn): it runs later with the session's
# binary, one search per atom, from a resumable event log spread over sessions.
# Resumable: run again after a kill; the vMSD checkpoints carry on.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-d0ce211}
[ -f glass_19652.data ] || xz -dk glass_19652.data.xz
# the vMSD checkpoints committed at the end of a session (vibrate.T<K>.ckpt.xz) resume it
mkdir -p study
for c in vibrate.T*.ckpt.xz; do
  [ -f "$c" ] && [ ! -f "study/${c%.xz}" ] && xz -dc "$c" > "study/${c%.xz}"
done
OMP_NUM_THREADS=1 "$BIN" study glass_19652.data --preset paper --searches 1 --seed 1 --skip artn \
  --threads 1 -o study > study.log 2> study.err
