#!/bin/sh
# Issue 22: the paper's study on the shipped 2 000-atom Cu50Zr50 glass (2009 potential,
# data/cuzr_glass_2000.data, 1e12 K/s) with amorph's validated defaults: `amorph study
# --preset paper` (every atom, vMSD 100-400 K under NPT, 100 ps) with 2 ARTn searches per
# atom (each restarted at most twice: docs/saddle.md, "Restarts") instead of 10. One thread.
# Resumable: run again after a kill; the event log and the vMSD checkpoints carry on.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-1e4f6d5}
OMP_NUM_THREADS=1 "$BIN" study ../../data/cuzr_glass_2000.data --preset paper --searches 2 --seed 1 \
  --threads 1 -o study > study.log 2> study.err
