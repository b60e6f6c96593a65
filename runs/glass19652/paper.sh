#!/bin/sh
# Issue 22: the paper's ARTn protocol (--preset paper: the atom alone pushed, whole box, saddles at
# 0.05 eV/Å, no restarts) on 400 random atoms of the paper-size glass's inherent structure, one
# search each, as runs/study2000_2009/paper.sh on the 2 000-atom glass: the protocol's effect at the
# paper's size. Resumable (the log paper.jsonl; committed as paper.jsonl.xz).
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-26d14dc}
[ -f study/inherent.data ] || { echo "run study.sh first (it minimises the glass)" >&2; exit 1; }
[ -f paper.jsonl ] || [ ! -f paper.jsonl.xz ] || xz -dc paper.jsonl.xz > paper.jsonl
OMP_NUM_THREADS=1 "$BIN" artn study/inherent.data --preset paper --atoms random:400 --seed 2 --events paper.jsonl \
  -o paper.extxyz --threads 1 -q > paper.log 2> paper.err
