#!/bin/sh
# The main job on the shipped sample: the whole study of the default Cu50Zr50
# glass (2 000 atoms, made by `amorph quench`, data/README.md) with the
# paper's potential (Mendelev 2009, the Cu-Zr default) — inherent structure, structural descriptors,
# normal modes, vMSD at 300 K, ARTn activation energies of 240 sampled atoms,
# and the structure–property report with its figures. Rerunning resumes:
# finished stages are skipped, the ARTn log picks up where it stopped.
set -eu
AMORPH=${1:-build/amorph}
SAMPLE=data/cuzr_glass_2000.data
OUT=demo-output
"$AMORPH" study "$SAMPLE" -o "$OUT" --preset quick
echo "== report: $OUT/report/README.md (figures $OUT/report/fig_*.png; summary $OUT/report/summary.json)"
