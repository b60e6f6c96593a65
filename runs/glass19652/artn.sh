#!/bin/sh
# Issue 22: the barriers of every atom of the paper-size glass, one search each, with amorph's
# validated defaults (local forces, restarts, the reflected refinement), seed 1, one thread: the
# very command `amorph study` runs for its ARTn stage (study.sh), so that a later
# `study.sh` without --skip artn finds the log complete. At ~4 core-s per converged search this
# is ~25 core-hours, spread over sessions: the event log resumes where it stopped; it is
# committed compressed as events.jsonl.xz (decompress it to study/events.jsonl to resume).
# Binaries: d0ce211 for the first 560 searches (atoms in id order: all Cu), then 26d14dc, which
# runs the atoms in an order drawn from the seed and gives the same searches bit for bit
# (checked on atoms 1-3: same energies and force calls).
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-26d14dc}
[ -f study/inherent.data ] || { echo "run study.sh first (it minimises the glass)" >&2; exit 1; }
[ -f study/events.jsonl ] || [ ! -f events.jsonl.xz ] || xz -dc events.jsonl.xz > study/events.jsonl
# `./artn.sh 2` is a second process on the same log (the claims share the searches; results do
# not depend on which process runs one), with its own artn2.log and artn2.err
OMP_NUM_THREADS=1 "$BIN" artn study/inherent.data --events study/events.jsonl --atoms all --searches 1 --seed 1 \
  -o study/artn.extxyz --threads 1 -q > "artn${1:-}.log" 2> "artn${1:-}.err"
