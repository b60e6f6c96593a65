#!/bin/sh
# Amorphous silicon with Stillinger-Weber through LAMMPS (issue 20): 512 atoms quenched by
# LAMMPS itself (amorph quench --engine lammps --run: melt 20 ps at 3000 K, 1e13 K/s to 300 K (the budget of one shared core; 1e12 would take ~4 h),
# 1 fs steps, NPT at 0 bar, then atoms and box relaxed), then an ARTn campaign through LAMMPS's
# library (--engine lammps): every atom, 2 searches, amorph artn's defaults. SW from Debian's
# lammps-data (Si.sw: Stillinger & Weber, PRB 31 (1985) 5262). One thread. The campaign resumes
# from its event log; the quench (one LAMMPS run) starts again if killed.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-ff1b28c}
STYLE="pair_style sw"
COEFF="pair_coeff * * Si.sw Si"
[ -f asi_512.data ] || OMP_NUM_THREADS=1 "$BIN" quench --engine lammps --run --pair "$STYLE" --pair "$COEFF" \
  --composition Si100 --atoms 512 --density 0.05 --t-melt 3000 --melt-time 20 --t-end 300 --rate 1e13 \
  --dt 0.001 --seed 1 --threads 1 -o asi_512.data -q > quench.log 2> quench.err
OMP_NUM_THREADS=1 "$BIN" artn asi_512.data --engine lammps --pair "$STYLE" --pair "$COEFF" --atoms all \
  --searches 2 --seed 1 -e events.jsonl -o artn.extxyz --events-csv events.csv --threads 1 -q \
  > artn.log 2> artn.err
