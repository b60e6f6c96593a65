#!/bin/sh
# A second process on the same campaign as artn.sh (the log's claims share the work; results do
# not depend on which process runs a search). Same command, its own stdout/stderr.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-26d14dc}
[ -f study/events.jsonl ] || { echo "start artn.sh first" >&2; exit 1; }
OMP_NUM_THREADS=1 "$BIN" artn study/inherent.data --events study/events.jsonl --atoms all --searches 1 --seed 1 \
  -o study/artn.extxyz --threads 1 -q > artn2.log 2> artn2.err
