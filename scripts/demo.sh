#!/bin/sh
# The main job on the shipped sample, as far as amorph goes today: energy and
# forces of the default Cu50Zr50 glass (made by `amorph quench`, data/README.md),
# 2 ps of NVT MD at 300 K, a minimisation back to an inherent structure, its
# per-atom structural descriptors (Voronoi, q4/q6, S2) and low-frequency
# participation.
set -eu
AMORPH=${1:-build/amorph}
SAMPLE=data/cuzr_glass_2000.data
OUT=demo-output
mkdir -p "$OUT"
echo "== amorph energy: $SAMPLE with Debian lammps-data's CuZr_mm.eam.fs"
"$AMORPH" energy "$SAMPLE" -o "$OUT/atoms.extxyz"
"$AMORPH" energy "$SAMPLE" --json > "$OUT/energy.json"
echo "== amorph md: 2 ps NVT at 300 K"
"$AMORPH" md "$SAMPLE" --ensemble nvt -T 300 --time 2 --velocities 300 --seed 1 --thermo-every 250 \
    --log "$OUT/md.log" -o "$OUT/md-300K.data"
echo "== amorph minimize: back to an inherent structure"
"$AMORPH" minimize "$OUT/md-300K.data" -o "$OUT/inherent.data" --ftol 1e-6
echo "== amorph describe: Voronoi polyhedra, Steinhardt q4/q6, two-body excess entropy S2 (rc 4..15 A)"
"$AMORPH" describe "$OUT/inherent.data" -o "$OUT/descriptors.extxyz" --populations "$OUT/polyhedra.csv" --top 4 -q
echo "== amorph modes: participation in the lowest 0.25 % of the normal modes"
"$AMORPH" modes "$OUT/inherent.data" -o "$OUT/modes.extxyz" -q
echo "== outputs in $OUT/: atoms.extxyz (per-atom energy and forces, for OVITO/ASE), energy.json,"
echo "   md.log (thermo), md-300K.data, inherent.data, descriptors.extxyz, polyhedra.csv, modes.extxyz"
