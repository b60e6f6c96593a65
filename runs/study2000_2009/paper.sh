#!/bin/sh
# Issue 22: the paper's ARTn protocol (--preset paper: the atom alone pushed, whole box, saddles at
# 0.05 eV/Å, no restarts) on 400 random atoms of the same inherent structure as the study, one
# search each, to separate the protocol's effect from the potential's. Resumable.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-1e4f6d5}
OMP_NUM_THREADS=1 "$BIN" artn study/inherent.data --preset paper --atoms random:400 --seed 2 --events paper.jsonl \
  -o paper.extxyz --threads 1 -q > paper.log 2> paper.err
